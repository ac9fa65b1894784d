/* BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY: max_entries values, each rounded up to
 * 8 bytes, indexed by a u32 key; per-CPU arrays keep ncpus slots per index
 * (index-major). Elements always exist: delete is refused, as in the kernel.
 * A value's bpf_spin_lock word is never copied (map_value_store/load); an
 * update frees the value's bpf_timer, as the kernel's (BPF_F_LOCK too). */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524 /* the kernel's internal errno that bpf() lets through */

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_RDONLY | BPF_F_WRONLY |
			    BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_INNER_MAP;
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;

	if (!attr->max_entries || attr->key_size != 4 || !attr->value_size ||
	    (attr->map_flags & ~ok) || (percpu && (attr->map_flags & BPF_F_MMAPABLE))) {
		ulog_printf(log,
			    "%s: needs key_size 4 (got %u), value_size > 0 (got %u), "
			    "max_entries > 0 (got %u), known flags (got 0x%x)\n",
			    map_type_name(attr->map_type), attr->key_size, attr->value_size,
			    attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	if (percpu && (attr->map_flags & BPF_F_INNER_MAP)) {
		ulog_printf(log, "percpu_array cannot be an inner map\n");
		return -EINVAL;
	}
	if (percpu && attr->value_size > 32768) {
		ulog_printf(log, "percpu_array: value_size %u is over 32768\n", attr->value_size);
		return -E2BIG;
	}
	if ((uint64_t)attr->value_size > (1u << 22)) {
		ulog_printf(log, "array: value_size %u is too big\n", attr->value_size);
		return -E2BIG;
	}
	return 0;
}

static uint32_t slots(const struct map_hdr *hdr)
{
	return hdr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY ? hdr->ncpus : 1;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return (uint64_t)hdr->max_entries * round_up8(hdr->value_size) * slots(hdr);
}

static uint8_t *elem(struct bpfmap *map, uint32_t idx, unsigned cpu)
{
	uint64_t stride = round_up8(map->value_size);

	return map->data + ((uint64_t)idx * slots(map->hdr) + cpu) * stride;
}

/* BPF_F_LOCK needs a bpf_spin_lock in the value */
static bool lock_flag_ok(struct bpfmap *map, uint64_t flags)
{
	return !(flags & BPF_F_LOCK) || map_spin_lock_off(map) >= 0;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	uint32_t idx;

	memcpy(&idx, key, 4);
	if ((flags & ~(uint64_t)BPF_F_LOCK) || !lock_flag_ok(map, flags))
		return -EINVAL;
	if (idx >= map->max_entries)
		return -ENOENT;
	if (slots(map->hdr) == 1)
		map_value_load(map, value, elem(map, idx, 0), flags & BPF_F_LOCK);
	else
		memcpy(value, elem(map, idx, 0), (uint64_t)round_up8(map->value_size) * map->ncpus);
	return 0;
}

/* In the kernel's order (array_map_update_elem) */
static int check_update(struct bpfmap *map, uint32_t idx, uint64_t flags)
{
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;
	if (idx >= map->max_entries)
		return -E2BIG;
	if (flags & BPF_NOEXIST)
		return -EEXIST;
	return lock_flag_ok(map, flags) ? 0 : -EINVAL;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t idx;
	int err;

	memcpy(&idx, key, 4);
	/* from user space, bpf() refuses BPF_F_LOCK without a lock first */
	err = lock_flag_ok(map, flags) ? check_update(map, idx, flags) : -EINVAL;
	if (err)
		return err;
	if (slots(map->hdr) == 1) {
		map_value_store(map, elem(map, idx, 0), value, flags & BPF_F_LOCK);
		map_value_free_fields(map, elem(map, idx, 0));
	} else {
		uint32_t stride = round_up8(map->value_size);

		/* whole 8-byte slots, padding included, as the kernel copies them */
		for (unsigned c = 0; c < map->ncpus; c++)
			memcpy(elem(map, idx, c), (const uint8_t *)value + (uint64_t)c * stride,
			       stride);
	}
	return 0;
}

static int delete (struct bpfmap *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)key, (void)value;
	return lock_flag_ok(map, flags) ? -ENOTSUPP : -EINVAL;
}

static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	uint32_t idx;

	memcpy(&idx, key, 4);
	if (idx >= map->max_entries)
		return NULL;
	return elem(map, idx, slots(map->hdr) == 1 ? 0 : cpu);
}

static long prog_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
			unsigned cpu)
{
	uint32_t idx;
	int err;

	memcpy(&idx, key, 4);
	err = check_update(map, idx, flags);
	if (err)
		return err;
	map_value_store(map, elem(map, idx, slots(map->hdr) == 1 ? 0 : cpu), value,
			flags & BPF_F_LOCK);
	if (slots(map->hdr) == 1)
		map_value_free_fields(map, elem(map, idx, 0));
	return 0;
}

static long prog_delete(struct bpfmap *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static long prog_for_each(struct bpfmap *map, unsigned cpu, void *scratch,
			  int (*fn)(void *arg, void *key, void *value), void *arg)
{
	uint32_t i;

	for (i = 0; i < map->max_entries; i++) {
		memcpy(scratch, &i, 4);
		if (fn(arg, scratch, elem(map, i, slots(map->hdr) == 1 ? 0 : cpu)))
			return i + 1;
	}
	return i;
}

const struct map_ops map_array_ops = {
	.check = check,
	.data_size = data_size,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = map_index_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_lookup = prog_lookup,
	.prog_update = prog_update,
	.prog_delete = prog_delete,
	.prog_for_each = prog_for_each,
};
