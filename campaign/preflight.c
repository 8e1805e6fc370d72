// preflight.c - check that a campaign can run at all (see preflight.h).
//
// The scenarios are checked against the kernel by GDB itself, reading the
// ELF's debug info with no guest (campaign/gdbscripts/preflight.py, which
// uses the functions a run uses), and against the file-system image by
// reading its root directory (fsimage.c). The kernel's function names for
// elf_functions() come from its ELF symbol table: the section of type
// SHT_SYMTAB and the string table it links to. Only ELF64 little-endian
// files are read (RISC-V 64 is).
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/fsimage.h"
#include "campaign/jobfile.h"
#include "campaign/preflight.h"
#include "campaign/spawn.h"
#include "campaign/target.h"
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
  missing += need_program("gdb-multiarch", "gdb-multiarch");
  missing += need_file(p->kernel, "kernel", "build it: make FAULTS=1 kernel");
  missing += need_file(p->fs_image, "file-system image", "build it: make fs.img");
  missing += need_file(p->gdb_script, "GDB script", "see campaign/README.md");
  if(p->preflight)           // an array task checked its scenarios at submission
    missing += need_file(p->preflight, "GDB preflight script",
                         "run ev6-campaign from the top of the tree");
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

// One check for GDB, and where to blame it.
struct check {
  const struct scenario *s;
  int line;
  const char *key;            // the config key checked, for the message
  const char *value;
};

// Append check {"id": n, "what": what, ...} to sb and its blame to *cs.
static void
add_check(struct strbuf *sb, struct check **cs, int *n, const struct scenario *s, int line,
          const char *key, const char *what, const char *site, long hit)
{
  *cs = xrealloc(*cs, (size_t)(*n + 1) * sizeof(**cs));
  int driver = strcmp(what, "driver") == 0;

  (*cs)[*n] = (struct check){ s, line, key, site ? site : driver ? s->fault : s->object };
  sb_addf(sb, "%s{\"id\": %d, \"what\": \"%s\", \"object\": ", *n ? ",\n" : "[\n", *n,
          what);
  json_string(sb, s->object);
  if(site){
    sb_addf(sb, ", \"site\": ");
    json_string(sb, site);
    sb_addf(sb, ", \"hit\": %ld", hit);
  }
  if(driver){
    sb_addf(sb, ", \"fault\": ");
    json_string(sb, s->fault);
    sb_addf(sb, ", \"detector\": ");
    json_string(sb, s->detector);
  }
  if(strcmp(what, "target") == 0){
    struct target t;
    char why[300];
    if(target_parse(s->target, &t, why, sizeof(why)) == 0){
      sb_addf(sb, ", \"target\": ");
      target_json(sb, &t);
    }
  }
  sb_add(sb, "}", 1);
  (*n)++;
}

// Report GDB's answers (lines of out) against the checks. Returns the
// number of problems.
static int
report_answers(const char *kernel, const char *out, const struct check *cs, int n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int problems = 0, done = 0, answered = 0;
  const char *p, *nl;

  if(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
     sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$.id'), json_extract(?1, '$.ok'),"
                        " json_extract(?1, '$.error'), json_extract(?1, '$.done'),"
                        " json_extract(?1, '$.fatal') WHERE json_valid(?1)",
                        -1, &st, NULL) != SQLITE_OK){
    sqlite3_close(db);
    warning("preflight: SQLite cannot read GDB's answers");
    return 1;
  }
  for(p = out; *p; p = nl ? nl + 1 : p + strlen(p)){
    nl = strchr(p, '\n');
    if(*p != '{')
      continue;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, p, nl ? (int)(nl - p) : -1, SQLITE_STATIC);
    if(sqlite3_step(st) != SQLITE_ROW)
      continue;
    if(sqlite3_column_type(st, 4) == SQLITE_TEXT){
      warning("preflight: GDB could not check %s: %s", kernel, sqlite3_column_text(st, 4));
      problems++;
    }
    if(sqlite3_column_int(st, 3))
      done = 1;
    if(sqlite3_column_type(st, 0) == SQLITE_INTEGER){
      int id = sqlite3_column_int(st, 0);
      answered++;
      if(id >= 0 && id < n && sqlite3_column_int(st, 1) == 0){
        const struct check *c = &cs[id];
        const char *why = (const char *)sqlite3_column_text(st, 2);
        size_t k = strlen(c->key);
        // "target global:x: ..." names its key already
        if(strncmp(why, c->key, k) == 0 && why[k] == ' ')
          fprintf(stderr, "%s:%d: [%s] %s\n", c->s->file, c->line, c->s->name, why);
        else
          fprintf(stderr, "%s:%d: [%s] %s: %s\n", c->s->file, c->line, c->s->name, c->key,
                  why);
        problems++;
      }
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  if(!done || answered != n){
    warning("preflight: GDB answered %d of %d checks of %s%s", answered, n, kernel,
            done ? "" : " and did not finish");
    problems++;
  }
  return problems;
}

// The scenarios' sites, functions, objects and targets, by GDB.
static int
check_kernel(const char *kernel, const char *script, const struct config *cfg)
{
  struct strbuf sb = {0}, out = {0};
  struct check *cs = NULL;
  int n = 0, problems, status, fd;
  char path[] = "/tmp/ev6-preflight.XXXXXX";
  char *pyset;

  for(int i = 0; i < cfg->n; i++){
    const struct scenario *s = &cfg->sc[i];
    int sl = s->site_line ? s->site_line : s->line;
    add_check(&sb, &cs, &n, s, s->line, "object", "object", NULL, 0);
    add_check(&sb, &cs, &n, s, sl, "site", "site", s->site, s->hit);
    if(s->driver_kind)
      add_check(&sb, &cs, &n, s, s->line, "fault", "driver", NULL, 0);
    else if(s->target)
      add_check(&sb, &cs, &n, s, s->target_line ? s->target_line : s->line, "target",
                "target", NULL, 0);
    if(s->second_site)
      add_check(&sb, &cs, &n, s, s->line, "second_site", "site", s->second_site, 1);
    if(s->during_site)
      add_check(&sb, &cs, &n, s, s->line, "during_site", "site", s->during_site, 1);
    if(s->recovery_site)
      add_check(&sb, &cs, &n, s, s->line, "recovery_site", "function", s->recovery_site, 1);
  }
  sb_add(&sb, n ? "\n]\n" : "[]\n", n ? 3 : 3);
  if((fd = mkstemp(path)) < 0 || write(fd, sb.s, sb.len) != (ssize_t)sb.len){
    warning("preflight: cannot write %s: %s", path, strerror(errno));
    if(fd >= 0)
      close(fd);
    sb_free(&sb);
    free(cs);
    return 1;
  }
  close(fd);
  pyset = xasprintf("python EV6_PREFLIGHT = '%s'", path);
  const char *argv[] = { "gdb-multiarch", "-q", "-nx", "-batch", "-ex", pyset, "-x", script,
                         kernel, NULL };
  status = run_capture(argv, &out, PREFLIGHT_TIMEOUT_MS);
  if(status != 0)
    warning("preflight: %s on %s ended with %s", script, kernel,
            status < 0 ? "a failure" : status_text(status));
  problems = report_answers(kernel, sb_str(&out), cs, n);
  if(problems && (status != 0 || out.len == 0))
    fprintf(stderr, "%s", sb_str(&out));
  unlink(path);
  free(pyset);
  sb_free(&sb);
  sb_free(&out);
  free(cs);
  return problems;
}

// Every program each workload (and the survival check) runs is in the
// image's root directory.
static int
check_image(const char *image, const struct config *cfg, const char *survival)
{
  char why[300], **files = fsimage_root_files(image, why, sizeof(why));
  int problems = 0;

  if(files == NULL){
    warning("%s", why);
    return 1;
  }
  for(int i = 0; i < cfg->n; i++){
    const struct scenario *s = &cfg->sc[i];
    char **progs = workload_programs(s->workload);
    for(int k = 0; progs[k]; k++)
      if(!has_name(files, progs[k])){
        fprintf(stderr, "%s:%d: [%s] workload '%s': %s is not a program in %s\n", s->file,
                s->workload_line ? s->workload_line : s->line, s->name, s->workload,
                progs[k], image);
        problems++;
      }
    free_names(progs);
  }
  {
    char **progs = workload_programs(survival);
    for(int k = 0; progs[k]; k++)
      if(!has_name(files, progs[k])){
        warning("the survival check '%s' runs %s, which is not a program in %s "
                "(rebuild it: make fs.img)", survival, progs[k], image);
        problems++;
      }
    free_names(progs);
  }
  free_names(files);
  return problems;
}

// Returns the number of problems; each was printed.
int
preflight_scenarios(const struct paths *p, const struct config *cfg, const char *survival)
{
  return check_kernel(p->kernel, p->preflight, cfg) +
         check_image(p->fs_image, cfg, survival);
}
