// campaign.c - fingerprint the inputs and find or create the campaign row
// (see campaign.h). Versions come from running `qemu-system-riscv64
// --version`, `gdb-multiarch --version` and git, each with a timeout.
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/db.h"
#include "campaign/sha256.h"
#include "campaign/spawn.h"
#include "campaign/util.h"

// Digest of a file into hex, or exit naming it. Nothing allocated.
static void
hash_file(const char *path, const char *what, char hex[65])
{
  if(sha256_file(path, hex) < 0)
    fatal("cannot read %s %s: %s", what, path, strerror(errno));
}

// scandir filter: names ending in .py.
static int
is_py(const struct dirent *d)
{
  size_t n = strlen(d->d_name);

  return n > 3 && strcmp(d->d_name + n - 3, ".py") == 0;
}

// One digest over the name and digest of every *.py in dir, by name.
static void
hash_scripts(const char *script, char hex[65])
{
  char *copy = xstrdup(script), *dir = dirname(copy), *path, one[65];
  struct dirent **list = NULL;
  struct sha256 c;
  int n, i;

  sha256_init(&c);
  n = scandir(dir, &list, is_py, alphasort);
  if(n < 0)
    fatal("cannot list %s: %s", dir, strerror(errno));
  for(i = 0; i < n; i++){
    path = xasprintf("%s/%s", dir, list[i]->d_name);
    hash_file(path, "GDB script", one);
    sha256_update(&c, list[i]->d_name, strlen(list[i]->d_name) + 1);
    sha256_update(&c, one, 64);
    free(path);
    free(list[i]);
  }
  free(list);
  free(copy);
  sha256_hex(&c, hex);
}

// Fills the three digests of ids; nothing allocated.
void
campaign_hash_files(const char *kernel, const char *fs_image, const char *gdb_script,
                    struct campaign_ids *ids)
{
  hash_file(kernel, "kernel", ids->kernel_sha);
  hash_file(fs_image, "file-system image", ids->fs_sha);
  hash_scripts(gdb_script, ids->scripts_sha);
}

// Fills ids; ids->config_shas is allocated here and freed by campaign_free().
void
campaign_fingerprint(const struct campaign_inputs *in, struct campaign_ids *ids)
{
  struct sha256 c;
  char *line;

  campaign_hash_files(in->kernel_copy ? in->kernel_copy : in->kernel,
                      in->fs_image_copy ? in->fs_image_copy : in->fs_image,
                      in->gdb_script_copy ? in->gdb_script_copy : in->gdb_script, ids);
  ids->config_shas = xcalloc((size_t)in->nconfigs + 1, sizeof(char *));
  sha256_init(&c);
  for(int i = 0; i < in->nconfigs; i++){
    ids->config_shas[i] = xmalloc(65);
    hash_file(in->configs[i], "config", ids->config_shas[i]);
    line = xasprintf("%s %s\n", in->configs[i], ids->config_shas[i]);
    sha256_update(&c, line, strlen(line));
    free(line);
  }
  // The paper's results file decides the scenarios' paper columns: an input.
  if(in->paper){
    line = xasprintf("paper %s %s\n", in->paper, in->paper_sha);
    sha256_update(&c, line, strlen(line));
    free(line);
  }
  sha256_hex(&c, ids->config_sha);

  line = xasprintf("kernel %s\nfs %s\nscripts %s\nconfigs %s\nseed %ld\nsurvival %s\n",
                   ids->kernel_sha, ids->fs_sha, ids->scripts_sha, ids->config_sha,
                   in->seed, in->survival);
  // --delivery changes every scenario: an input, but only when given, so
  // the campaigns of earlier commands keep their identity.
  if(in->delivery){
    char *with = xasprintf("%sdelivery %s\n", line, in->delivery);
    free(line);
    line = with;
  }
  sha256_init(&c);
  sha256_update(&c, line, strlen(line));
  sha256_hex(&c, ids->ident);
  free(line);
}

// Frees what campaign_fingerprint() allocated.
void
campaign_free(struct campaign_ids *ids)
{
  for(int i = 0; ids->config_shas && ids->config_shas[i]; i++)
    free(ids->config_shas[i]);
  free(ids->config_shas);
  ids->config_shas = NULL;
}

// See campaign.h. The caller frees the result.
char *
first_line(const char *const argv[])
{
  struct strbuf out = {0};
  int st = run_capture(argv, &out, 10000);
  char *line;

  if(st != 0 || out.len == 0){
    sb_free(&out);
    return xstrdup("unknown");
  }
  line = xstrdup(sb_str(&out));
  line[strcspn(line, "\n")] = '\0';
  sb_free(&out);
  return line;
}

// See campaign.h. The caller frees the result.
char *
git_commit(void)
{
  const char *head[] = { "git", "rev-parse", "HEAD", NULL };
  const char *status[] = { "git", "status", "--porcelain", "--untracked-files=no", NULL };
  struct strbuf out = {0};
  char *commit = first_line(head), *s;

  if(strcmp(commit, "unknown") == 0)
    return commit;
  if(run_capture(status, &out, 20000) == 0 && out.len > 0){
    s = xasprintf("%s-dirty", commit);
    free(commit);
    commit = s;
  }
  sb_free(&out);
  return commit;
}

// Returns the campaign id; nothing for the caller to free.
int64_t
campaign_open(sqlite3 *db, const struct campaign_inputs *in,
              const struct campaign_ids *ids, int *is_new)
{
  const char *qv[] = { "qemu-system-riscv64", "--version", NULL };
  const char *gv[] = { "gdb-multiarch", "--version", NULL };
  sqlite3_stmt *st;
  struct strbuf paths = {0};
  char now[21], *qemu, *gdb, *git;
  int64_t id = 0;

  iso_now(now);
  db_begin(db);
  st = db_prepare(db, "SELECT id FROM campaigns WHERE ident = ?1");
  db_bind_text(st, 1, ids->ident);
  if(db_step(st) == SQLITE_ROW)
    id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  *is_new = id == 0;
  if(id){
    st = db_prepare(db, "UPDATE campaigns SET last_started = ?2 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, now);
    db_step(st);
    sqlite3_finalize(st);
    db_commit(db);
    return id;
  }

  qemu = first_line(qv);
  gdb = first_line(gv);
  git = git_commit();
  for(int i = 0; i < in->nconfigs; i++)
    sb_addf(&paths, "%s%s", i ? " " : "", in->configs[i]);
  st = db_prepare(db,
    "INSERT INTO campaigns (ident, started, last_started, command_line, git_commit,"
    " kernel_path, kernel_sha256, fs_image_path, fs_image_sha256, gdb_script_path,"
    " gdb_scripts_sha256, qemu_version, gdb_version, config_paths, config_sha256,"
    " seed, survival_command, timeouts)"
    " VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    " ?16, ?17)");
  db_bind_text(st, 1, ids->ident);
  db_bind_text(st, 2, now);
  db_bind_text(st, 3, in->command_line);
  db_bind_text(st, 4, git);
  db_bind_text(st, 5, in->kernel);
  db_bind_text(st, 6, ids->kernel_sha);
  db_bind_text(st, 7, in->fs_image);
  db_bind_text(st, 8, ids->fs_sha);
  db_bind_text(st, 9, in->gdb_script);
  db_bind_text(st, 10, ids->scripts_sha);
  db_bind_text(st, 11, qemu);
  db_bind_text(st, 12, gdb);
  db_bind_text(st, 13, sb_str(&paths));
  db_bind_text(st, 14, ids->config_sha);
  db_bind_int(st, 15, in->seed);
  db_bind_text(st, 16, in->survival);
  db_bind_text(st, 17, in->timeouts);
  db_step(st);
  sqlite3_finalize(st);
  id = sqlite3_last_insert_rowid(db);
  db_commit(db);
  free(qemu);
  free(gdb);
  free(git);
  sb_free(&paths);
  return id;
}

// Append a to sb as one word for sh: as it is when it needs no quotes,
// else in single quotes.
static void
add_word(struct strbuf *sb, const char *a)
{
  if(*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789-_./=:,+@%") == strlen(a)){
    sb_add(sb, a, strlen(a));
    return;
  }
  sb_add(sb, "'", 1);
  for(; *a; a++)
    if(*a == '\'')
      sb_add(sb, "'\\''", 4);
    else
      sb_add(sb, a, 1);
  sb_add(sb, "'", 1);
}

// Returns the quoted word; the caller frees it.
char *
shell_word(const char *s)
{
  struct strbuf sb = {0};

  add_word(&sb, s);
  return sb.s;
}

// Returns the quoted command line; the caller frees it.
char *
command_line(int argc, char **argv)
{
  struct strbuf sb = {0};

  for(int i = 0; i < argc; i++){
    if(i)
      sb_add(&sb, " ", 1);
    add_word(&sb, argv[i]);
  }
  return sb.s ? sb.s : xstrdup("");
}
