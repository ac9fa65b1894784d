#!/bin/sh
# Tests of the bpfhost command line: asm, disasm and exec, their protocol and
# their errors. Usage: BPFHOST=build/bpfhost sh tests/cli.sh
set -u
B=${BPFHOST:-build/bpfhost}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

fail() { echo "FAIL cli: $*"; fails=$((fails + 1)); }
# expect NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- command...
expect() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq "$want_rc" ] || { fail "$name: exit $rc, want $want_rc ($(cat "$T/err"))"; return; }
	[ -z "$want_out" ] || grep -qF -- "$want_out" "$T/out" || fail "$name: stdout lacks '$want_out': $(cat "$T/out")"
	[ -z "$want_err" ] || grep -qF -- "$want_err" "$T/err" || fail "$name: stderr lacks '$want_err': $(cat "$T/err")"
}

printf 'r0 = 42\nexit\n' >"$T/p.s"
"$B" asm --hex "$T/p.s" >"$T/p.hex" || fail "asm --hex"
[ "$(cat "$T/p.hex")" = "b70000002a0000009500000000000000" ] || fail "asm --hex bytes: $(cat "$T/p.hex")"

# exec: the conformance protocol: hex program on stdin, memory argument, r0 in hex
expect "exec r0" 0 "2a" "" -- sh -c "\"$B\" exec < \"$T/p.hex\""
cat >"$T/sum.s" <<'S'
r0 = 0
loop:
if r2 == 0 goto done
r3 = *(u8 *)(r1 +0)
r0 += r3
r1 += 1
r2 -= 1
goto loop
done:
exit
S
"$B" asm --hex "$T/sum.s" >"$T/sum.hex" || fail "asm sum"
expect "exec memory checked" 0 "60" "" -- sh -c "\"$B\" exec '10 20 30 ' < \"$T/sum.hex\""
expect "exec memory fast" 0 "60" "" -- sh -c "\"$B\" exec --interp fast '10 20 30 ' < \"$T/sum.hex\""
expect "exec repeat" 0 "60" "ns per instruction" -- sh -c "\"$B\" exec --repeat 100 '10 20 30 ' < \"$T/sum.hex\""

# the conformance runner's exact form: PLUGIN [MEMORY] [OPTIONS], bytes as "%02x  "
sed 's/\(..\)/\1  /g' "$T/sum.hex" >"$T/sum.suite"
expect "plugin entry" 0 "60" "" -- sh -c "\"$B-exec\" '10  20  30  ' --interp fast < \"$T/sum.suite\""
expect "plugin no memory" 0 "0" "" -- sh -c "\"$B-exec\" --interp checked < \"$T/sum.suite\""
expect "plugin empty memory" 0 "0" "" -- sh -c "\"$B-exec\" '' < \"$T/sum.suite\""

# maps: an array map created by --map, named by index in the program
cat >"$T/map.s" <<'S'
r2 = 1
r1 = map_fd(0) ll
*(u32 *)(r10 -4) = r2
r2 = r10
r2 += -4
call 1
if r0 == 0x0 goto +2
r0 = 1
exit
r0 = 0
exit
S
"$B" asm --hex "$T/map.s" >"$T/map.hex" || fail "asm map"
expect "exec with a map" 0 "1" "" -- sh -c "\"$B\" exec --map=array_map:2:4:4:10 < \"$T/map.hex\""
sed 's/map_fd(0)/map_fd(3)/' "$T/map.s" | "$B" asm --hex >"$T/map3.hex"
expect "exec map index" 1 "" "insn 1 names map 3, but there are 1 --map options" -- \
	sh -c "\"$B\" exec --map=x:2:4:4:1 < \"$T/map3.hex\""
expect "exec map bad type" 1 "" "--map y: Invalid argument" -- \
	sh -c "\"$B\" exec --map=y:9999:4:4:1 < \"$T/map.hex\""
expect "exec map without --map" 1 "" "LDDW_MAP_FD is not supported by this runner" -- \
	sh -c "\"$B\" exec < \"$T/map.hex\""
expect "exec bad map" 1 "" "--map takes NAME:TYPE:KEY:VALUE:MAX, not 'x:2'" -- \
	sh -c "\"$B\" exec --map=x:2 < \"$T/map.hex\""

# faults and bad input: a clear message, a non-zero exit, never a crash
printf 'r0 = *(u64 *)(r1 +0)\nexit\n' | "$B" asm --hex >"$T/oob.hex"
expect "exec fault" 1 "" "insn 0: invalid read of 8 bytes at mem+0: region 'mem' has 4 bytes" -- \
	sh -c "\"$B\" exec '01 02 03 04' < \"$T/oob.hex\""
expect "exec no memory" 1 "" "insn 0: invalid read of 8 bytes at 0x0" -- sh -c "\"$B\" exec < \"$T/oob.hex\""
expect "exec bad memory" 1 "" "memory argument is not hex bytes: character 3 is 'z'" -- \
	sh -c "\"$B\" exec '01 z2' < \"$T/p.hex\""
expect "exec bad interp" 1 "" "--interp takes 'fast' or 'checked', not 'jit'" -- \
	sh -c "\"$B\" exec --interp jit < \"$T/p.hex\""
expect "exec bad repeat" 1 "" "--repeat takes a positive number, not '-3'" -- \
	sh -c "\"$B\" exec --repeat -3 < \"$T/p.hex\""
expect "exec not hex" 1 "" "not hex text" -- sh -c "echo 'b7 xx' | \"$B\" exec"
expect "exec partial insn" 1 "" "is not a whole number of 8-byte instructions" -- \
	sh -c "echo 'b70000002a' | \"$B\" exec"
expect "exec invalid program" 1 "" "insn 0: unknown opcode 0x8e" -- \
	sh -c "echo '8e00000000000000' | \"$B\" exec"
expect "exec insn limit" 1 "" "more than 1000 instructions executed" -- \
	sh -c "printf 'l:\ngoto l\n' | \"$B\" asm --hex | \"$B\" exec --max-insns 1000"
expect "asm error" 1 "" "line 2: cannot parse instruction 'r0 = = 1'" -- \
	sh -c "printf 'r0 = 1\nr0 = = 1\nexit\n' | \"$B\" asm"
expect "asm missing file" 1 "" "cannot read $T/none.s" -- "$B" asm "$T/none.s"
expect "unknown command" 2 "" "unknown command 'frobnicate'" -- "$B" frobnicate
expect "help" 0 "usage: bpfhost" "" -- "$B" --help

# disasm(asm(text)) == text, through the command line, for a program of many forms
cat >"$T/many.s" <<'S'
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
may_goto -2
r4 = load_acquire((u8 *)(r5 -2))
store_release((u64 *)(r1 +8), r9)
exit
S
"$B" asm "$T/many.s" -o "$T/many.o" || fail "asm many"
"$B" disasm "$T/many.o" >"$T/many.dis" || fail "disasm many"
cmp -s "$T/many.s" "$T/many.dis" || fail "disasm(asm(text)) differs: $(diff "$T/many.s" "$T/many.dis")"
"$B" disasm --hex "$T/p.hex" | grep -qx 'r0 = 42' || fail "disasm --hex"
"$B" disasm -v "$T/many.o" | grep -qF '   5: (18) r1 = 0x1122334455667788 ll' || fail "disasm -v"
printf '\216\0\0\0\0\0\0\0' >"$T/bad.o"
"$B" disasm "$T/bad.o" | grep -qx '.raw 0x8e 0 0 0 0' || fail "disasm of an invalid insn"

# objects: load a clang-compiled object through the tool's libbpf, then work on
# its maps and program by pin and by id, from new processes each time
OBJ=$(dirname "$B")/tests/bpf/maps.bpf.o
if [ -f "$OBJ" ]; then
	export BPFHOST_DIR="$T/objs"
	expect "prog load" 0 "" "" -- "$B" prog load "$OBJ" /sys/fs/bpf/p
	expect "prog show" 0 "name count  tag " "" -- "$B" prog show pinned /sys/fs/bpf/p
	expect "prog show json" 0 '"type":"syscall","name":"count"' "" -- "$B" -j prog show
	expect "prog dump" 0 "(85) call 1" "" -- "$B" prog dump /sys/fs/bpf/p
	expect "prog dump maps by id" 0 "r1 = map[id:" "" -- "$B" prog dump /sys/fs/bpf/p
	id=$("$B" -j map show | tr '{' '\n' | grep '"name":"counts"' | sed 's/.*"id":\([0-9]*\).*/\1/')
	[ -n "$id" ] || fail "map show -j: no id for counts"
	expect "map update" 0 "" "" -- "$B" map update id "$id" key 7 0 0 0 value 42 0 0 0 0 0 0 0
	expect "map lookup" 0 "key: 07 00 00 00  value: 2a 00 00 00 00 00 00 00" "" -- \
		"$B" map lookup id "$id" key 7 0 0 0
	expect "map dump btf" 0 "key: (__u32)7  value: (__u64)42" "" -- "$B" map dump id "$id"
	expect "map dump json" 0 '"value":["0x2a","0x00"' "" -- "$B" -j map dump id "$id"
	expect "map pin" 0 "" "" -- "$B" map pin id "$id" /sys/fs/bpf/counts
	expect "map by pin" 0 "Found 1 element" "" -- "$B" map dump /sys/fs/bpf/counts
	expect "map delete" 0 "" "" -- "$B" map delete /sys/fs/bpf/counts key 7 0 0 0
	expect "map delete missing" 1 "" "delete: No such file or directory" -- \
		"$B" map delete /sys/fs/bpf/counts key 7 0 0 0
	expect "map update noexist" 0 "" "" -- "$B" map update /sys/fs/bpf/counts key 1 0 0 0 value 1 0 0 0 0 0 0 0 noexist
	expect "map update noexist again" 1 "" "update: File exists" -- \
		"$B" map update /sys/fs/bpf/counts key 1 0 0 0 value 1 0 0 0 0 0 0 0 noexist
	expect "short key" 1 "" "key: 4 bytes needed, 2 given" -- "$B" map lookup /sys/fs/bpf/counts key 1 0
	expect "bad byte" 1 "" "key byte 1: '300' is not a byte" -- "$B" map lookup /sys/fs/bpf/counts key 1 300 0 0
	expect "bad id" 1 "" "no map with id 99999" -- "$B" map dump id 99999
	expect "bad pin" 1 "" "cannot open map pinned at /sys/fs/bpf/none" -- "$B" map dump /sys/fs/bpf/none
	expect "not bpffs" 1 "" "Operation not permitted" -- "$B" map pin id "$id" /tmp/x
	unset BPFHOST_DIR
fi

# trace: what a program wrote with bpf_trace_printk in another process
TP=$(dirname "$B")/tests/libbpf/test_printk
if [ -x "$TP" ]; then
	export BPFHOST_DIR="$T/trace"
	"$TP" "$(dirname "$B")/tests/bpf/printk.bpf.o" >/dev/null || fail "test_printk"
	expect "trace" 0 "bpf_trace_printk: n=-42 x=beef s=str" "" -- "$B" trace --clear
	expect "trace cleared" 0 "" "" -- sh -c "[ -z \"\$(\"$B\" trace)\" ]"
	expect "trace bad argument" 1 "" "trace: unexpected argument 'x'" -- "$B" trace x
	unset BPFHOST_DIR
fi

[ $fails -eq 0 ]
