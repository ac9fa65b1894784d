/* Cost per hit of a function probe: what an application hook or a user-space
 * function probe pays each time it fires. bpfhost runs a KPROBE program on a
 * struct pt_regs the caller fills (bpfhost_prog_run, in process, the checked
 * interpreter); the kernel runs the same program, loaded into it and attached
 * as a uprobe to a function of this binary (a trap into the kernel, its JIT);
 * a plain C function does the same work natively. Two programs: a trivial one
 * (r0 = 0; exit) and a tracing one (two arguments, bpf_get_current_pid_tgid,
 * atomic adds into a hash map value keyed by tgid and the first argument).
 * Every hit is counted and checked before any time is printed. Timings are the
 * best of several batches: the machine is shared. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <asm/ptrace.h>

#include "../include/bpfhost.h"
#include "../src/isa/isa.h"

#define BATCHES 5
#define HITS 100000	  /* per batch */
#define STATS_HITS 1000	  /* the kernel's run count check of the trivial program */
#define PROBE_ARG1 3	  /* the probed function's first argument, like a file descriptor */
#define LEN(i) ((i)&1023) /* its second, like a byte count */
#define MAP_ENTRIES 64

typedef long (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

/* the map value both programs and the native twin update */
struct hit_val {
	uint64_t calls;
	uint64_t bytes;
};

/* The probed function, in assembly so that the kernel's probe always lands
 * on the same instruction: the frame-pointer prologue (push %rbp) that
 * compilers emit and that x86 uprobes emulate instead of single-stepping.
 * Global but hidden, so that calls to it are direct. */
__asm__(".pushsection .text\n"
	".globl bench_probed\n"
	".hidden bench_probed\n"
	".type bench_probed, @function\n"
	"bench_probed:\n"
	"	push %rbp\n"
	"	mov %rsp, %rbp\n"
	"	pop %rbp\n"
	"	ret\n"
	".size bench_probed, .-bench_probed\n"
	".popsection\n");
void bench_probed(unsigned long arg1, unsigned long len);

static const char trivial_text[] = "r0 = 0\n"
				   "exit\n";

/* key = tgid << 32 | (u32)arg1; value.calls += 1, value.bytes += arg2, both
 * atomic; a missing key is inserted with the first hit. printf arguments: the
 * offsets of di and si in pt_regs, the helper ids, the map fd, BPF_NOEXIST. */
static const char tracing_fmt[] = "r6 = r1\n"
				  "r7 = *(u64 *)(r6 +%zu)\n"
				  "r8 = *(u64 *)(r6 +%zu)\n"
				  "call bpf_get_current_pid_tgid#%d\n"
				  "r0 >>= 32\n"
				  "r0 <<= 32\n"
				  "w7 = w7\n"
				  "r0 |= r7\n"
				  "*(u64 *)(r10 -8) = r0\n"
				  "r1 = map_fd(%d) ll\n"
				  "r2 = r10\n"
				  "r2 += -8\n"
				  "call bpf_map_lookup_elem#%d\n"
				  "if r0 == 0 goto miss\n"
				  "r1 = 1\n"
				  "lock *(u64 *)(r0 +0) += r1\n"
				  "lock *(u64 *)(r0 +8) += r8\n"
				  "goto out\n"
				  "miss:\n"
				  "*(u64 *)(r10 -24) = 1\n"
				  "*(u64 *)(r10 -16) = r8\n"
				  "r1 = map_fd(%d) ll\n"
				  "r2 = r10\n"
				  "r2 += -8\n"
				  "r3 = r10\n"
				  "r3 += -24\n"
				  "r4 = %d\n"
				  "call bpf_map_update_elem#%d\n"
				  "out:\n"
				  "r0 = 0\n"
				  "exit\n";

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

__attribute__((format(printf, 1, 2), noreturn)) static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench_hook: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- the native twin: the same work as the tracing program, in C ---- */

static struct {
	uint64_t key;
	struct hit_val val;
	int used;
} native_table[MAP_ENTRIES];

/* what a C hook would do: ask for the pid once, not on every hit */
static uint64_t native_pid_tgid;

__attribute__((noinline)) static uint64_t native_trivial(const struct pt_regs *regs)
{
	__asm__ volatile("" : : "r"(regs) : "memory"); /* not const: the call stays */
	return 0;
}

/* open addressing, linear probing: a small hash map keyed by u64 */
__attribute__((noinline)) static void native_hit(uint64_t arg1, uint64_t len)
{
	uint64_t key = (native_pid_tgid >> 32 << 32) | (uint32_t)arg1;
	unsigned h = (unsigned)((key * 0x9e3779b97f4a7c15ull) >> 58);

	for (unsigned n = 0; n < MAP_ENTRIES; n++, h = (h + 1) % MAP_ENTRIES) {
		if (native_table[h].used && native_table[h].key == key) {
			__atomic_fetch_add(&native_table[h].val.calls, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&native_table[h].val.bytes, len, __ATOMIC_RELAXED);
			return;
		}
		if (!native_table[h].used) {
			native_table[h].key = key;
			native_table[h].val = (struct hit_val){1, len};
			native_table[h].used = 1;
			return;
		}
	}
}

/* ns per call: best of BATCHES batches of HITS; *bytes gets every len passed */
static double time_native(int tracing, uint64_t *bytes)
{
	struct pt_regs regs;
	double best = 1e30;

	memset(&regs, 0, sizeof(regs));
	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns(), t;
		uint64_t sum = 0;

		for (int i = 0; i < HITS; i++) {
			if (tracing)
				native_hit(PROBE_ARG1, LEN(i));
			else if (native_trivial(&regs))
				fail("native trivial returned nonzero");
			sum += LEN(i);
		}
		t = (now_ns() - t0) / HITS;
		if (t < best)
			best = t;
		*bytes += sum;
	}
	return best;
}

/* ---- programs and maps on either side ---- */

/* an fd, or -errno (with the verifier's log, if any, in log) */
static int load(bpf_fn bpf, const struct bpf_insn *insns, size_t insn_cnt, char *log,
		size_t log_len)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_KPROBE;
	a.insns = (unsigned long)insns;
	a.insn_cnt = (unsigned)insn_cnt;
	a.license = (unsigned long)"GPL";
	if (log) {
		log[0] = '\0';
		a.log_buf = (unsigned long)log;
		a.log_size = (unsigned)log_len;
		a.log_level = 1;
	}
	fd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0 && log && errno == ENOSPC) {
		/* the log did not fit: the load itself may have been fine */
		a.log_buf = 0, a.log_size = 0, a.log_level = 0;
		fd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	}
	return fd < 0 ? -errno : fd;
}

/* the tracing program for map_fd, assembled; exits on failure (our bug) */
static struct bpf_insn *tracing_insns(int map_fd, size_t *insn_cnt)
{
	char text[sizeof(tracing_fmt) + 128];
	struct bpf_insn *insns;

	snprintf(text, sizeof(text), tracing_fmt, offsetof(struct pt_regs, rdi),
		 offsetof(struct pt_regs, rsi), BPF_FUNC_get_current_pid_tgid, map_fd,
		 BPF_FUNC_map_lookup_elem, map_fd, BPF_NOEXIST, BPF_FUNC_map_update_elem);
	if (isa_asm(text, &insns, insn_cnt, NULL))
		fail("the tracing program does not assemble");
	return insns;
}

static int map_create(bpf_fn bpf)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = sizeof(uint64_t);
	a.value_size = sizeof(struct hit_val);
	a.max_entries = MAP_ENTRIES;
	fd = (int)bpf(BPF_MAP_CREATE, &a, sizeof(a));
	return fd < 0 ? -errno : fd;
}

/* The map must hold exactly one entry, for PROBE_ARG1 (and tgid, where the
 * caller knows the tgid the backend sees: the kernel's is the initial pid
 * namespace's), with calls hits and bytes bytes; the entry is deleted after.
 * A wrong count exits: the times would be for runs that did not happen. */
static void check_map(bpf_fn bpf, int map_fd, const char *who, uint64_t tgid, uint64_t hits,
		      uint64_t bytes)
{
	uint64_t key = 0, next, extra;
	struct hit_val v = {0, 0};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (unsigned)map_fd;
	a.key = 0;
	a.next_key = (unsigned long)&key;
	if (bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a)))
		fail("%s: the tracing program's map is empty (%s)", who, strerror(errno));
	a.key = (unsigned long)&key;
	a.next_key = (unsigned long)&extra;
	if (!bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a)))
		fail("%s: the tracing program's map has more than one entry", who);
	a.next_key = 0;
	a.value = (unsigned long)&v;
	if (bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a)))
		fail("%s: map lookup failed: %s", who, strerror(errno));
	next = (tgid ? tgid << 32 : key >> 32 << 32) | PROBE_ARG1;
	if (key != next || v.calls != hits || v.bytes != bytes)
		fail("%s: wrong count in the tracing program's map: key 0x%" PRIx64
		     " calls %" PRIu64 " bytes %" PRIu64 ", expected key 0x%" PRIx64
		     " calls %" PRIu64 " bytes %" PRIu64,
		     who, key, v.calls, v.bytes, next, hits, bytes);
	memset(&a, 0, sizeof(a));
	a.map_fd = (unsigned)map_fd;
	a.key = (unsigned long)&key;
	if (bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a)))
		fail("%s: map delete failed: %s", who, strerror(errno));
}

/* ---- bpfhost: bpfhost_prog_run on a pt_regs, as a hook would ---- */

static double time_bpfhost(int prog_fd, uint64_t *bytes)
{
	struct pt_regs regs;
	double best = 1e30;
	char err[256];

	memset(&regs, 0, sizeof(regs));
	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns(), t;
		uint64_t sum = 0;

		for (int i = 0; i < HITS; i++) {
			unsigned long long ret = 1;
			int e;

			regs.rdi = PROBE_ARG1;
			regs.rsi = LEN(i);
			e = bpfhost_prog_run(prog_fd, &regs, sizeof(regs), &ret, err, sizeof(err));
			if (e)
				fail("bpfhost_prog_run failed: %s: %s", strerror(-e), err);
			if (ret)
				fail("bpfhost_prog_run returned %llu, not 0", ret);
			sum += LEN(i);
		}
		t = (now_ns() - t0) / HITS;
		if (t < best)
			best = t;
		*bytes += sum;
	}
	return best;
}

/* ---- the kernel: a uprobe on bench_probed ---- */

__attribute__((noinline)) static uint64_t call_probed(int n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n; i++) {
		bench_probed(PROBE_ARG1, LEN(i));
		sum += LEN(i);
	}
	return sum;
}

/* ns per call of bench_probed: best of BATCHES batches of HITS */
static double time_calls(uint64_t *bytes)
{
	double best = 1e30;

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns(), t;

		*bytes += call_probed(HITS);
		t = (now_ns() - t0) / HITS;
		if (t < best)
			best = t;
	}
	return best;
}

struct uprobe_site {
	int pmu_type;	     /* /sys/bus/event_source/devices/uprobe/type */
	char path[PATH_MAX]; /* this binary */
	uint64_t offset;     /* bench_probed's offset in it */
};

/* 0, or -errno with why set: the uprobe PMU, this binary and where
 * bench_probed lies in it (its address in the mapping of the binary that
 * holds it, translated to that mapping's file offset) */
static int site_find(struct uprobe_site *s, const char **why)
{
	uintptr_t addr = (uintptr_t)&bench_probed;
	char line[PATH_MAX + 128];
	int found = 0;
	FILE *f;

	f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	if (!f) {
		*why = "no uprobe PMU (/sys/bus/event_source/devices/uprobe/type)";
		return -ENOENT;
	}
	if (fscanf(f, "%d", &s->pmu_type) != 1)
		s->pmu_type = -1;
	fclose(f);
	if (s->pmu_type < 0) {
		*why = "unreadable /sys/bus/event_source/devices/uprobe/type";
		return -EINVAL;
	}
	if (!realpath("/proc/self/exe", s->path)) {
		*why = "cannot resolve /proc/self/exe";
		return -errno;
	}
	f = fopen("/proc/self/maps", "r");
	if (!f) {
		*why = "cannot read /proc/self/maps";
		return -errno;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off;

		if (sscanf(line, "%lx-%lx %*s %lx", &lo, &hi, &off) == 3 && lo <= addr &&
		    addr < hi) {
			s->offset = addr - lo + off;
			found = 1;
		}
	}
	fclose(f);
	if (!found) {
		*why = "bench_probed is in no mapping of /proc/self/maps";
		return -ENOENT;
	}
	return 0;
}

/* a perf event fd with prog_fd attached and enabled, or -errno (what says which step) */
static int uprobe_attach(const struct uprobe_site *s, int prog_fd, const char **what)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (unsigned)s->pmu_type;
	attr.config1 = (unsigned long)s->path; /* uprobe_path */
	attr.config2 = s->offset;	       /* probe_offset */
	attr.disabled = 1;
	/* this process only, any CPU */
	fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		*what = "perf_event_open (uprobe)";
		return -errno;
	}
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd)) {
		int e = -errno;

		*what = "PERF_EVENT_IOC_SET_BPF";
		close(fd);
		return e;
	}
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		int e = -errno;

		*what = "PERF_EVENT_IOC_ENABLE";
		close(fd);
		return e;
	}
	return fd;
}

static int run_cnt(int prog_fd, uint64_t *cnt)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (unsigned)prog_fd;
	a.info.info_len = sizeof(info);
	a.info.info = (unsigned long)&info;
	if (kernel_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)))
		return -errno;
	*cnt = info.run_cnt;
	return 0;
}

/* The trivial program leaves no trace: count its runs over STATS_HITS more
 * calls, untimed, with the kernel's run statistics on. 0, or -errno if the
 * kernel will not count (exits if it counts wrong). */
static int check_kernel_runs(int prog_fd)
{
	uint64_t before, after;
	union bpf_attr a;
	int stats, e;

	memset(&a, 0, sizeof(a));
	a.enable_stats.type = BPF_STATS_RUN_TIME;
	stats = (int)kernel_bpf(BPF_ENABLE_STATS, &a, sizeof(a));
	if (stats < 0)
		return -errno;
	e = run_cnt(prog_fd, &before);
	if (!e) {
		call_probed(STATS_HITS);
		e = run_cnt(prog_fd, &after);
	}
	close(stats);
	if (e)
		return e;
	if (after - before != STATS_HITS)
		fail("kernel: the trivial program ran %" PRIu64 " times for %d calls of the probed "
		     "function",
		     after - before, STATS_HITS);
	return 0;
}

/* Kernel ns per hit of prog_fd attached to bench_probed, minus base (the
 * unprobed call); -errno (with a notice) where the kernel refuses. For the
 * tracing program map_fd >= 0, checked after; else the run count. */
static double time_kernel(const struct uprobe_site *s, int prog_fd, int map_fd, double base,
			  const char *name)
{
	const char *what = "";
	uint64_t bytes;
	double t;
	int fd, e;

	fd = uprobe_attach(s, prog_fd, &what);
	if (fd < 0) {
		printf("NOTICE: the kernel refused to attach the %s program: %s: %s%s\n", name,
		       what, strerror(-fd), fd == -EPERM || fd == -EACCES ? " (not root?)" : "");
		return fd;
	}
	bytes = call_probed(1); /* the first hit maps the kernel's out-of-line area */
	t = time_calls(&bytes) - base;
	if (map_fd >= 0) {
		check_map(kernel_bpf, map_fd, "kernel", 0, 1 + (uint64_t)BATCHES * HITS, bytes);
	} else {
		e = check_kernel_runs(prog_fd);
		if (e)
			printf("NOTICE: the kernel does not count runs (BPF_ENABLE_STATS: %s): "
			       "the trivial program's hits are unchecked\n",
			       strerror(-e));
	}
	close(fd);
	return t;
}

static void report(const char *what, double host, double kern, double native)
{
	printf("%s: bpfhost %.1f ns, ", what, host);
	if (kern < 0)
		printf("kernel n/a (skipped), ");
	else
		printf("kernel %.1f ns, ", kern);
	printf("native %.1f ns; ratio bpfhost/kernel ", native);
	if (kern > 0)
		printf("%.2f", host / kern);
	else
		printf("n/a");
	printf(", bpfhost/native %.1f\n", host / native);
}

int main(void)
{
	struct bpf_insn *trivial, *htracing, *ktracing = NULL;
	size_t trivial_cnt, tracing_cnt;
	struct uprobe_site site;
	const char *why = "";
	int hmap, htriv, htrace, kmap = -1, ktriv = -1, ktrace = -1, kernel_ok;
	double base = 0, ktriv_ns = -1, ktrace_ns = -1;
	uint64_t bytes, tgid = (uint64_t)getpid();
	char log[4096], what[192];

	if (isa_asm(trivial_text, &trivial, &trivial_cnt, NULL))
		fail("the trivial program does not assemble");
	native_pid_tgid = tgid << 32 | (uint32_t)gettid();

	/* bpfhost */
	hmap = map_create(bpfhost_sys_bpf);
	if (hmap < 0)
		fail("bpfhost: map create failed: %s", strerror(-hmap));
	htracing = tracing_insns(hmap, &tracing_cnt);
	htriv = load(bpfhost_sys_bpf, trivial, trivial_cnt, NULL, 0);
	htrace = load(bpfhost_sys_bpf, htracing, tracing_cnt, NULL, 0);
	if (htriv < 0 || htrace < 0)
		fail("bpfhost: program load failed: %s", strerror(-(htriv < 0 ? htriv : htrace)));

	/* the kernel: any refusal is a notice, and no kernel numbers */
	kernel_ok = !site_find(&site, &why);
	if (!kernel_ok) {
		printf("NOTICE: no kernel numbers: %s\n", why);
	} else if ((kmap = map_create(kernel_bpf)) < 0) {
		printf("NOTICE: no kernel numbers: the kernel refused a hash map (%s%s)\n",
		       strerror(-kmap), kmap == -EPERM ? ", not root?" : "");
		kernel_ok = 0;
	} else {
		ktracing = tracing_insns(kmap, &tracing_cnt);
		ktriv = load(kernel_bpf, trivial, trivial_cnt, NULL, 0);
		ktrace = load(kernel_bpf, ktracing, tracing_cnt, log, sizeof(log));
		if (ktriv < 0 || ktrace < 0) {
			printf("NOTICE: no kernel numbers: the kernel refused to load a KPROBE "
			       "program (%s%s)\n%s",
			       strerror(-(ktriv < 0 ? ktriv : ktrace)),
			       ktriv == -EPERM || ktrace == -EPERM ? ", not root?" : "",
			       ktriv < 0 ? "" : log);
			kernel_ok = 0;
		}
	}

	printf("Cost per hit of a function probe: bpfhost_prog_run on a pt_regs (in process, "
	       "checked interpreter) next to the kernel (uprobe on a function of this binary, "
	       "JIT) and a plain C call\n");

	bytes = 0;
	double htriv_ns = time_bpfhost(htriv, &bytes);
	bytes = 0;
	double htrace_ns = time_bpfhost(htrace, &bytes);
	check_map(bpfhost_sys_bpf, hmap, "bpfhost", tgid, (uint64_t)BATCHES * HITS, bytes);

	bytes = 0;
	double ntriv_ns = time_native(0, &bytes);
	bytes = 0;
	double ntrace_ns = time_native(1, &bytes);
	for (int i = 0, used = 0; i < MAP_ENTRIES; i++) {
		if (native_table[i].used &&
		    (++used > 1 || native_table[i].val.calls != (uint64_t)BATCHES * HITS ||
		     native_table[i].val.bytes != bytes))
			fail("native: wrong count");
		if (i == MAP_ENTRIES - 1 && !used)
			fail("native: no count");
	}

	if (kernel_ok) {
		FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");

		if (f && fgetc(f) == '1')
			printf("NOTICE: kernel.bpf_stats_enabled is on: the kernel's times include "
			       "its run-time accounting\n");
		if (f)
			fclose(f);
		bytes = 0;
		base = time_calls(&bytes);
		ktriv_ns = time_kernel(&site, ktriv, -1, base, "trivial");
		ktrace_ns = time_kernel(&site, ktrace, kmap, base, "tracing");
		printf("kernel: uprobe at %s+0x%" PRIx64 " (bench_probed, first instruction push "
		       "%%rbp); the unprobed call, %.1f ns, is subtracted\n",
		       site.path, site.offset, base);
	}

	snprintf(what, sizeof(what), "trivial program (r0 = 0; exit), ns/hit (best of %d x %d)",
		 BATCHES, HITS);
	report(what, htriv_ns, ktriv_ns, ntriv_ns);
	snprintf(what, sizeof(what),
		 "tracing program (di, si, pid_tgid, hash map atomic adds), ns/hit (best of %d x "
		 "%d)",
		 BATCHES, HITS);
	report(what, htrace_ns, ktrace_ns, ntrace_ns);

	free(trivial);
	free(htracing);
	free(ktracing);
	bpfhost_fd_closed(htriv);
	close(htriv);
	bpfhost_fd_closed(htrace);
	close(htrace);
	bpfhost_fd_closed(hmap);
	close(hmap);
	if (ktriv >= 0)
		close(ktriv);
	if (ktrace >= 0)
		close(ktrace);
	if (kmap >= 0)
		close(kmap);
	return 0;
}
