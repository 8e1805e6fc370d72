#!/bin/sh
# smoke.sh - a real end-to-end campaign: configs/smoke.ini through QEMU,
# GDB and the kernel's recovery, into a scratch database.
#
# usage: tests/campaign/smoke.sh
#
# Asserts, per run: the error was injected, the kernel's exit is the one
# the scenario's paper column gives for that mode, and the kernel survived
# (usertests -q passed and fsck found the disk clean). Prints FAIL lines
# and `campaign-smoke: N passed, N failed`.
set -u
db=build/campaign/smoke.db
mkdir -p build/campaign
rm -f "$db" "$db-wal" "$db-shm"
campaign/ev6-campaign -j 2 -d "$db" configs/smoke.ini > build/campaign/smoke.out 2>&1
status=$?
if [ $status -ne 0 ]; then
  echo "FAIL: ev6-campaign exited with status $status (see build/campaign/smoke.out)"
  tail -5 build/campaign/smoke.out
fi
sqlite3 -separator ' ' "$db" \
  "SELECT section, mode, injected, exit, paper, survived FROM results ORDER BY section, mode" \
  > build/campaign/smoke.rows 2>&1
pass=0
fail=0
total=$(grep -c . build/campaign/smoke.rows)
while read -r section mode injected exit paper survived; do
  if [ "$injected" = 1 ] && [ "$exit" = "$paper" ] && [ "$survived" = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $section $mode: injected=$injected exit=$exit paper=$paper survived=$survived"
  fi
done < build/campaign/smoke.rows
if [ "$total" -eq 0 ]; then
  echo "FAIL: no runs recorded"
  fail=$((fail + 1))
fi
[ $status -ne 0 ] && fail=$((fail + 1))
echo "campaign-smoke: $pass passed, $fail failed"
[ $fail -eq 0 ]
