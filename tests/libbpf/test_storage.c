/* Local storage from clang-compiled programs loaded by Debian's libbpf
 * (tests/bpf/storage.bpf.o), in BPF_PROG_TEST_RUN as Linux 6.18 runs them:
 * a test run gives the program a cgroup storage (and a per-CPU one) of its
 * own, zeroed, that lasts through the run's repeats and no longer, and a
 * socket made up for the run whose socket storage (bpf_sk_storage_get,
 * bpf_sk_storage_delete) goes with it. From user space the cgroup storages
 * hold nothing (no program is attached to a cgroup), and a socket storage is
 * reached by a socket fd of the caller's. With -DKERNEL_BACKEND the same
 * checks run against the kernel. Usage: test_storage OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own, not in userspace errno.h */
#endif

/* as in tests/bpf/storage.bpf.c */
struct out {
	__u64 runs;
	__u64 cg_count, cg_untouched, cg_locked, pcg_count;
	__u64 same_ptr;
	__u64 sk_before, sk_count, sk_init, sk_bad_flags, sk_null_value;
	__s64 sk_del, sk_del_again, sk_after_del, sk_recreated;
	__u64 cg_sk_count;
};

struct sk_val {
	__u64 count;
	__u64 init;
	__u32 lock;
	__u32 pad;
};

static struct bpf_object *obj;
static struct out out;

/* Runs prog on a zeroed 64-byte frame, repeat times, with cb[0] = mode:
 * the retval (or the error), the .bss in out. */
static int run(const char *prog, __u32 repeat, __u32 mode)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, prog);
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	unsigned char pkt[64] = {0};
	struct __sk_buff ctx = {.cb = {mode}};
	int err, zero = 0;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = repeat, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));

	if (!p || !bss) {
		CHECK(0, "no program %s or no .bss", prog);
		return -ENOENT;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &o);
	memset(&out, 0xee, sizeof(out));
	CHECK(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, &out) == 0, "read .bss");
	return err ? err : (int)o.retval;
}

static int map_fd(const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m ? bpf_map__fd(m) : -1;
}

/* A cgroup storage per test run, zeroed, kept through its repeats. */
static void cgroup_storage(void)
{
	int err = run("cg_count", 1, 0);

	CHECK(err == 1, "cg_count: %d", err);
	CHECK(out.runs == 1 && out.cg_count == 1 && out.cg_untouched == 0 && out.cg_locked == 2 &&
		      out.pcg_count == 10 && out.same_ptr == 1,
	      "first run: runs %llu count %llu untouched %llu locked %llu percpu %llu same %llu",
	      (unsigned long long)out.runs, (unsigned long long)out.cg_count,
	      (unsigned long long)out.cg_untouched, (unsigned long long)out.cg_locked,
	      (unsigned long long)out.pcg_count, (unsigned long long)out.same_ptr);
	/* another test run: fresh storages, the globals kept */
	err = run("cg_count", 1, 0);
	CHECK(err == 1 && out.runs == 2 && out.cg_count == 1 && out.pcg_count == 10,
	      "second run: %d, runs %llu count %llu percpu %llu", err, (unsigned long long)out.runs,
	      (unsigned long long)out.cg_count, (unsigned long long)out.pcg_count);
	/* the repeats of one test run share its storages */
	err = run("cg_count", 5, 0);
	CHECK(err == 1 && out.runs == 7 && out.cg_count == 5 && out.cg_locked == 10 &&
		      out.pcg_count == 50,
	      "repeat 5: %d, runs %llu count %llu locked %llu percpu %llu", err,
	      (unsigned long long)out.runs, (unsigned long long)out.cg_count,
	      (unsigned long long)out.cg_locked, (unsigned long long)out.pcg_count);
}

/* What user space sees of the cgroup storages: none is linked to a cgroup. */
static void cgroup_storage_user(void)
{
	struct bpf_cgroup_storage_key key = {0}, next;
	unsigned char buf[65536];
	__u64 k8 = 0, n8;
	int cg = map_fd("cg"), pcg = map_fd("pcg");

	CHECK(bpf_map_lookup_elem(cg, &key, buf) == -ENOENT, "cg lookup: %s", strerror(errno));
	CHECK(bpf_map_update_elem(cg, &key, buf, BPF_ANY) == -ENOENT, "cg update: %s",
	      strerror(errno));
	CHECK(bpf_map_update_elem(cg, &key, buf, BPF_NOEXIST) == -EINVAL,
	      "cg update BPF_NOEXIST: %s", strerror(errno));
	CHECK(bpf_map_delete_elem(cg, &key) == -EINVAL, "cg delete: %s", strerror(errno));
	CHECK(bpf_map_get_next_key(cg, NULL, &next) == -ENOENT, "cg next key: %s", strerror(errno));
	CHECK(bpf_map_lookup_elem(pcg, &k8, buf) == -ENOENT, "pcg lookup: %s", strerror(errno));
	CHECK(bpf_map_update_elem(pcg, &k8, buf, BPF_EXIST) == -ENOENT, "pcg update: %s",
	      strerror(errno));
	CHECK(bpf_map_get_next_key(pcg, &k8, &n8) == -ENOENT, "pcg next key: %s", strerror(errno));
	CHECK(bpf_map_lookup_and_delete_elem(pcg, &k8, buf) == -ENOTSUPP,
	      "pcg lookup and delete: %s", strerror(errno));
}

/* The test run's socket: its storage lives as long as the test run. */
static void sk_storage(void)
{
	int err = run("sk_count", 1, 0);

	CHECK(err == 101 && out.sk_before == 0xdead && out.sk_count == 101 && out.sk_init == 7,
	      "sk_count: %d, before 0x%llx count %llu init %llu", err,
	      (unsigned long long)out.sk_before, (unsigned long long)out.sk_count,
	      (unsigned long long)out.sk_init);
	err = run("sk_count", 3, 0);
	CHECK(err == 103 && out.sk_before == 102, "repeat 3: %d, before %llu", err,
	      (unsigned long long)out.sk_before);
	err = run("sk_count", 1, 0);
	CHECK(err == 101, "a new test run, a new socket: %d", err);
	err = run("sk_count", 1, 1);
	CHECK(err == 0 && out.sk_bad_flags == 0 && out.sk_null_value == 1 && out.sk_del == 0 &&
		      out.sk_del_again == -ENOENT && out.sk_after_del == 0 &&
		      out.sk_recreated == 100,
	      "mode 1: %d, bad flags %llu null value %llu del %lld again %lld after %lld "
	      "recreated %lld",
	      err, (unsigned long long)out.sk_bad_flags, (unsigned long long)out.sk_null_value,
	      (long long)out.sk_del, (long long)out.sk_del_again, (long long)out.sk_after_del,
	      (long long)out.sk_recreated);
	err = run("cg_sk", 4, 0);
	CHECK(err == 1 && out.cg_sk_count == 4, "cg_sk, repeat 4: %d, count %llu", err,
	      (unsigned long long)out.cg_sk_count);
}

/* A socket storage from user space: keyed by the caller's socket fd. */
static void sk_storage_user(void)
{
	int m = map_fd("sks"), s = socket(AF_INET, SOCK_DGRAM, 0), d, k;
	struct sk_val v = {.count = 5, .init = 6, .lock = 0xffff}, got;

	k = s;
	CHECK(bpf_map_lookup_elem(m, &k, &got) == -ENOENT, "lookup: %s", strerror(errno));
	CHECK(bpf_map_update_elem(m, &k, &v, BPF_NOEXIST) == 0, "update: %s", strerror(errno));
	memset(&got, 0xee, sizeof(got));
	CHECK(bpf_map_lookup_elem(m, &k, &got) == 0 && got.count == 5 && got.init == 6 &&
		      got.lock == 0,
	      "lookup: %s, count %llu init %llu lock 0x%x", strerror(errno),
	      (unsigned long long)got.count, (unsigned long long)got.init, got.lock);
	d = dup(s);
	k = d;
	v.count = 9;
	CHECK(bpf_map_update_elem(m, &k, &v, BPF_F_LOCK | BPF_EXIST) == 0,
	      "update by a dup, BPF_F_LOCK: %s", strerror(errno));
	k = s;
	CHECK(bpf_map_lookup_elem_flags(m, &k, &got, BPF_F_LOCK) == 0 && got.count == 9,
	      "the same socket: %s, count %llu", strerror(errno), (unsigned long long)got.count);
	/* a test run's socket is another one */
	CHECK(run("sk_count", 1, 0) == 101, "a run beside a user's socket");
	CHECK(bpf_map_lookup_elem(m, &k, &got) == 0 && got.count == 9, "untouched by the run");
	CHECK(bpf_map_get_next_key(m, &k, &got) == -ENOTSUPP, "next key: %s", strerror(errno));
	CHECK(bpf_map_delete_elem(m, &k) == 0, "delete: %s", strerror(errno));
	CHECK(bpf_map_delete_elem(m, &k) == -ENOENT, "delete again: %s", strerror(errno));
	k = open("/dev/null", O_RDONLY);
	CHECK(bpf_map_lookup_elem(m, &k, &got) == -ENOTSOCK, "not a socket: %s", strerror(errno));
	close(k);
	close(d);
	close(s);
}

int main(int argc, char **argv)
{
	bool skipped;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	cgroup_storage();
	cgroup_storage_user();
	sk_storage();
	sk_storage_user();
	bpf_object__close(obj);
	return TEST_DONE();
}
