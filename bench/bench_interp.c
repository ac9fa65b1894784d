/* Interpreter benchmark: ns per BPF instruction of the fast and checked
 * interpreters on compute-heavy programs, side by side with the same
 * computation compiled natively (gcc -O2) and, where this machine lets us, the
 * same program JIT-compiled by the running kernel (BPF_PROG_TEST_RUN, XDP).
 * Each program's result is compared across all three before any time is
 * printed. Timings are the best of several batches: the machine is shared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../src/helpers/testenv.h"
#include "../src/isa/isa.h"
#include "../src/util/log.h"
#include "../src/vm/vm.h"

/* uBPF's interpreter on these machines, from the project's LANDSCAPE notes:
 * a published reference figure, not measured here. */
#define UBPF_NS_PER_INSN 4.5

struct bench {
	const char *name;
	const char *text;
	uint64_t (*native)(uint64_t n);
	uint64_t n; /* passed as r1 to the program and to native() */
};

static volatile uint64_t sink;

/* ---- programs and their native twins ---- */

static const char alu_text[] = "r0 = 0\n"
			       "r2 = 0\n"
			       "loop:\n"
			       "r3 = r2\n"
			       "r3 *= 0x9e3779b1\n"
			       "r3 ^= r0\n"
			       "r3 >>= 3\n"
			       "r0 += r3\n"
			       "r2 += 1\n"
			       "if r2 < r1 goto loop\n"
			       "exit\n";

static __attribute__((noinline)) uint64_t alu_native(uint64_t n)
{
	uint64_t r0 = 0, r2 = 0, r3;

	do {
		r3 = r2 * (uint64_t)(int64_t)(int32_t)0x9e3779b1; /* imm is sign-extended */
		r3 ^= r0;
		r3 >>= 3;
		r0 += r3;
		r2++;
	} while (r2 < n);
	return r0;
}

/* fills 256 bytes of stack, then an FNV-1a hash over them */
static const char fnv_text[] = "r2 = r10\n"
			       "r2 += -256\n"
			       "r3 = 0\n"
			       "fill:\n"
			       "r4 = r3\n"
			       "r4 *= 7\n"
			       "*(u8 *)(r2 +0) = r4\n"
			       "r2 += 1\n"
			       "r3 += 1\n"
			       "if r3 < 256 goto fill\n"
			       "r0 = 0xcbf29ce484222325 ll\n"
			       "r5 = 0x100000001b3 ll\n"
			       "r6 = 0\n"
			       "round:\n"
			       "r2 = r10\n"
			       "r2 += -256\n"
			       "r3 = 0\n"
			       "hash:\n"
			       "r4 = *(u8 *)(r2 +0)\n"
			       "r0 ^= r4\n"
			       "r0 *= r5\n"
			       "r2 += 1\n"
			       "r3 += 1\n"
			       "if r3 < 256 goto hash\n"
			       "r6 += 1\n"
			       "if r6 < r1 goto round\n"
			       "exit\n";

static __attribute__((noinline)) uint64_t fnv_native(uint64_t n)
{
	uint8_t buf[256];
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned i = 0; i < 256; i++)
		buf[i] = (uint8_t)(i * 7);
	sink = buf[3];
	for (uint64_t r = 0; r < n; r++)
		for (unsigned i = 0; i < 256; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ull;
		}
	return h;
}

/* sum of Collatz path lengths for 1..n: data-dependent branches, a division */
static const char collatz_text[] = "r0 = 0\n"
				   "r2 = 1\n"
				   "outer:\n"
				   "r3 = r2\n"
				   "inner:\n"
				   "if r3 == 1 goto next\n"
				   "r0 += 1\n"
				   "r4 = r3\n"
				   "r4 &= 1\n"
				   "if r4 != 0 goto odd\n"
				   "r3 /= 2\n"
				   "goto inner\n"
				   "odd:\n"
				   "r3 *= 3\n"
				   "r3 += 1\n"
				   "goto inner\n"
				   "next:\n"
				   "r2 += 1\n"
				   "if r2 <= r1 goto outer\n"
				   "exit\n";

static __attribute__((noinline)) uint64_t collatz_native(uint64_t n)
{
	uint64_t steps = 0;

	for (uint64_t i = 1; i <= n; i++)
		for (uint64_t x = i; x != 1; steps++)
			x = (x & 1) ? x * 3 + 1 : x / 2;
	return steps;
}

static const struct bench benches[] = {
	{"alu loop", alu_text, alu_native, 5000},
	{"stack fnv-1a", fnv_text, fnv_native, 8},
	{"collatz", collatz_text, collatz_native, 300},
};

/* ---- timing ---- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double time_vm(const struct vm_prog *prog, uint64_t n, int checked, int reps, uint64_t *r0)
{
	struct vm_run *run = malloc(sizeof(*run));
	double best = 1e30;

	for (int batch = 0; batch < 5; batch++) {
		double t0 = now_ns();

		for (int i = 0; i < reps; i++) {
			vm_run_init(run, prog);
			run->args[0] = n;
			if (checked)
				vm_exec_checked(run);
			else
				vm_exec_fast(run);
		}
		double t = (now_ns() - t0) / reps;
		if (t < best)
			best = t;
	}
	*r0 = run->r0;
	free(run);
	return best;
}

static double time_native(const struct bench *b, int reps, uint64_t *r0)
{
	double best = 1e30;

	for (int batch = 0; batch < 5; batch++) {
		double t0 = now_ns();

		for (int i = 0; i < reps; i++)
			*r0 = b->native(b->n + (sink & 0));
		double t = (now_ns() - t0) / reps;
		if (t < best)
			best = t;
	}
	return best;
}

/* The kernel's JIT: the program loaded as XDP with r1 = n prepended (the
 * context pointer is not used), run with BPF_PROG_TEST_RUN's repeat. Returns
 * the mean ns per run, or a negative errno (the kernel refused). */
static double time_kernel(const struct bpf_insn *insns, size_t cnt, uint64_t n, int reps,
			  uint32_t *retval, char *why, size_t why_len)
{
	struct bpf_insn *p = calloc(cnt + 2, sizeof(*p));
	static char log[1 << 22];
	union bpf_attr attr;
	uint8_t data[64] = {0};
	double best = 1e30;
	int fd, first_err;

	if (!p)
		return -ENOMEM;
	p[0] = (struct bpf_insn){
		.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .imm = (int32_t)(uint32_t)n};
	p[1] = (struct bpf_insn){.imm = (int32_t)(uint32_t)(n >> 32)};
	memcpy(p + 2, insns, cnt * sizeof(*p));
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uint64_t)(uintptr_t)p;
	attr.insn_cnt = (uint32_t)(cnt + 2);
	attr.license = (uint64_t)(uintptr_t) "GPL";
	log[0] = '\0';
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	first_err = errno;
	if (fd < 0 && errno != EPERM) { /* again, for the verifier's reason */
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	}
	free(p);
	if (fd < 0) {
		int err = first_err;
		char *last = strrchr(log, '\n');

		/* the error is the line before the stats line at the end */
		for (int k = 0; k < 3 && last && last > log; k++) {
			*last = '\0';
			last = strrchr(log, '\n');
		}
		if (getenv("BENCH_KERNEL_LOG"))
			fputs(log, stderr);
		snprintf(why, why_len, "%s%s%s", strerror(err), last ? ": " : "",
			 last ? last + 1 : "");
		return -err;
	}
	for (int batch = 0; batch < 5; batch++) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = (uint32_t)fd;
		attr.test.data_in = (uint64_t)(uintptr_t)data;
		attr.test.data_size_in = sizeof(data);
		attr.test.repeat = (uint32_t)reps;
		if (syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, sizeof(attr))) {
			snprintf(why, why_len, "test run: %s", strerror(errno));
			close(fd);
			return -errno;
		}
		if (attr.test.duration < best)
			best = attr.test.duration;
		*retval = attr.test.retval;
	}
	close(fd);
	return best;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 200;
	int bad = 0;
	double worst_speedup = 1e30;

	printf("bpfhost interpreter benchmark (best of 5 batches of %d runs each)\n\n", reps);
	printf("%-13s %8s | %8s %8s | %9s %9s | %10s %10s | %s\n", "program", "insns", "fast",
	       "checked", "native", "fast/nat", "kernel JIT", "fast/kern", "vs uBPF interp");
	printf("%-13s %8s | %8s %8s | %9s %9s | %10s %10s | %s\n", "", "per run", "ns/insn",
	       "ns/insn", "ns/run", "ratio", "ns/run", "ratio", "(4.5 ns/insn)");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		struct bpf_insn *insns;
		struct vm_prog *prog;
		struct vm_run *run = malloc(sizeof(*run));
		uint64_t r_fast, r_checked, r_native = 0, insns_per_run;
		uint32_t r_kernel = 0;
		double t_fast, t_checked, t_native, t_kernel;
		char why[256] = "", kern[32], kratio[32];
		size_t cnt;

		if (isa_asm(b->text, &insns, &cnt, NULL) ||
		    vm_prog_create(insns, cnt, NULL, &prog)) {
			printf("%s: does not assemble\n", b->name);
			return 1;
		}
		vm_run_init(run, prog);
		run->args[0] = b->n;
		vm_exec_checked(run);
		insns_per_run = run->insn_executed;
		free(run);
		t_fast = time_vm(prog, b->n, 0, reps, &r_fast);
		t_checked = time_vm(prog, b->n, 1, reps, &r_checked);
		t_native = time_native(b, reps, &r_native);
		t_kernel = time_kernel(insns, cnt, b->n, reps, &r_kernel, why, sizeof(why));
		if (r_fast != r_native || r_checked != r_native ||
		    (t_kernel >= 0 && r_kernel != (uint32_t)r_native)) {
			printf("%s: results differ: fast %" PRIx64 " checked %" PRIx64
			       " native %" PRIx64 " kernel %x\n",
			       b->name, r_fast, r_checked, r_native, r_kernel);
			bad = 1;
		}
		if (t_kernel >= 0) {
			snprintf(kern, sizeof(kern), "%.0f", t_kernel);
			snprintf(kratio, sizeof(kratio), "%.1fx", t_fast / t_kernel);
		} else {
			snprintf(kern, sizeof(kern), "n/a");
			snprintf(kratio, sizeof(kratio), "n/a");
		}
		double per_insn = t_fast / (double)insns_per_run;
		printf("%-13s %8" PRIu64
		       " | %8.3f %8.3f | %9.0f %8.1fx | %10s %10s | %.1fx faster\n",
		       b->name, insns_per_run, per_insn, t_checked / (double)insns_per_run,
		       t_native, t_fast / t_native, kern, kratio, UBPF_NS_PER_INSN / per_insn);
		if (t_kernel < 0)
			printf("%13s kernel: %s\n", "", why);
		if (UBPF_NS_PER_INSN / per_insn < worst_speedup)
			worst_speedup = UBPF_NS_PER_INSN / per_insn;
		vm_prog_free(prog);
		free(insns);
	}
	printf("\nfast interpreter vs uBPF's interpreter (4.5 ns/insn): at least %.1fx faster "
	       "(target: 1.5x)\n",
	       worst_speedup);
	return bad;
}
