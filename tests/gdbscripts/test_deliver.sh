#!/bin/sh
# test_deliver.sh - the GDB injector (campaign/gdbscripts/ev6inject.py)
# against real guests: does the kernel receive the error it delivers?
#
# usage: tests/gdbscripts/test_deliver.sh [-k] [-v] [-o CASE]
#   -k  keep the scratch directory (console, GDB output, job, result)
#   -v  show each case's console tail and result line
#   -o  run only the cases whose name matches the shell pattern CASE
#
# Each case boots a guest halted (-S) with its gdbstub on a private unix
# socket and its console on a FIFO, runs the injector with a job file,
# types the case's commands once the shell prompt shows, and checks:
#   trap    the result line says injected, and the kernel took the trap
#           for exactly that address: an `ev6: ... addr=ADDR` line naming
#           the object type injected (Ev6 recovery) or `kerneltrap: scause
#           0x13 ... stval ADDR` (a kernel without recovery, which then
#           panics: QEMU status 3)
#   fetch   as trap, and the error was raised by a hart fetching the
#           damaged text (delivery access: no watchpoint sees a fetch)
#   fail    the injector failed cleanly: an {"ok": false} line whose error
#           matches, exit status not 0, one line on stderr, no traceback
#   multi:N N result lines, all injected (Table 3), and an `ev6:` line for
#           each line's stval, or a fail-stop for one of them; an error
#           during recovery must fail-stop naming the recovery_site; with
#           delivery access each line's error raised by its consumer
# Kernels: kernel/kernel (no site counters), build/kernel-r1f1/kernel
# (FAULTS=1: counters) and build/kernel-r0f1/kernel (no recovery); missing
# ones are built with make. All are copied first, so a rebuild during the
# test changes nothing. Every QEMU is killed by pid. Prints
# `gdbscripts: N passed, N failed`; exit status 0 only if none failed.
set -u
keep=0
verbose=0
only='*'
while getopts kvo: opt; do
  case $opt in
  k) keep=1 ;;
  v) verbose=1 ;;
  o) only=$OPTARG ;;
  *) echo "usage: $0 [-k] [-v] [-o CASE]" >&2; exit 2 ;;
  esac
done

top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/campaign/gdbscripts/ev6inject.py
for tool in qemu-system-riscv64 gdb-multiarch; do
  command -v $tool >/dev/null 2>&1 || { echo "$0: $tool not found" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/ev6-gdbtest.XXXXXX)
qpid=""
cleanup() {
  [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
  if [ $keep -eq 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
wanted() { case $1 in $only) return 0 ;; esac; return 1; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# Kernels, copied.
cd "$top" || exit 2
[ -f kernel/kernel ] && [ -f fs.img ] || make -s kernel/kernel fs.img >/dev/null 2>&1
cp fs.img "$tmp/fs.img" 2>/dev/null
for v in "kernel/kernel r1f0" "build/kernel-r1f1/kernel r1f1" "build/kernel-r0f1/kernel r0f1"; do
  set -- $v
  if [ ! -f "$1" ]; then
    r=${2#r}; r=${r%f*}; f=${2#*f}
    make -s RECOVERY=$r FAULTS=$f kernel >/dev/null 2>&1
  fi
  [ -f "$1" ] && cp "$1" "$tmp/kernel-$2"
done

# json_field FILE KEY: a string or number field of the (one-line) result.
json_field() {
  sed -n "s/.*\"$2\": \"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" "$1" | head -1
}

# run NAME KERNEL CPUS 'JOB FIELDS' EXPECT [COMMAND...]
#   EXPECT: trap | fetch | walk | panic | fail:REGEX | multi:N
run() {
  name=$1 kern=$2 cpus=$3 fields=$4 expect=$5
  shift 5
  wanted "$name" || return
  d=$tmp/$name
  mkdir -p "$d"
  if [ ! -f "$tmp/kernel-$kern" ]; then
    fail "$name" "kernel $kern is missing (did make fail?)"
    return
  fi
  cp "$tmp/fs.img" "$d/fs.img"
  mkfifo "$d/in"
  sock=$d/gdb.sock
  timeout -k 2 120 qemu-system-riscv64 -machine virt -bios none \
    -kernel "$tmp/kernel-$kern" -m 128M -smp "$cpus" -nographic -monitor none \
    -global virtio-mmio.force-legacy=false \
    -drive file="$d/fs.img",if=none,format=raw,id=x0 \
    -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 \
    -S -chardev socket,path="$sock",server=on,wait=off,id=g -gdb chardev:g \
    < "$d/in" > "$d/console" 2>&1 &
  qpid=$!
  exec 3> "$d/in"                 # QEMU's stdin stays open until the end
  # Type the commands once the shell prompts (typed-ahead input is kept).
  ( [ $# -gt 0 ] || exit 0
    for _ in $(seq 300); do
      grep -aq '^\$ ' "$d/console" 2>/dev/null && break
      sleep 0.1
    done
    for c in "$@"; do printf '%s\n' "$c"; done > "$d/in" ) &
  typer=$!
  printf '{"socket": "%s", "kernel": "%s", "cpus": %s, %s}\n' \
    "$sock" "$tmp/kernel-$kern" "$cpus" "$fields" > "$d/job.json"

  start=$(date +%s%N)
  EV6_JOB=$d/job.json EV6_RESULT=$d/result timeout -k 2 90 \
    gdb-multiarch -q -nx -batch -x "$script" > "$d/gdb.out" 2> "$d/gdb.err"
  grc=$?
  gdb_ms=$(( ($(date +%s%N) - start) / 1000000 ))

  # Let the kernel react (to every error; up to 30 s each on a busy
  # machine: the loop ends as soon as it has), then stop the guest.
  want=1
  case $expect in multi:*) want=${expect#multi:} ;; esac
  for _ in $(seq $((300 * want))); do
    [ "$(grep -ac 'ev6: event=' "$d/console")" -ge "$want" ] && break
    grep -aq 'ev6: event=failstop\|kerneltrap: \|^panic: ' "$d/console" && break
    kill -0 $qpid 2>/dev/null || break
    sleep 0.1
  done
  if [ "$expect" = panic ]; then
    for _ in $(seq 300); do kill -0 $qpid 2>/dev/null || break; sleep 0.1; done
  fi
  kill $qpid 2>/dev/null
  wait $qpid
  qrc=$?
  qpid=""
  kill $typer 2>/dev/null
  wait $typer 2>/dev/null
  exec 3>&-

  res=$d/result
  if [ $verbose -eq 1 ]; then
    echo "--- $name (gdb ${gdb_ms} ms, status $grc, qemu $qrc)"
    [ -f "$res" ] && cat "$res"
    tail -n 4 "$d/console" | sed 's/^/  | /'
  fi
  if grep -q 'Traceback' "$d/gdb.err" "$d/gdb.out" 2>/dev/null; then
    fail "$name" "a Python traceback (see $d/gdb.err)"
    return
  fi
  if [ ! -s "$res" ] || [ "$(wc -l < "$res")" -ne "$want" ]; then
    fail "$name" "expected $want result line(s), got $(cat "$res" 2>/dev/null | wc -l) (status $grc: $(tail -n 1 "$d/gdb.err"))"
    return
  fi
  case $expect in
  fail:*)
    re=${expect#fail:}
    if ! grep -q '"ok": false' "$res"; then
      fail "$name" "injector did not fail: $(cat "$res")"
    elif [ $grc -eq 0 ]; then
      fail "$name" "injector failed but exited 0"
    elif [ "$(wc -l < "$d/gdb.err")" -ne 1 ]; then
      fail "$name" "stderr is not one line: $(head -c 300 "$d/gdb.err")"
    elif ! grep -q "\"error\": \"[^\"]*$re" "$res"; then
      fail "$name" "error does not match '$re': $(json_field "$res" error)"
    else
      pass "$name ($(json_field "$res" error))"
    fi
    return ;;
  multi:*)
    # Every error injected, and the kernel took a trap for each address
    # (an ev6: line for it), unless it fail-stopped on one of them.
    if [ $grc -ne 0 ] || [ "$(grep -c '"ok": true, "injected": true' "$res")" -ne "$want" ]; then
      fail "$name" "not all injected (status $grc): $(tail -n 1 "$d/gdb.err")"
      return
    fi
    said="" stopped=""
    for i in $(seq "$want"); do
      sed -n "${i}p" "$res" > "$d/line"
      stval=$(json_field "$d/line" stval)
      if grep -a 'ev6: event=failstop' "$d/console" | grep -q "addr=0x0*${stval#0x} "; then
        stopped=$stval
      elif ! grep -a 'ev6: event=' "$d/console" | grep -q "addr=0x0*${stval#0x} " &&
           ! grep -aq 'ev6: event=failstop' "$d/console"; then
        fail "$name" "error $i ($stval on hart $(json_field "$d/line" hart)): no ev6: line for it"
        return
      fi
      # Raised by its consumer (delivery access): a hart that touched the
      # damaged bytes, or that fetches them next.
      if grep -q '"delivery": "access"' "$d/job.json" &&
         ! grep -q '"reached_by": "\(access\|fetch\)"' "$d/line"; then
        fail "$name" "error $i was not raised by a consumer: reached_by $(json_field "$d/line" reached_by)"
        return
      fi
      said="$said $(json_field "$d/line" role):$(json_field "$d/line" object)@$(json_field "$d/line" hart)"
    done
    if grep -aq 'ev6: event=failstop' "$d/console" && [ -z "$stopped" ]; then
      fail "$name" "fail-stop for an address no error had: $(grep -a 'ev6: event=failstop' "$d/console")"
      return
    fi
    # An error inside the recovery path: the fail-stop names the recovery
    # function where GDB stopped the recoverer.
    rsite=$(grep '"role": "during"' "$res" | head -1 | sed -n 's/.*"recovery_site": "\([^"]*\)".*/\1/p')
    if [ -n "$rsite" ] && ! grep -a 'ev6: event=failstop' "$d/console" | grep -q " site=$rsite "; then
      fail "$name" "the fail-stop does not name recovery_site $rsite: $(grep -a 'ev6: event=' "$d/console" | tail -1)"
      return
    fi
    pass "$name:$said; $(grep -a 'ev6: event=' "$d/console" | sed -n 's/.*event=\([a-z]*\).* site=\([^ ]*\).*/\1@\2/p' | tr '\n' ' ')"
    return ;;
  esac
  if ! grep -q '"ok": true, "injected": true' "$res" || [ $grc -ne 0 ]; then
    fail "$name" "not injected (status $grc): $(json_field "$res" error)"
    return
  fi
  addr=$(json_field "$res" address)
  report=$(grep -a 'ev6: event=' "$d/console" | head -1)
  got=$(echo "$report" | sed -n 's/.* addr=\(0x[0-9a-f]*\).*/\1/p')
  obj=$(echo "$report" | sed -n 's/.* object=\([a-z]*\) .*/\1/p')
  [ -z "$got" ] &&
    got=$(grep -a 'kerneltrap: scause 0x13 ' "$d/console" | head -1 | sed -n 's/.* stval \(0x[0-9a-f]*\).*/\1/p')
  if [ -z "$got" ]; then
    fail "$name" "the kernel reported no trap for $addr: $(tail -n 2 "$d/console" | tr '\n' ' ')"
  elif [ $((got)) -ne $((addr)) ]; then
    fail "$name" "the kernel reported $got, the injector $addr"
  elif [ -n "$report" ] && [ "$obj" != "$(json_field "$res" object)" ]; then
    fail "$name" "the kernel reported object $obj, the injector $(json_field "$res" object)"
  elif [ "$expect" = fetch ] && ! grep -q '"reached_by": "fetch"' "$res"; then
    fail "$name" "not raised by the fetch of the damaged text: reached_by $(json_field "$res" reached_by)"
  elif [ "$expect" = walk ] && ! grep -q '"reached_by": "walk"' "$res"; then
    fail "$name" "not raised by a hart's page-table walk: reached_by $(json_field "$res" reached_by)"
  elif [ "$expect" = walk ] && ! echo "$report" | grep -q ' exit=none '; then
    fail "$name" "the kernel's page table restored, the walker did not go on: $report"
  elif [ "$expect" = panic ] && [ $qrc -ne 3 ]; then
    fail "$name" "QEMU exit status $qrc, expected 3 (panic)"
  else
    t=$(sed -n 's/.*"times": {\([^}]*\)}.*/\1/p' "$res" | tr -d '"')
    pass "$name: $(json_field "$res" object) $addr ($(json_field "$res" where)) hart $(json_field "$res" hart) in $(json_field "$res" function); $t"
  fi
}

bget='"object": "buf", "site": "bget", "hit": 1, "timeout_s": 60'
pipe_job='"object": "pipe", "site": "pipewrite", "hit": 1, "target": {"base": "site", "selector": "field", "field": "nwrite"}, "timeout_s": 60'

# The contract's basic check: break at bget's first call, corrupt a buf.
run bget-bp-smp1 r1f0 1 "$bget, \"corrupt\": {\"pattern\": \"random\", \"length\": 8, \"seed\": 1}, \"delivery\": \"breakpoint\"" trap
run bget-bp-smp3 r1f0 3 "$bget, \"corrupt\": \"flip\", \"corrupt_n\": 2, \"seed\": 5, \"delivery\": \"breakpoint\"" trap
run bget-access-smp1 r1f0 1 "$bget, \"target\": {\"selector\": \"field\", \"field\": \"dev\"}, \"corrupt\": \"flip\", \"delivery\": \"access\"" trap
run bget-access-smp3 r1f0 3 "$bget, \"target\": {\"selector\": \"field\", \"field\": \"dev\"}, \"corrupt\": \"flip\", \"delivery\": \"access\"" trap
# The kernel's site counters: N-th hit, once the workload starts.
run counter-bp-smp3 r1f1 3 "\"object\": \"buf\", \"site\": \"bget\", \"hit\": 3, \"workload_program\": \"ls\", \"mode\": \"aggressive\", \"corrupt\": \"zero\", \"corrupt_n\": 4, \"target\": {\"selector\": \"field\", \"field\": \"blockno\"}, \"delivery\": \"breakpoint\", \"timeout_s\": 60" trap ls
# Damaged text under access delivery: the next hart to run bread fetches it.
run text-fetch-smp3 r1f1 3 '"object": "text", "site": "bread", "hit": 1, "delivery": "access", "corrupt": "flip", "corrupt_n": 2, "seed": 1, "workload_program": "cat", "timeout_s": 60' fetch 'cat README.md'
# The kernel's root entry for the devices under access delivery: no
# watchpoint sees the MMU read it, so its valid bit is cleared and the
# first walk through it page-faults; the trap path raises the entry's
# error (walks.py), and, the kernel's table restored, the walker goes on.
pt_root='"object": "pagetable", "site": "bwrite", "hit": 1, "target": {"selector": "level", "level": 2}, "delivery": "access", "corrupt": "flip", "corrupt_n": 2, "seed": 1'
run pagetable-walk-smp3 r1f1 3 "$pt_root, \"workload_program\": \"echo\", \"timeout_s\": 60" walk 'echo hello > t'
run counter-access-smp3 r1f1 3 "$pipe_job, \"workload_program\": \"echo\", \"corrupt\": \"ones\", \"corrupt_n\": 4, \"delivery\": \"access\"" trap 'echo hi | cat'
# A kernel without recovery panics on the trap (QEMU status 3).
run norecovery-panic-smp1 r0f1 1 "$bget, \"delivery\": \"breakpoint\"" panic
# Clean failures.
run fail-timeout r1f1 3 "\"object\": \"buf\", \"site\": \"bget\", \"hit\": 100000000, \"timeout_s\": 3" "fail:not reached before the deadline"
run fail-nosite r1f0 1 "\"object\": \"buf\", \"site\": \"no_such_function\"" "fail:cannot resolve site no_such_function"
run fail-hit2-nocounter r1f0 1 "\"object\": \"buf\", \"site\": \"bget\", \"hit\": 2" "fail:needs the kernel's site counters"
run fail-pagetable-walk-nofaults r1f0 1 "$pt_root" "fail:needs a FAULTS=1 kernel"
run fail-badtarget r1f0 1 "$bget, \"target\": {\"base\": \"arg\", \"arg\": 0}" "fail:is a uint, not a pointer"
# More than one error (Table 3): two harts at begin_op take the error for
# the same damaged log at once; and an error in the recovering hart's own
# kernel stack while it walks it (a fail-stop).
run multi-at-once-smp3 r1f1 3 "\"object\": \"log\", \"site\": \"begin_op\", \"hit\": 20, \"harts_at_once\": 2, \"workload_program\": \"stress\", \"timeout_s\": 80" multi:2 "stress 4 3"
run multi-during-kstack r1f1 3 "\"object\": \"buf\", \"site\": \"bget\", \"during_recovery\": \"kstack\", \"workload_program\": \"cat\", \"timeout_s\": 60" multi:2 "cat README.md"
# The same with each error raised by its consumer (delivery access,
# consumers.py): the log's outstanding count, read by begin_op, then the
# text at the recoverer's pc in log_recover, which it fetches next.
multi_access='"object": "log", "site": "begin_op", "target": {"selector": "field", "field": "outstanding"}, "during_recovery": "text", "recovery_site": "log_recover", "delivery": "access", "workload_program": "mkdir", "timeout_s": 60'
run multi-access-smp1 r1f1 1 "$multi_access" multi:2 "mkdir t3"
run multi-access-smp3 r1f1 3 "$multi_access" multi:2 "mkdir t3"
# Two errors at once on the same bytes, but only one process touches them:
# the first consumer is held, nothing else reads them, so each attempt is
# put back as if never touched (the mkdir goes on) and the run ends
# not-reached with nothing delivered.
run multi-access-unconsumed r1f1 2 "\"object\": \"log\", \"site\": \"begin_op\", \"target\": {\"selector\": \"field\", \"field\": \"outstanding\"}, \"harts_at_once\": 2, \"delivery\": \"access\", \"workload_program\": \"mkdir\", \"gather_s\": 8, \"timeout_s\": 60" "fail:no 2 harts at begin_op together touching the damaged bytes within 8 s" "mkdir t3" "ls t3"
run fail-multi-scrub r1f1 3 "$bget, \"harts_at_once\": 2, \"delivery\": \"scrub\"" "fail:more than one error needs delivery breakpoint or access"

# A socket nobody listens on.
if wanted fail-nosocket; then
  d=$tmp/fail-nosocket
  mkdir -p "$d"
  printf '{"socket": "%s/none.sock", "kernel": "%s/kernel-r1f0", "object": "buf", "site": "bget"}\n' \
    "$d" "$tmp" > "$d/job.json"
  EV6_JOB=$d/job.json EV6_RESULT=$d/result timeout 30 \
    gdb-multiarch -q -nx -batch -x "$script" > "$d/gdb.out" 2> "$d/gdb.err"
  rc=$?
  if [ $rc -ne 0 ] && grep -q '"ok": false.*no gdbstub socket' "$d/result" 2>/dev/null &&
     [ "$(wc -l < "$d/gdb.err")" -eq 1 ]; then
    pass "fail-nosocket"
  else
    fail "fail-nosocket" "status $rc, result $(cat "$d/result" 2>/dev/null)"
  fi
fi

# The user commands load without a job.
if wanted commands-help; then
  out=$(gdb-multiarch -q -nx -batch -ex "source $script" -ex 'help ev6-deliver' \
        -ex 'help ev6-objects' "$tmp/kernel-r1f0" 2>&1)
  if echo "$out" | grep -q '^Usage: ev6-deliver ADDR \[HART\]' &&
     echo "$out" | grep -q '^Usage: ev6-objects \[TABLE\]'; then
    pass "commands-help"
  else
    fail "commands-help" "$(echo "$out" | head -3)"
  fi
fi

echo "gdbscripts: $passed passed, $failed failed"
[ $failed -eq 0 ]
