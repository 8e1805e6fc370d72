#!/bin/sh
# golden.sh - the golden run of a sweep: boot the TRACE=1 kernel under
# -icount (`ev6-sweep icount`, the clock its instruction counts assume)
# at one hart, run the workload between `trace start` and
# `trace dump`, and copy the kernel's access record out of guest memory.
#
# usage: campaign/sweep/golden.sh kernel 'workload' out
# Writes out.log (the console), out.bin (the records, as struct trace_rec
# of kernel/ev6_trace.c) and out.ready (the trace-ready line). The copy is
# QEMU's pmemsave through a monitor on FIFOs (out.mon.in/.out); while it
# runs, `trace dump` waits for a line on the console.
# Exit status 0, or 1 with a message naming what failed.
set -u
if [ $# -ne 3 ]; then
  echo "usage: $0 kernel 'workload' out" >&2
  exit 2
fi
kernel=$1 workload=$2 out=$3
[ -f "$kernel" ] || { echo "$0: $kernel is missing: run make TRACE=1 kernel" >&2; exit 1; }
rm -f "$out.log" "$out.bin" "$out.ready" "$out.mon.in" "$out.mon.out" "$out.in"
mkfifo "$out.mon.in" "$out.mon.out" "$out.in" || exit 1
trap 'rm -f "$out.mon.in" "$out.mon.out" "$out.in"' EXIT
# Keep the monitor's output drained (QEMU writes each reply there).
cat "$out.mon.out" > "$out.mon.log" &
drain=$!
icount=$(campaign/sweep/ev6-sweep icount) || exit 1
GUEST_QEMU_OPTS="-icount $icount -monitor pipe:$out.mon" \
  tests/guest-run.sh -K "$kernel" -t 900 -f "$out.in" "$out.log" \
  "trace start; $workload; trace dump" &
guest=$!
exec 4> "$out.in"
while ! grep -aq 'ev6: event=trace-ready' "$out.log" 2>/dev/null; do
  if ! kill -0 $guest 2>/dev/null; then
    echo "$0: the guest ended before trace dump (see $out.log)" >&2
    kill $drain 2>/dev/null
    exit 1
  fi
  sleep 0.2
done
grep -a 'ev6: event=trace-ready' "$out.log" | head -1 | tr -d '\r' > "$out.ready"
addr=$(sed -n 's/.* addr=\(0x[0-9a-f]*\).*/\1/p' "$out.ready")
n=$(sed -n 's/.* records=\([0-9]*\).*/\1/p' "$out.ready")
size=$(sed -n 's/.* recsize=\([0-9]*\).*/\1/p' "$out.ready")
bytes=$((n * size))
[ $bytes -gt 0 ] || { echo "$0: the kernel recorded nothing ($out.ready)" >&2; exit 1; }
printf 'pmemsave %s %d "%s"\n' "$addr" "$bytes" "$out.bin" > "$out.mon.in"
# pmemsave writes the whole file before the monitor reads its next command.
printf 'info status\n' > "$out.mon.in"
i=0
while [ "$(stat -c %s "$out.bin" 2>/dev/null || echo 0)" -lt $bytes ] || ! grep -q 'VM status' "$out.mon.log"; do
  i=$((i + 1))
  [ $i -lt 600 ] || { echo "$0: pmemsave did not finish (see $out.mon.log)" >&2; exit 1; }
  sleep 0.1
done
printf '\n' >&4
wait $guest
status=$?
kill $drain 2>/dev/null
if [ $status -ne 0 ]; then
  echo "$0: the golden run failed with status $status (see $out.log)" >&2
  exit 1
fi
exit 0
