/* mkcapture: writes the captures the examples and tests run over, the same
 * bytes on every run (fixed addresses, ports, sequence numbers and times),
 * and checks the checksums of any capture.
 *
 *   mkcapture sample OUT      40 frames of a small LAN (see write_sample)
 *   mkcapture verify CAPTURE  one line per packet; exit 1 if a checksum is bad
 *   mkcapture snaplen|tiny|truncated|linux-sll|pcapng|garbage OUT   (for tests)
 *
 * Frames are built byte by byte in network order; libpcap writes pcap files,
 * the pcapng file and the damaged ones are written by hand. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EPOCH 1700000000 /* 2023-11-14 22:13:20 UTC: the first packet's time */
#define MAX_FRAME 1514

/* Protocol numbers, written out: <linux/...> headers clash with libpcap's. */
enum {
	ETH_IPV4 = 0x0800,
	ETH_ARP = 0x0806,
	ETH_VLAN = 0x8100,
	ETH_IPV6 = 0x86dd,
	IP_ICMP = 1,
	IP_TCP = 6,
	IP_UDP = 17,
	IP_ICMPV6 = 58,
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
};

struct host {
	uint8_t mac[6];
	uint8_t ip4[4];
	uint8_t ip6[16];
};

/* the IPv6 documentation prefix, 2001:db8::/32, up to the last byte */
#define DOC6 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const struct host laptop = {{2, 0, 0, 0, 0, 0x0a}, {192, 168, 1, 10}, {DOC6, 0x10}};
static const struct host phone = {{2, 0, 0, 0, 0, 0x0b}, {192, 168, 1, 11}, {DOC6, 0x11}};
static const struct host router = {{2, 0, 0, 0, 0, 0x01}, {192, 168, 1, 1}, {DOC6, 0x01}};
static const struct host server = {{2, 0, 0, 0, 0, 0x14}, {192, 168, 1, 20}, {DOC6, 0x20}};
/* beyond the router: its packets carry the router's MAC address */
static const struct host web = {{2, 0, 0, 0, 0, 0x01}, {93, 184, 216, 34}, {DOC6, 0x80}};
static const struct host anyone = {.mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
				   .ip4 = {255, 255, 255, 255}};
static const struct host nobody = {.mac = {2, 0, 0, 0, 0, 0x0c}}; /* 0.0.0.0: no address yet */

/* A conversation: who talks to whom, over which protocol and ports. */
struct flow {
	const struct host *a, *b; /* a starts it */
	uint8_t proto;		  /* IP_TCP, IP_UDP, IP_ICMP */
	uint16_t aport, bport;
	bool ipv6;
	uint16_t vlan; /* 802.1Q VLAN id, or 0: untagged */
};

struct frame {
	uint8_t b[MAX_FRAME];
	size_t len, l3, l4; /* bytes; where the IP header and the TCP/UDP/ICMP header start */
	bool ipv6;
};

/* Where frames go: a pcap file (through libpcap) or a pcapng file. */
struct writer {
	pcap_dumper_t *pcap;
	FILE *pcapng;
	uint32_t snaplen;
	uint64_t usec; /* time of the next frame, since EPOCH */
	unsigned count;
	uint32_t last_caplen;
};

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The Internet checksum (RFC 1071): add 16-bit words, fold the carries in. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The sum of the pseudo-header TCP, UDP and ICMPv6 checksums cover. */
static uint32_t pseudo_sum(const uint8_t *ip, bool ipv6, uint8_t proto, size_t l4_len)
{
	if (ipv6)
		return sum16(0, ip + 8, 32) + (uint32_t)(l4_len >> 16) + (l4_len & 0xffff) + proto;
	return sum16(0, ip + 12, 8) + proto + (uint32_t)l4_len;
}

/* Ethernet, an optional VLAN tag and an IP header with the lengths left
 * blank; returns the frame's L4 header, to be filled, then ip_end. */
static uint8_t *ip_begin(struct frame *f, const struct flow *fl, bool back)
{
	const struct host *src = back ? fl->b : fl->a, *dst = back ? fl->a : fl->b;
	uint8_t *p = f->b;

	memset(f, 0, sizeof(*f));
	memcpy(p, dst->mac, 6);
	memcpy(p + 6, src->mac, 6);
	p += 12;
	if (fl->vlan) {
		put16(p, ETH_VLAN);
		put16(p + 2, fl->vlan);
		p += 4;
	}
	put16(p, fl->ipv6 ? ETH_IPV6 : ETH_IPV4);
	p += 2;
	f->l3 = (size_t)(p - f->b);
	f->ipv6 = fl->ipv6;
	if (fl->ipv6) {
		p[0] = 0x60;
		p[6] = fl->proto == IP_ICMP ? IP_ICMPV6 : fl->proto;
		p[7] = 64; /* hop limit */
		memcpy(p + 8, src->ip6, 16);
		memcpy(p + 24, dst->ip6, 16);
		p += 40;
	} else {
		p[0] = 0x45;	      /* version 4, 5 words of header */
		put16(p + 6, 0x4000); /* don't fragment (so the id can be 0) */
		p[8] = 64;	      /* TTL */
		p[9] = fl->proto;
		memcpy(p + 12, src->ip4, 4);
		memcpy(p + 16, dst->ip4, 4);
		p += 20;
	}
	f->l4 = (size_t)(p - f->b);
	return p;
}

/* Fills in the lengths and checksums of a frame with l4_len bytes of L4. */
static void ip_end(struct frame *f, size_t l4_len)
{
	uint8_t *ip = f->b + f->l3, *l4 = f->b + f->l4;
	uint8_t proto = f->ipv6 ? ip[6] : ip[9];
	size_t csum_at = proto == IP_TCP ? 16 : proto == IP_UDP ? 6 : 2;
	uint32_t sum = 0;

	f->len = f->l4 + l4_len;
	if (f->ipv6) {
		put16(ip + 4, (uint32_t)l4_len);
	} else {
		put16(ip + 2, (uint32_t)(20 + l4_len));
		put16(ip + 10, fold(sum16(0, ip, 20)));
	}
	if (proto == IP_UDP)
		put16(l4 + 4, (uint32_t)l4_len);
	if (proto != IP_ICMP) /* ICMP for IPv4 has no pseudo-header */
		sum = pseudo_sum(ip, f->ipv6, proto, l4_len);
	put16(l4 + csum_at, fold(sum16(sum, l4, l4_len)));
}

static void emit(struct writer *w, const struct frame *f)
{
	uint32_t caplen = f->len < w->snaplen ? (uint32_t)f->len : w->snaplen;
	uint64_t sec = EPOCH + w->usec / 1000000, usec = w->usec % 1000000;

	if (w->pcap) {
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)sec;
		h.ts.tv_usec = (suseconds_t)usec;
		h.caplen = caplen;
		h.len = (uint32_t)f->len;
		pcap_dump((u_char *)w->pcap, &h, f->b);
	} else {
		/* an Enhanced Packet Block: microseconds since 1970 in two halves */
		uint64_t ts = sec * 1000000 + usec;
		uint32_t pad = (4 - caplen % 4) % 4, total = 32 + caplen + pad;
		uint32_t ts_hi = (uint32_t)(ts >> 32), ts_lo = (uint32_t)ts, len = (uint32_t)f->len;
		/* block type 6, its length, interface 0, the time, the lengths */
		uint32_t b[7] = {6, total, 0, ts_hi, ts_lo, caplen, len};
		static const uint8_t zeros[4];

		fwrite(b, sizeof(b), 1, w->pcapng);
		fwrite(f->b, caplen, 1, w->pcapng);
		fwrite(zeros, pad, 1, w->pcapng);
		fwrite(&total, sizeof(total), 1, w->pcapng);
	}
	w->last_caplen = caplen;
	w->count++;
	/* a few hundred microseconds to a few milliseconds apart */
	w->usec += 300 + (w->count * 7919) % 2700;
}

/* TEXT("abc"): the bytes of a string and their count, without the NUL */
#define TEXT(s) (const uint8_t *)(s), sizeof(s) - 1

static void tcp(struct writer *w, const struct flow *fl, bool back, uint8_t flags, uint32_t seq,
		uint32_t ack, const uint8_t *data, size_t n)
{
	struct frame f;
	uint8_t *p = ip_begin(&f, fl, back);

	put16(p, back ? fl->bport : fl->aport);
	put16(p + 2, back ? fl->aport : fl->bport);
	put32(p + 4, seq);
	put32(p + 8, ack);
	p[12] = 5 << 4; /* 5 words of header */
	p[13] = flags;
	put16(p + 14, 64240); /* window */
	if (n)
		memcpy(p + 20, data, n);
	ip_end(&f, 20 + n);
	emit(w, &f);
}

static void udp(struct writer *w, const struct flow *fl, bool back, const uint8_t *data, size_t n)
{
	struct frame f;
	uint8_t *p = ip_begin(&f, fl, back);

	put16(p, back ? fl->bport : fl->aport);
	put16(p + 2, back ? fl->aport : fl->bport);
	memcpy(p + 8, data, n);
	ip_end(&f, 8 + n);
	emit(w, &f);
}

/* A DNS query for name (type 1: A, 28: AAAA), or its answer with addr. */
static void dns(struct writer *w, const struct flow *fl, uint16_t id, const char *name,
		uint16_t type, const uint8_t *addr)
{
	uint8_t m[512], *p = m + 12;
	const char *label = name;

	memset(m, 0, 12);
	put16(m, id);
	put16(m + 2, addr ? 0x8180 : 0x0100); /* response, recursion: asked, available */
	put16(m + 4, 1);		      /* one question */
	put16(m + 6, addr ? 1 : 0);	      /* one answer, in a response */
	while (*label) {		      /* "example.com" -> 7 example 3 com 0 */
		size_t n = strcspn(label, ".");

		*p++ = (uint8_t)n;
		memcpy(p, label, n);
		p += n;
		label += n + (label[n] == '.');
	}
	*p++ = 0;
	put16(p, type);
	put16(p + 2, 1); /* class IN */
	p += 4;
	if (addr) {
		size_t n = type == 28 ? 16 : 4;

		put16(p, 0xc00c); /* the name: a pointer to the question's */
		put16(p + 2, type);
		put16(p + 4, 1);
		put32(p + 6, 3600); /* TTL */
		put16(p + 10, (uint32_t)n);
		memcpy(p + 12, addr, n);
		p += 12 + n;
	}
	udp(w, fl, addr != NULL, m, (size_t)(p - m));
}

static void icmp_echo(struct writer *w, const struct flow *fl, bool reply, uint16_t seq)
{
	struct frame f;
	uint8_t *p = ip_begin(&f, fl, reply);

	p[0] = reply ? 0 : 8; /* echo reply, echo request */
	put16(p + 4, 0x4242); /* identifier */
	put16(p + 6, seq);
	for (int i = 0; i < 32; i++) /* ping's payload: 0x10, 0x11, ... */
		p[8 + i] = (uint8_t)(0x10 + i);
	ip_end(&f, 40);
	emit(w, &f);
}

static void arp(struct writer *w, const struct host *from, const struct host *to, bool reply)
{
	struct frame f;
	uint8_t *p = f.b;

	memset(&f, 0, sizeof(f));
	memcpy(p, reply ? to->mac : anyone.mac, 6);
	memcpy(p + 6, from->mac, 6);
	put16(p + 12, ETH_ARP);
	p += 14;
	put16(p, 1);		/* Ethernet */
	put16(p + 2, ETH_IPV4); /* IPv4 */
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, reply ? 2 : 1);
	memcpy(p + 8, from->mac, 6);
	memcpy(p + 14, from->ip4, 4);
	if (reply)
		memcpy(p + 18, to->mac, 6);
	memcpy(p + 24, to->ip4, 4);
	/* a reply arrives padded to Ethernet's 60 bytes; a request leaves unpadded */
	f.len = reply ? 60 : 42;
	emit(w, &f);
}

/* {FLOW(IP_TCP, &laptop, 40000, &web, 80)}: laptop port 40000 to web port 80 */
#define FLOW(proto_, a_, aport_, b_, bport_)                                                       \
	.proto = proto_, .a = a_, .aport = aport_, .b = b_, .bport = bport_
static const struct flow http = {FLOW(IP_TCP, &laptop, 40000, &web, 80)};
static const struct flow https = {FLOW(IP_TCP, &laptop, 40001, &web, 443)};
static const struct flow ssh = {FLOW(IP_TCP, &phone, 50000, &server, 22)};
static const struct flow telnet = {FLOW(IP_TCP, &phone, 50001, &server, 23)};
static const struct flow alt_http = {FLOW(IP_TCP, &laptop, 40002, &server, 8080)};
static const struct flow vlan_http = {FLOW(IP_TCP, &phone, 40003, &web, 80), .vlan = 100};
static const struct flow https6 = {FLOW(IP_TCP, &laptop, 40100, &web, 443), .ipv6 = true};
static const struct flow dns_a = {FLOW(IP_UDP, &laptop, 51000, &router, 53)};
static const struct flow dns_aaaa = {FLOW(IP_UDP, &laptop, 51001, &router, 53)};
static const struct flow dns_phone = {FLOW(IP_UDP, &phone, 51002, &router, 53)};
static const struct flow dns6 = {FLOW(IP_UDP, &laptop, 51003, &router, 53), .ipv6 = true};
static const struct flow ntp = {FLOW(IP_UDP, &laptop, 123, &router, 123)};
static const struct flow chargen = {FLOW(IP_UDP, &laptop, 40004, &server, 19)};
static const struct flow dhcp = {FLOW(IP_UDP, &nobody, 68, &anyone, 67)};
static const struct flow ping = {FLOW(IP_ICMP, &laptop, 0, &router, 0)};

static const uint8_t web_ip4[] = {93, 184, 216, 34};
static const uint8_t web_ip6[] = {DOC6, 0x80};

static void ntp_packet(struct writer *w, bool reply)
{
	uint8_t m[48] = {reply ? 0x24 : 0x23}; /* version 4, mode 4 (server) or 3 (client) */

	if (reply)
		m[1] = 2; /* stratum */
	udp(w, &ntp, reply, m, sizeof(m));
}

/* "Who gives me an address?": a BOOTP request with DHCP's option 53. */
static void dhcp_discover(struct writer *w)
{
	uint8_t m[244] = {1, 1, 6}; /* a request, over Ethernet (6-byte addresses) */

	put32(m + 4, 0x3903f326);		/* transaction id */
	memcpy(m + 28, nobody.mac, 6);		/* the client's address */
	put32(m + 236, 0x63825363);		/* the DHCP magic cookie */
	memcpy(m + 240, "\x35\x01\x01\xff", 4); /* DHCP message type: discover; end */
	udp(w, &dhcp, false, m, sizeof(m));
}

/* The sample: 40 frames. An XDP firewall that drops telnet (TCP 23) and
 * chargen (UDP 19) passes 37 and drops 3; 5 are IPv4 DNS; 2 go to port 8080. */
static void write_sample(struct writer *w)
{
	static const uint8_t chargen_ask[] = "\n";

	arp(w, &laptop, &router, false);
	arp(w, &router, &laptop, true);
	dns(w, &dns_a, 0x1a2b, "example.com", 1, NULL);
	dns(w, &dns_a, 0x1a2b, "example.com", 1, web_ip4);
	dns(w, &dns_aaaa, 0x1a2c, "example.com", 28, NULL);
	/* HTTP: handshake, request, response, close */
	tcp(w, &http, false, TCP_SYN, 1000, 0, NULL, 0);
	tcp(w, &http, true, TCP_SYN | TCP_ACK, 5000, 1001, NULL, 0);
	tcp(w, &http, false, TCP_ACK, 1001, 5001, NULL, 0);
	tcp(w, &http, false, TCP_PSH | TCP_ACK, 1001, 5001,
	    TEXT("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
	tcp(w, &http, true, TCP_PSH | TCP_ACK, 5001, 1038,
	    TEXT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
	tcp(w, &http, false, TCP_FIN | TCP_ACK, 1038, 5044, NULL, 0);
	/* HTTPS: the data is a made-up TLS record */
	tcp(w, &https, false, TCP_SYN, 2000, 0, NULL, 0);
	tcp(w, &https, true, TCP_SYN | TCP_ACK, 7000, 2001, NULL, 0);
	tcp(w, &https, false, TCP_ACK, 2001, 7001, NULL, 0);
	tcp(w, &https, false, TCP_PSH | TCP_ACK, 2001, 7001, TEXT("\x16\x03\x01\x00\x05hello"));
	tcp(w, &https, true, TCP_PSH | TCP_ACK, 7001, 2011, TEXT("\x16\x03\x03\x00\x05world"));
	tcp(w, &https, false, TCP_ACK, 2011, 7011, NULL, 0);
	icmp_echo(w, &ping, false, 1);
	icmp_echo(w, &ping, true, 1);
	icmp_echo(w, &ping, false, 2);
	icmp_echo(w, &ping, true, 2);
	/* SSH from the phone to the server */
	tcp(w, &ssh, false, TCP_SYN, 3000, 0, NULL, 0);
	tcp(w, &ssh, true, TCP_SYN | TCP_ACK, 9000, 3001, NULL, 0);
	tcp(w, &ssh, false, TCP_PSH | TCP_ACK, 3001, 9001, TEXT("SSH-2.0-OpenSSH_9.2\r\n"));
	tcp(w, &ssh, true, TCP_PSH | TCP_ACK, 9001, 3022, TEXT("SSH-2.0-OpenSSH_9.2\r\n"));
	/* telnet, tried twice: the firewall drops both */
	tcp(w, &telnet, false, TCP_SYN, 4000, 0, NULL, 0);
	tcp(w, &telnet, false, TCP_SYN, 4000, 0, NULL, 0);
	/* chargen: dropped too */
	udp(w, &chargen, false, chargen_ask, 1);
	ntp_packet(w, false);
	ntp_packet(w, true);
	/* a web server on port 8080: the tc example moves it to port 80 */
	tcp(w, &alt_http, false, TCP_SYN, 6000, 0, NULL, 0);
	tcp(w, &alt_http, false, TCP_PSH | TCP_ACK, 6001, 11001,
	    TEXT("GET /status HTTP/1.1\r\nHost: server\r\n\r\n"));
	/* the phone on VLAN 100 */
	tcp(w, &vlan_http, false, TCP_SYN, 8000, 0, NULL, 0);
	/* DHCP discover: to everyone */
	dhcp_discover(w);
	/* IPv6: HTTPS and DNS */
	tcp(w, &https6, false, TCP_SYN, 12000, 0, NULL, 0);
	tcp(w, &https6, true, TCP_SYN | TCP_ACK, 13000, 12001, NULL, 0);
	dns(w, &dns6, 0x1a2d, "example.com", 28, NULL);
	dns(w, &dns6, 0x1a2d, "example.com", 28, web_ip6);
	dns(w, &dns_phone, 0x77aa, "example.org", 1, NULL);
	dns(w, &dns_phone, 0x77aa, "example.org", 1, web_ip4);
}

static int write_pcapng(const char *path)
{
	/* Section Header Block: its type and length, the byte-order magic (in
	 * this machine's order: readers swap), version 1.0, length unknown */
	static const uint32_t shb[3] = {0x0a0d0d0a, 28, 0x1a2b3c4d}, shb_end[3] = {~0u, ~0u, 28};
	static const uint16_t version[2] = {1, 0};
	/* Interface Description Block: link type 1 (Ethernet), no snaplen */
	static const uint32_t idb[2] = {1, 20}, idb_end[2] = {0, 20};
	static const uint16_t link[2] = {1, 0};
	struct writer w = {.snaplen = 65535};
	int bad;

	w.pcapng = fopen(path, "wb");
	if (!w.pcapng) {
		perror(path);
		return 1;
	}
	fwrite(shb, sizeof(shb), 1, w.pcapng);
	fwrite(version, sizeof(version), 1, w.pcapng);
	fwrite(shb_end, sizeof(shb_end), 1, w.pcapng);
	fwrite(idb, sizeof(idb), 1, w.pcapng);
	fwrite(link, sizeof(link), 1, w.pcapng);
	fwrite(idb_end, sizeof(idb_end), 1, w.pcapng);
	dns(&w, &dns_a, 0x1a2b, "example.com", 1, NULL);
	tcp(&w, &telnet, false, TCP_SYN, 4000, 0, NULL, 0);
	tcp(&w, &http, false, TCP_PSH | TCP_ACK, 1001, 5001, TEXT("GET / HTTP/1.1\r\n\r\n"));
	bad = ferror(w.pcapng);
	if (fclose(w.pcapng) || bad) {
		perror(path);
		return 1;
	}
	return 0;
}

/* The IPv4 frame of a flow as a Linux "cooked" capture (DLT_LINUX_SLL) sees
 * it: a 16-byte header in place of Ethernet's 14. */
static void write_sll(struct writer *w)
{
	struct frame f;
	uint8_t sll[16] = {0, 0, 0, 1, 0, 6}; /* to us, ARPHRD_ETHER, 6-byte address */
	uint8_t *p = ip_begin(&f, &chargen, false);

	memset(p, 0, 12);
	put16(p, chargen.aport);
	put16(p + 2, chargen.bport);
	ip_end(&f, 12);
	memcpy(sll + 6, laptop.mac, 6);
	put16(sll + 14, ETH_IPV4);
	memmove(f.b + 2, f.b, f.len);
	memcpy(f.b, sll, 16);
	f.len += 2;
	emit(w, &f);
}

/* A record that claims 2 GiB of data after the last one. */
static int append_garbage(const char *path)
{
	static const uint32_t rec[4] = {EPOCH + 1, 0, 0x7fffffff, 0x7fffffff};
	FILE *f = fopen(path, "ab");
	int bad;

	if (!f) {
		perror(path);
		return 1;
	}
	fwrite(rec, sizeof(rec), 1, f);
	fwrite("not a packet", 12, 1, f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		perror(path);
		return 1;
	}
	return 0;
}

static int write_pcap(const char *mode, const char *path)
{
	struct writer w = {.snaplen = 65535};
	int link = !strcmp(mode, "linux-sll") ? DLT_LINUX_SLL : DLT_EN10MB;
	int64_t size;
	pcap_t *p;

	if (!strcmp(mode, "snaplen"))
		w.snaplen = 60;
	p = pcap_open_dead(link, (int)w.snaplen);
	if (!p)
		return 1;
	w.pcap = pcap_dump_open(p, path);
	if (!w.pcap) {
		fprintf(stderr, "mkcapture: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	if (!strcmp(mode, "sample") || !strcmp(mode, "snaplen")) {
		write_sample(&w);
	} else if (!strcmp(mode, "tiny")) {
		struct frame f = {.len = 10}; /* shorter than an Ethernet header */

		memset(f.b, 0xff, 6);
		emit(&w, &f);
		dns(&w, &dns_a, 0x1a2b, "example.com", 1, NULL);
	} else if (!strcmp(mode, "truncated") || !strcmp(mode, "garbage")) {
		dns(&w, &dns_a, 0x1a2b, "example.com", 1, NULL);
		dns(&w, &dns_a, 0x1a2b, "example.com", 1, web_ip4);
		tcp(&w, &http, false, TCP_PSH | TCP_ACK, 1001, 5001,
		    TEXT("GET / HTTP/1.1\r\n\r\n"));
	} else {
		write_sll(&w);
	}
	size = pcap_dump_flush(w.pcap) ? -1 : pcap_dump_ftell64(w.pcap);
	pcap_dump_close(w.pcap);
	pcap_close(p);
	if (size < 0) {
		fprintf(stderr, "mkcapture: cannot write %s\n", path);
		return 1;
	}
	/* the last record cut off in the middle of its data */
	if (!strcmp(mode, "truncated") && truncate(path, size - w.last_caplen / 2) != 0) {
		perror(path);
		return 1;
	}
	return !strcmp(mode, "garbage") ? append_garbage(path) : 0;
}

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IP_TCP: return "tcp";
	case IP_UDP: return "udp";
	case IP_ICMP: return "icmp";
	case IP_ICMPV6: return "icmpv6";
	default: return "other";
	}
}

/* Prints one packet and checks its checksums: 1 if one is wrong. */
static int verify_packet(unsigned n, const uint8_t *p, uint32_t caplen)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t l3 = 14, ip_len, hdr_len;
	uint16_t type = caplen >= 14 ? get16(p + 12) : 0;
	const uint8_t *ip, *l4;
	uint32_t sum = 0;
	uint8_t proto;
	bool ipv6, ports;
	int bad = 0;

	printf("%3u ", n);
	if (type == ETH_VLAN && caplen >= 18) {
		printf("vlan %u ", get16(p + 14) & 0xfff);
		type = get16(p + 16);
		l3 = 18;
	}
	ip = p + l3;
	ipv6 = type == ETH_IPV6;
	if (type == ETH_ARP && caplen >= l3 + 28) {
		inet_ntop(AF_INET, ip + 14, src, sizeof(src));
		inet_ntop(AF_INET, ip + 24, dst, sizeof(dst));
		printf("arp %s %s > %s\n", get16(ip + 6) == 1 ? "request" : "reply", src, dst);
		return 0;
	}
	hdr_len = ipv6 ? 40 : caplen > l3 ? (ip[0] & 15) * 4u : 0;
	if ((type != ETH_IPV4 && !ipv6) || hdr_len < 20 || caplen < l3 + hdr_len) {
		printf("%u bytes, not IP\n", caplen);
		return 0;
	}
	inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip + (ipv6 ? 8 : 12), src, sizeof(src));
	inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip + (ipv6 ? 24 : 16), dst, sizeof(dst));
	proto = ip[ipv6 ? 6 : 9];
	ip_len = ipv6 ? 40u + get16(ip + 4) : get16(ip + 2);
	l4 = ip + hdr_len;
	ports = (proto == IP_TCP || proto == IP_UDP) && caplen >= l3 + hdr_len + 4;
	printf("%s %s %s%s%s", ipv6 ? "ipv6" : "ipv4", proto_name(proto), ipv6 ? "[" : "", src,
	       ipv6 ? "]" : "");
	if (ports)
		printf(":%u", get16(l4));
	printf(" > %s%s%s", ipv6 ? "[" : "", dst, ipv6 ? "]" : "");
	if (ports)
		printf(":%u", get16(l4 + 2));
	printf(" %s %u: ", ipv6 ? "hop limit" : "ttl", ip[ipv6 ? 7 : 8]);
	if (ip_len < hdr_len + (proto == IP_TCP ? 20 : 8)) {
		printf("IP length %zu is too short\n", ip_len);
		return 1;
	}
	if (caplen < l3 + ip_len) {
		printf("cut short, checksums not checked\n");
		return 0;
	}
	if (!ipv6 && fold(sum16(0, ip, hdr_len))) {
		printf("IPv4 header checksum WRONG ");
		bad = 1;
	}
	if (proto != IP_ICMP)
		sum = pseudo_sum(ip, ipv6, proto, ip_len - hdr_len);
	/* a UDP checksum of 0 over IPv4: none computed */
	if (proto == IP_UDP && !ipv6 && !get16(l4 + 6))
		proto = 0;
	if ((proto == IP_TCP || proto == IP_UDP || proto == IP_ICMP || proto == IP_ICMPV6) &&
	    fold(sum16(sum, l4, ip_len - hdr_len))) {
		printf("%s checksum WRONG", proto_name(proto));
		bad = 1;
	}
	printf("%s\n", bad ? "" : "checksums ok");
	return bad;
}

static int verify(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0, bad = 0;
	pcap_t *p = pcap_open_offline(path, err);
	int rc;

	if (!p) {
		fprintf(stderr, "mkcapture: %s\n", err);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		bad += (unsigned)verify_packet(++n, data, h->caplen);
	if (rc != PCAP_ERROR_BREAK)
		fprintf(stderr, "mkcapture: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	printf("%s: %u packets, %u with a wrong checksum\n", path, n, bad);
	return bad || rc != PCAP_ERROR_BREAK;
}

int main(int argc, char **argv)
{
	static const char *const modes[] = {"sample", "snaplen",   "tiny",   "truncated",
					    "verify", "linux-sll", "pcapng", "garbage"};
	size_t i = 0;

	while (argc == 3 && i < sizeof(modes) / sizeof(modes[0]) && strcmp(argv[1], modes[i]))
		i++;
	if (argc != 3 || i == sizeof(modes) / sizeof(modes[0])) {
		fprintf(stderr, "usage: mkcapture sample|snaplen|tiny|truncated|linux-sll|"
				"pcapng|garbage OUT\n"
				"       mkcapture verify CAPTURE\n");
		return 2;
	}
	if (!strcmp(argv[1], "verify"))
		return verify(argv[2]);
	if (!strcmp(argv[1], "pcapng"))
		return write_pcapng(argv[2]);
	return write_pcap(argv[1], argv[2]);
}
