/* Unit tests of the opcode table, decoder, validator and text syntax, run over
 * every form in the table rather than examples picked by hand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/isa/isa.h"
#include "../../src/util/log.h"
#include "test_util.h"

/* The decoder relies on forms sharing a code being contiguous. */
static void test_table_contiguous(void)
{
	for (int a = 0; a < ISA_OP_COUNT; a++)
		for (int b = a + 2; b < ISA_OP_COUNT; b++)
			if (isa_forms[a].code == isa_forms[b].code)
				for (int m = a + 1; m < b; m++)
					CHECK(isa_forms[m].code == isa_forms[a].code,
					      "%s and %s share code 0x%02x but %s sits between",
					      isa_forms[a].name, isa_forms[b].name,
					      isa_forms[a].code, isa_forms[m].name);
}

/* An instance of form op with distinctive field values where the form uses them. */
static void instance(enum isa_op op, int variant, struct bpf_insn in[3])
{
	const struct isa_form *f = &isa_forms[op];
	unsigned fl = isa_form_flags(op);

	memset(in, 0, 3 * sizeof(*in));
	in[0].code = f->code;
	if (fl & ISA_USES_DST)
		in[0].dst_reg = (uint8_t)(variant ? 9 : 1);
	if (fl & ISA_USES_SRC)
		in[0].src_reg = (uint8_t)(variant ? 0 : 2);
	if (fl & ISA_USES_OFF)
		in[0].off = (int16_t)(variant ? -1 : 0);
	if (fl & ISA_USES_IMM)
		in[0].imm = variant ? -2147483647 - 1 : 5;
	if (fl & (ISA_JUMP_OFF | ISA_JUMP_IMM | ISA_CALL_IMM)) {
		in[0].off = (fl & ISA_JUMP_OFF) ? 1 : 0;
		if (fl & (ISA_JUMP_IMM | ISA_CALL_IMM))
			in[0].imm = 1;
	}
	switch (f->match) {
	case ISA_MATCH_SRC: in[0].src_reg = (uint8_t)f->match_value; break;
	case ISA_MATCH_OFF: in[0].off = (int16_t)f->match_value; break;
	case ISA_MATCH_IMM: in[0].imm = f->match_value; break;
	default: break;
	}
	if (strstr(f->pattern, "%n") || strstr(f->pattern, "%L"))
		in[1].imm = variant ? -1 : 7;
}

/* Every form decodes to itself and disassembles to text that assembles back. */
static void test_roundtrip_every_form(void)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		for (int v = 0; v < 2; v++) {
			struct bpf_insn in[3], *back = NULL;
			enum isa_op got;
			char text[160], logbuf[256];
			struct ulog log;
			size_t cnt = 0;
			int n;

			instance((enum isa_op)op, v, in);
			CHECK(isa_decode(in, &got) == 0 && got == (enum isa_op)op,
			      "%s does not decode to itself", isa_forms[op].name);
			n = isa_disasm_insn(in, 3, 0, text, sizeof(text));
			CHECK(n == ((isa_form_flags((enum isa_op)op) & ISA_WIDE) ? 2 : 1),
			      "%s: disasm consumed %d slots", isa_forms[op].name, n);
			ulog_init(&log, logbuf, sizeof(logbuf));
			if (isa_asm(text, &back, &cnt, &log)) {
				CHECK(0, "%s: '%s' does not assemble: %s", isa_forms[op].name, text,
				      logbuf);
				continue;
			}
			CHECK(cnt == (size_t)n && !memcmp(back, in, (size_t)n * sizeof(*in)),
			      "%s: '%s' assembles to different bytes", isa_forms[op].name, text);
			free(back);
		}
	}
}

static int validate(const struct bpf_insn *in, size_t cnt, char *logbuf, size_t len)
{
	struct ulog log;

	ulog_init(&log, logbuf, len);
	return isa_validate(in, cnt, &log);
}

/* Every single-slot form followed by exit validates; with a reserved field
 * set it does not, and the message names the field. */
static void test_reserved_fields(void)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		unsigned fl = isa_form_flags((enum isa_op)op);
		const struct isa_form *f = &isa_forms[op];
		struct bpf_insn prog[4];
		char logbuf[256];

		if (fl & (ISA_WIDE | ISA_CALL_IMM))
			continue;
		memset(prog, 0, sizeof(prog));
		instance((enum isa_op)op, 0, prog);
		if (fl & (ISA_JUMP_OFF | ISA_JUMP_IMM)) {
			prog[0].off = (fl & ISA_JUMP_OFF) ? 1 : 0;
			prog[0].imm = (fl & ISA_JUMP_IMM) ? 1 : prog[0].imm;
		}
		prog[1].code = BPF_JMP | BPF_EXIT;
		prog[2].code = BPF_JMP | BPF_EXIT;
		CHECK(validate(prog, 3, logbuf, sizeof(logbuf)) == 0, "%s rejected: %s", f->name,
		      logbuf);
		if (!(fl & ISA_USES_OFF) && f->match != ISA_MATCH_OFF) {
			struct bpf_insn bad = prog[0];

			bad.off = 3;
			prog[0] = bad;
			CHECK(validate(prog, 3, logbuf, sizeof(logbuf)) == -EINVAL &&
				      strstr(logbuf, "reserved field off"),
			      "%s with off set: %s", f->name, logbuf);
			instance((enum isa_op)op, 0, prog);
		}
		if (!(fl & ISA_USES_SRC) && f->match != ISA_MATCH_SRC) {
			prog[0].src_reg = 1;
			CHECK(validate(prog, 3, logbuf, sizeof(logbuf)) == -EINVAL &&
				      strstr(logbuf, "reserved field src_reg"),
			      "%s with src set: %s", f->name, logbuf);
		}
	}
}

/* Every code byte that no form has is reported as unknown, naming the insn. */
static void test_unknown_opcodes(void)
{
	for (int c = 0; c < 256; c++) {
		struct bpf_insn prog[2] = {{.code = (uint8_t)c}, {.code = BPF_JMP | BPF_EXIT}};
		char logbuf[256], want[64];
		int known = 0;

		for (int op = 0; op < ISA_OP_COUNT; op++)
			known |= isa_forms[op].code == c;
		if (known)
			continue;
		snprintf(want, sizeof(want), "insn 0: unknown opcode 0x%02x", c);
		CHECK(validate(prog, 2, logbuf, sizeof(logbuf)) == -EINVAL && strstr(logbuf, want),
		      "code 0x%02x: %s", c, logbuf);
	}
}

static void test_program_shape(void)
{
	char logbuf[256];
	struct bpf_insn fall[1] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K}};
	struct bpf_insn far[2] = {{.code = BPF_JMP | BPF_JA, .off = 5},
				  {.code = BPF_JMP | BPF_EXIT}};
	struct bpf_insn mid[4] = {
		{.code = BPF_JMP | BPF_JA, .off = 1},
		{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1},
		{.code = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct bpf_insn r10[2] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 10},
				  {.code = BPF_JMP | BPF_EXIT}};

	CHECK(validate(fall, 1, logbuf, sizeof(logbuf)) == -EINVAL &&
		      strstr(logbuf, "last insn is not an exit or jmp"),
	      "%s", logbuf);
	CHECK(validate(far, 2, logbuf, sizeof(logbuf)) == -EINVAL &&
		      strstr(logbuf, "insn 0: jump out of range from insn 0 to 6"),
	      "%s", logbuf);
	CHECK(validate(mid, 4, logbuf, sizeof(logbuf)) == -EINVAL &&
		      strstr(logbuf, "jump into the middle of ldimm64 insn 1"),
	      "%s", logbuf);
	CHECK(validate(r10, 2, logbuf, sizeof(logbuf)) == -EINVAL &&
		      strstr(logbuf, "frame pointer is read only"),
	      "%s", logbuf);
	CHECK(validate(fall, 0, logbuf, sizeof(logbuf)) == -EINVAL, "empty program accepted");
}

static void test_asm_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"r0 = 1\nr11 = 2\nexit", "line 2: cannot parse instruction 'r11 = 2'"},
		{"goto nowhere\nexit", "line 1: undefined label 'nowhere'"},
		{"a:\na:\nexit", "line 2: label 'a' defined twice"},
		{"r0 = 0x100000000\nexit", "line 1: cannot parse"},
		{".raw 1 2\nexit", "line 1: .raw takes 5 numbers"},
		{"*(u32 *)(r1 +40000) = 1", "cannot parse"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_insn *insns = NULL;
		char logbuf[256];
		struct ulog log;
		size_t cnt;

		ulog_init(&log, logbuf, sizeof(logbuf));
		CHECK(isa_asm(cases[i].text, &insns, &cnt, &log) == -EINVAL &&
			      strstr(logbuf, cases[i].msg),
		      "'%s': %s", cases[i].text, logbuf);
		free(insns);
	}
}

/* Text the kernel's verifier log prints ("12: (b7) r0 = 0") assembles. */
static void test_asm_accepts_log_lines(void)
{
	struct bpf_insn *insns;
	char logbuf[256];
	struct ulog log;
	size_t cnt;

	ulog_init(&log, logbuf, sizeof(logbuf));
	CHECK(isa_asm("0: (b7) r0 = 0 ; set r0\n1: (95) exit\n", &insns, &cnt, &log) == 0 &&
		      cnt == 2 && insns[0].code == 0xb7 && insns[1].code == 0x95,
	      "%s", logbuf);
	free(insns);
}

/* The kernel log's own spellings, where they differ from llvm's, assemble to
 * the same instructions (ISA_ALIAS rows). */
static void test_asm_aliases(void)
{
	static const struct {
		const char *text;
		uint8_t code;
		int32_t imm;
		size_t cnt;
	} cases[] = {
		{"0: (18) r1 = 0x5\n2: (95) exit", 0x18, 5, 3},
		{"call bpf_map_lookup_elem#1", 0x85, 1, 1},
		{"5: (85) call bpf_trace_printk#6", 0x85, 6, 1},
		{"lock *(u32 *)(r1 +0) += r2", 0xc3, 0x00, 1},
		{"r2 = atomic_fetch_or((u32 *)(r1 +0), r2)", 0xc3, 0x41, 1},
		{"r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)", 0xdb, 0x01, 1},
		{"r2 = atomic64_xchg((u64 *)(r1 +0), r2)", 0xdb, 0xe1, 1},
		{"r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)", 0xc3, 0xf1, 1},
		{"r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)", 0xdb, 0xf1, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_insn *insns = NULL;
		char logbuf[256];
		struct ulog log;
		size_t cnt = 0;

		ulog_init(&log, logbuf, sizeof(logbuf));
		CHECK(isa_asm(cases[i].text, &insns, &cnt, &log) == 0 && cnt == cases[i].cnt &&
			      insns[0].code == cases[i].code && insns[0].imm == cases[i].imm,
		      "'%s': %s", cases[i].text, logbuf);
		free(insns);
	}
}

int main(void)
{
	test_table_contiguous();
	test_roundtrip_every_form();
	test_reserved_fields();
	test_unknown_opcodes();
	test_program_shape();
	test_asm_errors();
	test_asm_accepts_log_lines();
	test_asm_aliases();
	return TEST_DONE();
}
