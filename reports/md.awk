# md.awk - a TSV table (first line: the column names) as a Markdown table.
# A '|' inside a cell is escaped; an empty cell stays empty. Columns whose
# every value is a number are right-aligned.
#
#   awk -f reports/md.awk reports/out/table2.tsv
BEGIN { FS = "\t" }

{
	for (i = 1; i <= NF; i++) {
		cell[NR, i] = $i
		if (NR > 1 && $i != "" && $i !~ /^-?[0-9]+(\.[0-9]+)?$/)
			text[i] = 1
	}
	if (NF > cols)
		cols = NF
}

function esc(s) {
	gsub(/\|/, "\\|", s)
	return s
}

END {
	if (NR == 0)
		exit
	for (r = 1; r <= NR; r++) {
		line = "|"
		for (i = 1; i <= cols; i++)
			line = line " " esc(cell[r, i]) " |"
		print line
		if (r == 1) {
			line = "|"
			for (i = 1; i <= cols; i++)
				line = line ((i in text) || NR == 1 ? "---|" : "--:|")
			print line
		}
	}
}
