// SPDX-License-Identifier: GPL-2.0
/* bpf_for_each_map_elem over a hash map and an array map: sums values, stops
 * at a key, and updates values through the pointer it is given. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} l SEC(".maps");

struct args {
	__u32 stop_key;
	__u32 pad;
	__u64 sum;
	__s64 visited;
	__s64 visited_array;
	__u64 array_sum;
	__s64 visited_lru;
	__u64 lru_sum;
};

struct cb_ctx {
	__u64 sum;
	__u32 stop_key;
};

static long add(void *map, __u32 *key, __u64 *val, struct cb_ctx *c)
{
	c->sum += *val;
	*val += 1; /* values may be written through the pointer */
	return *key == c->stop_key ? 1 : 0;
}

static long add_index(void *map, __u32 *key, __u64 *val, struct cb_ctx *c)
{
	c->sum += *key;
	return 0;
}

SEC("syscall")
int walk(struct args *ctx)
{
	struct cb_ctx c = {.sum = 0, .stop_key = ctx->stop_key};
	struct cb_ctx d = {.sum = 0, .stop_key = 0};

	ctx->visited = bpf_for_each_map_elem(&h, add, &c, 0);
	ctx->sum = c.sum;
	ctx->visited_array = bpf_for_each_map_elem(&a, add_index, &d, 0);
	ctx->array_sum = d.sum;
	d.sum = 0;
	d.stop_key = 1000;
	ctx->visited_lru = bpf_for_each_map_elem(&l, add, &d, 0);
	ctx->lru_sum = d.sum;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
