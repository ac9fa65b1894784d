# Loads and stores: ldx/st/stx of 1, 2, 4 and 8 bytes with offsets, little-endian
# layout, the stack through r10 (negative offsets), sign-extending loads, and
# stores of negative immediates (sign-extended to the store width).
# Expected values were computed independently and checked on Linux 6.18.

== ldx u8: offset +0 reads little-endian
-- asm
r0 = *(u8 *)(r1 +0)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x1

== ldx u8: offset +1 reads little-endian
-- asm
r0 = *(u8 *)(r1 +1)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x2

== ldx u8: offset +15 reads little-endian
-- asm
r0 = *(u8 *)(r1 +15)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x10

== ldx u16: offset +0 reads little-endian
-- asm
r0 = *(u16 *)(r1 +0)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x201

== ldx u16: offset +1 reads little-endian
-- asm
r0 = *(u16 *)(r1 +1)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x302

== ldx u16: offset +2 reads little-endian
-- asm
r0 = *(u16 *)(r1 +2)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x403

== ldx u16: offset +14 reads little-endian
-- asm
r0 = *(u16 *)(r1 +14)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x100f

== ldx u32: offset +0 reads little-endian
-- asm
r0 = *(u32 *)(r1 +0)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x4030201

== ldx u32: offset +1 reads little-endian
-- asm
r0 = *(u32 *)(r1 +1)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x5040302

== ldx u32: offset +4 reads little-endian
-- asm
r0 = *(u32 *)(r1 +4)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x8070605

== ldx u32: offset +12 reads little-endian
-- asm
r0 = *(u32 *)(r1 +12)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x100f0e0d

== ldx u64: offset +0 reads little-endian
-- asm
r0 = *(u64 *)(r1 +0)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x807060504030201

== ldx u64: offset +1 reads little-endian
-- asm
r0 = *(u64 *)(r1 +1)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x908070605040302

== ldx u64: offset +8 reads little-endian
-- asm
r0 = *(u64 *)(r1 +8)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x100f0e0d0c0b0a09

== ldx u8: zero-extends all ones
-- asm
r0 = -2
r0 = *(u8 *)(r1 +0)
exit
-- mem
ff ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00
-- result
0xff

== ldx u16: zero-extends all ones
-- asm
r0 = -2
r0 = *(u16 *)(r1 +0)
exit
-- mem
ff ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00
-- result
0xffff

== ldx u32: zero-extends all ones
-- asm
r0 = -2
r0 = *(u32 *)(r1 +0)
exit
-- mem
ff ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00
-- result
0xffffffff

== ldx u64: zero-extends all ones
-- asm
r0 = -2
r0 = *(u64 *)(r1 +0)
exit
-- mem
ff ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00
-- result
0xffffffffffffffff

== ldx u32: negative offset from an advanced pointer
-- asm
r1 += 8
r0 = *(u32 *)(r1 -4)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x8070605

== ldx u8: last byte via the length in r2
-- asm
r1 += r2
r0 = *(u8 *)(r1 -1)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x10

== ldx u64: into a high register
-- asm
r9 = *(u64 *)(r1 +8)
r0 = r9
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x100f0e0d0c0b0a09

== ldx u16: dst same as the base register
-- asm
r1 = *(u16 *)(r1 +2)
r0 = r1
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x403

== ldx u32: offset -32768 from a pointer moved past the start
-- asm
r1 += 32768
r0 = *(u32 *)(r1 -32768)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x4030201

== ldx u8: offset +32767 from a pointer moved before the start
-- asm
r1 += -32760
r0 = *(u8 *)(r1 +32767)
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x8

== ldx s8: offset +0 sign-extends 0x80
-- asm
r0 = *(s8 *)(r1 +0)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0xffffffffffffff80

== ldx s8: offset +1 sign-extends 0x7f
-- asm
r0 = *(s8 *)(r1 +1)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0x7f

== ldx s16: offset +2 sign-extends 0x8000
-- asm
r0 = *(s16 *)(r1 +2)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0xffffffffffff8000

== ldx s16: offset +4 sign-extends 0x7fff
-- asm
r0 = *(s16 *)(r1 +4)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0x7fff

== ldx s32: offset +8 sign-extends 0x80000000
-- asm
r0 = *(s32 *)(r1 +8)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0xffffffff80000000

== ldx s32: offset +12 sign-extends 0x7fffffff
-- asm
r0 = *(s32 *)(r1 +12)
exit
-- mem
80 7f 00 80 ff 7f 00 00 00 00 00 80 ff ff ff 7f
-- result
0x7fffffff

== ldx s8: -1 byte becomes all ones
-- asm
r0 = *(s8 *)(r1 +0)
exit
-- mem
ff
-- result
0xffffffffffffffff

== ldx s16: 0x8001 sign-extends
-- asm
r0 = *(s16 *)(r1 +0)
exit
-- mem
01 80
-- result
0xffffffffffff8001

== ldx s32: INT32_MIN sign-extends
-- asm
r0 = *(s32 *)(r1 +0)
exit
-- mem
00 00 00 80
-- result
0xffffffff80000000

== ldx s32: negative offset
-- asm
r1 += 4
r0 = *(s32 *)(r1 -4)
exit
-- mem
fe ff ff ff 00 00 00 00
-- result
0xfffffffffffffffe

== st u8: byte at offset 0
-- asm
*(u8 *)(r1 +0) = 127
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
7f 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00

== st u8: last byte
-- asm
*(u8 *)(r1 +15) = 171
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ab

== st u8: imm -1 stores 0xff
-- asm
*(u8 *)(r1 +3) = -1
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 ff 00 00 00 00 00 00 00 00 00 00 00 00

== st u8: imm 0x1ff is truncated to 0xff
-- asm
*(u8 *)(r1 +1) = 511
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00

== st u16: little-endian half-word
-- asm
*(u16 *)(r1 +2) = 4660
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 34 12 00 00 00 00 00 00 00 00 00 00 00 00

== st u16: imm -2 stores fe ff
-- asm
*(u16 *)(r1 +6) = -2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 fe ff 00 00 00 00 00 00 00 00

== st u16: imm truncated to 16 bits, unaligned
-- asm
*(u16 *)(r1 +1) = 74565
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 45 23 00 00 00 00 00 00 00 00 00 00 00 00 00

== st u32: little-endian word
-- asm
*(u32 *)(r1 +4) = 287454020
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 44 33 22 11 00 00 00 00 00 00 00 00

== st u32: imm -2 stores fe ff ff ff
-- asm
*(u32 *)(r1 +0) = -2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
fe ff ff ff 00 00 00 00 00 00 00 00 00 00 00 00

== st u32: unaligned word
-- asm
*(u32 *)(r1 +9) = 2147483647
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 00 00 ff ff ff 7f 00 00 00

== st u64: imm -1 stores eight ff bytes (sign-extended)
-- asm
*(u64 *)(r1 +0) = -1
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00

== st u64: positive imm: upper half zero
-- asm
*(u64 *)(r1 +8) = 287454020
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 00 44 33 22 11 00 00 00 00

== st u64: INT32_MIN sign-extends to 00 00 00 80 ff ff ff ff
-- asm
*(u64 *)(r1 +4) = -2147483648
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 80 ff ff ff ff 00 00 00 00

== st u64: INT32_MAX
-- asm
*(u64 *)(r1 +8) = 2147483647
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 00 ff ff ff 7f 00 00 00 00

== st u64: unaligned double word
-- asm
*(u64 *)(r1 +3) = 85
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 55 00 00 00 00 00 00 00 00 00 00 00 00

== st u32: negative offset from an advanced pointer
-- asm
r1 += 16
*(u32 *)(r1 -4) = 0x01020304
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 00 00 00 00 00 00 00 00 04 03 02 01

== st u8: through r10 and back
-- asm
*(u8 *)(r10 -1) = 0x9a
r0 = *(u8 *)(r10 -1)
exit
-- result
0x9a

== stx u8: offset +0 stores the low 1 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u8 *)(r1 +0) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
88 ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee

== stx u8: offset +15 stores the low 1 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u8 *)(r1 +15) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee 88

== stx u8: offset +3 stores the low 1 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u8 *)(r1 +3) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee 88 ee ee ee ee ee ee ee ee ee ee ee ee

== stx u16: offset +0 stores the low 2 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u16 *)(r1 +0) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
88 77 ee ee ee ee ee ee ee ee ee ee ee ee ee ee

== stx u16: offset +14 stores the low 2 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u16 *)(r1 +14) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee ee ee ee ee ee ee ee ee ee ee ee 88 77

== stx u16: offset +3 stores the low 2 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u16 *)(r1 +3) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee 88 77 ee ee ee ee ee ee ee ee ee ee ee

== stx u32: offset +0 stores the low 4 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u32 *)(r1 +0) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
88 77 66 55 ee ee ee ee ee ee ee ee ee ee ee ee

== stx u32: offset +12 stores the low 4 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u32 *)(r1 +12) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee ee ee ee ee ee ee ee ee ee 88 77 66 55

== stx u32: offset +3 stores the low 4 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u32 *)(r1 +3) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee 88 77 66 55 ee ee ee ee ee ee ee ee ee

== stx u64: offset +0 stores the low 8 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u64 *)(r1 +0) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
88 77 66 55 44 33 22 11 ee ee ee ee ee ee ee ee

== stx u64: offset +8 stores the low 8 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u64 *)(r1 +8) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee ee ee ee ee ee 88 77 66 55 44 33 22 11

== stx u64: offset +3 stores the low 8 bytes of the register
-- asm
r2 = 0x1122334455667788 ll
*(u64 *)(r1 +3) = r2
r0 = 0
exit
-- mem
ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee ee
-- result
0x0
-- mem-out
ee ee ee 88 77 66 55 44 33 22 11 ee ee ee ee ee

== stx u64: stores the base register itself (pointer round trip)
-- asm
*(u64 *)(r1 +0) = r1
r3 = *(u64 *)(r1 +0)
r0 = 0
if r3 != r1 goto +1
r0 = 1
*(u64 *)(r1 +0) = 0
exit
-- mem
00 00 00 00 00 00 00 00
-- result
0x1
-- mem-out
00 00 00 00 00 00 00 00

== stx u16: high source register, negative offset
-- asm
r9 = 0xbeef
r1 += 2
*(u16 *)(r1 -2) = r9
r0 = 0
exit
-- mem
00 00 00
-- result
0x0
-- mem-out
ef be 00

== stx then ldx of each size sees little-endian bytes
-- asm
r2 = 0x0807060504030201 ll
*(u64 *)(r1 +0) = r2
r0 = *(u8 *)(r1 +7)
r3 = *(u16 *)(r1 +6)
r0 <<= 16
r0 |= r3
r3 = *(u32 *)(r1 +0)
r0 <<= 32
r0 |= r3
exit
-- mem
00 00 00 00 00 00 00 00
-- result
0x8080704030201
-- mem-out
01 02 03 04 05 06 07 08

== stack: st u64 -1 at r10-8 reads back all ones
-- asm
*(u64 *)(r10 -8) = -1
r0 = *(u64 *)(r10 -8)
exit
-- result
0xffffffffffffffff

== stack: st u64 of a negative imm is little-endian on the stack
-- asm
*(u64 *)(r10 -8) = -2
r0 = *(u8 *)(r10 -8)
r1 = *(u8 *)(r10 -1)
r0 <<= 8
r0 |= r1
exit
-- result
0xfeff

== stack: lowest byte r10-512
-- asm
*(u8 *)(r10 -512) = 7
r0 = *(u8 *)(r10 -512)
exit
-- result
0x7

== stack: u64 at r10-512
-- asm
r1 = 0x0123456789abcdef ll
*(u64 *)(r10 -512) = r1
r0 = *(u64 *)(r10 -512)
exit
-- result
0x123456789abcdef

== stack: stx u32 then ldx u16 halves
-- asm
r1 = 0xaabbccdd
*(u32 *)(r10 -4) = r1
r0 = *(u16 *)(r10 -4)
r2 = *(u16 *)(r10 -2)
r0 <<= 16
r0 |= r2
exit
-- result
0xccddaabb

== stack: through a copy of r10
-- asm
r2 = r10
r2 += -16
*(u32 *)(r2 +4) = 0x55
r0 = *(u32 *)(r10 -12)
exit
-- result
0x55

== stack: sign-extending loads from the stack
-- asm
*(u32 *)(r10 -4) = -3
r0 = *(s8 *)(r10 -4)
r1 = *(s16 *)(r10 -4)
r2 = *(s32 *)(r10 -4)
r0 += r1
r0 += r2
exit
-- result
0xfffffffffffffff7

== stack: copy memory to the stack and back, reversed
-- asm
r3 = *(u64 *)(r1 +0)
*(u64 *)(r10 -8) = r3
r3 = *(u64 *)(r1 +8)
*(u64 *)(r10 -16) = r3
r3 = *(u64 *)(r10 -16)
*(u64 *)(r1 +0) = r3
r3 = *(u64 *)(r10 -8)
*(u64 *)(r1 +8) = r3
r0 = 0
exit
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- result
0x0
-- mem-out
09 0a 0b 0c 0d 0e 0f 10 01 02 03 04 05 06 07 08

== stack: loop filling 64 bytes and summing them
-- asm
r1 = 0
r2 = r10
fill:
r2 += -1
*(u8 *)(r2 +0) = r1
r1 += 1
if r1 < 64 goto fill
r0 = 0
r2 = r10
sum:
r2 += -1
r3 = *(u8 *)(r2 +0)
r0 += r3
r1 -= 1
if r1 != 0 goto sum
exit
-- result
0x7e0

== mem: byte-reverse the memory in place
-- asm
r3 = r1
r3 += r2
r3 += -1
loop:
if r1 >= r3 goto done
r4 = *(u8 *)(r1 +0)
r5 = *(u8 *)(r3 +0)
*(u8 *)(r1 +0) = r5
*(u8 *)(r3 +0) = r4
r1 += 1
r3 += -1
goto loop
done:
r0 = 0
exit
-- mem
01 02 03 04 05 06 07
-- result
0x0
-- mem-out
07 06 05 04 03 02 01

== mem: empty memory gives r1 = 0 and r2 = 0
-- asm
r0 = r1
r0 |= r2
exit
-- result
0x0
