-- summary.sql - the report's first screen: our headline figures beside the
-- paper's, one measure per line (measure, ours, paper). Counts of
-- scenarios are over the chosen results (see common.sql); a scenario
-- survived in a mode when it has runs that injected an error and every one
-- of them survived. The paper counts its Table 2 rows (40), which our
-- configs split into 49 scenarios, so its figures are given both ways.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/summary.sql
.read reports/sql/common.sql
WITH
db AS (SELECT (SELECT count(*) FROM campaigns) AS campaigns,
              (SELECT count(*) FROM jobs) AS jobs,
              (SELECT count(*) FROM jobs WHERE state = 'done') AS done,
              (SELECT count(*) FROM runs) AS runs),
-- per paper table and mode: scenarios, those with an injected run, survived, verdicts
modes AS (SELECT 1 AS k, 'conservative' AS mode UNION ALL SELECT 2, 'aggressive'),
t AS (SELECT p.tbl, m.k, m.mode, count(*) AS scenarios,
             sum((c.injected > 0) IS 1) AS ran,
             sum((c.injected > 0 AND c.survived = c.injected) IS 1) AS survived,
             sum(c.verdict IS 'agrees') AS agrees, sum(c.verdict IS 'differs') AS differs,
             sum(c.verdict IS 'better') AS better
      FROM paper p JOIN modes m
      LEFT JOIN cells c ON c.section = p.id AND c.mode = m.mode
      WHERE p.tbl IN ('2', '3') GROUP BY p.tbl, m.k),
both AS (SELECT coalesce(sum(c.injected > 0 AND a.injected > 0), 0) AS ran,
                coalesce(sum(c.injected > 0 AND c.survived = c.injected AND
                    a.injected > 0 AND a.survived = a.injected), 0) AS survived
         FROM cells c JOIN cells a ON a.section = c.section AND a.mode = 'aggressive'
         WHERE c.tbl = '2' AND c.mode = 'conservative'),
p2 AS (SELECT count(*) AS scenarios,
              sum(conservative NOT LIKE '%FS%') AS cons,
              sum(aggressive NOT LIKE '%FS%') AS aggr,
              sum(conservative NOT LIKE '%FS%' AND aggressive NOT LIKE '%FS%') AS both
       FROM paper WHERE tbl = '2'),
-- Table 2 rows where the paper fail-stops in some case and mode, and where
-- we fail-stopped there too (every injected run)
fsrows AS (SELECT count(DISTINCT p.row) AS paper,
                  count(DISTINCT CASE WHEN c.verdict = 'agrees' THEN p.row END) AS ours,
                  count(DISTINCT CASE WHEN c.injected > 0 THEN p.row END) AS ran
           FROM paper p
           JOIN modes m
           LEFT JOIN cells c ON c.section = p.id AND c.mode = m.mode
           WHERE p.tbl = '2' AND (CASE m.mode WHEN 'conservative' THEN p.conservative
                                  ELSE p.aggressive END) = 'FS'),
check_ AS (SELECT (SELECT group_concat(DISTINCT survival_command) FROM campaigns
                   WHERE id IN (SELECT campaign FROM chosen)) AS command,
                  (SELECT count(DISTINCT name) FROM test_results
                   WHERE phase = 'survival' AND run IN (SELECT run FROM jobres)) AS tests),
ov AS (SELECT count(*) AS tests, avg(overhead) AS mean, max(overhead) AS max,
              (SELECT name FROM overhead WHERE overhead IS NOT NULL
               ORDER BY overhead DESC, name LIMIT 1) AS worst,
              max(session) AS session,
              max(CASE measure WHEN 'busy' THEN 'busy time'
                               ELSE 'elapsed time' END) AS measure
       FROM overhead WHERE overhead IS NOT NULL),
mem AS (SELECT max(session) AS session, max(finished IS NULL) AS unfinished,
               max(CASE phase WHEN 'boot' THEN registry_bytes + replica_bytes END) AS boot,
               max(registry_bytes + replica_bytes) AS peak,
               (SELECT phase FROM memory ORDER BY registry_bytes + replica_bytes DESC
                LIMIT 1) AS peak_phase
        FROM memory),
nobench AS (SELECT 'no benchmark session yet: run make bench' AS msg),
pv AS (SELECT (SELECT value FROM paper WHERE tbl = 'summary' AND id = 'survive-both') AS both,
              (SELECT value FROM paper WHERE tbl = 'summary' AND id = 'failstop-correct') AS fs,
              (SELECT value FROM paper WHERE tbl = 'summary' AND id = 'usertests') AS usertests,
              (SELECT value FROM paper WHERE tbl = 'fig5' AND id = 'mean') AS mean,
              (SELECT value FROM paper WHERE tbl = 'fig5' AND id = 'max') AS max,
              (SELECT group_concat(object, ', ') FROM paper
               WHERE tbl = 'fig5' AND id = 'worst') AS worst,
              (SELECT value FROM paper WHERE tbl = '4' AND id = 'boot'
               AND object = 'total') AS boot,
              (SELECT max(value) FROM paper WHERE tbl = '4' AND object = 'total') AS peak)
SELECT measure, ours, paper FROM (
SELECT 1 AS k, 'database' AS measure,
       CASE WHEN db.campaigns = 0 THEN 'no campaign yet: run make campaign'
            ELSE db.campaigns || ' campaign(s), ' || db.jobs || ' jobs (' || db.done ||
                 ' done), ' || db.runs || ' runs' END AS ours,
       '-' AS paper
FROM db
UNION ALL
SELECT 2 + t.k, 'Table 2 scenarios survived, ' || t.mode,
       t.survived || ' of ' || t.ran || ' run (' || t.scenarios || ' in all)',
       CASE t.mode WHEN 'conservative' THEN p2.cons ELSE p2.aggr END || ' of ' ||
         p2.scenarios || ' survive'
FROM t, p2 WHERE t.tbl = '2'
UNION ALL
SELECT 5, 'Table 2 scenarios survived in both modes',
       both.survived || ' of ' || both.ran || ' run in both',
       printf('%g', pv.both) || ' cases (rows); ' || p2.both || ' of our ' ||
         p2.scenarios || ' scenarios'
FROM both, pv, p2
UNION ALL
SELECT 5 + 2 * t.tbl + t.k,
       'Table ' || t.tbl || ', ' || t.mode || ': agrees / differs / better',
       t.agrees || ' / ' || t.differs || ' / ' || t.better ||
         ' (' || (t.scenarios - t.ran) || ' of ' || t.scenarios || ' without a result)',
       '-'
FROM t
UNION ALL
SELECT 20, 'Table 2 rows where the paper fail-stops: we fail-stop too',
       fsrows.ours || ' of ' || fsrows.ran || ' run',
       printf('%g', pv.fs) || ' correct fail-stops (' || fsrows.paper || ' rows)'
FROM fsrows, pv
UNION ALL
SELECT 21, 'survival check',
       CASE WHEN check_.command IS NULL THEN 'no campaign yet: run make campaign'
            ELSE check_.command || ' (' || check_.tests || ' tests)' END,
       'all ' || printf('%g', pv.usertests) || ' usertests pass'
FROM check_, pv
UNION ALL
SELECT 21.5, 'errors the kernel did not report (never survival) / latent damage',
       (SELECT sum(outcome = 'unreported') || ' unreported / ' ||
               sum(outcome = 'latent-damage') || ' failed the self-audit, of ' ||
               sum(injected IS 1) || ' runs that injected'
        FROM jobres WHERE run IS NOT NULL),
       '-'
UNION ALL
SELECT 22, 'runtime overhead, mean',
       CASE WHEN ov.tests = 0 THEN nobench.msg
            ELSE printf('%.2fx over %d tests (%s, session %d)', ov.mean, ov.tests,
                        ov.measure, ov.session) END,
       printf('about %gx', pv.mean)
FROM ov, pv, nobench
UNION ALL
SELECT 23, 'runtime overhead, max',
       CASE WHEN ov.tests = 0 THEN nobench.msg
            ELSE printf('%.2fx (%s)', ov.max, ov.worst) END,
       printf('about %gx (%s)', pv.max, pv.worst)
FROM ov, pv, nobench
UNION ALL
SELECT 24, 'extra memory just after boot',
       CASE WHEN mem.boot IS NULL THEN nobench.msg
            ELSE printf('%.1f KB (session %d%s)', mem.boot / 1024.0, mem.session,
                        CASE mem.unfinished WHEN 1 THEN ', unfinished' ELSE '' END) END,
       printf('%g KB', pv.boot)
FROM mem, pv, nobench
UNION ALL
SELECT 25, 'extra memory, peak',
       CASE WHEN mem.peak IS NULL THEN nobench.msg
            ELSE printf('%.1f KB (%s)', mem.peak / 1024.0, mem.peak_phase) END,
       printf('%g KB (shuffled-alloc)', pv.peak)
FROM mem, pv, nobench)
ORDER BY k;
