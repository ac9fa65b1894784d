// SPDX-License-Identifier: GPL-2.0
/* An XDP firewall and flow counter written for this project: it parses
 * Ethernet (and one VLAN tag), IPv4 or IPv6, then TCP, UDP or ICMP; counts
 * packets and bytes per protocol and per IPv4 flow; drops telnet (TCP port 23)
 * and chargen (UDP port 19), saying so with bpf_printk; passes the rest.
 *
 * Run it:  bpfhost run xdp_firewall.bpf.o --pcap sample.pcap --out passed.pcap
 *
 * The verifier (the kernel's, or any careful one) accepts a packet read only
 * after a check that it lies before data_end: every header below is checked
 * against data_end before its first field is read. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Not in every uapi header set: an 802.1Q VLAN tag, after the MAC addresses. */
struct vlan_hdr {
	__be16 tci; /* priority and VLAN id */
	__be16 proto;
};

/* The keys of proto_stats. A packet counts once under its L3 protocol and, if
 * it is IP, once under its L4 protocol; and under VLAN and DROPPED if so. */
enum proto_stat {
	STAT_IPV4,
	STAT_IPV6,
	STAT_ARP,
	STAT_OTHER_L3, /* any other EtherType */
	STAT_TCP,
	STAT_UDP,
	STAT_ICMP, /* ICMP and ICMPv6 */
	STAT_OTHER_L4,
	STAT_VLAN, /* had an 802.1Q tag */
	STAT_DROPPED,
	STAT_MAX,
};

struct counter {
	__u64 packets;
	__u64 bytes;
};

/* An array: the kernel takes only a 32-bit integer as an array's key, so the
 * key is a __u32 holding an enum proto_stat. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, struct counter);
} proto_stats SEC(".maps");

/* An IPv4 address as it is in the packet, a byte a field: a map dump shows
 * 192.168.1.10 as {.a = 192, .b = 168, .c = 1, .d = 10}. (As a __u32 it would
 * show as a number, and libbpf prints a __u8[4] as characters.) */
struct ipv4_addr {
	__u8 a, b, c, d;
};

/* One IPv4 conversation in one direction. Ports are in host order, so that
 * a dump shows 80. The struct ends in a padding byte: see count_flow. */
struct flow_key {
	struct ipv4_addr saddr;
	struct ipv4_addr daddr;
	__u16 sport; /* 0 for ICMP */
	__u16 dport;
	__u8 proto; /* IPPROTO_TCP (6), IPPROTO_UDP (17), IPPROTO_ICMP (1), ... */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct counter);
} flows SEC(".maps");

/* What the parser found out about a packet. */
struct packet {
	__u16 l3; /* EtherType: ETH_P_IP, ETH_P_IPV6, ... */
	__u8 l4;  /* IPPROTO_TCP, IPPROTO_UDP, ... (0: not IP) */
	__u16 sport, dport;
	__u8 saddr[16], daddr[16]; /* the IPv4 addresses use the first 4 bytes */
};

static __always_inline void count(__u32 stat, __u64 bytes)
{
	struct counter *c = bpf_map_lookup_elem(&proto_stats, &stat);

	/* atomic: the same program may run on every CPU at once */
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, bytes);
	}
}

static __always_inline void count_flow(const struct packet *p, __u64 bytes)
{
	struct counter *c, first = {1, bytes};
	struct flow_key key;

	/* a hash map hashes and compares every byte of a key, padding too:
	 * zero it all first (an initializer need not zero the padding) */
	__builtin_memset(&key, 0, sizeof(key));
	key.sport = p->sport;
	key.dport = p->dport;
	key.proto = p->l4;
	__builtin_memcpy(&key.saddr, p->saddr, 4);
	__builtin_memcpy(&key.daddr, p->daddr, 4);
	c = bpf_map_lookup_elem(&flows, &key);
	if (!c) {
		/* a new flow: BPF_NOEXIST fails if another CPU added it just now */
		if (!bpf_map_update_elem(&flows, &key, &first, BPF_NOEXIST))
			return;
		c = bpf_map_lookup_elem(&flows, &key);
		if (!c)
			return; /* the map is full */
	}
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, bytes);
}

/* The TCP or UDP ports at l4 (both start with source and destination
 * port); 0 if they do not fit in the packet. */
static __always_inline int read_ports(struct packet *p, void *l4, void *end)
{
	__be16 *ports = l4;

	if ((void *)(ports + 2) > end)
		return 0;
	p->sport = bpf_ntohs(ports[0]);
	p->dport = bpf_ntohs(ports[1]);
	return 1;
}

/* Fills p from the packet; 0, or -1 if a header it announces is cut off. */
static __always_inline int parse(struct packet *p, void *data, void *end)
{
	struct ethhdr *eth = data;
	void *l3 = eth + 1;

	if (l3 > end)
		return -1;
	p->l3 = bpf_ntohs(eth->h_proto);
	if (p->l3 == ETH_P_8021Q) {
		struct vlan_hdr *vlan = l3;

		if ((void *)(vlan + 1) > end)
			return -1;
		p->l3 = bpf_ntohs(vlan->proto);
		l3 = vlan + 1;
		count(STAT_VLAN, end - data);
	}
	if (p->l3 == ETH_P_IP) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > end || ip->ihl < 5)
			return -1;
		p->l4 = ip->protocol;
		__builtin_memcpy(p->saddr, &ip->saddr, 4);
		__builtin_memcpy(p->daddr, &ip->daddr, 4);
		/* the header has options when ihl > 5: L4 starts at ihl words */
		if ((p->l4 == IPPROTO_TCP || p->l4 == IPPROTO_UDP) &&
		    !read_ports(p, l3 + ip->ihl * 4, end))
			return -1;
	} else if (p->l3 == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end)
			return -1;
		/* extension headers are not followed: they count as other L4 */
		p->l4 = ip6->nexthdr;
		__builtin_memcpy(p->saddr, &ip6->saddr, 16);
		__builtin_memcpy(p->daddr, &ip6->daddr, 16);
		if ((p->l4 == IPPROTO_TCP || p->l4 == IPPROTO_UDP) && !read_ports(p, ip6 + 1, end))
			return -1;
	}
	return 0;
}

/* The firewall's rules: what to drop. */
static __always_inline int blocked(const struct packet *p)
{
	return (p->l4 == IPPROTO_TCP && p->dport == 23) || /* telnet: passwords in clear */
	       (p->l4 == IPPROTO_UDP && p->dport == 19);   /* chargen: an amplifier */
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct packet p = {};
	__u64 bytes = end - data;

	if (parse(&p, data, end) < 0) {
		/* too short for what it claims to be: let the stack judge it */
		count(STAT_OTHER_L3, bytes);
		return XDP_PASS;
	}
	switch (p.l3) {
	case ETH_P_IP: count(STAT_IPV4, bytes); break;
	case ETH_P_IPV6: count(STAT_IPV6, bytes); break;
	case ETH_P_ARP: count(STAT_ARP, bytes); return XDP_PASS;
	default: count(STAT_OTHER_L3, bytes); return XDP_PASS;
	}
	switch (p.l4) {
	case IPPROTO_TCP: count(STAT_TCP, bytes); break;
	case IPPROTO_UDP: count(STAT_UDP, bytes); break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: count(STAT_ICMP, bytes); break;
	default: count(STAT_OTHER_L4, bytes); break;
	}
	if (p.l3 == ETH_P_IP)
		count_flow(&p, bytes);
	if (!blocked(&p))
		return XDP_PASS;
	count(STAT_DROPPED, bytes);
	/* more than 3 arguments: bpf_printk calls bpf_trace_vprintk */
	if (p.l3 == ETH_P_IP)
		bpf_printk("xdp_firewall: drop %s %pI4:%u -> %pI4:%u",
			   p.l4 == IPPROTO_TCP ? "tcp" : "udp", p.saddr, p.sport, p.daddr, p.dport);
	else
		bpf_printk("xdp_firewall: drop %s [%pI6]:%u -> [%pI6]:%u",
			   p.l4 == IPPROTO_TCP ? "tcp" : "udp", p.saddr, p.sport, p.daddr, p.dport);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
