/* Program tags, and BPF_PROG_BIND_MAP. Program tags as the kernel computes them: the first 8 bytes
 * of the SHA-256 of the instructions with map fds zeroed, so that the tag does not depend on fd
 * numbers. Known value for {r0 = 42; exit} (read from Linux 6.18), and the same program with a map
 * compared with the running kernel when it allows. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

typedef long (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static long kernel(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* The tag of prog (map LD_IMM64s get a fresh map's fd), or an empty string. */
static void tag_of(bpf_fn bpf, struct bpf_insn *prog, unsigned cnt, unsigned type, char *out)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	int fd, map;

	out[0] = '\0';
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 4;
	map = (int)bpf(BPF_MAP_CREATE, &a, sizeof(a));
	for (unsigned i = 0; i < cnt; i++)
		if (prog[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    prog[i].src_reg == BPF_PSEUDO_MAP_FD)
			prog[i].imm = map;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.prog_flags = type == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t) "GPL";
	fd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (!bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)))
		for (int i = 0; i < 8; i++)
			snprintf(out + 2 * i, 3, "%02x", info.tag[i]);
	if (bpf == bpfhost_sys_bpf) {
		bpfhost_fd_closed(fd);
		bpfhost_fd_closed(map);
	}
	close(fd);
	close(map);
}

/* BPF_PROG_BIND_MAP: a bound map shows in the program's map ids, once, on
 * bpfhost and on the kernel alike; flags must be 0. Returns the map id count
 * after binding twice, or -1. */
static int bind_ids(bpf_fn bpf, int *flags_errno)
{
	struct bpf_insn prog[2] = {{.code = 0xb7}, {.code = 0x95}};
	struct bpf_prog_info info;
	uint32_t ids[4];
	union bpf_attr a;
	int map, fd, n = -1;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	map = (int)bpf(BPF_MAP_CREATE, &a, sizeof(a));
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t) "GPL";
	fd = (int)bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (map < 0 || fd < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		a.prog_bind_map.prog_fd = (uint32_t)fd;
		a.prog_bind_map.map_fd = (uint32_t)map;
		if (bpf(BPF_PROG_BIND_MAP, &a, sizeof(a)))
			return -1;
	}
	a.prog_bind_map.flags = 1;
	*flags_errno = bpf(BPF_PROG_BIND_MAP, &a, sizeof(a)) ? errno : 0;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 4;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (!bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)))
		n = (int)info.nr_map_ids;
	if (bpf == bpfhost_sys_bpf) {
		bpfhost_fd_closed(fd);
		bpfhost_fd_closed(map);
	}
	close(fd);
	close(map);
	return n;
}

int main(void)
{
	struct bpf_insn simple[2] = {{.code = 0xb7, .imm = 42}, {.code = 0x95}};
	struct bpf_insn with_map[8] = {
		{.code = 0x62, .dst_reg = 10, .off = -4},
		{.code = 0x18, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD},
		{0},
		{.code = 0xbf, .dst_reg = 2, .src_reg = 10},
		{.code = 0x07, .dst_reg = 2, .imm = -4},
		{.code = 0x85, .imm = BPF_FUNC_map_lookup_elem},
		{.code = 0xb7},
		{.code = 0x95},
	};
	char host[17], kern[17], host2[17];

	tag_of(bpfhost_sys_bpf, simple, 2, BPF_PROG_TYPE_SYSCALL, host);
	CHECK(!strcmp(host, "76b761cdf4203894"), "tag of {r0 = 42; exit}: %s", host);
	tag_of(bpfhost_sys_bpf, with_map, 8, BPF_PROG_TYPE_SYSCALL, host);
	tag_of(bpfhost_sys_bpf, with_map, 8, BPF_PROG_TYPE_SYSCALL, host2);
	CHECK(host[0] && !strcmp(host, host2), "the tag does not depend on fds: %s %s", host,
	      host2);
	tag_of(kernel, with_map, 8, BPF_PROG_TYPE_SYSCALL, kern);
	if (!kern[0])
		printf("NOTICE: the kernel refused the program (%s): tag not compared\n",
		       strerror(errno));
	else
		CHECK(!strcmp(host, kern), "tag with a map: bpfhost %s, kernel %s", host, kern);
	int host_errno = 0, kern_errno = 0, host_n = bind_ids(bpfhost_sys_bpf, &host_errno);
	int kern_n = bind_ids(kernel, &kern_errno);

	CHECK(host_n == 1 && host_errno == EINVAL, "bound once: %d map ids, flags errno %d", host_n,
	      host_errno);
	if (kern_n < 0)
		printf("NOTICE: the kernel refused: BPF_PROG_BIND_MAP not compared\n");
	else
		CHECK(kern_n == host_n && kern_errno == host_errno,
		      "the kernel: %d map ids, errno %d", kern_n, kern_errno);
	return TEST_DONE();
}
