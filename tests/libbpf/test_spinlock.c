/* bpf_spin_lock from a clang-compiled program loaded by Debian's libbpf
 * (tests/bpf/spinlock.bpf.o): values of a hash and an array map hold a
 * struct bpf_spin_lock; the program bumps a and b together under it. Checked:
 * the lock word is never copied (lookups show it as 0, updates keep it),
 * BPF_F_LOCK lookups and updates, and threads that run the program while
 * others read and write with BPF_F_LOCK: no increment lost, never a != b seen
 * under the lock; the same with a lock in global data (.bss.G, a datasec). With -DKERNEL_BACKEND
 * the same checks run against the kernel. Usage: test_spinlock OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

struct val {
	__u64 a;
	__u32 lock; /* struct bpf_spin_lock */
	__u32 pad;
	__u64 b;
};

struct args {
	__u32 key;
	__u32 times;
	__u64 torn;
};

#define THREADS 4
#define RUNS 100
#define TIMES 64

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int run(struct bpf_program *prog, __u32 key, __u32 times, __u64 *torn)
{
	struct args a = {.key = key, .times = times};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	*torn = a.torn;
	return err ? err : (int)opts.retval;
}

struct job {
	struct bpf_program *prog;
	int map_fd;
	atomic_int *stop;
	int fails;	 /* runs that failed */
	__u64 torn;	 /* a != b seen under the lock */
	long reads, bad; /* BPF_F_LOCK lookups, and those with a != b or a lock word */
	long writes, wfail;
};

static void *runner(void *p)
{
	struct job *j = p;

	for (int i = 0; i < RUNS; i++) {
		__u64 torn = 0;

		if (run(j->prog, 1, TIMES, &torn) != 0)
			j->fails++;
		j->torn += torn;
	}
	return NULL;
}

static void *reader(void *p)
{
	struct job *j = p;
	__u32 key = 1;
	struct val v;

	while (!atomic_load(j->stop)) {
		if (bpf_map_lookup_elem_flags(j->map_fd, &key, &v, BPF_F_LOCK) || v.a != v.b ||
		    v.lock)
			j->bad++;
		j->reads++;
	}
	return NULL;
}

/* BPF_F_LOCK updates that keep a == b (a program reads them under the lock) */
static void *writer(void *p)
{
	struct job *j = p;
	__u32 key = 1;

	while (!atomic_load(j->stop)) {
		struct val v = {.a = 1000000 + (__u64)j->writes,
				.lock = 1,
				.b = 1000000 + (__u64)j->writes};

		if (bpf_map_update_elem(j->map_fd, &key, &v, BPF_F_LOCK))
			j->wfail++;
		j->writes++;
	}
	return NULL;
}

static void lookup(int fd, __u32 key, __u64 flags, struct val *v)
{
	memset(v, 0xee, sizeof(*v));
	CHECK(bpf_map_lookup_elem_flags(fd, &key, v, flags) == 0, "lookup key %u flags 0x%llx: %s",
	      key, (unsigned long long)flags, strerror(errno));
}

/* What user space sees of the lock word, and BPF_F_LOCK on one map. */
static void copies(const char *name, int fd)
{
	struct val v = {.a = 7, .lock = 0xdeadbeef, .pad = 9, .b = 8}, out;
	__u32 key = 1;
	int err;

	CHECK(bpf_map_update_elem(fd, &key, &v, 0) == 0, "%s: update: %s", name, strerror(errno));
	lookup(fd, key, 0, &out);
	CHECK(out.a == 7 && out.lock == 0 && out.pad == 9 && out.b == 8,
	      "%s: lookup: a %llu lock 0x%x pad %u b %llu", name, (unsigned long long)out.a,
	      out.lock, out.pad, (unsigned long long)out.b);
	v = (struct val){.a = 3, .lock = 0xffffffff, .pad = 4, .b = 3};
	CHECK(bpf_map_update_elem(fd, &key, &v, BPF_F_LOCK) == 0, "%s: update BPF_F_LOCK: %s", name,
	      strerror(errno));
	lookup(fd, key, BPF_F_LOCK, &out);
	CHECK(out.a == 3 && out.lock == 0 && out.pad == 4 && out.b == 3,
	      "%s: lookup BPF_F_LOCK: a %llu lock 0x%x pad %u b %llu", name,
	      (unsigned long long)out.a, out.lock, out.pad, (unsigned long long)out.b);
	err = bpf_map_update_elem(fd, &key, &v, BPF_F_LOCK | BPF_NOEXIST);
	CHECK(err == -EEXIST, "%s: BPF_F_LOCK | BPF_NOEXIST on an element: %d", name, err);
	v = (struct val){0};
	CHECK(bpf_map_update_elem(fd, &key, &v, BPF_F_LOCK | BPF_EXIST) == 0, "%s: reset: %s", name,
	      strerror(errno));
}

/* Programs on THREADS threads, a BPF_F_LOCK reader; then with a BPF_F_LOCK writer. */
static void contend(const char *name, struct bpf_program *prog, int fd)
{
	pthread_t th[THREADS + 1];
	struct job jobs[THREADS + 1];
	atomic_int stop = 0;
	__u64 torn = 0;
	struct val out;
	int fails = 0;

	CHECK(run(prog, 1, 10, &torn) == 0 && torn == 0, "%s: one run", name);
	lookup(fd, 1, BPF_F_LOCK, &out);
	CHECK(out.a == 10 && out.b == 10, "%s: after one run: a %llu b %llu", name,
	      (unsigned long long)out.a, (unsigned long long)out.b);

	for (int i = 0; i <= THREADS; i++) {
		jobs[i] = (struct job){.prog = prog, .map_fd = fd, .stop = &stop};
		pthread_create(&th[i], NULL, i < THREADS ? runner : reader, &jobs[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		fails += jobs[i].fails;
		torn += jobs[i].torn;
	}
	atomic_store(&stop, 1);
	pthread_join(th[THREADS], NULL);
	lookup(fd, 1, BPF_F_LOCK, &out);
	CHECK(fails == 0 && torn == 0, "%s: %d runs failed, %llu torn reads", name, fails,
	      (unsigned long long)torn);
	CHECK(out.a == 10 + (__u64)THREADS * RUNS * TIMES && out.b == out.a,
	      "%s: %d threads: a %llu b %llu, want %llu", name, THREADS, (unsigned long long)out.a,
	      (unsigned long long)out.b, (unsigned long long)(10 + (__u64)THREADS * RUNS * TIMES));
	CHECK(jobs[THREADS].bad == 0, "%s: %ld of %ld BPF_F_LOCK lookups saw a != b", name,
	      jobs[THREADS].bad, jobs[THREADS].reads);

	/* a BPF_F_LOCK writer against the programs */
	atomic_store(&stop, 0);
	torn = 0;
	fails = 0;
	for (int i = 0; i <= THREADS; i++) {
		jobs[i] = (struct job){.prog = prog, .map_fd = fd, .stop = &stop};
		pthread_create(&th[i], NULL, i < THREADS ? runner : writer, &jobs[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		fails += jobs[i].fails;
		torn += jobs[i].torn;
	}
	atomic_store(&stop, 1);
	pthread_join(th[THREADS], NULL);
	lookup(fd, 1, BPF_F_LOCK, &out);
	CHECK(fails == 0 && torn == 0 && jobs[THREADS].wfail == 0,
	      "%s: with a writer: %d runs failed, %llu torn reads, %ld of %ld writes failed", name,
	      fails, (unsigned long long)torn, jobs[THREADS].wfail, jobs[THREADS].writes);
	CHECK(out.a == out.b && out.lock == 0, "%s: with a writer: a %llu b %llu lock 0x%x", name,
	      (unsigned long long)out.a, (unsigned long long)out.b, out.lock);
}

/* The lock in global data (.bss.G: glock, ga, gb): programs on THREADS threads */
static void global(struct bpf_program *prog, struct bpf_map *map)
{
	struct {
		__u32 lock, pad;
		__u64 a, b;
	} out;
	pthread_t th[THREADS];
	struct job jobs[THREADS];
	__u64 torn = 0, want = (__u64)THREADS * RUNS * TIMES;
	__u32 key = 0;
	int fails = 0, err;

	CHECK(bpf_map__value_size(map) == sizeof(out), ".bss.G: value size %u",
	      bpf_map__value_size(map));
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (struct job){.prog = prog};
		pthread_create(&th[i], NULL, runner, &jobs[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		fails += jobs[i].fails;
		torn += jobs[i].torn;
	}
	memset(&out, 0xee, sizeof(out));
	err = bpf_map_lookup_elem_flags(bpf_map__fd(map), &key, &out, BPF_F_LOCK);
	CHECK(err == 0 && fails == 0 && torn == 0, "global: lookup %d, %d runs failed, %llu torn",
	      err, fails, (unsigned long long)torn);
	CHECK(out.lock == 0 && out.a == want && out.b == want, "global: lock 0x%x a %llu b %llu",
	      out.lock, (unsigned long long)out.a, (unsigned long long)out.b);
}

int main(int argc, char **argv)
{
	struct bpf_program *hprog, *aprog, *gprog;
	struct bpf_object *obj;
	bool skipped;
	struct bpf_map *hmap, *amap, *gmap;
	__u64 torn = 0;

	if (argc != 2)
		return 2;
	libbpf_set_print(quiet);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	hprog = bpf_object__find_program_by_name(obj, "add_hash");
	aprog = bpf_object__find_program_by_name(obj, "add_array");
	hmap = bpf_object__find_map_by_name(obj, "hcounts");
	amap = bpf_object__find_map_by_name(obj, "acounts");
	CHECK(hprog && aprog && hmap && amap, "programs and maps");
	if (!hprog || !aprog || !hmap || !amap)
		return TEST_DONE();
	CHECK(bpf_map__value_size(hmap) == sizeof(struct val), "value size %u",
	      bpf_map__value_size(hmap));

	CHECK(run(hprog, 1, 1, &torn) == 1, "no element yet: the program returns 1");
	copies("hash", bpf_map__fd(hmap));
	copies("array", bpf_map__fd(amap));
	contend("hash", hprog, bpf_map__fd(hmap));
	contend("array", aprog, bpf_map__fd(amap));
	gprog = bpf_object__find_program_by_name(obj, "add_global");
	gmap = bpf_object__find_map_by_name(obj, ".bss.G");
	CHECK(gprog && gmap, "add_global and .bss.G");
	if (gprog && gmap)
		global(gprog, gmap);

	bpf_object__close(obj);
	return TEST_DONE();
}
