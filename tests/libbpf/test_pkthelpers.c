/* Packet helpers of XDP and tc (tests/bpf/pkthelpers.bpf.c) loaded by
 * Debian's libbpf and run with bpf_prog_test_run_opts: bpf_xdp_load_bytes,
 * bpf_xdp_store_bytes (linear part and fragments), bpf_check_mtu (both
 * forms), bpf_redirect_neigh and bpf_redirect_peer, bpf_skb_set_tstamp, the
 * cgroup ids and classid of the test run's socket, the tunnel metadata
 * helpers, bpf_skb_get_xfrm_state, bpf_sk_assign, bpf_skc_to_unix_sock and
 * bpf_skc_to_mptcp_sock, the raw SYN cookies, and bpf_skb_adjust_room of a
 * GSO skb (what bpf_check_mtu counts on). Every expected value is
 * what Linux 6.18 gives (the same source with -DKERNEL_BACKEND checks it
 * there); where it depends on the machine (a device's MTU, this process's
 * cgroup) the test reads the machine first. A program's arguments go in
 * through the array io, and its results come back there.
 * Usage: test_pkthelpers OBJ */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/test_util.h"
#include "load.h"

#define XDP_PASS 2

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own, not in userspace errno.h */
#endif

#ifndef BPF_F_NO_TUNNEL_KEY
#define BPF_F_NO_TUNNEL_KEY (1ULL << 4)
#endif
#define CLOCK_REALTIME_ 0 /* BPF_SKB_CLOCK_REALTIME, ... (newer than Debian's header) */
#define CLOCK_MONO_ 1
#define CLOCK_TAI_ 2

/* the BPF side's struct io */
struct io {
	__u64 arg[8];
	__s64 out[8];
	__u8 in[256];
	__u8 buf[512];
};

/* one program, loaded alone from its own copy of the object */
struct loaded {
	const char *name;
	struct bpf_object *obj; /* NULL: it did not load */
	int prog_fd, io_fd;
};

static const char *obj_path;
static struct loaded progs[32];
static int prog_cnt;
static bool skipped;

/* the last run: what it gave and what the program left in io */
static struct {
	int err;
	__u32 retval, size_out;
	unsigned char out[16384];
	struct io io;
} r;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The program name, loaded on first use; NULL if it does not load. */
static const struct loaded *get(const char *name)
{
	struct bpf_program *want;
	struct loaded *l;

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
	l->io_fd = bpf_object__find_map_fd_by_name(l->obj, "io");
	return l;
}

/* Runs prog on data (repeat times) with io's arguments and in[] from in;
 * ctx (ctx_size bytes) goes in as ctx_in and comes back. */
static int run_ctx(const char *prog, const struct io *in, const void *data, __u32 len, void *ctx,
		   __u32 ctx_size, __u32 repeat)
{
	const struct loaded *l = get(prog);
	struct io io = *in;
	int zero = 0;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len, .data_out = r.out,
		    .data_size_out = sizeof(r.out), .repeat = repeat, .ctx_in = ctx,
		    .ctx_size_in = ctx_size, .ctx_out = ctx, .ctx_size_out = ctx_size);

	memset(io.out, 0, sizeof(io.out));
	memset(io.buf, 0xaa, sizeof(io.buf));
	memset(&r, 0, sizeof(r));
	if (!l) {
		r.err = -ENOENT;
		return r.err;
	}
	CHECK(bpf_map_update_elem(l->io_fd, &zero, &io, 0) == 0, "write io");
	r.err = bpf_prog_test_run_opts(l->prog_fd, &o);
	r.retval = o.retval;
	r.size_out = o.data_size_out;
	CHECK(bpf_map_lookup_elem(l->io_fd, &zero, &r.io) == 0, "read io");
	return r.err;
}

static int run(const char *prog, const struct io *in, const void *data, __u32 len)
{
	return run_ctx(prog, in, data, len, NULL, 0, 0);
}

/* an io with these arguments */
static struct io args(__u64 a0, __u64 a1, __u64 a2, __u64 a3)
{
	struct io io;

	memset(&io, 0, sizeof(io));
	io.arg[0] = a0;
	io.arg[1] = a1;
	io.arg[2] = a2;
	io.arg[3] = a3;
	return io;
}

/* whether n bytes of p are all c */
static bool all(const void *p, size_t n, unsigned char c)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != c)
			return false;
	return true;
}

#define WANT_RUN(want_retval)                                                                      \
	CHECK(r.err == 0 && r.retval == (__u32)(want_retval), "%s: err %d retval %u, want 0 %u",   \
	      what, r.err, r.retval, (__u32)(want_retval))

#define WANT_OUT(i, want)                                                                          \
	CHECK(r.io.out[i] == (__s64)(want), "%s: out[%d] = %lld (0x%llx), the kernel gives %lld",  \
	      what, i, (long long)r.io.out[i], (unsigned long long)r.io.out[i], (long long)(want))

/* ---- frames ---- */

struct tcp4 {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr th;
	unsigned char opt[40]; /* options, then payload */
} __attribute__((packed));

struct tcp6 {
	struct ethhdr eth;
	struct ipv6hdr ip;
	struct tcphdr th;
	unsigned char opt[40];
} __attribute__((packed));

static void eth(struct ethhdr *e, __u16 proto)
{
	static const unsigned char dst[ETH_ALEN] = {2, 0, 0, 0, 0, 2};
	static const unsigned char src[ETH_ALEN] = {2, 0, 0, 0, 0, 1};

	memcpy(e->h_dest, dst, ETH_ALEN);
	memcpy(e->h_source, src, ETH_ALEN);
	e->h_proto = htons(proto);
}

/* A TCP segment 10.0.0.1:40000 -> 10.0.0.2:80, seq 1000; syn: a SYN with
 * the options opt (optlen bytes, a multiple of 4), else an ACK. 94 bytes. */
static struct tcp4 mk4(bool syn, const void *opt, unsigned optlen)
{
	struct tcp4 f;

	memset(&f, 0, sizeof(f));
	eth(&f.eth, ETH_P_IP);
	f.ip.version = 4;
	f.ip.ihl = 5;
	f.ip.tot_len = htons(sizeof(f) - ETH_HLEN);
	f.ip.ttl = 64;
	f.ip.protocol = IPPROTO_TCP;
	f.ip.saddr = htonl(0x0a000001);
	f.ip.daddr = htonl(0x0a000002);
	f.th.source = htons(40000);
	f.th.dest = htons(80);
	f.th.seq = htonl(1000);
	f.th.doff = (__u16)(5 + optlen / 4);
	f.th.syn = syn;
	f.th.ack = !syn;
	f.th.window = htons(512);
	if (optlen)
		memcpy(f.opt, opt, optlen);
	return f;
}

/* the same over IPv6, 2001:db8::1 -> 2001:db8::2; 114 bytes */
static struct tcp6 mk6(const void *opt, unsigned optlen)
{
	struct tcp6 f;

	memset(&f, 0, sizeof(f));
	eth(&f.eth, ETH_P_IPV6);
	f.ip.version = 6;
	f.ip.payload_len = htons(sizeof(f) - ETH_HLEN - sizeof(f.ip));
	f.ip.nexthdr = IPPROTO_TCP;
	f.ip.hop_limit = 64;
	f.ip.saddr.s6_addr[0] = 0x20;
	f.ip.saddr.s6_addr[1] = 0x01;
	f.ip.saddr.s6_addr[2] = 0x0d;
	f.ip.saddr.s6_addr[3] = 0xb8;
	f.ip.daddr = f.ip.saddr;
	f.ip.saddr.s6_addr[15] = 1;
	f.ip.daddr.s6_addr[15] = 2;
	f.th.source = htons(40000);
	f.th.dest = htons(80);
	f.th.seq = htonl(1000);
	f.th.doff = (__u16)(5 + optlen / 4);
	f.th.syn = 1;
	f.th.window = htons(512);
	if (optlen)
		memcpy(f.opt, opt, optlen);
	return f;
}

/* a frame of len bytes: an Ethernet header (EtherType 0x88b5), then i * 7 */
static unsigned char *mkbig(__u32 len)
{
	unsigned char *p = malloc(len);

	for (__u32 i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7);
	p[12] = 0x88;
	p[13] = 0xb5;
	return p;
}

/* ---- the machine's devices ---- */

/* The ifindex of an Ethernet device other than lo, up or not, whose MTU
 * (in *mtu) a test run's frame can exceed: 0 if there is none. */
static unsigned other_dev(__u32 *mtu)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	unsigned found = 0;

	for (i = ifs; i && i->if_index; i++) {
		char path[64 + IF_NAMESIZE];
		unsigned type = 0;
		FILE *f;

		if (!strcmp(i->if_name, "lo"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/type", i->if_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%u", &type) != 1)
			type = 0;
		fclose(f);
		snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", i->if_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (type == 1 && fscanf(f, "%u", mtu) == 1 && *mtu + ETH_HLEN < 3000) {
			found = i->if_index;
			fclose(f);
			break;
		}
		fclose(f);
	}
	if_freenameindex(ifs);
	return found;
}

/* ---- XDP: bpf_xdp_load_bytes, bpf_xdp_store_bytes ---- */

/* Offsets from data (not data_meta) into the linear part and on into the
 * fragments (the test run's linear part is 3520 bytes, fragments a page
 * each); offset or len past 0xffff: -EFAULT; past the packet: -EINVAL; on
 * failure the buffer is left as it was. */
static void xdp_load(void)
{
	static const struct {
		__u32 len; /* of the frame */
		__u32 off, n;
		int ret;
	} c[] = {
		{60, 0, 14, 0},
		{60, 50, 10, 0},
		{60, 51, 10, -EINVAL},
		{60, 60, 1, -EINVAL},
		{60, 0xffff, 1, -EINVAL},
		{60, 0x10000, 1, -EFAULT},
		{60, 0xffffffff, 1, -EFAULT},
		{5000, 3500, 64, 0},
		{5000, 3520, 64, 0},
		{5000, 4990, 10, 0},
		{5000, 4991, 10, -EINVAL},
		{12000, 7600, 40, 0},
		{12000, 11936, 64, 0},
		{12000, 11937, 64, -EINVAL},
	};
	const char *what = "xdp_load";

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned char *f = mkbig(c[i].len);
		struct io io = args(c[i].off, c[i].n, 0, 0);

		run("xdp_load", &io, f, c[i].len);
		WANT_RUN(XDP_PASS);
		CHECK(r.io.out[0] == c[i].ret, "xdp_load_bytes(%u, %u) of %u: %lld, want %d",
		      c[i].off, c[i].n, c[i].len, (long long)r.io.out[0], c[i].ret);
		if (c[i].ret)
			CHECK(all(r.io.buf, 64, 0xaa), "a failed load writes nothing");
		else
			CHECK(!memcmp(r.io.buf, f + c[i].off, c[i].n) &&
				      all(r.io.buf + c[i].n, 64 - c[i].n, 0xaa),
			      "xdp_load_bytes(%u, %u) of %u: the bytes", c[i].off, c[i].n,
			      c[i].len);
		free(f);
	}

	/* with 8 bytes of metadata: offset 0 is data, after it */
	unsigned char *f = mkbig(100);
	struct xdp_md ctx = {.data = 8, .data_end = 100};
	struct io io = args(0, 16, 0, 0);

	run_ctx("xdp_load", &io, f, 100, &ctx, sizeof(ctx), 0);
	WANT_RUN(XDP_PASS);
	WANT_OUT(0, 0);
	CHECK(!memcmp(r.io.buf, f + 8, 16), "xdp_load_bytes after metadata");
	free(f);
}

static void xdp_store(void)
{
	static const struct {
		__u32 len, off, n;
		int ret;
	} c[] = {
		{60, 0, 6, 0},
		{60, 54, 6, 0},
		{60, 55, 6, -EINVAL},
		{60, 0x10000, 1, -EFAULT},
		{5000, 3510, 20, 0},
		{5000, 3400, 256, 0},
		{12000, 7500, 256, 0},
		{12000, 11999, 1, 0},
		{12000, 11999, 2, -EINVAL},
	};
	const char *what = "xdp_store";

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned char *f = mkbig(c[i].len);
		struct io io = args(c[i].off, c[i].n, 0, 0);

		for (int j = 0; j < 256; j++)
			io.in[j] = (unsigned char)(0x80 + j);
		run("xdp_store", &io, f, c[i].len);
		WANT_RUN(XDP_PASS);
		CHECK(r.io.out[0] == c[i].ret, "xdp_store_bytes(%u, %u) of %u: %lld, want %d",
		      c[i].off, c[i].n, c[i].len, (long long)r.io.out[0], c[i].ret);
		if (!c[i].ret)
			memcpy(f + c[i].off, io.in, c[i].n);
		CHECK(r.size_out == c[i].len && !memcmp(r.out, f, c[i].len),
		      "xdp_store_bytes(%u, %u) of %u: data_out (%u bytes)", c[i].off, c[i].n,
		      c[i].len, r.size_out);
		free(f);
	}
}

/* ---- bpf_check_mtu ---- */

/* XDP: the device is the receiving one (lo, or ctx_in's ingress_ifindex)
 * unless ifindex names another; the length is data_end - data (fragments
 * not counted) plus len_diff, or *mtu_len (an L3 length) plus the
 * device's header plus len_diff when *mtu_len is set; against the MTU plus
 * the header. *mtu_len gets the MTU unless the helper fails (-EINVAL for
 * any flag, -ENODEV for no such device). */
static void xdp_mtu(void)
{
	unsigned lo = if_nametoindex("lo");
	__u32 omtu = 0;
	unsigned other = other_dev(&omtu);
	const char *what = "xdp_mtu";
	struct {
		__u32 len, ifindex, mtu_len;
		int len_diff;
		__u64 flags;
		int ret;
		__u32 mtu_out;
	} c[] = {
		{60, 0, 0, 0, 0, 0, 65536},
		{60, lo, 0, 0, 0, 0, 65536},
		{60, 0, 77, 0, 1, -EINVAL, 77},
		{60, 0, 0, 0, 2, -EINVAL, 0},
		{60, 99999, 77, 0, 0, -ENODEV, 77},
		{60, 0, 65536, 0, 0, 0, 65536},
		{60, 0, 65537, 0, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
		{60, 0, 65536, 1, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
		{60, 0, 65537, -1, 0, 0, 65536},
		{60, 0, 0, 65550 - 60, 0, 0, 65536},
		{60, 0, 0, 65550 - 59, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
		{60, 0, 0, -100000, 0, 0, 65536},
		{60, 0, 0xfffffff0, 0, 0, 0, 65536}, /* the length wraps below 0 */
		{5000, 0, 0, 65550 - 3520, 0, 0, 65536},
		{5000, 0, 0, 65550 - 3519, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned char *f = mkbig(c[i].len);
		struct io io = args(c[i].ifindex, c[i].mtu_len, (__u32)c[i].len_diff, c[i].flags);

		run("xdp_mtu", &io, f, c[i].len);
		WANT_RUN(XDP_PASS);
		CHECK(r.io.out[0] == c[i].ret && r.io.out[1] == c[i].mtu_out,
		      "case %zu: check_mtu(%u, %u, %d, %llu) on %u bytes: %lld, mtu %lld; want %d, "
		      "%u",
		      i, c[i].ifindex, c[i].mtu_len, c[i].len_diff, (unsigned long long)c[i].flags,
		      c[i].len, (long long)r.io.out[0], (long long)r.io.out[1], c[i].ret,
		      c[i].mtu_out);
		free(f);
	}
	if (!other) {
		printf("NOTICE: no Ethernet device other than lo with an MTU below 2986: its "
		       "bpf_check_mtu cases skipped\n");
		return;
	}
	/* a named device, and the receiving one from ctx_in */
	unsigned char *f = mkbig(5000);
	struct io io = args(other, omtu + 1, 0, 0);
	struct xdp_md ctx = {.ingress_ifindex = other, .data_end = 5000};

	run("xdp_mtu", &io, f, 100);
	WANT_OUT(0, BPF_MTU_CHK_RET_FRAG_NEEDED);
	WANT_OUT(1, omtu);
	io = args(0, 0, 0, 0);
	run_ctx("xdp_mtu", &io, f, 5000, &ctx, sizeof(ctx), 0);
	WANT_RUN(XDP_PASS);
	WANT_OUT(0, 3520 > omtu + ETH_HLEN ? BPF_MTU_CHK_RET_FRAG_NEEDED : 0);
	WANT_OUT(1, omtu);
	free(f);
}

/* tc: the device is the skb's (lo, or ctx_in's ifindex) unless ifindex
 * names another; the length is skb->len (from the Ethernet header); with
 * BPF_MTU_CHK_SEGS len_diff and *mtu_len must be 0; a GSO skb (gso_size
 * from ctx_in) longer than the MTU passes unless BPF_MTU_CHK_SEGS, which
 * wants a transport header the test run does not set: -EINVAL. */
static void tc_mtu(void)
{
	__u32 omtu = 0;
	unsigned other = other_dev(&omtu);
	const char *what = "tc_mtu";
	struct tcp4 t = mk4(false, NULL, 0);
	struct {
		__u32 ifindex, mtu_len;
		int len_diff;
		__u64 flags;
		int ret;
		__u32 mtu_out;
	} c[] = {
		{0, 0, 0, 0, 0, 65536},
		{0, 0, 0, BPF_MTU_CHK_SEGS, 0, 65536},
		{0, 0, 1, BPF_MTU_CHK_SEGS, -EINVAL, 0},
		{0, 100, 0, BPF_MTU_CHK_SEGS, -EINVAL, 100},
		{0, 100, 0, 2, -EINVAL, 100},
		{99999, 100, 0, 0, -ENODEV, 100},
		{0, 65536, 0, 0, 0, 65536},
		{0, 65537, 0, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
		{0, 0, 65550 - 94, 0, 0, 65536},
		{0, 0, 65550 - 93, 0, BPF_MTU_CHK_RET_FRAG_NEEDED, 65536},
		{0, 0, -1000, 0, 0, 65536},
		{0, 0xfffffff0, 0, 0, 0, 65536},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct io io = args(c[i].ifindex, c[i].mtu_len, (__u32)c[i].len_diff, c[i].flags);

		run("tc_mtu", &io, &t, sizeof(t));
		WANT_RUN(TC_ACT_OK);
		CHECK(r.io.out[0] == c[i].ret && r.io.out[1] == c[i].mtu_out,
		      "case %zu: check_mtu(%u, %u, %d, %llu): %lld, mtu %lld; want %d, %u", i,
		      c[i].ifindex, c[i].mtu_len, c[i].len_diff, (unsigned long long)c[i].flags,
		      (long long)r.io.out[0], (long long)r.io.out[1], c[i].ret, c[i].mtu_out);
	}

	/* GSO: over the MTU, still a pass */
	struct __sk_buff ctx = {.gso_size = 100, .gso_segs = 2};
	struct io io = args(0, 70000, 0, 0);

	run_ctx("tc_mtu", &io, &t, sizeof(t), &ctx, sizeof(ctx), 0);
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(0, 0);
	WANT_OUT(1, 65536);
	if (!other)
		return;
	/* the skb's device from ctx_in; a frame longer than its MTU */
	unsigned char *f = mkbig(omtu + ETH_HLEN + 100);

	ctx = (struct __sk_buff){.ifindex = other};
	io = args(0, 0, 0, 0);
	run_ctx("tc_mtu", &io, &t, sizeof(t), &ctx, sizeof(ctx), 0);
	WANT_OUT(0, 0);
	WANT_OUT(1, omtu);
	ctx = (struct __sk_buff){.ifindex = other};
	run_ctx("tc_mtu", &io, f, omtu + ETH_HLEN + 100, &ctx, sizeof(ctx), 0);
	WANT_OUT(0, BPF_MTU_CHK_RET_FRAG_NEEDED);
	io = args(0, 0, 0, BPF_MTU_CHK_SEGS);
	ctx = (struct __sk_buff){.ifindex = other};
	run_ctx("tc_mtu", &io, f, omtu + ETH_HLEN + 100, &ctx, sizeof(ctx), 0);
	WANT_OUT(0, BPF_MTU_CHK_RET_FRAG_NEEDED);
	ctx = (struct __sk_buff){.ifindex = other, .gso_size = 100, .gso_segs = 2};
	io = args(0, 0, 0, 0);
	run_ctx("tc_mtu", &io, f, omtu + ETH_HLEN + 100, &ctx, sizeof(ctx), 0);
	WANT_OUT(0, 0);
	WANT_OUT(1, omtu);
	io = args(0, 0, 0, BPF_MTU_CHK_SEGS);
	ctx = (struct __sk_buff){.ifindex = other, .gso_size = 100, .gso_segs = 2};
	run_ctx("tc_mtu", &io, f, omtu + ETH_HLEN + 100, &ctx, sizeof(ctx), 0);
	WANT_OUT(0, -EINVAL);
	WANT_OUT(1, 0);
	free(f);
}

/* ---- redirects ---- */

/* bpf_redirect_neigh: TC_ACT_REDIRECT, or TC_ACT_SHOT for flags or a plen
 * short of struct bpf_redir_neigh; bpf_redirect_peer: TC_ACT_REDIRECT, or
 * TC_ACT_SHOT for flags. Neither looks at the device until tc acts on the
 * verdict; the packet stays as it was. */
static void redirects(void)
{
	struct tcp4 t = mk4(false, NULL, 0);
	const char *what = "redirect";
	static const struct {
		__u32 ifindex, plen, family;
		__u64 flags;
		__u32 ret;
	} n[] = {
		{1, 0, 0, 0, TC_ACT_REDIRECT},
		{1, 20, AF_INET, 0, TC_ACT_REDIRECT},
		{1, 20, AF_INET6, 0, TC_ACT_REDIRECT},
		{1, 20, 99, 0, TC_ACT_REDIRECT},
		{1, 19, AF_INET, 0, TC_ACT_SHOT},
		{1, 4, AF_INET, 0, TC_ACT_SHOT},
		{1, 0, 0, 1, TC_ACT_SHOT},
		{1, 20, AF_INET, BPF_F_INGRESS, TC_ACT_SHOT},
		{99999, 0, 0, 0, TC_ACT_REDIRECT},
	};
	static const struct {
		__u32 ifindex;
		__u64 flags;
		__u32 ret;
	} p[] = {{1, 0, TC_ACT_REDIRECT},
		 {99999, 0, TC_ACT_REDIRECT},
		 {1, BPF_F_INGRESS, TC_ACT_SHOT},
		 {1, 1ull << 40, TC_ACT_SHOT}};

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		struct io io = args(n[i].ifindex, n[i].plen, n[i].family, n[i].flags);

		io.in[0] = 10;
		io.in[3] = 1;
		run("tc_neigh", &io, &t, sizeof(t));
		CHECK(r.err == 0 && r.retval == n[i].ret,
		      "redirect_neigh(%u, plen %u, 0x%llx): err %d retval %u, want %u",
		      n[i].ifindex, n[i].plen, (unsigned long long)n[i].flags, r.err, r.retval,
		      n[i].ret);
		CHECK(r.size_out == sizeof(t) && !memcmp(r.out, &t, sizeof(t)), "%s: data_out",
		      what);
	}
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		struct io io = args(p[i].ifindex, p[i].flags, 0, 0);

		run("tc_peer", &io, &t, sizeof(t));
		CHECK(r.err == 0 && r.retval == p[i].ret,
		      "redirect_peer(%u, 0x%llx): err %d retval %u, want %u", p[i].ifindex,
		      (unsigned long long)p[i].flags, r.err, r.retval, p[i].ret);
	}
}

/* ---- bpf_skb_set_tstamp ---- */

/* IPv4 and IPv6 packets only (-EOPNOTSUPP); a realtime stamp may be 0, a
 * monotonic or TAI one not (-EINVAL), other types -EINVAL; the program
 * reads the type back from tstamp_type, the stamp from tstamp, and ctx_out
 * reports the stamp (not its type). */
static void tstamp(void)
{
	struct tcp4 t = mk4(false, NULL, 0);
	struct tcp6 t6 = mk6(NULL, 0);
	const char *what = "tstamp";
	static const struct {
		__u64 ts, type;
		int ret;
		__u64 ts_after;
		__u32 type_after;
	} c[] = {
		{1000, CLOCK_REALTIME_, 0, 1000, 0},
		{0, CLOCK_REALTIME_, 0, 0, 0},
		{5000, CLOCK_MONO_, 0, 5000, 1},
		{0, CLOCK_MONO_, -EINVAL, 0, 0},
		{7000, CLOCK_TAI_, 0, 7000, 2},
		{0, CLOCK_TAI_, -EINVAL, 0, 0},
		{1, 3, -EINVAL, 0, 0},
		{1, 0x100000000ull, 0, 1, 0}, /* the type is a u32 */
		{0xffffffffffffffffull, CLOCK_MONO_, 0, 0xffffffffffffffffull, 1},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct io io = args(c[i].ts, c[i].type, 0, 0);

		run("tc_tstamp", &io, &t, sizeof(t));
		WANT_RUN(TC_ACT_OK);
		CHECK(r.io.out[0] == c[i].ret && (__u64)r.io.out[3] == c[i].ts_after &&
			      r.io.out[4] == c[i].type_after,
		      "set_tstamp(%llu, %llu): %lld, then tstamp %llu type %lld; want %d %llu %u",
		      (unsigned long long)c[i].ts, (unsigned long long)c[i].type,
		      (long long)r.io.out[0], (unsigned long long)r.io.out[3],
		      (long long)r.io.out[4], c[i].ret, (unsigned long long)c[i].ts_after,
		      c[i].type_after);
	}

	/* a stamp from ctx_in is realtime; ctx_out gets the new one */
	struct __sk_buff ctx = {.tstamp = 123};
	struct io io = args(5000, CLOCK_MONO_, 0, 0);

	run_ctx("tc_tstamp", &io, &t, sizeof(t), &ctx, sizeof(ctx), 0);
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(1, 123);
	WANT_OUT(2, 0);
	WANT_OUT(0, 0);
	CHECK(ctx.tstamp == 5000 && ctx.tstamp_type == 0, "ctx_out tstamp %llu type %u",
	      (unsigned long long)ctx.tstamp, ctx.tstamp_type);

	/* monotonic, then realtime again; and TAI, then a failed change */
	io = args(5000, CLOCK_MONO_, 6000, CLOCK_REALTIME_);
	run("tc_tstamp", &io, &t, sizeof(t));
	WANT_OUT(5, 0);
	WANT_OUT(3, 6000);
	WANT_OUT(4, 0);
	io = args(5000, CLOCK_TAI_, 0, CLOCK_MONO_);
	io.arg[2] = 0;
	run("tc_tstamp", &io, &t, sizeof(t));
	WANT_OUT(4, 2);

	/* IPv6: fine; no IP: -EOPNOTSUPP */
	io = args(42, CLOCK_MONO_, 0, 0);
	run("tc_tstamp", &io, &t6, sizeof(t6));
	WANT_OUT(0, 0);
	WANT_OUT(3, 42);
	unsigned char *f = mkbig(60);

	run("tc_tstamp", &io, f, 60);
	WANT_OUT(0, -EOPNOTSUPP);
	WANT_OUT(3, 0);
	free(f);
}

/* ---- cgroups ---- */

/* This process's cgroup v2 path ("/" for the root) in path, and the
 * cgroup2 mount in mnt: 0, or -1 without cgroup v2. */
static int my_cgroup_path(char *mnt, size_t mnt_len, char *path, size_t path_len)
{
	char line[512], dev[64], dir[256], type[64];
	int err = -1;
	FILE *f;

	*mnt = *path = 0;
	f = fopen("/proc/self/mounts", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %255s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(mnt, mnt_len, "%s", dir);
			break;
		}
	fclose(f);
	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(path, path_len, "%s", line + 3);
			err = *mnt ? 0 : -1;
		}
	fclose(f);
	return err;
}

/* The id of this process's cgroup v2 ancestor at level (0: the root; -1:
 * the process's own), as the kernel numbers cgroups (the inode of their
 * directory): 0 below level 0 or past the process's own level. */
static __u64 my_cgroup(int level)
{
	char mnt[256], path[512], dir[800];
	const char *end;
	struct stat st;
	int l = 0;

	if (my_cgroup_path(mnt, sizeof(mnt), path, sizeof(path)) || level < -1)
		return 0;
	/* the path up to its level-th component */
	for (end = path; *end && strcmp(end, "/") && l != level; l++) {
		end = strchr(end + 1, '/');
		if (!end)
			end = path + strlen(path);
	}
	if (level > l)
		return 0;
	snprintf(dir, sizeof(dir), "%s%.*s", mnt, (int)(end - path), path);
	return stat(dir, &st) ? 0 : st.st_ino;
}

/* net_cls's classid of this process (0 without a net_cls hierarchy) */
static __u32 my_classid(void)
{
	char line[512], mnt[256] = "", path[800], dev[64], dir[256], type[64], opts[256];
	__u32 classid = 0;
	FILE *f;

	f = fopen("/proc/self/mounts", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %255s %63s %255s", dev, dir, type, opts) == 4 &&
		    !strcmp(type, "cgroup") && strstr(opts, "net_cls"))
			snprintf(mnt, sizeof(mnt), "%s", dir);
	fclose(f);
	if (!*mnt)
		return 0;
	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;

		if (!p || !strstr(c, "net_cls"))
			continue;
		p[strcspn(p, "\n")] = 0;
		snprintf(path, sizeof(path), "%s%s/net_cls.classid", mnt, p + 1);
		FILE *g = fopen(path, "r");

		if (g) {
			if (fscanf(g, "%u", &classid) != 1)
				classid = 0;
			fclose(g);
		}
	}
	fclose(f);
	return classid;
}

/* The test run's socket belongs to the process that runs it: its cgroup
 * and ancestors (levels as an int: -1 is no level), its net_cls class. */
static void cgroups(void)
{
	struct tcp4 t = mk4(false, NULL, 0);
	const char *what = "cgroup";
	struct io io = args(0, 1, 0xffffffff, 64);

	run("tc_cgroup", &io, &t, sizeof(t));
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(0, my_cgroup(-1));
	WANT_OUT(1, my_cgroup(0));
	WANT_OUT(2, my_cgroup(1));
	WANT_OUT(3, 0);
	WANT_OUT(4, 0);
	WANT_OUT(5, my_classid());
	WANT_OUT(6, my_classid());

	io = args(0, 1, 2, 0);
	run("cg_cgroup", &io, &t, sizeof(t));
	WANT_OUT(7, 0);
	WANT_OUT(1, my_cgroup(0));
	WANT_OUT(2, my_cgroup(1));
	WANT_OUT(3, my_cgroup(2));
	WANT_OUT(4, my_cgroup(0));
}

/* ---- tunnel metadata ---- */

#define T_GET 1
#define T_SET 2
#define T_GET2 4
#define T_SET_OPT 8
#define T_GET_OPT 16
#define T_GET_FLAGS 32
#define T_OPT_FIRST 64
#define T_SET2 128

/* the tunnel key the program sets: IPv4 10.0.0.1 -> 10.0.0.2, or IPv6
 * 2001:db8::1 -> 2001:db8::2, with a label */
static struct bpf_tunnel_key tkey(bool v6)
{
	struct bpf_tunnel_key k;

	memset(&k, 0, sizeof(k));
	k.tunnel_id = 0x11223344;
	k.tunnel_tos = 0x12;
	k.tunnel_ttl = 0x40;
	if (v6) {
		k.remote_ipv6[0] = htonl(0x20010db8);
		k.remote_ipv6[3] = htonl(1);
		k.local_ipv6[0] = htonl(0x20010db8);
		k.local_ipv6[3] = htonl(2);
		k.tunnel_label = 0xfff12345;
	} else {
		k.remote_ipv4 = 0x0a000001;
		k.local_ipv4 = 0x0a000002;
	}
	return k;
}

static struct io tio(__u64 steps, __u32 ssize, __u64 sflags, __u32 gsize, __u64 gflags, __u32 osize,
		     __u32 gosize)
{
	struct io io = args(steps, ssize, sflags, gsize);

	io.arg[4] = gflags;
	io.arg[5] = osize;
	io.arg[6] = gosize;
	return io;
}

/* What get_tunnel_key gives back after set_tunnel_key(k): the set key's
 * local address as remote and its remote one as local (the helpers read
 * the metadata as a receive path would), the label cut to 20 bits. */
static struct bpf_tunnel_key tkey_back(bool v6)
{
	struct bpf_tunnel_key k = tkey(v6), b = k;

	if (v6) {
		memcpy(b.remote_ipv6, k.local_ipv6, 16);
		memcpy(b.local_ipv6, k.remote_ipv6, 16);
		b.tunnel_label &= 0xfffff;
	} else {
		b.remote_ipv4 = k.local_ipv4;
		b.local_ipv4 = k.remote_ipv4;
	}
	return b;
}

/* The helpers read the skb's tunnel metadata dst, which a test run's skb
 * has none of until set_tunnel_key gives it the per-CPU one (kept across
 * repeats, not across runs): get_tunnel_key, -EINVAL (flags: -EINVAL; an
 * address family other than the key's: -EPROTO), the key zeroed; sizes of
 * older layouts of struct bpf_tunnel_key (8 bytes only for IPv4 keys)
 * work both ways, others are -EINVAL; set_tunnel_key refuses an IPv4 key
 * with a label and any tunnel_ext; with BPF_F_TUNINFO_FLAGS the key's
 * tunnel_flags are the kernel's TUNNEL_* bits: NOCACHE always, CSUM unless
 * BPF_F_ZERO_CSUM_TX, KEY unless BPF_F_NO_TUNNEL_KEY, DONT_FRAGMENT and SEQ
 * if asked, the option bits once options are set. Options: a multiple of 4
 * bytes, at most 255 (-ENOMEM), only on a key set (-EINVAL); get_tunnel_opt
 * returns their length, the rest of the buffer zeroed, -ENOENT without
 * options and -ENOMEM for a buffer too small, the buffer zeroed. */
static void tunnel(void)
{
	struct tcp4 t = mk4(false, NULL, 0);
	struct bpf_tunnel_key k4 = tkey(false), k6 = tkey(true), b4 = tkey_back(false),
			      b6 = tkey_back(true), k;
	const char *what = "tunnel";
	struct io io;

	/* no metadata: the key cleared, errors */
	static const struct {
		__u32 size;
		__u64 flags;
	} none[] = {{44, 0}, {44, BPF_F_TUNINFO_IPV6}, {28, 0}, {8, 0}, {44, 0x100}, {30, 0}};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		io = tio(T_GET, 44, 0, none[i].size, none[i].flags, 4, 4);
		run("tc_tunnel", &io, &t, sizeof(t));
		WANT_RUN(TC_ACT_OK);
		WANT_OUT(0, -EINVAL);
		CHECK(all(r.io.buf, none[i].size, 0) && all(r.io.buf + none[i].size, 8, 0xaa),
		      "get_tunnel_key(%u) without metadata clears the key", none[i].size);
	}
	io = tio(T_GET_OPT, 44, 0, 44, 0, 4, 16);
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(4, -ENOENT);
	CHECK(all(r.io.buf + 256, 16, 0) && all(r.io.buf + 272, 8, 0xaa), "get_tunnel_opt clears");
	io = tio(T_OPT_FIRST, 44, 0, 44, 0, 4, 16);
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(6, -EINVAL);

	/* IPv4 set and got back: the addresses swapped; IPv6 asked: -EPROTO */
	io = tio(T_SET | T_GET2 | T_GET_FLAGS, 44, 0, 44, 0, 4, 4);
	memcpy(io.in, &k4, sizeof(k4));
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(1, 0);
	WANT_OUT(2, 0);
	WANT_OUT(5, 0);
	CHECK(!memcmp(r.io.buf + 64, &b4, sizeof(b4)), "get_tunnel_key after an IPv4 set");
	b4.tunnel_flags = htons(0x2005); /* TUNNEL_NOCACHE | TUNNEL_KEY | TUNNEL_CSUM */
	CHECK(!memcmp(r.io.buf + 128, &b4, sizeof(b4)), "the flags after an IPv4 set: 0x%04x",
	      ntohs(((struct bpf_tunnel_key *)(r.io.buf + 128))->tunnel_flags));
	b4.tunnel_flags = 0;
	io.arg[4] = BPF_F_TUNINFO_IPV6;
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(2, -EPROTO);
	WANT_OUT(5, -EPROTO);
	CHECK(all(r.io.buf + 64, 44, 0), "-EPROTO clears the key");

	/* every set flag: DONT_FRAGMENT, SEQ, no CSUM, no KEY */
	io = tio(T_SET | T_GET_FLAGS, 44,
		 BPF_F_ZERO_CSUM_TX | BPF_F_DONT_FRAGMENT | BPF_F_SEQ_NUMBER | BPF_F_NO_TUNNEL_KEY,
		 44, 0, 4, 4);
	memcpy(io.in, &k4, sizeof(k4));
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(1, 0);
	WANT_OUT(5, 0);
	k = *(struct bpf_tunnel_key *)(r.io.buf + 128);
	CHECK(k.tunnel_flags == htons(0x2108), "flags 0x%04x, the kernel gives 0x2108",
	      ntohs(k.tunnel_flags));

	/* IPv6 with options: the label cut to 20 bits, the option bits */
	io = tio(T_SET | T_GET2 | T_SET_OPT | T_GET_OPT | T_GET_FLAGS, 44, BPF_F_TUNINFO_IPV6, 44,
		 BPF_F_TUNINFO_IPV6, 8, 16);
	memcpy(io.in, &k6, sizeof(k6));
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(1, 0);
	WANT_OUT(2, 0);
	WANT_OUT(3, 0);
	WANT_OUT(4, 8);
	WANT_OUT(5, 0);
	CHECK(!memcmp(r.io.buf + 64, &b6, sizeof(b6)), "get_tunnel_key after an IPv6 set");
	k = *(struct bpf_tunnel_key *)(r.io.buf + 128);
	CHECK(k.tunnel_flags == htons(0xf805), "flags with options 0x%04x, the kernel gives 0xf805",
	      ntohs(k.tunnel_flags));
	CHECK(!memcmp(r.io.buf + 256, io.in, 8) && all(r.io.buf + 264, 8, 0) &&
		      all(r.io.buf + 272, 8, 0xaa),
	      "get_tunnel_opt: the options, then zeros");
	/* IPv4 asked of an IPv6 key; the 8-byte layout of an IPv6 key */
	io.arg[4] = 0;
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(2, -EPROTO);
	io.arg[4] = BPF_F_TUNINFO_IPV6;
	io.arg[3] = 8;
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(2, -EINVAL);
	CHECK(all(r.io.buf + 64, 8, 0), "-EINVAL clears the key");

	/* options: sizes */
	static const struct {
		__u32 osize, gosize;
		int set, get;
	} o[] = {
		{4, 4, 0, 4},
		{252, 256, 0, 252},
		{6, 16, -EINVAL, -ENOENT},
		{256, 16, -ENOMEM, -ENOENT},
		{16, 8, 0, -ENOMEM},
		{16, 16, 0, 16},
	};
	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		io = tio(T_SET | T_SET_OPT | T_GET_OPT, 44, 0, 44, 0, o[i].osize, o[i].gosize);
		memcpy(io.in, &k4, sizeof(k4));
		run("tc_tunnel", &io, &t, sizeof(t));
		CHECK(r.io.out[3] == o[i].set && r.io.out[4] == o[i].get,
		      "set_tunnel_opt(%u), get_tunnel_opt(%u): %lld %lld, the kernel gives %d %d",
		      o[i].osize, o[i].gosize, (long long)r.io.out[3], (long long)r.io.out[4],
		      o[i].set, o[i].get);
		if (o[i].get > 0)
			CHECK(!memcmp(r.io.buf + 256, io.in, o[i].osize) &&
				      all(r.io.buf + 256 + o[i].osize, o[i].gosize - o[i].osize, 0),
			      "get_tunnel_opt(%u): the options", o[i].gosize);
		else
			CHECK(all(r.io.buf + 256, o[i].gosize, 0),
			      "a failed get_tunnel_opt clears");
	}
	/* a second set_tunnel_key drops the options */
	io = tio(T_SET | T_SET_OPT | T_SET2 | T_GET_OPT | T_GET_FLAGS, 44, 0, 44, 0, 8, 8);
	memcpy(io.in, &k4, sizeof(k4));
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(3, 0);
	WANT_OUT(4, -ENOENT);
	k = *(struct bpf_tunnel_key *)(r.io.buf + 128);
	CHECK(k.tunnel_flags == htons(0x2005), "flags after a second set 0x%04x",
	      ntohs(k.tunnel_flags));

	/* what set_tunnel_key refuses */
	static const struct {
		__u32 size;
		__u64 flags;
		__u32 label;
		__u16 ext;
		int ret;
	} sk[] = {
		{44, 0, 1, 0, -EINVAL},
		{44, 0, 0, 1, -EINVAL},
		{44, BPF_F_TUNINFO_IPV6, 0, 1, -EINVAL},
		{44, BPF_F_TUNINFO_IPV6, 1, 0, 0},
		{44, 1ull << 5, 0, 0, -EINVAL},
		{30, 0, 0, 0, -EINVAL},
		{43, 0, 0, 0, -EINVAL},
		{28, 0, 0, 0, 0},
		{24, 0, 0, 0, 0},
		{22, 0, 0, 0, 0},
		{8, 0, 0, 0, 0},
		{22, 0, 1, 0, 0}, /* the label is past 22 bytes: not read */
	};
	for (size_t i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
		io = tio(T_SET | T_GET2, sk[i].size, sk[i].flags, 44, sk[i].flags & 1, 4, 4);
		k = k4;
		k.tunnel_label = sk[i].label;
		k.tunnel_ext = sk[i].ext;
		memcpy(io.in, &k, sizeof(k));
		run("tc_tunnel", &io, &t, sizeof(t));
		CHECK(r.io.out[1] == sk[i].ret,
		      "set_tunnel_key(size %u, flags 0x%llx, label %u, ext %u): %lld, the kernel "
		      "gives %d",
		      sk[i].size, (unsigned long long)sk[i].flags, sk[i].label, sk[i].ext,
		      (long long)r.io.out[1], sk[i].ret);
		WANT_OUT(2, sk[i].ret ? -EINVAL : 0);
		if (sk[i].ret || sk[i].flags)
			continue;
		/* what an older layout leaves out reads back as 0 */
		k = b4;
		if (sk[i].size <= 8) {
			k.tunnel_tos = k.tunnel_ttl = 0;
			k.remote_ipv4 = 0;
		}
		if (sk[i].size <= 28)
			k.remote_ipv4 = 0;
		CHECK(!memcmp(r.io.buf + 64, &k, sizeof(k)), "get after a %u-byte set", sk[i].size);
	}
	/* the older layouts from get_tunnel_key */
	static const __u32 gs[] = {8, 22, 24, 28, 44};
	for (size_t i = 0; i < sizeof(gs) / sizeof(gs[0]); i++) {
		io = tio(T_SET | T_GET2, 44, 0, gs[i], 0, 4, 4);
		memcpy(io.in, &k4, sizeof(k4));
		run("tc_tunnel", &io, &t, sizeof(t));
		WANT_OUT(2, 0);
		CHECK(!memcmp(r.io.buf + 64, &b4, gs[i]) && all(r.io.buf + 64 + gs[i], 4, 0xaa),
		      "get_tunnel_key(%u)", gs[i]);
	}

	/* the metadata stays with the skb over repeats, not to the next run */
	io = tio(T_GET | T_SET, 44, 0, 44, 0, 4, 4);
	memcpy(io.in, &k4, sizeof(k4));
	run_ctx("tc_tunnel", &io, &t, sizeof(t), NULL, 0, 2);
	WANT_OUT(0, 0);
	CHECK(!memcmp(r.io.buf, &b4, sizeof(b4)), "the key the first repeat set");
	io = tio(T_GET, 44, 0, 44, 0, 4, 4);
	run("tc_tunnel", &io, &t, sizeof(t));
	WANT_OUT(0, -EINVAL);

	/* LWT_XMIT */
	memcpy(io.in, &k4, sizeof(k4));
	run("lwt_tunnel", &io, &t, sizeof(t));
	WANT_RUN(BPF_OK);
	WANT_OUT(0, 0);
	WANT_OUT(1, 0);
	CHECK(!memcmp(r.io.buf, &b4, sizeof(b4)), "lwt_xmit: the key back");
}

/* ---- the rest: no xfrm state, no socket to assign, no unix or mptcp
 * socket ---- */

/* bpf_skb_get_xfrm_state: a test run's skb has no security path: -EINVAL,
 * size bytes of the state zeroed; bpf_sk_assign of the test run's socket:
 * -EINVAL for flags, else -EOPNOTSUPP (the run is not at tc ingress);
 * bpf_skc_to_unix_sock and bpf_skc_to_mptcp_sock: NULL (an AF_INET socket
 * of no protocol). */
static void misc(void)
{
	struct tcp4 t = mk4(false, NULL, 0);
	const char *what = "misc";
	static const struct {
		__u32 index, size;
		__u64 flags;
	} x[] = {{0, 24, 0}, {0, 10, 0}, {1, 24, 1}, {0, 64, 0}};
	struct io io;

	for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		io = args(x[i].index, x[i].size, x[i].flags, 0);
		run("tc_xfrm", &io, &t, sizeof(t));
		WANT_RUN(TC_ACT_OK);
		WANT_OUT(0, -EINVAL);
		CHECK(all(r.io.buf, x[i].size, 0) && all(r.io.buf + x[i].size, 8, 0xaa),
		      "get_xfrm_state(%u) clears", x[i].size);
	}
	io = args(0, 0, 0, 0);
	run("tc_sk", &io, &t, sizeof(t));
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(7, 0);
	WANT_OUT(0, -EOPNOTSUPP);
	WANT_OUT(1, 0);
	WANT_OUT(2, 0);
	io = args(1, 0, 0, 0);
	run("tc_sk", &io, &t, sizeof(t));
	WANT_OUT(0, -EINVAL);

	/* bpf_skb_adjust_room of a GSO skb (gso_size from ctx_in): the test
	 * run's has no GSO type, neither TCP nor UDP: -ENOTSUPP once the
	 * arguments pass (bpf_check_mtu's BPF_MTU_CHK_SEGS counts on it) */
	static const struct {
		int diff;
		__u32 mode;
		__u64 flags;
		int gso, ret;
	} a[] = {
		{8, 0, 0, 1, -ENOTSUPP},
		{-8, 0, 0, 1, -ENOTSUPP},
		{0, 0, 0, 1, -ENOTSUPP},
		{8, 1, 0, 1, -ENOTSUPP},
		{-8, 0, 1 << 12, 1, -EINVAL},
		{-8, 0, 2, 1, -EINVAL},
		{8, 0, 1 << 7, 1, -EINVAL},
		{8, 5, 0, 1, -ENOTSUPP},
		{5000, 0, 0, 1, -EFAULT},
		{3000, 0, 0, 1, -ENOTSUPP},
		{0, 0, 0, 0, 0},
		{8, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		struct __sk_buff ctx = {.gso_size = (__u32)(a[i].gso * 100), .gso_segs = 1};

		io = args((__u32)a[i].diff, a[i].mode, a[i].flags, 0);
		run_ctx("tc_room", &io, &t, sizeof(t), &ctx, sizeof(ctx), 0);
		WANT_RUN(TC_ACT_OK);
		CHECK(r.io.out[0] == a[i].ret,
		      "adjust_room(%d, %u, 0x%llx)%s: %lld, the kernel gives %d", a[i].diff,
		      a[i].mode, (unsigned long long)a[i].flags, a[i].gso ? " of a GSO skb" : "",
		      (long long)r.io.out[0], a[i].ret);
	}
}

/* ---- raw SYN cookies ---- */

/* The cookie is keyed with a secret the kernel picks at boot: only bpfhost
 * can check bpfhost's and only the kernel the kernel's, so what is
 * compared is the MSS the cookie encodes (the high 32 bits: the largest
 * entry of the kernel's table no larger than the SYN's MSS option, 536 or
 * 1220 without one), the argument errors, that the ACK answering the SYN
 * passes (0) and one with another cookie fails (-EACCES). */
static void cookies(void)
{
	static const unsigned char mss1460[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
	static const struct {
		bool v6;
		__u16 mss; /* 0: no option; 1: a broken one */
		int thlen;
		__s64 ret; /* < 0: the error; else the MSS */
	} c[] = {
		{false, 1460, 28, 1460},    {false, 1300, 28, 1300},   {false, 1439, 28, 1300},
		{false, 9000, 28, 1460},    {false, 600, 28, 536},     {false, 100, 28, 536},
		{false, 0, 20, 536},	    {false, 1, 28, 536},       {false, 1460, 20, -EINVAL},
		{false, 1460, 32, -EINVAL}, {false, 1460, 0, -EINVAL}, {false, 1460, 19, -EINVAL},
		{true, 1460, 28, 1440},	    {true, 9000, 28, 8940},    {true, 1420, 28, 1420},
		{true, 1300, 28, 1220},	    {true, 0, 20, 1220},       {true, 1460, 24, -EINVAL},
	};
	const char *what = "cookie";

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned char opt[8];
		struct io io = args((__u32)c[i].thlen, 0, c[i].v6, 0);
		struct tcp4 f4;
		struct tcp6 f6;

		memcpy(opt, mss1460, sizeof(opt));
		opt[2] = (unsigned char)(c[i].mss >> 8);
		opt[3] = (unsigned char)c[i].mss;
		if (c[i].mss == 1)
			opt[1] = 12; /* longer than the options */
		f4 = mk4(true, opt, c[i].mss ? 8 : 0);
		f6 = mk6(opt, c[i].mss ? 8 : 0);
		if (c[i].v6)
			run("xdp_cookie", &io, &f6, sizeof(f6));
		else
			run("xdp_cookie", &io, &f4, sizeof(f4));
		WANT_RUN(XDP_PASS);
		if (c[i].ret < 0) {
			CHECK(r.io.out[0] == c[i].ret, "case %zu: gen: %lld, the kernel gives %lld",
			      i, (long long)r.io.out[0], (long long)c[i].ret);
			continue;
		}
		CHECK(r.io.out[0] >> 32 == c[i].ret && r.io.out[1] == 0 && r.io.out[2] == -EACCES,
		      "case %zu: gen: MSS %lld, check %lld, check of another cookie %lld; the "
		      "kernel gives %lld 0 %d",
		      i, (long long)(r.io.out[0] >> 32), (long long)r.io.out[1],
		      (long long)r.io.out[2], (long long)c[i].ret, -EACCES);
	}
	/* tc */
	struct tcp4 f = mk4(true, NULL, 0);
	struct io io = args(0, 0, 0, 0);

	run("tc_cookie", &io, &f, sizeof(f));
	WANT_RUN(TC_ACT_OK);
	WANT_OUT(1, 0);
	CHECK(r.io.out[0] >> 32 == 536, "tc: MSS %lld", (long long)(r.io.out[0] >> 32));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_pkthelpers OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj_path = argv[1];
	get("tc_mtu");
	if (skipped)
		return 0;
	xdp_load();
	xdp_store();
	xdp_mtu();
	tc_mtu();
	redirects();
	tstamp();
	cgroups();
	tunnel();
	misc();
	cookies();
	for (int i = 0; i < prog_cnt; i++)
		bpf_object__close(progs[i].obj);
	return TEST_DONE();
}
