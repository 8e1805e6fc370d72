// test_shard.c - shard databases and merging them, without Slurm or QEMU:
// a shard holds its slice of the campaign; runs recorded in it (as an
// array task's worker records them) merge into the campaign database
// with their evidence, each once however often the merge runs (also
// while the task still works: a partial shard); a job that already has a
// result keeps it, one leased by a local worker waits; a shard of another
// campaign, or a file that is no shard, is refused and changes nothing;
// recorded shards are merged only when their file changed, and one
// replaced by a foreign shard stands refused until it is put right; a
// shard merges into a fresh database of its campaign whose job ids differ.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/config.h"
#include "campaign/db.h"
#include "campaign/jobs.h"
#include "campaign/merge.h"
#include "campaign/shard.h"
#include "campaign/store.h"
#include "campaign/util.h"
#include "campaign/workers.h"
#include "tests/campaign/check.h"

static const char *const shas[] = { "s1" };

// A campaign of 6 jobs ([a]: 2 modes x 3) in db, after `extra` scenarios
// of another campaign (so that job ids differ between databases).
static int64_t
setup(sqlite3 *db, const char *ident, int extra)
{
  struct config cfg = {0};
  int64_t camp;

  if(extra){
    int64_t other = make_campaign(db, "unrelated");
    load_config(&cfg, "[z]\nobject = buf\nsite = bget\nworkload = ls\ntable = smoke\n"
                "repeat = 2\n");
    db_begin(db);
    jobs_expand(db, other, &cfg, shas, 1);
    db_commit(db);
    config_free(&cfg);
  }
  camp = make_campaign(db, ident);
  load_config(&cfg, "[a]\nobject = buf\nsite = bget\nworkload = cat README.md\n"
              "table = smoke\nrepeat = 3\n");
  db_begin(db);
  jobs_expand(db, camp, &cfg, shas, 1);
  db_commit(db);
  config_free(&cfg);
  return camp;
}

// Record one run of job j in db (a shard's working copy, or the campaign
// database): SF with an injection, an ev6: line and the console; or a
// harness error.
static void
record(sqlite3 *db, const struct job *j, int harness)
{
  struct runresult rr;

  fake_result(&rr, harness ? "" :
              "$ cat README.md\nev6: event=recovered object=buf index=3 addr=0x80012000"
              " site=bget strategy=initialize exit=SF mode=conservative cost=99\n$ ",
              harness ? NULL : "{\"injected\": true, \"hart\": 0, \"object\": \"buf\","
              " \"stval\": \"0x80012000\", \"resolved\": {\"ok\": true}, \"landed\": true,"
              " \"trap\": {\"confirmed\": true}, \"expect\": {\"object\": \"buf\","
              " \"index\": 3}}\n");
  if(harness)
    rr.ev.harness_error = "qemu-img create failed";
  else {
    rr.ev.injected = 1;
    rr.ev.qemu_exited = 1;
    rr.ev.fsck_status = 0;
  }
  rr.total_ms = 1000;
  worker_record(db, j, &rr, getpid(), 0, NULL);
  runresult_free(&rr);
}

// Lease the next job of campaign in db, or report that there was none.
static int
lease(sqlite3 *db, int64_t camp, struct job *j)
{
  int ok = jobs_lease(db, camp, getpid(), j);

  check(ok, "a job to lease");
  return ok;
}

// The shard at path after a task worked on it: a copy (work), opened.
static sqlite3 *
task_copy(const char *path, const char *work)
{
  check(copy_file(path, work, 0600) == 0, "copy shard %s", path);
  return db_open(work);
}

static void
publish(sqlite3 *w, const char *path)
{
  char why[300];

  check(shard_publish(w, path, why, sizeof(why)) == 0, "publish %s", path);
}

// Merge path into camp of db; returns the stats, the result in *rc.
static struct merge_stats
merge(sqlite3 *db, int64_t camp, const char *path, int *rc, char *why, size_t n)
{
  struct merge_stats ms = {0};

  *rc = merge_shard(db, camp, path, &ms, why, n);
  return ms;
}

static int64_t
count(sqlite3 *db, const char *sql)
{
  return db_int(db, sql, -1);
}

// How many SF results the job of mode and rep has.
static int64_t
run_of(sqlite3 *db, const char *mode, int rep)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT count(*) FROM results WHERE mode = ?1 AND rep = ?2 AND outcome = 'SF'"
    " AND survived = 0");
  int64_t n;

  db_bind_text(st, 1, mode);
  db_bind_int(st, 2, rep);
  db_step(st);
  n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

void
test_shard(void)
{
  char *dbpath = scratch_path("merge.db"), *a = scratch_path("task-0.db");
  char *b = scratch_path("task-1.db"), *wa = scratch_path("work-0.db");
  char *wb = scratch_path("work-1.db"), *foreign = scratch_path("foreign.db");
  char *fresh = scratch_path("fresh.db"), *wf = scratch_path("work-f.db"), why[600];
  struct shard_spec spec = { .kernel = "/k", .fs_image = "/f", .gdb_script = "/g.py",
                             .fsck = "/fsck", .workers = 1, .lease_ttl = 600 };
  int64_t camp, arr, ids[6], sa[3], sb[3], ocamp;
  struct merge_stats ms;
  struct job j[4];
  sqlite3 *db = db_open(dbpath), *w, *o;
  sqlite3_stmt *st;
  int rc, n = 0;

  camp = setup(db, "sharded", 0);
  db_exec(db, "INSERT INTO slurm_arrays (campaign, dir, tasks, workers, submitted)"
              " VALUES (1, '/tmp', 2, 1, 't')");
  arr = sqlite3_last_insert_rowid(db);
  st = db_prepare(db, "SELECT id FROM jobs WHERE campaign = ?1 ORDER BY id");
  db_bind_int(st, 1, camp);
  while(n < 6 && db_step(st) == SQLITE_ROW)
    ids[n++] = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  check(n == 6, "6 jobs, got %d", n);
  for(int i = 0; i < 3; i++){
    sa[i] = ids[2 * i];
    sb[i] = ids[2 * i + 1];
  }

  // The scenario's clock and driver keys travel with it (a task's
  // jobs_load reads them from its shard).
  db_exec(db, "INSERT INTO scenario_icount SELECT id, 'shift=4,sleep=off' FROM scenarios;"
              "INSERT INTO scenario_driver SELECT id, 'disk', 'loop', 'kernel', 'hang', 'software'"
              " FROM scenarios");
  // Two shards of three jobs each.
  db_begin(db);
  spec.task = 0;
  shard_create(db, camp, arr, sa, 3, &spec, a);
  spec.task = 1;
  shard_create(db, camp, arr, sb, 3, &spec, b);
  db_commit(db);
  check(count(db, "SELECT count(*) FROM shards WHERE array IS NOT NULL") == 2 &&
        count(db, "SELECT count(*) FROM shard_jobs") == 6, "two shards, six jobs recorded");
  o = shard_open(a, why, sizeof(why));
  check(o != NULL, "a published shard opens: %s", o ? "" : why);
  if(o){
    check(count(o, "SELECT count(*) FROM jobs WHERE state = 'queued'") == 3 &&
          count(o, "SELECT count(*) FROM campaigns WHERE ident = 'sharded'") == 1 &&
          count(o, "SELECT count(*) FROM scenarios") == 1 &&
          count(o, "SELECT task FROM shard_info") == 0,
          "the shard holds its campaign, scenario, its 3 jobs queued and task 0");
    check(count(o, "SELECT count(*) FROM scenario_icount WHERE icount = 'shift=4,sleep=off'") == 1 &&
          count(o, "SELECT count(*) FROM scenario_driver WHERE fault = 'loop'") == 1,
          "and the scenario's icount and driver keys");
    sqlite3_close(o);
  }

  // Task 0: a harness error then SF for its first job, SF for the second,
  // the third still leased (running) when the shard is published.
  w = task_copy(a, wa);
  if(lease(w, camp, &j[0])){
    record(w, &j[0], 1);
    job_free(&j[0]);
  }
  for(int i = 0; i < 3 && lease(w, camp, &j[i]); i++)
    if(i < 2)
      record(w, &j[i], 0);
  publish(w, a);
  ms = merge(db, camp, a, &rc, why, sizeof(why));
  check(rc == 0, "merge of a partial shard: %s", rc ? why : "ok");
  check(ms.runs == 3 && ms.jobs == 2, "3 runs of 2 jobs merged, got %d of %d", ms.runs, ms.jobs);
  check(count(db, "SELECT count(*) FROM runs") == 3 &&
        count(db, "SELECT count(*) FROM jobs WHERE state = 'done'") == 2,
        "the campaign has 3 runs, 2 jobs done");
  check(count(db, "SELECT count(*) FROM jobs WHERE id = (SELECT job FROM runs WHERE"
              " outcome = 'harness-error') AND state = 'done'") == 1 &&
        count(db, "SELECT count(*) FROM results WHERE outcome = 'harness-error'") == 0,
        "the retried job's result is its second run");
  check(count(db, "SELECT count(*) FROM ev6_events e JOIN runs r ON r.id = e.run"
              " WHERE e.exit = 'SF' AND e.cost = 99") == 2 &&
        count(db, "SELECT count(*) FROM injections WHERE object = 'buf'") == 2 &&
        count(db, "SELECT count(*) FROM console_logs WHERE stream = 'console'") == 3,
        "the evidence came with the runs");
  check(count(db, "SELECT count(*) FROM run_evidence e JOIN runs r ON r.id = e.run"
              " WHERE r.outcome = 'SF'") == 20, "each SF run's ten evidence links came too");
  check(count(db, "SELECT count(*) FROM ev6_events WHERE run NOT IN (SELECT id FROM runs)")
        == 0, "evidence refers to the new run ids");
  check(count(db, "SELECT count(*) FROM merged_runs WHERE run IS NOT NULL") == 3,
        "merged_runs notes the three");

  // Again: nothing new (idempotent).
  ms = merge(db, camp, a, &rc, why, sizeof(why));
  check(rc == 0 && ms.runs == 0 && ms.before == 3,
        "a second merge copies nothing (runs %d, merged before %d)", ms.runs, ms.before);
  check(count(db, "SELECT count(*) FROM runs") == 3, "still 3 runs");

  // The task finishes its third job: only that run comes.
  record(w, &j[2], 0);
  publish(w, a);
  ms = merge(db, camp, a, &rc, why, sizeof(why));
  check(rc == 0 && ms.runs == 1 && ms.jobs == 1, "the finished job's run merges, alone");
  check(count(db, "SELECT count(*) FROM runs") == 4 &&
        count(db, "SELECT count(*) FROM (SELECT job FROM runs GROUP BY job"
              " HAVING count(*) > 1)") == 1,
        "4 runs, only the retried job has two");
  for(int i = 0; i < 3; i++)
    job_free(&j[i]);
  db_close(w);

  // Task 1 runs all three jobs; meanwhile one of them got a local result,
  // and a local worker holds another.
  w = task_copy(b, wb);
  for(int i = 0; i < 3; i++)
    if(lease(w, camp, &j[i])){
      record(w, &j[i], 0);
      job_free(&j[i]);
    }
  publish(w, b);
  db_close(w);
  if(jobs_lease(db, camp, getpid(), &j[3])){       // the local run: job sb[0]
    check(j[3].id == sb[0], "the local worker leases the first queued job");
    record(db, &j[3], 0);
    job_free(&j[3]);
  }
  check(jobs_lease(db, camp, getpid(), &j[3]) == 1 && j[3].id == sb[1],
        "a local worker holds the second");
  ms = merge(db, camp, b, &rc, why, sizeof(why));
  check(rc == 0 && ms.runs == 1 && ms.skipped == 1,
        "one run merged, one left out, one waits (runs %d, skipped %d)", ms.runs, ms.skipped);
  check(count(db, "SELECT count(*) FROM merged_runs WHERE run IS NULL") == 1,
        "the left-out run is noted");
  jobs_unlease(db, j[3].id);
  job_free(&j[3]);
  ms = merge(db, camp, b, &rc, why, sizeof(why));
  check(rc == 0 && ms.runs == 1 && ms.before == 2, "the waiting run merges once the lease "
        "is given back (runs %d, before %d)", ms.runs, ms.before);
  check(count(db, "SELECT count(*) FROM jobs WHERE campaign = 1 AND state = 'done'") == 6 &&
        count(db, "SELECT count(*) - count(DISTINCT job) FROM runs") == 1 &&
        count(db, "SELECT count(*) FROM results") == 6,
        "every job done, one result each, no run twice");

  // A shard of another campaign (another kernel) is refused, changing nothing.
  o = db_open(foreign);
  ocamp = setup(o, "elsewhere", 0);
  db_exec(o, "UPDATE campaigns SET kernel_sha256 = 'other-kernel'");
  {
    int64_t one = count(o, "SELECT min(id) FROM jobs");
    db_begin(o);
    shard_create(o, ocamp, 0, &one, 1, &spec, wf);
    db_commit(o);
  }
  db_close(o);
  w = task_copy(wf, wa);
  if(lease(w, ocamp, &j[0])){
    record(w, &j[0], 0);
    job_free(&j[0]);
  }
  publish(w, wf);
  db_close(w);
  n = (int)count(db, "SELECT count(*) FROM runs");
  ms = merge(db, camp, wf, &rc, why, sizeof(why));
  check(rc == -1 && ms.refused == 1, "a shard of another campaign is refused");
  same_str(why, "it is a shard of another campaign: its kernel is other-kernel, "
           "campaign 1's ks", "the refusal");
  check(count(db, "SELECT count(*) FROM runs") == n &&
        count(db, "SELECT count(*) FROM shards") == 2, "nothing merged, no shard recorded");

  // Files that are no shard.
  ms = merge(db, camp, dbpath, &rc, why, sizeof(why));
  check(rc == -1 && strstr(why, "no shard database"), "the campaign database is no shard: %s",
        why);
  {
    char *junk = scratch_file("junk.db", "this is not SQLite, not at all, really not\n");
    ms = merge(db, camp, junk, &rc, why, sizeof(why));
    check(rc == -1 && strstr(why, "no SQLite database"), "a text file: %s", why);
    free(junk);
  }

  // Recorded shards: merged when their file changed; one replaced by a
  // foreign shard stands refused until it is put right.
  ms = (struct merge_stats){0};
  check(merge_recorded(db, camp, 0, &ms) == 0, "recorded shards merge");
  ms = (struct merge_stats){0};
  merge_recorded(db, camp, 0, &ms);
  check(ms.before == 0 && ms.runs == 0, "unchanged shard files are not read again");
  ms = (struct merge_stats){0};
  merge_recorded(db, camp, 1, &ms);
  check(ms.before == 7 && ms.runs == 0, "forced, both are read: all 7 runs merged before "
        "(got %d)", ms.before);
  check(copy_file(wf, b, 0644) == 0, "replace shard 1 with the foreign one");
  ms = (struct merge_stats){0};
  check(merge_recorded(db, camp, 0, &ms) == 1 && merge_refused(db, camp) == 1,
        "the replaced shard is refused");
  check(count(db, "SELECT count(*) FROM shards WHERE refused LIKE "
              "'it is a shard of another campaign%'") == 1, "and stays so in shards.refused");
  w = db_open(wb);
  publish(w, b);
  db_close(w);
  merge_recorded(db, camp, 0, &ms);
  check(merge_refused(db, camp) == 0, "put right, it is refused no more");
  check(count(db, "SELECT count(*) FROM runs") == n, "and nothing was merged twice");
  db_close(db);

  // The same shards into a fresh database of the campaign, whose job ids
  // are not those of the shards: matched by scenario, mode and repetition.
  db = db_open(fresh);
  camp = setup(db, "sharded", 1);
  check(count(db, "SELECT min(id) FROM jobs WHERE campaign = 2") != ids[0],
        "job ids differ in the fresh database");
  merge(db, camp, a, &rc, why, sizeof(why));
  merge(db, camp, b, &rc, why, sizeof(why));
  check(count(db, "SELECT count(*) FROM results WHERE campaign = 2") == 6 &&
        count(db, "SELECT count(*) FROM jobs WHERE campaign = 1 AND state = 'done'") == 0,
        "all 6 results, on the campaign's own jobs");
  check(run_of(db, "conservative", 1) == 1 && run_of(db, "aggressive", 3) == 1,
        "each run on its job");
  db_close(db);
  free(dbpath); free(a); free(b); free(wa); free(wb); free(foreign); free(fresh); free(wf);
}
