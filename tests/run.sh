#!/bin/sh
# Runs every test: unit tests, data-driven cases, CLI tests. Usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
status=0

for t in "$build"/tests/unit/*; do
	[ -x "$t" ] || continue
	if "$t"; then echo "ok   unit $(basename "$t")"; else echo "FAIL unit $(basename "$t")"; status=1; fi
done

if "$build"/tests/run_data --kernel "$here"/data/*.td; then :; else status=1; fi

# libbpf loads clang-compiled objects into bpfhost; the same checks against the kernel.
# NAME.bpf.o is checked by tests/libbpf/test_NAME.c if there is one, else by test_libbpf.
for obj in "$build"/tests/bpf/*.bpf.o; do
	name=$(basename "$obj")
	t="$build/tests/libbpf/test_${name%.bpf.o}"
	[ -x "$t" ] || t="$build/tests/libbpf/test_libbpf"
	if "$t" "$obj"; then echo "ok   libbpf $name"; else echo "FAIL libbpf $name"; status=1; fi
	if "${t}_kernel" "$obj"; then echo "ok   libbpf $name (kernel)"; else echo "FAIL libbpf $name (kernel)"; status=1; fi
done

if sh "$here/preload.sh" "$build"; then echo "ok   preload (bpftool)"; else echo "FAIL preload (bpftool)"; status=1; fi

if BPFHOST="$build/bpfhost" sh "$here/cli.sh"; then echo "ok   cli"; else echo "FAIL cli"; status=1; fi
if BPFHOST="$build/bpfhost" BUILD="$build" sh "$here/run_pcap.sh"; then echo "ok   run (pcap)"; else echo "FAIL run (pcap)"; status=1; fi

[ $status -eq 0 ] && echo "all tests passed" || echo "SOME TESTS FAILED"
exit $status
