// SPDX-License-Identifier: GPL-2.0
/* bpf_strtol, bpf_strtoul and bpf_strncmp over inputs the caller gives;
 * bpf_jiffies64, bpf_get_numa_node_id and bpf_ktime_get_tai_ns. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NCASES 16
#define LEN 24

struct args {
	char in[NCASES][LEN];
	__u32 len[NCASES];
	__u64 flags[NCASES];
	__s64 lret[NCASES], lval[NCASES];
	__s64 uret[NCASES], uval[NCASES];
	__s64 cmp[4];
	__u64 jiffies[2];
	__u64 numa;
	__u64 tai;
};

SEC("syscall")
int parse(struct args *ctx)
{
	char buf[LEN];

#pragma unroll
	for (int i = 0; i < NCASES; i++) {
		__u32 n = ctx->len[i];
		long v = 0x5555 /* overwritten, also on errors */;
		unsigned long u = 0x5555 /* overwritten, also on errors */;

		if (n < 1 || n > LEN)
			n = 1;
		__builtin_memcpy(buf, ctx->in[i], LEN);
		ctx->lret[i] = bpf_strtol(buf, n, ctx->flags[i], &v);
		ctx->lval[i] = v;
		ctx->uret[i] = bpf_strtoul(buf, n, ctx->flags[i], &u);
		ctx->uval[i] = u;
	}
	__builtin_memcpy(buf, "hello\0xx", 8);
	ctx->cmp[0] = bpf_strncmp(buf, 3, "help");
	ctx->cmp[1] = bpf_strncmp(buf, 4, "help");
	ctx->cmp[2] = bpf_strncmp(buf, 8, "hella");
	ctx->cmp[3] = bpf_strncmp(buf, 8, "hello");
	ctx->jiffies[0] = bpf_jiffies64();
	ctx->jiffies[1] = bpf_jiffies64();
	ctx->numa = bpf_get_numa_node_id();
	ctx->tai = bpf_ktime_get_tai_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
