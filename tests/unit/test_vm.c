/* Unit tests of the run API that the data-driven tests cannot reach: read-only
 * regions, helper argument checks, the region limit, programs the runner
 * refuses, and fast/checked agreement on a helper that stops the program. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/helpers/kernel.h"
#include "../../src/isa/isa.h"
#include "../../src/util/log.h"
#include "../../src/vm/vm.h"
#include "test_util.h"

static struct vm_prog *make(const char *text, char *logbuf, size_t len, int *err)
{
	struct bpf_insn *insns;
	struct vm_prog *prog = NULL;
	struct ulog log;
	size_t cnt;

	ulog_init(&log, logbuf, len);
	*err = isa_asm(text, &insns, &cnt, &log);
	if (*err)
		return NULL;
	*err = vm_prog_create(insns, cnt, &log, &prog);
	free(insns);
	return prog;
}

static uint64_t h_sum(uint64_t p, uint64_t n, uint64_t r3, uint64_t r4, uint64_t r5,
		      struct vm_run *run)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)p;
	uint64_t s = 0;

	(void)r3, (void)r4, (void)r5, (void)run;
	for (uint64_t i = 0; i < n; i++)
		s += b[i];
	return s;
}

static uint64_t h_len(uint64_t p, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		      struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return strlen((const char *)(uintptr_t)p);
}

static uint64_t h_stop(uint64_t a, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		       struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	vm_run_stop(run, a + 1);
	return 0;
}

static const struct vm_helper helpers[] = {
	[1] = {"sum", h_sum, {VM_ARG_MEM_RO, VM_ARG_SIZE}},
	[2] = {"len", h_len, {VM_ARG_STR}},
	[3] = {"stop", h_stop, {0}},
};

static int run_with(struct vm_prog *prog, uint8_t *mem, size_t len, bool writable, bool checked,
		    struct vm_run *run)
{
	vm_run_init(run, prog);
	run->helpers = (struct vm_helper_table){helpers, 4};
	run->args[0] = (uint64_t)(uintptr_t)mem;
	run->args[1] = len;
	vm_run_add_region(run, mem, len, "ctx", writable);
	return checked ? vm_exec_checked(run) : vm_exec_fast(run);
}

static void test_read_only_region(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t mem[8] = {1, 2, 3};
	char logbuf[256];
	int err;
	struct vm_prog *p = make("r0 = *(u8 *)(r1 +2)\n*(u8 *)(r1 +1) = 9\nexit\n", logbuf,
				 sizeof(logbuf), &err);

	CHECK(p && run, "setup: %s", logbuf);
	CHECK(run_with(p, mem, 8, false, true, run) == -EFAULT &&
		      strstr(run->fault.msg,
			     "insn 1: invalid write of 1 bytes at ctx+1: region is read-only"),
	      "%s", run->fault.msg);
	CHECK(mem[1] == 2, "read-only memory was written");
	CHECK(run_with(p, mem, 8, true, true, run) == 0 && run->r0 == 3 && mem[1] == 9,
	      "writable: err, r0 %llu", (unsigned long long)run->r0);
	vm_prog_free(p);
	free(run);
}

static void test_helper_args(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t mem[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	char logbuf[256];
	int err;
	struct vm_prog *sum = make("r2 = 8\ncall 1\nexit\n", logbuf, sizeof(logbuf), &err);
	struct vm_prog *over = make("r2 = 9\ncall 1\nexit\n", logbuf, sizeof(logbuf), &err);
	struct vm_prog *str = make("call 2\nexit\n", logbuf, sizeof(logbuf), &err);
	struct vm_prog *unknown = make("call 7\nexit\n", logbuf, sizeof(logbuf), &err);

	CHECK(run_with(sum, mem, 8, false, true, run) == 0 && run->r0 == 36, "sum of 8 bytes");
	CHECK(run_with(over, mem, 8, false, true, run) == -EFAULT &&
		      strstr(run->fault.msg, "insn 1: helper sum: argument R1") &&
		      strstr(run->fault.msg, "size 9"),
	      "%s", run->fault.msg);
	/* a string with no NUL inside its region is refused before the helper runs */
	CHECK(run_with(str, mem, 8, false, true, run) == -EFAULT &&
		      strstr(run->fault.msg, "helper len: argument R1"),
	      "%s", run->fault.msg);
	mem[7] = 0;
	CHECK(run_with(str, mem, 8, false, true, run) == 0 && run->r0 == 7, "strlen %llu",
	      (unsigned long long)run->r0);
	for (int checked = 0; checked < 2; checked++)
		CHECK(run_with(unknown, mem, 8, false, checked, run) == -EINVAL &&
			      strstr(run->fault.msg, "insn 0: call to unknown helper 7"),
		      "%s", run->fault.msg);
	vm_prog_free(sum);
	vm_prog_free(over);
	vm_prog_free(str);
	vm_prog_free(unknown);
	free(run);
}

static void test_helper_stops_program(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t mem[1];
	char logbuf[256];
	int err;
	struct vm_prog *p = make("r1 = 41\ncall 3\nr0 = 7\nexit\n", logbuf, sizeof(logbuf), &err);

	for (int checked = 0; checked < 2; checked++)
		CHECK(run_with(p, mem, 1, true, checked, run) == 0 && run->r0 == 42,
		      "checked=%d r0 %llu", checked, (unsigned long long)run->r0);
	vm_prog_free(p);
	free(run);
}

static void test_region_limit(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t b;

	vm_run_init(run, NULL);
	for (int i = 0; i < VM_MAX_REGIONS; i++)
		CHECK(vm_run_add_region(run, &b, 1, "r", false) == 0, "region %d", i);
	CHECK(vm_run_add_region(run, &b, 1, "r", false) == -ENOSPC, "region past the limit");
	vm_run_init(run, NULL);
	CHECK(vm_run_add_region(run, (void *)(uintptr_t)-16, 32, "wrap", false) == -EINVAL,
	      "a region that wraps around the address space");
	free(run);
}

static void test_refused_programs(void)
{
	char logbuf[256];
	int err;
	struct vm_prog *p = make("r1 = map_fd(3) ll\nexit\n", logbuf, sizeof(logbuf), &err);

	CHECK(!p && err == -EINVAL && strstr(logbuf, "insn 0: LDDW_MAP_FD is not supported"), "%s",
	      logbuf);
	p = make("call kfunc 5\nexit\n", logbuf, sizeof(logbuf), &err);
	CHECK(!p && err == -EINVAL && strstr(logbuf, "insn 0: CALL_KFUNC is not supported"), "%s",
	      logbuf);
}

/* The callee may use the caller's frame through a pointer, but not the
 * unused frames below its own. */
static void test_stack_frames(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t mem[1];
	char logbuf[256];
	int err;
	struct vm_prog *ok = make("*(u64 *)(r10 -8) = 5\nr1 = r10\nr1 += -8\ncall f\nexit\n"
				  "f:\nr0 = *(u64 *)(r1 +0)\nexit\n",
				  logbuf, sizeof(logbuf), &err);
	struct vm_prog *deep = make("call f\nexit\nf:\nr0 = *(u64 *)(r10 -520)\nexit\n", logbuf,
				    sizeof(logbuf), &err);
	struct vm_prog *above = make("r0 = *(u8 *)(r10 +0)\nexit\n", logbuf, sizeof(logbuf), &err);

	CHECK(run_with(ok, mem, 1, true, true, run) == 0 && run->r0 == 5, "caller's frame");
	CHECK(run_with(deep, mem, 1, true, true, run) == -EFAULT &&
		      strstr(run->fault.msg, "insn 2: invalid read of 8 bytes at r10-520 in frame "
					     "1: outside the live stack"),
	      "%s", run->fault.msg);
	CHECK(run_with(above, mem, 1, true, true, run) == -EFAULT &&
		      strstr(run->fault.msg, "insn 0: invalid read of 1 bytes at r10+0 in frame 0: "
					     "outside the live stack"),
	      "%s", run->fault.msg);
	vm_prog_free(ok);
	vm_prog_free(deep);
	vm_prog_free(above);
	free(run);
}

/* bpf_tail_call in the interpreter: a target replaces the program in the same
 * frame with r1 kept; an empty slot falls through with r0 untouched; at most
 * 33 tail calls per run. The test's "prog array" is an array of programs. */
static struct vm_prog *tc_targets[4];

static int tc_target(struct vm_run *run, uint64_t map, uint64_t index, struct vm_target *out)
{
	(void)run, (void)map;
	if (index >= 4 || !tc_targets[index])
		return -1;
	out->prog = tc_targets[index];
	out->maps = run->maps;
	out->map_cnt = run->map_cnt;
	return 0;
}

static uint64_t tc_never(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			 struct vm_run *run)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)run;
	return 0;
}

static void test_tail_calls(void)
{
	static const struct vm_helper tc_helpers[13] = {
		[12] = {"bpf_tail_call", tc_never, {0}, true},
	};
	struct vm_run *run = malloc(sizeof(*run));
	uint8_t mem[8] = {0};
	char logbuf[256];
	int err;
	/* entry: r0 = 7; tail call slot r1[0]; r0 += 100 (only on fall-through) */
	struct vm_prog *entry = make("r6 = r1\nr0 = 7\nr3 = *(u8 *)(r1 +0)\nr2 = 0\n"
				     "call 12\nr0 += 100\nexit\n",
				     logbuf, sizeof(logbuf), &err);
	/* target: returns r1's first byte + 1000: r1 must still be the context */
	struct vm_prog *target =
		make("r0 = *(u8 *)(r1 +0)\nr0 += 1000\nexit\n", logbuf, sizeof(logbuf), &err);
	/* again: counts in mem[1], tail-calls slot 2 (itself) */
	struct vm_prog *again = make("r2 = *(u8 *)(r1 +1)\nr2 += 1\n*(u8 *)(r1 +1) = r2\n"
				     "r3 = 2\nr2 = 0\ncall 12\nr0 = 5\nexit\n",
				     logbuf, sizeof(logbuf), &err);

	for (int checked = 0; checked < 2; checked++) {
		memset(tc_targets, 0, sizeof(tc_targets));
		mem[0] = 1;
		vm_run_init(run, entry);
		run->helpers = (struct vm_helper_table){tc_helpers, 13};
		run->tail_call = tc_target;
		run->args[0] = (uint64_t)(uintptr_t)mem;
		vm_run_add_region(run, mem, sizeof(mem), "ctx", true);
		CHECK((checked ? vm_exec_checked(run) : vm_exec_fast(run)) == 0 && run->r0 == 107,
		      "empty slot falls through, r0 kept: %llu", (unsigned long long)run->r0);
		tc_targets[1] = target;
		vm_run_init(run, entry);
		run->helpers = (struct vm_helper_table){tc_helpers, 13};
		run->tail_call = tc_target;
		run->args[0] = (uint64_t)(uintptr_t)mem;
		vm_run_add_region(run, mem, sizeof(mem), "ctx", true);
		CHECK((checked ? vm_exec_checked(run) : vm_exec_fast(run)) == 0 && run->r0 == 1001,
		      "slot 1 jumps to the target with the same context: %llu",
		      (unsigned long long)run->r0);
		tc_targets[2] = again;
		mem[0] = 2;
		mem[1] = 0;
		vm_run_init(run, entry);
		run->helpers = (struct vm_helper_table){tc_helpers, 13};
		run->tail_call = tc_target;
		run->args[0] = (uint64_t)(uintptr_t)mem;
		vm_run_add_region(run, mem, sizeof(mem), "ctx", true);
		CHECK((checked ? vm_exec_checked(run) : vm_exec_fast(run)) == 0 && run->r0 == 5 &&
			      mem[1] == 33 && run->tail_calls == 33,
		      "a self tail call stops after 33: ran %u times", mem[1]);
	}
	/* from a subprogram: the target's exit returns to the subprogram's caller */
	struct vm_prog *sub = make("call f\nr0 += 1000\nexit\nf:\nr3 = 1\nr2 = 0\ncall 12\n"
				   "r0 = 5\nexit\n",
				   logbuf, sizeof(logbuf), &err);
	struct vm_prog *seven = make("r0 = 7\nexit\n", logbuf, sizeof(logbuf), &err);

	for (int checked = 0; checked < 2; checked++) {
		memset(tc_targets, 0, sizeof(tc_targets));
		tc_targets[1] = seven;
		vm_run_init(run, sub);
		run->helpers = (struct vm_helper_table){tc_helpers, 13};
		run->tail_call = tc_target;
		CHECK((checked ? vm_exec_checked(run) : vm_exec_fast(run)) == 0 &&
			      run->r0 == 1007 && run->prog == sub,
		      "tail call from a subprogram returns to its caller: %llu",
		      (unsigned long long)run->r0);
	}
	vm_prog_free(sub);
	vm_prog_free(seven);
	vm_prog_free(entry);
	vm_prog_free(target);
	vm_prog_free(again);
	free(run);
}

/* Callbacks (bpf_loop): a callback's fault ends the whole run with its
 * message; callbacks nest in frames below their caller, up to 8 frames. */
static int run_kernel(struct vm_prog *p, bool checked, struct vm_run *run)
{
	vm_run_init(run, p);
	run->helpers = kernel_helpers();
	return checked ? vm_exec_checked(run) : vm_exec_fast(run);
}

static void test_callbacks(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	char logbuf[256];
	int err;
	/* sum 0..9 through a callback that adds i to *(u64 *)ctx */
	struct vm_prog *sum = make("*(u64 *)(r10 -8) = 0\nr1 = 10\nr2 = func(cb) ll\nr3 = r10\n"
				   "r3 += -8\nr4 = 0\ncall 181\nr0 = *(u64 *)(r10 -8)\nexit\n"
				   "cb:\nr3 = *(u64 *)(r2 +0)\nr3 += r1\n*(u64 *)(r2 +0) = r3\n"
				   "r0 = 0\nexit\n",
				   logbuf, sizeof(logbuf), &err);
	/* the callback reads memory it was not given */
	struct vm_prog *bad = make("r1 = 3\nr2 = func(cb) ll\nr3 = 0\nr4 = 0\ncall 181\n"
				   "r0 = 7\nexit\ncb:\nr0 = *(u64 *)(r2 +0)\nexit\n",
				   logbuf, sizeof(logbuf), &err);
	/* each callback calls bpf_loop again: frames run out */
	struct vm_prog *deep = make("r1 = 1\nr2 = func(cb) ll\nr3 = 0\nr4 = 0\ncall 181\n"
				    "exit\ncb:\nr1 = 1\nr2 = func(cb) ll\nr3 = 0\nr4 = 0\n"
				    "call 181\nr0 = 0\nexit\n",
				    logbuf, sizeof(logbuf), &err);

	CHECK(sum && bad && deep, "setup: %s", logbuf);
	for (int checked = 0; checked < 2 && sum && bad && deep; checked++) {
		CHECK(run_kernel(sum, checked, run) == 0 && run->r0 == 45, "bpf_loop sum: %llu",
		      (unsigned long long)run->r0);
	}
	CHECK(bad && run_kernel(bad, true, run) == -EFAULT &&
		      strstr(run->fault.msg, "insn 8: invalid read of 8 bytes at 0x0"),
	      "callback fault: %s", run->fault.msg);
	CHECK(deep && run_kernel(deep, true, run) == -EINVAL &&
		      strstr(run->fault.msg, "call stack too deep"),
	      "nested callbacks: %s", run->fault.msg);
	vm_prog_free(sum);
	vm_prog_free(bad);
	vm_prog_free(deep);
	free(run);
}

/* bpf_strtol's result pointer: 8 bytes the program may write (the checked
 * interpreter refuses a read-only region before the call). */
static void test_long_out(void)
{
	struct vm_run *run = malloc(sizeof(*run));
	char logbuf[256];
	int err;
	uint64_t res = 99;
	struct vm_prog *p = make("r6 = r1\n*(u16 *)(r10 -8) = 0x3231\nr1 = r10\nr1 += -8\n"
				 "r2 = 2\nr3 = 0\nr4 = r6\ncall 105\nexit\n",
				 logbuf, sizeof(logbuf), &err);

	CHECK(p, "setup: %s", logbuf);
	for (int writable = 0; writable < 2 && p; writable++) {
		vm_run_init(run, p);
		run->helpers = kernel_helpers();
		run->args[0] = (uint64_t)(uintptr_t)&res;
		vm_run_add_region(run, &res, sizeof(res), "res", writable);
		err = vm_exec_checked(run);
		if (writable)
			CHECK(err == 0 && run->r0 == 2 && res == 12,
			      "strtol: %d, r0 %llu, res %llu", err, (unsigned long long)run->r0,
			      (unsigned long long)res);
		else
			CHECK(err == -EFAULT && res == 99 &&
				      strstr(run->fault.msg, "helper bpf_strtol: argument R4") &&
				      strstr(run->fault.msg, "size 8) is not memory the program "
							     "may write"),
			      "strtol into read-only memory: %d %s", err, run->fault.msg);
	}
	vm_prog_free(p);
	free(run);
}

int main(void)
{
	test_read_only_region();
	test_helper_args();
	test_helper_stops_program();
	test_region_limit();
	test_refused_programs();
	test_stack_frames();
	test_tail_calls();
	test_callbacks();
	test_long_out();
	return TEST_DONE();
}
