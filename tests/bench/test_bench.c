// test_bench.c - ev6-bench's unit tests, no QEMU: console parsing (result
// lines after prompts, leak notes, old lines without busy=, malformed
// lines, host time between lines), memtest's lines, storing a session on a
// scratch database, the bench_overhead view (ratios, spreads, interrupted
// sessions left out) and the result table. Prints the line
// tests/run-all.sh adds up: `bench: N passed, N failed`.
//
//   build/bench/test-bench     (make test-bench, from the top of the tree)
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "campaign/db.h"
#include "tests/campaign/check.h"

int checks_passed, checks_failed;

// Is a within 1e-9 of b?
static int
near(double a, double b)
{
  return fabs(a - b) < 1e-9;
}

// A console delivered in pieces, one stamp per piece (time = 1000 * i).
static void
deliver(struct console_rec *c, const char *const *pieces)
{
  for(int i = 0; pieces[i]; i++)
    console_rec_add(c, pieces[i], strlen(pieces[i]), 1000 * (i + 1));
}

static void
test_usertests(void)
{
  static const char *const pieces[] = {
    "\nev6 kernel booting\ninit: starting sh\n$ ",
    "usertests\r\nusertests starting\n",
    "usertest name=forkwait result=pass ticks=4 time=649126 busy=628864\n",
    "$ usertest name=exitstatus result=pass ticks=15 time=3010630 busy=2926662\n"
    "usertest name=pipeleak leaked=3 pages\n"
    "usertest name=pipeleak result=fail ticks=2 time=20000 busy=10000\n",
    "usertest name=oldstyle result=pass ticks=1 time=5000\n"
    "usertests: done in 22 ticks\nSOME TESTS FAILED: pipeleak\n$ ",
    NULL,
  };
  struct console_rec c = {0};
  struct usertests_out out;
  int rc;

  deliver(&c, pieces);
  check(c.nstamps == 5 && c.stamps[4].len == c.text.len && c.stamps[4].ms == 5000,
        "console_rec keeps one stamp per piece");
  rc = parse_usertests(sb_str(&c.text), c.text.len, c.stamps, c.nstamps, &out);
  check(rc == 0, "a well-formed console parses (bad: %s)", out.bad);
  check(out.ntests == 4, "four result lines, the leak note is not one (got %d)", out.ntests);
  check(out.started && out.some_failed && !out.all_passed, "start and SOME TESTS FAILED seen");
  if(out.ntests == 4){
    same_str(out.tests[0].name, "forkwait", "first test");
    check(out.tests[0].pass && out.tests[0].ticks == 4 && out.tests[0].time == 649126 &&
          out.tests[0].busy == 628864, "forkwait's fields");
    check(out.tests[0].wall_ms == 1000, "forkwait came 1 s after usertests starting (got %lld)",
          (long long)out.tests[0].wall_ms);
    same_str(out.tests[1].name, "exitstatus", "a line after a prompt");
    check(out.tests[1].wall_ms == 1000, "exitstatus 1 s after forkwait");
    check(!out.tests[2].pass && out.tests[2].busy == 10000, "pipeleak failed");
    check(out.tests[2].wall_ms == 0, "pipeleak arrived with exitstatus");
    check(out.tests[3].busy == -1 && out.tests[3].time == 5000,
          "a line without busy= has busy -1");
  }
  check(!usertests_passed(&out), "a failed test fails the boot");
  usertests_out_free(&out);

  // without stamps: no host times
  rc = parse_usertests(sb_str(&c.text), c.text.len, NULL, 0, &out);
  check(rc == 0 && out.ntests == 4 && out.tests[1].wall_ms == -1, "no stamps, no wall_ms");
  usertests_out_free(&out);
  console_rec_free(&c);

  {
    const char *ok = "usertests starting\n"
                     "usertest name=a result=pass ticks=1 time=10 busy=9\n"
                     "ALL TESTS PASSED\n";
    rc = parse_usertests(ok, strlen(ok), NULL, 0, &out);
    check(rc == 0 && usertests_passed(&out), "ALL TESTS PASSED and every line pass");
    usertests_out_free(&out);

    const char *bad = "usertest name=a result=pass ticks=1 time=x1 busy=9\nALL TESTS PASSED\n";
    rc = parse_usertests(bad, strlen(bad), NULL, 0, &out);
    check(rc == -1 && strstr(out.bad, "time=x1") != NULL, "a bad number is reported");
    check(!usertests_passed(&out), "a malformed line fails the boot");
    usertests_out_free(&out);

    const char *noticks = "usertest name=a result=pass time=1\nALL TESTS PASSED\n";
    rc = parse_usertests(noticks, strlen(noticks), NULL, 0, &out);
    check(rc == -1, "a line without ticks is malformed");
    usertests_out_free(&out);

    const char *cut = "usertests starting\nusertest name=a result=pass ticks=1 time=10 busy=9\n"
                      "usertest name=b result=pa";
    rc = parse_usertests(cut, strlen(cut), NULL, 0, &out);
    check(rc == 0 && out.ntests == 1 && !out.all_passed && !out.some_failed,
          "an unfinished last line is not a test, and no verdict");
    usertests_out_free(&out);
  }
}

// A memtest console with every phase, optionally without one of them.
static char *
memtest_console(const char *skip, const char *extra)
{
  struct strbuf sb = {0};

  sb_addf(&sb, "$ memtest\n");
  for(int i = 0; i < NPHASES_MEM; i++)
    if(skip == NULL || strcmp(skip, mem_phases[i]) != 0)
      sb_addf(&sb, "memstat phase=%s registry=33792 replicas=4540 free_pages=%d\n",
              mem_phases[i], 32000 - i);
  if(extra)
    sb_addf(&sb, "%s\n", extra);
  sb_addf(&sb, "memtest: done\n$ ");
  return sb.s;
}

static void
test_memtest(void)
{
  struct memtest_out m;
  char *s;

  s = memtest_console(NULL, NULL);
  check(parse_memtest(s, strlen(s), &m) == 0, "a complete memtest parses (%s)", m.bad);
  check(m.phase[0].registry == 33792 && m.phase[0].replicas == 4540 &&
        m.phase[0].free_pages == 32000 && m.phase[6].free_pages == 31994, "memstat fields");
  free(s);

  s = memtest_console("shuffled-alloc", NULL);
  check(parse_memtest(s, strlen(s), &m) == -1 && strstr(m.bad, "shuffled-alloc"),
        "a missing phase is named (%s)", m.bad);
  free(s);

  s = memtest_console(NULL, "memtest: fork failed");
  check(parse_memtest(s, strlen(s), &m) == -1 && strstr(m.bad, "fork failed"),
        "memtest's own error is reported (%s)", m.bad);
  free(s);

  s = memtest_console(NULL, "memstat phase=boot registry=1 replicas=2");
  check(parse_memtest(s, strlen(s), &m) == -1 && strstr(m.bad, "malformed"),
        "a short memstat line is malformed (%s)", m.bad);
  free(s);

  s = memtest_console(NULL, "memstat phase=later registry=1 replicas=2 free_pages=3");
  check(parse_memtest(s, strlen(s), &m) == -1 && strstr(m.bad, "unknown phase"),
        "an unknown phase is reported (%s)", m.bad);
  free(s);
}

// One usertests result with tests a and b of the given times.
static void
one_run(sqlite3 *db, int64_t session, enum kernel k, int rep, long ta, long tb)
{
  struct usertests_out out = {0};
  struct bench_test t[2] = {
    { "a", 1, 1, ta, ta / 2, 10 },
    { "b", 1, 1, tb, tb / 2, 20 },
  };

  out.tests = t;
  out.ntests = 2;
  out.all_passed = 1;
  bench_store_run(db, session, k, "sha", rep, "pass", 1234, &out);
}

static void
test_store(void)
{
  char path[128], *report = NULL;
  size_t rlen = 0;
  const char *tmp = getenv("TMPDIR");
  struct session_info si = { "ev6-bench -r 2", "abc", "QEMU 7.2", 1, "shift=4,sleep=off", 2 };
  struct memtest_out m;
  sqlite3 *db;
  int64_t s1, s2;
  FILE *f;
  char *mem;

  snprintf(path, sizeof(path), "%s/ev6-bench-test.%d.db", tmp && *tmp && strlen(tmp) < 60 ?
           tmp : "/tmp", (int)getpid());
  unlink(path);
  db = db_open(path);
  s1 = bench_session_new(db, &si);
  s2 = bench_session_new(db, &si);
  check(s1 > 0 && s2 == s1 + 1, "two sessions");
  // s1: a is 10% slower on recovery, b 50%; vanilla's b varies 100/120
  one_run(db, s1, KERNEL_RECOVERY, 1, 1100, 150);
  one_run(db, s1, KERNEL_VANILLA, 1, 1000, 100);
  one_run(db, s1, KERNEL_RECOVERY, 2, 1100, 150);
  one_run(db, s1, KERNEL_VANILLA, 2, 1000, 120);
  one_run(db, s2, KERNEL_RECOVERY, 1, 5000, 5000);   // s2 is never finished
  one_run(db, s2, KERNEL_VANILLA, 1, 1000, 1000);
  bench_session_finished(db, s1);

  check(db_int(db, "SELECT count(*) FROM bench_runs", 0) == 6, "six runs stored");
  check(db_int(db, "SELECT count(*) FROM bench_tests", 0) == 12, "twelve test rows");
  check(db_int(db, "SELECT count(*) FROM bench_overhead", 0) == 2,
        "bench_overhead has only the finished session's two tests");
  check(db_int(db, "SELECT count(*) FROM bench_sessions WHERE finished IS NULL", 0) == 1,
        "the unfinished session keeps finished NULL");
  {
    sqlite3_stmt *st = db_prepare(db,
      "SELECT ratio, busy_ratio, vanilla_spread, recovery_spread, samples, wall_ratio"
      " FROM bench_overhead WHERE name = 'b'");
    check(db_step(st) == SQLITE_ROW, "a row for test b");
    check(near(sqlite3_column_double(st, 0), 150.0 / 110.0), "b's time ratio (got %f)",
          sqlite3_column_double(st, 0));
    check(near(sqlite3_column_double(st, 1), 75.0 / 55.0), "b's busy ratio (got %f)",
          sqlite3_column_double(st, 1));
    check(near(sqlite3_column_double(st, 2), 1.2) && near(sqlite3_column_double(st, 3), 1.0),
          "b's spreads");
    check(sqlite3_column_int(st, 4) == 4 && near(sqlite3_column_double(st, 5), 1.0),
          "b's samples and wall ratio");
    sqlite3_finalize(st);
  }

  mem = memtest_console(NULL, NULL);
  parse_memtest(mem, strlen(mem), &m);
  free(mem);
  bench_store_memory(db, s1, &m);
  check(db_int(db, "SELECT free_pages FROM bench_memory WHERE session = 1"
                   " AND phase = 'contiguous-alloc'", 0) == 31998, "memory phases stored");

  f = open_memstream(&report, &rlen);
  m.phase[0].free_pages += 100;           // vanilla has 100 pages more
  report_session(db, s1, &m, f);
  fclose(f);
  check(strstr(report, "1.364x") != NULL, "the table shows b's ratio");
  check(strstr(report, "worst tests (busy): b 1.364x, a 1.100x") != NULL,
        "worst tests, largest first");
  check(strstr(report, "400.0 KB") != NULL, "memory: 100 pages less than vanilla");
  check(strstr(report, "missed") != NULL, "goals: a 1.23x mean misses 1.03x");
  if(checks_failed)
    printf("%s", report);
  free(report);
  db_close(db);
  unlink(path);
  {
    char wal[160];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
  }
}

int
main(void)
{
  util_progname = "test-bench";
  test_usertests();
  test_memtest();
  test_store();
  printf("bench: %d passed, %d failed\n", checks_passed, checks_failed);
  return checks_failed != 0;
}
