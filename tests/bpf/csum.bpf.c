// SPDX-License-Identifier: GPL-2.0
/* bpf_csum_diff as XDP programs use it: pushing, pulling and diffing 32-bit
 * words of the packet with a seed, and the sizes it refuses. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__s64 res[12];

SEC("xdp")
int csum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 buf[16];

	if (data + 520 > end)
		return XDP_ABORTED;
	__builtin_memcpy(buf, data, sizeof(buf));
	res[0] = bpf_csum_diff(0, 0, buf, 20, 0);		 /* an IPv4 header's sum */
	res[1] = bpf_csum_diff(buf, 8, buf + 2, 12, 0x12345678); /* diffing */
	res[2] = bpf_csum_diff(buf, 16, 0, 0, 0xffff);		 /* pulling */
	res[3] = bpf_csum_diff(0, 0, buf, 64, 0xfffffffe);	 /* pushing, with carries */
	res[4] = bpf_csum_diff(buf, 6, 0, 0, 0);		 /* not whole words */
	res[5] = bpf_csum_diff(0, 0, 0, 0, 0xabcd);		 /* nothing: the seed */
	res[6] = bpf_csum_diff(buf, 4, buf, 4, 7);		 /* x - x */
	res[7] = bpf_csum_diff(data, 64, 0, 0, 0);		 /* straight from the packet */
	res[8] = bpf_csum_diff(0, 0, 0, 0, 0x12345678);		 /* a seed wider than 16 bits */
	res[9] = bpf_csum_diff(data, 256, data, 260, 0);	 /* more than 512 bytes */
	res[10] = bpf_csum_diff(buf, 3, 0, 0, 0);		 /* an odd size */
	res[11] = bpf_csum_diff(0, 0, data, 516, 1);		 /* more than 512 bytes */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
