-- delivery.sql - Tables 2 and 3 with the error delivered two ways, beside
-- the paper: per paper row and mode, the paper's exit, ours with breakpoint
-- delivery (the error raised at the site, as the tables are run: the
-- chosen scenario of common.sql) and ours with access delivery (raised at
-- the first read of the damaged bytes after the site: the latest campaign
-- started with `ev6-campaign --delivery access`, make campaign-access),
-- and `differs` where the two end differently (the outcomes and survival,
-- repetitions not counted). A scenario with more than one error (Table 3)
-- has each raised by its own consumer under access
-- (campaign/gdbscripts/consumers.py).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/delivery.sql
.read reports/sql/common.sql

DROP VIEW IF EXISTS temp.access_chosen;
CREATE TEMP VIEW access_chosen AS
SELECT id AS scenario, section, campaign
FROM (SELECT s.*, row_number() OVER (PARTITION BY s.section ORDER BY s.campaign DESC) AS pick
      FROM scenarios s
      WHERE s.campaign IN (SELECT campaign FROM redelivered WHERE delivery = 'access')
        AND s.delivery = 'access'
        AND EXISTS (SELECT 1 FROM jobs j JOIN runs r ON r.job = j.id WHERE j.scenario = s.id))
WHERE pick = 1;

-- Each access job's label, as jobres labels the breakpoint ones.
DROP VIEW IF EXISTS temp.access_labels;
CREATE TEMP VIEW access_labels AS
SELECT section, mode, head, tail, count(*) AS n,
       sum(count(*)) OVER (PARTITION BY section, mode) AS total
FROM (SELECT a.section, j.mode,
             CASE WHEN r.id IS NULL THEN 'pending'
                  WHEN r.outcome IN ('SF', 'PK') THEN r.outcome
                  WHEN r.outcome = 'continued' THEN 'no exit'
                  ELSE r.outcome END AS head,
             CASE WHEN r.id IS NULL OR r.outcome NOT IN ('SF', 'PK', 'continued') THEN ''
                  WHEN r.survived = 1 THEN 'survived'
                  ELSE 'check failed' END AS tail
      FROM access_chosen a
      JOIN jobs j ON j.scenario = a.scenario
      LEFT JOIN results r ON r.job = j.id)
GROUP BY section, mode, head, tail;

-- Per delivery, section and mode: the labels with counts, and without
-- (what is compared).
DROP VIEW IF EXISTS temp.delivered_cells;
CREATE TEMP VIEW delivered_cells AS
SELECT 'breakpoint' AS delivery, section, mode,
       group_concat(head || ' ' || n || '/' || total ||
                    CASE tail WHEN '' THEN '' ELSE ' ' || tail END, '; ') AS ours,
       group_concat(head || CASE tail WHEN '' THEN '' ELSE ' ' || tail END, '; ') AS kinds
FROM (SELECT * FROM labels ORDER BY section, mode, head = 'pending', n DESC, head)
GROUP BY section, mode
UNION ALL
SELECT 'access', section, mode,
       group_concat(head || ' ' || n || '/' || total ||
                    CASE tail WHEN '' THEN '' ELSE ' ' || tail END, '; '),
       group_concat(head || CASE tail WHEN '' THEN '' ELSE ' ' || tail END, '; ')
FROM (SELECT * FROM access_labels ORDER BY section, mode, head = 'pending', n DESC, head)
GROUP BY section, mode;

DROP VIEW IF EXISTS temp.delivery_table;
CREATE TEMP VIEW delivery_table AS
SELECT p.tbl, p.row, p.id AS scenario, m.mode,
       replace(CASE m.mode WHEN 'conservative' THEN p.conservative ELSE p.aggressive END,
               '|', '/') AS paper,
       coalesce(b.ours, 'not run') AS breakpoint,
       coalesce(a.ours, 'not run') AS access,
       CASE WHEN a.kinds IS NULL OR b.kinds IS NULL OR a.kinds = b.kinds
                 OR a.kinds LIKE '%pending%' OR b.kinds LIKE '%pending%' THEN ''
            ELSE 'differs' END AS delivery_differs
FROM paper p
JOIN (SELECT 'conservative' AS mode UNION ALL SELECT 'aggressive') m
LEFT JOIN delivered_cells b ON b.delivery = 'breakpoint' AND b.section = p.id AND b.mode = m.mode
LEFT JOIN delivered_cells a ON a.delivery = 'access' AND a.section = p.id AND a.mode = m.mode
WHERE p.tbl IN ('2', '3');

SELECT tbl AS "table", row, scenario, mode, paper, breakpoint, access, delivery_differs AS differs
FROM delivery_table ORDER BY tbl, row, scenario, mode = 'aggressive';
