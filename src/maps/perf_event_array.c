/* BPF_MAP_TYPE_PERF_EVENT_ARRAY with the kernel's user-space semantics (slots
 * hold perf event fds: update, delete, get_next_key; lookup is ENOTSUPP), and
 * bpf_perf_event_output writing into rings kept in the map file, since
 * bpfhost's programs cannot reach the kernel's perf buffers:
 *
 *   data + 0          max_entries slots {present, fd, pid, lost}
 *   next page         min(max_entries, possible CPUs) rings, one per slot
 *                     from 0: a struct perf_event_mmap_page (data_head,
 *                     data_tail, data_offset, data_size) and PE_RING_SIZE bytes
 *                     of PERF_RECORD_SAMPLE records with PERF_SAMPLE_RAW, as a
 *                     perf mmap holds them.
 *
 * Producers take hdr->lock; the one reader (perf_array_read) moves data_tail.
 * Missing: the events themselves (libbpf's perf_buffer reads the kernel's
 * perf mmap and never sees these rings), removal of a slot when the map fd
 * that set it is closed, and the event's type and CPU checks.
 */
#include "perf_event_array.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define PE_PAGE 4096u
#define PE_RING_SIZE (8u * PE_PAGE) /* a power of 2 */

struct pe_slot {
	uint32_t present;
	int32_t fd;   /* in process pid, for tools */
	uint32_t pid; /* the process that set it */
	uint32_t pad;
	uint64_t lost; /* records its ring had no room for */
};

/* a PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW */
struct pe_record {
	struct perf_event_header header;
	uint32_t size;
};

static uint64_t slots_size(uint32_t max_entries)
{
	return ((uint64_t)max_entries * sizeof(struct pe_slot) + PE_PAGE - 1) &
	       ~(uint64_t)(PE_PAGE - 1);
}

static uint32_t ring_cnt(uint32_t max_entries, uint32_t ncpus)
{
	return max_entries < ncpus ? max_entries : ncpus;
}

static struct pe_slot *slot(const struct bpfmap *m, uint32_t i)
{
	return (struct pe_slot *)(void *)m->data + i;
}

static struct perf_event_mmap_page *ring_page(const struct bpfmap *m, uint32_t i)
{
	return (struct perf_event_mmap_page *)(void *)(m->data + slots_size(m->max_entries) +
						       (uint64_t)i * (PE_PAGE + PE_RING_SIZE));
}

static uint8_t *ring_data(const struct bpfmap *m, uint32_t i)
{
	return (uint8_t *)ring_page(m, i) + PE_PAGE;
}

/* ---- the map type ---- */

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_PRESERVE_ELEMS;

	if (!attr->max_entries || attr->key_size != 4 || attr->value_size != 4) {
		ulog_printf(log,
			    "perf_event_array: needs key_size 4, value_size 4 and max_entries > "
			    "0 (got %u, %u, %u)\n",
			    attr->key_size, attr->value_size, attr->max_entries);
		return -EINVAL;
	}
	if (attr->map_flags & ~ok) {
		ulog_printf(log, "perf_event_array: map_flags 0x%x not allowed\n",
			    attr->map_flags & ~ok);
		return -EINVAL;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return slots_size(hdr->max_entries) +
	       (uint64_t)ring_cnt(hdr->max_entries, hdr->ncpus) * (PE_PAGE + PE_RING_SIZE);
}

static int init(struct bpfmap *m)
{
	for (uint32_t i = 0; i < ring_cnt(m->max_entries, m->ncpus); i++) {
		ring_page(m, i)->data_offset = PE_PAGE;
		ring_page(m, i)->data_size = PE_RING_SIZE;
	}
	return 0;
}

/* The kernel's perf_event_get(): an fd of a perf event, else EBADF. */
static bool is_perf_event(int fd)
{
	static const char want[] = "anon_inode:[perf_event]";
	char path[64], link[sizeof(want)];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)sizeof(want) - 1 && !memcmp(link, want, sizeof(want) - 1);
}

static int lookup(struct bpfmap *m, const void *key, void *value, uint64_t flags)
{
	(void)m, (void)key, (void)value;
	return flags ? -EINVAL : -ENOTSUPP; /* no map_fd_sys_lookup_elem */
}

static int update(struct bpfmap *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t i = *(const uint32_t *)key;
	int32_t fd = *(const int32_t *)value;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (i >= m->max_entries)
		return -E2BIG;
	if (!is_perf_event(fd))
		return -EBADF;
	slot(m, i)->fd = fd;
	slot(m, i)->pid = (uint32_t)getpid();
	__atomic_store_n(&slot(m, i)->present, 1, __ATOMIC_RELEASE);
	return 0;
}

static int delete (struct bpfmap *m, const void *key)
{
	uint32_t i = *(const uint32_t *)key;

	if (i >= m->max_entries)
		return -E2BIG;
	return __atomic_exchange_n(&slot(m, i)->present, 0, __ATOMIC_ACQ_REL) ? 0 : -ENOENT;
}

static int get_next_key(struct bpfmap *m, const void *key, void *next_key)
{
	uint32_t i = key ? *(const uint32_t *)key : UINT32_MAX;

	if (i >= m->max_entries) {
		*(uint32_t *)next_key = 0;
		return 0;
	}
	if (i == m->max_entries - 1)
		return -ENOENT;
	*(uint32_t *)next_key = i + 1;
	return 0;
}

static int lookup_and_delete(struct bpfmap *m, const void *key, void *value, uint64_t flags)
{
	return lookup(m, key, value, flags);
}

const struct map_ops map_perf_event_array_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
};

/* ---- bpf_perf_event_output ---- */

/* Copies len bytes to ring offset pos, wrapping. */
static void ring_put(uint8_t *ring, uint64_t pos, const void *src, uint64_t len)
{
	uint64_t at = pos & (PE_RING_SIZE - 1), first = PE_RING_SIZE - at;

	if (first > len)
		first = len;
	if (src) {
		memcpy(ring + at, src, first);
		memcpy(ring, (const uint8_t *)src + first, len - first);
	} else {
		memset(ring + at, 0, first);
		memset(ring, 0, len - first);
	}
}

long perf_array_output(struct bpfmap *m, uint64_t flags, const void *data, uint64_t size,
		       unsigned cpu)
{
	uint64_t i = flags & BPF_F_INDEX_MASK, head, tail;
	struct perf_event_mmap_page *pg;
	struct pe_record rec;
	uint32_t raw;

	if (flags & ~(uint64_t)BPF_F_INDEX_MASK)
		return -EINVAL;
	if (i == BPF_F_CURRENT_CPU)
		i = cpu;
	if (i >= m->max_entries)
		return -E2BIG;
	if (!__atomic_load_n(&slot(m, (uint32_t)i)->present, __ATOMIC_ACQUIRE))
		return -ENOENT;
	if (i >= ring_cnt(m->max_entries, m->ncpus))
		return -EOPNOTSUPP;
	/* the raw size covers the data and the padding to 8 after the u32 size;
	 * the record's size is 16 bits */
	if (size > 0xffff - sizeof(rec) - 8)
		return -E2BIG;
	raw = (uint32_t)(((size + 4 + 7) & ~7ull) - 4);
	rec.header.type = PERF_RECORD_SAMPLE;
	rec.header.misc = PERF_RECORD_MISC_USER;
	rec.header.size = (uint16_t)(sizeof(rec) + raw);
	rec.size = raw;
	pg = ring_page(m, (uint32_t)i);
	map_lock(&m->hdr->lock);
	head = pg->data_head;
	tail = __atomic_load_n(&pg->data_tail, __ATOMIC_ACQUIRE);
	if (head - tail + rec.header.size > PE_RING_SIZE) {
		slot(m, (uint32_t)i)->lost++;
		map_unlock(&m->hdr->lock);
		return -ENOSPC;
	}
	ring_put(ring_data(m, (uint32_t)i), head, &rec, sizeof(rec));
	ring_put(ring_data(m, (uint32_t)i), head + sizeof(rec), data, size);
	ring_put(ring_data(m, (uint32_t)i), head + sizeof(rec) + size, NULL, raw - size);
	__atomic_store_n(&pg->data_head, head + rec.header.size, __ATOMIC_RELEASE);
	map_unlock(&m->hdr->lock);
	return 0;
}

/* ---- reading, for tools ---- */

int perf_array_read(struct bpfmap *m, uint32_t index,
		    int (*fn)(void *ctx, const void *data, uint32_t size), void *ctx)
{
	struct perf_event_mmap_page *pg;
	uint8_t *buf, *ring;
	uint64_t head, tail;
	int cnt = 0, err = 0;

	if (index >= ring_cnt(m->max_entries, m->ncpus))
		return -EINVAL;
	buf = malloc(0x10000);
	if (!buf)
		return -ENOMEM;
	pg = ring_page(m, index);
	ring = ring_data(m, index);
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	tail = pg->data_tail;
	while (tail < head && !err) {
		uint64_t at = tail & (PE_RING_SIZE - 1), first = PE_RING_SIZE - at;
		struct perf_event_header h;
		struct pe_record rec;

		/* a header is 8-aligned, 8 bytes: never split */
		memcpy(&h, ring + at, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail)
			break; /* not a record a producer wrote */
		if (first < h.size) {
			memcpy(buf, ring + at, first);
			memcpy(buf + first, ring, h.size - first);
		} else {
			memcpy(buf, ring + at, h.size);
		}
		memset(&rec, 0, sizeof(rec));
		memcpy(&rec, buf, h.size < sizeof(rec) ? sizeof(h) : sizeof(rec));
		if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof(rec) &&
		    rec.size <= h.size - sizeof(rec)) {
			err = fn(ctx, buf + sizeof(rec), rec.size);
			cnt++;
		}
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
	free(buf);
	return err < 0 ? err : cnt;
}

uint64_t perf_array_lost(const struct bpfmap *m, uint32_t index)
{
	return index < m->max_entries ? __atomic_load_n(&slot(m, index)->lost, __ATOMIC_RELAXED)
				      : 0;
}
