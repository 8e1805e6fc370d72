#!/bin/sh
# sweep.sh - the sweep report from the database alone: survival over the
# weighted fault space of the latest sweep plan, with a 95% interval, per
# object type, field and consuming function (worst first), and the matrix
# object x function as a figure with the paper's Table 2 rows in it.
#
# usage: reports/sweep.sh [-o outdir] [-w workdir] database
#
# Writes outdir/sweep.md, sweep.csv (one row per class drawn) and
# sweep-matrix.svg/.png (reports/sweep.gp). A database without sweep draws
# writes nothing and exits 0 (reports/report.sh calls this every time).
# The database is read as reports/report.sh reads it (reports/sql.sh: one
# snapshot, a lock waited for REPORT_BUSY_MS milliseconds, default 10000,
# then named); with -w, report.sh has read it already, in its own snapshot,
# into workdir/sweep-draws.tsv, sweep-space.tsv and sweep-colours.tsv.
# Estimates: each draw is one point of the space, uniform by weight
# (budget all: each class once, weighted by its size); the interval is
# Wilson's, on the effective number of draws (sum w)^2 / sum w^2.
# Exit status 0, 1 if the database cannot be read or a tool fails, 2 usage.
set -eu
prog=sweep-report
die() { echo "$prog: $*" >&2; exit 1; }
usage() { echo "usage: reports/sweep.sh [-o outdir] [-w workdir] database" >&2; exit 2; }
out=reports/out
read_in=
while getopts o:w: opt; do
	case $opt in
	o) out=$OPTARG ;;
	w) read_in=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
db=$1
busy=${REPORT_BUSY_MS:-10000}
case $busy in ''|*[!0-9]*) die "REPORT_BUSY_MS must be a number of milliseconds, not '$busy'" ;; esac
[ -f "$db" ] || die "database $db does not exist"
case $db in /*) ;; *) db=$PWD/$db ;; esac
case $out in /*) ;; *) out=$PWD/$out ;; esac
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ev6-sweep-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. reports/sql.sh
if [ -n "$read_in" ]; then
	for f in sweep-draws sweep-space sweep-colours; do
		[ -f "$read_in/$f.tsv" ] || die "-w $read_in: $f.tsv is missing"
	done
	cp "$read_in/sweep-draws.tsv" "$tmp/draws.tsv"
	cp "$read_in/sweep-space.tsv" "$tmp/space.tsv"
	cp "$read_in/sweep-colours.tsv" "$tmp/colours.tsv"
else
	n=$(echo "SELECT count(*) FROM sqlite_master WHERE name = 'sweep_draws';" | sql)
	[ "$n" -eq 1 ] || exit 0
	sql <<EOF
BEGIN;
.mode tabs
.headers on
.output "$tmp/draws.tsv"
.read reports/sql/sweep.sql
.headers off
.output "$tmp/space.tsv"
.read reports/sql/sweep-space.sql
.output "$tmp/colours.tsv"
SELECT name, colour FROM outcome_classes ORDER BY rank;
.output stdout
COMMIT;
EOF
fi
# No draws (no sweep plan yet): nothing to report.
[ "$(wc -l < "$tmp/draws.tsv")" -gt 1 ] || exit 0
mkdir -p "$out"
# The paper's Table 2 rows: (object, site) of each section of its config.
awk '/^\[/ { if (o != "") print o "\t" s; o = ""; s = ""; next }
     /^object *=/ { sub(/^object *= */, ""); o = $0 }
     /^site *=/ { sub(/^site *= */, ""); s = $0 }
     END { if (o != "") print o "\t" s }' configs/table2.ini | sort -u > "$tmp/paper.tsv"
tr '\t' ',' < "$tmp/draws.tsv" > "$out/sweep.csv"

awk -F '\t' -v tmp="$tmp" -v dbname="$db" '
function wilson(s, w, w2,    p, n, z, c, h) {
	if (w <= 0) return "-"
	p = s / w; n = w * w / w2; z = 1.96
	c = (p + z*z/(2*n)) / (1 + z*z/n)
	h = z * sqrt(p*(1-p)/n + z*z/(4*n*n)) / (1 + z*z/n)
	return sprintf("%.1f%% [%.1f, %.1f] (n=%.0f)", 100*p, 100*(c-h), 100*(c+h), n)
}
function add(key, kind, d, surv, outc) {
	if (!(key in seen)) { seen[key] = 1; keys[kind, ++nk[kind]] = key }
	W[key] += d; W2[key] += d*d; S[key] += d*surv; R[key]++
	if (outc == "FS") FSd[key] += d
	else if (outc == "panic" || outc == "hang") PH[key] += d
	else if (!surv) OT[key] += d
	BAD[key] += d * (1 - surv)
}
function table(kind, title, head,    i, j, k, m, order, t) {
	print "\n### " title "\n"
	print "| " head " | classes | survival (95% CI) | FS | panic/hang | other failure |"
	print "|---|---:|---|---:|---:|---:|"
	m = nk[kind]
	for (i = 1; i <= m; i++) order[i] = keys[kind, i]
	for (i = 2; i <= m; i++) {	# worst first: the most weight not survived
		t = order[i]
		for (j = i - 1; j >= 1 && BAD[order[j]] < BAD[t]; j--) order[j+1] = order[j]
		order[j+1] = t
	}
	for (i = 1; i <= m; i++) {
		k = order[i]; n2 = k; sub(/^[^|]*\|/, "", n2)
		printf "| %s | %d | %s | %.0f%% | %.0f%% | %.0f%% |\n", n2, R[k], wilson(S[k], W[k], W2[k]),
			100*FSd[k]/W[k], 100*PH[k]/W[k], 100*OT[k]/W[k]
	}
}
FILENAME ~ /space.tsv$/ { sp[$1] = $2; next }
FILENAME ~ /colours.tsv$/ { col[$1] = $2; rank[$1] = ++nr; next }
FILENAME ~ /paper.tsv$/ { paper[$1 "\t" $2] = 1; next }
FNR == 1 { next }
{
	d = $2; kind = $4; obj = $5; field = $6; fn = $7; outc = $8; surv = $9
	alld += d
	if (kind == "masked") { masked += d; next }
	if (outc == "pending") { pending += d; next }
	if (outc == "not-reached" || outc == "harness-error") { other[outc] += d; next }
	cons += d; cons2 += d*d; consS += d*surv; nruns++
	add("o|" obj, "o", d, surv, outc)
	add("f|" field, "f", d, surv, outc)
	add("c|" fn, "c", d, surv, outc)
	cell[obj "\t" fn, outc] += d
	if (!(obj in rows)) { rows[obj] = ny++; rowname[rows[obj]] = obj }
	if (!(fn in colsx)) { colsx[fn] = nx++; colname[colsx[fn]] = fn }
	outs[outc] = 1
}
END {
	printf "# Sweep\n\nFrom %s. Golden run %s of `%s` on the TRACE=1 kernel: %s accesses recorded (%s lost) over %s instructions.\n",
		dbname, sp["golden"], sp["workload"], sp["records"], sp["lost"], sp["insns"]
	printf "\n## Fault space\n\n| | size |\n|---|---:|\n"
	printf "| raw: bytes x instructions | %s x %s = %.4g |\n", sp["bytes"], sp["insns"], sp["bytes"] * sp["insns"]
	printf "| pruned: classes | %s |\n| experiments (an interval a read closes) | %s (%.2f%% of the weight) |\n",
		sp["classes"], sp["experiments"], 100 * sp["experiment_weight"] / (sp["experiment_weight"] + sp["masked_weight"])
	printf "| masked (written before read, or never read again) | %s (%.2f%% of the weight) |\n",
		sp["classes"] - sp["experiments"], 100 * sp["masked_weight"] / (sp["experiment_weight"] + sp["masked_weight"])
	printf "\nPlan: seed %s, budget %s (0: every class, -1: classes chosen by id); %.0f points drawn, %.0f masked, %.0f pending, %.0f not reached, %.0f harness errors.\n",
		sp["seed"], sp["budget"], alld, masked, pending, other["not-reached"], other["harness-error"]
	print "\n## Survival over the weighted space\n"
	print "| errors | survival (95% CI) |\n|---|---|"
	printf "| consumed (a run delivered the error at the first read of the damaged bytes; %d runs) | %s |\n", nruns, wilson(consS, cons, cons2)
	if (cons + masked > 0)
		printf "| every point drawn with a verdict (masked points count as harmless) | %.1f%% |\n", 100 * (consS + masked) / (cons + masked)
	table("c", "Per consuming function (worst first: where recovery should improve next)", "function")
	table("o", "Per object type", "object")
	table("f", "Per field", "field")
	# The matrix: the paper rows join it (P), where the sweep met them or not.
	for (k in paper) {
		split(k, a, "\t")
		if (!(a[1] in rows)) { rows[a[1]] = ny++; rowname[rows[a[1]]] = a[1] }
		if (!(a[2] in colsx)) { colsx[a[2]] = nx++; colname[colsx[a[2]]] = a[2] }
	}
	cells = tmp "/cells.tsv"
	for (o in rows) for (f in colsx) {
		best = ""; bw = 0
		for (x in outs) if (cell[o "\t" f, x] > bw) { bw = cell[o "\t" f, x]; best = x }
		lab = ((o "\t" f) in paper) ? "P" : ""
		if (best == "" && lab == "") continue
		c = best == "" ? "#f0f0f0" : col[best]
		printf "%d\t%d\t%d\t%s\n", colsx[f], rows[o], hex(substr(c, 2)), lab > cells
	}
	if (nx == 0) print "0\t0\t15790320\t" > cells
	close(cells)
	t = tmp "/tics.gp"
	printf "set xtics (" > t
	for (i = 0; i < nx; i++) printf "%s\"%s\" %d", (i ? ", " : ""), colname[i], i > t
	printf ")\nset ytics (" > t
	for (i = 0; i < ny; i++) printf "%s\"%s\" %d", (i ? ", " : ""), rowname[i], i > t
	printf ")\n" > t
	close(t)
	print nx > (tmp "/nx"); print ny > (tmp "/ny")
	print "\n## Matrix\n\n![object x consuming function](sweep-matrix.svg)\n"
	printf "Colours: the outcome with the most draws in the cell (outcome_classes):"
	for (x in outs) printf " %s %s;", x, col[x]
	print " light grey: a paper row (P) the sweep did not meet."
	npap = 0; met = 0
	for (k in paper) { npap++; split(k, a, "\t"); for (x in outs) if (cell[a[1] "\t" a[2], x] > 0) { met++; break } }
	printf "\nThe paper'"'"'s Table 2 rows (configs/table2.ini): %d (object, site) pairs, %d of them met by the sweep'"'"'s consumed errors.\n", npap, met
}
function hex(s,    i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
' "$tmp/space.tsv" "$tmp/colours.tsv" "$tmp/paper.tsv" "$tmp/draws.tsv" > "$out/sweep.md"

if command -v gnuplot >/dev/null; then
	gnuplot -e "data='$tmp/cells.tsv'; tics='$tmp/tics.gp'; out='$out/sweep-matrix'; nx=$(cat "$tmp/nx"); ny=$(cat "$tmp/ny")" \
		reports/sweep.gp > "$tmp/gp.err" 2>&1 || { cat "$tmp/gp.err" >&2; die "gnuplot could not draw $out/sweep-matrix"; }
else
	die "gnuplot not found (run make deps); no matrix"
fi
exit 0
