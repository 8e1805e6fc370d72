// slurm.c - run sinfo, sbatch and squeue (see slurm.h).
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "campaign/slurm.h"
#include "campaign/spawn.h"
#include "campaign/util.h"

#define SLURM_TIMEOUT_MS 60000    // a busy slurmctld answers slowly

// Returns a static string or NULL.
const char *
slurm_missing(void)
{
  static const char *const cmds[] = { "sbatch", "squeue", "sinfo", NULL };
  static char missing[64];

  missing[0] = '\0';
  for(int i = 0; cmds[i]; i++)
    if(!in_path(cmds[i]))
      snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
               missing[0] ? ", " : "", cmds[i]);
  return missing[0] ? missing : NULL;
}

// Run argv; its output (stdout and stderr) into *out. Returns 0 when it
// exited 0, else -1 with *why: the command and its last line of output.
static int
run(const char *const argv[], struct strbuf *out, char **why)
{
  int st = run_capture(argv, out, SLURM_TIMEOUT_MS);

  if(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
    return 0;
  *why = xasprintf("%s failed (%s): %s", argv[0],
                   st < 0 ? "could not run it to the end" : status_text(st),
                   out->len ? last_line(out) : "no output");
  return -1;
}

// Returns 1, 0 or -1 (see slurm.h).
int
slurm_partition_exists(const char *partition, char **known, char **why)
{
  const char *argv[] = { "sinfo", "-h", "-o", "%P", NULL };
  struct strbuf out = {0}, list = {0};
  int found = 0;
  char *s, *line, *save = NULL;

  *known = NULL;
  if(run(argv, &out, why) < 0){
    sb_free(&out);
    return -1;
  }
  s = xstrdup(sb_str(&out));
  for(line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)){
    size_t n = strcspn(line, " \t");
    if(n > 0 && line[n - 1] == '*')      // the default partition
      n--;
    line[n] = '\0';
    if(n == 0 || strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789_-.") != n)
      continue;                          // not a partition name (a warning)
    if(strcmp(line, partition) == 0)
      found = 1;
    sb_addf(&list, "%s%s", list.len ? ", " : "", line);
  }
  free(s);
  sb_free(&out);
  if(!found)
    *known = xstrdup(list.len ? sb_str(&list) : "none");
  sb_free(&list);
  return found;
}

// Returns the job id or NULL (see slurm.h).
char *
slurm_submit(const struct slurm_array *a, char **why)
{
  const char *argv[16];
  char *array = xasprintf("--array=0-%d", a->tasks - 1);
  char *name = xasprintf("--job-name=%s", a->name);
  char *output = xasprintf("--output=%s/slurm-%%A_%%a.out", a->dir);
  char *chdir = xasprintf("--chdir=%s", a->dir);
  char *cpus = xasprintf("--cpus-per-task=%d", a->cpus_per_task);
  char *part = a->partition ? xasprintf("--partition=%s", a->partition) : NULL;
  char *acct = a->account ? xasprintf("--account=%s", a->account) : NULL;
  char *time = a->time_limit ? xasprintf("--time=%s", a->time_limit) : NULL;
  struct strbuf out = {0};
  char *id = NULL, *s, *line, *save = NULL;
  int n = 0;

  argv[n++] = "sbatch";
  argv[n++] = "--parsable";
  argv[n++] = array;
  argv[n++] = name;
  argv[n++] = output;
  argv[n++] = "--open-mode=append";     // a requeued task adds to its log
  argv[n++] = chdir;
  argv[n++] = cpus;
  if(part)
    argv[n++] = part;
  if(acct)
    argv[n++] = acct;
  if(time)
    argv[n++] = time;
  argv[n++] = a->script;
  argv[n] = NULL;
  if(run(argv, &out, why) == 0){
    // --parsable prints "id" or "id;cluster"; anything else is a warning
    s = xstrdup(sb_str(&out));
    for(line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)){
      size_t d = strspn(line, "0123456789");
      if(d > 0 && (line[d] == '\0' || line[d] == ';')){
        free(id);
        id = xasprintf("%.*s", (int)d, line);
      }
    }
    free(s);
    if(id == NULL)
      *why = xasprintf("sbatch printed no job id: %s", out.len ? last_line(&out) : "nothing");
  }
  sb_free(&out);
  free(array); free(name); free(output); free(chdir); free(cpus);
  free(part); free(acct); free(time);
  return id;
}

// Returns 0 or -1 (see slurm.h).
int
slurm_live(const char *job, unsigned char *live, int n, struct slurm_live *sl, char **why)
{
  char *jobs = xasprintf("--jobs=%s", job);
  const char *argv[] = { "squeue", "-h", "-r", jobs, "-o", "%K %t", NULL };
  struct strbuf out = {0};
  char *s, *line, *save = NULL;
  int rc = 0;

  memset(live, 0, (size_t)n);
  memset(sl, 0, sizeof(*sl));
  if(run(argv, &out, why) < 0){
    // a job that left slurmctld's memory (MinJobAge) is no error here
    if(strstr(sb_str(&out), "Invalid job id") == NULL)
      rc = -1;
    else {
      free(*why);
      *why = NULL;
    }
    sb_free(&out);
    free(jobs);
    return rc;
  }
  s = xstrdup(sb_str(&out));
  for(line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)){
    char state[16];
    long task;
    if(sscanf(line, "%ld %15s", &task, state) != 2)
      continue;                 // a warning, or N/A for a job that is no array
    if(task >= 0 && task < n)
      live[task] = 1;
    if(strcmp(state, "PD") == 0)
      sl->pending++;
    else if(strcmp(state, "R") == 0)
      sl->running++;
    else
      sl->other++;
  }
  free(s);
  sb_free(&out);
  free(jobs);
  return 0;
}

// No allocation.
int
slurm_time_ok(const char *s)
{
  if(strcmp(s, "UNLIMITED") == 0 || strcmp(s, "INFINITE") == 0 ||
     strcmp(s, "unlimited") == 0 || strcmp(s, "infinite") == 0)
    return 1;
  if(!isdigit((unsigned char)*s))
    return 0;
  return strspn(s, "0123456789:-") == strlen(s) && strlen(s) <= 16;
}
