/* Unit tests of the log sink (tail kept, size needed reported) and hex decoding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/util/hex.h"
#include "../../src/util/log.h"
#include "test_util.h"

static void test_log_keeps_tail(void)
{
	char buf[16];
	struct ulog log;

	ulog_init(&log, buf, sizeof(buf));
	ulog_printf(&log, "first line\n");
	CHECK(!strcmp(buf, "first line\n") && !ulog_truncated(&log), "'%s'", buf);
	ulog_printf(&log, "the error: %d\n", 42);
	CHECK(!strcmp(buf, "he error: 42\n") || strlen(buf) == sizeof(buf) - 1, "'%s'", buf);
	CHECK(strstr(buf, "error: 42\n") != NULL, "tail lost: '%s'", buf);
	CHECK(ulog_truncated(&log) && log.len_total == strlen("first line\nthe error: 42\n"),
	      "len_total %zu", log.len_total);
	/* one message longer than the whole buffer keeps its end */
	ulog_printf(&log, "%s", "0123456789abcdefghijXYZ");
	CHECK(!strcmp(buf, "9abcdefghijXYZ") || strlen(buf) == 15, "'%s'", buf);
	CHECK(buf[strlen(buf) - 1] == 'Z', "'%s'", buf);
	ulog_printf(NULL, "ignored %d", 1);
	ulog_init(&log, NULL, 100);
	ulog_printf(&log, "counted");
	CHECK(log.len_total == 7 && log.len == 0, "NULL buffer still counts");
}

static void test_hex(void)
{
	uint8_t *out;
	size_t len, bad;

	CHECK(hex_decode("00 ff\n1A", 8, &out, &len, &bad) == 0 && len == 3 && out[0] == 0 &&
		      out[1] == 0xff && out[2] == 0x1a,
	      "decode");
	free(out);
	CHECK(hex_decode("0g", 2, &out, &len, &bad) == -EINVAL && bad == 1, "bad digit at %zu",
	      bad);
	CHECK(hex_decode("abc", 3, &out, &len, &bad) == -EINVAL && bad == 3, "odd count at %zu",
	      bad);
	CHECK(hex_decode("", 0, &out, &len, &bad) == 0 && len == 0, "empty");
	free(out);
	CHECK(hex_looks_like((const uint8_t *)"b7 00\n", 6), "hex text");
	CHECK(!hex_looks_like((const uint8_t *)"\xb7\x00", 2), "raw bytes");
	CHECK(!hex_looks_like((const uint8_t *)"  \n", 3), "only whitespace");
}

int main(void)
{
	test_log_keeps_tail();
	test_hex();
	return TEST_DONE();
}
