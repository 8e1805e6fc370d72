-- table4.sql - the paper's Table 4 (extra memory of recovery) beside ours:
-- per phase of user/memtest, the registry (the paper's M-list) and the
-- replicas (its PTDUP) as the kernel reports them, in KB, from the latest
-- benchmark session with memory rows (make bench). Our columns are empty
-- until there is one.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/table4.sql
.read reports/sql/common.sql
SELECT p.row, p.scenario, p.id AS phase,
       printf('%g', p.value) AS paper_kb,
       printf('%g', r.value) AS paper_registry_kb,
       printf('%g', d.value) AS paper_replica_kb,
       round((m.registry_bytes + m.replica_bytes) / 1024.0, 1) AS ours_kb,
       round(m.registry_bytes / 1024.0, 1) AS ours_registry_kb,
       round(m.replica_bytes / 1024.0, 1) AS ours_replica_kb,
       m.free_pages AS ours_free_pages,
       m.session
FROM paper p
JOIN paper r ON r.tbl = '4' AND r.id = p.id AND r.object = 'registry'
JOIN paper d ON d.tbl = '4' AND d.id = p.id AND d.object = 'replica'
LEFT JOIN memory m ON m.phase = p.id
WHERE p.tbl = '4' AND p.object = 'total'
ORDER BY p.rowid;
