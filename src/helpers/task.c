/* Helpers about the current task, answered from what the kernel tells the
 * process about itself, so that they give what the kernel's helpers give:
 * - a cgroup's id is its cgroup2 directory's inode number (kernfs ids are
 *   inode numbers on 64-bit machines); the task's cgroup is the "0::" line of
 *   /proc/self/cgroup, found under the cgroup2 mount (/proc/self/mountinfo);
 * - the pid namespace is /proc/self/ns/pid's device and inode, in which the
 *   task's ids are what getpid and gettid say;
 * - the network namespace's cookie is SO_NETNS_COOKIE of any socket in it;
 * - a signal is queued as the kernel queues it (SI_KERNEL, no sender) to the
 *   process or the thread. */
#include "task.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../maps/map.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define ERR(e) ((uint64_t)(int64_t)(e))

static char cgroup_root[PATH_MAX]; /* where cgroup2 is mounted, "" if nowhere */
static pthread_once_t cgroup_once = PTHREAD_ONCE_INIT;

static void find_cgroup_root(void)
{
	char line[4096], mnt[PATH_MAX], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPER */
	while (fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - cgroup2 ");
		if (sep && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(cgroup_root, sizeof(cgroup_root), "%s", mnt);
			break;
		}
	}
	fclose(f);
}

/* The cgroup2 directory of the calling process, ancestors cut to level
 * components below the root (level < 0: the whole path). Returns its depth
 * (0 for the root), or -1 if there is none. */
static int cgroup_dir(char *out, size_t size, int level)
{
	char line[PATH_MAX + 8], *path = NULL;
	int depth = 0;
	FILE *f;

	pthread_once(&cgroup_once, find_cgroup_root);
	if (!cgroup_root[0])
		return -1;
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			path = line + 3;
			path[strcspn(path, "\n")] = '\0';
			break;
		}
	fclose(f);
	if (!path)
		return -1;
	for (char *p = path; *p; p++) {
		if (*p != '/' || !p[1])
			continue;
		if (depth++ == level) {
			*p = '\0';
			break;
		}
	}
	if (level >= 0 && level > depth)
		return -1;
	if ((size_t)snprintf(out, size, "%s%s", cgroup_root, strcmp(path, "/") ? path : "") >= size)
		return -1;
	return depth;
}

static uint64_t cgroup_id(int level)
{
	char dir[PATH_MAX * 2];
	struct stat st;

	if (cgroup_dir(dir, sizeof(dir), level) < 0 || stat(dir, &st))
		return 0;
	return st.st_ino;
}

int task_cgroup_under(uint64_t id)
{
	char dir[PATH_MAX * 2];
	struct stat st;
	size_t root;

	if (!id || cgroup_dir(dir, sizeof(dir), -1) < 0)
		return 0;
	root = strlen(cgroup_root);
	for (;;) { /* the task's cgroup, then each ancestor up to the root */
		char *up = strrchr(dir + root, '/');

		if (!stat(dir, &st) && st.st_ino == id)
			return 1;
		if (!up)
			return 0;
		*up = '\0';
	}
}

/* bpf_get_current_cgroup_id(): the id of the task's cgroup (cgroup2). */
uint64_t helper_get_current_cgroup_id(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct vm_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return cgroup_id(-1);
}

/* bpf_get_current_ancestor_cgroup_id(level): the id of the task's cgroup's
 * ancestor at level (0: the root cgroup), 0 past the task's own level. */
uint64_t helper_get_current_ancestor_cgroup_id(uint64_t level, uint64_t r2, uint64_t r3,
					       uint64_t r4, uint64_t r5, struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	if ((int)level < 0)
		return 0;
	return cgroup_id((int)level);
}

/* bpf_get_ns_current_pid_tgid(dev, ino, nsdata, size): the task's pid and
 * tgid as the pid namespace (dev, ino) sees them, if that is the task's
 * own; else -EINVAL with nsdata zeroed. dev is the kernel's dev_t (major
 * << 20 | minor), at most 32 bits. */
uint64_t helper_get_ns_current_pid_tgid(uint64_t dev, uint64_t ino, uint64_t nsdata, uint64_t size,
					uint64_t r5, struct vm_run *run)
{
	struct bpf_pidns_info *info = (struct bpf_pidns_info *)(uintptr_t)nsdata;
	struct stat st;

	(void)r5, (void)run;
	if ((uint32_t)size == sizeof(*info) && dev == (uint32_t)dev &&
	    !stat("/proc/self/ns/pid", &st) && st.st_ino == ino &&
	    ((uint64_t)major(st.st_dev) << 20 | minor(st.st_dev)) == dev) {
		info->pid = (uint32_t)gettid();
		info->tgid = (uint32_t)getpid();
		return 0;
	}
	memset(info, 0, (uint32_t)size);
	return ERR(-EINVAL);
}

static uint64_t queue_signal(uint64_t sig, bool thread)
{
	siginfo_t info;
	long r;

	if (sig > 64) /* valid_signal */
		return ERR(-EINVAL);
	memset(&info, 0, sizeof(info));
	info.si_signo = (int)sig;
	info.si_code = SI_KERNEL;
	r = thread ? syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), (int)sig, &info)
		   : syscall(SYS_rt_sigqueueinfo, getpid(), (int)sig, &info);
	return r ? ERR(-errno) : 0;
}

/* bpf_send_signal(sig): sig to the task's process; 0 or -EINVAL. */
uint64_t helper_send_signal(uint64_t sig, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return queue_signal((uint32_t)sig, false);
}

/* bpf_send_signal_thread(sig): sig to the task itself. */
uint64_t helper_send_signal_thread(uint64_t sig, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				   struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return queue_signal((uint32_t)sig, true);
}

/* bpf_get_netns_cookie(ctx): the cookie of the network namespace the
 * program runs in (the test run's device and socket are in the caller's). */
uint64_t helper_get_netns_cookie(uint64_t ctx, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run)
{
	static uint64_t cookie;
	socklen_t len = sizeof(cookie);
	uint64_t c = __atomic_load_n(&cookie, __ATOMIC_RELAXED);
	int fd;

	(void)ctx, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	if (c)
		return c;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &c, &len))
		__atomic_store_n(&cookie, c, __ATOMIC_RELAXED);
	if (fd >= 0)
		close(fd);
	return c;
}

/* bpf_map_lookup_percpu_elem(map, key, cpu): CPU cpu's value of key in a
 * per-CPU map, NULL past the CPUs. */
uint64_t helper_map_lookup_percpu_elem(uint64_t map, uint64_t key, uint64_t cpu, uint64_t r4,
				       uint64_t r5, struct vm_run *run)
{
	struct bpfmap *m = (struct bpfmap *)(uintptr_t)map;

	(void)r4, (void)r5;
	if (!map_is_percpu(m->hdr->map_type) || !m->ops->prog_lookup) {
		vm_helper_fault(run,
				"helper bpf_map_lookup_percpu_elem: map of type %s is not per-CPU",
				map_type_name(m->hdr->map_type));
		return 0;
	}
	if ((uint32_t)cpu >= m->ncpus)
		return 0;
	return (uint64_t)(uintptr_t)m->ops->prog_lookup(m, (const void *)(uintptr_t)key,
							(unsigned)(uint32_t)cpu);
}
