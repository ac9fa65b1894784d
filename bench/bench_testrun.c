/* BPF_PROG_TEST_RUN's fixed cost: a trivial program (r0 = constant; exit) does
 * next to no work, so what is timed is the test-run machinery around it, served
 * by bpfhost in process (bpfhost_sys_bpf, the checked interpreter) and by the
 * kernel (a syscall each, its JIT), side by side in one run. Three numbers:
 * XDP's `duration` with a large repeat (mean ns per run as each backend computes
 * it: context setup and program entry, the call amortised away); the wall clock
 * of one XDP call with repeat 1 (entry, attr and packet copies, buffer setup,
 * copy-out); the same for a SYSCALL program, whose repeat the kernel refuses.
 * Timings are the best of several batches: the machine is shared. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../include/bpfhost.h"

#define BATCHES 5
#define XDP_REPEAT 1000000u /* the kernel takes any u32 repeat for XDP */
#define SYSCALL_REPEAT 1000u
#define CALLS 100000 /* per batch, for the wall-clock numbers */

typedef long (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* r0 = retval; exit: an fd, or -errno */
static int load(bpf_fn bpf, unsigned type, unsigned flags, int retval)
{
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = retval},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.prog_flags = flags;
	a.insns = (unsigned long)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (unsigned long)"GPL";
	fd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	return fd < 0 ? -errno : fd;
}

/* One test run from a fresh copy of req (the backend writes into it): 0 or
 * -errno; a wrong retval is -EPROTO, so a run that did not happen cannot pass. */
static int test_run(bpf_fn bpf, const union bpf_attr *req, unsigned repeat, unsigned retval,
		    unsigned *duration)
{
	union bpf_attr a = *req;

	a.test.repeat = repeat;
	if (bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)))
		return -errno;
	if (a.test.retval != retval)
		return -EPROTO;
	*duration = a.test.duration;
	return 0;
}

/* the smallest `duration` of BATCHES runs of repeat each, or -errno */
static double best_duration(bpf_fn bpf, const union bpf_attr *req, unsigned repeat, unsigned retval)
{
	double best = 1e30;

	for (int b = 0; b < BATCHES; b++) {
		unsigned d = 0;
		int err = test_run(bpf, req, repeat, retval, &d);

		if (err)
			return err;
		if (d < best)
			best = d;
	}
	return best;
}

/* wall-clock ns per call: best of BATCHES batches of CALLS, or -errno */
static double best_call(bpf_fn bpf, const union bpf_attr *req, unsigned repeat, unsigned retval)
{
	double best = 1e30;

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns(), t;
		unsigned d;

		for (int i = 0; i < CALLS; i++) {
			int err = test_run(bpf, req, repeat, retval, &d);

			if (err)
				return err;
		}
		t = (now_ns() - t0) / CALLS;
		if (t < best)
			best = t;
	}
	return best;
}

/* bpfhost must serve every request; the kernel may refuse one (printed as n/a) */
static double must(double v, const char *what)
{
	if (v < 0) {
		fprintf(stderr, "bpfhost: %s failed: %s\n", what, strerror((int)-v));
		exit(1);
	}
	return v;
}

static void report(const char *what, double host, double kern, int kernel_ok)
{
	printf("%s: bpfhost %.1f ns, ", what, host);
	if (!kernel_ok)
		printf("kernel n/a (skipped), ratio n/a\n");
	else if (kern < 0)
		printf("kernel n/a (%s), ratio n/a\n", strerror((int)-kern));
	else if (kern == 0)
		printf("kernel %.1f ns, ratio n/a\n", kern);
	else
		printf("kernel %.1f ns, ratio bpfhost/kernel %.2f\n", kern, host / kern);
}

static const char *repeat_verdict(int err)
{
	if (!err)
		return "takes it";
	return err == -EINVAL ? "refuses it (EINVAL)" : strerror(-err);
}

int main(void)
{
	unsigned char pkt[64] = {
		/* Ethernet: dst, src, IPv4 */
		0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
		/* IPv4: 50 bytes (20 header + 30 UDP), TTL 64, UDP, 10.0.0.1 -> 10.0.0.2 */
		0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0x26, 0xb9, 10, 0, 0, 1, 10, 0, 0, 2,
		/* UDP: 9 -> 9 (discard), 30 bytes, no checksum; zero payload */
		0, 9, 0, 9, 0, 30, 0, 0};
	unsigned long long ctx = 0;
	union bpf_attr xdp, sys;
	int hxdp, hsys, kxdp, ksys = -1, kernel_ok, hrep, krep = 0;
	unsigned d;
	char what[160];

	hxdp = (int)must(load(bpfhost_sys_bpf, BPF_PROG_TYPE_XDP, 0, XDP_PASS), "XDP load");
	/* the kernel's rule: syscall programs are sleepable */
	hsys = (int)must(load(bpfhost_sys_bpf, BPF_PROG_TYPE_SYSCALL, BPF_F_SLEEPABLE, 0),
			 "SYSCALL load");
	kxdp = load(kernel_bpf, BPF_PROG_TYPE_XDP, 0, XDP_PASS);
	kernel_ok = kxdp >= 0;
	if (!kernel_ok)
		printf("NOTICE: the kernel refused to load an XDP program (%s%s): no kernel "
		       "numbers\n",
		       strerror(-kxdp), kxdp == -EPERM ? ", not root?" : "");
	else
		ksys = load(kernel_bpf, BPF_PROG_TYPE_SYSCALL, BPF_F_SLEEPABLE, 0);

	memset(&xdp, 0, sizeof(xdp));
	xdp.test.data_in = (unsigned long)pkt;
	xdp.test.data_size_in = sizeof(pkt);
	memset(&sys, 0, sizeof(sys));
	sys.test.ctx_in = (unsigned long)&ctx;
	sys.test.ctx_size_in = sizeof(ctx);

	printf("BPF_PROG_TEST_RUN fixed cost: bpfhost in process (checked interpreter) next to "
	       "the kernel (syscall, JIT)\n");

	xdp.test.prog_fd = (unsigned)hxdp;
	double hdur = must(best_duration(bpfhost_sys_bpf, &xdp, XDP_REPEAT, XDP_PASS),
			   "XDP test run, repeat");
	double hcall = must(best_call(bpfhost_sys_bpf, &xdp, 1, XDP_PASS), "XDP test run");
	double kdur = -EBADF, kcall = -EBADF;

	if (kernel_ok) {
		xdp.test.prog_fd = (unsigned)kxdp;
		kdur = best_duration(kernel_bpf, &xdp, XDP_REPEAT, XDP_PASS);
		kcall = best_call(kernel_bpf, &xdp, 1, XDP_PASS);
	}
	snprintf(what, sizeof(what),
		 "test-run fixed cost, XDP trivial program, %zu-byte packet, repeat %u (duration, "
		 "mean ns/run, best of %d)",
		 sizeof(pkt), XDP_REPEAT, BATCHES);
	report(what, hdur, kdur, kernel_ok);
	snprintf(what, sizeof(what),
		 "test-run call cost, XDP trivial program, %zu-byte packet, repeat 1 (wall clock, "
		 "ns/call, best of %d x %d)",
		 sizeof(pkt), BATCHES, CALLS);
	report(what, hcall, kcall, kernel_ok);

	/* the kernel's SYSCALL test run has no repeat loop: find out whether it refuses one */
	sys.test.prog_fd = (unsigned)hsys;
	hrep = test_run(bpfhost_sys_bpf, &sys, SYSCALL_REPEAT, 0, &d);
	if (kernel_ok && ksys < 0) {
		printf("NOTICE: the kernel refused to load a SYSCALL program (%s): no kernel "
		       "SYSCALL numbers\n",
		       strerror(-ksys));
	} else if (kernel_ok) {
		sys.test.prog_fd = (unsigned)ksys;
		krep = test_run(kernel_bpf, &sys, SYSCALL_REPEAT, 0, &d);
	}
	printf("test-run repeat %u, SYSCALL program: bpfhost %s, kernel %s\n", SYSCALL_REPEAT,
	       repeat_verdict(hrep), kernel_ok && ksys >= 0 ? repeat_verdict(krep) : "n/a");
	if (!hrep && (!kernel_ok || ksys < 0 || !krep)) {
		double ksdur = -EBADF;

		sys.test.prog_fd = (unsigned)hsys;
		double hsdur = must(best_duration(bpfhost_sys_bpf, &sys, SYSCALL_REPEAT, 0),
				    "SYSCALL test run, repeat");
		if (kernel_ok && ksys >= 0) {
			sys.test.prog_fd = (unsigned)ksys;
			ksdur = best_duration(kernel_bpf, &sys, SYSCALL_REPEAT, 0);
		}
		snprintf(what, sizeof(what),
			 "test-run fixed cost, SYSCALL trivial program, %zu-byte ctx_in, repeat %u "
			 "(duration, mean ns/run, best of %d)",
			 sizeof(ctx), SYSCALL_REPEAT, BATCHES);
		report(what, hsdur, ksdur, kernel_ok && ksys >= 0);
	} else {
		printf("  so no duration for SYSCALL: wall clock per call only\n");
	}

	sys.test.prog_fd = (unsigned)hsys;
	double hscall = must(best_call(bpfhost_sys_bpf, &sys, 0, 0), "SYSCALL test run");
	double kscall = -EBADF;

	if (kernel_ok && ksys >= 0) {
		sys.test.prog_fd = (unsigned)ksys;
		kscall = best_call(kernel_bpf, &sys, 0, 0);
	}
	snprintf(what, sizeof(what),
		 "test-run call cost, SYSCALL trivial program, %zu-byte ctx_in, no data, repeat 0 "
		 "(wall clock, ns/call, best of %d x %d)",
		 sizeof(ctx), BATCHES, CALLS);
	report(what, hscall, kscall, kernel_ok && ksys >= 0);

	bpfhost_fd_closed(hxdp);
	close(hxdp);
	bpfhost_fd_closed(hsys);
	close(hsys);
	if (kxdp >= 0)
		close(kxdp);
	if (ksys >= 0)
		close(ksys);
	return 0;
}
