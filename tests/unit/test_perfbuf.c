/* bpfhost's perf events (src/core/perf.c, src/maps/perf_event_array.c). Each
 * scenario runs against bpfhost (perf_open, mapfd_mmap, perf_fd_ioctl,
 * mapfd_epoll_*, as the wrappers call them; bpfhost_sys_bpf) and, when this
 * process may use perf_event_open(2) and bpf(2), against the kernel with the
 * same expectations: perf_event_open's checks, the mmap rules and the user
 * page, the ioctls, epoll readiness (EPOLLHUP before the first mmap, one
 * EPOLLIN per wakeup, the wakeup_events and watermark rules), the records
 * bpf_perf_event_output writes (every sample field bpfhost supports, the raw
 * data's padding, PERF_RECORD_LOST with its sample_id after a full ring), an
 * overwrite (read-only) ring, a paused, a disabled and another CPU's event,
 * an inherit event the map refuses. The program is raw instructions:
 * a raw tracepoint program test-run on a CPU in the kernel, the checked
 * interpreter with the kernel helper table in bpfhost. Then bpfhost alone:
 * an event bound to a thread, the registry of events and its sweep, and a
 * consumer asleep on two events woken by another thread. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "../../src/core/mmap.h"
#include "../../src/core/obj.h"
#include "../../src/core/perf.h"
#include "../../src/helpers/kernel.h"
#include "../../src/maps/map.h"
#include "../../src/maps/perf_event_array.h"
#include "../../src/vm/vm.h"
#include "test_util.h"
#include "backend.h"

#define PG 4096

static unsigned ncpus;

/* ---- the two backends ---- */

static int pe_open(const struct backend *be, struct perf_event_attr *attr, int pid, int cpu,
		   int group_fd, unsigned long flags)
{
	long fd;

	if (!be->kernel)
		return perf_open(attr, pid, cpu, group_fd, flags);
	fd = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);
	return fd < 0 ? -errno : (int)fd;
}

static void pe_close(const struct backend *be, int fd)
{
	struct perf_ring *r;

	if (fd < 0)
		return;
	if (be->kernel) {
		close(fd);
		return;
	}
	r = perf_fd_closing(fd);
	mapfd_closed(fd);
	close(fd);
	perf_fd_closed(r);
}

static void *pe_mmap(const struct backend *be, size_t len, int prot, int flags, int fd, off_t off)
{
	if (be->kernel)
		return mmap(NULL, len, prot, flags, fd, off);
	return mapfd_mmap(mmap, NULL, len, prot, flags, fd, off);
}

static int pe_ioctl(const struct backend *be, int fd, unsigned long cmd, unsigned long arg)
{
	long r;

	if (be->kernel || !perf_fd_ioctl(fd, cmd, arg, &r))
		return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	return (int)r;
}

static int ep_add(const struct backend *be, int epfd, int fd, uint64_t data)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = data};

	if (be->kernel)
		return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
	return mapfd_epoll_ctl(epoll_ctl, epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* The events of one epoll_wait: their count; *ev the first one's. */
static int ep_wait(const struct backend *be, int epfd, int timeout_ms, struct epoll_event *ev)
{
	struct epoll_event evs[8];
	int n = be->kernel ? epoll_wait(epfd, evs, 8, timeout_ms)
			   : mapfd_epoll_wait(epoll_wait, epfd, evs, 8, timeout_ms);

	if (n > 0 && ev)
		*ev = evs[0];
	return n;
}

static void ep_close(const struct backend *be, int epfd)
{
	if (!be->kernel)
		mapfd_closed(epfd);
	close(epfd);
}

/* A BPF output event as libbpf opens it, with these changes applied. */
static struct perf_event_attr out_attr(uint64_t sample_type, uint32_t wakeup_events)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_BPF_OUTPUT;
	a.sample_type = sample_type;
	a.sample_period = 1;
	a.wakeup_events = wakeup_events;
	return a;
}

/* ---- a program: bpf_perf_event_output(ctx, map, ctx[0], fp - 16, ctx[1]) ---- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){(c), (d), (s), (o), (i)})
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i) INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define LDX_DW(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define JGT_IMM(d, i, o) INSN(BPF_JMP | BPF_JGT | BPF_K, d, 0, o, i)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static const uint8_t payload[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

struct prog {
	int map_fd;
	int kfd;	    /* the kernel's program */
	struct vm_prog *vp; /* bpfhost's */
	struct bpfmap *map;
	struct obj *map_obj;
};

static int prog_make(const struct backend *be, struct prog *p)
{
	struct bpf_insn insns[] = {
		MOV64_REG(BPF_REG_6, BPF_REG_1),
		ST_W(BPF_REG_10, -16, 0x04030201),
		ST_W(BPF_REG_10, -12, 0x08070605),
		ST_W(BPF_REG_10, -8, 0x0c0b0a09),
		ST_W(BPF_REG_10, -4, 0x100f0e0d),
		LDX_DW(BPF_REG_3, BPF_REG_6, 0),
		LDX_DW(BPF_REG_5, BPF_REG_6, 8),
		MOV64_IMM(BPF_REG_0, -22),
		JGT_IMM(BPF_REG_5, 16, 6),
		MOV64_REG(BPF_REG_1, BPF_REG_6),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, 0),
		INSN(0, 0, 0, 0, 0),
		MOV64_REG(BPF_REG_4, BPF_REG_10),
		ADD64_IMM(BPF_REG_4, -16),
		CALL(BPF_FUNC_perf_event_output),
		EXIT(),
	};
	const size_t n = sizeof(insns) / sizeof(insns[0]);
	union bpf_attr a;
	char log[4096];
	int err = 0;

	memset(p, 0, sizeof(*p));
	p->kfd = -1;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = ncpus;
	p->map_fd = be_sys(be, BPF_MAP_CREATE, &a);
	if (p->map_fd < 0)
		return p->map_fd;
	if (be->kernel) {
		insns[10].imm = p->map_fd;
		memset(&a, 0, sizeof(a));
		a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
		a.insns = (uint64_t)(uintptr_t)insns;
		a.insn_cnt = (uint32_t)n;
		a.license = (uint64_t)(uintptr_t) "GPL";
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = sizeof(log);
		a.log_level = 1;
		log[0] = 0;
		p->kfd = be_sys(be, BPF_PROG_LOAD, &a);
		if (p->kfd < 0)
			printf("%s\n", log);
		return p->kfd < 0 ? p->kfd : 0;
	}
	p->map_obj = obj_from_fd(p->map_fd, OBJ_MAP, NULL, &err);
	if (!p->map_obj)
		return err;
	p->map = map_of(p->map_obj);
	insns[10].src_reg = 0;
	insns[10].imm = (int32_t)(uint32_t)(uintptr_t)p->map;
	insns[11].imm = (int32_t)(uint32_t)((uint64_t)(uintptr_t)p->map >> 32);
	return vm_prog_create(insns, n, NULL, &p->vp);
}

static void prog_free(const struct backend *be, struct prog *p)
{
	be_close(be, p->kfd);
	vm_prog_free(p->vp);
	obj_put(p->map_obj);
	be_close(be, p->map_fd);
}

/* Slot key of the map holds the perf event pfd. */
static int slot_set(const struct backend *be, const struct prog *p, uint32_t key, int pfd)
{
	union bpf_attr a;
	uint32_t v = (uint32_t)pfd;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)p->map_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)&v;
	return be_sys(be, BPF_MAP_UPDATE_ELEM, &a);
}

/* Runs the program on cpu: bpf_perf_event_output's result. */
static long output(const struct backend *be, const struct prog *p, unsigned cpu, uint64_t flags,
		   uint64_t size)
{
	uint64_t ctx[2] = {flags, size};
	struct vm_run *run;
	union bpf_attr a;
	long r;
	int err;

	if (be->kernel) {
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)p->kfd;
		a.test.ctx_in = (uint64_t)(uintptr_t)ctx;
		a.test.ctx_size_in = sizeof(ctx);
		a.test.flags = BPF_F_TEST_RUN_ON_CPU;
		a.test.cpu = cpu;
		err = be_sys(be, BPF_PROG_TEST_RUN, &a);
		return err ? err : (int32_t)a.test.retval;
	}
	run = malloc(sizeof(*run));
	if (!run)
		return -ENOMEM;
	vm_run_init(run, p->vp);
	run->helpers = kernel_helpers();
	run->maps = &p->map;
	run->map_cnt = 1;
	run->cpu = cpu;
	run->args[0] = (uint64_t)(uintptr_t)ctx;
	vm_run_add_region(run, ctx, sizeof(ctx), "ctx", false);
	err = vm_exec_checked(run);
	r = err ? err : (long)(int32_t)run->r0;
	free(run);
	return r;
}

/* ---- reading a perf mmap ---- */

struct view {
	uint8_t *base; /* the mmap */
	uint64_t dsize;
	uint64_t tail; /* where the next read starts */
};

static struct perf_event_mmap_page *upage(const struct view *v)
{
	return (struct perf_event_mmap_page *)(void *)v->base;
}

/* The next record into out (at most max bytes copied): its size, or 0. */
static uint32_t next_record(struct view *v, uint8_t *out, size_t max)
{
	uint64_t head = __atomic_load_n(&upage(v)->data_head, __ATOMIC_ACQUIRE);
	struct perf_event_header h;
	const uint8_t *d = v->base + PG;

	if (v->tail >= head)
		return 0;
	memcpy(&h, d + (v->tail & (v->dsize - 1)), sizeof(h));
	for (uint32_t i = 0; i < h.size && i < max; i++)
		out[i] = d[(v->tail + i) & (v->dsize - 1)];
	v->tail += h.size;
	return h.size;
}

static void consume_all(struct view *v)
{
	v->tail = __atomic_load_n(&upage(v)->data_head, __ATOMIC_ACQUIRE);
	__atomic_store_n(&upage(v)->data_tail, v->tail, __ATOMIC_RELEASE);
}

static uint64_t u64_at(const uint8_t *rec, size_t off)
{
	uint64_t v;

	memcpy(&v, rec + off, sizeof(v));
	return v;
}

/* An enabled event on cpu in slot cpu of p's map, mapped with 1 + pages
 * pages; its fd, or -errno. */
static int event(const struct backend *be, const struct prog *p, struct perf_event_attr *attr,
		 unsigned cpu, unsigned pages, int prot, struct view *v)
{
	int fd = pe_open(be, attr, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return fd;
	v->base = pe_mmap(be, (size_t)(1 + pages) * PG, prot, MAP_SHARED, fd, 0);
	v->dsize = (uint64_t)pages * PG;
	v->tail = 0;
	if (v->base == MAP_FAILED || pe_ioctl(be, fd, PERF_EVENT_IOC_ENABLE, 0) ||
	    slot_set(be, p, cpu, fd)) {
		pe_close(be, fd);
		return -EIO;
	}
	return fd;
}

static void event_close(const struct backend *be, int fd, struct view *v, unsigned pages)
{
	if (v->base && v->base != MAP_FAILED)
		munmap(v->base, (size_t)(1 + pages) * PG);
	pe_close(be, fd);
}

/* ---- perf_event_open ---- */

static void test_open(const struct backend *be)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	int fd;

	fd = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(fd >= 0, "[%s] open: %d", be->name, fd);
	pe_close(be, fd);
	a.size = 0; /* the first version's size */
	fd = pe_open(be, &a, -1, 0, -1, 0);
	CHECK(fd >= 0, "[%s] open with size 0: %d", be->name, fd);
	if (fd >= 0)
		EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	pe_close(be, fd);
	a.size = 8;
	EQ(pe_open(be, &a, -1, 0, -1, 0), -E2BIG);
	a = out_attr(PERF_SAMPLE_RAW, 1);
	EQ(pe_open(be, &a, -1, -1, -1, 0), -EINVAL);
	EQ(pe_open(be, &a, -1, (int)ncpus, -1, 0), -EINVAL);
	EQ(pe_open(be, &a, -1, -2, -1, 0), -EINVAL);
	EQ(pe_open(be, &a, -1, 0, -1, 1ul << 4), -EINVAL);
	EQ(pe_open(be, &a, -1, 0, -1, PERF_FLAG_PID_CGROUP), -EINVAL);
	EQ(pe_open(be, &a, -1, 0, 1, 0), -EBADF); /* stdout is no perf event */
	EQ(pe_open(be, &a, 0x3ffffff0, 0, -1, 0), -ESRCH);
	a.sample_period = 1ull << 63;
	EQ(pe_open(be, &a, -1, 0, -1, 0), -EINVAL);
	a = out_attr(1ull << 40, 1);
	EQ(pe_open(be, &a, -1, 0, -1, 0), -EINVAL);
}

/* ---- mmap and the user page ---- */

static void test_mmap(const struct backend *be)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	int fd = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	struct perf_event_mmap_page *pg;
	uint8_t *p, *q;

	if (fd < 0) {
		CHECK(0, "[%s] open: %d", be->name, fd);
		return;
	}
	CHECK(pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
		      errno == EINVAL,
	      "[%s] a private mapping: EINVAL", be->name);
	CHECK(pe_mmap(be, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
		      errno == EINVAL,
	      "[%s] 3 data pages: EINVAL", be->name);
	CHECK(pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG) == MAP_FAILED &&
		      errno == EINVAL,
	      "[%s] an offset (AUX): EINVAL", be->name);
	p = pe_mmap(be, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "[%s] mmap 1 + 2 pages: %s", be->name, strerror(errno));
	if (p == MAP_FAILED) {
		pe_close(be, fd);
		return;
	}
	pg = (struct perf_event_mmap_page *)(void *)p;
	EQ(pg->data_offset, PG);
	EQ(pg->data_size, 2 * PG);
	EQ(pg->data_head, 0);
	EQ(pg->data_tail, 0);
	EQ(pg->cap_bit0_is_deprecated, 1);
	EQ(pg->size, offsetof(struct perf_event_mmap_page, __reserved));
	CHECK(pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
		      errno == EINVAL,
	      "[%s] another size: EINVAL", be->name);
	q = pe_mmap(be, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(q != MAP_FAILED, "[%s] the same size again: %s", be->name, strerror(errno));
	if (q != MAP_FAILED) {
		pg->data_tail = 0x1234;
		EQ(((struct perf_event_mmap_page *)(void *)q)->data_tail, 0x1234);
		munmap(q, 3 * PG);
	}
	munmap(p, 3 * PG);
	pe_close(be, fd);
}

/* ---- ioctls ---- */

static void test_ioctl(const struct backend *be)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	int fd = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC), fd0;
	uint64_t id = 0, v;
	void *p;

	if (fd < 0) {
		CHECK(0, "[%s] open: %d", be->name, fd);
		return;
	}
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ENABLE, 0), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_RESET, 0), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_REFRESH, 1), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ID, 0), -EFAULT);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ID, (unsigned long)&id), 0);
	CHECK(id != 0, "[%s] an id", be->name);
	v = 0;
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PERIOD, (unsigned long)&v), -EINVAL);
	v = 5;
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PERIOD, (unsigned long)&v), 0);
	EQ(pe_ioctl(be, fd, _IO('$', 99), 0), -ENOTTY);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 1), -EINVAL); /* no ring yet */
	p = pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "[%s] mmap", be->name);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 1), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 0), 0);
	if (p != MAP_FAILED)
		munmap(p, 2 * PG);
	pe_close(be, fd);
	/* a ring of no data pages cannot pause */
	fd0 = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	p = pe_mmap(be, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd0, 0);
	CHECK(p != MAP_FAILED, "[%s] mmap of the user page alone", be->name);
	EQ(pe_ioctl(be, fd0, PERF_EVENT_IOC_PAUSE_OUTPUT, 1), -EINVAL);
	if (p != MAP_FAILED)
		munmap(p, PG);
	pe_close(be, fd0);
}

/* ---- epoll: the kernel's perf_poll ---- */

/* n records of 12 bytes (24 in the ring) on CPU 0 */
static void outputs(const struct backend *be, const struct prog *p, int n)
{
	for (int i = 0; i < n; i++)
		if (output(be, p, 0, BPF_F_CURRENT_CPU, 12)) {
			CHECK(0, "[%s] output %d", be->name, i);
			return;
		}
}

/* After want - 1 outputs the event is not ready, after want it is. */
static void wakes_after(const struct backend *be, const struct prog *p, struct perf_event_attr *a,
			int want, const char *what)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC), fd;
	struct epoll_event ev;
	struct view v;

	fd = event(be, p, a, 0, 1, PROT_READ | PROT_WRITE, &v);
	CHECK(fd >= 0, "[%s] %s: event %d", be->name, what, fd);
	if (fd >= 0 && !ep_add(be, epfd, fd, 7)) {
		ep_wait(be, epfd, 0, NULL); /* the ADD's report, if any */
		outputs(be, p, want - 1);
		CHECK(ep_wait(be, epfd, 50, NULL) == 0, "[%s] %s: ready after %d records", be->name,
		      what, want - 1);
		outputs(be, p, 1);
		CHECK(ep_wait(be, epfd, 1000, &ev) == 1 && ev.events == EPOLLIN && ev.data.u64 == 7,
		      "[%s] %s: not ready after %d records", be->name, what, want);
	}
	event_close(be, fd, &v, 1);
	ep_close(be, epfd);
}

static void test_poll(const struct backend *be, const struct prog *p)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	int epfd = epoll_create1(EPOLL_CLOEXEC), fd;
	struct epoll_event ev;
	void *m;

	fd = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	EQ(ep_add(be, epfd, fd, 5), 0);
	EQ(ep_wait(be, epfd, 0, &ev), 1); /* no ring: EPOLLHUP */
	EQ(ev.events, EPOLLHUP);
	m = pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EQ(ep_wait(be, epfd, 0, NULL), 0);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ENABLE, 0), 0);
	EQ(slot_set(be, p, 0, fd), 0);
	outputs(be, p, 1);
	EQ(ep_wait(be, epfd, 1000, &ev), 1);
	EQ(ev.events, EPOLLIN);
	EQ(ev.data.u64, 5);
	EQ(ep_wait(be, epfd, 50, NULL), 0); /* a wakeup is reported once */
	if (m != MAP_FAILED)
		munmap(m, 2 * PG);
	pe_close(be, fd);
	ep_close(be, epfd);

	a = out_attr(PERF_SAMPLE_RAW, 3);
	wakes_after(be, p, &a, 3, "wakeup_events 3");
	a = out_attr(PERF_SAMPLE_RAW, 0);
	a.watermark = 1;
	a.wakeup_watermark = 100; /* records of 24: the 5th passes it */
	wakes_after(be, p, &a, 5, "wakeup_watermark 100");
	a = out_attr(PERF_SAMPLE_RAW, 0); /* half the ring: the 86th passes 2048 */
	wakes_after(be, p, &a, 86, "the default watermark");
}

/* ---- the records ---- */

#define ALL_FIELDS                                                                                 \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |            \
	 PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |             \
	 PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW)

static void test_records(const struct backend *be, const struct prog *p)
{
	struct perf_event_attr a = out_attr(ALL_FIELDS, 1);
	uint8_t rec[256];
	struct view v;
	uint64_t id = 0;
	int fd, ok = 0, nospc = 0;
	uint32_t n;
	long r;

	a.sample_id_all = 1;
	fd = event(be, p, &a, 0, 1, PROT_READ | PROT_WRITE, &v);
	CHECK(fd >= 0, "[%s] event: %d", be->name, fd);
	if (fd < 0)
		return;
	pe_ioctl(be, fd, PERF_EVENT_IOC_ID, (unsigned long)&id);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 13), 0);
	/* header, 9 fields, u32 size, 13 bytes and 7 of padding */
	n = next_record(&v, rec, sizeof(rec));
	EQ(n, 8 + 9 * 8 + 4 + 20);
	EQ(((struct perf_event_header *)(void *)rec)->type, PERF_RECORD_SAMPLE);
	EQ(u64_at(rec, 8), id);		/* IDENTIFIER */
	EQ(u64_at(rec, 8 + 4 * 8), 0);	/* ADDR */
	EQ(u64_at(rec, 8 + 5 * 8), id); /* ID */
	EQ(u64_at(rec, 8 + 6 * 8), id); /* STREAM_ID */
	EQ(u64_at(rec, 8 + 7 * 8), 0);	/* CPU 0, reserved 0 */
	EQ(u64_at(rec, 8 + 8 * 8), 0);	/* PERIOD */
	CHECK(u64_at(rec, 8 + 3 * 8) != 0, "[%s] TIME", be->name);
	EQ(*(uint32_t *)(void *)(rec + 80), 20);
	CHECK(!memcmp(rec + 84, payload, 13) && !memcmp(rec + 97, "\0\0\0\0\0\0\0", 7),
	      "[%s] the raw data and its zero padding", be->name);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 17), -22); /* the program's own check */
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 0), 0);
	n = next_record(&v, rec, sizeof(rec));
	EQ(n, 8 + 9 * 8 + 4 + 4);

	/* records of 104 bytes: 39 fit in 4096, 11 are lost */
	consume_all(&v);
	for (int i = 0; i < 50; i++) {
		r = output(be, p, 0, BPF_F_CURRENT_CPU, 13);
		ok += r == 0 && !nospc;
		nospc += r == -ENOSPC;
	}
	EQ(ok, 39);
	EQ(nospc, 11);
	consume_all(&v);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 13), 0);
	/* PERF_RECORD_LOST {id, lost} and the sample_id: TID, TIME, ID,
	 * STREAM_ID, CPU, IDENTIFIER */
	n = next_record(&v, rec, sizeof(rec));
	EQ(n, 24 + 6 * 8);
	EQ(((struct perf_event_header *)(void *)rec)->type, PERF_RECORD_LOST);
	EQ(((struct perf_event_header *)(void *)rec)->misc, 0);
	EQ(u64_at(rec, 8), id);
	EQ(u64_at(rec, 16), 11);
	EQ(u64_at(rec, 24 + 2 * 8), id);
	EQ(u64_at(rec, 24 + 3 * 8), id);
	EQ(u64_at(rec, 24 + 4 * 8), 0);
	EQ(u64_at(rec, 24 + 5 * 8), id);
	EQ(next_record(&v, rec, sizeof(rec)), 104);
	EQ(next_record(&v, rec, sizeof(rec)), 0);
	event_close(be, fd, &v, 1);
}

/* A read-only mapping: the ring overwrites, no record is refused. */
static void test_overwrite(const struct backend *be, const struct prog *p)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	struct view v;
	int fd = event(be, p, &a, 0, 1, PROT_READ, &v), fails = 0;

	CHECK(fd >= 0, "[%s] event: %d", be->name, fd);
	if (fd < 0)
		return;
	for (int i = 0; i < 200; i++)
		fails += output(be, p, 0, BPF_F_CURRENT_CPU, 12) != 0;
	EQ(fails, 0);
	EQ(upage(&v)->data_head, 200 * 24);
	event_close(be, fd, &v, 1);
}

/* Paused: records lost and counted; disabled or another CPU's: refused. */
static void test_pause(const struct backend *be, const struct prog *p)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	struct view v, v1 = {0};
	uint8_t rec[64];
	int fd = event(be, p, &a, 0, 1, PROT_READ | PROT_WRITE, &v), fd1 = -1;

	CHECK(fd >= 0, "[%s] event: %d", be->name, fd);
	if (fd < 0)
		return;
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 1), 0);
	for (int i = 0; i < 3; i++)
		EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 12), -ENOSPC);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 0), 0);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 12), 0);
	EQ(next_record(&v, rec, sizeof(rec)), 24);
	EQ(((struct perf_event_header *)(void *)rec)->type, PERF_RECORD_LOST);
	EQ(u64_at(rec, 16), 3);
	EQ(next_record(&v, rec, sizeof(rec)), 24);
	EQ(((struct perf_event_header *)(void *)rec)->type, PERF_RECORD_SAMPLE);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_DISABLE, 0), 0);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 12), -EOPNOTSUPP);
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ENABLE, 0), 0);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 12), 0);
	if (ncpus > 1) {
		fd1 = event(be, p, &a, 1, 1, PROT_READ | PROT_WRITE, &v1);
		EQ(output(be, p, 0, 1, 12), -EOPNOTSUPP);
		EQ(output(be, p, 1, 1, 12), 0);
		EQ(output(be, p, 1, BPF_F_CURRENT_CPU, 12), 0);
		EQ(upage(&v1)->data_head, 48);
		event_close(be, fd1, &v1, 1);
	}
	EQ(output(be, p, 0, ncpus, 12), -E2BIG);
	EQ(output(be, p, 0, 1ull << 40, 12), -EINVAL);
	event_close(be, fd, &v, 1);
	/* a map keeps no inherited event */
	a.inherit = 1;
	fd = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(fd >= 0, "[%s] an inherit event: %d", be->name, fd);
	EQ(slot_set(be, p, 0, fd), -EOPNOTSUPP);
	pe_close(be, fd);
}

static void run_all(const struct backend *be)
{
	struct prog p;
	int err;

	test_open(be);
	test_mmap(be);
	test_ioctl(be);
	err = prog_make(be, &p);
	CHECK(err == 0, "[%s] the program: %d", be->name, err);
	if (!err) {
		test_poll(be, &p);
		test_records(be, &p);
		test_overwrite(be, &p);
		test_pause(be, &p);
	}
	prog_free(be, &p);
}

/* ---- bpfhost alone ---- */

struct from_thread {
	const struct prog *p;
	unsigned cpu;
	int delay_ms;
	long r;
};

static void *thread_output(void *arg)
{
	struct from_thread *t = arg;

	usleep((useconds_t)t->delay_ms * 1000);
	t->r = output(&bpfhost, t->p, t->cpu, BPF_F_CURRENT_CPU, 12);
	return NULL;
}

/* An event of this thread (pid 0, any CPU) takes records only from it. */
static void test_thread_event(const struct prog *p)
{
	const struct backend *be = &bpfhost;
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW | PERF_SAMPLE_TID, 1);
	struct from_thread t = {p, 0, 0, 0};
	uint8_t rec[64];
	struct view v;
	pthread_t th;
	int fd = pe_open(be, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	CHECK(fd >= 0, "a thread's event: %d", fd);
	if (fd < 0)
		return;
	v.base = pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	v.dsize = PG;
	v.tail = 0;
	EQ(pe_ioctl(be, fd, PERF_EVENT_IOC_ENABLE, 0), 0);
	EQ(slot_set(be, p, 0, fd), 0);
	EQ(output(be, p, 0, BPF_F_CURRENT_CPU, 12), 0);
	if (v.base != MAP_FAILED) {
		EQ(next_record(&v, rec, sizeof(rec)), 32);
		EQ(u64_at(rec, 8), (uint64_t)gettid() << 32 | (uint32_t)getpid());
	}
	pthread_create(&th, NULL, thread_output, &t);
	pthread_join(th, NULL);
	EQ(t.r, -EOPNOTSUPP);
	event_close(be, fd, &v, 1);
	EQ(pe_open(be, &a, -1, -1, -1, 0), -EINVAL);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Events are registered in the object directory until they are dead. */
static void test_registry(void)
{
	const struct backend *be = &bpfhost;
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	char path1[PERF_RING_PATH_MAX], path2[PERF_RING_PATH_MAX];
	int fd1 = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC), fd2, fd3;
	struct perf_ring *r;
	void *m;

	r = perf_ring_from_fd(fd1);
	CHECK(r != NULL, "a bpfhost perf event");
	if (!r)
		return;
	snprintf(path1, sizeof(path1), "%s", perf_ring_path(r));
	perf_ring_put(r);
	CHECK(exists(path1), "registered at %s", path1);
	CHECK(perf_fd_link(fd1) && !strcmp(perf_fd_link(fd1), "anon_inode:[perf_event]"),
	      "readlink says a perf event");
	CHECK(perf_fd_link(0) == NULL, "stdin is no perf event");
	m = pe_mmap(be, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	pe_close(be, fd1);
	CHECK(exists(path1), "alive while mapped");
	if (m != MAP_FAILED)
		munmap(m, 2 * PG);
	/* a close the wrappers did not see: the next perf_event_open sweeps */
	fd2 = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(!exists(path1), "the dead event swept: %s", path1);
	r = perf_ring_from_fd(fd2);
	snprintf(path2, sizeof(path2), "%s", r ? perf_ring_path(r) : "");
	perf_ring_put(r);
	fd3 = dup(fd2);
	pe_close(be, fd2);
	CHECK(exists(path2), "alive while a dup is open");
	close(fd3);
	fd1 = pe_open(be, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(!exists(path2), "swept: %s", path2);
	pe_close(be, fd1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A consumer asleep on the events of two CPUs (futex_waitv), woken by a
 * record from another thread 100 ms later. */
static void test_wakeup(const struct prog *p)
{
	const struct backend *be = &bpfhost;
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	struct from_thread t = {p, ncpus > 1 ? 1 : 0, 100, 0};
	int epfd = epoll_create1(EPOLL_CLOEXEC), fd[2] = {-1, -1};
	struct view v[2];
	struct epoll_event ev;
	pthread_t th;
	double t0;
	int n;

	for (unsigned c = 0; c < 2 && c < ncpus; c++) {
		fd[c] = event(be, p, &a, c, 1, PROT_READ | PROT_WRITE, &v[c]);
		EQ(ep_add(be, epfd, fd[c], 100 + c), 0);
	}
	t0 = now_s();
	pthread_create(&th, NULL, thread_output, &t);
	n = ep_wait(be, epfd, 5000, &ev);
	pthread_join(th, NULL);
	EQ(n, 1);
	EQ(ev.data.u64, 100 + t.cpu);
	EQ(t.r, 0);
	CHECK(now_s() - t0 < 2, "woken after %.2f s", now_s() - t0);
	for (unsigned c = 0; c < 2 && c < ncpus; c++)
		event_close(be, fd[c], &v[c], 1);
	ep_close(be, epfd);
}

int main(void)
{
	struct perf_event_attr a = out_attr(PERF_SAMPLE_RAW, 1);
	union bpf_attr ba;
	struct prog p;
	long kfd;
	int mfd;

	ncpus = map_possible_cpus();
	run_all(&bpfhost);
	if (!prog_make(&bpfhost, &p)) {
		test_thread_event(&p);
		test_registry();
		test_wakeup(&p);
	}
	prog_free(&bpfhost, &p);

	kfd = syscall(__NR_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	memset(&ba, 0, sizeof(ba));
	ba.map_type = BPF_MAP_TYPE_ARRAY;
	ba.key_size = 4;
	ba.value_size = 4;
	ba.max_entries = 1;
	mfd = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &ba, sizeof(ba));
	if (kfd < 0 || mfd < 0)
		printf("test_perfbuf: kernel comparison skipped: perf_event_open/bpf: %s\n",
		       strerror(errno));
	else
		run_all(&kernel);
	if (kfd >= 0)
		close((int)kfd);
	if (mfd >= 0)
		close(mfd);
	return TEST_DONE();
}
