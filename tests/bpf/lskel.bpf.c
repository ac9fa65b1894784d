// SPDX-License-Identifier: GPL-2.0
/* A small object for a light skeleton (bpftool gen skeleton -L), for
 * tests/libbpf/test_lskel.c: the skeleton's loader program (bpf_sys_bpf)
 * creates the map with the max_entries the test asks, fills .rodata, .data
 * and .bss, freezes .rodata and loads the program with the maps' fds. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u64 bump = 1;
__u64 runs = 7;
__u64 total;

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &k);

	if (v)
		*v += bump;
	total += bump;
	runs++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
