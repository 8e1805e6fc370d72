// merge.c - merge shard databases into the campaign database (see
// merge.h). The shard is opened immutable (shard_open) as a second
// connection; rows go across with db_copy_rows(), the runs under new ids.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign/db.h"
#include "campaign/merge.h"
#include "campaign/shard.h"
#include "campaign/util.h"

// What makes a campaign, in the order a refusal names the first that
// differs (campaign.h: the ident is a digest of the others).
static const struct {
  const char *column, *what;
} inputs[] = {
  { "kernel_sha256", "kernel" },
  { "fs_image_sha256", "file-system image" },
  { "gdb_scripts_sha256", "GDB scripts" },
  { "config_sha256", "configs and paper file" },
  { "seed", "seed" },
  { "survival_command", "survival check" },
  { "ident", "identity" },
};
#define NINPUTS (sizeof(inputs) / sizeof(inputs[0]))

// A table whose rows belong to one run (a foreign key to runs).
struct child {
  char *table;
  char *column;                 // the key to runs(id)
  char *own_id;                 // its INTEGER PRIMARY KEY, renumbered; or NULL
};

// The text of the first column of sql's row (?1 = key) in db, which the
// caller frees, or NULL (no row, NULL, or the query fails).
static char *
text_of(sqlite3 *db, const char *sql, int64_t key)
{
  sqlite3_stmt *st;
  char *s = NULL;

  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64(st, 1, key);
  if(sqlite3_step(st) == SQLITE_ROW)
    s = db_col_text(st, 0);
  sqlite3_finalize(st);
  return s;
}

// s, or its first 16 characters and "...", in buf[24].
static const char *
brief(const char *s, char *buf)
{
  if(strlen(s) <= 19)
    return s;
  snprintf(buf, 24, "%.16s...", s);
  return buf;
}

// 0 when the shard's campaign row (sh, id of) is campaign's of db, else
// -1 with why[n] naming the first input that differs.
static int
same_campaign(sqlite3 *sh, int64_t of, sqlite3 *db, int64_t campaign, char *why, size_t n)
{
  char b1[24], b2[24];
  int rc = 0;

  for(size_t i = 0; i < NINPUTS && rc == 0; i++){
    char *sql = xasprintf("SELECT CAST(%s AS TEXT) FROM campaigns WHERE id = ?1",
                          inputs[i].column);
    char *theirs = text_of(sh, sql, of), *ours = text_of(db, sql, campaign);

    if(theirs == NULL){
      snprintf(why, n, "it holds no row for its campaign %lld", (long long)of);
      rc = -1;
    } else if(ours == NULL)
      fatal("campaign %lld is not in the database", (long long)campaign);
    else if(strcmp(theirs, ours) != 0){
      snprintf(why, n, "it is a shard of another campaign: its %s is %s, campaign %lld's %s",
               inputs[i].what, brief(theirs, b1), (long long)campaign, brief(ours, b2));
      rc = -1;
    }
    free(sql);
    free(theirs);
    free(ours);
  }
  return rc;
}

// The tables of db whose rows belong to a run, in *out (children_free);
// returns how many.
static int
children(sqlite3 *db, struct child **out)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
    " WHERE m.type = 'table' AND f.\"table\" = 'runs'"
    "   AND m.name NOT IN ('runs', 'merged_runs') ORDER BY m.name");
  sqlite3_stmt *pk = db_prepare(db,
    "SELECT name FROM pragma_table_info(?1) WHERE pk = 1 AND upper(type) = 'INTEGER'"
    " AND (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1");
  sqlite3_stmt *refs = db_prepare(db,
    "SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
    " WHERE m.type = 'table' AND f.\"table\" = ?1");
  struct child *c = NULL;
  int n = 0;

  while(db_step(st) == SQLITE_ROW){
    c = xrealloc(c, (size_t)(n + 1) * sizeof(*c));
    c[n].table = db_col_text(st, 0);
    c[n].column = db_col_text(st, 1);
    c[n].own_id = NULL;
    sqlite3_reset(pk);
    db_bind_text(pk, 1, c[n].table);
    if(db_step(pk) == SQLITE_ROW){
      c[n].own_id = db_col_text(pk, 0);
      // Its rows get new ids here; rows that point at them would not follow.
      sqlite3_reset(refs);
      db_bind_text(refs, 1, c[n].table);
      if(db_step(refs) == SQLITE_ROW)
        fatal("cannot merge shards: table %s refers to %s, whose rows are renumbered "
              "by a merge (campaign/merge.c copies one level below runs)",
              (const char *)sqlite3_column_text(refs, 0), c[n].table);
    }
    n++;
  }
  sqlite3_finalize(st);
  sqlite3_finalize(pk);
  sqlite3_finalize(refs);
  *out = c;
  return n;
}

static void
children_free(struct child *c, int n)
{
  for(int i = 0; i < n; i++){
    free(c[i].table);
    free(c[i].column);
    free(c[i].own_id);
  }
  free(c);
}

// Step st, which writes db inside the merge's transaction.
static void
write_step(sqlite3_stmt *st)
{
  if(db_step(st) == SQLITE_BUSY)
    fatal("database %s is locked by another process", sqlite3_db_filename(
          sqlite3_db_handle(st), "main"));
}

// The shards row of uid in db, created (as merged from a file) if there
// is none. 0 with why[n] if uid is another campaign's.
static int64_t
shard_row(sqlite3 *db, int64_t campaign, const char *uid, int task, const char *path,
          int64_t njobs, char *why, size_t n)
{
  sqlite3_stmt *st = db_prepare(db, "SELECT id, campaign FROM shards WHERE uid = ?1");
  int64_t row = 0, of = campaign;

  db_bind_text(st, 1, uid);
  if(db_step(st) == SQLITE_ROW){
    row = sqlite3_column_int64(st, 0);
    of = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if(of != campaign){
    snprintf(why, n, "this database has it as a shard of campaign %lld", (long long)of);
    return 0;
  }
  return row ? row : shard_record(db, uid, campaign, 0, task, path, njobs);
}

// Copy shard run `from` (of the shard sh) and its children to db as a run
// of job; returns the new run id.
static int64_t
copy_run(sqlite3 *sh, sqlite3 *db, int64_t from, int64_t job, const struct child *c,
         int nc)
{
  int64_t run;

  if(db_copy_rows(sh, db, "runs", "id = ?1", from, "id", "job", job) != 1)
    fatal("shard run %lld vanished while it was merged", (long long)from);
  run = sqlite3_last_insert_rowid(db);
  for(int i = 0; i < nc; i++){
    char *where = xasprintf("\"%s\" = ?1", c[i].column);
    db_copy_rows(sh, db, c[i].table, where, from, c[i].own_id, c[i].column, run);
    free(where);
  }
  return run;
}

// The shard runs of job (shard id) that no merge has taken yet, in
// *runs (freed by the caller); returns how many. Counts the others in
// *before.
static int
untaken(sqlite3_stmt *runs_of, sqlite3_stmt *taken, int64_t row, int64_t job, int64_t **runs,
        int *before)
{
  int n = 0;

  *runs = NULL;
  sqlite3_reset(runs_of);
  sqlite3_bind_int64(runs_of, 1, job);
  while(sqlite3_step(runs_of) == SQLITE_ROW){
    int64_t r = sqlite3_column_int64(runs_of, 0);
    sqlite3_reset(taken);
    db_bind_int(taken, 1, row);
    db_bind_int(taken, 2, r);
    if(db_step(taken) == SQLITE_ROW){
      (*before)++;
      continue;
    }
    *runs = xrealloc(*runs, (size_t)(n + 1) * sizeof(**runs));
    (*runs)[n++] = r;
  }
  return n;
}

// Merge the done jobs of shard sh (shards row `row`) into campaign of db,
// inside the caller's transaction.
static void
merge_jobs(sqlite3 *sh, sqlite3 *db, int64_t campaign, int64_t row, const char *path,
           struct merge_stats *ms)
{
  sqlite3_stmt *jobs, *target, *runs_of, *taken, *note, *done;
  struct child *c;
  int nc = children(db, &c), unmatched = 0;

  if(sqlite3_prepare_v2(sh,
       "SELECT j.id, s.config_file, s.section, j.mode, j.rep FROM jobs j"
       " JOIN scenarios s ON s.id = j.scenario WHERE j.state = 'done' ORDER BY j.id",
       -1, &jobs, NULL) != SQLITE_OK ||
     sqlite3_prepare_v2(sh, "SELECT id FROM runs WHERE job = ?1 AND replay_of IS NULL"
                        " ORDER BY id", -1, &runs_of, NULL) != SQLITE_OK)
    fatal("shard %s: cannot read its jobs: %s", path, sqlite3_errmsg(sh));
  target = db_prepare(db,
    "SELECT j.id, j.state FROM jobs j JOIN scenarios s ON s.id = j.scenario"
    " WHERE j.campaign = ?1 AND s.config_file = ?2 AND s.section = ?3"
    "   AND j.mode = ?4 AND j.rep = ?5");
  taken = db_prepare(db, "SELECT 1 FROM merged_runs WHERE shard = ?1 AND shard_run = ?2");
  note = db_prepare(db, "INSERT INTO merged_runs (shard, shard_run, run) VALUES (?1, ?2, ?3)");
  done = db_prepare(db,
    "UPDATE jobs SET state = 'done', lease_pid = NULL, lease_time = NULL,"
    " attempts = attempts + ?2 WHERE id = ?1");

  while(sqlite3_step(jobs) == SQLITE_ROW){
    int64_t job = 0, *runs;
    char state[8] = "";
    int nr;

    sqlite3_reset(target);
    db_bind_int(target, 1, campaign);
    for(int k = 1; k <= 4; k++)
      sqlite3_bind_value(target, k + 1, sqlite3_column_value(jobs, k));
    if(db_step(target) == SQLITE_ROW){
      job = sqlite3_column_int64(target, 0);
      snprintf(state, sizeof(state), "%s", (const char *)sqlite3_column_text(target, 1));
    }
    if(job == 0){
      unmatched++;
      continue;
    }
    nr = untaken(runs_of, taken, row, sqlite3_column_int64(jobs, 0), &runs, &ms->before);
    if(nr > 0 && strcmp(state, "leased") != 0){
      int copy = strcmp(state, "queued") == 0;
      for(int k = 0; k < nr; k++){
        sqlite3_reset(note);
        db_bind_int(note, 1, row);
        db_bind_int(note, 2, runs[k]);
        db_bind_opt(note, 3, copy ? copy_run(sh, db, runs[k], job, c, nc) : -1);
        write_step(note);
      }
      if(copy){
        sqlite3_reset(done);
        db_bind_int(done, 1, job);
        db_bind_int(done, 2, nr);
        write_step(done);
        ms->runs += nr;
        ms->jobs++;
      } else
        ms->skipped += nr;
    }
    free(runs);
  }
  if(unmatched)
    warning("shard %s: %d job%s match no job of campaign %lld; left out", path,
            unmatched, unmatched == 1 ? "" : "s", (long long)campaign);
  sqlite3_finalize(jobs);
  sqlite3_finalize(runs_of);
  sqlite3_finalize(target);
  sqlite3_finalize(taken);
  sqlite3_finalize(note);
  sqlite3_finalize(done);
  children_free(c, nc);
}

// Returns 0, or -1 and why; see merge.h.
int
merge_shard(sqlite3 *db, int64_t campaign, const char *path, struct merge_stats *ms,
            char *why, size_t n)
{
  sqlite3 *sh = shard_open(path, why, n);
  sqlite3_stmt *st;
  int64_t of = 0, njobs = 0, version = 0, latest = 0, row = 0;
  char *uid = NULL, *finished = NULL, *host = NULL, now[21];
  int task = 0, rc = -1;

  if(sh == NULL)
    return -1;
  for(int i = 0; i < ev6_nmigrations; i++)
    if(ev6_migrations[i].version > latest)
      latest = ev6_migrations[i].version;
  if(sqlite3_prepare_v2(sh,
       "SELECT uid, campaign, task, finished, host, (SELECT count(*) FROM jobs),"
       " (SELECT max(version) FROM schema_version) FROM shard_info", -1, &st, NULL)
       == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW){
    uid = db_col_text(st, 0);
    of = sqlite3_column_int64(st, 1);
    task = sqlite3_column_int(st, 2);
    finished = db_col_text(st, 3);
    host = db_col_text(st, 4);
    njobs = sqlite3_column_int64(st, 5);
    version = sqlite3_column_int64(st, 6);
  }
  sqlite3_finalize(st);
  if(uid == NULL)
    snprintf(why, n, "cannot read its shard_info: %s", sqlite3_errmsg(sh));
  else if(version > latest)
    snprintf(why, n, "it was made by a newer ev6-campaign (schema version %lld, this "
             "program's %lld)", (long long)version, (long long)latest);
  else if(same_campaign(sh, of, db, campaign, why, n) == 0){
    db_begin(db);
    row = shard_row(db, campaign, uid, task, path, njobs, why, n);
    if(row == 0)
      db_rollback(db);
    else {
      merge_jobs(sh, db, campaign, row, path, ms);
      iso_now(now);
      st = db_prepare(db, "UPDATE shards SET merged = ?2, finished = ?3, host = ?4,"
                          " refused = NULL WHERE id = ?1");
      db_bind_int(st, 1, row);
      db_bind_text(st, 2, now);
      db_bind_text(st, 3, finished);
      db_bind_text(st, 4, host);
      write_step(st);
      sqlite3_finalize(st);
      db_commit(db);
      rc = 0;
    }
  }
  free(uid);
  free(finished);
  free(host);
  sqlite3_close(sh);
  if(rc < 0)
    ms->refused++;
  return rc;
}

// One recorded shard: its row, file, and what the last merge saw.
struct recorded {
  int64_t id;
  char *path, *stamp, *refused;
};

// Returns the shards refused now; see merge.h.
int
merge_recorded(sqlite3 *db, int64_t campaign, int force, struct merge_stats *ms)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT id, path, stamp, refused FROM shards WHERE campaign = ?1 AND array IS NOT NULL"
    " ORDER BY id");
  struct recorded *r = NULL;
  int n = 0, refused = 0;

  db_bind_int(st, 1, campaign);
  while(db_step(st) == SQLITE_ROW){
    r = xrealloc(r, (size_t)(n + 1) * sizeof(*r));
    r[n].id = sqlite3_column_int64(st, 0);
    r[n].path = db_col_text(st, 1);
    r[n].stamp = db_col_text(st, 2);
    r[n].refused = db_col_text(st, 3);
    n++;
  }
  sqlite3_finalize(st);

  st = db_prepare(db, "UPDATE shards SET stamp = ?2, refused = ?3 WHERE id = ?1");
  for(int i = 0; i < n; i++){
    struct stat sb;
    char stamp[96], why[600];
    int rc;

    // The file's identity; a publication replaces the file (a new inode).
    // A shard removed by hand has nothing to merge: its jobs just have no
    // result.
    if(stat(r[i].path, &sb) < 0)
      continue;
    snprintf(stamp, sizeof(stamp), "%llu:%lld:%lld.%09ld",
             (unsigned long long)sb.st_ino, (long long)sb.st_size,
             (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
    if(!force && r[i].stamp && strcmp(r[i].stamp, stamp) == 0)
      continue;
    rc = merge_shard(db, campaign, r[i].path, ms, why, sizeof(why));
    if(rc < 0){
      refused++;
      if(r[i].refused == NULL || strcmp(r[i].refused, why) != 0)
        warning("shard %s refused: %s; nothing was merged from it", r[i].path, why);
    }
    sqlite3_reset(st);
    db_bind_int(st, 1, r[i].id);
    db_bind_text(st, 2, stamp);
    db_bind_text(st, 3, rc < 0 ? why : NULL);
    write_step(st);
  }
  sqlite3_finalize(st);
  for(int i = 0; i < n; i++){
    free(r[i].path);
    free(r[i].stamp);
    free(r[i].refused);
  }
  free(r);
  return refused;
}

// A count; nothing to free.
int
merge_refused(sqlite3 *db, int64_t campaign)
{
  return (int)db_int_of(db, "SELECT count(*) FROM shards WHERE campaign = ?1"
                            " AND refused IS NOT NULL", campaign, 0);
}
