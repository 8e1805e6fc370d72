#!/bin/sh
# test_forensics.sh - the hang snapshot (campaign/gdbscripts/forensics.py,
# which campaign/runner.c takes of a hung guest) against a guest made to
# hang on purpose: does it name the hart that spins and the process that
# sleeps?
#
# usage: tests/gdbscripts/test_forensics.sh [-k]   (-k: keep the scratch directory)
#
# The guest (build/kernel-r1f1/kernel, 2 harts) boots with its gdbstub on a
# private unix socket and runs `cat`, which sleeps reading the console.
# GDB then sets tickslock's word with no holder, as damage would, and lets
# the guest run: hart 0's next timer interrupt spins in acquire() for it
# for ever, interrupts off. Then the snapshot is taken as the runner takes
# it (ev6inject.py with EV6_JOB and EV6_FORENSICS) and must say:
#   spin     hart 0's struct cpu spins for tickslock, in acquire's wait at
#            every look, and the summary line calls it so, and says ticks
#            stand still; harts.lock_wanted (Table 3's gathering) names it
#   lock     tickslock is listed as set, held by no hart's ledger
#   sleep    cat is SLEEPING on cons.r with consoleread on its kernel stack
#   summary  the first line is the one-line summary, with the attach time
# Then a snapshot of a guest that is gone must fail within its bound,
# saying so in the file (the runner keeps that line instead). Prints
# `forensics: N passed, N failed`; exit status 0 only if none failed.
set -u
keep=0
[ "${1:-}" = "-k" ] && keep=1
top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/campaign/gdbscripts/ev6inject.py
kernel=$top/build/kernel-r1f1/kernel
tmp=$(mktemp -d /tmp/ev6-forensics.XXXXXX)
qpid=""
cleanup() {
  [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
  if [ $keep -eq 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
check() { # name grep-pattern file
  if grep -Eq "$2" "$3"; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1: no line matches '$2' in $3"; fi
}

cd "$top" || exit 2
[ -f "$kernel" ] || make -s FAULTS=1 kernel >/dev/null 2>&1
[ -f fs.img ] || make -s fs.img >/dev/null 2>&1
for f in "$kernel" fs.img; do
  [ -f "$f" ] || { echo "FAIL setup: $f is missing"; echo "forensics: 0 passed, 1 failed"; exit 1; }
done
cp "$kernel" "$tmp/kernel"
cp fs.img "$tmp/fs.img"
mkfifo "$tmp/in"
sock=$tmp/gdb.sock
timeout -k 2 120 qemu-system-riscv64 -machine virt -bios none -kernel "$tmp/kernel" \
  -m 128M -smp 2 -nographic -monitor none -global virtio-mmio.force-legacy=false \
  -drive file="$tmp/fs.img",if=none,format=raw,id=x0 \
  -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 \
  -chardev socket,path="$sock",server=on,wait=off,id=g -gdb chardev:g \
  < "$tmp/in" > "$tmp/console" 2>&1 &
qpid=$!
exec 3> "$tmp/in"
for _ in $(seq 300); do
  grep -aq '^\$ ' "$tmp/console" 2>/dev/null && break
  sleep 0.1
done
echo cat >&3
sleep 1
printf '{"socket": "%s", "kernel": "%s", "object": "buf", "site": "bget"}\n' \
  "$sock" "$tmp/kernel" > "$tmp/job.json"

# The damage: tickslock set, no hart holding it; the guest runs on.
timeout -k 2 60 gdb-multiarch -q -nx -batch -ex "file $tmp/kernel" \
  -ex "target remote $sock" -ex "maint packet Qqemu.PhyMemMode:1" \
  -ex "set var tickslock.locked = 1" -ex "maint packet Qqemu.PhyMemMode:0" \
  -ex detach > "$tmp/set.out" 2>&1
sleep 1

EV6_JOB=$tmp/job.json EV6_FORENSICS=$tmp/hang.txt timeout -k 2 60 \
  gdb-multiarch -q -nx -batch -x "$script" > "$tmp/gdb.out" 2>&1
[ -f "$tmp/hang.txt" ] || : > "$tmp/hang.txt"
check "spin: hart 0 spins for tickslock" \
  '^  cpu: proc .*spinning time \(tickslock\)' "$tmp/hang.txt"
# The summary shows the innermost frames: acquire's wait is spin() (out of
# line), seen from take(), mycpu() or cpuid() depending on the moment.
check "spin: in acquire's wait at every look" '^hang snapshot: hart 0 [^,;]* (spin|acquire) [^,;]*spinning for time \(tickslock\) \(every look\)' "$tmp/hang.txt"
check "spin: the clock stands still" '^hang snapshot: .*; ticks [0-9]+, not moving' "$tmp/hang.txt"
check "lock: tickslock set, no hart's ledger" \
  '^spinlock tickslock time: locked 1, cpu -, ledger no hart$' "$tmp/hang.txt"
check "sleep: cat asleep on the console" '^proc\[[0-9]+\] pid [0-9]+ cat SLEEPING chan cons\.r$' \
  "$tmp/hang.txt"
check "sleep: its kernel stack" '^  stack: sched < sleep_on < sleep_killable < consoleread' "$tmp/hang.txt"
check "summary: first line, attach time" \
  '^hang snapshot: .*[0-9]+ sleeping; [0-9]+ locks set(; ticks [^(]*)? \(attached in [0-9.]+ s\)$' "$tmp/hang.txt"

# Table 3's gathering (multi.py) takes a hart spinning for a lock of the
# target's table as it stands: harts.lock_wanted must name tickslock for
# hart 0, whatever frames acquire's wait has (spin and take, today).
timeout -k 2 60 gdb-multiarch -q -nx -batch -ex "file $tmp/kernel" \
  -ex "target remote $sock" \
  -ex "python import sys; sys.path.insert(0, '$top/campaign/gdbscripts'); import kernel, harts" \
  -ex "python print('tickslock 0x%x' % int(gdb.parse_and_eval('&tickslock')))" \
  -ex "python print('wanted hart 0 0x%x' % (harts.lock_wanted(kernel.thread_of_hart(0)) or 0))" \
  -ex detach > "$tmp/wanted.out" 2>&1
tl=$(sed -n 's/^tickslock //p' "$tmp/wanted.out")
check "spin: lock_wanted names tickslock for hart 0" "^wanted hart 0 ${tl:-none}\$" "$tmp/wanted.out"

# A guest that is gone: the snapshot fails, within its bound, saying so.
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
qpid=""
start=$(date +%s)
EV6_JOB=$tmp/job.json EV6_FORENSICS=$tmp/gone.txt timeout -k 2 30 \
  gdb-multiarch -q -nx -batch -x "$script" > "$tmp/gone.out" 2>&1
took=$(($(date +%s) - start))
[ -f "$tmp/gone.txt" ] || : > "$tmp/gone.txt"
check "gone: the failure written" '^hang snapshot failed: ' "$tmp/gone.txt"
if [ $took -le 10 ]; then passed=$((passed + 1)); echo "ok   gone: within 10 s ($took s)"
else failed=$((failed + 1)); echo "FAIL gone: took $took s"; fi

echo "forensics: $passed passed, $failed failed"
[ $failed -eq 0 ]
