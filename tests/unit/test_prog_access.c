/* BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG: what the kernel's verifier refuses
 * (a program writing a read-only map, reading a write-only one), bpfhost's
 * checked interpreter stops at run time; the allowed direction works. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

static long B(int cmd, union bpf_attr *a)
{
	return bpfhost_sys_bpf(cmd, a, sizeof(*a));
}

/* Runs {r1 = &map value; r0 = *(u64 *)(r1 +0) or *(u64 *)(r1 +0) = 7; exit}
 * on a one-element array with map_flags; returns the test run's errno (0 ok). */
static int access_value(uint32_t map_flags, int write)
{
	struct bpf_insn prog[5] = {
		{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_VALUE},
		{0},
		write ? (struct bpf_insn){.code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = 1, .imm = 7}
		      : (struct bpf_insn){.code = BPF_LDX | BPF_MEM | BPF_DW,
					  .dst_reg = 0,
					  .src_reg = 1},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr a;
	int map, fd, err;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	a.map_flags = map_flags;
	map = (int)B(BPF_MAP_CREATE, &a);
	if (map < 0)
		return -1;
	prog[0].imm = map;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = 5;
	a.license = (uint64_t)(uintptr_t) "GPL";
	fd = (int)B(BPF_PROG_LOAD, &a);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	err = B(BPF_PROG_TEST_RUN, &a) ? errno : 0;
	bpfhost_fd_closed(fd);
	close(fd);
	bpfhost_fd_closed(map);
	close(map);
	return err;
}

int main(void)
{
	CHECK(access_value(0, 0) == 0 && access_value(0, 1) == 0, "plain map: read and write");
	CHECK(access_value(BPF_F_RDONLY_PROG, 0) == 0, "read-only map: read");
	CHECK(access_value(BPF_F_RDONLY_PROG, 1) == EFAULT, "read-only map: write stopped");
	CHECK(access_value(BPF_F_WRONLY_PROG, 1) == 0, "write-only map: write");
	CHECK(access_value(BPF_F_WRONLY_PROG, 0) == EFAULT, "write-only map: read stopped");
	return TEST_DONE();
}
