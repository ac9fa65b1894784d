#!/bin/sh
# The built-in example: assembles examples/ipv4_csum.s, shows its disassembly,
# and runs it on a bundled Ethernet frame with both interpreters, then on a
# frame with a corrupted checksum. Usage: examples/run.sh [BUILD_DIR]
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
B="$build/bpfhost"
prog=$(mktemp)
trap 'rm -f "$prog"' EXIT

echo "== assembling examples/ipv4_csum.s"
"$B" asm --hex "$here/ipv4_csum.s" >"$prog"
echo "== disassembly (bpfhost disasm -v)"
"$B" disasm -v --hex "$prog"
frame=$(tr '\n' ' ' <"$here/sample_frame.hex")
echo "== run on examples/sample_frame.hex (0xffff means the IPv4 checksum is right)"
printf 'checked interpreter: r0 = 0x'; "$B" exec --interp checked "$frame" <"$prog"
printf 'fast interpreter:    r0 = 0x'; "$B" exec --interp fast "$frame" <"$prog"
bad=$(echo "$frame" | sed 's/b1 e6/b1 e7/')
printf 'corrupted checksum:  r0 = 0x'; "$B" exec "$bad" <"$prog"
echo "== timing: 100000 runs with the fast interpreter"
"$B" exec --interp fast --repeat 100000 "$frame" <"$prog" >/dev/null
