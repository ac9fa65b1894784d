/* BTF objects: what BPF_BTF_LOAD makes of a blob of type information. The
 * blob is parsed and validated by libbpf's btf__new(), kept in the object's
 * file (shared between processes like maps and programs) for pretty printing
 * and source lines. */
#ifndef BPFHOST_CORE_BTF_H
#define BPFHOST_CORE_BTF_H

#include <linux/bpf.h>
#include <stdint.h>

#include "obj.h"

struct ulog;
struct btf;

#define BTF_MAGIC_FILE "BPFHBTF1"

struct bpfbtf {
	struct obj obj;
	void *data; /* the raw blob, as loaded */
	uint32_t size;
	struct btf *btf; /* libbpf's parsed view */
};

static inline struct bpfbtf *btf_of(struct obj *obj)
{
	return (struct bpfbtf *)obj;
}

/* BPF_BTF_LOAD: a new BTF object with one reference, or -errno (log says why). */
int btf_load(const union bpf_attr *attr, struct ulog *log, struct bpfbtf **out);
/* A BTF object stored in the file fd; takes fd over. */
int btf_open_file(int fd, struct bpfbtf **out);
/* Is type_id a type of btf whose size is size bytes (type_id 0: size must be 0 or any)? */
int btf_check_type_size(struct bpfbtf *btf, uint32_t type_id, uint32_t size);
/* The struct bpf_spin_lock and the struct bpf_timer in a map value of type
 * value_type_id (a struct or a datasec, through typedefs and modifiers),
 * found as the kernel's btf_parse_fields finds them: 0 with their offsets
 * (-1: none; fields the kernel cannot parse count as none), or -EINVAL if
 * there are several locks (nested at different depths; two in one struct
 * cannot get past BPF_BTF_LOAD). Of several timers, the last in offset order
 * is the value's, as the kernel's record->timer_off. */
int btf_find_fields(struct bpfbtf *b, uint32_t value_type_id, int32_t *lock_off,
		    int32_t *timer_off);
/* The key type in BTF of the types that check it (the local storages' map_check_btf:
 * cgroup storage, a struct bpf_cgroup_storage_key or a u64; socket storage, a 32-bit
 * int): 0, or -EINVAL (key_type_id 0 too). Other types: 0. */
int btf_check_map_key(struct bpfbtf *b, uint32_t map_type, uint32_t key_type_id, uint32_t key_size);

#endif
