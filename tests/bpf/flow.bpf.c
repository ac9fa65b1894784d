// SPDX-License-Identifier: GPL-2.0
/* Flow dissector programs for tests/libbpf/test_flow.c. dissect is a
 * dissector as users write them: Ethernet (the EtherType comes in n_proto),
 * up to two VLAN tags, IPv4 with options, fragments and one level of IPIP,
 * IPv6 with extension headers and fragments, TCP and UDP ports, all read
 * through direct packet access. tail_entry does the same through a PROG_ARRAY,
 * one program per network protocol. load_bytes, clamp and probe show what
 * the test run gives a program: the helper's answer without an skb, the
 * bounds put on nhoff and thoff after the run, the keys on entry. Results
 * leave through the flow keys (the test run's data_out) and the return
 * value. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Not in the uapi headers */
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define IP6_OFFSET 0xfff8

#define MAX_VLAN 2    /* tags looked through: 802.1AD, then 802.1Q */
#define MAX_IP6_EXT 4 /* IPv6 extension headers looked through */
/* Headers are read up to this far into the packet. A bound the verifier
 * can see is what lets it prove data + off + len against data_end (an
 * unbounded u16 offset plus a header size could pass 0xffff). */
#define MAX_HDR_OFF 1024

struct vlan_tag {
	__be16 tci;
	__be16 proto; /* the EtherType after the tag */
};

struct ip6_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset in 8-byte units << 3, then 2 bits, then M */
	__be32 id;
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jmp_table SEC(".maps");

enum { JMP_IPV4, JMP_IPV6 }; /* slots in jmp_table, filled by the test */

/* The len bytes at off in the packet, or NULL where they are not all in it
 * (or lie beyond MAX_HDR_OFF) */
static __always_inline void *header(struct __sk_buff *skb, __u32 off, __u32 len)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	void *h;

	if (off > MAX_HDR_OFF)
		return NULL;
	h = data + off;
	if (h + len > end)
		return NULL;
	return h;
}

/* The transport header at thoff: ports for TCP and UDP, nothing for the
 * rest (still a flow, by addresses and protocol) */
static __always_inline int l4(struct __sk_buff *skb, struct bpf_flow_keys *keys, __u8 proto)
{
	keys->ip_proto = proto;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *tcp = header(skb, keys->thoff, sizeof(*tcp));

		if (!tcp || tcp->doff < 5)
			return BPF_DROP;
		/* a TCP header whose options run past the packet is malformed */
		if (!header(skb, keys->thoff, tcp->doff * 4))
			return BPF_DROP;
		keys->sport = tcp->source;
		keys->dport = tcp->dest;
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *udp = header(skb, keys->thoff, sizeof(*udp));

		if (!udp)
			return BPF_DROP;
		keys->sport = udp->source;
		keys->dport = udp->dest;
	}
	return BPF_OK;
}

/* The IPv4 header at nhoff and what follows it. An IPIP packet is followed
 * once into the inner header (is_encap), unless the caller asked to stop
 * at the encapsulation; a second IPIP layer is left undissected. */
static __always_inline int ipv4(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	for (int depth = 0; depth < 2; depth++) {
		struct iphdr *ip = header(skb, keys->nhoff, sizeof(*ip));
		__u16 hlen;

		if (!ip || ip->version != 4 || ip->ihl < 5)
			return BPF_DROP;
		hlen = ip->ihl * 4;
		if (!header(skb, keys->nhoff, hlen))
			return BPF_DROP; /* the options are cut short */
		keys->addr_proto = ETH_P_IP;
		keys->ipv4_src = ip->saddr;
		keys->ipv4_dst = ip->daddr;
		keys->thoff = keys->nhoff + hlen;
		keys->ip_proto = ip->protocol;
		if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
			keys->is_frag = 1;
			/* only the first fragment carries the transport header */
			if (ip->frag_off & bpf_htons(IP_OFFSET))
				return BPF_OK;
			keys->is_first_frag = 1;
			if (!(keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG))
				return BPF_OK;
		}
		if (ip->protocol != IPPROTO_IPIP || depth)
			return l4(skb, keys, ip->protocol);
		keys->is_encap = 1;
		if (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP)
			return BPF_OK;
		keys->nhoff = keys->thoff;
	}
	return BPF_DROP; /* not reached: the second pass always returns */
}

/* The IPv6 header at nhoff, its extension headers, then the transport */
static __always_inline int ipv6(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct ipv6hdr *ip6 = header(skb, keys->nhoff, sizeof(*ip6));
	__u8 next;

	if (!ip6 || ip6->version != 6)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IPV6;
	/* ipv6_src and ipv6_dst are laid out as saddr and daddr are */
	__builtin_memcpy(keys->ipv6_src, &ip6->saddr, 2 * sizeof(ip6->saddr));
	keys->flow_label = *(__be32 *)ip6 & bpf_htonl(0x000fffff);
	keys->thoff = keys->nhoff + sizeof(*ip6);
	next = ip6->nexthdr;
	keys->ip_proto = next;
	if (keys->flow_label && (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL))
		return BPF_OK; /* the label names the flow well enough */
	for (int i = 0; i < MAX_IP6_EXT; i++) {
		if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) {
			struct ipv6_opt_hdr *opt = header(skb, keys->thoff, sizeof(*opt));

			if (!opt)
				return BPF_DROP;
			next = opt->nexthdr;
			keys->thoff += (opt->hdrlen + 1) * 8;
			keys->ip_proto = next;
		} else if (next == IPPROTO_FRAGMENT) {
			struct ip6_frag *frag = header(skb, keys->thoff, sizeof(*frag));

			if (!frag)
				return BPF_DROP;
			next = frag->nexthdr;
			keys->thoff += sizeof(*frag);
			keys->ip_proto = next;
			keys->is_frag = 1;
			if (frag->frag_off & bpf_htons(IP6_OFFSET))
				return BPF_OK;
			keys->is_first_frag = 1;
			if (!(keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG))
				return BPF_OK;
		} else {
			return l4(skb, keys, next);
		}
	}
	return BPF_DROP; /* more extension headers than we look through */
}

/* The VLAN tags at nhoff: n_proto and nhoff (and thoff with it) end up at
 * the network header after them. */
static __always_inline int vlan(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	__be16 proto = keys->n_proto;

	for (int i = 0; i < MAX_VLAN; i++) {
		struct vlan_tag *tag;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		tag = header(skb, keys->nhoff, sizeof(*tag));
		if (!tag)
			return BPF_DROP;
		proto = tag->proto;
		keys->nhoff += sizeof(*tag);
		keys->thoff = keys->nhoff;
	}
	keys->n_proto = proto;
	return BPF_OK;
}

/* dissect: the whole dissector in one program */
SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	if (vlan(skb, keys) != BPF_OK)
		return BPF_DROP;
	if (keys->n_proto == bpf_htons(ETH_P_IP))
		return ipv4(skb, keys);
	if (keys->n_proto == bpf_htons(ETH_P_IPV6))
		return ipv6(skb, keys);
	return BPF_DROP; /* a network protocol we do not know */
}

/* tail_entry: the VLAN tags here, the network header in the program in
 * jmp_table for it. An empty slot falls through: no dissector for that
 * protocol, dropped. */
SEC("flow_dissector")
int tail_entry(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	if (vlan(skb, keys) != BPF_OK)
		return BPF_DROP;
	if (keys->n_proto == bpf_htons(ETH_P_IP))
		bpf_tail_call(skb, &jmp_table, JMP_IPV4);
	else if (keys->n_proto == bpf_htons(ETH_P_IPV6))
		bpf_tail_call(skb, &jmp_table, JMP_IPV6);
	return BPF_DROP;
}

/* tail_ipv4, tail_ipv6: the network header at nhoff, as the entry left it */
SEC("flow_dissector")
int tail_ipv4(struct __sk_buff *skb)
{
	return ipv4(skb, skb->flow_keys);
}

SEC("flow_dissector")
int tail_ipv6(struct __sk_buff *skb)
{
	return ipv6(skb, skb->flow_keys);
}

/* load_bytes: bpf_skb_load_bytes of 16 bytes at the offset given in flags,
 * into a buffer filled with 0xaa first. Its return lands in flow_label, the
 * buffer in ipv6_src[]; BPF_OK if it succeeded. A test run has no skb
 * behind the context, so the kernel answers -EFAULT and clears the buffer. */
SEC("flow_dissector")
int load_bytes(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	__u8 buf[16];
	long err;

	__builtin_memset(buf, 0xaa, sizeof(buf));
	err = bpf_skb_load_bytes(skb, keys->flags, buf, sizeof(buf));
	__builtin_memcpy(keys->ipv6_src, buf, sizeof(buf));
	keys->flow_label = (__u32)err;
	return err ? BPF_DROP : BPF_OK;
}

/* clamp: nhoff from the low 16 bits of flags, thoff from the high 16, as
 * they are; the kernel bounds them after the run */
SEC("flow_dissector")
int clamp(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	keys->nhoff = keys->flags & 0xffff;
	keys->thoff = keys->flags >> 16;
	return BPF_OK;
}

/* probe: the keys as the run hands them over, plus sport counting runs (1:
 * each run starts from fresh keys), dport the packet's first two bytes (the
 * packet starts at the Ethernet header) and flow_label its length; it
 * returns flags >> 8, any value */
SEC("flow_dissector")
int probe(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct bpf_flow_keys *keys = skb->flow_keys;

	keys->sport += 1;
	if (data + 2 <= end)
		keys->dport = *(__be16 *)data;
	keys->flow_label = end - data;
	return keys->flags >> 8;
}

char LICENSE[] SEC("license") = "GPL";
