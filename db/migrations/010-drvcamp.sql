-- 010-drvcamp.sql - migration 010: driver-fault scenarios (kind = driver,
-- configs/drivers.ini) and what each of their runs proved: which detector
-- found the fault, how soon, and how the task was restarted.

-- A scenario that fails a driver task instead of damaging a kernel object
-- (campaign/README.md, "Driver faults"). Its scenarios row keeps object
-- 'disk' and site = the driver's serve function, where GDB arms the fault.
CREATE TABLE scenario_driver (
  scenario        INTEGER PRIMARY KEY REFERENCES scenarios(id),
  driver          TEXT NOT NULL,      -- the task's name (drvtasks[].st.name)
  fault           TEXT NOT NULL,      -- a DRV_FAULTS name (kernel/drvctl.h)
  detector        TEXT NOT NULL CHECK (detector IN ('kernel', 'heartbeat')),
  expect_detect   TEXT NOT NULL CHECK (expect_detect IN ('hang', 'heartbeat', 'crash')),
  expect_restart  TEXT NOT NULL CHECK (expect_restart IN ('software', 'reinit'))
);

-- The kernel's `drv: event=restart` line of a driver run, as classify.c
-- read it (NULL fields: no such line).
CREATE TABLE run_driver (
  run          INTEGER PRIMARY KEY REFERENCES runs(id),
  detector     TEXT NOT NULL,        -- the scenario's detector
  why          TEXT,                 -- the restart's reason: hang, heartbeat, crash
  restart      TEXT,                 -- software (reinit=0) or reinit
  detect_us    INTEGER,              -- fault to detection, guest time CSR; -1 unknown
  restart_us   INTEGER
);

INSERT INTO outcome_classes VALUES
  ('misdetected', 13, 0, 1, '#fdbf6f',
   'a driver fault was found by another detector, or restarted another way, than the scenario expects'),
  ('restarted', 14, 1, 1, '#1b9e77',
   'a driver fault was detected as expected and its task restarted; the workload finished and the survival check passed');

-- A surviving driver run is `restarted`: runs' CHECK on survived learns
-- it. The table is rebuilt from a plain copy (a rename would rewrite
-- the REFERENCES runs(id) of every table that refers to it; dropping
-- does not, and the views name runs again once it is back).
CREATE TABLE runs_v9 AS SELECT * FROM runs;
DROP TABLE runs;
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
  CHECK (survived = 0 OR outcome IN ('SF', 'PK', 'continued', 'restarted'))
);
CREATE INDEX runs_job ON runs (job);
INSERT INTO runs SELECT * FROM runs_v9 ORDER BY id;
DROP TABLE runs_v9;

INSERT INTO schema_version VALUES (10, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
