// SPDX-License-Identifier: GPL-2.0
/* A syscall program that uses a hash map, an array map and global data: the
 * libbpf loader test (tests/libbpf/test_libbpf.c) loads it unchanged. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} keys SEC(".maps");

struct args {
	__u32 key;
	__u32 times;
	__u64 result;
};

__u64 runs = 0;		       /* .bss */
__u64 step = 3;		       /* .data */
const volatile __u64 bias = 0; /* .rodata, set by the loader before load */

SEC("syscall")
int count(struct args *ctx)
{
	__u32 key = ctx->key, zero = 0;
	__u64 init = 0, *v, *t;

	v = bpf_map_lookup_elem(&counts, &key);
	if (!v) {
		bpf_map_update_elem(&counts, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&counts, &key);
		if (!v)
			return -1;
	}
	for (__u32 i = 0; i < ctx->times && i < 100; i++)
		*v += step;
	t = bpf_map_lookup_elem(&totals, &zero);
	if (t)
		*t += ctx->times;
	bpf_map_push_elem(&keys, &key, BPF_EXIST);
	runs++;
	ctx->result = *v + bias;
	return (int)runs;
}

char LICENSE[] SEC("license") = "GPL";
