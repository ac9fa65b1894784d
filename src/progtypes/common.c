/* What every BPF_PROG_TEST_RUN shares, as the kernel's net/bpf/test_run.c
 * does it: the context in and out, the data out, the timed repeat loop; and
 * the table of program types. */
#include <errno.h>
#include <net/if.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>

#include "../helpers/kernel.h"
#include "../helpers/local_storage.h"
#include "progtype.h"

#define CTX_MAX 4096u /* bpf_check_uarg_tail_zero: at most a page of ctx_in */

bool progtype_zero(const void *p, size_t from, size_t to)
{
	const uint8_t *c = p;

	for (size_t i = from; i < to; i++)
		if (c[i])
			return false;
	return true;
}

int progtype_ctx_in(const union bpf_attr *attr, void *ctx, uint32_t size, bool *has_ctx)
{
	const uint8_t *in = (const uint8_t *)(uintptr_t)attr->test.ctx_in;
	uint32_t n = attr->test.ctx_size_in;

	*has_ctx = attr->test.ctx_in || attr->test.ctx_out;
	memset(ctx, 0, size);
	if (!in)
		return 0;
	if (n > CTX_MAX || (n > size && !progtype_zero(in, size, n)))
		return -E2BIG;
	memcpy(ctx, in, n < size ? n : size);
	return 0;
}

int progtype_ctx_out(union bpf_attr *attr, const void *ctx, uint32_t size)
{
	uint32_t copy = size;
	int err = 0;

	if (!attr->test.ctx_out)
		return 0;
	if (copy > attr->test.ctx_size_out) {
		copy = attr->test.ctx_size_out;
		err = -ENOSPC;
	}
	memcpy((void *)(uintptr_t)attr->test.ctx_out, ctx, copy);
	attr->test.ctx_size_out = size;
	return err;
}

int progtype_data_out(union bpf_attr *attr, const void *data, uint32_t size, uint32_t retval,
		      uint32_t duration)
{
	uint32_t copy = size;
	int err = 0;

	if (attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if (attr->test.data_out && copy)
		memcpy((void *)(uintptr_t)attr->test.data_out, data, copy);
	attr->test.data_size_out = size;
	attr->test.retval = retval;
	attr->test.duration = duration;
	return err;
}

int progtype_repeat(struct progtype_test *t, uint32_t repeat, uint32_t *retval, uint32_t *duration)
{
	struct timespec t0, t1;
	uint64_t ns;
	int err = 0;

	if (!repeat)
		repeat = 1;
	/* the run's cgroup storage (and its socket's), fresh, for all its repeats */
	err = local_storage_run_begin(t->run);
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < repeat && !err; i++)
		err = t->exec(t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	local_storage_run_end(t->run);
	if (err)
		return err;
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull + (uint64_t)t1.tv_nsec -
	     (uint64_t)t0.tv_nsec;
	ns /= repeat;
	*duration = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	*retval = (uint32_t)t->run->r0;
	return 0;
}

/* Each thread keeps the last buffer of each size it gave back: a test run
 * then costs no mmap, munmap or page faults (bench/bench_testrun). */
#define BUF_SLOTS 2
static _Thread_local struct {
	void *p;
	size_t size;
} kept[BUF_SLOTS];

void *progtype_buf_get(size_t size)
{
	void *p;

	for (int i = 0; i < BUF_SLOTS; i++)
		if (kept[i].p && kept[i].size == size) {
			p = kept[i].p;
			kept[i].p = NULL;
			return p;
		}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
		 0);
	return p == MAP_FAILED ? NULL : p;
}

void progtype_buf_put(void *p, size_t size, size_t dirty_from, size_t dirty_to)
{
	if (!p)
		return;
	if (dirty_to > size)
		dirty_to = size;
	for (int i = 0; i < BUF_SLOTS; i++)
		if (!kept[i].p) {
			if (dirty_from < dirty_to)
				memset((uint8_t *)p + dirty_from, 0, dirty_to - dirty_from);
			kept[i].p = p;
			kept[i].size = size;
			return;
		}
	munmap(p, size);
}

unsigned progtype_loopback(void)
{
	static unsigned lo;

	if (!lo) {
		unsigned i = if_nametoindex("lo");

		lo = i ? i : 1;
	}
	return lo;
}

const struct progtype *progtype_find(uint32_t prog_type)
{
	static const struct progtype *const types[] = {
		&progtype_socket_filter, &progtype_sched_cls,	   &progtype_sched_act,
		&progtype_xdp,		 &progtype_cgroup_skb,	   &progtype_lwt_in,
		&progtype_lwt_out,	 &progtype_lwt_xmit,	   &progtype_raw_tracepoint,
		&progtype_syscall,	 &progtype_flow_dissector, &progtype_kprobe,
		&progtype_tracepoint,	 &progtype_perf_event,
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i]->prog_type == prog_type)
			return types[i];
	return progtype_app_find(prog_type);
}

struct vm_helper_table progtype_helpers(const struct progtype *type)
{
	return type && type->helpers ? *type->helpers : kernel_helpers();
}
