/* The start every libbpf test shares: open and load the object it is given
 * with Debian's libbpf, against bpfhost (the wrapped build) or the kernel
 * (the _kernel build, -DKERNEL_BACKEND). */
#ifndef BPFHOST_TESTS_LIBBPF_LOAD_H
#define BPFHOST_TESTS_LIBBPF_LOAD_H

#include <bpf/btf.h>
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

/* The offset of global name in obj's data section sec (".bss", ".rodata",
 * ...), its size in *size; -1 if there is none. */
static inline int test_var_find(struct bpf_object *obj, const char *sec, const char *name,
				__u32 *size)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	const struct btf_var_secinfo *vs;
	int id = btf ? btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC) : -1;

	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		if (!strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off),
			    name)) {
			*size = vs->size;
			return (int)vs->offset;
		}
	}
	return -1;
}

/* The first map of obj whose name holds part (".bss" finds "name.bss"). */
static inline struct bpf_map *test_map_named(struct bpf_object *obj, const char *part)
{
	struct bpf_map *m;

	for (m = bpf_object__next_map(obj, NULL); m; m = bpf_object__next_map(obj, m))
		if (strstr(bpf_map__name(m), part))
			return m;
	return NULL;
}

/* Sets the 4-byte `const volatile` global name of an opened, not yet
 * loaded obj: 0, or -1 with a failed check recorded. */
static inline int test_rodata_set_u32(struct bpf_object *obj, const char *name, __u32 v)
{
	struct bpf_map *rodata = test_map_named(obj, ".rodata");
	unsigned char buf[4096];
	const void *init;
	size_t size = 0;
	__u32 sz = 0;
	int off = test_var_find(obj, ".rodata", name, &sz);

	init = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	CHECK(init && size <= sizeof(buf) && off >= 0 && sz == 4, "%s in .rodata", name);
	if (!init || size > sizeof(buf) || off < 0 || sz != 4)
		return -1;
	memcpy(buf, init, size);
	memcpy(buf + off, &v, 4);
	CHECK(bpf_map__set_initial_value(rodata, buf, size) == 0, "set %s", name);
	return 0;
}

/* Opens path and loads only its program name (the others not autoloaded):
 * the object, its program in *prog; NULL if it does not load (a failed
 * check recorded, or *skipped set where the kernel refuses for want of
 * privilege, as test_load_object; "program NAME did not load" printed). */
static inline struct bpf_object *test_load_one(const char *path, const char *name,
					       struct bpf_program **prog, bool *skipped)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p, *want = NULL;
	int err;

	*prog = NULL;
	CHECK(obj != NULL, "open %s: %s", path, strerror(errno));
	if (!obj)
		return NULL;
	bpf_object__for_each_program(p, obj)
	{
		if (!strcmp(bpf_program__name(p), name))
			want = p;
		else
			bpf_program__set_autoload(p, false);
	}
	CHECK(want != NULL, "no program %s", name);
	err = want ? test_load_object(obj) : -1;
	if (err) {
		*skipped |= err > 0;
		printf("program %s did not load\n", name);
		bpf_object__close(obj);
		return NULL;
	}
	*prog = want;
	return obj;
}

#endif
