#!/bin/sh
# ev6.sh - Ev6 recovery tests through the ev6_inject system call.
#
# usage: tests/ev6.sh [kernel]     (default build/kernel-r1f1/kernel)
#        EV6_ONLY=ROW tests/ev6.sh [kernel]   one concurrent row, nothing else
#
# Every check is tied to its scenario: the console from the scenario's
# command to the next one must hold exactly one `ev6:` line, and that line
# must name the scenario's object, site, mode and expected exit (and the
# index and fail-stop reason tests/ev6/scenarios.txt gives; its header says
# how the expected site is found).
#
# For each mode, every scenario of tests/ev6/scenarios.txt expected to
# survive runs in one boot, in sequence; then `usertests -q` must pass and
# fsck must find the disk clean, and the self-audit (user/audit) before
# the tests must pass. A scenario passes when its one line is an
# `ev6: event=recovered` line as above, ev6test observed that exit from
# user space with no page leaked (the unwound call's or killed process's
# memory all came back), and no `usertrap()` line says that something else
# (a page fault) killed the process. The kprintf action (pr at printf) must
# also show the kernel printing again after the recovery, once: pr.lock was
# given back. Each scenario expected to fail-stop boots alone: QEMU must
# exit with status 4, its one line must be `ev6: event=failstop` with the
# expected reason, and the disk must be clean.
# The concurrent rows of tests/ev6/together.txt run in one more boot per
# mode at 3 harts, then `usertests -q` and fsck: each row must show the
# expected exits in user space and the expected recovered object@site/exit
# set (tests/ev6/together.txt's header).
# Last, a kill inside piperead's window between its killed() check and its
# sleep must not be lost (ev6test killwindow, at 3 harts), and a pipe
# repaired while a close of it is in flight must outlive that close
# (ev6test closewindow), and a zombie reaped while a killed process's
# settle of address spaces stands at its page table must not have that
# table freed twice (ev6test settlewindow). A process that started a
# kernel thread (an idle driver task) must leave no trace of it in its
# ledger (ev6test kprocledger). A link killed while its change sits in a
# block its transaction has logged for another operation must stop a
# conservative kernel (ev6test linkshared); in aggressive mode a block
# such a call allocated and never linked must not leak (allocshared).
# Prints FAIL lines and `ev6: N passed, N failed`.
set -u
kernel=${1:-build/kernel-r1f1/kernel}
scen=tests/ev6/scenarios.txt
together=tests/ev6/together.txt
only=${EV6_ONLY:-}
mkdir -p build/ev6
pass=0
fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }

if [ ! -f "$kernel" ]; then
  echo "ev6.sh: $kernel is missing: make FAULTS=1 kernel"
  echo "ev6: 0 passed, 1 failed"
  exit 1
fi
# The kernel's functions: a site's report names the function it is in.
fns=build/ev6/functions
nm "$kernel" | awk '$2 ~ /^[tT]$/ { print $3 }' > "$fns"

# scenarios MODE-COLUMN: print "object site action expected report-site
# index reason" lines, the defaults of scenarios.txt's header filled in
# (index - is not checked). Exits 1 after naming the line of a bad row.
scenarios() {
  awk -v c="$1" -v file="$scen" '
    NR == FNR { fn[$1] = 1; next }
    /^#/ || NF == 0 { next }
    {
      rsite = ""; idx = "-"; reason = "rule"; err = ""
      if(NF < 6)
        err = "expected object site action conservative aggressive paper"
      for(i = 7; i <= NF; i++){
        k = $i; v = $i
        sub(/=.*/, "", k); sub(/^[^=]*=/, "", v)
        if($i !~ /=/) err = "column " i " (" $i ") is not key=value"
        else if(k == "site") rsite = v
        else if(k == "index") idx = v
        else if(k == "reason") reason = v
        else err = "unknown key " k
      }
      if(rsite == "" && $3 == "now")
        rsite = "sys_ev6_inject"
      else if(rsite == "" && $3 == "nested")
        err = "a nested row needs site= (the recovery function that meets the object)"
      else if(rsite == ""){
        # fileread_devsw: the longest _-prefix that is a kernel function.
        for(s = $2; !(s in fn) && s ~ /_/; ) sub(/_[^_]*$/, "", s)
        rsite = (s in fn) ? s : $2
      }
      if(err != ""){
        print "ev6.sh: " file ":" FNR ": " err > "/dev/stderr"
        bad = 1
        next
      }
      print $1, $2, $3, $c, rsite, idx, reason
    }
    END { exit bad }' "$fns" "$scen"
}

# report_problem EVENT OBJECT SITE INDEX EXIT REASON < the scenario's
# `ev6:` lines: say what is wrong with them, or nothing. There must be
# one; EXIT is checked on a recovered line, REASON on a fail-stop.
report_problem() {
  awk -v ev="$1" -v obj="$2" -v site="$3" -v idx="$4" -v ex="$5" -v reason="$6" \
      -v mode="$mode" '
    { n++; line = $0 }
    END {
      if(n != 1){ print (n + 0) " ev6: lines, expected 1"; exit }
      m = split(line, w, " ")
      for(i = 2; i <= m; i++){
        k = w[i]; v = w[i]
        sub(/=.*/, "", k); sub(/^[^=]*=/, "", v)
        f[k] = v
      }
      want["event"] = ev; want["object"] = obj; want["site"] = site
      want["mode"] = mode
      if(idx != "-") want["index"] = idx
      if(ev == "recovered") want["exit"] = ex; else want["reason"] = reason
      for(k in want)
        if(f[k] != want[k]) wrong = wrong " " k "=" f[k] " (want " want[k] ")"
      if(wrong != "") print "its report has" wrong ": " line
    }'
}

# segment LOG COMMAND: the console lines after the typed COMMAND, up to the
# next typed command.
segment() {
  awk -v cmd="$2" '
    on && /^(ev6test (conservative|aggressive) |usertests |audit$|poweroff$)/ { exit }
    on { print }
    $0 == cmd { on = 1 }' "$1"
}

# kprintf_problem < segment: the kernel's printf must work after the
# recovery: ev6test's own unknown system call, once, after the report.
kprintf_problem() {
  awk '
    /^ev6: / { reported = 1; next }
    /unknown system call/ { if(reported) after++; else before++ }
    END {
      if(before) print "the child'"'"'s printf completed: the error never came"
      else if(after != 1) print (after + 0) " kernel printf lines after the recovery, expected 1 (pr.lock not given back?)"
    }'
}

if ! scenarios 4 > /dev/null; then
  echo "ev6: 0 passed, 1 failed"
  exit 1
fi

for mode in conservative aggressive; do
  [ -n "$only" ] && break
  col=4
  [ $mode = aggressive ] && col=5
  log=build/ev6/$mode.log

  # Survivors, in one boot.
  set --
  while read -r obj site action want rsite idx reason; do
    [ "$want" = FS ] && continue
    set -- "$@" "ev6test $mode $obj $site $action"
  done <<EOF2
$(scenarios $col)
EOF2
  tests/guest-run.sh -K "$kernel" -t 300 "$log" "$@" audit 'usertests -q'
  status=$?
  sed 's/^\(\$ \)*//' "$log" > "$log.lines"
  while read -r obj site action want rsite idx reason; do
    [ "$want" = FS ] && continue
    seg=build/ev6/$mode-$obj-$site-$action.seg
    segment "$log.lines" "ev6test $mode $obj $site $action" > "$seg"
    result="ev6test object=$obj site=$site mode=$mode observed=$want leaked=0"
    why=$(grep -a '^ev6: ' "$seg" | report_problem recovered "$obj" "$rsite" "$idx" "$want" -)
    if [ -z "$why" ] && ! grep -aqx "$result" "$seg"; then
      why="user space saw: $(grep -a '^ev6test object=' "$seg" || echo 'no result line')"
    fi
    if [ -z "$why" ] && grep -aq '^usertrap()' "$seg"; then
      why="a trap, not recovery, killed it: $(grep -a '^usertrap()' "$seg" | head -1)"
    fi
    if [ -z "$why" ] && [ "$action" = kprintf ]; then
      why=$(kprintf_problem < "$seg")
    fi
    if [ -z "$why" ]; then
      ok
    else
      bad "$mode $obj/$site/$action: expected $want: $why (see $seg)"
    fi
  done <<EOF2
$(scenarios $col)
EOF2
  if [ $status -eq 0 ] && grep -aq '^ALL TESTS PASSED' "$log.lines"; then
    ok
  else
    bad "$mode: usertests or fsck after recovery (guest status $status, see $log)"
  fi
  if grep -aqx 'audit: result=pass checks=[0-9]*' "$log.lines"; then
    ok
  else
    bad "$mode: the self-audit after recovery: $(grep -a '^audit: ' "$log.lines" | head -3) (see $log)"
  fi

  # Fail-stops, one boot each.
  while read -r obj site action want rsite idx reason; do
    [ "$want" = FS ] || continue
    flog=build/ev6/$mode-$obj-$site-$action.log
    cmd="ev6test $mode $obj $site $action"
    tests/guest-run.sh -K "$kernel" -t 60 "$flog" "$cmd" </dev/null
    status=$?
    why=$(sed 's/^\(\$ \)*//' "$flog" | segment - "$cmd" | grep -a '^ev6: ' |
          report_problem failstop "$obj" "$rsite" "$idx" - "$reason")
    if [ $status -ne 4 ]; then
      why="guest status $status, not 4 (a fail-stop) ${why}"
    elif [ -z "$why" ] && ! grep -aq '^fsck: .*clean' "$flog"; then
      why="the disk is not clean"
    fi
    if [ -z "$why" ]; then
      ok
    else
      bad "$mode $obj/$site/$action: expected a fail-stop: $why (see $flog)"
    fi
  done <<EOF2
$(scenarios $col)
EOF2
done

# Concurrent errors: one boot per mode.
for mode in conservative aggressive; do
  col=2
  [ $mode = aggressive ] && col=3
  log=build/ev6/together-$mode.log
  rows=$(grep -v '^#' "$together" | awk -v only="$only" 'NF >= 5 && (only == "" || $1 == only)')
  if [ -z "$rows" ]; then
    bad "no row ${only:-at all} in $together"
    break
  fi
  set --
  for row in $(echo "$rows" | awk '{ print $1 }'); do
    set -- "$@" "ev6test $mode together $row"
  done
  [ -z "$only" ] && set -- "$@" 'usertests -q'
  tests/guest-run.sh -K "$kernel" -c 3 -t 300 "$log" "$@"
  status=$?
  # Per row: "ROW OBSERVED EVENTS-WITH-SITES EVENTS", the events being the
  # distinct object@site/exit (object/exit) of the recovered lines printed
  # since the previous row ended, sorted; a line of another mode, or any
  # fail-stop, is an event that no row expects.
  sed 's/^\(\$ \)*//' "$log" | awk -v mode="$mode" '
    function sorted(set,    n, i, j, t, k, keys, s) {
      n = 0
      for(k in set) keys[++n] = k
      for(i = 1; i <= n; i++) for(j = i + 1; j <= n; j++)
        if(keys[j] < keys[i]){ t = keys[i]; keys[i] = keys[j]; keys[j] = t }
      s = ""
      for(i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i]
      return s == "" ? "-" : s
    }
    /^ev6: event=/ {
      delete f
      for(i = 2; i <= NF; i++){
        k = $i; v = $i
        sub(/=.*/, "", k); sub(/^[^=]*=/, "", v)
        f[k] = v
      }
      if(f["event"] != "recovered") f["exit"] = f["event"]
      if(f["mode"] != mode) f["exit"] = f["exit"] "(mode=" f["mode"] ")"
      sited[f["object"] "@" f["site"] "/" f["exit"]] = 1
      plain[f["object"] "/" f["exit"]] = 1
    }
    /^ev6test together=/ {
      split($2, r, "="); split($4, ob, "=")
      print r[2], ob[2], sorted(sited), sorted(plain)
      delete sited; delete plain
    }' > "$log.rows"
  while read -r row want_c want_a events paper; do
    want=$want_c
    [ $mode = aggressive ] && want=$want_a
    case $events in
    *@*) got=$(awk -v r="$row" '$1 == r { print $2, $3 }' "$log.rows") ;;
    *)   got=$(awk -v r="$row" '$1 == r { print $2, $4 }' "$log.rows") ;;
    esac
    if [ "$got" = "$want $events" ]; then
      ok
    else
      bad "$mode together $row: expected $want $events; got: ${got:-nothing}"
    fi
  done <<EOF2
$rows
EOF2
  [ -n "$only" ] && continue
  if [ $status -eq 0 ] && grep -aq 'ALL TESTS PASSED' "$log"; then
    ok
  else
    bad "$mode together: usertests or fsck after recovery (guest status $status, see $log)"
  fi
done

# window_check NAME CHECK PATTERN WHAT SILENT [HARTS]: `ev6test NAME' then
# CHECK at HARTS harts (default 3), where ev6test holds one process inside
# a window on purpose (or audits a state that lasts only while it waits:
# kprocledger); NAME=pass and a line matching PATTERN must follow, and
# fsck must find the disk clean. WHAT names the case in a failure, SILENT
# says what a missing result line means.
window_check() {
  log=build/ev6/$1.log
  tests/guest-run.sh -K "$kernel" -c "${6:-3}" -t 60 "$log" "ev6test $1" "$2"
  status=$?
  if [ $status -eq 0 ] && grep -aq "^ev6test $1=pass" "$log" && grep -aq "$3" "$log"; then
    ok
  else
    bad "$1: $4 (guest status $status): $(grep -a "^ev6test $1=" "$log" || echo "no result line: $5") (see $log)"
  fi
}

# A kill that lands between piperead's killed() check and its sleep (the
# reader held there until it is killed, EV6_INJECT_KILLWINDOW) must not be
# lost: the reader dies and its parent's wait returns (before sleep_killable
# it slept for ever: usertests killsleep's hang). The held one spins with
# interrupts off.
if [ -z "$only" ]; then
  window_check killwindow 'usertests killsleep' '^ALL TESTS PASSED' \
    "a kill inside piperead's window" 'the killed reader slept on'
fi

# A pipe met damaged while its writer's close stands between freeing the
# write end's file and pipeclose (held there, EV6_INJECT_CLOSEWINDOW),
# the reader then closing its end: the held close must still find the
# pipe (before ledger_pipe_close its recovery counted the write end closed,
# the reader's close freed the page, and the writer's pipeclose spun for
# ever on the freed page's lock: campaign-access pipe-piperead's hang).
if [ -z "$only" ]; then
  window_check closewindow audit '^audit: result=pass' \
    'a pipe repaired under a held close' 'the held close never came back'
fi

# A killed process's settle of address spaces (ptrep_settle) held at the
# page table of a zombie (EV6_INJECT_SETTLEWINDOW) while the zombie's
# parent reaps it: the settle must leave the table to the reap (it read
# the root, then found the owner's slot free, took the table for one an
# abandoned fork left and freed it again: panic ptrep_free_leaves: no
# replica, once in the amplifier's 320 boots). The audit afterwards checks
# every replica against its table.
if [ -z "$only" ]; then
  window_check settlewindow audit '^audit: result=pass' \
    'a zombie reaped under a held settle' 'the held settle never came back'
fi

# A child that started an idle driver task (drvctl DRVCTL_IDLE, kproc)
# and exited: the audit of the zombie must find its ledger empty (kproc
# left the thread there as fork's child being built, for an unwound call
# of the slot's next process to give back: fork_abandon of a live thread).
if [ -z "$only" ]; then
  window_check kprocledger audit '^audit: result=pass' \
    "a kernel thread's maker's ledger" 'no audit'
fi

# A link held inside its log write of an inode block that another open
# operation of its transaction logged already (a writer held at its
# end_op; both EV6_INJECT_OPWINDOW), its trapframe then damaged while it
# is not running there: its raised link count is in a buffer the
# transaction will commit, so conservative mode must fail-stop
# (reason=partial-transaction) and the disk stay clean. Taken for a call
# that wrote nothing, the linker was killed and the commit wrote its
# count for a link never made (fsck: nlink 1 but no entry, after the
# unlinks). One hart: the held processes spin, preemptible.
if [ -z "$only" ]; then
  log=build/ev6/linkshared.log
  mode=conservative
  tests/guest-run.sh -K "$kernel" -c 1 -t 60 "$log" 'ev6test linkshared' </dev/null
  status=$?
  why=$(sed 's/^\(\$ \)*//' "$log" | segment - 'ev6test linkshared' | grep -a '^ev6: ' |
        report_problem failstop trapframe sys_ev6_inject - - partial-transaction)
  if [ $status -ne 4 ]; then
    why="guest status $status, not 4 (a fail-stop): $(grep -a '^ev6test linkshared=' "$log" ||
         echo 'no result line') ${why}"
  elif [ -z "$why" ] && ! grep -aq '^fsck: .*clean' "$log"; then
    why="the disk is not clean"
  fi
  if [ -z "$why" ]; then
    ok
  else
    bad "linkshared: a link killed with its change in a logged block: $why (see $log)"
  fi
fi

# The same hold in aggressive mode, the held child in balloc's log write
# of the bitmap (which the held writer logged already) as its write
# allocates a new file's first block: it is killed, and half its
# operation commits. The block is in no file, so the unwind must free it
# again: the disk clean afterwards, the audit passing (the commit once
# leaked it: campaign-access log-begin_op-two's corrupt disk).
if [ -z "$only" ]; then
  window_check allocshared audit '^audit: result=pass' \
    'a block allocated by a call half committed (status 0: fsck clean)' 'no result line' 1
fi

# ev6test repeat (the amplifier): a log error armed once a tick at
# begin_op while stress runs, then disarmed. Aggressive mode takes no
# fail-stop for the log (PK), so the guest must come through: at least
# one recovery, the done line, the self-audit passing afterwards (fsck is
# not asked: a half operation committed by aggressive mode is allowed).
# repeat-flip damages log.lock's word instead: its recoveries wait for
# the word (EV6_LOCK_WAIT) and must come through too. A command that
# cannot be run is named.
if [ -z "$only" ]; then
  log=build/ev6/repeat.log
  tests/guest-run.sh -K "$kernel" -c 3 -t 120 "$log" \
    'ev6test aggressive log begin_op repeat stress 2 2' \
    'ev6test aggressive log begin_op repeat-flip stress 2 2' \
    'ev6test aggressive log begin_op repeat nosuchprogram' audit </dev/null
  done_line='^ev6test repeat object=log site=begin_op mode=aggressive: done'
  recovered='ev6: event=recovered object=log .*site=begin_op'
  if [ "$(grep -ac "$done_line" "$log")" -ne 3 ]; then
    bad "repeat: the done line should follow each command (see $log)"
  elif ! grep -aq "$recovered" "$log"; then
    bad "repeat: no log recovery while stress ran (see $log)"
  elif ! awk '/repeat-flip stress/ { on = 1 } on && /'"$recovered"'/ { n++ }
              on && /'"$done_line"'/ { exit n == 0 }' "$log"; then
    bad "repeat-flip: no log recovery while stress ran (see $log)"
  elif ! grep -aq '^ev6test: exec nosuchprogram failed' "$log"; then
    bad "repeat: a command that cannot be run is not named (see $log)"
  elif ! grep -aq '^audit: result=pass' "$log"; then
    bad "repeat: the self-audit after the recoveries: $(grep -a '^audit: ' "$log" | head -1) (see $log)"
  else
    ok
  fi
fi

echo "ev6: $pass passed, $fail failed"
[ $fail -eq 0 ]
