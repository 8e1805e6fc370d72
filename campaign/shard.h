// shard.h - shard databases: one Slurm array task's slice of a campaign's
// jobs in a database of its own (db/schema.sql, "Slurm"), and the task
// that runs it.
//
// A shard has the campaign schema. It holds copies of one campaign's row,
// its scenarios and the jobs of the slice, with the ids they have in the
// campaign database, and one shard_info row: its uid, task number, the
// staged inputs and how to run them. It lives in the array's directory,
// on a file system that the orchestrator and the cluster's nodes share,
// and is only ever replaced whole, never written in place: the task works
// on a copy in its node's $TMPDIR (WAL, as any campaign database) and
// publishes it (VACUUM INTO a temporary name beside it, fsync, rename)
// after each run it records and when it stops. So no two hosts write one
// file, and a reader anywhere opens a published shard immutable, without
// locks, and sees a consistent database: every run recorded up to the
// last publication. What a task loses when it is killed outright
// (SIGKILL, a node crash) is at most the runs of its last half second;
// on SIGTERM (scancel, a time limit, preemption) it stops its runs,
// which leaves their jobs without a result, and publishes first.
#ifndef CAMPAIGN_SHARD_H
#define CAMPAIGN_SHARD_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "campaign/classify.h"

// How a task runs its shard.
struct shard_spec {
  int task;                     // SLURM_ARRAY_TASK_ID
  const char *kernel;           // the staged inputs, absolute paths
  const char *fs_image;
  const char *gdb_script;
  const char *fsck;
  long timeout[NPHASES];        // seconds, per phase
  int workers;
  long lease_ttl;               // seconds (workers.h)
};

// Write the shard `path` for jobs[0..n) of campaign in db, and record it
// in db (shards, shard_jobs) as task spec->task of array. Runs inside the
// caller's transaction on db; exits if it cannot. Returns the shards row.
int64_t shard_create(sqlite3 *db, int64_t campaign, int64_t array, const int64_t *jobs,
                     int n, const struct shard_spec *spec, const char *path);

// Record shard uid (file path, njobs jobs) in db's shards table, as task
// of array (0: none, a shard merged from a file). Returns the row.
int64_t shard_record(sqlite3 *db, const char *uid, int64_t campaign, int64_t array,
                     int task, const char *path, int64_t njobs);

// Publish db's main database as path (see above). Returns 0, or -1 with
// the reason in why[n].
int shard_publish(sqlite3 *db, const char *path, char *why, size_t n);

// Open the published shard path read-only and without locks. Returns the
// handle (sqlite3_close it), or NULL with the reason in why[n]: it cannot
// be read, is no SQLite database, or is no shard.
sqlite3 *shard_open(const char *path, char *why, size_t n);

// The array task's command (ev6-campaign --shard-task PATH): check the
// staged inputs against the campaign's digests, run the shard's queued
// jobs with its workers, publish as it goes. Returns the exit status: 0
// when every job of the shard has a result.
int shard_task(const char *path);

#endif
