/* bpf_spin_lock in map values, from user space: BTF built here with libbpf's
 * btf__add_* and loaded with BPF_BTF_LOAD, maps created with a value type that
 * holds a struct bpf_spin_lock (or does not, or holds it in ways the kernel
 * does not count), BPF_F_LOCK lookups and updates, what the lock word reads
 * back as, and threads that update and read with BPF_F_LOCK at once. Every
 * scenario runs against bpfhost_sys_bpf and against the running kernel
 * (syscall(__NR_bpf)); each step states what the kernel gives, both backends
 * are checked against it and against each other. Without bpf() (not root, no
 * kernel) the kernel half is skipped with a NOTICE. */
#include <bpf/btf.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

#define ENOTSUPP 524
#define W_FD 1 /* a step that gives an fd; 0: gives 0; < 0: -errno */

struct backend {
	const char *name;
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	bool host;
};

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static const struct backend backends[2] = {
	{"bpfhost", bpfhost_sys_bpf, true},
	{"kernel", kernel_bpf, false},
};
static const struct backend *B;

/* ---- fds of the running scenario ---- */

static int fds[64];
static int n_fds;

static void close_all(void)
{
	while (n_fds) {
		int fd = fds[--n_fds];

		close(fd);
		if (B->host)
			bpfhost_fd_closed(fd);
	}
}

/* -errno, 0, or W_FD (the fd kept for close_all in *fd) */
static long call(int cmd, union bpf_attr *a, int *fd)
{
	long r = B->bpf(cmd, a, sizeof(*a));

	if (r < 0)
		return -errno;
	if (cmd == BPF_MAP_CREATE || cmd == BPF_BTF_LOAD || cmd == BPF_PROG_LOAD) {
		if (n_fds < (int)(sizeof(fds) / sizeof(fds[0])))
			fds[n_fds++] = (int)r;
		if (fd)
			*fd = (int)r;
		return W_FD;
	}
	return r;
}

/* ---- steps: each backend's results, compared at the end ---- */

struct rec {
	char what[112];
	long ret;
	uint8_t out[32];
	size_t outlen;
};

#define MAX_RECS 160
static struct rec recs[2][MAX_RECS];
static int n_recs[2];

static int cur(void)
{
	return B->host ? 0 : 1;
}

static void step(long ret, long want, const void *out, const void *want_out, size_t outlen,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ret against want (and out against want_out when the step succeeded) */
static void step(long ret, long want, const void *out, const void *want_out, size_t outlen,
		 const char *fmt, ...)
{
	struct rec *r = &recs[cur()][n_recs[cur()]];
	va_list ap;

	if (n_recs[cur()] >= MAX_RECS)
		abort();
	n_recs[cur()]++;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
	r->ret = ret;
	r->outlen = ret == 0 && out ? outlen : 0;
	if (r->outlen)
		memcpy(r->out, out, outlen);
	CHECK(ret == want, "%s: %s: got %ld (%s), want %ld (%s)", B->name, r->what, ret,
	      ret < 0 ? strerror((int)-ret) : "ok", want, want < 0 ? strerror((int)-want) : "ok");
	if (r->outlen && want_out)
		CHECK(!memcmp(out, want_out, outlen), "%s: %s: the bytes differ", B->name, r->what);
}

static void compare_backends(void)
{
	CHECK(n_recs[0] == n_recs[1], "bpfhost made %d steps, the kernel %d", n_recs[0], n_recs[1]);
	for (int i = 0; i < n_recs[0] && i < n_recs[1]; i++) {
		const struct rec *h = &recs[0][i], *k = &recs[1][i];

		CHECK(h->ret == k->ret && h->outlen == k->outlen &&
			      !memcmp(h->out, k->out, h->outlen),
		      "step %d (%s): bpfhost %ld, kernel %ld%s", i, h->what, h->ret, k->ret,
		      h->ret == k->ret ? " (the bytes differ)" : "");
	}
}

/* ---- commands ---- */

static long btf_load(struct btf *btf, int *fd)
{
	union bpf_attr a;
	uint32_t size;
	const void *raw = btf__raw_data(btf, &size);

	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)raw;
	a.btf_size = size;
	return call(BPF_BTF_LOAD, &a, fd);
}

static long map_create(uint32_t type, int btf_fd, uint32_t key_id, uint32_t value_id,
		       uint32_t key_size, uint32_t value_size, uint32_t flags, int *fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key_size;
	a.value_size = value_size;
	a.max_entries = 4;
	a.map_flags = flags;
	a.btf_fd = (uint32_t)btf_fd;
	a.btf_key_type_id = key_id;
	a.btf_value_type_id = value_id;
	return call(BPF_MAP_CREATE, &a, fd);
}

static long elem(int cmd, int fd, uint32_t key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return call(cmd, &a, NULL);
}

/* ---- the BTF ---- */

/* struct val { __u64 a; struct bpf_spin_lock lock; __u32 pad; __u64 b; } */
struct val {
	uint64_t a;
	uint32_t lock;
	uint32_t pad;
	uint64_t b;
};

struct types {
	int u32, u64, lock;
	int val;	/* the lock at 8 */
	int val_t;	/* typedef struct val val_t: still a lock */
	int nested;	/* struct { __u64 a; struct { __u32 x; lock l; } in; }: lock at 12 */
	int lock_array; /* struct { __u64 x; lock l[2]; }: the kernel counts none */
	int const_lock; /* struct { const lock l; __u32 x; __u64 y; }: none either */
	int union_lock; /* struct { union { lock l; __u32 x; } u; __u32 y; __u64 z; }: none */
};

static struct btf *good_btf(struct types *t)
{
	struct btf *b = btf__new_empty();
	int inner, arr, cl, un;

	t->u32 = btf__add_int(b, "unsigned int", 4, 0);
	t->u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	t->lock = btf__add_struct(b, "bpf_spin_lock", 4);
	btf__add_field(b, "val", t->u32, 0, 0);
	t->val = btf__add_struct(b, "val", 24);
	btf__add_field(b, "a", t->u64, 0, 0);
	btf__add_field(b, "lock", t->lock, 64, 0);
	btf__add_field(b, "pad", t->u32, 96, 0);
	btf__add_field(b, "b", t->u64, 128, 0);
	t->val_t = btf__add_typedef(b, "val_t", t->val);
	inner = btf__add_struct(b, "inner", 8);
	btf__add_field(b, "x", t->u32, 0, 0);
	btf__add_field(b, "l", t->lock, 32, 0);
	t->nested = btf__add_struct(b, "nested", 16);
	btf__add_field(b, "a", t->u64, 0, 0);
	btf__add_field(b, "in", inner, 64, 0);
	arr = btf__add_array(b, t->u32, t->lock, 2);
	t->lock_array = btf__add_struct(b, "lock_array", 16);
	btf__add_field(b, "x", t->u64, 0, 0);
	btf__add_field(b, "l", arr, 64, 0);
	cl = btf__add_const(b, t->lock);
	t->const_lock = btf__add_struct(b, "const_lock", 16);
	btf__add_field(b, "l", cl, 0, 0);
	btf__add_field(b, "x", t->u32, 32, 0);
	btf__add_field(b, "y", t->u64, 64, 0);
	un = btf__add_union(b, "u", 4);
	btf__add_field(b, "l", t->lock, 0, 0);
	btf__add_field(b, "x", t->u32, 0, 0);
	t->union_lock = btf__add_struct(b, "union_lock", 16);
	btf__add_field(b, "u", un, 0, 0);
	btf__add_field(b, "y", t->u32, 32, 0);
	btf__add_field(b, "z", t->u64, 64, 0);
	return b;
}

/* A BTF whose struct bad holds its lock(s) as given, which BPF_BTF_LOAD refuses */
static struct btf *bad_btf(int locks, uint32_t lock_size, uint32_t bit_off)
{
	struct btf *b = btf__new_empty();
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int lock = btf__add_struct(b, "bpf_spin_lock", lock_size);

	btf__add_field(b, "val", u32, 0, 0);
	btf__add_struct(b, "bad", 16);
	for (int i = 0; i < locks; i++)
		btf__add_field(b, i ? "b" : "a", lock, bit_off + (uint32_t)i * 64, 0);
	return b;
}

/* ---- scenarios ---- */

static void creation(int btf_fd, const struct types *t)
{
	static const struct {
		uint32_t type, flags;
		long want;
	} cases[] = {
		{BPF_MAP_TYPE_HASH, 0, W_FD},
		{BPF_MAP_TYPE_ARRAY, 0, W_FD},
		{BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC, W_FD},
		{BPF_MAP_TYPE_PERCPU_HASH, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_PERCPU_ARRAY, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_LRU_HASH, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_LRU_PERCPU_HASH, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_ARRAY, BPF_F_RDONLY_PROG, -EACCES},
		{BPF_MAP_TYPE_HASH, BPF_F_WRONLY_PROG, -EACCES},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		step(map_create(cases[i].type, btf_fd, t->u32, t->val, 4, sizeof(struct val),
				cases[i].flags, NULL),
		     cases[i].want, NULL, NULL, 0, "create type %u flags 0x%x, value with a lock",
		     cases[i].type, cases[i].flags);
	step(map_create(BPF_MAP_TYPE_BLOOM_FILTER, btf_fd, 0, t->val, 0, sizeof(struct val), 0,
			NULL),
	     -EOPNOTSUPP, NULL, NULL, 0, "create bloom_filter, value with a lock");
	/* without a lock anything goes as before */
	step(map_create(BPF_MAP_TYPE_PERCPU_HASH, btf_fd, t->u32, t->u64, 4, 8, 0, NULL), W_FD,
	     NULL, NULL, 0, "create percpu_hash, value without a lock");
	step(map_create(BPF_MAP_TYPE_ARRAY, btf_fd, t->u32, t->u64, 4, 8, BPF_F_RDONLY_PROG, NULL),
	     W_FD, NULL, NULL, 0, "create array BPF_F_RDONLY_PROG, value without a lock");
}

static void refused_btf(void)
{
	struct {
		struct btf *btf;
		long want;
		const char *what;
	} cases[] = {
		{bad_btf(2, 4, 0), -E2BIG, "two locks in one struct"},
		{bad_btf(1, 4, 16), -EFAULT, "a lock at offset 2"},
		{bad_btf(1, 8, 0), -EFAULT, "an 8-byte bpf_spin_lock"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		step(btf_load(cases[i].btf, NULL), cases[i].want, NULL, NULL, 0, "BTF_LOAD: %s",
		     cases[i].what);
		btf__free(cases[i].btf);
	}
}

/* BPF_F_LOCK where the value holds no lock the kernel counts */
static void no_lock(int btf_fd, const struct types *t)
{
	static const char *const names[] = {"lock_array", "const_lock", "union_lock", "no BTF"};
	int ids[] = {t->lock_array, t->const_lock, t->union_lock, 0};
	uint8_t v[16], want[16];
	int fd = -1;

	for (int i = 0; i < 4; i++) {
		step(map_create(BPF_MAP_TYPE_HASH, ids[i] ? btf_fd : 0, ids[i] ? t->u32 : 0, ids[i],
				4, 16, 0, &fd),
		     W_FD, NULL, NULL, 0, "create hash, value %s", names[i]);
		memset(v, 0xab, sizeof(v));
		memcpy(want, v, sizeof(v));
		step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, v, BPF_F_LOCK), -EINVAL, NULL, NULL, 0,
		     "%s: update BPF_F_LOCK", names[i]);
		step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, v, 0), 0, NULL, NULL, 0, "%s: update",
		     names[i]);
		step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, v, BPF_F_LOCK), -EINVAL, NULL, NULL, 0,
		     "%s: lookup BPF_F_LOCK", names[i]);
		memset(v, 0, sizeof(v));
		/* not a lock: every byte is copied */
		step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, v, 0), 0, v, want, sizeof(v), "%s: lookup",
		     names[i]);
		step(elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, 1, v, BPF_F_LOCK), -EINVAL, NULL,
		     NULL, 0, "%s: lookup_and_delete BPF_F_LOCK", names[i]);
	}
	step(map_create(BPF_MAP_TYPE_ARRAY, 0, 0, 0, 4, 16, 0, &fd), W_FD, NULL, NULL, 0,
	     "create array without BTF");
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 9, v, BPF_F_LOCK), -EINVAL, NULL, NULL, 0,
	     "array without a lock: update BPF_F_LOCK past the end");
	step(elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, 1, v, BPF_F_LOCK), -EINVAL, NULL, NULL, 0,
	     "array without a lock: lookup_and_delete BPF_F_LOCK");
	step(map_create(BPF_MAP_TYPE_PERCPU_HASH, btf_fd, t->u32, t->u64, 4, 8, 0, &fd), W_FD, NULL,
	     NULL, 0, "create percpu_hash");
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, v, BPF_F_LOCK), -EINVAL, NULL, NULL, 0,
	     "percpu_hash: update BPF_F_LOCK");
}

/* The lock word: never copied in, read as 0, in a hash and an array */
static void with_lock(int btf_fd, const struct types *t, uint32_t type)
{
	const char *name = type == BPF_MAP_TYPE_HASH ? "hash" : "array";
	struct val v = {.a = 1, .lock = 0xdeadbeef, .pad = 2, .b = 3}, out;
	struct val want = {.a = 1, .lock = 0, .pad = 2, .b = 3};
	int fd = -1;

	step(map_create(type, btf_fd, t->u32, t->val, 4, sizeof(v), 0, &fd), W_FD, NULL, NULL, 0,
	     "create %s", name);
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, 0), 0, NULL, NULL, 0, "%s: update", name);
	memset(&out, 0x5a, sizeof(out));
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &out, 0), 0, &out, &want, sizeof(out),
	     "%s: lookup: the lock word reads 0", name);
	memset(&out, 0x5a, sizeof(out));
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &out, BPF_F_LOCK), 0, &out, &want, sizeof(out),
	     "%s: lookup BPF_F_LOCK", name);
	v = (struct val){.a = 4, .lock = 1, .pad = 5, .b = 6};
	want = (struct val){.a = 4, .lock = 0, .pad = 5, .b = 6};
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_F_LOCK), 0, NULL, NULL, 0,
	     "%s: update BPF_F_LOCK", name);
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &out, BPF_F_LOCK), 0, &out, &want, sizeof(out),
	     "%s: lookup BPF_F_LOCK after it", name);
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_F_LOCK | BPF_NOEXIST), -EEXIST, NULL, NULL, 0,
	     "%s: update BPF_F_LOCK | BPF_NOEXIST", name);
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_F_LOCK | BPF_EXIST), 0, NULL, NULL, 0,
	     "%s: update BPF_F_LOCK | BPF_EXIST", name);
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_F_LOCK | 3), -EINVAL, NULL, NULL, 0,
	     "%s: update BPF_F_LOCK | 3", name);
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, 8), -EINVAL, NULL, NULL, 0, "%s: update flags 8",
	     name);
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &out, BPF_F_LOCK | 1), -EINVAL, NULL, NULL, 0,
	     "%s: lookup BPF_F_LOCK | 1", name);
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 3, &out, BPF_F_LOCK),
	     type == BPF_MAP_TYPE_HASH ? -ENOENT : 0, NULL, NULL, 0,
	     "%s: lookup BPF_F_LOCK of key 3", name);
	if (type == BPF_MAP_TYPE_HASH) {
		step(elem(BPF_MAP_UPDATE_ELEM, fd, 2, &v, BPF_F_LOCK | BPF_EXIST), -ENOENT, NULL,
		     NULL, 0, "hash: update BPF_F_LOCK | BPF_EXIST of a missing key");
		step(elem(BPF_MAP_UPDATE_ELEM, fd, 2, &v, BPF_F_LOCK), 0, NULL, NULL, 0,
		     "hash: update BPF_F_LOCK of a missing key adds it");
		memset(&out, 0x5a, sizeof(out));
		step(elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, 2, &out, BPF_F_LOCK), 0, &out, &want,
		     sizeof(out), "hash: lookup_and_delete BPF_F_LOCK");
		step(elem(BPF_MAP_LOOKUP_ELEM, fd, 2, &out, 0), -ENOENT, NULL, NULL, 0,
		     "hash: deleted");
	} else {
		step(elem(BPF_MAP_UPDATE_ELEM, fd, 4, &v, BPF_F_LOCK), -E2BIG, NULL, NULL, 0,
		     "array: update BPF_F_LOCK past the end");
		step(elem(BPF_MAP_LOOKUP_ELEM, fd, 4, &out, BPF_F_LOCK), -ENOENT, NULL, NULL, 0,
		     "array: lookup BPF_F_LOCK past the end");
		step(elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, 1, &out, BPF_F_LOCK), -ENOTSUPP, NULL,
		     NULL, 0, "array: lookup_and_delete BPF_F_LOCK");
	}
}

/* Locks the kernel finds through a typedef of the value and in a nested struct */
static void found_lock(int btf_fd, const struct types *t)
{
	struct val v = {.a = 1, .lock = 7, .pad = 2, .b = 3}, out;
	struct val want = {.a = 1, .lock = 0, .pad = 2, .b = 3};
	uint32_t n[4] = {1, 2, 3, 4}, nout[4], nwant[4] = {1, 2, 3, 0};
	int fd = -1;

	step(map_create(BPF_MAP_TYPE_HASH, btf_fd, t->u32, t->val_t, 4, sizeof(v), 0, &fd), W_FD,
	     NULL, NULL, 0, "create hash, value val_t (a typedef)");
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, BPF_F_LOCK), 0, NULL, NULL, 0,
	     "val_t: update BPF_F_LOCK");
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &out, 0), 0, &out, &want, sizeof(out),
	     "val_t: lookup");
	step(map_create(BPF_MAP_TYPE_ARRAY, btf_fd, t->u32, t->nested, 4, sizeof(n), 0, &fd), W_FD,
	     NULL, NULL, 0, "create array, the lock in a nested struct");
	step(elem(BPF_MAP_UPDATE_ELEM, fd, 0, n, BPF_F_LOCK), 0, NULL, NULL, 0,
	     "nested: update BPF_F_LOCK");
	step(elem(BPF_MAP_LOOKUP_ELEM, fd, 0, nout, BPF_F_LOCK), 0, nout, nwant, sizeof(nout),
	     "nested: lookup BPF_F_LOCK: the word at 12 reads 0");
}

/* ---- programs: bpf_spin_lock and bpf_spin_unlock ---- */

#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define LDX_DW(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define STX_DW(d, s, o) INSN(BPF_STX | BPF_MEM | BPF_DW, d, s, o, 0)
#define ST_W(d, o, i) INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static long prog_load(const struct bpf_insn *insns, uint32_t cnt, int *fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t) "GPL";
	return call(BPF_PROG_LOAD, &a, fd);
}

static long test_run(int prog_fd, uint32_t *retval)
{
	union bpf_attr a;
	uint64_t ctx = 0;
	long r;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.ctx_in = (uint64_t)(uintptr_t)&ctx;
	a.test.ctx_size_in = sizeof(ctx);
	r = call(BPF_PROG_TEST_RUN, &a, NULL);
	*retval = a.test.retval;
	return r;
}

/* times runs of: v = lookup(map, 0); lock(&v->lock); v->a++; v->b++; unlock */
static void program(int btf_fd, const struct types *t)
{
	int map_fd = -1, prog_fd = -1;
	struct val want = {.a = 3, .lock = 0, .pad = 0, .b = 3}, out;
	uint32_t retval = 0;

	step(map_create(BPF_MAP_TYPE_ARRAY, btf_fd, t->u32, t->val, 4, sizeof(out), 0, &map_fd),
	     W_FD, NULL, NULL, 0, "program: create array");
	if (map_fd < 0)
		return;
	const struct bpf_insn insns[] = {
		ST_W(BPF_REG_10, -4, 0),
		MOV64_REG(BPF_REG_2, BPF_REG_10),
		ADD64_IMM(BPF_REG_2, -4),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
		INSN(0, 0, 0, 0, 0),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 12),
		MOV64_REG(BPF_REG_6, BPF_REG_0),
		MOV64_REG(BPF_REG_1, BPF_REG_6),
		ADD64_IMM(BPF_REG_1, 8),
		CALL(BPF_FUNC_spin_lock),
		LDX_DW(BPF_REG_1, BPF_REG_6, 0),
		ADD64_IMM(BPF_REG_1, 1),
		STX_DW(BPF_REG_6, BPF_REG_1, 0),
		STX_DW(BPF_REG_6, BPF_REG_1, 16),
		MOV64_REG(BPF_REG_1, BPF_REG_6),
		ADD64_IMM(BPF_REG_1, 8),
		CALL(BPF_FUNC_spin_unlock),
		MOV64_IMM(BPF_REG_0, 7),
		EXIT(),
	};

	step(prog_load(insns, sizeof(insns) / sizeof(insns[0]), &prog_fd), W_FD, NULL, NULL, 0,
	     "program: load");
	if (prog_fd < 0)
		return;
	for (int i = 0; i < 3; i++) {
		step(test_run(prog_fd, &retval), 0, NULL, NULL, 0, "program: run %d", i);
		step(retval, 7, NULL, NULL, 0, "program: run %d returns 7", i);
	}
	step(elem(BPF_MAP_LOOKUP_ELEM, map_fd, 0, &out, BPF_F_LOCK), 0, &out, &want, sizeof(out),
	     "program: a and b after 3 runs");
}

/* bpfhost only, which runs what the kernel's verifier would refuse: a bad
 * lock pointer stops the run with a fault (test-run: EFAULT), no crash. */
static void bad_pointers(int btf_fd, const struct types *t)
{
	int map_fd = -1, prog_fd = -1;
	uint32_t retval = 0;
	struct val v;

	if (map_create(BPF_MAP_TYPE_ARRAY, btf_fd, t->u32, t->val, 4, sizeof(v), 0, &map_fd) !=
	    W_FD)
		return;
	for (int helper = BPF_FUNC_spin_lock; helper <= BPF_FUNC_spin_unlock; helper++) {
		/* the stack, then 0x1000, then the map value's lock + 2 (misaligned) */
		const struct bpf_insn stack[] = {
			MOV64_REG(BPF_REG_1, BPF_REG_10),
			ADD64_IMM(BPF_REG_1, -8),
			CALL(helper),
			MOV64_IMM(BPF_REG_0, 0),
			EXIT(),
		};
		const struct bpf_insn low[] = {
			MOV64_IMM(BPF_REG_1, 0x1000),
			CALL(helper),
			MOV64_IMM(BPF_REG_0, 0),
			EXIT(),
		};
		const struct bpf_insn misaligned[] = {
			ST_W(BPF_REG_10, -4, 0),
			MOV64_REG(BPF_REG_2, BPF_REG_10),
			ADD64_IMM(BPF_REG_2, -4),
			INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
			INSN(0, 0, 0, 0, 0),
			CALL(BPF_FUNC_map_lookup_elem),
			JEQ_IMM(BPF_REG_0, 0, 3),
			MOV64_REG(BPF_REG_1, BPF_REG_0),
			ADD64_IMM(BPF_REG_1, 10),
			CALL(helper),
			MOV64_IMM(BPF_REG_0, 0),
			EXIT(),
		};
		const struct {
			const struct bpf_insn *insns;
			uint32_t cnt;
			const char *what;
		} cases[] = {
			{stack, sizeof(stack) / sizeof(stack[0]), "the stack"},
			{low, sizeof(low) / sizeof(low[0]), "0x1000"},
			{misaligned, sizeof(misaligned) / sizeof(misaligned[0]), "value + 10"},
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			long r = prog_load(cases[i].insns, cases[i].cnt, &prog_fd);

			CHECK(r == W_FD, "helper %d on %s: load %ld", helper, cases[i].what, r);
			if (r != W_FD)
				continue;
			r = test_run(prog_fd, &retval);
			CHECK(r == -EFAULT, "helper %d on %s: test-run %ld, want -EFAULT", helper,
			      cases[i].what, r);
		}
	}
	/* the value's lock was never taken: BPF_F_LOCK still gets it */
	CHECK(elem(BPF_MAP_LOOKUP_ELEM, map_fd, 0, &v, BPF_F_LOCK) == 0, "lookup after the faults");
}

/* Threads that write a == b and read with BPF_F_LOCK: never a torn value */
#define WRITERS 3
#define WRITES 3000

struct job {
	int fd;
	int id;
	atomic_int *stop;
	long n, fails, torn;
};

static void *writer(void *p)
{
	struct job *j = p;

	for (long i = 0; i < WRITES; i++) {
		uint64_t x = (uint64_t)j->id << 32 | (uint64_t)i;
		struct val v = {.a = x, .lock = 1, .pad = (uint32_t)j->id, .b = x};

		if (elem(BPF_MAP_UPDATE_ELEM, j->fd, 1, &v, BPF_F_LOCK))
			j->fails++;
		j->n++;
	}
	return NULL;
}

static void *reader(void *p)
{
	struct job *j = p;

	while (!atomic_load(j->stop)) {
		struct val v;

		if (elem(BPF_MAP_LOOKUP_ELEM, j->fd, 1, &v, BPF_F_LOCK))
			j->fails++;
		else if (v.a != v.b || v.lock || (v.a >> 32) != v.pad)
			j->torn++;
		j->n++;
	}
	return NULL;
}

static void threads(int btf_fd, const struct types *t, uint32_t type)
{
	struct val v = {0};
	pthread_t th[WRITERS + 1];
	struct job jobs[WRITERS + 1];
	atomic_int stop = 0;
	long fails = 0, torn;
	int fd = -1;

	if (map_create(type, btf_fd, t->u32, t->val, 4, sizeof(v), 0, &fd) != W_FD ||
	    elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, 0)) {
		CHECK(0, "%s: threads: cannot create the map", B->name);
		return;
	}
	for (int i = 0; i <= WRITERS; i++) {
		jobs[i] = (struct job){.fd = fd, .id = i, .stop = &stop};
		pthread_create(&th[i], NULL, i < WRITERS ? writer : reader, &jobs[i]);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		fails += jobs[i].fails;
	}
	atomic_store(&stop, 1);
	pthread_join(th[WRITERS], NULL);
	fails += jobs[WRITERS].fails;
	torn = jobs[WRITERS].torn;
	CHECK(fails == 0 && torn == 0,
	      "%s: type %u: %ld calls failed; %ld of %ld BPF_F_LOCK lookups were torn", B->name,
	      type, fails, torn, jobs[WRITERS].n);
}

static void scenario(void)
{
	struct types t;
	struct btf *btf = good_btf(&t);
	int btf_fd = -1;

	step(btf_load(btf, &btf_fd), W_FD, NULL, NULL, 0, "BTF_LOAD");
	btf__free(btf);
	if (btf_fd < 0)
		return;
	creation(btf_fd, &t);
	refused_btf();
	no_lock(btf_fd, &t);
	with_lock(btf_fd, &t, BPF_MAP_TYPE_HASH);
	with_lock(btf_fd, &t, BPF_MAP_TYPE_ARRAY);
	found_lock(btf_fd, &t);
	program(btf_fd, &t);
	if (B->host)
		bad_pointers(btf_fd, &t);
	threads(btf_fd, &t, BPF_MAP_TYPE_HASH);
	threads(btf_fd, &t, BPF_MAP_TYPE_ARRAY);
	close_all();
}

/* Can this process create maps in the kernel? */
static bool kernel_usable(void)
{
	union bpf_attr a;
	long fd;

	if (getenv("BPFHOST_TEST_NO_KERNEL")) {
		printf("NOTICE: test_spinlock: BPFHOST_TEST_NO_KERNEL is set: kernel skipped\n");
		return false;
	}
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0) {
		printf("NOTICE: test_spinlock: bpf() refused (%s): kernel skipped\n",
		       strerror(errno));
		return false;
	}
	close((int)fd);
	return true;
}

int main(void)
{
	B = &backends[0];
	scenario();
	if (kernel_usable()) {
		B = &backends[1];
		scenario();
		compare_backends();
	}
	return TEST_DONE();
}
