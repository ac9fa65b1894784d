/* The tracing program types, whose context is what the probe saw: for KPROBE
 * the probed function's registers (struct pt_regs), for PERF_EVENT the
 * sample's (struct bpf_perf_event_data: the registers, the sample period and
 * address), for TRACEPOINT the event's record as the tracepoint's format file
 * lays it out (its common fields, then its own; the kernel lets a program read
 * up to PERF_MAX_TRACE_SIZE bytes of it). Programs read the context and may
 * not write it. The kernel has no BPF_PROG_TEST_RUN for these types (ENOTSUPP);
 * whoever fires the probe runs the program on the context it built
 * (bpfhost_prog_run). */
#include <asm/ptrace.h>
#include <linux/bpf_perf_event.h>
#include <stddef.h>

#include "progtype.h"

#define PERF_MAX_TRACE_SIZE 8192u /* since Linux 6.10; 2048 before */

/* the registers: read only, any aligned size (kprobe_prog_is_valid_access) */
static bool kprobe_access(uint32_t off, uint32_t size, bool write)
{
	return !write && off % size == 0;
}

/* the record past its first 8 bytes (the common fields), read only, any
 * aligned size (tp_prog_is_valid_access) */
static bool tracepoint_access(uint32_t off, uint32_t size, bool write)
{
	return !write && off >= 8 && off % size == 0;
}

/* read only; the registers as longs, sample_period and addr also narrower
 * (pe_prog_is_valid_access) */
static bool perf_event_access(uint32_t off, uint32_t size, bool write)
{
	if (write || off % size)
		return false;
	return off >= offsetof(struct bpf_perf_event_data, sample_period) || size == 8;
}

const struct progtype progtype_kprobe = {
	.name = "kprobe",
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx_size = sizeof(struct pt_regs),
	.ctx_plain = true,
	.ctx_access = kprobe_access,
};

const struct progtype progtype_tracepoint = {
	.name = "tracepoint",
	.prog_type = BPF_PROG_TYPE_TRACEPOINT,
	.ctx_size = 0, /* the event's record */
	.ctx_max = PERF_MAX_TRACE_SIZE,
	.ctx_plain = true,
	.ctx_access = tracepoint_access,
};

const struct progtype progtype_perf_event = {
	.name = "perf_event",
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.ctx_size = sizeof(struct bpf_perf_event_data),
	.ctx_plain = true,
	.ctx_access = perf_event_access,
};
