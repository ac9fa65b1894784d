/* BPF_PROG_TEST_RUN of XDP programs, every case run against bpfhost_sys_bpf and
 * against the running kernel (syscall(__NR_bpf)), field by field: the result
 * and errno, retval, data_size_out, ctx_size_out, every byte of data_out and
 * ctx_out. The programs are a few instructions each, written here: context
 * reads, bpf_xdp_adjust_head/meta/tail and bpf_xdp_get_buff_len at and past
 * their limits, with metadata and with fragments. Each case states the
 * kernel's errno (Linux 6.18), so bpfhost is still checked on its own when the
 * kernel refuses bpf() (the comparison is then skipped with a NOTICE).
 *
 * A case may carry
 *   known: bpfhost differs from the kernel where it should not; the
 *          difference is printed, not failed (the test says when it no
 *          longer shows);
 *   host:  a legitimate difference; bpfhost must give this errno.
 * BPFHOST_TEST_NO_KERNEL=1 in the environment skips the kernel on purpose.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUF_LEN 80000
#define FRAGS_MAX (3520 + 17 * 4096) /* the linear part and 17 full fragments */

/* An ENOSPC result reports data_size_out, retval and ctx_size_out in the
 * kernel; bpfhost's dispatcher copies the attr back only on success. */

struct backend {
	const char *name;
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	bool host;
};

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static const struct backend backends[2] = {
	{"bpfhost", bpfhost_sys_bpf, true},
	{"kernel", kernel_bpf, false},
};

/* ---- programs ---- */

enum prog_kind {
	P_LENS,	   /* r0 = (data_end - data) | (data - data_meta) << 16 */
	P_RXQ,	   /* r0 = ingress_ifindex << 8 | rx_queue_index */
	P_HELPER,  /* r0 = helper(ctx, arg) */
	P_BUFLEN,  /* r0 = bpf_xdp_get_buff_len(ctx) */
	P_OOB,	   /* reads data + 100 unchecked: the kernel refuses to load it */
	P_CTX_W,   /* writes ctx->data: the kernel refuses to load it */
	P_BAD_ARG, /* bpf_xdp_adjust_head(r10 - 8, 4): the kernel refuses to load it */
};

struct prog {
	enum prog_kind kind;
	int helper, arg;
	uint32_t attach; /* expected_attach_type */
};

#define INSN(c, d, s, o, i) ((struct bpf_insn){(c), (d), (s), (o), (i)})
#define LDXW(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOVI(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ALU(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LSH(d, i) INSN(BPF_ALU64 | BPF_LSH | BPF_K, d, 0, 0, i)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static size_t prog_insns(const struct prog *p, struct bpf_insn *in)
{
	size_t n = 0;

	switch (p->kind) {
	case P_LENS:
		in[n++] = LDXW(2, 1, 0);
		in[n++] = LDXW(3, 1, 4);
		in[n++] = LDXW(4, 1, 8);
		in[n++] = MOV(0, 3);
		in[n++] = ALU(BPF_SUB, 0, 2);
		in[n++] = MOV(5, 2);
		in[n++] = ALU(BPF_SUB, 5, 4);
		in[n++] = LSH(5, 16);
		in[n++] = ALU(BPF_OR, 0, 5);
		break;
	case P_RXQ:
		in[n++] = LDXW(2, 1, 12);
		in[n++] = LDXW(3, 1, 16);
		in[n++] = MOV(0, 2);
		in[n++] = LSH(0, 8);
		in[n++] = ALU(BPF_OR, 0, 3);
		break;
	case P_HELPER:
		in[n++] = MOVI(2, p->arg);
		in[n++] = CALL(p->helper);
		break;
	case P_BUFLEN: in[n++] = CALL(BPF_FUNC_xdp_get_buff_len); break;
	case P_OOB:
		in[n++] = LDXW(2, 1, 0);
		in[n++] = INSN(BPF_LDX | BPF_MEM | BPF_B, 0, 2, 100, 0);
		break;
	case P_CTX_W:
		in[n++] = MOVI(0, 2);
		in[n++] = INSN(BPF_STX | BPF_MEM | BPF_W, 1, 0, 0, 0);
		break;
	case P_BAD_ARG:
		in[n++] = MOV(1, 10);
		in[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -8);
		in[n++] = MOVI(2, 4);
		in[n++] = CALL(BPF_FUNC_xdp_adjust_head);
		break;
	}
	in[n++] = EXIT();
	return n;
}

static int prog_load(const struct backend *b, const struct prog *p)
{
	struct bpf_insn in[16];
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_XDP;
	a.expected_attach_type = p->attach;
	a.insns = (uint64_t)(uintptr_t)in;
	a.insn_cnt = (uint32_t)prog_insns(p, in);
	a.license = (uint64_t)(uintptr_t) "GPL";
	return (int)b->bpf(BPF_PROG_LOAD, &a, sizeof(a));
}

static void prog_close(const struct backend *b, int fd)
{
	if (b->host)
		bpfhost_fd_closed(fd);
	close(fd);
}

/* ---- cases ---- */

struct tcase {
	const char *name;
	struct prog prog;
	uint32_t size_in;
	uint32_t size_out; /* data_size_out */
	bool no_data_out, no_data_in;
	uint32_t ctx_in; /* ctx_size_in, 0: no ctx_in */
	struct xdp_md ctx;
	uint32_t ctx_tail; /* a nonzero byte at ctx_in + ctx_tail */
	bool ctx_in_null;  /* ctx_size_in without ctx_in */
	uint32_t ctx_out;  /* ctx_size_out, 0: no ctx_out */
	bool ctx_out_null;
	uint32_t repeat, flags, cpu, batch;
	int want;	   /* 0 or -errno: the kernel's */
	const char *known; /* a bpfhost bug: printed, not failed */
	const char *host;  /* a legitimate difference: bpfhost gives host_want */
	int host_want;
};

#define C(n, p, in, out, ...)                                                                      \
	{                                                                                          \
		.name = (n), .prog = p, .size_in = (in), .size_out = (out), __VA_ARGS__            \
	}
/* ctx_in (24 bytes) with metadata and data_end, and ctx_out */
#define CTXN(n, meta, end, ...)                                                                    \
	.ctx_in = (n), .ctx = {.data = (meta), .data_end = (end), __VA_ARGS__}, .ctx_out = 24
#define CTX(meta, end, ...) CTXN(24, meta, end, __VA_ARGS__)
#define LENS                                                                                       \
	{                                                                                          \
		.kind = P_LENS                                                                     \
	}
#define BUFLEN                                                                                     \
	{                                                                                          \
		.kind = P_BUFLEN                                                                   \
	}
#define RXQ                                                                                        \
	{                                                                                          \
		.kind = P_RXQ                                                                      \
	}
#define POP4                                                                                       \
	{                                                                                          \
		.kind = P_HELPER, .helper = BPF_FUNC_xdp_adjust_head, .arg = 4                     \
	}
#define DEVMAP                                                                                     \
	{                                                                                          \
		.kind = P_LENS, .attach = BPF_XDP_DEVMAP                                           \
	}
#define CPUMAP                                                                                     \
	{                                                                                          \
		.kind = P_LENS, .attach = BPF_XDP_CPUMAP                                           \
	}
#define LIVE BPF_F_TEST_XDP_LIVE_FRAMES
#define LIVE_REFUSED "bpfhost refuses BPF_F_TEST_XDP_LIVE_FRAMES (no network stack to pass to)"

static const struct tcase cases[] = {
	/* sizes: at least ETH_HLEN, the linear part at most a page less the
	 * headroom (256) and the skb_shared_info (320), the rest in fragments */
	C("64 bytes", LENS, 64, 128),
	C("13 bytes: shorter than ETH_HLEN", LENS, 13, 128, .want = -EINVAL),
	C("14 bytes", LENS, 14, 128),
	C("0 bytes", LENS, 0, 128, .want = -EINVAL),
	C("3520 bytes: the whole linear part", LENS, 3520, BUF_LEN),
	C("3521 bytes: one in a fragment", LENS, 3521, BUF_LEN),
	C("3521 bytes: get_buff_len counts the fragment", BUFLEN, 3521, BUF_LEN),
	C("17 full fragments", BUFLEN, FRAGS_MAX, BUF_LEN),
	C("18 fragments", BUFLEN, FRAGS_MAX + 1, BUF_LEN, .want = -ENOMEM),
	C("data_in NULL", LENS, 64, 128, .no_data_in = true, .want = -EFAULT),
	/* data_out: clamped to a nonzero data_size_out */
	C("data_size_out 10 < 64", LENS, 64, 10, .want = -ENOSPC),
	C("data_size_out 0: all copied", LENS, 64, 0),
	C("data_out NULL", LENS, 64, 0, .no_data_out = true),
	C("data_out NULL, data_size_out 10", LENS, 64, 10, .no_data_out = true, .want = -ENOSPC),
	C("17 fragments, data_size_out 70000", BUFLEN, FRAGS_MAX, 70000, .want = -ENOSPC),
	C("fragments, data_size_out below their size: nothing reported", BUFLEN, 3620, 50,
	  .want = -ENOSPC),
	C("fragments, data_size_out clamps the linear part", BUFLEN, 3620, 3600, .want = -ENOSPC),
	/* ctx_in and ctx_out */
	C("ctx_out alone: linear part 0, all in fragments", LENS, 64, 128, .ctx_out = 24),
	C("ctx_out 20 < 24", LENS, 64, 128, .ctx_out = 20, .want = -ENOSPC),
	C("ctx data_end 64", LENS, 64, 128, CTX(0, 64)),
	C("ctx data_end 60: 4 bytes in a fragment", LENS, 64, 128, CTX(0, 60)),
	C("ctx data_end 0", LENS, 64, 128, CTX(0, 0)),
	C("ctx data_end 65 > data_size_in", LENS, 64, 128, CTX(0, 65), .want = -EINVAL),
	C("ctx data 8 > data_end 4", LENS, 64, 128, CTX(8, 4), .want = -EINVAL),
	C("metadata 8", LENS, 64, 128, CTX(8, 64)),
	C("metadata 6: not a multiple of 4", LENS, 64, 128, CTX(6, 64), .want = -EINVAL),
	C("metadata 216: the headroom less the xdp_frame", LENS, 280, 1280, CTX(216, 280)),
	C("metadata 220", LENS, 284, 1280, CTX(220, 284), .want = -EINVAL),
	C("metadata 60, 4 bytes of packet", LENS, 64, 128, CTX(60, 64), .want = -EINVAL),
	C("metadata 8, data_end 3600: the linear part clamped to 3528", LENS, 3600, BUF_LEN,
	  CTX(8, 3600)),
	C("ctx data_meta 1", LENS, 64, 128, CTX(0, 64, .data_meta = 1), .want = -EINVAL),
	C("ingress_ifindex 1 (lo)", RXQ, 64, 128, CTX(0, 64, .ingress_ifindex = 1)),
	C("ingress_ifindex 1, rx_queue_index 1", LENS, 64, 128,
	  CTX(0, 64, .ingress_ifindex = 1, .rx_queue_index = 1), .want = -EINVAL),
	C("ingress_ifindex 0, rx_queue_index 1", LENS, 64, 128, CTX(0, 64, .rx_queue_index = 1),
	  .want = -EINVAL),
	C("ingress_ifindex 99999: no such device", LENS, 64, 128,
	  CTX(0, 64, .ingress_ifindex = 99999), .want = -ENODEV),
	C("egress_ifindex 1", LENS, 64, 128, CTX(0, 64, .egress_ifindex = 1), .want = -EINVAL),
	C("the program sees lo's queue 0 by default", RXQ, 64, 128),
	C("ctx_in of 16 bytes", LENS, 64, 128, CTXN(16, 0, 64)),
	C("ctx_in of 28 bytes, zero tail", LENS, 64, 128, CTXN(28, 0, 64)),
	C("ctx_in of 28 bytes, nonzero tail", LENS, 64, 128, CTXN(28, 0, 64), .ctx_tail = 27,
	  .want = -E2BIG),
	C("ctx_in of 4097 bytes", LENS, 64, 128, CTXN(4097, 0, 64), .want = -E2BIG),
	C("ctx_in NULL, ctx_size_in 24", LENS, 64, 128, CTX(0, 64), .ctx_in_null = true,
	  .want = -EINVAL),
	C("ctx_out NULL, ctx_size_out 24", LENS, 64, 128, .ctx_out = 24, .ctx_out_null = true,
	  .want = -EINVAL),
	/* flags, cpu, batch_size, repeat, attach type */
	C("flags 1", LENS, 64, 128, .flags = 1, .want = -EINVAL),
	C("flags 4", LENS, 64, 128, .flags = 4, .want = -EINVAL),
	C("live frames", LENS, 64, 0, .flags = LIVE, .host = LIVE_REFUSED, .host_want = -EINVAL),
	C("live frames, batch_size 256", LENS, 64, 0, .flags = LIVE, .batch = 256,
	  .host = LIVE_REFUSED, .host_want = -EINVAL),
	C("live frames, batch_size 257", LENS, 64, 0, .flags = LIVE, .batch = 257, .want = -E2BIG),
	C("live frames, 3408 bytes", LENS, 3408, 0, .flags = LIVE, .host = LIVE_REFUSED,
	  .host_want = -EINVAL),
	C("live frames, 3409 bytes: would need a fragment", LENS, 3409, 0, .flags = LIVE,
	  .want = -EINVAL),
	C("live frames with ctx and data_out", LENS, 64, 128, CTX(0, 64), .flags = LIVE,
	  .want = -EINVAL),
	C("cpu 1: ignored", LENS, 64, 128, .cpu = 1),
	C("batch_size 1 without live frames", LENS, 64, 128, .batch = 1, .want = -EINVAL),
	C("repeat 3: the runs share the buffer", POP4, 64, 128, .repeat = 3),
	C("repeat 20: the 13th pop fails", POP4, 64, 128, .repeat = 20),
	C("expected_attach_type BPF_XDP_DEVMAP", DEVMAP, 64, 128, .want = -EINVAL),
	C("expected_attach_type BPF_XDP_CPUMAP", CPUMAP, 64, 128, .want = -EINVAL),
};

/* The helpers at and past their limits, on 64 bytes, on 64 behind 8 bytes of
 * metadata, on 40 linear + 24 in a fragment, on 3520 linear + 5000 in two. */
enum layout { PLAIN, META8, LIN40, FRAGS };

static const int head_meta_args[] = {-216, -217, -220, 0, 4, 50, 51, -1, 64};
static const int tail_args[] = {3456, 3457, -50, -51, 100, 10, -10, -200, 4000, -3000};

static struct tcase helper_case(int helper, int arg, enum layout l, char *name, size_t len)
{
	struct tcase c = {.prog = {.kind = P_HELPER, .helper = helper, .arg = arg},
			  .size_in = 64,
			  .size_out = BUF_LEN};
	static const char *const lnames[] = {"64", "meta 8", "40+24", "3520+5000"};

	snprintf(name, len, "%s(%d) on %s",
		 helper == BPF_FUNC_xdp_adjust_head   ? "adjust_head"
		 : helper == BPF_FUNC_xdp_adjust_meta ? "adjust_meta"
						      : "adjust_tail",
		 arg, lnames[l]);
	c.name = name;
	if (l != PLAIN) {
		c.ctx_in = c.ctx_out = sizeof(struct xdp_md);
		c.ctx.data = l == META8 ? 8 : 0;
		c.ctx.data_end = l == META8 ? 72 : l == LIN40 ? 40 : 3520;
		c.size_in = l == META8 ? 72 : l == LIN40 ? 64 : 8520;
	}
	return c;
}

/* ---- running ---- */

struct result {
	int ret; /* 0 or -errno */
	uint32_t retval, size_out, ctx_size_out;
	uint8_t out[BUF_LEN];
	uint8_t ctx_out[32];
};

static uint8_t data_in[BUF_LEN];
static uint8_t ctx_in[4200];

static void run_case(const struct backend *b, const struct tcase *c, struct result *r)
{
	union bpf_attr a;
	int fd = prog_load(b, &c->prog);

	memset(r->out, 0xee, sizeof(r->out));
	memset(r->ctx_out, 0xee, sizeof(r->ctx_out));
	if (fd < 0) {
		r->ret = -1000 - errno; /* the load failed: never equal to a case's want */
		return;
	}
	memset(ctx_in, 0, sizeof(ctx_in));
	memcpy(ctx_in, &c->ctx, sizeof(c->ctx));
	if (c->ctx_tail)
		ctx_in[c->ctx_tail] = 1;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = c->no_data_in ? 0 : (uint64_t)(uintptr_t)data_in;
	a.test.data_size_in = c->size_in;
	a.test.data_out = c->no_data_out ? 0 : (uint64_t)(uintptr_t)r->out;
	a.test.data_size_out = c->size_out;
	if (c->ctx_in) {
		a.test.ctx_in = c->ctx_in_null ? 0 : (uint64_t)(uintptr_t)ctx_in;
		a.test.ctx_size_in = c->ctx_in;
	}
	if (c->ctx_out) {
		a.test.ctx_out = c->ctx_out_null ? 0 : (uint64_t)(uintptr_t)r->ctx_out;
		a.test.ctx_size_out = c->ctx_out;
	}
	a.test.repeat = c->repeat;
	a.test.flags = c->flags;
	a.test.cpu = c->cpu;
	a.test.batch_size = c->batch;
	r->ret = b->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)) < 0 ? -errno : 0;
	r->retval = a.test.retval;
	r->size_out = a.test.data_size_out;
	r->ctx_size_out = a.test.ctx_size_out;
	prog_close(b, fd);
}

static int n_compared, n_known, n_known_gone, n_host_diff;

static void compare(const struct tcase *c, const struct result *h, const struct result *k)
{
	bool reported = h->retval == k->retval && h->size_out == k->size_out &&
			h->ctx_size_out == k->ctx_size_out;
	bool bytes = !memcmp(h->out, k->out, sizeof(h->out)) &&
		     !memcmp(h->ctx_out, k->ctx_out, sizeof(h->ctx_out));

	n_compared++;
	if (c->host) {
		CHECK(k->ret == c->want, "%s: the kernel gives %d, the case says %d", c->name,
		      k->ret, c->want);
		printf("DIFF  %s: kernel %d, bpfhost %d: %s\n", c->name, k->ret, h->ret, c->host);
		n_host_diff++;
		return;
	}
	CHECK(h->ret == k->ret, "%s: bpfhost %d (%s), kernel %d (%s)", c->name, h->ret,
	      strerror(-h->ret), k->ret, strerror(-k->ret));
	CHECK(bytes, "%s: data_out or ctx_out bytes differ", c->name);
	if (c->known && !reported) {
		printf("KNOWN %s: retval %u/%u, data_size_out %u/%u, ctx_size_out %u/%u "
		       "(bpfhost/kernel): %s\n",
		       c->name, h->retval, k->retval, h->size_out, k->size_out, h->ctx_size_out,
		       k->ctx_size_out, c->known);
		n_known++;
		return;
	}
	if (c->known) {
		printf("KNOWN BUG NO LONGER SHOWS (fixed? remove the marker): %s\n", c->name);
		n_known_gone++;
	}
	CHECK(reported,
	      "%s: retval %u/%u, data_size_out %u/%u, ctx_size_out %u/%u (bpfhost/kernel)", c->name,
	      h->retval, k->retval, h->size_out, k->size_out, h->ctx_size_out, k->ctx_size_out);
}

static void one(const struct tcase *c, bool kernel, struct result *res)
{
	int want = c->host ? c->host_want : c->want;

	run_case(&backends[0], c, &res[0]);
	CHECK(res[0].ret == want, "%s: bpfhost gives %d (%s), want %d", c->name, res[0].ret,
	      strerror(-res[0].ret), want);
	if (!kernel)
		return;
	run_case(&backends[1], c, &res[1]);
	compare(c, &res[0], &res[1]);
}

/* ---- bpfhost alone: what the checked interpreter stops ---- */

static void faults(struct result *r)
{
	static const struct {
		const char *name;
		struct prog prog;
	} progs[] = {
		{"a read past data_end", {.kind = P_OOB}},
		{"a write to the context", {.kind = P_CTX_W}},
		{"a helper given the stack for the context", {.kind = P_BAD_ARG}},
	};

	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		struct tcase c = {.name = progs[i].name,
				  .prog = progs[i].prog,
				  .size_in = 64,
				  .size_out = 128};

		run_case(&backends[0], &c, r);
		CHECK(r->ret == -EFAULT, "%s: bpfhost gives %d, want EFAULT", c.name, r->ret);
	}
}

static bool kernel_usable(void)
{
	struct prog p = LENS;
	int fd;

	if (getenv("BPFHOST_TEST_NO_KERNEL")) {
		printf("NOTICE: BPFHOST_TEST_NO_KERNEL set: XDP test runs not compared with the "
		       "kernel\n");
		return false;
	}
	fd = prog_load(&backends[1], &p);
	if (fd < 0) {
		printf("NOTICE: the kernel refused an XDP program (%s): XDP test runs not compared "
		       "with the kernel\n",
		       strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

int main(void)
{
	struct result *res = calloc(2, sizeof(*res));
	bool kernel = kernel_usable();
	char name[80];

	if (!res)
		return 1;
	for (size_t i = 0; i < sizeof(data_in); i++)
		data_in[i] = (uint8_t)(i * 7 + i / 256);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		one(&cases[i], kernel, res);
	for (size_t i = 0; i < ARRAY_SIZE(head_meta_args); i++) {
		for (enum layout l = PLAIN; l <= META8; l++) {
			struct tcase c;

			c = helper_case(BPF_FUNC_xdp_adjust_head, head_meta_args[i], l, name,
					sizeof(name));
			one(&c, kernel, res);
			c = helper_case(BPF_FUNC_xdp_adjust_meta, head_meta_args[i], l, name,
					sizeof(name));
			one(&c, kernel, res);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(tail_args); i++) {
		for (enum layout l = PLAIN; l <= FRAGS; l++) {
			struct tcase c = helper_case(BPF_FUNC_xdp_adjust_tail, tail_args[i], l,
						     name, sizeof(name));

			one(&c, kernel, res);
		}
	}
	faults(res);
	if (kernel)
		printf("xdp test run: %d cases compared with the kernel (%d known bpfhost bugs "
		       "shown, %d no longer showing, %d legitimate differences)\n",
		       n_compared, n_known, n_known_gone, n_host_diff);
	free(res);
	return TEST_DONE();
}
