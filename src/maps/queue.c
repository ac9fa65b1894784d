/* BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): a ring of
 * max_entries + 1 slots of value_size bytes (rounded up to 8), one slot always
 * unused so that head == tail means empty and head + 1 == tail (mod size) full.
 * hdr->state[] holds head (the next slot to write), tail (the oldest element)
 * and the ring size; they change only under hdr->lock. A queue takes from
 * tail, a stack from head - 1; pushing with BPF_EXIST into a full map drops the
 * oldest element (tail) for both, as the kernel does. There are no keys.
 */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define KMALLOC_MAX_SIZE (1u << 22) /* x86-64: 4 MiB, what the kernel's checks use */

/* hdr->state[] slots */
enum { S_HEAD, S_TAIL, S_SIZE };

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |
			    BPF_F_WRONLY_PROG;
	const char *name = map_type_name(attr->map_type);

	if (!attr->max_entries || attr->key_size || !attr->value_size) {
		ulog_printf(log,
			    "%s: needs key_size 0 (got %u), value_size > 0 (got %u) and "
			    "max_entries > 0 (got %u)\n",
			    name, attr->key_size, attr->value_size, attr->max_entries);
		return -EINVAL;
	}
	if (attr->map_flags & ~ok) {
		ulog_printf(log,
			    "%s: map_flags 0x%x not allowed (only NUMA_NODE and the access "
			    "flags)\n",
			    name, attr->map_flags & ~ok);
		return -EINVAL;
	}
	if (attr->value_size > KMALLOC_MAX_SIZE) {
		ulog_printf(log, "%s: value_size %u is over %u\n", name, attr->value_size,
			    KMALLOC_MAX_SIZE);
		return -E2BIG;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return ((uint64_t)hdr->max_entries + 1) * round_up8(hdr->value_size);
}

static int init(struct bpfmap *map)
{
	map->hdr->state[S_HEAD] = 0;
	map->hdr->state[S_TAIL] = 0;
	map->hdr->state[S_SIZE] = (uint64_t)map->max_entries + 1;
	return 0;
}

static uint8_t *slot(struct bpfmap *map, uint64_t i)
{
	return map->data + i * round_up8(map->value_size);
}

static bool is_stack(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_STACK;
}

/* Peeks (or pops) the next element into value. On an empty map a program's
 * buffer is zeroed (as the kernel's helpers do); a user's is left alone. */
static int get(struct bpfmap *map, void *value, bool pop, bool zero_on_empty)
{
	uint64_t *st = map->hdr->state, i;
	int err = 0;

	map_lock(&map->hdr->lock);
	if (st[S_HEAD] == st[S_TAIL]) {
		if (zero_on_empty)
			memset(value, 0, map->value_size);
		err = -ENOENT;
		goto out;
	}
	if (is_stack(map)) {
		i = st[S_HEAD] ? st[S_HEAD] - 1 : st[S_SIZE] - 1;
		memcpy(value, slot(map, i), map->value_size);
		if (pop)
			st[S_HEAD] = i;
	} else {
		i = st[S_TAIL];
		memcpy(value, slot(map, i), map->value_size);
		if (pop)
			st[S_TAIL] = i + 1 == st[S_SIZE] ? 0 : i + 1;
	}
out:
	map_unlock(&map->hdr->lock);
	return err;
}

static int push(struct bpfmap *map, const void *value, uint64_t flags)
{
	uint64_t *st = map->hdr->state, next;
	int err = 0;

	/* BPF_ANY, or BPF_EXIST: make room by dropping the oldest when full */
	if ((flags & BPF_NOEXIST) || flags > BPF_EXIST)
		return -EINVAL;
	map_lock(&map->hdr->lock);
	next = st[S_HEAD] + 1 == st[S_SIZE] ? 0 : st[S_HEAD] + 1;
	if (next == st[S_TAIL]) {
		if (!(flags & BPF_EXIST)) {
			err = -E2BIG;
			goto out;
		}
		st[S_TAIL] = st[S_TAIL] + 1 == st[S_SIZE] ? 0 : st[S_TAIL] + 1;
	}
	memcpy(slot(map, st[S_HEAD]), value, map->value_size);
	st[S_HEAD] = next;
out:
	map_unlock(&map->hdr->lock);
	return err;
}

/* ---- user space: lookup = peek, update = push, lookup_and_delete = pop ----
 * A key pointer given for a map without keys is EINVAL, as the kernel's
 * __bpf_copy_key; BPF_F_LOCK is EINVAL (no bpf_spin_lock in these values). */

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	if (flags || key)
		return -EINVAL;
	return get(map, value, false, false);
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	if (key)
		return -EINVAL;
	return push(map, value, flags);
}

static int delete (struct bpfmap *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -EINVAL;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	if (flags || key)
		return -EINVAL;
	return get(map, value, true, false);
}

/* ---- programs: bpf_map_push_elem, bpf_map_pop_elem, bpf_map_peek_elem ---- */

static long prog_push(struct bpfmap *map, const void *value, uint64_t flags)
{
	return push(map, value, flags);
}

static long prog_pop(struct bpfmap *map, void *value)
{
	return get(map, value, true, true);
}

static long prog_peek(struct bpfmap *map, void *value)
{
	return get(map, value, false, true);
}

const struct map_ops map_queue_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_push = prog_push,
	.prog_pop = prog_pop,
	.prog_peek = prog_peek,
};
