// SPDX-License-Identifier: GPL-2.0
/* bpf_snprintf and bpf_trace_vprintk: widths and flags, strings, characters,
 * IP addresses, raw pointers, truncation, faulting
 * pointers. (A bad format or argument array is refused at load: the verifier
 * checks them.) */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define N 16

struct args {
	char out[N][64];
	__s64 ret[N];
	__s64 vret;
};

/* a value the compiler cannot fold, so the argument arrays are built at run
 * time (a constant array of pointers would need relocations in .rodata) */
#define P(x)                                                                                       \
	({                                                                                         \
		__u64 _v = (__u64)(long)(x);                                                       \
		asm volatile("" : "+r"(_v));                                                       \
		_v;                                                                                \
	})

#define FMT(i, size, fmt, ...)                                                                     \
	do {                                                                                       \
		__u64 d[] = {__VA_ARGS__};                                                         \
		char b[64] = {};                                                                   \
		ctx->ret[i] = bpf_snprintf(b, size, fmt, d, sizeof(d));                            \
		__builtin_memcpy(ctx->out[i], b, 64);                                              \
	} while (0)

SEC("syscall")
int fmt(struct args *ctx)
{
	unsigned char ip4[4] = {192, 168, 0, 1};
	unsigned char ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34};

	FMT(0, 64, "%d|%5u|%-5x|%05lld|%+d|% d", -42, 7, 0xab, -3, 5, 6);
	FMT(1, 64, "%s and %c%c!", P("str"), 'o', 'k');
	FMT(2, 64, "%pI4 %pi4", P(ip4), P(ip4));
	FMT(3, 64, "%pI6", P(ip6));
	FMT(4, 64, "%lx %llX %lu", -1, 0xabcdef, -1);
	FMT(5, 8, "hello world %d", 123);
	FMT(6, 64, "%-3c|%3d|%-+4d|", 'a', -1, 7);
	FMT(7, 0, "%d", 123456);
	FMT(8, 64, "%px", 0x1234);
	FMT(9, 64, "%%%d%%", 5);
	FMT(10, 64, "%pks %pus", P("kern"), P(16));
	FMT(11, 64, "[%s]", P(16));
	FMT(12, 64, "%pI4", P(16));
	FMT(13, 64, "%pi6", P(ip6));
	FMT(14, 64, "%10s|%-4c|", P("ab"), 'z');
	FMT(15, 64, "%lld %i", P(0x8000000000000000ull), P(0xffffffff80000000ull));
	{
		__u64 d[4] = {1, 2, 3, 4};
		static const char f[] = "v %d %d %d %d";

		ctx->vret = bpf_trace_vprintk(f, sizeof(f), d, sizeof(d));
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
