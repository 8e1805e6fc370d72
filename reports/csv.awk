# csv.awk - a TSV table as CSV (RFC 4180): a field with a comma, a double
# quote or leading or trailing blanks is quoted, its quotes doubled.
#
#   awk -f reports/csv.awk reports/out/table2.tsv > table2.csv
BEGIN { FS = "\t" }

function field(s) {
	if (s ~ /[,"]/ || s ~ /^ / || s ~ / $/) {
		gsub(/"/, "\"\"", s)
		s = "\"" s "\""
	}
	return s
}

{
	line = field($1)
	for (i = 2; i <= NF; i++)
		line = line "," field($i)
	print line
}
