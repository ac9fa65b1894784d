/* The text syntax, derived from the patterns in opcodes.def: the disassembler
 * prints a form's pattern with the fields filled in; the assembler matches a
 * line against each pattern in table order and takes the first full match.
 * Invalid encodings print (and assemble) as ".raw CODE DST SRC OFF IMM".
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/log.h"
#include "isa.h"

/* ---- disassembler ---- */

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void put_raw(struct out *o, const struct bpf_insn *in)
{
	put(o, ".raw 0x%02x %d %d %d %d", in->code, in->dst_reg, in->src_reg, in->off, in->imm);
}

int isa_disasm_insn(const struct bpf_insn *insns, size_t cnt, size_t idx, char *buf, size_t len)
{
	const struct bpf_insn *in = &insns[idx];
	struct out o = {buf, len, 0};
	enum isa_op op;
	const char *p;
	uint64_t wide;

	if (len)
		buf[0] = '\0';
	if (isa_check_insn(insns, cnt, idx, &op, NULL)) {
		put_raw(&o, in);
		return 0;
	}
	for (p = isa_forms[op].pattern; *p; p++) {
		if (*p != '%') {
			put(&o, "%c", *p);
			continue;
		}
		switch (*++p) {
		case 'D': put(&o, "r%d", in->dst_reg); break;
		case 'd': put(&o, "w%d", in->dst_reg); break;
		case 'S': put(&o, "r%d", in->src_reg); break;
		case 's': put(&o, "w%d", in->src_reg); break;
		case 'i': put(&o, "%d", in->imm); break;
		case 'x': put(&o, "0x%x", (uint32_t)in->imm); break;
		case 'o':
		case 'j': put(&o, "%+d", in->off); break;
		case 'J': put(&o, "%+d", in->imm); break;
		case 'c': put(&o, "pc%+d", in->imm); break;
		case 'n': put(&o, "%d", insns[idx + 1].imm); break;
		case 'L':
			wide = (uint32_t)in->imm | ((uint64_t)(uint32_t)insns[idx + 1].imm << 32);
			put(&o, "0x%" PRIx64, wide);
			break;
		case '%': put(&o, "%%"); break;
		default: break;
		}
	}
	return (isa_form_flags(op) & ISA_WIDE) ? 2 : 1;
}

/* ---- assembler ---- */

struct fixup {
	size_t insn; /* instruction whose field gets the label's offset */
	int field;   /* 'j' (off), 'J' or 'c' (imm) */
	unsigned line;
	char name[64];
};

struct label {
	char name[64];
	size_t insn;
};

struct asm_state {
	struct bpf_insn *insns;
	size_t cnt, cap;
	struct label *labels;
	size_t label_cnt, label_cap;
	struct fixup *fixups;
	size_t fixup_cnt, fixup_cap;
	struct ulog *log;
	unsigned line;
};

/* What matching one line against a pattern produced. */
struct match {
	struct bpf_insn insn[2];
	int regs_seen;	/* bit per placeholder letter kind: D, S */
	char label[64]; /* a label used as a jump or call target */
	int label_field;
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *p;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	p = realloc(*arr, n * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static char *skip_ws_mut(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* A number: optional sign, then decimal or 0x-hex. */
static const char *parse_num(const char *s, int64_t *val, bool *neg_out)
{
	bool neg = false;
	char *end;
	uint64_t v;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s = skip_ws(s + 1);
	}
	if (!isdigit((unsigned char)*s))
		return NULL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || is_word(*end))
		return NULL;
	*val = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (neg_out)
		*neg_out = neg;
	if (neg && v > (uint64_t)INT64_MAX + 1)
		return NULL;
	return end;
}

static const char *parse_reg(const char *s, char prefix, int *reg)
{
	char *end;
	long n;

	if (*s != prefix || !isdigit((unsigned char)s[1]))
		return NULL;
	n = strtol(s + 1, &end, 10);
	if (n < 0 || n > 10 || is_word(*end))
		return NULL;
	*reg = (int)n;
	return end;
}

static const char *parse_label(const char *s, char *name, size_t len)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*s) && *s != '_' && *s != '.')
		return NULL;
	while (is_word(s[n]))
		n++;
	if (n >= len)
		return NULL;
	memcpy(name, s, n);
	name[n] = '\0';
	return s + n;
}

/* A jump or call target: "+N", "-N", "pc+N", "pc-N" or a label. */
static const char *parse_target(const char *s, int64_t *val, struct match *m, int field)
{
	const char *e;

	if (s[0] == 'p' && s[1] == 'c' && (s[2] == '+' || s[2] == '-'))
		return parse_num(s + 2, val, NULL);
	if (*s == '+' || *s == '-')
		return parse_num(s, val, NULL);
	if (field != 'c' && isdigit((unsigned char)*s))
		return parse_num(s, val, NULL);
	e = parse_label(s, m->label, sizeof(m->label));
	if (e) {
		m->label_field = field;
		*val = 0;
	}
	return e;
}

static bool fits32(int64_t v)
{
	return v >= INT32_MIN && v <= (int64_t)UINT32_MAX;
}

static const char *match_reg(const char *s, char ph, struct match *m)
{
	struct bpf_insn *in = &m->insn[0];
	bool is_dst = ph == 'D' || ph == 'd';
	int bit = is_dst ? 1 : 2, reg;

	s = parse_reg(s, (ph == 'D' || ph == 'S') ? 'r' : 'w', &reg);
	if (!s)
		return NULL;
	if (m->regs_seen & bit) {
		if (reg != (is_dst ? in->dst_reg : in->src_reg))
			return NULL;
	} else if (is_dst) {
		in->dst_reg = (uint8_t)reg;
	} else {
		in->src_reg = (uint8_t)reg;
	}
	m->regs_seen |= bit;
	return s;
}

static const char *match_placeholder(const char *s, char ph, struct match *m)
{
	struct bpf_insn *in = &m->insn[0];
	int64_t v;

	switch (ph) {
	case 'D':
	case 'd':
	case 'S':
	case 's': return match_reg(s, ph, m);
	case 'i':
	case 'x':
		s = parse_num(s, &v, NULL);
		if (!s || !fits32(v))
			return NULL;
		in->imm = (int32_t)(uint32_t)v;
		return s;
	case 'n':
		s = parse_num(s, &v, NULL);
		if (!s || !fits32(v))
			return NULL;
		m->insn[1].imm = (int32_t)(uint32_t)v;
		return s;
	case 'L':
		s = parse_num(s, &v, NULL);
		if (!s)
			return NULL;
		in->imm = (int32_t)(uint32_t)v;
		m->insn[1].imm = (int32_t)(uint32_t)((uint64_t)v >> 32);
		return s;
	case 'o':
		if (*s == ')') {
			in->off = 0;
			return s;
		}
		if (*s != '+' && *s != '-')
			return NULL;
		s = parse_num(s, &v, NULL);
		if (!s || v < INT16_MIN || v > INT16_MAX)
			return NULL;
		in->off = (int16_t)v;
		return s;
	case 'j':
		s = parse_target(s, &v, m, 'j');
		if (!s || v < INT16_MIN || v > INT16_MAX)
			return NULL;
		in->off = (int16_t)v;
		return s;
	case 'H': /* name#id, as the kernel's log prints a helper call */
		s = parse_label(s, m->label, sizeof(m->label));
		if (!s || *s != '#')
			return NULL;
		m->label[0] = '\0';
		s = parse_num(s + 1, &v, NULL);
		if (!s || v < 0 || v > INT32_MAX)
			return NULL;
		in->imm = (int32_t)v;
		return s;
	case 'J':
	case 'c':
		s = parse_target(s, &v, m, ph);
		if (!s || v < INT32_MIN || v > INT32_MAX)
			return NULL;
		in->imm = (int32_t)v;
		return s;
	default: return NULL;
	}
}

/* Matches text s against pattern p, a spelling of form op; fills m on success. */
static bool match_form(const char *s, enum isa_op op, const char *p, struct match *m)
{
	const struct isa_form *f = &isa_forms[op];

	memset(m, 0, sizeof(*m));
	m->insn[0].code = f->code;
	switch (f->match) {
	case ISA_MATCH_SRC: m->insn[0].src_reg = (uint8_t)f->match_value; break;
	case ISA_MATCH_OFF: m->insn[0].off = (int16_t)f->match_value; break;
	case ISA_MATCH_IMM: m->insn[0].imm = f->match_value; break;
	default: break;
	}
	while (*p) {
		s = skip_ws(s);
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '%' && p[1] != '%') {
			s = match_placeholder(s, p[1], m);
			if (!s)
				return false;
			p += 2;
			continue;
		}
		if (*p == '%')
			p++;
		if (*s != *p)
			return false;
		/* a word in the pattern must end where the input's word ends */
		if (is_word(*p) && !is_word(p[1]) && is_word(s[1]))
			return false;
		s++;
		p++;
	}
	return *skip_ws(s) == '\0';
}

static int add_insns(struct asm_state *st, const struct bpf_insn *in, size_t n)
{
	if (grow((void **)&st->insns, &st->cap, st->cnt + n, sizeof(*in)))
		return -ENOMEM;
	memcpy(&st->insns[st->cnt], in, n * sizeof(*in));
	st->cnt += n;
	return 0;
}

static int parse_raw(struct asm_state *st, const char *s)
{
	int64_t v[5];
	struct bpf_insn in;

	for (int k = 0; k < 5; k++) {
		s = skip_ws(s);
		s = parse_num(s, &v[k], NULL);
		if (!s) {
			ulog_printf(st->log,
				    "line %u: .raw takes 5 numbers: code dst src off imm\n",
				    st->line);
			return -EINVAL;
		}
	}
	if (*skip_ws(s) || v[0] < 0 || v[0] > 255 || v[1] < 0 || v[1] > 15 || v[2] < 0 ||
	    v[2] > 15 || v[3] < INT16_MIN || v[3] > INT16_MAX || !fits32(v[4])) {
		ulog_printf(st->log,
			    "line %u: .raw field out of range (code 0-255, dst/src 0-15, "
			    "off 16-bit, imm 32-bit)\n",
			    st->line);
		return -EINVAL;
	}
	in.code = (uint8_t)v[0];
	in.dst_reg = (uint8_t)v[1];
	in.src_reg = (uint8_t)v[2];
	in.off = (int16_t)v[3];
	in.imm = (int32_t)(uint32_t)v[4];
	return add_insns(st, &in, 1);
}

static int add_label(struct asm_state *st, const char *name)
{
	for (size_t i = 0; i < st->label_cnt; i++) {
		if (!strcmp(st->labels[i].name, name)) {
			ulog_printf(st->log, "line %u: label '%s' defined twice\n", st->line, name);
			return -EINVAL;
		}
	}
	if (grow((void **)&st->labels, &st->label_cap, st->label_cnt + 1, sizeof(*st->labels)))
		return -ENOMEM;
	snprintf(st->labels[st->label_cnt].name, sizeof(st->labels[0].name), "%s", name);
	st->labels[st->label_cnt++].insn = st->cnt;
	return 0;
}

static const struct {
	enum isa_op op;
	const char *pattern;
} aliases[] = {
#define ISA_OP(name, code, match, match_value, pattern)
#define ISA_ALIAS(name, pattern) {ISA_OP_##name, pattern},
#include "opcodes.def"
#undef ISA_ALIAS
#undef ISA_OP
};

#define ALIAS_CNT (sizeof(aliases) / sizeof(aliases[0]))

static int assemble_insn(struct asm_state *st, const char *s)
{
	struct match m;

	if (!strncmp(s, ".raw", 4) && !is_word(s[4]))
		return parse_raw(st, s + 4);
	/* the forms' own spellings first, then the aliases */
	for (size_t k = 0; k < ISA_OP_COUNT + ALIAS_CNT; k++) {
		enum isa_op op = k < ISA_OP_COUNT ? (enum isa_op)k : aliases[k - ISA_OP_COUNT].op;
		const char *pattern =
			k < ISA_OP_COUNT ? isa_forms[k].pattern : aliases[k - ISA_OP_COUNT].pattern;
		size_t n;

		if (!match_form(s, op, pattern, &m))
			continue;
		n = (isa_form_flags(op) & ISA_WIDE) ? 2 : 1;
		if (m.label[0]) {
			struct fixup *fx;

			if (grow((void **)&st->fixups, &st->fixup_cap, st->fixup_cnt + 1,
				 sizeof(*fx)))
				return -ENOMEM;
			fx = &st->fixups[st->fixup_cnt++];
			fx->insn = st->cnt;
			fx->field = m.label_field;
			fx->line = st->line;
			memcpy(fx->name, m.label, sizeof(fx->name));
		}
		return add_insns(st, m.insn, n);
	}
	ulog_printf(st->log, "line %u: cannot parse instruction '%s'\n", st->line, s);
	return -EINVAL;
}

static int resolve_fixups(struct asm_state *st)
{
	for (size_t i = 0; i < st->fixup_cnt; i++) {
		const struct fixup *fx = &st->fixups[i];
		int64_t delta;
		size_t k;

		for (k = 0; k < st->label_cnt; k++)
			if (!strcmp(st->labels[k].name, fx->name))
				break;
		if (k == st->label_cnt) {
			ulog_printf(st->log, "line %u: undefined label '%s'\n", fx->line, fx->name);
			return -EINVAL;
		}
		delta = (int64_t)st->labels[k].insn - (int64_t)fx->insn - 1;
		if (fx->field == 'j') {
			if (delta < INT16_MIN || delta > INT16_MAX) {
				ulog_printf(st->log,
					    "line %u: label '%s' is too far for a 16-bit "
					    "offset (%lld); use gotol\n",
					    fx->line, fx->name, (long long)delta);
				return -EINVAL;
			}
			st->insns[fx->insn].off = (int16_t)delta;
		} else {
			st->insns[fx->insn].imm = (int32_t)delta;
		}
	}
	return 0;
}

/* Strips a comment and a kernel-log prefix ("12: (b7) "), trims; in place. */
static char *clean_line(char *s, int *log_code)
{
	char *p, *e;

	*log_code = -1;
	for (p = s; *p; p++) {
		if (*p == ';' || (*p == '/' && p[1] == '/') ||
		    (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))) {
			*p = '\0';
			break;
		}
	}
	s = skip_ws_mut(s);
	p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (p > s && *p == ':') {
		s = skip_ws_mut(p + 1);
		if (s[0] == '(' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
		    s[3] == ')') {
			*log_code = (int)strtol(s + 1, NULL, 16);
			s = skip_ws_mut(s + 4);
		}
	}
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int assemble_line(struct asm_state *st, char *s)
{
	char name[64], wide[256];
	const char *e;
	int err, log_code;

	s = clean_line(s, &log_code);
	/* the kernel's log prints an LD_IMM64 "(18) r1 = 0x5", without " ll" */
	if (log_code == (BPF_LD | BPF_IMM | BPF_DW) && strlen(s) > 2 &&
	    strcmp(s + strlen(s) - 2, "ll") && strlen(s) + 4 < sizeof(wide)) {
		snprintf(wide, sizeof(wide), "%s ll", s);
		s = wide;
	}
	e = parse_label(s, name, sizeof(name));
	if (e && *skip_ws(e) == ':' && strncmp(s, ".raw", 4)) {
		err = add_label(st, name);
		if (err)
			return err;
		s = skip_ws_mut(s + (skip_ws(e) - s) + 1);
	}
	return *s ? assemble_insn(st, s) : 0;
}

int isa_asm(const char *text, struct bpf_insn **insns, size_t *insn_cnt, struct ulog *log)
{
	struct asm_state st = {.log = log};
	char *copy, *line, *next;
	int err = 0;

	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line && !err; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		st.line++;
		err = assemble_line(&st, line);
	}
	if (!err)
		err = resolve_fixups(&st);
	free(copy);
	free(st.labels);
	free(st.fixups);
	if (err) {
		free(st.insns);
		return err;
	}
	*insns = st.insns;
	*insn_cnt = st.cnt;
	return 0;
}
