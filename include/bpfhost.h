/* bpfhost: the Linux eBPF system in user space.
 *
 * The core API is the kernel's own bpf() command interface: the same commands,
 * the same union bpf_attr (from <linux/bpf.h>), the same semantics and errno
 * values. Objects come back as real file descriptors.
 */
#ifndef BPFHOST_H
#define BPFHOST_H

#include <linux/bpf.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPFHOST_API __attribute__((visibility("default")))

/* Serves one bpf() command in this process. Returns what the kernel's bpf()
 * returns (an fd, 0, ...) or a negative errno; size is the caller's
 * sizeof(union bpf_attr), as for the syscall. */
BPFHOST_API int bpfhost_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* As bpfhost_bpf, with the syscall's convention: -1 and errno on failure. */
BPFHOST_API long bpfhost_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* To be called just before fd is closed by means bpfhost does not see (the
 * link-time wrappers and the preload call it for close()). Before, not after:
 * once closed, another thread may get the same number from bpfhost. */
BPFHOST_API void bpfhost_fd_closed(int fd);

/* ---- Running programs where the application decides ---- */

/* Runs the loaded program prog_fd once on ctx, the context its type gives
 * its programs, as a probe or hook that fired would: for KPROBE a struct
 * pt_regs, for PERF_EVENT a struct bpf_perf_event_data, for TRACEPOINT the
 * event's record, for RAW_TRACEPOINT the event's u64 arguments, for SYSCALL
 * any bytes, for a type the application registered ctx_size bytes. The
 * program reads ctx where it lies (and writes it if its type allows). Returns
 * 0 with *ret the program's return value; -EINVAL if ctx_size does not fit
 * the type (or the type's context is not plain memory: XDP and the
 * __sk_buff types run through BPF_PROG_TEST_RUN); -EFAULT if the program
 * faulted, -E2BIG if it ran too long: with err (if given) saying where and
 * why in a line of at most err_len bytes. What the program wrote into ctx
 * before a fault stays written: run it on a copy to undo that. */
BPFHOST_API int bpfhost_prog_run(int prog_fd, void *ctx, size_t ctx_size, unsigned long long *ret,
				 char *err, size_t err_len);

/* ---- Program types an application defines ---- */

/* How bpfhost checks an argument of an application's helper before calling
 * it, so that a program cannot hand it memory it may not touch. */
enum bpfhost_arg {
	BPFHOST_ARG_ANYTHING = 0, /* any value */
	BPFHOST_ARG_MEM_RO,	  /* memory the helper reads; its size is the next argument */
	BPFHOST_ARG_MEM_RW,	  /* memory the helper writes; its size is the next argument */
	BPFHOST_ARG_SIZE,	  /* the size of the argument before */
	BPFHOST_ARG_STR,	  /* a NUL-terminated string */
};

/* Helper ids an application's helpers may take: what the program's call
 * instruction holds (in C: static long (*f)(...) = (void *)1000;). */
#define BPFHOST_APP_HELPER_MIN 1000
#define BPFHOST_APP_HELPER_MAX 1999

struct bpfhost_helper {
	int id;		  /* BPFHOST_APP_HELPER_MIN..BPFHOST_APP_HELPER_MAX */
	const char *name; /* for messages: "app_log" */
	/* the program's r1..r5; ctx is the context of the run that called it,
	 * data the helper's own (below) */
	unsigned long long (*fn)(unsigned long long r1, unsigned long long r2,
				 unsigned long long r3, unsigned long long r4,
				 unsigned long long r5, void *ctx, void *data);
	unsigned char args[5]; /* enum bpfhost_arg, for r1..r5 */
	void *data;	       /* handed to fn as it is */
};

struct bpfhost_prog_type {
	size_t sz;		   /* sizeof(struct bpfhost_prog_type): it may grow */
	const char *name;	   /* [a-z0-9_], 1 to 31 characters */
	unsigned int ctx_size;	   /* the context's size in bytes (at most 65535) */
	int ctx_writable;	   /* nonzero: programs may write the context */
	const int *kernel_helpers; /* the kernel helper ids its programs may call, 0-ended */
	const struct bpfhost_helper *helpers; /* the application's own */
	unsigned int helper_cnt;
};

/* Program types registered by an application are numbered from here. */
#define BPFHOST_PROG_TYPE_APP_BASE 0x10000u

/* Registers a program type for this process's hooks. Returns its number (for
 * bpf_attr.prog_type, libbpf's bpf_program__set_type), or a negative errno
 * with err (if given) naming what is wrong: -EINVAL for a bad description
 * (sz, name, sizes, an id out of range or twice, a kernel helper id bpfhost
 * does not have), -E2BIG for fields of a newer bpfhost (sz past the struct
 * this one knows, not zero there), -EEXIST for a name already registered, -ENOSPC past 64 types.
 * The description is copied. Programs of the type load with BPF_PROG_LOAD,
 * may call the listed helpers and no others, run with bpfhost_prog_run, and
 * test-run with BPF_PROG_TEST_RUN (ctx_in/ctx_out of ctx_size bytes, repeat,
 * duration). Types live as long as the process. */
BPFHOST_API int bpfhost_prog_type_register(const struct bpfhost_prog_type *type, char *err,
					   size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
