// classify.h - decide a run's outcome from its evidence: the console
// transcript, GDB's result lines and exit, what the runner saw of QEMU,
// and fsck. A pure function: the same evidence always gives the same
// verdict, so recorded runs can be re-classified and the rules unit-tested.
// The rules are those of the runs table's comment in db/schema.sql; the
// links of the evidence chain are its run_evidence table's.
#ifndef CAMPAIGN_CLASSIFY_H
#define CAMPAIGN_CLASSIFY_H

#include <stddef.h>

#include "campaign/console.h"
#include "campaign/results.h"

#define NOPOS ((size_t)-1)

// The phases of a run, each with its own timeout.
enum phase { PHASE_NONE, PHASE_BOOT, PHASE_REACH, PHASE_RECOVERY, PHASE_SURVIVAL, NPHASES };
extern const char *const phase_names[NPHASES];   // NULL, "boot", "reach", ...

// The links of a run's evidence chain, in the order a run forms them;
// link_names[] are run_evidence.link's values. The first five prove the
// error reached the kernel as planned: one broken makes the run a
// harness error. The rest are the survival check.
enum link {
  LINK_RESOLVED,        // the target lay inside an object of the scenario's type
  LINK_LANDED,          // the bytes changed
  LINK_DELIVERED,       // the hart took the trap with the cause and address GDB wrote
  LINK_REPORTED,        // the kernel's ev6: line named that object and address
  LINK_GDB_EXIT,        // GDB exited by itself, with status 0
  LINK_AUDIT_WORKLOAD,  // the self-audit after the workload passed
  LINK_TESTS,           // the survival tests passed
  LINK_AUDIT_TESTS,     // the self-audit after them passed
  LINK_POWEROFF,        // the guest powered off by itself
  LINK_FSCK,            // fsck found the disk clean
  NLINKS
};
extern const char *const link_names[NLINKS];

enum link_state { LINK_ABSENT, LINK_OK, LINK_BROKEN };
extern const char *const link_state_names[3];   // "absent", "ok", "broken"

struct link_row {
  int error;                  // 1.. for one delivered error's links, 0 for the run
  enum link link;
  enum link_state state;
  char detail[160];
};
#define MAX_LINKS (MAX_ERRORS * 4 + 6)

struct evidence {
  const char *console;        // the whole transcript
  size_t console_len;
  size_t workload_at;         // offset where the workload was typed, or NOPOS
  size_t survival_at;         // offset where the survival check was typed, or NOPOS
  int injected;               // GDB reported an injection
  const char *harness_error;  // the runner could not do its part: why; or NULL
  enum phase timed_out;       // the phase whose timeout expired, or PHASE_NONE
  long timeout_s;             //   and that timeout
  long silent_s;              // > 0: it was judged early, the console having
                              //   been silent this long after the error
  int qemu_exited;            // QEMU ended by itself
  int qemu_status;            //   with this exit status
  int qemu_signal;            //   or was killed by this signal (not ours), else 0
  int poweroff_failed;        // after `poweroff' the shell prompted again: the
                              //   guest could not stop; the runner stopped it
  int fsck_status;            // fsck -r on the disk afterwards, or -1
  const char *results;        // the lines GDB appended to $EV6_RESULT, or NULL
  int gdb_status;             // GDB's exit status; -1 if the runner killed it,
                              //   128 + N if a signal N ended it
  const char *hang;           // a hang's snapshot of the guest (its first line
                              //   sums it up), or NULL; never changes the verdict
};

struct verdict {
  const char *outcome;        // one of outcome_classes (db/schema.sql)
  const char *exit;           // "SF", "PK", "FS", "none", or NULL (no ev6: line)
  int survived;               // 0 or 1 (see db/schema.sql)
  int check;                  // survival tests: 1 passed, 0 failed, -1 no verdict
  const char *hang_phase;     // phase_names[timed_out], or NULL
  char detail[300];           // a sentence saying why, or ""
  struct link_row links[MAX_LINKS];
  int nlinks;
  int driver_run;             // GDB's line names a driver fault (kind = driver)
  int has_drv;                //   and the kernel printed a drv: event= line
  struct drv_line drv;        //   after the workload started: the first one
};

// Every outcome classify() gives (NULL-terminated): outcome_classes rows.
extern const char *const outcome_names[];

// Fill v from ev. Static strings only; nothing to free.
void classify(const struct evidence *ev, struct verdict *v);

// Does GDB's line d by itself break a link of its error's evidence chain
// (resolved, landed, or delivered with the guest still running: the trap
// was not seen), so that classify() makes the run a harness-error whatever
// the kernel prints later? The runner then ends the run at once.
int gdb_line_broken(const struct delivered *d);

#endif
