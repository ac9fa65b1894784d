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
#define MAX_RESOLVE_DEPTH 32		/* the kernel's, for arrays and nested structs */

struct btf_file_hdr {
	char magic[8];
	uint32_t size;
	uint32_t id;
};

static int check_lock_structs(const struct btf *btf, struct ulog *log);

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
	err = check_lock_structs(b->btf, log);
	if (err) {
		btf_obj_free(&b->obj);
		return err;
	}
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

/* ---- special fields: the kernel's btf_parse_fields, for the lock and the timer ----
 *
 * A member whose type (through arrays, never through typedefs or modifiers)
 * is named bpf_spin_lock or bpf_timer is that field if it is a struct of the
 * field's size (4, 16) at an offset aligned to the field's alignment (4, 8);
 * other structs are looked into (depth 32 at most). Errors are the kernel's:
 * a second field of one kind named in one struct (E2BIG), an array of fields
 * or of structs holding one (EINVAL), a member at a bit offset (EINVAL). */

enum field_kind { FIELD_LOCK, FIELD_TIMER, FIELD_KINDS };

static const struct {
	const char *name;
	uint32_t size, align;
} field_kinds[FIELD_KINDS] = {{"bpf_spin_lock", 4, 4}, {"bpf_timer", 16, 8}};

struct fields {
	unsigned mask; /* the kinds looked for: 1 << enum field_kind */
	int cnt[FIELD_KINDS];
	int32_t off[FIELD_KINDS]; /* the one at the highest offset */
};

static int find_in_struct(const struct btf *btf, const struct btf_type *t, uint32_t base,
			  uint32_t level, struct fields *f);

static int found_count(const struct fields *f)
{
	return f->cnt[FIELD_LOCK] + f->cnt[FIELD_TIMER];
}

/* A member or variable of type type_id at off (expected: a variable's size,
 * 0 for a member); seen: the kinds this struct has named already. */
static int find_in_field(const struct btf *btf, uint32_t type_id, uint32_t off, uint32_t expected,
			 unsigned *seen, uint32_t level, struct fields *f)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	uint32_t nelems = 1, i;
	const char *name;
	int before, err;

	for (i = 0; t && i < MAX_RESOLVE_DEPTH && btf_is_array(t); i++) {
		nelems *= btf_array(t)->nelems;
		t = btf__type_by_id(btf, btf_array(t)->type);
	}
	if (i == MAX_RESOLVE_DEPTH)
		return -E2BIG;
	if (!t || !nelems)
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	for (int k = 0; name && k < FIELD_KINDS; k++) {
		uint32_t size = field_kinds[k].size;

		if (!(f->mask & 1u << k) || strcmp(name, field_kinds[k].name))
			continue;
		if (*seen & 1u << k)
			return -E2BIG;
		*seen |= 1u << k;
		if ((expected && expected != size * nelems) || off % field_kinds[k].align ||
		    !btf_is_struct(t) || t->size != size)
			return 0; /* named so, but not a field the kernel counts */
		if (nelems > 1)
			return -EINVAL;
		f->cnt[k]++;
		if ((int64_t)off > f->off[k])
			f->off[k] = (int32_t)off;
		return 0;
	}
	if (!btf_is_struct(t) || (expected && expected != t->size * nelems))
		return 0;
	before = found_count(f);
	err = find_in_struct(btf, t, off, level + 1, f);
	if (err)
		return err;
	return nelems > 1 && found_count(f) > before ? -EINVAL : 0;
}

static int find_in_struct(const struct btf *btf, const struct btf_type *t, uint32_t base,
			  uint32_t level, struct fields *f)
{
	const struct btf_member *m = btf_members(t);
	unsigned seen = 0;
	int err;

	if (level >= MAX_RESOLVE_DEPTH)
		return -E2BIG;
	for (uint32_t i = 0; i < btf_vlen(t); i++, m++) {
		uint32_t bits = btf_member_bit_offset(t, i);

		if (bits % 8)
			return -EINVAL;
		err = find_in_field(btf, m->type, base + bits / 8, 0, &seen, level, f);
		if (err)
			return err;
	}
	return 0;
}

static int find_in_datasec(const struct btf *btf, const struct btf_type *t, struct fields *f)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	unsigned seen = 0;
	int err;

	for (uint32_t i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);

		if (!var)
			return -EINVAL;
		err = find_in_field(btf, var->type, v->offset, v->size, &seen, 0, f);
		if (err)
			return err;
	}
	return 0;
}

int btf_find_fields(struct bpfbtf *b, uint32_t value_type_id, int32_t *lock_off, int32_t *timer_off)
{
	const struct btf_type *t = btf__type_by_id(b->btf, value_type_id);
	struct fields f = {.mask = 1u << FIELD_LOCK | 1u << FIELD_TIMER, .off = {-1, -1}};
	int err;

	*lock_off = -1;
	*timer_off = -1;
	/* the value type itself through typedefs and modifiers, as btf_type_id_size */
	for (int i = 0; t && i < MAX_RESOLVE_DEPTH && (btf_is_mod(t) || btf_is_typedef(t)); i++)
		t = btf__type_by_id(b->btf, t->type);
	if (t && btf_is_struct(t))
		err = find_in_struct(b->btf, t, 0, 0, &f);
	else if (t && btf_is_datasec(t))
		err = find_in_datasec(b->btf, t, &f);
	else
		return 0;
	/* the kernel keeps no record of a value whose fields it cannot parse, nor
	 * of one whose fields overlap (EEXIST) */
	if (err || (f.cnt[FIELD_LOCK] && f.cnt[FIELD_TIMER] &&
		    f.off[FIELD_LOCK] + 4 > f.off[FIELD_TIMER] &&
		    f.off[FIELD_TIMER] + 16 > f.off[FIELD_LOCK]))
		return 0;
	if (f.cnt[FIELD_LOCK] > 1)
		return -EINVAL;
	/* several timers (nested at different depths): the kernel warns and
	 * keeps the last in offset order as the value's timer */
	*lock_off = f.off[FIELD_LOCK];
	*timer_off = f.off[FIELD_TIMER];
	return 0;
}

/* The kernel's btf_parse_struct_metas, for the lock alone: at BPF_BTF_LOAD,
 * every struct with a member of type struct bpf_spin_lock must parse (E2BIG:
 * two locks, ...) and must count a lock (EFAULT: misaligned, wrong size). */
static int check_lock_structs(const struct btf *btf, struct ulog *log)
{
	int32_t lock_id = btf__find_by_name_kind(btf, "bpf_spin_lock", BTF_KIND_STRUCT);

	if (lock_id < 0)
		return 0;
	for (uint32_t id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_member *m;
		struct fields f = {.mask = 1u << FIELD_LOCK, .off = {-1, -1}};
		bool has = false;
		int err;

		if (!btf_is_struct(t))
			continue;
		m = btf_members(t);
		for (uint32_t i = 0; i < btf_vlen(t); i++)
			has = has || m[i].type == (uint32_t)lock_id;
		if (!has)
			continue;
		err = find_in_struct(btf, t, 0, 0, &f);
		if (!err && !f.cnt[FIELD_LOCK])
			err = -EFAULT;
		if (err == -E2BIG)
			ulog_printf(log, "struct %s (type %u): more than one bpf_spin_lock\n",
				    btf__name_by_offset(btf, t->name_off), id);
		else if (err == -EFAULT)
			ulog_printf(
				log,
				"struct %s (type %u): bpf_spin_lock misaligned or not 4 bytes\n",
				btf__name_by_offset(btf, t->name_off), id);
		else if (err)
			ulog_printf(log, "struct %s (type %u): fields the kernel cannot parse\n",
				    btf__name_by_offset(btf, t->name_off), id);
		if (err)
			return err;
	}
	return 0;
}

/* ---- the key types the local storages want (their map_check_btf) ---- */

/* type_id through typedefs and modifiers, as btf_type_id_size; NULL: void */
static const struct btf_type *resolved(const struct btf *btf, uint32_t type_id)
{
	const struct btf_type *t = type_id ? btf__type_by_id(btf, type_id) : NULL;

	for (int i = 0; t && i < MAX_RESOLVE_DEPTH && (btf_is_mod(t) || btf_is_typedef(t)); i++)
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* An int of bytes bytes, all its bits used from bit 0 (btf_type_int_is_regular) */
static bool regular_int(const struct btf_type *t, uint32_t bytes)
{
	return t && btf_is_int(t) && t->size == bytes && btf_int_bits(t) == bytes * 8 &&
	       !btf_int_offset(t);
}

/* Member i of struct t: a regular int of bytes bytes at byte off, no bitfield */
static bool member_int(const struct btf *btf, const struct btf_type *t, int i, uint32_t off,
		       uint32_t bytes)
{
	const struct btf_member *m = btf_members(t) + i;

	return !btf_member_bitfield_size(t, (uint32_t)i) &&
	       btf_member_bit_offset(t, (uint32_t)i) == off * 8 &&
	       regular_int(resolved(btf, m->type), bytes);
}

int btf_check_map_key(struct bpfbtf *b, uint32_t map_type, uint32_t key_type_id, uint32_t key_size)
{
	const struct btf_type *t = resolved(b->btf, key_type_id);

	switch (map_type) {
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		/* a u64, or struct bpf_cgroup_storage_key {__u64; __u32;} */
		if (key_size == 8)
			return regular_int(t, 8) ? 0 : -EINVAL;
		if (!t || !btf_is_struct(t) || btf_vlen(t) != 2 ||
		    !member_int(b->btf, t, 0, 0, 8) || !member_int(b->btf, t, 1, 8, 4))
			return -EINVAL;
		return 0;
	case BPF_MAP_TYPE_SK_STORAGE: /* a socket fd: a 32-bit int */
		return t && btf_is_int(t) && t->size == 4 ? 0 : -EINVAL;
	default: return 0;
	}
}
