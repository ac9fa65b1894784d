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
	struct bpf_insn *insns; /* as run: maps resolved to handles and addresses */
	struct bpf_insn *dump;	/* as the kernel dumps them: maps named by id */
	uint32_t insn_cnt;
	struct vm_prog *vm;
	struct bpfmap **maps;  /* for the interpreter and helpers */
	struct obj **map_objs; /* the same maps' objects: the program holds them */
	uint32_t map_cnt;
	struct obj **bound; /* maps bound with BPF_PROG_BIND_MAP: held, not used */
	uint32_t bound_cnt;
	uint64_t load_time_ns; /* CLOCK_BOOTTIME, as bpf_prog_info.load_time */
	uint32_t uid;
	uint8_t tag[8];
	bool maps_by_id;
	uint32_t btf_id;		 /* prog_btf_fd's object (0: none) */
	struct bpf_func_info *func_info; /* kernel-sized records (8 bytes) */
	uint32_t nr_func_info;
	struct bpf_line_info *line_info; /* kernel-sized records (16 bytes) */
	uint32_t nr_line_info; /* LD_IMM64 name maps by id (a program read back from its file) */
};

#define PROG_MAGIC "BPFHPRG2" /* 2: BTF, func and line info */

/* The file of a program: this header, then insn_cnt instructions in dump form. */
struct prog_file_hdr {
	char magic[8];
	uint32_t prog_type;
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	uint32_t insn_cnt;
	uint32_t id;
	uint32_t uid;
	uint64_t load_time_ns;
	char name[BPF_OBJ_NAME_LEN];
	uint8_t tag[8];
	uint8_t gpl;
	uint8_t pad[3];
	uint32_t btf_id; /* then func_info and line_info records follow the instructions */
	uint32_t nr_func_info;
	uint32_t nr_line_info;
};

static inline struct bpfprog *prog_of(struct obj *obj)
{
	return (struct bpfprog *)obj;
}

/* BPF_PROG_LOAD: the new program with one reference, or -errno with the
 * reason in log. */
int prog_load(const union bpf_attr *attr, struct ulog *log, struct bpfprog **out);

/* A program stored in the file fd (a pin, or another process's program found
 * by id): loaded again with its maps looked up by id. Takes fd over. */
int prog_open_file(int fd, struct bpfprog **out);
/* BPF_PROG_BIND_MAP: prog holds the map (its reference taken over) as one of
 * its maps for info and lifetime, though no instruction uses it. */
int prog_bind_map(struct bpfprog *prog, struct obj *map);

/* Keeps prog's maps alive as long as a pin of prog exists. */
void prog_pin_maps(struct bpfprog *prog);

/* The kernel's name of a program type ("xdp", "sched_cls", ...). */
const char *prog_type_name(uint32_t type);

/* BPF_PROG_TEST_RUN on prog. */
int prog_test_run(struct bpfprog *prog, union bpf_attr *attr);

/* A packet run for `bpfhost run`: BPF_PROG_TEST_RUN of attr->test.prog_fd's
 * program, except that a socket filter sees the frame from its link-layer
 * header as on a packet socket (packet_socket), and where the program
 * redirected the packet comes back (redirect, if set). */
struct progtype_redirect;
struct prog_packet_opts {
	bool packet_socket;
	struct progtype_redirect *redirect;
	char *fault; /* if the program faults: what and where (fault_len bytes) */
	size_t fault_len;
};
int prog_run_packet_fd(union bpf_attr *attr, const struct prog_packet_opts *po);

#endif
