-- 013-hangs.sql - migration 013: console_logs may hold a stream 'hang',
-- a hung guest's state that GDB took before the runner killed QEMU
-- (campaign/gdbscripts/forensics.py: every hart, process and held lock).
-- SQLite cannot change a CHECK constraint, so the table is rebuilt as 009
-- did, with foreign keys off (ev6-campaign checks them before it commits).

PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table = ON;

ALTER TABLE console_logs RENAME TO console_logs_v12;
CREATE TABLE console_logs (
  run       INTEGER NOT NULL REFERENCES runs(id),
  -- hang: a hung guest's state, taken by GDB before QEMU was killed (its
  -- harts, processes, held locks; campaign/gdbscripts/forensics.py)
  stream    TEXT NOT NULL CHECK (stream IN ('console', 'gdb', 'fsck', 'hang')),
  text      TEXT NOT NULL,
  PRIMARY KEY (run, stream)
);
INSERT INTO console_logs SELECT * FROM console_logs_v12;
DROP TABLE console_logs_v12;

PRAGMA legacy_alter_table = OFF;

INSERT INTO schema_version VALUES (13, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
