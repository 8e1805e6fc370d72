-- table3.sql - the paper's Table 3 (multiple faults) beside our results,
-- the same columns as table2.sql. "FS (NMI shepherd), X" in the paper: FS
-- or X both agree.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/table3.sql
.read reports/sql/common.sql
SELECT row, scenario, object, site, paper_conservative, ours_conservative,
       conservative, paper_aggressive, ours_aggressive, aggressive, campaign,
       description
FROM paper_table WHERE tbl = '3' ORDER BY row, scenario;
