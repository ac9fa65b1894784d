/* BPF_PROG_TYPE_SYSCALL: the context is ctx_in, any bytes the caller gives
 * (at most 65535), which the program may read and write and which go back
 * to ctx_in when it is done; no data, no ctx_out, no repeat, no flags (the
 * kernel's bpf_prog_test_run_syscall). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "progtype.h"

#define CTX_MAX 65535u /* U16_MAX */

static int test_run(struct progtype_test *t, union bpf_attr *attr)
{
	void *in = (void *)(uintptr_t)attr->test.ctx_in, *ctx = NULL;
	uint32_t size = attr->test.ctx_size_in;
	int err;

	if (attr->test.data_in || attr->test.data_out || attr->test.data_size_in ||
	    attr->test.data_size_out || attr->test.ctx_out || attr->test.ctx_size_out ||
	    attr->test.repeat || attr->test.flags || attr->test.duration || attr->test.batch_size)
		return -EINVAL;
	if (size > CTX_MAX)
		return -EINVAL;
	if (size) {
		if (!in)
			return -EFAULT;
		ctx = malloc(size);
		if (!ctx)
			return -ENOMEM;
		memcpy(ctx, in, size);
		if (vm_run_add_ctx(t->run, ctx, size, true, progtype_syscall.ctx_access)) {
			free(ctx);
			return -ENOMEM;
		}
	}
	t->run->args[0] = (uint64_t)(uintptr_t)ctx;
	err = t->exec(t);
	if (!err) {
		attr->test.retval = (uint32_t)t->run->r0;
		if (size)
			memcpy(in, ctx, size);
	}
	free(ctx);
	return err;
}

/* any aligned access (syscall_prog_is_valid_access) */
static bool ctx_access(uint32_t off, uint32_t size, bool write)
{
	(void)write;
	return off % size == 0;
}

const struct progtype progtype_syscall = {
	.name = "syscall",
	.prog_type = BPF_PROG_TYPE_SYSCALL,
	.ctx_size = 0, /* whatever ctx_in holds */
	.ctx_max = CTX_MAX,
	.ctx_plain = true,
	.ctx_writable = true,
	.ctx_access = ctx_access,
	.test_run = test_run,
};
