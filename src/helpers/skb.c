/* Packet helpers of the __sk_buff program types, on the run's struct
 * skb_buf (src/progtypes/progtype.h), with the kernel's semantics and errors
 * (net/core/filter.c, Linux 6.18). Offsets are from skb->data: the link-layer
 * header for tc programs, the network header for the others. The packet is
 * always linear, as the kernel's test run makes it. bpf_check_mtu serves XDP
 * too; devices are read from sysfs, the socket's cgroups through task.c. */
#include "skb.h"

#include <errno.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "../maps/map.h"
#include "../progtypes/progtype.h"
#include "csum.h"
#include "fib.h"
#include "task.h"

#define ENOTSUPP 524
#define SKB_MAX_ALLOC (16384u - 320u) /* BPF_SKB_MAX_LEN: 4 pages less skb_shared_info */
#define CSUM_MANGLED_0 0xffffu
#define PACKET_OTHERHOST 3

#define ERR(e) ((uint64_t)(int64_t)(e))
#define UNUSED4(a, b, c, d) ((void)(a), (void)(b), (void)(c), (void)(d))

/* r1 must be the run's skb context: a verifier would have seen to it. */
struct skb_buf *skb_helper_ctx(uint64_t ctx, struct vm_run *run, const char *helper)
{
	struct skb_buf *b = skb_buf_of(run);

	if (!b || ctx != (uint64_t)(uintptr_t)b->md) {
		vm_helper_fault(run, "helper %s: argument R1 (0x%llx) is not the __sk_buff context",
				helper, (unsigned long long)ctx);
		return NULL;
	}
	return b;
}

static uint32_t len_of(const struct skb_buf *b)
{
	return b->tail - b->data;
}

/* Room for head bytes before the packet's lowest header and tail bytes
 * after it: when the packet has drifted to an end of its buffer (a program
 * pushing and trimming over many repeats), it moves back to the middle, as
 * the kernel reallocates; the program's packet pointers are stale after any
 * such helper either way (its verifier makes it reload them). */
static void room(struct skb_buf *b, uint32_t head, uint32_t tail)
{
	uint32_t lo = b->head;
	int64_t delta;

	if (b->mac < lo)
		lo = b->mac;
	if (b->net < lo)
		lo = b->net;
	if (b->trans != SKB_HDR_UNSET && b->trans < lo)
		lo = b->trans;
	if (lo >= head && SKB_BUF_SIZE - b->tail >= tail)
		return;
	delta = (int64_t)SKB_BUF_HEADROOM - b->data;
	memmove(b->buf + lo + delta, b->buf + lo, b->tail - lo);
	b->head = (uint32_t)(b->head + delta);
	b->data = (uint32_t)(b->data + delta);
	b->tail = (uint32_t)(b->tail + delta);
	b->mac = (uint32_t)(b->mac + delta);
	b->net = (uint32_t)(b->net + delta);
	if (b->trans != SKB_HDR_UNSET)
		b->trans = (uint32_t)(b->trans + delta);
}

/* Inserts n zero bytes at off from data (the bytes before off move to the
 * front), or removes -n there; headers keep their place relative to the
 * link-layer header, which moves with data when data is at it. */
static void move_room(struct skb_buf *b, uint32_t off, int64_t n)
{
	uint32_t mac_len = b->net - b->mac;
	bool at_mac = b->mac == b->data;

	if (n > 0) {
		room(b, (uint32_t)n, 0);
		b->data -= (uint32_t)n;
		memmove(b->buf + b->data, b->buf + b->data + n, off);
		memset(b->buf + b->data + off, 0, (size_t)n);
	} else if (n < 0) {
		memmove(b->buf + b->data - n, b->buf + b->data, off);
		b->data += (uint32_t)-n;
	}
	if (at_mac) {
		b->mac = b->data;
		b->net = b->mac + mac_len;
	}
}

/* The kernel's csum_block_add/sub: a block's sum at an odd offset is rotated. */
static uint32_t block_add(uint32_t csum, uint32_t sum2, uint32_t off)
{
	if (off & 1)
		sum2 = sum2 >> 8 | sum2 << 24;
	return csum_add32(csum, sum2);
}

static uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~fold16(sum);
}

/* bpf_skb_load_bytes(skb, offset, to, len): 0, or -EFAULT with to zeroed. */
uint64_t helper_skb_load_bytes(uint64_t ctx, uint64_t off, uint64_t to, uint64_t len, uint64_t r5,
			       struct vm_run *run)
{
	struct progtype_state *s = run->ctx_state;
	uint32_t o = (uint32_t)off, n = (uint32_t)len;
	struct skb_buf *b;

	(void)r5;
	if (s && s->prog_type == BPF_PROG_TYPE_FLOW_DISSECTOR) {
		/* the kernel's test run gives the dissector no socket buffer */
		memset((void *)(uintptr_t)to, 0, n);
		return ERR(-EFAULT);
	}
	b = skb_helper_ctx(ctx, run, "bpf_skb_load_bytes");
	if (!b)
		return 0;
	if (o > INT_MAX || (uint64_t)o + n > len_of(b)) {
		memset((void *)(uintptr_t)to, 0, n);
		return ERR(-EFAULT);
	}
	memcpy((void *)(uintptr_t)to, b->buf + b->data + o, n);
	return 0;
}

/* bpf_skb_load_bytes_relative(skb, offset, to, len, start_header): from the
 * link-layer or network header, within [mac header, end). */
uint64_t helper_skb_load_bytes_relative(uint64_t ctx, uint64_t off, uint64_t to, uint64_t len,
					uint64_t start, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_load_bytes_relative");
	uint32_t o = (uint32_t)off, n = (uint32_t)len;
	uint64_t from;

	if (!b)
		return 0;
	if (o <= 0xffff && (start == BPF_HDR_START_MAC || start == BPF_HDR_START_NET)) {
		from = (start == BPF_HDR_START_MAC ? b->mac : b->net) + (uint64_t)o;
		if (from >= b->mac && from + n <= b->tail) {
			memcpy((void *)(uintptr_t)to, b->buf + from, n);
			return 0;
		}
	}
	memset((void *)(uintptr_t)to, 0, n);
	return ERR(-EFAULT);
}

/* bpf_skb_store_bytes(skb, offset, from, len, flags): with
 * BPF_F_RECOMPUTE_CSUM a CHECKSUM_COMPLETE sum follows the bytes, with
 * BPF_F_INVALIDATE_HASH the flow hash is dropped. */
uint64_t helper_skb_store_bytes(uint64_t ctx, uint64_t off, uint64_t from, uint64_t len,
				uint64_t flags, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_store_bytes");
	uint32_t o = (uint32_t)off, n = (uint32_t)len;
	bool rcsum;
	uint8_t *p;

	if (!b)
		return 0;
	if (flags & ~(uint64_t)(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH))
		return ERR(-EINVAL);
	if (o > INT_MAX || (uint64_t)o + n > len_of(b))
		return ERR(-EFAULT);
	p = b->buf + b->data + o;
	rcsum = (flags & BPF_F_RECOMPUTE_CSUM) && b->ip_summed == SKB_CHECKSUM_COMPLETE;
	if (rcsum)
		b->csum = block_add(b->csum, ~csum_partial32(p, n, 0), o);
	memmove(p, (const void *)(uintptr_t)from, n);
	if (rcsum)
		b->csum = block_add(b->csum, csum_partial32(p, n, 0), o);
	if (flags & BPF_F_INVALIDATE_HASH) {
		b->md->hash = 0;
		b->sw_hash = b->l4_hash = false;
	}
	return 0;
}

/* The checksum field at offset for l3/l4_csum_replace, or NULL. */
static uint8_t *csum_field(struct skb_buf *b, uint32_t off)
{
	if (off > 0xffff || (off & 1) || off + 2u > len_of(b))
		return NULL;
	return b->buf + b->data + off;
}

static uint32_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void put16(uint8_t *p, uint32_t v)
{
	uint16_t s = (uint16_t)v;

	memcpy(p, &s, 2);
}

/* bpf_l3_csum_replace(skb, offset, from, to, flags): the 16-bit checksum at
 * offset updated for a 2- or 4-byte field changed from -> to, or (size 0)
 * by the difference to (from bpf_csum_diff). */
uint64_t helper_l3_csum_replace(uint64_t ctx, uint64_t off, uint64_t from, uint64_t to,
				uint64_t flags, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_l3_csum_replace");
	uint32_t f = (uint32_t)from, t = (uint32_t)to, sum;
	uint8_t *p;

	if (!b)
		return 0;
	if (flags & ~(uint64_t)BPF_F_HDR_FIELD_MASK)
		return ERR(-EINVAL);
	p = csum_field(b, (uint32_t)off);
	if (!p)
		return ERR(-EFAULT);
	sum = get16(p);
	switch (flags & BPF_F_HDR_FIELD_MASK) {
	case 0:
		if (from)
			return ERR(-EINVAL);
		put16(p, csum_fold(csum_add32(t, ~sum)));
		break;
	case 2: {
		/* csum16 arithmetic: ~(~sum - from + to) */
		uint32_t r = (~sum & 0xffff) + (~f & 0xffff);

		r = (r & 0xffff) + (r >> 16);
		r += t & 0xffff;
		r = (r & 0xffff) + (r >> 16);
		put16(p, ~r);
		break;
	}
	case 4: put16(p, csum_fold(csum_add32(csum_add32(~sum, ~f), t))); break;
	default: return ERR(-EINVAL);
	}
	return 0;
}

/* bpf_l4_csum_replace(skb, offset, from, to, flags): as l3, for a TCP/UDP
 * checksum; BPF_F_PSEUDO_HDR: the field is in the pseudo-header (a
 * CHECKSUM_COMPLETE sum follows it); BPF_F_MARK_MANGLED_0: a zero (UDP: no
 * checksum) stays zero unless BPF_F_MARK_ENFORCE, and a result of zero is
 * written as 0xffff. */
uint64_t helper_l4_csum_replace(uint64_t ctx, uint64_t off, uint64_t from, uint64_t to,
				uint64_t flags, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_l4_csum_replace");
	bool pseudo = flags & BPF_F_PSEUDO_HDR, mmzero = flags & BPF_F_MARK_MANGLED_0;
	bool complete, ipv6 = flags & BPF_F_IPV6;
	uint32_t f = (uint32_t)from, t = (uint32_t)to, sum;
	uint8_t *p;

	if (!b)
		return 0;
	if (flags & ~(uint64_t)(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR |
				BPF_F_HDR_FIELD_MASK | BPF_F_IPV6))
		return ERR(-EINVAL);
	p = csum_field(b, (uint32_t)off);
	if (!p)
		return ERR(-EFAULT);
	sum = get16(p);
	if (mmzero && !(flags & BPF_F_MARK_ENFORCE) && !sum)
		return 0;
	complete = b->ip_summed == SKB_CHECKSUM_COMPLETE && pseudo;
	switch (flags & BPF_F_HDR_FIELD_MASK) {
	case 0:
		if (from)
			return ERR(-EINVAL);
		put16(p, csum_fold(csum_add32(t, ~sum)));
		if (complete && !ipv6)
			b->csum = ~csum_add32(t, ~b->csum);
		break;
	case 2:
		f &= 0xffff;
		t &= 0xffff; /* the kernel widens 16-bit fields to 32 */
		__attribute__((fallthrough));
	case 4:
		put16(p, csum_fold(csum_add32(csum_add32(~sum, ~f), t)));
		if (complete)
			b->csum = ~csum_add32(csum_add32(~b->csum, ~f), t);
		break;
	default: return ERR(-EINVAL);
	}
	if (mmzero && !get16(p))
		put16(p, CSUM_MANGLED_0);
	return 0;
}

/* bpf_csum_update(skb, csum): adds to a CHECKSUM_COMPLETE sum and returns it. */
uint64_t helper_csum_update(uint64_t ctx, uint64_t csum, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_csum_update");

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	if (b->ip_summed != SKB_CHECKSUM_COMPLETE)
		return ERR(-ENOTSUPP);
	b->csum = csum_add32(b->csum, (uint32_t)csum);
	return b->csum;
}

/* bpf_csum_level(skb, level): the CHECKSUM_UNNECESSARY level. */
uint64_t helper_csum_level(uint64_t ctx, uint64_t level, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_csum_level");
	bool unnecessary;

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	unnecessary = b->ip_summed == SKB_CHECKSUM_UNNECESSARY;
	switch (level) {
	case BPF_CSUM_LEVEL_QUERY: return unnecessary ? b->csum_level : ERR(-EACCES);
	case BPF_CSUM_LEVEL_INC:
		if (unnecessary) {
			if (b->csum_level < 3)
				b->csum_level++;
		} else if (b->ip_summed == SKB_CHECKSUM_NONE) {
			b->ip_summed = SKB_CHECKSUM_UNNECESSARY;
			b->csum_level = 0;
		}
		return 0;
	case BPF_CSUM_LEVEL_DEC:
		if (unnecessary) {
			if (b->csum_level == 0)
				b->ip_summed = SKB_CHECKSUM_NONE;
			else
				b->csum_level--;
		}
		return 0;
	case BPF_CSUM_LEVEL_RESET:
		if (unnecessary) {
			b->ip_summed = SKB_CHECKSUM_NONE;
			b->csum_level = 0;
		}
		return 0;
	default: return ERR(-EINVAL);
	}
}

/* bpf_skb_change_tail(skb, len, flags): the packet trimmed or grown (new
 * bytes zero) to len, not below its headers nor above BPF_SKB_MAX_LEN. */
uint64_t helper_skb_change_tail(uint64_t ctx, uint64_t len, uint64_t flags, uint64_t r4,
				uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_change_tail");
	uint32_t n = (uint32_t)len, min, old;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	min = b->net - b->data;
	if (b->trans != SKB_HDR_UNSET)
		min = b->trans - b->data;
	if (flags || n > SKB_MAX_ALLOC || n < min)
		return ERR(-EINVAL);
	if (b->encapsulation)
		return ERR(-ENOTSUPP);
	old = len_of(b);
	if (n > old) {
		room(b, 0, n - old);
		memset(b->buf + b->tail, 0, n - old);
	} else if (n < old && b->ip_summed == SKB_CHECKSUM_COMPLETE) {
		b->csum = block_add(b->csum, ~csum_partial32(b->buf + b->data + n, old - n, 0), n);
	}
	b->tail = b->data + n;
	skb_buf_sync(b, run);
	return 0;
}

/* bpf_skb_change_head(skb, len, flags): len zero bytes pushed in front,
 * which become the link-layer header. */
uint64_t helper_skb_change_head(uint64_t ctx, uint64_t len, uint64_t flags, uint64_t r4,
				uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_change_head");
	uint32_t n = (uint32_t)len, newlen;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	newlen = len_of(b) + n;
	if (flags || newlen > SKB_MAX_ALLOC || newlen < len_of(b))
		return ERR(-EINVAL);
	room(b, n, 0);
	b->data -= n;
	memset(b->buf + b->data, 0, n);
	b->mac = b->data;
	skb_buf_sync(b, run);
	return 0;
}

/* bpf_skb_pull_data(skb, len): the first len bytes (0: the linear part)
 * readable directly: always so here; -ENOMEM past the packet. */
uint64_t helper_skb_pull_data(uint64_t ctx, uint64_t len, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_pull_data");

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	if ((uint32_t)len > len_of(b))
		return ERR(-ENOMEM);
	skb_buf_sync(b, run);
	return 0;
}

/* The flow hash bpfhost gives a packet: the kernel's hashes the dissected
 * flow keys with a secret chosen at boot, so no value can be the kernel's;
 * this one is stable, nonzero, and equal for the packets of one flow
 * (addresses, protocol, ports). Returns whether ports were found. */
static bool flow_hash(const struct skb_buf *b, uint32_t *out)
{
	const uint8_t *p = b->buf + b->net, *end = b->buf + b->tail;
	uint32_t h = 0x9e3779b9u, proto = ntohs((uint16_t)b->md->protocol), ihl = 0;
	bool ports = false;
	uint8_t l4 = 0;

	if (proto == ETH_P_IP && end - p >= 20) {
		ihl = (p[0] & 0xfu) * 4u;
		l4 = p[9];
		for (int i = 12; i < 20; i++)
			h = (h ^ p[i]) * 0x01000193u;
		if ((p[6] & 0x3f) || p[7]) /* a fragment: no ports */
			ihl = 0;
	} else if (proto == ETH_P_IPV6 && end - p >= 40) {
		ihl = 40;
		l4 = p[6];
		for (int i = 8; i < 40; i++)
			h = (h ^ p[i]) * 0x01000193u;
	}
	h = (h ^ l4) * 0x01000193u;
	if (ihl && (l4 == IPPROTO_TCP || l4 == IPPROTO_UDP || l4 == IPPROTO_SCTP) &&
	    end - p >= (ptrdiff_t)ihl + 4) {
		for (uint32_t i = ihl; i < ihl + 4; i++)
			h = (h ^ p[i]) * 0x01000193u;
		ports = true;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	*out = h ? h : 1;
	return ports;
}

/* bpf_get_hash_recalc(skb): the flow hash, computed unless one is set. */
uint64_t helper_get_hash_recalc(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_get_hash_recalc");

	UNUSED4(r2, r3, r4, r5);
	if (!b)
		return 0;
	if (!b->l4_hash && !b->sw_hash) {
		b->l4_hash = flow_hash(b, &b->md->hash);
		b->sw_hash = true;
	}
	return b->md->hash;
}

/* bpf_set_hash(skb, hash): a software hash the stack keeps. */
uint64_t helper_set_hash(uint64_t ctx, uint64_t hash, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_set_hash");

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	b->md->hash = (uint32_t)hash;
	b->sw_hash = true;
	b->l4_hash = false;
	return 0;
}

/* bpf_set_hash_invalid(skb): the hash dropped, to be recomputed. */
uint64_t helper_set_hash_invalid(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_set_hash_invalid");

	UNUSED4(r2, r3, r4, r5);
	if (!b)
		return 0;
	b->md->hash = 0;
	b->sw_hash = b->l4_hash = false;
	return 0;
}

/* bpf_skb_change_type(skb, type): pkt_type, host to otherhost only. */
uint64_t helper_skb_change_type(uint64_t ctx, uint64_t type, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_change_type");

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	if (b->md->pkt_type > PACKET_OTHERHOST || (uint32_t)type > PACKET_OTHERHOST)
		return ERR(-EINVAL);
	b->md->pkt_type = (uint32_t)type;
	return 0;
}

/* Where the program asked its packet to go, for whoever runs it. */
static void record_redirect(struct progtype_state *s, uint32_t target, uint64_t flags,
			    uint32_t map_id)
{
	if (!s)
		return;
	s->redirect.set = true;
	s->redirect.ifindex = target;
	s->redirect.flags = flags;
	s->redirect.map_id = map_id;
}

/* bpf_redirect(ifindex, flags): the decision recorded for whoever ran the
 * program. tc: TC_ACT_REDIRECT, or TC_ACT_SHOT for flags other than
 * BPF_F_INGRESS; XDP: XDP_REDIRECT, or XDP_ABORTED for any flags. */
uint64_t helper_redirect(uint64_t ifindex, uint64_t flags, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct vm_run *run)
{
	struct progtype_state *s = run->ctx_state;
	bool xdp = s && s->prog_type == BPF_PROG_TYPE_XDP;

	(void)r3, (void)r4, (void)r5;
	if (xdp ? flags != 0 : (flags & ~(uint64_t)BPF_F_INGRESS) != 0)
		return xdp ? XDP_ABORTED : (uint64_t)TC_ACT_SHOT;
	record_redirect(s, (uint32_t)ifindex, flags, 0);
	return xdp ? XDP_REDIRECT : TC_ACT_REDIRECT;
}

static bool eth_type_vlan(uint32_t proto_be)
{
	return proto_be == htons(ETH_P_8021Q) || proto_be == htons(ETH_P_8021AD);
}

/* The kernel's __skb_vlan_pop: the tag after the MAC addresses taken out of
 * the frame (data at the link-layer header), its TCI in *tci, the protocol
 * the one it carried. */
static int64_t vlan_pop_inline(struct skb_buf *b, uint16_t *tci)
{
	uint8_t *p = b->buf + b->data;
	uint16_t inner;

	if (b->data != b->mac)
		return -EINVAL;
	if (len_of(b) < SKB_ETH_HLEN + 4)
		return -ENOMEM;
	*tci = (uint16_t)(p[14] << 8 | p[15]);
	inner = (uint16_t)(p[16] << 8 | p[17]);
	move_room(b, 2 * ETH_ALEN, -4);
	p = b->buf + b->data;
	if (inner >= ETH_P_802_3_MIN)
		b->md->protocol = htons(inner);
	else
		b->md->protocol =
			htons(len_of(b) >= SKB_ETH_HLEN + 2 && p[14] == 0xff && p[15] == 0xff
				      ? ETH_P_802_3
				      : ETH_P_802_2);
	return 0;
}

/* bpf_skb_vlan_push(skb, proto, tci): the tag goes to the skb's hardware
 * tag; one already there is first written into the frame. */
uint64_t helper_skb_vlan_push(uint64_t ctx, uint64_t proto, uint64_t tci, uint64_t r4, uint64_t r5,
			      struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_vlan_push");
	uint32_t vproto = (uint16_t)proto;
	uint8_t *p;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	if (!eth_type_vlan(vproto))
		vproto = htons(ETH_P_8021Q);
	if (b->md->vlan_present) {
		if (b->data != b->mac)
			return ERR(-EINVAL);
		move_room(b, 2 * ETH_ALEN, 4); /* the tag after the MAC addresses */
		p = b->buf + b->data;
		memcpy(p + 12, &b->md->vlan_proto, 2);
		p[14] = (uint8_t)(b->md->vlan_tci >> 8);
		p[15] = (uint8_t)b->md->vlan_tci;
		b->md->protocol = b->md->vlan_proto;
	}
	b->md->vlan_present = 1;
	b->md->vlan_proto = vproto;
	b->md->vlan_tci = (uint16_t)tci;
	skb_buf_sync(b, run);
	return 0;
}

/* bpf_skb_vlan_pop(skb): the hardware tag dropped, else the frame's outer
 * tag taken out; a tag under it then becomes the hardware tag. */
uint64_t helper_skb_vlan_pop(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_vlan_pop");
	int64_t err = 0;
	uint32_t proto;
	uint16_t tci;

	UNUSED4(r2, r3, r4, r5);
	if (!b)
		return 0;
	if (b->md->vlan_present) {
		b->md->vlan_present = 0;
		b->md->vlan_tci = 0;
		b->md->vlan_proto = 0;
	} else if (eth_type_vlan(b->md->protocol)) {
		err = vlan_pop_inline(b, &tci);
	} else {
		return 0;
	}
	if (!err && eth_type_vlan(b->md->protocol)) {
		proto = b->md->protocol;
		err = vlan_pop_inline(b, &tci);
		if (!err) {
			b->md->vlan_present = 1;
			b->md->vlan_proto = proto;
			b->md->vlan_tci = tci;
		}
	}
	skb_buf_sync(b, run);
	return ERR(err);
}

/* What a test run's skb and socket have none of, 0 (NULL): bpfhost has no
 * sockets to look up (bpf_sk_lookup_*, bpf_skc_lookup_tcp; bpf_sk_release
 * then has nothing to let go), the test run's socket is neither TCP nor
 * listening nor AF_UNIX nor MPTCP (bpf_tcp_sock, bpf_get_listener_sock,
 * bpf_skc_to_*) and belongs to uid 0 (bpf_get_socket_uid), and its skb has
 * no route realm (bpf_get_route_realm). */
uint64_t helper_none(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		     struct vm_run *run)
{
	UNUSED4(r1, r2, r3, r4);
	(void)r5, (void)run;
	return 0;
}

/* bpf_sk_fullsock(sk): the test run's socket is a full socket. */
uint64_t helper_sk_fullsock(uint64_t sk, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct vm_run *run)
{
	UNUSED4(r2, r3, r4, r5);
	(void)run;
	return sk;
}

/* bpf_fib_lookup(ctx, params, plen, flags): from the user's table (fib.c). */
uint64_t helper_fib_lookup(uint64_t ctx, uint64_t params, uint64_t plen, uint64_t flags,
			   uint64_t r5, struct vm_run *run)
{
	(void)ctx, (void)r5, (void)run;
	return ERR(fib_lookup((struct bpf_fib_lookup *)(uintptr_t)params, (uint32_t)plen,
			      (uint32_t)flags, true));
}

#define ADJ_ROOM_ENCAP                                                                             \
	(BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 |                             \
	 BPF_F_ADJ_ROOM_ENCAP_L4_GRE | BPF_F_ADJ_ROOM_ENCAP_L4_UDP | BPF_F_ADJ_ROOM_ENCAP_L2_ETH)
#define ADJ_ROOM_DECAP_V4 (1ull << 7) /* BPF_F_ADJ_ROOM_DECAP_L3_IPV4 */
#define ADJ_ROOM_DECAP_V6 (1ull << 8) /* BPF_F_ADJ_ROOM_DECAP_L3_IPV6 */
#define ADJ_ROOM_L2_LEN(f) ((uint32_t)((f) >> 56))
#define ADJ_ROOM_KNOWN                                                                             \
	(BPF_F_ADJ_ROOM_FIXED_GSO | ADJ_ROOM_ENCAP | BPF_F_ADJ_ROOM_NO_CSUM_RESET |                \
	 ADJ_ROOM_DECAP_V4 | ADJ_ROOM_DECAP_V6 | (0xffull << 56))

/* bpf_skb_adjust_room(skb, len_diff, mode, flags): room made or taken at
 * the network layer (behind the IP header) or the link layer (between the
 * MAC and IP headers), with the kernel's checks in the kernel's order. */
uint64_t helper_skb_adjust_room(uint64_t ctx, uint64_t len_diff, uint64_t mode, uint64_t flags,
				uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_adjust_room");
	int64_t diff = (int32_t)len_diff;
	uint64_t encap = flags & ADJ_ROOM_ENCAP,
		 l3 = flags & (BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6);
	uint32_t off, len_cur, len_min;
	bool v4, gso;

	(void)r5;
	if (!b)
		return 0;
	/* a test run's GSO skb (gso_size from ctx_in) has no GSO type: neither
	 * TCP nor UDP segments, whose headers the kernel would know how to grow */
	gso = b->md->gso_size != 0;
	if (flags & ~ADJ_ROOM_KNOWN)
		return ERR(-EINVAL);
	if (diff > 0xfff || diff < -0xfff)
		return ERR(-EFAULT);
	if (b->md->protocol != htons(ETH_P_IP) && b->md->protocol != htons(ETH_P_IPV6))
		return ERR(-ENOTSUPP);
	v4 = b->md->protocol == htons(ETH_P_IP);
	off = b->net - b->mac;
	if (mode == BPF_ADJ_ROOM_NET)
		off += v4 ? 20 : 40;
	else if (mode != BPF_ADJ_ROOM_MAC)
		return ERR(-ENOTSUPP);
	if (diff < 0) {
		len_cur = len_of(b) - (b->net - b->data);
		len_min = v4 ? 20 : 40;
		if (flags & ADJ_ROOM_DECAP_V6)
			len_min = 40;
		else if (flags & ADJ_ROOM_DECAP_V4)
			len_min = 20;
		if ((uint32_t)-diff >= len_cur || len_cur - (uint32_t)-diff < len_min)
			return ERR(-ENOTSUPP);
		if (encap || ((flags & ADJ_ROOM_DECAP_V4) && (flags & ADJ_ROOM_DECAP_V6)))
			return ERR(-EINVAL);
		if (gso)
			return ERR(-ENOTSUPP);
	} else if (diff > 0) {
		if (len_of(b) + diff > SKB_MAX_ALLOC && !gso)
			return ERR(-ENOTSUPP);
		if (flags & (ADJ_ROOM_DECAP_V4 | ADJ_ROOM_DECAP_V6))
			return ERR(-EINVAL);
		if (gso)
			return ERR(-ENOTSUPP);
		if (l3) {
			uint32_t l2 = ADJ_ROOM_L2_LEN(flags);

			if (l3 == (BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) ||
			    ((flags & BPF_F_ADJ_ROOM_ENCAP_L4_GRE) &&
			     (flags & BPF_F_ADJ_ROOM_ENCAP_L4_UDP)) ||
			    ((flags & BPF_F_ADJ_ROOM_ENCAP_L2_ETH) && l2 < SKB_ETH_HLEN) ||
			    l2 > diff)
				return ERR(-EINVAL);
			if (b->encapsulation)
				return ERR(-EALREADY);
		}
	}
	if (!diff && gso)
		return ERR(-ENOTSUPP);
	if (off > len_of(b))
		return ERR(-EINVAL);
	move_room(b, off, diff);
	if (diff > 0 && l3)
		b->encapsulation = true;
	if ((diff > 0 && (flags & BPF_F_ADJ_ROOM_ENCAP_L3_IPV6)) ||
	    (diff < 0 && (flags & ADJ_ROOM_DECAP_V6)))
		b->md->protocol = htons(ETH_P_IPV6);
	else if ((diff > 0 && (flags & BPF_F_ADJ_ROOM_ENCAP_L3_IPV4)) ||
		 (diff < 0 && (flags & ADJ_ROOM_DECAP_V4)))
		b->md->protocol = htons(ETH_P_IP);
	if (!(flags & BPF_F_ADJ_ROOM_NO_CSUM_RESET) && b->ip_summed == SKB_CHECKSUM_UNNECESSARY) {
		b->ip_summed = SKB_CHECKSUM_NONE;
		b->csum_level = 0;
	}
	skb_buf_sync(b, run);
	return 0;
}

/* bpf_skb_change_proto(skb, proto, flags): IPv4 <-> IPv6 by 20 bytes of
 * room at the network header (the program writes the new header). */
uint64_t helper_skb_change_proto(uint64_t ctx, uint64_t proto, uint64_t flags, uint64_t r4,
				 uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_change_proto");
	uint32_t from, to = (uint16_t)proto;

	(void)r4, (void)r5;
	if (!b)
		return 0;
	if (flags)
		return ERR(-EINVAL);
	from = b->md->protocol;
	if (from == htons(ETH_P_IP) && to == htons(ETH_P_IPV6))
		move_room(b, b->net - b->mac, 20);
	else if (from == htons(ETH_P_IPV6) && to == htons(ETH_P_IP))
		move_room(b, b->net - b->mac, -20);
	else
		return ERR(-ENOTSUPP);
	b->md->protocol = to;
	b->md->hash = 0;
	b->sw_hash = b->l4_hash = false;
	skb_buf_sync(b, run);
	return 0;
}

/* bpf_clone_redirect(skb, ifindex, flags): the kernel sends a copy out of
 * (or into) that device; bpfhost has no network stack, so it checks as the
 * kernel does and sends nothing. */
uint64_t helper_clone_redirect(uint64_t ctx, uint64_t ifindex, uint64_t flags, uint64_t r4,
			       uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_clone_redirect");
	char name[IF_NAMESIZE];

	(void)r4, (void)r5;
	if (!b)
		return 0;
	if (flags & ~(uint64_t)BPF_F_INGRESS)
		return ERR(-EINVAL);
	if (!ifindex || ifindex > UINT32_MAX || !if_indextoname((unsigned)ifindex, name))
		return ERR(-EINVAL);
	return 0;
}

/* bpf_get_socket_cookie(skb): the skb's socket's cookie, nonzero, one per
 * socket: the kernel numbers sockets from a global counter as they are
 * first asked; bpfhost numbers the test runs' sockets the same way. */
uint64_t helper_get_socket_cookie(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct vm_run *run)
{
	static _Atomic uint64_t next = 1;
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_get_socket_cookie");

	UNUSED4(r2, r3, r4, r5);
	if (!b)
		return 0;
	if (!b->cookie)
		b->cookie = next++;
	return b->cookie;
}

/* bpf_skb_ecn_set_ce(skb): an ECN-capable IPv4 or IPv6 packet marked
 * Congestion Experienced (the IPv4 checksum follows): 1; else 0. */
uint64_t helper_skb_ecn_set_ce(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			       struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_ecn_set_ce");
	uint8_t *ip;
	uint32_t ecn;

	UNUSED4(r2, r3, r4, r5);
	if (!b)
		return 0;
	ip = b->buf + b->net;
	if (b->md->protocol == htons(ETH_P_IP) && b->tail >= b->net + 20) {
		uint32_t check = get16(ip + 10), add;

		ecn = (ip[1] + 1u) & 3;
		if (!(ecn & 2))
			return !ecn;
		add = (htons(0xfffb) + htons((uint16_t)ecn)) & 0xffff;
		check = (check + add) & 0xffff;
		check += check < add;
		put16(ip + 10, check);
		ip[1] |= 3;
		return 1;
	}
	if (b->md->protocol == htons(ETH_P_IPV6) && b->tail >= b->net + 40) {
		uint32_t from, to;

		if (!(((ip[0] << 8 | ip[1]) >> 4) & 3))
			return 0;
		memcpy(&from, ip, 4);
		to = from | htonl(3u << 20);
		memcpy(ip, &to, 4);
		if (b->ip_summed == SKB_CHECKSUM_COMPLETE)
			b->csum = csum_add32(csum_add32(b->csum, ~from), to);
		return 1;
	}
	return 0;
}

/* bpf_skb_cgroup_id(skb): the cgroup v2 id of the skb's socket's cgroup:
 * the test run's socket is made by this process, so it is this process's
 * cgroup (task.c finds it). */
uint64_t helper_skb_cgroup_id(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct vm_run *run)
{
	UNUSED4(r2, r3, r4, r5);
	if (!skb_helper_ctx(ctx, run, "bpf_skb_cgroup_id"))
		return 0;
	return helper_get_current_cgroup_id(0, 0, 0, 0, 0, run);
}

/* The id of the socket's cgroup's ancestor at level (an int: below 0 is
 * none), 0 past the cgroup's own level; the root's is always 1. */
static uint64_t sk_ancestor(uint64_t level, struct vm_run *run)
{
	if ((int32_t)level == 0)
		return 1;
	return helper_get_current_ancestor_cgroup_id((uint64_t)(int64_t)(int32_t)level, 0, 0, 0, 0,
						     run);
}

/* bpf_skb_ancestor_cgroup_id(skb, level) */
uint64_t helper_skb_ancestor_cgroup_id(uint64_t ctx, uint64_t level, uint64_t r3, uint64_t r4,
				       uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	if (!skb_helper_ctx(ctx, run, "bpf_skb_ancestor_cgroup_id"))
		return 0;
	return sk_ancestor(level, run);
}

/* bpf_sk_cgroup_id(sk): sk is the test run's socket (the only one there is). */
uint64_t helper_sk_cgroup_id(uint64_t sk, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct vm_run *run)
{
	UNUSED4(r2, r3, r4, r5);
	return sk ? helper_get_current_cgroup_id(0, 0, 0, 0, 0, run) : 0;
}

/* bpf_sk_ancestor_cgroup_id(sk, level) */
uint64_t helper_sk_ancestor_cgroup_id(uint64_t sk, uint64_t level, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	return sk ? sk_ancestor(level, run) : 0;
}

/* bpf_skb_cgroup_classid(skb), and bpf_get_cgroup_classid(skb) in a test
 * run: the net_cls class of the socket's cgroup, which is this process's
 * (the socket takes it from the task that makes it): the net_cls.classid
 * of the process's cgroup in a cgroup v1 hierarchy with net_cls, 0 without
 * one. */
uint64_t helper_skb_cgroup_classid(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				   struct vm_run *run)
{
	char line[1024], mnt[256] = "", path[1400], dev[64], dir[256], type[64], opts[512];
	unsigned classid = 0;
	FILE *f;

	UNUSED4(r2, r3, r4, r5);
	if (!skb_helper_ctx(ctx, run, "bpf_skb_cgroup_classid"))
		return 0;
	f = fopen("/proc/self/mounts", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %255s %63s %511s", dev, dir, type, opts) == 4 &&
		    !strcmp(type, "cgroup") && strstr(opts, "net_cls")) {
			snprintf(mnt, sizeof(mnt), "%s", dir);
			break;
		}
	fclose(f);
	if (!*mnt)
		return 0;
	/* "ID:CONTROLLERS:PATH", the line whose controllers include net_cls */
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *cg = ctl ? strchr(ctl + 1, ':') : NULL;
		FILE *c;

		if (!cg || !strstr(ctl, "net_cls"))
			continue;
		cg[strcspn(cg, "\n")] = 0;
		snprintf(path, sizeof(path), "%s%s/net_cls.classid", mnt, cg + 1);
		c = fopen(path, "re");
		if (c) {
			if (fscanf(c, "%u", &classid) != 1)
				classid = 0;
			fclose(c);
		}
		break;
	}
	fclose(f);
	return classid;
}

/* bpf_redirect_map(map, key, flags) from XDP: XDP_REDIRECT with the target
 * recorded if the DEVMAP/DEVMAP_HASH/CPUMAP/XSKMAP has the key (or with
 * BPF_F_BROADCAST, devmaps only), else the action in flags' low bits;
 * XDP_ABORTED for other flags. */
uint64_t helper_redirect_map(uint64_t map, uint64_t key, uint64_t flags, uint64_t r4, uint64_t r5,
			     struct vm_run *run)
{
	struct bpfmap *m = (struct bpfmap *)(uintptr_t)map;
	struct progtype_state *s = run->ctx_state;
	uint64_t mask = XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX, allowed = mask;
	uint32_t k = (uint32_t)key, type = m->hdr->map_type;
	bool devmap = type == BPF_MAP_TYPE_DEVMAP || type == BPF_MAP_TYPE_DEVMAP_HASH;

	(void)r4, (void)r5;
	if (devmap)
		allowed |= BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS;
	else if (type != BPF_MAP_TYPE_CPUMAP && type != BPF_MAP_TYPE_XSKMAP) {
		vm_helper_fault(run,
				"helper bpf_redirect_map: map of type %s is not a redirect map",
				map_type_name(type));
		return 0;
	}
	if (flags & ~allowed)
		return XDP_ABORTED;
	if (!(flags & BPF_F_BROADCAST) && (!m->ops->prog_lookup || !m->ops->prog_lookup(m, &k, 0)))
		return flags & mask;
	record_redirect(s, k, flags, atomic_load(&m->hdr->id));
	return XDP_REDIRECT;
}

/* A device of this network namespace as the helpers see it: its MTU and
 * the length of its link-layer header (the kernel's hard_header_len), from
 * sysfs as the rest of bpfhost learns about devices. The header length
 * follows the device type: Ethernet's for Ethernet-like and loopback
 * devices, none for the others (tunnels, tun, wireguard). 0, or -ENODEV. */
static int dev_mtu(unsigned ifindex, uint32_t *mtu, uint32_t *hh_len)
{
	char name[IF_NAMESIZE], path[64 + IF_NAMESIZE];
	unsigned type = ARPHRD_ETHER;
	FILE *f;

	if (!ifindex || !if_indextoname(ifindex, name))
		return -ENODEV;
	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", name);
	f = fopen(path, "re");
	if (!f)
		return -ENODEV;
	if (fscanf(f, "%u", mtu) != 1) {
		fclose(f);
		return -ENODEV;
	}
	fclose(f);
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", name);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%u", &type) != 1)
			type = ARPHRD_ETHER;
		fclose(f);
	}
	*hh_len = type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK || type == ARPHRD_IEEE802
			  ? SKB_ETH_HLEN
			  : 0;
	return 0;
}

/* bpf_check_mtu(ctx, ifindex, mtu_len, len_diff, flags), XDP's and tc's:
 * whether the packet, len_diff bytes longer, fits the MTU of the device
 * ifindex (0: the packet's own: XDP's receiving one, the skb's); *mtu_len,
 * if set, is an L3 length to check instead (the device's header added).
 * The lengths are the kernel's ints: they wrap as its do. *mtu_len gets the
 * MTU unless the call fails: -EINVAL for flags (XDP: any; tc: other than
 * BPF_MTU_CHK_SEGS, which wants len_diff and *mtu_len 0), -ENODEV. tc: a
 * GSO skb over the MTU passes unless BPF_MTU_CHK_SEGS, which checks its
 * segments, and wants a transport header (a test run's GSO skb has none:
 * only skb_adjust_room sets one, and it refuses GSO skbs). XDP counts the
 * linear part only, as the kernel does. */
uint64_t helper_check_mtu(uint64_t ctx, uint64_t ifindex, uint64_t mtu_len, uint64_t len_diff,
			  uint64_t flags, struct vm_run *run)
{
	uint32_t *mtu_p = (uint32_t *)(uintptr_t)mtu_len, mtu, hh, dev;
	struct xdp_buf *x = xdp_buf_of(run);
	int32_t len, diff = (int32_t)len_diff;
	struct skb_buf *b = NULL;
	uint64_t ret = BPF_MTU_CHK_RET_SUCCESS;

	if (x && ctx != (uint64_t)(uintptr_t)x->md) {
		vm_helper_fault(run,
				"helper bpf_check_mtu: argument R1 (0x%llx) is not the context",
				(unsigned long long)ctx);
		return 0;
	}
	if (!x && !(b = skb_helper_ctx(ctx, run, "bpf_check_mtu")))
		return 0;
	/* the kernel's verifier wants it aligned (MEM_ALIGNED) */
	if ((mtu_len & 3) || !vm_check_access(run, mtu_len, sizeof(*mtu_p), true)) {
		vm_helper_fault(run,
				"helper bpf_check_mtu: argument R3 (0x%llx, size 4) is not aligned "
				"memory the program may write",
				(unsigned long long)mtu_len);
		return 0;
	}
	if (x ? flags != 0
	      : (flags & ~(uint64_t)BPF_MTU_CHK_SEGS) ||
			    ((flags & BPF_MTU_CHK_SEGS) && (diff || *mtu_p)))
		return ERR(-EINVAL);
	dev = (uint32_t)ifindex ? (uint32_t)ifindex : x ? x->md->ingress_ifindex : b->md->ifindex;
	if (dev_mtu(dev, &mtu, &hh))
		return ERR(-ENODEV);
	len = (int32_t)(x ? x->end - x->data : len_of(b));
	if (*mtu_p)
		len = (int32_t)(*mtu_p + hh);
	len = (int32_t)((uint32_t)len + (uint32_t)diff);
	if (len > (int32_t)(mtu + hh)) {
		ret = BPF_MTU_CHK_RET_FRAG_NEEDED;
		if (b && b->md->gso_size) {
			ret = BPF_MTU_CHK_RET_SUCCESS;
			if (flags & BPF_MTU_CHK_SEGS) {
				if (b->trans == SKB_HDR_UNSET)
					return ERR(-EINVAL);
				/* each segment: the headers to the transport
				 * header and gso_size bytes */
				if (b->trans - b->net + b->md->gso_size > mtu)
					ret = BPF_MTU_CHK_RET_SEGS_TOOBIG;
			}
		}
	}
	*mtu_p = mtu;
	return ret;
}

/* The kernel's internal redirect flags: bpf_redirect_neigh and
 * bpf_redirect_peer record them with the target, where bpf_redirect
 * records its own flags. */
#define REDIRECT_NEIGH (1ull << 16)
#define REDIRECT_PEER (1ull << 17)
#define REDIRECT_NEXTHOP (1ull << 18) /* bpf_redirect_neigh was given a next hop */

/* bpf_redirect_neigh(ifindex, params, plen, flags) (tc): TC_ACT_REDIRECT
 * with the decision recorded (out of ifindex, through the neighbour
 * subsystem, to params' next hop if given); TC_ACT_SHOT for any flags or a
 * plen short of struct bpf_redir_neigh. The device is looked up only when
 * tc acts on the verdict. */
uint64_t helper_redirect_neigh(uint64_t ifindex, uint64_t params, uint64_t plen, uint64_t flags,
			       uint64_t r5, struct vm_run *run)
{
	int32_t n = (int32_t)plen;

	(void)params, (void)r5;
	/* an int against a size_t, as the kernel compares: a negative plen passes */
	if ((n && (size_t)n < sizeof(struct bpf_redir_neigh)) || flags)
		return (uint64_t)TC_ACT_SHOT;
	record_redirect(run->ctx_state, (uint32_t)ifindex,
			REDIRECT_NEIGH | (n ? REDIRECT_NEXTHOP : 0), 0);
	return TC_ACT_REDIRECT;
}

/* bpf_redirect_peer(ifindex, flags) (tc): TC_ACT_REDIRECT with the decision
 * recorded (into the peer of device ifindex), TC_ACT_SHOT for any flags. */
uint64_t helper_redirect_peer(uint64_t ifindex, uint64_t flags, uint64_t r3, uint64_t r4,
			      uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	if (flags)
		return (uint64_t)TC_ACT_SHOT;
	record_redirect(run->ctx_state, (uint32_t)ifindex, REDIRECT_PEER, 0);
	return TC_ACT_REDIRECT;
}

#define SKB_CLOCK_REALTIME 0 /* BPF_SKB_CLOCK_*, as the skb keeps them */
#define SKB_CLOCK_MONOTONIC 1
#define SKB_CLOCK_TAI 2

/* bpf_skb_set_tstamp(skb, tstamp, tstamp_type): the stamp and its clock,
 * which the program reads back in tstamp and tstamp_type; IP packets only
 * (-EOPNOTSUPP); a monotonic or TAI stamp of 0, or another clock: -EINVAL. */
uint64_t helper_skb_set_tstamp(uint64_t ctx, uint64_t tstamp, uint64_t type, uint64_t r4,
			       uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_helper_ctx(ctx, run, "bpf_skb_set_tstamp");

	(void)r4, (void)r5;
	if (!b)
		return 0;
	if (b->md->protocol != htons(ETH_P_IP) && b->md->protocol != htons(ETH_P_IPV6))
		return ERR(-EOPNOTSUPP);
	switch ((uint32_t)type) {
	case SKB_CLOCK_REALTIME: break;
	case SKB_CLOCK_MONOTONIC:
	case SKB_CLOCK_TAI:
		if (!tstamp)
			return ERR(-EINVAL);
		break;
	default: return ERR(-EINVAL);
	}
	b->md->tstamp = tstamp;
	b->md->tstamp_type = (uint8_t)type;
	return 0;
}

/* bpf_skb_get_xfrm_state(skb, index, to, size, flags): a test run's skb
 * went through no IPsec (no security path): -EINVAL, size bytes zeroed. */
uint64_t helper_skb_get_xfrm_state(uint64_t ctx, uint64_t index, uint64_t to, uint64_t size,
				   uint64_t flags, struct vm_run *run)
{
	(void)index, (void)flags;
	if (!skb_helper_ctx(ctx, run, "bpf_skb_get_xfrm_state"))
		return 0;
	memset((void *)(uintptr_t)to, 0, (uint32_t)size);
	return ERR(-EINVAL);
}

/* bpf_sk_assign(skb, sk, flags): -EINVAL for flags (or no socket); else
 * -EOPNOTSUPP: a socket is assigned at tc ingress only, and a test run is
 * not there. */
uint64_t helper_sk_assign(uint64_t ctx, uint64_t sk, uint64_t flags, uint64_t r4, uint64_t r5,
			  struct vm_run *run)
{
	(void)r4, (void)r5;
	if (!skb_helper_ctx(ctx, run, "bpf_sk_assign"))
		return 0;
	if (!sk || flags)
		return ERR(-EINVAL);
	return ERR(-EOPNOTSUPP);
}
