-- drivers.sql - driver faults of the latest driver session (make
-- bench-drivers): per driver, fault and detector, how long detection took, the
-- restart's kind and time, and when service came back. Times in
-- milliseconds (restart in microseconds).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/drivers.sql
SELECT driver, fault, detector,
       CASE detector WHEN 'heartbeat' THEN period_ms ELSE '-' END AS period_ms,
       why, CASE reinit WHEN 1 THEN 'device re-init' ELSE 'software only' END AS restart,
       round(detect_us / 1000.0, 1) AS detect_ms, detect_ticks,
       restart_us, round(back_us / 1000.0, 1) AS service_back_ms,
       round(user_us / 1000.0, 1) AS user_call_ms
FROM drv_detect
WHERE session = (SELECT max(session) FROM drv_detect)
ORDER BY driver, fault, detector, period_ms;
