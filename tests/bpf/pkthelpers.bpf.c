// SPDX-License-Identifier: GPL-2.0
/* Programs for tests/libbpf/test_pkthelpers.c: the packet helpers of XDP and
 * tc (and a few of cgroup_skb) called with the arguments the loader puts in
 * the one-element array io: arg[] its arguments, in[] bytes a helper reads,
 * out[] the helpers' return values, buf[] what they write (the loader fills
 * it with 0xaa first, to see what a failing helper clears). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL"; /* bpf_check_mtu and the syncookies are GPL only */

struct io {
	__u64 arg[8];
	__s64 out[8];
	__u8 in[256];
	__u8 buf[512];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct io);
} io SEC(".maps");

static __always_inline struct io *get_io(void)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&io, &k);
}

/* bpf_xdp_load_bytes(ctx, arg0, buf, arg1 (1..64)) into a stack buffer of
 * 0xaa bytes, copied to buf[] */
SEC("xdp.frags")
int xdp_load(struct xdp_md *ctx)
{
	struct io *io = get_io();
	__u8 b[64];
	__u64 len;

	if (!io)
		return XDP_ABORTED;
	len = io->arg[1];
	if (len < 1 || len > 64)
		return XDP_ABORTED;
	__builtin_memset(b, 0xaa, sizeof(b));
	io->out[0] = bpf_xdp_load_bytes(ctx, io->arg[0], b, len);
	__builtin_memcpy(io->buf, b, sizeof(b));
	return XDP_PASS;
}

/* bpf_xdp_store_bytes(ctx, arg0, in, arg1 (1..256)) */
SEC("xdp.frags")
int xdp_store(struct xdp_md *ctx)
{
	struct io *io = get_io();
	__u64 len;

	if (!io)
		return XDP_ABORTED;
	len = io->arg[1];
	if (len < 1 || len > 256)
		return XDP_ABORTED;
	io->out[0] = bpf_xdp_store_bytes(ctx, io->arg[0], io->in, len);
	return XDP_PASS;
}

/* bpf_check_mtu(ctx, arg0, &mtu_len = arg1, arg2, arg3): the return in
 * out[0], mtu_len after in out[1] */
SEC("xdp.frags")
int xdp_mtu(struct xdp_md *ctx)
{
	struct io *io = get_io();
	__u32 mtu;

	if (!io)
		return XDP_ABORTED;
	mtu = io->arg[1];
	io->out[0] = bpf_check_mtu(ctx, io->arg[0], &mtu, (__s32)io->arg[2], io->arg[3]);
	io->out[1] = mtu;
	return XDP_PASS;
}

SEC("tc")
int tc_mtu(struct __sk_buff *skb)
{
	struct io *io = get_io();
	__u32 mtu;

	if (!io)
		return TC_ACT_SHOT;
	mtu = io->arg[1];
	io->out[0] = bpf_check_mtu(skb, io->arg[0], &mtu, (__s32)io->arg[2], io->arg[3]);
	io->out[1] = mtu;
	return TC_ACT_OK;
}

/* The raw SYN cookies on the frame's IPv4 (arg2 0) or IPv6 header and the
 * TCP header after it: out[0] = gen(iph, th, arg0 (0..60)); then an ACK
 * answering that SYN checked (out[1]), and one with a wrong cookie (out[2]). */
SEC("xdp")
int xdp_cookie(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct io *io = get_io();
	struct tcphdr *th, ack;
	__u64 thlen;
	__u32 cookie;
	__s64 ret;

	if (!io)
		return XDP_ABORTED;
	thlen = io->arg[0];
	if (thlen > 60)
		return XDP_ABORTED;
	if (io->arg[2]) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;

		th = (void *)(ip6 + 1);
		if ((void *)th + 60 > end)
			return XDP_ABORTED;
		ret = bpf_tcp_raw_gen_syncookie_ipv6(ip6, th, thlen);
		io->out[0] = ret;
		cookie = (__u32)ret;
		__builtin_memcpy(&ack, th, sizeof(ack));
		ack.ack_seq = bpf_htonl(cookie + 1);
		ack.seq = bpf_htonl(bpf_ntohl(th->seq) + 1);
		io->out[1] = bpf_tcp_raw_check_syncookie_ipv6(ip6, &ack);
		ack.ack_seq ^= bpf_htonl(0x800000);
		io->out[2] = bpf_tcp_raw_check_syncookie_ipv6(ip6, &ack);
	} else {
		struct iphdr *ip = data + ETH_HLEN;

		th = (void *)(ip + 1);
		if ((void *)th + 60 > end)
			return XDP_ABORTED;
		ret = bpf_tcp_raw_gen_syncookie_ipv4(ip, th, thlen);
		io->out[0] = ret;
		cookie = (__u32)ret;
		__builtin_memcpy(&ack, th, sizeof(ack));
		ack.ack_seq = bpf_htonl(cookie + 1);
		ack.seq = bpf_htonl(bpf_ntohl(th->seq) + 1);
		io->out[1] = bpf_tcp_raw_check_syncookie_ipv4(ip, &ack);
		ack.ack_seq ^= bpf_htonl(0x800000);
		io->out[2] = bpf_tcp_raw_check_syncookie_ipv4(ip, &ack);
	}
	return XDP_PASS;
}

/* tc: the same on the IPv4 frame (the helpers are tc's too) */
SEC("tc")
int tc_cookie(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct io *io = get_io();
	struct tcphdr *th, ack;
	__s64 ret;

	if (!io)
		return TC_ACT_SHOT;
	th = (void *)(ip + 1);
	if ((void *)th + 20 > end)
		return TC_ACT_SHOT;
	ret = bpf_tcp_raw_gen_syncookie_ipv4(ip, th, 20);
	io->out[0] = ret;
	__builtin_memcpy(&ack, th, sizeof(ack));
	ack.ack_seq = bpf_htonl((__u32)ret + 1);
	ack.seq = bpf_htonl(bpf_ntohl(th->seq) + 1);
	io->out[1] = bpf_tcp_raw_check_syncookie_ipv4(ip, &ack);
	return TC_ACT_OK;
}

/* bpf_redirect_neigh(arg0, params (nh_family arg2, address in[0..16]) or
 * NULL, plen arg1 (0..20), arg3) as the verdict */
SEC("tc")
int tc_neigh(struct __sk_buff *skb)
{
	struct io *io = get_io();
	struct bpf_redir_neigh nh;
	__u64 plen;

	if (!io)
		return TC_ACT_SHOT;
	plen = io->arg[1];
	if (plen > sizeof(nh))
		return 1234;
	nh.nh_family = io->arg[2];
	__builtin_memcpy(nh.ipv6_nh, io->in, 16);
	if (plen)
		return bpf_redirect_neigh(io->arg[0], &nh, plen, io->arg[3]);
	return bpf_redirect_neigh(io->arg[0], NULL, 0, io->arg[3]);
}

/* bpf_redirect_peer(arg0, arg1) as the verdict */
SEC("tc")
int tc_peer(struct __sk_buff *skb)
{
	struct io *io = get_io();

	if (!io)
		return TC_ACT_SHOT;
	return bpf_redirect_peer(io->arg[0], io->arg[1]);
}

/* skb->tstamp and tstamp_type before (out[1], out[2]) and after (out[3],
 * out[4]) bpf_skb_set_tstamp(skb, arg0, arg1) (out[0]); arg2: set it twice */
SEC("tc")
int tc_tstamp(struct __sk_buff *skb)
{
	struct io *io = get_io();

	if (!io)
		return TC_ACT_SHOT;
	io->out[1] = skb->tstamp;
	io->out[2] = skb->tstamp_type;
	io->out[0] = bpf_skb_set_tstamp(skb, io->arg[0], io->arg[1]);
	if (io->arg[2])
		io->out[5] = bpf_skb_set_tstamp(skb, io->arg[2], io->arg[3]);
	io->out[3] = skb->tstamp;
	io->out[4] = skb->tstamp_type;
	return TC_ACT_OK;
}

/* the cgroup ids of the test run's socket: out[0] skb_cgroup_id, out[1..4]
 * skb_ancestor_cgroup_id at levels arg0..arg3, out[5] skb_cgroup_classid,
 * out[6] get_cgroup_classid */
SEC("tc")
int tc_cgroup(struct __sk_buff *skb)
{
	struct io *io = get_io();

	if (!io)
		return TC_ACT_SHOT;
	io->out[0] = bpf_skb_cgroup_id(skb);
	io->out[1] = bpf_skb_ancestor_cgroup_id(skb, io->arg[0]);
	io->out[2] = bpf_skb_ancestor_cgroup_id(skb, io->arg[1]);
	io->out[3] = bpf_skb_ancestor_cgroup_id(skb, io->arg[2]);
	io->out[4] = bpf_skb_ancestor_cgroup_id(skb, io->arg[3]);
	io->out[5] = bpf_skb_cgroup_classid(skb);
	io->out[6] = bpf_get_cgroup_classid(skb);
	return TC_ACT_OK;
}

/* cgroup_skb: out[0] sk_cgroup_id(skb->sk), out[1..3]
 * sk_ancestor_cgroup_id at arg0..arg2, out[4] skb_ancestor_cgroup_id(arg0) */
SEC("cgroup_skb/ingress")
int cg_cgroup(struct __sk_buff *skb)
{
	struct io *io = get_io();
	struct bpf_sock *sk = skb->sk;

	if (!io)
		return 1;
	if (!sk) {
		io->out[7] = -1;
		return 1;
	}
	io->out[0] = bpf_sk_cgroup_id(sk);
	io->out[1] = bpf_sk_ancestor_cgroup_id(sk, io->arg[0]);
	io->out[2] = bpf_sk_ancestor_cgroup_id(sk, io->arg[1]);
	io->out[3] = bpf_sk_ancestor_cgroup_id(sk, io->arg[2]);
	io->out[4] = bpf_skb_ancestor_cgroup_id(skb, io->arg[0]);
	return 1;
}

/* The tunnel metadata helpers, the steps in arg0's bits: 1 get_tunnel_key
 * into buf[0..] (size arg3, flags arg4), 2 set_tunnel_key from in[] (size
 * arg1, flags arg2), 4 get_tunnel_key into buf[64..], 8 set_tunnel_opt
 * from in[] (arg5 bytes), 16 get_tunnel_opt into buf[256..] (arg6 bytes),
 * 32 get_tunnel_key with BPF_F_TUNINFO_FLAGS into buf[128..], 64
 * set_tunnel_opt before anything, 128 set_tunnel_key again before 16;
 * returns in out[0..7] */
SEC("tc")
int tc_tunnel(struct __sk_buff *skb)
{
	struct io *io = get_io();
	__u64 ssize, gsize, osize, gosize;
	__u64 steps;

	if (!io)
		return TC_ACT_SHOT;
	steps = io->arg[0];
	ssize = io->arg[1];
	gsize = io->arg[3];
	osize = io->arg[5];
	gosize = io->arg[6];
	if (ssize < 1 || ssize > 44 || gsize < 1 || gsize > 44 || osize < 1 || osize > 256 ||
	    gosize < 1 || gosize > 256)
		return 1234;
	if (steps & 64)
		io->out[6] = bpf_skb_set_tunnel_opt(skb, io->in, osize);
	if (steps & 1)
		io->out[0] = bpf_skb_get_tunnel_key(skb, (void *)io->buf, gsize, io->arg[4]);
	if (steps & 2)
		io->out[1] = bpf_skb_set_tunnel_key(skb, (void *)io->in, ssize, io->arg[2]);
	if (steps & 4)
		io->out[2] = bpf_skb_get_tunnel_key(skb, (void *)(io->buf + 64), gsize, io->arg[4]);
	if (steps & 8)
		io->out[3] = bpf_skb_set_tunnel_opt(skb, io->in, osize);
	if (steps & 128)
		io->out[7] = bpf_skb_set_tunnel_key(skb, (void *)io->in, ssize, io->arg[2]);
	if (steps & 16)
		io->out[4] = bpf_skb_get_tunnel_opt(skb, io->buf + 256, gosize);
	if (steps & 32)
		io->out[5] = bpf_skb_get_tunnel_key(skb, (void *)(io->buf + 128), gsize,
						    io->arg[4] | BPF_F_TUNINFO_FLAGS);
	return TC_ACT_OK;
}

/* bpf_skb_get_xfrm_state(skb, arg0, buf, arg1 (1..64), arg2) */
SEC("tc")
int tc_xfrm(struct __sk_buff *skb)
{
	struct io *io = get_io();
	__u64 size;

	if (!io)
		return TC_ACT_SHOT;
	size = io->arg[1];
	if (size < 1 || size > 64)
		return 1234;
	io->out[0] = bpf_skb_get_xfrm_state(skb, io->arg[0], (void *)io->buf, size, io->arg[2]);
	return TC_ACT_OK;
}

/* the test run's socket: out[0] sk_assign(skb, sk, arg0), out[1]
 * skc_to_unix_sock, out[2] skc_to_mptcp_sock (nonzero: not NULL) */
SEC("tc")
int tc_sk(struct __sk_buff *skb)
{
	struct io *io = get_io();
	struct bpf_sock *sk = skb->sk;

	if (!io)
		return TC_ACT_SHOT;
	if (!sk) {
		io->out[7] = -1;
		return TC_ACT_OK;
	}
	io->out[1] = bpf_skc_to_unix_sock(sk) != NULL;
	io->out[2] = bpf_skc_to_mptcp_sock(sk) != NULL;
	io->out[0] = bpf_sk_assign(skb, sk, io->arg[0]);
	return TC_ACT_OK;
}

/* bpf_skb_adjust_room(skb, arg0, arg1, arg2) */
SEC("tc")
int tc_room(struct __sk_buff *skb)
{
	struct io *io = get_io();

	if (!io)
		return TC_ACT_SHOT;
	io->out[0] = bpf_skb_adjust_room(skb, (__s32)io->arg[0], io->arg[1], io->arg[2]);
	return TC_ACT_OK;
}

/* LWT_XMIT has the tunnel helpers too: set, then get (out[0], out[1]) */
SEC("lwt_xmit")
int lwt_tunnel(struct __sk_buff *skb)
{
	struct io *io = get_io();

	if (!io)
		return BPF_DROP;
	io->out[0] = bpf_skb_set_tunnel_key(skb, (void *)io->in, sizeof(struct bpf_tunnel_key), 0);
	io->out[1] = bpf_skb_get_tunnel_key(skb, (void *)io->buf, sizeof(struct bpf_tunnel_key), 0);
	return BPF_OK;
}
