/* BPF_MAP_TYPE_HASH and PERCPU_HASH, preallocated as the kernel's default.
 *
 *   storage: n_buckets x struct bucket | max_entries x element
 *   element: struct elem | key (rounded to 8) | value (x ncpus for per-CPU)
 *
 * n_buckets is max_entries rounded up to a power of two. Buckets are singly
 * linked lists of element indexes (+1; 0 ends a list), each with its own
 * spinlock; free elements form a stack under hdr->lock. All links are
 * indexes, so the storage means the same in every process that maps it.
 * Programs look up without locks (the walk is bounded): an element deleted
 * under them is recycled, never unmapped, as with the kernel's prealloc maps.
 * A value's bpf_spin_lock word is never copied (map_value_store/load); an
 * update in place keeps it, so a program that holds it still does. A value's
 * bpf_timer is freed when its element is deleted or overwritten (not by a
 * BPF_F_LOCK update, which the kernel makes in place), after the bucket lock.
 */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524

struct bucket {
	atomic_uint head; /* element index + 1 */
	atomic_uint lock;
};

struct elem {
	atomic_uint next; /* element index + 1 */
	uint32_t hash;
};

/* hdr->state[] slots */
enum { S_N_BUCKETS, S_FREE_HEAD, S_COUNT, S_ELEM_SIZE, S_SEED };

static bool percpu(const struct map_hdr *hdr)
{
	return hdr->map_type == BPF_MAP_TYPE_PERCPU_HASH;
}

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
			    BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_ZERO_SEED;

	if (attr->map_flags & ~ok) {
		ulog_printf(log, "%s: unknown map_flags 0x%x\n", map_type_name(attr->map_type),
			    attr->map_flags & ~ok);
		return -EINVAL;
	}
	if (!attr->max_entries || !attr->key_size || !attr->value_size) {
		ulog_printf(log,
			    "%s: key_size (%u), value_size (%u) and max_entries (%u) must "
			    "be > 0\n",
			    map_type_name(attr->map_type), attr->key_size, attr->value_size,
			    attr->max_entries);
		return -EINVAL;
	}
	/* the kernel's only size limit: an element must fit a 4 MiB allocation */
	if ((uint64_t)attr->key_size + attr->value_size >= (1u << 22) - 48 ||
	    (attr->map_type == BPF_MAP_TYPE_PERCPU_HASH && attr->value_size > 32768)) {
		ulog_printf(log, "%s: value_size %u is too big\n", map_type_name(attr->map_type),
			    attr->value_size);
		return -E2BIG;
	}
	if (attr->max_entries > (1u << 31)) {
		ulog_printf(log, "%s: max_entries %u is too big\n", map_type_name(attr->map_type),
			    attr->max_entries);
		return -E2BIG;
	}
	return 0;
}

static uint64_t elem_size_of(const struct map_hdr *hdr)
{
	return sizeof(struct elem) + round_up8(hdr->key_size) +
	       (uint64_t)round_up8(hdr->value_size) * (percpu(hdr) ? hdr->ncpus : 1);
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return map_roundup_pow2(hdr->max_entries) * sizeof(struct bucket) +
	       (uint64_t)hdr->max_entries * elem_size_of(hdr);
}

static struct bucket *buckets(struct bpfmap *map)
{
	return (struct bucket *)map->data;
}

static struct elem *elem_at(struct bpfmap *map, uint32_t idx1)
{
	uint64_t off = map->hdr->state[S_N_BUCKETS] * sizeof(struct bucket) +
		       (uint64_t)(idx1 - 1) * map->hdr->state[S_ELEM_SIZE];

	return (struct elem *)(map->data + off);
}

static uint8_t *key_of(struct elem *e)
{
	return (uint8_t *)(e + 1);
}

static uint8_t *value_of(struct bpfmap *map, struct elem *e, unsigned cpu)
{
	return key_of(e) + round_up8(map->key_size) + (uint64_t)cpu * round_up8(map->value_size);
}

static int init(struct bpfmap *map)
{
	struct map_hdr *h = map->hdr;

	h->state[S_N_BUCKETS] = map_roundup_pow2(h->max_entries);
	h->state[S_ELEM_SIZE] = elem_size_of(h);
	/* the kernel seeds its hash randomly unless BPF_F_ZERO_SEED; any seed works
	 * here as long as every process reads it from the header */
	h->state[S_SEED] = (h->map_flags & BPF_F_ZERO_SEED) ? 0 : 0x9e3779b9u;
	for (uint32_t i = 1; i <= h->max_entries; i++)
		atomic_store(&elem_at(map, i)->next, i < h->max_entries ? i + 1 : 0);
	h->state[S_FREE_HEAD] = 1;
	return 0;
}

static struct bucket *bucket_of(struct bpfmap *map, uint32_t hash)
{
	return &buckets(map)[hash & (map->hdr->state[S_N_BUCKETS] - 1)];
}

/* The element with key in bucket b (its lock held or not), or NULL. */
static struct elem *find(struct bpfmap *map, struct bucket *b, const void *key, uint32_t hash)
{
	uint32_t idx = atomic_load_explicit(&b->head, memory_order_acquire);

	for (uint32_t steps = 0; idx && idx <= map->max_entries && steps <= map->max_entries;
	     steps++) {
		struct elem *e = elem_at(map, idx);

		if (e->hash == hash && !memcmp(key_of(e), key, map->key_size))
			return e;
		idx = atomic_load_explicit(&e->next, memory_order_acquire);
	}
	return NULL;
}

static uint32_t hash_key(struct bpfmap *map, const void *key)
{
	return map_hash(key, map->key_size, (uint32_t)map->hdr->state[S_SEED]);
}

static uint32_t alloc_elem(struct bpfmap *map)
{
	struct map_hdr *h = map->hdr;
	uint32_t idx;

	map_lock(&h->lock);
	idx = (uint32_t)h->state[S_FREE_HEAD];
	if (idx) {
		h->state[S_FREE_HEAD] = atomic_load(&elem_at(map, idx)->next);
		h->state[S_COUNT]++;
	}
	map_unlock(&h->lock);
	return idx;
}

static void free_elem(struct bpfmap *map, uint32_t idx)
{
	struct map_hdr *h = map->hdr;

	map_lock(&h->lock);
	atomic_store(&elem_at(map, idx)->next, (uint32_t)h->state[S_FREE_HEAD]);
	h->state[S_FREE_HEAD] = idx;
	h->state[S_COUNT]--;
	map_unlock(&h->lock);
}

/* locked: under the value's bpf_spin_lock (BPF_F_LOCK) */
static void copy_out(struct bpfmap *map, struct elem *e, void *value, bool locked)
{
	if (!percpu(map->hdr)) {
		map_value_load(map, value, value_of(map, e, 0), locked);
		return;
	}
	for (unsigned c = 0; c < map->ncpus; c++)
		memcpy((uint8_t *)value + (uint64_t)c * round_up8(map->value_size),
		       value_of(map, e, c), round_up8(map->value_size));
}

/* BPF_F_LOCK needs a bpf_spin_lock in the value */
static bool lock_flag_ok(struct bpfmap *map, uint64_t flags)
{
	return !(flags & BPF_F_LOCK) || map_spin_lock_off(map) >= 0;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	uint32_t hash = hash_key(map, key);
	struct bucket *b = bucket_of(map, hash);
	struct elem *e;

	if ((flags & ~(uint64_t)BPF_F_LOCK) || !lock_flag_ok(map, flags))
		return -EINVAL;
	map_lock(&b->lock);
	e = find(map, b, key, hash);
	if (e)
		copy_out(map, e, value, flags & BPF_F_LOCK);
	map_unlock(&b->lock);
	return e ? 0 : -ENOENT;
}

/* Stores value: from user space every CPU's slot (all_cpus), from a program the
 * calling CPU's slot (a new element's other slots are zeroed, as the kernel).
 * locked: under the value's bpf_spin_lock (BPF_F_LOCK on an element in place). */
static void store(struct bpfmap *map, struct elem *e, const void *value, bool fresh, bool all_cpus,
		  unsigned cpu, bool locked)
{
	uint32_t stride = round_up8(map->value_size);

	if (!percpu(map->hdr)) {
		map_value_store(map, value_of(map, e, 0), value, locked);
		return;
	}
	for (unsigned c = 0; c < map->ncpus; c++) {
		if (all_cpus) /* whole 8-byte slots, padding included, as the kernel */
			memcpy(value_of(map, e, c), (const uint8_t *)value + (uint64_t)c * stride,
			       stride);
		else if (c == cpu)
			memcpy(value_of(map, e, c), value, map->value_size);
		else if (fresh)
			memset(value_of(map, e, c), 0, stride);
	}
}

static int do_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
		     bool all_cpus, unsigned cpu)
{
	uint32_t hash = hash_key(map, key), idx;
	struct bucket *b = bucket_of(map, hash);
	uint64_t exist = flags & ~(uint64_t)BPF_F_LOCK;
	bool replaced = false;
	struct elem *e;
	int err = 0;

	if (exist > BPF_EXIST || !lock_flag_ok(map, flags))
		return -EINVAL;
	map_lock(&b->lock);
	e = find(map, b, key, hash);
	if (e) {
		if (exist == BPF_NOEXIST)
			err = -EEXIST;
		else
			store(map, e, value, false, all_cpus, cpu, flags & BPF_F_LOCK);
		/* the kernel replaces the element: the old one's timer goes */
		replaced = !err && !(flags & BPF_F_LOCK);
		goto out;
	}
	if (exist == BPF_EXIST) {
		err = -ENOENT;
		goto out;
	}
	idx = alloc_elem(map);
	if (!idx) {
		err = -E2BIG;
		goto out;
	}
	e = elem_at(map, idx);
	e->hash = hash;
	memcpy(key_of(e), key, map->key_size);
	store(map, e, value, true, all_cpus, cpu, false); /* not yet seen: no lock needed */
	atomic_store_explicit(&e->next, atomic_load(&b->head), memory_order_relaxed);
	atomic_store_explicit(&b->head, idx, memory_order_release);
out:
	map_unlock(&b->lock);
	if (replaced)
		map_value_free_fields(map, value_of(map, e, 0));
	return err;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	return do_update(map, key, value, flags, true, 0);
}

static long prog_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
			unsigned cpu)
{
	return do_update(map, key, value, flags, false, cpu);
}

/* Unlinks key's element under the bucket lock; copies its value first if
 * asked (locked: under the value's bpf_spin_lock). */
static int do_delete(struct bpfmap *map, const void *key, void *value, bool locked)
{
	uint32_t hash = hash_key(map, key), idx;
	struct bucket *b = bucket_of(map, hash);
	atomic_uint *link;
	int err = -ENOENT;

	map_lock(&b->lock);
	for (link = &b->head; (idx = atomic_load(link)) != 0;) {
		struct elem *e = elem_at(map, idx);

		if (e->hash == hash && !memcmp(key_of(e), key, map->key_size)) {
			if (value)
				copy_out(map, e, value, locked);
			atomic_store_explicit(link, atomic_load(&e->next), memory_order_release);
			err = 0;
			break;
		}
		link = &e->next;
	}
	map_unlock(&b->lock);
	if (!err) {
		map_value_free_fields(map, value_of(map, elem_at(map, idx), 0));
		free_elem(map, idx);
	}
	return err;
}

static int delete (struct bpfmap *map, const void *key)
{
	return do_delete(map, key, NULL, false);
}

static long prog_delete(struct bpfmap *map, const void *key)
{
	return do_delete(map, key, NULL, false);
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	if ((flags & ~(uint64_t)BPF_F_LOCK) || !lock_flag_ok(map, flags))
		return -EINVAL;
	return do_delete(map, key, value, flags & BPF_F_LOCK);
}

/* The first element of buckets from..n_buckets-1, copied to next_key. */
static int first_from(struct bpfmap *map, uint64_t from, void *next_key)
{
	for (uint64_t i = from; i < map->hdr->state[S_N_BUCKETS]; i++) {
		struct bucket *b = &buckets(map)[i];
		uint32_t idx;

		map_lock(&b->lock);
		idx = atomic_load(&b->head);
		if (idx)
			memcpy(next_key, key_of(elem_at(map, idx)), map->key_size);
		map_unlock(&b->lock);
		if (idx)
			return 0;
	}
	return -ENOENT;
}

/* As the kernel: the key after key in its bucket, else the first of the next
 * non-empty bucket; a missing (or NULL) key restarts from the first bucket. */
static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	uint32_t hash, next;
	struct bucket *b;
	struct elem *e;

	if (!key)
		return first_from(map, 0, next_key);
	hash = hash_key(map, key);
	b = bucket_of(map, hash);
	map_lock(&b->lock);
	e = find(map, b, key, hash);
	next = e ? atomic_load(&e->next) : 0;
	if (next)
		memcpy(next_key, key_of(elem_at(map, next)), map->key_size);
	map_unlock(&b->lock);
	if (!e)
		return first_from(map, 0, next_key);
	if (next)
		return 0;
	return first_from(map, (uint64_t)(b - buckets(map)) + 1, next_key);
}

static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	uint32_t hash = hash_key(map, key);
	struct elem *e = find(map, bucket_of(map, hash), key, hash);

	return e ? value_of(map, e, percpu(map->hdr) ? cpu : 0) : NULL;
}

/* Without locks, as programs look up: the callback may update this very map.
 * Each bucket's walk is bounded, as find()'s is. */
static long prog_for_each(struct bpfmap *map, unsigned cpu, void *scratch,
			  int (*fn)(void *arg, void *key, void *value), void *arg)
{
	long n = 0;

	(void)scratch;
	for (uint64_t b = 0; b < map->hdr->state[S_N_BUCKETS]; b++) {
		uint32_t idx = atomic_load_explicit(&buckets(map)[b].head, memory_order_acquire);

		for (uint32_t steps = 0;
		     idx && idx <= map->max_entries && steps <= map->max_entries; steps++) {
			struct elem *e = elem_at(map, idx);

			n++;
			if (fn(arg, key_of(e), value_of(map, e, percpu(map->hdr) ? cpu : 0)))
				return n;
			idx = atomic_load_explicit(&e->next, memory_order_acquire);
		}
	}
	return n;
}

const struct map_ops map_hash_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_lookup = prog_lookup,
	.prog_update = prog_update,
	.prog_delete = prog_delete,
	.prog_for_each = prog_for_each,
};
