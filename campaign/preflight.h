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
};

// Report every missing tool or file to stderr. Returns the number missing.
int preflight_tools(const struct paths *p);

// Warn about scenarios whose site (or second_site) is not a function of
// the kernel (or FUNCTION_OBJECT, a second site in one function), and
// about a kernel without the fault-injection hooks.
// Returns the number of warnings; never fatal (the GDB side decides).
int preflight_sites(const char *kernel, const struct config *cfg);

// The names of the FUNC symbols of an ELF64 file, sorted, in a
// NULL-terminated array the caller frees with free_names(). NULL if the
// file cannot be read or is not ELF64.
char **elf_functions(const char *path);
int has_name(char *const *names, const char *name);
void free_names(char **names);

#endif
