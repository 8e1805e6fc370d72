# stub.awk - the tables and views of db/schema.sql that a database lacks,
# as empty TEMP tables and views, so that every report query runs on an
# empty, partial or older database and finds nothing there instead of
# failing (a table the schema fills, outcome_classes, gets its rows).
# `have` lists the tables and views the database has.
#
#   awk -v have="campaigns jobs ..." -f reports/stub.awk db/schema.sql
#
# A statement starts with CREATE TABLE or CREATE VIEW at the start of a
# line and ends at a line that ends in ';' (a trailing comment allowed;
# a comment line ending in ';' does not end it).
BEGIN {
	n = split(have, names, " ")
	for (i = 1; i <= n; i++)
		present[names[i]] = 1
}

/^CREATE (TABLE|VIEW) / {
	grab = 1
	keep = !($3 in present)
	sub(/^CREATE /, "CREATE TEMP ")
}

# The rows the schema itself puts in a table (outcome_classes), when the
# table is stubbed too.
/^INSERT INTO / {
	grab = 1
	keep = !($3 in present)
}

grab && keep { print }

grab && !/^[ \t]*--/ && /;[ \t]*(--.*)?$/ { grab = 0 }
