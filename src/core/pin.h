/* Pins: see pin.c. */
#ifndef BPFHOST_CORE_PIN_H
#define BPFHOST_CORE_PIN_H

#include <stddef.h>
#include <stdint.h>

#include "obj.h"

/* Where path (as the caller gave it) lives: -EPERM if not on our "bpffs". */
int pin_path(const char *path, char *out, size_t len);
/* path rewritten into buf if it lies on our "bpffs" (/sys/fs/bpf...), else path
 * itself: what the preload and the link-time wrappers give mkdir, unlink... */
const char *pin_redirect(const char *path, char *buf, size_t len);

/* BPF_OBJ_PIN: links obj's file at path. */
int pin_obj(struct obj *obj, const char *path);
/* BPF_OBJ_GET: the object pinned at path, with a reference, and the fd mode
 * its file_flags ask for. */
int pin_get(const char *path, uint32_t file_flags, struct obj **out, int *mode);

#endif
