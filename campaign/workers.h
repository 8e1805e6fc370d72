// workers.h - run a campaign's queued jobs in N worker processes.
//
// Each worker is a forked process with its own database connection: it
// leases a job, runs it (runner.c), classifies it (classify.c) and stores
// it (store.c), until the queue is empty. The parent shows progress, and
// turns a worker that dies (a crash, a kill) into a harness-error run of
// the job it held, then starts a replacement. A worker that hits a fatal
// error (the database) stops the whole pool. SIGINT or SIGTERM stops the
// workers, which put their unfinished jobs back in the queue.
#ifndef CAMPAIGN_WORKERS_H
#define CAMPAIGN_WORKERS_H

#include <sqlite3.h>
#include <stdint.h>
#include <sys/types.h>

#include "campaign/runner.h"

// How the pool ended.
enum pool_end { POOL_DONE, POOL_INTERRUPTED, POOL_FAILED };

// Called by the parent on every refresh (twice a second) with its
// connection; a Slurm task publishes its shard from here (shard.h).
typedef void (*pool_tick)(sqlite3 *db, void *arg);

// Run the queued jobs of campaign with up to nworkers workers, showing
// progress on stdout, calling tick(db, arg) if not NULL. The parent's own
// connection is closed while it forks; dbpath is reopened as needed.
enum pool_end pool_run(const char *dbpath, int64_t campaign,
                       const struct runenv *env, int nworkers, long lease_ttl_s,
                       pool_tick tick, void *arg);

// The worker side, also used by --replay's single run: classify and store
// rr for job j as run by pid (replay_of: see store_run). Returns the run id.
struct job;
int64_t worker_record(sqlite3 *db, const struct job *j, const struct runresult *rr,
                      pid_t pid, int64_t replay_of, const char **outcome);

#endif
