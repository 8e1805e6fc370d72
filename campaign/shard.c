// shard.c - create, publish and open shard databases, and run one as an
// array task (see shard.h).
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "campaign/db.h"
#include "campaign/jobs.h"
#include "campaign/preflight.h"
#include "campaign/progress.h"
#include "campaign/rundir.h"
#include "campaign/shard.h"
#include "campaign/snapshot.h"
#include "campaign/util.h"
#include "campaign/workers.h"

#define PUBLISH_TRIES 5         // a shared file system that hiccups

// A new shard's uid: 32 random hex digits, in uid[33].
static void
new_uid(char uid[33])
{
  unsigned char r[16];

  if(getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
    fatal("getrandom: %s", strerror(errno));
  for(int i = 0; i < 16; i++)
    snprintf(uid + 2 * i, 3, "%02x", r[i]);
}

// A private working directory, named like a snapshot so that
// snapshot_sweep() removes it once this process is gone; in dir[PATH_MAX].
static void
work_dir(char *dir)
{
  snprintf(dir, PATH_MAX, "%s/ev6-inputs.%d.XXXXXX", rundir_tmpdir(), (int)getpid());
  if(mkdtemp(dir) == NULL)
    fatal("cannot create a directory in %s: %s", rundir_tmpdir(), strerror(errno));
}

// Returns the shards row; see shard.h.
int64_t
shard_create(sqlite3 *db, int64_t campaign, int64_t array, const int64_t *jobs, int n,
             const struct shard_spec *spec, const char *path)
{
  char dir[PATH_MAX], uid[33], now[21], why[300], *work;
  sqlite3_stmt *st;
  sqlite3 *sh;
  int64_t row;

  work_dir(dir);
  work = xasprintf("%s/shard.db", dir);
  new_uid(uid);
  iso_now(now);
  sh = db_open(work);
  db_begin(sh);
  db_copy_rows(db, sh, "campaigns", "id = ?1", campaign, NULL, NULL, 0);
  db_copy_rows(db, sh, "scenarios", "campaign = ?1", campaign, NULL, NULL, 0);
  db_copy_rows(db, sh, "scenario_during",
               "scenario IN (SELECT id FROM scenarios WHERE campaign = ?1)", campaign,
               NULL, NULL, 0);
  db_copy_rows(db, sh, "scenario_icount",
               "scenario IN (SELECT id FROM scenarios WHERE campaign = ?1)", campaign,
               NULL, NULL, 0);
  db_copy_rows(db, sh, "scenario_driver",
               "scenario IN (SELECT id FROM scenarios WHERE campaign = ?1)", campaign,
               NULL, NULL, 0);
  for(int i = 0; i < n; i++)
    if(db_copy_rows(db, sh, "jobs", "id = ?1", jobs[i], NULL, NULL, 0) != 1)
      fatal("job %lld vanished from the database", (long long)jobs[i]);
  db_exec(sh, "UPDATE jobs SET state = 'queued', lease_pid = NULL, lease_time = NULL,"
              " attempts = 0");
  st = db_prepare(sh,
    "INSERT INTO shard_info (uid, campaign, task, kernel, fs_image, gdb_script, fsck,"
    " boot_s, reach_s, recovery_s, survival_s, workers, lease_ttl, created)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  db_bind_text(st, 1, uid);
  db_bind_int(st, 2, campaign);
  db_bind_int(st, 3, spec->task);
  db_bind_text(st, 4, spec->kernel);
  db_bind_text(st, 5, spec->fs_image);
  db_bind_text(st, 6, spec->gdb_script);
  db_bind_text(st, 7, spec->fsck);
  db_bind_int(st, 8, spec->timeout[PHASE_BOOT]);
  db_bind_int(st, 9, spec->timeout[PHASE_REACH]);
  db_bind_int(st, 10, spec->timeout[PHASE_RECOVERY]);
  db_bind_int(st, 11, spec->timeout[PHASE_SURVIVAL]);
  db_bind_int(st, 12, spec->workers);
  db_bind_int(st, 13, spec->lease_ttl);
  db_bind_text(st, 14, now);
  db_step(st);
  sqlite3_finalize(st);
  db_commit(sh);
  if(shard_publish(sh, path, why, sizeof(why)) < 0)
    fatal("cannot write shard %s: %s", path, why);
  db_close(sh);
  remove_tree(dir);
  free(work);

  row = shard_record(db, uid, campaign, array, spec->task, path, n);
  st = db_prepare(db, "INSERT INTO shard_jobs (shard, job) VALUES (?1, ?2)");
  for(int i = 0; i < n; i++){
    sqlite3_reset(st);
    db_bind_int(st, 1, row);
    db_bind_int(st, 2, jobs[i]);
    db_step(st);
  }
  sqlite3_finalize(st);
  return row;
}

// Returns the new shards row.
int64_t
shard_record(sqlite3 *db, const char *uid, int64_t campaign, int64_t array, int task,
             const char *path, int64_t njobs)
{
  sqlite3_stmt *st = db_prepare(db,
    "INSERT INTO shards (uid, campaign, array, task, path, jobs)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

  db_bind_text(st, 1, uid);
  db_bind_int(st, 2, campaign);
  db_bind_opt(st, 3, array > 0 ? array : -1);
  db_bind_int(st, 4, task);
  db_bind_text(st, 5, path);
  db_bind_int(st, 6, njobs);
  if(db_step(st) == SQLITE_BUSY)
    fatal("database %s is locked by another process", sqlite3_db_filename(db, "main"));
  sqlite3_finalize(st);
  return sqlite3_last_insert_rowid(db);
}

// fsync the file or directory at path; returns 0 or -1 with errno.
static int
sync_path(const char *path, int flags)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC | flags), rc, saved;

  if(fd < 0)
    return -1;
  rc = fsync(fd);
  saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

// Returns 0 or -1; see shard.h.
int
shard_publish(sqlite3 *db, const char *path, char *why, size_t n)
{
  char *tmp = xasprintf("%s.tmp", path), *copy = xstrdup(path);
  sqlite3_stmt *st = NULL;
  int rc = -1;

  unlink(tmp);
  if(sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, NULL) != SQLITE_OK ||
     sqlite3_bind_text(st, 1, tmp, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
     sqlite3_step(st) != SQLITE_DONE)
    snprintf(why, n, "cannot write %s: %s", tmp, sqlite3_errmsg(db));
  else if(sync_path(tmp, 0) < 0)
    snprintf(why, n, "cannot sync %s: %s", tmp, strerror(errno));
  else if(rename(tmp, path) < 0)
    snprintf(why, n, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
  else {
    sync_path(dirname(copy), O_DIRECTORY);
    rc = 0;
  }
  sqlite3_finalize(st);
  if(rc < 0)
    unlink(tmp);
  free(tmp);
  free(copy);
  return rc;
}

// "file:" and path as a URI for sqlite3_open_v2, "?immutable=1" after
// it; the caller frees it.
static char *
immutable_uri(const char *path)
{
  struct strbuf sb = {0};

  sb_add(&sb, "file:", 5);
  for(const unsigned char *p = (const unsigned char *)path; *p; p++)
    if(*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
      sb_addf(&sb, "%%%02X", *p);
    else
      sb_add(&sb, (const char *)p, 1);
  sb_addf(&sb, "?immutable=1");
  return sb.s;
}

// Returns the handle or NULL; see shard.h.
sqlite3 *
shard_open(const char *path, char *why, size_t n)
{
  char full[PATH_MAX], *uri;
  sqlite3_stmt *st = NULL;
  sqlite3 *sh = NULL;
  int rc, ok = 0;

  if(realpath(path, full) == NULL){
    snprintf(why, n, "cannot read it: %s", strerror(errno));
    return NULL;
  }
  uri = immutable_uri(full);
  rc = sqlite3_open_v2(uri, &sh, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  free(uri);
  if(rc != SQLITE_OK)
    snprintf(why, n, "cannot open it: %s", sh ? sqlite3_errmsg(sh) : sqlite3_errstr(rc));
  else if(sqlite3_prepare_v2(sh, "SELECT (SELECT count(*) FROM sqlite_master WHERE"
                             " type = 'table' AND name = 'shard_info'),"
                             " (SELECT count(*) FROM sqlite_master WHERE name = 'runs')",
                             -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
    snprintf(why, n, "it is no SQLite database: %s", sqlite3_errmsg(sh));
  else if(sqlite3_column_int(st, 0) != 1 || sqlite3_column_int(st, 1) != 1)
    snprintf(why, n, "it is no shard database (it has no shard_info or runs table)");
  else {
    sqlite3_finalize(st);
    st = NULL;
    if(sqlite3_prepare_v2(sh, "SELECT count(*) FROM shard_info", -1, &st, NULL) != SQLITE_OK ||
       sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1)
      snprintf(why, n, "it is no shard database (shard_info must have one row)");
    else
      ok = 1;
  }
  sqlite3_finalize(st);
  if(!ok){
    sqlite3_close(sh);
    return NULL;
  }
  return sh;
}

// What a task reads from its shard; strings owned (task_free).
struct task {
  char *uid;
  int64_t campaign;
  struct shard_spec spec;
  char *sha[3];                 // the campaign's kernel, image, scripts digests
  char *survival;
};

static void
task_free(struct task *t)
{
  free(t->uid);
  free((char *)t->spec.kernel);
  free((char *)t->spec.fs_image);
  free((char *)t->spec.gdb_script);
  free((char *)t->spec.fsck);
  for(int i = 0; i < 3; i++)
    free(t->sha[i]);
  free(t->survival);
}

// Fill *t from the published shard at path; -1 with why[n] if it cannot.
static int
task_read(const char *path, struct task *t, char *why, size_t n)
{
  sqlite3 *sh = shard_open(path, why, n);
  sqlite3_stmt *st;
  int rc = -1;

  memset(t, 0, sizeof(*t));
  if(sh == NULL)
    return -1;
  if(sqlite3_prepare_v2(sh,
       "SELECT i.uid, i.campaign, i.task, i.kernel, i.fs_image, i.gdb_script, i.fsck,"
       " i.boot_s, i.reach_s, i.recovery_s, i.survival_s, i.workers, i.lease_ttl,"
       " c.kernel_sha256, c.fs_image_sha256, c.gdb_scripts_sha256, c.survival_command"
       " FROM shard_info i JOIN campaigns c ON c.id = i.campaign", -1, &st, NULL) != SQLITE_OK){
    snprintf(why, n, "cannot read its shard_info: %s", sqlite3_errmsg(sh));
    sqlite3_close(sh);
    return -1;
  }
  if(sqlite3_step(st) == SQLITE_ROW){
    t->uid = db_col_text(st, 0);
    t->campaign = sqlite3_column_int64(st, 1);
    t->spec.task = sqlite3_column_int(st, 2);
    t->spec.kernel = db_col_text(st, 3);
    t->spec.fs_image = db_col_text(st, 4);
    t->spec.gdb_script = db_col_text(st, 5);
    t->spec.fsck = db_col_text(st, 6);
    for(int ph = PHASE_BOOT; ph <= PHASE_SURVIVAL; ph++)
      t->spec.timeout[ph] = sqlite3_column_int64(st, 7 + ph - PHASE_BOOT);
    t->spec.workers = sqlite3_column_int(st, 11);
    t->spec.lease_ttl = sqlite3_column_int64(st, 12);
    for(int i = 0; i < 3; i++)
      t->sha[i] = db_col_text(st, 13 + i);
    t->survival = db_col_text(st, 16);
    rc = 0;
  } else
    snprintf(why, n, "its shard_info names no campaign it holds");
  sqlite3_finalize(st);
  sqlite3_close(sh);
  return rc;
}

// The staged inputs must be what the campaign hashed; 0, or -1 and why.
static int
task_check_inputs(const struct task *t, char *why, size_t n)
{
  static const char *const what[] = { "kernel", "file-system image", "GDB scripts" };
  const char *path[] = { t->spec.kernel, t->spec.fs_image, t->spec.gdb_script };
  struct campaign_ids ids = {0};
  const char *got[3];

  campaign_hash_files(t->spec.kernel, t->spec.fs_image, t->spec.gdb_script, &ids);
  got[0] = ids.kernel_sha;
  got[1] = ids.fs_sha;
  got[2] = ids.scripts_sha;
  for(int i = 0; i < 3; i++)
    if(t->sha[i] == NULL || strcmp(got[i], t->sha[i]) != 0){
      snprintf(why, n, "the staged %s %s has sha256 %.16s..., the campaign's is %.16s...:"
               " the staged inputs changed", what[i], path[i], got[i],
               t->sha[i] ? t->sha[i] : "?");
      return -1;
    }
  return 0;
}

// Where pool_run's ticks publish to.
struct publisher {
  const char *path;
  int64_t runs;                 // runs in the last publication
  int failing;
};

// pool_tick: publish when a run was recorded since the last publication.
static void
publish_tick(sqlite3 *db, void *arg)
{
  struct publisher *p = arg;
  int64_t runs = db_int(db, "SELECT count(*) FROM runs", 0);
  char why[400];

  if(runs == p->runs)
    return;
  if(shard_publish(db, p->path, why, sizeof(why)) < 0){
    if(!p->failing)
      warning("shard %s: %s (trying again)", p->path, why);
    p->failing = 1;
    return;
  }
  p->failing = 0;
  p->runs = runs;
}

// The last publication, tried a few times. Returns 0 or -1.
static int
publish_last(sqlite3 *db, const char *path)
{
  char why[400];

  for(int i = 0; i < PUBLISH_TRIES; i++){
    if(shard_publish(db, path, why, sizeof(why)) == 0)
      return 0;
    sleep(1);
  }
  warning("shard %s: %s; its latest runs are lost", path, why);
  return -1;
}

// Returns the exit status; see shard.h.
int
shard_task(const char *path)
{
  struct publisher pub = { .path = path };
  struct runenv env = {0};
  struct paths paths = {0};
  struct task t;
  struct counts c;
  char why[600], dir[PATH_MAX], host[256] = "unknown", now[21], *work;
  enum pool_end end = POOL_DONE;
  int published;
  sqlite3 *db;
  sqlite3_stmt *st;

  if(task_read(path, &t, why, sizeof(why)) < 0){
    warning("shard %s: %s; nothing was run", path, why);
    return EXIT_RUNTIME;
  }
  paths.kernel = t.spec.kernel;
  paths.fs_image = t.spec.fs_image;
  paths.fsck = t.spec.fsck;
  paths.gdb_script = t.spec.gdb_script;
  if(preflight_tools(&paths)){
    warning("shard %s: this node cannot run it (see above); nothing was run", path);
    task_free(&t);
    return EXIT_RUNTIME;
  }
  if(task_check_inputs(&t, why, sizeof(why)) < 0){
    warning("shard %s: %s; nothing was run", path, why);
    task_free(&t);
    return EXIT_RUNTIME;
  }
  gethostname(host, sizeof(host) - 1);
  snapshot_sweep();
  rundir_sweep(0);
  work_dir(dir);
  work = xasprintf("%s/shard.db", dir);
  if(copy_file(path, work, 0600) < 0)
    fatal("cannot copy shard %s to %s: %s", path, work, strerror(errno));

  // Nothing else runs this shard: the leases of an earlier start of this
  // task (preempted and requeued) are stale, whatever their age.
  db = db_open(work);
  db_begin(db);
  jobs_requeue_stale(db, t.campaign, -1);
  iso_now(now);
  st = db_prepare(db, "UPDATE shard_info SET started = ?1, host = ?2, finished = NULL");
  db_bind_text(st, 1, now);
  db_bind_text(st, 2, host);
  db_step(st);
  sqlite3_finalize(st);
  db_commit(db);
  counts_get(db, t.campaign, &c);
  printf("shard task %d of campaign %lld on %s: %ld jobs, %ld done, %ld to run, "
         "%d worker%s\n", t.spec.task, (long long)t.campaign, host, c.total, c.done,
         c.total - c.done, t.spec.workers, t.spec.workers == 1 ? "" : "s");
  fflush(stdout);
  pub.runs = db_int(db, "SELECT count(*) FROM runs", 0);
  db_close(db);

  env.kernel = t.spec.kernel;
  env.fs_image = t.spec.fs_image;
  env.gdb_script = t.spec.gdb_script;
  env.fsck = t.spec.fsck;
  env.survival = t.survival;
  memcpy(env.timeout, t.spec.timeout, sizeof(env.timeout));
  if(c.done < c.total)
    end = pool_run(work, t.campaign, &env, t.spec.workers, t.spec.lease_ttl,
                   publish_tick, &pub);

  db = db_open(work);
  counts_get(db, t.campaign, &c);
  if(c.done == c.total){
    iso_now(now);
    st = db_prepare(db, "UPDATE shard_info SET finished = ?1");
    db_bind_text(st, 1, now);
    db_begin(db);
    db_step(st);
    db_commit(db);
    sqlite3_finalize(st);
  }
  published = publish_last(db, path);
  db_close(db);
  remove_tree(dir);
  free(work);
  {
    char line[320];
    progress_format(line, sizeof(line), &c, NO_ETA);
    printf("shard task %d: %s%s\n", t.spec.task, line,
           end == POOL_INTERRUPTED ? "; stopped by a signal" : "");
  }
  task_free(&t);
  return c.done == c.total && published == 0 ? EXIT_DONE : EXIT_RUNTIME;
}
