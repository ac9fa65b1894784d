/* Map creation and opening, the type table, and what all types share:
 * possible CPUs, spinlocks in shared memory, the key hash. */
#include "map.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/log.h"
#include "../util/name.h"

extern const struct map_ops map_prog_array_ops;
/* a per-CPU variant shares its type's ops (they read the map type), as do
 * the two maps of maps and the queue and the stack */
extern const struct map_ops map_of_maps_ops;
extern const struct map_ops map_array_ops;
extern const struct map_ops map_hash_ops;
extern const struct map_ops map_lru_hash_ops;
extern const struct map_ops map_lpm_trie_ops;
extern const struct map_ops map_queue_ops;
extern const struct map_ops map_bloom_filter_ops;
extern const struct map_ops map_ringbuf_ops;
extern const struct map_ops map_perf_event_array_ops;
extern const struct map_ops map_devmap_ops;
extern const struct map_ops map_cgroup_storage_ops; /* and PERCPU_CGROUP_STORAGE */
extern const struct map_ops map_sk_storage_ops;
extern const struct map_ops map_stack_trace_ops;
extern const struct map_ops map_cgroup_array_ops;

static const struct {
	uint32_t type;
	const char *name;
	const struct map_ops *ops;
} types[] = {
	{BPF_MAP_TYPE_HASH, "hash", &map_hash_ops},
	{BPF_MAP_TYPE_ARRAY, "array", &map_array_ops},
	{BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", &map_hash_ops},
	{BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", &map_array_ops},
	{BPF_MAP_TYPE_PROG_ARRAY, "prog_array", &map_prog_array_ops},
	{BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array", &map_perf_event_array_ops},
	{BPF_MAP_TYPE_STACK_TRACE, "stack_trace", &map_stack_trace_ops},
	{BPF_MAP_TYPE_CGROUP_ARRAY, "cgroup_array", &map_cgroup_array_ops},
	{BPF_MAP_TYPE_LRU_HASH, "lru_hash", &map_lru_hash_ops},
	{BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash", &map_lru_hash_ops},
	{BPF_MAP_TYPE_LPM_TRIE, "lpm_trie", &map_lpm_trie_ops},
	{BPF_MAP_TYPE_ARRAY_OF_MAPS, "array_of_maps", &map_of_maps_ops},
	{BPF_MAP_TYPE_HASH_OF_MAPS, "hash_of_maps", &map_of_maps_ops},
	{BPF_MAP_TYPE_DEVMAP, "devmap", &map_devmap_ops},
	{BPF_MAP_TYPE_SOCKMAP, "sockmap", NULL},
	{BPF_MAP_TYPE_CPUMAP, "cpumap", &map_devmap_ops},
	{BPF_MAP_TYPE_XSKMAP, "xskmap", &map_devmap_ops},
	{BPF_MAP_TYPE_SOCKHASH, "sockhash", NULL},
	{BPF_MAP_TYPE_CGROUP_STORAGE, "cgroup_storage", &map_cgroup_storage_ops},
	{BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, "percpu_cgroup_storage", &map_cgroup_storage_ops},
	{BPF_MAP_TYPE_QUEUE, "queue", &map_queue_ops},
	{BPF_MAP_TYPE_STACK, "stack", &map_queue_ops},
	{BPF_MAP_TYPE_SK_STORAGE, "sk_storage", &map_sk_storage_ops},
	{BPF_MAP_TYPE_DEVMAP_HASH, "devmap_hash", &map_devmap_ops},
	{BPF_MAP_TYPE_RINGBUF, "ringbuf", &map_ringbuf_ops},
	{BPF_MAP_TYPE_BLOOM_FILTER, "bloom_filter", &map_bloom_filter_ops},
};

static int type_index(uint32_t type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return (int)i;
	return -1;
}

const struct map_ops *map_ops_of(uint32_t type)
{
	int i = type_index(type);

	return i < 0 ? NULL : types[i].ops;
}

const char *map_type_name(uint32_t type)
{
	int i = type_index(type);

	return i < 0 ? "unknown" : types[i].name;
}

bool map_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

uint32_t map_value_size_user(const struct bpfmap *map)
{
	if (map_is_percpu(map->hdr->map_type) ||
	    map->hdr->map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE)
		return round_up8(map->value_size) * map->ncpus;
	return map->value_size;
}

/* /sys/devices/system/cpu/possible: "0-7" or "0,2-3": the highest CPU + 1. */
static unsigned possible_cpus;
static pthread_once_t cpus_once = PTHREAD_ONCE_INIT;

static void read_possible(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256], *p;
	unsigned max = 0;

	possible_cpus = 1;
	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		for (p = buf; *p;) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (end == p)
				break;
			if (v > max)
				max = (unsigned)v;
			p = end;
			while (*p == ',' || *p == '-' || *p == '\n')
				p++;
		}
		possible_cpus = max + 1;
	}
	fclose(f);
}

unsigned map_possible_cpus(void)
{
	pthread_once(&cpus_once, read_possible);
	return possible_cpus;
}

unsigned map_this_cpu(void)
{
	int cpu = sched_getcpu();
	unsigned n = map_possible_cpus();

	return cpu < 0 ? 0 : (unsigned)cpu % n;
}

void map_lock(atomic_uint *lock)
{
	unsigned spins = 0;

	for (;;) {
		if (!atomic_exchange_explicit(lock, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(lock, memory_order_relaxed))
			if (++spins % 128 == 0)
				sched_yield();
	}
}

void map_unlock(atomic_uint *lock)
{
	atomic_store_explicit(lock, 0, memory_order_release);
}

/* 32-bit FNV-1a over the key, mixed with the seed; every process computes the
 * same hash, so the buckets of a shared map agree. */
uint32_t map_hash(const void *key, uint32_t len, uint32_t seed)
{
	const uint8_t *p = key;
	uint32_t h = 2166136261u ^ seed;

	for (uint32_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

int map_index_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	uint32_t i = UINT32_MAX;

	if (key)
		memcpy(&i, key, 4);
	if (i >= map->max_entries)
		i = 0;
	else if (i == map->max_entries - 1)
		return -ENOENT;
	else
		i++;
	memcpy(next_key, &i, 4);
	return 0;
}

void map_get(struct bpfmap *map)
{
	atomic_fetch_add_explicit(&map->refcnt, 1, memory_order_relaxed);
}

/* The owner of the special fields' outside state (src/helpers/timer.c) */
static _Atomic(const struct map_field_ops *) field_ops;

void map_field_ops_set(const struct map_field_ops *ops)
{
	atomic_store(&field_ops, ops);
}

void map_value_free_fields(struct bpfmap *map, void *value)
{
	const struct map_field_ops *ops = atomic_load(&field_ops);
	int32_t off = map_timer_off(map);
	_Atomic uint64_t *t;

	if (off < 0)
		return;
	t = (_Atomic uint64_t *)((uint8_t *)value + off);
	if (ops && atomic_load(&t[0]))
		ops->value_free(map, value);
	atomic_store(&t[0], 0);
	atomic_store(&t[1], 0);
}

bool map_has_uref(struct bpfmap *map)
{
	struct stat st;

	return atomic_load(&map->usercnt) > 0 || (fstat(map->fd, &st) == 0 && st.st_nlink > 1);
}

void map_release_uref(struct bpfmap *map)
{
	const struct map_field_ops *ops = atomic_load(&field_ops);

	if (ops && map_timer_off(map) >= 0 && !map_has_uref(map))
		ops->map_release(map);
}

void map_put(struct bpfmap *map)
{
	const struct map_field_ops *ops = atomic_load(&field_ops);

	if (!map || atomic_fetch_sub_explicit(&map->refcnt, 1, memory_order_acq_rel) != 1)
		return;
	if (ops && map->hdr && map_timer_off(map) >= 0)
		ops->map_release(map);
	if (map->hdr)
		munmap(map->hdr, map->file_size);
	if (map->fd >= 0)
		close(map->fd);
	free(map);
}

/* An anonymous file of size bytes in dir, its memory reserved now as the
 * kernel preallocates: a full tmpfs is an error here, never a SIGBUS later. */
static int storage_file(const char *dir, uint64_t size)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), err;

	if (fd < 0)
		return -errno;
	err = posix_fallocate(fd, 0, (off_t)size);
	if (err == EOPNOTSUPP || err == EINVAL)
		err = ftruncate(fd, (off_t)size) ? errno : 0;
	if (err) {
		close(fd);
		return err == ENOSPC ? -ENOMEM : -err;
	}
	return fd;
}

static int map_mmap(struct bpfmap *map, int fd, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	map->hdr = p;
	map->file_size = size;
	map->data = (uint8_t *)p + map->hdr->data_off;
	return 0;
}

static void map_cache_attrs(struct bpfmap *map)
{
	map->key_size = map->hdr->key_size;
	map->value_size = map->hdr->value_size;
	map->max_entries = map->hdr->max_entries;
	map->map_flags = map->hdr->map_flags;
	map->ncpus = map->hdr->ncpus;
}

int map_create(const union bpf_attr *attr, const char *dir, struct ulog *log, struct bpfmap **out)
{
	const struct map_ops *ops;
	struct map_hdr hdr = {0};
	struct bpfmap *map;
	uint64_t size;
	int fd, err;

	ops = map_ops_of(attr->map_type);
	if (!ops) {
		ulog_printf(log, "map type %u (%s) is not supported\n", attr->map_type,
			    map_type_name(attr->map_type));
		return -EINVAL;
	}
	if ((attr->map_flags & BPF_F_RDONLY && attr->map_flags & BPF_F_WRONLY) ||
	    (attr->map_flags & BPF_F_RDONLY_PROG && attr->map_flags & BPF_F_WRONLY_PROG)) {
		ulog_printf(log, "map_flags 0x%x: read-only and write-only at once\n",
			    attr->map_flags);
		return -EINVAL;
	}
	if (attr->map_extra && attr->map_type != BPF_MAP_TYPE_BLOOM_FILTER) {
		ulog_printf(log, "map_extra is only for bloom filters\n");
		return -EINVAL;
	}
	if (!name_valid(attr->map_name, BPF_OBJ_NAME_LEN)) {
		ulog_printf(log, "map name: not [A-Za-z0-9_.] ending within %d bytes\n",
			    BPF_OBJ_NAME_LEN);
		return -EINVAL;
	}
	err = ops->check(attr, log);
	if (err)
		return err;
	memcpy(hdr.magic, MAP_MAGIC, sizeof(hdr.magic));
	hdr.map_type = attr->map_type;
	hdr.key_size = attr->key_size;
	hdr.value_size = attr->value_size;
	hdr.max_entries = attr->max_entries;
	/* the fd's access flags are not the map's (bpf_map_flags_retain_permanent) */
	hdr.map_flags = attr->map_flags & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY);
	hdr.ncpus = map_possible_cpus();
	/* the name up to its NUL; the kernel zeroes what follows */
	memcpy(hdr.name, attr->map_name, strnlen(attr->map_name, sizeof(hdr.name) - 1));
	hdr.map_extra = attr->map_extra;
	hdr.btf_key_type_id = attr->btf_key_type_id;
	hdr.btf_value_type_id = attr->btf_value_type_id;
	hdr.btf_vmlinux_value_type_id = attr->btf_vmlinux_value_type_id;
	hdr.ifindex = attr->map_ifindex;
	hdr.spin_lock_off = -1; /* core sets them from BTF once the map exists */
	hdr.timer_off = -1;
	hdr.data_off = MAP_HDR_SIZE;
	hdr.data_size = ops->data_size(&hdr);
	size = hdr.data_off + ((hdr.data_size + 4095) & ~4095ull);
	if (hdr.data_size > (1ull << 40)) {
		ulog_printf(log, "map needs %llu bytes of storage: too big\n",
			    (unsigned long long)hdr.data_size);
		return -E2BIG;
	}
	map = calloc(1, sizeof(*map));
	if (!map)
		return -ENOMEM;
	fd = storage_file(dir, size);
	if (fd < 0) {
		free(map);
		ulog_printf(log, "cannot allocate %llu bytes of map storage in %s: %s\n",
			    (unsigned long long)size, dir, strerror(-fd));
		return fd;
	}
	if (pwrite(fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
		err = -errno;
		close(fd);
		free(map);
		return err;
	}
	err = map_mmap(map, fd, size);
	if (err) {
		close(fd);
		free(map);
		return err;
	}
	map->ops = ops;
	map->fd = fd;
	atomic_init(&map->refcnt, 1);
	map_cache_attrs(map);
	err = ops->init ? ops->init(map) : 0;
	if (err) {
		map_put(map);
		return err;
	}
	*out = map;
	return 0;
}

int map_open_file(int fd, struct bpfmap **out)
{
	struct map_hdr hdr;
	struct bpfmap *map;
	struct stat st;
	int err;

	if (fstat(fd, &st) || pread(fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return -EINVAL;
	if (memcmp(hdr.magic, MAP_MAGIC, sizeof(hdr.magic)) || !map_ops_of(hdr.map_type) ||
	    hdr.data_off != MAP_HDR_SIZE || hdr.data_off + hdr.data_size > (uint64_t)st.st_size)
		return -EINVAL;
	map = calloc(1, sizeof(*map));
	if (!map)
		return -ENOMEM;
	err = map_mmap(map, fd, (uint64_t)st.st_size);
	if (err) {
		free(map);
		return err;
	}
	map->ops = map_ops_of(hdr.map_type);
	map->fd = fd;
	atomic_init(&map->refcnt, 1);
	map_cache_attrs(map);
	*out = map;
	return 0;
}
