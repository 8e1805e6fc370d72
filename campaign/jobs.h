// jobs.h - the job queue in the database: expanding scenarios into jobs,
// leasing one to a worker, giving leases of dead workers back, and the
// counts progress reports show.
//
// A job is one scenario x mode x repetition of a campaign. Its life:
// queued -> leased (one worker, its pid and the time) -> done (in the same
// transaction that stores its run; see store.c). A harness-error run sends
// the job back to queued while it has attempts left (MAX_ATTEMPTS).
#ifndef CAMPAIGN_JOBS_H
#define CAMPAIGN_JOBS_H

#include <sqlite3.h>
#include <stdint.h>
#include <sys/types.h>

#include "campaign/config.h"

#define MAX_ATTEMPTS 2

// One leased job, with its scenario as recorded in the database.
struct job {
  int64_t id;
  int64_t campaign;
  int mode;                 // index into mode_names
  long rep;
  long seed;
  long attempt;             // 1 for the first attempt
  struct scenario sc;       // owned: free with job_free()
};

// Insert the campaign's scenarios and their jobs, skipping those already
// there (so a rerun adds nothing; a constraint violation is still an
// error). config_sha[i] is the SHA-256 of scenario i's config file.
// Returns the number of jobs inserted. Runs inside the caller's transaction.
int jobs_expand(sqlite3 *db, int64_t campaign, const struct config *cfg,
                const char *const *config_sha, long campaign_seed);

// The seed of repetition rep of a scenario with seed base.
long job_seed(long base, long rep);

// Lease the next queued job of campaign for pid. Returns 1 and fills *j,
// 0 if none is queued.
int jobs_lease(sqlite3 *db, int64_t campaign, pid_t pid, struct job *j);

// Give back to the queue the leases of processes that are gone, or older
// than ttl_s seconds (-1: every lease; a Slurm task restarting on its
// shard, which nothing else runs). Returns how many.
int jobs_requeue_stale(sqlite3 *db, int64_t campaign, long ttl_s);

// Queue again the jobs whose latest run is a harness-error (a rerun
// retries them), resetting their attempts. Returns how many.
int jobs_retry_harness_errors(sqlite3 *db, int64_t campaign);

// Put a leased job back, unrun (the worker was stopped).
void jobs_unlease(sqlite3 *db, int64_t job);

// The job pid holds, or 0.
int64_t jobs_held_by(sqlite3 *db, int64_t campaign, pid_t pid);

// Load job id (any state) into *j, for --replay and for recording a dead
// worker's job. Returns 0, or -1 if there is no such job.
int jobs_load(sqlite3 *db, int64_t id, struct job *j);

void job_free(struct job *j);

#endif
