/* Differential tests of the bpf() command interface. Every scenario runs
 * twice through one function pointer: against the running kernel
 * (syscall(__NR_bpf)) and against bpfhost_sys_bpf. Each step's result is
 * compared: success or not (and fd or 0, never fd numbers), errno, and the
 * bytes the command wrote (values, next keys, info fields). Each step also
 * states what the kernel does, so that bpfhost is still checked on its own
 * when the kernel refuses bpf() (the differential part is then skipped with a
 * NOTICE).
 *
 * Markers, written just before the step they describe:
 *   KNOWN_BUG("why")         bpfhost differs from the kernel where it should
 *                            not: printed, not failed. Delete the marker once
 *                            fixed (the test says so when it no longer shows).
 *   KNOWN_DIFF(res, "why")   a legitimate difference (no verifier yet, the
 *                            6.1 uapi headers, ...): bpfhost must give res, the
 *                            difference from the kernel is printed.
 *
 * BPFHOST_TEST_NO_KERNEL=1 in the environment skips the kernel on purpose.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

#define ENOTSUPP 524 /* the kernel's internal errno that bpf() lets through */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))

/* ---- the two backends ---- */

struct backend {
	const char *name;
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	bool host;
};

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static const struct backend kernel_backend = {"kernel", kernel_bpf, false};
static const struct backend host_backend = {"bpfhost", bpfhost_sys_bpf, true};
static const struct backend *B; /* the one the running scenario talks to */
static bool kernel_ok;
static unsigned ncpus;

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---- fds the scenario got: closed at its end ---- */

static int open_fds[512];
static size_t n_open;

static void track(int fd)
{
	if (n_open < ARRAY_SIZE(open_fds))
		open_fds[n_open++] = fd;
}

/* close(), then tell bpfhost (as its header asks) when it is bpfhost's fd */
static void fd_close(int fd)
{
	for (size_t i = 0; i < n_open; i++) {
		if (open_fds[i] == fd) {
			open_fds[i] = open_fds[--n_open];
			break;
		}
	}
	close(fd);
	if (B->host)
		bpfhost_fd_closed(fd);
}

static void close_all(void)
{
	while (n_open)
		fd_close(open_fds[n_open - 1]);
}

static bool returns_fd(int cmd)
{
	return cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD || cmd == BPF_MAP_GET_FD_BY_ID ||
	       cmd == BPF_PROG_GET_FD_BY_ID || cmd == BPF_BTF_GET_FD_BY_ID ||
	       cmd == BPF_LINK_GET_FD_BY_ID || cmd == BPF_OBJ_GET;
}

static int g_err; /* errno of the last call */

static long sys_size(int cmd, void *attr, unsigned int size)
{
	long r;

	errno = 0;
	r = B->bpf(cmd, attr, size);
	g_err = r < 0 ? errno : 0;
	if (r > 0 && returns_fd(cmd))
		track((int)r);
	return r;
}

static long sys(int cmd, union bpf_attr *a)
{
	return sys_size(cmd, a, sizeof(*a));
}

/* ---- steps: what one call gave, what it should give ---- */

#define W_FD (-1) /* success with an fd; 0: success with 0; > 0: that errno */

struct step {
	char label[128];
	long ret;
	int err;
	int want;      /* what the kernel does */
	int host_want; /* KNOWN_DIFF: what bpfhost does instead */
	const char *bug, *diff;
	uint8_t *out, *want_out;
	size_t outlen;
};

struct trace {
	struct step *v;
	size_t n, cap;
};

static struct trace traces[2], *T;
static const char *pending_bug, *pending_diff;
static int pending_host_want;

#define KNOWN_BUG(text) (pending_bug = (text))
#define KNOWN_DIFF(res, text) (pending_diff = (text), pending_host_want = (res))

static void trace_reset(struct trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].out);
		free(t->v[i].want_out);
	}
	t->n = 0;
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
	uint8_t *d;

	if (!p)
		return NULL;
	d = malloc(n ? n : 1);
	if (!d)
		abort();
	memcpy(d, p, n);
	return d;
}

static void step(long ret, int want, const void *out, size_t outlen, const void *want_out,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void step(long ret, int want, const void *out, size_t outlen, const void *want_out,
		 const char *fmt, ...)
{
	struct step *s;
	va_list ap;

	if (T->n == T->cap) {
		T->cap = T->cap ? T->cap * 2 : 64;
		T->v = realloc(T->v, T->cap * sizeof(*T->v));
		if (!T->v)
			abort();
	}
	s = &T->v[T->n++];
	memset(s, 0, sizeof(*s));
	va_start(ap, fmt);
	vsnprintf(s->label, sizeof(s->label), fmt, ap);
	va_end(ap);
	s->ret = ret;
	s->err = ret < 0 ? g_err : 0;
	s->want = want;
	s->host_want = pending_diff ? pending_host_want : want;
	s->bug = pending_bug;
	s->diff = pending_diff;
	s->out = dup_bytes(out, outlen);
	s->want_out = dup_bytes(want_out, outlen);
	s->outlen = out ? outlen : 0;
	pending_bug = pending_diff = NULL;
}

#define STEP(ret, want, ...) step((ret), (want), NULL, 0, NULL, __VA_ARGS__)
#define STEP_OUT(ret, want, out, n, wout, ...) step((ret), (want), (out), (n), (wout), __VA_ARGS__)

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case ENOSPC: return "ENOSPC";
	case EACCES: return "EACCES";
	case ENOMEM: return "ENOMEM";
	case EBADFD: return "EBADFD";
	case EPROTO: return "EPROTO";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTSUPP: return "ENOTSUPP";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case ERANGE: return "ERANGE";
	default: return "E?";
	}
}

static void describe(long ret, int err, char *buf, size_t n)
{
	if (ret < 0)
		snprintf(buf, n, "-1 %s(%d)", errname(err), err);
	else
		snprintf(buf, n, "%s", ret ? "an fd" : "0");
}

static void describe_want(int want, char *buf, size_t n)
{
	if (want == W_FD)
		snprintf(buf, n, "an fd");
	else if (want == 0)
		snprintf(buf, n, "0");
	else
		snprintf(buf, n, "-1 %s(%d)", errname(want), want);
}

static bool result_is(const struct step *s, int want)
{
	if (want == W_FD)
		return s->ret > 0;
	if (want == 0)
		return s->ret == 0;
	return s->ret == -1 && s->err == want;
}

static int cls(long ret)
{
	return ret < 0 ? -1 : ret > 0;
}

static bool same_bytes(const struct step *a, const struct step *b)
{
	return a->outlen == b->outlen && (!a->outlen || !memcmp(a->out, b->out, a->outlen));
}

static bool same_result(const struct step *k, const struct step *h)
{
	if (cls(k->ret) != cls(h->ret))
		return false;
	if (k->ret < 0)
		return k->err == h->err;
	return same_bytes(k, h);
}

static void hexdump(const char *who, const uint8_t *p, size_t n, const uint8_t *other)
{
	size_t first = 0;

	if (other)
		while (first < n && p[first] == other[first])
			first++;
	printf("      %-8s %zu bytes", who, n);
	if (other && first < n)
		printf(", first difference at %zu", first);
	printf(":");
	for (size_t i = first & ~(size_t)15; i < n && i < (first & ~(size_t)15) + 48; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static int n_scenarios, n_scenarios_kernel, n_steps, n_steps_kernel, n_bugs, n_bugs_gone, n_diffs;

static void report_step(const char *kind, const char *scen, const struct step *k,
			const struct step *h, const char *text)
{
	char kd[48], hd[48], wd[48];

	describe(h->ret, h->err, hd, sizeof(hd));
	describe_want(h->bug ? h->want : h->host_want, wd, sizeof(wd));
	printf("%s %s: %s\n", kind, scen, h->label);
	if (text)
		printf("      %s\n", text);
	if (k) {
		describe(k->ret, k->err, kd, sizeof(kd));
		printf("      kernel %s, bpfhost %s (bpfhost expected %s)\n", kd, hd, wd);
		if (k->ret >= 0 && h->ret >= 0 && !same_bytes(k, h)) {
			hexdump("kernel", k->out, k->outlen,
				k->outlen == h->outlen ? h->out : NULL);
			hexdump("bpfhost", h->out, h->outlen,
				k->outlen == h->outlen ? k->out : NULL);
		}
	} else {
		printf("      bpfhost %s (expected %s)\n", hd, wd);
	}
	if (h->want_out && h->ret >= 0 && memcmp(h->out, h->want_out, h->outlen)) {
		hexdump("bpfhost", h->out, h->outlen, h->want_out);
		hexdump("expected", h->want_out, h->outlen, h->out);
	}
}

static void evaluate(const char *scen)
{
	const struct trace *kt = kernel_ok ? &traces[0] : NULL, *ht = &traces[1];

	n_scenarios++;
	if (kt) {
		n_scenarios_kernel++;
		CHECK(kt->n == ht->n, "%s: the kernel run has %zu steps, bpfhost's %zu", scen,
		      kt->n, ht->n);
	}
	for (size_t i = 0; i < ht->n; i++) {
		const struct step *h = &ht->v[i];
		const struct step *k = kt && i < kt->n ? &kt->v[i] : NULL;
		bool host_ok =
			result_is(h, h->bug ? h->want : h->host_want) &&
			(!h->want_out || h->ret < 0 || !memcmp(h->out, h->want_out, h->outlen));
		bool same = k && same_result(k, h);

		n_steps++;
		n_steps_kernel += k != NULL;
		if (h->bug) {
			if (!host_ok || (k && !same)) {
				n_bugs++;
				report_step("KNOWN_BUG", scen, k, h, h->bug);
			} else {
				n_bugs_gone++;
				report_step("KNOWN_BUG NO LONGER SHOWS (fixed? remove the marker)",
					    scen, k, h, h->bug);
			}
		} else if (h->diff) {
			if (!host_ok) {
				CHECK(host_ok,
				      "%s: %s: bpfhost does not give its documented result", scen,
				      h->label);
				report_step("FAIL", scen, k, h, h->diff);
			} else if (k && !same) {
				n_diffs++;
				report_step("DIFF", scen, k, h, h->diff);
			} else if (k) {
				report_step("KNOWN_DIFF NO LONGER SHOWS (remove the marker)", scen,
					    k, h, h->diff);
			}
		} else if (!host_ok || (k && !same)) {
			CHECK(host_ok && (!k || same), "%s: %s", scen, h->label);
			report_step("FAIL", scen, k, h, NULL);
		}
		if (k && !result_is(k, k->want)) {
			char kd[48], wd[48];

			describe(k->ret, k->err, kd, sizeof(kd));
			describe_want(k->want, wd, sizeof(wd));
			printf("NOTE %s: %s: this kernel gives %s, the test's model of it says "
			       "%s\n",
			       scen, h->label, kd, wd);
		}
	}
}

static void run(const char *scen, void (*fn)(uint32_t), uint32_t arg)
{
	if (kernel_ok) {
		B = &kernel_backend;
		T = &traces[0];
		trace_reset(T);
		fn(arg);
		close_all();
	}
	B = &host_backend;
	T = &traces[1];
	trace_reset(T);
	fn(arg);
	close_all();
	evaluate(scen);
}

/* ---- maps ---- */

static bool percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static bool is_array(uint32_t t)
{
	return t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static const char *tname(uint32_t t)
{
	switch (t) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case BPF_MAP_TYPE_PERCPU_HASH: return "percpu_hash";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	default: return "?";
	}
}

static uint32_t round8(uint32_t n)
{
	return (n + 7) & ~7u;
}

/* bytes of a value from user space: per-CPU maps take one 8-aligned slot per
 * possible CPU */
static size_t usize(uint32_t t, uint32_t vs)
{
	return percpu(t) ? (size_t)round8(vs) * ncpus : vs;
}

static union bpf_attr create_attr(uint32_t t, uint32_t ks, uint32_t vs, uint32_t max,
				  uint32_t flags, const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = t;
	a.key_size = ks;
	a.value_size = vs;
	a.max_entries = max;
	a.map_flags = flags;
	if (name)
		memcpy(a.map_name, name, strnlen(name, sizeof(a.map_name)));
	return a;
}

static int mk(uint32_t t, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags, const char *name)
{
	union bpf_attr a = create_attr(t, ks, vs, max, flags, name);

	return (int)sys(BPF_MAP_CREATE, &a);
}

static long m_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr(key);
	a.value = ptr(value);
	a.flags = flags;
	return sys(cmd, &a);
}

static long m_lookup(int fd, const void *key, void *value, uint64_t flags)
{
	return m_elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

static long m_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return m_elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)(uintptr_t)ptr(value), flags);
}

static long m_lad(int fd, const void *key, void *value, uint64_t flags)
{
	return m_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

static long m_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr(key);
	return sys(BPF_MAP_DELETE_ELEM, &a);
}

static long m_next(int fd, const void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr(key);
	a.next_key = ptr(next);
	return sys(BPF_MAP_GET_NEXT_KEY, &a);
}

static long m_freeze(int fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	return sys(BPF_MAP_FREEZE, &a);
}

static long get_info(int fd, void *info, uint32_t *len)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = *len;
	a.info.info = ptr(info);
	r = sys(BPF_OBJ_GET_INFO_BY_FD, &a);
	*len = a.info.info_len;
	return r;
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int err = g_err;

	memset(&info, 0, sizeof(info));
	if (get_info(fd, &info, &len))
		info.id = 0;
	g_err = err;
	return info.id;
}

static long fd_by_id(int cmd, uint32_t id, uint32_t open_flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_id = id;
	a.open_flags = open_flags;
	return sys(cmd, &a);
}

static long next_id(int cmd, uint32_t start, uint32_t *next)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.start_id = start;
	r = sys(cmd, &a);
	*next = a.next_id;
	return r;
}

/* The value written under seed: every byte defined, per-CPU slots distinct
 * and their padding zero. */
static void make_value(uint32_t t, uint32_t vs, uint32_t seed, uint8_t *buf)
{
	size_t stride = percpu(t) ? round8(vs) : vs, slots = percpu(t) ? ncpus : 1;

	memset(buf, 0, usize(t, vs));
	for (size_t c = 0; c < slots; c++)
		for (size_t i = 0; i < vs; i++)
			buf[c * stride + i] = (uint8_t)(seed * 31 + c * 7 + i + 1);
}

static long upd(int fd, uint32_t t, uint32_t vs, uint32_t key, uint32_t seed, uint64_t flags)
{
	uint8_t *v = malloc(usize(t, vs));
	long r;

	if (!v)
		abort();
	make_value(t, vs, seed, v);
	r = m_update(fd, &key, v, flags);
	free(v);
	return r;
}

#define SEED_NONE (-1L) /* no expectation on the bytes */
#define SEED_ZERO (-2L) /* all zero */

/* Looks key up into a buffer with a 16-byte sentinel tail and records all of it. */
static void look(int fd, uint32_t t, uint32_t vs, const void *key, uint64_t flags, int want,
		 long seed, const char *what)
{
	size_t n = usize(t, vs) + 16;
	uint8_t *buf = malloc(n), *exp = malloc(n);
	long r;

	if (!buf || !exp)
		abort();
	memset(buf, 0xa5, n);
	memset(exp, 0xa5, n);
	if (seed == SEED_ZERO)
		memset(exp, 0, n - 16);
	else if (seed >= 0)
		make_value(t, vs, (uint32_t)seed, exp);
	r = m_lookup(fd, key, buf, flags);
	STEP_OUT(r, want, buf, n, seed != SEED_NONE ? exp : NULL, "lookup %s", what);
	free(buf);
	free(exp);
}

static void sort_keys(uint8_t *keys, size_t n, uint32_t ks)
{
	uint8_t tmp[64];

	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && memcmp(keys + (j - 1) * ks, keys + j * ks, ks) > 0;
		     j--) {
			memcpy(tmp, keys + j * ks, ks);
			memcpy(keys + j * ks, keys + (j - 1) * ks, ks);
			memcpy(keys + (j - 1) * ks, tmp, ks);
		}
	}
}

#define WALK_MAX 64

/* Walks the map with GET_NEXT_KEY from NULL and records the keys (sorted for
 * hashes, whose order is theirs to choose; in order for arrays) and the errno
 * that ended the walk. want: the keys expected (u32 keys), or NULL. */
static void walk(int fd, uint32_t ks, bool sorted, const uint32_t *want, size_t want_n,
		 const char *what)
{
	uint8_t keys[WALK_MAX * 16], cur[16], next[16];
	uint8_t out[8 + sizeof(keys)], wout[8 + sizeof(keys)];
	uint32_t n = 0, end, wn = (uint32_t)want_n, enoent = ENOENT;
	long r;

	memset(next, 0, sizeof(next));
	r = m_next(fd, NULL, next);
	while (r == 0 && n < WALK_MAX) {
		memcpy(keys + n * ks, next, ks);
		n++;
		memcpy(cur, next, ks);
		r = m_next(fd, cur, next);
	}
	end = r == 0 ? 0xffffffffu : (uint32_t)g_err;
	if (sorted)
		sort_keys(keys, n, ks);
	memcpy(out, &n, 4);
	memcpy(out + 4, &end, 4);
	memcpy(out + 8, keys, (size_t)n * ks);
	if (want) {
		memcpy(wout, &wn, 4);
		memcpy(wout + 4, &enoent, 4);
		for (size_t i = 0; i < want_n; i++)
			memcpy(wout + 8 + i * 4, &want[i], 4);
		if (sorted)
			sort_keys(wout + 8, want_n, 4);
	}
	STEP_OUT(0, 0, &n, 4, want ? &wn : NULL, "walk %s: number of keys", what);
	STEP_OUT(0, 0, out, 8 + (size_t)n * ks, want && wn == n ? wout : NULL, "walk %s", what);
}

/* GET_NEXT_KEY whose answer depends on the hash order: records only whether
 * it is one of the keys in set. */
static void next_in(int fd, const void *key, const uint32_t *set, size_t n, int want,
		    const char *what)
{
	uint32_t next = 0xdeadbeef;
	uint8_t member = 0, yes = 1;
	long r = m_next(fd, key, &next);

	for (size_t i = 0; i < n; i++)
		member |= next == set[i];
	STEP_OUT(r, want, &member, 1, &yes, "get_next_key %s", what);
}

/* OBJ_GET_INFO_BY_FD of a map, id zeroed (ids are the backend's own), with
 * info_len; want: the fields expected. */
static void map_info_step(int fd, uint32_t t, uint32_t ks, uint32_t vs, uint32_t max,
			  uint32_t flags, const char *name, const char *what)
{
	struct {
		struct bpf_map_info info;
		uint32_t len;
	} got, exp;
	long r;

	memset(&got, 0, sizeof(got));
	memset(&exp, 0, sizeof(exp));
	got.len = sizeof(got.info);
	r = get_info(fd, &got.info, &got.len);
	got.info.id = 0;
	exp.info.type = t;
	exp.info.key_size = ks;
	exp.info.value_size = vs;
	exp.info.max_entries = max;
	/* the kernel drops the fd-only flags (bpf_map_flags_retain_permanent) */
	exp.info.map_flags = flags & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY);
	memcpy(exp.info.name, name, strnlen(name, sizeof(exp.info.name) - 1));
	exp.len = sizeof(exp.info);
	STEP_OUT(r, 0, &got, sizeof(got), &exp, "info %s", what);
}

/* ---- scenarios: map creation ---- */

static void sc_create(uint32_t t)
{
	static uint8_t big[4096 + 64] __attribute__((aligned(8)));
	const bool arr = is_array(t), pc = percpu(t);
	union bpf_attr a;
	char name[BPF_OBJ_NAME_LEN];
	int fd;

	STEP(mk(t, 4, 8, 4, 0, "ok"), W_FD, "valid");
	STEP(mk(t, 0, 8, 4, 0, NULL), EINVAL, "key_size 0");
	STEP(mk(t, 4, 0, 4, 0, NULL), EINVAL, "value_size 0");
	STEP(mk(t, 4, 8, 0, 0, NULL), EINVAL, "max_entries 0");
	STEP(mk(t, 8, 8, 4, 0, NULL), arr ? EINVAL : W_FD, "key_size 8");
	STEP(mk(t, 3, 8, 4, 0, NULL), arr ? EINVAL : W_FD, "key_size 3");
	STEP(mk(t, 4, 5, 4, 0, NULL), W_FD, "value_size 5");
	STEP(mk(t, 4, 8, 4, 1u << 30, NULL), EINVAL, "unknown flag 1<<30");
	STEP(mk(t, 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY, NULL), EINVAL, "RDONLY|WRONLY");
	STEP(mk(t, 4, 8, 4, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, NULL), EINVAL,
	     "RDONLY_PROG|WRONLY_PROG");
	STEP(mk(t, 4, 8, 4, BPF_F_RDONLY, NULL), W_FD, "RDONLY");
	STEP(mk(t, 4, 8, 4, BPF_F_WRONLY, NULL), W_FD, "WRONLY");
	STEP(mk(t, 4, 8, 4, BPF_F_RDONLY_PROG, NULL), W_FD, "RDONLY_PROG");
	STEP(mk(t, 4, 8, 4, BPF_F_WRONLY_PROG, NULL), W_FD, "WRONLY_PROG");
	STEP(mk(t, 4, 8, 4, BPF_F_NO_PREALLOC, NULL), arr ? EINVAL : W_FD, "NO_PREALLOC");
	STEP(mk(t, 4, 8, 4, BPF_F_NO_COMMON_LRU, NULL), EINVAL, "NO_COMMON_LRU");
	STEP(mk(t, 4, 8, 4, BPF_F_ZERO_SEED, NULL), arr ? EINVAL : W_FD, "ZERO_SEED");
	STEP(mk(t, 4, 8, 4, BPF_F_MMAPABLE, NULL), t == BPF_MAP_TYPE_ARRAY ? W_FD : EINVAL,
	     "MMAPABLE");
	STEP(mk(t, 4, 8, 4, BPF_F_INNER_MAP, NULL), t == BPF_MAP_TYPE_ARRAY ? W_FD : EINVAL,
	     "INNER_MAP");
	STEP(mk(t, 4, 8, 4, BPF_F_PRESERVE_ELEMS, NULL), EINVAL, "PRESERVE_ELEMS");
	STEP(mk(t, 4, 8, 4, BPF_F_STACK_BUILD_ID, NULL), EINVAL, "STACK_BUILD_ID");

	a = create_attr(t, 4, 8, 4, BPF_F_NUMA_NODE, NULL);
	STEP(sys(BPF_MAP_CREATE, &a), pc ? EINVAL : W_FD, "NUMA_NODE node 0");
	a.numa_node = 1000;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "NUMA_NODE node 1000");
	a.map_flags = 0;
	STEP(sys(BPF_MAP_CREATE, &a), W_FD, "numa_node 1000 without NUMA_NODE");

	/* names: [A-Za-z0-9_.], NUL within 16 bytes */
	STEP(mk(t, 4, 8, 4, 0, "a-b"), EINVAL, "name \"a-b\"");
	STEP(mk(t, 4, 8, 4, 0, "a b"), EINVAL, "name \"a b\"");
	KNOWN_BUG("util/name.c name_valid accepts ASCII [A-Za-z0-9_.] only; the kernel's "
		  "isalnum() is Latin-1, so bytes 0xc0-0xff except 0xd7 and 0xf7 are letters "
		  "(low priority)");
	STEP(mk(t, 4, 8, 4, 0, "x\xff"), W_FD, "name \"x\\xff\" (Latin-1 letter)");
	STEP(mk(t, 4, 8, 4, 0, "x\xd7"), EINVAL, "name \"x\\xd7\" (Latin-1 sign)");
	STEP(mk(t, 4, 8, 4, 0, "x\x80"), EINVAL, "name \"x\\x80\"");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	memcpy(a.map_name, "abcdefghijklmnop", 16);
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "name of 16 bytes, no NUL");
	STEP(fd = mk(t, 4, 8, 4, 0, "A_Za.z012345678"), W_FD, "name of 15 characters");
	map_info_step(fd, t, 4, 8, 4, 0, "A_Za.z012345678", "name of 15 characters");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	memcpy(name, "ab\0-junk\xff!", 11);
	memset(name + 11, 'z', sizeof(name) - 11);
	memcpy(a.map_name, name, sizeof(name));
	STEP(fd = (int)sys(BPF_MAP_CREATE, &a), W_FD, "name \"ab\" with junk after its NUL");
	map_info_step(fd, t, 4, 8, 4, 0, "ab", "name \"ab\" with junk after its NUL");

	/* fields: type, map_extra, the ones for BTF, map-in-map, offload */
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.map_extra = 1;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "map_extra 1");
	STEP(mk(9999, 4, 8, 4, 0, NULL), EINVAL, "map type 9999");
	STEP(mk(0, 4, 8, 4, 0, NULL), EINVAL, "map type 0 (UNSPEC)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.inner_map_fd = 100000;
	STEP(sys(BPF_MAP_CREATE, &a), W_FD, "inner_map_fd 100000 (not an fd)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.btf_fd = 100000;
	STEP(sys(BPF_MAP_CREATE, &a), W_FD, "btf_fd 100000 without type ids");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.btf_fd = 100000;
	a.btf_key_type_id = 1;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "btf_key_type_id 1, btf_fd 100000 (not an fd)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.btf_vmlinux_value_type_id = 1;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "btf_vmlinux_value_type_id 1");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	a.map_ifindex = 1;
	STEP(sys(BPF_MAP_CREATE, &a), pc ? EINVAL : EOPNOTSUPP, "map_ifindex 1 (lo)");

	/* the attr's bytes after the fields bpfhost's 6.1 uapi knows (map_extra
	 * ends at 72): Linux 6.18 has value_type_btf_obj_fd (72), map_token_fd
	 * (76), excl_prog_hash (80), excl_prog_hash_size (88), then ends at 92 */
	a = create_attr(t, 4, 8, 4, 0, NULL);
	((uint8_t *)&a)[72] = 1;
	KNOWN_DIFF(EINVAL, "bpfhost's uapi (6.1) ends MAP_CREATE at map_extra; 6.18 ignores "
			   "value_type_btf_obj_fd without BPF_F_VTYPE_BTF_OBJ_FD");
	STEP(sys(BPF_MAP_CREATE, &a), W_FD, "value_type_btf_obj_fd 1 (offset 72)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	((uint8_t *)&a)[76] = 1;
	KNOWN_DIFF(EINVAL, "bpfhost's uapi (6.1) ends MAP_CREATE at map_extra; 6.18 ignores "
			   "map_token_fd without BPF_F_TOKEN_FD");
	STEP(sys(BPF_MAP_CREATE, &a), W_FD, "map_token_fd 1 (offset 76)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	((uint8_t *)&a)[88] = 32;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "excl_prog_hash_size 32 without a hash (offset 88)");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	((uint8_t *)&a)[92] = 1;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "nonzero byte 92, after the last field");
	a = create_attr(t, 4, 8, 4, 0, NULL);
	((uint8_t *)&a)[sizeof(a) - 1] = 1;
	STEP(sys(BPF_MAP_CREATE, &a), EINVAL, "nonzero last byte of the attr");

	/* the size argument */
	a = create_attr(t, 4, 8, 4, 0, NULL);
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	STEP(sys_size(BPF_MAP_CREATE, big, 512), W_FD, "size 512, zero tail");
	big[300] = 1;
	STEP(sys_size(BPF_MAP_CREATE, big, 512), E2BIG, "size 512, nonzero byte 300");
	big[300] = 0;
	big[sizeof(a) + 4] = 1;
	KNOWN_DIFF(E2BIG, "bpfhost's union bpf_attr is 6.1's (144 bytes): it answers E2BIG for "
			  "a byte the 6.18 kernel's 168-byte union has (and CHECK_ATTR refuses "
			  "for MAP_CREATE)");
	STEP(sys_size(BPF_MAP_CREATE, big, sizeof(a) + 8), EINVAL,
	     "size sizeof(attr)+8, nonzero byte sizeof(attr)+4");
	big[sizeof(a) + 4] = 0;
	STEP(sys_size(BPF_MAP_CREATE, big, 4096 + 8), E2BIG, "size 4104, zero tail");
	STEP(sys_size(BPF_MAP_CREATE, big, 4096), W_FD, "size 4096, zero tail");
	STEP(sys_size(BPF_MAP_CREATE, big, END(map_extra)), W_FD, "size offsetofend(map_extra)");
	STEP(sys_size(BPF_MAP_CREATE, big, offsetof(union bpf_attr, map_name)), W_FD,
	     "size offsetof(map_name)");
	STEP(sys_size(BPF_MAP_CREATE, big, 0), EINVAL, "size 0 (all zero: type 0)");

	/* limits */
	if (pc) {
		STEP(mk(t, 4, 32768, 1, 0, NULL), W_FD, "value_size 32768");
		STEP(mk(t, 4, 32769, 1, 0, NULL), E2BIG, "value_size 32769");
	} else if (arr) {
		STEP(mk(t, 4, 1u << 22, 1, 0, NULL), W_FD, "value_size 4 MiB, one entry");
	} else {
		STEP(mk(t, 4, 1u << 22, 1, 0, NULL), E2BIG, "value_size 4 MiB");
		STEP(mk(t, 4, 8, 0x80000001u, 0, NULL), E2BIG, "max_entries 2^31+1");
	}
	if (!arr) {
		STEP(mk(t, 513, 8, 4, 0, NULL), W_FD, "key_size 513");
	}
}

/* ---- scenarios: elements ---- */

static void sc_hash_elems(uint32_t t)
{
	const uint32_t vs = 8;
	uint32_t k, keys[] = {1, 2, 3, 4}, rest[] = {3, 4};
	uint8_t *v = malloc(usize(t, vs) + 16);
	int fd;

	if (!v)
		abort();
	STEP(fd = mk(t, 4, vs, 4, 0, "elems"), W_FD, "create");
	k = 1;
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "absent key 1");
	STEP(upd(fd, t, vs, 1, 10, BPF_EXIST), ENOENT, "update absent key 1 EXIST");
	STEP(upd(fd, t, vs, 1, 11, BPF_NOEXIST), 0, "update absent key 1 NOEXIST");
	STEP(upd(fd, t, vs, 1, 12, BPF_NOEXIST), EEXIST, "update present key 1 NOEXIST");
	look(fd, t, vs, &k, 0, 0, 11, "key 1 after the refused NOEXIST");
	STEP(upd(fd, t, vs, 1, 13, BPF_EXIST), 0, "update present key 1 EXIST");
	look(fd, t, vs, &k, 0, 0, 13, "key 1 after EXIST");
	STEP(upd(fd, t, vs, 2, 20, BPF_ANY), 0, "update absent key 2 ANY");
	STEP(upd(fd, t, vs, 2, 21, BPF_ANY), 0, "update present key 2 ANY");
	k = 2;
	look(fd, t, vs, &k, 0, 0, 21, "key 2");

	STEP(upd(fd, t, vs, 2, 22, 3), EINVAL, "update flags 3");
	STEP(upd(fd, t, vs, 2, 22, 4 | 8), EINVAL, "update flags 4|8");
	STEP(upd(fd, t, vs, 2, 22, BPF_F_LOCK), EINVAL, "update flags F_LOCK, no spin lock");
	STEP(upd(fd, t, vs, 2, 22, 1ull << 32), EINVAL, "update flags 1<<32");
	look(fd, t, vs, &k, 0, 0, 21, "key 2 after the refused updates");
	look(fd, t, vs, &k, 1, EINVAL, SEED_NONE, "flags 1");
	look(fd, t, vs, &k, 2, EINVAL, SEED_NONE, "flags 2");
	look(fd, t, vs, &k, 1ull << 40, EINVAL, SEED_NONE, "flags 1<<40");
	look(fd, t, vs, &k, BPF_F_LOCK, EINVAL, SEED_NONE, "flags F_LOCK, no spin lock");

	k = 3;
	STEP(m_delete(fd, &k), ENOENT, "delete absent key 3");
	STEP(upd(fd, t, vs, 3, 30, BPF_ANY), 0, "update key 3");
	STEP(upd(fd, t, vs, 4, 40, BPF_NOEXIST), 0, "update key 4 (now full)");
	STEP(upd(fd, t, vs, 5, 50, BPF_ANY), E2BIG, "full: update new key 5 ANY");
	STEP(upd(fd, t, vs, 5, 50, BPF_NOEXIST), E2BIG, "full: update new key 5 NOEXIST");
	STEP(upd(fd, t, vs, 5, 50, BPF_EXIST), ENOENT, "full: update new key 5 EXIST");
	STEP(upd(fd, t, vs, 4, 41, BPF_ANY), 0, "full: update present key 4 ANY");
	STEP(upd(fd, t, vs, 4, 42, BPF_EXIST), 0, "full: update present key 4 EXIST");
	k = 4;
	look(fd, t, vs, &k, 0, 0, 42, "key 4");
	k = 5;
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "key 5 (never stored)");

	walk(fd, 4, true, keys, 4, "{1,2,3,4}");
	k = 99;
	next_in(fd, &k, keys, 4, 0, "after missing key 99 (restarts)");
	next_in(fd, NULL, keys, 4, 0, "from NULL");
	{
		/* a missing key restarts the walk: the answer is the first key */
		uint32_t first = 0, after_missing = 1;
		long r1 = m_next(fd, NULL, &first), r2;
		uint8_t same;

		k = 99;
		r2 = m_next(fd, &k, &after_missing);
		same = first == after_missing;
		STEP_OUT(r1 || r2 ? -1 : 0, 0, &same, 1, "\1",
			 "get_next_key after a missing key is the first key");
	}
	STEP(m_next(fd, NULL, NULL), EFAULT, "get_next_key from NULL, NULL next_key");

	/* NULL pointers */
	k = 1;
	STEP(m_lookup(fd, &k, NULL, 0), EFAULT, "lookup present key, NULL value");
	k = 77;
	STEP(m_lookup(fd, &k, NULL, 0), ENOENT, "lookup absent key, NULL value");
	STEP(m_lookup(fd, NULL, v, 0), EFAULT, "lookup NULL key");
	k = 1;
	STEP(m_update(fd, &k, NULL, 0), EFAULT, "update NULL value");
	STEP(m_update(fd, NULL, v, 0), EFAULT, "update NULL key");
	STEP(m_delete(fd, NULL), EFAULT, "delete NULL key");

	/* delete, lookup-and-delete */
	k = 1;
	STEP(m_delete(fd, &k), 0, "delete key 1");
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "deleted key 1");
	STEP(m_delete(fd, &k), ENOENT, "delete key 1 again");
	k = 2;
	memset(v, 0xa5, usize(t, vs) + 16);
	{
		uint8_t *exp = malloc(usize(t, vs) + 16);

		if (!exp)
			abort();
		memset(exp, 0xa5, usize(t, vs) + 16);
		make_value(t, vs, 21, exp);
		STEP_OUT(m_lad(fd, &k, v, 0), 0, v, usize(t, vs) + 16, exp,
			 "lookup_and_delete key 2");
		free(exp);
	}
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "key 2 after lookup_and_delete");
	STEP(m_lad(fd, &k, v, 0), ENOENT, "lookup_and_delete absent key 2");
	k = 3;
	STEP(m_lad(fd, &k, v, 1), EINVAL, "lookup_and_delete flags 1");
	k = 77;
	STEP(m_lad(fd, &k, v, BPF_F_LOCK), EINVAL, "lookup_and_delete absent key, flags F_LOCK");
	k = 3;
	walk(fd, 4, true, rest, 2, "{3,4}");
	STEP(m_lad(fd, &k, NULL, 0), EFAULT, "lookup_and_delete key 3, NULL value");
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "key 3 after lookup_and_delete with NULL value");

	/* empty map */
	k = 3;
	m_delete(fd, &k);
	k = 4;
	STEP(m_delete(fd, &k), 0, "delete key 4");
	walk(fd, 4, true, keys, 0, "empty");
	STEP(m_next(fd, NULL, &k), ENOENT, "get_next_key from NULL, empty map");
	STEP(m_next(fd, NULL, NULL), ENOENT, "get_next_key NULL next_key, empty map");
	STEP(upd(fd, t, vs, 9, 90, BPF_NOEXIST), 0, "update key 9 into the emptied map");
	k = 9;
	look(fd, t, vs, &k, 0, 0, 90, "key 9");
	free(v);
}

static void sc_array_elems(uint32_t t)
{
	const uint32_t vs = 8;
	uint32_t k, order[] = {0, 1, 2, 3};
	uint8_t *v = malloc(usize(t, vs) + 16);
	int fd;

	if (!v)
		abort();
	STEP(fd = mk(t, 4, vs, 4, 0, "elems"), W_FD, "create");
	k = 0;
	look(fd, t, vs, &k, 0, 0, SEED_ZERO, "index 0 (never written)");
	k = 3;
	look(fd, t, vs, &k, 0, 0, SEED_ZERO, "index 3 (never written)");
	k = 4;
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "index 4 (out of range)");
	k = 0xffffffffu;
	look(fd, t, vs, &k, 0, ENOENT, SEED_NONE, "index 0xffffffff");
	STEP(upd(fd, t, vs, 1, 10, BPF_ANY), 0, "update index 1 ANY");
	k = 1;
	look(fd, t, vs, &k, 0, 0, 10, "index 1");
	STEP(upd(fd, t, vs, 1, 11, BPF_EXIST), 0, "update index 1 EXIST");
	STEP(upd(fd, t, vs, 1, 12, BPF_NOEXIST), EEXIST, "update index 1 NOEXIST");
	STEP(upd(fd, t, vs, 2, 12, BPF_NOEXIST), EEXIST, "update index 2 (never written) NOEXIST");
	look(fd, t, vs, &k, 0, 0, 11, "index 1 after EXIST");
	STEP(upd(fd, t, vs, 4, 40, BPF_ANY), E2BIG, "update index 4 (out of range) ANY");
	STEP(upd(fd, t, vs, 4, 40, BPF_NOEXIST), E2BIG, "update index 4 NOEXIST");
	STEP(upd(fd, t, vs, 4, 40, BPF_EXIST), E2BIG, "update index 4 EXIST");
	STEP(upd(fd, t, vs, 1, 13, 3), EINVAL, "update flags 3");
	STEP(upd(fd, t, vs, 1, 13, 4 | 8), EINVAL, "update flags 4|8");
	STEP(upd(fd, t, vs, 1, 13, BPF_F_LOCK), EINVAL, "update flags F_LOCK, no spin lock");
	STEP(upd(fd, t, vs, 9, 13, 3), EINVAL, "update index 9 flags 3 (flags first)");
	look(fd, t, vs, &k, 0, 0, 11, "index 1 after the refused updates");
	look(fd, t, vs, &k, 1, EINVAL, SEED_NONE, "flags 1");
	look(fd, t, vs, &k, BPF_F_LOCK, EINVAL, SEED_NONE, "flags F_LOCK, no spin lock");
	k = 0;
	STEP(m_delete(fd, &k), EINVAL, "delete index 0");
	k = 9;
	STEP(m_delete(fd, &k), EINVAL, "delete index 9");
	k = 1;
	STEP(m_lad(fd, &k, v, 0), ENOTSUPP, "lookup_and_delete index 1");

	walk(fd, 4, false, order, 4, "0..3 in order");
	{
		uint32_t from[] = {0, 1, 2, 3, 4, 0xffffffffu};
		int want[] = {0, 0, 0, ENOENT, 0, 0};
		uint32_t expect[] = {1, 2, 3, 0, 0, 0};

		for (size_t i = 0; i < ARRAY_SIZE(from); i++) {
			uint32_t next = 0xdeadbeef;
			long r = m_next(fd, &from[i], &next);

			STEP_OUT(r, want[i], &next, 4, want[i] ? NULL : &expect[i],
				 "get_next_key after %u", from[i]);
		}
	}
	STEP(m_next(fd, &k, NULL), EFAULT, "get_next_key NULL next_key");
	STEP(m_lookup(fd, &k, NULL, 0), EFAULT, "lookup NULL value");
	STEP(m_lookup(fd, NULL, v, 0), EFAULT, "lookup NULL key");
	STEP(m_update(fd, &k, NULL, 0), EFAULT, "update NULL value");
	STEP(m_update(fd, NULL, v, 0), EFAULT, "update NULL key");
	free(v);
}

/* Per-CPU values of value_size 4 are 8-byte slots: the kernel copies whole
 * slots (bpf_long_memcpy) both ways, padding included. */
static void sc_percpu_padding(uint32_t t)
{
	const uint32_t vs = 4;
	size_t n = usize(t, vs);
	uint8_t *in = malloc(n), *out = malloc(n + 16), *exp = malloc(n + 16);
	uint32_t k = 1;
	int fd;

	if (!in || !out || !exp)
		abort();
	for (size_t i = 0; i < n; i++)
		in[i] = (uint8_t)(0x11 + i);
	memset(exp, 0xa5, n + 16);
	memcpy(exp, in, n);
	STEP(fd = mk(t, 4, vs, 2, 0, "pad"), W_FD, "create value_size 4");
	STEP(m_update(fd, &k, in, BPF_ANY), 0, "update with nonzero padding");
	memset(out, 0xa5, n + 16);
	STEP_OUT(m_lookup(fd, &k, out, 0), 0, out, n + 16, exp, "lookup: padding bytes as written");
	memset(in, 0, n);
	STEP(m_update(fd, &k, in, BPF_ANY), 0, "update with zeros");
	memset(out, 0xa5, n + 16);
	memset(exp, 0, n);
	STEP_OUT(m_lookup(fd, &k, out, 0), 0, out, n + 16, exp, "lookup zeros");
	free(in);
	free(out);
	free(exp);
}

/* A hash with odd sizes: key 3 bytes, value 5. */
static void sc_odd_sizes(uint32_t t)
{
	uint8_t key[3], val[16], exp[16], keys[3 * 3];
	int fd;

	STEP(fd = mk(t, 3, 5, 3, 0, "odd"), W_FD, "create key_size 3 value_size 5");
	for (uint8_t i = 0; i < 3; i++) {
		key[0] = i;
		key[1] = (uint8_t)(0xf0 + i);
		key[2] = 0x5a;
		memcpy(keys + i * 3, key, 3);
		memset(val, 0x30 + i, 5);
		STEP(m_update(fd, key, val, BPF_NOEXIST), 0, "update key %u", i);
	}
	key[0] = 1;
	key[1] = 0xf1;
	memset(val, 0xa5, sizeof(val));
	memset(exp, 0xa5, sizeof(exp));
	memset(exp, 0x31, 5);
	STEP_OUT(m_lookup(fd, key, val, 0), 0, val, sizeof(val), exp, "lookup key 1");
	key[2] = 0x5b;
	STEP(m_lookup(fd, key, val, 0), ENOENT, "lookup a key differing in its last byte");
	{
		/* the walk, sorted, against the keys stored */
		uint8_t cur[3], next[3], got[3 * 4 + 8];
		uint32_t n = 0;
		long r = m_next(fd, NULL, next);

		while (r == 0 && n < 4) {
			memcpy(got + 8 + n * 3, next, 3);
			n++;
			memcpy(cur, next, 3);
			r = m_next(fd, cur, next);
		}
		sort_keys(got + 8, n, 3);
		sort_keys(keys, 3, 3);
		memcpy(got, &n, 4);
		memcpy(got + 4, &g_err, 4);
		STEP_OUT(0, 0, got, 8 + (size_t)n * 3, NULL, "walk");
		STEP(n == 3 && !memcmp(got + 8, keys, 9) ? 0 : -1, 0, "walk found the 3 keys");
	}
}

/* ---- scenarios: access modes and freezing ---- */

static void sc_access(uint32_t t)
{
	const uint32_t vs = 8;
	const bool arr = is_array(t);
	uint8_t *v = malloc(usize(t, vs) + 16);
	uint32_t k = 0;
	int ro, wo, rw, fd;

	if (!v)
		abort();
	/* a map created read-only for user space */
	STEP(ro = mk(t, 4, vs, 4, BPF_F_RDONLY, "ro"), W_FD, "create RDONLY");
	look(ro, t, vs, &k, 0, arr ? 0 : ENOENT, arr ? SEED_ZERO : SEED_NONE, "RDONLY map");
	STEP(upd(ro, t, vs, 0, 1, BPF_ANY), EPERM, "update RDONLY map");
	STEP(m_delete(ro, &k), EPERM, "delete RDONLY map");
	STEP(m_next(ro, NULL, &k), arr ? 0 : ENOENT, "get_next_key RDONLY map");
	STEP(m_lad(ro, &k, v, 0), EPERM, "lookup_and_delete RDONLY map");
	STEP(m_freeze(ro), EPERM, "freeze RDONLY map");
	map_info_step(ro, t, 4, vs, 4, BPF_F_RDONLY, "ro", "RDONLY map");
	STEP(fd = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, map_id(ro), 0), W_FD,
	     "GET_FD_BY_ID of the RDONLY map, open_flags 0");
	STEP(upd(fd, t, vs, 0, 2, BPF_ANY), 0, "update RDONLY map through a read-write fd");

	/* write-only */
	STEP(wo = mk(t, 4, vs, 4, BPF_F_WRONLY, "wo"), W_FD, "create WRONLY");
	STEP(upd(wo, t, vs, 0, 3, BPF_ANY), 0, "update WRONLY map");
	STEP(m_lookup(wo, &k, v, 0), EPERM, "lookup WRONLY map");
	STEP(m_next(wo, NULL, &k), EPERM, "get_next_key WRONLY map");
	k = 0;
	STEP(m_lad(wo, &k, v, 0), EPERM, "lookup_and_delete WRONLY map");
	STEP(m_delete(wo, &k), arr ? EINVAL : 0, "delete WRONLY map");
	STEP(fd = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, map_id(wo), 0), W_FD,
	     "GET_FD_BY_ID of the WRONLY map, open_flags 0");
	STEP(m_lookup(fd, &k, v, 0), arr ? 0 : ENOENT, "lookup WRONLY map through a read-write fd");
	STEP(m_freeze(wo), 0, "freeze WRONLY map");
	STEP(upd(wo, t, vs, 0, 3, BPF_ANY), EPERM, "update frozen WRONLY map");

	/* fds with fewer rights than the map */
	STEP(rw = mk(t, 4, vs, 4, 0, "rw"), W_FD, "create");
	STEP(upd(rw, t, vs, 0, 4, BPF_ANY), 0, "update index/key 0");
	STEP(fd = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, map_id(rw), BPF_F_RDONLY), W_FD,
	     "GET_FD_BY_ID open_flags RDONLY");
	STEP(upd(fd, t, vs, 0, 5, BPF_ANY), EPERM, "update through a read-only fd");
	STEP(m_delete(fd, &k), EPERM, "delete through a read-only fd");
	k = 3; /* absent (hash) or out of use (array): no side effect where it is let through */
	STEP(m_lad(fd, &k, v, 0), EPERM, "lookup_and_delete through a read-only fd");
	k = 0;
	STEP(m_freeze(fd), EPERM, "freeze through a read-only fd");
	look(fd, t, vs, &k, 0, 0, 4, "through a read-only fd");
	STEP(m_next(fd, NULL, &k), 0, "get_next_key through a read-only fd");
	k = 0;
	STEP(fd = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, map_id(rw), BPF_F_WRONLY), W_FD,
	     "GET_FD_BY_ID open_flags WRONLY");
	STEP(m_lookup(fd, &k, v, 0), EPERM, "lookup through a write-only fd");
	STEP(m_next(fd, NULL, &k), EPERM, "get_next_key through a write-only fd");
	k = 3;
	STEP(m_lad(fd, &k, v, 0), EPERM, "lookup_and_delete through a write-only fd");
	k = 0;
	STEP(upd(fd, t, vs, 0, 6, BPF_ANY), 0, "update through a write-only fd");

	/* freezing */
	STEP(m_freeze(rw), 0, "freeze");
	STEP(upd(rw, t, vs, 0, 7, BPF_ANY), EPERM, "update frozen map");
	STEP(upd(rw, t, vs, 1, 7, BPF_NOEXIST), EPERM, "update frozen map, new key NOEXIST");
	STEP(m_delete(rw, &k), EPERM, "delete frozen map");
	STEP(m_lad(rw, &k, v, 0), EPERM, "lookup_and_delete frozen map");
	look(rw, t, vs, &k, 0, 0, 6, "frozen map");
	STEP(m_next(rw, NULL, &k), 0, "get_next_key frozen map");
	k = 0;
	STEP(m_freeze(rw), EPERM, "freeze twice (frozen: no write access left)");
	STEP(fd = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, map_id(rw), 0), W_FD,
	     "GET_FD_BY_ID of the frozen map");
	STEP(upd(fd, t, vs, 0, 8, BPF_ANY), EPERM, "update frozen map through a new fd");
	STEP(m_freeze(fd), EPERM, "freeze frozen map through a new fd");
	map_info_step(rw, t, 4, vs, 4, 0, "rw", "frozen map");
	free(v);
}

/* ---- scenarios: fds that are not what the command needs ---- */

static void sc_bad_fds(uint32_t unused)
{
	uint8_t v[64] = {0}, info[sizeof(struct bpf_map_info)];
	uint32_t k = 0, len;
	union bpf_attr a;
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC), fd;

	(void)unused;
	STEP(m_lookup(-1, &k, v, 0), EBADF, "lookup fd -1");
	STEP(m_lookup(1 << 30, &k, v, 0), EBADF, "lookup fd 1<<30");
	STEP(m_lookup(0x7fffffff, &k, v, 0), EBADF, "lookup fd INT_MAX");
	STEP(m_update(1 << 30, &k, v, 0), EBADF, "update fd 1<<30");
	STEP(m_lookup(devnull, &k, v, 0), EINVAL, "lookup /dev/null fd");
	STEP(m_update(devnull, &k, v, 0), EINVAL, "update /dev/null fd");
	STEP(m_delete(devnull, &k), EINVAL, "delete /dev/null fd");
	STEP(m_next(devnull, NULL, &k), EINVAL, "get_next_key /dev/null fd");
	STEP(m_lad(devnull, &k, v, 0), EINVAL, "lookup_and_delete /dev/null fd");
	STEP(m_freeze(devnull), EINVAL, "freeze /dev/null fd");
	STEP(m_freeze(-1), EBADF, "freeze fd -1");
	len = sizeof(info);
	STEP(get_info(devnull, info, &len), EINVAL, "info /dev/null fd");
	len = sizeof(info);
	STEP(get_info(-1, info, &len), EBADFD, "info fd -1 (the kernel says EBADFD)");
	len = sizeof(info);
	STEP(get_info(1 << 30, info, &len), EBADFD, "info fd 1<<30");

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)devnull;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "PROG_TEST_RUN /dev/null fd");
	a.test.prog_fd = (uint32_t)-1;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EBADF, "PROG_TEST_RUN fd -1");
	a.test.prog_fd = 1u << 30;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EBADF, "PROG_TEST_RUN fd 1<<30");

	STEP(fd = mk(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, "m"), W_FD, "create array");
	a.test.prog_fd = (uint32_t)fd;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "PROG_TEST_RUN of a map fd");
	look(fd, BPF_MAP_TYPE_ARRAY, 8, &k, 0, 0, SEED_ZERO, "the array before closing it");
	fd_close(fd);
	STEP(m_lookup(fd, &k, v, 0), EBADF, "lookup closed fd");
	STEP(m_update(fd, &k, v, 0), EBADF, "update closed fd");
	STEP(m_freeze(fd), EBADF, "freeze closed fd");
	len = sizeof(info);
	STEP(get_info(fd, info, &len), EBADFD, "info closed fd");
	a.test.prog_fd = (uint32_t)fd;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EBADF, "PROG_TEST_RUN closed fd");
	close(devnull);
}

/* ---- scenarios: the command itself, attr pointer and size ---- */

static void sc_commands(uint32_t unused)
{
	static uint8_t big[8192] __attribute__((aligned(8)));
	union bpf_attr a;
	uint32_t k = 0;
	uint64_t v = 0;
	int fd;

	(void)unused;
	memset(&a, 0, sizeof(a));
	STEP(sys(9999, &a), EINVAL, "command 9999");
	STEP(sys(-1, &a), EINVAL, "command -1");
	STEP(sys(BPF_PROG_BIND_MAP + 1000, &a), EINVAL, "command BPF_PROG_BIND_MAP+1000");
	STEP(sys_size(9999, NULL, sizeof(a)), EFAULT, "command 9999, NULL attr");
	STEP(sys_size(BPF_MAP_CREATE, NULL, sizeof(a)), EFAULT, "MAP_CREATE, NULL attr");
	STEP(sys_size(BPF_MAP_LOOKUP_ELEM, NULL, sizeof(a)), EFAULT, "MAP_LOOKUP_ELEM, NULL attr");
	STEP(sys_size(BPF_MAP_CREATE, NULL, 0), EINVAL, "MAP_CREATE, NULL attr, size 0");
	STEP(sys_size(9999, NULL, 0), EINVAL, "command 9999, NULL attr, size 0");
	memset(big, 0, sizeof(big));
	STEP(sys_size(9999, big, 8192), E2BIG, "command 9999, size 8192, zero tail");

	/* CHECK_ATTR: bytes after each command's last field */
	STEP(fd = mk(BPF_MAP_TYPE_HASH, 4, 8, 4, 0, "tail"), W_FD, "create hash");
	STEP(m_update(fd, &k, &v, 0), 0, "update key 0");
	{
		static const struct {
			int cmd;
			size_t off;
			const char *what;
		} tails[] = {
			{BPF_MAP_LOOKUP_ELEM, END(flags), "LOOKUP_ELEM, byte after flags"},
			{BPF_MAP_UPDATE_ELEM, END(flags), "UPDATE_ELEM, byte after flags"},
			{BPF_MAP_DELETE_ELEM, offsetof(union bpf_attr, flags),
			 "DELETE_ELEM, flags (after key)"},
			{BPF_MAP_GET_NEXT_KEY, offsetof(union bpf_attr, flags),
			 "GET_NEXT_KEY, flags (after next_key)"},
			{BPF_MAP_LOOKUP_AND_DELETE_ELEM, END(flags),
			 "LOOKUP_AND_DELETE_ELEM, byte after flags"},
			{BPF_MAP_FREEZE, offsetof(union bpf_attr, key),
			 "FREEZE, key (after map_fd)"},
			{BPF_MAP_GET_NEXT_ID, 100, "MAP_GET_NEXT_ID, byte 100"},
			{BPF_MAP_GET_FD_BY_ID, 100, "MAP_GET_FD_BY_ID, byte 100"},
			{BPF_OBJ_GET_INFO_BY_FD, END(info.info), "OBJ_GET_INFO_BY_FD, after info"},
			{BPF_PROG_TEST_RUN, END(test.batch_size),
			 "PROG_TEST_RUN, after batch_size"},
			{BPF_MAP_CREATE, sizeof(union bpf_attr) - 1, "MAP_CREATE, last byte"},
		};

		for (size_t i = 0; i < ARRAY_SIZE(tails); i++) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			if (tails[i].cmd <= BPF_MAP_GET_NEXT_KEY ||
			    tails[i].cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM) {
				a.key = ptr(&k);
				a.value = ptr(&v);
			}
			((uint8_t *)&a)[tails[i].off] = 1;
			STEP(sys(tails[i].cmd, &a), EINVAL, "%s", tails[i].what);
		}
	}
	/* a short attr: only the fields up to the size */
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr(&k);
	a.value = ptr(&v);
	a.flags = 1ull << 40; /* beyond size: not read */
	STEP(sys_size(BPF_MAP_LOOKUP_ELEM, &a, offsetof(union bpf_attr, flags)), 0,
	     "LOOKUP_ELEM with size offsetof(flags)");
}

/* ---- scenarios: ids and info ---- */

static void sc_ids(uint32_t t)
{
	static uint8_t buf[8192 + 64] __attribute__((aligned(8)));
	struct bpf_map_info info;
	uint32_t id, next, len;
	uint8_t same;
	int fd, fd2;
	long r;

	STEP(fd = mk(t, 4, 8, 4, BPF_F_RDONLY_PROG, "ids"), W_FD, "create");
	map_info_step(fd, t, 4, 8, 4, BPF_F_RDONLY_PROG, "ids", "the map");
	id = map_id(fd);
	STEP(id ? 0 : -1, 0, "info gives a nonzero id");
	r = next_id(BPF_MAP_GET_NEXT_ID, id - 1, &next);
	same = next == id;
	STEP_OUT(r, 0, &same, 1, "\1", "MAP_GET_NEXT_ID(id - 1) is id");
	STEP(next_id(BPF_MAP_GET_NEXT_ID, 0xffffffffu, &next), EINVAL,
	     "MAP_GET_NEXT_ID(0xffffffff)");
	STEP(next_id(BPF_MAP_GET_NEXT_ID, 0x7fffffffu, &next), EINVAL, "MAP_GET_NEXT_ID(INT_MAX)");
	STEP(next_id(BPF_MAP_GET_NEXT_ID, 0x7ffffffeu, &next), ENOENT,
	     "MAP_GET_NEXT_ID(INT_MAX - 1)");
	STEP(fd2 = (int)fd_by_id(BPF_MAP_GET_FD_BY_ID, id, 0), W_FD, "MAP_GET_FD_BY_ID(id)");
	same = map_id(fd2) == id;
	STEP_OUT(0, 0, &same, 1, "\1", "the new fd's map has the same id");
	map_info_step(fd2, t, 4, 8, 4, BPF_F_RDONLY_PROG, "ids", "through the new fd");
	STEP(fd_by_id(BPF_MAP_GET_FD_BY_ID, 0x7ffffff0u, 0), ENOENT, "MAP_GET_FD_BY_ID(unused id)");
	STEP(fd_by_id(BPF_MAP_GET_FD_BY_ID, 0, 0), ENOENT, "MAP_GET_FD_BY_ID(0)");
	STEP(fd_by_id(BPF_MAP_GET_FD_BY_ID, id, BPF_F_RDONLY | BPF_F_WRONLY), EINVAL,
	     "MAP_GET_FD_BY_ID open_flags RDONLY|WRONLY");
	STEP(fd_by_id(BPF_MAP_GET_FD_BY_ID, id, 1u << 10), EINVAL,
	     "MAP_GET_FD_BY_ID open_flags 1<<10");

	/* info_len smaller than the struct: that many bytes, the rest untouched */
	memset(buf, 0xa5, 64);
	len = 8;
	r = get_info(fd, buf, &len);
	memset(buf + 4, 0, 4); /* the id */
	{
		uint8_t out[64 + 4], exp[64 + 4];

		memcpy(out, buf, 64);
		memcpy(out + 64, &len, 4);
		memset(exp, 0xa5, 64);
		memcpy(exp, &t, 4);
		memset(exp + 4, 0, 4);
		len = 8;
		memcpy(exp + 64, &len, 4);
		STEP_OUT(r, 0, out, sizeof(out), exp, "info_len 8");
	}
	memset(buf, 0xa5, 64);
	len = 0;
	r = get_info(fd, buf, &len);
	{
		uint8_t out[16 + 4], exp[16 + 4];

		memcpy(out, buf, 16);
		memcpy(out + 16, &len, 4);
		memset(exp, 0xa5, 16);
		memset(exp + 16, 0, 4);
		STEP_OUT(r, 0, out, sizeof(out), exp, "info_len 0");
	}
	len = 0;
	STEP(get_info(fd, NULL, &len), 0, "info NULL, info_len 0");
	len = sizeof(info);
	STEP(get_info(fd, NULL, &len), EFAULT, "info NULL, info_len sizeof(info)");

	/* info_len bigger than the struct: the tail must be zero */
	memset(buf, 0, sizeof(buf));
	buf[200] = 1;
	len = 256;
	STEP(get_info(fd, buf, &len), E2BIG, "info_len 256, nonzero byte 200");
	buf[200] = 0;
	len = 256;
	r = get_info(fd, buf, &len);
	KNOWN_DIFF(0, "bpfhost's struct bpf_map_info is 6.1's (88 bytes); 6.18's is bigger, so "
		      "the info_len each writes back differs");
	STEP_OUT(r, 0, &len, 4, NULL, "info_len 256, zero tail: info_len written back");
	memcpy(&info, buf, sizeof(info));
	info.id = 0;
	STEP_OUT(r, 0, &info, sizeof(info), NULL, "info_len 256, zero tail: the fields");
	memset(buf, 0, sizeof(buf));
	len = 8192;
	STEP(get_info(fd, buf, &len), E2BIG, "info_len 8192, zero tail");

	/* the id goes with the last fd */
	fd_close(fd);
	fd_close(fd2);
	STEP(fd_by_id(BPF_MAP_GET_FD_BY_ID, id, 0), ENOENT, "MAP_GET_FD_BY_ID(id) after close");
}

/* ---- programs ---- */

#define ENOSPC_BUG                                                                                 \
	"bpf.c prog_load_cmd: without a log buffer (log_level 0) ulog_truncated() is true as "     \
	"soon as anything was logged (len_total > len == 0), so a refused load answers ENOSPC "    \
	"instead of EINVAL"

#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ADD64_REG(d, s) INSN(BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o) INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o) INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_MAP(d, src, imm) INSN(BPF_LD | BPF_DW | BPF_IMM, d, src, 0, imm), INSN(0, 0, 0, 0, 0)
#define LD_MAP_VALUE(d, fd, off)                                                                   \
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_VALUE, 0, fd), INSN(0, 0, 0, 0, off)

/* The context of the counter program. */
struct ctx {
	uint32_t key;
	uint32_t pad;
	uint64_t add; /* added to the key's value, or its first value */
	uint64_t out; /* the new value, or what map_update_elem returned */
};

/* ctx->key present: value += ctx->add, ctx->out = value, return 1; absent:
 * update(key, ctx->add, ANY), ctx->out = its result, return 2. */
static size_t counter_prog_src(struct bpf_insn *p, uint8_t src, int imm)
{
	const struct bpf_insn prog[] = {
		MOV64_REG(6, 1),
		LDX(BPF_W, 2, 6, 0),
		STX(BPF_W, 10, 2, -4),
		LD_MAP(1, src, imm),
		MOV64_REG(2, 10),
		ADD64_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 7),
		LDX(BPF_DW, 1, 0, 0),
		LDX(BPF_DW, 2, 6, 8),
		ADD64_REG(1, 2),
		STX(BPF_DW, 0, 1, 0),
		STX(BPF_DW, 6, 1, 16),
		MOV64_IMM(0, 1),
		EXIT(),
		/* 16: absent */
		LDX(BPF_DW, 1, 6, 8),
		STX(BPF_DW, 10, 1, -16),
		LD_MAP(1, src, imm),
		MOV64_REG(2, 10),
		ADD64_IMM(2, -4),
		MOV64_REG(3, 10),
		ADD64_IMM(3, -16),
		MOV64_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		STX(BPF_DW, 6, 0, 16),
		MOV64_IMM(0, 2),
		EXIT(),
	};

	memcpy(p, prog, sizeof(prog));
	return ARRAY_SIZE(prog);
}

static size_t counter_prog(struct bpf_insn *p, int map_fd)
{
	return counter_prog_src(p, BPF_PSEUDO_MAP_FD, map_fd);
}

static union bpf_attr load_attr(const struct bpf_insn *insns, size_t cnt, uint32_t flags,
				const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.insns = ptr(insns);
	a.insn_cnt = (uint32_t)cnt;
	a.license = ptr("GPL");
	a.prog_flags = flags;
	if (name)
		memcpy(a.prog_name, name, strnlen(name, sizeof(a.prog_name) - 1));
	return a;
}

static long load(const struct bpf_insn *insns, size_t cnt, uint32_t flags, const char *name)
{
	union bpf_attr a = load_attr(insns, cnt, flags, name);

	return sys(BPF_PROG_LOAD, &a);
}

static union bpf_attr run_attr(int fd, struct ctx *c, uint32_t size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.ctx_in = ptr(c);
	a.test.ctx_size_in = size;
	return a;
}

/* Runs the counter program on {key, add} and records retval and the context. */
static void run_counter(int fd, uint32_t key, uint64_t add, int want, uint32_t want_ret,
			uint64_t want_out, const char *what)
{
	struct ctx c = {.key = key, .add = add};
	union bpf_attr a = run_attr(fd, &c, sizeof(c));
	struct {
		uint32_t retval, pad;
		struct ctx c;
	} got, exp;
	long r = sys(BPF_PROG_TEST_RUN, &a);

	memset(&got, 0, sizeof(got));
	got.retval = a.test.retval;
	got.c = c;
	memset(&exp, 0, sizeof(exp));
	exp.retval = want_ret;
	exp.c.key = key;
	exp.c.add = add;
	exp.c.out = want_out;
	STEP_OUT(r, want, &got, sizeof(got), &exp, "run %s", what);
}

static void sc_prog(uint32_t unused)
{
	struct bpf_insn insns[64];
	struct ctx c = {.key = 7};
	union bpf_attr a;
	uint32_t k, keys[] = {7, 9}, id, next;
	uint8_t same;
	size_t n;
	int map, prog, fd;
	long r;

	(void)unused;
	STEP(map = mk(BPF_MAP_TYPE_HASH, 4, 8, 2, 0, "counts"), W_FD, "create hash");
	n = counter_prog(insns, map);
	STEP(load(insns, n, 0, "counter"), EINVAL, "load SYSCALL program, not sleepable");
	STEP(prog = (int)load(insns, n, BPF_F_SLEEPABLE, "counter"), W_FD, "load SYSCALL program");
	run_counter(prog, 7, 5, 0, 2, 0, "key 7 absent: inserted with 5");
	run_counter(prog, 7, 10, 0, 1, 15, "key 7 present: 5 + 10");
	run_counter(prog, 9, 1, 0, 2, 0, "key 9 absent: inserted with 1");
	run_counter(prog, 11, 1, 0, 2, (uint64_t)-E2BIG, "key 11: map full, update gives -E2BIG");
	run_counter(prog, 9, 100, 0, 1, 101, "key 9 present: 1 + 100");
	k = 7;
	{
		uint64_t v = 0, want = 15;

		STEP_OUT(m_lookup(map, &k, &v, 0), 0, &v, 8, &want, "key 7 is 15");
		k = 9;
		want = 101;
		STEP_OUT(m_lookup(map, &k, &v, 0), 0, &v, 8, &want, "key 9 is 101");
		k = 11;
		STEP(m_lookup(map, &k, &v, 0), ENOENT, "key 11 absent");
	}
	walk(map, 4, true, keys, 2, "after the runs");

	/* test-run attributes a SYSCALL program refuses */
	c = (struct ctx){.key = 7}; /* add 0: no change even where it runs */
	a = run_attr(prog, &c, sizeof(c));
	a.test.repeat = 1;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with repeat 1");
	a = run_attr(prog, &c, sizeof(c));
	a.test.data_in = ptr(&c);
	a.test.data_size_in = 8;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with data_in");
	a = run_attr(prog, &c, sizeof(c));
	a.test.ctx_out = ptr(&c);
	a.test.ctx_size_out = sizeof(c);
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with ctx_out");
	a = run_attr(prog, &c, sizeof(c));
	a.test.flags = 1;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with flags 1");
	a = run_attr(prog, &c, sizeof(c));
	a.test.cpu = 1;
	STEP(sys(BPF_PROG_TEST_RUN, &a), 0, "run with cpu 1 (the kernel ignores it here)");
	a = run_attr(prog, &c, sizeof(c));
	a.test.batch_size = 1;
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with batch_size 1");
	a = run_attr(prog, NULL, sizeof(c));
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with ctx_in NULL, ctx_size_in 24");
	a = run_attr(prog, &c, 0);
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with ctx_in, ctx_size_in 0");
	{
		static uint8_t huge[65536];

		a = run_attr(prog, (struct ctx *)(void *)huge, sizeof(huge));
		STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with ctx_size_in 65536");
	}
	a = run_attr(prog, &c, 16);
	KNOWN_DIFF(EFAULT, "the kernel's verifier knows the program reads ctx up to byte 24 "
			   "(max_ctx_offset) and refuses a smaller ctx up front; bpfhost has no "
			   "verifier and faults at the access in the checked interpreter");
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run with ctx_size_in 16 < 24 the program uses");
	a = run_attr(prog, NULL, 0);
	KNOWN_DIFF(EFAULT, "as above: no ctx at all");
	STEP(sys(BPF_PROG_TEST_RUN, &a), EINVAL, "run without ctx");
	k = 7;
	{
		uint64_t v = 0, want = 15;

		STEP_OUT(m_lookup(map, &k, &v, 0), 0, &v, 8, &want,
			 "key 7 still 15 after the refused runs");
	}

	/* the program as an object */
	{
		struct bpf_prog_info pi;
		uint32_t ids[4] = {0}, len = sizeof(pi);
		struct {
			uint32_t type, nr_map_ids, gpl, map_id_ok, len;
			char name[16];
		} got, exp;

		memset(&pi, 0, sizeof(pi));
		pi.nr_map_ids = 4;
		pi.map_ids = ptr(ids);
		r = get_info(prog, &pi, &len);
		memset(&got, 0, sizeof(got));
		got.type = pi.type;
		got.nr_map_ids = pi.nr_map_ids;
		got.gpl = pi.gpl_compatible;
		got.map_id_ok = ids[0] == map_id(map);
		got.len = len;
		memcpy(got.name, pi.name, sizeof(got.name));
		memset(&exp, 0, sizeof(exp));
		exp.type = BPF_PROG_TYPE_SYSCALL;
		exp.nr_map_ids = 1;
		exp.gpl = 1;
		exp.map_id_ok = 1;
		exp.len = sizeof(pi);
		strcpy(exp.name, "counter");
		STEP_OUT(r, 0, &got, sizeof(got), &exp, "prog info: type, maps, license, name");
		id = pi.id;
	}
	r = next_id(BPF_PROG_GET_NEXT_ID, id - 1, &next);
	same = next == id;
	STEP_OUT(r, 0, &same, 1, "\1", "PROG_GET_NEXT_ID(id - 1) is id");
	STEP(fd = (int)fd_by_id(BPF_PROG_GET_FD_BY_ID, id, 0), W_FD, "PROG_GET_FD_BY_ID(id)");
	run_counter(fd, 9, 1, 0, 1, 102, "through the new fd: key 9, 101 + 1");
	STEP(fd_by_id(BPF_PROG_GET_FD_BY_ID, id, BPF_F_RDONLY), EINVAL,
	     "PROG_GET_FD_BY_ID open_flags RDONLY");
	STEP(fd_by_id(BPF_PROG_GET_FD_BY_ID, 0x7ffffff0u, 0), ENOENT,
	     "PROG_GET_FD_BY_ID(unused id)");
	k = 7;
	{
		uint64_t v;

		STEP(m_lookup(prog, &k, &v, 0), EINVAL, "lookup with a prog fd");
		STEP(m_freeze(prog), EINVAL, "freeze a prog fd");
	}

	/* the map outlives its fd while the program holds it */
	fd_close(map);
	run_counter(prog, 7, 1, 0, 1, 16, "after the map's fd is closed: key 7, 15 + 1");
	fd_close(fd);
	fd_close(prog);
}

/* PROG_LOAD attributes and programs that do not load. */
static void sc_prog_invalid(uint32_t unused)
{
	static char log[65536];
	const struct bpf_insn ret0[] = {MOV64_IMM(0, 0), EXIT()};
	struct bpf_insn insns[64];
	union bpf_attr a;
	int map, devnull = open("/dev/null", O_RDONLY | O_CLOEXEC), prog;
	size_t n;

	(void)unused;
	STEP(load(ret0, 0, BPF_F_SLEEPABLE, "p"), E2BIG, "insn_cnt 0");
	STEP(load(NULL, 2, BPF_F_SLEEPABLE, "p"), EFAULT, "insns NULL");
	STEP(prog = (int)load(ret0, 2, BPF_F_SLEEPABLE, "p"), W_FD, "r0 = 0; exit");
	a = load_attr(ret0, 2, BPF_F_SLEEPABLE, "p");
	a.prog_type = 9999;
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "prog_type 9999");
	STEP(load(ret0, 2, BPF_F_SLEEPABLE | (1u << 31), "p"), EINVAL, "prog_flags bit 31");
	STEP(load(ret0, 2, BPF_F_SLEEPABLE, "a-b"), EINVAL, "prog_name \"a-b\"");
	a = load_attr(ret0, 2, BPF_F_SLEEPABLE, NULL);
	memcpy(a.prog_name, "abcdefghijklmnop", 16);
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "prog_name of 16 bytes, no NUL");
	a = load_attr(ret0, 2, BPF_F_SLEEPABLE, "p");
	a.license = 0;
	STEP(sys(BPF_PROG_LOAD, &a), EFAULT, "license NULL");

	/* helpers and maps */
	{
		const struct bpf_insn bad_call[] = {CALL(99999), MOV64_IMM(0, 0), EXIT()};

		STEP(load(bad_call, 3, BPF_F_SLEEPABLE, "p"), EINVAL, "call helper 99999");
	}
	STEP(map = mk(BPF_MAP_TYPE_HASH, 4, 8, 2, BPF_F_RDONLY_PROG, "rdprog"), W_FD,
	     "create hash RDONLY_PROG");
	n = counter_prog(insns, -1);
	STEP(load(insns, n, BPF_F_SLEEPABLE, "p"), EBADF, "LD_IMM64 map fd -1");
	n = counter_prog(insns, 1 << 20);
	STEP(load(insns, n, BPF_F_SLEEPABLE, "p"), EBADF, "LD_IMM64 map fd 1<<20 (not open)");
	n = counter_prog(insns, devnull);
	STEP(load(insns, n, BPF_F_SLEEPABLE, "p"), EINVAL, "LD_IMM64 map fd of /dev/null");
	n = counter_prog(insns, prog);
	STEP(load(insns, n, BPF_F_SLEEPABLE, "p"), EINVAL, "LD_IMM64 map fd of a program");
	n = counter_prog(insns, map);
	KNOWN_DIFF(W_FD, "the kernel's verifier refuses map_update_elem on a BPF_F_RDONLY_PROG "
			 "map (write into map forbidden); bpfhost has no verifier yet");
	STEP(load(insns, n, BPF_F_SLEEPABLE, "p"), EACCES, "update of a RDONLY_PROG map");
	{
		const struct bpf_insn uninit[] = {MOV64_REG(0, 2), EXIT()};
		const struct bpf_insn no_exit[] = {MOV64_IMM(0, 0)};
		const struct bpf_insn jump_out[] = {JA(5), MOV64_IMM(0, 0), EXIT()};
		const struct bpf_insn no_r0[] = {EXIT()};

		KNOWN_DIFF(W_FD, "the kernel's verifier refuses reading an uninitialised "
				 "register (R2 !read_ok); bpfhost has no verifier yet");
		STEP(load(uninit, 2, BPF_F_SLEEPABLE, "p"), EACCES, "r0 = r2 (uninitialised)");
		KNOWN_DIFF(W_FD, "the kernel's verifier refuses R0 unset at exit; bpfhost has no "
				 "verifier yet");
		STEP(load(no_r0, 1, BPF_F_SLEEPABLE, "p"), EACCES, "exit with r0 unset");
		STEP(load(no_exit, 1, BPF_F_SLEEPABLE, "p"), EINVAL, "no exit");
		STEP(load(jump_out, 3, BPF_F_SLEEPABLE, "p"), EINVAL, "jump out of range");
	}

	/* logs */
	a = load_attr(ret0, 2, BPF_F_SLEEPABLE, "p");
	a.log_level = 1;
	a.log_buf = ptr(log);
	a.log_size = 0;
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "log_level 1, log_buf, log_size 0");
	a.log_buf = 0;
	STEP(sys(BPF_PROG_LOAD, &a), W_FD, "log_level 1, log_buf NULL, log_size 0");
	a.log_buf = ptr(log);
	a.log_size = sizeof(log);
	a.log_level = 0;
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "log_level 0 with a log buffer");
	a.log_level = 1;
	STEP(sys(BPF_PROG_LOAD, &a), W_FD, "log_level 1, 64 KiB buffer");
	a.log_level = 1 | 8 /* BPF_LOG_LEVEL1 | BPF_LOG_FIXED */;
	STEP(sys(BPF_PROG_LOAD, &a), W_FD, "log_level 1|BPF_LOG_FIXED");
	a.log_level = 16;
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "log_level 16");
	a.log_level = 1;
	a.log_size = 0xffffffffu;
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "log_size 0xffffffff");
	close(devnull);
}

/* Programs on per-CPU maps: the program writes the slot of the CPU it runs on,
 * so the test pins itself to CPU 0 (the kernel runs a SYSCALL program on the
 * calling CPU) and compares every CPU's slot. */
static void sc_prog_percpu(uint32_t t)
{
	struct bpf_insn insns[64];
	cpu_set_t old, cpu0;
	bool pinned;
	size_t n, len = usize(t, 8);
	uint64_t *vals = calloc(ncpus + 2, 8), *exp = calloc(ncpus + 2, 8);
	uint32_t k;
	int map, prog;

	if (!vals || !exp)
		abort();
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	pinned = !sched_getaffinity(0, sizeof(old), &old) &&
		 !sched_setaffinity(0, sizeof(cpu0), &cpu0);
	STEP(map = mk(t, 4, 8, 4, 0, "pcpu"), W_FD, "create");
	n = counter_prog(insns, map);
	STEP(prog = (int)load(insns, n, BPF_F_SLEEPABLE, "pcpu"), W_FD, "load counter program");
	if (t == BPF_MAP_TYPE_PERCPU_HASH) {
		run_counter(prog, 1, 5, 0, 2, 0, "key 1 absent: inserted with 5 on this CPU");
		run_counter(prog, 1, 6, 0, 1, 11, "key 1 present: 5 + 6");
	} else {
		run_counter(prog, 1, 5, 0, 1, 5, "index 1: 0 + 5");
		run_counter(prog, 1, 6, 0, 1, 11, "index 1: 5 + 6");
		run_counter(prog, 7, 1, 0, 2, (uint64_t)-E2BIG,
			    "index 7: out of range, update gives -E2BIG");
	}
	k = 1;
	memset(vals, 0xa5, (ncpus + 2) * 8);
	memset(exp, 0xa5, (ncpus + 2) * 8);
	memset(exp, 0, len);
	exp[0] = 11;
	STEP_OUT(m_lookup(map, &k, vals, 0), 0, vals, pinned ? len + 16 : 0, pinned ? exp : NULL,
		 "lookup key 1: CPU 0's slot 11, the others 0");
	for (unsigned c = 0; c < ncpus; c++)
		vals[c] = 100 * (c + 1);
	STEP(m_update(map, &k, vals, BPF_ANY), 0, "update key 1 from user space: 100, 200, ...");
	run_counter(prog, 1, 1, 0, 1, pinned ? 101 : 0, "key 1: CPU 0's 100 + 1");
	for (unsigned c = 0; c < ncpus; c++)
		exp[c] = 100 * (c + 1);
	exp[0] = 101;
	memset(vals, 0xa5, (ncpus + 2) * 8);
	STEP_OUT(m_lookup(map, &k, vals, 0), 0, vals, pinned ? len + 16 : 0, pinned ? exp : NULL,
		 "lookup key 1: 101, 200, ...");
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	free(vals);
	free(exp);
}

/* Direct access to an array's value (BPF_PSEUDO_MAP_VALUE), as global data. */
static void sc_prog_map_value(uint32_t unused)
{
	const int sl = BPF_F_SLEEPABLE;
	int arr, arr2, hash, pca, prog;
	uint64_t ctx, val[2], exp[2];
	uint32_t k = 0;
	union bpf_attr a;

	(void)unused;
	STEP(arr = mk(BPF_MAP_TYPE_ARRAY, 4, 16, 1, 0, "global"), W_FD, "create array 16 x 1");
	STEP(arr2 = mk(BPF_MAP_TYPE_ARRAY, 4, 16, 2, 0, "global2"), W_FD, "create array 16 x 2");
	STEP(hash = mk(BPF_MAP_TYPE_HASH, 4, 16, 1, 0, "h"), W_FD, "create hash");
	STEP(pca = mk(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 1, 0, "p"), W_FD, "create percpu array");
	{
		/* r0 = low half of value[8..16]; value[8..16] = *(u64 *)ctx */
		struct bpf_insn p[] = {
			MOV64_REG(6, 1),      LD_MAP_VALUE(2, arr, 8), LDX(BPF_W, 0, 2, 0),
			LDX(BPF_DW, 3, 6, 0), STX(BPF_DW, 2, 3, 0),    EXIT(),
		};

		STEP(prog = (int)load(p, ARRAY_SIZE(p), sl, "gv"), W_FD, "load, value offset 8");
		ctx = 0x1122334455667788ull;
		a = run_attr(prog, (struct ctx *)(void *)&ctx, 8);
		STEP_OUT(sys(BPF_PROG_TEST_RUN, &a), 0, &a.test.retval, 4, "\0\0\0\0",
			 "run: stores 0x1122334455667788, returns the old 0");
		ctx = 5;
		a = run_attr(prog, (struct ctx *)(void *)&ctx, 8);
		STEP_OUT(sys(BPF_PROG_TEST_RUN, &a), 0, &a.test.retval, 4, "\x88\x77\x66\x55",
			 "run: stores 5, returns the old low half");
		exp[0] = 0;
		exp[1] = 5;
		STEP_OUT(m_lookup(arr, &k, val, 0), 0, val, sizeof(val), exp,
			 "lookup index 0: the program's store");
		p[2].imm = arr;
		p[3].imm = 16;
		STEP(load(p, ARRAY_SIZE(p), sl, "gv"), EINVAL, "value offset 16 = value_size");
		p[2].imm = arr2;
		p[3].imm = 8;
		STEP(load(p, ARRAY_SIZE(p), sl, "gv"), EINVAL, "array of 2 entries");
		p[2].imm = hash;
		STEP(load(p, ARRAY_SIZE(p), sl, "gv"), EINVAL, "hash map");
		p[2].imm = pca;
		STEP(load(p, ARRAY_SIZE(p), sl, "gv"), EINVAL, "per-CPU array");
	}
}

/* Maps by index into fd_array (BPF_PSEUDO_MAP_IDX). */
static void sc_prog_fd_array(uint32_t unused)
{
	struct bpf_insn insns[64];
	int fds[3], map, devnull = open("/dev/null", O_RDONLY | O_CLOEXEC), prog;
	uint64_t v = 0, want = 4;
	uint32_t k = 3;
	union bpf_attr a;
	size_t n;

	(void)unused;
	STEP(map = mk(BPF_MAP_TYPE_HASH, 4, 8, 2, 0, "fdarr"), W_FD, "create hash");
	fds[0] = devnull;
	fds[1] = map;
	fds[2] = -1;
	n = counter_prog_src(insns, BPF_PSEUDO_MAP_IDX, 1);
	a = load_attr(insns, n, BPF_F_SLEEPABLE, "fdarr");
	a.fd_array = ptr(fds);
	STEP(prog = (int)sys(BPF_PROG_LOAD, &a), W_FD, "load, map at fd_array[1]");
	run_counter(prog, 3, 4, 0, 2, 0, "key 3 absent: inserted with 4");
	STEP_OUT(m_lookup(map, &k, &v, 0), 0, &v, 8, &want, "key 3 is 4");
	a.fd_array = 0;
	STEP(sys(BPF_PROG_LOAD, &a), EPROTO, "map index without fd_array");
	n = counter_prog_src(insns, BPF_PSEUDO_MAP_IDX, 0);
	a = load_attr(insns, n, BPF_F_SLEEPABLE, "fdarr");
	a.fd_array = ptr(fds);
	STEP(sys(BPF_PROG_LOAD, &a), EINVAL, "fd_array[0] is /dev/null");
	n = counter_prog_src(insns, BPF_PSEUDO_MAP_IDX, 2);
	a = load_attr(insns, n, BPF_F_SLEEPABLE, "fdarr");
	a.fd_array = ptr(fds);
	STEP(sys(BPF_PROG_LOAD, &a), EBADF, "fd_array[2] is -1");
	close(devnull);
}

/* ---- main ---- */

static unsigned possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256], *p;
	unsigned count = 0;

	if (!f)
		return 1;
	if (fgets(buf, sizeof(buf), f)) {
		/* "0-3,5": count every CPU in every range, as libbpf_num_possible_cpus */
		for (p = buf; *p && *p != '\n';) {
			char *end;
			unsigned long lo = strtoul(p, &end, 10), hi = lo;

			if (end == p)
				break;
			p = end;
			if (*p == '-') {
				hi = strtoul(p + 1, &end, 10);
				p = end;
			}
			count += (unsigned)(hi - lo + 1);
			if (*p == ',')
				p++;
		}
	}
	fclose(f);
	return count ? count : 1;
}

/* Can this process use bpf()? A small array map tells. */
static bool kernel_probe(void)
{
	union bpf_attr a;
	const char *env = getenv("BPFHOST_TEST_NO_KERNEL");
	long fd;

	if (env && *env && strcmp(env, "0")) {
		printf("NOTICE: kernel differential skipped: BPFHOST_TEST_NO_KERNEL is set; "
		       "checking bpfhost against the test's model of the kernel only\n");
		return false;
	}
	a = create_attr(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, NULL);
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0) {
		int e = errno;

		printf("NOTICE: kernel differential skipped: bpf(BPF_MAP_CREATE) says %s (%s); "
		       "checking bpfhost against the test's model of the kernel only\n",
		       errname(e), strerror(e));
		return false;
	}
	close((int)fd);
	return true;
}

int main(void)
{
	static const uint32_t types[] = {BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY,
					 BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY};
	char name[64];

	/* fds 0-2 open, so that no fd under test is 0 */
	for (;;) {
		int fd = open("/dev/null", O_RDWR);

		if (fd < 0)
			break;
		if (fd > 2) {
			close(fd);
			break;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = possible_cpus();
	kernel_ok = kernel_probe();

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		snprintf(name, sizeof(name), "create/%s", tname(types[i]));
		run(name, sc_create, types[i]);
		snprintf(name, sizeof(name), "elements/%s", tname(types[i]));
		run(name, is_array(types[i]) ? sc_array_elems : sc_hash_elems, types[i]);
		snprintf(name, sizeof(name), "access/%s", tname(types[i]));
		run(name, sc_access, types[i]);
		snprintf(name, sizeof(name), "ids/%s", tname(types[i]));
		run(name, sc_ids, types[i]);
	}
	run("padding/percpu_hash", sc_percpu_padding, BPF_MAP_TYPE_PERCPU_HASH);
	run("padding/percpu_array", sc_percpu_padding, BPF_MAP_TYPE_PERCPU_ARRAY);
	run("odd_sizes/hash", sc_odd_sizes, BPF_MAP_TYPE_HASH);
	run("bad_fds", sc_bad_fds, 0);
	run("commands", sc_commands, 0);
	run("prog/counter", sc_prog, 0);
	run("prog/invalid", sc_prog_invalid, 0);
	run("prog/percpu_hash", sc_prog_percpu, BPF_MAP_TYPE_PERCPU_HASH);
	run("prog/percpu_array", sc_prog_percpu, BPF_MAP_TYPE_PERCPU_ARRAY);
	run("prog/map_value", sc_prog_map_value, 0);
	run("prog/fd_array", sc_prog_fd_array, 0);

	printf("test_bpf_diff: %d scenarios (%d compared with the kernel), %d steps (%d compared), "
	       "%d known bpfhost bugs shown, %d known bugs no longer showing, %d legitimate "
	       "differences, %u possible CPUs\n",
	       n_scenarios, n_scenarios_kernel, n_steps, n_steps_kernel, n_bugs, n_bugs_gone,
	       n_diffs, ncpus);
	trace_reset(&traces[0]);
	trace_reset(&traces[1]);
	free(traces[0].v);
	free(traces[1].v);
	return TEST_DONE();
}
