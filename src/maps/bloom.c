/* BPF_MAP_TYPE_BLOOM_FILTER: a bit array tested and set by nr_hashes hashes of
 * the value (map_extra's low 4 bits; 5 when 0), hash i seeded with seed + i.
 * The array is sized as the kernel sizes it: max_entries * nr_hashes * 7 / 5
 * bits rounded up to a power of two (at least 64), or 2^32 bits when that
 * overflows; hdr->state[] keeps the bit mask, nr_hashes and the seed. Bits are
 * only ever set, with atomic ORs on 64-bit words, so nothing takes a lock.
 * push adds a value; peek says -ENOENT (surely absent) or 0 (maybe present).
 */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define KMALLOC_MAX_SIZE (1u << 22)

/* hdr->state[] slots */
enum { S_MASK, S_NR_HASHES, S_SEED };

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_RDONLY | BPF_F_WRONLY |
			    BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	/* the kernel checks the size first (map_alloc_check), then the rest */
	if (attr->value_size > KMALLOC_MAX_SIZE) {
		ulog_printf(log, "bloom_filter: value_size %u is over %u\n", attr->value_size,
			    KMALLOC_MAX_SIZE);
		return -E2BIG;
	}
	if (attr->key_size || !attr->value_size || !attr->max_entries) {
		ulog_printf(log,
			    "bloom_filter: needs key_size 0 (got %u), value_size > 0 (got "
			    "%u) and max_entries > 0 (got %u)\n",
			    attr->key_size, attr->value_size, attr->max_entries);
		return -EINVAL;
	}
	if (attr->map_flags & ~ok) {
		ulog_printf(log, "bloom_filter: map_flags 0x%x not allowed\n",
			    attr->map_flags & ~ok);
		return -EINVAL;
	}
	if (attr->map_extra & ~0xfull) {
		ulog_printf(log,
			    "bloom_filter: map_extra 0x%llx: only the low 4 bits (the "
			    "number of hashes) may be set\n",
			    (unsigned long long)attr->map_extra);
		return -EINVAL;
	}
	return 0;
}

static uint32_t nr_hashes_of(const struct map_hdr *hdr)
{
	return hdr->map_extra ? (uint32_t)hdr->map_extra : 5;
}

/* The bit mask (bits - 1), as the kernel's bloom_map_alloc computes it. */
static uint64_t mask_of(const struct map_hdr *hdr)
{
	uint64_t bits = (uint64_t)hdr->max_entries * nr_hashes_of(hdr);

	if (bits > UINT32_MAX)
		return UINT32_MAX;
	bits = bits / 5 * 7;
	if (bits > (1ull << 31))
		return UINT32_MAX;
	if (bits <= 64)
		return 63;
	return (1ull << (64 - __builtin_clzll(bits - 1))) - 1;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return (mask_of(hdr) + 1) / 8;
}

static int init(struct bpfmap *map)
{
	struct map_hdr *h = map->hdr;

	h->state[S_MASK] = mask_of(h);
	h->state[S_NR_HASHES] = nr_hashes_of(h);
	/* the kernel's seed is random unless BPF_F_ZERO_SEED; any seed works as
	 * long as every process reads it from the header */
	h->state[S_SEED] = (h->map_flags & BPF_F_ZERO_SEED) ? 0 : 0x9e3779b9u;
	return 0;
}

static _Atomic uint64_t *word(struct bpfmap *map, uint32_t bit)
{
	return (_Atomic uint64_t *)(void *)map->data + bit / 64;
}

static uint32_t bit_of(struct bpfmap *map, const void *value, uint32_t i)
{
	uint32_t seed = (uint32_t)map->hdr->state[S_SEED] + i;

	return map_hash(value, map->value_size, seed) & (uint32_t)map->hdr->state[S_MASK];
}

static int peek(struct bpfmap *map, const void *value)
{
	for (uint32_t i = 0; i < map->hdr->state[S_NR_HASHES]; i++) {
		uint32_t b = bit_of(map, value, i);

		if (!(atomic_load_explicit(word(map, b), memory_order_relaxed) &
		      (1ull << (b % 64))))
			return -ENOENT;
	}
	return 0;
}

static int push(struct bpfmap *map, const void *value, uint64_t flags)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	for (uint32_t i = 0; i < map->hdr->state[S_NR_HASHES]; i++) {
		uint32_t b = bit_of(map, value, i);

		atomic_fetch_or_explicit(word(map, b), 1ull << (b % 64), memory_order_relaxed);
	}
	return 0;
}

/* ---- user space: lookup = peek (the value is input), update = push ----
 * A key pointer is EINVAL (the kernel's __bpf_copy_key for key_size 0); the
 * kernel's errors for the rest: delete and next key EOPNOTSUPP, lookup and
 * delete ENOTSUPP. BPF_F_LOCK is EINVAL (no bpf_spin_lock in the value). */

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	if (flags || key)
		return -EINVAL;
	return peek(map, value);
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	if (key)
		return -EINVAL;
	return push(map, value, flags);
}

static int delete (struct bpfmap *map, const void *key)
{
	(void)map;
	return key ? -EINVAL : -EOPNOTSUPP;
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	(void)map, (void)next_key;
	return key ? -EINVAL : -EOPNOTSUPP;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)value;
	if (flags || key)
		return -EINVAL;
	return -ENOTSUPP;
}

/* ---- programs: bpf_map_push_elem and bpf_map_peek_elem only ---- */

static long prog_push(struct bpfmap *map, const void *value, uint64_t flags)
{
	return push(map, value, flags);
}

static long prog_peek(struct bpfmap *map, void *value)
{
	return peek(map, value);
}

const struct map_ops map_bloom_filter_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_push = prog_push,
	.prog_peek = prog_peek,
};
