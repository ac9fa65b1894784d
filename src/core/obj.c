/* Objects, their ids and the fd table: see obj.h. One mutex guards the id
 * lists; a rwlock guards the fd table, which readers (every map command)
 * take shared. */
#include "obj.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fd_entry {
	struct obj *obj;
	int mode;
};

static pthread_rwlock_t fd_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct fd_entry *fds;
static size_t fd_cap;

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t next_id[OBJ_LINK + 1];
static struct obj *id_head[OBJ_LINK + 1];

void obj_init(struct obj *obj, enum obj_type type, int file_fd, void (*free_fn)(struct obj *))
{
	struct obj **p;

	obj->type = type;
	atomic_init(&obj->refcnt, 1);
	obj->free = free_fn;
	obj->file_fd = file_fd;
	obj->id_next = NULL;
	pthread_mutex_lock(&id_lock);
	obj->id = ++next_id[type];
	for (p = &id_head[type]; *p; p = &(*p)->id_next)
		;
	*p = obj;
	pthread_mutex_unlock(&id_lock);
}

void obj_get(struct obj *obj)
{
	atomic_fetch_add_explicit(&obj->refcnt, 1, memory_order_relaxed);
}

void obj_put(struct obj *obj)
{
	struct obj **p;

	if (!obj || atomic_fetch_sub_explicit(&obj->refcnt, 1, memory_order_acq_rel) != 1)
		return;
	pthread_mutex_lock(&id_lock);
	for (p = &id_head[obj->type]; *p; p = &(*p)->id_next) {
		if (*p == obj) {
			*p = obj->id_next;
			break;
		}
	}
	pthread_mutex_unlock(&id_lock);
	if (obj->file_fd >= 0)
		close(obj->file_fd);
	obj->free(obj);
}

static int table_grow(size_t need)
{
	size_t cap = fd_cap ? fd_cap : 256;
	struct fd_entry *n;

	while (cap <= need)
		cap *= 2;
	n = realloc(fds, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + fd_cap, 0, (cap - fd_cap) * sizeof(*n));
	fds = n;
	fd_cap = cap;
	return 0;
}

int obj_fd_new(struct obj *obj, int mode)
{
	char path[64];
	struct obj *stale = NULL;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", obj->file_fd);
	fd = open(path, mode | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	pthread_rwlock_wrlock(&fd_lock);
	err = (size_t)fd >= fd_cap ? table_grow((size_t)fd) : 0;
	if (!err) {
		stale = fds[fd].obj; /* closed behind our back, number reused */
		obj_get(obj);
		fds[fd].obj = obj;
		fds[fd].mode = mode;
	}
	pthread_rwlock_unlock(&fd_lock);
	obj_put(stale);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

struct obj *obj_from_fd(int fd, enum obj_type type, int *mode, int *err)
{
	struct obj *obj = NULL;

	pthread_rwlock_rdlock(&fd_lock);
	if (fd >= 0 && (size_t)fd < fd_cap && fds[fd].obj) {
		obj = fds[fd].obj;
		if (obj->type == type) {
			obj_get(obj);
			if (mode)
				*mode = fds[fd].mode;
		} else {
			obj = NULL;
			*err = -EINVAL;
		}
	} else {
		*err = -EBADF;
	}
	pthread_rwlock_unlock(&fd_lock);
	return obj;
}

int obj_fd_forget(int fd)
{
	struct obj *obj = NULL;

	pthread_rwlock_wrlock(&fd_lock);
	if (fd >= 0 && (size_t)fd < fd_cap) {
		obj = fds[fd].obj;
		fds[fd].obj = NULL;
	}
	pthread_rwlock_unlock(&fd_lock);
	obj_put(obj);
	return obj != NULL;
}

void obj_fd_dup(int fd, int fd2)
{
	struct obj *stale = NULL;

	if (fd2 < 0 || fd == fd2)
		return;
	pthread_rwlock_wrlock(&fd_lock);
	if (fd >= 0 && (size_t)fd < fd_cap && fds[fd].obj &&
	    ((size_t)fd2 < fd_cap || !table_grow((size_t)fd2))) {
		stale = fds[fd2].obj;
		obj_get(fds[fd].obj);
		fds[fd2] = fds[fd];
	}
	pthread_rwlock_unlock(&fd_lock);
	obj_put(stale);
}

struct obj *obj_next_by_id(enum obj_type type, uint32_t id)
{
	struct obj *o;

	pthread_mutex_lock(&id_lock);
	for (o = id_head[type]; o && o->id <= id; o = o->id_next)
		;
	if (o)
		obj_get(o);
	pthread_mutex_unlock(&id_lock);
	return o;
}

struct obj *obj_by_id(enum obj_type type, uint32_t id)
{
	struct obj *o;

	pthread_mutex_lock(&id_lock);
	for (o = id_head[type]; o && o->id != id; o = o->id_next)
		;
	if (o)
		obj_get(o);
	pthread_mutex_unlock(&id_lock);
	return o;
}

static char dir_path[512];
static pthread_once_t dir_once = PTHREAD_ONCE_INIT;

static void dir_init(void)
{
	const char *env = getenv("BPFHOST_DIR"), *run = getenv("XDG_RUNTIME_DIR");

	if (env && *env)
		snprintf(dir_path, sizeof(dir_path), "%s", env);
	else if (run && *run)
		snprintf(dir_path, sizeof(dir_path), "%s/bpfhost", run);
	else
		snprintf(dir_path, sizeof(dir_path), "/dev/shm/bpfhost-%u", (unsigned)getuid());
	mkdir(dir_path, 0700);
}

const char *obj_dir(void)
{
	pthread_once(&dir_once, dir_init);
	return dir_path;
}

int obj_tmpfile(uint64_t size)
{
	int fd = open(obj_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	/* reserve the memory now, as the kernel preallocates: a full tmpfs is an
	 * error at creation, never a SIGBUS when a program first touches a page */
	int err = posix_fallocate(fd, 0, (off_t)size);

	if (err == EOPNOTSUPP || err == EINVAL)
		err = ftruncate(fd, (off_t)size) ? errno : 0;
	if (err) {
		close(fd);
		return err == ENOSPC ? -ENOMEM : -err;
	}
	return fd;
}
