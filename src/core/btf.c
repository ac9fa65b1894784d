/* BTF objects: see btf.h. The file: a header (magic, size, id), then the blob. */
#include "btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/log.h"

#define BTF_MAX_SIZE (16 * 1024 * 1024) /* the kernel's BTF_MAX_SIZE */

struct btf_file_hdr {
	char magic[8];
	uint32_t size;
	uint32_t id;
};

static void btf_obj_free(struct obj *obj)
{
	struct bpfbtf *b = btf_of(obj);

	btf__free(b->btf);
	free(b->data);
	free(b);
}

/* Parses data (taken over) into a new, not yet registered, object. */
static int parse(void *data, uint32_t size, struct ulog *log, struct bpfbtf **out)
{
	struct bpfbtf *b = calloc(1, sizeof(*b));
	struct btf *btf;

	if (!b) {
		free(data);
		return -ENOMEM;
	}
	btf = btf__new(data, size);
	if (libbpf_get_error(btf)) {
		ulog_printf(log, "BTF of %u bytes is not valid: %s\n", size,
			    strerror((int)-libbpf_get_error(btf)));
		free(data);
		free(b);
		return -EINVAL;
	}
	b->data = data;
	b->size = size;
	b->btf = btf;
	*out = b;
	return 0;
}

int btf_load(const union bpf_attr *attr, struct ulog *log, struct bpfbtf **out)
{
	struct btf_file_hdr h;
	struct bpfbtf *b;
	void *data;
	int fd, err;

	if (!attr->btf_size || attr->btf_size > BTF_MAX_SIZE)
		return attr->btf_size ? -E2BIG : -EINVAL;
	if (!attr->btf)
		return -EFAULT;
	data = malloc(attr->btf_size);
	if (!data)
		return -ENOMEM;
	memcpy(data, (const void *)(uintptr_t)attr->btf, attr->btf_size);
	err = parse(data, attr->btf_size, log, &b);
	if (err)
		return err;
	fd = obj_tmpfile();
	err = fd < 0 ? fd : obj_init(&b->obj, OBJ_BTF, fd, btf_obj_free, 0);
	if (err) {
		if (fd >= 0)
			close(fd);
		btf_obj_free(&b->obj);
		return err;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, BTF_MAGIC_FILE, sizeof(h.magic));
	h.size = b->size;
	h.id = b->obj.id;
	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    pwrite(fd, b->data, b->size, sizeof(h)) != (ssize_t)b->size) {
		obj_put(&b->obj);
		return -EIO;
	}
	obj_publish(&b->obj);
	*out = b;
	return 0;
}

int btf_open_file(int fd, struct bpfbtf **out)
{
	struct btf_file_hdr h;
	struct bpfbtf *b;
	void *data;
	int err;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h.magic, BTF_MAGIC_FILE, sizeof(h.magic)) || !h.size || h.size > BTF_MAX_SIZE) {
		close(fd);
		return -EINVAL;
	}
	data = malloc(h.size);
	if (!data || pread(fd, data, h.size, sizeof(h)) != (ssize_t)h.size) {
		free(data);
		close(fd);
		return -EINVAL;
	}
	err = parse(data, h.size, NULL, &b);
	if (err) {
		close(fd);
		return err;
	}
	err = obj_init(&b->obj, OBJ_BTF, fd, btf_obj_free, h.id);
	if (err) {
		close(fd);
		btf_obj_free(&b->obj);
		return err;
	}
	*out = b;
	return 0;
}

int btf_check_type_size(struct bpfbtf *b, uint32_t type_id, uint32_t size)
{
	int64_t s;

	if (!type_id)
		return 0;
	if (type_id >= btf__type_cnt(b->btf))
		return -EINVAL;
	s = btf__resolve_size(b->btf, type_id);
	return s == (int64_t)size ? 0 : -EINVAL;
}
