// SPDX-License-Identifier: GPL-2.0
/* The helpers of loader programs, for tests/libbpf/test_sysbpf.c: "sys" runs
 * bpf() commands with bpf_sys_bpf as a light skeleton's loader does (attrs,
 * keys, instructions and BTF in its global data), the commands the kernel
 * refuses, closes an fd with bpf_sys_close, and asks bpf_kallsyms_lookup_name
 * and bpf_btf_find_by_name_kind, every error included. "escape" points attrs
 * at memory outside the program: only bpfhost runs it (the kernel would read
 * a user address as kernel memory). */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/bpf_helpers.h>

struct args {
	/* in */
	__u32 map_id; /* of a map the test made */
	__u32 pad;
	__u64 user_addr; /* memory of the test, outside every program's */
	/* out: fds */
	__s64 map_fd, hash_fd, prog_fd, btf_fd, id_fd;
	/* out: results */
	__s64 create_bad;
	__s64 update[5];
	__s64 delete[3];
	__s64 freeze, update_frozen;
	__s64 id_zero;
	__s64 load[5];
	__s64 btf_bad;
	__s64 refused[6];
	__s64 big[2];
	__s64 close[3];
	__s64 ksym[8];
	__u64 kaddr[8];
	__s64 btf[8];
	__s64 escape[6];
};

union bpf_attr attr;
__u32 key;
__u64 value;
char big[4200];
int fd_array[1];
char prog_license[] = "GPL";
char name_hash[] = "sysbpf_hash";

/* r0 = *(u64 *)(the value of fd_array[0]'s map + 0); exit */
struct bpf_insn inner[4] = {
	{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_IDX_VALUE},
	{0},
	{.code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 0, .src_reg = 1},
	{.code = BPF_JMP | BPF_EXIT},
};

/* A BTF object with one type: int */
struct mini_btf {
	struct btf_header hdr;
	__u32 type[4];
	char strings[5];
} btf_blob = {
	.hdr = {.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header),
		.type_off = 0,
		.type_len = 16,
		.str_off = 16,
		.str_len = 5},
	.type = {1, BTF_KIND_INT << 24, 4, 32},
	.strings = "\0int",
};
struct mini_btf btf_bad;

/* The two helpers with a 64-bit flags register: the kernel reads an int */
static long (*kallsyms_lookup_name64)(const char *name, int name_sz, __u64 flags,
				      __u64 *res) = (void *)BPF_FUNC_kallsyms_lookup_name;
static long (*btf_find_by_name_kind64)(char *name, int name_sz, __u32 kind,
				       __u64 flags) = (void *)BPF_FUNC_btf_find_by_name_kind;

static void clear(void)
{
	__builtin_memset(&attr, 0, sizeof(attr));
}

static long sys(int cmd)
{
	return bpf_sys_bpf(cmd, &attr, sizeof(attr));
}

static void map_create(__u32 type, __u32 value_size, const char *name)
{
	clear();
	attr.map_type = type;
	attr.key_size = 4;
	attr.value_size = value_size;
	attr.max_entries = 1;
	__builtin_memcpy(attr.map_name, name, 12);
}

static long update(__u32 fd, __u32 k, __u64 flags)
{
	clear();
	attr.map_fd = fd;
	key = k;
	attr.key = (__u64)(long)&key;
	attr.value = (__u64)(long)&value;
	attr.flags = flags;
	return sys(BPF_MAP_UPDATE_ELEM);
}

static long delete (__u32 fd, __u32 k)
{
	clear();
	attr.map_fd = fd;
	key = k;
	attr.key = (__u64)(long)&key;
	return sys(BPF_MAP_DELETE_ELEM);
}

static void prog(__u32 type, __u32 insn_cnt, __u32 flags)
{
	clear();
	attr.prog_type = type;
	attr.insn_cnt = insn_cnt;
	attr.insns = (__u64)(long)inner;
	attr.license = (__u64)(long)prog_license;
	attr.prog_flags = flags;
	attr.fd_array = (__u64)(long)fd_array;
	__builtin_memcpy(attr.prog_name, "sysbpf_inner", 13);
}

SEC("syscall")
int run(struct args *ctx)
{
	long fd;

	/* maps */
	map_create(BPF_MAP_TYPE_ARRAY, 8, "sysbpf_arr\0");
	fd = sys(BPF_MAP_CREATE);
	ctx->map_fd = fd;
	map_create(BPF_MAP_TYPE_ARRAY, 0, "sysbpf_bad\0");
	ctx->create_bad = sys(BPF_MAP_CREATE);
	value = 0x1122334455667788ull;
	ctx->update[0] = update(fd, 0, BPF_ANY);
	ctx->update[1] = update(fd, 0, BPF_NOEXIST);
	ctx->update[2] = update(fd, 1, BPF_ANY);
	ctx->update[3] = update(fd, 0, BPF_F_LOCK);
	ctx->update[4] = update(-1, 0, BPF_ANY);
	map_create(BPF_MAP_TYPE_HASH, 4, name_hash);
	attr.max_entries = 4;
	ctx->hash_fd = sys(BPF_MAP_CREATE);
	update(ctx->hash_fd, 1, BPF_ANY);
	ctx->delete[0] = delete (ctx->hash_fd, 1);
	ctx->delete[1] = delete (ctx->hash_fd, 1);
	ctx->delete[2] = delete (fd, 0);

	/* a program reading the array through fd_array, and what loads refuse */
	fd_array[0] = fd;
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	ctx->prog_fd = sys(BPF_PROG_LOAD);
	prog(BPF_PROG_TYPE_SYSCALL, 0, BPF_F_SLEEPABLE);
	ctx->load[0] = sys(BPF_PROG_LOAD);
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	attr.license = 0;
	ctx->load[1] = sys(BPF_PROG_LOAD);
	prog(BPF_PROG_TYPE_SYSCALL, 4, 0);
	ctx->load[2] = sys(BPF_PROG_LOAD);
	prog(0xffff, 4, BPF_F_SLEEPABLE);
	ctx->load[3] = sys(BPF_PROG_LOAD);
	fd_array[0] = -1;
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	ctx->load[4] = sys(BPF_PROG_LOAD);

	/* frozen: no more updates */
	clear();
	attr.map_fd = fd;
	ctx->freeze = sys(BPF_MAP_FREEZE);
	ctx->update_frozen = update(fd, 0, BPF_ANY);

	/* a map by id */
	clear();
	attr.map_id = ctx->map_id;
	ctx->id_fd = sys(BPF_MAP_GET_FD_BY_ID);
	clear();
	ctx->id_zero = sys(BPF_MAP_GET_FD_BY_ID);

	/* BTF */
	clear();
	attr.btf = (__u64)(long)&btf_blob;
	attr.btf_size = sizeof(btf_blob.hdr) + sizeof(btf_blob.type) + sizeof(btf_blob.strings);
	ctx->btf_fd = sys(BPF_BTF_LOAD);
	btf_bad = btf_blob;
	btf_bad.hdr.magic = 0x1234;
	attr.btf = (__u64)(long)&btf_bad;
	ctx->btf_bad = sys(BPF_BTF_LOAD);

	/* commands a program may not run */
	clear();
	attr.map_fd = fd;
	ctx->refused[0] = sys(BPF_MAP_LOOKUP_ELEM);
	ctx->refused[1] = sys(BPF_MAP_GET_NEXT_KEY);
	ctx->refused[2] = sys(BPF_PROG_TEST_RUN);
	ctx->refused[3] = sys(BPF_OBJ_GET_INFO_BY_FD);
	ctx->refused[4] = sys(BPF_MAP_LOOKUP_AND_DELETE_ELEM);
	ctx->refused[5] = sys(BPF_OBJ_PIN);

	/* an attr bigger than a page; one with a nonzero byte past what bpf() knows */
	ctx->big[0] = bpf_sys_bpf(BPF_MAP_GET_FD_BY_ID, big, 4097);
	big[1000] = 1;
	ctx->big[1] = bpf_sys_bpf(BPF_MAP_GET_FD_BY_ID, big, 1024);

	/* kernel symbols */
	{
		char name[] = "bpf_prog_put";
		char dup[] = "__cpuid";
		char inner_nul[] = "bpf_prog_put\0xx";
		char none[] = "bpfhost_no_such_symbol";
		char empty[] = "";
		__u64 r0 = 7, r1 = 7, r2 = 7, r3 = 7, r4 = 7, r5 = 7, r6 = 7, r7 = 7;

		ctx->ksym[0] = bpf_kallsyms_lookup_name(name, sizeof(name), 0, &r0);
		ctx->ksym[1] = bpf_kallsyms_lookup_name(dup, sizeof(dup), 0, &r1);
		ctx->ksym[2] = bpf_kallsyms_lookup_name(inner_nul, sizeof(inner_nul), 0, &r2);
		ctx->ksym[3] = bpf_kallsyms_lookup_name(none, sizeof(none), 0, &r3);
		ctx->ksym[4] = bpf_kallsyms_lookup_name(name, sizeof(name), 1, &r4);
		ctx->ksym[5] = bpf_kallsyms_lookup_name(name, sizeof(name) - 1, 0, &r5);
		ctx->ksym[6] = bpf_kallsyms_lookup_name(empty, sizeof(empty), 0, &r6);
		/* flags is an int to the kernel: its upper half goes unseen */
		ctx->ksym[7] = kallsyms_lookup_name64(name, sizeof(name), 1ull << 32, &r7);
		ctx->kaddr[0] = r0, ctx->kaddr[1] = r1, ctx->kaddr[2] = r2, ctx->kaddr[3] = r3;
		ctx->kaddr[4] = r4, ctx->kaddr[5] = r5, ctx->kaddr[6] = r6, ctx->kaddr[7] = r7;
	}

	/* vmlinux BTF */
	{
		char task[] = "task_struct";
		char func[] = "bpf_prog_put";
		char v[] = "void";

		ctx->btf[0] = bpf_btf_find_by_name_kind(task, sizeof(task), BTF_KIND_STRUCT, 0);
		/* kind is a u8 to the kernel's search */
		ctx->btf[1] =
			bpf_btf_find_by_name_kind(task, sizeof(task), BTF_KIND_STRUCT + 256, 0);
		ctx->btf[2] = bpf_btf_find_by_name_kind(task, sizeof(task), BTF_KIND_UNION, 0);
		ctx->btf[3] = bpf_btf_find_by_name_kind(task, sizeof(task), BTF_KIND_STRUCT, 1);
		ctx->btf[4] = bpf_btf_find_by_name_kind(task, sizeof(task) - 1, BTF_KIND_STRUCT, 0);
		ctx->btf[5] = bpf_btf_find_by_name_kind(v, sizeof(v), BTF_KIND_UNKN, 0);
		ctx->btf[6] = bpf_btf_find_by_name_kind(func, sizeof(func), BTF_KIND_FUNC, 0);
		ctx->btf[7] =
			btf_find_by_name_kind64(task, sizeof(task), BTF_KIND_STRUCT, 1ull << 32);
	}

	/* last, so that no fd made above can take its number: close one */
	ctx->close[0] = bpf_sys_close(ctx->hash_fd);
	ctx->close[1] = bpf_sys_close(ctx->hash_fd);
	ctx->close[2] = bpf_sys_close(-1);
	return 0;
}

SEC("syscall")
int escape(struct args *ctx)
{
	long fd;

	map_create(BPF_MAP_TYPE_ARRAY, 8, "sysbpf_esc\0");
	fd = sys(BPF_MAP_CREATE);
	clear();
	attr.map_fd = fd;
	attr.key = ctx->user_addr;
	attr.value = (__u64)(long)&value;
	ctx->escape[0] = sys(BPF_MAP_UPDATE_ELEM);
	attr.key = (__u64)(long)&key;
	attr.value = ctx->user_addr;
	ctx->escape[1] = sys(BPF_MAP_UPDATE_ELEM);
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	attr.insns = ctx->user_addr;
	ctx->escape[2] = sys(BPF_PROG_LOAD);
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	attr.log_level = 1;
	attr.log_size = 64;
	attr.log_buf = ctx->user_addr;
	ctx->escape[3] = sys(BPF_PROG_LOAD);
	prog(BPF_PROG_TYPE_SYSCALL, 4, BPF_F_SLEEPABLE);
	attr.license = ctx->user_addr;
	ctx->escape[4] = sys(BPF_PROG_LOAD);
	clear();
	attr.btf = ctx->user_addr;
	attr.btf_size = 45;
	ctx->escape[5] = sys(BPF_BTF_LOAD);
	bpf_sys_close(fd);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
