#!/bin/sh
# drivers.sh - the driver tasks' measurements (docs/drivers.md), into the
# benchmark database's drv_* tables (db/migrations/008-drivers.sql); make
# report shows them.
#
# usage: bench/drivers.sh [-d database] [-b base-commit] [--quick]
#
# Four boots at 1 hart:
#   detect   FAULTS=1 kernel, no -icount (a device's latency is the host's,
#            and -icount's idle warp would age waits by it): every fault of
#            tests/drivers/faults.txt (the disk task) and of
#            tests/drivers/uart-faults.txt (the UART task) under the
#            in-kernel detector and the heartbeat at 1 s, the hangs at 5 s
#            too (--quick: not 5 s)
#   monitor  -icount: 2 (the disk and the UART), 4, 16, 32 driver tasks
#            (idle test drivers added),
#            each idle for a while with no detector, the in-kernel one, and
#            the heartbeat at 1 s and at 20 ms (whose detection, 40-60 ms,
#            matches the in-kernel one's): messages, monitor time, checks,
#            busy time
#   request  -icount, the in-kernel detector off (its stamps and the I/O
#            log stay): usertests -q on this kernel and on the direct-call
#            drivers built from base-commit (default: the last commit
#            before driver tasks); the busy-time difference per request;
#            then console writes of 1, 16 and 128 bytes on both kernels
#            (drvtest cons): the UART's message boundary per write
# The database must exist and hold the drv_* tables (make bench's ev6-bench
# creates and migrates it). Prints one line per figure stored.
set -u
db=db/ev6.db
base=fc2ad0820d81ab55c472966efbd4c03f0fc107e6
quick=0
while [ $# -gt 0 ]; do
  case $1 in
  -d) db=$2; shift 2 ;;
  -b) base=$2; shift 2 ;;
  --quick) quick=1; shift ;;
  *) echo "usage: bench/drivers.sh [-d database] [-b base-commit] [--quick]" >&2; exit 2 ;;
  esac
done
die() { echo "bench/drivers.sh: $*" >&2; exit 1; }
for f in kernel/kernel build/kernel-r1f1/kernel fs.img mkfs/fsck; do
  [ -f $f ] || die "$f is missing: make all mkfs/fsck; make FAULTS=1 kernel"
done
command -v sqlite3 >/dev/null || die "sqlite3 not found (make deps)"
[ -f "$db" ] || die "database $db does not exist: make bench creates it"
n=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'drv_console'") ||
  die "cannot read $db"
[ "$n" = 1 ] || die "$db lacks the drv_* tables (schema 11): make bench migrates it"
git cat-file -e "$base^{commit}" 2>/dev/null || die "base commit $base is not in this repository"

out=build/bench/drivers
mkdir -p $out
icount="-icount shift=4,sleep=off"

# The direct-call kernel, built once per base commit.
basek=$out/base-$base/kernel/kernel
if [ ! -f $basek ]; then
  rm -rf $out/base-$base
  mkdir -p $out/base-$base
  git archive "$base" | tar -x -C $out/base-$base || die "cannot unpack $base"
  make -s -C $out/base-$base kernel/kernel > $out/base-build.log 2>&1 ||
    die "cannot build the base kernel (see $out/base-build.log)"
fi

sql() { sqlite3 -bail "$db" "$@" || die "sqlite3 failed on $db"; }
session=$(sql "INSERT INTO drv_sessions (started, git_commit, base_commit, host_load)
  VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '$(git rev-parse HEAD)', '$base',
          '$(cut -d' ' -f1 /proc/loadavg)') RETURNING id;")

# field LINE KEY: the value of KEY=value in LINE.
field() { printf '%s\n' "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
guest() {	# log kernel qemu-opts command...
  log=$1 k=$2 opts=$3
  shift 3
  GUEST_QEMU_OPTS=$opts tests/guest-run.sh -K $k -c 1 -t 1200 $log "$@" ||
    die "guest failed (status $?; see $log)"
}

# ------------------------------------------------------------- detection
cmds=""
for task in fault:faults uart:uart-faults; do
  cmd=${task%%:*} rows=tests/drivers/${task#*:}.txt
  for f in $(awk '!/^#/ && NF { print $1 }' $rows); do
    cmds="$cmds|drvtest $cmd $f kernel|drvtest $cmd $f heartbeat 1000"
  done
  if [ $quick = 0 ]; then
    for f in $(awk '!/^#/ && NF && $6 != "trap" { print $1 }' $rows); do
      cmds="$cmds|drvtest $cmd $f heartbeat 5000"
    done
  fi
done
set -f
IFS='|'
# shellcheck disable=SC2086
guest $out/detect.log build/kernel-r1f1/kernel "" ${cmds#|}
unset IFS
set +f
grep -a '^drvtest: result=pass' $out/detect.log | while read -r line; do
  sql "INSERT INTO drv_detect (session, fault, detector, period_ms, why, reinit, detect_us,
    detect_ticks, restart_us, back_us, user_us, driver) VALUES
    ($session, '$(field "$line" fault)', '$(field "$line" detector)',
    $(field "$line" period_ms), '$(field "$line" why)', $(field "$line" reinit),
    $(field "$line" detect_us), $(field "$line" detect_ticks), $(field "$line" restart_us),
    $(field "$line" back_us), $(field "$line" user_us), '$(field "$line" task)');"
done
[ "$(sql "SELECT count(*) FROM drv_detect WHERE session = $session")" -gt 0 ] ||
  die "no fault was measured (see $out/detect.log)"

# -------------------------------------------------------------- monitors
secs=2
cmds=""
have=2
for tasks in 2 4 16 32; do
  [ $tasks -gt $have ] && cmds="$cmds|drvtest idle $((tasks - have))"
  have=$tasks
  cmds="$cmds|drvtest cost $secs none|drvtest cost $secs kernel|drvtest cost $secs heartbeat 1000"
  cmds="$cmds|drvtest cost $secs heartbeat 20"
done
set -f
IFS='|'
# shellcheck disable=SC2086
guest $out/monitor.log kernel/kernel "$icount" ${cmds#|}
unset IFS
set +f
grep -a '^drvtest: cost ' $out/monitor.log | while read -r line; do
  sql "INSERT INTO drv_monitor VALUES ($session, $(field "$line" tasks), '$(field "$line" detector)',
    $(field "$line" period_ms), $(field "$line" msgs_per_s), $(field "$line" hb_time_us),
    $(field "$line" checks), $(field "$line" check_time_us), $(field "$line" busy_us),
    $(field "$line" interval_us));"
done

# -------------------------------------------------------------- requests
busy_of() { awk '/^usertest name=.* result=pass/ { for (i = 1; i <= NF; i++) if ($i ~ /^busy=/) { sub(/busy=/, "", $i); s += $i } }
                 END { print s + 0 }' "$1"; }
cons="drvtest cons 200 1|drvtest cons 200 16|drvtest cons 200 128"
set -f
IFS='|'
# shellcheck disable=SC2086
guest $out/request-tasks.log kernel/kernel "$icount" 'drvtest detector none' 'drvtest units' 'usertests -q' 'drvtest units' $cons
# shellcheck disable=SC2086
guest $out/request-direct.log $basek "$icount" 'usertests -q' $cons
unset IFS
set +f
grep -aq '^ALL TESTS PASSED' $out/request-tasks.log || die "usertests failed on the task kernel"
grep -aq '^ALL TESTS PASSED' $out/request-direct.log || die "usertests failed on the direct-call kernel"
# Requests both real tasks served (usertests' console output is UART requests).
requests=0
for task in disk uart; do
  u0=$(grep -a "^drvtest: task=$task" $out/request-tasks.log | head -1)
  u1=$(grep -a "^drvtest: task=$task" $out/request-tasks.log | tail -1)
  requests=$(( requests + $(field "$u1" units) - $(field "$u0" units) ))
done
for k in tasks direct; do
  grep -a '^drvtest: cons ' $out/request-$k.log | while read -r line; do
    sql "INSERT INTO drv_console VALUES ($session, '$k', $(field "$line" bytes), $(field "$line" writes),
      $(field "$line" time), $(field "$line" busy));"
  done
done
[ "$(sql "SELECT count(*) FROM drv_console WHERE session = $session")" = 6 ] ||
  die "the console writes were not all measured (see $out/request-*.log)"
sql "INSERT INTO drv_request VALUES ($session, 'tasks', $(busy_of $out/request-tasks.log), $requests);
     INSERT INTO drv_request VALUES ($session, 'direct', $(busy_of $out/request-direct.log), NULL);
     UPDATE drv_sessions SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = $session;"
sqlite3 -header -column "$db" ".read reports/sql/drivers.sql" ".read reports/sql/drivers_cost.sql" \
  ".read reports/sql/drivers_request.sql" ".read reports/sql/drivers_console.sql"
