/* The BPF_MAP_*_BATCH commands, on each map type's map_ops (never its storage).
 *
 * Which type has which command is the kernel's table; a command the type lacks
 * is ENOTSUPP (524), as bpf_map_do_batch says it:
 *   hash, percpu_hash, lru_hash, lru_percpu_hash: lookup and lookup_and_delete
 *     by the hash walk below, update and delete generic;
 *   array, percpu_array: lookup and update, generic (no delete, no
 *     lookup_and_delete);
 *   lpm_trie: lookup, update and delete, generic;
 *   queue, stack, bloom_filter: none.
 * Checks come in the kernel's order: the fd (EBADF, EINVAL), its access
 * (EPERM), the command for the type (ENOTSUPP), elem_flags (EINVAL unless 0 or
 * BPF_F_LOCK, and BPF_F_LOCK only for values with a bpf_spin_lock: none yet),
 * flags (hash lookups only: EINVAL unless 0; the generic ones ignore it, as the
 * kernel's), then count 0 returns 0 at once; past that, batch.count is the
 * number of elements processed whatever the outcome. Per-CPU values are
 * round_up(value_size, 8) bytes per possible CPU (map_value_size_user).
 *
 * Generic (the kernel's generic_map_*_batch): update and delete stop at the
 * first element that fails, with its errno and the count before it. Lookup
 * walks get_next_key from the key in in_batch (NULL: from the start), skips
 * keys deleted under it, and leaves the last key returned in out_batch
 * (key_size bytes, written only when something was returned); ENOENT when
 * get_next_key finds no more. A batch that ends on the map's last element
 * returns 0; the next call returns ENOENT with count 0.
 *
 * Hash maps (the kernel's __htab_map_lookup_and_delete_batch): the kernel's
 * cursor is a bucket index in a u32, and the UAPI lets callers give in_batch
 * and out_batch only 4 bytes whatever the key size, so the cursor cannot be a
 * key. Ours is a u32 as well: 0 starts (as bucket 0), CURSOR_END ends (as an
 * index >= n_buckets: ENOENT at once, count 0, out_batch untouched), and any
 * other value is a token for a key this process remembers: the next key to
 * return. The walk is get_next_key order, which goes bucket by bucket as the
 * kernel's; the next key is fetched before the current element is deleted, so
 * lookup_and_delete never has to resume from a deleted key. ENOENT comes with
 * the batch that takes the last element (even when it fills count exactly),
 * with out_batch = CURSOR_END; otherwise 0 and a token.
 *
 * So the observable results match the kernel's: which elements come back (all,
 * each once, while nothing else changes the map), count in and out, ENOENT at
 * the end with the last count, out_batch written on 0 and on ENOENT. Two
 * differences: the kernel copies whole buckets, so it may return fewer than
 * count elements before the end, and ENOSPC when the first bucket holds more
 * elements than count; here a "bucket" is one element, so every batch but the
 * last is full and ENOSPC never comes (the kernel's bucket sizes follow its
 * random hash seed: no caller can count on either). And a token is known only
 * to the process that made it, for the last CURSORS walks, each with its
 * latest token and the one before (a call repeated with the same in_batch
 * gets the same elements and the same out_batch, as with the kernel, while the
 * map does not change). A token that is unknown or older, or whose key was
 * deleted since, starts over from the first element, as get_next_key does for
 * a missing key: after lookup_and_delete batches that is exactly the rest of
 * the map; after lookup batches, elements may come back twice.
 */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../maps/map.h"
#include "obj.h"

#define ENOTSUPP 524

#define CURSOR_START 0u
#define CURSOR_END UINT32_MAX
#define CURSORS 256

static void *uptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/* ---- which command each type has ---- */

enum walk { WALK_NONE, WALK_GENERIC, WALK_HASH };

static enum walk walk_of(uint32_t map_type, int cmd)
{
	bool lookup = cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;

	switch (map_type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH: return lookup ? WALK_HASH : WALK_GENERIC;
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_UPDATE_BATCH ? WALK_GENERIC
										  : WALK_NONE;
	case BPF_MAP_TYPE_LPM_TRIE:
		return cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH ? WALK_NONE : WALK_GENERIC;
	default: return WALK_NONE;
	}
}

/* BPF_F_LOCK needs a bpf_spin_lock in the value (described by BTF); bpfhost's
 * maps have none yet. */
static bool has_spin_lock(const struct bpfmap *map)
{
	return map->hdr->spin_lock_off >= 0;
}

static int check_elem_flags(const struct bpfmap *map, uint64_t elem_flags)
{
	if (elem_flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	if ((elem_flags & BPF_F_LOCK) && !has_spin_lock(map))
		return -EINVAL;
	return 0;
}

/* ---- hash cursors: tokens for the next key of a walk ---- */

/* One walk: its latest token and the one before (the walk's last in_batch,
 * kept so that a call can be repeated, as with the kernel's bucket index). */
struct cursor {
	const struct bpfmap *map; /* the walk's map, and its id (a map freed and */
	uint32_t map_id;	  /* another created at the same address differ) */
	uint32_t key_size, key_cap;
	uint64_t used;	   /* when last used, for replacement */
	uint32_t token[2]; /* [0] the latest, [1] the one before; 0: none */
	uint8_t *key[2];   /* the next key to return, for each */
};

static struct cursor cursors[CURSORS];
static uint64_t cursor_clock;
static uint32_t cursor_token;
static pthread_mutex_t cursor_mutex = PTHREAD_MUTEX_INITIALIZER;

static uint32_t map_id_of(const struct bpfmap *map)
{
	return atomic_load(&map->hdr->id);
}

/* Which of c's tokens token is (0 or 1), or -1. */
static int cursor_which(const struct cursor *c, const struct bpfmap *map, uint32_t token)
{
	if (token == CURSOR_START || token == CURSOR_END || c->map != map ||
	    c->map_id != map_id_of(map) || c->key_size != map->key_size)
		return -1;
	return c->token[0] == token ? 0 : c->token[1] == token ? 1 : -1;
}

/* The key token stands for (copied to key), if this process still has it. */
static bool cursor_find(const struct bpfmap *map, uint32_t token, void *key)
{
	bool found = false;

	pthread_mutex_lock(&cursor_mutex);
	for (size_t i = 0; i < CURSORS && !found; i++) {
		struct cursor *c = &cursors[i];
		int w = cursor_which(c, map, token);

		if (w >= 0) {
			memcpy(key, c->key[w], map->key_size);
			c->used = ++cursor_clock;
			found = true;
		}
	}
	pthread_mutex_unlock(&cursor_mutex);
	return found;
}

/* The token (*token) for key, the next of the walk that came in with old: in
 * old's slot if it is still there (old becomes the one before; a repeated call
 * that ends at the same key gets the same token), else in a free slot or the
 * least recently used one. */
static int cursor_save(const struct bpfmap *map, uint32_t old, const void *key, uint32_t *token)
{
	struct cursor *slot = NULL;
	int w = -1;

	pthread_mutex_lock(&cursor_mutex);
	for (size_t i = 0; i < CURSORS && w < 0; i++) {
		w = cursor_which(&cursors[i], map, old);
		slot = w >= 0 ? &cursors[i] : NULL;
	}
	if (w == 1 && !memcmp(slot->key[0], key, map->key_size)) { /* repeated: same answer */
		*token = slot->token[0];
		slot->used = ++cursor_clock;
		pthread_mutex_unlock(&cursor_mutex);
		return 0;
	}
	if (!slot) { /* a new walk: a free slot, else the least recently used */
		slot = &cursors[0];
		for (size_t i = 0; i < CURSORS && slot->token[0]; i++)
			if (!cursors[i].token[0] || cursors[i].used < slot->used)
				slot = &cursors[i];
		slot->token[0] = slot->token[1] = 0;
	}
	if (slot->key_cap < map->key_size) {
		for (int k = 0; k < 2; k++) {
			uint8_t *p = realloc(slot->key[k], map->key_size);

			if (!p) {
				pthread_mutex_unlock(&cursor_mutex);
				return -ENOMEM;
			}
			slot->key[k] = p;
		}
		slot->key_cap = map->key_size;
	}
	if (w == 0) { /* the walk moves on: its latest token becomes the one before */
		uint8_t *t = slot->key[1];

		slot->key[1] = slot->key[0];
		slot->key[0] = t;
		slot->token[1] = slot->token[0];
	}
	do
		*token = ++cursor_token;
	while (*token == CURSOR_START || *token == CURSOR_END);
	slot->map = map;
	slot->map_id = map_id_of(map);
	slot->key_size = map->key_size;
	slot->token[0] = *token;
	slot->used = ++cursor_clock;
	memcpy(slot->key[0], key, map->key_size);
	pthread_mutex_unlock(&cursor_mutex);
	return 0;
}

/* ---- the hash walk: lookup and lookup_and_delete ---- */

static int hash_lookup(struct bpfmap *map, union bpf_attr *attr, bool delete)
{
	uint8_t *keys = uptr(attr->batch.keys), *values = uptr(attr->batch.values);
	const void *in = uptr(attr->batch.in_batch);
	void *out = uptr(attr->batch.out_batch);
	uint64_t elem_flags = attr->batch.elem_flags;
	uint32_t ks = map->key_size, vs = map_value_size_user(map);
	uint32_t max = attr->batch.count, cp = 0, token = CURSOR_START, out_token;
	uint8_t *buf, *cur, *next, *value;
	bool more;
	int err;

	err = check_elem_flags(map, elem_flags);
	if (err)
		return err;
	if (attr->batch.flags)
		return -EINVAL;
	if (!max)
		return 0;
	attr->batch.count = 0;
	if (in)
		memcpy(&token, in, sizeof(token));
	if (token == CURSOR_END)
		return -ENOENT;
	buf = malloc(2 * (size_t)ks + vs);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	next = buf + ks;
	value = buf + 2 * (size_t)ks;

	/* where the walk resumes: the token's key, else the first */
	more = token != CURSOR_START && cursor_find(map, token, cur);
	if (!more) {
		err = map->ops->get_next_key(map, NULL, cur);
		if (err && err != -ENOENT)
			goto out;
		more = !err;
	}
	while (more && cp < max) {
		int next_err = map->ops->get_next_key(map, cur, next);

		err = delete ? map->ops->lookup_and_delete(map, cur, value, elem_flags)
			     : map->ops->lookup(map, cur, value, elem_flags);
		if (!err) {
			if (!keys || !values) {
				err = -EFAULT;
				goto out;
			}
			memcpy(keys + (size_t)cp * ks, cur, ks);
			memcpy(values + (size_t)cp * vs, value, vs);
			cp++;
		} else if (err != -ENOENT) { /* ENOENT: deleted under the walk, skipped */
			goto out;
		}
		if (next_err && next_err != -ENOENT) {
			err = next_err;
			goto out;
		}
		more = !next_err;
		if (more) {
			uint8_t *t = cur;

			cur = next;
			next = t;
		}
	}
	/* the kernel writes out_batch, then count: a bad out_batch leaves count 0 */
	if (!out) {
		err = -EFAULT;
		goto out;
	}
	if (more) {
		err = cursor_save(map, token, cur, &out_token);
		if (err) {
			attr->batch.count = cp;
			goto out;
		}
	} else {
		out_token = CURSOR_END;
		err = -ENOENT;
	}
	memcpy(out, &out_token, sizeof(out_token));
	attr->batch.count = cp;
out:
	free(buf);
	return err;
}

/* ---- generic: get_next_key + lookup, update, delete ---- */

static int generic_lookup(struct bpfmap *map, union bpf_attr *attr)
{
	uint8_t *keys = uptr(attr->batch.keys), *values = uptr(attr->batch.values);
	const void *in = uptr(attr->batch.in_batch);
	void *out = uptr(attr->batch.out_batch);
	uint64_t elem_flags = attr->batch.elem_flags;
	uint32_t ks = map->key_size, vs = map_value_size_user(map);
	uint32_t max = attr->batch.count, cp = 0;
	uint8_t *buf, *prev_buf, *prev = NULL, *key, *value;
	int err;

	err = check_elem_flags(map, elem_flags);
	if (err)
		return err;
	if (!max)
		return 0;
	attr->batch.count = 0;
	buf = malloc(2 * (size_t)ks + vs);
	if (!buf)
		return -ENOMEM;
	prev_buf = buf;
	key = buf + ks;
	value = buf + 2 * (size_t)ks;
	if (in) {
		memcpy(prev_buf, in, ks);
		prev = prev_buf;
	}
	while (cp < max) {
		uint8_t *t;

		err = map->ops->get_next_key(map, prev, key);
		if (err)
			break;
		err = map->ops->lookup(map, key, value, elem_flags);
		if (err && err != -ENOENT) /* ENOENT: deleted since get_next_key, skipped */
			goto out;
		if (!err) {
			if (!keys || !values) {
				err = -EFAULT;
				goto out;
			}
			memcpy(keys + (size_t)cp * ks, key, ks);
			memcpy(values + (size_t)cp * vs, value, vs);
			cp++;
		}
		if (!prev)
			prev = prev_buf;
		t = prev;
		prev = key;
		key = t;
	}
	attr->batch.count = cp;
	if (cp) {
		if (out)
			memcpy(out, prev, ks);
		else
			err = -EFAULT;
	}
out:
	free(buf);
	return err;
}

static int generic_update(struct bpfmap *map, union bpf_attr *attr)
{
	const uint8_t *keys = uptr(attr->batch.keys), *values = uptr(attr->batch.values);
	uint32_t ks = map->key_size, vs = map_value_size_user(map);
	uint32_t max = attr->batch.count, cp;
	int err;

	err = check_elem_flags(map, attr->batch.elem_flags);
	if (err)
		return err;
	if (!max)
		return 0;
	attr->batch.count = 0;
	for (cp = 0; cp < max; cp++) {
		err = -EFAULT;
		if (!keys || !values)
			break;
		err = map->ops->update(map, keys + (size_t)cp * ks, values + (size_t)cp * vs,
				       attr->batch.elem_flags);
		if (err)
			break;
	}
	attr->batch.count = cp;
	return err;
}

static int generic_delete(struct bpfmap *map, union bpf_attr *attr)
{
	const uint8_t *keys = uptr(attr->batch.keys);
	uint32_t ks = map->key_size, max = attr->batch.count, cp;
	int err;

	err = check_elem_flags(map, attr->batch.elem_flags);
	if (err)
		return err;
	if (!max)
		return 0;
	attr->batch.count = 0;
	for (cp = 0; cp < max; cp++) {
		err = -EFAULT;
		if (!keys)
			break;
		err = map->ops->delete (map, keys + (size_t)cp * ks);
		if (err)
			break;
	}
	attr->batch.count = cp;
	return err;
}

/* ---- the commands ---- */

static int batch_cmd(union bpf_attr *attr, int cmd)
{
	bool reads = cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;
	bool writes = cmd != BPF_MAP_LOOKUP_BATCH;
	struct bpfmap *map;
	struct obj *o;
	int mode = O_RDWR, err = 0;

	o = obj_from_fd((int)attr->batch.map_fd, OBJ_MAP, &mode, &err);
	if (!o) /* an open fd that is no bpf object: the kernel's __bpf_map_get says EINVAL */
		return err == -EBADF && fcntl((int)attr->batch.map_fd, F_GETFD) >= 0 ? -EINVAL
										     : err;
	map = map_of(o);
	/* the fd's access (BPF_F_RDONLY/WRONLY at creation, open_flags by id or
	 * pin); a frozen map takes write access away from every fd */
	if ((reads && mode == O_WRONLY) ||
	    (writes && (mode == O_RDONLY || atomic_load(&map->hdr->frozen)))) {
		err = -EPERM;
		goto out;
	}
	switch (walk_of(map->hdr->map_type, cmd)) {
	case WALK_NONE: err = -ENOTSUPP; break;
	case WALK_HASH: err = hash_lookup(map, attr, cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH); break;
	case WALK_GENERIC:
		if (cmd == BPF_MAP_LOOKUP_BATCH)
			err = generic_lookup(map, attr);
		else if (cmd == BPF_MAP_UPDATE_BATCH)
			err = generic_update(map, attr);
		else
			err = generic_delete(map, attr);
		break;
	}
out:
	obj_put(o);
	return err;
}

int map_lookup_batch_cmd(union bpf_attr *attr)
{
	return batch_cmd(attr, BPF_MAP_LOOKUP_BATCH);
}

int map_lookup_and_delete_batch_cmd(union bpf_attr *attr)
{
	return batch_cmd(attr, BPF_MAP_LOOKUP_AND_DELETE_BATCH);
}

int map_update_batch_cmd(union bpf_attr *attr)
{
	return batch_cmd(attr, BPF_MAP_UPDATE_BATCH);
}

int map_delete_batch_cmd(union bpf_attr *attr)
{
	return batch_cmd(attr, BPF_MAP_DELETE_BATCH);
}
