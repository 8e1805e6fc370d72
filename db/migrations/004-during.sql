-- 004-during.sql - migration 004: where, and on which hart, the error of a
-- Table 3 scenario's during_recovery key comes (configs/table3.ini).
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

INSERT INTO schema_version VALUES (4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
