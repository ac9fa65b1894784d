/* bpf_strtol, bpf_strtoul and bpf_strncmp from a clang-compiled program: the
 * bytes consumed, the value, and the errors of the kernel's parser on white
 * space, signs, base prefixes, overflow and bad flags; the same expectations
 * are checked against the kernel by the _kernel build of this test. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../unit/test_util.h"
#include "load.h"

#define NCASES 16
#define LEN 24

struct args {
	char in[NCASES][LEN];
	__u32 len[NCASES];
	__u64 flags[NCASES];
	__s64 lret[NCASES], lval[NCASES];
	__s64 uret[NCASES], uval[NCASES];
	__s64 cmp[4];
	__u64 jiffies[2];
	__u64 numa;
	__u64 tai;
};

/* input, flags; strtol's result and value; strtoul's result and value
 * (on an error the kernel stores 0) */
static const struct {
	const char *in;
	__u64 flags;
	long long lret, lval, uret;
	unsigned long long uval;
} cases[NCASES] = {
	{"  -123xyz", 0, 6, -123, -EINVAL, 0},
	{"0x1fG", 0, 4, 31, 4, 31},
	{"0x", 0, 1, 0, 1, 0}, /* base 0: "0x" before no hex digit is octal 0 */
	{"0x", 16, -EINVAL, 0, -EINVAL, 0},
	{"0777", 8, 4, 511, 4, 511},
	{"18446744073709551616", 10, -ERANGE, 0, -ERANGE, 0},
	{"9223372036854775808", 10, -ERANGE, 0, 19, 9223372036854775808ull},
	{"-9223372036854775808", 10, 20, INT64_MIN, -EINVAL, 0},
	{"12", 7, -EINVAL, 0, -EINVAL, 0},
	{"12", 0x20 | 10, -EINVAL, 0, -EINVAL, 0},
	{"   ", 0, -EINVAL, 0, -EINVAL, 0},
	{"\xa0\t5", 0, 3, 5, 3, 5}, /* the kernel's isspace() takes 0xa0 */
	{"-", 0, -EINVAL, 0, -EINVAL, 0},
	{"0XaBc", 16, 5, 0xabc, 5, 0xabc},
	{"089", 0, 1, 0, 1, 0},
	{"18446744073709551615", 0, -ERANGE, 0, 20, UINT64_MAX},
};

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	bool skipped;
	struct bpf_program *prog;
	static struct args a;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "parse");
	for (int i = 0; i < NCASES; i++) {
		memcpy(a.in[i], cases[i].in, strlen(cases[i].in));
		a.len[i] = (__u32)strlen(cases[i].in);
		a.flags[i] = cases[i].flags;
	}
	/* a syscall program's context is copied back into ctx_in */
	struct timespec before, after;

	clock_gettime(CLOCK_REALTIME, &before);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	CHECK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) == 0, "run");
	for (int i = 0; i < NCASES; i++) {
		CHECK(a.lret[i] == cases[i].lret && a.lval[i] == cases[i].lval,
		      "strtol('%s', %llu): %lld, %lld; expected %lld, %lld", cases[i].in,
		      (unsigned long long)cases[i].flags, (long long)a.lret[i],
		      (long long)a.lval[i], cases[i].lret, cases[i].lval);
		CHECK(a.uret[i] == cases[i].uret && (__u64)a.uval[i] == cases[i].uval,
		      "strtoul('%s', %llu): %lld, %llu; expected %lld, %llu", cases[i].in,
		      (unsigned long long)cases[i].flags, (long long)a.uret[i],
		      (unsigned long long)a.uval[i], cases[i].uret, cases[i].uval);
	}
	CHECK(a.cmp[0] == 0, "strncmp(hello, 3, help): %lld", (long long)a.cmp[0]);
	CHECK(a.cmp[1] == -1, "strncmp(hello, 4, help): %lld", (long long)a.cmp[1]);
	CHECK(a.cmp[2] == 1, "strncmp(hello, 8, hella): %lld", (long long)a.cmp[2]);
	CHECK(a.cmp[3] == 0, "strncmp(hello\\0xx, 8, hello): %lld", (long long)a.cmp[3]);
	/* INITIAL_JIFFIES is 2^32 - 300 * HZ, HZ <= 1000 */
	CHECK(a.jiffies[0] >= (1ull << 32) - 300000 && a.jiffies[1] >= a.jiffies[0],
	      "jiffies64: %llu then %llu", (unsigned long long)a.jiffies[0],
	      (unsigned long long)a.jiffies[1]);
	clock_gettime(CLOCK_REALTIME, &after);
	/* TAI is UTC plus an offset of 0 to 37 s: not before the run started (in
	 * UTC), not more than 37 s after it ended */
	CHECK(a.tai >= (__u64)before.tv_sec * 1000000000 + (__u64)before.tv_nsec &&
		      a.tai <= ((__u64)after.tv_sec + 38) * 1000000000,
	      "ktime_get_tai_ns %llu, realtime %lld s", (unsigned long long)a.tai,
	      (long long)before.tv_sec);
	CHECK(a.numa < 1024, "numa node %llu", (unsigned long long)a.numa);
	bpf_object__close(obj);
	return TEST_DONE();
}
