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
  {
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if(system(cmd) != 0)
      printf("warning: could not remove %s\n", dir);
    free(cmd);
  }
  printf("campaign: %d passed, %d failed\n", checks_passed, checks_failed);
  return checks_failed != 0;
}
