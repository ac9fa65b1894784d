/* The XDP redirect targets: BPF_MAP_TYPE_DEVMAP (devices by index),
 * DEVMAP_HASH (devices by any u32 key), CPUMAP (CPUs, with a queue size) and
 * XSKMAP (AF_XDP sockets by index), as Linux 6.18 checks and answers them
 * (probed on the kernel: tests/unit/test_devmap). A value is a u32 (ifindex;
 * qsize; a socket's fd) or that and a program fd; bpfhost runs no second
 * program on a redirected frame, so a program fd above 0 is refused with a
 * message where the kernel would attach it. Entries are slots {used, key,
 * value[2]}; DEVMAP_HASH finds its keys by a scan of max_entries slots,
 * under the map's lock. An XSKMAP slot names its socket by inode (value[0])
 * and holds the queue id a program reads through struct bpf_xdp_sock
 * (value[1]: 0, bpfhost cannot see which queue a socket is bound to); the
 * kernel takes a socket out of its maps when it is closed, bpfhost does not
 * (it cannot see the close of another process's socket). */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/log.h"
#include "map.h"

#define CPUMAP_MAX_QSIZE 16384u
#define NR_CPUS 8192u /* CONFIG_NR_CPUS of Debian's and this machine's kernels */

struct slot {
	atomic_uint used;
	uint32_t key;
	uint32_t value[2];
};

static bool is_hash(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_DEVMAP_HASH;
}

static bool is_cpumap(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_CPUMAP;
}

static bool is_xskmap(const struct bpfmap *map)
{
	return map->hdr->map_type == BPF_MAP_TYPE_XSKMAP;
}

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;

	bool xsk = attr->map_type == BPF_MAP_TYPE_XSKMAP;

	if (!attr->max_entries || attr->key_size != 4 ||
	    (attr->value_size != 4 && (xsk || attr->value_size != 8)) || (attr->map_flags & ~ok)) {
		ulog_printf(log,
			    "%s: needs key_size 4, value_size 4%s, max_entries > 0 and known "
			    "flags (got %u, %u, %u, 0x%x)\n",
			    map_type_name(attr->map_type), xsk ? "" : " or 8", attr->key_size,
			    attr->value_size, attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	if (attr->map_type == BPF_MAP_TYPE_CPUMAP && attr->max_entries > NR_CPUS) {
		ulog_printf(log, "cpumap: max_entries %u is over NR_CPUS (%u)\n", attr->max_entries,
			    NR_CPUS);
		return -E2BIG;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return (uint64_t)hdr->max_entries * sizeof(struct slot);
}

static struct slot *slots(struct bpfmap *map)
{
	return (struct slot *)map->data;
}

/* The slot of key: by index, or (hash) the used slot holding it; NULL if none. */
static struct slot *find(struct bpfmap *map, const void *key)
{
	uint32_t k;

	memcpy(&k, key, 4);
	if (!is_hash(map))
		return k < map->max_entries ? &slots(map)[k] : NULL;
	for (uint32_t i = 0; i < map->max_entries; i++)
		if (atomic_load(&slots(map)[i].used) && slots(map)[i].key == k)
			return &slots(map)[i];
	return NULL;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	struct slot *s;
	int err = -ENOENT;

	if (flags)
		return -EINVAL;
	if (is_xskmap(map))
		return -EOPNOTSUPP; /* a socket is no value to give user space */
	map_lock(&map->hdr->lock);
	s = find(map, key);
	if (s && atomic_load(&s->used)) {
		memcpy(value, s->value, map->value_size);
		err = 0;
	}
	map_unlock(&map->hdr->lock);
	return err;
}

/* An XSKMAP's value: an AF_XDP socket's fd, as the kernel's sockfd_lookup
 * checks it (EBADF, ENOTSOCK), then its family (EOPNOTSUPP); 0 with the
 * socket's inode in *ino. */
static int check_xsk(int32_t fd, uint32_t *ino)
{
	socklen_t len = sizeof(int);
	struct stat st;
	int domain = 0;

	if (fd < 0 || fstat(fd, &st))
		return -EBADF;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) || domain != AF_XDP)
		return -EOPNOTSUPP;
	*ino = (uint32_t)st.st_ino;
	return 0;
}

static int update_xsk(struct bpfmap *map, uint32_t k, int32_t fd, uint64_t flags)
{
	struct slot *s = &slots(map)[k];
	uint32_t ino;
	int err = check_xsk(fd, &ino);

	if (err)
		return err;
	map_lock(&map->hdr->lock);
	if (atomic_load(&s->used) && s->value[0] == ino)
		err = 0; /* the same socket: whatever the flags */
	else if (atomic_load(&s->used) && flags == BPF_NOEXIST)
		err = -EEXIST;
	else if (!atomic_load(&s->used) && flags == BPF_EXIST)
		err = -ENOENT;
	if (!err) {
		s->key = k;
		s->value[0] = ino;
		s->value[1] = 0;
		atomic_store(&s->used, 1);
	}
	map_unlock(&map->hdr->lock);
	return err;
}

/* The value's checks: 0 with *clear set when it empties the entry. */
static int check_value(struct bpfmap *map, const uint32_t *v, bool *clear)
{
	int32_t fd = map->value_size == 8 ? (int32_t)v[1] : 0;
	char name[IF_NAMESIZE];

	*clear = false;
	if (is_cpumap(map)) {
		if (v[0] > CPUMAP_MAX_QSIZE)
			return -EOVERFLOW;
		*clear = v[0] == 0;
	} else if (!v[0]) {
		/* ifindex 0 empties a devmap slot; a hash has no such entry */
		if (is_hash(map) || fd > 0)
			return -EINVAL;
		*clear = true;
	} else if (!if_indextoname(v[0], name)) {
		return -EINVAL; /* no such device */
	}
	if (fd > 0)
		return -EINVAL; /* a program on the redirected frames: bpfhost runs none */
	return 0;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t v[2] = {0, 0}, k;
	struct slot *s;
	bool clear;
	int err;

	memcpy(&k, key, 4);
	memcpy(v, value, map->value_size);
	if (flags > BPF_EXIST)
		return -EINVAL;
	if (!is_hash(map) && k >= map->max_entries)
		return -E2BIG;
	if (is_xskmap(map))
		return update_xsk(map, k, (int32_t)v[0], flags);
	if (!is_hash(map) && flags == BPF_NOEXIST)
		return -EEXIST; /* array-like: every slot exists */
	if (is_cpumap(map) && k >= (uint32_t)sysconf(_SC_NPROCESSORS_CONF))
		return -ENODEV;
	err = check_value(map, v, &clear);
	if (err)
		return err;
	map_lock(&map->hdr->lock);
	s = find(map, key);
	if (is_hash(map)) {
		/* BPF_EXIST is not checked: the kernel inserts a missing key */
		if (s && flags == BPF_NOEXIST)
			err = -EEXIST;
		for (uint32_t i = 0; !s && !err && i < map->max_entries; i++)
			if (!atomic_load(&slots(map)[i].used))
				s = &slots(map)[i];
		if (!s && !err)
			err = -E2BIG;
	}
	if (!err) {
		s->key = k;
		memcpy(s->value, v, sizeof(v));
		if (is_cpumap(map) || map->value_size == 8)
			s->value[1] = 0; /* the program id: none */
		atomic_store(&s->used, !clear);
	}
	map_unlock(&map->hdr->lock);
	return err;
}

static int delete (struct bpfmap *map, const void *key)
{
	struct slot *s;
	uint32_t k;
	int err = 0;

	memcpy(&k, key, 4);
	if (!is_hash(map) && k >= map->max_entries)
		return -EINVAL;
	map_lock(&map->hdr->lock);
	s = find(map, key);
	if (is_hash(map) && !s)
		err = -ENOENT;
	else
		atomic_store(&s->used, 0);
	map_unlock(&map->hdr->lock);
	return err;
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	uint32_t i = 0;
	struct slot *s;
	int err = -ENOENT;

	if (!is_hash(map)) /* as an array: every index */
		return map_index_next_key(map, key, next_key);
	map_lock(&map->hdr->lock);
	s = key ? find(map, key) : NULL;
	if (s)
		i = (uint32_t)(s - slots(map)) + 1;
	for (; i < map->max_entries; i++)
		if (atomic_load(&slots(map)[i].used)) {
			memcpy(next_key, &slots(map)[i].key, 4);
			err = 0;
			break;
		}
	map_unlock(&map->hdr->lock);
	return err;
}

/* bpf_map_lookup_elem from a program: the entry's value, read only. */
static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	struct slot *s;

	(void)cpu;
	map_lock(&map->hdr->lock);
	s = find(map, key);
	if (s && !atomic_load(&s->used))
		s = NULL;
	map_unlock(&map->hdr->lock);
	if (s && is_xskmap(map))
		return &s->value[1]; /* struct bpf_xdp_sock: the queue id */
	return s ? s->value : NULL;
}

const struct map_ops map_devmap_ops = {
	.check = check,
	.data_size = data_size,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.prog_lookup = prog_lookup,
};
