// array.c - the Slurm executor: stage, split, submit, follow (see array.h).
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign/array.h"
#include "campaign/db.h"
#include "campaign/merge.h"
#include "campaign/progress.h"
#include "campaign/rundir.h"
#include "campaign/shard.h"
#include "campaign/slurm.h"
#include "campaign/snapshot.h"
#include "campaign/util.h"

#define TICK_MS   500           // progress refresh
#define MERGE_MS  2000          // look for shards that changed
#define ASK_MS    10000         // ask squeue

// An array of the campaign that had tasks in squeue when last asked.
struct inflight {
  int64_t id;
  char *job;                    // Slurm's job id
  char *dir;
  int tasks;
  unsigned char *live;          // [tasks]: squeue lists task i
  struct slurm_live sl;
  int warned;                   // squeue failed, and we said so
};

static volatile sig_atomic_t stop;

// SIGINT/SIGTERM: stop following.
static void
on_stop(int sig)
{
  (void)sig;
  stop = 1;
}

// Exits, naming the problem, if Slurm cannot take the array.
void
array_preflight(const struct array_opts *o)
{
  const char *missing = slurm_missing();
  char *known = NULL, *why = NULL;
  int r;

  if(missing)
    fatal("--executor slurm needs %s in PATH (Slurm's commands, Debian package "
          "slurm-client: run it where you submit jobs, e.g. a cluster's login node); "
          "nothing was run", missing);
  r = slurm_partition_exists(o->partition ? o->partition : "", &known, &why);
  if(r < 0)
    fatal("cannot ask Slurm for its partitions: %s; nothing was run", why);
  if(o->partition && r == 0){
    fprintf(stderr, "%s: --partition %s: no such partition (sinfo lists: %s); "
            "nothing was run\n", util_progname, o->partition, known);
    exit(EXIT_USAGE);
  }
  free(known);
}

// dir, made (with its parents) if need be; exits if it cannot.
static void
make_dirs(const char *dir)
{
  char *copy = xstrdup(dir);

  for(char *p = copy + 1; *p; p++)
    if(*p == '/'){
      *p = '\0';
      if(mkdir(copy, 0755) < 0 && errno != EEXIST)
        fatal("cannot create %s: %s", copy, strerror(errno));
      *p = '/';
    }
  if(mkdir(copy, 0755) < 0 && errno != EEXIST)
    fatal("cannot create %s: %s", copy, strerror(errno));
  free(copy);
}

// The campaign's directory under the shard directory, absolute, made;
// the caller frees it.
static char *
campaign_dir(const struct array_opts *o, const char *dbpath, const struct campaign_ids *ids)
{
  char *top = o->shard_dir ? xstrdup(o->shard_dir) : xasprintf("%s.shards", dbpath);
  char real[PATH_MAX], *dir;

  make_dirs(top);
  if(realpath(top, real) == NULL)
    fatal("cannot use shard directory %s: %s", top, strerror(errno));
  dir = xasprintf("%s/campaign-%.12s", real, ids->ident);
  make_dirs(dir);
  free(top);
  return dir;
}

// Copy src into dir (named base) with mode, or exit.
static void
copy_into(const char *src, const char *dir, const char *base, unsigned mode)
{
  char *dst = xasprintf("%s/%s", dir, base);

  if(copy_file(src, dst, mode) < 0)
    fatal("cannot copy %s to %s: %s", src, dst, strerror(errno));
  free(dst);
}

// The staged inputs of the campaign in cdir/inputs (staged now if they
// are not yet), checked against ids; their paths in *s (snapshot_remove
// frees them).
static void
stage(const char *cdir, const struct runenv *env, const struct campaign_inputs *in,
      const struct campaign_ids *ids, struct snapshot *s)
{
  char *dir = xasprintf("%s/inputs", cdir), *script = xstrdup(env->gdb_script);
  struct campaign_ids got = {0};

  if(access(dir, F_OK) != 0){
    char *tmp = xasprintf("%s/inputs.%d", cdir, (int)getpid()), *configs;
    struct snapshot t;

    if(access(tmp, F_OK) == 0)
      remove_tree(tmp);
    snapshot_stage(&t, tmp, env->kernel, env->fs_image, env->gdb_script);
    snapshot_remove(&t);
    configs = xasprintf("%s/configs", tmp);
    make_dirs(configs);
    for(int i = 0; i < in->nconfigs; i++){
      char *copy = xstrdup(in->configs[i]);
      char *base = xasprintf("%d-%s", i + 1, basename(copy));
      copy_into(in->configs[i], configs, base, 0444);
      free(base);
      free(copy);
    }
    if(in->paper && access(in->paper, R_OK) == 0)
      copy_into(in->paper, tmp, "paper.tsv", 0444);
    free(configs);
    if(rename(tmp, dir) < 0){
      if(errno != EEXIST && errno != ENOTEMPTY)
        fatal("cannot rename %s to %s: %s", tmp, dir, strerror(errno));
      remove_tree(tmp);         // staged meanwhile by another submission
    }
    free(tmp);
  }
  memset(s, 0, sizeof(*s));
  snprintf(s->dir, sizeof(s->dir), "%s", dir);
  s->kernel = xasprintf("%s/kernel", dir);
  s->fs_image = xasprintf("%s/fs.img", dir);
  s->gdb_script = xasprintf("%s/gdbscripts/%s", dir, basename(script));
  campaign_hash_files(s->kernel, s->fs_image, s->gdb_script, &got);
  if(strcmp(got.kernel_sha, ids->kernel_sha) != 0 || strcmp(got.fs_sha, ids->fs_sha) != 0 ||
     strcmp(got.scripts_sha, ids->scripts_sha) != 0)
    fatal("the inputs staged in %s are not the campaign's (a digest differs): "
          "remove that directory to stage them again", dir);
  free(script);
  free(dir);
}

// Write adir/task.sh, the command of every task; returns its path, which
// the caller frees.
static char *
write_script(const char *adir, int64_t campaign)
{
  char *path = xasprintf("%s/task.sh", adir), *q = shell_word(adir), err[300] = "";
  char *text = xasprintf(
    "#!/bin/sh\n"
    "# One task of a job array of ev6-campaign (campaign/array.c): the worker\n"
    "# on shard task-$SLURM_ARRAY_TASK_ID.db of campaign %lld. Written when the\n"
    "# array was submitted; ev6-campaign and fsck are the copies beside it.\n"
    "exec %s/bin/ev6-campaign --shard-task %s/task-\"$SLURM_ARRAY_TASK_ID\".db\n",
    (long long)campaign, q, q);

  if(rundir_write(path, text, err, sizeof(err)) < 0 || chmod(path, 0555) < 0)
    fatal("cannot write %s: %s", path, err[0] ? err : strerror(errno));
  free(text);
  free(q);
  return path;
}

// Submit jobs[0..n) as a new array; returns it as in flight (all tasks
// live until squeue says otherwise). Exits if it cannot: nothing is then
// left recorded.
static struct inflight
submit(sqlite3 *db, int64_t campaign, const struct array_opts *o, const struct runenv *env,
       long ttl, const char *cdir, const struct snapshot *staged, const int64_t *jobs, int n)
{
  int tasks = n < o->tasks ? n : (int)o->tasks;
  struct slurm_array sa = {0};
  struct shard_spec spec = {0};
  struct inflight f = {0};
  char now[21], self[PATH_MAX], *adir, *bin, *script, *why = NULL, *name;
  int64_t *slice = xcalloc((size_t)n, sizeof(*slice));
  sqlite3_stmt *st;
  ssize_t len;

  len = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if(len < 0)
    fatal("cannot find this program (/proc/self/exe): %s", strerror(errno));
  self[len] = '\0';
  iso_now(now);
  db_begin(db);
  st = db_prepare(db,
    "INSERT INTO slurm_arrays (campaign, dir, tasks, workers, partition, account,"
    " time_limit, submitted) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7)");
  db_bind_int(st, 1, campaign);
  db_bind_int(st, 2, tasks);
  db_bind_int(st, 3, o->workers);
  db_bind_text(st, 4, o->partition);
  db_bind_text(st, 5, o->account);
  db_bind_text(st, 6, o->time_limit);
  db_bind_text(st, 7, now);
  db_step(st);
  sqlite3_finalize(st);
  f.id = sqlite3_last_insert_rowid(db);
  adir = xasprintf("%s/array-%lld", cdir, (long long)f.id);
  bin = xasprintf("%s/bin", adir);
  if(access(adir, F_OK) == 0)
    remove_tree(adir);        // left by a submission that failed
  make_dirs(bin);
  st = db_prepare(db, "UPDATE slurm_arrays SET dir = ?2 WHERE id = ?1");
  db_bind_int(st, 1, f.id);
  db_bind_text(st, 2, adir);
  db_step(st);
  sqlite3_finalize(st);
  copy_into(self, bin, "ev6-campaign", 0555);
  copy_into(env->fsck, bin, "fsck", 0555);

  spec.kernel = staged->kernel;
  spec.fs_image = staged->fs_image;
  spec.gdb_script = staged->gdb_script;
  spec.fsck = xasprintf("%s/fsck", bin);
  memcpy(spec.timeout, env->timeout, sizeof(spec.timeout));
  spec.workers = o->workers;
  spec.lease_ttl = ttl;
  for(int t = 0; t < tasks; t++){
    char *path = xasprintf("%s/task-%d.db", adir, t);
    int k = 0;
    for(int i = t; i < n; i += tasks)      // round-robin: long and short mix
      slice[k++] = jobs[i];
    spec.task = t;
    shard_create(db, campaign, f.id, slice, k, &spec, path);
    free(path);
  }
  script = write_script(adir, campaign);
  db_commit(db);

  name = xasprintf("ev6-c%lld", (long long)campaign);
  sa.script = script;
  sa.dir = adir;
  sa.name = name;
  sa.partition = o->partition;
  sa.account = o->account;
  sa.time_limit = o->time_limit;
  sa.tasks = tasks;
  sa.cpus_per_task = o->workers;
  f.job = slurm_submit(&sa, &why);
  if(f.job == NULL){
    db_begin(db);
    st = db_prepare(db, "DELETE FROM shard_jobs WHERE shard IN"
                        " (SELECT id FROM shards WHERE array = ?1)");
    db_bind_int(st, 1, f.id);
    db_step(st);
    sqlite3_finalize(st);
    st = db_prepare(db, "DELETE FROM shards WHERE array = ?1");
    db_bind_int(st, 1, f.id);
    db_step(st);
    sqlite3_finalize(st);
    st = db_prepare(db, "DELETE FROM slurm_arrays WHERE id = ?1");
    db_bind_int(st, 1, f.id);
    db_step(st);
    sqlite3_finalize(st);
    db_commit(db);
    remove_tree(adir);
    fatal("%s; nothing was submitted", why);
  }
  st = db_prepare(db, "UPDATE slurm_arrays SET slurm_job = ?2 WHERE id = ?1");
  db_bind_int(st, 1, f.id);
  db_bind_text(st, 2, f.job);
  if(db_step(st) == SQLITE_BUSY)
    fatal("database is locked: job array %s was submitted but not recorded; "
          "scancel %s, then run the same command again", f.job, f.job);
  sqlite3_finalize(st);
  printf("submitted Slurm job array %s: %d task%s for %d job%s, %d worker%s each; "
         "shards and logs in %s\n", f.job, tasks, tasks == 1 ? "" : "s", n,
         n == 1 ? "" : "s", o->workers, o->workers == 1 ? "" : "s", adir);
  f.tasks = tasks;
  f.dir = adir;
  f.live = xcalloc((size_t)tasks, 1);
  memset(f.live, 1, (size_t)tasks);
  f.sl.pending = tasks;
  free(slice);
  free(bin);
  free(script);
  free(name);
  free((char *)spec.fsck);
  return f;
}

// Ask squeue about f. Returns 1 if it has tasks left, 0 if not, and 1
// (unknown: assume so) if squeue failed, which is said once.
static int
ask(struct inflight *f)
{
  char *why = NULL;

  if(slurm_live(f->job, f->live, f->tasks, &f->sl, &why) < 0){
    if(!f->warned)
      warning("cannot ask squeue about job array %s: %s (trying again)", f->job, why);
    f->warned = 1;
    free(why);
    return 1;
  }
  f->warned = 0;
  return f->sl.pending + f->sl.running + f->sl.other > 0;
}

// Name each task of array f that left jobs of its shard without a
// result; returns how many jobs that is.
static long
report_left(sqlite3 *db, const struct inflight *f)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT s.task, (SELECT count(*) FROM shard_jobs sj JOIN jobs j ON j.id = sj.job"
    "                WHERE sj.shard = s.id AND j.state != 'done')"
    " FROM shards s WHERE s.array = ?1 ORDER BY s.task");
  long left = 0;

  db_bind_int(st, 1, f->id);
  while(db_step(st) == SQLITE_ROW){
    int task = sqlite3_column_int(st, 0);
    long n = sqlite3_column_int64(st, 1);
    if(n == 0)
      continue;
    warning("task %d of job array %s ended with %ld job%s of its shard without a result "
            "(cancelled, timed out, preempted or failed: see %s/slurm-%s_%d.out)",
            task, f->job, n, n == 1 ? "" : "s", f->dir, f->job, task);
    left += n;
  }
  sqlite3_finalize(st);
  return left;
}

// Mark array f ended now.
static void
end_array(sqlite3 *db, const struct inflight *f)
{
  sqlite3_stmt *st = db_prepare(db, "UPDATE slurm_arrays SET ended = ?2 WHERE id = ?1");
  char now[21];

  iso_now(now);
  db_bind_int(st, 1, f->id);
  db_bind_text(st, 2, now);
  if(db_step(st) == SQLITE_BUSY)
    fatal("database is locked by another process");
  sqlite3_finalize(st);
}

static void
inflight_free(struct inflight *f)
{
  free(f->job);
  free(f->dir);
  free(f->live);
}

// The arrays of campaign not yet ended, asked about; those with no task
// left are merged and ended. Returns how many are in flight, in *out.
static int
settle(sqlite3 *db, int64_t campaign, struct merge_stats *ms, struct inflight **out)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT id, slurm_job, dir, tasks FROM slurm_arrays WHERE campaign = ?1"
    " AND ended IS NULL ORDER BY id");
  struct inflight *f = NULL;
  int n = 0, kept = 0;

  db_bind_int(st, 1, campaign);
  while(db_step(st) == SQLITE_ROW){
    f = xrealloc(f, (size_t)(n + 1) * sizeof(*f));
    memset(&f[n], 0, sizeof(f[n]));
    f[n].id = sqlite3_column_int64(st, 0);
    f[n].job = db_col_text(st, 1);
    f[n].dir = db_col_text(st, 2);
    f[n].tasks = sqlite3_column_int(st, 3);
    f[n].live = xcalloc((size_t)f[n].tasks, 1);
    n++;
  }
  sqlite3_finalize(st);
  for(int i = 0; i < n; i++){
    char *why = NULL;
    int alive = 0;
    if(f[i].job && slurm_live(f[i].job, f[i].live, f[i].tasks, &f[i].sl, &why) < 0)
      fatal("cannot ask squeue about job array %s of this campaign: %s; try again when "
            "Slurm answers", f[i].job, why);
    alive = f[i].job && f[i].sl.pending + f[i].sl.running + f[i].sl.other > 0;
    if(alive){
      f[kept++] = f[i];
      continue;
    }
    merge_recorded(db, campaign, 1, ms);
    if(f[i].job)
      report_left(db, &f[i]);
    end_array(db, &f[i]);
    inflight_free(&f[i]);
  }
  *out = f;
  return kept;
}

// The live shards of fl[0..n) into the temporary table live_shards.
static void
mark_live(sqlite3 *db, const struct inflight *fl, int n)
{
  sqlite3_stmt *st;

  db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS live_shards (id INTEGER PRIMARY KEY)");
  db_exec(db, "DELETE FROM temp.live_shards");
  st = db_prepare(db, "INSERT INTO temp.live_shards SELECT id FROM shards"
                      " WHERE array = ?1 AND task = ?2");
  for(int i = 0; i < n; i++)
    for(int t = 0; t < fl[i].tasks; t++)
      if(fl[i].live[t]){
        sqlite3_reset(st);
        db_bind_int(st, 1, fl[i].id);
        db_bind_int(st, 2, t);
        db_step(st);
      }
  sqlite3_finalize(st);
}

// The queued jobs of campaign that no live shard holds, in *jobs (freed
// by the caller); returns how many.
static int
to_submit(sqlite3 *db, int64_t campaign, int64_t **jobs)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT j.id FROM jobs j WHERE j.campaign = ?1 AND j.state = 'queued'"
    " AND NOT EXISTS (SELECT 1 FROM shard_jobs sj JOIN temp.live_shards l"
    "                 ON l.id = sj.shard WHERE sj.job = j.id)"
    " ORDER BY j.id");
  int n = 0;

  *jobs = NULL;
  db_bind_int(st, 1, campaign);
  while(db_step(st) == SQLITE_ROW){
    *jobs = xrealloc(*jobs, (size_t)(n + 1) * sizeof(**jobs));
    (*jobs)[n++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return n;
}

// Follow the arrays fl[0..*n) until none has a task left or stop is set;
// ended ones are merged, reported and removed from fl.
static void
follow(sqlite3 *db, int64_t campaign, struct inflight *fl, int *n, struct merge_stats *ms)
{
  int64_t last_merge = now_ms(), last_ask = 0;   // ask at once
  struct progress prog;
  struct counts c;

  for(int i = 0; i < *n; i++)
    printf("following job array %s (squeue -j %s); Ctrl-C stops following, not the "
           "array\n", fl[i].job, fl[i].job);
  counts_get(db, campaign, &c);
  progress_start(&prog, stdout, &c);
  while(*n > 0 && !stop){
    int64_t t = now_ms();
    int running = 0, pending = 0;

    if(t - last_merge >= MERGE_MS){
      merge_recorded(db, campaign, 0, ms);
      last_merge = t;
    }
    if(t - last_ask >= ASK_MS){
      for(int i = 0; i < *n; ){
        if(ask(&fl[i])){
          i++;
          continue;
        }
        merge_recorded(db, campaign, 1, ms);
        report_left(db, &fl[i]);
        end_array(db, &fl[i]);
        inflight_free(&fl[i]);
        fl[i] = fl[--*n];
      }
      last_ask = t;
    }
    for(int i = 0; i < *n; i++){
      running += fl[i].sl.running;
      pending += fl[i].sl.pending + fl[i].sl.other;
    }
    if(*n > 0)
      snprintf(prog.note, sizeof(prog.note), "slurm: %d running, %d pending", running,
               pending);
    else
      prog.note[0] = '\0';
    counts_get(db, campaign, &c);
    progress_show(&prog, &c);
    if(*n > 0 && !stop)
      usleep(TICK_MS * 1000);
  }
  counts_get(db, campaign, &c);
  progress_end(&prog, &c);
}

// Returns how it ended; see array.h.
enum array_end
array_run(const struct array_opts *o, const char *dbpath, int64_t campaign,
          const struct runenv *env, long lease_ttl, const struct campaign_inputs *in,
          const struct campaign_ids *ids)
{
  struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term;
  struct merge_stats ms = {0};
  struct inflight *fl;
  struct counts c;
  int64_t *jobs;
  int nfl, njobs;
  enum array_end end;
  sqlite3 *db = db_open(dbpath);

  nfl = settle(db, campaign, &ms, &fl);
  merge_recorded(db, campaign, 0, &ms);
  mark_live(db, fl, nfl);
  njobs = to_submit(db, campaign, &jobs);
  if(nfl > 0){
    long held = 0;
    counts_get(db, campaign, &c);
    held = c.total - c.done - njobs;
    printf("%d job array%s of this campaign still in Slurm, holding %ld job%s\n", nfl,
           nfl == 1 ? "" : "s", held, held == 1 ? "" : "s");
  }
  if(njobs > 0){
    char *cdir = campaign_dir(o, dbpath, ids);
    struct snapshot staged;

    stage(cdir, env, in, ids, &staged);
    fl = xrealloc(fl, (size_t)(nfl + 1) * sizeof(*fl));
    fl[nfl++] = submit(db, campaign, o, env, lease_ttl, cdir, &staged, jobs, njobs);
    snapshot_remove(&staged);
    free(cdir);
  }
  free(jobs);

  if(o->no_wait){
    if(nfl > 0)
      printf("not following (--no-wait): run the same command again to follow and "
             "merge, or ev6-campaign --merge\n");
  } else if(nfl > 0){
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    follow(db, campaign, fl, &nfl, &ms);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
  }
  if(ms.runs || ms.skipped)
    printf("merged %d run%s of %d job%s from shards%s\n", ms.runs, ms.runs == 1 ? "" : "s",
           ms.jobs, ms.jobs == 1 ? "" : "s",
           ms.skipped ? "; runs of jobs that had a result already were left out" : "");
  counts_get(db, campaign, &c);
  if(stop && nfl > 0){
    for(int i = 0; i < nfl; i++)
      warning("stopped following job array %s, which runs on: run the same command "
              "again to follow and merge it, or scancel %s", fl[i].job, fl[i].job);
    end = ARRAY_INTERRUPTED;
  } else if(merge_refused(db, campaign) > 0)
    end = ARRAY_REFUSED;
  else if(o->no_wait && nfl > 0)
    end = ARRAY_SUBMITTED;
  else if(c.done < c.total)
    end = ARRAY_LEFT;
  else
    end = ARRAY_DONE;
  for(int i = 0; i < nfl; i++)
    inflight_free(&fl[i]);
  free(fl);
  db_close(db);
  return end;
}
