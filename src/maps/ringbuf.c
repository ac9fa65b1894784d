/* BPF_MAP_TYPE_RINGBUF: the kernel's multi-producer, single-consumer ring of
 * variable-length records, stored in the map file as the kernel's mmap view
 * (offsets from map->data, i.e. file offset 4096 + x):
 *
 *   0                       consumer page: consumer_pos (the consumer writes it)
 *   4096                    producer page: producer_pos, pending_pos
 *   8192                    the ring: max_entries bytes (a power of 2, whole pages)
 *   8192 + max_entries      overflow: max_entries bytes, producers only
 *
 * A record is an 8-byte header {len | BUSY_BIT while reserved, | DISCARD_BIT
 * once discarded; pg_off, the header's page in the file, as the kernel's page
 * in its vmap area} and the sample, padded to 8. Positions only grow; the
 * ring offset is pos & (max_entries - 1).
 *
 * The kernel maps the ring twice back to back, so a record that runs past the
 * end is contiguous. A file cannot alias itself in every process that maps
 * it, so here such a record is written contiguously into the overflow area
 * and its tail is copied to the start of the ring when it is committed,
 * before its BUSY bit clears; the space is the ring's own (the kernel's
 * accounting). Consumers see the ring mapped twice (src/core/mmap.c), never
 * the overflow. Reserving takes hdr->lock, a spinlock in the file (producers
 * may be threads of several processes); committing is one atomic exchange.
 *
 * Wakeups: where the kernel queues irq_work to wake its wait queue, a producer
 * bumps the futex word hdr->state[S_SEQ] and, if hdr->state[S_WAITERS] says a
 * consumer sleeps, FUTEX_WAKEs it: shared futexes work across processes.
 */
#include "ringbuf.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define RB_PAGE 4096u /* bpfhost's page: MAP_HDR_SIZE */
#define RB_MAX_RECORD_SZ (UINT32_MAX / 4)
#define RB_LEN_MASK (~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT))

/* hdr->state[] slots, each used as one 32-bit futex word */
enum { S_SEQ, S_WAITERS };

struct rb_hdr {
	uint32_t len;
	uint32_t pg_off;
};

static uint64_t *cons_pos(const struct bpfmap *m)
{
	return (uint64_t *)(void *)m->data;
}

static uint64_t *prod_pos(const struct bpfmap *m)
{
	return (uint64_t *)(void *)(m->data + RB_PAGE);
}

static uint64_t *pend_pos(const struct bpfmap *m)
{
	return prod_pos(m) + 1;
}

static uint8_t *ring(const struct bpfmap *m)
{
	return m->data + 2 * RB_PAGE;
}

static uint64_t mask(const struct bpfmap *m)
{
	return (uint64_t)m->max_entries - 1;
}

static uint32_t *word(const struct bpfmap *m, int slot)
{
	return (uint32_t *)(void *)&m->hdr->state[slot];
}

static uint64_t load_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* header + sample, padded to 8 */
static uint64_t record_len(uint64_t sample_len)
{
	return (sample_len + BPF_RINGBUF_HDR_SZ + 7) & ~7ull;
}

/* ---- the map type ---- */

static int check(const union bpf_attr *attr, struct ulog *log)
{
	uint32_t n = attr->max_entries;

	if (attr->map_flags & ~(uint32_t)BPF_F_NUMA_NODE) {
		ulog_printf(log, "ringbuf: map_flags 0x%x not allowed (only NUMA_NODE)\n",
			    attr->map_flags);
		return -EINVAL;
	}
	if (attr->key_size || attr->value_size || !n || (n & (n - 1)) || n % RB_PAGE) {
		ulog_printf(log,
			    "ringbuf: needs key_size 0 and value_size 0 (got %u, %u) and "
			    "max_entries a power of 2 and a multiple of %u (got %u)\n",
			    attr->key_size, attr->value_size, RB_PAGE, n);
		return -EINVAL;
	}
	return 0;
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return 2ull * RB_PAGE + 2ull * hdr->max_entries;
}

/* ---- user space: no elements. A key pointer for a map without keys is
 * EINVAL (the kernel's __bpf_copy_key), then the type says ENOTSUPP. ---- */

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)value;
	return key || flags ? -EINVAL : -ENOTSUPP;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	(void)map, (void)value;
	return key || (flags & BPF_F_LOCK) ? -EINVAL : -ENOTSUPP;
}

static int delete (struct bpfmap *map, const void *key)
{
	(void)map;
	return key ? -EINVAL : -ENOTSUPP;
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	(void)map, (void)next_key;
	return key ? -EINVAL : -ENOTSUPP;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	return lookup(map, key, value, flags);
}

const struct map_ops map_ringbuf_ops = {
	.check = check,
	.data_size = data_size,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
};

/* ---- producers ---- */

void *ringbuf_reserve(struct bpfmap *m, uint64_t size, uint64_t flags)
{
	uint64_t len, cons, pend, prod, new_prod;
	struct rb_hdr *hdr;

	if (flags || size > RB_MAX_RECORD_SZ)
		return NULL;
	len = record_len(size);
	if (len > m->max_entries)
		return NULL;
	cons = load_acquire(cons_pos(m));
	map_lock(&m->hdr->lock);
	pend = *pend_pos(m);
	prod = *prod_pos(m);
	new_prod = prod + len;
	/* pending_pos: the oldest record still reserved */
	while (pend < prod) {
		uint32_t l;

		hdr = (struct rb_hdr *)(void *)(ring(m) + (pend & mask(m)));
		l = __atomic_load_n(&hdr->len, __ATOMIC_RELAXED);
		if (l & BPF_RINGBUF_BUSY_BIT)
			break;
		pend += record_len(l & ~(uint32_t)BPF_RINGBUF_DISCARD_BIT);
	}
	__atomic_store_n(pend_pos(m), pend, __ATOMIC_RELAXED);
	if (new_prod - cons > mask(m) || new_prod - pend > mask(m)) {
		map_unlock(&m->hdr->lock);
		return NULL;
	}
	hdr = (struct rb_hdr *)(void *)(ring(m) + (prod & mask(m)));
	hdr->pg_off = (uint32_t)(((uint8_t *)hdr - (uint8_t *)m->hdr) / RB_PAGE);
	__atomic_store_n(&hdr->len, (uint32_t)size | BPF_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
	/* pairs with the consumer's acquire of producer_pos */
	__atomic_store_n(prod_pos(m), new_prod, __ATOMIC_RELEASE);
	map_unlock(&m->hdr->lock);
	return (uint8_t *)hdr + BPF_RINGBUF_HDR_SZ;
}

bool ringbuf_has_record(const struct bpfmap *m, const void *sample)
{
	uintptr_t s = (uintptr_t)sample, r = (uintptr_t)ring(m);

	return m->hdr->map_type == BPF_MAP_TYPE_RINGBUF && s >= r + BPF_RINGBUF_HDR_SZ &&
	       s - r - BPF_RINGBUF_HDR_SZ < m->max_entries;
}

static void wake(struct bpfmap *m)
{
	__atomic_fetch_add(word(m, S_SEQ), 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(word(m, S_WAITERS), __ATOMIC_SEQ_CST))
		syscall(SYS_futex, word(m, S_SEQ), FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* The header of sample if sample is a record of m still reserved, else NULL. */
static struct rb_hdr *reserved(const struct bpfmap *m, const void *sample)
{
	struct rb_hdr *hdr;

	if (!ringbuf_has_record(m, sample))
		return NULL;
	hdr = (struct rb_hdr *)(uintptr_t)((const uint8_t *)sample - BPF_RINGBUF_HDR_SZ);
	if (((uint8_t *)hdr - ring(m)) % 8) /* records are 8-aligned */
		return NULL;
	if (!(__atomic_load_n(&hdr->len, __ATOMIC_RELAXED) & BPF_RINGBUF_BUSY_BIT) ||
	    hdr->pg_off != ((uint8_t *)hdr - (uint8_t *)m->hdr) / RB_PAGE)
		return NULL;
	return hdr;
}

bool ringbuf_is_reserved(const struct bpfmap *m, const void *sample, uint64_t len)
{
	const struct rb_hdr *hdr = reserved(m, sample);

	return hdr && (__atomic_load_n(&hdr->len, __ATOMIC_RELAXED) & RB_LEN_MASK) >= len;
}

int ringbuf_commit(struct bpfmap *m, void *sample, uint64_t flags, bool discard)
{
	struct rb_hdr *hdr = reserved(m, sample);
	uint64_t off, end, cons;
	uint32_t len, new_len;

	if (!hdr)
		return -EINVAL;
	off = (uint64_t)((uint8_t *)hdr - ring(m));
	len = __atomic_load_n(&hdr->len, __ATOMIC_RELAXED);
	new_len = len ^ BPF_RINGBUF_BUSY_BIT;
	if (discard) {
		new_len |= BPF_RINGBUF_DISCARD_BIT;
	} else {
		/* the part past the end goes to the start of the ring, where the
		 * consumer's second mapping shows it */
		end = record_len(len & RB_LEN_MASK) + off;
		if (end > m->max_entries) {
			end -= m->max_entries;
			memcpy(ring(m), ring(m) + m->max_entries,
			       end < m->max_entries ? end : m->max_entries);
		}
	}
	__atomic_exchange_n(&hdr->len, new_len, __ATOMIC_SEQ_CST);
	/* the consumer caught up and waits for this record: tell it */
	cons = load_acquire(cons_pos(m)) & mask(m);
	if ((flags & BPF_RB_FORCE_WAKEUP) || (cons == off && !(flags & BPF_RB_NO_WAKEUP)))
		wake(m);
	return 0;
}

long ringbuf_output(struct bpfmap *m, const void *data, uint64_t size, uint64_t flags)
{
	void *rec;

	if (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	rec = ringbuf_reserve(m, size, 0);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, data, size);
	ringbuf_commit(m, rec, flags, false);
	return 0;
}

uint64_t ringbuf_query(struct bpfmap *m, uint64_t flags)
{
	uint64_t cons;

	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		cons = load_acquire(cons_pos(m));
		return load_acquire(prod_pos(m)) - cons;
	case BPF_RB_RING_SIZE: return m->max_entries;
	case BPF_RB_CONS_POS: return load_acquire(cons_pos(m));
	case BPF_RB_PROD_POS: return load_acquire(prod_pos(m));
	default: return 0;
	}
}

/* ---- consumers ---- */

bool ringbuf_readable(struct bpfmap *m)
{
	return ringbuf_query(m, BPF_RB_AVAIL_DATA) != 0;
}

/* The waiter count, raised before looking for data and lowered after the
 * sleep, pairs with wake(): a producer that saw no waiter bumped S_SEQ before
 * our look, so we see its data (all four accesses are seq_cst). */
int ringbuf_wait(struct bpfmap *m, int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000};
	uint32_t seq;
	int err = 0;

	__atomic_fetch_add(word(m, S_WAITERS), 1, __ATOMIC_SEQ_CST);
	seq = __atomic_load_n(word(m, S_SEQ), __ATOMIC_SEQ_CST);
	if (!ringbuf_readable(m) &&
	    syscall(SYS_futex, word(m, S_SEQ), FUTEX_WAIT, seq, timeout_ms < 0 ? NULL : &ts, NULL,
		    0) < 0 &&
	    errno == EINTR)
		err = -EINTR;
	__atomic_fetch_sub(word(m, S_WAITERS), 1, __ATOMIC_SEQ_CST);
	return err;
}

/* As libbpf's ringbuf_process_ring. A record that wraps is read whole from
 * the ring and the overflow area, which still holds its tail. */
int ringbuf_consume(struct bpfmap *m, int (*fn)(void *ctx, void *sample, uint32_t len), void *ctx)
{
	uint64_t cons = load_acquire(cons_pos(m)), prod;
	bool more;
	int cnt = 0, err;

	do {
		more = false;
		prod = load_acquire(prod_pos(m));
		while (cons < prod) {
			struct rb_hdr *hdr = (struct rb_hdr *)(void *)(ring(m) + (cons & mask(m)));
			uint32_t len = __atomic_load_n(&hdr->len, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				return cnt;
			if ((len & RB_LEN_MASK) > m->max_entries - BPF_RINGBUF_HDR_SZ)
				return -EINVAL; /* not a header a producer wrote */
			more = true;
			cons += record_len(len & RB_LEN_MASK);
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				err = fn(ctx, hdr + 1, len & RB_LEN_MASK);
				__atomic_store_n(cons_pos(m), cons, __ATOMIC_RELEASE);
				if (err < 0)
					return err;
				cnt++;
			}
			__atomic_store_n(cons_pos(m), cons, __ATOMIC_RELEASE);
		}
	} while (more);
	return cnt;
}
