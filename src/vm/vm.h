/* Running programs: a validated program is decoded once into a vm_prog (one
 * fixed-size record per slot, fields pre-extended), then run by the fast
 * interpreter (trusts the program: for verified code) or the checked one
 * (validates every access against the run's regions, every jump and call,
 * and bounds the instruction count). Both are built from one template.
 */
#ifndef BPFHOST_VM_H
#define BPFHOST_VM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../isa/isa.h"

struct ulog;
struct vm_run;
struct bpfmap;
struct bpfmap;

/* A helper: r0 = fn(r1, ..., r5, run). The run gives access to the caller's
 * context (run->user) and lets a helper stop the program (vm_run_stop). */
typedef uint64_t (*vm_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run);

/* How the checked interpreter validates a helper's argument before the call. */
enum vm_arg {
	VM_ARG_ANYTHING = 0,  /* any value */
	VM_ARG_MEM_RO,	      /* pointer to memory read by the helper, size in the next arg */
	VM_ARG_MEM_RW,	      /* pointer to memory written by the helper, size in the next arg */
	VM_ARG_SIZE,	      /* the size belonging to the previous argument */
	VM_ARG_STR,	      /* pointer to a NUL-terminated string inside one region */
	VM_ARG_MAP,	      /* a map the program uses (struct bpfmap *) */
	VM_ARG_MAP_KEY,	      /* key_size bytes of readable memory, for the map in r1 */
	VM_ARG_MAP_VALUE,     /* value_size bytes of readable memory, for the map in r1 */
	VM_ARG_MAP_VALUE_OUT, /* value_size bytes the helper writes, for the map in r1 */
	VM_ARG_LONG_OUT,      /* 8 bytes the helper writes (a long result) */
	/* a struct bpf_dynptr: 16 bytes of stack, 8-aligned (src/helpers/dynptr.h) */
	VM_ARG_DYNPTR_UNINIT,  /* the helper initialises it */
	VM_ARG_DYNPTR,	       /* the helper uses it */
	VM_ARG_DYNPTR_RELEASE, /* the helper submits or discards its record and sets it null */
};

struct vm_helper {
	const char *name;
	vm_helper_fn fn;
	uint8_t args[5];  /* enum vm_arg, r1..r5 */
	bool tail_call;	  /* bpf_tail_call: the VM jumps to run->tail_call()'s program */
	bool might_sleep; /* only sleepable programs may call it (BPF_F_SLEEPABLE) */
	const void *data; /* the helper's own (run->helper points here during the call) */
};

/* What a tail call jumps to: a program and the maps it uses. */
struct vm_target {
	const struct vm_prog *prog;
	struct bpfmap *const *maps;
	size_t map_cnt;
};

#define VM_MAX_TAIL_CALLS 33 /* the kernel's MAX_TAIL_CALL_CNT */

/* The helpers a run may call, indexed by id; a NULL fn is no helper. */
struct vm_helper_table {
	const struct vm_helper *helpers;
	size_t cnt;
};

/* A decoded instruction: jump and call targets are displacements from the
 * next instruction, immediates sign-extended (LD_IMM64: the whole value). */
struct vm_insn {
	uint16_t op; /* enum isa_op */
	uint8_t dst;
	uint8_t src;
	int32_t off;
	uint64_t imm;
};

struct vm_prog {
	struct vm_insn *insns;
	size_t insn_cnt;
};

/* Memory a checked run may touch. Addresses are the process's own. */
struct vm_region {
	uint64_t start;
	uint64_t len;
	const char *name;
	bool writable;
	/* a context's rules: whether the program may read or write size bytes
	 * at off (the kernel's is_valid_access of its type); NULL: any access */
	bool (*access_ok)(uint32_t off, uint32_t size, bool write);
};

#define VM_MAX_REGIONS 16
#define VM_MAX_HELD_RECORDS 16 /* reservations a run's end discards (more: not tracked) */

enum vm_fault_kind {
	VM_FAULT_NONE,
	VM_FAULT_MEM,	     /* access outside every region, or a write to read-only memory */
	VM_FAULT_ALIGN,	     /* misaligned atomic */
	VM_FAULT_JUMP,	     /* control left the program */
	VM_FAULT_CALL,	     /* unknown helper, frame limit */
	VM_FAULT_HELPER_ARG, /* a helper argument failed its check */
	VM_FAULT_INSN_LIMIT, /* too many instructions executed */
};

struct vm_fault {
	enum vm_fault_kind kind;
	size_t pc; /* instruction index */
	uint64_t addr;
	uint32_t size;
	char msg[192]; /* one line, names the instruction, address and region */
};

struct vm_run {
	/* set by the caller */
	const struct vm_prog *prog;
	struct vm_helper_table helpers;
	uint64_t args[5];   /* r1..r5 at entry */
	const uint8_t *pkt; /* packet for LD_ABS/LD_IND */
	size_t pkt_len;
	/* LD_ABS/LD_IND's negative offsets, SKF_NET_OFF + n and SKF_LL_OFF + n:
	 * n bytes past the network or link-layer header, anywhere in
	 * [pkt_head, pkt + pkt_len); NULL pkt_head: there is no such header */
	const uint8_t *pkt_head, *pkt_net, *pkt_mac;
	struct vm_region regions[VM_MAX_REGIONS];
	size_t region_cnt;
	uint64_t insn_limit; /* checked only; 0 means VM_DEFAULT_INSN_LIMIT */
	/* where the run starts: NULL for prog's first instruction, or one of its
	 * functions (a value it made with LD_IMM64 src 4: a timer's callback) */
	const struct vm_insn *entry;
	struct bpfmap *const *maps; /* the maps the program uses: helper arguments, */
	size_t map_cnt;		    /* and their storage is memory it may touch */
	unsigned cpu;		    /* whose per-CPU slots the run uses */
	/* bpf_tail_call(ctx, map, index): 0 and the target, or nonzero (the call
	 * falls through); NULL: every tail call falls through */
	int (*tail_call)(struct vm_run *run, uint64_t map, uint64_t index, struct vm_target *out);
	unsigned tail_calls;
	/* a map-in-map lookup: the inner map with this id, which then counts as one
	 * of the program's maps for the rest of the run (vm_run_add_map) */
	struct bpfmap *(*resolve_map)(struct vm_run *run, uint32_t id);
	struct bpfmap *extra_maps[8];
	uint64_t scratch[ISA_MAX_CALL_FRAMES]; /* readable: keys helpers hand to callbacks */
	atomic_uint *held_lock; /* the bpf_spin_lock the program holds, released at exit */
	/* ring buffer records reserved, not yet submitted or discarded: discarded
	 * when the run ends (the kernel's verifier refuses a program that could
	 * leave one; here one that faults would block its ring for good) */
	struct vm_held_record {
		struct bpfmap *map;
		void *sample;
	} held_records[VM_MAX_HELD_RECORDS];
	unsigned held_record_cnt;
	unsigned extra_map_cnt;
	void *user;	 /* for helpers */
	void *ctx_state; /* the program type's run state (src/progtypes/progtype.h) */
	const struct vm_helper *helper; /* the helper being called */
	void *local_storage; /* the run's cgroup and socket storage (src/helpers/local_storage.h) */
	/* results */
	uint64_t r0;
	uint64_t insn_executed; /* checked only */
	struct vm_fault fault;
	/* internal */
	bool stop;
	uint64_t stop_r0;
	int stop_err;	     /* a callback faulted: the run ends with this error */
	bool fault_needs_pc; /* a helper's fault: the interpreter adds the instruction index */
	uint64_t budget;     /* checked: instructions left */
	uint64_t cb_fp;	     /* where a helper's callback runs: below this frame */
	unsigned cb_depth;
	int (*callback)(struct vm_run *run, const struct vm_insn *func, const uint64_t *args);
	uint64_t stack_low; /* lowest live stack address (checked) */
	_Alignas(16) uint8_t stack[ISA_MAX_CALL_FRAMES * ISA_STACK_SIZE];
};

#define VM_DEFAULT_INSN_LIMIT 100000000ull
/* may_goto falls through this many times per frame, as the kernel's BPF_MAX_LOOPS */
#define VM_MAX_LOOPS (8u * 1024 * 1024)

/* Validates insns (isa_validate) and decodes them. LD_IMM64 with a pseudo
 * source (map fd, BTF id, ...) must have been resolved by the loader: it is
 * refused here. Returns 0, -EINVAL (log says why) or -ENOMEM. */
int vm_prog_create(const struct bpf_insn *insns, size_t insn_cnt, struct ulog *log,
		   struct vm_prog **out);
void vm_prog_free(struct vm_prog *prog);

/* Initialises a run of prog with no regions, no helpers and r1..r5 = 0. */
void vm_run_init(struct vm_run *run, const struct vm_prog *prog);
/* A ring buffer record of map the run reserved / submitted or discarded. */
void vm_run_hold_record(struct vm_run *run, struct bpfmap *map, void *sample);
void vm_run_drop_record(struct vm_run *run, const void *sample);
/* Discards the records the run still holds (the end of every run). */
void vm_run_release_records(struct vm_run *run);

/* Adds a region the checked interpreter lets the program touch. */
int vm_run_add_region(struct vm_run *run, const void *start, uint64_t len, const char *name,
		      bool writable);
/* Adds the program's context: a region whose accesses access_ok rules on
 * (as vm_region.access_ok; NULL: any access, writes if writable). */
int vm_run_add_ctx(struct vm_run *run, const void *start, uint64_t len, bool writable,
		   bool (*access_ok)(uint32_t off, uint32_t size, bool write));

/* Both return 0 with run->r0 set, or a negative errno with run->fault filled:
 * -EFAULT (memory, jump), -EINVAL (call), -E2BIG (instruction limit). */
int vm_exec_fast(struct vm_run *run);
int vm_exec_checked(struct vm_run *run);

/* Lets the program use map for the rest of the run (an inner map it looked
 * up). Returns 0, or -ENOSPC past 8 such maps. */
int vm_run_add_map(struct vm_run *run, struct bpfmap *map);

/* Called by a helper: stop the run with a fault (-EFAULT); the interpreter
 * adds the instruction index to the message. */
void vm_helper_fault(struct vm_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Called by a helper: stop the program after this call, returning r0. */
void vm_run_stop(struct vm_run *run, uint64_t r0);

/* Called by a helper: runs the program's function func (a value the program
 * made with LD_IMM64 src 4) with r1..r5 = args; 0 with *r0, or the fault's
 * error, after which the helper should return at once (the run stops). */
int vm_call_function(struct vm_run *run, uint64_t func, const uint64_t args[5], uint64_t *r0);

/* For the checked interpreter and helpers: is [addr, addr+size) inside one
 * region (or the live stack), writable if asked? Returns the region's name or NULL. */
const char *vm_check_access(const struct vm_run *run, uint64_t addr, uint64_t size, bool write);

#endif
