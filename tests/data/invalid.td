# Validation errors (isa_validate and vm_prog_create): unknown opcodes and forms,
# bad registers, writes to r10, reserved fields, bad jumps and calls, LD_IMM64
# pairs, programs that fall off their end. -- invalid holds part of the message.
# Each encoding was also checked to be refused by Linux 6.18 (BPF_PROG_LOAD).

== unknown opcode 0x00 (code 0)
-- asm
.raw 0x0 0 0 0 0
exit
-- invalid
unknown opcode 0x00

== unknown opcode 0xff (code 0xff)
-- asm
.raw 0xff 0 0 0 0
exit
-- invalid
unknown opcode 0xff

== unknown opcode 0x8e (JMP32 | CALL | X)
-- asm
.raw 0x8e 0 0 0 0
exit
-- invalid
unknown opcode 0x8e

== unknown opcode 0x86 (JMP32 | CALL)
-- asm
.raw 0x86 0 0 0 0
exit
-- invalid
unknown opcode 0x86

== unknown opcode 0x96 (JMP32 | EXIT)
-- asm
.raw 0x96 0 0 0 0
exit
-- invalid
unknown opcode 0x96

== unknown opcode 0x0e (JMP32 | JA | X)
-- asm
.raw 0xe 0 0 0 0
exit
-- invalid
unknown opcode 0x0e

== unknown opcode 0x0d (JMP | JA | X)
-- asm
.raw 0xd 0 0 0 0
exit
-- invalid
unknown opcode 0x0d

== unknown opcode 0xdf (ALU64 | END | X)
-- asm
.raw 0xdf 0 0 0 0
exit
-- invalid
unknown opcode 0xdf

== unknown opcode 0x38 (LD_ABS | DW)
-- asm
.raw 0x38 0 0 0 0
exit
-- invalid
unknown opcode 0x38

== unknown opcode 0x58 (LD_IND | DW)
-- asm
.raw 0x58 0 0 0 0
exit
-- invalid
unknown opcode 0x58

== unknown opcode 0x99 (LDX | MEMSX | DW)
-- asm
.raw 0x99 0 0 0 0
exit
-- invalid
unknown opcode 0x99

== unknown opcode 0xe7 (ALU64 op 0xe0)
-- asm
.raw 0xe7 0 0 0 0
exit
-- invalid
unknown opcode 0xe7

== unknown opcode 0xf4 (ALU op 0xf0)
-- asm
.raw 0xf4 0 0 0 0
exit
-- invalid
unknown opcode 0xf4

== unknown opcode 0x8c (ALU | NEG | X)
-- asm
.raw 0x8c 0 0 0 0
exit
-- invalid
unknown opcode 0x8c

== unknown opcode 0x8f (ALU64 | NEG | X)
-- asm
.raw 0x8f 0 0 0 0
exit
-- invalid
unknown opcode 0x8f

== unknown opcode 0x10 (LD | IMM | W (not DW))
-- asm
.raw 0x10 0 0 0 0
exit
-- invalid
unknown opcode 0x10

== unknown opcode 0x01 (LDX | IMM)
-- asm
.raw 0x1 0 0 0 0
exit
-- invalid
unknown opcode 0x01

== unknown opcode 0x02 (ST | IMM)
-- asm
.raw 0x2 0 0 0 0
exit
-- invalid
unknown opcode 0x02

== unknown opcode 0x03 (STX | IMM)
-- asm
.raw 0x3 0 0 0 0
exit
-- invalid
unknown opcode 0x03

== unknown opcode 0xf5 (JMP op 0xf0)
-- asm
.raw 0xf5 0 0 0 0
exit
-- invalid
unknown opcode 0xf5

== 8-bit atomics are only load-acquire and store-release
-- asm
.raw 0xd3 0 0 0 0
exit
-- invalid
opcode 0xd3 does not take imm 0

== 16-bit atomics are only load-acquire and store-release
-- asm
.raw 0xcb 0 0 0 0
exit
-- invalid
opcode 0xcb does not take imm 0

== unknown opcode 0xec (ALU | 0xe0 | X)
-- asm
.raw 0xec 0 0 0 0
exit
-- invalid
unknown opcode 0xec

== unknown opcode 0x80 (LD | ABS | ? (0x80))
-- asm
.raw 0x80 0 0 0 0
exit
-- invalid
unknown opcode 0x80

== unknown opcode 0x60 (LD | MEM | W)
-- asm
.raw 0x60 0 0 0 0
exit
-- invalid
unknown opcode 0x60

== unknown opcode 0x92 (ST | MEMSX | B)
-- asm
.raw 0x92 0 0 0 0
exit
-- invalid
unknown opcode 0x92

== unknown opcode 0x83 (STX | MEMSX | W)
-- asm
.raw 0x83 0 0 0 0
exit
-- invalid
unknown opcode 0x83

== unknown opcode 0x9b (STX | MEMSX | DW)
-- asm
.raw 0x9b 0 0 0 0
exit
-- invalid
unknown opcode 0x9b

== movsx64 with off 24
-- asm
.raw 0xbf 1 2 24 0
exit
-- invalid
opcode 0xbf does not take off 24

== movsx64 with off 1 (not a sign-extension width)
-- asm
.raw 0xbf 1 2 1 0
exit
-- invalid
opcode 0xbf does not take off 1

== movsx64 with off -8
-- asm
.raw 0xbf 1 2 -8 0
exit
-- invalid
opcode 0xbf does not take off -8

== movsx32 with off 32 (only 8 and 16 for w registers)
-- asm
.raw 0xbc 1 2 32 0
exit
-- invalid
opcode 0xbc does not take off 32

== movsx32 with off 24
-- asm
.raw 0xbc 1 2 24 0
exit
-- invalid
opcode 0xbc does not take off 24

== sdiv64 imm with off 2
-- asm
.raw 0x37 1 0 2 3
exit
-- invalid
opcode 0x37 does not take off 2

== sdiv64 reg with off 2
-- asm
.raw 0x3f 1 2 2 0
exit
-- invalid
opcode 0x3f does not take off 2

== smod64 imm with off -1
-- asm
.raw 0x97 1 0 -1 3
exit
-- invalid
opcode 0x97 does not take off -1

== sdiv32 reg with off 2
-- asm
.raw 0x3c 1 2 2 0
exit
-- invalid
opcode 0x3c does not take off 2

== smod32 imm with off 8
-- asm
.raw 0x94 1 0 8 3
exit
-- invalid
opcode 0x94 does not take off 8

== le with imm 8
-- asm
.raw 0xd4 1 0 0 8
exit
-- invalid
opcode 0xd4 does not take imm 8

== le with imm 0
-- asm
.raw 0xd4 1 0 0 0
exit
-- invalid
opcode 0xd4 does not take imm 0

== be with imm 24
-- asm
.raw 0xdc 1 0 0 24
exit
-- invalid
opcode 0xdc does not take imm 24

== bswap with imm 128
-- asm
.raw 0xd7 1 0 0 128
exit
-- invalid
opcode 0xd7 does not take imm 128

== bswap with imm 8
-- asm
.raw 0xd7 1 0 0 8
exit
-- invalid
opcode 0xd7 does not take imm 8

== atomic 0xdb with imm 0x10 (sub (no such atomic op))
-- asm
.raw 0xdb 1 2 0 16
r0 = 0
exit
-- invalid
opcode 0xdb does not take imm 16

== atomic 0xdb with imm 0xe0 (xchg without BPF_FETCH)
-- asm
.raw 0xdb 1 2 0 224
r0 = 0
exit
-- invalid
opcode 0xdb does not take imm 224

== atomic 0xdb with imm 0xf0 (cmpxchg without BPF_FETCH)
-- asm
.raw 0xdb 1 2 0 240
r0 = 0
exit
-- invalid
opcode 0xdb does not take imm 240

== atomic 0xc3 with imm 0x2 (imm 2)
-- asm
.raw 0xc3 1 2 0 2
r0 = 0
exit
-- invalid
opcode 0xc3 does not take imm 2

== atomic 0xc3 with imm 0x11 (fetch of op 0x10)
-- asm
.raw 0xc3 1 2 0 17
r0 = 0
exit
-- invalid
opcode 0xc3 does not take imm 17

== atomic 0xc3 with imm -0x1 (imm -1)
-- asm
.raw 0xc3 1 2 0 -1
r0 = 0
exit
-- invalid
opcode 0xc3 does not take imm -1

== atomic 0xdb with imm 0x3 (imm 3)
-- asm
.raw 0xdb 1 2 0 3
r0 = 0
exit
-- invalid
opcode 0xdb does not take imm 3

== call with src 3 (unknown call kind)
-- asm
.raw 0x85 0 3 0 1
exit
-- invalid
opcode 0x85 does not take src_reg 3

== lddw with src 7 (unknown pseudo kind)
-- asm
.raw 0x18 0 7 0 0
.raw 0 0 0 0 0
exit
-- invalid
opcode 0x18 does not take src_reg 7

== dst register 11
-- asm
.raw 0xb7 11 0 0 1
exit
-- invalid
R11 is invalid

== dst register 15
-- asm
.raw 0x07 15 0 0 1
exit
-- invalid
R15 is invalid

== src register 11
-- asm
.raw 0xbf 0 11 0 0
exit
-- invalid
R11 is invalid

== src register 12 in a store
-- asm
.raw 0x7b 1 12 0 0
r0 = 0
exit
-- invalid
R12 is invalid

== base register 11 of a load
-- asm
.raw 0x79 0 11 0 0
exit
-- invalid
R11 is invalid

== jump compares register 13
-- asm
.raw 0x1d 0 13 0 0
exit
-- invalid
R13 is invalid

== callx register 11
-- asm
.raw 0x8d 11 0 0 0
exit
-- invalid
R11 is invalid

== write to r10: r10 = 1
-- asm
r0 = 0
r10 = 1
exit
-- invalid
frame pointer is read only

== write to r10: w10 = 1
-- asm
r0 = 0
w10 = 1
exit
-- invalid
frame pointer is read only

== write to r10: r10 += 8
-- asm
r0 = 0
r10 += 8
exit
-- invalid
frame pointer is read only

== write to r10: w10 -= w1
-- asm
r0 = 0
w10 -= w1
exit
-- invalid
frame pointer is read only

== write to r10: r10 = r1
-- asm
r0 = 0
r10 = r1
exit
-- invalid
frame pointer is read only

== write to r10: r10 = -r10
-- asm
r0 = 0
r10 = -r10
exit
-- invalid
frame pointer is read only

== write to r10: r10 = (s8)r1
-- asm
r0 = 0
r10 = (s8)r1
exit
-- invalid
frame pointer is read only

== write to r10: w10 = (s16)w1
-- asm
r0 = 0
w10 = (s16)w1
exit
-- invalid
frame pointer is read only

== write to r10: r10 = be16 r10
-- asm
r0 = 0
r10 = be16 r10
exit
-- invalid
frame pointer is read only

== write to r10: r10 = le64 r10
-- asm
r0 = 0
r10 = le64 r10
exit
-- invalid
frame pointer is read only

== write to r10: r10 = bswap32 r10
-- asm
r0 = 0
r10 = bswap32 r10
exit
-- invalid
frame pointer is read only

== write to r10: r10 = *(u64 *)(r1 +0)
-- asm
r0 = 0
r10 = *(u64 *)(r1 +0)
exit
-- invalid
frame pointer is read only

== write to r10: r10 = *(s32 *)(r1 +0)
-- asm
r0 = 0
r10 = *(s32 *)(r1 +0)
exit
-- invalid
frame pointer is read only

== write to r10: r10 = 0x1 ll
-- asm
r0 = 0
r10 = 0x1 ll
exit
-- invalid
frame pointer is read only

== write to r10: r10 s/= r1
-- asm
r0 = 0
r10 s/= r1
exit
-- invalid
frame pointer is read only

== write to r10: w10 s%= 3
-- asm
r0 = 0
w10 s%= 3
exit
-- invalid
frame pointer is read only

== write to r10: r10 = atomic_fetch_add((u64 *)(r1 +0), r10)
-- asm
r0 = 0
r10 = atomic_fetch_add((u64 *)(r1 +0), r10)
exit
-- invalid
frame pointer is read only

== write to r10: w10 = atomic_xchg((u32 *)(r1 +0), w10)
-- asm
r0 = 0
w10 = atomic_xchg((u32 *)(r1 +0), w10)
exit
-- invalid
frame pointer is read only

== reserved field: add64 imm with src set
-- asm
.raw 0x7 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: add64 imm with off set
-- asm
.raw 0x7 1 0 1 5
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: add64 reg with imm set
-- asm
.raw 0xf 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: add64 reg with off set
-- asm
.raw 0xf 1 2 3 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: mov64 reg with imm set
-- asm
.raw 0xbf 1 2 0 7
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: mov64 imm with src set
-- asm
.raw 0xb7 1 2 0 7
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: mov32 imm with off set
-- asm
.raw 0xb4 1 0 8 7
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: mov64 imm with off 8 (sign-extension exists only for the reg form)
-- asm
.raw 0xb7 1 0 8 7
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: movsx32 with imm set
-- asm
.raw 0xbc 1 2 8 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: div64 imm with src set
-- asm
.raw 0x37 1 2 0 7
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: sdiv64 reg with imm set
-- asm
.raw 0x3f 1 2 1 7
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: neg64 with src set
-- asm
.raw 0x87 1 2 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: neg64 with imm set
-- asm
.raw 0x87 1 0 0 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: neg32 with off set
-- asm
.raw 0x84 1 0 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: le16 with src set
-- asm
.raw 0xd4 1 2 0 16
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: be32 with off set
-- asm
.raw 0xdc 1 0 1 32
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: bswap64 with src set
-- asm
.raw 0xd7 1 1 0 64
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: ja with imm set
-- asm
.raw 0x5 0 0 1 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: ja with dst set
-- asm
.raw 0x5 1 0 0 0
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: ja with src set
-- asm
.raw 0x5 0 1 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: gotol with off set
-- asm
.raw 0x6 0 0 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: gotol with dst set
-- asm
.raw 0x6 2 0 0 0
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: jeq imm with src set
-- asm
.raw 0x15 1 2 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: jeq reg with imm set
-- asm
.raw 0x1d 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: jne32 imm with src set
-- asm
.raw 0x56 1 2 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: jne32 reg with imm set
-- asm
.raw 0x5e 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: call helper with dst set
-- asm
.raw 0x85 1 0 0 2
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: call helper with off set
-- asm
.raw 0x85 0 0 1 2
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: callx with src set
-- asm
.raw 0x8d 1 2 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: callx with imm set
-- asm
.raw 0x8d 1 0 0 2
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: callx with off set
-- asm
.raw 0x8d 1 0 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: exit with dst set
-- asm
.raw 0x95 1 0 0 0
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: exit with src set
-- asm
.raw 0x95 0 1 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: exit with off set
-- asm
.raw 0x95 0 0 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: exit with imm set
-- asm
.raw 0x95 0 0 0 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: ldx u32 with imm set
-- asm
.raw 0x61 0 1 0 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: ldx s8 with imm set
-- asm
.raw 0x91 0 1 0 1
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: st u32 with src set
-- asm
.raw 0x62 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: st u64 with src set
-- asm
.raw 0x7a 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: stx u32 with imm set
-- asm
.raw 0x63 1 2 0 5
r0 = 0
exit
-- invalid
uses reserved field imm

== reserved field: ld_abs with dst set
-- asm
.raw 0x20 1 0 0 0
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: ld_abs with src set
-- asm
.raw 0x28 0 1 0 0
r0 = 0
exit
-- invalid
uses reserved field src_reg

== reserved field: ld_abs with off set
-- asm
.raw 0x30 0 0 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: ld_ind with dst set
-- asm
.raw 0x40 1 2 0 0
r0 = 0
exit
-- invalid
uses reserved field dst_reg

== reserved field: ld_ind with off set
-- asm
.raw 0x50 0 2 1 0
r0 = 0
exit
-- invalid
uses reserved field off

== reserved field: lddw with off set
-- asm
.raw 0x18 1 0 1 0
.raw 0 0 0 0 0
r0 = 0
exit
-- invalid
uses reserved field off

== jump out of range forward
-- asm
r0 = 0
goto +5
exit
-- invalid
jump out of range from insn 1 to 7

== jump out of range backward
-- asm
goto -2
r0 = 0
exit
-- invalid
jump out of range from insn 0 to -1

== conditional jump to the instruction count
-- asm
r0 = 0
if r0 == 0 goto +1
exit
-- invalid
jump out of range from insn 1 to 3

== gotol out of range
-- asm
r0 = 0
gotol +100
exit
-- invalid
jump out of range

== gotol far backward out of range
-- asm
r0 = 0
gotol -2147483648
exit
-- invalid
jump out of range

== jump from main into a subprogram
-- asm
call f
goto +1
exit
f:
r0 = 0
exit
-- invalid
jump out of range from insn 1 to 3

== jump from a subprogram back into main
-- asm
r0 = 0
call f
exit
f:
goto -3
exit
-- invalid
jump out of range from insn 3 to 1

== jump into the middle of an ldimm64
-- asm
goto +1
r0 = 1 ll
exit
-- invalid
jump into the middle of ldimm64 insn 1

== backward jump into the middle of an ldimm64
-- asm
r0 = 1 ll
if r0 == 0 goto -2
exit
-- invalid
jump into the middle of ldimm64 insn 0

== call into the middle of an ldimm64 (the subprogram before it then ends with the first slot)
-- asm
call pc+2
exit
r0 = 1 ll
exit
-- invalid
insn 2: last insn is not an exit or jmp

== ldimm64 missing its second slot at the end
-- asm
.raw 0x18 0 0 0 1
-- invalid
the second slot is missing

== ldimm64 second slot with a non-zero code
-- asm
.raw 0x18 0 0 0 1
.raw 0x95 0 0 0 0
exit
-- invalid
second slot has code 0x95

== ldimm64 second slot with dst set
-- asm
.raw 0x18 0 0 0 1
.raw 0 1 0 0 0
exit
-- invalid
all must be 0

== ldimm64 second slot with src set
-- asm
.raw 0x18 0 0 0 1
.raw 0 0 1 0 0
exit
-- invalid
all must be 0

== ldimm64 second slot with off set
-- asm
.raw 0x18 0 0 0 1
.raw 0 0 0 1 0
exit
-- invalid
all must be 0

== ldimm64 map_fd with a non-zero second imm
-- asm
.raw 0x18 1 1 0 3
.raw 0 0 0 0 1
r0 = 0
exit
-- invalid
reserved field imm of its second slot

== ldimm64 map_fd is not runnable without a loader
-- asm
r1 = map_fd(3) ll
r0 = 0
exit
-- invalid
must resolve it first

== ldimm64 map_value is not runnable without a loader
-- asm
r1 = map_value(3, 8) ll
r0 = 0
exit
-- invalid
must resolve it first

== ldimm64 btf_id is not runnable without a loader
-- asm
r1 = btf_id(3) ll
r0 = 0
exit
-- invalid
must resolve it first

== ldimm64 func is a function pointer: the program runs (callbacks use it)
-- asm
r1 = func(pc+3) ll
r0 = 0
exit
r0 = 1
exit
-- result
0

== ldimm64 func must point at a function: the middle of one is refused
-- asm
r1 = func(pc+2) ll
r0 = 0
exit
r0 = 1
exit
-- invalid
last insn is not an exit or jmp

== ldimm64 map_idx is not runnable without a loader
-- asm
r1 = map_idx(0) ll
r0 = 0
exit
-- invalid
must resolve it first

== ldimm64 map_idx_value is not runnable without a loader
-- asm
r1 = map_idx_value(0, 4) ll
r0 = 0
exit
-- invalid
must resolve it first

== a lone second slot (code 0) is an unknown opcode
-- asm
r0 = 0
.raw 0 0 0 0 0
exit
-- invalid
unknown opcode 0x00

== kfunc call is not runnable here
-- asm
call kfunc 5
exit
-- invalid
not supported by this runner

== call to invalid destination past the end
-- asm
call pc+10
exit
-- invalid
call to invalid destination 11

== call to invalid destination before the start
-- asm
r0 = 0
call pc-3
exit
-- invalid
call to invalid destination -1

== call to the program end
-- asm
call pc+1
exit
-- invalid
call to invalid destination 2

== program falls off the end
-- asm
r0 = 1
-- invalid
last insn is not an exit or jmp

== program ends with a conditional jump
-- asm
r0 = 1
l:
if r0 == 1 goto l
-- invalid
last insn is not an exit or jmp

== program ends with a call
-- asm
r0 = 1
exit
r0 = 2
call 2
-- invalid
last insn is not an exit or jmp

== program ends with an ldimm64
-- asm
r0 = 1
exit
r0 = 2 ll
-- invalid
last insn is not an exit or jmp

== main falls into a subprogram
-- asm
call f
r0 = 1
f:
r0 = 2
exit
-- invalid
insn 1: last insn is not an exit or jmp

== subprogram falls off the end
-- asm
call f
exit
f:
r0 = 2
-- invalid
insn 2: last insn is not an exit or jmp
