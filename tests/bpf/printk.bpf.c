// SPDX-License-Identifier: GPL-2.0
/* bpf_printk (bpf_trace_printk) and bpf_get_current_comm. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__s32 n;
	__u32 x;
	__s64 ret;
	__s64 bad;
	char comm[16];
};

SEC("syscall")
int say(struct args *ctx)
{
	char bad[] = "%y";
	char comm[16];

	ctx->ret = bpf_printk("n=%d x=%x s=%s", ctx->n, ctx->x, "str");
	ctx->bad = bpf_trace_printk(bad, sizeof(bad));
	bpf_get_current_comm(comm, sizeof(comm));
	__builtin_memcpy(ctx->comm, comm, sizeof(comm));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
