/* XDP's byte helpers (net/core/filter.c, Linux 6.18): bpf_xdp_load_bytes
 * and bpf_xdp_store_bytes copy between a buffer and the packet at an offset
 * from data, through the linear part and on into the fragments (struct
 * xdp_buf, src/progtypes/progtype.h), as the kernel's bpf_xdp_copy_buf. */
#include "skb.h"

#include <errno.h>
#include <string.h>

#include "../progtypes/progtype.h"

#define ERR(e) ((uint64_t)(int64_t)(e))

/* r1 must be the run's XDP context: a verifier would have seen to it. */
static struct xdp_buf *xdp_arg(uint64_t ctx, struct vm_run *run, const char *helper)
{
	struct xdp_buf *b = xdp_buf_of(run);

	if (!b || ctx != (uint64_t)(uintptr_t)b->md) {
		vm_helper_fault(run, "helper %s: argument R1 (0x%llx) is not the XDP context",
				helper, (unsigned long long)ctx);
		return NULL;
	}
	return b;
}

/* len bytes at off (from data) to buf, or (store) from buf to the packet:
 * 0; -EFAULT for an offset or length past 0xffff, -EINVAL past the packet
 * (nothing copied either way). */
static int64_t copy(struct xdp_buf *b, uint32_t off, uint8_t *buf, uint32_t len, bool store)
{
	uint32_t pos = 0, seg_len = b->end - b->data;
	uint8_t *seg = b->frame + b->data;

	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	if (off + len > seg_len + b->frags_size)
		return -EINVAL;
	/* the linear part is segment -1, then the fragments */
	for (uint32_t i = 0; len; i++) {
		if (off < pos + seg_len) {
			uint32_t at = off - pos, n = seg_len - at < len ? seg_len - at : len;

			if (store)
				memcpy(seg + at, buf, n);
			else
				memcpy(buf, seg + at, n);
			off += n;
			len -= n;
			buf += n;
		}
		if (!len || i >= b->nr_frags)
			break;
		pos += seg_len;
		seg = b->frags[i].page;
		seg_len = b->frags[i].len;
	}
	return 0;
}

/* bpf_xdp_load_bytes(ctx, offset, buf, len) */
uint64_t helper_xdp_load_bytes(uint64_t ctx, uint64_t off, uint64_t buf, uint64_t len, uint64_t r5,
			       struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_load_bytes");

	(void)r5;
	if (!b)
		return 0;
	return ERR(copy(b, (uint32_t)off, (uint8_t *)(uintptr_t)buf, (uint32_t)len, false));
}

/* bpf_xdp_store_bytes(ctx, offset, buf, len) */
uint64_t helper_xdp_store_bytes(uint64_t ctx, uint64_t off, uint64_t buf, uint64_t len, uint64_t r5,
				struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_store_bytes");

	(void)r5;
	if (!b)
		return 0;
	return ERR(copy(b, (uint32_t)off, (uint8_t *)(uintptr_t)buf, (uint32_t)len, true));
}
