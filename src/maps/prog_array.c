/* BPF_MAP_TYPE_PROG_ARRAY: the targets of bpf_tail_call. Slots hold program
 * ids (0: empty), so that every process sees the same array; user space
 * writes program fds, which the dispatcher turns into ids before the update,
 * and reads ids back, as the kernel's bpf_fd_array_map_lookup_elem. */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;

	if (!attr->max_entries || attr->key_size != 4 || attr->value_size != 4 ||
	    (attr->map_flags & ~ok)) {
		ulog_printf(log,
			    "prog_array: needs key_size 4, value_size 4, max_entries > 0 and "
			    "known flags (got %u, %u, %u, 0x%x)\n",
			    attr->key_size, attr->value_size, attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return (uint64_t)hdr->max_entries * sizeof(uint32_t);
}

static atomic_uint *slot(struct bpfmap *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, 4);
	return idx < map->max_entries ? (atomic_uint *)map->data + idx : NULL;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	atomic_uint *s = slot(map, key);
	uint32_t id;

	if (flags)
		return -EINVAL;
	if (!s || !(id = atomic_load(s)))
		return -ENOENT;
	memcpy(value, &id, 4);
	return 0;
}

/* value: the program id the dispatcher found behind the user's fd */
static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	atomic_uint *s = slot(map, key);
	uint32_t id;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (!s)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	memcpy(&id, value, 4);
	atomic_store(s, id);
	return 0;
}

static int delete (struct bpfmap *map, const void *key)
{
	atomic_uint *s = slot(map, key);

	if (!s)
		return -E2BIG;
	return atomic_exchange(s, 0) ? 0 : -ENOENT;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -524; /* ENOTSUPP */
}

uint32_t map_prog_array_get(struct bpfmap *map, uint32_t index)
{
	return index < map->max_entries ? atomic_load((atomic_uint *)map->data + index) : 0;
}

const struct map_ops map_prog_array_ops = {
	.check = check,
	.data_size = data_size,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = map_index_next_key,
	.lookup_and_delete = lookup_and_delete,
};
