#!/bin/sh
# ev6.sh - Ev6 recovery tests through the ev6_inject system call.
#
# usage: tests/ev6.sh [kernel]     (default build/kernel-r1f1/kernel)
#
# For each mode, every scenario of tests/ev6/scenarios.txt expected to
# survive runs in one boot, in sequence; then `usertests -q` must pass and
# fsck must find the disk clean. A scenario passes when the kernel printed
# its `ev6: event=recovered` line with the expected object and exit, and
# ev6test observed that exit from user space with no page leaked (the
# unwound call's or killed process's memory all came back). Each scenario expected to
# fail-stop boots alone: QEMU must exit with status 4 after an
# `ev6: event=failstop` line naming the object, with the disk still clean.
# The concurrent rows of tests/ev6/together.txt run in one more boot per
# mode at 3 harts, then `usertests -q` and fsck: each row must show the
# expected exits in user space and the expected ev6 object/exit pairs.
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
    if grep -aq "^ev6test object=$obj site=$site mode=$mode observed=$want leaked=0\$" "$log.lines" &&
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
    if [ $status -eq 4 ] && grep -aq "ev6: event=failstop object=$obj " "$flog" &&
       grep -aq '^fsck: .*clean' "$flog"; then
      ok
    else
      bad "$mode $obj/$site/$action: expected a fail-stop (guest status $status, see $flog)"
    fi
  done <<EOF2
$(scenarios $col)
EOF2
done

# Concurrent errors: one boot per mode.
together=tests/ev6/together.txt
for mode in conservative aggressive; do
  col=2
  [ $mode = aggressive ] && col=3
  log=build/ev6/together-$mode.log
  set --
  for row in $(grep -v '^#' "$together" | awk 'NF >= 5 { print $1 }'); do
    set -- "$@" "ev6test $mode together $row"
  done
  tests/guest-run.sh -K "$kernel" -c 3 -t 300 "$log" "$@" 'usertests -q'
  status=$?
  # Per row: "ROW OBSERVED EVENTS", events being the distinct object/exit
  # pairs of the recovered lines printed since the previous row ended.
  sed 's/^\(\$ \)*//' "$log" | awk '
    /^ev6: event=recovered / {
      o = ""; x = ""
      for(i = 1; i <= NF; i++){
        if($i ~ /^object=/) o = substr($i, 8)
        if($i ~ /^exit=/) x = substr($i, 6)
      }
      seen[o "/" x] = 1
    }
    /^ev6test together=/ {
      split($2, r, "="); split($4, ob, "=")
      n = 0
      for(k in seen) keys[++n] = k
      for(i = 1; i <= n; i++) for(j = i + 1; j <= n; j++)
        if(keys[j] < keys[i]){ t = keys[i]; keys[i] = keys[j]; keys[j] = t }
      ev = ""
      for(i = 1; i <= n; i++) ev = ev (i > 1 ? "," : "") keys[i]
      print r[2], ob[2], (ev == "" ? "-" : ev)
      delete seen; delete keys
    }' > "$log.rows"
  while read -r row want_c want_a events paper; do
    want=$want_c
    [ $mode = aggressive ] && want=$want_a
    if grep -q "^$row $want $events\$" "$log.rows"; then
      ok
    else
      bad "$mode together $row: expected $want $events; got: $(grep "^$row " "$log.rows")"
    fi
  done <<EOF2
$(grep -v '^#' "$together" | awk 'NF >= 5')
EOF2
  if [ $status -eq 0 ] && grep -aq 'ALL TESTS PASSED' "$log"; then
    ok
  else
    bad "$mode together: usertests or fsck after recovery (guest status $status, see $log)"
  fi
done

echo "ev6: $pass passed, $fail failed"
[ $fail -eq 0 ]
