/* Helpers about the task a program runs for: its cgroup, its namespaces,
 * signals to it (src/helpers/task.c). In bpfhost the current task is the
 * thread that runs the program, as in a kernel test run or syscall program. */
#ifndef BPFHOST_HELPERS_TASK_H
#define BPFHOST_HELPERS_TASK_H

#include <linux/bpf.h>

#include "../vm/vm.h"
#include "memory.h"

/* Whether the task's cgroup (cgroup2) or one of its ancestors has cgroup id
 * id (its directory's inode number): 1 or 0, as the kernel's
 * task_under_cgroup_hierarchy. */
int task_cgroup_under(uint64_t id);

#define TASK_HELPER_FN(name)                                                                       \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
TASK_HELPER_FN(get_current_cgroup_id);
TASK_HELPER_FN(get_current_ancestor_cgroup_id);
TASK_HELPER_FN(get_ns_current_pid_tgid);
TASK_HELPER_FN(send_signal);
TASK_HELPER_FN(send_signal_thread);
TASK_HELPER_FN(get_netns_cookie);
TASK_HELPER_FN(map_lookup_percpu_elem);

/* Their entries in the kernel helper table, by id. */
#define TASK_HELPERS                                                                               \
	[BPF_FUNC_get_current_cgroup_id] = {"bpf_get_current_cgroup_id",                           \
					    helper_get_current_cgroup_id,                          \
					    {0}},                                                  \
	[BPF_FUNC_get_current_ancestor_cgroup_id] = {"bpf_get_current_ancestor_cgroup_id",         \
						     helper_get_current_ancestor_cgroup_id,        \
						     {0}},                                         \
	[BPF_FUNC_get_ns_current_pid_tgid] = {"bpf_get_ns_current_pid_tgid",                       \
					      helper_get_ns_current_pid_tgid,                      \
					      {0, 0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                 \
	[BPF_FUNC_send_signal] = {"bpf_send_signal", helper_send_signal, {0}},                     \
	[BPF_FUNC_send_signal_thread] = {"bpf_send_signal_thread",                                 \
					 helper_send_signal_thread,                                \
					 {0}},                                                     \
	[BPF_FUNC_get_netns_cookie] = {"bpf_get_netns_cookie", helper_get_netns_cookie, {0}},      \
	[BPF_FUNC_map_lookup_percpu_elem] = {"bpf_map_lookup_percpu_elem",                         \
					     helper_map_lookup_percpu_elem,                        \
					     {VM_ARG_MAP, VM_ARG_MAP_KEY}},                        \
	[BPF_FUNC_copy_from_user] = {"bpf_copy_from_user",                                         \
				     helper_probe_read,                                            \
				     {VM_ARG_MEM_RW, VM_ARG_SIZE},                                 \
				     .might_sleep = true}

#endif
