/* BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH, BPF_MAP_UPDATE_BATCH
 * and BPF_MAP_DELETE_BATCH: the dispatcher's handlers (attr is its copy of the
 * caller's union bpf_attr, attributes past batch.flags already checked zero).
 *
 * Each returns 0 or a negative errno, as the kernel's bpf_map_do_batch, and
 * leaves in attr->batch.count the number of elements processed, also when it
 * fails (ENOENT at the end of an iteration comes with the last, partial,
 * count), so the dispatcher must copy attr back to the caller on errors too. */
#ifndef BPFHOST_CORE_BATCH_H
#define BPFHOST_CORE_BATCH_H

#include <linux/bpf.h>

int map_lookup_batch_cmd(union bpf_attr *attr);
int map_lookup_and_delete_batch_cmd(union bpf_attr *attr);
int map_update_batch_cmd(union bpf_attr *attr);
int map_delete_batch_cmd(union bpf_attr *attr);

#endif
