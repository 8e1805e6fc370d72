// preflight.h - before anything runs: is every program and file a run
// needs there, and does the kernel have the functions the scenarios name?
// Each missing thing is reported by name; the caller exits non-zero.
#ifndef CAMPAIGN_PREFLIGHT_H
#define CAMPAIGN_PREFLIGHT_H

#include "campaign/config.h"

struct paths {
  const char *kernel;       // kernel ELF (the FAULTS=1 build)
  const char *fs_image;     // fs.img
  const char *fsck;         // mkfs/fsck
  const char *gdb_script;   // campaign/gdbscripts/ev6inject.py
  const char *preflight;    // campaign/gdbscripts/preflight.py (whatever the
                            //   injector: it uses the project's GDB modules)
};

// Report every missing tool or file to stderr. Returns the number missing.
int preflight_tools(const struct paths *p);

// Check every scenario before anything runs: its object type, site
// (second_site, during_site, recovery_site) and global: target against
// the kernel ELF (GDB on the file; campaign/gdbscripts/preflight.py), and
// every program its workload runs, and the survival check's, against the
// root directory of the file-system image. Each problem is printed to
// stderr as "file:line: [section] key 'value': why". Returns their number.
#define PREFLIGHT_TIMEOUT_MS 120000
int preflight_scenarios(const struct paths *p, const struct config *cfg, const char *survival);

// The names of the FUNC symbols of an ELF64 file, sorted, in a
// NULL-terminated array the caller frees with free_names(). NULL if the
// file cannot be read or is not ELF64.
char **elf_functions(const char *path);
int has_name(char *const *names, const char *name);
void free_names(char **names);

#endif
