/* Data-driven tests: runs every case of the given .td files through the
 * assembler, the validator and both interpreters.
 *
 * A file holds cases; each starts with "== name" and has sections "-- kind":
 *   -- asm        program text (or -- raw: hex bytes of the instructions)
 *   -- mem        input memory, hex bytes (r1 = its address, r2 = its length)
 *   -- result     expected r0 (a number, hex with 0x)
 *   -- mem-out    expected memory after the run, hex bytes
 *   -- fault      the checked interpreter must fault; the message contains this
 *   -- invalid    validation must fail; its message contains this
 *   -- max-insns  instruction budget of the checked run
 * Lines starting with '#' outside sections are comments. Every valid case also
 * checks that the disassembly of the program assembles back to the same bytes,
 * and that the fast interpreter agrees with the checked one on r0 and memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/helpers/testenv.h"
#include "../src/isa/isa.h"
#include "../src/util/hex.h"
#include "../src/util/log.h"
#include "../src/vm/vm.h"
#include "kernel.h"

enum { S_ASM, S_RAW, S_MEM, S_RESULT, S_MEM_OUT, S_FAULT, S_INVALID, S_MAX_INSNS, S_COUNT };
static const char *const section_names[S_COUNT] = {
	"asm", "raw", "mem", "result", "mem-out", "fault", "invalid", "max-insns",
};

struct tcase {
	char name[128];
	const char *file;
	unsigned line;
	char *sec[S_COUNT]; /* NULL when absent */
};

static unsigned failures, passes;
/* the kernel as oracle: cases compared, and cases its verifier refused */
static int kernel_ok;
static unsigned kernel_compared, kernel_refused;

static void fail(const struct tcase *tc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(const struct tcase *tc, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s:%u: %s: ", tc->file, tc->line, tc->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int program_of(const struct tcase *tc, struct bpf_insn **insns, size_t *cnt)
{
	char logbuf[1024];
	struct ulog log;
	uint8_t *bytes;
	size_t n;

	if (tc->sec[S_RAW]) {
		if (hex_decode(tc->sec[S_RAW], strlen(tc->sec[S_RAW]), &bytes, &n, NULL) || n % 8) {
			fail(tc, "bad -- raw section");
			return -1;
		}
		*insns = (struct bpf_insn *)bytes;
		*cnt = n / 8;
		return 0;
	}
	if (!tc->sec[S_ASM]) {
		fail(tc, "no -- asm or -- raw section");
		return -1;
	}
	ulog_init(&log, logbuf, sizeof(logbuf));
	if (isa_asm(tc->sec[S_ASM], insns, cnt, &log)) {
		fail(tc, "assembly failed: %s", trim(logbuf));
		return -1;
	}
	return 0;
}

/* disasm(insns) must assemble back to insns */
static void check_roundtrip(const struct tcase *tc, const struct bpf_insn *insns, size_t cnt)
{
	size_t cap = cnt * 96 + 1, len = 0, cnt2;
	char *text = malloc(cap), logbuf[512];
	struct bpf_insn *again;
	struct ulog log;

	if (!text)
		return;
	text[0] = '\0';
	for (size_t i = 0; i < cnt;) {
		int n = isa_disasm_insn(insns, cnt, i, text + len, cap - len - 1);

		len += strlen(text + len);
		text[len++] = '\n';
		text[len] = '\0';
		i += n ? (size_t)n : 1;
	}
	ulog_init(&log, logbuf, sizeof(logbuf));
	if (isa_asm(text, &again, &cnt2, &log)) {
		fail(tc, "disassembly does not assemble: %s\n%s", trim(logbuf), text);
	} else {
		if (cnt2 != cnt || memcmp(again, insns, cnt * sizeof(*insns)))
			fail(tc, "disassembly assembles to different bytes:\n%s", text);
		free(again);
	}
	free(text);
}

/* A whole number, decimal or 0x-hex, possibly negative (as two's complement). */
static int parse_u64(const char *text, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = text[0] == '-' ? (uint64_t)strtoll(text, &end, 0) : strtoull(text, &end, 0);
	return errno || end == text || *end ? -1 : 0;
}

struct outcome {
	int err;
	uint64_t r0;
	char msg[256];
	uint8_t *mem;
};

static void run_one(const struct vm_prog *prog, const uint8_t *mem, size_t mem_len,
		    uint64_t max_insns, bool checked, struct outcome *out)
{
	struct vm_run *run = malloc(sizeof(*run));

	out->mem = malloc(mem_len + 1);
	if (!run || !out->mem) {
		out->err = -ENOMEM;
		free(run);
		return;
	}
	memcpy(out->mem, mem, mem_len);
	vm_run_init(run, prog);
	run->helpers = testenv_helpers();
	run->args[0] = mem_len ? (uint64_t)(uintptr_t)out->mem : 0;
	run->args[1] = mem_len;
	run->pkt = out->mem;
	run->pkt_len = mem_len;
	run->insn_limit = max_insns;
	if (mem_len)
		vm_run_add_region(run, out->mem, mem_len, "mem", true);
	out->err = checked ? vm_exec_checked(run) : vm_exec_fast(run);
	out->r0 = run->r0;
	snprintf(out->msg, sizeof(out->msg), "%s", run->fault.msg);
	free(run);
}

/* Cases without memory and without helpers or packet loads also run in the
 * kernel, as the subprogram of a wrapper that returns the low or the high half
 * of r0 (XDP's retval has 32 bits). Cases the kernel's verifier refuses (e.g.
 * reading a register it considers uninitialised) are counted, not failed. */
static void check_kernel(const struct tcase *tc, const struct bpf_insn *insns, size_t cnt,
			 uint64_t want)
{
	uint8_t data[64] = {0};
	struct bpf_insn *w;
	uint32_t half[2];
	char why[256];

	if (!kernel_ok || tc->sec[S_MEM] || tc->sec[S_FAULT] || tc->sec[S_MAX_INSNS])
		return;
	for (size_t i = 0; i < cnt; i++) {
		enum isa_op op;

		if (!isa_decode(&insns[i], &op) &&
		    (op == ISA_OP_CALL_HELPER || op == ISA_OP_CALLX ||
		     /* the kernel's x86 JIT bounds may_goto by time, not by count */
		     op == ISA_OP_MAY_GOTO || (op >= ISA_OP_LDABSW && op <= ISA_OP_LDINDB)))
			return;
	}
	w = calloc(cnt + 3, sizeof(*w));
	if (!w)
		return;
	w[0] = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 2};
	w[2] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	memcpy(w + 3, insns, cnt * sizeof(*w));
	for (int k = 0; k < 2; k++) {
		w[1] = k ? (struct bpf_insn){.code = BPF_ALU64 | BPF_RSH | BPF_K, .imm = 32}
			 : (struct bpf_insn){.code = BPF_ALU | BPF_MOV | BPF_X};
		if (kernel_run_xdp(w, cnt + 3, data, sizeof(data), &half[k], why, sizeof(why))) {
			if (getenv("RUN_DATA_VERBOSE"))
				printf("kernel refused %s:%u: %s: %s\n", tc->file, tc->line,
				       tc->name, why);
			kernel_refused++;
			free(w);
			return;
		}
	}
	free(w);
	kernel_compared++;
	if (((uint64_t)half[1] << 32 | half[0]) != want)
		fail(tc, "the kernel returns r0 = 0x%" PRIx64 ", bpfhost 0x%" PRIx64,
		     (uint64_t)half[1] << 32 | half[0], want);
}

static void check_runs(const struct tcase *tc, const struct vm_prog *prog,
		       const struct bpf_insn *insns, size_t cnt)
{
	uint8_t *mem = NULL, *mem_out = NULL;
	size_t mem_len = 0, out_len = 0;
	uint64_t max_insns = 0;
	struct outcome c = {0}, f = {0};

	if (tc->sec[S_MEM] &&
	    hex_decode(tc->sec[S_MEM], strlen(tc->sec[S_MEM]), &mem, &mem_len, NULL))
		return fail(tc, "bad -- mem section");
	if (tc->sec[S_MEM_OUT] &&
	    hex_decode(tc->sec[S_MEM_OUT], strlen(tc->sec[S_MEM_OUT]), &mem_out, &out_len, NULL)) {
		free(mem);
		return fail(tc, "bad -- mem-out section");
	}
	if (tc->sec[S_MAX_INSNS])
		if (parse_u64(tc->sec[S_MAX_INSNS], &max_insns)) {
			fail(tc, "-- max-insns is not a number: '%s'", tc->sec[S_MAX_INSNS]);
			goto out;
		}
	run_one(prog, mem ? mem : (uint8_t *)"", mem_len, max_insns, true, &c);
	if (tc->sec[S_FAULT]) {
		if (!c.err)
			fail(tc, "expected fault '%s', but r0 = 0x%" PRIx64, tc->sec[S_FAULT],
			     c.r0);
		else if (!strstr(c.msg, tc->sec[S_FAULT]))
			fail(tc, "expected fault '%s', got '%s'", tc->sec[S_FAULT], c.msg);
		else if (mem_out && (out_len != mem_len || memcmp(mem_out, c.mem, mem_len)))
			fail(tc, "memory after the fault differs from -- mem-out");
		else
			passes++;
		goto out;
	}
	if (c.err) {
		fail(tc, "checked interpreter faulted: %s", c.msg);
		goto out;
	}
	if (tc->sec[S_RESULT]) {
		uint64_t want;

		if (parse_u64(tc->sec[S_RESULT], &want)) {
			fail(tc, "-- result is not a number: '%s'", tc->sec[S_RESULT]);
			goto out;
		}
		if (c.r0 != want) {
			fail(tc, "checked: r0 = 0x%" PRIx64 ", expected 0x%" PRIx64, c.r0, want);
			goto out;
		}
	}
	if (mem_out && (out_len != mem_len || memcmp(mem_out, c.mem, mem_len))) {
		fail(tc, "checked: memory after the run differs from -- mem-out");
		goto out;
	}
	run_one(prog, mem ? mem : (uint8_t *)"", mem_len, max_insns, false, &f);
	if (f.err || f.r0 != c.r0 || memcmp(f.mem, c.mem, mem_len)) {
		fail(tc,
		     "fast interpreter disagrees: err %d r0 0x%" PRIx64 " (checked: 0x%" PRIx64
		     ") %s",
		     f.err, f.r0, c.r0, f.msg);
		goto out;
	}
	passes++;
	check_kernel(tc, insns, cnt, c.r0);
out:
	free(c.mem);
	free(f.mem);
	free(mem);
	free(mem_out);
}

static void run_case(struct tcase *tc)
{
	struct bpf_insn *insns;
	struct vm_prog *prog;
	char logbuf[2048];
	struct ulog log;
	size_t cnt;
	int err;

	for (int s = 0; s < S_COUNT; s++)
		if (tc->sec[s])
			tc->sec[s] = trim(tc->sec[s]);
	if (program_of(tc, &insns, &cnt))
		return;
	ulog_init(&log, logbuf, sizeof(logbuf));
	err = vm_prog_create(insns, cnt, &log, &prog);
	if (tc->sec[S_INVALID]) {
		if (!err) {
			fail(tc, "expected invalid program ('%s'), but it validated",
			     tc->sec[S_INVALID]);
			vm_prog_free(prog);
		} else if (!strstr(logbuf, tc->sec[S_INVALID])) {
			fail(tc, "expected error '%s', got '%s'", tc->sec[S_INVALID], trim(logbuf));
		} else {
			passes++;
		}
		free(insns);
		return;
	}
	if (err) {
		fail(tc, "program rejected: %s", trim(logbuf));
		free(insns);
		return;
	}
	check_roundtrip(tc, insns, cnt);
	check_runs(tc, prog, insns, cnt);
	vm_prog_free(prog);
	free(insns);
}

static int section_of(const char *line)
{
	char word[32];

	if (sscanf(line, "-- %31s", word) != 1)
		return -1;
	for (int s = 0; s < S_COUNT; s++)
		if (!strcmp(word, section_names[s]))
			return s;
	return -2;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct tcase tc = {.file = path};
	char *text, *line, *next;
	size_t len;
	unsigned lineno = 0;
	int cur = -1;

	if (!f || file_read_all(f, (uint8_t **)&text, &len)) {
		fprintf(stderr, "run_data: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!strncmp(line, "== ", 3)) {
			if (tc.name[0])
				run_case(&tc);
			memset(tc.sec, 0, sizeof(tc.sec));
			snprintf(tc.name, sizeof(tc.name), "%s", trim(line + 3));
			tc.line = lineno;
			cur = -1;
		} else if (!strncmp(line, "-- ", 3)) {
			cur = section_of(line);
			if (cur < 0 || !tc.name[0]) {
				fprintf(stderr, "%s:%u: unknown section or no case open: %s\n",
					path, lineno, line);
				free(text);
				return -1;
			}
			tc.sec[cur] = next ? next : line + strlen(line);
		} else if (cur < 0 && line[0] && line[0] != '#') {
			fprintf(stderr, "%s:%u: text outside a section: %s\n", path, lineno, line);
			free(text);
			return -1;
		} else if (cur >= 0 && next) {
			next[-1] = '\n'; /* keep the section's text contiguous */
		}
		/* a section ends where the next header starts */
		if (next && (!strncmp(next, "== ", 3) || !strncmp(next, "-- ", 3)) && cur >= 0)
			next[-1] = '\0';
	}
	if (tc.name[0])
		run_case(&tc);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	int bad_files = 0, first = 1;
	char why[256];

	if (argc > 1 && !strcmp(argv[1], "--kernel")) {
		first = 2;
		kernel_ok = kernel_probe(why, sizeof(why)) == 0;
		if (!kernel_ok)
			printf("run_data: NOTICE: kernel differential skipped: %s\n", why);
	}
	for (int i = first; i < argc; i++)
		if (run_file(argv[i]))
			bad_files++;
	printf("run_data: %u passed, %u failed, %d unreadable files\n", passes, failures,
	       bad_files);
	if (kernel_ok)
		printf("run_data: kernel differential: %u cases compared with Linux (64-bit r0), "
		       "%u refused by its verifier\n",
		       kernel_compared, kernel_refused);
	return failures || bad_files ? 1 : 0;
}
