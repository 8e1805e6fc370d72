// jobs.c - the job queue (see jobs.h). Leasing is one UPDATE ... RETURNING
// on the oldest queued job, which SQLite runs atomically under its write
// lock, so any number of workers (even of several orchestrators sharing
// the database) never get the same job.
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/db.h"
#include "campaign/jobs.h"
#include "campaign/util.h"

// Step st, waiting out SQLITE_BUSY a few times; exits if it stays busy.
static int
step_retry(sqlite3_stmt *st)
{
  int rc, tries;

  for(tries = 0; tries < 5; tries++){
    rc = db_step(st);
    if(rc != SQLITE_BUSY)
      return rc;
    sqlite3_reset(st);
  }
  fatal("database is locked by another process (waited %d s)", 5 * DB_BUSY_MS / 1000);
}

// Seed of repetition rep: base + rep - 1, kept in 31 bits.
long
job_seed(long base, long rep)
{
  return (long)(((unsigned long)base + (unsigned long)rep - 1) % 2147483648UL);
}

// Inserts scenarios and jobs; returns the count of new jobs.
int
jobs_expand(sqlite3 *db, int64_t campaign, const struct config *cfg,
            const char *const *config_sha, long campaign_seed)
{
  sqlite3_stmt *ins_sc = db_prepare(db,
    "INSERT INTO scenarios (campaign, config_file, config_sha256, section,"
    " line, object, site, hit, target, corruption, seed, delivery, workload, modes,"
    " repeat, cpus, harts_at_once, second_object, second_site, during_recovery,"
    " paper_conservative, paper_aggressive, paper_table, note)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
    " ON CONFLICT (campaign, config_file, section) DO NOTHING");
  sqlite3_stmt *get_sc = db_prepare(db,
    "SELECT id FROM scenarios WHERE campaign = ?1 AND config_file = ?2 AND section = ?3");
  sqlite3_stmt *ins_job = db_prepare(db,
    "INSERT INTO jobs (campaign, scenario, mode, rep, seed)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (campaign, scenario, mode, rep) DO NOTHING");
  sqlite3_stmt *ins_during = db_prepare(db,
    "INSERT INTO scenario_during (scenario, during_hart, recovery_site, during_site)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scenario) DO NOTHING");
  sqlite3_stmt *ins_driver = db_prepare(db,
    "INSERT INTO scenario_driver (scenario, driver, fault, detector, expect_detect,"
    " expect_restart) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (scenario) DO NOTHING");
  sqlite3_stmt *ins_icount = db_prepare(db,
    "INSERT INTO scenario_icount (scenario, icount) VALUES (?1, ?2)"
    " ON CONFLICT (scenario) DO NOTHING");
  int added = 0;

  for(int i = 0; i < cfg->n; i++){
    const struct scenario *s = &cfg->sc[i];
    long seed = s->has_seed ? s->seed : campaign_seed;
    char corruption[32], modes[32] = "";
    int64_t sid;

    snprintf(corruption, sizeof(corruption), "%s:%ld", s->corrupt, s->corrupt_n);
    for(int m = 0; m < NMODES; m++)
      if(s->modes & (1 << m)){
        if(modes[0])
          strcat(modes, ",");
        strcat(modes, mode_names[m]);
      }
    sqlite3_reset(ins_sc);
    db_bind_int(ins_sc, 1, campaign);
    db_bind_text(ins_sc, 2, s->file);
    db_bind_text(ins_sc, 3, config_sha[i]);
    db_bind_text(ins_sc, 4, s->name);
    db_bind_int(ins_sc, 5, s->line);
    db_bind_text(ins_sc, 6, s->object);
    db_bind_text(ins_sc, 7, s->site);
    db_bind_int(ins_sc, 8, s->hit);
    db_bind_text(ins_sc, 9, s->target);
    db_bind_text(ins_sc, 10, corruption);
    db_bind_int(ins_sc, 11, seed);
    db_bind_text(ins_sc, 12, s->delivery);
    db_bind_text(ins_sc, 13, s->workload);
    db_bind_text(ins_sc, 14, modes);
    db_bind_int(ins_sc, 15, s->repeat);
    db_bind_int(ins_sc, 16, s->cpus);
    db_bind_int(ins_sc, 17, s->harts_at_once);
    db_bind_text(ins_sc, 18, s->second_object);
    db_bind_text(ins_sc, 19, s->second_site);
    db_bind_text(ins_sc, 20, s->during_recovery);
    db_bind_text(ins_sc, 21, s->paper[0]);
    db_bind_text(ins_sc, 22, s->paper[1]);
    db_bind_text(ins_sc, 23, s->table);
    db_bind_text(ins_sc, 24, s->note);
    step_retry(ins_sc);

    sqlite3_reset(get_sc);
    db_bind_int(get_sc, 1, campaign);
    db_bind_text(get_sc, 2, s->file);
    db_bind_text(get_sc, 3, s->name);
    if(step_retry(get_sc) != SQLITE_ROW)
      fatal("scenario [%s] of %s vanished from the database", s->name, s->file);
    sid = sqlite3_column_int64(get_sc, 0);
    if(s->during_recovery){
      sqlite3_reset(ins_during);
      db_bind_int(ins_during, 1, sid);
      db_bind_text(ins_during, 2, s->during_hart);
      db_bind_text(ins_during, 3, s->recovery_site);
      db_bind_text(ins_during, 4, s->during_site);
      step_retry(ins_during);
    }
    if(s->driver_kind){
      sqlite3_reset(ins_driver);
      db_bind_int(ins_driver, 1, sid);
      db_bind_text(ins_driver, 2, s->driver);
      db_bind_text(ins_driver, 3, s->fault);
      db_bind_text(ins_driver, 4, s->detector);
      db_bind_text(ins_driver, 5, s->expect_detect);
      db_bind_text(ins_driver, 6, s->expect_restart);
      step_retry(ins_driver);
    }
    if(s->icount){
      sqlite3_reset(ins_icount);
      db_bind_int(ins_icount, 1, sid);
      db_bind_text(ins_icount, 2, s->icount);
      step_retry(ins_icount);
    }

    for(int m = 0; m < NMODES; m++){
      if(!(s->modes & (1 << m)))
        continue;
      for(long r = 1; r <= s->repeat; r++){
        sqlite3_reset(ins_job);
        db_bind_int(ins_job, 1, campaign);
        db_bind_int(ins_job, 2, sid);
        db_bind_text(ins_job, 3, mode_names[m]);
        db_bind_int(ins_job, 4, r);
        db_bind_int(ins_job, 5, job_seed(seed, r));
        step_retry(ins_job);
        added += sqlite3_changes(db);
      }
    }
  }
  sqlite3_finalize(ins_sc);
  sqlite3_finalize(get_sc);
  sqlite3_finalize(ins_during);
  sqlite3_finalize(ins_driver);
  sqlite3_finalize(ins_icount);
  sqlite3_finalize(ins_job);
  return added;
}

// Fills *j (free it with job_free) and returns 1, or returns 0.
int
jobs_lease(sqlite3 *db, int64_t campaign, pid_t pid, struct job *j)
{
  sqlite3_stmt *st = db_prepare(db,
    "UPDATE jobs SET state = 'leased', lease_pid = ?2, lease_time = ?3,"
    " attempts = attempts + 1"
    " WHERE id = (SELECT id FROM jobs WHERE campaign = ?1 AND state = 'queued'"
    "             ORDER BY id LIMIT 1)"
    " RETURNING id");
  int64_t id = 0;

  db_bind_int(st, 1, campaign);
  db_bind_int(st, 2, pid);
  db_bind_int(st, 3, wall_seconds());
  if(step_retry(st) == SQLITE_ROW)
    id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if(id == 0)
    return 0;
  if(jobs_load(db, id, j) < 0)
    fatal("leased job %lld vanished from the database", (long long)id);
  return 1;
}

// Returns how many leases were given back.
int
jobs_requeue_stale(sqlite3 *db, int64_t campaign, long ttl_s)
{
  sqlite3_stmt *sel = db_prepare(db,
    "SELECT id, lease_pid, lease_time FROM jobs WHERE campaign = ?1 AND state = 'leased'");
  sqlite3_stmt *upd = db_prepare(db,
    "UPDATE jobs SET state = 'queued', lease_pid = NULL, lease_time = NULL"
    " WHERE id = ?1 AND state = 'leased' AND lease_pid = ?2");
  int64_t now = wall_seconds();
  int n = 0;

  db_bind_int(sel, 1, campaign);
  while(step_retry(sel) == SQLITE_ROW){
    int64_t id = sqlite3_column_int64(sel, 0);
    pid_t pid = (pid_t)sqlite3_column_int64(sel, 1);
    int64_t when = sqlite3_column_int64(sel, 2);
    int gone = pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH);

    if(gone || now - when > ttl_s){
      sqlite3_reset(upd);
      db_bind_int(upd, 1, id);
      db_bind_int(upd, 2, pid);
      step_retry(upd);
      n += sqlite3_changes(db);
    }
  }
  sqlite3_finalize(sel);
  sqlite3_finalize(upd);
  return n;
}

// Returns how many jobs were queued again.
int
jobs_retry_harness_errors(sqlite3 *db, int64_t campaign)
{
  sqlite3_stmt *st = db_prepare(db,
    "UPDATE jobs SET state = 'queued', attempts = 0"
    " WHERE campaign = ?1 AND state = 'done'"
    "   AND (SELECT outcome FROM runs WHERE job = jobs.id AND replay_of IS NULL"
    "        ORDER BY id DESC LIMIT 1) = 'harness-error'");
  int n;

  db_bind_int(st, 1, campaign);
  step_retry(st);
  n = sqlite3_changes(db);
  sqlite3_finalize(st);
  return n;
}

// Puts a leased job back in the queue.
void
jobs_unlease(sqlite3 *db, int64_t job)
{
  sqlite3_stmt *st = db_prepare(db,
    "UPDATE jobs SET state = 'queued', lease_pid = NULL, lease_time = NULL,"
    " attempts = max(attempts - 1, 0) WHERE id = ?1 AND state = 'leased'");

  db_bind_int(st, 1, job);
  step_retry(st);
  sqlite3_finalize(st);
}

// The id of the job pid holds, or 0.
int64_t
jobs_held_by(sqlite3 *db, int64_t campaign, pid_t pid)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT id FROM jobs WHERE campaign = ?1 AND state = 'leased' AND lease_pid = ?2");
  int64_t id = 0;

  db_bind_int(st, 1, campaign);
  db_bind_int(st, 2, pid);
  if(step_retry(st) == SQLITE_ROW)
    id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return id;
}

// Fills *j; its strings are owned by j (job_free).
int
jobs_load(sqlite3 *db, int64_t id, struct job *j)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT j.id, j.campaign, j.mode, j.rep, j.seed, j.attempts,"
    " s.config_file, s.line, s.section, s.object, s.site, s.hit, s.target,"
    " s.corruption, s.seed, s.delivery, s.workload, s.cpus, s.harts_at_once,"
    " s.second_object, s.second_site, s.during_recovery, s.paper_conservative,"
    " s.paper_aggressive, s.paper_table, s.note, s.repeat,"
    " d.during_hart, d.recovery_site, d.during_site,"
    " v.driver, v.fault, v.detector, v.expect_detect, v.expect_restart, c.icount"
    " FROM jobs j JOIN scenarios s ON s.id = j.scenario"
    " LEFT JOIN scenario_during d ON d.scenario = s.id"
    " LEFT JOIN scenario_driver v ON v.scenario = s.id"
    " LEFT JOIN scenario_icount c ON c.scenario = s.id WHERE j.id = ?1");
  struct scenario *s = &j->sc;
  const char *mode;
  char *colon;
  int rc;

  db_bind_int(st, 1, id);
  rc = step_retry(st);
  if(rc != SQLITE_ROW){
    sqlite3_finalize(st);
    return -1;
  }
  memset(j, 0, sizeof(*j));
  j->id = sqlite3_column_int64(st, 0);
  j->campaign = sqlite3_column_int64(st, 1);
  mode = (const char *)sqlite3_column_text(st, 2);
  j->mode = strcmp(mode, mode_names[1]) == 0 ? 1 : 0;
  j->rep = sqlite3_column_int64(st, 3);
  j->seed = sqlite3_column_int64(st, 4);
  j->attempt = sqlite3_column_int64(st, 5);
  if(j->attempt < 1)
    j->attempt = 1;
  s->file = db_col_text(st, 6);
  s->line = sqlite3_column_int(st, 7);
  s->name = db_col_text(st, 8);
  s->object = db_col_text(st, 9);
  s->site = db_col_text(st, 10);
  s->hit = sqlite3_column_int64(st, 11);
  s->target = db_col_text(st, 12);
  s->corrupt = db_col_text(st, 13);
  colon = strchr(s->corrupt, ':');
  if(colon){
    *colon = '\0';
    s->corrupt_n = strtol(colon + 1, NULL, 10);
  }
  s->has_seed = 1;
  s->seed = sqlite3_column_int64(st, 14);
  s->delivery = db_col_text(st, 15);
  s->workload = db_col_text(st, 16);
  s->cpus = sqlite3_column_int64(st, 17);
  s->harts_at_once = sqlite3_column_int64(st, 18);
  s->second_object = db_col_text(st, 19);
  s->second_site = db_col_text(st, 20);
  s->during_recovery = db_col_text(st, 21);
  s->paper[0] = db_col_text(st, 22);
  s->paper[1] = db_col_text(st, 23);
  s->table = db_col_text(st, 24);
  s->note = db_col_text(st, 25);
  s->repeat = sqlite3_column_int64(st, 26);
  s->during_hart = db_col_text(st, 27);
  s->recovery_site = db_col_text(st, 28);
  s->during_site = db_col_text(st, 29);
  s->driver = db_col_text(st, 30);
  s->fault = db_col_text(st, 31);
  s->detector = db_col_text(st, 32);
  s->expect_detect = db_col_text(st, 33);
  s->expect_restart = db_col_text(st, 34);
  s->icount = db_col_text(st, 35);
  s->driver_kind = s->driver != NULL;
  s->modes = 1 << j->mode;
  sqlite3_finalize(st);
  return 0;
}

// Frees the strings of a job filled by jobs_lease() or jobs_load().
void
job_free(struct job *j)
{
  scenario_free(&j->sc);
}
