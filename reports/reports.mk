# reports.mk - the report generators: the paper's tables and figures
# rebuilt from the campaign database alone (no QEMU, nothing to build).
#
#   make report              reports/out/: report.md, report.tex, a CSV and a
#                            LaTeX table each, SVG and PNG figures, and
#                            index.html (all on one page; runs/ID.txt)
#   make report DB=FILE      from another database (default db/ev6.db);
#                            REPORT_OUT=DIR writes elsewhere
#   make test-report         the generator's tests on a fixture database;
#                            ends with `reports: N passed, N failed`
#
# Included from the top Makefile (which defines SAY). Needs sqlite3, awk
# and gnuplot (make deps installs them). Including this file does not
# change the Makefile's default goal.

REPORTS_SAVED_GOAL := $(.DEFAULT_GOAL)

DB ?= db/ev6.db
REPORT_OUT ?= reports/out

report:
	$(SAY) "  REPORT  $(REPORT_OUT)/report.md"
	@reports/report.sh -o $(REPORT_OUT) $(DB)

test-report:
	@tests/reports/run.sh

.PHONY: report test-report

.DEFAULT_GOAL := $(REPORTS_SAVED_GOAL)
