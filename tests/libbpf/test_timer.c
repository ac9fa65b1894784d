/* bpf_timer from a clang-compiled program loaded by Debian's libbpf
 * (tests/bpf/timer.bpf.o): syscall programs, one per map (hash, array, LRU
 * hash), call bpf_timer_init / set_callback / start / cancel on an element
 * and hand back what the helper returned; the callback counts its runs in
 * the value and then does what the value's mode asks. Checked, on each map:
 * every errno the helpers give, cancel's 1 and 0, a callback forgotten by
 * cancel, the key and map the callback gets, relative, absolute and pinned
 * starts, re-arming from the callback, -EDEADLK cancelling itself, cancelling
 * and starting a neighbour, deleting its own element; what user space sees of
 * the timer (zeros) and that its updates leave it alone; that an update (user
 * or program) or a delete frees an armed timer. Then the clocks, mmap, a
 * timer that keeps its program alive, a pinned map, and a map whose last fd
 * goes (its timers cancelled, bpf_timer_init -EPERM), threads racing on the
 * same timers, and (bpfhost only) what another process makes of a timer and
 * an LRU eviction. Waits are bounded polls: nothing is timed. With
 * -DKERNEL_BACKEND the same checks run against the kernel. Usage: test_timer OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#define CLK_REALTIME 0
#define CLK_MONOTONIC 1
#define CLK_BOOTTIME 7
#define TIMER_ABS 1
#define TIMER_CPU_PIN 2
#define MISSING -1000 /* what the program says when the element is not there */
#define ENOTSUPP 524
#define PIN "/sys/fs/bpf/bpfhost_test_timer_%d" /* the pid: tests may run at once */

struct elem {
	__u64 fired;
	__u32 seen_key, seen_map;
	__u64 t[2]; /* struct bpf_timer */
	__u32 mode, limit;
	__s64 ret;
	__u64 stamp;
};

enum mode {
	MODE_COUNT,
	MODE_REARM,
	MODE_CANCEL_SELF,
	MODE_CANCEL_NEXT,
	MODE_DELETE_SELF,
	MODE_START_NEXT
};
enum op { OP_INIT, OP_SET_CALLBACK, OP_START, OP_CANCEL, OP_DELETE, OP_UPDATE };

struct args {
	__u32 key, op;
	__u64 flags, ns;
	__s64 ret;
};

enum { HASH, ARRAY, LRU, LRU_SMALL, NMAPS };
static const char *const names[NMAPS] = {"hash", "array", "lru", "lru of 2"};
static int prog_fd[NMAPS], map_fd[NMAPS], counts_fd;
static __u32 hash_prog_id;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The helper's return value (MISSING: no such element), or 100000 + the test run's error */
static long op(int m, __u32 key, enum op o, __u64 flags, __u64 ns)
{
	struct args a = {.key = key, .op = o, .flags = flags, .ns = ns};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(prog_fd[m], &opts);

	return err ? 100000 + err : a.ret;
}

static struct elem get(int m, __u32 key, int *err)
{
	struct elem e;

	memset(&e, 0xee, sizeof(e));
	*err = bpf_map_lookup_elem(map_fd[m], &key, &e) ? -errno : 0;
	return e;
}

/* An element with a mode, its timer bytes set to what must never get in */
static void put(int m, __u32 key, enum mode mode, __u32 limit, __u64 stamp)
{
	struct elem e = {.mode = mode, .limit = limit, .stamp = stamp, .t = {0x1111, 0x2222}};

	CHECK(bpf_map_update_elem(map_fd[m], &key, &e, 0) == 0, "%s: update key %u: %s", names[m],
	      key, strerror(errno));
}

/* Polls (a few seconds at most) until key's callback has run n times. */
static struct elem wait_fired(int m, __u32 key, __u64 n)
{
	struct elem e;
	int err = 0;

	for (int i = 0; i < 500; i++) {
		e = get(m, key, &err);
		if (err || e.fired >= n)
			break;
		usleep(10000);
	}
	CHECK(!err && e.fired == n, "%s key %u: lookup %d, fired %llu, want %llu", names[m], key,
	      err, (unsigned long long)e.fired, (unsigned long long)n);
	return e;
}

static __u64 total(void)
{
	__u32 zero = 0;
	__u64 v = 0;

	bpf_map_lookup_elem(counts_fd, &zero, &v);
	return v;
}

static __s64 now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define EXPECT(m, got, want)                                                                       \
	do {                                                                                       \
		long g_ = (got), w_ = (want);                                                      \
		CHECK(g_ == w_, "%s: %s = %ld, want %ld", names[m], #got, g_, w_);                 \
	} while (0)

/* The errno of each helper on one element, and cancel's answers */
static void errors(int m)
{
	struct elem e;
	int err;

	if (m != ARRAY) {
		EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), MISSING);
		put(m, 1, MODE_COUNT, 0, 0x55);
	}
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_START, 0, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_INIT, 16, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_INIT, 2, 0), -EINVAL);  /* CLOCK_PROCESS_CPUTIME_ID */
	EXPECT(m, op(m, 1, OP_INIT, 4, 0), -EINVAL);  /* CLOCK_MONOTONIC_RAW */
	EXPECT(m, op(m, 1, OP_INIT, 8, 0), -EINVAL);  /* CLOCK_REALTIME_ALARM */
	EXPECT(m, op(m, 1, OP_INIT, 11, 0), -EINVAL); /* CLOCK_TAI */
	EXPECT(m, op(m, 1, OP_INIT, 1ull << 32 | 1, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), -EBUSY);
	EXPECT(m, op(m, 1, OP_INIT, CLK_BOOTTIME, 0), -EBUSY);
	EXPECT(m, op(m, 1, OP_INIT, 16, 0), -EINVAL); /* flags first */
	/* what user space sees: the timer as zeros, the rest as stored */
	e = get(m, 1, &err);
	CHECK(!err && !e.t[0] && !e.t[1] && e.fired == 0 && (m == ARRAY || e.stamp == 0x55),
	      "%s: lookup after init: %d, timer %llx %llx", names[m], err,
	      (unsigned long long)e.t[0], (unsigned long long)e.t[1]);
	EXPECT(m, op(m, 1, OP_START, 0, 1000), -EINVAL); /* no callback yet */
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, 4, 1000), -EINVAL);
	EXPECT(m, op(m, 1, OP_START, 1ull << 40, 1000), -EINVAL);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, 8, 1000), -EINVAL);
	EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
	EXPECT(m, op(m, 1, OP_START, 0, 2000000000), 0); /* again: armed anew */
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), 1);
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), 0);
	/* cancel forgets the callback */
	EXPECT(m, op(m, 1, OP_START, 0, 1000), -EINVAL);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, 0, 1000000), 0);
	e = wait_fired(m, 1, 1);
	CHECK(e.seen_key == 1 && e.seen_map == (__u32)m + 1, "%s: callback got key %u map %u",
	      names[m], e.seen_key, e.seen_map);
	/* fired: no longer armed, the callback kept */
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, TIMER_ABS, 0), 0); /* a time past: at once */
	wait_fired(m, 1, 2);
	EXPECT(m, op(m, 1, OP_START, TIMER_CPU_PIN, 1000), 0);
	wait_fired(m, 1, 3);
	EXPECT(m,
	       op(m, 1, OP_START, TIMER_ABS | TIMER_CPU_PIN, (__u64)now(CLOCK_MONOTONIC) + 1000000),
	       0);
	wait_fired(m, 1, 4);
	EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), -EBUSY);
}

/* Updates and deletes free an armed timer: afterwards it is not initialised */
static void freed(int m)
{
	struct elem e;
	int err;
	__u64 before = total();

	/* key 1: initialised, with a callback (errors() left it so) */
	EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
	put(m, 1, MODE_COUNT, 0, 0x66);
	e = get(m, 1, &err);
	CHECK(!err && !e.t[0] && !e.t[1] && e.stamp == 0x66 && e.fired == 0,
	      "%s: lookup after a user update: %d stamp %llx timer %llx %llx", names[m], err,
	      (unsigned long long)e.stamp, (unsigned long long)e.t[0], (unsigned long long)e.t[1]);
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_START, 0, 1000), -EINVAL);
	EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
	EXPECT(m, op(m, 1, OP_UPDATE, BPF_ANY, 0x77), 0);
	e = get(m, 1, &err);
	CHECK(!err && e.stamp == 0x77, "%s: after a program's update: %d stamp %llx", names[m], err,
	      (unsigned long long)e.stamp);
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), -EINVAL);
	EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
	EXPECT(m, op(m, 1, OP_UPDATE, BPF_NOEXIST, 0x88), -EEXIST);
	EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), 1); /* a failed update frees nothing */
	if (m == ARRAY) {
		__u32 key = 1;

		EXPECT(m, op(m, 1, OP_DELETE, 0, 0), -EINVAL);
		CHECK(bpf_map_delete_elem(map_fd[m], &key) == -EINVAL, "array: delete: %d", errno);
	} else {
		__u32 key = 1;

		EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
		EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
		CHECK(bpf_map_delete_elem(map_fd[m], &key) == 0, "%s: delete: %s", names[m],
		      strerror(errno));
		put(m, 1, MODE_COUNT, 0, 0x99);
		EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), -EINVAL);
		EXPECT(m, op(m, 1, OP_INIT, CLK_MONOTONIC, 0), 0);
		EXPECT(m, op(m, 1, OP_SET_CALLBACK, 0, 0), 0);
		EXPECT(m, op(m, 1, OP_START, 0, 1000000000), 0);
		EXPECT(m, op(m, 1, OP_DELETE, 0, 0), 0);
		EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), MISSING);
		put(m, 1, MODE_COUNT, 0, 0xaa);
		EXPECT(m, op(m, 1, OP_CANCEL, 0, 0), -EINVAL);
		EXPECT(m, op(m, 1, OP_DELETE, 0, 0), 0);
		EXPECT(m, op(m, 1, OP_DELETE, 0, 0), -ENOENT);
	}
	/* the freed timers never fired */
	usleep(20000);
	EXPECT(m, (long)(total() - before), 0);
}

/* What the callback itself does: re-arm, cancel itself or a neighbour, start
 * a neighbour, delete its element */
static void callbacks(int m)
{
	struct elem e;
	int err;

	put(m, 2, MODE_CANCEL_SELF, 0, 0);
	EXPECT(m, op(m, 2, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 2, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 2, OP_START, 0, 1000), 0);
	e = wait_fired(m, 2, 1);
	EXPECT(m, e.ret, -EDEADLK);
	EXPECT(m, op(m, 2, OP_CANCEL, 0, 0), 0);
	EXPECT(m, op(m, 2, OP_START, 0, 1000), -EINVAL);

	put(m, 3, MODE_REARM, 5, 0);
	EXPECT(m, op(m, 3, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 3, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 3, OP_START, 0, 1000), 0);
	e = wait_fired(m, 3, 5);
	EXPECT(m, e.ret, 0);
	usleep(20000);
	e = get(m, 3, &err);
	EXPECT(m, (long)e.fired, 5);

	/* key 4 cancels key 5, which is armed far ahead */
	put(m, 4, MODE_CANCEL_NEXT, 0, 0);
	put(m, 5, MODE_COUNT, 0, 0);
	EXPECT(m, op(m, 5, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 5, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 5, OP_START, 0, 10000000000ull), 0);
	EXPECT(m, op(m, 4, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 4, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 4, OP_START, 0, 1000), 0);
	e = wait_fired(m, 4, 1);
	EXPECT(m, e.ret, 1);
	EXPECT(m, op(m, 5, OP_CANCEL, 0, 0), 0);
	EXPECT(m, op(m, 5, OP_START, 0, 1000), -EINVAL);
	/* key 4 fires again: key 5 is not armed now */
	EXPECT(m, op(m, 4, OP_START, 0, 1000), 0);
	e = wait_fired(m, 4, 2);
	EXPECT(m, e.ret, 0);

	/* key 6 starts key 7 */
	put(m, 6, MODE_START_NEXT, 0, 0);
	put(m, 7, MODE_COUNT, 0, 0);
	EXPECT(m, op(m, 7, OP_INIT, CLK_BOOTTIME, 0), 0);
	EXPECT(m, op(m, 7, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 6, OP_INIT, CLK_REALTIME, 0), 0);
	EXPECT(m, op(m, 6, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 6, OP_START, 0, 1000), 0);
	e = wait_fired(m, 6, 1);
	EXPECT(m, e.ret, 0);
	e = wait_fired(m, 7, 1);
	CHECK(e.seen_key == 7, "%s: key 7's callback got key %u", names[m], e.seen_key);

	/* key 2 deletes its own element */
	put(m, 2, MODE_DELETE_SELF, 0, 0);
	EXPECT(m, op(m, 2, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(m, op(m, 2, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(m, op(m, 2, OP_START, 0, 1000), 0);
	if (m == ARRAY) {
		e = wait_fired(m, 2, 1);
		EXPECT(m, e.ret, -EINVAL);
		EXPECT(m, op(m, 2, OP_CANCEL, 0, 0), 0);
	} else {
		for (int i = 0; i < 500; i++) {
			e = get(m, 2, &err);
			if (err)
				break;
			usleep(10000);
		}
		EXPECT(m, err, -ENOENT);
		EXPECT(m, op(m, 2, OP_CANCEL, 0, 0), MISSING);
	}
}

/* Absolute times on the timer's own clock */
static void clocks(void)
{
	struct elem e;
	int err;

	put(HASH, 6, MODE_COUNT, 0, 0);
	EXPECT(HASH, op(HASH, 6, OP_INIT, CLK_REALTIME, 0), 0);
	EXPECT(HASH, op(HASH, 6, OP_SET_CALLBACK, 0, 0), 0);
	/* an hour ahead on the wall clock: armed, never fired */
	EXPECT(HASH,
	       op(HASH, 6, OP_START, TIMER_ABS, (__u64)now(CLOCK_REALTIME) + 3600000000000ull), 0);
	usleep(20000);
	e = get(HASH, 6, &err);
	EXPECT(HASH, (long)e.fired, 0);
	EXPECT(HASH, op(HASH, 6, OP_CANCEL, 0, 0), 1);
	put(HASH, 7, MODE_COUNT, 0, 0);
	EXPECT(HASH, op(HASH, 7, OP_INIT, CLK_BOOTTIME, 0), 0);
	EXPECT(HASH, op(HASH, 7, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(HASH, op(HASH, 7, OP_START, TIMER_ABS, (__u64)now(CLOCK_BOOTTIME) + 1000000), 0);
	wait_fired(HASH, 7, 1);
	/* a relative time too far for any clock: armed for ever */
	EXPECT(HASH, op(HASH, 7, OP_START, 0, ~0ull), 0);
	EXPECT(HASH, op(HASH, 7, OP_CANCEL, 0, 0), 1);
}

static void no_mmap(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "mmapped");
	void *p;

	CHECK(map != NULL, "map mmapped");
	if (!map)
		return;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, bpf_map__fd(map), 0);
	CHECK(p == MAP_FAILED && errno == ENOTSUPP, "mmap of values with a timer: %p errno %d", p,
	      errno);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* BPF_F_LOCK updates of a value with a lock and a timer: a hash element's
 * is made in place and keeps its armed timer, an array's frees it */
static void locked(struct bpf_object *obj)
{
	static const char *const progs[2] = {"locked_hash", "locked_array"};
	static const char *const maps[2] = {"lockh", "locka"};

	for (int i = 0; i < 2; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, progs[i]);
		struct bpf_map *map = bpf_object__find_map_by_name(obj, maps[i]);
		struct {
			__u32 l, pad;
			__u64 t[2], x;
		} v = {0};
		__u32 key = 1;
		struct args a = {.key = 1};
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
		long want[] = {0, 0, 0, i ? -EINVAL : 1};
		enum op ops[] = {OP_INIT, OP_SET_CALLBACK, OP_START, OP_CANCEL};

		CHECK(p && map, "%s, %s", progs[i], maps[i]);
		if (!p || !map)
			return;
		CHECK(bpf_map_update_elem(bpf_map__fd(map), &key, &v, 0) == 0, "%s: update: %s",
		      maps[i], strerror(errno));
		for (int k = 0; k < 4; k++) {
			if (k == 3) {
				v.x = 5;
				CHECK(bpf_map_update_elem(bpf_map__fd(map), &key, &v, BPF_F_LOCK) ==
					      0,
				      "%s: update BPF_F_LOCK: %s", maps[i], strerror(errno));
			}
			a = (struct args){.key = 1,
					  .op = ops[k],
					  .flags = k == 0 ? CLK_MONOTONIC : 0,
					  .ns = 1000000000};
			CHECK(bpf_prog_test_run_opts(bpf_program__fd(p), &opts) == 0 &&
				      a.ret == want[k],
			      "%s: op %d: %lld, want %ld", maps[i], ops[k], (long long)a.ret,
			      want[k]);
		}
	}
}

/* fd stops being ours (user space's reference goes) without its number
 * being freed: libbpf closes it again later. */
static void close_keep_number(int fd)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	close(fd);
	dup2(null, fd);
	close(null);
}

/* A timer keeps its program: the program's fd closed, its callbacks still
 * run. Key 4 re-arms itself without end and key 6 is armed 10 s ahead when
 * the object is closed: the map's last fd takes them (the test ends at once). */
static void keeps_program(void)
{
	struct elem e;
	int err = 0;

	put(HASH, 4, MODE_REARM, 0xffffffff, 0);
	EXPECT(HASH, op(HASH, 4, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(HASH, op(HASH, 4, OP_SET_CALLBACK, 0, 0), 0);
	put(HASH, 6, MODE_COUNT, 0, 0);
	EXPECT(HASH, op(HASH, 6, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(HASH, op(HASH, 6, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(HASH, op(HASH, 6, OP_START, 0, 10000000000ull), 0);
	EXPECT(HASH, op(HASH, 4, OP_START, 0, 1000), 0);
	close_keep_number(prog_fd[HASH]);
	for (int i = 0; i < 500; i++) {
		e = get(HASH, 4, &err);
		if (err || e.fired >= 3)
			break;
		usleep(10000);
	}
	CHECK(!err && e.fired >= 3, "key 4 with its program's fd closed: lookup %d, fired %llu",
	      err, (unsigned long long)e.fired);
}

/* Threads that init, set, start, cancel, update and delete the same few
 * hash elements while their callbacks re-arm themselves: every answer one
 * the kernel may give, nothing stuck, nothing freed under a callback. */
#define STRESS_THREADS 4
#define STRESS_OPS 3000

static void *stresser(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg, *bad = calloc(1, sizeof(*bad));

	for (int i = 0; bad && i < STRESS_OPS; i++) {
		__u32 key = 1 + rand_r(&seed) % 3;
		struct elem e = {.mode = MODE_REARM, .limit = 0xffffffff};
		long r;

		switch (rand_r(&seed) % 7) {
		case 0:
			r = op(HASH, key, OP_INIT, CLK_MONOTONIC, 0);
			/* the kernel's allocator runs dry under this churn */
			*bad += r != 0 && r != -EBUSY && r != MISSING && r != -ENOMEM;
			break;
		case 1:
			r = op(HASH, key, OP_SET_CALLBACK, 0, 0);
			*bad += r != 0 && r != -EINVAL && r != MISSING;
			break;
		case 2:
		case 3:
			r = op(HASH, key, OP_START, 0, rand_r(&seed) % 2 ? 1000 : 100000);
			*bad += r != 0 && r != -EINVAL && r != MISSING;
			break;
		case 4:
			r = op(HASH, key, OP_CANCEL, 0, 0);
			*bad += r != 0 && r != 1 && r != -EINVAL && r != MISSING;
			break;
		case 5: *bad += bpf_map_update_elem(map_fd[HASH], &key, &e, 0) != 0; break;
		case 6:
			r = op(HASH, key, OP_DELETE, 0, 0);
			*bad += r != 0 && r != -ENOENT;
			break;
		}
	}
	return bad;
}

static void stress(void)
{
	pthread_t th[STRESS_THREADS];
	unsigned bad = 0;
	int fd;

	/* the program's fd was closed (keeps_program): another, by its id */
	fd = bpf_prog_get_fd_by_id(hash_prog_id);
	CHECK(fd >= 0, "the hash program by id: %s", strerror(errno));
	if (fd < 0)
		return;
	prog_fd[HASH] = fd;

	for (uintptr_t i = 0; i < STRESS_THREADS; i++)
		pthread_create(&th[i], NULL, stresser, (void *)(i + 1));
	for (int i = 0; i < STRESS_THREADS; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad += r ? *(unsigned *)r : 1;
		free(r);
	}
	CHECK(bad == 0, "stress: %u answers no kernel gives", bad);
	for (__u32 key = 1; key <= 3; key++)
		op(HASH, key, OP_DELETE, 0, 0);
	close(fd);
}

/* A pinned map's timers outlive its fds; a map nobody holds any more has its
 * timers cancelled, and bpf_timer_init says -EPERM */
static void user_refs(void)
{
	char pin[64];
	__u64 before;
	struct elem e;
	int fd, err;

	snprintf(pin, sizeof(pin), PIN, (int)getpid());
	put(LRU, 5, MODE_COUNT, 0, 0);
	EXPECT(LRU, op(LRU, 5, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(LRU, op(LRU, 5, OP_SET_CALLBACK, 0, 0), 0);
	unlink(pin);
	CHECK(bpf_obj_pin(map_fd[LRU], pin) == 0, "pin lru: %s", strerror(errno));
	EXPECT(LRU, op(LRU, 5, OP_START, 0, 100000000), 0);
	close_keep_number(map_fd[LRU]);
	fd = bpf_obj_get(pin);
	CHECK(fd >= 0, "get the pin: %s", strerror(errno));
	map_fd[LRU] = fd;
	for (int i = 0; i < 500; i++) {
		e = get(LRU, 5, &err);
		if (err || e.fired)
			break;
		usleep(10000);
	}
	CHECK(!err && e.fired == 1, "pinned lru: lookup %d fired %llu", err,
	      (unsigned long long)e.fired);
	unlink(pin);
	close(fd); /* the last reference: its timers go (none armed now) */

	/* the array: key 7 armed 1 s ahead, then its map's only fd closed; a hash
	 * timer 1.5 s ahead says when key 7 would have fired */
	put(HASH, 7, MODE_COUNT, 0, 0);
	EXPECT(HASH, op(HASH, 7, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(HASH, op(HASH, 7, OP_SET_CALLBACK, 0, 0), 0);
	put(ARRAY, 7, MODE_COUNT, 0, 0);
	EXPECT(ARRAY, op(ARRAY, 7, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(ARRAY, op(ARRAY, 7, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(ARRAY, op(ARRAY, 6, OP_INIT, CLK_MONOTONIC, 0), -EBUSY);
	EXPECT(ARRAY, op(ARRAY, 7, OP_START, 0, 1000000000), 0);
	before = total();
	close_keep_number(map_fd[ARRAY]);
	EXPECT(HASH, op(HASH, 7, OP_START, 0, 1500000000), 0);
	wait_fired(HASH, 7, 1);
	EXPECT(ARRAY, (long)(total() - before), 1); /* the hash timer's run only */
	/* the program still holds the map: its timers are gone, init refused */
	EXPECT(ARRAY, op(ARRAY, 7, OP_CANCEL, 0, 0), -EINVAL);
	EXPECT(ARRAY, op(ARRAY, 7, OP_INIT, CLK_MONOTONIC, 0), -EPERM);
	EXPECT(ARRAY, op(ARRAY, 0, OP_INIT, CLK_MONOTONIC, 0), -EPERM);
	EXPECT(ARRAY, op(ARRAY, 0, OP_SET_CALLBACK, 0, 0), -EINVAL);
}

#ifndef KERNEL_BACKEND
/* bpfhost only: a timer belongs to the process that initialised it (in the
 * kernel, a fork's parent and child share one). Another process on the same
 * map file sees it as initialised but not its own to use while its owner
 * lives; a timer whose owner died counts as not initialised. */
static void other_process(void)
{
	__u32 key = 2;
	struct elem fresh = {0};
	int status = -1;
	pid_t pid;

	put(HASH, 3, MODE_COUNT, 0, 0);
	EXPECT(HASH, op(HASH, 3, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(HASH, op(HASH, 3, OP_SET_CALLBACK, 0, 0), 0);
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		bad |= (op(HASH, 3, OP_INIT, CLK_MONOTONIC, 0) != -EBUSY) << 0;
		bad |= (op(HASH, 3, OP_SET_CALLBACK, 0, 0) != -EPERM) << 1;
		bad |= (op(HASH, 3, OP_START, 0, 1000) != -EPERM) << 2;
		bad |= (op(HASH, 3, OP_CANCEL, 0, 0) != -EPERM) << 3;
		/* one of its own, left behind when it exits */
		bad |= (bpf_map_update_elem(map_fd[HASH], &key, &fresh, 0) != 0) << 4;
		bad |= (op(HASH, 2, OP_INIT, CLK_MONOTONIC, 0) != 0) << 5;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child's view of the parent's timer: status 0x%x", status);
	EXPECT(HASH, op(HASH, 3, OP_START, 0, 1000), 0);
	wait_fired(HASH, 3, 1);
	EXPECT(HASH, op(HASH, 2, OP_CANCEL, 0, 0), -EINVAL);
	EXPECT(HASH, op(HASH, 2, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(HASH, op(HASH, 2, OP_CANCEL, 0, 0), 0);
}

/* bpfhost only (the kernel's LRU evicts by rules of its own): an element
 * evicted from a full LRU map takes its armed timer with it */
static void evicted(void)
{
	__u64 before = total();
	int err;

	put(LRU_SMALL, 1, MODE_COUNT, 0, 0);
	EXPECT(LRU_SMALL, op(LRU_SMALL, 1, OP_INIT, CLK_MONOTONIC, 0), 0);
	EXPECT(LRU_SMALL, op(LRU_SMALL, 1, OP_SET_CALLBACK, 0, 0), 0);
	EXPECT(LRU_SMALL, op(LRU_SMALL, 1, OP_START, 0, 50000000), 0);
	put(LRU_SMALL, 2, MODE_COUNT, 0, 0);
	put(LRU_SMALL, 3, MODE_COUNT, 0, 0); /* evicts key 1, the least recently used */
	get(LRU_SMALL, 1, &err);
	EXPECT(LRU_SMALL, err, -ENOENT);
	put(LRU_SMALL, 1, MODE_COUNT, 0, 0); /* evicts key 2: key 1 afresh */
	EXPECT(LRU_SMALL, op(LRU_SMALL, 1, OP_CANCEL, 0, 0), -EINVAL);
	usleep(100000); /* past the evicted timer's time: it never fired */
	EXPECT(LRU_SMALL, (long)(total() - before), 0);
}
#endif

int main(int argc, char **argv)
{
	static const char *const progs[NMAPS] = {"timer_hash", "timer_array", "timer_lru",
						 "timer_lru_small"};
	static const char *const maps[NMAPS] = {"hmap", "amap", "lmap", "lsmall"};
	struct bpf_object *obj;
	struct bpf_map *counts;
	bool skipped;

	if (argc != 2)
		return 2;
	libbpf_set_print(quiet);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	for (int m = 0; m < NMAPS; m++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, progs[m]);
		struct bpf_map *map = bpf_object__find_map_by_name(obj, maps[m]);

		CHECK(p && map, "program %s, map %s", progs[m], maps[m]);
		if (!p || !map)
			return TEST_DONE();
		prog_fd[m] = bpf_program__fd(p);
		map_fd[m] = bpf_map__fd(map);
	}
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		CHECK(bpf_obj_get_info_by_fd(prog_fd[HASH], &info, &len) == 0, "prog info: %s",
		      strerror(errno));
		hash_prog_id = info.id;
	}
	counts = bpf_object__find_map_by_name(obj, "counts");
	CHECK(counts != NULL, "map counts");
	if (!counts)
		return TEST_DONE();
	counts_fd = bpf_map__fd(counts);
	for (int m = HASH; m <= LRU; m++) {
		errors(m);
		freed(m);
		callbacks(m);
	}
#ifndef KERNEL_BACKEND
	other_process();
	evicted();
#endif
	clocks();
	no_mmap(obj);
	locked(obj);
	user_refs();
	keeps_program();
	stress();
	bpf_object__close(obj);
	return TEST_DONE();
}
