-- sweep.sql - the latest sweep plan's draws with their results, one row
-- per class drawn (reports/sweep.sh turns them into the sweep report).
--
-- plan      the latest sweep_draws (golden run, seed, budget) inserted.
-- lastrun   per scenario sweep-<class>: its latest run that is no replay.
-- columns   class, draws (budget 0, every class: its weight instead),
--           weight, kind, object, field (object.member), consumer (the
--           function whose access raised the error: GDB's watchpoint pc;
--           else the golden run's closing access, or - for masked), outcome
--           (masked, pending, or the run's), survived (outcome_classes),
--           run, harm (1 when the error was consumed: a run that injected).
WITH plan AS (SELECT golden, seed, budget FROM sweep_draws ORDER BY rowid DESC LIMIT 1),
lastrun AS (
  SELECT s.section, r.id AS run, r.outcome, r.injected,
         row_number() OVER (PARTITION BY s.section ORDER BY r.id DESC) AS k
  FROM scenarios s JOIN jobs j ON j.scenario = s.id JOIN runs r ON r.job = j.id
  WHERE s.section LIKE 'sweep-%' AND r.replay_of IS NULL)
SELECT c.id AS class,
       CASE WHEN p.budget = 0 THEN c.weight ELSE d.draws END AS draws,
       c.weight, c.kind, c.object, c.object || '.' || c.field AS field,
       CASE WHEN c.kind = 'masked' THEN '-'
            ELSE coalesce(i.function, c.closer, '-') END AS consumer,
       CASE WHEN c.kind = 'masked' THEN 'masked' ELSE coalesce(l.outcome, 'pending') END AS outcome,
       coalesce(o.survival, 0) AS survived,
       coalesce(l.run, '-') AS run,
       coalesce(l.injected, 0) AS harm
FROM plan p
JOIN sweep_draws d ON d.golden = p.golden AND d.seed = p.seed AND d.budget = p.budget
JOIN sweep_classes c ON c.id = d.class
LEFT JOIN lastrun l ON l.section = 'sweep-' || c.id AND l.k = 1
LEFT JOIN injections i ON i.run = l.run AND i.seq = 1
LEFT JOIN outcome_classes o ON o.name = l.outcome
ORDER BY c.id;
