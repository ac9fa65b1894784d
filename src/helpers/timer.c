/* BPF timers, as the kernel's (kernel/bpf/helpers.c): a struct bpf_timer in a
 * map value stands for a timer of the process that initialised it; one thread
 * of that process (started with the first armed timer) runs each callback, a
 * function of the program that set it, at its deadline.
 *
 * The 16 bytes in the map's shared file: a stamp (0: not initialised, else
 * the owner process's token << 32 | the timer's serial) and the owner's pid.
 * The timer itself (struct timer) is found by the address of its bytes in a
 * table of this process, never through them: a program may scribble over the
 * bytes, and another process's mean nothing here. A registered timer whose
 * bytes no longer hold its stamp was freed by another process (its element
 * deleted or overwritten there) and is dropped when next seen. In another
 * process a timer reads as initialised (bpf_timer_init: -EBUSY) but is not
 * its to use (the other helpers: -EPERM) while its owner lives; a dead
 * owner's timer counts as not initialised.
 *
 * One mutex guards the table, the heaps of armed timers (one per clock) and
 * every timer; callbacks run without it, and program references are dropped
 * without it. A timer whose callback runs is freed by the thread when the
 * callback returns; elsewhere, freeing a timer waits for its callback. */
#include "timer.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../maps/map.h"

#define MAX_CLOCKS 16		  /* the kernel's: init's flags are a clock id below it */
#define NOT_ARMED SIZE_MAX	  /* timer.pos of a timer in no heap */
#define NEVER INT64_MAX		  /* a deadline past any clock's reach */
#define CLOCK_CHECK_NS 1000000000 /* how long a wait trusts a clock other than MONOTONIC */
/* bpf_timer_start's flags (Linux 6.4, 6.7), newer than Debian's headers */
#define TIMER_ABS (1ull << 0)
#define TIMER_CPU_PIN (1ull << 1)

enum { CLK_MONO, CLK_REAL, CLK_BOOT, CLK_N };
static const clockid_t clock_ids[CLK_N] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};

struct timer {
	struct timer *next;	/* the table's chain */
	_Atomic uint64_t *slot; /* its struct bpf_timer in the map's file: stamp, owner pid */
	struct bpfmap *map;	/* its map: a map's timers go before the map does */
	uint64_t stamp;		/* what its slot holds while it is the slot's timer */
	int clock;		/* CLK_* */
	void *prog;		/* the callback's program, with a reference; NULL: none */
	uint64_t func;		/* the callback */
	int64_t deadline;	/* armed: when, on its clock */
	size_t pos;		/* in its clock's heap, or NOT_ARMED */
	uint32_t index;		/* an array element's index: its callback's key */
	bool dead;		/* dropped while its callback runs: the thread frees it */
};

struct heap {
	struct timer **v;
	size_t len, cap;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* the thread: something changed (CLOCK_MONOTONIC) */
	pthread_cond_t done; /* a callback returned */
	struct timer **table;
	size_t nbuckets, count;
	struct heap heaps[CLK_N];
	uint32_t token, serial;
	_Atomic(const struct timer_host *) host;
	pthread_t thread;
	bool started, stopping;
	struct timer *running; /* whose callback runs now */
} T = {.lock = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static pthread_once_t once = PTHREAD_ONCE_INIT;

void timer_host_set(const struct timer_host *host)
{
	atomic_store(&T.host, host);
}

static int64_t clock_ns(int clk)
{
	struct timespec ts;

	clock_gettime(clock_ids[clk], &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool on_thread(void)
{
	return T.started && pthread_equal(pthread_self(), T.thread);
}

/* ---- the table, by slot address ---- */

static size_t bucket(const void *slot)
{
	return (size_t)(((uintptr_t)slot >> 3) * 0x9e3779b97f4a7c15ull >> 32) & (T.nbuckets - 1);
}

static struct timer *table_find(const void *slot)
{
	if (!T.nbuckets)
		return NULL;
	for (struct timer *t = T.table[bucket(slot)]; t; t = t->next)
		if (t->slot == slot)
			return t;
	return NULL;
}

static int table_add(struct timer *t)
{
	if (T.count >= T.nbuckets) {
		size_t n = T.nbuckets ? T.nbuckets * 2 : 64, old = T.nbuckets;
		struct timer **nt = calloc(n, sizeof(*nt)), **ot = T.table;

		if (!nt)
			return -ENOMEM;
		T.table = nt;
		T.nbuckets = n;
		for (size_t i = 0; i < old; i++) {
			for (struct timer *c = ot[i], *next; c; c = next) {
				next = c->next;
				c->next = T.table[bucket(c->slot)];
				T.table[bucket(c->slot)] = c;
			}
		}
		free(ot);
	}
	t->next = T.table[bucket(t->slot)];
	T.table[bucket(t->slot)] = t;
	T.count++;
	return 0;
}

static void table_remove(struct timer *t)
{
	for (struct timer **p = &T.table[bucket(t->slot)]; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			T.count--;
			return;
		}
	}
}

/* ---- armed timers: a min-heap by deadline per clock ---- */

static void heap_set(struct heap *h, size_t i, struct timer *t)
{
	h->v[i] = t;
	t->pos = i;
}

static void sift_up(struct heap *h, size_t i)
{
	struct timer *t = h->v[i];

	while (i && h->v[(i - 1) / 2]->deadline > t->deadline) {
		heap_set(h, i, h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(h, i, t);
}

static void sift_down(struct heap *h, size_t i)
{
	struct timer *t = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->len)
			break;
		if (c + 1 < h->len && h->v[c + 1]->deadline < h->v[c]->deadline)
			c++;
		if (h->v[c]->deadline >= t->deadline)
			break;
		heap_set(h, i, h->v[c]);
		i = c;
	}
	heap_set(h, i, t);
}

static int heap_push(struct heap *h, struct timer *t)
{
	if (h->len == h->cap) {
		size_t n = h->cap ? h->cap * 2 : 16;
		struct timer **v = realloc(h->v, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = n;
	}
	heap_set(h, h->len++, t);
	sift_up(h, t->pos);
	return 0;
}

/* Takes t out of its heap: whether it was armed. */
static bool disarm(struct timer *t)
{
	struct heap *h = &T.heaps[t->clock];
	size_t i = t->pos;

	if (i == NOT_ARMED)
		return false;
	t->pos = NOT_ARMED;
	if (i != --h->len) {
		struct timer *last = h->v[h->len];

		heap_set(h, i, last);
		sift_up(h, i);
		sift_down(h, last->pos);
	}
	return true;
}

/* ---- timers ---- */

static bool current(const struct timer *t)
{
	return atomic_load(t->slot) == t->stamp;
}

/* t goes (its element freed, its map let go, or its slot taken by another
 * process): out of the table and its heap, its slot zeroed if it still holds
 * its stamp; freed now, or by the thread once its running callback returns.
 * Returns its program, for the caller to put once the lock is dropped. */
static void *drop(struct timer *t)
{
	uint64_t stamp = t->stamp;
	void *prog = t->prog;

	table_remove(t);
	disarm(t);
	if (atomic_compare_exchange_strong(t->slot, &stamp, 0))
		atomic_store(&t->slot[1], 0);
	t->prog = NULL;
	if (T.running == t)
		t->dead = true;
	else
		free(t);
	return prog;
}

static void put_prog(void *prog)
{
	if (prog)
		atomic_load(&T.host)->prog_put(prog);
}

/* This process's timer of slot, or NULL; a stale one is dropped (its
 * program into *stale, to put after the lock). */
static struct timer *find(const void *slot, void **stale)
{
	struct timer *t = table_find(slot);

	if (t && !current(t)) {
		*stale = drop(t);
		return NULL;
	}
	return t;
}

/* Whether slot is a live timer of another process. */
static bool foreign(_Atomic uint64_t *slot)
{
	uint64_t stamp = atomic_load(slot);
	pid_t pid = (pid_t)(uint32_t)atomic_load(&slot[1]);

	if (!stamp || stamp >> 32 == T.token)
		return false;
	return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

/* Waits for t's callback to return, unless it runs on this thread (it is
 * the caller: the kernel's bpf_timer_cancel_and_free defers then). t is only
 * compared, never read: it may be freed meanwhile. */
static void wait_callback(const struct timer *t)
{
	if (on_thread())
		return;
	while (T.running == t)
		pthread_cond_wait(&T.done, &T.lock);
}

/* ---- the thread ---- */

/* The armed timer due first if one is due; else NULL with *wait_ns, how long
 * until one may be (-1: none armed). */
static struct timer *due(int64_t *wait_ns)
{
	*wait_ns = -1;
	for (int c = 0; c < CLK_N; c++) {
		struct timer *t = T.heaps[c].len ? T.heaps[c].v[0] : NULL;
		int64_t now, left;

		if (!t || t->deadline == NEVER)
			continue;
		now = clock_ns(c);
		if (t->deadline <= now)
			return t;
		left = t->deadline - now;
		if (c != CLK_MONO && left > CLOCK_CHECK_NS)
			left = CLOCK_CHECK_NS; /* the clock may be set, or the machine suspended */
		if (*wait_ns < 0 || left < *wait_ns)
			*wait_ns = left;
	}
	return NULL;
}

static void wait_for(int64_t ns)
{
	struct timespec ts;

	if (ns < 0) {
		pthread_cond_wait(&T.wake, &T.lock);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns += ts.tv_nsec;
	ts.tv_sec += ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	pthread_cond_timedwait(&T.wake, &T.lock, &ts);
}

/* Runs t's callback as the kernel's bpf_timer_cb: (map, key, value), the
 * key of an array element being its index; the return value is ignored.
 * Called with the lock held; drops it while the callback runs. */
static void fire(struct timer *t)
{
	const struct timer_host *host = atomic_load(&T.host);
	struct bpfmap *map = t->map;
	uint8_t *value = (uint8_t *)(uintptr_t)t->slot - map_timer_off(map);
	void *prog = t->prog;
	uint64_t func = t->func; /* set_callback may change it while the callback runs */
	const void *key;
	uint32_t key_size;

	disarm(t);
	if (!current(t)) { /* freed by another process meanwhile */
		prog = drop(t);
		pthread_mutex_unlock(&T.lock);
		put_prog(prog);
		pthread_mutex_lock(&T.lock);
		return;
	}
	if (map->hdr->map_type == BPF_MAP_TYPE_ARRAY) {
		key = &t->index;
		key_size = sizeof(t->index);
	} else { /* hash, LRU hash: the key before the value */
		key = value - round_up8(map->key_size);
		key_size = map->key_size;
	}
	/* the callback may cancel or replace what it runs: its own references */
	host->prog_hold(prog);
	map_get(map);
	T.running = t;
	pthread_mutex_unlock(&T.lock);
	host->prog_call(prog, map, func, key, key_size, value);
	pthread_mutex_lock(&T.lock);
	T.running = NULL;
	if (t->dead)
		free(t);
	pthread_cond_broadcast(&T.done);
	pthread_mutex_unlock(&T.lock);
	host->prog_put(prog);
	map_put(map);
	pthread_mutex_lock(&T.lock);
}

static void *thread_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&T.lock);
	while (!T.stopping) {
		int64_t wait_ns;
		struct timer *t = due(&wait_ns);

		if (t)
			fire(t);
		else
			wait_for(wait_ns);
	}
	pthread_mutex_unlock(&T.lock);
	return NULL;
}

/* At exit: the thread stops (a callback that runs ends first); timers stay
 * as they are. */
static void stop_thread(void)
{
	pthread_mutex_lock(&T.lock);
	T.stopping = true;
	pthread_cond_signal(&T.wake);
	pthread_mutex_unlock(&T.lock);
	if (T.started && !on_thread())
		pthread_join(T.thread, NULL);
}

/* Under the lock: the thread runs, or is told there is more to do. */
static int kick(void)
{
	sigset_t all, old;
	int err;

	if (T.started || T.stopping) {
		pthread_cond_signal(&T.wake);
		return 0;
	}
	/* signals are for the application's threads, not this one */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&T.thread, NULL, thread_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	T.started = true;
	atexit(stop_thread);
	return 0;
}

/* ---- what the map layer tells (map_field_ops) ---- */

static void value_free(struct bpfmap *map, void *value)
{
	const void *slot = (uint8_t *)value + map_timer_off(map);
	struct timer *t;
	void *prog = NULL;

	pthread_mutex_lock(&T.lock);
	t = table_find(slot);
	if (t) {
		prog = drop(t);
		wait_callback(t);
	}
	pthread_mutex_unlock(&T.lock);
	put_prog(prog);
}

/* Every timer of map goes: its last fd closed (and not pinned), or the map
 * itself going. Programs are put in batches, outside the lock. */
static void map_release(struct bpfmap *map)
{
	void *progs[64];
	size_t n;
	bool more;

	pthread_mutex_lock(&T.lock);
	do {
		n = 0;
		more = false;
		for (size_t b = 0; b < T.nbuckets && !more; b++) {
			for (struct timer *t = T.table[b], *next; t; t = next) {
				void *prog;

				next = t->next;
				if (t->map != map)
					continue;
				if (n == sizeof(progs) / sizeof(progs[0])) {
					more = true;
					break;
				}
				prog = drop(t);
				if (prog)
					progs[n++] = prog;
			}
		}
		if (T.running && T.running->map == map)
			wait_callback(T.running);
		pthread_mutex_unlock(&T.lock);
		for (size_t i = 0; i < n; i++)
			put_prog(progs[i]);
		pthread_mutex_lock(&T.lock);
	} while (more);
	pthread_mutex_unlock(&T.lock);
}

static const struct map_field_ops field_ops = {value_free, map_release};

/* ---- set up, and forgotten in a fork's child ---- */

static void new_token(void)
{
	uint32_t t = 0;

	while (!t)
		if (getrandom(&t, sizeof(t), GRND_NONBLOCK) != (ssize_t)sizeof(t))
			t = (uint32_t)getpid() * 2654435761u ^ (uint32_t)time(NULL);
	T.token = t;
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&T.lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&T.lock);
}

/* The child has no timer thread, and the parent's timers are not its own:
 * they are forgotten (left as they are, never freed here). */
static void fork_child(void)
{
	T.table = NULL;
	T.nbuckets = T.count = 0;
	memset(T.heaps, 0, sizeof(T.heaps));
	T.started = T.stopping = false;
	T.running = NULL;
	new_token();
	pthread_mutex_unlock(&T.lock);
}

static void setup(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&T.wake, &a);
	pthread_condattr_destroy(&a);
	new_token();
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	map_field_ops_set(&field_ops);
}

/* ---- arguments ---- */

static uint64_t ERR(int e)
{
	return (uint64_t)(int64_t)e;
}

static bool slot_in(const struct bpfmap *m, uint64_t slot)
{
	uint64_t start = (uint64_t)(uintptr_t)m->data;

	return map_timer_off(m) >= 0 && slot % 8 == 0 && slot >= start && m->hdr->data_size >= 16 &&
	       slot - start <= m->hdr->data_size - 16;
}

/* The timer argument: 16 bytes in the storage of a map of the run whose
 * values hold a bpf_timer (a verifier would see to it; not checked: that
 * it is the timer of a value), else the run stops with a fault. */
static _Atomic uint64_t *slot_arg(uint64_t slot, struct vm_run *run, const char *helper)
{
	for (size_t i = 0; i < run->map_cnt + run->extra_map_cnt; i++) {
		const struct bpfmap *m =
			i < run->map_cnt ? run->maps[i] : run->extra_maps[i - run->map_cnt];

		if (slot_in(m, slot))
			return (_Atomic uint64_t *)(uintptr_t)slot;
	}
	vm_helper_fault(run, "helper %s: argument R1 (0x%llx) is not a bpf_timer in a map value",
			helper, (unsigned long long)slot);
	return NULL;
}

/* A callback must be a function of the program that runs (as vm_call_function checks). */
static bool func_ok(const struct vm_run *run, uint64_t func)
{
	uint64_t first = (uint64_t)(uintptr_t)run->prog->insns;

	return func >= first && (func - first) % sizeof(struct vm_insn) == 0 &&
	       (func - first) / sizeof(struct vm_insn) < run->prog->insn_cnt;
}

/* ---- the helpers ---- */

/* bpf_timer_init(timer, map, flags): flags is the clock (MONOTONIC,
 * REALTIME or BOOTTIME), else -EINVAL; -EBUSY if initialised (here or by a
 * live process), -EPERM if user space holds the map no longer. */
TIMER_HELPER_FN(timer_init)
{
	struct bpfmap *m = (struct bpfmap *)(uintptr_t)r2;
	_Atomic uint64_t *slot = (_Atomic uint64_t *)(uintptr_t)r1;
	uint64_t flags = r3, old;
	void *stale = NULL;
	struct timer *t;
	int clk, err = 0;

	(void)r4, (void)r5;
	if (flags >= MAX_CLOCKS)
		return ERR(-EINVAL);
	clk = flags == CLOCK_MONOTONIC	? CLK_MONO
	      : flags == CLOCK_REALTIME ? CLK_REAL
	      : flags == CLOCK_BOOTTIME ? CLK_BOOT
					: -1;
	if (clk < 0)
		return ERR(-EINVAL);
	if (!slot_in(m, r1)) {
		vm_helper_fault(run,
				"helper bpf_timer_init: argument R1 (0x%llx) is not a bpf_timer in "
				"a value of the map in R2",
				(unsigned long long)r1);
		return 0;
	}
	pthread_once(&once, setup);
	pthread_mutex_lock(&T.lock);
	t = find(slot, &stale);
	old = atomic_load(slot);
	if (t || foreign(slot))
		err = -EBUSY;
	else if (!map_has_uref(m))
		err = -EPERM; /* nothing would ever cancel it */
	else if (!(t = calloc(1, sizeof(*t))))
		err = -ENOMEM;
	if (err)
		goto out;
	t->slot = slot;
	t->map = m;
	t->clock = clk;
	t->pos = NOT_ARMED;
	if (++T.serial == 0)
		T.serial = 1;
	t->stamp = (uint64_t)T.token << 32 | T.serial;
	if (m->hdr->map_type == BPF_MAP_TYPE_ARRAY)
		t->index = (uint32_t)(((uint8_t *)(uintptr_t)slot - map_timer_off(m) - m->data) /
				      round_up8(m->value_size));
	/* the bytes may hold what a dead owner or a scribbling program left */
	if (!atomic_compare_exchange_strong(slot, &old, t->stamp))
		err = -EBUSY;
	else if ((err = table_add(t)) != 0)
		atomic_store(slot, 0);
	if (err) {
		free(t);
		goto out;
	}
	atomic_store(&slot[1], (uint32_t)getpid());
out:
	pthread_mutex_unlock(&T.lock);
	put_prog(stale);
	return ERR(err);
}

/* bpf_timer_set_callback(timer, callback_fn): the timer keeps the running
 * program (a reference) and calls callback_fn when it fires. */
TIMER_HELPER_FN(timer_set_callback)
{
	_Atomic uint64_t *slot = slot_arg(r1, run, "bpf_timer_set_callback");
	const struct timer_host *host = atomic_load(&T.host);
	void *stale = NULL, *prog = NULL, *put = NULL;
	struct timer *t;
	int err = 0;

	(void)r3, (void)r4, (void)r5;
	if (!slot)
		return 0;
	if (!func_ok(run, r2)) {
		vm_helper_fault(run,
				"helper bpf_timer_set_callback: argument R2 (0x%llx) is not a "
				"function of the program",
				(unsigned long long)r2);
		return 0;
	}
	pthread_once(&once, setup);
	pthread_mutex_lock(&T.lock);
	t = find(slot, &stale);
	if (!t)
		err = foreign(slot) ? -EPERM : -EINVAL;
	else if (!map_has_uref(t->map))
		err = -EPERM;
	else if (!host || !(prog = host->prog_get(run)))
		err = -EOPNOTSUPP;
	if (!err) {
		/* one reference per timer, whichever function of its program it calls */
		if (prog == t->prog) {
			put = prog;
		} else {
			put = t->prog;
			t->prog = prog;
		}
		t->func = r2;
	}
	pthread_mutex_unlock(&T.lock);
	put_prog(stale);
	put_prog(put);
	if (err == -EOPNOTSUPP)
		vm_helper_fault(run, "helper bpf_timer_set_callback: this run has no program that "
				     "could outlive it");
	return ERR(err);
}

/* bpf_timer_start(timer, nsecs, flags): armed (again) to fire nsecs from now,
 * or at nsecs with BPF_F_TIMER_ABS, on the timer's clock; BPF_F_TIMER_CPU_PIN
 * is accepted (there is one timer thread). -EINVAL without a callback. */
TIMER_HELPER_FN(timer_start)
{
	_Atomic uint64_t *slot;
	uint64_t ns = r2, flags = r3;
	void *stale = NULL;
	struct timer *t;
	int err = 0;

	(void)r4, (void)r5;
	if (flags & ~(uint64_t)(TIMER_ABS | TIMER_CPU_PIN))
		return ERR(-EINVAL);
	slot = slot_arg(r1, run, "bpf_timer_start");
	if (!slot)
		return 0;
	pthread_once(&once, setup);
	pthread_mutex_lock(&T.lock);
	t = find(slot, &stale);
	if (!t)
		err = foreign(slot) ? -EPERM : -EINVAL;
	else if (!t->prog)
		err = -EINVAL;
	if (!err) {
		int64_t now = clock_ns(t->clock);

		/* as hrtimer_start: an absolute time is signed (the past fires at
		 * once), a relative one too long saturates */
		if (flags & TIMER_ABS)
			t->deadline = (int64_t)ns;
		else
			t->deadline = ns > (uint64_t)(NEVER - now) ? NEVER : now + (int64_t)ns;
		disarm(t);
		err = heap_push(&T.heaps[t->clock], t);
		if (!err)
			err = kick();
		if (err)
			disarm(t);
	}
	pthread_mutex_unlock(&T.lock);
	put_prog(stale);
	return ERR(err);
}

/* bpf_timer_cancel(timer): 1 if it was armed, else 0, once its callback (if
 * it runs elsewhere) has returned; its callback is forgotten, as the
 * kernel's (start again needs set_callback). -EDEADLK from its own callback. */
TIMER_HELPER_FN(timer_cancel)
{
	_Atomic uint64_t *slot = slot_arg(r1, run, "bpf_timer_cancel");
	void *stale = NULL, *prog = NULL;
	struct timer *t;
	int ret = 0;

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (!slot)
		return 0;
	pthread_once(&once, setup);
	pthread_mutex_lock(&T.lock);
	t = find(slot, &stale);
	if (!t) {
		ret = foreign(slot) ? -EPERM : -EINVAL;
	} else if (T.running == t && on_thread()) {
		ret = -EDEADLK;
	} else {
		prog = t->prog;
		t->prog = NULL;
		t->func = 0;
		ret = disarm(t);
		wait_callback(t);
	}
	pthread_mutex_unlock(&T.lock);
	put_prog(stale);
	put_prog(prog);
	return ERR(ret);
}
