#!/bin/sh
# report.sh - rebuild every report from the campaign database alone (no
# QEMU): the paper's Tables 2, 3 and 4 beside our results (Tables 2 and 3
# also with access delivery, from make campaign-access), survival,
# outcomes and recovery cost per object, and the runtime overhead (the
# paper's Figure 5), as Markdown (report.md), LaTeX (report.tex and one
# booktabs fragment per table), CSV (one per table), SVG+PNG figures, and
# index.html: all of it on one static page, with every run's console one
# click away (runs/ID.txt).
#
# usage: reports/report.sh [-o outdir] database
#
# outdir defaults to reports/out. The queries are reports/sql/*.sql, the
# paper's figures reports/paper.tsv; report.md and report.tex are
# assembled by reports/markdown.sh and reports/latex.sh. The database is
# opened read-only; tables it lacks (an empty file, an older schema) are
# stood in for by empty ones from db/schema.sql, so the report then says
# what is missing. A lock is waited for REPORT_BUSY_MS milliseconds
# (default 10000). Prints nothing unless something fails.
#
# Exit status: 0 the report is written; 1 the database is missing,
# locked or unreadable, or a tool failed; 2 usage.
set -eu

prog=report
die() { echo "$prog: $*" >&2; exit 1; }
usage() { echo "usage: reports/report.sh [-o outdir] database" >&2; exit 2; }

out=reports/out
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
db=$1
name=$db	# as given, for the report
busy=${REPORT_BUSY_MS:-10000}
case $busy in ''|*[!0-9]*) die "REPORT_BUSY_MS must be a number of milliseconds, not '$busy'" ;; esac

[ -e "$db" ] || die "database $db does not exist (make campaign creates db/ev6.db; make report DB=FILE reads another)"
[ -f "$db" ] || die "database $db is not a file"
[ -r "$db" ] || die "database $db is not readable"
command -v sqlite3 >/dev/null || die "sqlite3 not found (run make deps)"

# Absolute paths, then work from the top of the tree: the queries name
# their files relative to it.
case $db in /*) ;; *) db=$PWD/$db ;; esac
case $out in /*) ;; *) out=$PWD/$out ;; esac
cd "$(dirname "$0")/.."
[ -f reports/paper.tsv ] || die "reports/paper.tsv is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ev6-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

. reports/sql.sh

# Which tables and views the database has; the rest become empty stand-ins.
have=$(sql -list <<EOF
SELECT name FROM sqlite_master WHERE type IN ('table', 'view');
EOF
)
have=$(echo $have)
awk -v have="$have" -f reports/stub.awk db/schema.sql > "$tmp/stub.sql"
# A bench_overhead of schema 2 (before migration 003 added busy time): add
# the busy columns, empty, so the overhead falls back to elapsed time.
case " $have " in
*" bench_overhead "*)
	n=$(sql -list <<EOF
SELECT count(*) FROM pragma_table_info('bench_overhead') WHERE name = 'busy_ratio';
EOF
)
	[ "$n" -gt 0 ] || echo "CREATE TEMP VIEW bench_overhead AS SELECT *, NULL AS recovery_busy,
  NULL AS vanilla_busy, NULL AS busy_ratio FROM main.bench_overhead;" >> "$tmp/stub.sql"
	;;
esac
# A drv_detect of schema 8 (before migration 011 added the UART task):
# every fault in it was the disk's.
case " $have " in
*" drv_detect "*)
	n=$(sql -list <<EOF
SELECT count(*) FROM pragma_table_info('drv_detect') WHERE name = 'driver';
EOF
)
	[ "$n" -gt 0 ] || echo "CREATE TEMP VIEW drv_detect AS SELECT *, 'disk' AS driver FROM main.drv_detect;" >> "$tmp/stub.sql"
	;;
esac
case " $have " in *" campaigns "*) echo yes > "$tmp/ev6db" ;; *) echo no > "$tmp/ev6db" ;; esac

# Every query to TSV, in one read transaction (one snapshot of a database
# that a campaign may be writing); status without its header line.
{
	echo ".read \"$tmp/stub.sql\""
	echo "BEGIN;"
	echo ".mode tabs"
	for q in status summary table2 table3 beyond delivery table4 objects outcomes cost overhead colours runs \
		 drivers drivers_cost drivers_request drivers_console driver_faults; do
		[ $q = status ] && echo ".headers off" || echo ".headers on"
		echo ".output \"$tmp/$q.tsv\""
		echo ".read reports/sql/$q.sql"
	done
	# the sweep report's (reports/sweep.sh -w), in the same snapshot
	echo ".output \"$tmp/sweep-draws.tsv\""
	echo ".read reports/sql/sweep.sql"
	echo ".headers off"
	echo ".output \"$tmp/sweep-space.tsv\""
	echo ".read reports/sql/sweep-space.sql"
	echo ".output \"$tmp/sweep-colours.tsv\""
	echo "SELECT name, colour FROM outcome_classes ORDER BY rank;"
	echo ".output stdout"
	echo "COMMIT;"
} > "$tmp/queries.sql"
sql < "$tmp/queries.sql"

mkdir -p "$out"
rm -f "$out"/*.md "$out"/*.tex "$out"/*.csv "$out"/*.svg "$out"/*.png "$out"/index.html
rm -rf "$out/runs"
mkdir "$out/runs"

# Each run's console, GDB log and fsck report, for index.html.
runs=$(printf '%s' "$out/runs" | sed "s/'/''/g")
sql > /dev/null <<EOF
.read "$tmp/stub.sql"
SELECT writefile('$runs/' || r.id || '.txt',
  printf('run %d (job %d, attempt %d): %s%s%s' || char(10) || '%s' || char(10), r.id, r.job,
         r.attempt, r.outcome,
         CASE WHEN r.exit IS NULL THEN '' ELSE ', exit ' || r.exit END,
         CASE WHEN r.replay_of IS NULL THEN '' ELSE ', a replay of run ' || r.replay_of END,
         coalesce(r.detail, ''))
  || char(10) || '=== console' || char(10)
  || coalesce((SELECT text FROM console_logs WHERE run = r.id AND stream = 'console'), '(none)')
  || char(10) || '=== gdb' || char(10)
  || coalesce((SELECT text FROM console_logs WHERE run = r.id AND stream = 'gdb'), '(none)')
  || char(10) || '=== fsck' || char(10)
  || coalesce((SELECT text FROM console_logs WHERE run = r.id AND stream = 'fsck'), '(none)'))
FROM runs r;
EOF

# Each table as CSV, a Markdown fragment (for report.md) and LaTeX.
table() {	# name caption [column spec]
	awk -f reports/csv.awk "$tmp/$1.tsv" > "$out/$1.csv"
	awk -f reports/md.awk "$tmp/$1.tsv" > "$tmp/$1.md"
	awk -v caption="$2" -v label="tab:$1" -v spec="${3:-}" -v size=footnotesize \
		-f reports/tex.awk "$tmp/$1.tsv" > "$out/$1.tex"
}
# Tables 2 and 3: row, scenario, object, site, then paper, ours and verdict
# per mode, campaign, description.
wide='rp{2.6cm}lp{2.4cm}p{1.4cm}p{2.4cm}p{1.6cm}p{1.4cm}p{2.4cm}p{1.6cm}rp{3.4cm}'
table summary 'Summary: ours beside the paper' 'p{6cm}p{7cm}p{6cm}'
table table2 "Single faults (the paper's Table 2): its exit and ours per mode" "$wide"
table table3 "Multiple faults (the paper's Table 3): its exit and ours per mode" "$wide"
table beyond "Beyond the paper (it fail-stops on these objects): our exit per mode" 'p{3.4cm}lp{1.6cm}p{2.6cm}p{2.6cm}rp{5cm}'
table delivery "Tables 2 and 3 with the error delivered at the site (breakpoint) and at the first read (access), beside the paper" 'rrp{3cm}lp{1.2cm}p{3cm}p{3.6cm}l'
table table4 "Extra memory of recovery in KB (the paper's Table 4)" 'rp{4cm}lrrrrrrrr'
table objects 'Survival per object type'
table outcomes 'Outcomes per object type (runs)'
table cost 'Recovery cost per object type (instret)'
table overhead "Runtime overhead per usertest (the paper's Figure 5)" 'lrlrrrrrrrrr'
table drivers 'Driver faults: detection, restart and service back' 'lllllrrrrrr'
table drivers_cost 'Monitoring cost against the number of driver tasks' 'rrrrrrr'
table drivers_request 'Cost of the message boundary per driver request (disk and UART)' 'rrrrrr'
table drivers_console 'Cost of the message boundary per console write' 'rrrrrr'
table driver_faults 'Driver faults made by the injector (configs/drivers.ini)' 'p{3.4cm}lllp{2cm}llrlr'

# The figures, when there is something to draw.
status() { awk -F '\t' -v k="$1" '$1 == k { print $2 }' "$tmp/status.tsv"; }
paper() { awk -F '\t' -v t="$1" -v k="$2" '!/^#/ && $1 == t && $3 == k { print $9; exit }' reports/paper.tsv; }
figfail=0
plot() {	# script output [gnuplot -e settings]
	if ! gnuplot -e "data='$tmp/$2.tsv'; out='$out/$2'; $3" "reports/$1" > "$tmp/gp.err" 2>&1 ||
	   [ ! -s "$out/$2.svg" ] || [ ! -s "$out/$2.png" ]; then
		echo "$prog: gnuplot could not draw $out/$2.svg and .png:" >&2
		cat "$tmp/gp.err" >&2
		figfail=1
	fi
}
if ! command -v gnuplot >/dev/null; then
	echo "$prog: gnuplot not found (run make deps); no figures" >&2
	figfail=1
else
	if [ "$(status overhead_tests)" -gt 0 ]; then
		plot overhead.gp overhead "pmean=$(paper fig5 mean); pmax=$(paper fig5 max); session=$(status overhead_session); measure='$(status overhead_measure)'"
	fi
	if [ "$(status chosen_runs)" -gt 0 ]; then
		# outcomes.sql's columns, by class; "check failed" (-) is grey.
		colours=$(awk -F '\t' 'NR > 1 { c[$1] = $2 }
			END { n = split("SF PK continued - FS latent-damage unreported panic hang corrupt-fs not-reached harness-error", k, " ")
			      for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), (k[i] == "-" ? "#dddddd" : c[k[i]]) }' "$tmp/colours.tsv")
		plot outcomes.gp outcomes "colours='$colours'"
	fi
	if [ "$(status drivers_monitor)" -gt 0 ]; then
		plot drivers.gp drivers_cost ""
	fi
fi

sh reports/markdown.sh "$tmp" "$out" "$name" > "$out/report.md"
sh reports/latex.sh "$tmp" "$out" "$name" > "$out/report.tex"
# The sweep's own page, when the database has a sweep plan.
sh reports/sweep.sh -w "$tmp" -o "$out" "$db" || figfail=1
sh reports/html.sh "$tmp" "$out" > "$out/index.html"
exit $figfail
