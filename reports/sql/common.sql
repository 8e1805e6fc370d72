-- common.sql - what every report query shares: the paper's figures and
-- which of the database's results stand for each scenario and benchmark.
-- The other files of reports/sql/ start with `.read reports/sql/common.sql`,
-- so run them from the top of the tree:
--
--   sqlite3 -header -column db/ev6.db < reports/sql/table2.sql
--
-- It creates only TEMP tables and views; the database is not changed.
--
-- paper      reports/paper.tsv (see its header), loaded by reports/paper.awk.
-- chosen     one scenario per name (config section). A database holds many
--            campaigns (a smoke run, the full tables, reruns after a kernel
--            change); for each section name the report takes the latest
--            campaign that ran it from a Table 2/3 config, else the latest
--            that ran it at all (configs/smoke.ini reuses Table 2's names),
--            counting only campaigns with at least one run of it. The
--            sweep's scenarios (sweep-<class>) are left to sweep.sql.
--            Campaigns started with --delivery (redelivered: the paper's
--            configs with every error delivered one way, `make
--            campaign-access`) are left to delivery.sql.
-- jobres     every job of a chosen scenario with its result (the latest run
--            that is not a replay; NULL while it has none), the paper's
--            result for its mode, and a label: head "SF", "PK", "no exit"
--            (outcome continued: recovery took no exit), "FS", another
--            outcome ("unreported", "latent-damage", "panic", ...) or
--            "pending"; tail "survived" / "check failed" after SF, PK and
--            no exit; agree: the run agrees with the paper (below).
-- cells      per scenario and mode: counts and the verdict against the
--            paper, over the runs that injected an error:
--              agrees   every run took an exit the paper reports for that
--                       mode, and survived when it was SF or PK (the
--                       schema's paper_comparison rule);
--              better   the paper fail-stopped (its cell is FS alone) and
--                       every run survived (SF or PK or no exit, then the
--                       survival check passed): root-directory, T_DEVICE
--                       and other cases the paper could not recover;
--              differs  anything else;
--              not run / not injected  no run yet / none injected.
--            ours: the labels with their counts, "SF 3/3 survived".
-- overhead   bench_overhead of the latest benchmark session with a ratio
--            (the view has finished sessions only), plus `overhead`, the
--            headline ratio: busy_ratio (the time processes ran, which
--            -icount makes deterministic) when the session measured it,
--            else ratio (elapsed guest time); `measure` says which.
-- memory     bench_memory of the latest finished session with memory rows,
--            else of the latest unfinished one (finished is NULL then).

.read '|awk -f reports/paper.awk reports/paper.tsv'

DROP VIEW IF EXISTS temp.redelivered;
CREATE TEMP VIEW redelivered AS
SELECT id AS campaign, CASE WHEN ' ' || command_line || ' ' LIKE '% --delivery access %'
                              OR ' ' || command_line || ' ' LIKE '% --delivery=access %'
                            THEN 'access' ELSE 'other' END AS delivery
FROM campaigns
WHERE ' ' || command_line || ' ' LIKE '% --delivery %'
   OR ' ' || command_line || ' ' LIKE '% --delivery=%';

DROP VIEW IF EXISTS temp.chosen;
CREATE TEMP VIEW chosen AS
SELECT id AS scenario, campaign, config_file, section, object, site, paper_table
FROM (SELECT s.*, row_number() OVER (PARTITION BY s.section
                    ORDER BY s.paper_table IN ('2', '3') DESC, s.campaign DESC) AS pick
      FROM scenarios s
      WHERE EXISTS (SELECT 1 FROM jobs j JOIN runs r ON r.job = j.id
                    WHERE j.scenario = s.id)
        AND s.section NOT LIKE 'sweep-%'
        AND s.campaign NOT IN (SELECT campaign FROM redelivered))
WHERE pick = 1;

DROP VIEW IF EXISTS temp.jobres;
CREATE TEMP VIEW jobres AS
SELECT x.*,
       (injected = 1 AND outcome IN ('SF', 'PK', 'FS')
        AND instr('|' || paper || '|', '|' || exit || '|') > 0
        AND (exit = 'FS' OR survived = 1)) IS 1 AS agree
FROM (SELECT c.section, c.campaign, c.config_file, c.object, c.site,
             j.id AS job, j.mode, j.rep,
             r.id AS run, r.outcome, r.exit, r.survived, r.injected,
             p.tbl, p.row,
             CASE j.mode WHEN 'conservative' THEN p.conservative
                         ELSE p.aggressive END AS paper,
             CASE WHEN r.id IS NULL THEN 'pending'
                  WHEN r.outcome IN ('SF', 'PK') THEN r.outcome
                  WHEN r.outcome = 'continued' THEN 'no exit'
                  ELSE r.outcome END AS head,
             CASE WHEN r.id IS NULL OR r.outcome NOT IN ('SF', 'PK', 'continued') THEN ''
                  WHEN r.survived = 1 THEN 'survived'
                  ELSE 'check failed' END AS tail
      FROM chosen c
      JOIN jobs j ON j.scenario = c.scenario
      -- a database older than schema 5 says "survived" for a run that
      -- took no exit: read it as migration 005 does
      LEFT JOIN (SELECT id, job, exit, injected,
                        CASE WHEN outcome IS NOT 'survived' THEN outcome
                             WHEN exit IS NULL THEN 'unreported'
                             ELSE 'continued' END AS outcome,
                        CASE WHEN outcome IS 'survived' AND exit IS NULL THEN 0
                             ELSE survived END AS survived
                 FROM results) r ON r.job = j.id
      LEFT JOIN paper p ON p.id = c.section AND p.tbl IN ('2', '3')) x;

DROP VIEW IF EXISTS temp.labels;
CREATE TEMP VIEW labels AS
SELECT section, mode, head, tail, count(*) AS n,
       sum(count(*)) OVER (PARTITION BY section, mode) AS total
FROM jobres GROUP BY section, mode, head, tail;

DROP VIEW IF EXISTS temp.cells;
CREATE TEMP VIEW cells AS
SELECT k.*,
       (SELECT group_concat(head || ' ' || n || '/' || total ||
                            CASE tail WHEN '' THEN '' ELSE ' ' || tail END, '; ')
        FROM (SELECT * FROM labels l WHERE l.section = k.section AND l.mode = k.mode
              ORDER BY head = 'pending', n DESC, head)) AS ours,
       CASE WHEN k.paper IS NULL THEN NULL
            WHEN k.injected = 0 THEN CASE k.runs WHEN 0 THEN 'not run'
                                                 ELSE 'not injected' END
            WHEN k.agreeing = k.injected THEN 'agrees'
            WHEN k.paper = 'FS' AND k.survived = k.injected THEN 'better'
            ELSE 'differs' END AS verdict
FROM (SELECT section, mode, tbl, row, paper, campaign, config_file, object,
             count(*) AS jobs, count(run) AS runs,
             sum(injected IS 1) AS injected,
             sum(injected IS 1 AND survived IS 1) AS survived,
             sum(injected IS 1 AND outcome IS 'FS') AS failstops,
             sum(agree) AS agreeing
      FROM jobres GROUP BY section, mode) k;

-- A paper table (2 or 3) beside our results, one line per scenario.
DROP VIEW IF EXISTS temp.paper_table;
CREATE TEMP VIEW paper_table AS
SELECT p.tbl, p.row, p.id AS scenario, p.object, p.site,
       replace(p.conservative, '|', '/') AS paper_conservative,
       coalesce(c.ours, 'not run') AS ours_conservative,
       coalesce(c.verdict, '-') AS conservative,
       replace(p.aggressive, '|', '/') AS paper_aggressive,
       coalesce(a.ours, 'not run') AS ours_aggressive,
       coalesce(a.verdict, '-') AS aggressive,
       coalesce(c.campaign, a.campaign, '') AS campaign,
       p.scenario || CASE p.flag WHEN 'merged' THEN ' (merged cell)' ELSE '' END ||
         CASE WHEN p.note LIKE 'case:%' THEN '; ' || p.note ELSE '' END AS description
FROM paper p
LEFT JOIN cells c ON c.section = p.id AND c.mode = 'conservative'
LEFT JOIN cells a ON a.section = p.id AND a.mode = 'aggressive'
WHERE p.tbl IN ('2', '3');

DROP VIEW IF EXISTS temp.overhead;
CREATE TEMP VIEW overhead AS
SELECT o.*, CASE WHEN s.busy THEN o.busy_ratio ELSE o.ratio END AS overhead,
       CASE WHEN s.busy THEN 'busy' ELSE 'time' END AS measure
FROM bench_overhead o
JOIN (SELECT session, max(busy_ratio IS NOT NULL) AS busy FROM bench_overhead
      WHERE session = (SELECT max(session) FROM bench_overhead
                       WHERE ratio IS NOT NULL OR busy_ratio IS NOT NULL)
      GROUP BY session) s ON s.session = o.session;

DROP VIEW IF EXISTS temp.memory;
CREATE TEMP VIEW memory AS
SELECT m.*, s.finished FROM bench_memory m JOIN bench_sessions s ON s.id = m.session
WHERE m.session = (SELECT b.session FROM bench_memory b
                   JOIN bench_sessions t ON t.id = b.session
                   ORDER BY t.finished IS NOT NULL DESC, b.session DESC LIMIT 1);
