/* The kernel's helpers, by their kernel ids: the table programs loaded
 * through bpf() call into. Rows are filled as helpers are implemented; a
 * missing id is refused when the program is loaded. */
#ifndef BPFHOST_HELPERS_KERNEL_H
#define BPFHOST_HELPERS_KERNEL_H

#include "../vm/vm.h"

struct vm_helper_table kernel_helpers(void);

#endif
