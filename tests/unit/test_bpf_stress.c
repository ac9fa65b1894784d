/* Concurrency stress of bpfhost's map commands, through bpfhost_sys_bpf only.
 *
 * NWORKERS threads share one HASH and one ARRAY map. Each owns a disjoint
 * range of keys (and one counter key) and keeps a model of them, so every
 * result can be checked exactly whatever the interleaving: an update with
 * NOEXIST on a key it holds is EEXIST, a lookup gives the value it wrote, the
 * counter grows by one per read-modify-write. A reader thread looks at
 * everyone's keys (values always name their key: key << 32 | version) and
 * walks the hash while it changes; a churn thread creates, uses and closes
 * small maps to move the fd table and the id list under the others' feet.
 * The hash holds exactly as many entries as the workers can use at once, so
 * an element lost by the free list shows up as E2BIG.
 *
 * Work is a fixed number of operations (nothing is timed); afterwards the
 * maps must equal the models exactly, and the element count of the hash, by
 * a GET_NEXT_KEY walk, must be exact. The only clock is a watchdog far beyond
 * any run (it takes ~0.2 s, ~1 s under ASan): a corrupted bucket list makes
 * bpfhost loop forever, and a hang should fail the test, not stall the suite.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../include/bpfhost.h"
#include "test_util.h"

#define NWORKERS 4
#define KEYS 96			      /* keys per worker, plus one counter key each */
#define OPS 150000		      /* operations per worker */
#define READER_OPS 100000	      /* lookups by the reader */
#define WALK_EVERY 1000		      /* the reader walks the hash every this many lookups */
#define CHURN_ROUNDS 40		      /* create/use/close rounds of the churn thread */
#define CHURN_MAPS 6		      /* maps per round */
#define TOTAL (NWORKERS * (KEYS + 1)) /* entries of both maps */
#define COUNTER_KEY(w) ((uint32_t)(NWORKERS * KEYS + (w)))
#define WATCHDOG_SECONDS 120
#define STR(x) #x
#define XSTR(x) STR(x)

static int hash_fd, array_fd;

/* ---- failures, counted per thread (CHECK is not thread-safe) ---- */

struct tally {
	unsigned failures;
	char first[240];
};

static void fail(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->failures++) {
		va_start(ap, fmt);
		vsnprintf(t->first, sizeof(t->first), fmt, ap);
		va_end(ap);
	}
}

/* ---- bpf() wrappers: return 0 or the errno ---- */

static int elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return bpfhost_sys_bpf(cmd, &a, sizeof(a)) < 0 ? errno : 0;
}

static int lookup(int fd, uint32_t key, uint64_t *value)
{
	return elem(BPF_MAP_LOOKUP_ELEM, fd, &key, value, 0);
}

static int update(int fd, uint32_t key, uint64_t value, uint64_t flags)
{
	return elem(BPF_MAP_UPDATE_ELEM, fd, &key, &value, flags);
}

static int delete_key(int fd, uint32_t key)
{
	return elem(BPF_MAP_DELETE_ELEM, fd, &key, NULL, 0);
}

static int lookup_and_delete(int fd, uint32_t key, uint64_t *value)
{
	return elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, value, 0);
}

static int next_key(int fd, const uint32_t *key, uint32_t *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.next_key = (uint64_t)(uintptr_t)next;
	return bpfhost_sys_bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a)) < 0 ? errno : 0;
}

static int create(uint32_t type, uint32_t max_entries, const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = max_entries;
	snprintf(a.map_name, sizeof(a.map_name), "%s", name);
	return (int)bpfhost_sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));
}

/* Tells bpfhost first, then closes: the other order lets another thread get
 * the same fd number from bpfhost in between, and the late notice would then
 * drop the new fd's object. */
static void close_fd(int fd)
{
	bpfhost_fd_closed(fd);
	close(fd);
}

static uint64_t rng_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static const char *ename(int e)
{
	return e ? strerror(e) : "success";
}

/* ---- workers ---- */

struct worker {
	unsigned id;
	uint64_t rng;
	uint32_t version;
	bool present[KEYS];
	uint64_t hval[KEYS]; /* hash model */
	uint64_t aval[KEYS]; /* array model (0: never written) */
	uint32_t counter;    /* read-modify-writes of the counter key */
	unsigned long ops[10];
	struct tally t;
};

static uint64_t fresh(struct worker *w, uint32_t key)
{
	return (uint64_t)key << 32 | ++w->version;
}

static void check_lookup(struct worker *w, int fd, const char *map, uint32_t key, bool present,
			 uint64_t want)
{
	uint64_t v = 0;
	int e = lookup(fd, key, &v);

	if (present && (e || v != want))
		fail(&w->t, "worker %u: %s lookup key %u: %s, value %#llx, expected %#llx", w->id,
		     map, key, ename(e), (unsigned long long)v, (unsigned long long)want);
	else if (!present && e != ENOENT)
		fail(&w->t, "worker %u: %s lookup absent key %u: %s, expected ENOENT", w->id, map,
		     key, ename(e));
}

static void worker_op(struct worker *w)
{
	unsigned op = (unsigned)(rng_next(&w->rng) % 10), i = (unsigned)(rng_next(&w->rng) % KEYS);
	uint32_t key = w->id * KEYS + i, ck = COUNTER_KEY(w->id);
	uint64_t v = 0, nv;
	int e;

	w->ops[op]++;
	switch (op) {
	case 0:
	case 1: /* update ANY */
		nv = fresh(w, key);
		e = update(hash_fd, key, nv, BPF_ANY);
		if (e)
			fail(&w->t, "worker %u: update ANY key %u: %s", w->id, key, ename(e));
		w->present[i] = true;
		w->hval[i] = nv;
		break;
	case 2: /* update NOEXIST */
		nv = fresh(w, key);
		e = update(hash_fd, key, nv, BPF_NOEXIST);
		if (e != (w->present[i] ? EEXIST : 0))
			fail(&w->t, "worker %u: update NOEXIST key %u (%s): %s", w->id, key,
			     w->present[i] ? "present" : "absent", ename(e));
		if (!w->present[i]) {
			w->present[i] = true;
			w->hval[i] = nv;
		}
		break;
	case 3: /* update EXIST */
		nv = fresh(w, key);
		e = update(hash_fd, key, nv, BPF_EXIST);
		if (e != (w->present[i] ? 0 : ENOENT))
			fail(&w->t, "worker %u: update EXIST key %u (%s): %s", w->id, key,
			     w->present[i] ? "present" : "absent", ename(e));
		if (w->present[i])
			w->hval[i] = nv;
		break;
	case 4: /* delete */
		e = delete_key(hash_fd, key);
		if (e != (w->present[i] ? 0 : ENOENT))
			fail(&w->t, "worker %u: delete key %u (%s): %s", w->id, key,
			     w->present[i] ? "present" : "absent", ename(e));
		w->present[i] = false;
		break;
	case 5:
	case 6: /* lookup */
		check_lookup(w, hash_fd, "hash", key, w->present[i], w->hval[i]);
		break;
	case 7: /* lookup and delete */
		e = lookup_and_delete(hash_fd, key, &v);
		if (w->present[i] && (e || v != w->hval[i]))
			fail(&w->t,
			     "worker %u: lookup_and_delete key %u: %s, value %#llx, "
			     "expected %#llx",
			     w->id, key, ename(e), (unsigned long long)v,
			     (unsigned long long)w->hval[i]);
		else if (!w->present[i] && e != ENOENT)
			fail(&w->t, "worker %u: lookup_and_delete absent key %u: %s", w->id, key,
			     ename(e));
		w->present[i] = false;
		break;
	case 8: /* the array: NOEXIST is always EEXIST, ANY and EXIST store */
		nv = fresh(w, key);
		e = update(array_fd, key, nv, BPF_NOEXIST);
		if (e != EEXIST)
			fail(&w->t, "worker %u: array update NOEXIST index %u: %s", w->id, key,
			     ename(e));
		e = update(array_fd, key, nv, (w->version & 1) ? BPF_ANY : BPF_EXIST);
		if (e)
			fail(&w->t, "worker %u: array update index %u: %s", w->id, key, ename(e));
		w->aval[i] = nv;
		check_lookup(w, array_fd, "array", key, true, nv);
		break;
	default: /* the counters: read, add one, write back */
		e = lookup(hash_fd, ck, &v);
		if (e || v != ((uint64_t)ck << 32 | w->counter))
			fail(&w->t, "worker %u: counter key %u: %s, value %#llx, expected %#llx",
			     w->id, ck, ename(e), (unsigned long long)v,
			     (unsigned long long)((uint64_t)ck << 32 | w->counter));
		e = update(hash_fd, ck, v + 1, BPF_EXIST);
		if (e)
			fail(&w->t, "worker %u: counter key %u update: %s", w->id, ck, ename(e));
		e = lookup(array_fd, ck, &v);
		if (e || v != ((uint64_t)ck << 32 | w->counter))
			fail(&w->t, "worker %u: array counter %u: %s, value %#llx", w->id, ck,
			     ename(e), (unsigned long long)v);
		e = update(array_fd, ck, v + 1, BPF_ANY);
		if (e)
			fail(&w->t, "worker %u: array counter %u update: %s", w->id, ck, ename(e));
		w->counter++;
		break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (unsigned n = 0; n < OPS; n++)
		worker_op(w);
	return NULL;
}

/* ---- the reader: others' keys, the walk ---- */

struct reader {
	uint64_t rng;
	unsigned long hits, misses, walks, walk_keys;
	struct tally t;
};

static void reader_walk(struct reader *r)
{
	uint32_t key, next;
	int e = next_key(hash_fd, NULL, &next);

	r->walks++;
	/* bounded: a key deleted under the walk restarts it from the first bucket */
	for (unsigned steps = 0; !e && steps < 4 * TOTAL; steps++) {
		if (next >= TOTAL) {
			fail(&r->t, "reader: the walk gave key %u, not one ever stored", next);
			return;
		}
		r->walk_keys++;
		key = next;
		e = next_key(hash_fd, &key, &next);
	}
	if (e && e != ENOENT)
		fail(&r->t, "reader: get_next_key: %s", ename(e));
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	for (unsigned n = 0; n < READER_OPS; n++) {
		uint32_t key = (uint32_t)(rng_next(&r->rng) % TOTAL);
		uint64_t v = 0;
		int e = lookup(hash_fd, key, &v);

		if (!e && v >> 32 != key)
			fail(&r->t, "reader: hash key %u holds %#llx, another key's value", key,
			     (unsigned long long)v);
		else if (e && (e != ENOENT || key >= COUNTER_KEY(0)))
			fail(&r->t, "reader: hash lookup key %u: %s", key, ename(e));
		if (e)
			r->misses++;
		else
			r->hits++;
		e = lookup(array_fd, key, &v);
		if (e || (v && v >> 32 != key))
			fail(&r->t, "reader: array index %u: %s, value %#llx", key, ename(e),
			     (unsigned long long)v);
		if (n % WALK_EVERY == 0)
			reader_walk(r);
	}
	return NULL;
}

/* ---- the churn thread: maps come and go ---- */

struct churn {
	unsigned burst; /* maps created at once in the first round (fd table growth) */
	uint32_t ids[CHURN_ROUNDS * CHURN_MAPS + 512];
	unsigned n_ids;
	struct tally t;
};

static uint32_t info_of(int fd, struct bpf_map_info *info)
{
	union bpf_attr a;

	memset(info, 0, sizeof(*info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return bpfhost_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) < 0 ? 0 : info->id;
}

static void churn_one(struct churn *c, int fd, unsigned round, unsigned i)
{
	struct bpf_map_info info;
	uint32_t key = round * 100 + i;
	uint64_t v = 0;
	union bpf_attr a;
	int e, fd2;

	e = update(fd, key, (uint64_t)key << 32, BPF_NOEXIST);
	if (e)
		fail(&c->t, "churn: update in a new map: %s", ename(e));
	if (!info_of(fd, &info) || info.max_entries != 4 || info.key_size != 4) {
		fail(&c->t, "churn: info of a new map: id %u, max_entries %u", info.id,
		     info.max_entries);
		return;
	}
	if (c->n_ids < sizeof(c->ids) / sizeof(c->ids[0]))
		c->ids[c->n_ids++] = info.id;
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	fd2 = (int)bpfhost_sys_bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof(a));
	if (fd2 < 0) {
		fail(&c->t, "churn: GET_FD_BY_ID(%u): %s", info.id, ename(errno));
		return;
	}
	e = lookup(fd2, key, &v);
	if (e || v != (uint64_t)key << 32)
		fail(&c->t, "churn: lookup through a second fd: %s", ename(e));
	close_fd(fd2);
}

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	int *fds = calloc(c->burst > CHURN_MAPS ? c->burst : CHURN_MAPS, sizeof(int));

	if (!fds) {
		fail(&c->t, "churn: out of memory");
		return NULL;
	}
	for (unsigned round = 0; round < CHURN_ROUNDS; round++) {
		unsigned n = round == 0 ? c->burst : CHURN_MAPS;

		for (unsigned i = 0; i < n; i++) {
			fds[i] = create(BPF_MAP_TYPE_HASH, 4, "churn");
			if (fds[i] < 0)
				fail(&c->t, "churn: create: %s", ename(errno));
		}
		for (unsigned i = 0; i < n; i++)
			if (fds[i] >= 0)
				churn_one(c, fds[i], round, i);
		for (unsigned i = 0; i < n; i++)
			if (fds[i] >= 0)
				close_fd(fds[i]);
	}
	free(fds);
	return NULL;
}

/* ---- after the threads: the maps against the models ---- */

static void check_final(struct worker *w)
{
	static bool seen[TOTAL];
	uint32_t key, next, walked = 0, expected = NWORKERS;
	bool dup = false, stray = false;
	int e;

	/* the walk: every key once, exactly the keys the models hold */
	memset(seen, 0, sizeof(seen));
	e = next_key(hash_fd, NULL, &next);
	while (!e && walked <= TOTAL) {
		if (next >= TOTAL)
			stray = true;
		else if (seen[next])
			dup = true;
		else
			seen[next] = true;
		walked++;
		key = next;
		e = next_key(hash_fd, &key, &next);
	}
	CHECK(e == ENOENT, "the final walk ended with %s, not ENOENT", ename(e));
	CHECK(!stray && !dup, "the final walk gave %s",
	      stray ? "a key never stored" : "a key twice");
	for (unsigned t = 0; t < NWORKERS; t++) {
		for (unsigned i = 0; i < KEYS; i++) {
			expected += w[t].present[i];
			CHECK(seen[t * KEYS + i] == w[t].present[i],
			      "key %u: walked %d, present %d", t * KEYS + i, seen[t * KEYS + i],
			      w[t].present[i]);
		}
		CHECK(seen[COUNTER_KEY(t)], "counter key %u missing from the walk", COUNTER_KEY(t));
	}
	CHECK(walked == expected, "the hash holds %u elements, the models %u", walked, expected);

	/* every value */
	for (unsigned t = 0; t < NWORKERS; t++) {
		uint64_t v = 0, want = (uint64_t)COUNTER_KEY(t) << 32 | w[t].counter;
		unsigned bad_hash = 0, bad_array = 0;

		for (unsigned i = 0; i < KEYS; i++) {
			uint32_t k = t * KEYS + i;

			e = lookup(hash_fd, k, &v);
			if (w[t].present[i] ? (e || v != w[t].hval[i]) : e != ENOENT)
				bad_hash++;
			e = lookup(array_fd, k, &v);
			if (e || v != w[t].aval[i])
				bad_array++;
		}
		CHECK(!bad_hash, "worker %u: %u hash keys differ from the model", t, bad_hash);
		CHECK(!bad_array, "worker %u: %u array indexes differ from the model", t,
		      bad_array);
		e = lookup(hash_fd, COUNTER_KEY(t), &v);
		CHECK(!e && v == want, "worker %u: hash counter %#llx (%s), expected %#llx", t,
		      (unsigned long long)v, ename(e), (unsigned long long)want);
		e = lookup(array_fd, COUNTER_KEY(t), &v);
		CHECK(!e && v == want, "worker %u: array counter %#llx (%s), expected %#llx", t,
		      (unsigned long long)v, ename(e), (unsigned long long)want);
		CHECK(w[t].counter == w[t].ops[9], "worker %u: %u increments of %lu", t,
		      w[t].counter, w[t].ops[9]);
	}

	/* the map is full to the last element: fill it, one more is E2BIG */
	for (unsigned t = 0; t < NWORKERS; t++)
		for (unsigned i = 0; i < KEYS; i++)
			if (!w[t].present[i]) {
				e = update(hash_fd, t * KEYS + i, 1, BPF_NOEXIST);
				CHECK(!e, "filling key %u: %s", t * KEYS + i, ename(e));
			}
	e = update(hash_fd, TOTAL, 1, BPF_NOEXIST);
	CHECK(e == E2BIG, "one more than max_entries: %s, expected E2BIG", ename(e));
}

static void watchdog(int sig)
{
	static const char msg[] = "test_bpf_stress: still running after " XSTR(
		WATCHDOG_SECONDS) " s: hung (a bpfhost lock, a corrupted list?)\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

int main(void)
{
	static struct worker w[NWORKERS];
	static struct reader r;
	static struct churn c;
	pthread_t th[NWORKERS + 2];
	struct rlimit rl;
	unsigned long ops = 0;
	int e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	/* enough maps at once (two fds each) to grow bpfhost's fd table past 256 */
	c.burst = 160;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 3 * c.burst + 64)
		c.burst = rl.rlim_cur > 3 * CHURN_MAPS + 64 ? (unsigned)(rl.rlim_cur - 64) / 3
							    : CHURN_MAPS;
	hash_fd = create(BPF_MAP_TYPE_HASH, TOTAL, "stress_hash");
	array_fd = create(BPF_MAP_TYPE_ARRAY, TOTAL, "stress_array");
	CHECK(hash_fd > 0 && array_fd > 0, "create: %s", ename(errno));
	if (hash_fd < 0 || array_fd < 0)
		return TEST_DONE();
	for (unsigned t = 0; t < NWORKERS; t++) {
		w[t].id = t;
		w[t].rng = 0x9e3779b97f4a7c15ull * (t + 1);
		e = update(hash_fd, COUNTER_KEY(t), (uint64_t)COUNTER_KEY(t) << 32, BPF_NOEXIST);
		CHECK(!e, "counter key %u: %s", COUNTER_KEY(t), ename(e));
		e = update(array_fd, COUNTER_KEY(t), (uint64_t)COUNTER_KEY(t) << 32, BPF_ANY);
		CHECK(!e, "array counter %u: %s", COUNTER_KEY(t), ename(e));
	}
	r.rng = 12345;

	for (unsigned t = 0; t < NWORKERS; t++)
		CHECK(!pthread_create(&th[t], NULL, worker_main, &w[t]), "pthread_create");
	CHECK(!pthread_create(&th[NWORKERS], NULL, reader_main, &r), "pthread_create");
	CHECK(!pthread_create(&th[NWORKERS + 1], NULL, churn_main, &c), "pthread_create");
	for (unsigned t = 0; t < NWORKERS + 2; t++)
		pthread_join(th[t], NULL);

	for (unsigned t = 0; t < NWORKERS; t++) {
		CHECK(!w[t].t.failures, "worker %u: %u failures, the first: %s", t, w[t].t.failures,
		      w[t].t.first);
		for (unsigned k = 0; k < 10; k++)
			ops += w[t].ops[k];
	}
	CHECK(!r.t.failures, "reader: %u failures, the first: %s", r.t.failures, r.t.first);
	CHECK(!c.t.failures, "churn: %u failures, the first: %s", c.t.failures, c.t.first);
	check_final(w);

	/* every churned map is gone with its last fd */
	{
		unsigned alive = 0;

		for (unsigned i = 0; i < c.n_ids; i++) {
			union bpf_attr a;
			long fd;

			memset(&a, 0, sizeof(a));
			a.map_id = c.ids[i];
			fd = bpfhost_sys_bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof(a));
			if (fd >= 0) {
				alive++;
				close_fd((int)fd);
			}
		}
		CHECK(!alive, "%u of %u closed maps can still be opened by id", alive, c.n_ids);
	}
	printf("test_bpf_stress: %u workers x %u ops (%lu), reader %u lookups (%lu hits, %lu "
	       "walks of %lu keys), churn %u maps\n",
	       NWORKERS, OPS, ops, READER_OPS, r.hits, r.walks, r.walk_keys, c.n_ids);
	close_fd(hash_fd);
	close_fd(array_fd);
	return TEST_DONE();
}
