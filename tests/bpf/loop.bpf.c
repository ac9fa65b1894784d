// SPDX-License-Identifier: GPL-2.0
/* bpf_loop with a callback that sums into its context and stops early. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__u32 n;
	__u32 stop_at;
	__u64 sum;
	__s64 ret;
};

struct loop_ctx {
	__u64 sum;
	__u32 stop_at;
};

static long add(__u32 i, void *data)
{
	struct loop_ctx *c = data;

	if (i == c->stop_at)
		return 1;
	c->sum += i;
	return 0;
}

SEC("syscall")
int sum(struct args *ctx)
{
	struct loop_ctx c = {.sum = 0, .stop_at = ctx->stop_at};

	ctx->ret = bpf_loop(ctx->n, add, &c, 0);
	ctx->sum = c.sum;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
