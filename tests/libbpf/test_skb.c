/* __sk_buff programs (tests/bpf/skb.bpf.c) loaded by Debian's libbpf and run
 * with bpf_prog_test_run_opts on a TCP/IPv4 and a UDP/IPv4 frame: the context
 * a test run builds (per program type), what ctx_in may set and ctx_out
 * reports, and what each packet helper returns and does to the frame. Every
 * expected value is what Linux 6.18 gives; a comment per case says why. Each
 * program is loaded from its own copy of the object (only it autoloaded), so
 * one that cannot load only fails its own cases. The programs leave their
 * results in .bss globals, found here by name through the object's BTF.
 * Programs that must not load (context access and helper rules per type) are
 * built from raw instructions at the end. The same source with
 * -DKERNEL_BACKEND runs the same checks against the kernel.
 * Usage: test_skb OBJ */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own, not in userspace errno.h */
#endif

#define FRAME_LEN 60
#define OUT_MAX 16384

/* the TCP or UDP test frame: 14 + 20 + 26 bytes */
struct frame {
	struct ethhdr eth;
	struct iphdr ip;
	union {
		struct {
			struct tcphdr h;
			unsigned char payload[6];
		} __attribute__((packed)) tcp;
		struct {
			struct udphdr h;
			unsigned char payload[18];
		} __attribute__((packed)) udp;
	};
} __attribute__((packed));

/* one program, loaded alone from its own copy of the object */
struct loaded {
	const char *name;
	struct bpf_object *obj; /* NULL: it did not load */
	int prog_fd;
	struct bpf_map *bss;
	const struct btf *btf;
	const struct btf_type *bss_sec;
};

static const char *obj_path;
static struct loaded progs[40];
static int prog_cnt;
static bool skipped;		 /* the kernel refused for want of privilege */
static const struct loaded *cur; /* the program run last */
static unsigned char bss_buf[8192];

/* what the last run gave */
static struct {
	int err;
	__u32 retval, size_out, ctx_size_out;
	unsigned char out[OUT_MAX];
	struct __sk_buff ctx;
} r;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The ones' complement sum of len bytes from p, big-endian words, added to
 * sum, folded and inverted: 0 over data that carries its right checksum. */
static __u16 csum(const void *p, size_t len, __u32 sum)
{
	const unsigned char *b = p;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (__u32)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (__u32)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* The TCP/UDP checksum over the segment after the IPv4 header of frame f
 * (len bytes long), with the pseudo header: 0 when it is right. */
static __u16 l4_csum(const unsigned char *f, size_t len)
{
	const unsigned char *ip = f + ETH_HLEN;
	__u32 seg = (__u32)(len - ETH_HLEN - 20), sum = ip[9] + seg;

	for (int i = 12; i < 20; i += 2)
		sum += (__u32)(ip[i] << 8 | ip[i + 1]);
	return csum(ip + 20, seg, sum);
}

/* An IPv4 frame from 02:00:00:00:00:01 to 02:00:00:00:00:02 (not lo's
 * address: PACKET_OTHERHOST), 10.0.0.1:40000 to 10.0.0.2, TCP to port 80
 * carrying "hello!" or UDP to port 53 carrying 18 bytes; the UDP checksum
 * is 0 (none) unless udp_csum. */
static struct frame mkframe(int proto, int udp_csum)
{
	static const unsigned char dst[ETH_ALEN] = {2, 0, 0, 0, 0, 2};
	static const unsigned char src[ETH_ALEN] = {2, 0, 0, 0, 0, 1};
	struct frame f;

	memset(&f, 0, sizeof(f));
	memcpy(f.eth.h_dest, dst, ETH_ALEN);
	memcpy(f.eth.h_source, src, ETH_ALEN);
	f.eth.h_proto = htons(ETH_P_IP);
	f.ip.version = 4;
	f.ip.ihl = 5;
	f.ip.tot_len = htons(46);
	f.ip.id = htons(0x1234);
	f.ip.ttl = 64;
	f.ip.protocol = (__u8)proto;
	f.ip.saddr = htonl(0x0a000001);
	f.ip.daddr = htonl(0x0a000002);
	f.ip.check = htons(csum(&f.ip, 20, 0));
	if (proto == IPPROTO_TCP) {
		f.tcp.h.source = htons(40000);
		f.tcp.h.dest = htons(80);
		f.tcp.h.seq = htonl(1);
		f.tcp.h.doff = 5;
		f.tcp.h.ack = 1;
		f.tcp.h.psh = 1;
		f.tcp.h.window = htons(512);
		memcpy(f.tcp.payload, "hello!", 6);
		f.tcp.h.check = htons(l4_csum((unsigned char *)&f, sizeof(f)));
	} else {
		f.udp.h.source = htons(40000);
		f.udp.h.dest = htons(53);
		f.udp.h.len = htons(26);
		for (int i = 0; i < 18; i++)
			f.udp.payload[i] = (unsigned char)(0x40 + i);
		if (udp_csum)
			f.udp.h.check = htons(l4_csum((unsigned char *)&f, sizeof(f)));
	}
	return f;
}

/* The program name, loaded on first use; NULL (a failed check recorded
 * once) if it does not load. */
static const struct loaded *get(const char *name)
{
	struct loaded *l;
	struct bpf_program *want;
	struct bpf_map *map;
	int id;

	for (int i = 0; i < prog_cnt; i++)
		if (!strcmp(progs[i].name, name))
			return progs[i].obj ? &progs[i] : NULL;
	if (prog_cnt == (int)(sizeof(progs) / sizeof(progs[0])))
		return NULL;
	l = &progs[prog_cnt++];
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->obj = test_load_one(obj_path, name, &want, &skipped);
	if (!l->obj)
		return NULL;
	l->prog_fd = bpf_program__fd(want);
	bpf_object__for_each_map(map, l->obj) if (strstr(bpf_map__name(map), ".bss")) l->bss = map;
	l->btf = bpf_object__btf(l->obj);
	id = l->btf ? btf__find_by_name_kind(l->btf, ".bss", BTF_KIND_DATASEC) : -1;
	l->bss_sec = id > 0 ? btf__type_by_id(l->btf, id) : NULL;
	CHECK(l->bss && l->bss_sec && bpf_map__value_size(l->bss) <= sizeof(bss_buf),
	      "%s: the .bss and its BTF", name);
	return l;
}

/* Runs prog once (or repeat times) on data; ctx, when given, goes in as
 * ctx_in and comes back in r.ctx. The .bss is read after. */
static int run(const char *prog, const void *data, __u32 len, const struct __sk_buff *ctx,
	       __u32 repeat)
{
	const struct loaded *l = get(prog);
	int zero = 0;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len, .data_out = r.out,
		    .data_size_out = sizeof(r.out), .repeat = repeat, .ctx_in = ctx,
		    .ctx_size_in = ctx ? sizeof(*ctx) : 0, .ctx_out = ctx ? &r.ctx : NULL,
		    .ctx_size_out = ctx ? sizeof(r.ctx) : 0);

	cur = l;
	memset(r.out, 0xee, sizeof(r.out));
	memset(&r.ctx, 0xee, sizeof(r.ctx));
	memset(bss_buf, 0, sizeof(bss_buf));
	r.err = l ? bpf_prog_test_run_opts(l->prog_fd, &o) : -ENOENT;
	r.retval = o.retval;
	r.size_out = o.data_size_out;
	r.ctx_size_out = o.ctx_size_out;
	if (l && l->bss)
		CHECK(bpf_map_lookup_elem(bpf_map__fd(l->bss), &zero, bss_buf) == 0, "read .bss");
	return r.err;
}

/* Runs prog with its arguments in cb[0..4] (through ctx_in). */
static int run_cb(const char *prog, const void *data, __u32 len, __u32 repeat, __u32 cb0, __u32 cb1,
		  __u32 cb2, __u32 cb3, __u32 cb4)
{
	struct __sk_buff ctx = {.cb = {cb0, cb1, cb2, cb3, cb4}};

	return run(prog, data, len, &ctx, repeat);
}

/* The .bss of prog zeroed */
static void bss_clear(const char *prog)
{
	const struct loaded *l = get(prog);
	int zero = 0;

	memset(bss_buf, 0, sizeof(bss_buf));
	if (l && l->bss)
		CHECK(bpf_map_update_elem(bpf_map__fd(l->bss), &zero, bss_buf, 0) == 0,
		      "clear .bss");
}

/* Element idx of the 8-byte .bss global name, as the last run left it. */
static long long var(const char *name, unsigned idx)
{
	const struct btf_var_secinfo *vs;
	long long v;

	if (!cur || !cur->bss_sec)
		return -1; /* the run already failed */
	vs = btf_var_secinfos(cur->bss_sec);
	for (int i = 0; i < btf_vlen(cur->bss_sec); i++, vs++) {
		const struct btf_type *t = btf__type_by_id(cur->btf, vs->type);

		if (strcmp(btf__name_by_offset(cur->btf, t->name_off), name))
			continue;
		if ((idx + 1) * 8 > vs->size || vs->offset + vs->size > sizeof(bss_buf))
			break;
		memcpy(&v, bss_buf + vs->offset + idx * 8, 8);
		return v;
	}
	printf("no .bss global %s[%u]\n", name, idx);
	test_failures++;
	return -1;
}

#define WANT(name, idx, want)                                                                      \
	do {                                                                                       \
		long long got_ = var(name, idx), want_ = (long long)(want);                        \
		CHECK(got_ == want_, "%s[%d] = %lld (0x%llx), the kernel gives %lld (0x%llx)",     \
		      name, idx, got_, (unsigned long long)got_, want_,                            \
		      (unsigned long long)want_);                                                  \
	} while (0)

/* What only the kernel's verifier decides: context access rules, direct
 * packet writes, return ranges, zero sizes, and the narrowed stores its
 * context rewriting makes (tc_index, tc_classid, queue_mapping). Checked on
 * the kernel; bpfhost has no verifier yet, so there the differences are
 * counted and reported at the end, not failed. */
static int verifier_gaps;
#ifdef KERNEL_BACKEND
#define VERIFIER_CHECK(cond, ...) CHECK(cond, __VA_ARGS__)
#else
#define VERIFIER_CHECK(cond, ...) (verifier_gaps += !(cond))
#endif

#define VERIFIER_WANT(name, idx, want)                                                             \
	do {                                                                                       \
		long long got_ = var(name, idx), want_ = (long long)(want);                        \
		VERIFIER_CHECK(got_ == want_, "%s[%d] = %lld, the kernel gives %lld", name, idx,   \
			       got_, want_);                                                       \
	} while (0)

#define WANT_RUN(want_err, want_retval, want_size)                                                 \
	CHECK(r.err == (want_err) && r.retval == (__u32)(want_retval) &&                           \
		      r.size_out == (__u32)(want_size),                                            \
	      "err %d retval 0x%x size_out %u, the kernel gives %d 0x%x %u", r.err, r.retval,      \
	      r.size_out, (int)(want_err), (__u32)(want_retval), (__u32)(want_size))

/* data_out is exactly want */
#define WANT_OUT(want, len)                                                                        \
	CHECK(r.size_out == (len) && !memcmp(r.out, want, len), "data_out (%u bytes) differs",     \
	      r.size_out)

/* in with n zero bytes put at off (n > 0) or -n bytes taken out there */
static __u32 splice(unsigned char *dst, const void *in, __u32 len, __u32 off, int n)
{
	const unsigned char *b = in;

	memcpy(dst, b, off);
	if (n >= 0) {
		memset(dst + off, 0, (size_t)n);
		memcpy(dst + off + n, b + off, len - off);
		return len + (__u32)n;
	}
	memcpy(dst + off, b + off - n, len - off + (__u32)n);
	return len - (__u32)-n;
}

/* fields: the context of a SCHED_CLS test run. It is built around the
 * frame as the loopback device received it: eth_type_trans() on lo (ifindex
 * 1, address 00:00:00:00:00:00) gives pkt_type and protocol, the network
 * header is after the 14-byte Ethernet header, and a tc program sees the
 * frame from the Ethernet header on (data_end - data = 60, no metadata).
 * skb->sk is a dummy full socket, AF_INET with the frame's addresses (state
 * TCP_CLOSE, type and protocol 0, no ports). Everything else is 0: no hash,
 * no VLAN, no timestamps, napi_id 0 -- and wire_len too, because without
 * ctx_in the context conversion is skipped entirely. */
static void fields(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), udp = mkframe(IPPROTO_UDP, 0);
	struct __sk_buff ctx = {0};

	if (!get("fields") || !get("act"))
		return;
	run("fields", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&tcp, FRAME_LEN);
	WANT("f_len", 0, FRAME_LEN);
	WANT("f_pkt_type", 0, 3); /* PACKET_OTHERHOST */
	WANT("f_mark", 0, 0);
	WANT("f_queue_mapping", 0, 0);
	WANT("f_protocol", 0, htons(ETH_P_IP)); /* network order, as the skb keeps it */
	WANT("f_vlan_present", 0, 0);
	WANT("f_vlan_tci", 0, 0);
	WANT("f_vlan_proto", 0, 0);
	WANT("f_priority", 0, 0);
	WANT("f_ingress_ifindex", 0, 0);
	WANT("f_ifindex", 0, 1);
	WANT("f_tc_index", 0, 0);
	for (unsigned i = 0; i < 5; i++)
		WANT("f_cb", i, 0);
	WANT("f_hash", 0, 0);
	WANT("f_tc_classid", 0, 0);
	WANT("f_napi_id", 0, 0);
	WANT("f_tstamp", 0, 0);
	WANT("f_wire_len", 0, 0);
	WANT("f_gso_segs", 0, 0);
	WANT("f_gso_size", 0, 0);
	WANT("f_hwtstamp", 0, 0);
	WANT("f_pkt_bytes", 0, FRAME_LEN);
	WANT("f_meta_bytes", 0, 0);
	WANT("f_first_word", 0, 0x02000000); /* the destination MAC */
	WANT("f_sk", 0, 1);
	WANT("f_sk_family", 0, AF_INET);
	WANT("f_sk_src_ip4", 0, 0x0a000001); /* the frame's source... */
	WANT("f_sk_dst_ip4", 0, 0x0a000002); /* ...and destination */
	WANT("f_sk_src_port", 0, 0);
	WANT("f_sk_dst_port", 0, 0);
	WANT("f_sk_state", 0, 7); /* TCP_CLOSE */
	WANT("f_sk_full", 0, 1);
	WANT("f_sk_type", 0, 0);
	WANT("f_sk_protocol", 0, 0);

	/* a zeroed ctx_in: now converted, wire_len = skb->len; ctx_out comes
	 * back whole (192 bytes) with ifindex 1 and wire_len filled in */
	run("fields", &tcp, sizeof(tcp), &ctx, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT("f_wire_len", 0, FRAME_LEN);
	CHECK(r.ctx_size_out == sizeof(struct __sk_buff) && r.ctx.ifindex == 1 &&
		      r.ctx.wire_len == FRAME_LEN && r.ctx.mark == 0 && r.ctx.len == 0 &&
		      r.ctx.protocol == 0 && r.ctx.ingress_ifindex == 0,
	      "zero ctx_in: ctx_out size %u ifindex %u wire_len %u len %u", r.ctx_size_out,
	      r.ctx.ifindex, r.ctx.wire_len, r.ctx.len);

	/* every field ctx_in may set: mark, priority, ingress_ifindex (skb_iif,
	 * any value), ifindex (an existing device, 0 and 1 mean lo), cb[],
	 * tstamp, wire_len (>= len), gso_segs, gso_size, hwtstamp. The program
	 * sees them all and ctx_out gives them back */
	ctx = (struct __sk_buff){.mark = 0x11,
				 .priority = 0x22,
				 .ingress_ifindex = 33,
				 .ifindex = 1,
				 .cb = {0x100, 0x101, 0x102, 0x103, 0x104},
				 .tstamp = 0x123456789ULL,
				 .wire_len = 1000,
				 .gso_segs = 4,
				 .gso_size = 1400,
				 .hwtstamp = 0xabcdef};
	run("fields", &tcp, sizeof(tcp), &ctx, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT("f_mark", 0, 0x11);
	WANT("f_priority", 0, 0x22);
	WANT("f_ingress_ifindex", 0, 33);
	WANT("f_ifindex", 0, 1);
	for (unsigned i = 0; i < 5; i++)
		WANT("f_cb", i, 0x100 + i);
	WANT("f_tstamp", 0, 0x123456789LL);
	WANT("f_wire_len", 0, 1000);
	WANT("f_gso_segs", 0, 4);
	WANT("f_gso_size", 0, 1400);
	WANT("f_hwtstamp", 0, 0xabcdef);
	WANT("f_len", 0, FRAME_LEN);
	CHECK(r.ctx.mark == 0x11 && r.ctx.priority == 0x22 && r.ctx.ingress_ifindex == 33 &&
		      r.ctx.ifindex == 1 && r.ctx.cb[0] == 0x100 && r.ctx.cb[4] == 0x104 &&
		      r.ctx.tstamp == 0x123456789ULL && r.ctx.wire_len == 1000 &&
		      r.ctx.gso_segs == 4 && r.ctx.gso_size == 1400 && r.ctx.hwtstamp == 0xabcdef,
	      "ctx_out: mark 0x%x priority 0x%x ingress %u ifindex %u tstamp 0x%llx wire_len %u "
	      "gso_segs %u gso_size %u hwtstamp 0x%llx",
	      r.ctx.mark, r.ctx.priority, r.ctx.ingress_ifindex, r.ctx.ifindex,
	      (unsigned long long)r.ctx.tstamp, r.ctx.wire_len, r.ctx.gso_segs, r.ctx.gso_size,
	      (unsigned long long)r.ctx.hwtstamp);

	/* the UDP frame: the same, but for the bytes */
	run("fields", &udp, sizeof(udp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&udp, FRAME_LEN);
	WANT("f_protocol", 0, htons(ETH_P_IP));
	WANT("f_sk_family", 0, AF_INET);

	/* SCHED_ACT: the same layout; its return value comes back as it is */
	run("act", &udp, sizeof(udp), NULL, 0);
	WANT_RUN(0, TC_ACT_PIPE, FRAME_LEN);
	WANT("a_len", 0, FRAME_LEN);
	WANT("a_pkt_bytes", 0, FRAME_LEN);
	WANT("a_first_word", 0, 0x02000000);
}

/* eth_type_trans() on lo: pkt_type from the destination MAC (lo's own
 * 00:00:00:00:00:00 is HOST; its broadcast address is also all zeros, so
 * ff:ff:ff:ff:ff:ff is only MULTICAST), protocol from the EtherType, or
 * ETH_P_802_3 / ETH_P_802_2 below 0x600; the dummy socket's family follows
 * the protocol (AF_INET6 with no addresses read, 0 for ARP). The minimum
 * data_size_in is 14, but 34 for IPv4 and 54 for IPv6 (a whole network
 * header); the maximum 3712 (a page less 64 of headroom and 320 of
 * skb_shared_info). */
static void eth_trans(void)
{
	static const unsigned char macs[4][ETH_ALEN] = {{0, 0, 0, 0, 0, 0},
							{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
							{0x01, 0x00, 0x5e, 0, 0, 1},
							{0x02, 0, 0, 0, 0, 2}};
	static const int types[4] = {0, 2, 2, 3};
	struct frame tcp = mkframe(IPPROTO_TCP, 0), f;
	unsigned char big[3713];

	if (!get("fields") || !get("sf"))
		return;
	for (int i = 0; i < 4; i++) {
		f = tcp;
		memcpy(f.eth.h_dest, macs[i], ETH_ALEN);
		run("fields", &f, sizeof(f), NULL, 0);
		WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
		WANT("f_pkt_type", 0, types[i]);
	}
	f = tcp;
	f.eth.h_proto = htons(0x002e); /* a length: 802.2 LLC follows */
	run("fields", &f, sizeof(f), NULL, 0);
	WANT("f_protocol", 0, htons(ETH_P_802_2));
	memset(&f.ip, 0xff, 2); /* raw 802.3 (IPX) */
	run("fields", &f, sizeof(f), NULL, 0);
	WANT("f_protocol", 0, htons(ETH_P_802_3));
	f = tcp;
	f.eth.h_proto = htons(ETH_P_IPV6);
	run("fields", &f, sizeof(f), NULL, 0);
	WANT("f_protocol", 0, htons(ETH_P_IPV6));
	WANT("f_sk_family", 0, 10); /* AF_INET6 */
	WANT("f_sk_src_ip4", 0, 0);
	f.eth.h_proto = htons(ETH_P_ARP);
	run("fields", &f, sizeof(f), NULL, 0);
	WANT("f_protocol", 0, htons(ETH_P_ARP));
	WANT("f_sk_family", 0, 0);

	run("fields", &tcp, 33, NULL, 0);
	CHECK(r.err == -EINVAL, "IPv4 in 33 bytes: %d", r.err);
	run("fields", &tcp, 34, NULL, 0);
	WANT_RUN(0, TC_ACT_OK, 34);
	WANT("f_len", 0, 34);
	f.eth.h_proto = htons(ETH_P_IPV6);
	run("fields", &f, 53, NULL, 0);
	CHECK(r.err == -EINVAL, "IPv6 in 53 bytes: %d", r.err);
	run("fields", &f, 54, NULL, 0);
	CHECK(r.err == 0, "IPv6 in 54 bytes: %d", r.err);
	f.eth.h_proto = htons(ETH_P_ARP);
	run("fields", &f, 13, NULL, 0);
	CHECK(r.err == -EINVAL, "13 bytes: %d", r.err);
	run("fields", &f, 14, NULL, 0);
	WANT_RUN(0, TC_ACT_OK, 14);
	run("sf", &tcp, 33, NULL, 0);
	CHECK(r.err == -EINVAL, "socket filter, IPv4 in 33 bytes: %d", r.err);
	memset(big, 0, sizeof(big));
	memcpy(big, &f, sizeof(f));
	run("fields", big, 3712, NULL, 0);
	WANT_RUN(0, TC_ACT_OK, 3712);
	run("fields", big, 3713, NULL, 0);
	CHECK(r.err == -EINVAL, "3713 bytes: %d", r.err);
}

/* The test run's own arguments: what ctx_in may hold (every other byte of
 * the 192-byte __sk_buff must be 0: EINVAL), sizes, flags. */
static void plumbing(void)
{
	static const struct {
		size_t off;
		const char *name;
	} refused[] = {
		{offsetof(struct __sk_buff, len), "len"},
		{offsetof(struct __sk_buff, pkt_type), "pkt_type"},
		{offsetof(struct __sk_buff, queue_mapping), "queue_mapping"},
		{offsetof(struct __sk_buff, protocol), "protocol"},
		{offsetof(struct __sk_buff, vlan_tci), "vlan_tci"},
		{offsetof(struct __sk_buff, tc_index), "tc_index"},
		{offsetof(struct __sk_buff, hash), "hash"},
		{offsetof(struct __sk_buff, tc_classid), "tc_classid"},
		{offsetof(struct __sk_buff, data), "data"},
		{offsetof(struct __sk_buff, data_end), "data_end"},
		{offsetof(struct __sk_buff, napi_id), "napi_id"},
		{offsetof(struct __sk_buff, family), "family"},
		{offsetof(struct __sk_buff, local_port), "local_port"},
		{offsetof(struct __sk_buff, data_meta), "data_meta"},
		{offsetof(struct __sk_buff, sk), "sk"},
		{offsetof(struct __sk_buff, tstamp_type), "tstamp_type"},
	};
	static const struct {
		__u32 wire_len;
		int err;
	} wl[] = {{59, -EINVAL}, {60, 0}, {65536, 0}, {65537, -EINVAL}};
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	const struct loaded *l = get("fields");
	unsigned char big_ctx[256], small_out[20];
	struct __sk_buff ctx, ctx_out;
	int fd, err;

	if (!l)
		return;
	fd = l->prog_fd;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		memset(&ctx, 0, sizeof(ctx));
		((unsigned char *)&ctx)[refused[i].off] = 1;
		run("fields", &tcp, sizeof(tcp), &ctx, 0);
		CHECK(r.err == -EINVAL, "ctx_in with %s set: %d", refused[i].name, r.err);
	}
	/* ifindex: a device that exists, else ENODEV */
	memset(&ctx, 0, sizeof(ctx));
	ctx.ifindex = 99999;
	run("fields", &tcp, sizeof(tcp), &ctx, 0);
	CHECK(r.err == -ENODEV, "ctx_in ifindex 99999: %d", r.err);
	/* wire_len: 0 (= len), or len .. 65536 */
	for (size_t i = 0; i < 4; i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.wire_len = wl[i].wire_len;
		run("fields", &tcp, sizeof(tcp), &ctx, 0);
		CHECK(r.err == wl[i].err, "wire_len %u: %d, the kernel gives %d", wl[i].wire_len,
		      r.err, wl[i].err);
	}
	/* gso_segs up to 65535; gso_size anything */
	memset(&ctx, 0, sizeof(ctx));
	ctx.gso_segs = 65535;
	CHECK(run("fields", &tcp, sizeof(tcp), &ctx, 0) == 0, "gso_segs 65535: %d", r.err);
	ctx.gso_segs = 65536;
	CHECK(run("fields", &tcp, sizeof(tcp), &ctx, 0) == -EINVAL, "gso_segs 65536: %d", r.err);
	ctx.gso_segs = 0;
	ctx.gso_size = 0xffffffff;
	CHECK(run("fields", &tcp, sizeof(tcp), &ctx, 0) == 0, "gso_size ~0: %d", r.err);

	/* ctx_size_in: shorter is zero-filled; longer only with a zero tail */
	memset(big_ctx, 0, sizeof(big_ctx));
	big_ctx[offsetof(struct __sk_buff, mark)] = 5;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &tcp, .data_size_in = sizeof(tcp),
		    .ctx_in = big_ctx, .ctx_size_in = 12);
	err = bpf_prog_test_run_opts(fd, &o);
	CHECK(err == 0, "ctx_size_in 12: %d", err);
	o.ctx_size_in = sizeof(big_ctx);
	err = bpf_prog_test_run_opts(fd, &o);
	CHECK(err == 0, "ctx_size_in 256, zero tail: %d", err);
	big_ctx[200] = 1;
	err = bpf_prog_test_run_opts(fd, &o);
	CHECK(err == -E2BIG, "ctx_size_in 256, nonzero tail: %d", err);

	/* ctx_out alone: a zeroed context goes in, so wire_len is filled */
	memset(&ctx_out, 0xee, sizeof(ctx_out));
	LIBBPF_OPTS(bpf_test_run_opts, o2, .data_in = &tcp, .data_size_in = sizeof(tcp),
		    .ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out));
	err = bpf_prog_test_run_opts(fd, &o2);
	CHECK(err == 0 && o2.ctx_size_out == sizeof(ctx_out) && ctx_out.wire_len == FRAME_LEN &&
		      ctx_out.ifindex == 1 && ctx_out.mark == 0 && ctx_out.len == 0,
	      "ctx_out alone: %d, size %u, wire_len %u, ifindex %u", err, o2.ctx_size_out,
	      ctx_out.wire_len, ctx_out.ifindex);
	/* ctx_size_out short: ENOSPC, what fits copied, the full size reported */
	memset(&ctx_out, 0xee, sizeof(ctx_out));
	o2.ctx_size_out = 100;
	err = bpf_prog_test_run_opts(fd, &o2);
	CHECK(err == -ENOSPC && o2.ctx_size_out == sizeof(ctx_out) && ctx_out.ifindex == 1 &&
		      ((unsigned char *)&ctx_out)[100] == 0xee,
	      "ctx_size_out 100: %d, size %u", err, o2.ctx_size_out);
	/* data_size_out short: ENOSPC, 20 bytes copied, the full size and the
	 * retval reported */
	memset(small_out, 0, sizeof(small_out));
	LIBBPF_OPTS(bpf_test_run_opts, o3, .data_in = &tcp, .data_size_in = sizeof(tcp),
		    .data_out = small_out, .data_size_out = sizeof(small_out));
	err = bpf_prog_test_run_opts(fd, &o3);
	CHECK(err == -ENOSPC && o3.data_size_out == FRAME_LEN && o3.retval == TC_ACT_OK &&
		      !memcmp(small_out, &tcp, sizeof(small_out)),
	      "data_size_out 20: %d, size %u", err, o3.data_size_out);
	/* flags, cpu and batch_size mean nothing to an skb test run */
	LIBBPF_OPTS(bpf_test_run_opts, o4, .data_in = &tcp, .data_size_in = sizeof(tcp),
		    .flags = BPF_F_TEST_RUN_ON_CPU);
	err = bpf_prog_test_run_opts(fd, &o4);
	CHECK(err == -EINVAL, "flags: %d", err);
	LIBBPF_OPTS(bpf_test_run_opts, o5, .data_in = &tcp, .data_size_in = sizeof(tcp),
		    .batch_size = 1);
	err = bpf_prog_test_run_opts(fd, &o5);
	CHECK(err == -EINVAL, "batch_size: %d", err);
	LIBBPF_OPTS(bpf_test_run_opts, o6, .data_size_in = sizeof(tcp));
	err = bpf_prog_test_run_opts(fd, &o6);
	CHECK(err == -EFAULT, "no data_in: %d", err);
}

/* writes: mark, priority, cb[] (any size), tc_index (a u16: 0x12345 reads
 * back 0x2345), tc_classid (a u16 in the qdisc cb: 0x10002 reads 2),
 * queue_mapping (a u16; a value >= 0xffff is not stored at all) and tstamp.
 * ctx_out reports mark, priority, cb and tstamp; tc_index, tc_classid and
 * queue_mapping are not carried out. The return value comes back as it is. */
static void writes(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), want = tcp;
	struct __sk_buff ctx = {.mark = 5, .cb = {9}};

	if (!get("writes") || !get("direct"))
		return;
	run("writes", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_SHOT, FRAME_LEN);
	WANT_OUT(&tcp, FRAME_LEN);
	WANT("w_mark", 0, 0x100);
	WANT("w_priority", 0, 0x22);
	WANT("w_cb", 0, 1);
	WANT("w_cb", 1, 0xab00); /* byte 1 of cb[1], little-endian */
	WANT("w_cb", 2, 0x22222222);
	WANT("w_cb", 3, 0x11111111);
	WANT("w_cb", 4, 0x4444);
	VERIFIER_WANT("w_tc_index", 0, 0x2345);
	VERIFIER_WANT("w_tc_classid", 0, 2);
	WANT("w_queue_mapping_7", 0, 7);
	VERIFIER_WANT("w_queue_mapping_big", 0, 7);
	WANT("w_tstamp", 0, 0x1122334455LL);

	run("writes", &tcp, sizeof(tcp), &ctx, 0);
	WANT_RUN(0, TC_ACT_SHOT, FRAME_LEN);
	WANT("w_mark", 0, 0x105);
	WANT("w_cb", 0, 10);
	CHECK(r.ctx.mark == 0x105 && r.ctx.priority == 0x22 && r.ctx.cb[0] == 10 &&
		      r.ctx.cb[1] == 0xab00 && r.ctx.cb[2] == 0x22222222 &&
		      r.ctx.cb[3] == 0x11111111 && r.ctx.cb[4] == 0x4444 &&
		      r.ctx.tstamp == 0x1122334455ULL && r.ctx.tc_index == 0 &&
		      r.ctx.tc_classid == 0 && r.ctx.queue_mapping == 0 && r.ctx.wire_len == 60,
	      "ctx_out: mark 0x%x priority 0x%x cb0 %u tstamp 0x%llx tc_index %u", r.ctx.mark,
	      r.ctx.priority, r.ctx.cb[0], (unsigned long long)r.ctx.tstamp, r.ctx.tc_index);

	/* direct packet writes; repeat runs the program on the same skb */
	want.ip.ttl = 61;
	want.ip.check = 0;
	want.ip.check = htons(csum(&want.ip, 20, 0));
	run("direct", &tcp, sizeof(tcp), NULL, 3);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
}

/* bpf_skb_load_bytes: offsets from skb->data (the Ethernet header for tc);
 * past the end or above INT_MAX: -EFAULT with the buffer zeroed (only len
 * bytes: the rest of the 8-byte buffer keeps its 0xaa). _relative: from the
 * MAC or network header, offset up to 0xffff; another start: -EFAULT. */
static void load(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const long long ret[9] = {0, 0, -EFAULT, -EFAULT, 0, 0, -EFAULT, -EFAULT, -EFAULT};
	static const unsigned long long buf[9] = {
		0x0200000000020200ULL, 0x6c6c6f21aaaaaaaaULL, 0xaaaaaaaaULL,
		0xaaaaaaaaULL,	       0x4500002e12340000ULL, 0x0200000000020200ULL,
		0xaaaaaaaaULL,	       0xaaaaaaaaULL,	      0xaaaaaaaaULL};

	if (!get("load"))
		return;
	run("load", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	for (unsigned i = 0; i < 9; i++) {
		WANT("ld_ret", i, ret[i]);
		WANT("ld_buf", i, buf[i]);
	}
}

/* bpf_skb_store_bytes: flags beyond RECOMPUTE_CSUM | INVALIDATE_HASH:
 * -EINVAL; past the end: -EFAULT. RECOMPUTE_CSUM changes nothing visible
 * (no CHECKSUM_COMPLETE in a test run); INVALIDATE_HASH clears skb->hash. */
static void store(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const unsigned char mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const long long ret[7] = {0, 0, 0, -EINVAL, -EFAULT, -EFAULT, -EFAULT};
	unsigned char want[FRAME_LEN];

	if (!get("store"))
		return;
	memcpy(want, &tcp, FRAME_LEN);
	memcpy(want, mac, 6);
	memcpy(want + 6, mac, 6);
	memcpy(want + FRAME_LEN - 4, "\xde\xad\xbe\xef", 4);
	run("store", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(want, FRAME_LEN);
	for (unsigned i = 0; i < 7; i++)
		WANT("st_ret", i, ret[i]);
	WANT("st_hash_set", 0, 0x1234);
	WANT("st_hash_after", 0, 0);
}

/* bpf_l3_csum_replace / bpf_l4_csum_replace: the refusals (size 3 or 8,
 * from != 0 with size 0, flag bits outside the helper's mask: -EINVAL; an
 * odd offset or one past the end: -EFAULT; BPF_F_IPV6 is accepted), then
 * the source address (4-byte form, pseudo header for TCP), the TTL (2-byte
 * form), the destination address (a bpf_csum_diff difference, size 0) and
 * the TCP source port (2-byte form) rewritten: both checksums right after,
 * with the exact bytes the kernel writes. bpf_csum_update: -ENOTSUPP (no
 * CHECKSUM_COMPLETE); bpf_csum_level walks CHECKSUM_NONE (QUERY: -EACCES)
 * and CHECKSUM_UNNECESSARY levels; an unknown level: -EINVAL. */
static void csum_replace(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), want = tcp;
	/* c_ret[0..7]: the refusals (BPF_F_IPV6 accepted); [8..13]: the
	 * rewrites; [14]: csum_update; [15..23]: csum_level QUERY, INC, QUERY,
	 * INC, QUERY, DEC, QUERY, RESET, 9 */
	static const long long ret[24] = {
		-EINVAL, -EINVAL, -EFAULT, -EFAULT, -EINVAL, -EINVAL, 0,	 -EINVAL,
		0,	 0,	  0,	   0,	    0,	     0,	      -ENOTSUPP, -EACCES,
		0,	 0,	  0,	   1,	    0,	     0,	      0,	 -EINVAL,
	};

	if (!get("csum"))
		return;
	want.ip.saddr = htonl(0x0a000063);
	want.ip.daddr = htonl(0x0a00004d);
	want.ip.ttl = 63;
	want.ip.check = htons(0x54e7);
	want.tcp.h.source = htons(443);
	want.tcp.h.check = htons(0x5318);
	run("csum", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	CHECK(csum(r.out + ETH_HLEN, 20, 0) == 0 && l4_csum(r.out, FRAME_LEN) == 0,
	      "checksums after: IPv4 0x%04x, TCP 0x%04x", csum(r.out + ETH_HLEN, 20, 0),
	      l4_csum(r.out, FRAME_LEN));
	for (unsigned i = 0; i < 24; i++)
		WANT("c_ret", i, ret[i]);
}

/* UDP: with BPF_F_MARK_MANGLED_0 a zero checksum (none) is left alone while
 * the IPv4 checksum follows the address; a real one is updated. A result
 * of 0 becomes 0xffff (CSUM_MANGLED_0) with the flag, stays 0 without. */
static void udp_csum(void)
{
	struct frame udp = mkframe(IPPROTO_UDP, 0), want = udp;

	if (!get("udp_csum"))
		return;
	want.ip.saddr = htonl(0x0a000063);
	want.ip.check = htons(0x5427);
	run("udp_csum", &udp, sizeof(udp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	for (unsigned i = 0; i < 4; i++)
		WANT("u_ret", i, 0);
	WANT("u_check_after", 0, 0);
	WANT("u_mangled", 0, 0xffff);
	WANT("u_plain", 0, 0);

	udp = mkframe(IPPROTO_UDP, 1);
	want = udp;
	want.ip.saddr = htonl(0x0a000063);
	want.ip.check = htons(0x5427);
	want.udp.h.check = htons(0xc44c);
	run("udp_csum", &udp, sizeof(udp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	CHECK(l4_csum(r.out, FRAME_LEN) == 0, "UDP checksum after: 0x%04x",
	      l4_csum(r.out, FRAME_LEN));
	WANT("u_check_after", 0, htons(0xc44c));
	WANT("u_mangled", 0, 0xffff);
	WANT("u_plain", 0, 0);
}

/* bpf_skb_change_tail(new_len, flags): grown bytes are zero; the shortest
 * is the network header offset (14: no transport header is set in a test
 * run), the longest SKB_MAX_ALLOC = 16064 (16 KiB less skb_shared_info);
 * flags: -EINVAL. data_out and len follow. */
static void tail(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const struct {
		__u32 new_len, flags;
		int ret;
		__u32 len;
	} c[] = {{70, 0, 0, 70},       {40, 0, 0, 40},		{14, 0, 0, 14},
		 {13, 0, -EINVAL, 60}, {0, 0, -EINVAL, 60},	{60, 1, -EINVAL, 60},
		 {16064, 0, 0, 16064}, {16065, 0, -EINVAL, 60}, {0x10000, 0, -EINVAL, 60},
		 {60, 0, 0, 60}};
	unsigned char want[OUT_MAX];

	if (!get("tail"))
		return;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(want, 0, sizeof(want));
		memcpy(want, &tcp, c[i].len < FRAME_LEN ? c[i].len : FRAME_LEN);
		run_cb("tail", &tcp, sizeof(tcp), 0, c[i].new_len, c[i].flags, 0, 0, 0);
		CHECK(r.err == 0, "tail(%u, %u): err %d", c[i].new_len, c[i].flags, r.err);
		WANT("t_ret", 0, c[i].ret);
		WANT("t_len", 0, c[i].len);
		WANT("t_pkt_bytes", 0, c[i].len);
		WANT_OUT(want, c[i].len);
	}
	/* the runs of a repeat share the skb */
	run_cb("tail", &tcp, sizeof(tcp), 2, 70, 0, 0, 0, 0);
	WANT("t_ret", 0, 0);
	WANT("t_len", 0, 70);
}

#define ADJ_NET 0
#define ADJ_MAC 1
#define F_FIXED_GSO 0x1
#define F_ENCAP_L3_IPV4 0x2
#define F_ENCAP_L3_IPV6 0x4
#define F_ENCAP_L4_GRE 0x8
#define F_ENCAP_L4_UDP 0x10
#define F_NO_CSUM_RESET 0x20
#define F_ENCAP_L2_ETH 0x40
#define F_DECAP_L3_IPV4 0x80
#define F_DECAP_L3_IPV6 0x100
#define F_L2_LEN(n) ((__u32)(n) << 24) /* BPF_F_ADJ_ROOM_ENCAP_L2(n), high word */

/* bpf_skb_adjust_room(len_diff, mode, flags): room made (zeroed) or taken
 * at the MAC header length (14) for BPF_ADJ_ROOM_MAC, after the IPv4 header
 * (14 + 20) for BPF_ADJ_ROOM_NET. Refusals: |len_diff| > 0xfff: -EFAULT;
 * not IPv4/IPv6 or another mode: -ENOTSUPP; shrinking below a whole network
 * header (20 bytes after the MAC header; 40 with DECAP_L3_IPV6): -ENOTSUPP;
 * unknown flags, DECAP flags when growing, both DECAP flags, ENCAP flags
 * when shrinking, both ENCAP_L3 flags (GRE and UDP together only matter with
 * an L3 flag), ENCAP_L2_ETH with an L2 length < 14, an L2 length > len_diff:
 * -EINVAL; encapsulating twice: -EALREADY. DECAP_L3_IPV6 turns protocol to
 * IPv6. Without NO_CSUM_RESET a CHECKSUM_UNNECESSARY skb drops back to NONE
 * (csum_level QUERY then gives -EACCES), even for len_diff 0. */
static void room(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), arp = tcp;
	static const struct {
		int diff;
		__u32 mode, flags, inc, flags_hi;
		int ret;
		__u32 off;
		int level;
		__u16 protocol;
	} c[] = {
		{8, ADJ_NET, 0, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{-8, ADJ_NET, 0, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{8, ADJ_MAC, 0, 0, 0, 0, 14, -EACCES, ETH_P_IP},
		{-8, ADJ_MAC, 0, 0, 0, 0, 14, -EACCES, ETH_P_IP},
		{-26, ADJ_NET, 0, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{-27, ADJ_NET, 0, 0, 0, -ENOTSUPP, 0, -EACCES, ETH_P_IP},
		{-26, ADJ_MAC, 0, 0, 0, 0, 14, -EACCES, ETH_P_IP},
		{-27, ADJ_MAC, 0, 0, 0, -ENOTSUPP, 0, -EACCES, ETH_P_IP},
		{8, 2, 0, 0, 0, -ENOTSUPP, 0, -EACCES, ETH_P_IP},
		{0x1000, ADJ_NET, 0, 0, 0, -EFAULT, 0, -EACCES, ETH_P_IP},
		{0xfff, ADJ_NET, 0, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{8, ADJ_NET, F_DECAP_L3_IPV4, 0, 0, -EINVAL, 0, -EACCES, ETH_P_IP},
		{-8, ADJ_NET, F_DECAP_L3_IPV4, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{-8, ADJ_NET, F_DECAP_L3_IPV6, 0, 0, -ENOTSUPP, 0, -EACCES, ETH_P_IP},
		{-6, ADJ_NET, F_DECAP_L3_IPV6, 0, 0, 0, 34, -EACCES, ETH_P_IPV6},
		{-6, ADJ_NET, F_DECAP_L3_IPV4 | F_DECAP_L3_IPV6, 0, 0, -EINVAL, 0, -EACCES,
		 ETH_P_IP},
		{-8, ADJ_NET, 0x200, 0, 0, -EINVAL, 0, -EACCES, ETH_P_IP},
		{-8, ADJ_NET, F_ENCAP_L3_IPV4, 0, 0, -EINVAL, 0, -EACCES, ETH_P_IP},
		{-8, ADJ_NET, F_FIXED_GSO, 0, 0, 0, 34, -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP, 0, 0, 0, 14, -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L3_IPV6, 0, 0, -EINVAL, 0, -EACCES,
		 ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L3_IPV6 | F_ENCAP_L4_UDP, 0, 0, -EINVAL, 0,
		 -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L4_GRE | F_ENCAP_L4_UDP, 0, 0, 0, 14, -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP | F_ENCAP_L2_ETH, 0, F_L2_LEN(14), 0,
		 14, -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP | F_ENCAP_L2_ETH, 0, F_L2_LEN(8),
		 -EINVAL, 0, -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP, 0, F_L2_LEN(30), -EINVAL, 0,
		 -EACCES, ETH_P_IP},
		{28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP, 0, 1, -EINVAL, 0, -EACCES,
		 ETH_P_IP},
		{8, ADJ_NET, 0, 1, 0, 0, 34, -EACCES, ETH_P_IP},
		{8, ADJ_NET, F_NO_CSUM_RESET, 1, 0, 0, 34, 0, ETH_P_IP},
		{0, ADJ_NET, 0, 1, 0, 0, 34, -EACCES, ETH_P_IP},
	};
	static unsigned char want[OUT_MAX];

	if (!get("room"))
		return;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		__u32 len = FRAME_LEN;

		memcpy(want, &tcp, FRAME_LEN);
		if (!c[i].ret)
			len = splice(want, &tcp, FRAME_LEN, c[i].off, c[i].diff);
		run_cb("room", &tcp, sizeof(tcp), 0, (__u32)c[i].diff, c[i].mode, c[i].flags,
		       c[i].inc, c[i].flags_hi);
		CHECK(r.err == 0, "room case %zu: err %d", i, r.err);
		CHECK(var("r_ret", 0) == c[i].ret,
		      "adjust_room(%d, %u, 0x%x, hi 0x%x) = %lld, the kernel gives %d", c[i].diff,
		      c[i].mode, c[i].flags, c[i].flags_hi, var("r_ret", 0), c[i].ret);
		CHECK(var("r_level", 0) == c[i].level && var("r_len", 0) == len &&
			      var("r_pkt_bytes", 0) == len &&
			      var("r_protocol", 0) == htons(c[i].protocol),
		      "room case %zu: level %lld len %lld protocol 0x%llx", i, var("r_level", 0),
		      var("r_len", 0), var("r_protocol", 0));
		WANT_OUT(want, len);
	}
	/* encapsulating twice: the second run of a repeat finds it done */
	run_cb("room", &tcp, sizeof(tcp), 2, 28, ADJ_MAC, F_ENCAP_L3_IPV4 | F_ENCAP_L4_UDP, 0, 0);
	WANT("r_ret", 0, -EALREADY);
	WANT("r_len", 0, 88);
	/* repeat: each run grows the same skb */
	run_cb("room", &tcp, sizeof(tcp), 3, 8, ADJ_NET, 0, 0, 0);
	WANT("r_ret", 0, 0);
	WANT("r_len", 0, 84);
	/* not IP */
	arp.eth.h_proto = htons(ETH_P_ARP);
	run_cb("room", &arp, sizeof(arp), 0, 8, ADJ_NET, 0, 0, 0);
	WANT("r_ret", 0, -ENOTSUPP);
	WANT_OUT(&arp, FRAME_LEN);
}

/* bpf_skb_change_head(head_room, flags): head_room zero bytes in front
 * (the MAC header reset to them); flags or a new length above 16064:
 * -EINVAL. */
static void head(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const struct {
		__u32 room, flags;
		int ret;
	} c[] = {{14, 0, 0},
		 {0, 0, 0},
		 {1, 0, 0},
		 {14, 1, -EINVAL},
		 {16004, 0, 0},
		 {16005, 0, -EINVAL},
		 {0x10000, 0, -EINVAL},
		 {0xffffffff, 0, -EINVAL}};
	static unsigned char want[OUT_MAX];

	if (!get("head"))
		return;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		__u32 len = c[i].ret ? FRAME_LEN : FRAME_LEN + c[i].room;

		memset(want, 0, sizeof(want));
		memcpy(want + len - FRAME_LEN, &tcp, FRAME_LEN);
		run_cb("head", &tcp, sizeof(tcp), 0, c[i].room, c[i].flags, 0, 0, 0);
		CHECK(r.err == 0, "head(%u, %u): err %d", c[i].room, c[i].flags, r.err);
		WANT("h_ret", 0, c[i].ret);
		WANT("h_len", 0, len);
		WANT("h_pkt_bytes", 0, len);
		WANT_OUT(want, len);
	}
}

/* bpf_skb_pull_data: 0 means the linear length; a whole linear skb pulls
 * fine up to its length, beyond it: -ENOMEM. */
static void pull(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);

	if (!get("pull"))
		return;
	run("pull", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT("p_ret", 0, 0);
	WANT("p_ret", 1, 0);
	WANT("p_ret", 2, -ENOMEM);
	WANT("p_ret", 3, -ENOMEM);
}

/* bpf_get_hash_recalc: the flow dissector's hash, keyed by a secret chosen
 * at boot: not 0, stable, and left in skb->hash; bpf_set_hash overrides it
 * (as an L4 hash); bpf_set_hash_invalid clears it and recalculation gives
 * the same flow hash again. */
static void hash(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), udp = mkframe(IPPROTO_UDP, 0);
	long long tcp_hash;

	if (!get("hash"))
		return;
	run("hash", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	tcp_hash = var("hs_recalc", 0);
	CHECK(tcp_hash != 0, "the recalculated hash is 0");
	WANT("hs_before", 0, 0);
	WANT("hs_after_recalc", 0, tcp_hash);
	WANT("hs_recalc_again", 0, tcp_hash);
	WANT("hs_set_ret", 0, 0);
	WANT("hs_after_set", 0, 0x12345678);
	WANT("hs_recalc_set", 0, 0x12345678);
	WANT("hs_after_invalid", 0, 0);
	WANT("hs_recalc_invalid", 0, tcp_hash);
	run("hash", &udp, sizeof(udp), NULL, 0);
	CHECK(var("hs_recalc", 0) != 0 && var("hs_recalc", 0) != tcp_hash,
	      "UDP hash 0x%llx, TCP 0x%llx", var("hs_recalc", 0), tcp_hash);
	run("hash", &tcp, sizeof(tcp), NULL, 0);
	WANT("hs_recalc", 0, tcp_hash);
}

/* bpf_skb_vlan_push puts the tag in the skb's metadata (vlan_present,
 * vlan_tci, vlan_proto), the frame unchanged; a second push first moves the
 * present tag into the frame (after the MAC addresses; protocol becomes
 * 802.1Q); a protocol that is neither 802.1Q nor 802.1ad is taken as
 * 802.1Q. A pop clears the metadata tag and then moves a tag in the frame
 * into the metadata; popping with no tag anywhere: 0. */
static void vlan(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const long long present[5] = {1, 1, 1, 0, 0}, tci[5] = {42, 0x1007, 42, 0, 0},
			       len[5] = {60, 64, 60, 60, 60};
	unsigned char want[64];

	if (!get("vlan"))
		return;
	run("vlan", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT_OUT(&tcp, FRAME_LEN);
	for (unsigned i = 0; i < 5; i++) {
		WANT("v_ret", i, 0);
		WANT("v_present", i, present[i]);
		WANT("v_tci", i, tci[i]);
		WANT("v_proto", i, present[i] ? htons(ETH_P_8021Q) : 0);
		WANT("v_len", i, len[i]);
		WANT("v_protocol", i, i == 1 ? htons(ETH_P_8021Q) : htons(ETH_P_IP));
	}
	/* stopped after the two pushes: the first tag is in the frame */
	memcpy(want, &tcp, 12);
	memcpy(want + 12, "\x81\x00\x00\x2a", 4);
	memcpy(want + 16, (unsigned char *)&tcp + 12, FRAME_LEN - 12);
	run_cb("vlan", &tcp, sizeof(tcp), 0, 2, 0, 0, 0, 0);
	WANT_RUN(0, TC_ACT_OK, 64);
	WANT_OUT(want, 64);
}

/* bpf_redirect returns TC_ACT_REDIRECT (7) whatever the ifindex (nothing is
 * sent in a test run), TC_ACT_SHOT (2) for flags other than BPF_F_INGRESS.
 * bpf_clone_redirect really sends a clone (to lo here): 0; an ifindex that
 * does not exist or flags other than BPF_F_INGRESS: -EINVAL. */
static void redirect(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const struct {
		__u32 ifindex, flags, retval;
	} rd[] = {{1, 0, TC_ACT_REDIRECT},     {1, BPF_F_INGRESS, TC_ACT_REDIRECT},
		  {99999, 0, TC_ACT_REDIRECT}, {1, 2, TC_ACT_SHOT},
		  {1, 4, TC_ACT_SHOT},	       {1, 0x10, TC_ACT_SHOT}};
	static const struct {
		__u32 ifindex, flags;
		int ret;
	} cl[] = {{1, 0, 0},
		  {1, BPF_F_INGRESS, 0},
		  {99999, 0, -EINVAL},
		  {1, 2, -EINVAL},
		  {0, 0, -EINVAL}};

	if (!get("redirect") || !get("clone"))
		return;
	for (size_t i = 0; i < sizeof(rd) / sizeof(rd[0]); i++) {
		run_cb("redirect", &tcp, sizeof(tcp), 0, rd[i].ifindex, rd[i].flags, 0, 0, 0);
		CHECK(r.err == 0 && r.retval == rd[i].retval,
		      "redirect(%u, 0x%x): err %d retval %u, the kernel gives %u", rd[i].ifindex,
		      rd[i].flags, r.err, r.retval, rd[i].retval);
		WANT_OUT(&tcp, FRAME_LEN);
	}
	for (size_t i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		run_cb("clone", &tcp, sizeof(tcp), 0, cl[i].ifindex, cl[i].flags, 0, 0, 0);
		CHECK(r.err == 0 && r.retval == TC_ACT_OK, "clone: err %d", r.err);
		CHECK(var("cl_ret", 0) == cl[i].ret,
		      "clone_redirect(%u, 0x%x) = %lld, the kernel gives %d", cl[i].ifindex,
		      cl[i].flags, var("cl_ret", 0), cl[i].ret);
		WANT_OUT(&tcp, FRAME_LEN);
	}
}

/* bpf_skb_change_proto: IPv4 -> IPv6 makes 20 zero bytes of room after
 * the MAC header (the program writes the new header; the EtherType is left
 * alone) and clears the hash; IPv6 -> IPv4 takes 20 bytes there; anything
 * else: -ENOTSUPP; flags: -EINVAL. */
static void proto(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), v6 = tcp;
	unsigned char want[FRAME_LEN + 20];
	static const struct {
		__u16 proto;
		__u32 flags;
		int ret;
	} c[] = {{ETH_P_IP, 0, -ENOTSUPP}, {ETH_P_IPV6, 1, -EINVAL}, {ETH_P_ARP, 0, -ENOTSUPP}};

	if (!get("proto"))
		return;
	splice(want, &tcp, FRAME_LEN, ETH_HLEN, 20);
	run_cb("proto", &tcp, sizeof(tcp), 0, htons(ETH_P_IPV6), 0, 0, 0, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN + 20);
	WANT_OUT(want, FRAME_LEN + 20);
	WANT("pr_ret", 0, 0);
	WANT("pr_len", 0, FRAME_LEN + 20);
	WANT("pr_protocol", 0, htons(ETH_P_IPV6));
	WANT("pr_hash", 0, 0);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		run_cb("proto", &tcp, sizeof(tcp), 0, htons(c[i].proto), c[i].flags, 0, 0, 0);
		WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
		WANT_OUT(&tcp, FRAME_LEN);
		WANT("pr_ret", 0, c[i].ret);
		WANT("pr_protocol", 0, htons(ETH_P_IP));
		WANT("pr_hash", 0, 0x5555);
	}
	v6.eth.h_proto = htons(ETH_P_IPV6);
	splice(want, &v6, FRAME_LEN, ETH_HLEN, -20);
	run_cb("proto", &v6, sizeof(v6), 0, htons(ETH_P_IP), 0, 0, 0, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN - 20);
	WANT_OUT(want, FRAME_LEN - 20);
	WANT("pr_ret", 0, 0);
	WANT("pr_protocol", 0, htons(ETH_P_IP));
	WANT("pr_hash", 0, 0);
}

/* bpf_skb_change_type: only between HOST, BROADCAST, MULTICAST and
 * OTHERHOST (0..3), else -EINVAL. The task's net_cls classid, the route's
 * realm (no dst) and the dummy socket's uid are 0; its cookie is not 0 and
 * stays the same within a run. */
static void misc(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);

	if (!get("misc"))
		return;
	run("misc", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, TC_ACT_OK, FRAME_LEN);
	WANT("m_type_ret", 0, 0);
	WANT("m_type_after", 0, 0);
	WANT("m_type_ret", 1, -EINVAL);
	WANT("m_type_ret", 2, 0);
	WANT("m_classid", 0, 0);
	WANT("m_realm", 0, 0);
	WANT("m_uid", 0, 0);
	CHECK(var("m_cookie", 0) != 0 && var("m_cookie", 0) == var("m_cookie_again", 0),
	      "socket cookie %lld, again %lld", var("m_cookie", 0), var("m_cookie_again", 0));
}

/* LD_ABS / LD_IND: host-order results, offsets from skb->data (the IPv4
 * header for a socket filter, the Ethernet header for tc), SKF_NET_OFF from
 * the network header, SKF_LL_OFF from the MAC header (the Ethernet header
 * is still in front of a socket filter's data). A load past the end ends
 * the program at once with 0 as its return value. */
static void ldabs(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0);
	static const struct {
		const char *prog, *var;
		long long la[7];
	} c[2] = {{"ldabs_sf", "la_sf", {0x45, 0x2e, 0x0a000001, 6, ETH_P_IP, 0x34, 1}},
		  {"ldabs_tc", "la_tc", {0x02, 0x0000, 0x08004500, 6, ETH_P_IP, 0x02, 1}}};

	if (!get("ldabs_sf") || !get("ldabs_tc"))
		return;
	for (int k = 0; k < 2; k++) {
		bss_clear(c[k].prog);
		run_cb(c[k].prog, &tcp, sizeof(tcp), 0, 5, 0, 0, 0, 0);
		WANT_RUN(0, 7, FRAME_LEN);
		for (unsigned i = 0; i < 7; i++)
			WANT(c[k].var, i, c[k].la[i]);
		/* LD_IND at 1000: the program ends there, returning 0 */
		bss_clear(c[k].prog);
		run_cb(c[k].prog, &tcp, sizeof(tcp), 0, 1000, 0, 0, 0, 0);
		WANT_RUN(0, 0, FRAME_LEN);
		for (unsigned i = 0; i < 7; i++)
			WANT(c[k].var, i, i < 5 ? c[k].la[i] : 0);
	}
}

/* SOCKET_FILTER, CGROUP_SKB and LWT test runs: the program sees the frame
 * from the IPv4 header on (len 46, data_end - data 46 where it may look),
 * the same pkt_type, protocol and ifindex; data_out is the frame with its
 * 14-byte Ethernet header zeroed (it is pushed back and cleared after the
 * run), wire_len in ctx_out is the L3 length. The return value is the
 * program's, as it is. A cgroup_skb program reads the dummy socket's
 * addresses as remote_ip4 (the destination) and local_ip4 (the source). An
 * LWT program's helper offsets are L3 offsets; bpf_skb_change_head's bytes
 * come out after the 14 zero bytes. */
static void non_l2(void)
{
	struct frame tcp = mkframe(IPPROTO_TCP, 0), udp = mkframe(IPPROTO_UDP, 0), want = tcp;
	struct __sk_buff ctx = {.mark = 7, .cb = {1}};
	unsigned char want2[FRAME_LEN + 14];

	if (!get("sf") || !get("cg") || !get("lwt_fields") || !get("lwt_ttl"))
		return;
	memset(&want.eth, 0, ETH_HLEN);
	run("sf", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, 0xabcd, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	WANT("sf_len", 0, 46);
	WANT("sf_protocol", 0, htons(ETH_P_IP));
	WANT("sf_pkt_type", 0, 3);
	WANT("sf_ifindex", 0, 1);
	WANT("sf_mark", 0, 0);
	WANT("sf_priority", 0, 0);
	WANT("sf_cb0", 0, 0);
	WANT("sf_hash", 0, 0);
	WANT("sf_queue_mapping", 0, 0);
	WANT("sf_ingress_ifindex", 0, 0);
	WANT("sf_ret", 0, 0);
	WANT("sf_buf", 0, 0x4500002e); /* offset 0: the IPv4 header */
	WANT("sf_ret", 1, 0);
	WANT("sf_buf", 1, 0x02000000); /* the MAC header: the destination */
	WANT("sf_ret", 2, 0);
	WANT("sf_buf", 2, 0x4500002e);
	run("sf", &tcp, sizeof(tcp), &ctx, 0);
	WANT_RUN(0, 0xabcd, FRAME_LEN);
	WANT("sf_mark", 0, 7);
	WANT("sf_cb0", 0, 1);
	CHECK(r.ctx.cb[0] == 0x5f && r.ctx.mark == 7 && r.ctx.wire_len == 46 && r.ctx.ifindex == 1,
	      "socket filter ctx_out: cb0 0x%x mark %u wire_len %u", r.ctx.cb[0], r.ctx.mark,
	      r.ctx.wire_len);

	run("cg", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, 1, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	WANT("cg_len", 0, 46);
	WANT("cg_protocol", 0, htons(ETH_P_IP));
	WANT("cg_family", 0, AF_INET);
	WANT("cg_remote_ip4", 0, 0x0a000002);
	WANT("cg_local_ip4", 0, 0x0a000001);
	WANT("cg_remote_port", 0, 0);
	WANT("cg_local_port", 0, 0);
	WANT("cg_pkt_bytes", 0, 46);
	WANT("cg_mark", 0, 0);
	WANT("cg_ifindex", 0, 1);
	WANT("cg_ret", 0, 0);
	WANT("cg_buf", 0, 0x4500002e);
	memset(&ctx, 0, sizeof(ctx));
	run("cg", &udp, sizeof(udp), &ctx, 0);
	WANT_RUN(0, 1, FRAME_LEN);
	CHECK(r.ctx.mark == 0xc0 && r.ctx.priority == 0xc1 && r.ctx.wire_len == 46,
	      "cgroup_skb ctx_out: mark 0x%x priority 0x%x wire_len %u", r.ctx.mark, r.ctx.priority,
	      r.ctx.wire_len);

	run("lwt_fields", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, BPF_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	WANT("li_len", 0, 46);
	WANT("li_protocol", 0, htons(ETH_P_IP));
	WANT("li_pkt_bytes", 0, 46);
	WANT("li_first_word", 0, 0x4500002e);
	WANT("li_pkt_type", 0, 3);
	WANT("li_ifindex", 0, 1);

	want.ip.ttl = 63;
	want.ip.check = 0;
	want.ip.check = htons(csum(&want.ip, 20, 0));
	run("lwt_ttl", &tcp, sizeof(tcp), NULL, 0);
	WANT_RUN(0, BPF_OK, FRAME_LEN);
	WANT_OUT(&want, FRAME_LEN);
	for (unsigned i = 0; i < 3; i++)
		WANT("lx_ret", i, 0);
	splice(want2, &want, FRAME_LEN, 0, 14);
	run_cb("lwt_ttl", &tcp, sizeof(tcp), 0, 14, 0, 0, 0, 0);
	WANT_RUN(0, BPF_OK, FRAME_LEN + 14);
	WANT_OUT(want2, FRAME_LEN + 14);
}

/* one instruction */
static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};

	return i;
}

static int load_raw(enum bpf_prog_type type, enum bpf_attach_type attach,
		    const struct bpf_insn *insns, size_t cnt)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach);
	int fd = bpf_prog_load(type, NULL, "GPL", insns, cnt, &o);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* The program's BPF_PROG_TEST_RUN on a 64-byte frame: 0, or the error. */
static __attribute__((unused)) int run_raw(enum bpf_prog_type type, const struct bpf_insn *insns,
					   size_t cnt)
{
	__u8 frame[64] = {[12] = 0x88, [13] = 0xb5};
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = sizeof(frame));
	int fd = bpf_prog_load(type, NULL, "GPL", insns, cnt, NULL), err;

	if (fd < 0)
		return fd;
	err = bpf_prog_test_run_opts(fd, &t);
	close(fd);
	return err;
}

#define SF BPF_PROG_TYPE_SOCKET_FILTER
#define CLS BPF_PROG_TYPE_SCHED_CLS
#define CG BPF_PROG_TYPE_CGROUP_SKB
#define LIN BPF_PROG_TYPE_LWT_IN
#define LXMIT BPF_PROG_TYPE_LWT_XMIT
#define SKB(f) ((__s16)offsetof(struct __sk_buff, f))

/* What each type may read and write in its __sk_buff, checked by loading
 * "r2 = 0; rX = *(size *)(r1 + off)" or "*(size *)(r1 + off) = r2", then
 * "r0 = 0; exit". A refused access is -EACCES ("invalid bpf_context
 * access off=... size=..."). Reads of 4-byte fields may be narrower (1 or
 * 2 bytes, aligned), writes must be whole; cb[] any size inside cb;
 * tstamp, hwtstamp and sk only as 8 bytes; data, data_end, data_meta only
 * as 4. */
static void ctx_access(void)
{
	static const struct {
		enum bpf_prog_type type;
		__s16 off;
		__u8 size;
		int write, err;
	} c[] = {
		{CLS, SKB(len), BPF_W, 0, 0},
		{CLS, SKB(len), BPF_B, 0, 0},
		{CLS, SKB(len), BPF_DW, 0, -EACCES},
		{CLS, SKB(len), BPF_W, 1, -EACCES},
		{CLS, SKB(mark) + 2, BPF_H, 0, 0},
		{CLS, SKB(mark) + 3, BPF_B, 0, 0},
		{CLS, SKB(mark) + 1, BPF_H, 0, -EACCES}, /* misaligned */
		{CLS, SKB(mark), BPF_W, 1, 0},
		{CLS, SKB(mark), BPF_H, 1, -EACCES},
		{CLS, SKB(priority), BPF_W, 1, 0},
		{CLS, SKB(queue_mapping), BPF_W, 1, 0},
		{CLS, SKB(tc_index), BPF_W, 1, 0},
		{CLS, SKB(tc_classid), BPF_W, 1, 0},
		{CLS, SKB(hash), BPF_W, 1, -EACCES},
		{CLS, SKB(vlan_tci), BPF_W, 1, -EACCES},
		{CLS, SKB(ifindex), BPF_W, 1, -EACCES},
		{CLS, SKB(cb[0]), BPF_DW, 0, 0},
		{CLS, SKB(cb[0]), BPF_DW, 1, 0},
		{CLS, SKB(cb[1]), BPF_DW, 0, -EACCES}, /* not 8-aligned */
		{CLS, SKB(cb[3]), BPF_DW, 0, -EACCES}, /* cb[3..4] at 60: not 8-aligned either */
		{CLS, SKB(cb[4]), BPF_DW, 0, -EACCES}, /* past cb */
		{CLS, SKB(cb[1]) + 1, BPF_B, 1, 0},
		{CLS, SKB(data), BPF_W, 0, 0},
		{CLS, SKB(data), BPF_B, 0, -EACCES},
		{CLS, SKB(data), BPF_DW, 0, -EACCES},
		{CLS, SKB(data_meta), BPF_W, 0, 0},
		{CLS, SKB(family), BPF_W, 0, -EACCES},
		{CLS, SKB(remote_ip4), BPF_W, 0, -EACCES},
		{CLS, SKB(local_port), BPF_W, 0, -EACCES},
		{CLS, SKB(flow_keys), BPF_DW, 0, -EACCES},
		{CLS, SKB(tstamp), BPF_DW, 0, 0},
		{CLS, SKB(tstamp), BPF_W, 0, -EACCES},
		{CLS, SKB(tstamp), BPF_DW, 1, 0},
		{CLS, SKB(wire_len), BPF_W, 0, 0},
		{CLS, SKB(wire_len), BPF_W, 1, -EACCES},
		{CLS, SKB(gso_size), BPF_W, 0, 0},
		{CLS, SKB(sk), BPF_DW, 0, 0},
		{CLS, SKB(sk), BPF_W, 0, -EACCES},
		{CLS, SKB(tstamp_type), BPF_B, 0, 0},
		{CLS, SKB(tstamp_type), BPF_W, 0, -EACCES},
		{CLS, SKB(tstamp_type), BPF_B, 1, -EACCES},
		{CLS, SKB(tstamp_type) + 1, BPF_B, 0, -EACCES}, /* padding */
		{CLS, SKB(hwtstamp), BPF_DW, 0, 0},
		{CLS, SKB(hwtstamp), BPF_DW, 1, -EACCES},
		{CLS, sizeof(struct __sk_buff), BPF_W, 0, -EACCES},
		{SF, SKB(mark), BPF_W, 0, 0},
		{SF, SKB(mark), BPF_W, 1, -EACCES},
		{SF, SKB(priority), BPF_W, 1, -EACCES},
		{SF, SKB(cb[2]), BPF_W, 1, 0},
		{SF, SKB(data), BPF_W, 0, -EACCES},
		{SF, SKB(tc_classid), BPF_W, 0, -EACCES},
		{SF, SKB(tc_index), BPF_W, 0, 0},
		{SF, SKB(family), BPF_W, 0, -EACCES},
		{SF, SKB(tstamp), BPF_DW, 0, -EACCES},
		{SF, SKB(wire_len), BPF_W, 0, -EACCES},
		{SF, SKB(hwtstamp), BPF_DW, 0, -EACCES},
		{SF, SKB(sk), BPF_DW, 0, 0},
		{CG, SKB(family), BPF_W, 0, 0},
		{CG, SKB(remote_ip4), BPF_W, 0, 0},
		{CG, SKB(remote_ip4), BPF_B, 0, -EACCES}, /* addresses: whole words */
		{CG, SKB(remote_ip6[3]), BPF_W, 0, 0},
		{CG, SKB(local_port), BPF_B, 0, 0},
		{CG, SKB(mark), BPF_W, 1, 0},
		{CG, SKB(priority), BPF_W, 1, 0},
		{CG, SKB(tc_index), BPF_W, 1, -EACCES},
		{CG, SKB(data), BPF_W, 0, 0},
		{CG, SKB(data_meta), BPF_W, 0, -EACCES},
		{CG, SKB(tc_classid), BPF_W, 0, -EACCES},
		{CG, SKB(wire_len), BPF_W, 0, -EACCES},
		{CG, SKB(tstamp), BPF_DW, 1, 0},
		{CG, SKB(hwtstamp), BPF_DW, 0, 0},
		{CG, SKB(tstamp_type), BPF_B, 0, -EACCES},
		{LIN, SKB(data), BPF_W, 0, 0},
		{LIN, SKB(mark), BPF_W, 1, 0},
		{LIN, SKB(tc_index), BPF_W, 1, -EACCES},
		{LIN, SKB(family), BPF_W, 0, -EACCES},
		{LIN, SKB(tstamp), BPF_DW, 0, -EACCES},
		{LIN, SKB(data_meta), BPF_W, 0, -EACCES},
		{LIN, SKB(tc_classid), BPF_W, 0, -EACCES},
		{LXMIT, SKB(priority), BPF_W, 1, 0},
		{LXMIT, SKB(queue_mapping), BPF_W, 1, -EACCES},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct bpf_insn p[4] = {
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0),
			c[i].write ? insn(BPF_STX | BPF_MEM | c[i].size, 1, 2, c[i].off, 0)
				   : insn(BPF_LDX | BPF_MEM | c[i].size, 0, 1, c[i].off, 0),
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
			insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};
		int err = load_raw(c[i].type, 0, p, 4);

		VERIFIER_CHECK(err == c[i].err,
			       "type %d: %d-byte %s at %d: %d, the kernel gives %d", c[i].type,
			       "\4\2\1\10"[c[i].size >> 3], c[i].write ? "write" : "read", c[i].off,
			       err, c[i].err);
#ifndef KERNEL_BACKEND
		/* bpfhost has no verifier yet: what the kernel refuses faults when it runs */
		err = run_raw(c[i].type, p, 4);
		CHECK(c[i].err ? err == -EFAULT : err == 0,
		      "type %d: a %d-byte %s at %d runs: %d, the kernel refuses it: %s", c[i].type,
		      "\4\2\1\10"[c[i].size >> 3], c[i].write ? "write" : "read", c[i].off, err,
		      c[i].err ? "yes" : "no");
#endif
	}
}

/* Helpers per type: a helper the type does not have is -EINVAL ("program
 * of this type cannot use helper ..."); one it has loads (the ones taking
 * only the context are called with it). Also: skb_load_bytes of 0 bytes is
 * -EACCES ("invalid zero-sized read"); direct packet writes are for tc and
 * LWT_XMIT only (-EACCES, "cannot write into packet"), and a socket filter
 * cannot even read data; a cgroup_skb program must return 0 or 1 at ingress,
 * 0..3 at egress (-EINVAL), others anything. */
static void helpers(void)
{
	static const struct {
		enum bpf_prog_type type;
		int func;
		const char *name;
		int err;
	} c[] = {
		{CLS, BPF_FUNC_get_hash_recalc, "get_hash_recalc", 0},
		{CLS, BPF_FUNC_set_hash_invalid, "set_hash_invalid", 0},
		{CLS, BPF_FUNC_get_cgroup_classid, "get_cgroup_classid", 0},
		{CLS, BPF_FUNC_get_route_realm, "get_route_realm", 0},
		{CLS, BPF_FUNC_get_socket_uid, "get_socket_uid", 0},
		{CLS, BPF_FUNC_xdp_adjust_head, "xdp_adjust_head", -EINVAL},
		{SF, BPF_FUNC_get_socket_uid, "get_socket_uid", 0},
		{SF, BPF_FUNC_get_socket_cookie, "get_socket_cookie", 0},
		{SF, BPF_FUNC_skb_store_bytes, "skb_store_bytes", -EINVAL},
		{SF, BPF_FUNC_skb_pull_data, "skb_pull_data", -EINVAL},
		{SF, BPF_FUNC_get_hash_recalc, "get_hash_recalc", -EINVAL},
		{SF, BPF_FUNC_get_cgroup_classid, "get_cgroup_classid", 0},
		{CG, BPF_FUNC_skb_cgroup_id, "skb_cgroup_id", 0},
		{CG, BPF_FUNC_skb_ecn_set_ce, "skb_ecn_set_ce", 0},
		{CG, BPF_FUNC_skb_store_bytes, "skb_store_bytes", -EINVAL},
		{CG, BPF_FUNC_skb_change_tail, "skb_change_tail", -EINVAL},
		{CG, BPF_FUNC_get_hash_recalc, "get_hash_recalc", -EINVAL},
		{LIN, BPF_FUNC_get_hash_recalc, "get_hash_recalc", 0},
		{LIN, BPF_FUNC_get_route_realm, "get_route_realm", 0},
		{LIN, BPF_FUNC_set_hash_invalid, "set_hash_invalid", -EINVAL},
		{LIN, BPF_FUNC_skb_store_bytes, "skb_store_bytes", -EINVAL},
		{LIN, BPF_FUNC_get_socket_uid, "get_socket_uid", -EINVAL},
		{LXMIT, BPF_FUNC_set_hash_invalid, "set_hash_invalid", 0},
		{LXMIT, BPF_FUNC_skb_vlan_pop, "skb_vlan_pop", -EINVAL},
		{LXMIT, BPF_FUNC_set_hash, "set_hash", -EINVAL},
	};
	static const struct {
		enum bpf_prog_type type;
		int err;
	} pw[] = {{CLS, 0}, {LXMIT, 0}, {LIN, -EACCES}, {CG, -EACCES}, {SF, -EACCES}};
	static const struct {
		enum bpf_prog_type type;
		enum bpf_attach_type attach;
		int r0, err;
	} rv[] = {{CG, BPF_CGROUP_INET_INGRESS, 1, 0},
		  {CG, BPF_CGROUP_INET_INGRESS, 2, -EINVAL},
		  {CG, BPF_CGROUP_INET_EGRESS, 3, 0},
		  {CG, BPF_CGROUP_INET_EGRESS, 4, -EINVAL},
		  {CLS, 0, -1, 0},
		  {SF, 0, 12345, 0},
		  {LIN, 0, 99, 0}};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct bpf_insn p[3] = {
			insn(BPF_JMP | BPF_CALL, 0, 0, 0, c[i].func),
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
			insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};
		int err = load_raw(c[i].type, 0, p, 3);

		CHECK(err == c[i].err, "type %d calling %s: %d, the kernel gives %d", c[i].type,
		      c[i].name, err, c[i].err);
	}
	for (size_t i = 0; i < sizeof(pw) / sizeof(pw[0]); i++) {
		struct bpf_insn p[9] = {
			insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1, SKB(data), 0),
			insn(BPF_LDX | BPF_MEM | BPF_W, 3, 1, SKB(data_end), 0),
			insn(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0),
			insn(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 1),
			insn(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 2, 0),
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 5, 0, 0, 0),
			insn(BPF_STX | BPF_MEM | BPF_B, 2, 5, 0, 0),
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
			insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};
		int err = load_raw(pw[i].type, 0, p, 9);

		VERIFIER_CHECK(err == pw[i].err,
			       "type %d writing the packet: %d, the kernel gives %d", pw[i].type,
			       err, pw[i].err);
	}
	for (size_t i = 0; i < sizeof(rv) / sizeof(rv[0]); i++) {
		struct bpf_insn p[2] = {
			insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rv[i].r0),
			insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};
		int err = load_raw(rv[i].type, rv[i].attach, p, 2);

		VERIFIER_CHECK(err == rv[i].err,
			       "type %d attach %d returning %d: %d, the kernel gives %d",
			       rv[i].type, rv[i].attach, rv[i].r0, err, rv[i].err);
	}
	/* bpf_skb_load_bytes(ctx, 0, fp - 8, 0) */
	struct bpf_insn p[7] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0),
		insn(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0),
		insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	int err = load_raw(CLS, 0, p, 7);

	VERIFIER_CHECK(err == -EACCES, "skb_load_bytes of 0 bytes: %d", err);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_skb OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj_path = argv[1];
	get("fields");
	if (skipped)
		return 0;
	fields();
	eth_trans();
	plumbing();
	writes();
	load();
	store();
	csum_replace();
	udp_csum();
	tail();
	room();
	head();
	pull();
	hash();
	vlan();
	redirect();
	proto();
	misc();
	ldabs();
	non_l2();
	ctx_access();
	helpers();
	for (int i = 0; i < prog_cnt; i++)
		bpf_object__close(progs[i].obj);
	if (verifier_gaps)
		printf("NOTICE: %d of the kernel verifier's verdicts bpfhost does not give yet (no "
		       "verifier): checked by the kernel build\n",
		       verifier_gaps);
	return TEST_DONE();
}
