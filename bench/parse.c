// parse.c - what a benchmark boot printed (see bench.h): the usertest
// result lines with the host time between them, the verdict, and
// memtest's memstat lines. Lines are recognised as the campaign does
// (campaign/console.c): whole lines, after any shell prompts that another
// process's output left at their start.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "campaign/console.h"

const char *const kernel_names[NKERNELS] = { "recovery", "vanilla" };

const char *const mem_phases[NPHASES_MEM] = {
  "boot", "contiguous-before", "contiguous-alloc", "contiguous-free",
  "shuffled-before", "shuffled-alloc", "shuffled-free",
};

// Appends to c, which the caller frees with console_rec_free().
void
console_rec_add(struct console_rec *c, const char *data, size_t n, int64_t ms)
{
  sb_add(&c->text, data, n);
  if(c->nstamps == c->cap){
    c->cap = c->cap ? 2 * c->cap : 256;
    c->stamps = xrealloc(c->stamps, c->cap * sizeof(c->stamps[0]));
  }
  c->stamps[c->nstamps].len = c->text.len;
  c->stamps[c->nstamps].ms = ms;
  c->nstamps++;
}

void
console_rec_free(struct console_rec *c)
{
  sb_free(&c->text);
  free(c->stamps);
  memset(c, 0, sizeof(*c));
}

// The line without the shell prompts in front of it.
static const char *
body(const char *line)
{
  while(line[0] == '$' && line[1] == ' ')
    line += 2;
  return line;
}

// The value of " key=N" in line as a number >= 0, or -1 if absent or not
// a number. No allocation.
static int64_t
number(const char *line, const char *key)
{
  char pat[24];
  const char *p;
  char *end;
  long long v;

  snprintf(pat, sizeof(pat), " %s=", key);
  if((p = strstr(line, pat)) == NULL)
    return -1;
  p += strlen(pat);
  v = strtoll(p, &end, 10);
  if(end == p || (*end != ' ' && *end != '\0') || v < 0)
    return -1;
  return v;
}

// When the line ending at offset nl (its newline) arrived: the time of
// the first read that brought the console past it, or -1.
static int64_t
arrival(const struct stamp *stamps, size_t nstamps, size_t nl)
{
  size_t lo = 0, hi = nstamps;

  while(lo < hi){                 // first stamp with len > nl
    size_t mid = (lo + hi) / 2;
    if(stamps[mid].len > nl)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo < nstamps ? stamps[lo].ms : -1;
}

struct ut_state {
  struct usertests_out *out;
  const char *text;
  const struct stamp *stamps;
  size_t nstamps;
  int64_t last_ms;                // arrival of the previous line that counts
  int bad;
};

// console_lines() callback for parse_usertests.
static int
ut_line(const char *line, size_t off, void *arg)
{
  struct ut_state *s = arg;
  struct usertests_out *out = s->out;
  struct usertest_line u;
  struct bench_test *t;
  const char *b = body(line);
  int64_t ms = arrival(s->stamps, s->nstamps, off + strlen(line));

  switch(console_kind(line)){
  case LINE_USERTEST:
    if(strstr(b, " leaked=") && !strstr(b, " result="))
      return 0;                   // the leak note before a failing result
    if(parse_usertest(line, &u) < 0 || u.ticks < 0 ||
       (strstr(b, " time=") && number(b, "time") < 0) ||
       (strstr(b, " busy=") && number(b, "busy") < 0)){
      if(!s->bad)
        snprintf(out->bad, sizeof(out->bad), "%s", b);
      s->bad = 1;
      return 0;
    }
    if(out->ntests == out->cap){
      out->cap = out->cap ? 2 * out->cap : 128;
      out->tests = xrealloc(out->tests, (size_t)out->cap * sizeof(out->tests[0]));
    }
    t = &out->tests[out->ntests++];
    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", u.name);
    t->pass = u.pass;
    t->ticks = u.ticks;
    t->time = number(b, "time");
    t->busy = number(b, "busy");
    t->wall_ms = ms >= 0 && s->last_ms >= 0 ? ms - s->last_ms : -1;
    s->last_ms = ms;
    break;
  case LINE_PASSED:
    out->all_passed = 1;
    break;
  case LINE_FAILED:
    out->some_failed = 1;
    break;
  default:
    if(strcmp(b, "usertests starting") == 0){
      out->started = 1;
      s->last_ms = ms;
    }
    break;
  }
  return 0;
}

// Fills *out; the caller frees it with usertests_out_free().
int
parse_usertests(const char *text, size_t len, const struct stamp *stamps,
                size_t nstamps, struct usertests_out *out)
{
  struct ut_state s = { .out = out, .text = text, .stamps = stamps,
                        .nstamps = stamps ? nstamps : 0, .last_ms = -1 };

  memset(out, 0, sizeof(*out));
  console_lines(text, 0, len, ut_line, &s);
  return s.bad ? -1 : 0;
}

void
usertests_out_free(struct usertests_out *out)
{
  free(out->tests);
  memset(out, 0, sizeof(*out));
}

// No allocation.
int
usertests_passed(const struct usertests_out *out)
{
  int i;

  if(!out->all_passed || out->some_failed || out->ntests == 0 || out->bad[0])
    return 0;
  for(i = 0; i < out->ntests; i++)
    if(!out->tests[i].pass)
      return 0;
  return 1;
}

// console_lines() callback for parse_memtest.
static int
mem_line(const char *line, size_t off, void *arg)
{
  struct memtest_out *m = arg;
  const char *b = body(line);
  char phase[32];
  long long reg, rep, fp;
  int i, n = 0;

  (void)off;
  if(strncmp(b, "memtest: ", 9) == 0){
    if(strcmp(b, "memtest: done") == 0)
      m->done = 1;
    else if(!m->bad[0])
      snprintf(m->bad, sizeof(m->bad), "%s", b);
    return 0;
  }
  if(strncmp(b, "memstat ", 8) != 0)
    return 0;
  if(sscanf(b, "memstat phase=%31s registry=%lld replicas=%lld free_pages=%lld%n",
            phase, &reg, &rep, &fp, &n) != 4 || b[n] != '\0'){
    if(!m->bad[0])
      snprintf(m->bad, sizeof(m->bad), "malformed line: %s", b);
    return 0;
  }
  for(i = 0; i < NPHASES_MEM; i++)
    if(strcmp(phase, mem_phases[i]) == 0)
      break;
  if(i == NPHASES_MEM){
    if(!m->bad[0])
      snprintf(m->bad, sizeof(m->bad), "unknown phase: %s", b);
    return 0;
  }
  m->phase[i].seen = 1;
  m->phase[i].registry = reg;
  m->phase[i].replicas = rep;
  m->phase[i].free_pages = fp;
  return 0;
}

// Fills *out; nothing to free.
int
parse_memtest(const char *text, size_t len, struct memtest_out *out)
{
  int i;

  memset(out, 0, sizeof(*out));
  console_lines(text, 0, len, mem_line, out);
  if(out->bad[0])
    return -1;
  for(i = 0; i < NPHASES_MEM; i++)
    if(!out->phase[i].seen){
      snprintf(out->bad, sizeof(out->bad), "no memstat line for phase %s", mem_phases[i]);
      return -1;
    }
  if(!out->done){
    snprintf(out->bad, sizeof(out->bad), "memtest did not say done");
    return -1;
  }
  return 0;
}
