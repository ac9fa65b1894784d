/* The LD_PRELOAD library: an unmodified program (bpftool, a libbpf loader)
 * run with LD_PRELOAD=libbpfhost-preload.so has its bpf(2) calls served by
 * bpfhost. Besides syscall(SYS_bpf, ...), it answers what such programs ask
 * the rest of the system about BPF objects: statfs on the pin directory says
 * BPF_FS_MAGIC, /sys/fs/bpf paths given to mkdir/unlink/access land in the
 * object directory, readlink of a bpfhost fd says "anon_inode:bpf-map", mmap
 * and epoll of a map fd behave as the kernel's (src/core/mmap.c: a ring
 * buffer's pages, its readiness), and close/dup keep the fd table right.
 * syscall(SYS_perf_event_open, ...) of a BPF output event (libbpf's
 * perf_buffer) makes a bpfhost perf event (src/core/perf.c), whose mmap,
 * ioctls, epoll and readlink are the kernel's perf event's.
 * Everything else passes through to libc untouched. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "../core/mmap.h"
#include "../core/obj.h"
#include "../core/perf.h"
#include "../core/pin.h"

#define EXPORT __attribute__((visibility("default")))
#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

/* Set while bpfhost's own code runs on this thread: the libc calls it makes
 * (mkdir of its directory, close of its files, mmap of map storage) go
 * straight to libc. */
static __thread int inside;

/* The next definition of name (libc's), looked up once. */
#define REAL(name)                                                                                 \
	static __typeof__(name) *real_##name;                                                      \
	if (!real_##name)                                                                          \
	real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

EXPORT long syscall(long number, ...)
{
	long a[6];
	va_list ap;

	REAL(syscall);
	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == SYS_bpf && !inside) {
		long r;

		inside = 1;
		r = bpfhost_sys_bpf((int)a[0], (union bpf_attr *)a[1], (unsigned int)a[2]);
		inside = 0;
		return r;
	}
	if (number == SYS_perf_event_open && !inside && perf_serves((const void *)a[0])) {
		int fd;

		inside = 1;
		fd = perf_open((const struct perf_event_attr *)a[0], (pid_t)a[1], (int)a[2],
			       (int)a[3], (unsigned long)a[4]);
		inside = 0;
		if (fd < 0) {
			errno = -fd;
			return -1;
		}
		return fd;
	}
	return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The perf ioctls of a bpfhost perf event; everything else to libc. */
EXPORT int ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	int handled = 0;
	va_list ap;
	long r = 0;

	REAL(ioctl);
	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (!inside && _IOC_TYPE(req) == '$') {
		inside = 1;
		handled = perf_fd_ioctl(fd, req, arg, &r);
		inside = 0;
	}
	if (!handled)
		return real_ioctl(fd, req, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

EXPORT int close(int fd)
{
	struct perf_ring *perf = NULL;
	int r;

	REAL(close);
	if (inside)
		return real_close(fd);
	inside = 1;
	perf = perf_fd_closing(fd);
	inside = 0;
	bpfhost_fd_closed(fd);
	mapfd_closed(fd);
	r = real_close(fd);
	inside = 1;
	perf_fd_closed(perf);
	inside = 0;
	return r;
}

static void *shifted_mmap(mapfd_mmap_fn *real, void *addr, size_t len, int prot, int flags, int fd,
			  off_t off)
{
	void *p;

	if (fd < 0 || inside)
		return real(addr, len, prot, flags, fd, off);
	inside = 1;
	p = mapfd_mmap(real, addr, len, prot, flags, fd, off);
	inside = 0;
	return p;
}

EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	REAL(epoll_ctl);
	if (inside)
		return real_epoll_ctl(epfd, op, fd, ev);
	return mapfd_epoll_ctl(real_epoll_ctl, epfd, op, fd, ev);
}

EXPORT int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	REAL(epoll_wait);
	if (inside)
		return real_epoll_wait(epfd, events, maxevents, timeout);
	return mapfd_epoll_wait(real_epoll_wait, epfd, events, maxevents, timeout);
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(mmap);
	return shifted_mmap(real_mmap, addr, len, prot, flags, fd, off);
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(mmap64);
	return shifted_mmap(real_mmap64, addr, len, prot, flags, fd, off);
}

EXPORT int munmap(void *addr, size_t len)
{
	REAL(munmap);
	if (!inside)
		mapfd_munmap(addr, len);
	return real_munmap(addr, len);
}

EXPORT int dup(int fd)
{
	int fd2;

	REAL(dup);
	fd2 = real_dup(fd);
	if (!inside)
		obj_fd_dup(fd, fd2);
	return fd2;
}

EXPORT int dup2(int fd, int fd2)
{
	int r;

	REAL(dup2);
	if (fd != fd2 && !inside)
		bpfhost_fd_closed(fd2);
	r = real_dup2(fd, fd2);
	if (!inside)
		obj_fd_dup(fd, r);
	return r;
}

EXPORT int dup3(int fd, int fd2, int flags)
{
	int r;

	REAL(dup3);
	if (fd != fd2 && !inside)
		bpfhost_fd_closed(fd2);
	r = real_dup3(fd, fd2, flags);
	if (!inside)
		obj_fd_dup(fd, r);
	return r;
}

EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;
	int r;

	REAL(fcntl);
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	r = real_fcntl(fd, cmd, arg);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && !inside)
		obj_fd_dup(fd, r);
	return r;
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}

/* A /sys/fs/bpf path (or one inside the object directory), rewritten into buf. */
static const char *redirect(const char *path, char *buf, size_t len)
{
	const char *r = path;

	if (!inside) {
		inside = 1;
		r = pin_redirect(path, buf, len);
		inside = 0;
	}
	return r;
}

static bool on_bpffs(const char *path)
{
	char buf[4096];

	return redirect(path, buf, sizeof(buf)) != path;
}

static int fake_bpffs(const char *path, struct statfs *st, int r)
{
	if (r == 0 && on_bpffs(path))
		st->f_type = BPF_FS_MAGIC;
	return r;
}

EXPORT int statfs(const char *path, struct statfs *st)
{
	char buf[4096];

	REAL(statfs);
	return fake_bpffs(path, st, real_statfs(redirect(path, buf, sizeof(buf)), st));
}

EXPORT int statfs64(const char *path, struct statfs64 *st)
{
	char buf[4096];
	int r;

	REAL(statfs64);
	r = real_statfs64(redirect(path, buf, sizeof(buf)), st);
	if (r == 0 && on_bpffs(path))
		st->f_type = BPF_FS_MAGIC;
	return r;
}

EXPORT int mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	REAL(mkdir);
	return real_mkdir(redirect(path, buf, sizeof(buf)), mode);
}

EXPORT int rmdir(const char *path)
{
	char buf[4096];

	REAL(rmdir);
	return real_rmdir(redirect(path, buf, sizeof(buf)));
}

EXPORT int unlink(const char *path)
{
	char buf[4096];

	REAL(unlink);
	return real_unlink(redirect(path, buf, sizeof(buf)));
}

EXPORT int access(const char *path, int mode)
{
	char buf[4096];

	REAL(access);
	return real_access(redirect(path, buf, sizeof(buf)), mode);
}

/* /proc/self/fdinfo/N of a bpfhost fd reads as the kernel's (bpftool shows
 * memlock and frozen from it): a memfd holding the text */
static FILE *fdinfo(const char *path)
{
	char text[1024];
	size_t n;
	int fd, mfd;
	FILE *f;

	if (inside || sscanf(path, "/proc/self/fdinfo/%d", &fd) != 1)
		return NULL;
	inside = 1;
	n = obj_fdinfo(fd, text, sizeof(text));
	inside = 0;
	if (!n)
		return NULL;
	mfd = memfd_create("fdinfo", MFD_CLOEXEC);
	if (mfd < 0)
		return NULL;
	if (write(mfd, text, n) != (ssize_t)n || lseek(mfd, 0, SEEK_SET) != 0 ||
	    !(f = fdopen(mfd, "r"))) {
		close(mfd);
		return NULL;
	}
	return f;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
	FILE *f;

	REAL(fopen);
	f = fdinfo(path);
	return f ? f : real_fopen(path, mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
	FILE *f;

	REAL(fopen64);
	f = fdinfo(path);
	return f ? f : real_fopen64(path, mode);
}

/* readlink("/proc/self/fd/N") of a bpfhost fd (a map, a program, a perf
 * event) reads as the kernel's anon inode */
EXPORT ssize_t readlink(const char *path, char *out, size_t len)
{
	const char *link = NULL;
	int fd;

	REAL(readlink);
	if (sscanf(path, "/proc/self/fd/%d", &fd) == 1) {
		link = obj_fd_link(fd);
		if (!link && !inside) {
			inside = 1;
			link = perf_fd_link(fd);
			inside = 0;
		}
	}
	if (link) {
		size_t n = strlen(link) < len ? strlen(link) : len;

		memcpy(out, link, n);
		return (ssize_t)n;
	}
	return real_readlink(path, out, len);
}
