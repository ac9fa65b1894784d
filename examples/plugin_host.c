/* An application that runs plugins written in BPF C at one of its hooks, a
 * request filter: it registers the hook with bpfhost as a program type (the
 * context, the kernel helpers a plugin may call and two of its own), opens
 * and loads the plugin with libbpf, then runs it on each request of a
 * built-in list and prints the verdict, what the plugin logged and its map.
 * The plugin runs in this process, confined to the request, its map and the
 * helpers: a program that faults is reported and disabled, and the requests
 * go on. libbpf's bpf() calls reach bpfhost at link time (the Makefile's
 * WRAP): no root, no kernel BPF.
 *
 * Usage: plugin_host PLUGIN.bpf.o   (see examples/plugin.bpf.c) */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfhost.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

#define MAX_PROGS 8
#define MAX_CLIENTS 64

/* What the plugin logged while one request ran: app_log appends here (it
 * is app_log's data, which bpfhost hands it with each call). */
struct plugin_log {
	char text[2048];
	size_t len;
};
static struct plugin_log plugin_log;

static void log_add(struct plugin_log *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_add(struct plugin_log *l, const char *fmt, ...)
{
	size_t room = sizeof(l->text) - l->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->text + l->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room - 1;
}

/* app_log(msg, len). bpfhost checked before the call that msg..msg+len is
 * memory the program may read (BPFHOST_ARG_MEM_RO, then BPFHOST_ARG_SIZE). */
static unsigned long long app_log(unsigned long long msg, unsigned long long len,
				  unsigned long long r3, unsigned long long r4,
				  unsigned long long r5, void *ctx, void *data)
{
	(void)r3, (void)r4, (void)r5, (void)ctx;
	log_add(data, "    log: %.*s\n", (int)(len < 200 ? len : 200),
		(const char *)(uintptr_t)msg);
	return 0;
}

/* The application's settings, which plugins read with app_config. */
static const struct {
	const char *key;
	long value;
} settings[] = {
	{"max_per_second", 3},
};

/* app_config(key): bpfhost checked that key is a NUL-terminated string in
 * the program's memory (BPFHOST_ARG_STR). */
static unsigned long long app_config(unsigned long long key, unsigned long long r2,
				     unsigned long long r3, unsigned long long r4,
				     unsigned long long r5, void *ctx, void *data)
{
	(void)r2, (void)r3, (void)r4, (void)r5, (void)ctx, (void)data;
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (!strcmp(settings[i].key, (const char *)(uintptr_t)key))
			return (unsigned long long)settings[i].value;
	return (unsigned long long)-1;
}

/* The hook as bpfhost sees it: a program type of the application's. */
static const int kernel_helpers[] = {
	BPF_FUNC_map_lookup_elem,
	BPF_FUNC_map_update_elem,
	BPF_FUNC_snprintf,
	0,
};
static const struct bpfhost_helper app_helpers[] = {
	{PLUGIN_APP_LOG, "app_log", app_log, {BPFHOST_ARG_MEM_RO, BPFHOST_ARG_SIZE}, &plugin_log},
	{PLUGIN_APP_CONFIG, "app_config", app_config, {BPFHOST_ARG_STR}, NULL},
};
static const struct bpfhost_prog_type request_hook = {
	.sz = sizeof(struct bpfhost_prog_type),
	.name = "request",
	.ctx_size = sizeof(struct request),
	.ctx_writable = 1,
	.kernel_helpers = kernel_helpers,
	.helpers = app_helpers,
	.helper_cnt = sizeof(app_helpers) / sizeof(app_helpers[0]),
};

/* The requests the application "receives". */
static const struct {
	unsigned time_ms;
	const char *client, *method, *path;
} requests[] = {
	{0, "10.0.0.7", "GET", "/"},
	{10, "192.168.1.9", "GET", "/index.html"},
	{20, "192.168.1.9", "GET", "/admin/users"},
	{30, "10.0.0.7", "POST", "/admin/users"},
	{40, "192.168.1.9", "DELETE", "/index.html"},
	{50, "192.168.1.9", "GET", "/style.css"},
	{60, "192.168.1.9", "GET", "/favicon.ico"},
	{70, "172.16.0.3", "HEAD", "/index.html"},
	{1500, "192.168.1.9", "GET", "/index.html"},
	{1510, "10.0.0.7", "GET", "/files/../../etc/passwd"},
};

struct plugin_prog {
	struct bpf_program *prog;
	int fd;
	bool disabled; /* it faulted */
};

static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int error(const char *fmt, ...)
{
	va_list ap;

	fputs("plugin_host: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* Runs the plugin's programs on req in turn until one rejects it. Each runs
 * on a copy, kept only if the program did not fault. Returns the verdict. */
static int run_plugin(struct plugin_prog *progs, unsigned cnt, struct request *req)
{
	for (unsigned i = 0; i < cnt; i++) {
		struct request work = *req;
		unsigned long long ret = 0;
		char why[256];

		if (progs[i].disabled)
			continue;
		if (bpfhost_prog_run(progs[i].fd, &work, sizeof(work), &ret, why, sizeof(why))) {
			log_add(&plugin_log, "    program '%s' faulted, disabled: %s\n",
				bpf_program__name(progs[i].prog), why);
			progs[i].disabled = true;
			continue;
		}
		*req = work;
		if (ret != PLUGIN_PASS)
			return PLUGIN_REJECT;
	}
	return PLUGIN_PASS;
}

static int by_address(const void *a, const void *b)
{
	uint32_t x = ntohl(*(const uint32_t *)a), y = ntohl(*(const uint32_t *)b);

	return x < y ? -1 : x > y;
}

/* The plugin's clients map, by client address. */
static void show_clients(const struct bpf_map *map)
{
	uint32_t keys[MAX_CLIENTS], key, *prev = NULL;
	unsigned n = 0;

	while (n < MAX_CLIENTS && !bpf_map__get_next_key(map, prev, &key, sizeof(key))) {
		keys[n++] = key;
		prev = &keys[n - 1];
	}
	qsort(keys, n, sizeof(keys[0]), by_address);
	printf("the plugin's map clients:\n");
	for (unsigned i = 0; i < n; i++) {
		struct client_stats c;
		char addr[INET_ADDRSTRLEN];

		if (bpf_map__lookup_elem(map, &keys[i], sizeof(keys[i]), &c, sizeof(c), 0))
			continue;
		inet_ntop(AF_INET, &keys[i], addr, sizeof(addr));
		printf("  %-15s requests %llu, rejected %llu\n", addr,
		       (unsigned long long)c.requests, (unsigned long long)c.rejected);
	}
}

int main(int argc, char **argv)
{
	struct plugin_prog progs[MAX_PROGS];
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *clients;
	const char *path;
	unsigned cnt = 0;
	char err[256];
	int type, e;

	if (argc != 2) {
		fprintf(stderr, "usage: plugin_host PLUGIN.bpf.o\n");
		return 2;
	}
	path = argv[1];
	libbpf_set_print(libbpf_warnings);

	/* 1. the hook, as a program type: its number is the plugin's type */
	type = bpfhost_prog_type_register(&request_hook, err, sizeof(err));
	if (type < 0)
		return error("cannot register the request hook: %s", err);

	/* 2. the plugin: libbpf does not know SEC("request"), so its programs
	 * get their type here, before bpf_object__load */
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		libbpf_strerror(errno, err, sizeof(err));
		return error("cannot open plugin %s: %s", path, err);
	}
	bpf_object__for_each_program(prog, obj)
	{
		if (strcmp(bpf_program__section_name(prog), "request")) {
			error("%s: program '%s' is in section '%s': plugins put theirs in "
			      "SEC(\"request\")",
			      path, bpf_program__name(prog), bpf_program__section_name(prog));
			goto fail;
		}
		if (cnt == MAX_PROGS) {
			error("%s: more than %d programs", path, MAX_PROGS);
			goto fail;
		}
		bpf_program__set_type(prog, (enum bpf_prog_type)type);
		progs[cnt++] = (struct plugin_prog){.prog = prog};
	}
	if (!cnt) {
		error("%s has no program", path);
		goto fail;
	}
	e = bpf_object__load(obj);
	if (e) {
		libbpf_strerror(e, err, sizeof(err));
		error("cannot load plugin %s: %s", path, err);
		goto fail;
	}
	for (unsigned i = 0; i < cnt; i++)
		progs[i].fd = bpf_program__fd(progs[i].prog);
	printf("plugin %s: %u program%s on the request hook (program type %#x)\n", path, cnt,
	       cnt == 1 ? "" : "s", type);

	/* 3. the hook fires: the plugin decides */
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		struct request req;
		int verdict;

		memset(&req, 0, sizeof(req));
		snprintf(req.method, sizeof(req.method), "%s", requests[i].method);
		snprintf(req.path, sizeof(req.path), "%s", requests[i].path);
		inet_pton(AF_INET, requests[i].client, &req.client_ip);
		req.time_ms = requests[i].time_ms;
		plugin_log.len = 0;
		plugin_log.text[0] = '\0';
		verdict = run_plugin(progs, cnt, &req);
		printf("%2zu %5u ms  %-12s %-6s %-24s  ", i + 1, requests[i].time_ms,
		       requests[i].client, requests[i].method, requests[i].path);
		if (verdict != PLUGIN_PASS)
			printf("reject %u\n", req.status ? req.status : 403);
		else if (strcmp(req.path, requests[i].path))
			printf("pass, as %s\n", req.path);
		else
			printf("pass\n");
		fputs(plugin_log.text, stdout);
	}

	clients = bpf_object__find_map_by_name(obj, "clients");
	if (clients)
		show_clients(clients);
	bpf_object__close(obj);
	return 0;
fail:
	bpf_object__close(obj);
	return 1;
}
