#!/bin/sh
# html.sh - assemble index.html (on stdout): report.md as one static page
# (reports/md2html.awk; no server, no script), with a table of contents
# and, last, every run of the database, each linking to its console, GDB
# log and fsck report (runs/ID.txt, written by report.sh). The scenarios
# of Tables 2 and 3 link to their runs.
#
# usage: sh reports/html.sh workdir outdir   (report.sh runs it)
set -eu
work=$1
out=$2

colours=$(awk -F '\t' 'NR > 1 { printf "%s%s=%s", (NR > 2 ? " " : ""), $1, $2 }' "$work/colours.tsv")
{
	cat "$out/report.md"
	echo
	echo "## Runs"
	echo
	echo "Every run of every campaign in the database, by scenario (retried"
	echo "attempts and replays too): click a run for its console, GDB's log"
	echo "and fsck's report. A scenario of the tables above links here."
	echo
	if [ "$(wc -l < "$work/runs.tsv")" -gt 1 ]; then
		# the run column as a link to its transcripts, then as Markdown
		awk -F '\t' -v OFS='\t' 'NR > 1 { $2 = "[" $2 "](runs/" $2 ".txt)" } { print }' \
			"$work/runs.tsv" | awk -f reports/md.awk
	else
		echo "*No runs yet.*"
	fi
} > "$work/page.md"
awk -v colours="$colours" -f reports/md2html.awk "$work/runs.tsv" "$work/page.md" > "$work/body.html"

cat <<'EOF2'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ev6 reproduction report</title>
<style>
body { font-family: sans-serif; max-width: 80em; margin: 1em auto; padding: 0 1em; line-height: 1.4; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 90%; }
th, td { border: 1px solid #ccc; padding: 0.15em 0.4em; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; }
img { max-width: 100%; }
code { background: #f4f4f4; }
nav li { display: inline; margin-right: 1em; }
</style>
</head>
<body>
EOF2
echo "<nav><ul>"
sed -n 's|^<h2 id="\([^"]*\)">\(.*\)</h2>$|<li><a href="#\1">\2</a></li>|p' "$work/body.html"
echo "</ul></nav>"
cat "$work/body.html"
echo "</body>"
echo "</html>"
