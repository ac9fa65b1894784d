/* A light skeleton (bpftool gen skeleton -L of tests/bpf/lskel.bpf.o, made
 * by the Makefile): its loader, a BPF_PROG_TYPE_SYSCALL program, creates the
 * maps and loads the program with bpf_sys_bpf, on bpfhost as on the kernel
 * (-DKERNEL_BACKEND). The map gets the max_entries and .rodata the values
 * the test set before the load; the program then counts in the map, .data
 * and .bss, which the test reads through the skeleton's mmaps.
 * Usage: test_lskel OBJ (the object is inside the skeleton: OBJ is unused) */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/test_util.h"
/* bpftool's generated code is not written for our warnings */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpointer-arith"
#include "lskel.lskel.h"
#pragma GCC diagnostic pop

#ifdef LSKEL_MISSING
int main(void)
{
	printf("NOTICE: no bpftool to make a light skeleton: skipped\n");
	return 0;
}
#else
int main(int argc, char **argv)
{
	struct bpf_map_info minfo;
	struct bpf_prog_info pinfo;
	__u32 len, k = 0;
	struct lskel *s;
	__u64 v = 0;
	char pkt[64];
	int err;

	(void)argv;
	if (argc != 2)
		return 2;
	s = lskel__open();
	CHECK(s != NULL, "open");
	if (!s)
		return TEST_DONE();
	s->rodata->bump = 5;
	s->maps.counts.max_entries = 8;
	err = lskel__load(s);
#ifdef KERNEL_BACKEND
	if (err == -EPERM) {
		printf("NOTICE: the kernel refused the loader (%s): skipped\n", strerror(-err));
		lskel__destroy(s);
		return 0;
	}
#endif
	CHECK(err == 0, "load: %d (%s)", err, strerror(-err));
	if (err) {
		lskel__destroy(s);
		return TEST_DONE();
	}

	len = sizeof(minfo);
	memset(&minfo, 0, sizeof(minfo));
	CHECK(!bpf_obj_get_info_by_fd(s->maps.counts.map_fd, &minfo, &len) &&
		      minfo.type == BPF_MAP_TYPE_ARRAY && minfo.max_entries == 8 &&
		      minfo.value_size == 8 && !strcmp(minfo.name, "counts"),
	      "counts: type %u, max_entries %u, value_size %u, name %s", minfo.type,
	      minfo.max_entries, minfo.value_size, minfo.name);
	len = sizeof(pinfo);
	memset(&pinfo, 0, sizeof(pinfo));
	CHECK(!bpf_obj_get_info_by_fd(s->progs.count.prog_fd, &pinfo, &len) &&
		      pinfo.type == BPF_PROG_TYPE_XDP && !strcmp(pinfo.name, "count"),
	      "count: type %u, name %s", pinfo.type, pinfo.name);
	CHECK(s->data->runs == 7 && s->bss->total == 0 && s->rodata->bump == 5,
	      "after the load: runs %llu, total %llu, bump %llu", (unsigned long long)s->data->runs,
	      (unsigned long long)s->bss->total, (unsigned long long)s->rodata->bump);

	memset(pkt, 0, sizeof(pkt));
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 3);
	CHECK(!bpf_prog_test_run_opts(s->progs.count.prog_fd, &opts) && opts.retval == XDP_PASS,
	      "run: %s, retval %u", strerror(errno), opts.retval);
	CHECK(!bpf_map_lookup_elem(s->maps.counts.map_fd, &k, &v) && v == 15, "counts[0]: %llu",
	      (unsigned long long)v);
	CHECK(s->data->runs == 10 && s->bss->total == 15, "after 3 runs: runs %llu, total %llu",
	      (unsigned long long)s->data->runs, (unsigned long long)s->bss->total);
	lskel__destroy(s);
	return TEST_DONE();
}
#endif
