/* DEVMAP, DEVMAP_HASH, CPUMAP and XSKMAP from user space, and bpf_redirect_map and
 * bpf_redirect from an XDP program's test run: every step's result as
 * Linux 6.18 gives it (the values below were read off the kernel), asserted
 * on bpfhost, and on the kernel too where it can be asked (else a notice). */
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_util.h"
#include "backend.h"

#define DEVMAP BPF_MAP_TYPE_DEVMAP
#define DEVMAP_HASH BPF_MAP_TYPE_DEVMAP_HASH
#define CPUMAP BPF_MAP_TYPE_CPUMAP
#define XSKMAP BPF_MAP_TYPE_XSKMAP

static int upd(const struct backend *be, int fd, uint32_t k, uint32_t v0, uint32_t v1,
	       uint64_t flags)
{
	uint32_t v[2] = {v0, v1};

	return be_map_op(be, BPF_MAP_UPDATE_ELEM, fd, &k, v, flags);
}

static int look(const struct backend *be, int fd, uint32_t k, uint32_t out[2])
{
	out[0] = out[1] = 0xdead;
	return be_map_op(be, BPF_MAP_LOOKUP_ELEM, fd, &k, out, 0);
}

static int del(const struct backend *be, int fd, uint32_t k)
{
	return be_map_op(be, BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0);
}

static int next(const struct backend *be, int fd, const uint32_t *k, uint32_t *n)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)k;
	a.next_key = (uint64_t)(uintptr_t)n;
	return be_sys(be, BPF_MAP_GET_NEXT_KEY, &a);
}

static void creation(const struct backend *be)
{
	int fd;

	for (uint32_t t = 0; t < 3; t++) {
		uint32_t type = t == 0 ? DEVMAP : t == 1 ? DEVMAP_HASH : CPUMAP;

		fd = be_map_create(be, type, 4, 4, 4, 0);
		CHECK(fd >= 0, "[%s] type %u, value 4: %d", be->name, type, fd);
		be_close(be, fd);
		fd = be_map_create(be, type, 4, 8, 4, 0);
		CHECK(fd >= 0, "[%s] type %u, value 8: %d", be->name, type, fd);
		be_close(be, fd);
		EQ(be_map_create(be, type, 4, 12, 4, 0), -EINVAL);
		EQ(be_map_create(be, type, 8, 4, 4, 0), -EINVAL);
		EQ(be_map_create(be, type, 4, 4, 0, 0), -EINVAL);
		EQ(be_map_create(be, type, 4, 4, 4, BPF_F_NO_PREALLOC), -EINVAL);
		EQ(be_map_create(be, type, 4, 4, 4, BPF_F_MMAPABLE), -EINVAL);
	}
	EQ(be_map_create(be, CPUMAP, 4, 4, 100000, 0), -E2BIG);
}

static void devmap(const struct backend *be)
{
	int fd = be_map_create(be, DEVMAP, 4, 8, 4, 0);
	uint32_t out[2], k, n;

	if (fd < 0)
		return;
	EQ(look(be, fd, 0, out), -ENOENT);
	EQ(upd(be, fd, 0, 1, 0, 0), 0); /* the loopback */
	EQ(look(be, fd, 0, out), 0);
	EQ(out[0], 1);
	EQ(out[1], 0);				   /* no program: id 0 */
	EQ(upd(be, fd, 1, 999999, 0, 0), -EINVAL); /* no such device */
	EQ(upd(be, fd, 1, 1, 0, 0), 0);
	EQ(upd(be, fd, 1, 0, 0, 0), 0); /* ifindex 0 empties the slot */
	EQ(look(be, fd, 1, out), -ENOENT);
	EQ(upd(be, fd, 1, 1, (uint32_t)-1, 0), 0); /* fd -1: no program */
	EQ(upd(be, fd, 4, 1, 0, 0), -E2BIG);
	EQ(upd(be, fd, 0, 1, 0, BPF_NOEXIST), -EEXIST);
	EQ(upd(be, fd, 0, 1, 0, BPF_EXIST), 0);
	EQ(upd(be, fd, 0, 1, 0, 4), -EINVAL);
	EQ(upd(be, fd, 2, 1, 0, BPF_EXIST), 0); /* every slot exists */
	EQ(del(be, fd, 3), 0);			/* empty: still 0 */
	EQ(del(be, fd, 0), 0);
	EQ(look(be, fd, 0, out), -ENOENT);
	EQ(del(be, fd, 9), -EINVAL);
	n = 77;
	EQ(next(be, fd, NULL, &n), 0);
	EQ(n, 0);
	k = 1;
	EQ(next(be, fd, &k, &n), 0);
	EQ(n, 2);
	k = 3;
	EQ(next(be, fd, &k, &n), -ENOENT);
	k = 9;
	EQ(next(be, fd, &k, &n), 0);
	EQ(n, 0);
	be_close(be, fd);
}

static void devmap_hash(const struct backend *be)
{
	int fd = be_map_create(be, DEVMAP_HASH, 4, 4, 4, 0);
	uint32_t out[2], k, n, seen = 0;

	if (fd < 0)
		return;
	EQ(upd(be, fd, 100, 1, 0, 0), 0);
	EQ(look(be, fd, 100, out), 0);
	EQ(out[0], 1);
	EQ(look(be, fd, 5, out), -ENOENT);
	EQ(del(be, fd, 5), -ENOENT);
	EQ(upd(be, fd, 100, 1, 0, BPF_NOEXIST), -EEXIST);
	EQ(upd(be, fd, 7, 1, 0, BPF_EXIST), 0); /* BPF_EXIST is not checked */
	EQ(upd(be, fd, 100, 0, 0, 0), -EINVAL); /* no ifindex 0 in a hash */
	for (k = 200; k < 202; k++)
		EQ(upd(be, fd, k, 1, 0, 0), 0);
	EQ(upd(be, fd, 203, 1, 0, 0), -E2BIG); /* full */
	for (int r = next(be, fd, NULL, &n); r == 0 && seen < 10; r = next(be, fd, &k, &n)) {
		seen++;
		k = n;
	}
	EQ(seen, 4);
	EQ(del(be, fd, 201), 0);
	EQ(look(be, fd, 201, out), -ENOENT);
	EQ(upd(be, fd, 203, 1, 0, 0), 0); /* room again */
	be_close(be, fd);
}

static void cpumap(const struct backend *be)
{
	int fd = be_map_create(be, CPUMAP, 4, 4, 4, 0);
	uint32_t out[2];

	if (fd < 0)
		return;
	EQ(upd(be, fd, 0, 192, 0, 0), 0);
	EQ(look(be, fd, 0, out), 0);
	EQ(out[0], 192);
	EQ(upd(be, fd, 1, 0, 0, 0), 0);		     /* qsize 0: no entry */
	EQ(upd(be, fd, 1, 16385, 0, 0), -EOVERFLOW); /* over 16384 */
	if (sysconf(_SC_NPROCESSORS_CONF) < 4)
		EQ(upd(be, fd, 3, 10, 0, 0), -ENODEV); /* no such CPU */
	EQ(look(be, fd, 2, out), -ENOENT);
	EQ(del(be, fd, 2), 0);
	EQ(del(be, fd, 4), -EINVAL);
	be_close(be, fd);
}

/* r0 = bpf_redirect_map(map, key, flags) (or bpf_redirect(key, flags) with
 * no map), run once in an XDP test run: the retval, or -errno. */
static long redirect(const struct backend *be, int map_fd, uint32_t key, uint32_t flags)
{
	struct bpf_insn p[] = {
		{.code = BPF_LD | BPF_DW | BPF_IMM,
		 .dst_reg = 1,
		 .src_reg = BPF_PSEUDO_MAP_FD,
		 .imm = map_fd},
		{0},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = (int32_t)key},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = (int32_t)flags},
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct bpf_insn q[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = (int32_t)key},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = (int32_t)flags},
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect},
		{.code = BPF_JMP | BPF_EXIT},
	};
	uint8_t pkt[64] = {0};
	union bpf_attr a;
	int fd, err;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_XDP;
	a.insns = (uint64_t)(uintptr_t)(map_fd >= 0 ? p : q);
	a.insn_cnt = map_fd >= 0 ? 6 : 4;
	a.license = (uint64_t)(uintptr_t) "GPL";
	fd = be_sys(be, BPF_PROG_LOAD, &a);
	if (fd < 0)
		return fd;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	err = be_sys(be, BPF_PROG_TEST_RUN, &a);
	be_close(be, fd);
	return err ? err : (long)a.test.retval;
}

static void redirects(const struct backend *be)
{
	int dm = be_map_create(be, DEVMAP, 4, 4, 4, 0), cm = be_map_create(be, CPUMAP, 4, 4, 4, 0);
	int dh = be_map_create(be, DEVMAP_HASH, 4, 4, 4, 0);

	if (dm < 0 || cm < 0 || dh < 0)
		goto out;
	EQ(upd(be, dm, 0, 1, 0, 0), 0);
	EQ(upd(be, cm, 0, 64, 0, 0), 0);
	EQ(upd(be, dh, 42, 1, 0, 0), 0);
	EQ(redirect(be, dm, 0, 0), XDP_REDIRECT);
	EQ(redirect(be, dm, 1, 0), XDP_ABORTED);     /* no entry: flags' action, 0 */
	EQ(redirect(be, dm, 1, XDP_PASS), XDP_PASS); /* ... the fallback asked */
	EQ(redirect(be, dm, 1, XDP_TX), XDP_TX);
	EQ(redirect(be, dm, 1, BPF_F_BROADCAST), XDP_REDIRECT); /* broadcast: no lookup */
	EQ(redirect(be, dm, 0, 1u << 5), XDP_ABORTED);		/* an unknown flag */
	EQ(redirect(be, dm, 1, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS), XDP_REDIRECT);
	EQ(redirect(be, dh, 42, 0), XDP_REDIRECT);
	EQ(redirect(be, dh, 43, XDP_DROP), XDP_DROP);
	EQ(redirect(be, cm, 0, 0), XDP_REDIRECT);
	EQ(redirect(be, cm, 1, XDP_PASS), XDP_PASS);
	EQ(redirect(be, cm, 0, BPF_F_BROADCAST), XDP_ABORTED); /* devmaps only */
	EQ(redirect(be, -1, 1, 0), XDP_REDIRECT);	       /* bpf_redirect */
	EQ(redirect(be, -1, 1, 1), XDP_ABORTED);	       /* XDP takes no flags */
out:
	be_close(be, dm);
	be_close(be, cm);
	be_close(be, dh);
}

/* An XSKMAP takes AF_XDP sockets that are bound with their rings set up:
 * nothing else, and never a value back to user space. */
static void xskmap(const struct backend *be)
{
	int fd = be_map_create(be, XSKMAP, 4, 4, 4, 0), pipefd[2] = {-1, -1};
	int udp = socket(AF_INET, SOCK_DGRAM, 0), xsk = socket(AF_XDP, SOCK_RAW, 0);
	uint32_t out[2], k, n;

	EQ(be_map_create(be, XSKMAP, 4, 8, 4, 0), -EINVAL);
	EQ(be_map_create(be, XSKMAP, 8, 4, 4, 0), -EINVAL);
	EQ(be_map_create(be, XSKMAP, 4, 4, 0, 0), -EINVAL);
	EQ(be_map_create(be, XSKMAP, 4, 4, 4, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK(fd >= 0 && pipe(pipefd) == 0 && udp >= 0, "[%s] xskmap, pipe, socket: %d", be->name,
	      fd);
	if (fd < 0)
		goto out;
	EQ(look(be, fd, 0, out), -EOPNOTSUPP);
	EQ(look(be, fd, 9, out), -EOPNOTSUPP);
	EQ(upd(be, fd, 0, (uint32_t)udp, 0, 3), -EINVAL); /* flags */
	EQ(upd(be, fd, 4, (uint32_t)udp, 0, 0), -E2BIG);
	EQ(upd(be, fd, 0, 9999, 0, 0), -EBADF);
	EQ(upd(be, fd, 0, (uint32_t)pipefd[0], 0, 0), -ENOTSOCK);
	EQ(upd(be, fd, 0, (uint32_t)udp, 0, 0), -EOPNOTSUPP); /* not AF_XDP */
	if (xsk >= 0) {					      /* an AF_XDP socket, bound or not */
		int xsk2 = socket(AF_XDP, SOCK_RAW, 0);

		EQ(upd(be, fd, 0, (uint32_t)xsk, 0, BPF_EXIST), -ENOENT);
		EQ(upd(be, fd, 0, (uint32_t)xsk, 0, 0), 0);
		EQ(upd(be, fd, 0, (uint32_t)xsk, 0, BPF_NOEXIST), 0); /* the same socket */
		EQ(upd(be, fd, 0, (uint32_t)xsk2, 0, BPF_NOEXIST), -EEXIST);
		EQ(upd(be, fd, 0, (uint32_t)xsk2, 0, BPF_EXIST), 0);
		EQ(look(be, fd, 0, out), -EOPNOTSUPP);
		EQ(redirect(be, fd, 0, 0), XDP_REDIRECT);
		EQ(redirect(be, fd, 0, 1u << 4), XDP_ABORTED);
		EQ(del(be, fd, 0), 0);
		EQ(redirect(be, fd, 0, XDP_PASS), XDP_PASS);
		close(xsk2);
	}
	EQ(del(be, fd, 0), 0);
	EQ(del(be, fd, 4), -EINVAL);
	EQ(next(be, fd, NULL, &n), 0);
	EQ(n, 0);
	k = 3;
	EQ(next(be, fd, &k, &n), -ENOENT);
	k = 9;
	EQ(next(be, fd, &k, &n), 0);
	EQ(n, 0);
	k = 1;
	EQ(next(be, fd, &k, &n), 0);
	EQ(n, 2);
	/* an empty entry: the fallback action in flags, no broadcast */
	EQ(redirect(be, fd, 0, 0), XDP_ABORTED);
	EQ(redirect(be, fd, 0, XDP_PASS), XDP_PASS);
	EQ(redirect(be, fd, 1, XDP_DROP), XDP_DROP);
	EQ(redirect(be, fd, 0, BPF_F_BROADCAST), XDP_ABORTED);
out:
	be_close(be, fd);
	close(udp);
	if (xsk >= 0)
		close(xsk);
	if (pipefd[0] >= 0) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
}

int main(void)
{
	const struct backend *backends[2] = {&bpfhost, &kernel};
	int kfd = be_map_create(&kernel, DEVMAP, 4, 4, 1, 0);

	if (kfd < 0)
		printf("NOTICE: test_devmap: the kernel refuses BPF_MAP_CREATE (%s): bpfhost "
		       "only\n",
		       strerror(-kfd));
	be_close(&kernel, kfd);
	for (int i = 0; i < (kfd >= 0 ? 2 : 1); i++) {
		creation(backends[i]);
		devmap(backends[i]);
		devmap_hash(backends[i]);
		cpumap(backends[i]);
		redirects(backends[i]);
		xskmap(backends[i]);
	}
	return TEST_DONE();
}
