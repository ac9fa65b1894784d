/* The opcode table, decoding and program validation. Forms sharing an opcode
 * byte are contiguous in opcodes.def (tests/unit checks it), so decoding is a
 * lookup of the byte's first form followed by a match on one field.
 */
#include "isa.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../util/log.h"

const struct isa_form isa_forms[ISA_OP_COUNT] = {
#define ISA_OP(name, code, match, match_value, pattern)                                            \
	[ISA_OP_##name] = {#name, pattern, code, ISA_MATCH_##match, match_value},
#include "opcodes.def"
#undef ISA_OP
};

#define NO_FORM 0xffff

static uint16_t first_form[256];
static uint8_t form_cnt[256];
static uint16_t form_flags[ISA_OP_COUNT];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static unsigned pattern_flags(const char *p)
{
	unsigned f = 0;

	if (p[0] == '%' && (p[1] == 'D' || p[1] == 'd'))
		f |= ISA_WRITES_DST;
	for (; *p; p++) {
		if (*p != '%')
			continue;
		switch (*++p) {
		case 'D':
		case 'd': f |= ISA_USES_DST; break;
		case 'S':
		case 's': f |= ISA_USES_SRC; break;
		case 'o': f |= ISA_USES_OFF; break;
		case 'j': f |= ISA_USES_OFF | ISA_JUMP_OFF; break;
		case 'J': f |= ISA_USES_IMM | ISA_JUMP_IMM; break;
		case 'c': f |= ISA_USES_IMM | ISA_CALL_IMM; break;
		case 'i':
		case 'x': f |= ISA_USES_IMM; break;
		case 'L': f |= ISA_USES_IMM | ISA_WIDE; break;
		case 'n': f |= ISA_WIDE; break;
		default: break;
		}
	}
	return f;
}

static void build_index(void)
{
	for (int c = 0; c < 256; c++)
		first_form[c] = NO_FORM;
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		uint8_t c = isa_forms[op].code;

		if (first_form[c] == NO_FORM)
			first_form[c] = (uint16_t)op;
		form_cnt[c]++;
		form_flags[op] = (uint16_t)pattern_flags(isa_forms[op].pattern);
		if (c == (BPF_LD | BPF_IMM | BPF_DW))
			form_flags[op] |= ISA_WIDE;
	}
}

unsigned isa_form_flags(enum isa_op op)
{
	pthread_once(&index_once, build_index);
	return op < ISA_OP_COUNT ? form_flags[op] : 0;
}

static int32_t match_field(const struct bpf_insn *insn, uint8_t match)
{
	switch (match) {
	case ISA_MATCH_SRC: return insn->src_reg;
	case ISA_MATCH_OFF: return insn->off;
	case ISA_MATCH_IMM: return insn->imm;
	default: return 0;
	}
}

int isa_decode(const struct bpf_insn *insn, enum isa_op *op)
{
	unsigned first, n;

	pthread_once(&index_once, build_index);
	first = first_form[insn->code];
	if (first == NO_FORM)
		return -EINVAL;
	n = form_cnt[insn->code];
	for (unsigned i = first; i < first + n; i++) {
		const struct isa_form *f = &isa_forms[i];

		if (f->match == ISA_MATCH_NONE || match_field(insn, f->match) == f->match_value) {
			*op = (enum isa_op)i;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *const match_names[] = {"", "src_reg", "off", "imm"};

static int check_fields(const struct bpf_insn *in, size_t i, enum isa_op op, struct ulog *log)
{
	const struct isa_form *f = &isa_forms[op];
	unsigned fl = form_flags[op];

	if (!(fl & ISA_USES_DST) && in->dst_reg) {
		ulog_printf(log, "insn %zu: %s (0x%02x) uses reserved field dst_reg (= %d)\n", i,
			    f->name, in->code, in->dst_reg);
		return -EINVAL;
	}
	if (!(fl & ISA_USES_SRC) && f->match != ISA_MATCH_SRC && in->src_reg) {
		ulog_printf(log, "insn %zu: %s (0x%02x) uses reserved field src_reg (= %d)\n", i,
			    f->name, in->code, in->src_reg);
		return -EINVAL;
	}
	if (!(fl & ISA_USES_OFF) && f->match != ISA_MATCH_OFF && in->off) {
		ulog_printf(log, "insn %zu: %s (0x%02x) uses reserved field off (= %d)\n", i,
			    f->name, in->code, in->off);
		return -EINVAL;
	}
	if (!(fl & ISA_USES_IMM) && f->match != ISA_MATCH_IMM && in->imm) {
		ulog_printf(log, "insn %zu: %s (0x%02x) uses reserved field imm (= %d)\n", i,
			    f->name, in->code, in->imm);
		return -EINVAL;
	}
	if (in->dst_reg >= ISA_MAX_REG || in->src_reg >= ISA_MAX_REG) {
		ulog_printf(log, "insn %zu: R%d is invalid\n", i,
			    in->dst_reg >= ISA_MAX_REG ? in->dst_reg : in->src_reg);
		return -EINVAL;
	}
	return 0;
}

/* The kernel refuses any instruction that writes r10. */
static int check_frame_write(const struct bpf_insn *in, size_t i, enum isa_op op, struct ulog *log)
{
	const char *p = isa_forms[op].pattern;

	if (((form_flags[op] & ISA_WRITES_DST) && in->dst_reg == ISA_FRAME_REG) ||
	    (p[0] == '%' && (p[1] == 'S' || p[1] == 's') && in->src_reg == ISA_FRAME_REG)) {
		ulog_printf(log, "insn %zu: frame pointer is read only\n", i);
		return -EINVAL;
	}
	return 0;
}

static int check_wide(const struct bpf_insn *insns, size_t cnt, size_t i, enum isa_op op,
		      struct ulog *log)
{
	const struct bpf_insn *hi = &insns[i + 1];

	if (i + 1 >= cnt) {
		ulog_printf(log, "insn %zu: invalid BPF_LD_IMM insn: the second slot is missing\n",
			    i);
		return -EINVAL;
	}
	if (hi->code || hi->dst_reg || hi->src_reg || hi->off) {
		ulog_printf(log,
			    "insn %zu: invalid bpf_ld_imm64 insn: second slot has code 0x%02x "
			    "dst_reg %d src_reg %d off %d, all must be 0\n",
			    i + 1, hi->code, hi->dst_reg, hi->src_reg, hi->off);
		return -EINVAL;
	}
	if (hi->imm && !(op == ISA_OP_LDDW || op == ISA_OP_LDDW_MAP_VALUE ||
			 op == ISA_OP_LDDW_MAP_IDX_VALUE)) {
		ulog_printf(log, "insn %zu: %s uses reserved field imm of its second slot (= %d)\n",
			    i, isa_forms[op].name, hi->imm);
		return -EINVAL;
	}
	return 0;
}

int isa_check_insn(const struct bpf_insn *insns, size_t cnt, size_t i, enum isa_op *op,
		   struct ulog *log)
{
	const struct bpf_insn *in = &insns[i];
	int err;

	pthread_once(&index_once, build_index);
	if (isa_decode(in, op)) {
		unsigned first = first_form[in->code];

		if (first == NO_FORM)
			ulog_printf(log, "insn %zu: unknown opcode 0x%02x\n", i, in->code);
		else
			ulog_printf(log, "insn %zu: opcode 0x%02x does not take %s %d\n", i,
				    in->code, match_names[isa_forms[first].match],
				    match_field(in, isa_forms[first].match));
		return -EINVAL;
	}
	err = check_fields(in, i, *op, log);
	if (!err && (form_flags[*op] & ISA_WIDE))
		err = check_wide(insns, cnt, i, *op, log);
	return err;
}

/* Branch or call target of insns[i], or -1 if it has none. */
static int64_t target_of(const struct bpf_insn *in, size_t i, unsigned fl)
{
	if (fl & ISA_JUMP_OFF)
		return (int64_t)i + 1 + in->off;
	if (fl & (ISA_JUMP_IMM | ISA_CALL_IMM))
		return (int64_t)i + 1 + in->imm;
	return -1;
}

static bool ends_subprog(enum isa_op op)
{
	return op == ISA_OP_EXIT || op == ISA_OP_JA || op == ISA_OP_GOTOL;
}

/* First pass: every slot decodes and its fields are sane; marks subprogram
 * starts (targets of local calls and function pointers) and second slots. */
static int check_insns(const struct bpf_insn *insns, size_t cnt, uint8_t *mark, struct ulog *log)
{
	for (size_t i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		enum isa_op op;
		unsigned fl;
		int err;

		err = isa_check_insn(insns, cnt, i, &op, log);
		if (!err)
			err = check_frame_write(in, i, op, log);
		if (err)
			return err;
		fl = form_flags[op];
		if (fl & ISA_CALL_IMM) {
			int64_t t = target_of(in, i, fl);

			if (t < 0 || (uint64_t)t >= cnt) {
				ulog_printf(log, "insn %zu: call to invalid destination %lld\n", i,
					    (long long)t);
				return -EINVAL;
			}
			mark[t] |= 1;
		}
		if (fl & ISA_WIDE)
			mark[++i] |= 2;
	}
	return 0;
}

/* The subprogram [start, *end) must end with an exit or an unconditional jump. */
static int check_subprog_end(const struct bpf_insn *insns, const uint8_t *mark, size_t start,
			     size_t *end, struct ulog *log)
{
	enum isa_op op;
	size_t e = start + 1;

	while (!(mark[e] & 1))
		e++;
	*end = e;
	if ((mark[e - 1] & 2) || isa_decode(&insns[e - 1], &op) || !ends_subprog(op)) {
		ulog_printf(log,
			    "insn %zu: last insn is not an exit or jmp: the program can fall "
			    "off its end\n",
			    e - 1);
		return -EINVAL;
	}
	return 0;
}

int isa_validate(const struct bpf_insn *insns, size_t cnt, struct ulog *log)
{
	uint8_t *mark; /* bit 0: a subprogram starts here; bit 1: second slot of LD_IMM64 */
	size_t sub_start = 0, sub_end = 0;
	int err;

	pthread_once(&index_once, build_index);
	if (cnt == 0) {
		ulog_printf(log, "empty program: no instructions\n");
		return -EINVAL;
	}
	if (cnt > 1000000) {
		ulog_printf(log, "program has %zu instructions, more than the limit of 1000000\n",
			    cnt);
		return -E2BIG;
	}
	mark = calloc(cnt + 1, 1);
	if (!mark)
		return -ENOMEM;
	mark[0] |= 1;
	mark[cnt] |= 1;
	err = check_insns(insns, cnt, mark, log);
	for (size_t i = 0; !err && i < cnt; i++) {
		enum isa_op op;
		unsigned fl;
		int64_t t;

		if (mark[i] & 2) /* never a subprogram start: its predecessor would not end */
			continue;
		if (mark[i] & 1) {
			sub_start = i;
			err = check_subprog_end(insns, mark, i, &sub_end, log);
			if (err)
				break;
		}
		isa_decode(&insns[i], &op);
		fl = form_flags[op];
		if (!(fl & (ISA_JUMP_OFF | ISA_JUMP_IMM)))
			continue;
		t = target_of(&insns[i], i, fl);
		if (t < (int64_t)sub_start || t >= (int64_t)sub_end) {
			ulog_printf(log, "insn %zu: jump out of range from insn %zu to %lld\n", i,
				    i, (long long)t);
			err = -EINVAL;
		} else if (mark[t] & 2) {
			ulog_printf(log, "insn %zu: jump into the middle of ldimm64 insn %lld\n", i,
				    (long long)t - 1);
			err = -EINVAL;
		}
	}
	free(mark);
	return err;
}
