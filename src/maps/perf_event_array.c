/* BPF_MAP_TYPE_PERF_EVENT_ARRAY with the kernel's user-space semantics (slots
 * hold perf event fds: update, delete, get_next_key; lookup is ENOTSUPP), and
 * bpf_perf_event_output writing into the event in a slot. Two kinds of event
 * can fill a slot:
 *
 *  - bpfhost's own perf events: what perf_event_open(2) of a BPF output
 *    event (PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT) returns under the
 *    link-time wrappers and the preload (src/core/perf.c). Each is a file in
 *    the object directory whose mmap is the kernel's perf mmap, so libbpf's
 *    perf_buffer reads it unmodified. A slot names the event by id and by
 *    the path of its file, so a program in any process writes into it.
 *  - the kernel's perf events (fds of the real syscall): bpfhost's programs
 *    cannot reach their buffers, so records for them go to rings kept in the
 *    map file, which only perf_array_read() reads (for bpfhost's tools).
 *
 * The map's storage:
 *
 *   data + 0          max_entries slots {present, fd, pid, lost, ring, path}:
 *                     ring is the id of a bpfhost event (0: a kernel event)
 *   next page         min(max_entries, possible CPUs) rings for kernel
 *                     events, one per slot from 0: a struct
 *                     perf_event_mmap_page and PE_RING_SIZE bytes of records
 *
 * A bpfhost perf event's file:
 *
 *   0                 struct pr_hdr, bpfhost's own (never mapped by users):
 *                     the attributes output needs, the ring's private state
 *                     (the kernel's struct perf_buffer: head, lost, wakeup,
 *                     events, paused), the poll word, the wakeup futex, a lock
 *   4096              struct perf_event_mmap_page as the kernel fills it
 *                     (data_offset, data_size; data_head, data_tail moved by
 *                     producers and the consumer), what an mmap shows at 0
 *   8192              nr_pages data pages of records, set by the first mmap
 *
 * Records are the kernel's: PERF_RECORD_SAMPLE with the event's sample_type
 * fields (PERF_RING_SAMPLE_TYPES: IP and ADDR are 0, PERIOD 0 as for the
 * kernel's BPF output; TIME from CLOCK_MONOTONIC or the event's clockid;
 * misc is PERF_RECORD_MISC_USER, programs run in user space) and RAW data
 * padded with zeros to 8 with its u32 size; PERF_RECORD_LOST before the
 * next record that fits, after records the ring had no room for. Producers
 * (threads of any process) take the header's lock; the consumer moves
 * data_tail. Wakeups follow the kernel's rules (wakeup_events, watermark):
 * a wakeup sets the poll word to EPOLLIN | EPOLLRDNORM, which the next poll
 * takes, and bumps a futex word that consumers sleep on (shared futexes
 * work across processes).
 *
 * Liveness: perf_event_open holds a shared flock on the file description it
 * returns, which the kernel drops when the last fd and mmap of it are gone;
 * a file no one holds so is a dead event. Each process keeps a handle per
 * event it used (a file description of its own, never locked, and its
 * mappings), so output finds the event again without a syscall.
 *
 * Missing: removal of a slot when the map fd that set it is closed (a slot
 * of a dead event stays: writes into it go nowhere, or fail with -ENOENT
 * once its file is gone), the detaching of the ring at the last munmap
 * (output continues into the file), and the kernel events' type and CPU
 * checks.
 */
#include "perf_event_array.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define PE_PAGE 4096u
#define PE_RING_SIZE (8u * PE_PAGE) /* a power of 2 */

struct pe_slot {
	uint32_t present;
	int32_t fd;   /* in process pid, for tools */
	uint32_t pid; /* the process that set it */
	uint32_t pad;
	uint64_t lost;		       /* kernel events: records the map's ring had no room for */
	uint64_t ring;		       /* a bpfhost event's id; 0: a kernel event */
	char path[PERF_RING_PATH_MAX]; /* a bpfhost event's file */
};

_Static_assert(sizeof(struct pe_slot) == 256, "a slot is 256 bytes");

/* a PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW */
struct pe_record {
	struct perf_event_header header;
	uint32_t size;
};

static uint64_t slots_size(uint32_t max_entries)
{
	return ((uint64_t)max_entries * sizeof(struct pe_slot) + PE_PAGE - 1) &
	       ~(uint64_t)(PE_PAGE - 1);
}

static uint32_t ring_cnt(uint32_t max_entries, uint32_t ncpus)
{
	return max_entries < ncpus ? max_entries : ncpus;
}

static struct pe_slot *slot(const struct bpfmap *m, uint32_t i)
{
	return (struct pe_slot *)(void *)m->data + i;
}

static struct perf_event_mmap_page *ring_page(const struct bpfmap *m, uint32_t i)
{
	return (struct perf_event_mmap_page *)(void *)(m->data + slots_size(m->max_entries) +
						       (uint64_t)i * (PE_PAGE + PE_RING_SIZE));
}

static uint8_t *ring_data(const struct bpfmap *m, uint32_t i)
{
	return (uint8_t *)ring_page(m, i) + PE_PAGE;
}

/* Copies len bytes (zeros if src is NULL) to offset pos of a ring of size
 * bytes (a power of 2), wrapping. */
static void ring_put(uint8_t *ring, uint64_t size, uint64_t pos, const void *src, uint64_t len)
{
	uint64_t at = pos & (size - 1), first = size - at;

	if (first > len)
		first = len;
	if (src) {
		memcpy(ring + at, src, first);
		memcpy(ring, (const uint8_t *)src + first, len - first);
	} else {
		memset(ring + at, 0, first);
		memset(ring, 0, len - first);
	}
}

/* ---- bpfhost's perf events ---- */

#define PR_MAGIC "BPFHPRF1"

enum { /* pr_hdr.flags: attribute bits output needs */
       PR_SAMPLE_ID_ALL = 1,
       PR_WATERMARK = 2,
       PR_INHERIT = 4,
       PR_FREQ = 8,
};

struct pr_hdr {
	char magic[8];
	uint64_t id; /* PERF_EVENT_IOC_ID, PERF_SAMPLE_ID, PERF_RECORD_LOST */
	uint64_t sample_type;
	uint64_t sample_period; /* or the frequency, with PR_FREQ */
	uint32_t flags;
	uint32_t wakeup_events; /* 0 with PR_WATERMARK */
	uint32_t wakeup_watermark;
	int32_t cpu;	 /* the CPU the event counts on, -1: any */
	int32_t tid;	 /* the thread it counts in, 0: any */
	int32_t clockid; /* of PERF_SAMPLE_TIME */
	/* the ring: set once by the first mmap (under lock), published by mapped */
	uint32_t mapped;
	uint32_t nr_pages;
	uint32_t overwrite; /* mapped read-only: no room is ever lacking */
	uint32_t pad;
	uint64_t watermark; /* bytes between wakeups */
	/* state: the kernel's struct perf_buffer and event */
	atomic_uint lock;
	uint32_t enabled;
	uint32_t paused;
	uint32_t poll;	  /* EPOLLIN | EPOLLRDNORM after a wakeup, until polled */
	uint32_t seq;	  /* futex word, bumped by every wakeup */
	uint32_t waiters; /* consumers asleep on seq */
	uint64_t head, lost, wakeup, events;
	char path[PERF_RING_PATH_MAX];
};

_Static_assert(sizeof(struct pr_hdr) <= PERF_RING_USER_OFF, "the header fits its page");

struct perf_ring {
	atomic_uint refcnt;
	int fd; /* a file description of this process's own, never locked */
	dev_t dev;
	ino_t ino;
	struct pr_hdr *hdr;
	uint8_t *user; /* the user page and the data pages, once mapped (atomic) */
	struct perf_ring *next;
};

/* Mappings and closes of event files go straight to the kernel: the
 * wrappers and the preload would take them for the user's, and a close may
 * come while the epoll table's lock is held. */
static void *raw_mmap(uint64_t len, int fd, uint64_t off)
{
	long p = syscall(SYS_mmap, NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 (off_t)off);

	return p == -1 ? NULL : (void *)p;
}

static void raw_close(int fd)
{
	syscall(SYS_close, fd);
}

static uint64_t user_len(const struct pr_hdr *h)
{
	return (uint64_t)(1 + h->nr_pages) * PERF_RING_PAGE;
}

static void ring_free(struct perf_ring *r)
{
	if (r->user)
		munmap(r->user, user_len(r->hdr));
	if (r->hdr)
		munmap(r->hdr, PERF_RING_USER_OFF);
	raw_close(r->fd);
	free(r);
}

/* A handle on the event file fd (taken over), or NULL if it is none. */
static struct perf_ring *ring_new(int fd)
{
	struct perf_ring *r = calloc(1, sizeof(*r));
	struct stat st;

	if (!r || fstat(fd, &st) || st.st_size < (off_t)PERF_RING_USER_OFF) {
		free(r);
		raw_close(fd);
		return NULL;
	}
	r->fd = fd;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	atomic_init(&r->refcnt, 1);
	r->hdr = raw_mmap(PERF_RING_USER_OFF, fd, 0);
	if (!r->hdr || memcmp(r->hdr->magic, PR_MAGIC, sizeof(r->hdr->magic))) {
		ring_free(r);
		return NULL;
	}
	return r;
}

void perf_ring_get(struct perf_ring *r)
{
	atomic_fetch_add_explicit(&r->refcnt, 1, memory_order_relaxed);
}

void perf_ring_put(struct perf_ring *r)
{
	if (r && atomic_fetch_sub_explicit(&r->refcnt, 1, memory_order_acq_rel) == 1)
		ring_free(r);
}

uint64_t perf_ring_id(const struct perf_ring *r)
{
	return r->hdr->id;
}

bool perf_ring_file_dead(int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB))
		return false;
	flock(fd, LOCK_UN);
	return true;
}

bool perf_ring_dead(const struct perf_ring *r)
{
	return perf_ring_file_dead(r->fd);
}

const char *perf_ring_path(const struct perf_ring *r)
{
	return r->hdr->path;
}

/* This process's handles, each holding one reference. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct perf_ring *cache;
static unsigned cache_cnt;
#define CACHE_TIDY 32 /* past this many handles, adding one drops those of dead events */

/* The cached handle of (dev, ino), or with id (dev unused), with a reference. */
static struct perf_ring *cache_find(dev_t dev, ino_t ino, uint64_t id)
{
	struct perf_ring *r;

	pthread_mutex_lock(&cache_lock);
	for (r = cache; r; r = r->next)
		if (id ? r->hdr->id == id : r->dev == dev && r->ino == ino)
			break;
	if (r)
		perf_ring_get(r);
	pthread_mutex_unlock(&cache_lock);
	return r;
}

/* Caches r (the caller's reference stays the caller's), or returns the
 * handle another thread cached for the same file meanwhile. */
static struct perf_ring *cache_add(struct perf_ring *r)
{
	struct perf_ring *dead = NULL, **p, *e;

	pthread_mutex_lock(&cache_lock);
	for (e = cache; e; e = e->next)
		if (e->dev == r->dev && e->ino == r->ino)
			break;
	if (e) {
		perf_ring_get(e);
		pthread_mutex_unlock(&cache_lock);
		perf_ring_put(r);
		return e;
	}
	if (cache_cnt >= CACHE_TIDY) {
		for (p = &cache; (e = *p);) {
			if (perf_ring_file_dead(e->fd)) {
				*p = e->next;
				e->next = dead;
				dead = e;
				cache_cnt--;
			} else {
				p = &e->next;
			}
		}
	}
	perf_ring_get(r);
	r->next = cache;
	cache = r;
	cache_cnt++;
	pthread_mutex_unlock(&cache_lock);
	while ((e = dead)) {
		dead = e->next;
		perf_ring_put(e);
	}
	return r;
}

struct perf_ring *perf_ring_from_fd(int fd)
{
	char magic[sizeof(PR_MAGIC) - 1], path[64];
	struct perf_ring *r;
	struct stat st;
	int nfd;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)PERF_RING_USER_OFF)
		return NULL;
	r = cache_find(st.st_dev, st.st_ino, 0);
	if (r)
		return r;
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, PR_MAGIC, sizeof(magic)))
		return NULL;
	/* a description of our own: a dup would share the caller's flock */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	nfd = open(path, O_RDWR | O_CLOEXEC);
	r = nfd >= 0 ? ring_new(nfd) : NULL;
	return r ? cache_add(r) : NULL;
}

int perf_ring_init(int fd, const struct perf_event_attr *attr, int cpu, int tid, uint64_t id,
		   const char *path)
{
	struct pr_hdr h;

	memset(&h, 0, sizeof(h));
	if (strlen(path) >= sizeof(h.path))
		return -ENAMETOOLONG;
	memcpy(h.magic, PR_MAGIC, sizeof(h.magic));
	h.id = id;
	h.sample_type = attr->sample_type;
	h.sample_period = attr->sample_period;
	h.flags = (attr->sample_id_all ? PR_SAMPLE_ID_ALL : 0) | (attr->inherit ? PR_INHERIT : 0) |
		  (attr->freq ? PR_FREQ : 0);
	if (attr->watermark) {
		h.flags |= PR_WATERMARK;
		h.wakeup_watermark = attr->wakeup_watermark;
	} else {
		h.wakeup_events = attr->wakeup_events;
	}
	h.cpu = cpu;
	h.tid = tid;
	h.clockid = attr->use_clockid ? attr->clockid : CLOCK_MONOTONIC;
	h.enabled = !attr->disabled;
	strcpy(h.path, path);
	if (ftruncate(fd, PERF_RING_USER_OFF))
		return -errno;
	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -EIO;
	return 0;
}

int perf_ring_setup(struct perf_ring *r, uint32_t nr_pages, bool writable)
{
	struct pr_hdr *h = r->hdr;
	struct perf_event_mmap_page pg;
	uint64_t dsize = (uint64_t)nr_pages * PERF_RING_PAGE, len;
	int err = 0;

	if (nr_pages & (nr_pages - 1))
		return -EINVAL;
	if (nr_pages > (1u << 20))
		return -ENOMEM;
	map_lock(&h->lock);
	if (__atomic_load_n(&h->mapped, __ATOMIC_ACQUIRE)) {
		err = h->nr_pages == nr_pages ? 0 : -EINVAL;
		goto out;
	}
	/* the memory is reserved now, as the kernel allocates it: a full tmpfs
	 * is an error here, never a SIGBUS in a producer */
	len = PERF_RING_USER_OFF + PERF_RING_PAGE + dsize;
	err = posix_fallocate(r->fd, 0, (off_t)len);
	if (err == EOPNOTSUPP || err == EINVAL)
		err = ftruncate(r->fd, (off_t)len) ? errno : 0;
	if (err) {
		err = err == ENOSPC || err == EFBIG ? -ENOMEM : -err;
		goto out;
	}
	memset(&pg, 0, sizeof(pg));
	pg.cap_bit0_is_deprecated = 1;
	pg.size = offsetof(struct perf_event_mmap_page, __reserved);
	pg.data_offset = PERF_RING_PAGE;
	pg.data_size = dsize;
	if (pwrite(r->fd, &pg, sizeof(pg), PERF_RING_USER_OFF) != (ssize_t)sizeof(pg)) {
		err = -EIO;
		goto out;
	}
	h->nr_pages = nr_pages;
	h->overwrite = !writable;
	h->watermark =
		(h->flags & PR_WATERMARK) && h->wakeup_watermark < dsize ? h->wakeup_watermark : 0;
	if (!h->watermark)
		h->watermark = dsize / 2;
	if (!nr_pages)
		h->paused = 1; /* as the kernel's ring_buffer_init */
	__atomic_store_n(&h->mapped, 1, __ATOMIC_RELEASE);
out:
	map_unlock(&h->lock);
	return err;
}

/* The user page and data pages, mapped in this process; NULL before the
 * first mmap. */
static uint8_t *ring_user(struct perf_ring *r)
{
	uint8_t *u = __atomic_load_n(&r->user, __ATOMIC_ACQUIRE), *expected = NULL;

	if (u)
		return u;
	if (!__atomic_load_n(&r->hdr->mapped, __ATOMIC_ACQUIRE))
		return NULL;
	u = raw_mmap(user_len(r->hdr), r->fd, PERF_RING_USER_OFF);
	if (!u)
		return NULL;
	if (!__atomic_compare_exchange_n(&r->user, &expected, u, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		munmap(u, user_len(r->hdr));
		return expected;
	}
	return u;
}

long perf_ring_ioctl(struct perf_ring *r, unsigned int cmd, unsigned long arg)
{
	struct pr_hdr *h = r->hdr;
	uint64_t v;

	switch (cmd) {
	case PERF_EVENT_IOC_ENABLE:
	case PERF_EVENT_IOC_DISABLE:
		__atomic_store_n(&h->enabled, cmd == PERF_EVENT_IOC_ENABLE, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_RESET: return 0; /* the count is not kept */
	case PERF_EVENT_IOC_REFRESH:
		if ((h->flags & PR_INHERIT) || !h->sample_period)
			return -EINVAL;
		__atomic_store_n(&h->enabled, 1, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_PERIOD:
		if (!arg)
			return -EFAULT;
		memcpy(&v, (const void *)arg, sizeof(v));
		if (!h->sample_period || !v || (!(h->flags & PR_FREQ) && (v >> 63)))
			return -EINVAL;
		h->sample_period = v;
		return 0;
	case PERF_EVENT_IOC_ID:
		if (!arg)
			return -EFAULT;
		memcpy((void *)arg, &h->id, sizeof(h->id));
		return 0;
	case PERF_EVENT_IOC_PAUSE_OUTPUT:
		if (!__atomic_load_n(&h->mapped, __ATOMIC_ACQUIRE) || !h->nr_pages)
			return -EINVAL;
		__atomic_store_n(&h->paused, arg != 0, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_SET_OUTPUT:
	case PERF_EVENT_IOC_SET_FILTER:
	case PERF_EVENT_IOC_SET_BPF:
	case PERF_EVENT_IOC_QUERY_BPF:
	case PERF_EVENT_IOC_MODIFY_ATTRIBUTES: return -EINVAL; /* not for bpfhost's events */
	default: return -ENOTTY;
	}
}

/* ---- output ---- */

/* What the sample fields say of this output. */
struct pr_sample {
	uint64_t id, time;
	uint32_t pid, tid, cpu;
};

static uint64_t pair(uint32_t first, uint32_t second)
{
	uint32_t v[2] = {first, second};
	uint64_t r;

	memcpy(&r, v, sizeof(r));
	return r;
}

/* The fixed fields of a PERF_RECORD_SAMPLE, in the kernel's order
 * (perf_output_sample); returns how many u64 it wrote. */
static size_t sample_fields(uint64_t *out, uint64_t st, const struct pr_sample *s)
{
	size_t n = 0;

	if (st & PERF_SAMPLE_IDENTIFIER)
		out[n++] = s->id;
	if (st & PERF_SAMPLE_IP)
		out[n++] = 0;
	if (st & PERF_SAMPLE_TID)
		out[n++] = pair(s->pid, s->tid);
	if (st & PERF_SAMPLE_TIME)
		out[n++] = s->time;
	if (st & PERF_SAMPLE_ADDR)
		out[n++] = 0;
	if (st & PERF_SAMPLE_ID)
		out[n++] = s->id;
	if (st & PERF_SAMPLE_STREAM_ID)
		out[n++] = s->id;
	if (st & PERF_SAMPLE_CPU)
		out[n++] = pair(s->cpu, 0);
	if (st & PERF_SAMPLE_PERIOD)
		out[n++] = 0;
	return n;
}

/* The sample_id fields other records carry with sample_id_all, in the
 * kernel's order (__perf_event__output_id_sample). */
static size_t id_fields(uint64_t *out, uint64_t st, const struct pr_sample *s)
{
	size_t n = 0;

	if (st & PERF_SAMPLE_TID)
		out[n++] = pair(s->pid, s->tid);
	if (st & PERF_SAMPLE_TIME)
		out[n++] = s->time;
	if (st & PERF_SAMPLE_ID)
		out[n++] = s->id;
	if (st & PERF_SAMPLE_STREAM_ID)
		out[n++] = s->id;
	if (st & PERF_SAMPLE_CPU)
		out[n++] = pair(s->cpu, 0);
	if (st & PERF_SAMPLE_IDENTIFIER)
		out[n++] = s->id;
	return n;
}

static void pr_wake(struct pr_hdr *h)
{
	__atomic_store_n(&h->poll, EPOLLIN | EPOLLRDNORM, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&h->seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&h->waiters, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &h->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Writes the PERF_RECORD_LOST of h->lost records at pos; returns its size. */
static uint64_t put_lost(struct pr_hdr *h, uint8_t *ring, uint64_t dsize, uint64_t pos,
			 const struct pr_sample *s)
{
	uint64_t rec[3 + 6];
	size_t n = 3;
	struct perf_event_header eh = {PERF_RECORD_LOST, 0, 0};

	rec[1] = h->id;
	rec[2] = h->lost;
	h->lost = 0;
	if (h->flags & PR_SAMPLE_ID_ALL)
		n += id_fields(rec + 3, h->sample_type, s);
	eh.size = (uint16_t)(n * 8);
	memcpy(&rec[0], &eh, sizeof(eh));
	ring_put(ring, dsize, pos, rec, n * 8);
	return n * 8;
}

/* As the kernel's __perf_output_begin, perf_output_sample and
 * perf_output_put_handle, under the header's lock. */
long perf_ring_output(struct perf_ring *r, unsigned cpu, const void *data, uint64_t size)
{
	struct pr_hdr *h = r->hdr;
	uint64_t st = h->sample_type, fields[16], head, tail, dsize, total, before, pos;
	struct perf_event_header eh = {PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 0};
	struct perf_event_mmap_page *pg;
	struct pr_sample s = {h->id, 0, 0, 0, cpu};
	uint32_t raw = 0, rec;
	size_t nf;
	uint8_t *u;
	bool wake;

	/* the kernel's event->oncpu != smp_processor_id() */
	if (!__atomic_load_n(&h->enabled, __ATOMIC_ACQUIRE) ||
	    (h->cpu >= 0 && (unsigned)h->cpu != cpu) || (h->tid && h->tid != gettid()))
		return -EOPNOTSUPP;
	if (size > 0xffff)
		return -E2BIG;
	if (st & (PERF_SAMPLE_TID | PERF_SAMPLE_TIME)) {
		struct timespec ts;

		s.pid = (uint32_t)getpid();
		s.tid = (uint32_t)gettid();
		clock_gettime(h->clockid, &ts);
		s.time = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	}
	nf = sample_fields(fields, st, &s);
	rec = (uint32_t)(sizeof(eh) + nf * 8);
	if (st & PERF_SAMPLE_RAW) {
		raw = (uint32_t)(((size + 4 + 7) & ~7ull) - 4);
		rec += 4 + raw;
	}
	if (rec > 0xffff)
		return -E2BIG; /* a record's size is 16 bits */
	eh.size = (uint16_t)rec;
	u = ring_user(r);
	if (!u)
		return -ENOSPC; /* no ring: not mapped yet */
	pg = (struct perf_event_mmap_page *)(void *)u;
	dsize = (uint64_t)h->nr_pages * PERF_RING_PAGE;
	map_lock(&h->lock);
	if (!h->nr_pages || h->paused) {
		h->lost += h->nr_pages != 0;
		map_unlock(&h->lock);
		return -ENOSPC;
	}
	total = rec;
	if (h->lost)
		total += 24 +
			 ((h->flags & PR_SAMPLE_ID_ALL) ? id_fields(fields + nf, st, &s) * 8 : 0);
	tail = __atomic_load_n(&pg->data_tail, __ATOMIC_ACQUIRE);
	head = h->head;
	/* CIRC_SPACE: one byte is never used */
	if (!h->overwrite && ((tail - (head + 1)) & (dsize - 1)) < total) {
		h->lost++;
		map_unlock(&h->lock);
		return -ENOSPC;
	}
	before = h->wakeup;
	if (head + total - h->wakeup > h->watermark)
		h->wakeup += h->watermark;
	pos = head;
	if (h->lost)
		pos += put_lost(h, u + PERF_RING_PAGE, dsize, pos, &s);
	ring_put(u + PERF_RING_PAGE, dsize, pos, &eh, sizeof(eh));
	pos += sizeof(eh);
	ring_put(u + PERF_RING_PAGE, dsize, pos, fields, nf * 8);
	pos += nf * 8;
	if (st & PERF_SAMPLE_RAW) {
		ring_put(u + PERF_RING_PAGE, dsize, pos, &raw, 4);
		ring_put(u + PERF_RING_PAGE, dsize, pos + 4, data, size);
		ring_put(u + PERF_RING_PAGE, dsize, pos + 4 + size, NULL, raw - size);
	}
	if (!(h->flags & PR_WATERMARK) && h->wakeup_events && ++h->events >= h->wakeup_events) {
		h->events -= h->wakeup_events;
		h->wakeup++;
	}
	h->head = head + total;
	__atomic_store_n(&pg->data_head, head + total, __ATOMIC_RELEASE);
	wake = h->wakeup != before;
	map_unlock(&h->lock);
	if (wake)
		pr_wake(h);
	return 0;
}

/* ---- consumers ---- */

uint32_t perf_ring_poll(struct perf_ring *r, bool clear)
{
	struct pr_hdr *h = r->hdr;

	if (!__atomic_load_n(&h->mapped, __ATOMIC_ACQUIRE))
		return EPOLLHUP;
	return clear ? __atomic_exchange_n(&h->poll, 0, __ATOMIC_SEQ_CST)
		     : __atomic_load_n(&h->poll, __ATOMIC_SEQ_CST);
}

/* The waiter counts, raised before looking at the poll words and lowered
 * after the sleep, pair with pr_wake() as in ringbuf_wait(). */
int perf_ring_wait(struct perf_ring *const *rings, size_t n, int timeout_ms)
{
	struct futex_waitv w[FUTEX_WAITV_MAX];
	bool ready = false;
	struct timespec ts;
	long rc = 0;
	int err = 0;

	if (!n || n > FUTEX_WAITV_MAX)
		return -ENOSYS;
	memset(w, 0, n * sizeof(w[0]));
	for (size_t i = 0; i < n; i++) {
		struct pr_hdr *h = rings[i]->hdr;

		__atomic_fetch_add(&h->waiters, 1, __ATOMIC_SEQ_CST);
		w[i].val = __atomic_load_n(&h->seq, __ATOMIC_SEQ_CST);
		w[i].uaddr = (uint64_t)(uintptr_t)&h->seq;
		w[i].flags = FUTEX_32;
		ready = ready || perf_ring_poll(rings[i], false);
	}
	if (!ready && n == 1) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		rc = syscall(SYS_futex, &rings[0]->hdr->seq, FUTEX_WAIT, (uint32_t)w[0].val,
			     timeout_ms < 0 ? NULL : &ts, NULL, 0);
	} else if (!ready) {
		/* futex_waitv's timeout is absolute */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		rc = syscall(SYS_futex_waitv, w, (unsigned)n, 0, timeout_ms < 0 ? NULL : &ts,
			     CLOCK_MONOTONIC);
	}
	if (rc < 0 && (errno == EINTR || errno == ENOSYS))
		err = -errno;
	for (size_t i = 0; i < n; i++)
		__atomic_fetch_sub(&rings[i]->hdr->waiters, 1, __ATOMIC_SEQ_CST);
	return err;
}

/* ---- the map type ---- */

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_PRESERVE_ELEMS;

	if (!attr->max_entries || attr->key_size != 4 || attr->value_size != 4) {
		ulog_printf(log,
			    "perf_event_array: needs key_size 4, value_size 4 and max_entries > "
			    "0 (got %u, %u, %u)\n",
			    attr->key_size, attr->value_size, attr->max_entries);
		return -EINVAL;
	}
	if (attr->map_flags & ~ok) {
		ulog_printf(log, "perf_event_array: map_flags 0x%x not allowed\n",
			    attr->map_flags & ~ok);
		return -EINVAL;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return slots_size(hdr->max_entries) +
	       (uint64_t)ring_cnt(hdr->max_entries, hdr->ncpus) * (PE_PAGE + PE_RING_SIZE);
}

static int init(struct bpfmap *m)
{
	for (uint32_t i = 0; i < ring_cnt(m->max_entries, m->ncpus); i++) {
		ring_page(m, i)->data_offset = PE_PAGE;
		ring_page(m, i)->data_size = PE_RING_SIZE;
	}
	return 0;
}

/* The kernel's perf_event_get(): an fd of a perf event, else EBADF. */
static bool is_perf_event(int fd)
{
	static const char want[] = "anon_inode:[perf_event]";
	char path[64], link[sizeof(want)];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)sizeof(want) - 1 && !memcmp(link, want, sizeof(want) - 1);
}

static int lookup(struct bpfmap *m, const void *key, void *value, uint64_t flags)
{
	(void)m, (void)key, (void)value;
	return flags ? -EINVAL : -ENOTSUPP; /* no map_fd_sys_lookup_elem */
}

/* Fills slot i under the map's lock; producers read ring before path. */
static void slot_set(struct bpfmap *m, uint32_t i, int32_t fd, const struct perf_ring *r)
{
	struct pe_slot *s = slot(m, i);

	map_lock(&m->hdr->lock);
	if (r)
		memcpy(s->path, r->hdr->path, sizeof(s->path));
	__atomic_store_n(&s->ring, r ? r->hdr->id : 0, __ATOMIC_RELEASE);
	s->fd = fd;
	s->pid = (uint32_t)getpid();
	__atomic_store_n(&s->present, 1, __ATOMIC_RELEASE);
	map_unlock(&m->hdr->lock);
}

static int update(struct bpfmap *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t i = *(const uint32_t *)key;
	int32_t fd = *(const int32_t *)value;
	struct perf_ring *r;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (i >= m->max_entries)
		return -E2BIG;
	r = perf_ring_from_fd(fd);
	if (r) {
		/* the kernel's perf_event_read_local() says EOPNOTSUPP to an
		 * inherited event */
		bool inherit = r->hdr->flags & PR_INHERIT;

		if (!inherit)
			slot_set(m, i, fd, r);
		perf_ring_put(r);
		return inherit ? -EOPNOTSUPP : 0;
	}
	if (!is_perf_event(fd))
		return -EBADF;
	slot_set(m, i, fd, NULL);
	return 0;
}

static int delete (struct bpfmap *m, const void *key)
{
	uint32_t i = *(const uint32_t *)key;

	if (i >= m->max_entries)
		return -E2BIG;
	return __atomic_exchange_n(&slot(m, i)->present, 0, __ATOMIC_ACQ_REL) ? 0 : -ENOENT;
}

static int lookup_and_delete(struct bpfmap *m, const void *key, void *value, uint64_t flags)
{
	return lookup(m, key, value, flags);
}

const struct map_ops map_perf_event_array_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = map_index_next_key,
	.lookup_and_delete = lookup_and_delete,
};

/* ---- bpf_perf_event_output ---- */

/* The handle of the bpfhost event with this id in slot i: cached, or opened
 * by the path the slot names. */
static struct perf_ring *ring_of_slot(struct bpfmap *m, uint32_t i, uint64_t id)
{
	char path[PERF_RING_PATH_MAX];
	struct perf_ring *r = cache_find(0, 0, id);
	int fd;

	if (r)
		return r;
	map_lock(&m->hdr->lock);
	id = slot(m, i)->ring;
	memcpy(path, slot(m, i)->path, sizeof(path));
	map_unlock(&m->hdr->lock);
	path[sizeof(path) - 1] = 0;
	fd = id ? open(path, O_RDWR | O_CLOEXEC) : -1;
	r = fd >= 0 ? ring_new(fd) : NULL;
	if (r && r->hdr->id != id) {
		perf_ring_put(r);
		r = NULL;
	}
	return r ? cache_add(r) : NULL;
}

/* A kernel event's slot: into the map's own ring. */
static long map_ring_output(struct bpfmap *m, uint32_t i, const void *data, uint64_t size)
{
	struct perf_event_mmap_page *pg;
	struct pe_record rec;
	uint64_t head, tail;
	uint32_t raw;

	if (i >= ring_cnt(m->max_entries, m->ncpus))
		return -EOPNOTSUPP;
	/* the raw size covers the data and the padding to 8 after the u32 size;
	 * the record's size is 16 bits */
	if (size > 0xffff - sizeof(rec) - 8)
		return -E2BIG;
	raw = (uint32_t)(((size + 4 + 7) & ~7ull) - 4);
	rec.header.type = PERF_RECORD_SAMPLE;
	rec.header.misc = PERF_RECORD_MISC_USER;
	rec.header.size = (uint16_t)(sizeof(rec) + raw);
	rec.size = raw;
	pg = ring_page(m, i);
	map_lock(&m->hdr->lock);
	head = pg->data_head;
	tail = __atomic_load_n(&pg->data_tail, __ATOMIC_ACQUIRE);
	if (head - tail + rec.header.size > PE_RING_SIZE) {
		slot(m, i)->lost++;
		map_unlock(&m->hdr->lock);
		return -ENOSPC;
	}
	ring_put(ring_data(m, i), PE_RING_SIZE, head, &rec, sizeof(rec));
	ring_put(ring_data(m, i), PE_RING_SIZE, head + sizeof(rec), data, size);
	ring_put(ring_data(m, i), PE_RING_SIZE, head + sizeof(rec) + size, NULL, raw - size);
	__atomic_store_n(&pg->data_head, head + rec.header.size, __ATOMIC_RELEASE);
	map_unlock(&m->hdr->lock);
	return 0;
}

long perf_array_output(struct bpfmap *m, uint64_t flags, const void *data, uint64_t size,
		       unsigned cpu)
{
	uint64_t i = flags & BPF_F_INDEX_MASK, id;
	struct perf_ring *r;
	long err;

	if (flags & ~(uint64_t)BPF_F_INDEX_MASK)
		return -EINVAL;
	if (i == BPF_F_CURRENT_CPU)
		i = cpu;
	if (i >= m->max_entries)
		return -E2BIG;
	if (!__atomic_load_n(&slot(m, (uint32_t)i)->present, __ATOMIC_ACQUIRE))
		return -ENOENT;
	id = __atomic_load_n(&slot(m, (uint32_t)i)->ring, __ATOMIC_ACQUIRE);
	if (!id)
		return map_ring_output(m, (uint32_t)i, data, size);
	r = ring_of_slot(m, (uint32_t)i, id);
	if (!r)
		return -ENOENT; /* its file is gone: the event is */
	err = perf_ring_output(r, cpu, data, size);
	perf_ring_put(r);
	return err;
}

/* ---- reading the map's rings, for tools ---- */

int perf_array_read(struct bpfmap *m, uint32_t index,
		    int (*fn)(void *ctx, const void *data, uint32_t size), void *ctx)
{
	struct perf_event_mmap_page *pg;
	uint8_t *buf, *ring;
	uint64_t head, tail;
	int cnt = 0, err = 0;

	if (index >= ring_cnt(m->max_entries, m->ncpus))
		return -EINVAL;
	buf = malloc(0x10000);
	if (!buf)
		return -ENOMEM;
	pg = ring_page(m, index);
	ring = ring_data(m, index);
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	tail = pg->data_tail;
	while (tail < head && !err) {
		uint64_t at = tail & (PE_RING_SIZE - 1), first = PE_RING_SIZE - at;
		struct perf_event_header h;
		struct pe_record rec;

		/* a header is 8-aligned, 8 bytes: never split */
		memcpy(&h, ring + at, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail)
			break; /* not a record a producer wrote */
		if (first < h.size) {
			memcpy(buf, ring + at, first);
			memcpy(buf + first, ring, h.size - first);
		} else {
			memcpy(buf, ring + at, h.size);
		}
		memset(&rec, 0, sizeof(rec));
		memcpy(&rec, buf, h.size < sizeof(rec) ? sizeof(h) : sizeof(rec));
		if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof(rec) &&
		    rec.size <= h.size - sizeof(rec)) {
			err = fn(ctx, buf + sizeof(rec), rec.size);
			cnt++;
		}
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
	free(buf);
	return err < 0 ? err : cnt;
}

uint64_t perf_array_lost(const struct bpfmap *m, uint32_t index)
{
	return index < m->max_entries ? __atomic_load_n(&slot(m, index)->lost, __ATOMIC_RELAXED)
				      : 0;
}
