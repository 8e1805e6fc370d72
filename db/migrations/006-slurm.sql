-- 006-slurm.sql - migration 006: the Slurm executor (ev6-campaign
-- --executor slurm; campaign/array.c, shard.c, merge.c).
--
-- A campaign's jobs can run as a Slurm job array. Each array task runs the
-- worker on its slice of the jobs in a database of its own, a *shard*
-- (SQLite locks unreliably over network file systems, so no two hosts
-- write one file); the orchestrator merges the shards' runs into the
-- campaign database, keyed by job, as often as it likes.

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

INSERT INTO schema_version VALUES (6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
