/* SHA-256 (FIPS 180-4), for program tags: the kernel's tag is the first 8
 * bytes of the SHA-256 of a program's instructions. */
#ifndef BPFHOST_UTIL_SHA256_H
#define BPFHOST_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t digest[32]);

#endif
