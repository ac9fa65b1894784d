# 32-bit conditional jumps (JMP32): every condition, imm and reg, taken and not
# taken; only the low 32 bits of both operands are compared (signed compares use
# bit 31 as the sign). Each program returns 1 when the jump is taken, else 0.
# Expected values were computed independently and checked on Linux 6.18.

== jeq32 imm: 0x5 == 5 is taken
-- asm
r1 = 5
r0 = 1
if w1 == 5 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 imm: 0x100000005 == 5 is taken
-- asm
r3 = 0x100000005 ll
r0 = 1
if w3 == 5 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 imm: 0xffffffff == -1 is taken
-- asm
r5 = 0xffffffff ll
r0 = 1
if w5 == -1 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 imm: 0xffffffffffffffff == -1 is taken
-- asm
r7 = 0xffffffffffffffff ll
r0 = 1
if w7 == -1 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 imm: 0xffffffff00000000 == 0 is taken
-- asm
r9 = 0xffffffff00000000 ll
r0 = 1
if w9 == 0 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 imm: 0x6 == 5 is not taken
-- asm
r0 = 6
if w0 == 5 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x0

== jne32 imm: 0x5 != 5 is not taken
-- asm
r6 = 5
r0 = 1
if w6 != 5 goto +1
r0 = 0
exit
-- result
0x0

== jne32 imm: 0x100000005 != 5 is not taken
-- asm
r2 = 0x100000005 ll
r0 = 1
if w2 != 5 goto +1
r0 = 0
exit
-- result
0x0

== jne32 imm: 0x100000005 != 6 is taken
-- asm
r8 = 0x100000005 ll
r0 = 1
if w8 != 6 goto +1
r0 = 0
exit
-- result
0x1

== jne32 imm: 0xffffffff != -1 is not taken
-- asm
r4 = 0xffffffff ll
r0 = 1
if w4 != -1 goto +1
r0 = 0
exit
-- result
0x0

== jgt32 imm: 0xffffffff > 1 is taken
-- asm
r1 = 0xffffffff ll
r0 = 1
if w1 > 1 goto +1
r0 = 0
exit
-- result
0x1

== jgt32 imm: 0x100000000 > 0 is not taken
-- asm
r3 = 0x100000000 ll
r0 = 1
if w3 > 0 goto +1
r0 = 0
exit
-- result
0x0

== jgt32 imm: 0x1ffffffff > -1 is not taken
-- asm
r5 = 0x1ffffffff ll
r0 = 1
if w5 > -1 goto +1
r0 = 0
exit
-- result
0x0

== jgt32 imm: 0x2 > 1 is taken
-- asm
r7 = 2
r0 = 1
if w7 > 1 goto +1
r0 = 0
exit
-- result
0x1

== jgt32 imm: 0x80000000 > 2147483647 is taken
-- asm
r9 = 0x80000000 ll
r0 = 1
if w9 > 0x7fffffff goto +1
r0 = 0
exit
-- result
0x1

== jge32 imm: 0x1 >= 1 is taken
-- asm
r0 = 1
if w0 >= 1 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jge32 imm: 0x100000000 >= 1 is not taken
-- asm
r6 = 0x100000000 ll
r0 = 1
if w6 >= 1 goto +1
r0 = 0
exit
-- result
0x0

== jge32 imm: 0xffffffff >= -1 is taken
-- asm
r2 = 0xffffffff ll
r0 = 1
if w2 >= -1 goto +1
r0 = 0
exit
-- result
0x1

== jge32 imm: 0x7fffffff >= -2147483648 is not taken
-- asm
r8 = 2147483647
r0 = 1
if w8 >= 0x80000000 goto +1
r0 = 0
exit
-- result
0x0

== jlt32 imm: 0x100000000 < 1 is taken
-- asm
r4 = 0x100000000 ll
r0 = 1
if w4 < 1 goto +1
r0 = 0
exit
-- result
0x1

== jlt32 imm: 0x1 < -1 is taken
-- asm
r1 = 1
r0 = 1
if w1 < -1 goto +1
r0 = 0
exit
-- result
0x1

== jlt32 imm: 0xffffffff < 0 is not taken
-- asm
r3 = 0xffffffff ll
r0 = 1
if w3 < 0 goto +1
r0 = 0
exit
-- result
0x0

== jlt32 imm: 0x500000003 < 3 is not taken
-- asm
r5 = 0x500000003 ll
r0 = 1
if w5 < 3 goto +1
r0 = 0
exit
-- result
0x0

== jle32 imm: 0x100000000 <= 0 is taken
-- asm
r7 = 0x100000000 ll
r0 = 1
if w7 <= 0 goto +1
r0 = 0
exit
-- result
0x1

== jle32 imm: 0xffffffff <= -1 is taken
-- asm
r9 = 0xffffffff ll
r0 = 1
if w9 <= -1 goto +1
r0 = 0
exit
-- result
0x1

== jle32 imm: 0x2 <= 1 is not taken
-- asm
r0 = 2
if w0 <= 1 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x0

== jle32 imm: 0xffffffff00000001 <= 1 is taken
-- asm
r6 = 0xffffffff00000001 ll
r0 = 1
if w6 <= 1 goto +1
r0 = 0
exit
-- result
0x1

== jset32 imm: 0x100000000 & -1 is not taken
-- asm
r2 = 0x100000000 ll
r0 = 1
if w2 & -1 goto +1
r0 = 0
exit
-- result
0x0

== jset32 imm: 0x100000001 & 1 is taken
-- asm
r8 = 0x100000001 ll
r0 = 1
if w8 & 1 goto +1
r0 = 0
exit
-- result
0x1

== jset32 imm: 0x80000000 & -2147483648 is taken
-- asm
r4 = 0x80000000 ll
r0 = 1
if w4 & -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jset32 imm: 0xffffffff00000000 & 2147483647 is not taken
-- asm
r1 = 0xffffffff00000000 ll
r0 = 1
if w1 & 0x7fffffff goto +1
r0 = 0
exit
-- result
0x0

== jsgt32 imm: 0x80000000 s> 0 is not taken
-- asm
r3 = 0x80000000 ll
r0 = 1
if w3 s> 0 goto +1
r0 = 0
exit
-- result
0x0

== jsgt32 imm: 0x1 s> -1 is taken
-- asm
r5 = 1
r0 = 1
if w5 s> -1 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 imm: 0x7fffffff s> -2147483648 is taken
-- asm
r7 = 2147483647
r0 = 1
if w7 s> -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 imm: 0xffffffff00000001 s> 0 is taken
-- asm
r9 = 0xffffffff00000001 ll
r0 = 1
if w9 s> 0 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 imm: 0x100000000 s> -1 is taken
-- asm
r0 = 0x100000000 ll
if w0 s> -1 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jsge32 imm: 0xffffffff s>= -1 is taken
-- asm
r6 = 0xffffffff ll
r0 = 1
if w6 s>= -1 goto +1
r0 = 0
exit
-- result
0x1

== jsge32 imm: 0x80000000 s>= -2147483648 is taken
-- asm
r2 = 0x80000000 ll
r0 = 1
if w2 s>= -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jsge32 imm: 0x80000000 s>= -2147483647 is not taken
-- asm
r8 = 0x80000000 ll
r0 = 1
if w8 s>= 0x80000001 goto +1
r0 = 0
exit
-- result
0x0

== jsge32 imm: 0x17fffffff s>= 0 is taken
-- asm
r4 = 0x17fffffff ll
r0 = 1
if w4 s>= 0 goto +1
r0 = 0
exit
-- result
0x1

== jslt32 imm: 0xffffffff s< 0 is taken
-- asm
r1 = 0xffffffff ll
r0 = 1
if w1 s< 0 goto +1
r0 = 0
exit
-- result
0x1

== jslt32 imm: 0x1ffffffff s< 0 is taken
-- asm
r3 = 0x1ffffffff ll
r0 = 1
if w3 s< 0 goto +1
r0 = 0
exit
-- result
0x1

== jslt32 imm: 0x7fffffff s< -1 is not taken
-- asm
r5 = 2147483647
r0 = 1
if w5 s< -1 goto +1
r0 = 0
exit
-- result
0x0

== jslt32 imm: 0x80000000 s< 2147483647 is taken
-- asm
r7 = 0x80000000 ll
r0 = 1
if w7 s< 2147483647 goto +1
r0 = 0
exit
-- result
0x1

== jsle32 imm: 0xffffffff s<= -1 is taken
-- asm
r9 = 0xffffffff ll
r0 = 1
if w9 s<= -1 goto +1
r0 = 0
exit
-- result
0x1

== jsle32 imm: 0x80000000 s<= -2147483648 is taken
-- asm
r0 = 0x80000000 ll
if w0 s<= -2147483648 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jsle32 imm: 0x7fffffff s<= -1 is not taken
-- asm
r6 = 2147483647
r0 = 1
if w6 s<= -1 goto +1
r0 = 0
exit
-- result
0x0

== jsle32 imm: 0xffffffff80000000 s<= 0 is taken
-- asm
r2 = 0xffffffff80000000 ll
r0 = 1
if w2 s<= 0 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 reg: 0x100000007 == 0x200000007 is taken
-- asm
r8 = 0x100000007 ll
r3 = 0x200000007 ll
r0 = 1
if w8 == w3 goto +1
r0 = 0
exit
-- result
0x1

== jeq32 reg: 0x7 == 0x8 is not taken
-- asm
r4 = 7
r5 = 8
r0 = 1
if w4 == w5 goto +1
r0 = 0
exit
-- result
0x0

== jeq32 reg: 0xffffffff == 0xffffffffffffffff is taken
-- asm
r1 = 0xffffffff ll
r2 = 0xffffffffffffffff ll
r0 = 1
if w1 == w2 goto +1
r0 = 0
exit
-- result
0x1

== jne32 reg: 0x100000007 != 0x200000007 is not taken
-- asm
r3 = 0x100000007 ll
r4 = 0x200000007 ll
r0 = 1
if w3 != w4 goto +1
r0 = 0
exit
-- result
0x0

== jne32 reg: 0x7 != 0x8 is taken
-- asm
r5 = 7
r6 = 8
r0 = 1
if w5 != w6 goto +1
r0 = 0
exit
-- result
0x1

== jgt32 reg: 0xffffffff > 0x1 is taken
-- asm
r7 = 0xffffffff ll
r8 = 1
r0 = 1
if w7 > w8 goto +1
r0 = 0
exit
-- result
0x1

== jgt32 reg: 0x100000001 > 0x2 is not taken
-- asm
r1 = 0x100000001 ll
r2 = 2
r0 = 1
if w1 > w2 goto +1
r0 = 0
exit
-- result
0x0

== jgt32 reg: 0x80000000 > 0x7fffffff is taken
-- asm
r1 = 0x80000000 ll
r2 = 2147483647
r0 = 1
if w1 > w2 goto +1
r0 = 0
exit
-- result
0x1

== jge32 reg: 0x100000002 >= 0x200000002 is taken
-- asm
r6 = 0x100000002 ll
r1 = 0x200000002 ll
r0 = 1
if w6 >= w1 goto +1
r0 = 0
exit
-- result
0x1

== jge32 reg: 0x1 >= 0x100000002 is not taken
-- asm
r2 = 1
r7 = 0x100000002 ll
r0 = 1
if w2 >= w7 goto +1
r0 = 0
exit
-- result
0x0

== jlt32 reg: 0x1 < 0xffffffff is taken
-- asm
r8 = 1
r3 = 0xffffffff ll
r0 = 1
if w8 < w3 goto +1
r0 = 0
exit
-- result
0x1

== jlt32 reg: 0x100000001 < 0x2 is taken
-- asm
r4 = 0x100000001 ll
r5 = 2
r0 = 1
if w4 < w5 goto +1
r0 = 0
exit
-- result
0x1

== jlt32 reg: 0xffffffff < 0x1fffffffe is not taken
-- asm
r1 = 0xffffffff ll
r2 = 0x1fffffffe ll
r0 = 1
if w1 < w2 goto +1
r0 = 0
exit
-- result
0x0

== jle32 reg: 0x2 <= 0x100000002 is taken
-- asm
r3 = 2
r4 = 0x100000002 ll
r0 = 1
if w3 <= w4 goto +1
r0 = 0
exit
-- result
0x1

== jle32 reg: 0x3 <= 0x100000002 is not taken
-- asm
r5 = 3
r6 = 0x100000002 ll
r0 = 1
if w5 <= w6 goto +1
r0 = 0
exit
-- result
0x0

== jset32 reg: 0x100000000 & 0x100000000 is not taken
-- asm
r7 = 0x100000000 ll
r8 = 0x100000000 ll
r0 = 1
if w7 & w8 goto +1
r0 = 0
exit
-- result
0x0

== jset32 reg: 0x180000000 & 0x80000000 is taken
-- asm
r1 = 0x180000000 ll
r2 = 0x80000000 ll
r0 = 1
if w1 & w2 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 reg: 0x1 s> 0xffffffff is taken
-- asm
r1 = 1
r2 = 0xffffffff ll
r0 = 1
if w1 s> w2 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 reg: 0x80000000 s> 0x7fffffff is not taken
-- asm
r6 = 0x80000000 ll
r1 = 2147483647
r0 = 1
if w6 s> w1 goto +1
r0 = 0
exit
-- result
0x0

== jsgt32 reg: 0x7fffffff s> 0x80000000 is taken
-- asm
r2 = 2147483647
r7 = 0x80000000 ll
r0 = 1
if w2 s> w7 goto +1
r0 = 0
exit
-- result
0x1

== jsgt32 reg: 0x100000000 s> 0xffffffffffffffff is taken
-- asm
r8 = 0x100000000 ll
r3 = 0xffffffffffffffff ll
r0 = 1
if w8 s> w3 goto +1
r0 = 0
exit
-- result
0x1

== jsge32 reg: 0xffffffff s>= 0xffffffffffffffff is taken
-- asm
r4 = 0xffffffff ll
r5 = 0xffffffffffffffff ll
r0 = 1
if w4 s>= w5 goto +1
r0 = 0
exit
-- result
0x1

== jsge32 reg: 0x80000000 s>= 0x180000000 is taken
-- asm
r1 = 0x80000000 ll
r2 = 0x180000000 ll
r0 = 1
if w1 s>= w2 goto +1
r0 = 0
exit
-- result
0x1

== jsge32 reg: 0x80000000 s>= 0x7fffffff is not taken
-- asm
r3 = 0x80000000 ll
r4 = 2147483647
r0 = 1
if w3 s>= w4 goto +1
r0 = 0
exit
-- result
0x0

== jslt32 reg: 0x80000000 s< 0x7fffffff is taken
-- asm
r5 = 0x80000000 ll
r6 = 2147483647
r0 = 1
if w5 s< w6 goto +1
r0 = 0
exit
-- result
0x1

== jslt32 reg: 0xffffffff s< 0x0 is taken
-- asm
r7 = 0xffffffff ll
r8 = 0
r0 = 1
if w7 s< w8 goto +1
r0 = 0
exit
-- result
0x1

== jslt32 reg: 0x100000000 s< 0xffffffff is not taken
-- asm
r1 = 0x100000000 ll
r2 = 0xffffffff ll
r0 = 1
if w1 s< w2 goto +1
r0 = 0
exit
-- result
0x0

== jsle32 reg: 0x80000000 s<= 0x80000000 is taken
-- asm
r1 = 0x80000000 ll
r2 = 0x80000000 ll
r0 = 1
if w1 s<= w2 goto +1
r0 = 0
exit
-- result
0x1

== jsle32 reg: 0x0 s<= 0x80000000 is not taken
-- asm
r6 = 0
r1 = 0x80000000 ll
r0 = 1
if w6 s<= w1 goto +1
r0 = 0
exit
-- result
0x0

== jsle32 reg: 0xfffffffe s<= 0xffffffff is taken
-- asm
r2 = 0xfffffffe ll
r7 = 0xffffffff ll
r0 = 1
if w2 s<= w7 goto +1
r0 = 0
exit
-- result
0x1

== jmp32: loop on a w counter that wraps
-- asm
r0 = 0
w1 = -3
loop:
r0 += 1
w1 += 1
if w1 != 0 goto loop
exit
-- result
0x3

== jmp32: 64-bit and 32-bit views disagree
-- asm
r1 = 0x100000000 ll
r0 = 0
if w1 == 0 goto +1
r0 += 1
if r1 == 0 goto +1
r0 += 2
exit
-- result
0x2

== jmp32: signed loop bound in w registers
-- asm
r0 = 0
w1 = -10
loop:
r0 += 1
w1 += 3
if w1 s< 5 goto loop
exit
-- result
0x5
