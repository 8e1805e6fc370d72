-- runs.sql - every run of every campaign (replays and retried attempts
-- too), by scenario: its outcome, exit and the verdict's detail. The
-- report writes each run's console, GDB log and fsck report to
-- reports/out/runs/ID.txt, which index.html links from the run column.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/runs.sql
SELECT s.section AS scenario, r.id AS run, j.campaign, j.mode, j.rep,
       r.attempt, r.replay_of, r.outcome, coalesce(r.exit, '') AS exit,
       r.survived, r.total_ms, r.detail
FROM runs r
JOIN jobs j ON j.id = r.job
JOIN scenarios s ON s.id = j.scenario
ORDER BY s.section, j.campaign, j.mode, j.rep, r.id;
