/* The local storages, as Linux 6.18 checks and answers them from user space
 * (probed on the kernel: tests/unit/test_local_storage):
 *   CGROUP_STORAGE, PERCPU_CGROUP_STORAGE: a value per (cgroup, attach type)
 *     a program using the map is attached to. bpfhost attaches nothing to
 *     cgroups, so the map holds no element (lookups and updates ENOENT) and
 *     keeps no storage; a test run's storage is the run's own
 *     (src/helpers/local_storage.c), as the kernel's.
 *   SK_STORAGE: a value per socket, keyed from user space by a socket fd of
 *     the caller. A slot {used, cookie, value} per socket, the socket known by
 *     its cookie (SO_COOKIE: never reused while the machine runs), found by a
 *     scan under the map's lock; a fixed number of slots (the kernel's limit
 *     is memory: past them, ENOMEM). A closed socket's storage is not freed
 *     (bpfhost cannot tell when the last fd of a socket goes): it stays
 *     unreachable in its slot.
 * A value's bpf_spin_lock (cgroup and socket storage may hold one) is never
 * copied (map_value_store/load). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524		     /* the kernel's internal errno that bpf() lets through */
#define MAX_VALUE_SIZE 65407u	     /* BPF_LOCAL_STORAGE_MAX_VALUE_SIZE: U16_MAX - the element */
#define PERCPU_MAX_VALUE_SIZE 32768u /* PCPU_MIN_UNIT_SIZE */
#define CGROUP_KEY_SIZE 16u	     /* struct bpf_cgroup_storage_key */
#define SK_SLOTS_MAX 1024u	     /* sockets a socket storage holds at most */
#define SK_SLOTS_MIN 64u
#define SK_STORAGE_BYTES (4u << 20) /* ... fewer for big values, down to SK_SLOTS_MIN */

/* ---- CGROUP_STORAGE and PERCPU_CGROUP_STORAGE ---- */

static int cg_check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |
			    BPF_F_WRONLY_PROG;
	uint32_t max = attr->map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE ? PERCPU_MAX_VALUE_SIZE
									    : MAX_VALUE_SIZE;

	/* in the kernel's order (cgroup_storage_map_alloc) */
	if ((attr->key_size != CGROUP_KEY_SIZE && attr->key_size != 8) || !attr->value_size) {
		ulog_printf(log,
			    "%s: needs key_size 16 (struct bpf_cgroup_storage_key) or 8 (got %u), "
			    "value_size > 0\n",
			    map_type_name(attr->map_type), attr->key_size);
		return -EINVAL;
	}
	if (attr->value_size > max) {
		ulog_printf(log, "%s: value_size %u is over %u\n", map_type_name(attr->map_type),
			    attr->value_size, max);
		return -E2BIG;
	}
	if ((attr->map_flags & ~ok) || attr->max_entries) {
		ulog_printf(log, "%s: needs max_entries 0 (got %u) and known flags (got 0x%x)\n",
			    map_type_name(attr->map_type), attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	return 0;
}

static uint64_t cg_data_size(const struct map_hdr *hdr)
{
	(void)hdr;
	return 0;
}

static bool percpu(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static int cg_lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -ENOENT; /* no storage is linked to a cgroup */
}

static int cg_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	(void)key, (void)value;
	if (percpu(map) ? flags != BPF_ANY && flags != BPF_EXIST
			: (flags & ~(uint64_t)(BPF_F_LOCK | BPF_EXIST)) != 0)
		return -EINVAL;
	return -ENOENT;
}

static int cg_delete(struct bpfmap *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static int cg_get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -ENOENT;
}

static int no_lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -ENOTSUPP;
}

const struct map_ops map_cgroup_storage_ops = {
	.check = cg_check,
	.data_size = cg_data_size,
	.lookup = cg_lookup,
	.update = cg_update,
	.delete = cg_delete,
	.get_next_key = cg_get_next_key,
	.lookup_and_delete = no_lookup_and_delete,
};

/* ---- SK_STORAGE ---- */

struct sk_slot {
	atomic_uint used;
	uint32_t pad;
	uint64_t cookie;
	uint8_t value[]; /* value_size rounded up to 8 */
};

static int sk_check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NO_PREALLOC | BPF_F_CLONE;

	/* the kernel's bpf_local_storage_map_alloc_check; BTF is wanted for dumps */
	if ((attr->map_flags & ~ok) || !(attr->map_flags & BPF_F_NO_PREALLOC) ||
	    attr->max_entries || attr->key_size != 4 || !attr->value_size ||
	    !attr->btf_key_type_id || !attr->btf_value_type_id) {
		ulog_printf(log,
			    "sk_storage: needs BPF_F_NO_PREALLOC (and no flag but BPF_F_CLONE), "
			    "max_entries 0, key_size 4, value_size > 0 and BTF (got flags 0x%x, "
			    "%u, %u, %u, key type %u, value type %u)\n",
			    attr->map_flags, attr->max_entries, attr->key_size, attr->value_size,
			    attr->btf_key_type_id, attr->btf_value_type_id);
		return -EINVAL;
	}
	if (attr->value_size > MAX_VALUE_SIZE) {
		ulog_printf(log, "sk_storage: value_size %u is over %u\n", attr->value_size,
			    MAX_VALUE_SIZE);
		return -E2BIG;
	}
	return 0;
}

static uint64_t slot_size(uint32_t value_size)
{
	return sizeof(struct sk_slot) + round_up8(value_size);
}

static uint32_t sk_slot_cnt(uint32_t value_size)
{
	uint64_t n = SK_STORAGE_BYTES / slot_size(value_size);

	return n > SK_SLOTS_MAX ? SK_SLOTS_MAX : n < SK_SLOTS_MIN ? SK_SLOTS_MIN : (uint32_t)n;
}

static uint64_t sk_data_size(const struct map_hdr *hdr)
{
	return sk_slot_cnt(hdr->value_size) * slot_size(hdr->value_size);
}

static struct sk_slot *slot(struct bpfmap *map, uint32_t i)
{
	return (struct sk_slot *)(map->data + i * slot_size(map->value_size));
}

/* The socket behind the caller's fd in key: its cookie, or the kernel's
 * errno (sockfd_lookup). */
static int sock_cookie(const void *key, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	struct stat st;
	int fd;

	memcpy(&fd, key, sizeof(fd));
	if (fd < 0 || fstat(fd, &st))
		return -EBADF;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, cookie, &len))
		return -errno;
	return 0;
}

/* The used slot of the socket, or NULL; under the map's lock. */
static struct sk_slot *sk_find(struct bpfmap *map, uint64_t cookie)
{
	uint32_t n = sk_slot_cnt(map->value_size);

	for (uint32_t i = 0; i < n; i++)
		if (atomic_load(&slot(map, i)->used) && slot(map, i)->cookie == cookie)
			return slot(map, i);
	return NULL;
}

static int sk_lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	struct sk_slot *s;
	uint64_t cookie;
	int err = sock_cookie(key, &cookie);

	if (err)
		return err;
	map_lock(&map->hdr->lock);
	s = sk_find(map, cookie);
	if (s)
		map_value_load(map, value, s->value, flags & BPF_F_LOCK);
	map_unlock(&map->hdr->lock);
	return s ? 0 : -ENOENT;
}

static int sk_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t n = sk_slot_cnt(map->value_size);
	struct sk_slot *s;
	uint64_t cookie;
	int err = sock_cookie(key, &cookie);

	if (err)
		return err;
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;
	map_lock(&map->hdr->lock);
	s = sk_find(map, cookie);
	if (s && (flags & BPF_NOEXIST))
		err = -EEXIST;
	else if (!s && (flags & BPF_EXIST))
		err = -ENOENT;
	else if (s)
		map_value_store(map, s->value, value, flags & BPF_F_LOCK);
	for (uint32_t i = 0; !s && !err && i < n; i++) {
		if (atomic_load(&slot(map, i)->used))
			continue;
		s = slot(map, i);
		memset(s->value, 0, round_up8(map->value_size));
		map_value_store(map, s->value, value, false);
		s->cookie = cookie;
		atomic_store(&s->used, 1);
	}
	if (!s && !err)
		err = -ENOMEM;
	map_unlock(&map->hdr->lock);
	return err;
}

static int sk_delete(struct bpfmap *map, const void *key)
{
	struct sk_slot *s;
	uint64_t cookie;
	int err = sock_cookie(key, &cookie);

	if (err)
		return err;
	map_lock(&map->hdr->lock);
	s = sk_find(map, cookie);
	if (s)
		atomic_store(&s->used, 0);
	map_unlock(&map->hdr->lock);
	return s ? 0 : -ENOENT;
}

static int sk_get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -ENOTSUPP;
}

const struct map_ops map_sk_storage_ops = {
	.check = sk_check,
	.data_size = sk_data_size,
	.lookup = sk_lookup,
	.update = sk_update,
	.delete = sk_delete,
	.get_next_key = sk_get_next_key,
	.lookup_and_delete = no_lookup_and_delete,
};
