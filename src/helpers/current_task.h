/* bpf_get_current_task(_btf): the calling thread as a struct task_struct
 * laid out as the running kernel's (src/helpers/current_task.c). */
#ifndef BPFHOST_HELPERS_CURRENT_TASK_H
#define BPFHOST_HELPERS_CURRENT_TASK_H

#include <linux/bpf.h>

#include "../vm/vm.h"

uint64_t helper_get_current_task(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run);
uint64_t helper_get_current_task_btf(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				     uint64_t r5, struct vm_run *run);

/* Their entries in the kernel helper table, by id. */
#define CURRENT_TASK_HELPERS                                                                       \
	[BPF_FUNC_get_current_task] = {"bpf_get_current_task", helper_get_current_task, {0}},      \
	[BPF_FUNC_get_current_task_btf] = {                                                        \
		"bpf_get_current_task_btf", helper_get_current_task_btf, {0}}

#endif
