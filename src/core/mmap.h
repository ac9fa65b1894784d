/* mmap() and epoll of map fds as the kernel serves them, for the link-time
 * wrappers (wrap.c) and the LD_PRELOAD library, which pass the libc function
 * they stand in front of as real. See mmap.c. */
#ifndef BPFHOST_CORE_MMAP_H
#define BPFHOST_CORE_MMAP_H

#include <sys/epoll.h>
#include <sys/types.h>

typedef void *mapfd_mmap_fn(void *addr, size_t len, int prot, int flags, int fd, off_t off);
typedef int mapfd_epoll_ctl_fn(int epfd, int op, int fd, struct epoll_event *ev);
typedef int mapfd_epoll_wait_fn(int epfd, struct epoll_event *events, int maxevents,
				int timeout_ms);

/* mmap(), with libc's conventions (MAP_FAILED and errno). An fd that is not
 * a map goes to real unchanged. */
void *mapfd_mmap(mapfd_mmap_fn *real, void *addr, size_t len, int prot, int flags, int fd,
		 off_t off);
/* munmap() of [addr, addr + len) is about to happen: writable mappings of
 * map values there stop counting (MAP_FREEZE refuses while any is alive). */
void mapfd_munmap(void *addr, size_t len);
/* epoll_ctl(): a ring buffer fd joins (leaves, changes in) this process's
 * table of watched rings; any other fd goes to real. */
int mapfd_epoll_ctl(mapfd_epoll_ctl_fn *real, int epfd, int op, int fd, struct epoll_event *ev);
/* epoll_wait(): the set's rings with unread data, and its other fds' events. */
int mapfd_epoll_wait(mapfd_epoll_wait_fn *real, int epfd, struct epoll_event *events, int maxevents,
		     int timeout_ms);
/* fd is being closed: it leaves every epoll set, and an epoll fd its rings. */
void mapfd_closed(int fd);

#endif
