// snapshot.h - private copies of the files every run of a campaign reads:
// the kernel ELF, the file-system image and the GDB scripts, in
// $TMPDIR/ev6-inputs.PID.XXXXXX (default /tmp).
//
// Why: each run copies fs.img, and GDB loads the kernel and the scripts,
// when the run starts. A `make' in the same checkout rewrites these files
// in place (mkfs opens fs.img with "wb"): a copy taken halfway through is
// neither image, and runs of one campaign would test different kernels.
// A campaign therefore runs, and fingerprints, copies that nobody else
// writes.
#ifndef CAMPAIGN_SNAPSHOT_H
#define CAMPAIGN_SNAPSHOT_H

#include <limits.h>
#include <sys/types.h>

struct snapshot {
  char dir[PATH_MAX];       // "" until created
  char *kernel;             // dir/kernel
  char *fs_image;           // dir/fs.img, read-only
  char *gdb_script;         // dir/gdbscripts/NAME, beside copies of every
                            // *.py of the original script's directory
  pid_t owner;              // only this process removes it
};

// Copy kernel, fs_image and every *.py beside gdb_script into a new
// directory; a file that changes while it is copied is copied again.
// Exits (fatal) if it cannot. The directory is removed by snapshot_remove(),
// and also when the calling process exits (never by its forked children).
void snapshot_take(struct snapshot *s, const char *kernel, const char *fs_image,
                   const char *gdb_script);

// The same copies, made in a new directory dir for good (s->owner is 0:
// nobody removes it): the inputs of a Slurm job array, staged once on a
// file system its tasks see (array.c). Exits if it cannot.
void snapshot_stage(struct snapshot *s, const char *dir, const char *kernel,
                    const char *fs_image, const char *gdb_script);

// Remove the copies and the directory, if s->owner is the caller (a
// staged one: free s's strings only).
void snapshot_remove(struct snapshot *s);

// Remove the snapshot directories of processes that no longer exist.
// Returns how many were removed.
int snapshot_sweep(void);

#endif
