# Signed division and modulo (off = 1): s/= and s%=, 64 and 32 bits, imm and reg.
# Division truncates toward zero; the remainder takes the sign of the dividend;
# INT_MIN s/ -1 = INT_MIN and INT_MIN s% -1 = 0; by zero: s/ gives 0 and s% leaves
# dst (32-bit forms zero-extend). Imm 0 divisors are refused by the kernel verifier.
# Expected values were computed independently (python model) and checked on Linux 6.18.

== sdiv64 imm: 7 by 2
-- asm
r0 = 7
r0 s/= 2
exit
-- result
0x3

== sdiv64 imm: -7 by 2
-- asm
r3 = 0xfffffffffffffff9 ll
r3 s/= 2
r0 = r3
exit
-- result
0xfffffffffffffffd

== sdiv64 imm: 7 by -2
-- asm
r9 = 7
r9 s/= -2
r0 = r9
exit
-- result
0xfffffffffffffffd

== sdiv64 imm: -7 by -2
-- asm
r5 = 0xfffffffffffffff9 ll
r5 s/= -2
r0 = r5
exit
-- result
0x3

== sdiv64 imm: INT_MIN by -1
-- asm
r8 = 0x8000000000000000 ll
r8 s/= -1
r0 = r8
exit
-- result
0x8000000000000000

== sdiv64 imm: -1 by -1
-- asm
r4 = 0xffffffffffffffff ll
r4 s/= -1
r0 = r4
exit
-- result
0x1

== sdiv64 imm: 5 by -1
-- asm
r2 = 5
r2 s/= -1
r0 = r2
exit
-- result
0xfffffffffffffffb

== sdiv64 imm: exact: -6 by 3
-- asm
r7 = 0xfffffffffffffffa ll
r7 s/= 3
r0 = r7
exit
-- result
0xfffffffffffffffe

== sdiv64 imm: INT_MIN by 2
-- asm
r6 = 0x8000000000000000 ll
r6 s/= 2
r0 = r6
exit
-- result
0xc000000000000000

== sdiv64 imm: -100 by INT32_MIN
-- asm
r1 = 0xffffffffffffff9c ll
r1 s/= -2147483648
r0 = r1
exit
-- result
0x0

== sdiv64 imm: 2^62 by INT32_MIN
-- asm
r0 = 0x4000000000000000 ll
r0 s/= -2147483648
exit
-- result
0xffffffff80000000

== sdiv64 imm: smaller dividend: 3 by 7
-- asm
r3 = 3
r3 s/= 7
r0 = r3
exit
-- result
0x0

== sdiv64 imm: smaller negative dividend: -3 by 7
-- asm
r9 = 0xfffffffffffffffd ll
r9 s/= 7
r0 = r9
exit
-- result
0x0

== sdiv64 imm: by zero
-- asm
r5 = 0x1122334455667788 ll
r5 s/= 0
r0 = r5
exit
-- result
0x0

== smod64 imm: 7 by 2
-- asm
r8 = 7
r8 s%= 2
r0 = r8
exit
-- result
0x1

== smod64 imm: -7 by 2
-- asm
r4 = 0xfffffffffffffff9 ll
r4 s%= 2
r0 = r4
exit
-- result
0xffffffffffffffff

== smod64 imm: 7 by -2
-- asm
r2 = 7
r2 s%= -2
r0 = r2
exit
-- result
0x1

== smod64 imm: -7 by -2
-- asm
r7 = 0xfffffffffffffff9 ll
r7 s%= -2
r0 = r7
exit
-- result
0xffffffffffffffff

== smod64 imm: INT_MIN by -1
-- asm
r6 = 0x8000000000000000 ll
r6 s%= -1
r0 = r6
exit
-- result
0x0

== smod64 imm: -1 by -1
-- asm
r1 = 0xffffffffffffffff ll
r1 s%= -1
r0 = r1
exit
-- result
0x0

== smod64 imm: 5 by -1
-- asm
r0 = 5
r0 s%= -1
exit
-- result
0x0

== smod64 imm: exact: -6 by 3
-- asm
r3 = 0xfffffffffffffffa ll
r3 s%= 3
r0 = r3
exit
-- result
0x0

== smod64 imm: INT_MIN by 2
-- asm
r9 = 0x8000000000000000 ll
r9 s%= 2
r0 = r9
exit
-- result
0x0

== smod64 imm: -100 by INT32_MIN
-- asm
r5 = 0xffffffffffffff9c ll
r5 s%= -2147483648
r0 = r5
exit
-- result
0xffffffffffffff9c

== smod64 imm: 2^62 by INT32_MIN
-- asm
r8 = 0x4000000000000000 ll
r8 s%= -2147483648
r0 = r8
exit
-- result
0x0

== smod64 imm: smaller dividend: 3 by 7
-- asm
r4 = 3
r4 s%= 7
r0 = r4
exit
-- result
0x3

== smod64 imm: smaller negative dividend: -3 by 7
-- asm
r2 = 0xfffffffffffffffd ll
r2 s%= 7
r0 = r2
exit
-- result
0xfffffffffffffffd

== smod64 imm: by zero
-- asm
r7 = 0x1122334455667788 ll
r7 s%= 0
r0 = r7
exit
-- result
0x1122334455667788

== sdiv64 reg: 7 by 2
-- asm
r6 = 7
r4 = 2
r6 s/= r4
r0 = r6
exit
-- result
0x3

== sdiv64 reg: -7 by 2
-- asm
r1 = 0xfffffffffffffff9 ll
r5 = 2
r1 s/= r5
r0 = r1
exit
-- result
0xfffffffffffffffd

== sdiv64 reg: 7 by -2
-- asm
r0 = 7
r1 = 0xfffffffffffffffe ll
r0 s/= r1
exit
-- result
0xfffffffffffffffd

== sdiv64 reg: -7 by -2
-- asm
r3 = 0xfffffffffffffff9 ll
r7 = 0xfffffffffffffffe ll
r3 s/= r7
r0 = r3
exit
-- result
0x3

== sdiv64 reg: INT_MIN by -1
-- asm
r9 = 0x8000000000000000 ll
r2 = 0xffffffffffffffff ll
r9 s/= r2
r0 = r9
exit
-- result
0x8000000000000000

== sdiv64 reg: -1 by -1
-- asm
r5 = 0xffffffffffffffff ll
r0 = 0xffffffffffffffff ll
r5 s/= r0
r0 = r5
exit
-- result
0x1

== sdiv64 reg: 5 by -1
-- asm
r8 = 5
r6 = 0xffffffffffffffff ll
r8 s/= r6
r0 = r8
exit
-- result
0xfffffffffffffffb

== sdiv64 reg: exact: -6 by 3
-- asm
r4 = 0xfffffffffffffffa ll
r9 = 3
r4 s/= r9
r0 = r4
exit
-- result
0xfffffffffffffffe

== sdiv64 reg: INT_MIN by 2
-- asm
r2 = 0x8000000000000000 ll
r3 = 2
r2 s/= r3
r0 = r2
exit
-- result
0xc000000000000000

== sdiv64 reg: -100 by INT32_MIN
-- asm
r7 = 0xffffffffffffff9c ll
r8 = 0xffffffff80000000 ll
r7 s/= r8
r0 = r7
exit
-- result
0x0

== sdiv64 reg: 2^62 by INT32_MIN
-- asm
r6 = 0x4000000000000000 ll
r4 = 0xffffffff80000000 ll
r6 s/= r4
r0 = r6
exit
-- result
0xffffffff80000000

== sdiv64 reg: smaller dividend: 3 by 7
-- asm
r1 = 3
r5 = 7
r1 s/= r5
r0 = r1
exit
-- result
0x0

== sdiv64 reg: smaller negative dividend: -3 by 7
-- asm
r0 = 0xfffffffffffffffd ll
r1 = 7
r0 s/= r1
exit
-- result
0x0

== sdiv64 reg: by zero
-- asm
r3 = 0x1122334455667788 ll
r7 = 0
r3 s/= r7
r0 = r3
exit
-- result
0x0

== sdiv64 reg: negative by zero
-- asm
r9 = 0xfffffffffffffffb ll
r2 = 0
r9 s/= r2
r0 = r9
exit
-- result
0x0

== smod64 reg: 7 by 2
-- asm
r5 = 7
r0 = 2
r5 s%= r0
r0 = r5
exit
-- result
0x1

== smod64 reg: -7 by 2
-- asm
r8 = 0xfffffffffffffff9 ll
r6 = 2
r8 s%= r6
r0 = r8
exit
-- result
0xffffffffffffffff

== smod64 reg: 7 by -2
-- asm
r4 = 7
r9 = 0xfffffffffffffffe ll
r4 s%= r9
r0 = r4
exit
-- result
0x1

== smod64 reg: -7 by -2
-- asm
r2 = 0xfffffffffffffff9 ll
r3 = 0xfffffffffffffffe ll
r2 s%= r3
r0 = r2
exit
-- result
0xffffffffffffffff

== smod64 reg: INT_MIN by -1
-- asm
r7 = 0x8000000000000000 ll
r8 = 0xffffffffffffffff ll
r7 s%= r8
r0 = r7
exit
-- result
0x0

== smod64 reg: -1 by -1
-- asm
r6 = 0xffffffffffffffff ll
r4 = 0xffffffffffffffff ll
r6 s%= r4
r0 = r6
exit
-- result
0x0

== smod64 reg: 5 by -1
-- asm
r1 = 5
r5 = 0xffffffffffffffff ll
r1 s%= r5
r0 = r1
exit
-- result
0x0

== smod64 reg: exact: -6 by 3
-- asm
r0 = 0xfffffffffffffffa ll
r1 = 3
r0 s%= r1
exit
-- result
0x0

== smod64 reg: INT_MIN by 2
-- asm
r3 = 0x8000000000000000 ll
r7 = 2
r3 s%= r7
r0 = r3
exit
-- result
0x0

== smod64 reg: -100 by INT32_MIN
-- asm
r9 = 0xffffffffffffff9c ll
r2 = 0xffffffff80000000 ll
r9 s%= r2
r0 = r9
exit
-- result
0xffffffffffffff9c

== smod64 reg: 2^62 by INT32_MIN
-- asm
r5 = 0x4000000000000000 ll
r0 = 0xffffffff80000000 ll
r5 s%= r0
r0 = r5
exit
-- result
0x0

== smod64 reg: smaller dividend: 3 by 7
-- asm
r8 = 3
r6 = 7
r8 s%= r6
r0 = r8
exit
-- result
0x3

== smod64 reg: smaller negative dividend: -3 by 7
-- asm
r4 = 0xfffffffffffffffd ll
r9 = 7
r4 s%= r9
r0 = r4
exit
-- result
0xfffffffffffffffd

== smod64 reg: by zero
-- asm
r2 = 0x1122334455667788 ll
r3 = 0
r2 s%= r3
r0 = r2
exit
-- result
0x1122334455667788

== smod64 reg: negative by zero
-- asm
r7 = 0xfffffffffffffffb ll
r8 = 0
r7 s%= r8
r0 = r7
exit
-- result
0xfffffffffffffffb

== sdiv32 imm: 7 by 2
-- asm
r6 = 7
w6 s/= 2
r0 = r6
exit
-- result
0x3

== sdiv32 imm: -7 by 2
-- asm
r1 = 0xfffffff9 ll
w1 s/= 2
r0 = r1
exit
-- result
0xfffffffd

== sdiv32 imm: 7 by -2
-- asm
r0 = 7
w0 s/= -2
exit
-- result
0xfffffffd

== sdiv32 imm: -7 by -2
-- asm
r3 = 0xfffffff9 ll
w3 s/= -2
r0 = r3
exit
-- result
0x3

== sdiv32 imm: INT_MIN by -1
-- asm
r9 = 0x80000000 ll
w9 s/= -1
r0 = r9
exit
-- result
0x80000000

== sdiv32 imm: -1 by -1
-- asm
r5 = 0xffffffff ll
w5 s/= -1
r0 = r5
exit
-- result
0x1

== sdiv32 imm: 5 by -1
-- asm
r8 = 5
w8 s/= -1
r0 = r8
exit
-- result
0xfffffffb

== sdiv32 imm: exact: -6 by 3
-- asm
r4 = 0xfffffffa ll
w4 s/= 3
r0 = r4
exit
-- result
0xfffffffe

== sdiv32 imm: INT_MIN by 2
-- asm
r2 = 0x80000000 ll
w2 s/= 2
r0 = r2
exit
-- result
0xc0000000

== sdiv32 imm: -100 by INT32_MIN
-- asm
r7 = 0xffffff9c ll
w7 s/= -2147483648
r0 = r7
exit
-- result
0x0

== sdiv32 imm: 2^30 by INT32_MIN
-- asm
r6 = 1073741824
w6 s/= -2147483648
r0 = r6
exit
-- result
0x0

== sdiv32 imm: smaller dividend: 3 by 7
-- asm
r1 = 3
w1 s/= 7
r0 = r1
exit
-- result
0x0

== sdiv32 imm: smaller negative dividend: -3 by 7
-- asm
r0 = 0xfffffffd ll
w0 s/= 7
exit
-- result
0x0

== sdiv32 imm: by zero
-- asm
r3 = 0x1122334455667788 ll
w3 s/= 0
r0 = r3
exit
-- result
0x0

== smod32 imm: 7 by 2
-- asm
r9 = 7
w9 s%= 2
r0 = r9
exit
-- result
0x1

== smod32 imm: -7 by 2
-- asm
r5 = 0xfffffff9 ll
w5 s%= 2
r0 = r5
exit
-- result
0xffffffff

== smod32 imm: 7 by -2
-- asm
r8 = 7
w8 s%= -2
r0 = r8
exit
-- result
0x1

== smod32 imm: -7 by -2
-- asm
r4 = 0xfffffff9 ll
w4 s%= -2
r0 = r4
exit
-- result
0xffffffff

== smod32 imm: INT_MIN by -1
-- asm
r2 = 0x80000000 ll
w2 s%= -1
r0 = r2
exit
-- result
0x0

== smod32 imm: -1 by -1
-- asm
r7 = 0xffffffff ll
w7 s%= -1
r0 = r7
exit
-- result
0x0

== smod32 imm: 5 by -1
-- asm
r6 = 5
w6 s%= -1
r0 = r6
exit
-- result
0x0

== smod32 imm: exact: -6 by 3
-- asm
r1 = 0xfffffffa ll
w1 s%= 3
r0 = r1
exit
-- result
0x0

== smod32 imm: INT_MIN by 2
-- asm
r0 = 0x80000000 ll
w0 s%= 2
exit
-- result
0x0

== smod32 imm: -100 by INT32_MIN
-- asm
r3 = 0xffffff9c ll
w3 s%= -2147483648
r0 = r3
exit
-- result
0xffffff9c

== smod32 imm: 2^30 by INT32_MIN
-- asm
r9 = 1073741824
w9 s%= -2147483648
r0 = r9
exit
-- result
0x40000000

== smod32 imm: smaller dividend: 3 by 7
-- asm
r5 = 3
w5 s%= 7
r0 = r5
exit
-- result
0x3

== smod32 imm: smaller negative dividend: -3 by 7
-- asm
r8 = 0xfffffffd ll
w8 s%= 7
r0 = r8
exit
-- result
0xfffffffd

== smod32 imm: by zero
-- asm
r4 = 0x1122334455667788 ll
w4 s%= 0
r0 = r4
exit
-- result
0x55667788

== sdiv32 reg: 7 by 2
-- asm
r2 = 7
r3 = 2
w2 s/= w3
r0 = r2
exit
-- result
0x3

== sdiv32 reg: -7 by 2
-- asm
r7 = 0xfffffff9 ll
r8 = 2
w7 s/= w8
r0 = r7
exit
-- result
0xfffffffd

== sdiv32 reg: 7 by -2
-- asm
r6 = 7
r4 = 0xfffffffe ll
w6 s/= w4
r0 = r6
exit
-- result
0xfffffffd

== sdiv32 reg: -7 by -2
-- asm
r1 = 0xfffffff9 ll
r5 = 0xfffffffe ll
w1 s/= w5
r0 = r1
exit
-- result
0x3

== sdiv32 reg: INT_MIN by -1
-- asm
r0 = 0x80000000 ll
r1 = 0xffffffff ll
w0 s/= w1
exit
-- result
0x80000000

== sdiv32 reg: -1 by -1
-- asm
r3 = 0xffffffff ll
r7 = 0xffffffff ll
w3 s/= w7
r0 = r3
exit
-- result
0x1

== sdiv32 reg: 5 by -1
-- asm
r9 = 5
r2 = 0xffffffff ll
w9 s/= w2
r0 = r9
exit
-- result
0xfffffffb

== sdiv32 reg: exact: -6 by 3
-- asm
r5 = 0xfffffffa ll
r0 = 3
w5 s/= w0
r0 = r5
exit
-- result
0xfffffffe

== sdiv32 reg: INT_MIN by 2
-- asm
r8 = 0x80000000 ll
r6 = 2
w8 s/= w6
r0 = r8
exit
-- result
0xc0000000

== sdiv32 reg: -100 by INT32_MIN
-- asm
r4 = 0xffffff9c ll
r9 = 0x80000000 ll
w4 s/= w9
r0 = r4
exit
-- result
0x0

== sdiv32 reg: 2^30 by INT32_MIN
-- asm
r2 = 1073741824
r3 = 0x80000000 ll
w2 s/= w3
r0 = r2
exit
-- result
0x0

== sdiv32 reg: smaller dividend: 3 by 7
-- asm
r7 = 3
r8 = 7
w7 s/= w8
r0 = r7
exit
-- result
0x0

== sdiv32 reg: smaller negative dividend: -3 by 7
-- asm
r6 = 0xfffffffd ll
r4 = 7
w6 s/= w4
r0 = r6
exit
-- result
0x0

== sdiv32 reg: by zero
-- asm
r1 = 0x1122334455667788 ll
r5 = 0
w1 s/= w5
r0 = r1
exit
-- result
0x0

== sdiv32 reg: negative by zero
-- asm
r0 = 0xfffffffb ll
r1 = 0
w0 s/= w1
exit
-- result
0x0

== smod32 reg: 7 by 2
-- asm
r3 = 7
r7 = 2
w3 s%= w7
r0 = r3
exit
-- result
0x1

== smod32 reg: -7 by 2
-- asm
r9 = 0xfffffff9 ll
r2 = 2
w9 s%= w2
r0 = r9
exit
-- result
0xffffffff

== smod32 reg: 7 by -2
-- asm
r5 = 7
r0 = 0xfffffffe ll
w5 s%= w0
r0 = r5
exit
-- result
0x1

== smod32 reg: -7 by -2
-- asm
r8 = 0xfffffff9 ll
r6 = 0xfffffffe ll
w8 s%= w6
r0 = r8
exit
-- result
0xffffffff

== smod32 reg: INT_MIN by -1
-- asm
r4 = 0x80000000 ll
r9 = 0xffffffff ll
w4 s%= w9
r0 = r4
exit
-- result
0x0

== smod32 reg: -1 by -1
-- asm
r2 = 0xffffffff ll
r3 = 0xffffffff ll
w2 s%= w3
r0 = r2
exit
-- result
0x0

== smod32 reg: 5 by -1
-- asm
r7 = 5
r8 = 0xffffffff ll
w7 s%= w8
r0 = r7
exit
-- result
0x0

== smod32 reg: exact: -6 by 3
-- asm
r6 = 0xfffffffa ll
r4 = 3
w6 s%= w4
r0 = r6
exit
-- result
0x0

== smod32 reg: INT_MIN by 2
-- asm
r1 = 0x80000000 ll
r5 = 2
w1 s%= w5
r0 = r1
exit
-- result
0x0

== smod32 reg: -100 by INT32_MIN
-- asm
r0 = 0xffffff9c ll
r1 = 0x80000000 ll
w0 s%= w1
exit
-- result
0xffffff9c

== smod32 reg: 2^30 by INT32_MIN
-- asm
r3 = 1073741824
r7 = 0x80000000 ll
w3 s%= w7
r0 = r3
exit
-- result
0x40000000

== smod32 reg: smaller dividend: 3 by 7
-- asm
r9 = 3
r2 = 7
w9 s%= w2
r0 = r9
exit
-- result
0x3

== smod32 reg: smaller negative dividend: -3 by 7
-- asm
r5 = 0xfffffffd ll
r0 = 7
w5 s%= w0
r0 = r5
exit
-- result
0xfffffffd

== smod32 reg: by zero
-- asm
r8 = 0x1122334455667788 ll
r6 = 0
w8 s%= w6
r0 = r8
exit
-- result
0x55667788

== smod32 reg: negative by zero
-- asm
r4 = 0xfffffffb ll
r9 = 0
w4 s%= w9
r0 = r4
exit
-- result
0xfffffffb

== sdiv32 reg: upper halves of dst and src are ignored
-- asm
r1 = 0x1fffffff9 ll
r2 = 0x3fffffffe ll
w1 s/= w2
r0 = r1
exit
-- result
0x3

== sdiv32 imm: the sign of the dividend comes from bit 31
-- asm
r0 = 0x7fffffff80000000 ll
w0 s/= 2
exit
-- result
0xc0000000

== sdiv32 reg: src with only upper bits set is zero: result 0
-- asm
r0 = 100
r1 = 0x100000000 ll
w0 s/= w1
exit
-- result
0x0

== smod32 reg: src with only upper bits set is zero: dst zero-extended
-- asm
r0 = 0x1122334487654321 ll
r1 = 0xffffffff00000000 ll
w0 s%= w1
exit
-- result
0x87654321

== smod32 imm: negative 64-bit dividend uses its low half
-- asm
r0 = -7
w0 s%= 3
exit
-- result
0xffffffff

== smod32 reg: -1 in 64 bits of the divisor is -1 in 32 bits
-- asm
r0 = 0x80000000
r1 = -1
w0 s%= w1
exit
-- result
0x0

== sdiv64 imm: INT32_MIN imm is sign-extended
-- asm
r0 = 0x4000000000000000 ll
r0 s/= -2147483648
exit
-- result
0xffffffff80000000

== sdiv64 vs div64: the same bits give different quotients
-- asm
r0 = -7
r1 = -7
r0 s/= 2
r1 /= 2
r0 ^= r1
exit
-- result
0x8000000000000001

== smod64 vs mod64: the same bits give different remainders
-- asm
r0 = -7
r1 = -7
r0 s%= 3
r1 %= 3
r0 <<= 8
r0 |= r1
exit
-- result
0xffffffffffffff00

== sdiv64 reg: dst and src the same register
-- asm
r3 = -9
r3 s/= r3
r0 = r3
exit
-- result
0x1

== smod64 reg: dst and src the same register
-- asm
r3 = -9
r3 s%= r3
r0 = r3
exit
-- result
0x0

== sdiv64: identity a == (a s/ b) * b + (a s% b)
-- asm
r1 = -1000003
r2 = 97
r3 = r1
r3 s/= r2
r4 = r1
r4 s%= r2
r3 *= r2
r3 += r4
r0 = 0
if r3 != r1 goto +1
r0 = 1
exit
-- result
0x1
