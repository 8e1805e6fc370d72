// test_paper.c - the paper's results from reports/paper.tsv (paper.c): the
// lookup by section name, '-' and a missing record give NULL, each kind of
// malformed file gives exactly the expected "file:line: message", a missing
// file is named, and the shipped configs' sections all find their records.
#include <stdlib.h>
#include <string.h>

#include "campaign/config.h"
#include "campaign/paper.h"
#include "campaign/sha256.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

// One record: table, id, conservative, aggressive; the rest filler.
#define REC(t, id, c, a) t "\t1\t" id "\tbuf\tbget\t" c "\t" a "\t-\t-\twords\tSF\t-\n"
#define HEAD "# paper.tsv for a test\n"

// Load text as a paper file into *pp. Returns the messages, each "F" at a
// line start standing for the file's path; the caller frees them.
static char *
load_paper(const char *text, struct paper *pp)
{
  char *path = scratch_file("paper.tsv", text), *msgs = NULL, *out;
  size_t len = 0;
  FILE *errs = open_memstream(&msgs, &len);

  paper_load(pp, path, errs);
  fclose(errs);
  out = messages_as_F(msgs, path);
  free(msgs);
  free(path);
  return out;
}

// Load text and check the messages are exactly want.
static void
expect(const char *what, const char *text, const char *want)
{
  struct paper pp = {0};
  char *got = load_paper(text, &pp);

  same_str(got, want, what);
  free(got);
  paper_free(&pp);
}

static void
test_lookup(void)
{
  struct paper pp = {0};
  struct config cfg = {0};
  const struct paper_rec *r;
  char *ini, *msgs = NULL, want[65];
  size_t len = 0;
  FILE *f;
  const char *text = HEAD REC("2", "buf-bget", "SF", "SF")
                     "# a comment between records\n"
                     REC("3", "log-two", "FS|PK", "-")
                     REC("4", "boot", "-", "-")
                     REC("fig5", "buf-bget", "-", "-");

  msgs = load_paper(text, &pp);
  same_str(msgs, "", "good paper file");
  free(msgs);
  check(pp.n == 2, "only the Table 2 and 3 records are kept, got %d", pp.n);
  r = paper_find(&pp, "buf-bget");
  check(r && r->line == 2, "buf-bget found, on line 2");
  if(r){
    same_str(r->result[0], "SF", "buf-bget conservative");
    same_str(r->result[1], "SF", "buf-bget aggressive");
  }
  r = paper_find(&pp, "log-two");
  check(r != NULL, "log-two found");
  if(r){
    same_str(r->result[0], "FS|PK", "log-two conservative");
    check(r->result[1] == NULL, "'-' is NULL");
  }
  check(paper_find(&pp, "boot") == NULL, "a Table 4 record is no scenario");
  check(paper_find(&pp, "nope") == NULL, "an unknown id finds nothing");
  {
    struct sha256 c;
    sha256_init(&c);
    sha256_update(&c, text, strlen(text));
    sha256_hex(&c, want);
    same_str(pp.sha, want, "sha256 of the file as read");
  }

  // Applied to scenarios: by section name; no record, no results.
  ini = scratch_file("paper.ini",
    "[buf-bget]\nobject = buf\nsite = bget\nworkload = ls\ntable = 2\n"
    "[log-two]\nobject = log\nsite = begin_op\nworkload = ls\ntable = 3\n"
    "[unlisted]\nobject = buf\nsite = bget\nworkload = ls\ntable = 2\n"
    "[quick]\nobject = buf\nsite = bget\nworkload = ls\ntable = smoke\n");
  check(config_load(&cfg, ini, stdout) == 0 && cfg.n == 4, "paper.ini loads");
  f = open_memstream(&msgs, &len);
  check(paper_apply(&pp, "P", &cfg, f) == 1, "one table 2/3 scenario without a record");
  fclose(f);
  if(cfg.n == 4){
    same_str(cfg.sc[0].paper[0], "SF", "[buf-bget] conservative");
    same_str(cfg.sc[0].paper[1], "SF", "[buf-bget] aggressive");
    same_str(cfg.sc[1].paper[0], "FS|PK", "[log-two] conservative");
    check(cfg.sc[1].paper[1] == NULL, "[log-two] aggressive '-' is NULL");
    check(cfg.sc[2].paper[0] == NULL && cfg.sc[2].paper[1] == NULL,
          "[unlisted] has no record: NULL results");
    check(cfg.sc[3].paper[0] == NULL && cfg.sc[3].paper[1] == NULL,
          "[quick] has no record: NULL results");
  }
  {
    char *w = xasprintf("%s:11: warning: [unlisted] (table 2) has no record in P; "
                        "stored without the paper's results\n", ini);
    same_str(msgs, w, "warning for a table 2 section without a record, none for smoke");
    free(w);
  }
  free(msgs);
  free(ini);
  config_free(&cfg);
  paper_free(&pp);
  check(pp.n == 0 && pp.rec == NULL, "paper_free empties");
}

static void
test_malformed(void)
{
  expect("too few fields", HEAD REC("2", "a", "SF", "SF") "2\t2\tb\tbuf\tbget\tSF\tSF\n",
         "F:3: 7 fields (expected 12, separated by one TAB each; '#' starts a comment)\n");
  expect("too many fields", HEAD "2\t1\ta\tbuf\tbget\tSF\tSF\t-\t-\tw\tSF\t-\textra\n",
         "F:2: 13 fields (expected 12, separated by one TAB each; '#' starts a comment)\n");
  expect("blank line", HEAD REC("2", "a", "SF", "SF") "\n",
         "F:3: 1 field (expected 12, separated by one TAB each; '#' starts a comment)\n");
  expect("spaces, not TABs", HEAD "2 1 a buf bget SF SF - - w SF -\n",
         "F:2: 1 field (expected 12, separated by one TAB each; '#' starts a comment)\n");
  expect("unknown result token", HEAD REC("2", "a", "SF|XX", "SF"),
         "F:2: bad conservative result 'SF|XX' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n");
  expect("lower case", HEAD REC("3", "a", "SF", "pk"),
         "F:2: bad aggressive result 'pk' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n");
  expect("trailing '|'", HEAD REC("2", "a", "SF|", "SF"),
         "F:2: bad conservative result 'SF|' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n");
  expect("a result twice", HEAD REC("2", "a", "SF", "PK|PK"),
         "F:2: bad aggressive result 'PK|PK' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n");
  expect("bad token in another table's record", HEAD REC("2", "a", "SF", "SF")
         REC("4", "boot", "x", "-"),
         "F:3: bad conservative result 'x' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n");
  expect("empty field", HEAD REC("2", "", "SF", "SF"),
         "F:2: empty field 3 (id); '-' means none\n");
  expect("no id", HEAD REC("2", "-", "SF", "SF"),
         "F:2: a Table 2 record needs an id (the section name)\n");
  expect("duplicate id", HEAD REC("2", "a", "SF", "SF") REC("3", "a", "FS", "FS"),
         "F:3: duplicate id 'a' (first on line 2)\n");
  expect("no Table 2 or 3 record", HEAD REC("4", "boot", "-", "-"),
         "F: no Table 2 or 3 records (field 1 = 2 or 3)\n");
  expect("every problem reported",
         HEAD REC("2", "a", "SF", "XX") "oops\n" REC("2", "a", "SF", "SF") REC("2", "a", "PK", "PK"),
         "F:2: bad aggressive result 'XX' (expected SF, PK or FS, several "
         "joined by '|', or '-')\n"
         "F:3: 1 field (expected 12, separated by one TAB each; '#' starts a comment)\n"
         "F:5: duplicate id 'a' (first on line 4)\n");
}

static void
test_missing(void)
{
  struct paper pp = {0};
  char *msgs = NULL;
  size_t len = 0;
  FILE *errs = open_memstream(&msgs, &len);
  int n = paper_load(&pp, "reports/no-such.tsv", errs);

  fclose(errs);
  check(n == 1, "a missing paper file is one problem, got %d", n);
  same_str(msgs, "reports/no-such.tsv: cannot open: No such file or directory\n",
           "missing paper file");
  free(msgs);
  paper_free(&pp);
}

// The shipped files: reports/paper.tsv loads; every section of the Table
// 2 and 3 configs and of smoke.ini has a record with a result in both
// modes; every Table 2 and 3 record is a section of table2.ini/table3.ini.
static void
test_shipped(void)
{
  static const char *const files[] = {
    "configs/table2.ini", "configs/table3.ini", "configs/smoke.ini"
  };
  struct paper pp = {0};
  struct config all = {0};
  int problems = paper_load(&pp, DEFAULT_PAPER_FILE, stdout), found;

  check(problems == 0, "%s: %d problems", DEFAULT_PAPER_FILE, problems);
  check(pp.n == 49 + 14, "%s: 63 Table 2 and 3 records, got %d", DEFAULT_PAPER_FILE, pp.n);
  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++){
    struct config cfg = {0};
    check(config_load(&cfg, files[i], stdout) == 0, "%s loads", files[i]);
    check(paper_apply(&pp, DEFAULT_PAPER_FILE, &cfg, stdout) == 0,
          "%s: every table 2/3 section has a record", files[i]);
    for(int k = 0; k < cfg.n; k++)
      check(cfg.sc[k].paper[0] && cfg.sc[k].paper[1],
            "%s [%s]: the paper's result in both modes", files[i], cfg.sc[k].name);
    config_free(&cfg);
    if(i < 2)
      config_load(&all, files[i], stdout);
  }
  for(int i = 0; i < pp.n; i++){
    found = 0;
    for(int k = 0; k < all.n; k++)
      found |= strcmp(all.sc[k].name, pp.rec[i].id) == 0;
    check(found, "%s:%d: id '%s' is a section of table2.ini or table3.ini",
          DEFAULT_PAPER_FILE, pp.rec[i].line, pp.rec[i].id);
  }
  config_free(&all);
  paper_free(&pp);
}

void
test_paper(void)
{
  test_lookup();
  test_malformed();
  test_missing();
  test_shipped();
}
