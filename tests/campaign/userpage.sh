#!/bin/sh
# userpage.sh - site = user end to end: configs/beyond.ini's rows that stop
# a hart while it runs wc in user mode (target user[name=wc,...],
# campaign/gdbscripts/userspace.py), through the real orchestrator,
# injector and classifier, both modes. The rows are taken from
# configs/beyond.ini itself (sections pagetable-user-* and userpage-*), so
# the test runs what the campaign runs.
#
# usage: tests/campaign/userpage.sh   (from the top of the tree)
# environment: KERNEL (default build/kernel-r1f1/kernel), IMAGE (fs.img,
# made from this README.md)
#
# Checks, per mode: each error was delivered from user mode (the trap's
# sepc is wc's user pc, stval the physical address damaged) and every
# evidence link holds; the page-table rows (L2, L1, L0: the entry the
# MMU's walk for wc's pc reads) are restored from the replica and wc goes
# on (site=user strategy=restore exit=none, classified continued,
# survived), counting all of README.md's lines and bytes; the clean page of wc's code
# is re-read the same way, wc's output complete; the stack page kills wc
# alone (strategy=discard exit=PK, survived), which prints nothing. Ends
# with `campaign-userpage: N passed, N failed`.
set -u
bin=campaign/ev6-campaign
kernel=${KERNEL:-build/kernel-r1f1/kernel}
image=${IMAGE:-fs.img}
work=$(mktemp -d /tmp/ev6-userpage.XXXXXX)
trap 'rm -rf "$work"' EXIT
db=$work/u.db
ini=$work/userpage.ini
pass=0
fail=0

expect() { # what got want
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: got '$2', want '$3'"; fi
}
q() { sqlite3 "$db" "$1"; }
console() { # section mode: the run's console
  q "SELECT c.text FROM console_logs c JOIN results r ON r.id = c.run
     WHERE r.section = '$1' AND r.mode = '$2' AND c.stream = 'console'"
}
report() { # section mode: its ev6: lines, fields from event= on
  console "$1" "$2" | grep -a 'ev6: event=' |
    sed 's/.*ev6: //; s/ addr=[^ ]*//; s/ cost=[0-9]*//; s/ mode=[a-z]*//'
}
counts() { # section mode: the lines and bytes wc counted (its words are its own)
  console "$1" "$2" | grep -aE '^[0-9]+ [0-9]+ [0-9]+( |$)' | awk '{ print $1, $3 }'
}

for f in "$bin" "$kernel" "$image" mkfs/fsck; do
  [ -e "$f" ] || { echo "userpage: $f is missing: build it first"; echo "campaign-userpage: 0 passed, 1 failed"; exit 1; }
done
[ "$image" -nt README.md ] || { echo "userpage: $image is older than README.md, whose counts wc must print: make fs.img"; echo "campaign-userpage: 0 passed, 1 failed"; exit 1; }
awk '/^\[/ { on = /^\[(pagetable-user-|userpage-)/ } on' configs/beyond.ini > "$ini"
full="$(wc -l < README.md | tr -d ' ') $(wc -c < README.md | tr -d ' ')"
rows="pagetable-user-L2-mmu pagetable-user-L1-mmu pagetable-user-L0-mmu userpage-text-clean userpage-stack-dirty"
expect "the rows of beyond.ini" "$(grep '^\[' "$ini" | tr -d '[]' | tr '\n' ' ')" "$rows "

"$bin" --kernel "$kernel" --image "$image" -d "$db" -j 2 "$ini" > "$work/out" 2>&1
expect "campaign exit status" $? 0
for mode in conservative aggressive; do
  for s in $rows; do
    expect "$s $mode: from user mode, at wc's user pc" "$(q "SELECT json_extract(i.raw, '$.from_priv')
      || ' ' || (json_extract(i.raw, '$.trap.sepc') = json_extract(i.raw, '$.site_pc'))
      || ' ' || (json_extract(i.raw, '$.trap.stval') = json_extract(i.raw, '$.address'))
      || ' ' || json_extract(i.raw, '$.process')
      FROM injections i JOIN results r ON r.id = i.run WHERE r.section = '$s' AND r.mode = '$mode'")" \
      "0 1 1 wc"
  done
  # section, outcome, object, strategy and exit reported, what wc counted
  while read -r s outcome obj how exit out; do
    expect "$s $mode outcome" "$(q "SELECT outcome || ' ' || survived FROM results
      WHERE section = '$s' AND mode = '$mode'")" "$outcome 1"
    expect "$s $mode report" "$(report $s $mode)" \
      "event=recovered object=$obj index=-1 site=user strategy=$how exit=$exit"
    expect "$s $mode: wc's output" "$(counts $s $mode)" "$out"
  done <<ROWS
pagetable-user-L2-mmu continued pagetable restore none $full
pagetable-user-L1-mmu continued pagetable restore none $full
pagetable-user-L0-mmu continued pagetable restore none $full
userpage-text-clean continued page restore none $full
userpage-stack-dirty PK page discard PK
ROWS
done
expect "every link of every run holds" "$(q "SELECT count(*) FROM run_evidence WHERE state != 'ok'")" 0
expect "ten runs" "$(q "SELECT count(*) FROM results")" 10

[ $fail -eq 0 ] || { echo "--- orchestrator output"; cat "$work/out"; }
echo "campaign-userpage: $pass passed, $fail failed"
[ $fail -eq 0 ]
