/* BPF_MAP_TYPE_PERF_EVENT_ARRAY beyond struct map_ops: bpf_perf_event_output,
 * and reading its records back for bpfhost's own tools. See perf_event_array.c. */
#ifndef BPFHOST_MAPS_PERF_EVENT_ARRAY_H
#define BPFHOST_MAPS_PERF_EVENT_ARRAY_H

#include <stdint.h>

struct bpfmap;

/* bpf_perf_event_output from a program running on cpu: 0, -EINVAL (flags),
 * -E2BIG (index), -ENOENT (no event in the slot), -EOPNOTSUPP (the slot has
 * no ring), -ENOSPC (ring full: the record is lost and counted). */
long perf_array_output(struct bpfmap *map, uint64_t flags, const void *data, uint64_t size,
		       unsigned cpu);
/* Reads the records of slot index's ring in order: fn gets each sample's raw
 * data (with the kernel's padding; size as perf's PERF_SAMPLE_RAW). Returns
 * the number read, fn's negative return, or -EINVAL for a slot without ring. */
int perf_array_read(struct bpfmap *map, uint32_t index,
		    int (*fn)(void *ctx, const void *data, uint32_t size), void *ctx);
/* Records slot index's ring had no room for. */
uint64_t perf_array_lost(const struct bpfmap *map, uint32_t index);

#endif
