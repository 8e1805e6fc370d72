-- drivers_cost.sql - the monitors' cost against the number of driver
-- tasks, latest driver session, idle guest under -icount: messages per
-- second and share of one hart's time (per mille) of the heartbeat at 1 s
-- (busy time above the no-detector interval's) and of the in-kernel checks
-- (their own time; they send no messages).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/drivers_cost.sql
WITH m AS (SELECT * FROM drv_monitor WHERE session = (SELECT max(session) FROM drv_monitor))
SELECT h.tasks,
       h.msgs_per_s AS heartbeat_msgs_per_s,
       round(1000.0 * max(h.busy_us - n.busy_us, 0) / h.interval_us, 3) AS heartbeat_permille,
       round(1000.0 * h.monitor_us / h.interval_us, 3) AS monitor_permille,
       k.msgs_per_s AS kernel_msgs_per_s,
       round(1000.0 * k.check_us / k.interval_us, 3) AS kernel_permille,
       k.checks AS kernel_checks
FROM m h JOIN m k ON k.tasks = h.tasks AND k.detector = 'kernel'
         JOIN m n ON n.tasks = h.tasks AND n.detector = 'none'
WHERE h.detector = 'heartbeat'
ORDER BY h.tasks;
