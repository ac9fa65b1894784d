/* BPF timers (src/helpers/timer.c): bpf_timer_init, bpf_timer_set_callback,
 * bpf_timer_start and bpf_timer_cancel on a struct bpf_timer in a map value,
 * whose timer lives in the process that initialised it and fires on one
 * thread of that process. */
#ifndef BPFHOST_HELPERS_TIMER_H
#define BPFHOST_HELPERS_TIMER_H

#include <linux/bpf.h>
#include <stdint.h>

#include "../vm/vm.h"

struct bpfmap;

/* What the owner of programs (core) lends the timers: how a program outlives
 * the run that set a callback, and how one of its functions runs on the
 * timer thread. A program is the owner's handle. */
struct timer_host {
	/* the program whose code the run runs (a tail call's target, after
	 * one) with a new reference; NULL if the owner did not set the run up */
	void *(*prog_get)(struct vm_run *run);
	void (*prog_hold)(void *prog);
	void (*prog_put)(void *prog);
	/* runs func, a function of prog, as the kernel's bpf_timer_cb: r1..r3 =
	 * map, key, value; key is key_size bytes the callback may read */
	void (*prog_call)(void *prog, struct bpfmap *map, uint64_t func, const void *key,
			  uint32_t key_size, void *value);
};

/* Set once, before any program runs. */
void timer_host_set(const struct timer_host *host);

#define TIMER_HELPER_FN(name)                                                                      \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
TIMER_HELPER_FN(timer_init);
TIMER_HELPER_FN(timer_set_callback);
TIMER_HELPER_FN(timer_start);
TIMER_HELPER_FN(timer_cancel);

/* Their entries in the kernel helper table, by id. */
#define TIMER_HELPERS                                                                              \
	[BPF_FUNC_timer_init] = {"bpf_timer_init", helper_timer_init, {0, VM_ARG_MAP}},            \
	[BPF_FUNC_timer_set_callback] = {"bpf_timer_set_callback",                                 \
					 helper_timer_set_callback,                                \
					 {0}},                                                     \
	[BPF_FUNC_timer_start] = {"bpf_timer_start", helper_timer_start, {0}},                     \
	[BPF_FUNC_timer_cancel] = {"bpf_timer_cancel", helper_timer_cancel, {0}}

#endif
