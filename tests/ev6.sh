#!/bin/sh
# ev6.sh - Ev6 recovery tests through the ev6_inject system call.
#
# usage: tests/ev6.sh [kernel]     (default build/kernel-r1f1/kernel)
#
# For each mode, every scenario of tests/ev6/scenarios.txt expected to
# survive runs in one boot, in sequence; then `usertests -q` must pass and
# fsck must find the disk clean. A scenario passes when the kernel printed
# its `ev6: event=recovered` line with the expected object and exit, and
# ev6test observed that exit from user space. Each scenario expected to
# fail-stop boots alone: QEMU must exit with status 4 after an
# `ev6: event=failstop` line naming the object, with the disk still clean.
# Prints FAIL lines and `ev6: N passed, N failed`.
set -u
kernel=${1:-build/kernel-r1f1/kernel}
scen=tests/ev6/scenarios.txt
mkdir -p build/ev6
pass=0
fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }

# scenarios MODE-COLUMN: print "object site action expected" lines
scenarios() {
  grep -v '^#' "$scen" | awk -v c="$1" 'NF >= 5 { print $1, $2, $3, $c }'
}

for mode in conservative aggressive; do
  col=4
  [ $mode = aggressive ] && col=5
  log=build/ev6/$mode.log

  # Survivors, in one boot.
  set --
  while read -r obj site action want; do
    [ "$want" = FS ] && continue
    set -- "$@" "ev6test $mode $obj $site $action"
  done <<EOF2
$(scenarios $col)
EOF2
  tests/guest-run.sh -K "$kernel" -t 300 "$log" "$@" 'usertests -q'
  status=$?
  sed 's/^\(\$ \)*//' "$log" > "$log.lines"
  while read -r obj site action want; do
    [ "$want" = FS ] && continue
    name="$mode $obj/$site/$action"
    if grep -aq "^ev6test object=$obj site=$site mode=$mode observed=$want\$" "$log.lines" &&
       grep -aq "ev6: event=recovered object=$obj .* exit=$want mode=$mode" "$log.lines"; then
      ok
    else
      bad "$name: expected $want; got: $(grep -a "^ev6test object=$obj site=$site mode=$mode" "$log.lines" | head -1)"
    fi
  done <<EOF2
$(scenarios $col)
EOF2
  if [ $status -eq 0 ] && grep -aq '^ALL TESTS PASSED' "$log.lines"; then
    ok
  else
    bad "$mode: usertests or fsck after recovery (guest status $status, see $log)"
  fi

  # Fail-stops, one boot each.
  while read -r obj site action want; do
    [ "$want" = FS ] || continue
    flog=build/ev6/$mode-$obj-$site-$action.log
    tests/guest-run.sh -K "$kernel" -t 60 "$flog" "ev6test $mode $obj $site $action" </dev/null
    status=$?
    fsobj=$obj
    [ "$action" = nested ] && fsobj=shepherd
    if [ $status -eq 4 ] && grep -aq "ev6: event=failstop object=$fsobj " "$flog" &&
       grep -aq '^fsck: .*clean' "$flog"; then
      ok
    else
      bad "$mode $obj/$site/$action: expected a fail-stop (guest status $status, see $flog)"
    fi
  done <<EOF2
$(scenarios $col)
EOF2
done

echo "ev6: $pass passed, $fail failed"
[ $fail -eq 0 ]
