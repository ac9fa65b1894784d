// SPDX-License-Identifier: GPL-2.0
/* Stack traces for tests/libbpf/test_stack.c: a uprobe on stack_target() of
 * the test binary asks for its user stack every way the helpers allow
 * (bpf_get_stack with sizes, skips, build ids and wrong flags; bpf_get_task_stack
 * of the current task and of its parent; bpf_get_stackid into STACK_TRACE maps
 * small enough that traces collide), and a raw tracepoint program asks for
 * the stack of whoever ran it; two more programs get the stack of registers
 * bpfhost's test makes up. Everything lands in .bss for the test to
 * compare with what it knows of its own call chain. */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define DEPTH 16
#define NIDS 32
#define USER BPF_F_USER_STACK
#define FAST BPF_F_FAST_STACK_CMP
#define REUSE BPF_F_REUSE_STACKID

struct task_struct {
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

/* traces of one entry: the map sizes make them collide */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1);
	__uint(key_size, 4);
	__uint(value_size, 8);
} tiny SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 2);
	__uint(key_size, 4);
	__uint(value_size, 8);
} pair SEC(".maps");

/* 4 buckets, 3 traces at most */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 3);
	__uint(key_size, 4);
	__uint(value_size, 8);
} three SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16);
	__uint(key_size, 4);
	__uint(value_size, 8 * 8);
} deep SEC(".maps");

/* two struct bpf_stack_build_id per trace */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1);
	__uint(key_size, 4);
	__uint(value_size, 2 * sizeof(struct bpf_stack_build_id));
	__uint(map_flags, BPF_F_STACK_BUILD_ID);
} bid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 2);
	__uint(key_size, 4);
	__uint(value_size, 2 * sizeof(struct bpf_stack_build_id));
	__uint(map_flags, BPF_F_STACK_BUILD_ID);
} bid2 SEC(".maps");

__u64 hits;
__u64 ustack[DEPTH];
__s64 ustack_ret;
__u64 skip1[4]; /* skip 1, 4 entries */
__s64 skip1_ret;
__u64 two[2]; /* 2 entries */
__s64 two_ret;
__u64 kstack[4]; /* no BPF_F_USER_STACK: bpfhost has no kernel stack, nor a uprobe */
__s64 kstack_ret, kstack_skip_ret;
__u64 errbuf[4];
__s64 err_ret[5];
__u64 errbufs[5][4]; /* errbuf after each refused call */
__s64 size0_ret, skip255_ret;
struct bpf_stack_build_id bids[3];
__s64 bids_ret;
__u64 tstack[DEPTH];
__s64 tstack_ret, tparent_ret;
__s64 ids[NIDS];

/* tp_stack: what the raw tracepoint program saw */
__u64 tp_hits;
__u64 tp_stack[DEPTH];
__s64 tp_ret, tp_kernel_ret, tp_id;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 64);
	__uint(key_size, 4);
	__uint(value_size, DEPTH * 8);
} tp_map SEC(".maps");

/* raw: one bpf_get_stack of the registers it is given (bpfhost's checks of
 * registers that lead nowhere) */
__u64 raw_stack[DEPTH];
__s64 raw_ret;

static __always_inline void fill(void)
{
	for (int i = 0; i < 4; i++)
		errbuf[i] = ~0ull;
}

static __always_inline void keep(int k)
{
	for (int i = 0; i < 4; i++)
		errbufs[k][i] = errbuf[i];
}

SEC("uprobe")
int probe(struct pt_regs *ctx)
{
	struct task_struct *task;
	int n = 0;

	hits++;
	ustack_ret = bpf_get_stack(ctx, ustack, sizeof(ustack), USER);
	skip1_ret = bpf_get_stack(ctx, skip1, sizeof(skip1), USER | 1);
	two_ret = bpf_get_stack(ctx, two, sizeof(two), USER);
	for (int i = 0; i < 4; i++)
		kstack[i] = ~0ull;
	kstack_ret = bpf_get_stack(ctx, kstack, sizeof(kstack), 0);
	kstack_skip_ret = bpf_get_stack(ctx, kstack, sizeof(kstack), 1);

	/* what the kernel refuses, the buffer cleared */
	fill();
	err_ret[0] = bpf_get_stack(ctx, errbuf, sizeof(errbuf), USER | (1 << 12));
	keep(0);
	fill();
	err_ret[1] = bpf_get_stack(ctx, errbuf, 12, USER); /* not whole entries */
	keep(1);
	fill();
	err_ret[2] = bpf_get_stack(ctx, errbuf, sizeof(errbuf), BPF_F_USER_BUILD_ID);
	keep(2);
	fill();
	err_ret[3] = bpf_get_stack(ctx, errbuf, sizeof(errbuf), USER | FAST); /* stackid only */
	keep(3);
	fill();
	err_ret[4] =
		bpf_get_stack(ctx, errbuf, 24, USER | BPF_F_USER_BUILD_ID); /* 32-byte entries */
	keep(4);
	size0_ret = bpf_get_stack(ctx, errbuf, 0, USER);
	skip255_ret = bpf_get_stack(ctx, errbuf, sizeof(errbuf), USER | 255);
	bids_ret = bpf_get_stack(ctx, bids, sizeof(bids), USER | BPF_F_USER_BUILD_ID);

	task = bpf_get_current_task_btf();
	tstack_ret = bpf_get_task_stack(task, tstack, sizeof(tstack), USER);
	tparent_ret = bpf_get_task_stack(task->real_parent, errbuf, sizeof(errbuf), USER);

	/* the stack ids, in the order test_stack.c replays them */
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | 1);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | 1 | FAST);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | 1 | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | FAST);
	ids[n++] = bpf_get_stackid(ctx, &tiny, 0);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | (1 << 12));
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | BPF_F_USER_BUILD_ID);
	ids[n++] = bpf_get_stackid(ctx, &tiny, USER | 255);
	ids[n++] = bpf_get_stackid(ctx, &pair, USER | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &pair, USER | 1 | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &pair, USER | 2 | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &pair, USER | 3 | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &pair, USER | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &three, USER);
	ids[n++] = bpf_get_stackid(ctx, &three, USER | 1);
	ids[n++] = bpf_get_stackid(ctx, &three, USER | 2);
	ids[n++] = bpf_get_stackid(ctx, &three, USER | 3);
	ids[n++] = bpf_get_stackid(ctx, &three, USER | 4);
	ids[n++] = bpf_get_stackid(ctx, &three, USER | 5 | REUSE);
	ids[n++] = bpf_get_stackid(ctx, &deep, USER);
	ids[n++] = bpf_get_stackid(ctx, &deep, USER | 2);
	ids[n++] = bpf_get_stackid(ctx, &deep, USER);
	ids[n++] = bpf_get_stackid(ctx, &bid, USER);
	ids[n++] = bpf_get_stackid(ctx, &bid, USER);
	ids[n++] = bpf_get_stackid(ctx, &bid, USER | FAST);
	ids[n++] = bpf_get_stackid(ctx, &bid, 0);
	ids[n++] = bpf_get_stackid(ctx, &bid2, USER);
	ids[n++] = bpf_get_stackid(ctx, &bid2, USER);
	ids[n++] = bpf_get_stackid(ctx, &bid2, USER | 1);
	return 0;
}

SEC("raw_tp")
int tp(void *ctx)
{
	tp_hits++;
	tp_ret = bpf_get_stack(ctx, tp_stack, sizeof(tp_stack), USER);
	tp_kernel_ret = bpf_get_stack(ctx, kstack, sizeof(kstack), 0);
	/* the runs' stacks differ and may share a bucket (their addresses move
	 * with ASLR): the newest takes it */
	tp_id = bpf_get_stackid(ctx, &tp_map, USER | BPF_F_REUSE_STACKID);
	return 0;
}

SEC("uprobe")
int raw(struct pt_regs *ctx)
{
	raw_ret = bpf_get_stack(ctx, raw_stack, sizeof(raw_stack), USER);
	return 0;
}

/* pe: a perf event sample's registers (no uprobe: no return address at sp) */
__u64 pe_stack[DEPTH];
__s64 pe_ret;

SEC("perf_event")
int pe(struct bpf_perf_event_data *ctx)
{
	pe_ret = bpf_get_stack(ctx, pe_stack, sizeof(pe_stack), USER);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
