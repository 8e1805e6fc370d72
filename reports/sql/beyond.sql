-- beyond.sql - beyond the paper: the scenarios of configs/beyond.ini, on
-- objects the paper does not recover (it fail-stops on each, and has no
-- result of its own for them), with our results per mode ("PK 3/3
-- survived", see common.sql) and the config's note.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/beyond.sql
.read reports/sql/common.sql
SELECT k.section AS scenario, k.object, k.site,
       coalesce(c.ours, 'not run') AS ours_conservative,
       coalesce(a.ours, 'not run') AS ours_aggressive,
       k.campaign, coalesce(s.note, '') AS description
FROM chosen k
JOIN scenarios s ON s.id = k.scenario
LEFT JOIN cells c ON c.section = k.section AND c.mode = 'conservative'
LEFT JOIN cells a ON a.section = k.section AND a.mode = 'aggressive'
WHERE k.config_file LIKE '%beyond.ini'
ORDER BY k.object, k.section;
