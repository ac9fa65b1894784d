/* libbpf's perf_buffer, end to end: Debian's libbpf loads
 * tests/bpf/perfbuf.bpf.o, perf_buffer__new opens one BPF output event per
 * CPU (mmap, PERF_EVENT_IOC_ENABLE, the fd stored in the perf event array,
 * epoll), the program writes records with bpf_perf_event_output on a chosen
 * CPU, and perf_buffer__poll / __consume hand them over: exact records in
 * order with the kernel's padding, records that wrap past the ring's end,
 * one epoll report per wakeup, BPF_F_CURRENT_CPU and explicit indexes,
 * -E2BIG, -ENOENT, -EOPNOTSUPP (another CPU's event, a disabled one),
 * -EINVAL, a full ring (-ENOSPC, then PERF_RECORD_LOST with the count before
 * the next record), a consumer asleep in perf_buffer__poll woken by a
 * producer thread and by a producer process (a new program that finds the
 * program and its maps by id), and perf_buffer__free emptying the slots.
 *
 * Built with the wrap it runs on bpfhost, whose BPF_PROG_TEST_RUN has no raw
 * tracepoint programs: there the loaded program runs in bpfhost's checked
 * interpreter with the kernel helper table on the CPU asked, as the kernel's
 * test run with BPF_F_TEST_RUN_ON_CPU runs it. Built with -DKERNEL_BACKEND
 * the same checks run against the kernel.
 * Usage: test_perfbuf OBJ  (test_perfbuf --produce PROG_ID ERRS_ID CPU SEQ N: the
 * producer process) */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef KERNEL_BACKEND
#include "../../src/core/obj.h"
#include "../../src/core/prog.h"
#include "../../src/helpers/kernel.h"
#endif
#include "../unit/test_util.h"
#include "load.h"

#define MAX_EVS 1024

struct args {
	__u64 seq, n, flags, len;
};

struct rec {
	__u32 seq;
	__u32 cpu;
	__u64 check;
	__u64 fill[6];
};

/* what the callbacks saw, in order */
struct ev {
	int cpu;
	__u32 size;
	__u64 lost; /* a lost_cb: the count; else a sample */
	__u8 data[72];
};

static struct ev evs[MAX_EVS];
static int nev, overflow;
static int prog_fd, errs_fd;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)ctx;
	if (nev >= MAX_EVS) {
		overflow++;
		return;
	}
	evs[nev].cpu = cpu;
	evs[nev].size = size;
	evs[nev].lost = 0;
	memcpy(evs[nev].data, data, size < sizeof(evs[nev].data) ? size : sizeof(evs[nev].data));
	nev++;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	(void)ctx;
	if (nev >= MAX_EVS) {
		overflow++;
		return;
	}
	evs[nev].cpu = cpu;
	evs[nev].size = 0;
	evs[nev].lost = cnt;
	nev++;
}

static void expected(struct rec *r, __u32 seq, int cpu)
{
	r->seq = seq;
	r->cpu = (__u32)cpu;
	r->check = seq * 0x9e3779b97f4a7c15ull;
	for (int k = 0; k < 6; k++)
		r->fill[k] = r->check + k + 1;
}

/* PERF_SAMPLE_RAW's size: the data and zeros up to 8 with the u32 size */
static __u32 raw_size(__u32 len)
{
	return ((len + 4 + 7) & ~7u) - 4;
}

/* evs[at..at+n) are samples seq0.. of len bytes, written on cpu */
static void check_samples(int at, int n, int cpu, __u32 seq0, __u32 len, const char *what)
{
	CHECK(!overflow, "%s: too many records", what);
	CHECK(nev - at >= n, "%s: %d records, want %d", what, nev - at, n);
	for (int i = 0; i < n && at + i < nev; i++) {
		const struct ev *e = &evs[at + i];
		struct rec want;
		__u8 zero[72] = {0};

		expected(&want, seq0 + (__u32)i, cpu);
		if (e->lost || e->cpu != cpu || e->size != raw_size(len) ||
		    memcmp(e->data, &want, len) || memcmp(e->data + len, zero, e->size - len)) {
			CHECK(0,
			      "%s: record %d: lost %llu cpu %d size %u seq %u, want seq %u of %u "
			      "bytes from cpu %d",
			      what, i, (unsigned long long)e->lost, e->cpu, e->size,
			      e->size >= 4 ? *(const __u32 *)e->data : 0, seq0 + i, len, cpu);
			return;
		}
	}
}

/* Runs produce(seq, n, flags, len) on cpu: its return, or -errno. */
static int run_on(int cpu, __u32 seq, __u32 n, __u64 flags, __u32 len)
{
	struct args a = {seq, n, flags, len};
#ifdef KERNEL_BACKEND
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a),
		    .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = (__u32)cpu);
	int err = bpf_prog_test_run_opts(prog_fd, &opts);

	return err ? (err < 0 ? err : -errno) : (int)opts.retval;
#else
	struct vm_run *run = malloc(sizeof(*run));
	struct obj *o;
	int err = 0;

	o = obj_from_fd(prog_fd, OBJ_PROG, NULL, &err);
	if (!o || !run) {
		free(run);
		obj_put(o);
		return o ? -ENOMEM : err;
	}
	vm_run_init(run, prog_of(o)->vm);
	run->helpers = kernel_helpers();
	run->maps = prog_of(o)->maps;
	run->map_cnt = prog_of(o)->map_cnt;
	run->cpu = (unsigned)cpu;
	run->args[0] = (__u64)(uintptr_t)&a;
	vm_run_add_region(run, &a, sizeof(a), "ctx", false);
	err = vm_exec_checked(run);
	if (err)
		printf("run: %s\n", run->fault.msg);
	else
		err = (int)run->r0;
	free(run);
	obj_put(o);
	return err;
#endif
}

/* errs[0..n) */
static void get_errs(__s64 *e, int n)
{
	for (__u32 i = 0; i < (__u32)n; i++)
		if (bpf_map_lookup_elem(errs_fd, &i, &e[i]))
			e[i] = 12345;
}

/* One record on cpu with these flags: the helper's result. */
static __s64 output_err(int cpu, __u64 flags)
{
	__s64 e = 777;

	if (run_on(cpu, 9000, 1, flags, 8) == 0)
		get_errs(&e, 1);
	return e;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int other_cpu;

static void *late_producer(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	run_on(other_cpu, 5000, 3, BPF_F_CURRENT_CPU, 24);
	return NULL;
}

static __u32 obj_id(int fd, bool prog)
{
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	__u32 len = prog ? sizeof(pi) : sizeof(mi);

	memset(&pi, 0, sizeof(pi));
	memset(&mi, 0, sizeof(mi));
	if (bpf_obj_get_info_by_fd(fd, prog ? (void *)&pi : (void *)&mi, &len))
		return 0;
	return prog ? pi.id : mi.id;
}

/* The consumer sleeps in perf_buffer__poll; 100 ms later a thread, or a new
 * process that takes the program and its maps by id, writes three records on
 * other_cpu; they must wake it well before the timeout. */
static void test_wakeup(struct perf_buffer *pb, bool process)
{
	const char *who = process ? "process" : "thread";
	pthread_t t;
	pid_t pid = 0;
	double t0;
	int status = 0;

	nev = 0;
	if (process) {
		char pr_id[16], er_id[16], cpu[16];

		snprintf(pr_id, sizeof(pr_id), "%u", obj_id(prog_fd, true));
		snprintf(er_id, sizeof(er_id), "%u", obj_id(errs_fd, false));
		snprintf(cpu, sizeof(cpu), "%d", other_cpu);
		pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", "test_perfbuf", "--produce", pr_id, er_id, cpu,
			      "5000", "3", (char *)NULL);
			_exit(127);
		}
		CHECK(pid > 0, "fork: %s", strerror(errno));
	} else {
		pthread_create(&t, NULL, late_producer, NULL);
	}
	t0 = now_s();
	while (nev < 3 && now_s() - t0 < 5) {
		int r = perf_buffer__poll(pb, 5000);

		CHECK(r >= 0, "%s: poll: %d", who, r);
		if (r < 0)
			break;
	}
	check_samples(0, 3, other_cpu, 5000, 24, who);
	CHECK(now_s() - t0 < 3, "woken by a %s after %.2f s", who, now_s() - t0);
	if (process) {
		if (pid > 0)
			waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the producer process: %#x",
		      status);
	} else {
		pthread_join(t, NULL);
	}
}

/* test_perfbuf --produce PROG_ID ERRS_ID CPU SEQ N */
static int producer_main(char **argv)
{
	int n = atoi(argv[6]), err;
	__s64 e[64];

	prog_fd = bpf_prog_get_fd_by_id((__u32)atoi(argv[2]));
	errs_fd = bpf_map_get_fd_by_id((__u32)atoi(argv[3]));
	CHECK(prog_fd >= 0 && errs_fd >= 0, "producer: program and map by id: %s", strerror(errno));
	usleep(100 * 1000);
	err = run_on(atoi(argv[4]), (__u32)atoi(argv[5]), (__u32)n, BPF_F_CURRENT_CPU, 24);
	get_errs(e, n);
	for (int i = 0; i < n && !err; i++)
		err = (int)e[i];
	CHECK(err == 0, "producer: %d", err);
	return TEST_DONE();
}

int main(int argc, char **argv)
{
	struct perf_buffer *pb = NULL;
	struct bpf_object *obj;
	bool skipped;
	int events_fd, ncpus, n, at;
	__s64 e[64];
	__u64 id = 0;

	if (argc == 7 && !strcmp(argv[1], "--produce")) {
		libbpf_set_print(quiet);
		return producer_main(argv);
	}
	if (argc != 2) {
		fprintf(stderr, "usage: test_perfbuf OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "produce"));
	events_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "events"));
	errs_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "errs"));
	ncpus = libbpf_num_possible_cpus();
	other_cpu = ncpus > 1 ? 1 : 0;
	pb = perf_buffer__new(events_fd, 1, on_sample, on_lost, NULL, NULL);
	CHECK(pb != NULL, "perf_buffer__new: %s", strerror(errno));
	if (!pb)
		goto out;
	CHECK((int)perf_buffer__buffer_cnt(pb) == ncpus, "%zu buffers for %d CPUs",
	      perf_buffer__buffer_cnt(pb), ncpus);
	CHECK(perf_buffer__poll(pb, 0) == 0, "nothing to read yet");
	CHECK(ioctl(perf_buffer__buffer_fd(pb, 0), PERF_EVENT_IOC_ID, &id) == 0 && id,
	      "PERF_EVENT_IOC_ID: %s", strerror(errno));

	/* ten records on CPU 0, one wakeup each: one buffer ready */
	CHECK(run_on(0, 0, 10, BPF_F_CURRENT_CPU, 40) == 0, "run 1");
	get_errs(e, 10);
	for (int i = 0; i < 10; i++)
		CHECK(e[i] == 0, "run 1: record %d: %lld", i, (long long)e[i]);
	nev = 0;
	n = perf_buffer__poll(pb, 1000);
	CHECK(n == 1, "poll: %d buffers ready, want 1", n);
	check_samples(0, 10, 0, 0, 40, "run 1");
	CHECK(perf_buffer__poll(pb, 0) == 0, "read: nothing ready");

	/* both CPUs, an explicit index on CPU 1: two buffers ready, each in order */
	CHECK(run_on(other_cpu, 100, 5, (__u64)other_cpu, 8) == 0, "run 2a");
	CHECK(run_on(0, 200, 3, BPF_F_CURRENT_CPU, 1) == 0, "run 2b");
	/* the kernel wakes epoll from irq_work on the CPU that wrote: a poll
	 * may come before the second buffer is ready */
	nev = 0;
	n = 0;
	for (int i = 0; i < 10 && nev < 8; i++)
		n += perf_buffer__poll(pb, 1000);
	CHECK(n == (ncpus > 1 ? 2 : 1), "poll: %d buffers ready", n);
	/* the buffers come in epoll's order */
	at = nev > 0 && evs[0].cpu == other_cpu;
	check_samples(at ? 0 : 3, 5, other_cpu, 100, 8, "run 2, CPU 1");
	check_samples(at ? 5 : 0, 3, 0, 200, 1, "run 2, CPU 0");

	/* consume reads without epoll; the wakeups stay pending for the next poll */
	CHECK(run_on(0, 300, 3, BPF_F_CURRENT_CPU, 16) == 0, "run 3");
	nev = 0;
	CHECK(perf_buffer__consume(pb) == 0, "consume");
	check_samples(0, 3, 0, 300, 16, "consume");
	n = perf_buffer__poll(pb, 1000);
	CHECK(n == 1 && nev == 3, "poll after consume: %d buffers ready, %d records", n, nev);
	CHECK(perf_buffer__poll(pb, 0) == 0, "the wakeup is taken");

	/* every size: the raw data padded with zeros so that it ends 8-aligned */
	for (__u32 len = 0; len <= 64; len++) {
		char what[32];

		snprintf(what, sizeof(what), "%u bytes", len);
		nev = 0;
		CHECK(run_on(0, 3000 + len, 1, BPF_F_CURRENT_CPU, len) == 0, "run %s", what);
		perf_buffer__consume(pb);
		check_samples(0, 1, 0, 3000 + len, len, what);
	}
	perf_buffer__poll(pb, 0);

	/* errors */
	CHECK(output_err(0, 64) == -E2BIG, "index 64 of 64: %lld", (long long)output_err(0, 64));
	if (ncpus < 64)
		CHECK(output_err(0, (__u64)ncpus) == -ENOENT, "an empty slot: %lld",
		      (long long)output_err(0, (__u64)ncpus));
	if (ncpus > 1)
		CHECK(output_err(0, 1) == -EOPNOTSUPP, "CPU 1's event from CPU 0: %lld",
		      (long long)output_err(0, 1));
	CHECK(output_err(0, 1ull << 40) == -EINVAL, "flags beyond the index: %lld",
	      (long long)output_err(0, 1ull << 40));
	CHECK(ioctl(perf_buffer__buffer_fd(pb, 0), PERF_EVENT_IOC_DISABLE, 0) == 0, "disable");
	CHECK(output_err(0, BPF_F_CURRENT_CPU) == -EOPNOTSUPP, "a disabled event: %lld",
	      (long long)output_err(0, BPF_F_CURRENT_CPU));
	CHECK(ioctl(perf_buffer__buffer_fd(pb, 0), PERF_EVENT_IOC_ENABLE, 0) == 0, "enable");
	CHECK(output_err(0, BPF_F_CURRENT_CPU) == 0, "enabled again: %lld",
	      (long long)output_err(0, BPF_F_CURRENT_CPU));
	nev = 0;
	perf_buffer__consume(pb);
	CHECK(nev == 1, "one record of the error runs: %d", nev);
	perf_buffer__poll(pb, 0);

	/* a full ring: records of 48 bytes, 85 fit in 4096 (one byte is never
	 * used); the other 43 are lost, and counted before the next record */
	{
		int ok = 0, nospc = 0;

		for (int r = 0; r < 2; r++) {
			CHECK(run_on(0, 1000 + 64 * (__u32)r, 64, BPF_F_CURRENT_CPU, 36) == 0,
			      "fill %d", r);
			get_errs(e, 64);
			for (int i = 0; i < 64; i++) {
				ok += e[i] == 0 && !nospc;
				nospc += e[i] == -ENOSPC;
			}
		}
		CHECK(ok == 85 && nospc == 43, "a full ring: %d written, %d -ENOSPC", ok, nospc);
		nev = 0;
		CHECK(perf_buffer__consume(pb) == 0, "consume a full ring");
		check_samples(0, 85, 0, 1000, 36, "full ring");
		CHECK(run_on(0, 2000, 1, BPF_F_CURRENT_CPU, 36) == 0, "after the loss");
		nev = 0;
		perf_buffer__consume(pb);
		CHECK(nev == 2 && evs[0].lost == 43 && evs[0].cpu == 0,
		      "lost records first: %d callbacks, lost %llu", nev,
		      (unsigned long long)evs[0].lost);
		if (nev == 2)
			check_samples(1, 1, 0, 2000, 36, "after the loss");
		perf_buffer__poll(pb, 0);
	}

	test_wakeup(pb, false);
	test_wakeup(pb, true);

	/* perf_buffer__free deletes its slots */
	perf_buffer__free(pb);
	pb = NULL;
	CHECK(output_err(0, BPF_F_CURRENT_CPU) == -ENOENT, "after perf_buffer__free: %lld",
	      (long long)output_err(0, BPF_F_CURRENT_CPU));
out:
	perf_buffer__free(pb);
	bpf_object__close(obj);
	return TEST_DONE();
}
