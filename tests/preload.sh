#!/bin/sh
# Unmodified programs on bpfhost through the LD_PRELOAD library: Debian's
# bpftool creates, updates, dumps and shows maps, loads a clang-compiled object,
# shows and dumps its program, each command a new process, in a private object
# directory. Usage: tests/preload.sh BUILD_DIR
set -u
build=${1:-build}
if ! command -v bpftool >/dev/null 2>&1; then
	echo "NOTICE: bpftool is not installed: preload tests skipped"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export BPFHOST_DIR="$dir"
pre="$build/libbpfhost-preload.so"
# a sanitizer build needs its runtime loaded first; bpftool's own leaks are not ours
asan=0
if ldd "$pre" | grep -q libasan; then
	pre="$(gcc -print-file-name=libasan.so) $pre"
	export ASAN_OPTIONS=detect_leaks=0
	asan=1
fi
B() { LD_PRELOAD="$pre" timeout 30 bpftool "$@"; }
fails=0
fail() { echo "FAIL preload: $*"; fails=$((fails + 1)); }
has() { # has NAME PATTERN COMMAND...
	name=$1 pat=$2
	shift 2
	out=$("$@" 2>&1) || { fail "$name: exit $?: $out"; return; }
	echo "$out" | grep -qE -- "$pat" || fail "$name: output lacks /$pat/: $out"
}

has "map create" "" B map create /sys/fs/bpf/m type hash key 4 value 8 entries 16 name counters
[ -e "$dir/m" ] || fail "the pin is not in the object directory"
has "map update" "" B map update pinned /sys/fs/bpf/m key 1 0 0 0 value 42 0 0 0 0 0 0 0
has "map lookup" "key: 01 00 00 00  value: 2a 00 00 00 00 00 00 00" \
	B map lookup pinned /sys/fs/bpf/m key 1 0 0 0
has "map dump" "Found 1 element" B map dump pinned /sys/fs/bpf/m
has "map show" "hash  name counters  flags 0x0" B map show
has "map show json" '"type":"hash","name":"counters"' B -j map show
has "map show memlock (fdinfo)" "max_entries 16  memlock [0-9]+B" B map show pinned /sys/fs/bpf/m
has "map delete" "" B map delete pinned /sys/fs/bpf/m key 1 0 0 0
has "map dump empty" "Found 0 elements" B map dump pinned /sys/fs/bpf/m
out=$(B map lookup pinned /sys/fs/bpf/m key 1 0 0 0 2>&1)
echo "$out" | grep -q "Not found" || fail "lookup of a deleted key: $out"

has "prog load" "" B prog load "$build/tests/bpf/maps.bpf.o" /sys/fs/bpf/p
has "prog show" "syscall  name count .* gpl" B prog show
has "prog BTF" "btf_id [0-9]+" B prog show pinned /sys/fs/bpf/p
has "prog show maps" "map_ids [0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+$" B prog show pinned /sys/fs/bpf/p
# (bpftool reads all of /proc/kallsyms for a dump, growing a buffer by realloc:
# minutes under ASan's allocator, so the sanitizer build leaves the dump out)
if [ $asan -eq 0 ]; then
	has "prog dump xlated" "call bpf_map_lookup_elem#1" B prog dump xlated pinned /sys/fs/bpf/p
	has "prog dump maps" "r1 = map\[id:[0-9]+\]" B prog dump xlated pinned /sys/fs/bpf/p
	has "prog dump source lines (line_info)" "^; int count\(struct args \*ctx\)" \
		B prog dump xlated pinned /sys/fs/bpf/p
fi
has "program maps listed" "queue  name keys" B map show
has "BTF of a map" "btf_id [0-9]+" B map show name counts
has "BTF-formatted dump" '"step": 3' B map dump name maps.data
has "BTF objects" "size [0-9]+B" B btf show

has "map freeze" "" B map freeze pinned /sys/fs/bpf/m
has "frozen (fdinfo)" "frozen" B map show pinned /sys/fs/bpf/m
out=$(B map update pinned /sys/fs/bpf/m key 2 0 0 0 value 1 0 0 0 0 0 0 0 2>&1)
echo "$out" | grep -q "Operation not permitted" || fail "update of a frozen map: $out"

# an unmodified libbpf loader (the kernel build of the test, preloaded): open,
# load, test-run, map lookups and updates, bpf_object__pin_maps
has "libbpf loader" "" env LD_PRELOAD="$pre" timeout 30 \
	"$build/tests/libbpf/test_libbpf_kernel" "$build/tests/bpf/maps.bpf.o"
[ -d "$dir/test_libbpf_$$" ] && fail "pin directory left behind"

# an unmodified libbpf consumer of a ring buffer (the kernel build of the test, preloaded)
has "ringbuf through libbpf" "" env LD_PRELOAD="$pre" timeout 30 \
	"$build/tests/libbpf/test_ringbuf_kernel" "$build/tests/bpf/ringbuf.bpf.o"

# other syscalls pass through untouched
has "plain commands" "hello" env LD_PRELOAD="$pre" sh -c 'echo hello'
[ $fails -eq 0 ]
