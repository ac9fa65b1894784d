/* BPF_MAP_TYPE_CGROUP_ARRAY: cgroups by index, for bpf_current_task_under_cgroup
 * and bpf_skb_under_cgroup. User space stores the fd of a cgroup2 directory;
 * a slot keeps the cgroup's id (its directory's inode number: the kernel's
 * cgroup id, never reused, the same to every process that shares the map),
 * 0 when empty. User space cannot read a slot back (ENOTSUPP), as in the
 * kernel, which keeps a pointer there; checked against Linux 6.18 by
 * tests/libbpf/test_cgarray. */
#include "cgroup_array.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../helpers/task.h"
#include "../progtypes/progtype.h"
#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define ERR(e) ((uint64_t)(int64_t)(e))

/* the kernel's array_map_alloc_check and fd_array_map_alloc_check: no
 * program-side access flags, no mmap, no inner-map template; and its
 * map_check_no_btf: no BTF types (answered here, before the BTF object is
 * looked at, where the kernel answers after) */
static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;

	if (attr->btf_value_type_id) {
		ulog_printf(log, "cgroup_array: values are cgroups, they have no BTF type\n");
		return -ENOTSUPP;
	}
	if (!attr->max_entries || attr->key_size != 4 || attr->value_size != 4 ||
	    (attr->map_flags & ~ok)) {
		ulog_printf(log,
			    "cgroup_array: needs key_size 4, value_size 4, max_entries > 0 and "
			    "known flags (got %u, %u, %u, 0x%x)\n",
			    attr->key_size, attr->value_size, attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return (uint64_t)hdr->max_entries * sizeof(uint64_t);
}

static _Atomic uint64_t *slot(struct bpfmap *map, uint32_t index)
{
	return index < map->max_entries ? (_Atomic uint64_t *)(void *)map->data + index : NULL;
}

static _Atomic uint64_t *key_slot(struct bpfmap *map, const void *key)
{
	uint32_t index;

	memcpy(&index, key, 4);
	return slot(map, index);
}

/* The id of the cgroup2 directory open at fd, as the kernel's cgroup_get_from_fd
 * answers: -EBADF for anything else (a cgroup v1 directory too), -ENOENT
 * for a cgroup removed since (its directory is empty). */
static int cgroup_id_of_fd(int fd, uint64_t *id)
{
	struct statfs sfs;
	struct stat st;

	if (fstat(fd, &st) || !S_ISDIR(st.st_mode) || fstatfs(fd, &sfs) ||
	    sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -EBADF;
	if (faccessat(fd, "cgroup.controllers", F_OK, 0))
		return -ENOENT;
	*id = st.st_ino;
	return 0;
}

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -ENOTSUPP; /* the kernel has no map_fd_sys_lookup_elem for cgroups */
}

/* value: a cgroup2 directory fd of the calling process; BPF_ANY only */
static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	_Atomic uint64_t *s = key_slot(map, key);
	uint64_t id = 0;
	int32_t fd;
	int err;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (!s)
		return -E2BIG;
	memcpy(&fd, value, 4);
	err = cgroup_id_of_fd(fd, &id);
	if (!err)
		atomic_store(s, id);
	return err;
}

static int delete (struct bpfmap *map, const void *key)
{
	_Atomic uint64_t *s = key_slot(map, key);

	if (!s)
		return -E2BIG;
	return atomic_exchange(s, 0) ? 0 : -ENOENT;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -ENOTSUPP;
}

const struct map_ops map_cgroup_array_ops = {
	.check = check,
	.data_size = data_size,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = map_index_next_key,
	.lookup_and_delete = lookup_and_delete,
};

/* ---- the helpers ---- */

/* The cgroup in slot index of map, as the kernel's helpers read it: 0 with
 * *id; -E2BIG past the array, -EAGAIN for an empty slot. A map of another
 * type (which a verifier would refuse) stops the run. */
static int slot_id(uint64_t map, uint64_t index, struct vm_run *run, const char *helper,
		   uint64_t *id)
{
	struct bpfmap *m = (struct bpfmap *)(uintptr_t)map;
	_Atomic uint64_t *s;

	if (m->hdr->map_type != BPF_MAP_TYPE_CGROUP_ARRAY) {
		vm_helper_fault(run, "helper %s: map of type %s is not a cgroup_array", helper,
				map_type_name(m->hdr->map_type));
		return -EFAULT;
	}
	s = slot(m, (uint32_t)index);
	if (!s)
		return -E2BIG;
	*id = atomic_load(s);
	return *id ? 0 : -EAGAIN;
}

/* bpf_current_task_under_cgroup(map, index): 1 if the task's cgroup is the
 * one in the slot or below it, else 0; -E2BIG, -EAGAIN. */
uint64_t helper_current_task_under_cgroup(uint64_t map, uint64_t index, uint64_t r3, uint64_t r4,
					  uint64_t r5, struct vm_run *run)
{
	uint64_t id;
	int err;

	(void)r3, (void)r4, (void)r5;
	err = slot_id(map, index, run, "bpf_current_task_under_cgroup", &id);
	if (err)
		return ERR(err);
	return (uint64_t)task_cgroup_under(id);
}

/* bpf_skb_under_cgroup(skb, map, index): as above for the skb's socket. A
 * test run's skb has one (the kernel's test run gives it a socket), made by
 * the thread that runs it and so in that thread's cgroup: the kernel's
 * -ENOENT for an skb without a full socket does not happen here. */
uint64_t helper_skb_under_cgroup(uint64_t skb, uint64_t map, uint64_t index, uint64_t r4,
				 uint64_t r5, struct vm_run *run)
{
	struct skb_buf *b = skb_buf_of(run);
	uint64_t id;
	int err;

	(void)r4, (void)r5;
	if (!b || skb != (uint64_t)(uintptr_t)b->md) {
		vm_helper_fault(run,
				"helper bpf_skb_under_cgroup: argument R1 (0x%llx) is not the "
				"__sk_buff context",
				(unsigned long long)skb);
		return 0;
	}
	err = slot_id(map, index, run, "bpf_skb_under_cgroup", &id);
	if (err)
		return ERR(err);
	return (uint64_t)task_cgroup_under(id);
}
