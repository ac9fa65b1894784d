/* BPF_MAP_TYPE_RINGBUF beyond struct map_ops: the program side (the
 * bpf_ringbuf_* helpers) and the consumer side for bpfhost's own code (waiting
 * for data, reading records). See ringbuf.c for the layout. */
#ifndef BPFHOST_MAPS_RINGBUF_H
#define BPFHOST_MAPS_RINGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfmap;

/* bpf_ringbuf_reserve: a record of size bytes, or NULL (no room, flags). */
void *ringbuf_reserve(struct bpfmap *map, uint64_t size, uint64_t flags);
/* Is sample inside map's ring (where ringbuf_reserve puts records)? */
bool ringbuf_has_record(const struct bpfmap *map, const void *sample);
/* Is sample a record of map still reserved, with at least len bytes? */
bool ringbuf_is_reserved(const struct bpfmap *map, const void *sample, uint64_t len);
/* bpf_ringbuf_submit / bpf_ringbuf_discard. Returns -EINVAL, changing
 * nothing, if sample is not a record of map still reserved. */
int ringbuf_commit(struct bpfmap *map, void *sample, uint64_t flags, bool discard);
/* bpf_ringbuf_output: 0, -EINVAL (flags) or -EAGAIN (no room). */
long ringbuf_output(struct bpfmap *map, const void *data, uint64_t size, uint64_t flags);
/* bpf_ringbuf_query: BPF_RB_AVAIL_DATA, _RING_SIZE, _CONS_POS, _PROD_POS; else 0. */
uint64_t ringbuf_query(struct bpfmap *map, uint64_t flags);

/* ---- consumers ---- */

/* Is there data the consumer has not read (what makes the kernel's poll say
 * EPOLLIN)? */
bool ringbuf_readable(struct bpfmap *map);
/* Sleeps until a producer's wakeup, data, or timeout_ms (< 0: no limit).
 * Returns 0, or -EINTR if a signal came. Works across processes. */
int ringbuf_wait(struct bpfmap *map, int timeout_ms);
/* Reads every committed record in order, as libbpf's ring_buffer__consume
 * does: fn gets each sample that was not discarded; a negative return stops
 * (the record counts as read). Returns the number of samples or fn's error. */
int ringbuf_consume(struct bpfmap *map, int (*fn)(void *ctx, void *sample, uint32_t len),
		    void *ctx);

#endif
