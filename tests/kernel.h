/* The running Linux kernel as a test oracle: load raw instructions with
 * bpf(BPF_PROG_LOAD) and run them with BPF_PROG_TEST_RUN. */
#ifndef BPFHOST_TESTS_KERNEL_H
#define BPFHOST_TESTS_KERNEL_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

/* 0 if this process may load and test-run programs; else -errno and why. */
int kernel_probe(char *why, size_t why_len);

/* Loads insns as an XDP program and runs it once on data. Returns 0 with
 * *retval set, or -errno: why gets the verifier's last message. */
int kernel_run_xdp(const struct bpf_insn *insns, size_t cnt, const void *data, size_t data_len,
		   uint32_t *retval, char *why, size_t why_len);

#endif
