// SPDX-License-Identifier: GPL-2.0
/* A syscall program that writes records into a ring buffer: n reserved ones
 * (those whose seq % 4 == 3 discarded), then one by bpf_ringbuf_output, and
 * reports what bpf_ringbuf_query says. tests/libbpf/test_ringbuf.c loads it
 * and reads the records with libbpf's ring_buffer. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct args {
	__u32 seq;     /* in: seq of the first reserved record */
	__u32 n;       /* in: records to reserve */
	__u32 out_seq; /* in: seq of the output record */
	__u32 reserve_fails;
	__s64 output_err;
	__s64 bad_output_err; /* bpf_ringbuf_output with flags 4 */
	__u64 bad_reserve;    /* bpf_ringbuf_reserve with flags 1 returned NULL */
	__u64 avail, ring_size, cons, prod;
};

/* 40 bytes: a record takes 48 in the ring, so records wrap mid-record */
struct rec {
	__u32 seq;
	__u32 kind; /* 1 reserved, 2 output */
	__u64 check;
	__u64 fill[3];
};

static __always_inline void fill(struct rec *r, __u32 seq, __u32 kind)
{
	r->seq = seq;
	r->kind = kind;
	r->check = seq * 0x9e3779b97f4a7c15ull;
	r->fill[0] = seq + 1;
	r->fill[1] = seq + 2;
	r->fill[2] = ~(__u64)seq;
}

SEC("syscall")
int produce(struct args *ctx)
{
	__u32 n = ctx->n, seq = ctx->seq;
	struct rec o = {}, *r;
	void *bad;

	for (__u32 i = 0; i < 100; i++) {
		if (i >= n)
			break;
		r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
		if (!r) {
			ctx->reserve_fails++;
			break;
		}
		fill(r, seq + i, 1);
		if ((seq + i) % 4 == 3)
			bpf_ringbuf_discard(r, 0);
		else
			bpf_ringbuf_submit(r, 0);
	}
	bad = bpf_ringbuf_reserve(&rb, 8, 1);
	ctx->bad_reserve = bad == 0;
	if (bad)
		bpf_ringbuf_discard(bad, 0);
	fill(&o, ctx->out_seq, 2);
	ctx->bad_output_err = bpf_ringbuf_output(&rb, &o, sizeof(o), 4);
	ctx->output_err = bpf_ringbuf_output(&rb, &o, sizeof(o), 0);
	ctx->avail = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	ctx->ring_size = bpf_ringbuf_query(&rb, BPF_RB_RING_SIZE);
	ctx->cons = bpf_ringbuf_query(&rb, BPF_RB_CONS_POS);
	ctx->prod = bpf_ringbuf_query(&rb, BPF_RB_PROD_POS);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
