// SPDX-License-Identifier: GPL-2.0
/* The current task as tracing programs read it, for tests/libbpf/
 * test_task.c: through bpf_get_current_task and BPF_CORE_READ (probe reads,
 * CO-RE relocated against the running kernel's struct task_struct), and
 * through bpf_get_current_task_btf with direct loads. A uprobe on a
 * function of the test binary; only the test's own process counts. */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The kernel's types, only the fields read: libbpf finds the real offsets. */
typedef struct {
	__u32 val;
} kuid_t;
typedef struct {
	__u32 val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long arg_start, arg_end, env_start, env_end, start_stack;
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int prio, static_prio, normal_prio;
	int pid, tgid;
	struct task_struct *real_parent, *parent, *group_leader;
	const struct cred *real_cred, *cred;
	__u64 start_time, start_boottime;
	char comm[16];
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

struct seen {
	__u32 pid, tgid, ppid, parent_ppid, leader_pid, leader_tgid;
	__u32 uid, gid, euid, egid, suid, fsuid, real_uid;
	__u32 state, flags, prio, static_prio, normal_prio;
	__u64 start_time, start_boottime;
	__s64 mm_read;	    /* bpf_probe_read_kernel of the mm's first 8 bytes */
	__u64 args_len;	    /* mm->arg_end - mm->arg_start */
	__s64 arg0_ret;	    /* bpf_probe_read_user_str(arg0, ..., mm->arg_start) */
	__u64 env_nonempty; /* mm->env_end > mm->env_start */
	__u64 stack_above;  /* mm->start_stack > a local of the probed function */
	char arg0[64];
	char comm[16], parent_comm[16], leader_comm[16];
	/* through bpf_get_current_task_btf */
	__u32 btf_pid, btf_tgid, btf_ppid, btf_uid;
	char btf_comm[16];
	__u64 same; /* both helpers gave the same pointer */
	__u64 hits;
};

const volatile __u32 target_tgid;
struct seen seen[2]; /* [0] the main thread, [1] another */

SEC("uprobe")
int BPF_KPROBE(task_probe, int which, unsigned long local)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_struct *b = bpf_get_current_task_btf();
	struct seen *s;
	__u64 v = 0;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (which == 0)
		s = &seen[0];
	else if (which == 1)
		s = &seen[1];
	else
		return 0;
	s->pid = BPF_CORE_READ(t, pid);
	s->tgid = BPF_CORE_READ(t, tgid);
	s->ppid = BPF_CORE_READ(t, real_parent, tgid);
	s->parent_ppid = BPF_CORE_READ(t, parent, pid);
	s->leader_pid = BPF_CORE_READ(t, group_leader, pid);
	s->leader_tgid = BPF_CORE_READ(t, group_leader, tgid);
	s->uid = BPF_CORE_READ(t, cred, uid.val);
	s->gid = BPF_CORE_READ(t, cred, gid.val);
	s->euid = BPF_CORE_READ(t, cred, euid.val);
	s->egid = BPF_CORE_READ(t, cred, egid.val);
	s->suid = BPF_CORE_READ(t, cred, suid.val);
	s->fsuid = BPF_CORE_READ(t, cred, fsuid.val);
	s->real_uid = BPF_CORE_READ(t, real_cred, uid.val);
	s->state = BPF_CORE_READ(t, __state);
	s->flags = BPF_CORE_READ(t, flags);
	s->prio = BPF_CORE_READ(t, prio);
	s->static_prio = BPF_CORE_READ(t, static_prio);
	s->normal_prio = BPF_CORE_READ(t, normal_prio);
	s->start_time = BPF_CORE_READ(t, start_time);
	s->start_boottime = BPF_CORE_READ(t, start_boottime);
	BPF_CORE_READ_STR_INTO(&s->comm, t, comm);
	BPF_CORE_READ_STR_INTO(&s->parent_comm, t, real_parent, comm);
	BPF_CORE_READ_STR_INTO(&s->leader_comm, t, group_leader, comm);
	s->mm_read = bpf_probe_read_kernel(&v, sizeof(v), BPF_CORE_READ(t, mm));
	s->args_len = BPF_CORE_READ(t, mm, arg_end) - BPF_CORE_READ(t, mm, arg_start);
	s->arg0_ret = bpf_probe_read_user_str(s->arg0, sizeof(s->arg0),
					      (void *)BPF_CORE_READ(t, mm, arg_start));
	s->env_nonempty = BPF_CORE_READ(t, mm, env_end) > BPF_CORE_READ(t, mm, env_start);
	s->stack_above = BPF_CORE_READ(t, mm, start_stack) > local;
	s->btf_pid = b->pid;
	s->btf_tgid = b->tgid;
	s->btf_ppid = b->real_parent->tgid;
	s->btf_uid = b->cred->uid.val;
	__builtin_memcpy(s->btf_comm, b->comm, sizeof(s->btf_comm));
	s->same = (void *)t == (void *)b;
	s->hits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
