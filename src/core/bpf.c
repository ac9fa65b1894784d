/* The bpf() command dispatcher: one row per command (handler, and where the
 * attributes it reads end: every byte after must be zero, as the kernel's
 * CHECK_ATTR), map and object commands. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "../maps/map.h"
#include "../util/log.h"
#include "batch.h"
#include "btf.h"
#include "pin.h"
#include "prog.h"

#define ENOTSUPP 524
#define END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))

/* ---- user memory ---- */

/* A pointer the caller passed; NULL is the only address we can refuse
 * without a system call (the kernel says EFAULT). */
static void *uptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/* Where a command writes its result: the caller's buffer, or a scratch one
 * when the caller gave NULL, because the kernel reports the command's own
 * error first and EFAULT only when it copies a result out. */
static void *out_buf(uint64_t user, size_t size)
{
	return user ? uptr(user) : malloc(size);
}

static int out_done(uint64_t user, void *out, int err)
{
	if (user)
		return err;
	free(out);
	return err ? err : -EFAULT;
}

/* ---- logs: the caller's log buffer, as the kernel's bpf_vlog ---- */

/* The kernel's rules (6.4+): buffer and size both given or both not; a buffer
 * needs a level; known level bits only. A level without a buffer only counts. */
static int log_open(struct ulog *log, uint32_t level, uint64_t buf, uint32_t size)
{
	if (!!buf != !!size || (buf && !level) || (level & ~15u) || size > (UINT32_MAX >> 2))
		return -EINVAL;
	ulog_init(log, buf ? uptr(buf) : NULL, buf ? size : 0);
	return 0;
}

/* Did the caller give a log buffer that was too small for what was logged? */
static bool log_short(const struct ulog *log)
{
	return log->size && ulog_truncated(log);
}

/* ---- maps ---- */

/* The value's bpf_spin_lock and bpf_timer (offsets, or -1), as the kernel's
 * map_check_btf: not with *_PROG access flags; a lock only in hash, array,
 * cgroup storage and socket storage values, a timer only in hash, LRU hash
 * and array values. */
static int map_fields(const union bpf_attr *attr, struct obj *btf, int32_t *lock_off,
		      int32_t *timer_off)
{
	int err = btf_find_fields(btf_of(btf), attr->btf_value_type_id, lock_off, timer_off);
	uint32_t t = attr->map_type;

	if (err || (*lock_off < 0 && *timer_off < 0))
		return err;
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EACCES;
	if (*lock_off >= 0 && t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_ARRAY &&
	    t != BPF_MAP_TYPE_CGROUP_STORAGE && t != BPF_MAP_TYPE_SK_STORAGE)
		return -EOPNOTSUPP;
	if (*timer_off >= 0 && t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_LRU_HASH &&
	    t != BPF_MAP_TYPE_ARRAY)
		return -EOPNOTSUPP;
	return 0;
}

/* The BTF object the map's types come from (NULL without type ids), checked. */
static int map_btf(const union bpf_attr *attr, struct obj **btf, int32_t *lock_off,
		   int32_t *timer_off)
{
	int err = 0;

	*btf = NULL;
	/* btf_fd counts only with type ids, as the kernel's; the types must fit */
	if (!attr->btf_key_type_id && !attr->btf_value_type_id)
		return 0;
	*btf = obj_from_fd((int)attr->btf_fd, OBJ_BTF, NULL, &err);
	if (!*btf)
		return err == -EBADF && attr->btf_fd ? -EBADF : -EINVAL;
	if (btf_check_type_size(btf_of(*btf), attr->btf_key_type_id, attr->key_size) ||
	    btf_check_type_size(btf_of(*btf), attr->btf_value_type_id, attr->value_size))
		err = -EINVAL;
	if (!err)
		err = map_fields(attr, *btf, lock_off, timer_off);
	if (!err)
		err = btf_check_map_key(btf_of(*btf), attr->map_type, attr->btf_key_type_id,
					attr->key_size);
	if (err) {
		obj_put(*btf);
		*btf = NULL;
	}
	return err;
}

static int map_create_cmd(union bpf_attr *attr)
{
	struct obj *o, *btf = NULL, *inner = NULL;
	int32_t lock_off = -1, timer_off = -1;
	struct bpfmap *map;
	int fd, err;

	if (attr->btf_vmlinux_value_type_id)
		return -EINVAL;
	if (attr->btf_key_type_id && !attr->btf_value_type_id)
		return -EINVAL;
	if ((attr->map_flags & BPF_F_NUMA_NODE) &&
	    (attr->numa_node != 0 || map_is_percpu(attr->map_type)))
		return -EINVAL;
	/* no network devices to offload to: the kernel's answer for a device
	 * without, for the two types it could offload (others: EINVAL) */
	if (attr->map_ifindex)
		return attr->map_type == BPF_MAP_TYPE_HASH || attr->map_type == BPF_MAP_TYPE_ARRAY
			       ? -EOPNOTSUPP
			       : -EINVAL;
	/* inner_map_fd counts only for map-in-map types: the template of their values */
	if (map_is_map_in_map(attr->map_type)) {
		err = 0;
		inner = obj_from_fd((int)attr->inner_map_fd, OBJ_MAP, NULL, &err);
		if (!inner)
			return err;
		if (map_is_map_in_map(map_of(inner)->hdr->map_type)) {
			obj_put(inner);
			return -EINVAL;
		}
	}
	/* the type's checks first, then the types in BTF (the kernel's
	 * map_check_btf, once the map is allocated) */
	err = map_create(attr, obj_dir(), NULL, &map);
	if (!err) {
		err = map_btf(attr, &btf, &lock_off, &timer_off);
		if (err)
			map_put(map);
	}
	if (!err) {
		map->hdr->btf_id = btf ? btf->id : 0;
		map->hdr->spin_lock_off = lock_off;
		map->hdr->timer_off = timer_off;
		if (inner) {
			const struct map_hdr *t = map_of(inner)->hdr;
			uint64_t *tpl = &map->hdr->state[MIM_TEMPLATE];

			tpl[0] = t->map_type;
			tpl[1] = t->key_size;
			tpl[2] = t->value_size;
			tpl[3] = t->max_entries;
			tpl[4] = t->map_flags;
		}
		err = obj_of_map(map, &o);
	}
	obj_put(inner);
	if (err) {
		obj_put(btf);
		return err;
	}
	if (btf) {
		obj_hold(OBJ_MAP, o->id, btf);
		obj_put(btf);
	}
	/* BPF_F_RDONLY/WRONLY are the access of this fd, as the kernel's */
	fd = obj_fd_new(o, attr->map_flags & BPF_F_RDONLY   ? O_RDONLY
			   : attr->map_flags & BPF_F_WRONLY ? O_WRONLY
							    : O_RDWR);
	obj_put(o);
	return fd;
}

/* The map behind attr->map_fd (its object referenced in *o), checking that
 * the fd allows the access, and that BPF_F_LOCK in elem_flags has a lock to
 * take (the kernel checks it before it looks at the key). */
static struct bpfmap *map_get_fd(const union bpf_attr *attr, int need, uint64_t elem_flags,
				 struct obj **o, int *err)
{
	int mode;

	*o = obj_from_fd((int)attr->map_fd, OBJ_MAP, &mode, err);
	if (!*o)
		return NULL;
	if ((need != O_WRONLY && mode == O_WRONLY) || (need != O_RDONLY && mode == O_RDONLY))
		*err = -EPERM;
	else if ((elem_flags & BPF_F_LOCK) && map_of(*o)->hdr->spin_lock_off < 0)
		*err = -EINVAL;
	else
		return map_of(*o);
	obj_put(*o);
	return NULL;
}

static int map_lookup_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	if (attr->flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	map = map_get_fd(attr, O_RDONLY, attr->flags, &o, &err);
	if (!map)
		return err;
	if (!attr->key && map->key_size) {
		err = -EFAULT;
	} else {
		void *out = out_buf(attr->value, map_value_size_user(map));

		err = out ? map->ops->lookup(map, uptr(attr->key), out, attr->flags) : -ENOMEM;
		err = out_done(attr->value, out, err);
	}
	obj_put(o);
	return err;
}

/* A map-in-map takes inner map fds from user space and stores their ids;
 * every inner map must match the template (max_entries too, unless the
 * template was made with BPF_F_INNER_MAP), as the kernel's bpf_map_meta_equal. */
static int map_in_map_update(struct bpfmap *map, struct obj *mo, union bpf_attr *attr)
{
	const uint64_t *tpl = &map->hdr->state[MIM_TEMPLATE];
	const struct map_hdr *h;
	struct obj *inner;
	uint32_t fd, id;
	int err = 0;

	memcpy(&fd, uptr(attr->value), 4);
	inner = obj_from_fd((int)fd, OBJ_MAP, NULL, &err);
	if (!inner)
		return err;
	h = map_of(inner)->hdr;
	if (h->map_type != tpl[0] || h->key_size != tpl[1] || h->value_size != tpl[2] ||
	    h->map_flags != tpl[4] || (!(tpl[4] & BPF_F_INNER_MAP) && h->max_entries != tpl[3])) {
		obj_put(inner);
		return -EINVAL;
	}
	id = inner->id;
	err = map->ops->update(map, uptr(attr->key), &id, attr->flags);
	if (!err)
		obj_hold(OBJ_MAP, mo->id, inner);
	obj_put(inner);
	return err;
}

/* A program array takes program fds from user space and stores their ids;
 * every program in it has the type of the first one, as the kernel's. */
static int prog_array_update(struct bpfmap *map, struct obj *mo, union bpf_attr *attr)
{
	uint32_t fd, id, *owner = (uint32_t *)&map->hdr->state[0];
	struct obj *p;
	int err = 0;

	memcpy(&fd, uptr(attr->value), 4);
	p = obj_from_fd((int)fd, OBJ_PROG, NULL, &err);
	if (!p)
		return err;
	if (*owner && *owner != prog_of(p)->prog_type + 1) {
		obj_put(p);
		return -EINVAL;
	}
	*owner = prog_of(p)->prog_type + 1;
	id = p->id;
	err = map->ops->update(map, uptr(attr->key), &id, attr->flags);
	if (!err)
		obj_hold(OBJ_MAP, mo->id, p);
	obj_put(p);
	return err;
}

static int map_update_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	map = map_get_fd(attr, O_WRONLY, attr->flags, &o, &err);
	if (!map)
		return err;
	if (atomic_load(&map->hdr->frozen))
		err = -EPERM;
	else if ((!attr->key && map->key_size) || !attr->value)
		err = -EFAULT;
	else if (map->hdr->map_type == BPF_MAP_TYPE_PROG_ARRAY)
		err = prog_array_update(map, o, attr);
	else if (map_is_map_in_map(map->hdr->map_type))
		err = map_in_map_update(map, o, attr);
	else
		err = map->ops->update(map, uptr(attr->key), uptr(attr->value), attr->flags);
	obj_put(o);
	return err;
}

static int map_delete_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	map = map_get_fd(attr, O_WRONLY, 0, &o, &err);
	if (!map)
		return err;
	if (atomic_load(&map->hdr->frozen))
		err = -EPERM;
	else if (!attr->key && map->key_size)
		err = -EFAULT;
	else
		err = map->ops->delete (map, uptr(attr->key));
	obj_put(o);
	return err;
}

static int map_next_key_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	void *out;

	map = map_get_fd(attr, O_RDONLY, 0, &o, &err);
	if (!map)
		return err;
	out = out_buf(attr->next_key, map->key_size ? map->key_size : 1);
	err = out ? map->ops->get_next_key(map, uptr(attr->key), out) : -ENOMEM;
	err = out_done(attr->next_key, out, err);
	obj_put(o);
	return err;
}

static int map_lookup_and_delete_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	if (attr->flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	map = map_get_fd(attr, O_RDWR, attr->flags, &o, &err);
	if (!map)
		return err;
	if (atomic_load(&map->hdr->frozen)) {
		err = -EPERM;
	} else if (!attr->key && map->key_size) {
		err = -EFAULT;
	} else {
		void *out = out_buf(attr->value, map_value_size_user(map));

		err = out ? map->ops->lookup_and_delete(map, uptr(attr->key), out, attr->flags)
			  : -ENOMEM;
		err = out_done(attr->value, out, err);
	}
	obj_put(o);
	return err;
}

static int map_freeze_cmd(union bpf_attr *attr)
{
	struct bpfmap *map;
	struct obj *o;
	int err = 0;

	map = map_get_fd(attr, O_WRONLY, 0, &o, &err);
	if (!map)
		return err;
	/* freezing takes write access away: a second freeze has none left; and
	 * not while a writable mmap of the values is alive, as the kernel's */
	if (atomic_load(&map->hdr->frozen))
		err = -EPERM;
	else if (atomic_load(&map->hdr->mmap_writers))
		err = -EBUSY;
	else if (atomic_exchange(&map->hdr->frozen, 1))
		err = -EPERM;
	obj_put(o);
	return err;
}

/* ---- programs ---- */

static int prog_load_cmd(union bpf_attr *attr)
{
	struct bpfprog *prog;
	struct ulog log;
	int fd, err;

	err = log_open(&log, attr->log_level, attr->log_buf, attr->log_size);
	if (err)
		return err;
	err = prog_load(attr, &log, &prog);
	if (!err) {
		/* the kernel (6.4+) reports a truncated log even when the load succeeds */
		if (log_short(&log)) {
			obj_put(&prog->obj);
			return -ENOSPC;
		}
		fd = obj_fd_new(&prog->obj, O_RDWR);
		obj_put(&prog->obj);
		return fd;
	}
	if (log_short(&log) && err == -EINVAL)
		return -ENOSPC;
	return err;
}

static int prog_test_run_cmd(union bpf_attr *attr)
{
	struct obj *o;
	int err = 0;

	o = obj_from_fd((int)attr->test.prog_fd, OBJ_PROG, NULL, &err);
	if (!o)
		return err;
	err = prog_test_run(prog_of(o), attr);
	obj_put(o);
	return err;
}

/* ---- pins ---- */

static int obj_pin_cmd(union bpf_attr *attr)
{
	struct obj *o = NULL;
	int err = -EBADF;

	if (attr->file_flags)
		return -EINVAL;
	for (int t = OBJ_MAP; t <= OBJ_LINK && !o; t++)
		o = obj_from_fd((int)attr->bpf_fd, (enum obj_type)t, NULL, &err);
	if (!o)
		return -EINVAL; /* the kernel's answer for any fd that is not a bpf object */
	if (o->type == OBJ_MAP || o->type == OBJ_PROG)
		err = pin_obj(o, uptr(attr->pathname));
	else
		err = -EOPNOTSUPP;
	if (!err && o->type == OBJ_PROG)
		prog_pin_maps(prog_of(o));
	obj_put(o);
	return err;
}

static int obj_get_cmd(union bpf_attr *attr)
{
	struct obj *o;
	int mode, err, fd;

	if (attr->bpf_fd)
		return -EINVAL;
	err = pin_get(uptr(attr->pathname), attr->file_flags, &o, &mode);
	if (err)
		return err;
	fd = obj_fd_new(o, mode);
	obj_put(o);
	return fd;
}

static int prog_bind_map_cmd(union bpf_attr *attr)
{
	struct obj *p, *m;
	int err = 0;

	if (attr->prog_bind_map.flags)
		return -EINVAL;
	p = obj_from_fd((int)attr->prog_bind_map.prog_fd, OBJ_PROG, NULL, &err);
	if (!p)
		return err;
	m = obj_from_fd((int)attr->prog_bind_map.map_fd, OBJ_MAP, NULL, &err);
	if (m)
		err = prog_bind_map(prog_of(p), m);
	obj_put(p);
	return err;
}

/* ---- ids and info ---- */

static enum obj_type id_cmd_type(int cmd)
{
	switch (cmd) {
	case BPF_PROG_GET_NEXT_ID:
	case BPF_PROG_GET_FD_BY_ID: return OBJ_PROG;
	case BPF_MAP_GET_NEXT_ID:
	case BPF_MAP_GET_FD_BY_ID: return OBJ_MAP;
	case BPF_BTF_GET_NEXT_ID:
	case BPF_BTF_GET_FD_BY_ID: return OBJ_BTF;
	default: return OBJ_LINK;
	}
}

static int get_next_id_cmd(union bpf_attr *attr, int cmd)
{
	struct obj *o;

	if (attr->start_id >= INT32_MAX)
		return -EINVAL;
	o = obj_next_by_id(id_cmd_type(cmd), attr->start_id);

	if (!o)
		return -ENOENT;
	attr->next_id = o->id;
	obj_put(o);
	return 0;
}

static int get_fd_by_id_cmd(union bpf_attr *attr, int cmd)
{
	enum obj_type type = id_cmd_type(cmd);
	uint32_t f = attr->open_flags;
	struct obj *o;
	int fd;

	if ((type == OBJ_MAP && (f & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY))) ||
	    (type == OBJ_MAP && f == (BPF_F_RDONLY | BPF_F_WRONLY)) || (type != OBJ_MAP && f))
		return -EINVAL;
	o = obj_by_id(type, attr->prog_id);
	if (!o)
		return -ENOENT;
	fd = obj_fd_new(o, f & BPF_F_RDONLY ? O_RDONLY : f & BPF_F_WRONLY ? O_WRONLY : O_RDWR);
	obj_put(o);
	return fd;
}

/* Copies min(info_len, sizeof(info)) bytes out; bytes the caller gave beyond
 * what we know must be zero (E2BIG otherwise), as the kernel's. */
static int info_out(union bpf_attr *attr, const void *info, uint32_t info_size)
{
	uint8_t *user = uptr(attr->info.info);
	uint32_t n = attr->info.info_len < info_size ? attr->info.info_len : info_size;

	if (attr->info.info_len > 4096)
		return -E2BIG;
	if (!user && n)
		return -EFAULT;
	for (uint32_t i = info_size; i < attr->info.info_len; i++)
		if (user[i])
			return -E2BIG;
	if (n)
		memcpy(user, info, n);
	attr->info.info_len = n;
	return 0;
}

static int map_info(struct bpfmap *map, union bpf_attr *attr)
{
	struct bpf_map_info info;

	memset(&info, 0, sizeof(info));
	info.type = map->hdr->map_type;
	info.id = atomic_load(&map->hdr->id);
	info.key_size = map->key_size;
	info.value_size = map->value_size;
	info.max_entries = map->max_entries;
	info.map_flags = map->map_flags;
	memcpy(info.name, map->hdr->name, sizeof(info.name));
	info.ifindex = map->hdr->ifindex;
	info.btf_key_type_id = map->hdr->btf_key_type_id;
	info.btf_value_type_id = map->hdr->btf_value_type_id;
	info.btf_vmlinux_value_type_id = map->hdr->btf_vmlinux_value_type_id;
	info.map_extra = map->hdr->map_extra;
	info.btf_id = map->hdr->btf_id;
	return info_out(attr, &info, sizeof(info));
}

static int prog_info(struct bpfprog *prog, union bpf_attr *attr)
{
	struct bpf_prog_info user, info;
	uint32_t n = attr->info.info_len < sizeof(user) ? attr->info.info_len : sizeof(user);

	if (!attr->info.info && n)
		return -EFAULT;
	memset(&user, 0, sizeof(user));
	if (n)
		memcpy(&user, uptr(attr->info.info), n); /* array pointers and lengths come in */
	memset(&info, 0, sizeof(info));
	info.type = prog->prog_type;
	info.id = prog->obj.id;
	memcpy(info.tag, prog->tag, sizeof(info.tag));
	memcpy(info.name, prog->name, sizeof(info.name));
	info.load_time = prog->load_time_ns;
	info.created_by_uid = prog->uid;
	info.gpl_compatible = prog->gpl;
	info.nr_map_ids = prog->map_cnt + prog->bound_cnt;
	info.xlated_prog_len = prog->insn_cnt * (uint32_t)sizeof(struct bpf_insn);
	info.btf_id = prog->btf_id;
	info.nr_func_info = prog->nr_func_info;
	info.func_info_rec_size = sizeof(struct bpf_func_info);
	info.nr_line_info = prog->nr_line_info;
	info.line_info_rec_size = sizeof(struct bpf_line_info);
	if (user.nr_func_info && user.func_info) {
		if (user.func_info_rec_size != sizeof(struct bpf_func_info))
			return -EINVAL;
		memcpy(uptr(user.func_info), prog->func_info,
		       (size_t)(user.nr_func_info < prog->nr_func_info ? user.nr_func_info
								       : prog->nr_func_info) *
			       sizeof(struct bpf_func_info));
		info.func_info = user.func_info;
	}
	if (user.nr_line_info && user.line_info) {
		if (user.line_info_rec_size != sizeof(struct bpf_line_info))
			return -EINVAL;
		memcpy(uptr(user.line_info), prog->line_info,
		       (size_t)(user.nr_line_info < prog->nr_line_info ? user.nr_line_info
								       : prog->nr_line_info) *
			       sizeof(struct bpf_line_info));
		info.line_info = user.line_info;
	}
	if (user.nr_map_ids && user.map_ids) {
		uint32_t *ids = uptr(user.map_ids);

		for (uint32_t i = 0; i < info.nr_map_ids && i < user.nr_map_ids; i++)
			ids[i] = i < prog->map_cnt ? atomic_load(&prog->maps[i]->hdr->id)
						   : prog->bound[i - prog->map_cnt]->id;
		info.map_ids = user.map_ids;
	}
	if (user.xlated_prog_len && user.xlated_prog_insns) {
		uint32_t len = user.xlated_prog_len < info.xlated_prog_len ? user.xlated_prog_len
									   : info.xlated_prog_len;

		memcpy(uptr(user.xlated_prog_insns), prog->dump, len);
		info.xlated_prog_insns = user.xlated_prog_insns;
	}
	return info_out(attr, &info, sizeof(info));
}

/* ---- BTF ---- */

static int btf_load_cmd(union bpf_attr *attr)
{
	struct bpfbtf *b;
	struct ulog log;
	int err, fd;

	err = log_open(&log, attr->btf_log_level, attr->btf_log_buf, attr->btf_log_size);
	if (err)
		return err;
	err = btf_load(attr, &log, &b);
	if (err)
		return err;
	fd = obj_fd_new(&b->obj, O_RDWR);
	obj_put(&b->obj);
	return fd;
}

static int btf_info(struct bpfbtf *b, union bpf_attr *attr)
{
	struct bpf_btf_info user, info;
	uint32_t n = attr->info.info_len < sizeof(user) ? attr->info.info_len : sizeof(user);

	if (!attr->info.info && n)
		return -EFAULT;
	memset(&user, 0, sizeof(user));
	if (n)
		memcpy(&user, uptr(attr->info.info), n);
	memset(&info, 0, sizeof(info));
	info.id = b->obj.id;
	info.btf_size = b->size;
	if (user.btf) {
		memcpy(uptr(user.btf), b->data, user.btf_size < b->size ? user.btf_size : b->size);
		info.btf = user.btf;
	}
	if (user.name && user.name_len) {
		((char *)uptr(user.name))[0] = '\0';
		info.name = user.name;
		info.name_len = 0;
	}
	return info_out(attr, &info, sizeof(info));
}

static int get_info_cmd(union bpf_attr *attr)
{
	static const enum obj_type types[] = {OBJ_MAP, OBJ_PROG, OBJ_BTF};
	int err = -EBADF;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct obj *o = obj_from_fd((int)attr->info.bpf_fd, types[i], NULL, &err);

		if (!o)
			continue;
		err = o->type == OBJ_MAP    ? map_info(map_of(o), attr)
		      : o->type == OBJ_PROG ? prog_info(prog_of(o), attr)
					    : btf_info(btf_of(o), attr);
		obj_put(o);
		return err;
	}
	/* the kernel's answer for an fd that is not open at all is EBADFD */
	return err == -EINVAL ? -EINVAL : -EBADFD;
}

/* ---- the table ---- */

struct command {
	int (*fn)(union bpf_attr *attr);
	int (*fn_cmd)(union bpf_attr *attr, int cmd);
	size_t attr_end;  /* bytes of union bpf_attr the command reads */
	bool answers;	  /* writes results into attr (ids, info_len, test results) */
	bool answers_err; /* ... also when it fails (batch counts, as the kernel's put_user) */
};

static const struct command commands[] = {
	[BPF_MAP_CREATE] = {map_create_cmd, NULL, END(map_extra)},
	[BPF_MAP_LOOKUP_ELEM] = {map_lookup_cmd, NULL, END(flags)},
	[BPF_MAP_UPDATE_ELEM] = {map_update_cmd, NULL, END(flags)},
	[BPF_MAP_DELETE_ELEM] = {map_delete_cmd, NULL, END(key)},
	[BPF_MAP_GET_NEXT_KEY] = {map_next_key_cmd, NULL, END(next_key)},
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = {map_lookup_and_delete_cmd, NULL, END(flags)},
	[BPF_MAP_FREEZE] = {map_freeze_cmd, NULL, END(map_fd)},
	[BPF_PROG_LOAD] = {prog_load_cmd, NULL, END(core_relo_rec_size)},
	[BPF_PROG_TEST_RUN] = {prog_test_run_cmd, NULL, END(test.batch_size), true, true},
	[BPF_PROG_GET_NEXT_ID] = {NULL, get_next_id_cmd, END(next_id), true},
	[BPF_MAP_GET_NEXT_ID] = {NULL, get_next_id_cmd, END(next_id), true},
	[BPF_BTF_GET_NEXT_ID] = {NULL, get_next_id_cmd, END(next_id), true},
	[BPF_LINK_GET_NEXT_ID] = {NULL, get_next_id_cmd, END(next_id), true},
	[BPF_PROG_GET_FD_BY_ID] = {NULL, get_fd_by_id_cmd, END(open_flags)},
	[BPF_MAP_GET_FD_BY_ID] = {NULL, get_fd_by_id_cmd, END(open_flags)},
	[BPF_BTF_GET_FD_BY_ID] = {NULL, get_fd_by_id_cmd, END(open_flags)},
	[BPF_LINK_GET_FD_BY_ID] = {NULL, get_fd_by_id_cmd, END(open_flags)},
	[BPF_MAP_LOOKUP_BATCH] = {map_lookup_batch_cmd, NULL, END(batch.flags), true, true},
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = {map_lookup_and_delete_batch_cmd, NULL,
					     END(batch.flags), true, true},
	[BPF_MAP_UPDATE_BATCH] = {map_update_batch_cmd, NULL, END(batch.flags), true, true},
	[BPF_MAP_DELETE_BATCH] = {map_delete_batch_cmd, NULL, END(batch.flags), true, true},
	[BPF_BTF_LOAD] = {btf_load_cmd, NULL, END(btf_log_level)},
	[BPF_PROG_BIND_MAP] = {prog_bind_map_cmd, NULL, END(prog_bind_map.flags)},
	[BPF_OBJ_PIN] = {obj_pin_cmd, NULL, END(file_flags)},
	[BPF_OBJ_GET] = {obj_get_cmd, NULL, END(file_flags)},
	[BPF_OBJ_GET_INFO_BY_FD] = {get_info_cmd, NULL, END(info.info), true},
};

static bool all_zero(const uint8_t *p, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int bpfhost_bpf(int cmd, union bpf_attr *uattr, unsigned int size)
{
	const struct command *c;
	union bpf_attr attr;
	const uint8_t *raw = (const uint8_t *)uattr;
	int ret;

	/* a caller with a bigger union: its tail must be zero, and it may not be
	 * bigger than a page (the kernel's E2BIG) */
	if (size > 4096 ||
	    (size > sizeof(attr) && !all_zero(raw + sizeof(attr), size - sizeof(attr))))
		return -E2BIG;
	if (!uattr && size)
		return -EFAULT;
	if (cmd < 0 || (size_t)cmd >= sizeof(commands) / sizeof(commands[0]) ||
	    (!commands[cmd].fn && !commands[cmd].fn_cmd))
		return -EINVAL;
	c = &commands[cmd];
	if (size > sizeof(attr))
		size = sizeof(attr);
	if (size)
		memcpy(&attr, uattr, size);
	memset((uint8_t *)&attr + size, 0, sizeof(attr) - size);
	if (!all_zero((const uint8_t *)&attr + c->attr_end, sizeof(attr) - c->attr_end))
		return -EINVAL;
	ret = c->fn ? c->fn(&attr) : c->fn_cmd(&attr, cmd);
	if ((ret >= 0 || c->answers_err) && c->answers && size)
		memcpy(uattr, &attr, size);
	return ret;
}

long bpfhost_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	int ret = bpfhost_bpf(cmd, attr, size);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

void bpfhost_fd_closed(int fd)
{
	obj_fd_forget(fd);
}
