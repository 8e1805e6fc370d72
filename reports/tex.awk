# tex.awk - a TSV table (first line: the column names) as a LaTeX booktabs
# longtable, to \input into a document that loads booktabs and longtable.
# Special characters are escaped; '_' in the column names becomes a space.
#
#   awk -v caption='Table 2' -v label=table2 [-v spec='rlp{5cm}'] \
#       [-v size=footnotesize] -f reports/tex.awk table2.tsv > table2.tex
#
# spec: the column specification (default: one 'l' per column).
BEGIN { FS = "\t" }

function esc(s) {
	gsub(/\\/, "\001", s)
	gsub(/[&%$#_{}]/, "\\\\&", s)
	gsub(/~/, "\\textasciitilde{}", s)
	gsub(/\^/, "\\textasciicircum{}", s)
	gsub(/\001/, "\\textbackslash{}", s)
	return s
}

function row(	i, line) {
	line = esc($1)
	for (i = 2; i <= NF; i++)
		line = line " & " esc($i)
	return line " \\\\"
}

NR == 1 {
	if (spec == "")
		for (i = 1; i <= NF; i++)
			spec = spec "l"
	if (size != "")
		print "\\begingroup\\" size
	print "\\begin{longtable}{" spec "}"
	if (caption != "")
		print "\\caption{" esc(caption) "}" (label != "" ? "\\label{" label "}" : "") "\\\\"
	print "\\toprule"
	for (i = 1; i <= NF; i++)
		gsub(/_/, " ", $i)
	print row()
	print "\\midrule"
	print "\\endhead"
	next
}

{ print row() }

END {
	if (NR == 0)
		exit
	print "\\bottomrule"
	print "\\end{longtable}"
	if (size != "")
		print "\\endgroup"
}
