/* BPF_PROG_TYPE_FLOW_DISSECTOR: a program that finds a packet's flow (its
 * headers' offsets, addresses, ports) for the kernel's flow dissector. It
 * reads struct __sk_buff's data, data_end and flow_keys only, reads the
 * packet (never writes it) and writes its answer into struct bpf_flow_keys.
 *
 * Its BPF_PROG_TEST_RUN as the kernel's bpf_prog_test_run_flow_dissector
 * (net/bpf/test_run.c): data_in is a frame from its Ethernet header (14 bytes
 * to a page); ctx_in, if given, is a struct bpf_flow_keys of which only flags
 * may be set; each run starts from keys holding the EtherType, nhoff = thoff
 * = 14 and those flags, and after it the kernel clamps nhoff into [14, size]
 * and thoff into [nhoff, size]; the keys come back as data_out and ctx_in,
 * unchanged, as ctx_out. There is no socket buffer behind the test run's
 * context: bpf_skb_load_bytes fails with -EFAULT (src/helpers/skb.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "progtype.h"

#define ETH_HLEN 14u
#define DATA_MAX 4096u /* PAGE_SIZE: bpf_test_init with no headroom or tailroom */

struct flow_run {
	struct progtype_state hdr; /* BPF_PROG_TYPE_FLOW_DISSECTOR */
	struct __sk_buff md;	   /* data, data_end and flow_keys: all the program may read */
	struct bpf_flow_keys keys;
	uint16_t proto; /* the frame's EtherType, as it is in the frame */
	uint32_t flags;
	uint32_t size;
};

/* One run through the test's own exec, as the kernel's bpf_flow_dissect. */
struct flow_test {
	struct progtype_test t; /* first: progtype_repeat hands it back */
	struct progtype_test *owner;
	struct flow_run *f;
};

static uint16_t clamp16(uint16_t v, uint16_t lo, uint16_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int flow_exec(struct progtype_test *t)
{
	struct flow_test *ft = (struct flow_test *)t;
	struct flow_run *f = ft->f;
	struct bpf_flow_keys *k = &f->keys;
	int err;

	memset(k, 0, sizeof(*k));
	k->n_proto = f->proto;
	k->nhoff = ETH_HLEN;
	k->thoff = ETH_HLEN;
	k->flags = f->flags;
	err = ft->owner->exec(ft->owner);
	k->nhoff = clamp16(k->nhoff, ETH_HLEN, (uint16_t)f->size);
	k->thoff = clamp16(k->thoff, k->nhoff, (uint16_t)f->size);
	return err;
}

static int test_run(struct progtype_test *t, union bpf_attr *attr)
{
	const void *in = (const void *)(uintptr_t)attr->test.data_in;
	uint32_t size = attr->test.data_size_in, retval = 0, duration = 0;
	struct bpf_flow_keys user;
	struct flow_test ft;
	struct flow_run *f;
	uint8_t *data;
	bool has_ctx;
	int err;

	if (attr->test.flags || attr->test.cpu || attr->test.batch_size)
		return -EINVAL;
	if (size < ETH_HLEN || size > DATA_MAX)
		return -EINVAL;
	if (!in)
		return -EFAULT;
	err = progtype_ctx_in(attr, &user, sizeof(user), &has_ctx);
	if (err)
		return err;
	/* only flags may be set */
	if (has_ctx &&
	    (!progtype_zero(&user, 0, offsetof(struct bpf_flow_keys, flags)) ||
	     !progtype_zero(&user, offsetof(struct bpf_flow_keys, flags) + sizeof(user.flags),
			    sizeof(user))))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	data = progtype_buf_get(DATA_MAX); /* below 4 GiB: data and data_end are 32-bit */
	if (!f || !data) {
		free(f);
		progtype_buf_put(data, DATA_MAX, 0, 0);
		return -ENOMEM;
	}
	memcpy(data, in, size);
	f->hdr.prog_type = BPF_PROG_TYPE_FLOW_DISSECTOR;
	memcpy(&f->proto, data + 12, sizeof(f->proto));
	f->flags = user.flags;
	f->size = size;
	f->md.data = (uint32_t)(uintptr_t)data;
	f->md.data_end = (uint32_t)(uintptr_t)(data + size);
	f->md.flow_keys = &f->keys;
	t->run->ctx_state = f;
	t->run->args[0] = (uint64_t)(uintptr_t)&f->md;
	if (vm_run_add_ctx(t->run, &f->md, sizeof(f->md), false,
			   progtype_flow_dissector.ctx_access) ||
	    vm_run_add_region(t->run, data, size, "packet", false) ||
	    vm_run_add_region(t->run, &f->keys, sizeof(f->keys), "flow_keys", true)) {
		err = -ENOMEM;
		goto out;
	}
	ft.t = *t;
	ft.t.exec = flow_exec;
	ft.owner = t;
	ft.f = f;
	err = progtype_repeat(&ft.t, attr->test.repeat, &retval, &duration);
	if (err)
		goto out;
	err = progtype_data_out(attr, &f->keys, sizeof(f->keys), retval, duration);
	if (!err && has_ctx)
		err = progtype_ctx_out(attr, &user, sizeof(user));
out:
	t->run->ctx_state = NULL;
	progtype_buf_put(data, DATA_MAX, 0, size);
	free(f);
	return err;
}

/* data and data_end as u32, flow_keys as a pointer, nothing else, read
 * only (the kernel's flow_dissector_is_valid_access) */
static bool ctx_access(uint32_t off, uint32_t size, bool write)
{
	if (write)
		return false;
	if (off == offsetof(struct __sk_buff, data) || off == offsetof(struct __sk_buff, data_end))
		return size == 4;
	return off == offsetof(struct __sk_buff, flow_keys) && size == 8;
}

const struct progtype progtype_flow_dissector = {
	.name = "flow_dissector",
	.prog_type = BPF_PROG_TYPE_FLOW_DISSECTOR,
	.ctx_size = sizeof(struct __sk_buff),
	.ctx_access = ctx_access,
	.test_run = test_run,
};
