/* Packet helpers of the __sk_buff program types (src/helpers/skb.c). */
#ifndef BPFHOST_HELPERS_SKB_H
#define BPFHOST_HELPERS_SKB_H

#include "../vm/vm.h"

#define SKB_HELPER_FN(name)                                                                        \
	uint64_t helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,    \
			       struct vm_run *run)
SKB_HELPER_FN(skb_load_bytes);
SKB_HELPER_FN(skb_load_bytes_relative);
SKB_HELPER_FN(skb_store_bytes);
SKB_HELPER_FN(l3_csum_replace);
SKB_HELPER_FN(l4_csum_replace);
SKB_HELPER_FN(csum_update);
SKB_HELPER_FN(csum_level);
SKB_HELPER_FN(skb_change_tail);
SKB_HELPER_FN(skb_change_head);
SKB_HELPER_FN(skb_pull_data);
SKB_HELPER_FN(get_hash_recalc);
SKB_HELPER_FN(set_hash);
SKB_HELPER_FN(set_hash_invalid);
SKB_HELPER_FN(skb_change_type);
SKB_HELPER_FN(redirect);
SKB_HELPER_FN(skb_vlan_push);
SKB_HELPER_FN(skb_vlan_pop);
SKB_HELPER_FN(none);
SKB_HELPER_FN(sk_fullsock);
SKB_HELPER_FN(fib_lookup);
SKB_HELPER_FN(skb_adjust_room);
SKB_HELPER_FN(skb_change_proto);
SKB_HELPER_FN(clone_redirect);
SKB_HELPER_FN(get_socket_cookie);
SKB_HELPER_FN(skb_ecn_set_ce);
SKB_HELPER_FN(skb_cgroup_id);
SKB_HELPER_FN(redirect_map);

/* Their entries in the kernel helper table, by id. */
#define SKB_HELPERS                                                                                \
	[BPF_FUNC_skb_load_bytes] = {"bpf_skb_load_bytes",                                         \
				     helper_skb_load_bytes,                                        \
				     {0, 0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                          \
	[BPF_FUNC_skb_load_bytes_relative] = {"bpf_skb_load_bytes_relative",                       \
					      helper_skb_load_bytes_relative,                      \
					      {0, 0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                 \
	[BPF_FUNC_skb_store_bytes] = {"bpf_skb_store_bytes",                                       \
				      helper_skb_store_bytes,                                      \
				      {0, 0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                         \
	[BPF_FUNC_l3_csum_replace] = {"bpf_l3_csum_replace", helper_l3_csum_replace, {0}},         \
	[BPF_FUNC_l4_csum_replace] = {"bpf_l4_csum_replace", helper_l4_csum_replace, {0}},         \
	[BPF_FUNC_csum_update] = {"bpf_csum_update", helper_csum_update, {0}},                     \
	[BPF_FUNC_csum_level] = {"bpf_csum_level", helper_csum_level, {0}},                        \
	[BPF_FUNC_skb_change_tail] = {"bpf_skb_change_tail", helper_skb_change_tail, {0}},         \
	[BPF_FUNC_skb_change_head] = {"bpf_skb_change_head", helper_skb_change_head, {0}},         \
	[BPF_FUNC_skb_pull_data] = {"bpf_skb_pull_data", helper_skb_pull_data, {0}},               \
	[BPF_FUNC_get_hash_recalc] = {"bpf_get_hash_recalc", helper_get_hash_recalc, {0}},         \
	[BPF_FUNC_set_hash] = {"bpf_set_hash", helper_set_hash, {0}},                              \
	[BPF_FUNC_set_hash_invalid] = {"bpf_set_hash_invalid", helper_set_hash_invalid, {0}},      \
	[BPF_FUNC_skb_change_type] = {"bpf_skb_change_type", helper_skb_change_type, {0}},         \
	[BPF_FUNC_get_socket_uid] = {"bpf_get_socket_uid", helper_none, {0}},                      \
	[BPF_FUNC_redirect] = {"bpf_redirect", helper_redirect, {0}},                              \
	[BPF_FUNC_skb_vlan_push] = {"bpf_skb_vlan_push", helper_skb_vlan_push, {0}},               \
	[BPF_FUNC_skb_vlan_pop] = {"bpf_skb_vlan_pop", helper_skb_vlan_pop, {0}},                  \
	[BPF_FUNC_get_cgroup_classid] = {"bpf_get_cgroup_classid", helper_none, {0}},              \
	[BPF_FUNC_sk_lookup_tcp] = {"bpf_sk_lookup_tcp", helper_none, {0}},                        \
	[BPF_FUNC_sk_lookup_udp] = {"bpf_sk_lookup_udp", helper_none, {0}},                        \
	[BPF_FUNC_skc_lookup_tcp] = {"bpf_skc_lookup_tcp", helper_none, {0}},                      \
	[BPF_FUNC_sk_release] = {"bpf_sk_release", helper_none, {0}},                              \
	[BPF_FUNC_sk_fullsock] = {"bpf_sk_fullsock", helper_sk_fullsock, {0}},                     \
	[BPF_FUNC_tcp_sock] = {"bpf_tcp_sock", helper_none, {0}},                                  \
	[BPF_FUNC_get_listener_sock] = {"bpf_get_listener_sock", helper_none, {0}},                \
	[BPF_FUNC_skc_to_tcp6_sock] = {"bpf_skc_to_tcp6_sock", helper_none, {0}},                  \
	[BPF_FUNC_skc_to_tcp_sock] = {"bpf_skc_to_tcp_sock", helper_none, {0}},                    \
	[BPF_FUNC_skc_to_tcp_timewait_sock] = {"bpf_skc_to_tcp_timewait_sock", helper_none, {0}},  \
	[BPF_FUNC_skc_to_tcp_request_sock] = {"bpf_skc_to_tcp_request_sock", helper_none, {0}},    \
	[BPF_FUNC_skc_to_udp6_sock] = {"bpf_skc_to_udp6_sock", helper_none, {0}},                  \
	[BPF_FUNC_fib_lookup] = {"bpf_fib_lookup",                                                 \
				 helper_fib_lookup,                                                \
				 {0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                                 \
	[BPF_FUNC_skb_adjust_room] = {"bpf_skb_adjust_room", helper_skb_adjust_room, {0}},         \
	[BPF_FUNC_skb_change_proto] = {"bpf_skb_change_proto", helper_skb_change_proto, {0}},      \
	[BPF_FUNC_clone_redirect] = {"bpf_clone_redirect", helper_clone_redirect, {0}},            \
	[BPF_FUNC_get_route_realm] = {"bpf_get_route_realm", helper_none, {0}},                    \
	[BPF_FUNC_get_socket_cookie] = {"bpf_get_socket_cookie", helper_get_socket_cookie, {0}},   \
	[BPF_FUNC_skb_ecn_set_ce] = {"bpf_skb_ecn_set_ce", helper_skb_ecn_set_ce, {0}},            \
	[BPF_FUNC_skb_cgroup_id] = {"bpf_skb_cgroup_id", helper_skb_cgroup_id, {0}},               \
	[BPF_FUNC_redirect_map] = {"bpf_redirect_map", helper_redirect_map, {VM_ARG_MAP}}

#endif
