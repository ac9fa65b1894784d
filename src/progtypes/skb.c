/* The program types whose context is struct __sk_buff: SOCKET_FILTER,
 * SCHED_CLS, SCHED_ACT, CGROUP_SKB, LWT_IN, LWT_OUT, LWT_XMIT; and their
 * BPF_PROG_TEST_RUN, as the kernel's bpf_prog_test_run_skb (net/bpf/
 * test_run.c, Linux 6.18): the data (at least ETH_HLEN, at most a page less
 * the kernel's headroom and skb_shared_info) is an Ethernet frame received
 * on the loopback device (or the device ctx_in's ifindex names); the kernel
 * takes the Ethernet header off (eth_type_trans: protocol, pkt_type) and
 * makes up a socket holding the IP addresses; tc programs get the frame from
 * its link-layer header, the others from the network header, and their
 * data_out gets a zeroed Ethernet header back in front. ctx_in may set
 * mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs,
 * gso_size and hwtstamp, nothing else; ctx_out reports what the run left.
 *
 * Context access without a verifier, as for XDP: the program reads a real
 * struct __sk_buff holding every field's value, data, data_end and
 * data_meta holding real addresses of a buffer below 4 GiB; what it writes
 * there (mark, cb, ...) is what the run reports. The types that read the
 * packet directly get data pointers (tc, cgroup skb, lwt), socket filters,
 * which may not read them, a data_end of 0. */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers/csum.h"
#include "progtype.h"

#define SKB_MAX_DATA (4096u - 64u - 320u) /* PAGE_SIZE - NET_SKB_PAD - shared info */
#define SKB_NET_PAD 64u			  /* NET_SKB_PAD: the headroom the kernel gives */
#define GSO_LEGACY_MAX_SIZE 65536u
#define GSO_MAX_SEGS 65535u
#define TCP_CLOSE 7

struct skb_kind {
	bool l2;       /* the program sees the link-layer header */
	bool direct;   /* data, data_end, data_meta: the packet itself */
	bool writable; /* and may write it */
	bool (*ctx_ok)(uint32_t off, uint32_t size, bool write); /* the fields' rules */
};

struct skb_test {
	struct skb_buf buf;
	struct __sk_buff md;   /* what the program reads */
	struct __sk_buff user; /* ctx_in as given, zeros without: ctx_out reports it */
	struct bpf_sock sk;    /* the socket the kernel's test run makes up */
	bool has_ctx;
	struct skb_kind kind;
};

static bool is_skb_type(uint32_t type)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT: return true;
	default: return false;
	}
}

struct skb_buf *skb_buf_of(const struct vm_run *run)
{
	struct progtype_state *s = run->ctx_state;

	return s && is_skb_type(s->prog_type) ? (struct skb_buf *)s : NULL;
}

void skb_buf_sync(struct skb_buf *b, struct vm_run *run)
{
	uint64_t base = (uint64_t)(uintptr_t)b->buf;

	b->md->len = b->tail - b->data;
	b->md->data = (uint32_t)(base + b->data);
	b->md->data_end = b->direct ? (uint32_t)(base + b->tail) : 0;
	b->md->data_meta = b->direct ? b->md->data : 0;
	run->regions[b->region].start = base + b->data;
	run->regions[b->region].len = b->direct ? b->tail - b->data : 0;
	run->pkt = b->buf + b->data;
	run->pkt_len = b->tail - b->data;
	if (b->head > b->data)
		b->head = b->data;
	if (b->dirty_lo > b->head)
		b->dirty_lo = b->head;
	if (b->dirty_lo > b->mac)
		b->dirty_lo = b->mac;
	if (b->dirty_hi < b->tail)
		b->dirty_hi = b->tail;
	run->pkt_head = b->buf + b->head;
	run->pkt_net = b->buf + b->net;
	run->pkt_mac = b->buf + b->mac;
}

/* The device's hardware address (what "address" or "broadcast"), as sysfs
 * shows it; zeros (the loopback's) when it cannot be read. */
static void dev_addr(unsigned ifindex, const char *what, uint8_t addr[ETH_ALEN])
{
	char name[IF_NAMESIZE], path[64 + IF_NAMESIZE];
	unsigned v[ETH_ALEN];
	FILE *f;

	memset(addr, 0, ETH_ALEN);
	if (ifindex == progtype_loopback() || !if_indextoname(ifindex, name))
		return;
	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, what);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == ETH_ALEN)
		for (int i = 0; i < ETH_ALEN; i++)
			addr[i] = (uint8_t)v[i];
	fclose(f);
}

/* The kernel's eth_type_trans on the frame at data: pkt_type from the
 * destination address, protocol from the type field (802.3 frames by their
 * payload), the link-layer header pulled. */
static void eth_type_trans(struct skb_test *x, const uint8_t addr[ETH_ALEN],
			   const uint8_t bcast[ETH_ALEN])
{
	struct skb_buf *b = &x->buf;
	const uint8_t *eth = b->buf + b->data;
	uint16_t proto = (uint16_t)(eth[12] << 8 | eth[13]);

	/* the device's broadcast address: the loopback's is all zeros, so no
	 * frame is PACKET_BROADCAST there */
	if (eth[0] & 1)
		x->md.pkt_type = memcmp(eth, bcast, ETH_ALEN) ? PACKET_MULTICAST : PACKET_BROADCAST;
	else if (memcmp(eth, addr, ETH_ALEN))
		x->md.pkt_type = PACKET_OTHERHOST;
	else
		x->md.pkt_type = PACKET_HOST;
	if (proto < ETH_P_802_3_MIN)
		proto = b->tail - b->data >= SKB_ETH_HLEN + 2 && eth[14] == 0xff && eth[15] == 0xff
				? ETH_P_802_3
				: ETH_P_802_2;
	x->md.protocol = htons(proto);
	b->mac = b->data;
	b->data += SKB_ETH_HLEN;
	b->net = b->data;
}

/* The socket the kernel's test run hangs on the skb: family and addresses
 * from the IP header, when there is a whole one. */
static void make_sock(struct skb_test *x)
{
	const uint8_t *ip = x->buf.buf + x->buf.net;
	uint32_t headlen = x->buf.tail - x->buf.net;

	x->sk.state = TCP_CLOSE;
	x->sk.rx_queue_mapping = -1;
	if (x->md.protocol == htons(ETH_P_IP)) {
		x->sk.family = AF_INET;
		if (headlen >= 20) {
			memcpy(&x->sk.src_ip4, ip + 12, 4);
			memcpy(&x->sk.dst_ip4, ip + 16, 4);
		}
	} else if (x->md.protocol == htons(ETH_P_IPV6)) {
		x->sk.family = AF_INET6;
		if (headlen >= 40) {
			memcpy(x->sk.src_ip6, ip + 8, 16);
			memcpy(x->sk.dst_ip6, ip + 24, 16);
		}
	}
	x->md.family = x->sk.family;
	x->md.local_ip4 = x->sk.src_ip4;
	x->md.remote_ip4 = x->sk.dst_ip4;
	memcpy(x->md.local_ip6, x->sk.src_ip6, 16);
	memcpy(x->md.remote_ip6, x->sk.dst_ip6, 16);
	x->md.sk = &x->sk;
}

#define END(f) (offsetof(struct __sk_buff, f) + sizeof(((struct __sk_buff *)0)->f))

/* The kernel's convert___skb_to_skb: ctx_in may set these fields only. */
static int ctx_to_skb(struct skb_test *x)
{
	const struct __sk_buff *u = &x->user;

	if (!x->has_ctx)
		return 0;
	if (!progtype_zero(u, 0, offsetof(struct __sk_buff, mark)) ||
	    !progtype_zero(u, END(mark), offsetof(struct __sk_buff, priority)) ||
	    !progtype_zero(u, END(ifindex), offsetof(struct __sk_buff, cb)) ||
	    !progtype_zero(u, END(cb), offsetof(struct __sk_buff, tstamp)) ||
	    !progtype_zero(u, END(gso_segs), offsetof(struct __sk_buff, gso_size)) ||
	    !progtype_zero(u, END(gso_size), offsetof(struct __sk_buff, hwtstamp)) ||
	    !progtype_zero(u, END(hwtstamp), sizeof(*u)))
		return -EINVAL;
	x->md.mark = u->mark;
	x->md.priority = u->priority;
	x->md.ingress_ifindex = u->ingress_ifindex;
	x->md.tstamp = u->tstamp;
	memcpy(x->md.cb, u->cb, sizeof(u->cb));
	if (u->wire_len) {
		if (u->wire_len < x->md.len || u->wire_len > GSO_LEGACY_MAX_SIZE)
			return -EINVAL;
		x->buf.pkt_len = u->wire_len;
	}
	if (u->gso_segs > GSO_MAX_SEGS)
		return -EINVAL;
	x->md.gso_segs = u->gso_segs;
	x->md.gso_size = u->gso_size;
	x->md.hwtstamp = u->hwtstamp;
	return 0;
}

/* The kernel's convert_skb_to___skb: what ctx_out reports. */
static void skb_to_ctx(struct skb_test *x)
{
	x->user.mark = x->md.mark;
	x->user.priority = x->md.priority;
	x->user.ingress_ifindex = x->md.ingress_ifindex;
	x->user.ifindex = x->md.ifindex;
	x->user.tstamp = x->md.tstamp;
	memcpy(x->user.cb, x->md.cb, sizeof(x->user.cb));
	x->user.wire_len = x->buf.pkt_len;
	x->user.gso_segs = x->md.gso_segs;
	x->user.hwtstamp = x->md.hwtstamp;
}

/* The sum CHECKSUM_COMPLETE keeps: from the network header to the end. */
static uint32_t net_csum(const struct skb_buf *b)
{
	return csum_partial32(b->buf + b->net, b->tail - b->net, 0);
}

static int setup(const union bpf_attr *attr, struct skb_test *x)
{
	const uint8_t *in = (const uint8_t *)(uintptr_t)attr->test.data_in;
	uint32_t size = attr->test.data_size_in;
	struct skb_buf *b = &x->buf;
	uint8_t addr[ETH_ALEN], bcast[ETH_ALEN];
	unsigned ifindex;
	void *p;
	int err;

	if ((attr->test.flags & ~(uint32_t)BPF_F_TEST_SKB_CHECKSUM_COMPLETE) || attr->test.cpu ||
	    attr->test.batch_size)
		return -EINVAL;
	if (size < SKB_ETH_HLEN || size > SKB_MAX_DATA)
		return -EINVAL;
	if (!in)
		return -EFAULT;
	err = progtype_ctx_in(attr, &x->user, sizeof(x->user), &x->has_ctx);
	if (err)
		return err;
	p = progtype_buf_get(SKB_BUF_SIZE);
	if (!p)
		return -ENOMEM;
	b->buf = p;
	b->data = SKB_BUF_HEADROOM;
	b->head = b->data - SKB_NET_PAD;
	b->tail = b->data + size;
	b->dirty_lo = b->head;
	b->dirty_hi = b->tail;
	b->trans = SKB_HDR_UNSET;
	b->direct = x->kind.direct;
	b->md = &x->md;
	memcpy(b->buf + b->data, in, size);

	ifindex = progtype_loopback();
	if (x->has_ctx && x->user.ifindex > 1) {
		char name[IF_NAMESIZE];

		if (!if_indextoname(x->user.ifindex, name))
			return -ENODEV;
		ifindex = x->user.ifindex;
	}
	x->md.ifindex = ifindex;
	dev_addr(ifindex, "address", addr);
	dev_addr(ifindex, "broadcast", bcast);
	eth_type_trans(x, addr, bcast);
	/* Linux 6.18 wants a whole IP header behind an IP EtherType */
	if ((x->md.protocol == htons(ETH_P_IP) && size < SKB_ETH_HLEN + 20) ||
	    (x->md.protocol == htons(ETH_P_IPV6) && size < SKB_ETH_HLEN + 40))
		return -EINVAL;
	make_sock(x);
	if (x->kind.l2)
		b->data -= SKB_ETH_HLEN;
	x->md.len = b->tail - b->data;
	/* the qdisc cb's pkt_len (wire_len) is set only from a ctx_in */
	b->pkt_len = x->has_ctx ? x->md.len : 0;
	err = ctx_to_skb(x);
	if (err)
		return err;
	x->md.wire_len = b->pkt_len;
	if (attr->test.flags & BPF_F_TEST_SKB_CHECKSUM_COMPLETE) {
		b->ip_summed = SKB_CHECKSUM_COMPLETE;
		b->csum = net_csum(b);
	}
	return 0;
}

static int run(struct progtype_test *t, const union bpf_attr *attr, struct skb_test *x,
	       uint32_t *retval, uint32_t *duration)
{
	struct vm_run *r = t->run;

	r->args[0] = (uint64_t)(uintptr_t)&x->md;
	r->ctx_state = &x->buf.hdr;
	if (vm_run_add_ctx(r, &x->md, sizeof(x->md), true, x->kind.ctx_ok) ||
	    vm_run_add_region(r, &x->sk, sizeof(x->sk), "sock", false))
		return -ENOMEM;
	x->buf.region = r->region_cnt;
	if (vm_run_add_region(r, x->buf.buf, 0, "packet", x->kind.writable))
		return -ENOMEM;
	skb_buf_sync(&x->buf, r);
	return progtype_repeat(t, attr->test.repeat, retval, duration);
}

static int finish(union bpf_attr *attr, struct skb_test *x, uint32_t retval, uint32_t duration)
{
	struct skb_buf *b = &x->buf;
	int err;

	if (!x->kind.l2) {
		b->data -= SKB_ETH_HLEN;
		memset(b->buf + b->data, 0, SKB_ETH_HLEN);
	}
	if (b->ip_summed == SKB_CHECKSUM_COMPLETE && fold16(b->csum) != fold16(net_csum(b)))
		return -EBADMSG;
	skb_to_ctx(x);
	err = progtype_data_out(attr, b->buf + b->data, b->tail - b->data, retval, duration);
	if (!err && x->has_ctx)
		err = progtype_ctx_out(attr, &x->user, sizeof(x->user));
	return err;
}

static int test_run(const struct skb_kind *kind, uint32_t type, struct progtype_test *t,
		    union bpf_attr *attr)
{
	struct skb_test *x = calloc(1, sizeof(*x));
	uint32_t retval = 0, duration = 0;
	int err;

	if (!x)
		return -ENOMEM;
	x->kind = *kind;
	if (t->packet_socket && type == BPF_PROG_TYPE_SOCKET_FILTER)
		x->kind.l2 = true;
	x->buf.hdr.prog_type = type;
	err = setup(attr, x);
	if (!err)
		err = run(t, attr, x, &retval, &duration);
	if (!err)
		err = finish(attr, x, retval, duration);
	t->run->ctx_state = NULL;
	if (t->redirect)
		*t->redirect = x->buf.hdr.redirect;
	progtype_buf_put(x->buf.buf, SKB_BUF_SIZE, x->buf.dirty_lo, x->buf.dirty_hi);
	free(x);
	return err;
}

/* ---- which fields of __sk_buff a program may read or write, at which
 * sizes: the kernel's bpf_skb_is_valid_access and each type's own rules
 * (net/core/filter.c), checked against Linux 6.18 by tests/libbpf/test_skb.
 * Every access is aligned to its size. ---- */

#define SKB_OFF(f) offsetof(struct __sk_buff, f)
#define SKB_END(f) (SKB_OFF(f) + sizeof(((struct __sk_buff *)0)->f))
#define IN(f) (off >= SKB_OFF(f) && off < SKB_END(f))

/* the rules every __sk_buff type shares */
static bool skb_base_ok(uint32_t off, uint32_t size, bool write)
{
	if (off % size || off + size > sizeof(struct __sk_buff))
		return false;
	if (IN(cb))
		return off + size <= SKB_END(cb); /* any size, reads and writes */
	if (IN(remote_ip6) || IN(local_ip6) || IN(remote_ip4) || IN(local_ip4) || IN(data) ||
	    IN(data_meta) || IN(data_end))
		return size == 4;
	if (IN(flow_keys) || IN(tstamp_type) ||
	    (off >= SKB_END(tstamp_type) && off < SKB_OFF(hwtstamp)) /* padding */)
		return false;
	if (IN(hwtstamp) || IN(sk))
		return !write && size == 8;
	if (IN(tstamp))
		return size == 8;
	/* a u32 field: whole writes, narrow reads */
	return write ? size == 4 : size <= 4;
}

static bool socket_filter_ctx_ok(uint32_t off, uint32_t size, bool write)
{
	if (IN(tc_classid) || IN(data) || IN(data_meta) || IN(data_end) ||
	    (off >= SKB_OFF(family) && off < SKB_END(local_port)) || IN(tstamp) || IN(wire_len) ||
	    IN(hwtstamp))
		return false;
	if (write && !IN(cb))
		return false;
	return skb_base_ok(off, size, write);
}

static bool tc_ctx_ok(uint32_t off, uint32_t size, bool write)
{
	if (write && !(IN(mark) || IN(tc_index) || IN(priority) || IN(tc_classid) || IN(cb) ||
		       IN(tstamp) || IN(queue_mapping)))
		return false;
	if (off >= SKB_OFF(family) && off < SKB_END(local_port))
		return false;
	if (off == SKB_OFF(tstamp_type))
		return size == 1;
	return skb_base_ok(off, size, write);
}

static bool cgroup_skb_ctx_ok(uint32_t off, uint32_t size, bool write)
{
	if (IN(tc_classid) || IN(data_meta) || IN(wire_len))
		return false;
	if (write && !(IN(mark) || IN(priority) || IN(cb) || IN(tstamp)))
		return false;
	return skb_base_ok(off, size, write);
}

static bool lwt_ctx_ok(uint32_t off, uint32_t size, bool write)
{
	if (IN(tc_classid) || (off >= SKB_OFF(family) && off < SKB_END(local_port)) ||
	    IN(data_meta) || IN(tstamp) || IN(wire_len) || IN(hwtstamp))
		return false;
	if (write && !(IN(mark) || IN(priority) || IN(cb)))
		return false;
	return skb_base_ok(off, size, write);
}

#undef IN

#define SKB_TYPE(var, kname, type, l2_, direct_, writable_, rules)                                 \
	static int var##_test_run(struct progtype_test *t, union bpf_attr *attr)                   \
	{                                                                                          \
		static const struct skb_kind k = {l2_, direct_, writable_, rules};                 \
		return test_run(&k, type, t, attr);                                                \
	}                                                                                          \
	const struct progtype progtype_##var = {                                                   \
		.name = kname,                                                                     \
		.prog_type = type,                                                                 \
		.ctx_size = sizeof(struct __sk_buff),                                              \
		.test_run = var##_test_run,                                                        \
		.ctx_access = rules,                                                               \
	}

SKB_TYPE(socket_filter, "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER, false, false, false,
	 socket_filter_ctx_ok);
SKB_TYPE(sched_cls, "sched_cls", BPF_PROG_TYPE_SCHED_CLS, true, true, true, tc_ctx_ok);
SKB_TYPE(sched_act, "sched_act", BPF_PROG_TYPE_SCHED_ACT, true, true, true, tc_ctx_ok);
SKB_TYPE(cgroup_skb, "cgroup_skb", BPF_PROG_TYPE_CGROUP_SKB, false, true, false, cgroup_skb_ctx_ok);
SKB_TYPE(lwt_in, "lwt_in", BPF_PROG_TYPE_LWT_IN, false, true, false, lwt_ctx_ok);
SKB_TYPE(lwt_out, "lwt_out", BPF_PROG_TYPE_LWT_OUT, false, true, false, lwt_ctx_ok);
SKB_TYPE(lwt_xmit, "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, false, true, true, lwt_ctx_ok);
