-- 012-sweepfast.sql - migration 012: a scenario's guest clock.

-- The -icount argument QEMU ran a scenario's runs with (its icount key,
-- e.g. shift=4,sleep=off): the guest's clock counts instructions. Every
-- sweep experiment has one, the golden run's, so that its run replays the
-- golden run's interleaving (campaign/sweep/README.md). A scenario with no
-- row ran on the host's clock.
CREATE TABLE scenario_icount (
  scenario  INTEGER PRIMARY KEY REFERENCES scenarios(id),
  icount    TEXT NOT NULL
);

INSERT INTO schema_version VALUES (12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
