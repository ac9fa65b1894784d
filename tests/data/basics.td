# A few basic cases: a loop, memory in and out, a fault, an invalid program.
== mov
-- asm
r0 = 42
exit
-- result
42

== loop
-- asm
r0 = 0
r1 = 10
loop:
r0 += r1
r1 -= 1
if r1 != 0 goto loop
exit
-- result
55

== mem
-- asm
r0 = *(u32 *)(r1 +0)
*(u8 *)(r1 +1) = 0xff
exit
-- mem
01 02 03 04
-- result
0x04030201
-- mem-out
01 ff 03 04

== oob
-- asm
r0 = *(u32 *)(r1 +2)
exit
-- mem
01 02 03 04
-- fault
region 'mem' has 4 bytes

== bad
-- raw
8e00000000000000
-- invalid
unknown opcode 0x8e
