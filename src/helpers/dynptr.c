/* The dynptr helpers, with the kernel's run-time rules (kernel/bpf/helpers.c,
 * ringbuf.c). A dynptr is the kernel's struct bpf_dynptr_kern: the data
 * pointer; a 32-bit word with the size in bits 0-23 (at most
 * DYNPTR_MAX_SIZE), the type in bits 28-30 and the read-only flag in bit 31;
 * the offset of the view into data (always 0 here: only the kfunc
 * bpf_dynptr_adjust moves it). A helper that fails to make one leaves it
 * null (all zeroes), which the others refuse (-EINVAL, or NULL). Only local
 * and ring buffer dynptrs exist here: skb and xdp ones come from kfuncs.
 *
 * The verifier keeps a ring buffer dynptr from outliving its reservation.
 * At run time submit and discard set it null, so a second submit of it does
 * nothing; a copy submitted again is ignored as bpf_ringbuf_submit ignores a
 * record no longer reserved. The checked interpreter (dynptr_check_arg)
 * refuses a copy used after its record was submitted, so the ring is never
 * written through one, and any dynptr that is not on the program's stack or
 * does not lie over memory the program may touch. */
#include "dynptr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../maps/map.h"
#include "../maps/ringbuf.h"

#define DYNPTR_MAX_SIZE ((1u << 24) - 1)
#define DYNPTR_SIZE_MASK 0xffffffu
#define DYNPTR_TYPE_SHIFT 28
#define DYNPTR_TYPE_MASK 7u
#define DYNPTR_RDONLY_BIT (1u << 31)

/* the kernel's enum bpf_dynptr_type */
enum dynptr_type {
	DYNPTR_TYPE_INVALID,
	DYNPTR_TYPE_LOCAL,
	DYNPTR_TYPE_RINGBUF,
	DYNPTR_TYPE_SKB,
	DYNPTR_TYPE_XDP,
};

struct dynptr {
	uint64_t data;
	uint32_t size; /* size | type << DYNPTR_TYPE_SHIFT | DYNPTR_RDONLY_BIT */
	uint32_t offset;
};

_Static_assert(sizeof(struct dynptr) == sizeof(struct bpf_dynptr), "the kernel's layout");

#define ERR(e) ((uint64_t)(int64_t)(e))

/* Copied in and out: an unverified program in the fast interpreter may pass
 * a misaligned one. */
static struct dynptr load(uint64_t addr)
{
	struct dynptr d;

	memcpy(&d, (const void *)(uintptr_t)addr, sizeof(d));
	return d;
}

static void store(uint64_t addr, uint64_t data, enum dynptr_type type, uint32_t size)
{
	struct dynptr d = {data, size | (uint32_t)type << DYNPTR_TYPE_SHIFT, 0};

	memcpy((void *)(uintptr_t)addr, &d, sizeof(d));
}

static void set_null(uint64_t addr)
{
	memset((void *)(uintptr_t)addr, 0, sizeof(struct dynptr));
}

static uint32_t size_of(const struct dynptr *d)
{
	return d->size & DYNPTR_SIZE_MASK;
}

static enum dynptr_type type_of(const struct dynptr *d)
{
	return (enum dynptr_type)(d->size >> DYNPTR_TYPE_SHIFT & DYNPTR_TYPE_MASK);
}

static bool rdonly(const struct dynptr *d)
{
	return d->size & DYNPTR_RDONLY_BIT;
}

/* len bytes at offset inside the view: the kernel's bpf_dynptr_check_off_len */
static int check_off_len(const struct dynptr *d, uint32_t offset, uint32_t len)
{
	uint32_t size = size_of(d);

	return len > size || offset > size - len ? -E2BIG : 0;
}

static uint8_t *at(const struct dynptr *d, uint32_t offset)
{
	return (uint8_t *)(uintptr_t)(d->data + d->offset + offset);
}

/* The ring buffer among the run's maps whose ring holds sample, or NULL. */
static struct bpfmap *ring_of(const struct vm_run *run, uint64_t sample)
{
	for (size_t i = 0; i < run->map_cnt + run->extra_map_cnt; i++) {
		struct bpfmap *m =
			i < run->map_cnt ? run->maps[i] : run->extra_maps[i - run->map_cnt];

		if (ringbuf_has_record(m, (const void *)(uintptr_t)sample))
			return m;
	}
	return NULL;
}

/* bpf_dynptr_from_mem(data, size, flags, ptr): a local dynptr to size bytes
 * at data. */
DYNPTR_HELPER_FN(dynptr_from_mem)
{
	uint32_t size = (uint32_t)r2;
	int err = size > DYNPTR_MAX_SIZE ? -E2BIG : r3 ? -EINVAL : 0;

	(void)r5, (void)run;
	if (err) {
		set_null(r4);
		return ERR(err);
	}
	store(r4, r1, DYNPTR_TYPE_LOCAL, size);
	return 0;
}

/* bpf_ringbuf_reserve_dynptr(ringbuf, size, flags, ptr): a dynptr to a new
 * record of size bytes; no room is -EINVAL, as a bad flag. */
DYNPTR_HELPER_FN(ringbuf_reserve_dynptr)
{
	struct bpfmap *m = (struct bpfmap *)(uintptr_t)r1;
	uint32_t size = (uint32_t)r2;
	void *sample = NULL;
	int err = 0;

	(void)r5;
	if (r3)
		err = -EINVAL;
	else if (size > DYNPTR_MAX_SIZE)
		err = -E2BIG;
	else if (m->hdr->map_type == BPF_MAP_TYPE_RINGBUF)
		sample = ringbuf_reserve(m, size, 0);
	if (!sample) {
		set_null(r4);
		return ERR(err ? err : -EINVAL);
	}
	vm_run_hold_record(run, m, sample);
	store(r4, (uint64_t)(uintptr_t)sample, DYNPTR_TYPE_RINGBUF, size);
	return 0;
}

/* Submits or discards the record of the dynptr at addr, which becomes null;
 * a null one is left alone, anything but a record still reserved ignored. */
static uint64_t commit(uint64_t addr, uint64_t flags, struct vm_run *run, bool discard)
{
	struct dynptr d = load(addr);
	struct bpfmap *m;

	if (!d.data)
		return 0;
	m = type_of(&d) == DYNPTR_TYPE_RINGBUF ? ring_of(run, d.data) : NULL;
	if (m) {
		vm_run_drop_record(run, (const void *)(uintptr_t)d.data);
		ringbuf_commit(m, (void *)(uintptr_t)d.data, flags, discard);
	}
	set_null(addr);
	return 0;
}

DYNPTR_HELPER_FN(ringbuf_submit_dynptr)
{
	(void)r3, (void)r4, (void)r5;
	return commit(r1, r2, run, false);
}

DYNPTR_HELPER_FN(ringbuf_discard_dynptr)
{
	(void)r3, (void)r4, (void)r5;
	return commit(r1, r2, run, true);
}

/* bpf_dynptr_read(dst, len, src, offset, flags): the view and dst may
 * overlap (two dynptrs to one map value), hence memmove. */
DYNPTR_HELPER_FN(dynptr_read)
{
	struct dynptr d = load(r3);
	uint32_t len = (uint32_t)r2;
	int err;

	(void)run;
	if (!d.data || r5)
		return ERR(-EINVAL);
	err = check_off_len(&d, (uint32_t)r4, len);
	if (err)
		return ERR(err);
	switch (type_of(&d)) {
	case DYNPTR_TYPE_LOCAL:
	case DYNPTR_TYPE_RINGBUF:
		memmove((void *)(uintptr_t)r1, at(&d, (uint32_t)r4), len);
		return 0;
	case DYNPTR_TYPE_INVALID:
	case DYNPTR_TYPE_SKB:
	case DYNPTR_TYPE_XDP: break;
	}
	return ERR(-EFAULT); /* the kernel's answer to a type it does not know */
}

/* bpf_dynptr_write(dst, offset, src, len, flags): the range is checked
 * before the flags, which skb dynptrs would use. */
DYNPTR_HELPER_FN(dynptr_write)
{
	struct dynptr d = load(r1);
	uint32_t len = (uint32_t)r4;
	int err;

	(void)run;
	if (!d.data || rdonly(&d))
		return ERR(-EINVAL);
	err = check_off_len(&d, (uint32_t)r2, len);
	if (err)
		return ERR(err);
	switch (type_of(&d)) {
	case DYNPTR_TYPE_LOCAL:
	case DYNPTR_TYPE_RINGBUF:
		if (r5)
			return ERR(-EINVAL);
		memmove(at(&d, (uint32_t)r2), (const void *)(uintptr_t)r3, len);
		return 0;
	case DYNPTR_TYPE_INVALID:
	case DYNPTR_TYPE_SKB:
	case DYNPTR_TYPE_XDP: break;
	}
	return ERR(-EFAULT);
}

/* bpf_dynptr_data(ptr, offset, len): a pointer to len bytes at offset, or
 * NULL (null or read-only dynptr, range outside it). */
DYNPTR_HELPER_FN(dynptr_data)
{
	struct dynptr d = load(r1);

	(void)r4, (void)r5, (void)run;
	if (!d.data || check_off_len(&d, (uint32_t)r2, (uint32_t)r3) || rdonly(&d))
		return 0;
	switch (type_of(&d)) {
	case DYNPTR_TYPE_LOCAL:
	case DYNPTR_TYPE_RINGBUF: return (uint64_t)(uintptr_t)at(&d, (uint32_t)r2);
	case DYNPTR_TYPE_INVALID:
	case DYNPTR_TYPE_SKB:
	case DYNPTR_TYPE_XDP: break;
	}
	return 0;
}

/* Is addr 16 8-aligned bytes of the run's live stack? Where the kernel
 * wants a dynptr; in memory another thread may write (a map value), its data
 * pointer could change between the check and the helper's use. */
static bool on_stack(const struct vm_run *run, uint64_t addr)
{
	uint64_t top = (uint64_t)(uintptr_t)(run->stack + sizeof(run->stack));

	return addr % 8 == 0 && addr >= run->stack_low && addr <= top - sizeof(struct dynptr);
}

#define WHY(...) (snprintf(why, why_len, __VA_ARGS__), -EINVAL)

int dynptr_check_arg(const struct vm_run *run, uint64_t addr, enum vm_arg kind, char *why,
		     size_t why_len)
{
	struct bpfmap *m;
	struct dynptr d;

	if (!on_stack(run, addr))
		return WHY("is not a bpf_dynptr: 16 8-aligned bytes of the program's stack");
	if (kind != VM_ARG_DYNPTR)
		return 0;
	d = load(addr);
	if (!d.data)
		return 0;
	switch (type_of(&d)) {
	case DYNPTR_TYPE_LOCAL:
		if (!vm_check_access(run, d.data + d.offset, size_of(&d), !rdonly(&d)))
			return WHY("is a dynptr to %u bytes at 0x%llx: not memory the program "
				   "may %s",
				   size_of(&d), (unsigned long long)(d.data + d.offset),
				   rdonly(&d) ? "read" : "write");
		return 0;
	case DYNPTR_TYPE_RINGBUF:
		m = ring_of(run, d.data);
		if (!m || !ringbuf_is_reserved(m, (const void *)(uintptr_t)d.data,
					       (uint64_t)d.offset + size_of(&d)))
			return WHY("is a dynptr to a ring buffer record no longer reserved "
				   "(submitted or discarded)");
		return 0;
	case DYNPTR_TYPE_INVALID:
	case DYNPTR_TYPE_SKB:
	case DYNPTR_TYPE_XDP: break;
	}
	return WHY("is a dynptr of type %u: only local and ring buffer ones exist here",
		   type_of(&d));
}
