// SPDX-License-Identifier: GPL-2.0
/* The current task's cgroup, pid namespace and network namespace, signals to
 * it, bpf_copy_from_user and bpf_map_lookup_percpu_elem: each program writes
 * what the helpers said into the context the caller gives. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__u64 dev, ino; /* the pid namespace asked about */
	__u64 user;	/* a pointer to user memory (bpf_copy_from_user) */
	__u32 sig, cpu;
};

/* what the helpers said (helpers write into memory, not into the context) */
struct results {
	__u64 cgroup, ancestor[6];
	__s64 ns_ret, ns_bad_ret;
	struct bpf_pidns_info ns, ns_bad;
	__s64 copy_ret, copy_bad_ret;
	__u8 copied[16], copied_bad[16];
	__s64 percpu;
	__u64 netns;
} res;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

SEC("syscall")
int ident(struct args *a)
{
	res.cgroup = bpf_get_current_cgroup_id();
#pragma unroll
	for (int i = 0; i < 6; i++)
		res.ancestor[i] = bpf_get_current_ancestor_cgroup_id(i);
	res.ns_ret = bpf_get_ns_current_pid_tgid(a->dev, a->ino, &res.ns, sizeof(res.ns));
	res.ns_bad_ret =
		bpf_get_ns_current_pid_tgid(a->dev, a->ino + 1, &res.ns_bad, sizeof(res.ns_bad));
	return 0;
}

SEC("syscall")
int signal_process(struct args *a)
{
	return bpf_send_signal(a->sig);
}

SEC("syscall")
int signal_thread(struct args *a)
{
	return bpf_send_signal_thread(a->sig);
}

SEC("syscall")
int copy(struct args *a)
{
	res.copy_ret = bpf_copy_from_user(res.copied, sizeof(res.copied), (void *)a->user);
	res.copy_bad_ret = bpf_copy_from_user(res.copied_bad, sizeof(res.copied_bad), (void *)8);
	return 0;
}

SEC("syscall")
int percpu(struct args *a)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_percpu_elem(&per_cpu, &key, a->cpu);

	res.percpu = v ? (__s64)*v : -1;
	return 0;
}

SEC("tc")
int netns(struct __sk_buff *skb)
{
	res.netns = bpf_get_netns_cookie(skb);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
