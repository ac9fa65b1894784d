/* BPF_PROG_TYPE_RAW_TRACEPOINT: the context is the tracepoint's arguments,
 * an array of u64; its BPF_PROG_TEST_RUN as the kernel's
 * bpf_prog_test_run_raw_tp (net/bpf/test_run.c): ctx_in is the arguments
 * (at most MAX_BPF_FUNC_ARGS of them), no data, no ctx_out, no repeat;
 * BPF_F_TEST_RUN_ON_CPU picks the CPU (-ENXIO for one that does not exist);
 * only retval comes back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progtype.h"

#define MAX_ARGS 12 /* MAX_BPF_FUNC_ARGS */

static int test_run(struct progtype_test *t, union bpf_attr *attr)
{
	const void *in = (const void *)(uintptr_t)attr->test.ctx_in;
	uint32_t size = attr->test.ctx_size_in, cpu = attr->test.cpu;
	uint64_t args[MAX_ARGS];
	long ncpus;
	int err;

	if (attr->test.data_in || attr->test.data_out || attr->test.ctx_out ||
	    attr->test.duration || attr->test.repeat || attr->test.batch_size)
		return -EINVAL;
	if (size > sizeof(args))
		return -EINVAL;
	if (!(attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && cpu)
		return -EINVAL;
	if (size && !in)
		return -EFAULT;
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if ((attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && cpu >= (uint32_t)ncpus)
		return -ENXIO;
	memset(args, 0, sizeof(args));
	if (size)
		memcpy(args, in, size);
	t->run->args[0] = size ? (uint64_t)(uintptr_t)args : 0;
	if (size && vm_run_add_ctx(t->run, args, size, false, progtype_raw_tracepoint.ctx_access))
		return -ENOMEM;
	if (attr->test.flags & BPF_F_TEST_RUN_ON_CPU)
		t->run->cpu = cpu;
	err = t->exec(t);
	if (err)
		return err;
	attr->test.retval = (uint32_t)t->run->r0;
	return 0;
}

/* the arguments: read only, any aligned size (bpf_tracing_ctx_access) */
static bool ctx_access(uint32_t off, uint32_t size, bool write)
{
	return !write && off % size == 0;
}

const struct progtype progtype_raw_tracepoint = {
	.name = "raw_tracepoint",
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.ctx_size = 0, /* as many arguments as the tracepoint has */
	.ctx_max = MAX_ARGS * 8,
	.ctx_plain = true,
	.ctx_access = ctx_access,
	.test_run = test_run,
};
