/* struct bpf_timer in map values, from user space: which map types take a
 * value with a timer (BPF_MAP_CREATE's errno otherwise), which BTF shapes
 * the kernel counts as a timer (found where the kernel's btf_parse_fields
 * finds one: aligned, 16 bytes, named so, nested or in a datasec; not
 * through a typedef, a modifier or an array of two), and what user space
 * sees of it: a lookup reads its 16 bytes as zeros (a lock word too), an
 * update never writes them. The values below were read off Linux 6.18;
 * asserted on bpfhost, and on the kernel too where it can be asked (else a
 * notice). The programs' side is tests/libbpf/test_timer. */
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>

#include "test_util.h"
#include "backend.h"

/* type ids in the test's BTF, in the order btf_fd adds them */
enum {
	T_U32 = 1,
	T_U64,
	T_TIMER,
	T_VAL,	  /* { u64 a; timer t; }: the timer at 8 */
	T_VAL4,	  /* { u32 a; timer t at 4 }: misaligned, none */
	T_TWO,	  /* { timer t; timer u; }: two in one struct, none */
	T_ARR2,	  /* timer[2] */
	T_TARR,	  /* { timer t[2]; }: none */
	T_ARR1,	  /* timer[1] */
	T_TARR1,  /* { timer t[1]; }: the timer at 0 */
	T_INNER,  /* { u64 x; timer t; } */
	T_NESTED, /* { u64 a; inner in; }: the timer at 16 */
	T_TIMER8, /* another struct bpf_timer, of 8 bytes */
	T_SMALL,  /* { timer8 t; u64 x; }: none */
	T_LOCK,	  /* struct bpf_spin_lock */
	T_BOTH,	  /* { lock l; u32 p; timer t; u64 x; }: lock at 0, timer at 8 */
	T_CONST,  /* const timer */
	T_CVAL,	  /* { u64 a; const timer t; }: none */
	T_TDEF,	  /* typedef timer timer_t */
	T_TDVAL,  /* { u64 a; timer_t t; }: none */
	T_VAL_TD, /* typedef val val_t: the timer at 8 */
	T_VAR_X,
	T_VAR_T,
	T_DATASEC, /* .bss { u64 gx; timer gt; }: the timer at 8 */
	T_ARRIN,   /* inner[2] */
	T_TARRIN,  /* { inner in[2]; }: none */
};

static int btf_fd(const struct backend *be)
{
	struct btf *b = btf__new_empty();
	union bpf_attr a;
	uint32_t size;
	const void *raw;
	int fd;

	btf__add_int(b, "unsigned int", 4, 0);
	btf__add_int(b, "long long unsigned int", 8, 0);
	btf__add_struct(b, "bpf_timer", 16);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "b", T_U64, 64, 0);
	btf__add_struct(b, "val", 24);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "t", T_TIMER, 64, 0);
	btf__add_struct(b, "val4", 24);
	btf__add_field(b, "a", T_U32, 0, 0);
	btf__add_field(b, "t", T_TIMER, 32, 0);
	btf__add_struct(b, "two", 32);
	btf__add_field(b, "t", T_TIMER, 0, 0);
	btf__add_field(b, "u", T_TIMER, 128, 0);
	btf__add_array(b, T_U32, T_TIMER, 2);
	btf__add_struct(b, "tarr", 32);
	btf__add_field(b, "t", T_ARR2, 0, 0);
	btf__add_array(b, T_U32, T_TIMER, 1);
	btf__add_struct(b, "tarr1", 16);
	btf__add_field(b, "t", T_ARR1, 0, 0);
	btf__add_struct(b, "inner", 24);
	btf__add_field(b, "x", T_U64, 0, 0);
	btf__add_field(b, "t", T_TIMER, 64, 0);
	btf__add_struct(b, "nested", 32);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "in", T_INNER, 64, 0);
	btf__add_struct(b, "bpf_timer", 8);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_struct(b, "small", 16);
	btf__add_field(b, "t", T_TIMER8, 0, 0);
	btf__add_field(b, "x", T_U64, 64, 0);
	btf__add_struct(b, "bpf_spin_lock", 4);
	btf__add_field(b, "val", T_U32, 0, 0);
	btf__add_struct(b, "both", 32);
	btf__add_field(b, "l", T_LOCK, 0, 0);
	btf__add_field(b, "p", T_U32, 32, 0);
	btf__add_field(b, "t", T_TIMER, 64, 0);
	btf__add_field(b, "x", T_U64, 192, 0);
	btf__add_const(b, T_TIMER);
	btf__add_struct(b, "cval", 24);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "t", T_CONST, 64, 0);
	btf__add_typedef(b, "timer_t", T_TIMER);
	btf__add_struct(b, "tdval", 24);
	btf__add_field(b, "a", T_U64, 0, 0);
	btf__add_field(b, "t", T_TDEF, 64, 0);
	btf__add_typedef(b, "val_t", T_VAL);
	btf__add_var(b, "gx", BTF_VAR_GLOBAL_ALLOCATED, T_U64);
	btf__add_var(b, "gt", BTF_VAR_GLOBAL_ALLOCATED, T_TIMER);
	btf__add_datasec(b, ".bss", 24);
	btf__add_datasec_var_info(b, T_VAR_X, 0, 8);
	btf__add_datasec_var_info(b, T_VAR_T, 8, 16);
	btf__add_array(b, T_U32, T_INNER, 2);
	btf__add_struct(b, "tarrin", 48);
	btf__add_field(b, "in", T_ARRIN, 0, 0);
	raw = btf__raw_data(b, &size);
	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)raw;
	a.btf_size = size;
	fd = be_sys(be, BPF_BTF_LOAD, &a);
	CHECK(fd >= 0, "[%s] BTF_LOAD: %d", be->name, fd);
	btf__free(b);
	return fd;
}

static int create(const struct backend *be, int btf, uint32_t type, uint32_t value_id,
		  uint32_t value_size, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = value_size;
	a.max_entries = 4;
	a.map_flags = flags;
	a.btf_fd = (uint32_t)btf;
	a.btf_key_type_id = T_U32;
	a.btf_value_type_id = value_id;
	return be_sys(be, BPF_MAP_CREATE, &a);
}

/* >= 0 (an fd, closed) or -errno */
static int creates(const struct backend *be, int btf, uint32_t type, uint32_t value_id,
		   uint32_t value_size, uint32_t flags)
{
	int fd = create(be, btf, type, value_id, value_size, flags);

	be_close(be, fd);
	return fd < 0 ? fd : 0;
}

static void map_types(const struct backend *be, int btf)
{
	static const struct {
		uint32_t type, flags;
		int want;
	} cases[] = {
		{BPF_MAP_TYPE_HASH, 0, 0},
		{BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC, 0},
		{BPF_MAP_TYPE_ARRAY, 0, 0},
		{BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE, 0},
		{BPF_MAP_TYPE_LRU_HASH, 0, 0},
		{BPF_MAP_TYPE_PERCPU_HASH, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_PERCPU_ARRAY, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_LRU_PERCPU_HASH, 0, -EOPNOTSUPP},
		{BPF_MAP_TYPE_ARRAY, BPF_F_RDONLY_PROG, -EACCES},
		{BPF_MAP_TYPE_HASH, BPF_F_WRONLY_PROG, -EACCES},
		{BPF_MAP_TYPE_LRU_HASH, BPF_F_RDONLY_PROG, -EACCES},
		{BPF_MAP_TYPE_PERCPU_HASH, BPF_F_RDONLY_PROG, -EACCES}, /* before the type */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = creates(be, btf, cases[i].type, T_VAL, 24, cases[i].flags);

		CHECK(got == cases[i].want,
		      "[%s] create type %u flags 0x%x, a timer in the value: %d, "
		      "want %d",
		      be->name, cases[i].type, cases[i].flags, got, cases[i].want);
	}
	/* a lock and a timer: the lock's rules too */
	EQ(creates(be, btf, BPF_MAP_TYPE_HASH, T_BOTH, 32, 0), 0);
	EQ(creates(be, btf, BPF_MAP_TYPE_ARRAY, T_BOTH, 32, 0), 0);
	EQ(creates(be, btf, BPF_MAP_TYPE_LRU_HASH, T_BOTH, 32, 0), -EOPNOTSUPP);
	/* the datasec of global data */
	EQ(creates(be, btf, BPF_MAP_TYPE_ARRAY, T_DATASEC, 24, 0), 0);
	EQ(creates(be, btf, BPF_MAP_TYPE_PERCPU_ARRAY, T_DATASEC, 24, 0), -EOPNOTSUPP);
}

/* Which bytes a lookup reads as zero after an update of all 0xff: the
 * special fields the kernel found (a bit per byte) */
static uint64_t zeros(const struct backend *be, int btf, uint32_t type, uint32_t value_id,
		      uint32_t value_size)
{
	uint8_t v[64];
	uint32_t key = 1;
	uint64_t mask = 0;
	int fd = create(be, btf, type, value_id, value_size, 0);

	CHECK(fd >= 0, "[%s] create type %u value %u: %d", be->name, type, value_id, fd);
	if (fd < 0)
		return ~0ull;
	memset(v, 0xff, sizeof(v));
	EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, &key, v, 0), 0);
	memset(v, 0xaa, sizeof(v));
	EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, &key, v, 0), 0);
	for (uint32_t i = 0; i < value_size; i++)
		if (!v[i])
			mask |= 1ull << i;
	be_close(be, fd);
	return mask;
}

#define BYTES(from, n) ((((n) == 64 ? 0 : 1ull << (n)) - 1) << (from))

static void shapes(const struct backend *be, int btf)
{
	static const struct {
		uint32_t id, size;
		uint64_t zeros; /* 0: the kernel counts no timer */
		const char *what;
	} cases[] = {
		{T_VAL, 24, BYTES(8, 16), "a timer at 8"},
		{T_VAL_TD, 24, BYTES(8, 16), "the value through a typedef"},
		{T_NESTED, 32, BYTES(16, 16), "a timer in a nested struct"},
		{T_TARR1, 16, BYTES(0, 16), "an array of one timer"},
		{T_BOTH, 32, BYTES(0, 4) | BYTES(8, 16), "a lock and a timer"},
		{T_VAL4, 24, 0, "a misaligned timer"},
		{T_TWO, 32, 0, "two timers in one struct"},
		{T_TARR, 32, 0, "an array of two timers"},
		{T_TARRIN, 48, 0, "an array of two structs with a timer"},
		{T_SMALL, 16, 0, "an 8-byte struct bpf_timer"},
		{T_CVAL, 24, 0, "a const timer"},
		{T_TDVAL, 24, 0, "a typedef of the timer"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = zeros(be, btf, BPF_MAP_TYPE_HASH, cases[i].id, cases[i].size);
		int pcpu =
			creates(be, btf, BPF_MAP_TYPE_PERCPU_HASH, cases[i].id, cases[i].size, 0);

		CHECK(got == cases[i].zeros, "[%s] %s: lookup zeros 0x%llx, want 0x%llx", be->name,
		      cases[i].what, (unsigned long long)got, (unsigned long long)cases[i].zeros);
		/* a percpu hash takes a value only without a timer (or a lock) */
		CHECK(pcpu == (cases[i].zeros ? -EOPNOTSUPP : 0), "[%s] %s: percpu hash %d",
		      be->name, cases[i].what, pcpu);
	}
	EQ(zeros(be, btf, BPF_MAP_TYPE_ARRAY, T_VAL, 24), BYTES(8, 16));
	EQ(zeros(be, btf, BPF_MAP_TYPE_LRU_HASH, T_VAL, 24), BYTES(8, 16));
	EQ(zeros(be, btf, BPF_MAP_TYPE_ARRAY, T_DATASEC, 24), BYTES(8, 16));
}

/* Updates never write the timer; BPF_F_LOCK copies skip it too */
static void copies(const struct backend *be, int btf)
{
	struct {
		uint32_t lock, p;
		uint64_t t[2], x;
	} v = {0xffffffff, 7, {0x1111, 0x2222}, 9}, out;
	uint32_t key = 1;

	for (int array = 0; array < 2; array++) {
		int fd = create(be, btf, array ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH, T_BOTH, 32,
				0);

		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, &key, &v, 0), 0);
		memset(&out, 0xaa, sizeof(out));
		EQ(be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, &key, &out, BPF_F_LOCK), 0);
		CHECK(out.lock == 0 && out.p == 7 && !out.t[0] && !out.t[1] && out.x == 9,
		      "[%s] %s: lookup BPF_F_LOCK: lock %x p %u t %llx %llx x %llu", be->name,
		      array ? "array" : "hash", out.lock, out.p, (unsigned long long)out.t[0],
		      (unsigned long long)out.t[1], (unsigned long long)out.x);
		v.p = 8;
		EQ(be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, &key, &v, BPF_F_LOCK), 0);
		memset(&out, 0xaa, sizeof(out));
		EQ(be_map_op(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &out, 0),
		   array ? -524 : 0);
		if (!array)
			CHECK(out.p == 8 && !out.t[0] && !out.t[1],
			      "[%s] hash: lookup_and_delete: p %u t %llx %llx", be->name, out.p,
			      (unsigned long long)out.t[0], (unsigned long long)out.t[1]);
		v.p = 7;
		be_close(be, fd);
	}
}

int main(void)
{
	const struct backend *backends[2] = {&bpfhost, &kernel};
	int kfd = be_map_create(&kernel, BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);

	if (kfd < 0)
		printf("NOTICE: test_timer: the kernel refuses BPF_MAP_CREATE (%s): bpfhost only\n",
		       strerror(-kfd));
	be_close(&kernel, kfd);
	for (int i = 0; i < (kfd >= 0 ? 2 : 1); i++) {
		const struct backend *be = backends[i];
		int btf = btf_fd(be);

		map_types(be, btf);
		shapes(be, btf);
		copies(be, btf);
		be_close(be, btf);
	}
	return TEST_DONE();
}
