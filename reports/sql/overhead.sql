-- overhead.sql - the runtime overhead of recovery per usertest (the
-- paper's Figure 5), worst first, from the latest finished benchmark
-- session (make bench): the recovery kernel's mean time over the RECOVERY=0
-- kernel's. overhead is the headline ratio, `measure` says of what (see
-- common.sql): busy_ratio, the time processes ran (busytime(); under
-- -icount it depends only on the instructions executed), else ratio, the
-- elapsed guest time (the time CSR, 10 MHz); wall_ratio is from host
-- milliseconds. Times are in time-CSR units.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/overhead.sql
.read reports/sql/common.sql
SELECT name AS test, round(overhead, 3) AS overhead, measure,
       round(busy_ratio, 3) AS busy_ratio, round(ratio, 3) AS time_ratio,
       round(wall_ratio, 3) AS wall_ratio,
       CAST(round(recovery_busy) AS INTEGER) AS recovery_busy,
       CAST(round(vanilla_busy) AS INTEGER) AS vanilla_busy,
       CAST(round(recovery_time) AS INTEGER) AS recovery_time,
       CAST(round(vanilla_time) AS INTEGER) AS vanilla_time,
       samples, session
FROM overhead
WHERE overhead IS NOT NULL
ORDER BY overhead DESC, name;
