/* The trace pipe's bound (src/core/tracepipe.c), with a 4 KiB limit
 * (BPFHOST_TRACE_PIPE_MAX) in a directory of its own: two processes write
 * numbered lines, ten times the limit in all; the files stay near the
 * limit, the older one is kept, a reader from the start and one that
 * followed from before the writing see each writer's lines in order and
 * the last line written, and clearing empties both. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/core/obj.h"
#include "../../src/core/tracepipe.h"
#include "test_util.h"

#define LIMIT 4096
#define LINES 400 /* per writer, about 100 bytes each: ten limits in all */

static void write_lines(char who)
{
	char line[128];

	for (int i = 0; i < LINES; i++) {
		int n = snprintf(
			line, sizeof(line),
			"writer %c line %04d ................................................"
			"...........\n",
			who, i);

		tracepipe_write(line, (size_t)n);
	}
}

/* Reads everything r has now into text (NUL-terminated). */
static size_t drain(struct tracepipe_reader *r, char *text, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 && (n = tracepipe_read(r, text + len, size - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = 0;
	return len;
}

/* Each writer's lines in text are in increasing order; *last gets the
 * number of each writer's last line (-1: none). */
static void check_order(const char *text, const char *what, int last[2])
{
	const char *p = text;

	last[0] = last[1] = -1;
	while ((p = strstr(p, "writer ")) != NULL) {
		char who;
		int i;

		if (sscanf(p, "writer %c line %d", &who, &i) == 2 && (who == 'a' || who == 'b')) {
			CHECK(i > last[who - 'a'], "%s: writer %c's line %d after %d", what, who, i,
			      last[who - 'a']);
			last[who - 'a'] = i;
		}
		p += 7;
	}
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

int main(void)
{
	char dir[] = "/tmp/bpfhost-tracepipe-XXXXXX", cur[600], old[600], cmd[700];
	static char text[64 << 10];
	struct tracepipe_reader follower, reader;
	int last[2], status;
	pid_t child;

	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	setenv("BPFHOST_DIR", dir, 1);
	setenv("BPFHOST_TRACE_PIPE_MAX", "4096", 1);
	snprintf(cur, sizeof(cur), "%s/trace_pipe", obj_dir());
	snprintf(old, sizeof(old), "%s/trace_pipe.old", obj_dir());

	CHECK(tracepipe_open(&follower, true) == 0, "open a follower");
	child = fork();
	if (child == 0) {
		write_lines('b');
		_exit(0);
	}
	write_lines('a');
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the second writer");
	tracepipe_write("writer a line 9000 the end\n", 27);

	/* each file near the limit: a writer looks after a sixteenth of it */
	CHECK(size_of(cur) > 0 && size_of(cur) <= LIMIT + 2 * (LIMIT / 16 + 128),
	      "trace_pipe: %lld bytes", (long long)size_of(cur));
	CHECK(size_of(old) >= LIMIT && size_of(old) <= LIMIT + 2 * (LIMIT / 16 + 128),
	      "trace_pipe.old: %lld bytes", (long long)size_of(old));

	CHECK(tracepipe_open(&reader, false) == 0, "open a reader");
	CHECK(drain(&reader, text, sizeof(text)) >= LIMIT, "reader: %zu bytes", strlen(text));
	check_order(text, "reader", last);
	CHECK(last[0] == 9000, "reader: the last line %d", last[0]);
	tracepipe_close(&reader);

	/* the follower was on the first file: what it read is in order, and it
	 * went on to the newest file */
	drain(&follower, text, sizeof(text));
	drain(&follower, text + strlen(text), sizeof(text) - strlen(text));
	check_order(text, "follower", last);
	CHECK(last[0] == 9000, "follower: the last line %d", last[0]);

	CHECK(tracepipe_clear() == 0, "clear");
	CHECK(size_of(cur) == 0 && size_of(old) == -1, "cleared: %lld, old %lld",
	      (long long)size_of(cur), (long long)size_of(old));
	/* a reader of the emptied file sees what comes after */
	tracepipe_write("writer a line 9999 after the clear\n", 35);
	drain(&follower, text, sizeof(text));
	CHECK(strstr(text, "line 9999 after the clear"), "the follower after a clear: '%s'", text);
	/* cleared again, and a line longer than what it had read of the file:
	 * still read from its start */
	CHECK(tracepipe_clear() == 0, "clear again");
	tracepipe_write("writer a line 9998 after a second clear, longer than the first\n", 63);
	drain(&follower, text, sizeof(text));
	CHECK(!strcmp(text, "writer a line 9998 after a second clear, longer than the first\n"),
	      "the follower after a second clear: '%s'", text);
	tracepipe_close(&follower);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0, "%s", cmd);
	return TEST_DONE();
}
