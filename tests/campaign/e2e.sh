#!/bin/sh
# e2e.sh - end-to-end checks of campaign/ev6-campaign: real runs under QEMU
# on scratch databases, with the real injector (campaign/gdbscripts) and
# with the stand-in tests/campaign/fake-inject.py, which delivers a trap
# but damages nothing and proves nothing.
#
# usage: tests/campaign/e2e.sh        (from the top of the tree)
# environment: KERNEL (default build/kernel-r1f1/kernel, else kernel/kernel),
#              IMAGE (default fs.img; needs usertests and audit for the
#              survival check)
#
# Checks: a campaign runs, every run where the site is hit injects, and
# none is a harness error; a rerun runs nothing; --replay records a new
# run; a stand-in that proves nothing of what it did never yields a kernel
# outcome (harness-error naming the evidence link); a failing injector
# gives harness-error runs, retried once, exit status 3; a site never hit
# gives not-reached; killing the orchestrator with SIGKILL once its first
# run is recorded loses nothing and a rerun finishes the rest with no run
# twice and no temporary files left; a guest silent after the error is a
# hang judged at the silence bound, its state taken (the hang stream); a
# guest QEMU holds stopped on a debug event with no debugger attached is a
# harness-error saying so; the line of an injector holding
# consumers (two errors on access) that comes long after the workload's
# prompt is waited for; a config error exits 2 naming
# file:line; the guest's writes are on the disk fsck checks; a driver
# fault made by the real injector is restarted as its row expects, and a
# driver key without kind = driver is an error. Ends with
# `campaign-e2e: N passed, N failed`.
set -u
bin=campaign/ev6-campaign
real=campaign/gdbscripts/ev6inject.py
fake=tests/campaign/fake-inject.py
inject=$real
kernel=${KERNEL:-build/kernel-r1f1/kernel}
[ -f "$kernel" ] || kernel=kernel/kernel
image=${IMAGE:-fs.img}
work=$(mktemp -d /tmp/ev6-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect() { # what got want
  if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
q() { sqlite3 "$db" "$1"; }
run() { # run the orchestrator on the scratch database; output to $work/out
  "$bin" --kernel "$kernel" --image "$image" --gdb-script "$inject" -d "$db" "$@" \
    > "$work/out" 2>&1
}
stand_in() { inject=$fake; run "$@"; rc=$?; inject=$real; return $rc; }

for f in "$bin" "$kernel" "$image" mkfs/fsck; do
  [ -e "$f" ] || { echo "e2e: $f is missing: build it first"; echo "campaign-e2e: 0 passed, 1 failed"; exit 1; }
done

# 1. a campaign where every run injects (the kernel's recovery decides the rest)
db=$work/a.db
run -j 2 tests/campaign/e2e.ini
expect "first campaign exit status" $? 0
expect "every job done" "$(q "SELECT count(*) FROM jobs WHERE state != 'done'")" 0
expect "injected where the site is hit" \
  "$(q "SELECT count(*) FROM results WHERE section IN ('bget', 'buf-log_write') AND injected")" 2
expect "the site never hit" "$(q "SELECT outcome FROM results WHERE section = 'never-reached'")" \
  not-reached
expect "no harness errors" "$(q "SELECT count(*) FROM runs WHERE outcome = 'harness-error'")" 0
# The guest's writes reach the disk fsck checks: buf-log_write's shell
# created `failme', so the disk has more inodes in use than the image.
# (A qcow2 overlay lost them: QEMU 7.2 exits at poweroff without writing
# its metadata back, and fsck counted the image's own.)
inodes() { sed -n 's/.* \([0-9]*\) of [0-9]* inodes in use.*/\1/p'; }
base=$(mkfs/fsck -v "$image" | inodes)
after=$(q "SELECT text FROM console_logs c JOIN results r ON r.id = c.run
           WHERE r.section = 'buf-log_write' AND c.stream = 'fsck'" | inodes)
expect "the guest's writes on the disk fsck checked ($base inodes in the image, ${after:-none} after)" \
  "$([ "${after:-0}" -gt "$base" ] && echo yes)" yes
expect "every link of the injected runs proven" \
  "$(q "SELECT count(*) FROM results r JOIN run_evidence e ON e.run = r.id
        WHERE r.injected AND e.link IN ('resolved', 'landed', 'delivered', 'reported', 'gdb-exit')
          AND e.state = 'ok'")" 10
expect "evidence stored" "$(q "SELECT count(*) FROM console_logs WHERE stream = 'console'")" 3
runs=$(q "SELECT count(*) FROM runs")

# 2. the same command again runs nothing
run -j 2 tests/campaign/e2e.ini
expect "rerun exit status" $? 0
expect "rerun adds no run" "$(q "SELECT count(*) FROM runs")" "$runs"
grep -q "0 to run" "$work/out" && ok || bad "rerun did not say '0 to run': $(head -1 "$work/out")"

# 3. --replay records a new run of the same job
run --replay 1
expect "replay exit status" $? 0
expect "replay recorded as a new run of the same job" \
  "$(q "SELECT count(*) FROM runs WHERE replay_of = 1 AND job = (SELECT job FROM runs WHERE id = 1)")" 1

# 4. a stand-in that delivers a trap but damages nothing and proves
#    nothing: never a kernel outcome, whatever the kernel then says
db=$work/s.db
FAKE_INJECT=none stand_in -j 2 tests/campaign/e2e.ini
expect "stand-in exit status" $? 3
expect "stand-in: every injected run a harness error" \
  "$(q "SELECT count(*) FROM results WHERE injected AND outcome != 'harness-error'")" 0
expect "stand-in: the link named" \
  "$(q "SELECT count(*) FROM results WHERE injected AND detail LIKE 'evidence link resolved of error 1 broken%'")" 2
expect "stand-in: no survival counted" "$(q "SELECT count(*) FROM runs WHERE survived")" 0

# ... and the real injector refuses a target that is not the scenario's
# kind of object, before damaging anything
db=$work/r.db
run tests/campaign/e2e-refused.ini
expect "refused exit status" $? 3
expect "refused: harness error naming resolved" \
  "$(q "SELECT count(*) FROM results WHERE outcome = 'harness-error' AND NOT injected
        AND detail LIKE 'evidence link resolved broken: target % lies in a run, not in a buf; nothing was delivered'")" 1
expect "refused: the link stored" \
  "$(q "SELECT count(*) FROM run_evidence WHERE link = 'resolved' AND state = 'broken'")" 2

# ... and a guest that goes silent after the error is judged a hang at
# the silence bound (a tenth of the survival timeout), not at the timeout
db=$work/q.db
run --timeout survival=40 tests/campaign/e2e-silent.ini
expect "silent guest: a hang of the survival phase" \
  "$(q "SELECT outcome || ' ' || hang_phase FROM runs")" "hang survival"
expect "silent guest: judged by its silence" \
  "$(q "SELECT count(*) FROM runs WHERE detail LIKE 'the console was silent for 4 s in the survival phase%'")" 1
expect "silent guest: ended before the survival timeout" \
  "$(q "SELECT survival_ms IS NULL OR survival_ms < 40000 FROM runs")" 1
# ... and its state was taken before QEMU was killed: the process that
# waits for input, on its console channel, with its kernel stack
expect "silent guest: snapshot of the sleeping cat" \
  "$(q "SELECT count(*) FROM console_logs WHERE stream = 'hang'
        AND text GLOB 'hang snapshot: hart 0 *' AND text GLOB '*
proc?[0-9]*?] pid [0-9]* cat SLEEPING chan cons.r
  stack: sched < sleep_on < sleep_killable < consoleread < *'")" 1
expect "silent guest: the detail quotes the snapshot's summary" \
  "$(q "SELECT count(*) FROM runs WHERE detail GLOB '*progress ?hang snapshot: * sleeping; *'")" 1

# ... and a guest QEMU holds stopped on a debug event once no debugger is
# attached (a breakpoint left behind; tests/campaign/leave-breakpoint.py)
# is a harness-error saying so, ended at the silence bound, not a hang
db=$work/d.db
mkdir -p "$work/t"
TMPDIR=$work/t run --timeout survival=60 tests/campaign/e2e-leftover.ini &
orch=$!
for _ in $(seq 600); do     # the injector's line (it detaches next; QEMU
  res=$(ls "$work"/t/ev6.*/result.jsonl 2>/dev/null | head -1)   # serves one debugger)
  [ -n "$res" ] && [ -s "$res" ] && break
  sleep 0.1
done
LEAVE_KERNEL=$kernel LEAVE_SOCKET=$(dirname "$res")/gdb.sock timeout 150 \
  gdb-multiarch -q -nx -batch -x tests/campaign/leave-breakpoint.py > "$work/leave.out" 2>&1
wait $orch
expect "left breakpoint: a harness-error naming QEMU's debug stop" \
  "$(q "SELECT count(*) FROM runs WHERE outcome = 'harness-error'
        AND detail LIKE 'QEMU held the guest stopped on a debug event (QMP status debug) with no debugger attached%'")" 1
expect "left breakpoint: the runner tried to let it go on, and says so" \
  "$(q "SELECT count(*) FROM console_logs WHERE stream = 'hang'
        AND text LIKE '%host: QEMU held the guest stopped on a debug event with no debugger attached % let it go on each time%'")" 1
expect "left breakpoint: ended at the silence bound, not the survival timeout" \
  "$(q "SELECT count(*) FROM runs WHERE outcome = 'harness-error' AND total_ms < 50000")" 1

# ... and an injector of a job with two errors on access, whose line comes
# 8 s after the workload's prompt (it holds consumers): waited for, so
# each attempt counts as injected (and, proving nothing, is a harness
# error, so it runs twice), not as not-reached
db=$work/l.db
FAKE_INJECT=late stand_in tests/campaign/e2e-late.ini
expect "late injector: waited for, injected" \
  "$(q "SELECT group_concat(injected || ' ' || outcome, ', ') FROM runs")" \
  "1 harness-error, 1 harness-error"

# 5. an injector that fails: harness-error, retried once, exit status 3
db=$work/b.db
FAKE_INJECT=fail stand_in -j 2 tests/campaign/e2e.ini
expect "harness-error exit status" $? 3
expect "harness-error runs, two attempts each" \
  "$(q "SELECT count(*) FROM runs WHERE outcome = 'harness-error' AND attempt IN (1, 2)")" 6

# 6. SIGKILL in the middle loses nothing; a rerun finishes without repeats
db=$work/c.db
"$bin" --kernel "$kernel" --image "$image" --gdb-script "$inject" -d "$db" \
  -j 2 configs/smoke.ini > "$work/out" 2>&1 &
pid=$!
# Kill it as soon as one run is recorded (others are still running then),
# and wait for its workers (they stop when it dies) to be gone.
for _ in $(seq 1200); do
  [ "$(q "SELECT count(*) FROM runs" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
workers=$(ps -o pid= --ppid $pid)
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
for w in $workers; do
  for _ in $(seq 300); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
done
done_before=$(q "SELECT count(*) FROM jobs WHERE state = 'done'")
[ "$done_before" -ge 1 ] && [ "$done_before" -lt 6 ] && ok ||
  bad "the kill came in the middle: $done_before of 6 jobs were done"
expect "runs recorded before the kill are kept" "$(q "SELECT count(*) FROM runs")" "$done_before"
run -j 2 configs/smoke.ini
expect "rerun after SIGKILL exit status" $? 0
expect "all jobs done after the rerun" "$(q "SELECT count(*) FROM jobs WHERE state = 'done'")" 6
expect "no job run twice" "$(q "SELECT count(*) - count(DISTINCT job) FROM runs")" 0
leftover=$(ls -d "${TMPDIR:-/tmp}"/ev6.$pid.* 2>/dev/null | wc -l)
expect "no temporary directories left" "$leftover" 0
leftover=$(ls -d "${TMPDIR:-/tmp}"/ev6-inputs.$pid.* 2>/dev/null | wc -l)
expect "the killed campaign's snapshot of its inputs is swept" "$leftover" 0

# 7. a configuration error: exit status 2, file:line, nothing run
printf '[x]\nobject = bfu\nsite = bget\nworkload = ls\ntable = 2\n' > "$work/bad.ini"
run "$work/bad.ini"
expect "config error exit status" $? 2
grep -q "^$work/bad.ini:2: unknown object 'bfu'$" "$work/out" && ok ||
  bad "config error message: $(cat "$work/out")"

# 8. a driver fault (kind = driver) made by the real injector: a deadlock
# on the disk driver's lock, found by the in-kernel detector, restarted
# without re-initialising the device; its detection stored with the run
db=$work/drv.db
awk '/^\[disk-deadlock-kernel\]/ { on = 1 } /^\[disk-deadlock-heartbeat\]/ { on = 0 } on' \
  configs/drivers.ini > "$work/drv.ini"
run "$work/drv.ini"
expect "driver campaign exit status" $? 0
expect "the driver fault restarted as expected" "$(q "SELECT outcome, survived FROM runs")" \
  "restarted|1"
expect "its detection is stored" \
  "$(q "SELECT detector, why, restart, detect_us > 0 FROM run_driver")" "kernel|hang|software|1"
# ... and a driver key without kind = driver is a config error
printf '[x]\nobject = buf\nsite = bget\nworkload = ls\ntable = 2\nfault = loop\n' > "$work/bad.ini"
run "$work/bad.ini"
expect "driver key error exit status" $? 2
grep -q "^$work/bad.ini:1: the driver keys .* need kind = driver in \[x\]$" "$work/out" && ok ||
  bad "driver key error message: $(cat "$work/out")"

echo "campaign-e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
