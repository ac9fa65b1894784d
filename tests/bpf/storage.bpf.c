// SPDX-License-Identifier: GPL-2.0
/* Local storage: a cgroup storage and a per-CPU cgroup storage that a
 * CGROUP_SKB program reaches with bpf_get_local_storage, and a socket storage
 * that tc and CGROUP_SKB programs reach with bpf_sk_storage_get and
 * bpf_sk_storage_delete on the socket a test run gives __sk_buff.sk. What
 * each program sees lands in the global `out` (the .bss, at offset 0), which
 * tests/libbpf/test_storage.c reads; the mode of the socket program comes in
 * cb[0] through ctx_in. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cg_val {
	__u64 count;
	__u64 untouched; /* never written: shows that the storage starts zeroed */
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 locked;
};

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, struct cg_val);
} cg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, __u64);
	__type(value, __u64);
} pcg SEC(".maps");

struct sk_val {
	__u64 count;
	__u64 init;
	struct bpf_spin_lock lock;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sk_val);
} sks SEC(".maps");

/* the same layout in tests/libbpf/test_storage.c */
struct out {
	__u64 runs; /* every run of cg_count: globals outlive a test run */
	__u64 cg_count, cg_untouched, cg_locked, pcg_count;
	__u64 same_ptr; /* bpf_get_local_storage twice: one storage */
	__u64 sk_before, sk_count, sk_init, sk_bad_flags, sk_null_value;
	__s64 sk_del, sk_del_again, sk_after_del, sk_recreated;
	__u64 cg_sk_count;
} out;

SEC("cgroup_skb/egress")
int cg_count(struct __sk_buff *skb)
{
	struct cg_val *v = bpf_get_local_storage(&cg, 0);
	__u64 *p = bpf_get_local_storage(&pcg, 0);

	out.runs++;
	v->count++;
	bpf_spin_lock(&v->lock);
	v->locked += 2;
	bpf_spin_unlock(&v->lock);
	*p += 10;
	out.cg_count = v->count;
	out.cg_untouched = v->untouched;
	out.cg_locked = v->locked;
	out.pcg_count = *p;
	out.same_ptr = v == bpf_get_local_storage(&cg, 0);
	return 1;
}

/* cb[0] 0: look up (not there the first time), create from a value on the
 * stack, count. 1: a bad flag, creation with no value, delete, delete
 * again, look up after, create again. */
SEC("tc")
int sk_count(struct __sk_buff *skb)
{
	struct sk_val init = {.count = 100, .init = 7};
	struct bpf_sock *sk = skb->sk;
	struct sk_val *v;

	if (!sk)
		return -1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return -2;
	if (skb->cb[0] == 0) {
		v = bpf_sk_storage_get(&sks, sk, 0, 0);
		out.sk_before = v ? v->count : 0xdead;
		v = bpf_sk_storage_get(&sks, sk, &init, BPF_SK_STORAGE_GET_F_CREATE);
		if (!v)
			return -3;
		v->count++;
		out.sk_count = v->count;
		out.sk_init = v->init;
		return (int)v->count;
	}
	v = bpf_sk_storage_get(&sks, sk, 0, 2);
	out.sk_bad_flags = v ? 1 : 0;
	v = bpf_sk_storage_get(&sks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!v)
		return -4;
	out.sk_null_value = v->count + v->init + 1;
	out.sk_del = bpf_sk_storage_delete(&sks, sk);
	out.sk_del_again = bpf_sk_storage_delete(&sks, sk);
	out.sk_after_del = bpf_sk_storage_get(&sks, sk, 0, 0) ? 1 : 0;
	v = bpf_sk_storage_get(&sks, sk, &init, BPF_SK_STORAGE_GET_F_CREATE);
	out.sk_recreated = v ? (__s64)v->count : -1;
	return 0;
}

/* the socket storage from a CGROUP_SKB program, on skb->sk itself */
SEC("cgroup_skb/ingress")
int cg_sk(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct sk_val *v;

	if (!sk)
		return 0;
	v = bpf_sk_storage_get(&sks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->count++;
	bpf_spin_unlock(&v->lock);
	out.cg_sk_count = v->count;
	return 1;
}

char _license[] SEC("license") = "GPL";
