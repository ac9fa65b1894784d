/* Maps of maps loaded by Debian's libbpf: inner maps created from user space
 * go into an array of maps and a hash of maps; a program looks them up and
 * updates them; a map that does not match the template is refused. The same
 * source with -DKERNEL_BACKEND runs the same checks against the kernel. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__u32 slot;
	__u32 key;
	__u64 value;
	__s32 found;
};

static int run(struct bpf_program *prog, __u32 slot, __u32 key, struct args *out)
{
	struct args a = {.slot = slot, .key = key};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	*out = a;
	return err;
}

int main(int argc, char **argv)
{
	struct bpf_map *outer, *by_name;
	struct bpf_program *prog;
	struct bpf_object *obj;
	bool skipped;
	struct args out;
	__u32 key, id = 0, fd;
	__u64 v;
	int inner, inner2, wrong;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "count");
	outer = bpf_object__find_map_by_name(obj, "outer");
	by_name = bpf_object__find_map_by_name(obj, "by_name");

	CHECK(run(prog, 0, 1, &out) == 0 && out.found == 0, "empty outer slot");
	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "inner", 4, 8, 4, NULL);
	inner2 = bpf_map_create(BPF_MAP_TYPE_ARRAY, "inner2", 4, 8, 4, NULL);
	wrong = bpf_map_create(BPF_MAP_TYPE_ARRAY, "wrong", 4, 8, 5, NULL);
	CHECK(inner >= 0 && inner2 >= 0 && wrong >= 0, "inner maps");
	key = 0;
	fd = (__u32)inner;
	CHECK(bpf_map__update_elem(outer, &key, 4, &fd, 4, BPF_ANY) == 0, "put inner in slot 0");
	CHECK(run(prog, 0, 1, &out) == 0 && out.found == 1 && out.value == 1, "count in inner");
	CHECK(run(prog, 0, 1, &out) == 0 && out.value == 2, "count again: %llu",
	      (unsigned long long)out.value);
	CHECK(run(prog, 0, 9, &out) == 0 && out.found == -1, "key past the inner array");
	key = 1;
	v = 0;
	CHECK(bpf_map_lookup_elem(inner, &key, &v) == 0 && v == 2, "user space sees 2: %llu",
	      (unsigned long long)v);
	key = 0;
	CHECK(bpf_map__lookup_elem(outer, &key, 4, &id, 4, 0) == 0 && id != 0,
	      "outer lookup from user space gives the inner map's id");
	fd = (__u32)wrong;
	key = 1;
	CHECK(bpf_map__update_elem(outer, &key, 4, &fd, 4, BPF_ANY) == -EINVAL,
	      "max_entries 5 does not match the template's 4");
	key = 7;
	fd = (__u32)inner2;
	CHECK(bpf_map__update_elem(by_name, &key, 4, &fd, 4, BPF_ANY) == 0, "hash of maps");
	CHECK(run(prog, 7, 3, &out) == 0 && out.found == 1 && out.value == 1,
	      "count through the hash of maps");
	CHECK(bpf_map__delete_elem(by_name, &key, 4, 0) == 0, "remove from the hash of maps");
	CHECK(run(prog, 7, 3, &out) == 0 && out.found == 0, "gone");
	key = 0;
	CHECK(bpf_map__delete_elem(outer, &key, 4, 0) == 0, "empty slot 0");
	CHECK(run(prog, 0, 1, &out) == 0 && out.found == 0, "slot 0 empty again");
	close(inner);
	close(inner2);
	close(wrong);
	bpf_object__close(obj);
	return TEST_DONE();
}
