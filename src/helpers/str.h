/* String helpers: bpf_strncmp, bpf_strtol and bpf_strtoul, with the
 * kernel's parsing rules and errors. */
#ifndef BPFHOST_HELPERS_STR_H
#define BPFHOST_HELPERS_STR_H

#include "../vm/vm.h"

uint64_t helper_strncmp(uint64_t s1, uint64_t s1_sz, uint64_t s2, uint64_t r4, uint64_t r5,
			struct vm_run *run);
uint64_t helper_strtol(uint64_t buf, uint64_t buf_len, uint64_t flags, uint64_t res, uint64_t r5,
		       struct vm_run *run);
uint64_t helper_strtoul(uint64_t buf, uint64_t buf_len, uint64_t flags, uint64_t res, uint64_t r5,
			struct vm_run *run);

#endif
