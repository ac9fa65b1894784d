# 64-bit conditional jumps (every condition, imm and reg, taken and not taken;
# the imm is sign-extended to 64 bits), ja, gotol, backward jumps and loops.
# Each program returns 1 when the jump is taken, else 0.
# Expected values were computed independently and checked on Linux 6.18.

== jeq imm: 0x5 == 5 is taken
-- asm
r1 = 5
r0 = 1
if r1 == 5 goto +1
r0 = 0
exit
-- result
0x1

== jeq imm: 0x5 == 6 is not taken
-- asm
r3 = 5
r0 = 1
if r3 == 6 goto +1
r0 = 0
exit
-- result
0x0

== jeq imm: 0xffffffffffffffff == -1 is taken
-- asm
r5 = 0xffffffffffffffff ll
r0 = 1
if r5 == -1 goto +1
r0 = 0
exit
-- result
0x1

== jeq imm: 0xffffffff == -1 is not taken
-- asm
r7 = 0xffffffff ll
r0 = 1
if r7 == -1 goto +1
r0 = 0
exit
-- result
0x0

== jeq imm: 0x100000005 == 5 is not taken
-- asm
r9 = 0x100000005 ll
r0 = 1
if r9 == 5 goto +1
r0 = 0
exit
-- result
0x0

== jeq imm: 0x0 == 0 is taken
-- asm
r0 = 0
if r0 == 0 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jne imm: 0x5 != 5 is not taken
-- asm
r6 = 5
r0 = 1
if r6 != 5 goto +1
r0 = 0
exit
-- result
0x0

== jne imm: 0x5 != 6 is taken
-- asm
r2 = 5
r0 = 1
if r2 != 6 goto +1
r0 = 0
exit
-- result
0x1

== jne imm: 0xffffffffffffffff != -1 is not taken
-- asm
r8 = 0xffffffffffffffff ll
r0 = 1
if r8 != -1 goto +1
r0 = 0
exit
-- result
0x0

== jne imm: 0xffffffff != -1 is taken
-- asm
r4 = 0xffffffff ll
r0 = 1
if r4 != -1 goto +1
r0 = 0
exit
-- result
0x1

== jne imm: 0x100000005 != 5 is taken
-- asm
r1 = 0x100000005 ll
r0 = 1
if r1 != 5 goto +1
r0 = 0
exit
-- result
0x1

== jgt imm: 0x2 > 1 is taken
-- asm
r3 = 2
r0 = 1
if r3 > 1 goto +1
r0 = 0
exit
-- result
0x1

== jgt imm: 0x1 > 1 is not taken
-- asm
r5 = 1
r0 = 1
if r5 > 1 goto +1
r0 = 0
exit
-- result
0x0

== jgt imm: 0x0 > 1 is not taken
-- asm
r7 = 0
r0 = 1
if r7 > 1 goto +1
r0 = 0
exit
-- result
0x0

== jgt imm: 0xffffffffffffffff > 1 is taken
-- asm
r9 = 0xffffffffffffffff ll
r0 = 1
if r9 > 1 goto +1
r0 = 0
exit
-- result
0x1

== jgt imm: 0x5 > -1 is not taken
-- asm
r0 = 5
if r0 > -1 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x0

== jgt imm: 0x8000000000000000 > 2147483647 is taken
-- asm
r6 = 0x8000000000000000 ll
r0 = 1
if r6 > 0x7fffffff goto +1
r0 = 0
exit
-- result
0x1

== jgt imm: 0x100000000 > 2147483647 is taken
-- asm
r2 = 0x100000000 ll
r0 = 1
if r2 > 2147483647 goto +1
r0 = 0
exit
-- result
0x1

== jge imm: 0x1 >= 1 is taken
-- asm
r8 = 1
r0 = 1
if r8 >= 1 goto +1
r0 = 0
exit
-- result
0x1

== jge imm: 0x0 >= 1 is not taken
-- asm
r4 = 0
r0 = 1
if r4 >= 1 goto +1
r0 = 0
exit
-- result
0x0

== jge imm: 0x2 >= 1 is taken
-- asm
r1 = 2
r0 = 1
if r1 >= 1 goto +1
r0 = 0
exit
-- result
0x1

== jge imm: 0xffffffffffffffff >= -1 is taken
-- asm
r3 = 0xffffffffffffffff ll
r0 = 1
if r3 >= -1 goto +1
r0 = 0
exit
-- result
0x1

== jge imm: 0x80000000 >= -2147483648 is not taken
-- asm
r5 = 0x80000000 ll
r0 = 1
if r5 >= 0x80000000 goto +1
r0 = 0
exit
-- result
0x0

== jge imm: 0xffffffff80000000 >= -2147483648 is taken
-- asm
r7 = 0xffffffff80000000 ll
r0 = 1
if r7 >= -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jlt imm: 0x1 < 2 is taken
-- asm
r9 = 1
r0 = 1
if r9 < 2 goto +1
r0 = 0
exit
-- result
0x1

== jlt imm: 0x1 < 1 is not taken
-- asm
r0 = 1
if r0 < 1 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x0

== jlt imm: 0x1 < -1 is taken
-- asm
r6 = 1
r0 = 1
if r6 < -1 goto +1
r0 = 0
exit
-- result
0x1

== jlt imm: 0xffffffffffffffff < 0 is not taken
-- asm
r2 = 0xffffffffffffffff ll
r0 = 1
if r2 < 0 goto +1
r0 = 0
exit
-- result
0x0

== jlt imm: 0x7fffffff < -2147483648 is taken
-- asm
r8 = 2147483647
r0 = 1
if r8 < 0x80000000 goto +1
r0 = 0
exit
-- result
0x1

== jlt imm: 0x0 < 0 is not taken
-- asm
r4 = 0
r0 = 1
if r4 < 0 goto +1
r0 = 0
exit
-- result
0x0

== jle imm: 0x1 <= 1 is taken
-- asm
r1 = 1
r0 = 1
if r1 <= 1 goto +1
r0 = 0
exit
-- result
0x1

== jle imm: 0x2 <= 1 is not taken
-- asm
r3 = 2
r0 = 1
if r3 <= 1 goto +1
r0 = 0
exit
-- result
0x0

== jle imm: 0x0 <= 0 is taken
-- asm
r5 = 0
r0 = 1
if r5 <= 0 goto +1
r0 = 0
exit
-- result
0x1

== jle imm: 0xfffffffffffffffe <= -1 is taken
-- asm
r7 = 0xfffffffffffffffe ll
r0 = 1
if r7 <= -1 goto +1
r0 = 0
exit
-- result
0x1

== jle imm: 0xffffffffffffffff <= -2 is not taken
-- asm
r9 = 0xffffffffffffffff ll
r0 = 1
if r9 <= -2 goto +1
r0 = 0
exit
-- result
0x0

== jset imm: 0x10 & 16 is taken
-- asm
r0 = 16
if r0 & 16 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jset imm: 0x10 & 1 is not taken
-- asm
r6 = 16
r0 = 1
if r6 & 1 goto +1
r0 = 0
exit
-- result
0x0

== jset imm: 0x100000000 & -1 is taken
-- asm
r2 = 0x100000000 ll
r0 = 1
if r2 & -1 goto +1
r0 = 0
exit
-- result
0x1

== jset imm: 0x100000000 & 2147483647 is not taken
-- asm
r8 = 0x100000000 ll
r0 = 1
if r8 & 0x7fffffff goto +1
r0 = 0
exit
-- result
0x0

== jset imm: 0x8000000000000000 & -2147483648 is taken
-- asm
r4 = 0x8000000000000000 ll
r0 = 1
if r4 & -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jset imm: 0x0 & -1 is not taken
-- asm
r1 = 0
r0 = 1
if r1 & -1 goto +1
r0 = 0
exit
-- result
0x0

== jsgt imm: 0x1 s> -1 is taken
-- asm
r3 = 1
r0 = 1
if r3 s> -1 goto +1
r0 = 0
exit
-- result
0x1

== jsgt imm: 0xffffffffffffffff s> 1 is not taken
-- asm
r5 = 0xffffffffffffffff ll
r0 = 1
if r5 s> 1 goto +1
r0 = 0
exit
-- result
0x0

== jsgt imm: 0x7fffffffffffffff s> -1 is taken
-- asm
r7 = 0x7fffffffffffffff ll
r0 = 1
if r7 s> -1 goto +1
r0 = 0
exit
-- result
0x1

== jsgt imm: 0x8000000000000000 s> 2147483647 is not taken
-- asm
r9 = 0x8000000000000000 ll
r0 = 1
if r9 s> 0x7fffffff goto +1
r0 = 0
exit
-- result
0x0

== jsgt imm: 0x5 s> 5 is not taken
-- asm
r0 = 5
if r0 s> 5 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x0

== jsgt imm: 0xffffffff s> -1 is taken
-- asm
r6 = 0xffffffff ll
r0 = 1
if r6 s> -1 goto +1
r0 = 0
exit
-- result
0x1

== jsgt imm: 0x80000000 s> 0 is taken
-- asm
r2 = 0x80000000 ll
r0 = 1
if r2 s> 0 goto +1
r0 = 0
exit
-- result
0x1

== jsge imm: 0xffffffffffffffff s>= -1 is taken
-- asm
r8 = 0xffffffffffffffff ll
r0 = 1
if r8 s>= -1 goto +1
r0 = 0
exit
-- result
0x1

== jsge imm: 0xffffffffffffffff s>= 0 is not taken
-- asm
r4 = 0xffffffffffffffff ll
r0 = 1
if r4 s>= 0 goto +1
r0 = 0
exit
-- result
0x0

== jsge imm: 0x0 s>= -1 is taken
-- asm
r1 = 0
r0 = 1
if r1 s>= -1 goto +1
r0 = 0
exit
-- result
0x1

== jsge imm: 0x8000000000000000 s>= -2147483648 is not taken
-- asm
r3 = 0x8000000000000000 ll
r0 = 1
if r3 s>= -2147483648 goto +1
r0 = 0
exit
-- result
0x0

== jsge imm: 0xffffffff80000000 s>= -2147483648 is taken
-- asm
r5 = 0xffffffff80000000 ll
r0 = 1
if r5 s>= 0x80000000 goto +1
r0 = 0
exit
-- result
0x1

== jslt imm: 0xffffffffffffffff s< 0 is taken
-- asm
r7 = 0xffffffffffffffff ll
r0 = 1
if r7 s< 0 goto +1
r0 = 0
exit
-- result
0x1

== jslt imm: 0x0 s< -1 is not taken
-- asm
r9 = 0
r0 = 1
if r9 s< -1 goto +1
r0 = 0
exit
-- result
0x0

== jslt imm: 0x8000000000000000 s< 2147483647 is taken
-- asm
r0 = 0x8000000000000000 ll
if r0 s< 2147483647 goto +2
r0 = 0
exit
r0 = 1
exit
-- result
0x1

== jslt imm: 0x80000000 s< 0 is not taken
-- asm
r6 = 0x80000000 ll
r0 = 1
if r6 s< 0 goto +1
r0 = 0
exit
-- result
0x0

== jslt imm: 0x5 s< 5 is not taken
-- asm
r2 = 5
r0 = 1
if r2 s< 5 goto +1
r0 = 0
exit
-- result
0x0

== jslt imm: 0xfffffffffffffffe s< -1 is taken
-- asm
r8 = 0xfffffffffffffffe ll
r0 = 1
if r8 s< -1 goto +1
r0 = 0
exit
-- result
0x1

== jsle imm: 0xffffffffffffffff s<= -1 is taken
-- asm
r4 = 0xffffffffffffffff ll
r0 = 1
if r4 s<= -1 goto +1
r0 = 0
exit
-- result
0x1

== jsle imm: 0x0 s<= -1 is not taken
-- asm
r1 = 0
r0 = 1
if r1 s<= -1 goto +1
r0 = 0
exit
-- result
0x0

== jsle imm: 0x8000000000000000 s<= -2147483648 is taken
-- asm
r3 = 0x8000000000000000 ll
r0 = 1
if r3 s<= -2147483648 goto +1
r0 = 0
exit
-- result
0x1

== jsle imm: 0x7fffffffffffffff s<= 2147483647 is not taken
-- asm
r5 = 0x7fffffffffffffff ll
r0 = 1
if r5 s<= 0x7fffffff goto +1
r0 = 0
exit
-- result
0x0

== jsle imm: 0xfffffffffffffffe s<= -1 is taken
-- asm
r7 = 0xfffffffffffffffe ll
r0 = 1
if r7 s<= -1 goto +1
r0 = 0
exit
-- result
0x1

== jeq reg: 0x5 == 0x5 is taken
-- asm
r1 = 5
r2 = 5
r0 = 1
if r1 == r2 goto +1
r0 = 0
exit
-- result
0x1

== jeq reg: 0x5 == 0x6 is not taken
-- asm
r1 = 5
r2 = 6
r0 = 1
if r1 == r2 goto +1
r0 = 0
exit
-- result
0x0

== jeq reg: 0x100000007 == 0x200000007 is not taken
-- asm
r6 = 0x100000007 ll
r1 = 0x200000007 ll
r0 = 1
if r6 == r1 goto +1
r0 = 0
exit
-- result
0x0

== jeq reg: 0xffffffffffffffff == 0xffffffffffffffff is taken
-- asm
r2 = 0xffffffffffffffff ll
r7 = 0xffffffffffffffff ll
r0 = 1
if r2 == r7 goto +1
r0 = 0
exit
-- result
0x1

== jne reg: 0x5 != 0x5 is not taken
-- asm
r8 = 5
r3 = 5
r0 = 1
if r8 != r3 goto +1
r0 = 0
exit
-- result
0x0

== jne reg: 0x100000007 != 0x200000007 is taken
-- asm
r4 = 0x100000007 ll
r5 = 0x200000007 ll
r0 = 1
if r4 != r5 goto +1
r0 = 0
exit
-- result
0x1

== jne reg: 0xffffffffffffffff != 0xfffffffffffffffe is taken
-- asm
r1 = 0xffffffffffffffff ll
r2 = 0xfffffffffffffffe ll
r0 = 1
if r1 != r2 goto +1
r0 = 0
exit
-- result
0x1

== jgt reg: 0xffffffffffffffff > 0x1 is taken
-- asm
r3 = 0xffffffffffffffff ll
r4 = 1
r0 = 1
if r3 > r4 goto +1
r0 = 0
exit
-- result
0x1

== jgt reg: 0x1 > 0xffffffffffffffff is not taken
-- asm
r5 = 1
r6 = 0xffffffffffffffff ll
r0 = 1
if r5 > r6 goto +1
r0 = 0
exit
-- result
0x0

== jgt reg: 0x8000000000000000 > 0x7fffffffffffffff is taken
-- asm
r7 = 0x8000000000000000 ll
r8 = 0x7fffffffffffffff ll
r0 = 1
if r7 > r8 goto +1
r0 = 0
exit
-- result
0x1

== jgt reg: 0x7fffffffffffffff > 0x7fffffffffffffff is not taken
-- asm
r1 = 0x7fffffffffffffff ll
r2 = 0x7fffffffffffffff ll
r0 = 1
if r1 > r2 goto +1
r0 = 0
exit
-- result
0x0

== jge reg: 0x7fffffffffffffff >= 0x7fffffffffffffff is taken
-- asm
r1 = 0x7fffffffffffffff ll
r2 = 0x7fffffffffffffff ll
r0 = 1
if r1 >= r2 goto +1
r0 = 0
exit
-- result
0x1

== jge reg: 0x7fffffffffffffff >= 0x8000000000000000 is not taken
-- asm
r6 = 0x7fffffffffffffff ll
r1 = 0x8000000000000000 ll
r0 = 1
if r6 >= r1 goto +1
r0 = 0
exit
-- result
0x0

== jge reg: 0x8000000000000000 >= 0x7fffffffffffffff is taken
-- asm
r2 = 0x8000000000000000 ll
r7 = 0x7fffffffffffffff ll
r0 = 1
if r2 >= r7 goto +1
r0 = 0
exit
-- result
0x1

== jlt reg: 0x1 < 0xffffffffffffffff is taken
-- asm
r8 = 1
r3 = 0xffffffffffffffff ll
r0 = 1
if r8 < r3 goto +1
r0 = 0
exit
-- result
0x1

== jlt reg: 0xffffffffffffffff < 0x1 is not taken
-- asm
r4 = 0xffffffffffffffff ll
r5 = 1
r0 = 1
if r4 < r5 goto +1
r0 = 0
exit
-- result
0x0

== jlt reg: 0x7fffffffffffffff < 0x8000000000000000 is taken
-- asm
r1 = 0x7fffffffffffffff ll
r2 = 0x8000000000000000 ll
r0 = 1
if r1 < r2 goto +1
r0 = 0
exit
-- result
0x1

== jlt reg: 0x3 < 0x3 is not taken
-- asm
r3 = 3
r4 = 3
r0 = 1
if r3 < r4 goto +1
r0 = 0
exit
-- result
0x0

== jle reg: 0x3 <= 0x3 is taken
-- asm
r5 = 3
r6 = 3
r0 = 1
if r5 <= r6 goto +1
r0 = 0
exit
-- result
0x1

== jle reg: 0x4 <= 0x3 is not taken
-- asm
r7 = 4
r8 = 3
r0 = 1
if r7 <= r8 goto +1
r0 = 0
exit
-- result
0x0

== jle reg: 0x0 <= 0xffffffffffffffff is taken
-- asm
r1 = 0
r2 = 0xffffffffffffffff ll
r0 = 1
if r1 <= r2 goto +1
r0 = 0
exit
-- result
0x1

== jset reg: 0xff00000000000000 & 0x100000000000000 is taken
-- asm
r1 = 0xff00000000000000 ll
r2 = 0x100000000000000 ll
r0 = 1
if r1 & r2 goto +1
r0 = 0
exit
-- result
0x1

== jset reg: 0xff00000000000000 & 0xff000000000000 is not taken
-- asm
r6 = 0xff00000000000000 ll
r1 = 0xff000000000000 ll
r0 = 1
if r6 & r1 goto +1
r0 = 0
exit
-- result
0x0

== jset reg: 0xffffffffffffffff & 0x0 is not taken
-- asm
r2 = 0xffffffffffffffff ll
r7 = 0
r0 = 1
if r2 & r7 goto +1
r0 = 0
exit
-- result
0x0

== jsgt reg: 0x1 s> 0xffffffffffffffff is taken
-- asm
r8 = 1
r3 = 0xffffffffffffffff ll
r0 = 1
if r8 s> r3 goto +1
r0 = 0
exit
-- result
0x1

== jsgt reg: 0xffffffffffffffff s> 0x1 is not taken
-- asm
r4 = 0xffffffffffffffff ll
r5 = 1
r0 = 1
if r4 s> r5 goto +1
r0 = 0
exit
-- result
0x0

== jsgt reg: 0x7fffffffffffffff s> 0x8000000000000000 is taken
-- asm
r1 = 0x7fffffffffffffff ll
r2 = 0x8000000000000000 ll
r0 = 1
if r1 s> r2 goto +1
r0 = 0
exit
-- result
0x1

== jsgt reg: 0x8000000000000000 s> 0x7fffffffffffffff is not taken
-- asm
r3 = 0x8000000000000000 ll
r4 = 0x7fffffffffffffff ll
r0 = 1
if r3 s> r4 goto +1
r0 = 0
exit
-- result
0x0

== jsgt reg: 0xffffffffffffffff s> 0xffffffffffffffff is not taken
-- asm
r5 = 0xffffffffffffffff ll
r6 = 0xffffffffffffffff ll
r0 = 1
if r5 s> r6 goto +1
r0 = 0
exit
-- result
0x0

== jsge reg: 0xffffffffffffffff s>= 0xffffffffffffffff is taken
-- asm
r7 = 0xffffffffffffffff ll
r8 = 0xffffffffffffffff ll
r0 = 1
if r7 s>= r8 goto +1
r0 = 0
exit
-- result
0x1

== jsge reg: 0x8000000000000000 s>= 0x8000000000000000 is taken
-- asm
r1 = 0x8000000000000000 ll
r2 = 0x8000000000000000 ll
r0 = 1
if r1 s>= r2 goto +1
r0 = 0
exit
-- result
0x1

== jsge reg: 0x8000000000000000 s>= 0xffffffffffffffff is not taken
-- asm
r1 = 0x8000000000000000 ll
r2 = 0xffffffffffffffff ll
r0 = 1
if r1 s>= r2 goto +1
r0 = 0
exit
-- result
0x0

== jsge reg: 0x0 s>= 0x8000000000000000 is taken
-- asm
r6 = 0
r1 = 0x8000000000000000 ll
r0 = 1
if r6 s>= r1 goto +1
r0 = 0
exit
-- result
0x1

== jslt reg: 0x8000000000000000 s< 0x7fffffffffffffff is taken
-- asm
r2 = 0x8000000000000000 ll
r7 = 0x7fffffffffffffff ll
r0 = 1
if r2 s< r7 goto +1
r0 = 0
exit
-- result
0x1

== jslt reg: 0x7fffffffffffffff s< 0x8000000000000000 is not taken
-- asm
r8 = 0x7fffffffffffffff ll
r3 = 0x8000000000000000 ll
r0 = 1
if r8 s< r3 goto +1
r0 = 0
exit
-- result
0x0

== jslt reg: 0xffffffffffffffff s< 0x0 is taken
-- asm
r4 = 0xffffffffffffffff ll
r5 = 0
r0 = 1
if r4 s< r5 goto +1
r0 = 0
exit
-- result
0x1

== jslt reg: 0xffffffffffffffff s< 0xffffffffffffffff is not taken
-- asm
r1 = 0xffffffffffffffff ll
r2 = 0xffffffffffffffff ll
r0 = 1
if r1 s< r2 goto +1
r0 = 0
exit
-- result
0x0

== jsle reg: 0x8000000000000000 s<= 0x8000000000000000 is taken
-- asm
r3 = 0x8000000000000000 ll
r4 = 0x8000000000000000 ll
r0 = 1
if r3 s<= r4 goto +1
r0 = 0
exit
-- result
0x1

== jsle reg: 0xffffffffffffffff s<= 0x8000000000000000 is not taken
-- asm
r5 = 0xffffffffffffffff ll
r6 = 0x8000000000000000 ll
r0 = 1
if r5 s<= r6 goto +1
r0 = 0
exit
-- result
0x0

== jsle reg: 0x8000000000000000 s<= 0xffffffffffffffff is taken
-- asm
r7 = 0x8000000000000000 ll
r8 = 0xffffffffffffffff ll
r0 = 1
if r7 s<= r8 goto +1
r0 = 0
exit
-- result
0x1

== ja: skips one instruction
-- asm
r0 = 1
goto +1
r0 = 2
exit
-- result
0x1

== ja: +0 is a no-op
-- asm
r0 = 1
goto +0
r0 += 1
exit
-- result
0x2

== ja: to a label
-- asm
r0 = 1
goto out
r0 = 2
r0 = 3
out:
exit
-- result
0x1

== ja: backward to a label after a forward jump
-- asm
r0 = 0
goto second
first:
r0 += 1
exit
second:
r0 += 10
goto first
-- result
0xb

== ja: backward offset -3
-- asm
r0 = 0
goto +3
r0 *= 3
exit
r0 = 0
r0 += 5
goto -5
-- result
0xf

== ja: the last instruction may be a jump
-- asm
r0 = 7
goto +1
exit
goto -2
-- result
0x7

== gotol: skips one instruction
-- asm
r0 = 1
gotol +1
r0 = 2
exit
-- result
0x1

== gotol: +0 is a no-op
-- asm
r0 = 1
gotol +0
r0 += 1
exit
-- result
0x2

== gotol: to a label
-- asm
r0 = 4
gotol done
r0 = 5
r0 = 6
done:
exit
-- result
0x4

== gotol: backward
-- asm
r0 = 0
gotol +2
r0 += 1
exit
r0 += 2
gotol -4
-- result
0x3

== gotol: as the last instruction
-- asm
r0 = 0
r1 = 3
loop:
r0 += r1
r1 -= 1
if r1 == 0 goto +1
gotol loop
exit
-- result
0x6

== loop: counting down sums 1..10
-- asm
r0 = 0
r1 = 10
loop:
r0 += r1
r1 -= 1
if r1 != 0 goto loop
exit
-- result
0x37

== loop: counting up with an unsigned bound
-- asm
r0 = 0
r1 = 0
loop:
r0 += 3
r1 += 1
if r1 < 100 goto loop
exit
-- result
0x12c

== loop: signed loop from -5 to 5
-- asm
r0 = 0
r1 = -5
loop:
r0 += 1
r1 += 1
if r1 s<= 5 goto loop
exit
-- result
0xb

== loop: nested loops
-- asm
r0 = 0
r1 = 0
outer:
r2 = 0
inner:
r0 += 1
r2 += 1
if r2 < 7 goto inner
r1 += 1
if r1 < 6 goto outer
exit
-- result
0x2a

== loop: backward conditional with a numeric offset
-- asm
r0 = 1
r1 = 10
r0 <<= 1
r1 -= 1
if r1 != 0 goto -3
exit
-- result
0x400

== loop: fibonacci
-- asm
r1 = 0
r2 = 1
r3 = 50
loop:
r4 = r1
r4 += r2
r1 = r2
r2 = r4
r3 -= 1
if r3 != 0 goto loop
r0 = r1
exit
-- result
0x2ee333961

== loop: 64-bit collatz steps of 27
-- asm
r0 = 0
r1 = 27
loop:
if r1 == 1 goto done
r0 += 1
r2 = r1
r2 &= 1
if r2 == 0 goto even
r1 *= 3
r1 += 1
goto loop
even:
r1 >>= 1
goto loop
done:
exit
-- result
0x6f

== jmp: jump to the final exit from several places
-- asm
r0 = 0
r1 = 3
if r1 == 1 goto out
r0 += 1
if r1 == 3 goto out
r0 += 100
out:
exit
-- result
0x1

== jmp: compare a register with itself
-- asm
r0 = 0
r1 = -5
if r1 == r1 goto +1
r0 = 1
if r1 s< r1 goto +1
r0 += 2
exit
-- result
0x2

== jmp: compare r10 with a copy of itself
-- asm
r0 = 0
r1 = r10
if r1 != r10 goto +1
r0 = 1
exit
-- result
0x1

== jmp: a conditional jump +0 is a no-op either way
-- asm
r0 = 5
if r0 == 5 goto +0
if r0 == 6 goto +0
exit
-- result
0x5

== jmp: offset -1 loops on itself until the condition fails
-- asm
r0 = 0
r1 = 0
loop:
r1 += 1
if r1 < 5 goto -2
r0 = r1
exit
-- result
0x5

== may_goto falls through while its budget lasts
-- asm
r0 = 0
loop:
may_goto +2
r0 += 1
goto loop
exit
-- result
0x800000

== may_goto budget is per frame: a callee starts with a full budget
-- asm
r6 = 0
r7 = 0
outer:
may_goto +4
r7 += 1
if r7 > 2 goto done
call count
r6 += r0
goto outer
done:
r0 = r6
exit
count:
r0 = 0
l:
may_goto +2
r0 += 1
goto l
exit
-- result
0x1000000

== may_goto with a budget left: not taken
-- asm
r0 = 7
may_goto +1
exit
r0 = 9
exit
-- result
7
