/* XDP programs (tests/bpf/xdp.bpf.c) loaded by Debian's libbpf and run with
 * bpf_prog_test_run_opts: packets built here go in through data_in (and
 * ctx_in), what comes back is checked byte for byte (data_out, data_size_out,
 * ctx_out, retval), and the maps afterwards. The same source with
 * -DKERNEL_BACKEND runs the same checks against the kernel. Usage: test_xdp OBJ */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

#define XDP_ABORTED 0
#define XDP_DROP 1
#define XDP_PASS 2
#define XDP_TX 3

struct pkt {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	unsigned char payload[18]; /* 60 bytes: Ethernet's minimum frame */
} __attribute__((packed));

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The IPv4 header checksum of the header at p (its checksum field skipped). */
static __u16 ip_checksum(const struct pkt *p)
{
	const unsigned char *h = (const unsigned char *)p + sizeof(p->eth);
	__u32 sum = 0;

	for (int i = 0; i < (h[0] & 0xf) * 4; i += 2) {
		__u16 w;

		memcpy(&w, h + i, 2);
		sum += i == 10 ? 0 : w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* An IPv4/UDP frame to port dport, udp_len bytes of UDP, padded to 60. */
static struct pkt udp_pkt(__u16 dport, __u16 udp_len)
{
	static const unsigned char dst[ETH_ALEN] = {1, 2, 3, 4, 5, 6};
	static const unsigned char src[ETH_ALEN] = {0xa, 0xb, 0xc, 0xd, 0xe, 0xf};
	struct pkt p;

	memset(&p, 0, sizeof(p));
	memcpy(p.eth.h_dest, dst, ETH_ALEN);
	memcpy(p.eth.h_source, src, ETH_ALEN);
	p.eth.h_proto = htons(ETH_P_IP);
	p.ip.version = 4;
	p.ip.ihl = 5;
	p.ip.ttl = 64;
	p.ip.protocol = IPPROTO_UDP;
	p.ip.tot_len = htons((__u16)(sizeof(p.ip) + udp_len));
	p.ip.saddr = htonl(0x0a000001);
	p.ip.daddr = htonl(0x0a000002);
	p.ip.check = ip_checksum(&p);
	p.udp.source = htons(40000);
	p.udp.dest = htons(dport);
	p.udp.len = htons(udp_len);
	for (size_t i = 0; i < sizeof(p.payload); i++)
		p.payload[i] = (unsigned char)(0x40 + i);
	return p;
}

static struct bpf_program *prog_of(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECK(p != NULL, "program %s", name);
	return p;
}

/* The filter: DNS dropped, the rest passed with the TTL one less and the
 * checksum still right; repeat runs on the same buffer, as the kernel does. */
static void filter(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_filter");
	struct pkt in = udp_pkt(53, 8 + 18), out;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &in, .data_size_in = sizeof(in),
		    .data_out = &out, .data_size_out = sizeof(out));
	int err;

	if (!prog)
		return;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_DROP, "port 53: err %d, retval %u", err, o.retval);
	CHECK(o.data_size_out == sizeof(in) && !memcmp(&out, &in, sizeof(in)),
	      "a dropped packet comes back unchanged (%u bytes)", o.data_size_out);

	in = udp_pkt(80, 8 + 18);
	o.repeat = 1;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS, "port 80: err %d, retval %u", err, o.retval);
	CHECK(o.data_size_out == sizeof(in), "port 80: %u bytes out", o.data_size_out);
	CHECK(out.ip.ttl == 63 && out.ip.check == ip_checksum(&out),
	      "TTL 64 -> %u, checksum 0x%04x (want 0x%04x)", out.ip.ttl, out.ip.check,
	      ip_checksum(&out));
	out.ip.ttl = in.ip.ttl;
	out.ip.check = in.ip.check;
	CHECK(!memcmp(&out, &in, sizeof(in)), "port 80: nothing else changed");

	o.repeat = 5;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS && out.ip.ttl == 59 &&
		      out.ip.check == ip_checksum(&out),
	      "repeat 5: the runs share the buffer: TTL %u (want 59)", out.ip.ttl);
	CHECK(o.duration < 1000000000u, "duration: %u ns per run", o.duration);

	/* not IPv4: passed untouched */
	in.eth.h_proto = htons(ETH_P_ARP);
	o.repeat = 0;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS && !memcmp(&out, &in, sizeof(in)),
	      "ARP: err %d, retval %u", err, o.retval);
}

/* bpf_xdp_adjust_head: a VLAN tag popped, the packet 4 bytes shorter. */
static void vlan_pop(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_vlan_pop");
	struct pkt plain = udp_pkt(80, 8 + 18);
	unsigned char in[sizeof(plain) + 4], out[128];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = sizeof(in),
		    .data_out = out, .data_size_out = sizeof(out));
	int err;

	if (!prog)
		return;
	/* the tag goes between the addresses and the type */
	memcpy(in, &plain, 12);
	in[12] = 0x81;
	in[13] = 0x00;
	in[14] = 0x00;
	in[15] = 0x2a; /* VLAN 42 */
	memcpy(in + 16, (unsigned char *)&plain + 12, sizeof(plain) - 12);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS, "vlan pop: err %d, retval %u", err, o.retval);
	CHECK(o.data_size_out == sizeof(plain) && !memcmp(out, &plain, sizeof(plain)),
	      "vlan pop: the untagged frame comes out (%u bytes)", o.data_size_out);

	/* an untagged frame stays as it is */
	o.data_in = &plain;
	o.data_size_in = sizeof(plain);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS && o.data_size_out == sizeof(plain) &&
		      !memcmp(out, &plain, sizeof(plain)),
	      "untagged: err %d, %u bytes", err, o.data_size_out);
}

/* bpf_xdp_adjust_meta: metadata from ctx_in read, 4 bytes more written in
 * front; data_out starts at data_meta, ctx_out counts from there. */
static void meta(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_meta");
	struct pkt plain = udp_pkt(80, 8 + 18);
	unsigned char in[4 + sizeof(plain)], out[128];
	struct xdp_md ctx_in = {.data = 4, .data_end = sizeof(in)}, ctx_out;
	__u32 m = 41, got[2];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = sizeof(in),
		    .data_out = out, .data_size_out = sizeof(out), .ctx_in = &ctx_in,
		    .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out,
		    .ctx_size_out = sizeof(ctx_out));
	int err;

	if (!prog)
		return;
	memcpy(in, &m, 4);
	memcpy(in + 4, &plain, sizeof(plain));
	memset(&ctx_out, 0xff, sizeof(ctx_out));
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS, "meta: err %d, retval %u", err, o.retval);
	memcpy(got, out, sizeof(got));
	CHECK(o.data_size_out == 8 + sizeof(plain) && got[0] == 42 && got[1] == 41 &&
		      !memcmp(out + 8, &plain, sizeof(plain)),
	      "meta: %u bytes out, metadata %u %u", o.data_size_out, got[0], got[1]);
	CHECK(o.ctx_size_out == sizeof(ctx_out) && ctx_out.data == 8 &&
		      ctx_out.data_end == 8 + sizeof(plain) && ctx_out.data_meta == 0 &&
		      ctx_out.ingress_ifindex == 0 && ctx_out.rx_queue_index == 0,
	      "meta: ctx_out data %u, data_end %u, data_meta %u", ctx_out.data, ctx_out.data_end,
	      ctx_out.data_meta);

	/* without ctx_in, no metadata to read: 1 */
	o.ctx_in = NULL;
	o.ctx_size_in = 0;
	o.ctx_out = NULL;
	o.ctx_size_out = 0;
	o.data_in = &plain;
	o.data_size_in = sizeof(plain);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	memcpy(got, out, 4);
	CHECK(err == 0 && o.retval == XDP_PASS && o.data_size_out == 4 + sizeof(plain) &&
		      got[0] == 1 && !memcmp(out + 4, &plain, sizeof(plain)),
	      "meta without ctx_in: %u bytes out, metadata %u", o.data_size_out, got[0]);
}

/* bpf_xdp_adjust_tail: Ethernet padding after the datagram trimmed. */
static void trim(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_trim");
	struct pkt in = udp_pkt(80, 8 + 6), out;
	const __u32 want = sizeof(in.eth) + sizeof(in.ip) + 8 + 6;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &in, .data_size_in = sizeof(in),
		    .data_out = &out, .data_size_out = sizeof(out));
	int err;

	if (!prog)
		return;
	memset(&out, 0xee, sizeof(out));
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_TX, "trim: err %d, retval %u", err, o.retval);
	CHECK(o.data_size_out == want && !memcmp(&out, &in, want) &&
		      ((unsigned char *)&out)[want] == 0xee,
	      "trim: %u bytes out, want %u", o.data_size_out, want);

	/* data_size_out too small: ENOSPC, what fits copied */
	o.data_size_out = 20;
	memset(&out, 0xee, sizeof(out));
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == -ENOSPC && !memcmp(&out, &in, 20) && ((unsigned char *)&out)[20] == 0xee,
	      "trim into 20 bytes: err %d", err);
}

static __u64 lookup(struct bpf_object *obj, const char *map, __u32 key)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, map);
	__u64 v = 0;

	CHECK(m != NULL, "map %s", map);
	if (m && bpf_map__lookup_elem(m, &key, sizeof(key), &v, sizeof(v), 0))
		return (__u64)-1;
	return v;
}

/* Counters in an array (by IP protocol) and a hash (by length). */
static void count(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_count");
	struct pkt in = udp_pkt(80, 8 + 18);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &in, .data_size_in = sizeof(in), .repeat = 7);
	int err;

	if (!prog)
		return;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS, "count: err %d, retval %u", err, o.retval);
	o.data_size_in = 40;
	o.repeat = 2;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0, "count 40 bytes: err %d", err);
	in.eth.h_proto = htons(ETH_P_ARP);
	o.repeat = 1;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0, "count ARP: err %d", err);
	CHECK(lookup(obj, "proto_packets", IPPROTO_UDP) == 9, "UDP packets: %llu",
	      (unsigned long long)lookup(obj, "proto_packets", IPPROTO_UDP));
	CHECK(lookup(obj, "proto_packets", 0) == 1, "non-IP packets: %llu",
	      (unsigned long long)lookup(obj, "proto_packets", 0));
	CHECK(lookup(obj, "len_packets", 60) == 7 && lookup(obj, "len_packets", 40) == 3,
	      "by length: 60: %llu, 40: %llu", (unsigned long long)lookup(obj, "len_packets", 60),
	      (unsigned long long)lookup(obj, "len_packets", 40));
	CHECK(lookup(obj, "len_packets", 41) == (__u64)-1, "no packets of 41 bytes");
}

/* bpf_tail_call through the prog array libbpf filled: slot 1 reflects the
 * frame, an empty slot falls through. */
static void tail_call(struct bpf_object *obj)
{
	struct bpf_program *prog = prog_of(obj, "xdp_dispatch");
	struct pkt in = udp_pkt(80, 8 + 18), out;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &in, .data_size_in = sizeof(in),
		    .data_out = &out, .data_size_out = sizeof(out));
	int err;

	if (!prog)
		return;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_TX, "dispatch to slot 1: err %d, retval %u", err,
	      o.retval);
	CHECK(!memcmp(out.eth.h_dest, in.eth.h_source, ETH_ALEN) &&
		      !memcmp(out.eth.h_source, in.eth.h_dest, ETH_ALEN) &&
		      !memcmp((unsigned char *)&out + sizeof(out.eth),
			      (unsigned char *)&in + sizeof(in.eth), sizeof(in) - sizeof(in.eth)),
	      "slot 1 swapped the addresses");
	/* the runs share the buffer: with slot 1 in both addresses, every run
	 * tail-calls (none may run out of tail calls), 1000 swaps undo each other */
	in.eth.h_source[0] = 1;
	o.repeat = 1000;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_TX && !memcmp(&out, &in, sizeof(in)),
	      "dispatch, repeat 1000: err %d, retval %u", err, o.retval);
	in.eth.h_dest[0] = 2;
	o.repeat = 1;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_ABORTED && !memcmp(&out, &in, sizeof(in)),
	      "dispatch to an empty slot: err %d, retval %u", err, o.retval);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	bool skipped;

	if (argc != 2) {
		fprintf(stderr, "usage: test_xdp OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	filter(obj);
	vlan_pop(obj);
	meta(obj);
	trim(obj);
	count(obj);
	tail_call(obj);
	bpf_object__close(obj);
	return TEST_DONE();
}
