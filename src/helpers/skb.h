/* Packet helpers: those of the __sk_buff program types (src/helpers/skb.c,
 * the tunnel metadata in pkt_tunnel.c), XDP's bytes (pkt_xdp.c) and the raw
 * SYN cookies of both (pkt_syncookie.c). */
#ifndef BPFHOST_HELPERS_SKB_H
#define BPFHOST_HELPERS_SKB_H

#include "../vm/vm.h"

struct skb_buf;

/* The run's skb if ctx (r1) is its __sk_buff context; else NULL with the
 * run stopped by a fault naming the helper (a verifier would have refused). */
struct skb_buf *skb_helper_ctx(uint64_t ctx, struct vm_run *run, const char *helper);

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
SKB_HELPER_FN(check_mtu);
SKB_HELPER_FN(redirect_neigh);
SKB_HELPER_FN(redirect_peer);
SKB_HELPER_FN(skb_set_tstamp);
SKB_HELPER_FN(skb_cgroup_classid);
SKB_HELPER_FN(skb_ancestor_cgroup_id);
SKB_HELPER_FN(sk_cgroup_id);
SKB_HELPER_FN(sk_ancestor_cgroup_id);
SKB_HELPER_FN(skb_get_xfrm_state);
SKB_HELPER_FN(sk_assign);
/* src/helpers/pkt_tunnel.c */
SKB_HELPER_FN(skb_get_tunnel_key);
SKB_HELPER_FN(skb_set_tunnel_key);
SKB_HELPER_FN(skb_get_tunnel_opt);
SKB_HELPER_FN(skb_set_tunnel_opt);
/* src/helpers/pkt_xdp.c */
SKB_HELPER_FN(xdp_load_bytes);
SKB_HELPER_FN(xdp_store_bytes);
/* src/helpers/pkt_syncookie.c */
SKB_HELPER_FN(tcp_raw_gen_syncookie_ipv4);
SKB_HELPER_FN(tcp_raw_gen_syncookie_ipv6);
SKB_HELPER_FN(tcp_raw_check_syncookie_ipv4);
SKB_HELPER_FN(tcp_raw_check_syncookie_ipv6);

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
	[BPF_FUNC_get_cgroup_classid] = {"bpf_get_cgroup_classid",                                 \
					 helper_skb_cgroup_classid,                                \
					 {0}},                                                     \
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
	[BPF_FUNC_redirect_map] = {"bpf_redirect_map", helper_redirect_map, {VM_ARG_MAP}},         \
	[BPF_FUNC_check_mtu] = {"bpf_check_mtu", helper_check_mtu, {0}},                           \
	[BPF_FUNC_redirect_neigh] = {"bpf_redirect_neigh",                                         \
				     helper_redirect_neigh,                                        \
				     {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                             \
	[BPF_FUNC_redirect_peer] = {"bpf_redirect_peer", helper_redirect_peer, {0}},               \
	[BPF_FUNC_skb_set_tstamp] = {"bpf_skb_set_tstamp", helper_skb_set_tstamp, {0}},            \
	[BPF_FUNC_skb_cgroup_classid] = {"bpf_skb_cgroup_classid",                                 \
					 helper_skb_cgroup_classid,                                \
					 {0}},                                                     \
	[BPF_FUNC_skb_ancestor_cgroup_id] = {"bpf_skb_ancestor_cgroup_id",                         \
					     helper_skb_ancestor_cgroup_id,                        \
					     {0}},                                                 \
	[BPF_FUNC_sk_cgroup_id] = {"bpf_sk_cgroup_id", helper_sk_cgroup_id, {0}},                  \
	[BPF_FUNC_sk_ancestor_cgroup_id] = {"bpf_sk_ancestor_cgroup_id",                           \
					    helper_sk_ancestor_cgroup_id,                          \
					    {0}},                                                  \
	[BPF_FUNC_skb_get_xfrm_state] = {"bpf_skb_get_xfrm_state",                                 \
					 helper_skb_get_xfrm_state,                                \
					 {0, 0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                      \
	[BPF_FUNC_sk_assign] = {"bpf_sk_assign", helper_sk_assign, {0}},                           \
	[BPF_FUNC_skc_to_unix_sock] = {"bpf_skc_to_unix_sock", helper_none, {0}},                  \
	[BPF_FUNC_skc_to_mptcp_sock] = {"bpf_skc_to_mptcp_sock", helper_none, {0}},                \
	[BPF_FUNC_skb_get_tunnel_key] = {"bpf_skb_get_tunnel_key",                                 \
					 helper_skb_get_tunnel_key,                                \
					 {0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                         \
	[BPF_FUNC_skb_set_tunnel_key] = {"bpf_skb_set_tunnel_key",                                 \
					 helper_skb_set_tunnel_key,                                \
					 {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                         \
	[BPF_FUNC_skb_get_tunnel_opt] = {"bpf_skb_get_tunnel_opt",                                 \
					 helper_skb_get_tunnel_opt,                                \
					 {0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                         \
	[BPF_FUNC_skb_set_tunnel_opt] = {"bpf_skb_set_tunnel_opt",                                 \
					 helper_skb_set_tunnel_opt,                                \
					 {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                         \
	[BPF_FUNC_xdp_load_bytes] = {"bpf_xdp_load_bytes",                                         \
				     helper_xdp_load_bytes,                                        \
				     {0, 0, VM_ARG_MEM_RW, VM_ARG_SIZE}},                          \
	[BPF_FUNC_xdp_store_bytes] = {"bpf_xdp_store_bytes",                                       \
				      helper_xdp_store_bytes,                                      \
				      {0, 0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                         \
	[BPF_FUNC_tcp_raw_gen_syncookie_ipv4] = {"bpf_tcp_raw_gen_syncookie_ipv4",                 \
						 helper_tcp_raw_gen_syncookie_ipv4,                \
						 {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                 \
	[BPF_FUNC_tcp_raw_gen_syncookie_ipv6] = {"bpf_tcp_raw_gen_syncookie_ipv6",                 \
						 helper_tcp_raw_gen_syncookie_ipv6,                \
						 {0, VM_ARG_MEM_RO, VM_ARG_SIZE}},                 \
	[BPF_FUNC_tcp_raw_check_syncookie_ipv4] = {"bpf_tcp_raw_check_syncookie_ipv4",             \
						   helper_tcp_raw_check_syncookie_ipv4,            \
						   {0}},                                           \
	[BPF_FUNC_tcp_raw_check_syncookie_ipv6] = {                                                \
		"bpf_tcp_raw_check_syncookie_ipv6", helper_tcp_raw_check_syncookie_ipv6, {0}}

#endif
