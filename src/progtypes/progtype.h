/* Program types: one descriptor per type (decision 3), what the rest of
 * bpfhost reads about a type: its kernel name, the UAPI context its programs
 * see, and its BPF_PROG_TEST_RUN. A test run gets the program from its owner
 * (core) as a prepared vm_run and a way to run it once; the type builds the
 * context and the memory behind it, runs, and reports as the kernel does.
 * A run's type-specific state hangs off vm_run.ctx_state and starts with
 * struct progtype_state, so a helper can tell whose run it serves. */
#ifndef BPFHOST_PROGTYPES_PROGTYPE_H
#define BPFHOST_PROGTYPES_PROGTYPE_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vm/vm.h"

/* Where a program asked its packet to go (bpf_redirect, bpf_redirect_map):
 * the kernel keeps this per CPU (bpf_redirect_info) until the driver or tc
 * acts on the verdict; bpfhost keeps it with the run, for whoever ran it. */
struct progtype_redirect {
	bool set;
	uint32_t ifindex; /* bpf_redirect's target, or the map entry's key */
	uint64_t flags;
	uint32_t map_id; /* 0 for bpf_redirect */
};

/* What the owner of a program lends its type's test run. */
struct progtype_test {
	/* the program, the kernel helpers, its maps, tail calls and map-in-map
	 * lookups are set; args, regions and ctx_state are the type's to fill */
	struct vm_run *run;
	const struct progtype *type; /* whose test run this is */
	uint32_t expected_attach_type;
	/* runs the program once from its own first instruction (a tail call of
	 * the previous run undone, what it held let go): 0 with run->r0, or
	 * -EFAULT with run->fault saying why */
	int (*exec)(struct progtype_test *t);
	void *owner; /* the owner's, for exec */
	/* a socket filter sees the frame from its link-layer header, as on a
	 * packet socket (bpfhost run), not from the network header as in the
	 * kernel's test run */
	bool packet_socket;
	struct progtype_redirect *redirect; /* if set: where the run's last bpf_redirect* asked */
};

struct progtype {
	const char *name;   /* the kernel's name ("xdp"), as bpftool prints it */
	uint32_t prog_type; /* BPF_PROG_TYPE_* */
	uint32_t ctx_size;  /* the UAPI context: sizeof(struct xdp_md), ... */
	/* BPF_PROG_TEST_RUN with the kernel's checks, semantics and errno: reads
	 * attr->test, runs through t, writes the results into attr->test and the
	 * caller's data_out/ctx_out. */
	int (*test_run)(struct progtype_test *t, union bpf_attr *attr);
	/* The context is memory the caller hands over as it is (bpfhost_prog_run):
	 * ctx_size bytes (any size if 0, up to ctx_max if that is set), which the
	 * program may write if ctx_writable. */
	bool ctx_plain, ctx_writable;
	uint32_t ctx_max;
	/* which bytes of the context its programs may read or write, at which
	 * sizes (the kernel's is_valid_access of the type); NULL: any */
	bool (*ctx_access)(uint32_t off, uint32_t size, bool write);
	/* the helpers its programs call: the kernel's if NULL */
	const struct vm_helper_table *helpers;
};

extern const struct progtype progtype_xdp;
/* The __sk_buff types (src/progtypes/skb.c) */
extern const struct progtype progtype_socket_filter, progtype_sched_cls, progtype_sched_act,
	progtype_cgroup_skb, progtype_lwt_in, progtype_lwt_out, progtype_lwt_xmit;
extern const struct progtype progtype_raw_tracepoint; /* src/progtypes/raw_tp.c */
extern const struct progtype progtype_syscall;	      /* src/progtypes/syscall.c */
extern const struct progtype progtype_flow_dissector; /* src/progtypes/flow_dissector.c */
/* The tracing types: no test run in the kernel (src/progtypes/tracing.c) */
extern const struct progtype progtype_kprobe, progtype_tracepoint, progtype_perf_event;

/* Program types an application registered (src/progtypes/app.c): the
 * descriptor of app type prog_type, or NULL. */
const struct progtype *progtype_app_find(uint32_t prog_type);
/* Whether an application type lets its programs call helper id. */
bool progtype_app_helper_allowed(uint32_t prog_type, int32_t id);

/* The descriptor of a program type, or NULL if bpfhost has none. */
const struct progtype *progtype_find(uint32_t prog_type);
/* The helpers programs of the type call (the kernel's, or an application type's). */
struct vm_helper_table progtype_helpers(const struct progtype *type);

/* Whether a program of the type may call helper id, as the kernel decides
 * (src/progtypes/helpers.c); true for types without a list yet. */
bool progtype_helper_allowed(uint32_t prog_type, int32_t id);

/* The head of every vm_run.ctx_state. */
struct progtype_state {
	uint32_t prog_type;
	struct progtype_redirect redirect;
};

/* ---- shared by the test runs (src/progtypes/common.c) ---- */

/* The kernel's bpf_ctx_init: ctx (size bytes) zeroed if ctx_in or ctx_out is
 * given, ctx_in copied in; ctx_in's bytes past size must be zero (-E2BIG),
 * at most a page. Returns 0, or the errno; *has_ctx says whether either was given. */
int progtype_ctx_in(const union bpf_attr *attr, void *ctx, uint32_t size, bool *has_ctx);
/* Whether bytes [from, to) of p are all zero. */
bool progtype_zero(const void *p, size_t from, size_t to);
/* The kernel's bpf_ctx_finish: ctx to ctx_out, -ENOSPC if it is too small. */
int progtype_ctx_out(union bpf_attr *attr, const void *ctx, uint32_t size);
/* The kernel's bpf_test_finish for linear data: size bytes of data to
 * data_out (clamped to a nonzero data_size_out: -ENOSPC), the sizes, retval
 * and duration into attr. */
int progtype_data_out(union bpf_attr *attr, const void *data, uint32_t size, uint32_t retval,
		      uint32_t duration);
/* repeat runs (0 means 1) through t->exec; duration: mean ns per run, as
 * the kernel's bpf_test_timer; retval: the last run's r0. */
int progtype_repeat(struct progtype_test *t, uint32_t repeat, uint32_t *retval, uint32_t *duration);

/* ---- XDP ---- */

/* The frame of an XDP test run, as the kernel's (net/bpf/test_run.c): one
 * page, the first bytes reserved for the struct xdp_frame the kernel keeps
 * there, the packet starting XDP_PACKET_HEADROOM (256) in, the last bytes
 * reserved for the skb_shared_info; data beyond the frame goes to fragments
 * of a page each (MAX_SKB_FRAGS of them), which the program reaches only
 * through helpers. Sizes are x86-64's. */
#define XDP_BUF_FRAME_SIZE 4096u /* PAGE_SIZE */
#define XDP_BUF_FRAME_HDR 40u	 /* sizeof(struct xdp_frame) */
#define XDP_BUF_TAILROOM 320u	 /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define XDP_BUF_MAX_FRAGS 17u	 /* MAX_SKB_FRAGS */
#define XDP_BUF_ETH_HLEN 14u	 /* ETH_HLEN: what the helpers always leave */
#define XDP_BUF_MAX_META 255u	 /* skb_shared_info.meta_len is a u8 */

struct xdp_buf_frag {
	uint8_t *page; /* XDP_BUF_FRAME_SIZE bytes */
	uint32_t len;
};

/* The packet of an XDP run, as the kernel's xdp_buff: offsets into frame,
 * meta <= data <= end. The program reads them from md, whose 32-bit data,
 * data_end and data_meta hold the real addresses: the frame lives below
 * 4 GiB. Whoever moves an offset calls xdp_buf_sync. */
struct xdp_buf {
	struct progtype_state hdr; /* BPF_PROG_TYPE_XDP */
	uint8_t *frame;
	uint32_t meta, data, end;
	struct xdp_buf_frag frags[XDP_BUF_MAX_FRAGS];
	uint32_t nr_frags;
	uint32_t frags_size; /* bytes in frags */
	struct xdp_md *md;   /* the context the program gets in r1 */
	size_t region;	     /* run->regions[region]: [meta, end), writable */
};

/* The XDP run behind vm_run.ctx_state, or NULL if the run is not XDP. */
static inline struct xdp_buf *xdp_buf_of(const struct vm_run *run)
{
	struct progtype_state *s = run->ctx_state;

	return s && s->prog_type == BPF_PROG_TYPE_XDP ? (struct xdp_buf *)s : NULL;
}

/* After the offsets moved: the context's pointers and the region the checked
 * interpreter lets the program write follow them. */
static inline void xdp_buf_sync(struct xdp_buf *b, struct vm_run *run)
{
	uint64_t base = (uint64_t)(uintptr_t)b->frame;

	b->md->data = (uint32_t)(base + b->data);
	b->md->data_end = (uint32_t)(base + b->end);
	b->md->data_meta = (uint32_t)(base + b->meta);
	run->regions[b->region].start = base + b->meta;
	run->regions[b->region].len = b->end - b->meta;
}

/* A zeroed buffer of size bytes below 4 GiB (MAP_32BIT), or NULL; given
 * back with the bytes the run may have written, which are zeroed for reuse. */
void *progtype_buf_get(size_t size);
void progtype_buf_put(void *p, size_t size, size_t dirty_from, size_t dirty_to);
/* The loopback device's ifindex: the kernel's test runs receive on it. */
unsigned progtype_loopback(void);

/* ---- __sk_buff: SOCKET_FILTER, SCHED_CLS/ACT, CGROUP_SKB, LWT_* ---- */

/* The packet of an skb run, as the kernel's sk_buff holds it: bytes [data,
 * tail) of buf, with mac and network header offsets. buf is large and lives
 * below 4 GiB: the packet can grow both ways (helpers) as the kernel's would
 * after reallocating, and __sk_buff's 32-bit data, data_end and data_meta
 * hold real addresses. The program's view, struct __sk_buff, holds every
 * field's value (mark, cb, hash, ...); whoever changes the geometry calls
 * skb_buf_sync. */
#define SKB_BUF_SIZE (256u * 1024)
#define SKB_BUF_HEADROOM (96u * 1024) /* where data starts */
#define SKB_ETH_HLEN 14u
#define SKB_MAX_LEN (65536u + SKB_ETH_HLEN) /* the loopback's mtu + hard_header_len */
#define SKB_HDR_UNSET UINT32_MAX
enum { SKB_CHECKSUM_NONE, SKB_CHECKSUM_UNNECESSARY, SKB_CHECKSUM_COMPLETE, SKB_CHECKSUM_PARTIAL };

struct skb_buf {
	struct progtype_state hdr;
	uint8_t *buf;
	uint32_t head; /* the kernel's skb->head: LD_ABS's negative offsets reach down to it */
	uint32_t data, tail;
	uint32_t mac, net, trans; /* header offsets in buf; trans SKB_HDR_UNSET until set */
	bool direct;		  /* the type reads the packet directly: data pointers given */
	uint8_t ip_summed;	  /* SKB_CHECKSUM_*; with COMPLETE, csum is the sum */
	bool encapsulation;	  /* skb_adjust_room put an outer L3 header on */
	bool tunnel_dst;	  /* bpf_skb_set_tunnel_key gave it the tunnel metadata */
	uint64_t cookie;	  /* the socket's bpf_get_socket_cookie, 0 until asked */
	uint8_t csum_level;
	uint32_t csum;
	bool sw_hash, l4_hash;
	uint32_t pkt_len;	     /* the qdisc cb's pkt_len: __sk_buff.wire_len */
	uint32_t dirty_lo, dirty_hi; /* what the run may have written of buf */
	struct __sk_buff *md;	     /* the context the program gets in r1 */
	size_t region;		     /* run->regions[region]: [data, tail) */
};

/* The skb run behind vm_run.ctx_state, or NULL if the run has none. */
struct skb_buf *skb_buf_of(const struct vm_run *run);

/* After the geometry changed: the context's len and pointers, LD_ABS's view
 * and the region the checked interpreter allows follow it. */
void skb_buf_sync(struct skb_buf *b, struct vm_run *run);

#endif
