// SPDX-License-Identifier: GPL-2.0
/* A tc program that rewrites headers: IPv4 TCP packets to port 8080 leave
 * for port 80 with their TTL one lower, both checksums fixed incrementally
 * (RFC 1624) by bpf_l4_csum_replace and bpf_l3_csum_replace; the rewritten
 * packets are counted in a map. Every packet goes on (TC_ACT_OK).
 *
 * Run it:  bpfhost run tc_rewrite.bpf.o --pcap sample.pcap --out rewritten.pcap
 *
 * A tc program sees the frame from its Ethernet header on. It reads the
 * headers directly (checked against data_end) and writes through helpers:
 * after a helper that may change the packet, data and data_end must be read
 * again before the next direct access. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define FROM_PORT 8080
#define TO_PORT 80

/* key 0: packets rewritten */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rewritten SEC(".maps");

SEC("tc")
int tc_rewrite(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 ip_off = ETH_HLEN, tcp_off, key = 0;
	__be16 old_port, new_port = bpf_htons(TO_PORT);
	__be16 old_ttl_word, new_ttl_word;
	struct tcphdr *tcp;
	__u64 *n;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl < 5 ||
	    ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp_off = ip_off + ip->ihl * 4;
	tcp = data + tcp_off;
	if ((void *)(tcp + 1) > end || tcp->dest != bpf_htons(FROM_PORT) || ip->ttl <= 1)
		return TC_ACT_OK;
	/* the TTL shares a 16-bit word of the header with the protocol: the
	 * checksum is a sum of such words, so the helper takes the whole word */
	old_ttl_word = *(__be16 *)&ip->ttl;
	new_ttl_word = bpf_htons(bpf_ntohs(old_ttl_word) - 0x100);
	old_port = tcp->dest;

	/* the port: the TCP checksum follows it (the pseudo-header has no
	 * ports, so no BPF_F_PSEUDO_HDR), then the port itself */
	bpf_l4_csum_replace(skb, tcp_off + offsetof(struct tcphdr, check), old_port, new_port,
			    sizeof(new_port));
	bpf_skb_store_bytes(skb, tcp_off + offsetof(struct tcphdr, dest), &new_port,
			    sizeof(new_port), 0);
	/* the TTL: the IPv4 header checksum, then the TTL (TCP's sum does not
	 * cover it) */
	bpf_l3_csum_replace(skb, ip_off + offsetof(struct iphdr, check), old_ttl_word, new_ttl_word,
			    sizeof(new_ttl_word));
	bpf_skb_store_bytes(skb, ip_off + offsetof(struct iphdr, ttl), &new_ttl_word,
			    sizeof(new_ttl_word), 0);

	n = bpf_map_lookup_elem(&rewritten, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
