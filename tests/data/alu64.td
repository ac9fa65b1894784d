# 64-bit ALU: every operation in imm and reg form. Immediates are sign-extended
# to 64 bits; division by zero gives 0, modulo by zero leaves dst; shift counts
# are masked with 63 (imm counts >= 64 and imm divisors of 0 are refused by the
# kernel verifier; those cases follow RFC 9669).
# Expected values were computed independently (python model) and checked on Linux 6.18.

== add64 imm: small values
-- asm
r0 = 1
r0 += 2
exit
-- result
0x3

== add64 imm: negative imm is sign-extended
-- asm
r3 = 5
r3 += -7
r0 = r3
exit
-- result
0xfffffffffffffffe

== add64 imm: carries past bit 31 into the upper half
-- asm
r9 = 0xffffffff ll
r9 += 1
r0 = r9
exit
-- result
0x100000000

== add64 imm: borrows from the upper half
-- asm
r5 = 0x100000000 ll
r5 += -1
r0 = r5
exit
-- result
0xffffffff

== add64 imm: INT32_MIN imm sign-extends to 0xffffffff80000000
-- asm
r8 = 0
r8 += -2147483648
r0 = r8
exit
-- result
0xffffffff80000000

== add64 imm: two INT32_MAX do not wrap in 64 bits
-- asm
r4 = 2147483647
r4 += 2147483647
r0 = r4
exit
-- result
0xfffffffe

== add64 imm: wraps to 0
-- asm
r2 = 0xffffffffffffffff ll
r2 += 1
r0 = r2
exit
-- result
0x0

== sub64 imm: small values
-- asm
r7 = 10
r7 -= 3
r0 = r7
exit
-- result
0x7

== sub64 imm: wraps below zero
-- asm
r6 = 0
r6 -= 1
r0 = r6
exit
-- result
0xffffffffffffffff

== sub64 imm: negative imm
-- asm
r1 = 5
r1 -= -5
r0 = r1
exit
-- result
0xa

== sub64 imm: borrows from the upper half
-- asm
r0 = 0x100000000 ll
r0 -= 1
exit
-- result
0xffffffff

== sub64 imm: INT64_MIN - 1 wraps to INT64_MAX
-- asm
r3 = 0x8000000000000000 ll
r3 -= 1
r0 = r3
exit
-- result
0x7fffffffffffffff

== mul64 imm: small values
-- asm
r9 = 6
r9 *= 7
r0 = r9
exit
-- result
0x2a

== mul64 imm: by -1 negates (imm sign-extended)
-- asm
r5 = 5
r5 *= -1
r0 = r5
exit
-- result
0xfffffffffffffffb

== mul64 imm: result above 32 bits
-- asm
r8 = 0x123456789 ll
r8 *= 16
r0 = r8
exit
-- result
0x1234567890

== mul64 imm: overflow discards bits above 63
-- asm
r4 = 0x100000000 ll
r4 *= 268435456
r0 = r4
exit
-- result
0x1000000000000000

== mul64 imm: imm 0xffffffff is -1: -1 * -1 = 1
-- asm
r2 = 0xffffffffffffffff ll
r2 *= 4294967295
r0 = r2
exit
-- result
0x1

== div64 imm: truncates
-- asm
r7 = 100
r7 /= 7
r0 = r7
exit
-- result
0xe

== div64 imm: unsigned: INT64_MIN / 2 is positive
-- asm
r6 = 0x8000000000000000 ll
r6 /= 2
r0 = r6
exit
-- result
0x4000000000000000

== div64 imm: imm -1 sign-extends to UINT64_MAX: quotient 0
-- asm
r1 = 0xfffffffffffffffe ll
r1 /= -1
r0 = r1
exit
-- result
0x0

== div64 imm: UINT64_MAX / imm -1 (UINT64_MAX) = 1
-- asm
r0 = 0xffffffffffffffff ll
r0 /= -1
exit
-- result
0x1

== div64 imm: by imm zero gives 0
-- asm
r3 = 0x123456789abcdef0 ll
r3 /= 0
r0 = r3
exit
-- result
0x0

== div64 imm: equal operands
-- asm
r9 = 7
r9 /= 7
r0 = r9
exit
-- result
0x1

== div64 imm: unsigned: no sign propagation
-- asm
r5 = 0xffffffffffffffff ll
r5 /= 16
r0 = r5
exit
-- result
0xfffffffffffffff

== mod64 imm: small values
-- asm
r8 = 100
r8 %= 7
r0 = r8
exit
-- result
0x2

== mod64 imm: imm -1 is UINT64_MAX: 5 % UINT64_MAX = 5
-- asm
r4 = 5
r4 %= -1
r0 = r4
exit
-- result
0x5

== mod64 imm: unsigned with sign-extended imm
-- asm
r2 = 0xfffffffffffffff5 ll
r2 %= -5
r0 = r2
exit
-- result
0xfffffffffffffff5

== mod64 imm: by imm zero leaves dst
-- asm
r7 = 0x123456789abcdef0 ll
r7 %= 0
r0 = r7
exit
-- result
0x123456789abcdef0

== mod64 imm: unsigned: low bits
-- asm
r6 = 0xffffffffffffffff ll
r6 %= 16
r0 = r6
exit
-- result
0xf

== or64 imm: small values
-- asm
r1 = 240
r1 |= 15
r0 = r1
exit
-- result
0xff

== or64 imm: negative imm sets the upper half
-- asm
r0 = 0
r0 |= -2
exit
-- result
0xfffffffffffffffe

== or64 imm: INT32_MIN imm sign-extends
-- asm
r3 = 0
r3 |= -2147483648
r0 = r3
exit
-- result
0xffffffff80000000

== or64 imm: positive imm keeps the upper half
-- asm
r9 = 0x1122334400000000 ll
r9 |= 1432778632
r0 = r9
exit
-- result
0x1122334455667788

== and64 imm: negative imm clears only bit 0
-- asm
r5 = 0xffffffffffffffff ll
r5 &= -2
r0 = r5
exit
-- result
0xfffffffffffffffe

== and64 imm: mask of the low 16 bits
-- asm
r8 = 0x123456789abcdef0 ll
r8 &= 65535
r0 = r8
exit
-- result
0xdef0

== and64 imm: positive imm clears the upper half
-- asm
r4 = 0xffffffffffffffff ll
r4 &= 2147483647
r0 = r4
exit
-- result
0x7fffffff

== and64 imm: imm 0xffffffff is -1: keeps all 64 bits
-- asm
r2 = 0x123456789abcdef0 ll
r2 &= -1
r0 = r2
exit
-- result
0x123456789abcdef0

== and64 imm: with 0
-- asm
r7 = 0x123456789abcdef0 ll
r7 &= 0
r0 = r7
exit
-- result
0x0

== xor64 imm: small values
-- asm
r6 = 255
r6 ^= 15
r0 = r6
exit
-- result
0xf0

== xor64 imm: imm -1 inverts all 64 bits
-- asm
r1 = 0x123456789abcdef0 ll
r1 ^= -1
r0 = r1
exit
-- result
0xedcba9876543210f

== xor64 imm: positive imm leaves the upper half
-- asm
r0 = 0xffffffff00000000 ll
r0 ^= 2147483647
exit
-- result
0xffffffff7fffffff

== lsh64 imm: to the top bit
-- asm
r3 = 1
r3 <<= 63
r0 = r3
exit
-- result
0x8000000000000000

== lsh64 imm: into the upper half
-- asm
r9 = 1
r9 <<= 32
r0 = r9
exit
-- result
0x100000000

== lsh64 imm: bits shifted out are lost
-- asm
r5 = 0xffffffffffffffff ll
r5 <<= 4
r0 = r5
exit
-- result
0xfffffffffffffff0

== lsh64 imm: by 0 leaves dst
-- asm
r8 = 0x123456789abcdef0 ll
r8 <<= 0
r0 = r8
exit
-- result
0x123456789abcdef0

== lsh64 imm: imm count 64 is masked to 0
-- asm
r4 = 3
r4 <<= 64
r0 = r4
exit
-- result
0x3

== lsh64 imm: imm count 65 is masked to 1
-- asm
r2 = 3
r2 <<= 65
r0 = r2
exit
-- result
0x6

== rsh64 imm: logical: the sign bit is not copied
-- asm
r7 = 0x8000000000000000 ll
r7 >>= 63
r0 = r7
exit
-- result
0x1

== rsh64 imm: upper half moves down, zeros come in
-- asm
r6 = 0xffffffffffffffff ll
r6 >>= 32
r0 = r6
exit
-- result
0xffffffff

== rsh64 imm: by 0 leaves dst
-- asm
r1 = 0x123456789abcdef0 ll
r1 >>= 0
r0 = r1
exit
-- result
0x123456789abcdef0

== rsh64 imm: imm count 64 is masked to 0
-- asm
r0 = 0x8000000000000000 ll
r0 >>= 64
exit
-- result
0x8000000000000000

== rsh64 imm: imm count 68 is masked to 4
-- asm
r3 = 0x8000000000000000 ll
r3 >>= 68
r0 = r3
exit
-- result
0x800000000000000

== arsh64 imm: INT64_MIN s>> 63 = -1
-- asm
r9 = 0x8000000000000000 ll
r9 s>>= 63
r0 = r9
exit
-- result
0xffffffffffffffff

== arsh64 imm: -16 s>> 2 = -4
-- asm
r5 = 0xfffffffffffffff0 ll
r5 s>>= 2
r0 = r5
exit
-- result
0xfffffffffffffffc

== arsh64 imm: positive: zeros come in
-- asm
r8 = 0x7fffffffffffffff ll
r8 s>>= 62
r0 = r8
exit
-- result
0x1

== arsh64 imm: the sign comes from bit 63, not bit 31
-- asm
r4 = 0xffffffff00000000 ll
r4 s>>= 16
r0 = r4
exit
-- result
0xffffffffffff0000

== arsh64 imm: bit 31 set but positive in 64 bits
-- asm
r2 = 0x80000000 ll
r2 s>>= 4
r0 = r2
exit
-- result
0x8000000

== arsh64 imm: imm count 64 is masked to 0
-- asm
r7 = 0x8000000000000000 ll
r7 s>>= 64
r0 = r7
exit
-- result
0x8000000000000000

== arsh64 imm: imm count 65 is masked to 1
-- asm
r6 = 0x8000000000000000 ll
r6 s>>= 65
r0 = r6
exit
-- result
0xc000000000000000

== add64 reg: INT64_MAX + 1 = INT64_MIN
-- asm
r1 = 0x7fffffffffffffff ll
r5 = 1
r1 += r5
r0 = r1
exit
-- result
0x8000000000000000

== add64 reg: wraps past UINT64_MAX
-- asm
r0 = 0xffffffffffffffff ll
r1 = 2
r0 += r1
exit
-- result
0x1

== add64 reg: uses all 64 bits of src
-- asm
r3 = 0x1122334400000000 ll
r7 = 1432778632
r3 += r7
r0 = r3
exit
-- result
0x1122334455667788

== sub64 reg: borrows from the upper half
-- asm
r9 = 0x100000000 ll
r2 = 1
r9 -= r2
r0 = r9
exit
-- result
0xffffffff

== sub64 reg: 0 - INT64_MIN = INT64_MIN
-- asm
r5 = 0
r0 = 0x8000000000000000 ll
r5 -= r0
r0 = r5
exit
-- result
0x8000000000000000

== sub64 reg: 5 - (-5) = 10
-- asm
r8 = 5
r6 = 0xfffffffffffffffb ll
r8 -= r6
r0 = r8
exit
-- result
0xa

== mul64 reg: 2^32 * 2^32 overflows to 0
-- asm
r4 = 0x100000000 ll
r9 = 0x100000000 ll
r4 *= r9
r0 = r4
exit
-- result
0x0

== mul64 reg: 64-bit product of two 32-bit values
-- asm
r2 = 0xffffffff ll
r3 = 0xffffffff ll
r2 *= r3
r0 = r2
exit
-- result
0xfffffffe00000001

== mul64 reg: wraps modulo 2^64
-- asm
r7 = 0x8000000000000001 ll
r8 = 3
r7 *= r8
r0 = r7
exit
-- result
0x8000000000000003

== mul64 reg: -1 * -1 = 1
-- asm
r6 = 0xffffffffffffffff ll
r4 = 0xffffffffffffffff ll
r6 *= r4
r0 = r6
exit
-- result
0x1

== div64 reg: unsigned: UINT64_MAX / 2
-- asm
r1 = 0xffffffffffffffff ll
r5 = 2
r1 /= r5
r0 = r1
exit
-- result
0x7fffffffffffffff

== div64 reg: by zero gives 0
-- asm
r0 = 0x123456789abcdef0 ll
r1 = 0
r0 /= r1
exit
-- result
0x0

== div64 reg: equal huge operands
-- asm
r3 = 0xffffffffffffffff ll
r7 = 0xffffffffffffffff ll
r3 /= r7
r0 = r3
exit
-- result
0x1

== div64 reg: divisor above 32 bits
-- asm
r9 = 16
r2 = 0x100000000 ll
r9 /= r2
r0 = r9
exit
-- result
0x0

== div64 reg: both above 32 bits
-- asm
r5 = 0x300000000 ll
r0 = 0x100000000 ll
r5 /= r0
r0 = r5
exit
-- result
0x3

== div64 reg: unsigned: -7 / 2 is huge
-- asm
r8 = 0xfffffffffffffff9 ll
r6 = 2
r8 /= r6
r0 = r8
exit
-- result
0x7ffffffffffffffc

== mod64 reg: UINT64_MAX % 10
-- asm
r4 = 0xffffffffffffffff ll
r9 = 10
r4 %= r9
r0 = r4
exit
-- result
0x5

== mod64 reg: by zero leaves dst
-- asm
r2 = 0x123456789abcdef0 ll
r3 = 0
r2 %= r3
r0 = r2
exit
-- result
0x123456789abcdef0

== mod64 reg: divisor above 32 bits
-- asm
r7 = 0x300000005 ll
r8 = 0x100000000 ll
r7 %= r8
r0 = r7
exit
-- result
0x5

== mod64 reg: unsigned: -7 % 2 = 1
-- asm
r6 = 0xfffffffffffffff9 ll
r4 = 2
r6 %= r4
r0 = r6
exit
-- result
0x1

== or64 reg: combines halves
-- asm
r1 = 0x1122334400000000 ll
r5 = 1432778632
r1 |= r5
r0 = r1
exit
-- result
0x1122334455667788

== or64 reg: upper half of src
-- asm
r0 = 0
r1 = 0xffffffff00000000 ll
r0 |= r1
exit
-- result
0xffffffff00000000

== and64 reg: bitwise
-- asm
r3 = 0xff00ff00ff00ff00 ll
r7 = 0xff00ff00ff00ff0 ll
r3 &= r7
r0 = r3
exit
-- result
0xf000f000f000f00

== and64 reg: keeps the upper half
-- asm
r9 = 0xffffffffffffffff ll
r2 = 0xffffffff00000000 ll
r9 &= r2
r0 = r9
exit
-- result
0xffffffff00000000

== xor64 reg: complementary patterns
-- asm
r5 = 0xaaaaaaaaaaaaaaaa ll
r0 = 0x5555555555555555 ll
r5 ^= r0
r0 = r5
exit
-- result
0xffffffffffffffff

== xor64 reg: x ^ x = 0
-- asm
r8 = 0x123456789abcdef0 ll
r6 = 0x123456789abcdef0 ll
r8 ^= r6
r0 = r8
exit
-- result
0x0

== lsh64 reg: count 63
-- asm
r4 = 1
r9 = 63
r4 <<= r9
r0 = r4
exit
-- result
0x8000000000000000

== lsh64 reg: count 64 is masked to 0
-- asm
r2 = 1
r3 = 64
r2 <<= r3
r0 = r2
exit
-- result
0x1

== lsh64 reg: count 65 is masked to 1
-- asm
r7 = 1
r8 = 65
r7 <<= r8
r0 = r7
exit
-- result
0x2

== lsh64 reg: count -1 is masked to 63
-- asm
r6 = 1
r4 = 0xffffffffffffffff ll
r6 <<= r4
r0 = r6
exit
-- result
0x8000000000000000

== lsh64 reg: count 0x100000003 is masked to 3
-- asm
r1 = 1
r5 = 0x100000003 ll
r1 <<= r5
r0 = r1
exit
-- result
0x8

== lsh64 reg: count 0
-- asm
r0 = 0x123456789abcdef0 ll
r1 = 0
r0 <<= r1
exit
-- result
0x123456789abcdef0

== rsh64 reg: logical
-- asm
r3 = 0x8000000000000000 ll
r7 = 63
r3 >>= r7
r0 = r3
exit
-- result
0x1

== rsh64 reg: count 64 is masked to 0
-- asm
r9 = 0x8000000000000000 ll
r2 = 64
r9 >>= r2
r0 = r9
exit
-- result
0x8000000000000000

== rsh64 reg: count 68 is masked to 4
-- asm
r5 = 0xffffffffffffffff ll
r0 = 68
r5 >>= r0
r0 = r5
exit
-- result
0xfffffffffffffff

== rsh64 reg: count with the top bit set is masked to 32
-- asm
r8 = 0xffffffffffffffff ll
r6 = 0x8000000000000020 ll
r8 >>= r6
r0 = r8
exit
-- result
0xffffffff

== arsh64 reg: -1 stays -1
-- asm
r4 = 0xffffffffffffffff ll
r9 = 10
r4 s>>= r9
r0 = r4
exit
-- result
0xffffffffffffffff

== arsh64 reg: count 64 is masked to 0
-- asm
r2 = 0x8000000000000000 ll
r3 = 64
r2 s>>= r3
r0 = r2
exit
-- result
0x8000000000000000

== arsh64 reg: count 65 is masked to 1
-- asm
r7 = 0x8000000000000000 ll
r8 = 65
r7 s>>= r8
r0 = r7
exit
-- result
0xc000000000000000

== arsh64 reg: INT64_MIN s>> 32
-- asm
r6 = 0x8000000000000000 ll
r4 = 32
r6 s>>= r4
r0 = r6
exit
-- result
0xffffffff80000000

== arsh64 reg: positive
-- asm
r1 = 0x4000000000000000 ll
r5 = 62
r1 s>>= r5
r0 = r1
exit
-- result
0x1

== neg64: 5 becomes -5
-- asm
r3 = 5
r3 = -r3
r0 = r3
exit
-- result
0xfffffffffffffffb

== neg64: INT64_MIN stays INT64_MIN
-- asm
r3 = 0x8000000000000000 ll
r3 = -r3
r0 = r3
exit
-- result
0x8000000000000000

== neg64: 0 stays 0
-- asm
r3 = 0
r3 = -r3
r0 = r3
exit
-- result
0x0

== neg64: -1 becomes 1
-- asm
r3 = 0xffffffffffffffff ll
r3 = -r3
r0 = r3
exit
-- result
0x1

== neg64: 0xffffffff negates in 64 bits
-- asm
r3 = 0xffffffff ll
r3 = -r3
r0 = r3
exit
-- result
0xffffffff00000001

== neg64: on r0 itself
-- asm
r0 = 1
r0 = -r0
exit
-- result
0xffffffffffffffff

== neg64: twice is identity
-- asm
r0 = 0x123456789abcdef0 ll
r0 = -r0
r0 = -r0
exit
-- result
0x123456789abcdef0

== mov64 imm: imm -1 sign-extends to all ones
-- asm
r0 = 0x1122334455667788 ll
r0 = -1
exit
-- result
0xffffffffffffffff

== mov64 imm: imm INT32_MAX
-- asm
r0 = 0x1122334455667788 ll
r0 = 2147483647
exit
-- result
0x7fffffff

== mov64 imm: imm INT32_MIN sign-extends
-- asm
r0 = 0x1122334455667788 ll
r0 = -2147483648
exit
-- result
0xffffffff80000000

== mov64 imm: imm written 0xffffffff is -1: sign-extends
-- asm
r0 = 0x1122334455667788 ll
r0 = 0xffffffff
exit
-- result
0xffffffffffffffff

== mov64 imm: imm written 0x80000000 sign-extends
-- asm
r0 = 0x1122334455667788 ll
r0 = 0x80000000
exit
-- result
0xffffffff80000000

== mov64 imm: imm 0
-- asm
r0 = 0x1122334455667788 ll
r0 = 0
exit
-- result
0x0

== mov64 imm: overwrites all 64 bits
-- asm
r0 = -1
r0 = 1
exit
-- result
0x1

== mov64 reg: copies all 64 bits
-- asm
r1 = 0x1122334455667788 ll
r0 = r1
exit
-- result
0x1122334455667788

== mov64 reg: high registers
-- asm
r9 = 0xfedcba9876543210 ll
r8 = r9
r7 = r8
r6 = r7
r0 = r6
exit
-- result
0xfedcba9876543210

== mov64 reg: from r10 (frame pointer is readable)
-- asm
r1 = r10
r1 -= r10
r0 = r1
exit
-- result
0x0

== mov64 reg: to itself
-- asm
r0 = -2
r0 = r0
exit
-- result
0xfffffffffffffffe

== mov64 reg: src unchanged
-- asm
r1 = 7
r2 = r1
r2 += 1
r0 = r1
exit
-- result
0x7

== alu64: r1 and r2 hold the memory pointer and length at entry
-- asm
r0 = r2
exit
-- mem
00 00 00 00 00
-- result
0x5

== alu64: registers r3-r9 of a chain of operations
-- asm
r3 = 3
r4 = 4
r5 = 5
r6 = 6
r7 = 7
r8 = 8
r9 = 9
r3 *= r4
r3 += r5
r3 -= r6
r3 <<= r7
r3 |= r8
r3 ^= r9
r0 = r3
exit
-- result
0x581
