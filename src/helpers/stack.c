/* bpf_get_stackid, bpf_get_stack, bpf_get_task_stack: the user-space stack
 * of the process at the hook, walked by frame pointers as the kernel's
 * perf_callchain_user walks a user stack (each frame {next frame, return
 * address}; a frame that is not readable user memory ends the walk, at most
 * kernel.perf_event_max_stack entries). Where the walk starts:
 *   - KPROBE and PERF_EVENT runs: from the context's registers (ip, then
 *     the frames from bp); for KPROBE, a probe at a function's first
 *     instruction (push %rbp or endbr64) also gets the return address at sp,
 *     as the kernel does for a uprobe there;
 *   - every other run: from the host code that called into bpfhost
 *     (bpfhost_prog_run, bpfhost_bpf and their wrappers): the return address
 *     into it, then its frames. bpfhost's own frames (which need not keep
 *     frame pointers) are stepped over with the DWARF unwinder (a dozen
 *     frames, each an FDE lookup); no entry frame found (a run bpfhost
 *     started itself, or code without unwind tables on the way): an empty
 *     stack.
 * bpfhost has no kernel stack: a request without BPF_F_USER_STACK finds none,
 * which is what the kernel answers for a uprobe's (no kernel callchain):
 * bpf_get_stackid -EFAULT, bpf_get_stack 0 bytes (-EFAULT with a skip).
 * Build ids (BPF_F_STACK_BUILD_ID maps, BPF_F_USER_BUILD_ID) come from the
 * loaded ELF object holding each ip (its NT_GNU_BUILD_ID note, the ip's file
 * offset); an ip in no object, the vDSO or an object without a build id
 * falls back to BPF_STACK_BUILD_ID_IP, as the kernel's does. */
#include "stack.h"

#include <asm/ptrace.h>
#include <bpfhost.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <linux/bpf_perf_event.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/uio.h>
#include <unistd.h>
#include <unwind.h>

#include "../maps/map.h"
#include "../maps/stack_trace.h"
#include "../progtypes/progtype.h"
#include "current_task.h"

#define USER_PTR_MAX 0x7fffffffefffull /* x86-64 TASK_SIZE_MAX - 1 (4-level paging) */
#define MAX_DEPTH STACK_TRACE_MAX_DEPTH
#define BUILD_ID_REC ((uint32_t)sizeof(struct bpf_stack_build_id))
#define ENTRY_SEARCH_FRAMES 256 /* bpfhost frames between a helper and its entry point */

#define FLAGS_STACKID                                                                              \
	(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_FAST_STACK_CMP | BPF_F_REUSE_STACKID)
#define FLAGS_STACK (BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_USER_BUILD_ID)

/* ---- reading the process's memory without faulting ---- */

/* This thread's stack [lo, hi), learnt once. */
static _Thread_local uintptr_t stack_lo, stack_hi;
static _Thread_local bool stack_known;

static void thread_stack(void)
{
	pthread_attr_t a;
	size_t size;
	void *lo;

	stack_known = true;
	if (pthread_getattr_np(pthread_self(), &a))
		return;
	if (!pthread_attr_getstack(&a, &lo, &size)) {
		stack_lo = (uintptr_t)lo;
		stack_hi = stack_lo + size;
	}
	pthread_attr_destroy(&a);
}

/* Bytes of a stack that is known mapped; not ASan's business: a frame
 * pointer may lead into another frame's redzones, and that is no bug here. */
__attribute__((no_sanitize_address)) static void load(void *dst, uintptr_t src, size_t len)
{
	const volatile unsigned char *p = (const volatile unsigned char *)src;
	unsigned char *d = dst;

	for (size_t i = 0; i < len; i++)
		d[i] = p[i];
}

/* len bytes at user address addr into dst; false if they are not all
 * readable. The live part of this thread's stack (from this frame up) is
 * read directly, anything else with process_vm_readv on ourselves, which
 * fails where a load would fault. */
static bool read_user(void *dst, uint64_t addr, size_t len)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	struct iovec local = {dst, len}, remote = {(void *)(uintptr_t)addr, len};

	if (addr > USER_PTR_MAX || addr + len < addr)
		return false;
	if (!stack_known)
		thread_stack();
	if (here >= stack_lo && here < stack_hi && addr >= here && addr + len <= stack_hi) {
		load(dst, (uintptr_t)addr, len);
		return true;
	}
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* ---- walking ---- */

struct trace {
	uint64_t *ips;
	uint32_t nr, max;
};

static void put(struct trace *t, uint64_t ip)
{
	if (t->nr < t->max)
		t->ips[t->nr++] = ip;
}

/* The frames from frame pointer bp, as perf_callchain_user: no order or
 * alignment is asked of them, the depth bounds a loop. */
static void walk_frames(struct trace *t, uint64_t bp)
{
	uint64_t f[2]; /* the saved frame pointer, the return address */

	while (t->nr < t->max && read_user(f, bp, sizeof(f))) {
		put(t, f[1]);
		bp = f[0];
	}
}

/* Is ip a function's first instruction, push %rbp or endbr64 (the kernel's
 * is_uprobe_at_func_entry)? Then the frame is not set up yet. */
static bool at_function_entry(uint64_t ip)
{
	static const unsigned char endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
	unsigned char insn[4];

	if (!read_user(insn, ip, 1))
		return false;
	return insn[0] == 0x55 || (insn[0] == endbr64[0] && read_user(insn, ip, 4) &&
				   !memcmp(insn, endbr64, sizeof(insn)));
}

static void walk_regs(struct trace *t, const struct pt_regs *regs, bool uprobe)
{
	uint64_t ret;

	put(t, regs->rip);
	if (uprobe && t->nr < t->max && at_function_entry(regs->rip) &&
	    read_user(&ret, regs->rsp, sizeof(ret)))
		put(t, ret);
	walk_frames(t, regs->rbp);
}

/* Where control entered bpfhost: these functions, and the syscall() that
 * leads to them (__wrap_syscall where libbpf is wrapped at link time, the
 * preload's own under LD_PRELOAD: either is what "syscall" names here). */
static bool is_entry(uintptr_t fn)
{
	return fn == (uintptr_t)bpfhost_prog_run || fn == (uintptr_t)bpfhost_bpf ||
	       fn == (uintptr_t)bpfhost_sys_bpf || fn == (uintptr_t)syscall;
}

struct caller {
	uint64_t ip, bp;
	unsigned frames;
	bool inside, found;
};

/* Up from the helper: through bpfhost's frames to its entry point, past
 * it to the first frame that is not one: the caller's, whose return
 * address and frame pointer start the walk. */
static _Unwind_Reason_Code on_frame(struct _Unwind_Context *uc, void *arg)
{
	struct caller *c = arg;
	uintptr_t fn = (uintptr_t)_Unwind_GetRegionStart(uc);

	if (++c->frames > ENTRY_SEARCH_FRAMES)
		return _URC_END_OF_STACK;
	if (fn && is_entry(fn)) {
		c->inside = true;
		return _URC_NO_REASON;
	}
	if (!c->inside)
		return _URC_NO_REASON;
	c->ip = _Unwind_GetIP(uc);
	c->bp = _Unwind_GetGR(uc, 6); /* rbp, DWARF register 6 */
	c->found = true;
	return _URC_END_OF_STACK;
}

static void walk_caller(struct trace *t)
{
	struct caller c = {0};

	_Unwind_Backtrace(on_frame, &c);
	if (!c.found)
		return;
	put(t, c.ip);
	walk_frames(t, c.bp);
}

/* Where a run's stack comes from: the registers of its context (KPROBE,
 * PERF_EVENT), or NULL: the caller's. */
struct source {
	const struct pt_regs *regs;
	bool uprobe; /* a probe's registers at an instruction (KPROBE) */
};

static struct source source_of(const struct vm_run *run)
{
	struct source s = {NULL, false};

	for (size_t i = 0; i < run->region_cnt; i++) {
		const struct vm_region *r = &run->regions[i];

		if (!r->access_ok || strcmp(r->name, "ctx"))
			continue;
		if (r->access_ok == progtype_kprobe.ctx_access && r->len == sizeof(struct pt_regs))
			s.uprobe = true;
		else if (!(r->access_ok == progtype_perf_event.ctx_access &&
			   r->len == sizeof(struct bpf_perf_event_data)))
			continue;
		/* struct bpf_perf_event_data starts with the registers */
		s.regs = (const struct pt_regs *)(uintptr_t)r->start;
		break;
	}
	return s;
}

/* The source for a helper whose R1 is the context; false, the run
 * faulted, if the stack comes from the context and R1 is not it. */
static bool ctx_source(struct vm_run *run, uint64_t ctx, const char *helper, struct source *s)
{
	*s = source_of(run);
	if (s->regs && ctx != (uint64_t)(uintptr_t)s->regs) {
		vm_helper_fault(run, "helper %s: argument R1 (0x%llx) is not the context", helper,
				(unsigned long long)ctx);
		return false;
	}
	return true;
}

/* The user stack, at most max entries, into ips; the number of entries. */
static uint32_t user_stack(const struct source *s, uint64_t *ips, uint32_t max)
{
	struct trace t = {ips, 0, max};

	if (s->regs)
		walk_regs(&t, s->regs, s->uprobe);
	else
		walk_caller(&t);
	return t.nr;
}

/* The kernel's max_depth: entries wanted plus those skipped, at most the
 * deepest walk. */
static uint32_t depth(uint32_t entries, uint32_t skip)
{
	return entries > MAX_DEPTH || entries + skip > MAX_DEPTH ? MAX_DEPTH : entries + skip;
}

/* ---- build ids ---- */

struct build_ids {
	const uint64_t *ips;
	struct bpf_stack_build_id *out;
	uint32_t nr;
	uintptr_t vdso;
};

static uint64_t align4(uint64_t n)
{
	return (n + 3) & ~3ull;
}

/* Is [vaddr, vaddr + len) inside a loaded segment's file bytes? */
static bool in_load(const struct dl_phdr_info *info, uint64_t vaddr, uint64_t len)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];

		if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr &&
		    vaddr + len <= p->p_vaddr + p->p_filesz && vaddr + len >= vaddr)
			return true;
	}
	return false;
}

/* The object's GNU build id, zero-padded to BPF_BUILD_ID_SIZE bytes, from
 * its notes as they are mapped (the kernel's parse_build_id_buf). */
static bool note_build_id(const struct dl_phdr_info *info, unsigned char *id)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		const unsigned char *at = (const unsigned char *)(info->dlpi_addr + p->p_vaddr);
		uint64_t left = p->p_filesz;

		if (p->p_type != PT_NOTE || !in_load(info, p->p_vaddr, p->p_filesz))
			continue;
		while (left > sizeof(ElfW(Nhdr))) {
			ElfW(Nhdr) nh;
			uint64_t name, desc, len;

			memcpy(&nh, at, sizeof(nh));
			name = align4(nh.n_namesz);
			desc = align4(nh.n_descsz);
			len = sizeof(nh) + name + desc;
			if (len > left)
				break;
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp(at + sizeof(nh), "GNU", 4) && nh.n_descsz > 0 &&
			    nh.n_descsz <= BPF_BUILD_ID_SIZE) {
				memset(id, 0, BPF_BUILD_ID_SIZE);
				memcpy(id, at + sizeof(nh) + name, nh.n_descsz);
				return true;
			}
			at += len;
			left -= len;
		}
	}
	return false;
}

/* For each ip this object maps from its file: its build id and file offset
 * (the kernel's (vm_pgoff << PAGE_SHIFT) + ip - vm_start). */
static int on_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_ids *b = arg;
	unsigned char id[BPF_BUILD_ID_SIZE];
	const uint64_t page = 4096;
	int have = -1; /* not looked yet */

	(void)size;
	if (b->vdso && (uintptr_t)info->dlpi_phdr - b->vdso < page)
		return 0; /* the vDSO is no file: the kernel has no build id for it */
	for (uint32_t i = 0; i < b->nr; i++) {
		for (int j = 0;
		     j < info->dlpi_phnum && b->out[i].status != BPF_STACK_BUILD_ID_VALID; j++) {
			const ElfW(Phdr) *p = &info->dlpi_phdr[j];
			uint64_t start = info->dlpi_addr + p->p_vaddr, ip = b->ips[i];
			uint64_t vm_start = start & ~(page - 1);
			uint64_t vm_end = (start + p->p_filesz + page - 1) & ~(page - 1);

			if (p->p_type != PT_LOAD || ip < vm_start || ip >= vm_end)
				continue;
			if (have < 0)
				have = note_build_id(info, id);
			if (!have)
				break;
			b->out[i].status = BPF_STACK_BUILD_ID_VALID;
			memcpy(b->out[i].build_id, id, sizeof(id));
			b->out[i].offset = (p->p_offset & ~(page - 1)) + ip - vm_start;
		}
	}
	return 0;
}

static void build_ids(const uint64_t *ips, struct bpf_stack_build_id *out, uint32_t nr)
{
	struct build_ids b = {ips, out, nr, (uintptr_t)getauxval(AT_SYSINFO_EHDR)};

	for (uint32_t i = 0; i < nr; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].status = BPF_STACK_BUILD_ID_IP;
		out[i].ip = ips[i];
	}
	if (nr)
		dl_iterate_phdr(on_object, &b);
}

/* ---- the helpers ---- */

/* bpf_get_stackid(ctx, map, flags): the id of the stack in a STACK_TRACE
 * map (value_size / entry size entries deep after the skip), stored if new. */
uint64_t helper_get_stackid(uint64_t ctx, uint64_t map_arg, uint64_t flags, uint64_t r4,
			    uint64_t r5, struct vm_run *run)
{
	struct bpfmap *map = (struct bpfmap *)(uintptr_t)map_arg;
	struct bpf_stack_build_id ids[MAX_DEPTH];
	uint32_t skip = flags & BPF_F_SKIP_FIELD_MASK, elem, nr;
	uint64_t ips[MAX_DEPTH];
	struct source s;

	(void)r4, (void)r5;
	if (!ctx_source(run, ctx, "bpf_get_stackid", &s))
		return 0;
	if (map->hdr->map_type != BPF_MAP_TYPE_STACK_TRACE) {
		vm_helper_fault(
			run, "helper bpf_get_stackid: argument R2 is a %s map, not a stack_trace",
			map_type_name(map->hdr->map_type));
		return 0;
	}
	if (flags & ~(uint64_t)FLAGS_STACKID)
		return (uint64_t)(int64_t)-EINVAL;
	elem = stack_trace_elem_size(map);
	nr = flags & BPF_F_USER_STACK ? user_stack(&s, ips, depth(map->value_size / elem, skip))
				      : 0;
	if (nr <= skip)
		return (uint64_t)(int64_t)-EFAULT;
	nr -= skip;
	if (elem == 8)
		return (uint64_t)stack_trace_store(map, ips + skip, ips + skip, nr, flags);
	build_ids(ips + skip, ids, nr);
	return (uint64_t)stack_trace_store(map, ips + skip, ids, nr, flags);
}

/* Bytes [from, size) of buf zeroed (buf may be NULL when size is 0). */
static void zero_from(unsigned char *buf, uint32_t from, uint32_t size)
{
	if (from < size)
		memset(buf + from, 0, size - from);
}

/* The kernel's __bpf_get_stack: size bytes of buf, entries of 8 bytes (ips)
 * or of a struct bpf_stack_build_id; zeroed past what was written, all of it
 * on error. crosstask: the stack of another thread was asked. */
static int64_t get_stack(const struct source *s, unsigned char *buf, uint32_t size, uint64_t flags,
			 bool crosstask)
{
	const bool user = flags & BPF_F_USER_STACK, build_id = flags & BPF_F_USER_BUILD_ID;
	uint32_t skip = flags & BPF_F_SKIP_FIELD_MASK, elem, num, nr;
	struct bpf_stack_build_id ids[MAX_DEPTH];
	uint64_t ips[MAX_DEPTH];
	int64_t err = -EINVAL;

	if (flags & ~(uint64_t)FLAGS_STACK || (!user && build_id))
		goto clear;
	elem = build_id ? BUILD_ID_REC : 8;
	if (size % elem)
		goto clear;
	if (crosstask && user) { /* perf cannot walk another task's user stack */
		err = -EOPNOTSUPP;
		goto clear;
	}
	num = size / elem;
	nr = user ? user_stack(s, ips, depth(num, skip)) : 0;
	if (nr < skip) {
		err = -EFAULT;
		goto clear;
	}
	nr -= skip;
	if (nr > num)
		nr = num;
	if (nr && build_id) {
		build_ids(ips + skip, ids, nr);
		memcpy(buf, ids, (size_t)nr * elem);
	} else if (nr) {
		memcpy(buf, ips + skip, (size_t)nr * elem);
	}
	zero_from(buf, nr * elem, size);
	return nr * elem;
clear:
	zero_from(buf, 0, size);
	return err;
}

/* bpf_get_stack(ctx, buf, size, flags) */
uint64_t helper_get_stack(uint64_t ctx, uint64_t buf, uint64_t size, uint64_t flags, uint64_t r5,
			  struct vm_run *run)
{
	struct source s;

	(void)r5;
	if (!ctx_source(run, ctx, "bpf_get_stack", &s))
		return 0;
	return (uint64_t)get_stack(&s, (unsigned char *)(uintptr_t)buf, (uint32_t)size, flags,
				   false);
}

/* bpf_get_task_stack(task, buf, size, flags): the task is the one
 * bpf_get_current_task(_btf) gave, the thread running the program, whose
 * user stack is the one at the hook (the kernel's task_pt_regs: a probe's
 * registers, else where it entered bpfhost); any other task is another
 * thread's, whose user stack perf cannot walk (-EOPNOTSUPP). */
uint64_t helper_get_task_stack(uint64_t task, uint64_t buf, uint64_t size, uint64_t flags,
			       uint64_t r5, struct vm_run *run)
{
	uint64_t current = helper_get_current_task(0, 0, 0, 0, 0, run);
	struct source s = source_of(run);

	(void)r5;
	return (uint64_t)get_stack(&s, (unsigned char *)(uintptr_t)buf, (uint32_t)size, flags,
				   !current || task != current);
}
