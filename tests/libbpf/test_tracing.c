/* The tracing programs of tests/bpf/tracing.bpf.c loaded by Debian's libbpf
 * and fired: against the kernel (-DKERNEL_BACKEND) by attaching them for
 * real, a uprobe and a uretprobe on tracing_target() of this binary called
 * with known arguments, the sys_enter_write tracepoint hit by write(-1, ...),
 * a perf_event program on a cpu-clock event of this thread; against bpfhost
 * by running the same programs with bpfhost_prog_run on contexts built as
 * the kernel builds them (pt_regs, the tracepoint's record, struct
 * bpf_perf_event_data). What the programs recorded is checked against the
 * same expectations on both, values the kernel gave (Linux 6.18). Then what
 * both refuse: BPF_PROG_TEST_RUN of these types (ENOTSUPP), the helpers a
 * type may not call; the context accesses the kernel's verifier refuses
 * (bpfhost has no verifier: it loads them, and faults at run on a write or
 * a read outside the context); on bpfhost the contexts bpfhost_prog_run
 * does not take. Where the kernel refuses for want of privilege or support,
 * a notice says what was skipped. Kernel behaviour bpfhost does not have
 * yet is printed and counted on bpfhost (GAP_CHECK).
 * Usage: test_tracing OBJ */
#include <asm/ptrace.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"
#ifndef KERNEL_BACKEND
#include "bpfhost.h"
#endif

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own, not in userspace errno.h */
#endif

#define STR_LEN 32
#define MAX_HITS 4
#define COMM "bpfhost-trace"	 /* this thread's name while the probes fire */
#define PERIOD 1000000ull	 /* the cpu-clock sample period: 1 ms */
#define TP_RECORD_SIZE 40	 /* sys_enter_write's record, common fields included */
#define PERF_MAX_TRACE_SIZE 8192 /* how far a tracepoint program may read (Linux 6.18) */
#define USER_CS 0x33		 /* x86-64 user code segment */

/* What the programs record: as tests/bpf/tracing.bpf.c declares it (the
 * sizes are checked against the object's BTF). */
struct call {
	__s32 a, b;
	__u32 c, pad;
	__s64 d;
	__u64 s;
	__s64 str_ret, read_ret;
	char str[STR_LEN];
	char raw[8];
	__u64 pid_tgid;
	char comm[16];
	__u64 ip;
};

struct ret {
	__s64 rc;
	__u64 ip, pid_tgid;
};

struct sys_enter_write {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	int __syscall_nr;
	unsigned long fd;
	const char *buf;
	unsigned long count;
};

struct write_rec {
	__s32 syscall_nr, pad;
	__u64 fd, buf, count;
	__s64 read_ret;
	char data[STR_LEN];
	__u64 pid_tgid;
	char comm[16];
};

struct sample {
	__u64 hits, sample_period, addr, ip, sp, cs, pid_tgid;
	char comm[16];
};

/* the calls of tracing_target and the writes made while the probes are on */
static const struct {
	int a, b;
	unsigned c;
	long d;
	const char *s;
} call_args[] = {
	{1, -2, 3000000000u, 0x1122334455667788, "hello, tracing"},
	{-7, 42, 0, -1, NULL}, /* the string reads fault: -EFAULT */
	{0, INT_MIN, 7, 5, "a string longer than the 32 bytes read of it"},
};
#define CALL_CNT (sizeof(call_args) / sizeof(call_args[0]))

/* write(2) to fd -1 (EBADF), the register holding it sign- or
 * zero-extended: the record has the register whole */
static const struct {
	unsigned long fd;
	const char *buf;
	size_t count;
} write_args[] = {
	{~0ul, "tracepoint write", 16},
	{0xffffffff, "a write longer than the 32 bytes the program reads", 50},
	{~0ul, (const char *)8, 4}, /* unmapped: the program's read faults */
};
#define WRITE_CNT (sizeof(write_args) / sizeof(write_args[0]))

static struct bpf_object *obj;
static struct bpf_program *p_args, *p_ret, *p_tp, *p_sample;
static struct bpf_map *bss, *writes_map;
static int verifier_gaps; /* kernel verdicts bpfhost does not give (no verifier) */
static int gaps;	  /* kernel behaviour bpfhost does not have yet */

/* what tracing_target returned, and its return addresses as seen from
 * inside it: call_ret_addrs from a call no uretprobe was on (one on it puts
 * its trampoline's address there), seen_ret_addrs from the last calls */
static long call_rets[CALL_CNT];
static void *call_ret_addrs[CALL_CNT], *seen_ret_addrs[CALL_CNT];
static unsigned call_cnt;

/* A check of the kernel's behaviour bpfhost's verifier (which it has not
 * yet) would give: counted quietly on bpfhost. One that bpfhost's runtime
 * does not give yet: printed and counted on bpfhost. Both are checks like
 * any other on the kernel. */
#ifdef KERNEL_BACKEND
#define VERIFIER_CHECK(cond, ...) CHECK(cond, __VA_ARGS__)
#define GAP_CHECK(cond, ...) CHECK(cond, __VA_ARGS__)
#else
#define VERIFIER_CHECK(cond, ...) (verifier_gaps += !(cond))
#define GAP_CHECK(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("%s:%d: not as the kernel yet: ", __FILE__, __LINE__);              \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			gaps++;                                                                    \
		}                                                                                  \
	} while (0)
#endif

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The probed function: a symbol of this binary the uprobes attach to by
 * name, its five arguments in rdi, rsi, rdx, rcx, r8. */
__attribute__((noinline, noclone, used)) long tracing_target(int a, int b, unsigned c, long d,
							     const char *s);
__attribute__((noinline, noclone, used)) long tracing_target(int a, int b, unsigned c, long d,
							     const char *s)
{
	long r = (long)a + b + c + d + (s ? (long)strlen(s) : 0);

	seen_ret_addrs[call_cnt++ % CALL_CNT] = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
	return r;
}

/* Where samples land: user code that only computes. */
__attribute__((noinline, noclone)) static unsigned long spin(unsigned long n)
{
	volatile unsigned long x = 0;

	for (unsigned long i = 0; i < n; i++)
		x += i ^ (x >> 3);
	return x;
}

static __u64 pid_tgid(void)
{
	return (__u64)getpid() << 32 | (__u32)gettid();
}

/* The .bss as the programs left it; global name (size bytes) copied to out. */
static void bss_get(const char *name, void *out, size_t size)
{
	static unsigned char buf[8192];
	__u32 sz = 0, zero = 0;
	int off = test_var_find(obj, ".bss", name, &sz);

	memset(out, 0, size);
	CHECK(off >= 0 && sz == size, "%s in .bss: offset %d, %u bytes, this test has %zu", name,
	      off, sz, size);
	if (off < 0 || sz != size || bpf_map__value_size(bss) > sizeof(buf))
		return;
	CHECK(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, buf) == 0, "read .bss: %s",
	      strerror(errno));
	memcpy(out, buf + off, size);
}

/* Opens the object and sets target_tgid to this process; 0, 1 if the kernel
 * refused to load (skipped), -1 if something failed. */
static int open_load(const char *path)
{
	obj = bpf_object__open_file(path, NULL);
	CHECK(obj != NULL, "open %s: %s", path, strerror(errno));
	if (!obj)
		return -1;
	p_args = bpf_object__find_program_by_name(obj, "probe_args");
	p_ret = bpf_object__find_program_by_name(obj, "probe_ret");
	p_tp = bpf_object__find_program_by_name(obj, "tp_write");
	p_sample = bpf_object__find_program_by_name(obj, "on_sample");
	bss = test_map_named(obj, ".bss");
	writes_map = bpf_object__find_map_by_name(obj, "writes");
	CHECK(p_args && p_ret && p_tp && p_sample && bss && writes_map,
	      "the programs and maps of %s", path);
	if (!(p_args && p_ret && p_tp && p_sample && bss && writes_map))
		return -1;
	CHECK(bpf_program__type(p_args) == BPF_PROG_TYPE_KPROBE &&
		      bpf_program__type(p_ret) == BPF_PROG_TYPE_KPROBE &&
		      bpf_program__type(p_tp) == BPF_PROG_TYPE_TRACEPOINT &&
		      bpf_program__type(p_sample) == BPF_PROG_TYPE_PERF_EVENT,
	      "program types %d %d %d %d", bpf_program__type(p_args), bpf_program__type(p_ret),
	      bpf_program__type(p_tp), bpf_program__type(p_sample));
	CHECK(bpf_map__value_size(writes_map) == sizeof(struct write_rec),
	      "writes: %u-byte values, this test has %zu", bpf_map__value_size(writes_map),
	      sizeof(struct write_rec));
	if (test_rodata_set_u32(obj, "target_tgid", (__u32)getpid()))
		return -1;
	return test_load_object(obj);
}

static void do_calls(void)
{
	call_cnt = 0;
	for (unsigned i = 0; i < CALL_CNT; i++)
		call_rets[i] = tracing_target(call_args[i].a, call_args[i].b, call_args[i].c,
					      call_args[i].d, call_args[i].s);
}

/* ---- what the programs recorded, the same on both backends ---- */

static void check_calls(void)
{
	struct call calls[MAX_HITS];
	struct ret rets[MAX_HITS];
	__u32 call_hits, ret_hits;

	bss_get("call_hits", &call_hits, sizeof(call_hits));
	bss_get("ret_hits", &ret_hits, sizeof(ret_hits));
	bss_get("calls", calls, sizeof(calls));
	bss_get("rets", rets, sizeof(rets));
	CHECK(call_hits == CALL_CNT && ret_hits == CALL_CNT, "uprobe hits %u, uretprobe hits %u",
	      call_hits, ret_hits);
	for (unsigned i = 0; i < CALL_CNT && i < call_hits; i++) {
		const struct call *e = &calls[i];
		const char *s = call_args[i].s;
		char str[STR_LEN] = "", raw[8] = "";
		long str_ret = -EFAULT, read_ret = -EFAULT;

		if (s) {
			snprintf(str, sizeof(str), "%s", s);
			str_ret = (long)strlen(str) + 1; /* with its NUL; at most STR_LEN */
			memcpy(raw, s, sizeof(raw));
			read_ret = 0;
		}
		CHECK(e->a == call_args[i].a && e->b == call_args[i].b && e->c == call_args[i].c &&
			      e->d == call_args[i].d && e->s == (__u64)(uintptr_t)s,
		      "call %u: args %d %d %u %lld %#llx, called with %d %d %u %ld %p", i, e->a,
		      e->b, e->c, (long long)e->d, (unsigned long long)e->s, call_args[i].a,
		      call_args[i].b, call_args[i].c, call_args[i].d, (const void *)s);
		CHECK(e->str_ret == str_ret &&
			      !memcmp(e->str, str, str_ret > 0 ? (size_t)str_ret : sizeof(str)),
		      "call %u: probe_read_user_str %lld \"%.32s\", want %ld \"%s\"", i,
		      (long long)e->str_ret, e->str, str_ret, str);
		/* past the NUL: the zeroes it held (the kernel writes nothing
		 * there, or zeroes; never what follows the string) */
		GAP_CHECK(!memcmp(e->str, str, sizeof(str)),
			  "call %u: probe_read_user_str wrote past the string's NUL: \"%s\" then "
			  "\"%.*s\"",
			  i, e->str, (int)(sizeof(str) - strlen(e->str) - 1),
			  e->str + strlen(e->str) + 1);
		CHECK(e->read_ret == read_ret && !memcmp(e->raw, raw, sizeof(raw)),
		      "call %u: probe_read_user %lld \"%.8s\", want %ld \"%.8s\"", i,
		      (long long)e->read_ret, e->raw, read_ret, raw);
		CHECK(e->pid_tgid == pid_tgid(), "call %u: pid_tgid %#llx, want %#llx", i,
		      (unsigned long long)e->pid_tgid, (unsigned long long)pid_tgid());
		CHECK(!strcmp(e->comm, COMM), "call %u: comm \"%.16s\"", i, e->comm);
		/* the uprobe's ip: the probed function's first instruction */
		CHECK(e->ip == (__u64)(uintptr_t)tracing_target, "call %u: ip %#llx, want %p", i,
		      (unsigned long long)e->ip, (void *)tracing_target);
	}
	for (unsigned i = 0; i < CALL_CNT && i < ret_hits; i++) {
		/* the uretprobe's ip: where the function returns to, in its caller */
		CHECK(rets[i].rc == call_rets[i] &&
			      rets[i].ip == (__u64)(uintptr_t)call_ret_addrs[i] &&
			      rets[i].pid_tgid == pid_tgid(),
		      "return %u: rc %lld ip %#llx pid_tgid %#llx, want %ld %p %#llx", i,
		      (long long)rets[i].rc, (unsigned long long)rets[i].ip,
		      (unsigned long long)rets[i].pid_tgid, call_rets[i], call_ret_addrs[i],
		      (unsigned long long)pid_tgid());
	}
}

static void check_writes(void)
{
	__u32 hits;

	bss_get("write_hits", &hits, sizeof(hits));
	CHECK(hits == WRITE_CNT, "tracepoint hits %u, want %zu", hits, WRITE_CNT);
	for (__u32 i = 0; i < WRITE_CNT && i < hits; i++) {
		struct write_rec w;
		size_t n = write_args[i].count < STR_LEN ? write_args[i].count : STR_LEN;
		char data[STR_LEN] = "";
		long read_ret = -EFAULT;

		memset(&w, 0, sizeof(w));
		CHECK(bpf_map_lookup_elem(bpf_map__fd(writes_map), &i, &w) == 0, "writes[%u]", i);
		if (write_args[i].buf != (const char *)8) {
			memcpy(data, write_args[i].buf, n);
			read_ret = 0;
		}
		/* the record's fd ("unsigned int fd", 8 bytes) is the
		 * register whole, as the syscall got it */
		CHECK(w.syscall_nr == SYS_write && w.fd == write_args[i].fd &&
			      w.buf == (__u64)(uintptr_t)write_args[i].buf &&
			      w.count == write_args[i].count,
		      "write %u: nr %d fd %#llx buf %#llx count %llu, want %d %#lx %p %zu", i,
		      w.syscall_nr, (unsigned long long)w.fd, (unsigned long long)w.buf,
		      (unsigned long long)w.count, SYS_write, write_args[i].fd,
		      (const void *)write_args[i].buf, write_args[i].count);
		CHECK(w.read_ret == read_ret && !memcmp(w.data, data, sizeof(data)),
		      "write %u: probe_read_user %lld \"%.32s\", want %ld", i,
		      (long long)w.read_ret, w.data, read_ret);
		CHECK(w.pid_tgid == pid_tgid() && !strcmp(w.comm, COMM),
		      "write %u: pid_tgid %#llx comm \"%.16s\"", i, (unsigned long long)w.pid_tgid,
		      w.comm);
	}
}

static void check_sample(void)
{
	struct sample s;

	bss_get("sample", &s, sizeof(s));
	CHECK(s.hits >= 1, "perf_event hits %llu", (unsigned long long)s.hits);
	if (!s.hits)
		return;
	/* the period asked for; address 0 (a cpu-clock sample has none,
	 * and PERF_SAMPLE_ADDR was asked for: see kernel_perf_event); user
	 * registers (exclude_kernel) */
	CHECK(s.sample_period == PERIOD && s.addr == 0,
	      "sample_period %llu addr %#llx, want %llu 0", (unsigned long long)s.sample_period,
	      (unsigned long long)s.addr, PERIOD);
	CHECK(s.cs == USER_CS && s.ip && s.ip < 0x800000000000ull && s.sp &&
		      s.sp < 0x800000000000ull,
	      "sample regs: cs %#llx ip %#llx sp %#llx", (unsigned long long)s.cs,
	      (unsigned long long)s.ip, (unsigned long long)s.sp);
	CHECK(s.pid_tgid == pid_tgid() && !strcmp(s.comm, COMM), "sample pid_tgid %#llx comm %.16s",
	      (unsigned long long)s.pid_tgid, s.comm);
}

/* ---- BPF_PROG_TEST_RUN: the kernel has none for these types ---- */

static void test_runs(void)
{
	struct bpf_program *progs[] = {p_args, p_ret, p_tp, p_sample};
	unsigned char ctx[sizeof(struct bpf_perf_event_data)] = {0};
	unsigned char data[64] = {0};

	for (unsigned i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		LIBBPF_OPTS(bpf_test_run_opts, bare);
		LIBBPF_OPTS(bpf_test_run_opts, with_ctx, .ctx_in = ctx, .ctx_size_in = 40);
		LIBBPF_OPTS(bpf_test_run_opts, with_data, .data_in = data,
			    .data_size_in = sizeof(data));
		int fd = bpf_program__fd(progs[i]);
		int e1 = bpf_prog_test_run_opts(fd, &bare);
		int e2 = bpf_prog_test_run_opts(fd, &with_ctx);
		int e3 = bpf_prog_test_run_opts(fd, &with_data);

		CHECK(e1 == -ENOTSUPP && e2 == -ENOTSUPP && e3 == -ENOTSUPP,
		      "%s: BPF_PROG_TEST_RUN %d %d %d, the kernel gives -ENOTSUPP (-524)",
		      bpf_program__name(progs[i]), e1, e2, e3);
	}
}

/* ---- raw programs: what loads, what the kernel refuses ---- */

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};

	return i;
}

#define EXIT0 insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0), insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static char log_buf[65536];

/* the program's fd, or -errno with the verifier's log in log_buf */
static int load_raw(enum bpf_prog_type type, const struct bpf_insn *insns, size_t cnt)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log_buf, .log_size = sizeof(log_buf),
		    .log_level = 1);

	log_buf[0] = 0;
	return bpf_prog_load(type, NULL, "GPL", insns, cnt, &o);
}

#define KP BPF_PROG_TYPE_KPROBE
#define TP BPF_PROG_TYPE_TRACEPOINT
#define PE BPF_PROG_TYPE_PERF_EVENT
#define REGS(f) ((__s16)offsetof(struct pt_regs, f))
#define PERF(f) ((__s16)offsetof(struct bpf_perf_event_data, f))

/* A helper the type may not call is refused at load (-EINVAL, "program of
 * this type cannot use helper NAME#ID"), on both backends; one it may call
 * loads. */
static void helpers(void)
{
	static const struct {
		enum bpf_prog_type type;
		int func;
		const char *name;
		int err;
	} c[] = {
		{KP, BPF_FUNC_skb_load_bytes, "bpf_skb_load_bytes", -EINVAL},
		{TP, BPF_FUNC_skb_load_bytes, "bpf_skb_load_bytes", -EINVAL},
		{PE, BPF_FUNC_skb_load_bytes, "bpf_skb_load_bytes", -EINVAL},
		{KP, BPF_FUNC_xdp_adjust_head, "bpf_xdp_adjust_head", -EINVAL},
		{KP, BPF_FUNC_perf_prog_read_value, "bpf_perf_prog_read_value", -EINVAL},
		{TP, BPF_FUNC_perf_prog_read_value, "bpf_perf_prog_read_value", -EINVAL},
		{KP, BPF_FUNC_get_current_pid_tgid, "bpf_get_current_pid_tgid", 0},
		{TP, BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id", 0},
		{PE, BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id", 0},
		{KP, BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns", 0},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct bpf_insn p[3] = {insn(BPF_JMP | BPF_CALL, 0, 0, 0, c[i].func), EXIT0};
		char want[96];
		int fd;

		fd = load_raw(c[i].type, p, 3);
		/* the kernel: "program of this type cannot use helper NAME#ID" */
		snprintf(want, sizeof(want), "cannot use helper %s#%d", c[i].name, c[i].func);
		if (c[i].err) {
			CHECK(fd == c[i].err, "type %d calling %s: %d, the kernel gives %d",
			      c[i].type, c[i].name, fd, c[i].err);
			GAP_CHECK(strstr(log_buf, want),
				  "type %d calling %s: \"%s\", the kernel "
				  "says \"program of this type %s\"",
				  c[i].type, c[i].name, strtok(log_buf, "\n"), want);
		} else
			CHECK(fd >= 0, "type %d calling %s: %d \"%s\"", c[i].type, c[i].name, fd,
			      log_buf);
		if (fd >= 0)
			close(fd);
	}
	/* bpf_perf_prog_read_value(ctx, fp - 24, 24): PERF_EVENT's own */
	{
		struct bpf_insn p[] = {
			insn(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
			insn(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -24),
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 24),
			insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_perf_prog_read_value),
			EXIT0,
		};
		int fd = load_raw(PE, p, sizeof(p) / sizeof(p[0]));

		GAP_CHECK(fd >= 0, "perf_event calling bpf_perf_prog_read_value: %d \"%s\"", fd,
			  strtok(log_buf, "\n"));
		if (fd >= 0)
			close(fd);
	}
}

/* The context reads and writes the kernel's verifier lets each type make
 * ("r0 = *(size *)(r1 + off)" or "*(size *)(r1 + off) = r2"): no writes;
 * reads inside the context, aligned to their size; pt_regs fields of a
 * perf_event context whole; tracepoint programs anywhere from byte 8 (not
 * the common fields) to PERF_MAX_TRACE_SIZE, whatever the record's size. A
 * refused access is -EACCES ("invalid bpf_context access"). bpfhost has no
 * verifier: it loads them all, and bpfhost_prog_run faults, with the
 * kernel's words, on each access the kernel refuses, and where the access
 * leaves the context it was given (host_refusals). */
static const struct {
	enum bpf_prog_type type;
	__s16 off;
	__u8 size;
	int write, err;
} access_cases[] = {
	{KP, REGS(rdi), BPF_DW, 0, 0},
	{KP, REGS(rdi), BPF_W, 0, 0},
	{KP, REGS(rdi) + 4, BPF_W, 0, 0},
	{KP, REGS(rdi) + 1, BPF_B, 0, 0},
	{KP, REGS(rdi) + 2, BPF_W, 0, -EACCES}, /* misaligned */
	{KP, REGS(ss), BPF_DW, 0, 0},		/* the last field */
	{KP, sizeof(struct pt_regs), BPF_B, 0, -EACCES},
	{KP, -8, BPF_DW, 0, -EACCES},
	{KP, REGS(rax), BPF_DW, 1, -EACCES},
	{KP, REGS(rdi), BPF_W, 1, -EACCES},
	{TP, 0, BPF_H, 0, -EACCES}, /* the common fields: not the program's */
	{TP, 4, BPF_W, 0, -EACCES},
	{TP, 0, BPF_DW, 0, -EACCES},
	{TP, 8, BPF_W, 0, 0},
	{TP, 16, BPF_DW, 0, 0},
	{TP, TP_RECORD_SIZE, BPF_DW, 0, 0}, /* past the record: the verifier cannot know */
	{TP, 2048, BPF_B, 0, 0},
	{TP, PERF_MAX_TRACE_SIZE - 8, BPF_DW, 0, 0},
	{TP, PERF_MAX_TRACE_SIZE, BPF_B, 0, -EACCES},
	{TP, 4, BPF_DW, 0, -EACCES}, /* misaligned */
	{TP, 16, BPF_DW, 1, -EACCES},
	{PE, PERF(sample_period), BPF_DW, 0, 0},
	{PE, PERF(sample_period), BPF_W, 0, 0},
	{PE, PERF(sample_period) + 4, BPF_W, 0, 0},
	{PE, PERF(addr), BPF_DW, 0, 0},
	{PE, PERF(addr), BPF_B, 0, 0},
	{PE, PERF(regs) + REGS(rip), BPF_DW, 0, 0},
	{PE, PERF(regs) + REGS(rip), BPF_W, 0, -EACCES}, /* registers: whole */
	{PE, PERF(regs), BPF_B, 0, -EACCES},
	{PE, sizeof(struct bpf_perf_event_data), BPF_W, 0, -EACCES},
	{PE, PERF(sample_period), BPF_DW, 1, -EACCES},
	{PE, PERF(regs) + REGS(rax), BPF_DW, 1, -EACCES},
};
#define ACCESS_CNT (sizeof(access_cases) / sizeof(access_cases[0]))

/* "r2 = 0x5a; *(size *)(r1 + off) = r2; r0 = 0; exit", or for a read
 * "r2 = 0x5a; r0 = *(size *)(r1 + off); exit" */
static int access_raw(enum bpf_prog_type type, __s16 off, __u8 size, int write)
{
	struct bpf_insn p[4];
	size_t n = 0;

	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0x5a);
	if (write) {
		p[n++] = insn(BPF_STX | BPF_MEM | size, 1, 2, off, 0);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	} else {
		p[n++] = insn(BPF_LDX | BPF_MEM | size, 0, 1, off, 0);
	}
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return load_raw(type, p, n);
}

static int access_prog(size_t i)
{
	return access_raw(access_cases[i].type, access_cases[i].off, access_cases[i].size,
			  access_cases[i].write);
}

static const char *size_name(__u8 size)
{
	return size == BPF_DW  ? "8-byte"
	       : size == BPF_W ? "4-byte"
	       : size == BPF_H ? "2-byte"
			       : "1-byte";
}

static void ctx_access(void)
{
	for (size_t i = 0; i < ACCESS_CNT; i++) {
		int fd = access_prog(i);

		if (access_cases[i].err == 0)
			CHECK(fd >= 0, "type %d: %s %s at %d: %d \"%s\", the kernel loads it",
			      access_cases[i].type, size_name(access_cases[i].size),
			      access_cases[i].write ? "write" : "read", access_cases[i].off, fd,
			      log_buf);
		else
			VERIFIER_CHECK(fd == access_cases[i].err &&
					       strstr(log_buf, "invalid bpf_context access"),
				       "type %d: %s %s at %d: %d, the kernel gives %d",
				       access_cases[i].type, size_name(access_cases[i].size),
				       access_cases[i].write ? "write" : "read",
				       access_cases[i].off, fd, access_cases[i].err);
		if (fd >= 0)
			close(fd);
	}
}

#ifdef KERNEL_BACKEND
/* ---- the kernel: attach and fire ---- */

static bool refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOENT || err == -EOPNOTSUPP ||
	       err == -ENOTSUPP || err == -ENODEV || err == -ENOSYS;
}

static void kernel_uprobes(void)
{
	char exe[PATH_MAX];
	struct bpf_link *l1, *l2;
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "tracing_target");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int err;

	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	if (n <= 0)
		return;
	exe[n] = 0;
	l1 = bpf_program__attach_uprobe_opts(p_args, 0, exe, 0, &o);
	err = l1 ? 0 : -errno;
	o.retprobe = true;
	l2 = err ? NULL : bpf_program__attach_uprobe_opts(p_ret, 0, exe, 0, &o);
	err = err ? err : l2 ? 0 : -errno;
	if (err) {
		bpf_link__destroy(l1);
		CHECK(refused(err), "attach the uprobes: %d %s", err, strerror(-err));
		printf("NOTICE: the kernel refused the uprobes (%s): skipped\n", strerror(-err));
		return;
	}
	do_calls();
	bpf_link__destroy(l2);
	bpf_link__destroy(l1);
	/* the uretprobe took the return address: the function saw the
	 * trampoline's ([uprobes]) */
	CHECK(seen_ret_addrs[0] != call_ret_addrs[0] && seen_ret_addrs[0] == seen_ret_addrs[1],
	      "return addresses under a uretprobe: %p %p, unprobed %p", seen_ret_addrs[0],
	      seen_ret_addrs[1], call_ret_addrs[0]);
	check_calls();
}

static void do_writes(void)
{
	for (unsigned i = 0; i < WRITE_CNT; i++) {
		long n = syscall(SYS_write, write_args[i].fd, write_args[i].buf,
				 write_args[i].count);

		CHECK(n == -1 && errno == EBADF, "write(%#lx): %ld %s", write_args[i].fd, n,
		      strerror(errno));
	}
}

/* The tracing file system libbpf reads tracepoint ids from. If neither
 * /sys/kernel/tracing nor debugfs has it, it is mounted at
 * /sys/kernel/tracing in a mount namespace of this process's own: nobody
 * else sees it, and it goes when the process ends. The event's id, or -1. */
static int tracefs_event_id(const char *event)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	char path[256];
	FILE *f;
	int id = -1;

	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK) &&
	    (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	     mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL)))
		return -1;
	for (unsigned i = 0; i < 2 && id < 0; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/id", roots[i], event);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%d", &id) != 1)
			id = -1;
		fclose(f);
	}
	return id;
}

static void kernel_tracepoint(void)
{
	int id = tracefs_event_id("syscalls/sys_enter_write");
	struct bpf_link *l;

	if (id < 0) {
		printf("NOTICE: no tracefs with syscalls/sys_enter_write (%s): tracepoint "
		       "skipped\n",
		       strerror(errno));
		return;
	}
	fflush(stdout); /* nothing of ours but the test's writes while it is on */
	l = bpf_program__attach(p_tp);
	if (!l) {
		int err = -errno;

		CHECK(refused(err), "attach the tracepoint: %d %s", err, strerror(-err));
		printf("NOTICE: the kernel refused the tracepoint (%s): skipped\n", strerror(-err));
		return;
	}
	do_writes();
	bpf_link__destroy(l);
	check_writes();
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void kernel_perf_event(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = PERIOD,
		.exclude_kernel = 1,
		.exclude_hv = 1,
		/* without it, Linux 6.18 leaves the sample's addr unset and
		 * ctx->addr is what the kernel's stack held (seen: kernel
		 * addresses, small numbers) */
		.sample_type = PERF_SAMPLE_ADDR,
	};
	struct sample s = {0};
	struct bpf_link *l;
	double end;
	int pfd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (pfd < 0) {
		printf("NOTICE: perf_event_open refused (%s): perf_event skipped\n",
		       strerror(errno));
		return;
	}
	l = bpf_program__attach_perf_event(p_sample, pfd);
	if (!l) {
		int err = -errno;

		CHECK(refused(err), "attach the perf_event program: %d %s", err, strerror(-err));
		printf("NOTICE: the kernel refused the perf_event program (%s): skipped\n",
		       strerror(-err));
		close(pfd);
		return;
	}
	/* a few samples: about 20 ms of this thread's time, 2 s at most */
	end = now() + 2;
	do {
		spin(1000000);
		bss_get("sample", &s, sizeof(s));
	} while (s.hits < 20 && now() < end);
	bpf_link__destroy(l);
	close(pfd);
	check_sample();
}

#else
/* ---- bpfhost: the same programs run on the contexts the kernel builds ---- */

static void run_ok(const struct bpf_program *p, void *ctx, size_t size, const char *what)
{
	unsigned long long ret = ~0ull;
	char err[256] = "";
	int r = bpfhost_prog_run(bpf_program__fd(p), ctx, size, &ret, err, sizeof(err));

	CHECK(r == 0 && ret == 0, "%s: %d ret %llu %s", what, r, ret, err);
}

static void host_uprobes(void)
{
	for (unsigned i = 0; i < CALL_CNT; i++) {
		struct pt_regs regs;

		/* at the function's entry: the arguments in their registers,
		 * ip at its first instruction */
		memset(&regs, 0, sizeof(regs));
		regs.rdi = (unsigned long)(long)call_args[i].a;
		regs.rsi = (unsigned long)(long)call_args[i].b;
		regs.rdx = call_args[i].c;
		regs.rcx = (unsigned long)call_args[i].d;
		regs.r8 = (unsigned long)(uintptr_t)call_args[i].s;
		regs.rip = (unsigned long)(uintptr_t)tracing_target;
		regs.cs = USER_CS;
		run_ok(p_args, &regs, sizeof(regs), "uprobe");
		/* at its return: the value in rax, ip back in the caller */
		memset(&regs, 0, sizeof(regs));
		regs.rax = (unsigned long)call_rets[i];
		regs.rip = (unsigned long)(uintptr_t)call_ret_addrs[i];
		regs.cs = USER_CS;
		run_ok(p_ret, &regs, sizeof(regs), "uretprobe");
	}
	check_calls();
}

#define HOST_TP_ID 840 /* sys_enter_write's id on the kernel this was written against */

static void host_tracepoint(void)
{
	for (unsigned i = 0; i < WRITE_CNT; i++) {
		struct sys_enter_write rec;

		memset(&rec, 0, sizeof(rec));
		rec.common_type = HOST_TP_ID;
		rec.common_pid = gettid();
		rec.__syscall_nr = SYS_write;
		rec.fd = write_args[i].fd;
		rec.buf = write_args[i].buf;
		rec.count = write_args[i].count;
		run_ok(p_tp, &rec, sizeof(rec), "tracepoint");
	}
	check_writes();
}

static void host_perf_event(void)
{
	struct bpf_perf_event_data d;

	memset(&d, 0, sizeof(d));
	d.sample_period = PERIOD;
	d.regs.rip = (unsigned long)(uintptr_t)spin;
	d.regs.rsp = (unsigned long)(uintptr_t)&d;
	d.regs.cs = USER_CS;
	d.regs.ss = 0x2b;
	run_ok(p_sample, &d, sizeof(d), "perf_event");
	check_sample();
}

static int size_bytes(__u8 size)
{
	return size == BPF_DW ? 8 : size == BPF_W ? 4 : size == BPF_H ? 2 : 1;
}

/* What bpfhost_prog_run takes and refuses: a context of the type's size
 * (-EINVAL naming the size), reads inside it only and no writes (-EFAULT
 * naming the instruction), no XDP (it runs through BPF_PROG_TEST_RUN). */
static void host_refusals(void)
{
	static unsigned char big[PERF_MAX_TRACE_SIZE + 8];
	struct sys_enter_write rec;
	struct pt_regs regs;
	unsigned long long ret = 0;
	char err[256];
	int r, fd;

	memset(&regs, 0, sizeof(regs));
	memset(&rec, 0, sizeof(rec));
	r = bpfhost_prog_run(bpf_program__fd(p_args), &regs, sizeof(regs) - 8, &ret, err,
			     sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx_size 160: a kprobe context is 168 bytes"),
	      "kprobe ctx_size 160: %d %s", r, err);
	r = bpfhost_prog_run(bpf_program__fd(p_sample), &regs, sizeof(regs), &ret, err,
			     sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx_size 168: a perf_event context is 184 bytes"),
	      "perf_event ctx_size 168: %d %s", r, err);
	r = bpfhost_prog_run(bpf_program__fd(p_tp), big, sizeof(big), &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx_size 8200: a tracepoint context is at most "),
	      "tracepoint ctx_size 8200: %d %s", r, err);
	r = bpfhost_prog_run(bpf_program__fd(p_args), NULL, sizeof(regs), &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx is NULL"), "kprobe NULL ctx: %d %s", r, err);
	/* tp_write reads fd (offset 16) of a 16-byte record */
	r = bpfhost_prog_run(bpf_program__fd(p_tp), &rec, 16, &ret, err, sizeof(err));
	CHECK(r == -EFAULT && strstr(err, "insn ") && strstr(err, "ctx"),
	      "tracepoint record of 16 bytes: %d %s", r, err);

	/* records as large as the kernel lets a program read, the last 8
	 * bytes read: 2048 bytes up to Linux 6.9, 8192 since */
	for (int size = 2048; size <= PERF_MAX_TRACE_SIZE; size *= 4) {
		fd = access_raw(TP, (__s16)(size - 8), BPF_DW, 0);
		CHECK(fd >= 0, "load a read at %d: %d %s", size - 8, fd, log_buf);
		memset(big, 0x11, sizeof(big));
		r = fd < 0 ? -EBADF
			   : bpfhost_prog_run(fd, big, (size_t)size, &ret, err, sizeof(err));
		if (size == 2048)
			CHECK(r == 0 && ret == 0x1111111111111111ull,
			      "a tracepoint record of %d bytes: %d %#llx %s", size, r, ret,
			      r ? err : "");
		else
			GAP_CHECK(r == 0 && ret == 0x1111111111111111ull,
				  "a tracepoint record of %d bytes (the kernel lets a program "
				  "read %d): %d %s",
				  size, PERF_MAX_TRACE_SIZE, r, r ? err : "");
		if (fd >= 0)
			close(fd);
	}

	/* the raw accesses: outside the context given, or one the kernel's
	 * verifier refuses, a fault at run time (bpfhost has no verifier yet) */
	for (size_t i = 0; i < ACCESS_CNT; i++) {
		int off = access_cases[i].off, n = size_bytes(access_cases[i].size);
		int size = access_cases[i].type == KP	? (int)sizeof(struct pt_regs)
			   : access_cases[i].type == PE ? (int)sizeof(struct bpf_perf_event_data)
							: TP_RECORD_SIZE;
		bool fault = access_cases[i].err || off < 0 || off + n > size;

		fd = access_prog(i);
		if (fd < 0)
			continue;
		memset(big, 0x11, sizeof(big));
		r = bpfhost_prog_run(fd, big, (size_t)size, &ret, err, sizeof(err));
		CHECK(fault ? r == -EFAULT && strstr(err, "insn 1") &&
				      (!access_cases[i].err || off < 0 || off + n > size ||
				       strstr(err, "invalid bpf_context access"))
			    : r == 0,
		      "bpfhost_prog_run, type %d: %s %s at %d: %d %s", access_cases[i].type,
		      size_name(access_cases[i].size), access_cases[i].write ? "write" : "read",
		      off, r, r ? err : "");
		if (access_cases[i].write)
			CHECK(big[off] == 0x11, "type %d: the write at %d was made",
			      access_cases[i].type, off);
		close(fd);
	}

	/* XDP: not a context in memory */
	{
		struct bpf_insn p[2] = {EXIT0};

		fd = load_raw(BPF_PROG_TYPE_XDP, p, 2);
		CHECK(fd >= 0, "load xdp: %d %s", fd, log_buf);
		r = bpfhost_prog_run(fd, big, 64, &ret, err, sizeof(err));
		CHECK(r == -EINVAL && strstr(err, "xdp programs do not run on a context in memory"),
		      "xdp: %d %s", r, err);
		if (fd >= 0)
			close(fd);
	}
}
#endif

int main(int argc, char **argv)
{
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: test_tracing OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	prctl(PR_SET_NAME, COMM);
	r = open_load(argv[1]);
	if (r) {
		bpf_object__close(obj);
		return r > 0 ? 0 : TEST_DONE();
	}
	do_calls(); /* unprobed: the return addresses */
	memcpy(call_ret_addrs, seen_ret_addrs, sizeof(call_ret_addrs));
	test_runs();
	helpers();
	ctx_access();
#ifdef KERNEL_BACKEND
	kernel_uprobes();
	kernel_tracepoint();
	kernel_perf_event();
#else
	host_uprobes();
	host_tracepoint();
	host_perf_event();
	host_refusals();
#endif
	bpf_object__close(obj);
	if (verifier_gaps)
		printf("NOTICE: %d of the kernel verifier's verdicts bpfhost does not give yet (no "
		       "verifier): checked by the kernel build\n",
		       verifier_gaps);
	if (gaps)
		printf("NOTICE: %d checks of the kernel's behaviour bpfhost does not pass yet "
		       "(printed above): checked by the kernel build\n",
		       gaps);
	return TEST_DONE();
}
