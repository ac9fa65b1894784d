# Faults of the checked interpreter: memory outside the regions it was given (mem,
# the live stack frames), null pointers, unknown helpers, helper arguments, the
# instruction budget, misaligned atomics, the frame limit. The message must
# contain the -- fault text.

== read u32 straddling the end of mem
-- asm
r0 = *(u32 *)(r1 +2)
exit
-- mem
01 02 03 04
-- fault
invalid read of 4 bytes at mem+2: region 'mem' has 4 bytes

== read u8 just past the end of mem
-- asm
r0 = *(u8 *)(r1 +4)
exit
-- mem
01 02 03 04
-- fault
invalid read of 1 bytes at mem+4

== read u64 from 4-byte mem
-- asm
r0 = *(u64 *)(r1 +0)
exit
-- mem
01 02 03 04
-- fault
invalid read of 8 bytes at mem+0

== read u8 one byte before mem
-- asm
r0 = *(u8 *)(r1 -1)
exit
-- mem
01 02 03 04
-- fault
invalid read of 1 bytes at mem-1

== read s16 past the end of mem
-- asm
r0 = *(s16 *)(r1 +3)
exit
-- mem
01 02 03 04
-- fault
invalid read of 2 bytes at mem+3

== read s32 past the end of mem
-- asm
r0 = *(s32 *)(r1 +1)
exit
-- mem
01 02 03 04
-- fault
invalid read of 4 bytes

== read s8 past the end of mem
-- asm
r0 = *(s8 *)(r1 +4)
exit
-- mem
01 02 03 04
-- fault
invalid read of 1 bytes

== write u8 just past the end of mem
-- asm
*(u8 *)(r1 +4) = 1
r0 = 0
exit
-- mem
01 02 03 04
-- fault
invalid write of 1 bytes at mem+4

== write u16 straddling the end of mem (st)
-- asm
*(u16 *)(r1 +3) = 1
r0 = 0
exit
-- mem
01 02 03 04
-- fault
invalid write of 2 bytes at mem+3

== write u64 from a register past the end of mem (stx)
-- asm
*(u64 *)(r1 +0) = r1
r0 = 0
exit
-- mem
01 02 03 04
-- fault
invalid write of 8 bytes at mem+0

== write u32 before mem
-- asm
*(u32 *)(r1 -4) = 1
r0 = 0
exit
-- mem
01 02 03 04
-- fault
invalid write of 4 bytes at mem-4

== a faulting write leaves no partial store
-- asm
r2 = 0x0102
*(u8 *)(r1 +0) = 9
*(u32 *)(r1 +2) = r2
r0 = 0
exit
-- mem
01 02 03 04
-- fault
invalid write of 4 bytes at mem+2

== read past the end of mem after pointer arithmetic
-- asm
r1 += r2
r0 = *(u8 *)(r1 +0)
exit
-- mem
01 02 03 04
-- fault
invalid read of 1 bytes at mem+4

== read far beyond mem
-- asm
r1 += 0x10000000
r0 = *(u8 *)(r1 +0)
exit
-- mem
01 02 03 04
-- fault
not in any region

== loop running off the end of mem
-- asm
r0 = 0
loop:
r3 = *(u8 *)(r1 +0)
r0 += r3
r1 += 1
goto loop
-- mem
01 02 03 04
-- fault
invalid read of 1 bytes at mem+4

== stack: write below r10-512
-- asm
*(u8 *)(r10 -513) = 0
r0 = 0
exit
-- fault
invalid write of 1 bytes at r10-513 in frame 0: outside the live stack

== stack: read below r10-512
-- asm
r0 = *(u8 *)(r10 -513)
exit
-- fault
invalid read of 1 bytes at r10-513 in frame 0

== stack: u64 at r10-516 straddles the bottom
-- asm
*(u64 *)(r10 -516) = 0
r0 = 0
exit
-- fault
invalid write of 8 bytes at r10-516 in frame 0

== stack: u64 read at r10-4 straddles the top
-- asm
*(u32 *)(r10 -4) = 0
r0 = *(u64 *)(r10 -4)
exit
-- fault
invalid read of 8 bytes at r10-4 in frame 0

== stack: read at r10+0 is above the frame
-- asm
r0 = *(u8 *)(r10 +0)
exit
-- fault
invalid read of 1 bytes at r10+0 in frame 0

== stack: write at r10+8 is above the frame
-- asm
*(u64 *)(r10 +8) = 0
r0 = 0
exit
-- fault
invalid write of 8 bytes at r10+8 in frame 0

== stack: through a pointer moved below the frame
-- asm
r2 = r10
r2 += -520
r0 = *(u64 *)(r2 +0)
exit
-- fault
invalid read of 8 bytes at r10-520 in frame 0

== stack: the callee may not go below its own frame
-- asm
call f
exit
f:
*(u8 *)(r10 -513) = 1
r0 = 0
exit
-- fault
invalid write of 1 bytes at r10-513 in frame 1

== stack: the callee's frame is gone after it returns
-- asm
call f
r0 = *(u64 *)(r0 +0)
exit
f:
*(u64 *)(r10 -8) = 1
r0 = r10
r0 += -8
exit
-- fault
invalid read of 8 bytes at r10-520 in frame 0

== stack: atomic below the frame
-- asm
r1 = 1
lock *(u64 *)(r10 -520) += r1
r0 = 0
exit
-- fault
invalid write of 8 bytes at r10-520 in frame 0

== null pointer read
-- asm
r1 = 0
r0 = *(u64 *)(r1 +0)
exit
-- fault
invalid read of 8 bytes at 0x0: not in any region

== null pointer write
-- asm
r1 = 0
*(u32 *)(r1 +0) = 1
r0 = 0
exit
-- fault
invalid write of 4 bytes at 0x0

== null pointer plus offset
-- asm
r1 = 0
r0 = *(u8 *)(r1 +16)
exit
-- fault
invalid read of 1 bytes at 0x10

== null pointer when there is no mem (r1 = 0)
-- asm
r0 = *(u8 *)(r1 +0)
exit
-- fault
not in any region

== null pointer atomic
-- asm
r1 = 0
r2 = 1
lock *(u64 *)(r1 +0) += r2
r0 = 0
exit
-- fault
not in any region

== null pointer cmpxchg
-- asm
r1 = 0
r2 = 1
r0 = 0
r0 = atomic_cmpxchg((u64 *)(r1 +0), r0, r2)
exit
-- fault
not in any region

== wild pointer -1
-- asm
r1 = -1
r0 = *(u8 *)(r1 +0)
exit
-- fault
not in any region

== a wild pointer made of a constant
-- asm
r1 = 0x7fff00001000 ll
*(u64 *)(r1 +0) = 1
r0 = 0
exit
-- fault
not in any region

== unknown helper id 6
-- asm
call 6
exit
-- fault
call to unknown helper 6

== unknown helper id 1000
-- asm
call 1000
exit
-- fault
call to unknown helper 1000

== unknown helper id -1
-- asm
call -1
exit
-- fault
call to unknown helper

== callx with an unknown helper id
-- asm
r1 = 99
callx r1
exit
-- fault
call to unknown helper 99

== callx with a pointer as the helper id
-- asm
callx r10
exit
-- fault
call to unknown helper

== callx with an id above 32 bits
-- asm
r1 = 0x100000003 ll
callx r1
exit
-- fault
call to unknown helper

== helper memfrob: size past the end of mem
-- asm
r2 += 1
call 1
r0 = 0
exit
-- mem
01 02 03 04
-- fault
helper memfrob: argument R1

== helper memfrob: null pointer with a size
-- asm
r1 = 0
r2 = 4
call 1
r0 = 0
exit
-- fault
helper memfrob: argument R1

== helper memfrob: stack pointer below the frame
-- asm
r1 = r10
r1 += -520
r2 = 16
call 1
r0 = 0
exit
-- fault
helper memfrob: argument R1

== helper strcmp_ext: string not terminated inside mem
-- asm
r2 = r1
call 4
exit
-- mem
61 62 63
-- fault
helper strcmp_ext: argument R1

== helper strcmp_ext: second string is a null pointer
-- asm
r2 = 0
call 4
exit
-- mem
61 00
-- fault
helper strcmp_ext: argument R2

== instruction limit: infinite loop
-- asm
l:
goto l
-- max-insns
100
-- fault
more than 100 instructions executed

== instruction limit: long counted loop
-- asm
r0 = 0
l:
r0 += 1
if r0 < 1000 goto l
exit
-- max-insns
100
-- fault
instructions executed

== instruction limit: exactly enough budget
-- asm
r0 = 0
l:
r0 += 1
if r0 < 10 goto l
exit
-- max-insns
22
-- result
0xa

== instruction limit: one short of enough
-- asm
r0 = 0
l:
r0 += 1
if r0 < 10 goto l
exit
-- max-insns
21
-- fault
more than 21 instructions executed

== instruction limit: infinite recursion-free call loop
-- asm
l:
call f
goto l
f:
r0 = 0
exit
-- max-insns
100
-- fault
instructions executed

== instruction limit: gotol loop
-- asm
l:
r0 = 0
gotol l
-- max-insns
50
-- fault
more than 50 instructions executed

== misaligned atomic: lock add64 at mem+4
-- asm
r2 = 1
lock *(u64 *)(r1 +4) += r2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- fault
misaligned atomic access of 8 bytes

== misaligned atomic: lock add32 at mem+2
-- asm
r2 = 1
lock *(u32 *)(r1 +2) += w2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- fault
misaligned atomic access of 4 bytes

== misaligned atomic: fetch_or32 at mem+1
-- asm
r2 = 1
w2 = atomic_fetch_or((u32 *)(r1 +1), w2)
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- fault
misaligned

== misaligned atomic: xchg64 at mem+4
-- asm
r2 = 1
r2 = atomic_xchg((u64 *)(r1 +4), r2)
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- fault
misaligned

== misaligned atomic: cmpxchg32 at mem+3
-- asm
r2 = 1
r0 = 0
w0 = atomic_cmpxchg((u32 *)(r1 +3), w0, w2)
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- fault
misaligned

== misaligned atomic: cmpxchg64 via a moved base
-- asm
r1 += 1
r2 = 1
r0 = 0
r0 = atomic_cmpxchg((u64 *)(r1 +7), r0, r2)
r0 = 1
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x1

== misaligned atomic: on the stack at r10-12 (u64)
-- asm
r1 = 1
lock *(u64 *)(r10 -12) |= r1
r0 = 0
exit
-- fault
misaligned

== misaligned atomic: on the stack at r10-6 (u32)
-- asm
r1 = 1
lock *(u32 *)(r10 -6) ^= w1
r0 = 0
exit
-- fault
misaligned

== aligned atomic: u32 at mem+4 is fine
-- asm
r2 = 1
lock *(u32 *)(r1 +4) += w2
r0 = 0
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
-- mem-out
00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00

== misaligned plain load is fine
-- asm
r0 = *(u64 *)(r1 +3)
exit
-- mem
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
-- result
0x0
