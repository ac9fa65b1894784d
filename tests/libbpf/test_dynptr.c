/* The dynptr helpers from clang-compiled programs (tests/bpf/dynptr.bpf.c)
 * loaded by Debian's libbpf: bpf_dynptr_from_mem over a map value and
 * bpf_ringbuf_reserve_dynptr, read, written and sliced at every edge of
 * their offsets, lengths, sizes and flags (the errno each gives, the bytes
 * moved, what a failed call leaves), and the records user space reads with
 * libbpf's ring_buffer. Built with the wrap it runs on bpfhost; built with
 * -DKERNEL_BACKEND the same checks run against the kernel. bpfhost alone
 * then runs what the verifier would refuse: dynptrs used after their record
 * was submitted, copied, made by hand or put where they cannot be.
 * Usage: test_dynptr OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"
#ifndef KERNEL_BACKEND
#include "../../src/core/obj.h"
#include "../../src/maps/map.h"
#endif

#define DYNPTR_MAX_SIZE ((1u << 24) - 1)
#define MARK 0xd0d0d0d0d0d0d0d0ull

struct dynptr_kern {
	__u64 data;
	__u32 size;
	__u32 offset;
};

struct mem_args {
	__u64 flags;
	__u32 size;
	__u32 rlen;
	__u64 roff;
	__u64 rflags;
	__u32 wlen;
	__u32 pad;
	__u64 woff;
	__u64 wflags;
	__u64 doff;
	__u8 src[64];
	__u8 dst[64];
	__s64 from_ret, read_ret, write_ret;
	__u32 data0, data8, data64;
	__u32 pad2;
};

struct ring_args {
	__u64 size;
	__u64 flags;
	__u64 commit_flags;
	__u32 discard;
	__u32 wlen;
	__u64 woff;
	__u64 wflags;
	__u32 rlen;
	__u32 pad;
	__u64 roff;
	__u64 mark;
	__u8 src[64];
	__u8 dst[64];
	__s64 reserve_ret, write_ret, read_ret;
	__u32 data8;
	__u32 pad2;
	__u64 prod;
};

struct after_args {
	__s64 reserve_ret, read_ret, write_ret;
	__u64 data;
	__u64 size_word;
};

struct crafted_args {
	__u32 mode;
	__u32 pad;
	__s64 read_ret, write_ret;
	__u64 data;
	__u64 got;
};

struct layout_args {
	__u64 value;
	struct dynptr_kern mem, rec;
	__u64 sample;
	struct dynptr_kern bad;
};

static struct bpf_object *obj;
static int mem_fd, rb_fd;
static struct ring_buffer *rb;

/* the records user space read since the last drain() */
static struct {
	int n;
	__u32 len[128];
	__u8 data[128][64];
	__u8 tail[128][16]; /* the last 16 bytes */
} seen;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (seen.n < 128) {
		seen.len[seen.n] = (__u32)size;
		memcpy(seen.data[seen.n], data, size < 64 ? size : 64);
		if (size >= 16)
			memcpy(seen.tail[seen.n], (const __u8 *)data + size - 16, 16);
	}
	seen.n++;
	return 0;
}

/* Reads every record there is: how many. */
static int drain(void)
{
	seen.n = 0;
	return ring_buffer__consume(rb);
}

/* Test-runs the program name with ctx: 0 with *retval, or -errno. */
static int run(const char *name, void *ctx, __u32 size, __u32 *retval)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = size);
	int err;

	if (!prog)
		return -ENOENT;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err)
		return -errno;
	if (retval)
		*retval = opts.retval;
	return 0;
}

static void set_value(const __u8 *v)
{
	__u32 zero = 0;

	CHECK(bpf_map_update_elem(mem_fd, &zero, v, 0) == 0, "set the map value: %s",
	      strerror(errno));
}

static void get_value(__u8 *v)
{
	__u32 zero = 0;

	CHECK(bpf_map_lookup_elem(mem_fd, &zero, v) == 0, "read the map value: %s",
	      strerror(errno));
}

/* ---- bpf_dynptr_from_mem, read, write, data ---- */

struct mem_case {
	const char *what;
	__u32 size;
	__u64 flags;
	__u32 rlen;
	__u64 roff, rflags;
	__u32 wlen;
	__u64 woff, wflags;
	__u64 doff;
	int from, read, write; /* the errnos wanted */
	int data0, data8, data64;
};

#define U32_MAX 0xffffffffull
static const struct mem_case mem_cases[] = {
	{"in range", 32, 0, 8, 4, 0, 8, 16, 0, 24, 0, 0, 0, 1, 1, 0},
	{"whole value", 64, 0, 64, 0, 0, 64, 0, 0, 0, 0, 0, 0, 1, 1, 1},
	{"empty dynptr", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
	{"empty dynptr, offset 1", 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, -E2BIG, -E2BIG, 0, 0, 0},
	{"flags make it null", 32, 1, 8, 0, 0, 8, 0, 0, 0, -EINVAL, -EINVAL, -EINVAL, 0, 0, 0},
	{"flags, empty", 0, 2, 0, 0, 0, 0, 0, 0, 0, -EINVAL, -EINVAL, -EINVAL, 0, 0, 0},
	{"len past the end", 16, 0, 17, 0, 0, 17, 0, 0, 9, 0, -E2BIG, -E2BIG, 1, 0, 0},
	{"zero bytes at the end", 16, 0, 0, 16, 0, 0, 16, 0, 16, 0, 0, 0, 1, 0, 0},
	{"zero bytes past the end", 16, 0, 0, 17, 0, 0, 17, 0, 17, 0, -E2BIG, -E2BIG, 0, 0, 0},
	{"last 8 bytes", 16, 0, 8, 8, 0, 8, 8, 0, 8, 0, 0, 0, 1, 1, 0},
	{"offset U32_MAX", 16, 0, 1, U32_MAX, 0, 1, U32_MAX, 0, U32_MAX, 0, -E2BIG, -E2BIG, 0, 0,
	 0},
	{"offset + len wraps", 16, 0, 16, U32_MAX - 7, 0, 16, U32_MAX - 7, 0, U32_MAX - 3, 0,
	 -E2BIG, -E2BIG, 0, 0, 0},
	/* offsets are u32: the top half of the register is not looked at */
	{"offset 1 << 32 is 0", 16, 0, 8, 1ull << 32, 0, 8, (1ull << 32) + 4, 0, 1ull << 32, 0, 0,
	 0, 1, 1, 0},
	{"read flags", 32, 0, 8, 0, 1, 8, 0, 0, 0, 0, -EINVAL, 0, 1, 1, 0},
	{"read flags come first", 32, 0, 8, 40, 1, 8, 0, 0, 0, 0, -EINVAL, 0, 1, 1, 0},
	{"write flags", 32, 0, 8, 0, 0, 8, 0, 1, 0, 0, 0, -EINVAL, 1, 1, 0},
	{"write range comes first", 32, 0, 8, 0, 0, 8, 28, 4, 0, 0, 0, -E2BIG, 1, 1, 0},
	{"write flags, high bits", 32, 0, 8, 0, 0, 8, 0, 1ull << 40, 0, 0, 0, -EINVAL, 1, 1, 0},
};

static void test_mem_case(const struct mem_case *c)
{
	struct mem_args a = {.size = c->size,
			     .flags = c->flags,
			     .rlen = c->rlen,
			     .roff = c->roff,
			     .rflags = c->rflags,
			     .wlen = c->wlen,
			     .woff = c->woff,
			     .wflags = c->wflags,
			     .doff = c->doff};
	__u8 before[64], after[64], want[64], out[64] = {};
	__u32 ret = 99, roff = (__u32)c->roff, woff = (__u32)c->woff, doff = (__u32)c->doff;
	int err;

	for (int i = 0; i < 64; i++) {
		before[i] = (__u8)(i + 1);
		a.src[i] = (__u8)(0xa0 + i);
	}
	set_value(before);
	err = run("mem_ops", &a, sizeof(a), &ret);
	CHECK(err == 0 && ret == 0, "%s: run %d, ret %u", c->what, err, ret);
	CHECK(a.from_ret == c->from && a.read_ret == c->read && a.write_ret == c->write,
	      "%s: from_mem %lld read %lld write %lld, want %d %d %d", c->what,
	      (long long)a.from_ret, (long long)a.read_ret, (long long)a.write_ret, c->from,
	      c->read, c->write);
	CHECK(a.data0 == (__u32)c->data0 && a.data8 == (__u32)c->data8 &&
		      a.data64 == (__u32)c->data64,
	      "%s: data(0, 8, 64) %u %u %u, want %d %d %d", c->what, a.data0, a.data8, a.data64,
	      c->data0, c->data8, c->data64);
	/* the bytes: read before the write, the write, then data's 8 bytes */
	memcpy(want, before, 64);
	if (a.read_ret == 0)
		memcpy(out, before + roff, c->rlen);
	CHECK(memcmp(a.dst, out, 64) == 0, "%s: the bytes read", c->what);
	if (a.write_ret == 0)
		memcpy(want + woff, a.src, c->wlen);
	if (a.data8) {
		__u64 m = MARK;

		memcpy(want + doff, &m, 8);
	}
	get_value(after);
	CHECK(memcmp(after, want, 64) == 0, "%s: the map value after", c->what);
}

static void test_overlap(void)
{
	__u8 v[64], want[64], after[64];
	__u32 ret = 99;

	for (int i = 0; i < 64; i++)
		v[i] = (__u8)(3 * i + 1);
	set_value(v);
	memcpy(want, v, 64);
	memmove(want, want + 4, 32);
	memmove(want + 40, want + 36, 16);
	CHECK(run("overlap", NULL, 0, &ret) == 0 && ret == 0, "overlap: ret %u", ret);
	get_value(after);
	CHECK(memcmp(after, want, 64) == 0, "overlapping write and read move as memmove");
}

/* ---- ring buffer dynptrs ---- */

/* reserve size, write wlen bytes of a pattern at 0, read them back, submit */
static int ring_run(struct ring_args *a)
{
	__u32 ret = 99;
	int err;

	for (int i = 0; i < 64; i++)
		a->src[i] = (__u8)(0x40 + i + a->size);
	err = run("ring", a, sizeof(*a), &ret);
	return err ? err : (int)ret;
}

static void test_ring_basic(void)
{
	struct ring_args a = {.size = 16, .wlen = 16, .rlen = 16};
	__u64 mark = 0x1122334455667788ull;

	CHECK(drain() == 0, "an empty ring");
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.read_ret == 0 &&
		      a.data8 == 1,
	      "reserve 16: %lld write %lld read %lld data %u", (long long)a.reserve_ret,
	      (long long)a.write_ret, (long long)a.read_ret, a.data8);
	CHECK(memcmp(a.dst, a.src, 16) == 0, "read back what was written");
	CHECK(drain() == 1 && seen.len[0] == 16 && memcmp(seen.data[0], a.src, 16) == 0,
	      "the record: %d records, len %u", seen.n, seen.len[0]);

	/* an odd size; bpf_dynptr_data's pointer writes the first 8 bytes */
	a = (struct ring_args){.size = 13, .wlen = 13, .rlen = 13, .mark = mark};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.data8 == 1,
	      "reserve 13");
	CHECK(drain() == 1 && seen.len[0] == 13 && memcmp(seen.data[0], &mark, 8) == 0 &&
		      memcmp(seen.data[0] + 8, a.src + 8, 5) == 0,
	      "13 bytes, the first 8 through bpf_dynptr_data: %d records, len %u", seen.n,
	      seen.len[0]);

	/* discarded: nothing to read */
	a = (struct ring_args){.size = 16, .wlen = 16, .discard = 1};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0, "reserve, discard");
	CHECK(drain() == 0, "a discarded record is not read: %d", seen.n);

	/* an empty record */
	a = (struct ring_args){.size = 0};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.read_ret == 0 &&
		      a.data8 == 0,
	      "reserve 0: %lld, data %u", (long long)a.reserve_ret, a.data8);
	CHECK(drain() == 1 && seen.len[0] == 0, "an empty record: %d records", seen.n);

	/* size is u32: the top half of the register is not looked at */
	a = (struct ring_args){.size = (1ull << 32) + 8, .wlen = 8, .rlen = 8};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.read_ret == 0,
	      "reserve (1 << 32) + 8: %lld", (long long)a.reserve_ret);
	CHECK(drain() == 1 && seen.len[0] == 8, "an 8-byte record: %d records, len %u", seen.n,
	      seen.len[0]);
}

/* A failed reservation: the dynptr is null (read, write -EINVAL, data
 * NULL), and the submit the program must still make writes nothing. */
static void check_reserve_fails(__u64 size, __u64 flags, int want, const char *what)
{
	struct ring_args a = {.size = size, .flags = flags, .wlen = 8, .rlen = 8, .mark = 1};

	CHECK(ring_run(&a) == 0 && a.reserve_ret == want && a.write_ret == -EINVAL &&
		      a.read_ret == -EINVAL && a.data8 == 0,
	      "%s: reserve %lld (want %d) write %lld read %lld data %u", what,
	      (long long)a.reserve_ret, want, (long long)a.write_ret, (long long)a.read_ret,
	      a.data8);
	CHECK(drain() == 0, "%s: no record (%d)", what, seen.n);
}

static void test_ring_errors(void)
{
	struct ring_args a;

	check_reserve_fails(16, 1, -EINVAL, "reserve flags 1");
	check_reserve_fails(16, 1ull << 32, -EINVAL, "reserve flags 1 << 32");
	check_reserve_fails(1u << 24, 0, -E2BIG, "reserve 1 << 24");
	check_reserve_fails(U32_MAX, 0, -E2BIG, "reserve U32_MAX");
	check_reserve_fails(1u << 24, 1, -EINVAL, "flags come before the size");
	check_reserve_fails(DYNPTR_MAX_SIZE, 0, -EINVAL, "reserve more than the ring");
	/* 4080 + the 8-byte header fill 4088 of 4096 bytes; 4081 rounds to 4096 */
	check_reserve_fails(4081, 0, -EINVAL, "reserve 4081 of 4096");
	a = (struct ring_args){.size = 4080, .wlen = 8, .woff = 4072, .rlen = 8, .roff = 4072};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.read_ret == 0,
	      "reserve 4080: %lld", (long long)a.reserve_ret);
	CHECK(drain() == 1 && seen.len[0] == 4080, "a 4080-byte record: %d", seen.n);

	/* offsets and lengths against the record's size; write flags */
	a = (struct ring_args){.size = 16, .wlen = 8, .woff = 9, .rlen = 1, .roff = 16};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == -E2BIG &&
		      a.read_ret == -E2BIG,
	      "past the record: write %lld read %lld", (long long)a.write_ret,
	      (long long)a.read_ret);
	a = (struct ring_args){.size = 16, .wlen = 8, .wflags = 1, .rlen = 8, .roff = 8};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == -EINVAL && a.read_ret == 0,
	      "write flags: %lld", (long long)a.write_ret);
	a = (struct ring_args){.size = 4, .wlen = 4, .rlen = 4, .mark = 1};
	CHECK(ring_run(&a) == 0 && a.data8 == 0, "data(0, 8) of 4 bytes is NULL");
	CHECK(drain() == 3 && seen.len[0] == 16 && seen.len[2] == 4 &&
		      memcmp(seen.data[2], a.src, 4) == 0,
	      "three records: %d", seen.n);
}

/* The ring fills: 85 records of 40 bytes (48 in the ring) fit in 4095,
 * then an empty record (8), then nothing. */
static void test_ring_full(void)
{
	struct ring_args a;
	int bad = 0;

	for (int i = 0; i < 85; i++) {
		a = (struct ring_args){.size = 40, .wlen = 8};
		bad += ring_run(&a) != 0 || a.reserve_ret != 0;
	}
	CHECK(bad == 0, "85 records of 40 bytes: %d failed", bad);
	a = (struct ring_args){.size = 40, .wlen = 8, .rlen = 8, .mark = 1};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == -EINVAL && a.write_ret == -EINVAL &&
		      a.read_ret == -EINVAL && a.data8 == 0,
	      "a full ring: reserve %lld", (long long)a.reserve_ret);
	a = (struct ring_args){.size = 0};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "an empty record still fits: %lld",
	      (long long)a.reserve_ret);
	a = (struct ring_args){.size = 0};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == -EINVAL, "then not even that: %lld",
	      (long long)a.reserve_ret);
	CHECK(drain() == 86 && seen.len[84] == 40 && seen.len[85] == 0,
	      "85 records and an empty one: %d", seen.n);
	a = (struct ring_args){.size = 40, .wlen = 8};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "room again once read: %lld",
	      (long long)a.reserve_ret);
	CHECK(drain() == 1, "and read");
}

/* A record whose last 16 bytes run past the ring's end, written, read and
 * sliced through its dynptr: user space reads it whole. */
static void test_ring_wrap(void)
{
	struct ring_args a = {.size = 8};
	__u64 mark = 0x0102030405060708ull, x;

	CHECK(ring_run(&a) == 0 && drain() == 1, "where the ring is");
	x = (a.prod + 16) % 4096;
	if (x < 24 || x > 4072) {
		a = (struct ring_args){.size = 2040}; /* 2048 in the ring */
		CHECK(ring_run(&a) == 0 && drain() == 1, "move on");
		x = (x + 2048) % 4096;
	}
	a = (struct ring_args){.size = 4096 - x + 8,
			       .wlen = 16,
			       .woff = 4096 - x - 8,
			       .rlen = 16,
			       .roff = 4096 - x - 8,
			       .mark = mark};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0 && a.write_ret == 0 && a.read_ret == 0 &&
		      a.data8 == 1 && a.prod % 4096 == x,
	      "a record from %llu past the end: reserve %lld write %lld read %lld",
	      (unsigned long long)x, (long long)a.reserve_ret, (long long)a.write_ret,
	      (long long)a.read_ret);
	CHECK(memcmp(a.dst, a.src, 16) == 0, "read back across the end");
	CHECK(drain() == 1 && seen.len[0] == a.size && memcmp(seen.data[0], &mark, 8) == 0 &&
		      memcmp(seen.tail[0], a.src, 16) == 0,
	      "the record across the end: %d records, len %u", seen.n, seen.len[0]);
}

/* Two records at once, submitted in the other order, and a third that did
 * not fit: user space reads them in the order they were reserved. */
static void test_ring_two(void)
{
	__u64 seq = 1000, v0, v1;
	__u32 ret = 99;

	CHECK(run("ring_two", &seq, sizeof(seq), &ret) == 0 && ret == (__u32)-EINVAL,
	      "ring_two: ret %d", (int)ret);
	CHECK(drain() == 2 && seen.len[0] == 8 && seen.len[1] == 8, "two records: %d", seen.n);
	memcpy(&v0, seen.data[0], 8);
	memcpy(&v1, seen.data[1], 8);
	CHECK(v0 == 1000 && v1 == 1001, "in the order reserved: %llu %llu", (unsigned long long)v0,
	      (unsigned long long)v1);
}

/* bpf_ringbuf_submit_dynptr's flags: no flag is refused; a forced wakeup
 * wakes a consumer that has not caught up. */
static void test_ring_wakeup(void)
{
	struct ring_args a;
	int n = 0, r;

	CHECK(drain() == 0 && ring_buffer__poll(rb, 0) == 0, "an empty ring");
	a = (struct ring_args){.size = 8, .wlen = 8, .commit_flags = BPF_RB_NO_WAKEUP};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "submit, no wakeup");
	a = (struct ring_args){.size = 8, .wlen = 8, .commit_flags = BPF_RB_FORCE_WAKEUP};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "submit, forced wakeup");
	seen.n = 0;
	while (n < 2 && (r = ring_buffer__poll(rb, 5000)) > 0)
		n += r;
	CHECK(n == 2 && seen.n == 2, "poll after a forced wakeup: %d records", n);
	a = (struct ring_args){.size = 8, .wlen = 8, .commit_flags = 0x80};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "submit, unknown flags");
	a = (struct ring_args){.size = 8, .wlen = 8, .commit_flags = 0x80, .discard = 1};
	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "discard, unknown flags");
	CHECK(drain() == 1 && seen.len[0] == 8, "unknown commit flags are ignored: %d", seen.n);
}

/* The XDP program: a dynptr over a copy of packet bytes, a record written
 * from them. */
static void test_xdp(void)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_ring");
	__u8 pkt[64], want[20];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt));
	int err;

	for (int i = 0; i < 64; i++)
		pkt[i] = (__u8)(0x30 + i);
	memcpy(want, pkt, 14);
	memcpy(want + 14, pkt + 6, 6);
	err = prog ? bpf_prog_test_run_opts(bpf_program__fd(prog), &o) : -ENOENT;
	CHECK(err == 0 && o.retval == 2 /* XDP_PASS */, "xdp_ring: err %d retval %u", err,
	      o.retval);
	CHECK(drain() == 1 && seen.len[0] == 20 && memcmp(seen.data[0], want, 20) == 0,
	      "the packet's bytes in the record: %d records, len %u", seen.n, seen.len[0]);
}

#ifndef KERNEL_BACKEND
/* ---- bpfhost alone: what the verifier would refuse ---- */

/* The kernel's epoll says a ring is readable only after a wakeup: with
 * BPF_RB_NO_WAKEUP, or a consumer that has not caught up, a poll with no
 * timeout finds nothing though there are records. bpfhost's epoll says so
 * whenever there is data, so the wakeups themselves are looked at here: the
 * futex word producers bump (ringbuf.c's S_SEQ). */
static __u32 wake_seq(void)
{
	int err = 0;
	struct obj *o = obj_from_fd(rb_fd, OBJ_MAP, NULL, &err);
	__u32 v = 0;

	if (o)
		memcpy(&v, &map_of(o)->hdr->state[0], sizeof(v));
	obj_put(o);
	return v;
}

static void check_wakes(__u64 flags, __u32 want, const char *what)
{
	struct ring_args a = {.size = 8, .wlen = 8, .commit_flags = flags};
	__u32 seq = wake_seq();

	CHECK(ring_run(&a) == 0 && a.reserve_ret == 0, "%s: submit", what);
	CHECK(wake_seq() - seq == want, "%s: %u wakeups, want %u", what, wake_seq() - seq, want);
}

static void test_wakeups(void)
{
	CHECK(drain() == 0, "an empty ring");
	check_wakes(0, 1, "the consumer waits for it");
	check_wakes(0, 0, "the consumer is behind");
	check_wakes(BPF_RB_FORCE_WAKEUP, 1, "behind, forced");
	CHECK(drain() == 3, "three records");
	check_wakes(BPF_RB_NO_WAKEUP, 0, "waiting, no wakeup");
	check_wakes(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP, 1, "both flags: forced");
	CHECK(drain() == 2, "two records");
}

static void test_after_submit(void)
{
	struct after_args a;
	__u64 v;

	memset(&a, 0x77, sizeof(a));
	CHECK(run("after_submit", &a, sizeof(a), NULL) == 0, "after_submit runs");
	CHECK(a.reserve_ret == 0 && a.read_ret == -EINVAL && a.write_ret == -EINVAL &&
		      a.data == 0 && a.size_word == 0,
	      "a submitted dynptr is null: read %lld write %lld data %llx size 0x%llx",
	      (long long)a.read_ret, (long long)a.write_ret, (unsigned long long)a.data,
	      (unsigned long long)a.size_word);
	CHECK(drain() == 1 && seen.len[0] == 8, "one record, submitted once: %d", seen.n);
	memcpy(&v, seen.data[0], 8);
	CHECK(v == 7, "its contents: %llu", (unsigned long long)v);
}

static void test_stale_copy(void)
{
	static const char *const what[] = {"submitted again", "written", "read", "sliced"};
	__u64 v;

	for (__u32 mode = 0; mode < 4; mode++) {
		int err = run("stale_copy", &mode, sizeof(mode), NULL);

		CHECK(err == (mode ? -EFAULT : 0), "a copy %s after submit: %d", what[mode], err);
		CHECK(drain() == 1 && seen.len[0] == 8, "%s: one record: %d", what[mode], seen.n);
		memcpy(&v, seen.data[0], 8);
		CHECK(v == 0x5a5a5a5a5a5a5a5aull, "%s: the record intact: %llx", what[mode],
		      (unsigned long long)v);
	}
}

static void test_crafted(void)
{
	static const char *const what[] = {"",
					   "outside the program's memory",
					   "an skb dynptr",
					   "misaligned",
					   "in .rodata",
					   "in a map value"};
	struct crafted_args a = {.mode = 0};
	__u8 v[64], after[64];

	for (int i = 0; i < 64; i++)
		v[i] = (__u8)(i + 9);
	set_value(v);
	CHECK(run("crafted", &a, sizeof(a), NULL) == 0, "a read-only dynptr");
	CHECK(a.read_ret == 0 && memcmp(&a.got, v, 8) == 0 && a.write_ret == -EINVAL && a.data == 0,
	      "read-only: read %lld write %lld data %llx", (long long)a.read_ret,
	      (long long)a.write_ret, (unsigned long long)a.data);
	get_value(after);
	CHECK(memcmp(v, after, 64) == 0, "read-only: the value unchanged");
	for (__u32 mode = 1; mode < 6; mode++) {
		a = (struct crafted_args){.mode = mode};
		CHECK(run("crafted", &a, sizeof(a), NULL) == -EFAULT, "a dynptr %s: refused",
		      what[mode]);
	}
}

static void test_layout(void)
{
	struct layout_args a = {0};
	const struct dynptr_kern zero = {0};

	CHECK(run("layout", &a, sizeof(a), NULL) == 0, "layout runs");
	CHECK(a.mem.data == a.value && a.mem.size == (24 | 1u << 28) && a.mem.offset == 0,
	      "a local dynptr: data %llx (value %llx) size 0x%x offset %u",
	      (unsigned long long)a.mem.data, (unsigned long long)a.value, a.mem.size,
	      a.mem.offset);
	CHECK(memcmp(&a.bad, &zero, sizeof(zero)) == 0, "a failed one is all zeroes");
	CHECK(a.rec.data == a.sample && a.rec.data && a.rec.size == (40 | 2u << 28) &&
		      a.rec.offset == 0,
	      "a ring buffer dynptr: size 0x%x", a.rec.size);
	CHECK(drain() == 0, "discarded");
}
#endif

int main(int argc, char **argv)
{
	static const char *const unverified[] = {"after_submit", "stale_copy", "crafted", "layout"};
	struct bpf_map *map;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: test_dynptr OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	CHECK(obj != NULL, "open %s: %s", argv[1], strerror(errno));
	if (!obj)
		return TEST_DONE();
#ifndef KERNEL_BACKEND
	for (size_t i = 0; i < sizeof(unverified) / sizeof(unverified[0]); i++)
		bpf_program__set_autoload(bpf_object__find_program_by_name(obj, unverified[i]),
					  true);
#else
	(void)unverified;
#endif
	r = test_load_object(obj);
	if (r) {
		bpf_object__close(obj);
		return r > 0 ? 0 : TEST_DONE();
	}
	mem_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "mem"));
	map = bpf_object__find_map_by_name(obj, "rb");
	rb_fd = map ? bpf_map__fd(map) : -1;
	rb = map ? ring_buffer__new(rb_fd, on_sample, NULL, NULL) : NULL;
	CHECK(rb != NULL, "ring_buffer__new: %s", strerror(errno));
	if (!rb)
		goto out;

	for (size_t i = 0; i < sizeof(mem_cases) / sizeof(mem_cases[0]); i++)
		test_mem_case(&mem_cases[i]);
	test_overlap();
	test_ring_basic();
	test_ring_errors();
	test_ring_full();
	test_ring_wrap();
	test_ring_two();
	test_ring_wakeup();
	test_xdp();
#ifndef KERNEL_BACKEND
	test_wakeups();
	test_after_submit();
	test_stale_copy();
	test_crafted();
	test_layout();
#endif
out:
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return TEST_DONE();
}
