#!/bin/sh
# drivers.sh - driver-task faults, detection and restart (docs/drivers.md).
#
# usage: tests/drivers.sh [kernel]      (default build/kernel-r1f1/kernel)
#
# Every fault of tests/drivers/faults.txt is injected in the disk task by
# `drvtest fault`, and every one of tests/drivers/uart-faults.txt in the
# UART task by `drvtest uart` (in-kernel injection, a FAULTS=1 kernel), under the
# in-kernel detector and under the heartbeat monitor alone (a period of
# half the device bound, 500 ms), in one boot at 1 hart; the in-kernel
# rows again at 3 harts.
# A scenario passes when drvtest's line says result=pass with the row's
# restart reason, device re-initialisation and answered/resubmitted
# request, the detection took at most the row's bound plus two ticks
# (kernel/param.h; the heartbeat's: three periods), and the
# console between the scenario's command and the next
# holds exactly one `drv: event=restart` line, naming the task, the
# fault and the same reason; a UART scenario's console must also hold
# drvtest's 32 numbered lines, each once, in order, and the commands
# after it are typed through the restarted task (input still works).
# The 1-hart boot also damages Ev6's disk
# object (`drvtest fault ev6 kernel`): one `ev6: event=recovered
# object=disk ... exit=PK` line, then one restart with why=ev6 and the
# request resubmitted. Each boot then runs `usertests -q`
# (ALL TESTS PASSED) and the disk must be clean (guest-run.sh's fsck).
# Prints FAIL lines and `drivers: N passed, N failed`.
set -u
kernel=${1:-build/kernel-r1f1/kernel}
rows=tests/drivers/faults.txt
urows=tests/drivers/uart-faults.txt
mkdir -p build/drivers
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if [ ! -f "$kernel" ]; then
  echo "drivers.sh: $kernel is missing: make FAULTS=1 kernel"
  echo "drivers: 0 passed, 1 failed"
  exit 1
fi
faults=$(awk '!/^#/ && NF { print $1 }' $rows)
ufaults=$(awk '!/^#/ && NF { print $1 }' $urows)
param() { awk -v n=$1 '$1 == "#define" && $2 == n { print $3 }' kernel/param.h; }
own=$(param DRV_HANG_TICKS)
# The heartbeat's period (ms) in these tests: dead after 100 ticks, the
# device bound, so a device slowed by a loaded host is not called dead.
hb=$(( $(param DRV_DEVICE_TICKS) * 10 / 2 ))
device=$(param DRV_DEVICE_TICKS)

# The console from command $1 to the next prompt's command.
section() {
  awk -v c="$ $1" 'index($0, c) == 1 { on = 1; next } on && /^\$ / { exit } on' "$2"
}

# check LOG TASK FAULT DETECTOR: one scenario's evidence against its row.
check() {
  log=$1 task=$2 f=$3 det=$4
  if [ $task = disk ]; then cmd="drvtest fault $f $det" table=$rows
  else cmd="drvtest uart $f $det" table=$urows; fi
  [ $det = heartbeat ] && cmd="$cmd $hb"
  set -- $(awk -v f=$f '$1 == f { print $2, $3, $4, $5, $6 }' $table)
  why=$1
  [ $det = heartbeat ] && why=$2
  reinit=$3 answered=$4
  case $det/$5 in
  heartbeat/trap|kernel/trap) most=1 ;;
  heartbeat/*) most=$((3 * hb / 10 + 2)) ;;
  kernel/own) most=$((own + 2)) ;;
  kernel/device) most=$((device + 2)) ;;
  esac
  sec=$(section "$cmd" "$log")
  line=$(printf '%s\n' "$sec" | grep -a '^drvtest: ')
  case "$line" in
  *"result=pass fault=$f detector=$det "*" why=$why reinit=$reinit restarts=1 "*" answered=$answered "*" task=$task") ;;
  *) bad "$log: $cmd: expected why=$why reinit=$reinit answered=$answered, got: ${line:-nothing}"
     return ;;
  esac
  n=$(printf '%s\n' "$sec" | grep -ac 'drv: event=restart')
  bound=none
  [ $why = hang ] && bound=$5
  r=$(printf '%s\n' "$sec" | grep -a 'drv: event=restart' |
      grep -ac "task=$task why=$why bound=$bound fault=$f reinit=$reinit ")
  if [ "$n" != 1 ] || [ "$r" != 1 ]; then
    bad "$log: $cmd: expected one drv: event=restart line for $task/$why/$bound/$f, found $n ($r matching)"
    return
  fi
  # lockcrash: the task crashed holding one spinlock of its own, which its
  # restart let go (the disk's task lock, the UART's uart_tx_lock).
  if [ $f = lockcrash ] && [ "$(printf '%s\n' "$sec" |
     grep -ac "^drv: event=released task=$task spinlocks=1\$")" != 1 ]; then
    bad "$log: $cmd: expected one drv: event=released task=$task spinlocks=1 line"
    return
  fi
  if [ $task = uart ] && ! printf '%s\n' "$sec" | grep -a '^uart-line #' |
     awk '{ n++; if ($0 != sprintf("uart-line #%04d", n)) bad = 1 } END { exit !(n == 32 && !bad) }'; then
    bad "$log: $cmd: drvtest's 32 lines are not each on the console once, in order"
    return
  fi
  k=$(printf '%s\n' "$line" | sed -n 's/.* detect_ticks=\([0-9]*\).*/\1/p')
  if [ -z "$k" ] || [ "$k" -gt $most ]; then
    bad "$log: $cmd: detection took ${k:-?} ticks (at most $most)"
    return
  fi
  ok
}

# check_ev6 LOG: Ev6's disk object recovered through the task's restart.
check_ev6() {
  sec=$(section "drvtest fault ev6 kernel" "$1")
  line=$(printf '%s\n' "$sec" | grep -a '^drvtest: ')
  rec=$(printf '%s\n' "$sec" | grep -ac 'ev6: event=recovered object=disk .* site=alloc_desc .* exit=PK ')
  all=$(printf '%s\n' "$sec" | grep -ac 'ev6: event=')
  rs=$(printf '%s\n' "$sec" | grep -ac 'drv: event=restart task=disk why=ev6 ')
  case "$line" in
  *"result=pass fault=ev6 detector=kernel "*" why=ev6 reinit=0 restarts=1 resubmitted=1 answered=0 "*) ;;
  *) bad "$1: drvtest fault ev6: expected a restart why=ev6 with the request resubmitted, got: ${line:-nothing}"
     return ;;
  esac
  if [ "$rec" != 1 ] || [ "$all" != 1 ] || [ "$rs" != 1 ]; then
    bad "$1: drvtest fault ev6: expected one ev6: line, the disk's recovery at alloc_desc (exit=PK), and one restart; found $rec of $all and $rs"
    return
  fi
  ok
}

# boot CPUS DETECTORS...: all faults under each detector, then usertests -q.
boot() {
  cpus=$1
  shift
  log=build/drivers/smp$cpus.log
  set -f
  args=""
  for det in "$@"; do
    for f in $faults; do
      if [ $det = heartbeat ]; then args="$args|drvtest fault $f heartbeat $hb"
      else args="$args|drvtest fault $f $det"; fi
    done
    for f in $ufaults; do
      if [ $det = heartbeat ]; then args="$args|drvtest uart $f heartbeat $hb"
      else args="$args|drvtest uart $f $det"; fi
    done
  done
  [ $cpus = 1 ] && args="$args|drvtest fault ev6 kernel"
  IFS='|'
  # shellcheck disable=SC2086
  tests/guest-run.sh -K "$kernel" -c $cpus -t 600 "$log" ${args#|} 'usertests -q'
  status=$?
  unset IFS
  set +f
  for det in "$@"; do
    for f in $faults; do
      check "$log" disk $f $det
    done
    for f in $ufaults; do
      check "$log" uart $f $det
    done
  done
  [ $cpus = 1 ] && check_ev6 "$log"
  if grep -aq '^ALL TESTS PASSED' "$log"; then ok; else bad "$log: usertests -q did not pass"; fi
  if [ $status -eq 0 ]; then ok; else bad "$log: guest exit status $status (fsck or QEMU; see $log)"; fi
}

boot 1 kernel heartbeat
boot 3 kernel
echo "drivers: $pass passed, $fail failed"
[ $fail -eq 0 ]
