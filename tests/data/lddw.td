# LD_IMM64 (lddw): a 64-bit immediate in two slots; the low half is not sign-extended.
# Expected values were computed independently and checked on Linux 6.18.

== lddw: 0x1122334455667788 (both halves)
-- asm
r0 = 0x1122334455667788 ll
exit
-- result
0x1122334455667788

== lddw: 0xffffffffffffffff (all ones)
-- asm
r0 = 0xffffffffffffffff ll
exit
-- result
0xffffffffffffffff

== lddw: 0x8000000000000000 (INT64_MIN)
-- asm
r0 = 0x8000000000000000 ll
exit
-- result
0x8000000000000000

== lddw: 0x7fffffffffffffff (INT64_MAX)
-- asm
r0 = 0x7fffffffffffffff ll
exit
-- result
0x7fffffffffffffff

== lddw: 0x80000000 (low half with bit 31 set is not sign-extended)
-- asm
r0 = 0x80000000 ll
exit
-- result
0x80000000

== lddw: 0xffffffff (low half all ones, upper half zero)
-- asm
r0 = 0xffffffff ll
exit
-- result
0xffffffff

== lddw: 0xffffffff00000000 (upper half only)
-- asm
r0 = 0xffffffff00000000 ll
exit
-- result
0xffffffff00000000

== lddw: 0x100000000 (bit 32 only)
-- asm
r0 = 0x100000000 ll
exit
-- result
0x100000000

== lddw: 0x0 (zero)
-- asm
r0 = 0x0 ll
exit
-- result
0x0

== lddw: 0x1 (one)
-- asm
r0 = 0x1 ll
exit
-- result
0x1

== lddw: 0x1ffffffff (low half -1, upper 1)
-- asm
r0 = 0x1ffffffff ll
exit
-- result
0x1ffffffff

== lddw: 0xfedcba9876543210 (descending nibbles)
-- asm
r0 = 0xfedcba9876543210 ll
exit
-- result
0xfedcba9876543210

== lddw: negative decimal -1
-- asm
r0 = -1 ll
exit
-- result
0xffffffffffffffff

== lddw: negative decimal -2
-- asm
r0 = -2 ll
exit
-- result
0xfffffffffffffffe

== lddw: INT64_MIN written in decimal
-- asm
r0 = -9223372036854775808 ll
exit
-- result
0x8000000000000000

== lddw: UINT64_MAX written in decimal
-- asm
r0 = 18446744073709551615 ll
exit
-- result
0xffffffffffffffff

== lddw: small decimal
-- asm
r0 = 42 ll
exit
-- result
0x2a

== lddw: overwrites every bit of dst
-- asm
r0 = -1
r0 = 0x10 ll
exit
-- result
0x10

== lddw: into r1
-- asm
r1 = 0x0123456789abcdef ll
r0 = r1
exit
-- result
0x123456789abcdef

== lddw: into r5
-- asm
r5 = 0x0123456789abcdef ll
r0 = r5
exit
-- result
0x123456789abcdef

== lddw: into r9
-- asm
r9 = 0x0123456789abcdef ll
r0 = r9
exit
-- result
0x123456789abcdef

== lddw: two in a row
-- asm
r1 = 0x1111111100000000 ll
r2 = 0x22222222 ll
r0 = r1
r0 |= r2
exit
-- result
0x1111111122222222

== lddw: a jump over it skips both slots
-- asm
r0 = 1
goto +2
r0 = 0x5555555555555555 ll
exit
-- result
0x1

== lddw: a conditional jump over it
-- asm
r0 = 1
if r0 == 1 goto +2
r0 = 2 ll
r0 += 10
exit
-- result
0xb

== lddw: jump to a label after it
-- asm
r0 = 3
goto l
r0 = 4 ll
l:
exit
-- result
0x3

== lddw: jump back to it
-- asm
r1 = 0
l:
r0 = 0x100000000 ll
r1 += 1
if r1 < 3 goto l
r0 += r1
exit
-- result
0x100000003

== lddw: in a loop body
-- asm
r0 = 0
r1 = 4
loop:
r2 = 0x100000001 ll
r0 += r2
r1 -= 1
if r1 != 0 goto loop
exit
-- result
0x400000004

== lddw: raw encoding with both halves
-- raw
18 00 00 00 88 77 66 55  00 00 00 00 44 33 22 11  95 00 00 00 00 00 00 00
-- result
0x1122334455667788

== lddw: raw encoding, low half 0x80000000
-- raw
18 00 00 00 00 00 00 80  00 00 00 00 00 00 00 00  95 00 00 00 00 00 00 00
-- result
0x80000000

== lddw: store the 64-bit value to memory
-- asm
r2 = 0x0807060504030201 ll
*(u64 *)(r1 +0) = r2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
01 02 03 04 05 06 07 08
