/* Kernel helpers: maps, time, identity. Semantics and ids follow the kernel's
 * (include/uapi/linux/bpf.h); r1 of a map helper is the struct bpfmap * that
 * the loader put in place of the map fd. */
#include "kernel.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../maps/cgroup_array.h"
#include "../maps/map.h"
#include "csum.h"
#include "dynptr.h"
#include "local_storage.h"
#include "memory.h"
#include "skb.h"
#include "stack.h"
#include "str.h"
#include "sysbpf.h"
#include "task.h"
#include "timer.h"
#include "current_task.h"
#include "trace.h"
#include "../maps/perf_event_array.h"
#include "../maps/ringbuf.h"
#include "../progtypes/progtype.h"

#define UNUSED5(a, b, c, d, e) ((void)(a), (void)(b), (void)(c), (void)(d), (void)(e))

static struct bpfmap *M(uint64_t v)
{
	return (struct bpfmap *)(uintptr_t)v;
}

static uint64_t map_lookup_elem(uint64_t map, uint64_t key, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	void *v;

	(void)r3, (void)r4, (void)r5;
	if (!M(map)->ops->prog_lookup)
		return 0;
	v = M(map)->ops->prog_lookup(M(map), (const void *)(uintptr_t)key, run->cpu);
	if (v && map_is_map_in_map(M(map)->hdr->map_type)) {
		/* the value is an inner map's id: the program gets the map itself */
		struct bpfmap *inner =
			run->resolve_map ? run->resolve_map(run, *(uint32_t *)v) : NULL;

		return (uint64_t)(uintptr_t)inner;
	}
	return (uint64_t)(uintptr_t)v;
}

static uint64_t map_update_elem(uint64_t map, uint64_t key, uint64_t value, uint64_t flags,
				uint64_t r5, struct vm_run *run)
{
	(void)r5;
	if (!M(map)->ops->prog_update)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)M(map)->ops->prog_update(M(map), (const void *)(uintptr_t)key,
						  (const void *)(uintptr_t)value, flags, run->cpu);
}

static uint64_t map_delete_elem(uint64_t map, uint64_t key, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	if (!M(map)->ops->prog_delete)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)M(map)->ops->prog_delete(M(map), (const void *)(uintptr_t)key);
}

static uint64_t map_push_elem(uint64_t map, uint64_t value, uint64_t flags, uint64_t r4,
			      uint64_t r5, struct vm_run *run)
{
	(void)r4, (void)r5, (void)run;
	if (!M(map)->ops->prog_push)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)M(map)->ops->prog_push(M(map), (const void *)(uintptr_t)value, flags);
}

static uint64_t map_pop_elem(uint64_t map, uint64_t value, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	if (!M(map)->ops->prog_pop)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)M(map)->ops->prog_pop(M(map), (void *)(uintptr_t)value);
}

static uint64_t map_peek_elem(uint64_t map, uint64_t value, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	if (!M(map)->ops->prog_peek)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)M(map)->ops->prog_peek(M(map), (void *)(uintptr_t)value);
}

/* bpf_loop(nr_loops, callback_fn, callback_ctx, flags): calls
 * callback_fn(i, callback_ctx) for i = 0.. until it returns 1; returns the
 * number of calls made. At most 1 << 23 loops, flags 0, as the kernel. */
static uint64_t loop(uint64_t nr, uint64_t fn, uint64_t ctx, uint64_t flags, uint64_t r5,
		     struct vm_run *run)
{
	uint64_t i, r0;

	(void)r5;
	if (flags)
		return (uint64_t)(int64_t)-EINVAL;
	/* the kernel inlines bpf_loop and sets this with a 32-bit move */
	if (nr > (1u << 23))
		return (uint32_t)-E2BIG;
	for (i = 0; i < nr; i++) {
		const uint64_t args[5] = {i, ctx, 0, 0, 0};

		if (vm_call_function(run, fn, args, &r0))
			return 0; /* the callback faulted: the run stops */
		if (r0 == 1)
			return i + 1;
	}
	return i;
}

struct for_each {
	struct vm_run *run;
	uint64_t map, fn, ctx;
	bool faulted;
};

static int for_each_one(void *arg, void *key, void *value)
{
	struct for_each *c = arg;
	const uint64_t args[5] = {c->map, (uint64_t)(uintptr_t)key, (uint64_t)(uintptr_t)value,
				  c->ctx, 0};
	uint64_t r0;

	if (vm_call_function(c->run, c->fn, args, &r0)) {
		c->faulted = true;
		return 1;
	}
	return r0 == 1;
}

/* bpf_for_each_map_elem(map, callback_fn, callback_ctx, flags): calls
 * callback_fn(map, key, value, callback_ctx) for each element until it
 * returns 1; returns the number of elements visited. */
static uint64_t for_each_map_elem(uint64_t map, uint64_t fn, uint64_t ctx, uint64_t flags,
				  uint64_t r5, struct vm_run *run)
{
	struct for_each c = {run, map, fn, ctx, false};
	long n;

	(void)r5;
	if (flags)
		return (uint64_t)(int64_t)-EINVAL;
	if (!M(map)->ops->prog_for_each)
		return (uint64_t)(int64_t)-ENOTSUP;
	n = M(map)->ops->prog_for_each(M(map), run->cpu, &run->scratch[run->cb_depth], for_each_one,
				       &c);
	return c.faulted ? 0 : (uint64_t)n;
}

/* Never called: the interpreter jumps to the target itself (vm_helper.tail_call). */
static uint64_t tail_call(uint64_t ctx, uint64_t map, uint64_t index, uint64_t r4, uint64_t r5,
			  struct vm_run *run)
{
	(void)ctx, (void)map, (void)index, (void)r4, (void)r5, (void)run;
	return 0;
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t ktime_get_ns(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			     struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	return clock_ns(CLOCK_MONOTONIC);
}

static uint64_t get_prandom_u32(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				struct vm_run *run)
{
	uint32_t v = 0;

	UNUSED5(a, b, c, d, e);
	(void)run;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (uint32_t)random();
	return v;
}

static uint64_t get_smp_processor_id(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				     struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	return run->cpu;
}

/* The thread's ids, asked once (two system calls were most of a hook's
 * cost: bench/bench_hook); a fork's child forgets them. */
static _Thread_local uint64_t pid_tgid;
static pthread_once_t pid_tgid_once = PTHREAD_ONCE_INIT;

static void forget_pid_tgid(void)
{
	pid_tgid = 0;
}

static void pid_tgid_init(void)
{
	pthread_atfork(NULL, NULL, forget_pid_tgid);
}

static uint64_t get_current_pid_tgid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				     struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	if (!pid_tgid) {
		pthread_once(&pid_tgid_once, pid_tgid_init);
		pid_tgid = (uint64_t)getpid() << 32 | (uint32_t)gettid();
	}
	return pid_tgid;
}

static uint64_t get_current_uid_gid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				    struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	return (uint64_t)getgid() << 32 | getuid();
}

static uint64_t ktime_get_boot_ns(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				  struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	return clock_ns(CLOCK_BOOTTIME);
}

static uint64_t ktime_get_coarse_ns(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				    struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

static uint64_t ktime_get_tai_ns(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				 struct vm_run *run)
{
	UNUSED5(a, b, c, d, e);
	(void)run;
	return clock_ns(CLOCK_TAI);
}

/* Jiffies at Debian's CONFIG_HZ=250, counted from the kernel's
 * INITIAL_JIFFIES (five minutes before the 32-bit wrap) since boot. */
static uint64_t jiffies64(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			  struct vm_run *run)
{
	enum { HZ = 250 };

	UNUSED5(a, b, c, d, e);
	(void)run;
	return (uint64_t)(uint32_t)(-300 * HZ) +
	       clock_ns(CLOCK_MONOTONIC_COARSE) / (1000000000 / HZ);
}

static uint64_t get_numa_node_id(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
				 struct vm_run *run)
{
	unsigned int cpu, node = 0;

	UNUSED5(a, b, c, d, e);
	(void)run;
	if (getcpu(&cpu, &node))
		node = 0;
	return node;
}

/* ---- ring buffers ---- */

static bool is_ringbuf(uint64_t map)
{
	return M(map)->hdr->map_type == BPF_MAP_TYPE_RINGBUF;
}

static uint64_t ringbuf_output_fn(uint64_t map, uint64_t data, uint64_t size, uint64_t flags,
				  uint64_t r5, struct vm_run *run)
{
	(void)r5, (void)run;
	if (!is_ringbuf(map))
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)ringbuf_output(M(map), (const void *)(uintptr_t)data, size, flags);
}

static uint64_t ringbuf_reserve_fn(uint64_t map, uint64_t size, uint64_t flags, uint64_t r4,
				   uint64_t r5, struct vm_run *run)
{
	void *sample;

	(void)r4, (void)r5;
	if (!is_ringbuf(map))
		return 0;
	sample = ringbuf_reserve(M(map), size, flags);
	if (sample)
		vm_run_hold_record(run, M(map), sample);
	return (uint64_t)(uintptr_t)sample;
}

/* The record's map is the used ring buffer whose ring holds it (the kernel
 * finds it from the header's pg_off; a verified program passes only records
 * it reserved). Anything else is ignored. */
static void ringbuf_commit_fn(uint64_t sample, uint64_t flags, struct vm_run *run, bool discard)
{
	vm_run_drop_record(run, (const void *)(uintptr_t)sample);
	for (size_t i = 0; i < run->map_cnt; i++) {
		if (ringbuf_has_record(run->maps[i], (const void *)(uintptr_t)sample)) {
			ringbuf_commit(run->maps[i], (void *)(uintptr_t)sample, flags, discard);
			return;
		}
	}
}

static uint64_t ringbuf_submit_fn(uint64_t sample, uint64_t flags, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	ringbuf_commit_fn(sample, flags, run, false);
	return 0;
}

static uint64_t ringbuf_discard_fn(uint64_t sample, uint64_t flags, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5;
	ringbuf_commit_fn(sample, flags, run, true);
	return 0;
}

static uint64_t ringbuf_query_fn(uint64_t map, uint64_t flags, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	return is_ringbuf(map) ? ringbuf_query(M(map), flags) : 0;
}

/* ---- spin locks ---- */

/* bpf_spin_lock(lock), bpf_spin_unlock(lock): lock is the bpf_spin_lock word
 * of a value in a map the program uses, a word of the map's shared file, so
 * programs in every process and BPF_F_LOCK copies from user space exclude each
 * other. A verified program passes nothing else. For an unverified one the
 * word must be 4-byte aligned in the storage of a map whose values have a lock
 * (not checked: that it is the lock of a value), else the run stops with a
 * fault rather than spin on some other word. */
static atomic_uint *spin_lock_word(uint64_t lock, struct vm_run *run, const char *helper)
{
	for (size_t i = 0; i < run->map_cnt + run->extra_map_cnt; i++) {
		const struct bpfmap *m =
			i < run->map_cnt ? run->maps[i] : run->extra_maps[i - run->map_cnt];
		uint64_t start = (uint64_t)(uintptr_t)m->data;

		if (map_spin_lock_off(m) >= 0 && lock >= start && lock % 4 == 0 &&
		    m->hdr->data_size >= 4 && lock - start <= m->hdr->data_size - 4)
			return (atomic_uint *)(uintptr_t)lock;
	}
	if (local_storage_is_lock(run, lock)) /* a value in the run's cgroup or socket storage */
		return (atomic_uint *)(uintptr_t)lock;
	vm_helper_fault(run,
			"helper %s: argument R1 (0x%llx) is not a bpf_spin_lock in a map value",
			helper, (unsigned long long)lock);
	return NULL;
}

/* One lock at a time, as the verifier allows: a second lock would spin on
 * itself, an unlock of another word would free someone else's. */
static uint64_t spin_lock(uint64_t lock, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			  struct vm_run *run)
{
	atomic_uint *w = spin_lock_word(lock, run, "bpf_spin_lock");

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (w && run->held_lock) {
		vm_helper_fault(run, "bpf_spin_lock while a lock is held");
		return 0;
	}
	if (w) {
		map_lock(w);
		run->held_lock = w;
	}
	return 0;
}

static uint64_t spin_unlock(uint64_t lock, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct vm_run *run)
{
	atomic_uint *w = spin_lock_word(lock, run, "bpf_spin_unlock");

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (w && w != run->held_lock) {
		vm_helper_fault(run, "bpf_spin_unlock of a lock the program does not hold");
		return 0;
	}
	if (w) {
		run->held_lock = NULL;
		map_unlock(w);
	}
	return 0;
}

/* bpf_perf_event_output(ctx, map, flags, data, size): the map is r2, which
 * the argument kinds cannot check, so it must be one the program uses. */
static uint64_t perf_event_output(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t data,
				  uint64_t size, struct vm_run *run)
{
	(void)ctx;
	for (size_t i = 0; i < run->map_cnt; i++)
		if ((uint64_t)(uintptr_t)run->maps[i] == map &&
		    M(map)->hdr->map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			return (uint64_t)perf_array_output(
				M(map), flags, (const void *)(uintptr_t)data, size, run->cpu);
	return (uint64_t)(int64_t)-EINVAL;
}

/* ---- XDP: the run's packet (vm_run.ctx_state), as the kernel's xdp_buff ---- */

/* r1 must be the run's XDP context: a verifier would have seen to it. */
static struct xdp_buf *xdp_arg(uint64_t ctx, struct vm_run *run, const char *helper)
{
	struct xdp_buf *b = xdp_buf_of(run);

	if (!b || ctx != (uint64_t)(uintptr_t)b->md) {
		vm_helper_fault(run, "helper %s: argument R1 (0x%llx) is not the XDP context",
				helper, (unsigned long long)ctx);
		return NULL;
	}
	return b;
}

/* bpf_xdp_adjust_head(ctx, delta): data moves by delta, the metadata with it;
 * never into the xdp_frame at the head, never leaving less than ETH_HLEN. */
static uint64_t xdp_adjust_head(uint64_t ctx, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_adjust_head");
	int64_t off = (int32_t)delta, data, metalen;

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	metalen = b->data - b->meta;
	data = b->data + off;
	if (data < XDP_BUF_FRAME_HDR + metalen || data > (int64_t)b->end - XDP_BUF_ETH_HLEN)
		return (uint64_t)(int64_t)-EINVAL;
	if (metalen)
		memmove(b->frame + b->meta + off, b->frame + b->meta, (size_t)metalen);
	b->meta = (uint32_t)(b->meta + off);
	b->data = (uint32_t)data;
	xdp_buf_sync(b, run);
	return 0;
}

/* bpf_xdp_adjust_meta(ctx, delta): data_meta moves by delta, between the
 * xdp_frame and data; the metadata a multiple of 4 bytes, at most 255. */
static uint64_t xdp_adjust_meta(uint64_t ctx, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_adjust_meta");
	int64_t meta, metalen;

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	meta = b->meta + (int64_t)(int32_t)delta;
	if (meta < XDP_BUF_FRAME_HDR || meta > b->data)
		return (uint64_t)(int64_t)-EINVAL;
	metalen = b->data - meta;
	if (metalen % 4 || metalen > XDP_BUF_MAX_META)
		return (uint64_t)(int64_t)-EACCES;
	b->meta = (uint32_t)meta;
	xdp_buf_sync(b, run);
	return 0;
}

/* The kernel's bpf_xdp_frags_shrink_tail: fragments emptied from the last,
 * then the linear part, never below ETH_HLEN in all. */
static int64_t xdp_frags_shrink(struct xdp_buf *b, int64_t off)
{
	if (off > (int64_t)(b->end - b->data + b->frags_size) - XDP_BUF_ETH_HLEN)
		return -EINVAL;
	while (b->nr_frags && off > 0) {
		struct xdp_buf_frag *f = &b->frags[b->nr_frags - 1];
		uint32_t n = off < f->len ? (uint32_t)off : f->len;

		off -= n;
		b->frags_size -= n;
		f->len -= n;
		if (f->len)
			break;
		free(f->page);
		f->page = NULL;
		b->nr_frags--;
	}
	if (!b->nr_frags)
		b->end = (uint32_t)(b->end - off);
	return 0;
}

/* bpf_xdp_adjust_tail(ctx, delta): data_end moves by delta (the last
 * fragment's end, if there are fragments), up to the skb_shared_info at the
 * end of the frame (of the fragment's page), never leaving less than
 * ETH_HLEN; new bytes are zero. */
static uint64_t xdp_adjust_tail(uint64_t ctx, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_adjust_tail");
	int64_t off = (int32_t)delta, end;
	int64_t err = 0;

	(void)r3, (void)r4, (void)r5;
	if (!b)
		return 0;
	if (b->nr_frags && off < 0) {
		err = xdp_frags_shrink(b, -off);
	} else if (b->nr_frags) {
		struct xdp_buf_frag *f = &b->frags[b->nr_frags - 1];

		if (off > XDP_BUF_FRAME_SIZE - f->len)
			return (uint64_t)(int64_t)-EINVAL;
		memset(f->page + f->len, 0, (size_t)off);
		f->len += (uint32_t)off;
		b->frags_size += (uint32_t)off;
	} else {
		end = b->end + off;
		if (end > XDP_BUF_FRAME_SIZE - XDP_BUF_TAILROOM || end < b->data + XDP_BUF_ETH_HLEN)
			return (uint64_t)(int64_t)-EINVAL;
		if (off > 0)
			memset(b->frame + b->end, 0, (size_t)off);
		b->end = (uint32_t)end;
	}
	xdp_buf_sync(b, run);
	return (uint64_t)err;
}

/* bpf_xdp_get_buff_len(ctx): the packet's bytes, fragments included. */
static uint64_t xdp_get_buff_len(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run)
{
	struct xdp_buf *b = xdp_arg(ctx, run, "bpf_xdp_get_buff_len");

	(void)r2, (void)r3, (void)r4, (void)r5;
	return b ? b->end - b->data + b->frags_size : 0;
}

static const struct vm_helper helpers[] = {
	[BPF_FUNC_map_lookup_elem] = {"bpf_map_lookup_elem",
				      map_lookup_elem,
				      {VM_ARG_MAP, VM_ARG_MAP_KEY}},
	[BPF_FUNC_map_update_elem] = {"bpf_map_update_elem",
				      map_update_elem,
				      {VM_ARG_MAP, VM_ARG_MAP_KEY, VM_ARG_MAP_VALUE}},
	[BPF_FUNC_map_delete_elem] = {"bpf_map_delete_elem",
				      map_delete_elem,
				      {VM_ARG_MAP, VM_ARG_MAP_KEY}},
	[BPF_FUNC_map_push_elem] = {"bpf_map_push_elem",
				    map_push_elem,
				    {VM_ARG_MAP, VM_ARG_MAP_VALUE}},
	[BPF_FUNC_map_pop_elem] = {"bpf_map_pop_elem",
				   map_pop_elem,
				   {VM_ARG_MAP, VM_ARG_MAP_VALUE_OUT}},
	[BPF_FUNC_map_peek_elem] = {"bpf_map_peek_elem",
				    map_peek_elem,
				    {VM_ARG_MAP, VM_ARG_MAP_VALUE_OUT}},
	[BPF_FUNC_loop] = {"bpf_loop", loop, {0}},
	[BPF_FUNC_trace_printk] = {"bpf_trace_printk",
				   helper_trace_printk,
				   {VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[BPF_FUNC_get_current_comm] = {"bpf_get_current_comm",
				       helper_get_current_comm,
				       {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read] = {"bpf_probe_read", helper_probe_read, {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read_str] = {"bpf_probe_read_str",
				     helper_probe_read_str,
				     {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read_user] = {"bpf_probe_read_user",
				      helper_probe_read,
				      {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read_kernel] = {"bpf_probe_read_kernel",
					helper_probe_read,
					{VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read_user_str] = {"bpf_probe_read_user_str",
					  helper_probe_read_str,
					  {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_probe_read_kernel_str] = {"bpf_probe_read_kernel_str",
					    helper_probe_read_kernel_str,
					    {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[BPF_FUNC_for_each_map_elem] = {"bpf_for_each_map_elem", for_each_map_elem, {VM_ARG_MAP}},
	[BPF_FUNC_tail_call] = {"bpf_tail_call", tail_call, {0, VM_ARG_MAP, 0}, true},
	[BPF_FUNC_ktime_get_ns] = {"bpf_ktime_get_ns", ktime_get_ns, {0}},
	[BPF_FUNC_get_prandom_u32] = {"bpf_get_prandom_u32", get_prandom_u32, {0}},
	[BPF_FUNC_get_smp_processor_id] = {"bpf_get_smp_processor_id", get_smp_processor_id, {0}},
	[BPF_FUNC_get_current_pid_tgid] = {"bpf_get_current_pid_tgid", get_current_pid_tgid, {0}},
	[BPF_FUNC_get_current_uid_gid] = {"bpf_get_current_uid_gid", get_current_uid_gid, {0}},
	[BPF_FUNC_ktime_get_boot_ns] = {"bpf_ktime_get_boot_ns", ktime_get_boot_ns, {0}},
	[BPF_FUNC_ktime_get_coarse_ns] = {"bpf_ktime_get_coarse_ns", ktime_get_coarse_ns, {0}},
	[BPF_FUNC_csum_diff] = {"bpf_csum_diff",
				helper_csum_diff,
				{VM_ARG_MEM_RO, VM_ARG_SIZE, VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[BPF_FUNC_trace_vprintk] = {"bpf_trace_vprintk",
				    helper_trace_vprintk,
				    {VM_ARG_MEM_RO, VM_ARG_SIZE, VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[BPF_FUNC_snprintf] = {"bpf_snprintf",
			       helper_snprintf,
			       {VM_ARG_MEM_RW, VM_ARG_SIZE, VM_ARG_STR, VM_ARG_MEM_RO,
				VM_ARG_SIZE}},
	[BPF_FUNC_ktime_get_tai_ns] = {"bpf_ktime_get_tai_ns", ktime_get_tai_ns, {0}},
	[BPF_FUNC_jiffies64] = {"bpf_jiffies64", jiffies64, {0}},
	[BPF_FUNC_get_numa_node_id] = {"bpf_get_numa_node_id", get_numa_node_id, {0}},
	[BPF_FUNC_strncmp] = {"bpf_strncmp",
			      helper_strncmp,
			      {VM_ARG_MEM_RO, VM_ARG_SIZE, VM_ARG_STR}},
	[BPF_FUNC_strtol] = {"bpf_strtol",
			     helper_strtol,
			     {VM_ARG_MEM_RO, VM_ARG_SIZE, VM_ARG_ANYTHING, VM_ARG_LONG_OUT}},
	[BPF_FUNC_strtoul] = {"bpf_strtoul",
			      helper_strtoul,
			      {VM_ARG_MEM_RO, VM_ARG_SIZE, VM_ARG_ANYTHING, VM_ARG_LONG_OUT}},
	[BPF_FUNC_perf_event_output] = {"bpf_perf_event_output",
					perf_event_output,
					{VM_ARG_ANYTHING, VM_ARG_ANYTHING, VM_ARG_ANYTHING,
					 VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[BPF_FUNC_ringbuf_output] = {"bpf_ringbuf_output",
				     ringbuf_output_fn,
				     {VM_ARG_MAP, VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[BPF_FUNC_ringbuf_reserve] = {"bpf_ringbuf_reserve", ringbuf_reserve_fn, {VM_ARG_MAP}},
	[BPF_FUNC_ringbuf_submit] = {"bpf_ringbuf_submit", ringbuf_submit_fn, {0}},
	[BPF_FUNC_ringbuf_discard] = {"bpf_ringbuf_discard", ringbuf_discard_fn, {0}},
	[BPF_FUNC_ringbuf_query] = {"bpf_ringbuf_query", ringbuf_query_fn, {VM_ARG_MAP}},
	[BPF_FUNC_spin_lock] = {"bpf_spin_lock", spin_lock, {VM_ARG_ANYTHING}},
	[BPF_FUNC_spin_unlock] = {"bpf_spin_unlock", spin_unlock, {VM_ARG_ANYTHING}},
	[BPF_FUNC_xdp_adjust_head] = {"bpf_xdp_adjust_head", xdp_adjust_head, {0}},
	[BPF_FUNC_xdp_adjust_meta] = {"bpf_xdp_adjust_meta", xdp_adjust_meta, {0}},
	[BPF_FUNC_xdp_adjust_tail] = {"bpf_xdp_adjust_tail", xdp_adjust_tail, {0}},
	SKB_HELPERS,
	TASK_HELPERS,
	STACK_HELPERS,
	CURRENT_TASK_HELPERS,
	LOCAL_STORAGE_HELPERS,
	TIMER_HELPERS,
	DYNPTR_HELPERS,
	SYSBPF_HELPERS,
	CGROUP_ARRAY_HELPERS,
	[BPF_FUNC_xdp_get_buff_len] = {"bpf_xdp_get_buff_len", xdp_get_buff_len, {0}},
};

struct vm_helper_table kernel_helpers(void)
{
	return (struct vm_helper_table){helpers, sizeof(helpers) / sizeof(helpers[0])};
}
