#!/bin/sh
# sweep.sh - make sweep: golden run, pruning, a seeded plan, the
# experiments (ev6-campaign), the sweep report.
#
# usage: campaign/sweep/sweep.sh
# Environment (the Makefile sets them; defaults here):
#   SWEEP_DB        database (db/ev6.db)
#   SWEEP_WORKLOAD  the workload the golden run traces and every experiment runs
#   SWEEP_BUDGET    experiments to draw (a number, or all)
#   SWEEP_SEED      the draw's seed
#   SWEEP_JOBS      workers (2)
#   SWEEP_OUT       report directory (reports/out)
# Every step is kept: the golden run of the same kernel and workload is
# not traced again, the same plan continues the same campaign (only jobs
# without a result run). Run from the top of the tree, after
# make TRACE=1 kernel fs.img mkfs/fsck campaign/ev6-campaign campaign/sweep/ev6-sweep.
set -eu
db=${SWEEP_DB:-db/ev6.db}
workload=${SWEEP_WORKLOAD:-stress 2 1; echo hi | wc; usertests pipebasic filebasic forkwait}
budget=${SWEEP_BUDGET:-250}
seed=${SWEEP_SEED:-1}
jobs=${SWEEP_JOBS:-2}
report=${SWEEP_OUT:-reports/out}
kernel=build/kernel-r1f1t1/kernel
dir=build/sweep
die() { echo "sweep: $*" >&2; exit 1; }
case $budget in all) ;; ''|*[!0-9]*|0) die "SWEEP_BUDGET must be a number of experiments or all, not '$budget'" ;; esac
case $seed in ''|*[!0-9]*) die "SWEEP_SEED must be a number, not '$seed'" ;; esac
for f in $kernel fs.img mkfs/fsck campaign/ev6-campaign campaign/sweep/ev6-sweep; do
  [ -f $f ] || die "$f is missing (make sweep builds it)"
done
mkdir -p $dir $(dirname "$db")

sha=$(sha256sum $kernel | cut -d' ' -f1)
key=$(printf '%s\n%s\n' "$sha" "$workload" | sha256sum | cut -c1-12)
trace=$dir/golden-$key
known=0
if [ -f "$db" ]; then
  known=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'golden_runs'")
  [ "$known" -eq 0 ] || known=$(sqlite3 "$db" "SELECT count(*) FROM golden_runs WHERE kernel_sha256 = '$sha'
    AND workload = '$(printf %s "$workload" | sed "s/'/''/g")'")
fi
if [ "$known" -eq 0 ] && [ ! -s $trace.bin ]; then
  echo "sweep: golden run of '$workload' (TRACE=1 kernel, -icount, 1 hart)"
  campaign/sweep/golden.sh $kernel "$workload" $trace
fi
riscv64-unknown-elf-nm -n $kernel > $dir/syms
gdb-multiarch -q -nx -batch -ex "file $kernel" -x campaign/sweep/fields.py > $dir/fields ||
  die "GDB could not read the field table of $kernel"
campaign/sweep/ev6-sweep golden --db "$db" --workload "$workload" --kernel $kernel \
  --syms $dir/syms --fields $dir/fields --trace $trace > $dir/golden.out
cat $dir/golden.out
golden=$(sed -n 's/^golden \([0-9]*\):.*/\1/p' $dir/golden.out)
plan=$dir/plan-g$golden-s$seed-b$budget.ini
campaign/sweep/ev6-sweep plan --db "$db" --golden $golden --budget $budget --seed $seed \
  --workload "$workload" --out $plan
# The report is written even when the campaign ends non-zero (a harness
# error, an interrupt): whatever was recorded is reported, and the
# campaign's status is the sweep's.
status=0
campaign/ev6-campaign -d "$db" -j $jobs --kernel $kernel $plan || status=$?
reports/sweep.sh -o "$report" "$db"
echo "sweep: report in $report/sweep.md"
exit $status
