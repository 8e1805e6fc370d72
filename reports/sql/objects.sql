-- objects.sql - survival per object type (of the scenario's first error),
-- over the chosen results of every scenario (see common.sql): how many
-- runs that injected an error survived (SF, PK or no exit, then the
-- survival check passed) in each mode, the fail-stops, the other outcomes
-- (panic, hang, corrupt-fs, not injected, harness errors), and how many
-- runs agree with the paper where it has a result.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/objects.sql
.read reports/sql/common.sql
SELECT object,
       count(DISTINCT section) AS scenarios,
       sum(mode = 'conservative' AND injected IS 1 AND survived IS 1) || '/' ||
         sum(mode = 'conservative' AND injected IS 1) AS survived_conservative,
       sum(mode = 'aggressive' AND injected IS 1 AND survived IS 1) || '/' ||
         sum(mode = 'aggressive' AND injected IS 1) AS survived_aggressive,
       coalesce(round(100.0 * sum(injected IS 1 AND survived IS 1) /
                      nullif(sum(injected IS 1), 0), 1), '-') AS survived_percent,
       sum(outcome IS 'FS') AS failstops,
       sum(outcome NOT IN ('SF', 'PK', 'FS', 'continued')) AS other,
       sum(agree) || '/' || sum(injected IS 1 AND paper IS NOT NULL) AS agree_with_paper
FROM jobres
WHERE run IS NOT NULL
GROUP BY object ORDER BY object;
