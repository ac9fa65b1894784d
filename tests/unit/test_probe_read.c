/* bpf_probe_read_user/kernel[_str]: reads of this process's memory that a
 * bad address turns into -EFAULT (destination zeroed), never a crash. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../src/helpers/kernel.h"
#include "../../src/isa/isa.h"
#include "../../src/util/log.h"
#include "../../src/vm/vm.h"
#include "test_util.h"

static const char secret[] = "hello, bpf";

/* r0 = helper(dst = r1 (8 bytes of mem), size r2, src r3); mem gets dst */
static uint64_t call(int helper, uint64_t src, uint32_t size, uint8_t *mem)
{
	char text[256], logbuf[256];
	struct bpf_insn *insns;
	struct vm_prog *prog;
	struct vm_run *run = malloc(sizeof(*run));
	struct ulog log;
	size_t cnt;
	uint64_t r0 = 12345;

	snprintf(text, sizeof(text), "call %d\nexit\n", helper);
	ulog_init(&log, logbuf, sizeof(logbuf));
	if (!run || isa_asm(text, &insns, &cnt, &log) || vm_prog_create(insns, cnt, &log, &prog)) {
		free(run);
		return r0;
	}
	vm_run_init(run, prog);
	run->helpers = kernel_helpers();
	run->args[0] = (uint64_t)(uintptr_t)mem;
	run->args[1] = size;
	run->args[2] = src;
	vm_run_add_region(run, mem, 16, "mem", true);
	if (vm_exec_checked(run) == 0)
		r0 = run->r0;
	vm_prog_free(prog);
	free(insns);
	free(run);
	return r0;
}

int main(void)
{
	uint8_t mem[16];
	uint8_t *gap = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(mem, 0x55, sizeof(mem));
	CHECK(call(BPF_FUNC_probe_read_user, (uint64_t)(uintptr_t)secret, 5, mem) == 0 &&
		      !memcmp(mem, "hello", 5),
	      "probe_read_user reads");
	memset(mem, 0x55, sizeof(mem));
	CHECK(call(BPF_FUNC_probe_read_kernel, 0, 8, mem) == (uint64_t)-EFAULT &&
		      !memcmp(mem, "\0\0\0\0\0\0\0\0", 8),
	      "NULL: -EFAULT, destination zeroed");
	memset(mem, 0x55, sizeof(mem));
	CHECK(call(BPF_FUNC_probe_read_user_str, (uint64_t)(uintptr_t)secret, 16, mem) == 11 &&
		      !strcmp((char *)mem, "hello, bpf"),
	      "str: length with its NUL");
	memset(mem, 0x55, sizeof(mem));
	CHECK(call(BPF_FUNC_probe_read_kernel_str, (uint64_t)(uintptr_t)secret, 6, mem) == 6 &&
		      !strcmp((char *)mem, "hello"),
	      "str cut to size - 1 and a NUL");
	CHECK(call(BPF_FUNC_probe_read_str, 8, 8, mem) == (uint64_t)-EFAULT && mem[0] == 0,
	      "str at a bad address");
	/* a string ending right before an unmapped page is read whole */
	if (gap != MAP_FAILED) {
		munmap(gap + 4096, 4096);
		memcpy(gap + 4096 - 3, "ok", 3);
		CHECK(call(BPF_FUNC_probe_read_str, (uint64_t)(uintptr_t)(gap + 4093), 16, mem) ==
				      3 &&
			      !strcmp((char *)mem, "ok"),
		      "string at the end of a page");
		CHECK(call(BPF_FUNC_probe_read, (uint64_t)(uintptr_t)(gap + 4093), 8, mem) ==
			      (uint64_t)-EFAULT,
		      "a read running into an unmapped page");
		munmap(gap, 4096);
	}
	/* the destination must be the program's memory: the checked interpreter says so */
	CHECK(call(BPF_FUNC_probe_read_user, (uint64_t)(uintptr_t)secret, 64, mem) == 12345,
	      "a destination larger than the program's memory faults");
	return TEST_DONE();
}
