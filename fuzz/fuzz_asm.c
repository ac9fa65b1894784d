/* libFuzzer target: arbitrary text -> assembler. Whatever it accepts must
 * disassemble and assemble again to the same bytes; nothing may crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/isa/isa.h"
#include "../src/util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *dis = NULL, logbuf[256];
	struct bpf_insn *insns = NULL, *again = NULL;
	size_t cnt, cnt2, len = 0;
	struct ulog log;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ulog_init(&log, logbuf, sizeof(logbuf));
	if (isa_asm(text, &insns, &cnt, &log))
		goto out;
	dis = malloc(cnt * 96 + 1);
	if (!dis)
		goto out;
	dis[0] = '\0';
	for (size_t i = 0; i < cnt;) {
		int n = isa_disasm_insn(insns, cnt, i, dis + len, 95);

		len += strlen(dis + len);
		dis[len++] = '\n';
		dis[len] = '\0';
		i += n ? (size_t)n : 1;
	}
	if (isa_asm(dis, &again, &cnt2, NULL))
		__builtin_trap();
	if (cnt2 != cnt || (cnt && memcmp(again, insns, cnt * sizeof(*insns))))
		__builtin_trap();
out:
	free(again);
	free(dis);
	free(insns);
	free(text);
	return 0;
}
