# Legacy packet loads LD_ABS / LD_IND of 1, 2 and 4 bytes: the packet is the -- mem
# bytes; values are read in network byte order (big-endian) into r0, zero-extended;
# LD_IND adds src and imm in 64 bits and uses the low 32 bits as a signed offset;
# an offset outside the packet (or negative) ends the program with r0 = 0.
# The packet is 18 bytes, ethertype 0x88b5 (so the kernel's test run accepts it).
# Expected values were computed independently and checked on Linux 6.18 (SCHED_CLS).

== ld_abs u8: offset 0 is big-endian
-- asm
r0 = *(u8 *)skb[0]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xa0

== ld_abs u8: offset 1 is big-endian
-- asm
r0 = *(u8 *)skb[1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x11

== ld_abs u8: offset 12 is big-endian
-- asm
r0 = *(u8 *)skb[12]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x88

== ld_abs u8: offset 17 is big-endian
-- asm
r0 = *(u8 *)skb[17]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xc3

== ld_abs u8: replaces all of r0 (zero-extended)
-- asm
r0 = -1
r0 = *(u8 *)skb[17]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xc3

== ld_abs u8: one byte past the end ends the program with 0
-- asm
r0 = *(u8 *)skb[18]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u8: offset at the length ends the program with 0
-- asm
r0 = 7
r0 = *(u8 *)skb[18]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u8: negative offset -1 ends the program with 0
-- asm
r0 = *(u8 *)skb[-1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u8: offset INT32_MAX ends the program with 0
-- asm
r0 = *(u8 *)skb[2147483647]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u8: register plus imm
-- asm
r2 = 4
r0 = *(u8 *)skb[r2 + 4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x88

== ld_ind u8: negative imm
-- asm
r3 = 10
r0 = *(u8 *)skb[r3 + -4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x66

== ld_ind u8: last bytes of the packet
-- asm
r7 = 15
r0 = *(u8 *)skb[r7 + 2]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xc3

== ld_ind u8: past the end ends the program with 0
-- asm
r7 = 17
r0 = *(u8 *)skb[r7 + 1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u8: negative sum ends the program with 0
-- asm
r2 = 2
r0 = *(u8 *)skb[r2 + -3]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u16: offset 0 is big-endian
-- asm
r0 = *(u16 *)skb[0]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xa011

== ld_abs u16: offset 1 is big-endian
-- asm
r0 = *(u16 *)skb[1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x1122

== ld_abs u16: offset 12 is big-endian
-- asm
r0 = *(u16 *)skb[12]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x88b5

== ld_abs u16: offset 16 is big-endian
-- asm
r0 = *(u16 *)skb[16]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xd2c3

== ld_abs u16: replaces all of r0 (zero-extended)
-- asm
r0 = -1
r0 = *(u16 *)skb[16]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xd2c3

== ld_abs u16: one byte past the end ends the program with 0
-- asm
r0 = *(u16 *)skb[17]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u16: offset at the length ends the program with 0
-- asm
r0 = 7
r0 = *(u16 *)skb[18]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u16: negative offset -1 ends the program with 0
-- asm
r0 = *(u16 *)skb[-1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u16: offset INT32_MAX ends the program with 0
-- asm
r0 = *(u16 *)skb[2147483647]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u16: register plus imm
-- asm
r2 = 4
r0 = *(u16 *)skb[r2 + 4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x8899

== ld_ind u16: negative imm
-- asm
r3 = 10
r0 = *(u16 *)skb[r3 + -4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x6677

== ld_ind u16: last bytes of the packet
-- asm
r7 = 14
r0 = *(u16 *)skb[r7 + 2]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xd2c3

== ld_ind u16: past the end ends the program with 0
-- asm
r7 = 16
r0 = *(u16 *)skb[r7 + 1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u16: negative sum ends the program with 0
-- asm
r2 = 2
r0 = *(u16 *)skb[r2 + -3]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u32: offset 0 is big-endian
-- asm
r0 = *(u32 *)skb[0]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xa0112233

== ld_abs u32: offset 1 is big-endian
-- asm
r0 = *(u32 *)skb[1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x11223344

== ld_abs u32: offset 12 is big-endian
-- asm
r0 = *(u32 *)skb[12]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x88b5f0e1

== ld_abs u32: offset 14 is big-endian
-- asm
r0 = *(u32 *)skb[14]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xf0e1d2c3

== ld_abs u32: replaces all of r0 (zero-extended)
-- asm
r0 = -1
r0 = *(u32 *)skb[14]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xf0e1d2c3

== ld_abs u32: one byte past the end ends the program with 0
-- asm
r0 = *(u32 *)skb[15]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u32: offset at the length ends the program with 0
-- asm
r0 = 7
r0 = *(u32 *)skb[18]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u32: negative offset -1 ends the program with 0
-- asm
r0 = *(u32 *)skb[-1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs u32: offset INT32_MAX ends the program with 0
-- asm
r0 = *(u32 *)skb[2147483647]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u32: register plus imm
-- asm
r2 = 4
r0 = *(u32 *)skb[r2 + 4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x8899aabb

== ld_ind u32: negative imm
-- asm
r3 = 10
r0 = *(u32 *)skb[r3 + -4]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x66778899

== ld_ind u32: last bytes of the packet
-- asm
r7 = 12
r0 = *(u32 *)skb[r7 + 2]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xf0e1d2c3

== ld_ind u32: past the end ends the program with 0
-- asm
r7 = 14
r0 = *(u32 *)skb[r7 + 1]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u32: negative sum ends the program with 0
-- asm
r2 = 2
r0 = *(u32 *)skb[r2 + -3]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u8: src -1 plus imm 1 wraps to offset 0
-- asm
r2 = -1
r0 = *(u8 *)skb[r2 + 1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xa0

== ld_ind u8: only the low 32 bits of src + imm count (0x100000002 reads offset 2)
-- asm
r2 = 0x100000002 ll
r0 = *(u8 *)skb[r2 + 0]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x22

== ld_ind u16: 0xffffffff00000003 + -1 reads offset 2
-- asm
r2 = 0xffffffff00000003 ll
r0 = *(u16 *)skb[r2 + -1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x2233

== ld_ind u8: a low half of 0x80000000 is a negative offset: ends with 0
-- asm
r2 = 0x80000000 ll
r0 = *(u8 *)skb[r2 + 0]
r0 = 99
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_ind u32: imm only, src 0
-- asm
r4 = 0
r0 = *(u32 *)skb[r4 + 14]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xf0e1d2c3

== ld_ind u8: src r9
-- asm
r9 = 5
r0 = *(u8 *)skb[r9 + 0]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x55

== ld_ind u8: src r0 (the destination) is read before being replaced
-- asm
r0 = 3
r0 = *(u8 *)skb[r0 + 1]
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x44

== ld_abs u16: ethertype check
-- asm
r0 = *(u16 *)skb[12]
if r0 == 0x88b5 goto +2
r0 = 0
exit
r0 = 1
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x1

== ld_abs: combining loads in r7-r9
-- asm
r0 = *(u8 *)skb[0]
r7 = r0
r0 = *(u16 *)skb[1]
r8 = r0
r0 = *(u32 *)skb[3]
r9 = r0
r0 = r7
r0 <<= 16
r0 |= r8
r0 <<= 32
r0 |= r9
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0xa0112233445566

== ld_ind u8: summing every byte of the packet in a loop
-- asm
r7 = 0
r8 = 0
loop:
r0 = *(u8 *)skb[r7 + 0]
r8 += r0
r7 += 1
if r7 < 18 goto loop
r0 = r8
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x9a5

== ld_ind u8: a loop reading until it runs off the packet ends with 0
-- asm
r7 = 0
loop:
r0 = *(u8 *)skb[r7 + 0]
r7 += 1
goto loop
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0

== ld_abs: the packet (memory) is not modified
-- asm
r0 = *(u32 *)skb[0]
r0 = 0
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0
-- mem-out
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3

== ld_abs: a store before an out-of-bounds load is kept
-- asm
r7 = r1
*(u8 *)(r7 +0) = 0x55
r0 = *(u8 *)skb[100]
*(u8 *)(r7 +1) = 0x66
exit
-- mem
a0 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3
-- result
0x0
-- mem-out
55 11 22 33 44 55 66 77 88 99 aa bb 88 b5 f0 e1 d2 c3

== ld_abs u8: empty packet ends the program with 0
-- asm
r0 = 5
r0 = *(u8 *)skb[0]
r0 = 99
exit
-- result
0x0

== ld_abs u32: 3-byte packet is too short for a word
-- asm
r0 = *(u32 *)skb[0]
r0 = 99
exit
-- mem
01 02 03
-- result
0x0

== ld_abs u16: 2-byte packet holds exactly a half-word
-- asm
r0 = *(u16 *)skb[0]
exit
-- mem
01 02
-- result
0x102
