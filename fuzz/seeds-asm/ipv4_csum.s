# Checks an IPv4 header: r1 = packet (an Ethernet frame), r2 = its length.
# Returns the header's ones'-complement sum folded to 16 bits (0xffff when the
# checksum is right), or 0 when the frame is too short or not IPv4.
	r6 = r1
	if r2 < 34 goto bad            # 14 bytes of Ethernet + 20 of IPv4
	r0 = *(u16 *)skb[12]           # EtherType, network byte order
	if r0 != 0x800 goto bad
	r3 = *(u8 *)(r6 +14)           # version and header length
	r3 &= 15
	r3 <<= 2                       # header length in bytes
	if r3 < 20 goto bad
	r4 = r3
	r4 += 14
	if r4 > r2 goto bad
	r1 = r6
	r1 += 14
	r2 = r3
	call sum16                     # r0 = sum16(r1 = header, r2 = length)
	r1 = r0                        # fold the carries: twice is enough
	r1 >>= 16
	r0 &= 0xffff
	r0 += r1
	r1 = r0
	r1 >>= 16
	r0 &= 0xffff
	r0 += r1
	exit
bad:
	r0 = 0
	exit
# sum16: the sum of big-endian 16-bit words at r1, r2 bytes (even)
sum16:
	r0 = 0
loop:
	if r2 == 0 goto done
	r5 = *(u16 *)(r1 +0)
	r5 = be16 r5
	r0 += r5
	r1 += 2
	r2 -= 2
	goto loop
done:
	exit
