// SPDX-License-Identifier: GPL-2.0
/* XDP programs as people write them, for tests/libbpf/test_xdp.c: a filter
 * that parses Ethernet and IPv4 against data_end, drops DNS over UDP and
 * decrements the TTL of the rest; a VLAN tag popped with bpf_xdp_adjust_head;
 * metadata written in front of the packet with bpf_xdp_adjust_meta; Ethernet
 * padding trimmed with bpf_xdp_adjust_tail; counters in an array and a hash;
 * a dispatcher that tail-calls another XDP program through a prog array. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_packets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} len_packets SEC(".maps");

/* The IPv4 header after the Ethernet header, or NULL. */
static __always_inline struct iphdr *ipv4(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	if (ip->ihl < 5 || (void *)ip + ip->ihl * 4 > data_end)
		return NULL;
	return ip;
}

/* The kernel's ip_decrease_ttl: the checksum follows the TTL (RFC 1624). */
static __always_inline void decrease_ttl(struct iphdr *ip)
{
	__u32 check = (__u32)ip->check;

	check += (__u32)bpf_htons(0x0100);
	ip->check = (__sum16)(check + (check >= 0xffff));
	ip->ttl--;
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = ipv4(data, data_end);
	struct udphdr *udp;

	if (!ip)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_UDP) {
		udp = (void *)ip + ip->ihl * 4;
		if ((void *)(udp + 1) > data_end)
			return XDP_DROP;
		if (udp->dest == bpf_htons(53))
			return XDP_DROP;
	}
	decrease_ttl(ip);
	return XDP_PASS;
}

SEC("xdp")
int xdp_vlan_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vlan_hdr *vlan = (void *)(eth + 1);
	__u8 macs[2 * ETH_ALEN];

	if ((void *)(vlan + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_8021Q))
		return XDP_PASS;
	/* the addresses move 4 bytes on, over the tag; the tag's protocol is
	 * already where the Ethernet type goes */
	__builtin_memcpy(macs, eth, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(*vlan)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, macs, sizeof(macs));
	return XDP_PASS;
}

/* Metadata in front of the packet: the caller's (ctx_in's data), plus one,
 * in 4 new bytes. */
SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *meta = (void *)(long)ctx->data_meta;
	__u32 in = 0;

	if (meta + sizeof(__u32) <= data)
		in = *(__u32 *)meta;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	if (meta + sizeof(__u32) > data)
		return XDP_ABORTED;
	*(__u32 *)meta = in + 1;
	return XDP_PASS;
}

/* Ethernet pads short frames: whatever follows the IPv4 datagram goes. */
SEC("xdp")
int xdp_trim(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = ipv4(data, data_end);
	long excess;

	if (!ip)
		return XDP_PASS;
	excess = (long)(data_end - (void *)ip) - bpf_ntohs(ip->tot_len);
	if (excess <= 0 || excess > 1500)
		return XDP_PASS;
	if (bpf_xdp_adjust_tail(ctx, (int)-excess))
		return XDP_ABORTED;
	return XDP_TX;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = ipv4(data, data_end);
	__u32 len = (__u32)(data_end - data), proto;
	__u64 one = 1, *v;

	proto = ip ? ip->protocol : 0;
	v = bpf_map_lookup_elem(&proto_packets, &proto);
	if (v)
		__sync_fetch_and_add(v, 1);
	v = bpf_map_lookup_elem(&len_packets, &len);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&len_packets, &len, &one, BPF_NOEXIST);
	return XDP_PASS;
}

/* The tail call's target: swaps the Ethernet addresses and sends the frame
 * back out. */
SEC("xdp")
int xdp_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 tmp[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct xdp_md *));
} jump SEC(".maps") = {
	.values = {[1] = (void *)&xdp_reflect},
};

/* Slot 1 holds xdp_reflect (set by libbpf); an empty slot falls through. */
SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *slot = data;

	if ((void *)(slot + 1) > data_end)
		return XDP_DROP;
	bpf_tail_call(ctx, &jump, *slot);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
