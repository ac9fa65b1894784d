/* Hex text <-> bytes, and reading a whole file. */
#ifndef BPFHOST_UTIL_HEX_H
#define BPFHOST_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decodes pairs of hex digits; whitespace between pairs is ignored. On a bad
 * character returns -EINVAL and sets *bad_pos to its offset. */
int hex_decode(const char *text, size_t text_len, uint8_t **out, size_t *out_len, size_t *bad_pos);
/* True if text holds only hex digits and whitespace, and at least one digit. */
int hex_looks_like(const uint8_t *text, size_t len);
/* Reads all of f into a NUL-terminated buffer. Returns 0 or -errno. */
int file_read_all(FILE *f, uint8_t **out, size_t *len);

#endif
