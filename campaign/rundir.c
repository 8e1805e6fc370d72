// rundir.c - a run's temporary directory (see rundir.h). The guest's disk
// is a plain copy of fs.img (2 MB), not a qcow2 overlay: QEMU 7.2 exits at
// the guest's poweroff without writing back qcow2's cached metadata, so an
// overlay lost the mapping of every cluster first written since the last
// write-back, and fsck read those blocks from the backing file (a new
// directory's "." and ".." block came back as zeros: corrupt-fs with no
// fault of the kernel). A raw file's writes are the host's as soon as QEMU
// makes them.
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/rundir.h"
#include "campaign/spawn.h"

static const char *const names[] = { "disk.img", "gdb.sock", "job.json",
                                     "result.jsonl", "gdb.log", "gdb.ready",
                                     "hang.txt", "hang.log", "qmp.sock" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

// See rundir.h.
const char *
rundir_tmpdir(void)
{
  const char *tmp = getenv("TMPDIR");

  return tmp == NULL || *tmp == '\0' || strlen(tmp) > 60 ? "/tmp" : tmp;
}

int
rundir_make(struct rundir *d, const char *fs_image, char *err, size_t n)
{
  int fd;

  memset(d, 0, sizeof(*d));
  snprintf(d->dir, sizeof(d->dir), "%s/ev6.%d.XXXXXX", rundir_tmpdir(), (int)getpid());
  if(mkdtemp(d->dir) == NULL){
    snprintf(err, n, "cannot create a directory in %s: %s", rundir_tmpdir(), strerror(errno));
    d->dir[0] = '\0';
    return -1;
  }
  d->disk = xasprintf("%s/%s", d->dir, names[0]);
  d->sock = xasprintf("%s/%s", d->dir, names[1]);
  d->jobf = xasprintf("%s/%s", d->dir, names[2]);
  d->resf = xasprintf("%s/%s", d->dir, names[3]);
  d->gdbf = xasprintf("%s/%s", d->dir, names[4]);
  d->readyf = xasprintf("%s/%s", d->dir, names[5]);
  d->hangf = xasprintf("%s/%s", d->dir, names[6]);
  d->hanglog = xasprintf("%s/%s", d->dir, names[7]);
  d->qmp = xasprintf("%s/%s", d->dir, names[8]);

  if(copy_file(fs_image, d->disk, 0644) < 0){
    snprintf(err, n, "cannot copy %s to %s: %s", fs_image, d->disk, strerror(errno));
    return -1;
  }
  fd = open(d->resf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0){
    snprintf(err, n, "cannot create %s: %s", d->resf, strerror(errno));
    return -1;
  }
  close(fd);
  return 0;
}

int
rundir_write(const char *path, const char *text, char *err, size_t n)
{
  size_t len = strlen(text);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if(fd < 0 || write(fd, text, len) != (ssize_t)len){
    snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
    if(fd >= 0)
      close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

int
rundir_fsck(const struct rundir *d, const char *fsck, struct strbuf *log,
            char *err, size_t n)
{
  const char *check[] = { fsck, "-rv", d->disk, NULL };   // -v: what was checked
  int st = run_capture(check, log, 60000);
  if(st == -1 || !WIFEXITED(st)){
    snprintf(err, n, "fsck did not complete (%s): %s", status_text(st), last_line(log));
    return -1;
  }
  return WEXITSTATUS(st);
}

void
rundir_remove(struct rundir *d)
{
  char *paths[] = { d->disk, d->sock, d->jobf, d->resf, d->gdbf, d->readyf, d->hangf,
                    d->hanglog, d->qmp };

  for(size_t i = 0; i < NNAMES; i++)
    if(paths[i])
      unlink(paths[i]);
  if(d->dir[0] && rmdir(d->dir) < 0)
    warning("cannot remove %s: %s", d->dir, strerror(errno));
  for(size_t i = 0; i < NNAMES; i++)
    free(paths[i]);
  memset(d, 0, sizeof(*d));
}

int
rundir_sweep(pid_t pid)
{
  char *pattern;
  glob_t g;
  int removed = 0;

  if(pid > 0)
    pattern = xasprintf("%s/ev6.%d.??????", rundir_tmpdir(), (int)pid);
  else
    pattern = xasprintf("%s/ev6.*.??????", rundir_tmpdir());
  if(glob(pattern, GLOB_ONLYDIR, NULL, &g) == 0){
    for(size_t i = 0; i < g.gl_pathc; i++){
      const char *dir = g.gl_pathv[i], *base = strrchr(dir, '/') + 1;
      long owner = strtol(base + 4, NULL, 10);
      if(owner <= 0 || (pid == 0 && !(kill((pid_t)owner, 0) < 0 && errno == ESRCH)))
        continue;
      for(size_t k = 0; k < NNAMES; k++){
        char *f = xasprintf("%s/%s", dir, names[k]);
        unlink(f);
        free(f);
      }
      if(rmdir(dir) == 0)
        removed++;
    }
    globfree(&g);
  }
  free(pattern);
  return removed;
}
