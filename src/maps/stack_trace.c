/* BPF_MAP_TYPE_STACK_TRACE: stack traces by id, as the kernel's stackmap.c.
 * A trace's id is the jhash2 of its ips (the kernel's hash, so ids agree)
 * masked to n_buckets, max_entries rounded up to a power of two; a bucket
 * holds at most one trace. Storage, from map->data:
 *   elems    max_entries x {u32 hash, u32 nr, value_size bytes}: the traces
 *   buckets  n_buckets x u32: an elem's index + 1, 0 for an empty bucket
 *   free     max_entries x u32: the free elems' indexes, hdr->state[S_FREE] of them
 * Like the kernel's preallocated freelist, at most max_entries traces exist at
 * once, and a new trace takes a free elem before the bucket's old one is
 * given back. hdr->lock guards it all, across processes. */
#include "stack_trace.h"

#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524

/* hdr->state[] slots */
enum { S_N_BUCKETS, S_FREE };

struct elem {
	uint32_t hash;
	uint32_t nr; /* entries in data */
	uint8_t data[];
};

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_STACK_BUILD_ID;
	const uint32_t vs = attr->value_size;
	const uint32_t elem = (attr->map_flags & BPF_F_STACK_BUILD_ID)
				      ? (uint32_t)sizeof(struct bpf_stack_build_id)
				      : 8;

	if (attr->map_flags & ~ok) {
		ulog_printf(log, "stack_trace: map_flags 0x%x not allowed\n",
			    attr->map_flags & ~ok);
		return -EINVAL;
	}
	if (!attr->max_entries || attr->key_size != 4 || vs < 8 || vs % 8) {
		ulog_printf(log,
			    "stack_trace: needs key_size 4 (got %u), value_size a nonzero "
			    "multiple of 8 (got %u), max_entries > 0 (got %u)\n",
			    attr->key_size, vs, attr->max_entries);
		return -EINVAL;
	}
	if (vs % elem || vs / elem > STACK_TRACE_MAX_DEPTH) {
		ulog_printf(log,
			    "stack_trace: value_size %u is not 1 to %u entries of %u bytes "
			    "(kernel.perf_event_max_stack)\n",
			    vs, STACK_TRACE_MAX_DEPTH, elem);
		return -EINVAL;
	}
	if (attr->max_entries > (1u << 31)) {
		ulog_printf(log, "stack_trace: max_entries %u is over 2^31\n", attr->max_entries);
		return -E2BIG;
	}
	/* the kernel's map_check_no_btf; it first checks that the types fit
	 * the key and the value (EINVAL), which is core's to do after this */
	if (attr->btf_value_type_id) {
		ulog_printf(log, "stack_trace: no BTF types for its key and value\n");
		return -ENOTSUPP;
	}
	return 0;
}

static uint64_t elem_bytes(uint32_t value_size)
{
	return sizeof(struct elem) + (uint64_t)value_size;
}

static uint64_t buckets_off(const struct map_hdr *h)
{
	return (uint64_t)h->max_entries * elem_bytes(h->value_size);
}

static uint64_t free_off(const struct map_hdr *h)
{
	return buckets_off(h) + map_roundup_pow2(h->max_entries) * 4;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return free_off(hdr) + (uint64_t)hdr->max_entries * 4;
}

static uint32_t *buckets(struct bpfmap *map)
{
	return (uint32_t *)(void *)(map->data + buckets_off(map->hdr));
}

static uint32_t *free_list(struct bpfmap *map)
{
	return (uint32_t *)(void *)(map->data + free_off(map->hdr));
}

static struct elem *elem_at(struct bpfmap *map, uint32_t index)
{
	return (struct elem *)(void *)(map->data + index * elem_bytes(map->value_size));
}

static int init(struct bpfmap *map)
{
	uint32_t *f = free_list(map);

	map->hdr->state[S_N_BUCKETS] = map_roundup_pow2(map->max_entries);
	map->hdr->state[S_FREE] = map->max_entries;
	for (uint32_t i = 0; i < map->max_entries; i++)
		f[i] = map->max_entries - 1 - i; /* elem 0 is taken first */
	return 0;
}

uint32_t stack_trace_elem_size(const struct bpfmap *map)
{
	return (map->map_flags & BPF_F_STACK_BUILD_ID) ? (uint32_t)sizeof(struct bpf_stack_build_id)
						       : 8;
}

static uint32_t n_buckets(const struct bpfmap *map)
{
	return (uint32_t)map->hdr->state[S_N_BUCKETS];
}

/* The elem in bucket id, or NULL. Under the lock. */
static struct elem *bucket(struct bpfmap *map, uint32_t id)
{
	uint32_t b = buckets(map)[id];

	return b && b <= map->max_entries ? elem_at(map, b - 1) : NULL;
}

static void elem_free(struct bpfmap *map, uint32_t id)
{
	uint32_t b = buckets(map)[id];

	buckets(map)[id] = 0;
	if (b && map->hdr->state[S_FREE] < map->max_entries)
		free_list(map)[map->hdr->state[S_FREE]++] = b - 1;
}

#define ROL32(x, k) (((x) << (k)) | ((x) >> (32 - (k))))

uint32_t stack_trace_jhash2(const uint32_t *k, uint32_t n, uint32_t initval)
{
	uint32_t a, b, c;

	a = b = c = 0xdeadbeef + (n << 2) + initval;
	for (; n > 3; n -= 3, k += 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		a -= c, a ^= ROL32(c, 4), c += b;
		b -= a, b ^= ROL32(a, 6), a += c;
		c -= b, c ^= ROL32(b, 8), b += a;
		a -= c, a ^= ROL32(c, 16), c += b;
		b -= a, b ^= ROL32(a, 19), a += c;
		c -= b, c ^= ROL32(b, 4), b += a;
	}
	if (!n)
		return c;
	if (n == 3)
		c += k[2];
	if (n >= 2)
		b += k[1];
	a += k[0];
	c ^= b, c -= ROL32(b, 14);
	a ^= c, a -= ROL32(c, 11);
	b ^= a, b -= ROL32(a, 25);
	c ^= b, c -= ROL32(b, 16);
	a ^= c, a -= ROL32(c, 4);
	b ^= a, b -= ROL32(a, 14);
	c ^= b, c -= ROL32(b, 24);
	return c;
}

/* The hash of nr ips as the kernel takes it: their 32-bit halves in memory
 * order (x86-64: low half first). */
static uint32_t ips_hash(const uint64_t *ips, uint32_t nr)
{
	uint32_t w[2 * STACK_TRACE_MAX_DEPTH];

	memcpy(w, ips, (size_t)nr * 8);
	return stack_trace_jhash2(w, 2 * nr, 0);
}

long stack_trace_store(struct bpfmap *map, const uint64_t *ips, const void *records, uint32_t nr,
		       uint64_t flags)
{
	const uint32_t len = nr * stack_trace_elem_size(map);
	const bool build_id = map->map_flags & BPF_F_STACK_BUILD_ID;
	uint32_t hash, id, index;
	struct elem *old, *e;
	bool hash_matches;
	long ret;

	if (!nr || len > map->value_size)
		return -EFAULT;
	hash = ips_hash(ips, nr);
	id = hash & (n_buckets(map) - 1);
	map_lock(&map->hdr->lock);
	old = bucket(map, id);
	hash_matches = old && old->hash == hash;
	/* the kernel's order: a fast match; for build ids a free elem first
	 * (the records are compared from it), then a full match, then a
	 * collision, then (for ips) a free elem */
	if (hash_matches && (flags & BPF_F_FAST_STACK_CMP)) {
		ret = id;
		goto out;
	}
	if (build_id && !map->hdr->state[S_FREE]) {
		ret = -ENOMEM;
		goto out;
	}
	if (hash_matches && old->nr == nr && !memcmp(old->data, records, len)) {
		ret = id;
		goto out;
	}
	if (old && !(flags & BPF_F_REUSE_STACKID)) {
		ret = -EEXIST;
		goto out;
	}
	if (!map->hdr->state[S_FREE]) {
		ret = -ENOMEM;
		goto out;
	}
	index = free_list(map)[--map->hdr->state[S_FREE]];
	e = elem_at(map, index);
	e->hash = hash;
	e->nr = nr;
	memcpy(e->data, records, len);
	elem_free(map, id);
	buckets(map)[id] = index + 1;
	ret = id;
out:
	map_unlock(&map->hdr->lock);
	return ret;
}

/* ---- user space: lookup (a copy, zero past the trace), lookup and delete,
 * delete, next key; no update (EINVAL), as the kernel ---- */

static uint32_t key_of(const void *key)
{
	uint32_t id;

	memcpy(&id, key, 4);
	return id;
}

/* The kernel's bpf_stackmap_extract: the trace with id key into value,
 * deleted if asked. */
static int extract(struct bpfmap *map, const void *key, void *value, bool delete_it)
{
	uint32_t id = key_of(key), len;
	struct elem *e;
	int err = -ENOENT;

	if (id >= n_buckets(map))
		return -ENOENT;
	map_lock(&map->hdr->lock);
	e = bucket(map, id);
	if (e) {
		len = e->nr * stack_trace_elem_size(map);
		if (len > map->value_size)
			len = map->value_size;
		memcpy(value, e->data, len);
		memset((uint8_t *)value + len, 0, map->value_size - len);
		if (delete_it)
			elem_free(map, id);
		err = 0;
	}
	map_unlock(&map->hdr->lock);
	return err;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)flags;
	return extract(map, key, value, false);
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)flags;
	return extract(map, key, value, true);
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -EINVAL;
}

static int delete (struct bpfmap *map, const void *key)
{
	uint32_t id = key_of(key);
	int err = -ENOENT;

	if (id >= n_buckets(map))
		return -E2BIG;
	map_lock(&map->hdr->lock);
	if (buckets(map)[id]) {
		elem_free(map, id);
		err = 0;
	}
	map_unlock(&map->hdr->lock);
	return err;
}

/* The next occupied bucket after key's; from the first if key is NULL, out
 * of range or empty. */
static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	uint32_t n = n_buckets(map), id = 0;
	int err = -ENOENT;

	map_lock(&map->hdr->lock);
	if (key) {
		id = key_of(key);
		id = id >= n || !buckets(map)[id] ? 0 : id + 1;
	}
	while (id < n && !buckets(map)[id])
		id++;
	if (id < n) {
		memcpy(next_key, &id, 4);
		err = 0;
	}
	map_unlock(&map->hdr->lock);
	return err;
}

const struct map_ops map_stack_trace_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
};
