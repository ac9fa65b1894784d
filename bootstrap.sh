#!/bin/sh
# Installs the Debian 12 packages bpfhost needs that are missing (as root, or
# through sudo). Safe to run again: it installs nothing when all are present.
set -eu
pkgs="gcc make libc6-dev clang libclang-rt-14-dev clang-format python3 libbpf-dev libelf-dev zlib1g-dev bpftool libpcap-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "bootstrap: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
