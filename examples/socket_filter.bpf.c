// SPDX-License-Identifier: GPL-2.0
/* A socket filter that lets only DNS through: UDP over IPv4 from or to port
 * 53. A socket filter returns how many bytes of the packet the socket gets:
 * skb->len keeps it whole, 0 drops it. Accepted and dropped packets are
 * counted in a map.
 *
 * Run it:  bpfhost run socket_filter.bpf.o --pcap sample.pcap --out dns.pcap
 *
 * Attached to a packet socket (AF_PACKET, SOCK_RAW: tcpdump's kind), a
 * filter sees the frame from its Ethernet header on, as here; on a UDP or raw
 * IP socket it would start at the IP header. A socket filter may not read
 * the packet directly: it copies bytes out with bpf_skb_load_bytes. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <stddef.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define DNS_PORT 53

enum { ACCEPTED, DROPPED };

/* key ACCEPTED (0) or DROPPED (1): packets */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

static __always_inline int is_dns(struct __sk_buff *skb)
{
	struct iphdr ip;
	struct udphdr udp;
	__be16 proto;

	/* each load fails (returns < 0) if the packet is too short */
	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, sizeof(proto)) ||
	    proto != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) || ip.protocol != IPPROTO_UDP ||
	    ip.ihl < 5)
		return 0;
	/* a fragment after the first has no UDP header */
	if (ip.frag_off & bpf_htons(0x1fff))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + ip.ihl * 4, &udp, sizeof(udp)))
		return 0;
	return udp.source == bpf_htons(DNS_PORT) || udp.dest == bpf_htons(DNS_PORT);
}

SEC("socket")
int dns_only(struct __sk_buff *skb)
{
	__u32 key = is_dns(skb) ? ACCEPTED : DROPPED;
	__u64 *n = bpf_map_lookup_elem(&verdicts, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	return key == ACCEPTED ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";
