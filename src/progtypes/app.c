/* Program types an application defines for its own hooks
 * (bpfhost_prog_type_register, include/bpfhost.h): a context of a fixed
 * size, plain memory the application hands over when the hook fires; the
 * kernel helpers it lists and helpers of its own, which bpfhost calls with
 * the program's arguments after checking them as it checks the kernel's.
 *
 * Types are numbered from BPFHOST_PROG_TYPE_APP_BASE in the order they were
 * registered and live as long as the process: the table only grows, and a
 * reader needs no lock (the count is published after the entry is whole).
 *
 * The test run: ctx_in and ctx_out of the context's size as the kernel's
 * bpf_ctx_init/bpf_ctx_finish take them, repeat and duration as its timer;
 * no data (there is no packet), no flags. The context is not reset between
 * repeats. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfhost.h>

#include "../helpers/kernel.h"
#include "../util/log.h"
#include "progtype.h"

#define MAX_TYPES 64
#define MAX_NAME 31
#define MAX_CTX 65535u

#define SAME(a, b) ((int)(a) == (int)(b))
_Static_assert(SAME(BPFHOST_ARG_ANYTHING, VM_ARG_ANYTHING) &&
		       SAME(BPFHOST_ARG_MEM_RO, VM_ARG_MEM_RO) &&
		       SAME(BPFHOST_ARG_MEM_RW, VM_ARG_MEM_RW) &&
		       SAME(BPFHOST_ARG_SIZE, VM_ARG_SIZE) && SAME(BPFHOST_ARG_STR, VM_ARG_STR),
	       "enum bpfhost_arg names the checked interpreter's argument kinds");

struct app_type {
	struct progtype desc;
	char name[MAX_NAME + 1];
	struct vm_helper_table table;	    /* desc.helpers points here */
	struct vm_helper *rows;		    /* by id: the listed kernel helpers, then the app's */
	struct bpfhost_helper *app_helpers; /* the application's, copied */
};

static struct app_type types[MAX_TYPES];
static atomic_uint type_cnt;
static pthread_mutex_t register_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct app_type *app_of(uint32_t prog_type)
{
	uint32_t i = prog_type - BPFHOST_PROG_TYPE_APP_BASE;

	if (prog_type < BPFHOST_PROG_TYPE_APP_BASE ||
	    i >= atomic_load_explicit(&type_cnt, memory_order_acquire))
		return NULL;
	return &types[i];
}

const struct progtype *progtype_app_find(uint32_t prog_type)
{
	const struct app_type *a = app_of(prog_type);

	return a ? &a->desc : NULL;
}

bool progtype_app_helper_allowed(uint32_t prog_type, int32_t id)
{
	const struct app_type *a = app_of(prog_type);

	return a && id > 0 && (size_t)id < a->table.cnt && a->rows[id].fn;
}

/* An application helper: the row's data is the application's description. */
static uint64_t app_call(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct vm_run *run)
{
	const struct bpfhost_helper *h = run->helper->data;

	return h->fn(r1, r2, r3, r4, r5, (void *)(uintptr_t)run->args[0], h->data);
}

static bool name_ok(const char *name)
{
	size_t n = name ? strnlen(name, MAX_NAME + 1) : 0;

	if (n == 0 || n > MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return false;
	return true;
}

/* A memory argument is followed by its size, and a size follows memory. */
static const char *args_problem(const unsigned char args[5])
{
	for (int i = 0; i < 5; i++) {
		bool mem = args[i] == BPFHOST_ARG_MEM_RO || args[i] == BPFHOST_ARG_MEM_RW;

		if (args[i] > BPFHOST_ARG_STR)
			return "unknown argument kind";
		if (mem && (i == 4 || args[i + 1] != BPFHOST_ARG_SIZE))
			return "a memory argument must be followed by its size";
		if (args[i] == BPFHOST_ARG_SIZE && (i == 0 || (args[i - 1] != BPFHOST_ARG_MEM_RO &&
							       args[i - 1] != BPFHOST_ARG_MEM_RW)))
			return "a size argument must follow a memory argument";
	}
	return NULL;
}

static int test_run(struct progtype_test *t, union bpf_attr *attr);

/* Checks the description and fills a (not yet published). */
static int build(struct app_type *a, const struct bpfhost_prog_type *d, char *err, size_t len)
{
	struct vm_helper_table k = kernel_helpers();
	size_t cnt = k.cnt;

	if (d->sz < offsetof(struct bpfhost_prog_type, helper_cnt) + sizeof(d->helper_cnt))
		return ulog_error(
			err, len, -EINVAL,
			"program type: sz %zu, want sizeof(struct bpfhost_prog_type) (%zu)", d->sz,
			sizeof(*d));
	if (d->sz > sizeof(*d) && !progtype_zero(d, sizeof(*d), d->sz))
		return ulog_error(
			err, len, -E2BIG,
			"program type: fields past the %zu bytes this bpfhost knows are set",
			sizeof(*d));
	if (!name_ok(d->name))
		return ulog_error(err, len, -EINVAL,
				  "program type name: 1 to %d characters of [a-z0-9_]", MAX_NAME);
	if (d->ctx_size > MAX_CTX)
		return ulog_error(err, len, -EINVAL, "%s: ctx_size %u is more than %u", d->name,
				  d->ctx_size, MAX_CTX);
	if (d->helper_cnt && !d->helpers)
		return ulog_error(err, len, -EINVAL, "%s: helper_cnt %u with no helpers", d->name,
				  d->helper_cnt);
	for (unsigned i = 0; i < d->helper_cnt; i++) {
		const struct bpfhost_helper *h = &d->helpers[i];
		const char *why = args_problem(h->args);

		if (h->id < BPFHOST_APP_HELPER_MIN || h->id > BPFHOST_APP_HELPER_MAX)
			return ulog_error(err, len, -EINVAL, "%s: helper %u has id %d, not %d..%d",
					  d->name, i, h->id, BPFHOST_APP_HELPER_MIN,
					  BPFHOST_APP_HELPER_MAX);
		if (!h->fn || !h->name || !h->name[0])
			return ulog_error(err, len, -EINVAL, "%s: helper #%d has no %s", d->name,
					  h->id, h->fn ? "name" : "function");
		if (why)
			return ulog_error(err, len, -EINVAL, "%s: helper %s#%d: %s", d->name,
					  h->name, h->id, why);
		for (unsigned j = 0; j < i; j++)
			if (d->helpers[j].id == h->id)
				return ulog_error(err, len, -EINVAL, "%s: helper id %d given twice",
						  d->name, h->id);
		if ((size_t)h->id + 1 > cnt)
			cnt = (size_t)h->id + 1;
	}
	for (const int *id = d->kernel_helpers; id && *id; id++)
		if (*id < 0 || (size_t)*id >= k.cnt || !k.helpers[*id].fn)
			return ulog_error(err, len, -EINVAL, "%s: bpfhost has no kernel helper #%d",
					  d->name, *id);
	a->rows = calloc(cnt, sizeof(*a->rows));
	a->app_helpers = calloc(d->helper_cnt ? d->helper_cnt : 1, sizeof(*a->app_helpers));
	if (!a->rows || !a->app_helpers) {
		free(a->rows);
		free(a->app_helpers);
		return ulog_error(err, len, -ENOMEM, "%s: out of memory", d->name);
	}
	for (const int *id = d->kernel_helpers; id && *id; id++)
		a->rows[*id] = k.helpers[*id];
	for (unsigned i = 0; i < d->helper_cnt; i++) {
		struct vm_helper *row = &a->rows[d->helpers[i].id];

		a->app_helpers[i] = d->helpers[i];
		row->name = d->helpers[i].name;
		row->fn = app_call;
		memcpy(row->args, d->helpers[i].args, sizeof(row->args));
		row->data = &a->app_helpers[i];
	}
	/* the name is the application's: copied, as the helpers' names are not */
	snprintf(a->name, sizeof(a->name), "%s", d->name);
	a->table = (struct vm_helper_table){a->rows, cnt};
	a->desc = (struct progtype){
		.name = a->name,
		.ctx_size = d->ctx_size,
		.test_run = test_run,
		.ctx_plain = true,
		.ctx_writable = d->ctx_writable != 0,
		.helpers = &a->table,
	};
	return 0;
}

int bpfhost_prog_type_register(const struct bpfhost_prog_type *d, char *err, size_t err_len)
{
	struct app_type *a;
	unsigned n;
	int r;

	if (!d)
		return ulog_error(err, err_len, -EINVAL, "no program type given");
	pthread_mutex_lock(&register_lock);
	n = atomic_load_explicit(&type_cnt, memory_order_relaxed);
	for (unsigned i = 0; i < n; i++)
		if (d->name && !strcmp(types[i].name, d->name)) {
			pthread_mutex_unlock(&register_lock);
			return ulog_error(err, err_len, -EEXIST,
					  "program type %s is registered already", d->name);
		}
	if (n == MAX_TYPES) {
		pthread_mutex_unlock(&register_lock);
		return ulog_error(err, err_len, -ENOSPC, "no room for a program type past %d",
				  MAX_TYPES);
	}
	a = &types[n];
	r = build(a, d, err, err_len);
	if (!r) {
		a->desc.prog_type = BPFHOST_PROG_TYPE_APP_BASE + n;
		atomic_store_explicit(&type_cnt, n + 1, memory_order_release);
		r = (int)a->desc.prog_type;
	}
	pthread_mutex_unlock(&register_lock);
	return r;
}

static int test_run(struct progtype_test *t, union bpf_attr *attr)
{
	const struct app_type *a = app_of(t->type->prog_type);
	uint32_t size, retval = 0, duration = 0;
	bool has_ctx;
	void *ctx;
	int err;

	if (!a)
		return -EINVAL;
	size = a->desc.ctx_size;
	if (attr->test.data_in || attr->test.data_size_in || attr->test.data_out ||
	    attr->test.data_size_out || attr->test.flags || attr->test.cpu || attr->test.batch_size)
		return -EINVAL;
	ctx = calloc(1, size ? size : 1);
	if (!ctx)
		return -ENOMEM;
	err = progtype_ctx_in(attr, ctx, size, &has_ctx);
	if (!err && size && vm_run_add_ctx(t->run, ctx, size, a->desc.ctx_writable, NULL))
		err = -ENOMEM;
	if (!err) {
		t->run->args[0] = size ? (uint64_t)(uintptr_t)ctx : 0;
		err = progtype_repeat(t, attr->test.repeat, &retval, &duration);
	}
	if (!err) {
		attr->test.retval = retval;
		attr->test.duration = duration;
		err = progtype_ctx_out(attr, ctx, size);
	}
	free(ctx);
	return err;
}
