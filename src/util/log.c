/* Log sink that keeps the tail: see log.h. */
#include "log.h"

#include <stdio.h>
#include <string.h>

void ulog_init(struct ulog *log, char *buf, size_t size)
{
	log->buf = buf;
	log->size = buf ? size : 0;
	log->len = 0;
	log->len_total = 0;
	if (log->size)
		buf[0] = '\0';
}

void ulog_vprintf(struct ulog *log, const char *fmt, va_list ap)
{
	char tmp[1024];
	int n;
	size_t add, room;

	if (!log)
		return;
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0)
		return;
	add = (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1;
	log->len_total += add;
	if (log->size == 0)
		return;
	room = log->size - 1;
	if (add >= room) {
		memcpy(log->buf, tmp + (add - room), room);
		log->len = room;
	} else {
		if (log->len + add > room) {
			size_t drop = log->len + add - room;

			memmove(log->buf, log->buf + drop, log->len - drop);
			log->len -= drop;
		}
		memcpy(log->buf + log->len, tmp, add);
		log->len += add;
	}
	log->buf[log->len] = '\0';
}

void ulog_printf(struct ulog *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ulog_vprintf(log, fmt, ap);
	va_end(ap);
}

int ulog_truncated(const struct ulog *log)
{
	return log && log->len_total > log->len;
}

int ulog_error(char *buf, size_t size, int err, const char *fmt, ...)
{
	va_list ap;

	if (buf && size) {
		va_start(ap, fmt);
		vsnprintf(buf, size, fmt, ap);
		va_end(ap);
	}
	return err;
}
