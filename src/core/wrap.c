/* Link-time routing: a program linked with
 *   -Wl,--wrap=syscall,--wrap=close,--wrap=mmap
 * (bpfhost's own tools, with Debian's static libbpf) has its bpf(2) calls
 * served by bpfhost; every other syscall, close and mmap pass through. mmap of
 * a map fd is shifted past the map file's header, so that offset 0 is what the
 * kernel puts there (an mmapable array's values). */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "obj.h"

long __real_syscall(long number, ...);
long __wrap_syscall(long number, ...);
int __real_close(int fd);
int __wrap_close(int fd);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

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
	return __real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int __wrap_close(int fd)
{
	bpfhost_fd_closed(fd);
	return __real_close(fd);
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long shift = fd >= 0 ? obj_mmap_offset(fd) : 0;

	if (shift < 0) {
		errno = (int)-shift;
		return MAP_FAILED;
	}
	return __real_mmap(addr, len, prot, flags, fd, off + shift);
}
