// replay.c - re-run one recorded run (see replay.h). The inputs are taken
// from the run's campaign row and their SHA-256s checked against it, so a
// replay can only run what produced the original. As a campaign does, it
// runs private copies of them (snapshot.h).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/db.h"
#include "campaign/replay.h"
#include "campaign/snapshot.h"
#include "campaign/sha256.h"
#include "campaign/workers.h"

// Exit unless copy, taken from path, has the digest path had at run.
static void
same_file(const char *copy, const char *want, const char *what, const char *path,
          int64_t run)
{
  char hex[65];

  if(sha256_file(copy, hex) < 0)
    fatal("cannot read %s %s: %s", what, path, strerror(errno));
  if(strcmp(hex, want) != 0)
    fatal("%s %s changed since run %lld (sha256 was %.12s..., now %.12s...): "
          "a replay would not be exact", what, path, (long long)run, want, hex);
}

// Returns the exit status; everything it allocates is freed here.
int
replay(sqlite3 *db, int64_t run, const struct runenv *env0)
{
  sqlite3_stmt *st = db_prepare(db,
    "SELECT r.job, r.outcome, r.attempt, c.kernel_path, c.kernel_sha256,"
    " c.fs_image_path, c.fs_image_sha256, c.gdb_script_path, c.survival_command"
    " FROM runs r JOIN jobs j ON j.id = r.job JOIN campaigns c ON c.id = j.campaign"
    " WHERE r.id = ?1");
  struct runenv env = *env0;
  struct runresult rr;
  struct job j;
  int64_t job, id;
  struct snapshot snap;
  char *was, *kernel, *fs, *script, *survival;
  const char *outcome;
  long attempt;

  db_bind_int(st, 1, run);
  if(db_step(st) != SQLITE_ROW)
    fatal("no run %lld in the database", (long long)run);
  job = sqlite3_column_int64(st, 0);
  was = db_col_text(st, 1);
  attempt = sqlite3_column_int64(st, 2);
  kernel = db_col_text(st, 3);
  fs = db_col_text(st, 5);
  script = db_col_text(st, 7);
  survival = db_col_text(st, 8);
  if(access(script, R_OK) != 0)
    fatal("GDB script %s: %s", script, strerror(errno));
  snapshot_take(&snap, kernel, fs, script);
  same_file(snap.kernel, (const char *)sqlite3_column_text(st, 4), "kernel", kernel, run);
  same_file(snap.fs_image, (const char *)sqlite3_column_text(st, 6), "file-system image",
            fs, run);
  sqlite3_finalize(st);

  if(jobs_load(db, job, &j) < 0)
    fatal("run %lld's job %lld is missing", (long long)run, (long long)job);
  j.attempt = attempt;
  env.kernel = snap.kernel;
  env.fs_image = snap.fs_image;
  env.gdb_script = snap.gdb_script;
  env.survival = survival;
  env.echo = 1;

  fprintf(stderr, "replaying run %lld: [%s] of %s, %s, repetition %ld, seed %ld\n",
          (long long)run, j.sc.name, j.sc.file, mode_names[j.mode], j.rep, j.seed);
  run_job(&env, &j, &rr);
  if(rr.aborted){
    fprintf(stderr, "\nreplay interrupted; nothing recorded\n");
    runresult_free(&rr);
    job_free(&j);
    return EXIT_RUNTIME;
  }
  id = worker_record(db, &j, &rr, getpid(), run, &outcome);
  fprintf(stderr, "\nreplay recorded as run %lld: %s (run %lld was %s)\n",
          (long long)id, outcome, (long long)run, was);
  runresult_free(&rr);
  job_free(&j);
  free(was); free(kernel); free(fs); free(script); free(survival);
  snapshot_remove(&snap);
  return strcmp(outcome, "harness-error") == 0 ? EXIT_HARNESS : EXIT_DONE;
}
