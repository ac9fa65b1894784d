# Calls: helpers of the test environment by id (0 gather_bytes, 1 memfrob (returns 0),
# 2 no_op, 3 sqrti (64-bit isqrt), 4 strcmp_ext, 5 unwind), callx (the helper id in a register), and
# bpf-to-bpf calls: arguments in r1-r5, result in r0, r6-r9 preserved, a fresh
# 512-byte frame behind r10, at most 8 frames (the kernel's MAX_CALL_FRAMES).
# Expected values were computed by hand; local-call cases without helpers were
# checked on Linux 6.18 where its verifier accepts them.

== helper gather_bytes: r1..r5 packed into r0
-- asm
r1 = 1
r2 = 2
r3 = 3
r4 = 4
r5 = 5
call 0
exit
-- result
0x102030405

== helper gather_bytes: only the low byte of each argument
-- asm
r1 = 0x1ab
r2 = -1
r3 = 0
r4 = 0x7f00
r5 = 0x1234567890 ll
call 0
exit
-- result
0xabff000090

== helper call replaces r0
-- asm
r0 = -1
r1 = 0
r2 = 0
r3 = 0
r4 = 0
r5 = 9
call 0
exit
-- result
0x9

== helper sqrti: isqrt(0)
-- asm
r1 = 0
call 3
exit
-- result
0x0

== helper sqrti: isqrt(1)
-- asm
r1 = 1
call 3
exit
-- result
0x1

== helper sqrti: isqrt(2)
-- asm
r1 = 2
call 3
exit
-- result
0x1

== helper sqrti: isqrt(3)
-- asm
r1 = 3
call 3
exit
-- result
0x1

== helper sqrti: isqrt(4)
-- asm
r1 = 4
call 3
exit
-- result
0x2

== helper sqrti: isqrt(15)
-- asm
r1 = 15
call 3
exit
-- result
0x3

== helper sqrti: isqrt(16)
-- asm
r1 = 16
call 3
exit
-- result
0x4

== helper sqrti: isqrt(17)
-- asm
r1 = 17
call 3
exit
-- result
0x4

== helper sqrti: isqrt(999999)
-- asm
r1 = 999999
call 3
exit
-- result
0x3e7

== helper sqrti: isqrt(1000000)
-- asm
r1 = 1000000
call 3
exit
-- result
0x3e8

== helper sqrti: isqrt(4294967295)
-- asm
r1 = 0xffffffff ll
call 3
exit
-- result
0xffff

== helper sqrti: uses all 64 bits (0x100000010)
-- asm
r1 = 0x100000010 ll
call 3
exit
-- result
0x10000

== helper sqrti: isqrt(UINT64_MAX)
-- asm
r1 = -1
call 3
exit
-- result
0xffffffff

== helper sqrti: isqrt(2^62)
-- asm
r1 = 0x4000000000000000 ll
call 3
exit
-- result
0x80000000

== helper sqrti: isqrt of a large non-square (2^64 - 2^33)
-- asm
r1 = 0xfffffffe00000000 ll
call 3
exit
-- result
0xfffffffe

== helper no_op: returns 0
-- asm
r0 = 5
call 2
exit
-- result
0x0

== helper call: r6-r9 survive a helper call
-- asm
r6 = 6
r7 = 7
r8 = 8
r9 = 9
call 2
r0 = r6
r0 *= r7
r0 *= r8
r0 *= r9
exit
-- result
0xbd0

== helper memfrob: xors memory with 42 and returns 0
-- asm
r0 = 5
call 1
exit
-- mem
00 2a 41 ff 10
-- result
0x0
-- mem-out
2a 00 6b d5 3a

== helper memfrob: on part of the memory
-- asm
r1 += 1
r2 = 2
call 1
r0 = 0
exit
-- mem
01 02 03 04
-- result
0x0
-- mem-out
01 28 29 04

== helper memfrob: on the stack
-- asm
*(u64 *)(r10 -8) = 0
r1 = r10
r1 += -8
r2 = 8
call 1
r0 = *(u64 *)(r10 -8)
exit
-- result
0x2a2a2a2a2a2a2a2a

== helper memfrob: size 0 leaves memory
-- asm
r2 = 0
call 1
r0 = 0
exit
-- mem
01 02
-- result
0x0
-- mem-out
01 02

== helper strcmp_ext: equal strings give 0
-- asm
r2 = r1
r2 += 4
call 4
exit
-- mem
61 62 63 00 61 62 63 00
-- result
0x0

== helper strcmp_ext: a smaller string gives a negative result
-- asm
r2 = r1
r2 += 4
call 4
r1 = r0
r0 = 1
if r1 s< 0 goto +1
r0 = 0
exit
-- mem
61 62 63 00 61 62 64 00
-- result
0x1

== helper strcmp_ext: a greater string gives a positive result
-- asm
r2 = r1
r2 += 3
call 4
r1 = r0
r0 = 1
if r1 s> 0 goto +1
r0 = 0
exit
-- mem
62 61 00 62 00
-- result
0x1

== helper strcmp_ext: strings on the stack
-- asm
*(u32 *)(r10 -4) = 0x00636261
*(u32 *)(r10 -8) = 0x00636261
r1 = r10
r1 += -4
r2 = r10
r2 += -8
call 4
exit
-- result
0x0

== helper unwind: a non-zero argument is returned and the program goes on
-- asm
r1 = 7
call 5
r0 += 1
exit
-- result
0x8

== helper unwind: 0 ends the program with r0 = 0
-- asm
r1 = 0
call 5
r0 = 99
exit
-- result
0x0

== helper unwind: 0 ends the program before a store
-- asm
r1 = 0
call 5
*(u8 *)(r6 +0) = 1
r0 = 99
exit
-- mem
00
-- result
0x0
-- mem-out
00

== helper unwind: the store before it is kept
-- asm
r6 = r1
*(u8 *)(r6 +0) = 5
r1 = 0
call 5
*(u8 *)(r6 +0) = 6
exit
-- mem
00
-- result
0x0
-- mem-out
05

== helper unwind: 0 in a callee ends the whole program
-- asm
call f
r0 = 99
exit
f:
r1 = 0
call 5
r0 = 55
exit
-- result
0x0

== helper unwind: 0 two frames deep, after a loop
-- asm
r6 = 3
loop:
r1 = r6
call f
r6 -= 1
if r6 != 0 goto loop
r0 = 1
exit
f:
call g
exit
g:
r1 -= 1
call 5
r0 = 2
exit
-- result
0x0

== callx: helper id in a register (sqrti)
-- asm
r3 = 3
r1 = 144
callx r3
exit
-- result
0xc

== callx: helper id 0 in r0 (gather_bytes)
-- asm
r0 = 0
r1 = 1
r2 = 0
r3 = 0
r4 = 0
r5 = 0
callx r0
exit
-- result
0x100000000

== callx: helper id in r9 (no_op)
-- asm
r9 = 2
r0 = 7
callx r9
exit
-- result
0x0

== callx: helper id chosen at run time
-- asm
r6 = 2
r1 = 49
r6 += 1
callx r6
exit
-- result
0x7

== call local: label target, result in r0
-- asm
r1 = 5
call f
exit
f:
r0 = r1
r0 *= 2
exit
-- result
0xa

== call local: pc+N target
-- asm
r1 = 3
call pc+2
r0 += 1
exit
r0 = r1
exit
-- result
0x4

== call local: five arguments in r1-r5
-- asm
r1 = 1
r2 = 2
r3 = 3
r4 = 4
r5 = 5
call f
exit
f:
r0 = r5
r0 *= 10
r0 += r4
r0 *= 10
r0 += r3
r0 *= 10
r0 += r2
r0 *= 10
r0 += r1
exit
-- result
0xd431

== call local: r6-r9 preserved across the call
-- asm
r6 = 6
r7 = 7
r8 = 8
r9 = 9
call f
r0 = r6
r0 += r7
r0 += r8
r0 += r9
exit
f:
r6 = 0x100
r7 = 0x200
r8 = 0x300
r9 = 0x400
r0 = r6
exit
-- result
0x1e

== call local: r6-r9 preserved across two levels
-- asm
r6 = 1
call f
r0 = r6
exit
f:
r6 = 2
call g
r0 = r6
exit
g:
r6 = 3
r0 = r6
exit
-- result
0x1

== call local: the callee's r6 is preserved across its own call
-- asm
call f
exit
f:
r6 = 2
call g
r0 = r6
exit
g:
r6 = 3
r0 = 0
exit
-- result
0x2

== call local: the callee has a fresh stack frame
-- asm
*(u64 *)(r10 -8) = 111
call f
r1 = *(u64 *)(r10 -8)
r0 *= 1000
r0 += r1
exit
f:
*(u64 *)(r10 -8) = 222
r0 = *(u64 *)(r10 -8)
exit
-- result
0x3639f

== call local: the callee's r10 differs from the caller's
-- asm
r1 = r10
call f
exit
f:
r0 = 1
if r1 != r10 goto +1
r0 = 0
exit
-- result
0x1

== call local: the caller's r10 is restored after the call
-- asm
r6 = r10
call f
r0 = 0
if r6 != r10 goto +1
r0 = 1
exit
f:
r0 = 0
exit
-- result
0x1

== call local: the callee writes through a pointer to the caller's stack
-- asm
*(u64 *)(r10 -8) = 7
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r10 -8)
exit
f:
*(u64 *)(r1 +0) = 99
r0 = 0
exit
-- result
0x63

== call local: the callee reads the caller's stack
-- asm
*(u32 *)(r10 -4) = 0x1234
r1 = r10
r1 += -4
call f
exit
f:
r0 = *(u32 *)(r1 +0)
r0 += 1
exit
-- result
0x1235

== call local: a stack pointer passed down two levels
-- asm
*(u64 *)(r10 -16) = 1
r1 = r10
r1 += -16
call f
r0 = *(u64 *)(r10 -16)
exit
f:
call g
exit
g:
r2 = *(u64 *)(r1 +0)
r2 += 41
*(u64 *)(r1 +0) = r2
r0 = 0
exit
-- result
0x2a

== call local: the caller's stack under the callee's own frame
-- asm
*(u64 *)(r10 -512) = 5
r1 = r10
r1 += -512
call f
r0 = *(u64 *)(r10 -512)
exit
f:
*(u64 *)(r10 -512) = 6
*(u64 *)(r10 -8) = 7
r2 = *(u64 *)(r1 +0)
r2 *= 10
*(u64 *)(r1 +0) = r2
exit
-- result
0x32

== call local: the memory pointer passed to the callee
-- asm
r6 = r1
call f
r0 = *(u8 *)(r6 +0)
exit
f:
*(u8 *)(r1 +0) = 0x77
r0 = 0
exit
-- mem
00
-- result
0x77
-- mem-out
77

== call local: a callee calling a helper
-- asm
r1 = 81
call f
r0 += 1
exit
f:
call 3
exit
-- result
0xa

== call local: a callee calling callx
-- asm
r1 = 64
call f
exit
f:
r2 = 3
callx r2
exit
-- result
0x8

== call local: in a loop (sum of squares 1..5)
-- asm
r6 = 5
r7 = 0
loop:
r1 = r6
call sq
r7 += r0
r6 -= 1
if r6 != 0 goto loop
r0 = r7
exit
sq:
r0 = r1
r0 *= r1
exit
-- result
0x37

== call local: a callee with several exits
-- asm
r1 = 3
call f
r6 = r0
r1 = 0
call f
r0 += r6
exit
f:
if r1 == 0 goto zero
r0 = 100
exit
zero:
r0 = 1
exit
-- result
0x65

== call local: two functions, the second calls the first
-- asm
r1 = 4
call g
exit
f:
r0 = r1
r0 += 1
exit
g:
call f
r0 *= 3
exit
-- result
0xf

== call local: subprogram before the one that calls it
-- asm
r1 = 2
call g
exit
f:
r0 = r1
r0 <<= 4
exit
g:
r1 += 1
call f
exit
-- result
0x30

== call local: a jump inside the callee
-- asm
r1 = 10
call f
exit
f:
r0 = 0
loop:
r0 += r1
r1 -= 1
if r1 != 0 goto loop
exit
-- result
0x37

== call local: the callee ends with a backward jump
-- asm
r1 = 3
call f
exit
f:
r0 = 0
goto +2
r0 += 100
exit
r0 += r1
if r0 < 9 goto -2
goto -5
-- result
0x6d

== call depth: a chain of 8 frames (main and 7 callees) is allowed
-- asm
r0 = 0
call f1
r0 += 1
exit
f1:
call f2
r0 += 1
exit
f2:
call f3
r0 += 1
exit
f3:
call f4
r0 += 1
exit
f4:
call f5
r0 += 1
exit
f5:
call f6
r0 += 1
exit
f6:
call f7
r0 += 1
exit
f7:
r0 = 1
exit
-- result
0x8

== call depth: a chain of 9 frames faults
-- asm
r0 = 0
call f1
r0 += 1
exit
f1:
call f2
r0 += 1
exit
f2:
call f3
r0 += 1
exit
f3:
call f4
r0 += 1
exit
f4:
call f5
r0 += 1
exit
f5:
call f6
r0 += 1
exit
f6:
call f7
r0 += 1
exit
f7:
call f8
r0 += 1
exit
f8:
r0 = 1
exit
-- fault
call stack too deep

== call depth: recursion 8 frames deep (factorial of 7)
-- asm
r1 = 7
call fact
exit
fact:
r0 = 1
if r1 s<= 1 goto ret
r6 = r1
r1 -= 1
call fact
r0 *= r6
ret:
exit
-- result
0x13b0

== call depth: recursion 9 frames deep faults (factorial of 8)
-- asm
r1 = 8
call fact
exit
fact:
r0 = 1
if r1 s<= 1 goto ret
r6 = r1
r1 -= 1
call fact
r0 *= r6
ret:
exit
-- fault
call stack too deep

== call depth: 8 frames each using its whole 512-byte stack
-- asm
r1 = 6
call f
exit
f:
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -512) = r1
r0 = 0
if r1 == 0 goto out
r1 -= 1
call f
r1 = *(u64 *)(r10 -8)
r0 += r1
r1 = *(u64 *)(r10 -512)
r0 += r1
out:
exit
-- result
0x2a

== call depth: returning frees frames for later calls
-- asm
r6 = 3
loop:
r1 = 7
call f
r6 -= 1
if r6 != 0 goto loop
exit
f:
r0 = 0
if r1 == 1 goto out
r1 -= 1
call f
r0 += 1
out:
exit
-- result
0x6
