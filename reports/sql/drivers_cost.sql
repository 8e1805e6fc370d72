-- drivers_cost.sql - the monitors' cost against the number of driver
-- tasks, latest driver session, idle guest under -icount: messages per
-- second and share of one hart's time (per mille) of the heartbeat at 1 s
-- and at 20 ms (busy time above the no-detector interval's; 20 ms detects
-- about as fast as the in-kernel detector) and of the in-kernel checks
-- (their own time; they send no messages).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/drivers_cost.sql
WITH m AS (SELECT * FROM drv_monitor WHERE session = (SELECT max(session) FROM drv_monitor))
SELECT k.tasks,
       h.msgs_per_s AS hb_1s_msgs_per_s,
       round(1000.0 * max(h.busy_us - n.busy_us, 0) / h.interval_us, 3) AS hb_1s_permille,
       f.msgs_per_s AS hb_20ms_msgs_per_s,
       round(1000.0 * max(f.busy_us - n.busy_us, 0) / f.interval_us, 3) AS hb_20ms_permille,
       k.msgs_per_s AS kernel_msgs_per_s,
       round(1000.0 * k.check_us / k.interval_us, 3) AS kernel_permille,
       k.checks AS kernel_checks
FROM m k JOIN m n ON n.tasks = k.tasks AND n.detector = 'none'
         LEFT JOIN m h ON h.tasks = k.tasks AND h.detector = 'heartbeat' AND h.period_ms = 1000
         LEFT JOIN m f ON f.tasks = k.tasks AND f.detector = 'heartbeat' AND f.period_ms = 20
WHERE k.detector = 'kernel'
ORDER BY k.tasks;
