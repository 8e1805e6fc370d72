-- drivers_request.sql - the message boundary's cost per driver request,
-- latest driver session: usertests -q's busy time under -icount on the
-- driver-task kernel and on the direct-call drivers, the difference per
-- request the disk and UART tasks served, in time-CSR units and
-- instructions (-icount shift=4: an instruction is 16 ns, a time unit
-- 100 ns).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/drivers_request.sql
WITH s AS (SELECT max(session) AS id FROM drv_request),
     t AS (SELECT * FROM drv_request WHERE session = (SELECT id FROM s) AND kernel = 'tasks'),
     d AS (SELECT * FROM drv_request WHERE session = (SELECT id FROM s) AND kernel = 'direct')
SELECT t.busy AS tasks_busy, d.busy AS direct_busy,
       round(1.0 * t.busy / d.busy, 4) AS ratio, t.requests,
       round(1.0 * (t.busy - d.busy) / t.requests, 1) AS units_per_request,
       round(6.25 * (t.busy - d.busy) / t.requests) AS instructions_per_request
FROM t, d;
