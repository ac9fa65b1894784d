/* Which helpers a program type may call: a call of every helper bpfhost has,
 * loaded as XDP, SYSCALL, SOCKET_FILTER, SCHED_CLS, SCHED_ACT, CGROUP_SKB,
 * LWT_IN/OUT/XMIT, KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT and
 * FLOW_DISSECTOR programs,
 * refused or accepted as the running kernel refuses or accepts it (skipped
 * with a notice where the kernel cannot be asked), and the refusal names
 * the helper and the program type. */
#include <linux/bpf.h>

#include "../../src/helpers/kernel.h"
#include "test_util.h"
#include "backend.h"

/* 1 accepted, 0 refused as "cannot use helper", -1 the loader is unusable. */
static int load(const struct backend *be, uint32_t type, int id, char *log, size_t log_len)
{
	struct bpf_insn insns[] = {
		{.code = BPF_JMP | BPF_CALL, .imm = id},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	log[0] = '\0';
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = 3;
	a.license = (uint64_t)(uintptr_t) "GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = (uint32_t)log_len;
	a.log_level = 1;
	if (type == BPF_PROG_TYPE_SYSCALL)
		a.prog_flags = BPF_F_SLEEPABLE;
	fd = be_sys(be, BPF_PROG_LOAD, &a);
	if (fd >= 0) {
		be_close(be, fd);
		return 1;
	}
	if (be->kernel && (fd == -EPERM || fd == -ENOSYS))
		return -1;
	/* refused for another reason (its arguments): the type may call it */
	return strstr(log, "cannot use helper") ? 0 : 1;
}

int main(void)
{
	static const uint32_t types[] = {BPF_PROG_TYPE_XDP,
					 BPF_PROG_TYPE_SYSCALL,
					 BPF_PROG_TYPE_SOCKET_FILTER,
					 BPF_PROG_TYPE_SCHED_CLS,
					 BPF_PROG_TYPE_SCHED_ACT,
					 BPF_PROG_TYPE_CGROUP_SKB,
					 BPF_PROG_TYPE_LWT_IN,
					 BPF_PROG_TYPE_LWT_OUT,
					 BPF_PROG_TYPE_LWT_XMIT,
					 BPF_PROG_TYPE_KPROBE,
					 BPF_PROG_TYPE_TRACEPOINT,
					 BPF_PROG_TYPE_PERF_EVENT,
					 BPF_PROG_TYPE_RAW_TRACEPOINT,
					 BPF_PROG_TYPE_FLOW_DISSECTOR};
	struct vm_helper_table t = kernel_helpers();
	static char log[65536];
	bool kernel_ok = true;
	int compared = 0, refused = 0;

	/* what holds whatever the kernel: */
	CHECK(load(&bpfhost, BPF_PROG_TYPE_XDP, BPF_FUNC_probe_read, log, sizeof(log)) == 0 &&
		      strstr(log, "insn 0: program of this type (xdp) cannot use helper "
				  "bpf_probe_read#4"),
	      "XDP and bpf_probe_read: %s", log);
	CHECK(load(&bpfhost, BPF_PROG_TYPE_SYSCALL, BPF_FUNC_probe_read, log, sizeof(log)) == 1,
	      "SYSCALL and bpf_probe_read: %s", log);
	CHECK(load(&bpfhost, BPF_PROG_TYPE_SYSCALL, BPF_FUNC_xdp_adjust_head, log, sizeof(log)) ==
		      0,
	      "SYSCALL and bpf_xdp_adjust_head: %s", log);
	CHECK(load(&bpfhost, BPF_PROG_TYPE_XDP, BPF_FUNC_xdp_adjust_head, log, sizeof(log)) == 1,
	      "XDP and bpf_xdp_adjust_head: %s", log);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && kernel_ok; i++) {
		for (int id = 1; id < (int)t.cnt; id++) {
			int k, b;

			if (!t.helpers[id].fn)
				continue;
			k = load(&kernel, types[i], id, log, sizeof(log));
			if (k < 0) {
				printf("NOTICE: the kernel refused to load (%s): comparison "
				       "skipped\n",
				       strerror(errno));
				kernel_ok = false;
				break;
			}
			b = load(&bpfhost, types[i], id, log, sizeof(log));
			CHECK(k == b, "type %u helper %s#%d: kernel %s, bpfhost %s", types[i],
			      t.helpers[id].name, id, k ? "accepts" : "refuses",
			      b ? "accepts" : "refuses");
			compared++;
			refused += !k;
		}
	}
	if (kernel_ok)
		CHECK(compared > 100 && refused > 10, "%d verdicts compared, %d refusals", compared,
		      refused);
	return TEST_DONE();
}
