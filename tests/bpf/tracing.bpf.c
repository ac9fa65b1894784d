// SPDX-License-Identifier: GPL-2.0
/* Tracing programs for tests/libbpf/test_tracing.c, written as users write
 * them with <bpf/bpf_tracing.h>: a uprobe and a uretprobe on a function of
 * the test binary (its arguments, the string one points to, who called), a
 * tracepoint on sys_enter_write (the record's fields and the buffer written)
 * and a perf_event program on a cpu-clock sample (its period, address and
 * registers). Each keeps only what its own process (target_tgid, set by the
 * loader) did; results land in .bss globals and an array map. */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define STR_LEN 32
#define MAX_HITS 4

const volatile __u32 target_tgid;

/* one call of the probed function, as the uprobe saw it */
struct call {
	__s32 a, b;
	__u32 c, pad;
	__s64 d;
	__u64 s;
	__s64 str_ret;	/* bpf_probe_read_user_str(str, STR_LEN, s) */
	__s64 read_ret; /* bpf_probe_read_user(raw, 8, s) */
	char str[STR_LEN];
	char raw[8];
	__u64 pid_tgid;
	char comm[16];
	__u64 ip;
};

/* one return, as the uretprobe saw it */
struct ret {
	__s64 rc;
	__u64 ip;
	__u64 pid_tgid;
};

/* the sys_enter_write record, from
 * /sys/kernel/tracing/events/syscalls/sys_enter_write/format; a program may
 * not read the common fields (the first 8 bytes) */
struct sys_enter_write {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	int __syscall_nr;
	unsigned long fd;
	const char *buf;
	unsigned long count;
};

/* one write(2), as the tracepoint saw it */
struct write_rec {
	__s32 syscall_nr, pad;
	__u64 fd, buf, count;
	__s64 read_ret; /* bpf_probe_read_user(data, min(count, STR_LEN), buf) */
	char data[STR_LEN];
	__u64 pid_tgid;
	char comm[16];
};

/* the last cpu-clock sample */
struct sample {
	__u64 hits, sample_period, addr, ip, sp, cs, pid_tgid;
	char comm[16];
};

__u32 call_hits, ret_hits, write_hits;
struct call calls[MAX_HITS];
struct ret rets[MAX_HITS];
struct sample sample;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_HITS);
	__type(key, __u32);
	__type(value, struct write_rec);
} writes SEC(".maps");

static __always_inline int mine(void)
{
	return bpf_get_current_pid_tgid() >> 32 == target_tgid;
}

SEC("uprobe")
int BPF_KPROBE(probe_args, int a, int b, unsigned int c, long d, const char *s)
{
	struct call *e;
	__u32 i;

	if (!mine())
		return 0;
	i = call_hits++; /* one thread: no atomics (cpu v1) */
	if (i >= MAX_HITS)
		return 0;
	e = &calls[i];
	e->a = a;
	e->b = b;
	e->c = c;
	e->d = d;
	e->s = (__u64)s;
	e->str_ret = bpf_probe_read_user_str(e->str, sizeof(e->str), s);
	e->read_ret = bpf_probe_read_user(e->raw, sizeof(e->raw), s);
	e->pid_tgid = bpf_get_current_pid_tgid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->ip = PT_REGS_IP(ctx);
	return 0;
}

SEC("uretprobe")
int probe_ret(struct pt_regs *ctx)
{
	__u32 i;

	if (!mine())
		return 0;
	i = ret_hits++;
	if (i >= MAX_HITS)
		return 0;
	rets[i].rc = PT_REGS_RC(ctx);
	rets[i].ip = PT_REGS_IP(ctx);
	rets[i].pid_tgid = bpf_get_current_pid_tgid();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int tp_write(struct sys_enter_write *ctx)
{
	struct write_rec *w;
	__u32 i, n;

	if (!mine())
		return 0;
	i = write_hits++;
	w = bpf_map_lookup_elem(&writes, &i);
	if (!w)
		return 0;
	w->syscall_nr = ctx->__syscall_nr;
	w->fd = ctx->fd;
	w->buf = (__u64)ctx->buf;
	w->count = ctx->count;
	n = ctx->count < STR_LEN ? ctx->count : STR_LEN;
	w->read_ret = bpf_probe_read_user(w->data, n, ctx->buf);
	w->pid_tgid = bpf_get_current_pid_tgid();
	bpf_get_current_comm(w->comm, sizeof(w->comm));
	return 0;
}

SEC("perf_event")
int on_sample(struct bpf_perf_event_data *ctx)
{
	if (!mine())
		return 0;
	sample.hits++;
	sample.sample_period = ctx->sample_period;
	sample.addr = ctx->addr;
	sample.ip = PT_REGS_IP(&ctx->regs);
	sample.sp = PT_REGS_SP(&ctx->regs);
	sample.cs = ctx->regs.cs;
	sample.pid_tgid = bpf_get_current_pid_tgid();
	bpf_get_current_comm(sample.comm, sizeof(sample.comm));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
