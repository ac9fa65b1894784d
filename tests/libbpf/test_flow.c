/* BPF_PROG_TYPE_FLOW_DISSECTOR programs (tests/bpf/flow.bpf.c) loaded by
 * Debian's libbpf and run with bpf_prog_test_run_opts: the flow keys a
 * dissector fills for TCP and UDP over IPv4 and IPv6, VLAN tags, IPv4
 * options, fragments, IPIP and IPv6 extension headers, and for truncated or
 * unknown packets; a dissector split over a PROG_ARRAY; what the test run
 * gives a program (fresh keys each run, no skb for bpf_skb_load_bytes, the
 * bounds put on nhoff and thoff after it); and the argument rules of the
 * kernel's bpf_prog_test_run_flow_dissector. The keys come back as data_out
 * and are checked byte for byte against values worked out by hand from the
 * packet built here. Every expected value is what Linux 6.18 gives; the same
 * source with -DKERNEL_BACKEND runs the same checks against the kernel.
 * Usage: test_flow OBJ */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

#define KEYS_LEN ((__u32)sizeof(struct bpf_flow_keys)) /* 56: what data_out gets */
#define PKT_MAX 4200				       /* room past the 4096 limit */
#define OUT_MAX 256
#define PAGE 4096 /* the kernel's PAGE_SIZE on x86-64: the largest packet */

/* Addresses in the test packets: 10.0.0.1 -> 10.0.0.2 outside, 192.168.0.1
 * -> 192.168.0.2 inside an IPIP tunnel, 2001:db8::N for IPv6 */
#define A1 0x0a000001
#define A2 0x0a000002
#define B1 0xc0a80001
#define B2 0xc0a80002
/* clang-format off */
#define V6(n) {htonl(0x20010db8), 0, 0, htonl(n)}
/* clang-format on */

/* A packet under construction: its bytes, and where the headers are whose
 * length fields done() fills in (0: none) */
struct pkt {
	unsigned char b[PKT_MAX];
	__u32 len;
	__u32 ip4_at[3], ip6_at, udp_at;
};

/* one program (or a group sharing a PROG_ARRAY), loaded from its own copy of
 * the object, only they autoloaded */
struct loaded {
	const char *name;
	struct bpf_object *obj; /* NULL: it did not load */
	int prog_fd;
};

static const char *obj_path;
static struct loaded progs[16];
static int prog_cnt;
static bool skipped; /* the kernel refused for want of privilege */

/* what the last run gave */
static struct {
	int err;
	__u32 retval, size_out, ctx_size_out, duration;
	unsigned char out[OUT_MAX];
	unsigned char ctx[OUT_MAX];
} r;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The object at obj_path with the programs in names (NULL-terminated)
 * loaded, the first one's fd in ->prog_fd; NULL (a failed check recorded
 * once) if they do not load. */
static const struct loaded *load(const char *const *names)
{
	struct loaded *l;
	struct bpf_program *p;
	int err, found = 0;

	for (int i = 0; i < prog_cnt; i++)
		if (!strcmp(progs[i].name, names[0]))
			return progs[i].obj ? &progs[i] : NULL;
	if (prog_cnt == (int)(sizeof(progs) / sizeof(progs[0])))
		return NULL;
	l = &progs[prog_cnt++];
	memset(l, 0, sizeof(*l));
	l->name = names[0];
	l->obj = bpf_object__open_file(obj_path, NULL);
	CHECK(l->obj != NULL, "open %s: %s", obj_path, strerror(errno));
	if (!l->obj)
		return NULL;
	bpf_object__for_each_program(p, l->obj)
	{
		bool want = false;

		for (int i = 0; names[i]; i++)
			want |= !strcmp(bpf_program__name(p), names[i]);
		found += want;
		bpf_program__set_autoload(p, want);
	}
	CHECK(names[found] == NULL, "%s: not every program found", names[0]);
	err = names[found] == NULL ? test_load_object(l->obj) : -1;
	if (err) {
		skipped |= err > 0;
		printf("program %s did not load\n", names[0]);
		bpf_object__close(l->obj);
		l->obj = NULL;
		return NULL;
	}
	l->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(l->obj, names[0]));
	return l;
}

static const struct loaded *get(const char *name)
{
	const char *names[] = {name, NULL};

	return load(names);
}

/* Runs o (its data_out and ctx_out pointing into r, filled with 0xee
 * first, so what the run did not write shows) through prog_fd */
static void run_opts(int prog_fd, struct bpf_test_run_opts *o)
{
	memset(r.out, 0xee, sizeof(r.out));
	memset(r.ctx, 0xee, sizeof(r.ctx));
	r.err = bpf_prog_test_run_opts(prog_fd, o);
	r.retval = o->retval;
	r.size_out = o->data_size_out;
	r.ctx_size_out = o->ctx_size_out;
	r.duration = o->duration;
}

/* Runs prog once on p; with flags nonzero, ctx_in is a struct
 * bpf_flow_keys holding only them */
static void run(const char *prog, const struct pkt *p, __u32 flags)
{
	const struct loaded *l = get(prog);
	struct bpf_flow_keys keys = {.flags = flags};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p->b, .data_size_in = p->len,
		    .data_out = r.out, .data_size_out = sizeof(r.out),
		    .ctx_in = flags ? &keys : NULL, .ctx_size_in = flags ? sizeof(keys) : 0);

	if (!l) {
		memset(&r, 0, sizeof(r));
		r.err = -ENOENT;
		return;
	}
	run_opts(l->prog_fd, &o);
}

/* Every field of struct bpf_flow_keys, for the report of a difference */
#define FIELD(f)                                                                                   \
	{                                                                                          \
#f, offsetof(struct bpf_flow_keys, f), sizeof(((struct bpf_flow_keys *)0)->f)      \
	}
static const struct {
	const char *name;
	size_t off, size;
} fields[] = {
	FIELD(nhoff),	      FIELD(thoff),	  FIELD(addr_proto),  FIELD(is_frag),
	FIELD(is_first_frag), FIELD(is_encap),	  FIELD(ip_proto),    FIELD(n_proto),
	FIELD(sport),	      FIELD(dport),	  FIELD(ipv6_src[0]), FIELD(ipv6_src[1]),
	FIELD(ipv6_src[2]),   FIELD(ipv6_src[3]), FIELD(ipv6_dst[0]), FIELD(ipv6_dst[1]),
	FIELD(ipv6_dst[2]),   FIELD(ipv6_dst[3]), FIELD(flags),	      FIELD(flow_label),
};

static __u32 field(const void *keys, size_t i)
{
	__u32 v = 0;

	memcpy(&v, (const unsigned char *)keys + fields[i].off, fields[i].size);
	return v;
}

/* keys (KEYS_LEN bytes at got) are want; each differing field printed (as
 * stored: network-order fields print byte-swapped) */
static void check_keys(const char *what, const void *got, const struct bpf_flow_keys *want)
{
	if (!memcmp(got, want, KEYS_LEN))
		return;
	printf("%s: the keys differ:\n", what);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (field(got, i) != field(want, i))
			printf("  %s = 0x%x, the kernel gives 0x%x\n", fields[i].name,
			       field(got, i), field(want, i));
	test_failures++;
}

/* The last run succeeded with want_ret and gave want as the keys, exactly
 * KEYS_LEN bytes of data_out (the rest left alone) */
static void check_run(const char *what, __u32 want_ret, const struct bpf_flow_keys *want)
{
	CHECK(r.err == 0 && r.retval == want_ret && r.size_out == KEYS_LEN,
	      "%s: err %d retval %u data_size_out %u, the kernel gives 0 %u %u", what, r.err,
	      r.retval, r.size_out, want_ret, KEYS_LEN);
	check_keys(what, r.out, want);
	CHECK(r.out[KEYS_LEN] == 0xee && r.out[sizeof(r.out) - 1] == 0xee,
	      "%s: data_out written past the keys", what);
}

/* prog run on p with flags gives want_ret and the keys want (with flags:
 * no program here changes them) */
static void expect(const char *what, const char *prog, const struct pkt *p, __u32 flags,
		   __u32 want_ret, struct bpf_flow_keys want)
{
	want.flags = flags;
	run(prog, p, flags);
	check_run(what, want_ret, &want);
}

/* The ones' complement checksum of len bytes at b */
static __u16 csum(const unsigned char *b, size_t len)
{
	__u32 sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (__u32)(b[i] << 8 | b[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* n bytes appended to p (zeros, or a copy of src), their start returned */
static unsigned char *put(struct pkt *p, const void *src, __u32 n)
{
	unsigned char *at = p->b + p->len;

	if (p->len + n > PKT_MAX) {
		CHECK(0, "packet too long");
		return p->b;
	}
	if (src)
		memcpy(at, src, n);
	else
		memset(at, 0, n);
	p->len += n;
	return at;
}

static void put16(unsigned char *at, __u16 v)
{
	at[0] = (unsigned char)(v >> 8);
	at[1] = (unsigned char)v;
}

static void put32(unsigned char *at, __u32 v)
{
	put16(at, (__u16)(v >> 16));
	put16(at + 2, (__u16)v);
}

/* Starts p: 02:00:00:00:00:01 to 02:00:00:00:00:02, EtherType type */
static void eth(struct pkt *p, __u16 type)
{
	static const unsigned char macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};

	memset(p, 0, sizeof(*p));
	put(p, macs, sizeof(macs));
	put16(put(p, NULL, 2), type);
}

/* A VLAN tag with VLAN id vid and the EtherType type after it */
static void tag(struct pkt *p, __u16 vid, __u16 type)
{
	unsigned char *t = put(p, NULL, 4);

	put16(t, vid);
	put16(t + 2, type);
}

/* An IPv4 header, src to dst, with opt_len bytes of options (NOPs) and
 * frag_off as the flags/fragment offset field; tot_len and the checksum
 * filled in by done() */
static void ip4(struct pkt *p, __u8 proto, __u16 frag_off, __u32 opt_len, __u32 src, __u32 dst)
{
	unsigned char *h = put(p, NULL, 20);

	h[0] = (unsigned char)(0x40 | (5 + opt_len / 4));
	put16(h + 4, 0x1234); /* id */
	put16(h + 6, frag_off);
	h[8] = 64; /* ttl */
	h[9] = proto;
	put32(h + 12, src);
	put32(h + 16, dst);
	memset(put(p, NULL, opt_len), 1, opt_len); /* IPOPT_NOOP */
	for (int i = 0; i < 3; i++) {
		if (!p->ip4_at[i]) {
			p->ip4_at[i] = (__u32)(h - p->b);
			break;
		}
	}
}

/* An IPv6 header, 2001:db8::src to 2001:db8::dst, flow label label, traffic
 * class 0x28 (AF11, not part of the label); payload_len filled in by done() */
static void ip6(struct pkt *p, __u8 next, __u32 label, __u16 src, __u16 dst)
{
	unsigned char *h = put(p, NULL, 40);

	put32(h, 6u << 28 | 0x28u << 20 | label);
	h[6] = next;
	h[7] = 64; /* hop limit */
	put32(h + 8, 0x20010db8);
	put16(h + 22, src);
	put32(h + 24, 0x20010db8);
	put16(h + 38, dst);
	p->ip6_at = (__u32)(h - p->b);
}

/* An IPv6 options extension header (hop-by-hop, routing or destination
 * options) of (hdrlen + 1) * 8 bytes, padded with Pad1 */
static void ext6(struct pkt *p, __u8 next, __u8 hdrlen)
{
	unsigned char *h = put(p, NULL, (hdrlen + 1u) * 8);

	h[0] = next;
	h[1] = hdrlen;
}

/* An IPv6 fragment header: offset off8 (in 8-byte units), M set if more */
static void frag6(struct pkt *p, __u8 next, __u16 off8, int more)
{
	unsigned char *h = put(p, NULL, 8);

	h[0] = next;
	put16(h + 2, (__u16)(off8 << 3 | (more ? 1 : 0)));
	put32(h + 4, 0xabcd);
}

/* A TCP header, doff as given, with the (doff - 5) * 4 bytes of options it
 * announces (NOPs); an ACK, window 512 */
static void tcp(struct pkt *p, __u16 sport, __u16 dport, __u8 doff)
{
	unsigned char *h = put(p, NULL, 20);

	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, 1); /* seq */
	h[12] = (unsigned char)(doff << 4);
	h[13] = 0x10; /* ACK */
	put16(h + 14, 512);
	if (doff > 5)
		memset(put(p, NULL, (doff - 5u) * 4), 1, (doff - 5u) * 4);
}

/* A UDP header (length filled in by done()) */
static void udp(struct pkt *p, __u16 sport, __u16 dport)
{
	unsigned char *h = put(p, NULL, 8);

	put16(h, sport);
	put16(h + 2, dport);
	p->udp_at = (__u32)(h - p->b);
}

/* n bytes of payload */
static void payload(struct pkt *p, __u32 n)
{
	unsigned char *d = put(p, NULL, n);

	for (__u32 i = 0; i < n; i++)
		d[i] = (unsigned char)(0x40 + i);
}

/* The length fields and IPv4 checksums, for the packet as it now ends */
static void done(struct pkt *p)
{
	for (int i = 0; i < 3; i++) {
		unsigned char *h = p->b + p->ip4_at[i];

		if (!p->ip4_at[i])
			continue;
		put16(h + 2, (__u16)(p->len - p->ip4_at[i]));
		put16(h + 10, 0);
		put16(h + 10, csum(h, (h[0] & 15u) * 4));
	}
	if (p->ip6_at)
		put16(p->b + p->ip6_at + 4, (__u16)(p->len - p->ip6_at - 40));
	if (p->udp_at)
		put16(p->b + p->udp_at + 4, (__u16)(p->len - p->udp_at));
}

/* The packet cut to len bytes (after done(): the length fields claim more,
 * as in a truncated capture) */
static void cut(struct pkt *p, __u32 len)
{
	p->len = len;
}

/* TCP/IPv4, 10.0.0.1:40000 -> 10.0.0.2:80, 6 bytes of payload (60 bytes) */
static void tcp4(struct pkt *p)
{
	eth(p, ETH_P_IP);
	ip4(p, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(p, 40000, 80, 5);
	payload(p, 6);
	done(p);
}

/* IPv4: TCP and UDP, options, IPIP, a protocol without ports */
static void dissect_ipv4(void)
{
	struct pkt p;

	/* 14 + 20 + 20 + 6: the network header at 14, the transport at 34 */
	tcp4(&p);
	expect("TCP/IPv4", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(40000),
				      .dport = htons(80),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* UDP 5353 -> 53 with 18 bytes of payload: 14 + 20 + 8 + 18 */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0, 0, A2, A1);
	udp(&p, 5353, 53);
	payload(&p, 18);
	done(&p);
	expect("UDP/IPv4", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(5353),
				      .dport = htons(53),
				      .ipv4_src = htonl(A2),
				      .ipv4_dst = htonl(A1)});

	/* 4 bytes of options (ihl 6): the transport at 14 + 24 = 38 */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 4, A1, A2);
	tcp(&p, 1234, 443, 5);
	done(&p);
	expect("TCP/IPv4, 4 bytes of options", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 38,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(1234),
				      .dport = htons(443),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* the most options there are (ihl 15, 40 bytes) and a TCP header with
	 * 12 bytes of options (doff 8): the transport at 14 + 60 = 74 */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 40, A1, A2);
	tcp(&p, 22, 50000, 8);
	done(&p);
	expect("TCP/IPv4, ihl 15, doff 8", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 74,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(22),
				      .dport = htons(50000),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* ICMP: a flow by addresses alone, no ports */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_ICMP, 0, 0, A1, A2);
	payload(&p, 8);
	done(&p);
	expect("ICMP/IPv4", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_ICMP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* IPIP: the inner header at 34 becomes the network header, the inner
	 * TCP at 54 the transport, the inner addresses the flow's */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_IPIP, 0, 0, A1, A2);
	ip4(&p, IPPROTO_TCP, 0, 0, B1, B2);
	tcp(&p, 40001, 8080, 5);
	done(&p);
	expect("IPIP, TCP inside", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 34,
				      .thoff = 54,
				      .addr_proto = ETH_P_IP,
				      .is_encap = 1,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(40001),
				      .dport = htons(8080),
				      .ipv4_src = htonl(B1),
				      .ipv4_dst = htonl(B2)});
	/* ... and with BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP, the outer header */
	expect("IPIP, STOP_AT_ENCAP", "dissect", &p, BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .is_encap = 1,
				      .ip_proto = IPPROTO_IPIP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* IPIP in IPIP: the dissector follows one layer, the second inner
	 * header (at 54) is left as the transport */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_IPIP, 0, 0, A1, A2);
	ip4(&p, IPPROTO_IPIP, 0, 0, B1, B2);
	ip4(&p, IPPROTO_UDP, 0, 0, A2, B2);
	udp(&p, 1, 2);
	done(&p);
	expect("IPIP in IPIP", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 34,
				      .thoff = 54,
				      .addr_proto = ETH_P_IP,
				      .is_encap = 1,
				      .ip_proto = IPPROTO_IPIP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(B1),
				      .ipv4_dst = htonl(B2)});

	/* a packet of the largest size, 4096 bytes */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0, 0, A1, A2);
	udp(&p, 7, 9);
	payload(&p, PAGE - 42);
	done(&p);
	expect("UDP/IPv4, 4096 bytes", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(7),
				      .dport = htons(9),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});
}

/* IPv4 fragments: is_frag for all, is_first_frag for the one at offset 0,
 * ports only from that one and only with BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG */
static void fragments4(void)
{
	const __u32 parse = BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG;
	struct bpf_flow_keys frag = {.nhoff = 14,
				     .thoff = 34,
				     .addr_proto = ETH_P_IP,
				     .is_frag = 1,
				     .ip_proto = IPPROTO_UDP,
				     .n_proto = htons(ETH_P_IP),
				     .ipv4_src = htonl(A1),
				     .ipv4_dst = htonl(A2)};
	struct bpf_flow_keys first = frag;
	struct pkt p;

	first.is_first_frag = 1;

	/* the first fragment: MF, offset 0 */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0x2000, 0, A1, A2);
	udp(&p, 4000, 4001);
	payload(&p, 32);
	done(&p);
	expect("IPv4 first fragment", "dissect", &p, 0, BPF_OK, first);
	first.sport = htons(4000);
	first.dport = htons(4001);
	expect("IPv4 first fragment, PARSE_1ST_FRAG", "dissect", &p, parse, BPF_OK, first);

	/* a middle fragment: MF, offset 5 (40 bytes); its first bytes are not
	 * a UDP header, whatever they look like */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0x2000 | 5, 0, A1, A2);
	udp(&p, 4000, 4001);
	done(&p);
	expect("IPv4 middle fragment", "dissect", &p, 0, BPF_OK, frag);
	expect("IPv4 middle fragment, PARSE_1ST_FRAG", "dissect", &p, parse, BPF_OK, frag);

	/* the last fragment: no MF, offset 185 (1480 bytes) */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 185, 0, A1, A2);
	payload(&p, 20);
	done(&p);
	expect("IPv4 last fragment", "dissect", &p, parse, BPF_OK, frag);

	/* DF is not a fragment */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0x4000, 0, A1, A2);
	udp(&p, 4000, 4001);
	done(&p);
	expect("IPv4 DF", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(4000),
				      .dport = htons(4001),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});
}

/* IPv6: TCP and UDP, the flow label, extension headers, fragments */
static void dissect_ipv6(void)
{
	const __u32 parse = BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG;
	struct bpf_flow_keys frag = {.nhoff = 14,
				     .thoff = 62,
				     .addr_proto = ETH_P_IPV6,
				     .is_frag = 1,
				     .ip_proto = IPPROTO_UDP,
				     .n_proto = htons(ETH_P_IPV6),
				     .ipv6_src = V6(1),
				     .ipv6_dst = V6(2)};
	struct bpf_flow_keys first = frag;
	struct pkt p;

	/* 14 + 40 + 20: the transport at 54 */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_TCP, 0, 1, 2);
	tcp(&p, 40000, 80, 5);
	done(&p);
	expect("TCP/IPv6", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 54,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IPV6),
				      .sport = htons(40000),
				      .dport = htons(80),
				      .ipv6_src = V6(1),
				      .ipv6_dst = V6(2)});

	/* flow label 0x12345 (network order in the keys, without the traffic
	 * class); with BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL the dissector
	 * stops there, before the ports */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_UDP, 0x12345, 2, 1);
	udp(&p, 53, 5353);
	payload(&p, 10);
	done(&p);
	expect("UDP/IPv6, flow label", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 54,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IPV6),
				      .sport = htons(53),
				      .dport = htons(5353),
				      .ipv6_src = V6(2),
				      .ipv6_dst = V6(1),
				      .flow_label = htonl(0x12345)});
	expect("UDP/IPv6, flow label, STOP_AT_FLOW_LABEL", "dissect", &p,
	       BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 54,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IPV6),
				      .ipv6_src = V6(2),
				      .ipv6_dst = V6(1),
				      .flow_label = htonl(0x12345)});

	/* hop-by-hop (8 bytes), then destination options (16), then TCP at
	 * 54 + 24 = 78 */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_HOPOPTS, 0, 1, 2);
	ext6(&p, IPPROTO_DSTOPTS, 0);
	ext6(&p, IPPROTO_TCP, 1);
	tcp(&p, 443, 60000, 5);
	done(&p);
	expect("TCP/IPv6, hop-by-hop and destination options", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 78,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IPV6),
				      .sport = htons(443),
				      .dport = htons(60000),
				      .ipv6_src = V6(1),
				      .ipv6_dst = V6(2)});

	/* five extension headers: more than the dissector looks through (4),
	 * dropped after the fourth, the transport then at 54 + 4 * 8 = 86 */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_HOPOPTS, 0, 1, 2);
	ext6(&p, IPPROTO_DSTOPTS, 0);
	ext6(&p, IPPROTO_ROUTING, 0);
	ext6(&p, IPPROTO_DSTOPTS, 0);
	ext6(&p, IPPROTO_DSTOPTS, 0);
	ext6(&p, IPPROTO_TCP, 0);
	tcp(&p, 1, 2, 5);
	done(&p);
	expect("IPv6, five extension headers", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 86,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_DSTOPTS,
				      .n_proto = htons(ETH_P_IPV6),
				      .ipv6_src = V6(1),
				      .ipv6_dst = V6(2)});

	/* a 2048-byte hop-by-hop header (hdrlen 255): TCP at 54 + 2048 = 2102,
	 * beyond the 1024 bytes the dissector reads; thoff stays there */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_HOPOPTS, 0, 1, 2);
	ext6(&p, IPPROTO_TCP, 255);
	tcp(&p, 1, 2, 5);
	done(&p);
	expect("IPv6, TCP past 1024 bytes", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 2102,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IPV6),
				      .ipv6_src = V6(1),
				      .ipv6_dst = V6(2)});

	/* a hop-by-hop header claiming 88 bytes (hdrlen 10) with 8 there: the
	 * dissector leaves thoff at 54 + 88 = 142, the kernel bounds it by
	 * the packet's 62 bytes */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_HOPOPTS, 0, 1, 2);
	ext6(&p, IPPROTO_TCP, 0);
	done(&p);
	p.b[55] = 10;
	expect("IPv6, hop-by-hop past the end", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 62,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IPV6),
				      .ipv6_src = V6(1),
				      .ipv6_dst = V6(2)});

	/* fragments: the fragment header (8 bytes) puts the transport at 62 */
	first.is_first_frag = 1;
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_FRAGMENT, 0, 1, 2);
	frag6(&p, IPPROTO_UDP, 0, 1);
	udp(&p, 4000, 4001);
	payload(&p, 16);
	done(&p);
	expect("IPv6 first fragment", "dissect", &p, 0, BPF_OK, first);
	first.sport = htons(4000);
	first.dport = htons(4001);
	expect("IPv6 first fragment, PARSE_1ST_FRAG", "dissect", &p, parse, BPF_OK, first);

	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_FRAGMENT, 0, 1, 2);
	frag6(&p, IPPROTO_UDP, 3, 0);
	udp(&p, 4000, 4001);
	done(&p);
	expect("IPv6 last fragment, PARSE_1ST_FRAG", "dissect", &p, parse, BPF_OK, frag);
}

/* VLAN tags: nhoff and n_proto move past them */
static void dissect_vlan(void)
{
	struct pkt p;

	/* one 802.1Q tag: IPv4 at 18, TCP at 38 */
	eth(&p, ETH_P_8021Q);
	tag(&p, 100, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(&p, 40000, 80, 5);
	done(&p);
	expect("802.1Q, TCP/IPv4", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 18,
				      .thoff = 38,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .sport = htons(40000),
				      .dport = htons(80),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* 802.1AD then 802.1Q (QinQ): IPv6 at 22, UDP at 62 */
	eth(&p, ETH_P_8021AD);
	tag(&p, 10, ETH_P_8021Q);
	tag(&p, 20, ETH_P_IPV6);
	ip6(&p, IPPROTO_UDP, 0, 3, 4);
	udp(&p, 123, 123);
	payload(&p, 48);
	done(&p);
	expect("QinQ, UDP/IPv6", "dissect", &p, 0, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 22,
				      .thoff = 62,
				      .addr_proto = ETH_P_IPV6,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IPV6),
				      .sport = htons(123),
				      .dport = htons(123),
				      .ipv6_src = V6(3),
				      .ipv6_dst = V6(4)});

	/* three tags: the dissector looks through two and finds a third
	 * 802.1Q, a protocol it does not know */
	eth(&p, ETH_P_8021AD);
	tag(&p, 10, ETH_P_8021Q);
	tag(&p, 20, ETH_P_8021Q);
	tag(&p, 30, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(&p, 40000, 80, 5);
	done(&p);
	expect("three VLAN tags", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 22, .thoff = 22, .n_proto = htons(ETH_P_8021Q)});

	/* a tag cut short: 14 + 2 bytes */
	eth(&p, ETH_P_8021Q);
	tag(&p, 100, ETH_P_IP);
	cut(&p, 16);
	expect("802.1Q cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_8021Q)});
}

/* Packets the dissector drops: cut short, malformed, unknown. What it had
 * filled in before it gave up stays in the keys. */
static void malformed(void)
{
	struct pkt p;

	/* an unknown EtherType (ARP) */
	eth(&p, ETH_P_ARP);
	payload(&p, 28);
	expect("ARP", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_ARP)});

	/* nothing but the 14-byte Ethernet header */
	eth(&p, ETH_P_IP);
	expect("14 bytes, IPv4", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});
	eth(&p, 0x88b5); /* local experimental */
	expect("14 bytes, 0x88b5", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(0x88b5)});

	/* an IPv4 header cut after 10 bytes */
	tcp4(&p);
	cut(&p, 24);
	expect("IPv4 cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});

	/* the TCP header cut after 10 bytes: addresses and protocol known */
	tcp4(&p);
	cut(&p, 44);
	expect("TCP header cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* TCP announcing 12 bytes of options that are not there (doff 8 in a
	 * 20-byte header), and one with doff 4 */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(&p, 40000, 80, 8);
	done(&p);
	cut(&p, 54);
	expect("TCP options cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(&p, 40000, 80, 4);
	done(&p);
	expect("TCP doff 4", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_TCP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* UDP cut after 4 bytes */
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_UDP, 0, 0, A1, A2);
	udp(&p, 53, 53);
	done(&p);
	cut(&p, 38);
	expect("UDP header cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14,
				      .thoff = 34,
				      .addr_proto = ETH_P_IP,
				      .ip_proto = IPPROTO_UDP,
				      .n_proto = htons(ETH_P_IP),
				      .ipv4_src = htonl(A1),
				      .ipv4_dst = htonl(A2)});

	/* ihl 4, and ihl 6 with the options missing */
	tcp4(&p);
	p.b[14] = 0x44;
	expect("IPv4 ihl 4", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});
	eth(&p, ETH_P_IP);
	ip4(&p, IPPROTO_TCP, 0, 4, A1, A2);
	done(&p);
	cut(&p, 36);
	expect("IPv4 options cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});

	/* an IPv6 header behind the IPv4 EtherType, and the other way round */
	eth(&p, ETH_P_IP);
	ip6(&p, IPPROTO_TCP, 0, 1, 2);
	tcp(&p, 1, 2, 5);
	done(&p);
	expect("IPv6 header as IPv4", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});
	tcp4(&p);
	p.b[12] = 0x86;
	p.b[13] = 0xdd;
	payload(&p, 20);
	expect("IPv4 header as IPv6", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IPV6)});

	/* an IPv6 header cut after 30 bytes */
	eth(&p, ETH_P_IPV6);
	ip6(&p, IPPROTO_TCP, 0, 1, 2);
	done(&p);
	cut(&p, 44);
	expect("IPv6 cut short", "dissect", &p, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IPV6)});
}

/* The dissector in three programs: tail_entry takes the VLAN tags and
 * tail-calls the IPv4 or IPv6 program through jmp_table, filled here. The
 * keys carry over the tail call; an empty slot falls through to a drop. */
static void tail(void)
{
	static const char *const names[] = {"tail_entry", "tail_ipv4", "tail_ipv6", NULL};
	const struct loaded *l = load(names);
	struct bpf_flow_keys tcp_keys = {.nhoff = 18,
					 .thoff = 38,
					 .addr_proto = ETH_P_IP,
					 .ip_proto = IPPROTO_TCP,
					 .n_proto = htons(ETH_P_IP),
					 .sport = htons(40000),
					 .dport = htons(80),
					 .ipv4_src = htonl(A1),
					 .ipv4_dst = htonl(A2)};
	struct bpf_flow_keys udp_keys = {.nhoff = 14,
					 .thoff = 54,
					 .addr_proto = ETH_P_IPV6,
					 .ip_proto = IPPROTO_UDP,
					 .n_proto = htons(ETH_P_IPV6),
					 .sport = htons(546),
					 .dport = htons(547),
					 .ipv6_src = V6(1),
					 .ipv6_dst = V6(2)};
	struct pkt v4, v6;
	struct bpf_map *jmp;
	__u32 slot;
	int fd4, fd6, jmp_fd;

	if (!l)
		return;
	jmp = bpf_object__find_map_by_name(l->obj, "jmp_table");
	fd4 = bpf_program__fd(bpf_object__find_program_by_name(l->obj, "tail_ipv4"));
	fd6 = bpf_program__fd(bpf_object__find_program_by_name(l->obj, "tail_ipv6"));
	CHECK(jmp && fd4 >= 0 && fd6 >= 0, "tail: the map and programs");
	if (!jmp || fd4 < 0 || fd6 < 0)
		return;
	jmp_fd = bpf_map__fd(jmp);

	eth(&v4, ETH_P_8021Q);
	tag(&v4, 7, ETH_P_IP);
	ip4(&v4, IPPROTO_TCP, 0, 0, A1, A2);
	tcp(&v4, 40000, 80, 5);
	done(&v4);
	eth(&v6, ETH_P_IPV6);
	ip6(&v6, IPPROTO_UDP, 0, 1, 2);
	udp(&v6, 546, 547);
	payload(&v6, 4);
	done(&v6);

	/* both slots empty: the entry's work only */
	expect("tail: VLAN + IPv4, no slots", "tail_entry", &v4, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 18, .thoff = 18, .n_proto = htons(ETH_P_IP)});

	slot = 0;
	CHECK(bpf_map_update_elem(jmp_fd, &slot, &fd4, BPF_ANY) == 0, "tail: fill slot 0");
	expect("tail: VLAN + IPv4, IPv4 slot", "tail_entry", &v4, 0, BPF_OK, tcp_keys);
	expect("tail: IPv6, IPv4 slot only", "tail_entry", &v6, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IPV6)});

	slot = 1;
	CHECK(bpf_map_update_elem(jmp_fd, &slot, &fd6, BPF_ANY) == 0, "tail: fill slot 1");
	expect("tail: IPv6, both slots", "tail_entry", &v6, 0, BPF_OK, udp_keys);
	/* 1000 runs, a tail call in each: every run has its own tail call
	 * budget and fresh keys */
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = v4.b, .data_size_in = v4.len,
			    .data_out = r.out, .data_size_out = sizeof(r.out), .repeat = 1000);

		run_opts(l->prog_fd, &o);
		check_run("tail: VLAN + IPv4, repeat 1000", BPF_OK, &tcp_keys);
	}

	/* a tail call target run on its own: the kernel's nhoff (14), no VLAN */
	tcp_keys.nhoff = 14;
	tcp_keys.thoff = 34;
	tcp4(&v4);
	expect("tail: tail_ipv4 alone", "tail_ipv4", &v4, 0, BPF_OK, tcp_keys);

	slot = 0;
	CHECK(bpf_map_delete_elem(jmp_fd, &slot) == 0, "tail: empty slot 0");
	expect("tail: IPv4, slot emptied", "tail_entry", &v4, 0, BPF_DROP,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP)});
}

/* bpf_skb_load_bytes in a test run: the context has no skb behind it, so
 * the kernel's bpf_flow_dissector_load_bytes answers -EFAULT and clears the
 * buffer (the program had filled it with 0xaa), at any offset */
static void load_bytes(void)
{
	struct bpf_flow_keys want = {
		.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IP), .flow_label = (__u32)-EFAULT};
	struct pkt p;

	tcp4(&p);
	expect("load_bytes at 0", "load_bytes", &p, 0, BPF_DROP, want);
	expect("load_bytes at 14", "load_bytes", &p, 14, BPF_DROP, want);
	expect("load_bytes at 0x10000", "load_bytes", &p, 0x10000, BPF_DROP, want);
}

/* After the run the kernel bounds nhoff to [14, packet size] and thoff to
 * [nhoff, packet size], whatever the program left there (clamp sets them
 * from flags: nhoff low 16 bits, thoff high) */
static void clamp(void)
{
	static const struct {
		__u16 nhoff, thoff;	      /* as the program sets them */
		__u16 want_nhoff, want_thoff; /* in a 60-byte packet */
	} c[] = {
		{0, 0, 14, 14},		  /* up to the Ethernet header's end */
		{13, 13, 14, 14},	  /* the same, from just below */
		{14, 60, 14, 60},	  /* within: as they are */
		{20, 40, 20, 40},	  /* within */
		{20, 10, 20, 20},	  /* thoff below nhoff: up to nhoff */
		{60, 60, 60, 60},	  /* the packet's end is allowed */
		{61, 30, 60, 60},	  /* nhoff past the end: down to it, thoff with it */
		{30, 61, 30, 60},	  /* thoff past the end */
		{0xffff, 0xffff, 60, 60}, /* the largest */
		{0x8000, 1, 60, 60},	  /* u16 values: 0x8000 is not negative */
	};
	struct pkt p;
	char what[64];

	tcp4(&p);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(what, sizeof(what), "clamp %u/%u", c[i].nhoff, c[i].thoff);
		expect(what, "clamp", &p, (__u32)c[i].thoff << 16 | c[i].nhoff, BPF_OK,
		       (struct bpf_flow_keys){.nhoff = c[i].want_nhoff,
					      .thoff = c[i].want_thoff,
					      .n_proto = htons(ETH_P_IP)});
	}
	/* 14 bytes: both end at 14 */
	eth(&p, ETH_P_IPV6);
	expect("clamp 100/200 in 14 bytes", "clamp", &p, 200u << 16 | 100, BPF_OK,
	       (struct bpf_flow_keys){.nhoff = 14, .thoff = 14, .n_proto = htons(ETH_P_IPV6)});
}

/* What a program finds on entry: nhoff = thoff = 14, n_proto the frame's
 * EtherType, flags from ctx_in, the rest 0, anew on every run (probe counts
 * runs in sport); the packet from the Ethernet header on (its first two
 * bytes in dport, 0x0200, its length in flow_label). Its return value comes
 * back as it is, even one no dissector should give. */
static void entry(void)
{
	const struct loaded *l = get("probe");
	struct bpf_flow_keys want = {.nhoff = 14,
				     .thoff = 14,
				     .n_proto = htons(ETH_P_IP),
				     .sport = 1,
				     .dport = htons(0x0200),
				     .flow_label = 60};
	struct pkt p;

	tcp4(&p);
	expect("probe", "probe", &p, 0, 0, want);
	/* 0x81: BPF_FLOW_DISSECTOR_CONTINUE, which the test run does not act on */
	expect("probe, flags 0x8100", "probe", &p, 0x8100, BPF_FLOW_DISSECTOR_CONTINUE, want);
	expect("probe, flags ~0", "probe", &p, ~0u, 0xffffff, want);
	if (!l)
		return;
	/* 1000 runs: the same keys (sport still 1) and a duration */
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p.b, .data_size_in = p.len,
			    .data_out = r.out, .data_size_out = sizeof(r.out), .repeat = 1000);

		run_opts(l->prog_fd, &o);
		want.flags = 0;
		check_run("probe, repeat 1000", 0, &want);
		CHECK(r.duration > 0, "probe, repeat 1000: duration %u", r.duration);
	}
	/* the IPv6 dissector, 1000 runs: the answer of one */
	{
		const struct loaded *d = get("dissect");
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p.b, .data_size_in = p.len,
			    .data_out = r.out, .data_size_out = sizeof(r.out), .repeat = 1000);

		eth(&p, ETH_P_IPV6);
		ip6(&p, IPPROTO_TCP, 0xfffff, 1, 2);
		tcp(&p, 40000, 80, 5);
		done(&p);
		o.data_size_in = p.len;
		if (!d)
			return;
		run_opts(d->prog_fd, &o);
		check_run("dissect TCP/IPv6, repeat 1000", BPF_OK,
			  &(struct bpf_flow_keys){.nhoff = 14,
						  .thoff = 54,
						  .addr_proto = ETH_P_IPV6,
						  .ip_proto = IPPROTO_TCP,
						  .n_proto = htons(ETH_P_IPV6),
						  .sport = htons(40000),
						  .dport = htons(80),
						  .ipv6_src = V6(1),
						  .ipv6_dst = V6(2),
						  .flow_label = htonl(0xfffff)});
	}
}

/* The last run failed with want_err and wrote nothing back: libbpf copies
 * the attr's fields back into the options, so they hold what went in */
static void check_refused(const char *what, int want_err, __u32 size_out_in)
{
	CHECK(r.err == want_err && r.retval == 0 && r.size_out == size_out_in && r.duration == 0,
	      "%s: err %d retval %u data_size_out %u duration %u, the kernel gives %d 0 %u 0", what,
	      r.err, r.retval, r.size_out, r.duration, want_err, size_out_in);
	CHECK(r.out[0] == 0xee && r.ctx[0] == 0xee, "%s: data_out or ctx_out written", what);
}

/* The arguments bpf_prog_test_run_flow_dissector takes and refuses */
static void args(void)
{
	const struct loaded *l = get("probe");
	struct pkt p;
	struct bpf_test_run_opts o;

	if (!l)
		return;
	tcp4(&p);
#define RESET()                                                                                    \
	(o = (struct bpf_test_run_opts){.sz = sizeof(o),                                           \
					.data_in = p.b,                                            \
					.data_size_in = p.len,                                     \
					.data_out = r.out,                                         \
					.data_size_out = sizeof(r.out)})

	/* the packet: 14 to 4096 bytes */
	RESET();
	o.data_size_in = 13;
	run_opts(l->prog_fd, &o);
	check_refused("13 bytes", -EINVAL, sizeof(r.out));
	RESET();
	o.data_size_in = 0;
	o.data_in = NULL;
	run_opts(l->prog_fd, &o);
	check_refused("no packet", -EINVAL, sizeof(r.out));
	RESET();
	o.data_size_in = 14;
	run_opts(l->prog_fd, &o);
	check_run("14 bytes", 0,
		  &(struct bpf_flow_keys){.nhoff = 14,
					  .thoff = 14,
					  .n_proto = htons(ETH_P_IP),
					  .sport = 1,
					  .dport = htons(0x0200),
					  .flow_label = 14});
	memset(p.b + p.len, 0, PAGE + 1 - p.len);
	RESET();
	o.data_size_in = PAGE;
	run_opts(l->prog_fd, &o);
	check_run("4096 bytes", 0,
		  &(struct bpf_flow_keys){.nhoff = 14,
					  .thoff = 14,
					  .n_proto = htons(ETH_P_IP),
					  .sport = 1,
					  .dport = htons(0x0200),
					  .flow_label = PAGE});
	RESET();
	o.data_size_in = PAGE + 1;
	run_opts(l->prog_fd, &o);
	check_refused("4097 bytes", -EINVAL, sizeof(r.out));

	/* no flags (not even BPF_F_TEST_RUN_ON_CPU), cpu or batch_size */
	for (__u32 flag = 1; flag <= 4; flag <<= 1) {
		RESET();
		o.flags = flag;
		run_opts(l->prog_fd, &o);
		check_refused("flags", -EINVAL, sizeof(r.out));
	}
	RESET();
	o.flags = BPF_F_TEST_RUN_ON_CPU;
	o.cpu = 0;
	run_opts(l->prog_fd, &o);
	check_refused("BPF_F_TEST_RUN_ON_CPU, cpu 0", -EINVAL, sizeof(r.out));
	RESET();
	o.cpu = 1;
	run_opts(l->prog_fd, &o);
	check_refused("cpu 1", -EINVAL, sizeof(r.out));
	RESET();
	o.batch_size = 1;
	run_opts(l->prog_fd, &o);
	check_refused("batch_size 1", -EINVAL, sizeof(r.out));

	/* data_out: without it the run still reports the size; data_size_out
	 * 0 means "whatever it is" (all 56 bytes); a shorter one gets the
	 * first bytes and ENOSPC, with the full size, the return value and a
	 * duration reported */
	RESET();
	o.data_out = NULL;
	o.data_size_out = 0;
	run_opts(l->prog_fd, &o);
	CHECK(r.err == 0 && r.retval == 0 && r.size_out == KEYS_LEN && r.out[0] == 0xee,
	      "no data_out: err %d retval %u data_size_out %u", r.err, r.retval, r.size_out);
	RESET();
	o.data_size_out = 0;
	run_opts(l->prog_fd, &o);
	check_run("data_size_out 0", 0,
		  &(struct bpf_flow_keys){.nhoff = 14,
					  .thoff = 14,
					  .n_proto = htons(ETH_P_IP),
					  .sport = 1,
					  .dport = htons(0x0200),
					  .flow_label = 60});
	RESET();
	o.data_size_out = 10;
	p.b[12] = 0x12; /* n_proto 0x1234, at bytes 10..11: not copied */
	p.b[13] = 0x34;
	run_opts(l->prog_fd, &o);
	{
		/* nhoff 14, thoff 14, addr_proto 0, the frag/encap/proto bytes 0,
		 * in the byte order of the machine (x86-64: little-endian) */
		static const unsigned char want[10] = {14, 0, 14, 0};

		CHECK(r.err == -ENOSPC && r.retval == 0 && r.size_out == KEYS_LEN &&
			      !memcmp(r.out, want, sizeof(want)) && r.out[10] == 0xee,
		      "data_size_out 10: err %d retval %u data_size_out %u out[0] %u out[10] "
		      "0x%x, the kernel gives -ENOSPC 0 56 14 0xee",
		      r.err, r.retval, r.size_out, r.out[0], r.out[10]);
	}
	RESET();
	o.data_size_out = KEYS_LEN - 1;
	o.repeat = 1000;
	run_opts(l->prog_fd, &o);
	CHECK(r.err == -ENOSPC && r.size_out == KEYS_LEN && r.duration > 0 &&
		      r.out[KEYS_LEN - 2] == 0 && r.out[KEYS_LEN - 1] == 0xee,
	      "data_size_out 55, repeat 1000: err %d data_size_out %u duration %u out[54] 0x%x "
	      "out[55] 0x%x",
	      r.err, r.size_out, r.duration, r.out[KEYS_LEN - 2], r.out[KEYS_LEN - 1]);
	p.b[12] = 0x08;
	p.b[13] = 0x00;
#undef RESET
}

/* ctx_in and ctx_out: a struct bpf_flow_keys zero but for flags; ctx_out
 * gets ctx_in back as it was */
static void ctx(void)
{
	const struct loaded *l = get("probe");
	struct bpf_flow_keys want = {.nhoff = 14,
				     .thoff = 14,
				     .n_proto = htons(ETH_P_IP),
				     .sport = 1,
				     .dport = htons(0x0200),
				     .flow_label = 60};
	unsigned char in[PAGE + 8];
	struct pkt p;
	struct bpf_test_run_opts o;
	char what[64];

	if (!l)
		return;
	tcp4(&p);
#define RESET()                                                                                    \
	(memset(in, 0, sizeof(in)), o = (struct bpf_test_run_opts){.sz = sizeof(o),                \
								   .data_in = p.b,                 \
								   .data_size_in = p.len,          \
								   .data_out = r.out,              \
								   .data_size_out = sizeof(r.out), \
								   .ctx_in = in,                   \
								   .ctx_size_in = KEYS_LEN,        \
								   .ctx_out = r.ctx,               \
								   .ctx_size_out = sizeof(r.ctx)})

	/* flags may be anything and come back in ctx_out, the whole struct,
	 * as they went in */
	RESET();
	memset(in + offsetof(struct bpf_flow_keys, flags), 0xff, 4);
	run_opts(l->prog_fd, &o);
	want.flags = ~0u;
	check_run("ctx flags ~0", 0xffffff, &want);
	CHECK(r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, KEYS_LEN) && r.ctx[KEYS_LEN] == 0xee,
	      "ctx flags ~0: ctx_size_out %u, ctx_out differs from ctx_in", r.ctx_size_out);

	/* any other byte nonzero: EINVAL */
	for (__u32 i = 0; i < KEYS_LEN; i++) {
		if (i >= offsetof(struct bpf_flow_keys, flags) &&
		    i < offsetof(struct bpf_flow_keys, flow_label))
			continue;
		RESET();
		in[i] = 1;
		run_opts(l->prog_fd, &o);
		snprintf(what, sizeof(what), "ctx_in byte %u set", i);
		check_refused(what, -EINVAL, sizeof(r.out));
	}

	/* shorter: the rest taken as zero, ctx_out the whole struct */
	RESET();
	in[offsetof(struct bpf_flow_keys, flags)] = 5;
	o.ctx_size_in = offsetof(struct bpf_flow_keys, flow_label);
	run_opts(l->prog_fd, &o);
	want.flags = 5;
	check_run("ctx_in of 52 bytes", 0, &want);
	CHECK(r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, KEYS_LEN),
	      "ctx_in of 52 bytes: ctx_size_out %u", r.ctx_size_out);
	RESET();
	o.ctx_size_in = 1;
	run_opts(l->prog_fd, &o);
	want.flags = 0;
	check_run("ctx_in of 1 byte", 0, &want);
	CHECK(r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, KEYS_LEN),
	      "ctx_in of 1 byte: ctx_size_out %u", r.ctx_size_out);

	/* longer: a zero tail is fine (up to a page), anything else E2BIG */
	RESET();
	in[offsetof(struct bpf_flow_keys, flags)] = 1;
	o.ctx_size_in = PAGE;
	run_opts(l->prog_fd, &o);
	want.flags = 1;
	check_run("ctx_in of 4096 bytes, zero tail", 0, &want);
	CHECK(r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, KEYS_LEN) && r.ctx[KEYS_LEN] == 0xee,
	      "ctx_in of 4096 bytes: ctx_size_out %u", r.ctx_size_out);
	RESET();
	o.ctx_size_in = PAGE + 1;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_in of 4097 bytes", -E2BIG, sizeof(r.out));
	RESET();
	in[KEYS_LEN] = 1;
	o.ctx_size_in = KEYS_LEN + 1;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_in byte 56 set", -E2BIG, sizeof(r.out));
	RESET();
	in[PAGE - 1] = 1;
	o.ctx_size_in = PAGE;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_in byte 4095 set", -E2BIG, sizeof(r.out));
	/* a nonzero tail and a nonzero field: the tail is looked at first */
	RESET();
	in[0] = 1;
	in[KEYS_LEN] = 1;
	o.ctx_size_in = KEYS_LEN + 1;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_in bytes 0 and 56 set", -E2BIG, sizeof(r.out));

	/* a pointer without a size or a size without a pointer */
	RESET();
	o.ctx_size_in = 0;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_in without a size", -EINVAL, sizeof(r.out));
	RESET();
	o.ctx_in = NULL;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_size_in without ctx_in", -EINVAL, sizeof(r.out));
	RESET();
	o.ctx_size_out = 0;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_out without a size", -EINVAL, sizeof(r.out));
	RESET();
	o.ctx_out = NULL;
	run_opts(l->prog_fd, &o);
	check_refused("ctx_size_out without ctx_out", -EINVAL, sizeof(r.out));

	/* ctx_out alone: zeros back */
	RESET();
	o.ctx_in = NULL;
	o.ctx_size_in = 0;
	run_opts(l->prog_fd, &o);
	want.flags = 0;
	check_run("ctx_out alone", 0, &want);
	CHECK(r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, KEYS_LEN) && r.ctx[KEYS_LEN] == 0xee,
	      "ctx_out alone: ctx_size_out %u", r.ctx_size_out);

	/* ctx_in alone: flags reach the program, nothing comes back */
	RESET();
	in[offsetof(struct bpf_flow_keys, flags)] = 0x81;
	in[offsetof(struct bpf_flow_keys, flags) + 1] = 0x02;
	o.ctx_out = NULL;
	o.ctx_size_out = 0;
	run_opts(l->prog_fd, &o);
	want.flags = 0x281;
	check_run("ctx_in alone", 2, &want);
	CHECK(r.ctx_size_out == 0 && r.ctx[0] == 0xee, "ctx_in alone: ctx_size_out %u",
	      r.ctx_size_out);

	/* ctx_out too short: the first bytes and ENOSPC, after the run and
	 * data_out went through */
	RESET();
	in[offsetof(struct bpf_flow_keys, flags)] = 3;
	o.ctx_size_out = 50;
	run_opts(l->prog_fd, &o);
	want.flags = 3;
	CHECK(r.err == -ENOSPC && r.retval == 0 && r.size_out == KEYS_LEN &&
		      r.ctx_size_out == KEYS_LEN && !memcmp(r.ctx, in, 50) && r.ctx[50] == 0xee,
	      "ctx_size_out 50: err %d retval %u data_size_out %u ctx_size_out %u ctx[49] 0x%x "
	      "ctx[50] 0x%x",
	      r.err, r.retval, r.size_out, r.ctx_size_out, r.ctx[49], r.ctx[50]);
	check_keys("ctx_size_out 50", r.out, &want);

	/* data_out too short: ENOSPC before ctx_out is looked at */
	RESET();
	in[offsetof(struct bpf_flow_keys, flags)] = 3;
	o.data_size_out = 4;
	run_opts(l->prog_fd, &o);
	CHECK(r.err == -ENOSPC && r.size_out == KEYS_LEN && r.out[3] == 0 && r.out[4] == 0xee &&
		      r.ctx_size_out == sizeof(r.ctx) && r.ctx[0] == 0xee,
	      "data_size_out 4 with ctx_out: err %d data_size_out %u ctx_size_out %u ctx[0] 0x%x",
	      r.err, r.size_out, r.ctx_size_out, r.ctx[0]);
#undef RESET
}

/* A packet pointer the kernel cannot read: EFAULT. Last, as a bpfhost that
 * follows the pointer would crash here. */
static void efault(void)
{
	const struct loaded *l = get("probe");
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = NULL, .data_size_in = 60, .data_out = r.out,
		    .data_size_out = sizeof(r.out));

	if (!l)
		return;
	run_opts(l->prog_fd, &o);
	check_refused("data_in NULL, 60 bytes", -EFAULT, sizeof(r.out));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_flow OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj_path = argv[1];
	get("dissect");
	if (skipped)
		return 0;
	dissect_ipv4();
	fragments4();
	dissect_ipv6();
	dissect_vlan();
	malformed();
	tail();
	load_bytes();
	clamp();
	entry();
	args();
	ctx();
	efault();
	for (int i = 0; i < prog_cnt; i++)
		bpf_object__close(progs[i].obj);
	return TEST_DONE();
}
