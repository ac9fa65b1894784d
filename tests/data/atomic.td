# Atomic read-modify-write (STX | ATOMIC): lock add/or/and/xor of 32 and 64 bits,
# with and without BPF_FETCH, xchg and cmpxchg. Fetch forms load the old value into
# src (32-bit forms zero-extend it); cmpxchg compares with r0 and always loads the
# old value into r0. 32-bit forms use the low half of src and leave neighbours alone.
# Expected values were computed independently and checked on Linux 6.18.

== lock add64: small values
-- asm
r2 = 2
lock *(u64 *)(r1 +8) += r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 01 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11
-- result
0x2
-- mem-out
11 11 11 11 11 11 11 11 03 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11

== atomic_fetch_add64: small values
-- asm
r2 = 2
r2 = atomic_fetch_add((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 01 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11
-- result
0x1
-- mem-out
11 11 11 11 11 11 11 11 03 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11

== lock add64: wraps
-- asm
r2 = 2
lock *(u64 *)(r1 +8) += r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 ff ff ff ff ff ff ff ff 11 11 11 11 11 11 11 11
-- result
0x2
-- mem-out
11 11 11 11 11 11 11 11 01 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11

== atomic_fetch_add64: wraps
-- asm
r2 = 2
r2 = atomic_fetch_add((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 ff ff ff ff ff ff ff ff 11 11 11 11 11 11 11 11
-- result
0xffffffffffffffff
-- mem-out
11 11 11 11 11 11 11 11 01 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11

== lock add64: carries into the upper half
-- asm
r2 = 1
lock *(u64 *)(r1 +8) += r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 ff ff ff ff 00 00 00 00 11 11 11 11 11 11 11 11
-- result
0x1
-- mem-out
11 11 11 11 11 11 11 11 00 00 00 00 01 00 00 00 11 11 11 11 11 11 11 11

== atomic_fetch_add64: carries into the upper half
-- asm
r2 = 1
r2 = atomic_fetch_add((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 ff ff ff ff 00 00 00 00 11 11 11 11 11 11 11 11
-- result
0xffffffff
-- mem-out
11 11 11 11 11 11 11 11 00 00 00 00 01 00 00 00 11 11 11 11 11 11 11 11

== lock or64: sets bits
-- asm
r2 = 252645135
lock *(u64 *)(r1 +8) |= r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 00 00 00 00 f0 f0 f0 f0 11 11 11 11 11 11 11 11
-- result
0xf0f0f0f
-- mem-out
11 11 11 11 11 11 11 11 0f 0f 0f 0f f0 f0 f0 f0 11 11 11 11 11 11 11 11

== atomic_fetch_or64: sets bits
-- asm
r2 = 252645135
r2 = atomic_fetch_or((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 00 00 00 00 f0 f0 f0 f0 11 11 11 11 11 11 11 11
-- result
0xf0f0f0f000000000
-- mem-out
11 11 11 11 11 11 11 11 0f 0f 0f 0f f0 f0 f0 f0 11 11 11 11 11 11 11 11

== lock and64: masks
-- asm
r2 = 0xffff0000ffff0000 ll
lock *(u64 *)(r1 +8) &= r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 f0 de bc 9a 78 56 34 12 11 11 11 11 11 11 11 11
-- result
0xffff0000ffff0000
-- mem-out
11 11 11 11 11 11 11 11 00 00 bc 9a 00 00 34 12 11 11 11 11 11 11 11 11

== atomic_fetch_and64: masks
-- asm
r2 = 0xffff0000ffff0000 ll
r2 = atomic_fetch_and((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 f0 de bc 9a 78 56 34 12 11 11 11 11 11 11 11 11
-- result
0x123456789abcdef0
-- mem-out
11 11 11 11 11 11 11 11 00 00 bc 9a 00 00 34 12 11 11 11 11 11 11 11 11

== lock xor64: inverts
-- asm
r2 = 0xffffffffffffffff ll
lock *(u64 *)(r1 +8) ^= r2
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 aa aa aa aa aa aa aa aa 11 11 11 11 11 11 11 11
-- result
0xffffffffffffffff
-- mem-out
11 11 11 11 11 11 11 11 55 55 55 55 55 55 55 55 11 11 11 11 11 11 11 11

== atomic_fetch_xor64: inverts
-- asm
r2 = 0xffffffffffffffff ll
r2 = atomic_fetch_xor((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
11 11 11 11 11 11 11 11 aa aa aa aa aa aa aa aa 11 11 11 11 11 11 11 11
-- result
0xaaaaaaaaaaaaaaaa
-- mem-out
11 11 11 11 11 11 11 11 55 55 55 55 55 55 55 55 11 11 11 11 11 11 11 11

== lock add32: add 0xffffffff wraps to 4, no carry into the next word
-- asm
r2 = 0xffffffff ll
lock *(u32 *)(r1 +4) += w2
r0 = r2
exit
-- mem
11 11 11 11 05 00 00 00 11 11 11 11
-- result
0xffffffff
-- mem-out
11 11 11 11 04 00 00 00 11 11 11 11

== atomic_fetch_add32: add 0xffffffff wraps to 4, no carry into the next word
-- asm
r2 = 0xffffffff ll
w2 = atomic_fetch_add((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
11 11 11 11 05 00 00 00 11 11 11 11
-- result
0x5
-- mem-out
11 11 11 11 04 00 00 00 11 11 11 11

== lock add32: upper half of src ignored: 0xffffffff + 1 = 0
-- asm
r2 = 0x100000001 ll
lock *(u32 *)(r1 +4) += w2
r0 = r2
exit
-- mem
11 11 11 11 ff ff ff ff 11 11 11 11
-- result
0x100000001
-- mem-out
11 11 11 11 00 00 00 00 11 11 11 11

== atomic_fetch_add32: upper half of src ignored: 0xffffffff + 1 = 0
-- asm
r2 = 0x100000001 ll
w2 = atomic_fetch_add((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
11 11 11 11 ff ff ff ff 11 11 11 11
-- result
0xffffffff
-- mem-out
11 11 11 11 00 00 00 00 11 11 11 11

== lock or32: upper half of src ignored
-- asm
r2 = 0xffffffff00000001 ll
lock *(u32 *)(r1 +4) |= w2
r0 = r2
exit
-- mem
11 11 11 11 00 00 00 80 11 11 11 11
-- result
0xffffffff00000001
-- mem-out
11 11 11 11 01 00 00 80 11 11 11 11

== atomic_fetch_or32: upper half of src ignored
-- asm
r2 = 0xffffffff00000001 ll
w2 = atomic_fetch_or((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
11 11 11 11 00 00 00 80 11 11 11 11
-- result
0x80000000
-- mem-out
11 11 11 11 01 00 00 80 11 11 11 11

== lock and32: masks
-- asm
r2 = 65535
lock *(u32 *)(r1 +4) &= w2
r0 = r2
exit
-- mem
11 11 11 11 ff ff ff ff 11 11 11 11
-- result
0xffff
-- mem-out
11 11 11 11 ff ff 00 00 11 11 11 11

== atomic_fetch_and32: masks
-- asm
r2 = 65535
w2 = atomic_fetch_and((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
11 11 11 11 ff ff ff ff 11 11 11 11
-- result
0xffffffff
-- mem-out
11 11 11 11 ff ff 00 00 11 11 11 11

== lock xor32: inverts
-- asm
r2 = 0xffffffff ll
lock *(u32 *)(r1 +4) ^= w2
r0 = r2
exit
-- mem
11 11 11 11 78 56 34 12 11 11 11 11
-- result
0xffffffff
-- mem-out
11 11 11 11 87 a9 cb ed 11 11 11 11

== atomic_fetch_xor32: inverts
-- asm
r2 = 0xffffffff ll
w2 = atomic_fetch_xor((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
11 11 11 11 78 56 34 12 11 11 11 11
-- result
0x12345678
-- mem-out
11 11 11 11 87 a9 cb ed 11 11 11 11

== atomic_fetch_add64: r0 as the source register
-- asm
r0 = 10
r0 = atomic_fetch_add((u64 *)(r1 +0), r0)
exit
-- mem
07 00 00 00 00 00 00 00
-- result
0x7
-- mem-out
11 00 00 00 00 00 00 00

== atomic_fetch_or32: old value with bit 31 set is zero-extended
-- asm
r3 = -1
w3 = atomic_fetch_or((u32 *)(r1 +0), w3)
r0 = r3
exit
-- mem
00 00 00 80
-- result
0x80000000
-- mem-out
ff ff ff ff

== atomic_fetch_add32: the fetched register loses its upper half
-- asm
r9 = 0xffffffff00000000 ll
w9 = atomic_fetch_add((u32 *)(r1 +0), w9)
r0 = r9
exit
-- mem
42 00 00 00
-- result
0x42
-- mem-out
42 00 00 00

== atomic_xchg64: swaps the register and memory
-- asm
r2 = 0x1122334455667788 ll
r2 = atomic_xchg((u64 *)(r1 +8), r2)
r0 = r2
exit
-- mem
00 00 00 00 00 00 00 00 10 32 54 76 98 ba dc fe
-- result
0xfedcba9876543210
-- mem-out
00 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11

== atomic_xchg32: stores the low half, old value zero-extended
-- asm
r2 = 0x1122334455667788 ll
w2 = atomic_xchg((u32 *)(r1 +4), w2)
r0 = r2
exit
-- mem
aa aa aa aa 98 ba dc fe bb bb bb bb
-- result
0xfedcba98
-- mem-out
aa aa aa aa 88 77 66 55 bb bb bb bb

== atomic_xchg64: same value leaves memory unchanged
-- asm
r4 = 5
r4 = atomic_xchg((u64 *)(r1 +0), r4)
r0 = r4
exit
-- mem
05 00 00 00 00 00 00 00
-- result
0x5
-- mem-out
05 00 00 00 00 00 00 00

== atomic_cmpxchg64: success stores src, r0 = old
-- asm
r0 = 0x1234
r2 = 0x5678
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r2)
exit
-- mem
34 12 00 00 00 00 00 00
-- result
0x1234
-- mem-out
78 56 00 00 00 00 00 00

== atomic_cmpxchg64: failure leaves memory, r0 = old
-- asm
r0 = 0x1235
r2 = 0x5678
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r2)
exit
-- mem
34 12 00 00 00 00 00 00
-- result
0x1234
-- mem-out
34 12 00 00 00 00 00 00

== atomic_cmpxchg64: compares all 64 bits (upper half differs: fails)
-- asm
r0 = 0x100001234 ll
r2 = 1
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r2)
exit
-- mem
34 12 00 00 00 00 00 00
-- result
0x1234
-- mem-out
34 12 00 00 00 00 00 00

== atomic_cmpxchg64: src register unchanged
-- asm
r0 = 1
r3 = 9
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r3)
r0 = r3
exit
-- mem
01 00 00 00 00 00 00 00
-- result
0x9
-- mem-out
09 00 00 00 00 00 00 00

== atomic_cmpxchg32: success compares the low half of r0 only, r0 zero-extended
-- asm
r0 = 0xffffffff00000005 ll
r2 = 0x100000007 ll
w0 = atomic_cmpxchg((u32 *)(r1 +4), w0, w2)
exit
-- mem
11 11 11 11 05 00 00 00 22 22 22 22
-- result
0x5
-- mem-out
11 11 11 11 07 00 00 00 22 22 22 22

== atomic_cmpxchg32: failure, old value with bit 31 set zero-extended
-- asm
r0 = 0
r2 = 1
w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)
exit
-- mem
00 00 00 80
-- result
0x80000000
-- mem-out
00 00 00 80

== atomic_cmpxchg32: success with r0 = -1 (low half 0xffffffff)
-- asm
r0 = -1
r2 = 0
w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)
exit
-- mem
ff ff ff ff 33 33 33 33
-- result
0xffffffff
-- mem-out
00 00 00 00 33 33 33 33

== atomic_xchg64: src is also the base register (address read first, pointer stored)
-- asm
r6 = r1
r1 = atomic_xchg((u64 *)(r1 +0), r1)
r0 = r1
r2 = *(u64 *)(r6 +0)
*(u64 *)(r6 +0) = 0
if r2 == r6 goto +1
r0 = 0
exit
-- mem
88 77 66 55 44 33 22 11
-- result
0x1122334455667788
-- mem-out
00 00 00 00 00 00 00 00

== atomic_fetch_xor32: src is also the base register (address read first, pointer stored)
-- asm
r6 = r1
w1 = atomic_fetch_xor((u32 *)(r1 +4), w1)
r0 = r1
r2 = *(u32 *)(r6 +4)
r2 ^= r0
w3 = w6
*(u32 *)(r6 +4) = 0
if r2 == r3 goto +1
r0 = 0
exit
-- mem
00 00 00 00 0d f0 fe ca
-- result
0xcafef00d
-- mem-out
00 00 00 00 00 00 00 00

== atomic_cmpxchg64: r0 as the base register (address read before r0 is replaced)
-- asm
r0 = r1
r2 = 5
r0 = atomic_cmpxchg((u64 *)(r0 +0), r0, r2)
exit
-- mem
77 00 00 00 00 00 00 00
-- result
0x77
-- mem-out
77 00 00 00 00 00 00 00

== atomic_cmpxchg64: r0 as the source register (success stores r0 itself)
-- asm
r0 = 0x99
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r0)
exit
-- mem
99 00 00 00 00 00 00 00
-- result
0x99
-- mem-out
99 00 00 00 00 00 00 00

== atomic_fetch_add64: negative offset
-- asm
r1 += 16
r2 = 3
r2 = atomic_fetch_add((u64 *)(r1 -8), r2)
r0 = r2
exit
-- mem
01 00 00 00 00 00 00 00 28 00 00 00 00 00 00 00
-- result
0x28
-- mem-out
01 00 00 00 00 00 00 00 2b 00 00 00 00 00 00 00

== lock add64 on the stack
-- asm
*(u64 *)(r10 -8) = 10
r1 = 5
lock *(u64 *)(r10 -8) += r1
r0 = *(u64 *)(r10 -8)
exit
-- result
0xf

== lock xor32 on the stack at r10-512
-- asm
*(u32 *)(r10 -512) = 0xff
r1 = 0x0f
lock *(u32 *)(r10 -512) ^= w1
r0 = *(u32 *)(r10 -512)
exit
-- result
0xf0

== atomic_fetch_and64 on the stack
-- asm
*(u64 *)(r10 -16) = -1
r1 = 0x0f
r1 = atomic_fetch_and((u64 *)(r10 -16), r1)
r0 = *(u64 *)(r10 -16)
r0 += r1
exit
-- result
0xe

== atomic_cmpxchg64 on the stack
-- asm
*(u64 *)(r10 -8) = 3
r0 = 3
r1 = 4
r0 = atomic_cmpxchg((u64 *)(r10 -8), r0, r1)
r1 = *(u64 *)(r10 -8)
r0 <<= 8
r0 |= r1
exit
-- result
0x304

== lock add64: a loop of atomic increments
-- asm
r2 = 1
r3 = 100
loop:
lock *(u64 *)(r1 +0) += r2
r3 -= 1
if r3 != 0 goto loop
r0 = *(u64 *)(r1 +0)
exit
-- mem
00 00 00 00 00 00 00 00
-- result
0x64
-- mem-out
64 00 00 00 00 00 00 00

== atomic_cmpxchg64: compare-and-swap loop doubling a value
-- asm
r6 = 5
loop:
r0 = *(u64 *)(r1 +0)
r2 = r0
r2 <<= 1
r3 = r0
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r2)
if r0 != r3 goto loop
r6 -= 1
if r6 != 0 goto loop
r0 = *(u64 *)(r1 +0)
exit
-- mem
03 00 00 00 00 00 00 00
-- result
0x60
-- mem-out
60 00 00 00 00 00 00 00

== load_acquire u8/u16/u32/u64 zero-extend what they read
-- asm
r1 = 0x8182838485868788 ll
*(u64 *)(r10 -8) = r1
r2 = load_acquire((u8 *)(r10 -8))
r3 = load_acquire((u16 *)(r10 -8))
r4 = load_acquire((u32 *)(r10 -8))
r5 = load_acquire((u64 *)(r10 -8))
r0 = 0
if r2 != 0x88 goto out
if r3 != 0x8788 goto out
r6 = 0x85868788 ll
if r4 != r6 goto out
if r5 != r1 goto out
r0 = 1
out:
exit
-- result
1

== store_release u8/u16/u32/u64 write only their width
-- asm
r1 = -1
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -16) = r1
*(u64 *)(r10 -24) = r1
r2 = 0x1122334455667788 ll
store_release((u8 *)(r10 -8), r2)
store_release((u16 *)(r10 -16), r2)
store_release((u32 *)(r10 -24), r2)
store_release((u64 *)(r10 -32), r2)
r0 = *(u64 *)(r10 -8)
r3 = *(u64 *)(r10 -16)
r0 ^= r3
r3 = *(u64 *)(r10 -24)
r0 ^= r3
r3 = *(u64 *)(r10 -32)
r0 ^= r3
exit
-- result
0xeeddccbb00008800

== load_acquire from memory with an offset
-- asm
r0 = load_acquire((u32 *)(r1 +4))
exit
-- mem
00 00 00 00 78 56 34 12
-- result
0x12345678

== store_release to memory
-- asm
r2 = 0xabcd
store_release((u16 *)(r1 +2), r2)
r0 = 0
exit
-- mem
00 00 00 00
-- mem-out
00 00 cd ab

== store_release misaligned faults in the checked interpreter
-- asm
r2 = 1
store_release((u32 *)(r1 +1), r2)
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00
-- fault
misaligned atomic access of 4 bytes

== load_acquire past the end of memory faults
-- asm
r0 = load_acquire((u64 *)(r1 +4))
exit
-- mem
00 00 00 00 00 00 00 00
-- fault
invalid read of 8 bytes at mem+4
