/* bpf_for_each_map_elem from a clang-compiled program loaded by Debian's
 * libbpf: every element visited once, callbacks write values, a callback
 * returning 1 stops the walk, array keys are indexes. The same source with
 * -DKERNEL_BACKEND runs the same checks against the kernel. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__u32 stop_key;
	__u32 pad;
	__u64 sum;
	__s64 visited;
	__s64 visited_array;
	__u64 array_sum;
	__s64 visited_lru;
	__u64 lru_sum;
};

static int run(struct bpf_program *prog, __u32 stop_key, struct args *out)
{
	struct args a = {.stop_key = stop_key};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	*out = a;
	return err;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	bool skipped;
	struct bpf_program *prog;
	struct bpf_map *h;
	struct args out;
	__u64 v, total = 0;
	__u32 k;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "walk");
	h = bpf_object__find_map_by_name(obj, "h");
	for (k = 1; k <= 5; k++) {
		v = k * 10;
		bpf_map__update_elem(h, &k, 4, &v, 8, BPF_ANY);
	}
	for (k = 1; k <= 3; k++) {
		v = k;
		bpf_map__update_elem(bpf_object__find_map_by_name(obj, "l"), &k, 4, &v, 8, BPF_ANY);
	}
	CHECK(run(prog, 999, &out) == 0 && out.visited == 5 && out.sum == 150,
	      "all 5 visited: %lld, sum %llu", (long long)out.visited, (unsigned long long)out.sum);
	CHECK(out.visited_lru == 3 && out.lru_sum == 6, "LRU: %lld visited, sum %llu",
	      (long long)out.visited_lru, (unsigned long long)out.lru_sum);
	CHECK(out.visited_array == 8 && out.array_sum == 28, "array: %lld visited, keys sum %llu",
	      (long long)out.visited_array, (unsigned long long)out.array_sum);
	for (k = 1; k <= 5; k++) {
		v = 0;
		bpf_map__lookup_elem(h, &k, 4, &v, 8, 0);
		total += v;
	}
	CHECK(total == 155, "each value incremented through the pointer: %llu",
	      (unsigned long long)total);
	/* stop at key 3: how many come before it depends on the hash order, but the
	 * walk visits at most 5 and at least the stopping one */
	CHECK(run(prog, 3, &out) == 0 && out.visited >= 1 && out.visited <= 5,
	      "stopped: %lld visited", (long long)out.visited);
	bpf_object__close(obj);
	return TEST_DONE();
}
