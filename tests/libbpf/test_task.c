/* The current task as tests/bpf/task.bpf.c reads it (bpf_get_current_task
 * with CO-RE probe reads, bpf_get_current_task_btf with direct loads), from
 * the main thread and from a second thread. Against the kernel
 * (-DKERNEL_BACKEND) the program is a uprobe on task_target() of this
 * binary; against bpfhost the same program runs with bpfhost_prog_run on the
 * pt_regs of the same call. Both must see this process as the kernel knows
 * it: ids, parent, thread-group leader, names, credentials, priorities, start
 * time, the command line through mm->arg_start.
 * Usage: test_task OBJ */
#include <asm/ptrace.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"
#ifndef KERNEL_BACKEND
#include "bpfhost.h"
#endif

#define MAIN_COMM "bpfhost-task"
#define THREAD_COMM "bpfhost-task2"
#define PF_KTHREAD 0x00200000

/* As tests/bpf/task.bpf.c declares it (its size checked against the BTF). */
struct seen {
	__u32 pid, tgid, ppid, parent_ppid, leader_pid, leader_tgid;
	__u32 uid, gid, euid, egid, suid, fsuid, real_uid;
	__u32 state, flags, prio, static_prio, normal_prio;
	__u64 start_time, start_boottime;
	__s64 mm_read;
	__u64 args_len;
	__s64 arg0_ret;
	__u64 env_nonempty;
	__u64 stack_above;
	char arg0[64];
	char comm[16], parent_comm[16], leader_comm[16];
	__u32 btf_pid, btf_tgid, btf_ppid, btf_uid;
	char btf_comm[16];
	__u64 same;
	__u64 hits;
};

static struct bpf_object *obj;
static struct bpf_program *prog;
static struct bpf_map *bss;

/* what each thread knows of itself, filled by the thread that fires */
static struct expect {
	__u32 tid, nice;
	unsigned long long start_ticks;
} expect[2];

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The probed function: which thread in rdi, an address on its stack in rsi. */
__attribute__((noinline, noclone, used)) int task_target(int which, unsigned long local);
__attribute__((noinline, noclone, used)) int task_target(int which, unsigned long local)
{
	__asm__ volatile("" ::"r"(local) : "memory");
	return which;
}

/* field 22 of this thread's /proc stat: when it started, in clock ticks */
static unsigned long long start_ticks(void)
{
	char path[64], buf[2048], *p;
	unsigned long long v = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", gettid());
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	/* ") S" then fields 4..21, then 22 */
	if (p)
		for (int field = 3; field <= 22 && p; field++)
			p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

static void read_file(const char *path, char *buf, size_t size, size_t *len)
{
	FILE *f = fopen(path, "re");

	*len = 0;
	memset(buf, 0, size);
	if (!f)
		return;
	*len = fread(buf, 1, size - 1, f);
	fclose(f);
}

static void fire(int which)
{
	unsigned long local = 0;

	errno = 0;
	expect[which].tid = (__u32)gettid();
	expect[which].nice = (__u32)getpriority(PRIO_PROCESS, (id_t)gettid());
	expect[which].start_ticks = start_ticks();
#ifdef KERNEL_BACKEND
	task_target(which, (unsigned long)&local);
#else
	struct pt_regs regs;
	unsigned long long ret = ~0ull;
	char err[256] = "";
	int r;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = (unsigned long)which;
	regs.rsi = (unsigned long)&local;
	regs.rip = (unsigned long)(uintptr_t)task_target;
	regs.rsp = (unsigned long)&regs;
	regs.cs = 0x33;
	r = bpfhost_prog_run(bpf_program__fd(prog), &regs, sizeof(regs), &ret, err, sizeof(err));
	CHECK(r == 0 && ret == 0, "bpfhost_prog_run (thread %d): %d %s", which, r, err);
#endif
	__asm__ volatile("" ::"r"(&local) : "memory");
}

static void *second(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, THREAD_COMM);
	fire(1);
	return NULL;
}

/* Opens the object, sets target_tgid; 0, 1 if skipped, -1 on failure. */
static int open_load(const char *path)
{
	__u32 sz = 0;
	int off;

	obj = bpf_object__open_file(path, NULL);
	CHECK(obj != NULL, "open %s: %s", path, strerror(errno));
	if (!obj)
		return -1;
	prog = bpf_object__find_program_by_name(obj, "task_probe");
	bss = test_map_named(obj, ".bss");
	CHECK(prog && bss, "the program and maps of %s", path);
	if (!prog || !bss)
		return -1;
	off = test_var_find(obj, ".bss", "seen", &sz);
	CHECK(off == 0 && sz == 2 * sizeof(struct seen), "seen in .bss: offset %d, %u bytes, %zu",
	      off, sz, 2 * sizeof(struct seen));
	if (test_rodata_set_u32(obj, "target_tgid", (__u32)getpid()))
		return -1;
	return test_load_object(obj);
}

static void check(int which, const struct seen *s)
{
	const struct expect *e = &expect[which];
	char parent_comm[64], path[64], cmdline[4096], environ_[64];
	size_t parent_len, cmd_len, env_len;
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long tick = 1000000000ull / (unsigned long long)hz;
	uid_t r, eu, su;
	gid_t rg, eg, sg;

	getresuid(&r, &eu, &su);
	getresgid(&rg, &eg, &sg);
	snprintf(path, sizeof(path), "/proc/%d/comm", getppid());
	read_file(path, parent_comm, sizeof(parent_comm), &parent_len);
	parent_comm[strcspn(parent_comm, "\n")] = 0;
	read_file("/proc/self/cmdline", cmdline, sizeof(cmdline), &cmd_len);
	read_file("/proc/self/environ", environ_, sizeof(environ_), &env_len);

	CHECK(s->hits == 1, "thread %d: %llu hits", which, (unsigned long long)s->hits);
	CHECK(s->pid == e->tid && s->tgid == (__u32)getpid(),
	      "thread %d: pid %u tgid %u, not %u %d", which, s->pid, s->tgid, e->tid, getpid());
	CHECK(s->ppid == (__u32)getppid() && s->parent_ppid == (__u32)getppid(),
	      "thread %d: real_parent %u parent %u, not %d", which, s->ppid, s->parent_ppid,
	      getppid());
	CHECK(s->leader_pid == (__u32)getpid() && s->leader_tgid == (__u32)getpid(),
	      "thread %d: group_leader %u/%u", which, s->leader_pid, s->leader_tgid);
	CHECK(s->uid == r && s->euid == eu && s->suid == su && s->fsuid == eu && s->real_uid == r,
	      "thread %d: uids %u %u %u %u %u", which, s->uid, s->euid, s->suid, s->fsuid,
	      s->real_uid);
	CHECK(s->gid == rg && s->egid == eg, "thread %d: gids %u %u", which, s->gid, s->egid);
	CHECK(s->state == 0, "thread %d: __state %u, not TASK_RUNNING", which, s->state);
	CHECK(!(s->flags & PF_KTHREAD), "thread %d: flags %#x", which, s->flags);
	CHECK(s->prio == 120 + e->nice && s->static_prio == s->prio && s->normal_prio == s->prio,
	      "thread %d: prio %u %u %u (nice %d)", which, s->prio, s->static_prio, s->normal_prio,
	      (int)e->nice);
	/* /proc shows the start time cut to clock ticks */
	CHECK(e->start_ticks && s->start_boottime >= e->start_ticks * tick &&
		      s->start_boottime < (e->start_ticks + 1) * tick,
	      "thread %d: start_boottime %llu ns, /proc says %llu ticks", which,
	      (unsigned long long)s->start_boottime, e->start_ticks);
	CHECK(s->start_time && s->start_time <= s->start_boottime, "thread %d: start_time %llu",
	      which, (unsigned long long)s->start_time);
	CHECK(!strcmp(s->comm, which ? THREAD_COMM : MAIN_COMM), "thread %d: comm '%.16s'", which,
	      s->comm);
	CHECK(!strcmp(s->leader_comm, MAIN_COMM), "thread %d: leader comm '%.16s'", which,
	      s->leader_comm);
	CHECK(!strncmp(s->parent_comm, parent_comm, 15), "thread %d: parent comm '%.16s', not '%s'",
	      which, s->parent_comm, parent_comm);
	CHECK(s->mm_read == 0, "thread %d: reading the mm: %lld", which, (long long)s->mm_read);
	CHECK(s->args_len == cmd_len, "thread %d: arg_end - arg_start %llu, cmdline %zu bytes",
	      which, (unsigned long long)s->args_len, cmd_len);
	CHECK(!strncmp(s->arg0, cmdline, sizeof(s->arg0) - 1) &&
		      s->arg0_ret == (__s64)(strnlen(cmdline, sizeof(s->arg0) - 1) + 1),
	      "thread %d: argv[0] '%s' (%lld), not '%s'", which, s->arg0, (long long)s->arg0_ret,
	      cmdline);
	CHECK(s->env_nonempty == (env_len > 0), "thread %d: environment %llu, %zu bytes", which,
	      (unsigned long long)s->env_nonempty, env_len);
	CHECK(s->stack_above == 1, "thread %d: start_stack not above the probe's stack", which);
	CHECK(s->btf_pid == s->pid && s->btf_tgid == s->tgid && s->btf_ppid == s->ppid &&
		      s->btf_uid == s->uid && !memcmp(s->btf_comm, s->comm, 16),
	      "thread %d: direct loads %u %u %u %u '%.16s'", which, s->btf_pid, s->btf_tgid,
	      s->btf_ppid, s->btf_uid, s->btf_comm);
	CHECK(s->same == 1, "thread %d: bpf_get_current_task != bpf_get_current_task_btf", which);
}

static void fire_all(void)
{
	pthread_t t;
	struct seen seen[2];
	__u32 zero = 0;
	unsigned char *buf = calloc(1, bpf_map__value_size(bss));

	fire(0);
	CHECK(pthread_create(&t, NULL, second, NULL) == 0, "pthread_create");
	pthread_join(t, NULL);
	CHECK(buf && bpf_map_lookup_elem(bpf_map__fd(bss), &zero, buf) == 0, "read .bss: %s",
	      strerror(errno));
	if (buf) {
		memcpy(seen, buf, sizeof(seen));
		check(0, &seen[0]);
		check(1, &seen[1]);
	}
	free(buf);
}

#ifdef KERNEL_BACKEND
static void run(void)
{
	char exe[PATH_MAX];
	struct bpf_link *l;
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "task_target");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	if (n <= 0)
		return;
	exe[n] = 0;
	l = bpf_program__attach_uprobe_opts(prog, 0, exe, 0, &o);
	if (!l) {
		int err = -errno;

		CHECK(err == -EPERM || err == -EACCES || err == -ENOENT || err == -EOPNOTSUPP ||
			      err == -ENODEV || err == -ENOSYS,
		      "attach the uprobe: %d %s", err, strerror(-err));
		printf("NOTICE: the kernel refused the uprobe (%s): skipped\n", strerror(-err));
		return;
	}
	fire_all();
	bpf_link__destroy(l);
}
#else
static void run(void)
{
	fire_all();
}
#endif

int main(int argc, char **argv)
{
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: test_task OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	prctl(PR_SET_NAME, MAIN_COMM);
	r = open_load(argv[1]);
	if (r) {
		bpf_object__close(obj);
		return r > 0 ? 0 : TEST_DONE();
	}
	run();
	bpf_object__close(obj);
	return TEST_DONE();
}
