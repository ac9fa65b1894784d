/* The bpfhost command-line tool: one function per subcommand. */
#ifndef BPFHOST_TOOLS_CLI_H
#define BPFHOST_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/bpf.h>

int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_prog(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* -j: print JSON */
extern int cli_json;

/* Prints "bpfhost: <message>" on stderr; returns 1 (the exit status of a failure). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints every element of the map behind fd (BTF-formatted when the map has
 * BTF; skip_zero: not those whose value is all zeros), then "Found N
 * elements"; 0, or 1 with an error printed. */
int cli_dump_map(int fd, bool skip_zero);
/* Reads a file ("-" or NULL: standard input) whole. */
int cli_read_input(const char *path, uint8_t **buf, size_t *len);
/* Program bytes from raw or hex text (auto-detected unless forced: 'r' or 'x'). */
int cli_program_bytes(const char *path, int force, struct bpf_insn **insns, size_t *cnt);

#endif
