/* Object names as the kernel's bpf_obj_name_cpy() accepts them. */
#ifndef BPFHOST_UTIL_NAME_H
#define BPFHOST_UTIL_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* True if name holds only [A-Za-z0-9_.] and a NUL within its first size bytes. */
bool name_valid(const char *name, size_t size);

#endif
