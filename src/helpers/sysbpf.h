/* The helpers of BPF_PROG_TYPE_SYSCALL programs, what light skeletons'
 * loader programs call (src/helpers/sysbpf.c): bpf() commands, closing fds,
 * vmlinux BTF type ids and kernel symbol addresses. */
#ifndef BPFHOST_HELPERS_SYSBPF_H
#define BPFHOST_HELPERS_SYSBPF_H

#include <linux/bpf.h>

#include "../vm/vm.h"

#define SYSBPF_HELPER_FN(name)                                                                     \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
SYSBPF_HELPER_FN(sys_bpf);
SYSBPF_HELPER_FN(sys_close);
SYSBPF_HELPER_FN(btf_find_by_name_kind);
SYSBPF_HELPER_FN(kallsyms_lookup_name);

/* Their entries in the kernel helper table, by id. */
#define SYSBPF_HELPERS                                                                             \
	[BPF_FUNC_sys_bpf] = {"bpf_sys_bpf", helper_sys_bpf, {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},     \
	[BPF_FUNC_sys_close] = {"bpf_sys_close", helper_sys_close, {0}},                           \
	[BPF_FUNC_btf_find_by_name_kind] = {"bpf_btf_find_by_name_kind",                           \
					    helper_btf_find_by_name_kind,                          \
					    {VM_ARG_MEM_RO, VM_ARG_SIZE}},                         \
	[BPF_FUNC_kallsyms_lookup_name] = {"bpf_kallsyms_lookup_name",                             \
					   helper_kallsyms_lookup_name,                            \
					   {VM_ARG_MEM_RO, VM_ARG_SIZE, 0, VM_ARG_LONG_OUT}}

#endif
