-- 005-evidence.sql - migration 005: every verdict rests on its evidence.
-- Outcome classes and the object types a scenario may name become tables
-- (runs.outcome and scenarios.object refer to them instead of repeating
-- the lists in CHECK constraints), the class "survived" is gone (a run
-- that took no exit and reported its error is "continued"; one without a
-- report is "unreported", and never survived), and each run's evidence
-- chain gets a table of its own, run_evidence, and the self-audit's
-- findings another, audit_findings. Tables whose constraints
-- change are rebuilt: renamed aside with legacy_alter_table, so that the
-- tables referring to them keep their references by name, recreated,
-- filled and the old copy dropped, with foreign keys off (ev6-campaign
-- turns them off around every migration and checks them before it
-- commits; the pragmas here do the same for a database migrated by hand).

PRAGMA foreign_keys = OFF;

CREATE TABLE object_types (
  name      TEXT PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('object', 'part'))
);

CREATE TABLE outcome_classes (
  name      TEXT PRIMARY KEY,
  rank      INTEGER NOT NULL UNIQUE,       -- order in tables and figures
  survival  INTEGER NOT NULL CHECK (survival IN (0, 1)),
  kernel    INTEGER NOT NULL CHECK (kernel IN (0, 1)),  -- says something about the kernel
  colour    TEXT NOT NULL,                 -- #rrggbb
  meaning   TEXT NOT NULL
);
INSERT INTO outcome_classes VALUES
  ('SF', 1, 1, 1, '#4daf4a', 'recovered; the system call failed (Syscall-Fail)'),
  ('PK', 2, 1, 1, '#377eb8', 'recovered; the process was killed (Process-Kill)'),
  ('continued', 3, 1, 1, '#66c2a5',
   'recovered with no exit: the error came in user mode and the process went on'),
  ('FS', 4, 0, 1, '#984ea3', 'the kernel fail-stopped deliberately, naming the object'),
  ('latent-damage', 5, 0, 1, '#ff7f00',
   'recovered and the tests passed, but the self-audit found a broken kernel invariant'),
  ('unreported', 6, 0, 1, '#e41a1c',
   'the error was delivered and the kernel went on without reporting it'),
  ('panic', 7, 0, 1, '#a50f15', 'the kernel panicked after the error'),
  ('hang', 8, 0, 1, '#7f0000', 'a phase of the run timed out after the error'),
  ('corrupt-fs', 9, 0, 1, '#b15928', 'the guest stopped, but fsck found the disk inconsistent'),
  ('masked', 10, 0, 1, '#bdbdbd', 'the damaged bytes are never read (a sweep interval; no run)'),
  ('not-reached', 11, 0, 0, '#969696', 'no error was delivered: the site never came'),
  ('harness-error', 12, 0, 0, '#525252',
   'the harness failed, or a link of the evidence chain is broken; says nothing about the kernel');

-- The object types a version 4 database could name (its CHECK list);
-- ev6-campaign adds the kernel's current list when it opens the database.
INSERT INTO object_types VALUES
  ('buf', 'object'), ('log', 'object'), ('file', 'object'), ('inode', 'object'),
  ('pipe', 'object'), ('cons', 'object'), ('devsw', 'object'), ('pr', 'object'),
  ('spinlock', 'part'), ('sleeplock', 'part'), ('kmem', 'object'), ('run', 'object'),
  ('pagetable', 'object'), ('disk', 'object'), ('text', 'object'), ('proc', 'object'),
  ('cpu', 'object'), ('trapframe', 'object'), ('context', 'part'), ('kstack', 'object'),
  ('registry', 'object'), ('shepherd', 'object');

DROP VIEW results;
DROP VIEW outcomes;
DROP VIEW survival;
DROP VIEW paper_comparison;
DROP VIEW paper_disagreements;

PRAGMA legacy_alter_table = ON;

ALTER TABLE scenarios RENAME TO scenarios_v4;
CREATE TABLE scenarios (
  id                 INTEGER PRIMARY KEY,
  campaign           INTEGER NOT NULL REFERENCES campaigns(id),
  config_file        TEXT NOT NULL,
  config_sha256      TEXT NOT NULL,
  section            TEXT NOT NULL,
  line               INTEGER NOT NULL CHECK (line > 0),
  object             TEXT NOT NULL REFERENCES object_types(name),
  site               TEXT NOT NULL,          -- kernel function
  hit                INTEGER NOT NULL CHECK (hit >= 1),
  target             TEXT NOT NULL,          -- BASE, SELECTOR or BASE;SELECTOR
  corruption         TEXT NOT NULL,          -- "flip:2", "zero:8", ...
  seed               INTEGER NOT NULL,       -- repetition r uses seed + r - 1
  delivery           TEXT NOT NULL CHECK (delivery IN ('breakpoint', 'access')),
  workload           TEXT NOT NULL,
  modes              TEXT NOT NULL,          -- "conservative,aggressive"
  repeat             INTEGER NOT NULL CHECK (repeat >= 1),
  cpus               INTEGER NOT NULL CHECK (cpus BETWEEN 1 AND 8),
  harts_at_once      INTEGER NOT NULL DEFAULT 1 CHECK (harts_at_once BETWEEN 1 AND cpus),
  second_object      TEXT,
  second_site        TEXT,
  during_recovery    TEXT,
  -- the paper's result per mode: SF, PK or FS, or several joined by '|'
  paper_conservative TEXT CHECK (paper_conservative GLOB '[SPF][FKS]' OR
                       paper_conservative GLOB '[SPF][FKS]|[SPF][FKS]' OR
                       paper_conservative GLOB '[SPF][FKS]|[SPF][FKS]|[SPF][FKS]'),
  paper_aggressive   TEXT CHECK (paper_aggressive GLOB '[SPF][FKS]' OR
                       paper_aggressive GLOB '[SPF][FKS]|[SPF][FKS]' OR
                       paper_aggressive GLOB '[SPF][FKS]|[SPF][FKS]|[SPF][FKS]'),
  paper_table        TEXT NOT NULL CHECK (paper_table IN ('2', '3', 'smoke')),
  note               TEXT,
  UNIQUE (campaign, config_file, section)
);
INSERT INTO scenarios SELECT * FROM scenarios_v4 ORDER BY id;
DROP TABLE scenarios_v4;

-- A version 4 "survived" run took no exit (exit none) or reported nothing
-- (exit NULL): now continued, or unreported and not survived.
DROP INDEX runs_job;
ALTER TABLE runs RENAME TO runs_v4;
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  job             INTEGER NOT NULL REFERENCES jobs(id),
  replay_of       INTEGER REFERENCES runs(id),
  attempt         INTEGER NOT NULL CHECK (attempt >= 1),
  worker_pid      INTEGER NOT NULL,
  started         TEXT NOT NULL,
  outcome         TEXT NOT NULL REFERENCES outcome_classes(name),
  exit            TEXT CHECK (exit IN ('SF', 'PK', 'FS', 'none')),
  survived        INTEGER NOT NULL CHECK (survived IN (0, 1)),
  injected        INTEGER NOT NULL CHECK (injected IN (0, 1)),
  hang_phase      TEXT CHECK (hang_phase IN ('boot', 'reach', 'recovery', 'survival')),
  verdict         TEXT CHECK (verdict IN ('pass', 'fail')),  -- of the survival tests
  boot_ms         INTEGER,
  reach_ms        INTEGER,
  recovery_ms     INTEGER,
  survival_ms     INTEGER,
  total_ms        INTEGER NOT NULL,
  qemu_status     INTEGER,    -- exit status; NULL if it did not exit by itself
  qemu_signal     INTEGER,    -- signal that ended QEMU unasked, or NULL
  gdb_status      INTEGER,    -- NULL if GDB was killed
  fsck_status     INTEGER,    -- NULL if fsck did not run
  workload_at     INTEGER,    -- console offset where the workload was typed
  survival_at     INTEGER,    -- console offset where the survival check was typed
  detail          TEXT,       -- why: a sentence for every outcome but a survival
  CHECK (outcome IN ('harness-error', 'not-reached') OR injected = 1),
  CHECK (survived = 0 OR outcome IN ('SF', 'PK', 'continued'))
);
CREATE INDEX runs_job ON runs (job);
INSERT INTO runs
SELECT id, job, replay_of, attempt, worker_pid, started,
       CASE WHEN outcome = 'survived' AND exit IS NULL THEN 'unreported'
            WHEN outcome = 'survived' THEN 'continued' ELSE outcome END,
       exit,
       CASE WHEN outcome = 'survived' AND exit IS NULL THEN 0 ELSE survived END,
       injected, hang_phase, verdict, boot_ms, reach_ms, recovery_ms, survival_ms,
       total_ms, qemu_status, qemu_signal, gdb_status, fsck_status, workload_at,
       survival_at,
       CASE WHEN outcome = 'survived' AND exit IS NULL
            THEN 'no ev6: line reported the error (reclassified by migration 005)'
            ELSE detail END
FROM runs_v4 ORDER BY id;
DROP TABLE runs_v4;

PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_keys = ON;

CREATE TABLE run_evidence (
  run       INTEGER NOT NULL REFERENCES runs(id),
  error     INTEGER NOT NULL CHECK (error >= 0),
  link      TEXT NOT NULL CHECK (link IN ('resolved', 'landed', 'delivered',
              'reported', 'gdb-exit', 'audit-workload', 'tests', 'audit-tests',
              'poweroff', 'fsck')),
  state     TEXT NOT NULL CHECK (state IN ('ok', 'broken', 'absent')),
  detail    TEXT,
  PRIMARY KEY (run, error, link)
);

-- Each `audit: violation` line: a kernel invariant the self-audit of the
-- survival check found broken (kernel/audit.c says what each checks).
CREATE TABLE audit_findings (
  run       INTEGER NOT NULL REFERENCES runs(id),
  seq       INTEGER NOT NULL,
  object    TEXT,               -- the object type (kernel/ev6_types.h)
  idx       INTEGER,            -- its index, NULL for one of a kind
  invariant TEXT,               -- the check that failed (audit's check=)
  detail    TEXT,
  line      TEXT NOT NULL,
  PRIMARY KEY (run, seq)
);

CREATE VIEW results AS
SELECT r.*, j.campaign, j.mode, j.rep, j.seed AS job_seed,
       s.id AS scenario_id, s.config_file, s.section, s.object, s.site,
       s.paper_table,
       CASE j.mode WHEN 'conservative' THEN s.paper_conservative
                   ELSE s.paper_aggressive END AS paper
FROM runs r
JOIN jobs j ON j.id = r.job
JOIN scenarios s ON s.id = j.scenario
WHERE r.replay_of IS NULL
  AND r.id = (SELECT max(id) FROM runs WHERE job = r.job AND replay_of IS NULL);

CREATE VIEW outcomes AS
SELECT campaign, object, site, mode, outcome, exit, count(*) AS runs,
       sum(survived) AS survived
FROM results GROUP BY campaign, object, site, mode, outcome, exit
ORDER BY campaign, object, site, mode, outcome;

CREATE VIEW survival AS
SELECT campaign, object, site, mode, count(*) AS injected,
       sum(survived) AS survived,
       round(100.0 * sum(survived) / count(*), 1) AS percent
FROM results
WHERE injected = 1 AND outcome IN (SELECT name FROM outcome_classes WHERE kernel = 1)
GROUP BY campaign, object, site, mode;

CREATE VIEW paper_comparison AS
SELECT campaign, config_file, section, object, site, mode, rep, id AS run,
       outcome, exit, survived, paper,
       (exit IS NOT NULL AND instr('|' || paper || '|', '|' || exit || '|') > 0
        AND (exit = 'FS' OR survived = 1)
        AND outcome IN ('SF', 'PK', 'FS')) AS agrees
FROM results
WHERE injected = 1 AND paper IS NOT NULL;

CREATE VIEW paper_disagreements AS
SELECT * FROM paper_comparison WHERE NOT agrees;

CREATE VIEW evidence AS
SELECT e.run, r.outcome, e.error, e.link, e.state, e.detail
FROM run_evidence e JOIN runs r ON r.id = e.run
ORDER BY e.run, e.error, e.link;

CREATE VIEW broken_evidence AS
SELECT r.campaign, r.section, r.mode, r.rep, e.run, e.error, e.link, e.detail
FROM run_evidence e JOIN results r ON r.id = e.run
WHERE e.state = 'broken' AND e.link IN ('resolved', 'landed', 'delivered',
                                        'reported', 'gdb-exit');

INSERT INTO schema_version VALUES (5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
