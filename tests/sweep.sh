#!/bin/sh
# sweep.sh - the sweep end to end at a small scale (make sweep's steps on
# a workload of its own):
#  1. golden run: the TRACE=1 kernel records the accesses of `echo hi | wc;
#     ls` (nothing lost); ev6-sweep stores them with functions,
#     fields and instruction counts: bget reads a buf's fields, filealloc
#     writes a file's ref, readi copies buf data with memmove;
#  2. pruning: every word's intervals cover exactly bytes x instructions
#     (the classes partition the raw space), a whole-word write closes a
#     masked interval, a read an experiment, and both kinds exist;
#  3. the plan: the same seed draws the same experiments (the same INI),
#     another seed others; a bad budget is refused with a message;
#  4. two chosen experiments (ev6-sweep plan --classes: iget's first
#     reads of an inode slot's ref and dev) through ev6-campaign on the TRACE=1 kernel: no harness error,
#     both errors delivered at that read (GDB names the function) and
#     reported by the kernel for that object, and by then the kernel has
#     cleared the shadow's marks (the rest of the run calls no hook);
#  5. a buffer named by its block (bcache.buf[block=N]) that sits in
#     another slot than in the golden run (`wc README.md` first) still gets
#     its error at the read the class stands for;
#  6. the report: reports/sweep.sh writes sweep.md with the survival
#     interval and the matrix (SVG and PNG).
# Prints ok/FAIL per check and `sweep: N passed, N failed`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
kernel=build/kernel-r1f1t1/kernel
for f in $kernel fs.img mkfs/fsck campaign/ev6-campaign campaign/sweep/ev6-sweep; do
  [ -f $f ] || { echo "$0: $f is missing (make TRACE=1 kernel fs.img mkfs/fsck campaign/ev6-campaign campaign/sweep/ev6-sweep)" >&2; exit 2; }
done
tmp=$(mktemp -d /tmp/sweep-test.XXXXXX)
[ -n "${SWEEP_TEST_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {	# name, then a command that must succeed
  name=$1; shift
  if "$@" > "$tmp/out" 2>&1; then echo "ok   $name"; pass=$((pass + 1))
  else echo "FAIL $name"; sed 's/^/     /' "$tmp/out" | head -20; fail=$((fail + 1)); fi
}
q() { sqlite3 "$tmp/db" "$1"; }
yes_() { [ "$(q "$1")" -gt 0 ]; }
zero() { [ "$(q "$1")" -eq 0 ]; }

w='echo hi | wc; ls'
check "golden run records the workload" campaign/sweep/golden.sh $kernel "$w" "$tmp/g"
check "nothing lost" grep -q ' lost=0' "$tmp/g.ready"
riscv64-unknown-elf-nm -n $kernel > "$tmp/syms"
gdb-multiarch -q -nx -batch -ex "file $kernel" -x campaign/sweep/fields.py > "$tmp/fields"
check "ev6-sweep golden stores and prunes it" campaign/sweep/ev6-sweep golden --db "$tmp/db" \
  --workload "$w" --kernel $kernel --syms "$tmp/syms" --fields "$tmp/fields" --trace "$tmp/g"
check "bget reads buf fields" yes_ "SELECT count(*) FROM trace_accesses WHERE function = 'bget'
  AND object = 'buf' AND op = 'r' AND field IN ('dev', 'blockno', 'refcnt')"
check "filealloc reads file.ref, sys_open writes file.off" yes_ "SELECT count(*) = 2 FROM (SELECT DISTINCT function
  FROM trace_accesses WHERE object = 'file' AND ((function = 'filealloc' AND field = 'ref' AND op = 'r')
  OR (function = 'sys_open' AND field = 'off' AND op = 'w')))"
check "memmove reads buf.data" yes_ "SELECT count(*) FROM trace_accesses WHERE function = 'memmove'
  AND field = 'data' AND op = 'r' AND length > 8"
check "instructions increase" zero "SELECT count(*) FROM trace_accesses a JOIN trace_accesses b
  ON b.golden = a.golden AND b.seq = a.seq + 1 WHERE b.insn < a.insn"
check "classes partition bytes x instructions" zero "SELECT count(*) FROM (SELECT sum(c.weight) AS w,
  max(c.bytes) * g.insns AS want FROM sweep_classes c JOIN golden_runs g ON g.id = c.golden
  GROUP BY c.expr, c.idx, c.word) WHERE w != want"
check "a whole-word write closes a masked class" yes_ "SELECT count(*) FROM sweep_classes c
  JOIN trace_accesses a ON a.golden = c.golden AND a.insn = c.end_insn AND a.expr = c.expr
  AND a.idx = c.idx AND a.op = 'w' AND a.offset <= c.word AND a.offset + a.length >= c.word + c.bytes
  WHERE c.kind = 'masked'"
check "a read closes an experiment" zero "SELECT count(*) FROM sweep_classes c
  JOIN trace_accesses a ON a.golden = c.golden AND a.insn = c.end_insn AND a.expr = c.expr
  AND a.idx = c.idx AND a.offset <= c.word AND a.offset + a.length > c.word AND a.op = 'r'
  WHERE c.kind = 'masked'"
check "both kinds exist" yes_ "SELECT count(DISTINCT kind) - 1 FROM sweep_classes"

plan() { campaign/sweep/ev6-sweep plan --db "$tmp/db" --golden 1 --budget "$1" --seed "$2" --workload "$w" --out "$3" > /dev/null; }
plan 2 7 "$tmp/p1.ini"; plan 2 7 "$tmp/p2.ini"; plan 2 8 "$tmp/p3.ini"
check "the same seed draws the same plan" cmp "$tmp/p1.ini" "$tmp/p2.ini"
check "another seed draws another" sh -c "! cmp -s '$tmp/p1.ini' '$tmp/p3.ini'"
check "two experiments drawn" test "$(grep -c '^\[sweep-' "$tmp/p1.ini")" -eq 2
check "a bad budget is refused" sh -c "! campaign/sweep/ev6-sweep plan --db '$tmp/db' --golden 1 --budget lots --seed 1 --workload x --out '$tmp/p4.ini' 2>'$tmp/e' && grep -q 'budget lots' '$tmp/e'"

# The runs: two classes whose moment every replay meets (a replay may take
# other paths than the golden run: buffers and blocks move, and so does
# the order of two processes' accesses to a shared file, or of the
# kernel's replicas; the first reads of an inode slot, by iget, stay put).
first_iget() { q "SELECT min(id) FROM sweep_classes WHERE kind = 'experiment' AND expr = 'itable.inode'
  AND closer = 'iget' AND field = '$1' AND opener IS NULL AND idx > 0"; }
c1=$(first_iget ref)
c2=$(first_iget dev)
check "chosen classes" campaign/sweep/ev6-sweep plan --db "$tmp/db" --golden 1 --classes "$c1,$c2" \
  --workload "$w" --out "$tmp/p5.ini"
check "ev6-campaign runs the experiments" campaign/ev6-campaign -d "$tmp/db" -j 2 --kernel $kernel "$tmp/p5.ini"
check "no harness error" zero "SELECT count(*) FROM runs WHERE outcome = 'harness-error'"
check "both errors delivered at the read, GDB naming it" yes_ "SELECT count(*) = 2 FROM injections i JOIN runs r ON r.id = i.run
  WHERE r.injected = 1 AND i.function = 'iget' AND json_extract(i.raw, '$.watch.address') IS NOT NULL"
check "after the moment no access calls a hook (the shadow is clear)" yes_ "SELECT count(*) = 2
  FROM injections i JOIN runs r ON r.id = i.run WHERE r.injected = 1
  AND json_extract(i.raw, '$.shadow_marked') = 0"
check "the kernel reported each object" yes_ "SELECT count(*) = 2 FROM runs r JOIN jobs j ON j.id = r.job
  JOIN scenarios s ON s.id = j.scenario JOIN ev6_events e ON e.run = r.id AND e.object = s.object
  WHERE r.injected = 1"

# A buffer by its block: the first block of ls (exec reads each program's
# ELF header, 64 bytes at the start of its first block, with memmove; ls
# is the last program: the record ends as `trace dump`'s exec begins),
# and the class its header's first word ends, run after `wc README.md`
# has cycled 36 blocks through the cache, so the block lands in another
# slot than in the golden run.
# The experiment names the block and counts its accesses: the error is
# still delivered at the read the class stands for, in the slot that
# holds the block then.
b=$(q "SELECT block FROM trace_accesses WHERE function = 'memmove' AND field = 'data' AND length = 64
  AND offset = (SELECT min(offset) FROM trace_accesses WHERE expr = 'bcache.buf' AND field = 'data')
  ORDER BY seq DESC LIMIT 1")
c3=$(q "SELECT id FROM sweep_classes WHERE kind = 'experiment' AND expr = 'bcache.buf' AND block = ${b:-0}
  AND closer = 'memmove' AND block_hit = 1 ORDER BY end_insn LIMIT 1")
check "the plan names a buffer by its block" sh -c "campaign/sweep/ev6-sweep plan --db '$tmp/db' --golden 1 \
  --classes '$c3' --workload 'wc README.md; $w' --out '$tmp/p6.ini' && grep -q '^target = global:bcache.buf\[block=$b\];offset:' '$tmp/p6.ini'"
check "ev6-campaign runs it" campaign/ev6-campaign -d "$tmp/db" -j 1 --kernel $kernel "$tmp/p6.ini"
block_run="FROM injections i JOIN runs r ON r.id = i.run JOIN jobs j ON j.id = r.job
  JOIN scenarios s ON s.id = j.scenario JOIN sweep_classes c ON s.section = 'sweep-' || c.id WHERE c.id = $c3"
check "the block sat in another slot than in the golden run" yes_ "SELECT count(*) $block_run
  AND json_extract(i.raw, '$.where') != 'bcache.buf[' || c.idx || ']'"
check "the error went into that slot, at the read of the block" yes_ "SELECT count(*) $block_run
  AND r.injected = 1 AND i.function = 'memmove' AND json_extract(i.raw, '$.block') = c.block
  AND json_extract(i.raw, '$.resolved.index') = json_extract(i.raw, '$.index')"
check "the kernel reported that slot" yes_ "SELECT count(*) $block_run
  AND EXISTS (SELECT 1 FROM ev6_events e WHERE e.run = r.id AND e.object = 'buf'
  AND e.idx = json_extract(i.raw, '$.index'))"
check "sweep report" reports/sweep.sh -o "$tmp/report" "$tmp/db"
check "it gives the survival interval" grep -q '^| consumed .*\[.*\]' "$tmp/report/sweep.md"
check "and the matrix" sh -c "test -s '$tmp/report/sweep-matrix.svg' && test -s '$tmp/report/sweep-matrix.png'"
echo "sweep: $pass passed, $fail failed"
[ $fail -eq 0 ]
