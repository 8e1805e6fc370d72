// workers.c - the worker processes and the parent that watches them (see
// workers.h).
//
// Signals: workers stop on SIGTERM/SIGINT (their run is abandoned and its
// job re-queued) and get SIGTERM when the parent dies, however it dies.
// The parent forwards SIGINT/SIGTERM to them once and waits.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/classify.h"
#include "campaign/db.h"
#include "campaign/progress.h"
#include "campaign/rundir.h"
#include "campaign/spawn.h"
#include "campaign/store.h"
#include "campaign/workers.h"

#define TICK_MS          500    // progress refresh
#define REQUEUE_EVERY_MS 60000  // look for stale leases of other processes

static volatile sig_atomic_t stop;

// SIGINT/SIGTERM: finish up and stop.
static void
on_stop(int sig)
{
  (void)sig;
  stop = 1;
}

// Install on_stop for SIGINT and SIGTERM; ignore SIGPIPE.
static void
catch_stop_signals(void)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);     // no SA_RESTART: sleeps end early
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

// Classifies and stores rr; returns the run id, *outcome a static string.
int64_t
worker_record(sqlite3 *db, const struct job *j, const struct runresult *rr,
              pid_t pid, int64_t replay_of, const char **outcome)
{
  struct verdict v;

  classify(&rr->ev, &v);
  if(outcome)
    *outcome = v.outcome;
  return store_run(db, j, rr, &v, pid, replay_of);
}

// A worker process: lease, run, record, until nothing is queued.
static _Noreturn void
worker_main(const char *dbpath, int64_t campaign, const struct runenv *env0, pid_t parent)
{
  struct runenv env = *env0;
  sqlite3 *db;
  struct job j;
  struct runresult rr;

  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if(getppid() != parent)
    _exit(0);
  catch_stop_signals();
  env.stop = &stop;
  db = db_open(dbpath);
  while(!stop && jobs_lease(db, campaign, getpid(), &j)){
    run_job(&env, &j, &rr);
    // A run that ended after the stop request is not evidence: the same
    // signal may have reached QEMU and GDB (Slurm signals every process
    // of a task it cancels).
    if(rr.aborted || stop)
      jobs_unlease(db, j.id);
    else
      worker_record(db, &j, &rr, getpid(), 0, NULL);
    runresult_free(&rr);
    job_free(&j);
  }
  db_close(db);
  exit(0);
}

// Record a harness-error run for the job a dead worker held, or, while
// the pool is stopping (the signal that stops it may have killed the
// worker too), put the job back.
static void
bury(sqlite3 *db, int64_t campaign, pid_t pid, int status)
{
  int64_t id = jobs_held_by(db, campaign, pid);
  struct runresult rr;
  struct job j;

  rundir_sweep(pid);
  if(id && stop){
    jobs_unlease(db, id);
    return;
  }
  if(id == 0 || jobs_load(db, id, &j) < 0)
    return;
  memset(&rr, 0, sizeof(rr));
  rr.ev.workload_at = rr.ev.survival_at = NOPOS;
  rr.ev.fsck_status = -1;
  rr.boot_ms = rr.reach_ms = rr.recovery_ms = rr.survival_ms = -1;
  rr.gdb_status = -1;
  iso_now(rr.started);
  snprintf(rr.harness, sizeof(rr.harness), "worker %d died (%s) during this run",
           (int)pid, status_text(status));
  rr.ev.harness_error = rr.harness;
  rr.ev.console = "";
  worker_record(db, &j, &rr, pid, 0, NULL);
  job_free(&j);
}

// Fork one worker. The parent's connection must be closed (see fork_all).
static pid_t
start_worker(const char *dbpath, int64_t campaign, const struct runenv *env)
{
  pid_t parent = getpid(), pid;

  fflush(NULL);
  pid = fork();
  if(pid < 0)
    fatal("fork: %s", strerror(errno));
  if(pid == 0)
    worker_main(dbpath, campaign, env, parent);
  return pid;
}

// Returns how the pool ended; everything it allocates is freed here.
enum pool_end
pool_run(const char *dbpath, int64_t campaign, const struct runenv *env,
         int nworkers, long lease_ttl_s, pool_tick tick, void *arg)
{
  pid_t *pids = xcalloc((size_t)nworkers, sizeof(pid_t));
  int alive = 0, restarts = 0, failed = 0, forwarded = 0, i;
  int64_t last_requeue = now_ms();
  struct progress prog;
  struct counts c;
  sqlite3 *db;
  long queued;

  catch_stop_signals();
  db = db_open(dbpath);
  counts_get(db, campaign, &c);
  queued = c.total - c.done;
  progress_start(&prog, stdout, &c);
  db_close(db);                  // no connection may cross a fork
  for(i = 0; i < nworkers && i < queued; i++){
    pids[i] = start_worker(dbpath, campaign, env);
    alive++;
  }
  db = db_open(dbpath);
  progress_show(&prog, &c);

  while(alive > 0){
    int status;
    pid_t pid;

    if(stop && !forwarded){
      for(i = 0; i < nworkers; i++)
        if(pids[i] > 0)
          kill(pids[i], SIGTERM);
      forwarded = 1;
    }
    while((pid = waitpid(-1, &status, WNOHANG)) > 0){
      for(i = 0; i < nworkers && pids[i] != pid; i++)
        ;
      if(i == nworkers)
        continue;             // not a worker
      pids[i] = 0;
      alive--;
      if(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        continue;
      if(WIFEXITED(status)){
        // it printed why; stop the others
        failed = 1;
        stop = 1;
        continue;
      }
      bury(db, campaign, pid, status);
      counts_get(db, campaign, &c);
      if(!stop && c.done < c.total && restarts < 3 * nworkers){
        restarts++;
        db_close(db);
        pids[i] = start_worker(dbpath, campaign, env);
        alive++;
        db = db_open(dbpath);
      }
    }
    if(now_ms() - last_requeue > REQUEUE_EVERY_MS){
      jobs_requeue_stale(db, campaign, lease_ttl_s);
      last_requeue = now_ms();
    }
    counts_get(db, campaign, &c);
    progress_show(&prog, &c);
    if(tick)
      tick(db, arg);
    if(alive > 0)
      usleep(TICK_MS * 1000);
  }
  counts_get(db, campaign, &c);
  progress_end(&prog, &c);
  db_close(db);
  free(pids);
  if(failed)
    return POOL_FAILED;
  return stop ? POOL_INTERRUPTED : POOL_DONE;
}
