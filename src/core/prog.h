/* Program objects: what BPF_PROG_LOAD makes of union bpf_attr. The loaded
 * program keeps its instructions as the kernel would report them (map fds
 * replaced by map handles), its decoded form, and references to its maps. */
#ifndef BPFHOST_CORE_PROG_H
#define BPFHOST_CORE_PROG_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

#include "../maps/map.h"
#include "../vm/vm.h"
#include "obj.h"

struct ulog;

struct bpfprog {
	struct obj obj;
	uint32_t prog_type;
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	char name[BPF_OBJ_NAME_LEN];
	bool gpl;
	struct bpf_insn *insns; /* as loaded, map fds resolved */
	struct bpf_insn *orig;	/* as the user gave them */
	uint32_t insn_cnt;
	struct vm_prog *vm;
	struct bpfmap **maps;
	uint32_t map_cnt;
	uint64_t load_time_ns; /* CLOCK_BOOTTIME, as bpf_prog_info.load_time */
	uint32_t uid;
	uint8_t tag[8];
};

static inline struct bpfprog *prog_of(struct obj *obj)
{
	return (struct bpfprog *)obj;
}

/* BPF_PROG_LOAD: the new program with one reference, or -errno with the
 * reason in log. */
int prog_load(const union bpf_attr *attr, struct ulog *log, struct bpfprog **out);

/* BPF_PROG_TEST_RUN on prog. */
int prog_test_run(struct bpfprog *prog, union bpf_attr *attr);

#endif
