#!/bin/sh
# run.sh - tests of the report generator (make test-report, and make test):
# reports/report.sh on a fixture database (db/schema.sql plus
# tests/reports/fixture.sql, whose comments give each expected cell; with
# fixture-access.sql for the delivery comparison), then
# on an empty, a zero-byte, older (schemas 1 and 2), a missing, a corrupt and
# a locked database (report.sh and sweep.sh); and reports/paper.tsv against the configs. No QEMU; a
# few seconds. Ends with `reports: N passed, N failed`; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.."

work=$(mktemp -d "${TMPDIR:-/tmp}/ev6-report-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0

# ok DESCRIPTION COMMAND...: one check; the command's output is dropped.
ok() {
	d=$1
	shift
	if "$@" > /dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $d"
	fi
}
has() { grep -qF -- "$2" "$1"; }       # FILE has the text
hasline() { grep -qxF -- "$2" "$1"; }  # FILE has the whole line
lacks() { ! grep -qF -- "$2" "$1"; }
nonempty() { [ -s "$1" ] && [ -s "$2" ]; }  # both FILES have something
quiet() { [ ! -s "$1" ] && [ ! -s "$2" ]; }     # neither FILE has anything
absent() { [ ! -e "$1" ]; }
is_png() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '211PNG' ]; }
rows() { [ "$(grep -c -- "$2" "$1")" -eq "$3" ]; }  # FILE has N lines matching
status_is() { [ "$rc" -eq "$1" ]; }

newdb() {	# FILE SQL-FILE...: a database from SQL files, in one transaction
	f=$1
	shift
	rm -f "$f"
	{ echo "PRAGMA synchronous = OFF; BEGIN;"; cat "$@"; echo "COMMIT;"; } |
		sqlite3 -bail "$f" > /dev/null
}

# ------------------------------------------------------------ the fixture
fx=$work/fixture.db
newdb "$fx" db/schema.sql tests/reports/fixture.sql || { echo "FAIL: fixture does not load"; exit 1; }
o=$work/out
mkdir -p "$o"
echo stale > "$o/stale.csv"
reports/report.sh -o "$o" "$fx" > "$work/stdout" 2> "$work/stderr"
rc=$?
ok "generator exits 0 on the fixture" status_is 0
ok "generator prints nothing" quiet "$work/stdout" "$work/stderr"
ok "old outputs removed" absent "$o/stale.csv"

# Table 2: one line per scenario, agrees / differs / better per mode.
t2=$o/table2.csv
ok "table2.csv header" hasline "$t2" "row,scenario,object,site,paper_conservative,ours_conservative,conservative,paper_aggressive,ours_aggressive,aggressive,campaign,description"
ok "table2.csv has the 49 scenarios" [ "$(wc -l < "$t2")" -eq 50 ]
ok "buf-bget: SF 3/3 survived, agrees, from campaign 2 (not the newer smoke run)" \
	hasline "$t2" "1,buf-bget,buf,bget,SF,SF 3/3 survived,agrees,SF,SF 3/3 survived,agrees,2,error while searching the cache for a free buf"
ok "buf-bwrite: FS agrees; SF with a failed check differs" \
	has "$t2" "3,buf-bwrite,buf,bwrite,FS,FS 3/3,agrees,SF,SF 2/3 survived; SF 1/3 check failed,differs,2,"
ok "log-commit: latest attempt counts, PK|SF agrees, panic differs, merged cell" \
	has "$t2" "5,log-commit,log,commit,PK/SF,SF 1/1 survived,agrees,PK/SF,panic 1/1,differs,2,log damage found while committing (merged cell)"
ok "file-filewrite: a pending job; no exit differs from PK" \
	has "$t2" "14,file-filewrite,file,filewrite,FS,FS 1/2; pending 1/2,agrees,PK,PK 1/2 survived; no exit 1/2 survived,differs,2,"
ok "inode-idup-root: survived where the paper fail-stops: better" \
	has "$t2" "16,inode-idup-root,inode,idup,FS,PK 2/2 survived,better,FS,SF 2/2 survived,better,2,"
ok "inode-idup-root: the split row's case" has "$t2" "case: the cwd is the root directory (FS)"
ok "pipe-piperead from the smoke campaign, failed check differs" \
	has "$t2" "21,pipe-piperead,pipe,piperead,SF,SF 1/1 survived,agrees,SF,SF 1/1 check failed,differs,1,"
ok "pr-kerneltrap: a harness error is not injected" \
	has "$t2" "28,pr-kerneltrap,pr,kerneltrap,FS,FS 1/1,agrees,FS,harness-error 1/1,not injected,2,"
ok "file-fileread: jobs but no run: not run" \
	has "$t2" "10,file-fileread,file,fileread,SF,not run,-,SF,not run,-,,"
ok "spinlock row: six scenarios" rows "$t2" '^23,spinlock-' 6
ok "CSV quotes a field with a comma" has "$t2" '"in file, log, pipe, pr, sleeplock, kmem"'
ok "table2.md row" has "$o/report.md" "| 16 | inode-idup-root | inode | idup | FS | PK 2/2 survived | better | FS | SF 2/2 survived | better | 2 |"
ok "table2.md: '|' of the paper's cell is written /" has "$o/report.md" "| 5 | log-commit | log | commit | PK/SF |"
ok "table2.tex row" has "$o/table2.tex" "1 & buf-bget & buf & bget & SF & SF 3/\\allowbreak{}3 survived & agrees & SF & SF 3/\\allowbreak{}3 survived & agrees & 2 &"
ok "table2.tex escapes _, may break after it" has "$o/table2.tex" "buf-log\\_\\allowbreak{}write"
ok "table2.tex is booktabs" sh -c "grep -q '^\\\\toprule' '$o/table2.tex' && grep -q '^\\\\bottomrule' '$o/table2.tex' && grep -q 'begin{longtable}' '$o/table2.tex'"

# Table 3.
t3=$o/table3.csv
ok "table3: FS|PK accepts both" has "$t3" "1,log-begin_op-two,log,begin_op,FS/PK,FS 1/1,agrees,FS/PK,PK 1/1 survived,agrees,2,"
ok "table3: hang differs, not-reached is not injected" \
	has "$t3" "10,kstack-in-handler,kstack,mem_nmi_handle_first,FS,hang 1/1,differs,FS,not-reached 1/1,not injected,2,"

# Beyond the paper: configs/beyond.ini's scenarios in their own table,
# not in Table 2 (the paper has no result for them).
tb=$o/beyond.csv
ok "beyond.csv header" hasline "$tb" "scenario,object,site,ours_conservative,ours_aggressive,campaign,description"
ok "beyond: text-writei, SF and no exit, both survived" hasline "$tb" "text-writei,text,writei,SF 1/1 survived,no exit 1/1 survived,2,\"the code of writei, restored\""
ok "beyond: nothing of Table 2 in it" rows "$tb" "," 2
ok "beyond scenarios are not in Table 2" lacks "$t2" "text-writei"
ok "report.md has the beyond table" has "$o/report.md" "## Beyond the paper"

# The summary: first in report.md, and as CSV.
md=$o/report.md
ok "report.md opens with the summary" [ "$(grep -m1 '^## ' "$md")" = "## Summary" ]
ok "summary: database counts" has "$md" "| database | 3 campaign(s), 39 jobs (36 done), 38 runs | - |"
ok "summary: survived, conservative" has "$md" "| Table 2 scenarios survived, conservative | 4 of 7 run (49 in all) | 35 of 49 survive |"
ok "summary: survived, aggressive" has "$md" "| Table 2 scenarios survived, aggressive | 3 of 6 run (49 in all) | 43 of 49 survive |"
ok "summary: survived in both vs the paper's 30" has "$md" "| Table 2 scenarios survived in both modes | 2 of 6 run in both | 30 cases (rows); 35 of our 49 scenarios |"
ok "summary: verdicts, conservative" has "$md" "| Table 2, conservative: agrees / differs / better | 6 / 0 / 1 (42 of 49 without a result) | - |"
ok "summary: verdicts, aggressive" has "$md" "| Table 2, aggressive: agrees / differs / better | 1 / 4 / 1 (43 of 49 without a result) | - |"
ok "summary: Table 3 verdicts" has "$md" "| Table 3, conservative: agrees / differs / better | 1 / 1 / 0 (12 of 14 without a result) | - |"
ok "summary: fail-stops vs the paper's 14" has "$md" "| Table 2 rows where the paper fail-stops: we fail-stop too | 3 of 4 run | 14 correct fail-stops (14 rows) |"
ok "summary: survival check vs 46 usertests" has "$md" "| survival check | usertests -q (3 tests) | all 46 usertests pass |"
ok "summary: overhead mean (busy time, latest session) vs 1.4x" has "$md" "| runtime overhead, mean | 1.57x over 3 tests (busy time, session 2) | about 1.4x |"
ok "summary: overhead max vs 7x" has "$md" "| runtime overhead, max | 2.50x (forkwait) | about 7x (exitwait, sbrkmuch) |"
ok "summary: memory after boot vs 624 KB" has "$md" "| extra memory just after boot | 34.0 KB (session 2) | 624 KB |"
ok "summary: memory peak vs 960 KB" has "$md" "| extra memory, peak | 43.0 KB (contiguous-alloc) | 960 KB (shuffled-alloc) |"
ok "summary.csv" hasline "$o/summary.csv" '"Table 2 scenarios survived, conservative",4 of 7 run (49 in all),35 of 49 survive'
ok "missing: unfinished Table 2" has "$md" "- 42 of 49 Table 2 scenarios have no result yet"
ok "missing: jobs not done" has "$md" "- 3 jobs are not done"
ok "nothing missing from the benchmark" lacks "$md" "make bench"
ok "summary: unreported and latent damage" has "$md" "| errors the kernel did not report (never survival) / latent damage | 0 unreported / 0 failed the self-audit, of 31 runs that injected | - |"

# Table 4, objects, outcomes, cost, overhead.
ok "table4: boot beside 624 KB" hasline "$o/table4.csv" "1,just after boot,boot,624,568,56,34.0,33.0,1.0,30000,2"
ok "table4: contiguous-alloc beside 736 KB" hasline "$o/table4.csv" '2,"allocate/free all memory, contiguous free list",contiguous-alloc,736,568,168,43.0,33.0,10.0,10,2'
ok "table4: shuffled-alloc not measured" hasline "$o/table4.csv" '3,"allocate/free all memory, shuffled free list",shuffled-alloc,960,568,392,,,,,'
ok "objects: inode survived all, agrees with none" hasline "$o/objects.csv" "inode,1,2/2,2/2,100.0,0,0,0/4"
ok "objects: buf" hasline "$o/objects.csv" "buf,3,3/7,5/6,61.5,3,2,11/13"
ok "outcomes: buf" hasline "$o/outcomes.csv" "buf,8,0,0,1,3,0,0,0,1,0,1,0,14"
ok "cost: buf min/median/max, replay and other campaigns left out" hasline "$o/cost.csv" "buf,4,100,250,400"
ok "cost: inode" hasline "$o/cost.csv" "inode,3,1000,2000,3000"
ok "cost.md notes -icount" has "$md" "-icount"
ok "overhead: worst first, busy ratio" sh -c "sed -n 2p '$o/overhead.csv' | grep -q '^forkwait,2.5,busy,2.5,3.0,'"
ok "overhead: failing test left out" lacks "$o/overhead.csv" "oom"
ok "overhead: older session left out" rows "$o/overhead.csv" ',1$' 0

ok "drivers: latest session only" rows "$o/drivers.csv" '^disk,loop,kernel' 1
ok "drivers: in-kernel loop" hasline "$o/drivers.csv" "disk,loop,kernel,-,hang,software only,35.0,4,200,35.5,36.0"
ok "drivers: device re-init named" hasline "$o/drivers.csv" "disk,badwrite,kernel,-,hang,device re-init,1000.0,101,150,1000.8,1001.0"
ok "drivers: the UART task's row" hasline "$o/drivers.csv" "uart,badwrite,kernel,-,hang,device re-init,1010.0,101,130,1010.7,1011.0"
ok "drivers_cost: 4 tasks" hasline "$o/drivers_cost.csv" "4,8,0.4,400,2.0,0,0.03,800"
ok "drivers_cost: 1 task, no 20 ms row" hasline "$o/drivers_cost.csv" "1,2,0.1,,,0,0.02,200"
ok "drivers_request: per request" hasline "$o/drivers_request.csv" "1100,1000,1.1,100,1.0,6.0"
ok "drivers_console: 1 byte, latest session" hasline "$o/drivers_console.csv" "1,200.0,120.0,500.0,50.0,12.0"
ok "drivers_console: 128 bytes" hasline "$o/drivers_console.csv" "128,2000.0,2160.0,-1000.0,600.0,216.0"
ok "drivers_console: older session left out" rows "$o/drivers_console.csv" '9999' 0

ok "driver_faults.csv header" hasline "$o/driver_faults.csv" "scenario,driver,fault,detector,expected,detected_by,restart,latency_ms,outcome,campaign"
ok "driver_faults: restarted as expected" hasline "$o/driver_faults.csv" "disk-loop-kernel,disk,loop,kernel,\"hang, software\",hang,software,72.1,restarted,2"
ok "driver_faults: misdetected" hasline "$o/driver_faults.csv" "disk-loop-heartbeat,disk,loop,heartbeat,\"heartbeat, software\",heartbeat,reinit,15000.0,misdetected,2"
ok "report.md has the driver-fault table" has "$o/report.md" "### Driver faults made by the injector"

# Figures and formats.
for f in overhead outcomes drivers_cost; do
	ok "$f.svg is an SVG" has "$o/$f.svg" "<svg"
	ok "$f.png is a PNG" is_png "$o/$f.png"
	ok "report.md embeds $f.png" has "$md" "]($f.png)"
	ok "report.tex includes $f.png" has "$o/report.tex" "{$f.png}"
done
for t in summary table2 table3 beyond table4 objects outcomes cost overhead drivers drivers_cost drivers_request drivers_console driver_faults; do
	ok "$t.csv and $t.tex written" nonempty "$o/$t.csv" "$o/$t.tex"
	ok "report.tex inputs $t" has "$o/report.tex" "\\input{$t}"
done
# index.html: the whole report on one page, each run one click away.
h=$o/index.html
ok "index.html is a page" sh -c "grep -q '^<!DOCTYPE html>' '$h' && grep -q '</html>' '$h'"
ok "index.html: the summary table" has "$h" "<td>Table 2 scenarios survived, conservative</td><td>4 of 7 run (49 in all)</td>"
ok "index.html: a run links to its console" has "$h" '<a href="runs/1.txt">1</a>'
ok "index.html: every run listed" [ "$(grep -c 'href="runs/' "$h")" -eq 38 ]
ok "index.html: a Table 2 scenario links to its runs" has "$h" '<a href="#s-buf-bget">buf-bget</a>'
ok "index.html: outcome cells in their class's colour" has "$h" '<td style="background:#4daf4a">SF</td>'
ok "index.html: embeds the figures" has "$h" '<img src="outcomes.png"'
ok "index.html: text escaped" lacks "$o/index.html" "<ok>"
ok "runs/1.txt: verdict, console and fsck" sh -c "head -1 '$o/runs/1.txt' | grep -q '^run 1 (job 1, attempt 1): SF, exit SF' &&
	grep -q '<ok> & done' '$o/runs/1.txt' && grep -q '^fsck: clean' '$o/runs/1.txt'"
ok "runs/ID.txt for every run" [ "$(ls "$o/runs" | wc -l)" -eq 38 ]
# Every link and image of the page resolves: a file of the output
# directory, or an anchor of the page itself; nothing outside.
links_resolve() {
	grep -o '\(href\|src\)="[^"]*"' "$1" | sed 's/^[a-z]*="//; s/"$//' | sort -u |
	while read -r l; do
		case $l in
		'#'*) grep -q "id=\"${l#\#}\"" "$1" || { echo "dangling anchor $l"; exit 1; } ;;
		*:*|/*|*..*) echo "outside the page's directory: $l"; exit 1 ;;
		*) [ -f "$(dirname "$1")/$l" ] || { echo "missing file $l"; exit 1; } ;;
		esac
	done
}
ok "index.html: every link and image resolves" links_resolve "$h"
ok "report.tex is a document" sh -c "grep -q 'begin{document}' '$o/report.tex' && grep -q 'end{document}' '$o/report.tex'"
ok "a query runs by hand" sh -c "sqlite3 '$fx' < reports/sql/table2.sql | grep -q '^16|inode-idup-root|'"
ok "make -s report is quiet" sh -c "out=\$(make -s report DB='$fx' REPORT_OUT='$work/make' 2>&1) && [ -z \"\$out\" ] && [ -s '$work/make/report.md' ]"

# Breakpoint and access delivery: the fixture has no access campaign; with
# fixture-access.sql (campaign 4, --delivery access) the table compares.
ok "delivery: no access campaign says how to run one" has "$md" '*No access campaign yet:* run `make campaign-access`.'
fa=$work/access.db
newdb "$fa" db/schema.sql tests/reports/fixture.sql tests/reports/fixture-access.sql || echo "FAIL: fixture-access does not load"
oa=$work/access-out
reports/report.sh -o "$oa" "$fa" > "$work/stdout" 2> "$work/stderr"
rc=$?
ok "delivery: generator exits 0" status_is 0
td=$oa/delivery.csv
ok "delivery.csv header" hasline "$td" "table,row,scenario,mode,paper,breakpoint,access,differs"
ok "delivery: same outcome, not marked" hasline "$td" "2,1,buf-bget,conservative,SF,SF 3/3 survived,SF 1/1 survived,"
ok "delivery: SF at the site, FS at the first read" hasline "$td" "2,1,buf-bget,aggressive,SF,SF 3/3 survived,FS 1/1,differs"
ok "delivery: a hang on access" hasline "$td" "2,5,log-commit,conservative,PK/SF,SF 1/1 survived,hang 1/1,differs"
ok "delivery: pending is not compared" hasline "$td" "2,5,log-commit,aggressive,PK/SF,panic 1/1,pending 1/1,"
ok "delivery: Table 3 on access, differs" hasline "$td" "3,1,log-begin_op-two,conservative,FS/PK,FS 1/1,PK 1/1 survived,differs"
ok "delivery: Table 3 on access, same" hasline "$td" "3,1,log-begin_op-two,aggressive,FS/PK,PK 1/1 survived,PK 1/1 survived,"
ok "delivery: every Table 2/3 record, both modes" rows "$td" '^[23],' 126
ok "delivery: the count of pairs" has "$oa/report.md" "5 (row, mode) pairs have results both ways; 3 of them differ."
ok "delivery: Table 2 does not take the access campaign" cmp "$t2" "$oa/table2.csv"
ok "report.tex inputs delivery" has "$oa/report.tex" "\\input{delivery}"

# ------------------------------------------------ empty, partial, missing
e=$work/empty.db
newdb "$e" db/schema.sql
reports/report.sh -o "$o" "$e" > "$work/stdout" 2>&1
rc=$?
ok "empty database: exit 0" status_is 0
ok "empty database: no campaign" has "$md" "no campaign yet: run make campaign"
ok "empty database: no benchmark" has "$md" "no benchmark session yet: run make bench"
ok "empty database: the paper's rows, not run" rows "$o/table2.csv" ',not run,-,.*,not run,-,,' 49
ok "empty database: no figures, old ones gone" absent "$o/overhead.png"
ok "empty database: report.md says where figures would be" has "$md" "No benchmark session yet"

: > "$work/zero.db"
reports/report.sh -o "$o" "$work/zero.db" > "$work/stdout" 2>&1
rc=$?
ok "zero-byte database: exit 0" status_is 0
ok "zero-byte database: says it has no tables" has "$md" "the database has no campaign tables"

v1=$work/v1.db
# Before schema 5, a run that took no exit was "survived" (old_outcomes).
old_outcomes() { sed "s/'continued', 'none'/'survived', 'none'/" "$@"; }
sed '/^-- Benchmarks/,$d' tests/reports/fixture.sql | old_outcomes > "$work/campaigns.sql"
newdb "$v1" db/migrations/001-initial.sql "$work/campaigns.sql"
reports/report.sh -o "$o" "$v1" > "$work/stdout" 2>&1
rc=$?
ok "schema 1 database: exit 0" status_is 0
ok "schema 1 database: campaign results" has "$o/table2.csv" "1,buf-bget,buf,bget,SF,SF 3/3 survived,agrees"
ok "schema 1 database: no benchmark" has "$md" "no benchmark session yet"

# Schema 2: bench_tests without busy, so the overhead is of elapsed time.
v2=$work/v2.db
{ echo "CREATE TEMP TABLE busy (run, seq, name, result, ticks, time, wall_ms, busy);"
  sed '/^-- Driver tasks/,$d; s/^INSERT INTO bench_tests (/INSERT INTO busy (/' tests/reports/fixture.sql |
    old_outcomes
  echo "INSERT INTO bench_tests SELECT run, seq, name, result, ticks, time, wall_ms FROM busy;"
} > "$work/v2.sql"
newdb "$v2" db/migrations/001-initial.sql db/migrations/002-bench.sql "$work/v2.sql"
reports/report.sh -o "$o" "$v2" > "$work/stdout" 2>&1
rc=$?
ok "schema 2 database: exit 0" status_is 0
ok "schema 2 database: overhead of elapsed time" has "$md" "| runtime overhead, mean | 1.83x over 3 tests (elapsed time, session 2) | about 1.4x |"

reports/report.sh -o "$work/x" "$work/nosuch.db" > "$work/stdout" 2> "$work/stderr"
rc=$?
ok "missing database: exit 1" status_is 1
ok "missing database: names it" has "$work/stderr" "$work/nosuch.db does not exist"
ok "missing database: writes nothing" absent "$work/x"

echo "not a database, not a database, not a database, not a database, not" > "$work/bad.db"
reports/report.sh -o "$o" "$work/bad.db" > "$work/stdout" 2> "$work/stderr"
rc=$?
ok "corrupt database: exit 1" status_is 1
ok "corrupt database: says so" has "$work/stderr" "bad.db: file is not a database"

lk=$work/locked.db
cp "$fx" "$lk"
# A second sqlite3 holds an exclusive lock until told to commit (it waits
# for the polls below to let go of their shared locks).
mkfifo "$work/fifo"
sqlite3 -cmd ".timeout 10000" "$lk" < "$work/fifo" > /dev/null 2>&1 &
holder=$!
exec 3> "$work/fifo"
printf 'BEGIN EXCLUSIVE;\nUPDATE runs SET total_ms = total_ms;\n' >&3
i=0
while sqlite3 -readonly "$lk" 'SELECT count(*) FROM runs' > /dev/null 2>&1 && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
REPORT_BUSY_MS=200 reports/report.sh -o "$o" "$lk" > "$work/stdout" 2> "$work/stderr"
rc=$?
# the sweep report reads it the same way (reports/sql.sh)
REPORT_BUSY_MS=200 reports/sweep.sh -o "$o" "$lk" > "$work/stdout" 2> "$work/sweep-stderr"
src=$?
echo 'COMMIT;' >&3
exec 3>&-
wait "$holder"
ok "locked database: exit 1" status_is 1
[ "$rc" -eq 1 ] || echo "  (lock polls: $i; stderr: $(cat "$work/stderr"))"
ok "locked database: says so" has "$work/stderr" "locked.db is locked by another process"
rc=$src
ok "locked database, sweep report: exit 1" status_is 1
ok "locked database, sweep report: says so, once" sh -c "grep -q '^sweep-report: database .*locked.db is locked by another process' '$work/sweep-stderr' && [ \$(wc -l < '$work/sweep-stderr') -eq 1 ]"

reports/report.sh > /dev/null 2>&1
rc=$?
ok "no arguments: usage, exit 2" status_is 2

# ------------------------------------------------------------- paper.tsv
p=reports/paper.tsv
ok "paper.tsv: 12 fields a record" sh -c "! awk -F '\t' '!/^#/ && NF != 12' '$p' | grep -q ."
ok "paper.tsv loads" sh -c "awk -f reports/paper.awk '$p' | sqlite3 :memory: 2>&1 | grep -q . && exit 1; exit 0"
# The configs hold no paper results (ev6-campaign takes them from paper.tsv
# by section name): every section of the Table 2/3 configs is a Table 2/3
# record and the other way round; smoke.ini's sections are records too.
sections() { awk '/^\[/ { print substr($0, 2, length($0) - 2) }' "$@" | sort; }
sections configs/table2.ini configs/table3.ini > "$work/ini"
awk -F '\t' '!/^#/ && ($1 == 2 || $1 == 3) { print $3 }' "$p" | sort > "$work/tsv"
ok "paper.tsv's Table 2/3 ids are the sections of configs/table2.ini, table3.ini" cmp "$work/ini" "$work/tsv"
sections configs/smoke.ini > "$work/smoke"
ok "configs/smoke.ini's sections are paper.tsv records" sh -c "[ -z \"\$(comm -23 '$work/smoke' '$work/tsv')\" ]"
ok "no config carries paper_conservative/paper_aggressive" sh -c "! grep -q '^[[:space:]]*paper_' configs/*.ini"
ok "paper.tsv: 40 Table 2 rows, 14 Table 3 rows" sh -c "[ \$(awk -F '\t' '!/^#/ && \$1 == 2 { print \$2 }' '$p' | sort -u | wc -l) -eq 40 ] && [ \$(awk -F '\t' '!/^#/ && \$1 == 3' '$p' | wc -l) -eq 14 ]"

echo "reports: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
