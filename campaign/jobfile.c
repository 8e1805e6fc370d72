// jobfile.c - write the job file GDB reads (campaign/README.md, "Job
// file"), and the one check the runner makes on GDB's result lines before
// the database sees them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/jobfile.h"
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
job_json(const struct job *j, const char *kernel, const char *socket,
         long reach_timeout)
{
  const struct scenario *s = &j->sc;
  struct strbuf sb = {0};
  char *prog = workload_program(s->workload);

  sb_addf(&sb, "{\n  \"job\": %lld", (long long)j->id);
  kv_int(&sb, "campaign", j->campaign);
  kv_int(&sb, "attempt", j->attempt);
  kv_str(&sb, "config", s->file);
  kv_str(&sb, "scenario", s->name);
  kv_str(&sb, "kernel", kernel);
  kv_str(&sb, "socket", socket);
  kv_int(&sb, "cpus", s->cpus);
  kv_str(&sb, "object", s->object);
  kv_str(&sb, "site", s->site);
  kv_int(&sb, "hit", s->hit);
  kv_str(&sb, "target", s->target);
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
  kv_int(&sb, "reach_timeout", reach_timeout);
  sb_add(&sb, "\n}\n", 3);
  free(prog);
  return sb.s;
}

// The value of the top-level key `key` in one line of JSON: a pointer to
// its first character, or NULL. Scans line in place; no allocation.
static const char *
json_value(const char *line, const char *key)
{
  size_t klen = strlen(key);
  const char *p = line;

  while((p = strchr(p, '"')) != NULL){
    p++;
    if(strncmp(p, key, klen) == 0 && p[klen] == '"'){
      p += klen + 1;
      p += strspn(p, " \t");
      if(*p != ':')
        continue;
      p++;
      return p + strspn(p, " \t");
    }
  }
  return NULL;
}

// No allocation.
int
json_is_true(const char *line, const char *key)
{
  const char *v = json_value(line, key);

  return v != NULL && strncmp(v, "true", 4) == 0;
}

// No allocation.
int
json_is_false(const char *line, const char *key)
{
  const char *v = json_value(line, key);

  return v != NULL && strncmp(v, "false", 5) == 0;
}

// Writes into buf (size >= 1), truncating; no allocation.
int
json_get_string(const char *line, const char *key, char *buf, size_t size)
{
  const char *v = json_value(line, key);
  size_t n = 0;

  buf[0] = '\0';
  if(v == NULL || *v != '"')
    return -1;
  for(v++; *v && *v != '"' && n + 1 < size; v++){
    if(*v == '\\' && v[1]){
      v++;
      if(*v == 'u'){
        buf[n++] = '?';
        v += strspn(v + 1, "0123456789abcdefABCDEF") > 4 ? 4 :
             strspn(v + 1, "0123456789abcdefABCDEF");
        continue;
      }
      buf[n++] = *v == 'n' ? ' ' : *v == 't' ? ' ' : *v;
    } else
      buf[n++] = *v;
  }
  buf[n] = '\0';
  return 0;
}
