# tex.awk - a TSV table (first line: the column names) as a LaTeX booktabs
# longtable, to \input into a document that loads booktabs, longtable and
# array, in a group with narrower column gaps (4pt) and the given font
# size; p{} columns are set ragged right.
# Special characters are escaped, a line may break after `_` and `/`;
# `_` in the column names becomes a space.
#
#   awk -v caption='Table 2' -v label=table2 [-v spec='rlp{5cm}'] \
#       [-v size=footnotesize] -f reports/tex.awk table2.tsv > table2.tex
#
# spec: the column specification (default: one 'l' per column).
BEGIN { FS = "\t" }

function esc(s) {
	gsub(/\\/, "\001", s)
	gsub(/[&%$#{}]/, "\\\\&", s)
	gsub(/_/, "\\_\\allowbreak{}", s)
	gsub(/\//, "/\\allowbreak{}", s)
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
	gsub(/p\{/, ">{\\raggedright\\arraybackslash}p{", spec)
	print "\\begingroup" (size != "" ? "\\" size : "") "\\setlength{\\tabcolsep}{4pt}"
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
	print "\\endgroup"
}
