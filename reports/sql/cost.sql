-- cost.sql - what a recovery costs, per recovered object type: the
-- `cost=` of the kernel's `ev6: event=recovered` lines in the chosen runs
-- (see common.sql). cost is the hart's instret counter across the
-- recovery: guest instructions when QEMU runs with -icount; without it
-- QEMU derives instret from the host's cycle counter, so the numbers are
-- then only a relative measure.
--
--   sqlite3 -header -column db/ev6.db < reports/sql/cost.sql
.read reports/sql/common.sql
SELECT object, n AS recoveries, min(cost) AS min,
       CAST(round(avg(CASE WHEN k IN ((n + 1) / 2, (n + 2) / 2) THEN cost END))
            AS INTEGER) AS median,
       max(cost) AS max
FROM (SELECT e.object, e.cost,
             row_number() OVER (PARTITION BY e.object ORDER BY e.cost) AS k,
             count(*) OVER (PARTITION BY e.object) AS n
      FROM ev6_events e JOIN jobres j ON j.run = e.run
      WHERE e.event = 'recovered' AND e.cost IS NOT NULL)
GROUP BY object ORDER BY object;
