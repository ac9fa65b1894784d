/* Maps: one shared-memory file each, laid out with offsets (never pointers)
 * so that any process that opens the file (by its pin) sees the same map.
 *
 *   offset 0          struct map_hdr (one page): the map's attributes, its
 *                     type's counters and locks
 *   hdr->data_off     the type's storage (page-aligned), data_size bytes
 *
 * Storage is allocated in full at creation, like the kernel's preallocated
 * maps: an element deleted is recycled, never unmapped under a reader.
 * Each type is one struct map_ops (a file in src/maps/); the dispatcher and the
 * helpers reach every type through it. Locks live in the file (spinlocks on
 * 32-bit words) so that they work across processes.
 */
#ifndef BPFHOST_MAPS_MAP_H
#define BPFHOST_MAPS_MAP_H

#include <linux/bpf.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ulog;

#define MAP_MAGIC "BPFHMAP3" /* 2: spin_lock_off, 3: timer_off */
#define MAP_HDR_SIZE 4096

struct map_hdr {
	char magic[8];
	uint32_t map_type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t ncpus; /* per-CPU slots per value (possible CPUs at creation) */
	char name[BPF_OBJ_NAME_LEN];
	uint64_t map_extra;
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t btf_vmlinux_value_type_id;
	uint32_t ifindex;
	uint64_t data_off; /* page-aligned start of the type's storage */
	uint64_t data_size;
	atomic_uint frozen;
	atomic_uint lock;	  /* a general lock for types that need one */
	uint64_t state[32];	  /* the type's own counters, by its own names */
	atomic_uint id;		  /* the map's id, the same in every process (set by core) */
	uint32_t btf_id;	  /* the BTF object describing key and value (0: none) */
	int32_t spin_lock_off;	  /* -1: the value has no bpf_spin_lock */
	atomic_uint mmap_writers; /* live writable mmaps of the values (MAP_FREEZE: EBUSY) */
	int32_t timer_off;	  /* -1: the value has no bpf_timer */
};

struct bpfmap {
	atomic_uint refcnt;  /* programs and objects that hold the map */
	int fd;		     /* the storage file, owned */
	struct map_hdr *hdr; /* the whole file, mapped shared */
	uint8_t *data;	     /* hdr + hdr->data_off */
	uint64_t file_size;
	const struct map_ops *ops;
	uint32_t key_size, value_size, max_entries, map_flags; /* copies of hdr's, read often */
	uint32_t ncpus;
	struct bpfmap *inner; /* map-in-map: the template inner map */
	/* the fds of this process on the map: user space's references, as the
	 * kernel's usercnt (a pin counts too: see map_has_uref) */
	atomic_uint usercnt;
};

/* One per map type. The user-space side copies (percpu values: every CPU's
 * slot, each rounded up to 8 bytes); the program side returns pointers into the
 * storage (the calling CPU's slot). Return 0 or a negative errno, as the kernel's. */
struct map_ops {
	/* attributes the type accepts; returns -EINVAL with a message otherwise */
	int (*check)(const union bpf_attr *attr, struct ulog *log);
	/* bytes of storage the type needs for these attributes */
	uint64_t (*data_size)(const struct map_hdr *hdr);
	/* initialise fresh (zeroed) storage */
	int (*init)(struct bpfmap *map);

	int (*lookup)(struct bpfmap *map, const void *key, void *value, uint64_t flags);
	int (*update)(struct bpfmap *map, const void *key, const void *value, uint64_t flags);
	int (*delete)(struct bpfmap *map, const void *key);
	int (*get_next_key)(struct bpfmap *map, const void *key, void *next_key);
	int (*lookup_and_delete)(struct bpfmap *map, const void *key, void *value, uint64_t flags);

	/* program side (helpers); NULL where the kernel's type has no such helper */
	void *(*prog_lookup)(struct bpfmap *map, const void *key, unsigned cpu);
	long (*prog_update)(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
			    unsigned cpu);
	long (*prog_delete)(struct bpfmap *map, const void *key);
	long (*prog_push)(struct bpfmap *map, const void *value, uint64_t flags);
	long (*prog_pop)(struct bpfmap *map, void *value);
	long (*prog_peek)(struct bpfmap *map, void *value);
	/* bpf_for_each_map_elem: fn(arg, key, value) for each element (the calling
	 * CPU's slot of per-CPU values) until it returns nonzero; the number of
	 * elements visited. key may point into scratch (8 bytes, for arrays). */
	long (*prog_for_each)(struct bpfmap *map, unsigned cpu, void *scratch,
			      int (*fn)(void *arg, void *key, void *value), void *arg);
};

/* The ops of a map type, or NULL if bpfhost does not have it. */
const struct map_ops *map_ops_of(uint32_t map_type);
const char *map_type_name(uint32_t map_type);

/* BPF_MAP_CREATE: checks attr, creates the storage file (O_TMPFILE in dir),
 * returns the map with one reference. */
int map_create(const union bpf_attr *attr, const char *dir, struct ulog *log, struct bpfmap **out);
/* Opens the map stored in the file fd (a pin), taking fd over. */
int map_open_file(int fd, struct bpfmap **out);

void map_get(struct bpfmap *map);
/* Drops a reference; the last one unmaps the storage and closes the file. */
void map_put(struct bpfmap *map);

/* Map-in-map: where the inner map template lives in hdr->state[] (type, key
 * size, value size, max entries, flags). */
#define MIM_TEMPLATE 24

static inline bool map_is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* PROG_ARRAY: the program id in slot index, 0 if none. */
uint32_t map_prog_array_get(struct bpfmap *map, uint32_t index);

/* Bytes a user-space lookup copies out: value_size, or per CPU slots. */
uint32_t map_value_size_user(const struct bpfmap *map);
bool map_is_percpu(uint32_t map_type);

/* The number of possible CPUs (what libbpf_num_possible_cpus() reports). */
unsigned map_possible_cpus(void);
/* The CPU the calling thread runs on, below map_possible_cpus(). */
unsigned map_this_cpu(void);

/* Spinlocks in shared memory. */
void map_lock(atomic_uint *lock);
void map_unlock(atomic_uint *lock);

/* A hash of key_len bytes (the same in every process). */
uint32_t map_hash(const void *key, uint32_t key_len, uint32_t seed);

/* The smallest power of two at or above n (hash tables' bucket counts). */
static inline uint64_t map_roundup_pow2(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* get_next_key of a map indexed 0..max_entries-1 (arrays, fd arrays): index
 * 0 after no key or one out of range, -ENOENT after the last. */
int map_index_next_key(struct bpfmap *map, const void *key, void *next_key);

static inline uint32_t round_up8(uint32_t n)
{
	return (n + 7) & ~7u;
}

/* A value's special fields, found in BTF at creation: a bpf_spin_lock (hash
 * and array maps) and a bpf_timer (hash, LRU hash and array maps). Copies in
 * and out never touch them, and a copy out shows them as 0 (the kernel's
 * copy_map_value and check_and_init_map_value); with BPF_F_LOCK the copy
 * holds the lock (copy_map_value_locked). The offset of the lock in a value,
 * or -1; a header that says more than the value holds counts as none. */
static inline int32_t map_spin_lock_off(const struct bpfmap *map)
{
	int32_t off = map->hdr->spin_lock_off;

	if (off < 0 || (uint32_t)off % 4 || (uint64_t)off + 4 > map->value_size)
		return -1;
	return off;
}

/* The offset of the value's 16-byte, 8-aligned struct bpf_timer, or -1. */
static inline int32_t map_timer_off(const struct bpfmap *map)
{
	int32_t off = map->hdr->timer_off;

	if (off < 0 || (uint32_t)off % 8 || (uint64_t)off + 16 > map->value_size)
		return -1;
	return off;
}

static inline atomic_uint *map_value_lock(const struct bpfmap *map, const void *value)
{
	return (atomic_uint *)((uintptr_t)value + (uint32_t)map_spin_lock_off(map));
}

/* The special fields of a value in offset order: their count, offsets, sizes. */
static inline int map_value_fields(const struct bpfmap *map, uint32_t off[2], uint32_t len[2])
{
	int32_t lock = map_spin_lock_off(map), timer = map_timer_off(map);
	int n = 0;

	if (lock >= 0 && timer >= 0 && lock + 4 > timer && timer + 16 > lock)
		timer = -1; /* overlapping: the file is not what BTF made it */
	if (lock >= 0 && (timer < 0 || lock < timer)) {
		off[n] = (uint32_t)lock, len[n++] = 4;
		lock = -1;
	}
	if (timer >= 0)
		off[n] = (uint32_t)timer, len[n++] = 16;
	if (lock >= 0)
		off[n] = (uint32_t)lock, len[n++] = 4;
	return n;
}

/* value_size bytes from src to dst but the special fields (dst's are left as they are) */
static inline void map_value_copy_skip(const struct bpfmap *map, void *dst, const void *src)
{
	uint32_t off[2], len[2], at = 0;
	int n = map_value_fields(map, off, len);

	for (int i = 0; i < n; i++) {
		memcpy((uint8_t *)dst + at, (const uint8_t *)src + at, off[i] - at);
		at = off[i] + len[i];
	}
	memcpy((uint8_t *)dst + at, (const uint8_t *)src + at, map->value_size - at);
}

/* Into the value stored in the map; locked: under its lock (BPF_F_LOCK). */
static inline void map_value_store(const struct bpfmap *map, void *stored, const void *src,
				   bool locked)
{
	locked = locked && map_spin_lock_off(map) >= 0;
	if (locked)
		map_lock(map_value_lock(map, stored));
	map_value_copy_skip(map, stored, src);
	if (locked)
		map_unlock(map_value_lock(map, stored));
}

/* Out of the value stored in the map, the special fields read as 0. */
static inline void map_value_load(const struct bpfmap *map, void *dst, const void *stored,
				  bool locked)
{
	uint32_t off[2], len[2];
	int n = map_value_fields(map, off, len);

	locked = locked && map_spin_lock_off(map) >= 0;
	if (locked)
		map_lock(map_value_lock(map, stored));
	map_value_copy_skip(map, dst, stored);
	if (locked)
		map_unlock(map_value_lock(map, stored));
	for (int i = 0; i < n; i++)
		memset((uint8_t *)dst + off[i], 0, len[i]);
}

/* ---- state a special field keeps outside the shared file ----
 *
 * A bpf_timer's timer lives in the process that initialised it
 * (src/helpers/timer.c). The map layer tells its owner when a value's element
 * is freed (deleted, overwritten, evicted: the kernel's bpf_obj_free_fields)
 * and when this process lets the map go (its user references gone, as the
 * kernel's map_release_uref, or the map itself), never under a lock of the
 * map's. The owner registers its ops once, before it keeps any state. */
struct map_field_ops {
	void (*value_free)(struct bpfmap *map, void *value);
	void (*map_release)(struct bpfmap *map);
};

void map_field_ops_set(const struct map_field_ops *ops);
/* The element of value is freed: its timer cancelled and freed, the 16 bytes
 * zeroed (whichever process's timer it was), as the kernel's. */
void map_value_free_fields(struct bpfmap *map, void *value);
/* Whether user space holds the map: an fd of this process, or a pin (a link
 * to its file besides its id's; a pinned program's or an outer map's hold
 * counts too, where the kernel would not). */
bool map_has_uref(struct bpfmap *map);
/* This process's last fd on the map was closed: unless the map is pinned, its
 * timers of this process are cancelled and freed (map_release_uref). */
void map_release_uref(struct bpfmap *map);

#endif
