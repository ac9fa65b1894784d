# Sign-extending moves (MOVSX, off = 8/16/32): r = (s8|s16|s32) r and
# w = (s8|s16) w, whose result is zero-extended from 32 bits.
# Expected values were computed independently and checked on Linux 6.18.

== movsx64 s8: min (0x80)
-- asm
r1 = 128
r0 = -1
r0 = (s8)r1
exit
-- result
0xffffffffffffff80

== movsx64 s8: max (0x7f)
-- asm
r1 = 127
r0 = -1
r0 = (s8)r1
exit
-- result
0x7f

== movsx64 s8: -1 (0xff)
-- asm
r1 = 255
r0 = -1
r0 = (s8)r1
exit
-- result
0xffffffffffffffff

== movsx64 s8: only the low byte counts (0x1234567890abcdff)
-- asm
r1 = 0x1234567890abcdff ll
r0 = -1
r0 = (s8)r1
exit
-- result
0xffffffffffffffff

== movsx64 s8: low byte zero (0x100)
-- asm
r1 = 256
r0 = -1
r0 = (s8)r1
exit
-- result
0x0

== movsx64 s8: positive low byte in a negative register (0xffffffffffffff01)
-- asm
r1 = 0xffffffffffffff01 ll
r0 = -1
r0 = (s8)r1
exit
-- result
0x1

== movsx64 s16: min (0x8000)
-- asm
r1 = 32768
r0 = -1
r0 = (s16)r1
exit
-- result
0xffffffffffff8000

== movsx64 s16: max (0x7fff)
-- asm
r1 = 32767
r0 = -1
r0 = (s16)r1
exit
-- result
0x7fff

== movsx64 s16: -1 (0xffff)
-- asm
r1 = 65535
r0 = -1
r0 = (s16)r1
exit
-- result
0xffffffffffffffff

== movsx64 s16: only the low half-word counts (0xffffffff00001234)
-- asm
r1 = 0xffffffff00001234 ll
r0 = -1
r0 = (s16)r1
exit
-- result
0x1234

== movsx64 s16: bit 16 ignored (0x18000)
-- asm
r1 = 98304
r0 = -1
r0 = (s16)r1
exit
-- result
0xffffffffffff8000

== movsx64 s32: min (0x80000000)
-- asm
r1 = 0x80000000 ll
r0 = -1
r0 = (s32)r1
exit
-- result
0xffffffff80000000

== movsx64 s32: max (0x7fffffff)
-- asm
r1 = 2147483647
r0 = -1
r0 = (s32)r1
exit
-- result
0x7fffffff

== movsx64 s32: -1 (0xffffffff)
-- asm
r1 = 0xffffffff ll
r0 = -1
r0 = (s32)r1
exit
-- result
0xffffffffffffffff

== movsx64 s32: only the low word counts (0x100000001)
-- asm
r1 = 0x100000001 ll
r0 = -1
r0 = (s32)r1
exit
-- result
0x1

== movsx64 s32: zero-extended input becomes negative (0xfffffffe)
-- asm
r1 = 0xfffffffe ll
r0 = -1
r0 = (s32)r1
exit
-- result
0xfffffffffffffffe

== movsx32 s8: min: 0xffffff80, upper half zero (0x80)
-- asm
r1 = 128
r0 = -1
w0 = (s8)w1
exit
-- result
0xffffff80

== movsx32 s8: max (0x7f)
-- asm
r1 = 127
r0 = -1
w0 = (s8)w1
exit
-- result
0x7f

== movsx32 s8: -1 is 0xffffffff (0xff)
-- asm
r1 = 255
r0 = -1
w0 = (s8)w1
exit
-- result
0xffffffff

== movsx32 s8: upper half of src ignored (0xffffffff00000001)
-- asm
r1 = 0xffffffff00000001 ll
r0 = -1
w0 = (s8)w1
exit
-- result
0x1

== movsx32 s16: min: 0xffff8000 (0x8000)
-- asm
r1 = 32768
r0 = -1
w0 = (s16)w1
exit
-- result
0xffff8000

== movsx32 s16: max (0x7fff)
-- asm
r1 = 32767
r0 = -1
w0 = (s16)w1
exit
-- result
0x7fff

== movsx32 s16: low half-word only (0x12345678)
-- asm
r1 = 305419896
r0 = -1
w0 = (s16)w1
exit
-- result
0x5678

== movsx32 s16: negative, upper half cleared (0xffffffffffff8001)
-- asm
r1 = 0xffffffffffff8001 ll
r0 = -1
w0 = (s16)w1
exit
-- result
0xffff8001

== movsx64 s8: in place
-- asm
r5 = 0xfe
r5 = (s8)r5
r0 = r5
exit
-- result
0xfffffffffffffffe

== movsx64 s16: in place
-- asm
r9 = 0xfffe
r9 = (s16)r9
r0 = r9
exit
-- result
0xfffffffffffffffe

== movsx64 s32: in place
-- asm
r6 = 0xfffffffe ll
r6 = (s32)r6
r0 = r6
exit
-- result
0xfffffffffffffffe

== movsx32 s8: in place clears the upper half
-- asm
r7 = -2
w7 = (s8)w7
r0 = r7
exit
-- result
0xfffffffe

== movsx32 s16: in place
-- asm
r8 = 0x7ffe
w8 = (s16)w8
r0 = r8
exit
-- result
0x7ffe

== movsx64 s32: src unchanged
-- asm
r1 = 0xffffffff ll
r2 = (s32)r1
r0 = r1
exit
-- result
0xffffffff
