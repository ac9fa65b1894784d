/* A ring buffer, end to end: Debian's libbpf loads tests/bpf/ringbuf.bpf.o,
 * test-runs its program (reserve/submit, discard, output, query), and reads
 * the records with ring_buffer__new/poll/consume: exact records in order,
 * records that wrap past the ring's end, a full ring, the query's positions,
 * and a consumer asleep in ring_buffer__poll woken by a producer thread and by
 * a producer process. Built with the wrap it runs on bpfhost; built with
 * -DKERNEL_BACKEND the same checks run against the kernel.
 * Usage: test_ringbuf OBJ */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/test_util.h"
#include "load.h"

struct args {
	__u32 seq;
	__u32 n;
	__u32 out_seq;
	__u32 reserve_fails;
	__s64 output_err;
	__s64 bad_output_err;
	__u64 bad_reserve;
	__u64 avail, ring_size, cons, prod;
};

struct rec {
	__u32 seq;
	__u32 kind;
	__u64 check;
	__u64 fill[3];
};

#define REC_LEN 48 /* 8-byte header + 40, in the ring */

struct seen {
	int n;
	struct {
		__u32 seq, kind;
	} r[256];
	int bad; /* records with the wrong size or contents */
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;
	const struct rec *r = data;

	if (size != sizeof(*r) || r->check != r->seq * 0x9e3779b97f4a7c15ull ||
	    r->fill[0] != r->seq + 1ull || r->fill[1] != r->seq + 2ull ||
	    r->fill[2] != ~(__u64)r->seq) {
		s->bad++;
		return 0;
	}
	if (s->n < 256) {
		s->r[s->n].seq = r->seq;
		s->r[s->n].kind = r->kind;
	}
	s->n++;
	return 0;
}

static int prog_fd;

static int produce(__u32 seq, __u32 n, __u32 out_seq, struct args *out)
{
	struct args a = {.seq = seq, .n = n, .out_seq = out_seq};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(prog_fd, &opts);

	if (out)
		*out = a;
	return err ? err : (int)opts.retval;
}

/* The records a run of produce(seq, n, out_seq) makes visible, appended. */
static int expect(__u32 (*want)[2], int at, __u32 seq, __u32 n, __u32 out_seq)
{
	for (__u32 i = 0; i < n; i++) {
		if ((seq + i) % 4 == 3)
			continue;
		want[at][0] = seq + i;
		want[at++][1] = 1;
	}
	want[at][0] = out_seq;
	want[at++][1] = 2;
	return at;
}

static void check_seen(const struct seen *s, __u32 (*want)[2], int n, const char *what)
{
	CHECK(s->bad == 0, "%s: %d records with wrong contents", what, s->bad);
	CHECK(s->n == n, "%s: %d records, want %d", what, s->n, n);
	for (int i = 0; i < n && i < s->n && i < 256; i++)
		CHECK(s->r[i].seq == want[i][0] && s->r[i].kind == want[i][1],
		      "%s: record %d is seq %u kind %u, want seq %u kind %u", what, i, s->r[i].seq,
		      s->r[i].kind, want[i][0], want[i][1]);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *late_producer(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	produce(500, 1, 501, NULL);
	return NULL;
}

/* The consumer sleeps in ring_buffer__poll; a producer (a thread, or a
 * process) writes 100 ms later and must wake it well before the timeout. */
static void test_wakeup(struct ring_buffer *rb, struct seen *s, bool process)
{
	const char *who = process ? "process" : "thread";
	pthread_t t;
	pid_t pid = 0;
	double t0;
	int n, status = 0;

	s->n = 0;
	if (process) {
		pid = fork();
		if (pid == 0) {
			late_producer(NULL);
			_exit(0);
		}
		CHECK(pid > 0, "fork: %s", strerror(errno));
	} else {
		pthread_create(&t, NULL, late_producer, NULL);
	}
	t0 = now_s();
	n = 0;
	while (n < 2 && now_s() - t0 < 5) {
		int r = ring_buffer__poll(rb, 5000);

		CHECK(r >= 0, "%s: poll: %d", who, r);
		if (r < 0)
			break;
		n += r;
	}
	CHECK(n == 2 && s->n == 2 && s->r[0].seq == 500 && s->r[1].seq == 501,
	      "woken by a %s: %d records", who, n);
	CHECK(now_s() - t0 < 3, "woken by a %s after %.2f s", who, now_s() - t0);
	if (process) {
		if (pid > 0)
			waitpid(pid, &status, 0);
	} else {
		pthread_join(t, NULL);
	}
}

int main(int argc, char **argv)
{
	static __u32 want[512][2];
	static struct seen s;
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	bool skipped;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct args a;
	__u64 pos;
	int n, err, w;

	if (argc != 2) {
		fprintf(stderr, "usage: test_ringbuf OBJ\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = test_load(argv[1], &skipped);
	if (!obj)
		return skipped ? 0 : TEST_DONE();
	prog = bpf_object__find_program_by_name(obj, "produce");
	map = bpf_object__find_map_by_name(obj, "rb");
	CHECK(prog && map, "program and map by name");
	if (!prog || !map)
		goto out;
	prog_fd = bpf_program__fd(prog);
	rb = ring_buffer__new(bpf_map__fd(map), on_sample, &s, NULL);
	CHECK(rb != NULL, "ring_buffer__new: %s", strerror(errno));
	if (!rb)
		goto out;
	CHECK(ring_buffer__poll(rb, 0) == 0, "an empty ring: nothing to read");

	/* two runs: records 0..2 (3 discarded), output 100; 4..6, output 101 */
	CHECK(produce(0, 4, 100, &a) == 0, "run 1");
	CHECK(a.reserve_fails == 0 && a.output_err == 0 && a.bad_output_err == -EINVAL &&
		      a.bad_reserve == 1,
	      "run 1: fails %u, output %lld, bad output %lld, bad reserve NULL %llu",
	      a.reserve_fails, (long long)a.output_err, (long long)a.bad_output_err,
	      (unsigned long long)a.bad_reserve);
	CHECK(a.avail == 5 * REC_LEN && a.ring_size == 4096 && a.cons == 0 && a.prod == 5 * REC_LEN,
	      "query after run 1: avail %llu size %llu cons %llu prod %llu",
	      (unsigned long long)a.avail, (unsigned long long)a.ring_size,
	      (unsigned long long)a.cons, (unsigned long long)a.prod);
	CHECK(produce(4, 3, 101, &a) == 0 && a.prod == 9 * REC_LEN, "run 2: prod %llu",
	      (unsigned long long)a.prod);
	w = expect(want, 0, 0, 4, 100);
	w = expect(want, w, 4, 3, 101);
	n = ring_buffer__poll(rb, 1000);
	CHECK(n == w, "poll: %d records, want %d", n, w);
	check_seen(&s, want, w, "two runs");
	pos = 9 * REC_LEN;
	CHECK(produce(8, 0, 102, &a) == 0 && a.cons == pos && a.avail == REC_LEN,
	      "the consumer's position is what the program sees: cons %llu avail %llu",
	      (unsigned long long)a.cons, (unsigned long long)a.avail);
	pos += REC_LEN;

	/* fill the ring: 85 records of 48 bytes fit in 4095; a record wraps */
	s.n = 0;
	CHECK(ring_buffer__consume(rb) == 1, "consume the output record");
	s.n = 0;
	CHECK(produce(200, 84, 300, &a) == 0 && a.reserve_fails == 0 && a.output_err == 0,
	      "fill: fails %u, output %lld", a.reserve_fails, (long long)a.output_err);
	CHECK(a.avail == 85 * REC_LEN && a.prod == pos + 85 * REC_LEN, "full: avail %llu prod %llu",
	      (unsigned long long)a.avail, (unsigned long long)a.prod);
	CHECK(produce(400, 1, 401, &a) == 0 && a.reserve_fails == 1 && a.output_err == -EAGAIN,
	      "a full ring: reserve NULL (%u), output %lld", a.reserve_fails,
	      (long long)a.output_err);
	n = ring_buffer__consume(rb);
	w = expect(want, 0, 200, 84, 300);
	CHECK(n == w, "consume a full ring: %d records, want %d", n, w);
	check_seen(&s, want, w, "full ring");
	/* and again, wrapping in another place */
	s.n = 0;
	CHECK(produce(600, 40, 700, &a) == 0 && a.reserve_fails == 0, "after wrap");
	CHECK(produce(641, 40, 701, &a) == 0 && a.reserve_fails == 0, "after wrap, 2");
	w = expect(want, 0, 600, 40, 700);
	w = expect(want, w, 641, 40, 701);
	n = 0;
	while ((err = ring_buffer__poll(rb, 100)) > 0)
		n += err;
	CHECK(n == w && err == 0, "poll after wrap: %d records (err %d), want %d", n, err, w);
	check_seen(&s, want, w, "second lap");

	test_wakeup(rb, &s, false);
	test_wakeup(rb, &s, true);
out:
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return TEST_DONE();
}
