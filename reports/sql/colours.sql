-- colours.sql - each outcome class with its colour (outcome_classes), for
-- the figures (reports/report.sh hands them to gnuplot).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/colours.sql
SELECT name, colour FROM outcome_classes ORDER BY rank;
