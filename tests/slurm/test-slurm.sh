#!/bin/sh
# test-slurm.sh - ev6-campaign --executor slurm for real: a single-node
# Slurm cluster on this machine (tests/slurm/cluster.sh, in a scratch
# directory, stopped at the end whatever happens), the smoke campaign
# (configs/smoke.ini, 6 runs under QEMU and GDB) as an array of 3 tasks.
#
# usage: tests/slurm/test-slurm.sh      (from the top of the tree; make
#                                        test-slurm builds and installs what
#                                        it needs first; root or not)
#
# Checks, in order:
#  - errors a user can cause, each a message and a non-zero exit with
#    nothing submitted or written: no sbatch in PATH, a partition that does
#    not exist;
#  - the campaign run locally (-j 2), the reference;
#  - the same campaign as an array of 3 tasks, one of which is cancelled
#    (scancel JOB_1) after its first run: that run is kept, its other job
#    has no result, the command says so and exits 1;
#  - a local run of a copy of that database runs exactly the missing job
#    (resume across executors);
#  - the same Slurm command again submits only the missing job, and
#    finishes: the merged database has the local run's job set, one run
#    per job, and the same outcome counts;
#  - merging the shards again (--merge) copies nothing;
#  - another campaign (--seed 2) submitted with --no-wait, its whole array
#    cancelled after a run: every run it recorded is merged (--merge);
#    its shard is refused by the first campaign, by --merge and in place
#    of a recorded shard, and nothing of it is merged;
#  - a locked database is an error naming it, and nothing is merged;
#  - every daemon is gone at the end (the trap stops them on any exit).
# Prints the wall time and runs per hour of each executor, and ends with
# `slurm: N passed, N failed`.
set -u
bin=$(pwd)/campaign/ev6-campaign
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect() { # what got want
  if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
has() { # what file pattern
  if grep -q -- "$3" "$2"; then ok; else bad "$1: no '$3' in $2:"; sed 's/^/  | /' "$2" | tail -8; fi
}
finish() {
  echo "slurm: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}

for f in "$bin" build/kernel-r1f1/kernel fs.img mkfs/fsck; do
  [ -e "$f" ] || { echo "test-slurm: $f is missing: use make test-slurm"; bad "inputs"; finish; }
done

work=$(mktemp -d /tmp/ev6-slurm.XXXXXX)
cluster=$work/cluster
holder=
orch=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  [ -n "$orch" ] && kill "$orch" 2>/dev/null
  tests/slurm/cluster.sh stop "$cluster"
  for name in munged slurmctld slurmd; do
    if [ -f "$cluster/run/$name.pid" ] && kill -0 "$(cat "$cluster/run/$name.pid")" 2>/dev/null; then
      echo "FAIL: $name still running after stop"
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
t0=$(date +%s)
tests/slurm/cluster.sh start "$cluster" || { bad "the cluster did not start"; finish; }
SLURM_CONF=$cluster/etc/slurm.conf
export SLURM_CONF
echo "test-slurm: cluster up in $(( $(date +%s) - t0 )) s"

q() { sqlite3 "$1" "$2"; }
slurm() { # db out args...: the Slurm executor on the smoke campaign
  db=$1
  out=$2
  shift 2
  "$bin" --executor slurm -d "$db" --shard-dir "$work/shards" "$@" configs/smoke.ini \
    > "$out" 2>&1
}
jobset() { # db: every job with its result, one line each
  q "$1" "SELECT config_file, section, mode, rep, outcome, exit, survived FROM results
          ORDER BY config_file, section, mode, rep"
}

# 1. errors a user can cause
mkdir -p "$work/nobin"
for t in qemu-system-riscv64 qemu-img gdb-multiarch; do
  ln -s "$(command -v $t)" "$work/nobin/$t"
done
PATH=$work/nobin "$bin" --executor slurm -d "$work/e.db" configs/smoke.ini > "$work/e1" 2>&1
expect "no sbatch in PATH: exit status" $? 1
has "no sbatch in PATH: message" "$work/e1" "needs sbatch, squeue, sinfo in PATH"
slurm "$work/e.db" "$work/e2" --partition nosuch
expect "unknown partition: exit status" $? 2
has "unknown partition: message" "$work/e2" "partition nosuch: no such partition (sinfo lists: ev6)"
expect "errors: no database written" "$(ls "$work"/e.db* 2>/dev/null | wc -l)" 0
expect "errors: nothing submitted" "$(squeue -h | wc -l)" 0

# 2. the reference: the campaign run locally
t=$(date +%s)
"$bin" -j 2 -d "$work/local.db" configs/smoke.ini > "$work/local.out" 2>&1
expect "local run: exit status" $? 0
local_s=$(( $(date +%s) - t ))
expect "local run: 6 results" "$(q "$work/local.db" 'SELECT count(*) FROM results')" 6

# 3. an array of 3 tasks; task 1 cancelled after its first run
t=$(date +%s)
slurm "$work/s.db" "$work/s1" --tasks 3 &
orch=$!
shard=
job=
i=0
while [ $i -lt 300 ]; do
  shard=$(ls "$work"/shards/campaign-*/array-1/task-1.db 2>/dev/null)
  job=$(q "$work/s.db" 'SELECT slurm_job FROM slurm_arrays' 2>/dev/null)
  if [ -n "$shard" ] && [ -n "$job" ] &&
     [ "$(q "file:$shard?immutable=1" 'SELECT count(*) FROM runs' 2>/dev/null)" -ge 1 ] 2>/dev/null; then
    break
  fi
  i=$((i + 1))
  sleep 0.5
done
expect "task 1 recorded a run" "$(q "file:$shard?immutable=1" 'SELECT count(*) FROM runs' 2>/dev/null)" 1
scancel "${job}_1"
wait $orch
expect "after scancel of task 1: exit status" $? 1
orch=
has "after scancel: the task is named" "$work/s1" "task 1 of job array $job ended with 1 job of its shard without a result"
has "after scancel: how to go on" "$work/s1" "1 job without a result: run the same command again"
expect "after scancel: 5 results" "$(q "$work/s.db" 'SELECT count(*) FROM results')" 5
expect "the cancelled task's first run is kept" \
  "$(q "$work/s.db" "SELECT count(m.run) FROM merged_runs m JOIN shards s ON s.id = m.shard
                     WHERE s.task = 1 AND s.array = 1")" 1
first_s=$(( $(date +%s) - t ))

# 4. resume across executors: a local run of a copy runs the missing job
q "$work/s.db" ".backup '$work/cross.db'"
"$bin" -j 2 -d "$work/cross.db" configs/smoke.ini > "$work/cross.out" 2>&1
expect "local run after Slurm: exit status" $? 0
has "local run after Slurm: only the missing job" "$work/cross.out" "6 jobs, 5 done, 1 to run"
expect "local run after Slurm: one run per job" \
  "$(q "$work/cross.db" 'SELECT count(*) || " " || count(DISTINCT job) FROM runs')" "6 6"

# 5. the same Slurm command again: only the missing job
t=$(date +%s)
slurm "$work/s.db" "$work/s2" --tasks 3
expect "rerun: exit status" $? 0
rerun_s=$(( $(date +%s) - t ))
has "rerun: only the missing job is submitted" "$work/s2" "1 task for 1 job"
expect "rerun: its shard holds the job that had no result" \
  "$(q "$work/s.db" "SELECT count(*) FROM shard_jobs sj JOIN shards s ON s.id = sj.shard
                     WHERE s.array = 2")" 1
expect "merged: the local run's job set and outcomes" "$(jobset "$work/s.db")" "$(jobset "$work/local.db")"
expect "merged: one run per job, no duplicate" \
  "$(q "$work/s.db" 'SELECT count(*) || " " || count(DISTINCT job) FROM runs')" "6 6"
expect "merged: outcome counts" \
  "$(q "$work/s.db" 'SELECT outcome, count(*) FROM results GROUP BY outcome')" \
  "$(q "$work/local.db" 'SELECT outcome, count(*) FROM results GROUP BY outcome')"
expect "merged: the evidence of every run" \
  "$(q "$work/s.db" "SELECT count(*) FROM console_logs WHERE stream = 'console'")" 6
expect "every task's shard merged" \
  "$(q "$work/s.db" 'SELECT count(*) FROM shards WHERE merged IS NULL')" 0
expect "a Slurm run after a local one has nothing to submit" \
  "$("$bin" --executor slurm -d "$work/local.db" --shard-dir "$work/shards" configs/smoke.ini 2>&1 |
     grep -c submitted)" 0

# 6. merging again copies nothing
"$bin" -d "$work/s.db" $(for f in "$work"/shards/campaign-*/array-*/task-*.db; do
  echo --merge "$f"; done) configs/smoke.ini > "$work/m1" 2>&1
expect "merge again: exit status" $? 0
expect "merge again: no run copied" "$(grep -c 'merged 0 runs' "$work/m1")" 4
expect "merge again: still 6 runs" "$(q "$work/s.db" 'SELECT count(*) FROM runs')" 6

# 7. another campaign (--seed 2), submitted without following, the whole
# array cancelled once it has recorded a run: what it recorded is kept,
# and its shards are foreign to the first campaign
slurm "$work/other.db" "$work/o1" --seed 2 --tasks 2 --no-wait
expect "--no-wait: exit status" $? 0
has "--no-wait: says how to follow" "$work/o1" "not following (--no-wait)"
odir=$(q "$work/other.db" 'SELECT dir FROM slurm_arrays')
ojob=$(q "$work/other.db" 'SELECT slurm_job FROM slurm_arrays')
orecorded() {
  n=0
  for f in "$odir"/task-*.db; do
    n=$((n + $(q "file:$f?immutable=1" 'SELECT count(*) FROM runs' 2>/dev/null || echo 0)))
  done
  echo $n
}
i=0
while [ "$(orecorded)" -lt 1 ] && [ $i -lt 300 ]; do
  i=$((i + 1))
  sleep 0.5
done
scancel "$ojob"
i=0
while [ -n "$(squeue -h -j "$ojob" 2>/dev/null)" ] && [ $i -lt 120 ]; do
  i=$((i + 1))
  sleep 0.5
done
seen=$(orecorded)
expect "the cancelled array had recorded a run" "$([ "$seen" -ge 1 ] && echo yes)" yes
"$bin" -d "$work/other.db" --seed 2 --merge "$odir/task-0.db" --merge "$odir/task-1.db" \
  configs/smoke.ini > "$work/o2" 2>&1
expect "merge of the cancelled array: exit status" $? 0
expect "scancel of the array lost no recorded run" \
  "$(q "$work/other.db" 'SELECT count(*) FROM runs')" "$seen"
foreign=$odir/task-0.db
"$bin" -d "$work/s.db" --merge "$foreign" configs/smoke.ini > "$work/f1" 2>&1
expect "foreign shard (--merge): exit status" $? 1
has "foreign shard (--merge): message" "$work/f1" "refused: it is a shard of another campaign: its seed is 2, campaign 1's 1; nothing was merged from it"
recorded=$(q "$work/s.db" 'SELECT path FROM shards WHERE array = 2')
cp "$recorded" "$work/saved.db"
cp "$foreign" "$recorded"
slurm "$work/s.db" "$work/f2"
expect "foreign shard in place of a recorded one: exit status" $? 1
has "foreign shard in place of a recorded one: message" "$work/f2" "shard $recorded refused: it is a shard of another campaign"
expect "foreign shard: nothing merged" "$(q "$work/s.db" 'SELECT count(*) FROM runs')" 6
cp "$work/saved.db" "$recorded"

# 8. a locked database: sqlite3 holds a write transaction open
mkfifo "$work/lock"
sqlite3 "$work/s.db" < "$work/lock" > /dev/null 2>&1 &
holder=$!
exec 3> "$work/lock"
echo 'BEGIN IMMEDIATE; SELECT 1;' >&3
sleep 1
"$bin" -d "$work/s.db" --merge "$recorded" configs/smoke.ini > "$work/l1" 2>&1
expect "locked database: exit status" $? 1
has "locked database: message" "$work/l1" "database $work/s.db is locked by another process"
echo 'COMMIT;' >&3
exec 3>&-
wait "$holder"
holder=
expect "locked database: nothing merged" "$(q "$work/s.db" 'SELECT count(*) FROM runs')" 6

# Throughput on this machine, for the record (not checked: wall time).
echo "test-slurm: local executor (-j 2): 6 runs in $local_s s = $((6 * 3600 / (local_s > 0 ? local_s : 1))) runs/h"
echo "test-slurm: Slurm executor (3 tasks, 1 worker each, 2 CPUs): 5 runs in $first_s s with task 1 cancelled, then 1 run in $rerun_s s"
finish
