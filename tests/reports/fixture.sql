-- fixture.sql - a small campaign database for the report tests, loaded on
-- top of db/schema.sql (tests/reports/run.sh). Every value is chosen so
-- that a report cell has one known answer; the comments say which.
--
-- Campaign 1: an old smoke run (buf-bget, pipe-piperead). Campaign 2: the
-- Table 2/3 configs, some scenarios. Campaign 3: a newer smoke run of
-- buf-bget, which must NOT replace campaign 2's (Table 2/3 configs win).

INSERT INTO campaigns (id, ident, started, last_started, command_line, git_commit,
  kernel_path, kernel_sha256, fs_image_path, fs_image_sha256, gdb_script_path,
  gdb_scripts_sha256, qemu_version, gdb_version, config_paths, config_sha256, seed,
  survival_command, timeouts) VALUES
 (1, 'ident-1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
  'campaign/ev6-campaign configs/smoke.ini', 'aaaa', 'build/kernel-r1f1/kernel', 'k1',
  'fs.img', 'f1', 'campaign/gdbscripts/ev6inject.py', 'g1', 'QEMU 7.2', 'gdb 13.1',
  'configs/smoke.ini', 'c1', 1, 'usertests -q', 'boot=60'),
 (2, 'ident-2', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z',
  'campaign/ev6-campaign configs/table2.ini configs/table3.ini', 'bbbb',
  'build/kernel-r1f1/kernel', 'k2', 'fs.img', 'f2', 'campaign/gdbscripts/ev6inject.py',
  'g2', 'QEMU 7.2', 'gdb 13.1', 'configs/table2.ini configs/table3.ini', 'c2', 1,
  'usertests -q', 'boot=60'),
 (3, 'ident-3', '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z',
  'campaign/ev6-campaign configs/smoke.ini', 'cccc', 'build/kernel-r1f1/kernel', 'k3',
  'fs.img', 'f3', 'campaign/gdbscripts/ev6inject.py', 'g3', 'QEMU 7.2', 'gdb 13.1',
  'configs/smoke.ini', 'c3', 1, 'usertests -q', 'boot=60');

INSERT INTO scenarios (id, campaign, config_file, config_sha256, section, line, object,
  site, hit, target, corruption, seed, delivery, workload, modes, repeat, cpus,
  paper_conservative, paper_aggressive, paper_table) VALUES
 (1, 1, 'configs/smoke.ini', 's', 'buf-bget', 6, 'buf', 'bget', 1, 'object', 'flip:2', 1,
  'breakpoint', 'cat README.md', 'conservative,aggressive', 1, 1, 'SF', 'SF', 'smoke'),
 (2, 1, 'configs/smoke.ini', 's', 'pipe-piperead', 26, 'pipe', 'piperead', 1, 'object',
  'flip:2', 1, 'breakpoint', 'echo hello | wc', 'conservative,aggressive', 1, 1, 'SF', 'SF',
  'smoke'),
 (3, 2, 'configs/table2.ini', 't', 'buf-bget', 50, 'buf', 'bget', 1, 'object', 'flip:2', 1,
  'breakpoint', 'cat README.md', 'conservative,aggressive', 3, 3, 'SF', 'SF', '2'),
 (4, 2, 'configs/table2.ini', 't', 'buf-bwrite', 70, 'buf', 'bwrite', 1, 'object',
  'flip:2', 1, 'breakpoint', 'echo hello > t2.buf', 'conservative,aggressive', 3, 3, 'FS',
  'SF', '2'),
 (5, 2, 'configs/table2.ini', 't', 'inode-idup-root', 200, 'inode', 'idup', 1, 'object',
  'flip:2', 1, 'breakpoint', 'stress 2 1', 'conservative,aggressive', 2, 3, 'FS', 'FS', '2'),
 (6, 2, 'configs/table2.ini', 't', 'log-commit', 100, 'log', 'commit', 1, 'object',
  'flip:2', 1, 'breakpoint', 'echo hello > t2.log', 'conservative,aggressive', 1, 3,
  'PK|SF', 'PK|SF', '2'),
 (7, 2, 'configs/table2.ini', 't', 'pr-kerneltrap', 300, 'pr', 'kerneltrap', 1, 'object',
  'flip:2', 1, 'breakpoint', 'ls', 'conservative,aggressive', 1, 3, 'FS', 'FS', '2'),
 (8, 2, 'configs/table2.ini', 't', 'file-filewrite', 150, 'file', 'filewrite', 1, 'object',
  'flip:2', 1, 'breakpoint', 'echo hello > t2.file', 'conservative,aggressive', 2, 3, 'FS',
  'PK', '2'),
 (9, 2, 'configs/table3.ini', 'u', 'log-begin_op-two', 20, 'log', 'begin_op', 1, 'object',
  'flip:2', 1, 'breakpoint', 'stress 4 2', 'conservative,aggressive', 1, 3, 'FS|PK',
  'FS|PK', '3'),
 (10, 2, 'configs/table3.ini', 'u', 'kstack-in-handler', 130, 'buf', 'bget', 1, 'object',
  'flip:2', 1, 'breakpoint', 'cat README.md', 'conservative,aggressive', 1, 3, 'FS', 'FS',
  '3'),
 (11, 2, 'configs/table2.ini', 't', 'file-fileread', 130, 'file', 'fileread', 1, 'object',
  'flip:2', 1, 'breakpoint', 'cat README.md', 'conservative,aggressive', 1, 3, 'SF', 'SF',
  '2'),
 (12, 3, 'configs/smoke.ini', 's', 'buf-bget', 6, 'buf', 'bget', 1, 'object', 'flip:2', 1,
  'breakpoint', 'cat README.md', 'conservative', 1, 1, 'SF', 'SF', 'smoke');

-- Beyond the paper (configs/beyond.ini): no paper result; SF survived /
-- no exit, survived. Only the beyond table shows it, not Table 2.
INSERT INTO scenarios (id, campaign, config_file, config_sha256, section, line, object,
  site, hit, target, corruption, seed, delivery, workload, modes, repeat, cpus,
  paper_conservative, paper_aggressive, paper_table, note) VALUES
 (13, 2, 'configs/beyond.ini', 'b', 'text-writei', 53, 'text', 'writei', 1, 'object',
  'flip:2', 1, 'breakpoint', 'echo hello > tb.text', 'conservative,aggressive', 1, 3, NULL,
  NULL, '2', 'the code of writei, restored');

INSERT INTO jobs (id, campaign, scenario, mode, rep, seed, state) VALUES
 (1, 1, 1, 'conservative', 1, 1, 'done'), (2, 1, 1, 'aggressive', 1, 1, 'done'),
 (3, 1, 2, 'conservative', 1, 1, 'done'), (4, 1, 2, 'aggressive', 1, 1, 'done'),
 (5, 2, 3, 'conservative', 1, 1, 'done'), (6, 2, 3, 'conservative', 2, 2, 'done'),
 (7, 2, 3, 'conservative', 3, 3, 'done'), (8, 2, 3, 'aggressive', 1, 1, 'done'),
 (9, 2, 3, 'aggressive', 2, 2, 'done'), (10, 2, 3, 'aggressive', 3, 3, 'done'),
 (11, 2, 4, 'conservative', 1, 1, 'done'), (12, 2, 4, 'conservative', 2, 2, 'done'),
 (13, 2, 4, 'conservative', 3, 3, 'done'), (14, 2, 4, 'aggressive', 1, 1, 'done'),
 (15, 2, 4, 'aggressive', 2, 2, 'done'), (16, 2, 4, 'aggressive', 3, 3, 'done'),
 (17, 2, 5, 'conservative', 1, 1, 'done'), (18, 2, 5, 'conservative', 2, 2, 'done'),
 (19, 2, 5, 'aggressive', 1, 1, 'done'), (20, 2, 5, 'aggressive', 2, 2, 'done'),
 (21, 2, 6, 'conservative', 1, 1, 'done'), (22, 2, 6, 'aggressive', 1, 1, 'done'),
 (23, 2, 7, 'conservative', 1, 1, 'done'), (24, 2, 7, 'aggressive', 1, 1, 'done'),
 (25, 2, 8, 'conservative', 1, 1, 'done'), (26, 2, 8, 'conservative', 2, 2, 'queued'),
 (27, 2, 8, 'aggressive', 1, 1, 'done'), (28, 2, 8, 'aggressive', 2, 2, 'done'),
 (29, 2, 9, 'conservative', 1, 1, 'done'), (30, 2, 9, 'aggressive', 1, 1, 'done'),
 (31, 2, 10, 'conservative', 1, 1, 'done'), (32, 2, 10, 'aggressive', 1, 1, 'done'),
 (33, 2, 11, 'conservative', 1, 1, 'queued'), (34, 2, 11, 'aggressive', 1, 1, 'queued'),
 (35, 3, 12, 'conservative', 1, 1, 'done'),
 (36, 2, 13, 'conservative', 1, 1, 'done'), (37, 2, 13, 'aggressive', 1, 1, 'done');

INSERT INTO runs (id, job, replay_of, attempt, worker_pid, started, outcome, exit,
  survived, injected, hang_phase, verdict, total_ms) VALUES
 -- campaign 1: buf-bget (replaced by campaign 2); pipe-piperead: SF
 -- survived (agrees) / SF but the check failed (differs)
 (1, 1, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (2, 2, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (3, 3, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (4, 4, NULL, 1, 9, 't', 'SF', 'SF', 0, 1, NULL, 'fail', 1000),
 -- buf-bget: SF 3/3 survived in both modes (agrees); run 11, a replay
 -- that panicked, does not count
 (5, 5, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (6, 6, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (7, 7, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (8, 8, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (9, 9, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (10, 10, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (11, 8, 8, 1, 9, 't', 'panic', NULL, 0, 1, NULL, NULL, 1000),
 -- buf-bwrite: FS 3/3 (agrees) / SF 2/3 survived; SF 1/3 check failed (differs)
 (12, 11, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (13, 12, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (14, 13, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (15, 14, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (16, 15, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (17, 16, NULL, 1, 9, 't', 'SF', 'SF', 0, 1, NULL, 'fail', 1000),
 -- inode-idup-root: the paper fail-stops; we survive: better, better
 (18, 17, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000),
 (19, 18, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000),
 (20, 19, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (21, 20, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 -- log-commit: a harness error, then SF survived (the latest counts:
 -- agrees with PK|SF) / panic (differs)
 (22, 21, NULL, 1, 9, 't', 'harness-error', NULL, 0, 0, NULL, NULL, 1000),
 (23, 21, NULL, 2, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (24, 22, NULL, 1, 9, 't', 'panic', NULL, 0, 1, NULL, NULL, 1000),
 -- pr-kerneltrap: FS (agrees) / a harness error (not injected)
 (25, 23, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (26, 24, NULL, 1, 9, 't', 'harness-error', NULL, 0, 0, NULL, NULL, 1000),
 -- file-filewrite: FS 1/2; pending 1/2 (agrees) / PK and no exit, both
 -- survived (differs: the paper says PK)
 (27, 25, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (28, 27, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000),
 (29, 28, NULL, 1, 9, 't', 'continued', 'none', 1, 1, NULL, 'pass', 1000),
 -- Table 3 log-begin_op-two: FS / PK survived (both agree with FS|PK)
 (30, 29, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 (31, 30, NULL, 1, 9, 't', 'PK', 'PK', 1, 1, NULL, 'pass', 1000),
 -- Table 3 kstack-in-handler: hang (differs) / not reached (not injected)
 (32, 31, NULL, 1, 9, 't', 'hang', NULL, 0, 1, 'recovery', NULL, 1000),
 (33, 32, NULL, 1, 9, 't', 'not-reached', NULL, 0, 0, NULL, NULL, 1000),
 -- campaign 3, newer smoke: buf-bget FS; not chosen
 (34, 35, NULL, 1, 9, 't', 'FS', 'FS', 0, 1, NULL, NULL, 1000),
 -- beyond the paper: text-writei SF survived / no exit, survived
 (35, 36, NULL, 1, 9, 't', 'SF', 'SF', 1, 1, NULL, 'pass', 1000),
 (36, 37, NULL, 1, 9, 't', 'continued', 'none', 1, 1, NULL, 'pass', 1000);
-- Run 1's transcripts (index.html links runs/1.txt): console and fsck,
-- no GDB log.
INSERT INTO console_logs VALUES
 (1, 'console', '$ cat README.md
ev6: event=recovered object=buf index=3 <ok> & done'),
 (1, 'fsck', 'fsck: clean');

-- Recovery costs: buf 100..400 (median 250), inode 1000..3000 (median
-- 2000), pipe 50. The replay's and the unchosen campaign's do not count.
INSERT INTO ev6_events (run, seq, event, object, site, strategy, exit, mode, cost, line) VALUES
 (5, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'conservative', 100, 'ev6: a'),
 (6, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'conservative', 300, 'ev6: b'),
 (7, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'conservative', 200, 'ev6: c'),
 (8, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'aggressive', 400, 'ev6: d'),
 (11, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'aggressive', 999999, 'ev6: e'),
 (1, 1, 'recovered', 'buf', 'bget', 'initialize', 'SF', 'conservative', 777777, 'ev6: f'),
 (18, 1, 'recovered', 'inode', 'idup', 'initialize', 'PK', 'conservative', 3000, 'ev6: g'),
 (19, 1, 'recovered', 'inode', 'idup', 'initialize', 'PK', 'conservative', 1000, 'ev6: h'),
 (20, 1, 'recovered', 'inode', 'idup', 'initialize', 'SF', 'aggressive', 2000, 'ev6: i'),
 (3, 1, 'recovered', 'pipe', 'piperead', 'initialize', 'SF', 'conservative', 50, 'ev6: j'),
 (12, 1, 'failstop', 'buf', 'bwrite', NULL, 'FS', 'conservative', NULL, 'ev6: k');

-- The survival check ran three tests.
INSERT INTO test_results (run, phase, seq, name, result, ticks) VALUES
 (5, 'survival', 1, 'forkwait', 'pass', 3),
 (5, 'survival', 2, 'pipebasic', 'pass', 1),
 (5, 'survival', 3, 'sbrkbig', 'pass', 2);

-- Benchmarks. Session 1 is older (its 9x must not show). Session 2, in
-- busy time (the headline): forkwait 2.5x, sbrkbig 1.2x, pipebasic 1.0x
-- (mean 1.57x); in elapsed time 3.0x, 1.5x, 1.0x; oom failed on the
-- recovery kernel, so it has no ratio.
INSERT INTO bench_sessions (id, started, finished, command_line, git_commit,
  qemu_version, cpus, icount, repetitions) VALUES
 (1, '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', 'make bench', 'aaaa', 'QEMU 7.2', 1,
  'shift=0', 1),
 (2, '2026-01-04T00:00:00Z', '2026-01-04T01:00:00Z', 'make bench', 'bbbb', 'QEMU 7.2', 1,
  'shift=0', 2);
INSERT INTO bench_runs (id, session, kernel, kernel_sha256, rep, verdict, wall_ms) VALUES
 (1, 1, 'recovery', 'k', 1, 'pass', 100), (2, 1, 'vanilla', 'v', 1, 'pass', 100),
 (3, 2, 'recovery', 'k', 1, 'pass', 100), (4, 2, 'recovery', 'k', 2, 'pass', 100),
 (5, 2, 'vanilla', 'v', 1, 'pass', 100), (6, 2, 'vanilla', 'v', 2, 'pass', 100);
INSERT INTO bench_tests (run, seq, name, result, ticks, time, wall_ms, busy) VALUES
 (1, 1, 'forkwait', 'pass', 9, 900, 90, 900), (2, 1, 'forkwait', 'pass', 1, 100, 10, 100),
 (3, 1, 'forkwait', 'pass', 3, 290, 30, 250), (3, 2, 'sbrkbig', 'pass', 2, 150, 15, 120),
 (3, 3, 'pipebasic', 'pass', 1, 100, 10, 100), (3, 4, 'oom', 'fail', 1, 100, 10, 100),
 (4, 1, 'forkwait', 'pass', 3, 310, 30, 250), (4, 2, 'sbrkbig', 'pass', 2, 150, 15, 120),
 (4, 3, 'pipebasic', 'pass', 1, 100, 10, 100), (4, 4, 'oom', 'fail', 1, 100, 10, 100),
 (5, 1, 'forkwait', 'pass', 1, 100, 10, 100), (5, 2, 'sbrkbig', 'pass', 1, 100, 10, 100),
 (5, 3, 'pipebasic', 'pass', 1, 100, 10, 100), (5, 4, 'oom', 'pass', 1, 100, 10, 100),
 (6, 1, 'forkwait', 'pass', 1, 100, 10, 100), (6, 2, 'sbrkbig', 'pass', 1, 100, 10, 100),
 (6, 3, 'pipebasic', 'pass', 1, 100, 10, 100), (6, 4, 'oom', 'pass', 1, 100, 10, 100);

-- Memory, session 2: after boot 33 KB registry + 1 KB replicas = 34.0 KB;
-- the peak is contiguous-alloc, 43.0 KB; no shuffled phases.
INSERT INTO bench_memory (session, phase, registry_bytes, replica_bytes, free_pages) VALUES
 (1, 'boot', 999999, 999999, 1),
 (2, 'boot', 33792, 1024, 30000),
 (2, 'contiguous-before', 33792, 2048, 29000),
 (2, 'contiguous-alloc', 33792, 10240, 10),
 (2, 'contiguous-free', 33792, 2048, 29000);

-- Driver tasks: session 1 is older and left out; session 2 has two
-- faults, the monitors at 1 and 4 tasks (the heartbeat at 20 ms only at
-- 4) and the request cost (tasks 1100
-- busy over 100 requests against 1000: 1 unit, 6 instructions a request).
INSERT INTO drv_sessions (id, started, finished, git_commit, base_commit, host_load) VALUES
 (1, '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'a', 'b', '0.5'),
 (2, '2026-01-02T00:00:00Z', '2026-01-02T00:01:00Z', 'a', 'b', '0.5');
INSERT INTO drv_detect VALUES
 (1, 'loop', 'kernel', 100, 'hang', 0, 99000, 9, 999, 99000, 99000, 'disk'),
 (2, 'loop', 'kernel', 100, 'hang', 0, 35000, 4, 200, 35500, 36000, 'disk'),
 (2, 'loop', 'heartbeat', 1000, 'heartbeat', 0, 2500000, 250, 60, 2500400, 2501000, 'disk'),
 (2, 'badwrite', 'kernel', 100, 'hang', 1, 1000000, 101, 150, 1000800, 1001000, 'disk'),
 (2, 'badwrite', 'kernel', 100, 'hang', 1, 1010000, 101, 130, 1010700, 1011000, 'uart');
INSERT INTO drv_monitor VALUES
 (2, 1, 'none', 1000, 0, 0, 0, 0, 100, 2000000),
 (2, 1, 'kernel', 1000, 0, 0, 200, 40, 100, 2000000),
 (2, 1, 'heartbeat', 1000, 2, 10, 0, 0, 300, 2000000),
 (2, 4, 'none', 1000, 0, 0, 0, 0, 100, 2000000),
 (2, 4, 'kernel', 1000, 0, 0, 800, 60, 100, 2000000),
 (2, 4, 'heartbeat', 1000, 8, 40, 0, 0, 900, 2000000),
 (2, 4, 'heartbeat', 20, 400, 400, 0, 0, 4100, 2000000);
INSERT INTO drv_request VALUES (2, 'tasks', 1100, 100), (2, 'direct', 1000, NULL);
-- Console writes: session 1 older and left out; in session 2 one byte
-- costs 80 busy units more through the UART task (500 instructions a
-- write), 128 bytes 160 units less.
INSERT INTO drv_console VALUES
 (1, 'tasks', 1, 10, 99990, 99990), (1, 'direct', 1, 10, 99990, 99990),
 (2, 'tasks', 1, 10, 5000, 2000), (2, 'direct', 1, 10, 1200, 1200),
 (2, 'tasks', 128, 10, 60000, 20000), (2, 'direct', 128, 10, 21600, 21600);

-- Campaign 2 also ran two driver faults (configs/drivers.ini, kind =
-- driver): the loop under the in-kernel detector, restarted as expected in
-- 72.1 ms; under the heartbeat, found by the heartbeat but the device was
-- re-initialised, which the row does not expect: misdetected.
INSERT INTO scenarios (id, campaign, config_file, config_sha256, section, line, object,
  site, hit, target, corruption, seed, delivery, workload, modes, repeat, cpus,
  paper_conservative, paper_aggressive, paper_table, note) VALUES
 (14, 2, 'configs/drivers.ini', 'd', 'disk-loop-kernel', 31, 'disk', 'disk_serve', 1,
  'object', 'flip:2', 1, 'breakpoint', 'echo hello > drv.out', 'conservative', 1, 1, NULL,
  NULL, 'smoke', 'an infinite loop'),
 (15, 2, 'configs/drivers.ini', 'd', 'disk-loop-heartbeat', 41, 'disk', 'disk_serve', 1,
  'object', 'flip:2', 1, 'breakpoint', 'echo hello > drv.out', 'conservative', 1, 1, NULL,
  NULL, 'smoke', 'an infinite loop');
INSERT INTO scenario_driver VALUES
 (14, 'disk', 'loop', 'kernel', 'hang', 'software'),
 (15, 'disk', 'loop', 'heartbeat', 'heartbeat', 'software');
INSERT INTO jobs (id, campaign, scenario, mode, rep, seed, state) VALUES
 (38, 2, 14, 'conservative', 1, 1, 'done'), (39, 2, 15, 'conservative', 1, 1, 'done');
INSERT INTO runs (id, job, replay_of, attempt, worker_pid, started, outcome, exit,
  survived, injected, hang_phase, verdict, total_ms) VALUES
 (37, 38, NULL, 1, 9, 't', 'restarted', NULL, 1, 1, NULL, 'pass', 1000),
 (38, 39, NULL, 1, 9, 't', 'misdetected', NULL, 0, 1, NULL, NULL, 1000);
INSERT INTO run_driver VALUES
 (37, 'kernel', 'hang', 'software', 72078, 253),
 (38, 'heartbeat', 'heartbeat', 'reinit', 15000000, 300);
