/* bpf_get_current_task and bpf_get_current_task_btf: a struct task_struct
 * for the calling thread, laid out as the running kernel's (its BTF,
 * /sys/kernel/btf/vmlinux, the same layout libbpf's CO-RE relocations read
 * it with), so that BPF_CORE_READ(task, real_parent, tgid) and direct loads
 * through the _btf pointer see what they would see in the kernel.
 *
 * Each thread gets an area: its task, its thread-group leader (itself on the
 * main thread), its parent process, its credentials. Filled fields: pid,
 * tgid, comm, real_parent, parent, group_leader, real_cred, cred (uid, gid,
 * suid, sgid, euid, egid, fsuid, fsgid), prio, static_prio, normal_prio,
 * start_time, start_boottime, mm (start_code, end_code, start_data,
 * end_data, start_brk, brk, start_stack, arg_start, arg_end, env_start,
 * env_end: where the program finds its command line and environment);
 * everything else is zero (__state 0 is TASK_RUNNING, flags 0 no
 * PF_KTHREAD; nsproxy, files and the like are NULL, so reading through them
 * fails as a faulting probe read does). comm and the
 * credentials are read again at every call, as bpf_get_current_comm and
 * bpf_get_current_uid_gid do. Areas are never freed, only handed to the next
 * new thread once their thread has ended: a pointer a program kept stays
 * readable. Without the kernel's BTF the helpers return 0 (NULL). */
#include "current_task.h"

#include <bpf/btf.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define COMM_LEN 16 /* TASK_COMM_LEN */

/* struct mm_struct's fields filled, with their field numbers in
 * /proc/<pid>/stat (proc(5)) */
static const struct {
	const char *name;
	int stat_field;
} mm_fields[] = {
	{"start_code", 26}, {"end_code", 27},  {"start_stack", 28}, {"start_data", 45},
	{"end_data", 46},   {"start_brk", 47}, {"arg_start", 48},   {"arg_end", 49},
	{"env_start", 50},  {"env_end", 51},
};
#define MM_FIELDS (sizeof(mm_fields) / sizeof(mm_fields[0]))
#define STAT_FIELDS 52

/* Where the filled fields are, in bytes; -1: the kernel has no such field. */
static struct {
	size_t task_size, cred_size, mm_size;
	long pid, tgid, comm, real_parent, parent, group_leader, real_cred, cred, mm;
	long prio, static_prio, normal_prio, start_time, start_boottime;
	long uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
	long mm_fields[MM_FIELDS];
	bool ok;
} lay;

struct task_area {
	struct task_area *next; /* every area there is */
	bool in_use;
	unsigned gen; /* fork generation it was filled in */
	uint8_t *self, *leader, *parent, *cred, *mm;
	size_t size;
	_Alignas(64) uint8_t mem[];
};

static pthread_once_t lay_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t areas_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_area *areas;
static pthread_key_t area_key;
static unsigned fork_gen; /* bumped in a forked child: every area is refilled */
static _Thread_local struct task_area *mine;

/* The byte offset of member name of struct id, looking into anonymous
 * struct and union members as C does; -1 if it has none. */
static long member_off(const struct btf *btf, uint32_t id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || (!btf_is_struct(t) && !btf_is_union(t)))
		return -1;
	m = btf_members(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		long off = (long)btf_member_bit_offset(t, i) / 8;

		if (n && *n) {
			if (!strcmp(n, name))
				return off;
			continue;
		}
		long inner = member_off(btf, btf__resolve_type(btf, m->type), name);

		if (inner >= 0)
			return off + inner;
	}
	return -1;
}

static void find_layout(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int32_t task, cred, mm;

	if (!btf)
		return;
	task = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	cred = btf__find_by_name_kind(btf, "cred", BTF_KIND_STRUCT);
	mm = btf__find_by_name_kind(btf, "mm_struct", BTF_KIND_STRUCT);
	if (task > 0 && cred > 0 && mm > 0) {
		lay.task_size = (size_t)btf__resolve_size(btf, (uint32_t)task);
		lay.cred_size = (size_t)btf__resolve_size(btf, (uint32_t)cred);
		lay.mm_size = (size_t)btf__resolve_size(btf, (uint32_t)mm);
#define TASK_FIELD(f) lay.f = member_off(btf, (uint32_t)task, #f)
#define CRED_FIELD(f) lay.f = member_off(btf, (uint32_t)cred, #f)
		TASK_FIELD(pid), TASK_FIELD(tgid), TASK_FIELD(comm), TASK_FIELD(real_parent);
		TASK_FIELD(parent), TASK_FIELD(group_leader), TASK_FIELD(real_cred);
		TASK_FIELD(cred), TASK_FIELD(mm), TASK_FIELD(prio), TASK_FIELD(static_prio);
		TASK_FIELD(normal_prio), TASK_FIELD(start_time), TASK_FIELD(start_boottime);
		CRED_FIELD(uid), CRED_FIELD(gid), CRED_FIELD(suid), CRED_FIELD(sgid);
		CRED_FIELD(euid), CRED_FIELD(egid), CRED_FIELD(fsuid), CRED_FIELD(fsgid);
#undef TASK_FIELD
#undef CRED_FIELD
		for (size_t i = 0; i < MM_FIELDS; i++)
			lay.mm_fields[i] = member_off(btf, (uint32_t)mm, mm_fields[i].name);
		/* the fields every use needs; the others are filled if present */
		lay.ok = lay.task_size >= 64 && lay.task_size < (1u << 20) &&
			 lay.cred_size < 4096 && lay.mm_size < (1u << 16) && lay.pid >= 0 &&
			 lay.tgid >= 0;
	}
	btf__free(btf);
}

static void area_release(void *p)
{
	struct task_area *a = p;

	pthread_mutex_lock(&areas_lock);
	a->in_use = false;
	pthread_mutex_unlock(&areas_lock);
}

static void forked(void)
{
	fork_gen++;
}

static void setup(void)
{
	find_layout();
	if (lay.ok &&
	    (pthread_key_create(&area_key, area_release) || pthread_atfork(NULL, NULL, forked)))
		lay.ok = false;
}

static void put(uint8_t *base, long off, const void *v, size_t n)
{
	if (off >= 0 && (size_t)off + n <= lay.task_size)
		memcpy(base + off, v, n);
}

static void put_u32(uint8_t *base, long off, uint32_t v)
{
	put(base, off, &v, sizeof(v));
}

static void put_ptr(uint8_t *base, long off, const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;

	put(base, off, &v, sizeof(v));
}

/* /proc/<pid>/comm or /proc/self/task/<tid>/comm into out (COMM_LEN bytes) */
static void read_comm(const char *path, char *out)
{
	FILE *f = fopen(path, "re");

	memset(out, 0, COMM_LEN);
	if (!f)
		return;
	if (fgets(out, COMM_LEN, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* The numeric fields of this thread's /proc stat line, by their numbers
 * in proc(5) (1-based; 2, the name, and 3, the state, left 0); false if it
 * cannot be read. */
static bool read_stat(unsigned long long v[STAT_FIELDS])
{
	char path[64], buf[2048], *p, *end;
	FILE *f;
	size_t n;

	memset(v, 0, STAT_FIELDS * sizeof(v[0]));
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", gettid());
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
	if (!p || p[1] != ' ' || !p[2])
		return false;
	p += 3; /* the state's letter */
	for (int i = 4; i < STAT_FIELDS && *p; i++) {
		p = strchr(p, ' ');
		if (!p)
			break;
		v[i] = strtoull(p + 1, &end, 10);
		p = end;
	}
	return true;
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fill_task(uint8_t *t, uint32_t pid, uint32_t tgid, const char *comm, const void *leader,
		      const void *parent, const void *cred)
{
	put_u32(t, lay.pid, pid);
	put_u32(t, lay.tgid, tgid);
	put(t, lay.comm, comm, COMM_LEN);
	put_ptr(t, lay.group_leader, leader);
	put_ptr(t, lay.real_parent, parent);
	put_ptr(t, lay.parent, parent);
	put_ptr(t, lay.real_cred, cred);
	put_ptr(t, lay.cred, cred);
}

/* The parts that change while a thread lives: its name, its ids. */
static void refresh(struct task_area *a)
{
	char comm[COMM_LEN + 1] = "";
	uid_t r, e, s;
	gid_t rg, eg, sg;

	prctl(PR_GET_NAME, comm);
	put(a->self, lay.comm, comm, COMM_LEN);
	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg))
		return;
	/* struct cred's kuid_t/kgid_t are a u32 each */
	if (lay.uid >= 0) {
		uint32_t ids[8] = {r,
				   rg,
				   s,
				   sg,
				   e,
				   eg,
				   (uint32_t)setfsuid((uid_t)-1),
				   (uint32_t)setfsgid((gid_t)-1)};
		const long offs[8] = {lay.uid,	lay.gid,  lay.suid,  lay.sgid,
				      lay.euid, lay.egid, lay.fsuid, lay.fsgid};

		for (int i = 0; i < 8; i++)
			if (offs[i] >= 0 && (size_t)offs[i] + 4 <= lay.cred_size)
				memcpy(a->cred + offs[i], &ids[i], 4);
	}
}

static void fill(struct task_area *a)
{
	uint32_t tid = (uint32_t)gettid(), pid = (uint32_t)getpid(), ppid = (uint32_t)getppid();
	char comm[COMM_LEN], path[64];
	unsigned long long stat[STAT_FIELDS];
	long hz = sysconf(_SC_CLK_TCK);
	int nice;

	memset(a->mem, 0, a->size);
	a->gen = fork_gen;
	a->leader = tid == pid ? a->self : a->self + lay.task_size;
	if (a->leader != a->self) {
		read_comm("/proc/self/comm", comm);
		fill_task(a->leader, pid, pid, comm, a->leader, a->parent, a->cred);
	}
	snprintf(path, sizeof(path), "/proc/%u/comm", ppid);
	read_comm(path, comm);
	fill_task(a->parent, ppid, ppid, comm, a->parent, NULL, NULL);
	fill_task(a->self, tid, pid, (const char[COMM_LEN]){0}, a->leader, a->parent, a->cred);
	errno = 0;
	nice = getpriority(PRIO_PROCESS, (id_t)tid);
	if (errno)
		nice = 0;
	put_u32(a->self, lay.prio, (uint32_t)(120 + nice)); /* MAX_RT_PRIO + 20 + nice */
	put_u32(a->self, lay.static_prio, (uint32_t)(120 + nice));
	put_u32(a->self, lay.normal_prio, (uint32_t)(120 + nice));
	if (!read_stat(stat) || hz <= 0)
		return;
	/* starttime (22) is in clock ticks since boot */
	uint64_t boot = stat[22] * (1000000000ull / (unsigned long long)hz);
	uint64_t mono = boot - (clock_ns(CLOCK_BOOTTIME) - clock_ns(CLOCK_MONOTONIC));

	put(a->self, lay.start_boottime, &boot, sizeof(boot));
	put(a->self, lay.start_time, &mono, sizeof(mono));
	put_ptr(a->self, lay.mm, a->mm);
	if (a->leader != a->self)
		put_ptr(a->leader, lay.mm, a->mm);
	for (size_t i = 0; i < MM_FIELDS; i++)
		if (lay.mm_fields[i] >= 0 && (size_t)lay.mm_fields[i] + 8 <= lay.mm_size)
			memcpy(a->mm + lay.mm_fields[i], &stat[mm_fields[i].stat_field], 8);
}

/* This thread's area, filled; NULL without the kernel's layout or memory. */
static struct task_area *area(void)
{
	struct task_area *a = mine;

	if (!a) {
		pthread_once(&lay_once, setup);
		if (!lay.ok)
			return NULL;
		pthread_mutex_lock(&areas_lock);
		for (a = areas; a && a->in_use; a = a->next)
			;
		if (!a) {
			size_t size = 3 * lay.task_size + lay.cred_size + lay.mm_size;

			a = aligned_alloc(64, (sizeof(*a) + size + 63) / 64 * 64);
			if (a) {
				a->size = size;
				a->self = a->mem;
				a->parent = a->mem + 2 * lay.task_size;
				a->cred = a->mem + 3 * lay.task_size;
				a->mm = a->cred + lay.cred_size;
				a->next = areas;
				areas = a;
			}
		}
		if (a)
			a->in_use = true;
		pthread_mutex_unlock(&areas_lock);
		if (!a)
			return NULL;
		pthread_setspecific(area_key, a);
		mine = a;
		fill(a);
	} else if (a->gen != fork_gen) {
		fill(a); /* a forked child: new ids */
	}
	refresh(a);
	return a;
}

uint64_t helper_get_current_task(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct vm_run *run)
{
	struct task_area *a = area();

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return a ? (uint64_t)(uintptr_t)a->self : 0;
}

/* The same task, which the program may also load from directly: the checked
 * interpreter is told the area is readable. */
uint64_t helper_get_current_task_btf(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				     uint64_t r5, struct vm_run *run)
{
	struct task_area *a = area();
	bool known = false;

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	if (!a)
		return 0;
	for (size_t i = 0; i < run->region_cnt; i++)
		known |= run->regions[i].start == (uint64_t)(uintptr_t)a->mem;
	if (!known && vm_run_add_region(run, a->mem, a->size, "task_struct", false))
		return 0;
	return (uint64_t)(uintptr_t)a->self;
}
