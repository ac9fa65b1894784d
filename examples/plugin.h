/* The request hook of the plugin example, as an application that runs BPF
 * plugins would publish it to their authors: the context a plugin's program
 * gets, what it returns, the helpers the application lends it and the map
 * the application shows. Included by the plugin (examples/plugin.bpf.c,
 * clang -target bpf) and by the application (examples/plugin_host.c), so the
 * two agree on every offset. */
#ifndef PLUGIN_H
#define PLUGIN_H

#include <linux/types.h>

/* The context: one request as the application parsed it. Plugins may write
 * it: set status, rewrite path. */
struct request {
	char method[8];	 /* "GET", NUL-padded */
	char path[64];	 /* NUL-terminated */
	__u32 client_ip; /* IPv4 address, network byte order */
	__u32 status;	 /* the answer when the plugin rejects: 403, 429, ... */
	__u64 time_ms;	 /* when it arrived, by the application's clock */
};

/* What a plugin's program returns. */
enum plugin_verdict {
	PLUGIN_PASS = 0,   /* the application serves the request */
	PLUGIN_REJECT = 1, /* the application answers with status (403 if 0) */
};

/* The application's helpers: ids from BPFHOST_APP_HELPER_MIN (1000). */
#define PLUGIN_APP_LOG 1000
#define PLUGIN_APP_CONFIG 1001

#ifdef __bpf__
/* Adds len bytes of msg to the application's log of this request. */
static long (*app_log)(const char *msg, __u32 len) = (void *)PLUGIN_APP_LOG;
/* The application's setting named key (a string), or -1 if it has none. */
static long (*app_config)(const char *key) = (void *)PLUGIN_APP_CONFIG;
#endif

/* A plugin may count per client in a hash map named "clients" (key: the
 * client_ip); the application shows it. */
struct client_stats {
	__u64 requests;
	__u64 rejected;
	__u64 window_start_ms; /* the rate limit's current second */
	__u64 window_requests; /* the requests in it */
};

#endif
