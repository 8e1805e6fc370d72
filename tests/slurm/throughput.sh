#!/bin/sh
# throughput.sh - runs per hour of the local executor and of the Slurm
# executor on the same campaign, on this machine (make bench-slurm).
#
# usage: tests/slurm/throughput.sh [REPEAT [ROUNDS]]
#        (from the top of the tree; make bench-slurm builds first)
#
# The campaign is configs/smoke.ini with every scenario repeated REPEAT
# times (default 4: 24 runs). A single-node cluster (cluster.sh) runs in
# a scratch directory, stopped at the end. Each round runs the campaign
# into a fresh database three ways, one after the other: locally with
# -j 2; as a job array of 2 tasks of 1 worker (the same two job slots);
# and as one task per job (the most scheduling per run). For each it
# prints the wall time, runs per hour, and the share of the wall time the
# two job slots spent in runs (the sum of runs.total_ms over 2 x wall):
# what the executor costs, which the machine's load moves less than it
# moves the wall time. Compare the ways within one round.
set -u
repeat=${1:-4}
rounds=${2:-2}
bin=campaign/ev6-campaign
for f in "$bin" build/kernel-r1f1/kernel fs.img mkfs/fsck; do
  [ -e "$f" ] || { echo "throughput: $f is missing: use make bench-slurm" >&2; exit 1; }
done
work=$(mktemp -d /tmp/ev6-throughput.XXXXXX)
trap 'tests/slurm/cluster.sh stop "$work/cluster"; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
awk -v r="$repeat" '{ print } /^\[/ { print "repeat = " r }' configs/smoke.ini > "$work/smoke.ini"
tests/slurm/cluster.sh start "$work/cluster" > /dev/null || exit 1
SLURM_CONF=$work/cluster/etc/slurm.conf
export SLURM_CONF

# way name args...: run the campaign that way, print its line
way() {
  name=$1
  shift
  rm -rf "$work/db" "$work/db-wal" "$work/db-shm" "$work/shards"
  t0=$(date +%s.%N)
  "$bin" -d "$work/db" "$@" "$work/smoke.ini" > "$work/out" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  sqlite3 "$work/db" "SELECT count(*), sum(total_ms) FROM results" | tr '|' ' ' |
    { read -r runs busy_ms
      awk -v n="$name" -v rc="$rc" -v t0="$t0" -v t1="$t1" -v runs="$runs" -v busy="$busy_ms" \
        'BEGIN { wall = t1 - t0
                 printf "  %-28s %3d runs in %6.1f s = %5.0f runs/h, slots busy %3.0f%%%s\n",
                        n, runs, wall, runs * 3600 / wall, 100 * busy / 1000 / (2 * wall),
                        rc ? " (exit status " rc ")" : "" }'; }
}

echo "throughput: configs/smoke.ini x $repeat, on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  echo "round $r:"
  way "local -j 2" -j 2
  way "slurm, 2 tasks x 1 worker" --executor slurm --shard-dir "$work/shards" --tasks 2 -j 1
  way "slurm, 1 task per job" --executor slurm --shard-dir "$work/shards" --tasks 1000 -j 1
done
