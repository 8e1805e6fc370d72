// array.h - the Slurm executor (ev6-campaign --executor slurm): a
// campaign's jobs without a result run as one Slurm job array, followed
// to its end, its shards merged as they come.
//
// Jobs are expanded as for the local executor (main.c); then:
//
// 1. Arrays submitted earlier for the campaign are asked about (squeue):
//    the jobs of a shard whose task is still pending or running stay
//    with it; an array with no task left is merged a last time and ended.
// 2. The inputs (kernel, fs.img, GDB scripts, configs, paper file) are
//    staged once per campaign in SHARDS/campaign-IDENT/inputs/ and checked
//    against the campaign's digests; every task checks them again.
// 3. The queued jobs no live task holds are dealt round-robin to at most
//    --tasks shards (shard.h), SHARDS/campaign-IDENT/array-N/task-T.db,
//    beside a copy of ev6-campaign and fsck and the batch script task.sh,
//    which runs `ev6-campaign --shard-task` on its task's shard; then one
//    `sbatch --array=0-(T-1)`.
// 4. Unless --no-wait: every few seconds the shards that changed are
//    merged (merge.h) and the progress line shows the campaign's counts
//    and the tasks squeue lists; when no task of an array is left, its
//    shards are merged a last time and each task that left jobs without
//    a result is named with its Slurm log. Ctrl-C stops the following,
//    not the array: running the same command again follows it on.
//
// A task killed or cancelled leaves its unfinished jobs queued here, so
// the same command submits exactly those again. A local run of the same
// campaign merges the recorded shards first (main.c), so the executors
// resume each other.
#ifndef CAMPAIGN_ARRAY_H
#define CAMPAIGN_ARRAY_H

#include <stdint.h>

#include "campaign/campaign.h"
#include "campaign/runner.h"

#define ARRAY_MAX_TASKS 100     // --tasks default

struct array_opts {
  const char *partition;        // NULL: the cluster's default
  const char *account;          // NULL: the user's default
  const char *time_limit;       // per task (sbatch --time); NULL: the partition's
  const char *shard_dir;        // NULL: DB.shards, beside the database
  long tasks;                   // most tasks in one array
  int workers;                  // per task, each --cpus-per-task
  int no_wait;                  // submit, do not follow
};

enum array_end {
  ARRAY_DONE,                   // every job has a result
  ARRAY_LEFT,                   // the arrays ended, some jobs have none
  ARRAY_SUBMITTED,              // --no-wait: submitted (or still running)
  ARRAY_INTERRUPTED,            // stopped following; the arrays run on
  ARRAY_REFUSED,                // a shard was refused (merge.h)
};

// What can be checked before anything is written: Slurm's commands are in
// PATH and its controller answers (else exit 1), the partition exists
// (else exit 2). Exits with a message naming the problem.
void array_preflight(const struct array_opts *o);

// Run campaign's jobs that have no result as a job array (see above),
// with env's inputs (private copies; staged from), in->configs and
// in->paper staged beside them, checked against ids.
enum array_end array_run(const struct array_opts *o, const char *dbpath, int64_t campaign,
                         const struct runenv *env, long lease_ttl,
                         const struct campaign_inputs *in, const struct campaign_ids *ids);

#endif
