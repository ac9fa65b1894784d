// SPDX-License-Identifier: GPL-2.0
/* bpf_spin_lock and bpf_spin_unlock on values of a hash and an array map, and
 * on a lock in global data: under the lock, a and b go up together, so a
 * reader that takes the lock (a program, or user space with BPF_F_LOCK) always
 * sees a == b. Checked by tests/libbpf/test_spinlock.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u64 a;
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val);
} hcounts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val);
} acounts SEC(".maps");

struct args {
	__u32 key;
	__u32 times; /* increments, each under the lock */
	__u64 torn;  /* reads under the lock that saw a != b */
};

static int add(struct val *v, struct args *ctx)
{
	for (__u32 i = 0; i < ctx->times && i < 64; i++) {
		bpf_spin_lock(&v->lock);
		if (v->a != v->b)
			ctx->torn++;
		v->a++;
		v->b++;
		bpf_spin_unlock(&v->lock);
	}
	return 0;
}

SEC("syscall")
int add_hash(struct args *ctx)
{
	__u32 key = ctx->key;
	struct val *v = bpf_map_lookup_elem(&hcounts, &key);

	if (!v)
		return 1;
	return add(v, ctx);
}

SEC("syscall")
int add_array(struct args *ctx)
{
	__u32 key = ctx->key;
	struct val *v = bpf_map_lookup_elem(&acounts, &key);

	if (!v)
		return 1;
	return add(v, ctx);
}

/* a lock in global data: the .bss.G map's value is a datasec */
#define private(name) SEC(".bss." #name) __attribute__((aligned(8), visibility("hidden")))

private(G) struct bpf_spin_lock glock;
private(G) __u64 ga;
private(G) __u64 gb;

SEC("syscall")
int add_global(struct args *ctx)
{
	for (__u32 i = 0; i < ctx->times && i < 64; i++) {
		bpf_spin_lock(&glock);
		if (ga != gb)
			ctx->torn++;
		ga++;
		gb++;
		bpf_spin_unlock(&glock);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
