/* An unsafe program (tests/bpf/fault.bpf.c reads past the packet's end
 * without a bounds check). The kernel (-DKERNEL_BACKEND) refuses it at load
 * with its verifier's words. bpfhost, which has no verifier yet, loads it
 * and its checked interpreter confines it: BPF_PROG_TEST_RUN fails with
 * EFAULT on a frame too short for the read, leaves the output alone, and
 * runs it to completion on a frame long enough (tests/run_pcap.sh checks
 * that `bpfhost run` names the instruction and the source line).
 * Usage: test_fault OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"

static char log_buf[65536];

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: test_fault OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	CHECK(obj != NULL, "open %s: %s", argv[1], strerror(errno));
	if (!obj)
		return TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "read_past_end");
	CHECK(prog != NULL, "program read_past_end");
	if (!prog)
		return TEST_DONE();
	bpf_program__set_log_buf(prog, log_buf, sizeof(log_buf));
	err = bpf_object__load(obj);
#ifdef KERNEL_BACKEND
	if (err == -EPERM) {
		printf("NOTICE: the kernel refused to load (%s): skipped\n", strerror(-err));
	} else {
		CHECK(err == -EACCES, "the kernel loads an unsafe program: %d", err);
		CHECK(strstr(log_buf, "invalid access to packet"), "the kernel's log: %s", log_buf);
	}
#else
	CHECK(err == 0, "load: %d", err);
	if (!err) {
		unsigned char frame[1100] = {0}, out[1100];
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = 64,
			    .data_out = out, .data_size_out = sizeof(out));

		memset(out, 0xee, sizeof(out));
		err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
		CHECK(err == -EFAULT, "a 64-byte frame: %d, not -EFAULT", err);
		CHECK(out[0] == 0xee && out[63] == 0xee, "the output written after a fault");
		frame[1000] = 0x42;
		o.data_size_in = sizeof(frame);
		o.data_size_out = sizeof(out);
		err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
		CHECK(err == 0 && o.retval == XDP_DROP, "a 1100-byte frame: %d, retval %u", err,
		      o.retval);
	}
#endif
	bpf_object__close(obj);
	return TEST_DONE();
}
