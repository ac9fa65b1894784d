/* bpfhost: the Linux eBPF system in user space.
 *
 * The core API is the kernel's own bpf() command interface: the same commands,
 * the same union bpf_attr (from <linux/bpf.h>), the same semantics and errno
 * values. Objects come back as real file descriptors.
 */
#ifndef BPFHOST_H
#define BPFHOST_H

#include <linux/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPFHOST_API __attribute__((visibility("default")))

/* Serves one bpf() command in this process. Returns what the kernel's bpf()
 * returns (an fd, 0, ...) or a negative errno; size is the caller's
 * sizeof(union bpf_attr), as for the syscall. */
BPFHOST_API int bpfhost_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* As bpfhost_bpf, with the syscall's convention: -1 and errno on failure. */
BPFHOST_API long bpfhost_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* To be called just before fd is closed by means bpfhost does not see (the
 * link-time wrappers and the preload call it for close()). Before, not after:
 * once closed, another thread may get the same number from bpfhost. */
BPFHOST_API void bpfhost_fd_closed(int fd);

#ifdef __cplusplus
}
#endif

#endif
