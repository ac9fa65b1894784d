/* Queue, stack, bloom filter, LPM trie and LRU hash maps through bpf(), as a
 * user drives them. Every scenario runs on bpfhost and, when this process may
 * use bpf(2), on the running kernel with the same expectations (the kernel is
 * the reference); what the kernel leaves open (which element an LRU evicts)
 * is checked on bpfhost alone against an exact model. Then the program-side
 * ops, called directly, and a second mapping of the same map file. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "../../src/core/obj.h"
#include "../../src/maps/map.h"
#include "test_util.h"
#include "backend.h"

#define ENOTSUPP 524

#define UPD(fd, k, v, f) be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, k, v, f)
#define GET(fd, k, v, f) be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, k, v, f)
#define POP(fd, k, v, f) be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, k, v, f)
#define DEL(fd, k) be_map_op(be, BPF_MAP_DELETE_ELEM, fd, k, NULL, 0)

static int nxt(const struct backend *be, int fd, const void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.next_key = (uint64_t)(uintptr_t)next;
	return be_sys(be, BPF_MAP_GET_NEXT_KEY, &a);
}

static struct bpf_map_info info(const struct backend *be, int fd)
{
	struct bpf_map_info i;
	union bpf_attr a;

	memset(&i, 0, sizeof(i));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(i);
	a.info.info = (uint64_t)(uintptr_t)&i;
	be_sys(be, BPF_OBJ_GET_INFO_BY_FD, &a);
	return i;
}

/* Keys of a map with 4-byte keys, by BPF_MAP_GET_NEXT_KEY from the start. */
static int keys_u32(const struct backend *be, int fd, uint32_t *out, int max)
{
	uint32_t key, next;
	int n = 0;

	for (int err = nxt(be, fd, NULL, &next); !err && n < max; err = nxt(be, fd, &key, &next))
		out[n++] = key = next;
	return n;
}

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* ---- BPF_MAP_CREATE: the kernel's errno for each bad attribute ---- */

#define Q BPF_MAP_TYPE_QUEUE
#define S BPF_MAP_TYPE_STACK
#define B BPF_MAP_TYPE_BLOOM_FILTER
#define L BPF_MAP_TYPE_LPM_TRIE
#define LRU BPF_MAP_TYPE_LRU_HASH
#define LRUP BPF_MAP_TYPE_LRU_PERCPU_HASH
#define NP BPF_F_NO_PREALLOC
#define NCL BPF_F_NO_COMMON_LRU
#define KMAX (1u << 22)

/* clang-format off */
static const struct {
	uint32_t type, ks, vs, me, flags;
	uint64_t extra;
	int want;
} creates[] = {
	{Q, 0, 4, 1, 0, 0, 0}, {Q, 4, 4, 1, 0, 0, -EINVAL}, {Q, 0, 0, 1, 0, 0, -EINVAL},
	{Q, 0, 4, 0, 0, 0, -EINVAL}, {Q, 0, 4, 1, NP, 0, -EINVAL},
	{Q, 0, 4, 1, BPF_F_ZERO_SEED, 0, -EINVAL}, {Q, 0, KMAX + 1, 1, 0, 0, -E2BIG},
	{Q, 0, KMAX + 1, 0, 0, 0, -EINVAL}, {Q, 0, KMAX, 1, 0, 0, 0},
	{Q, 0, 4, 1, BPF_F_RDONLY_PROG, 0, 0}, {Q, 0, 4, 1, 0, 1, -EINVAL},
	{S, 0, 4, 1, 0, 0, 0}, {S, 4, 4, 1, 0, 0, -EINVAL},
	{S, 0, 4, 1, BPF_F_MMAPABLE, 0, -EINVAL},
	{B, 0, 4, 100, 0, 0, 0}, {B, 0, 3, 1, 0, 15, 0}, {B, 0, 4, 100, 0, 16, -EINVAL},
	{B, 0, 4, 100, 0, 1ull << 32, -EINVAL}, {B, 4, 4, 100, 0, 0, -EINVAL},
	{B, 0, 0, 100, 0, 0, -EINVAL}, {B, 0, 4, 0, 0, 0, -EINVAL},
	{B, 0, 4, 100, NP, 0, -EINVAL}, {B, 0, 4, 100, BPF_F_ZERO_SEED, 0, 0},
	{B, 0, KMAX + 1, 100, 0, 0, -E2BIG}, {B, 4, KMAX + 1, 0, 0, 0, -E2BIG},
	{L, 8, 4, 10, 0, 0, -EINVAL}, {L, 4, 4, 10, NP, 0, -EINVAL}, {L, 5, 4, 10, NP, 0, 0},
	{L, 260, 4, 10, NP, 0, 0}, {L, 261, 4, 10, NP, 0, -EINVAL},
	{L, 8, 0, 10, NP, 0, -EINVAL}, {L, 8, KMAX - 256 - 24, 1, NP, 0, 0},
	{L, 8, KMAX - 256 - 23, 1, NP, 0, -EINVAL}, {L, 8, 4, 0, NP, 0, -EINVAL},
	{L, 8, 4, 10, NP | BPF_F_ZERO_SEED, 0, -EINVAL},
	{L, 8, 4, 10, NP | BPF_F_RDONLY_PROG, 0, 0},
	{LRU, 4, 8, 4, 0, 0, 0}, {LRU, 4, 8, 4, NP, 0, -ENOTSUPP}, {LRU, 4, 8, 4, NCL, 0, 0},
	{BPF_MAP_TYPE_HASH, 4, 8, 4, NCL, 0, -EINVAL},
	{LRU, 4, 8, 4, NP | BPF_F_MMAPABLE, 0, -EINVAL},
	{LRU, 4, 8, 4, BPF_F_NUMA_NODE | NCL, 0, -EINVAL},
	{LRUP, 4, 8, 4, BPF_F_NUMA_NODE, 0, -EINVAL},
	{LRU, 4, 8, 4, BPF_F_NUMA_NODE, 0, 0}, {LRU, 0, 8, 4, 0, 0, -EINVAL},
	{LRU, 4, 0, 4, 0, 0, -EINVAL}, {LRU, 4, 8, 0, 0, 0, -EINVAL},
	{LRU, 4, KMAX - 48 - 4, 1, 0, 0, -E2BIG}, {LRU, 4, KMAX - 48 - 5, 1, 0, 0, 0},
	{LRUP, 4, 32769, 4, 0, 0, -E2BIG}, {LRUP, 4, 32768, 4, 0, 0, 0},
	{LRU, 4, 8, (1u << 31) + 1, 0, 0, -E2BIG}, {LRU, 4, 8, 0xffffffff, NCL, 0, -E2BIG},
	{LRU, 600, 8, 4, 0, 0, 0},
	{LRUP, 4, 8, 1, NCL, 0, 0},
};
/* clang-format on */

static void test_create(const struct backend *be)
{
	for (size_t i = 0; i < sizeof(creates) / sizeof(creates[0]); i++) {
		int fd = be_map_create_extra(be, creates[i].type, creates[i].ks, creates[i].vs,
					     creates[i].me, creates[i].flags, creates[i].extra);

		CHECK(creates[i].want ? fd == creates[i].want : fd >= 0,
		      "[%s] create row %zu (%s): got %d, want %d", be->name, i,
		      map_type_name(creates[i].type), fd, creates[i].want);
		be_close(be, fd);
	}
}

/* ---- queue and stack ---- */

static void test_queue(const struct backend *be, uint32_t type)
{
	bool stack = type == BPF_MAP_TYPE_STACK;
	uint32_t v = 77, key = 0, model[3], n = 0, head = 0;
	int fd = be_map_create_extra(be, type, 0, 4, 3, 0, 0);

	CHECK(fd >= 0, "[%s] create: %d", be->name, fd);
	EQ(GET(fd, NULL, &v, 0), -ENOENT);
	EQ(v, 77); /* untouched on error */
	EQ(POP(fd, NULL, &v, 0), -ENOENT);
	for (v = 1; v <= 3; v++)
		EQ(UPD(fd, NULL, &v, BPF_ANY), 0);
	EQ(UPD(fd, NULL, &v, BPF_ANY), -E2BIG);
	EQ(UPD(fd, NULL, &v, BPF_NOEXIST), -EINVAL);
	EQ(UPD(fd, NULL, &v, 4), -EINVAL);
	EQ(UPD(fd, &key, &v, BPF_ANY), -EINVAL);
	EQ(GET(fd, NULL, &v, 0), 0);
	EQ(v, stack ? 3 : 1);
	EQ(GET(fd, &key, &v, 0), -EINVAL);
	EQ(GET(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	v = 4;
	EQ(UPD(fd, NULL, &v, BPF_EXIST), 0); /* full: drops the oldest (1) */
	for (uint32_t want = 2; want <= 4; want++) {
		EQ(POP(fd, NULL, &v, 0), 0);
		EQ(v, stack ? 6 - want : want);
	}
	EQ(POP(fd, NULL, &v, 0), -ENOENT);
	EQ(POP(fd, NULL, &v, 1), -EINVAL);
	EQ(POP(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	EQ(POP(fd, &key, &v, 0), -EINVAL);
	EQ(DEL(fd, NULL), -EINVAL);
	EQ(DEL(fd, &key), -EINVAL);
	EQ(nxt(be, fd, NULL, &key), -EINVAL);
	EQ(nxt(be, fd, &key, &v), -EINVAL);
	EQ(info(be, fd).key_size, 0);
	EQ(info(be, fd).max_entries, 3);

	/* wrap the ring many times against a model (head = oldest) */
	rnd_state = 12345;
	for (int i = 0; i < 400; i++) {
		uint32_t r = rnd() % 8, x = rnd();

		if (r < 4) {
			uint64_t f = r == 3 ? BPF_EXIST : BPF_ANY;
			int want = n == 3 && f != BPF_EXIST ? -E2BIG : 0;

			EQ(UPD(fd, NULL, &x, f), want);
			if (!want && n == 3) {
				head = (head + 1) % 3;
				n--;
			}
			if (!want)
				model[(head + n++) % 3] = x;
		} else {
			uint32_t want = stack ? model[(head + n - 1) % 3] : model[head];

			EQ(be_map_op(be,
				     r < 6 ? BPF_MAP_LOOKUP_AND_DELETE_ELEM : BPF_MAP_LOOKUP_ELEM,
				     fd, NULL, &x, 0),
			   n ? 0 : -ENOENT);
			if (n)
				EQ(x, want);
			if (n && r < 6 && !stack)
				head = (head + 1) % 3;
			if (n && r < 6)
				n--;
		}
	}
	be_close(be, fd);
}

/* ---- bloom filter ---- */

static void test_bloom(const struct backend *be)
{
	uint32_t v, key = 0, maybe = 0;
	int fd = be_map_create_extra(be, B, 0, 4, 100, 0, 3);

	CHECK(fd >= 0, "[%s] create: %d", be->name, fd);
	v = 1;
	EQ(GET(fd, NULL, &v, 0), -ENOENT);
	for (v = 1; v <= 50; v++)
		EQ(UPD(fd, NULL, &v, BPF_ANY), 0);
	for (v = 1; v <= 50; v++)
		EQ(GET(fd, NULL, &v, 0), 0); /* never a false negative */
	for (v = 1000; v < 2000; v++)
		maybe += GET(fd, NULL, &v, 0) == 0;
	CHECK(maybe < 100, "[%s] %u false positives in 1000", be->name, maybe);
	EQ(UPD(fd, NULL, &v, BPF_NOEXIST), -EINVAL);
	EQ(UPD(fd, NULL, &v, BPF_EXIST), -EINVAL);
	EQ(UPD(fd, &key, &v, BPF_ANY), -EINVAL);
	EQ(GET(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	EQ(GET(fd, &key, &v, 0), -EINVAL);
	EQ(DEL(fd, NULL), -EOPNOTSUPP);
	EQ(DEL(fd, &key), -EINVAL);
	EQ(nxt(be, fd, NULL, &key), -EOPNOTSUPP);
	EQ(nxt(be, fd, &key, &v), -EINVAL);
	EQ(POP(fd, NULL, &v, 0), -ENOTSUPP);
	EQ(POP(fd, NULL, &v, 1), -EINVAL);
	EQ(info(be, fd).map_extra, 3);
	be_close(be, fd);

	fd = be_map_create_extra(be, B, 0, 3, 1, 0, 0); /* value not a multiple of 4, 64 bits */
	v = 0xabcdef;
	EQ(UPD(fd, NULL, &v, BPF_ANY), 0);
	EQ(GET(fd, NULL, &v, 0), 0);
	be_close(be, fd);
}

/* ---- LPM trie ---- */

struct lpm4 {
	uint32_t prefixlen;
	uint8_t d[4];
};

static struct lpm4 ip(uint32_t len, int a, int b, int c, int d)
{
	struct lpm4 k = {len, {(uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d}};

	return k;
}

/* the value the trie gives for address a.b.c.d, or -errno */
static long lpm_get(const struct backend *be, int fd, struct lpm4 k)
{
	uint32_t v = 0;
	int err = GET(fd, &k, &v, 0);

	return err ? err : (long)v;
}

static void test_lpm(const struct backend *be)
{
	static const struct {
		struct lpm4 k;
		uint32_t v;
	} ins[] = {
		{{16, {192, 168, 0, 0}}, 1},   {{24, {192, 168, 0, 0}}, 2},
		{{24, {192, 168, 128, 0}}, 3}, {{24, {192, 168, 1, 0}}, 5},
		{{8, {10, 0, 0, 0}}, 10},      {{0, {0, 0, 0, 0}}, 99},
	};
	/* post-order: more specific first (the kernel's trie_get_next_key) */
	static const struct lpm4 order[] = {
		{8, {10, 0, 0, 0}},	  {24, {192, 168, 0, 0}}, {24, {192, 168, 1, 0}},
		{24, {192, 168, 128, 0}}, {16, {192, 168, 0, 0}}, {0, {0, 0, 0, 0}},
	};
	struct lpm4 k, next;
	uint32_t v = 7;
	int fd = be_map_create_extra(be, L, 8, 4, 8, NP, 0), n;

	CHECK(fd >= 0, "[%s] create: %d", be->name, fd);
	EQ(lpm_get(be, fd, ip(32, 1, 2, 3, 4)), -ENOENT);
	EQ(nxt(be, fd, NULL, &next), -ENOENT);
	for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++)
		EQ(UPD(fd, &ins[i].k, &ins[i].v, BPF_ANY), 0);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 0, 1)), 2);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 1, 77)), 5);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 128, 1)), 3);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 200, 1)), 1);
	EQ(lpm_get(be, fd, ip(23, 192, 168, 1, 0)), 1); /* the /24s need 24 bits */
	EQ(lpm_get(be, fd, ip(32, 10, 9, 9, 9)), 10);
	EQ(lpm_get(be, fd, ip(32, 11, 0, 0, 1)), 99);
	EQ(lpm_get(be, fd, ip(33, 10, 0, 0, 1)), -ENOENT);
	k = ip(33, 10, 0, 0, 1);
	EQ(UPD(fd, &k, &v, BPF_ANY), -EINVAL);
	EQ(DEL(fd, &k), -EINVAL);
	n = 0;
	for (int err = nxt(be, fd, NULL, &next); !err && n < 6; err = nxt(be, fd, &k, &next)) {
		CHECK(!memcmp(&next, &order[n], sizeof(next)), "[%s] next key %d: /%u %u.%u.%u.%u",
		      be->name, n, next.prefixlen, next.d[0], next.d[1], next.d[2], next.d[3]);
		k = next;
		n++;
	}
	EQ(n, 6);
	EQ(nxt(be, fd, &k, &next), -ENOENT);
	k = ip(23, 192, 168, 0, 0); /* the intermediate node is not a key */
	EQ(nxt(be, fd, &k, &next), 0);
	EQ(next.d[0], 10);
	k = ip(33, 192, 168, 0, 0); /* an invalid key starts over too */
	EQ(nxt(be, fd, &k, &next), 0);
	EQ(next.d[0], 10);

	k = ip(24, 192, 168, 0, 0);
	EQ(UPD(fd, &k, &v, BPF_NOEXIST), -EEXIST);
	EQ(UPD(fd, &k, &v, BPF_EXIST), 0);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 0, 9)), 7);
	k = ip(24, 192, 168, 2, 0);
	EQ(UPD(fd, &k, &v, BPF_EXIST), -ENOENT);
	EQ(UPD(fd, &k, &v, 3), -EINVAL);
	EQ(UPD(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	EQ(GET(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	EQ(UPD(fd, &k, &v, BPF_NOEXIST), 0);
	k = ip(12, 172, 16, 0, 0);
	EQ(UPD(fd, &k, &v, BPF_ANY), 0); /* 8 entries: full */
	k = ip(32, 1, 1, 1, 1);
	EQ(UPD(fd, &k, &v, BPF_ANY), -ENOSPC);
	k = ip(23, 192, 168, 0, 0); /* replacing the intermediate node adds an entry */
	EQ(UPD(fd, &k, &v, BPF_ANY), -ENOSPC);
	k = ip(24, 192, 168, 1, 0);
	EQ(UPD(fd, &k, &v, BPF_ANY), 0); /* replacing is fine when full */
	EQ(POP(fd, &k, &v, 0), -ENOTSUPP);
	EQ(POP(fd, &k, &v, BPF_F_LOCK), -EINVAL);

	k = ip(16, 192, 168, 0, 0);
	EQ(DEL(fd, &k), 0);
	EQ(DEL(fd, &k), -ENOENT);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 200, 1)), 99);
	k = ip(23, 192, 168, 0, 0);
	EQ(DEL(fd, &k), -ENOENT);
	k = ip(24, 192, 168, 0, 0);
	EQ(DEL(fd, &k), 0);
	EQ(lpm_get(be, fd, ip(32, 192, 168, 1, 5)), 7);
	k = ip(0, 0, 0, 0, 0);
	EQ(DEL(fd, &k), 0);
	EQ(lpm_get(be, fd, ip(32, 192, 169, 0, 1)), -ENOENT);
	k = ip(32, 1, 1, 1, 1);
	EQ(UPD(fd, &k, &v, BPF_ANY), 0);
	be_close(be, fd);
}

/* Random updates and deletes of 16-bit prefixes against a brute-force model. */
struct lpm2 {
	uint32_t prefixlen;
	uint8_t d[2];
};

static void test_lpm_model(const struct backend *be)
{
	enum { MAX = 24, UNIVERSE = 64 };
	struct lpm2 uni[UNIVERSE], k, next;
	int32_t val[UNIVERSE]; /* -1: absent */
	int fd = be_map_create_extra(be, L, 6, 4, MAX, NP, 0), count = 0;

	rnd_state = 777;
	for (int i = 0, dup; i < UNIVERSE; i += !dup) {
		uint32_t len = rnd() % 17, bits = (rnd() & 0xffff) >> (16 - len) << (16 - len);

		uni[i].prefixlen = len;
		uni[i].d[0] = (uint8_t)(bits >> 8);
		uni[i].d[1] = (uint8_t)bits;
		val[i] = -1;
		dup = 0;
		for (int j = 0; j < i; j++)
			dup |= !memcmp(&uni[j], &uni[i], 6); /* key_size: not the padding */
	}
	for (int step = 0; step < 1500; step++) {
		int i = (int)(rnd() % UNIVERSE);
		uint32_t v = rnd() & 0xffff;

		if (rnd() % 3) {
			int want = val[i] < 0 && count == MAX ? -ENOSPC : 0;

			EQ(UPD(fd, &uni[i], &v, BPF_ANY), want);
			if (!want) {
				count += val[i] < 0;
				val[i] = (int32_t)v;
			}
		} else {
			EQ(DEL(fd, &uni[i]), val[i] < 0 ? -ENOENT : 0);
			count -= val[i] >= 0;
			val[i] = -1;
		}
		if (step % 100)
			continue;
		for (int q = 0; q < 64; q++) {
			uint32_t addr = rnd() & 0xffff, got;
			int best = -1, err;

			k = (struct lpm2){16, {(uint8_t)(addr >> 8), (uint8_t)addr}};
			for (int j = 0; j < UNIVERSE; j++) {
				uint32_t len = uni[j].prefixlen;
				uint32_t bits = (uint32_t)uni[j].d[0] << 8 | uni[j].d[1];

				if (val[j] >= 0 && (!len || (bits ^ addr) >> (16 - len) == 0) &&
				    (best < 0 || len > uni[best].prefixlen))
					best = j;
			}
			err = GET(fd, &k, &got, 0);
			EQ(err, best < 0 ? -ENOENT : 0);
			if (best >= 0 && !err)
				EQ(got, val[best]);
		}
		int seen = 0;

		for (int err = nxt(be, fd, NULL, &next); !err && seen <= MAX;
		     err = nxt(be, fd, &k, &next), seen++) {
			int j = 0;

			while (j < UNIVERSE && memcmp(&uni[j], &next, 6))
				j++;
			CHECK(j < UNIVERSE && val[j] >= 0, "[%s] next key /%u not in the model",
			      be->name, next.prefixlen);
			k = next;
		}
		EQ(seen, count);
	}
	be_close(be, fd);
}

/* ---- LRU hash ---- */

static void test_lru(const struct backend *be, uint32_t flags)
{
	uint32_t k, keys[256];
	uint64_t v = 5;
	/* Room to spare: the kernel allocates (and may evict) before it looks
	 * for the key, even for an update that then fails or replaces; per-CPU
	 * lists hold max_entries / CPUs each, and this process runs on CPU 0. */
	int n = flags & BPF_F_NO_COMMON_LRU ? 16 * (int)map_possible_cpus() : 64;
	int fd = be_map_create_extra(be, LRU, 4, 8, (uint32_t)n, flags, 0);

	CHECK(fd >= 0, "[%s] create: %d", be->name, fd);
	for (k = 1; k <= 4; k++) {
		v = k * 10;
		EQ(UPD(fd, &k, &v, BPF_NOEXIST), 0);
	}
	k = 2;
	EQ(GET(fd, &k, &v, 0), 0);
	EQ(v, 20);
	EQ(GET(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	EQ(UPD(fd, &k, &v, BPF_NOEXIST), -EEXIST);
	EQ(UPD(fd, &k, &v, 3), -EINVAL);
	EQ(UPD(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	v = 21;
	EQ(UPD(fd, &k, &v, BPF_EXIST), 0);
	EQ(POP(fd, &k, &v, 0), 0);
	EQ(v, 21);
	EQ(POP(fd, &k, &v, 0), -ENOENT);
	EQ(POP(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	EQ(DEL(fd, &k), -ENOENT);
	EQ(UPD(fd, &k, &v, BPF_EXIST), -ENOENT);
	k = 3;
	EQ(DEL(fd, &k), 0);
	/* never E2BIG: new keys evict */
	for (k = 100; k < 200; k++)
		EQ(UPD(fd, &k, &v, BPF_ANY), 0);
	n = keys_u32(be, fd, keys, 256);
	CHECK(n >= 1 && n <= (int)info(be, fd).max_entries, "[%s] %d keys", be->name, n);
	k = 199;
	EQ(GET(fd, &k, &v, 0), 0);
	be_close(be, fd);

	/* per-CPU lists: max_entries rounded up to a multiple of the CPUs */
	fd = be_map_create_extra(be, LRU, 4, 8, 3, BPF_F_NO_COMMON_LRU, 0);
	n = (int)map_possible_cpus();
	EQ(info(be, fd).max_entries, (3 + n - 1) / n * n);
	be_close(be, fd);
}

static void test_lru_percpu(const struct backend *be)
{
	unsigned n = map_possible_cpus();
	uint64_t *vals = calloc(n, 8), *out = calloc(n, 8);
	uint32_t k = 1;
	int fd = be_map_create_extra(be, LRUP, 4, 8, 4, 0, 0);

	for (unsigned c = 0; c < n; c++)
		vals[c] = 100 + c;
	EQ(UPD(fd, &k, vals, BPF_ANY), 0);
	EQ(GET(fd, &k, out, 0), 0);
	EQ(memcmp(vals, out, n * 8), 0);
	EQ(GET(fd, &k, out, BPF_F_LOCK), -EINVAL);
	memset(out, 0, n * 8);
	EQ(POP(fd, &k, out, 0), 0);
	EQ(out[n - 1], 100 + n - 1);
	EQ(GET(fd, &k, out, 0), -ENOENT);
	be_close(be, fd);
	free(vals);
	free(out);
}

static struct bpfmap *map_at(int fd, struct obj **o)
{
	int err = 0;

	*o = obj_from_fd(fd, OBJ_MAP, NULL, &err);
	return *o ? map_of(*o) : NULL;
}

/* bpfhost's LRU is exact: check which keys survive against a model. */
static void test_lru_exact(void)
{
	const struct backend *be = &bpfhost;
	enum { MAX = 8, KEYS = 24 };
	int order[KEYS], n = 0; /* keys, least recent first */
	int fd = be_map_create_extra(be, LRU, 4, 8, MAX, 0, 0);
	struct obj *o;
	struct bpfmap *map = map_at(fd, &o);
	uint64_t v = 1;

	rnd_state = 4242;
	for (int step = 0; step < 600; step++) {
		uint32_t k = rnd() % KEYS, r = rnd() % 4;
		int at = -1;

		for (int i = 0; i < n; i++)
			if (order[i] == (int)k)
				at = i;
		if (r == 0 || r == 1) { /* update, or a program's lookup: most recent */
			if (r == 0)
				EQ(UPD(fd, &k, &v, BPF_ANY), 0);
			else
				EQ(map->ops->prog_lookup(map, &k, 0) != NULL, at >= 0);
			if (at >= 0) {
				memmove(order + at, order + at + 1,
					(size_t)(n - at - 1) * sizeof(int));
				order[n - 1] = (int)k;
			} else if (r == 0) {
				if (n == MAX)
					memmove(order, order + 1, (size_t)--n * sizeof(int));
				order[n++] = (int)k;
			}
		} else if (r == 2) { /* a user lookup changes nothing */
			EQ(GET(fd, &k, &v, 0), at >= 0 ? 0 : -ENOENT);
		} else {
			EQ(DEL(fd, &k), at >= 0 ? 0 : -ENOENT);
			if (at >= 0)
				memmove(order + at, order + at + 1,
					(size_t)(--n - at) * sizeof(int));
		}
		for (uint32_t q = 0; q < KEYS; q++) {
			bool in = false;

			for (int i = 0; i < n; i++)
				in |= order[i] == (int)q;
			CHECK((map->ops->lookup(map, &q, &v, 0) == 0) == in, "step %d: key %u %s",
			      step, q, in ? "evicted too early" : "still there");
		}
	}
	obj_put(o);
	be_close(be, fd);

	/* per-CPU lists: CPU 0 evicts only its own elements */
	unsigned ncpus = map_possible_cpus();
	uint32_t k;

	fd = be_map_create_extra(be, LRU, 4, 8, 2 * ncpus, BPF_F_NO_COMMON_LRU, 0);
	map = map_at(fd, &o);
	for (k = 1; k <= 3; k++)
		EQ(map->ops->prog_update(map, &k, &v, BPF_ANY, 0), 0);
	k = 1;
	EQ(GET(fd, &k, &v, 0), -ENOENT);
	for (k = 2; k <= 3; k++)
		EQ(GET(fd, &k, &v, 0), 0);
	for (k = 10; ncpus > 1 && k < 12; k++)
		EQ(map->ops->prog_update(map, &k, &v, BPF_ANY, 1), 0);
	k = 2;
	EQ(GET(fd, &k, &v, 0), 0);
	obj_put(o);
	be_close(be, fd);
}

/* ---- the program side, called as the helpers call it ---- */

static void test_prog_ops(void)
{
	const struct backend *be = &bpfhost;
	unsigned ncpus = map_possible_cpus();
	struct obj *o;
	struct bpfmap *m;
	uint32_t v, w;
	int fd;

	for (uint32_t type = Q; type <= S; type++) {
		fd = be_map_create_extra(be, type, 0, 4, 2, 0, 0);
		m = map_at(fd, &o);
		CHECK(!m->ops->prog_lookup && !m->ops->prog_update && !m->ops->prog_delete, "ops");
		w = 0xdead;
		EQ(m->ops->prog_pop(m, &w), -ENOENT);
		EQ(w, 0); /* zeroed, as the kernel's helpers */
		w = 0xdead;
		EQ(m->ops->prog_peek(m, &w), -ENOENT);
		EQ(w, 0);
		for (v = 1; v <= 2; v++)
			EQ(m->ops->prog_push(m, &v, BPF_ANY), 0);
		EQ(m->ops->prog_push(m, &v, BPF_ANY), -E2BIG);
		EQ(m->ops->prog_push(m, &v, BPF_NOEXIST), -EINVAL);
		EQ(m->ops->prog_push(m, &v, BPF_EXIST), 0); /* 2, 3 */
		EQ(m->ops->prog_peek(m, &w), 0);
		EQ(w, type == Q ? 2 : 3);
		EQ(POP(fd, NULL, &w, 0), 0); /* the same storage from user space */
		EQ(w, type == Q ? 2 : 3);
		EQ(m->ops->prog_pop(m, &w), 0);
		EQ(w, type == Q ? 3 : 2);
		obj_put(o);
		be_close(be, fd);
	}

	fd = be_map_create_extra(be, B, 0, 4, 10, 0, 0);
	m = map_at(fd, &o);
	CHECK(!m->ops->prog_lookup && !m->ops->prog_pop, "bloom ops");
	v = 9;
	EQ(m->ops->prog_peek(m, &v), -ENOENT);
	EQ(m->ops->prog_push(m, &v, BPF_EXIST), -EINVAL);
	EQ(m->ops->prog_push(m, &v, BPF_ANY), 0);
	EQ(m->ops->prog_peek(m, &v), 0);
	EQ(GET(fd, NULL, &v, 0), 0);
	obj_put(o);
	be_close(be, fd);

	fd = be_map_create_extra(be, L, 8, 4, 4, NP, 0);
	m = map_at(fd, &o);
	struct lpm4 k = ip(8, 10, 0, 0, 0);
	uint32_t *p;

	v = 1;
	EQ(m->ops->prog_update(m, &k, &v, BPF_ANY, 0), 0);
	k = ip(32, 10, 1, 2, 3);
	p = m->ops->prog_lookup(m, &k, 0);
	CHECK(p && *p == 1, "lpm prog_lookup");
	if (p)
		*p = 42; /* a program writes through the pointer */
	EQ(lpm_get(be, fd, k), 42);
	k = ip(32, 11, 1, 2, 3);
	CHECK(!m->ops->prog_lookup(m, &k, 0), "lpm miss");
	k = ip(8, 10, 0, 0, 0);
	EQ(m->ops->prog_delete(m, &k), 0);
	EQ(m->ops->prog_delete(m, &k), -ENOENT);
	obj_put(o);
	be_close(be, fd);

	/* per-CPU LRU: a program writes its CPU's slot; a new key's others are 0 */
	uint64_t *all = calloc(ncpus, 8), x = 7, *px;
	uint32_t key = 5;

	fd = be_map_create_extra(be, LRUP, 4, 8, 4, 0, 0);
	m = map_at(fd, &o);
	EQ(m->ops->prog_update(m, &key, &x, BPF_ANY, ncpus - 1), 0);
	EQ(GET(fd, &key, all, 0), 0);
	for (unsigned c = 0; c < ncpus; c++)
		EQ(all[c], c == ncpus - 1 ? 7 : 0);
	px = m->ops->prog_lookup(m, &key, 0);
	CHECK(px != NULL, "lru percpu prog_lookup");
	if (px)
		*px = 8;
	EQ(GET(fd, &key, all, 0), 0);
	EQ(all[0], 8);
	EQ(m->ops->prog_delete(m, &key), 0);
	CHECK(!m->ops->prog_lookup(m, &key, 0), "deleted");
	obj_put(o);
	be_close(be, fd);
	free(all);
}

/* A second mapping of the same file (as another process would map a pin)
 * sees and changes the same map: the storage holds no pointers. */
static void test_second_mapping(void)
{
	const struct backend *be = &bpfhost;
	static const uint32_t types[] = {L, LRU, Q};
	struct lpm4 k = ip(16, 1, 2, 0, 0);
	uint32_t v = 3, got = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = types[i] == Q ? be_map_create_extra(be, Q, 0, 4, 4, 0, 0)
				       : be_map_create_extra(be, types[i], 8, 4, 4,
							     types[i] == L ? NP : 0, 0);
		struct obj *o;
		struct bpfmap *m = map_at(fd, &o), *m2 = NULL;

		EQ(map_open_file(dup(m->fd), &m2), 0);
		if (!m2)
			continue;
		CHECK(m2->hdr != m->hdr, "a distinct mapping");
		EQ(m2->ops->update(m2, types[i] == Q ? NULL : &k, &v, BPF_ANY), 0);
		EQ(GET(fd, types[i] == Q ? NULL : &k, &got, 0), 0);
		EQ(got, 3);
		map_put(m2);
		obj_put(o);
		be_close(be, fd);
	}
}

/* Threads hammer an LRU map (user and program ops, evictions) and a queue:
 * no deadlock, no lost queue element, the LRU keeps at most max_entries keys
 * and still fills up to max_entries afterwards. */
static struct bpfmap *hammer_lru, *hammer_queue;
static atomic_long hammer_pushed, hammer_popped;

static void *hammer(void *arg)
{
	uint32_t s = (uint32_t)(uintptr_t)arg * 7919 + 1, k, v = 1;
	uint64_t val[64] = {1};
	unsigned cpu = (unsigned)(uintptr_t)arg % map_possible_cpus();
	struct bpfmap *m = hammer_lru, *q = hammer_queue;

	for (int i = 0; i < 20000; i++) {
		s ^= s << 13, s ^= s >> 17, s ^= s << 5;
		k = s % 48;
		switch ((s >> 8) % 6) {
		case 0: m->ops->update(m, &k, val, BPF_ANY); break;
		case 1: m->ops->prog_update(m, &k, val, BPF_ANY, cpu); break;
		case 2: m->ops->prog_lookup(m, &k, cpu); break;
		case 3: m->ops->delete (m, &k); break;
		case 4: hammer_pushed += !q->ops->prog_push(q, &v, BPF_ANY); break;
		default: hammer_popped += !q->ops->prog_pop(q, &v); break;
		}
	}
	return NULL;
}

static void test_threads(void)
{
	const struct backend *be = &bpfhost;
	int lfd = be_map_create_extra(be, LRU, 4, 8, 16, 0, 0),
	    qfd = be_map_create_extra(be, Q, 0, 4, 50, 0, 0), n;
	struct obj *lo, *qo;
	pthread_t t[6];
	uint32_t keys[64], k, v;
	uint64_t val = 0;
	long left = 0;

	hammer_lru = map_at(lfd, &lo);
	hammer_queue = map_at(qfd, &qo);
	for (long i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, hammer, (void *)i);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	while (!POP(qfd, NULL, &v, 0))
		left++;
	EQ(hammer_pushed, hammer_popped + left);
	n = keys_u32(be, lfd, keys, 64);
	CHECK(n <= 16, "%d keys in an LRU map of 16", n);
	for (k = 1000; k < 1032; k++)
		EQ(UPD(lfd, &k, &val, BPF_ANY), 0);
	EQ(keys_u32(be, lfd, keys, 64), 16);
	obj_put(lo);
	obj_put(qo);
	be_close(be, lfd);
	be_close(be, qfd);
}

static void run_all(const struct backend *be)
{
	test_create(be);
	test_queue(be, BPF_MAP_TYPE_QUEUE);
	test_queue(be, BPF_MAP_TYPE_STACK);
	test_bloom(be);
	test_lpm(be);
	test_lpm_model(be);
	test_lru(be, 0);
	test_lru(be, BPF_F_NO_COMMON_LRU);
	test_lru_percpu(be);
}

int main(void)
{
	char dir[] = "/tmp/bpfhost-test-maps-XXXXXX", cmd[128];
	cpu_set_t cpu0;
	int fd;

	if (!mkdtemp(dir))
		return 1;
	setenv("BPFHOST_DIR", dir, 1);
	test_threads(); /* on every CPU */
	/* per-CPU LRU lists make which CPU runs an update visible: stay on one */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		printf("test_maps: cannot pin to CPU 0: %s\n", strerror(errno));
	run_all(&bpfhost);
	test_lru_exact();
	test_prog_ops();
	test_second_mapping();

	fd = be_map_create_extra(&kernel, BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0);
	if (fd < 0) {
		printf("test_maps: kernel comparison skipped: bpf(BPF_MAP_CREATE) says %s\n",
		       strerror(-fd));
	} else {
		close(fd);
		run_all(&kernel);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("could not remove %s\n", dir);
	return TEST_DONE();
}
