// rundir.h - the temporary directory of one run: $TMPDIR/ev6.PID.XXXXXX
// (default /tmp) holding the guest's disk (a copy of fs.img, which fsck
// reads at the end), the gdbstub socket, the job file, GDB's result
// file, log and ready file, and a hung guest's snapshot (runner.c). Removed when the run ends; rundir_sweep() removes those a
// killed process left behind.
#ifndef CAMPAIGN_RUNDIR_H
#define CAMPAIGN_RUNDIR_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "campaign/util.h"

struct rundir {
  char dir[PATH_MAX];       // "" until created
  char *disk;               // disk.img, a copy of fs.img
  char *sock;               // gdb.sock
  char *jobf;               // job.json ($EV6_JOB)
  char *resf;               // result.jsonl ($EV6_RESULT), created empty
  char *gdbf;               // gdb.log
  char *readyf;             // gdb.ready: GDB creates it once it waits for the
                            // workload's exec (the runner types the workload then)
  char *hangf;              // hang.txt ($EV6_FORENSICS): a hung guest's state
  char *hanglog;            // hang.log: that GDB's own output
  char *qmp;                // qmp.sock: QEMU's QMP socket (its run state, for a hang)
};

// $TMPDIR if it is short enough for a unix socket path below it (at most
// 108 bytes), or /tmp. Also used for the campaign's snapshot (snapshot.h).
const char *rundir_tmpdir(void);

// Create the directory, the copy of fs_image and the empty result file. Returns 0, or -1 with the reason in err[n]. The
// paths are freed by rundir_remove(), which must be called either way.
int rundir_make(struct rundir *d, const char *fs_image, char *err, size_t n);

// Write text to path. Returns 0, or -1 with the reason in err[n].
int rundir_write(const char *path, const char *text, char *err, size_t n);

// Run `fsck -rv` on the disk, its report (problems, or the counts of a
// clean disk) appended to log. Returns fsck's exit status, or -1 with the reason in
// err[n] if it could not be run to the end.
int rundir_fsck(const struct rundir *d, const char *fsck, struct strbuf *log,
                char *err, size_t n);

// Remove the files and the directory, and free the paths.
void rundir_remove(struct rundir *d);

// Remove the run directories of processes that are gone (pid 0), or of
// process pid. Returns how many were removed.
int rundir_sweep(pid_t pid);

#endif
