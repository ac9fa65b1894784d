// SPDX-License-Identifier: GPL-2.0
/* bpf_timer in the values of hash, LRU hash and array maps: one syscall
 * program per map calls bpf_timer_init / set_callback / start / cancel on the
 * element its argument names and hands back what the helper returned;
 * the callback counts its firings in the value, notes the key and the map it
 * was given, and then does what the value's mode asks (re-arm itself, cancel
 * itself, cancel or start a neighbour, delete its own element). Checked by
 * tests/libbpf/test_timer.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	__u64 fired;	/* callback runs */
	__u32 seen_key; /* the key the last run was given */
	__u32 seen_map; /* 1 hash, 2 array, 3 lru, 4 the small lru */
	struct bpf_timer t;
	__u32 mode;  /* what the callback does after counting (enum mode) */
	__u32 limit; /* MODE_REARM: runs in all */
	__s64 ret;   /* what the callback's own helper call returned */
	__u64 stamp; /* set by user space, never touched by programs */
};

enum mode {
	MODE_COUNT,
	MODE_REARM,
	MODE_CANCEL_SELF,
	MODE_CANCEL_NEXT,
	MODE_DELETE_SELF,
	MODE_START_NEXT
};

/* room for elements deleted while their callback runs, not yet free */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, struct elem);
} hmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct elem);
} amap SEC(".maps");

/* big enough that the kernel's LRU (per-CPU free lists) never evicts here */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct elem);
} lmap SEC(".maps");

/* bpfhost's exact LRU evicts the least recently used element of a full map
 * (and its timer with it); the kernel's evicts by its own rules */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct elem);
} lsmall SEC(".maps");

/* [0]: callback runs in all, whichever map (read while a map's fd is closed) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* values with a timer cannot be mmapped (ENOTSUPP), mmapable or not */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct elem);
} mmapped SEC(".maps");

enum op { OP_INIT, OP_SET_CALLBACK, OP_START, OP_CANCEL, OP_DELETE, OP_UPDATE };

struct args {
	__u32 key;
	__u32 op;
	__u64 flags;
	__u64 ns;
	__s64 ret; /* the helper's return value, or -1000 if the element is missing */
};

static int cb(void *map, __u32 *key, struct elem *v)
{
	__u32 next = *key + 1, zero = 0;
	struct elem *n;
	__u64 *total = bpf_map_lookup_elem(&counts, &zero);

	if (total)
		__sync_fetch_and_add(total, 1);
	v->fired++;
	v->seen_key = *key;
	v->seen_map = map == (void *)&hmap   ? 1
		      : map == (void *)&amap ? 2
		      : map == (void *)&lmap ? 3
					     : 4;
	switch (v->mode) {
	case MODE_REARM:
		if (v->fired < v->limit)
			v->ret = bpf_timer_start(&v->t, 1000, 0);
		break;
	case MODE_CANCEL_SELF: v->ret = bpf_timer_cancel(&v->t); break;
	case MODE_CANCEL_NEXT:
		n = bpf_map_lookup_elem(map, &next);
		v->ret = n ? bpf_timer_cancel(&n->t) : -1000;
		break;
	case MODE_START_NEXT:
		n = bpf_map_lookup_elem(map, &next);
		v->ret = n ? bpf_timer_start(&n->t, 1000, 0) : -1000;
		break;
	case MODE_DELETE_SELF: v->ret = bpf_map_delete_elem(map, key); break;
	}
	return 0;
}

/* One program per map: bpf_timer_init's map must be the one the timer lives
 * in, which the verifier can only see in a program that names one map. */
#define TIMER_OP(name, map)                                                                        \
	SEC("syscall")                                                                             \
	int name(struct args *a)                                                                   \
	{                                                                                          \
		__u32 key = a->key;                                                                \
		struct elem *v, fresh = {};                                                        \
                                                                                                   \
		if (a->op == OP_DELETE) {                                                          \
			a->ret = bpf_map_delete_elem(&map, &key);                                  \
			return 0;                                                                  \
		}                                                                                  \
		if (a->op == OP_UPDATE) {                                                          \
			fresh.stamp = a->ns;                                                       \
			a->ret = bpf_map_update_elem(&map, &key, &fresh, a->flags);                \
			return 0;                                                                  \
		}                                                                                  \
		v = bpf_map_lookup_elem(&map, &key);                                               \
		if (!v) {                                                                          \
			a->ret = -1000;                                                            \
			return 0;                                                                  \
		}                                                                                  \
		switch (a->op) {                                                                   \
		case OP_INIT: a->ret = bpf_timer_init(&v->t, &map, a->flags); break;               \
		case OP_SET_CALLBACK: a->ret = bpf_timer_set_callback(&v->t, cb); break;           \
		case OP_START: a->ret = bpf_timer_start(&v->t, a->ns, a->flags); break;            \
		case OP_CANCEL: a->ret = bpf_timer_cancel(&v->t); break;                           \
		}                                                                                  \
		return 0;                                                                          \
	}

TIMER_OP(timer_hash, hmap)
TIMER_OP(timer_array, amap)
TIMER_OP(timer_lru, lmap)
TIMER_OP(timer_lru_small, lsmall)

/* A value with a lock and a timer: a BPF_F_LOCK update of a hash element is
 * made in place and keeps the timer; an array's update frees it all the same */
struct locked {
	struct bpf_spin_lock l;
	__u32 pad;
	struct bpf_timer t;
	__u64 x;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct locked);
} lockh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct locked);
} locka SEC(".maps");

static int locked_cb(void *map, __u32 *key, struct locked *v)
{
	v->x++;
	return 0;
}

#define LOCKED_OP(name, map)                                                                       \
	SEC("syscall")                                                                             \
	int name(struct args *a)                                                                   \
	{                                                                                          \
		__u32 key = a->key;                                                                \
		struct locked *v = bpf_map_lookup_elem(&map, &key);                                \
                                                                                                   \
		if (!v) {                                                                          \
			a->ret = -1000;                                                            \
			return 0;                                                                  \
		}                                                                                  \
		switch (a->op) {                                                                   \
		case OP_INIT: a->ret = bpf_timer_init(&v->t, &map, a->flags); break;               \
		case OP_SET_CALLBACK: a->ret = bpf_timer_set_callback(&v->t, locked_cb); break;    \
		case OP_START: a->ret = bpf_timer_start(&v->t, a->ns, a->flags); break;            \
		case OP_CANCEL: a->ret = bpf_timer_cancel(&v->t); break;                           \
		}                                                                                  \
		return 0;                                                                          \
	}

LOCKED_OP(locked_hash, lockh)
LOCKED_OP(locked_array, locka)

char LICENSE[] SEC("license") = "GPL";
