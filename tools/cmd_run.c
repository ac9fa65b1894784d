/* bpfhost run: an XDP, tc or socket-filter program of a BPF object run over
 * every packet of a capture (pcap or pcapng, read by libpcap), each packet
 * through BPF_PROG_TEST_RUN as the kernel would run it; verdict counts, the
 * packets the program let through (as it left them) written to a pcap file,
 * bpf_trace_printk output as it comes, and the maps at the end. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/obj.h"
#include "../src/core/prog.h"
#include "../src/core/tracepipe.h"
#include "../src/progtypes/progtype.h"
#include "cli.h"
#include "pcapio.h"

static const char run_help[] =
	"usage: bpfhost run OBJECT [--prog NAME] --pcap CAPTURE [--out OUT] [--no-maps]\n"
	"Runs an XDP, tc (sched_cls, sched_act) or socket-filter program of OBJECT (a\n"
	"clang-compiled BPF object, loaded through libbpf) over every packet of CAPTURE\n"
	"(pcap or pcapng, Ethernet), each as the kernel's BPF_PROG_TEST_RUN runs it; a\n"
	"socket filter sees the frame from its Ethernet header, as on a packet socket.\n"
	"Prints how many packets got each verdict and where redirects went, writes the\n"
	"packets the program passed or transmitted (XDP_PASS/XDP_TX; tc OK, UNSPEC, PIPE,\n"
	"RECLASSIFY; a socket filter's nonzero length, cut to it) as it left them to OUT\n"
	"(pcap), prints bpf_trace_printk output as it comes, and dumps the maps at the end.\n";

#define MAX_VERDICTS 32
#define MAX_REDIRECTS 32
#define OUT_MAX (256u * 1024)

struct tally {
	int64_t key;
	uint64_t n;
};

struct run {
	const char *capture;
	int prog_fd;
	const char *prog_name;
	uint32_t prog_type;
	struct pcapio_out *out;
	uint64_t packets, skipped, truncated, written;
	struct tally verdicts[MAX_VERDICTS];
	struct tally redirects[MAX_REDIRECTS]; /* by ifindex (map key for maps) */
	unsigned nverdicts, nredirects;
	uint64_t other_verdicts, other_redirects;
	struct tracepipe_reader trace;
	bool tracing;
	uint8_t *data_out;
};

static void count(struct tally *t, unsigned *n, unsigned max, uint64_t *other, int64_t key)
{
	for (unsigned i = 0; i < *n; i++)
		if (t[i].key == key) {
			t[i].n++;
			return;
		}
	if (*n == max) {
		(*other)++;
		return;
	}
	t[*n].key = key;
	t[(*n)++].n = 1;
}

static bool is_xdp(const struct run *r)
{
	return r->prog_type == BPF_PROG_TYPE_XDP;
}

static bool is_tc(const struct run *r)
{
	return r->prog_type == BPF_PROG_TYPE_SCHED_CLS || r->prog_type == BPF_PROG_TYPE_SCHED_ACT;
}

/* The verdict a return value means for the program's type, as a name. */
static const char *verdict_name(const struct run *r, int64_t v, char *buf, size_t size)
{
	static const char *const xdp[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					  "XDP_REDIRECT"};
	static const char *const tc[] = {"TC_ACT_OK",	  "TC_ACT_RECLASSIFY", "TC_ACT_SHOT",
					 "TC_ACT_PIPE",	  "TC_ACT_STOLEN",     "TC_ACT_QUEUED",
					 "TC_ACT_REPEAT", "TC_ACT_REDIRECT",   "TC_ACT_TRAP"};

	if (is_xdp(r) && v >= 0 && v < 5)
		return xdp[v];
	if (is_tc(r) && v == TC_ACT_UNSPEC)
		return "TC_ACT_UNSPEC";
	if (is_tc(r) && v >= 0 && v < 9)
		return tc[v];
	if (!is_xdp(r) && !is_tc(r))
		return v ? "accepted" : "dropped";
	snprintf(buf, size, "unknown (%lld)", (long long)v);
	return buf;
}

/* Whether a packet with this verdict goes on (to OUT). */
static bool passes(const struct run *r, int64_t v)
{
	if (is_xdp(r))
		return v == XDP_PASS || v == XDP_TX;
	if (is_tc(r))
		return v == TC_ACT_UNSPEC || v == TC_ACT_OK || v == TC_ACT_PIPE ||
		       v == TC_ACT_RECLASSIFY;
	return v != 0;
}

/* Prints what programs wrote to the trace pipe since the last call. */
static void follow_trace(struct run *r)
{
	char buf[4096];
	ssize_t n;

	if (!r->tracing)
		return;
	while ((n = tracepipe_read(&r->trace, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
}

/* One packet: 0, or 1 with an error printed (the run stops). */
static int run_packet(struct run *r, const struct pcapio_pkt *h)
{
	struct progtype_redirect red = {.set = false};
	char fault[512] = "";
	struct prog_packet_opts po = {.packet_socket = true,
				      .redirect = &red,
				      .fault = fault,
				      .fault_len = sizeof(fault)};
	union bpf_attr a;
	int64_t v;
	int err;

	r->packets++;
	if (h->caplen < h->len)
		r->truncated++;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)r->prog_fd;
	a.test.data_in = (uint64_t)(uintptr_t)h->data;
	a.test.data_size_in = h->caplen;
	a.test.data_out = (uint64_t)(uintptr_t)r->data_out;
	a.test.data_size_out = OUT_MAX;
	err = prog_run_packet_fd(&a, &po);
	if (err == -EINVAL) {
		/* as the kernel's test run refuses it: shorter than an Ethernet
		 * header, or longer than a page's worth */
		r->skipped++;
		return 0;
	}
	if (err && fault[0])
		return cli_error("run: packet %llu: program '%s' faulted: %s",
				 (unsigned long long)r->packets, r->prog_name, fault);
	if (err)
		return cli_error("run: packet %llu: the run failed: %s",
				 (unsigned long long)r->packets, strerror(-err));
	v = is_tc(r) ? (int64_t)(int32_t)a.test.retval : (int64_t)a.test.retval;
	/* a socket filter's value is a length: counted as accepted or dropped */
	count(r->verdicts, &r->nverdicts, MAX_VERDICTS, &r->other_verdicts,
	      is_xdp(r) || is_tc(r) ? v : v != 0);
	if (red.set && ((is_xdp(r) && v == XDP_REDIRECT) || (is_tc(r) && v == TC_ACT_REDIRECT)))
		count(r->redirects, &r->nredirects, MAX_REDIRECTS, &r->other_redirects,
		      (int64_t)red.ifindex | (int64_t)red.map_id << 32);
	follow_trace(r);
	if (r->out && passes(r, v)) {
		struct pcapio_pkt o = *h;
		uint32_t n = a.test.data_size_out;

		if (!is_xdp(r) && !is_tc(r) && (uint64_t)v < n)
			n = (uint32_t)v;
		o.caplen = n;
		o.len = h->len - h->caplen + n;
		o.data = r->data_out;
		pcapio_write(r->out, &o);
		r->written++;
	}
	return 0;
}

static void report(const struct run *r, const char *out_path)
{
	char buf[32];

	printf("packets: %llu", (unsigned long long)r->packets);
	if (r->skipped)
		printf(" (%llu not run: shorter than an Ethernet header or longer than a test run "
		       "takes)",
		       (unsigned long long)r->skipped);
	if (r->truncated)
		printf(" (%llu cut short by the capture's snapshot length: run as captured)",
		       (unsigned long long)r->truncated);
	printf("\nverdicts:\n");
	for (unsigned i = 0; i < r->nverdicts; i++)
		printf("  %-20s %llu\n", verdict_name(r, r->verdicts[i].key, buf, sizeof(buf)),
		       (unsigned long long)r->verdicts[i].n);
	if (r->other_verdicts)
		printf("  %-20s %llu\n", "(other values)", (unsigned long long)r->other_verdicts);
	if (r->nredirects) {
		printf("redirects:\n");
		for (unsigned i = 0; i < r->nredirects; i++) {
			uint32_t map_id = (uint32_t)(r->redirects[i].key >> 32);
			uint32_t idx = (uint32_t)r->redirects[i].key;

			if (map_id)
				printf("  map id %u key %u: %llu\n", map_id, idx,
				       (unsigned long long)r->redirects[i].n);
			else
				printf("  ifindex %u: %llu\n", idx,
				       (unsigned long long)r->redirects[i].n);
		}
	}
	if (out_path)
		printf("written to %s: %llu packet%s\n", out_path, (unsigned long long)r->written,
		       r->written == 1 ? "" : "s");
}

static void dump_maps(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
	{
		enum bpf_map_type t = bpf_map__type(m);

		/* not the constants (.rodata: format strings and the like) */
		if (t == BPF_MAP_TYPE_RINGBUF || t == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
		    t == BPF_MAP_TYPE_PROG_ARRAY || (bpf_map__map_flags(m) & BPF_F_RDONLY_PROG))
			continue;
		printf("map %s (%s):\n", bpf_map__name(m), libbpf_bpf_map_type_str(t));
		cli_dump_map(bpf_map__fd(m), true);
	}
}

static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static bool runnable(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_XDP || t == BPF_PROG_TYPE_SCHED_CLS ||
	       t == BPF_PROG_TYPE_SCHED_ACT || t == BPF_PROG_TYPE_SOCKET_FILTER;
}

/* The program to run: the one named, else the object's only runnable one. */
static struct bpf_program *pick(struct bpf_object *obj, const char *path, const char *name)
{
	struct bpf_program *p, *found = NULL;
	unsigned n = 0;

	if (name) {
		p = bpf_object__find_program_by_name(obj, name);
		if (!p)
			cli_error("run: %s has no program named '%s'", path, name);
		else if (!runnable(bpf_program__type(p))) {
			cli_error("run: program '%s' is of type %s: bpfhost run takes xdp, "
				  "sched_cls, sched_act and socket_filter programs",
				  name, libbpf_bpf_prog_type_str(bpf_program__type(p)));
			p = NULL;
		}
		return p;
	}
	bpf_object__for_each_program(p, obj)
	{
		if (!runnable(bpf_program__type(p)))
			continue;
		if (!found)
			found = p;
		n++;
	}
	if (!found)
		cli_error("run: %s has no xdp, tc or socket filter program", path);
	else if (n > 1) {
		cli_error("run: %s has %u programs to run (the first is '%s'): choose one "
			  "with --prog NAME",
			  path, n, bpf_program__name(found));
		found = NULL;
	}
	return found;
}

static int run_capture(struct run *r, struct pcapio_in *in)
{
	struct pcapio_pkt pkt;
	char why[512];
	int rc, err = 0;

	while (!err && (rc = pcapio_next(in, &pkt, why, sizeof(why))) != 0) {
		if (rc < 0)
			return cli_error("run: %s: after packet %llu: %s", r->capture,
					 (unsigned long long)r->packets, why);
		err = run_packet(r, &pkt);
	}
	return err;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"prog", required_argument, NULL, 'p'}, {"pcap", required_argument, NULL, 'i'},
		{"out", required_argument, NULL, 'o'},	{"no-maps", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0},
	};
	const char *name = NULL, *capture = NULL, *out_path = NULL, *path;
	char why[512];
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	struct run r = {.tracing = false};
	struct pcapio_in *in = NULL;
	int c, err = 1, maps = 1;

	while ((c = getopt_long(argc, argv, "p:i:o:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': name = optarg; break;
		case 'i': capture = optarg; break;
		case 'o': out_path = optarg; break;
		case 'n': maps = 0; break;
		case 'h': fputs(run_help, stdout); return 0;
		default: fputs(run_help, stderr); return 2;
		}
	}
	if (optind + 1 != argc || !capture) {
		fputs(run_help, stderr);
		return cli_error("run: give one OBJECT and --pcap CAPTURE");
	}
	path = argv[optind];
	r.capture = capture;
	in = pcapio_open(capture, why, sizeof(why));
	if (!in)
		return cli_error("run: cannot read capture %s: %s", capture, why);
	libbpf_set_print(libbpf_warnings);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		char msg[128];

		libbpf_strerror(errno, msg, sizeof(msg));
		cli_error("run: cannot open BPF object %s: %s", path, msg);
		goto out;
	}
	prog = pick(obj, path, name);
	if (!prog)
		goto out;
	c = bpf_object__load(obj);
	if (c) {
		char msg[128];

		libbpf_strerror(c, msg, sizeof(msg));
		cli_error("run: cannot load %s: %s", path, msg);
		goto out;
	}
	r.prog_fd = bpf_program__fd(prog);
	r.prog_name = bpf_program__name(prog);
	r.prog_type = bpf_program__type(prog);
	r.data_out = malloc(OUT_MAX);
	if (!r.data_out) {
		cli_error("run: out of memory");
		goto out;
	}
	if (out_path) {
		r.out = pcapio_create(in, out_path, why, sizeof(why));
		if (!r.out) {
			cli_error("run: cannot write %s: %s", out_path, why);
			goto out;
		}
	}
	/* from its end: only what this run writes shows */
	r.tracing = tracepipe_open(&r.trace, true) == 0;
	printf("running %s program '%s' of %s over %s\n", libbpf_bpf_prog_type_str(r.prog_type),
	       bpf_program__name(prog), path, capture);
	err = run_capture(&r, in);
	if (r.out && pcapio_finish(r.out))
		err = cli_error("run: cannot write %s: %s", out_path, strerror(errno));
	r.out = NULL;
	follow_trace(&r);
	report(&r, out_path);
	if (maps)
		dump_maps(obj);
out:
	pcapio_finish(r.out);
	if (r.tracing)
		tracepipe_close(&r.trace);
	free(r.data_out);
	bpf_object__close(obj);
	pcapio_close(in);
	return err;
}
