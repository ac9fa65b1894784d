/* Internet checksum helpers. */
#ifndef BPFHOST_HELPERS_CSUM_H
#define BPFHOST_HELPERS_CSUM_H

#include "../vm/vm.h"

/* The ones' complement sum of len bytes (32-bit little-endian words, a
 * short tail zero-padded) added to seed, folded to 32 bits. */
uint32_t csum_partial32(const void *buf, size_t len, uint32_t seed);

uint64_t helper_csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size,
			  uint64_t seed, struct vm_run *run);

#endif
