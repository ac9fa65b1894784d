// SPDX-License-Identifier: GPL-2.0
/* A plugin for the request hook of examples/plugin_host.c: BPF C that clang
 * compiles as for the kernel, run by an application in its own process and
 * confined to the request it is given, its map and the helpers the
 * application lends it (examples/plugin.h). It rejects a request
 *   - over the rate limit: more than the application's max_per_second from
 *     one client within a second (429);
 *   - with a method other than GET, HEAD and POST (405);
 *   - for a path with ".." in it, or under /admin from outside 10.0.0.0/8 (403);
 * rewrites "/" to "/index.html", and counts requests and rejections per
 * client (the map clients, which the application shows).
 *
 * SEC("request") is the application's section name, which libbpf does not
 * know: the application gives the programs their type before it loads them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "plugin.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32); /* client_ip */
	__type(value, struct client_stats);
} clients SEC(".maps");

/* app_log of a string literal */
#define LOG(s) app_log(s, sizeof(s) - 1)

/* app_log of a formatted line (bpf_snprintf's length counts the NUL) */
#define LOGF(fmt, args...)                                                                         \
	({                                                                                         \
		char _msg[96];                                                                     \
		long _n = BPF_SNPRINTF(_msg, sizeof(_msg), fmt, args);                             \
		if (_n > 0)                                                                        \
			app_log(_msg, _n - 1);                                                     \
	})

/* Do the first n bytes of s equal those of p? */
static __always_inline int same(const char *s, const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] != p[i])
			return 0;
	return 1;
}

/* the string and its NUL: "GET" is not "GETX" */
#define IS(field, literal) same(field, literal, sizeof(literal))
#define STARTS_WITH(field, literal) same(field, literal, sizeof(literal) - 1)

static __always_inline int has_dotdot(const char *path, int size)
{
	for (int i = 0; i + 1 < size && path[i]; i++)
		if (path[i] == '.' && path[i + 1] == '.')
			return 1;
	return 0;
}

static __always_inline int reject(struct request *req, struct client_stats *c, __u32 status)
{
	req->status = status;
	__sync_fetch_and_add(&c->rejected, 1);
	return PLUGIN_REJECT;
}

/* The client's counters, a new entry for a new client; NULL if the map is full. */
static __always_inline struct client_stats *client_of(__u32 ip, __u64 now_ms)
{
	struct client_stats *c = bpf_map_lookup_elem(&clients, &ip), first = {};

	if (c)
		return c;
	first.window_start_ms = now_ms;
	bpf_map_update_elem(&clients, &ip, &first, BPF_NOEXIST);
	return bpf_map_lookup_elem(&clients, &ip);
}

SEC("request")
int filter(struct request *req)
{
	__u32 ip = req->client_ip; /* a map key lives on the stack, as the kernel wants */
	struct client_stats *c = client_of(ip, req->time_ms);
	long limit = app_config("max_per_second");

	if (!c) {
		LOG("clients map full: not counted");
		return PLUGIN_PASS;
	}
	/* the application may run the hook on many threads: the counters are
	 * atomic (the window is approximate under such a race) */
	__sync_fetch_and_add(&c->requests, 1);
	if (req->time_ms - c->window_start_ms >= 1000) {
		c->window_start_ms = req->time_ms;
		c->window_requests = 0;
	}
	c->window_requests++;
	if (limit < 0)
		limit = 10; /* the application has no such setting */
	if (c->window_requests > (__u64)limit) {
		LOGF("rate limit: %pI4 sent %llu requests within 1 s", &ip, c->window_requests);
		return reject(req, c, 429);
	}

	if (!IS(req->method, "GET") && !IS(req->method, "HEAD") && !IS(req->method, "POST")) {
		LOGF("method %s not allowed", req->method);
		return reject(req, c, 405);
	}
	if (has_dotdot(req->path, sizeof(req->path))) {
		LOG("a path with .. refused");
		return reject(req, c, 403);
	}
	/* the first byte of the address in network order: 10.x.x.x */
	if (STARTS_WITH(req->path, "/admin") && (ip & 0xff) != 10) {
		LOGF("%s from %pI4 refused", req->path, &ip);
		return reject(req, c, 403);
	}

	if (IS(req->path, "/")) {
		__builtin_memcpy(req->path, "/index.html", sizeof("/index.html"));
		LOG("rewrote / to /index.html");
	}
	return PLUGIN_PASS;
}

/* A program that misbehaves, to show what becomes of it (leave it out of a
 * plugin of your own): it reads the 8 bytes that follow its request, the
 * application's own memory. bpfhost stops it at that instruction; the
 * application reports it, disables it and carries on. */
SEC("request")
int peek(struct request *req)
{
	/* volatile: the compiler may not drop a load it sees no use of */
	return *(volatile __u64 *)(req + 1) != 0;
}

char LICENSE[] SEC("license") = "GPL";
