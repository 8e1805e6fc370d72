-- sweep-space.sql - the latest plan's golden run and fault space, one
-- key/value per line: golden, workload, insns, records, lost, bytes
-- (of the tables its classes cover), classes, experiments, masked,
-- experiment_weight, masked_weight, seed, budget.
WITH plan AS (SELECT golden, seed, budget FROM sweep_draws ORDER BY rowid DESC LIMIT 1)
SELECT 'golden', golden FROM plan
UNION ALL SELECT 'workload', g.workload FROM plan JOIN golden_runs g ON g.id = plan.golden
UNION ALL SELECT 'insns', g.insns FROM plan JOIN golden_runs g ON g.id = plan.golden
UNION ALL SELECT 'records', g.records FROM plan JOIN golden_runs g ON g.id = plan.golden
UNION ALL SELECT 'lost', g.lost FROM plan JOIN golden_runs g ON g.id = plan.golden
UNION ALL SELECT 'bytes', (SELECT sum(bytes) FROM sweep_classes c, plan
                           WHERE c.golden = plan.golden AND c.closer IS NULL)
UNION ALL SELECT 'classes', (SELECT count(*) FROM sweep_classes c, plan WHERE c.golden = plan.golden)
UNION ALL SELECT 'experiments', (SELECT count(*) FROM sweep_classes c, plan
                                 WHERE c.golden = plan.golden AND kind = 'experiment')
UNION ALL SELECT 'experiment_weight', (SELECT sum(weight) FROM sweep_classes c, plan
                                       WHERE c.golden = plan.golden AND kind = 'experiment')
UNION ALL SELECT 'masked_weight', (SELECT sum(weight) FROM sweep_classes c, plan
                                   WHERE c.golden = plan.golden AND kind = 'masked')
UNION ALL SELECT 'seed', seed FROM plan
UNION ALL SELECT 'budget', budget FROM plan;
