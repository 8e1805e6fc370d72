#!/bin/sh
# audit.sh - the kernel's self-audit (kernel/audit.c, user/audit.c) in real
# guests: no false alarm on a healthy kernel, and every kind of damage it
# is meant to find, found and named.
#
# usage: tests/audit.sh [-k] [-K kernel] [-F kernel]
#   -k         keep the scratch directory (consoles, GDB output)
#   -K kernel  the kernel to test (default kernel/kernel; it must be built
#              with recovery: the audit needs the ledger)
#   -F kernel  the FAULTS=1 kernel for part 3 (default
#              build/kernel-r1f1/kernel: make FAULTS=1 kernel)
#
# 1. Healthy, at -smp 1 and -smp 3: a fresh guest runs `audit -n 50` and
#    three single audits, then `usertests -q`, then `audit -n 50` again.
#    Every audit must pass with no violation line, usertests must pass, the
#    guest must power off and fsck find its disk clean.
# 2. Damaged behind recovery's back (a page-table entry: bit 8, which the
#    MMU ignores, so the guest runs on): the -smp 3 guest, which has a
#    gdbstub, then runs `audit -w`, which audits once per line typed and
#    between audits only waits for console input (no buffer, free page,
#    inode, file or log is touched). For each case below, batch GDB writes
#    one wrong value (physical-address mode, so whatever page table a hart
#    has loaded), a line is typed, and the audit must fail with a violation
#    line naming the case's object, index and check; GDB then puts the
#    bytes back and the next audit must pass.
# 3. A hart stopped inside release() (the FAULTS=1 kernel, -F): at -smp 3
#    `audit -r 300 -n 3` stops a child's hart in release() of ftable.lock
#    (ledger entry gone, word still set, interrupts off) for 300 ms from
#    the start of the first audit, as a loaded host may keep a virtual hart
#    off its CPU there (issue 11: devswlog's campaign run 73 reported
#    proc[57].lock "locked 1, cpu -1, ledger of hart -1" so). Every audit
#    must pass, the first must have waited for the hart (still running when
#    it let go), the guest must power off and fsck find its disk clean.
# Prints `ok`/`FAIL` per check and `audit: N passed, N failed`; exit status
# 0 only if none failed. Every QEMU it starts is stopped by pid.
set -u
keep=0
kernel=kernel/kernel
fkernel=build/kernel-r1f1/kernel
while getopts kK:F: opt; do
  case $opt in
  k) keep=1 ;;
  K) kernel=$OPTARG ;;
  F) fkernel=$OPTARG ;;
  *) echo "usage: $0 [-k] [-K kernel] [-F kernel]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
for tool in qemu-system-riscv64 gdb-multiarch; do
  command -v $tool >/dev/null 2>&1 || { echo "$0: $tool not found" >&2; exit 2; }
done
for f in "$kernel" "$fkernel" fs.img mkfs/fsck; do
  [ -f "$f" ] || { echo "$0: $f is missing: run make first" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/ev6-audit.XXXXXX)
guest=""   # the damage guest's guest-run.sh, leader of its own process group
stop_guest() {
  [ -n "$guest" ] && kill -- -"$guest" 2>/dev/null
  guest=""
}
cleanup() {
  exec 4>&- 2>/dev/null
  stop_guest
  if [ $keep -eq 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$kernel" "$tmp/kernel"     # a rebuild meanwhile changes nothing here

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# The console without shell prompts in front of lines.
lines() { sed 's/^\(\$ \)*//' "$1"; }

# ------------------------------------------------------------- 1. healthy

# The healthy guests' commands, in "$@" from here on.
set -- "audit -n 50" audit audit audit "usertests -q" "audit -n 50"

# healthy_check CPUS LOG: the healthy part of a guest's console (up to a
# later `audit -w`) shows 103 audits passed, none failed, usertests passed.
healthy_check() {
  name="healthy -smp $1: 103 audits, usertests -q between"
  lines "$2" | sed '/^audit -w/,$d' > "$2.healthy"
  passes=$(grep -ac '^audit: result=pass checks=[0-9]*$' "$2.healthy")
  violations=$(grep -ac '^audit: violation ' "$2.healthy")
  if ! grep -aq '^ALL TESTS PASSED' "$2.healthy"; then
    fail "$name" "usertests -q did not pass (see $2)"
  elif [ "$passes" -ne 103 ] || [ "$violations" -ne 0 ]; then
    fail "$name" "$passes of 103 audits passed, $violations violation lines:"
    grep -a '^audit: violation ' "$2.healthy" | sort | uniq -c | head -10
  else
    pass "$name"
  fi
}

log=$tmp/healthy-smp1.log
tests/guest-run.sh -K "$tmp/kernel" -c 1 -t 600 "$log" "$@"
status=$?
healthy_check 1 "$log"
if [ $status -eq 0 ]; then
  pass "healthy -smp 1: the guest powered off and fsck found its disk clean"
else
  fail "healthy -smp 1 guest" "guest-run status $status (see $log)"
fi

# ------------------------------------------------------------- 2. damaged

# name|object|index|check|GDB commands that damage|GDB commands that repair
# (commands separated by ';'). An index of @ is the one the damaging
# commands print as `audit-index N`.
cases() {
  cat <<'EOF'
buf refcnt|buf|3|refcnt|set var bcache.buf[3].refcnt = bcache.buf[3].refcnt + 1|set var bcache.buf[3].refcnt = bcache.buf[3].refcnt - 1
buf next link|buf|5|next|set var bcache.buf[5].next = (struct buf *)((unsigned long)bcache.buf[5].next ^ 8)|set var bcache.buf[5].next = (struct buf *)((unsigned long)bcache.buf[5].next ^ 8)
buf prev link|buf|9|prev|set var bcache.buf[9].prev = (struct buf *)((unsigned long)bcache.buf[9].prev ^ 8)|set var bcache.buf[9].prev = (struct buf *)((unsigned long)bcache.buf[9].prev ^ 8)
free-list next pointer|run|@|next|printf "audit-index %d\n", ((unsigned long)kmem.freelist - 0x80000000) / 4096;set var kmem.freelist->next = (struct run *)((unsigned long)kmem.freelist->next ^ 16)|set var kmem.freelist->next = (struct run *)((unsigned long)kmem.freelist->next ^ 16)
kmem.nfree|kmem|-1|nfree|set var kmem.nfree = kmem.nfree + 1|set var kmem.nfree = kmem.nfree - 1
init's root page-table entry|pagetable|@|replica|printf "audit-index %d\n", ((unsigned long)proc[0].pagetable - 0x80000000) / 4096;set var *(unsigned long *)proc[0].pagetable = *(unsigned long *)proc[0].pagetable ^ 256|set var *(unsigned long *)proc[0].pagetable = *(unsigned long *)proc[0].pagetable ^ 256
the kernel's root page-table entry|pagetable|@|replica|printf "audit-index %d\n", ((unsigned long)kernel_pagetable - 0x80000000) / 4096;set var *(unsigned long *)kernel_pagetable = *(unsigned long *)kernel_pagetable ^ 256|set var *(unsigned long *)kernel_pagetable = *(unsigned long *)kernel_pagetable ^ 256
inode ref|inode|0|ref|set var itable.inode[0].ref = itable.inode[0].ref + 1|set var itable.inode[0].ref = itable.inode[0].ref - 1
file ref|file|0|ref|set var ftable.file[0].ref = ftable.file[0].ref + 1|set var ftable.file[0].ref = ftable.file[0].ref - 1
log.outstanding|log|-1|outstanding|set var log.outstanding = log.outstanding + 1|set var log.outstanding = log.outstanding - 1
spinlock held by no hart|file|-1|spinlock|set var ftable.lock.locked = 1|set var ftable.lock.locked = 0
spinlock naming a hart whose ledger does not list it|file|-1|spinlock|set var ftable.lock.locked = 1;set var ftable.lock.cpu = &cpus[1]|set var ftable.lock.locked = 0;set var ftable.lock.cpu = 0
sleeplock of a dead process|buf|7|sleeplock|set var bcache.buf[7].lock.locked = 1;set var bcache.buf[7].lock.pid = 4242|set var bcache.buf[7].lock.locked = 0;set var bcache.buf[7].lock.pid = 0
EOF
}

sock=$tmp/gdb.sock
# gdb_do OUT 'cmd;cmd;...': attach, run the commands, detach (the guest
# goes on); GDB's output in OUT.
gdb_do() {
  out=$1
  cmds=$2
  set --
  oldifs=$IFS
  IFS=';'
  for c in $cmds; do set -- "$@" -ex "$c"; done
  IFS=$oldifs
  timeout -k 2 30 gdb-multiarch -q -nx -batch "$tmp/kernel" -ex "target remote $sock" \
    -ex 'maint packet Qqemu.PhyMemMode:1' "$@" -ex detach > "$out" 2>&1
}

# audit_once N: type a line for `audit -w`, wait (30 s at most) for the
# N-th result line of the console.
results() { lines "$dlog" | grep -ac '^audit: result='; }
audit_once() {
  echo >&4
  for _ in $(seq 600); do
    [ "$(results)" -ge "$1" ] && return 0
    kill -0 "$guest" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# The lines of audit number N: after result N-1, up to result N.
audit_lines() {
  lines "$dlog" | awk -v n="$1" '/^audit: result=/ { r++; if(r == n) print; next }
                                 /^audit: / && r == n - 1 { print }'
}

ncases=$(cases | wc -l)
runs=$((2 * ncases + 1))
dlog=$tmp/healthy-smp3.log
mkfifo "$tmp/in"
# In a process group of its own, so that QEMU can be stopped with it.
GUEST_QEMU_OPTS="-chardev socket,path=$sock,server=on,wait=off,id=g -gdb chardev:g" \
  setsid tests/guest-run.sh -K "$tmp/kernel" -c 3 -t 900 -f "$tmp/in" "$dlog" \
  "$@" "audit -w -n $runs" > "$tmp/guest-run.out" 2>&1 &
guest=$!
exec 4> "$tmp/in"
while kill -0 "$guest" 2>/dev/null && ! lines "$dlog" 2>/dev/null | grep -aq "^audit -w"; do
  sleep 0.1
done
healthy_check 3 "$dlog"

broken_off=0
n=$(results)
n=$((n + 1))
if ! audit_once $n || ! audit_lines $n | grep -q '^audit: result=pass'; then
  fail "damage: a first audit passes" "$(audit_lines $n | tail -3) (see $dlog)"
else
  pass "damage: a first audit passes"
fi
cases > "$tmp/cases"
while IFS='|' read -r name obj idx check damage repair; do
  gdb_do "$tmp/damage.gdb" "$damage"
  grc=$?
  if [ "$idx" = @ ]; then
    idx=$(sed -n 's/^audit-index \(-*[0-9]*\)$/\1/p' "$tmp/damage.gdb")
  fi
  n=$((n + 1))
  if [ $grc -ne 0 ] || grep -q 'Cannot access memory\|No symbol\|Error' "$tmp/damage.gdb"; then
    fail "damage: $name" "GDB could not damage: $(grep -m1 'Cannot\|No symbol\|Error' "$tmp/damage.gdb")"
    audit_once $n
  elif ! audit_once $n; then
    fail "damage: $name" "no audit result (see $dlog)"
    broken_off=1
    break
  elif audit_lines $n | grep -q "^audit: violation object=$obj index=$idx check=$check " &&
       audit_lines $n | grep -q '^audit: result=fail'; then
    pass "damage: $name: found as object=$obj index=$idx check=$check"
  else
    fail "damage: $name" "want object=$obj index=$idx check=$check; got:"
    audit_lines $n | sed 's/^/    /'
  fi
  gdb_do "$tmp/repair.gdb" "$repair"
  grc=$?
  n=$((n + 1))
  if [ $grc -ne 0 ] || ! audit_once $n; then
    fail "repaired: $name" "GDB status $grc, or no audit result (see $dlog)"
    broken_off=1
    break
  elif audit_lines $n | grep -q '^audit: result=pass'; then
    pass "repaired: $name: the audit passes again"
  else
    fail "repaired: $name" "still failing:"
    audit_lines $n | sed 's/^/    /'
  fi
done < "$tmp/cases"
exec 4>&-

if [ $broken_off -eq 1 ]; then
  stop_guest     # the audit still waits for lines that will not come
  wait
  status=1
else
  wait $guest
  status=$?
  guest=""
fi
if [ $status -eq 0 ]; then
  pass "healthy -smp 3 and damage: the guest powered off after the repairs, fsck found its disk clean"
else
  fail "-smp 3 guest" "guest-run status $status (see $dlog): $(tail -2 "$dlog")"
fi

# ------------------------------------------- 3. a hart stopped in release()

name="a hart stopped 300 ms inside release() of ftable.lock"
rlog=$tmp/releasing.log
tests/guest-run.sh -K "$fkernel" -c 3 -t 120 "$rlog" "audit -r 300 -n 3"
status=$?
passes=$(lines "$rlog" | grep -ac '^audit: result=pass checks=[0-9]*$')
if lines "$rlog" | grep -aq '^audit: violation '; then
  fail "$name" "the audit called it damage:"
  lines "$rlog" | grep -a '^audit: violation ' | sort | uniq -c | head -3
elif [ "$passes" -ne 3 ]; then
  fail "$name" "$passes of 3 audits passed (see $rlog)"
elif ! lines "$rlog" | grep -aqx 'audit: releasing ms=300 audit-running-at-release=yes'; then
  fail "$name" "the first audit did not wait for the hart: $(lines "$rlog" | grep -a '^audit: releasing\|^audit: error' || echo 'no releasing line')"
else
  pass "$name: 3 audits passed, the first waited for it"
fi
if [ $status -eq 0 ]; then
  pass "$name: the guest powered off and fsck found its disk clean"
else
  fail "$name: guest" "guest-run status $status (see $rlog)"
fi

echo "audit: $passed passed, $failed failed"
[ $failed -eq 0 ]
