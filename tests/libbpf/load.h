/* The start every libbpf test shares: open and load the object it is given
 * with Debian's libbpf, against bpfhost (the wrapped build) or the kernel
 * (the _kernel build, -DKERNEL_BACKEND). */
#ifndef BPFHOST_TESTS_LIBBPF_LOAD_H
#define BPFHOST_TESTS_LIBBPF_LOAD_H

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"

/* Loads an opened object: 0; 1 where the kernel refuses for want of
 * privilege (a notice printed: the test is skipped); -1 with a failed check
 * recorded. */
static inline int test_load_object(struct bpf_object *obj)
{
	int err = bpf_object__load(obj);

#ifdef KERNEL_BACKEND
	if (err == -EPERM || err == -ENOSYS) {
		printf("NOTICE: the kernel refused to load (%s): skipped\n", strerror(-err));
		return 1;
	}
#endif
	CHECK(err == 0, "load %s: %d (%s)", bpf_object__name(obj), err, strerror(-err));
	return err ? -1 : 0;
}

/* The object at path opened and loaded, or NULL: a failed check recorded,
 * or *skipped set (see test_load_object). */
static inline struct bpf_object *test_load(const char *path, bool *skipped)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int r;

	*skipped = false;
	CHECK(obj != NULL, "open %s: %s", path, strerror(errno));
	if (!obj)
		return NULL;
	r = test_load_object(obj);
	if (r) {
		*skipped = r > 0;
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

#endif
