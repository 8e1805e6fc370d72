#!/bin/sh
# usertests.sh - run usertests inside the guest and summarise.
#
# usage: tests/usertests.sh cpus [usertests arguments]
#
# Boots with the given number of harts, runs usertests, powers off, checks
# the disk with fsck, and prints one line per failed test plus the summary
# `usertests-smpN: P passed, F failed`. A guest that panics, hangs or leaves
# an inconsistent disk counts as one more failure. Exit status 0 only when
# everything passed.
set -u
cpus=${1:?usage: tests/usertests.sh cpus [usertests arguments]}
shift
mkdir -p build
log=build/usertests-smp$cpus.log
cmd="usertests${*:+ $*}"

tests/guest-run.sh -c "$cpus" -t 900 "$log" "$cmd"
guest=$?

# The shell's prompt may precede a line: it has no newline of its own.
results=build/usertests-smp$cpus.results
sed 's/^\(\$ \)*//' "$log" > "$results"
passed=$(grep -c '^usertest name=[^ ]* result=pass' "$results")
failed=$(grep -c '^usertest name=[^ ]* result=fail' "$results")
grep '^usertest name=[^ ]* result=fail' "$results" | sed 's/^/FAIL: /'
if ! grep -q '^ALL TESTS PASSED' "$results"; then
  echo "FAIL: usertests did not report ALL TESTS PASSED (see $log)"
  failed=$((failed + 1))
fi
if [ $guest -ne 0 ]; then
  echo "FAIL: guest exit status $guest (see $log)"
  tail -5 "$log"
  failed=$((failed + 1))
fi
echo "usertests-smp$cpus: $passed passed, $failed failed"
[ $failed -eq 0 ]
