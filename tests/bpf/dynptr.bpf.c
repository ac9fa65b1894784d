// SPDX-License-Identifier: GPL-2.0
/* Syscall programs that use dynptrs: to a map value (bpf_dynptr_from_mem)
 * and to ring buffer records (bpf_ringbuf_reserve_dynptr), read, written and
 * sliced with whatever offsets, lengths and flags the context asks for; the
 * results go back in the context. tests/libbpf/test_dynptr.c runs them on
 * bpfhost and on the kernel. The programs in "?syscall" sections break the
 * verifier's rules on purpose (a dynptr used after its record was submitted,
 * copied, or made by hand): only bpfhost loads them, to see what its run-time
 * checks do. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct buf {
	__u8 b[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct buf);
} mem SEC(".maps");

/* a dynptr where a program may not write it */
const volatile struct bpf_dynptr ro_dynptr;

/* struct bpf_dynptr as the kernel lays it out (struct bpf_dynptr_kern) */
struct dynptr_kern {
	__u64 data;
	__u32 size; /* bits 0-23 size, 28-30 type, 31 read-only */
	__u32 offset;
};

struct mem_args {
	__u64 flags; /* bpf_dynptr_from_mem's */
	__u32 size;  /* bytes of the map value in the dynptr (at most 64) */
	__u32 rlen;  /* bpf_dynptr_read: rlen bytes at roff, into dst */
	__u64 roff;
	__u64 rflags;
	__u32 wlen; /* bpf_dynptr_write: wlen bytes of src at woff */
	__u32 pad;
	__u64 woff;
	__u64 wflags;
	__u64 doff; /* bpf_dynptr_data(doff, 8): its 8 bytes set to 0xd0 */
	__u8 src[64];
	__u8 dst[64];
	__s64 from_ret, read_ret, write_ret;
	__u32 data0, data8, data64; /* bpf_dynptr_data(doff, 0 / 8 / 64) was not NULL */
	__u32 pad2;
};

SEC("syscall")
int mem_ops(struct mem_args *a)
{
	__u8 in[64], out[64] = {};
	struct bpf_dynptr d;
	__u32 zero = 0, size = a->size, rlen = a->rlen, wlen = a->wlen;
	struct buf *v = bpf_map_lookup_elem(&mem, &zero);
	__u64 *p;

	if (!v || size > 64 || rlen > 64 || wlen > 64)
		return 1;
	__builtin_memcpy(in, a->src, sizeof(in));
	a->from_ret = bpf_dynptr_from_mem(v, size, a->flags, &d);
	a->read_ret = bpf_dynptr_read(out, rlen, &d, a->roff, a->rflags);
	a->write_ret = bpf_dynptr_write(&d, a->woff, in, wlen, a->wflags);
	a->data0 = bpf_dynptr_data(&d, a->doff, 0) != 0;
	a->data64 = bpf_dynptr_data(&d, a->doff, 64) != 0;
	p = bpf_dynptr_data(&d, a->doff, 8);
	a->data8 = p != 0;
	if (p)
		*p = 0xd0d0d0d0d0d0d0d0ull;
	__builtin_memcpy(a->dst, out, sizeof(out));
	return 0;
}

/* Source and destination in one map value: bpf_dynptr_write from v + 4 to
 * the dynptr's first 32 bytes, then bpf_dynptr_read of 16 bytes at 36 to
 * v + 40. Both move as memmove does. */
SEC("syscall")
int overlap(void *ctx)
{
	struct bpf_dynptr d;
	__u32 zero = 0;
	struct buf *v = bpf_map_lookup_elem(&mem, &zero);
	long a, b;

	if (!v)
		return 1;
	bpf_dynptr_from_mem(v, 64, 0, &d);
	a = bpf_dynptr_write(&d, 0, v->b + 4, 32, 0);
	b = bpf_dynptr_read(v->b + 40, 16, &d, 36, 0);
	return a || b ? 2 : 0;
}

struct ring_args {
	__u64 size;  /* bpf_ringbuf_reserve_dynptr's size: the helper takes 32 bits */
	__u64 flags; /* and flags */
	__u64 commit_flags;
	__u32 discard; /* discard rather than submit */
	__u32 wlen;    /* bpf_dynptr_write: wlen bytes of src at woff */
	__u64 woff;
	__u64 wflags;
	__u32 rlen; /* bpf_dynptr_read: rlen bytes at roff, into dst */
	__u32 pad;
	__u64 roff;
	__u64 mark; /* nonzero: the record's first 8 bytes, through bpf_dynptr_data */
	__u8 src[64];
	__u8 dst[64];
	__s64 reserve_ret, write_ret, read_ret;
	__u32 data8; /* bpf_dynptr_data(0, 8) was not NULL */
	__u32 pad2;
	__u64 prod; /* the producer position before the reservation */
};

SEC("syscall")
int ring(struct ring_args *a)
{
	__u8 in[64], out[64] = {};
	struct bpf_dynptr d;
	__u32 rlen = a->rlen, wlen = a->wlen;
	__u64 *p;

	if (rlen > 64 || wlen > 64)
		return 1;
	__builtin_memcpy(in, a->src, sizeof(in));
	a->prod = bpf_ringbuf_query(&rb, BPF_RB_PROD_POS);
	a->reserve_ret = bpf_ringbuf_reserve_dynptr(&rb, a->size, a->flags, &d);
	a->write_ret = bpf_dynptr_write(&d, a->woff, in, wlen, a->wflags);
	a->read_ret = bpf_dynptr_read(out, rlen, &d, a->roff, 0);
	p = bpf_dynptr_data(&d, 0, 8);
	a->data8 = p != 0;
	if (p && a->mark)
		*p = a->mark;
	/* even a failed reservation is submitted or discarded */
	if (a->discard)
		bpf_ringbuf_discard_dynptr(&d, a->commit_flags);
	else
		bpf_ringbuf_submit_dynptr(&d, a->commit_flags);
	__builtin_memcpy(a->dst, out, sizeof(out));
	return 0;
}

/* Two records reserved at once, each 8 bytes of seq, seq + 1, submitted in
 * the other order; a third reservation too big for the ring fails between
 * them. Returns the third's error, or 1 if one of the two failed. */
SEC("syscall")
int ring_two(__u64 *seq)
{
	struct bpf_dynptr d1, d2, d3;
	__u64 s1 = *seq, s2 = *seq + 1;
	long e1, e2, e3;

	e1 = bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &d1);
	e2 = bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &d2);
	e3 = bpf_ringbuf_reserve_dynptr(&rb, 4096, 0, &d3);
	bpf_dynptr_write(&d1, 0, &s1, 8, 0);
	bpf_dynptr_write(&d2, 0, &s2, 8, 0);
	bpf_ringbuf_discard_dynptr(&d3, 0);
	bpf_ringbuf_submit_dynptr(&d2, 0);
	bpf_ringbuf_submit_dynptr(&d1, 0);
	return e1 || e2 ? 1 : (int)e3;
}

/* An XDP program. The kernel lets bpf_dynptr_from_mem take a map value and
 * nothing else ("helper access to the packet is not allowed", "Unsupported
 * reg type fp"), so the packet's first 14 bytes are copied to mem; a dynptr
 * over them gives the source MAC (bytes 6-11) to the stack; a ring buffer
 * record gets the 14 bytes and the MAC after them. XDP_PASS, or XDP_ABORTED
 * if a helper failed; XDP_DROP for a packet under 14 bytes. */
SEC("xdp")
int xdp_ring(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct bpf_dynptr hdr, rec;
	__u32 zero = 0;
	struct buf *v = bpf_map_lookup_elem(&mem, &zero);
	__u8 mac[6];
	long e1, e2, e3, e4;

	if (!v)
		return XDP_ABORTED;
	if (data + 14 > end)
		return XDP_DROP;
	__builtin_memcpy(v->b, data, 14);
	e1 = bpf_dynptr_from_mem(v, 14, 0, &hdr);
	e2 = bpf_dynptr_read(mac, 6, &hdr, 6, 0);
	e3 = bpf_ringbuf_reserve_dynptr(&rb, 20, 0, &rec);
	e4 = bpf_dynptr_write(&rec, 0, v->b, 14, 0);
	if (!e2)
		e4 |= bpf_dynptr_write(&rec, 14, mac, 6, 0);
	bpf_ringbuf_submit_dynptr(&rec, 0);
	return e1 || e2 || e3 || e4 ? XDP_ABORTED : XDP_PASS;
}

/* ---- bpfhost only: what the verifier would refuse ---- */

struct after_args {
	__s64 reserve_ret, read_ret, write_ret;
	__u64 data;
	__u64 size_word; /* the dynptr's size word after submit */
};

/* A dynptr used after its record was submitted: it is null now. */
SEC("?syscall")
int after_submit(struct after_args *a)
{
	struct bpf_dynptr d;
	__u64 x = 7, y = 0;

	a->reserve_ret = bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &d);
	bpf_dynptr_write(&d, 0, &x, 8, 0);
	bpf_ringbuf_submit_dynptr(&d, 0);
	a->read_ret = bpf_dynptr_read(&y, 8, &d, 0, 0);
	a->write_ret = bpf_dynptr_write(&d, 0, &x, 8, 0);
	a->data = (__u64)bpf_dynptr_data(&d, 0, 8);
	a->size_word = ((struct dynptr_kern *)&d)->size;
	bpf_ringbuf_submit_dynptr(&d, 0);
	bpf_ringbuf_discard_dynptr(&d, 0);
	return 0;
}

/* A copy of a ring buffer dynptr used after the original was submitted:
 * *mode 0 submits it again, 1 writes, 2 reads, 3 slices through it. */
SEC("?syscall")
int stale_copy(__u32 *mode)
{
	struct bpf_dynptr d, copy;
	__u64 x = 0x5a5a5a5a5a5a5a5aull, y;
	void *p;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &d);
	bpf_dynptr_write(&d, 0, &x, 8, 0);
	__builtin_memcpy(&copy, &d, sizeof(d));
	bpf_ringbuf_submit_dynptr(&d, 0);
	switch (*mode) {
	case 0: bpf_ringbuf_submit_dynptr(&copy, 0); break;
	case 1: bpf_dynptr_write(&copy, 0, &y, 8, 0); break;
	case 2: bpf_dynptr_read(&y, 8, &copy, 0, 0); break;
	case 3:
		p = bpf_dynptr_data(&copy, 0, 8);
		if (p)
			*(__u64 *)p = 0;
		break;
	}
	return 0;
}

struct crafted_args {
	__u32 mode;
	__u32 pad;
	__s64 read_ret, write_ret;
	__u64 data;
	__u64 got; /* what the read read */
};

/* Dynptrs made by hand, or where they cannot be: *mode 0 a read-only
 * dynptr to the map value (read works, write and data do not); 1 a local
 * dynptr to an address outside the program's memory; 2 an skb dynptr; 3 a
 * dynptr at a misaligned address; 4 a dynptr in .rodata; 5 a dynptr in a
 * map value (not on the stack). */
SEC("?syscall")
int crafted(struct crafted_args *a)
{
	struct bpf_dynptr d;
	struct dynptr_kern *k = (struct dynptr_kern *)&d;
	__u64 raw[3] = {};
	__u32 zero = 0;
	struct buf *v = bpf_map_lookup_elem(&mem, &zero);
	__u64 x = 1;

	if (!v)
		return 1;
	k->data = (__u64)v;
	k->size = 8 | 1u << 28 | 1u << 31;
	k->offset = 0;
	switch (a->mode) {
	case 1: k->data = 0x1000; break;
	case 2: k->size = 8 | 3u << 28; break;
	case 3: return bpf_dynptr_from_mem(v, 8, 0, (struct bpf_dynptr *)((char *)raw + 4));
	case 4: return bpf_dynptr_from_mem(v, 8, 0, (struct bpf_dynptr *)&ro_dynptr);
	case 5: return bpf_dynptr_from_mem(v, 8, 0, (struct bpf_dynptr *)&v->b[16]);
	}
	a->read_ret = bpf_dynptr_read(&a->got, 8, &d, 0, 0);
	a->write_ret = bpf_dynptr_write(&d, 0, &x, 8, 0);
	a->data = (__u64)bpf_dynptr_data(&d, 0, 8);
	return 0;
}

struct layout_args {
	__u64 value;		/* the map value's address */
	struct dynptr_kern mem; /* bpf_dynptr_from_mem(value, 24) */
	struct dynptr_kern rec; /* bpf_ringbuf_reserve_dynptr(40) */
	__u64 sample;		/* bpf_dynptr_data(rec, 0, 0) */
	struct dynptr_kern bad; /* bpf_dynptr_from_mem(value, 8, flags 1) */
};

/* The 16 bytes the helpers write, as the kernel lays them out. */
SEC("?syscall")
int layout(struct layout_args *a)
{
	struct bpf_dynptr d;
	__u32 zero = 0;
	struct buf *v = bpf_map_lookup_elem(&mem, &zero);

	if (!v)
		return 1;
	a->value = (__u64)v;
	bpf_dynptr_from_mem(v, 24, 0, &d);
	__builtin_memcpy(&a->mem, &d, sizeof(d));
	bpf_dynptr_from_mem(v, 8, 1, &d);
	__builtin_memcpy(&a->bad, &d, sizeof(d));
	bpf_ringbuf_reserve_dynptr(&rb, 40, 0, &d);
	__builtin_memcpy(&a->rec, &d, sizeof(d));
	a->sample = (__u64)bpf_dynptr_data(&d, 0, 0);
	bpf_ringbuf_discard_dynptr(&d, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
