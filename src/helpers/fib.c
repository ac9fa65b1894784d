/* bpf_fib_lookup (id 69) answered from a routing table the user provides:
 * bpfhost has no kernel FIB to ask. The table is a text file, BPFHOST_FIB if
 * set, else "fib" in the object directory; one route a line, '#' comments:
 *
 *     [blackhole|unreachable|prohibit] PREFIX [via GATEWAY] [dev IFINDEX]
 *                                      [smac MAC] [dmac MAC] [mtu N]
 *
 * e.g. "10.1.0.0/16 via 10.0.0.1 dev 2 smac 02:00:00:00:00:01 dmac
 * 02:00:00:00:00:02 mtu 1500". The longest prefix of the family matching
 * ipv4_dst/ipv6_dst wins; without one the answer is BPF_FIB_LKUP_RET_NOT_FWDED,
 * as from a kernel with no route. A route without dmac has no neighbour
 * (BPF_FIB_LKUP_RET_NO_NEIGH unless BPF_FIB_LOOKUP_SKIP_NEIGH). Argument
 * checks and their errors are the kernel's (net/core/filter.c); IPv6
 * link-local, multicast and loopback addresses are never forwarded. A route's
 * mtu acts as the kernel's "mtu lock"; metrics are 0. The file is read again
 * whenever its size or modification time changes. */
#include "fib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/obj.h"

#define FIB_FLAGS_KNOWN 0x3fu /* DIRECT OUTPUT SKIP_NEIGH TBID SRC MARK */
#define DEFAULT_MTU 1500u

enum route_type { ROUTE_UNICAST, ROUTE_BLACKHOLE, ROUTE_UNREACHABLE, ROUTE_PROHIBIT };

struct route {
	int family;
	uint8_t prefix[16];
	unsigned plen;
	enum route_type type;
	bool has_via, has_dmac;
	uint8_t via[16];
	uint32_t ifindex, mtu;
	uint8_t smac[ETH_ALEN], dmac[ETH_ALEN];
};

static struct {
	pthread_mutex_t lock;
	struct route *routes;
	size_t cnt;
	char path[600];
	struct timespec mtime;
	off_t size;
	bool loaded;
} fib = {.lock = PTHREAD_MUTEX_INITIALIZER};

static bool parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	unsigned v[ETH_ALEN];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) !=
	    ETH_ALEN)
		return false;
	for (int i = 0; i < ETH_ALEN; i++) {
		if (v[i] > 0xff)
			return false;
		mac[i] = (uint8_t)v[i];
	}
	return true;
}

static bool parse_addr(const char *s, int *family, uint8_t out[16])
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

/* One line into r: 1, 0 for a blank or comment line, -1 if malformed. */
static int parse_line(char *line, struct route *r)
{
	char *save = NULL, *w = strtok_r(line, " \t\r\n", &save), *slash, *v;
	static const char *const types[] = {NULL, "blackhole", "unreachable", "prohibit"};
	int fam;

	memset(r, 0, sizeof(*r));
	r->mtu = DEFAULT_MTU;
	if (!w || *w == '#')
		return 0;
	for (int t = 1; t < 4; t++)
		if (!strcmp(w, types[t])) {
			r->type = (enum route_type)t;
			w = strtok_r(NULL, " \t\r\n", &save);
			break;
		}
	if (!w)
		return -1;
	slash = strchr(w, '/');
	if (slash)
		*slash = 0;
	if (!parse_addr(w, &r->family, r->prefix))
		return -1;
	r->plen = r->family == AF_INET ? 32 : 128;
	if (slash) {
		char *end;
		unsigned long n = strtoul(slash + 1, &end, 10);

		if (*end || end == slash + 1 || n > r->plen)
			return -1;
		r->plen = (unsigned)n;
	}
	while ((w = strtok_r(NULL, " \t\r\n", &save))) {
		if (*w == '#')
			break;
		v = strtok_r(NULL, " \t\r\n", &save);
		if (!v)
			return -1;
		if (!strcmp(w, "via")) {
			if (!parse_addr(v, &fam, r->via) || fam != r->family)
				return -1;
			r->has_via = true;
		} else if (!strcmp(w, "dev") || !strcmp(w, "mtu")) {
			char *end;
			unsigned long n = strtoul(v, &end, 10);

			if (*end || n == 0 || n > UINT32_MAX)
				return -1;
			*(!strcmp(w, "dev") ? &r->ifindex : &r->mtu) = (uint32_t)n;
		} else if (!strcmp(w, "smac")) {
			if (!parse_mac(v, r->smac))
				return -1;
		} else if (!strcmp(w, "dmac")) {
			if (!parse_mac(v, r->dmac))
				return -1;
			r->has_dmac = true;
		} else {
			return -1;
		}
	}
	return 1;
}

/* (Re)reads the table if its file changed; a malformed line is skipped
 * with a message naming it on stderr. Called with fib.lock held. */
static void load(void)
{
	const char *env = getenv("BPFHOST_FIB");
	char path[600], line[512];
	struct route r, *v;
	struct stat st;
	unsigned no = 0;
	FILE *f;

	if (env && *env)
		snprintf(path, sizeof(path), "%s", env);
	else
		snprintf(path, sizeof(path), "%s/fib", obj_dir());
	if (stat(path, &st)) {
		st.st_size = -1;
		st.st_mtim.tv_sec = st.st_mtim.tv_nsec = 0;
	}
	if (fib.loaded && !strcmp(path, fib.path) && st.st_size == fib.size &&
	    st.st_mtim.tv_sec == fib.mtime.tv_sec && st.st_mtim.tv_nsec == fib.mtime.tv_nsec)
		return;
	free(fib.routes);
	fib.routes = NULL;
	fib.cnt = 0;
	fib.loaded = true;
	snprintf(fib.path, sizeof(fib.path), "%s", path);
	fib.size = st.st_size;
	fib.mtime = st.st_mtim;
	f = st.st_size >= 0 ? fopen(path, "r") : NULL;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int rc;

		no++;
		rc = parse_line(line, &r);
		if (rc < 0)
			fprintf(stderr, "bpfhost: %s:%u: not a route, skipped\n", path, no);
		if (rc <= 0)
			continue;
		v = realloc(fib.routes, (fib.cnt + 1) * sizeof(*v));
		if (!v)
			break;
		fib.routes = v;
		fib.routes[fib.cnt++] = r;
	}
	fclose(f);
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (0xff00u >> bits) & 0xff) == 0;
}

/* Whether ifindex names a device: one of this host's, or one the table routes to. */
static bool known_dev(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	if (!ifindex)
		return false;
	if (if_indextoname(ifindex, name))
		return true;
	for (size_t i = 0; i < fib.cnt; i++)
		if (fib.routes[i].ifindex == ifindex)
			return true;
	return false;
}

/* The kernel's rt6_need_strict: multicast, link-local or loopback, which
 * it never forwards. */
static bool v6_strict(const uint8_t *a)
{
	static const uint8_t loopback[16] = {[15] = 1};

	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || !memcmp(a, loopback, 16);
}

int64_t fib_lookup(struct bpf_fib_lookup *p, uint32_t plen, uint32_t flags, bool check_mtu)
{
	const struct route *best = NULL;
	uint8_t dst[16];
	int64_t ret;

	if (plen < sizeof(*p))
		return -EINVAL;
	if (flags & ~FIB_FLAGS_KNOWN)
		return -EINVAL;
	if (p->family != AF_INET && p->family != AF_INET6)
		return -EAFNOSUPPORT;
	memset(dst, 0, sizeof(dst));
	memcpy(dst, p->family == AF_INET ? (const void *)&p->ipv4_dst : (const void *)p->ipv6_dst,
	       p->family == AF_INET ? 4 : 16);
	if (p->family == AF_INET6 && (v6_strict(dst) || v6_strict((const uint8_t *)p->ipv6_src)))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	pthread_mutex_lock(&fib.lock);
	load();
	if (!known_dev(p->ifindex)) {
		pthread_mutex_unlock(&fib.lock);
		return -ENODEV;
	}
	for (size_t i = 0; i < fib.cnt; i++) {
		const struct route *r = &fib.routes[i];

		if (r->family == p->family && prefix_match(r->prefix, dst, r->plen) &&
		    (!best || r->plen > best->plen))
			best = r;
	}
	if (!best) {
		ret = BPF_FIB_LKUP_RET_NOT_FWDED;
	} else if (best->type != ROUTE_UNICAST) {
		ret = best->type; /* BLACKHOLE, UNREACHABLE, PROHIBIT: 1, 2, 3 */
	} else if (check_mtu && p->tot_len > best->mtu) {
		p->mtu_result = (uint16_t)best->mtu;
		ret = BPF_FIB_LKUP_RET_FRAG_NEEDED;
	} else {
		if (best->has_via) {
			if (p->family == AF_INET)
				memcpy(&p->ipv4_dst, best->via, 4);
			else
				memcpy(p->ipv6_dst, best->via, 16);
		}
		/* what the kernel sets: the device, gateway and metric always;
		 * the MTU and VLAN once forwarding is decided; the addresses
		 * once a neighbour is found */
		p->rt_metric = 0;
		p->ifindex = best->ifindex ? best->ifindex : p->ifindex;
		ret = BPF_FIB_LKUP_RET_SUCCESS;
		if (!(flags & BPF_FIB_LOOKUP_SKIP_NEIGH) && !best->has_dmac) {
			ret = BPF_FIB_LKUP_RET_NO_NEIGH;
		} else {
			p->mtu_result = (uint16_t)(best->mtu > 0xffff ? 0xffff : best->mtu);
			p->h_vlan_proto = 0;
			p->h_vlan_TCI = 0;
		}
		if (!(flags & BPF_FIB_LOOKUP_SKIP_NEIGH) && best->has_dmac) {
			memcpy(p->smac, best->smac, ETH_ALEN);
			memcpy(p->dmac, best->dmac, ETH_ALEN);
		}
	}
	pthread_mutex_unlock(&fib.lock);
	return ret;
}
