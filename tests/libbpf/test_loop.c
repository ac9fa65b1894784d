/* bpf_loop from a clang-compiled program loaded by Debian's libbpf: the
 * callback runs in its own frame, sees its context, and stops the loop by
 * returning 1; bad flags and too many loops are refused. The same source with
 * -DKERNEL_BACKEND runs the same checks against the kernel. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__u32 n;
	__u32 stop_at;
	__u64 sum;
	__s64 ret;
};

static int run(struct bpf_program *prog, __u32 n, __u32 stop_at, struct args *out)
{
	struct args a = {.n = n, .stop_at = stop_at};
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
	struct args out;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "sum");
	CHECK(run(prog, 10, 100, &out) == 0 && out.ret == 10 && out.sum == 45,
	      "10 loops: ret %lld sum %llu", (long long)out.ret, (unsigned long long)out.sum);
	CHECK(run(prog, 10, 4, &out) == 0 && out.ret == 5 && out.sum == 6,
	      "stopped at 4: ret %lld sum %llu", (long long)out.ret, (unsigned long long)out.sum);
	CHECK(run(prog, 0, 4, &out) == 0 && out.ret == 0 && out.sum == 0, "no loops");
	/* the kernel inlines bpf_loop: -E2BIG comes back zero-extended from 32 bits */
	CHECK(run(prog, (1u << 23) + 1, 0, &out) == 0 && out.ret == (__u32)-E2BIG,
	      "more than 1 << 23 loops: %lld", (long long)out.ret);
	bpf_object__close(obj);
	return TEST_DONE();
}
