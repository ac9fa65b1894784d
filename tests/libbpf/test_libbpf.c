/* Debian's libbpf, unmodified and linked statically with --wrap=syscall (and
 * close, mmap), loads a clang-compiled object into bpfhost: open, set .rodata,
 * load, test-run, read and update maps through libbpf's API. The same source
 * built without the wrap (-DKERNEL_BACKEND) runs the same checks against the
 * kernel, so both must give the same numbers. Usage: test_libbpf OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__u32 key;
	__u32 times;
	__u64 result;
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int run(struct bpf_program *prog, __u32 key, __u32 times, struct args *out)
{
	struct args a = {.key = key, .times = times};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	*out = a;
	return err ? err : (int)opts.retval;
}

/* bpf_object__pin_maps: every map pinned under a directory of /sys/fs/bpf,
 * found again by path, then unpinned. (The kernel backend needs a mounted
 * bpffs: without one it skips this with a notice.) */
static void pin_maps(struct bpf_object *obj)
{
	char dir[64], path[128];
	int err, fd;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/test_libbpf_%d", (int)getpid());
	err = bpf_object__pin_maps(obj, dir);
#ifdef KERNEL_BACKEND
	if (err == -EINVAL || err == -ENOENT || err == -EPERM) {
		printf("NOTICE: no bpffs at /sys/fs/bpf (%s): pinning not compared\n",
		       strerror(-err));
		return;
	}
#endif
	CHECK(err == 0, "bpf_object__pin_maps(%s): %d", dir, err);
	if (err)
		return;
	snprintf(path, sizeof(path), "%s/counts", dir);
	fd = bpf_obj_get(path);
	CHECK(fd >= 0, "the pinned map at %s: %d", path, fd);
	if (fd >= 0) {
		__u32 key = 7;
		__u64 v = 0;

		CHECK(bpf_map_lookup_elem(fd, &key, &v) == 0 && v == 21,
		      "the pinned map holds counts[7] = 21: %llu", (unsigned long long)v);
		close(fd);
	}
	CHECK(bpf_object__unpin_maps(obj, dir) == 0, "unpin");
	CHECK(bpf_obj_get(path) < 0, "unpinned map is gone from %s", path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *counts, *totals, *rodata, *keys;
	struct args out;
	__u64 bias = 1000, v = 0;
	__u32 key, next;
	int n, err;

	if (argc != 2) {
		fprintf(stderr, "usage: test_libbpf OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	CHECK(obj != NULL, "open %s: %s", argv[1], strerror(errno));
	if (!obj)
		return TEST_DONE();
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	CHECK(rodata != NULL, "no .rodata map");
	if (rodata) {
		size_t sz = 0;

		CHECK(bpf_map__initial_value(rodata, &sz) && sz == sizeof(bias),
		      ".rodata holds bias alone (%zu bytes)", sz);
		CHECK(bpf_map__set_initial_value(rodata, &bias, sizeof(bias)) == 0, "set .rodata");
	}
	err = test_load_object(obj);
	if (err > 0) {
		bpf_object__close(obj);
		return 0;
	}
	if (err)
		goto out;
	prog = bpf_object__find_program_by_name(obj, "count");
	counts = bpf_object__find_map_by_name(obj, "counts");
	totals = bpf_object__find_map_by_name(obj, "totals");
	CHECK(prog && counts && totals, "program and maps by name");

	CHECK(run(prog, 7, 5, &out) == 1 && out.result == 15 + bias, "first run: result %llu",
	      (unsigned long long)out.result);
	CHECK(run(prog, 7, 2, &out) == 2 && out.result == 21 + bias, "second run: result %llu",
	      (unsigned long long)out.result);
	CHECK(run(prog, 9, 1, &out) == 3 && out.result == 3 + bias, "third run: result %llu",
	      (unsigned long long)out.result);

	key = 7;
	CHECK(bpf_map__lookup_elem(counts, &key, sizeof(key), &v, sizeof(v), 0) == 0 && v == 21,
	      "counts[7] = %llu", (unsigned long long)v);
	key = 0;
	CHECK(bpf_map__lookup_elem(totals, &key, sizeof(key), &v, sizeof(v), 0) == 0 && v == 8,
	      "totals[0] = %llu", (unsigned long long)v);
	v = 100;
	key = 9;
	CHECK(bpf_map__update_elem(counts, &key, sizeof(key), &v, sizeof(v), BPF_EXIST) == 0,
	      "update counts[9]");
	CHECK(run(prog, 9, 1, &out) == 4 && out.result == 103 + bias,
	      "run after a user-space update: result %llu", (unsigned long long)out.result);
	key = 11;
	CHECK(bpf_map__update_elem(counts, &key, sizeof(key), &v, sizeof(v), BPF_EXIST) == -ENOENT,
	      "BPF_EXIST on a missing key: ENOENT");
	n = 0;
	for (err = bpf_map__get_next_key(counts, NULL, &next, sizeof(next)); !err;
	     err = bpf_map__get_next_key(counts, &key, &next, sizeof(next))) {
		key = next;
		n++;
	}
	CHECK(n == 2 && err == -ENOENT, "counts has %d keys (err %d)", n, err);

	/* every run pushed its key into a queue: pop them in order from user space */
	keys = bpf_object__find_map_by_name(obj, "keys");
	CHECK(keys != NULL, "queue map by name");
	for (int i = 0; keys && i < 4; i++) {
		static const __u32 want[] = {7, 7, 9, 9};
		__u32 got = 0;

		CHECK(bpf_map__lookup_and_delete_elem(keys, NULL, 0, &got, sizeof(got), 0) == 0 &&
			      got == want[i],
		      "pop %d: %u, expected %u", i, got, want[i]);
	}
	if (keys) {
		__u32 got;

		CHECK(bpf_map__lookup_and_delete_elem(keys, NULL, 0, &got, sizeof(got), 0) ==
			      -ENOENT,
		      "the queue is empty");
	}
	pin_maps(obj);
out:
	bpf_object__close(obj);
	return TEST_DONE();
}
