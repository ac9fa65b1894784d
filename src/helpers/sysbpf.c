/* The helpers of loader programs (BPF_PROG_TYPE_SYSCALL), as the kernel's
 * (kernel/bpf/syscall.c, btf.c), checked against Linux 6.18 by
 * tests/libbpf/test_sysbpf:
 * - bpf_sys_bpf(cmd, attr, size) runs the few commands the kernel lets a
 *   program run (the rest: -EINVAL) through bpfhost_bpf, which has no
 *   BPF_LINK_CREATE or BPF_RAW_TRACEPOINT_OPEN (-EINVAL). The kernel reads
 *   the pointers inside attr (keys, values, instructions, license, BTF,
 *   fd_array, func and line info) as kernel memory; here they must point into
 *   memory the program may touch (its stack, context and maps), so that no
 *   program reaches the rest of the process: one that does not is NULL to the
 *   command, which then fails as the kernel's copy of a bad pointer does
 *   (EFAULT). A log buffer is user memory to the kernel; here it must be
 *   memory the program may write, else the command fails with EFAULT.
 * - bpf_sys_close(fd) closes any fd of the process, as close_fd does.
 * - bpf_btf_find_by_name_kind looks in the running kernel's vmlinux BTF
 *   (libbpf's btf__load_vmlinux_btf, loaded once), so the ids are the
 *   kernel's; modules' BTF is not searched (the kernel's fd << 32 | id answer
 *   never happens).
 * - bpf_kallsyms_lookup_name answers from /proc/kallsyms, which shows the
 *   kernel's addresses to whom bpf_dump_raw_ok would let see them (the same
 *   kallsyms_show_value decides both): all zero there means -EPERM. */
#include "sysbpf.h"

#include <bpf/btf.h>
#include <bpfhost.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/obj.h"
#include "../maps/map.h"

#define ERR(e) ((uint64_t)(int64_t)(e))

#define ATTR_MAX 4096u		    /* PAGE_SIZE: a bigger attr is E2BIG to bpf() */
#define LICENSE_MAX 128u	    /* the kernel copies at most this much of the license */
#define INSNS_MAX 1000000u	    /* BPF_COMPLEXITY_LIMIT_INSNS */
#define BTF_MAX (16u * 1024 * 1024) /* BTF_MAX_SIZE */
#define KSYM_NAME_LEN 512	    /* the kernel's longest symbol name */
#define MODULE_NAME_LEN 56	    /* the kernel's module name buffer */

/* ---- bpf_sys_bpf ---- */

static bool touchable(const struct vm_run *run, uint64_t addr, uint64_t size, bool write)
{
	return addr && size && vm_check_access(run, addr, size, write) != NULL;
}

/* A NUL-terminated string (or its first max bytes) inside memory the
 * program may read. */
static bool string_touchable(const struct vm_run *run, uint64_t addr, uint32_t max)
{
	for (uint32_t n = 0; n < max; n++) {
		if (!touchable(run, addr + n, 1, false))
			return false;
		if (!*(const char *)(uintptr_t)(addr + n))
			return true;
	}
	return true;
}

/* *p stays if the program may read size bytes there, else it becomes NULL. */
static void confine(const struct vm_run *run, __u64 *p, uint64_t size)
{
	if (*p && !touchable(run, *p, size, false))
		*p = 0;
}

/* The highest fd_array index the instructions' LD_IMM64s name, or -1. */
static int64_t fd_array_top(const struct bpf_insn *insns, uint32_t cnt)
{
	int64_t top = -1;

	for (uint32_t i = 0; i + 1 < cnt; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if ((insns[i].src_reg == BPF_PSEUDO_MAP_IDX ||
		     insns[i].src_reg == BPF_PSEUDO_MAP_IDX_VALUE) &&
		    insns[i].imm > top)
			top = insns[i].imm;
		i++;
	}
	return top;
}

/* Key and value of a map element command, sized as the command will read
 * them. (Were the fd replaced by another thread before the command runs, the
 * command would read what the new map needs: reads, never writes.) */
static void confine_elem(const struct vm_run *run, union bpf_attr *a, bool value)
{
	int err = 0;
	struct obj *o = obj_from_fd((int)a->map_fd, OBJ_MAP, NULL, &err);

	if (!o)
		return; /* the command refuses the fd before it reads anything */
	if (map_of(o)->key_size)
		confine(run, &a->key, map_of(o)->key_size);
	if (value)
		confine(run, &a->value, map_value_size_user(map_of(o)));
	obj_put(o);
}

/* The pointers of a command's attr confined to the program's memory; 0, or
 * -EFAULT for a log buffer the program may not write. */
static int confine_attr(const struct vm_run *run, int cmd, union bpf_attr *a)
{
	switch (cmd) {
	case BPF_MAP_UPDATE_ELEM: confine_elem(run, a, true); return 0;
	case BPF_MAP_DELETE_ELEM: confine_elem(run, a, false); return 0;
	case BPF_PROG_LOAD:
		if (!a->insn_cnt || a->insn_cnt > INSNS_MAX)
			return 0; /* E2BIG before anything is read */
		if (a->log_buf && a->log_size && !touchable(run, a->log_buf, a->log_size, true))
			return -EFAULT;
		if (a->license && !string_touchable(run, a->license, LICENSE_MAX))
			a->license = 0;
		confine(run, &a->insns, (uint64_t)a->insn_cnt * sizeof(struct bpf_insn));
		if (a->insns && a->fd_array) {
			int64_t top = fd_array_top((const struct bpf_insn *)(uintptr_t)a->insns,
						   a->insn_cnt);

			if (top >= 0)
				confine(run, &a->fd_array, (uint64_t)(top + 1) * sizeof(int32_t));
		}
		confine(run, &a->func_info, (uint64_t)a->func_info_cnt * a->func_info_rec_size);
		confine(run, &a->line_info, (uint64_t)a->line_info_cnt * a->line_info_rec_size);
		return 0;
	case BPF_BTF_LOAD:
		if (a->btf_log_buf && a->btf_log_size &&
		    !touchable(run, a->btf_log_buf, a->btf_log_size, true))
			return -EFAULT;
		if (a->btf_size <= BTF_MAX)
			confine(run, &a->btf, a->btf_size);
		return 0;
	default: return 0; /* no pointers bpfhost reads */
	}
}

/* bpf_sys_bpf(cmd, attr, attr_size): what bpf(cmd, attr, attr_size) returns,
 * for the commands the kernel's helper allows. */
uint64_t helper_sys_bpf(uint64_t cmd, uint64_t attr, uint64_t attr_size, uint64_t r4, uint64_t r5,
			struct vm_run *run)
{
	union {
		union bpf_attr attr;
		uint8_t bytes[ATTR_MAX];
	} copy;
	uint32_t size = (uint32_t)attr_size;
	int err;

	(void)r4, (void)r5;
	switch ((int)cmd) {
	case BPF_MAP_CREATE:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_FREEZE:
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_PROG_LOAD:
	case BPF_BTF_LOAD:
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN: break;
	default: return ERR(-EINVAL);
	}
	if (size > ATTR_MAX)
		return ERR(-E2BIG);
	/* the program's attr as bpfhost_bpf will read it, zeros past size */
	memset(&copy, 0, sizeof(copy));
	memcpy(copy.bytes, (const void *)(uintptr_t)attr, size);
	err = confine_attr(run, (int)cmd, &copy.attr);
	if (err)
		return ERR(err);
	return ERR(bpfhost_bpf((int)cmd, &copy.attr, size));
}

/* ---- bpf_sys_close ---- */

/* bpf_sys_close(fd): 0, or -EBADF. bpfhost forgets its object first, as the
 * close of its link-time wrapper and preload library does. */
uint64_t helper_sys_close(uint64_t fd, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			  struct vm_run *run)
{
	uint32_t n = (uint32_t)fd;

	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	if (n > INT_MAX)
		return ERR(-EBADF);
	bpfhost_fd_closed((int)n);
	return close((int)n) ? ERR(-errno) : 0;
}

/* ---- names: a string of name_sz bytes, its last one NUL ---- */

static bool name_ok(uint64_t name, uint64_t name_sz)
{
	int sz = (int)name_sz;

	return sz > 1 && !((const char *)(uintptr_t)name)[sz - 1];
}

/* ---- bpf_btf_find_by_name_kind ---- */

static struct btf *vmlinux_btf;
static pthread_once_t vmlinux_once = PTHREAD_ONCE_INIT;

static void vmlinux_load(void)
{
	vmlinux_btf = btf__load_vmlinux_btf(); /* kept: the process may ask again */
}

/* The kernel's btf_find_by_name_kind: the first type of the kind with the name. */
static int64_t btf_find(const struct btf *btf, const char *name, uint8_t kind)
{
	uint32_t n = btf__type_cnt(btf);

	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_kind(t) == kind && !strcmp(btf__name_by_offset(btf, t->name_off), name))
			return id;
	}
	return -ENOENT;
}

/* bpf_btf_find_by_name_kind(name, name_sz, kind, flags): the type id in
 * vmlinux BTF; -EINVAL for flags or a name that does not end at name_sz,
 * -ENOENT if there is none. kind is a u8 to the kernel's search. */
uint64_t helper_btf_find_by_name_kind(uint64_t name, uint64_t name_sz, uint64_t kind,
				      uint64_t flags, uint64_t r5, struct vm_run *run)
{
	(void)r5, (void)run;
	if ((int)flags || !name_ok(name, name_sz))
		return ERR(-EINVAL);
	pthread_once(&vmlinux_once, vmlinux_load);
	if (!vmlinux_btf)
		return ERR(-EINVAL); /* the kernel's answer without vmlinux BTF */
	return ERR(btf_find(vmlinux_btf, (const char *)(uintptr_t)name, (uint8_t)kind));
}

/* ---- bpf_kallsyms_lookup_name ---- */

/* Whether a /proc/kallsyms entry of module mod (NULL: vmlinux) is what
 * kallsyms_lookup_name(name) may find: vmlinux's and modules' symbols, not
 * BPF programs' or trampolines'; "mod:sym" only in mod. */
static bool ksym_match(const char *name, const char *sym, const char *mod)
{
	const char *colon = memchr(name, ':', strnlen(name, MODULE_NAME_LEN));

	if (mod && (!strcmp(mod, "bpf") || !strncmp(mod, "__builtin__", 11)))
		return false;
	if (!colon)
		return !strcmp(sym, name);
	return mod && strlen(mod) == (size_t)(colon - name) && !strncmp(mod, name, strlen(mod)) &&
	       !strcmp(sym, colon + 1);
}

/* The symbol's address, lowest first (vmlinux comes first, by address, then
 * the modules): 0; -ENOENT if none has a nonzero one; -EPERM if the file
 * hides every address from this process. */
static int ksym_find(const char *name, uint64_t *addr)
{
	char line[KSYM_NAME_LEN + 128], sym[KSYM_NAME_LEN], mod[MODULE_NAME_LEN + 32];
	bool shown = false, found = false;
	FILE *f = fopen("/proc/kallsyms", "re");

	*addr = 0;
	if (!f)
		return -EPERM;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type;
		int n = sscanf(line, "%llx %c %511s [%87[^]]]", &a, &type, sym, mod);

		if (n < 3)
			continue;
		shown = shown || a;
		if (!found && ksym_match(name, sym, n == 4 ? mod : NULL)) {
			found = true;
			*addr = a;
		}
		if (found && shown)
			break;
	}
	fclose(f);
	if (!shown) {
		*addr = 0;
		return -EPERM;
	}
	return *addr ? 0 : -ENOENT;
}

/* bpf_kallsyms_lookup_name(name, name_sz, flags, res): *res the symbol's
 * address and 0; else *res 0 and -EINVAL (flags, a name not ending at
 * name_sz), -EPERM (addresses hidden) or -ENOENT. */
uint64_t helper_kallsyms_lookup_name(uint64_t name, uint64_t name_sz, uint64_t flags, uint64_t res,
				     uint64_t r5, struct vm_run *run)
{
	uint64_t *out = (uint64_t *)(uintptr_t)res;

	(void)r5, (void)run;
	*out = 0;
	if ((int)flags || !name_ok(name, name_sz))
		return ERR(-EINVAL);
	return ERR(ksym_find((const char *)(uintptr_t)name, out));
}
