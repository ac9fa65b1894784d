/* bpf_fib_lookup from a clang-compiled XDP program (tests/bpf/fib.bpf.c):
 * the argument errors, which are the kernel's and checked on both backends,
 * then (bpfhost only) the answers from a routing table file written here and
 * named by BPFHOST_FIB: gateways, longest prefix, neighbours, route types,
 * MTU, IPv6, connected routes, a rewritten file and malformed lines. The
 * kernel answers from its own FIB, so the _kernel build skips the table.
 * Usage: test_fib OBJ */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

#ifndef KERNEL_BACKEND
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

/* tests/bpf/fib.bpf.c's one .bss global */
struct fib_io {
	struct bpf_fib_lookup in, out;
	__u32 plen, flags;
	__s64 ret;
};

#define NO_RUN 0x7777 /* io.ret when the program did not run */
#define BAD_FLAG (1u << 10)
#define PLEN sizeof(struct bpf_fib_lookup)

static int prog_fd, bss_fd;

/* One run of the program: *p in, *p as the helper left it out; the
 * helper's answer. */
static long long lookup(struct bpf_fib_lookup *p, __u32 plen, __u32 flags)
{
	struct fib_io io = {.in = *p, .plen = plen, .flags = flags, .ret = NO_RUN};
	unsigned char pkt[64] = {0};
	int zero = 0;

	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt));
	CHECK(bpf_map_update_elem(bss_fd, &zero, &io, BPF_ANY) == 0, "write .bss: %s",
	      strerror(errno));
	CHECK(bpf_prog_test_run_opts(prog_fd, &opts) == 0, "run: %s", strerror(errno));
	CHECK(opts.retval == XDP_PASS, "retval %u", opts.retval);
	CHECK(bpf_map_lookup_elem(bss_fd, &zero, &io) == 0, "read .bss: %s", strerror(errno));
	*p = io.out;
	return io.ret;
}

/* Parameters for a lookup of dst (IPv4 or IPv6 text) arriving on ifindex,
 * tot_len bytes long. */
static struct bpf_fib_lookup params(const char *dst, __u32 ifindex, __u16 tot_len)
{
	struct bpf_fib_lookup p;

	memset(&p, 0, sizeof(p));
	p.family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	p.l4_protocol = IPPROTO_UDP;
	p.sport = htons(40000);
	p.dport = htons(53);
	p.tot_len = tot_len;
	p.ifindex = ifindex;
	CHECK(inet_pton(p.family, dst,
			p.family == AF_INET ? (void *)&p.ipv4_dst : (void *)p.ipv6_dst) == 1,
	      "address %s", dst);
	return p;
}

/* The argument checks of net/core/filter.c, in the kernel's order: the
 * length, then the flags, then the family, then the device. The
 * parameters are left as they were. */
static void test_errors(void)
{
	static const struct {
		const char *what, *dst;
		__u32 ifindex, plen, flags;
		int family; /* -1: the address's */
		long long want;
	} cases[] = {
		{"plen one short", "10.1.2.3", 1, PLEN - 1, 0, -1, -EINVAL},
		{"plen 1", "10.1.2.3", 1, 1, 0, -1, -EINVAL},
		{"plen one short, IPv6", "2001:db8::1", 1, PLEN - 1, 0, -1, -EINVAL},
		{"flag 1<<10", "10.1.2.3", 1, PLEN, BAD_FLAG, -1, -EINVAL},
		{"flag 1<<6", "10.1.2.3", 1, PLEN, 1u << 6, -1, -EINVAL},
		{"flag 1<<31 among known ones", "2001:db8::1", 1, PLEN, 0x80000004u, -1, -EINVAL},
		{"AF_UNSPEC", "10.1.2.3", 1, PLEN, 0, AF_UNSPEC, -EAFNOSUPPORT},
		{"AF_PACKET", "10.1.2.3", 1, PLEN, 0, AF_PACKET, -EAFNOSUPPORT},
		{"AF_INET6 + 1", "10.1.2.3", 1, PLEN, 0, AF_INET6 + 1, -EAFNOSUPPORT},
		{"all known flags, bad family", "10.1.2.3", 1, PLEN, 0x3f, AF_PACKET,
		 -EAFNOSUPPORT},
		{"ifindex 0", "10.1.2.3", 0, PLEN, 0, -1, -ENODEV},
		{"IPv6 link-local", "fe80::1", 999999, PLEN, 0, -1, BPF_FIB_LKUP_RET_NOT_FWDED},
		{"IPv6 multicast", "ff02::1", 999999, PLEN, 0, -1, BPF_FIB_LKUP_RET_NOT_FWDED},
		{"no such ifindex", "10.1.2.3", 999999, PLEN, 0, -1, -ENODEV},
		{"no such ifindex, IPv6", "2001:db8::1", 999999, PLEN, 0, -1, -ENODEV},
		{"no such ifindex, SKIP_NEIGH|OUTPUT", "10.1.2.3", 999999, PLEN,
		 BPF_FIB_LOOKUP_SKIP_NEIGH | BPF_FIB_LOOKUP_OUTPUT, -1, -ENODEV},
		{"plen above the struct", "10.1.2.3", 999999, PLEN + 8, 0, -1, -ENODEV},
		/* the order of the checks */
		{"short plen before bad flags", "10.1.2.3", 999999, 8, BAD_FLAG, AF_PACKET,
		 -EINVAL},
		{"bad flags before bad family", "10.1.2.3", 999999, PLEN, BAD_FLAG, AF_PACKET,
		 -EINVAL},
		{"bad family before bad ifindex", "10.1.2.3", 999999, PLEN, 0, AF_PACKET,
		 -EAFNOSUPPORT},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_fib_lookup p = params(cases[i].dst, cases[i].ifindex, 100), in;
		long long ret;

		if (cases[i].family >= 0)
			p.family = (__u8)cases[i].family;
		in = p;
		ret = lookup(&p, cases[i].plen, cases[i].flags);
		CHECK(ret == cases[i].want, "%s: %lld, expected %lld", cases[i].what, ret,
		      cases[i].want);
		CHECK(!memcmp(&p, &in, sizeof(p)), "%s: the parameters changed", cases[i].what);
	}
}

#ifndef KERNEL_BACKEND

static char dir[64], table[128];

/* Writes the table file; mtime_sec, if nonzero, becomes its mtime. */
static void write_table(const char *text, time_t mtime_sec)
{
	FILE *f = fopen(table, "w");

	CHECK(f != NULL, "create %s: %s", table, strerror(errno));
	if (!f)
		return;
	fputs(text, f);
	CHECK(fclose(f) == 0, "write %s", table);
	if (mtime_sec) {
		struct timespec t[2] = {{mtime_sec, 0}, {mtime_sec, 0}};

		CHECK(utimensat(AT_FDCWD, table, t, 0) == 0, "utimensat: %s", strerror(errno));
	}
}

static void fmt_mac(const __u8 *m, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

#define SMAC1 "02:00:00:00:00:01"
#define DMAC1 "02:00:00:00:00:02"
#define SMAC2 "02:00:00:00:00:03"
#define DMAC2 "02:00:00:00:00:04"
#define KEPT "ee:ee:ee:ee:ee:ee" /* what the MACs are set to before a lookup */
#define KEPT_VLAN 0x5678	 /* and h_vlan_proto and h_vlan_TCI */

/* Checks a lookup of dst arriving on lo answered ret with the next hop nh,
 * the device ifindex, mtu_result (0: not checked) and the MACs (NULL: not
 * checked). As Linux 6.18 does (seen in a network namespace with the same
 * routes): a forwarded lookup clears the VLAN fields and, looking up the
 * neighbour, sets both MACs, SKIP_NEIGH leaves them; an answer other than
 * SUCCESS and NO_NEIGH changes nothing but mtu_result on FRAG_NEEDED. */
static void expect(const char *dst, __u16 tot_len, __u32 flags, long long ret, const char *nh,
		   __u32 ifindex, __u16 mtu, const char *smac, const char *dmac)
{
	struct bpf_fib_lookup p = params(dst, 1, tot_len);
	char got_nh[INET6_ADDRSTRLEN] = "", got_mac[18];
	long long got;
	__u16 vlan = ret == BPF_FIB_LKUP_RET_SUCCESS ? 0 : KEPT_VLAN;

	memset(p.smac, 0xee, sizeof(p.smac));
	memset(p.dmac, 0xee, sizeof(p.dmac));
	p.h_vlan_proto = p.h_vlan_TCI = KEPT_VLAN;
	got = lookup(&p, sizeof(p), flags);
	CHECK(got == ret, "%s: %lld, expected %lld", dst, got, ret);
	inet_ntop(p.family, p.family == AF_INET ? (void *)&p.ipv4_dst : (void *)p.ipv6_dst, got_nh,
		  sizeof(got_nh));
	CHECK(!strcmp(got_nh, nh), "%s: next hop %s, expected %s", dst, got_nh, nh);
	CHECK(p.ifindex == ifindex, "%s: ifindex %u, expected %u", dst, p.ifindex, ifindex);
	CHECK(!mtu || p.mtu_result == mtu, "%s: mtu_result %u, expected %u", dst, p.mtu_result,
	      mtu);
	fmt_mac(p.smac, got_mac);
	CHECK(!smac || !strcmp(got_mac, smac), "%s: smac %s, expected %s", dst, got_mac, smac);
	fmt_mac(p.dmac, got_mac);
	CHECK(!dmac || !strcmp(got_mac, dmac), "%s: dmac %s, expected %s", dst, got_mac, dmac);
	CHECK(ret == BPF_FIB_LKUP_RET_NO_NEIGH || (p.h_vlan_proto == vlan && p.h_vlan_TCI == vlan),
	      "%s: vlan %#x/%#x, expected %#x", dst, p.h_vlan_proto, p.h_vlan_TCI, vlan);
}

/* the malformed lines are 5 to 10 */
static const char first[] =
	"# routes for test_fib\n"
	"10.1.0.0/16 via 10.0.0.1 dev 2 smac " SMAC1 " dmac " DMAC1 " mtu 1400\n"
	"10.1.2.0/24 via 10.0.0.9 dev 3 smac " SMAC2 " dmac " DMAC2 " mtu 1500\n"
	"10.0.0.0/8 via 10.0.0.8 dev 6 smac " SMAC1 " dmac " DMAC1 "\n"
	"this is not a route\n"
	"10.4.0.0/33 dev 2 dmac " DMAC1 "\n"
	"10.5.0.0/16 via 2001:db8::1 dev 2 dmac " DMAC1 "\n"
	"10.6.0.0/16 dev 2 colour blue\n"
	"10.7.0.0/16 dev\n"
	"10.8.0.0/16 dev 2 dmac 02:00:00:00:00:100\n"
	"10.2.0.0/16 via 10.0.0.1 dev 2 smac " SMAC1 " mtu 1400 # no neighbour\n"
	"10.3.0.0/24 dev 4 smac " SMAC2 " dmac " DMAC2 "\n"
	"\n"
	"blackhole 10.9.1.0/24\n"
	"unreachable 10.9.2.0/24\n"
	"prohibit 10.9.3.0/24\n"
	"2001:db8::/32 via fe80::1 dev 5 smac " SMAC2 " dmac " DMAC2 " mtu 1280\n"
	"2001:db8:1::/48 dev 7 smac " SMAC1 " dmac " DMAC1 "\n";

/* Runs the first lookup (the one that reads the table) with stderr going
 * to a file, and checks a message names each malformed line. */
static void test_malformed(void)
{
	char log[160], text[4096] = "", want[200];
	int fd, saved;
	ssize_t n;

	snprintf(log, sizeof(log), "%s/stderr", dir);
	fd = open(log, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0, "open %s: %s", log, strerror(errno));
	if (fd < 0)
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	/* a lookup after a malformed line: the routes after it are there */
	expect("10.3.0.7", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.3.0.7", 4, 1500, SMAC2, DMAC2);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(log);
	CHECK(n > 0, "no message on stderr");
	for (int line = 5; line <= 10; line++) {
		snprintf(want, sizeof(want), "bpfhost: %s:%d: not a route, skipped\n", table, line);
		CHECK(strstr(text, want), "no message for line %d: '%s'", line, text);
	}
	CHECK(!strstr(text, ":11:") && !strstr(text, ":4:"), "a route taken as malformed: '%s'",
	      text);
	/* what those lines described is not there */
	for (int i = 4; i <= 8; i++) {
		char dst[32];

		snprintf(dst, sizeof(dst), "10.%d.0.1", i);
		expect(dst, 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.8", 6, 1500, SMAC1, DMAC1);
	}
}

static void test_table(void)
{
	/* a /16 via a gateway, with every field */
	expect("10.1.3.3", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.1", 2, 1400, SMAC1, DMAC1);
	/* the longest prefix wins: over the /16 before it and the /8 after it */
	expect("10.1.2.3", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.9", 3, 1500, SMAC2, DMAC2);
	expect("10.200.0.1", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.8", 6, 1500, SMAC1, DMAC1);
	/* no dmac: no neighbour; the device and gateway are set, as the kernel
	 * sets them before its neighbour lookup */
	expect("10.2.0.5", 100, 0, BPF_FIB_LKUP_RET_NO_NEIGH, "10.0.0.1", 2, 0, NULL, KEPT);
	expect("10.2.0.5", 100, BPF_FIB_LOOKUP_SKIP_NEIGH, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.1", 2,
	       1400, NULL, KEPT);
	/* a route with dmac and SKIP_NEIGH: dmac is left alone */
	expect("10.1.3.3", 100, BPF_FIB_LOOKUP_SKIP_NEIGH, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.1", 2,
	       1400, NULL, KEPT);
	/* route types: nothing else changes */
	expect("10.9.1.1", 100, 0, BPF_FIB_LKUP_RET_BLACKHOLE, "10.9.1.1", 1, 100, KEPT, KEPT);
	expect("10.9.2.1", 100, 0, BPF_FIB_LKUP_RET_UNREACHABLE, "10.9.2.1", 1, 100, KEPT, KEPT);
	expect("10.9.3.1", 100, 0, BPF_FIB_LKUP_RET_PROHIBIT, "10.9.3.1", 1, 100, KEPT, KEPT);
	/* the MTU: up to it forwards, above it asks for fragmentation and
	 * says the MTU, before the device and gateway are set */
	expect("10.1.3.3", 1400, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.0.0.1", 2, 1400, SMAC1, DMAC1);
	expect("10.1.3.3", 1401, 0, BPF_FIB_LKUP_RET_FRAG_NEEDED, "10.1.3.3", 1, 1400, KEPT, KEPT);
	expect("10.200.0.1", 1501, 0, BPF_FIB_LKUP_RET_FRAG_NEEDED, "10.200.0.1", 1, 1500, KEPT,
	       KEPT);
	/* no route */
	expect("192.168.1.1", 100, 0, BPF_FIB_LKUP_RET_NOT_FWDED, "192.168.1.1", 1, 100, KEPT,
	       KEPT);
	expect("2001:db9::1", 100, 0, BPF_FIB_LKUP_RET_NOT_FWDED, "2001:db9::1", 1, 100, KEPT,
	       KEPT);
	/* IPv6, via a gateway, the longest prefix, the MTU, connected */
	expect("2001:db8:2::5", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "fe80::1", 5, 1280, SMAC2, DMAC2);
	expect("2001:db8:2::5", 1281, 0, BPF_FIB_LKUP_RET_FRAG_NEEDED, "2001:db8:2::5", 1, 1280,
	       KEPT, KEPT);
	expect("2001:db8:1::5", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "2001:db8:1::5", 7, 1500, SMAC1,
	       DMAC1);
	/* directly connected (no via): the destination is the next hop */
	expect("10.3.0.7", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.3.0.7", 4, 1500, SMAC2, DMAC2);
}

/* The next lookup after the file changes answers from the new one: by
 * size, by mtime alone, and with the file gone. */
static void test_reload(void)
{
	static const char second[] = "10.1.0.0/16 dev 8 smac " SMAC2 " dmac " DMAC2 " mtu 9000\n";
	static const char third[] = "10.1.0.0/16 dev 9 smac " SMAC2 " dmac " DMAC2 " mtu 8000\n";
	struct stat st;

	write_table(second, 0);
	expect("10.1.2.3", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.1.2.3", 8, 9000, SMAC2, DMAC2);
	expect("10.9.1.1", 100, 0, BPF_FIB_LKUP_RET_NOT_FWDED, "10.9.1.1", 1, 100, KEPT, KEPT);
	/* the same size, a later mtime */
	CHECK(stat(table, &st) == 0, "stat %s", table);
	write_table(third, st.st_mtime + 10);
	expect("10.1.2.3", 100, 0, BPF_FIB_LKUP_RET_SUCCESS, "10.1.2.3", 9, 8000, SMAC2, DMAC2);
	/* no file: no routes */
	CHECK(unlink(table) == 0, "unlink %s", table);
	expect("10.1.2.3", 100, 0, BPF_FIB_LKUP_RET_NOT_FWDED, "10.1.2.3", 1, 100, KEPT, KEPT);
}

#endif

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_map *map, *bss = NULL;
	bool skipped;

	if (argc != 2)
		return 2;
#ifndef KERNEL_BACKEND
	snprintf(dir, sizeof(dir), "/tmp/test_fib.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(table, sizeof(table), "%s/fib", dir);
	write_table(first, 0);
	setenv("BPFHOST_FIB", table, 1);
#endif
	obj = test_load(argv[1], &skipped);
	if (obj) {
		prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "fib"));
		bpf_object__for_each_map(map, obj)
		{
			if (strstr(bpf_map__name(map), ".bss"))
				bss = map;
		}
		CHECK(bss && bpf_map__value_size(bss) == sizeof(struct fib_io), ".bss");
		if (bss && bpf_map__value_size(bss) == sizeof(struct fib_io)) {
			bss_fd = bpf_map__fd(bss);
#ifndef KERNEL_BACKEND
			/* first: the table is read by the first lookup */
			test_malformed();
#endif
			test_errors();
#ifdef KERNEL_BACKEND
			printf("NOTICE: the routing table cases are bpfhost's: skipped\n");
#else
			test_table();
			test_reload();
#endif
		}
		bpf_object__close(obj);
	}
#ifndef KERNEL_BACKEND
	unlink(table);
	rmdir(dir);
#endif
	return skipped ? 0 : TEST_DONE();
}
