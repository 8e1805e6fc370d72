-- drivers_console.sql - the UART's message boundary per console write,
-- latest driver session: drvtest cons under -icount on the driver-task
-- kernel and on the direct-call drivers, per write of `bytes` bytes: the
-- harts' busy time (instructions: -icount shift=4, 6.25 an instruction per
-- time unit) and the guest time the write took (the task waits for each
-- burst's "transmitter empty" interrupt; the direct-call driver queues).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/drivers_console.sql
WITH s AS (SELECT max(session) AS id FROM drv_console),
     t AS (SELECT * FROM drv_console WHERE session = (SELECT id FROM s) AND kernel = 'tasks'),
     d AS (SELECT * FROM drv_console WHERE session = (SELECT id FROM s) AND kernel = 'direct')
SELECT t.bytes,
       round(1.0 * t.busy / t.writes) AS tasks_busy,
       round(1.0 * d.busy / d.writes) AS direct_busy,
       round(6.25 * (t.busy - d.busy) / t.writes) AS instructions_per_write,
       round(1.0 * t.time / t.writes / 10, 1) AS tasks_us,
       round(1.0 * d.time / d.writes / 10, 1) AS direct_us
FROM t JOIN d USING (bytes)
ORDER BY t.bytes;
