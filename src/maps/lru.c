/* BPF_MAP_TYPE_LRU_HASH and LRU_PERCPU_HASH: preallocated hash tables where a
 * new key that finds no free element evicts the least recently used one (an
 * exact LRU, not the kernel's approximation; see do_update for when it evicts).
 *   storage: n_buckets x bucket | n_lists x lru_list | max_entries x element
 *   element: struct elem | key (rounded to 8) | value (x ncpus for per-CPU)
 * One list, or one per possible CPU with BPF_F_NO_COMMON_LRU, each owning its
 * elements; a list is doubly linked by index + 1, most recent first, plus a free
 * stack. Invariant: an element in a bucket is on its list. Locks: list, then bucket.
 * A value's bpf_timer is never copied, and is freed (after the locks) when its
 * element is deleted, overwritten or evicted, as the kernel's. */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define KMALLOC_MAX_SIZE (1u << 22)
#define KERNEL_HTAB_ELEM_SIZE 48 /* sizeof(struct htab_elem), in the kernel's E2BIG check */

struct bucket {
	atomic_uint head; /* element index + 1 */
	atomic_uint lock;
};

struct lru_list {
	atomic_uint lock;
	atomic_uint head; /* most recently used; read without the lock to skip a move */
	uint32_t tail;	  /* least recently used */
	uint32_t free;	  /* free stack, linked by elem.lnext */
	uint32_t pad[12]; /* one cache line each */
};

struct elem {
	atomic_uint next; /* bucket chain, element index + 1 */
	uint32_t hash;
	uint32_t prev, lnext; /* list links; lnext also links the free stack */
	uint32_t owner;	      /* the list the element belongs to, for ever */
	uint32_t listed;      /* on its list (else free or being allocated) */
};

/* hdr->state[] slots */
enum { S_N_BUCKETS, S_ELEM_SIZE, S_SEED, S_N_LISTS, S_LISTS_OFF, S_ELEMS_OFF };

static bool percpu(const struct map_hdr *hdr)
{
	return hdr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* The kernel's htab_map_alloc: with per-CPU lists, max_entries is rounded up
 * to a multiple of the possible CPUs (down when that overflows a u32), and a
 * CPU's list hands out and evicts only its own max_entries / ncpus elements. */
static uint64_t real_max(uint32_t max_entries, uint32_t map_flags, uint32_t ncpus)
{
	uint64_t n = max_entries;

	if (map_flags & BPF_F_NO_COMMON_LRU) {
		n = (n + ncpus - 1) / ncpus * ncpus;
		if (n > UINT32_MAX)
			n = (uint64_t)max_entries / ncpus * ncpus;
	}
	return n;
}

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE |
			    BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG |
			    BPF_F_ZERO_SEED;
	const char *name = map_type_name(attr->map_type);
	bool pcpu = attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	uint32_t f = attr->map_flags;

	if (f & ~ok) {
		ulog_printf(log, "%s: unknown map_flags 0x%x\n", name, f & ~ok);
		return -EINVAL;
	}
	if (f & BPF_F_NO_PREALLOC) {
		ulog_printf(log, "%s: BPF_F_NO_PREALLOC is not supported by LRU maps\n", name);
		return -ENOTSUPP;
	}
	if ((f & BPF_F_NUMA_NODE) && (pcpu || (f & BPF_F_NO_COMMON_LRU))) {
		ulog_printf(log,
			    "%s: BPF_F_NUMA_NODE does not go with per-CPU values or "
			    "BPF_F_NO_COMMON_LRU\n",
			    name);
		return -EINVAL;
	}
	if (!attr->max_entries || !attr->key_size || !attr->value_size) {
		ulog_printf(log,
			    "%s: key_size (%u), value_size (%u) and max_entries (%u) must "
			    "be > 0\n",
			    name, attr->key_size, attr->value_size, attr->max_entries);
		return -EINVAL;
	}
	if ((uint64_t)attr->key_size + attr->value_size >=
		    KMALLOC_MAX_SIZE - KERNEL_HTAB_ELEM_SIZE ||
	    (pcpu && round_up8(attr->value_size) > 32768)) {
		ulog_printf(log, "%s: key_size %u + value_size %u is too big\n", name,
			    attr->key_size, attr->value_size);
		return -E2BIG;
	}
	if (real_max(attr->max_entries, f, map_possible_cpus()) > (1u << 31)) {
		ulog_printf(log, "%s: max_entries %u is too big\n", name, attr->max_entries);
		return -E2BIG;
	}
	return 0;
}

static uint64_t elem_size_of(const struct map_hdr *hdr)
{
	return sizeof(struct elem) + round_up8(hdr->key_size) +
	       (uint64_t)round_up8(hdr->value_size) * (percpu(hdr) ? hdr->ncpus : 1);
}

static uint32_t n_lists_of(const struct map_hdr *hdr)
{
	return (hdr->map_flags & BPF_F_NO_COMMON_LRU) ? hdr->ncpus : 1;
}

static uint64_t lists_off(uint64_t max_entries)
{
	return (map_roundup_pow2(max_entries) * sizeof(struct bucket) + 63) & ~63ull;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	uint64_t max = real_max(hdr->max_entries, hdr->map_flags, hdr->ncpus);

	return lists_off(max) + (uint64_t)n_lists_of(hdr) * sizeof(struct lru_list) +
	       max * elem_size_of(hdr);
}

static struct bucket *buckets(struct bpfmap *map)
{
	return (struct bucket *)map->data;
}

static struct lru_list *list_at(struct bpfmap *map, uint32_t i)
{
	return (struct lru_list *)(map->data + map->hdr->state[S_LISTS_OFF]) + i;
}

static struct elem *elem_at(struct bpfmap *map, uint32_t idx1)
{
	return (struct elem *)(map->data + map->hdr->state[S_ELEMS_OFF] +
			       (uint64_t)(idx1 - 1) * map->hdr->state[S_ELEM_SIZE]);
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
	uint32_t max = (uint32_t)real_max(h->max_entries, h->map_flags, h->ncpus);
	uint32_t n_lists = n_lists_of(h), per_list = max / n_lists;

	/* what BPF_OBJ_GET_INFO_BY_FD reports, as the kernel's map->max_entries */
	h->max_entries = max;
	map->max_entries = max;
	h->state[S_N_BUCKETS] = map_roundup_pow2(max);
	h->state[S_ELEM_SIZE] = elem_size_of(h);
	h->state[S_SEED] = (h->map_flags & BPF_F_ZERO_SEED) ? 0 : 0x9e3779b9u;
	h->state[S_N_LISTS] = n_lists;
	h->state[S_LISTS_OFF] = lists_off(max);
	h->state[S_ELEMS_OFF] = lists_off(max) + (uint64_t)n_lists * sizeof(struct lru_list);
	for (uint32_t i = max; i >= 1; i--) {
		struct elem *e = elem_at(map, i);
		struct lru_list *l = list_at(map, (i - 1) / per_list);

		e->owner = (i - 1) / per_list;
		e->lnext = l->free;
		l->free = i;
	}
	return 0;
}

/* ---- LRU lists (under the list's lock) ---- */

static void list_unlink(struct bpfmap *map, struct lru_list *l, uint32_t idx)
{
	struct elem *e = elem_at(map, idx);

	if (e->prev)
		elem_at(map, e->prev)->lnext = e->lnext;
	else
		atomic_store_explicit(&l->head, e->lnext, memory_order_relaxed);
	if (e->lnext)
		elem_at(map, e->lnext)->prev = e->prev;
	else
		l->tail = e->prev;
}

static void list_push_head(struct bpfmap *map, struct lru_list *l, uint32_t idx)
{
	struct elem *e = elem_at(map, idx);
	uint32_t head = atomic_load_explicit(&l->head, memory_order_relaxed);

	e->prev = 0;
	e->lnext = head;
	if (head)
		elem_at(map, head)->prev = idx;
	else
		l->tail = idx;
	atomic_store_explicit(&l->head, idx, memory_order_relaxed);
}

/* ---- buckets ---- */

static struct bucket *bucket_of(struct bpfmap *map, uint32_t hash)
{
	return &buckets(map)[hash & (map->hdr->state[S_N_BUCKETS] - 1)];
}

static uint32_t hash_key(struct bpfmap *map, const void *key)
{
	return map_hash(key, map->key_size, (uint32_t)map->hdr->state[S_SEED]);
}

/* The index of key's element in bucket b (its lock held or not), or 0; the
 * walk is bounded, so it ends even when elements move under a lock-free reader. */
static uint32_t find(struct bpfmap *map, struct bucket *b, const void *key, uint32_t hash)
{
	uint32_t idx = atomic_load_explicit(&b->head, memory_order_acquire);

	for (uint32_t steps = 0; idx && idx <= map->max_entries && steps <= map->max_entries;
	     steps++) {
		struct elem *e = elem_at(map, idx);

		if (e->hash == hash && !memcmp(key_of(e), key, map->key_size))
			return idx;
		idx = atomic_load_explicit(&e->next, memory_order_acquire);
	}
	return 0;
}

/* Unlinks element idx from bucket b (lock held); false if it is not there. */
static bool bucket_remove(struct bpfmap *map, struct bucket *b, uint32_t idx)
{
	atomic_uint *link = &b->head;
	uint32_t cur;

	while ((cur = atomic_load(link)) != 0) {
		if (cur == idx) {
			atomic_store_explicit(link, atomic_load(&elem_at(map, idx)->next),
					      memory_order_release);
			return true;
		}
		link = &elem_at(map, cur)->next;
	}
	return false;
}

/* ---- element life: allocate (maybe evict), list, touch, release ---- */

/* A free element of list li, else the least recently used one evicted from
 * its bucket; 0 if every listed element is in the middle of an insertion or a
 * deletion by someone else (the kernel's -ENOMEM). */
static uint32_t alloc_elem(struct bpfmap *map, uint32_t li)
{
	struct lru_list *l = list_at(map, li);
	bool evicted_any = false;
	uint32_t idx;

	map_lock(&l->lock);
	idx = l->free;
	if (idx) {
		l->free = elem_at(map, idx)->lnext;
		goto out;
	}
	evicted_any = true;
	for (idx = l->tail; idx; idx = elem_at(map, idx)->prev) {
		struct elem *e = elem_at(map, idx);
		struct bucket *b = bucket_of(map, e->hash);
		bool evicted;

		map_lock(&b->lock);
		evicted = bucket_remove(map, b, idx);
		map_unlock(&b->lock);
		if (evicted) {
			list_unlink(map, l, idx);
			e->listed = 0;
			break;
		}
	}
out:
	map_unlock(&l->lock);
	if (idx && evicted_any)
		map_value_free_fields(map, value_of(map, elem_at(map, idx), 0));
	return idx;
}

/* Puts an allocated element at the head of its list (before it enters a
 * bucket, which keeps the invariant). */
static void list_attach(struct bpfmap *map, uint32_t idx)
{
	struct elem *e = elem_at(map, idx);
	struct lru_list *l = list_at(map, e->owner);

	map_lock(&l->lock);
	list_push_head(map, l, idx);
	e->listed = 1;
	map_unlock(&l->lock);
}

/* Marks element idx most recently used. That is: inserted, updated, or looked
 * up by a program; user-space lookups do not count, as in the kernel. */
static void touch(struct bpfmap *map, uint32_t idx)
{
	struct elem *e = elem_at(map, idx);
	struct lru_list *l;

	if (e->owner >= map->hdr->state[S_N_LISTS])
		return;
	l = list_at(map, e->owner);
	if (atomic_load_explicit(&l->head, memory_order_relaxed) == idx)
		return;
	map_lock(&l->lock);
	if (e->listed && atomic_load_explicit(&l->head, memory_order_relaxed) != idx) {
		list_unlink(map, l, idx);
		list_push_head(map, l, idx);
	}
	map_unlock(&l->lock);
}

/* Gives back an element that is in no bucket. */
static void release_elem(struct bpfmap *map, uint32_t idx)
{
	struct elem *e = elem_at(map, idx);
	struct lru_list *l = list_at(map, e->owner);

	map_lock(&l->lock);
	if (e->listed)
		list_unlink(map, l, idx);
	e->listed = 0;
	e->lnext = l->free;
	l->free = idx;
	map_unlock(&l->lock);
}

/* ---- values ---- */

static void copy_out(struct bpfmap *map, struct elem *e, void *value)
{
	if (!percpu(map->hdr)) {
		map_value_load(map, value, value_of(map, e, 0), false);
		return;
	}
	for (unsigned c = 0; c < map->ncpus; c++)
		memcpy((uint8_t *)value + (uint64_t)c * round_up8(map->value_size),
		       value_of(map, e, c), round_up8(map->value_size));
}

/* From user space every CPU's slot (all_cpus); from a program the calling
 * CPU's, a new element's other slots zeroed (as the kernel's pcpu_init_value). */
static void store(struct bpfmap *map, struct elem *e, const void *value, bool fresh, bool all_cpus,
		  unsigned cpu)
{
	uint32_t stride = round_up8(map->value_size);

	if (!percpu(map->hdr)) {
		map_value_copy_skip(map, value_of(map, e, 0), value);
		return;
	}
	for (unsigned c = 0; c < map->ncpus; c++) {
		if (all_cpus)
			memcpy(value_of(map, e, c), (const uint8_t *)value + (uint64_t)c * stride,
			       map->value_size);
		else if (c == cpu)
			memcpy(value_of(map, e, c), value, map->value_size);
		else if (fresh)
			memset(value_of(map, e, c), 0, stride);
	}
}

/* Under the bucket lock: key's element old exists. */
static int update_old(struct bpfmap *map, uint32_t old, const void *value, uint64_t flags,
		      bool all_cpus, unsigned cpu)
{
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	store(map, elem_at(map, old), value, false, all_cpus, cpu);
	return 0;
}

/* Element old was updated in place (the kernel replaces it with a new one):
 * most recently used, its timer gone. */
static void replaced(struct bpfmap *map, uint32_t old)
{
	touch(map, old);
	map_value_free_fields(map, value_of(map, elem_at(map, old), 0));
}

/* An existing key is updated in place (EEXIST under BPF_NOEXIST); a missing
 * one is ENOENT under BPF_EXIST, else gets an element from the list of cpu,
 * which evicts only if that list has no free element. (The kernel takes an
 * element before it looks for the key, so on a full map even an update that
 * replaces, or fails, can evict; this one does not.) The bucket lock is
 * dropped while allocating (list before bucket), so the key is looked up
 * again before the new element goes in. */
static int do_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
		     bool all_cpus, unsigned cpu)
{
	uint32_t hash = hash_key(map, key), idx, old;
	struct bucket *b = bucket_of(map, hash);
	struct elem *e;
	int err;

	if (flags > BPF_EXIST)
		return -EINVAL; /* BPF_F_LOCK too: LRU values hold no bpf_spin_lock */
	map_lock(&b->lock);
	old = find(map, b, key, hash);
	if (old || flags == BPF_EXIST) {
		err = old ? update_old(map, old, value, flags, all_cpus, cpu) : -ENOENT;
		map_unlock(&b->lock);
		if (!err)
			replaced(map, old);
		return err;
	}
	map_unlock(&b->lock);

	idx = alloc_elem(map, cpu % (uint32_t)map->hdr->state[S_N_LISTS]);
	if (!idx)
		return -ENOMEM;
	e = elem_at(map, idx);
	e->hash = hash;
	memcpy(key_of(e), key, map->key_size);
	store(map, e, value, true, all_cpus, cpu);
	list_attach(map, idx);

	map_lock(&b->lock);
	old = find(map, b, key, hash);
	if (!old) {
		atomic_store_explicit(&e->next, atomic_load(&b->head), memory_order_relaxed);
		atomic_store_explicit(&b->head, idx, memory_order_release);
		map_unlock(&b->lock);
		return 0;
	}
	/* someone inserted the key meanwhile: theirs stays, ours goes back */
	err = update_old(map, old, value, flags, all_cpus, cpu);
	map_unlock(&b->lock);
	release_elem(map, idx);
	if (!err)
		replaced(map, old);
	return err;
}

/* Unlinks key's element; copies its value out first if asked. */
static int do_delete(struct bpfmap *map, const void *key, void *value)
{
	uint32_t hash = hash_key(map, key), idx;
	struct bucket *b = bucket_of(map, hash);

	map_lock(&b->lock);
	idx = find(map, b, key, hash);
	if (idx) {
		if (value)
			copy_out(map, elem_at(map, idx), value);
		bucket_remove(map, b, idx);
	}
	map_unlock(&b->lock);
	if (!idx)
		return -ENOENT;
	map_value_free_fields(map, value_of(map, elem_at(map, idx), 0));
	release_elem(map, idx);
	return 0;
}

/* ---- user space ---- */

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	uint32_t hash = hash_key(map, key), idx;
	struct bucket *b = bucket_of(map, hash);

	if (flags)
		return -EINVAL; /* BPF_F_LOCK without a bpf_spin_lock */
	map_lock(&b->lock);
	idx = find(map, b, key, hash);
	if (idx)
		copy_out(map, elem_at(map, idx), value);
	map_unlock(&b->lock);
	return idx ? 0 : -ENOENT;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	return do_update(map, key, value, flags, true, map_this_cpu());
}

static int delete (struct bpfmap *map, const void *key)
{
	return do_delete(map, key, NULL);
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	if (flags)
		return -EINVAL;
	if (!key)
		return -EFAULT;
	return do_delete(map, key, value);
}

/* The first key of buckets from..n_buckets-1, copied to next_key. */
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

/* As the kernel's htab_map_get_next_key: the next key in the bucket, else the
 * first of the next non-empty bucket; a missing (or NULL) key starts over. */
static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	uint32_t hash, idx, next = 0;
	struct bucket *b;

	if (!key)
		return first_from(map, 0, next_key);
	hash = hash_key(map, key);
	b = bucket_of(map, hash);
	map_lock(&b->lock);
	idx = find(map, b, key, hash);
	if (idx)
		next = atomic_load(&elem_at(map, idx)->next);
	if (next)
		memcpy(next_key, key_of(elem_at(map, next)), map->key_size);
	map_unlock(&b->lock);
	if (!idx)
		return first_from(map, 0, next_key);
	if (next)
		return 0;
	return first_from(map, (uint64_t)(b - buckets(map)) + 1, next_key);
}

/* ---- programs ---- */

static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	uint32_t hash = hash_key(map, key);
	uint32_t idx = find(map, bucket_of(map, hash), key, hash);

	if (!idx)
		return NULL;
	touch(map, idx);
	return value_of(map, elem_at(map, idx), percpu(map->hdr) ? cpu : 0);
}

static long prog_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
			unsigned cpu)
{
	return do_update(map, key, value, flags, false, cpu);
}

static long prog_delete(struct bpfmap *map, const void *key)
{
	return do_delete(map, key, NULL);
}

/* bpf_for_each_map_elem: lock-free as program lookups, each bucket's walk
 * bounded; visiting does not make an element recently used (the kernel's
 * walk does not either). */
static long prog_for_each(struct bpfmap *map, unsigned cpu, void *scratch,
			  int (*fn)(void *arg, void *key, void *value), void *arg)
{
	long n = 0;

	uint32_t max = map->hdr->max_entries;

	(void)scratch;
	for (uint64_t b = 0; b < map->hdr->state[S_N_BUCKETS]; b++) {
		uint32_t idx = atomic_load_explicit(&buckets(map)[b].head, memory_order_acquire);

		for (uint32_t steps = 0; idx && idx <= max && steps <= max; steps++) {
			struct elem *e = elem_at(map, idx);

			n++;
			if (fn(arg, key_of(e), value_of(map, e, percpu(map->hdr) ? cpu : 0)))
				return n;
			idx = atomic_load_explicit(&e->next, memory_order_acquire);
		}
	}
	return n;
}

const struct map_ops map_lru_hash_ops = {
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
