/* The two backends the differential unit tests talk to, with one calling
 * convention (a result >= 0, or -errno): the running kernel's bpf() and
 * bpfhost's. Include after <linux/bpf.h> and test_util.h. */
#ifndef BPFHOST_TESTS_BACKEND_H
#define BPFHOST_TESTS_BACKEND_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"

struct backend {
	const char *name;
	bool kernel;
};

__attribute__((unused)) static const struct backend bpfhost = {"bpfhost", false},
						    kernel = {"kernel", true};

/* got == want, naming the backend `be` in scope */
#define EQ(got, want)                                                                              \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		CHECK(g_ == w_, "[%s] %s = %lld, want %lld", be->name, #got, g_, w_);              \
	} while (0)

static inline int be_sys(const struct backend *be, int cmd, union bpf_attr *a)
{
	long r = be->kernel ? syscall(__NR_bpf, cmd, a, sizeof(*a))
			    : bpfhost_sys_bpf(cmd, a, sizeof(*a));

	return r < 0 ? -errno : (int)r;
}

static inline void be_close(const struct backend *be, int fd)
{
	if (fd < 0)
		return;
	if (!be->kernel)
		bpfhost_fd_closed(fd);
	close(fd);
}

static inline int be_map_create_extra(const struct backend *be, uint32_t type, uint32_t ks,
				      uint32_t vs, uint32_t max, uint32_t flags, uint64_t extra)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ks;
	a.value_size = vs;
	a.max_entries = max;
	a.map_flags = flags;
	a.map_extra = extra;
	return be_sys(be, BPF_MAP_CREATE, &a);
}

static inline int be_map_create(const struct backend *be, uint32_t type, uint32_t ks, uint32_t vs,
				uint32_t max, uint32_t flags)
{
	return be_map_create_extra(be, type, ks, vs, max, flags, 0);
}

/* A map command on one element: map_fd, key, value, flags. */
static inline int be_map_op(const struct backend *be, int cmd, int fd, const void *key,
			    const void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return be_sys(be, cmd, &a);
}

#endif
