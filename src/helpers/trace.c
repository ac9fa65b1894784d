/* bpf_trace_printk, bpf_trace_vprintk, bpf_snprintf, bpf_get_current_comm:
 * see trace.h. */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"

static void (*sink)(const char *line, size_t len);

void trace_set_sink(void (*write_line)(const char *line, size_t len))
{
	sink = write_line;
}

/* Output being built: what fits in out (always NUL-terminated when len > 0)
 * and the length the whole would have. */
struct outbuf {
	char *out;
	size_t len, total;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
	if (o->total < o->len) {
		size_t room = o->len - 1 - o->total;

		memcpy(o->out + o->total, s, n < room ? n : room);
	}
	o->total += n;
}

/* fmt is one conversion built from the program's format after checking it
 * as the kernel does, so it is not a literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void putf(struct outbuf *o, const char *fmt, ...)
{
	char tmp[600], *big;
	va_list ap, again;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(tmp)) {
		put(o, tmp, (size_t)n);
	} else if (n > 0) {
		/* a wide field: formatted whole, so that the length is right */
		big = malloc((size_t)n + 1);
		if (big && vsnprintf(big, (size_t)n + 1, fmt, again) == n)
			put(o, big, (size_t)n);
		else
			o->total += (size_t)n;
		free(big);
	}
	va_end(again);
}
#pragma GCC diagnostic pop

/* A string argument read safely from the process: empty where it cannot
 * be read, as the kernel prints it. */
static void safe_string(char *buf, size_t len, uint64_t addr)
{
	if (helper_probe_read_str((uint64_t)(uintptr_t)buf, len, addr, 0, 0, NULL) >=
	    (uint64_t)-4095)
		buf[0] = '\0';
}

static bool ip_format(const char *f)
{
	return (f[0] == 'i' || f[0] == 'I') && (f[1] == '4' || f[1] == '6');
}

/* %pi4 %pI4 %pi6 %pI6 of the 4 or 16 bytes at addr. */
static void put_ip(struct outbuf *o, const char *spec, const char *f, uint64_t addr)
{
	unsigned char b[16];
	char tmp[48];
	size_t n = 0, len = f[1] == '4' ? 4 : 16;

	/* zeros where it cannot be read, as the kernel prints it */
	helper_probe_read((uint64_t)(uintptr_t)b, len, addr, 0, 0, NULL);
	for (size_t i = 0; i < len; i++) {
		if (len == 4)
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n,
					      f[0] == 'i' ? "%s%03u" : "%s%u", i ? "." : "", b[i]);
		else
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%02x",
					      f[0] == 'I' && i && !(i % 2) ? ":" : "", b[i]);
	}
	putf(o, spec, tmp);
}

int bprintf_format(char *out, size_t out_len, const char *fmt, size_t fmt_size,
		   const uint64_t *args, size_t nargs)
{
	struct outbuf o = {out, out_len, 0};
	size_t used = 0;

	if (!fmt_size || !memchr(fmt, '\0', fmt_size))
		return -EINVAL;
	for (size_t i = 0; fmt[i]; i++) {
		char spec[32], str[256];
		size_t sl = 1, longs = 0;
		unsigned char c = (unsigned char)fmt[i];

		if (c > 0x7e || (c < 0x20 && !(c >= '\t' && c <= '\r')))
			return -EINVAL; /* the kernel takes printable ASCII and white space */
		if (c != '%') {
			put(&o, &fmt[i], 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			put(&o, "%", 1);
			i++;
			continue;
		}
		if (used >= nargs)
			return -EINVAL;
		spec[0] = '%';
		i++;
		/* optional flags "0 +-" (repeats change nothing) and a width, which
		 * the kernel's vsnprintf clamps below 2^23 */
		for (; fmt[i] && strchr("0+- ", fmt[i]); i++)
			if (!memchr(spec + 1, fmt[i], sl - 1))
				spec[sl++] = fmt[i];
		if (fmt[i] >= '1' && fmt[i] <= '9') {
			unsigned long width = 0;

			for (; fmt[i] >= '0' && fmt[i] <= '9'; i++)
				if (width < (1ul << 23))
					width = width * 10 + (unsigned long)(fmt[i] - '0');
			sl += (size_t)snprintf(spec + sl, 12, "%lu",
					       width < (1ul << 23) ? width : (1ul << 23) - 1);
		}
		if (fmt[i] == 'p') {
			const char *f = &fmt[i + 1];

			if (!*f || isspace((unsigned char)*f) || ispunct((unsigned char)*f)) {
				memcpy(spec + sl, "s", 2);
				snprintf(str, sizeof(str), "0x%llx",
					 (unsigned long long)args[used]);
				putf(&o, spec, str);
			} else if (*f == 'x' || *f == 'K') {
				memcpy(spec + sl, "016llx", 7);
				putf(&o, spec, (unsigned long long)(*f == 'x' ? args[used] : 0));
				i++;
			} else if (ip_format(f)) {
				memcpy(spec + sl, "s", 2);
				put_ip(&o, spec, f, args[used]);
				i += 2;
			} else if ((f[0] == 'k' || f[0] == 'u') && f[1] == 's') {
				memcpy(spec + sl, "s", 2);
				safe_string(str, sizeof(str), args[used]);
				putf(&o, spec, str);
				i += 2;
			} else {
				return -EINVAL;
			}
		} else if (fmt[i] == 's' || fmt[i] == 'c') {
			spec[sl] = fmt[i];
			spec[sl + 1] = '\0';
			if (fmt[i] == 's') {
				safe_string(str, sizeof(str), args[used]);
				putf(&o, spec, str);
			} else {
				putf(&o, spec, (char)args[used]);
			}
		} else {
			while (fmt[i] == 'l' && longs < 2) {
				longs++;
				i++;
			}
			if (!fmt[i] || !strchr("diuxX", fmt[i]))
				return -EINVAL; /* the kernel's bpf_bprintf_prepare refuses it */
			memcpy(spec + sl, "ll", 2);
			spec[sl + 2] = fmt[i];
			spec[sl + 3] = '\0';
			/* %ld and %lld print the 64-bit value (a 64-bit kernel's long),
			 * %d and %u its low 32 bits */
			if (strchr("di", fmt[i]))
				putf(&o, spec,
				     longs ? (long long)args[used]
					   : (long long)(int32_t)args[used]);
			else
				putf(&o, spec,
				     longs ? (unsigned long long)args[used]
					   : (unsigned long long)(uint32_t)args[used]);
		}
		used++;
	}
	if (out_len)
		out[o.total < out_len ? o.total : out_len - 1] = '\0';
	return o.total > INT32_MAX ? INT32_MAX : (int)o.total;
}

static void trace_line(const char *msg, size_t n, struct vm_run *run)
{
	char line[BPRINTF_BUF + 128], comm[16] = "";
	struct timespec ts;
	int len;

	if (!sink)
		return;
	prctl(PR_GET_NAME, comm);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* the kernel's trace_pipe: "<comm>-<pid> [cpu] flags time: bpf_trace_printk: msg" */
	len = snprintf(line, sizeof(line),
		       "%16s-%-7d [%03u] ..... %5lld.%06ld: bpf_trace_printk: %s%s", comm,
		       (int)gettid(), run ? run->cpu : 0, (long long)ts.tv_sec, ts.tv_nsec / 1000,
		       msg, n && msg[n - 1] == '\n' ? "" : "\n");
	/* a line that cannot be written is lost, as the kernel's when its ring
	 * buffer is full: the program goes on */
	if (len > 0)
		sink(line, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1);
}

/* trace_printk and trace_vprintk: the message formatted, one line to the
 * sink, the length of the message. */
static uint64_t trace_print(uint64_t fmt, uint64_t fmt_size, const uint64_t *args, size_t nargs,
			    struct vm_run *run)
{
	char msg[BPRINTF_BUF];
	int n = bprintf_format(msg, sizeof(msg), (const char *)(uintptr_t)fmt,
			       (size_t)(uint32_t)fmt_size, args, nargs);

	if (n < 0)
		return (uint64_t)(int64_t)n;
	trace_line(msg, strlen(msg), run);
	return (uint64_t)n;
}

uint64_t helper_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2, uint64_t a3,
			     struct vm_run *run)
{
	const uint64_t args[3] = {a1, a2, a3};

	return trace_print(fmt, fmt_size, args, 3, run);
}

/* The argument array of snprintf and trace_vprintk: whole u64s, at most 12. */
static bool data_ok(uint64_t data, uint32_t len)
{
	return len % 8 == 0 && len / 8 <= BPRINTF_MAX_ARGS && (len == 0 || data);
}

uint64_t helper_trace_vprintk(uint64_t fmt, uint64_t fmt_size, uint64_t data, uint64_t data_len,
			      uint64_t r5, struct vm_run *run)
{
	(void)r5;
	if (!data_ok(data, (uint32_t)data_len))
		return (uint64_t)(int64_t)-EINVAL;
	return trace_print(fmt, fmt_size, (const uint64_t *)(uintptr_t)data, (uint32_t)data_len / 8,
			   run);
}

uint64_t helper_snprintf(uint64_t str, uint64_t str_size, uint64_t fmt, uint64_t data,
			 uint64_t data_len, struct vm_run *run)
{
	const char *f = (const char *)(uintptr_t)fmt;
	int n;

	(void)run;
	if (!data_ok(data, (uint32_t)data_len))
		return (uint64_t)(int64_t)-EINVAL;
	/* checked first, so that a refused format leaves str alone */
	n = bprintf_format(NULL, 0, f, strlen(f) + 1, (const uint64_t *)(uintptr_t)data,
			   (uint32_t)data_len / 8);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	bprintf_format((char *)(uintptr_t)str, (uint32_t)str_size, f, strlen(f) + 1,
		       (const uint64_t *)(uintptr_t)data, (uint32_t)data_len / 8);
	return (uint64_t)n + 1; /* the length of the whole, with its NUL */
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
