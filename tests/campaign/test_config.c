// test_config.c - the config validator: each kind of mistake gives exactly
// the expected "file:line: message", several mistakes are all reported,
// defaults are filled in, the old paper_* keys are refused, and the
// shipped configs/*.ini load cleanly (their paper results: test_paper.c).
#include <stdlib.h>
#include <string.h>

#include "campaign/config.h"
#include "campaign/preflight.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

// Write text to a scratch file and load it. Returns the messages (each
// "F:" at a line start standing for the file's path), which the caller
// frees; the scenarios go to *cfg.
static char *
load_text(const char *text, struct config *cfg)
{
  char *path = scratch_file("t.ini", text), *msgs = NULL, *out;
  size_t len = 0;
  FILE *errs = open_memstream(&msgs, &len);

  config_load(cfg, path, errs);
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
  struct config cfg = {0};
  char *got = load_text(text, &cfg);

  same_str(got, want, what);
  free(got);
  config_free(&cfg);
}

#define GOOD "object = buf\nsite = bget\nworkload = ls\ntable = 2\n"
#define USER "site = user\nworkload = ls | wc\ntable = 2\nobject = "
#define TARGET_GRAMMAR "(expected BASE, SELECTOR or BASE;SELECTOR; BASE is fi_trap, " \
  "arg0..arg7 or global:EXPR (EXPR may pick a process by role: proc[name=wc], " \
  "proc[sleeping=wait], or a buffer by its block: bcache.buf[block=N]) or " \
  "user[name=WORD,va=pc|sp|N]; SELECTOR is object, field:A.B[N], offset:N or L2/L1/L0; " \
  "see campaign/target.h)\n"

// A section of keys head (GOOD, or USER and its object) with target t on
// line 6 must be refused naming t and the grammar.
static void
bad_target(const char *what, const char *head, const char *t)
{
  char *text = xasprintf("[a]\n%starget = %s\n", head, t);
  char *want = xasprintf("F:6: bad target '%s' " TARGET_GRAMMAR, t);

  expect(what, text, want);
  free(text);
  free(want);
}

static void
test_messages(void)
{
  expect("unknown object",
         "[a]\nobject = bfu\nsite = bget\nworkload = ls\ntable = 2\n",
         "F:2: unknown object 'bfu'\n");
  expect("unknown key", "[a]\n" GOOD "colour = red\n",
         "F:6: unknown key 'colour'\n");
  expect("bad delivery", "[a]\n" GOOD "delivery = nmi\n",
         "F:6: bad delivery 'nmi' (expected breakpoint, access or scrub)\n");
  expect("missing key", "; comment\n[a]\nobject = buf\nworkload = ls\ntable = 2\n",
         "F:2: missing required key 'site' in [a]\n");
  expect("bad number", "[a]\n" GOOD "hit = 0\n",
         "F:6: bad number '0' for hit (expected 1..1000000)\n");
  expect("not a number", "[a]\n" GOOD "repeat = 3x\n",
         "F:6: bad number '3x' for repeat (expected 1..1000)\n");
  expect("cpus range", "[a]\n" GOOD "cpus = 9\n",
         "F:6: bad number '9' for cpus (expected 1..8)\n");
  expect("duplicate key", "[a]\n" GOOD "site = bread\n",
         "F:6: duplicate key 'site' (first on line 3)\n");
  expect("duplicate section", "[a]\n" GOOD "\n[a]\n" GOOD,
         "F:7: duplicate section [a] (first on line 1)\n");
  expect("key outside a section", "hit = 2\n[a]\n" GOOD,
         "F:1: key 'hit' outside any [section]\n");
  expect("not key = value", "[a]\n" GOOD "just some words\n",
         "F:6: expected 'key = value', '[section]' or a comment\n");
  expect("bad section header", "[a\n" GOOD,
         "F:1: bad section header (expected [name] alone on the line)\n"
         "F:2: key 'object' outside any [section]\n"
         "F:3: key 'site' outside any [section]\n"
         "F:4: key 'workload' outside any [section]\n"
         "F:5: key 'table' outside any [section]\n");
  expect("bad section name", "[a b]\n" GOOD,
         "F:1: bad section name [a b] (use letters, digits, '-', '_' and '.')\n");
  expect("bad modes", "[a]\n" GOOD "modes = conservative, reckless\n",
         "F:6: bad mode 'reckless' in modes (expected conservative and/or aggressive)\n");
  expect("old paper_conservative key", "[a]\n" GOOD "paper_conservative = SF\n",
         "F:6: paper_conservative: the paper's results live in reports/paper.tsv "
         "(id = section name)\n");
  expect("old paper_aggressive key, even with a bad value",
         "[a]\n" GOOD "note = x\npaper_aggressive = SF|XX\n",
         "F:7: paper_aggressive: the paper's results live in reports/paper.tsv "
         "(id = section name)\n");
  expect("bad corrupt", "[a]\n" GOOD "corrupt = smash\n",
         "F:6: bad corrupt 'smash' (expected flip, zero, ones or random, optionally :N)\n");
  expect("bad corrupt count", "[a]\n" GOOD "corrupt = flip:99\n",
         "F:6: bad count in corrupt 'flip:99' (expected 1..64 bits)\n");
  bad_target("bad target", GOOD, "field:");
  expect("good targets", "[a]\n" GOOD "target = global:proc[2];field:state\n"
         "[b]\n" GOOD "target = global:bcache.head.next\n"
         "[c]\n" GOOD "target = arg0;offset:16\n"
         "[d]\n" GOOD "target = fi_trap\n"
         "[e]\n" GOOD "target = field:lock.lk\n"
         "[f]\n" GOOD "target = global:log;field:lh.block[3]\n"
         "[g]\n" GOOD "target = global:proc[name=wc].context\n"
         "[h]\n" GOOD "target = global:proc[name=sh,sleeping=wait].trapframe\n"
         "[i]\n" GOOD "target = global:bcache.buf[block=33];offset:64\n"
         "[j]\n" GOOD "target = global:bcache.buf[block=0];field:data[7]\n"
         "[k]\n" GOOD "target = global:bcache.buf[block=2147483647]\n", "");
  bad_target("role: unknown key", GOOD, "global:proc[pid=3]");
  bad_target("role: empty", GOOD, "global:proc[name=]");
  bad_target("role: not in a field path", GOOD, "field:x[name=wc]");
  bad_target("bad base", GOOD, "global:proc[x]");
  bad_target("selector twice", GOOD, "object;L2");
  bad_target("arg8", GOOD, "arg8");
  bad_target("block: no number", GOOD, "global:bcache.buf[block=]");
  bad_target("block: not a number", GOOD, "global:bcache.buf[block=0x21]");
  bad_target("block: 2^31", GOOD, "global:bcache.buf[block=2147483648]");
  bad_target("block: with a process role", GOOD, "global:bcache.buf[block=3,name=wc]");
  bad_target("block: twice", GOOD, "global:bcache.buf[block=3,block=4]");
  bad_target("block: not in a field path", GOOD, "field:data[block=3]");
  expect("user targets", "[a]\n" USER "page\ntarget = user[name=wc]\n"
         "[b]\n" USER "page\ntarget = user[name=wc,va=sp]\n"
         "[c]\n" USER "pagetable\ntarget = user[va=0x1000,name=wc];L0\n"
         "[d]\n" USER "pagetable\ntarget = user[name=wc,va=4096];L2\n", "");
  bad_target("user: no name", USER "page\n", "user[va=pc]");
  bad_target("user: bad va", USER "page\n", "user[name=wc,va=ra]");
  bad_target("user: va past Sv39", USER "page\n", "user[name=wc,va=0x4000000000]");
  bad_target("user: role of global", USER "page\n", "user[name=wc,sleeping=wait]");
  bad_target("user: trailing", USER "page\n", "user[name=wc]x");
  expect("user site without user target", "[a]\n" USER "page\n",
         "F:1: site = user goes with a target user[name=PROGRAM,...], and back, in [a]\n");
  expect("user target at a kernel site", "[a]\n" GOOD "target = user[name=ls]\n",
         "F:1: site = user goes with a target user[name=PROGRAM,...], and back, in [a]\n");
  expect("user: page-table page needs a level", "[a]\n" USER "pagetable\n"
         "target = user[name=wc]\n",
         "F:1: a user[...] target is a user page (object = page, selector object) or a "
         "page-table page (object = pagetable, selector L2/L1/L0) in [a]\n");
  expect("user: a level is no page", "[a]\n" USER "page\ntarget = user[name=wc];L0\n",
         "F:1: a user[...] target is a user page (object = page, selector object) or a "
         "page-table page (object = pagetable, selector L2/L1/L0) in [a]\n");
  expect("user: one stop", "[a]\n" USER "page\ntarget = user[name=wc]\nhit = 2\n",
         "F:1: site = user stops once and delivers one error there: hit 1, delivery = "
         "breakpoint, no second error in [a]\n");
  expect("user: delivered at the stop", "[a]\n" USER "page\ntarget = user[name=wc]\n"
         "delivery = access\n",
         "F:1: site = user stops once and delivers one error there: hit 1, delivery = "
         "breakpoint, no second error in [a]\n");
  expect("user: a program of the workload", "[a]\n" USER "page\ntarget = user[name=cat]\n",
         "F:1: target user[name=cat]: the workload runs no program cat in [a]\n");
  bad_target("offset too far", GOOD, "offset:1048576");
  expect("bad table", "[a]\nobject = buf\nsite = bget\nworkload = ls\ntable = 4\n",
         "F:5: bad table '4' (expected 2, 3 or smoke)\n");
  expect("bad site", "[a]\nobject = buf\nsite = b-get\nworkload = ls\ntable = 2\n",
         "F:3: bad site 'b-get' (expected a kernel function name)\n");
  expect("empty value", "[a]\n" GOOD "seed =\n",
         "F:6: empty value for 'seed'\n");
  expect("long program name", "[a]\nobject = buf\nsite = bget\n"
         "workload = averyveryverylongname x\ntable = 2\n",
         "F:4: workload program name 'averyveryverylongname' is longer than 15 characters\n");
  expect("harts_at_once over cpus", "[a]\n" GOOD "cpus = 2\nharts_at_once = 3\n",
         "F:1: harts_at_once 3 exceeds cpus 2 in [a]\n");
  expect("second_object alone", "[a]\n" GOOD "second_object = log\n",
         "F:1: second_object and second_site go together in [a]\n");
  expect("unknown during_recovery", "[a]\n" GOOD "during_recovery = nmi\n",
         "F:6: unknown object 'nmi' in during_recovery\n");
  expect("no sections", "; nothing here\n", "F: no scenarios (no [section])\n");
  {
    char line[400];
    snprintf(line, sizeof(line), "[a]\n" GOOD "note = %0250d\n", 0);
    expect("line too long", line, "F:6: line too long (more than 200 characters)\n");
  }
  expect("every problem reported",
         "[a]\nobject = bfu\nsite = bget\nworkload = ls\ntable = 2\n"
         "[b]\nobject = buf\nsite = bget\nworkload = ls\ntable = 2\nhit = -1\n"
         "[c]\nobject = buf\n",
         "F:2: unknown object 'bfu'\n"
         "F:11: bad number '-1' for hit (expected 1..1000000)\n"
         "F:12: missing required key 'site' in [c]\n"
         "F:12: missing required key 'workload' in [c]\n"
         "F:12: missing required key 'table' in [c]\n");
}

static void
test_missing_file(void)
{
  struct config cfg = {0};
  char *msgs = NULL;
  size_t len = 0;
  FILE *errs = open_memstream(&msgs, &len);
  int n = config_load(&cfg, "configs/no-such.ini", errs);

  fclose(errs);
  check(n == 1, "a missing file is one problem, got %d", n);
  same_str(msgs, "configs/no-such.ini: cannot open: No such file or directory\n",
           "missing file");
  free(msgs);
  config_free(&cfg);
}

// The Table 3 keys: each wrong combination is one message at the header,
// and a good during_recovery scenario gets its defaults.
static void
test_multi(void)
{
  struct config cfg = {0};
  struct scenario *s;
  char *msgs;

  expect("bad during_hart", "[a]\n" GOOD "during_recovery = proc\nduring_hart = third\n",
         "F:7: bad during_hart 'third' (expected recoverer, follower or other)\n");
  expect("bad recovery_site", "[a]\n" GOOD "during_recovery = proc\nrecovery_site = a.b\n",
         "F:7: bad recovery_site 'a.b' (expected a kernel function name)\n");
  expect("bad during_site", "[a]\n" GOOD "during_recovery = log\nduring_hart = other\n"
         "during_site = 9lives\ncpus = 2\n",
         "F:8: bad during_site '9lives' (expected a kernel function name)\n");
  expect("during_hart alone", "[a]\n" GOOD "during_hart = recoverer\n",
         "F:1: during_hart needs during_recovery in [a]\n");
  expect("recovery_site alone", "[a]\n" GOOD "recovery_site = log_recover\n",
         "F:1: recovery_site needs during_recovery in [a]\n");
  expect("during_site alone", "[a]\n" GOOD "during_site = begin_op\n",
         "F:1: during_site needs during_recovery in [a]\n");
  expect("other without during_site", "[a]\n" GOOD "cpus = 2\nduring_recovery = log\n"
         "during_hart = other\n",
         "F:1: during_hart = other needs during_site in [a]\n");
  expect("during_site without other", "[a]\n" GOOD "during_recovery = log\n"
         "during_site = begin_op\n",
         "F:1: during_site goes with during_hart = other in [a]\n");
  expect("other on one hart", "[a]\n" GOOD "during_recovery = log\nduring_hart = other\n"
         "during_site = begin_op\n",
         "F:1: during_hart = other needs another hart (cpus >= 2) in [a]\n");
  expect("follower alone", "[a]\n" GOOD "cpus = 3\nduring_recovery = proc\n"
         "during_hart = follower\n",
         "F:1: during_hart = follower needs a second error queued behind the first "
         "(harts_at_once >= 2 or second_site) in [a]\n");
  expect("follower behind a second site", "[a]\n" GOOD "cpus = 2\nduring_recovery = proc\n"
         "during_hart = follower\nsecond_object = log\nsecond_site = begin_op\n", "");
  expect("second_site on one hart", "[a]\n" GOOD "second_object = log\n"
         "second_site = begin_op\n",
         "F:1: second_site needs another hart (cpus >= 2) in [a]\n");
  expect("several errors on access", "[a]\n" GOOD "cpus = 2\nharts_at_once = 2\n"
         "delivery = access\n", "");
  expect("several errors with no consumer", "[a]\n" GOOD "cpus = 2\nharts_at_once = 2\n"
         "delivery = scrub\n",
         "F:1: more than one error needs delivery = breakpoint or access in [a]\n");

  msgs = load_text("[a]\n" GOOD "cpus = 3\nharts_at_once = 2\nduring_recovery = shepherd\n"
                   "during_hart = follower\n"
                   "[b]\n" GOOD "during_recovery = text\nrecovery_site = log_recover\n"
                   "[c]\n" GOOD "cpus = 2\nduring_recovery = log\nduring_hart = other\n"
                   "during_site = begin_op\nrecovery_site = cons_recover\n"
                   "[d]\n" GOOD, &cfg);
  same_str(msgs, "", "good Table 3 keys");
  check(cfg.n == 4, "four scenarios, got %d", cfg.n);
  if(cfg.n == 4){
    s = &cfg.sc[0];
    same_str(s->during_hart, "follower", "[a] during_hart");
    same_str(s->recovery_site, DEFAULT_RECOVERY_SITE, "[a] default recovery_site");
    check(s->during_site == NULL, "[a] no during_site");
    s = &cfg.sc[1];
    same_str(s->during_hart, "recoverer", "[b] default during_hart");
    same_str(s->recovery_site, "log_recover", "[b] recovery_site");
    s = &cfg.sc[2];
    same_str(s->during_site, "begin_op", "[c] during_site");
    same_str(s->recovery_site, "cons_recover", "[c] recovery_site");
    s = &cfg.sc[3];
    check(s->during_recovery == NULL && s->during_hart == NULL && s->recovery_site == NULL,
          "[d] no during_recovery, no defaults for it");
  }
  free(msgs);
  config_free(&cfg);
}

// The icount key: QEMU's -icount argument, checked here, stored as given;
// no key is the host's clock.
static void
test_icount(void)
{
  struct config cfg = {0};
  char *msgs;

  expect("bad icount", "[a]\n" GOOD "icount = shift=11\n",
         "F:6: bad icount 'shift=11' (expected shift=0..10 or shift=auto, then optionally "
         ",sleep=on or ,sleep=off)\n");
  expect("icount sleep", "[a]\n" GOOD "icount = shift=4,sleep=maybe\n",
         "F:6: bad icount 'shift=4,sleep=maybe' (expected shift=0..10 or shift=auto, then "
         "optionally ,sleep=on or ,sleep=off)\n");
  expect("icount trailing", "[a]\n" GOOD "icount = shift=4,sleep=off,align=on\n",
         "F:6: bad icount 'shift=4,sleep=off,align=on' (expected shift=0..10 or shift=auto, "
         "then optionally ,sleep=on or ,sleep=off)\n");
  msgs = load_text("[a]\n" GOOD "icount = shift=4,sleep=off\n[b]\n" GOOD
                   "icount = shift=auto\n[c]\n" GOOD, &cfg);
  same_str(msgs, "", "icount values accepted");
  check(cfg.n == 3, "three scenarios, got %d", cfg.n);
  if(cfg.n == 3){
    same_str(cfg.sc[0].icount ? cfg.sc[0].icount : "(none)", "shift=4,sleep=off", "icount stored as given");
    same_str(cfg.sc[1].icount ? cfg.sc[1].icount : "(none)", "shift=auto", "icount without sleep");
    check(cfg.sc[2].icount == NULL, "no icount key: the host's clock");
  }
  free(msgs);
  config_free(&cfg);
}

static void
test_defaults(void)
{
  struct config cfg = {0};
  char *msgs = load_text("# a comment\n[x.1]\n" GOOD
                         "workload = mkdir d ; cd d ; stress 2 1\n", &cfg);
  struct scenario *s;

  // workload twice: one error, and the scenario is still there
  same_str(msgs, "F:7: duplicate key 'workload' (first on line 5)\n", "defaults file");
  free(msgs);
  config_free(&cfg);

  msgs = load_text("[x.1]\nobject = buf\nsite = bget\ntable = smoke\n"
                   "workload = mkdir d ; cd d ; stress 2 1\n"
                   "corrupt = zero\nseed = 7\nmodes = aggressive\n", &cfg);
  same_str(msgs, "", "valid file");
  check(cfg.n == 1, "one scenario, got %d", cfg.n);
  s = &cfg.sc[0];
  same_str(s->name, "x.1", "name");
  check(s->line == 1, "section line 1, got %d", s->line);
  check(s->site_line == 3, "site on line 3, got %d", s->site_line);
  same_str(s->workload, "mkdir d ; cd d ; stress 2 1", "workload keeps ';'");
  check(s->hit == 1 && s->repeat == 1 && s->cpus == 1 && s->harts_at_once == 1,
        "numeric defaults: hit %ld repeat %ld cpus %ld harts %ld", s->hit, s->repeat,
        s->cpus, s->harts_at_once);
  same_str(s->target, "object", "default target");
  same_str(s->delivery, "breakpoint", "default delivery");
  same_str(s->corrupt, "zero", "corrupt pattern");
  check(s->corrupt_n == 8, "zero defaults to 8 bytes, got %ld", s->corrupt_n);
  check(s->has_seed && s->seed == 7, "seed 7");
  check(s->modes == MODE_AGGRESSIVE, "modes = aggressive only, got %d", s->modes);
  check(s->paper[0] == NULL && s->paper[1] == NULL, "no paper results");
  free(msgs);
  config_free(&cfg);
}

static void
test_shipped(void)
{
  static const struct { const char *path; int n; } files[] = {
    { "configs/smoke.ini", 3 },
    { "configs/table2.ini", 49 },
    { "configs/table3.ini", 14 },
    { "tests/campaign/e2e.ini", 3 },
    { "configs/drivers.ini", 28 },
  };

  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++){
    struct config cfg = {0};
    int problems = config_load(&cfg, files[i].path, stdout);
    check(problems == 0, "%s: %d problems", files[i].path, problems);
    check(cfg.n == files[i].n, "%s: %d scenarios, want %d", files[i].path, cfg.n,
          files[i].n);
    config_free(&cfg);
  }
}

#define DRIVER "kind = driver\ndriver = disk\nfault = loop\ndetector = kernel\n" \
  "expect_detect = hang\nexpect_restart = software\nworkload = ls\n"

// kind = driver: its keys, their values, what it refuses, its defaults.
static void
test_driver(void)
{
  struct config cfg = {0};
  char *got = load_text("[d]\n" DRIVER, &cfg);

  same_str(got, "", "a driver scenario loads");
  check(cfg.n == 1 && cfg.sc[0].driver_kind && strcmp(cfg.sc[0].object, "disk") == 0 &&
        strcmp(cfg.sc[0].site, "disk_serve") == 0 && cfg.sc[0].modes == MODE_CONSERVATIVE &&
        strcmp(cfg.sc[0].fault, "loop") == 0, "a driver scenario's defaults");
  free(got);
  config_free(&cfg);
  expect("bad fault", "[d]\n" DRIVER "note = x\n[e]\nkind = driver\nfault = hang\n",
         "F:12: bad fault 'hang' (expected loop, deadlock, lostirq, badwrite, corrupt, crash "
         "or lockcrash)\n"
         "F:10: missing required key 'driver' in [e] (kind = driver)\n"
         "F:10: missing required key 'detector' in [e] (kind = driver)\n"
         "F:10: missing required key 'expect_detect' in [e] (kind = driver)\n"
         "F:10: missing required key 'expect_restart' in [e] (kind = driver)\n"
         "F:10: missing required key 'workload' in [e] (kind = driver)\n");
  expect("object key in a driver scenario", "[d]\n" DRIVER "site = bget\n",
         "F:1: key 'site' does not apply to kind = driver in [d]\n");
  expect("driver key without kind", "[a]\n" GOOD "detector = kernel\n",
         "F:1: the driver keys (driver, fault, detector, expect_detect, expect_restart) "
         "need kind = driver in [a]\n");
  expect("impossible expectation",
         "[d]\nkind = driver\ndriver = disk\nfault = loop\ndetector = kernel\n"
         "expect_detect = heartbeat\nexpect_restart = software\nworkload = ls\n",
         "F:1: detector = kernel runs no heartbeat: expect_detect = heartbeat cannot happen "
         "in [d]\n");
}

// The programs of a shell line, for the preflight's image check.
static void
test_workload_programs(void)
{
  static const struct { const char *line, *want; } cases[] = {
    { "cat README.md", "cat" },
    { "echo hello | wc", "echo wc" },
    { "echo ls | sh", "echo sh" },
    { "mkdir t2.d ; cd t2.d ; stress 2 1", "mkdir stress" },
    { "cat README.md & stress 4 4", "cat stress" },
    { "echo hello > t2.log", "echo" },
    { "< in wc > out", "wc" },
    { "(cat a; cat b) | grep x", "cat grep" },
    { "audit; usertests -q; audit", "audit usertests" },
    { "   ", "" },
  };

  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++){
    char **names = workload_programs(cases[i].line);
    struct strbuf sb = {0};
    for(int k = 0; names[k]; k++)
      sb_addf(&sb, "%s%s", k ? " " : "", names[k]);
    same_str(sb.s ? sb.s : "", cases[i].want, cases[i].line);
    sb_free(&sb);
    free_names(names);
  }
}

// --delivery access leaves out a stop in user mode (delivered at the
// stop), naming it, and keeps the rest with the new delivery.
static void
test_delivery_user(void)
{
  struct config cfg = {0};
  char *msgs = load_text("[a]\n" GOOD "[b]\n" USER "page\ntarget = user[name=wc]\n", &cfg);
  size_t len = 0;
  FILE *errs;

  same_str(msgs, "", "user stop loads");
  free(msgs);
  msgs = NULL;
  errs = open_memstream(&msgs, &len);
  config_set_delivery(&cfg, "access", errs);
  fclose(errs);
  check(cfg.n == 1 && strcmp(cfg.sc[0].name, "a") == 0 &&
        strcmp(cfg.sc[0].delivery, "access") == 0, "access kept [a] only (%d left)", cfg.n);
  check(strstr(msgs, "[b] left out: a stop in user mode is delivered at the stop, by "
               "breakpoint delivery") != NULL, "user stop left out: %s", msgs);
  free(msgs);
  config_free(&cfg);
}

void
test_config(void)
{
  test_delivery_user();
  test_workload_programs();
  test_messages();
  test_missing_file();
  test_defaults();
  test_icount();
  test_multi();
  test_driver();
  test_shipped();
}
