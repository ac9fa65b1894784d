/* Link-time routing: a program linked with
 *   -Wl,--wrap=syscall,--wrap=close,--wrap=mmap,... (the Makefile's
 * WRAP),--wrap=mmap64,--wrap=epoll_ctl,--wrap=epoll_wait,--wrap=ioctl (bpfhost's own tools, with
 * Debian's static libbpf) has its bpf(2) calls served by bpfhost, and its perf_event_open(2) of
 * BPF output events (libbpf's perf_buffer) too (src/core/perf.c); every other syscall, close,
 * mmap (Debian's libbpf.a calls mmap64), epoll and ioctl call passes through. mmap and epoll of a
 * map fd are served as the kernel serves them (src/core/mmap.c): offset 0 is what the kernel puts
 * there (an mmapable array's values, a ring buffer's consumer page), and a ring buffer in an
 * epoll set is readable while it holds data; a bpfhost perf event's mmap, ioctls and epoll are
 * the kernel's perf event's. */
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "mmap.h"
#include "perf.h"
#include "pin.h"

int __real_munmap(void *addr, size_t len);
int __wrap_munmap(void *addr, size_t len);
int __real_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode);
int __real_unlink(const char *path);
int __wrap_unlink(const char *path);
int __real_statfs64(const char *path, struct statfs64 *st);
int __wrap_statfs64(const char *path, struct statfs64 *st);
long __real_syscall(long number, ...);
long __wrap_syscall(long number, ...);
int __real_close(int fd);
int __wrap_close(int fd);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__real_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __real_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);
int __wrap_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);
int __real_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
int __wrap_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

int __wrap_munmap(void *addr, size_t len)
{
	mapfd_munmap(addr, len);
	return __real_munmap(addr, len);
}

/* Pins live in the object directory: libbpf's mkdir of a pin's directory,
 * its unlink of a pin, and its statfs check for bpffs land there. */
int __wrap_mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	return __real_mkdir(pin_redirect(path, buf, sizeof(buf)), mode);
}

int __wrap_unlink(const char *path)
{
	char buf[4096];

	return __real_unlink(pin_redirect(path, buf, sizeof(buf)));
}

int __wrap_statfs64(const char *path, struct statfs64 *st)
{
	char buf[4096];
	const char *real = pin_redirect(path, buf, sizeof(buf));
	int r = __real_statfs64(real, st);

	if (r == 0 && real != path)
		st->f_type = 0xcafe4a11; /* BPF_FS_MAGIC */
	return r;
}

long __wrap_syscall(long number, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == SYS_bpf)
		return bpfhost_sys_bpf((int)a[0], (union bpf_attr *)a[1], (unsigned int)a[2]);
	if (number == SYS_perf_event_open && perf_serves((const void *)a[0])) {
		int fd = perf_open((const struct perf_event_attr *)a[0], (pid_t)a[1], (int)a[2],
				   (int)a[3], (unsigned long)a[4]);

		if (fd < 0) {
			errno = -fd;
			return -1;
		}
		return fd;
	}
	return __real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int __wrap_close(int fd)
{
	struct perf_ring *perf = perf_fd_closing(fd);
	int r;

	bpfhost_fd_closed(fd);
	mapfd_closed(fd);
	r = __real_close(fd);
	perf_fd_closed(perf);
	return r;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mapfd_mmap(__real_mmap, addr, len, prot, flags, fd, off);
}

void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mapfd_mmap(__real_mmap64, addr, len, prot, flags, fd, off);
}

int __wrap_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	return mapfd_epoll_ctl(__real_epoll_ctl, epfd, op, fd, ev);
}

int __wrap_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	return mapfd_epoll_wait(__real_epoll_wait, epfd, events, maxevents, timeout);
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;
	long r;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (!perf_fd_ioctl(fd, req, arg, &r))
		return __real_ioctl(fd, req, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}
