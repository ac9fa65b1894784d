/* Local storage in a test run, as Linux 6.18's (net/bpf/test_run.c; probed
 * on the kernel: tests/libbpf/test_storage): bpf_test_run gives the program
 * a zeroed storage of its cgroup storage map (and one of its per-CPU cgroup
 * storage map) for the whole run, its repeats included, which user space
 * never sees; the skb test run makes up a socket that lives as long as the
 * run, and with it the storage bpf_sk_storage_get creates on it. So both
 * live here, in the run (vm_run.local_storage), not in the maps' files:
 *   cg[kind]   the value of each kind of cgroup storage (shared, per-CPU:
 *              the calling CPU's, the only one a run uses), a region each;
 *   sk[]       the socket's storage in each socket storage map it has one
 *              in; a deleted one keeps its memory (and region) until the run
 *              ends, as the kernel's RCU keeps it for a program still holding
 *              it, and is reused if created again.
 * The checked interpreter reaches each through a region of the run. */
#include "local_storage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../maps/map.h"
#include "../progtypes/progtype.h"

#define SK_MAX 8 /* socket storages a run can hold: more, and creation fails (NULL) */

struct sk_store {
	const struct bpfmap *map;
	uint8_t *value;
	bool live;
	size_t region;
};

struct run_storage {
	const struct bpfmap *cg_map[2]; /* the program's map of each kind */
	uint8_t *cg[2];
	size_t cg_region[2];
	struct sk_store sk[SK_MAX];
	unsigned sk_cnt;
};

static struct bpfmap *M(uint64_t v)
{
	return (struct bpfmap *)(uintptr_t)v;
}

/* 0: CGROUP_STORAGE, 1: PERCPU_CGROUP_STORAGE, -1: neither */
static int cg_kind(uint32_t map_type)
{
	return map_type == BPF_MAP_TYPE_CGROUP_STORAGE		? 0
	       : map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE ? 1
								: -1;
}

static bool uses_storage(const struct vm_run *run)
{
	for (size_t i = 0; i < run->map_cnt; i++) {
		uint32_t t = run->maps[i]->hdr->map_type;

		if (cg_kind(t) >= 0 || t == BPF_MAP_TYPE_SK_STORAGE)
			return true;
	}
	return false;
}

int local_storage_run_begin(struct vm_run *run)
{
	struct run_storage *rs;

	run->local_storage = NULL;
	if (!uses_storage(run))
		return 0;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	run->local_storage = rs;
	for (size_t i = 0; i < run->map_cnt; i++) {
		const struct bpfmap *m = run->maps[i];
		int k = cg_kind(m->hdr->map_type);

		if (k < 0 || rs->cg_map[k])
			continue;
		rs->cg_map[k] = m;
		rs->cg[k] = calloc(1, round_up8(m->value_size));
		rs->cg_region[k] = run->region_cnt;
		if (!rs->cg[k] || vm_run_add_region(run, rs->cg[k], m->value_size,
						    k ? "percpu cgroup storage" : "cgroup storage",
						    !(m->map_flags & BPF_F_RDONLY_PROG))) {
			rs->cg_map[k] = NULL; /* no region to take back */
			local_storage_run_end(run);
			return -ENOMEM;
		}
	}
	return 0;
}

/* The memory goes; its region stays, emptied, lest anything reach it. */
static void region_clear(struct vm_run *run, size_t i)
{
	run->regions[i].start = 0;
	run->regions[i].len = 0;
}

void local_storage_run_end(struct vm_run *run)
{
	struct run_storage *rs = run->local_storage;

	if (!rs)
		return;
	for (int k = 0; k < 2; k++) {
		if (rs->cg_map[k])
			region_clear(run, rs->cg_region[k]);
		free(rs->cg[k]);
	}
	for (unsigned i = 0; i < rs->sk_cnt; i++) {
		region_clear(run, rs->sk[i].region);
		free(rs->sk[i].value);
	}
	free(rs);
	run->local_storage = NULL;
}

bool local_storage_is_lock(const struct vm_run *run, uint64_t addr)
{
	const struct run_storage *rs = run->local_storage;

	for (int k = 0; rs && k < 2; k++)
		if (rs->cg_map[k] && map_spin_lock_off(rs->cg_map[k]) >= 0 &&
		    addr == (uint64_t)(uintptr_t)rs->cg[k] +
				    (uint32_t)map_spin_lock_off(rs->cg_map[k]))
			return true;
	for (unsigned i = 0; rs && i < rs->sk_cnt; i++)
		if (map_spin_lock_off(rs->sk[i].map) >= 0 &&
		    addr == (uint64_t)(uintptr_t)rs->sk[i].value +
				    (uint32_t)map_spin_lock_off(rs->sk[i].map))
			return true;
	return false;
}

/* bpf_get_local_storage(map, flags): the run's storage of the map's kind. */
uint64_t helper_get_local_storage(uint64_t map, uint64_t flags, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct vm_run *run)
{
	struct run_storage *rs = run->local_storage;
	int k = cg_kind(M(map)->hdr->map_type);

	(void)r3, (void)r4, (void)r5;
	if (k < 0) {
		vm_helper_fault(run, "cannot pass map_type %u into func bpf_get_local_storage#81",
				M(map)->hdr->map_type);
		return 0;
	}
	if (flags) {
		vm_helper_fault(run, "get_local_storage() doesn't support non-zero flags");
		return 0;
	}
	if (!rs || !rs->cg[k]) {
		vm_helper_fault(run, "bpf_get_local_storage: this run has no %scgroup storage",
				k ? "per-CPU " : "");
		return 0;
	}
	return (uint64_t)(uintptr_t)rs->cg[k];
}

/* The storage helpers' map and socket: false (a fault) where a verifier
 * would have refused them. The only socket a run has is the one its test
 * run made up for __sk_buff.sk. */
static bool sk_args(struct vm_run *run, uint64_t map, uint64_t sk, const char *helper)
{
	const struct skb_buf *b = skb_buf_of(run);

	if (M(map)->hdr->map_type != BPF_MAP_TYPE_SK_STORAGE) {
		vm_helper_fault(run, "cannot pass map_type %u into func %s", M(map)->hdr->map_type,
				helper);
		return false;
	}
	if (!b || !b->md || sk != (uint64_t)(uintptr_t)b->md->sk) {
		vm_helper_fault(run, "helper %s: argument R2 (0x%llx) is not the run's socket",
				helper, (unsigned long long)sk);
		return false;
	}
	return true;
}

static struct sk_store *sk_find(struct run_storage *rs, const struct bpfmap *map)
{
	for (unsigned i = 0; rs && i < rs->sk_cnt; i++)
		if (rs->sk[i].map == map)
			return &rs->sk[i];
	return NULL;
}

/* A store for the map's storage of the socket (not live yet), or NULL. */
static struct sk_store *sk_new(struct vm_run *run, struct run_storage *rs, const struct bpfmap *map)
{
	struct sk_store *st;

	if (!rs || rs->sk_cnt >= SK_MAX)
		return NULL;
	st = &rs->sk[rs->sk_cnt];
	st->value = calloc(1, round_up8(map->value_size));
	st->region = run->region_cnt;
	if (!st->value ||
	    vm_run_add_region(run, st->value, map->value_size,
			      map->hdr->name[0] ? map->hdr->name : "sk storage", true)) {
		free(st->value);
		return NULL;
	}
	st->map = map;
	rs->sk_cnt++;
	return st;
}

/* bpf_sk_storage_get(map, sk, value, flags): the socket's storage; with
 * BPF_SK_STORAGE_GET_F_CREATE made if missing, from value (NULL: zeros). */
uint64_t helper_sk_storage_get(uint64_t map, uint64_t sk, uint64_t value, uint64_t flags,
			       uint64_t r5, struct vm_run *run)
{
	struct run_storage *rs = run->local_storage;
	const struct bpfmap *m = M(map);
	struct sk_store *st;

	(void)r5;
	if (!sk || flags > BPF_SK_STORAGE_GET_F_CREATE)
		return 0;
	if (!sk_args(run, map, sk, "bpf_sk_storage_get#107"))
		return 0;
	st = sk_find(rs, m);
	if (st && st->live)
		return (uint64_t)(uintptr_t)st->value;
	if (flags != BPF_SK_STORAGE_GET_F_CREATE)
		return 0;
	if (value && !vm_check_access(run, value, m->value_size, false)) {
		vm_helper_fault(run,
				"helper bpf_sk_storage_get: argument R3 (0x%llx, size %u) is not "
				"memory the program may read",
				(unsigned long long)value, m->value_size);
		return 0;
	}
	if (!st)
		st = sk_new(run, rs, m);
	if (!st)
		return 0; /* the kernel's allocation failed */
	memset(st->value, 0, m->value_size);
	if (value) /* a new element: its lock (and timer) zero, as copy_map_value */
		map_value_copy_skip(m, st->value, (const void *)(uintptr_t)value);
	st->live = true;
	return (uint64_t)(uintptr_t)st->value;
}

/* bpf_sk_storage_delete(map, sk): 0, or -ENOENT if the socket has none. */
uint64_t helper_sk_storage_delete(uint64_t map, uint64_t sk, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct vm_run *run)
{
	struct sk_store *st;

	(void)r3, (void)r4, (void)r5;
	if (!sk)
		return (uint64_t)(int64_t)-EINVAL;
	if (!sk_args(run, map, sk, "bpf_sk_storage_delete#108"))
		return 0;
	st = sk_find(run->local_storage, M(map));
	if (!st || !st->live)
		return (uint64_t)(int64_t)-ENOENT;
	st->live = false;
	return 0;
}
