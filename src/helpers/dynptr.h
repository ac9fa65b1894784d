/* The dynptr helpers (src/helpers/dynptr.c): dynptrs to local memory and to
 * ring buffer records, read, written and sliced with the kernel's run-time
 * checks. A struct bpf_dynptr is 16 bytes of the program's stack laid out as
 * the kernel's struct bpf_dynptr_kern; all zeroes is the null dynptr. */
#ifndef BPFHOST_HELPERS_DYNPTR_H
#define BPFHOST_HELPERS_DYNPTR_H

#include <linux/bpf.h>

#include "../vm/vm.h"

#define DYNPTR_HELPER_FN(name)                                                                     \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
DYNPTR_HELPER_FN(dynptr_from_mem);
DYNPTR_HELPER_FN(ringbuf_reserve_dynptr);
DYNPTR_HELPER_FN(ringbuf_submit_dynptr);
DYNPTR_HELPER_FN(ringbuf_discard_dynptr);
DYNPTR_HELPER_FN(dynptr_read);
DYNPTR_HELPER_FN(dynptr_write);
DYNPTR_HELPER_FN(dynptr_data);

/* For the checked interpreter: 0 if addr is a dynptr argument of that kind
 * (VM_ARG_DYNPTR_*), else -EINVAL with the rest of a sentence saying why in
 * why. Every kind needs 16 8-aligned bytes of the program's stack, as the
 * kernel does; a dynptr the helper uses must be null or lie over memory the
 * program may access (may write, unless read-only), and one to a ring buffer
 * record must find it still reserved. */
int dynptr_check_arg(const struct vm_run *run, uint64_t addr, enum vm_arg kind, char *why,
		     size_t why_len);

/* Their entries in the kernel helper table, by id. */
#define DYNPTR_HELPERS                                                                             \
	[BPF_FUNC_dynptr_from_mem] = {"bpf_dynptr_from_mem",                                       \
				      helper_dynptr_from_mem,                                      \
				      {VM_ARG_MEM_RW, VM_ARG_SIZE, VM_ARG_ANYTHING,                \
				       VM_ARG_DYNPTR_UNINIT}},                                     \
	[BPF_FUNC_ringbuf_reserve_dynptr] = {"bpf_ringbuf_reserve_dynptr",                         \
					     helper_ringbuf_reserve_dynptr,                        \
					     {VM_ARG_MAP, VM_ARG_ANYTHING, VM_ARG_ANYTHING,        \
					      VM_ARG_DYNPTR_UNINIT}},                              \
	[BPF_FUNC_ringbuf_submit_dynptr] = {"bpf_ringbuf_submit_dynptr",                           \
					    helper_ringbuf_submit_dynptr,                          \
					    {VM_ARG_DYNPTR_RELEASE}},                              \
	[BPF_FUNC_ringbuf_discard_dynptr] = {"bpf_ringbuf_discard_dynptr",                         \
					     helper_ringbuf_discard_dynptr,                        \
					     {VM_ARG_DYNPTR_RELEASE}},                             \
	[BPF_FUNC_dynptr_read] = {"bpf_dynptr_read",                                               \
				  helper_dynptr_read,                                              \
				  {VM_ARG_MEM_RW, VM_ARG_SIZE, VM_ARG_DYNPTR}},                    \
	[BPF_FUNC_dynptr_write] = {"bpf_dynptr_write",                                             \
				   helper_dynptr_write,                                            \
				   {VM_ARG_DYNPTR, VM_ARG_ANYTHING, VM_ARG_MEM_RO, VM_ARG_SIZE}},  \
	[BPF_FUNC_dynptr_data] = {"bpf_dynptr_data", helper_dynptr_data, {VM_ARG_DYNPTR}}

#endif
