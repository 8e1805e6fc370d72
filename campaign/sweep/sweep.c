// ev6-sweep - the fault space of a golden run, pruned, and a plan to
// sample it (make sweep; campaign/sweep/README.md).
//
//   ev6-sweep golden --db DB --workload W --kernel ELF --syms SYMS
//                    --fields FIELDS --trace OUT
//       store the golden run that campaign/sweep/golden.sh left in OUT.ready
//       and OUT.bin (SYMS: `nm -n` of the kernel; FIELDS: fields.py's
//       table), then prune it into classes; prints the golden run's id and
//       the sizes of the raw and the pruned space. A golden run of the same
//       kernel and workload already stored is used again.
//   ev6-sweep plan --db DB --golden G --budget N|all --seed S --workload W
//                  --out INI
//       draw N points of the space uniformly by weight (xorshift, seeded),
//       store the draws and write one config section per experiment drawn
//       (site access: the hit-th access of the word, delivery access; a
//       buffer named by the block it held, bcache.buf[block=N], its hit
//       counted over that block's accesses).
//       --classes ID,ID,... instead of --budget/--seed writes those classes
//       only, stored as one draw each with seed 0 and budget -1 (to run
//       chosen classes again; the tests). The sections have no icount key:
//       experiments run on the host's clock (campaign/sweep/README.md
//       says why).
//   ev6-sweep icount
//       print ICOUNT, QEMU's -icount argument of the golden run (golden.sh),
//       under which the instruction counts read here were taken
// Errors name the file and line, or the option; exit status 1 (2 for usage).
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/db.h"
#include "campaign/sha256.h"
#include "campaign/util.h"

#define KERNBASE 0x80000000ULL
#define ICOUNT_SHIFT 4          // 16 ns per instruction: instret counts 16 per instruction
#define STR(x) #x
#define XSTR(x) STR(x)
#define ICOUNT "shift=" XSTR(ICOUNT_SHIFT) ",sleep=off"   // the golden run's clock
#define WORD 8                  // the ECC word an error damages
#define MAXBLOCK (1 << 20)      // blocks a golden run's buffers may hold (fs.img has FSSIZE)

// One record as kernel/ev6_trace.c lays it out (struct trace_rec).
struct rec {
  uint64_t when;
  uint32_t pc, addr;
  uint16_t len;
  uint8_t type, write;
  uint32_t block;               // a buffer's block, or NOBLOCK
};
#define NOBLOCK 0xffffffffU

struct sym { uint64_t addr; char *name; };
struct field { int off, size; char *path; };
struct table {
  char *expr, *object;
  uint64_t addr;
  int elemsize, count;
  struct field *fields;
  int nfields;
  int *blockhits;               // prune: accesses per (block, word), buffers only
  uint32_t nblocks;             // blocks blockhits has room for
};
// Each word's life so far, in prune.
struct word {
  int64_t last;                 // instruction of the last access, -1: none
  const char *opener;
  int count;                    // accesses so far
};

static struct sym *syms;
static int nsyms;
static struct table tables[64];
static int ntables;

static void
usage(void)
{
  fprintf(stderr, "usage: ev6-sweep golden --db DB --workload W --kernel ELF --syms SYMS "
          "--fields FIELDS --trace OUT\n"
          "       ev6-sweep plan --db DB --golden G --budget N|all --seed S --workload W --out INI\n"
          "       ev6-sweep plan --db DB --golden G --classes ID,... --workload W --out INI\n"
          "       ev6-sweep icount\n");
  exit(2);
}

// The value of --name in argv, or NULL.
static const char *
opt(int argc, char **argv, const char *name)
{
  for(int i = 2; i + 1 < argc; i += 2)
    if(strcmp(argv[i] + (argv[i][0] == '-' && argv[i][1] == '-' ? 2 : 0), name) == 0)
      return argv[i+1];
  return NULL;
}

static const char *
need(int argc, char **argv, const char *name)
{
  const char *v = opt(argc, argv, name);
  if(v == NULL){
    fprintf(stderr, "ev6-sweep %s: --%s is missing\n", argv[1], name);
    usage();
  }
  return v;
}

static void
read_syms(const char *path)
{
  FILE *f = fopen(path, "r");
  char line[512], name[256], kind;
  unsigned long long a;
  int ln = 0, cap = 0;

  if(f == NULL)
    fatal("%s: %s", path, strerror(errno));
  while(fgets(line, sizeof line, f)){
    ln++;
    if(sscanf(line, "%llx %c %255s", &a, &kind, name) != 3)
      fatal("%s:%d: expected `ADDRESS TYPE NAME` (nm -n)", path, ln);
    if(kind != 't' && kind != 'T')
      continue;
    if(nsyms == cap)
      syms = xrealloc(syms, (cap = cap ? 2 * cap : 1024) * sizeof *syms);
    syms[nsyms++] = (struct sym){ a, xstrdup(name) };
  }
  fclose(f);
  if(nsyms == 0)
    fatal("%s: no text symbols", path);
}

static const char *
function_at(uint64_t pc)
{
  int lo = 0, hi = nsyms - 1;

  if(pc < syms[0].addr)
    return "?";
  while(lo < hi){
    int mid = (lo + hi + 1) / 2;
    if(syms[mid].addr <= pc) lo = mid; else hi = mid - 1;
  }
  return syms[lo].name;
}

static void
read_fields(const char *path)
{
  FILE *f = fopen(path, "r");
  char line[512], a[128], b[128], c[128];
  unsigned long long addr;
  int x, y, ln = 0;

  if(f == NULL)
    fatal("%s: %s", path, strerror(errno));
  while(fgets(line, sizeof line, f)){
    ln++;
    if(sscanf(line, "table\t%127s\t%llx\t%d\t%d\t%127s", a, &addr, &x, &y, b) == 5){
      if(ntables == (int)(sizeof tables / sizeof tables[0]))
        fatal("%s:%d: too many tables", path, ln);
      tables[ntables++] = (struct table){ xstrdup(a), xstrdup(b), addr, x, y, NULL, 0, NULL, 0 };
    } else if(sscanf(line, "field\t%127s\t%d\t%d\t%127s", a, &x, &y, c) == 4 && ntables > 0 &&
              strcmp(a, tables[ntables-1].expr) == 0){
      struct table *t = &tables[ntables-1];
      t->fields = xrealloc(t->fields, (t->nfields + 1) * sizeof *t->fields);
      t->fields[t->nfields++] = (struct field){ x, y, xstrdup(c) };
    } else {
      fatal("%s:%d: expected a table or a field line of campaign/sweep/fields.py", path, ln);
    }
  }
  fclose(f);
  if(ntables == 0)
    fatal("%s: no tables", path);
}

// The table holding addr, or NULL.
static struct table *
table_of(uint64_t addr)
{
  for(int i = 0; i < ntables; i++)
    if(addr >= tables[i].addr && addr < tables[i].addr + (uint64_t)tables[i].elemsize * tables[i].count)
      return &tables[i];
  return NULL;
}

// The member holding byte off of t's element (or the next one, in padding).
static const char *
field_at(struct table *t, int off)
{
  for(int i = 0; i < t->nfields; i++)
    if(off < t->fields[i].off + t->fields[i].size)
      return t->fields[i].path;
  return "(padding)";
}

static long
ready_value(const char *line, const char *key, const char *path)
{
  const char *p = strstr(line, key);
  if(p == NULL)
    fatal("%s: no %s in `%s`", path, key, line);
  return strtol(p + strlen(key), NULL, 0);
}

static int64_t
load(sqlite3 *db, const char *workload, const char *kernel, const char *out, int64_t *insns)
{
  char hex[65], *path, *ready;
  size_t n;
  struct rec *r;
  long records, lost;
  sqlite3_stmt *st;
  int64_t g;
  char now[21];

  if(sha256_file(kernel, hex) < 0)
    fatal("%s: %s", kernel, strerror(errno));
  g = -1;
  st = db_prepare(db, "SELECT id, insns FROM golden_runs WHERE workload = ?1 AND kernel_sha256 = ?2"
                      " ORDER BY id DESC LIMIT 1");
  db_bind_text(st, 1, workload);
  db_bind_text(st, 2, hex);
  if(db_step(st) == SQLITE_ROW){
    g = sqlite3_column_int64(st, 0);
    *insns = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if(g >= 0)
    return -g;                  // stored already

  path = xasprintf("%s.ready", out);
  if((ready = read_file(path, &n)) == NULL)
    fatal("%s: %s (run campaign/sweep/golden.sh first)", path, strerror(errno));
  records = ready_value(ready, "records=", path);
  lost = ready_value(ready, "lost=", path);
  if(ready_value(ready, "recsize=", path) != (long)sizeof(struct rec))
    fatal("%s: recsize is not %zu (kernel/ev6_trace.c and this program disagree)", path, sizeof(struct rec));
  free(path);
  path = xasprintf("%s.bin", out);
  if((r = (struct rec *)read_file(path, &n)) == NULL)
    fatal("%s: %s", path, strerror(errno));
  if(n != (size_t)records * sizeof(struct rec) || records == 0)
    fatal("%s: %zu bytes, expected %ld records of %zu", path, n, records, sizeof(struct rec));
  if(lost > 0)
    warning("%s: the kernel's buffer filled: %ld accesses after its last record were lost;"
            " the space covers the workload up to that record (TRACE_NREC, kernel/param.h)", path, lost);

  db_begin(db);
  iso_now(now);
  st = db_prepare(db, "INSERT INTO golden_runs (workload, kernel_sha256, records, lost, insns, created)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  db_bind_text(st, 1, workload);
  db_bind_text(st, 2, hex);
  db_bind_int(st, 3, records);
  db_bind_int(st, 4, lost);
  *insns = (int64_t)((r[records-1].when - r[0].when) >> ICOUNT_SHIFT) + 1;
  db_bind_int(st, 5, *insns);
  db_bind_text(st, 6, now);
  db_step(st);
  sqlite3_finalize(st);
  g = sqlite3_last_insert_rowid(db);
  st = db_prepare(db, "INSERT INTO trace_accesses (golden, seq, insn, pc, function, object, expr, idx,"
                      " offset, length, field, op, block)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  int kept = 0;
  for(long i = 0; i < records; i++){
    uint64_t a = r[i].addr + KERNBASE;
    struct table *t = table_of(a);
    if(t == NULL)
      continue;                 // a table fields.py does not name
    uint64_t rel = a - t->addr;
    int idx = rel / t->elemsize, off = rel % t->elemsize;
    int len = r[i].len;
    if(off + len > t->elemsize)
      len = t->elemsize - off;  // a run into the next element: its first part
    sqlite3_reset(st);
    db_bind_int(st, 1, g);
    db_bind_int(st, 2, kept++);
    db_bind_int(st, 3, (int64_t)((r[i].when - r[0].when) >> ICOUNT_SHIFT));
    db_bind_int(st, 4, r[i].pc + KERNBASE);
    db_bind_text(st, 5, function_at(r[i].pc + KERNBASE));
    db_bind_text(st, 6, t->object);
    db_bind_text(st, 7, t->expr);
    db_bind_int(st, 8, t->count > 1 ? idx : -1);
    db_bind_int(st, 9, off);
    db_bind_int(st, 10, len);
    db_bind_text(st, 11, field_at(t, off));
    db_bind_text(st, 12, r[i].write ? "w" : "r");
    db_bind_opt(st, 13, r[i].block == NOBLOCK ? -1 : (int64_t)r[i].block);
    db_step(st);
  }
  sqlite3_finalize(st);
  db_commit(db);
  free(r);
  free(ready);
  return g;
}

static struct word *words[64];

static struct word *
word_of(int t, int idx, int w)
{
  int per = (tables[t].elemsize + WORD - 1) / WORD;
  return &words[t][(idx < 0 ? 0 : idx) * per + w / WORD];
}

static int
word_bytes(int t, int w)
{
  return tables[t].elemsize - w < WORD ? tables[t].elemsize - w : WORD;
}

// The count of accesses to word w of whichever buffer of table t held
// block, so far (grown as blocks come).
static int *
block_hits(int t, int64_t block, int w)
{
  struct table *tb = &tables[t];
  int per = (tb->elemsize + WORD - 1) / WORD;

  if(block >= MAXBLOCK)
    fatal("a buffer of %s held block %lld: no file system has that many", tb->expr, (long long)block);
  if(block >= tb->nblocks){
    uint32_t n = tb->nblocks ? tb->nblocks : 1024;
    while(n <= block)
      n *= 2;
    tb->blockhits = xrealloc(tb->blockhits, (size_t)n * per * sizeof(int));
    memset(tb->blockhits + (size_t)tb->nblocks * per, 0, (size_t)(n - tb->nblocks) * per * sizeof(int));
    tb->nblocks = n;
  }
  return &tb->blockhits[block * per + w / WORD];
}

static int
table_index(const char *expr)
{
  for(int i = 0; i < ntables; i++)
    if(strcmp(tables[i].expr, expr) == 0)
      return i;
  return -1;
}

struct totals { int64_t classes, experiments, masked, exp_weight, masked_weight; };

// One class of word w of element idx of table t, from s's last access to
// end, closed by closer (NULL: the end of the trace) holding block (-1:
// none) at its block_hit'th access of that word.
static void
add_class(sqlite3_stmt *st, int64_t g, int t, int idx, int w, struct word *s, int64_t end,
          const char *closer, int64_t block, int block_hit, int experiment, struct totals *tot)
{
  int64_t start = s->last < 0 ? 0 : s->last;
  int64_t weight = (int64_t)word_bytes(t, w) * (end - start);

  if(weight <= 0)
    return;
  sqlite3_reset(st);
  db_bind_int(st, 1, g);
  db_bind_text(st, 2, tables[t].object);
  db_bind_text(st, 3, tables[t].expr);
  db_bind_int(st, 4, tables[t].count > 1 ? idx : -1);
  db_bind_int(st, 5, w);
  db_bind_int(st, 6, word_bytes(t, w));
  db_bind_text(st, 7, field_at(&tables[t], w));
  db_bind_int(st, 8, s->count + 1);
  db_bind_int(st, 9, start);
  db_bind_int(st, 10, end);
  db_bind_text(st, 11, s->opener);
  db_bind_text(st, 12, closer);
  db_bind_text(st, 13, experiment ? "experiment" : "masked");
  db_bind_int(st, 14, weight);
  db_bind_opt(st, 15, block);
  db_bind_opt(st, 16, block < 0 ? -1 : block_hit);
  db_step(st);
  tot->classes++;
  if(experiment){ tot->experiments++; tot->exp_weight += weight; }
  else { tot->masked++; tot->masked_weight += weight; }
}

// Cut every word's life into intervals between its accesses: one that a
// read (or a write of part of the word: the rest stays damaged) closes is
// an experiment; one a whole-word write closes, or the end of the trace,
// is masked.
static void
prune(sqlite3 *db, int64_t g, int64_t insns)
{
  struct totals tot = { 0 };
  sqlite3_stmt *rd, *ins;
  int64_t rawbytes = 0;

  if(db_int_of(db, "SELECT count(*) FROM sweep_classes WHERE golden = ?1", g, 0) > 0)
    goto print;
  for(int t = 0; t < ntables; t++){
    int n = tables[t].count * ((tables[t].elemsize + WORD - 1) / WORD);
    words[t] = xcalloc(n, sizeof(struct word));
    for(int i = 0; i < n; i++)
      words[t][i].last = -1;
  }
  db_begin(db);
  ins = db_prepare(db, "INSERT INTO sweep_classes (golden, object, expr, idx, word, bytes, field, hit,"
                       " start_insn, end_insn, opener, closer, kind, weight, block, block_hit)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  rd = db_prepare(db, "SELECT insn, function, expr, idx, offset, length, op, coalesce(block, -1)"
                      " FROM trace_accesses WHERE golden = ?1 ORDER BY seq");
  db_bind_int(rd, 1, g);
  while(db_step(rd) == SQLITE_ROW){
    int64_t insn = sqlite3_column_int64(rd, 0);
    const char *fn = (const char *)sqlite3_column_text(rd, 1);
    int t = table_index((const char *)sqlite3_column_text(rd, 2));
    int idx = sqlite3_column_int(rd, 3), off = sqlite3_column_int(rd, 4);
    int len = sqlite3_column_int(rd, 5);
    int write = sqlite3_column_text(rd, 6)[0] == 'w';
    int64_t block = sqlite3_column_int64(rd, 7);
    if(t < 0)
      fatal("golden run %lld: table %s is not in the fields file", (long long)g,
            (const char *)sqlite3_column_text(rd, 2));
    const char *name = xstrdup(fn);       // kept by the words it opens
    for(int w = off & ~(WORD - 1); w < off + len; w += WORD){
      struct word *s = word_of(t, idx, w);
      int whole = off <= w && off + len >= w + word_bytes(t, w);
      int bhit = block < 0 ? 0 : ++*block_hits(t, block, w);
      add_class(ins, g, t, idx, w, s, insn, name, block, bhit, !write || !whole, &tot);
      s->last = insn;
      s->opener = name;
      s->count++;
    }
  }
  sqlite3_finalize(rd);
  for(int t = 0; t < ntables; t++)
    for(int idx = 0; idx < tables[t].count; idx++)
      for(int w = 0; w < tables[t].elemsize; w += WORD)
        add_class(ins, g, t, tables[t].count > 1 ? idx : -1, w, word_of(t, idx, w), insns, NULL,
                  -1, 0, 0, &tot);
  sqlite3_finalize(ins);
  db_commit(db);
print:
  for(int t = 0; t < ntables; t++)
    rawbytes += (int64_t)tables[t].elemsize * tables[t].count;
  tot.classes = db_int_of(db, "SELECT count(*) FROM sweep_classes WHERE golden = ?1", g, 0);
  tot.experiments = db_int_of(db, "SELECT count(*) FROM sweep_classes WHERE golden = ?1"
                                  " AND kind = 'experiment'", g, 0);
  tot.exp_weight = db_int_of(db, "SELECT total(weight) FROM sweep_classes WHERE golden = ?1"
                                 " AND kind = 'experiment'", g, 0);
  tot.masked_weight = db_int_of(db, "SELECT total(weight) FROM sweep_classes WHERE golden = ?1"
                                    " AND kind = 'masked'", g, 0);
  printf("golden %lld: %lld accesses over %lld instructions, %lld bytes of %d tables\n",
         (long long)g, (long long)db_int_of(db, "SELECT count(*) FROM trace_accesses WHERE golden = ?1", g, 0),
         (long long)insns, (long long)rawbytes, ntables);
  printf("raw space: %lld bytes x %lld instructions = %.4g points\n",
         (long long)rawbytes, (long long)insns, (double)rawbytes * insns);
  printf("pruned: %lld classes, %lld experiments (%.2f%% of the weight), %lld masked (%.2f%%)\n",
         (long long)tot.classes, (long long)tot.experiments,
         100.0 * tot.exp_weight / (tot.exp_weight + tot.masked_weight),
         (long long)(tot.classes - tot.experiments),
         100.0 * tot.masked_weight / (tot.exp_weight + tot.masked_weight));
}

static int
cmd_golden(int argc, char **argv)
{
  const char *dbpath = need(argc, argv, "db"), *workload = need(argc, argv, "workload");
  const char *kernel = need(argc, argv, "kernel"), *out = need(argc, argv, "trace");
  sqlite3 *db;
  int64_t g, insns;

  read_syms(need(argc, argv, "syms"));
  read_fields(need(argc, argv, "fields"));
  db = db_open(dbpath);
  g = load(db, workload, kernel, out, &insns);
  if(g < 0)
    g = -g;
  prune(db, g, insns);
  db_close(db);
  return 0;
}

static uint64_t rng;

static uint64_t
next_random(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

struct cls { int64_t id, weight, cum; int experiment; int draws; };

static int
cmd_plan(int argc, char **argv)
{
  const char *dbpath = need(argc, argv, "db"), *workload = need(argc, argv, "workload");
  const char *classes = opt(argc, argv, "classes"), *out = need(argc, argv, "out");
  const char *budget_s = classes ? "-1" : need(argc, argv, "budget");
  long g, seed = 0, budget = 0;
  struct cls *c = NULL;
  int n = 0, cap = 0, ndistinct = 0;
  int64_t total = 0, runs = 0, masked = 0;
  sqlite3 *db;
  sqlite3_stmt *st;
  FILE *f;

  if(parse_long(need(argc, argv, "golden"), 1, INT64_MAX, &g) < 0)
    fatal("ev6-sweep plan: --golden %s is not a golden run id", opt(argc, argv, "golden"));
  if(classes == NULL && parse_long(need(argc, argv, "seed"), 0, 2147483647, &seed) < 0)
    fatal("ev6-sweep plan: --seed %s: expected 0..2147483647", opt(argc, argv, "seed"));
  if(classes)
    budget = -1;
  else if(strcmp(budget_s, "all") != 0 && parse_long(budget_s, 1, 10000000, &budget) < 0)
    fatal("ev6-sweep plan: --budget %s: expected a number of experiments (1..10000000) or all", budget_s);
  db = db_open(dbpath);
  st = db_prepare(db, "SELECT id, weight, kind = 'experiment' FROM sweep_classes WHERE golden = ?1 ORDER BY id");
  db_bind_int(st, 1, g);
  while(db_step(st) == SQLITE_ROW){
    if(n == cap)
      c = xrealloc(c, (cap = cap ? 2 * cap : 4096) * sizeof *c);
    total += sqlite3_column_int64(st, 1);
    c[n++] = (struct cls){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), total,
                           sqlite3_column_int(st, 2), 0 };
  }
  sqlite3_finalize(st);
  if(n == 0)
    fatal("ev6-sweep plan: golden run %ld has no classes in %s (run ev6-sweep golden)", g, dbpath);
  if(classes){
    for(const char *p = classes; *p; ){
      char *end;
      long id = strtol(p, &end, 10);
      int i;
      if(end == p || (*end != ',' && *end != 0) || (*end == ',' && end[1] == 0))
        fatal("ev6-sweep plan: --classes %s: expected class ids separated by commas", classes);
      for(i = 0; i < n && c[i].id != id; i++)
        ;
      if(i == n || !c[i].experiment)
        fatal("ev6-sweep plan: class %ld is no experiment of golden run %ld", id, g);
      c[i].draws = 1;
      p = *end ? end + 1 : end;
    }
  } else if(budget == 0){
    for(int i = 0; i < n; i++)
      c[i].draws = 1;
  } else {
    // Draw until budget experiments are to run: masked draws are free.
    rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)seed;
    for(int i = 0; i < 16; i++)
      next_random();
    while(runs < budget){
      int64_t u = (int64_t)(next_random() % (uint64_t)total);
      int lo = 0, hi = n - 1;
      while(lo < hi){
        int mid = (lo + hi) / 2;
        if(c[mid].cum > u) hi = mid; else lo = mid + 1;
      }
      if(c[lo].experiment) runs++; else masked++;
      c[lo].draws++;
    }
  }
  if((f = fopen(out, "w")) == NULL)
    fatal("%s: %s", out, strerror(errno));
  fprintf(f, "; written by ev6-sweep plan --golden %ld --budget %s --seed %ld\n"
             "; one section per experiment class drawn (sweep_classes.id); see campaign/sweep/README.md\n",
          g, budget_s, seed);
  db_begin(db);
  st = db_prepare(db, "DELETE FROM sweep_draws WHERE golden = ?1 AND seed = ?2 AND budget = ?3");
  db_bind_int(st, 1, g); db_bind_int(st, 2, seed); db_bind_int(st, 3, budget);
  db_step(st);
  sqlite3_finalize(st);
  sqlite3_stmt *ins = db_prepare(db, "INSERT INTO sweep_draws (golden, seed, budget, class, draws)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5)");
  st = db_prepare(db, "SELECT object, expr, idx, word, field, hit, closer, coalesce(block, -1), block_hit"
                      " FROM sweep_classes WHERE id = ?1");
  for(int i = 0; i < n; i++){
    if(c[i].draws == 0)
      continue;
    sqlite3_reset(ins);
    db_bind_int(ins, 1, g); db_bind_int(ins, 2, seed); db_bind_int(ins, 3, budget);
    db_bind_int(ins, 4, c[i].id); db_bind_int(ins, 5, c[i].draws);
    db_step(ins);
    if(!c[i].experiment)
      continue;
    ndistinct++;
    sqlite3_reset(st);
    db_bind_int(st, 1, c[i].id);
    if(db_step(st) != SQLITE_ROW)
      fatal("class %lld vanished", (long long)c[i].id);
    int idx = sqlite3_column_int(st, 2);
    int64_t block = sqlite3_column_int64(st, 7);
    // A buffer by the block it held at the closing access, counted as the
    // accesses of that block's word (whichever slot holds it then).
    fprintf(f, "\n[sweep-%lld]\nobject = %s\nsite = access\nhit = %d\n",
            (long long)c[i].id, sqlite3_column_text(st, 0),
            sqlite3_column_int(st, block >= 0 ? 8 : 5));
    if(block >= 0)
      fprintf(f, "target = global:%s[block=%lld];offset:%d\n", sqlite3_column_text(st, 1),
              (long long)block, sqlite3_column_int(st, 3));
    else if(idx >= 0)
      fprintf(f, "target = global:%s[%d];offset:%d\n", sqlite3_column_text(st, 1), idx,
              sqlite3_column_int(st, 3));
    else
      fprintf(f, "target = global:%s;offset:%d\n", sqlite3_column_text(st, 1), sqlite3_column_int(st, 3));
    fprintf(f, "corrupt = flip:2\ndelivery = access\nworkload = %s\nmodes = conservative\n"
               "cpus = 1\ntable = smoke\nnote = sweep: field %s, read by %s\n",
            workload, sqlite3_column_text(st, 4),
            sqlite3_column_text(st, 6) ? (const char *)sqlite3_column_text(st, 6) : "-");
  }
  sqlite3_finalize(st);
  sqlite3_finalize(ins);
  db_commit(db);
  fclose(f);
  if(classes)
    printf("plan: %d chosen experiments\n", ndistinct);
  else if(budget)
    printf("plan: %ld points drawn (seed %ld): %lld land in masked classes, %lld in %d experiments\n",
           (long)(runs + masked), seed, (long long)masked, (long long)runs, ndistinct);
  else
    printf("plan: every class: %d experiments\n", ndistinct);
  db_close(db);
  return 0;
}

int
main(int argc, char **argv)
{
  if(argc < 2 || (argc % 2) != 0)
    usage();
  if(strcmp(argv[1], "golden") == 0)
    return cmd_golden(argc, argv);
  if(strcmp(argv[1], "plan") == 0)
    return cmd_plan(argc, argv);
  if(strcmp(argv[1], "icount") == 0 && argc == 2){
    printf("%s\n", ICOUNT);
    return 0;
  }
  usage();
}
