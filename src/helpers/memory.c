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

/* Up to n - 1 bytes and a NUL; the length copied with its NUL. What it
 * leaves in d is what the kernel leaves: its strncpy_from_user (user memory,
 * words) copies whole 8-byte words while a whole word fits in n, the word
 * holding the NUL with the bytes after the NUL zeroed, then single bytes;
 * its strncpy_from_kernel_nofault copies single bytes. Nothing past that is
 * touched. Reads up to each page boundary at a time, so a string ending
 * just before an unmapped page is still read. */
static uint64_t read_str(char *d, uint32_t n, uint64_t src, bool words)
{
	uint32_t done = 0;
	char buf[4096];

	if (n == 0)
		return 0;
	while (done < n) {
		uint64_t at = src + done;
		size_t chunk = 4096 - (size_t)(at % 4096);
		uint32_t p, end;
		char *nul;

		if (chunk > n - done)
			chunk = n - done;
		if (!safe_copy(buf, at, chunk)) {
			memset(d, 0, n);
			return (uint64_t)(int64_t)-EFAULT;
		}
		nul = memchr(buf, '\0', chunk);
		if (!nul) {
			memcpy(d + done, buf, chunk);
			done += (uint32_t)chunk;
			continue;
		}
		p = done + (uint32_t)(nul - buf);
		end = words && (p / 8 + 1) * 8 <= n ? (p / 8 + 1) * 8 : p + 1; /* the NUL's word */
		memcpy(d + done, buf, p + 1 - done);
		memset(d + p + 1, 0, end - (p + 1));
		return p + 1;
	}
	d[n - 1] = '\0';
	return n;
}

/* bpf_probe_read_str, bpf_probe_read_user_str: every address of the
 * process is a user address */
uint64_t helper_probe_read_str(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			       struct vm_run *run)
{
	(void)r4, (void)r5, (void)run;
	return read_str((char *)(uintptr_t)dst, (uint32_t)size, src, true);
}

uint64_t helper_probe_read_kernel_str(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4,
				      uint64_t r5, struct vm_run *run)
{
	(void)r4, (void)r5, (void)run;
	return read_str((char *)(uintptr_t)dst, (uint32_t)size, src, false);
}
