/* Program decoding, run set-up, region checks and fault messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers/dynptr.h"
#include "../maps/map.h"
#include "../maps/ringbuf.h"
#include "../util/log.h"
#include "vm_internal.h"

int vm_prog_create(const struct bpf_insn *insns, size_t cnt, struct ulog *log, struct vm_prog **out)
{
	struct vm_prog *prog;
	int err;

	err = isa_validate(insns, cnt, log);
	if (err)
		return err;
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	prog->insns = calloc(cnt, sizeof(*prog->insns));
	if (!prog->insns) {
		free(prog);
		return -ENOMEM;
	}
	prog->insn_cnt = cnt;
	for (size_t i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		struct vm_insn *d = &prog->insns[i];
		enum isa_op op;
		unsigned fl;

		isa_decode(in, &op); /* validated: cannot fail */
		fl = isa_form_flags(op);
		d->op = (uint16_t)op;
		d->dst = in->dst_reg;
		d->src = in->src_reg;
		d->off = in->off;
		d->imm = (uint64_t)(int64_t)in->imm;
		if (fl & (ISA_JUMP_IMM | ISA_CALL_IMM))
			d->off = in->imm;
		if (op == ISA_OP_LDDW_FUNC) {
			/* a function pointer: the address of the function's first decoded
			 * instruction, which vm_call_function checks */
			d->op = ISA_OP_LDDW;
			d->imm = (uint64_t)(uintptr_t)&prog->insns[i + 1 + in->imm];
			prog->insns[++i].op = ISA_OP_EXIT;
			continue;
		}
		if (op == ISA_OP_CALL_KFUNC || ((fl & ISA_WIDE) && op != ISA_OP_LDDW)) {
			ulog_printf(log,
				    "insn %zu: %s is not supported by this runner: the loader "
				    "must resolve it first\n",
				    i, isa_forms[op].name);
			vm_prog_free(prog);
			return -EINVAL;
		}
		if (fl & ISA_WIDE) {
			d->imm = (uint32_t)in->imm | (uint64_t)(uint32_t)in[1].imm << 32;
			/* the second slot is never executed: validation keeps jumps out */
			prog->insns[++i].op = ISA_OP_EXIT;
		}
	}
	*out = prog;
	return 0;
}

void vm_prog_free(struct vm_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	free(prog);
}

void vm_run_init(struct vm_run *run, const struct vm_prog *prog)
{
	memset(run, 0, offsetof(struct vm_run, stack));
	run->prog = prog;
}

void vm_run_hold_record(struct vm_run *run, struct bpfmap *map, void *sample)
{
	if (run->held_record_cnt < VM_MAX_HELD_RECORDS)
		run->held_records[run->held_record_cnt++] = (struct vm_held_record){map, sample};
}

void vm_run_drop_record(struct vm_run *run, const void *sample)
{
	for (unsigned i = 0; i < run->held_record_cnt; i++)
		if (run->held_records[i].sample == sample) {
			run->held_records[i] = run->held_records[--run->held_record_cnt];
			return;
		}
}

void vm_run_release_records(struct vm_run *run)
{
	while (run->held_record_cnt) {
		struct vm_held_record *h = &run->held_records[--run->held_record_cnt];

		ringbuf_commit(h->map, h->sample, BPF_RB_NO_WAKEUP, true);
	}
}

int vm_run_add_region(struct vm_run *run, const void *start, uint64_t len, const char *name,
		      bool writable)
{
	struct vm_region *r;

	if (run->region_cnt >= VM_MAX_REGIONS)
		return -ENOSPC;
	if ((uint64_t)(uintptr_t)start + len < (uint64_t)(uintptr_t)start)
		return -EINVAL;
	r = &run->regions[run->region_cnt++];
	r->start = (uint64_t)(uintptr_t)start;
	r->len = len;
	r->name = name;
	r->writable = writable;
	r->access_ok = NULL;
	return 0;
}

int vm_run_add_ctx(struct vm_run *run, const void *start, uint64_t len, bool writable,
		   bool (*access_ok)(uint32_t off, uint32_t size, bool write))
{
	int err = vm_run_add_region(run, start, len, "ctx", writable);

	if (!err)
		run->regions[run->region_cnt - 1].access_ok = access_ok;
	return err;
}

static bool region_allows(const struct vm_region *r, uint64_t addr, uint64_t size, bool write)
{
	return (r->writable || !write) &&
	       (!r->access_ok || !size ||
		r->access_ok((uint32_t)(addr - r->start), (uint32_t)size, write));
}

void vm_run_stop(struct vm_run *run, uint64_t r0)
{
	run->stop = true;
	run->stop_r0 = r0;
}

void vm_helper_fault(struct vm_run *run, const char *fmt, ...)
{
	va_list ap;

	run->fault.kind = VM_FAULT_HELPER_ARG;
	va_start(ap, fmt);
	vsnprintf(run->fault.msg, sizeof(run->fault.msg), fmt, ap);
	va_end(ap);
	run->stop = true;
	run->stop_r0 = 0;
	run->stop_err = -EFAULT;
	run->fault_needs_pc = true;
}

int vm_call_function(struct vm_run *run, uint64_t func, const uint64_t args[5], uint64_t *r0)
{
	const struct vm_insn *f = (const struct vm_insn *)(uintptr_t)func;
	const struct vm_insn *first = run->prog->insns;
	int err;

	/* a function pointer points at a decoded instruction of this program */
	if (f < first || f >= first + run->prog->insn_cnt ||
	    ((uintptr_t)f - (uintptr_t)first) % sizeof(*f)) {
		err = vm_fault_set(run, VM_FAULT_CALL, 0, func, 0,
				   "callback 0x%llx is not a function of the program",
				   (unsigned long long)func);
	} else {
		err = run->callback(run, f, args);
	}
	if (err) {
		run->stop = true;
		run->stop_err = err;
		return err;
	}
	*r0 = run->r0;
	return 0;
}

static bool inside(uint64_t start, uint64_t len, uint64_t addr, uint64_t size)
{
	return addr >= start && size <= len && addr - start <= len - size;
}

const char *vm_check_access(const struct vm_run *run, uint64_t addr, uint64_t size, bool write)
{
	uint64_t top = (uint64_t)(uintptr_t)(run->stack + sizeof(run->stack));

	if (inside(run->stack_low, top - run->stack_low, addr, size))
		return "stack";
	if (!write && inside((uint64_t)(uintptr_t)run->scratch, sizeof(run->scratch), addr, size))
		return "key";
	for (size_t i = 0; i < run->region_cnt; i++) {
		const struct vm_region *r = &run->regions[i];

		if (inside(r->start, r->len, addr, size) && region_allows(r, addr, size, write))
			return r->name;
	}
	for (size_t i = 0; i < run->map_cnt + run->extra_map_cnt; i++) {
		const struct bpfmap *m =
			i < run->map_cnt ? run->maps[i] : run->extra_maps[i - run->map_cnt];

		if (inside((uint64_t)(uintptr_t)m->data, m->hdr->data_size, addr, size) &&
		    /* what the verifier would refuse: writes to a read-only map, reads
		     * of a write-only one */
		    !(m->map_flags & (write ? BPF_F_RDONLY_PROG : BPF_F_WRONLY_PROG)))
			return m->hdr->name[0] ? m->hdr->name : "map";
	}
	return NULL;
}

int vm_run_add_map(struct vm_run *run, struct bpfmap *map)
{
	for (unsigned i = 0; i < run->extra_map_cnt; i++)
		if (run->extra_maps[i] == map)
			return 0;
	if (run->extra_map_cnt >= sizeof(run->extra_maps) / sizeof(run->extra_maps[0]))
		return -ENOSPC;
	run->extra_maps[run->extra_map_cnt++] = map;
	return 0;
}

static const struct bpfmap *used_map(const struct vm_run *run, uint64_t v)
{
	for (size_t i = 0; i < run->map_cnt; i++)
		if ((uint64_t)(uintptr_t)run->maps[i] == v)
			return run->maps[i];
	for (unsigned i = 0; i < run->extra_map_cnt; i++)
		if ((uint64_t)(uintptr_t)run->extra_maps[i] == v)
			return run->extra_maps[i];
	return NULL;
}

int vm_fault_set(struct vm_run *run, enum vm_fault_kind kind, size_t pc, uint64_t addr,
		 uint32_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	run->fault.kind = kind;
	run->fault.pc = pc;
	run->fault.addr = addr;
	run->fault.size = size;
	n = snprintf(run->fault.msg, sizeof(run->fault.msg), "insn %zu: ", pc);
	va_start(ap, fmt);
	vsnprintf(run->fault.msg + n, sizeof(run->fault.msg) - (size_t)n, fmt, ap);
	va_end(ap);
	switch (kind) {
	case VM_FAULT_INSN_LIMIT: return -E2BIG;
	case VM_FAULT_CALL: return -EINVAL;
	case VM_FAULT_NONE:
	case VM_FAULT_MEM:
	case VM_FAULT_ALIGN:
	case VM_FAULT_JUMP:
	case VM_FAULT_HELPER_ARG: break;
	}
	return -EFAULT;
}

/* Describes a failed access: which region it touched or came nearest to. */
int vm_fault_mem(struct vm_run *run, size_t pc, uint64_t addr, uint64_t size, bool write)
{
	uint64_t top = (uint64_t)(uintptr_t)(run->stack + sizeof(run->stack));
	const char *what = write ? "write" : "read";
	const struct vm_region *best = NULL;
	uint64_t best_dist = UINT64_MAX;

	if (addr < top + ISA_STACK_SIZE && addr + size > (uint64_t)(uintptr_t)run->stack) {
		uint64_t fp = run->stack_low + ISA_STACK_SIZE;

		return vm_fault_set(run, VM_FAULT_MEM, pc, addr, (uint32_t)size,
				    "invalid %s of %llu bytes at r10%+lld in frame %llu: outside "
				    "the live stack (%d bytes per frame)",
				    what, (unsigned long long)size, (long long)(addr - fp),
				    (unsigned long long)((top - fp) / ISA_STACK_SIZE),
				    ISA_STACK_SIZE);
	}
	for (size_t i = 0; i < run->region_cnt; i++) {
		const struct vm_region *r = &run->regions[i];
		uint64_t d = addr < r->start		? r->start - addr
			     : addr - r->start < r->len ? 0
							: addr - r->start - r->len + 1;

		if (d < best_dist) {
			best_dist = d;
			best = &run->regions[i];
		}
	}
	if (best && inside(best->start, best->len, addr, size) && best->access_ok)
		return vm_fault_set(run, VM_FAULT_MEM, pc, addr, (uint32_t)size,
				    "invalid bpf_context access off=%lld size=%llu (%s)",
				    (long long)(addr - best->start), (unsigned long long)size,
				    what);
	if (best && inside(best->start, best->len, addr, size) && write && !best->writable)
		return vm_fault_set(run, VM_FAULT_MEM, pc, addr, (uint32_t)size,
				    "invalid write of %llu bytes at %s%+lld: region is read-only",
				    (unsigned long long)size, best->name,
				    (long long)(addr - best->start));
	if (best && best_dist <= 4096)
		return vm_fault_set(
			run, VM_FAULT_MEM, pc, addr, (uint32_t)size,
			"invalid %s of %llu bytes at %s%+lld: region '%s' has %llu bytes", what,
			(unsigned long long)size, best->name, (long long)(addr - best->start),
			best->name, (unsigned long long)best->len);
	return vm_fault_set(run, VM_FAULT_MEM, pc, addr, (uint32_t)size,
			    "invalid %s of %llu bytes at 0x%llx: not in any region the program "
			    "was given",
			    what, (unsigned long long)size, (unsigned long long)addr);
}

static bool string_ok(const struct vm_run *run, uint64_t addr)
{
	for (uint64_t n = 1;; n++) {
		if (!vm_check_access(run, addr, n, false))
			return false;
		if (*(const char *)(uintptr_t)(addr + n - 1) == '\0')
			return true;
	}
}

int vm_check_helper_args(struct vm_run *run, const struct vm_helper *h, const uint64_t *reg,
			 size_t pc)
{
	const struct bpfmap *map = used_map(run, reg[1]);
	char why[96];

	for (int i = 0; i < 5; i++) {
		uint64_t a = reg[i + 1], size = i < 4 ? reg[i + 2] : 0;
		bool ok = true, write = h->args[i] == VM_ARG_MEM_RW ||
					h->args[i] == VM_ARG_MAP_VALUE_OUT ||
					h->args[i] == VM_ARG_LONG_OUT;

		switch ((enum vm_arg)h->args[i]) {
		case VM_ARG_MAP:
			ok = used_map(run, a) != NULL;
			size = 0;
			break;
		case VM_ARG_MAP_KEY:
		case VM_ARG_MAP_VALUE:
		case VM_ARG_MAP_VALUE_OUT:
			size = !map			      ? 0
			       : h->args[i] == VM_ARG_MAP_KEY ? map->key_size
							      : map->value_size;
			ok = map && vm_check_access(run, a, size, write) != NULL;
			break;
		case VM_ARG_MEM_RO:
		case VM_ARG_MEM_RW:
			ok = size == 0 || vm_check_access(run, a, size, write) != NULL;
			break;
		case VM_ARG_STR: ok = string_ok(run, a); break;
		case VM_ARG_LONG_OUT:
			size = 8;
			ok = vm_check_access(run, a, size, write) != NULL;
			break;
		case VM_ARG_DYNPTR_UNINIT:
		case VM_ARG_DYNPTR:
		case VM_ARG_DYNPTR_RELEASE:
			if (dynptr_check_arg(run, a, (enum vm_arg)h->args[i], why, sizeof(why)))
				return vm_fault_set(run, VM_FAULT_HELPER_ARG, pc, a, 16,
						    "helper %s: argument R%d (0x%llx) %s", h->name,
						    i + 1, (unsigned long long)a, why);
			break;
		case VM_ARG_ANYTHING:
		case VM_ARG_SIZE: break;
		}
		if (!ok && h->args[i] == VM_ARG_MAP)
			return vm_fault_set(run, VM_FAULT_HELPER_ARG, pc, a, 0,
					    "helper %s: argument R%d (0x%llx) is not a map the "
					    "program uses",
					    h->name, i + 1, (unsigned long long)a);
		if (!ok)
			return vm_fault_set(run, VM_FAULT_HELPER_ARG, pc, a, (uint32_t)size,
					    "helper %s: argument R%d (0x%llx, size %llu) is not "
					    "memory the program may %s",
					    h->name, i + 1, (unsigned long long)a,
					    (unsigned long long)size, write ? "write" : "read");
	}
	return 0;
}
