/* Pieces shared by the two interpreters and vm.c: arithmetic with the
 * kernel's edge cases, big-endian packet reads, fault recording. */
#ifndef BPFHOST_VM_INTERNAL_H
#define BPFHOST_VM_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "../maps/map.h"
#include "vm.h"

static inline uint64_t vm_sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if ((int64_t)b == -1)
		return 0 - a; /* INT64_MIN / -1 wraps to INT64_MIN, as the kernel's neg */
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t vm_smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t vm_sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if ((int32_t)b == -1)
		return 0u - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t vm_smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if ((int32_t)b == -1)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* LD_ABS/LD_IND's bytes [off, off+size) of the run's packet, as the
 * kernel's bpf_skb_load_helper_*: offsets from the packet's start, or
 * relative to its network (SKF_NET_OFF) or link-layer (SKF_LL_OFF) header;
 * NULL where that leaves the packet. */
static inline const uint8_t *vm_pkt_ptr(const struct vm_run *run, int32_t off, uint32_t size)
{
	const uint8_t *p, *end = run->pkt + run->pkt_len;

	if (off >= 0)
		return (uint64_t)off + size <= run->pkt_len ? run->pkt + off : NULL;
	if (!run->pkt_head)
		return NULL;
	if (off >= -0x100000) /* SKF_NET_OFF */
		p = run->pkt_net + (off + 0x100000);
	else if (off >= -0x200000) /* SKF_LL_OFF */
		p = run->pkt_mac + (off + 0x200000);
	else
		return NULL;
	return p >= run->pkt_head && p + size <= end ? p : NULL;
}

static inline uint64_t vm_load_be8(const uint8_t *p)
{
	return p[0];
}

static inline uint64_t vm_load_be16(const uint8_t *p)
{
	return (uint64_t)p[0] << 8 | p[1];
}

static inline uint64_t vm_load_be32(const uint8_t *p)
{
	return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
}

static inline const struct vm_helper *vm_helper_get(const struct vm_run *run, uint64_t id)
{
	if (id >= run->helpers.cnt || !run->helpers.helpers[id].fn)
		return NULL;
	return &run->helpers.helpers[id];
}

int vm_fault_set(struct vm_run *run, enum vm_fault_kind kind, size_t pc, uint64_t addr,
		 uint32_t size, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int vm_fault_mem(struct vm_run *run, size_t pc, uint64_t addr, uint64_t size, bool write);
int vm_check_helper_args(struct vm_run *run, const struct vm_helper *h, const uint64_t *reg,
			 size_t pc);

#endif
