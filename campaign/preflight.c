// preflight.c - check that a campaign can run at all (see preflight.h).
//
// The kernel's function names come from its ELF symbol table: the section
// of type SHT_SYMTAB and the string table it links to. Only ELF64
// little-endian files are read (RISC-V 64 is).
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/preflight.h"
#include "campaign/util.h"

// Warn and return 1 if path cannot be read.
static int
need_file(const char *path, const char *what, const char *hint)
{
  if(access(path, R_OK) == 0)
    return 0;
  warning("%s %s: %s (%s)", what, path, strerror(errno), hint);
  return 1;
}

// Warn and return 1 if prog is not in $PATH.
static int
need_program(const char *prog, const char *package)
{
  if(in_path(prog))
    return 0;
  warning("%s not found in PATH (install the Debian package %s)", prog, package);
  return 1;
}

// Returns how many things are missing; each is reported.
int
preflight_tools(const struct paths *p)
{
  int missing = 0;

  missing += need_program("qemu-system-riscv64", "qemu-system-misc");
  missing += need_program("qemu-img", "qemu-utils");
  missing += need_program("gdb-multiarch", "gdb-multiarch");
  missing += need_file(p->kernel, "kernel", "build it: make FAULTS=1 kernel");
  missing += need_file(p->fs_image, "file-system image", "build it: make fs.img");
  missing += need_file(p->gdb_script, "GDB script", "see campaign/README.md");
  if(access(p->fsck, X_OK) != 0){
    warning("fsck %s: %s (build it: make mkfs/fsck)", p->fsck, strerror(errno));
    missing++;
  }
  return missing;
}

// qsort/bsearch order of names.
static int
cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Returns a sorted, NULL-terminated array the caller frees with
// free_names(), or NULL.
char **
elf_functions(const char *path)
{
  size_t len, count = 0, i;
  char *img = read_file(path, &len), **names = NULL;
  Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
  Elf64_Shdr *sh;

  if(img == NULL)
    return NULL;
  if(len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
     eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
     eh->e_shoff == 0 || eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > len)
    goto out_free_img;
  sh = (Elf64_Shdr *)(img + eh->e_shoff);
  for(i = 0; i < eh->e_shnum; i++){
    Elf64_Shdr *strs;
    Elf64_Sym *sym;
    size_t nsym, k;

    if(sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
      continue;
    strs = &sh[sh[i].sh_link];
    if(sh[i].sh_offset + sh[i].sh_size > len || strs->sh_offset + strs->sh_size > len)
      goto out_free_img;
    sym = (Elf64_Sym *)(img + sh[i].sh_offset);
    nsym = sh[i].sh_size / sizeof(*sym);
    names = xrealloc(names, (count + nsym + 1) * sizeof(*names));
    for(k = 0; k < nsym; k++)
      if(ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && sym[k].st_name < strs->sh_size)
        names[count++] = xstrdup(img + strs->sh_offset + sym[k].st_name);
  }
  if(names == NULL)
    names = xmalloc(sizeof(*names));
  names[count] = NULL;
  qsort(names, count, sizeof(*names), cmp_names);
  free(img);
  return names;

out_free_img:
  free(img);
  return NULL;
}

// Is name in the sorted, NULL-terminated names?
int
has_name(char *const *names, const char *name)
{
  size_t n = 0;

  while(names[n])
    n++;
  return bsearch(&name, names, n, sizeof(*names), cmp_names) != NULL;
}

// Frees what elf_functions() returned.
void
free_names(char **names)
{
  for(size_t i = 0; names && names[i]; i++)
    free(names[i]);
  free(names);
}

// Returns how many warnings it printed; nothing to free.
// Is site a kernel function, or FUNCTION_OBJECT: a second site in the
// same function (log_write_log, fileread_devsw)?
static int
is_site(char *const *fns, const char *site)
{
  char *copy;
  int found = 0;

  if(has_name(fns, site))
    return 1;
  copy = xstrdup(site);
  for(char *us = strrchr(copy, '_'); us && !found; us = strrchr(copy, '_')){
    *us = '\0';
    found = has_name(fns, copy);
  }
  free(copy);
  return found;
}

int
preflight_sites(const char *kernel, const struct config *cfg)
{
  char **fns = elf_functions(kernel);
  int warnings = 0;

  if(fns == NULL){
    warning("cannot read the symbol table of %s", kernel);
    return 1;
  }
  if(!has_name(fns, "fi_trap")){
    warning("%s has no fi_trap: not a fault-injection build (make FAULTS=1)", kernel);
    warnings++;
  }
  for(int i = 0; i < cfg->n; i++){
    const struct scenario *s = &cfg->sc[i];
    if(!is_site(fns, s->site)){
      warning("%s:%d: site '%s' is not a function of %s", s->file,
              s->site_line ? s->site_line : s->line, s->site, kernel);
      warnings++;
    }
    if(s->second_site && !is_site(fns, s->second_site)){
      warning("%s:%d: second_site '%s' is not a function of %s", s->file, s->line,
              s->second_site, kernel);
      warnings++;
    }
    if(s->during_site && !is_site(fns, s->during_site)){
      warning("%s:%d: during_site '%s' is not a function of %s", s->file, s->line,
              s->during_site, kernel);
      warnings++;
    }
    if(s->recovery_site && !has_name(fns, s->recovery_site)){
      warning("%s:%d: recovery_site '%s' is not a function of %s", s->file, s->line,
              s->recovery_site, kernel);
      warnings++;
    }
  }
  free_names(fns);
  return warnings;
}
