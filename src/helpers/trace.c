/* bpf_trace_printk and bpf_get_current_comm: see trace.h. */
#include "trace.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"

static int (*sink_opener)(void);
static int sink_fd = -1;
static pthread_once_t sink_once = PTHREAD_ONCE_INIT;

void trace_set_sink(int (*open_sink)(void))
{
	sink_opener = open_sink;
}

static void open_sink(void)
{
	sink_fd = sink_opener ? sink_opener() : -1;
}

/* One conversion's argument as a string read safely from the process. */
static void safe_string(char *buf, size_t len, uint64_t addr)
{
	if (helper_probe_read_str((uint64_t)(uintptr_t)buf, len, addr, 0, 0, NULL) >=
	    (uint64_t)-4095)
		snprintf(buf, len, "(fault)");
}

int trace_format(char *out, size_t out_len, const char *fmt, size_t fmt_size,
		 const uint64_t args[3])
{
	size_t n = 0, used = 0;
	int w;

	if (!fmt_size || fmt[fmt_size - 1] != '\0')
		return -EINVAL;
	for (size_t i = 0; fmt[i] && n < out_len; i++) {
		char str[128];
		int longs = 0;

		if (fmt[i] != '%') {
			out[n++] = fmt[i];
			continue;
		}
		if (fmt[++i] == '%') {
			out[n++] = '%';
			continue;
		}
		while (fmt[i] == 'l' && longs < 2) {
			longs++;
			i++;
		}
		if (!strchr("diuxXpsc", fmt[i]) || !fmt[i] || used >= 3 ||
		    ((fmt[i] == 's' || fmt[i] == 'c' || fmt[i] == 'p') && longs))
			return -EINVAL; /* the kernel's bpf_bprintf_prepare refuses it */
		/* %ld and %lld both print the 64-bit value (a 64-bit kernel's long) */
		switch (fmt[i]) {
		case 's':
			safe_string(str, sizeof(str), args[used]);
			w = snprintf(out + n, out_len - n, "%s", str);
			break;
		case 'c': w = snprintf(out + n, out_len - n, "%c", (char)args[used]); break;
		case 'p':
			w = snprintf(out + n, out_len - n, "0x%llx",
				     (unsigned long long)args[used]);
			break;
		case 'd':
		case 'i':
			w = longs ? snprintf(out + n, out_len - n, "%lld", (long long)args[used])
				  : snprintf(out + n, out_len - n, "%d", (int)args[used]);
			break;
		default: /* u x X */
			w = longs ? snprintf(out + n, out_len - n,
					     fmt[i] == 'u'   ? "%llu"
					     : fmt[i] == 'x' ? "%llx"
							     : "%llX",
					     (unsigned long long)args[used])
				  : snprintf(out + n, out_len - n,
					     fmt[i] == 'u'   ? "%u"
					     : fmt[i] == 'x' ? "%x"
							     : "%X",
					     (unsigned)args[used]);
			break;
		}
		used++;
		if (w < 0)
			return -EINVAL;
		n += (size_t)w < out_len - n ? (size_t)w : out_len - n - 1;
	}
	if (n >= out_len)
		n = out_len - 1;
	out[n] = '\0';
	return (int)n;
}

uint64_t helper_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2, uint64_t a3,
			     struct vm_run *run)
{
	const uint64_t args[3] = {a1, a2, a3};
	char msg[512], line[640], comm[16] = "";
	struct timespec ts;
	int n, len;

	n = trace_format(msg, sizeof(msg), (const char *)(uintptr_t)fmt, (size_t)(uint32_t)fmt_size,
			 args);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	pthread_once(&sink_once, open_sink);
	if (sink_fd < 0)
		return (uint64_t)n;
	prctl(PR_GET_NAME, comm);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* the kernel's trace_pipe: "<comm>-<pid> [cpu] flags time: bpf_trace_printk: msg" */
	len = snprintf(line, sizeof(line),
		       "%16s-%-7d [%03u] ..... %5lld.%06ld: bpf_trace_printk: %s%s", comm,
		       (int)gettid(), run ? run->cpu : 0, (long long)ts.tv_sec, ts.tv_nsec / 1000,
		       msg, n && msg[n - 1] == '\n' ? "" : "\n");
	if (len > 0 &&
	    write(sink_fd, line, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1) < 0)
		return (uint64_t)n;
	return (uint64_t)n;
}

uint64_t helper_get_current_comm(uint64_t buf, uint64_t size, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run)
{
	char comm[16] = "";
	char *b = (char *)(uintptr_t)buf;
	uint32_t n = (uint32_t)size;

	(void)r3, (void)r4, (void)r5, (void)run;
	if (!n)
		return (uint64_t)(int64_t)-EINVAL;
	prctl(PR_GET_NAME, comm);
	memset(b, 0, n);
	memcpy(b, comm, strnlen(comm, n - 1));
	return 0;
}
