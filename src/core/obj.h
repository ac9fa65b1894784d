/* Objects (maps, programs, BTF, links) and the fd table of this process.
 * An fd handed out is a real file descriptor of a file that stands for the
 * object (a map's shared-memory file; an anonymous memfd for the others), so
 * close/dup/fcntl/poll behave. The table maps fd numbers to objects and keeps
 * one reference per fd; close and dup reach it through the link-time wrappers
 * and the preload library. Ids are per type, start at 1, never reused.
 */
#ifndef BPFHOST_CORE_OBJ_H
#define BPFHOST_CORE_OBJ_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

enum obj_type { OBJ_MAP = 1, OBJ_PROG, OBJ_BTF, OBJ_LINK };

struct obj {
	enum obj_type type;
	atomic_uint refcnt;
	uint32_t id;
	void (*free)(struct obj *obj); /* called when the last reference goes */
	int file_fd;		       /* the file that stands for the object */
	struct obj *id_next;	       /* the id list of its type */
};

/* Initialises obj with one reference (the caller's) and gives it an id. */
void obj_init(struct obj *obj, enum obj_type type, int file_fd, void (*free_fn)(struct obj *));
void obj_get(struct obj *obj);
void obj_put(struct obj *obj);

/* Hands out a new fd for obj (a new open file description of its file), taking
 * a reference for it; mode is O_RDONLY, O_WRONLY or O_RDWR. Returns the fd or -errno. */
int obj_fd_new(struct obj *obj, int mode);
/* The object behind fd with a new reference, or NULL: *err = -EBADF if fd is
 * not an object, -EINVAL if it is one of another type. *mode gets the fd's
 * open mode (O_RDONLY, O_WRONLY or O_RDWR) when mode is not NULL. */
struct obj *obj_from_fd(int fd, enum obj_type type, int *mode, int *err);
/* fd was closed (or is about to be): drop its reference. Returns 1 if it was ours. */
int obj_fd_forget(int fd);
/* fd2 is now a duplicate of fd (dup/dup2/fcntl F_DUPFD): give it a reference. */
void obj_fd_dup(int fd, int fd2);

/* The live object of type with the smallest id > id (with a reference), or NULL. */
struct obj *obj_next_by_id(enum obj_type type, uint32_t id);
struct obj *obj_by_id(enum obj_type type, uint32_t id);

/* The directory holding object files and pins: $BPFHOST_DIR, else
 * $XDG_RUNTIME_DIR/bpfhost, else /dev/shm/bpfhost-UID. Created on first use. */
const char *obj_dir(void);
/* An anonymous file in obj_dir() of size bytes (O_TMPFILE), or -errno. */
int obj_tmpfile(uint64_t size);

#endif
