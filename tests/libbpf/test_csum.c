/* bpf_csum_diff from a clang-compiled XDP program over a fixed packet: the
 * results as Linux 6.18 on x86-64 gives them, for pushing, pulling, diffing,
 * odd sizes and more than 512 bytes; the _kernel build asserts the same on
 * the kernel (where an older kernel would answer differently, it fails). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
#include "load.h"

int main(int argc, char **argv)
{
	/* what Linux 6.18 gives (folded to 16 bits, any sizes accepted) */
	static const long long want[12] = {0xe674, 0x534e, 0x648c, 0x6fcf, 0x90ff, 0xabcd,
					   0x7,	   0x902f, 0x68ac, 0xaa60, 0xcf9f, 0x2ae1};
	struct bpf_object *obj;
	bool skipped;
	struct bpf_program *prog;
	struct bpf_map *map, *bss = NULL;
	unsigned char pkt[600];
	long long res[12];
	int zero = 0;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "csum");
	bpf_object__for_each_map(map, obj) if (strstr(bpf_map__name(map), ".bss")) bss = map;
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (unsigned char)(i * 37 + 11);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt));
	CHECK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) == 0, "run");
	CHECK(opts.retval == XDP_PASS, "retval %u", opts.retval);
	CHECK(bss && bpf_map_lookup_elem(bpf_map__fd(bss), &zero, res) == 0, "read .bss");
	for (int i = 0; i < 12; i++)
		CHECK(res[i] == want[i], "res[%d] = 0x%llx, expected 0x%llx", i, res[i], want[i]);
	bpf_object__close(obj);
	return TEST_DONE();
}
