/* BPF_PROG_TEST_RUN of RAW_TRACEPOINT programs: the arguments as context,
 * the CPU asked for, and the kernel's refusals, on bpfhost and (where it can
 * be asked) on the running kernel, with the same expectations. */
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>

#include "test_util.h"
#include "backend.h"

static int load(const struct backend *be, const struct bpf_insn *insns, uint32_t cnt)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t) "GPL";
	return be_sys(be, BPF_PROG_LOAD, &a);
}

/* A test run with ctx (size bytes) and the fields given; the retval or -errno. */
static long run(const struct backend *be, int fd, const void *ctx, uint32_t size, uint32_t flags,
		uint32_t cpu, uint32_t repeat, bool with_data)
{
	uint8_t data[64] = {0}, out[16];
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.ctx_in = (uint64_t)(uintptr_t)ctx;
	a.test.ctx_size_in = size;
	a.test.flags = flags;
	a.test.cpu = cpu;
	a.test.repeat = repeat;
	if (with_data) {
		a.test.data_in = (uint64_t)(uintptr_t)data;
		a.test.data_size_in = sizeof(data);
	}
	if (flags == 0xff) { /* ctx_out asked for */
		a.test.flags = 0;
		a.test.ctx_out = (uint64_t)(uintptr_t)out;
		a.test.ctx_size_out = sizeof(out);
	}
	err = be_sys(be, BPF_PROG_TEST_RUN, &a);
	return err ? err : (long)a.test.retval;
}

static void scenario(const struct backend *be)
{
	/* r0 = args[0] + args[1] */
	const struct bpf_insn sum[] = {
		{.code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 0, .src_reg = 1, .off = 0},
		{.code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 2, .src_reg = 1, .off = 8},
		{.code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = 0, .src_reg = 2},
		{.code = BPF_JMP | BPF_EXIT},
	};
	const struct bpf_insn cpu[] = {
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_smp_processor_id},
		{.code = BPF_JMP | BPF_EXIT},
	};
	uint64_t args[13] = {40, 2, 7};
	int s = load(be, sum, 4), c = load(be, cpu, 2);

	CHECK(s >= 0 && c >= 0, "[%s] load: %d %d", be->name, s, c);
	if (s < 0 || c < 0)
		goto out;
	EQ(run(be, s, args, 16, 0, 0, 0, false), 42);
	EQ(run(be, s, args, 96, 0, 0, 0, false), 42);	      /* all 12 arguments */
	EQ(run(be, s, args, 104, 0, 0, 0, false), -EINVAL);   /* 13: too many */
	EQ(run(be, s, args, 16, 0, 0, 0, true), -EINVAL);     /* no data */
	EQ(run(be, s, args, 16, 0, 0, 2, false), -EINVAL);    /* no repeat */
	EQ(run(be, s, args, 16, 0xff, 0, 0, false), -EINVAL); /* no ctx_out */
	EQ(run(be, s, args, 16, 0, 1, 0, false), -EINVAL);    /* a CPU without the flag */
	EQ(run(be, s, args, 16, BPF_F_TEST_RUN_ON_CPU, 9999, 0, false), -ENXIO);
	EQ(run(be, c, NULL, 0, BPF_F_TEST_RUN_ON_CPU, 0, 0, false), 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		EQ(run(be, c, NULL, 0, BPF_F_TEST_RUN_ON_CPU, 1, 0, false), 1);
out:
	be_close(be, s);
	be_close(be, c);
}

int main(void)
{
	const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int kfd = load(&kernel, ret0, 2);

	scenario(&bpfhost);
	if (kfd < 0)
		printf("NOTICE: test_raw_tp: the kernel refuses to load (%s): bpfhost only\n",
		       strerror(-kfd));
	else
		scenario(&kernel);
	be_close(&kernel, kfd);
	return TEST_DONE();
}
