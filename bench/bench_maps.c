/* Map access from user space: one lookup and one update of a hash map and an
 * array map through bpf(), served by bpfhost in process (bpfhost_sys_bpf) and
 * by the kernel (a syscall each), side by side in one run. Also a map-heavy
 * program (counting into a hash map) run with BPF_PROG_TEST_RUN on both.
 * Timings are the best of several batches: the machine is shared. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../include/bpfhost.h"

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

static int create(bpf_fn bpf, unsigned type, unsigned max)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = max;
	return (int)bpf(BPF_MAP_CREATE, &a, sizeof(a));
}

static long elem(bpf_fn bpf, int cmd, int fd, unsigned *key, unsigned long *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (unsigned)fd;
	a.key = (unsigned long)key;
	a.value = (unsigned long)value;
	return bpf(cmd, &a, sizeof(a));
}

/* ns per operation: best of 5 batches of n */
static double time_op(bpf_fn bpf, int cmd, int fd, unsigned keys, int n)
{
	double best = 1e30;
	unsigned long v = 1;

	for (int b = 0; b < 5; b++) {
		double t0 = now_ns();

		for (int i = 0; i < n; i++) {
			unsigned k = (unsigned)i % keys;

			if (elem(bpf, cmd, fd, &k, &v)) {
				fprintf(stderr, "op %d failed: %s\n", cmd, strerror(errno));
				exit(1);
			}
		}
		double t = (now_ns() - t0) / n;
		if (t < best)
			best = t;
	}
	return best;
}

/* r0 = number of distinct keys seen: for i in 0..255: counts[i % 64] += 1 */
static const struct bpf_insn count_prog[] = {
	{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 6, .imm = 0},
	/* loop: key = r6 & 63 at fp-4 */
	{.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1, .src_reg = 6},
	{.code = BPF_ALU64 | BPF_AND | BPF_K, .dst_reg = 1, .imm = 63},
	{.code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = 10, .src_reg = 1, .off = -4},
	{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD},
	{0},
	{.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10},
	{.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4},
	{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem},
	{.code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 2},
	{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = 1},
	{.code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 0, .src_reg = 1, .imm = BPF_ADD},
	{.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 6, .imm = 1},
	{.code = BPF_JMP | BPF_JLT | BPF_K, .dst_reg = 6, .off = -13, .imm = 256},
	{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	{.code = BPF_JMP | BPF_EXIT},
};

/* mean ns per test run of the counting program over a 64-entry array, or -errno */
static double time_prog(bpf_fn bpf, int reps, unsigned long *total)
{
	struct bpf_insn insns[sizeof(count_prog) / sizeof(count_prog[0])];
	int fd = create(bpf, BPF_MAP_TYPE_ARRAY, 64), pfd;
	union bpf_attr a;
	double t0, t;

	if (fd < 0)
		return -errno;
	memcpy(insns, count_prog, sizeof(insns));
	insns[4].imm = fd;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE; /* the kernel's rule for syscall programs */
	a.insns = (unsigned long)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (unsigned long)"GPL";
	pfd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (pfd < 0)
		return -errno;
	t0 = now_ns();
	for (int i = 0; i < reps; i++) {
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (unsigned)pfd;
		if (bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)))
			return -errno;
	}
	t = (now_ns() - t0) / reps;
	*total = 0;
	for (unsigned k = 0; k < 64; k++) {
		unsigned long v = 0;

		elem(bpf, BPF_MAP_LOOKUP_ELEM, fd, &k, &v);
		*total += v;
	}
	close(pfd);
	close(fd);
	return t;
}

int main(void)
{
	static const struct {
		const char *name;
		unsigned type;
		int cmd;
	} ops[] = {
		{"hash lookup", BPF_MAP_TYPE_HASH, BPF_MAP_LOOKUP_ELEM},
		{"hash update", BPF_MAP_TYPE_HASH, BPF_MAP_UPDATE_ELEM},
		{"array lookup", BPF_MAP_TYPE_ARRAY, BPF_MAP_LOOKUP_ELEM},
		{"array update", BPF_MAP_TYPE_ARRAY, BPF_MAP_UPDATE_ELEM},
	};
	const int n = 200000, reps = 2000;
	double worst = 1e30;
	int kernel_ok = create(kernel_bpf, BPF_MAP_TYPE_ARRAY, 1) >= 0;

	printf("map access from user space, ns per operation (best of 5 x %d)\n", n);
	printf("%-14s %10s %10s %8s\n", "operation", "bpfhost", "kernel", "speedup");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int hfd = create(bpfhost_sys_bpf, ops[i].type, 1024);
		int kfd = kernel_ok ? create(kernel_bpf, ops[i].type, 1024) : -1;
		double th, tk = 0;

		for (unsigned k = 0; k < 1024; k++) { /* fill so lookups hit */
			unsigned long v = k;

			elem(bpfhost_sys_bpf, BPF_MAP_UPDATE_ELEM, hfd, &k, &v);
			if (kfd >= 0)
				elem(kernel_bpf, BPF_MAP_UPDATE_ELEM, kfd, &k, &v);
		}
		th = time_op(bpfhost_sys_bpf, ops[i].cmd, hfd, 1024, n);
		if (kfd >= 0)
			tk = time_op(kernel_bpf, ops[i].cmd, kfd, 1024, n);
		if (kfd >= 0) {
			printf("%-14s %10.1f %10.1f %7.1fx\n", ops[i].name, th, tk, tk / th);
			if (tk / th < worst)
				worst = tk / th;
		} else {
			printf("%-14s %10.1f %10s %8s\n", ops[i].name, th, "n/a", "n/a");
		}
	}
	if (kernel_ok)
		printf("user-space map access: at least %.1fx faster than the kernel's (target "
		       "10x)\n",
		       worst);
	else
		printf("NOTICE: the kernel refused bpf(): no kernel column\n");

	unsigned long th_total = 0, tk_total = 0;
	double ph = time_prog(bpfhost_sys_bpf, reps, &th_total);
	double pk = kernel_ok ? time_prog(kernel_bpf, reps, &tk_total) : -1;

	printf("\nmap-heavy program (256 array lookups + atomic adds per run), ns per test run:\n");
	printf("  bpfhost (checked interpreter) %.0f, kernel %s%.0f%s", ph, pk < 0 ? "(n/a " : "",
	       pk, pk < 0 ? ")" : "");
	if (pk > 0)
		printf(", ratio %.1fx", ph / pk);
	printf("\n  counts after %d runs: bpfhost %lu, kernel %lu (expected %lu)\n", reps, th_total,
	       tk_total, 256ul * reps);
	return 0;
}
