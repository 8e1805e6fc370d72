// progress.h - show how far a campaign is. On a terminal: one line,
// rewritten in place,
//   [done/total] SF=.. PK=.. FS=.. survived=.. other=.. ETA mm:ss
// Otherwise (CI logs): the same line, printed whenever another tenth of
// the jobs is done, and at the end. A note may follow the line.
#ifndef CAMPAIGN_PROGRESS_H
#define CAMPAIGN_PROGRESS_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

// Job counts of a campaign; the outcome counts are of done jobs.
struct counts {
  long total, done;
  long sf, pk, fs, survived, other, harness;
};

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

// Format a progress line into buf (no newline). eta_s < 0: unknown.
void progress_format(char *buf, size_t n, const struct counts *c, long eta_s);

void progress_start(struct progress *p, FILE *out, const struct counts *c);
void progress_show(struct progress *p, const struct counts *c);
// Print the final line (and end the tty line).
void progress_end(struct progress *p, const struct counts *c);

#endif
