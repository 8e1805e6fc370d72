# md2html.awk - the Markdown that reports/markdown.sh writes, as the body
# of an HTML page (reports/html.sh wraps it): headings, paragraphs, lists,
# tables, images, links, **bold**, *emphasis* and `code`. Nothing else of
# Markdown is needed, so nothing else is understood.
#
# Tables get two extras for index.html. A cell of a column named
# `scenario' links to that scenario's runs (#s-NAME) when the runs table
# lists it; in the runs table (the one with a `run' column) each
# scenario's first row is that anchor. A cell of a column named
# `outcome' takes the colour of its class (-v colours="SF=#4daf4a ...").
#
#   awk -v colours=... -f reports/md2html.awk runs.tsv report.md
# runs.tsv (reports/sql/runs.sql) is read only for its scenario names.
BEGIN {
	n = split(colours, kv, " ")
	for (i = 1; i <= n; i++) {
		split(kv[i], p, "=")
		colour[p[1]] = p[2]
	}
}

FNR == 1 && NR != 1 { body = 1 }
!body { if (FNR > 1) { split($0, f, "\t"); hasruns[f[1]] = 1 }; next }

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

# Inline markup of one line of text (already escaped). match() sets the
# globals RSTART and RLENGTH: they are taken before anything matches again.
function inline(s,    out, at, len) {
	out = ""
	while (match(s, /`[^`]*`/)) {	# code spans first: nothing inside them
		at = RSTART
		len = RLENGTH
		out = out rest(substr(s, 1, at - 1))
		out = out "<code>" substr(s, at + 1, len - 2) "</code>"
		s = substr(s, at + len)
	}
	return out rest(s)
}
function rest(s,    out, alt, href, a, before, split_at) {
	out = ""
	while (match(s, /!?\[[^]]*\]\([^)]*\)/)) {
		a = substr(s, RSTART, RLENGTH)
		before = substr(s, 1, RSTART - 1)
		s = substr(s, RSTART + RLENGTH)
		out = out emph(before)
		split_at = index(a, "](")
		alt = substr(a, a ~ /^!/ ? 3 : 2, split_at - (a ~ /^!/ ? 3 : 2))
		href = substr(a, split_at + 2, length(a) - split_at - 2)
		if (a ~ /^!/)
			out = out "<a href=\"" href "\"><img src=\"" href "\" alt=\"" alt "\"></a>"
		else
			out = out "<a href=\"" href "\">" emph(alt) "</a>"
	}
	return out emph(s)
}
function emph(s) {
	while (match(s, /\*\*[^*]+\*\*/))
		s = substr(s, 1, RSTART - 1) "<strong>" substr(s, RSTART + 2, RLENGTH - 4) "</strong>" substr(s, RSTART + RLENGTH)
	while (match(s, /\*[^* ][^*]*\*/))
		s = substr(s, 1, RSTART - 1) "<em>" substr(s, RSTART + 1, RLENGTH - 2) "</em>" substr(s, RSTART + RLENGTH)
	return s
}

function close_block() {
	if (para != "")
		print "<p>" para "</p>"
	para = ""
	if (inlist)
		print "</ul>"
	inlist = 0
	if (intable)
		print "</tbody></table>"
	intable = 0
}

# | a | b | as its cells, in cell[1..]; returns how many. "\|" is a bar.
function cells(line,    n, i, c) {
	gsub(/\\\|/, "\001", line)
	sub(/^\| ?/, "", line)
	sub(/ ?\|$/, "", line)
	n = split(line, c, / ?\| ?/)
	for (i = 1; i <= n; i++) {
		gsub(/\001/, "|", c[i])
		cell[i] = c[i]
	}
	return n
}

function table_row(line,    n, i, v, attr, s) {
	n = cells(esc(line))
	if (!intable) {		# the header; the alignment row comes next
		close_block()
		intable = 1
		aligned = 0
		scol = ocol = rcol = 0
		printf "<table><thead><tr>"
		for (i = 1; i <= n; i++) {
			head[i] = cell[i]
			if (cell[i] == "scenario") scol = i
			if (cell[i] == "outcome") ocol = i
			if (cell[i] == "run") rcol = i
			printf "<th>%s</th>", inline(cell[i])
		}
		print "</tr></thead><tbody>"
		return
	}
	if (!aligned) {
		for (i = 1; i <= n; i++)
			right[i] = cell[i] ~ /:$/
		aligned = 1
		return
	}
	s = scol ? cell[scol] : ""
	if (rcol && s != last_scenario)
		printf "<tr id=\"s-%s\">", s
	else
		printf "<tr>"
	last_scenario = s
	for (i = 1; i <= n; i++) {
		v = inline(cell[i])
		attr = right[i] ? " class=\"num\"" : ""
		if (i == ocol && (cell[i] in colour))
			attr = " style=\"background:" colour[cell[i]] "\""
		if (i == scol && !rcol && (cell[i] in hasruns))
			v = "<a href=\"#s-" cell[i] "\">" v "</a>"
		printf "<td%s>%s</td>", attr, v
	}
	print "</tr>"
}

/^#+ / {
	close_block()
	match($0, /^#+/)
	h = RLENGTH
	t = substr($0, h + 2)
	id = tolower(t)
	gsub(/[^a-z0-9]+/, "-", id)
	sub(/^-/, "", id)
	sub(/-$/, "", id)
	printf "<h%d id=\"%s\">%s</h%d>\n", h, id, inline(esc(t)), h
	next
}
/^\|/ { table_row($0); next }
/^- / {
	if (!inlist) {
		close_block()
		print "<ul>"
		inlist = 1
	}
	print "<li>" inline(esc(substr($0, 3))) "</li>"
	next
}
/^[ \t]*$/ { close_block(); next }
{
	if (inlist || intable)
		close_block()
	para = para (para == "" ? "" : "\n") inline(esc($0))
}
END { close_block() }
