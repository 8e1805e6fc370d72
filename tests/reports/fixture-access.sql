-- fixture-access.sql - added to fixture.sql for the "Breakpoint and access
-- delivery" table (reports/sql/delivery.sql): campaign 4 re-ran two Table
-- 2 scenarios with ev6-campaign --delivery access. Expected, per mode:
--   buf-bget      SF 3/3 survived | SF 1/1 survived  (same)
--                 SF 3/3 survived | FS 1/1           differs
--   log-commit    SF 1/1 survived | hang 1/1         differs
--                 panic 1/1       | pending 1/1      (not compared)
--   log-begin_op-two (Table 3, two harts at once, each error raised by
--                 its consumer under access):
--                 FS 1/1          | PK 1/1 survived  differs
--                 PK 1/1 survived | PK 1/1 survived  (same)
-- and Table 2 itself unchanged: campaign 4 is not chosen for it.
INSERT INTO campaigns (id, ident, started, last_started, command_line, git_commit,
  kernel_path, kernel_sha256, fs_image_path, fs_image_sha256, gdb_script_path,
  gdb_scripts_sha256, qemu_version, gdb_version, config_paths, config_sha256, seed,
  survival_command, timeouts) VALUES
 (4, 'ident-4', '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z',
  'campaign/ev6-campaign -j 2 --delivery access configs/table2.ini configs/table3.ini',
  'dddd', 'build/kernel-r1f1/kernel', 'k2', 'fs.img', 'f2',
  'campaign/gdbscripts/ev6inject.py', 'g2', 'QEMU 7.2', 'gdb 13.1',
  'configs/table2.ini configs/table3.ini', 'c2', 1, 'usertests -q', 'boot=60');
INSERT INTO scenarios (id, campaign, config_file, config_sha256, section, line, object,
  site, hit, target, corruption, seed, delivery, workload, modes, repeat, cpus,
  paper_conservative, paper_aggressive, paper_table) VALUES
 (24, 4, 'configs/table2.ini', 't', 'buf-bget', 50, 'buf', 'bget', 1, 'object', 'flip:2', 1,
  'access', 'cat README.md', 'conservative,aggressive', 1, 3, 'SF', 'SF', '2'),
 (25, 4, 'configs/table2.ini', 't', 'log-commit', 100, 'log', 'commit', 1, 'object',
  'flip:2', 1, 'access', 'echo hello > t2.log', 'conservative,aggressive', 1, 3,
  'PK|SF', 'PK|SF', '2'),
 (26, 4, 'configs/table3.ini', 'u', 'log-begin_op-two', 20, 'log', 'begin_op', 1, 'object',
  'flip:2', 1, 'access', 'stress 4 3', 'conservative,aggressive', 1, 3, 'FS|PK', 'FS|PK',
  '3');
UPDATE scenarios SET harts_at_once = 2 WHERE id IN (9, 26);
INSERT INTO jobs (id, campaign, scenario, mode, rep, seed, state) VALUES
 (48, 4, 24, 'conservative', 1, 1, 'done'), (49, 4, 24, 'aggressive', 1, 1, 'done'),
 (50, 4, 25, 'conservative', 1, 1, 'done'), (51, 4, 25, 'aggressive', 1, 1, 'queued'),
 (52, 4, 26, 'conservative', 1, 1, 'done'), (53, 4, 26, 'aggressive', 1, 1, 'done');
INSERT INTO runs (id, job, replay_of, attempt, worker_pid, started, outcome, exit,
  survived, injected, hang_phase, verdict, total_ms) VALUES
 (48, 48, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (49, 49, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (50, 50, NULL, 1, 9, 't', 'hang', NULL, 0, 1, 'survival', NULL, 1000),
 (51, 52, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000),
 (52, 53, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000);
