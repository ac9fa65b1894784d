/* bpfhost asm / disasm: text <-> instruction bytes. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/isa/isa.h"
#include "../src/util/log.h"
#include "cli.h"

static const char asm_help[] =
	"usage: bpfhost asm [--hex] [-o OUT] [FILE]\n"
	"Assembles FILE (default: standard input), one instruction per line in the\n"
	"kernel's syntax (r0 = 42, if r1 > 0x10 goto +3, call 1, exit, ...), labels\n"
	"'name:', comments after '#', ';' or '//'. Writes raw 8-byte instructions to\n"
	"OUT (default: standard output), or hex text with --hex.\n";

int cmd_asm(int argc, char **argv)
{
	static const struct option opts[] = {
		{"hex", no_argument, NULL, 'x'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out_path = NULL;
	char logbuf[4096];
	struct bpf_insn *insns;
	struct ulog log;
	uint8_t *text;
	size_t len, cnt;
	int hex = 0, c, err;
	FILE *out = stdout;

	while ((c = getopt_long(argc, argv, "xo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'x': hex = 1; break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(asm_help, stdout); return 0;
		default: fputs(asm_help, stderr); return 2;
		}
	}
	if (argc - optind > 1)
		return cli_error("asm: too many arguments (one input file at most)");
	err = cli_read_input(argv[optind], &text, &len);
	if (err)
		return cli_error("asm: cannot read %s: %s", argv[optind] ? argv[optind] : "stdin",
				 strerror(-err));
	if (memchr(text, '\0', len)) {
		free(text);
		return cli_error("asm: input holds a NUL byte: not assembly text");
	}
	ulog_init(&log, logbuf, sizeof(logbuf));
	err = isa_asm((const char *)text, &insns, &cnt, &log);
	free(text);
	if (err) {
		fputs(logbuf, stderr);
		return cli_error("asm: %s: %s", argv[optind] ? argv[optind] : "stdin",
				 err == -ENOMEM ? "out of memory" : "assembly failed");
	}
	if (out_path && !(out = fopen(out_path, hex ? "w" : "wb"))) {
		free(insns);
		return cli_error("asm: cannot open %s: %s", out_path, strerror(errno));
	}
	if (hex) {
		const uint8_t *b = (const uint8_t *)insns;

		for (size_t i = 0; i < cnt * sizeof(*insns); i++)
			fprintf(out, "%02x", b[i]);
		fputc('\n', out);
	} else {
		fwrite(insns, sizeof(*insns), cnt, out);
	}
	free(insns);
	if ((out != stdout && fclose(out)) || (out == stdout && fflush(out)))
		return cli_error("asm: write failed: %s", strerror(errno));
	return 0;
}

static const char disasm_help[] =
	"usage: bpfhost disasm [--hex|--raw] [-v] [FILE]\n"
	"Disassembles FILE (default: standard input): raw 8-byte instructions, or hex\n"
	"text (detected, or forced with --hex/--raw). Prints one instruction per line;\n"
	"-v prefixes each with its index and opcode as the kernel's verifier log does.\n"
	"Bytes that are no valid instruction print as '.raw CODE DST SRC OFF IMM'.\n";

int cmd_disasm(int argc, char **argv)
{
	static const struct option opts[] = {
		{"hex", no_argument, NULL, 'x'},
		{"raw", no_argument, NULL, 'r'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct bpf_insn *insns;
	int force = 0, verbose = 0, c, err;
	size_t cnt;

	while ((c = getopt_long(argc, argv, "xrvh", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
		case 'r': force = c; break;
		case 'v': verbose = 1; break;
		case 'h': fputs(disasm_help, stdout); return 0;
		default: fputs(disasm_help, stderr); return 2;
		}
	}
	if (argc - optind > 1)
		return cli_error("disasm: too many arguments (one input file at most)");
	err = cli_program_bytes(argv[optind], force, &insns, &cnt);
	if (err)
		return err;
	for (size_t i = 0; i < cnt;) {
		char line[128];
		int n = isa_disasm_insn(insns, cnt, i, line, sizeof(line));

		if (verbose)
			printf("%4zu: (%02x) %s\n", i, insns[i].code, line);
		else
			printf("%s\n", line);
		i += n ? (size_t)n : 1;
	}
	free(insns);
	return fflush(stdout) ? cli_error("disasm: write failed: %s", strerror(errno)) : 0;
}
