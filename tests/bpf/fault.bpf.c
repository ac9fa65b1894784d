// SPDX-License-Identifier: GPL-2.0
/* An unsafe XDP program for tests/libbpf/test_fault.c and tests/run_pcap.sh:
 * it reads the packet past data_end without a bounds check. The kernel's
 * verifier refuses it at load; bpfhost (until its verifier) runs it in the
 * checked interpreter, which stops it at the bad read and says where. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int read_past_end(struct xdp_md *ctx)
{
	unsigned char *data = (unsigned char *)(long)ctx->data;

	/* byte 1000 of any frame shorter than 1001 bytes: outside the packet */
	return data[1000] == 0x42 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
