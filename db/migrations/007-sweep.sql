-- 007-sweep.sql - migration 007: the sweep (make sweep; campaign/sweep/).
--
-- A golden run of a workload on the TRACE=1 kernel records every access to
-- a registered kernel object (trace_accesses); pruning cuts each 8-byte
-- word's life into intervals between accesses (sweep_classes): one that
-- ends in a read is one experiment, one that ends in a write, or with the
-- workload, is masked (the damage is never read); a plan samples the
-- space by weight (sweep_draws) and runs the experiments as scenarios
-- named sweep-<class> of an ordinary campaign.

-- One golden run: its workload, kernel, and the trace's extent.
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
  op          TEXT NOT NULL CHECK (op IN ('r', 'w')),
  PRIMARY KEY (golden, seq)
);
CREATE INDEX trace_accesses_word ON trace_accesses(golden, expr, idx, insn);

-- One equivalence class of the fault space: the moments between two
-- accesses of one 8-byte word (or from the trace's start to the first).
-- weight = bytes x instructions. hit counts the accesses of the word up to
-- and including the one that opens the interval (0: the trace's start).
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
);
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

INSERT INTO schema_version VALUES (7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
