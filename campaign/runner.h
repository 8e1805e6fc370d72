// runner.h - carry out one run of a job, as campaign/README.md describes:
// a copy of fs.img as its disk, QEMU halted with its console on pipes and
// a gdbstub on a private unix socket, GDB with the job file, the workload and survival
// check typed at the shell, a watchdog per phase, fsck of the disk, and
// every process killed and temporary file removed at the end.
//
// The runner gathers evidence; it does not judge (classify.c does) and
// does not touch the database (store.c does).
#ifndef CAMPAIGN_RUNNER_H
#define CAMPAIGN_RUNNER_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "campaign/classify.h"
#include "campaign/jobs.h"
#include "campaign/util.h"

// The survival check typed after the workload, as one shell line: the
// kernel's self-audit, the tests, the self-audit again (db/schema.sql,
// runs). --full-survival runs every usertest.
#define SURVIVAL_QUICK "audit; usertests -q; audit"
#define SURVIVAL_FULL  "audit; usertests; audit"

// What every run of a campaign shares.
struct runenv {
  const char *kernel;           // absolute path of the kernel ELF
  const char *fs_image;         // absolute path of fs.img
  const char *fsck;             // mkfs/fsck
  const char *gdb_script;       // campaign/gdbscripts/ev6inject.py
  const char *survival;         // SURVIVAL_QUICK or SURVIVAL_FULL
  long timeout[NPHASES];        // seconds, per phase
  int echo;                     // copy the console to stdout (--replay)
  volatile sig_atomic_t *stop;  // set asynchronously: abandon the run
};

// Everything one run leaves behind. Strings are owned (runresult_free).
struct runresult {
  struct evidence ev;           // ev.console points into console
  struct strbuf console;        // QEMU's output
  struct strbuf gdblog;         // GDB's output
  struct strbuf fscklog;        // fsck's report
  struct strbuf results;        // the lines GDB appended to $EV6_RESULT
  struct strbuf hang;           // a hung guest's state, taken before QEMU was
                                // killed (gdbscripts/forensics.py), or empty
  char harness[300];            // storage for ev.harness_error
  int gdb_status;               // wait status, or -1 if we killed GDB
  int64_t boot_ms, reach_ms, recovery_ms, survival_ms, total_ms;  // -1: n/a
  char started[21];             // UTC start time
  int aborted;                  // *stop was set: no result, put the job back
};

// Run job j. Always fills *rr (a failure of the harness itself becomes
// rr->ev.harness_error). The caller frees it with runresult_free().
void run_job(const struct runenv *env, const struct job *j, struct runresult *rr);
void runresult_free(struct runresult *rr);


#endif
