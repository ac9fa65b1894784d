/* BPF_MAP_TYPE_LPM_TRIE: the kernel's binary trie (kernel/bpf/lpm_trie.c) over
 * struct bpf_lpm_trie_key_u8 keys (u32 prefixlen, key_size - 4 big-endian bytes).
 *   storage: struct trie_head | 2 * max_entries x node
 *   node:    struct node | data (rounded to 8) | value (rounded to 8)
 * A node's children differ at bit prefixlen; intermediate nodes (no value) only
 * branch and always have two children, so the pool never runs out: at most
 * max_entries real + max_entries - 1 intermediate nodes, + 1 while replacing.
 * Links are node index + 1; writers hold hdr->lock. */
#include <errno.h>
#include <string.h>

#include "../util/log.h"
#include "map.h"

#define ENOTSUPP 524
#define KMALLOC_MAX_SIZE (1u << 22)
#define DATA_SIZE_MAX 256
/* the kernel's limit: KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - sizeof(struct lpm_trie_node) */
#define VALUE_SIZE_MAX (KMALLOC_MAX_SIZE - DATA_SIZE_MAX - 24)
#define FLAG_IM 1u

struct trie_head {
	atomic_uint root; /* node index + 1 */
	uint32_t pad;
};

struct node {
	atomic_uint child[2]; /* node index + 1; child[0] links the free list */
	uint32_t prefixlen;
	uint32_t flags;
};

/* hdr->state[] slots */
enum { S_N_ENTRIES, S_FREE_HEAD, S_FREE_TAIL, S_NODE_SIZE, S_N_NODES };

struct key {
	uint32_t prefixlen;
	uint8_t data[];
};

static int check(const union bpf_attr *attr, struct ulog *log)
{
	const uint32_t ok = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
			    BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	if (!attr->max_entries || !(attr->map_flags & BPF_F_NO_PREALLOC) ||
	    (attr->map_flags & ~ok)) {
		ulog_printf(log,
			    "lpm_trie: needs max_entries > 0 (got %u) and map_flags with "
			    "BPF_F_NO_PREALLOC and nothing but NUMA_NODE and the access flags "
			    "(got 0x%x)\n",
			    attr->max_entries, attr->map_flags);
		return -EINVAL;
	}
	if (attr->key_size < 4 + 1 || attr->key_size > 4 + DATA_SIZE_MAX) {
		ulog_printf(log,
			    "lpm_trie: key_size %u: must be 4 (prefixlen) + 1..%u bytes of "
			    "data\n",
			    attr->key_size, DATA_SIZE_MAX);
		return -EINVAL;
	}
	if (!attr->value_size || attr->value_size > VALUE_SIZE_MAX) {
		ulog_printf(log, "lpm_trie: value_size %u: must be 1..%u\n", attr->value_size,
			    VALUE_SIZE_MAX);
		return -EINVAL;
	}
	return 0;
}

static uint64_t node_size_of(const struct map_hdr *hdr)
{
	return sizeof(struct node) + round_up8(hdr->key_size - 4) + round_up8(hdr->value_size);
}

static uint64_t data_size(const struct map_hdr *hdr)
{
	return sizeof(struct trie_head) + 2ull * hdr->max_entries * node_size_of(hdr);
}

static struct trie_head *head(struct bpfmap *map)
{
	return (struct trie_head *)map->data;
}

static struct node *node_at(struct bpfmap *map, uint32_t idx1)
{
	return (struct node *)(map->data + sizeof(struct trie_head) +
			       (uint64_t)(idx1 - 1) * map->hdr->state[S_NODE_SIZE]);
}

static uint8_t *data_of(struct node *n)
{
	return (uint8_t *)(n + 1);
}

static uint8_t *value_of(struct bpfmap *map, struct node *n)
{
	return data_of(n) + round_up8(map->key_size - 4);
}

static uint32_t data_len(const struct bpfmap *map)
{
	return map->key_size - 4;
}

static uint32_t max_prefixlen(const struct bpfmap *map)
{
	return data_len(map) * 8;
}

static int init(struct bpfmap *map)
{
	struct map_hdr *h = map->hdr;
	uint32_t n = 2 * h->max_entries;

	h->state[S_NODE_SIZE] = node_size_of(h);
	h->state[S_N_NODES] = n;
	for (uint32_t i = 1; i <= n; i++)
		atomic_store(&node_at(map, i)->child[0], i < n ? i + 1 : 0);
	h->state[S_FREE_HEAD] = 1;
	h->state[S_FREE_TAIL] = n;
	return 0;
}

/* Node allocation, under hdr->lock. */
static uint32_t node_alloc(struct bpfmap *map, uint32_t prefixlen, uint32_t flags)
{
	uint64_t *st = map->hdr->state;
	uint32_t idx = (uint32_t)st[S_FREE_HEAD];
	struct node *n;

	if (!idx)
		return 0;
	n = node_at(map, idx);
	st[S_FREE_HEAD] = atomic_load(&n->child[0]);
	if (!st[S_FREE_HEAD])
		st[S_FREE_TAIL] = 0;
	atomic_store(&n->child[0], 0);
	atomic_store(&n->child[1], 0);
	n->prefixlen = prefixlen;
	n->flags = flags;
	return idx;
}

/* FIFO: a node freed under a lock-free program lookup is reused as late as
 * possible (the kernel waits for an RCU grace period instead). */
static void node_free(struct bpfmap *map, uint32_t idx)
{
	uint64_t *st = map->hdr->state;

	atomic_store(&node_at(map, idx)->child[0], 0);
	if (st[S_FREE_TAIL])
		atomic_store(&node_at(map, (uint32_t)st[S_FREE_TAIL])->child[0], idx);
	else
		st[S_FREE_HEAD] = idx;
	st[S_FREE_TAIL] = idx;
}

static int extract_bit(const uint8_t *data, uint32_t index)
{
	return !!(data[index / 8] & (1u << (7 - index % 8)));
}

/* How many leading bits of the node's data (prefixlen node_len) match key,
 * at most min(node_len, key's prefixlen). */
static uint32_t match_len(const struct bpfmap *map, const uint8_t *node_data, uint32_t node_len,
			  const struct key *key)
{
	uint32_t limit = node_len < key->prefixlen ? node_len : key->prefixlen, len = 0;

	for (uint32_t i = 0; i < data_len(map) && len < limit; i++) {
		uint8_t diff = node_data[i] ^ key->data[i];

		if (diff) {
			len += (uint32_t)__builtin_clz(diff) - 24;
			break;
		}
		len += 8;
	}
	return len < limit ? len : limit;
}

static uint32_t load(atomic_uint *link)
{
	return atomic_load_explicit(link, memory_order_acquire);
}

/* The longest prefix matching key, or NULL. Safe without the lock: the walk
 * reads each node's prefixlen once and is bounded by the trie's depth, so a
 * node recycled under it gives a stale answer, never a bad access. */
static struct node *find_lpm(struct bpfmap *map, const struct key *key)
{
	uint32_t idx = load(&head(map)->root), steps = 0;
	uint32_t n_nodes = (uint32_t)map->hdr->state[S_N_NODES];
	struct node *found = NULL;

	if (key->prefixlen > max_prefixlen(map))
		return NULL;
	while (idx && idx <= n_nodes && steps++ <= max_prefixlen(map)) {
		struct node *n = node_at(map, idx);
		uint32_t plen = n->prefixlen, len;

		if (plen > max_prefixlen(map))
			break;
		len = match_len(map, data_of(n), plen, key);
		if (len == max_prefixlen(map)) {
			found = n;
			break;
		}
		if (len < plen)
			break;
		if (!(n->flags & FLAG_IM))
			found = n;
		idx = load(&n->child[extract_bit(key->data, plen)]);
	}
	return found;
}

/* Adds an entry (n_entries is below max_entries unless it fails). */
static int add_entry(struct bpfmap *map, uint64_t flags)
{
	uint64_t *st = map->hdr->state;

	if (flags == BPF_EXIST)
		return -ENOENT;
	if (st[S_N_ENTRIES] == map->max_entries)
		return -ENOSPC;
	st[S_N_ENTRIES]++;
	return 0;
}

/* A new real node for key with value; 0 if the pool is out (cannot happen
 * while the pool holds 2 * max_entries nodes, see the header). */
static uint32_t new_leaf(struct bpfmap *map, const struct key *key, const void *value)
{
	uint32_t idx = node_alloc(map, key->prefixlen, 0);

	if (idx) {
		memcpy(data_of(node_at(map, idx)), key->data, data_len(map));
		memcpy(value_of(map, node_at(map, idx)), value, map->value_size);
	}
	return idx;
}

/* The kernel's trie_update_elem, with its flag semantics: BPF_NOEXIST on an
 * existing prefix is EEXIST, BPF_EXIST on a missing one ENOENT, a new prefix
 * in a full trie ENOSPC. */
static int locked_update(struct bpfmap *map, const struct key *key, const void *value,
			 uint64_t flags)
{
	atomic_uint *slot = &head(map)->root;
	uint32_t idx, new_idx, im_idx, len = 0;
	struct node *n = NULL, *im;
	int err;

	while ((idx = atomic_load(slot)) != 0) {
		n = node_at(map, idx);
		len = match_len(map, data_of(n), n->prefixlen, key);
		if (n->prefixlen != len || n->prefixlen == key->prefixlen)
			break;
		slot = &n->child[extract_bit(key->data, n->prefixlen)];
	}
	if (!idx) {
		err = add_entry(map, flags);
		if (err)
			return err;
		new_idx = new_leaf(map, key, value);
		if (!new_idx)
			goto nomem;
		atomic_store_explicit(slot, new_idx, memory_order_release);
		return 0;
	}
	if (n->prefixlen == len) {
		/* the same prefix: replace the node (real or intermediate) */
		if (!(n->flags & FLAG_IM)) {
			if (flags == BPF_NOEXIST)
				return -EEXIST;
		} else {
			err = add_entry(map, flags);
			if (err)
				return err;
		}
		new_idx = new_leaf(map, key, value);
		if (!new_idx) {
			if (n->flags & FLAG_IM)
				goto nomem;
			return -ENOMEM;
		}
		atomic_store(&node_at(map, new_idx)->child[0], atomic_load(&n->child[0]));
		atomic_store(&node_at(map, new_idx)->child[1], atomic_load(&n->child[1]));
		atomic_store_explicit(slot, new_idx, memory_order_release);
		node_free(map, idx);
		return 0;
	}
	err = add_entry(map, flags);
	if (err)
		return err;
	new_idx = new_leaf(map, key, value);
	if (!new_idx)
		goto nomem;
	if (len == key->prefixlen) {
		/* the new prefix covers the node: insert it above */
		atomic_store(&node_at(map, new_idx)->child[extract_bit(data_of(n), len)], idx);
		atomic_store_explicit(slot, new_idx, memory_order_release);
		return 0;
	}
	/* they differ at bit len: an intermediate node branches there */
	im_idx = node_alloc(map, len, FLAG_IM);
	if (!im_idx) {
		node_free(map, new_idx);
		goto nomem;
	}
	im = node_at(map, im_idx);
	memcpy(data_of(im), data_of(n), data_len(map));
	atomic_store(&im->child[extract_bit(key->data, len)], new_idx);
	atomic_store(&im->child[!extract_bit(key->data, len)], idx);
	atomic_store_explicit(slot, im_idx, memory_order_release);
	return 0;
nomem:
	map->hdr->state[S_N_ENTRIES]--;
	return -ENOMEM;
}

static int do_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	const struct key *k = key;
	int err;

	if (flags > BPF_EXIST || k->prefixlen > max_prefixlen(map))
		return -EINVAL;
	map_lock(&map->hdr->lock);
	err = locked_update(map, k, value, flags);
	map_unlock(&map->hdr->lock);
	return err;
}

/* The kernel's trie_delete_elem: a node with two children becomes
 * intermediate; a leaf under an intermediate parent takes the parent with it;
 * otherwise the node's only child (or nothing) takes its place. */
static int locked_delete(struct bpfmap *map, const struct key *key)
{
	atomic_uint *trim = &head(map)->root, *trim2 = trim;
	uint32_t idx, parent_idx = 0, len = 0, c0, c1;
	struct node *n = NULL, *parent = NULL;

	while ((idx = atomic_load(trim)) != 0) {
		n = node_at(map, idx);
		len = match_len(map, data_of(n), n->prefixlen, key);
		if (n->prefixlen != len || n->prefixlen == key->prefixlen)
			break;
		parent = n;
		parent_idx = idx;
		trim2 = trim;
		trim = &n->child[extract_bit(key->data, n->prefixlen)];
	}
	if (!idx || n->prefixlen != key->prefixlen || n->prefixlen != len || (n->flags & FLAG_IM))
		return -ENOENT;
	map->hdr->state[S_N_ENTRIES]--;
	c0 = atomic_load(&n->child[0]);
	c1 = atomic_load(&n->child[1]);
	if (c0 && c1) {
		n->flags |= FLAG_IM;
		return 0;
	}
	if (parent && (parent->flags & FLAG_IM) && !c0 && !c1) {
		uint32_t other = atomic_load(&parent->child[atomic_load(&parent->child[0]) == idx]);

		atomic_store_explicit(trim2, other, memory_order_release);
		node_free(map, parent_idx);
		node_free(map, idx);
		return 0;
	}
	atomic_store_explicit(trim, c0 ? c0 : c1, memory_order_release);
	node_free(map, idx);
	return 0;
}

static int do_delete(struct bpfmap *map, const void *key)
{
	const struct key *k = key;
	int err;

	if (k->prefixlen > max_prefixlen(map))
		return -EINVAL;
	map_lock(&map->hdr->lock);
	err = locked_delete(map, k);
	map_unlock(&map->hdr->lock);
	return err;
}

/* The leftmost real node under idx: the first in post-order. */
static struct node *leftmost(struct bpfmap *map, uint32_t idx)
{
	struct node *next = NULL;

	while (idx) {
		struct node *n = node_at(map, idx);

		if (!(n->flags & FLAG_IM)) {
			next = n;
			idx = atomic_load(&n->child[0]);
			if (!idx)
				idx = atomic_load(&n->child[1]);
		} else {
			idx = atomic_load(&n->child[0]);
		}
	}
	return next;
}

/* The kernel's trie_get_next_key: post-order, so more specific prefixes come
 * before less specific ones; a missing (or NULL) key starts over. */
static struct node *locked_next(struct bpfmap *map, const struct key *key)
{
	uint32_t stack[DATA_SIZE_MAX * 8 + 1];
	uint32_t idx = atomic_load(&head(map)->root), len = 0;
	int sp = -1;
	struct node *n = NULL;

	if (!idx)
		return NULL;
	if (!key || key->prefixlen > max_prefixlen(map))
		return leftmost(map, idx);
	while (idx && sp + 1 < (int)(sizeof(stack) / sizeof(stack[0]))) {
		n = node_at(map, idx);
		stack[++sp] = idx;
		len = match_len(map, data_of(n), n->prefixlen, key);
		if (n->prefixlen != len || n->prefixlen == key->prefixlen)
			break;
		idx = atomic_load(&n->child[extract_bit(key->data, n->prefixlen)]);
	}
	if (!idx || n->prefixlen != len || (n->flags & FLAG_IM))
		return leftmost(map, atomic_load(&head(map)->root));
	for (idx = stack[sp]; sp > 0; sp--) {
		struct node *parent = node_at(map, stack[sp - 1]);

		if (atomic_load(&parent->child[0]) == idx && atomic_load(&parent->child[1]))
			return leftmost(map, atomic_load(&parent->child[1]));
		if (!(parent->flags & FLAG_IM))
			return parent;
		idx = stack[sp - 1];
	}
	return NULL;
}

/* ---- user space ---- */

static int lookup(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	struct node *n;

	if (flags)
		return -EINVAL; /* BPF_F_LOCK: no bpf_spin_lock in the value */
	map_lock(&map->hdr->lock);
	n = find_lpm(map, key);
	if (n)
		memcpy(value, value_of(map, n), map->value_size);
	map_unlock(&map->hdr->lock);
	return n ? 0 : -ENOENT;
}

static int update(struct bpfmap *map, const void *key, const void *value, uint64_t flags)
{
	return do_update(map, key, value, flags);
}

static int delete (struct bpfmap *map, const void *key)
{
	return do_delete(map, key);
}

static int get_next_key(struct bpfmap *map, const void *key, void *next_key)
{
	struct key *out = next_key;
	struct node *n;

	map_lock(&map->hdr->lock);
	n = locked_next(map, key);
	if (n) {
		out->prefixlen = n->prefixlen;
		memcpy(out->data, data_of(n), data_len(map));
	}
	map_unlock(&map->hdr->lock);
	return n ? 0 : -ENOENT;
}

static int lookup_and_delete(struct bpfmap *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)value;
	if (flags)
		return -EINVAL;
	return key ? -ENOTSUPP : -EFAULT;
}

/* ---- programs ---- */

static void *prog_lookup(struct bpfmap *map, const void *key, unsigned cpu)
{
	struct node *n = find_lpm(map, key);

	(void)cpu;
	return n ? value_of(map, n) : NULL;
}

static long prog_update(struct bpfmap *map, const void *key, const void *value, uint64_t flags,
			unsigned cpu)
{
	(void)cpu;
	return do_update(map, key, value, flags);
}

static long prog_delete(struct bpfmap *map, const void *key)
{
	return do_delete(map, key);
}

const struct map_ops map_lpm_trie_ops = {
	.check = check,
	.data_size = data_size,
	.init = init,
	.lookup = lookup,
	.update = update,
	.delete = delete,
	.get_next_key = get_next_key,
	.lookup_and_delete = lookup_and_delete,
	.prog_lookup = prog_lookup,
	.prog_update = prog_update,
	.prog_delete = prog_delete,
};
