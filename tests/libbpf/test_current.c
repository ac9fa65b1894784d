/* The current task's helpers from clang-compiled programs, on bpfhost and
 * (the _kernel build) on the kernel with the same expectations, each found
 * here another way than bpfhost finds it: the cgroup ids by
 * name_to_handle_at (bpfhost reads inode numbers), the pid namespace from
 * /proc/self/ns/pid, the network namespace's cookie from a socket; signals
 * caught with the kernel's si_code; bpf_copy_from_user on good and bad
 * pointers and its refusal outside sleepable programs;
 * bpf_map_lookup_percpu_elem per CPU. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

struct args {
	__u64 dev, ino;
	__u64 user;
	__u32 sig, cpu;
};

struct results {
	__u64 cgroup, ancestor[6];
	__s64 ns_ret, ns_bad_ret;
	struct bpf_pidns_info ns, ns_bad;
	__s64 copy_ret, copy_bad_ret;
	__u8 copied[16], copied_bad[16];
	__s64 percpu;
	__u64 netns;
};

/* the program's .bss, where it writes its results: read (or written) whole */
static struct results *res(struct bpf_object *obj)
{
	static struct results r;
	int fd = bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss"));
	__u32 zero = 0;

	CHECK(bpf_map_lookup_elem(fd, &zero, &r) == 0, ".bss: %s", strerror(errno));
	return &r;
}

static void res_write(struct bpf_object *obj, const struct results *r)
{
	int fd = bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss"));
	__u32 zero = 0;

	CHECK(bpf_map_update_elem(fd, &zero, r, 0) == 0, ".bss: %s", strerror(errno));
}

/* Where cgroup2 is mounted: alone, or beside v1 hierarchies (unified). */
static const char *cgroup2_root(void)
{
	static const char *const where[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"};
	struct statfs fs;

	/* fstatfs: statfs is bpfhost's in the bpfhost build (for /sys/fs/bpf) */
	for (int i = 0; i < 2; i++) {
		int fd = open(where[i], O_RDONLY | O_DIRECTORY);
		bool v2 = fd >= 0 && !fstatfs(fd, &fs) && fs.f_type == CGROUP2_SUPER_MAGIC;

		if (fd >= 0)
			close(fd);
		if (v2)
			return where[i];
	}
	return NULL;
}

/* The kernel's id of the cgroup2 directory dir: its file handle. */
static __u64 handle_id(const char *dir)
{
	struct {
		struct file_handle h;
		__u64 id;
	} fh;
	int mount_id;
	__u64 id;

	fh.h.handle_bytes = sizeof(fh.id);
	if (name_to_handle_at(AT_FDCWD, dir, &fh.h, &mount_id, 0))
		return 0;
	memcpy(&id, fh.h.f_handle, sizeof(id));
	return id;
}

static int run(int fd, struct args *a)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = a, .ctx_size_in = sizeof(*a));
	int err = bpf_prog_test_run_opts(fd, &o);

	return err ? err : (int)o.retval;
}

static volatile sig_atomic_t caught, caught_code;

static void on_signal(int sig, siginfo_t *info, void *uc)
{
	(void)sig, (void)uc;
	caught++;
	caught_code = info->si_code;
}

static void cgroups(struct bpf_object *obj)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "ident");
	const char *root = cgroup2_root();
	struct results *r;
	char line[4096], dir[8192];
	struct args a;
	struct stat st;
	int depth = 0;
	FILE *f;

	memset(&a, 0, sizeof(a));
	CHECK(stat("/proc/self/ns/pid", &st) == 0, "stat pid ns: %s", strerror(errno));
	a.dev = (__u64)major(st.st_dev) << 20 | minor(st.st_dev);
	a.ino = st.st_ino;
	CHECK(run(bpf_program__fd(p), &a) == 0, "ident");
	r = res(obj);
	CHECK(r->ns_ret == 0 && r->ns.pid == (__u32)gettid() && r->ns.tgid == (__u32)getpid(),
	      "ns: %lld pid %u tgid %u", (long long)r->ns_ret, r->ns.pid, r->ns.tgid);
	CHECK(r->ns_bad_ret == -EINVAL && r->ns_bad.pid == 0 && r->ns_bad.tgid == 0,
	      "another ns: %lld pid %u tgid %u", (long long)r->ns_bad_ret, r->ns_bad.pid,
	      r->ns_bad.tgid);

	if (!root) {
		printf("NOTICE: no cgroup2 mount: cgroup ids not checked\n");
		return;
	}
	f = fopen("/proc/self/cgroup", "r");
	CHECK(f != NULL, "/proc/self/cgroup: %s", strerror(errno));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			break;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(dir, sizeof(dir), "%s%s", root, strcmp(line + 3, "/") ? line + 3 : "");
	CHECK(r->cgroup == handle_id(dir) && r->cgroup, "cgroup id %llu, %s has %llu",
	      (unsigned long long)r->cgroup, dir, (unsigned long long)handle_id(dir));
	/* ancestors: level 0 is the root, then one more component a level */
	for (int level = 0; level < 6; level++) {
		char *end = line + 3;
		__u64 want;

		for (int i = 0; i < level && end; i++)
			end = strchr(end + 1, '/');
		if (level == 0) {
			want = handle_id(root);
		} else if (line[4] == '\0' || (!end && level > depth + 1)) {
			want = 0; /* past the task's own level */
		} else {
			snprintf(dir, sizeof(dir), "%s%.*s", root,
				 end ? (int)(end - line - 3) : (int)strlen(line + 3), line + 3);
			want = handle_id(dir);
			depth = level;
			if (!end)
				line[4] = '\0'; /* the last level: none after it */
		}
		CHECK(r->ancestor[level] == want, "ancestor %d: %llu, want %llu", level,
		      (unsigned long long)r->ancestor[level], (unsigned long long)want);
	}
}

static void signals(struct bpf_object *obj)
{
	int pfd = bpf_program__fd(bpf_object__find_program_by_name(obj, "signal_process"));
	int tfd = bpf_program__fd(bpf_object__find_program_by_name(obj, "signal_thread"));
	struct sigaction sa, old;
	struct args a;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, &old);
	memset(&a, 0, sizeof(a));
	a.sig = SIGUSR1;
	caught = 0;
	CHECK(run(pfd, &a) == 0 && caught == 1 && caught_code == SI_KERNEL,
	      "send_signal: caught %d code %d", caught, caught_code);
	CHECK(run(tfd, &a) == 0 && caught == 2 && caught_code == SI_KERNEL,
	      "send_signal_thread: caught %d code %d", caught, caught_code);
	a.sig = 0; /* no signal: the checks only */
	CHECK(run(pfd, &a) == 0 && caught == 2, "signal 0: caught %d", caught);
	a.sig = 65;
	CHECK(run(pfd, &a) == -EINVAL && run(tfd, &a) == -EINVAL && caught == 2,
	      "signal 65: caught %d", caught);
	sigaction(SIGUSR1, &old, NULL);
}

static void copies(struct bpf_object *obj)
{
	int fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "copy"));
	struct results *r;
	static const char text[16] = "from user space";
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1, .src_reg = 10},
		{.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 1, .imm = -8},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = 8},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = 0},
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_copy_from_user},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lo);
	static char log[4096];
	struct args a;
	int bad;

	memset(&a, 0, sizeof(a));
	r = res(obj);
	memset(r->copied_bad, 0x55, sizeof(r->copied_bad)); /* to be zeroed */
	res_write(obj, r);
	a.user = (__u64)(uintptr_t)text;
	CHECK(run(fd, &a) == 0, "copy");
	r = res(obj);
	CHECK(r->copy_ret == 0 && !memcmp(r->copied, text, 16), "copy_from_user: %lld %.16s",
	      (long long)r->copy_ret, (char *)r->copied);
	CHECK(r->copy_bad_ret == -EFAULT && r->copied_bad[0] == 0 && r->copied_bad[15] == 0,
	      "copy_from_user of address 8: %lld", (long long)r->copy_bad_ret);
	/* only sleepable programs may */
	lo.log_buf = log;
	lo.log_size = sizeof(log);
	lo.log_level = 1;
	bad = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "nosleep", "GPL", insns, 6, &lo);
	CHECK(bad == -EINVAL && strstr(log, "helper call might sleep in a non-sleepable prog"),
	      "copy_from_user in a kprobe program: %d %s", bad, log);
	if (bad >= 0)
		close(bad);
}

static void percpu(struct bpf_object *obj)
{
	int fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "percpu"));
	int map = bpf_map__fd(bpf_object__find_map_by_name(obj, "per_cpu"));
	int ncpus = libbpf_num_possible_cpus();
	__u64 *values = calloc((size_t)ncpus, sizeof(*values));
	__u32 key = 1;
	struct args a;

	if (!values)
		return;
	for (int i = 0; i < ncpus; i++)
		values[i] = 100 + (__u64)i;
	CHECK(bpf_map_update_elem(map, &key, values, 0) == 0, "per-CPU values");
	for (int cpu = 0; cpu <= ncpus; cpu++) {
		memset(&a, 0, sizeof(a));
		a.cpu = (__u32)cpu;
		CHECK(run(fd, &a) == 0 && res(obj)->percpu == (cpu < ncpus ? 100 + cpu : -1),
		      "CPU %d's value: %lld", cpu, (long long)res(obj)->percpu);
	}
	free(values);
}

static void netns(struct bpf_object *obj)
{
	int fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "netns"));
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	__u8 frame[64] = {[12] = 0x88, [13] = 0xb5};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = sizeof(frame));
	__u64 want = 0;
	socklen_t len = sizeof(want);

	CHECK(s >= 0 && getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &want, &len) == 0,
	      "SO_NETNS_COOKIE: %s", strerror(errno));
	close(s);
	CHECK(bpf_prog_test_run_opts(fd, &o) == 0, "netns test run");
	CHECK(res(obj)->netns == want && want, "bpf_get_netns_cookie %llu, the socket's %llu",
	      (unsigned long long)res(obj)->netns, (unsigned long long)want);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	bool skipped;

	if (argc != 2) {
		fprintf(stderr, "usage: %s current.bpf.o\n", argv[0]);
		return 2;
	}
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	cgroups(obj);
	signals(obj);
	copies(obj);
	percpu(obj);
	netns(obj);
	bpf_object__close(obj);
	return TEST_DONE();
}
