-- 002-bench.sql - migration 002: the benchmark tables of `make bench`
-- (the runtime and memory overhead of recovery) and their view.
-- ------------------------------------------------------------ benchmarks
--
-- `make bench` (the runtime and memory overhead of recovery, the paper's
-- Figure 5 and Table 4) stores its measurements here, beside the
-- campaigns, so `make report` reads one database.

-- One invocation of the benchmark: every kernel it compares runs under the
-- same QEMU settings in the same session, so ratios are taken within one.
CREATE TABLE bench_sessions (
  id            INTEGER PRIMARY KEY,
  started       TEXT NOT NULL,
  finished      TEXT,                   -- NULL while running or if interrupted
  command_line  TEXT NOT NULL,
  git_commit    TEXT NOT NULL,
  qemu_version  TEXT NOT NULL,
  cpus          INTEGER NOT NULL CHECK (cpus BETWEEN 1 AND 8),
  icount        TEXT NOT NULL,          -- QEMU's -icount argument, '' for none
  repetitions   INTEGER NOT NULL CHECK (repetitions >= 1)
);

-- One boot of one kernel that runs the whole usertests suite once.
CREATE TABLE bench_runs (
  id            INTEGER PRIMARY KEY,
  session       INTEGER NOT NULL REFERENCES bench_sessions(id),
  kernel        TEXT NOT NULL CHECK (kernel IN ('recovery', 'vanilla')),
  kernel_sha256 TEXT NOT NULL,
  rep           INTEGER NOT NULL CHECK (rep >= 1),
  verdict       TEXT CHECK (verdict IN ('pass', 'fail')),  -- NULL: did not finish
  wall_ms       INTEGER,
  UNIQUE (session, kernel, rep)
);

-- One `usertest name=... result=... ticks=... time=...` line of a run.
-- time: the guest's time CSR (10 MHz on QEMU virt) across the test, the
-- headline measure: deterministic under -icount, and 100,000 times finer
-- than ticks. wall_ms: host time between the test's line and the one
-- before it, a second column for runs without -icount.
CREATE TABLE bench_tests (
  run       INTEGER NOT NULL REFERENCES bench_runs(id),
  seq       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  result    TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
  ticks     INTEGER NOT NULL,
  time      INTEGER,
  wall_ms   INTEGER,
  PRIMARY KEY (run, seq)
);

-- The memory benchmark (Table 4): the recovery kernel's extra memory at
-- each phase of user/memtest, as the kernel reports it.
CREATE TABLE bench_memory (
  session        INTEGER NOT NULL REFERENCES bench_sessions(id),
  phase          TEXT NOT NULL CHECK (phase IN ('boot',
                   'contiguous-before', 'contiguous-alloc', 'contiguous-free',
                   'shuffled-before', 'shuffled-alloc', 'shuffled-free')),
  registry_bytes INTEGER NOT NULL,
  replica_bytes  INTEGER NOT NULL,
  free_pages     INTEGER NOT NULL,
  PRIMARY KEY (session, phase)
);

-- Per test and session: mean guest time on each kernel over the passing
-- runs, their ratio (the overhead), and the spread of the recovery
-- kernel's repetitions (max/min).
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
       count(*) AS samples
FROM bench_tests t JOIN bench_runs r ON r.id = t.run
WHERE t.result = 'pass'
GROUP BY r.session, t.name;

INSERT INTO schema_version VALUES (2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
