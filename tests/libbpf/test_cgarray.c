/* BPF_MAP_TYPE_CGROUP_ARRAY from user space (what creation accepts, BTF
 * types not; what updates take: cgroup2 directory fds only, BPF_ANY only;
 * lookups and batches refused)
 * and through its helpers (tests/bpf/cgarray.bpf.o): slot 0 the cgroup2
 * root, 1 the test's own cgroup, 2 empty, 3 a child cgroup made for the test
 * and 4 its child; the answers before the test moves itself into the
 * grandchild, while there, and once both are removed. The same expectations
 * hold against the kernel (-DKERNEL_BACKEND). Making cgroups and moving into
 * them needs privilege: refused, that part is skipped with a notice.
 * Usage: test_cgarray OBJ */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#define ENOTSUPP 524
#define SLOTS 5
#define NRES (SLOTS + 2)

/* The .bss of tests/bpf/cgarray.bpf.c */
struct results {
	long task_under[NRES], skb_under[NRES];
};

static struct bpf_object *obj;

/* Where the first filesystem of type fstype is mounted ("" if nowhere). */
static void mount_of(const char *fstype, char *out, size_t size)
{
	char line[4096], mnt[PATH_MAX], pat[64];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	out[0] = '\0';
	snprintf(pat, sizeof(pat), " - %s ", fstype);
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, pat) && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(out, size, "%s", mnt);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* The test's cgroup2 directory: root + the "0::" path of /proc/self/cgroup. */
static bool own_cgroup(const char *root, char *out, size_t size)
{
	char line[PATH_MAX + 8];
	FILE *f = fopen("/proc/self/cgroup", "re");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		found = (size_t)snprintf(out, size, "%s%s", root,
					 strcmp(line + 3, "/") ? line + 3 : "") < size;
	}
	if (f)
		fclose(f);
	return found;
}

/* Moves this process into the cgroup at dir: 0 or -errno. */
static int move_to(const char *dir)
{
	char path[PATH_MAX + 32], pid[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	n = snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, pid, (size_t)n) != n)
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

/* rmdir of a cgroup the test left: the kernel may still count the test in it
 * for a moment after it moved out (EBUSY). */
static bool remove_cgroup(const char *dir)
{
	for (int i = 0; i < 500; i++) {
		if (!rmdir(dir) || errno == ENOENT)
			return true;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	printf("NOTICE: rmdir %s: %s\n", dir, strerror(errno));
	return false;
}

static int create(__u32 key_size, __u32 value_size, __u32 max_entries, __u32 flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
	int fd = bpf_map_create(BPF_MAP_TYPE_CGROUP_ARRAY, "cgarray", key_size, value_size,
				max_entries, &opts);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -errno;
}

static void check_create(void)
{
	static const struct {
		__u32 key_size, value_size, max_entries, flags;
		int err;
	} cases[] = {
		{4, 4, 1, 0, 0},
		{4, 4, 1, BPF_F_NUMA_NODE, 0},
		{4, 4, 1, BPF_F_RDONLY, 0},
		{4, 4, 1, BPF_F_WRONLY, 0},
		{8, 4, 1, 0, -EINVAL},
		{4, 8, 1, 0, -EINVAL},
		{4, 4, 0, 0, -EINVAL},
		{4, 4, 1, BPF_F_MMAPABLE, -EINVAL},
		{4, 4, 1, BPF_F_RDONLY_PROG, -EINVAL},
		{4, 4, 1, BPF_F_WRONLY_PROG, -EINVAL},
		{4, 4, 1, BPF_F_PRESERVE_ELEMS, -EINVAL},
		{4, 4, 1, BPF_F_INNER_MAP, -EINVAL},
		{4, 4, 1, BPF_F_NO_PREALLOC, -EINVAL},
	};

	struct btf *btf = btf__new_empty();
	int fd;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = create(cases[i].key_size, cases[i].value_size, cases[i].max_entries,
				 cases[i].flags);

		CHECK(err == cases[i].err, "create #%zu (%u, %u, %u, 0x%x): %d, expected %d", i,
		      cases[i].key_size, cases[i].value_size, cases[i].max_entries, cases[i].flags,
		      err, cases[i].err);
	}
	/* values are cgroups: no BTF types (libbpf leaves them out for this type) */
	CHECK(btf && btf__add_int(btf, "int", 4, 0) == 1 && !btf__load_into_kernel(btf),
	      "a BTF object: %s", strerror(errno));
	if (btf && btf__fd(btf) >= 0) {
		LIBBPF_OPTS(bpf_map_create_opts, opts, .btf_fd = (__u32)btf__fd(btf),
			    .btf_key_type_id = 1, .btf_value_type_id = 1);

		fd = bpf_map_create(BPF_MAP_TYPE_CGROUP_ARRAY, "cgarray", 4, 4, 1, &opts);
		CHECK(fd < 0 && errno == ENOTSUPP, "with BTF types: %d (%s)", fd, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	btf__free(btf);
}

static int update(int map, __u32 key, int fd, __u64 flags)
{
	__u32 v = (__u32)fd;

	return bpf_map_update_elem(map, &key, &v, flags) ? -errno : 0;
}

/* What user space may do with a cgroup array: fds of cgroup2 directories in,
 * nothing out. */
static void check_user(const char *root)
{
	char path[PATH_MAX + 32], v1[PATH_MAX];
	int map = bpf_map_create(BPF_MAP_TYPE_CGROUP_ARRAY, "cgarray", 4, 4, 4, NULL);
	int cg = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC), procs, v1fd = -1;
	__u32 key = 0, next = 0, out = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", root);
	procs = open(path, O_RDONLY | O_CLOEXEC);
	mount_of("cgroup", v1, sizeof(v1));
	if (v1[0])
		v1fd = open(v1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(map >= 0 && cg >= 0 && procs >= 0 && tmp >= 0, "map %d, cgroup2 root %d (%s)", map,
	      cg, root);
	CHECK(update(map, 0, cg, BPF_ANY) == 0, "update with the root's fd");
	CHECK(update(map, 1, cg, BPF_ANY) == 0, "update with the root's fd");
	CHECK(update(map, 0, procs, BPF_ANY) == -EBADF, "a file in cgroup2");
	CHECK(update(map, 0, tmp, BPF_ANY) == -EBADF, "a directory of another filesystem");
	CHECK(update(map, 0, map, BPF_ANY) == -EBADF, "a map fd");
	CHECK(update(map, 0, -1, BPF_ANY) == -EBADF, "fd -1");
	if (v1fd >= 0)
		CHECK(update(map, 0, v1fd, BPF_ANY) == -EBADF, "a cgroup v1 directory (%s)", v1);
	CHECK(update(map, 0, cg, BPF_NOEXIST) == -EINVAL, "BPF_NOEXIST");
	CHECK(update(map, 0, cg, BPF_EXIST) == -EINVAL, "BPF_EXIST");
	CHECK(update(map, 4, cg, BPF_ANY) == -E2BIG, "past the end");
	CHECK(update(map, 4, -1, BPF_ANY) == -E2BIG, "past the end, fd -1");
	CHECK(update(map, 4, cg, BPF_EXIST) == -EINVAL, "past the end, BPF_EXIST");

	CHECK(bpf_map_lookup_elem(map, &key, &out) && errno == ENOTSUPP, "lookup: %s",
	      strerror(errno));
	key = 3;
	CHECK(bpf_map_lookup_elem(map, &key, &out) && errno == ENOTSUPP, "lookup of an empty slot");
	key = 9;
	CHECK(bpf_map_lookup_elem(map, &key, &out) && errno == ENOTSUPP, "lookup past the end");
	key = 0;
	CHECK(bpf_map_lookup_and_delete_elem(map, &key, &out) && errno == ENOTSUPP,
	      "lookup_and_delete: %s", strerror(errno));
	CHECK(!bpf_map_delete_elem(map, &key), "delete");
	CHECK(bpf_map_delete_elem(map, &key) && errno == ENOENT, "delete again: %s",
	      strerror(errno));
	key = 4;
	CHECK(bpf_map_delete_elem(map, &key) && errno == E2BIG, "delete past the end: %s",
	      strerror(errno));
	CHECK(!bpf_map_get_next_key(map, NULL, &next) && next == 0, "first key %u", next);
	key = 3;
	CHECK(bpf_map_get_next_key(map, &key, &next) && errno == ENOENT, "past the last key");
	key = 9;
	CHECK(!bpf_map_get_next_key(map, &key, &next) && next == 0, "from past the end: %u", next);
	{
		__u32 keys[2] = {0, 1}, vals[2] = {(__u32)cg, (__u32)cg}, count = 2, batch = 0;

		CHECK(bpf_map_update_batch(map, keys, vals, &count, NULL) && errno == ENOTSUPP,
		      "update batch: %s", strerror(errno));
		count = 2;
		CHECK(bpf_map_lookup_batch(map, NULL, &batch, keys, vals, &count, NULL) &&
			      errno == ENOTSUPP,
		      "lookup batch: %s", strerror(errno));
	}
	CHECK(!bpf_map_freeze(map), "freeze: %s", strerror(errno));
	CHECK(update(map, 0, cg, BPF_ANY) == -EPERM, "update when frozen");
	close(map);
	close(cg);
	close(procs);
	close(tmp);
	if (v1fd >= 0)
		close(v1fd);
}

/* Runs both programs; the results they stored. */
static void run(struct results *r)
{
	struct bpf_map *bss = test_map_named(obj, ".bss");
	struct bpf_program *task = bpf_object__find_program_by_name(obj, "task");
	struct bpf_program *skb = bpf_object__find_program_by_name(obj, "skb");
	char pkt[64];
	__u32 zero = 0;

	memset(pkt, 0, sizeof(pkt));
	memset(r, 0x55, sizeof(*r));
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	LIBBPF_OPTS(bpf_test_run_opts, sopts, .data_in = pkt, .data_size_in = sizeof(pkt));
	CHECK(!bpf_prog_test_run_opts(bpf_program__fd(task), &topts), "run task: %s",
	      strerror(errno));
	CHECK(!bpf_prog_test_run_opts(bpf_program__fd(skb), &sopts), "run skb: %s",
	      strerror(errno));
	CHECK(!bpf_map_lookup_elem(bpf_map__fd(bss), &zero, r), "read .bss");
}

static void expect(const char *when, const long want[NRES])
{
	struct results r;

	run(&r);
	for (int i = 0; i < NRES; i++) {
		CHECK(r.task_under[i] == want[i],
		      "%s: bpf_current_task_under_cgroup #%d: %ld, "
		      "expected %ld",
		      when, i, r.task_under[i], want[i]);
		CHECK(r.skb_under[i] == want[i], "%s: bpf_skb_under_cgroup #%d: %ld, expected %ld",
		      when, i, r.skb_under[i], want[i]);
	}
}

static void check_helpers(const char *root, const char *own)
{
	char child[PATH_MAX + 64], grandchild[PATH_MAX + 80];
	int map = bpf_map__fd(bpf_object__find_map_by_name(obj, "cgroups"));
	int fds[SLOTS] = {-1, -1, -1, -1, -1};
	long want[NRES] = {1, 1, -EAGAIN, -EAGAIN, -EAGAIN, -E2BIG, -E2BIG};
	bool made = false, moved = false;
	int err;

	snprintf(child, sizeof(child), "%s/bpfhost-cgarray-%d", own, getpid());
	snprintf(grandchild, sizeof(grandchild), "%s/sub", child);
	fds[0] = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds[1] = open(own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mkdir(child, 0755) || mkdir(grandchild, 0755)) {
		printf("NOTICE: mkdir %s: %s: cgroups of the test's own skipped\n", grandchild,
		       strerror(errno));
		rmdir(child);
	} else {
		made = true;
		fds[3] = open(child, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		fds[4] = open(grandchild, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		want[3] = want[4] = 0;
	}
	for (int i = 0; i < SLOTS; i++)
		if (fds[i] >= 0)
			CHECK(update(map, (__u32)i, fds[i], BPF_ANY) == 0, "slot %d: %s", i,
			      strerror(errno));
	expect("in the test's cgroup", want);

	if (made) {
		err = move_to(grandchild);
		if (err)
			printf("NOTICE: moving into %s: %s: skipped\n", grandchild, strerror(-err));
		moved = !err;
	}
	if (moved) {
		want[3] = want[4] = 1;
		expect("in the grandchild", want);
		err = move_to(own);
		CHECK(err == 0, "moving back to %s: %s", own, strerror(-err));
		want[3] = want[4] = 0;
		expect("back", want);
	}
	if (made && remove_cgroup(grandchild) && remove_cgroup(child)) {
		/* the slots still hold them, removed: nobody is under them */
		expect("with the cgroups removed", want);
		CHECK(update(map, 4, fds[4], BPF_ANY) == -ENOENT, "a removed cgroup: %s",
		      strerror(errno));
	}
	for (int i = 0; i < SLOTS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int main(int argc, char **argv)
{
	char root[PATH_MAX], own[PATH_MAX + 8];
	bool skipped;

	if (argc != 2)
		return 2;
	check_create();
	mount_of("cgroup2", root, sizeof(root));
	if (!root[0] || !own_cgroup(root, own, sizeof(own))) {
		printf("NOTICE: no cgroup2 mount: skipped\n");
		return TEST_DONE();
	}
	check_user(root);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	check_helpers(root, own);
	bpf_object__close(obj);
	return TEST_DONE();
}
