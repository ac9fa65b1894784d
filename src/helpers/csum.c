/* bpf_csum_diff as Linux 6.18 computes it on x86-64: the sum of `to` with
 * the seed, minus the sum of `from` (ones' complement arithmetic), folded to
 * 16 bits; any sizes, whole words or not (older kernels wanted multiples of
 * 4 and at most 512 bytes and returned 32 bits). With only `from` it is
 * ~sum(from, ~seed); with neither, the seed folded. */
#include "csum.h"

#include <string.h>

uint32_t csum_partial32(const void *buf, size_t len, uint32_t seed)
{
	const unsigned char *p = buf;
	uint64_t sum = seed;
	uint32_t w;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		sum += w;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

uint32_t csum_add32(uint32_t a, uint32_t b)
{
	uint32_t r = a + b;

	return r + (r < b);
}

uint16_t fold16(uint32_t x)
{
	return (uint16_t)((x + ((x >> 16) | (x << 16))) >> 16);
}

uint64_t helper_csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size,
			  uint64_t seed, struct vm_run *run)
{
	const void *f = (const void *)(uintptr_t)from, *t = (const void *)(uintptr_t)to;
	uint32_t fs = (uint32_t)from_size, ts = (uint32_t)to_size, s = (uint32_t)seed, r;

	(void)run;
	if (fs && ts)
		r = csum_add32(csum_partial32(t, ts, s), ~csum_partial32(f, fs, 0));
	else if (ts)
		r = csum_partial32(t, ts, s);
	else if (fs)
		r = ~csum_partial32(f, fs, ~s);
	else
		r = s;
	return fold16(r);
}
