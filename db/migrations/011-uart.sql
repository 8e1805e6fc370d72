-- 011-uart.sql - migration 011: the UART driver task's measurements
-- (bench/drivers.sh; docs/drivers.md).

-- Which driver task a fault was injected in. Rows from before are the
-- disk's, the only task then.
ALTER TABLE drv_detect ADD COLUMN driver TEXT NOT NULL DEFAULT 'disk' CHECK (driver IN ('disk', 'uart'));

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

INSERT INTO schema_version VALUES (11, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
