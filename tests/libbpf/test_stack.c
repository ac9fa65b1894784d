/* Stack traces (tests/bpf/stack.bpf.c): BPF_MAP_TYPE_STACK_TRACE and
 * bpf_get_stackid, bpf_get_stack, bpf_get_task_stack, on both backends.
 *
 * The programs ask for the user stack of a known call chain of this binary,
 * caller -> stack_outer -> stack_middle -> stack_target, built with frame
 * pointers (stack_target in a section of its own, so its address range is
 * known): against the kernel (-DKERNEL_BACKEND) a uprobe on stack_target,
 * against bpfhost the same program run with bpfhost_prog_run on the
 * registers of stack_target's entry. Both must give the chain: stack_target,
 * then the return addresses into stack_middle, stack_outer and the caller.
 * The stack ids follow from it: the test computes each as the kernel does
 * (jhash2 of the ips, masked to the buckets) and replays the map updates
 * (collisions, BPF_F_REUSE_STACKID, BPF_F_FAST_STACK_CMP, the preallocated
 * elements running out) to know every result and what user space then reads.
 * A raw tracepoint program test-run from stack_target sees the stack of the
 * code that ran it (the kernel: the user registers at the bpf() syscall;
 * bpfhost: where bpfhost was called), from stack_middle's return address on
 * the same.
 * Also on both: map creation's errnos, user-space lookup, update, delete,
 * next key, what the helpers refuse. bpfhost only: the raw tracepoint program
 * run with bpfhost_prog_run from stack_target, on the main thread and on
 * another (the whole chain), registers that lead nowhere (the walk ends,
 * nothing crashes), a perf event's registers, the verdicts the kernel's
 * verifier gives that bpfhost gives at run time.
 * Usage: test_stack OBJ */
#include <asm/ptrace.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <linux/bpf_perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"
#ifndef KERNEL_BACKEND
#include "bpfhost.h"
#endif

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define DEPTH 16
#define NIDS 32
#define USER BPF_F_USER_STACK
#define FAST BPF_F_FAST_STACK_CMP
#define REUSE BPF_F_REUSE_STACKID
#define USER_CS 0x33
#define MAX_STACK 127 /* kernel.perf_event_max_stack */

#ifdef KERNEL_BACKEND
#define VERIFIER_CHECK(cond, ...) CHECK(cond, __VA_ARGS__)
#else
static int verifier_gaps; /* verdicts of the kernel's verifier bpfhost does not give */
#define VERIFIER_CHECK(cond, ...) (verifier_gaps += !(cond))
#endif

static struct bpf_object *obj;
static struct bpf_program *p_probe, *p_tp, *p_raw, *p_pe;
static struct bpf_map *bss;

/* ---- the call chain ---- */

enum phase { PH_PROBE, PH_TESTRUN, PH_HOSTRUN };

/* return addresses as the chain's functions saw them: into stack_middle
 * (from stack_target), stack_outer, the caller of stack_outer */
static volatile uint64_t ret_middle, ret_outer, ret_caller;
static int test_run_err;
#ifndef KERNEL_BACKEND
static unsigned long long host_ret;
static int host_err;
static char host_msg[256];
#endif

extern char __start_stk_target[], __stop_stk_target[];

/* The probed function. The kernel's uprobe fires on its first instruction;
 * bpfhost's program runs on the registers as they were there: ip at the
 * function, sp at the return address, bp the caller's frame. */
__attribute__((noinline, noclone, used, section("stk_target"))) int stack_target(int phase);
__attribute__((noinline, noclone, used, section("stk_target"))) int stack_target(int phase)
{
	__u64 args[1] = {7};
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = sizeof(args));

	ret_middle = (uint64_t)(uintptr_t)__builtin_return_address(0);
	if (phase == PH_TESTRUN)
		test_run_err = bpf_prog_test_run_opts(bpf_program__fd(p_tp), &o);
#ifndef KERNEL_BACKEND
	if (phase == PH_PROBE) {
		uint64_t *frame = __builtin_frame_address(0);
		struct pt_regs regs;

		memset(&regs, 0, sizeof(regs));
		regs.rip = (unsigned long)(uintptr_t)stack_target;
		regs.rsp = (unsigned long)(uintptr_t)(frame + 1);
		regs.rbp = (unsigned long)frame[0];
		regs.cs = USER_CS;
		host_err = bpfhost_prog_run(bpf_program__fd(p_probe), &regs, sizeof(regs),
					    &host_ret, host_msg, sizeof(host_msg));
	}
	if (phase == PH_HOSTRUN)
		host_err = bpfhost_prog_run(bpf_program__fd(p_tp), args, sizeof(args), &host_ret,
					    host_msg, sizeof(host_msg));
#endif
	__asm__ volatile("" ::: "memory");
	return phase + 1;
}

__attribute__((noinline, noclone)) static int stack_middle(int phase)
{
	int r;

	ret_outer = (uint64_t)(uintptr_t)__builtin_return_address(0);
	r = stack_target(phase);
	__asm__ volatile("" ::: "memory");
	return r + 1;
}

__attribute__((noinline, noclone)) static int stack_outer(int phase)
{
	int r;

	ret_caller = (uint64_t)(uintptr_t)__builtin_return_address(0);
	r = stack_middle(phase);
	__asm__ volatile("" ::: "memory");
	return r + 1;
}

/* ---- helpers ---- */

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* The offset and size of global name in .bss, from the object's BTF. */
static int var_find(const char *name, __u32 *size)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *t;
	int id = btf ? btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC) : -1;

	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		if (!strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off),
			    name)) {
			*size = vs->size;
			return (int)vs->offset;
		}
	}
	return -1;
}

/* Global name of .bss (size bytes) into out. */
static void bss_get(const char *name, void *out, size_t size)
{
	static unsigned char buf[65536];
	__u32 sz = 0, zero = 0;
	int off = var_find(name, &sz);

	memset(out, 0, size);
	CHECK(off >= 0 && sz == size, "%s in .bss: offset %d, %u bytes, the test has %zu", name,
	      off, sz, size);
	if (off < 0 || sz != size || bpf_map__value_size(bss) > sizeof(buf))
		return;
	CHECK(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, buf) == 0, "read .bss: %s",
	      strerror(errno));
	memcpy(out, buf + off, size);
}

static __s64 bss_s64(const char *name)
{
	__s64 v;

	bss_get(name, &v, sizeof(v));
	return v;
}

static int map_fd(const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	CHECK(m != NULL, "map %s", name);
	return m ? bpf_map__fd(m) : -1;
}

/* The kernel's jhash2 (lookup3's hashword), the test's own copy. */
#define ROL(x, k) (((x) << (k)) | ((x) >> (32 - (k))))
static uint32_t jhash2(const uint32_t *k, uint32_t n, uint32_t init)
{
	uint32_t a, b, c;

	a = b = c = 0xdeadbeef + (n << 2) + init;
	while (n > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		a -= c, a ^= ROL(c, 4), c += b;
		b -= a, b ^= ROL(a, 6), a += c;
		c -= b, c ^= ROL(b, 8), b += a;
		a -= c, a ^= ROL(c, 16), c += b;
		b -= a, b ^= ROL(a, 19), a += c;
		c -= b, c ^= ROL(b, 4), b += a;
		n -= 3;
		k += 3;
	}
	switch (n) {
	case 3: c += k[2]; /* fall through */
	case 2: b += k[1]; /* fall through */
	case 1:
		a += k[0];
		c ^= b, c -= ROL(b, 14);
		a ^= c, a -= ROL(c, 11);
		b ^= a, b -= ROL(a, 25);
		c ^= b, c -= ROL(b, 16);
		a ^= c, a -= ROL(c, 4);
		b ^= a, b -= ROL(a, 14);
		c ^= b, c -= ROL(b, 24);
		break;
	default: break;
	}
	return c;
}

static uint32_t ips_hash(const uint64_t *ips, uint32_t nr)
{
	uint32_t w[2 * MAX_STACK];

	memcpy(w, ips, nr * 8);
	return jhash2(w, 2 * nr, 0);
}

/* ---- what the test knows of itself: build id, file offsets ---- */

static unsigned char own_build_id[BPF_BUILD_ID_SIZE];

/* The GNU build id of /proc/self/exe, read from the file with libelf. */
static bool read_build_id(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	bool found = false;
	Elf_Scn *scn = NULL;
	Elf *e;

	elf_version(EV_CURRENT);
	e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	while (e && !found && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		while (!found && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + name_off, "GNU", 4) && nh.n_descsz > 0 &&
			    nh.n_descsz <= BPF_BUILD_ID_SIZE) {
				memcpy(own_build_id, (char *)d->d_buf + desc_off, nh.n_descsz);
				found = true;
			}
		}
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	return found;
}

/* The file offset ip is mapped from, from /proc/self/maps; ~0 if none. */
static uint64_t file_offset(uint64_t ip)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long start, end, off, found = ~0ull;
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx %*s %llx", &start, &end, &off) == 3 && ip >= start &&
		    ip < end)
			found = off + ip - start;
	if (f)
		fclose(f);
	return found;
}

static void expect_build_id(const struct bpf_stack_build_id *r, uint64_t ip, const char *what)
{
	uint64_t off = file_offset(ip);

	CHECK(r->status == BPF_STACK_BUILD_ID_VALID &&
		      !memcmp(r->build_id, own_build_id, BPF_BUILD_ID_SIZE) && r->offset == off,
	      "%s: status %d offset %#llx, build id %s; want valid, offset %#llx of ip %#llx", what,
	      r->status, (unsigned long long)r->offset,
	      memcmp(r->build_id, own_build_id, BPF_BUILD_ID_SIZE) ? "other" : "the test's",
	      (unsigned long long)off, (unsigned long long)ip);
}

/* ---- map creation and user-space operations ---- */

static int create(__u32 key, __u32 value, __u32 max, __u32 flags, __u64 extra)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = flags, .map_extra = extra);
	int fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, NULL, key, value, max, &o);

	return fd < 0 ? -errno : fd;
}

static void creation(void)
{
	static const struct {
		__u32 key, value, max, flags;
		__u64 extra;
		int err;
	} c[] = {
		{4, 8, 1, 0, 0, 0},
		{4, 8 * MAX_STACK, 1000, 0, 0, 0},
		{4, 8, 0, 0, 0, -EINVAL},
		{8, 8, 1, 0, 0, -EINVAL},
		{0, 8, 1, 0, 0, -EINVAL},
		{4, 0, 1, 0, 0, -EINVAL},
		{4, 4, 1, 0, 0, -EINVAL},
		{4, 12, 1, 0, 0, -EINVAL},
		{4, 8 * (MAX_STACK + 1), 1, 0, 0, -EINVAL},
		{4, 32, 3, BPF_F_STACK_BUILD_ID, 0, 0},
		{4, 32 * MAX_STACK, 1, BPF_F_STACK_BUILD_ID, 0, 0},
		{4, 16, 1, BPF_F_STACK_BUILD_ID, 0, -EINVAL},
		{4, 40, 1, BPF_F_STACK_BUILD_ID, 0, -EINVAL},
		{4, 32 * (MAX_STACK + 1), 1, BPF_F_STACK_BUILD_ID, 0, -EINVAL},
		{4, 8, (1u << 31) + 1, 0, 0, -E2BIG},
		{4, 8, UINT_MAX, 0, 0, -E2BIG},
		{4, 8, 1, BPF_F_NO_PREALLOC, 0, -EINVAL},
		{4, 8, 1, BPF_F_ZERO_SEED, 0, -EINVAL},
		{4, 8, 1, BPF_F_RDONLY_PROG, 0, -EINVAL},
		{4, 8, 1, BPF_F_MMAPABLE, 0, -EINVAL},
		{4, 8, 1, BPF_F_RDONLY, 0, 0},
		{4, 8, 1, BPF_F_WRONLY, 0, 0},
		{4, 8, 1, BPF_F_NUMA_NODE, 0, 0},
		{4, 8, 1, 0, 1, -EINVAL},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int fd = create(c[i].key, c[i].value, c[i].max, c[i].flags, c[i].extra);

		CHECK(c[i].err ? fd == c[i].err : fd >= 0,
		      "create key %u value %u max_entries %u flags %#x map_extra %llu: %d, want %d",
		      c[i].key, c[i].value, c[i].max, c[i].flags, (unsigned long long)c[i].extra,
		      fd, c[i].err);
		if (fd >= 0)
			close(fd);
	}
}

/* Types in BTF: the kernel's stack maps take none (map_check_no_btf), after
 * checking that they describe the key and the value. */
static void creation_btf(void)
{
	struct btf *btf = btf__new_empty();
	int u32 = btf ? btf__add_int(btf, "unsigned int", 4, 0) : -1;
	int u64 = btf ? btf__add_int(btf, "long long unsigned int", 8, 0) : -1;
	int fd = -1, r;

	CHECK(btf && u32 > 0 && u64 > 0 && btf__load_into_kernel(btf) == 0, "BTF: %s",
	      strerror(errno));
	if (btf && u32 > 0 && u64 > 0 && btf__fd(btf) >= 0) {
		LIBBPF_OPTS(bpf_map_create_opts, o, .btf_fd = btf__fd(btf), .btf_key_type_id = u32,
			    .btf_value_type_id = u64);

		fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, NULL, 4, 8, 1, &o);
		r = fd < 0 ? -errno : 0;
		CHECK(r == -ENOTSUPP, "create with BTF types: %d, the kernel gives -ENOTSUPP", r);
#ifdef KERNEL_BACKEND
		/* bpfhost refuses the types before it looks at them: ENOTSUPP */
		o.btf_key_type_id = u64; /* 8 bytes: not the key's 4 */
		fd = fd < 0 ? bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, NULL, 4, 8, 1, &o) : fd;
		r = fd < 0 ? -errno : 0;
		CHECK(r == -EINVAL, "create with a key type of the wrong size: %d", r);
#endif
	}
	if (fd >= 0)
		close(fd);
	btf__free(btf);
}

/* An empty map of max_entries 3 (4 buckets): nothing to find; no update. */
static void user_ops(void)
{
	int fd = create(4, 16, 3, 0, 0);
	__u64 value[2] = {1, 2};
	__u32 key = 0, next = 77, keys[4], count = 4;
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	int r;

	CHECK(fd >= 0, "create: %d", fd);
	if (fd < 0)
		return;
	for (key = 0; key < 6; key++) {
		r = bpf_map_lookup_elem(fd, &key, value);
		CHECK(r == -ENOENT, "lookup %u of an empty map: %d", key, r);
		r = bpf_map_update_elem(fd, &key, value, BPF_ANY);
		CHECK(r == -EINVAL, "update %u: %d, the kernel gives -EINVAL", key, r);
		r = bpf_map_update_elem(fd, &key, value, BPF_NOEXIST);
		CHECK(r == -EINVAL, "update %u BPF_NOEXIST: %d", key, r);
		r = bpf_map_delete_elem(fd, &key);
		/* ids are below the buckets (4): E2BIG past them */
		CHECK(r == (key < 4 ? -ENOENT : -E2BIG), "delete %u: %d", key, r);
		r = bpf_map_lookup_and_delete_elem(fd, &key, value);
		CHECK(r == -ENOENT, "lookup_and_delete %u: %d", key, r);
	}
	r = bpf_map_get_next_key(fd, NULL, &next);
	CHECK(r == -ENOENT, "next key of none: %d", r);
	key = 2;
	r = bpf_map_get_next_key(fd, &key, &next);
	CHECK(r == -ENOENT && next == 77, "next key after 2: %d %u", r, next);
	r = bpf_map_lookup_elem_flags(fd, &key, value, BPF_F_LOCK);
	CHECK(r == -EINVAL, "lookup with BPF_F_LOCK: %d", r);
	r = bpf_map_lookup_batch(fd, NULL, &next, keys, value, &count, &bo);
	CHECK(r == -ENOTSUPP, "lookup batch: %d, the kernel gives -ENOTSUPP", r);
	close(fd);
}

/* ---- the stack ids, replayed ---- */

enum { TINY, PAIR, THREE, DEEP, BID, BID2, NMAPS };

static const struct {
	const char *name;
	__u32 max_entries, entries; /* traces, entries per trace */
	bool build_id;
} maps[NMAPS] = {
	{"tiny", 1, 1, false},	{"pair", 2, 1, false}, {"three", 3, 1, false},
	{"deep", 16, 8, false}, {"bid", 1, 2, true},   {"bid2", 2, 2, true},
};

/* the calls of stack.bpf.c's probe, in its order */
static const struct {
	int map;
	__u64 flags;
} seq[] = {
	{TINY, USER},
	{TINY, USER},
	{TINY, USER | 1},
	{TINY, USER | 1 | FAST},
	{TINY, USER | 1 | REUSE},
	{TINY, USER | FAST},
	{TINY, 0},
	{TINY, USER | (1 << 12)},
	{TINY, USER | BPF_F_USER_BUILD_ID},
	{TINY, USER | 255},
	{PAIR, USER | REUSE},
	{PAIR, USER | 1 | REUSE},
	{PAIR, USER | 2 | REUSE},
	{PAIR, USER | 3 | REUSE},
	{PAIR, USER | REUSE},
	{THREE, USER},
	{THREE, USER | 1},
	{THREE, USER | 2},
	{THREE, USER | 3},
	{THREE, USER | 4},
	{THREE, USER | 5 | REUSE},
	{DEEP, USER},
	{DEEP, USER | 2},
	{DEEP, USER},
	{BID, USER},
	{BID, USER},
	{BID, USER | FAST},
	{BID, 0},
	{BID2, USER},
	{BID2, USER},
	{BID2, USER | 1},
};
#define SEQ_CNT (sizeof(seq) / sizeof(seq[0]))

struct bucket {
	bool used;
	uint32_t hash, nr;
	uint64_t ips[8];
};

/* A STACK_TRACE map as the kernel keeps it: buckets, and max_entries
 * preallocated elements (a new trace takes one before it gives the old one
 * back; a build-id map takes one before it compares). */
struct model {
	uint32_t n_buckets, free, entries;
	bool build_id;
	struct bucket b[16];
};

static long model_add(struct model *m, const uint64_t *ips, uint32_t nr, __u64 flags)
{
	uint32_t hash = ips_hash(ips, nr), id = hash & (m->n_buckets - 1);
	struct bucket *b = &m->b[id];
	bool match = b->used && b->hash == hash;

	if (match && (flags & FAST))
		return id;
	if (m->build_id && !m->free)
		return -ENOMEM;
	if (match && b->nr == nr && !memcmp(b->ips, ips, nr * 8))
		return id;
	if (b->used && !(flags & REUSE))
		return -EEXIST;
	if (!m->free)
		return -ENOMEM;
	m->free += b->used ? 0 : -1u;
	b->used = true;
	b->hash = hash;
	b->nr = nr;
	memcpy(b->ips, ips, nr * 8);
	return id;
}

static struct model models[NMAPS];

/* The user stack as the probe saw it: ustack (its first DEPTH entries,
 * known_all if that is all of it). */
static uint64_t stack_seen[DEPTH];
static uint32_t stack_known;
static bool known_all;

/* What bpf_get_stackid(ctx, map, flags) returns, from the model; -1000 if
 * the test cannot know (the trace reaches past what it saw). */
static long expect_id(int mi, __u64 flags)
{
	struct model *m = &models[mi];
	uint32_t skip = flags & BPF_F_SKIP_FIELD_MASK, want = m->entries, nr;

	if (flags & ~(__u64)(BPF_F_SKIP_FIELD_MASK | USER | FAST | REUSE))
		return -EINVAL;
	if (!(flags & USER))
		return -EFAULT; /* no kernel stack under a uprobe */
	if (want + skip > MAX_STACK)
		want = MAX_STACK > skip ? MAX_STACK - skip : 0;
	if (skip + want <= stack_known)
		nr = want;
	else if (known_all)
		nr = stack_known > skip ? stack_known - skip : 0;
	else
		return -1000;
	if (!nr)
		return -EFAULT;
	return model_add(m, stack_seen + skip, nr, flags);
}

static void check_map(int mi)
{
	const struct model *m = &models[mi];
	__u32 elem = m->build_id ? sizeof(struct bpf_stack_build_id) : 8;
	unsigned char value[16 * 32];
	int fd = map_fd(maps[mi].name);
	__u32 key, next, prev = 0;
	bool first = true;
	int r;

	if (fd < 0)
		return;
	for (key = 0; key <= m->n_buckets; key++) {
		const struct bucket *b = key < m->n_buckets ? &m->b[key] : NULL;

		memset(value, 0x5a, sizeof(value));
		r = bpf_map_lookup_elem(fd, &key, value);
		if (!b || !b->used) {
			CHECK(r == -ENOENT, "%s[%u]: lookup %d, want -ENOENT", maps[mi].name, key,
			      r);
			continue;
		}
		CHECK(r == 0, "%s[%u]: lookup %d", maps[mi].name, key, r);
		for (uint32_t i = 0; i < m->entries && !r; i++) {
			char what[64];

			snprintf(what, sizeof(what), "%s[%u] entry %u", maps[mi].name, key, i);
			if (i >= b->nr) {
				for (uint32_t j = 0; j < elem; j++)
					CHECK(value[i * elem + j] == 0, "%s: not zero", what);
			} else if (m->build_id) {
				struct bpf_stack_build_id rec;

				memcpy(&rec, value + i * elem, sizeof(rec));
				expect_build_id(&rec, b->ips[i], what);
			} else {
				uint64_t ip;

				memcpy(&ip, value + i * 8, 8);
				CHECK(ip == b->ips[i], "%s: %#llx, want %#llx", what,
				      (unsigned long long)ip, (unsigned long long)b->ips[i]);
			}
		}
	}
	/* the occupied buckets in order, then ENOENT; a key past the buckets
	 * or on an empty one starts over */
	for (key = 0; key < m->n_buckets; key++) {
		if (!m->b[key].used)
			continue;
		r = bpf_map_get_next_key(fd, first ? NULL : &prev, &next);
		CHECK(r == 0 && next == key, "%s: next key after %s%u: %d %u, want %u",
		      maps[mi].name, first ? "NULL " : "", prev, r, next, key);
		prev = key;
		first = false;
	}
	r = bpf_map_get_next_key(fd, first ? NULL : &prev, &next);
	CHECK(r == -ENOENT, "%s: next key at the end: %d", maps[mi].name, r);
	for (key = 0; key < m->n_buckets && m->b[key].used; key++)
		;
	key = key < m->n_buckets ? key : m->n_buckets;
	r = bpf_map_get_next_key(fd, &key, &next);
	for (prev = 0; prev < m->n_buckets && !m->b[prev].used; prev++)
		;
	CHECK(prev < m->n_buckets ? r == 0 && next == prev : r == -ENOENT,
	      "%s: next key after empty %u: %d %u, want the first occupied (%u)", maps[mi].name,
	      key, r, next, prev);
}

/* Taking traces out: the first by lookup_and_delete (its trace comes back),
 * the second by delete; then both are gone; E2BIG and ENOENT past the
 * buckets. The model forgets them too. */
static void check_delete(int mi)
{
	struct model *m = &models[mi];
	int fd = map_fd(maps[mi].name), r, done = 0;
	uint64_t value[16 * 4];
	__u32 key;

	for (key = 0; key < m->n_buckets && fd >= 0 && done < 2; key++) {
		struct bucket *b = &m->b[key];

		if (!b->used)
			continue;
		memset(value, 0x5a, sizeof(value));
		if (done++ == 0) {
			r = bpf_map_lookup_and_delete_elem(fd, &key, value);
			CHECK(r == 0 && (m->build_id || !memcmp(value, b->ips, b->nr * 8)),
			      "%s: lookup_and_delete %u: %d", maps[mi].name, key, r);
		} else {
			r = bpf_map_delete_elem(fd, &key);
			CHECK(r == 0, "%s: delete %u: %d", maps[mi].name, key, r);
		}
		b->used = false;
		m->free++;
		r = bpf_map_delete_elem(fd, &key);
		CHECK(r == -ENOENT, "%s: delete %u again: %d", maps[mi].name, key, r);
		r = bpf_map_lookup_elem(fd, &key, value);
		CHECK(r == -ENOENT, "%s: lookup %u deleted: %d", maps[mi].name, key, r);
		r = bpf_map_lookup_and_delete_elem(fd, &key, value);
		CHECK(r == -ENOENT, "%s: lookup_and_delete %u deleted: %d", maps[mi].name, key, r);
	}
	key = m->n_buckets;
	r = fd < 0 ? 0 : bpf_map_delete_elem(fd, &key);
	CHECK(r == -E2BIG, "%s: delete %u (past the buckets): %d", maps[mi].name, key, r);
	r = fd < 0 ? 0 : bpf_map_lookup_and_delete_elem(fd, &key, value);
	CHECK(fd < 0 || r == -ENOENT, "%s: lookup_and_delete %u (past the buckets): %d",
	      maps[mi].name, key, r);
}

/* ---- what the probe saw ---- */

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

/* The first entries of a user stack walked from stack_target's entry. */
static void expect_chain(const uint64_t *s, uint32_t n, const char *what)
{
	const uint64_t want[4] = {(uint64_t)(uintptr_t)stack_target, ret_middle, ret_outer,
				  ret_caller};

	CHECK(n >= 4, "%s: %u entries, want at least 4", what, n);
	for (uint32_t i = 0; i < 4 && i < n; i++)
		CHECK(s[i] == want[i], "%s[%u]: %#llx, want %#llx", what, i,
		      (unsigned long long)s[i], (unsigned long long)want[i]);
}

static void check_probe(void)
{
	uint64_t ustack[DEPTH], skip1[4], two[2], kstack[4], tstack[DEPTH];
	struct bpf_stack_build_id bids[3];
	__s64 ids[NIDS], err_ret[5], r;
	__u64 errbufs[5][4];

	CHECK(bss_s64("hits") == 1, "probe hits: %lld", (long long)bss_s64("hits"));
	bss_get("ustack", ustack, sizeof(ustack));
	r = bss_s64("ustack_ret");
	CHECK(r > 0 && r % 8 == 0 && r <= (__s64)sizeof(ustack), "bpf_get_stack: %lld",
	      (long long)r);
	stack_known = r > 0 ? (uint32_t)(r / 8) : 0;
	known_all = stack_known < DEPTH;
	memcpy(stack_seen, ustack, sizeof(ustack));
	expect_chain(ustack, stack_known, "user stack");
	CHECK(all_zero(ustack + stack_known, sizeof(ustack) - stack_known * 8),
	      "user stack: not zero past its %u entries", stack_known);

	/* skip 1, 4 entries; 2 entries */
	bss_get("skip1", skip1, sizeof(skip1));
	r = bss_s64("skip1_ret");
	CHECK(stack_known >= 5 ? r == 32 : r == (__s64)(stack_known - 1) * 8, "skip 1: %lld bytes",
	      (long long)r);
	CHECK(!memcmp(skip1, ustack + 1, (size_t)(r > 0 ? r : 0)), "skip 1: not the stack from 1");
	bss_get("two", two, sizeof(two));
	CHECK(bss_s64("two_ret") == 16 && !memcmp(two, ustack, 16), "2 entries: %lld",
	      (long long)bss_s64("two_ret"));

	/* no kernel stack (a uprobe's; bpfhost has none): nothing, or EFAULT
	 * with a skip */
	bss_get("kstack", kstack, sizeof(kstack));
	CHECK(bss_s64("kstack_ret") == 0 && all_zero(kstack, sizeof(kstack)),
	      "kernel stack: %lld, want 0 and the buffer zeroed", (long long)bss_s64("kstack_ret"));
	CHECK(bss_s64("kstack_skip_ret") == -EFAULT, "kernel stack, skip 1: %lld",
	      (long long)bss_s64("kstack_skip_ret"));

	/* refusals: -EINVAL, the size bytes of the buffer zeroed, not one more */
	bss_get("err_ret", err_ret, sizeof(err_ret));
	bss_get("errbufs", errbufs, sizeof(errbufs));
	for (int i = 0; i < 5; i++) {
		const size_t sizes[5] = {32, 12, 32, 32, 24};
		unsigned char ones[32];

		memset(ones, 0xff, sizeof(ones));
		CHECK(err_ret[i] == -EINVAL && all_zero(errbufs[i], sizes[i]) &&
			      !memcmp((unsigned char *)errbufs[i] + sizes[i], ones, 32 - sizes[i]),
		      "refused call %d: %lld, want -EINVAL and %zu bytes zeroed", i,
		      (long long)err_ret[i], sizes[i]);
	}
	CHECK(bss_s64("size0_ret") == 0, "size 0: %lld", (long long)bss_s64("size0_ret"));
	CHECK(bss_s64("skip255_ret") == -EFAULT, "skip 255: %lld",
	      (long long)bss_s64("skip255_ret"));

	/* build ids: the test binary's, at the ips' file offsets */
	bss_get("bids", bids, sizeof(bids));
	CHECK(bss_s64("bids_ret") == (__s64)sizeof(bids), "build ids: %lld",
	      (long long)bss_s64("bids_ret"));
	for (int i = 0; i < 3; i++) {
		char what[32];

		snprintf(what, sizeof(what), "build id %d", i);
		expect_build_id(&bids[i], ustack[i], what);
	}

	/* bpf_get_task_stack: the current task's is the probe's; its parent's
	 * user stack cannot be walked */
	bss_get("tstack", tstack, sizeof(tstack));
	CHECK(bss_s64("tstack_ret") == bss_s64("ustack_ret") &&
		      !memcmp(tstack, ustack, sizeof(ustack)),
	      "task stack: %lld bytes, want the probe's %lld", (long long)bss_s64("tstack_ret"),
	      (long long)bss_s64("ustack_ret"));
	CHECK(bss_s64("tparent_ret") == -EOPNOTSUPP, "parent's task stack: %lld, want -EOPNOTSUPP",
	      (long long)bss_s64("tparent_ret"));

	/* the ids */
	bss_get("ids", ids, sizeof(ids));
	for (int i = 0; i < NMAPS; i++) {
		models[i].n_buckets = 1;
		while (models[i].n_buckets < maps[i].max_entries)
			models[i].n_buckets <<= 1;
		models[i].free = maps[i].max_entries;
		models[i].entries = maps[i].entries;
		models[i].build_id = maps[i].build_id;
	}
	for (size_t i = 0; i < SEQ_CNT; i++) {
		long want = expect_id(seq[i].map, seq[i].flags);

		CHECK(want == -1000 || ids[i] == want,
		      "stackid %zu (%s, flags %#llx): %lld, want %ld", i, maps[seq[i].map].name,
		      (unsigned long long)seq[i].flags, (long long)ids[i], want);
	}
	for (int i = 0; i < NMAPS; i++)
		check_map(i);
	for (int i = 0; i < NMAPS; i++) {
		check_delete(i);
		check_map(i);
	}
}

/* The raw tracepoint program test-run from stack_target: the stack of the
 * code that ran it. Its first entry is where the run entered: the kernel's
 * is in libc's syscall(), bpfhost's in libbpf's caller of it; from there
 * the frames are stack_target's callers on both. */
static void check_tp(bool host)
{
	uint64_t s[DEPTH], m[DEPTH];
	__s64 r = bss_s64("tp_ret"), id = bss_s64("tp_id");
	const uint64_t want[3] = {ret_middle, ret_outer, ret_caller};
	int fd = map_fd("tp_map");

	bss_get("tp_stack", s, sizeof(s));
	CHECK(r >= 32 && r % 8 == 0, "%s: %lld bytes", host ? "bpfhost_prog_run" : "test run",
	      (long long)r);
	if (host)
		CHECK(s[0] >= (uintptr_t)__start_stk_target && s[0] < (uintptr_t)__stop_stk_target,
		      "bpfhost_prog_run: entry 0 %#llx is not in stack_target [%p, %p)",
		      (unsigned long long)s[0], (void *)__start_stk_target,
		      (void *)__stop_stk_target);
	else
		CHECK(s[0] != 0, "test run: entry 0 is 0");
	for (int i = 0; i < 3; i++)
		CHECK(s[i + 1] == want[i], "%s: entry %d %#llx, want %#llx",
		      host ? "bpfhost_prog_run" : "test run", i + 1, (unsigned long long)s[i + 1],
		      (unsigned long long)want[i]);
#ifdef KERNEL_BACKEND
	/* the kernel has a kernel stack for a test run */
	CHECK(bss_s64("tp_kernel_ret") > 0, "test run: kernel stack %lld",
	      (long long)bss_s64("tp_kernel_ret"));
#else
	CHECK(bss_s64("tp_kernel_ret") == 0, "no kernel stack: %lld",
	      (long long)bss_s64("tp_kernel_ret"));
#endif
	/* the same stack by id */
	CHECK(id >= 0 && id < 64, "tp stack id: %lld", (long long)id);
	if (id >= 0 && id < 64 && fd >= 0 && r > 0) {
		__u32 key = (__u32)id;

		CHECK(bpf_map_lookup_elem(fd, &key, m) == 0 && !memcmp(m, s, (size_t)r),
		      "tp_map[%u]: not the stack bpf_get_stack gave", key);
		CHECK(id == (__s64)(ips_hash(s, (uint32_t)(r / 8)) & 63),
		      "tp stack id %lld, want %u", (long long)id,
		      ips_hash(s, (uint32_t)(r / 8)) & 63);
	}
}

/* ---- raw programs: what the kernel's verifier refuses ---- */

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};

	return i;
}

#define CALL(f) insn(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define MOV_K(d, k) insn(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, k)
#define MOV_X(d, s) insn(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD_K(d, k) insn(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, k)
#define LD_MAP(d, fd)                                                                              \
	insn(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), insn(0, 0, 0, 0, 0)
#define ST_W(d, off, k) insn(BPF_ST | BPF_MEM | BPF_W, d, 0, off, k)

static char log_buf[65536];

static int load_raw(enum bpf_prog_type type, const struct bpf_insn *insns, size_t cnt)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log_buf, .log_size = sizeof(log_buf),
		    .log_level = 1);
	int fd;

	log_buf[0] = 0;
	fd = bpf_prog_load(type, NULL, "GPL", insns, cnt, &o);
	return fd < 0 ? -errno : fd;
}

static void raw_programs(void)
{
	int array = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);
	int stack = create(4, 8, 4, 0, 0);
	/* get_stackid(ctx, array, 0) */
	struct bpf_insn wrong_map[] = {LD_MAP(2, array), MOV_K(3, 0), CALL(BPF_FUNC_get_stackid),
				       EXIT};
	/* map_lookup_elem(stack, &key) */
	struct bpf_insn lookup[] = {ST_W(10, -4, 0),
				    LD_MAP(1, stack),
				    MOV_X(2, 10),
				    ADD_K(2, -4),
				    CALL(BPF_FUNC_map_lookup_elem),
				    MOV_K(0, 0),
				    EXIT};
	struct bpf_insn stackid[] = {LD_MAP(2, stack), MOV_K(3, USER), CALL(BPF_FUNC_get_stackid),
				     EXIT};
	/* get_stack(fp - 8, fp - 64, 32, USER): R1 is not the context */
	struct bpf_insn not_ctx[] = {MOV_X(1, 10),
				     ADD_K(1, -8),
				     MOV_X(2, 10),
				     ADD_K(2, -64),
				     MOV_K(3, 32),
				     MOV_K(4, USER),
				     CALL(BPF_FUNC_get_stack),
				     EXIT};
	struct {
		enum bpf_prog_type type;
		struct bpf_insn *p;
		size_t n;
		int err;
		bool verifier; /* the kernel's verifier refuses it, bpfhost has none */
		const char *what;
	} c[] = {
		{BPF_PROG_TYPE_KPROBE, wrong_map, sizeof(wrong_map) / sizeof(wrong_map[0]), -EINVAL,
		 true, "kprobe: bpf_get_stackid on an array map"},
		{BPF_PROG_TYPE_KPROBE, lookup, sizeof(lookup) / sizeof(lookup[0]), -EINVAL, true,
		 "kprobe: bpf_map_lookup_elem on a stack_trace map"},
		{BPF_PROG_TYPE_KPROBE, not_ctx, sizeof(not_ctx) / sizeof(not_ctx[0]), -EACCES, true,
		 "kprobe: bpf_get_stack with R1 not the context"},
		{BPF_PROG_TYPE_SOCKET_FILTER, stackid, sizeof(stackid) / sizeof(stackid[0]),
		 -EINVAL, false, "socket filter: bpf_get_stackid"},
		{BPF_PROG_TYPE_XDP, stackid, sizeof(stackid) / sizeof(stackid[0]), -EINVAL, false,
		 "xdp: bpf_get_stackid"},
		{BPF_PROG_TYPE_KPROBE, stackid, sizeof(stackid) / sizeof(stackid[0]), 0, false,
		 "kprobe: bpf_get_stackid"},
		{BPF_PROG_TYPE_TRACEPOINT, stackid, sizeof(stackid) / sizeof(stackid[0]), 0, false,
		 "tracepoint: bpf_get_stackid"},
		{BPF_PROG_TYPE_PERF_EVENT, stackid, sizeof(stackid) / sizeof(stackid[0]), 0, false,
		 "perf_event: bpf_get_stackid"},
		{BPF_PROG_TYPE_RAW_TRACEPOINT, stackid, sizeof(stackid) / sizeof(stackid[0]), 0,
		 false, "raw_tracepoint: bpf_get_stackid"},
	};

	CHECK(array >= 0 && stack >= 0, "maps: %d %d", array, stack);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]) && array >= 0 && stack >= 0; i++) {
		int fd = load_raw(c[i].type, c[i].p, c[i].n);

		if (c[i].verifier) {
			VERIFIER_CHECK(fd == c[i].err, "%s: load %d, the kernel gives %d",
				       c[i].what, fd, c[i].err);
		} else {
			CHECK(c[i].err ? fd == c[i].err : fd >= 0, "%s: load %d, want %d: %s",
			      c[i].what, fd, c[i].err, strtok(log_buf, "\n"));
		}
#ifndef KERNEL_BACKEND
		/* bpfhost loads what its verifier-to-be would refuse; a run
		 * stops on the bad argument, or does nothing (the lookup) */
		if (c[i].verifier && fd >= 0) {
			struct pt_regs regs;
			unsigned long long ret = 1;
			char err[256] = "";
			int r;

			memset(&regs, 0, sizeof(regs));
			r = bpfhost_prog_run(fd, &regs, sizeof(regs), &ret, err, sizeof(err));
			if (c[i].p == lookup)
				CHECK(r == 0 && ret == 0, "%s: run %d %s", c[i].what, r, err);
			else
				CHECK(r == -EFAULT && (strstr(err, "not a stack_trace") ||
						       strstr(err, "is not the context")),
				      "%s: run %d \"%s\"", c[i].what, r, err);
		}
#endif
		if (fd >= 0)
			close(fd);
	}
	if (array >= 0)
		close(array);
	if (stack >= 0)
		close(stack);
}

#ifdef KERNEL_BACKEND
/* ---- the kernel: a uprobe on stack_target ---- */

static void run_probe(void)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "stack_target");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct bpf_link *l;

	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	if (n <= 0)
		return;
	exe[n] = 0;
	l = bpf_program__attach_uprobe_opts(p_probe, getpid(), exe, 0, &o);
	if (!l) {
		int err = -errno;

		CHECK(err == -EPERM || err == -EACCES || err == -ENOENT || err == -EOPNOTSUPP,
		      "attach the uprobe: %d %s", err, strerror(-err));
		printf("NOTICE: the kernel refused the uprobe (%s): skipped\n", strerror(-err));
		return;
	}
	stack_outer(PH_PROBE);
	bpf_link__destroy(l);
	check_probe();
}
#else
/* ---- bpfhost: registers that lead nowhere ---- */

static void raw_regs(void)
{
	uint64_t self[2], at_sp = 0x5555;
	uint64_t s[DEPTH];
	const struct {
		uint64_t ip, sp, bp;
		int n; /* entries */
		uint64_t first[2];
	} c[] = {
		{0x1234, 8, 8, 1, {0x1234}},			      /* nothing readable */
		{0x1234, 0, 0x7ffffffff000ull - 8, 1, {0x1234}},      /* the last user bytes */
		{0x1234, 0, ~0ull - 15, 1, {0x1234}},		      /* kernel addresses */
		{0x1000, 0, (uintptr_t)self, DEPTH, {0x1000, 0xabc}}, /* a frame of its own */
		{(uintptr_t)stack_target, 8, 0, 1, {(uintptr_t)stack_target}},
		{(uintptr_t)stack_target,
		 (uintptr_t)&at_sp,
		 0,
		 2,
		 {(uintptr_t)stack_target, 0x5555}}, /* at a push %rbp: the return address at sp */
	};

	self[0] = (uintptr_t)self; /* a loop: the depth ends it */
	self[1] = 0xabc;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct pt_regs regs;
		unsigned long long ret = 1;
		char err[256] = "";
		int r;

		memset(&regs, 0, sizeof(regs));
		regs.rip = c[i].ip;
		regs.rsp = c[i].sp;
		regs.rbp = c[i].bp;
		r = bpfhost_prog_run(bpf_program__fd(p_raw), &regs, sizeof(regs), &ret, err,
				     sizeof(err));
		bss_get("raw_stack", s, sizeof(s));
		CHECK(r == 0 && bss_s64("raw_ret") == c[i].n * 8 && s[0] == c[i].first[0] &&
			      (c[i].n < 2 || s[1] == c[i].first[1]) &&
			      all_zero(s + c[i].n, (DEPTH - c[i].n) * 8),
		      "registers %zu (ip %#llx sp %#llx bp %#llx): %d %s, %lld bytes, %#llx %#llx",
		      i, (unsigned long long)c[i].ip, (unsigned long long)c[i].sp,
		      (unsigned long long)c[i].bp, r, err, (long long)bss_s64("raw_ret"),
		      (unsigned long long)s[0], (unsigned long long)s[1]);
	}
}

/* A perf event sample at a function's first instruction: the kernel looks
 * at sp only for a uprobe, so the stack is ip and the frames from bp. */
static void perf_event_regs(void)
{
	struct bpf_perf_event_data d;
	uint64_t at_sp = 0x5555, s[DEPTH];
	unsigned long long ret = 1;
	char err[256] = "";
	int r;

	memset(&d, 0, sizeof(d));
	d.regs.rip = (unsigned long)(uintptr_t)stack_target;
	d.regs.rsp = (unsigned long)(uintptr_t)&at_sp;
	d.regs.cs = USER_CS;
	r = bpfhost_prog_run(bpf_program__fd(p_pe), &d, sizeof(d), &ret, err, sizeof(err));
	bss_get("pe_stack", s, sizeof(s));
	CHECK(r == 0 && bss_s64("pe_ret") == 8 && s[0] == (uintptr_t)stack_target,
	      "perf_event at stack_target: %d %s, %lld bytes, %#llx", r, err,
	      (long long)bss_s64("pe_ret"), (unsigned long long)s[0]);
}

/* The raw tracepoint program run from another thread: its own stack. */
static void *in_thread(void *arg)
{
	(void)arg;
	stack_outer(PH_HOSTRUN);
	return NULL;
}

static void host_thread(void)
{
	pthread_t t;

	CHECK(pthread_create(&t, NULL, in_thread, NULL) == 0, "pthread_create");
	pthread_join(t, NULL);
	CHECK(host_err == 0, "bpfhost_prog_run in a thread: %d %s", host_err, host_msg);
	check_tp(true);
}

static void run_probe(void)
{
	stack_outer(PH_PROBE);
	CHECK(host_err == 0 && host_ret == 0, "bpfhost_prog_run the probe: %d %s", host_err,
	      host_msg);
	check_probe();
}
#endif

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_stack OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	/* the chain is walked by frame pointers: this file must keep them */
	CHECK(*(const unsigned char *)stack_target == 0x55,
	      "stack_target does not start with push %%rbp: built without "
	      "-fno-omit-frame-pointer?");
	CHECK(read_build_id(), "no GNU build id in /proc/self/exe");
	obj = bpf_object__open_file(argv[1], NULL);
	CHECK(obj != NULL, "open %s: %s", argv[1], strerror(errno));
	if (!obj)
		return TEST_DONE();
	p_probe = bpf_object__find_program_by_name(obj, "probe");
	p_tp = bpf_object__find_program_by_name(obj, "tp");
	p_raw = bpf_object__find_program_by_name(obj, "raw");
	p_pe = bpf_object__find_program_by_name(obj, "pe");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	if (!bss) /* libbpf names it after the object */
		for (struct bpf_map *m = bpf_object__next_map(obj, NULL); m && !bss;
		     m = bpf_object__next_map(obj, m))
			if (strstr(bpf_map__name(m), ".bss"))
				bss = m;
	CHECK(p_probe && p_tp && p_raw && p_pe && bss, "the programs and .bss of %s", argv[1]);
	if (!(p_probe && p_tp && p_raw && p_pe && bss) || test_load_object(obj)) {
		bpf_object__close(obj);
		return TEST_DONE();
	}
	creation();
	creation_btf();
	user_ops();
	raw_programs();
	run_probe();

	stack_outer(PH_TESTRUN);
	CHECK(test_run_err == 0, "test run of the raw tracepoint program: %d", test_run_err);
	if (!test_run_err)
		check_tp(false);
#ifndef KERNEL_BACKEND
	stack_outer(PH_HOSTRUN);
	CHECK(host_err == 0, "bpfhost_prog_run the raw tracepoint program: %d %s", host_err,
	      host_msg);
	check_tp(true);
	host_thread();
	raw_regs();
	perf_event_regs();
	if (verifier_gaps)
		printf("NOTICE: %d of the kernel verifier's verdicts bpfhost does not give yet (no "
		       "verifier): checked by the kernel build\n",
		       verifier_gaps);
#endif
	bpf_object__close(obj);
	return TEST_DONE();
}
