/* bpf_fib_lookup from a table the user provides (src/helpers/fib.c). */
#ifndef BPFHOST_HELPERS_FIB_H
#define BPFHOST_HELPERS_FIB_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

/* The lookup on params (plen bytes of them): a BPF_FIB_LKUP_RET_* code, or
 * -errno for bad arguments, as the kernel's helper answers. */
int64_t fib_lookup(struct bpf_fib_lookup *params, uint32_t plen, uint32_t flags, bool check_mtu);

#endif
