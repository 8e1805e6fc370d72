// config.h - scenarios read from the campaign's INI files (configs/*.ini).
//
// Each [section] is one scenario; the keys are listed, with their ranges,
// in config.c and in the header comment of configs/table2.ini. Loading is
// strict: every problem is reported as "file:line: message" and the caller
// refuses to run anything.
#ifndef CAMPAIGN_CONFIG_H
#define CAMPAIGN_CONFIG_H

#include <stdio.h>

// Recovery modes, as bits of scenario.modes; mode_names[i] is bit 1<<i.
#define MODE_CONSERVATIVE 1
#define MODE_AGGRESSIVE   2
#define NMODES            2
extern const char *const mode_names[NMODES];   // "conservative", "aggressive"

// One scenario. Every string is owned by the scenario (config_free).
struct scenario {
  char *file;             // the config file, as named on the command line
  int line;               // line of its [section] header
  char *name;             // the section name
  char *object;           // object type (one of vocab.h's object_names)
  char *site;             // kernel function where the error is injected
  int site_line;          // line of the site key, for later messages
  long hit;               // inject on this hit of the site (1 = first)
  char *target;           // BASE, SELECTOR or BASE;SELECTOR (target.h)
  int target_line;        // line of the target key (0: the default)
  char *corrupt;          // pattern: flip | zero | ones | random
  long corrupt_n;         // flip: bits flipped in one 8-byte word; else bytes
  int has_seed;           // seed given; otherwise the campaign's seed
  long seed;
  char *delivery;         // breakpoint | access | scrub
  char *workload;         // command line typed at the guest's shell
  int workload_line;      // line of the workload key
  int modes;              // MODE_* bits
  long repeat;            // repetitions per mode
  long cpus;              // harts
  long harts_at_once;     // harts that hit the site together (Table 3)
  char *second_object;    // a second error: object type, or NULL
  char *second_site;      //   and its site, or NULL
  char *during_recovery;  // object hit while the first error is recovered, or NULL
  char *during_hart;      //   on which hart: recoverer, follower or other
  char *recovery_site;    //   the recovery-path function the recoverer is held at
  char *during_site;      //   for other: where another hart touches the object
  char *paper[NMODES];    // the paper's result per mode ("SF", "PK|FS"), or NULL:
                          //   not a key; paper_apply() fills it from
                          //   reports/paper.tsv (paper.h)
  char *table;            // "2", "3" or "smoke" (the table key)
  char *note;             // free text, or NULL
  char *icount;           // QEMU's -icount argument (shift=4,sleep=off), or NULL:
                          //   the guest's clock is the host's
  // kind = driver: fail a driver task instead of damaging an object
  // (configs/drivers.ini); the strings are NULL for an object scenario.
  int driver_kind;        // kind = driver
  char *driver;           // the task's name (disk)
  char *fault;            // a DRV_FAULTS name of kernel/drvctl.h
  char *detector;         // kernel | heartbeat
  char *expect_detect;    // hang | heartbeat | crash: the restart's reason
  char *expect_restart;   // software | reinit
};

// The values of the driver keys (NULL-terminated).
extern const char *const driver_faults[], *const driver_detectors[],
                  *const driver_detects[], *const driver_restarts[];

struct config {
  struct scenario *sc;    // [n], in file order
  int n;
};

// The values of during_hart (NULL-terminated), and the recovery-path
// function the recoverer is held at when recovery_site is not given.
extern const char *const during_harts[];
#define DEFAULT_RECOVERY_SITE "ev6_history_walk"

// The site that is no kernel function: a hart running the target's process
// in user mode (target user[...], campaign/target.h).
#define USER_SITE "user"

// Parse path and append its scenarios to cfg. Every problem is printed to
// errs as "path:line: message". Returns the number of problems (0 = ok).
int config_load(struct config *cfg, const char *path, FILE *errs);

// Does the scenario raise more than one error (Table 3)?
int multi_error(const struct scenario *s);

// --delivery (breakpoint or access): deliver every scenario's errors this
// way. With access, the scenarios that stop a hart in user mode (which need
// a breakpoint) are removed from cfg, each named on errs.
void config_set_delivery(struct config *cfg, const char *delivery, FILE *errs);

// Free one scenario's strings and zero it.
void scenario_free(struct scenario *s);

// Free every scenario and reset cfg to empty.
void config_free(struct config *cfg);

// The first word of a workload (its program name). Returns a string the
// caller frees.
char *workload_program(const char *workload);

// Every program a shell line runs (see config.c), for the preflight.
char **workload_programs(const char *line);

#endif
