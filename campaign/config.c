// config.c - read and validate the campaign's INI files.
//
// libinih does the INI syntax; this file gives it lines through a reader
// that counts them (so every message can name file:line, whatever the
// library was built with) and notices [section] headers as they go by, so
// that a section without keys is still a scenario and "missing key"
// messages can point at its header. Each key has a setter that checks the
// value and stores it; after the file, each scenario is checked as a whole
// (required keys, keys that only make sense together).
//
// The paper's results are not in the configs: paper.c fills them in from
// reports/paper.tsv by section name. The old keys paper_conservative and
// paper_aggressive are refused with a message saying so.
//
// Comments are whole lines starting with ';' or '#'. There are no inline
// comments and no continuation lines: a workload may contain ';'.
// Lines are at most MAXLINE characters.
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/config.h"
#include "campaign/preflight.h"
#include "campaign/target.h"
#include "campaign/util.h"
#include "campaign/vocab.h"

#define MAXLINE 200           // inih's line buffer, less the newline and NUL

const char *const mode_names[NMODES] = { "conservative", "aggressive" };

const char *const during_harts[] = { "recoverer", "follower", "other", NULL };

// Parsing state for one file.
struct parse {
  struct config *cfg;
  const char *path;
  FILE *in;
  FILE *errs;
  int line;                 // line most recently handed to inih
  int errors;
  int cur;                  // index of the current scenario in cfg, or -1
  int first;                // index of this file's first scenario
  int *seen;                // per scenario of this file, NKEYS lines on
                            // which its keys were set (0 = not set)
  char *buf;                // getline buffer
  size_t bufcap;
};

// Report a problem at the current line.
static void __attribute__((format(printf, 3, 4)))
perr_at(struct parse *p, int line, const char *fmt, ...)
{
  va_list ap;

  fprintf(p->errs, "%s:%d: ", p->path, line);
  va_start(ap, fmt);
  vfprintf(p->errs, fmt, ap);
  va_end(ap);
  fputc('\n', p->errs);
  p->errors++;
}
#define perr(p, ...) perr_at((p), (p)->line, __VA_ARGS__)

// Returns a new heap copy of the first n bytes of s; the caller frees it.
static char *
dupn(const char *s, size_t n)
{
  char *d = xmalloc(n + 1);

  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

// Is s a C identifier?
static int
is_ident(const char *s)
{
  if(!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return 0;
  for(s++; *s; s++)
    if(!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
         (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

// --- one setter per key: check v, store it, or report and return -1 ---

// Setter for object. Each setter stores a heap copy in the scenario
// (freed by scenario_free) or reports the problem and returns -1.
static int
set_object(struct parse *p, struct scenario *s, const char *v)
{
  if(!is_object_name(v)){
    perr(p, "unknown object '%s'", v);
    return -1;
  }
  s->object = xstrdup(v);
  return 0;
}

// Setter for site; also remembers its line.
static int
set_site(struct parse *p, struct scenario *s, const char *v)
{
  if(!is_ident(v)){
    perr(p, "bad site '%s' (expected a kernel function name)", v);
    return -1;
  }
  s->site = xstrdup(v);
  s->site_line = p->line;
  return 0;
}

// A number key: name, range, where it goes.
static int
set_number(struct parse *p, const char *key, const char *v, long min, long max,
           long *out)
{
  if(parse_long(v, min, max, out) < 0){
    perr(p, "bad number '%s' for %s (expected %ld..%ld)", v, key, min, max);
    return -1;
  }
  return 0;
}

// Setter for hit.
static int
set_hit(struct parse *p, struct scenario *s, const char *v)
{
  return set_number(p, "hit", v, 1, 1000000, &s->hit);
}

// Setter for repeat.
static int
set_repeat(struct parse *p, struct scenario *s, const char *v)
{
  return set_number(p, "repeat", v, 1, 1000, &s->repeat);
}

// Setter for cpus.
static int
set_cpus(struct parse *p, struct scenario *s, const char *v)
{
  return set_number(p, "cpus", v, 1, 8, &s->cpus);
}

// Setter for harts_at_once.
static int
set_harts(struct parse *p, struct scenario *s, const char *v)
{
  return set_number(p, "harts_at_once", v, 1, 8, &s->harts_at_once);
}

// Setter for seed.
static int
set_seed(struct parse *p, struct scenario *s, const char *v)
{
  if(set_number(p, "seed", v, 0, 2147483647L, &s->seed) < 0)
    return -1;
  s->has_seed = 1;
  return 0;
}

// Setter for target: BASE, SELECTOR or BASE;SELECTOR (campaign/target.h).
static int
set_target(struct parse *p, struct scenario *s, const char *v)
{
  struct target t;
  char why[512];

  if(target_parse(v, &t, why, sizeof(why)) < 0){
    perr(p, "%s", why);
    return -1;
  }
  s->target = xstrdup(v);
  s->target_line = p->line;
  return 0;
}

// Setter for corrupt: PATTERN or PATTERN:N.
static int
set_corrupt(struct parse *p, struct scenario *s, const char *v)
{
  static const char *const patterns[] = { "flip", "zero", "ones", "random", NULL };
  const char *colon = strchr(v, ':');
  size_t len = colon ? (size_t)(colon - v) : strlen(v);
  int flip = len == 4 && strncmp(v, "flip", 4) == 0;
  int i;

  for(i = 0; patterns[i]; i++)
    if(strlen(patterns[i]) == len && strncmp(v, patterns[i], len) == 0)
      break;
  if(patterns[i] == NULL){
    perr(p, "bad corrupt '%s' (expected flip, zero, ones or random, "
         "optionally :N)", v);
    return -1;
  }
  s->corrupt_n = flip ? 2 : 8;
  if(colon && parse_long(colon + 1, 1, flip ? 64 : 4096, &s->corrupt_n) < 0){
    perr(p, "bad count in corrupt '%s' (expected %s)", v,
         flip ? "1..64 bits" : "1..4096 bytes");
    return -1;
  }
  s->corrupt = dupn(v, len);
  return 0;
}

// Setter for delivery.
static int
set_delivery(struct parse *p, struct scenario *s, const char *v)
{
  if(strcmp(v, "breakpoint") != 0 && strcmp(v, "access") != 0 && strcmp(v, "scrub") != 0){
    perr(p, "bad delivery '%s' (expected breakpoint, access or scrub)", v);
    return -1;
  }
  s->delivery = xstrdup(v);
  return 0;
}

// Setter for workload: its program name must fit fi_workload_name.
static int
set_workload(struct parse *p, struct scenario *s, const char *v)
{
  char *prog = workload_program(v);
  size_t n = strlen(prog);

  free(prog);
  if(n == 0){
    perr(p, "empty workload");
    return -1;
  }
  if(n > 15){
    perr(p, "workload program name '%.*s' is longer than 15 characters", (int)n, v);
    return -1;
  }
  s->workload = xstrdup(v);
  s->workload_line = p->line;
  return 0;
}

// Setter for modes: a comma- or blank-separated list.
static int
set_modes(struct parse *p, struct scenario *s, const char *v)
{
  char *copy = xstrdup(v), *word, *save = NULL;
  int modes = 0, bad = 0;

  for(word = strtok_r(copy, ", \t", &save); word; word = strtok_r(NULL, ", \t", &save)){
    int m;
    for(m = 0; m < NMODES; m++)
      if(strcmp(word, mode_names[m]) == 0)
        break;
    if(m == NMODES){
      perr(p, "bad mode '%s' in modes (expected conservative and/or aggressive)", word);
      bad = 1;
    } else
      modes |= 1 << m;
  }
  free(copy);
  if(bad)
    return -1;
  if(modes == 0){
    perr(p, "empty modes (expected conservative and/or aggressive)");
    return -1;
  }
  s->modes = modes;
  return 0;
}

// Setter for table.
static int
set_table(struct parse *p, struct scenario *s, const char *v)
{
  if(strcmp(v, "2") != 0 && strcmp(v, "3") != 0 && strcmp(v, "smoke") != 0){
    perr(p, "bad table '%s' (expected 2, 3 or smoke)", v);
    return -1;
  }
  s->table = xstrdup(v);
  return 0;
}

// Setter for icount: QEMU's -icount argument, shift=N (0..10) or
// shift=auto, optionally with ,sleep=on or ,sleep=off. The guest's clock
// then counts instructions: a run replays the interleaving of a golden
// run made with the same clock (campaign/sweep/README.md).
static int
set_icount(struct parse *p, struct scenario *s, const char *v)
{
  const char *sleep = strchr(v, ',');
  size_t n = sleep ? (size_t)(sleep - v) : strlen(v);
  char *shift = dupn(v, n);
  long k;
  int ok = strncmp(shift, "shift=", 6) == 0 &&
           (strcmp(shift + 6, "auto") == 0 || parse_long(shift + 6, 0, 10, &k) == 0) &&
           (sleep == NULL || strcmp(sleep, ",sleep=on") == 0 || strcmp(sleep, ",sleep=off") == 0);

  free(shift);
  if(!ok){
    perr(p, "bad icount '%s' (expected shift=0..10 or shift=auto, then optionally "
         ",sleep=on or ,sleep=off)", v);
    return -1;
  }
  s->icount = xstrdup(v);
  return 0;
}

// Setter for note: any text.
static int
set_note(struct parse *p, struct scenario *s, const char *v)
{
  (void)p;
  s->note = xstrdup(v);
  return 0;
}

// A key whose value is an object type, stored in *out (a heap copy).
static int
set_object_key(struct parse *p, const char *key, const char *v, char **out)
{
  if(!is_object_name(v)){
    perr(p, "unknown object '%s' in %s", v, key);
    return -1;
  }
  *out = xstrdup(v);
  return 0;
}

// Setter for second_object.
static int
set_second_object(struct parse *p, struct scenario *s, const char *v)
{
  return set_object_key(p, "second_object", v, &s->second_object);
}

// Setter for second_site.
static int
set_second_site(struct parse *p, struct scenario *s, const char *v)
{
  if(!is_ident(v)){
    perr(p, "bad second_site '%s' (expected a kernel function name)", v);
    return -1;
  }
  s->second_site = xstrdup(v);
  return 0;
}

// Setter for during_recovery.
static int
set_during_recovery(struct parse *p, struct scenario *s, const char *v)
{
  return set_object_key(p, "during_recovery", v, &s->during_recovery);
}

// Setter for during_hart: which hart gets the during_recovery error.
static int
set_during_hart(struct parse *p, struct scenario *s, const char *v)
{
  for(int i = 0; during_harts[i]; i++)
    if(strcmp(v, during_harts[i]) == 0){
      s->during_hart = xstrdup(v);
      return 0;
    }
  perr(p, "bad during_hart '%s' (expected recoverer, follower or other)", v);
  return -1;
}

// A key whose value is a kernel function name, stored in *out.
static int
set_function_key(struct parse *p, const char *key, const char *v, char **out)
{
  if(!is_ident(v)){
    perr(p, "bad %s '%s' (expected a kernel function name)", key, v);
    return -1;
  }
  *out = xstrdup(v);
  return 0;
}

// Setter for recovery_site.
static int
set_recovery_site(struct parse *p, struct scenario *s, const char *v)
{
  return set_function_key(p, "recovery_site", v, &s->recovery_site);
}

// Setter for during_site.
static int
set_during_site(struct parse *p, struct scenario *s, const char *v)
{
  return set_function_key(p, "during_site", v, &s->during_site);
}

// The driver keys' values. driver_faults are kernel/drvctl.h's DRV_FAULTS
// names; the preflight checks the kernel has each one.
const char *const driver_faults[] = {
  "loop", "deadlock", "lostirq", "badwrite", "corrupt", "crash", "lockcrash", NULL
};
const char *const driver_detectors[] = { "kernel", "heartbeat", NULL };
const char *const driver_detects[] = { "hang", "heartbeat", "crash", NULL };
const char *const driver_restarts[] = { "software", "reinit", NULL };

// A key whose value is one of names[], stored in *out (a heap copy).
static int
set_choice(struct parse *p, const char *key, const char *v, const char *const *names,
           char **out)
{
  char all[160] = "";

  for(int i = 0; names[i]; i++)
    if(strcmp(v, names[i]) == 0){
      *out = xstrdup(v);
      return 0;
    }
  for(int i = 0; names[i]; i++)
    snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
             i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
  perr(p, "bad %s '%s' (expected %s)", key, v, all);
  return -1;
}

static int
set_kind(struct parse *p, struct scenario *s, const char *v)
{
  static const char *const kinds[] = { "object", "driver", NULL };
  char *k = NULL;

  if(set_choice(p, "kind", v, kinds, &k) < 0)
    return -1;
  s->driver_kind = strcmp(k, "driver") == 0;
  free(k);
  return 0;
}

static int
set_driver(struct parse *p, struct scenario *s, const char *v)
{
  if(!is_ident(v)){
    perr(p, "bad driver '%s' (expected a driver task's name, e.g. disk)", v);
    return -1;
  }
  free(s->driver);
  s->driver = xstrdup(v);
  return 0;
}

static int
set_fault(struct parse *p, struct scenario *s, const char *v)
{
  return set_choice(p, "fault", v, driver_faults, &s->fault);
}

static int
set_detector(struct parse *p, struct scenario *s, const char *v)
{
  return set_choice(p, "detector", v, driver_detectors, &s->detector);
}

static int
set_expect_detect(struct parse *p, struct scenario *s, const char *v)
{
  return set_choice(p, "expect_detect", v, driver_detects, &s->expect_detect);
}

static int
set_expect_restart(struct parse *p, struct scenario *s, const char *v)
{
  return set_choice(p, "expect_restart", v, driver_restarts, &s->expect_restart);
}

static const struct keydef {
  const char *name;
  int (*set)(struct parse *, struct scenario *, const char *);
  int required;
} keys[] = {
  { "object", set_object, 1 },     // required: not for kind = driver
  { "site", set_site, 1 },
  { "workload", set_workload, 1 },
  { "table", set_table, 1 },
  { "kind", set_kind, 0 },
  { "driver", set_driver, 0 },
  { "fault", set_fault, 0 },
  { "detector", set_detector, 0 },
  { "expect_detect", set_expect_detect, 0 },
  { "expect_restart", set_expect_restart, 0 },
  { "hit", set_hit, 0 },
  { "target", set_target, 0 },
  { "corrupt", set_corrupt, 0 },
  { "seed", set_seed, 0 },
  { "delivery", set_delivery, 0 },
  { "modes", set_modes, 0 },
  { "repeat", set_repeat, 0 },
  { "cpus", set_cpus, 0 },
  { "harts_at_once", set_harts, 0 },
  { "second_object", set_second_object, 0 },
  { "second_site", set_second_site, 0 },
  { "during_recovery", set_during_recovery, 0 },
  { "during_hart", set_during_hart, 0 },
  { "recovery_site", set_recovery_site, 0 },
  { "during_site", set_during_site, 0 },
  { "icount", set_icount, 0 },
  { "note", set_note, 0 },
};
#define NKEYS ((int)(sizeof(keys) / sizeof(keys[0])))

// Returns the first word of workload, which the caller frees.
char *
workload_program(const char *workload)
{
  size_t n;

  while(*workload == ' ' || *workload == '\t')
    workload++;
  n = strcspn(workload, " \t;&|<>()");
  return dupn(workload, n);
}

// Returns the programs a shell line runs (the first word of each command
// between ; & | ( and ), skipping redirections and the shell's own cd),
// sorted, without repeats, in a NULL-terminated array the caller frees
// with free_names().
char **
workload_programs(const char *line)
{
  char **names = xmalloc(sizeof(*names));
  size_t count = 0;
  const char *p = line;

  while(*p){
    size_t n;
    p += strspn(p, " \t;&|()");
    // redirections and their file names are not programs
    while(*p == '<' || *p == '>'){
      p += strspn(p, "<> \t");
      p += strcspn(p, " \t;&|<>()");
      p += strspn(p, " \t");
    }
    n = strcspn(p, " \t;&|<>()");
    if(n > 0){
      char *word = dupn(p, n);
      int seen = strcmp(word, "cd") == 0;
      for(size_t i = 0; i < count && !seen; i++)
        seen = strcmp(names[i], word) == 0;
      if(seen)
        free(word);
      else {
        names = xrealloc(names, (count + 2) * sizeof(*names));
        names[count++] = word;
      }
    }
    p += n;
    p += strcspn(p, ";&|()");  // the rest of this command: its arguments
  }
  names[count] = NULL;
  for(size_t i = 0; i + 1 < count; i++)
    for(size_t k = i + 1; k < count; k++)
      if(strcmp(names[i], names[k]) > 0){
        char *t = names[i]; names[i] = names[k]; names[k] = t;
      }
  return names;
}

// A [section] header was read: start a scenario with the defaults.
static void
begin_section(struct parse *p, const char *name, size_t len)
{
  struct config *c = p->cfg;
  struct scenario *s;
  int i;

  c->sc = xrealloc(c->sc, (size_t)(c->n + 1) * sizeof(*c->sc));
  s = &c->sc[c->n];
  memset(s, 0, sizeof(*s));
  s->file = xstrdup(p->path);
  s->line = p->line;
  s->name = dupn(name, len);
  s->hit = 1;
  s->target = xstrdup("object");
  s->corrupt = xstrdup("flip");
  s->corrupt_n = 2;
  s->delivery = xstrdup("breakpoint");
  s->modes = MODE_CONSERVATIVE | MODE_AGGRESSIVE;
  s->repeat = 1;
  s->cpus = 1;
  s->harts_at_once = 1;
  p->cur = c->n++;
  p->seen = xrealloc(p->seen, (size_t)(p->cur - p->first + 1) * NKEYS * sizeof(int));
  memset(p->seen + (size_t)(p->cur - p->first) * NKEYS, 0, NKEYS * sizeof(int));

  for(i = 0; i < (int)len; i++){
    char ch = name[i];
    if(!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.')){
      perr(p, "bad section name [%s] (use letters, digits, '-', '_' and '.')", s->name);
      break;
    }
  }
  if(len == 0)
    perr(p, "empty section name");
  for(i = p->first; i < p->cur; i++)
    if(strcmp(c->sc[i].name, s->name) == 0){
      perr(p, "duplicate section [%s] (first on line %d)", s->name, c->sc[i].line);
      break;
    }
}

// inih's reader: hand over one line, counting it and watching for section
// headers and lines inih would reject.
static char *
reader(char *str, int num, void *stream)
{
  struct parse *p = stream;
  ssize_t n = getline(&p->buf, &p->bufcap, p->in);
  char *t;

  if(n < 0)
    return NULL;
  p->line++;
  while(n > 0 && (p->buf[n - 1] == '\n' || p->buf[n - 1] == '\r'))
    p->buf[--n] = '\0';
  if(n > MAXLINE || n > num - 3){
    perr(p, "line too long (more than %d characters)", MAXLINE);
    strcpy(str, "\n");
    return str;
  }
  for(t = p->buf; *t == ' ' || *t == '\t'; t++)
    ;
  if(*t == '['){
    char *close = strchr(t, ']');
    if(close == NULL || close[1 + strspn(close + 1, " \t")] != '\0'){
      perr(p, "bad section header (expected [name] alone on the line)");
      strcpy(str, "\n");
      return str;
    }
    begin_section(p, t + 1, (size_t)(close - t - 1));
  } else if(*t != '\0' && *t != ';' && *t != '#' && strchr(t, '=') == NULL){
    perr(p, "expected 'key = value', '[section]' or a comment");
    strcpy(str, "\n");
    return str;
  }
  memcpy(str, p->buf, (size_t)n);
  str[n] = '\n';
  str[n + 1] = '\0';
  return str;
}

// inih's handler: one key = value in the current section.
static int
handler(void *user, const char *section, const char *name, const char *value)
{
  struct parse *p = user;
  struct scenario *s;
  int k, *seen;

  (void)section;
  if(p->cur < 0){
    perr(p, "key '%s' outside any [section]", name);
    return 1;
  }
  s = &p->cfg->sc[p->cur];
  seen = p->seen + (size_t)(p->cur - p->first) * NKEYS;
  if(strcmp(name, "paper_conservative") == 0 || strcmp(name, "paper_aggressive") == 0){
    perr(p, "%s: the paper's results live in reports/paper.tsv (id = section name)", name);
    return 1;
  }
  for(k = 0; k < NKEYS; k++)
    if(strcmp(name, keys[k].name) == 0)
      break;
  if(k == NKEYS){
    perr(p, "unknown key '%s'", name);
    return 1;
  }
  if(seen[k]){
    perr(p, "duplicate key '%s' (first on line %d)", name, seen[k]);
    return 1;
  }
  seen[k] = p->line;
  if(value[0] == '\0' && strcmp(name, "note") != 0){
    perr(p, "empty value for '%s'", name);
    return 1;
  }
  // A setter may replace a default: free the default first.
  if(keys[k].set == set_target){ free(s->target); s->target = NULL; }
  if(keys[k].set == set_corrupt){ free(s->corrupt); s->corrupt = NULL; }
  if(keys[k].set == set_delivery){ free(s->delivery); s->delivery = NULL; }
  if(keys[k].set(p, s, value) < 0){
    // keep the scenario usable for later checks
    if(s->target == NULL) s->target = xstrdup("object");
    if(s->corrupt == NULL) s->corrupt = xstrdup("flip");
    if(s->delivery == NULL) s->delivery = xstrdup("breakpoint");
  }
  return 1;
}

// Was key set in this scenario (even to a bad value)?
static int
given(const int *seen, const char *key)
{
  for(int k = 0; k < NKEYS; k++)
    if(strcmp(keys[k].name, key) == 0)
      return seen[k] != 0;
  return 0;
}

// A kind = driver scenario: the driver keys, workload and nothing of an
// object's injection. GDB arms the fault in the driver's serve function
// (DRIVER_serve), so that is its site, and its object is the driver's
// state (disk); its table is smoke (no paper table has driver rows) and
// it runs in one mode (ev6_mode does not matter to a driver restart).
static void
check_driver(struct parse *p, struct scenario *s, const int *seen)
{
  static const char *const need[] = {
    "driver", "fault", "detector", "expect_detect", "expect_restart", "workload", NULL
  };
  static const char *const refused[] = {
    "object", "site", "hit", "target", "corrupt", "seed", "delivery", "modes", "table",
    "harts_at_once", "second_object", "second_site", "during_recovery", "during_hart",
    "recovery_site", "during_site", NULL
  };
  char site[64];

  for(int i = 0; need[i]; i++)
    if(!given(seen, need[i]))
      perr_at(p, s->line, "missing required key '%s' in [%s] (kind = driver)", need[i],
              s->name);
  for(int i = 0; refused[i]; i++)
    if(given(seen, refused[i]))
      perr_at(p, s->line, "key '%s' does not apply to kind = driver in [%s]", refused[i],
              s->name);
  if(s->detector && s->expect_detect && strcmp(s->detector, "kernel") == 0 &&
     strcmp(s->expect_detect, "heartbeat") == 0)
    perr_at(p, s->line, "detector = kernel runs no heartbeat: expect_detect = heartbeat "
            "cannot happen in [%s]", s->name);
  if(s->detector && s->expect_detect && strcmp(s->detector, "heartbeat") == 0 &&
     strcmp(s->expect_detect, "hang") == 0)
    perr_at(p, s->line, "detector = heartbeat switches the in-kernel check off: "
            "expect_detect = hang cannot happen in [%s]", s->name);
  if(s->driver == NULL)
    return;
  snprintf(site, sizeof(site), "%s_serve", s->driver);
  s->object = xstrdup("disk");
  s->site = xstrdup(site);
  s->site_line = s->line;
  s->table = xstrdup("smoke");
  s->modes = MODE_CONSERVATIVE;
}

// Does the scenario raise more than one error (delivered at their sites or
// each at its consumer, never with no consumer)?
int
multi_error(const struct scenario *s)
{
  return s->harts_at_once > 1 || s->second_site || s->during_recovery;
}

// Does the scenario stop a hart in user mode (site = user)?
static int
user_stop(const struct scenario *s)
{
  return s->site && strcmp(s->site, USER_SITE) == 0;
}

// site = user goes with a user[...] target, and back: the object is a user
// page (selector object) or a page-table page (L2/L1/L0) of a process the
// workload runs, met at one stop in user mode (hit 1, one error, delivered
// there).
static void
check_user(struct parse *p, struct scenario *s, const int *seen)
{
  struct target t;
  char why[300], **progs;
  int found = 0;

  if(s->site == NULL || (given(seen, "target") && s->target_line == 0) ||
     target_parse(s->target, &t, why, sizeof(why)) < 0)
    return;                           // reported already
  if(user_stop(s) != (t.base == BASE_USER)){
    perr_at(p, s->line, "site = %s goes with a target user[name=PROGRAM,...], and back, "
            "in [%s]", USER_SITE, s->name);
    return;
  }
  if(!user_stop(s))
    return;
  if(t.sel == SEL_OBJECT ? strcmp(s->object, "page") != 0 :
     t.sel != SEL_LEVEL || strcmp(s->object, "pagetable") != 0)
    perr_at(p, s->line, "a user[...] target is a user page (object = page, selector object) "
            "or a page-table page (object = pagetable, selector L2/L1/L0) in [%s]", s->name);
  if(s->hit != 1 || multi_error(s) || strcmp(s->delivery, "breakpoint") != 0)
    perr_at(p, s->line, "site = %s stops once and delivers one error there: hit 1, "
            "delivery = breakpoint, no second error in [%s]", USER_SITE, s->name);
  if(s->workload){
    progs = workload_programs(s->workload);
    for(int i = 0; progs[i]; i++)
      found |= strcmp(progs[i], t.uname) == 0;
    free_names(progs);
    if(!found)
      perr_at(p, s->line, "target user[name=%s]: the workload runs no program %s in [%s]",
              t.uname, t.uname, s->name);
  }
}

// Checks that need the whole scenario; messages point at its header. Fills
// in the defaults of the during_recovery keys.
static void
check_scenario(struct parse *p, struct scenario *s, const int *seen)
{
  int k, other;

  if(s->driver_kind){
    check_driver(p, s, seen);
    return;
  }
  for(k = 0; k < NKEYS; k++)
    if(keys[k].required && !seen[k])
      perr_at(p, s->line, "missing required key '%s' in [%s]", keys[k].name, s->name);
  if(s->driver || s->fault || s->detector || s->expect_detect || s->expect_restart)
    perr_at(p, s->line, "the driver keys (driver, fault, detector, expect_detect, "
            "expect_restart) need kind = driver in [%s]", s->name);
  if(s->harts_at_once > s->cpus)
    perr_at(p, s->line, "harts_at_once %ld exceeds cpus %ld in [%s]",
            s->harts_at_once, s->cpus, s->name);
  if((s->second_object == NULL) != (s->second_site == NULL))
    perr_at(p, s->line, "second_object and second_site go together in [%s]", s->name);
  if(s->second_site && s->cpus < 2)
    perr_at(p, s->line, "second_site needs another hart (cpus >= 2) in [%s]", s->name);
  if(s->during_recovery == NULL){
    if(s->during_hart || s->recovery_site || s->during_site)
      perr_at(p, s->line, "%s needs during_recovery in [%s]", s->during_hart ?
              "during_hart" : s->recovery_site ? "recovery_site" : "during_site", s->name);
  } else {
    other = s->during_hart && strcmp(s->during_hart, "other") == 0;
    if(other && !given(seen, "during_site"))
      perr_at(p, s->line, "during_hart = other needs during_site in [%s]", s->name);
    if(!other && s->during_site)
      perr_at(p, s->line, "during_site goes with during_hart = other in [%s]", s->name);
    if(other && s->cpus < 2)
      perr_at(p, s->line, "during_hart = other needs another hart (cpus >= 2) in [%s]",
              s->name);
    if(s->during_hart && strcmp(s->during_hart, "follower") == 0 &&
       s->harts_at_once < 2 && s->second_site == NULL)
      perr_at(p, s->line, "during_hart = follower needs a second error queued behind the "
              "first (harts_at_once >= 2 or second_site) in [%s]", s->name);
    if(s->during_hart == NULL)
      s->during_hart = xstrdup("recoverer");
    if(s->recovery_site == NULL)
      s->recovery_site = xstrdup(DEFAULT_RECOVERY_SITE);
  }
  if(multi_error(s) && s->delivery && strcmp(s->delivery, "scrub") == 0)
    perr_at(p, s->line, "more than one error needs delivery = breakpoint or access in [%s]",
            s->name);
  check_user(p, s, seen);
}

// Appends scenarios to cfg (freed by config_free); returns the problem count.
int
config_load(struct config *cfg, const char *path, FILE *errs)
{
  struct parse p = {0};
  int rc, i;

  p.cfg = cfg;
  p.path = path;
  p.errs = errs;
  p.cur = -1;
  p.first = cfg->n;
  p.in = fopen(path, "r");
  if(p.in == NULL){
    fprintf(errs, "%s: cannot open: %s\n", path, strerror(errno));
    return 1;
  }
  ini_allow_multiline = 0;
  ini_allow_inline_comments = 0;

  rc = ini_parse_stream(reader, &p, handler, &p);
  fclose(p.in);
  free(p.buf);
  if(rc > 0 && p.errors == 0)
    perr_at(&p, rc, "syntax error");
  if(rc < 0 && p.errors == 0){
    fprintf(errs, "%s: cannot parse (error %d)\n", path, rc);
    p.errors++;
  }
  for(i = p.first; i < cfg->n; i++)
    check_scenario(&p, &cfg->sc[i], p.seen + (size_t)(i - p.first) * NKEYS);
  if(cfg->n == p.first && p.errors == 0){
    fprintf(errs, "%s: no scenarios (no [section])\n", path);
    p.errors++;
  }
  free(p.seen);
  return p.errors;
}

// Frees the strings of one scenario.
void
scenario_free(struct scenario *s)
{
  free(s->file); free(s->name); free(s->object); free(s->site);
  free(s->target); free(s->corrupt); free(s->delivery); free(s->workload);
  free(s->second_object); free(s->second_site); free(s->during_recovery);
  free(s->during_hart); free(s->recovery_site); free(s->during_site);
  free(s->paper[0]); free(s->paper[1]); free(s->table); free(s->note);
  free(s->driver); free(s->fault); free(s->detector); free(s->expect_detect);
  free(s->expect_restart); free(s->icount);
  memset(s, 0, sizeof(*s));
}

// See config.h.
void
config_set_delivery(struct config *cfg, const char *delivery, FILE *errs)
{
  int kept = 0;

  for(int i = 0; i < cfg->n; i++){
    struct scenario *s = &cfg->sc[i];
    if(strcmp(delivery, "breakpoint") != 0 && user_stop(s)){
      fprintf(errs, "%s:%d: [%s] left out: a stop in user mode is delivered at the stop, "
              "by breakpoint delivery\n", s->file, s->line, s->name);
      scenario_free(s);
      continue;
    }
    free(s->delivery);
    s->delivery = xstrdup(delivery);
    cfg->sc[kept++] = *s;
  }
  cfg->n = kept;
}

// Frees every scenario and the array.
void
config_free(struct config *cfg)
{
  for(int i = 0; i < cfg->n; i++)
    scenario_free(&cfg->sc[i]);
  free(cfg->sc);
  cfg->sc = NULL;
  cfg->n = 0;
}
