/* bpf_snprintf and bpf_trace_vprintk from a clang-compiled program: the text
 * and the return value of each case as the kernel gives them; the _kernel
 * build asserts the same against the kernel. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

#define N 16

struct args {
	char out[N][64];
	__s64 ret[N];
	__s64 vret;
};

static const struct {
	const char *out;
	long long ret;
} want[N] = {
	{"-42|    7|ab   |-0003|+5| 6", 28},
	{"str and ok!", 12},
	{"192.168.0.1 192.168.000.001", 28},
	{"2001:0db8:0000:0000:0000:0000:0000:1234", 40},
	{"ffffffffffffffff ABCDEF 18446744073709551615", 45},
	{"hello w", 16},
	{"a  | -1|+7  |", 14},
	{"", 7}, /* nothing written into a size of 0 */
	{"0000000000001234", 17},
	{"%5%", 4},
	{"kern ", 6},
	{"[]", 3},	/* a string that cannot be read is empty */
	{"0.0.0.0", 8}, /* an address that cannot be read is zeros */
	{"20010db8000000000000000000001234", 33},
	{"        ab|z   |", 17},
	{"-9223372036854775808 -2147483648", 33},
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
	prog = bpf_object__find_program_by_name(obj, "fmt");
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	CHECK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) == 0, "run");
	for (int i = 0; i < N; i++)
		CHECK(!strcmp(a.out[i], want[i].out) && a.ret[i] == want[i].ret,
		      "case %d: '%s' %lld, expected '%s' %lld", i, a.out[i], (long long)a.ret[i],
		      want[i].out, want[i].ret);
	CHECK(a.vret == 9, "trace_vprintk: %lld", (long long)a.vret);
	bpf_object__close(obj);
	return TEST_DONE();
}
