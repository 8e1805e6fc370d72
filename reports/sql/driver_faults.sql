-- driver_faults.sql - the driver-fault campaign (configs/drivers.ini,
-- kind = driver): per scenario and run, the detector it ran under, what
-- the scenario expects, what the kernel's drv: event=restart line showed
-- (its reason, the restart's kind, the detection latency in ms of the
-- guest's time CSR) and the run's outcome (restarted = survived).
--
--   sqlite3 -header -column db/ev6.db < reports/sql/driver_faults.sql
.read reports/sql/common.sql
SELECT k.section AS scenario, d.driver, d.fault, d.detector,
       d.expect_detect || ', ' || d.expect_restart AS expected,
       coalesce(rd.why, '-') AS detected_by, coalesce(rd.restart, '-') AS restart,
       CASE WHEN rd.detect_us >= 0 THEN printf('%.1f', rd.detect_us / 1000.0) ELSE '-' END
         AS latency_ms,
       coalesce(r.outcome, 'pending') AS outcome, k.campaign
FROM chosen k
JOIN scenario_driver d ON d.scenario = k.scenario
JOIN jobs j ON j.scenario = k.scenario
LEFT JOIN runs r ON r.id = (SELECT max(id) FROM runs WHERE job = j.id AND replay_of IS NULL)
LEFT JOIN run_driver rd ON rd.run = r.id
ORDER BY d.driver, d.fault, d.detector DESC, j.rep;
