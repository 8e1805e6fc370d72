-- 009-scrub.sql - migration 009: scenarios.delivery may be 'scrub' (the
-- error reported with no consumer, as a patrol scrubber would find it,
-- campaign/README.md, "Delivering an error"). SQLite cannot change a
-- CHECK constraint, so the table is rebuilt as 005 did: renamed aside with
-- legacy_alter_table (the tables and views that refer to it keep their
-- references by name), recreated, filled with every row, the old copy
-- dropped, with foreign keys off (ev6-campaign turns them off around every
-- migration and checks them before it commits).

PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table = ON;

ALTER TABLE scenarios RENAME TO scenarios_v8;
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
INSERT INTO scenarios SELECT * FROM scenarios_v8 ORDER BY id;
DROP TABLE scenarios_v8;

PRAGMA legacy_alter_table = OFF;

-- A scrub error repaired in the background takes no exit (continued); one
-- left poisoned for a consumer that never came is deferred.
UPDATE outcome_classes SET meaning =
  'recovered with no exit: the error came in user mode, or with no consumer (repaired in the background), and the code went on'
  WHERE name = 'continued';
INSERT INTO outcome_classes VALUES
  ('deferred', 15, 0, 1, '#fee08b',
   'an error with no consumer (delivery scrub) left poisoned for one, which never came');

INSERT INTO schema_version VALUES (9, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
