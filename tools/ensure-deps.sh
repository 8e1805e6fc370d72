#!/bin/sh
# ensure-deps.sh - install the Debian packages this project needs, if any
# are missing. Called by `make test`, `make campaign` and .ci/run, so a fresh
# Debian 12 machine needs nothing else.
#
# usage: tools/ensure-deps.sh          what every target needs
#        tools/ensure-deps.sh slurm    that, and Slurm with munge (slurmctld,
#                                      slurmd, sbatch...; make test-slurm)
# Needs root (or sudo) only when something is missing. The Slurm packages
# are installed with their services left stopped where the machine has a
# policy-rc.d that says so; make test-slurm starts its own daemons.
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
for extra in "$@"; do
  case $extra in
  slurm)
    PATH=$PATH:/usr/sbin:/sbin
    have slurmctld            || need="$need slurmctld"
    have slurmd               || need="$need slurmd"
    have sbatch               || need="$need slurm-client"
    have munged               || need="$need munge"
    have hostname             || need="$need hostname"
    ;;
  *)
    echo "ensure-deps: unknown set '$extra' (known: slurm)" >&2
    exit 2
    ;;
  esac
done
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
