-- status.sql - what the database holds, as key/value lines: the report
-- generator uses it to say what is missing and to skip empty figures.
--
--   sqlite3 db/ev6.db < reports/sql/status.sql
.read reports/sql/common.sql
SELECT 'schema_version' AS key,
       coalesce((SELECT max(version) FROM schema_version), '') AS value
UNION ALL SELECT 'campaigns', (SELECT count(*) FROM campaigns)
UNION ALL SELECT 'driver_fault_runs', (SELECT count(*) FROM run_driver)
UNION ALL SELECT 'jobs', (SELECT count(*) FROM jobs)
UNION ALL SELECT 'jobs_done', (SELECT count(*) FROM jobs WHERE state = 'done')
UNION ALL SELECT 'runs', (SELECT count(*) FROM runs)
UNION ALL SELECT 'table2_run', (SELECT count(DISTINCT section) FROM cells
                                WHERE tbl = '2' AND injected > 0)
UNION ALL SELECT 'table2_scenarios', (SELECT count(*) FROM paper WHERE tbl = '2')
UNION ALL SELECT 'table3_run', (SELECT count(DISTINCT section) FROM cells
                                WHERE tbl = '3' AND injected > 0)
UNION ALL SELECT 'table3_scenarios', (SELECT count(*) FROM paper WHERE tbl = '3')
UNION ALL SELECT 'chosen_runs', (SELECT count(run) FROM jobres)
UNION ALL SELECT 'recoveries', (SELECT count(*) FROM ev6_events
                                WHERE event = 'recovered' AND cost IS NOT NULL
                                AND run IN (SELECT run FROM jobres))
UNION ALL SELECT 'bench_sessions', (SELECT count(*) FROM bench_sessions)
UNION ALL SELECT 'overhead_session', coalesce((SELECT max(session) FROM overhead), '')
UNION ALL SELECT 'overhead_tests', (SELECT count(*) FROM overhead WHERE overhead IS NOT NULL)
UNION ALL SELECT 'overhead_measure', coalesce((SELECT max(measure) FROM overhead), '')
UNION ALL SELECT 'bench_unfinished', coalesce((SELECT group_concat(id, ' ') FROM bench_sessions
                                WHERE finished IS NULL), '')
UNION ALL SELECT 'overhead_icount', coalesce((SELECT icount FROM bench_sessions
                                WHERE id = (SELECT max(session) FROM overhead)), '')
UNION ALL SELECT 'memory_session', coalesce((SELECT max(session) FROM memory), '')
UNION ALL SELECT 'drivers_detect', (SELECT count(*) FROM drv_detect)
UNION ALL SELECT 'drivers_monitor', (SELECT count(*) FROM drv_monitor)
UNION ALL SELECT 'memory_phases', (SELECT count(*) FROM memory);
