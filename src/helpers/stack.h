/* The stack helpers: bpf_get_stackid, bpf_get_stack, bpf_get_task_stack
 * (src/helpers/stack.c). The stack is the user-space stack of the process
 * at the hook; bpfhost has no kernel stack. */
#ifndef BPFHOST_HELPERS_STACK_H
#define BPFHOST_HELPERS_STACK_H

#include <linux/bpf.h>

#include "../vm/vm.h"

uint64_t helper_get_stackid(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t r4, uint64_t r5,
			    struct vm_run *run);
uint64_t helper_get_stack(uint64_t ctx, uint64_t buf, uint64_t size, uint64_t flags, uint64_t r5,
			  struct vm_run *run);
uint64_t helper_get_task_stack(uint64_t task, uint64_t buf, uint64_t size, uint64_t flags,
			       uint64_t r5, struct vm_run *run);

/* Their entries in the kernel helper table, by id. */
#define STACK_HELPERS                                                                              \
	[BPF_FUNC_get_stackid] = {"bpf_get_stackid",                                               \
				  helper_get_stackid,                                              \
				  {VM_ARG_ANYTHING, VM_ARG_MAP}},                                  \
	[BPF_FUNC_get_stack] = {"bpf_get_stack",                                                   \
				helper_get_stack,                                                  \
				{VM_ARG_ANYTHING, VM_ARG_MEM_RW, VM_ARG_SIZE}},                    \
	[BPF_FUNC_get_task_stack] = {"bpf_get_task_stack",                                         \
				     helper_get_task_stack,                                        \
				     {VM_ARG_ANYTHING, VM_ARG_MEM_RW, VM_ARG_SIZE}}

#endif
