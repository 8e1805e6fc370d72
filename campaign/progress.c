// progress.c - the progress line (see progress.h). The ETA is the time per
// job finished by this invocation (all workers together) times the jobs
// left; before the first one finishes it is unknown ("--:--").
#include <string.h>
#include <unistd.h>

#include "campaign/db.h"
#include "campaign/progress.h"
#include "campaign/util.h"

// Fills *c from the database; nothing to free.
void
counts_get(sqlite3 *db, int64_t campaign, struct counts *c)
{
  sqlite3_stmt *st;

  memset(c, 0, sizeof(*c));
  st = db_prepare(db,
    "SELECT count(*), coalesce(sum(state = 'done'), 0) FROM jobs WHERE campaign = ?1");
  db_bind_int(st, 1, campaign);
  if(db_step(st) == SQLITE_ROW){
    c->total = sqlite3_column_int64(st, 0);
    c->done = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);

  st = db_prepare(db,
    "SELECT o.name, count(r.id), coalesce(sum(r.survived), 0) FROM outcome_classes o"
    " LEFT JOIN (SELECT r.id, r.outcome, r.survived FROM jobs j"
    "            JOIN runs r ON r.id = (SELECT max(id) FROM runs"
    "                                   WHERE job = j.id AND replay_of IS NULL)"
    "            WHERE j.campaign = ?1 AND j.state = 'done') r ON r.outcome = o.name"
    " GROUP BY o.name ORDER BY o.rank");
  db_bind_int(st, 1, campaign);
  while(db_step(st) == SQLITE_ROW && c->nclass < MAX_CLASSES){
    const char *o = (const char *)sqlite3_column_text(st, 0);
    snprintf(c->cls[c->nclass].name, sizeof(c->cls[0].name), "%s", o);
    c->cls[c->nclass].runs = sqlite3_column_int64(st, 1);
    c->survived += sqlite3_column_int64(st, 2);
    if(strcmp(o, "harness-error") == 0)
      c->harness = c->cls[c->nclass].runs;
    c->nclass++;
  }
  sqlite3_finalize(st);
}

long
counts_of(const struct counts *c, const char *name)
{
  for(int i = 0; i < c->nclass; i++)
    if(strcmp(c->cls[i].name, name) == 0)
      return c->cls[i].runs;
  return 0;
}

// Writes the line into the caller's buf.
void
progress_format(char *buf, size_t n, const struct counts *c, long eta_s)
{
  static const char *const always[] = { "SF", "PK", "FS", NULL };
  size_t len;

  len = (size_t)snprintf(buf, n, "[%ld/%ld] survived=%ld SF=%ld PK=%ld FS=%ld", c->done,
                         c->total, c->survived, counts_of(c, "SF"), counts_of(c, "PK"),
                         counts_of(c, "FS"));
  for(int i = 0; i < c->nclass && len < n; i++){
    int shown = 0;
    for(int k = 0; always[k]; k++)
      shown |= strcmp(c->cls[i].name, always[k]) == 0;
    if(!shown && c->cls[i].runs > 0)
      len += (size_t)snprintf(buf + len, n - len, " %s=%ld", c->cls[i].name, c->cls[i].runs);
  }
  if(len >= n)
    return;
  if(eta_s == NO_ETA)
    return;
  if(eta_s < 0)
    snprintf(buf + len, n - len, " ETA --:--");
  else
    snprintf(buf + len, n - len, " ETA %02ld:%02ld", eta_s / 60, eta_s % 60);
}

// Seconds left, or -1 if unknown.
static long
eta(const struct progress *p, const struct counts *c)
{
  long finished = c->done - p->done_at_start;
  int64_t elapsed = now_ms() - p->t_start;

  if(c->done >= c->total)
    return 0;
  if(finished <= 0)
    return -1;
  return (long)(elapsed * (c->total - c->done) / finished / 1000);
}

// Append p->note, if any, to line.
static void
add_note(const struct progress *p, char *line, size_t n)
{
  size_t len = strlen(line);

  if(p->note[0])
    snprintf(line + len, n - len, "  %s", p->note);
}

// Initialise *p for this invocation.
void
progress_start(struct progress *p, FILE *out, const struct counts *c)
{
  memset(p, 0, sizeof(*p));
  p->out = out;
  p->tty = isatty(fileno(out));
  p->t_start = now_ms();
  p->done_at_start = c->done;
  p->last_tenth = c->total ? (int)(c->done * 10 / c->total) : 10;
}

// Update the line (tty) or print it at each tenth (not a tty).
void
progress_show(struct progress *p, const struct counts *c)
{
  char line[320];
  int tenth = c->total ? (int)(c->done * 10 / c->total) : 10;

  progress_format(line, sizeof(line), c, eta(p, c));
  add_note(p, line, sizeof(line));
  if(p->tty){
    fprintf(p->out, "\r%s\033[K", line);
    p->shown = 1;
  } else if(tenth > p->last_tenth){
    fprintf(p->out, "%s\n", line);
    p->last_tenth = tenth;
  }
  fflush(p->out);
}

// Print the final line.
void
progress_end(struct progress *p, const struct counts *c)
{
  char line[320];

  progress_format(line, sizeof(line), c, eta(p, c));
  add_note(p, line, sizeof(line));
  if(p->tty)
    fprintf(p->out, "\r%s\033[K\n", line);
  else if(p->last_tenth < 10 || c->done < c->total)
    fprintf(p->out, "%s\n", line);
  fflush(p->out);
}
