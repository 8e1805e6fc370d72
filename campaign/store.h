// store.h - record one run: the runs row, GDB's injection lines, the ev6:
// events, the per-test results and the logs, and the job's new state, all
// in one transaction, so a killed orchestrator leaves either the whole run
// or none of it.
#ifndef CAMPAIGN_STORE_H
#define CAMPAIGN_STORE_H

#include <sqlite3.h>
#include <sys/types.h>

#include "campaign/classify.h"
#include "campaign/jobs.h"
#include "campaign/runner.h"

// Store the run of job j that worker made. replay_of is the run being
// replayed, or 0 for an ordinary run, which also finishes the job (or
// queues it again after a harness-error while attempts remain). Returns
// the new run's id.
int64_t store_run(sqlite3 *db, const struct job *j, const struct runresult *rr,
                  const struct verdict *v, pid_t worker, int64_t replay_of);

#endif
