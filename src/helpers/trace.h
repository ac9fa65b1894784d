/* Output helpers: bpf_trace_printk, bpf_trace_vprintk, bpf_snprintf and
 * bpf_get_current_comm. trace_printk
 * lines go to a sink the embedding sets up (bpfhost's core: the file
 * "trace_pipe" in its object directory), formatted as the kernel's
 * trace_pipe prints them. */
#ifndef BPFHOST_HELPERS_TRACE_H
#define BPFHOST_HELPERS_TRACE_H

#include "../vm/vm.h"

/* Where trace_printk lines go (whole lines, the newline included); until
 * it is set, they are dropped. */
void trace_set_sink(void (*write_line)(const char *line, size_t len));

uint64_t helper_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2, uint64_t a3,
			     struct vm_run *run);
uint64_t helper_get_current_comm(uint64_t buf, uint64_t size, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run);

uint64_t helper_trace_vprintk(uint64_t fmt, uint64_t fmt_size, uint64_t data, uint64_t data_len,
			      uint64_t r5, struct vm_run *run);
uint64_t helper_snprintf(uint64_t str, uint64_t str_size, uint64_t fmt, uint64_t data,
			 uint64_t data_len, struct vm_run *run);

#define BPRINTF_MAX_ARGS 12 /* the kernel's MAX_BPRINTF_VARARGS */
#define BPRINTF_BUF 1024    /* the kernel's MAX_BPRINTF_BUF */

/* Formats fmt (NUL-terminated within fmt_size) with nargs arguments as the
 * kernel's bpf_bprintf_prepare allows: flags "0 +-" and a width, then d i u
 * x X with l or ll, s, c, p, px, pK, pi4 pI4 pi6 pI6, pks pus; strings and
 * addresses read safely. Writes what fits in out_len (NUL-terminated) and
 * returns the length of the whole, or -EINVAL for a format the kernel
 * refuses (a bad conversion, a non-printable character, too few args). */
int bprintf_format(char *out, size_t out_len, const char *fmt, size_t fmt_size,
		   const uint64_t *args, size_t nargs);

#endif
