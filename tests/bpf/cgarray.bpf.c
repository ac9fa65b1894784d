// SPDX-License-Identifier: GPL-2.0
/* BPF_MAP_TYPE_CGROUP_ARRAY's helpers, for tests/libbpf/test_cgarray.c:
 * bpf_current_task_under_cgroup (a raw tracepoint program) and
 * bpf_skb_under_cgroup (tc: the test run's skb has a socket of the caller's
 * cgroup) over every slot of the map, and past its end. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 5

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} cgroups SEC(".maps");

long task_under[SLOTS + 2], skb_under[SLOTS + 2];

SEC("raw_tp")
int task(void *ctx)
{
#pragma unroll
	for (int i = 0; i <= SLOTS; i++)
		task_under[i] = bpf_current_task_under_cgroup(&cgroups, i);
	task_under[SLOTS + 1] = bpf_current_task_under_cgroup(&cgroups, 0xffffffff);
	return 0;
}

SEC("tc")
int skb(struct __sk_buff *skb)
{
#pragma unroll
	for (int i = 0; i <= SLOTS; i++)
		skb_under[i] = bpf_skb_under_cgroup(skb, &cgroups, i);
	skb_under[SLOTS + 1] = bpf_skb_under_cgroup(skb, &cgroups, 0xffffffff);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
