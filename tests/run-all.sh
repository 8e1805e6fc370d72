#!/bin/sh
# run-all.sh - run every test suite given as a command, show its output
# and how long it took, and add up the `suite: N passed, N failed` lines
# into one final line.
#
# usage: tests/run-all.sh 'command' ...
# Exit status 0 only if every suite exited 0.
set -u
mkdir -p build
total_pass=0
total_fail=0
status=0
for suite in "$@"; do
  echo "=== $suite"
  out=build/suite.out
  start=$(date +%s)
  sh -c "$suite" > "$out" 2>&1
  rc=$?
  cat "$out"
  echo "--- $(($(date +%s) - start)) s"
  line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  else
    p=0
    f=1
    echo "run-all: '$suite' printed no result line"
  fi
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "run-all: '$suite' exited with status $rc"
  fi
  [ $rc -ne 0 ] && status=1
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
exit $status
