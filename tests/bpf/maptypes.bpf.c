// SPDX-License-Identifier: GPL-2.0
/* The map types and flags the other objects leave out, for
 * tests/libbpf/test_maptypes.c: per-CPU hash and array, LRU hashes (common
 * and per-CPU lists, per-CPU values), a hash without preallocation (and with
 * a zero seed, on a NUMA node), an LPM trie of IPv4 prefixes, a stack and a
 * queue filled past their size, bloom filters, maps read-only or write-only
 * for programs or for user space, a frozen map, an mmapable array, .kconfig
 * externs and global data in .data, .bss, .rodata and .data.extra.
 *
 * Every program is XDP, so that both bpfhost and the kernel can test-run it
 * (a sleepable syscall program may not use some of these maps). Arguments
 * come in, and results go out, through the one element of the array "iomap". */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

#ifndef ENOENT
#define ENOENT 2
#endif

#define NARG 8
#define NRET 32

struct io {
	__u64 arg[NARG];
	__s64 ret[NRET];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct io);
} iomap SEC(".maps");

static __always_inline struct io *io_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&iomap, &zero);
}

/* ---- per-CPU hash and array ---- */

/* 12 bytes: a CPU's slot is 16 bytes in user space's buffer */
struct pv {
	__u32 cnt;
	__u32 tag;
	__u32 third;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct pv);
} pc_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} pc_array SEC(".maps");

/* arg[0]: a pc_hash key, incremented (inserted as arg[1] if missing);
 * arg[2]: a pc_array index, incremented; arg[3]: a pc_array index, read;
 * arg[4]: a pc_array index expected to be out of range.
 * ret[0]: inserts, ret[1]: the last insert's error, ret[2]: the CPU,
 * ret[3]: pc_array[arg[3]] on this CPU, ret[4]: 1 if arg[4]'s lookup failed */
SEC("xdp")
int xdp_percpu(struct xdp_md *ctx)
{
	struct io *io = io_get();
	struct pv *p, init = {};
	__u32 key, idx;
	__u64 *c;

	if (!io)
		return XDP_ABORTED;
	key = (__u32)io->arg[0];
	p = bpf_map_lookup_elem(&pc_hash, &key);
	if (p) {
		p->cnt++;
	} else {
		init.cnt = (__u32)io->arg[1];
		init.tag = key;
		init.third = ~key;
		io->ret[0]++;
		io->ret[1] = bpf_map_update_elem(&pc_hash, &key, &init, BPF_NOEXIST);
	}
	idx = (__u32)io->arg[2];
	c = bpf_map_lookup_elem(&pc_array, &idx);
	if (c)
		*c += 1;
	io->ret[2] = bpf_get_smp_processor_id();
	idx = (__u32)io->arg[3];
	c = bpf_map_lookup_elem(&pc_array, &idx);
	io->ret[3] = c ? (__s64)*c : -1;
	idx = (__u32)io->arg[4];
	io->ret[4] = bpf_map_lookup_elem(&pc_array, &idx) == NULL;
	return XDP_PASS;
}

/* ---- LRU hashes ---- */

#define LRU_MAX 8

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LRU_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__uint(max_entries, LRU_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lru_nc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, LRU_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lru_pc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__uint(max_entries, LRU_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lru_pc_nc SEC(".maps");

static long count_elem(void *map, __u32 *key, __u64 *val, __s64 *n)
{
	(*n)++;
	return 0;
}

/* Keys arg[1] .. arg[1] + arg[2] - 1 inserted, each with itself as value.
 * ret[0]: failed updates, ret[1]: the last failure, ret[2]: the last key's
 * value looked up (-1: missing), ret[3]: BPF_NOEXIST on the last key,
 * ret[4]: bpf_for_each_map_elem's count, ret[5]: its elements counted. */
static __always_inline void lru_fill(void *map, struct io *io)
{
	__u32 base = (__u32)io->arg[1], n = (__u32)io->arg[2], k = base;
	__u64 v, *p;
	__s64 seen = 0;
	long err;

	for (__u32 i = 0; i < 64; i++) {
		if (i >= n)
			break;
		k = base + i;
		v = k;
		err = bpf_map_update_elem(map, &k, &v, BPF_ANY);
		if (err) {
			io->ret[0]++;
			io->ret[1] = err;
		}
	}
	p = bpf_map_lookup_elem(map, &k);
	io->ret[2] = p ? (__s64)*p : -1;
	v = 0;
	io->ret[3] = bpf_map_update_elem(map, &k, &v, BPF_NOEXIST);
	io->ret[4] = bpf_for_each_map_elem(map, count_elem, &seen, 0);
	io->ret[5] = seen;
}

/* arg[0] picks the map: lru, lru_nc, lru_pc, lru_pc_nc */
SEC("xdp")
int xdp_lru(struct xdp_md *ctx)
{
	struct io *io = io_get();

	if (!io)
		return XDP_ABORTED;
	switch (io->arg[0]) {
	case 0: lru_fill(&lru, io); break;
	case 1: lru_fill(&lru_nc, io); break;
	case 2: lru_fill(&lru_pc, io); break;
	case 3: lru_fill(&lru_pc_nc, io); break;
	default: return XDP_DROP;
	}
	return XDP_PASS;
}

/* ---- hashes: no preallocation, zero seed, NUMA node, filled up ---- */

#define HASH_MAX 4

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, HASH_MAX);
	__type(key, __u32);
	__type(value, __u64);
} h_noprealloc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HASH_MAX);
	__type(key, __u32);
	__type(value, __u64);
} h_prealloc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__uint(max_entries, HASH_MAX);
	__type(key, __u32);
	__type(value, __u64);
} h_zeroseed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NUMA_NODE | BPF_F_NO_PREALLOC);
	__uint(numa_node, 0);
	__uint(max_entries, HASH_MAX);
	__type(key, __u32);
	__type(value, __u64);
} h_numa SEC(".maps");

static __always_inline long hupd(void *map, __u32 k, __u64 v, __u64 flags)
{
	return bpf_map_update_elem(map, &k, &v, flags);
}

static __always_inline long hdel(void *map, __u32 k)
{
	return bpf_map_delete_elem(map, &k);
}

static __always_inline __s64 hget(void *map, __u32 k)
{
	__u64 *p = bpf_map_lookup_elem(map, &k);

	return p ? (__s64)*p : -1;
}

/* The same sequence on each: keys 1..5 inserted (the 5th finds the map
 * full), then updates and deletes at full, lookups, an unknown flag. */
static __always_inline void hash_ops(void *map, struct io *io)
{
	for (__u32 k = 1; k <= HASH_MAX + 1; k++)
		io->ret[k - 1] = hupd(map, k, k * 10, BPF_NOEXIST);
	io->ret[5] = hupd(map, 2, 222, BPF_EXIST);
	io->ret[6] = hupd(map, 2, 1, BPF_NOEXIST);
	io->ret[7] = hupd(map, 9, 1, BPF_EXIST);
	io->ret[8] = hupd(map, 9, 1, BPF_ANY);
	io->ret[9] = hdel(map, 9);
	io->ret[10] = hdel(map, 1);
	io->ret[11] = hupd(map, 9, 90, BPF_NOEXIST);
	io->ret[12] = hget(map, 2);
	io->ret[13] = hget(map, 1);
	io->ret[14] = hupd(map, 3, 333, BPF_ANY);
	io->ret[15] = hget(map, 3);
	io->ret[16] = hget(map, 9);
	io->ret[17] = hupd(map, 1, 1, 8);
}

/* arg[0] picks the map: h_noprealloc, h_prealloc, h_zeroseed, h_numa */
SEC("xdp")
int xdp_hash(struct xdp_md *ctx)
{
	struct io *io = io_get();

	if (!io)
		return XDP_ABORTED;
	switch (io->arg[0]) {
	case 0: hash_ops(&h_noprealloc, io); break;
	case 1: hash_ops(&h_prealloc, io); break;
	case 2: hash_ops(&h_zeroseed, io); break;
	case 3: hash_ops(&h_numa, io); break;
	default: return XDP_DROP;
	}
	return XDP_PASS;
}

/* ---- LPM trie of IPv4 prefixes ---- */

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 8);
	__type(key, struct lpm_key);
	__type(value, __u32);
} lpm SEC(".maps");

/* arg[0..3]: addresses (network order, as in memory) looked up as /32:
 * ret[0..3] the values matched, -1 if none. arg[4]: 1 deletes, 2 updates
 * (BPF_ANY, value arg[7]) the prefix arg[6]/arg[5] first: ret[4]. */
SEC("xdp")
int xdp_lpm(struct xdp_md *ctx)
{
	struct io *io = io_get();
	struct lpm_key k;
	__u32 a, v, *p;

	if (!io)
		return XDP_ABORTED;
	k.prefixlen = (__u32)io->arg[5];
	a = (__u32)io->arg[6];
	__builtin_memcpy(k.addr, &a, 4);
	v = (__u32)io->arg[7];
	if (io->arg[4] == 1)
		io->ret[4] = bpf_map_delete_elem(&lpm, &k);
	else if (io->arg[4] == 2)
		io->ret[4] = bpf_map_update_elem(&lpm, &k, &v, BPF_ANY);
	for (int i = 0; i < 4; i++) {
		k.prefixlen = 32;
		a = (__u32)io->arg[i];
		__builtin_memcpy(k.addr, &a, 4);
		p = bpf_map_lookup_elem(&lpm, &k);
		io->ret[i] = p ? (__s64)*p : -1;
	}
	return XDP_PASS;
}

/* ---- stack and queue ---- */

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, __u32);
} stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} queue SEC(".maps");

/* A value, or the error that came instead. */
static __always_inline __s64 got(long err, __u32 v)
{
	return err ? err : (__s64)v;
}

/* Both filled past their size, BPF_EXIST overwriting the oldest element,
 * peeked, and emptied; see test_maptypes.c for what lands in ret[]. */
SEC("xdp")
int xdp_stackq(struct xdp_md *ctx)
{
	struct io *io = io_get();
	__u32 v;
	long err;
	int i;

	if (!io)
		return XDP_ABORTED;
	for (i = 0; i < 5; i++) {
		v = i + 1;
		io->ret[i] = bpf_map_push_elem(&stack, &v, 0);
	}
	v = 0;
	err = bpf_map_peek_elem(&stack, &v);
	io->ret[5] = err;
	io->ret[6] = v;
	v = 5;
	io->ret[7] = bpf_map_push_elem(&stack, &v, BPF_EXIST);
	v = 6;
	io->ret[8] = bpf_map_push_elem(&stack, &v, BPF_NOEXIST);
	for (i = 0; i < 4; i++) {
		v = 0;
		err = bpf_map_pop_elem(&stack, &v);
		io->ret[9 + i] = got(err, v);
	}
	io->ret[13] = bpf_map_pop_elem(&stack, &v);
	io->ret[14] = bpf_map_peek_elem(&stack, &v);

	for (i = 0; i < 5; i++) {
		v = i + 1;
		io->ret[15 + i] = bpf_map_push_elem(&queue, &v, 0);
	}
	v = 5;
	io->ret[20] = bpf_map_push_elem(&queue, &v, BPF_EXIST);
	v = 6;
	io->ret[21] = bpf_map_push_elem(&queue, &v, BPF_EXIST);
	v = 0;
	err = bpf_map_peek_elem(&queue, &v);
	io->ret[22] = got(err, v);
	for (i = 0; i < 4; i++) {
		v = 0;
		err = bpf_map_pop_elem(&queue, &v);
		io->ret[23 + i] = got(err, v);
	}
	io->ret[27] = bpf_map_pop_elem(&queue, &v);
	io->ret[28] = bpf_map_peek_elem(&queue, &v);
	return XDP_PASS;
}

/* ---- bloom filters ---- */

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__uint(map_extra, 3); /* hash functions */
	__type(value, __u32);
} bloom SEC(".maps");

/* never pushed to: no bit set, so nothing may be found */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 32);
	__type(value, __u64);
} bloom_empty SEC(".maps");

#define BLOOM_STEP 7919

/* arg[0] 0: push arg[1] + i * BLOOM_STEP for i < arg[2] (at most 64):
 *   ret[0] failures, ret[1] a push with BPF_EXIST;
 * arg[0] 1: peek the same values in bloom (ret[2] found, ret[3] not found)
 *   and arg[1] + i in bloom_empty (ret[5] found, ret[6] not found);
 *   ret[4] counts any other result. */
SEC("xdp")
int xdp_bloom(struct xdp_md *ctx)
{
	struct io *io = io_get();
	__u32 base, n, v;
	__u64 w;
	long err;

	if (!io)
		return XDP_ABORTED;
	base = (__u32)io->arg[1];
	n = (__u32)io->arg[2];
	for (__u32 i = 0; i < 64; i++) {
		if (i >= n)
			break;
		v = base + i * BLOOM_STEP;
		if (io->arg[0] == 0) {
			if (bpf_map_push_elem(&bloom, &v, BPF_ANY))
				io->ret[0]++;
			continue;
		}
		err = bpf_map_peek_elem(&bloom, &v);
		if (err == 0)
			io->ret[2]++;
		else if (err == -ENOENT)
			io->ret[3]++;
		else
			io->ret[4]++;
		w = (__u64)base + i;
		err = bpf_map_peek_elem(&bloom_empty, &w);
		if (err == 0)
			io->ret[5]++;
		else if (err == -ENOENT)
			io->ret[6]++;
		else
			io->ret[4]++;
	}
	if (io->arg[0] == 0) {
		v = base;
		io->ret[1] = bpf_map_push_elem(&bloom, &v, BPF_EXIST);
	}
	return XDP_PASS;
}

/* ---- access flags, freezing, mmap ---- */

#define ARRAY4(name, flags)                                                                        \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(map_flags, flags);                                                          \
		__uint(max_entries, 4);                                                            \
		__type(key, __u32);                                                                \
		__type(value, __u64);                                                              \
	} name SEC(".maps")

ARRAY4(ro_prog, BPF_F_RDONLY_PROG);			/* programs read, user space writes */
ARRAY4(wo_prog, BPF_F_WRONLY_PROG);			/* programs write, user space reads */
ARRAY4(ro_user, BPF_F_RDONLY);				/* user space reads, programs write */
ARRAY4(wo_user, BPF_F_WRONLY);				/* user space writes, programs read */
ARRAY4(frozen, 0);					/* frozen from user space after load */
ARRAY4(mmapable, BPF_F_MMAPABLE);			/* user space reads and writes a mapping */
ARRAY4(ro_prog_mm, BPF_F_RDONLY_PROG | BPF_F_MMAPABLE); /* mapped read-only only */

static __always_inline __u64 *elem(void *map, __u32 k)
{
	return bpf_map_lookup_elem(map, &k);
}

/* ret[0]: the sum of ro_prog; wo_prog[0] = arg[0] through the pointer,
 * wo_prog[1] = arg[1] by update (ret[1]); ro_user[0] = arg[2];
 * ret[2]: wo_user[0]; frozen[0] incremented, frozen[1] = arg[3] by update
 * (ret[3]); ret[4]: mmapable[0], mmapable[1] = arg[3]; ret[5]: ro_prog_mm[0]. */
SEC("xdp")
int xdp_flags(struct xdp_md *ctx)
{
	struct io *io = io_get();
	__u64 sum = 0, *p, v;
	__u32 k;

	if (!io)
		return XDP_ABORTED;
	for (k = 0; k < 4; k++) {
		p = elem(&ro_prog, k);
		if (p)
			sum += *p;
	}
	io->ret[0] = sum;
	p = elem(&wo_prog, 0);
	if (p)
		*p = io->arg[0];
	k = 1;
	v = io->arg[1];
	io->ret[1] = bpf_map_update_elem(&wo_prog, &k, &v, BPF_ANY);
	p = elem(&ro_user, 0);
	if (p)
		*p = io->arg[2];
	p = elem(&wo_user, 0);
	io->ret[2] = p ? (__s64)*p : -1;
	p = elem(&frozen, 0);
	if (p)
		*p += 1;
	v = io->arg[3];
	io->ret[3] = bpf_map_update_elem(&frozen, &k, &v, BPF_ANY);
	p = elem(&mmapable, 0);
	io->ret[4] = p ? (__s64)*p : -1;
	p = elem(&mmapable, 1);
	if (p)
		*p = io->arg[3];
	p = elem(&ro_prog_mm, 0);
	io->ret[5] = p ? (__s64)*p : -1;
	return XDP_PASS;
}

/* ---- .kconfig externs ---- */

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern bool CONFIG_BPFHOST_NO_SUCH_OPTION __kconfig __weak;
extern const char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;

/* ret[0..5]: the externs above in order, the string's first 8 bytes */
SEC("xdp")
int xdp_kconfig(struct xdp_md *ctx)
{
	struct io *io = io_get();
	__u64 s;

	if (!io)
		return XDP_ABORTED;
	io->ret[0] = LINUX_KERNEL_VERSION;
	io->ret[1] = CONFIG_BPF_SYSCALL;
	io->ret[2] = CONFIG_HZ;
	io->ret[3] = CONFIG_BPF_JIT;
	io->ret[4] = CONFIG_BPFHOST_NO_SUCH_OPTION;
	__builtin_memcpy(&s, CONFIG_DEFAULT_HOSTNAME, sizeof(s));
	io->ret[5] = (__s64)s;
	return XDP_PASS;
}

/* ---- global data, set from user space before load ---- */

struct bss_s {
	__u64 runs;
	__u64 last;
	__u32 small[2];
};

struct ro_s {
	__u32 mul;
	__u32 add;
	__u64 tab[3];
};

__u32 data_arr[4] = {1, 2, 3, 4};		      /* .data */
struct bss_s bss;				      /* .bss */
const volatile struct ro_s ro = {1, 0, {10, 20, 30}}; /* .rodata */
__u64 extra SEC(".data.extra") = 5;		      /* its own map */

/* ret[0]: sum(data_arr) * ro.mul + sum(ro.tab) + ro.add + extra, also in
 * bss.last; ret[1]: bss.runs after its increment; data_arr[arg[0] & 3] and
 * bss.small[1] incremented, extra += 100. */
SEC("xdp")
int xdp_global(struct xdp_md *ctx)
{
	struct io *io = io_get();
	__u64 sum = 0;
	int i;

	if (!io)
		return XDP_ABORTED;
	for (i = 0; i < 4; i++)
		sum += (__u64)data_arr[i] * ro.mul;
	for (i = 0; i < 3; i++)
		sum += ro.tab[i];
	sum += ro.add + extra;
	bss.runs++;
	bss.last = sum;
	bss.small[1]++;
	data_arr[io->arg[0] & 3]++;
	extra += 100;
	io->ret[0] = sum;
	io->ret[1] = bss.runs;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
