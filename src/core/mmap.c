/* What the kernel's map files do that a plain file cannot, served for the
 * link-time wrappers and the LD_PRELOAD library.
 *
 * mmap: an mmapable map's values appear at offset 0 (past the map file's
 * header). A ring buffer appears as the kernel maps it: consumer page at
 * offset 0 (the only page that may be writable), producer page, then the
 * ring's pages twice back to back, so that a record wrapping past the end is
 * contiguous; an address range is reserved, then the file's pages are mapped
 * into it with MAP_FIXED (read-only views through a read-only fd, so that
 * mprotect cannot make them writable).
 *
 * epoll: a regular file cannot join an epoll set, and a map file never
 * becomes readable, so a ring buffer fd given to epoll_ctl joins a table of
 * this process instead (the watches), and epoll_wait on that set reports the
 * ring readable while it holds unread data, as the kernel's poll does. To
 * sleep it waits on the ring's futex (producers in any process wake it where
 * the kernel would wake its wait queue, see src/maps/ringbuf.c) when the set
 * holds one ring and nothing else; otherwise it sleeps in the real epoll_wait
 * in slices of SLICE_MS and looks at the rings between slices. An eventfd
 * would not do: producers in other processes could not signal it.
 *
 * bpfhost's perf events (src/core/perf.c) are served alongside: mmap sizes
 * and maps their ring (perf_fd_mmap), and in epoll they join the same table
 * and are ready as the kernel's perf_poll says: EPOLLHUP until the first
 * mmap, then EPOLLIN | EPOLLRDNORM once per wakeup (a poll takes it). A set
 * of perf events and nothing else (what libbpf's perf_buffer makes, one
 * event per CPU) sleeps on all their futexes at once (futex_waitv).
 */
#include "mmap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../maps/map.h"
#include "../maps/perf_event_array.h"
#include "../maps/ringbuf.h"
#include "obj.h"
#include "perf.h"

#define PAGE 4096u
#define SLICE_MS 5

/* The ring buffer behind fd, its object referenced in *o; or NULL. */
static struct bpfmap *ringbuf_of_fd(int fd, struct obj **o)
{
	int err = 0;

	*o = fd >= 0 ? obj_from_fd(fd, OBJ_MAP, NULL, &err) : NULL;
	if (*o && map_of(*o)->hdr->map_type == BPF_MAP_TYPE_RINGBUF)
		return map_of(*o);
	obj_put(*o);
	*o = NULL;
	return NULL;
}

/* ---- mmap ---- */

static void *fail(int err)
{
	errno = err;
	return MAP_FAILED;
}

/* Maps view offsets [start, end) of the kernel's view at at; view offset k
 * is file offset data_off + k, less the ring size in the second copy. */
static int map_view(mapfd_mmap_fn *real, const struct bpfmap *m, uint8_t *at, uint64_t start,
		    uint64_t end, int prot, int flags, int fd)
{
	uint64_t split = 2 * PAGE + m->max_entries, a;

	for (a = start; a < end;) {
		uint64_t b = a < split ? (end < split ? end : split) : end;
		off_t off = (off_t)(m->hdr->data_off + a - (a < split ? 0 : m->max_entries));

		if (real(at + (a - start), b - a, prot, flags, fd, off) == MAP_FAILED)
			return errno;
		a = b;
	}
	return 0;
}

/* The kernel's bpf_map_mmap and ringbuf_map_mmap: shared only; writable only
 * for the consumer page of a map not frozen; no further than producer page +
 * 2 * ring. */
static void *ringbuf_mmap(mapfd_mmap_fn *real, const struct bpfmap *m, void *addr, size_t len,
			  int prot, int flags, int fd, off_t off)
{
	uint64_t view = 2ull * PAGE + 2ull * m->max_entries;
	uint64_t vlen = ((uint64_t)len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	int seg = (flags & (MAP_POPULATE | MAP_LOCKED | MAP_NORESERVE)) | MAP_SHARED | MAP_FIXED;
	int type = flags & MAP_TYPE, mfd = fd, err;
	char path[64];
	uint8_t *base;

	if (type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return fail(EINVAL);
	if ((prot & PROT_WRITE) && atomic_load(&m->hdr->frozen))
		return fail(EPERM);
	if (off < 0 || off % PAGE || !len)
		return fail(EINVAL);
	if ((prot & PROT_WRITE) && (off || vlen != PAGE))
		return fail(EPERM);
	if (vlen > view || (uint64_t)off > view - vlen)
		return fail(EINVAL);
	if (!(prot & PROT_WRITE)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		mfd = open(path, O_RDONLY | O_CLOEXEC);
		if (mfd < 0)
			mfd = fd;
	}
	base = real(addr, vlen, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)), -1,
		    0);
	err = base == MAP_FAILED ? errno : 0;
	if (!err) {
		err = map_view(real, m, base, (uint64_t)off, (uint64_t)off + vlen, prot, seg, mfd);
		if (err)
			munmap(base, vlen);
	}
	if (mfd != fd)
		close(mfd);
	return err ? fail(err) : base;
}

static bool grow(void **arr, size_t *cap, size_t cnt, size_t size)
{
	size_t n = *cap ? *cap * 2 : 8;
	void *p;

	if (cnt < *cap)
		return true;
	p = realloc(*arr, n * size);
	if (!p)
		return false;
	*arr = p;
	*cap = n;
	return true;
}

/* Writable mappings of map values in this process, so that munmap can tell
 * the map (its mmap_writers count, which MAP_FREEZE reads) one went away. */
struct writer {
	uint8_t *addr;
	size_t len;
	struct obj *map;
};

static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct writer *writers;
static size_t writer_cnt, writer_cap;

/* The kernel's bpf_map_mmap for mmapable arrays: shared only; PROT_WRITE
 * refused on a frozen map (EPERM) or a BPF_F_RDONLY_PROG one (EACCES); a
 * read-only view maps a read-only reopen of the file, so that mprotect cannot
 * make it writable (the kernel clears VM_MAYWRITE); writable views count. */
static void *values_mmap(mapfd_mmap_fn *real, int fd, long shift, void *addr, size_t len, int prot,
			 int flags, off_t off)
{
	int type = flags & MAP_TYPE, mfd = fd, err = 0;
	struct obj *o = NULL;
	struct bpfmap *m;
	char path[64];
	void *p;

	o = obj_from_fd(fd, OBJ_MAP, NULL, &err);
	if (!o)
		return real(addr, len, prot, flags, fd, off + shift);
	m = map_of(o);
	if (type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		err = EINVAL;
	else if ((prot & PROT_WRITE) && atomic_load(&m->hdr->frozen))
		err = EPERM;
	else if ((prot & PROT_WRITE) && (m->map_flags & BPF_F_RDONLY_PROG))
		err = EACCES;
	if (err) {
		obj_put(o);
		return fail(err);
	}
	if (!(prot & PROT_WRITE)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		mfd = open(path, O_RDONLY | O_CLOEXEC);
		if (mfd < 0)
			mfd = fd;
	}
	p = real(addr, len, prot, flags, mfd, off + shift);
	if (mfd != fd)
		close(mfd);
	if (p == MAP_FAILED || !(prot & PROT_WRITE)) {
		obj_put(o);
		return p;
	}
	pthread_mutex_lock(&writers_lock);
	if (grow((void **)&writers, &writer_cap, writer_cnt, sizeof(*writers))) {
		writers[writer_cnt++] = (struct writer){p, len, o};
		atomic_fetch_add(&m->hdr->mmap_writers, 1);
		o = NULL;
	}
	pthread_mutex_unlock(&writers_lock);
	obj_put(o); /* not tracked (no memory): the mapping is not counted either */
	return p;
}

void mapfd_munmap(void *addr, size_t len)
{
	uint8_t *a = addr;

	pthread_mutex_lock(&writers_lock);
	for (size_t i = 0; i < writer_cnt;) {
		struct writer *w = &writers[i];

		/* a writable mapping goes away when its first page does */
		if (w->addr >= a && w->addr < a + len) {
			atomic_fetch_sub(&map_of(w->map)->hdr->mmap_writers, 1);
			obj_put(w->map);
			writers[i] = writers[--writer_cnt];
			continue;
		}
		i++;
	}
	pthread_mutex_unlock(&writers_lock);
}

void *mapfd_mmap(mapfd_mmap_fn *real, void *addr, size_t len, int prot, int flags, int fd,
		 off_t off)
{
	struct bpfmap *m;
	struct obj *o;
	long shift;
	void *p;

	if (fd < 0)
		return real(addr, len, prot, flags, fd, off);
	m = ringbuf_of_fd(fd, &o);
	if (m) {
		p = ringbuf_mmap(real, m, addr, len, prot, flags, fd, off);
		obj_put(o);
		return p;
	}
	shift = obj_mmap_offset(fd);
	if (shift < 0)
		return fail((int)-shift);
	if (!shift) {
		struct perf_ring *r = perf_ring_from_fd(fd);

		if (r) {
			p = perf_fd_mmap(real, r, addr, len, prot, flags, fd, off);
			perf_ring_put(r);
			return p;
		}
	}
	if (shift)
		return values_mmap(real, fd, shift, addr, len, prot, flags, off);
	return real(addr, len, prot, flags, fd, off);
}

/* ---- epoll ---- */

struct watch { /* a ring buffer or a perf event in an epoll set */
	int epfd, fd;
	struct epoll_event ev;
	struct perf_ring *perf; /* a perf event (a reference), else NULL */
};

struct epset { /* an epoll set that has rings */
	int epfd;
	int others; /* fds in the real set (stale-high when one is closed) */
};

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *watches;
static size_t watch_cnt, watch_cap;
static struct epset *sets;
static size_t set_cnt, set_cap;
static atomic_size_t watch_total; /* watch_cnt, read without the lock */

static struct watch *watch_find(int epfd, int fd)
{
	for (size_t i = 0; i < watch_cnt; i++)
		if (watches[i].epfd == epfd && watches[i].fd == fd)
			return &watches[i];
	return NULL;
}

static struct epset *set_find(int epfd)
{
	for (size_t i = 0; i < set_cnt; i++)
		if (sets[i].epfd == epfd)
			return &sets[i];
	return NULL;
}

/* The fds in the real epoll set, from /proc/self/fdinfo ("tfd:" lines). */
static int real_fds(int epfd)
{
	char path[64], line[256];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	f = fopen(path, "re");
	if (!f)
		return 1; /* unknown: assume some */
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, "tfd:", 4);
	fclose(f);
	return n;
}

/* The kernel's answers for an epfd that is not an epoll fd. */
static int check_epfd(int epfd)
{
	static const char want[] = "anon_inode:[eventpoll]";
	char path[64], link[sizeof(want)];
	ssize_t n;

	if (fcntl(epfd, F_GETFD) < 0)
		return EBADF;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", epfd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)sizeof(want) - 1 && !memcmp(link, want, sizeof(want) - 1) ? 0 : EINVAL;
}

static void watch_remove(size_t i)
{
	int epfd = watches[i].epfd;

	perf_ring_put(watches[i].perf); /* never the last: the ring cache holds one */
	watches[i] = watches[--watch_cnt];
	atomic_store(&watch_total, watch_cnt);
	for (size_t j = 0; j < watch_cnt; j++)
		if (watches[j].epfd == epfd)
			return;
	for (size_t j = 0; j < set_cnt; j++)
		if (sets[j].epfd == epfd) {
			sets[j] = sets[--set_cnt];
			return;
		}
}

static int ring_ctl(int epfd, int op, int fd, const struct epoll_event *ev, struct perf_ring *perf)
{
	struct watch *w = watch_find(epfd, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (w)
			return EEXIST;
		if (!ev)
			return EFAULT;
		if (!grow((void **)&watches, &watch_cap, watch_cnt, sizeof(*watches)))
			return ENOMEM;
		if (!set_find(epfd)) {
			if (!grow((void **)&sets, &set_cap, set_cnt, sizeof(*sets)))
				return ENOMEM;
			sets[set_cnt++] = (struct epset){epfd, real_fds(epfd)};
		}
		if (perf)
			perf_ring_get(perf);
		watches[watch_cnt++] = (struct watch){epfd, fd, *ev, perf};
		atomic_store(&watch_total, watch_cnt);
		return 0;
	case EPOLL_CTL_MOD:
		if (!w)
			return ENOENT;
		if (!ev)
			return EFAULT;
		w->ev = *ev;
		return 0;
	case EPOLL_CTL_DEL:
		if (!w)
			return ENOENT;
		watch_remove((size_t)(w - watches));
		return 0;
	default: return EINVAL;
	}
}

int mapfd_epoll_ctl(mapfd_epoll_ctl_fn *real, int epfd, int op, int fd, struct epoll_event *ev)
{
	struct perf_ring *perf = NULL;
	struct obj *o;
	int err, r;

	if (!ringbuf_of_fd(fd, &o) && !(perf = perf_ring_from_fd(fd))) {
		r = real(epfd, op, fd, ev);
		if (r == 0 && (op == EPOLL_CTL_ADD || op == EPOLL_CTL_DEL) &&
		    atomic_load(&watch_total)) {
			pthread_mutex_lock(&watch_lock);
			struct epset *s = set_find(epfd);

			if (s)
				s->others += op == EPOLL_CTL_ADD ? 1 : s->others > 0 ? -1 : 0;
			pthread_mutex_unlock(&watch_lock);
		}
		return r;
	}
	obj_put(o);
	err = check_epfd(epfd);
	if (!err) {
		pthread_mutex_lock(&watch_lock);
		err = ring_ctl(epfd, op, fd, ev, perf);
		pthread_mutex_unlock(&watch_lock);
	}
	perf_ring_put(perf);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

void mapfd_closed(int fd)
{
	if (!atomic_load(&watch_total))
		return;
	pthread_mutex_lock(&watch_lock);
	for (size_t i = 0; i < watch_cnt;) {
		if (watches[i].epfd == fd || watches[i].fd == fd)
			watch_remove(i);
		else
			i++;
	}
	pthread_mutex_unlock(&watch_lock);
}

/* Fills events with the watched rings that have unread data. */
static int ready_rings(const struct watch *w, size_t n, struct epoll_event *events, int max)
{
	int cnt = 0;

	for (size_t i = 0; i < n && cnt < max; i++) {
		uint32_t want = w[i].ev.events & (EPOLLIN | EPOLLRDNORM);
		struct bpfmap *m;
		struct obj *o;

		if (w[i].perf) {
			/* the kernel's perf_poll takes the wakeup; HUP and ERR always count */
			want = perf_ring_poll(w[i].perf, true) &
			       (w[i].ev.events | EPOLLHUP | EPOLLERR);
			if (want) {
				events[cnt].events = want;
				events[cnt].data = w[i].ev.data;
				cnt++;
			}
			continue;
		}
		m = ringbuf_of_fd(w[i].fd, &o);
		if (!m)
			continue;
		if (want && ringbuf_readable(m)) {
			events[cnt].events = want;
			events[cnt].data = w[i].ev.data;
			cnt++;
		}
		obj_put(o);
	}
	return cnt;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps at most left ms (< 0: no limit) until something may be ready.
 * Returns > 0 with events of the real set, 0, or -1 with errno. */
static int sleep_once(mapfd_epoll_wait_fn *real, int epfd, struct epoll_event *events,
		      int maxevents, const struct watch *w, size_t n, int others, int left)
{
	struct perf_ring *perfs[FUTEX_WAITV_MAX];
	struct bpfmap *m = NULL;
	struct obj *o = NULL;
	size_t np = 0;
	int err;

	for (size_t i = 0; !others && i < n && n <= FUTEX_WAITV_MAX; i++)
		if (w[i].perf)
			perfs[np++] = w[i].perf;
	if (np && np == n) {
		err = perf_ring_wait(perfs, np, left);
		if (err != -ENOSYS) {
			errno = -err;
			return err ? -1 : 0;
		}
	}
	if (n == 1 && !others && !np)
		m = ringbuf_of_fd(w[0].fd, &o);
	if (!m)
		return real(epfd, events, maxevents, left < 0 || left > SLICE_MS ? SLICE_MS : left);
	err = ringbuf_wait(m, left);
	obj_put(o);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

int mapfd_epoll_wait(mapfd_epoll_wait_fn *real, int epfd, struct epoll_event *events, int maxevents,
		     int timeout_ms)
{
	struct watch local[16], *w = local;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int others = 0, cnt, r;
	size_t n = 0;

	if (!atomic_load(&watch_total) || maxevents <= 0 || !events)
		return real(epfd, events, maxevents, timeout_ms);
	/* a snapshot of the set's rings */
	pthread_mutex_lock(&watch_lock);
	for (size_t i = 0; i < watch_cnt; i++)
		n += watches[i].epfd == epfd;
	if (n > sizeof(local) / sizeof(local[0]))
		w = malloc(n * sizeof(*w));
	n = 0;
	for (size_t i = 0; w && i < watch_cnt; i++) {
		if (watches[i].epfd == epfd) {
			w[n] = watches[i];
			if (w[n].perf)
				perf_ring_get(w[n].perf);
			n++;
		}
	}
	if (set_find(epfd))
		others = set_find(epfd)->others;
	pthread_mutex_unlock(&watch_lock);
	if (!n) {
		r = w ? real(epfd, events, maxevents, timeout_ms) : (errno = ENOMEM, -1);
		goto out;
	}
	for (;;) {
		int left = -1;

		cnt = ready_rings(w, n, events, maxevents);
		if (cnt < maxevents && others) {
			r = real(epfd, events + cnt, maxevents - cnt, 0);
			if (r < 0 && !cnt)
				goto out;
			cnt += r > 0 ? r : 0;
		}
		if (cnt) {
			r = cnt;
			goto out;
		}
		if (timeout_ms >= 0) {
			int64_t d = deadline - now_ms();

			left = d > 0 ? (int)d : 0;
		}
		r = 0;
		if (!left)
			goto out;
		r = sleep_once(real, epfd, events, maxevents, w, n, others, left);
		if (r != 0)
			goto out;
	}
out:
	for (size_t i = 0; w && i < n; i++)
		perf_ring_put(w[i].perf);
	if (w != local)
		free(w);
	return r;
}
