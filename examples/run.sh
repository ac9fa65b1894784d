#!/bin/sh
# The examples, as `make example` runs them (it builds what they need first):
# three BPF programs compiled by clang run by `bpfhost run` over a sample
# capture, a program in BPF assembly run on one frame, then an application
# running a BPF plugin at its own hook.
# Usage: examples/run.sh [BUILD_DIR]
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
B="$build/bpfhost"
E="$build/examples"
prog=$(mktemp)
trap 'rm -f "$prog"' EXIT

# say COMMAND...: shows a command, then runs it
say() {
	echo "\$ $*"
	"$@"
}

echo "== The capture: $E/sample.pcap, written by $E/mkcapture (examples/mkcapture.c)"
echo "40 frames of a small LAN: ARP, DNS, HTTP, HTTPS, ping, SSH, telnet, chargen, NTP,"
echo "a web server on port 8080, a VLAN-tagged frame, DHCP, IPv6. To list them:"
echo "  $E/mkcapture verify $E/sample.pcap    (or: tcpdump -r $E/sample.pcap)"
echo
echo "== 1. An XDP firewall (examples/xdp_firewall.bpf.c): drops telnet and chargen,"
echo "   counts packets per protocol (proto_stats) and per IPv4 flow (flows);"
echo "   proto_stats keys: 0 IPv4, 1 IPv6, 2 ARP, 3 other, 4 TCP, 5 UDP, 6 ICMP, 7 other L4,"
echo "   8 VLAN-tagged, 9 dropped"
say "$B" run "$E/xdp_firewall.bpf.o" --pcap "$E/sample.pcap" --out "$E/passed.pcap"
echo
echo "== 2. A tc program (examples/tc_rewrite.bpf.c): port 8080 -> 80, TTL - 1, checksums fixed"
say "$B" run "$E/tc_rewrite.bpf.o" --pcap "$E/sample.pcap" --out "$E/rewritten.pcap"
echo "The packets it rewrote, their checksums checked again:"
"$E/mkcapture" verify "$E/rewritten.pcap" | grep 'ttl 63' || true
echo
echo "== 3. A socket filter (examples/socket_filter.bpf.c): IPv4 DNS only"
say "$B" run "$E/socket_filter.bpf.o" --pcap "$E/sample.pcap" --out "$E/dns.pcap"
echo
echo "== 4. BPF assembly (examples/ipv4_csum.s): the IPv4 header checksum of one frame"
echo "   (see it disassembled: $B asm examples/ipv4_csum.s | $B disasm -v)"
"$B" asm --hex "$here/ipv4_csum.s" >"$prog"
frame=$(tr '\n' ' ' <"$here/sample_frame.hex")
echo "examples/sample_frame.hex, whose checksum is right: r0 = 0xffff"
printf 'checked interpreter: r0 = 0x'
"$B" exec --interp checked "$frame" <"$prog"
printf 'fast interpreter:    r0 = 0x'
"$B" exec --interp fast "$frame" <"$prog"
bad=$(echo "$frame" | sed 's/b1 e6/b1 e7/')
printf 'checksum corrupted:  r0 = 0x'
"$B" exec "$bad" <"$prog"
echo
echo "== 5. A plugin (examples/plugin.bpf.c) run by an application (examples/plugin_host.c)"
echo "   at its request hook: a program type it registered, its own helpers app_log and"
echo "   app_config; rate limit, method and path rules, per-client counts; a second"
echo "   program reads past its request: stopped, reported, disabled"
say "$E/plugin_host" "$E/plugin.bpf.o"
