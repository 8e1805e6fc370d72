// store.c - the benchmark's rows (see bench.h and the bench_* tables of
// db/schema.sql). A session row is written first with finished NULL and
// given its finished time only when every boot has been recorded, so an
// interrupted session stays recognisable (and bench_overhead leaves it
// out). Each boot is stored in one transaction: a kill loses at most the
// boot in progress.
#include <string.h>

#include "bench/bench.h"
#include "campaign/db.h"

// Returns the new session's id.
int64_t
bench_session_new(sqlite3 *db, const struct session_info *s)
{
  sqlite3_stmt *st;
  char now[21];
  int64_t id;

  iso_now(now);
  db_begin(db);
  st = db_prepare(db,
    "INSERT INTO bench_sessions (started, command_line, git_commit, qemu_version,"
    " cpus, icount, repetitions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  db_bind_text(st, 1, now);
  db_bind_text(st, 2, s->command_line);
  db_bind_text(st, 3, s->git_commit);
  db_bind_text(st, 4, s->qemu_version);
  db_bind_int(st, 5, s->cpus);
  db_bind_text(st, 6, s->icount);
  db_bind_int(st, 7, s->repetitions);
  db_step(st);
  sqlite3_finalize(st);
  id = sqlite3_last_insert_rowid(db);
  db_commit(db);
  return id;
}

void
bench_session_finished(sqlite3 *db, int64_t session)
{
  sqlite3_stmt *st;
  char now[21];

  iso_now(now);
  db_begin(db);
  st = db_prepare(db, "UPDATE bench_sessions SET finished = ?1 WHERE id = ?2");
  db_bind_text(st, 1, now);
  db_bind_int(st, 2, session);
  db_step(st);
  sqlite3_finalize(st);
  db_commit(db);
}

// Returns the run's id.
int64_t
bench_store_run(sqlite3 *db, int64_t session, enum kernel k, const char *kernel_sha,
          int rep, const char *verdict, int64_t wall_ms, const struct usertests_out *out)
{
  sqlite3_stmt *st;
  int64_t run;
  int i;

  db_begin(db);
  st = db_prepare(db,
    "INSERT INTO bench_runs (session, kernel, kernel_sha256, rep, verdict, wall_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  db_bind_int(st, 1, session);
  db_bind_text(st, 2, kernel_names[k]);
  db_bind_text(st, 3, kernel_sha);
  db_bind_int(st, 4, rep);
  db_bind_text(st, 5, verdict);
  db_bind_opt(st, 6, wall_ms);
  db_step(st);
  sqlite3_finalize(st);
  run = sqlite3_last_insert_rowid(db);

  st = db_prepare(db,
    "INSERT INTO bench_tests (run, seq, name, result, ticks, time, wall_ms, busy)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  for(i = 0; i < out->ntests; i++){
    const struct bench_test *t = &out->tests[i];
    sqlite3_reset(st);
    db_bind_int(st, 1, run);
    db_bind_int(st, 2, i + 1);
    db_bind_text(st, 3, t->name);
    db_bind_text(st, 4, t->pass ? "pass" : "fail");
    db_bind_int(st, 5, t->ticks);
    db_bind_opt(st, 6, t->time);
    db_bind_opt(st, 7, t->wall_ms);
    db_bind_opt(st, 8, t->busy);
    db_step(st);
  }
  sqlite3_finalize(st);
  db_commit(db);
  return run;
}

void
bench_store_memory(sqlite3 *db, int64_t session, const struct memtest_out *m)
{
  sqlite3_stmt *st;
  int i;

  db_begin(db);
  st = db_prepare(db,
    "INSERT INTO bench_memory (session, phase, registry_bytes, replica_bytes, free_pages)"
    " VALUES (?1, ?2, ?3, ?4, ?5)");
  for(i = 0; i < NPHASES_MEM; i++){
    if(!m->phase[i].seen)
      continue;
    sqlite3_reset(st);
    db_bind_int(st, 1, session);
    db_bind_text(st, 2, mem_phases[i]);
    db_bind_int(st, 3, m->phase[i].registry);
    db_bind_int(st, 4, m->phase[i].replicas);
    db_bind_int(st, 5, m->phase[i].free_pages);
    db_step(st);
  }
  sqlite3_finalize(st);
  db_commit(db);
}
