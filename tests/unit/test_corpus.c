/* The execution cases of the verifier corpus (../shared/testdata/verifier-corpus,
 * the test_verifier programs of Linux 5.17 with what Linux 6.18 answered) run
 * through bpfhost: every case the kernel accepted and ran with a deterministic
 * retval gets its maps (MAP, MAP_BTF, MAP_INNER, MAP_INIT, MAP_PROG), its map
 * fds patched in (FIXUP), is loaded as the kernel loaded it and run on each
 * recorded input; the retvals are compared with the kernel's. Prints a table
 * per program type and the cases that differ, were refused or were not set up.
 * --kernel (as root) runs the same cases in the running kernel too, to check
 * that this harness reproduces the recorded values. What fails the test is
 * said above supported_types(). BPFHOST_CORPUS names another corpus file.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "test_util.h"
#include "backend.h"

#define ENOTSUPP 524 /* the kernel's internal errno that bpf() lets through */
#define CORPUS_REL "shared/testdata/verifier-corpus/corpus.txt"
#define MAX_TYPES 64
#define MAX_SLOTS 16
#define MAX_INITS 32
#define MAX_PROGS 32
#define MAX_FIXUPS 64
#define MAX_RUNS 32
#define MAX_INSNS 1000000u	   /* BPF_COMPLEXITY_LIMIT_INSNS */
#define MAX_PROG_ARRAY_INSNS 4096u /* an entry of a MAP_PROG line */
#define LIST_CAP 40		   /* printed lines per class */
#define LOG_SIZE (1u << 20)
#define DATA_OUT_SIZE 65536u
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---- a case as the corpus states it ---- */

struct map_spec {
	bool defined;
	char type_name[32];
	uint32_t type, key_size, value_size, max_entries, flags, btf_key_id, btf_value_id;
	uint8_t *btf; /* MAP_BTF: a raw BTF blob for btf_fd, or NULL */
	size_t btf_len;
	bool has_inner; /* MAP_INNER: the template inner map */
	uint32_t inner_type, inner_key_size, inner_value_size, inner_max_entries, inner_flags;
};

struct map_init {
	uint32_t slot;
	uint8_t *key, *value;
	size_t key_len, value_len;
};

/* a program for a prog-array slot; the map's own fd goes into insns self[] */
struct map_prog {
	uint32_t slot, key, insn_cnt, self_cnt;
	struct bpf_insn *insns;
	uint32_t self[MAX_FIXUPS];
};

struct fixup {
	uint32_t insn, slot;
};

struct run {
	uint8_t *data;
	size_t data_len;
	bool det;	 /* a numeric, deterministic retval: the ones compared */
	bool unstable;	 /* det in the corpus, but not in fact: run, not compared */
	uint32_t retval; /* the kernel's */
	unsigned line;
};

struct tcase {
	unsigned line; /* of its CASE line */
	char *id, *name;
	bool has_type, has_kernel, kernel_accept, bad;
	uint32_t prog_type, attach, prog_flags;
	bool attach_func; /* ATTACH names a vmlinux BTF function */
	struct map_spec maps[MAX_SLOTS];
	struct map_init inits[MAX_INITS];
	struct map_prog progs[MAX_PROGS];
	struct fixup fixups[MAX_FIXUPS];
	struct run runs[MAX_RUNS];
	uint32_t init_cnt, prog_cnt, fixup_cnt, run_cnt;
	struct bpf_insn *insns;
	uint32_t insn_cnt, insns_read;
};

/* Cases the corpus marks det whose retval is what an uninitialised stack slot
 * held (Linux 6.18 lets privileged programs read one): the low half of a
 * kernel text address, 0x81104110 in the corpus and 0x822034e5 when --kernel
 * ran them here (another boot: KASLR). Their runs are made, their retvals
 * printed, not compared. */
static const char *const unstable_ids[] = {
	"linux-5.17/atomic_cmpxchg/3",
	"linux-5.17/basic_stack/2",
	"linux-5.17/raw_stack/0",
};

/* Cases bpfhost cannot yet run as the kernel does, each with why: reported,
 * not failed; a known gap that starts to pass fails the test until it is
 * taken off this list. */
static const struct {
	const char *id, *why;
} known_gaps[] = {
	{"linux-5.17/map_ptr/2", "reads struct bpf_map's fields: bpfhost's map has another shape"},
	{"linux-5.17/map_ptr/3", "reads struct bpf_map's fields: bpfhost's map has another shape"},
	{"linux-5.17/value_or_null/7", "writes r10 in dead code, which the kernel's verifier "
				       "removes: bpfhost has no verifier yet"},
};

static const char *known_gap(const char *id)
{
	for (size_t i = 0; i < sizeof(known_gaps) / sizeof(known_gaps[0]); i++)
		if (!strcmp(id, known_gaps[i].id))
			return known_gaps[i].why;
	return NULL;
}

static void mark_unstable(struct tcase *c)
{
	for (size_t i = 0; i < sizeof(unstable_ids) / sizeof(unstable_ids[0]); i++)
		if (!strcmp(c->id, unstable_ids[i]))
			for (uint32_t k = 0; k < c->run_cnt; k++)
				c->runs[k].unstable = true;
}

static void case_free(struct tcase *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < MAX_SLOTS; i++)
		free(c->maps[i].btf);
	for (uint32_t i = 0; i < c->init_cnt; i++) {
		free(c->inits[i].key);
		free(c->inits[i].value);
	}
	for (uint32_t i = 0; i < c->prog_cnt; i++)
		free(c->progs[i].insns);
	for (uint32_t i = 0; i < c->run_cnt; i++)
		free(c->runs[i].data);
	free(c->insns);
	free(c->id);
	free(c->name);
	free(c);
}

static bool case_runnable(const struct tcase *c)
{
	if (!c->kernel_accept)
		return false;
	for (uint32_t i = 0; i < c->run_cnt; i++)
		if (c->runs[i].det)
			return true;
	return false;
}

/* ---- results ---- */

enum outcome {
	OUT_EQUAL,	  /* every deterministic run gave the kernel's retval */
	OUT_DIFFER,	  /* some run gave another retval */
	OUT_LOAD_REFUSED, /* BPF_PROG_LOAD failed */
	OUT_RUN_FAILED,	  /* BPF_PROG_TEST_RUN failed: unsupported type, or an error */
	OUT_SETUP_FAILED, /* a map, BTF, element or prog-array entry could not be made */
};

struct result {
	char *id, *name;
	uint32_t prog_type;
	enum outcome out;
	bool ran;   /* at least one BPF_PROG_TEST_RUN succeeded */
	char *msg;  /* the values, the log line, the errno or the reason (no case detail for
		       run failures and setup failures: they are grouped by it) */
	char *note; /* the retval of an unstable run, not compared */
	unsigned run_line;
};

struct tally {
	const char *label;
	bool all_supported; /* the kernel: every type it recorded a retval for runs */
	struct result *v;
	size_t cnt, cap;
};

__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vasprintf(&s, f, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static const char *errname(int err)
{
	static char buf[24];
	const char *n;

	if (err == ENOTSUPP)
		return "ENOTSUPP";
	n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static struct result *tally_add(struct tally *t, const struct tcase *c)
{
	struct result *r;

	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct result *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	r = &t->v[t->cnt];
	memset(r, 0, sizeof(*r));
	r->id = strdup(c->id);
	r->name = strdup(c->name);
	if (!r->id || !r->name) {
		free(r->id);
		free(r->name);
		return NULL;
	}
	r->prog_type = c->prog_type;
	t->cnt++;
	return r;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->cnt; i++) {
		free(t->v[i].id);
		free(t->v[i].name);
		free(t->v[i].msg);
		free(t->v[i].note);
	}
	free(t->v);
}

/* ---- running a case on one backend ---- */

struct harness {
	char *log;
	uint8_t *data_out;
	bool kernel; /* --kernel and the kernel lets us */
	struct tally host, kern;
	char type_names[MAX_TYPES][32];
};

/* what a case made on a backend: closed in reverse order */
struct live {
	int map[MAX_SLOTS];
	int sub[MAX_PROGS];
	int prog;
};

static void live_close(const struct backend *be, struct live *l)
{
	be_close(be, l->prog);
	for (int i = MAX_PROGS - 1; i >= 0; i--)
		be_close(be, l->sub[i]);
	for (int i = MAX_SLOTS - 1; i >= 0; i--)
		be_close(be, l->map[i]);
}

/* BPF_PROG_LOAD with the log at level 1 in log (if given); a program whose log
 * outgrew the buffer (-ENOSPC, the kernel's rule since 6.4) is loaded again
 * without one. */
static int load(const struct backend *be, const struct tcase *c, uint32_t flags,
		const struct bpf_insn *insns, uint32_t cnt, char *log)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = c->prog_type;
	a.expected_attach_type = c->attach;
	a.prog_flags = flags;
	a.insns = ptr(insns);
	a.insn_cnt = cnt;
	a.license = ptr("GPL");
	if (log) {
		log[0] = '\0';
		a.log_buf = ptr(log);
		a.log_size = LOG_SIZE;
		a.log_level = 1;
	}
	fd = be_sys(be, BPF_PROG_LOAD, &a);
	if (fd == -ENOSPC && log) {
		a.log_buf = 0;
		a.log_size = 0;
		a.log_level = 0;
		fd = be_sys(be, BPF_PROG_LOAD, &a);
	}
	if (log)
		log[LOG_SIZE - 1] = '\0';
	return fd;
}

/* the log's last line that is not empty */
static char *last_line(const char *log)
{
	size_t end = strlen(log), start;

	while (end && (log[end - 1] == '\n' || log[end - 1] == ' '))
		end--;
	start = end;
	while (start && log[start - 1] != '\n')
		start--;
	return end > start ? fmt("%.*s", (int)(end - start), log + start) : fmt("(empty log)");
}

static int map_create(const struct backend *be, const struct map_spec *m, struct live *l,
		      uint32_t slot, char **why)
{
	union bpf_attr a;
	int btf = -1, inner = -1, fd;

	if (m->btf) {
		memset(&a, 0, sizeof(a));
		a.btf = ptr(m->btf);
		a.btf_size = (uint32_t)m->btf_len;
		btf = be_sys(be, BPF_BTF_LOAD, &a);
		if (btf < 0) {
			*why = fmt("MAP_BTF: BPF_BTF_LOAD: %s", errname(-btf));
			return -1;
		}
	}
	if (m->has_inner) {
		inner = be_map_create(be, m->inner_type, m->inner_key_size, m->inner_value_size,
				      m->inner_max_entries, m->inner_flags);
		if (inner < 0) {
			*why = fmt("MAP_INNER type %u: BPF_MAP_CREATE: %s", m->inner_type,
				   errname(-inner));
			be_close(be, btf);
			return -1;
		}
	}
	memset(&a, 0, sizeof(a));
	a.map_type = m->type;
	a.key_size = m->key_size;
	a.value_size = m->value_size;
	a.max_entries = m->max_entries;
	a.map_flags = m->flags;
	a.btf_fd = btf >= 0 ? (uint32_t)btf : 0;
	a.btf_key_type_id = m->btf_key_id;
	a.btf_value_type_id = m->btf_value_id;
	a.inner_map_fd = inner >= 0 ? (uint32_t)inner : 0;
	fd = be_sys(be, BPF_MAP_CREATE, &a);
	/* the map holds what it needs of both, as test_verifier closes them */
	be_close(be, inner);
	be_close(be, btf);
	if (fd < 0) {
		*why = fmt("MAP %s: BPF_MAP_CREATE: %s", m->type_name, errname(-fd));
		return -1;
	}
	l->map[slot] = fd;
	return 0;
}

/* The case's maps, their elements and prog-array entries: 0, or -1 with why. */
static int setup(const struct backend *be, const struct tcase *c, struct live *l, char **why)
{
	if (c->attach_func) {
		*why = fmt("ATTACH names a vmlinux BTF function: not resolved by this harness");
		return -1;
	}
	for (uint32_t s = 0; s < MAX_SLOTS; s++)
		if (c->maps[s].defined && map_create(be, &c->maps[s], l, s, why))
			return -1;
	for (uint32_t i = 0; i < c->init_cnt; i++) {
		const struct map_init *mi = &c->inits[i];
		int err = be_map_op(be, BPF_MAP_UPDATE_ELEM, l->map[mi->slot], mi->key, mi->value,
				    BPF_ANY);

		if (err) {
			*why = fmt("MAP_INIT %s: BPF_MAP_UPDATE_ELEM: %s",
				   c->maps[mi->slot].type_name, errname(-err));
			return -1;
		}
	}
	for (uint32_t i = 0; i < c->prog_cnt; i++) {
		const struct map_prog *mp = &c->progs[i];
		struct bpf_insn *insns = malloc(mp->insn_cnt * sizeof(*insns));
		int fd, err;

		if (!insns) {
			*why = fmt("out of memory");
			return -1;
		}
		memcpy(insns, mp->insns, mp->insn_cnt * sizeof(*insns));
		for (uint32_t k = 0; k < mp->self_cnt; k++)
			insns[mp->self[k]].imm = l->map[mp->slot];
		/* no prog_flags, as test_verifier loads its prog-array programs */
		fd = load(be, c, 0, insns, mp->insn_cnt, NULL);
		free(insns);
		if (fd < 0) {
			*why = fmt("MAP_PROG: BPF_PROG_LOAD: %s", errname(-fd));
			return -1;
		}
		l->sub[i] = fd;
		err = be_map_op(be, BPF_MAP_UPDATE_ELEM, l->map[mp->slot], &mp->key, &fd, BPF_ANY);
		if (err) {
			*why = fmt("MAP_PROG: BPF_MAP_UPDATE_ELEM: %s", errname(-err));
			return -1;
		}
	}
	return 0;
}

/* Sets up, loads and runs c on be, into r. */
static void run_case(const struct backend *be, struct harness *h, const struct tcase *c,
		     struct result *r)
{
	struct live l = {.prog = -1};
	struct bpf_insn *insns = NULL;
	unsigned differing = 0;
	int fd;

	for (int i = 0; i < MAX_SLOTS; i++)
		l.map[i] = -1;
	for (int i = 0; i < MAX_PROGS; i++)
		l.sub[i] = -1;
	if (setup(be, c, &l, &r->msg)) {
		r->out = OUT_SETUP_FAILED;
		goto out;
	}
	insns = malloc(c->insn_cnt * sizeof(*insns));
	if (!insns) {
		r->out = OUT_SETUP_FAILED;
		r->msg = fmt("out of memory");
		goto out;
	}
	memcpy(insns, c->insns, c->insn_cnt * sizeof(*insns));
	for (uint32_t i = 0; i < c->fixup_cnt; i++)
		insns[c->fixups[i].insn].imm = l.map[c->fixups[i].slot];
	fd = load(be, c, c->prog_flags, insns, c->insn_cnt, h->log);
	if (fd < 0) {
		char *line = last_line(h->log);

		r->out = OUT_LOAD_REFUSED;
		r->msg = fmt("%s: %s", errname(-fd), line ? line : "?");
		free(line);
		goto out;
	}
	l.prog = fd;
	r->out = OUT_EQUAL;
	for (uint32_t i = 0; i < c->run_cnt; i++) {
		const struct run *rn = &c->runs[i];
		union bpf_attr a;
		int err;

		if (!rn->det)
			continue;
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)fd;
		a.test.data_in = ptr(rn->data);
		a.test.data_size_in = (uint32_t)rn->data_len;
		a.test.data_out = ptr(h->data_out);
		a.test.data_size_out = DATA_OUT_SIZE;
		a.test.repeat = 1;
		err = be_sys(be, BPF_PROG_TEST_RUN, &a);
		if (err < 0) {
			free(r->msg);
			r->out = OUT_RUN_FAILED;
			r->run_line = rn->line;
			r->msg = fmt("BPF_PROG_TEST_RUN: %s", errname(-err));
			break;
		}
		r->ran = true;
		if (rn->unstable) {
			free(r->note);
			r->note = fmt("%s %u (0x%x), recorded %u (0x%x)", be->name, a.test.retval,
				      a.test.retval, rn->retval, rn->retval);
			continue;
		}
		if (a.test.retval != rn->retval && !differing++) {
			r->out = OUT_DIFFER;
			r->run_line = rn->line;
			r->msg = fmt("%s %u (0x%x), recorded %u (0x%x)", be->name, a.test.retval,
				     a.test.retval, rn->retval, rn->retval);
		}
	}
	if (r->out == OUT_DIFFER && differing > 1) {
		char *m = fmt("%s; and %u more runs differ", r->msg ? r->msg : "?", differing - 1);

		free(r->msg);
		r->msg = m;
	}
out:
	free(insns);
	live_close(be, &l);
}

static void handle_case(struct harness *h, const struct tcase *c)
{
	struct result *r = tally_add(&h->host, c);

	if (!r) {
		printf("test_corpus: out of memory at case %s\n", c->id);
		test_failures++;
		return;
	}
	run_case(&bpfhost, h, c, r);
	if (!h->kernel)
		return;
	r = tally_add(&h->kern, c);
	if (!r) {
		test_failures++;
		return;
	}
	run_case(&kernel, h, c, r);
}

/* ---- reading the corpus ---- */

struct parser {
	struct harness *h;
	unsigned line;
	struct tcase *c;			    /* the case being read, NULL between cases */
	uint32_t pending;			    /* instruction lines still to come */
	unsigned cases, runnable, malformed, stray; /* stray: lines outside any case */
	char what[64];				    /* a complaint's words, when made up */
};

/* Reports the first problem of a case (or a line outside any), which is
 * then skipped; returns -1. */
static int complain(struct parser *p, const char *what)
{
	if (p->c && p->c->bad)
		return -1;
	if (p->malformed++ < LIST_CAP)
		printf("corpus line %u: %s: case %s skipped\n", p->line, what,
		       p->c && p->c->id ? p->c->id : "?");
	else if (p->malformed == LIST_CAP + 1)
		printf("(further malformed cases not printed)\n");
	if (p->c)
		p->c->bad = true;
	return -1;
}

/* the next field of a line of fields separated by single spaces, or NULL */
static char *field(char **rest)
{
	return *rest ? strsep(rest, " ") : NULL;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int hex_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* hex into len bytes at out (exactly) */
static bool parse_hex_into(const char *s, void *out, size_t len)
{
	uint8_t *o = out;

	if (!s || strlen(s) != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		o[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* hex into a new buffer (one byte at least, so that an empty one is not NULL) */
static bool parse_hex(const char *s, uint8_t **out, size_t *len)
{
	size_t n = s ? strlen(s) : 0;

	if (!s || n % 2)
		return false;
	*out = malloc(n / 2 + 1);
	if (!*out)
		return false;
	if (!parse_hex_into(s, *out, n / 2)) {
		free(*out);
		*out = NULL;
		return false;
	}
	*len = n / 2;
	return true;
}

static bool parse_slot(const char *s, uint32_t *slot)
{
	return parse_u32(s, slot) && *slot < MAX_SLOTS;
}

static int read_name(struct parser *p, char *rest)
{
	if (p->c->name)
		return complain(p, "NAME: repeated");
	p->c->name = strdup(rest ? rest : "");
	return p->c->name ? 0 : complain(p, "out of memory");
}

static int read_type(struct parser *p, char *rest)
{
	struct tcase *c = p->c;
	char *name;

	if (c->has_type || !parse_u32(field(&rest), &c->prog_type) || c->prog_type >= MAX_TYPES ||
	    !(name = field(&rest)) || rest)
		return complain(p, "PROG_TYPE: bad fields or repeated");
	c->has_type = true;
	if (!p->h->type_names[c->prog_type][0])
		snprintf(p->h->type_names[c->prog_type], sizeof(p->h->type_names[0]), "%s", name);
	return 0;
}

static int read_attach(struct parser *p, char *rest)
{
	char *func;

	if (!parse_u32(field(&rest), &p->c->attach) || !field(&rest) || !(func = field(&rest)) ||
	    rest)
		return complain(p, "ATTACH: bad fields");
	p->c->attach_func = strcmp(func, "-") != 0;
	return 0;
}

static int read_flags(struct parser *p, char *rest)
{
	if (!parse_u32(field(&rest), &p->c->prog_flags) || rest)
		return complain(p, "PROG_FLAGS: bad fields");
	return 0;
}

static int read_map(struct parser *p, char *rest)
{
	uint32_t slot;
	struct map_spec *m;
	char *name;

	if (!parse_slot(field(&rest), &slot) || p->c->maps[slot].defined)
		return complain(p, "MAP: bad or repeated slot");
	m = &p->c->maps[slot];
	if (!parse_u32(field(&rest), &m->type) || !(name = field(&rest)) ||
	    !parse_u32(field(&rest), &m->key_size) || !parse_u32(field(&rest), &m->value_size) ||
	    !parse_u32(field(&rest), &m->max_entries) || !parse_u32(field(&rest), &m->flags) ||
	    !parse_u32(field(&rest), &m->btf_key_id) ||
	    !parse_u32(field(&rest), &m->btf_value_id) || rest)
		return complain(p, "MAP: bad fields");
	snprintf(m->type_name, sizeof(m->type_name), "%s", name);
	m->defined = true;
	return 0;
}

static int read_map_btf(struct parser *p, char *rest)
{
	uint32_t slot;
	struct map_spec *m;

	if (!parse_slot(field(&rest), &slot) || p->c->maps[slot].btf)
		return complain(p, "MAP_BTF: bad or repeated slot");
	m = &p->c->maps[slot];
	if (!parse_hex(field(&rest), &m->btf, &m->btf_len) || rest || !m->btf_len)
		return complain(p, "MAP_BTF: bad hex");
	return 0;
}

static int read_map_inner(struct parser *p, char *rest)
{
	uint32_t slot;
	struct map_spec *m;

	if (!parse_slot(field(&rest), &slot) || p->c->maps[slot].has_inner)
		return complain(p, "MAP_INNER: bad or repeated slot");
	m = &p->c->maps[slot];
	if (!parse_u32(field(&rest), &m->inner_type) ||
	    !parse_u32(field(&rest), &m->inner_key_size) ||
	    !parse_u32(field(&rest), &m->inner_value_size) ||
	    !parse_u32(field(&rest), &m->inner_max_entries) ||
	    !parse_u32(field(&rest), &m->inner_flags) || rest)
		return complain(p, "MAP_INNER: bad fields");
	m->has_inner = true;
	return 0;
}

static int read_map_init(struct parser *p, char *rest)
{
	struct map_init *mi;

	if (p->c->init_cnt == MAX_INITS)
		return complain(p, "MAP_INIT: too many");
	mi = &p->c->inits[p->c->init_cnt++];
	if (!parse_slot(field(&rest), &mi->slot) ||
	    !parse_hex(field(&rest), &mi->key, &mi->key_len) ||
	    !parse_hex(field(&rest), &mi->value, &mi->value_len) || rest)
		return complain(p, "MAP_INIT: bad fields");
	return 0;
}

static int read_map_prog(struct parser *p, char *rest)
{
	struct map_prog *mp;
	char *self, *s;

	if (p->c->prog_cnt == MAX_PROGS)
		return complain(p, "MAP_PROG: too many");
	mp = &p->c->progs[p->c->prog_cnt++];
	if (!parse_slot(field(&rest), &mp->slot) || !parse_u32(field(&rest), &mp->key) ||
	    !parse_u32(field(&rest), &mp->insn_cnt) || !mp->insn_cnt ||
	    mp->insn_cnt > MAX_PROG_ARRAY_INSNS || !(self = field(&rest)))
		return complain(p, "MAP_PROG: bad fields");
	mp->insns = malloc(mp->insn_cnt * sizeof(*mp->insns));
	if (!mp->insns)
		return complain(p, "out of memory");
	for (uint32_t i = 0; i < mp->insn_cnt; i++)
		if (!parse_hex_into(field(&rest), &mp->insns[i], sizeof(mp->insns[i])))
			return complain(p, "MAP_PROG: bad or missing instruction");
	if (rest)
		return complain(p, "MAP_PROG: more instructions than n_insns");
	if (!strcmp(self, "-"))
		return 0;
	while ((s = strsep(&self, ","))) {
		uint32_t k;

		if (mp->self_cnt == MAX_FIXUPS || !parse_u32(s, &k) || k + 1 >= mp->insn_cnt ||
		    mp->insns[k].code != LD_IMM64)
			return complain(p, "MAP_PROG: bad self fixup (not an LD_IMM64)");
		mp->self[mp->self_cnt++] = k;
	}
	return 0;
}

static int read_insns(struct parser *p, char *rest)
{
	uint32_t n;

	if (p->c->insns || !parse_u32(field(&rest), &n) || !n || n > MAX_INSNS || rest)
		return complain(p, "INSNS: bad or repeated count");
	p->c->insns = calloc(n, sizeof(*p->c->insns));
	if (!p->c->insns)
		return complain(p, "out of memory");
	p->c->insn_cnt = p->pending = n;
	return 0;
}

static int read_fixup(struct parser *p, char *rest)
{
	struct tcase *c = p->c;

	if (c->fixup_cnt == MAX_FIXUPS)
		return complain(p, "FIXUP: too many");
	if (!parse_u32(field(&rest), &c->fixups[c->fixup_cnt].insn) ||
	    !parse_slot(field(&rest), &c->fixups[c->fixup_cnt].slot) || rest)
		return complain(p, "FIXUP: bad fields");
	c->fixup_cnt++;
	return 0;
}

static int read_kernel(struct parser *p, char *rest)
{
	char *verdict = field(&rest);

	if (p->c->has_kernel || !verdict || !field(&rest) || rest)
		return complain(p, "KERNEL: bad fields or repeated");
	p->c->has_kernel = true;
	p->c->kernel_accept = !strcmp(verdict, "ACCEPT");
	return 0;
}

static int read_run(struct parser *p, char *rest)
{
	struct run *rn;
	char *retval, *det;

	if (p->c->run_cnt == MAX_RUNS)
		return complain(p, "RUN: too many");
	rn = &p->c->runs[p->c->run_cnt++];
	rn->line = p->line;
	if (!parse_hex(field(&rest), &rn->data, &rn->data_len) || !(retval = field(&rest)) ||
	    !(det = field(&rest)) || !field(&rest) || rest)
		return complain(p, "RUN: bad fields");
	if (strcmp(det, "det"))
		return 0;
	if (!parse_u32(retval, &rn->retval))
		return complain(p, "RUN: det with a retval that is not a u32");
	rn->det = true;
	return 0;
}

/* EXPECT and ERRLINE: what the test file and the kernel said, not needed here */
static int read_ignored(struct parser *p, char *rest)
{
	(void)p;
	(void)rest;
	return 0;
}

/* END: the case complete and consistent, run if runnable */
static int finish(struct parser *p, char *rest)
{
	struct tcase *c = p->c;

	if (rest)
		complain(p, "END: trailing fields");
	if (!c->name || !c->has_type || !c->has_kernel || !c->insns)
		complain(p, "END: NAME, PROG_TYPE, KERNEL or INSNS missing");
	else if (c->insns_read != c->insn_cnt)
		complain(p, "END: fewer instruction lines than INSNS says");
	for (uint32_t i = 0; i < c->fixup_cnt && !c->bad; i++) {
		const struct fixup *f = &c->fixups[i];

		if (f->insn + 1 >= c->insn_cnt || c->insns[f->insn].code != LD_IMM64 ||
		    !c->maps[f->slot].defined)
			complain(p, "FIXUP: not an LD_IMM64, or no such map");
	}
	for (uint32_t s = 0; s < MAX_SLOTS && !c->bad; s++) {
		const struct map_spec *m = &c->maps[s];

		if (!m->defined && (m->btf || m->has_inner))
			complain(p, "MAP_BTF or MAP_INNER for a slot without MAP");
	}
	for (uint32_t i = 0; i < c->init_cnt && !c->bad; i++) {
		const struct map_init *mi = &c->inits[i];
		const struct map_spec *m = &c->maps[mi->slot];

		/* exact sizes: a per-CPU value would need more than the line gives */
		if (!m->defined || mi->key_len != m->key_size || mi->value_len != m->value_size)
			complain(p, "MAP_INIT: no such map, or key or value of another size");
	}
	for (uint32_t i = 0; i < c->prog_cnt && !c->bad; i++)
		if (!c->maps[c->progs[i].slot].defined)
			complain(p, "MAP_PROG for a slot without MAP");
	if (!c->bad) {
		p->cases++;
		mark_unstable(c);
		if (case_runnable(c)) {
			p->runnable++;
			handle_case(p->h, c);
		}
	}
	case_free(c);
	p->c = NULL;
	return 0;
}

/* the lines of a case after CASE, by keyword */
static const struct {
	const char *key;
	int (*read)(struct parser *p, char *rest);
} readers[] = {
	{"NAME", read_name},
	{"PROG_TYPE", read_type},
	{"ATTACH", read_attach},
	{"PROG_FLAGS", read_flags},
	{"MAP", read_map},
	{"MAP_BTF", read_map_btf},
	{"MAP_INNER", read_map_inner},
	{"MAP_INIT", read_map_init},
	{"MAP_PROG", read_map_prog},
	{"INSNS", read_insns},
	{"FIXUP", read_fixup},
	{"EXPECT", read_ignored},
	{"KERNEL", read_kernel},
	{"ERRLINE", read_ignored},
	{"RUN", read_run},
	{"END", finish},
};

static void read_case_start(struct parser *p, char *rest)
{
	if (p->c) {
		complain(p, "CASE before the previous case's END");
		case_free(p->c);
	}
	p->c = calloc(1, sizeof(*p->c));
	if (!p->c || !rest || !rest[0] || !(p->c->id = strdup(rest))) {
		printf("corpus line %u: CASE without an id, or out of memory: skipped\n", p->line);
		p->malformed++;
		case_free(p->c);
		p->c = NULL;
		return;
	}
	p->c->line = p->line;
}

static void read_line(struct parser *p, char *line)
{
	char *rest = line, *key;
	struct tcase *c = p->c;

	if (p->pending) {
		if (parse_hex_into(line, &c->insns[c->insns_read], sizeof(*c->insns))) {
			c->insns_read++;
			p->pending--;
			return;
		}
		p->pending = 0; /* the line is read as what it is; END will complain */
	}
	if (!line[0] || line[0] == '#')
		return;
	key = field(&rest);
	if (!strcmp(key, "CASE")) {
		read_case_start(p, rest);
		return;
	}
	if (!c) {
		if (p->stray++ < LIST_CAP)
			printf("corpus line %u: outside a case: skipped\n", p->line);
		return;
	}
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		if (!strcmp(key, readers[i].key)) {
			/* a bad case is skipped to its END */
			if (!c->bad || readers[i].read == finish)
				readers[i].read(p, rest);
			return;
		}
	}
	if (!c->bad) {
		snprintf(p->what, sizeof(p->what), "unknown keyword \"%.20s\"", key);
		complain(p, p->what);
	}
}

static void read_corpus(FILE *f, struct parser *p)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&buf, &cap, f)) >= 0) {
		p->line++;
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (memchr(buf, '\0', (size_t)n)) {
			complain(p, "a NUL byte in the line");
			continue;
		}
		read_line(p, buf);
	}
	free(buf);
	if (p->c) {
		complain(p, "end of file before END");
		case_free(p->c);
		p->c = NULL;
	}
}

/* ---- the report ---- */

/* The exit-status rule. A case fails when its retval differs from the
 * kernel's, or when the test run failed or bpfhost refused to load it although
 * its program type has a test run in bpfhost. Which types have one is decided
 * here, from the results, not from a list: a type has a test run when at least
 * one of its cases ran. So a type gains its checks the day bpfhost first runs
 * one of its cases, and until then its refusals and unsupported runs are
 * reported only. Setup failures (map types bpfhost lacks) are reported only.
 * On the kernel (--kernel) every type has a test run: each case must give the
 * recorded retval. */
static void supported_types(const struct tally *t, bool supported[MAX_TYPES])
{
	for (uint32_t i = 0; i < MAX_TYPES; i++)
		supported[i] = t->all_supported;
	for (size_t i = 0; i < t->cnt; i++)
		if (t->v[i].ran)
			supported[t->v[i].prog_type] = true;
}

enum column { COL_EQUAL, COL_DIFFER, COL_REFUSED, COL_UNSUPP, COL_RUNERR, COL_SETUP, COL_N };

static enum column column_of(const struct result *r, const bool supported[MAX_TYPES])
{
	switch (r->out) {
	case OUT_EQUAL: return COL_EQUAL;
	case OUT_DIFFER: return COL_DIFFER;
	case OUT_LOAD_REFUSED: return COL_REFUSED;
	case OUT_RUN_FAILED: return supported[r->prog_type] ? COL_RUNERR : COL_UNSUPP;
	case OUT_SETUP_FAILED: return COL_SETUP;
	}
	return COL_SETUP;
}

static bool failed(const struct tally *t, const struct result *r, const bool supported[MAX_TYPES])
{
	enum column col = column_of(r, supported);

	if (t->all_supported)
		return col != COL_EQUAL;
	if (known_gap(r->id))
		return col == COL_EQUAL;
	return col == COL_DIFFER || col == COL_RUNERR ||
	       (col == COL_REFUSED && supported[r->prog_type]);
}

static void print_table(const struct tally *t, const struct harness *h,
			const bool supported[MAX_TYPES])
{
	unsigned n[MAX_TYPES + 1][COL_N + 1];

	memset(n, 0, sizeof(n));
	for (size_t i = 0; i < t->cnt; i++) {
		const struct result *r = &t->v[i];
		enum column col = column_of(r, supported);

		n[r->prog_type][COL_N]++;
		n[r->prog_type][col]++;
		n[MAX_TYPES][COL_N]++;
		n[MAX_TYPES][col]++;
	}
	printf("%-24s %6s %6s %6s %8s %8s %7s %6s\n", t->label, "cases", "equal", "differ",
	       "refused", "unsupp", "runerr", "setup");
	for (uint32_t ty = 0; ty <= MAX_TYPES; ty++) {
		if (!n[ty][COL_N])
			continue;
		printf("%-24s %6u %6u %6u %8u %8u %7u %6u\n",
		       ty == MAX_TYPES	      ? "total"
		       : h->type_names[ty][0] ? h->type_names[ty]
					      : "?",
		       n[ty][COL_N], n[ty][COL_EQUAL], n[ty][COL_DIFFER], n[ty][COL_REFUSED],
		       n[ty][COL_UNSUPP], n[ty][COL_RUNERR], n[ty][COL_SETUP]);
	}
}

/* every case of the column (types with a test run or without, or both), at most LIST_CAP */
static void print_cases(const struct tally *t, const struct harness *h,
			const bool supported[MAX_TYPES], enum column col, int want_supported,
			const char *title)
{
	unsigned cnt = 0, shown = 0;

	for (size_t i = 0; i < t->cnt; i++)
		if (column_of(&t->v[i], supported) == col &&
		    (want_supported < 0 || supported[t->v[i].prog_type] == want_supported) &&
		    (t->all_supported || !known_gap(t->v[i].id)))
			cnt++;
	if (!cnt)
		return;
	printf("%s (%u):\n", title, cnt);
	for (size_t i = 0; i < t->cnt && shown < LIST_CAP; i++) {
		const struct result *r = &t->v[i];

		if (column_of(r, supported) != col ||
		    (want_supported >= 0 && supported[r->prog_type] != want_supported) ||
		    (!t->all_supported && known_gap(r->id)))
			continue;
		shown++;
		printf("  %s %s \"%s\"", h->type_names[r->prog_type], r->id, r->name);
		if (r->run_line)
			printf(" (RUN at line %u)", r->run_line);
		printf(": %s\n", r->msg ? r->msg : "?");
	}
	if (cnt > shown)
		printf("  ... and %u more\n", cnt - shown);
}

/* the cases of a column counted by type and message */
static void print_groups(const struct tally *t, const struct harness *h,
			 const bool supported[MAX_TYPES], enum column col, const char *title)
{
	bool any = false;

	for (size_t i = 0; i < t->cnt; i++) {
		const struct result *r = &t->v[i];
		const char *m = r->msg ? r->msg : "?";
		unsigned cnt = 0;
		bool seen = false;

		if (column_of(r, supported) != col)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = column_of(&t->v[j], supported) == col &&
			       t->v[j].prog_type == r->prog_type &&
			       !strcmp(t->v[j].msg ? t->v[j].msg : "?", m);
		if (seen)
			continue;
		for (size_t j = i; j < t->cnt; j++)
			cnt += column_of(&t->v[j], supported) == col &&
			       t->v[j].prog_type == r->prog_type &&
			       !strcmp(t->v[j].msg ? t->v[j].msg : "?", m);
		if (!any)
			printf("%s:\n", title);
		any = true;
		printf("  %s: %s: %u case%s (first %s)\n", h->type_names[r->prog_type], m, cnt,
		       cnt == 1 ? "" : "s", r->id);
	}
}

/* Prints what t holds; returns how many cases failed. */
static unsigned report(const struct tally *t, const struct harness *h)
{
	bool supported[MAX_TYPES];
	unsigned fails = 0, uncompared = 0;

	supported_types(t, supported);
	printf("\n");
	print_table(t, h, supported);
	print_cases(t, h, supported, COL_DIFFER, -1, "retval differs: FAIL");
	print_cases(t, h, supported, COL_RUNERR, -1,
		    "test run failed on a type with a test run: FAIL");
	print_cases(t, h, supported, COL_REFUSED, 1, "load refused, type with a test run: FAIL");
	print_cases(t, h, supported, COL_REFUSED, 0, "load refused, type without a test run");
	print_groups(t, h, supported, COL_UNSUPP, "test run unsupported (type: errno)");
	print_groups(t, h, supported, COL_SETUP, "setup failed (type: reason)");
	for (size_t i = 0; i < t->cnt; i++) {
		if (!t->v[i].note)
			continue;
		if (!uncompared++)
			printf("not compared (the recorded retval is uninitialised kernel "
			       "stack):\n");
		printf("  %s: %s\n", t->v[i].id, t->v[i].note);
	}
	for (size_t i = 0; i < t->cnt && !t->all_supported; i++) {
		const char *why = known_gap(t->v[i].id);

		if (!why)
			continue;
		if (column_of(&t->v[i], supported) == COL_EQUAL)
			printf("known gap now passes, take it off the list: FAIL: %s\n",
			       t->v[i].id);
		else
			printf("known gap: %s: %s\n", t->v[i].id, why);
	}
	for (size_t i = 0; i < t->cnt; i++)
		fails += failed(t, &t->v[i], supported);
	return fails;
}

static size_t count_notes(const struct tally *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cnt; i++)
		n += t->v[i].note != NULL;
	return n;
}

/* ---- main ---- */

/* The corpus: $BPFHOST_CORPUS, else next to the repository (the tests run in
 * its root), else next to the repository this binary was built in
 * (BUILD/tests/unit/test_corpus). path: the file opened, or the last one tried. */
static FILE *open_corpus(char *path, size_t len)
{
	const char *env = getenv("BPFHOST_CORPUS");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	FILE *f;

	if (env) {
		snprintf(path, len, "%s", env);
		return fopen(path, "r");
	}
	snprintf(path, len, "../%s", CORPUS_REL);
	f = fopen(path, "r");
	if (f)
		return f;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if ((size_t)snprintf(path, len, "%s/../../../../%s", exe, CORPUS_REL) >= len)
		return NULL;
	return fopen(path, "r");
}

/* Can we use the kernel's bpf()? A socket filter returning 0 says. */
static bool kernel_usable(void)
{
	static const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct tcase probe = {.prog_type = BPF_PROG_TYPE_SOCKET_FILTER};
	int fd;

	if (geteuid() != 0) {
		printf("NOTICE: --kernel needs root: kernel check skipped\n");
		return false;
	}
	fd = load(&kernel, &probe, 0, ret0, 2, NULL);
	if (fd < 0) {
		printf("NOTICE: the kernel refuses BPF_PROG_LOAD (%s): kernel check skipped\n",
		       errname(-fd));
		return false;
	}
	be_close(&kernel, fd);
	return true;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], dir[] = "/tmp/bpfhost-test-corpus-XXXXXX";
	struct parser p = {.line = 0};
	struct harness *h;
	bool want_kernel = false;
	unsigned fails;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--kernel")) {
			fprintf(stderr, "usage: %s [--kernel]\n", argv[0]);
			return 2;
		}
		want_kernel = true;
	}
	f = open_corpus(path, sizeof(path));
	if (!f) {
		if (getenv("BPFHOST_CORPUS"))
			printf("NOTICE: corpus not found at %s: skipped\n", path);
		else
			printf("NOTICE: corpus not found at ../%s or %s: skipped\n", CORPUS_REL,
			       path);
		return 0;
	}
	h = calloc(1, sizeof(*h));
	if (h) {
		h->log = malloc(LOG_SIZE);
		h->data_out = malloc(DATA_OUT_SIZE);
	}
	CHECK(h && h->log && h->data_out, "out of memory");
	CHECK(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	if (test_failures) {
		fclose(f);
		if (h) {
			free(h->log);
			free(h->data_out);
		}
		free(h);
		return TEST_DONE();
	}
	setenv("BPFHOST_DIR", dir, 1);
	h->host.label = "bpfhost";
	h->kern.label = "kernel (--kernel)";
	h->kern.all_supported = true;
	h->kernel = want_kernel && kernel_usable();

	p.h = h;
	read_corpus(f, &p);
	fclose(f);
	printf("test_corpus: %s: %u cases, %u runnable (kernel ACCEPT and a deterministic RUN "
	       "retval), %u malformed cases and %u lines outside a case skipped\n",
	       path, p.cases, p.runnable, p.malformed, p.stray);
	fails = report(&h->host, h);

	if (h->kernel) {
		unsigned kfails = report(&h->kern, h);

		printf("kernel self-check: %zu of %zu cases give the recorded retvals (%zu of "
		       "them with runs not compared)\n",
		       h->kern.cnt - kfails, h->kern.cnt, count_notes(&h->kern));
		fails += kfails;
	}
	printf("\n%u failing cases\n", fails);
	test_failures += (int)fails;

	tally_free(&h->host);
	tally_free(&h->kern);
	free(h->log);
	free(h->data_out);
	free(h);
	if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		printf("could not remove %s\n", dir);
	return TEST_DONE();
}
