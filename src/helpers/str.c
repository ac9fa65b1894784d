/* bpf_strncmp, bpf_strtol, bpf_strtoul as the kernel defines them:
 * - strncmp compares at most s1_sz bytes and answers -1, 0 or 1;
 * - strtol/strtoul skip leading white space (the kernel's: also 0xa0), take
 *   one '-', then read at most 63 characters in base 8, 10 or 16 (or, for
 *   base 0, the base the prefix gives: "0x" before a hex digit is 16, a
 *   leading 0 is 8); the result is the number of bytes consumed, -EINVAL
 *   if there are no digits or the flags are bad, -ERANGE on overflow; on
 *   an error the result is 0. */
#include "str.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define STRTOX_BASE_MASK 0x1f /* the kernel's BPF_STRTOX_BASE_MASK */

uint64_t helper_strncmp(uint64_t s1, uint64_t s1_sz, uint64_t s2, uint64_t r4, uint64_t r5,
			struct vm_run *run)
{
	const unsigned char *a = (const unsigned char *)(uintptr_t)s1;
	const unsigned char *b = (const unsigned char *)(uintptr_t)s2;

	(void)r4, (void)r5, (void)run;
	for (uint32_t i = 0; i < (uint32_t)s1_sz; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? (uint64_t)-1 : 1;
		if (!a[i])
			break;
	}
	return 0;
}

static bool kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static int digit(unsigned char c)
{
	unsigned char lc = c | 0x20;

	if (c >= '0' && c <= '9')
		return c - '0';
	if (lc >= 'a' && lc <= 'f')
		return lc - 'a' + 10;
	return 99;
}

/* The bytes consumed (> 0) with *res and *neg set, or -errno. */
static int64_t parse(const char *buf, uint32_t len, uint64_t flags, uint64_t *res, bool *neg)
{
	unsigned int base = flags & STRTOX_BASE_MASK;
	uint32_t at = 0, n, i = 0, digits = 0;
	bool overflow = false;
	char s[64];
	uint64_t v = 0;

	if (!buf || !len)
		return -EINVAL;
	if ((base != 0 && base != 8 && base != 10 && base != 16) || (flags & ~STRTOX_BASE_MASK))
		return -EINVAL;
	while (at < len && kspace((unsigned char)buf[at]))
		at++;
	*neg = at < len && buf[at] == '-';
	if (*neg)
		at++;
	if (at == len)
		return -EINVAL;
	n = len - at < sizeof(s) - 1 ? len - at : sizeof(s) - 1;
	memcpy(s, buf + at, n);
	s[n] = '\0';
	if (base == 0)
		base = s[0] != '0'						   ? 10
		       : ((s[1] | 0x20) == 'x' && digit((unsigned char)s[2]) < 16) ? 16
										   : 8;
	if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		i = 2;
	for (; s[i]; i++, digits++) {
		int d = digit((unsigned char)s[i]);

		if (d >= (int)base)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		v = v * base + (uint64_t)d;
	}
	if (overflow)
		return -ERANGE;
	if (!digits)
		return -EINVAL;
	*res = v;
	return at + i;
}

uint64_t helper_strtol(uint64_t buf, uint64_t buf_len, uint64_t flags, uint64_t res, uint64_t r5,
		       struct vm_run *run)
{
	uint64_t v = 0;
	bool neg = false;
	int64_t n = parse((const char *)(uintptr_t)buf, (uint32_t)buf_len, flags, &v, &neg);

	(void)r5, (void)run;
	/* the magnitude must fit: up to 2^63 when negative, 2^63 - 1 otherwise */
	if (n >= 0 && (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX))
		n = -ERANGE;
	*(uint64_t *)(uintptr_t)res = n < 0 ? 0 : neg ? 0 - v : v;
	return (uint64_t)n;
}

uint64_t helper_strtoul(uint64_t buf, uint64_t buf_len, uint64_t flags, uint64_t res, uint64_t r5,
			struct vm_run *run)
{
	uint64_t v = 0;
	bool neg = false;
	int64_t n = parse((const char *)(uintptr_t)buf, (uint32_t)buf_len, flags, &v, &neg);

	(void)r5, (void)run;
	if (n >= 0 && neg)
		n = -EINVAL;
	*(uint64_t *)(uintptr_t)res = n < 0 ? 0 : v;
	return (uint64_t)n;
}
