# Byte order: le16/le32/le64 (truncate on a little-endian host), be16/be32/be64 and
# bswap16/32/64 (swap, truncated to their width; the upper bits are cleared).
# Expected values were computed independently and checked on Linux 6.18.

== le16: 0x1122334455667788
-- asm
r3 = 0x1122334455667788 ll
r3 = le16 r3
r0 = r3
exit
-- result
0x7788

== le32: 0x1122334455667788
-- asm
r3 = 0x1122334455667788 ll
r3 = le32 r3
r0 = r3
exit
-- result
0x55667788

== le64: 0x1122334455667788
-- asm
r3 = 0x1122334455667788 ll
r3 = le64 r3
r0 = r3
exit
-- result
0x1122334455667788

== be16: 0x1122334455667788
-- asm
r0 = 0x1122334455667788 ll
r0 = be16 r0
exit
-- result
0x8877

== be32: 0x1122334455667788
-- asm
r0 = 0x1122334455667788 ll
r0 = be32 r0
exit
-- result
0x88776655

== be64: 0x1122334455667788
-- asm
r0 = 0x1122334455667788 ll
r0 = be64 r0
exit
-- result
0x8877665544332211

== bswap16: 0x1122334455667788
-- asm
r5 = 0x1122334455667788 ll
r5 = bswap16 r5
r0 = r5
exit
-- result
0x8877

== bswap32: 0x1122334455667788
-- asm
r5 = 0x1122334455667788 ll
r5 = bswap32 r5
r0 = r5
exit
-- result
0x88776655

== bswap64: 0x1122334455667788
-- asm
r5 = 0x1122334455667788 ll
r5 = bswap64 r5
r0 = r5
exit
-- result
0x8877665544332211

== le16: all ones
-- asm
r3 = 0xffffffffffffffff ll
r3 = le16 r3
r0 = r3
exit
-- result
0xffff

== le32: all ones
-- asm
r3 = 0xffffffffffffffff ll
r3 = le32 r3
r0 = r3
exit
-- result
0xffffffff

== le64: all ones
-- asm
r3 = 0xffffffffffffffff ll
r3 = le64 r3
r0 = r3
exit
-- result
0xffffffffffffffff

== be16: all ones
-- asm
r0 = 0xffffffffffffffff ll
r0 = be16 r0
exit
-- result
0xffff

== be32: all ones
-- asm
r0 = 0xffffffffffffffff ll
r0 = be32 r0
exit
-- result
0xffffffff

== be64: all ones
-- asm
r0 = 0xffffffffffffffff ll
r0 = be64 r0
exit
-- result
0xffffffffffffffff

== bswap16: all ones
-- asm
r5 = 0xffffffffffffffff ll
r5 = bswap16 r5
r0 = r5
exit
-- result
0xffff

== bswap32: all ones
-- asm
r5 = 0xffffffffffffffff ll
r5 = bswap32 r5
r0 = r5
exit
-- result
0xffffffff

== bswap64: all ones
-- asm
r5 = 0xffffffffffffffff ll
r5 = bswap64 r5
r0 = r5
exit
-- result
0xffffffffffffffff

== le16: 0xff
-- asm
r3 = 255
r3 = le16 r3
r0 = r3
exit
-- result
0xff

== le32: 0xff
-- asm
r3 = 255
r3 = le32 r3
r0 = r3
exit
-- result
0xff

== le64: 0xff
-- asm
r3 = 255
r3 = le64 r3
r0 = r3
exit
-- result
0xff

== be16: 0xff
-- asm
r0 = 255
r0 = be16 r0
exit
-- result
0xff00

== be32: 0xff
-- asm
r0 = 255
r0 = be32 r0
exit
-- result
0xff000000

== be64: 0xff
-- asm
r0 = 255
r0 = be64 r0
exit
-- result
0xff00000000000000

== bswap16: 0xff
-- asm
r5 = 255
r5 = bswap16 r5
r0 = r5
exit
-- result
0xff00

== bswap32: 0xff
-- asm
r5 = 255
r5 = bswap32 r5
r0 = r5
exit
-- result
0xff000000

== bswap64: 0xff
-- asm
r5 = 255
r5 = bswap64 r5
r0 = r5
exit
-- result
0xff00000000000000

== le16: 0x8000000000000001
-- asm
r3 = 0x8000000000000001 ll
r3 = le16 r3
r0 = r3
exit
-- result
0x1

== le32: 0x8000000000000001
-- asm
r3 = 0x8000000000000001 ll
r3 = le32 r3
r0 = r3
exit
-- result
0x1

== le64: 0x8000000000000001
-- asm
r3 = 0x8000000000000001 ll
r3 = le64 r3
r0 = r3
exit
-- result
0x8000000000000001

== be16: 0x8000000000000001
-- asm
r0 = 0x8000000000000001 ll
r0 = be16 r0
exit
-- result
0x100

== be32: 0x8000000000000001
-- asm
r0 = 0x8000000000000001 ll
r0 = be32 r0
exit
-- result
0x1000000

== be64: 0x8000000000000001
-- asm
r0 = 0x8000000000000001 ll
r0 = be64 r0
exit
-- result
0x100000000000080

== bswap16: 0x8000000000000001
-- asm
r5 = 0x8000000000000001 ll
r5 = bswap16 r5
r0 = r5
exit
-- result
0x100

== bswap32: 0x8000000000000001
-- asm
r5 = 0x8000000000000001 ll
r5 = bswap32 r5
r0 = r5
exit
-- result
0x1000000

== bswap64: 0x8000000000000001
-- asm
r5 = 0x8000000000000001 ll
r5 = bswap64 r5
r0 = r5
exit
-- result
0x100000000000080

== be16: upper bits are discarded
-- asm
r0 = 0xffffffffffff00ff ll
r0 = be16 r0
exit
-- result
0xff00

== be32: twice is identity on the low word
-- asm
r0 = 0x1122334455667788 ll
r0 = be32 r0
r0 = be32 r0
exit
-- result
0x55667788

== be64: twice is identity
-- asm
r0 = 0x1122334455667788 ll
r0 = be64 r0
r0 = be64 r0
exit
-- result
0x1122334455667788

== bswap16: of a value loaded from memory in network order
-- asm
r0 = *(u16 *)(r1 +0)
r0 = bswap16 r0
exit
-- mem
08 00
-- result
0x800

== be32: of a value loaded from memory in network order
-- asm
r0 = *(u32 *)(r1 +0)
r0 = be32 r0
exit
-- mem
c0 a8 00 01
-- result
0xc0a80001

== le64: leaves every bit
-- asm
r9 = 0xfedcba9876543210 ll
r9 = le64 r9
r0 = r9
exit
-- result
0xfedcba9876543210

== le32: clears the upper half
-- asm
r0 = -1
r0 = le32 r0
exit
-- result
0xffffffff
