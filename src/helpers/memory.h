/* Memory helpers: reads of memory the program may not touch directly (the
 * kernel's probe_read family), which fail with -EFAULT instead of crashing. */
#ifndef BPFHOST_HELPERS_MEMORY_H
#define BPFHOST_HELPERS_MEMORY_H

#include "../vm/vm.h"

uint64_t helper_probe_read(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			   struct vm_run *run);
uint64_t helper_probe_read_str(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			       struct vm_run *run);
uint64_t helper_probe_read_kernel_str(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4,
				      uint64_t r5, struct vm_run *run);

#endif
