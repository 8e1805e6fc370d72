# paper.awk - turn reports/paper.tsv into SQL that loads it into the
# temporary table `paper` (the columns of the file; `table` is called tbl,
# being an SQL keyword; '-' becomes NULL). Checks each record as it goes:
# 12 fields, a known table, results written SF/PK/FS joined by '|'. A bad
# record is reported on stderr as FILE:LINE and the SQL ends in an error,
# so whatever reads it stops there.
#
#   awk -f reports/paper.awk reports/paper.tsv | sqlite3 db/ev6.db
#   sqlite> .read '|awk -f reports/paper.awk reports/paper.tsv'
BEGIN {
	FS = "\t"
	bad = 0
	print "DROP TABLE IF EXISTS temp.paper;"
	print "CREATE TEMP TABLE paper (tbl TEXT NOT NULL, row INTEGER NOT NULL,"
	print "  id TEXT NOT NULL, object TEXT, site TEXT, conservative TEXT,"
	print "  aggressive TEXT, flag TEXT, value REAL, scenario TEXT, paper TEXT,"
	print "  note TEXT);"
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
}

# One field as an SQL literal.
function lit(s) {
	if (s == "-")
		return "NULL"
	gsub(/'/, "''", s)
	return "'" s "'"
}

/^#/ { next }

{
	if (NF != 12) {
		fail(NF " fields, not 12")
		next
	}
	if ($1 !~ /^(2|3|4|fig5|summary)$/)
		fail("unknown table '" $1 "'")
	if ($2 !~ /^[0-9]+$/)
		fail("row '" $2 "' is not a number")
	if ($1 ~ /^[23]$/ && ($6 !~ /^(SF|PK|FS)(\|(SF|PK|FS))*$/ || $7 !~ /^(SF|PK|FS)(\|(SF|PK|FS))*$/))
		fail("results must be SF, PK or FS joined by '|'")
	if ($9 != "-" && $9 !~ /^[0-9]+(\.[0-9]+)?$/)
		fail("value '" $9 "' is not a number")
	line = "INSERT INTO paper VALUES (" lit($1) ", " $2
	for (i = 3; i <= 12; i++)
		line = line ", " (i == 9 ? ($9 == "-" ? "NULL" : $9) : lit($i))
	print line ");"
}

END {
	if (bad)
		print "SELECT * FROM \"paper.tsv has errors (see above)\";"
}
