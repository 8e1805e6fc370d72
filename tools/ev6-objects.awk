# ev6-objects.awk - the table of every Ev6 object type, its recovery
# strategy and exit rules, in Markdown, from the kernel's one source:
#
#   awk -f tools/ev6-objects.awk kernel/ev6_types.h kernel/ev6_rules.c
#
# ev6_types.h gives the types (EV6_TYPES), ev6_rules.c the rule tables and
# the handler table. A type without a handler always fail-stops. The
# output is docs/ev6-objects.md's table (make ev6-objects rewrites it;
# tests/docs.sh checks that it is current).

function exitname(x) {
	sub(/^EV6_EXIT_/, "", x)
	return x == "NONE" ? "go on" : x
}
function modename(m) {
	return m == "EV6_CONS" ? " (conservative)" : m == "EV6_AGGR" ? " (aggressive)" : ""
}

# The types, in EV6_TYPES order: X(UPPER, lower) pairs.
FILENAME ~ /ev6_types\.h$/ {
	if ($0 ~ /^#define EV6_TYPES/)
		intypes = 1
	if (intypes) {
		line = $0
		while (match(line, /X\([A-Z_]+, [a-z_]+\)/)) {
			pair = substr(line, RSTART + 2, RLENGTH - 3)
			split(pair, w, ", ")
			ntypes++
			tname[ntypes] = w[2]
			tupper[w[2]] = w[1]
			line = substr(line, RSTART + RLENGTH)
		}
		if ($0 !~ /\\$/)
			intypes = 0
	}
	next
}

# A rule table: static const struct ev6_rule NAME[] = { ... };
/^static const struct ev6_rule / {
	table = $5
	sub(/\[\].*/, "", table)
	rules[table] = ""
	next
}
table != "" && /^};/ { table = ""; next }
table != "" && /{/ {
	s = $0
	gsub(/[{},]/, " ", s)
	n = split(s, f, " ")
	fn = f[1]; modes = f[2]; ex = f[3]
	gsub(/"/, "", fn)
	if (fn == "0")
		r = "otherwise " exitname(ex)
	else
		r = fn modename(modes) ": " exitname(ex)
	rules[table] = rules[table] (rules[table] == "" ? "" : "; ") r
	next
}

# A handler: [EV6_T_X] = { "name", EV6_STRATEGY, rules, surgery[, kills[, resumes]] },
/^ *\[EV6_T_[A-Z_]+\] *= *{/ {
	s = $0
	sub(/^[^{]*{/, "", s)
	sub(/}.*/, "", s)
	gsub(/[ "]/, "", s)
	n = split(s, f, ",")
	name = f[1]
	strategy[name] = tolower(substr(f[2], 5))
	ruletab[name] = f[3]
	surgery[name] = f[4]
	after[name] = (n >= 5 && f[5] == "1") ? "kills its owner (PK); the interrupted code goes on if that is another process" : \
	              (n >= 6 && f[6] == "1") ? "the interrupted code goes on" : "the exit the rules give"
	next
}

END {
	print "| object | strategy | surgery | after surgery | exit rules (first match in the call history wins) |"
	print "|---|---|---|---|---|"
	for (i = 1; i <= ntypes; i++) {
		t = tname[i]
		if (t == "unknown")
			continue
		if (t in strategy)
			printf "| %s | %s | `%s` | %s | %s |\n", t, strategy[t], surgery[t], after[t], rules[ruletab[t]]
		else
			printf "| %s | none | - | - | always FS (`reason=unrecoverable-object`) |\n", t
	}
}
