/* Unit tests of the log sink (tail kept, size needed reported) and hex decoding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/util/hex.h"
#include "../../src/util/log.h"
#include "../../src/util/sha256.h"
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

/* FIPS 180-4's examples, plus lengths around the padding boundary. */
static void test_sha256(void)
{
	static const struct {
		const char *msg, *hex;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"0123456789012345678901234567890123456789012345678901234567890123",
		 "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t d[32];
		char hex[65];

		sha256(v[i].msg, strlen(v[i].msg), d);
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		CHECK(!strcmp(hex, v[i].hex), "sha256(\"%s\") = %s", v[i].msg, hex);
	}
}

int main(void)
{
	test_log_keeps_tail();
	test_hex();
	test_sha256();
	return TEST_DONE();
}
