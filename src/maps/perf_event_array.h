/* BPF_MAP_TYPE_PERF_EVENT_ARRAY beyond struct map_ops: bpf_perf_event_output,
 * bpfhost's own perf events (the BPF output events that perf_event_open(2)
 * makes, served by src/core/perf.c), and reading the map's own rings back
 * for bpfhost's tools. See perf_event_array.c for the layouts. */
#ifndef BPFHOST_MAPS_PERF_EVENT_ARRAY_H
#define BPFHOST_MAPS_PERF_EVENT_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfmap;
struct perf_event_attr;

/* bpf_perf_event_output from a program running on cpu: 0, -EINVAL (flags),
 * -E2BIG (index, or a record too big), -ENOENT (no event in the slot),
 * -EOPNOTSUPP (the event is not active on cpu: disabled, bound to another
 * CPU or thread; a kernel event's slot without a ring), -ENOSPC (no ring
 * mapped, output paused, or no room: then the record is counted lost). */
long perf_array_output(struct bpfmap *map, uint64_t flags, const void *data, uint64_t size,
		       unsigned cpu);
/* Reads the records of slot index's ring in the map (slots holding a kernel
 * perf event) in order: fn gets each sample's raw data (with the kernel's
 * padding; size as perf's PERF_SAMPLE_RAW). Returns the number read, fn's
 * negative return, or -EINVAL for a slot without ring. */
int perf_array_read(struct bpfmap *map, uint32_t index,
		    int (*fn)(void *ctx, const void *data, uint32_t size), void *ctx);
/* Records slot index's ring in the map had no room for. */
uint64_t perf_array_lost(const struct bpfmap *map, uint32_t index);

/* ---- bpfhost's perf events ----
 *
 * A perf event is a file; offset PERF_RING_USER_OFF of it is what an mmap
 * of the event shows at offset 0 (the kernel's struct perf_event_mmap_page,
 * then the data pages). A struct perf_ring is this process's handle on one. */
struct perf_ring;

#define PERF_RING_PAGE 4096u
#define PERF_RING_USER_OFF 4096u
#define PERF_RING_PATH_MAX 224

/* The sample_type bits a bpfhost perf event can produce. */
#define PERF_RING_SAMPLE_TYPES                                                                     \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |            \
	 PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |             \
	 PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW)

/* Writes the header of a new perf event into the empty file fd (which it
 * sizes to one page): attr's output attributes, bound to cpu (-1: any) and
 * thread tid (0: any), its id, and the path other processes open it by. */
int perf_ring_init(int fd, const struct perf_event_attr *attr, int cpu, int tid, uint64_t id,
		   const char *path);
/* The perf event whose file fd is open (fd stays the caller's), with a
 * reference; NULL if fd is no bpfhost perf event. Cheap for other fds. */
struct perf_ring *perf_ring_from_fd(int fd);
void perf_ring_get(struct perf_ring *r);
void perf_ring_put(struct perf_ring *r);
uint64_t perf_ring_id(const struct perf_ring *r);
/* Is the perf event in file fd dead: no process holds an fd or an mmap of
 * the file perf_event_open returned (its shared flock is gone)? fd must be
 * a description that holds no flock itself. */
bool perf_ring_file_dead(int fd);
/* The same for r; and the path its file is registered at. */
bool perf_ring_dead(const struct perf_ring *r);
const char *perf_ring_path(const struct perf_ring *r);

/* The first mmap: nr_pages data pages (0 or a power of 2); a read-only
 * mapping makes the ring overwrite. Later mmaps must ask for as many.
 * 0, -EINVAL (another size), -ENOMEM. */
int perf_ring_setup(struct perf_ring *r, uint32_t nr_pages, bool writable);
/* A perf ioctl (PERF_EVENT_IOC_*) on the event, with the kernel's results. */
long perf_ring_ioctl(struct perf_ring *r, unsigned int cmd, unsigned long arg);
/* bpf_perf_event_output into the event from a program on cpu. */
long perf_ring_output(struct perf_ring *r, unsigned cpu, const void *data, uint64_t size);

/* What the kernel's poll on the event says: EPOLLHUP before the first
 * mmap; then EPOLLIN | EPOLLRDNORM once per wakeup (clear: the poll takes
 * it, as the kernel's does), else 0. */
uint32_t perf_ring_poll(struct perf_ring *r, bool clear);
/* Sleeps until one of the n events has a wakeup (or is not mapped), or
 * timeout_ms (< 0: no limit), across processes. 0, -EINTR, or -ENOSYS when
 * the kernel cannot wait on several futexes (the caller polls instead). */
int perf_ring_wait(struct perf_ring *const *rings, size_t n, int timeout_ms);

#endif
