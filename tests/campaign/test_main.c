// test_main.c - run the orchestrator's unit test suites and print the one
// line tests/run-all.sh adds up: `campaign: N passed, N failed`.
//
//   build/campaign/test-campaign     (from the top of the tree)
//
// Run from the top of the source tree: the suites read configs/*.ini and
// tests/campaign/logs/*.log. Scratch files go to a fresh directory under
// $TMPDIR, removed at the end.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "campaign/config.h"
#include "campaign/db.h"
#include "campaign/runner.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

int checks_passed, checks_failed;

static char dir[64];

const char *
scratch(void)
{
  return dir;
}

// Returns a path the caller frees.
char *
scratch_path(const char *name)
{
  return xasprintf("%s/%s", dir, name);
}

// Writes text to a new scratch file; returns its path, which the caller frees.
char *
scratch_file(const char *name, const char *text)
{
  char *path = scratch_path(name);
  FILE *f = fopen(path, "w");

  if(f == NULL || fputs(text, f) == EOF || fclose(f) != 0){
    perror(path);
    exit(1);
  }
  return path;
}

// msgs with "F" for path wherever a line starts with "path:"; the caller
// frees the result.
char *
messages_as_F(const char *msgs, const char *path)
{
  struct strbuf sb = {0};
  size_t plen = strlen(path);
  char *out;

  for(const char *p = msgs; *p; ){
    if(strncmp(p, path, plen) == 0 && p[plen] == ':'){
      sb_add(&sb, "F", 1);
      p += plen;
    }
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
    sb_add(&sb, p, n);
    p += n;
  }
  out = xstrdup(sb_str(&sb));
  sb_free(&sb);
  return out;
}

// Returns the new campaign id.
int64_t
make_campaign(sqlite3 *db, const char *ident)
{
  sqlite3_stmt *st = db_prepare(db,
    "INSERT INTO campaigns (ident, started, last_started, command_line, git_commit,"
    " kernel_path, kernel_sha256, fs_image_path, fs_image_sha256, gdb_script_path,"
    " gdb_scripts_sha256, qemu_version, gdb_version, config_paths, config_sha256, seed,"
    " survival_command, timeouts) VALUES (?1, 't', 't', 'c', 'g', 'k', 'ks', 'f',"
    " 'fs', 'g', 'gs', 'q', 'gv', 'c', 'cs', 1, 'usertests -q', 't')");

  db_bind_text(st, 1, ident);
  db_step(st);
  sqlite3_finalize(st);
  return sqlite3_last_insert_rowid(db);
}

// Loads text as a config file (scratch jobs.ini) into *cfg.
void
load_config(struct config *cfg, const char *text)
{
  char *path = scratch_path("jobs.ini");
  FILE *f = fopen(path, "w");

  fputs(text, f);
  fclose(f);
  check(config_load(cfg, path, stdout) == 0, "jobs.ini loads");
  free(path);
}

// A run result as the runner would leave it, with console text.
void
fake_result(struct runresult *rr, const char *console, const char *results)
{
  memset(rr, 0, sizeof(*rr));
  sb_add(&rr->console, console, strlen(console));
  if(results)
    sb_add(&rr->results, results, strlen(results));
  rr->ev.console = sb_str(&rr->console);
  rr->ev.console_len = rr->console.len;
  rr->ev.results = sb_str(&rr->results);
  rr->ev.gdb_status = 0;              // GDB exited by itself, status 0
  rr->ev.workload_at = rr->ev.survival_at = NOPOS;
  rr->ev.fsck_status = -1;
  rr->boot_ms = rr->reach_ms = rr->recovery_ms = rr->survival_ms = -1;
  rr->gdb_status = -1;
  iso_now(rr->started);
}

int
main(void)
{
  const char *tmp = getenv("TMPDIR");

  snprintf(dir, sizeof(dir), "%s/ev6-test.XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if(mkdtemp(dir) == NULL){
    perror("mkdtemp");
    return 1;
  }
  test_misc();
  test_console();
  test_config();
  test_paper();
  test_classify();
  test_jobs();
  test_shard();
  {
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if(system(cmd) != 0)
      printf("warning: could not remove %s\n", dir);
    free(cmd);
  }
  printf("campaign: %d passed, %d failed\n", checks_passed, checks_failed);
  return checks_failed != 0;
}
