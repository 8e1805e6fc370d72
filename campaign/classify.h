// classify.h - decide a run's outcome from its evidence: the console
// transcript, what the runner saw of QEMU, GDB and fsck. A pure function:
// the same evidence always gives the same verdict, so recorded runs can be
// re-classified and the rules unit-tested. The rules are those of the
// runs table's comment in db/schema.sql.
#ifndef CAMPAIGN_CLASSIFY_H
#define CAMPAIGN_CLASSIFY_H

#include <stddef.h>

#define NOPOS ((size_t)-1)

// The phases of a run, each with its own timeout.
enum phase { PHASE_NONE, PHASE_BOOT, PHASE_REACH, PHASE_RECOVERY, PHASE_SURVIVAL, NPHASES };
extern const char *const phase_names[NPHASES];   // NULL, "boot", "reach", ...

struct evidence {
  const char *console;        // the whole transcript
  size_t console_len;
  size_t workload_at;         // offset where the workload was typed, or NOPOS
  size_t survival_at;         // offset where the survival check was typed, or NOPOS
  int injected;               // GDB reported an injection
  const char *harness_error;  // the runner could not do its part: why; or NULL
  enum phase timed_out;       // the phase whose timeout expired, or PHASE_NONE
  long timeout_s;             //   and that timeout
  int qemu_exited;            // QEMU ended by itself
  int qemu_status;            //   with this exit status
  int qemu_signal;            //   or was killed by this signal (not ours), else 0
  int poweroff_failed;        // after `poweroff' the shell prompted again: the
                              //   guest could not stop; the runner stopped it
  int fsck_status;            // fsck -r on the disk afterwards, or -1
  const char *results;        // the lines GDB appended to $EV6_RESULT, or NULL
};

struct verdict {
  const char *outcome;        // one of the runs.outcome values
  const char *exit;           // "SF", "PK", "FS", "none", or NULL (no ev6: line)
  int survived;               // 0 or 1 (see db/schema.sql)
  int check;                  // survival check: 1 passed, 0 failed, -1 no verdict
  const char *hang_phase;     // phase_names[timed_out], or NULL
  char detail[300];           // a sentence saying why, or ""
};

// Fill v from ev. Static strings only; nothing to free.
void classify(const struct evidence *ev, struct verdict *v);

#endif
