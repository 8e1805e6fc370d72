// snapshot.c - private copies of a campaign's inputs (see snapshot.h).
//
// A copy is believed only when the original hashes the same before and
// after the copy and the copy hashes the same too: a file that someone is
// rewriting (mkfs truncates fs.img, then writes it) gives a torn copy, so
// we wait a little and copy again.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

// Write the whole of path's contents to a new file dst with the given
// mode. Returns 0, or -1 with errno set.
static int
copy_file(const char *src, const char *dst, mode_t mode)
{
  size_t len, done = 0;
  char *text = read_file(src, &len);
  int fd, saved;

  if(text == NULL)
    return -1;
  fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if(fd < 0){
    saved = errno;
    free(text);
    errno = saved;
    return -1;
  }
  while(done < len){
    ssize_t w = write(fd, text + done, len - done);
    if(w < 0){
      saved = errno;
      close(fd);
      free(text);
      errno = saved;
      return -1;
    }
    done += (size_t)w;
  }
  free(text);
  if(fchmod(fd, mode) < 0 || close(fd) < 0)
    return -1;
  return 0;
}

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

  if(mkdir(to, 0700) < 0)
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
  s->kernel = xasprintf("%s/kernel", s->dir);
  s->fs_image = xasprintf("%s/fs.img", s->dir);
  copy_stable(kernel, s->kernel, 0555, "kernel");
  copy_stable(fs_image, s->fs_image, 0444, "file-system image");
  s->gdb_script = copy_scripts(s->dir, gdb_script);
}

// nftw() callback: remove one entry, children first.
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  if(remove(path) < 0)
    warning("cannot remove %s: %s", path, strerror(errno));
  return 0;
}

void
snapshot_remove(struct snapshot *s)
{
  if(s->owner != getpid())
    return;
  if(s->dir[0])
    nftw(s->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
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
      if(nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS) == 0)
        removed++;
    }
    globfree(&g);
  }
  free(pattern);
  return removed;
}
