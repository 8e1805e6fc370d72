// main.c - ev6-bench: the command line, the plan of boots, running them
// (up to -j at once), progress, storing, and the result table. See usage()
// for what it does and its exit statuses, bench.h for the other files.
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"
#include "campaign/campaign.h"
#include "campaign/db.h"
#include "campaign/sha256.h"
#include "campaign/spawn.h"
#include "kernel/param.h"

// Everything the command line sets.
static struct {
  long reps;                      // -r
  long jobs;                      // -j
  const char *db;                 // -d
  const char *kernel[NKERNELS];   // --recovery, --vanilla
  const char *fs_image;           // --image
  const char *fsck;               // --fsck
  const char *icount;             // --icount
  long cpus;                      // --cpus
  long timeout;                   // --timeout, seconds per boot
  const char *logs;               // --logs
  int quick;                      // --quick
  int memory;                     // 0 after --no-memory
} opt = {
  .reps = 3,
  .jobs = 2,
  .db = "db/ev6.db",
  .kernel = { "kernel/kernel", "build/kernel-r0f0/kernel" },
  .fs_image = "fs.img",
  .fsck = "mkfs/fsck",
  // sleep=on: an idle guest waits in host time, so its clock cannot race
  // past a disk request the host is slow to finish (sleep=off warps to the
  // next tick at once, and on a loaded host 100 ticks passed, the disk
  // driver's monitor saw a hung device and a 1-s restart went into busy).
  // Busy time counts instructions either way.
  .icount = "shift=4,sleep=on",
  .cpus = 1,
  .timeout = 1800,
  .logs = "build/bench",
  .memory = 1,
};

// The --help text, on stdout.
static void
usage(void)
{
  printf(
"NAME\n"
"     ev6-bench - the runtime and memory overhead of Ev6 recovery\n"
"\n"
"SYNOPSIS\n"
"     ev6-bench [-r repetitions] [-j jobs] [-d db] [--quick] [--no-memory]\n"
"               [--recovery kernel] [--vanilla kernel] [--image file]\n"
"               [--fsck file] [--icount arg] [--cpus n] [--timeout seconds]\n"
"               [--logs dir]\n"
"\n"
"DESCRIPTION\n"
"     Runs the whole usertests suite on the recovery kernel and on the\n"
"     vanilla (RECOVERY=0) kernel, each booted `repetitions' times under\n"
"     QEMU with deterministic instruction counting, the kernels interleaved\n"
"     (recovery, vanilla, recovery, ...) so that any drift of the host hits\n"
"     both. Each test prints its guest time and busy time (usertests.c);\n"
"     the ratio recovery / vanilla per test is the paper's Figure 5.\n"
"     Repetition r starts every test (r-1)/repetitions of a time slice\n"
"     after a clock tick (usertests -p), on both kernels: a test whose\n"
"     busy time is bound to time slices is measured at evenly spread\n"
"     phases instead of where the ticks happen to fall. First,\n"
"     unless --no-memory, user/memtest boots once on each kernel: memstat()\n"
"     after boot and around allocating all memory with a contiguous and\n"
"     with a shuffled free list (the paper's Table 4). The kernels and the\n"
"     image are copied when the session starts (a rebuild meanwhile\n"
"     changes nothing under it); every boot gets its own copy of the image.\n"
"\n"
"     Everything goes into the database as one session: bench_sessions,\n"
"     one bench_runs row per usertests boot, one bench_tests row per test\n"
"     line, bench_memory per memtest phase (recovery kernel); the view\n"
"     bench_overhead has the ratios. A session gets its finished time only\n"
"     when every boot has been recorded: an interrupted one keeps\n"
"     finished NULL and the view leaves it out; run again for a new one.\n"
"     At the end a table: per-test times and ratios, geometric and\n"
"     arithmetic mean and maximum ratio, the worst tests, the spread over\n"
"     the repetitions (max/min per kernel), memory per phase, and the\n"
"     goals (mean <= %.2fx, worst <= %.2fx; the paper: %.1fx, %.1fx). The\n"
"     worst-test goal is also given over the repeatable tests only: a test\n"
"     whose busy time varies over the repetitions by more than the goal's\n"
"     margin (max/min above the worst goal on either kernel, as sharedfd's\n"
"     does with the disk's timing) cannot decide it, and is named; and\n"
"     the busy ratios again from each test's least busy repetition per\n"
"     kernel (a slow disk or a restarted driver only adds instructions).\n"
"     The goals are reported, not enforced.\n"
"\n"
"     Progress goes to standard output: on a terminal one line kept up to\n"
"     date (boots done/total, tests done in the boots running, ETA);\n"
"     otherwise one line per finished boot. Each boot's console is saved\n"
"     in the log directory. Run from the top of the source tree; `make\n"
"     bench' builds everything first.\n"
"\n"
"OPTIONS\n"
"     -r, --reps repetitions\n"
"             Boots of each kernel (default %ld).\n"
"     -j, --jobs n\n"
"             QEMUs at once (default %ld; each uses one host core).\n"
"     -d, --db file\n"
"             The database (default %s), created if missing; the same\n"
"             one as the campaign's.\n"
"     --quick\n"
"             Run `usertests -q' instead of the whole suite.\n"
"     --no-memory\n"
"             Skip the memory benchmark.\n"
"     --recovery kernel, --vanilla kernel\n"
"             The kernels (default %s, built by `make kernel', and\n"
"             %s, built by `make RECOVERY=0 kernel').\n"
"     --image file\n"
"             File-system image holding usertests and memtest (default %s).\n"
"     --fsck file\n"
"             Checker run on each boot's disk afterwards (default %s).\n"
"     --icount arg\n"
"             QEMU's -icount argument (default %s; '' for none, when\n"
"             only the host time per test means anything).\n"
"     --cpus n\n"
"             Harts of the guest (default %ld).\n"
"     --timeout seconds\n"
"             Longest one boot may take (default %ld).\n"
"     --logs dir\n"
"             Where the consoles go, as sSESSION-KERNEL-usertests-REP.log\n"
"             and sSESSION-KERNEL-memtest.log (default %s).\n"
"     -h, --help\n"
"             Print this text.\n"
"\n"
"EXIT STATUS\n"
"     0    Every boot passed (whatever the ratios).\n"
"     1    A boot failed (QEMU failed or timed out, a test failed, the\n"
"          kernel panicked, fsck found the disk inconsistent, memtest\n"
"          failed), each reported with its console log; or a run-time error\n"
"          (a missing file, the database). The session still finishes and\n"
"          its table is printed when every boot ran.\n"
"     2    Bad command line.\n"
"     130  Interrupted; the session stays unfinished.\n"
"\n"
"EXAMPLES\n"
"     make bench                  build, then ev6-bench with BENCH_REPS=3\n"
"     ev6-bench -r 5\n"
"     ev6-bench -r 1 --quick --no-memory\n"
"     sqlite3 db/ev6.db 'SELECT name, busy_ratio FROM bench_overhead\n"
"                        WHERE session = 1 ORDER BY busy_ratio DESC'\n",
    GOAL_MEAN, GOAL_MAX, PAPER_MEAN, PAPER_MAX, opt.reps, opt.jobs, opt.db,
    opt.kernel[KERNEL_RECOVERY], opt.kernel[KERNEL_VANILLA], opt.fs_image, opt.fsck,
    opt.icount, opt.cpus, opt.timeout, opt.logs);
}

// Fill opt from the command line.
static void
parse_options(int argc, char **argv)
{
  enum { O_QUICK = 256, O_NOMEM, O_REC, O_VAN, O_IMAGE, O_FSCK, O_ICOUNT, O_CPUS,
         O_TIMEOUT, O_LOGS };
  static const struct option longopts[] = {
    { "reps", required_argument, NULL, 'r' },
    { "jobs", required_argument, NULL, 'j' },
    { "db", required_argument, NULL, 'd' },
    { "quick", no_argument, NULL, O_QUICK },
    { "no-memory", no_argument, NULL, O_NOMEM },
    { "recovery", required_argument, NULL, O_REC },
    { "vanilla", required_argument, NULL, O_VAN },
    { "image", required_argument, NULL, O_IMAGE },
    { "fsck", required_argument, NULL, O_FSCK },
    { "icount", required_argument, NULL, O_ICOUNT },
    { "cpus", required_argument, NULL, O_CPUS },
    { "timeout", required_argument, NULL, O_TIMEOUT },
    { "logs", required_argument, NULL, O_LOGS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c;

  opterr = 0;
  while((c = getopt_long(argc, argv, ":r:j:d:h", longopts, NULL)) != -1){
    switch(c){
    case 'r':
      if(parse_long(optarg, 1, 1000, &opt.reps) < 0)
        usage_error("bad -r '%s' (expected 1..1000 repetitions)", optarg);
      break;
    case 'j':
      if(parse_long(optarg, 1, 64, &opt.jobs) < 0)
        usage_error("bad -j '%s' (expected 1..64 QEMUs at once)", optarg);
      break;
    case 'd': opt.db = optarg; break;
    case O_QUICK: opt.quick = 1; break;
    case O_NOMEM: opt.memory = 0; break;
    case O_REC: opt.kernel[KERNEL_RECOVERY] = optarg; break;
    case O_VAN: opt.kernel[KERNEL_VANILLA] = optarg; break;
    case O_IMAGE: opt.fs_image = optarg; break;
    case O_FSCK: opt.fsck = optarg; break;
    case O_ICOUNT: opt.icount = optarg; break;
    case O_CPUS:
      if(parse_long(optarg, 1, 8, &opt.cpus) < 0)
        usage_error("bad --cpus '%s' (expected 1..8 harts)", optarg);
      break;
    case O_TIMEOUT:
      if(parse_long(optarg, 10, 86400, &opt.timeout) < 0)
        usage_error("bad --timeout '%s' (expected 10..86400 seconds)", optarg);
      break;
    case O_LOGS: opt.logs = optarg; break;
    case 'h': usage(); exit(0);
    case ':': usage_error("option %s needs an argument", argv[optind - 1]);
    default:
      if(optopt)
        usage_error("unknown option -%c", optopt);
      usage_error("unknown option %s", argv[optind - 1]);
    }
  }
  if(optind < argc)
    usage_error("unexpected argument '%s'", argv[optind]);
}

// Exit naming every missing program or file.
static void
preflight(void)
{
  const char *files[] = { opt.kernel[KERNEL_RECOVERY], opt.kernel[KERNEL_VANILLA],
                          opt.fs_image };
  const char *make[] = { "make kernel", "make RECOVERY=0 kernel", "make fs.img" };
  struct stat st;
  int missing = 0, i;

  for(i = 0; i < 3; i++)
    if(stat(files[i], &st) < 0){
      warning("%s: %s (build it with `%s', or run `make bench')", files[i],
              strerror(errno), make[i]);
      missing++;
    }
  if(!in_path(opt.fsck)){
    warning("%s: not an executable (build it with `make mkfs/fsck')", opt.fsck);
    missing++;
  }
  if(!in_path("qemu-system-riscv64")){
    warning("qemu-system-riscv64 not found: install qemu-system-misc (make deps)");
    missing++;
  }
  if(missing)
    fatal("%d thing%s missing; nothing was run", missing, missing == 1 ? "" : "s");
}

// ------------------------------------------------------------ the plan

enum what { MEMTEST, USERTESTS };

struct boot {
  enum kernel k;
  enum what what;
  int rep;                        // 1.. for usertests
  char command[40];               // typed at the first prompt
  int done;
  struct guest g;
};

static struct boot *boots;
static int nboots;

// Memory first (two short boots), then the repetitions, kernels in turn.
static void
make_plan(void)
{
  int r, k, n = 0;

  nboots = (opt.memory ? NKERNELS : 0) + (int)opt.reps * NKERNELS;
  boots = xcalloc((size_t)nboots, sizeof(*boots));
  for(k = 0; opt.memory && k < NKERNELS; k++){
    boots[n].k = (enum kernel)k;
    boots[n].what = MEMTEST;
    snprintf(boots[n++].command, sizeof(boots[0].command), "memtest");
  }
  // Repetition r starts every test (r-1)/reps of a time slice after a
  // clock tick, on both kernels: a test bound to time slices is measured
  // at evenly spread phases and its mean does not hang on where the
  // ticks happened to fall (under -icount they fall at the same
  // instruction every boot).
  for(r = 1; r <= opt.reps; r++)
    for(k = 0; k < NKERNELS; k++){
      boots[n].k = (enum kernel)k;
      boots[n].what = USERTESTS;
      boots[n].rep = r;
      snprintf(boots[n++].command, sizeof(boots[0].command), "usertests -p %ld%s",
               (r - 1) * TICK_CYCLES / opt.reps, opt.quick ? " -q" : "");
    }
}

// ------------------------------------------------------------ progress

static struct {
  int tty;
  int shown;                      // the tty line holds something
  int64_t t_start, last_show;
  int done;
  int64_t dur_sum[2];             // ms of finished boots, per enum what
  int dur_n[2];
  int tests_per_boot;             // from the first finished usertests boot
} prog;

// Clear the tty line before printing something else.
static void
progress_clear(void)
{
  if(prog.tty && prog.shown){
    printf("\r\033[K");
    prog.shown = 0;
  }
}

// Seconds left: the mean duration of finished boots of each kind, for
// the ones not yet done, shared by the QEMUs running at once; -1 unknown.
static long
eta_s(void)
{
  int64_t left = 0, now = now_ms();
  int i;

  for(i = 0; i < nboots; i++){
    struct boot *b = &boots[i];
    int64_t d;
    if(b->done)
      continue;
    if(prog.dur_n[b->what] == 0){
      if(b->what == USERTESTS)
        return -1;
      continue;                   // memtest: short, leave it out until known
    }
    d = prog.dur_sum[b->what] / prog.dur_n[b->what];
    if(b->g.t0)
      d -= now - b->g.t0;
    if(d > 0)
      left += d;
  }
  return (long)(left / opt.jobs / 1000);
}

// The tty line, at most twice a second unless forced.
static void
progress_show(int force)
{
  char line[256], eta[32];
  size_t n;
  long e;
  int i;

  if(!prog.tty || (!force && now_ms() - prog.last_show < 500))
    return;
  prog.last_show = now_ms();
  n = (size_t)snprintf(line, sizeof(line), "[%d/%d boots]", prog.done, nboots);
  for(i = 0; i < nboots && n < sizeof(line) - 40; i++){
    struct boot *b = &boots[i];
    if(b->done || b->g.t0 == 0)
      continue;
    if(b->what == MEMTEST)
      n += (size_t)snprintf(line + n, sizeof(line) - n, " %s memtest", kernel_names[b->k]);
    else if(prog.tests_per_boot)
      n += (size_t)snprintf(line + n, sizeof(line) - n, " %s#%d %d/%d tests",
                            kernel_names[b->k], b->rep, b->g.progress, prog.tests_per_boot);
    else
      n += (size_t)snprintf(line + n, sizeof(line) - n, " %s#%d %d tests",
                            kernel_names[b->k], b->rep, b->g.progress);
  }
  e = eta_s();
  if(e < 0)
    snprintf(eta, sizeof(eta), "--:--");
  else
    snprintf(eta, sizeof(eta), "%02ld:%02ld", e / 60, e % 60);
  printf("\r%s  ETA %s\033[K", line, eta);
  prog.shown = 1;
  fflush(stdout);
}

// ------------------------------------------------------------ running

static volatile sig_atomic_t stop;
static char tmpdir[PATH_MAX];

static void
on_stop(int sig)
{
  (void)sig;
  stop = 1;
}

// The kernels and the image the boots use: copies taken at the start, so
// that a rebuild while the session runs (make in another terminal) changes
// nothing under it. Indexed by kernel; [NKERNELS] is the image.
static char snap[NKERNELS + 1][PATH_MAX + 32];

// Copy path into the scratch directory as name, into snap[i]; exits
// naming the file on failure.
static void
snapshot(int i, const char *path, const char *name)
{
  size_t len;
  char *data = read_file(path, &len);
  int fd;

  if(data == NULL)
    fatal("cannot read %s: %s", path, strerror(errno));
  snprintf(snap[i], sizeof(snap[i]), "%s/%s", tmpdir, name);
  fd = open(snap[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0)
    fatal("cannot write %s: %s", snap[i], strerror(errno));
  free(data);
}

// Remove the scratch directory (disk copies are removed as boots end).
static void
remove_tmpdir(void)
{
  char path[PATH_MAX + 16];

  if(tmpdir[0] == '\0')
    return;
  for(int i = 0; i < nboots; i++)
    if(boots[i].g.disk[0])
      unlink(boots[i].g.disk);
  for(int i = 0; i <= NKERNELS; i++)
    if(snap[i][0])
      unlink(snap[i]);
  snprintf(path, sizeof(path), "%s", tmpdir);
  rmdir(path);
  tmpdir[0] = '\0';
}

// Start boot b.
static void
start_boot(struct boot *b)
{
  struct guest *g = &b->g;

  g->kernel = snap[b->k];
  g->fs_image = snap[NKERNELS];
  g->fsck = opt.fsck;
  g->tmpdir = tmpdir;
  g->command = b->command;
  g->icount = opt.icount;
  g->cpus = (int)opt.cpus;
  g->timeout_s = opt.timeout;
  guest_start(g);
}

// Write boot b's console to the log directory; returns the path (static).
static const char *
save_log(int64_t session, const struct boot *b)
{
  static char path[PATH_MAX];
  const struct strbuf *t = &b->g.con.text;
  FILE *f;

  if(b->what == MEMTEST)
    snprintf(path, sizeof(path), "%s/s%lld-%s-memtest.log", opt.logs, (long long)session,
             kernel_names[b->k]);
  else
    snprintf(path, sizeof(path), "%s/s%lld-%s-usertests-%d.log", opt.logs,
             (long long)session, kernel_names[b->k], b->rep);
  f = fopen(path, "w");
  if(f == NULL || fwrite(sb_str(t), 1, t->len, f) != t->len || fclose(f) != 0)
    fatal("cannot write %s: %s", path, strerror(errno));
  return path;
}

// The names of the failed tests, in a static buffer.
static const char *
failed_tests(const struct usertests_out *out)
{
  static char buf[300];
  size_t n = 0;
  int i;

  buf[0] = '\0';
  for(i = 0; i < out->ntests && n < sizeof(buf) - 50; i++)
    if(!out->tests[i].pass)
      n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s", out->tests[i].name);
  return buf;
}

static struct memtest_out vanilla_mem;
static int have_vanilla_mem;
static int failures;

// Record a finished boot: log, parse, store, report a failure. kernel_sha
// is indexed by kernel.
static void
record(sqlite3 *db, int64_t session, struct boot *b, char kernel_sha[][65])
{
  struct guest *g = &b->g;
  const char *log, *label;
  char why[600] = "";
  int64_t wall = g->t_end - g->t0;

  guest_finish(g);
  log = save_log(session, b);
  label = kernel_names[b->k];
  if(b->what == USERTESTS){
    struct usertests_out out;
    const char *verdict;
    int ok = parse_usertests(sb_str(&g->con.text), g->con.text.len, g->con.stamps,
                             g->con.nstamps, &out) == 0;
    if(!out.all_passed && !out.some_failed)
      verdict = NULL;             // usertests did not finish
    else
      verdict = ok && usertests_passed(&out) && !g->error[0] ? "pass" : "fail";
    bench_store_run(db, session, b->k, kernel_sha[b->k], b->rep, verdict, wall, &out);
    if(g->error[0])
      snprintf(why, sizeof(why), "%s", g->error);
    else if(!ok)
      snprintf(why, sizeof(why), "malformed result line: %s", out.bad);
    else if(verdict == NULL)
      snprintf(why, sizeof(why), "usertests did not finish");
    else if(strcmp(verdict, "pass") != 0)
      snprintf(why, sizeof(why), "tests failed:%s", failed_tests(&out));
    if(b->rep == 1 && b->k == KERNEL_RECOVERY && verdict && prog.tests_per_boot == 0)
      prog.tests_per_boot = out.ntests;
    progress_clear();
    if(why[0] == '\0' && !prog.tty)
      printf("ev6-bench: [%d/%d] %s kernel, repetition %d: pass, %d tests, %.0f s\n",
             prog.done + 1, nboots, label, b->rep, out.ntests, wall / 1000.0);
    usertests_out_free(&out);
  } else {
    struct memtest_out m;
    if(g->error[0])
      snprintf(why, sizeof(why), "%s", g->error);
    else if(parse_memtest(sb_str(&g->con.text), g->con.text.len, &m) < 0)
      snprintf(why, sizeof(why), "memtest: %s (last line: %s)", m.bad, last_line(&g->con.text));
    else if(b->k == KERNEL_RECOVERY)
      bench_store_memory(db, session, &m);
    else {
      vanilla_mem = m;
      have_vanilla_mem = 1;
    }
    progress_clear();
    if(why[0] == '\0' && !prog.tty)
      printf("ev6-bench: [%d/%d] %s kernel, memtest: done, %.0f s\n", prog.done + 1, nboots,
             label, wall / 1000.0);
  }
  if(why[0]){
    failures++;
    progress_clear();
    if(b->what == USERTESTS)
      fprintf(stderr, "ev6-bench: %s kernel (%s), repetition %d: %s\n  console: %s\n", label,
              opt.kernel[b->k], b->rep, why, log);
    else
      fprintf(stderr, "ev6-bench: %s kernel (%s), memtest: %s\n  console: %s\n", label,
              opt.kernel[b->k], why, log);
  }
  prog.dur_sum[b->what] += wall;
  prog.dur_n[b->what]++;
  prog.done++;
  b->done = 1;
  guest_free(g);
}

// Run every boot, up to opt.jobs at once. Returns 0, or -1 if stopped.
static int
run_all(sqlite3 *db, int64_t session, char kernel_sha[][65])
{
  struct pollfd pfd[64];
  int next = 0, running = 0, i, n;

  while(next < nboots || running > 0){
    if(stop){
      for(i = 0; i < nboots; i++)
        if(boots[i].g.t0 && !boots[i].done){
          snprintf(boots[i].g.error, sizeof(boots[i].g.error), "interrupted");
          guest_finish(&boots[i].g);    // kills QEMU, removes the disk
        }
      return -1;
    }
    while(running < opt.jobs && next < nboots){
      start_boot(&boots[next++]);
      running++;
    }
    for(i = n = 0; i < nboots; i++)
      if(boots[i].g.t0 && !boots[i].done && guest_fd(&boots[i].g) >= 0){
        pfd[n].fd = guest_fd(&boots[i].g);
        pfd[n++].events = POLLIN;
      }
    poll(pfd, (nfds_t)n, 200);
    for(i = 0; i < nboots; i++){
      struct boot *b = &boots[i];
      if(b->g.t0 == 0 || b->done)
        continue;
      if(guest_step(&b->g)){
        record(db, session, b, kernel_sha);
        running--;
      }
    }
    progress_show(0);
  }
  return 0;
}

int
main(int argc, char **argv)
{
  struct session_info si;
  char kernel_sha[NKERNELS][65];
  const char *qv[] = { "qemu-system-riscv64", "--version", NULL };
  char *cmdline, *git, *qemu;
  struct sigaction sa;
  int64_t session, t0 = now_ms();
  sqlite3 *db;
  int k;

  util_progname = "ev6-bench";
  parse_options(argc, argv);
  preflight();
  if(mkdir(opt.logs, 0755) < 0 && errno != EEXIST)
    fatal("cannot create the log directory %s: %s", opt.logs, strerror(errno));
  {
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/ev6-bench.%d.XXXXXX",
             t && *t ? t : "/tmp", (int)getpid());
    if(mkdtemp(tmpdir) == NULL)
      fatal("cannot create a scratch directory %s: %s", tmpdir, strerror(errno));
  }
  make_plan();
  atexit(remove_tmpdir);
  for(k = 0; k < NKERNELS; k++){
    snapshot(k, opt.kernel[k], kernel_names[k]);
    if(sha256_file(snap[k], kernel_sha[k]) < 0)
      fatal("cannot read %s: %s", snap[k], strerror(errno));
  }
  snapshot(NKERNELS, opt.fs_image, "fs.img");

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  db = db_open(opt.db);
  cmdline = command_line(argc, argv);
  git = git_commit();
  qemu = first_line(qv);
  si = (struct session_info){ .command_line = cmdline, .git_commit = git,
    .qemu_version = qemu, .cpus = (int)opt.cpus, .icount = opt.icount,
    .repetitions = (int)opt.reps };
  session = bench_session_new(db, &si);

  prog.tty = isatty(STDOUT_FILENO);
  prog.t_start = now_ms();
  printf("ev6-bench: session %lld in %s: %ld repetition%s of %s on each kernel%s,"
         " %ld at once, -icount %s, %ld hart%s\n", (long long)session, opt.db, opt.reps,
         opt.reps == 1 ? "" : "s", opt.quick ? "usertests -q" : "usertests",
         opt.memory ? " and memtest" : "", opt.jobs, opt.icount[0] ? opt.icount : "off",
         opt.cpus, opt.cpus == 1 ? "" : "s");
  fflush(stdout);

  if(run_all(db, session, kernel_sha) < 0){
    progress_clear();
    fprintf(stderr, "ev6-bench: interrupted; session %lld stays unfinished (finished is NULL,"
            " bench_overhead leaves it out)\n", (long long)session);
    db_close(db);
    exit(130);
  }
  progress_clear();
  bench_session_finished(db, session);
  report_session(db, session, have_vanilla_mem ? &vanilla_mem : NULL, stdout);
  printf("\nev6-bench: session %lld: %d boot%s in %.1f min, %d failed; consoles in %s/s%lld-*\n",
         (long long)session, nboots, nboots == 1 ? "" : "s", (now_ms() - t0) / 60000.0,
         failures, opt.logs, (long long)session);
  db_close(db);
  free(cmdline);
  free(git);
  free(qemu);
  return failures ? 1 : 0;
}
