// jobfile.c - write the job file GDB reads (campaign/README.md, "Job
// file"). GDB's result lines are read by results.c.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/jobfile.h"
#include "campaign/target.h"
#include "campaign/util.h"

// Appends to sb (owned by the caller).
void
json_string(struct strbuf *sb, const char *s)
{
  sb_add(sb, "\"", 1);
  for(; *s; s++){
    unsigned char c = (unsigned char)*s;
    if(c == '"' || c == '\\'){
      char esc[2] = { '\\', (char)c };
      sb_add(sb, esc, 2);
    } else if(c < 0x20)
      sb_addf(sb, "\\u%04x", c);
    else
      sb_add(sb, (const char *)&c, 1);
  }
  sb_add(sb, "\"", 1);
}

// "key": "value" (or null), with a leading comma unless first.
static void
kv_str(struct strbuf *sb, const char *key, const char *value)
{
  sb_addf(sb, ",\n  \"%s\": ", key);
  if(value)
    json_string(sb, value);
  else
    sb_add(sb, "null", 4);
}

// "key": number, with a leading comma.
static void
kv_int(struct strbuf *sb, const char *key, long long value)
{
  sb_addf(sb, ",\n  \"%s\": %lld", key, value);
}

// Returns the JSON text; the caller frees it.
char *
job_json(const struct job *j, const char *kernel, const char *socket, const char *ready,
         long reach_timeout)
{
  const struct scenario *s = &j->sc;
  struct strbuf sb = {0};
  struct target t;
  char why[300];
  char *prog = workload_program(s->workload);

  sb_addf(&sb, "{\n  \"job\": %lld", (long long)j->id);
  kv_int(&sb, "campaign", j->campaign);
  kv_int(&sb, "attempt", j->attempt);
  kv_str(&sb, "config", s->file);
  kv_str(&sb, "scenario", s->name);
  kv_str(&sb, "kernel", kernel);
  kv_str(&sb, "socket", socket);
  kv_str(&sb, "ready", ready);
  kv_int(&sb, "cpus", s->cpus);
  kv_str(&sb, "object", s->object);
  kv_str(&sb, "site", s->site);
  kv_int(&sb, "hit", s->hit);
  kv_str(&sb, "target_text", s->target);
  sb_addf(&sb, ",\n  \"target\": ");
  if(target_parse(s->target, &t, why, sizeof(why)) == 0)
    target_json(&sb, &t);
  else
    sb_add(&sb, "null", 4);     // checked when the config was read; GDB refuses null
  kv_str(&sb, "corrupt", s->corrupt);
  kv_int(&sb, "corrupt_n", s->corrupt_n);
  kv_int(&sb, "seed", j->seed);
  kv_str(&sb, "delivery", s->delivery);
  kv_str(&sb, "mode", mode_names[j->mode]);
  kv_int(&sb, "ev6_mode", j->mode);
  kv_str(&sb, "workload", s->workload);
  kv_str(&sb, "workload_program", prog);
  kv_int(&sb, "harts_at_once", s->harts_at_once);
  kv_str(&sb, "second_object", s->second_object);
  kv_str(&sb, "second_site", s->second_site);
  kv_str(&sb, "during_recovery", s->during_recovery);
  kv_str(&sb, "during_hart", s->during_hart);
  kv_str(&sb, "recovery_site", s->recovery_site);
  kv_str(&sb, "during_site", s->during_site);
  kv_str(&sb, "driver", s->driver);
  kv_str(&sb, "fault", s->fault);
  kv_str(&sb, "detector", s->detector);
  kv_str(&sb, "expect_detect", s->expect_detect);
  kv_str(&sb, "expect_restart", s->expect_restart);
  kv_int(&sb, "reach_timeout", reach_timeout);
  sb_add(&sb, "\n}\n", 3);
  free(prog);
  return sb.s;
}
