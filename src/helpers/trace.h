/* Output helpers: bpf_trace_printk and bpf_get_current_comm. trace_printk
 * lines go to a sink the embedding sets up (bpfhost's core: the file
 * "trace_pipe" in its object directory), formatted as the kernel's
 * trace_pipe prints them. */
#ifndef BPFHOST_HELPERS_TRACE_H
#define BPFHOST_HELPERS_TRACE_H

#include "../vm/vm.h"

/* Where trace_printk lines go: an fd opened O_APPEND, or -1 (dropped). The
 * first call of trace_printk asks open_sink for it, once per process. */
void trace_set_sink(int (*open_sink)(void));

uint64_t helper_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2, uint64_t a3,
			     struct vm_run *run);
uint64_t helper_get_current_comm(uint64_t buf, uint64_t size, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run);

/* Formats fmt with up to three arguments as bpf_trace_printk does (%d %i %u
 * %x %X %ld %lu %lx %lld %llu %llx %p %s %c %%; %s strings read safely);
 * the length written, or -EINVAL for a format the kernel refuses. */
int trace_format(char *out, size_t out_len, const char *fmt, size_t fmt_size,
		 const uint64_t args[3]);

#endif
