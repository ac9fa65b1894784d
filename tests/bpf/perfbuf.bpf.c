// SPDX-License-Identifier: GPL-2.0
/* A raw tracepoint program that writes records into a perf event array with
 * bpf_perf_event_output: n records of len bytes (seq, seq + 1, ...) into the
 * slot flags names (BPF_F_CURRENT_CPU or an index), and the helper's result
 * for record i into errs[i]. The kernel forbids this map in sleepable
 * (syscall) programs; a raw tracepoint program can be test-run on a chosen
 * CPU. tests/libbpf/test_perfbuf.c runs it and reads the records with
 * libbpf's perf_buffer. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(max_entries, 64);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __s64);
} errs SEC(".maps");

/* 64 bytes; a record carries its first len */
struct rec {
	__u32 seq;
	__u32 cpu;
	__u64 check;
	__u64 fill[6];
};

/* ctx->args: seq, n (at most 64), flags, len (at most 64) */
SEC("raw_tp")
int produce(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 seq = ctx->args[0], n = ctx->args[1], len = ctx->args[3];
	__u64 flags = ctx->args[2];
	struct rec r = {};

	if (len > sizeof(r))
		return 1;
	for (__u32 i = 0; i < 64; i++) {
		__u32 key = i; /* i itself stays in a register: the verifier bounds the loop */
		__s64 err, *slot;

		if (i >= n)
			break;
		r.seq = seq + i;
		r.cpu = bpf_get_smp_processor_id();
		r.check = (seq + i) * 0x9e3779b97f4a7c15ull;
		for (int k = 0; k < 6; k++)
			r.fill[k] = r.check + k + 1;
		err = bpf_perf_event_output(ctx, &events, flags, &r, len);
		slot = bpf_map_lookup_elem(&errs, &key);
		if (slot)
			*slot = err;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
