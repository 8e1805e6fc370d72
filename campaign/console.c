// console.c - recognise the console lines of the campaign contract and
// split them into fields (see console.h). No allocation; lines are copied
// into a stack buffer one at a time.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/console.h"

// Skip shell prompts left at the start of the line by another process,
// and anything in front of the last kernel ev6: report on it: user output
// a process wrote before, or the start of another hart's report that this
// one cut short (reports are printed without waiting for the console
// lock, so that a fail-stop is never held up: "ev6: event=recovered
// objeev6: event=failstop object=proc ..." is the fail-stop's line).
static const char *
body(const char *line)
{
  const char *report, *next;

  while(line[0] == '$' && line[1] == ' ')
    line += 2;
  if(strncmp(line, "panic: ", 7) != 0 && (report = strstr(line, "ev6: event=")) != NULL){
    while((next = strstr(report + 1, "ev6: event=")) != NULL)
      report = next;
    return report;
  }
  return line;
}

// Does s start with prefix?
static int
starts(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

// Classify one line (see console.h). No allocation.
enum line_kind
console_kind(const char *line)
{
  const char *b = body(line);

  if(starts(b, "ev6: event="))
    return LINE_EV6;
  if(starts(b, "panic: "))
    return LINE_PANIC;
  if(starts(b, "usertest name="))
    return LINE_USERTEST;
  if(strcmp(b, "ALL TESTS PASSED") == 0)
    return LINE_PASSED;
  if(starts(b, "SOME TESTS FAILED"))
    return LINE_FAILED;
  if(starts(b, "audit: result="))
    return LINE_AUDIT;
  if(starts(b, "audit: violation "))
    return LINE_VIOLATION;
  if(strstr(b, "drv: event=") != NULL)
    return LINE_DRV;
  return LINE_OTHER;
}

// Copy the value of key=value from the space-separated fields of s into
// out[n]; "" if absent.
static void
field(const char *s, const char *key, char *out, size_t n)
{
  size_t klen = strlen(key);
  const char *p = s;

  out[0] = '\0';
  while((p = strstr(p, key)) != NULL){
    if((p == s || p[-1] == ' ') && p[klen] == '='){
      size_t vlen = strcspn(p + klen + 1, " ");
      if(vlen >= n)
        vlen = n - 1;
      memcpy(out, p + klen + 1, vlen);
      out[vlen] = '\0';
      return;
    }
    p += klen;
  }
}

// A numeric field, or -1.
static long
numfield(const char *s, const char *key)
{
  char v[32], *end;
  long n;

  field(s, key, v, sizeof(v));
  if(v[0] == '\0')
    return -1;
  n = strtol(v, &end, 0);
  return *end == '\0' ? n : -1;
}

// Fills *e from an ev6: line. No allocation.
int
parse_ev6(const char *line, struct ev6_line *e)
{
  const char *b = body(line);

  if(!starts(b, "ev6: event="))
    return -1;
  b += 5;
  field(b, "event", e->event, sizeof(e->event));
  field(b, "object", e->object, sizeof(e->object));
  field(b, "addr", e->address, sizeof(e->address));
  field(b, "site", e->site, sizeof(e->site));
  field(b, "strategy", e->strategy, sizeof(e->strategy));
  field(b, "exit", e->exit, sizeof(e->exit));
  field(b, "mode", e->mode, sizeof(e->mode));
  field(b, "reason", e->reason, sizeof(e->reason));
  e->idx = numfield(b, "index");
  e->cost = numfield(b, "cost");
  return 0;
}

// Fills *d from a drv: event= line, which may follow another process's
// output on the same line (the task prints without the console's help).
int
parse_drv(const char *line, struct drv_line *d)
{
  const char *b = strstr(line, "drv: event=");

  if(b == NULL)
    return -1;
  b += 5;
  field(b, "event", d->event, sizeof(d->event));
  field(b, "task", d->task, sizeof(d->task));
  field(b, "why", d->why, sizeof(d->why));
  field(b, "bound", d->bound, sizeof(d->bound));
  field(b, "fault", d->fault, sizeof(d->fault));
  d->reinit = (int)numfield(b, "reinit");
  d->resubmitted = (int)numfield(b, "resubmitted");
  d->detect_us = numfield(b, "detect_us");
  d->restart_us = numfield(b, "restart_us");
  return 0;
}

// Fills *a from an audit: line. The detail is the rest of the line after
// "detail=", its quotes removed. No allocation.
int
parse_audit(const char *line, struct audit_line *a)
{
  const char *b = body(line), *d;
  char result[8];
  size_t n;

  memset(a, 0, sizeof(*a));
  a->pass = -1;
  if(starts(b, "audit: result=")){
    b += 7;
    field(b, "result", result, sizeof(result));
    a->pass = strcmp(result, "pass") == 0;
    a->checks = numfield(b, "checks");
    a->violations = numfield(b, "violations");
    a->idx = -1;
    return strcmp(result, "pass") == 0 || strcmp(result, "fail") == 0 ? 0 : -1;
  }
  if(!starts(b, "audit: violation "))
    return -1;
  b += 7;
  field(b, "object", a->object, sizeof(a->object));
  field(b, "check", a->check, sizeof(a->check));
  a->idx = numfield(b, "index");
  a->checks = a->violations = -1;
  if((d = strstr(b, " detail=")) != NULL){
    d += 8;
    n = strlen(d);
    if(n >= 2 && d[0] == '"' && d[n - 1] == '"'){
      d++;
      n -= 2;
    }
    if(n >= sizeof(a->detail))
      n = sizeof(a->detail) - 1;
    memcpy(a->detail, d, n);
    a->detail[n] = '\0';
  }
  return 0;
}

// Fills *t from a usertest line. No allocation.
int
parse_usertest(const char *line, struct usertest_line *t)
{
  const char *b = body(line);
  char result[8];

  if(!starts(b, "usertest name="))
    return -1;
  b += 9;
  field(b, "name", t->name, sizeof(t->name));
  field(b, "result", result, sizeof(result));
  if(t->name[0] == '\0' || (strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0))
    return -1;
  t->pass = strcmp(result, "pass") == 0;
  t->ticks = numfield(b, "ticks");
  return 0;
}

// Calls fn for each complete line; lines live in a stack buffer. A line
// longer than the buffer keeps its end: what the grammar reads of a long
// line is there (a kernel report printed into a user's long line, body()
// above; every line of the grammar itself is short). Keeping the start
// once lost the report in Table 2's buf-bget under access delivery: cat
// README.md, whose widest line is 4.8 KB, had it 4.7 KB in ("unreported").
int
console_lines(const char *text, size_t from, size_t to,
              int (*fn)(const char *line, size_t off, void *arg), void *arg)
{
  char line[1024];
  size_t start = from, i, n, skip;
  int rc;

  // a line that began before from is not ours: skip to the next one
  if(from > 0 && text[from - 1] != '\n'){
    while(start < to && text[start] != '\n')
      start++;
    start++;
  }
  for(i = start; i < to; i++){
    if(text[i] != '\n')
      continue;
    n = i - start;
    if(n > 0 && text[i - 1] == '\r')
      n--;
    skip = n >= sizeof(line) ? n - (sizeof(line) - 1) : 0;
    n -= skip;
    memcpy(line, text + start + skip, n);
    line[n] = '\0';
    if((rc = fn(line, start, arg)) != 0)
      return rc;
    start = i + 1;
  }
  return 0;
}

int
console_buried_prompt(const char *text, size_t len, size_t after)
{
  size_t i;

  if(len == 0 || text[len - 1] != '\n')
    return 0;
  for(i = after; i + 2 < len; i++)
    if(text[i] == '$' && text[i + 1] == ' ' && (i == after || text[i - 1] == '\n'))
      return 1;
  return 0;
}

// Offset just past a new prompt at the end of text, or 0.
size_t
console_prompt(const char *text, size_t len, size_t after)
{
  // The shell writes "$ " and waits; output of the previous command that
  // lacked a final newline may precede it on the same line.
  if(len < 2 || text[len - 2] != '$' || text[len - 1] != ' ')
    return 0;
  if(len - 2 < after)
    return 0;
  return len;
}
