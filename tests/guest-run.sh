#!/bin/sh
# guest-run.sh - boot the kernel on a scratch copy of fs.img, type commands
# at its shell, and wait for the guest to power itself off.
#
# usage: tests/guest-run.sh [-c cpus] [-t seconds] [-k] [-K kernel] [-f fifo] log 'command' ...
#
# Each command is typed as one line when the shell prompts for it, so input
# never interleaves with output; `poweroff` is typed last. The console
# transcript goes to log. When QEMU has exited, the scratch image is checked
# with mkfs/fsck (its report is appended to log).
#   -c cpus     harts (default 1)
#   -t seconds  give up after this long (default 600)
#   -k          keep the scratch image, as log.img
#   -K kernel   boot this kernel (default kernel/kernel)
#   -f fifo     take the console's input from this FIFO (made by the
#               caller, who may write more input to it, e.g. lines for a
#               program that reads them without a prompt)
# The environment variable GUEST_QEMU_OPTS adds QEMU options, e.g.
# `-icount shift=4,sleep=off` for deterministic instruction counts.
# Exit status: 0 if QEMU exited 0 and fsck found the disk clean; 124 on a
# timeout; otherwise QEMU's status, or 10 + fsck's status.
set -u
trap "" PIPE
cpus=1
limit=600
keep=0
kernel=kernel/kernel
fifo=""
while getopts c:t:kK:f: opt; do
  case $opt in
  c) cpus=$OPTARG ;;
  t) limit=$OPTARG ;;
  k) keep=1 ;;
  K) kernel=$OPTARG ;;
  f) fifo=$OPTARG ;;
  *) echo "usage: $0 [-c cpus] [-t seconds] [-k] [-K kernel] [-f fifo] log command ..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
  echo "usage: $0 [-c cpus] [-t seconds] [-k] [-K kernel] [-f fifo] log command ..." >&2
  exit 2
fi
log=$1
shift
for f in "$kernel" fs.img mkfs/fsck; do
  if [ ! -f $f ]; then
    echo "$0: $f is missing: run make first" >&2
    exit 2
  fi
done
command -v qemu-system-riscv64 >/dev/null 2>&1 || {
  echo "$0: qemu-system-riscv64 not found: install qemu-system-misc" >&2; exit 2; }

img=$(mktemp /tmp/ev6-guest.XXXXXX)
trap 'rm -f "$img"' EXIT
cp fs.img "$img"

if [ -z "$fifo" ]; then
  fifo=$(mktemp -u /tmp/ev6-guest-in.XXXXXX)
  mkfifo "$fifo"
  trap 'rm -f "$img" "$fifo"' EXIT
elif [ ! -p "$fifo" ]; then
  echo "$0: $fifo is not a FIFO" >&2
  exit 2
fi
# Empty the log first: the redirection below happens in the background
# job, and a prompt left in an old log must not be taken for this guest's.
: > "$log"
timeout --foreground -k 5 "$limit" qemu-system-riscv64 -machine virt -bios none \
  -kernel "$kernel" -m 128M -smp "$cpus" -nographic -monitor none ${GUEST_QEMU_OPTS:-} \
  -global virtio-mmio.force-legacy=false \
  -drive file="$img",if=none,format=raw,id=x0 \
  -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 < "$fifo" > "$log" 2>&1 &
qemu=$!
exec 3> "$fifo"

# Type command n after the shell's n-th prompt.
prompts() { grep -ao '\$ ' "$log" | wc -l; }
n=0
for c in "$@" poweroff; do
  n=$((n + 1))
  while [ "$(prompts)" -lt $n ] && kill -0 $qemu 2>/dev/null; do
    sleep 0.05
  done
  printf '%s\n' "$c" >&3 2>/dev/null
done
wait $qemu
status=$?
if [ $status -eq 124 ]; then
  echo "guest-run: timed out after ${limit}s" >> "$log"
  exit 124
fi
mkfs/fsck -rv "$img" >> "$log" 2>&1
fsck_status=$?
[ $keep -eq 1 ] && cp "$img" "$log.img"
if [ $status -ne 0 ]; then
  echo "guest-run: qemu exited with status $status" >> "$log"
  exit $status
fi
if [ $fsck_status -ne 0 ]; then
  echo "guest-run: fsck found the disk inconsistent" >> "$log"
  exit $((10 + fsck_status))
fi
exit 0
