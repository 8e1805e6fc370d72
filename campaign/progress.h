// progress.h - show how far a campaign is. On a terminal: one line,
// rewritten in place,
//   [done/total] survived=.. SF=.. PK=.. FS=.. [CLASS=.. ...] ETA mm:ss
// survived counts the runs that passed the survival check (whatever
// their exit); then the runs of each outcome class: SF, PK and FS always,
// every other class of outcome_classes once it has a run. Otherwise (CI
// logs): the same line, printed whenever another tenth of the jobs is
// done, and at the end. A note may follow the line.
#ifndef CAMPAIGN_PROGRESS_H
#define CAMPAIGN_PROGRESS_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_CLASSES 16

// Job counts of a campaign; the outcome counts are of done jobs.
struct counts {
  long total, done;
  long survived;              // done jobs whose run survived
  long harness;               // of them harness-error
  int nclass;                 // outcome classes, in their rank order:
  struct {
    char name[24];
    long runs;
  } cls[MAX_CLASSES];
};

// The runs of outcome class name in c (0 if none).
long counts_of(const struct counts *c, const char *name);

struct progress {
  FILE *out;
  int tty;                  // rewrite one line
  int64_t t_start;          // when this invocation started running jobs
  long done_at_start;
  int last_tenth;           // last tenth printed (not a tty)
  int shown;                // something is on the tty line
  char note[80];            // shown after the line when set, e.g. the
                            // Slurm tasks running and pending (array.c)
};

// Count the jobs of campaign.
void counts_get(sqlite3 *db, int64_t campaign, struct counts *c);

// Format a progress line into buf (no newline). eta_s: seconds left; -1
// unknown ("--:--"); NO_ETA: leave the ETA out (the final summary).
#define NO_ETA (-2)
void progress_format(char *buf, size_t n, const struct counts *c, long eta_s);

void progress_start(struct progress *p, FILE *out, const struct counts *c);
void progress_show(struct progress *p, const struct counts *c);
// Print the final line (and end the tty line).
void progress_end(struct progress *p, const struct counts *c);

#endif
