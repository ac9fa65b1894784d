/* Hex decoding and whole-file reads. */
#include "hex.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hex_decode(const char *text, size_t n, uint8_t **out, size_t *out_len, size_t *bad_pos)
{
	uint8_t *buf = malloc(n / 2 + 1);
	size_t len = 0, i = 0;

	if (!buf)
		return -ENOMEM;
	while (i < n) {
		int hi, lo;

		if (isspace((unsigned char)text[i])) {
			i++;
			continue;
		}
		hi = nibble((unsigned char)text[i]);
		lo = i + 1 < n ? nibble((unsigned char)text[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			free(buf);
			if (bad_pos)
				*bad_pos = hi < 0 ? i : i + 1;
			return -EINVAL;
		}
		buf[len++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int hex_looks_like(const uint8_t *text, size_t len)
{
	int digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (isxdigit(text[i]))
			digits = 1;
		else if (!isspace(text[i]))
			return 0;
	}
	return digits;
}

int file_read_all(FILE *f, uint8_t **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap + 1), *p;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
