/* libFuzzer target: bytes -> validate -> checked interpreter, and
 * disassemble -> assemble -> the same bytes, for any bytes at all.
 * Input: byte 0 = memory length (0-255), then that many memory bytes, then
 * instructions. The memory gets its own allocation so that ASan catches any
 * access the checked interpreter lets past its regions; the run gets a small
 * instruction budget so loops end. Any crash or trap is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/helpers/testenv.h"
#include "../src/isa/isa.h"
#include "../src/util/log.h"
#include "../src/vm/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text_roundtrip(const struct bpf_insn *insns, size_t cnt)
{
	size_t cap = cnt * 96 + 1, len = 0, cnt2;
	char *text = malloc(cap);
	struct bpf_insn *again;

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
	if (isa_asm(text, &again, &cnt2, NULL))
		__builtin_trap(); /* any disassembly must assemble */
	if (cnt2 != cnt || memcmp(again, insns, cnt * sizeof(*insns)))
		__builtin_trap(); /* ... back to the same bytes */
	free(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_insn *insns;
	struct vm_prog *prog;
	struct vm_run *run;
	uint8_t *mem;
	size_t mem_len, cnt;
	char logbuf[512];
	struct ulog log;

	if (size < 1)
		return 0;
	mem_len = data[0];
	if (size < 1 + mem_len)
		return 0;
	cnt = (size - 1 - mem_len) / sizeof(struct bpf_insn);
	insns = malloc(cnt * sizeof(*insns) + 1);
	mem = malloc(mem_len + 1);
	run = malloc(sizeof(*run));
	if (!insns || !mem || !run)
		goto out;
	memcpy(mem, data + 1, mem_len);
	memcpy(insns, data + 1 + mem_len, cnt * sizeof(*insns));
	ulog_init(&log, logbuf, sizeof(logbuf));
	if (cnt)
		check_text_roundtrip(insns, cnt);
	if (vm_prog_create(insns, cnt, &log, &prog))
		goto out;
	vm_run_init(run, prog);
	run->helpers = testenv_helpers();
	run->args[0] = (uint64_t)(uintptr_t)mem;
	run->args[1] = mem_len;
	run->pkt = mem;
	run->pkt_len = mem_len;
	run->insn_limit = 20000;
	vm_run_add_region(run, mem, mem_len, "mem", true);
	vm_exec_checked(run);
	vm_prog_free(prog);
out:
	free(run);
	free(mem);
	free(insns);
	return 0;
}
