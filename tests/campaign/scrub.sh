#!/bin/sh
# scrub.sh - delivery = scrub end to end: an error reported with no
# consumer (the error record and the supervisor software interrupt,
# kernel/ev6_scrub.c; campaign/gdbscripts/deliver.py) through the real
# orchestrator, injector and classifier, both modes (tests/campaign/scrub.ini).
#
# usage: tests/campaign/scrub.sh      (from the top of the tree)
# environment: KERNEL (default build/kernel-r1f1/kernel), IMAGE (fs.img)
#
# Checks, per mode: devsw, sb and text are repaired in the background (the
# kernel's line names the object GDB damaged with site=scrub
# exit=repaired, no SF/PK/FS line, the run survived: audit, usertests -q,
# audit, fsck) and classified continued; inode is deferred
# (event=deferred reason=needs-consumer), then consumed by readi and
# recovered there (SF); buf is consumed by bget first (interrupts off
# under bcache.lock) and the record then finds it repaired earlier; every
# evidence link holds; an unconsumed deferred error is never survival
# (the classifier's unit test, test-campaign). Ends with
# `campaign-scrub: N passed, N failed`.
set -u
bin=campaign/ev6-campaign
kernel=${KERNEL:-build/kernel-r1f1/kernel}
image=${IMAGE:-fs.img}
work=$(mktemp -d /tmp/ev6-scrub.XXXXXX)
trap 'rm -rf "$work"' EXIT
db=$work/s.db
pass=0
fail=0

expect() { # what got want
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: got '$2', want '$3'"; fi
}
q() { sqlite3 "$db" "$1"; }
console() { # section mode: the run's ev6: lines, fields from event= on
  q "SELECT c.text FROM console_logs c JOIN results r ON r.id = c.run
     WHERE r.section = '$1' AND r.mode = '$2' AND c.stream = 'console'" |
    grep -a 'ev6: event=' | sed 's/.*ev6: //; s/ addr=[^ ]*//; s/ cost=[0-9]*//; s/ mode=[a-z]*//'
}

for f in "$bin" "$kernel" "$image" mkfs/fsck; do
  [ -e "$f" ] || { echo "scrub: $f is missing: build it first"; echo "campaign-scrub: 0 passed, 1 failed"; exit 1; }
done

"$bin" --kernel "$kernel" --image "$image" -d "$db" -j 2 tests/campaign/scrub.ini > "$work/out" 2>&1
expect "campaign exit status" $? 0
for mode in conservative aggressive; do
  for s in devsw-filewrite sb-balloc text-fileread; do
    obj=${s%%-*}
    expect "$s $mode outcome" "$(q "SELECT outcome || ' ' || survived FROM results
      WHERE section = '$s' AND mode = '$mode'")" "continued 1"
    expect "$s $mode report" "$(console $s $mode)" \
      "event=recovered object=$obj index=$(q "SELECT CASE '$obj' WHEN 'devsw' THEN 1 ELSE -1 END") site=scrub strategy=restore exit=repaired"
  done
  expect "inode-readi $mode outcome" "$(q "SELECT outcome || ' ' || survived FROM results
    WHERE section = 'inode-readi' AND mode = '$mode'")" "SF 1"
  expect "inode-readi $mode reports" "$(console inode-readi $mode | sed 's/ index=[0-9]*//' | tr '\n' '|')" \
    "event=deferred object=inode site=scrub reason=needs-consumer|event=recovered object=inode site=readi strategy=initialize exit=SF|"
  expect "buf-bget $mode outcome" "$(q "SELECT outcome || ' ' || survived FROM results
    WHERE section = 'buf-bget' AND mode = '$mode'")" "SF 1"
  expect "buf-bget $mode reports" "$(console buf-bget $mode | sed 's/ index=[0-9]*//' | tr '\n' '|')" \
    "event=recovered object=buf site=bget strategy=initialize exit=SF|event=recovered object=buf site=scrub strategy=repaired-earlier exit=repaired|"
done
expect "every link of every run holds" "$(q "SELECT count(*) FROM run_evidence WHERE state != 'ok'")" 0
expect "delivered by the record's interrupt" "$(q "SELECT count(*) FROM run_evidence
  WHERE link = 'delivered' AND detail LIKE '%took the error record%supervisor-software interrupt%'")" 10
expect "stored as scrub" "$(q "SELECT group_concat(DISTINCT delivery) FROM scenarios")" scrub

[ $fail -eq 0 ] || { echo "--- orchestrator output"; cat "$work/out"; }
echo "campaign-scrub: $pass passed, $fail failed"
[ $fail -eq 0 ]
