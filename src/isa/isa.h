/* The instruction set: the opcode table (opcodes.def) and what is derived from it:
 * decoding a raw instruction to its form, validating a whole program, and the
 * text syntax (disassembler, assembler). Raw instructions are the kernel's
 * struct bpf_insn; an LD_IMM64 takes two slots, the second with code 0.
 */
#ifndef BPFHOST_ISA_H
#define BPFHOST_ISA_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

struct ulog;

/* Constants newer than some distributions' <linux/bpf.h>. */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif

#define ISA_MAX_REG 11	      /* r0..r10 */
#define ISA_FRAME_REG 10      /* r10, read-only */
#define ISA_MAX_CALL_FRAMES 8 /* the kernel's MAX_CALL_FRAMES */
#define ISA_STACK_SIZE 512    /* bytes of stack per frame, as MAX_BPF_STACK */

enum isa_op {
#define ISA_OP(name, code, match, match_value, pattern) ISA_OP_##name,
#include "opcodes.def"
#undef ISA_OP
	ISA_OP_COUNT
};

enum isa_match { ISA_MATCH_NONE, ISA_MATCH_SRC, ISA_MATCH_OFF, ISA_MATCH_IMM };

/* Which fields a form uses, derived from its pattern. */
enum {
	ISA_USES_DST = 1 << 0,
	ISA_USES_SRC = 1 << 1,
	ISA_USES_OFF = 1 << 2,
	ISA_USES_IMM = 1 << 3,
	ISA_WIDE = 1 << 4,     /* LD_IMM64: two slots */
	ISA_JUMP_OFF = 1 << 5, /* branch target in off */
	ISA_JUMP_IMM = 1 << 6, /* branch target in imm (gotol) */
	ISA_CALL_IMM = 1 << 7, /* pc-relative target in imm (local call, func ptr) */
	ISA_WRITES_DST = 1 << 8,
};

struct isa_form {
	const char *name;
	const char *pattern;
	uint8_t code;
	uint8_t match; /* enum isa_match */
	int32_t match_value;
};

extern const struct isa_form isa_forms[ISA_OP_COUNT];

/* Flags (ISA_USES_* ...) of a form, derived from its pattern. */
unsigned isa_form_flags(enum isa_op op);

/* The form of one raw instruction; -EINVAL if no form has its code and
 * discriminating field. Does not look at reserved fields or the program. */
int isa_decode(const struct bpf_insn *insn, enum isa_op *op);

/* Checks one instruction on its own: a known form, reserved fields zero,
 * register numbers, an LD_IMM64's second slot. Sets *op. Returns 0 or -EINVAL
 * (the log names the instruction and the problem). */
int isa_check_insn(const struct bpf_insn *insns, size_t insn_cnt, size_t idx, enum isa_op *op,
		   struct ulog *log);

/* Checks every instruction and the program's shape: known forms, register
 * numbers, no write to r10, reserved fields zero, LD_IMM64 pairs whole, every
 * jump and local call inside the program and not into an LD_IMM64's second
 * slot, no path falling off the end. Messages name the instruction index.
 * Returns 0 or -EINVAL. */
int isa_validate(const struct bpf_insn *insns, size_t insn_cnt, struct ulog *log);

/* Disassembles the instruction at insns[idx] (the next slot is read for an
 * LD_IMM64) into buf. Returns the number of slots consumed (1 or 2), or 0 if
 * the instruction fails isa_check_insn: buf then holds ".raw CODE DST SRC OFF
 * IMM", which assembles back to the same bytes. */
int isa_disasm_insn(const struct bpf_insn *insns, size_t insn_cnt, size_t idx, char *buf,
		    size_t buf_len);

/* Assembles text (one instruction per line; labels "name:"; comments after
 * '#', ';' or "//") into a newly allocated array. Returns 0 or -EINVAL (the
 * log names the line and what is wrong) or -ENOMEM. */
int isa_asm(const char *text, struct bpf_insn **insns, size_t *insn_cnt, struct ulog *log);

#endif
