/* The formatter behind bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf:
 * what it prints, the whole length when the output is cut, and the formats
 * the kernel's bpf_bprintf_prepare refuses. */
#include <errno.h>
#include <string.h>

#include "../../src/helpers/trace.h"
#include "test_util.h"

static int fmt(char *out, size_t len, const char *f, const uint64_t *args, size_t n)
{
	return bprintf_format(out, len, f, strlen(f) + 1, args, n);
}

int main(void)
{
	const uint64_t args[4] = {(uint64_t)-5, 0xbeef, (uint64_t)(uintptr_t) "hi", 'q'};
	char out[64];
	int n;

	n = fmt(out, sizeof(out), "%d %x %s %c %%", args, 4);
	CHECK(n == 14 && !strcmp(out, "-5 beef hi q %"), "basic: %d '%s'", n, out);
	n = fmt(out, sizeof(out), "%-4d|%06x|%+lld|%5c",
		(const uint64_t[]){(uint64_t)-5, 0xbeef, 12, 'z'}, 4);
	CHECK(n == 21 && !strcmp(out, "-5  |00beef|+12|    z"), "flags: %d '%s'", n, out);
	n = fmt(out, 4, "%d %x", args, 2);
	CHECK(n == 7 && !strcmp(out, "-5 "), "cut: %d '%s'", n, out);
	n = fmt(NULL, 0, "abc", args, 0);
	CHECK(n == 3, "no output: %d", n);
	/* refused: what bpf_bprintf_prepare refuses */
	CHECK(fmt(out, sizeof(out), "%d %d", args, 1) == -EINVAL, "too few arguments");
	CHECK(fmt(out, sizeof(out), "%.3d", args, 1) == -EINVAL, "precision");
	CHECK(fmt(out, sizeof(out), "%y", args, 1) == -EINVAL, "unknown conversion");
	CHECK(fmt(out, sizeof(out), "%ls", args, 1) == -EINVAL, "%%ls");
	CHECK(fmt(out, sizeof(out), "%lllx", args, 1) == -EINVAL, "three l");
	CHECK(fmt(out, sizeof(out), "a\x01", args, 0) == -EINVAL, "a control character");
	CHECK(fmt(out, sizeof(out), "caf\xc3\xa9", args, 0) == -EINVAL, "non-ASCII");
	CHECK(fmt(out, sizeof(out), "%pZ", args, 1) == -EINVAL, "unknown pointer format");
	CHECK(bprintf_format(out, sizeof(out), "abc", 3, args, 0) == -EINVAL, "no NUL in fmt_size");
	CHECK(bprintf_format(out, sizeof(out), "ab\0cd", 5, args, 0) == 2, "NUL inside fmt_size");
	CHECK(fmt(out, sizeof(out), "\t%d\n", args, 1) == 4, "white space is allowed");
	/* repeated flags and wide fields: the whole length, what fits written */
	n = fmt(out, sizeof(out), "%------------------------4d|", args, 1);
	CHECK(n == 5 && !strcmp(out, "-5  |"), "repeated flags: %d '%s'", n, out);
	n = fmt(out, sizeof(out), "%1000d", args, 1);
	CHECK(n == 1000 && strlen(out) == sizeof(out) - 1 && out[0] == ' ', "wide field: %d", n);
	n = fmt(NULL, 0, "%00000000000000000000000000000001x", args + 1, 1);
	CHECK(n == 4, "a width of many digits: %d", n);
	return TEST_DONE();
}
