/* The raw SYN cookie helpers of XDP and tc (net/core/filter.c and
 * net/ipv4/syncookies.c, Linux 6.18): a cookie is the kernel's layout, a
 * keyed hash of the connection plus the client's sequence number plus a
 * minute counter in the top 8 bits, the MSS's index in the kernel's table
 * in the low 24 (itself added to a second hash); a check accepts cookies of
 * the last two minutes. The keys are this process's own (SipHash-2-4 keys
 * drawn at first use), as the kernel's are its boot's: bpfhost checks the
 * cookies bpfhost made, and the MSS a cookie carries is the kernel's. */
#include "skb.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define ERR(e) ((uint64_t)(int64_t)(e))

#define COOKIE_BITS 24 /* the MSS index part */
#define COOKIE_MASK ((1u << COOKIE_BITS) - 1)
#define MAX_AGE 2			 /* MAX_SYNCOOKIE_AGE, in minutes */
#define IPV6_MSS_CLAMP (1280u - 20 - 40) /* IPV6_MIN_MTU less the TCP and IPv6 headers */
#define TCP_HLEN 20u			 /* sizeof(struct tcphdr) */
#define TCP_MSS_DEFAULT 536u
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2

static const uint16_t msstab4[] = {536, 1300, 1440, 1460};
static const uint16_t msstab6[] = {1280 - 60, 1480 - 60, 1500 - 60, 9000 - 60};

static uint64_t keys[2][2];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void keys_init(void)
{
	uint8_t *p = (uint8_t *)keys;
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(keys) && (n = getrandom(p + got, sizeof(keys) - got, 0)) > 0)
		got += (size_t)n;
	if (got < sizeof(keys)) /* no entropy to be had: still per process and per boot */
		keys[0][0] ^= (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uintptr_t)&got;
}

static uint64_t rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = rotl(v1, 13) ^ v0;                                                            \
		v0 = rotl(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = rotl(v3, 16) ^ v2;                                                            \
		v0 += v3;                                                                          \
		v3 = rotl(v3, 21) ^ v0;                                                            \
		v2 += v1;                                                                          \
		v1 = rotl(v1, 17) ^ v2;                                                            \
		v2 = rotl(v2, 32);                                                                 \
	} while (0)

/* SipHash-2-4 of n bytes at m under key k */
static uint64_t siphash(const uint64_t k[2], const uint8_t *m, size_t n)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k[0], v1 = 0x646f72616e646f6dull ^ k[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ k[0], v3 = 0x7465646279746573ull ^ k[1];
	uint64_t w, last = (uint64_t)n << 56;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		w = 0;
		for (int j = 7; j >= 0; j--)
			w = w << 8 | m[i + (size_t)j];
		v3 ^= w;
		SIPROUND;
		SIPROUND;
		v0 ^= w;
	}
	for (size_t j = 0; i + j < n; j++)
		last |= (uint64_t)m[i + j] << (8 * j);
	v3 ^= last;
	SIPROUND;
	SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* A connection: the addresses (4 or 16 bytes each) and ports, as sent. */
struct conn {
	const uint8_t *saddr, *daddr;
	size_t alen;
	uint16_t sport, dport;
};

/* The kernel's cookie_hash: the connection and count under keys[key]. */
static uint32_t chash(const struct conn *c, uint32_t count, int key)
{
	uint8_t m[2 * 16 + 8];
	size_t n = 0;

	pthread_once(&keys_once, keys_init);
	memcpy(m + n, c->saddr, c->alen);
	n += c->alen;
	memcpy(m + n, c->daddr, c->alen);
	n += c->alen;
	memcpy(m + n, &c->sport, 2);
	memcpy(m + n + 2, &c->dport, 2);
	memcpy(m + n + 4, &count, 4);
	return (uint32_t)siphash(keys[key], m, n + 8);
}

/* tcp_cookie_time(): minutes of the monotonic clock (the kernel's jiffies) */
static uint32_t cookie_time(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec / 60);
}

static uint32_t cookie_make(const struct conn *c, uint32_t sseq, uint32_t data)
{
	uint32_t count = cookie_time();

	return chash(c, 0, 0) + sseq + (count << COOKIE_BITS) +
	       ((chash(c, count, 1) + data) & COOKIE_MASK);
}

/* The data (the MSS index) a cookie of the last MAX_AGE minutes holds, or
 * UINT32_MAX. */
static uint32_t cookie_data(const struct conn *c, uint32_t cookie, uint32_t sseq)
{
	uint32_t count = cookie_time(), diff;

	cookie -= chash(c, 0, 0) + sseq;
	diff = (count - (cookie >> COOKIE_BITS)) & (UINT32_MAX >> COOKIE_BITS);
	if (diff >= MAX_AGE)
		return UINT32_MAX;
	return (cookie - chash(c, count - diff, 1)) & COOKIE_MASK;
}

/* A TCP header's fields, read byte by byte: a packet's is often not
 * aligned for struct tcphdr. */
static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t th_doff(const uint8_t *th)
{
	return th[12] >> 4;
}

/* The connection of the IPv4 or IPv6 header ip and the TCP header th. */
static struct conn conn_of(const uint8_t *ip, const uint8_t *th, bool v6)
{
	struct conn c = {v6 ? ip + 8 : ip + 12, v6 ? ip + 24 : ip + 16, v6 ? 16 : 4, 0, 0};

	memcpy(&c.sport, th, 2);
	memcpy(&c.dport, th + 2, 2);
	return c;
}

/* The kernel's tcp_parse_mss_option: the SYN's MSS option, 0 if none (or
 * 0, or the options end before it). */
static uint16_t parse_mss(const uint8_t *th)
{
	const uint8_t *p = th + TCP_HLEN;
	int left = (int)(th_doff(th) * 4 - TCP_HLEN);
	uint16_t mss = 0;

	while (left > 0) {
		int kind = *p++, size;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			left--;
			continue;
		}
		if (left < 2)
			break;
		size = *p++;
		if (size < 2 || size > left)
			break;
		if (kind == TCPOPT_MSS && size == 4 && (p[0] << 8 | p[1]))
			mss = (uint16_t)(p[0] << 8 | p[1]);
		p += size - 2;
		left -= size;
	}
	return mss;
}

/* Is [p, p + size) memory the program may read? Else the run stops. */
static bool readable(struct vm_run *run, uint64_t p, uint64_t size, const char *helper, int reg)
{
	if (vm_check_access(run, p, size, false))
		return true;
	vm_helper_fault(run,
			"helper %s: argument R%d (0x%llx, size %llu) is not memory the program "
			"may read",
			helper, reg, (unsigned long long)p, (unsigned long long)size);
	return false;
}

/* bpf_tcp_raw_gen_syncookie_ipv4/6(iph, th, th_len): the cookie for the SYN
 * in the low 32 bits, the MSS it encodes (the largest in the table no
 * larger than the SYN's, whose default is 536 (IPv4) or 1220) in the high
 * 32; -EINVAL for a th_len short of a TCP header or other than its doff's. */
static uint64_t gen(uint64_t iph, uint64_t thp, uint64_t th_len, bool v6, struct vm_run *run)
{
	const char *name = v6 ? "bpf_tcp_raw_gen_syncookie_ipv6" : "bpf_tcp_raw_gen_syncookie_ipv4";
	const uint8_t *ip = (const uint8_t *)(uintptr_t)iph, *th = (const uint8_t *)(uintptr_t)thp;
	const uint16_t *tab = v6 ? msstab6 : msstab4;
	struct conn c;
	uint32_t mssind;
	uint16_t mss;

	if (!readable(run, iph, v6 ? 40 : 20, name, 1))
		return 0;
	if ((uint32_t)th_len < TCP_HLEN || (uint32_t)th_len != th_doff(th) * 4)
		return ERR(-EINVAL);
	mss = parse_mss(th);
	if (!mss)
		mss = v6 ? IPV6_MSS_CLAMP : TCP_MSS_DEFAULT;
	for (mssind = 3; mssind && mss < tab[mssind]; mssind--)
		;
	c = conn_of(ip, th, v6);
	return cookie_make(&c, be32_at(th + 4), mssind) | (uint64_t)tab[mssind] << 32;
}

/* bpf_tcp_raw_check_syncookie_ipv4/6(iph, th): 0 if the ACK's cookie
 * (ack_seq - 1) is one gen made for its SYN (seq - 1) in the last two
 * minutes, else -EACCES. */
static uint64_t check(uint64_t iph, uint64_t thp, bool v6, struct vm_run *run)
{
	const char *name =
		v6 ? "bpf_tcp_raw_check_syncookie_ipv6" : "bpf_tcp_raw_check_syncookie_ipv4";
	const uint8_t *ip = (const uint8_t *)(uintptr_t)iph, *th = (const uint8_t *)(uintptr_t)thp;
	struct conn c;

	if (!readable(run, iph, v6 ? 40 : 20, name, 1) || !readable(run, thp, TCP_HLEN, name, 2))
		return 0;
	c = conn_of(ip, th, v6);
	if (cookie_data(&c, be32_at(th + 8) - 1, be32_at(th + 4) - 1) < 4)
		return 0;
	return ERR(-EACCES);
}

uint64_t helper_tcp_raw_gen_syncookie_ipv4(uint64_t iph, uint64_t th, uint64_t th_len, uint64_t r4,
					   uint64_t r5, struct vm_run *run)
{
	(void)r4, (void)r5;
	return gen(iph, th, th_len, false, run);
}

uint64_t helper_tcp_raw_gen_syncookie_ipv6(uint64_t iph, uint64_t th, uint64_t th_len, uint64_t r4,
					   uint64_t r5, struct vm_run *run)
{
	(void)r4, (void)r5;
	return gen(iph, th, th_len, true, run);
}

uint64_t helper_tcp_raw_check_syncookie_ipv4(uint64_t iph, uint64_t th, uint64_t r3, uint64_t r4,
					     uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	return check(iph, th, false, run);
}

uint64_t helper_tcp_raw_check_syncookie_ipv6(uint64_t iph, uint64_t th, uint64_t r3, uint64_t r4,
					     uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	return check(iph, th, true, run);
}
