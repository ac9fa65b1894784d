/* CGROUP_STORAGE, PERCPU_CGROUP_STORAGE and SK_STORAGE from user space: what
 * BPF_MAP_CREATE accepts (sizes, flags, BTF, a bpf_spin_lock in the value)
 * and in which order it checks, and every element command's answer: the
 * cgroup storages hold nothing (no program is attached to a cgroup), a socket
 * storage is keyed by a socket fd of the caller. The values below were read
 * off Linux 6.18; asserted on bpfhost, and on the kernel too where it can be
 * asked (else a notice). The programs' side is tests/libbpf/test_storage. */
#include <bpf/btf.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "test_util.h"
#include "backend.h"

#define ENOTSUPP 524 /* the kernel's internal errno that bpf() lets through */
#define CG BPF_MAP_TYPE_CGROUP_STORAGE
#define PCG BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE
#define SK BPF_MAP_TYPE_SK_STORAGE
#define NOPRE BPF_F_NO_PREALLOC

/* type ids in the test's BTF */
enum {
	T_INT = 1,
	T_U64,
	T_VAL,
	T_LOCK,
	T_LOCKED,
	T_UINT,
	T_CGKEY,
	T_SKEY,
	T_INT_TD,
	T_ENUM,
	T_U64_STRUCT,
	T_U64_TD,
	T_CGKEY_TD,
	T_CGKEY_3,
	T_CGKEY_SWAP,
	T_CGKEY_ENUM,
	T_CGKEY_BITS,
};

/* int, u64, struct {int a, b}, bpf_spin_lock, struct {int cnt; lock l},
 * unsigned int, struct bpf_cgroup_storage_key, struct {int x}, typedef int,
 * a 4-byte enum, struct {u64 x}, typedef u64, typedef struct
 * bpf_cgroup_storage_key, and keys of 16 bytes that are not one: three
 * members, u32 then u64, an enum second, a bitfield second */
static int btf_fd(const struct backend *be)
{
	struct btf *b = btf__new_empty();
	union bpf_attr a;
	uint32_t size;
	const void *raw;
	int fd;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_int(b, "long long unsigned int", 8, 0);
	btf__add_struct(b, "v", 8);
	btf__add_field(b, "a", T_INT, 0, 0);
	btf__add_field(b, "b", T_INT, 32, 0);
	btf__add_struct(b, "bpf_spin_lock", 4);
	btf__add_field(b, "val", T_INT, 0, 0);
	btf__add_struct(b, "locked", 8);
	btf__add_field(b, "cnt", T_INT, 0, 0);
	btf__add_field(b, "l", T_LOCK, 32, 0);
	btf__add_int(b, "unsigned int", 4, 0);
	btf__add_struct(b, "bpf_cgroup_storage_key", 16);
	btf__add_field(b, "cgroup_inode_id", T_U64, 0, 0);
	btf__add_field(b, "attach_type", T_UINT, 64, 0);
	btf__add_struct(b, "skey", 4);
	btf__add_field(b, "x", T_INT, 0, 0);
	btf__add_typedef(b, "myint", T_INT);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "A", 1);
	btf__add_struct(b, "s8", 8);
	btf__add_field(b, "x", T_U64, 0, 0);
	btf__add_typedef(b, "myu64", T_U64);
	btf__add_typedef(b, "key_t", T_CGKEY);
	btf__add_struct(b, "k3", 16);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "b", T_UINT, 64, 0);
	btf__add_field(b, "c", T_UINT, 96, 0);
	btf__add_struct(b, "kswap", 16);
	btf__add_field(b, "a", T_UINT, 0, 0);
	btf__add_field(b, "b", T_U64, 64, 0);
	btf__add_struct(b, "kenum", 16);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "b", T_ENUM, 64, 0);
	btf__add_struct(b, "kbits", 16);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "b", T_UINT, 64, 31);
	raw = btf__raw_data(b, &size);
	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)raw;
	a.btf_size = size;
	fd = be_sys(be, BPF_BTF_LOAD, &a);
	btf__free(b);
	CHECK(fd >= 0, "[%s] BTF: %d", be->name, fd);
	return fd;
}

static int create(const struct backend *be, uint32_t type, uint32_t ks, uint32_t vs, uint32_t max,
		  uint32_t flags, int btf, uint32_t key_id, uint32_t value_id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ks;
	a.value_size = vs;
	a.max_entries = max;
	a.map_flags = flags;
	a.btf_fd = (uint32_t)btf;
	a.btf_key_type_id = key_id;
	a.btf_value_type_id = value_id;
	return be_sys(be, BPF_MAP_CREATE, &a);
}

/* 0 if the map could be made (and is closed again), else -errno */
static int made(const struct backend *be, uint32_t type, uint32_t ks, uint32_t vs, uint32_t max,
		uint32_t flags, int btf, uint32_t key_id, uint32_t value_id)
{
	int fd = create(be, type, ks, vs, max, flags, btf, key_id, value_id);

	be_close(be, fd);
	return fd < 0 ? fd : 0;
}

static int ifindex1(const struct backend *be, uint32_t type, uint32_t ks, uint32_t flags, int btf)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ks;
	a.value_size = 8;
	a.map_flags = flags;
	a.btf_fd = (uint32_t)btf;
	a.btf_key_type_id = btf ? T_INT : 0;
	a.btf_value_type_id = btf ? T_VAL : 0;
	a.map_ifindex = 1;
	fd = be_sys(be, BPF_MAP_CREATE, &a);
	be_close(be, fd);
	return fd < 0 ? fd : 0;
}

static void cgroup_creation(const struct backend *be, int btf)
{
	for (int i = 0; i < 2; i++) {
		uint32_t t = i ? PCG : CG, max = i ? 32768 : 65407;

		EQ(made(be, t, 16, 8, 0, 0, 0, 0, 0), 0);
		EQ(made(be, t, 8, 8, 0, 0, 0, 0, 0), 0);
		EQ(made(be, t, 4, 8, 0, 0, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 12, 8, 0, 0, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 0, 0, 0, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 8, 1, 0, 0, 0, 0), -EINVAL); /* max_entries must be 0 */
		EQ(made(be, t, 16, max, 0, 0, 0, 0, 0), 0);
		EQ(made(be, t, 16, max + 1, 0, 0, 0, 0, 0), -E2BIG);
		/* the order: key, then value size, then flags and max_entries */
		EQ(made(be, t, 4, 65536, 0, 0, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 65536, 1, NOPRE, 0, 0, 0), -E2BIG);
		EQ(made(be, t, 16, 8, 0, BPF_F_NUMA_NODE, 0, 0, 0), 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_RDONLY, 0, 0, 0), 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_WRONLY, 0, 0, 0), 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_RDONLY_PROG, 0, 0, 0), 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_WRONLY_PROG, 0, 0, 0), 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 8, 0, NOPRE, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 8, 0, BPF_F_MMAPABLE, 0, 0, 0), -EINVAL);
		EQ(made(be, t, 16, 8, 0, BPF_F_INNER_MAP, 0, 0, 0), -EINVAL);
		EQ(ifindex1(be, t, 16, 0, 0), -EINVAL);
		/* with BTF: the key is struct bpf_cgroup_storage_key or a u64 */
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY, T_VAL), 0);
		EQ(made(be, t, 8, 8, 0, 0, btf, T_U64, T_VAL), 0);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_U64, T_VAL), -EINVAL);
		EQ(made(be, t, 8, 8, 0, 0, btf, T_INT, T_VAL), -EINVAL);
		EQ(made(be, t, 8, 8, 0, 0, btf, T_U64_TD, T_VAL), 0);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY_TD, T_VAL), 0);
		EQ(made(be, t, 8, 8, 0, 0, btf, T_U64_STRUCT, T_VAL), -EINVAL);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY_3, T_VAL), -EINVAL);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY_SWAP, T_VAL), -EINVAL);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY_ENUM, T_VAL), -EINVAL);
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY_BITS, T_VAL), -EINVAL);
		EQ(made(be, t, 16, 8, 0, 0, btf, 0, T_VAL),
		   -EINVAL); /* a value type needs a key's */
		/* a bpf_spin_lock: in a cgroup storage, not a per-CPU one */
		EQ(made(be, t, 16, 8, 0, 0, btf, T_CGKEY, T_LOCKED), i ? -EOPNOTSUPP : 0);
		EQ(made(be, t, 16, 8, 0, BPF_F_RDONLY_PROG, btf, T_CGKEY, T_LOCKED), -EACCES);
	}
}

static void sk_creation(const struct backend *be, int btf)
{
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_INT, T_VAL), 0);
	EQ(made(be, SK, 4, 8, 0, NOPRE | BPF_F_CLONE, btf, T_INT, T_VAL), 0);
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_UINT, T_VAL), 0);
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_INT, T_LOCKED), 0); /* a lock is allowed */
	EQ(made(be, SK, 4, 8, 0, NOPRE, 0, 0, 0), -EINVAL);	   /* BTF is wanted */
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, 0, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, 0, btf, T_INT, T_VAL), -EINVAL); /* BPF_F_NO_PREALLOC too */
	EQ(made(be, SK, 4, 8, 1, NOPRE, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 8, 8, 0, NOPRE, btf, T_U64, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE | BPF_F_NUMA_NODE, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE | BPF_F_RDONLY, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE | BPF_F_RDONLY_PROG, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE | BPF_F_RDONLY_PROG, btf, T_INT, T_LOCKED), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_VAL, T_VAL), -EINVAL); /* the key's type: 4 bytes */
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_INT_TD, T_VAL), 0);    /* ... an int */
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_SKEY, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE, btf, T_ENUM, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 12, 0, NOPRE, btf, T_INT, T_VAL), -EINVAL); /* ... and the value's */
	/* the size limits come before BTF: 65408 is too big with any type */
	EQ(made(be, SK, 4, 65408, 0, NOPRE, btf, T_INT, T_VAL), -E2BIG);
	EQ(made(be, SK, 4, 65407, 0, NOPRE, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 65408, 0, 0, btf, T_INT, T_VAL), -EINVAL);
	EQ(made(be, SK, 4, 8, 0, NOPRE, -1, T_INT, T_VAL), -EBADF);
	EQ(ifindex1(be, SK, 4, NOPRE, btf), -EINVAL);
}

static int next(const struct backend *be, int fd, const void *k, void *n)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)k;
	a.next_key = (uint64_t)(uintptr_t)n;
	return be_sys(be, BPF_MAP_GET_NEXT_KEY, &a);
}

static int batch(const struct backend *be, int cmd, int fd, void *keys, void *values)
{
	union bpf_attr a;
	uint64_t out_batch = 0;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = (uint32_t)fd;
	a.batch.keys = (uint64_t)(uintptr_t)keys;
	a.batch.values = (uint64_t)(uintptr_t)values;
	a.batch.count = 1;
	a.batch.out_batch = (uint64_t)(uintptr_t)&out_batch;
	return be_sys(be, cmd, &a);
}

/* The cgroup storages: nothing linked, so nothing found. */
static void cgroup_ops(const struct backend *be, int btf)
{
	static uint8_t val[8 * 1024];
	uint8_t key[16] = {0}, nkey[16];

	for (int i = 0; i < 2; i++) {
		int fd = create(be, i ? PCG : CG, 16, 8, 0, 0, 0, 0, 0);

		if (fd < 0)
			continue;
		EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, key, val, 0), -ENOENT);
		EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, key, val, BPF_F_LOCK), -EINVAL);
		EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, key, val, 4), -EINVAL);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_ANY), -ENOENT);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_EXIST), -ENOENT);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_NOEXIST), -EINVAL);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, 4), -EINVAL);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_F_LOCK), -EINVAL);
		EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, fd, key, NULL, 0), -EINVAL);
		EQ(next(be, fd, NULL, nkey), -ENOENT);
		EQ(next(be, fd, key, nkey), -ENOENT);
		EQ(be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, val, 0), -ENOTSUPP);
		EQ(batch(be, BPF_MAP_LOOKUP_BATCH, fd, key, val), -ENOTSUPP);
		EQ(batch(be, BPF_MAP_UPDATE_BATCH, fd, key, val), -ENOTSUPP);
		EQ(batch(be, BPF_MAP_DELETE_BATCH, fd, key, val), -ENOTSUPP);
		EQ(be_map_op(be, BPF_MAP_FREEZE, fd, NULL, NULL, 0), 0);
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, 0), -EPERM);
		EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, fd, key, NULL, 0), -EPERM);
		be_close(be, fd);
	}
	/* with a lock in the value, BPF_F_LOCK passes the first check */
	int fd = create(be, CG, 16, 8, 0, 0, btf, T_CGKEY, T_LOCKED);

	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, key, val, BPF_F_LOCK), -ENOENT);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_F_LOCK), -ENOENT);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, key, val, BPF_F_LOCK | BPF_NOEXIST), -EINVAL);
	be_close(be, fd);
}

/* A socket storage, keyed by the caller's socket fds. */
static void sk_ops(const struct backend *be, int btf)
{
	int m = create(be, SK, 4, 8, 0, NOPRE, btf, T_INT, T_VAL);
	int s = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET6, SOCK_STREAM, 0);
	int u = socket(AF_UNIX, SOCK_DGRAM, 0), nul = open("/dev/null", O_RDONLY), d, k;
	uint64_t v = 0x1122334455667788ull, out;

	if (m < 0)
		goto out;
	k = s;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -ENOENT);
	k = nul;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -ENOTSOCK);
	k = 9999;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -EBADF);
	k = -1;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -EBADF);
	k = s;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, BPF_F_LOCK), -EINVAL); /* no lock */
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 4), -EINVAL);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, BPF_EXIST), -ENOENT);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 3), -EINVAL);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, BPF_NOEXIST), 0);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, BPF_NOEXIST), -EEXIST);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, BPF_ANY), 0);
	v++;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, BPF_EXIST), 0);
	out = 0;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), 0);
	EQ(out, 0x1122334455667789ull);
	/* the socket, not the fd: a dup reaches the same storage */
	d = dup(s);
	k = d;
	out = 0;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), 0);
	EQ(out, 0x1122334455667789ull);
	/* the socket is checked before the flags */
	k = nul;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 3), -ENOTSOCK);
	k = 9999;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 3), -EBADF);
	/* any socket */
	k = t;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 0), 0);
	k = u;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 0), 0);
	k = s;
	EQ(next(be, m, NULL, &out), -ENOTSUPP);
	EQ(next(be, m, &k, &out), -ENOTSUPP);
	EQ(be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, m, &k, &out, 0), -ENOTSUPP);
	k = nul;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, m, &k, &out, 0), -ENOTSUPP);
	EQ(batch(be, BPF_MAP_LOOKUP_BATCH, m, &k, &out), -ENOTSUPP);
	EQ(batch(be, BPF_MAP_UPDATE_BATCH, m, &k, &v), -ENOTSUPP);
	EQ(batch(be, BPF_MAP_DELETE_BATCH, m, &k, &v), -ENOTSUPP);
	k = s;
	EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, m, &k, NULL, 0), 0);
	EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, m, &k, NULL, 0), -ENOENT);
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -ENOENT);
	k = nul;
	EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, m, &k, NULL, 0), -ENOTSOCK);
	k = 9999;
	EQ(be_map_op(be, BPF_MAP_DELETE_ELEM, m, &k, NULL, 0), -EBADF);
	/* a socket's storage goes with it: a new socket on the same fd has none */
	k = u;
	close(u);
	u = socket(AF_UNIX, SOCK_DGRAM, 0);
	EQ(u, k);
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), -ENOENT);
	EQ(be_map_op(be, BPF_MAP_FREEZE, m, NULL, NULL, 0), 0);
	k = t;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, &v, 0), -EPERM);
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, &out, 0), 0);
	close(d);
out:
	be_close(be, m);
	close(s);
	close(t);
	close(u);
	close(nul);
}

/* A bpf_spin_lock in a socket storage's value: never copied, BPF_F_LOCK. */
static void sk_lock(const struct backend *be, int btf)
{
	int m = create(be, SK, 4, 8, 0, NOPRE, btf, T_INT, T_LOCKED);
	int s = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_DGRAM, 0), k = s;
	uint32_t v[2] = {7, 0x12345}, out[2];

	if (m < 0)
		goto out;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, v, BPF_F_LOCK), 0);
	out[0] = out[1] = 0xdead;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, out, 0), 0);
	EQ(out[0], 7);
	EQ(out[1], 0); /* the lock word reads 0 */
	out[1] = 0xdead;
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, m, &k, out, BPF_F_LOCK), 0);
	EQ(out[1], 0);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, v, BPF_F_LOCK | BPF_NOEXIST), -EEXIST);
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, v, BPF_F_LOCK | BPF_EXIST), 0);
	k = t;
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, m, &k, v, BPF_F_LOCK | BPF_EXIST), -ENOENT);
out:
	be_close(be, m);
	close(s);
	close(t);
}

int main(void)
{
	const struct backend *backends[2] = {&bpfhost, &kernel};
	int kfd = be_map_create(&kernel, CG, 16, 8, 0, 0);

	if (kfd < 0)
		printf("NOTICE: test_local_storage: the kernel refuses BPF_MAP_CREATE (%s): "
		       "bpfhost only\n",
		       strerror(-kfd));
	be_close(&kernel, kfd);
	for (int i = 0; i < (kfd >= 0 ? 2 : 1); i++) {
		const struct backend *be = backends[i];
		int btf = btf_fd(be);

		cgroup_creation(be, btf);
		sk_creation(be, btf);
		cgroup_ops(be, btf);
		sk_ops(be, btf);
		sk_lock(be, btf);
		be_close(be, btf);
	}
	return TEST_DONE();
}
