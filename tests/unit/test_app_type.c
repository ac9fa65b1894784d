/* Program types an application defines (bpfhost_prog_type_register) and
 * bpfhost_prog_run: what a description may say and the errors naming what is
 * wrong in it; loading (its helpers and no others, refusals naming the
 * helper and the type); running on the application's own context, helpers
 * called with the program's arguments and the run's context, their memory
 * arguments checked; the test run; the tracing types' plain contexts. */
#include <asm/ptrace.h>
#include <bpfhost.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#define LDX(sz, d, s, o)                                                                           \
	{                                                                                          \
		.code = BPF_LDX | BPF_MEM | (sz), .dst_reg = d, .src_reg = s, .off = o             \
	}
#define STX(sz, d, s, o)                                                                           \
	{                                                                                          \
		.code = BPF_STX | BPF_MEM | (sz), .dst_reg = d, .src_reg = s, .off = o             \
	}
#define MOV(d, s)                                                                                  \
	{                                                                                          \
		.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = d, .src_reg = s                    \
	}
#define MOVK(d, k)                                                                                 \
	{                                                                                          \
		.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = d, .imm = k                        \
	}
#define ADDK(d, k)                                                                                 \
	{                                                                                          \
		.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = d, .imm = k                        \
	}
#define CALL(id)                                                                                   \
	{                                                                                          \
		.code = BPF_JMP | BPF_CALL, .imm = id                                              \
	}
#define EXIT                                                                                       \
	{                                                                                          \
		.code = BPF_JMP | BPF_EXIT                                                         \
	}

struct hook_ctx {
	uint32_t a, b;
	uint64_t out;
	char name[8];
};

static void *seen_ctx, *seen_data;
static unsigned long long seen_args[5];
static int combine_data; /* app_combine's own: its address reaches it */

static unsigned long long app_combine(unsigned long long r1, unsigned long long r2,
				      unsigned long long r3, unsigned long long r4,
				      unsigned long long r5, void *ctx, void *data)
{
	seen_ctx = ctx;
	seen_data = data;
	seen_args[0] = r1, seen_args[1] = r2, seen_args[2] = r3, seen_args[3] = r4;
	seen_args[4] = r5;
	return r1 * 1000 + r2;
}

/* the sum of size bytes at p */
static unsigned long long app_sum(unsigned long long p, unsigned long long size,
				  unsigned long long r3, unsigned long long r4,
				  unsigned long long r5, void *ctx, void *data)
{
	const unsigned char *c = (const unsigned char *)(uintptr_t)p;
	unsigned long long s = 0;

	(void)r3, (void)r4, (void)r5, (void)ctx, (void)data;
	for (unsigned long long i = 0; i < size; i++)
		s += c[i];
	return s;
}

static const struct bpfhost_helper app_helpers[] = {
	{1000, "app_combine", app_combine, {0}, &combine_data},
	{1001, "app_sum", app_sum, {BPFHOST_ARG_MEM_RO, BPFHOST_ARG_SIZE}, NULL},
};
static const int kernel_ids[] = {BPF_FUNC_get_smp_processor_id, BPF_FUNC_map_lookup_elem, 0};

static int load(uint32_t type, const struct bpf_insn *insns, uint32_t cnt, char *log,
		size_t log_len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t) "GPL";
	if (log) {
		log[0] = '\0';
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)log_len;
		a.log_level = 1;
	}
	return bpfhost_bpf(BPF_PROG_LOAD, &a, sizeof(a));
}

#define REG_FAILS(desc, want_err, want_msg)                                                        \
	do {                                                                                       \
		char m_[256] = "";                                                                 \
		int r_ = bpfhost_prog_type_register(desc, m_, sizeof(m_));                         \
		CHECK(r_ == (want_err) && strstr(m_, want_msg), "register: %d (%s), want %d (%s)", \
		      r_, m_, want_err, want_msg);                                                 \
	} while (0)

static void registration(void)
{
	struct bpfhost_helper h[2] = {app_helpers[0], app_helpers[1]};
	struct bpfhost_prog_type d = {sizeof(d), "bad-name", 8, 0, NULL, NULL, 0};
	struct {
		struct bpfhost_prog_type t;
		uint64_t newer; /* a field of a later bpfhost */
	} grown = {{sizeof(grown), "grown", 8, 0, NULL, NULL, 0}, 1};
	int r;
	int bad_kernel[] = {BPF_FUNC_get_smp_processor_id, 4000, 0};

	REG_FAILS(&d, -EINVAL, "[a-z0-9_]");
	d.name = "";
	REG_FAILS(&d, -EINVAL, "[a-z0-9_]");
	d.name = "a_name_that_is_far_too_long_for_it";
	REG_FAILS(&d, -EINVAL, "1 to 31 characters");
	d.name = "ok";
	d.ctx_size = 70000;
	REG_FAILS(&d, -EINVAL, "ctx_size 70000 is more than 65535");
	d.ctx_size = 8;
	d.helpers = h;
	d.helper_cnt = 2;
	h[0].id = 999;
	REG_FAILS(&d, -EINVAL, "helper 0 has id 999, not 1000..1999");
	h[0].id = 1001;
	REG_FAILS(&d, -EINVAL, "helper id 1001 given twice");
	h[0].id = 1000;
	h[1].args[1] = BPFHOST_ARG_ANYTHING;
	REG_FAILS(&d, -EINVAL, "app_sum#1001: a memory argument must be followed by its size");
	h[1].args[0] = BPFHOST_ARG_SIZE;
	REG_FAILS(&d, -EINVAL, "a size argument must follow a memory argument");
	h[1].args[0] = 9;
	REG_FAILS(&d, -EINVAL, "unknown argument kind");
	h[1] = app_helpers[1];
	h[1].fn = NULL;
	REG_FAILS(&d, -EINVAL, "helper #1001 has no function");
	h[1] = app_helpers[1];
	d.kernel_helpers = bad_kernel;
	REG_FAILS(&d, -EINVAL, "bpfhost has no kernel helper #4000");
	REG_FAILS(NULL, -EINVAL, "no program type given");
	d.kernel_helpers = NULL;
	d.sz = 8;
	REG_FAILS(&d, -EINVAL, "sz 8, want sizeof(struct bpfhost_prog_type)");
	REG_FAILS(&grown.t, -E2BIG, "fields past the");
	grown.newer = 0; /* a newer caller's struct, its new fields unused */
	r = bpfhost_prog_type_register(&grown.t, NULL, 0);
	CHECK(r >= (int)BPFHOST_PROG_TYPE_APP_BASE, "a longer struct, zero past ours: %d", r);
}

static void hooks(void)
{
	const struct bpfhost_prog_type desc = {
		sizeof(desc), "test_hook", sizeof(struct hook_ctx), 1, kernel_ids, app_helpers, 2};
	const struct bpfhost_prog_type ro_desc = {
		sizeof(ro_desc), "test_hook_ro", 16, 0, NULL, NULL, 0};
	/* ctx->out = combine(ctx->a, ctx->b, 7, 8, 9); return sum(ctx->name, 8) */
	const struct bpf_insn prog[] = {
		MOV(6, 1),  LDX(BPF_W, 1, 6, 0), LDX(BPF_W, 2, 6, 4), MOVK(3, 7),
		MOVK(4, 8), MOVK(5, 9),		 CALL(1000),	      STX(BPF_DW, 6, 0, 8),
		MOV(1, 6),  ADDK(1, 16),	 MOVK(2, 8),	      CALL(1001),
		EXIT,
	};
	/* sum(ctx + 20, 8): past the end of the context */
	const struct bpf_insn past[] = {ADDK(1, 20), MOVK(2, 8), CALL(1001), EXIT};
	const struct bpf_insn cpu[] = {CALL(BPF_FUNC_get_smp_processor_id), EXIT};
	const struct bpf_insn ktime[] = {CALL(BPF_FUNC_ktime_get_ns), EXIT};
	const struct bpf_insn unknown[] = {CALL(1500), EXIT};
	const struct bpf_insn write[] = {MOVK(2, 1), STX(BPF_DW, 1, 2, 0), MOVK(0, 0), EXIT};
	struct hook_ctx ctx = {3, 4, 0, "abc"}, in = {5, 6, 0, "zz"}, out;
	struct bpf_prog_info info;
	unsigned long long ret = 0;
	char log[512], err[256];
	union bpf_attr a;
	int type, ro, fd, r;

	type = bpfhost_prog_type_register(&desc, err, sizeof(err));
	CHECK(type >= (int)BPFHOST_PROG_TYPE_APP_BASE, "register: %d %s", type, err);
	REG_FAILS(&desc, -EEXIST, "program type test_hook is registered already");
	ro = bpfhost_prog_type_register(&ro_desc, err, sizeof(err));
	CHECK(ro == type + 1, "register a second: %d (%s)", ro, err);
	if (type < 0 || ro < 0)
		return;

	fd = load((uint32_t)type, prog, sizeof(prog) / sizeof(prog[0]), log, sizeof(log));
	CHECK(fd >= 0, "load: %d %s", fd, log);
	r = bpfhost_prog_run(fd, &ctx, sizeof(ctx), &ret, err, sizeof(err));
	CHECK(r == 0 && ret == 'a' + 'b' + 'c', "run: %d %llu %s", r, ret, err);
	CHECK(ctx.out == 3004, "ctx.out %llu", (unsigned long long)ctx.out);
	CHECK(seen_ctx == &ctx, "the helper got the run's context: %p", seen_ctx);
	CHECK(seen_data == &combine_data, "the helper got its data: %p", seen_data);
	CHECK(seen_args[2] == 7 && seen_args[3] == 8 && seen_args[4] == 9, "args %llu %llu %llu",
	      seen_args[2], seen_args[3], seen_args[4]);
	r = bpfhost_prog_run(fd, &ctx, sizeof(ctx) - 1, &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx_size 23: a test_hook context is 24 bytes"),
	      "a short context: %d %s", r, err);
	r = bpfhost_prog_run(-1, &ctx, sizeof(ctx), &ret, err, sizeof(err));
	CHECK(r == -EBADF && strstr(err, "fd -1 is not a BPF program"), "bad fd: %d %s", r, err);

	/* the test run: ctx_in in, ctx_out out, repeat */
	memset(&a, 0, sizeof(a));
	memset(&out, 0, sizeof(out));
	a.test.prog_fd = (uint32_t)fd;
	a.test.ctx_in = (uint64_t)(uintptr_t)&in;
	a.test.ctx_size_in = sizeof(in);
	a.test.ctx_out = (uint64_t)(uintptr_t)&out;
	a.test.ctx_size_out = sizeof(out);
	a.test.repeat = 3;
	r = bpfhost_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
	CHECK(r == 0 && a.test.retval == 'z' * 2 && out.out == 5006 && out.a == 5,
	      "test run: %d retval %u out %llu", r, a.test.retval, (unsigned long long)out.out);
	a.test.data_in = (uint64_t)(uintptr_t)&in;
	a.test.data_size_in = sizeof(in);
	r = bpfhost_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
	CHECK(r == -EINVAL, "a test run with data: %d", r); /* there is no packet */

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info = (uint64_t)(uintptr_t)&info;
	a.info.info_len = sizeof(info);
	r = bpfhost_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a));
	CHECK(r == 0 && info.type == (uint32_t)type, "info: %d type %u", r, info.type);
	close(fd);

	/* a memory argument outside the program's memory: stopped before the call */
	fd = load((uint32_t)type, past, 4, log, sizeof(log));
	CHECK(fd >= 0, "load past: %d %s", fd, log);
	r = bpfhost_prog_run(fd, &ctx, sizeof(ctx), &ret, err, sizeof(err));
	CHECK(r == -EFAULT && strstr(err, "insn 2") && strstr(err, "app_sum"), "past: %d %s", r,
	      err);
	close(fd);

	/* the kernel helpers it listed, and no others */
	fd = load((uint32_t)type, cpu, 2, log, sizeof(log));
	CHECK(fd >= 0, "a listed kernel helper: %d %s", fd, log);
	r = bpfhost_prog_run(fd, &ctx, sizeof(ctx), &ret, err, sizeof(err));
	CHECK(r == 0 && ret < (unsigned long long)sysconf(_SC_NPROCESSORS_CONF), "cpu: %d %llu", r,
	      ret);
	close(fd);
	fd = load((uint32_t)type, ktime, 2, log, sizeof(log));
	CHECK(fd == -EINVAL && strstr(log, "insn 0: program of this type (test_hook) cannot use "
					   "helper bpf_ktime_get_ns#5"),
	      "an unlisted kernel helper: %d %s", fd, log);
	fd = load((uint32_t)ro, prog, sizeof(prog) / sizeof(prog[0]), log, sizeof(log));
	CHECK(fd == -EINVAL && strstr(log, "insn 6: invalid func unknown#1000"),
	      "another type's helper: %d %s", fd, log);
	fd = load((uint32_t)type, unknown, 2, log, sizeof(log));
	CHECK(fd == -EINVAL && strstr(log, "invalid func unknown#1500"), "unknown id: %d %s", fd,
	      log);
	fd = load((uint32_t)ro + 1, cpu, 2, log, sizeof(log));
	CHECK(fd == -EINVAL && strstr(log, "unknown program type"), "unregistered type: %d %s", fd,
	      log);

	/* a read-only context */
	fd = load((uint32_t)ro, write, 4, log, sizeof(log));
	CHECK(fd >= 0, "load write: %d %s", fd, log);
	{
		uint64_t c2[2] = {0, 0};

		r = bpfhost_prog_run(fd, c2, sizeof(c2), &ret, err, sizeof(err));
		CHECK(r == -EFAULT && c2[0] == 0 && strstr(err, "insn 1"), "write: %d %s", r, err);
	}
	close(fd);
	fd = load((uint32_t)type, write, 4, log, sizeof(log));
	r = bpfhost_prog_run(fd, &ctx, sizeof(ctx), &ret, err, sizeof(err));
	CHECK(r == 0 && ctx.a == 1 && ctx.b == 0, "a writable context: %d %s", r, err);
	close(fd);
}

/* The kernel's types whose context is plain memory. */
static void tracing(void)
{
	const struct bpf_insn di[] = {LDX(BPF_DW, 0, 1, offsetof(struct pt_regs, rdi)), EXIT};
	const struct bpf_insn sum[] = {
		LDX(BPF_DW, 0, 1, 0),
		LDX(BPF_DW, 2, 1, 8),
		{.code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = 0, .src_reg = 2},
		EXIT};
	const struct bpf_insn ret42[] = {MOVK(0, 42), EXIT};
	struct pt_regs regs;
	uint64_t args[13] = {40, 2};
	unsigned long long ret = 0;
	char err[256];
	int fd, r;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = 0x1234;
	fd = load(BPF_PROG_TYPE_KPROBE, di, 2, NULL, 0);
	r = bpfhost_prog_run(fd, &regs, sizeof(regs), &ret, err, sizeof(err));
	CHECK(r == 0 && ret == 0x1234, "kprobe: %d %llx %s", r, ret, err);
	r = bpfhost_prog_run(fd, &regs, 8, &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "ctx_size 8: a kprobe context is 168 bytes"),
	      "kprobe size: %d %s", r, err);
	close(fd);

	fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, sum, 4, NULL, 0);
	r = bpfhost_prog_run(fd, args, 16, &ret, err, sizeof(err));
	CHECK(r == 0 && ret == 42, "raw_tp: %d %llu %s", r, ret, err);
	r = bpfhost_prog_run(fd, args, 8, &ret, err, sizeof(err));
	CHECK(r == -EFAULT && strstr(err, "insn 1"), "raw_tp short: %d %s", r, err);
	r = bpfhost_prog_run(fd, args, 104, &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "at most 96 bytes"), "raw_tp 13 args: %d %s", r, err);
	close(fd);

	fd = load(BPF_PROG_TYPE_XDP, ret42, 2, NULL, 0);
	r = bpfhost_prog_run(fd, args, 16, &ret, err, sizeof(err));
	CHECK(r == -EINVAL && strstr(err, "xdp programs do not run on a context in memory"),
	      "xdp: %d %s", r, err);
	close(fd);
}

int main(void)
{
	registration();
	hooks();
	tracing();
	return TEST_DONE();
}
