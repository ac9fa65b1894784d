/* bpfhost: entry point and the helpers shared by subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util/hex.h"
#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"asm", cmd_asm, "asm [--hex] [-o OUT] [FILE]      assemble text into raw bytes (or hex)"},
	{"disasm", cmd_disasm,
	 "disasm [--hex|--raw] [-v] [FILE] disassemble raw bytes or hex text"},
	{"map", cmd_map, "map show|dump|lookup|update|delete|pin ...   maps (map help)"},
	{"prog", cmd_prog, "prog load|show|dump ...                    programs (prog help)"},
	{"run", cmd_run,
	 "run OBJECT [--prog NAME] --pcap CAPTURE [--out OUT]\n"
	 "                                   run an XDP, tc or socket filter program over a "
	 "capture"},
	{"trace", cmd_trace, "trace [--follow] [--clear]                 bpf_trace_printk output"},
	{"exec", cmd_exec,
	 "exec [--interp fast|checked] [--repeat N] [--max-insns N] [MEMORY]\n"
	 "                                   run a program (hex on stdin) on "
	 "MEMORY (hex bytes)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfhost COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	fprintf(f, "\n'bpfhost COMMAND --help' describes a command.\n");
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bpfhost: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_read_input(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = stdin;
	int err;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "rb");
		if (!f)
			return -errno;
	}
	err = file_read_all(f, buf, len);
	if (f != stdin)
		fclose(f);
	return err;
}

int cli_program_bytes(const char *path, int force, struct bpf_insn **insns, size_t *cnt)
{
	const char *name = path && strcmp(path, "-") ? path : "standard input";
	uint8_t *buf, *bytes;
	size_t len, n, bad;
	int err;

	err = cli_read_input(path, &buf, &len);
	if (err)
		return cli_error("cannot read %s: %s", name, strerror(-err));
	if (force == 'x' || (force != 'r' && hex_looks_like(buf, len))) {
		err = hex_decode((const char *)buf, len, &bytes, &n, &bad);
		if (err) {
			cli_error("%s: not hex text: byte %zu is '%c'", name, bad,
				  buf[bad] >= 32 && buf[bad] < 127 ? buf[bad] : '?');
			free(buf);
			return 1;
		}
		free(buf);
	} else {
		bytes = buf;
		n = len;
	}
	if (n % sizeof(struct bpf_insn)) {
		free(bytes);
		return cli_error("%s: %zu bytes is not a whole number of 8-byte instructions", name,
				 n);
	}
	*insns = (struct bpf_insn *)bytes;
	*cnt = n / sizeof(struct bpf_insn);
	return 0;
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	/* As "bpfhost-exec" this is a bpf_conformance plugin: its runner starts
	 * PLUGIN [MEMORY] [OPTIONS...] and cannot put a command word first. */
	if (!strcmp(self, "bpfhost-exec"))
		return cmd_exec(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "-j")) {
		cli_json = 1;
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
