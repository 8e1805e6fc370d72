#!/bin/sh
# usertests.sh - run usertests inside the guest and summarise.
#
# usage: tests/usertests.sh [-K kernel] cpus [usertests arguments]
#
# Boots with the given number of harts (and kernel, default kernel/kernel),
# runs usertests, powers off, checks the disk with fsck, and prints one
# line per failed test plus the summary `usertests-NAME: P passed, F failed`
# (NAME says harts and kernel). A guest that panics, hangs or leaves an
# inconsistent disk counts as one more failure. Exit status 0 only when
# everything passed.
set -u
kernel=kernel/kernel
suite=""
if [ "${1:-}" = -K ]; then
  kernel=$2
  suite=-$(basename "$(dirname "$kernel")")
  shift 2
fi
cpus=${1:?usage: tests/usertests.sh [-K kernel] cpus [usertests arguments]}
shift
suite=smp$cpus$suite
mkdir -p build
log=build/usertests-$suite.log
cmd="usertests${*:+ $*}"

tests/guest-run.sh -K "$kernel" -c "$cpus" -t 900 "$log" "$cmd"
guest=$?

# The shell's prompt may precede a line: it has no newline of its own.
results=build/usertests-$suite.results
sed 's/^\(\$ \)*//' "$log" > "$results"
passed=$(grep -ac '^usertest name=[^ ]* result=pass' "$results")
failed=$(grep -ac '^usertest name=[^ ]* result=fail' "$results")
grep -a '^usertest name=[^ ]* result=fail' "$results" | sed 's/^/FAIL: /'
if ! grep -aq '^ALL TESTS PASSED' "$results"; then
  echo "FAIL: usertests did not report ALL TESTS PASSED (see $log)"
  failed=$((failed + 1))
fi
if [ $guest -ne 0 ]; then
  echo "FAIL: guest exit status $guest (see $log)"
  tail -5 "$log"
  failed=$((failed + 1))
fi
echo "usertests-$suite: $passed passed, $failed failed"
[ $failed -eq 0 ]
