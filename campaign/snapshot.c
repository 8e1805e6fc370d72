// snapshot.c - private copies of a campaign's inputs (see snapshot.h).
//
// A copy is believed only when the original hashes the same before and
// after the copy and the copy hashes the same too: a file that someone is
// rewriting (mkfs truncates fs.img, then writes it) gives a torn copy, so
// we wait a little and copy again.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign/rundir.h"
#include "campaign/sha256.h"
#include "campaign/snapshot.h"
#include "campaign/util.h"

#define COPY_TRIES    10
#define COPY_RETRY_MS 500

static struct snapshot *at_exit;   // removed when its owner exits

// Copy src to dst, again while src changes under the copy (see the file
// header); exits naming what if it cannot.
static void
copy_stable(const char *src, const char *dst, mode_t mode, const char *what)
{
  char before[65], copy[65], after[65];

  for(int i = 0; i < COPY_TRIES; i++){
    if(sha256_file(src, before) < 0 || copy_file(src, dst, mode) < 0)
      fatal("cannot copy %s %s to %s: %s", what, src, dst, strerror(errno));
    if(sha256_file(dst, copy) < 0 || sha256_file(src, after) < 0)
      fatal("cannot read %s %s: %s", what, src, strerror(errno));
    if(strcmp(before, copy) == 0 && strcmp(copy, after) == 0)
      return;
    usleep(COPY_RETRY_MS * 1000);
  }
  fatal("%s %s kept changing while it was copied (%d tries): is a build running?",
        what, src, COPY_TRIES);
}

// scandir filter: names ending in .py.
static int
is_py(const struct dirent *d)
{
  size_t n = strlen(d->d_name);

  return n > 3 && strcmp(d->d_name + n - 3, ".py") == 0;
}

// Copy every *.py beside script into dir/gdbscripts; returns the copy of
// script, which the caller frees.
static char *
copy_scripts(const char *dir, const char *script)
{
  char *copy = xstrdup(script), *from = dirname(copy);
  char *name = xstrdup(script), *to = xasprintf("%s/gdbscripts", dir), *mine;
  struct dirent **list = NULL;
  int n;

  if(mkdir(to, 0755) < 0)
    fatal("cannot create %s: %s", to, strerror(errno));
  n = scandir(from, &list, is_py, alphasort);
  if(n < 0)
    fatal("cannot list %s: %s", from, strerror(errno));
  for(int i = 0; i < n; i++){
    char *src = xasprintf("%s/%s", from, list[i]->d_name);
    char *dst = xasprintf("%s/%s", to, list[i]->d_name);
    copy_stable(src, dst, 0444, "GDB script");
    free(src);
    free(dst);
    free(list[i]);
  }
  free(list);
  mine = xasprintf("%s/%s", to, basename(name));
  if(access(mine, R_OK) != 0)
    copy_stable(script, mine, 0444, "GDB script");
  free(copy);
  free(name);
  free(to);
  return mine;
}

// atexit(): remove the snapshot, in the process that took it only.
static void
remove_at_exit(void)
{
  if(at_exit)
    snapshot_remove(at_exit);
}

// Copy the inputs into s->dir, which exists.
static void
copy_inputs(struct snapshot *s, const char *kernel, const char *fs_image,
            const char *gdb_script)
{
  s->kernel = xasprintf("%s/kernel", s->dir);
  s->fs_image = xasprintf("%s/fs.img", s->dir);
  copy_stable(kernel, s->kernel, 0555, "kernel");
  copy_stable(fs_image, s->fs_image, 0444, "file-system image");
  s->gdb_script = copy_scripts(s->dir, gdb_script);
}

void
snapshot_take(struct snapshot *s, const char *kernel, const char *fs_image,
              const char *gdb_script)
{
  memset(s, 0, sizeof(*s));
  snprintf(s->dir, sizeof(s->dir), "%s/ev6-inputs.%d.XXXXXX", rundir_tmpdir(),
           (int)getpid());
  if(mkdtemp(s->dir) == NULL)
    fatal("cannot create a directory in %s: %s", rundir_tmpdir(), strerror(errno));
  s->owner = getpid();
  if(at_exit == NULL){
    at_exit = s;
    atexit(remove_at_exit);
  }
  copy_inputs(s, kernel, fs_image, gdb_script);
}

void
snapshot_stage(struct snapshot *s, const char *dir, const char *kernel,
               const char *fs_image, const char *gdb_script)
{
  memset(s, 0, sizeof(*s));
  if(snprintf(s->dir, sizeof(s->dir), "%s", dir) >= (int)sizeof(s->dir))
    fatal("directory name too long: %s", dir);
  if(mkdir(s->dir, 0755) < 0)
    fatal("cannot create %s: %s", s->dir, strerror(errno));
  copy_inputs(s, kernel, fs_image, gdb_script);
}

void
snapshot_remove(struct snapshot *s)
{
  if(s->owner != 0 && s->owner != getpid())
    return;
  if(s->owner && s->dir[0])
    remove_tree(s->dir);
  free(s->kernel);
  free(s->fs_image);
  free(s->gdb_script);
  if(at_exit == s)
    at_exit = NULL;
  memset(s, 0, sizeof(*s));
}

int
snapshot_sweep(void)
{
  char *pattern = xasprintf("%s/ev6-inputs.*.??????", rundir_tmpdir());
  glob_t g;
  int removed = 0;

  if(glob(pattern, GLOB_ONLYDIR, NULL, &g) == 0){
    for(size_t i = 0; i < g.gl_pathc; i++){
      const char *dir = g.gl_pathv[i], *base = strrchr(dir, '/') + 1;
      long owner = strtol(base + strlen("ev6-inputs."), NULL, 10);
      if(owner <= 0 || !(kill((pid_t)owner, 0) < 0 && errno == ESRCH))
        continue;
      if(remove_tree(dir) == 0)
        removed++;
    }
    globfree(&g);
  }
  free(pattern);
  return removed;
}
