-- 008-drivers.sql - migration 008: the driver-task measurements of
-- `make bench-drivers` (bench/drivers.sh; docs/drivers.md).

-- One run of bench/drivers.sh.
CREATE TABLE drv_sessions (
  id          INTEGER PRIMARY KEY,
  started     TEXT NOT NULL,
  finished    TEXT,                  -- NULL while running or if interrupted
  git_commit  TEXT NOT NULL,
  base_commit TEXT NOT NULL,         -- the direct-call drivers compared against
  host_load   TEXT NOT NULL          -- /proc/loadavg's first field at the start
);

-- One injected fault: how it was detected and how the task came back.
-- Times in microseconds of the guest's time CSR, detect_ticks in the
-- detector's ticks (10 ms). user_us: the slowest system call of the
-- workload that met the fault, as the process saw it.
CREATE TABLE drv_detect (
  session      INTEGER NOT NULL REFERENCES drv_sessions(id),
  fault        TEXT NOT NULL,
  detector     TEXT NOT NULL CHECK (detector IN ('kernel', 'heartbeat')),
  period_ms    INTEGER NOT NULL,     -- the heartbeat's period (unused by kernel)
  why          TEXT NOT NULL,        -- the restart's reason
  reinit       INTEGER NOT NULL CHECK (reinit IN (0, 1)),
  detect_us    INTEGER NOT NULL,
  detect_ticks INTEGER NOT NULL,
  restart_us   INTEGER NOT NULL,
  back_us      INTEGER NOT NULL,     -- fault to the first reply after the restart
  user_us      INTEGER NOT NULL
);

-- The monitors' cost over an idle interval with `tasks` driver tasks.
-- Under -icount: busy_us (time processes ran) depends on instructions only.
CREATE TABLE drv_monitor (
  session      INTEGER NOT NULL REFERENCES drv_sessions(id),
  tasks        INTEGER NOT NULL CHECK (tasks >= 1),
  detector     TEXT NOT NULL CHECK (detector IN ('none', 'kernel', 'heartbeat')),
  period_ms    INTEGER NOT NULL,
  msgs_per_s   INTEGER NOT NULL,
  monitor_us   INTEGER NOT NULL,     -- the heartbeat monitor's own running time
  checks       INTEGER NOT NULL,     -- in-kernel checks made
  check_us     INTEGER NOT NULL,     -- their time
  busy_us      INTEGER NOT NULL,
  interval_us  INTEGER NOT NULL
);

-- usertests -q under -icount on each kernel: its busy time and how many
-- disk requests the task kernel served in it.
CREATE TABLE drv_request (
  session   INTEGER NOT NULL REFERENCES drv_sessions(id),
  kernel    TEXT NOT NULL CHECK (kernel IN ('tasks', 'direct')),
  busy      INTEGER NOT NULL,        -- time-CSR units, usertests' own sum
  requests  INTEGER,                 -- NULL for the direct-call kernel
  UNIQUE (session, kernel)
);

INSERT INTO schema_version VALUES (8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
