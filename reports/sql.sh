# sql.sh - the one way the report scripts read the database, sourced by
# reports/report.sh and reports/sweep.sh (which set prog, db, busy, tmp
# and die() first).
#
# sql [sqlite3 options] < input: run SQL read-only on the database; on
# failure say why (a lock gets its own message) and exit. Put every query
# of one report in one input, between BEGIN and COMMIT, so that it reads
# one snapshot of a database a campaign may be writing.
sql() {
	if sqlite3 -readonly -bail -batch -cmd ".timeout $busy" "$@" "$db" 2> "$tmp/err"; then
		return 0
	fi
	if grep -qi 'locked\|busy' "$tmp/err"; then
		die "database $db is locked by another process (a campaign or benchmark writing to it?); waited ${busy} ms; try again later"
	fi
	die "cannot read database $db: $(sed -n '1 { s/^[A-Za-z]* error near line [0-9]*: //; s/ ([0-9]*)$//; p; }' "$tmp/err")"
}
