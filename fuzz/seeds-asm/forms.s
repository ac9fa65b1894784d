r0 = 42
w1 += w2
*(u32 *)(r10 -4) = r1
if r1 > 0x10 goto +3
r0 = atomic_fetch_add((u64 *)(r1 +0), r0)
r1 = 0x1122334455667788 ll
r0 = *(u16 *)skb[r3 + 12]
w3 = (s8)w4
r5 s/= r6
r1 = bswap64 r1
call pc+1
callx r2
gotol -5
lock *(u32 *)(r1 -8) ^= w2
r0 = atomic_cmpxchg((u64 *)(r2 +16), r0, r3)
r1 = map_value(3, 8) ll
.raw 0x8e 1 2 3 4
l: goto l
exit
