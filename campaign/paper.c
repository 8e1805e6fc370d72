// paper.c - read reports/paper.tsv and give each scenario the paper's
// results (see paper.h). The whole file is checked: every record has 12
// fields and no empty one, fields 6 and 7 are results or '-', and the ids
// of the Table 2 and 3 records are unique. Records of the other tables
// (4, fig5, summary) are checked but not kept.
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/paper.h"
#include "campaign/sha256.h"
#include "campaign/util.h"

#define NFIELDS 12

static const char *const field_names[NFIELDS] = {
  "table", "row", "id", "object", "site", "conservative", "aggressive", "flag",
  "value", "scenario", "paper", "note"
};

// Print "path:line: message" and count it.
static void __attribute__((format(printf, 5, 6)))
perr(FILE *errs, int *errors, const char *path, int line, const char *fmt, ...)
{
  va_list ap;

  fprintf(errs, "%s:%d: ", path, line);
  va_start(ap, fmt);
  vfprintf(errs, fmt, ap);
  va_end(ap);
  fputc('\n', errs);
  (*errors)++;
}

// Is v a result: SF, PK or FS, several (each once) joined by '|'?
static int
is_result(const char *v)
{
  static const char *const tokens[] = { "SF", "PK", "FS" };
  int seen[3] = {0};

  for(;;){
    int t;
    for(t = 0; t < 3; t++)
      if(strncmp(v, tokens[t], 2) == 0 && (v[2] == '|' || v[2] == '\0'))
        break;
    if(t == 3 || seen[t])
      return 0;
    seen[t] = 1;
    if(v[2] == '\0')
      return 1;
    v += 3;
  }
}

// Empties pp, then reads path; returns the problem count.
int
paper_load(struct paper *pp, const char *path, FILE *errs)
{
  FILE *in;
  char *buf = NULL, *f[NFIELDS];
  size_t cap = 0;
  ssize_t len;
  struct sha256 c;
  int line = 0, errors = 0;

  paper_free(pp);
  in = fopen(path, "r");
  if(in == NULL){
    fprintf(errs, "%s: cannot open: %s\n", path, strerror(errno));
    return 1;
  }
  sha256_init(&c);
  while((len = getline(&buf, &cap, in)) >= 0){
    int nf = 1, bad = 0, table23;
    char *s;

    sha256_update(&c, buf, (size_t)len);
    line++;
    while(len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
      buf[--len] = '\0';
    if(buf[0] == '#')
      continue;
    for(s = buf; *s; s++)
      if(*s == '\t')
        nf++;
    if(nf != NFIELDS){
      perr(errs, &errors, path, line, "%d field%s (expected %d, separated by one TAB "
           "each; '#' starts a comment)", nf, nf == 1 ? "" : "s", NFIELDS);
      continue;
    }
    f[0] = buf;
    for(int i = 1; i < NFIELDS; i++){
      f[i] = strchr(f[i - 1], '\t');
      *f[i]++ = '\0';
    }
    for(int i = 0; i < NFIELDS; i++)
      if(f[i][0] == '\0'){
        perr(errs, &errors, path, line, "empty field %d (%s); '-' means none", i + 1,
             field_names[i]);
        bad = 1;
      }
    if(bad)
      continue;
    for(int m = 0; m < NMODES; m++)
      if(strcmp(f[5 + m], "-") != 0 && !is_result(f[5 + m])){
        perr(errs, &errors, path, line, "bad %s result '%s' (expected SF, PK or FS, "
             "several joined by '|', or '-')", mode_names[m], f[5 + m]);
        bad = 1;
      }
    table23 = strcmp(f[0], "2") == 0 || strcmp(f[0], "3") == 0;
    if(bad || !table23)
      continue;
    if(strcmp(f[2], "-") == 0){
      perr(errs, &errors, path, line, "a Table %s record needs an id (the section name)",
           f[0]);
      continue;
    }
    const struct paper_rec *dup = paper_find(pp, f[2]);
    if(dup){
      perr(errs, &errors, path, line, "duplicate id '%s' (first on line %d)", f[2],
           dup->line);
      continue;
    }
    pp->rec = xrealloc(pp->rec, (size_t)(pp->n + 1) * sizeof(*pp->rec));
    struct paper_rec *r = &pp->rec[pp->n++];
    r->id = xstrdup(f[2]);
    r->line = line;
    for(int m = 0; m < NMODES; m++)
      r->result[m] = strcmp(f[5 + m], "-") == 0 ? NULL : xstrdup(f[5 + m]);
  }
  if(ferror(in)){
    fprintf(errs, "%s: cannot read: %s\n", path, strerror(errno));
    errors++;
  }
  fclose(in);
  free(buf);
  sha256_hex(&c, pp->sha);
  if(pp->n == 0 && errors == 0){
    fprintf(errs, "%s: no Table 2 or 3 records (field 1 = 2 or 3)\n", path);
    errors++;
  }
  return errors;
}

// Returns a record owned by pp, or NULL.
const struct paper_rec *
paper_find(const struct paper *pp, const char *id)
{
  for(int i = 0; i < pp->n; i++)
    if(strcmp(pp->rec[i].id, id) == 0)
      return &pp->rec[i];
  return NULL;
}

// Returns how many Table 2/3 scenarios have no record.
int
paper_apply(const struct paper *pp, const char *path, struct config *cfg, FILE *msgs)
{
  int missing = 0;

  for(int i = 0; i < cfg->n; i++){
    struct scenario *s = &cfg->sc[i];
    const struct paper_rec *r = paper_find(pp, s->name);

    for(int m = 0; m < NMODES; m++){
      free(s->paper[m]);
      s->paper[m] = r ? xstrdup(r->result[m]) : NULL;
    }
    if(r == NULL && s->table && strcmp(s->table, "smoke") != 0){
      missing++;
      if(msgs)
        fprintf(msgs, "%s:%d: warning: [%s] (table %s) has no record in %s; "
                "stored without the paper's results\n", s->file, s->line, s->name,
                s->table, path);
    }
  }
  return missing;
}

// Frees what paper_load() read.
void
paper_free(struct paper *pp)
{
  for(int i = 0; i < pp->n; i++){
    free(pp->rec[i].id);
    free(pp->rec[i].result[0]);
    free(pp->rec[i].result[1]);
  }
  free(pp->rec);
  pp->rec = NULL;
  pp->n = 0;
}
