/* Pinning and shared ids: a map pinned by a process that then exits keeps its
 * contents; another process opens it by path and by id, reads and updates it;
 * once unpinned and closed everywhere its id is gone. Runs in a private
 * object directory (BPFHOST_DIR). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

static long B(int cmd, union bpf_attr *a)
{
	return bpfhost_sys_bpf(cmd, a, sizeof(*a));
}

static long elem(int cmd, int fd, uint32_t key, uint64_t *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return B(cmd, &a);
}

static long obj(int cmd, const char *path, int fd, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	a.bpf_fd = (uint32_t)fd;
	a.file_flags = flags;
	return B(cmd, &a);
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	return B(BPF_OBJ_GET_INFO_BY_FD, &a) ? 0 : info.id;
}

/* the child: create, fill, pin, exit */
static int child(const char *pin)
{
	union bpf_attr a;
	uint64_t v = 4242;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 16;
	strcpy(a.map_name, "pinned");
	fd = (int)B(BPF_MAP_CREATE, &a);
	if (fd < 0 || elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_ANY) || obj(BPF_OBJ_PIN, pin, fd, 0))
		return 1;
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/bpfhost-test-pin-XXXXXX", pin[128], cmd[200];
	union bpf_attr a;
	uint64_t v = 0;
	uint32_t id;
	int status, fd, fd2;
	pid_t pid;

	if (!mkdtemp(dir))
		return 1;
	setenv("BPFHOST_DIR", dir, 1);
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/counts");
	pid = fork();
	if (pid == 0)
		_exit(child(pin));
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child failed");

	fd = (int)obj(BPF_OBJ_GET, pin, 0, 0);
	CHECK(fd >= 0, "OBJ_GET %s: %s", pin, strerror(errno));
	CHECK(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &v, 0) == 0 && v == 4242,
	      "the value the exited process stored: %llu", (unsigned long long)v);
	v = 7;
	CHECK(elem(BPF_MAP_UPDATE_ELEM, fd, 2, &v, BPF_NOEXIST) == 0, "update through the pin");

	id = map_id(fd);
	CHECK(id != 0, "map id");
	memset(&a, 0, sizeof(a));
	a.map_id = id;
	fd2 = (int)B(BPF_MAP_GET_FD_BY_ID, &a);
	CHECK(fd2 >= 0 && map_id(fd2) == id, "GET_FD_BY_ID %u", id);
	CHECK(elem(BPF_MAP_LOOKUP_ELEM, fd2, 2, &v, 0) == 0 && v == 7, "same map by id");
	memset(&a, 0, sizeof(a));
	CHECK(B(BPF_MAP_GET_NEXT_ID, &a) == 0 && a.next_id == id, "GET_NEXT_ID finds %u (got %u)",
	      id, a.next_id);

	/* the kernel's errors */
	CHECK(obj(BPF_OBJ_PIN, pin, fd, 0) == -1 && errno == EEXIST, "pin twice: %d", errno);
	CHECK(obj(BPF_OBJ_PIN, "/tmp/not-bpffs", fd, 0) == -1 && errno == EPERM,
	      "pin outside bpffs: %d", errno);
	CHECK(obj(BPF_OBJ_PIN, "/sys/fs/bpf/no/such/dir", fd, 0) == -1 && errno == ENOENT,
	      "pin into a missing directory: %d", errno);
	CHECK(obj(BPF_OBJ_GET, "/sys/fs/bpf/none", 0, 0) == -1 && errno == ENOENT,
	      "get a missing pin: %d", errno);
	CHECK(obj(BPF_OBJ_PIN, "/sys/fs/bpf/x", 9999, 0) == -1 && errno == EINVAL,
	      "pin a bad fd: %d", errno);
	fd2 = (int)obj(BPF_OBJ_GET, pin, 0, BPF_F_RDONLY);
	CHECK(fd2 >= 0 && elem(BPF_MAP_UPDATE_ELEM, fd2, 3, &v, 0) == -1 && errno == EPERM,
	      "read-only fd refuses updates: %d", errno);

	/* unpinned and closed everywhere: the id is gone */
	snprintf(cmd, sizeof(cmd), "%s/counts", dir);
	unlink(cmd);
	for (int f = 3; f < 64; f++) {
		if (close(f) == 0)
			bpfhost_fd_closed(f);
	}
	memset(&a, 0, sizeof(a));
	a.map_id = id;
	CHECK(B(BPF_MAP_GET_FD_BY_ID, &a) == -1 && errno == ENOENT, "dead map by id: %d", errno);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return TEST_DONE();
}
