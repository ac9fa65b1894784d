/* The local storage a test run gives its program (src/helpers/local_storage.c):
 * bpf_get_local_storage's cgroup storages and the socket storage of the
 * socket the run makes up, and the helpers that reach them. */
#ifndef BPFHOST_HELPERS_LOCAL_STORAGE_H
#define BPFHOST_HELPERS_LOCAL_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../vm/vm.h"

/* Before the first of a test run's repeats: a zeroed storage for each cgroup
 * storage map of the program (one of each kind), in run->local_storage, and
 * none yet for its socket. 0, or -ENOMEM. */
int local_storage_run_begin(struct vm_run *run);
/* After the last repeat: every storage of the run gone. */
void local_storage_run_end(struct vm_run *run);

/* Whether addr is the bpf_spin_lock of a value in the run's storage. */
bool local_storage_is_lock(const struct vm_run *run, uint64_t addr);

#define LOCAL_STORAGE_HELPER_FN(name)                                                              \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
LOCAL_STORAGE_HELPER_FN(get_local_storage);
LOCAL_STORAGE_HELPER_FN(sk_storage_get);
LOCAL_STORAGE_HELPER_FN(sk_storage_delete);

/* Their entries in the kernel helper table, by id. */
#define LOCAL_STORAGE_HELPERS                                                                      \
	[BPF_FUNC_get_local_storage] = {"bpf_get_local_storage",                                   \
					helper_get_local_storage,                                  \
					{VM_ARG_MAP}},                                             \
	[BPF_FUNC_sk_storage_get] = {"bpf_sk_storage_get", helper_sk_storage_get, {VM_ARG_MAP}},   \
	[BPF_FUNC_sk_storage_delete] = {                                                           \
		"bpf_sk_storage_delete", helper_sk_storage_delete, {VM_ARG_MAP}}

#endif
