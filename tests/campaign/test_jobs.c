// test_jobs.c - the database side on a scratch database: the schema equals
// its migrations, expansion is idempotent (a rerun adds nothing), leasing
// hands each job to exactly one of several concurrent processes, stale
// leases go back to the queue, the paper file's results are stored with
// the scenarios, a stored run finishes its job (or re-queues it after a
// harness error), and the views answer.
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/db.h"
#include "campaign/jobs.h"
#include "campaign/paper.h"
#include "campaign/progress.h"
#include "campaign/store.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

// The schema of db as text: every CREATE statement, by name.
static char *
schema_text(sqlite3 *db)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master"
    " ORDER BY type, name");
  struct strbuf sb = {0};

  while(db_step(st) == SQLITE_ROW)
    sb_addf(&sb, "%s\n", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return sb.s ? sb.s : xstrdup("");
}

static void
test_schema(sqlite3 *db)
{
  sqlite3 *mem;
  char *a, *b;
  int i, latest = 0;

  check(db_int(db, "SELECT max(version) FROM schema_version", 0) >= 1, "schema version");
  for(i = 0; i < ev6_nmigrations; i++)
    if(ev6_migrations[i].version > latest)
      latest = ev6_migrations[i].version;
  check(db_int(db, "SELECT max(version) FROM schema_version", 0) == latest,
        "db/schema.sql's version is the latest migration's (%d)", latest);
  check(ev6_nmigrations >= 1 && ev6_migrations[0].version == 1, "migrations start at 001");

  sqlite3_open(":memory:", &mem);
  for(i = 0; i < ev6_nmigrations; i++)
    db_exec(mem, ev6_migrations[i].sql);
  a = schema_text(db);
  b = schema_text(mem);
  check(strcmp(a, b) == 0, "applying db/migrations/ gives db/schema.sql's schema");
  free(a);
  free(b);
  sqlite3_close(mem);
}

// A version 8 database with a campaign, a scenario and its job, migrated
// by 009-scrub.sql: the scenarios table is rebuilt with every row kept,
// the job still refers to it, and delivery 'scrub' is now accepted.
static void
test_migrate_scrub(void)
{
  sqlite3 *mem;
  int i;

  sqlite3_open(":memory:", &mem);
  for(i = 0; i < ev6_nmigrations; i++)
    if(ev6_migrations[i].version <= 8)
      db_exec(mem, ev6_migrations[i].sql);
  db_exec(mem,
    "INSERT INTO campaigns VALUES (1, 'i', 't', 't', 'c', 'g', 'k', 'ks', 'f', 'fs', 's',"
    " 'ss', 'q', 'gd', 'p', 'ps', 1, 'usertests -q', 'boot=60');"
    "INSERT INTO scenarios (id, campaign, config_file, config_sha256, section, line, object,"
    " site, hit, target, corruption, seed, delivery, workload, modes, repeat, cpus,"
    " paper_table) VALUES (7, 1, 'c.ini', 'x', 'buf-bget', 3, 'buf', 'bget', 1, 'object',"
    " 'flip:2', 1, 'access', 'ls', 'conservative', 1, 1, '2');"
    "INSERT INTO jobs (id, campaign, scenario, mode, rep, seed) VALUES"
    " (5, 1, 7, 'conservative', 1, 1);");
  for(i = 0; i < ev6_nmigrations; i++)
    if(ev6_migrations[i].version == 9)
      db_exec(mem, ev6_migrations[i].sql);
  check(db_int(mem, "SELECT max(version) FROM schema_version", 0) >= 9, "009 applied");
  check(db_int(mem, "SELECT count(*) FROM scenarios WHERE id = 7 AND delivery = 'access'"
                    " AND section = 'buf-bget'", 0) == 1, "009 keeps the scenario rows");
  check(db_int(mem, "SELECT count(*) FROM jobs j JOIN scenarios s ON s.id = j.scenario", 0) == 1,
        "009: the job still refers to its scenario");
  check(db_int(mem, "SELECT count(*) FROM pragma_foreign_key_check", 0) == 0,
        "009 leaves no foreign key broken");
  check(sqlite3_exec(mem, "UPDATE scenarios SET delivery = 'scrub' WHERE id = 7", NULL, NULL,
                     NULL) == SQLITE_OK, "009: delivery 'scrub' accepted");
  check(sqlite3_exec(mem, "UPDATE scenarios SET delivery = 'nmi' WHERE id = 7", NULL, NULL,
                     NULL) != SQLITE_OK, "009: other deliveries still refused");
  check(db_int(mem, "SELECT count(*) FROM outcome_classes WHERE name = 'deferred'"
                    " AND survival = 0", 0) == 1, "009 adds the class deferred");
  check(db_int(mem, "SELECT count(*) FROM sqlite_master WHERE name = 'scenarios_v8'", 0) == 0,
        "009 drops the old copy");
  sqlite3_close(mem);
}

static const char *const shas[] = { "s1", "s2", "s3" };

static void
test_expand(sqlite3 *db, int64_t camp)
{
  struct config cfg = {0};
  struct paper paper = {0};
  char *tsv;
  int added;

  load_config(&cfg,
    "[a]\nobject = buf\nsite = bget\nworkload = cat README.md\ntable = 2\n"
    "repeat = 2\nseed = 100\n"
    "[b]\nobject = log\nsite = commit\nworkload = ls\ntable = 2\n"
    "modes = conservative\nicount = shift=4,sleep=off\n");
  // The paper's results come from a paper file, by section name.
  tsv = scratch_file("jobs-paper.tsv",
    "# table row id ...\n"
    "2\t1\ta\tbuf\tbget\tSF\tSF\t-\t-\tw\tSF\t-\n"
    "2\t5\tb\tlog\tcommit\tPK|SF\t-\t-\t-\tw\tPK/SF\t-\n");
  check(paper_load(&paper, tsv, stdout) == 0, "jobs-paper.tsv loads");
  check(paper_apply(&paper, tsv, &cfg, stdout) == 0, "every scenario has a record");
  paper_free(&paper);
  free(tsv);
  db_begin(db);
  added = jobs_expand(db, camp, &cfg, shas, 42);
  db_commit(db);
  check(added == 5, "2 modes x 2 + 1 = 5 jobs, got %d", added);
  db_begin(db);
  added = jobs_expand(db, camp, &cfg, shas, 42);
  db_commit(db);
  check(added == 0, "expanding again adds nothing, got %d", added);
  check(db_int(db, "SELECT count(*) FROM scenarios", 0) == 2, "two scenarios");
  check(db_int(db, "SELECT count(*) FROM jobs j JOIN scenarios s ON s.id = j.scenario"
               " WHERE s.section = 'a' AND j.seed = 100 + j.rep - 1", 0) == 4,
        "repetition r of seed 100 uses 100 + r - 1");
  check(db_int(db, "SELECT seed FROM scenarios WHERE section = 'b'", 0) == 42,
        "a scenario without seed takes the campaign's");
  check(db_int(db, "SELECT count(*) FROM scenarios WHERE section = 'a' AND"
               " paper_conservative = 'SF' AND paper_aggressive = 'SF'", 0) == 1,
        "[a] stored with the paper file's SF / SF");
  check(db_int(db, "SELECT count(*) FROM scenarios WHERE section = 'b' AND"
               " paper_conservative = 'PK|SF' AND paper_aggressive IS NULL", 0) == 1,
        "[b] stored with PK|SF and, for '-', NULL");
  // The guest clock goes with the scenario, so a resumed or replayed job
  // (jobs_load) runs under the clock it was planned with.
  check(db_int(db, "SELECT count(*) FROM scenario_icount c JOIN scenarios s ON s.id = c.scenario"
               " WHERE s.section = 'b' AND c.icount = 'shift=4,sleep=off'", 0) == 1 &&
        db_int(db, "SELECT count(*) FROM scenario_icount", 0) == 1,
        "[b]'s icount stored, [a] has none");
  {
    struct job ja, jb;
    check(jobs_load(db, db_int(db, "SELECT min(j.id) FROM jobs j JOIN scenarios s"
                                   " ON s.id = j.scenario WHERE s.section = 'a'", 0), &ja) == 0 &&
          jobs_load(db, db_int(db, "SELECT min(j.id) FROM jobs j JOIN scenarios s"
                                   " ON s.id = j.scenario WHERE s.section = 'b'", 0), &jb) == 0,
          "jobs of [a] and [b] load");
    check(ja.sc.icount == NULL, "a job of [a] runs on the host's clock");
    same_str(jb.sc.icount ? jb.sc.icount : "(none)", "shift=4,sleep=off",
             "a job of [b] loads its icount");
    job_free(&ja);
    job_free(&jb);
  }
  config_free(&cfg);
}

static void
test_lease_and_store(sqlite3 *db, int64_t camp)
{
  struct job j[6];
  struct runresult rr;
  struct verdict v;
  int n = 0;
  pid_t me = getpid();

  while(n < 6 && jobs_lease(db, camp, me, &j[n]))
    n++;
  check(n == 5, "5 jobs leased, got %d", n);
  check(j[0].id != j[1].id && j[0].attempt == 1, "distinct jobs, first attempt");
  check(jobs_held_by(db, camp, me) != 0, "held by this process");
  check(db_int(db, "SELECT count(*) FROM jobs WHERE state = 'leased'", 0) == 5, "5 leased");

  // a harness error on attempt 1 re-queues the job ...
  fake_result(&rr, "", NULL);
  rr.ev.harness_error = "qemu-img create failed";
  classify(&rr.ev, &v);
  store_run(db, &j[0], &rr, &v, me, 0);
  check(db_int(db, "SELECT state = 'queued' FROM jobs WHERE id = (SELECT min(id) FROM jobs)", 0)
        == 1, "harness-error on attempt 1: queued again");
  runresult_free(&rr);

  // ... and a real outcome finishes one, with all its evidence
  {
    size_t len;
    char *text = read_file("tests/campaign/logs/ev6-sf.log", &len);
    fake_result(&rr, text,
                "{\"injected\": true, \"hart\": 2, \"pc\": \"0x800000aa\", \"function\": \"bget\","
                " \"object\": \"buf\", \"address\": \"0x80012340\", \"size\": 8, \"before\": \"00\","
                " \"after\": \"03\", \"stval\": \"0x80012340\", \"landed\": true,"
                " \"resolved\": {\"ok\": true}, \"trap\": {\"confirmed\": true},"
                " \"expect\": {\"object\": \"buf\", \"index\": 7}}\nnot json at all\n");
    free(text);
  }
  rr.ev.workload_at = strstr(rr.ev.console, "$ cat") - rr.ev.console + 2;
  rr.ev.survival_at = strstr(rr.ev.console, "$ audit;") - rr.ev.console + 2;
  rr.ev.injected = 1;
  rr.ev.qemu_exited = 1;
  rr.ev.fsck_status = 0;
  rr.boot_ms = 500;
  rr.total_ms = 9000;
  sb_add(&rr.gdblog, "detached\n", 9);
  classify(&rr.ev, &v);
  check(strcmp(v.outcome, "SF") == 0, "stored outcome: %s (%s)", v.outcome, v.detail);
  store_run(db, &j[1], &rr, &v, me, 0);
  runresult_free(&rr);
  check(db_int(db, "SELECT state = 'done' FROM jobs WHERE id = (SELECT min(id) + 1 FROM jobs)", 0)
        == 1, "stored run: job done");
  check(db_int(db, "SELECT hart FROM injections WHERE seq = 1", -1) == 2 &&
        db_int(db, "SELECT count(*) FROM injections WHERE address = '0x80012340'", 0) == 1,
        "injection line taken apart");
  check(db_int(db, "SELECT count(*) FROM injections WHERE seq = 2 AND"
               " json_extract(raw, '$.unparsed') = 'not json at all'", 0) == 1,
        "a line that is not JSON is kept");
  check(db_int(db, "SELECT count(*) FROM ev6_events WHERE exit = 'SF' AND idx = 7 AND"
               " cost = 1234", 0) == 1, "ev6 event stored");
  check(db_int(db, "SELECT count(*) FROM test_results WHERE phase = 'survival'", 0) == 3,
        "3 survival tests stored");
  check(db_int(db, "SELECT count(*) FROM console_logs", 0) == 3,
        "console logs of both runs (gdb only when non-empty)");
  check(db_int(db, "SELECT survived FROM runs WHERE outcome = 'SF'", -1) == 1, "survived");
  check(db_int(db, "SELECT count(*) FROM paper_comparison WHERE agrees", 0) == 1,
        "paper_comparison: SF agrees with SF");
  check(db_int(db, "SELECT count(*) FROM outcomes WHERE outcome = 'SF'", 0) == 1,
        "outcomes view");
  check(db_int(db, "SELECT percent FROM survival", 0) == 100, "survival view");
  check(db_int(db, "SELECT count(*) FROM run_evidence WHERE state = 'ok'", 0) == 10 &&
        db_int(db, "SELECT count(*) FROM evidence WHERE outcome = 'SF'", 0) == 10,
        "the run's ten evidence links stored, all ok");
  check(db_int(db, "SELECT count(*) FROM broken_evidence", -1) == 0, "no broken link");

  // A leased job of a process that is gone goes back to the queue.
  {
    pid_t dead = fork();
    if(dead == 0)
      _exit(0);
    waitpid(dead, NULL, 0);
    sqlite3_stmt *st = db_prepare(db, "UPDATE jobs SET lease_pid = ?1 WHERE id = ?2");
    db_bind_int(st, 1, dead);
    db_bind_int(st, 2, j[2].id);
    db_step(st);
    sqlite3_finalize(st);
  }
  check(jobs_requeue_stale(db, camp, 3600) == 1, "the dead process's lease is returned");
  check(jobs_requeue_stale(db, camp, 3600) == 0, "live, fresh leases are kept");
  db_exec(db, "UPDATE jobs SET lease_time = lease_time - 7200 WHERE state = 'leased'");
  check(jobs_requeue_stale(db, camp, 3600) == 2, "old leases are returned");

  // jobs_unlease puts a job back without counting the attempt
  check(jobs_lease(db, camp, me, &j[5]) == 1, "lease again");
  jobs_unlease(db, j[5].id);
  check(db_int(db, "SELECT count(*) FROM jobs WHERE state = 'leased'", -1) == 0, "none leased");
  job_free(&j[5]);

  // rerunning the command retries jobs whose latest run is a harness error
  db_exec(db, "UPDATE jobs SET state = 'done', attempts = 2 WHERE id = (SELECT min(id) FROM jobs)");
  check(jobs_retry_harness_errors(db, camp) == 1, "one harness-error job to retry");

  for(int i = 0; i < n; i++)
    job_free(&j[i]);
}

// Several processes lease from the same queue at once: each job exactly once.
static void
test_concurrent_leasing(const char *path)
{
  struct config cfg = {0};
  sqlite3 *db = db_open(path);
  int64_t camp, total;
  int fds[2], nworkers = 4;
  char *seen;
  long id;
  FILE *in;

  camp = make_campaign(db, "many");
  load_config(&cfg, "[many]\nobject = buf\nsite = bget\nworkload = ls\ntable = smoke\n"
              "repeat = 60\n");
  db_begin(db);
  jobs_expand(db, camp, &cfg, shas, 1);
  db_commit(db);
  config_free(&cfg);
  total = db_int(db, "SELECT count(*) FROM jobs WHERE campaign = (SELECT max(id) FROM campaigns)", 0);
  check(total == 120, "120 jobs to share, got %lld", (long long)total);
  db_close(db);

  if(pipe(fds) < 0)
    return;
  for(int w = 0; w < nworkers; w++){
    if(fork() == 0){
      sqlite3 *mine = db_open(path);
      struct job j;
      FILE *out = fdopen(fds[1], "w");
      close(fds[0]);
      while(jobs_lease(mine, camp, getpid(), &j)){
        fprintf(out, "%lld\n", (long long)j.id);
        job_free(&j);
      }
      fclose(out);
      db_close(mine);
      _exit(0);
    }
  }
  close(fds[1]);
  seen = xcalloc(100000, 1);
  int got = 0, dup = 0;
  in = fdopen(fds[0], "r");
  while(fscanf(in, "%ld", &id) == 1){
    if(id >= 0 && id < 100000){
      dup += seen[id];
      seen[id] = 1;
    }
    got++;
  }
  fclose(in);
  for(int w = 0; w < nworkers; w++)
    wait(NULL);
  check(got == 120 && dup == 0, "%d workers leased %d jobs (want 120), %d twice",
        nworkers, got, dup);
  free(seen);
}

static void
test_progress_line(void)
{
  struct counts c = { .total = 10, .done = 3, .survived = 1, .nclass = 4,
                      .cls = { { "SF", 1 }, { "PK", 0 }, { "FS", 0 }, { "unreported", 2 } } };
  char line[320];

  progress_format(line, sizeof(line), &c, 65);
  same_str(line, "[3/10] survived=1 SF=1 PK=0 FS=0 unreported=2 ETA 01:05", "progress line");
  progress_format(line, sizeof(line), &c, -1);
  same_str(line, "[3/10] survived=1 SF=1 PK=0 FS=0 unreported=2 ETA --:--", "unknown ETA");
  progress_format(line, sizeof(line), &c, NO_ETA);
  same_str(line, "[3/10] survived=1 SF=1 PK=0 FS=0 unreported=2", "summary: no ETA");
}

void
test_jobs(void)
{
  char *path = scratch_path("jobs.db");
  sqlite3 *db = db_open(path);
  int64_t camp;

  test_schema(db);
  test_migrate_scrub();
  camp = make_campaign(db, "first");
  test_expand(db, camp);
  db_close(db);

  // a second connection (a rerun) sees the same campaign and jobs
  db = db_open(path);
  check(db_int(db, "SELECT count(*) FROM jobs", 0) == 5, "jobs persist across connections");
  test_lease_and_store(db, camp);
  db_close(db);
  test_concurrent_leasing(path);
  test_progress_line();
  free(path);
}
