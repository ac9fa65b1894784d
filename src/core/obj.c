/* Objects, ids, the registry of shared ids and the fd table: see obj.h. A
 * mutex guards the object list; a rwlock guards the fd table, which readers
 * (every map command) take shared. */
#include "obj.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers/trace.h"
#include "../maps/map.h"
#include "btf.h"
#include "prog.h"
#include "tracepipe.h"

struct fd_entry {
	struct obj *obj;
	int mode;
};

static pthread_rwlock_t fd_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct fd_entry *fds;
static size_t fd_cap;

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct obj *live[OBJ_LINK + 1];
static uint32_t local_next_id[OBJ_LINK + 1];

static const char *const type_names[] = {"", "map", "prog", "btf", "link"};

/* ---- the directory and the shared registry ---- */

static char dir_path[512];
static int ids_fd = -1;
static atomic_uint *shared_next_id; /* one counter per type, in .ids/next */
static pthread_once_t dir_once = PTHREAD_ONCE_INIT;

static void dir_init(void)
{
	const char *env = getenv("BPFHOST_DIR"), *run = getenv("XDG_RUNTIME_DIR");
	char ids[600];
	int fd;

	if (env && *env)
		snprintf(dir_path, sizeof(dir_path), "%s", env);
	else if (run && *run)
		snprintf(dir_path, sizeof(dir_path), "%s/bpfhost", run);
	else
		snprintf(dir_path, sizeof(dir_path), "/dev/shm/bpfhost-%u", (unsigned)getuid());
	/* mkdirat, not mkdir: the wrappers and the preload rewrite mkdir of pin paths,
	 * which would come back here */
	mkdirat(AT_FDCWD, dir_path, 0700);
	snprintf(ids, sizeof(ids), "%s/.ids", dir_path);
	mkdirat(AT_FDCWD, ids, 0700);
	trace_set_sink(tracepipe_write); /* bpf_trace_printk's lines */
	ids_fd = open(ids, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ids_fd < 0)
		return;
	fd = openat(ids_fd, "next", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (ftruncate(fd, 4096) == 0) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (p != MAP_FAILED)
			shared_next_id = p;
	}
	close(fd);
}

const char *obj_dir(void)
{
	pthread_once(&dir_once, dir_init);
	return dir_path;
}

int obj_tmpfile(void)
{
	int fd = open(obj_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	return fd < 0 ? -errno : fd;
}

static bool shared_ids(enum obj_type type)
{
	return type == OBJ_MAP || type == OBJ_PROG || type == OBJ_BTF;
}

static uint32_t id_alloc(enum obj_type type)
{
	obj_dir();
	if (shared_ids(type) && shared_next_id)
		return atomic_fetch_add(&shared_next_id[type], 1) + 1;
	return ++local_next_id[type];
}

static void id_name(char *buf, size_t len, enum obj_type type, uint32_t id)
{
	snprintf(buf, len, "%s.%u", type_names[type], id);
}

void obj_publish(struct obj *obj)
{
	char path[64], name[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", obj->file_fd);
	id_name(name, sizeof(name), obj->type, obj->id);
	linkat(AT_FDCWD, path, ids_fd, name, AT_SYMLINK_FOLLOW);
}

void obj_hold(enum obj_type holder_type, uint32_t holder_id, const struct obj *target)
{
	char path[64], name[64];

	obj_dir();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", target->file_fd);
	snprintf(name, sizeof(name), "hold.%s.%u.%s.%u", type_names[holder_type], holder_id,
		 type_names[target->type], target->id);
	linkat(AT_FDCWD, path, ids_fd, name, AT_SYMLINK_FOLLOW);
}

/* Is the file fd held by some process (a flock) or pinned (a second link)? */
static bool file_alive(int fd)
{
	struct stat st;

	if (flock(fd, LOCK_EX | LOCK_NB))
		return true;
	flock(fd, LOCK_UN);
	return fstat(fd, &st) == 0 && st.st_nlink > 1;
}

/* Opens the registered file of (type, id) if its object is alive; removes
 * the entry of a dead one. */
static int open_registered(enum obj_type type, uint32_t id)
{
	char name[32];
	int fd;

	obj_dir();
	id_name(name, sizeof(name), type, id);
	fd = openat(ids_fd, name, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (!file_alive(fd)) {
		unlinkat(ids_fd, name, 0);
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* ---- objects ---- */

static void list_insert(struct obj *obj)
{
	struct obj **p;

	for (p = &live[obj->type]; *p && (*p)->id < obj->id; p = &(*p)->next)
		;
	obj->next = *p;
	*p = obj;
}

int obj_init(struct obj *obj, enum obj_type type, int file_fd, void (*free_fn)(struct obj *),
	     uint32_t id)
{
	struct stat st;

	if (fstat(file_fd, &st))
		return -errno;
	obj->type = type;
	atomic_init(&obj->refcnt, 1);
	obj->free = free_fn;
	obj->file_fd = file_fd;
	obj->dev = st.st_dev;
	obj->ino = st.st_ino;
	obj->id = id ? id : id_alloc(type);
	if (shared_ids(type))
		flock(file_fd, LOCK_SH);
	pthread_mutex_lock(&list_lock);
	list_insert(obj);
	pthread_mutex_unlock(&list_lock);
	return 0;
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
	pthread_mutex_lock(&list_lock);
	for (p = &live[obj->type]; *p; p = &(*p)->next) {
		if (*p == obj) {
			*p = obj->next;
			break;
		}
	}
	pthread_mutex_unlock(&list_lock);
	if (shared_ids(obj->type)) {
		flock(obj->file_fd, LOCK_UN);
		if (!file_alive(obj->file_fd)) {
			char name[32];

			id_name(name, sizeof(name), obj->type, obj->id);
			unlinkat(ids_fd, name, 0);
		}
	}
	close(obj->file_fd);
	obj->free(obj);
}

/* This process's object for the file (dev, ino), with a reference, or NULL. */
static struct obj *find_file(dev_t dev, ino_t ino)
{
	struct obj *found = NULL;

	pthread_mutex_lock(&list_lock);
	for (int t = OBJ_MAP; t <= OBJ_LINK && !found; t++)
		for (struct obj *o = live[t]; o; o = o->next)
			if (o->dev == dev && o->ino == ino) {
				obj_get(o);
				found = o;
				break;
			}
	pthread_mutex_unlock(&list_lock);
	return found;
}

static void map_obj_free(struct obj *obj)
{
	map_put(map_of(obj));
	free(obj);
}

int obj_of_map(struct bpfmap *map, struct obj **out)
{
	struct obj *obj;
	struct stat st;
	uint32_t id;
	int fd, err;

	if (fstat(map->fd, &st)) {
		map_put(map);
		return -errno;
	}
	obj = find_file(st.st_dev, st.st_ino);
	if (obj) {
		map_put(map);
		*out = obj;
		return 0;
	}
	obj = calloc(1, sizeof(*obj));
	fd = obj ? fcntl(map->fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (fd < 0) {
		free(obj);
		map_put(map);
		return -ENOMEM;
	}
	obj->priv = map;
	id = atomic_load(&map->hdr->id);
	err = obj_init(obj, OBJ_MAP, fd, map_obj_free, id);
	if (err) {
		close(fd);
		map_obj_free(obj);
		return err;
	}
	if (!id) {
		atomic_store(&map->hdr->id, obj->id);
		obj_publish(obj);
	}
	*out = obj;
	return 0;
}

int obj_from_file(int fd, struct obj **out)
{
	struct bpfmap *map;
	struct stat st;
	char magic[8];
	int err;

	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	*out = find_file(st.st_dev, st.st_ino);
	if (*out) {
		close(fd);
		return 0;
	}
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
		close(fd);
		return -EINVAL;
	}
	if (!memcmp(magic, BTF_MAGIC_FILE, sizeof(magic))) {
		struct bpfbtf *b;

		err = btf_open_file(fd, &b);
		if (!err)
			*out = &b->obj;
		return err;
	}
	if (!memcmp(magic, PROG_MAGIC, sizeof(magic))) {
		struct bpfprog *prog;

		err = prog_open_file(fd, &prog);
		if (!err)
			*out = &prog->obj;
		return err;
	}
	if (memcmp(magic, MAP_MAGIC, sizeof(magic))) {
		close(fd);
		return -EINVAL;
	}
	err = map_open_file(fd, &map);
	if (err) {
		close(fd);
		return err;
	}
	return obj_of_map(map, out);
}

static struct obj *local_by_id(enum obj_type type, uint32_t id, bool next)
{
	struct obj *o;

	pthread_mutex_lock(&list_lock);
	for (o = live[type]; o && (next ? o->id <= id : o->id != id); o = o->next)
		;
	if (o)
		obj_get(o);
	pthread_mutex_unlock(&list_lock);
	return o;
}

struct obj *obj_by_id(enum obj_type type, uint32_t id)
{
	struct obj *o = local_by_id(type, id, false);
	int fd;

	if (o || !shared_ids(type))
		return o;
	fd = open_registered(type, id);
	if (fd < 0 || obj_from_file(fd, &o))
		return NULL;
	return o;
}

/* Removes the holds of holders that are gone. */
static void gc_refs(DIR *d)
{
	struct dirent *de;
	char type[8];
	unsigned id;

	rewinddir(d);
	while ((de = readdir(d))) {
		int fd = -1;

		if (sscanf(de->d_name, "hold.%7[a-z].%u.", type, &id) != 2)
			continue;
		for (int t = OBJ_MAP; t <= OBJ_LINK; t++)
			if (!strcmp(type, type_names[t]))
				fd = open_registered((enum obj_type)t, id);
		if (fd < 0)
			unlinkat(ids_fd, de->d_name, 0);
		else
			close(fd);
	}
}

struct obj *obj_next_by_id(enum obj_type type, uint32_t id)
{
	uint32_t best = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	if (!shared_ids(type))
		return local_by_id(type, id, true);
	obj_dir();
	fd = ids_fd >= 0 ? fcntl(ids_fd, F_DUPFD_CLOEXEC, 0) : -1;
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return local_by_id(type, id, true);
	}
	gc_refs(d);
	/* every live object of a shared type is registered, ours included */
	for (;;) {
		best = 0;
		rewinddir(d);
		while ((de = readdir(d))) {
			size_t n = strlen(type_names[type]);
			unsigned long v;
			char *end;

			if (strncmp(de->d_name, type_names[type], n) || de->d_name[n] != '.')
				continue;
			v = strtoul(de->d_name + n + 1, &end, 10);
			if (*end || v <= id || v > UINT32_MAX || (best && v >= best))
				continue;
			best = (uint32_t)v;
		}
		if (!best)
			break;
		struct obj *o = obj_by_id(type, best);

		if (o) {
			closedir(d);
			return o;
		}
		id = best; /* dead: look further */
	}
	closedir(d);
	return NULL;
}

/* ---- the fd table ---- */

/* A map's fds are user space's references (the kernel's usercnt): the last
 * one closed releases what the map's values keep outside the file (timers). */
static void user_ref(struct obj *obj, bool get)
{
	if (!obj || obj->type != OBJ_MAP)
		return;
	if (get)
		atomic_fetch_add(&map_of(obj)->usercnt, 1);
	else if (atomic_fetch_sub(&map_of(obj)->usercnt, 1) == 1)
		map_release_uref(map_of(obj));
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
		user_ref(obj, true);
		fds[fd].obj = obj;
		fds[fd].mode = mode;
	}
	pthread_rwlock_unlock(&fd_lock);
	user_ref(stale, false);
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
	/* an open fd that is no bpf object: the kernel says EINVAL, not EBADF */
	if (!obj && *err == -EBADF && fd >= 0 && fcntl(fd, F_GETFD) >= 0)
		*err = -EINVAL;
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
	user_ref(obj, false);
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
		user_ref(fds[fd].obj, true);
		fds[fd2] = fds[fd];
	}
	pthread_rwlock_unlock(&fd_lock);
	user_ref(stale, false);
	obj_put(stale);
}

long obj_mmap_offset(int fd)
{
	struct obj *o;
	long off;
	int err = 0;

	o = obj_from_fd(fd, OBJ_MAP, NULL, &err);
	if (!o)
		return 0;
	if (!(map_of(o)->map_flags & BPF_F_MMAPABLE))
		off = -EINVAL;
	else if (map_of(o)->hdr->spin_lock_off >= 0 || map_of(o)->hdr->timer_off >= 0)
		off = -524; /* ENOTSUPP: the kernel maps no value with special fields */
	else
		off = (long)map_of(o)->hdr->data_off;
	obj_put(o);
	return off;
}

const char *obj_fd_link(int fd)
{
	static const char *const links[] = {NULL, "anon_inode:bpf-map", "anon_inode:bpf-prog",
					    "anon_inode:btf", "anon_inode:bpf_link"};
	const char *l = NULL;

	pthread_rwlock_rdlock(&fd_lock);
	if (fd >= 0 && (size_t)fd < fd_cap && fds[fd].obj)
		l = links[fds[fd].obj->type];
	pthread_rwlock_unlock(&fd_lock);
	return l;
}

size_t obj_fdinfo(int fd, char *buf, size_t len)
{
	struct obj *o = NULL;
	int err = 0, n = 0, mode = O_RDWR;

	for (int t = OBJ_MAP; t <= OBJ_LINK && !o; t++)
		o = obj_from_fd(fd, (enum obj_type)t, &mode, &err);
	if (!o)
		return 0;
	if (o->type == OBJ_MAP) {
		const struct bpfmap *m = map_of(o);

		n = snprintf(buf, len,
			     "pos:\t0\nflags:\t%08o\nmnt_id:\t0\nino:\t%lu\nmap_type:\t%u\n"
			     "key_size:\t%u\nvalue_size:\t%u\nmax_entries:\t%u\nmap_flags:\t%#x\n"
			     "map_extra:\t%#llx\nmemlock:\t%llu\nmap_id:\t%u\nfrozen:\t%u\n",
			     02000000 | mode, (unsigned long)o->ino, m->hdr->map_type, m->key_size,
			     m->value_size, m->max_entries, m->map_flags,
			     (unsigned long long)m->hdr->map_extra,
			     (unsigned long long)m->file_size, o->id, atomic_load(&m->hdr->frozen));
	} else if (o->type == OBJ_PROG) {
		const struct bpfprog *p = prog_of(o);

		n = snprintf(buf, len,
			     "pos:\t0\nflags:\t%08o\nmnt_id:\t0\nino:\t%lu\nprog_type:\t%u\n"
			     "prog_jited:\t0\nprog_tag:\t%02x%02x%02x%02x%02x%02x%02x%02x\n"
			     "memlock:\t%u\nprog_id:\t%u\n",
			     02000000 | mode, (unsigned long)o->ino, p->prog_type, p->tag[0],
			     p->tag[1], p->tag[2], p->tag[3], p->tag[4], p->tag[5], p->tag[6],
			     p->tag[7], (p->insn_cnt * 8 + 4095) / 4096 * 4096, o->id);
	} else {
		n = snprintf(buf, len, "pos:\t0\nflags:\t%08o\nmnt_id:\t0\nino:\t%lu\n",
			     02000000 | mode, (unsigned long)o->ino);
	}
	obj_put(o);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}
