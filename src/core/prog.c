/* BPF_PROG_LOAD and BPF_PROG_TEST_RUN. Until the verifier exists, programs run
 * in the checked interpreter, which confines them to their context, their
 * maps and their stack: no program can corrupt the process. */
#include "prog.h"

#include <bpf/btf.h>
#include <bpfhost.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../helpers/kernel.h"
#include "../helpers/timer.h"
#include "../progtypes/progtype.h"
#include "../util/log.h"
#include "../util/name.h"
#include "../util/sha256.h"
#include "btf.h"

#define ENOTSUPP 524
#define MAX_INSNS 1000000u

static void prog_free(struct obj *obj)
{
	struct bpfprog *prog = prog_of(obj);

	for (uint32_t i = 0; i < prog->map_cnt; i++)
		obj_put(prog->map_objs[i]);
	for (uint32_t i = 0; i < prog->bound_cnt; i++)
		obj_put(prog->bound[i]);
	free(prog->maps);
	free(prog->map_objs);
	free(prog->bound);
	free(prog->func_info);
	free(prog->line_info);
	vm_prog_free(prog->vm);
	free(prog->insns);
	free(prog->dump);
	free(prog);
}

/* The kernel's license_is_gpl_compatible(). */
static bool gpl_compatible(const char *l)
{
	static const char *const ok[] = {
		"GPL",		"GPL v2",	"GPL and additional rights",
		"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

/* The program holds the map's object (its reference taken over), as the
 * kernel's program holds its maps: they stay alive, and visible by id. */
static int use_map(struct bpfprog *prog, struct obj *mo)
{
	struct bpfmap **n;
	struct obj **no;

	for (uint32_t i = 0; i < prog->map_cnt; i++) {
		if (prog->map_objs[i] == mo) {
			obj_put(mo);
			return 0;
		}
	}
	n = realloc(prog->maps, (prog->map_cnt + 1) * sizeof(*n));
	if (n)
		prog->maps = n;
	no = n ? realloc(prog->map_objs, (prog->map_cnt + 1) * sizeof(*no)) : NULL;
	if (!no) {
		obj_put(mo);
		return -ENOMEM;
	}
	prog->map_objs = no;
	prog->map_objs[prog->map_cnt] = mo;
	prog->maps[prog->map_cnt++] = map_of(mo);
	return 0;
}

/* The map an LD_IMM64 names: by fd, by index into fd_array, or (a program
 * read back from its file) by id. */
static int map_of_ldimm(const struct bpfprog *prog, const union bpf_attr *attr,
			const struct bpf_insn *in, size_t i, struct ulog *log, struct obj **mo)
{
	int fd = in->imm, err = 0;
	struct obj *o;

	if (prog->maps_by_id) {
		*mo = obj_by_id(OBJ_MAP, (uint32_t)in->imm);
		return *mo ? 0 : -ENOENT;
	}
	if (in->src_reg == BPF_PSEUDO_MAP_IDX || in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
		const int32_t *fds = (const int32_t *)(uintptr_t)attr->fd_array;

		if (!fds || in->imm < 0) {
			ulog_printf(log, "insn %zu: map index %d but no fd_array\n", i, in->imm);
			return -EPROTO;
		}
		fd = fds[in->imm];
	}
	o = obj_from_fd(fd, OBJ_MAP, NULL, &err);
	if (!o) {
		ulog_printf(log, "fd %d is not pointing to valid bpf_map\n", fd);
		return err == -EINVAL ? -EINVAL : -EBADF;
	}
	*mo = o;
	return 0;
}

/* The maps a sleepable program may use (the kernel's check_map_prog_compatibility). */
static bool sleepable_ok(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE: return true;
	default: return false;
	}
}

/* Replaces every LD_IMM64 of a map (fd, index, value) by the 64-bit value the
 * program uses at run time: the map handle, or the address inside the value. */
static int resolve_maps(struct bpfprog *prog, const union bpf_attr *attr, struct ulog *log)
{
	for (uint32_t i = 0; i + 1 < prog->insn_cnt; i++) {
		struct bpf_insn *in = &prog->insns[i];
		struct bpfmap *map;
		struct obj *mo;
		uint64_t addr;
		int err;

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in->src_reg == 0) {
			i++;
			continue;
		}
		if (in->src_reg == BPF_PSEUDO_FUNC) { /* a callback: the interpreter's business */
			i++;
			continue;
		}
		if (in->src_reg == BPF_PSEUDO_BTF_ID || in->src_reg > BPF_PSEUDO_MAP_IDX_VALUE) {
			ulog_printf(log, "insn %u: LD_IMM64 with src_reg %d is not supported\n", i,
				    in->src_reg);
			return -EINVAL;
		}
		err = map_of_ldimm(prog, attr, in, i, log, &mo);
		if (err)
			return err;
		map = map_of(mo);
		addr = (uint64_t)(uintptr_t)map;
		if (in->src_reg == BPF_PSEUDO_MAP_VALUE ||
		    in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
			uint32_t off = (uint32_t)in[1].imm;

			if (map->hdr->map_type != BPF_MAP_TYPE_ARRAY || map->max_entries != 1) {
				ulog_printf(log,
					    "insn %u: direct value access needs an array map "
					    "with one element\n",
					    i);
				obj_put(mo);
				return -EINVAL;
			}
			if (off >= map->value_size) {
				ulog_printf(log,
					    "invalid access to map value pointer, value_size=%u "
					    "off=%u\n",
					    map->value_size, off);
				obj_put(mo);
				return -EINVAL;
			}
			addr = (uint64_t)(uintptr_t)map->data + off;
		}
		/* the dump names the map by id, as the kernel's xlated dump does */
		prog->dump[i].src_reg = (in->src_reg == BPF_PSEUDO_MAP_VALUE ||
					 in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
						? BPF_PSEUDO_MAP_VALUE
						: BPF_PSEUDO_MAP_FD;
		prog->dump[i].imm = (int32_t)atomic_load(&map->hdr->id);
		if ((prog->prog_flags & BPF_F_SLEEPABLE) && !sleepable_ok(map->hdr->map_type)) {
			ulog_printf(log, "Sleepable programs can only use array, hash, ringbuf and "
					 "local storage maps\n");
			obj_put(mo);
			return -EINVAL;
		}
		err = use_map(prog, mo);
		if (err)
			return err;
		in[0].src_reg = 0;
		in[0].imm = (int32_t)(uint32_t)addr;
		in[1].imm = (int32_t)(uint32_t)(addr >> 32);
		i++;
	}
	return 0;
}

/* Every kernel helper's name by id, from the UAPI header: a refusal names
 * the helper whether bpfhost has it or not. */
#define HELPER_NAME(x) "bpf_" #x
static const char *const uapi_helper_names[] = {__BPF_FUNC_MAPPER(HELPER_NAME)};
#undef HELPER_NAME

static int check_helpers(const struct bpfprog *prog, struct ulog *log)
{
	struct vm_helper_table t = progtype_helpers(progtype_find(prog->prog_type));
	const size_t nnames = sizeof(uapi_helper_names) / sizeof(uapi_helper_names[0]);

	for (uint32_t i = 0; i < prog->insn_cnt; i++) {
		const struct bpf_insn *in = &prog->insns[i];
		int32_t id = in->imm;

		if (in->code != (BPF_JMP | BPF_CALL) || in->src_reg != 0)
			continue;
		/* the type's refusal first, as the kernel's (an application's type
		 * refuses the kernel helpers it did not list) */
		if (id > 0 && (size_t)id < nnames &&
		    !progtype_helper_allowed(prog->prog_type, id)) {
			ulog_printf(log,
				    "insn %u: program of this type (%s) cannot use helper %s#%d\n",
				    i, prog_type_name(prog->prog_type), uapi_helper_names[id], id);
			return -EINVAL;
		}
		if (id < 0 || (size_t)id >= t.cnt || !t.helpers[id].fn) {
			ulog_printf(log,
				    "insn %u: invalid func unknown#%d: bpfhost has no helper "
				    "with this id\n",
				    i, id);
			return -EINVAL;
		}
		if (t.helpers[id].might_sleep && !(prog->prog_flags & BPF_F_SLEEPABLE)) {
			ulog_printf(log,
				    "insn %u: helper call might sleep in a non-sleepable prog\n",
				    i);
			return -EINVAL;
		}
	}
	return 0;
}

static int copy_in(const union bpf_attr *attr, struct bpfprog *prog, struct ulog *log)
{
	const char *license = (const char *)(uintptr_t)attr->license;
	size_t bytes = (size_t)attr->insn_cnt * sizeof(struct bpf_insn);

	if (!attr->insns) {
		ulog_printf(log, "insns is NULL\n");
		return -EFAULT;
	}
	prog->insns = malloc(bytes);
	prog->dump = malloc(bytes);
	if (!prog->insns || !prog->dump)
		return -ENOMEM;
	memcpy(prog->dump, (const void *)(uintptr_t)attr->insns, bytes);
	memcpy(prog->insns, prog->dump, bytes);
	prog->insn_cnt = attr->insn_cnt;
	prog->gpl = license && gpl_compatible(license);
	return 0;
}

/* The program's file: its header and its instructions in dump form. */
static int write_file(const struct bpfprog *prog, int fd)
{
	struct prog_file_hdr h;
	size_t bytes = (size_t)prog->insn_cnt * sizeof(struct bpf_insn);

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, PROG_MAGIC, sizeof(h.magic));
	h.prog_type = prog->prog_type;
	h.expected_attach_type = prog->expected_attach_type;
	h.prog_flags = prog->prog_flags;
	h.insn_cnt = prog->insn_cnt;
	h.id = prog->obj.id;
	h.uid = prog->uid;
	h.load_time_ns = prog->load_time_ns;
	memcpy(h.name, prog->name, sizeof(h.name));
	memcpy(h.tag, prog->tag, sizeof(h.tag));
	h.gpl = prog->gpl;
	h.btf_id = prog->btf_id;
	h.nr_func_info = prog->nr_func_info;
	h.nr_line_info = prog->nr_line_info;
	size_t fi = (size_t)prog->nr_func_info * sizeof(*prog->func_info);
	size_t li = (size_t)prog->nr_line_info * sizeof(*prog->line_info);

	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    pwrite(fd, prog->dump, bytes, sizeof(h)) != (ssize_t)bytes ||
	    (fi && pwrite(fd, prog->func_info, fi, (off_t)(sizeof(h) + bytes)) != (ssize_t)fi) ||
	    (li && pwrite(fd, prog->line_info, li, (off_t)(sizeof(h) + bytes + fi)) != (ssize_t)li))
		return -EIO;
	return 0;
}

/* Resolves maps, checks helpers, decodes, and makes the program an object.
 * A new program (fd < 0) gets a new id and a new file; one read back from its
 * file (fd) keeps that file and its id. */
static void timer_host_init(void);

static int finish(struct bpfprog *prog, const union bpf_attr *attr, struct ulog *log, int fd,
		  uint32_t id, struct bpfprog **out)
{
	static pthread_once_t timer_once = PTHREAD_ONCE_INIT;
	bool fresh = fd < 0;
	int err;

	pthread_once(&timer_once, timer_host_init); /* before any program can set a callback */

	err = resolve_maps(prog, attr, log);
	if (!err)
		err = check_helpers(prog, log);
	if (!err)
		err = vm_prog_create(prog->insns, prog->insn_cnt, log, &prog->vm);
	if (!err && fresh) {
		fd = obj_tmpfile();
		err = fd < 0 ? fd : 0;
	}
	if (!err)
		err = obj_init(&prog->obj, OBJ_PROG, fd, prog_free, id);
	if (err) {
		if (fd >= 0)
			close(fd);
		prog_free(&prog->obj);
		return err;
	}
	if (fresh) {
		err = write_file(prog, fd);
		if (err) {
			obj_put(&prog->obj);
			return err;
		}
		obj_publish(&prog->obj);
		if (prog->btf_id) { /* the program's BTF lives as long as the program */
			struct obj *btf = obj_by_id(OBJ_BTF, prog->btf_id);

			if (btf) {
				obj_hold(OBJ_PROG, prog->obj.id, btf);
				obj_put(btf);
			}
		}
	}
	*out = prog;
	return 0;
}

/* User records of rec_size bytes (at least the kernel's size, a multiple of 4,
 * any extra bytes zero, as the kernel's) into kernel-sized ones. */
static int copy_records(void **out, uint64_t user, uint32_t cnt, uint32_t rec_size, uint32_t size,
			struct ulog *log, const char *what)
{
	const uint8_t *u = (const uint8_t *)(uintptr_t)user;
	uint8_t *k;

	if (rec_size < size || rec_size > 256 || rec_size % 4) {
		ulog_printf(log, "invalid %s rec size %u\n", what, rec_size);
		return -EINVAL;
	}
	if (!u)
		return -EFAULT;
	k = malloc((size_t)cnt * size);
	if (!k)
		return -ENOMEM;
	for (uint32_t i = 0; i < cnt; i++) {
		for (uint32_t b = size; b < rec_size; b++) {
			if (u[(size_t)i * rec_size + b]) {
				ulog_printf(log, "%s record %u: nonzero tail\n", what, i);
				free(k);
				return -EINVAL;
			}
		}
		memcpy(k + (size_t)i * size, u + (size_t)i * rec_size, size);
	}
	*out = k;
	return 0;
}

/* prog_btf_fd, func_info and line_info, kept for bpftool's dumps (source
 * lines) and for the verifier log: checked as far as their shape. */
static int copy_btf_info(struct bpfprog *prog, const union bpf_attr *attr, struct ulog *log)
{
	struct obj *btf;
	int err = 0;

	if ((attr->func_info_cnt || attr->line_info_cnt) && !attr->prog_btf_fd) {
		ulog_printf(log, "func_info and line_info need prog_btf_fd\n");
		return -EINVAL;
	}
	if (!attr->prog_btf_fd)
		return 0;
	btf = obj_from_fd((int)attr->prog_btf_fd, OBJ_BTF, NULL, &err);
	if (!btf)
		return err == -EINVAL ? -EINVAL : -EBADF;
	prog->btf_id = btf->id;
	obj_put(btf);
	if (attr->func_info_cnt) {
		err = copy_records((void **)&prog->func_info, attr->func_info, attr->func_info_cnt,
				   attr->func_info_rec_size, sizeof(struct bpf_func_info), log,
				   "func_info");
		if (err)
			return err;
		prog->nr_func_info = attr->func_info_cnt;
		if (prog->func_info[0].insn_off) {
			ulog_printf(log, "nonzero insn_off %u for the first func info record\n",
				    prog->func_info[0].insn_off);
			return -EINVAL;
		}
	}
	if (attr->line_info_cnt) {
		err = copy_records((void **)&prog->line_info, attr->line_info, attr->line_info_cnt,
				   attr->line_info_rec_size, sizeof(struct bpf_line_info), log,
				   "line_info");
		if (err)
			return err;
		prog->nr_line_info = attr->line_info_cnt;
		for (uint32_t i = 0; i < prog->nr_line_info; i++) {
			if (prog->line_info[i].insn_off >= prog->insn_cnt ||
			    (i && prog->line_info[i].insn_off < prog->line_info[i - 1].insn_off)) {
				ulog_printf(log,
					    "Invalid line_info[%u].insn_off:%u (prev_offset:%u "
					    "prog->len:%u)\n",
					    i, prog->line_info[i].insn_off,
					    i ? prog->line_info[i - 1].insn_off : 0,
					    prog->insn_cnt);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* The kernel's tag: the first 8 bytes of the SHA-256 of the instructions as
 * loaded, with the immediates of map LD_IMM64s (fds) zeroed. */
static int compute_tag(struct bpfprog *prog)
{
	struct bpf_insn *c = malloc((size_t)prog->insn_cnt * sizeof(*c));
	uint8_t digest[32];
	bool was_ld_map = false;

	if (!c)
		return -ENOMEM;
	memcpy(c, prog->dump, (size_t)prog->insn_cnt * sizeof(*c));
	for (uint32_t i = 0; i < prog->insn_cnt; i++) {
		if (!was_ld_map && c[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (c[i].src_reg == BPF_PSEUDO_MAP_FD || c[i].src_reg == BPF_PSEUDO_MAP_VALUE)) {
			was_ld_map = true;
			c[i].imm = 0;
		} else if (was_ld_map && !c[i].code && !c[i].dst_reg && !c[i].src_reg &&
			   !c[i].off) {
			was_ld_map = false;
			c[i].imm = 0;
		} else {
			was_ld_map = false;
		}
	}
	sha256(c, (size_t)prog->insn_cnt * sizeof(*c), digest);
	memcpy(prog->tag, digest, sizeof(prog->tag));
	free(c);
	return 0;
}

int prog_load(const union bpf_attr *attr, struct ulog *log, struct bpfprog **out)
{
	struct bpfprog *prog;
	struct timespec ts;
	int err;

	if (attr->insn_cnt == 0 || attr->insn_cnt > MAX_INSNS)
		return -E2BIG;
	if (attr->prog_type == BPF_PROG_TYPE_UNSPEC ||
	    (attr->prog_type > BPF_PROG_TYPE_SYSCALL && !progtype_app_find(attr->prog_type))) {
		ulog_printf(log, "unknown program type %u\n", attr->prog_type);
		return -EINVAL;
	}
	if (attr->prog_flags &
	    ~(uint32_t)(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_RND_HI32 |
			BPF_F_TEST_STATE_FREQ | BPF_F_SLEEPABLE | BPF_F_XDP_HAS_FRAGS)) {
		ulog_printf(log, "unknown prog_flags 0x%x\n", attr->prog_flags);
		return -EINVAL;
	}
	if (!attr->license)
		return -EFAULT;
	if (!name_valid(attr->prog_name, BPF_OBJ_NAME_LEN)) {
		ulog_printf(log, "prog_name: not [A-Za-z0-9_.] ending within 16 bytes\n");
		return -EINVAL;
	}
	if (attr->prog_type == BPF_PROG_TYPE_SYSCALL && !(attr->prog_flags & BPF_F_SLEEPABLE)) {
		ulog_printf(log, "Syscall programs can only be sleepable\n");
		return -EINVAL;
	}
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	prog->prog_type = attr->prog_type;
	prog->expected_attach_type = attr->expected_attach_type;
	prog->prog_flags = attr->prog_flags;
	memcpy(prog->name, attr->prog_name, strnlen(attr->prog_name, sizeof(prog->name) - 1));
	clock_gettime(CLOCK_BOOTTIME, &ts);
	prog->load_time_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	prog->uid = getuid();
	err = copy_in(attr, prog, log);
	if (!err)
		err = compute_tag(prog);
	if (!err)
		err = copy_btf_info(prog, attr, log);
	if (err) {
		prog_free(&prog->obj);
		return err;
	}
	return finish(prog, attr, log, -1, 0, out);
}

/* The func and line info records stored after the instructions. */
static int read_infos(struct bpfprog *prog, int fd, const struct prog_file_hdr *h, size_t bytes)
{
	size_t fi = (size_t)h->nr_func_info * sizeof(struct bpf_func_info);
	size_t li = (size_t)h->nr_line_info * sizeof(struct bpf_line_info);

	if (h->nr_func_info > MAX_INSNS || h->nr_line_info > MAX_INSNS)
		return -EINVAL;
	prog->func_info = fi ? malloc(fi) : NULL;
	prog->line_info = li ? malloc(li) : NULL;
	if ((fi && (!prog->func_info ||
		    pread(fd, prog->func_info, fi, (off_t)(sizeof(*h) + bytes)) != (ssize_t)fi)) ||
	    (li && (!prog->line_info || pread(fd, prog->line_info, li,
					      (off_t)(sizeof(*h) + bytes + fi)) != (ssize_t)li)))
		return -EINVAL;
	prog->nr_func_info = h->nr_func_info;
	prog->nr_line_info = h->nr_line_info;
	return 0;
}

int prog_open_file(int fd, struct bpfprog **out)
{
	struct prog_file_hdr h;
	struct bpfprog *prog;
	size_t bytes;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h.magic, PROG_MAGIC, sizeof(h.magic)) || !h.insn_cnt || h.insn_cnt > MAX_INSNS) {
		close(fd);
		return -EINVAL;
	}
	prog = calloc(1, sizeof(*prog));
	bytes = (size_t)h.insn_cnt * sizeof(struct bpf_insn);
	if (prog) {
		prog->insns = malloc(bytes);
		prog->dump = malloc(bytes);
	}
	if (!prog || !prog->insns || !prog->dump ||
	    pread(fd, prog->dump, bytes, sizeof(h)) != (ssize_t)bytes) {
		close(fd);
		if (prog)
			prog_free(&prog->obj);
		return prog ? -EINVAL : -ENOMEM;
	}
	memcpy(prog->insns, prog->dump, bytes);
	prog->insn_cnt = h.insn_cnt;
	prog->prog_type = h.prog_type;
	prog->expected_attach_type = h.expected_attach_type;
	prog->prog_flags = h.prog_flags;
	prog->uid = h.uid;
	prog->load_time_ns = h.load_time_ns;
	prog->gpl = h.gpl;
	memcpy(prog->name, h.name, sizeof(prog->name));
	memcpy(prog->tag, h.tag, sizeof(prog->tag));
	prog->btf_id = h.btf_id;
	if (read_infos(prog, fd, &h, bytes)) {
		close(fd);
		prog_free(&prog->obj);
		return -EINVAL;
	}
	prog->maps_by_id = true;
	return finish(prog, NULL, NULL, fd, h.id, out);
}

static pthread_mutex_t bind_lock = PTHREAD_MUTEX_INITIALIZER;

int prog_bind_map(struct bpfprog *prog, struct obj *map)
{
	struct obj **n;
	int err = 0;

	pthread_mutex_lock(&bind_lock);
	for (uint32_t i = 0; i < prog->map_cnt && !err; i++)
		if (prog->map_objs[i] == map)
			err = 1;
	for (uint32_t i = 0; i < prog->bound_cnt && !err; i++)
		if (prog->bound[i] == map)
			err = 1;
	if (err) { /* already one of its maps: nothing to do, as the kernel */
		pthread_mutex_unlock(&bind_lock);
		obj_put(map);
		return 0;
	}
	/* runs never read bound[], so growing it cannot pull it from under one */
	n = realloc(prog->bound, (prog->bound_cnt + 1) * sizeof(*n));
	if (n) {
		prog->bound = n;
		prog->bound[prog->bound_cnt++] = map;
	}
	pthread_mutex_unlock(&bind_lock);
	if (!n) {
		obj_put(map);
		return -ENOMEM;
	}
	return 0;
}

void prog_pin_maps(struct bpfprog *prog)
{
	for (uint32_t i = 0; i < prog->map_cnt; i++)
		obj_hold(OBJ_PROG, prog->obj.id, prog->map_objs[i]);
	for (uint32_t i = 0; i < prog->bound_cnt; i++)
		obj_hold(OBJ_PROG, prog->obj.id, prog->bound[i]);
}

/* Programs a run tail-called into and inner maps it looked up, kept alive
 * until the run ends. */
struct run_holds {
	struct bpfprog *prog; /* the program the run is of (borrowed) */
	struct obj *held[VM_MAX_TAIL_CALLS + 8];
	unsigned cnt;
};

/* bpf_tail_call: the program in slot index of the prog array. */
static int tail_call_target(struct vm_run *run, uint64_t map_handle, uint64_t index,
			    struct vm_target *out)
{
	struct bpfmap *map = (struct bpfmap *)(uintptr_t)map_handle;
	struct run_holds *holds = run->user;
	struct bpfprog *target;
	struct obj *o;
	uint32_t id;

	if (map->hdr->map_type != BPF_MAP_TYPE_PROG_ARRAY ||
	    holds->cnt >= sizeof(holds->held) / sizeof(holds->held[0]))
		return -1;
	id = map_prog_array_get(map, (uint32_t)index);
	o = id ? obj_by_id(OBJ_PROG, id) : NULL;
	if (!o)
		return -1;
	holds->held[holds->cnt++] = o;
	target = prog_of(o);
	out->prog = target->vm;
	out->maps = target->maps;
	out->map_cnt = target->map_cnt;
	return 0;
}

/* A map-in-map lookup: the inner map with this id, usable for the rest of the run. */
static struct bpfmap *inner_map(struct vm_run *run, uint32_t id)
{
	struct run_holds *holds = run->user;
	struct obj *o;

	if (holds->cnt >= sizeof(holds->held) / sizeof(holds->held[0]))
		return NULL;
	o = obj_by_id(OBJ_MAP, id);
	if (!o)
		return NULL;
	if (vm_run_add_map(run, map_of(o))) {
		obj_put(o);
		return NULL;
	}
	holds->held[holds->cnt++] = o;
	return map_of(o);
}

static void run_holds_release(struct run_holds *holds)
{
	for (unsigned i = 0; i < holds->cnt; i++)
		obj_put(holds->held[i]);
	holds->cnt = 0;
}

/* A run of prog, a program of type, from its first instruction on this
 * CPU, with its maps, the type's helpers, tail calls and inner maps held
 * in holds. */
static void run_setup(struct vm_run *run, struct bpfprog *prog, const struct progtype *type,
		      struct run_holds *holds)
{
	vm_run_init(run, prog->vm);
	run->helpers = progtype_helpers(type);
	run->maps = prog->maps;
	run->map_cnt = prog->map_cnt;
	run->cpu = map_this_cpu();
	run->tail_call = tail_call_target;
	run->resolve_map = inner_map;
	run->user = holds;
	holds->prog = prog;
}

/* A test run lent to a program type (src/progtypes): the run set up as a
 * syscall program's, each of its runs starting from the program's own first
 * instruction and maps, no tail call counted, nothing of the last run held. */
struct type_test {
	struct progtype_test t;
	struct bpfprog *prog;
	struct run_holds holds;
};

/* Where in its source a fault of prog's happened: " (at FILE:LINE: TEXT)"
 * from the line info the loader gave (clang -g), or "" without any, or when
 * the fault is in another program (a tail call's). */
static void fault_where(const struct bpfprog *prog, const struct vm_run *run, char *buf, size_t len)
{
	const struct bpf_line_info *li = NULL;
	const char *file, *text;
	struct obj *o;
	struct btf *btf;

	buf[0] = '\0';
	if (run->prog != prog->vm || !prog->btf_id || !prog->nr_line_info)
		return;
	/* the last line at or before the instruction; line 0 is code the
	 * compiler made up (no line of its own): the one before it stands */
	for (uint32_t i = 0; i < prog->nr_line_info; i++)
		if (prog->line_info[i].insn_off <= run->fault.pc &&
		    BPF_LINE_INFO_LINE_NUM(prog->line_info[i].line_col))
			li = &prog->line_info[i];
	o = li ? obj_by_id(OBJ_BTF, prog->btf_id) : NULL;
	if (!o)
		return;
	btf = btf_of(o)->btf;
	file = btf__name_by_offset(btf, li->file_name_off);
	text = btf__name_by_offset(btf, li->line_off);
	if (file) {
		const char *base = strrchr(file, '/');

		while (text && (*text == ' ' || *text == '\t'))
			text++;
		snprintf(buf, len, " (at %s:%u%s%.80s)", base ? base + 1 : file,
			 BPF_LINE_INFO_LINE_NUM(li->line_col), text && *text ? ": " : "",
			 text ? text : "");
	}
	obj_put(o);
}

static int type_test_exec(struct progtype_test *t)
{
	struct type_test *tt = t->owner;
	struct vm_run *run = t->run;
	int err;

	run->prog = tt->prog->vm;
	run->maps = tt->prog->maps;
	run->map_cnt = tt->prog->map_cnt;
	run->tail_calls = 0;
	err = vm_exec_checked(run);
	run->extra_map_cnt = 0; /* inner maps the run looked up: held no longer */
	run_holds_release(&tt->holds);
	return err ? -EFAULT : 0;
}

static int test_run_type(struct bpfprog *prog, const struct progtype *type, union bpf_attr *attr,
			 const struct prog_packet_opts *po)
{
	struct type_test tt = {.prog = prog, .holds = {.cnt = 0}};
	struct vm_run *run;
	int err;

	/* the kernel's bpf_prog_test_run, before any type's */
	if (!attr->test.ctx_in != !attr->test.ctx_size_in ||
	    !attr->test.ctx_out != !attr->test.ctx_size_out)
		return -EINVAL;
	if (!type || !type->test_run)
		return -ENOTSUPP;
	run = calloc(1, sizeof(*run)); /* a zeroed stack: nothing of the process shows through */
	if (!run)
		return -ENOMEM;
	run_setup(run, prog, type, &tt.holds);
	tt.t.run = run;
	tt.t.type = type;
	tt.t.expected_attach_type = prog->expected_attach_type;
	tt.t.exec = type_test_exec;
	tt.t.owner = &tt;
	if (po) {
		tt.t.packet_socket = po->packet_socket;
		tt.t.redirect = po->redirect;
	}
	err = type->test_run(&tt.t, attr);
	if (err && po && po->fault && po->fault_len && run->fault.kind != VM_FAULT_NONE) {
		char where[160];

		fault_where(prog, run, where, sizeof(where));
		snprintf(po->fault, po->fault_len, "%s%s", run->fault.msg, where);
	}
	free(run);
	return err;
}

int prog_test_run(struct bpfprog *prog, union bpf_attr *attr)
{
	const struct progtype *type = progtype_find(prog->prog_type);

	return test_run_type(prog, type, attr, NULL);
}

int prog_run_packet_fd(union bpf_attr *attr, const struct prog_packet_opts *po)
{
	const struct progtype *type;
	struct obj *o;
	int err = 0;

	o = obj_from_fd((int)attr->test.prog_fd, OBJ_PROG, NULL, &err);
	if (!o)
		return err;
	type = progtype_find(prog_of(o)->prog_type);
	err = test_run_type(prog_of(o), type, attr, po);
	obj_put(o);
	return err;
}

/* A run for each thread, kept between runs: a hook that fires often costs
 * no allocation. A helper that runs a program while one runs gets its own.
 * Runs start on a zeroed stack: what a program may find there (it has no
 * verifier to stop it reading before writing) is what earlier programs left,
 * never the process's own data. */
static _Thread_local struct vm_run *kept_run;
static _Thread_local bool kept_busy;
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_key_init(void)
{
	pthread_key_create(&kept_key, free);
}

static struct vm_run *run_get(bool *kept)
{
	struct vm_run *run;

	*kept = false;
	if (kept_busy)
		return calloc(1, sizeof(*run));
	if (!kept_run) {
		pthread_once(&kept_once, kept_key_init);
		kept_run = calloc(1, sizeof(*kept_run));
		if (!kept_run)
			return NULL;
		pthread_setspecific(kept_key, kept_run); /* freed when the thread ends */
	}
	*kept = kept_busy = true;
	return kept_run;
}

int bpfhost_prog_run(int prog_fd, void *ctx, size_t ctx_size, unsigned long long *ret, char *err,
		     size_t err_len)
{
	const struct progtype *type;
	struct run_holds holds = {.cnt = 0};
	struct bpfprog *prog;
	struct vm_run *run;
	bool kept = false;
	struct obj *o;
	int e = 0;

	o = obj_from_fd(prog_fd, OBJ_PROG, NULL, &e);
	if (!o)
		return ulog_error(err, err_len, e, "fd %d is not a BPF program", prog_fd);
	prog = prog_of(o);
	type = progtype_find(prog->prog_type);
	if (!type || !type->ctx_plain) {
		e = ulog_error(err, err_len, -EINVAL,
			       "%s programs do not run on a context in memory: use "
			       "BPF_PROG_TEST_RUN",
			       prog_type_name(prog->prog_type));
		goto out;
	}
	if (type->ctx_size ? ctx_size != type->ctx_size
			   : type->ctx_max && ctx_size > type->ctx_max) {
		e = ulog_error(err, err_len, -EINVAL, "ctx_size %zu: a %s context is %s%u bytes",
			       ctx_size, type->name, type->ctx_size ? "" : "at most ",
			       type->ctx_size ? type->ctx_size : type->ctx_max);
		goto out;
	}
	if (ctx_size && !ctx) {
		e = ulog_error(err, err_len, -EINVAL, "ctx is NULL with ctx_size %zu", ctx_size);
		goto out;
	}
	run = run_get(&kept);
	if (!run) {
		e = ulog_error(err, err_len, -ENOMEM, "out of memory");
		goto out;
	}
	run_setup(run, prog, type, &holds);
	run->args[0] = (uint64_t)(uintptr_t)ctx;
	if (ctx_size)
		vm_run_add_ctx(run, ctx, ctx_size, type->ctx_writable, type->ctx_access);
	e = vm_exec_checked(run);
	run->extra_map_cnt = 0;
	run_holds_release(&holds);
	if (e) {
		char where[160];

		fault_where(prog, run, where, sizeof(where));
		ulog_error(err, err_len, e, "%s%s", run->fault.msg, where);
	} else if (ret)
		*ret = run->r0;
	if (kept)
		kept_busy = false;
	else
		free(run);
out:
	obj_put(o);
	return e;
}

/* ---- timers: a program kept by a timer, its callback run on the timer thread ---- */

/* The program whose code a run of ours runs: its own, or a tail call's target. */
static void *timer_prog_get(struct vm_run *run)
{
	struct run_holds *holds = run->user;

	if (run->tail_call != tail_call_target) /* not set up by run_setup */
		return NULL;
	if (holds->prog && holds->prog->vm == run->prog) {
		obj_get(&holds->prog->obj);
		return holds->prog;
	}
	for (unsigned i = 0; i < holds->cnt; i++) {
		struct obj *o = holds->held[i];

		if (o->type == OBJ_PROG && prog_of(o)->vm == run->prog) {
			obj_get(o);
			return prog_of(o);
		}
	}
	return NULL;
}

static void timer_prog_hold(void *prog)
{
	obj_get(&((struct bpfprog *)prog)->obj);
}

static void timer_prog_put(void *prog)
{
	obj_put(&((struct bpfprog *)prog)->obj);
}

/* A run of the program from func, on this thread (the timer's), with the
 * timer's map usable even if the program never named it (an inner map). */
static void timer_prog_call(void *p, struct bpfmap *map, uint64_t func, const void *key,
			    uint32_t key_size, void *value)
{
	struct bpfprog *prog = p;
	struct run_holds holds = {.cnt = 0};
	bool kept = false, used = false;
	struct vm_run *run = run_get(&kept);

	if (!run)
		return;
	run_setup(run, prog, progtype_find(prog->prog_type), &holds);
	run->entry = (const struct vm_insn *)(uintptr_t)func;
	run->args[0] = (uint64_t)(uintptr_t)map;
	run->args[1] = (uint64_t)(uintptr_t)key;
	run->args[2] = (uint64_t)(uintptr_t)value;
	for (uint32_t i = 0; i < prog->map_cnt; i++)
		used = used || prog->maps[i] == map;
	if (!used)
		vm_run_add_map(run, map);
	vm_run_add_region(run, key, key_size, "key", false);
	vm_exec_checked(run); /* the kernel ignores what the callback returns */
	run->extra_map_cnt = 0;
	run_holds_release(&holds);
	if (kept)
		kept_busy = false;
	else
		free(run);
}

static const struct timer_host timer_host = {timer_prog_get, timer_prog_hold, timer_prog_put,
					     timer_prog_call};

static void timer_host_init(void)
{
	timer_host_set(&timer_host);
}

const char *prog_type_name(uint32_t type)
{
	static const char *const names[] = {"unspec",
					    "socket_filter",
					    "kprobe",
					    "sched_cls",
					    "sched_act",
					    "tracepoint",
					    "xdp",
					    "perf_event",
					    "cgroup_skb",
					    "cgroup_sock",
					    "lwt_in",
					    "lwt_out",
					    "lwt_xmit",
					    "sock_ops",
					    "sk_skb",
					    "cgroup_device",
					    "sk_msg",
					    "raw_tracepoint",
					    "cgroup_sock_addr",
					    "lwt_seg6local",
					    "lirc_mode2",
					    "sk_reuseport",
					    "flow_dissector",
					    "cgroup_sysctl",
					    "raw_tracepoint_writable",
					    "cgroup_sockopt",
					    "tracing",
					    "struct_ops",
					    "ext",
					    "lsm",
					    "sk_lookup",
					    "syscall"};

	const struct progtype *app = progtype_app_find(type);

	if (app)
		return app->name;
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}
