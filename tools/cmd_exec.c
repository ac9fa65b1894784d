/* bpfhost exec: runs one program on one block of memory, speaking the protocol
 * of the bpf_conformance suite's plugins: the program as hex text on standard
 * input, the memory as an argument (hex bytes), r1 = a writable copy of the
 * memory, r2 = its length; prints r0 in hex and exits 0, or prints an error
 * on standard error and exits 1. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../include/bpfhost.h"
#include "../src/helpers/testenv.h"
#include "../src/util/hex.h"
#include "../src/util/log.h"
#include "../src/vm/vm.h"
#include "cli.h"

static const char exec_help[] =
	"usage: bpfhost exec [--interp fast|checked] [--repeat N] [--max-insns N] [MEMORY]\n"
	"Runs the program given as hex text on standard input (--program FILE reads\n"
	"raw or hex instructions from FILE instead). MEMORY is hex bytes (whitespace\n"
	"between them is allowed); the program gets r1 = a writable copy of it and\n"
	"r2 = its length, and LD_ABS/LD_IND read it as the packet. Prints r0 in hex.\n"
	"  --interp checked   the default: every access, jump and call is checked and\n"
	"                     a fault is reported with its instruction and address\n"
	"  --interp fast      no run-time checks: for programs a verifier accepted\n"
	"  --max-insns N      checked only: stop after N instructions (default 100000000)\n"
	"  --repeat N         run N times; report the mean time per run on stderr\n"
	"  --dump-memory      print the memory after the run on stderr, as hex\n"
	"  --map NAME:TYPE:KEY:VALUE:MAX\n"
	"                     create a map (type, key and value sizes, max entries as\n"
	"                     numbers); an LD_IMM64 of src 1 whose imm is the map's index\n"
	"                     among the --map options gets its fd. With maps, the program\n"
	"                     runs as the kernel's would: loaded through bpf() as a\n"
	"                     syscall program with the kernel's helpers, on MEMORY as its\n"
	"                     context; r0 is the 32-bit test-run return value\n";

#define MAX_MAPS 16

struct exec_opts {
	int checked;
	unsigned map_cnt;
	union bpf_attr maps[MAX_MAPS];
	unsigned long long repeat;
	unsigned long long max_insns;
	int dump_memory;
	const char *program;
	const char *memory;
};

/* --map NAME:TYPE:KEY:VALUE:MAX into the attributes of a BPF_MAP_CREATE */
static int parse_map(const char *arg, struct exec_opts *o)
{
	union bpf_attr *a;
	char name[64];
	unsigned type, key, value, max;

	if (o->map_cnt >= MAX_MAPS)
		return cli_error("exec: at most %d --map options", MAX_MAPS);
	if (sscanf(arg, "%63[^:]:%u:%u:%u:%u", name, &type, &key, &value, &max) != 5)
		return cli_error("exec: --map takes NAME:TYPE:KEY:VALUE:MAX, not '%s'", arg);
	a = &o->maps[o->map_cnt++];
	memset(a, 0, sizeof(*a));
	a->map_type = type;
	a->key_size = key;
	a->value_size = value;
	a->max_entries = max;
	snprintf(a->map_name, sizeof(a->map_name), "%.15s", name);
	return 0;
}

static int parse_opts(int argc, char **argv, struct exec_opts *o)
{
	static const struct option opts[] = {
		{"interp", required_argument, NULL, 'i'},
		{"repeat", required_argument, NULL, 'n'},
		{"max-insns", required_argument, NULL, 'm'},
		{"program", required_argument, NULL, 'p'},
		{"dump-memory", no_argument, NULL, 'd'},
		{"map", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->checked = 1;
	o->repeat = 1;
	while ((c = getopt_long(argc, argv, "i:n:m:p:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!strcmp(optarg, "fast"))
				o->checked = 0;
			else if (!strcmp(optarg, "checked"))
				o->checked = 1;
			else
				return cli_error(
					"exec: --interp takes 'fast' or 'checked', not '%s'",
					optarg);
			break;
		case 'n':
		case 'm':
			errno = 0;
			if (optarg[0] == '-' ||
			    (c == 'n' ? (o->repeat = strtoull(optarg, &end, 0))
				      : (o->max_insns = strtoull(optarg, &end, 0))) == 0 ||
			    *end || errno)
				return cli_error("exec: --%s takes a positive number, not '%s'",
						 c == 'n' ? "repeat" : "max-insns", optarg);
			break;
		case 'p': o->program = optarg; break;
		case 'd': o->dump_memory = 1; break;
		case 'M':
			if (parse_map(optarg, o))
				return 1;
			break;
		case 'h': fputs(exec_help, stdout); exit(0);
		default: fputs(exec_help, stderr); return 2;
		}
	}
	if (argc - optind > 1)
		return cli_error("exec: too many arguments: the memory is one argument of hex "
				 "bytes (quote it)");
	o->memory = argv[optind];
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run_once(struct vm_run *run, const struct exec_opts *o, uint8_t *mem, size_t mem_len)
{
	vm_run_init(run, run->prog);
	run->helpers = testenv_helpers();
	run->args[0] = mem_len ? (uint64_t)(uintptr_t)mem : 0;
	run->args[1] = mem_len;
	run->pkt = mem;
	run->pkt_len = mem_len;
	run->insn_limit = o->max_insns;
	if (mem_len)
		vm_run_add_region(run, mem, mem_len, "mem", true);
	return o->checked ? vm_exec_checked(run) : vm_exec_fast(run);
}

static int report_repeat(struct vm_run *run, const struct exec_opts *o, uint8_t *mem,
			 const uint8_t *orig, size_t mem_len)
{
	double t0, t1, per_run;
	uint64_t insns;
	int err = 0;

	t0 = now_ns();
	for (unsigned long long i = 0; i < o->repeat && !err; i++) {
		memcpy(mem, orig, mem_len);
		err = run_once(run, o, mem, mem_len);
	}
	t1 = now_ns();
	if (err)
		return err;
	per_run = (t1 - t0) / (double)o->repeat;
	/* the checked interpreter counts what one run executes */
	memcpy(mem, orig, mem_len);
	struct exec_opts counted = *o;
	counted.checked = 1;
	err = run_once(run, &counted, mem, mem_len);
	insns = run->insn_executed;
	fprintf(stderr,
		"%s: %llu runs, mean %.1f ns per run, %llu instructions per run, "
		"%.3f ns per instruction\n",
		o->checked ? "checked" : "fast", (unsigned long long)o->repeat, per_run,
		(unsigned long long)insns, insns ? per_run / (double)insns : 0.0);
	memcpy(mem, orig, mem_len);
	return err ? err : run_once(run, o, mem, mem_len);
}

/* With maps: create them, give the program their fds, load it through bpf()
 * and test-run it on the memory as its context, as the kernel would. */
static int exec_with_maps(struct exec_opts *o, struct bpf_insn *insns, size_t cnt, uint8_t *mem,
			  size_t mem_len)
{
	int fds[MAX_MAPS], pfd;
	char log[8192] = "";
	union bpf_attr a;

	for (unsigned i = 0; i < o->map_cnt; i++) {
		fds[i] = (int)bpfhost_sys_bpf(BPF_MAP_CREATE, &o->maps[i], sizeof(o->maps[i]));
		if (fds[i] < 0)
			return cli_error("exec: --map %s: %s", o->maps[i].map_name,
					 strerror(errno));
	}
	for (size_t i = 0; i + 1 < cnt; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_FD) {
			if (insns[i].imm < 0 || (unsigned)insns[i].imm >= o->map_cnt)
				return cli_error(
					"exec: insn %zu names map %d, but there are %u --map "
					"options",
					i, insns[i].imm, o->map_cnt);
			insns[i].imm = fds[insns[i].imm];
		}
		i++;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = (uint32_t)cnt;
	a.license = (uint64_t)(uintptr_t) "GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	pfd = (int)bpfhost_sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (pfd < 0) {
		fputs(log, stderr);
		return cli_error("exec: load: %s", strerror(errno));
	}
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)pfd;
	if (mem_len) {
		a.test.ctx_in = (uint64_t)(uintptr_t)mem;
		a.test.ctx_size_in = (uint32_t)mem_len;
	}
	if (bpfhost_sys_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)))
		return cli_error("exec: test run: %s", strerror(errno));
	printf("%x\n", a.test.retval);
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	struct exec_opts o;
	struct bpf_insn *insns;
	struct vm_prog *prog = NULL;
	struct vm_run *run = NULL;
	uint8_t *mem = NULL, *orig = NULL;
	size_t cnt, mem_len = 0, bad;
	char logbuf[4096];
	struct ulog log;
	int err, ret = 1;

	err = parse_opts(argc, argv, &o);
	if (err)
		return err;
	err = cli_program_bytes(o.program, o.program ? 0 : 'x', &insns, &cnt);
	if (err)
		return err;
	if (o.memory && hex_decode(o.memory, strlen(o.memory), &orig, &mem_len, &bad)) {
		cli_error("exec: memory argument is not hex bytes: character %zu is '%c'", bad,
			  o.memory[bad]);
		goto out;
	}
	mem = malloc(mem_len ? mem_len : 1);
	run = malloc(sizeof(*run));
	if (!mem || !run) {
		cli_error("exec: out of memory");
		goto out;
	}
	if (mem_len)
		memcpy(mem, orig, mem_len);
	if (o.map_cnt) {
		ret = exec_with_maps(&o, insns, cnt, mem, mem_len);
		goto out;
	}
	ulog_init(&log, logbuf, sizeof(logbuf));
	err = vm_prog_create(insns, cnt, &log, &prog);
	if (err) {
		fputs(logbuf, stderr);
		cli_error("exec: invalid program (%s)", strerror(-err));
		goto out;
	}
	if (mem_len)
		memcpy(mem, orig, mem_len);
	run->prog = prog;
	err = o.repeat > 1 ? report_repeat(run, &o, mem, orig, mem_len)
			   : run_once(run, &o, mem, mem_len);
	if (err) {
		cli_error("exec: %s", run->fault.msg[0] ? run->fault.msg : strerror(-err));
		goto out;
	}
	if (o.dump_memory) {
		for (size_t i = 0; i < mem_len; i++)
			fprintf(stderr, "%02x%c", mem[i], i + 1 == mem_len ? '\n' : ' ');
	}
	printf("%llx\n", (unsigned long long)run->r0);
	ret = 0;
out:
	vm_prog_free(prog);
	free(run);
	free(mem);
	free(orig);
	free(insns);
	return ret;
}
