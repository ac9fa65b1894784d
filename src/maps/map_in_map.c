/* BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS: an array or a hash whose
 * values are inner maps. The storage is an array's or a hash's with 4-byte
 * values that hold inner map ids, so every process sees the same maps; user
 * space writes map fds, which the dispatcher turns into ids after checking
 * them against the template (the inner map given at creation, kept in
 * hdr->state[MIM_TEMPLATE..]), and reads ids back, as the kernel. */
#include <errno.h>

#include "../util/log.h"
#include "map.h"

extern const struct map_ops map_array_ops, map_hash_ops;

static bool is_array(const union bpf_attr *attr)
{
	return attr->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
}

static int check(const union bpf_attr *attr, struct ulog *log)
{
	union bpf_attr inner = *attr;

	if (attr->value_size != 4) {
		ulog_printf(log, "%s: value_size must be 4 (an inner map fd), not %u\n",
			    map_type_name(attr->map_type), attr->value_size);
		return -EINVAL;
	}
	/* otherwise an array's or a hash's rules */
	inner.map_type = is_array(attr) ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH;
	return is_array(attr) ? map_array_ops.check(&inner, log) : map_hash_ops.check(&inner, log);
}

static const struct map_ops *base(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? &map_array_ops : &map_hash_ops;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return hdr->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? map_array_ops.data_size(hdr)
							   : map_hash_ops.data_size(hdr);
}

static int init(struct bpfmap *map)
{
	return base(map)->init ? base(map)->init(map) : 0;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	return base(map)->lookup(map, key, value, flags);
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	return base(map)->update(map, key, value, flags);
}

/* an array of maps can empty a slot: its id goes to 0 (the kernel's fd_array delete) */
static int delete (struct bpfmap *map, const void *key)
{
	uint32_t none = 0, id;

	if (map->hdr->map_type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return map_hash_ops.delete(map, key);
	if (map_array_ops.lookup(map, key, &id, 0))
		return -E2BIG;
	if (!id)
		return -ENOENT;
	return map_array_ops.update(map, key, &none, BPF_ANY);
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	return base(map)->get_next_key(map, key, next_key);
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -524; /* ENOTSUPP */
}

/* a pointer to the inner map's id; the helper turns it into the map */
static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	uint32_t *id = base(map)->prog_lookup(map, key, cpu);

	return id && *id ? id : NULL;
}

const struct map_ops map_of_maps_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_lookup = prog_lookup,
};
