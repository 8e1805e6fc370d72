-- 003-bench-busy.sql - migration 003: bench_tests.busy, usertests' busy=
-- (the time processes ran, without idle time: deterministic under
-- -icount), and bench_overhead rebuilt to leave out unfinished
-- (interrupted) sessions and to add the busy ratio and spreads.
ALTER TABLE bench_tests ADD COLUMN busy INTEGER;

DROP VIEW bench_overhead;

-- Per test and finished session (an interrupted one, finished NULL, is
-- left out): mean guest time on each kernel over the passing runs of the
-- test, their ratio (the overhead), the same for busy time (busy_ratio,
-- the deterministic one) and host time, and the spread of each kernel's
-- repetitions (max/min of time; *_busy_spread of busy).
CREATE VIEW bench_overhead AS
SELECT r.session, t.name,
       avg(CASE r.kernel WHEN 'recovery' THEN t.time END) AS recovery_time,
       avg(CASE r.kernel WHEN 'vanilla' THEN t.time END) AS vanilla_time,
       avg(CASE r.kernel WHEN 'recovery' THEN t.time END) /
         avg(CASE r.kernel WHEN 'vanilla' THEN t.time END) AS ratio,
       avg(CASE r.kernel WHEN 'recovery' THEN t.wall_ms END) * 1.0 /
         avg(CASE r.kernel WHEN 'vanilla' THEN t.wall_ms END) AS wall_ratio,
       max(CASE r.kernel WHEN 'recovery' THEN t.time END) * 1.0 /
         min(CASE r.kernel WHEN 'recovery' THEN t.time END) AS recovery_spread,
       max(CASE r.kernel WHEN 'vanilla' THEN t.time END) * 1.0 /
         min(CASE r.kernel WHEN 'vanilla' THEN t.time END) AS vanilla_spread,
       count(*) AS samples,
       avg(CASE r.kernel WHEN 'recovery' THEN t.busy END) AS recovery_busy,
       avg(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS vanilla_busy,
       avg(CASE r.kernel WHEN 'recovery' THEN t.busy END) /
         avg(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS busy_ratio,
       max(CASE r.kernel WHEN 'recovery' THEN t.busy END) * 1.0 /
         min(CASE r.kernel WHEN 'recovery' THEN t.busy END) AS recovery_busy_spread,
       max(CASE r.kernel WHEN 'vanilla' THEN t.busy END) * 1.0 /
         min(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS vanilla_busy_spread
FROM bench_tests t
JOIN bench_runs r ON r.id = t.run
JOIN bench_sessions s ON s.id = r.session
WHERE t.result = 'pass' AND s.finished IS NOT NULL
GROUP BY r.session, t.name;

INSERT INTO schema_version VALUES (3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
