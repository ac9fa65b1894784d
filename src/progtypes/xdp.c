/* BPF_PROG_TYPE_XDP: the descriptor and its BPF_PROG_TEST_RUN, as the kernel's
 * bpf_prog_test_run_xdp (net/bpf/test_run.c, checked against Linux 6.18): the
 * packet in a one-page frame 256 bytes in, metadata from ctx_in taken from that
 * headroom, what does not fit (or what ctx_in's data_end leaves out) in page-
 * sized fragments; the program runs repeat times on the same buffer (the kernel
 * does not reset it between repeats); data_out starts at data_meta; ctx_out
 * gives data and data_end relative to data_meta.
 *
 * Context access without a verifier: the kernel rewrites a program's 32-bit
 * loads of xdp_md.data, data_end and data_meta into loads of its xdp_buff's
 * 64-bit pointers. With no data flow to rewrite by yet, bpfhost makes the
 * program's own loads right: the frame is mapped below 4 GiB (MAP_32BIT), the
 * 32-bit fields hold the real addresses, and the zero-extended result of
 * `r2 = *(u32 *)(r1 + 0)` (clang's ctx->data) is a valid pointer. The checked
 * interpreter confines the program to the context (read-only: XDP programs
 * may write no field of xdp_md), the packet [data_meta, data_end) and its maps.
 */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progtype.h"

#define PAGE_HEAD 112u /* sizeof(struct xdp_page_head): live frames keep it in the page */
#define MAX_BATCH 256u /* TEST_XDP_MAX_BATCH */

struct xdp_test {
	struct xdp_buf buf;
	struct xdp_md md;   /* what the program reads */
	struct xdp_md user; /* ctx_in as given, zeros without: ctx_out reports it */
	bool has_ctx;	    /* ctx_in or ctx_out */
	bool live;
	uint32_t meta_sz;
	uint32_t linear_sz; /* bytes of data_in in the frame, metadata included */
};

/* The checks of bpf_prog_test_run_xdp before any memory is taken, in its order. */
static int check_attr(const struct progtype_test *t, const union bpf_attr *attr, struct xdp_test *x)
{
	uint32_t batch = attr->test.batch_size;

	if (t->expected_attach_type == BPF_XDP_DEVMAP || t->expected_attach_type == BPF_XDP_CPUMAP)
		return -EINVAL;
	if (attr->test.flags & ~(uint32_t)BPF_F_TEST_XDP_LIVE_FRAMES)
		return -EINVAL;
	x->live = attr->test.flags & BPF_F_TEST_XDP_LIVE_FRAMES;
	if (x->live ? batch > MAX_BATCH : batch != 0)
		return x->live ? -E2BIG : -EINVAL;
	return progtype_ctx_in(attr, &x->user, sizeof(x->user), &x->has_ctx);
}

/* The sizes: metadata (ctx_in's data), the linear part (ctx_in's data_end,
 * else all of data_in), each within the frame. */
static int check_sizes(const union bpf_attr *attr, struct xdp_test *x)
{
	uint32_t headroom = XDP_PACKET_HEADROOM, size_in = attr->test.data_size_in, max_linear;

	x->linear_sz = size_in;
	if (x->has_ctx) {
		const struct xdp_md *c = &x->user;

		/* no user data before the metadata */
		if (c->data_meta || c->data_end > size_in || c->data > c->data_end ||
		    (x->live && (attr->test.data_out || attr->test.ctx_out)))
			return -EINVAL;
		x->meta_sz = c->data;
		if (x->meta_sz % 4 || x->meta_sz > XDP_BUF_MAX_META ||
		    x->meta_sz > headroom - XDP_BUF_FRAME_HDR)
			return -EINVAL;
		headroom -= x->meta_sz;
		x->linear_sz = c->data_end;
	}
	if (x->live)
		headroom += PAGE_HEAD;
	max_linear = XDP_BUF_FRAME_SIZE - headroom - XDP_BUF_TAILROOM;
	if (x->linear_sz > max_linear)
		x->linear_sz = max_linear;
	if (x->live && size_in > x->linear_sz)
		return -EINVAL; /* no live frames with fragments */
	if (size_in - x->meta_sz < XDP_BUF_ETH_HLEN)
		return -EINVAL;
	return 0;
}

/* The device's real_num_rx_queues, as sysfs lists them (queues/rx-N). */
static uint32_t rx_queues(const char *dev)
{
	char path[64 + IF_NAMESIZE];
	struct dirent *e;
	uint32_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", dev);
	d = opendir(path);
	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "rx-", 3))
			n++;
	closedir(d);
	return n ? n : 1;
}

/* The kernel's xdp_convert_md_to_buff: the receive queue the program sees,
 * a queue of a device of this network namespace, else the loopback's first. */
static int set_rxq(struct xdp_test *x)
{
	const struct xdp_md *c = &x->user;
	char name[IF_NAMESIZE];

	x->md.egress_ifindex = 0;
	x->md.rx_queue_index = 0;
	x->md.ingress_ifindex = progtype_loopback();
	if (!x->has_ctx)
		return 0;
	if (c->egress_ifindex || (!c->ingress_ifindex && c->rx_queue_index))
		return -EINVAL;
	if (!c->ingress_ifindex)
		return 0;
	if (!if_indextoname(c->ingress_ifindex, name))
		return -ENODEV;
	if (c->rx_queue_index >= rx_queues(name))
		return -EINVAL;
	x->md.ingress_ifindex = c->ingress_ifindex;
	x->md.rx_queue_index = c->rx_queue_index;
	return 0;
}

static void buf_free(struct xdp_buf *b)
{
	for (uint32_t i = 0; i < b->nr_frags; i++)
		free(b->frags[i].page);
	if (b->frame)
		progtype_buf_put(b->frame, XDP_BUF_FRAME_SIZE, 0, XDP_BUF_FRAME_SIZE);
}

/* The frame below 4 GiB with the linear part, the rest in fragments. */
static int buf_init(const union bpf_attr *attr, struct xdp_test *x)
{
	const uint8_t *in = (const uint8_t *)(uintptr_t)attr->test.data_in;
	struct xdp_buf *b = &x->buf;
	uint32_t size, size_in = attr->test.data_size_in;
	struct xdp_buf_frag *f;
	void *p;
	int err;

	p = progtype_buf_get(XDP_BUF_FRAME_SIZE);
	if (!p)
		return -ENOMEM;
	b->hdr.prog_type = BPF_PROG_TYPE_XDP;
	b->frame = p;
	b->meta = XDP_PACKET_HEADROOM - x->meta_sz;
	b->data = XDP_PACKET_HEADROOM;
	b->end = b->meta + x->linear_sz;
	b->md = &x->md;
	if (x->linear_sz && !in)
		return -EFAULT;
	if (x->linear_sz)
		memcpy(b->frame + b->meta, in, x->linear_sz);
	err = set_rxq(x);
	if (err)
		return err;
	for (size = x->linear_sz; size < size_in; size += f->len) {
		if (b->nr_frags == XDP_BUF_MAX_FRAGS)
			return -ENOMEM;
		if (!in)
			return -EFAULT;
		f = &b->frags[b->nr_frags];
		f->page = malloc(XDP_BUF_FRAME_SIZE);
		if (!f->page)
			return -ENOMEM;
		b->nr_frags++;
		f->len = size_in - size < XDP_BUF_FRAME_SIZE ? size_in - size : XDP_BUF_FRAME_SIZE;
		memcpy(f->page, in + size, f->len);
		b->frags_size += f->len;
	}
	return 0;
}

/* repeat runs on the same buffer (the kernel does not reset it) */
static int run(struct progtype_test *t, const union bpf_attr *attr, struct xdp_test *x,
	       uint32_t *retval, uint32_t *duration)
{
	struct vm_run *r = t->run;

	r->args[0] = (uint64_t)(uintptr_t)&x->md;
	r->ctx_state = &x->buf.hdr;
	if (vm_run_add_ctx(r, &x->md, sizeof(x->md), false, progtype_xdp.ctx_access))
		return -ENOMEM;
	x->buf.region = r->region_cnt;
	if (vm_run_add_region(r, x->buf.frame, 0, "packet", true))
		return -ENOMEM;
	xdp_buf_sync(&x->buf, r);
	return progtype_repeat(t, attr->test.repeat, retval, duration);
}

/* The kernel's bpf_test_finish (data_out clamped to a nonzero data_size_out,
 * ENOSPC with the size needed; the fragments follow the linear part, which
 * gives way to them when clamped) and bpf_ctx_finish. */
static int finish(union bpf_attr *attr, struct xdp_test *x, uint32_t retval, uint32_t duration)
{
	uint8_t *out = (uint8_t *)(uintptr_t)attr->test.data_out;
	const struct xdp_buf *b = &x->buf;
	uint32_t size = b->end - b->meta + b->frags_size, copy = size;
	int err = 0;

	if (attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if (out && copy < b->frags_size)
		return -ENOSPC; /* as the kernel: before it reports anything */
	if (out) {
		uint32_t off = copy - b->frags_size;

		memcpy(out, b->frame + b->meta, off);
		for (uint32_t i = 0; i < b->nr_frags; i++) {
			uint32_t n = copy - off;

			if (off >= copy) {
				err = -ENOSPC;
				break;
			}
			n = n < b->frags[i].len ? n : b->frags[i].len;
			memcpy(out + off, b->frags[i].page, n);
			off += n;
		}
	}
	attr->test.data_size_out = size;
	attr->test.retval = retval;
	attr->test.duration = duration;
	if (err || !x->has_ctx || !attr->test.ctx_out)
		return err;
	x->user.data = b->data - b->meta;
	x->user.data_end = b->end - b->meta;
	return progtype_ctx_out(attr, &x->user, sizeof(x->user));
}

static int test_run(struct progtype_test *t, union bpf_attr *attr)
{
	struct xdp_test *x = calloc(1, sizeof(*x));
	uint32_t retval = 0, duration = 0;
	int err;

	if (!x)
		return -ENOMEM;
	err = check_attr(t, attr, x);
	if (!err)
		err = check_sizes(attr, x);
	if (!err)
		err = buf_init(attr, x);
	/* BPF_F_TEST_XDP_LIVE_FRAMES sends the frames the program passes,
	 * transmits or redirects into the network stack: bpfhost has none, so it
	 * refuses a request the kernel would run */
	if (!err && x->live)
		err = -EINVAL;
	if (!err)
		err = run(t, attr, x, &retval, &duration);
	if (!err)
		err = finish(attr, x, retval, duration);
	t->run->ctx_state = NULL;
	if (t->redirect)
		*t->redirect = x->buf.hdr.redirect;
	buf_free(&x->buf);
	free(x);
	return err;
}

/* xdp_md: whole u32 fields, read only (the kernel's xdp_is_valid_access) */
static bool ctx_access(uint32_t off, uint32_t size, bool write)
{
	return !write && size == 4 && off % 4 == 0;
}

const struct progtype progtype_xdp = {
	.name = "xdp",
	.prog_type = BPF_PROG_TYPE_XDP,
	.ctx_size = sizeof(struct xdp_md),
	.ctx_access = ctx_access,
	.test_run = test_run,
};
