// SPDX-License-Identifier: GPL-2.0
/* Maps of maps: the program looks an inner map up by the slot its context
 * names and counts into it; user space puts the inner maps in. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} by_name SEC(".maps");

struct args {
	__u32 slot;
	__u32 key;
	__u64 value;
	__s32 found;
};

SEC("syscall")
int count(struct args *ctx)
{
	__u32 slot = ctx->slot, key = ctx->key;
	void *in = bpf_map_lookup_elem(&outer, &slot);
	__u64 *v;

	if (!in)
		in = bpf_map_lookup_elem(&by_name, &slot);
	if (!in) {
		ctx->found = 0;
		return 0;
	}
	v = bpf_map_lookup_elem(in, &key);
	if (!v) {
		ctx->found = -1;
		return 0;
	}
	*v += 1;
	ctx->value = *v;
	ctx->found = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
