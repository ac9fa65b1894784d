/* A log sink: messages for the user of one call, written into the caller's
 * buffer. When the buffer is too small the oldest text is dropped so that the
 * tail (where the error is) survives, and len_total tells the size needed.
 * A NULL log discards everything.
 */
#ifndef BPFHOST_UTIL_LOG_H
#define BPFHOST_UTIL_LOG_H

#include <stdarg.h>
#include <stddef.h>

struct ulog {
	char *buf;	  /* caller's buffer, NUL-terminated while size > 0 */
	size_t size;	  /* bytes in buf */
	size_t len;	  /* bytes of text now in buf */
	size_t len_total; /* bytes ever written (the size needed is len_total + 1) */
};

void ulog_init(struct ulog *log, char *buf, size_t size);
void ulog_printf(struct ulog *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ulog_vprintf(struct ulog *log, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int ulog_truncated(const struct ulog *log);

/* For calls that answer with an errno and a line saying why: the line into
 * buf (size bytes, if buf is given), then err returned. */
int ulog_error(char *buf, size_t size, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
