/* bpf_printk and bpf_get_current_comm from a clang-compiled program loaded
 * by Debian's libbpf: the formatted length and the refusal of a bad format
 * as the kernel's, the caller's comm; on bpfhost the line itself is checked
 * in the object directory's trace_pipe (the kernel's goes to tracefs). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__s32 n;
	__u32 x;
	__s64 ret;
	__s64 bad;
	char comm[16];
};

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	bool skipped;
	struct bpf_program *prog;
	struct args a = {.n = -42, .x = 0xbeef};
	char comm[16] = "";
	const char *want = "n=-42 x=beef s=str";

	if (argc != 2)
		return 2;
#ifndef KERNEL_BACKEND
	char tmpl[] = "/tmp/bpfhost-printk-XXXXXX";

	/* A directory of our own, so the trace_pipe holds only our lines. */
	if (!getenv("BPFHOST_DIR") && mkdtemp(tmpl))
		setenv("BPFHOST_DIR", tmpl, 1);
#endif
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "say");
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	CHECK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) == 0, "run");
	CHECK(a.ret == (long long)strlen(want), "bpf_printk returns the length: %lld",
	      (long long)a.ret);
	CHECK(a.bad == -EINVAL, "a bad format is refused: %lld", (long long)a.bad);
	prctl(PR_GET_NAME, comm);
	CHECK(!strcmp(a.comm, comm), "comm: '%s', expected '%s'", a.comm, comm);
#ifndef KERNEL_BACKEND
	{
		char path[600], line[1024];
		const char *dir = getenv("BPFHOST_DIR");
		FILE *f;
		int found = 0;

		snprintf(path, sizeof(path), "%s/trace_pipe", dir ? dir : ".");
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			found |= strstr(line, "bpf_trace_printk: n=-42 x=beef s=str\n") != NULL;
		if (f)
			fclose(f);
		CHECK(found, "the line in %s", path);
		if (dir && !strcmp(dir, tmpl)) {
			snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
			CHECK(system(path) == 0, "%s", path);
		}
	}
#endif
	bpf_object__close(obj);
	return TEST_DONE();
}
