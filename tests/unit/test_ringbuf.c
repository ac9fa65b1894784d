/* Ring buffer and perf event array maps. Through bpf(), every errno edge on
 * bpfhost and, when this process may use bpf(2), on the running kernel with
 * the same expectations; mmap of a ring buffer fd (mapfd_mmap, as the wrappers
 * call it) against the kernel's mmap. Then bpfhost alone: the producer side
 * as the helpers call it (capacity, wakeup rules, records that wrap), epoll
 * on a ring fd (mapfd_epoll_*), producer threads and a consumer thread that
 * reads through the double mapping, a producer process waking a consumer
 * asleep in epoll_wait, and bpf_perf_event_output from a program (checked
 * interpreter, kernel helper table). */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "../../src/core/mmap.h"
#include "../../src/core/obj.h"
#include "../../src/helpers/kernel.h"
#include "../../src/maps/map.h"
#include "../../src/maps/perf_event_array.h"
#include "../../src/maps/ringbuf.h"
#include "../../src/vm/vm.h"
#include "test_util.h"
#include "backend.h"

#define ENOTSUPP 524
#define PG 4096

static void fd_close(const struct backend *be, int fd)
{
	if (fd < 0)
		return;
	if (!be->kernel && fd >= 0)
		mapfd_closed(fd);
	be_close(be, fd);
}

#define UPD(fd, k, v, f) be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, k, v, f)
#define GET(fd, k, v, f) be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, k, v, f)
#define POP(fd, k, v, f) be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, k, v, f)
#define DEL(fd, k) be_map_op(be, BPF_MAP_DELETE_ELEM, fd, k, NULL, 0)
#define NXT(fd, k, n) be_map_op(be, BPF_MAP_GET_NEXT_KEY, fd, k, n, 0)
#define FREEZE(fd) be_map_op(be, BPF_MAP_FREEZE, fd, NULL, NULL, 0)

static struct bpfmap *map_at(int fd, struct obj **o)
{
	int err = 0;

	*o = obj_from_fd(fd, OBJ_MAP, NULL, &err);
	return *o ? map_of(*o) : NULL;
}

/* A perf event a PERF_EVENT_ARRAY slot accepts, or -errno. */
static int perf_fd(void)
{
	struct perf_event_attr pe;
	long fd;

	memset(&pe, 0, sizeof(pe));
	pe.type = PERF_TYPE_SOFTWARE;
	pe.size = sizeof(pe);
	pe.config = PERF_COUNT_SW_BPF_OUTPUT;
	pe.sample_type = PERF_SAMPLE_RAW;
	pe.sample_period = 1;
	fd = syscall(__NR_perf_event_open, &pe, -1, 0, -1, 0);
	return fd < 0 ? -errno : (int)fd;
}

/* ---- creation ---- */

#define RB BPF_MAP_TYPE_RINGBUF
#define PA BPF_MAP_TYPE_PERF_EVENT_ARRAY

/* clang-format off */
static const struct {
	uint32_t type, ks, vs, me, flags;
	int want;
} creates[] = {
	{RB, 0, 0, PG, 0, 0}, {RB, 0, 0, 4 * PG, 0, 0}, {RB, 0, 0, 0, 0, -EINVAL},
	{RB, 0, 0, 3 * PG, 0, -EINVAL}, {RB, 0, 0, PG / 2, 0, -EINVAL}, {RB, 4, 0, PG, 0, -EINVAL},
	{RB, 0, 4, PG, 0, -EINVAL}, {RB, 0, 0, PG, BPF_F_NUMA_NODE, 0},
	{RB, 0, 0, PG, BPF_F_NO_PREALLOC, -EINVAL}, {RB, 0, 0, PG, BPF_F_RDONLY, -EINVAL},
	{RB, 0, 0, PG, BPF_F_WRONLY, -EINVAL}, {RB, 0, 0, PG, BPF_F_MMAPABLE, -EINVAL},
	{RB, 0, 0, PG, BPF_F_RDONLY_PROG, -EINVAL}, {RB, 0, 0, PG, BPF_F_ZERO_SEED, -EINVAL},
	{PA, 4, 4, 2, 0, 0}, {PA, 4, 4, 0, 0, -EINVAL}, {PA, 8, 4, 2, 0, -EINVAL},
	{PA, 4, 8, 2, 0, -EINVAL}, {PA, 0, 4, 2, 0, -EINVAL}, {PA, 4, 4, 2, BPF_F_NUMA_NODE, 0},
	{PA, 4, 4, 2, BPF_F_RDONLY, 0}, {PA, 4, 4, 2, BPF_F_WRONLY, 0},
	{PA, 4, 4, 2, BPF_F_PRESERVE_ELEMS, 0}, {PA, 4, 4, 2, BPF_F_RDONLY_PROG, -EINVAL},
	{PA, 4, 4, 2, BPF_F_WRONLY_PROG, -EINVAL}, {PA, 4, 4, 2, BPF_F_MMAPABLE, -EINVAL},
	{PA, 4, 4, 2, BPF_F_INNER_MAP, -EINVAL}, {PA, 4, 4, 2, BPF_F_NO_PREALLOC, -EINVAL},
	{PA, 4, 4, 1000, 0, 0},
};
/* clang-format on */

static void test_create(const struct backend *be)
{
	for (size_t i = 0; i < sizeof(creates) / sizeof(creates[0]); i++) {
		int fd = be_map_create(be, creates[i].type, creates[i].ks, creates[i].vs,
				       creates[i].me, creates[i].flags);

		CHECK(creates[i].want ? fd == creates[i].want : fd >= 0,
		      "[%s] create row %zu (%s): got %d, want %d", be->name, i,
		      map_type_name(creates[i].type), fd, creates[i].want);
		fd_close(be, fd);
	}
}

/* ---- user-space operations ---- */

static void test_ringbuf_ops(const struct backend *be)
{
	int fd = be_map_create(be, RB, 0, 0, PG, 0);
	uint64_t v = 0;
	uint32_t k = 0;

	EQ(GET(fd, NULL, &v, 0), -ENOTSUPP);
	EQ(GET(fd, NULL, NULL, 0), -ENOTSUPP);
	EQ(GET(fd, &k, &v, 0), -EINVAL);
	EQ(GET(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	EQ(GET(fd, NULL, &v, 1), -EINVAL);
	EQ(UPD(fd, NULL, &v, 0), -ENOTSUPP);
	EQ(UPD(fd, NULL, &v, BPF_NOEXIST), -ENOTSUPP);
	EQ(UPD(fd, NULL, &v, BPF_EXIST), -ENOTSUPP);
	EQ(UPD(fd, NULL, &v, 8), -ENOTSUPP);
	EQ(UPD(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	EQ(UPD(fd, &k, &v, 0), -EINVAL);
	EQ(DEL(fd, NULL), -ENOTSUPP);
	EQ(DEL(fd, &k), -EINVAL);
	EQ(NXT(fd, NULL, &v), -ENOTSUPP);
	EQ(NXT(fd, NULL, NULL), -ENOTSUPP);
	EQ(NXT(fd, &k, &v), -EINVAL);
	EQ(POP(fd, NULL, &v, 0), -ENOTSUPP);
	EQ(POP(fd, &k, &v, 0), -EINVAL);
	EQ(POP(fd, NULL, &v, BPF_F_LOCK), -EINVAL);
	EQ(FREEZE(fd), 0);
	EQ(UPD(fd, NULL, &v, 0), -EPERM);
	EQ(GET(fd, NULL, &v, 0), -ENOTSUPP);
	fd_close(be, fd);
}

static void test_perf_array_ops(const struct backend *be)
{
	int fd = be_map_create(be, PA, 4, 4, 2, 0),
	    ro = be_map_create(be, PA, 4, 4, 2, BPF_F_RDONLY), pfd = perf_fd();
	uint32_t k = 0, v = 0, next = 77;

	EQ(GET(fd, &k, &v, 0), -ENOTSUPP);
	k = 5;
	EQ(GET(fd, &k, &v, 0), -ENOTSUPP);
	EQ(GET(fd, &k, &v, BPF_F_LOCK), -EINVAL);
	EQ(GET(fd, NULL, &v, 0), -EFAULT);
	k = 0;
	v = 1; /* stdout */
	EQ(UPD(fd, &k, &v, 0), -EBADF);
	v = 999;
	EQ(UPD(fd, &k, &v, 0), -EBADF);
	v = (uint32_t)fd; /* a map is no perf event */
	EQ(UPD(fd, &k, &v, 0), -EBADF);
	EQ(UPD(fd, &k, &v, BPF_NOEXIST), -EINVAL);
	EQ(UPD(fd, &k, &v, BPF_EXIST), -EINVAL);
	EQ(UPD(fd, &k, NULL, 0), -EFAULT);
	k = 9;
	EQ(UPD(fd, &k, &v, 0), -E2BIG);
	EQ(UPD(fd, &k, &v, BPF_EXIST), -EINVAL);
	EQ(DEL(fd, &k), -E2BIG);
	EQ(DEL(fd, NULL), -EFAULT);
	k = 0;
	EQ(DEL(fd, &k), -ENOENT);
	EQ(NXT(fd, NULL, &next), 0);
	EQ(next, 0);
	EQ(NXT(fd, &k, &next), 0);
	EQ(next, 1);
	k = 1;
	EQ(NXT(fd, &k, &next), -ENOENT);
	k = 9;
	EQ(NXT(fd, &k, &next), 0);
	EQ(next, 0);
	k = 0;
	EQ(POP(fd, &k, &v, 0), -ENOTSUPP);
	if (pfd >= 0) {
		v = (uint32_t)pfd;
		EQ(UPD(fd, &k, &v, 0), 0);
		EQ(UPD(fd, &k, &v, BPF_NOEXIST), -EINVAL);
		EQ(GET(fd, &k, &v, 0), -ENOTSUPP);
		EQ(UPD(ro, &k, &v, 0), -EPERM);
		EQ(DEL(fd, &k), 0);
		EQ(DEL(fd, &k), -ENOENT);
		EQ(UPD(fd, &k, &v, 0), 0);
		EQ(FREEZE(fd), 0);
		EQ(UPD(fd, &k, &v, 0), -EPERM);
		close(pfd);
	} else if (!be->kernel) {
		printf("test_ringbuf: perf_event_open: %s: perf event slots not tested\n",
		       strerror(-pfd));
	}
	fd_close(be, fd);
	fd_close(be, ro);
}

/* ---- mmap: the kernel's answers, and the ring twice ---- */

static void *map_fd(const struct backend *be, size_t len, int prot, int flags, int fd, off_t off)
{
	if (be->kernel)
		return mmap(NULL, len, prot, flags, fd, off);
	return mapfd_mmap(mmap, NULL, len, prot, flags, fd, off);
}

/* 0 if mapped (and unmaps it), else errno */
static int try_map(const struct backend *be, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = map_fd(be, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static void test_mmap(const struct backend *be)
{
	const int RW = PROT_READ | PROT_WRITE;
	int fd = be_map_create(be, RB, 0, 0, 2 * PG, 0);
	uint64_t *cons, *prod;
	uint8_t *data;

	EQ(try_map(be, PG, RW, MAP_SHARED, fd, 0), 0);
	EQ(try_map(be, 100, RW, MAP_SHARED, fd, 0), 0);
	EQ(try_map(be, 2 * PG, RW, MAP_SHARED, fd, 0), EPERM);
	EQ(try_map(be, PG, RW, MAP_SHARED, fd, PG), EPERM);
	EQ(try_map(be, PG + 4 * PG, PROT_READ, MAP_SHARED, fd, PG), 0);
	EQ(try_map(be, PG + 5 * PG, PROT_READ, MAP_SHARED, fd, PG), EINVAL);
	EQ(try_map(be, 6 * PG, PROT_READ, MAP_SHARED, fd, 0), 0);
	EQ(try_map(be, PG, PROT_READ, MAP_SHARED, fd, 6 * PG), EINVAL);
	EQ(try_map(be, PG, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	EQ(try_map(be, PG, PROT_READ, MAP_SHARED, fd, 100), EINVAL);

	/* libbpf's two mappings: what a producer writes shows at data and data + size */
	cons = map_fd(be, PG, RW, MAP_SHARED, fd, 0);
	prod = map_fd(be, PG + 4 * PG, PROT_READ, MAP_SHARED, fd, PG);
	CHECK(cons != MAP_FAILED && prod != MAP_FAILED, "[%s] libbpf's mappings", be->name);
	if (cons == MAP_FAILED || prod == MAP_FAILED)
		goto out;
	EQ(*cons, 0);
	EQ(*prod, 0);
	EQ(mprotect(prod, PG, RW) == 0, 0); /* the producer page stays read-only */
	data = (uint8_t *)prod + PG;
	if (!be->kernel) {
		struct obj *o;
		struct bpfmap *m = map_at(fd, &o);
		uint8_t *r = ringbuf_reserve(m, 100, 0);

		CHECK(r != NULL, "reserve");
		if (r) {
			memset(r, 0xab, 100);
			ringbuf_commit(m, r, 0, false);
		}
		EQ(*prod, 112);
		EQ(*(uint32_t *)(void *)data, 100);
		EQ(*(uint32_t *)(void *)(data + 4), 3); /* pg_off: the kernel's page 3 */
		EQ(data[8], 0xab);
		EQ(data[2 * PG + 8], 0xab); /* the second copy */
		*cons = 112;		    /* the consumer's position reaches the program */
		EQ(ringbuf_query(m, BPF_RB_CONS_POS), 112);
		obj_put(o);
	}
	munmap(cons, PG);
	munmap(prod, PG + 4 * PG);
	/* a frozen map has no writable mapping left */
	EQ(FREEZE(fd), 0);
	EQ(try_map(be, PG, RW, MAP_SHARED, fd, 0), EPERM);
	EQ(try_map(be, PG, PROT_READ, MAP_SHARED, fd, 0), 0);
out:
	fd_close(be, fd);
}

/* ---- the producer side, as the helpers call it (bpfhost only) ---- */

static uint32_t wake_seq(const struct bpfmap *m)
{
	uint32_t v; /* the futex word producers bump (ringbuf.c's S_SEQ) */

	memcpy(&v, &m->hdr->state[0], sizeof(v));
	return v;
}

static int collect(void *ctx, void *sample, uint32_t len)
{
	uint32_t *got = ctx;

	got[++got[0]] = len ? *(uint32_t *)sample : 0xffffffff;
	return 0;
}

static void test_producer(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, RB, 0, 0, PG, 0);
	struct obj *o;
	struct bpfmap *m = map_at(fd, &o);
	uint32_t got[128], seq, x = 7;
	uint8_t *a, *b, *c;
	int n;

	/* reserve: flags, sizes */
	CHECK(!ringbuf_reserve(m, 8, 1), "reserve with flags");
	CHECK(!ringbuf_reserve(m, PG - 7, 0), "a record bigger than the ring");
	CHECK(!ringbuf_reserve(m, 1ull << 32, 0), "a record over RINGBUF_MAX_RECORD_SZ");
	EQ(ringbuf_output(m, &x, 4, 4), -EINVAL);
	EQ(ringbuf_query(m, BPF_RB_RING_SIZE), PG);
	EQ(ringbuf_query(m, 99), 0);

	/* wakeups, the kernel's rule: the consumer waits for this very record */
	seq = wake_seq(m);
	a = ringbuf_reserve(m, 4, 0);
	b = ringbuf_reserve(m, 4, 0);
	CHECK(a && b && b - a == 16, "two records of 16 bytes");
	memcpy(b, &x, 4);
	EQ(ringbuf_commit(m, b, 0, false), 0); /* the consumer waits at a: no wakeup */
	EQ(wake_seq(m), seq);
	EQ(ringbuf_commit(m, b, 0, false), -EINVAL); /* committed already */
	EQ(ringbuf_commit(m, b + 1, 0, false), -EINVAL);
	EQ(ringbuf_commit(m, a, BPF_RB_NO_WAKEUP, true), 0); /* discarded, no wakeup */
	EQ(wake_seq(m), seq);
	got[0] = 0;
	EQ(ringbuf_consume(m, collect, got), 1);
	EQ(got[1], 7);
	EQ(ringbuf_output(m, &x, 4, 0), 0); /* the consumer is there now */
	EQ(wake_seq(m), seq + 1);
	EQ(ringbuf_output(m, &x, 4, BPF_RB_FORCE_WAKEUP), 0);
	EQ(wake_seq(m), seq + 2);
	c = ringbuf_reserve(m, 0, 0); /* an empty record */
	CHECK(c != NULL, "a record of 0 bytes");
	EQ(ringbuf_query(m, BPF_RB_AVAIL_DATA), 3 * 16 - 8);
	if (c)
		ringbuf_commit(m, c, BPF_RB_NO_WAKEUP, false);
	got[0] = 0;
	EQ(ringbuf_consume(m, collect, got), 3);
	EQ(got[3], 0xffffffff);
	EQ(ringbuf_query(m, BPF_RB_AVAIL_DATA), 0);

	/* capacity: positions may run max_entries - 1 ahead of the consumer */
	n = 0;
	while ((a = ringbuf_reserve(m, 120, 0)) != NULL) { /* 128 bytes each */
		memcpy(a, &n, 4);
		ringbuf_commit(m, a, 0, false);
		n++;
	}
	EQ(n, PG / 128 - 1);
	CHECK(ringbuf_reserve(m, 112, 0) != NULL, "120 bytes left: a record of 120 fits");
	CHECK(!ringbuf_reserve(m, 0, 0), "and then nothing");
	obj_put(o);
	fd_close(be, fd);
}

/* ---- epoll on a ring fd (bpfhost only) ---- */

static void test_epoll(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, RB, 0, 0, PG, 0), fd2 = be_map_create(be, RB, 0, 0, PG, 0),
	    ep = epoll_create1(0);
	int pipefd[2], x = 5;
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 42}, out[4];
	struct obj *o;
	struct bpfmap *m = map_at(fd, &o);

	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_ADD, fd, &ev) == -1 && errno == EEXIST, 1);
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_MOD, fd2, &ev) == -1 && errno == ENOENT, 1);
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_DEL, fd2, NULL) == -1 && errno == ENOENT, 1);
	EQ(mapfd_epoll_ctl(epoll_ctl, 999, EPOLL_CTL_ADD, fd2, &ev) == -1 && errno == EBADF, 1);
	EQ(mapfd_epoll_ctl(epoll_ctl, fd2, EPOLL_CTL_ADD, fd, &ev) == -1 && errno == EINVAL, 1);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 0);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 30), 0); /* times out */
	ringbuf_output(m, &x, 4, 0);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, -1), 1);
	EQ(out[0].events, EPOLLIN);
	EQ(out[0].data.u64, 42);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 1); /* level-triggered */
	ev.data.u64 = 43;
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_MOD, fd, &ev), 0);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 1);
	EQ(out[0].data.u64, 43);

	/* with a pipe in the set too: both kinds of events */
	CHECK(pipe(pipefd) == 0, "pipe");
	ev.data.u64 = 7;
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_ADD, pipefd[0], &ev), 0);
	EQ(write(pipefd[1], "x", 1), 1);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 2);
	EQ(out[0].data.u64 + out[1].data.u64, 43 + 7);
	EQ(ringbuf_consume(m, collect, (uint32_t[4]){0}), 1);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 1);
	EQ(out[0].data.u64, 7);
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_DEL, fd, NULL), 0);
	ringbuf_output(m, &x, 4, 0);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 1); /* the pipe alone */
	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	fd_close(be, ep); /* forgets the set's rings */
	ep = epoll_create1(0);
	EQ(mapfd_epoll_wait(epoll_wait, ep, out, 4, 0), 0);
	close(pipefd[0]);
	close(pipefd[1]);
	fd_close(be, ep);
	obj_put(o);
	fd_close(be, fd);
	fd_close(be, fd2);
}

/* ---- producer threads, a consumer thread reading the mapped view ---- */

enum { PRODUCERS = 3, PER_PRODUCER = 20000, RING = 8192 };

struct view {
	uint64_t *cons, *prod;
	uint8_t *data;
	uint64_t mask;
};

static struct bpfmap *hammer_map;
static atomic_int producers_left;

/* sample: {producer, seq, seq repeated to the size} */
static void *producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, s = id * 7919 + 1;

	for (uint32_t seq = 0; seq < PER_PRODUCER;) {
		uint32_t words = 2 + (s % 40), *r;

		s ^= s << 13, s ^= s >> 17, s ^= s << 5;
		r = ringbuf_reserve(hammer_map, words * 4, 0);
		if (!r) {
			sched_yield();
			continue;
		}
		r[0] = id;
		for (uint32_t i = 1; i < words; i++)
			r[i] = seq;
		/* discards carry seq too: the consumer must never see them */
		ringbuf_commit(hammer_map, r, 0, seq % 7 == 6);
		seq++;
	}
	atomic_fetch_sub(&producers_left, 1);
	return NULL;
}

struct consumed {
	uint32_t next[PRODUCERS];
	long bad, records;
};

/* What libbpf's ringbuf_process_ring does, on the mmap()ed view. */
static void read_view(const struct view *v, struct consumed *c)
{
	uint64_t cons = __atomic_load_n(v->cons, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n(v->prod, __ATOMIC_ACQUIRE);

	while (cons < prod) {
		uint32_t *hdr = (uint32_t *)(void *)(v->data + (cons & v->mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE), *r = hdr + 2;

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			uint32_t id = r[0], words = len / 4;

			c->records++;
			/* the next seq, or the one after if that was discarded */
			if (id >= PRODUCERS || r[1] != c->next[id] + (c->next[id] % 7 == 6)) {
				c->bad++;
			} else {
				c->next[id] = r[1] + 1;
				for (uint32_t i = 2; i < words; i++)
					c->bad += r[i] != r[1];
			}
		}
		cons += ((len & ~(uint32_t)BPF_RINGBUF_DISCARD_BIT) + 8 + 7) & ~7ull;
		__atomic_store_n(v->cons, cons, __ATOMIC_RELEASE);
	}
}

static void test_threads(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, RB, 0, 0, RING, 0);
	struct obj *o;
	struct consumed c;
	struct view v;
	pthread_t t[PRODUCERS];

	hammer_map = map_at(fd, &o);
	v.cons = mapfd_mmap(mmap, NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	v.prod = mapfd_mmap(mmap, NULL, PG + 2 * RING, PROT_READ, MAP_SHARED, fd, PG);
	v.data = (uint8_t *)v.prod + PG;
	v.mask = RING - 1;
	memset(&c, 0, sizeof(c));
	atomic_store(&producers_left, PRODUCERS);
	for (long i = 0; i < PRODUCERS; i++)
		pthread_create(&t[i], NULL, producer, (void *)i);
	while (atomic_load(&producers_left) || ringbuf_readable(hammer_map)) {
		read_view(&v, &c);
		ringbuf_wait(hammer_map, 10);
	}
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(t[i], NULL);
	read_view(&v, &c);
	CHECK(c.bad == 0, "%ld bad records", c.bad);
	for (int i = 0; i < PRODUCERS; i++)
		CHECK(c.next[i] == PER_PRODUCER - ((PER_PRODUCER - 1) % 7 == 6),
		      "producer %d: the last record read is %u", i, c.next[i]);
	EQ(c.records, PRODUCERS * (PER_PRODUCER - (PER_PRODUCER + 1) / 7));
	munmap(v.cons, PG);
	munmap(v.prod, PG + 2 * RING);
	obj_put(o);
	fd_close(be, fd);
}

/* ---- a producer process wakes a consumer asleep in epoll_wait ---- */

static void test_process(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, RB, 0, 0, PG, 0), ep = epoll_create1(0), got = 0, status = 0;
	struct epoll_event ev = {.events = EPOLLIN}, out;
	struct timespec t0, t1;
	struct obj *o;
	struct bpfmap *m = map_at(fd, &o);
	uint32_t rec[2];
	pid_t pid;

	EQ(mapfd_epoll_ctl(epoll_ctl, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	pid = fork();
	if (pid == 0) { /* 50 records, 20 ms apart, waking the consumer each time */
		for (uint32_t i = 0; i < 50; i++) {
			usleep(i % 10 == 0 ? 20000 : 0);
			rec[0] = 77;
			rec[1] = i;
			ringbuf_output(m, rec, sizeof(rec), 0);
		}
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < 50) {
		uint32_t seen[64] = {0};
		int n = mapfd_epoll_wait(epoll_wait, ep, &out, 1, 5000);

		if (n <= 0)
			break;
		ringbuf_consume(m, collect, seen); /* 0 if the record is not committed yet */
		for (uint32_t i = 1; i <= seen[0]; i++)
			got += seen[i] == 77;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, &status, 0);
	EQ(got, 50);
	CHECK(t1.tv_sec - t0.tv_sec < 3, "woken by another process: %ld s",
	      (long)(t1.tv_sec - t0.tv_sec));
	fd_close(be, ep);
	obj_put(o);
	fd_close(be, fd);
}

/* ---- bpf_perf_event_output (bpfhost only) ---- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){(c), (d), (s), (o), (i)})
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV32_IMM(d, i) INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i) INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int read_u32(void *ctx, const void *data, uint32_t size)
{
	uint32_t *got = ctx;

	got[++got[0]] = size;
	got[++got[0]] = *(const uint32_t *)data;
	return 0;
}

static int count_only(void *ctx, const void *data, uint32_t size)
{
	(void)data, (void)size;
	++*(int *)ctx;
	return 0;
}

static void test_perf_output(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, PA, 4, 4, 64, 0), pfd = perf_fd(), r, err;
	struct vm_prog *vp = NULL;
	struct vm_run *run = NULL;
	unsigned ncpus = map_possible_cpus();
	uint32_t k = 0, v, got[64], data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, n = 0;
	struct bpf_insn insns[] = {
		ST_W(BPF_REG_10, -8, 0x1234),
		ST_W(BPF_REG_10, -4, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, fd),
		INSN(0, 0, 0, 0, 0),
		MOV32_IMM(BPF_REG_3, -1), /* BPF_F_CURRENT_CPU */
		MOV64_REG(BPF_REG_4, BPF_REG_10),
		ADD64_IMM(BPF_REG_4, -8),
		MOV64_IMM(BPF_REG_5, 5),
		CALL(BPF_FUNC_perf_event_output),
		EXIT(),
	};
	struct obj *o;
	struct bpfmap *m = map_at(fd, &o);

	if (pfd < 0) {
		printf("test_ringbuf: perf_event_open: %s: perf_event_output not tested\n",
		       strerror(-pfd));
		goto out;
	}
	EQ(perf_array_output(m, 0, data, 4, 0), -ENOENT);
	EQ(perf_array_output(m, 64, data, 4, 0), -E2BIG);
	EQ(perf_array_output(m, 1ull << 32, data, 4, 0), -EINVAL);
	v = (uint32_t)pfd;
	for (k = 0; k < 64; k++)
		EQ(UPD(fd, &k, &v, 0), 0);
	EQ(perf_array_output(m, ncpus, data, 4, 0), -EOPNOTSUPP); /* no ring for that slot */
	EQ(perf_array_output(m, 0, data, 4, 0), 0);
	EQ(perf_array_output(m, 0, data, 8, 0), 0);
	EQ(perf_array_output(m, BPF_F_CURRENT_CPU, data, 1, ncpus - 1), 0);
	got[0] = 0;
	EQ(perf_array_read(m, 0, read_u32, got), 2);
	EQ(got[1], 4); /* 4 bytes + the u32 size: already 8-aligned */
	EQ(got[2], 1);
	EQ(got[3], 12); /* 8 bytes: padded to 12 */
	EQ(perf_array_read(m, ncpus - 1, read_u32, got), 1);
	EQ(got[5], 4);
	EQ(perf_array_read(m, 0, read_u32, got), 0);
	EQ(perf_array_read(m, ncpus, read_u32, got), -EINVAL);

	/* fill the ring (records of 24 bytes, wrapping), lose one, read all */
	while (perf_array_output(m, 1 % ncpus, data, 12, 0) == 0)
		n++;
	EQ(perf_array_lost(m, 1 % ncpus), 1);
	EQ(perf_array_output(m, 1 % ncpus, data, 12, 0), -ENOSPC);
	r = 0;
	EQ(perf_array_read(m, 1 % ncpus, count_only, &r), n);
	EQ(r, n);
	for (int lap = 0; lap < 3; lap++) {
		int w = 0;

		for (int i = 0; i < 1000; i++)
			w += perf_array_output(m, 1 % ncpus, data, 12, 0) == 0;
		EQ(w, 1000);
		EQ(perf_array_read(m, 1 % ncpus, count_only, &r), 1000);
	}
	CHECK(n > 1000, "%u records of 24 bytes in a ring of 32 KiB", n);

	/* from a program: bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, fp - 8, 5),
	 * in the checked interpreter with the kernel's helper table (the kernel lets
	 * no sleepable program, so no SYSCALL program, use this map) */
	for (unsigned c = 0; c < ncpus; c++)
		perf_array_read(m, c, count_only, &r);
	insns[2].imm = (int32_t)(uint32_t)(uintptr_t)m;
	insns[3].imm = (int32_t)(uint32_t)((uint64_t)(uintptr_t)m >> 32);
	insns[2].src_reg = 0;
	err = vm_prog_create(insns, sizeof(insns) / sizeof(insns[0]), NULL, &vp);
	EQ(err, 0);
	run = malloc(sizeof(*run));
	if (!err && run) {
		vm_run_init(run, vp);
		run->helpers = kernel_helpers();
		run->maps = &m;
		run->map_cnt = 1;
		run->cpu = ncpus - 1;
		EQ(vm_exec_checked(run), 0);
		EQ(run->r0, 0);
		got[0] = 0;
		EQ(perf_array_read(m, ncpus - 1, read_u32, got), 1);
		EQ(got[1], 12);
		EQ(got[2], 0x1234);
		run->map_cnt = 0; /* a map the program does not use: refused */
		EQ(vm_exec_checked(run), 0);
		EQ(run->r0, -EINVAL);
		EQ(perf_array_read(m, ncpus - 1, read_u32, got), 0);
	}
	free(run);
	vm_prog_free(vp);
	close(pfd);
out:
	obj_put(o);
	fd_close(be, fd);
}

/* A program that ends holding a reserved record (the kernel's verifier
 * refuses it: an unreleased reference), by faulting or by exiting: the run's
 * end discards the record, so the consumer goes past it to what later runs
 * submit. Without that, the ring stays blocked at the busy record. */
static int run_prog(struct bpfmap *m, struct bpf_insn *insns, size_t cnt, uint64_t *r0)
{
	struct vm_prog *vp = NULL;
	struct vm_run *run = malloc(sizeof(*run));
	int err;

	/* the map's LD_IMM64 (insns 0-1) loads the map itself */
	insns[0].imm = (int32_t)(uint32_t)(uintptr_t)m;
	insns[1].imm = (int32_t)(uint32_t)((uint64_t)(uintptr_t)m >> 32);
	err = vm_prog_create(insns, cnt, NULL, &vp);
	if (!err && run) {
		vm_run_init(run, vp);
		run->helpers = kernel_helpers();
		run->maps = &m;
		run->map_cnt = 1;
		err = vm_exec_checked(run);
		*r0 = run->r0;
		CHECK(run->held_record_cnt == 0, "%u records still held", run->held_record_cnt);
	}
	free(run);
	vm_prog_free(vp);
	return err;
}

static void test_held_records(void)
{
	const struct backend *be = &bpfhost;
	int fd = be_map_create(be, RB, 0, 0, PG, 0);
	struct obj *o;
	struct bpfmap *m = map_at(fd, &o);
	uint32_t got[8];
	uint64_t r0 = 0;
	/* r0 = bpf_ringbuf_reserve(map, 8, 0); *(u32 *)r0 = MARK; then: */
#define RESERVE(mark)                                                                              \
	INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, 0, 0, 0), INSN(0, 0, 0, 0, 0),                  \
		MOV64_IMM(BPF_REG_2, 8), MOV64_IMM(BPF_REG_3, 0), CALL(BPF_FUNC_ringbuf_reserve),  \
		INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 1, 0), EXIT(),                       \
		ST_W(BPF_REG_0, 0, mark)
	struct bpf_insn leaves[] = {RESERVE(1), MOV64_IMM(BPF_REG_0, 0), EXIT()};
	struct bpf_insn faults[] = {
		RESERVE(2),
		MOV64_IMM(BPF_REG_1, 0),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_1, 0, 0), /* NULL: a fault */
		EXIT(),
	};
	struct bpf_insn submits[] = {
		RESERVE(3),
		MOV64_REG(BPF_REG_1, BPF_REG_0),
		MOV64_IMM(BPF_REG_2, 0),
		CALL(BPF_FUNC_ringbuf_submit),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
#undef RESERVE

	EQ(run_prog(m, leaves, sizeof(leaves) / sizeof(leaves[0]), &r0), 0);
	EQ(run_prog(m, faults, sizeof(faults) / sizeof(faults[0]), &r0), -EFAULT);
	EQ(run_prog(m, submits, sizeof(submits) / sizeof(submits[0]), &r0), 0);
	got[0] = 0;
	EQ(ringbuf_consume(m, collect, got), 1); /* the discarded two are skipped */
	EQ(got[1], 3);
	EQ(ringbuf_query(m, BPF_RB_AVAIL_DATA), 0);
	obj_put(o);
	fd_close(be, fd);
}

static void run_all(const struct backend *be)
{
	test_create(be);
	test_ringbuf_ops(be);
	test_perf_array_ops(be);
	test_mmap(be);
}

int main(void)
{
	char dir[] = "/tmp/bpfhost-test-ringbuf-XXXXXX", cmd[128];
	int fd;

	if (!mkdtemp(dir))
		return 1;
	setenv("BPFHOST_DIR", dir, 1);
	run_all(&bpfhost);
	test_producer();
	test_epoll();
	test_threads();
	test_process();
	test_perf_output();
	test_held_records();

	fd = be_map_create(&kernel, BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	if (fd < 0) {
		printf("test_ringbuf: kernel comparison skipped: bpf(BPF_MAP_CREATE) says %s\n",
		       strerror(-fd));
	} else {
		close(fd);
		run_all(&kernel);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("could not remove %s\n", dir);
	return TEST_DONE();
}
