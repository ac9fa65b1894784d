// SPDX-License-Identifier: GPL-2.0
/* __sk_buff programs for tests/libbpf/test_skb.c: what a BPF_PROG_TEST_RUN
 * puts in the context of a SCHED_CLS, SCHED_ACT, SOCKET_FILTER, CGROUP_SKB
 * and LWT program, and what the packet helpers and the classic LD_ABS/LD_IND
 * loads do with a TCP/IPv4 or UDP/IPv4 frame. Every value read and every
 * helper's return lands in a global (.bss) of its own, named by program; the
 * loader finds it through the BTF. Where a program needs arguments, the
 * loader passes them in cb[] through ctx_in. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Offsets in the test frames: Ethernet, then IPv4 without options, then TCP
 * or UDP (a tc program sees the frame from its Ethernet header on). */
#define IP_OFF ETH_HLEN
#define IP_TTL_OFF (IP_OFF + 8)
#define IP_CSUM_OFF (IP_OFF + 10)
#define IP_SRC_OFF (IP_OFF + 12)
#define IP_DST_OFF (IP_OFF + 16)
#define L4_OFF (IP_OFF + 20)
#define TCP_CSUM_OFF (L4_OFF + 16)
#define UDP_CSUM_OFF (L4_OFF + 6)

/* Newer than some uapi headers */
#ifndef BPF_F_IPV6
#define BPF_F_IPV6 (1ULL << 7)
#endif

/* fields: every field a SCHED_CLS program may read, as a test run sets it */
__u64 f_len, f_pkt_type, f_mark, f_queue_mapping, f_protocol, f_vlan_present, f_vlan_tci,
	f_vlan_proto, f_priority, f_ingress_ifindex, f_ifindex, f_tc_index, f_cb[5], f_hash,
	f_tc_classid, f_napi_id, f_tstamp, f_wire_len, f_gso_segs, f_gso_size, f_hwtstamp,
	f_pkt_bytes, f_meta_bytes, f_first_word, f_sk, f_sk_family, f_sk_src_ip4, f_sk_dst_ip4,
	f_sk_src_port, f_sk_dst_port, f_sk_state, f_sk_full, f_sk_type, f_sk_protocol;

SEC("tc")
int fields(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	void *meta = (void *)(long)skb->data_meta;
	struct bpf_sock *sk;

	f_len = skb->len;
	f_pkt_type = skb->pkt_type;
	f_mark = skb->mark;
	f_queue_mapping = skb->queue_mapping;
	f_protocol = skb->protocol;
	f_vlan_present = skb->vlan_present;
	f_vlan_tci = skb->vlan_tci;
	f_vlan_proto = skb->vlan_proto;
	f_priority = skb->priority;
	f_ingress_ifindex = skb->ingress_ifindex;
	f_ifindex = skb->ifindex;
	f_tc_index = skb->tc_index;
	for (int i = 0; i < 5; i++)
		f_cb[i] = skb->cb[i];
	f_hash = skb->hash;
	f_tc_classid = skb->tc_classid;
	f_napi_id = skb->napi_id;
	f_tstamp = skb->tstamp;
	f_wire_len = skb->wire_len;
	f_gso_segs = skb->gso_segs;
	f_gso_size = skb->gso_size;
	f_hwtstamp = skb->hwtstamp;
	f_pkt_bytes = end - data;
	f_meta_bytes = data - meta;
	if (data + 4 <= end)
		f_first_word = bpf_ntohl(*(__u32 *)data);
	sk = skb->sk;
	f_sk = sk != NULL;
	if (!sk)
		return TC_ACT_OK;
	f_sk_family = sk->family;
	f_sk_src_ip4 = bpf_ntohl(sk->src_ip4);
	f_sk_dst_ip4 = bpf_ntohl(sk->dst_ip4);
	f_sk_src_port = sk->src_port;
	f_sk_dst_port = sk->dst_port;
	f_sk_state = sk->state;
	sk = bpf_sk_fullsock(sk);
	f_sk_full = sk != NULL;
	if (sk) {
		f_sk_type = sk->type;
		f_sk_protocol = sk->protocol;
	}
	return TC_ACT_OK;
}

/* act: a SCHED_ACT program sees the same as SCHED_CLS */
__u64 a_len, a_pkt_bytes, a_first_word;

SEC("action")
int act(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	a_len = skb->len;
	a_pkt_bytes = end - data;
	if (data + 4 <= end)
		a_first_word = bpf_ntohl(*(__u32 *)data);
	return TC_ACT_PIPE;
}

/* writes: the fields SCHED_CLS may write, each read back after */
__u64 w_mark, w_priority, w_cb[5], w_tc_index, w_tc_classid, w_queue_mapping_7, w_queue_mapping_big,
	w_tstamp;

SEC("tc")
int writes(struct __sk_buff *skb)
{
	skb->mark = skb->mark + 0x100;
	skb->priority = 0x22;
	skb->cb[0] = skb->cb[0] + 1;
	*(volatile __u8 *)((char *)&skb->cb[1] + 1) = 0xab; /* narrow stores reach cb */
	*(volatile __u64 *)&skb->cb[2] = 0x1111111122222222ULL;
	*(volatile __u16 *)&skb->cb[4] = 0x4444;
	skb->tc_index = 0x12345;   /* a u16 in the skb */
	skb->tc_classid = 0x10002; /* a u16 in the qdisc cb */
	skb->queue_mapping = 7;
	skb->tstamp = 0x1122334455ULL;
	barrier();
	w_queue_mapping_7 = skb->queue_mapping;
	skb->queue_mapping = 0x10005; /* >= 0xffff: the store is skipped */
	barrier();
	w_queue_mapping_big = skb->queue_mapping;
	w_mark = skb->mark;
	w_priority = skb->priority;
	for (int i = 0; i < 5; i++)
		w_cb[i] = skb->cb[i];
	w_tc_index = skb->tc_index;
	w_tc_classid = skb->tc_classid;
	w_tstamp = skb->tstamp;
	return TC_ACT_SHOT;
}

/* direct: a direct packet write, the TTL decremented with its checksum */
SEC("tc")
int direct(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	__u32 check;

	if ((void *)(ip + 1) > end)
		return TC_ACT_SHOT;
	check = (__u32)ip->check + (__u32)bpf_htons(0x0100);
	ip->check = (__sum16)(check + (check >= 0xffff));
	ip->ttl--;
	return TC_ACT_OK;
}

/* load: bpf_skb_load_bytes and _relative, in and out of range */
__s64 ld_ret[9];
__u64 ld_buf[9];

SEC("tc")
int load(struct __sk_buff *skb)
{
	__u32 len = skb->len;
	__u8 buf[8];

#define LOAD(i, call)                                                                              \
	do {                                                                                       \
		__builtin_memset(buf, 0xaa, sizeof(buf));                                          \
		ld_ret[i] = call;                                                                  \
		ld_buf[i] = bpf_be64_to_cpu(*(__u64 *)buf);                                        \
	} while (0)

	LOAD(0, bpf_skb_load_bytes(skb, 0, buf, 8));
	LOAD(1, bpf_skb_load_bytes(skb, len - 4, buf, 4));
	LOAD(2, bpf_skb_load_bytes(skb, len - 3, buf, 4));
	LOAD(3, bpf_skb_load_bytes(skb, 0x80000000u, buf, 4));
	LOAD(4, bpf_skb_load_bytes_relative(skb, 0, buf, 8, BPF_HDR_START_NET));
	LOAD(5, bpf_skb_load_bytes_relative(skb, 0, buf, 8, BPF_HDR_START_MAC));
	LOAD(6, bpf_skb_load_bytes_relative(skb, 0, buf, 4, 2));
	LOAD(7, bpf_skb_load_bytes_relative(skb, 0x10000, buf, 4, BPF_HDR_START_NET));
	LOAD(8, bpf_skb_load_bytes_relative(skb, len - ETH_HLEN - 3, buf, 4, BPF_HDR_START_NET));
#undef LOAD
	return TC_ACT_OK;
}

/* store: bpf_skb_store_bytes with its flags and bounds */
__s64 st_ret[7];
__u64 st_hash_set, st_hash_after;

SEC("tc")
int store(struct __sk_buff *skb)
{
	__u8 mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	__u8 tail[4] = {0xde, 0xad, 0xbe, 0xef};
	__u32 len = skb->len;

	st_ret[0] = bpf_skb_store_bytes(skb, 0, mac, 6, 0);
	st_ret[1] = bpf_skb_store_bytes(skb, 6, mac, 6, BPF_F_RECOMPUTE_CSUM);
	bpf_set_hash(skb, 0x1234);
	st_hash_set = skb->hash;
	st_ret[2] = bpf_skb_store_bytes(skb, len - 4, tail, 4, BPF_F_INVALIDATE_HASH);
	st_hash_after = skb->hash;
	st_ret[3] = bpf_skb_store_bytes(skb, 0, mac, 6, 4);
	st_ret[4] = bpf_skb_store_bytes(skb, len - 2, mac, 4, 0);
	st_ret[5] = bpf_skb_store_bytes(skb, 0x80000000u, mac, 4, 0);
	st_ret[6] = bpf_skb_store_bytes(skb, len, mac, 1, 0);
	return TC_ACT_OK;
}

/* csum: the IPv4 source and destination, the TTL and the TCP source port
 * rewritten with bpf_l3/l4_csum_replace in each of its forms, the refusals,
 * bpf_csum_update and bpf_csum_level */
__s64 c_ret[24];

SEC("tc")
int csum(struct __sk_buff *skb)
{
	__be32 old_ip = 0, new_ip = bpf_htonl(0x0a000063), new_dst = bpf_htonl(0x0a00004d);
	__be16 old_port = 0, new_port = bpf_htons(443);
	__u16 old_w = 0, new_w;
	__s64 diff;

	c_ret[0] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, 0, 0, 3);
	c_ret[1] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, 1, 0, 0);
	c_ret[2] = bpf_l3_csum_replace(skb, IP_CSUM_OFF + 1, 0, 0, 2);
	c_ret[3] = bpf_l3_csum_replace(skb, skb->len - 1, 0, 0, 2);
	c_ret[4] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, 0, 0, BPF_F_PSEUDO_HDR | 2);
	c_ret[5] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, 0, 0, 0x100 | 2);
	c_ret[6] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, 0, 0, BPF_F_IPV6 | 2);
	c_ret[7] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, 0, 0, 8);

	/* the source address: 4-byte form, the pseudo header for TCP */
	bpf_skb_load_bytes(skb, IP_SRC_OFF, &old_ip, 4);
	bpf_skb_store_bytes(skb, IP_SRC_OFF, &new_ip, 4, 0);
	c_ret[8] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_ip, new_ip, 4);
	c_ret[9] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, old_ip, new_ip, BPF_F_PSEUDO_HDR | 4);

	/* the TTL: 2-byte form over the TTL and protocol word */
	bpf_skb_load_bytes(skb, IP_TTL_OFF, &old_w, 2);
	new_w = old_w - 1; /* the TTL is the first byte: the low one here */
	bpf_skb_store_bytes(skb, IP_TTL_OFF, &new_w, 2, 0);
	c_ret[10] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_w, new_w, 2);

	/* the destination address: the difference from bpf_csum_diff */
	bpf_skb_load_bytes(skb, IP_DST_OFF, &old_ip, 4);
	diff = bpf_csum_diff(&old_ip, 4, &new_dst, 4, 0);
	bpf_skb_store_bytes(skb, IP_DST_OFF, &new_dst, 4, 0);
	c_ret[11] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, 0, diff, 0);
	c_ret[12] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, 0, diff, BPF_F_PSEUDO_HDR);

	/* the source port: 2-byte form, no pseudo header */
	bpf_skb_load_bytes(skb, L4_OFF, &old_port, 2);
	bpf_skb_store_bytes(skb, L4_OFF, &new_port, 2, 0);
	c_ret[13] = bpf_l4_csum_replace(skb, TCP_CSUM_OFF, old_port, new_port, 2);

	/* no CHECKSUM_COMPLETE in a test run; the level walks NONE and
	 * UNNECESSARY */
	c_ret[14] = bpf_csum_update(skb, 0x1234);
	c_ret[15] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	c_ret[16] = bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	c_ret[17] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	c_ret[18] = bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	c_ret[19] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	c_ret[20] = bpf_csum_level(skb, BPF_CSUM_LEVEL_DEC);
	c_ret[21] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	c_ret[22] = bpf_csum_level(skb, BPF_CSUM_LEVEL_RESET);
	c_ret[23] = bpf_csum_level(skb, 9);
	return TC_ACT_OK;
}

/* udp_csum: the source address rewritten with BPF_F_MARK_MANGLED_0 (a zero
 * UDP checksum stays zero), then a checksum that comes out 0 with and
 * without it */
__s64 u_ret[4];
__u64 u_check_after, u_mangled, u_plain;

SEC("tc")
int udp_csum(struct __sk_buff *skb)
{
	__be32 old_ip = 0, new_ip = bpf_htonl(0x0a000063);
	__u16 check = 0, x = 0x1234;

	bpf_skb_load_bytes(skb, IP_SRC_OFF, &old_ip, 4);
	bpf_skb_store_bytes(skb, IP_SRC_OFF, &new_ip, 4, 0);
	u_ret[0] = bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_ip, new_ip, 4);
	u_ret[1] = bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_ip, new_ip,
				       BPF_F_MARK_MANGLED_0 | BPF_F_PSEUDO_HDR | 4);
	bpf_skb_load_bytes(skb, UDP_CSUM_OFF, &check, 2);
	u_check_after = check;

	/* ~fold(0x1234 + ~0x1234) is 0 */
	bpf_skb_store_bytes(skb, UDP_CSUM_OFF, &x, 2, 0);
	u_ret[2] = bpf_l4_csum_replace(skb, UDP_CSUM_OFF, 0, 0x1234, BPF_F_MARK_MANGLED_0);
	bpf_skb_load_bytes(skb, UDP_CSUM_OFF, &x, 2);
	u_mangled = x;
	x = 0x1234;
	bpf_skb_store_bytes(skb, UDP_CSUM_OFF, &x, 2, 0);
	u_ret[3] = bpf_l4_csum_replace(skb, UDP_CSUM_OFF, 0, 0x1234, 0);
	bpf_skb_load_bytes(skb, UDP_CSUM_OFF, &x, 2);
	u_plain = x;
	bpf_skb_store_bytes(skb, UDP_CSUM_OFF, &check, 2, 0);
	return TC_ACT_OK;
}

/* tail: bpf_skb_change_tail(cb[0], cb[1]) */
__s64 t_ret;
__u64 t_len, t_pkt_bytes;

SEC("tc")
int tail(struct __sk_buff *skb)
{
	void *data, *end;

	t_ret = bpf_skb_change_tail(skb, skb->cb[0], skb->cb[1]);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	t_len = skb->len;
	t_pkt_bytes = end - data;
	return TC_ACT_OK;
}

/* room: bpf_skb_adjust_room(cb[0], cb[1], cb[2] | cb[4] << 32); with cb[3]
 * set, the checksum level raised first, to see whether it is reset */
__s64 r_ret, r_level;
__u64 r_len, r_pkt_bytes, r_protocol;

SEC("tc")
int room(struct __sk_buff *skb)
{
	__u64 flags = skb->cb[2] | (__u64)skb->cb[4] << 32;
	void *data, *end;

	if (skb->cb[3])
		bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	r_ret = bpf_skb_adjust_room(skb, (__s32)skb->cb[0], skb->cb[1], flags);
	r_level = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	r_len = skb->len;
	r_pkt_bytes = end - data;
	r_protocol = skb->protocol;
	return TC_ACT_OK;
}

/* head: bpf_skb_change_head(cb[0], cb[1]) */
__s64 h_ret;
__u64 h_len, h_pkt_bytes;

SEC("tc")
int head(struct __sk_buff *skb)
{
	void *data, *end;

	h_ret = bpf_skb_change_head(skb, skb->cb[0], skb->cb[1]);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	h_len = skb->len;
	h_pkt_bytes = end - data;
	return TC_ACT_OK;
}

/* pull: bpf_skb_pull_data on a linear skb */
__s64 p_ret[4];

SEC("tc")
int pull(struct __sk_buff *skb)
{
	__u32 len = skb->len;

	p_ret[0] = bpf_skb_pull_data(skb, 0);
	p_ret[1] = bpf_skb_pull_data(skb, len);
	p_ret[2] = bpf_skb_pull_data(skb, len + 1);
	p_ret[3] = bpf_skb_pull_data(skb, 0xffffffffu);
	return TC_ACT_OK;
}

/* hash: bpf_get_hash_recalc, bpf_set_hash, bpf_set_hash_invalid */
__u64 hs_before, hs_recalc, hs_after_recalc, hs_recalc_again, hs_set_ret, hs_after_set,
	hs_recalc_set, hs_after_invalid, hs_recalc_invalid;

SEC("tc")
int hash(struct __sk_buff *skb)
{
	hs_before = skb->hash;
	hs_recalc = bpf_get_hash_recalc(skb);
	hs_after_recalc = skb->hash;
	hs_recalc_again = bpf_get_hash_recalc(skb);
	hs_set_ret = bpf_set_hash(skb, 0x12345678);
	hs_after_set = skb->hash;
	hs_recalc_set = bpf_get_hash_recalc(skb);
	bpf_set_hash_invalid(skb);
	hs_after_invalid = skb->hash;
	hs_recalc_invalid = bpf_get_hash_recalc(skb);
	return TC_ACT_OK;
}

/* vlan: two pushes (the second moves the first tag into the frame), then
 * pops until nothing is left; after each step the return, the offloaded tag
 * and the length. With cb[0] set, only that many steps. */
__s64 v_ret[5];
__u64 v_present[5], v_tci[5], v_proto[5], v_len[5], v_protocol[5];

SEC("tc")
int vlan(struct __sk_buff *skb)
{
	__u32 steps = skb->cb[0] ? skb->cb[0] : 5;

#define STEP(i, call)                                                                              \
	do {                                                                                       \
		if (i >= steps)                                                                    \
			return TC_ACT_OK;                                                          \
		v_ret[i] = call;                                                                   \
		v_present[i] = skb->vlan_present;                                                  \
		v_tci[i] = skb->vlan_tci;                                                          \
		v_proto[i] = skb->vlan_proto;                                                      \
		v_len[i] = skb->len;                                                               \
		v_protocol[i] = skb->protocol;                                                     \
	} while (0)

	STEP(0, bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 42));
	STEP(1, bpf_skb_vlan_push(skb, bpf_htons(0x1234), 0x1007)); /* not a VLAN type */
	STEP(2, bpf_skb_vlan_pop(skb));
	STEP(3, bpf_skb_vlan_pop(skb));
	STEP(4, bpf_skb_vlan_pop(skb));
#undef STEP
	return TC_ACT_OK;
}

/* redirect: the action bpf_redirect(cb[0], cb[1]) returns, as the program's */
SEC("tc")
int redirect(struct __sk_buff *skb)
{
	return bpf_redirect(skb->cb[0], skb->cb[1]);
}

/* clone: bpf_clone_redirect(cb[0], cb[1]) */
__s64 cl_ret;

SEC("tc")
int clone(struct __sk_buff *skb)
{
	cl_ret = bpf_clone_redirect(skb, skb->cb[0], skb->cb[1]);
	return TC_ACT_OK;
}

/* proto: bpf_skb_change_proto(cb[0], cb[1]) */
__s64 pr_ret;
__u64 pr_len, pr_protocol, pr_hash;

SEC("tc")
int proto(struct __sk_buff *skb)
{
	bpf_set_hash(skb, 0x5555);
	pr_ret = bpf_skb_change_proto(skb, (__be16)skb->cb[0], skb->cb[1]);
	pr_len = skb->len;
	pr_protocol = skb->protocol;
	pr_hash = skb->hash;
	return TC_ACT_OK;
}

/* misc: bpf_skb_change_type, the cgroup classid, the route realm, the
 * socket's uid and cookie */
__s64 m_type_ret[3];
__u64 m_type_after, m_classid, m_realm, m_uid, m_cookie, m_cookie_again;

SEC("tc")
int misc(struct __sk_buff *skb)
{
	m_type_ret[0] = bpf_skb_change_type(skb, 0); /* PACKET_HOST */
	m_type_after = skb->pkt_type;
	m_type_ret[1] = bpf_skb_change_type(skb, 4); /* PACKET_LOOPBACK */
	m_type_ret[2] = bpf_skb_change_type(skb, 3); /* PACKET_OTHERHOST */
	m_classid = bpf_get_cgroup_classid(skb);
	m_realm = bpf_get_route_realm(skb);
	m_uid = bpf_get_socket_uid(skb);
	m_cookie = bpf_get_socket_cookie(skb);
	m_cookie_again = bpf_get_socket_cookie(skb);
	return TC_ACT_OK;
}

/* sf: a socket filter sees the frame from its IPv4 header on; its return
 * value is the test run's retval as it is */
__u64 sf_len, sf_protocol, sf_pkt_type, sf_ifindex, sf_mark, sf_priority, sf_cb0, sf_hash,
	sf_queue_mapping, sf_ingress_ifindex;
__s64 sf_ret[3];
__u64 sf_buf[3];

SEC("socket")
int sf(struct __sk_buff *skb)
{
	__u32 word = 0;

	sf_len = skb->len;
	sf_protocol = skb->protocol;
	sf_pkt_type = skb->pkt_type;
	sf_ifindex = skb->ifindex;
	sf_mark = skb->mark;
	sf_priority = skb->priority;
	sf_cb0 = skb->cb[0];
	sf_hash = skb->hash;
	sf_queue_mapping = skb->queue_mapping;
	sf_ingress_ifindex = skb->ingress_ifindex;
	sf_ret[0] = bpf_skb_load_bytes(skb, 0, &word, 4);
	sf_buf[0] = bpf_ntohl(word);
	sf_ret[1] = bpf_skb_load_bytes_relative(skb, 0, &word, 4, BPF_HDR_START_MAC);
	sf_buf[1] = bpf_ntohl(word);
	sf_ret[2] = bpf_skb_load_bytes_relative(skb, 0, &word, 4, BPF_HDR_START_NET);
	sf_buf[2] = bpf_ntohl(word);
	skb->cb[0] = 0x5f;
	return 0xabcd;
}

/* ldabs: the classic packet loads (LD_ABS, LD_IND), relative to skb->data,
 * to the network header (SKF_NET_OFF) and to the MAC header (SKF_LL_OFF);
 * a load out of range ends the program with 0. cb[0] is the LD_IND offset. */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

#define SKF_NET_OFF (-0x100000)
#define SKF_LL_OFF (-0x200000)

__u64 la_sf[7], la_tc[7];

static __always_inline void ldabs(struct __sk_buff *skb, __u64 *la)
{
	la[0] = load_byte(skb, 0);
	la[1] = load_half(skb, 2);
	la[2] = load_word(skb, 12);
	la[3] = load_byte(skb, SKF_NET_OFF + 9);
	la[4] = load_half(skb, SKF_LL_OFF + 12);
	la[5] = load_byte(skb, skb->cb[0]);
	la[6] = 1; /* not reached after a load out of range */
}

SEC("socket")
int ldabs_sf(struct __sk_buff *skb)
{
	ldabs(skb, la_sf);
	return 7;
}

SEC("tc")
int ldabs_tc(struct __sk_buff *skb)
{
	ldabs(skb, la_tc);
	return 7;
}

/* cg: a cgroup_skb program reads the socket's addresses through the
 * __sk_buff; its direct packet access in a test run */
__u64 cg_len, cg_protocol, cg_family, cg_remote_ip4, cg_local_ip4, cg_remote_port, cg_local_port,
	cg_pkt_bytes, cg_mark, cg_ifindex;
__s64 cg_ret;
__u64 cg_buf;

SEC("cgroup_skb/ingress")
int cg(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 word = 0;

	cg_len = skb->len;
	cg_protocol = skb->protocol;
	cg_family = skb->family;
	cg_remote_ip4 = bpf_ntohl(skb->remote_ip4);
	cg_local_ip4 = bpf_ntohl(skb->local_ip4);
	cg_remote_port = skb->remote_port;
	cg_local_port = skb->local_port;
	cg_mark = skb->mark;
	cg_ifindex = skb->ifindex;
	cg_pkt_bytes = end - data;
	cg_ret = bpf_skb_load_bytes(skb, 0, &word, 4);
	cg_buf = bpf_ntohl(word);
	skb->mark = 0xc0;
	skb->priority = 0xc1;
	return 1;
}

/* lwt_fields: LWT programs see the IPv4 header first, with direct access */
__u64 li_len, li_protocol, li_pkt_bytes, li_first_word, li_pkt_type, li_ifindex;

SEC("lwt_in")
int lwt_fields(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	li_len = skb->len;
	li_protocol = skb->protocol;
	li_pkt_bytes = end - data;
	if (data + 4 <= end)
		li_first_word = bpf_ntohl(*(__u32 *)data);
	li_pkt_type = skb->pkt_type;
	li_ifindex = skb->ifindex;
	return BPF_OK;
}

/* lwt_ttl: the TTL decremented at its L3 offset, then cb[0] bytes of head
 * pushed with bpf_skb_change_head */
__s64 lx_ret[3];

SEC("lwt_xmit")
int lwt_ttl(struct __sk_buff *skb)
{
	__u16 old_w = 0, new_w;

	bpf_skb_load_bytes(skb, 8, &old_w, 2);
	new_w = old_w - 1;
	lx_ret[0] = bpf_skb_store_bytes(skb, 8, &new_w, 2, 0);
	lx_ret[1] = bpf_l3_csum_replace(skb, 10, old_w, new_w, 2);
	if (skb->cb[0])
		lx_ret[2] = bpf_skb_change_head(skb, skb->cb[0], 0);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
