# 32-bit ALU: every operation in imm and reg form on w registers. The result is
# zero-extended into the 64-bit register; only the low 32 bits of dst and src are
# used; the imm is used as a 32-bit value; shift counts are masked with 31.
# Expected values were computed independently (python model) and checked on Linux 6.18.

== add32 imm: wraps at 32 bits, no carry into the upper half
-- asm
r0 = 0xffffffff ll
w0 += 1
exit
-- result
0x0

== add32 imm: clears the upper half of dst
-- asm
r3 = 0x1122334455667788 ll
w3 += 0
r0 = r3
exit
-- result
0x55667788

== add32 imm: negative imm: result zero-extended, not sign-extended
-- asm
r9 = 5
w9 += -7
r0 = r9
exit
-- result
0xfffffffe

== add32 imm: INT32_MAX + 1 = 0x80000000, zero-extended
-- asm
r5 = 2147483647
w5 += 1
r0 = r5
exit
-- result
0x80000000

== sub32 imm: wraps to 0xffffffff
-- asm
r8 = 0
w8 -= 1
r0 = r8
exit
-- result
0xffffffff

== sub32 imm: upper half of dst is dropped
-- asm
r4 = 0xffffffff00000005 ll
w4 -= 3
r0 = r4
exit
-- result
0x2

== sub32 imm: negative imm
-- asm
r2 = 3
w2 -= -3
r0 = r2
exit
-- result
0x6

== mul32 imm: overflows 32 bits to 0
-- asm
r7 = 65536
w7 *= 65536
r0 = r7
exit
-- result
0x0

== mul32 imm: by -1: zero-extended result
-- asm
r6 = 5
w6 *= -1
r0 = r6
exit
-- result
0xfffffffb

== mul32 imm: upper half of dst ignored
-- asm
r1 = 0x100000003 ll
w1 *= 3
r0 = r1
exit
-- result
0x9

== mul32 imm: bits above 31 are dropped
-- asm
r0 = 305419896
w0 *= 16
exit
-- result
0x23456780

== div32 imm: truncates
-- asm
r3 = 100
w3 /= 7
r0 = r3
exit
-- result
0xe

== div32 imm: imm -1 is 0xffffffff: quotient 0
-- asm
r9 = 0xfffffffe ll
w9 /= -1
r0 = r9
exit
-- result
0x0

== div32 imm: 0xffffffff / 0xffffffff = 1
-- asm
r5 = 0xffffffff ll
w5 /= -1
r0 = r5
exit
-- result
0x1

== div32 imm: by imm zero gives 0
-- asm
r8 = 0x1122334455667788 ll
w8 /= 0
r0 = r8
exit
-- result
0x0

== div32 imm: upper half of dst ignored: 100 / 5
-- asm
r4 = 0x100000064 ll
w4 /= 5
r0 = r4
exit
-- result
0x14

== div32 imm: unsigned: 0x80000000 / 2
-- asm
r2 = 0x80000000 ll
w2 /= 2
r0 = r2
exit
-- result
0x40000000

== mod32 imm: small values
-- asm
r7 = 100
w7 %= 7
r0 = r7
exit
-- result
0x2

== mod32 imm: by imm zero leaves dst, zero-extended
-- asm
r6 = 0x1122334455667788 ll
w6 %= 0
r0 = r6
exit
-- result
0x55667788

== mod32 imm: 0xffffffff % 0xffffffff = 0
-- asm
r1 = 0xffffffffffffffff ll
w1 %= -1
r0 = r1
exit
-- result
0x0

== mod32 imm: upper half of dst ignored: 10 % 3
-- asm
r0 = 0x10000000a ll
w0 %= 3
exit
-- result
0x1

== mod32 imm: unsigned
-- asm
r3 = 0xfffffff9 ll
w3 %= 2
r0 = r3
exit
-- result
0x1

== or32 imm: clears the upper half
-- asm
r9 = 0xffffffff00000000 ll
w9 |= 1
r0 = r9
exit
-- result
0x1

== or32 imm: negative imm: no sign-extension into the upper half
-- asm
r5 = 0
w5 |= -2
r0 = r5
exit
-- result
0xfffffffe

== and32 imm: clears everything above bit 7
-- asm
r8 = 0xffffffffffffffff ll
w8 &= 255
r0 = r8
exit
-- result
0xff

== and32 imm: negative imm: result zero-extended
-- asm
r4 = 0xffffffffffffffff ll
w4 &= -2
r0 = r4
exit
-- result
0xfffffffe

== xor32 imm: xor 0 still clears the upper half
-- asm
r2 = 0xffffffffffffffff ll
w2 ^= 0
r0 = r2
exit
-- result
0xffffffff

== xor32 imm: imm -1 inverts the low 32 bits only
-- asm
r7 = 252645135
w7 ^= -1
r0 = r7
exit
-- result
0xf0f0f0f0

== lsh32 imm: to bit 31
-- asm
r6 = 1
w6 <<= 31
r0 = r6
exit
-- result
0x80000000

== lsh32 imm: bit 31 does not carry into bit 32
-- asm
r1 = 0x80000000 ll
w1 <<= 1
r0 = r1
exit
-- result
0x0

== lsh32 imm: by 0 still clears the upper half
-- asm
r0 = 0xffffffff00000001 ll
w0 <<= 0
exit
-- result
0x1

== lsh32 imm: imm count 32 is masked to 0
-- asm
r3 = 5
w3 <<= 32
r0 = r3
exit
-- result
0x5

== lsh32 imm: imm count 33 is masked to 1
-- asm
r9 = 5
w9 <<= 33
r0 = r9
exit
-- result
0xa

== rsh32 imm: upper half does not shift in
-- asm
r5 = 0xffffffffffffffff ll
w5 >>= 4
r0 = r5
exit
-- result
0xfffffff

== rsh32 imm: by 0: the 32-bit value is 0
-- asm
r8 = 0x100000000 ll
w8 >>= 0
r0 = r8
exit
-- result
0x0

== rsh32 imm: logical
-- asm
r4 = 0x80000000 ll
w4 >>= 31
r0 = r4
exit
-- result
0x1

== rsh32 imm: imm count 36 is masked to 4
-- asm
r2 = 0x80000000 ll
w2 >>= 36
r0 = r2
exit
-- result
0x8000000

== arsh32 imm: INT32_MIN s>> 31 = -1, zero-extended
-- asm
r7 = 0x80000000 ll
w7 s>>= 31
r0 = r7
exit
-- result
0xffffffff

== arsh32 imm: -16 s>> 2 = -4, zero-extended
-- asm
r6 = 0xfffffff0 ll
w6 s>>= 2
r0 = r6
exit
-- result
0xfffffffc

== arsh32 imm: the sign comes from bit 31, not bit 63
-- asm
r1 = 0xffffffff7fffffff ll
w1 s>>= 4
r0 = r1
exit
-- result
0x7ffffff

== arsh32 imm: negative as a 32-bit value
-- asm
r0 = 0x80000000 ll
w0 s>>= 4
exit
-- result
0xf8000000

== arsh32 imm: imm count 32 is masked to 0
-- asm
r3 = 0xfffffff8 ll
w3 s>>= 32
r0 = r3
exit
-- result
0xfffffff8

== arsh32 imm: imm count 33 is masked to 1
-- asm
r9 = 0xfffffff8 ll
w9 s>>= 33
r0 = r9
exit
-- result
0xfffffffc

== add32 reg: upper half of src ignored
-- asm
r5 = 1
r0 = 0x100000002 ll
w5 += w0
r0 = r5
exit
-- result
0x3

== add32 reg: -1 + -1 = 0xfffffffe, zero-extended
-- asm
r8 = 0xffffffffffffffff ll
r6 = 0xffffffffffffffff ll
w8 += w6
r0 = r8
exit
-- result
0xfffffffe

== sub32 reg: upper halves ignored: 0 - 1
-- asm
r4 = 0x500000000 ll
r9 = 0x100000001 ll
w4 -= w9
r0 = r4
exit
-- result
0xffffffff

== sub32 reg: equal
-- asm
r2 = 7
r3 = 7
w2 -= w3
r0 = r2
exit
-- result
0x0

== mul32 reg: -1 * -1 = 1
-- asm
r7 = 0xffffffff ll
r8 = 0xffffffff ll
w7 *= w8
r0 = r7
exit
-- result
0x1

== mul32 reg: wraps at 32 bits
-- asm
r6 = 65537
r4 = 65537
w6 *= w4
r0 = r6
exit
-- result
0x20001

== div32 reg: upper halves ignored: 100 / 5
-- asm
r1 = 0x100000064 ll
r5 = 0x200000005 ll
w1 /= w5
r0 = r1
exit
-- result
0x14

== div32 reg: by zero gives 0
-- asm
r0 = 0x1122334455667788 ll
r1 = 0
w0 /= w1
exit
-- result
0x0

== div32 reg: src with only upper bits set is zero in 32 bits: gives 0
-- asm
r3 = 0x1122334455667788 ll
r7 = 0x100000000 ll
w3 /= w7
r0 = r3
exit
-- result
0x0

== div32 reg: unsigned
-- asm
r9 = 0xffffffff ll
r2 = 2
w9 /= w2
r0 = r9
exit
-- result
0x7fffffff

== mod32 reg: by zero leaves dst, zero-extended
-- asm
r5 = 0x1122334455667788 ll
r0 = 0
w5 %= w0
r0 = r5
exit
-- result
0x55667788

== mod32 reg: src 0 in its low half: dst zero-extended
-- asm
r8 = 0x1122334455667788 ll
r6 = 0x100000000 ll
w8 %= w6
r0 = r8
exit
-- result
0x55667788

== mod32 reg: upper half of src ignored: 100 % 7
-- asm
r4 = 100
r9 = 0x200000007 ll
w4 %= w9
r0 = r4
exit
-- result
0x2

== mod32 reg: unsigned
-- asm
r2 = 0xffffffff ll
r3 = 16
w2 %= w3
r0 = r2
exit
-- result
0xf

== or32 reg: upper halves never survive
-- asm
r7 = 0xffffffff00000000 ll
r8 = 0xffffffff00000000 ll
w7 |= w8
r0 = r7
exit
-- result
0x0

== or32 reg: combines
-- asm
r6 = 305397760
r4 = 22136
w6 |= w4
r0 = r6
exit
-- result
0x12345678

== and32 reg: upper half of src ignored
-- asm
r1 = 0xffffffffffffffff ll
r5 = 0xffffffff0000ffff ll
w1 &= w5
r0 = r1
exit
-- result
0xffff

== xor32 reg: low half becomes 0, upper half cleared
-- asm
r0 = 0xffffffffffffffff ll
r1 = 0xffffffff ll
w0 ^= w1
exit
-- result
0x0

== xor32 reg: complementary
-- asm
r3 = 0xaaaaaaaa ll
r7 = 1431655765
w3 ^= w7
r0 = r3
exit
-- result
0xffffffff

== lsh32 reg: count 32 is masked to 0
-- asm
r9 = 5
r2 = 32
w9 <<= w2
r0 = r9
exit
-- result
0x5

== lsh32 reg: count 33 is masked to 1
-- asm
r5 = 5
r0 = 33
w5 <<= w0
r0 = r5
exit
-- result
0xa

== lsh32 reg: count from w-register: upper half ignored
-- asm
r8 = 5
r6 = 0x100000001 ll
w8 <<= w6
r0 = r8
exit
-- result
0xa

== lsh32 reg: to bit 31
-- asm
r4 = 1
r9 = 31
w4 <<= w9
r0 = r4
exit
-- result
0x80000000

== rsh32 reg: count 36 is masked to 4
-- asm
r2 = 0xffffffff ll
r3 = 36
w2 >>= w3
r0 = r2
exit
-- result
0xfffffff

== rsh32 reg: count 0 clears the upper half
-- asm
r7 = 0xffffffffffffffff ll
r8 = 0
w7 >>= w8
r0 = r7
exit
-- result
0xffffffff

== rsh32 reg: count -1 is masked to 31
-- asm
r6 = 0x80000000 ll
r4 = 0xffffffff ll
w6 >>= w4
r0 = r6
exit
-- result
0x1

== arsh32 reg: count 32 is masked to 0
-- asm
r1 = 0xfffffff8 ll
r5 = 32
w1 s>>= w5
r0 = r1
exit
-- result
0xfffffff8

== arsh32 reg: count 33 is masked to 1
-- asm
r0 = 0xfffffff8 ll
r1 = 33
w0 s>>= w1
exit
-- result
0xfffffffc

== arsh32 reg: count 31
-- asm
r3 = 0x80000000 ll
r7 = 31
w3 s>>= w7
r0 = r3
exit
-- result
0xffffffff

== arsh32 reg: positive
-- asm
r9 = 2147483647
r2 = 30
w9 s>>= w2
r0 = r9
exit
-- result
0x1

== neg32: 5 becomes 0xfffffffb
-- asm
r4 = 5
w4 = -w4
r0 = r4
exit
-- result
0xfffffffb

== neg32: low half 0 stays 0, upper cleared
-- asm
r4 = 0x100000000 ll
w4 = -w4
r0 = r4
exit
-- result
0x0

== neg32: INT32_MIN stays 0x80000000
-- asm
r4 = 0x80000000 ll
w4 = -w4
r0 = r4
exit
-- result
0x80000000

== neg32: -1 becomes 1, upper cleared
-- asm
r4 = 0xffffffffffffffff ll
w4 = -w4
r0 = r4
exit
-- result
0x1

== neg32: upper half dropped
-- asm
r4 = 0x7fffffff00000001 ll
w4 = -w4
r0 = r4
exit
-- result
0xffffffff

== mov32 imm: w1 = -1 zero-extends to 0xffffffff
-- asm
w1 = -1
r0 = r1
exit
-- result
0xffffffff

== mov32 imm: overwrites the upper half
-- asm
r0 = -1
w0 = 0
exit
-- result
0x0

== mov32 imm: INT32_MIN is not sign-extended
-- asm
w0 = -2147483648
exit
-- result
0x80000000

== mov32 imm: written as hex 0xffffffff
-- asm
w0 = 0xffffffff
exit
-- result
0xffffffff

== mov32 reg: takes the low half
-- asm
r1 = 0x1122334455667788 ll
w0 = w1
exit
-- result
0x55667788

== mov32 reg: to itself zero-extends
-- asm
r0 = -1
w0 = w0
exit
-- result
0xffffffff

== mov32 reg: negative low half is not sign-extended
-- asm
r2 = -8
w3 = w2
r0 = r3
exit
-- result
0xfffffff8

== mov32 reg: from w10 gives the low half of the frame pointer
-- asm
w1 = w10
r2 = r10
r2 <<= 32
r2 >>= 32
r0 = 1
if r1 == r2 goto +1
r0 = 0
exit
-- result
0x1

== alu32: a 64-bit op after a 32-bit op sees the zero-extended value
-- asm
r0 = -1
w0 += 1
r0 -= 1
exit
-- result
0xffffffffffffffff

== alu32: chain in w registers
-- asm
w1 = 0x7fffffff
w1 += w1
w1 *= 3
w1 >>= 1
r0 = r1
exit
-- result
0x7ffffffd
