/* Internet checksum helpers. */
#ifndef BPFHOST_HELPERS_CSUM_H
#define BPFHOST_HELPERS_CSUM_H

#include "../vm/vm.h"

/* The ones' complement sum of len bytes (32-bit little-endian words, a
 * short tail zero-padded) added to seed, folded to 32 bits. */
uint32_t csum_partial32(const void *buf, size_t len, uint32_t seed);

/* a + b in ones' complement (the kernel's csum_add) */
uint32_t csum_add32(uint32_t a, uint32_t b);
/* a 32-bit sum folded to 16 bits, not complemented */
uint16_t fold16(uint32_t x);

uint64_t helper_csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size,
			  uint64_t seed, struct vm_run *run);

#endif
