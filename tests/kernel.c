/* The kernel oracle: see kernel.h. */
#include "kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* The verifier's error: the last line before its statistics line. */
static void last_error_line(char *log, char *why, size_t why_len)
{
	char *line = NULL, *p;

	for (p = strtok(log, "\n"); p; p = strtok(NULL, "\n"))
		if (strncmp(p, "processed ", 10) && strncmp(p, "verification time", 17))
			line = p;
	snprintf(why, why_len, "%s", line ? line : "(no verifier message)");
}

int kernel_run_xdp(const struct bpf_insn *insns, size_t cnt, const void *data, size_t data_len,
		   uint32_t *retval, char *why, size_t why_len)
{
	static char log[1 << 16];
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	log[0] = '\0';
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		err = -errno;
		if (err == -ENOSPC) { /* the log overflowed: the verdict is in errno alone */
			attr.log_level = 0;
			attr.log_buf = 0;
			attr.log_size = 0;
			fd = sys_bpf(BPF_PROG_LOAD, &attr);
			err = fd < 0 ? -errno : 0;
		}
		if (fd < 0) {
			last_error_line(log, why, why_len);
			return err;
		}
	}
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uint64_t)(uintptr_t)data;
	attr.test.data_size_in = (uint32_t)data_len;
	attr.test.repeat = 1;
	err = sys_bpf(BPF_PROG_TEST_RUN, &attr) ? -errno : 0;
	if (err)
		snprintf(why, why_len, "BPF_PROG_TEST_RUN: %s", strerror(-err));
	*retval = attr.test.retval;
	close(fd);
	return err;
}

int kernel_probe(char *why, size_t why_len)
{
	const struct bpf_insn prog[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 2},
		{.code = BPF_JMP | BPF_EXIT},
	};
	uint8_t data[64] = {0};
	uint32_t retval = 0;
	int err = kernel_run_xdp(prog, 2, data, sizeof(data), &retval, why, why_len);

	if (!err && retval != 2) {
		snprintf(why, why_len, "a program returning 2 returned %u", retval);
		return -EIO;
	}
	if (err == -EPERM || err == -ENOSYS || err == -EACCES)
		snprintf(why, why_len, "bpf() refused: %s", strerror(-err));
	return err;
}
