/* The map types and flags of tests/bpf/maptypes.bpf.c through Debian's
 * libbpf, unmodified: XDP programs test-run with a 64-byte packet, arguments
 * and results in the array "iomap", the maps read and written from user space
 * as well. Per-CPU hash and array (user space sees every CPU's slot, each
 * rounded up to 8 bytes), LRU hashes filled past their size, hashes without
 * preallocation / with a zero seed / on a NUMA node filled up, an LPM trie,
 * a stack and a queue overflowing with BPF_EXIST, bloom filters, access flags
 * for programs and for user space, a frozen map, an mmapable array, .kconfig
 * externs and global data set before load. The same source with
 * -DKERNEL_BACKEND runs the same checks against the kernel; where the kernel's
 * behaviour is only approximately specified (LRU eviction, bloom false
 * positives) only the property that holds on both is checked, and a comment
 * says so. Usage: test_maptypes OBJ */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

#define XDP_PASS 2
#define NARG 8
#define NRET 32
#define LRU_MAX 8
#define HASH_MAX 4
#define BLOOM_STEP 7919

struct io {
	__u64 arg[NARG];
	__s64 ret[NRET];
};

/* the pc_hash value: 12 bytes, a 16-byte slot per CPU from user space */
struct pv {
	__u32 cnt;
	__u32 tag;
	__u32 third;
};

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

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

static struct bpf_object *obj;
static int ncpus;
static int pinned_cpu = -1; /* the CPU every run happens on, if pinning worked */

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static struct bpf_map *map_of(const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	CHECK(m != NULL, "map %s", name);
	return m;
}

static size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Runs program name once per repeat (0 is once) on a 64-byte packet with
 * io->arg as arguments; io->ret comes back. Returns 0 if the run worked. */
static int run(const char *name, struct io *io, __u32 repeat)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	struct bpf_map *iomap = map_of("iomap");
	unsigned char pkt[64] = {0};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = repeat);
	__u32 zero = 0;
	int err;

	CHECK(prog != NULL, "program %s", name);
	if (!prog || !iomap)
		return -1;
	memset(io->ret, 0, sizeof(io->ret));
	err = bpf_map__update_elem(iomap, &zero, sizeof(zero), io, sizeof(*io), BPF_ANY);
	CHECK(err == 0, "%s: write iomap: %d", name, err);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
	CHECK(err == 0 && o.retval == XDP_PASS, "%s: test run: err %d, retval %u", name, err,
	      o.retval);
	if (err || o.retval != XDP_PASS)
		return -1;
	err = bpf_map__lookup_elem(iomap, &zero, sizeof(zero), io, sizeof(*io), 0);
	CHECK(err == 0, "%s: read iomap: %d", name, err);
	return err;
}

/* The number of keys get_next_key walks through (key_size up to 16). */
static int count_keys(struct bpf_map *m)
{
	unsigned char key[16], next[16];
	size_t ks = bpf_map__key_size(m);
	int n = 0, err;

	for (err = bpf_map__get_next_key(m, NULL, next, ks); !err && n < 1000;
	     err = bpf_map__get_next_key(m, key, next, ks)) {
		memcpy(key, next, ks);
		n++;
	}
	CHECK(err == -ENOENT, "%s: get_next_key ends with ENOENT: %d", bpf_map__name(m), err);
	return n;
}

/* Every run on one CPU, the last one allowed, so that the per-CPU slot a
 * program uses is known (and is not always CPU 0). The kernel's XDP test run
 * happens on the calling CPU; bpfhost's is the thread's CPU. */
static void pin_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = ncpus - 1; c >= 0; c--) {
		if (!CPU_ISSET(c, &set))
			continue;
		CPU_ZERO(&set);
		CPU_SET(c, &set);
		if (!sched_setaffinity(0, sizeof(set), &set))
			pinned_cpu = c;
		return;
	}
}

/* ---- per-CPU hash and array ---- */

static void percpu(void)
{
	struct bpf_map *h = map_of("pc_hash"), *a = map_of("pc_array");
	size_t hslot = round8(sizeof(struct pv)), hsz = ncpus * hslot, asz = ncpus * 8;
	unsigned char *hbuf = calloc(ncpus, hslot);
	__u64 *abuf = calloc(ncpus, 8), sum;
	struct io io = {0};
	__u32 key, next;
	int cpu, err;

	if (!h || !a || !hbuf || !abuf)
		goto out;
	CHECK(bpf_map__value_size(h) == sizeof(struct pv), "pc_hash value size %u",
	      bpf_map__value_size(h));

	/* user space sets each CPU's slot of pc_array[1]; the program reads its own */
	for (int c = 0; c < ncpus; c++)
		abuf[c] = 100 + c;
	key = 1;
	err = bpf_map__update_elem(a, &key, sizeof(key), abuf, asz, BPF_ANY);
	CHECK(err == 0, "pc_array[1] per CPU from user space: %d", err);
	io.arg[0] = 5; /* pc_hash key, inserted as 10 */
	io.arg[1] = 10;
	io.arg[2] = 0; /* pc_array index incremented */
	io.arg[3] = 1; /* pc_array index read */
	io.arg[4] = 4; /* out of range */
	if (run("xdp_percpu", &io, 1))
		goto out;
	cpu = (int)io.ret[2];
	CHECK(cpu >= 0 && cpu < ncpus && (pinned_cpu < 0 || cpu == pinned_cpu),
	      "bpf_get_smp_processor_id: %d (pinned to %d, %d possible)", cpu, pinned_cpu, ncpus);
	if (cpu < 0 || cpu >= ncpus)
		goto out;
	CHECK(io.ret[3] == 100 + cpu, "the program reads its CPU's slot: %lld, want %d",
	      (long long)io.ret[3], 100 + cpu);
	CHECK(io.ret[4] == 1, "pc_array[4] is out of range: NULL");
	CHECK(io.ret[0] == 1 && io.ret[1] == 0, "one insert into pc_hash: %lld, err %lld",
	      (long long)io.ret[0], (long long)io.ret[1]);

	/* a program's insert sets its CPU's slot and zeroes the others */
	key = 5;
	memset(hbuf, 0xaa, hsz);
	err = bpf_map__lookup_elem(h, &key, sizeof(key), hbuf, hsz, 0);
	CHECK(err == 0, "pc_hash[5] from user space: %d", err);
	for (int c = 0; !err && c < ncpus; c++) {
		struct pv p;

		memcpy(&p, hbuf + c * hslot, sizeof(p));
		if (c == cpu)
			CHECK(p.cnt == 10 && p.tag == 5 && p.third == ~5u,
			      "pc_hash[5] on CPU %d: {%u, %u, 0x%x}", c, p.cnt, p.tag, p.third);
		else
			CHECK(p.cnt == 0 && p.tag == 0 && p.third == 0,
			      "pc_hash[5] on CPU %d, not the program's: {%u, %u, 0x%x}", c, p.cnt,
			      p.tag, p.third);
	}

	/* 9 more runs: the counters' sums over the CPUs */
	if (run("xdp_percpu", &io, 9))
		goto out;
	CHECK(io.ret[0] == 0, "no insert when the key is there: %lld", (long long)io.ret[0]);
	err = bpf_map__lookup_elem(h, &key, sizeof(key), hbuf, hsz, 0);
	sum = 0;
	for (int c = 0; !err && c < ncpus; c++) {
		struct pv p;

		memcpy(&p, hbuf + c * hslot, sizeof(p));
		sum += p.cnt;
	}
	CHECK(err == 0 && sum == 19, "pc_hash[5] summed over the CPUs: %llu (err %d), want 19",
	      (unsigned long long)sum, err);
	key = 0;
	err = bpf_map__lookup_elem(a, &key, sizeof(key), abuf, asz, 0);
	sum = 0;
	for (int c = 0; !err && c < ncpus; c++)
		sum += abuf[c];
	CHECK(err == 0 && sum == 10 && abuf[cpu] == 10,
	      "pc_array[0] summed over the CPUs: %llu (err %d), want 10", (unsigned long long)sum,
	      err);
	key = 1;
	err = bpf_map__lookup_elem(a, &key, sizeof(key), abuf, asz, 0);
	for (int c = 0; !err && c < ncpus; c++)
		CHECK(abuf[c] == (__u64)(100 + c), "pc_array[1] on CPU %d: %llu", c,
		      (unsigned long long)abuf[c]);

	/* user space writes every CPU's value of a new key; the program
	 * increments its own */
	for (int c = 0; c < ncpus; c++) {
		struct pv p = {.cnt = 1000 + c, .tag = 6, .third = c};

		memcpy(hbuf + c * hslot, &p, sizeof(p));
	}
	key = 6;
	err = bpf_map__update_elem(h, &key, sizeof(key), hbuf, hsz, BPF_NOEXIST);
	CHECK(err == 0, "pc_hash[6] per CPU from user space: %d", err);
	io.arg[0] = 6;
	if (run("xdp_percpu", &io, 1))
		goto out;
	CHECK(io.ret[0] == 0, "pc_hash[6] found by the program");
	memset(hbuf, 0, hsz);
	err = bpf_map__lookup_and_delete_elem(h, &key, sizeof(key), hbuf, hsz, 0);
	CHECK(err == 0, "lookup_and_delete pc_hash[6]: %d", err);
	for (int c = 0; !err && c < ncpus; c++) {
		struct pv p;

		memcpy(&p, hbuf + c * hslot, sizeof(p));
		CHECK(p.cnt == 1000u + c + (c == cpu) && p.tag == 6 && p.third == (__u32)c,
		      "pc_hash[6] on CPU %d: {%u, %u, %u}", c, p.cnt, p.tag, p.third);
	}
	CHECK(bpf_map__lookup_elem(h, &key, sizeof(key), hbuf, hsz, 0) == -ENOENT,
	      "pc_hash[6] deleted");
	CHECK(count_keys(h) == 1, "pc_hash holds key 5 alone");
	CHECK(bpf_map__get_next_key(h, NULL, &next, sizeof(next)) == 0 && next == 5,
	      "pc_hash's first key: %u", next);

	/* arrays: every element exists, none can be deleted, none past the end */
	key = 2;
	CHECK(bpf_map__update_elem(a, &key, sizeof(key), abuf, asz, BPF_NOEXIST) == -EEXIST,
	      "pc_array BPF_NOEXIST: EEXIST");
	CHECK(bpf_map__delete_elem(a, &key, sizeof(key), 0) == -EINVAL, "pc_array delete: EINVAL");
	key = 4;
	CHECK(bpf_map__update_elem(a, &key, sizeof(key), abuf, asz, BPF_ANY) == -E2BIG,
	      "pc_array[4]: E2BIG");
	CHECK(bpf_map__lookup_elem(a, &key, sizeof(key), abuf, asz, 0) == -ENOENT,
	      "pc_array[4]: ENOENT");
out:
	free(hbuf);
	free(abuf);
}

/* ---- LRU hashes ---- */

/* Inserts LRU_MAX + 5 keys from base into map (index 0..3 of xdp_lru), then
 * checks what is left. The kernel's LRU is approximate: which keys it evicts
 * depends on its lists and reference bits (the first round's last key, looked
 * up, survives the second round on Linux 6.18), and a shrink evicts up to
 * target_free nodes at once (clamp(max_entries / CPUs / 2, 1, 128) for the
 * common list: 7, then 6 of 8 keys left on 2 CPUs) or PERCPU_FREE_TARGET (4)
 * for a per-CPU list (BPF_F_NO_COMMON_LRU: a CPU owns max_entries / CPUs
 * nodes, and 1 or 2 keys are left). So only this is checked: no update fails,
 * at most LRU_MAX keys remain (with the common list at least half of them),
 * every key left was inserted, with its own value, and the last key inserted
 * is there. */
static void lru_one(int index, const char *name, bool percpu, bool common, __u32 base)
{
	struct bpf_map *m = map_of(name);
	const __u32 n = LRU_MAX + 5, last = base + n - 1;
	size_t vsz = percpu ? ncpus * 8 : 8;
	__u64 *v = calloc(ncpus, 8);
	struct io io = {0};
	__u32 key, next;
	int keys = 0, err, min;

	if (!m || !v)
		goto out;
	io.arg[0] = index;
	io.arg[1] = base;
	io.arg[2] = n;
	if (run("xdp_lru", &io, 1))
		goto out;
	CHECK(io.ret[0] == 0, "%s: %lld updates failed (last %lld)", name, (long long)io.ret[0],
	      (long long)io.ret[1]);
	CHECK(io.ret[2] == last, "%s: the program finds the last key %u: %lld", name, last,
	      (long long)io.ret[2]);
	CHECK(io.ret[3] == -EEXIST, "%s: BPF_NOEXIST on the last key: %lld", name,
	      (long long)io.ret[3]);
	for (err = bpf_map__get_next_key(m, NULL, &next, sizeof(next)); !err && keys < 100;
	     err = bpf_map__get_next_key(m, &key, &next, sizeof(next))) {
		__u64 sum = 0;
		int e;

		key = next;
		keys++;
		e = bpf_map__lookup_elem(m, &key, sizeof(key), v, vsz, 0);
		for (int c = 0; c < (percpu ? ncpus : 1); c++)
			sum += v[c];
		CHECK(e == 0 && key >= 1000 && key <= last && (key - 1000) % 1000 < n && sum == key,
		      "%s: key %u (inserted %u..%u and before) holds %llu", name, key, base, last,
		      (unsigned long long)sum);
		if (percpu && pinned_cpu >= 0 && e == 0)
			CHECK(v[pinned_cpu] == key, "%s: key %u on CPU %d: %llu", name, key,
			      pinned_cpu, (unsigned long long)v[pinned_cpu]);
	}
	CHECK(err == -ENOENT, "%s: get_next_key ends with ENOENT: %d", name, err);
	min = common ? LRU_MAX / 2 : 1;
	CHECK(keys <= LRU_MAX && keys >= min, "%s: %d keys left, want %d..%d", name, keys, min,
	      LRU_MAX);
	CHECK(io.ret[4] == keys && io.ret[5] == keys,
	      "%s: bpf_for_each_map_elem visits %lld (counted %lld), user space %d", name,
	      (long long)io.ret[4], (long long)io.ret[5], keys);
	key = last;
	CHECK(bpf_map__lookup_elem(m, &key, sizeof(key), v, vsz, 0) == 0,
	      "%s: the last key inserted is there", name);
	printf("%s: %d of %d keys left\n", name, keys, n);
out:
	free(v);
}

static void lru(void)
{
	lru_one(0, "lru", false, true, 1000);
	lru_one(1, "lru_nc", false, false, 1000);
	lru_one(2, "lru_pc", true, true, 1000);
	lru_one(3, "lru_pc_nc", true, false, 1000);
	/* a second round over full maps: every key evicted in turn */
	lru_one(0, "lru", false, true, 2000);
	lru_one(1, "lru_nc", false, false, 2000);
	lru_one(2, "lru_pc", true, true, 2000);
	lru_one(3, "lru_pc_nc", true, false, 2000);

	/* user space writes every CPU's value of a key into a full per-CPU LRU
	 * (something is evicted for it) and reads them back */
	{
		struct bpf_map *m = map_of("lru_pc");
		__u64 *v = calloc(ncpus, 8);
		__u32 key = 5000;
		int err;

		if (m && v) {
			for (int c = 0; c < ncpus; c++)
				v[c] = 7 + c;
			err = bpf_map__update_elem(m, &key, sizeof(key), v, ncpus * 8, BPF_NOEXIST);
			CHECK(err == 0, "lru_pc[5000] from user space: %d", err);
			memset(v, 0, ncpus * 8);
			err = bpf_map__lookup_elem(m, &key, sizeof(key), v, ncpus * 8, 0);
			CHECK(err == 0, "lru_pc[5000] read back: %d", err);
			for (int c = 0; !err && c < ncpus; c++)
				CHECK(v[c] == 7u + c, "lru_pc[5000] on CPU %d: %llu", c,
				      (unsigned long long)v[c]);
			CHECK(count_keys(m) <= LRU_MAX, "lru_pc still holds at most %d", LRU_MAX);
		}
		free(v);
	}
}

/* ---- hashes filled up ---- */

static void hash_one(int index, const char *name)
{
	/* clang-format off */
	static const __s64 want[18] = {
		0, 0, 0, 0, -E2BIG,	/* keys 1..4 fit, 5 does not */
		0,			/* BPF_EXIST on a present key, at full */
		-EEXIST,		/* BPF_NOEXIST on a present key */
		-ENOENT,		/* BPF_EXIST on a missing key */
		-E2BIG,			/* BPF_ANY on a missing key, at full */
		-ENOENT, 0,		/* delete 9 (missing), delete 1 */
		0,			/* insert 9: room again */
		222, -1,		/* lookups of 2 and 1 */
		0, 333,			/* BPF_ANY on a present key, at full; lookup */
		90,			/* lookup of 9 */
		-EINVAL,		/* unknown flags */
	};
	/* clang-format on */
	static const __u32 keys[4] = {2, 3, 4, 9};
	static const __u64 vals[4] = {222, 333, 40, 90};
	struct bpf_map *m = map_of(name);
	struct io io = {0};

	if (!m)
		return;
	io.arg[0] = index;
	if (run("xdp_hash", &io, 1))
		return;
	for (int i = 0; i < 18; i++)
		CHECK(io.ret[i] == want[i], "%s: ret[%d] = %lld, want %lld", name, i,
		      (long long)io.ret[i], (long long)want[i]);
	CHECK(count_keys(m) == HASH_MAX, "%s: full", name);
	for (int i = 0; i < 4; i++) {
		__u64 v = 0;
		int err = bpf_map__lookup_elem(m, &keys[i], 4, &v, 8, 0);

		CHECK(err == 0 && v == vals[i], "%s[%u] = %llu (err %d), want %llu", name, keys[i],
		      (unsigned long long)v, err, (unsigned long long)vals[i]);
	}
	/* from user space at full, as from the program */
	{
		__u32 k = 77;
		__u64 v = 7;

		CHECK(bpf_map__update_elem(m, &k, 4, &v, 8, BPF_ANY) == -E2BIG,
		      "%s: user insert at full: E2BIG", name);
		k = 4;
		CHECK(bpf_map__update_elem(m, &k, 4, &v, 8, BPF_EXIST) == 0,
		      "%s: user update of a present key at full", name);
	}
}

static void hashes(void)
{
	struct {
		const char *name;
		__u32 flags;
	} want[] = {
		{"h_noprealloc", BPF_F_NO_PREALLOC},
		{"h_prealloc", 0},
		{"h_zeroseed", BPF_F_ZERO_SEED},
		{"h_numa", BPF_F_NUMA_NODE | BPF_F_NO_PREALLOC},
	};

	for (int i = 0; i < 4; i++) {
		struct bpf_map *m = map_of(want[i].name);
		struct bpf_map_info info;
		__u32 len = sizeof(info);

		if (!m)
			continue;
		memset(&info, 0, sizeof(info));
		CHECK(bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len) == 0 &&
			      info.type == BPF_MAP_TYPE_HASH && info.map_flags == want[i].flags &&
			      info.max_entries == HASH_MAX,
		      "%s: info type %u, flags 0x%x, max_entries %u", want[i].name, info.type,
		      info.map_flags, info.max_entries);
		hash_one(i, want[i].name);
	}
}

/* ---- LPM trie ---- */

static __u32 ip(int a, int b, int c, int d)
{
	unsigned char x[4] = {(unsigned char)a, (unsigned char)b, (unsigned char)c,
			      (unsigned char)d};
	__u32 v;

	memcpy(&v, x, 4);
	return v;
}

static int lpm_put(struct bpf_map *m, __u32 plen, __u32 addr, __u32 v, __u64 flags)
{
	struct lpm_key k = {.prefixlen = plen};

	memcpy(k.addr, &addr, 4);
	return bpf_map__update_elem(m, &k, sizeof(k), &v, sizeof(v), flags);
}

/* Looks up four addresses from the program (after op 1 delete / 2 update
 * of plen/addr = v), checks the values against want (-1: no match). */
static void lpm_run(const char *what, const __u32 addr[4], const __s64 want[4], int op, __u32 plen,
		    __u32 paddr, __u32 v, __s64 want_op)
{
	struct io io = {0};

	for (int i = 0; i < 4; i++)
		io.arg[i] = addr[i];
	io.arg[4] = op;
	io.arg[5] = plen;
	io.arg[6] = paddr;
	io.arg[7] = v;
	if (run("xdp_lpm", &io, 1))
		return;
	if (op)
		CHECK(io.ret[4] == want_op, "%s: the program's %s: %lld, want %lld", what,
		      op == 1 ? "delete" : "update", (long long)io.ret[4], (long long)want_op);
	for (int i = 0; i < 4; i++) {
		const unsigned char *b = (const unsigned char *)&addr[i];

		CHECK(io.ret[i] == want[i], "%s: %u.%u.%u.%u matches %lld, want %lld", what, b[0],
		      b[1], b[2], b[3], (long long)io.ret[i], (long long)want[i]);
	}
}

static void lpm(void)
{
	struct bpf_map *m = map_of("lpm");
	struct lpm_key k = {.prefixlen = 32};
	__u32 a, v = 0;

	if (!m)
		return;
	CHECK(lpm_put(m, 8, ip(10, 0, 0, 0), 1, BPF_NOEXIST) == 0, "10/8");
	CHECK(lpm_put(m, 16, ip(10, 1, 0, 0), 2, BPF_NOEXIST) == 0, "10.1/16");
	CHECK(lpm_put(m, 24, ip(10, 1, 2, 0), 3, BPF_NOEXIST) == 0, "10.1.2/24");
	CHECK(lpm_put(m, 25, ip(10, 1, 2, 128), 4, BPF_NOEXIST) == 0, "10.1.2.128/25");
	CHECK(lpm_put(m, 16, ip(192, 168, 0, 0), 5, BPF_NOEXIST) == 0, "192.168/16");
	CHECK(lpm_put(m, 16, ip(10, 1, 0, 0), 9, BPF_NOEXIST) == -EEXIST, "10.1/16 again: EEXIST");
	CHECK(lpm_put(m, 12, ip(172, 16, 0, 0), 9, BPF_EXIST) == -ENOENT,
	      "172.16/12 BPF_EXIST: ENOENT");
	CHECK(lpm_put(m, 33, ip(10, 0, 0, 0), 9, BPF_ANY) == -EINVAL, "prefix length 33: EINVAL");
	CHECK(count_keys(m) == 5, "5 prefixes");

	{
		const __u32 addr[4] = {ip(10, 1, 2, 200), ip(10, 1, 2, 3), ip(10, 1, 99, 1),
				       ip(10, 200, 0, 1)};
		const __s64 want[4] = {4, 3, 2, 1};

		lpm_run("longest prefixes", addr, want, 0, 0, 0, 0, 0);
	}
	{
		const __u32 addr[4] = {ip(192, 168, 5, 5), ip(172, 16, 0, 1), ip(11, 0, 0, 1),
				       ip(10, 1, 2, 127)};
		const __s64 want[4] = {5, -1, -1, 3};

		lpm_run("other addresses", addr, want, 0, 0, 0, 0, 0);
	}
	/* user space looks up with the longest prefix too */
	a = ip(10, 1, 2, 130);
	memcpy(k.addr, &a, 4);
	CHECK(bpf_map__lookup_elem(m, &k, sizeof(k), &v, sizeof(v), 0) == 0 && v == 4,
	      "10.1.2.130 from user space: %u", v);
	/* deletes take the exact prefix */
	{
		const __u32 addr[4] = {ip(10, 1, 2, 3), ip(10, 1, 2, 200), ip(10, 1, 3, 1),
				       ip(10, 2, 0, 0)};
		const __s64 want[4] = {2, 4, 2, 1};

		lpm_run("10.1.2/24 deleted", addr, want, 1, 24, ip(10, 1, 2, 0), 0, 0);
		lpm_run("10.1.2/24 deleted again", addr, want, 1, 24, ip(10, 1, 2, 0), 0, -ENOENT);
		lpm_run("10.1/17 is no prefix there", addr, want, 1, 17, ip(10, 1, 0, 0), 0,
			-ENOENT);
	}
	{
		const __u32 addr[4] = {ip(172, 16, 0, 1), ip(11, 0, 0, 1), ip(10, 1, 2, 3),
				       ip(192, 168, 0, 1)};
		const __s64 want[4] = {99, 99, 2, 5};

		lpm_run("a default route from the program", addr, want, 2, 0, 0, 99, 0);
	}
	/* 5 prefixes now, 8 at most */
	CHECK(count_keys(m) == 5, "5 prefixes after a delete and an insert");
	CHECK(lpm_put(m, 8, ip(1, 0, 0, 0), 1, BPF_ANY) == 0, "1/8");
	CHECK(lpm_put(m, 8, ip(2, 0, 0, 0), 1, BPF_ANY) == 0, "2/8");
	CHECK(lpm_put(m, 8, ip(3, 0, 0, 0), 1, BPF_ANY) == 0, "3/8");
	CHECK(lpm_put(m, 8, ip(4, 0, 0, 0), 1, BPF_ANY) == -ENOSPC, "a 9th prefix: ENOSPC");
	CHECK(lpm_put(m, 8, ip(3, 0, 0, 0), 33, BPF_ANY) == 0, "replacing one at full");
	k.prefixlen = 32;
	a = ip(3, 3, 3, 3);
	memcpy(k.addr, &a, 4);
	CHECK(bpf_map__lookup_elem(m, &k, sizeof(k), &v, sizeof(v), 0) == 0 && v == 33,
	      "3.3.3.3: %u", v);
	CHECK(count_keys(m) == 8, "8 prefixes");
}

/* ---- stack and queue ---- */

static void stackq(void)
{
	/* clang-format off */
	static const __s64 want[29] = {
		0, 0, 0, 0, -E2BIG,	/* stack: 1..4 fit, 5 does not */
		0, 4,			/* peek: the top */
		0,			/* BPF_EXIST: 5 pushed, 1 (the oldest) dropped */
		-EINVAL,		/* BPF_NOEXIST is no push flag */
		5, 4, 3, 2,		/* popped last in, first out */
		-ENOENT, -ENOENT,	/* pop, peek an empty stack */
		0, 0, 0, 0, -E2BIG,	/* queue: 1..4 fit, 5 does not */
		0, 0,			/* BPF_EXIST: 5, 6 pushed, 1, 2 dropped */
		3,			/* peek: the head */
		3, 4, 5, 6,		/* popped first in, first out */
		-ENOENT, -ENOENT,	/* pop, peek an empty queue */
	};
	/* clang-format on */
	struct bpf_map *s = map_of("stack"), *q = map_of("queue");
	struct io io = {0};
	__u32 v;

	if (!s || !q || run("xdp_stackq", &io, 1))
		return;
	for (int i = 0; i < 29; i++)
		CHECK(io.ret[i] == want[i], "stack/queue: ret[%d] = %lld, want %lld", i,
		      (long long)io.ret[i], (long long)want[i]);

	/* from user space: update pushes, lookup peeks, lookup_and_delete pops */
	for (v = 10; v < 14; v++)
		CHECK(bpf_map__update_elem(s, NULL, 0, &v, sizeof(v), BPF_ANY) == 0, "push %u", v);
	v = 14;
	CHECK(bpf_map__update_elem(s, NULL, 0, &v, sizeof(v), BPF_ANY) == -E2BIG,
	      "push onto a full stack: E2BIG");
	CHECK(bpf_map__update_elem(s, NULL, 0, &v, sizeof(v), BPF_EXIST) == 0,
	      "push onto a full stack with BPF_EXIST");
	v = 0;
	CHECK(bpf_map__lookup_elem(s, NULL, 0, &v, sizeof(v), 0) == 0 && v == 14, "peek: %u", v);
	for (__u32 w = 14; w > 10; w--) {
		v = 0;
		CHECK(bpf_map__lookup_and_delete_elem(s, NULL, 0, &v, sizeof(v), 0) == 0 && v == w,
		      "pop: %u, want %u", v, w);
	}
	CHECK(bpf_map__lookup_and_delete_elem(s, NULL, 0, &v, sizeof(v), 0) == -ENOENT,
	      "the stack is empty (10 was dropped)");

	for (v = 1; v <= 6; v++)
		CHECK(bpf_map__update_elem(q, NULL, 0, &v, sizeof(v), BPF_EXIST) == 0,
		      "queue push %u with BPF_EXIST", v);
	v = 7;
	CHECK(bpf_map__update_elem(q, NULL, 0, &v, sizeof(v), BPF_ANY) == -E2BIG,
	      "push into a full queue: E2BIG");
	v = 0;
	CHECK(bpf_map__lookup_elem(q, NULL, 0, &v, sizeof(v), 0) == 0 && v == 3, "queue peek: %u",
	      v);
	for (__u32 w = 3; w <= 6; w++) {
		v = 0;
		CHECK(bpf_map__lookup_and_delete_elem(q, NULL, 0, &v, sizeof(v), 0) == 0 && v == w,
		      "queue pop: %u, want %u", v, w);
	}
	CHECK(bpf_map__lookup_elem(q, NULL, 0, &v, sizeof(v), 0) == -ENOENT,
	      "peek an empty queue: ENOENT");
}

/* ---- bloom filters ---- */

/* A bloom filter may find what was never pushed (a false positive, whose
 * pattern depends on the hash: bpfhost's is not the kernel's), so only this is
 * checked: all that was pushed is found, the filter nothing was pushed to
 * finds nothing, and a peek answers 0 or ENOENT. */
static void bloom(void)
{
	struct bpf_map *b = map_of("bloom"), *e = map_of("bloom_empty");
	struct bpf_map_info info;
	__u32 len = sizeof(info), v;
	__u64 w;
	struct io io = {0};

	if (!b || !e)
		return;
	memset(&info, 0, sizeof(info));
	CHECK(bpf_obj_get_info_by_fd(bpf_map__fd(b), &info, &len) == 0 &&
		      info.type == BPF_MAP_TYPE_BLOOM_FILTER && info.map_extra == 3 &&
		      info.key_size == 0 && info.value_size == 4,
	      "bloom: type %u, map_extra %llu, key %u, value %u", info.type,
	      (unsigned long long)info.map_extra, info.key_size, info.value_size);
	io.arg[0] = 0;
	io.arg[1] = 5;
	io.arg[2] = 40;
	if (run("xdp_bloom", &io, 1))
		return;
	CHECK(io.ret[0] == 0, "40 pushes: %lld failed", (long long)io.ret[0]);
	CHECK(io.ret[1] == -EINVAL, "push with BPF_EXIST: %lld, want EINVAL", (long long)io.ret[1]);
	io.arg[0] = 1;
	if (run("xdp_bloom", &io, 1))
		return;
	CHECK(io.ret[2] == 40 && io.ret[3] == 0, "all 40 pushed found: %lld (%lld not)",
	      (long long)io.ret[2], (long long)io.ret[3]);
	CHECK(io.ret[5] == 0 && io.ret[6] == 40, "the empty filter finds none of 40: %lld",
	      (long long)io.ret[5]);
	CHECK(io.ret[4] == 0, "peeks answer 0 or ENOENT: %lld others", (long long)io.ret[4]);
	/* never pushed: found or not, but nothing else */
	io.arg[1] = 1000003;
	if (run("xdp_bloom", &io, 1))
		return;
	CHECK(io.ret[2] + io.ret[3] == 40 && io.ret[4] == 0,
	      "40 never pushed: %lld false positives, %lld not found, %lld others",
	      (long long)io.ret[2], (long long)io.ret[3], (long long)io.ret[4]);
	printf("bloom: %lld false positives in 40\n", (long long)io.ret[2]);

	/* user space: update pushes, lookup peeks (the value is the key) */
	v = 424242;
	CHECK(bpf_map__update_elem(b, NULL, 0, &v, sizeof(v), BPF_ANY) == 0, "user push");
	CHECK(bpf_map__update_elem(b, NULL, 0, &v, sizeof(v), BPF_NOEXIST) == -EINVAL,
	      "user push with BPF_NOEXIST: EINVAL");
	CHECK(bpf_map__lookup_elem(b, NULL, 0, &v, sizeof(v), 0) == 0, "user peek of 424242");
	v = 5 + 39 * BLOOM_STEP;
	CHECK(bpf_map__lookup_elem(b, NULL, 0, &v, sizeof(v), 0) == 0,
	      "user peek of what the program pushed");
	io.arg[0] = 1;
	io.arg[1] = 424242;
	io.arg[2] = 1;
	if (run("xdp_bloom", &io, 1))
		return;
	CHECK(io.ret[2] == 1, "the program finds what user space pushed");
	w = 77;
	CHECK(bpf_map__lookup_elem(e, NULL, 0, &w, sizeof(w), 0) == -ENOENT,
	      "user peek of the empty filter: ENOENT");
	CHECK(bpf_map__delete_elem(b, NULL, 0, 0) == -EOPNOTSUPP, "delete: EOPNOTSUPP");
	CHECK(bpf_map__get_next_key(b, NULL, &v, 0) == -EOPNOTSUPP, "get_next_key: EOPNOTSUPP");
}

/* ---- access flags, freezing, mmap ---- */

static __u64 get(struct bpf_map *m, __u32 k, int *err)
{
	__u64 v = 0;

	*err = bpf_map__lookup_elem(m, &k, sizeof(k), &v, sizeof(v), 0);
	return v;
}

static int put(struct bpf_map *m, __u32 k, __u64 v)
{
	return bpf_map__update_elem(m, &k, sizeof(k), &v, sizeof(v), BPF_ANY);
}

static void flags(void)
{
	struct bpf_map *ro = map_of("ro_prog"), *wo = map_of("wo_prog"), *rou = map_of("ro_user"),
		       *wou = map_of("wo_user"), *fz = map_of("frozen"), *mm = map_of("mmapable"),
		       *rom = map_of("ro_prog_mm");
	long page = sysconf(_SC_PAGESIZE);
	volatile __u64 *p, *q;
	struct io io = {0};
	int err;

	if (!ro || !wo || !rou || !wou || !fz || !mm || !rom)
		return;
	/* the flags as the maps report them; BPF_F_RDONLY and BPF_F_WRONLY are the
	 * fd's, not the map's */
	{
		struct bpf_map *ms[] = {ro, wo, rou, wou, mm, rom};
		const __u32 want[] = {BPF_F_RDONLY_PROG,
				      BPF_F_WRONLY_PROG,
				      0,
				      0,
				      BPF_F_MMAPABLE,
				      BPF_F_RDONLY_PROG | BPF_F_MMAPABLE};

		for (int i = 0; i < 6; i++) {
			struct bpf_map_info info;
			__u32 len = sizeof(info);

			memset(&info, 0, sizeof(info));
			CHECK(bpf_obj_get_info_by_fd(bpf_map__fd(ms[i]), &info, &len) == 0 &&
				      info.map_flags == want[i],
			      "%s: map_flags 0x%x, want 0x%x", bpf_map__name(ms[i]), info.map_flags,
			      want[i]);
		}
	}
	for (__u32 k = 0; k < 4; k++)
		CHECK(put(ro, k, k + 1) == 0, "user space writes ro_prog[%u]", k);
	CHECK(put(wou, 0, 77) == 0, "user space writes wo_user");
	get(wou, 0, &err);
	CHECK(err == -EPERM, "user space may not read wo_user: %d", err);
	CHECK(put(rou, 0, 1) == -EPERM, "user space may not write ro_user");
	get(rou, 0, &err);
	CHECK(err == 0, "user space reads ro_user: %d", err);
	CHECK(bpf_map__delete_elem(rou, &(__u32){0}, 4, 0) == -EPERM,
	      "user space may not delete from ro_user");
	/* array elements always exist */
	CHECK(bpf_map__update_elem(fz, &(__u32){0}, 4, &(__u64){5}, 8, BPF_NOEXIST) == -EEXIST,
	      "array BPF_NOEXIST: EEXIST");
	CHECK(put(fz, 0, 5) == 0, "frozen[0] = 5 before the freeze");
	CHECK(bpf_map_freeze(bpf_map__fd(fz)) == 0, "freeze");
	/* a frozen map's fd has lost write access: the kernel answers EPERM */
	CHECK(bpf_map_freeze(bpf_map__fd(fz)) == -EPERM, "freeze twice: EPERM");
	CHECK(put(fz, 0, 6) == -EPERM, "user space may not write a frozen map");
	CHECK(get(fz, 0, &err) == 5 && err == 0, "user space reads a frozen map");

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(mm), 0);
	CHECK(p != MAP_FAILED, "mmap of the mmapable array: %s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	p[0] = 31;
	CHECK(get(mm, 0, &err) == 31 && err == 0, "a store through the mapping, read by lookup");
	err = bpf_map_freeze(bpf_map__fd(mm));
	CHECK(err == -EBUSY, "no freeze while a writable mapping exists: %d, want EBUSY", err);

	/* what programs may not write, user space may not map writable */
	CHECK(put(rom, 0, 55) == 0, "user space writes ro_prog_mm");
	q = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(rom), 0);
	CHECK(q == MAP_FAILED && errno == EACCES,
	      "no writable mapping of a BPF_F_RDONLY_PROG map: %s",
	      q == MAP_FAILED ? strerror(errno) : "mapped");
	if (q != MAP_FAILED)
		munmap((void *)(uintptr_t)q, page);
	q = mmap(NULL, page, PROT_READ, MAP_SHARED, bpf_map__fd(rom), 0);
	CHECK(q != MAP_FAILED && q[0] == 55, "a read-only mapping of ro_prog_mm: %s",
	      q == MAP_FAILED ? strerror(errno) : "mapped");
	if (q != MAP_FAILED) {
		/* the kernel drops VM_MAYWRITE from a read-only mapping of a map */
		err = mprotect((void *)(uintptr_t)q, page, PROT_READ | PROT_WRITE);
		CHECK(err && errno == EACCES, "mprotect makes ro_prog_mm's mapping writable: %s",
		      err ? strerror(errno) : "it did");
		munmap((void *)(uintptr_t)q, page);
	}

	io.arg[0] = 11;
	io.arg[1] = 12;
	io.arg[2] = 13;
	io.arg[3] = 14;
	if (!run("xdp_flags", &io, 1)) {
		CHECK(io.ret[0] == 10, "the program sums ro_prog: %lld", (long long)io.ret[0]);
		CHECK(io.ret[1] == 0, "the program updates wo_prog: %lld", (long long)io.ret[1]);
		CHECK(get(wo, 0, &err) == 11 && err == 0 && get(wo, 1, &err) == 12 && err == 0,
		      "user space reads what the program wrote to wo_prog");
		CHECK(get(rou, 0, &err) == 13 && err == 0,
		      "the program writes ro_user, user space reads it");
		CHECK(io.ret[2] == 77, "the program reads wo_user: %lld", (long long)io.ret[2]);
		CHECK(io.ret[3] == 0 && get(fz, 0, &err) == 6 && get(fz, 1, &err) == 14,
		      "programs still write a frozen map: update %lld", (long long)io.ret[3]);
		CHECK(io.ret[4] == 31, "the program reads the mapping's store: %lld",
		      (long long)io.ret[4]);
		CHECK(p[1] == 14, "the mapping shows the program's store: %llu",
		      (unsigned long long)p[1]);
		CHECK(io.ret[5] == 55, "the program reads ro_prog_mm: %lld", (long long)io.ret[5]);
	}
	munmap((void *)(uintptr_t)p, page);
	/* the writable mapping gone, the map freezes; then it maps read-only only */
	err = bpf_map_freeze(bpf_map__fd(mm));
	CHECK(err == 0, "freeze once the mapping is gone: %d", err);
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(mm), 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "no writable mapping of a frozen map: %s",
	      p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p != MAP_FAILED)
		munmap((void *)(uintptr_t)p, page);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, bpf_map__fd(mm), 0);
	CHECK(p != MAP_FAILED && p[0] == 31 && p[1] == 14, "a read-only mapping of a frozen map");
	if (p != MAP_FAILED) {
		err = mprotect((void *)(uintptr_t)p, page, PROT_READ | PROT_WRITE);
		CHECK(err && errno == EACCES, "mprotect makes a frozen map's mapping writable: %s",
		      err ? strerror(errno) : "it did");
		munmap((void *)(uintptr_t)p, page);
	}
}

/* ---- .kconfig externs ---- */

/* The value libbpf put in the .kconfig map for the extern name: its offset
 * and size from the object's BTF (libbpf lays them out), read from the map's
 * initial value. Returns -1 if it is not there. */
static long long kconfig_value(const char *name, const unsigned char *data, size_t size)
{
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	__s32 id;

	id = btf ? btf__find_by_name_kind(btf, ".kconfig", BTF_KIND_DATASEC) : -1;
	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		__u64 v = 0;

		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->offset + vs->size > size || vs->size > 8)
			return -1;
		memcpy(&v, data + vs->offset, vs->size); /* little-endian */
		return (long long)v;
	}
	return -1;
}

static void kconfig(void)
{
	static const char *const names[] = {
		"LINUX_KERNEL_VERSION",
		"CONFIG_BPF_SYSCALL",
		"CONFIG_HZ",
		"CONFIG_BPF_JIT",
		"CONFIG_BPFHOST_NO_SUCH_OPTION",
	};
	struct bpf_map *m = map_of(".kconfig");
	const unsigned char *data;
	unsigned char *copy;
	struct utsname u;
	struct io io = {0};
	size_t size = 0;
	__u32 zero = 0;
	long long want;

	if (!m)
		return;
	data = bpf_map__initial_value(m, &size);
	CHECK(data != NULL && size > 0, ".kconfig's data: %zu bytes", size);
	if (!data || run("xdp_kconfig", &io, 1))
		return;
	/* the map holds what libbpf computed */
	copy = calloc(1, size);
	CHECK(copy && bpf_map__lookup_elem(m, &zero, sizeof(zero), copy, size, 0) == 0 &&
		      !memcmp(copy, data, size),
	      ".kconfig's map holds libbpf's values");
	free(copy);
	for (int i = 0; i < 5; i++) {
		want = kconfig_value(names[i], data, size);
		CHECK(want >= 0 && io.ret[i] == want, "%s: the program reads %lld, libbpf set %lld",
		      names[i], (long long)io.ret[i], want);
	}
	{
		struct btf *btf = bpf_object__btf(obj);
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		__s32 id = btf__find_by_name_kind(btf, ".kconfig", BTF_KIND_DATASEC);
		bool found = false;

		sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
		vs = sec ? btf_var_secinfos(sec) : NULL;
		for (int i = 0; sec && i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, var->name_off),
				   "CONFIG_DEFAULT_HOSTNAME") ||
			    vs->offset + 8 > size)
				continue;
			found = true;
			CHECK(!memcmp(&io.ret[5], data + vs->offset, 8),
			      "CONFIG_DEFAULT_HOSTNAME: the program reads \"%.8s\", libbpf set "
			      "\"%.8s\"",
			      (const char *)&io.ret[5], (const char *)data + vs->offset);
		}
		CHECK(found, "CONFIG_DEFAULT_HOSTNAME in .kconfig");
	}
	CHECK(io.ret[4] == 0, "a missing __weak option is 0: %lld", (long long)io.ret[4]);
	CHECK(io.ret[1] == 0 || io.ret[1] == 1, "a bool: %lld", (long long)io.ret[1]);
	/* libbpf takes the version from uname's release (Debian and Ubuntu
	 * kernels aside) */
	if (!uname(&u) && !strstr(u.version, "Debian ") &&
	    access("/proc/version_signature", F_OK) != 0) {
		unsigned a = 0, b = 0, c = 0;

		if (sscanf(u.release, "%u.%u.%u", &a, &b, &c) == 3) {
			want = (a << 16) + (b << 8) + (c > 255 ? 255 : c);
			CHECK(io.ret[0] == want, "LINUX_KERNEL_VERSION %lld, uname %s: %lld",
			      (long long)io.ret[0], u.release, want);
		}
	}
	printf("kconfig: version 0x%llx, BPF_SYSCALL %lld, HZ %lld, BPF_JIT %lld\n",
	       (unsigned long long)io.ret[0], (long long)io.ret[1], (long long)io.ret[2],
	       (long long)io.ret[3]);
}

/* ---- global data ---- */

/* Before load: .data and .data.extra read through bpf_map__initial_value and
 * replaced with bpf_map__set_initial_value; .bss written in place, where a
 * skeleton's pointers point; .rodata replaced. */
static void global_before_load(void)
{
	struct bpf_map *d = map_of(".data"), *b = map_of(".bss"), *r = map_of(".rodata"),
		       *x = map_of(".data.extra");
	const struct ro_s ro = {.mul = 3, .add = 7, .tab = {1, 2, 3}};
	const void *p;
	size_t sz = 0;

	if (!d || !b || !r || !x)
		return;
	p = bpf_map__initial_value(d, &sz);
	CHECK(p && sz == 4 * sizeof(__u32), ".data: %zu bytes", sz);
	if (p && sz == 4 * sizeof(__u32)) {
		const __u32 want[4] = {1, 2, 3, 4};
		__u32 set[4];

		CHECK(!memcmp(p, want, sizeof(want)), ".data as compiled");
		memcpy(set, p, sizeof(set));
		for (int i = 0; i < 4; i++)
			set[i] += 4;
		CHECK(bpf_map__set_initial_value(d, set, sizeof(set)) == 0, "set .data");
	}
	p = bpf_map__initial_value(b, &sz);
	CHECK(p && sz == sizeof(struct bss_s), ".bss: %zu bytes", sz);
	if (p && sz == sizeof(struct bss_s))
		((struct bss_s *)(uintptr_t)p)->runs = 100;
	p = bpf_map__initial_value(x, &sz);
	CHECK(p && sz == sizeof(__u64) && *(const __u64 *)p == 5, ".data.extra: %zu bytes", sz);
	CHECK(bpf_map__set_initial_value(x, &(__u64){50}, sizeof(__u64)) == 0, "set .data.extra");
	p = bpf_map__initial_value(r, &sz);
	CHECK(p && sz == sizeof(ro), ".rodata: %zu bytes", sz);
	if (p && sz == sizeof(ro)) {
		const struct ro_s want = {1, 0, {10, 20, 30}};

		CHECK(!memcmp(p, &want, sizeof(want)), ".rodata as compiled");
	}
	CHECK(bpf_map__set_initial_value(r, &ro, sizeof(ro)) == 0, "set .rodata");
}

/* The map's one value: a shared mapping of it (libbpf 1.1 maps internal
 * maps only for skeletons, so bpf_map__initial_value stays libbpf's copy). */
static void *map_mmap(struct bpf_map *m)
{
	void *p;

	CHECK(bpf_map__map_flags(m) & BPF_F_MMAPABLE, "%s is mmapable", bpf_map__name(m));
	p = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m),
		 0);
	CHECK(p != MAP_FAILED, "mmap %s: %s", bpf_map__name(m), strerror(errno));
	return p == MAP_FAILED ? NULL : p;
}

static void global(void)
{
	struct bpf_map *d = map_of(".data"), *b = map_of(".bss"), *r = map_of(".rodata"),
		       *x = map_of(".data.extra");
	struct bss_s bv = {0}, *bss;
	__u32 dv[4] = {0}, *data, zero = 0;
	__u64 xv = 0, *extra;
	struct ro_s rv = {0};
	struct io io = {0};
	int err;

	if (!d || !b || !r || !x)
		return;
	CHECK(bpf_map__map_flags(r) & BPF_F_RDONLY_PROG, ".rodata is read-only for programs");
	/* sum = (5 + 6 + 7 + 8) * 3 + (1 + 2 + 3) + 7 + 50 */
	io.arg[0] = 1;
	if (run("xdp_global", &io, 1))
		return;
	CHECK(io.ret[0] == 141 && io.ret[1] == 101,
	      "the program reads what was set before load: sum %lld, runs %lld",
	      (long long)io.ret[0], (long long)io.ret[1]);
	err = bpf_map__lookup_elem(b, &zero, 4, &bv, sizeof(bv), 0);
	CHECK(err == 0 && bv.runs == 101 && bv.last == 141 && bv.small[0] == 0 && bv.small[1] == 1,
	      ".bss: runs %llu, last %llu, small %u %u", (unsigned long long)bv.runs,
	      (unsigned long long)bv.last, bv.small[0], bv.small[1]);
	err = bpf_map__lookup_elem(d, &zero, 4, dv, sizeof(dv), 0);
	CHECK(err == 0 && dv[0] == 5 && dv[1] == 7 && dv[2] == 7 && dv[3] == 8,
	      ".data: %u %u %u %u", dv[0], dv[1], dv[2], dv[3]);
	err = bpf_map__lookup_elem(x, &zero, 4, &xv, sizeof(xv), 0);
	CHECK(err == 0 && xv == 150, ".data.extra: %llu", (unsigned long long)xv);
	err = bpf_map__lookup_elem(r, &zero, 4, &rv, sizeof(rv), 0);
	CHECK(err == 0 && rv.mul == 3 && rv.add == 7 && rv.tab[2] == 3, ".rodata: mul %u, add %u",
	      rv.mul, rv.add);
	rv.mul = 1000;
	CHECK(bpf_map__update_elem(r, &zero, 4, &rv, sizeof(rv), BPF_ANY) == -EPERM,
	      ".rodata is frozen");

	/* through shared mappings, both ways */
	bss = map_mmap(b);
	data = map_mmap(d);
	extra = map_mmap(x);
	if (!bss || !data || !extra)
		goto out;
	CHECK(bss->runs == 101 && bss->last == 141 && data[1] == 7 && *extra == 150,
	      "the mappings: runs %llu, last %llu, data[1] %u, extra %llu",
	      (unsigned long long)bss->runs, (unsigned long long)bss->last, data[1],
	      (unsigned long long)*extra);
	bss->runs = 500;
	data[0] = 0;
	*extra = 1;
	/* sum = (0 + 7 + 7 + 8) * 3 + 6 + 7 + 1 */
	io.arg[0] = 3;
	if (!run("xdp_global", &io, 1)) {
		CHECK(io.ret[0] == 80 && io.ret[1] == 501,
		      "the program reads the mappings' stores: sum %lld, runs %lld",
		      (long long)io.ret[0], (long long)io.ret[1]);
		CHECK(bss->runs == 501 && bss->last == 80 && bss->small[1] == 2 && data[3] == 9 &&
			      *extra == 101,
		      "the mappings show the program's stores: runs %llu, last %llu, data[3] %u, "
		      "extra %llu",
		      (unsigned long long)bss->runs, (unsigned long long)bss->last, data[3],
		      (unsigned long long)*extra);
	}
out:
	if (bss)
		munmap(bss, sysconf(_SC_PAGESIZE));
	if (data)
		munmap(data, sysconf(_SC_PAGESIZE));
	if (extra)
		munmap(extra, sysconf(_SC_PAGESIZE));
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: test_maptypes OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	ncpus = libbpf_num_possible_cpus();
	CHECK(ncpus > 0, "possible CPUs: %d", ncpus);
	if (ncpus <= 0)
		return TEST_DONE();
	pin_cpu();
	obj = bpf_object__open_file(argv[1], NULL);
	CHECK(obj != NULL, "open %s: %s", argv[1], strerror(errno));
	if (!obj)
		return TEST_DONE();
	global_before_load();
	err = test_load_object(obj);
	if (err > 0) {
		bpf_object__close(obj);
		return 0;
	}
	if (!err) {
		percpu();
		lru();
		hashes();
		lpm();
		stackq();
		bloom();
		flags();
		kconfig();
		global();
	}
	bpf_object__close(obj);
	return TEST_DONE();
}
