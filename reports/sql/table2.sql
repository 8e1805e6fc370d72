-- table2.sql - the paper's Table 2 (single faults) beside our results: per
-- scenario and mode the paper's exit, ours with repetitions ("SF 3/3
-- survived") and the verdict (agrees / differs / better; see common.sql).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/table2.sql
.read reports/sql/common.sql
SELECT row, scenario, object, site, paper_conservative, ours_conservative,
       conservative, paper_aggressive, ours_aggressive, aggressive, campaign,
       description
FROM paper_table WHERE tbl = '2' ORDER BY row, scenario;
