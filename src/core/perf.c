/* BPF output events in user space. libbpf's perf_buffer (and any program
 * doing what it does) opens one PERF_COUNT_SW_BPF_OUTPUT event per CPU,
 * mmaps it, enables it with an ioctl, stores its fd in a
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY and waits in epoll. bpfhost's programs
 * cannot write into the kernel's perf buffers, so under the wrappers and the
 * preload such a perf_event_open makes a bpfhost event instead:
 *
 *   - a file in obj_dir(), laid out as src/maps/perf_event_array.c says: a
 *     private header page, then what the kernel's perf mmap shows (struct
 *     perf_event_mmap_page, data pages); the fd returned is that file's, so
 *     close/dup/fork behave;
 *   - registered as obj_dir()/.ids/perf.<id> (the id is the file's inode
 *     number, also PERF_EVENT_IOC_ID's answer), the path a map slot keeps so
 *     that programs of any process find the event;
 *   - alive while the description returned holds its shared flock, i.e.
 *     while an fd or an mmap of it exists anywhere (the kernel's lifetime);
 *     the close that ends it (of an fd perf_open returned in this process)
 *     removes its registry entry, and each perf_event_open those of other
 *     dead events, so that their memory is freed.
 *
 * mmap (offset 0, MAP_SHARED, 1 + 2^n pages) sizes the ring the first time
 * and maps the file from the user page on; ioctls ENABLE, DISABLE, RESET,
 * REFRESH, PERIOD, ID and PAUSE_OUTPUT behave as the kernel's; epoll
 * readiness is the kernel's perf_poll (src/core/mmap.c). Missing: read() of
 * the count, event groups (group_fd), SET_OUTPUT/SET_FILTER/SET_BPF, AUX
 * areas, backward rings, cgroup events, and sample_type bits beyond
 * PERF_RING_SAMPLE_TYPES (EOPNOTSUPP); bpfhost enforces no perf_event_paranoid.
 */
#include "perf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../maps/map.h"
#include "../maps/perf_event_array.h"
#include "obj.h"

#define PAGE 4096u

/* The fds perf_open returned in this process, for the close wrappers. */
static pthread_mutex_t opened_lock = PTHREAD_MUTEX_INITIALIZER;
static int opened[256];
static size_t opened_cnt; /* read without the lock: 0 makes close cheap */

bool perf_serves(const void *attr)
{
	const struct perf_event_attr *a = attr;

	return a && a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_BPF_OUTPUT;
}

/* The kernel's perf_copy_attr: size 0 is the first version's; a larger
 * struct than ours must end in zeros. */
static int copy_attr(const struct perf_event_attr *uattr, struct perf_event_attr *attr)
{
	uint32_t size = uattr->size;

	if (!size)
		size = PERF_ATTR_SIZE_VER0;
	if (size < PERF_ATTR_SIZE_VER0 || size > PAGE)
		goto too_big;
	memset(attr, 0, sizeof(*attr));
	memcpy(attr, uattr, size < sizeof(*attr) ? size : sizeof(*attr));
	for (uint32_t i = sizeof(*attr); i < size; i++)
		if (((const uint8_t *)uattr)[i])
			goto too_big;
	attr->size = size;
	if (attr->sample_type & ~(PERF_SAMPLE_MAX - 1) ||
	    attr->read_format & ~(uint64_t)(PERF_FORMAT_MAX - 1) || attr->__reserved_1 ||
	    attr->__reserved_2 || attr->__reserved_3)
		return -EINVAL;
	return 0;
too_big:
	((struct perf_event_attr *)(uintptr_t)uattr)->size = sizeof(*attr);
	return -E2BIG;
}

/* The checks of the kernel's perf_event_open in its order, then what
 * bpfhost's events cannot do. *tid gets the thread the event counts in. */
static int check_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
		      unsigned long flags, int *tid)
{
	struct perf_ring *leader;

	if (!attr->freq && (attr->sample_period >> 63))
		return -EINVAL;
	if ((flags & PERF_FLAG_PID_CGROUP) && (pid == -1 || cpu == -1))
		return -EINVAL;
	if (group_fd != -1) {
		/* perf_fget_light: EBADF for anything but a perf event; bpfhost's
		 * events form no groups */
		leader = perf_ring_from_fd(group_fd);
		perf_ring_put(leader);
		return leader ? -EINVAL : -EBADF;
	}
	if (flags & PERF_FLAG_PID_CGROUP)
		return -EOPNOTSUPP;
	*tid = 0;
	if (pid == 0)
		*tid = gettid();
	else if (pid != -1 && (pid < 0 || (kill(pid, 0) && errno == ESRCH)))
		return -ESRCH;
	else if (pid != -1)
		*tid = pid;
	if (cpu < -1 || (cpu >= 0 && (unsigned)cpu >= map_possible_cpus()) || (cpu == -1 && !*tid))
		return -EINVAL;
	if (attr->write_backward || (attr->sample_type & ~(uint64_t)PERF_RING_SAMPLE_TYPES))
		return -EOPNOTSUPP;
	return 0;
}

/* Removes the registry entries of events no one holds any more. */
static void gc(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, "perf.", 5))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (perf_ring_file_dead(fd))
			unlinkat(dirfd(d), de->d_name, 0);
		close(fd);
	}
	closedir(d);
}

int perf_open(const struct perf_event_attr *uattr, pid_t pid, int cpu, int group_fd,
	      unsigned long flags)
{
	const unsigned long all = PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT |
				  PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC;
	char dir[600], path[700], self[64];
	struct perf_event_attr attr;
	struct stat st;
	int fd, err, tid;

	if (!uattr)
		return -EFAULT;
	if (flags & ~all)
		return -EINVAL;
	err = copy_attr(uattr, &attr);
	if (!err)
		err = check_open(&attr, pid, cpu, group_fd, flags, &tid);
	if (err)
		return err;
	snprintf(dir, sizeof(dir), "%s/.ids", obj_dir());
	gc(dir);
	fd = obj_tmpfile();
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) ? -errno : 0;
	if (!err) {
		snprintf(path, sizeof(path), "%s/perf.%llu", dir, (unsigned long long)st.st_ino);
		err = perf_ring_init(fd, &attr, cpu, tid, (uint64_t)st.st_ino, path);
	}
	/* held before it is published: a gc never sees it unheld */
	if (!err && flock(fd, LOCK_SH))
		err = -errno;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (!err && linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW))
		err = -errno;
	if (!err && !(flags & PERF_FLAG_FD_CLOEXEC) && fcntl(fd, F_SETFD, 0))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	pthread_mutex_lock(&opened_lock);
	if (opened_cnt < sizeof(opened) / sizeof(opened[0]))
		opened[opened_cnt++] = fd; /* else the sweeps remove its entry */
	pthread_mutex_unlock(&opened_lock);
	return fd;
}

struct perf_ring *perf_fd_closing(int fd)
{
	bool found = false;

	if (!__atomic_load_n(&opened_cnt, __ATOMIC_RELAXED))
		return NULL;
	pthread_mutex_lock(&opened_lock);
	for (size_t i = 0; i < opened_cnt; i++) {
		if (opened[i] == fd) {
			opened[i] = opened[--opened_cnt];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&opened_lock);
	/* the number may have been closed behind our back and reused */
	return found ? perf_ring_from_fd(fd) : NULL;
}

void perf_fd_closed(struct perf_ring *r)
{
	int err = errno;

	if (r && perf_ring_dead(r))
		unlinkat(AT_FDCWD, perf_ring_path(r), 0);
	perf_ring_put(r);
	errno = err;
}

int perf_fd_ioctl(int fd, unsigned long cmd, unsigned long arg, long *ret)
{
	struct perf_ring *r;

	if (_IOC_TYPE(cmd) != '$')
		return 0;
	r = perf_ring_from_fd(fd);
	if (!r)
		return 0;
	*ret = perf_ring_ioctl(r, (unsigned int)cmd, arg);
	perf_ring_put(r);
	return 1;
}

static void *fail(int err)
{
	errno = err;
	return MAP_FAILED;
}

/* The kernel's perf_mmap: shared only; offset 0 (no AUX area); the user
 * page and 0 or 2^n data pages, as many as the first mmap had. */
void *perf_fd_mmap(mapfd_mmap_fn *real, struct perf_ring *r, void *addr, size_t len, int prot,
		   int flags, int fd, off_t off)
{
	uint64_t pages = ((uint64_t)len + PAGE - 1) / PAGE;
	int type = flags & MAP_TYPE, err;

	if (type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return fail(EINVAL);
	if (!len || off)
		return fail(EINVAL);
	if (pages - 1 > UINT32_MAX)
		return fail(ENOMEM);
	err = perf_ring_setup(r, (uint32_t)(pages - 1), prot & PROT_WRITE);
	if (err)
		return fail(-err);
	return real(addr, len, prot, flags, fd, PERF_RING_USER_OFF);
}

const char *perf_fd_link(int fd)
{
	struct perf_ring *r = perf_ring_from_fd(fd);
	bool ours = r != NULL;

	perf_ring_put(r);
	return ours ? "anon_inode:[perf_event]" : NULL;
}
