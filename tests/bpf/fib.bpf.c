// SPDX-License-Identifier: GPL-2.0
/* bpf_fib_lookup from XDP: the parameters, their length and the flags come
 * from io (set by tests/libbpf/test_fib.c before each run), the answer and
 * the parameters as the helper left them go back to io. The parameters sit
 * in a larger buffer so that a length above sizeof(struct bpf_fib_lookup)
 * can be passed too. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct fib_io {
	struct bpf_fib_lookup in, out;
	__u32 plen, flags;
	__s64 ret;
};

struct fib_io io;

SEC("xdp")
int fib(struct xdp_md *ctx)
{
	struct {
		struct bpf_fib_lookup params;
		__u8 pad[64];
	} buf = {};
	/* the size argument must be known to lie in 1..sizeof(buf) to load (a
	 * range test alone is folded by clang into one the verifier cannot
	 * use): the lengths 1 to 128 pass through unchanged */
	__u32 plen = ((io.plen - 1) & 127) + 1;

	buf.params = io.in;
	io.ret = bpf_fib_lookup(ctx, &buf.params, plen, io.flags);
	io.out = buf.params;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
