/* The tunnel metadata helpers of tc and LWT_XMIT (net/core/filter.c, Linux
 * 6.18): bpf_skb_set_tunnel_key puts the kernel's per-CPU tunnel metadata
 * dst on the skb, filled from the key (as a transmit path would use it);
 * bpf_skb_get_tunnel_key and _opt read the metadata of the skb's dst. A test
 * run's skb has no dst until a set, and keeps it over repeats (the skb does)
 * but not to the next run. The metadata lives per thread here, as per CPU
 * there; an skb_buf's tunnel_dst says whether the skb has it. */
#include "skb.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "../progtypes/progtype.h"

#define ERR(e) ((uint64_t)(int64_t)(e))

#ifndef BPF_F_NO_TUNNEL_KEY
#define BPF_F_NO_TUNNEL_KEY (1ULL << 4) /* newer than some uapi headers */
#endif

/* The kernel's IP_TUNNEL_*_BIT flags, numbered as the TUNNEL_* bits of the
 * __be16 tunnel_flags that get_tunnel_key reports (the low 16). */
enum {
	TUN_CSUM = 1u << 0,
	TUN_KEY = 1u << 2,
	TUN_SEQ = 1u << 3,
	TUN_DONT_FRAGMENT = 1u << 8,
	TUN_GENEVE_OPT = 1u << 11,
	TUN_VXLAN_OPT = 1u << 12,
	TUN_NOCACHE = 1u << 13,
	TUN_ERSPAN_OPT = 1u << 14,
	TUN_GTP_OPT = 1u << 15,
	TUN_PFCP_OPT = 1u << 17,
	/* what set_tunnel_opt marks present: options of any kind */
	TUN_OPTIONS = TUN_GENEVE_OPT | TUN_VXLAN_OPT | TUN_ERSPAN_OPT | TUN_GTP_OPT | TUN_PFCP_OPT,
};

#define TUN_OPTS_MAX 255u /* IP_TUNNEL_OPTS_MAX: options_len is a u8 */
#define FLOWLABEL_MASK 0x000fffffu

/* The kernel's struct ip_tunnel_info, what of it the helpers touch. */
struct tunnel_info {
	bool ipv6;
	uint32_t flags; /* TUN_* */
	uint64_t id;	/* host order (the kernel keeps it big-endian) */
	uint8_t tos, ttl;
	uint32_t label_be;	  /* IPv6 flow label, network order */
	uint8_t src[16], dst[16]; /* network order; IPv4 in the first 4 bytes */
	uint8_t opts_len;
	uint8_t opts[TUN_OPTS_MAX];
};

static _Thread_local struct tunnel_info md;

/* The skb's tunnel metadata, or NULL. */
static struct tunnel_info *info_of(const struct skb_buf *b)
{
	return b->tunnel_dst ? &md : NULL;
}

/* bpf_skb_get_tunnel_key(skb, to, size, flags): the metadata as a key, the
 * addresses as a receive path sees them (remote: the metadata's source).
 * size may be that of an older layout of struct bpf_tunnel_key: 8 (IPv4
 * only), 22, 24 or 28 bytes. On failure (no metadata or unknown flags, a
 * size of none of the layouts: -EINVAL; an address family other than the
 * metadata's: -EPROTO) the key is zeroed. */
uint64_t helper_skb_get_tunnel_key(uint64_t ctx, uint64_t to, uint64_t size, uint64_t flags,
				   uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_get_tunnel_key");
	struct tunnel_info *info;
	struct bpf_tunnel_key k;
	uint32_t n = (uint32_t)size;
	int64_t err = -EINVAL;

	(void)r5;
	if (!b)
		return 0;
	info = info_of(b);
	if (!info || (flags & ~(uint64_t)(BPF_F_TUNINFO_IPV6 | BPF_F_TUNINFO_FLAGS)))
		goto clear;
	if (info->ipv6 != !!(flags & BPF_F_TUNINFO_IPV6)) {
		err = -EPROTO;
		goto clear;
	}
	switch (n) {
	case sizeof(k):
	case offsetof(struct bpf_tunnel_key, local_ipv6[0]):
	case offsetof(struct bpf_tunnel_key, tunnel_label):
	case offsetof(struct bpf_tunnel_key, tunnel_ext): break;
	case offsetof(struct bpf_tunnel_key, remote_ipv6[1]):
		if (info->ipv6)
			goto clear;
		break;
	default: goto clear;
	}
	memset(&k, 0, sizeof(k));
	k.tunnel_id = (uint32_t)info->id;
	k.tunnel_tos = info->tos;
	k.tunnel_ttl = info->ttl;
	if (flags & BPF_F_TUNINFO_FLAGS)
		k.tunnel_flags = htons((uint16_t)info->flags);
	if (info->ipv6) {
		memcpy(k.remote_ipv6, info->src, 16);
		memcpy(k.local_ipv6, info->dst, 16);
		k.tunnel_label = ntohl(info->label_be);
	} else {
		uint32_t a;

		memcpy(&a, info->src, 4);
		k.remote_ipv4 = ntohl(a);
		memcpy(&a, info->dst, 4);
		k.local_ipv4 = ntohl(a);
	}
	memcpy((void *)(uintptr_t)to, &k, n);
	return 0;
clear:
	memset((void *)(uintptr_t)to, 0, n);
	return ERR(err);
}

/* bpf_skb_set_tunnel_key(skb, from, size, flags): the skb gets the
 * metadata, set anew from the key (sizes as for get, the fields an older
 * layout lacks zero): the key's remote address is its destination; flags
 * say IPv6, no checksum, don't fragment, sequence numbers, no key. An IPv4
 * key with a label, or any tunnel_ext: -EINVAL. */
uint64_t helper_skb_set_tunnel_key(uint64_t ctx, uint64_t from, uint64_t size, uint64_t flags,
				   uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_set_tunnel_key");
	uint32_t n = (uint32_t)size, a;
	struct bpf_tunnel_key k;

	(void)r5;
	if (!b)
		return 0;
	if (flags & ~(uint64_t)(BPF_F_TUNINFO_IPV6 | BPF_F_ZERO_CSUM_TX | BPF_F_DONT_FRAGMENT |
				BPF_F_SEQ_NUMBER | BPF_F_NO_TUNNEL_KEY))
		return ERR(-EINVAL);
	switch (n) {
	case sizeof(k):
	case offsetof(struct bpf_tunnel_key, local_ipv6[0]):
	case offsetof(struct bpf_tunnel_key, tunnel_label):
	case offsetof(struct bpf_tunnel_key, tunnel_ext):
	case offsetof(struct bpf_tunnel_key, remote_ipv6[1]): break;
	default: return ERR(-EINVAL);
	}
	memset(&k, 0, sizeof(k));
	memcpy(&k, (const void *)(uintptr_t)from, n);
	if ((!(flags & BPF_F_TUNINFO_IPV6) && k.tunnel_label) || k.tunnel_ext)
		return ERR(-EINVAL);
	b->tunnel_dst = true;
	memset(&md, 0, sizeof(md));
	md.flags = TUN_NOCACHE;
	if (flags & BPF_F_DONT_FRAGMENT)
		md.flags |= TUN_DONT_FRAGMENT;
	if (!(flags & BPF_F_ZERO_CSUM_TX))
		md.flags |= TUN_CSUM;
	if (flags & BPF_F_SEQ_NUMBER)
		md.flags |= TUN_SEQ;
	if (!(flags & BPF_F_NO_TUNNEL_KEY))
		md.flags |= TUN_KEY;
	md.id = k.tunnel_id;
	md.tos = k.tunnel_tos;
	md.ttl = k.tunnel_ttl;
	if (flags & BPF_F_TUNINFO_IPV6) {
		md.ipv6 = true;
		memcpy(md.dst, k.remote_ipv6, 16);
		memcpy(md.src, k.local_ipv6, 16);
		md.label_be = htonl(k.tunnel_label & FLOWLABEL_MASK);
	} else {
		a = htonl(k.remote_ipv4);
		memcpy(md.dst, &a, 4);
		a = htonl(k.local_ipv4);
		memcpy(md.src, &a, 4);
	}
	return 0;
}

/* bpf_skb_get_tunnel_opt(skb, to, size): the metadata's options, the rest
 * of to zeroed; their length. No options: -ENOENT; to too small: -ENOMEM;
 * to zeroed either way. */
uint64_t helper_skb_get_tunnel_opt(uint64_t ctx, uint64_t to, uint64_t size, uint64_t r4,
				   uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_get_tunnel_opt");
	uint8_t *p = (uint8_t *)(uintptr_t)to;
	uint32_t n = (uint32_t)size;
	struct tunnel_info *info;
	int64_t err = -ENOENT;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	info = info_of(b);
	if (info && (info->flags & TUN_OPTIONS)) {
		if (n >= info->opts_len) {
			memcpy(p, info->opts, info->opts_len);
			memset(p + info->opts_len, 0, n - info->opts_len);
			return info->opts_len;
		}
		err = -ENOMEM;
	}
	memset(p, 0, n);
	return ERR(err);
}

/* bpf_skb_set_tunnel_opt(skb, from, size): options for the metadata a
 * set_tunnel_key gave the skb (-EINVAL without), size a multiple of 4
 * (-EINVAL), at most 255 bytes (-ENOMEM); marked present if any. */
uint64_t helper_skb_set_tunnel_opt(uint64_t ctx, uint64_t from, uint64_t size, uint64_t r4,
				   uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_set_tunnel_opt");
	uint32_t n = (uint32_t)size;
	struct tunnel_info *info;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	info = info_of(b);
	if (!info || (n & 3))
		return ERR(-EINVAL);
	if (n > TUN_OPTS_MAX)
		return ERR(-ENOMEM);
	info->opts_len = (uint8_t)n;
	if (n) {
		memcpy(info->opts, (const void *)(uintptr_t)from, n);
		info->flags |= TUN_OPTIONS;
	}
	return 0;
}
