#!/bin/sh
# Tests of `bpfhost run` with the examples: the XDP firewall, the tc rewrite
# and the socket filter over captures written by examples/mkcapture.c (the
# sample, pcapng, snaplen-cut, tiny frames), exact verdicts, the packets
# written out (their checksums recomputed), trace output and map contents;
# then damaged captures and wrong arguments: a clear message, exit 1, no
# crash. Then the plugin example: examples/plugin_host running
# examples/plugin.bpf.c at its request hook, its verdicts, the plugin's logs
# and map, the faulting program stopped; and its wrong arguments.
# Builds what it runs (make example-build and three tests/bpf objects).
# Usage: BPFHOST=build/bpfhost BUILD=build sh tests/run_pcap.sh
set -u
B=${BPFHOST:-build/bpfhost}
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# a private object directory: maps and the trace pipe of these runs only
export BPFHOST_DIR="$T/objs"
fails=0

ok() { echo "ok   run: $*"; }
fail() {
	echo "FAIL run: $*"
	fails=$((fails + 1))
}
# check NAME COMMAND...: ok if the command succeeds
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
# expect NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- command...
# (stdout in $T/out, stderr in $T/err after); a sanitizer report always fails
expect() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		fail "$name: exit $rc, want $want_rc: $(cat "$T/err")"
	elif grep -qE 'Sanitizer|runtime error:' "$T/err"; then
		fail "$name: sanitizer report: $(cat "$T/err")"
	elif [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$T/out"; then
		fail "$name: stdout lacks '$want_out': $(cat "$T/out")"
	elif [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$T/err"; then
		fail "$name: stderr lacks '$want_err': $(cat "$T/err")"
	else
		ok "$name"
	fi
}
# line NAME FILE TEXT: FILE has a line that is TEXT, spaces squeezed and trimmed
line() {
	if sed 's/^ *//; s/ *$//' "$2" | tr -s ' ' | grep -qxF -- "$3"; then
		ok "$1"
	else
		fail "$1: no line '$3' in: $(cat "$2")"
	fi
}
# lines NAME FILE PATTERN N: exactly N lines of FILE contain PATTERN (fixed string)
lines() {
	n=$(grep -cF -- "$3" "$2")
	if [ "$n" -eq "$4" ]; then ok "$1"; else fail "$1: $n lines with '$3', want $4"; fi
}

if [ ! -x "$B" ]; then
	echo "FAIL run: no $B: build it first (make)"
	exit 1
fi
BUILD=$(cd "$BUILD" && pwd)
MANY="$BUILD/tests/bpf/xdp.bpf.o"
PRINTK="$BUILD/tests/bpf/printk.bpf.o"
FAULT="$BUILD/tests/bpf/fault.bpf.o"
# (without the flags of a make that runs this: its jobserver is not ours)
if ! (cd "$root" && env -u MAKEFLAGS -u MFLAGS make -s BUILD="$BUILD" example-build "$MANY" "$PRINTK" "$FAULT"); then
	echo "FAIL run: make example-build failed"
	exit 1
fi
E="$BUILD/examples"
MK="$E/mkcapture"
XDP="$E/xdp_firewall.bpf.o"
TC="$E/tc_rewrite.bpf.o"
SOCK="$E/socket_filter.bpf.o"
for m in sample snaplen tiny truncated linux-sll pcapng garbage; do
	"$MK" "$m" "$T/$m.pcap" || fail "mkcapture $m"
done

# the sample itself: 40 packets, every checksum right
expect "sample checksums" 0 "sample.pcap: 40 packets, 0 with a wrong checksum" "" -- \
	"$MK" verify "$T/sample.pcap"
cp "$T/out" "$T/sample.list"
# the checker catches a bad checksum: the last byte of the last packet changed
cp "$T/sample.pcap" "$T/bad.pcap"
size=$(wc -c <"$T/bad.pcap")
printf '\377' | dd of="$T/bad.pcap" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
expect "a bad checksum found" 1 " 40 ipv4 udp 192.168.1.1:53 > 192.168.1.11:51002 ttl 64: udp checksum WRONG" \
	"" -- "$MK" verify "$T/bad.pcap"

# a program reading past the packet: stopped at the first packet, the
# instruction, the address and the source line named
expect "a faulting program" 1 "packets: 1" \
	"run: packet 1: program 'read_past_end' faulted: insn 1: invalid read of 1 bytes at packet+1000: region 'packet' has 42 bytes (at fault.bpf.c:15: return data[1000] == 0x42 ? XDP_DROP : XDP_PASS;)" \
	-- "$B" run "$FAULT" --pcap "$T/sample.pcap"

# the XDP firewall over the sample: telnet twice and chargen once dropped
expect "xdp runs" 0 "running xdp program 'xdp_firewall'" "" -- \
	"$B" run "$XDP" --pcap "$T/sample.pcap" --out "$T/passed.pcap"
cp "$T/out" "$T/xdp.out"
line "xdp packets" "$T/xdp.out" "packets: 40"
line "xdp passes 37" "$T/xdp.out" "XDP_PASS 37"
line "xdp drops 3" "$T/xdp.out" "XDP_DROP 3"
lines "xdp no other verdict" "$T/xdp.out" "  XDP_" 2
line "xdp written" "$T/xdp.out" "written to $T/passed.pcap: 37 packets"
lines "xdp trace: 3 drops" "$T/xdp.out" "bpf_trace_printk: xdp_firewall: drop" 3
lines "xdp trace: telnet" "$T/xdp.out" \
	"bpf_trace_printk: xdp_firewall: drop tcp 192.168.1.11:50001 -> 192.168.1.20:23" 2
lines "xdp trace: chargen" "$T/xdp.out" \
	"bpf_trace_printk: xdp_firewall: drop udp 192.168.1.10:40004 -> 192.168.1.20:19" 1
# proto_stats: 0 IPv4, 1 IPv6, 2 ARP, 4 TCP, 5 UDP, 6 ICMP, 8 VLAN, 9 dropped
for kv in 0:34:2510 1:4:358 2:2:102 4:23:1466 5:11:1106 6:4:296 8:1:58 9:3:151; do
	k=${kv%%:*} v=${kv#*:}
	lines "xdp proto_stats key $k" "$T/xdp.out" \
		"key: (__u32)$k  value: (struct counter){.packets = (__u64)${v%:*},.bytes = (__u64)${v#*:},}" 1
done
lines "xdp proto_stats zeros" "$T/xdp.out" "Found 8 elements (and 2 of zeros, not shown)" 1
lines "xdp flows: the telnet flow" "$T/xdp.out" ".d = (__u8)20,},.sport = (__u16)50001,.dport = (__u16)23,.proto = (__u8)6,}  value: (struct counter){.packets = (__u64)2,.bytes = (__u64)108,}" 1
lines "xdp flows: the HTTP flow" "$T/xdp.out" ".sport = (__u16)40000,.dport = (__u16)80,.proto = (__u8)6,}  value: (struct counter){.packets = (__u64)4,.bytes = (__u64)253,}" 1
lines "xdp flows: 20" "$T/xdp.out" "Found 20 elements" 1
# passed.pcap: the 37 passed packets, unchanged: the sample without 26, 27, 28
expect "xdp out checksums" 0 "passed.pcap: 37 packets, 0 with a wrong checksum" "" -- \
	"$MK" verify "$T/passed.pcap"
sed -n '1,37p' "$T/out" | cut -c5- >"$T/passed.list"
sed '26,28d; 41d' "$T/sample.list" | cut -c5- >"$T/want.list"
check "xdp out: the passed packets" cmp -s "$T/passed.list" "$T/want.list"
expect "xdp --no-maps" 0 "XDP_DROP" "" -- "$B" run "$XDP" --pcap "$T/sample.pcap" --no-maps
lines "xdp --no-maps: no map" "$T/out" "map " 0
expect "xdp --prog" 0 "XDP_PASS" "" -- \
	"$B" run "$XDP" --prog xdp_firewall --pcap "$T/sample.pcap" --no-maps

# an independent check of the written packets, where tcpdump is installed
if command -v tcpdump >/dev/null 2>&1; then
	n=$(tcpdump -nn -r "$T/passed.pcap" 2>/dev/null | wc -l)
	check "tcpdump reads 37 packets" [ "$n" -eq 37 ]
else
	echo "NOTICE: tcpdump is not installed: its cross-checks skipped"
fi

# the tc program: port 8080 -> 80 and TTL - 1 in 2 packets, checksums fixed
expect "tc runs" 0 "running sched_cls program 'tc_rewrite'" "" -- \
	"$B" run "$TC" --pcap "$T/sample.pcap" --out "$T/rewritten.pcap"
cp "$T/out" "$T/tc.out"
line "tc verdicts" "$T/tc.out" "TC_ACT_OK 40"
line "tc written" "$T/tc.out" "written to $T/rewritten.pcap: 40 packets"
lines "tc map" "$T/tc.out" "key: (__u32)0  value: (__u64)2" 1
expect "tc out checksums" 0 "rewritten.pcap: 40 packets, 0 with a wrong checksum" "" -- \
	"$MK" verify "$T/rewritten.pcap"
cp "$T/out" "$T/rewritten.list"
lines "tc out: port 80, TTL 63" "$T/rewritten.list" \
	"ipv4 tcp 192.168.1.10:40002 > 192.168.1.20:80 ttl 63: checksums ok" 2
lines "tc out: no port 8080" "$T/rewritten.list" ":8080" 0
sed '31,32d; 41d' "$T/sample.list" >"$T/want.list"
sed '31,32d; 41d' "$T/rewritten.list" >"$T/got.list"
check "tc out: the other packets unchanged" cmp -s "$T/want.list" "$T/got.list"
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -nn -vv -r "$T/rewritten.pcap" >"$T/tcpdump.out" 2>/dev/null
	lines "tcpdump: no incorrect checksum" "$T/tcpdump.out" "incorrect" 0
	lines "tcpdump: rewritten to port 80" "$T/tcpdump.out" "192.168.1.20.80: Flags" 2
fi

# the socket filter: the 5 IPv4 DNS packets, whole
expect "socket filter runs" 0 "running socket_filter program 'dns_only'" "" -- \
	"$B" run "$SOCK" --pcap "$T/sample.pcap" --out "$T/dns.pcap"
cp "$T/out" "$T/sock.out"
line "socket filter accepts 5" "$T/sock.out" "accepted 5"
lines "socket filter: one accepted line" "$T/sock.out" "accepted" 1
line "socket filter drops 35" "$T/sock.out" "dropped 35"
line "socket filter written" "$T/sock.out" "written to $T/dns.pcap: 5 packets"
lines "socket filter map: accepted" "$T/sock.out" "key: (__u32)0  value: (__u64)5" 1
lines "socket filter map: dropped" "$T/sock.out" "key: (__u32)1  value: (__u64)35" 1
expect "socket filter out" 0 "dns.pcap: 5 packets, 0 with a wrong checksum" "" -- \
	"$MK" verify "$T/dns.pcap"
lines "socket filter out: DNS only" "$T/out" ":53 ttl 64: checksums ok" 3
lines "socket filter out: DNS answers" "$T/out" "192.168.1.1:53 >" 2

# the plugin example: an application's program type, its helpers (app_log,
# app_config: max_per_second 3), a hash map, a context it writes; the second
# program reads past its request on the first and is disabled
PH="$E/plugin_host"
expect "plugin host runs" 0 "plugin.bpf.o: 2 programs on the request hook (program type 0x10000)" \
	"" -- "$PH" "$E/plugin.bpf.o"
cp "$T/out" "$T/plugin.out"
check "plugin host: nothing on stderr" [ ! -s "$T/err" ]
P="$T/plugin.out"
line "plugin 1: / rewritten" "$P" "1 0 ms 10.0.0.7 GET / pass, as /index.html"
line "plugin 2: passes" "$P" "2 10 ms 192.168.1.9 GET /index.html pass"
line "plugin 3: /admin from outside" "$P" "3 20 ms 192.168.1.9 GET /admin/users reject 403"
line "plugin 4: /admin from inside" "$P" "4 30 ms 10.0.0.7 POST /admin/users pass"
line "plugin 5: method" "$P" "5 40 ms 192.168.1.9 DELETE /index.html reject 405"
line "plugin 6: rate limit" "$P" "6 50 ms 192.168.1.9 GET /style.css reject 429"
line "plugin 7: rate limit" "$P" "7 60 ms 192.168.1.9 GET /favicon.ico reject 429"
line "plugin 8: HEAD" "$P" "8 70 ms 172.16.0.3 HEAD /index.html pass"
line "plugin 9: a new second" "$P" "9 1500 ms 192.168.1.9 GET /index.html pass"
line "plugin 10: .." "$P" "10 1510 ms 10.0.0.7 GET /files/../../etc/passwd reject 403"
lines "plugin: 5 passed" "$P" " pass" 5
lines "plugin: 5 rejected" "$P" " reject " 5
line "plugin log: rewrite" "$P" "log: rewrote / to /index.html"
line "plugin log: /admin" "$P" "log: /admin/users from 192.168.1.9 refused"
line "plugin log: method" "$P" "log: method DELETE not allowed"
line "plugin log: rate 4" "$P" "log: rate limit: 192.168.1.9 sent 4 requests within 1 s"
line "plugin log: rate 5" "$P" "log: rate limit: 192.168.1.9 sent 5 requests within 1 s"
line "plugin log: .." "$P" "log: a path with .. refused"
lines "plugin log: 6 lines" "$P" "log: " 6
fault="program 'peek' faulted, disabled: insn 0: invalid read of 8 bytes at ctx+88"
lines "plugin: peek stopped" "$P" "$fault" 1
lines "plugin: the fault's source line" "$P" \
	"(at plugin.bpf.c:134: return *(volatile __u64 *)(req + 1) != 0;)" 1
lines "plugin: peek stopped once" "$P" "faulted" 1
# line 4: after the header, request 1 and its log line
check "plugin: peek stopped on the first request" [ "$(grep -nF faulted "$P" | cut -d: -f1)" = 4 ]
line "plugin map: 10.0.0.7" "$P" "10.0.0.7 requests 3, rejected 1"
line "plugin map: 172.16.0.3" "$P" "172.16.0.3 requests 1, rejected 0"
line "plugin map: 192.168.1.9" "$P" "192.168.1.9 requests 6, rejected 4"
lines "plugin map: 3 clients" "$P" ", rejected " 3
expect "plugin: missing object" 1 "" "plugin_host: cannot open plugin $T/none.o: No such file or directory" -- \
	"$PH" "$T/none.o"
expect "plugin: not an object" 1 "" "plugin_host: cannot open plugin $T/sample.pcap: BPF object format invalid" -- \
	"$PH" "$T/sample.pcap"
expect "plugin: another section" 1 "" \
	"plugin_host: $XDP: program 'xdp_firewall' is in section 'xdp': plugins put theirs in SEC(\"request\")" -- \
	"$PH" "$XDP"
expect "plugin: no object given" 2 "" "usage: plugin_host PLUGIN.bpf.o" -- "$PH"

# other captures: pcapng, snaplen-cut, frames too short to run
expect "pcapng" 0 "packets: 3" "" -- "$B" run "$XDP" --pcap "$T/pcapng.pcap" --no-maps
line "pcapng passes 2" "$T/out" "XDP_PASS 2"
line "pcapng drops 1" "$T/out" "XDP_DROP 1"
expect "snaplen" 0 "packets: 40 (23 cut short by the capture's snapshot length: run as captured)" \
	"" -- "$B" run "$XDP" --pcap "$T/snaplen.pcap" --out "$T/snap-out.pcap" --no-maps
line "snaplen passes 37" "$T/out" "XDP_PASS 37"
line "snaplen drops 3" "$T/out" "XDP_DROP 3"
expect "snaplen out" 0 "snap-out.pcap: 37 packets, 0 with a wrong checksum" "" -- \
	"$MK" verify "$T/snap-out.pcap"
lines "snaplen out: still cut short" "$T/out" "cut short" 23
expect "snaplen tc" 0 "TC_ACT_OK" "" -- "$B" run "$TC" --pcap "$T/snaplen.pcap"
lines "snaplen tc: 2 rewritten" "$T/out" "key: (__u32)0  value: (__u64)2" 1
expect "tiny" 0 "packets: 2 (1 not run: shorter than an Ethernet header" "" -- \
	"$B" run "$XDP" --pcap "$T/tiny.pcap" --no-maps
line "tiny: one run" "$T/out" "XDP_PASS 1"
expect "tiny tc" 0 "(1 not run" "" -- "$B" run "$TC" --pcap "$T/tiny.pcap" --no-maps
expect "tiny socket filter" 0 "(1 not run" "" -- "$B" run "$SOCK" --pcap "$T/tiny.pcap" --no-maps

# damaged captures and wrong arguments: exit 1 with a message, no crash
expect "truncated capture" 1 "packets: 2" \
	"run: $T/truncated.pcap: after packet 2: truncated dump file" -- \
	"$B" run "$XDP" --pcap "$T/truncated.pcap" --out "$T/t-out.pcap"
expect "truncated capture: what came before" 0 "t-out.pcap: 2 packets" "" -- \
	"$MK" verify "$T/t-out.pcap"
expect "linux-sll capture" 1 "" "cannot read capture $T/linux-sll.pcap: link type LINUX_SLL (113), not Ethernet (EN10MB)" -- \
	"$B" run "$XDP" --pcap "$T/linux-sll.pcap"
expect "garbage capture" 1 "" \
	"run: $T/garbage.pcap: after packet 3: invalid packet capture length 2147483647" -- \
	"$B" run "$XDP" --pcap "$T/garbage.pcap"
expect "missing capture" 1 "" "cannot read capture $T/none.pcap: $T/none.pcap: No such file or directory" -- \
	"$B" run "$XDP" --pcap "$T/none.pcap"
expect "missing object" 1 "" "cannot open BPF object $T/none.o: No such file or directory" -- \
	"$B" run "$T/none.o" --pcap "$T/sample.pcap"
expect "not an object" 1 "" "cannot open BPF object $T/sample.pcap" -- \
	"$B" run "$T/sample.pcap" --pcap "$T/sample.pcap"
expect "no such program" 1 "" "$XDP has no program named 'nope'" -- \
	"$B" run "$XDP" --prog nope --pcap "$T/sample.pcap"
expect "several programs" 1 "" \
	"programs to run (the first is 'xdp_filter'): choose one with --prog NAME" -- \
	"$B" run "$MANY" --pcap "$T/sample.pcap"
expect "program of another type" 1 "" "program 'say' is of type syscall" -- \
	"$B" run "$PRINTK" --prog say --pcap "$T/sample.pcap"
expect "no runnable program" 1 "" "has no xdp, tc or socket filter program" -- \
	"$B" run "$PRINTK" --pcap "$T/sample.pcap"
expect "unwritable out" 1 "" "cannot write /nonexistent/dir/out.pcap" -- \
	"$B" run "$XDP" --pcap "$T/sample.pcap" --out /nonexistent/dir/out.pcap
expect "no capture given" 1 "" "give one OBJECT and --pcap CAPTURE" -- "$B" run "$XDP"
expect "help" 0 "usage: bpfhost run OBJECT" "" -- "$B" run --help

[ $fails -eq 0 ]
