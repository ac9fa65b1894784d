/* The trace pipe's files and their rotation: see tracepipe.h.
 *
 * Every process appends lines with O_APPEND to the file it opened. A word
 * in trace_pipe.gen, mapped shared by every process, counts the rotations
 * and clears: a writer whose count is behind reopens the trace pipe before
 * it writes, so no line goes to a renamed or emptied file (but for one
 * racing the rename itself). After a sixteenth of the limit written by it,
 * or 100 ms since it last looked, a writer looks at the file's size and, if
 * it has passed the limit, renames it to trace_pipe.old and counts a
 * rotation. Rotations and clears take an flock all processes share, so
 * that two writers never both rename. A new descriptor replaces the old
 * one under the same number (dup3): a thread writing meanwhile writes to
 * one file or the other, never to a closed descriptor. A reader that finds
 * the trace pipe renamed reads the rest of the file it had, then the older
 * file if it missed that one whole, then the new one. */
#include "tracepipe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "obj.h"

#define CHECK_NS 100000000ll	  /* a writer looks at the size at least every 100 ms */
#define OLD_GRACE_NS 1000000000ll /* how long a reader drains a renamed file */

static pthread_once_t writer_once = PTHREAD_ONCE_INIT, gen_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
static int writer_fd = -1;
static _Atomic unsigned writer_gen; /* the count writer_fd was opened at */
/* trace_pipe.gen's words (NULL: none): [0] rotations and clears (writers
 * reopen), [1] clears (readers start the emptied file again) */
static _Atomic unsigned *shared_gen;
static size_t limit;
static atomic_size_t since_check;
static atomic_llong next_check_ns;

static long long now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void path_of(char *out, size_t size, const char *suffix)
{
	snprintf(out, size, "%s/trace_pipe%s", obj_dir(), suffix);
}

static size_t limit_get(void)
{
	const char *env = getenv("BPFHOST_TRACE_PIPE_MAX");
	char *end;
	unsigned long long v;

	if (!env || !*env)
		return TRACEPIPE_MAX_DEFAULT;
	v = strtoull(env, &end, 0);
	if (*end || v < 4096)
		return TRACEPIPE_MAX_DEFAULT;
	return v > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)v;
}

/* The rotation count every process shares, mapped once per process. */
static void gen_map(void)
{
	char path[600];
	void *p;
	int fd;

	path_of(path, sizeof(path), ".gen");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (ftruncate(fd, 4096) == 0)
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	else
		p = MAP_FAILED;
	close(fd);
	if (p != MAP_FAILED)
		shared_gen = p;
}

/* Rotations and clears of all processes, one at a time: an flock on a file
 * of its own, opened each time (a descriptor kept across fork would be one
 * lock for parent and child). The lock's descriptor, or -1. */
static int lock_all(void)
{
	char path[600];
	int fd;

	path_of(path, sizeof(path), ".lock");
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static unsigned gen_now(void)
{
	return shared_gen ? atomic_load(shared_gen) : 0;
}

/* writer_fd becomes the trace pipe as it is now (writer_lock held). */
static void reopen(void)
{
	char path[600];
	int fd;

	writer_gen = gen_now();
	path_of(path, sizeof(path), "");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (writer_fd < 0) {
		writer_fd = fd;
		return;
	}
	dup3(fd, writer_fd, O_CLOEXEC);
	close(fd);
}

static void writer_init(void)
{
	limit = limit_get();
	pthread_once(&gen_once, gen_map);
	atomic_store(&next_check_ns, now_ns(CLOCK_MONOTONIC_COARSE) + CHECK_NS);
	reopen();
}

/* Renames the trace pipe if it has passed the limit (writer_lock held). */
static void check_size(void)
{
	char cur[600], old[600];
	struct stat held, named;
	int lock;

	atomic_store(&since_check, 0);
	atomic_store(&next_check_ns, now_ns(CLOCK_MONOTONIC_COARSE) + CHECK_NS);
	if (fstat(writer_fd, &held) || (size_t)held.st_size < limit)
		return;
	path_of(cur, sizeof(cur), "");
	path_of(old, sizeof(old), ".old");
	lock = lock_all();
	if (lock < 0)
		return;
	/* still the trace pipe: no other writer renamed it meanwhile */
	if (stat(cur, &named) == 0 && named.st_ino == held.st_ino && named.st_dev == held.st_dev &&
	    rename(cur, old) == 0 && shared_gen)
		atomic_fetch_add(shared_gen, 1);
	close(lock);
	reopen();
}

void tracepipe_write(const char *line, size_t len)
{
	ssize_t w;

	pthread_once(&writer_once, writer_init);
	if (writer_fd < 0)
		return;
	if (writer_gen != gen_now()) {
		pthread_mutex_lock(&writer_lock);
		if (writer_gen != gen_now())
			reopen();
		pthread_mutex_unlock(&writer_lock);
	}
	w = write(writer_fd, line, len);
	if (w <= 0)
		return;
	if (atomic_fetch_add(&since_check, (size_t)w) + (size_t)w >= limit / 16 ||
	    now_ns(CLOCK_MONOTONIC_COARSE) >= atomic_load(&next_check_ns)) {
		pthread_mutex_lock(&writer_lock);
		check_size();
		pthread_mutex_unlock(&writer_lock);
	}
}

int tracepipe_open(struct tracepipe_reader *r, bool from_end)
{
	char cur[600], old[600];

	path_of(cur, sizeof(cur), "");
	path_of(old, sizeof(old), ".old");
	pthread_once(&gen_once, gen_map);
	r->old_fd = -1;
	r->old_end = 0;
	r->clears = shared_gen ? atomic_load(&shared_gen[1]) : 0;
	r->fd = open(cur, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (r->fd < 0)
		return -errno;
	if (from_end) {
		lseek(r->fd, 0, SEEK_END);
	} else {
		r->old_fd = open(old, O_RDONLY | O_CLOEXEC);
		r->old_end = now_ns(CLOCK_MONOTONIC) + OLD_GRACE_NS;
	}
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

ssize_t tracepipe_read(struct tracepipe_reader *r, char *buf, size_t len)
{
	char cur[600], old[600];
	struct stat held, named, older;
	unsigned clears = shared_gen ? atomic_load(&shared_gen[1]) : r->clears;
	ssize_t n;
	int fd;

	if (clears != r->clears) {
		/* emptied (tracepipe_clear): its start again, the older file gone */
		r->clears = clears;
		lseek(r->fd, 0, SEEK_SET);
		if (r->old_fd >= 0)
			close(r->old_fd);
		r->old_fd = -1;
	}
	if (r->old_fd >= 0) {
		n = read(r->old_fd, buf, len);
		if (n > 0)
			return n;
		if (now_ns(CLOCK_MONOTONIC) >= r->old_end) {
			close(r->old_fd);
			r->old_fd = -1;
		}
	}
	n = read(r->fd, buf, len);
	if (n != 0 || fstat(r->fd, &held))
		return n < 0 ? -errno : n;
	path_of(cur, sizeof(cur), "");
	path_of(old, sizeof(old), ".old");
	if (stat(cur, &named) || same_file(&named, &held))
		return 0;
	/* rotated: the file read so far is trace_pipe.old (drained a while
	 * longer), or it is gone and trace_pipe.old is one not read at all */
	fd = open(cur, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (r->old_fd >= 0)
		close(r->old_fd);
	if (stat(old, &older) == 0 && !same_file(&older, &held)) {
		close(r->fd);
		r->old_fd = open(old, O_RDONLY | O_CLOEXEC);
	} else {
		r->old_fd = r->fd;
	}
	r->old_end = now_ns(CLOCK_MONOTONIC) + OLD_GRACE_NS;
	r->fd = fd;
	return tracepipe_read(r, buf, len);
}

void tracepipe_close(struct tracepipe_reader *r)
{
	if (r->old_fd >= 0)
		close(r->old_fd);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = r->old_fd = -1;
}

int tracepipe_clear(void)
{
	char cur[600], old[600];
	int lock = lock_all(), err = 0;

	path_of(cur, sizeof(cur), "");
	path_of(old, sizeof(old), ".old");
	if (unlink(old) && errno != ENOENT)
		err = -errno;
	if (!err && truncate(cur, 0) && errno != ENOENT)
		err = -errno;
	pthread_once(&gen_once, gen_map);
	if (shared_gen) { /* writers reopen: none goes on into a removed file */
		atomic_fetch_add(&shared_gen[1], 1);
		atomic_fetch_add(&shared_gen[0], 1);
	}
	if (lock >= 0)
		close(lock);
	return err;
}
