-- schema.sql - the campaign database (SQLite), version 14.
--
-- One database holds any number of campaigns. A campaign is one set of
-- inputs: kernel, file-system image, GDB scripts, configs, the paper's
-- results file (reports/paper.tsv, folded into config_sha256), seed and
-- survival check (campaigns.ident is a SHA-256 over all of them), so
-- running the same command again continues the same campaign and runs only
-- the jobs that have no result yet; change any input and it is a new
-- campaign. Its scenarios (config sections) expand into jobs (scenario x
-- mode x repetition); every attempt to run a job is a run, with the
-- evidence it left: the GDB injection line(s), the kernel's `ev6:` lines,
-- the per-test results and the console, GDB and fsck logs.
--
-- ev6-campaign creates a new database from this file. An older database is
-- brought up to date by db/migrations/NNN-*.sql (NNN = the version it
-- produces); schema_version says which have been applied. Times: text
-- columns are UTC "YYYY-MM-DDTHH:MM:SSZ"; *_ms columns are milliseconds.
--
-- Every query about results should go through the views at the end.

PRAGMA foreign_keys = ON;

CREATE TABLE schema_version (
  version   INTEGER PRIMARY KEY,
  applied   TEXT NOT NULL
);

CREATE TABLE campaigns (
  id                 INTEGER PRIMARY KEY,
  ident              TEXT NOT NULL UNIQUE,   -- sha256 of the inputs below
  started            TEXT NOT NULL,          -- first invocation
  last_started       TEXT NOT NULL,          -- latest invocation (a resume)
  command_line       TEXT NOT NULL,          -- of the first invocation
  git_commit         TEXT NOT NULL,          -- "unknown", or a hash, "-dirty" if so
  kernel_path        TEXT NOT NULL,
  kernel_sha256      TEXT NOT NULL,
  fs_image_path      TEXT NOT NULL,
  fs_image_sha256    TEXT NOT NULL,
  gdb_script_path    TEXT NOT NULL,
  gdb_scripts_sha256 TEXT NOT NULL,          -- every *.py beside the script
  qemu_version       TEXT NOT NULL,
  gdb_version        TEXT NOT NULL,
  config_paths       TEXT NOT NULL,          -- as given, space-separated
  config_sha256      TEXT NOT NULL,          -- over every config, in order
  seed               INTEGER NOT NULL,       -- for scenarios without their own
  survival_command   TEXT NOT NULL,          -- "usertests -q" or "usertests"
  timeouts           TEXT NOT NULL           -- "boot=60 reach=120 ..." seconds
);

-- What a scenario may damage: every object type of the kernel's registry
-- and the parts of objects a scenario may aim at (a spinlock, reported as
-- the object holding it). The list is kernel/ev6_types.h's (EV6_TYPES and
-- EV6_PARTS); ev6-campaign adds any missing row each time it opens the
-- database, so this table is never edited by hand.
CREATE TABLE object_types (
  name      TEXT PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('object', 'part'))
);

-- The outcome classes of a run, once (runs.outcome takes these names);
-- campaign/classify.c gives each run one. survival: 1 when a run of this
-- class may have survived (runs.survived); colour: for figures and pages.
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
   'recovered with no exit: the error came in user mode, or with no consumer (repaired in the background), and the code went on'),
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
   'the harness failed, or a link of the evidence chain is broken; says nothing about the kernel'),
  ('misdetected', 13, 0, 1, '#fdbf6f',
   'a driver fault was found by another detector, or restarted another way, than the scenario expects'),
  ('restarted', 14, 1, 1, '#1b9e77',
   'a driver fault was detected as expected and its task restarted; the workload finished and the survival check passed'),
  ('deferred', 15, 0, 1, '#fee08b',
   'an error with no consumer (delivery scrub) left poisoned for one, which never came');

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
  delivery           TEXT NOT NULL CHECK (delivery IN ('breakpoint', 'access', 'scrub')),
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

-- Where, and on which hart, the error of a scenario's during_recovery key
-- comes (one row per such scenario; configs/table3.ini).
CREATE TABLE scenario_during (
  scenario       INTEGER PRIMARY KEY REFERENCES scenarios(id),
  -- recoverer: the hart recovering from the first error, held at
  --   recovery_site; follower: a hart queued in the shepherd behind it;
  --   other: another hart that reaches during_site meanwhile
  during_hart    TEXT NOT NULL CHECK (during_hart IN ('recoverer', 'follower', 'other')),
  recovery_site  TEXT NOT NULL,      -- a function of the recovery path
  during_site    TEXT,               -- for other: where it touches the object
  CHECK ((during_hart = 'other') = (during_site IS NOT NULL))
);

-- The -icount argument QEMU ran a scenario's runs with (its icount key,
-- e.g. shift=4,sleep=off): the guest's clock counts instructions. Every
-- sweep experiment has one, the golden run's, so that its run replays the
-- golden run's interleaving (campaign/sweep/README.md). A scenario with no
-- row ran on the host's clock.
CREATE TABLE scenario_icount (
  scenario  INTEGER PRIMARY KEY REFERENCES scenarios(id),
  icount    TEXT NOT NULL
);

-- One job per scenario x mode x repetition. A worker leases a queued job
-- (state 'leased', its pid and the time), runs it and marks it done in the
-- same transaction that stores the run. A lease whose process is gone, or
-- older than the longest possible run, goes back to 'queued'.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  campaign    INTEGER NOT NULL REFERENCES campaigns(id),
  scenario    INTEGER NOT NULL REFERENCES scenarios(id),
  mode        TEXT NOT NULL CHECK (mode IN ('conservative', 'aggressive')),
  rep         INTEGER NOT NULL CHECK (rep >= 1),
  seed        INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done')),
  lease_pid   INTEGER,
  lease_time  INTEGER,                       -- Unix seconds
  attempts    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (campaign, scenario, mode, rep),
  CHECK ((state = 'leased') = (lease_pid IS NOT NULL))
);
CREATE INDEX jobs_queue ON jobs (campaign, state);

-- One attempt at a job (or a --replay of an earlier run).
--
-- Every verdict rests on the run's evidence chain (run_evidence, below):
-- for each delivered error, the target lay inside an object of the
-- scenario's type (resolved), the bytes really changed (landed), the hart
-- took the exception with the cause and address GDB wrote (delivered),
-- and the kernel's ev6: line named that object and address (reported);
-- for the run, GDB exited cleanly (gdb-exit); then the survival check:
-- the self-audit after the workload, the tests, the self-audit after
-- them, a clean poweroff and fsck.
--
-- exit: the after-treatment the kernel reported on its ev6: line(s), the
--   worst if there were several (FS > PK > SF > none); NULL when it printed
--   no ev6: line.
-- survived: 1 exactly when the kernel reported every error and recovered
--   (outcome SF, PK or continued), and then both self-audits passed, the
--   survival tests printed ALL TESTS PASSED, the guest powered off by
--   itself (QEMU status 0) and fsck found the disk clean. Otherwise 0:
--   silence is never survival.
-- outcome: one of outcome_classes, the first rule that holds:
--   harness-error  the harness could not carry the run out (a tool failed,
--                  GDB failed or exited without a result line, QEMU died of
--                  a signal or exited with a status other than 0, 3 or 4,
--                  fsck could not read the disk, the guest never reached
--                  its shell prompt or stopped before the injection), or a
--                  link of the evidence chain is broken (the kernel named
--                  another object or address than GDB damaged, the bytes
--                  did not change, the trap was not seen, GDB did not exit
--                  cleanly); detail names the link. The run says nothing
--                  about the kernel.
--   not-reached    no error was injected: the workload ended, or the reach
--                  timeout expired, before the site's hit came. Also a
--                  run with several errors (Table 3) whose GDB result says
--                  "reached": false (the harts never came together), even
--                  after some of its errors were delivered, unless the
--                  kernel panicked; detail quotes GDB.
--   panic          after the injection the kernel panicked (a "panic:" line,
--                  or QEMU exit status 3), before or after an ev6: line.
--   hang           after the injection a phase timed out (hang_phase).
--   FS             the kernel fail-stopped (an ev6: event=failstop line
--                  naming a delivered error, and QEMU exit status 4).
--   unreported     an error was delivered and the kernel went on without
--                  an ev6: line for it.
--   corrupt-fs     the guest stopped by itself (or, its `poweroff' unable to
--                  run, was stopped by the harness; see below), but fsck -r
--                  found the disk inconsistent.
--   latent-damage  recovered, the survival tests passed, the disk is
--                  clean, but a self-audit found a broken invariant.
--   SF, PK         recovery returned with this exit; `survived` says whether
--                  the system then passed the survival check.
--   continued      recovery took no exit (exit=none: the error came in user
--                  mode and the process went on); `survived` as for SF.
--                  When the shell prompts again after `poweroff' (it could
--                  not run, or returned), the guest will never stop by
--                  itself: the harness stops QEMU at once and checks the
--                  disk, and the run keeps its SF, PK or continued label
--                  with survived = 0 (not hang; detail says so).
--   misdetected    a driver fault (scenario_driver): the kernel's first
--                  drv: event=restart line names the fault and the task
--                  but another reason (why=) or restart kind (reinit=)
--                  than the scenario expects.
--   restarted      a driver fault restarted as expected; `survived` as
--                  for SF. A driver fault no drv: line reports is a hang
--                  or unreported, as above (campaign/README.md).
-- hang_phase: the phase whose timeout expired, for any outcome: boot (to
--   the first shell prompt), reach (workload typed -> injection), recovery
--   (injection -> ev6: line or workload end), survival (-> QEMU exit).
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

-- Each JSON line GDB appended to $EV6_RESULT (campaign/README.md, "Job
-- file"), with its fields pulled out.
CREATE TABLE injections (
  run       INTEGER NOT NULL REFERENCES runs(id),
  seq       INTEGER NOT NULL,
  raw       TEXT NOT NULL CHECK (json_valid(raw)),
  injected  INTEGER,
  hart      INTEGER,
  pc        TEXT,
  function  TEXT,
  object    TEXT,
  address   TEXT,
  size      INTEGER,
  before    TEXT,     -- hex bytes before the corruption
  after     TEXT,     -- hex bytes after
  PRIMARY KEY (run, seq)
);

-- Each `ev6:` line of the console, in order, split into its fields.
CREATE TABLE ev6_events (
  run       INTEGER NOT NULL REFERENCES runs(id),
  seq       INTEGER NOT NULL,
  event     TEXT NOT NULL CHECK (event IN ('recovered', 'failstop', 'other')),
  object    TEXT,
  idx       INTEGER,
  address   TEXT,
  site      TEXT,
  strategy  TEXT,
  exit      TEXT CHECK (exit IN ('SF', 'PK', 'FS', 'none')),
  mode      TEXT,
  reason    TEXT,
  cost      INTEGER,
  line      TEXT NOT NULL,
  PRIMARY KEY (run, seq)
);

-- `usertest name=... result=...` lines, of the workload (if it was
-- usertests) or of the survival check.
CREATE TABLE test_results (
  run       INTEGER NOT NULL REFERENCES runs(id),
  phase     TEXT NOT NULL CHECK (phase IN ('workload', 'survival')),
  seq       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  result    TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
  ticks     INTEGER,
  PRIMARY KEY (run, phase, seq)
);

-- Whole logs: the guest console (QEMU's output), GDB's output, fsck's report.
-- Stream hang: a hung guest's state, taken by GDB before QEMU was killed
-- (its harts, processes, held locks; campaign/gdbscripts/forensics.py), and
-- what the host saw (QEMU's run state, debug stops the runner let go on).
CREATE TABLE console_logs (
  run       INTEGER NOT NULL REFERENCES runs(id),
  -- hang: a hung guest's state, taken by GDB before QEMU was killed (its
  -- harts, processes, held locks; campaign/gdbscripts/forensics.py)
  stream    TEXT NOT NULL CHECK (stream IN ('console', 'gdb', 'fsck', 'hang')),
  text      TEXT NOT NULL,
  PRIMARY KEY (run, stream)
);

-- The evidence chain of a run, one row per link (see runs). error: which
-- delivered error (GDB's result lines, in order; 1 for a run with one),
-- or 0 for a link of the run as a whole. state: ok, broken (the verdict
-- is harness-error naming the first broken link, or, for a survival link,
-- the run did not survive), or absent (the run never got that far: no
-- survival check after a fail-stop).
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

-- ---------------------------------------------------------------- views

-- The result of each job: its latest run that is not a replay.
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

-- How far each campaign is.
CREATE VIEW progress AS
SELECT campaign, count(*) AS jobs,
       sum(state = 'done') AS done, sum(state = 'leased') AS running,
       sum(state = 'queued') AS queued
FROM jobs GROUP BY campaign;

-- Outcomes per object, site and mode:
--   SELECT * FROM outcomes WHERE campaign = 1;
CREATE VIEW outcomes AS
SELECT campaign, object, site, mode, outcome, exit, count(*) AS runs,
       sum(survived) AS survived
FROM results GROUP BY campaign, object, site, mode, outcome, exit
ORDER BY campaign, object, site, mode, outcome;

-- Survival rate over the runs whose outcome says something about the
-- kernel (outcome_classes.kernel: not harness-error or not-reached).
CREATE VIEW survival AS
SELECT campaign, object, site, mode, count(*) AS injected,
       sum(survived) AS survived,
       round(100.0 * sum(survived) / count(*), 1) AS percent
FROM results
WHERE injected = 1 AND outcome IN (SELECT name FROM outcome_classes WHERE kernel = 1)
GROUP BY campaign, object, site, mode;

-- Each result next to the paper's: agrees when the exit taken is one the
-- paper reports for that mode and, for SF and PK, the system survived (the
-- paper's success criterion). Runs that injected nothing, and scenarios
-- the paper has no result for, are left out.
CREATE VIEW paper_comparison AS
SELECT campaign, config_file, section, object, site, mode, rep, id AS run,
       outcome, exit, survived, paper,
       (exit IS NOT NULL AND instr('|' || paper || '|', '|' || exit || '|') > 0
        AND (exit = 'FS' OR survived = 1)
        AND outcome IN ('SF', 'PK', 'FS')) AS agrees
FROM results
WHERE injected = 1 AND paper IS NOT NULL;

-- Only the disagreements:  SELECT * FROM paper_disagreements;
CREATE VIEW paper_disagreements AS
SELECT * FROM paper_comparison WHERE NOT agrees;

-- Each run's evidence chain, link by link, with the run's outcome:
--   SELECT * FROM evidence WHERE run = 17;
CREATE VIEW evidence AS
SELECT e.run, r.outcome, e.error, e.link, e.state, e.detail
FROM run_evidence e JOIN runs r ON r.id = e.run
ORDER BY e.run, e.error, e.link;

-- The runs whose verdict rests on a broken link (always harness-error):
--   SELECT * FROM broken_evidence;
CREATE VIEW broken_evidence AS
SELECT r.campaign, r.section, r.mode, r.rep, e.run, e.error, e.link, e.detail
FROM run_evidence e JOIN results r ON r.id = e.run
WHERE e.state = 'broken' AND e.link IN ('resolved', 'landed', 'delivered',
                                        'reported', 'gdb-exit');

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

-- One `usertest name=... result=... ticks=... time=... busy=...` line of
-- a run. time: the guest's time CSR (10 MHz on QEMU virt) across the test,
-- 100,000 times finer than ticks; under -icount it counts instructions
-- but also the idle warps to the next timer or disk event, whose places
-- follow the host's disk timing, so it varies between runs (by far more
-- than the overhead, for tests that wait for the disk).
-- busy: the part of time that processes ran (busytime(), summed over
-- harts), without idle time: under -icount it depends only on the
-- instructions executed, the headline measure of make bench (NULL from a
-- usertests that does not print it). wall_ms: host time between the
-- test's line and the one before it, a third column for runs without
-- -icount. (busy came with version 3: its definition reads as migration
-- 003's ALTER TABLE leaves it, so that both give the same schema.)
CREATE TABLE bench_tests (
  run       INTEGER NOT NULL REFERENCES bench_runs(id),
  seq       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  result    TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
  ticks     INTEGER NOT NULL,
  time      INTEGER,
  wall_ms   INTEGER, busy INTEGER,
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

-- Per test and finished session (an interrupted one, finished NULL, is
-- left out): mean guest time on each kernel over the passing runs of the
-- test, their ratio (the overhead), the same for busy time (busy_ratio,
-- the deterministic one) and host time, and the spread of each kernel's
-- repetitions (max/min of time; *_busy_spread of busy).
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
       count(*) AS samples,
       avg(CASE r.kernel WHEN 'recovery' THEN t.busy END) AS recovery_busy,
       avg(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS vanilla_busy,
       avg(CASE r.kernel WHEN 'recovery' THEN t.busy END) /
         avg(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS busy_ratio,
       max(CASE r.kernel WHEN 'recovery' THEN t.busy END) * 1.0 /
         min(CASE r.kernel WHEN 'recovery' THEN t.busy END) AS recovery_busy_spread,
       max(CASE r.kernel WHEN 'vanilla' THEN t.busy END) * 1.0 /
         min(CASE r.kernel WHEN 'vanilla' THEN t.busy END) AS vanilla_busy_spread
FROM bench_tests t
JOIN bench_runs r ON r.id = t.run
JOIN bench_sessions s ON s.id = r.session
WHERE t.result = 'pass' AND s.finished IS NOT NULL
GROUP BY r.session, t.name;

-- ---------------------------------------------------------------- Slurm
--
-- A campaign's jobs can run as a Slurm job array (ev6-campaign --executor
-- slurm). Each array task runs the worker on its slice of the jobs in a
-- database of its own, a *shard* (SQLite locks unreliably over network
-- file systems, so no two hosts write one file); the orchestrator merges
-- the shards' runs into the campaign database, keyed by job, as often as
-- it likes.

-- One job array submitted for a campaign.
CREATE TABLE slurm_arrays (
  id          INTEGER PRIMARY KEY,
  campaign    INTEGER NOT NULL REFERENCES campaigns(id),
  slurm_job   TEXT,                  -- sbatch's job id; NULL if it never answered
  dir         TEXT NOT NULL,         -- its shards, task script and Slurm logs
  tasks       INTEGER NOT NULL CHECK (tasks >= 1),
  workers     INTEGER NOT NULL CHECK (workers >= 1),   -- per task
  partition   TEXT,                  -- NULL: the cluster's default
  account     TEXT,
  time_limit  TEXT,                  -- sbatch --time; NULL: the partition's
  submitted   TEXT NOT NULL,
  ended       TEXT                   -- no task left in squeue, shards merged
);

-- One shard database and where it came from (array and task, or NULL when
-- it was merged from a file with --merge). uid is the shard's own name for
-- itself (its shard_info row); stamp the file's identity when last merged
-- (inode, size, modification time), so an unchanged file is not read
-- again; refused says why the last merge refused it (another campaign).
CREATE TABLE shards (
  id          INTEGER PRIMARY KEY,
  uid         TEXT NOT NULL UNIQUE,
  campaign    INTEGER NOT NULL REFERENCES campaigns(id),
  array       INTEGER REFERENCES slurm_arrays(id),
  task        INTEGER,
  path        TEXT NOT NULL,
  jobs        INTEGER NOT NULL,
  stamp       TEXT,
  merged      TEXT,                  -- time of the last merge
  finished    TEXT,                  -- the task ran its whole slice
  host        TEXT,                  -- where the task ran
  refused     TEXT
);

-- The jobs each shard was given.
CREATE TABLE shard_jobs (
  shard   INTEGER NOT NULL REFERENCES shards(id),
  job     INTEGER NOT NULL REFERENCES jobs(id),
  PRIMARY KEY (shard, job)
);

-- Every shard run a merge has taken: run is its copy in this database, or
-- NULL when it was not copied because the job had a result already (the
-- first result of a job wins). A run is never taken twice.
CREATE TABLE merged_runs (
  shard      INTEGER NOT NULL REFERENCES shards(id),
  shard_run  INTEGER NOT NULL,       -- runs.id in the shard
  run        INTEGER REFERENCES runs(id),
  PRIMARY KEY (shard, shard_run)
);

-- In a shard database only, one row: which campaign's slice it holds (its
-- campaigns, scenarios and jobs rows are copies, with the same ids) and
-- how its task runs it: the staged inputs, timeouts in seconds, workers.
CREATE TABLE shard_info (
  uid         TEXT PRIMARY KEY,
  campaign    INTEGER NOT NULL REFERENCES campaigns(id),
  task        INTEGER NOT NULL,
  kernel      TEXT NOT NULL,
  fs_image    TEXT NOT NULL,
  gdb_script  TEXT NOT NULL,
  fsck        TEXT NOT NULL,
  boot_s      INTEGER NOT NULL,
  reach_s     INTEGER NOT NULL,
  recovery_s  INTEGER NOT NULL,
  survival_s  INTEGER NOT NULL,
  workers     INTEGER NOT NULL CHECK (workers >= 1),
  lease_ttl   INTEGER NOT NULL,
  created     TEXT NOT NULL,
  started     TEXT,                  -- the task's latest start
  finished    TEXT,                  -- it ran every job of its slice
  host        TEXT
);

-- Each array: tasks whose shard finished, jobs given and runs merged.
--   SELECT * FROM slurm_status WHERE campaign = 1;
CREATE VIEW slurm_status AS
SELECT a.campaign, a.id AS array, a.slurm_job, a.tasks, a.submitted, a.ended,
       (SELECT count(*) FROM shards s WHERE s.array = a.id
          AND s.finished IS NOT NULL) AS tasks_finished,
       (SELECT coalesce(sum(s.jobs), 0) FROM shards s WHERE s.array = a.id) AS jobs,
       (SELECT count(m.run) FROM merged_runs m JOIN shards s ON s.id = m.shard
          WHERE s.array = a.id) AS runs_merged,
       a.dir
FROM slurm_arrays a;

CREATE TABLE golden_runs (
  id          INTEGER PRIMARY KEY,
  workload    TEXT NOT NULL,
  kernel_sha256 TEXT NOT NULL,
  records     INTEGER NOT NULL,        -- accesses kept (merged runs count once)
  lost        INTEGER NOT NULL,        -- accesses the kernel's buffer had no room for
  insns       INTEGER NOT NULL,        -- instructions from the first to the last record
  created     TEXT NOT NULL
);

-- One recorded access (or run of accesses of one call site over adjacent
-- bytes). insn counts instructions from the trace's start (-icount).
-- block: for an access to a buffer, the block it held (blockno of the
-- root device); NULL for other objects and a buffer holding no block.
CREATE TABLE trace_accesses (
  golden      INTEGER NOT NULL REFERENCES golden_runs(id),
  seq         INTEGER NOT NULL,
  insn        INTEGER NOT NULL,
  pc          INTEGER NOT NULL,        -- call site
  function    TEXT NOT NULL,           -- the function holding pc
  object      TEXT NOT NULL REFERENCES object_types(name),
  expr        TEXT NOT NULL,           -- the table: bcache.buf, log, ...
  idx         INTEGER NOT NULL,        -- element, or -1 for a single object
  offset      INTEGER NOT NULL,        -- first byte, in the element
  length      INTEGER NOT NULL,
  field       TEXT NOT NULL,           -- member holding the first byte (debug info)
  op          TEXT NOT NULL CHECK (op IN ('r', 'w')), block INTEGER,
  PRIMARY KEY (golden, seq)
);
CREATE INDEX trace_accesses_word ON trace_accesses(golden, expr, idx, insn);

-- One equivalence class of the fault space: the moments between two
-- accesses of one 8-byte word (or from the trace's start to the first).
-- weight = bytes x instructions. hit counts the accesses of the word up to
-- and including the one that opens the interval (0: the trace's start).
-- block: the block a buffer held at the access that closes the class
-- (NULL: not a buffer, or none); block_hit counts the accesses of that
-- word of whichever buffer held that block, up to and including the
-- closing one (an experiment names the buffer by its block, and this is
-- its hit).
CREATE TABLE sweep_classes (
  id          INTEGER PRIMARY KEY,
  golden      INTEGER NOT NULL REFERENCES golden_runs(id),
  object      TEXT NOT NULL REFERENCES object_types(name),
  expr        TEXT NOT NULL,
  idx         INTEGER NOT NULL,
  word        INTEGER NOT NULL,        -- offset of the word in the element
  bytes       INTEGER NOT NULL CHECK (bytes BETWEEN 1 AND 8),
  field       TEXT NOT NULL,
  hit         INTEGER NOT NULL CHECK (hit >= 0),
  start_insn  INTEGER NOT NULL,
  end_insn    INTEGER NOT NULL,
  opener      TEXT,                    -- function of the opening access (NULL: start)
  closer      TEXT,                    -- function of the closing access (NULL: the end)
  kind        TEXT NOT NULL CHECK (kind IN ('experiment', 'masked')),
  weight      INTEGER NOT NULL CHECK (weight >= 0)
, block INTEGER, block_hit INTEGER);
CREATE INDEX sweep_classes_golden ON sweep_classes(golden, kind);

-- A plan: draws points of the space uniformly by weight (seeded); each
-- draw lands in a class, draws counts how many did. A masked class needs
-- no run; an experiment's runs are those of scenario sweep-<class>.
CREATE TABLE sweep_draws (
  golden      INTEGER NOT NULL REFERENCES golden_runs(id),
  seed        INTEGER NOT NULL,
  budget      INTEGER NOT NULL,        -- points drawn, 0 = every class (each once, by weight),
                                       -- -1 = classes chosen by id (ev6-sweep plan --classes)
  class       INTEGER NOT NULL REFERENCES sweep_classes(id),
  draws       INTEGER NOT NULL CHECK (draws >= 1),
  PRIMARY KEY (golden, seed, budget, class)
);

-- --------------------------------------------------------- driver tasks
--
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
-- workload that met the fault, as the process saw it. driver: the task
-- the fault was injected in (migration 011 added it, hence its place).
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
, driver TEXT NOT NULL DEFAULT 'disk' CHECK (driver IN ('disk', 'uart')));

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
-- requests the task kernel's drivers served in it (the disk's, and since
-- migration 011 the UART's too: its console output).
CREATE TABLE drv_request (
  session   INTEGER NOT NULL REFERENCES drv_sessions(id),
  kernel    TEXT NOT NULL CHECK (kernel IN ('tasks', 'direct')),
  busy      INTEGER NOT NULL,        -- time-CSR units, usertests' own sum
  requests  INTEGER,                 -- NULL for the direct-call kernel
  UNIQUE (session, kernel)
);

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

-- Console writes under -icount on each kernel (drvtest cons): `writes`
-- write() calls of `bytes` bytes each took `time` time-CSR units, of which
-- the harts were busy (a process or a driver task ran) for `busy`.
CREATE TABLE drv_console (
  session   INTEGER NOT NULL REFERENCES drv_sessions(id),
  kernel    TEXT NOT NULL CHECK (kernel IN ('tasks', 'direct')),
  bytes     INTEGER NOT NULL CHECK (bytes >= 1),
  writes    INTEGER NOT NULL CHECK (writes >= 1),
  time      INTEGER NOT NULL,
  busy      INTEGER NOT NULL,
  UNIQUE (session, kernel, bytes)
);

INSERT INTO schema_version VALUES (14, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
