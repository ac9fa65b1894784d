/* BPF_MAP_TYPE_STACK_TRACE beyond struct map_ops: where bpf_get_stackid puts
 * the stack it walked (src/helpers/stack.c walks, src/maps/stack_trace.c
 * keeps the traces by id). */
#ifndef BPFHOST_MAPS_STACK_TRACE_H
#define BPFHOST_MAPS_STACK_TRACE_H

#include <stdint.h>

struct bpfmap;

/* The deepest stack the kernel walks: sysctl kernel.perf_event_max_stack at
 * its default (PERF_MAX_STACK_DEPTH); it also bounds a map's values. */
#define STACK_TRACE_MAX_DEPTH 127u

/* Bytes per entry of the map's values: 8 (an ip), or
 * sizeof(struct bpf_stack_build_id) for a map made with BPF_F_STACK_BUILD_ID. */
uint32_t stack_trace_elem_size(const struct bpfmap *map);

/* The kernel's __bpf_get_stackid once the stack is walked and skipped: ips
 * (nr of them, nr > 0, at most value_size / elem_size) give the id (their
 * jhash2, masked to the buckets); records are what is stored and compared (nr
 * entries of stack_trace_elem_size bytes: the ips themselves, or their build
 * id records). flags: BPF_F_FAST_STACK_CMP, BPF_F_REUSE_STACKID. Returns the
 * id, -EEXIST (the bucket holds another trace), or -ENOMEM (all max_entries
 * traces in use). */
long stack_trace_store(struct bpfmap *map, const uint64_t *ips, const void *records, uint32_t nr,
		       uint64_t flags);

/* The kernel's jhash2(words, n, initval): Bob Jenkins' lookup3 hashword. */
uint32_t stack_trace_jhash2(const uint32_t *words, uint32_t n, uint32_t initval);

#endif
