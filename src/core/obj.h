/* Objects (maps, programs, BTF, links), their ids, and the fd table.
 *
 * An fd handed out is a real file descriptor of the file that stands for the
 * object (a map's shared-memory file; an anonymous file for the others), so
 * close/dup/fcntl/poll behave; the table maps fd numbers to objects with one
 * reference per fd (close and dup reach it through the link-time wrappers and
 * the preload library).
 *
 * Maps are shared between processes, so their ids are too: obj_dir()/.ids
 * holds a hard link "map.<id>" to every live map's file and a counter file
 * "next" from which ids are drawn. Every process that holds a map keeps a
 * shared flock on its file; a map no process holds and no pin names is dead,
 * and its id link is removed by whoever notices (after a crash: the next scan).
 * Within a process there is one object per file. Other ids are per process.
 */
#ifndef BPFHOST_CORE_OBJ_H
#define BPFHOST_CORE_OBJ_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

struct bpfmap;

enum obj_type { OBJ_MAP = 1, OBJ_PROG, OBJ_BTF, OBJ_LINK };

struct obj {
	enum obj_type type;
	atomic_uint refcnt;
	uint32_t id;
	int file_fd; /* the file that stands for the object, owned */
	dev_t dev;   /* and its identity */
	ino_t ino;
	void (*free)(struct obj *obj); /* called when the last reference goes */
	void *priv;		       /* OBJ_MAP: the struct bpfmap * */
	struct obj *next;	       /* the list of live objects, by type and id */
};

/* Registers obj (one reference, the caller's) with the given id, or a new one
 * when id is 0. file_fd is taken over. */
int obj_init(struct obj *obj, enum obj_type type, int file_fd, void (*free_fn)(struct obj *),
	     uint32_t id);
void obj_get(struct obj *obj);
void obj_put(struct obj *obj);

/* Registers obj's file under its id in obj_dir()/.ids, for other processes. */
void obj_publish(struct obj *obj);
/* Keeps target alive (in every process) while the holder exists: a link
 * "hold.<type>.<id>.<type>.<id>" to target's file, which id scans remove once
 * the holder is gone. */
void obj_hold(enum obj_type holder_type, uint32_t holder_id, const struct obj *target);

/* The object of a map (a new one, or this process's existing one for the
 * same file), with a reference. Takes the caller's map reference over. */
int obj_of_map(struct bpfmap *map, struct obj **out);

static inline struct bpfmap *map_of(struct obj *obj)
{
	return (struct bpfmap *)obj->priv;
}

/* Hands out a new fd for obj (a new open file description of its file),
 * taking a reference; mode is O_RDONLY, O_WRONLY or O_RDWR. Returns the fd or -errno. */
int obj_fd_new(struct obj *obj, int mode);
/* The object behind fd with a new reference, or NULL: *err = -EBADF if fd is
 * not an object, -EINVAL if it is one of another type. *mode gets the fd's
 * open mode when mode is not NULL. */
struct obj *obj_from_fd(int fd, enum obj_type type, int *mode, int *err);
/* fd was closed (or is about to be): drop its reference. Returns 1 if it was ours. */
int obj_fd_forget(int fd);
/* fd2 is now a duplicate of fd (dup/dup2/fcntl F_DUPFD): give it a reference. */
void obj_fd_dup(int fd, int fd2);

/* Where offset 0 of an mmap() of fd lands in its file: 0 for an fd that is
 * not a map, the data offset for an mmapable map, -EINVAL for other maps. */
long obj_mmap_offset(int fd);
/* What readlink("/proc/self/fd/N") shows for fd in the kernel
 * ("anon_inode:bpf-map", ...), or NULL if fd is not ours. */
const char *obj_fd_link(int fd);

/* What /proc/self/fdinfo/N shows for fd in the kernel (map_type, key_size,
 * memlock, map_id, frozen, ... or prog_type, prog_tag, prog_id, ...): the
 * length written to buf, or 0 if fd is not ours. */
size_t obj_fdinfo(int fd, char *buf, size_t len);

/* The live object of type with the smallest id > id, or NULL; with a reference. */
struct obj *obj_next_by_id(enum obj_type type, uint32_t id);
struct obj *obj_by_id(enum obj_type type, uint32_t id);
/* The object stored in the file fd (a pin), taking fd over; -EINVAL if the
 * file holds no object bpfhost knows. */
int obj_from_file(int fd, struct obj **out);

/* The directory of object files and pins: $BPFHOST_DIR, else
 * $XDG_RUNTIME_DIR/bpfhost, else /dev/shm/bpfhost-UID. Created on first use. */
const char *obj_dir(void);
/* An anonymous file in obj_dir() (O_TMPFILE), or -errno. */
int obj_tmpfile(void);

#endif
