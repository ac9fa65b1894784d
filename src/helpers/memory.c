/* bpf_probe_read[_user|_kernel][_str]: in user space both "user" and
 * "kernel" memory are this process's, read with process_vm_readv on itself
 * so that an unmapped address gives -EFAULT rather than a crash. On error the
 * destination is zeroed, as the kernel does. */
#include "memory.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Copies len bytes from src; false if any of them is not readable. */
static bool safe_copy(void *dst, uint64_t src, size_t len)
{
	struct iovec local = {dst, len}, remote = {(void *)(uintptr_t)src, len};

	return len == 0 || process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

uint64_t helper_probe_read(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			   struct vm_run *run)
{
	(void)r4, (void)r5, (void)run;
	if (safe_copy((void *)(uintptr_t)dst, src, (uint32_t)size))
		return 0;
	memset((void *)(uintptr_t)dst, 0, (uint32_t)size);
	return (uint64_t)(int64_t)-EFAULT;
}

/* Up to size - 1 bytes and a NUL; the length copied with its NUL. Reads up
 * to each page boundary at a time, so a string ending just before an
 * unmapped page is still read. */
uint64_t helper_probe_read_str(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			       struct vm_run *run)
{
	char *d = (char *)(uintptr_t)dst;
	uint32_t n = (uint32_t)size, done = 0;

	(void)r4, (void)r5, (void)run;
	if (n == 0)
		return 0;
	while (done < n - 1) {
		uint64_t at = src + done;
		size_t chunk = 4096 - (size_t)(at % 4096);
		char *nul;

		if (chunk > n - 1 - done)
			chunk = n - 1 - done;
		if (!safe_copy(d + done, at, chunk)) {
			memset(d, 0, n);
			return (uint64_t)(int64_t)-EFAULT;
		}
		nul = memchr(d + done, '\0', chunk);
		if (nul)
			return (uint64_t)(nul - d + 1);
		done += (uint32_t)chunk;
	}
	d[n - 1] = '\0';
	return n;
}
