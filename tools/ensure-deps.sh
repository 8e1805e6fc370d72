#!/bin/sh
# ensure-deps.sh - install the Debian packages this project needs, if any
# are missing. Called by `make test`, `make campaign` and .ci/run, so a fresh
# Debian 12 machine needs nothing else.
#
# usage: tools/ensure-deps.sh
# Needs root (or sudo) only when something is missing.
set -u
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-riscv64      || need="$need qemu-system-misc"
have qemu-img                 || need="$need qemu-utils"
have riscv64-unknown-elf-gcc  || need="$need gcc-riscv64-unknown-elf"
have gdb-multiarch            || need="$need gdb-multiarch"
have sqlite3                  || need="$need sqlite3"
have gnuplot                  || need="$need gnuplot-nox"
have gcc                      || need="$need gcc"
have make                     || need="$need make"
[ -f /usr/include/sqlite3.h ] || need="$need libsqlite3-dev"
[ -f /usr/include/ini.h ]     || need="$need libinih-dev"
[ -z "$need" ] && exit 0

echo "ensure-deps: installing:$need"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif have sudo; then
  sudo="sudo"
else
  echo "ensure-deps: not root and no sudo; please install:$need" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || { echo "ensure-deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$sudo apt-get install -y -q $need >/dev/null ||
  { echo "ensure-deps: apt-get install$need failed" >&2; exit 1; }
