/* bpfhost map ... / prog ...: bpftool's spirit on bpfhost's objects, which
 * live in the object directory (pins) and are found by path or by id. The
 * tool is its own bpf() caller: bpfhost_bpf directly, and libbpf (for prog
 * load) routed to bpfhost at link time. Keys and values print as hex, and as
 * C-like text through their BTF when the map has one; -j prints JSON. */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../include/bpfhost.h"
#include "../src/core/prog.h"
#include "../src/isa/isa.h"
#include "../src/maps/map.h"
#include "cli.h"

int cli_json;

static long B(int cmd, union bpf_attr *a)
{
	return bpfhost_sys_bpf(cmd, a, sizeof(*a));
}

/* "id N", "pinned PATH" or "PATH": an fd, or -1 after printing why. */
static int open_obj(int *argc, char ***argv, int by_id_cmd, const char *what)
{
	union bpf_attr a;
	char *end;
	int fd;

	memset(&a, 0, sizeof(a));
	if (*argc >= 2 && !strcmp((*argv)[0], "id")) {
		a.map_id = (uint32_t)strtoul((*argv)[1], &end, 0);
		if (*end || !a.map_id) {
			cli_error("%s id '%s' is not a number", what, (*argv)[1]);
			return -1;
		}
		fd = (int)B(by_id_cmd, &a);
		if (fd < 0)
			cli_error("no %s with id %s: %s", what, (*argv)[1], strerror(errno));
		*argc -= 2;
		*argv += 2;
		return fd;
	}
	if (*argc >= 2 && !strcmp((*argv)[0], "pinned")) {
		(*argc)--;
		(*argv)++;
	}
	if (*argc < 1) {
		cli_error("which %s? give 'id N' or a pinned path", what);
		return -1;
	}
	a.pathname = (uint64_t)(uintptr_t)(*argv)[0];
	fd = (int)B(BPF_OBJ_GET, &a);
	if (fd < 0)
		cli_error("cannot open %s pinned at %s: %s", what, (*argv)[0], strerror(errno));
	(*argc)--;
	(*argv)++;
	return fd;
}

static int info_of(int fd, void *info, uint32_t len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = len;
	a.info.info = (uint64_t)(uintptr_t)info;
	return (int)B(BPF_OBJ_GET_INFO_BY_FD, &a);
}

/* ---- maps ---- */

static void show_map(const struct bpf_map_info *m, int first)
{
	if (cli_json) {
		printf("%s{\"id\":%u,\"type\":\"%s\",\"name\":\"%s\",\"flags\":%u,\"bytes_key\":%u,"
		       "\"bytes_value\":%u,\"max_entries\":%u",
		       first ? "" : ",", m->id, map_type_name(m->type), m->name, m->map_flags,
		       m->key_size, m->value_size, m->max_entries);
		if (m->btf_id)
			printf(",\"btf_id\":%u", m->btf_id);
		printf("}");
		return;
	}
	printf("%u: %s  name %s  flags 0x%x\n\tkey %uB  value %uB  max_entries %u\n", m->id,
	       map_type_name(m->type), m->name, m->map_flags, m->key_size, m->value_size,
	       m->max_entries);
	if (m->btf_id)
		printf("\tbtf_id %u\n", m->btf_id);
}

static int map_show(int argc, char **argv)
{
	struct bpf_map_info info;
	union bpf_attr a;
	int fd, first = 1;

	if (cli_json)
		printf("[");
	if (argc > 0) {
		fd = open_obj(&argc, &argv, BPF_MAP_GET_FD_BY_ID, "map");
		if (fd < 0)
			return 1;
		memset(&info, 0, sizeof(info));
		if (!info_of(fd, &info, sizeof(info)))
			show_map(&info, 1);
		close(fd);
	}
	for (memset(&a, 0, sizeof(a)); argc == 0 && !B(BPF_MAP_GET_NEXT_ID, &a);
	     a.start_id = a.next_id) {
		union bpf_attr g;

		memset(&g, 0, sizeof(g));
		g.map_id = a.next_id;
		fd = (int)B(BPF_MAP_GET_FD_BY_ID, &g);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!info_of(fd, &info, sizeof(info)))
			show_map(&info, first);
		first = 0;
		close(fd);
	}
	if (cli_json)
		printf("]\n");
	return 0;
}

/* The map's BTF, parsed, or NULL. */
static struct btf *map_btf(const struct bpf_map_info *m)
{
	struct bpf_btf_info bi;
	union bpf_attr a;
	struct btf *btf = NULL;
	void *raw;
	int fd;

	if (!m->btf_id)
		return NULL;
	memset(&a, 0, sizeof(a));
	a.btf_id = m->btf_id;
	fd = (int)B(BPF_BTF_GET_FD_BY_ID, &a);
	if (fd < 0)
		return NULL;
	memset(&bi, 0, sizeof(bi));
	if (!info_of(fd, &bi, sizeof(bi)) && (raw = malloc(bi.btf_size))) {
		memset(&bi, 0, sizeof(bi));
		bi.btf = (uint64_t)(uintptr_t)raw;
		bi.btf_size = 16 << 20;
		if (!info_of(fd, &bi, sizeof(bi)))
			btf = btf__new(raw, bi.btf_size);
		if (libbpf_get_error(btf))
			btf = NULL;
		free(raw);
	}
	close(fd);
	return btf;
}

static void print_vprintf(void *ctx, const char *fmt, va_list ap)
{
	(void)ctx;
	vprintf(fmt, ap);
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void print_hex(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (cli_json)
			printf("%s\"0x%02x\"", i ? "," : "", p[i]);
		else
			printf("%02x%s", p[i], i + 1 < n ? " " : "");
	}
}

/* One key or value: hex, and its BTF rendering when there is one. */
static void print_datum(const char *label, struct btf_dump *d, uint32_t type_id, const uint8_t *p,
			uint32_t n, int last)
{
	if (cli_json) {
		printf("\"%s\":[", label);
		print_hex(p, n);
		printf("]%s", last ? "" : ",");
		return;
	}
	printf("%s: ", label);
	if (d && type_id) {
		LIBBPF_OPTS(btf_dump_type_data_opts, o, .compact = true, .emit_zeroes = true);

		btf_dump__dump_type_data(d, type_id, p, n, &o);
	} else {
		print_hex(p, n);
	}
	printf(last ? "\n" : "  ");
}

int cli_dump_map(int fd, bool skip_zero)
{
	struct bpf_map_info m;
	struct btf_dump *d = NULL;
	struct btf *btf;
	union bpf_attr a;
	uint8_t *key, *next, *val;
	uint32_t vsize, count = 0, zeros = 0;
	int err, first = 1;

	memset(&m, 0, sizeof(m));
	if (info_of(fd, &m, sizeof(m)))
		return cli_error("map info: %s", strerror(errno));
	vsize = map_is_percpu(m.type) ? round_up8(m.value_size) * map_possible_cpus()
				      : m.value_size;
	key = calloc(1, m.key_size + 1);
	next = calloc(1, m.key_size + 1);
	val = calloc(1, vsize + 1);
	btf = map_btf(&m);
	if (btf)
		d = btf_dump__new(btf, print_vprintf, NULL, NULL);
	if (cli_json)
		printf("[");
	for (err = 0;; first = 0) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		a.key = first ? 0 : (uint64_t)(uintptr_t)key;
		a.next_key = (uint64_t)(uintptr_t)next;
		if (B(BPF_MAP_GET_NEXT_KEY, &a)) {
			err = errno == ENOENT ? 0 : errno;
			break;
		}
		memcpy(key, next, m.key_size);
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		a.key = (uint64_t)(uintptr_t)key;
		a.value = (uint64_t)(uintptr_t)val;
		if (B(BPF_MAP_LOOKUP_ELEM, &a))
			continue; /* deleted meanwhile */
		if (skip_zero && all_zero(val, vsize)) {
			zeros++;
			continue;
		}
		if (cli_json)
			printf("%s{", count ? "," : "");
		print_datum("key", d, m.btf_key_type_id, key, m.key_size, 0);
		print_datum("value", d, m.btf_value_type_id, val,
			    map_is_percpu(m.type) ? vsize : m.value_size, 1);
		if (cli_json)
			printf("}");
		count++;
	}
	if (cli_json)
		printf("]\n");
	else if (zeros)
		printf("Found %u element%s (and %u of zeros, not shown)\n", count,
		       count == 1 ? "" : "s", zeros);
	else
		printf("Found %u element%s\n", count, count == 1 ? "" : "s");
	btf_dump__free(d);
	btf__free(btf);
	free(key);
	free(next);
	free(val);
	return err ? cli_error("map dump: %s", strerror(err)) : 0;
}

static int map_dump(int argc, char **argv)
{
	int fd = open_obj(&argc, &argv, BPF_MAP_GET_FD_BY_ID, "map"), err;

	if (fd < 0)
		return 1;
	err = cli_dump_map(fd, false);
	close(fd);
	return err;
}

/* "key HEX..." / "value HEX...": exactly n bytes into out. */
static int parse_bytes(int *argc, char ***argv, const char *word, uint8_t *out, uint32_t n)
{
	if (*argc < 1 || strcmp((*argv)[0], word))
		return cli_error("expected '%s' and %u byte%s", word, n, n == 1 ? "" : "s");
	(*argc)--;
	(*argv)++;
	for (uint32_t i = 0; i < n; i++, (*argc)--, (*argv)++) {
		char *end;
		unsigned long v;

		if (*argc < 1)
			return cli_error("%s: %u bytes needed, %u given", word, n, i);
		v = strtoul((*argv)[0], &end, 0);
		if (*end || v > 255)
			return cli_error("%s byte %u: '%s' is not a byte (0-255, or 0x..)", word, i,
					 (*argv)[0]);
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int map_elem(int cmd, int argc, char **argv)
{
	struct bpf_map_info m;
	union bpf_attr a;
	uint8_t *key, *val;
	uint32_t vsize;
	int fd, err = 0;

	fd = open_obj(&argc, &argv, BPF_MAP_GET_FD_BY_ID, "map");
	if (fd < 0)
		return 1;
	memset(&m, 0, sizeof(m));
	if (info_of(fd, &m, sizeof(m)))
		return cli_error("map info: %s", strerror(errno));
	vsize = map_is_percpu(m.type) ? round_up8(m.value_size) * map_possible_cpus()
				      : m.value_size;
	key = calloc(1, m.key_size + 1);
	val = calloc(1, vsize + 1);
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = m.key_size ? (uint64_t)(uintptr_t)key : 0;
	if (cmd != BPF_MAP_DELETE_ELEM) /* delete takes no value: the kernel checks */
		a.value = (uint64_t)(uintptr_t)val;
	if (m.key_size)
		err = parse_bytes(&argc, &argv, "key", key, m.key_size);
	if (!err && cmd == BPF_MAP_UPDATE_ELEM) {
		err = parse_bytes(&argc, &argv, "value", val, vsize);
		if (!err && argc > 0) {
			a.flags = !strcmp(argv[0], "noexist") ? BPF_NOEXIST
				  : !strcmp(argv[0], "exist") ? BPF_EXIST
				  : !strcmp(argv[0], "any")   ? BPF_ANY
							      : 99;
			if (a.flags == 99)
				err = cli_error("update flag '%s': any, exist or noexist", argv[0]);
		}
	}
	if (!err && B(cmd, &a))
		err = cli_error("%s: %s",
				cmd == BPF_MAP_LOOKUP_ELEM   ? "lookup"
				: cmd == BPF_MAP_UPDATE_ELEM ? "update"
							     : "delete",
				strerror(errno));
	if (!err && cmd == BPF_MAP_LOOKUP_ELEM) {
		if (cli_json)
			printf("{");
		print_datum("key", NULL, 0, key, m.key_size, 0);
		print_datum("value", NULL, 0, val, vsize, 1);
		if (cli_json)
			printf("}\n");
	}
	free(key);
	free(val);
	close(fd);
	return err;
}

static int map_pin(int argc, char **argv)
{
	union bpf_attr a;
	int fd = open_obj(&argc, &argv, BPF_MAP_GET_FD_BY_ID, "map");

	if (fd < 0)
		return 1;
	if (argc != 1)
		return cli_error("map pin: give the path to pin at");
	memset(&a, 0, sizeof(a));
	a.bpf_fd = (uint32_t)fd;
	a.pathname = (uint64_t)(uintptr_t)argv[0];
	if (B(BPF_OBJ_PIN, &a))
		return cli_error("pin at %s: %s", argv[0], strerror(errno));
	close(fd);
	return 0;
}

static const char map_help[] =
	"usage: bpfhost [-j] map show [id N | PATH]\n"
	"       bpfhost [-j] map dump id N | PATH\n"
	"       bpfhost [-j] map lookup id N | PATH key BYTES...\n"
	"       bpfhost map update id N | PATH key BYTES... value BYTES... [any|exist|noexist]\n"
	"       bpfhost map delete id N | PATH key BYTES...\n"
	"       bpfhost map pin id N | PATH NEW_PATH\n"
	"PATH is a pin (under /sys/fs/bpf or the object directory); BYTES are 0-255 or 0x..\n";

static int map_lookup(int argc, char **argv)
{
	return map_elem(BPF_MAP_LOOKUP_ELEM, argc, argv);
}

static int map_update(int argc, char **argv)
{
	return map_elem(BPF_MAP_UPDATE_ELEM, argc, argv);
}

static int map_delete(int argc, char **argv)
{
	return map_elem(BPF_MAP_DELETE_ELEM, argc, argv);
}

/* A command group's subcommands: argv[1] names one ("show" if none). */
struct subcmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

static int dispatch(const char *group, const char *help, const struct subcmd *cmds, int argc,
		    char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (!strcmp(sub, "help") || !strcmp(sub, "--help")) {
		fputs(help, stdout);
		return 0;
	}
	argc -= argc > 1 ? 2 : 1;
	argv += 2;
	for (; cmds->name; cmds++)
		if (!strcmp(sub, cmds->name))
			return cmds->run(argc, argv);
	fputs(help, stderr);
	return cli_error("unknown %s command '%s'", group, sub);
}

int cmd_map(int argc, char **argv)
{
	static const struct subcmd cmds[] = {
		{"show", map_show},	{"list", map_show},	{"dump", map_dump},
		{"lookup", map_lookup}, {"update", map_update}, {"delete", map_delete},
		{"pin", map_pin},	{NULL, NULL},
	};

	return dispatch("map", map_help, cmds, argc, argv);
}

/* ---- programs ---- */

static void show_prog(const struct bpf_prog_info *p, const uint32_t *map_ids, int first)
{
	char when[64] = "";
	time_t t = time(NULL);
	struct tm tm;

	if (cli_json) {
		printf("%s{\"id\":%u,\"type\":\"%s\",\"name\":\"%s\",\"gpl_compatible\":%s,"
		       "\"bytes_xlated\":%u,\"map_ids\":[",
		       first ? "" : ",", p->id, prog_type_name(p->type), p->name,
		       p->gpl_compatible ? "true" : "false", p->xlated_prog_len);
		for (uint32_t i = 0; i < p->nr_map_ids; i++)
			printf("%s%u", i ? "," : "", map_ids[i]);
		printf("]}");
		return;
	}
	(void)t;
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%FT%T%z", &tm);
	printf("%u: %s  name %s  tag ", p->id, prog_type_name(p->type), p->name);
	for (int i = 0; i < 8; i++)
		printf("%02x", p->tag[i]);
	printf("%s\n\txlated %uB  interpreted", p->gpl_compatible ? "  gpl" : "",
	       p->xlated_prog_len);
	if (p->nr_map_ids) {
		printf("  map_ids ");
		for (uint32_t i = 0; i < p->nr_map_ids; i++)
			printf("%s%u", i ? "," : "", map_ids[i]);
	}
	printf("\n");
}

static int prog_info_full(int fd, struct bpf_prog_info *p, uint32_t *map_ids, uint32_t nmaps,
			  struct bpf_insn *insns, uint32_t ninsns)
{
	memset(p, 0, sizeof(*p));
	p->nr_map_ids = nmaps;
	p->map_ids = (uint64_t)(uintptr_t)map_ids;
	p->xlated_prog_len = ninsns * (uint32_t)sizeof(*insns);
	p->xlated_prog_insns = (uint64_t)(uintptr_t)insns;
	return info_of(fd, p, sizeof(*p));
}

static int prog_show(int argc, char **argv)
{
	struct bpf_prog_info p;
	uint32_t ids[64];
	union bpf_attr a;
	int fd, first = 1;

	if (cli_json)
		printf("[");
	if (argc > 0) {
		fd = open_obj(&argc, &argv, BPF_PROG_GET_FD_BY_ID, "program");
		if (fd < 0)
			return 1;
		if (!prog_info_full(fd, &p, ids, 64, NULL, 0))
			show_prog(&p, ids, 1);
		close(fd);
	}
	for (memset(&a, 0, sizeof(a)); argc == 0 && !B(BPF_PROG_GET_NEXT_ID, &a);
	     a.start_id = a.next_id) {
		union bpf_attr g;

		memset(&g, 0, sizeof(g));
		g.prog_id = a.next_id;
		fd = (int)B(BPF_PROG_GET_FD_BY_ID, &g);
		if (fd < 0)
			continue;
		if (!prog_info_full(fd, &p, ids, 64, NULL, 0))
			show_prog(&p, ids, first);
		first = 0;
		close(fd);
	}
	if (cli_json)
		printf("]\n");
	return 0;
}

static int prog_dump(int argc, char **argv)
{
	struct bpf_prog_info p;
	struct bpf_insn *insns;
	uint32_t ids[64], n;
	int fd;

	fd = open_obj(&argc, &argv, BPF_PROG_GET_FD_BY_ID, "program");
	if (fd < 0)
		return 1;
	if (prog_info_full(fd, &p, ids, 64, NULL, 0))
		return cli_error("program info: %s", strerror(errno));
	n = p.xlated_prog_len / (uint32_t)sizeof(*insns);
	insns = calloc(n + 1, sizeof(*insns));
	if (!insns || prog_info_full(fd, &p, ids, 64, insns, n))
		return cli_error("program instructions: %s", strerror(errno));
	for (uint32_t i = 0; i < n;) {
		const struct bpf_insn *in = &insns[i];
		char line[160];
		int k;

		/* maps print as the kernel's dump does: by id */
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < n &&
		    (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE)) {
			if (in->src_reg == BPF_PSEUDO_MAP_FD)
				snprintf(line, sizeof(line), "r%d = map[id:%d]", in->dst_reg,
					 in->imm);
			else
				snprintf(line, sizeof(line), "r%d = map[id:%d][0]+%d", in->dst_reg,
					 in->imm, in[1].imm);
			k = 2;
		} else {
			k = isa_disasm_insn(insns, n, i, line, sizeof(line));
		}
		if (cli_json)
			printf("%s\"%s\"", i ? "," : "[", line);
		else
			printf("%4u: (%02x) %s\n", i, in->code, line);
		i += k ? (uint32_t)k : 1;
	}
	if (cli_json)
		printf("]\n");
	free(insns);
	close(fd);
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* Loads every program of OBJ (through Debian's libbpf, routed to bpfhost)
 * and pins the first at PATH, as bpftool prog load does. */
static int load_object(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	union bpf_attr a;
	int err;

	if (argc != 2)
		return cli_error("prog load: give OBJECT_FILE PIN_PATH");
	libbpf_set_print(libbpf_quiet);
	obj = bpf_object__open_file(argv[0], NULL);
	if (!obj)
		return cli_error("cannot open %s: %s", argv[0], strerror(errno));
	err = bpf_object__load(obj);
	if (err) {
		bpf_object__close(obj);
		return cli_error("cannot load %s: %s", argv[0], strerror(-err));
	}
	prog = bpf_object__next_program(obj, NULL);
	if (!prog) {
		bpf_object__close(obj);
		return cli_error("%s has no program", argv[0]);
	}
	memset(&a, 0, sizeof(a));
	a.bpf_fd = (uint32_t)bpf_program__fd(prog);
	a.pathname = (uint64_t)(uintptr_t)argv[1];
	err = B(BPF_OBJ_PIN, &a) ? errno : 0;
	bpf_object__close(obj);
	return err ? cli_error("cannot pin at %s: %s", argv[1], strerror(err)) : 0;
}

static const char prog_help[] = "usage: bpfhost prog load OBJECT_FILE PIN_PATH\n"
				"       bpfhost [-j] prog show [id N | PATH]\n"
				"       bpfhost [-j] prog dump id N | PATH\n";

int cmd_prog(int argc, char **argv)
{
	static const struct subcmd cmds[] = {
		{"show", prog_show},   {"list", prog_show}, {"dump", prog_dump},
		{"load", load_object}, {NULL, NULL},
	};

	return dispatch("prog", prog_help, cmds, argc, argv);
}
