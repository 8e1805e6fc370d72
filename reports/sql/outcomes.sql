-- outcomes.sql - how every chosen run ended (see common.sql), counted per
-- object type: the data of the stacked-bar figure. "check failed": the
-- kernel recovered (SF, PK or no exit) but the survival check or fsck
-- failed. The columns follow outcome_classes' order; reports/report.sh
-- colours each with its class's colour (outcomes.gp).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/outcomes.sql
.read reports/sql/common.sql
SELECT object,
       sum(outcome = 'SF' AND survived = 1) AS "SF survived",
       sum(outcome = 'PK' AND survived = 1) AS "PK survived",
       sum(outcome = 'continued' AND survived = 1) AS "no exit, survived",
       sum(outcome IN ('SF', 'PK', 'continued') AND survived = 0) AS "check failed",
       sum(outcome = 'FS') AS "FS",
       sum(outcome = 'latent-damage') AS "latent damage",
       sum(outcome = 'unreported') AS "unreported",
       sum(outcome = 'panic') AS "panic",
       sum(outcome = 'hang') AS "hang",
       sum(outcome = 'corrupt-fs') AS "corrupt-fs",
       sum(outcome = 'not-reached') AS "not reached",
       sum(outcome = 'harness-error') AS "harness error",
       count(*) AS runs
FROM jobres
WHERE run IS NOT NULL
GROUP BY object ORDER BY object;
