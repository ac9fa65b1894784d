/* BPF_MAP_TYPE_CGROUP_ARRAY (src/maps/cgroup_array.c) and the helpers that
 * read it: bpf_current_task_under_cgroup and bpf_skb_under_cgroup. */
#ifndef BPFHOST_MAPS_CGROUP_ARRAY_H
#define BPFHOST_MAPS_CGROUP_ARRAY_H

#include <linux/bpf.h>

#include "../vm/vm.h"

uint64_t helper_current_task_under_cgroup(uint64_t map, uint64_t index, uint64_t r3, uint64_t r4,
					  uint64_t r5, struct vm_run *run);
uint64_t helper_skb_under_cgroup(uint64_t skb, uint64_t map, uint64_t index, uint64_t r4,
				 uint64_t r5, struct vm_run *run);

/* Their entries in the kernel helper table, by id. */
#define CGROUP_ARRAY_HELPERS                                                                       \
	[BPF_FUNC_current_task_under_cgroup] = {"bpf_current_task_under_cgroup",                   \
						helper_current_task_under_cgroup,                  \
						{VM_ARG_MAP}},                                     \
	[BPF_FUNC_skb_under_cgroup] = {                                                            \
		"bpf_skb_under_cgroup", helper_skb_under_cgroup, {0, VM_ARG_MAP}}

#endif
