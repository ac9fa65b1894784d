/* perf_event_open(2) of BPF output events served by bpfhost, for the
 * link-time wrappers (wrap.c) and the LD_PRELOAD library: the fd, its mmap,
 * its ioctls. Its epoll is served with the map fds' (mmap.c). See perf.c. */
#ifndef BPFHOST_CORE_PERF_H
#define BPFHOST_CORE_PERF_H

#include <stdbool.h>
#include <sys/types.h>

#include "mmap.h"

struct perf_event_attr;
struct perf_ring;

/* Is attr (the syscall's pointer) a BPF output event (PERF_TYPE_SOFTWARE,
 * PERF_COUNT_SW_BPF_OUTPUT), which bpfhost serves? Every other event, and a
 * NULL attr, goes to the kernel. */
bool perf_serves(const void *attr);
/* perf_event_open(attr, pid, cpu, group_fd, flags) of a BPF output event,
 * with the kernel's checks: the event's fd, or -errno. */
int perf_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	      unsigned long flags);
/* ioctl(fd, cmd, arg): 1 with *ret (0 or -errno) if fd is a bpfhost perf
 * event and cmd a perf ioctl ('$'); else 0, and the kernel serves it. */
int perf_fd_ioctl(int fd, unsigned long cmd, unsigned long arg, long *ret);
/* mmap() of the perf event r behind fd, as the kernel's perf_mmap, with
 * libc's conventions. */
void *perf_fd_mmap(mapfd_mmap_fn *real, struct perf_ring *r, void *addr, size_t len, int prot,
		   int flags, int fd, off_t off);
/* close(fd) is coming: if fd is a perf event this process's perf_open
 * returned, its handle (a reference) for perf_fd_closed(), else NULL. */
struct perf_ring *perf_fd_closing(int fd);
/* After the close: if that was the event's end, its registry entry goes
 * (else the next perf_open's sweep removes it). Drops the reference. */
void perf_fd_closed(struct perf_ring *r);
/* What readlink("/proc/self/fd/N") shows for a bpfhost perf event
 * ("anon_inode:[perf_event]"), or NULL if fd is none. */
const char *perf_fd_link(int fd);

#endif
