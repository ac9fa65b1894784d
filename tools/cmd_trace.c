/* bpfhost trace: the lines programs wrote with bpf_trace_printk, from the
 * object directory's trace_pipe (every process appends there). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/obj.h"
#include "../src/core/tracepipe.h"
#include "cli.h"

static const char trace_help[] =
	"usage: bpfhost trace [--follow] [--clear]\n"
	"Prints what programs wrote with bpf_trace_printk (the object directory's\n"
	"trace_pipe, and trace_pipe.old, the lines before its last rotation: the\n"
	"two keep the last 2-4 MiB, or BPFHOST_TRACE_PIPE_MAX bytes each). --follow\n"
	"keeps printing new lines until interrupted; --clear empties it after\n"
	"printing.\n";

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{"follow", no_argument, NULL, 'f'},
		{"clear", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct tracepipe_reader r;
	int follow = 0, clear = 0, c, err;
	char buf[4096];
	ssize_t n;

	while ((c = getopt_long(argc, argv, "fch", opts, NULL)) != -1) {
		switch (c) {
		case 'f': follow = 1; break;
		case 'c': clear = 1; break;
		case 'h': fputs(trace_help, stdout); return 0;
		default: fputs(trace_help, stderr); return 2;
		}
	}
	if (optind < argc)
		return cli_error("trace: unexpected argument '%s'", argv[optind]);
	err = tracepipe_open(&r, false);
	if (err)
		return cli_error("trace: cannot open %s/trace_pipe: %s", obj_dir(), strerror(-err));
	for (;;) {
		while ((n = tracepipe_read(&r, buf, sizeof(buf))) > 0)
			if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
				break;
		fflush(stdout);
		if (!follow)
			break;
		usleep(100000);
	}
	tracepipe_close(&r);
	if (clear && (err = tracepipe_clear()))
		return cli_error("trace: cannot clear %s/trace_pipe: %s", obj_dir(),
				 strerror(-err));
	return 0;
}
