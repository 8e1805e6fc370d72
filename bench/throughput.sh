#!/bin/sh
# throughput.sh - runs per hour of the local campaign, and where a run's
# time goes (make bench-throughput).
#
# usage: bench/throughput.sh [REPEAT]   (from the top of the tree)
#
# The sample is eight Table 2 scenarios of configs/table2.ini, one per
# kind of object, both modes, each repeated REPEAT times (default 1: 16
# runs). It runs into a fresh database three ways, one after the other:
# with the harts the configs give (3) and 2 workers; with one hart and 2
# workers; with one hart and 3 workers. For each it prints runs per hour,
# the share of the wall time the workers spent in runs, and the mean time
# of each phase of a run (runs table: boot, reach, recovery, survival,
# and the rest: fsck and cleanup). Last, one run whose guest falls silent
# after the error shows what a hang costs under the default timeouts.
# Wall time on a shared machine is noisy: compare the ways of one call.
set -u
repeat=${1:-1}
bin=campaign/ev6-campaign
kernel=build/kernel-r1f1/kernel
sample="buf-bget log-commit file-fileread inode-writei pipe-pipewrite spinlock-log
        cons-consolewrite devsw-filewrite"
for f in "$bin" "$kernel" fs.img mkfs/fsck; do
  [ -e "$f" ] || { echo "throughput: $f is missing: use make bench-throughput" >&2; exit 1; }
done
work=$(mktemp -d /tmp/ev6-throughput.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# The sample's sections, at their own harts and at one.
awk -v want="$sample" -v r="$repeat" '
  BEGIN { n = split(want, a, /[ \n]+/); for(i = 1; i <= n; i++) w["[" a[i] "]"] = 1 }
  /^\[/ { keep = ($0 in w); if(keep) { print; print "repeat = " r; next } }
  keep' configs/table2.ini > "$work/harts.ini"
sed 's/^cpus = .*/cpus = 1/' "$work/harts.ini" > "$work/one.ini"

# way name workers config: run the sample that way, print its line
way() {
  rm -f "$work/db" "$work/db-wal" "$work/db-shm"
  t0=$(date +%s.%N)
  "$bin" --kernel "$kernel" -d "$work/db" -j "$2" "$3" > "$work/out" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  sqlite3 -separator ' ' "$work/db" "
    SELECT count(*), sum(total_ms),
           avg(boot_ms), avg(reach_ms), avg(recovery_ms), avg(survival_ms),
           avg(total_ms - coalesce(boot_ms, 0) - coalesce(reach_ms, 0)
               - coalesce(recovery_ms, 0) - coalesce(survival_ms, 0))
    FROM runs" |
    { read -r runs busy boot reach rec surv rest
      awk -v n="$1" -v w="$2" -v rc="$rc" -v t0="$t0" -v t1="$t1" -v runs="$runs" \
          -v busy="$busy" -v b="$boot" -v re="$reach" -v rv="$rec" -v s="$surv" -v o="$rest" \
        'BEGIN { wall = t1 - t0
                 printf "  %-22s %3d runs in %6.1f s = %5.0f runs/h, workers busy %3.0f%%;" \
                        " mean ms: boot %4.0f reach %4.0f recovery %4.0f survival %5.0f rest %4.0f%s\n",
                        n, runs, wall, runs * 3600 / wall, 100 * busy / 1000 / (w * wall),
                        b, re, rv, s, o, rc ? " (exit status " rc ")" : "" }'; }
}

echo "throughput: $(grep -c '^\[' "$work/harts.ini") scenarios x 2 modes x $repeat, on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
way "3 harts, 2 workers" 2 "$work/harts.ini"
way "1 hart, 2 workers" 2 "$work/one.ini"
way "1 hart, 3 workers" 3 "$work/one.ini"

rm -f "$work/db" "$work/db-wal" "$work/db-shm"
"$bin" --kernel "$kernel" -d "$work/db" tests/campaign/e2e-silent.ini > "$work/out" 2>&1
sqlite3 -separator ' ' "$work/db" "SELECT outcome, total_ms FROM runs" |
  { read -r outcome ms
    echo "  a guest silent after the error: $outcome after $((ms / 1000)) s (survival timeout 300 s)"; }
