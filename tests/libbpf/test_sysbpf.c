/* The helpers of loader programs (tests/bpf/sysbpf.bpf.o), run with
 * BPF_PROG_TEST_RUN: bpf_sys_bpf creates maps, updates and deletes elements,
 * loads a program that reads a map through fd_array, freezes, opens a map by
 * id, loads BTF, and answers as the kernel does where a command fails or is
 * one a program may not run; bpf_sys_close closes an fd of the process;
 * bpf_kallsyms_lookup_name gives what /proc/kallsyms shows;
 * bpf_btf_find_by_name_kind gives vmlinux BTF's ids. The same expectations
 * hold against the kernel (-DKERNEL_BACKEND). Against bpfhost only: attrs
 * that point outside the program's memory are refused (EFAULT).
 * Usage: test_sysbpf OBJ */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

/* As tests/bpf/sysbpf.bpf.c declares it. */
struct args {
	__u32 map_id;
	__u32 pad;
	__u64 user_addr;
	__s64 map_fd, hash_fd, prog_fd, btf_fd, id_fd;
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

#define BTF_BLOB_SIZE 45 /* the program's one-type BTF */

/* What kallsyms_lookup_name(name) gives, read from /proc/kallsyms: the first
 * entry of vmlinux (by address) or a module; *shown says whether the file
 * shows addresses at all. */
static __u64 kallsyms_first(const char *name, bool *shown)
{
	char line[1024], sym[512], mod[128];
	unsigned long long a, found = 0;
	FILE *f = fopen("/proc/kallsyms", "re");
	char type;

	*shown = false;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%llx %c %511s [%127[^]]]", &a, &type, sym, mod);

		if (n < 3)
			continue;
		*shown = *shown || a;
		if (!found && !strcmp(sym, name) && (n == 3 || strcmp(mod, "bpf")))
			found = a;
		if (found && *shown)
			break;
	}
	fclose(f);
	return found;
}

static void check_ksym(const struct args *a, int i, const char *name, __s64 want_err)
{
	bool shown;
	__u64 addr = kallsyms_first(name, &shown);
	/* the arguments first, then whether addresses may be shown (bpf_dump_raw_ok) */
	__s64 want = want_err ? want_err : !shown ? -EPERM : addr ? 0 : -ENOENT;

	if (want)
		addr = 0;
	CHECK(a->ksym[i] == want && a->kaddr[i] == addr,
	      "kallsyms_lookup_name #%d (%s): %lld, 0x%llx; expected %lld, 0x%llx", i, name,
	      (long long)a->ksym[i], (unsigned long long)a->kaddr[i], (long long)want,
	      (unsigned long long)addr);
}

static void check_btf(const struct args *a)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	__s64 task, func;

	CHECK(vmlinux != NULL, "vmlinux BTF: %s", strerror(errno));
	if (!vmlinux)
		return;
	task = btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT);
	func = btf__find_by_name_kind(vmlinux, "bpf_prog_put", BTF_KIND_FUNC);
	CHECK(task > 0 && a->btf[0] == task, "task_struct: %lld, expected %lld",
	      (long long)a->btf[0], (long long)task);
	CHECK(a->btf[1] == task, "task_struct, kind + 256: %lld", (long long)a->btf[1]);
	CHECK(a->btf[2] == -ENOENT, "task_struct as a union: %lld", (long long)a->btf[2]);
	CHECK(a->btf[3] == -EINVAL, "flags 1: %lld", (long long)a->btf[3]);
	CHECK(a->btf[4] == -EINVAL, "a name not ending at name_sz: %lld", (long long)a->btf[4]);
	CHECK(a->btf[5] == -ENOENT, "void, kind 0: %lld", (long long)a->btf[5]);
	CHECK(a->btf[6] == (func > 0 ? func : -ENOENT), "bpf_prog_put: %lld, expected %lld",
	      (long long)a->btf[6], (long long)func);
	CHECK(a->btf[7] == task, "flags 1 << 32: %lld", (long long)a->btf[7]);
	btf__free(vmlinux);
}

static void check_map(int fd, __u32 type, __u32 value_size, const char *name)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	CHECK(fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == type &&
		      info.key_size == 4 && info.value_size == value_size &&
		      !strcmp(info.name, name),
	      "map fd %d: type %u, sizes %u/%u, name %s", fd, info.type, info.key_size,
	      info.value_size, info.name);
}

static void check_fds(const struct args *a, __u32 map_id)
{
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	struct bpf_btf_info binfo;
	__u32 len;
	__u64 v = 0;
	__u32 k = 0;

	check_map((int)a->map_fd, BPF_MAP_TYPE_ARRAY, 8, "sysbpf_arr");
	CHECK(!bpf_map_lookup_elem((int)a->map_fd, &k, &v) && v == 0x1122334455667788ull,
	      "the program's update: 0x%llx", (unsigned long long)v);

	len = sizeof(pinfo);
	memset(&pinfo, 0, sizeof(pinfo));
	CHECK(a->prog_fd >= 0 && !bpf_obj_get_info_by_fd((int)a->prog_fd, &pinfo, &len) &&
		      pinfo.type == BPF_PROG_TYPE_SYSCALL && !strcmp(pinfo.name, "sysbpf_inner"),
	      "prog fd %lld: type %u, name %s", (long long)a->prog_fd, pinfo.type, pinfo.name);
	if (a->prog_fd >= 0) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);

		CHECK(!bpf_prog_test_run_opts((int)a->prog_fd, &opts) && opts.retval == 0x55667788u,
		      "the loaded program reads the array through fd_array: 0x%x", opts.retval);
	}

	len = sizeof(minfo);
	memset(&minfo, 0, sizeof(minfo));
	CHECK(a->id_fd >= 0 && !bpf_obj_get_info_by_fd((int)a->id_fd, &minfo, &len) &&
		      minfo.id == map_id,
	      "map by id: fd %lld, id %u, expected %u", (long long)a->id_fd, minfo.id, map_id);

	len = sizeof(binfo);
	memset(&binfo, 0, sizeof(binfo));
	CHECK(a->btf_fd >= 0 && !bpf_obj_get_info_by_fd((int)a->btf_fd, &binfo, &len) &&
		      binfo.btf_size == BTF_BLOB_SIZE,
	      "btf fd %lld: %u bytes", (long long)a->btf_fd, binfo.btf_size);

	/* the program closed it: the number is free */
	errno = 0;
	CHECK(a->hash_fd >= 0 && fcntl((int)a->hash_fd, F_GETFD) == -1 && errno == EBADF,
	      "fd %lld after bpf_sys_close: %s", (long long)a->hash_fd, strerror(errno));
}

static void check_results(const struct args *a)
{
	static const __s64 update[5] = {0, -EEXIST, -E2BIG, -EINVAL, -EBADF};
	static const __s64 delete[3] = {0, -ENOENT, -EINVAL};
	static const __s64 load[5] = {-E2BIG, -EFAULT, -EINVAL, -EINVAL, -EBADF};
	static const __s64 close_[3] = {0, -EBADF, -EBADF};

	CHECK(a->create_bad == -EINVAL, "map with value_size 0: %lld", (long long)a->create_bad);
	for (int i = 0; i < 5; i++)
		CHECK(a->update[i] == update[i], "update #%d: %lld, expected %lld", i,
		      (long long)a->update[i], (long long)update[i]);
	for (int i = 0; i < 3; i++)
		CHECK(a->delete[i] == delete[i], "delete #%d: %lld, expected %lld", i,
		      (long long)a->delete[i], (long long)delete[i]);
	for (int i = 0; i < 5; i++)
		CHECK(a->load[i] == load[i], "prog load #%d: %lld, expected %lld", i,
		      (long long)a->load[i], (long long)load[i]);
	CHECK(a->freeze == 0 && a->update_frozen == -EPERM, "freeze %lld, then update %lld",
	      (long long)a->freeze, (long long)a->update_frozen);
	CHECK(a->id_zero == -ENOENT, "map id 0: %lld", (long long)a->id_zero);
	CHECK(a->btf_bad == -EINVAL, "BTF with a bad magic: %lld", (long long)a->btf_bad);
	for (int i = 0; i < 6; i++)
		CHECK(a->refused[i] == -EINVAL, "refused command #%d: %lld", i,
		      (long long)a->refused[i]);
	CHECK(a->big[0] == -E2BIG && a->big[1] == -E2BIG,
	      "attr of 4097 bytes: %lld; nonzero past the union: %lld", (long long)a->big[0],
	      (long long)a->big[1]);
	for (int i = 0; i < 3; i++)
		CHECK(a->close[i] == close_[i], "bpf_sys_close #%d: %lld, expected %lld", i,
		      (long long)a->close[i], (long long)close_[i]);

	check_ksym(a, 0, "bpf_prog_put", 0);
	check_ksym(a, 1, "__cpuid", 0); /* many: the lowest address */
	check_ksym(a, 2, "bpf_prog_put", 0);
	check_ksym(a, 3, "bpfhost_no_such_symbol", 0);
	check_ksym(a, 4, "bpf_prog_put", -EINVAL);
	check_ksym(a, 5, "bpf_prog_put", -EINVAL);
	check_ksym(a, 6, "", -EINVAL);
	check_ksym(a, 7, "bpf_prog_put", 0);
	check_btf(a);
}

static void close_fds(const struct args *a)
{
	const __s64 fds[] = {a->map_fd, a->prog_fd, a->btf_fd, a->id_fd};

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close((int)fds[i]);
}

static void escape(struct bpf_object *obj)
{
#ifdef KERNEL_BACKEND
	(void)obj;
	printf("NOTICE: escape runs on bpfhost only (the kernel reads attr pointers as its own "
	       "memory)\n");
#else
	static char secret[64] = "not the program's"; /* no program may touch it */
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "escape");
	static struct args a;

	a.user_addr = (__u64)(uintptr_t)secret;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	CHECK(p && !bpf_prog_test_run_opts(bpf_program__fd(p), &opts), "run escape");
	for (int i = 0; i < 6; i++)
		CHECK(a.escape[i] == -EFAULT, "escape #%d: %lld", i, (long long)a.escape[i]);
	CHECK(!strcmp(secret, "not the program's"), "the test's memory: %s", secret);
#endif
}

int main(int argc, char **argv)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	struct bpf_object *obj;
	struct bpf_program *p;
	static struct args a;
	bool skipped;
	int user_map, err;

	if (argc != 2)
		return 2;
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	p = bpf_object__find_program_by_name(obj, "run");
	user_map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sysbpf_user", 4, 4, 1, NULL);
	memset(&info, 0, sizeof(info));
	CHECK(p && user_map >= 0 && !bpf_obj_get_info_by_fd(user_map, &info, &len),
	      "the program and a map: %s", strerror(errno));
	a.map_id = info.id;
	memset(&a.map_fd, 0xff, sizeof(a) - offsetof(struct args, map_fd));

	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	err = p ? bpf_prog_test_run_opts(bpf_program__fd(p), &opts) : -1;
	CHECK(err == 0 && opts.retval == 0, "run: %d, retval %u", err, opts.retval);
	if (!err) {
		check_results(&a);
		check_fds(&a, info.id);
		close_fds(&a);
	}
	escape(obj);
	close(user_map);
	bpf_object__close(obj);
	return TEST_DONE();
}
