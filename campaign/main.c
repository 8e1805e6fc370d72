// main.c - ev6-campaign: the command line, and the order of things:
// options, configs, tools, database, campaign, jobs, workers (or a Slurm
// job array, array.h), summary.
// See usage() for what it does and its exit statuses.
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/array.h"
#include "campaign/campaign.h"
#include "campaign/config.h"
#include "campaign/db.h"
#include "campaign/jobs.h"
#include "campaign/merge.h"
#include "campaign/paper.h"
#include "campaign/preflight.h"
#include "campaign/progress.h"
#include "campaign/replay.h"
#include "campaign/rundir.h"
#include "campaign/runner.h"
#include "campaign/shard.h"
#include "campaign/slurm.h"
#include "campaign/snapshot.h"
#include "campaign/util.h"
#include "campaign/workers.h"

// Everything the command line sets.
static struct {
  long jobs;                    // -j: workers (0 = one per CPU)
  const char *db;               // -d
  int full_survival;            // --full-survival
  long seed;                    // --seed
  int64_t replay;               // --replay RUN (0 = no)
  int dry_run;                  // --dry-run
  const char *paper;            // --paper
  struct paths paths;           // --kernel, --image, --fsck, --gdb-script
  long timeout[NPHASES];        // --timeout PHASE=SECONDS (0 = default)
  int slurm;                    // --executor slurm
  struct array_opts array;      // its options
  const char **merge;           // --merge FILE ... (nmerge)
  int nmerge;
  const char *shard_task;       // --shard-task FILE
  const char *delivery;         // --delivery (NULL: each scenario's own)
} opt = {
  .array = { .tasks = ARRAY_MAX_TASKS },
  .db = "db/ev6.db",
  .paper = DEFAULT_PAPER_FILE,
  .seed = 1,
  .paths = {
    .kernel = "build/kernel-r1f1/kernel",
    .fs_image = "fs.img",
    .fsck = "mkfs/fsck",
    .gdb_script = "campaign/gdbscripts/ev6inject.py",
    .preflight = "campaign/gdbscripts/preflight.py",
  },
};

static const long default_timeout[NPHASES] = { 0, 60, 120, 60, 300 };
#define FULL_SURVIVAL_TIMEOUT 1800

// The --help text, on stdout.
static void
usage(void)
{
  printf(
"NAME\n"
"     ev6-campaign - run a fault-injection campaign against the Ev6 kernel\n"
"\n"
"SYNOPSIS\n"
"     ev6-campaign [-j workers] [-d db] [--full-survival] [--seed n]\n"
"                  [--kernel file] [--image file] [--fsck file]\n"
"                  [--gdb-script file] [--timeout phase=seconds ...]\n"
"                  [--paper file] [--delivery breakpoint|access] [--dry-run]\n"
"                  [--executor local|slurm] [--partition name] [--account name]\n"
"                  [--time-limit time] [--tasks n] [--shard-dir dir] [--no-wait]\n"
"                  config.ini ...\n"
"     ev6-campaign [-d db] [options as above] --merge shard.db ... config.ini ...\n"
"     ev6-campaign [-d db] [--timeout phase=seconds ...] --replay run\n"
"\n"
"DESCRIPTION\n"
"     Reads the scenarios of the config files (each [section] is one; the\n"
"     keys are described at the top of configs/table2.ini), expands them\n"
"     into jobs (scenario x mode x repetition) in the SQLite database, and\n"
"     runs every job that has no result yet with several workers. One job\n"
"     is one run: the kernel boots under QEMU, GDB injects a memory error\n"
"     at the scenario's site, the outcome is judged from the console, QEMU's\n"
"     exit status, GDB's result line and fsck (campaign/README.md), and the\n"
"     run is stored with all its evidence in one transaction.\n"
"\n"
"     Before anything runs, every scenario is checked against the kernel\n"
"     and the image the campaign will use: its object type, its site (a\n"
"     hit counter of a FAULTS=1 kernel, or a function), a global: target\n"
"     (it resolves, every [N] within its array, and it is or holds an\n"
"     object of the scenario's type), and every program its workload and\n"
"     the survival check run (in the image's root directory). A problem is\n"
"     printed as file:line: [section] key 'value': why, and nothing runs.\n"
"\n"
"     The paper's result for each scenario and mode is not in the configs:\n"
"     it comes from the paper file (reports/paper.tsv, see --paper), from\n"
"     the Table 2 or 3 record whose id is the section name, and is stored\n"
"     with the scenario; a section without a record has none (a table 2\n"
"     or 3 section without one gets a warning).\n"
"\n"
"     Running the same command again continues the same campaign: only the\n"
"     jobs without a result run, and those whose result was harness-error\n"
"     are tried again. A different kernel, image, GDB script, config, paper\n"
"     file, seed or survival check starts a new campaign. Killing the\n"
"     program loses no recorded run. Run it from the top of the source\n"
"     tree.\n"
"\n"
"     Progress goes to standard output: on a terminal one line kept up to\n"
"     date, [done/total] SF=.. PK=.. FS=.. survived=.. other=.. ETA mm:ss;\n"
"     otherwise the same line at every tenth of the jobs.\n"
"\n"
"SLURM\n"
"     With --executor slurm the jobs that have no result run on a Slurm\n"
"     cluster instead, as one job array (sbatch --array), from a login\n"
"     node. The inputs are staged once in the shard directory, which must\n"
"     be on a file system the cluster's nodes see at the same path; each\n"
"     array task runs -j workers (default 1, its --cpus-per-task) on its\n"
"     slice of the jobs and records their runs in a shard database of its\n"
"     own there. The program follows the array (the progress line adds\n"
"     the tasks squeue lists) and merges the shards' runs into the\n"
"     database as they come, keyed by job: merging again copies nothing\n"
"     twice. A task cancelled, timed out or preempted loses no run it\n"
"     recorded; its other jobs stay without a result, and the same\n"
"     command submits only those again (and follows arrays still\n"
"     running instead of submitting their jobs twice). Ctrl-C stops the\n"
"     following, not the array; scancel stops the array. A local run of\n"
"     the same campaign merges the shards first, so either executor\n"
"     resumes the other. Other sbatch options (a QOS, memory, a\n"
"     constraint) come from sbatch's environment variables, e.g.\n"
"     SBATCH_QOS. A shard of another campaign (an input's digest differs)\n"
"     is refused: nothing of it is merged. sqlite3 DB 'SELECT * FROM\n"
"     slurm_status' lists the arrays.\n"
"\n"
"OPTIONS\n"
"     -j, --jobs workers\n"
"             Workers running at once (default: one per online CPU);\n"
"             with --executor slurm, in each task (default 1).\n"
"     -d, --db file\n"
"             The database (default db/ev6.db), created if missing.\n"
"     --full-survival\n"
"             Check survival with the full `usertests' instead of\n"
"             `usertests -q' (and a survival timeout of %d s). Either\n"
"             way the kernel's self-audit (`audit') runs before and after\n"
"             the tests, and both must pass.\n"
"     --seed n\n"
"             Seed of the scenarios that have no seed key (default 1).\n"
"             Repetition r of a scenario with seed s uses seed s + r - 1.\n"
"     --kernel file\n"
"             Kernel ELF with debug info (default build/kernel-r1f1/kernel,\n"
"             built by `make FAULTS=1 kernel').\n"
"     --image file\n"
"             File-system image; each run writes to its own copy\n"
"             (default fs.img).\n"
"     --fsck file\n"
"             The checker run on each run's disk (default mkfs/fsck).\n"
"     --gdb-script file\n"
"             The injector (default campaign/gdbscripts/ev6inject.py).\n"
"     --timeout phase=seconds\n"
"             Timeout of one phase of a run: boot (to the shell prompt,\n"
"             default %ld), reach (workload typed to injection, %ld),\n"
"             recovery (injection to the ev6: line, %ld), survival (to\n"
"             QEMU's exit, %ld). May be repeated. After the injection a\n"
"             console silent for a tenth of the survival timeout ends the\n"
"             run as a hang at once (the guest stopped making progress).\n"
"     --paper file\n"
"             The paper's results, one TAB-separated record per scenario\n"
"             (default reports/paper.tsv, relative to the current\n"
"             directory; its header comment gives the format). Its\n"
"             contents are part of the campaign's identity.\n"
"     --delivery breakpoint|access\n"
"             Deliver every scenario's error this way, whatever its\n"
"             delivery key says: the paper's configs re-run with the\n"
"             error raised at the first read of the damaged bytes\n"
"             (access) instead of at the site. A scenario with more\n"
"             than one error (Table 3) has each raised by its own\n"
"             consumer, the first ones held until the last comes\n"
"             (campaign/gdbscripts/consumers.py). The option is part\n"
"             of the campaign's identity, so the same configs make a\n"
"             campaign of their own in the same database\n"
"             (make campaign-access; reports/report.sh compares them).\n"
"     --dry-run\n"
"             Check the configs, the paper file and the scenarios against\n"
"             the kernel and image (as before every campaign, below) and\n"
"             list the jobs they make, with each scenario's paper results;\n"
"             run nothing, write nothing.\n"
"     --executor local|slurm\n"
"             Run the jobs here with -j workers (local, the default), or\n"
"             as a Slurm job array (see SLURM).\n"
"     --partition name\n"
"             Slurm partition of the array (default: the cluster's);\n"
"             checked with sinfo before anything is submitted.\n"
"     --account name\n"
"             Slurm account to charge (default: the user's).\n"
"     --time-limit time\n"
"             Time limit of each task, as sbatch --time takes it (minutes,\n"
"             h:mm:ss, days-hh...; default: the partition's). A task that\n"
"             reaches it stops like a cancelled one.\n"
"     --tasks n\n"
"             At most n tasks in the array (default %d; never more than\n"
"             jobs): jobs are dealt to them round-robin.\n"
"     --shard-dir dir\n"
"             Where the staged inputs, shards, task script and Slurm logs go\n"
"             (default DB.shards beside the database): dir/campaign-ID/\n"
"             inputs/ and dir/campaign-ID/array-N/.\n"
"     --no-wait\n"
"             Submit and exit (status 0); the same command later follows\n"
"             the array and merges its shards.\n"
"     --merge shard.db\n"
"             Merge this shard database into the campaign of the configs\n"
"             (e.g. shards copied back from a cluster), then print the\n"
"             counts; runs nothing. May be repeated.\n"
"     --shard-task shard.db\n"
"             What an array task runs: the jobs of one shard. Not for\n"
"             use by hand.\n"
"     --replay run\n"
"             Run recorded run number `run' again, exactly (same scenario,\n"
"             mode, seed, kernel and image, which must be unchanged),\n"
"             printing its console; recorded as a new run that replays it.\n"
"     -h, --help\n"
"             Print this text.\n"
"\n"
"EXIT STATUS\n"
"     0    Every job has a result, and none is harness-error.\n"
"     1    A run-time error stopped the campaign: database locked or not\n"
"          writable, a tool or file missing (sbatch for --executor slurm),\n"
"          an interrupt, a Slurm task that ended leaving jobs without a\n"
"          result, a shard refused. Recorded runs are kept; run the same\n"
"          command again to finish.\n"
"     2    Bad command line, configuration or paper file, a scenario the\n"
"          kernel or image cannot carry out (each problem is printed as\n"
"          file:line: message), or a Slurm partition that does not exist.\n"
"          Nothing ran.\n"
"     3    Every job has a result, but some are harness-error: the harness,\n"
"          not the kernel, failed (see runs.detail).\n"
"\n"
"FILES\n"
"     reports/paper.tsv the paper's results (--paper)\n"
"     db/schema.sql     the tables and views; e.g.\n"
"                       sqlite3 db/ev6.db 'SELECT * FROM outcomes'\n"
"                       sqlite3 db/ev6.db 'SELECT * FROM paper_disagreements'\n"
"     $TMPDIR/ev6.PID.*  one directory per run in progress (default /tmp)\n"
"     DB.shards/         --executor slurm: staged inputs, shards, Slurm logs\n"
"\n"
"EXAMPLES\n"
"     ev6-campaign configs/smoke.ini\n"
"     ev6-campaign -j 2 configs/table2.ini configs/table3.ini\n"
"     ev6-campaign -j 2 --delivery access configs/table2.ini configs/table3.ini\n"
"     ev6-campaign --replay 17\n"
"     ev6-campaign --executor slurm --partition batch --time-limit 2:00:00 \\\n"
"         --tasks 50 --shard-dir /shared/$USER/ev6 configs/table2.ini\n",
    FULL_SURVIVAL_TIMEOUT, default_timeout[PHASE_BOOT], default_timeout[PHASE_REACH],
    default_timeout[PHASE_RECOVERY], default_timeout[PHASE_SURVIVAL], ARRAY_MAX_TASKS);
}

// Parse --timeout PHASE=SECONDS into opt.timeout.
static void
set_timeout(const char *arg)
{
  const char *eq = strchr(arg, '=');
  long v;
  int ph;

  for(ph = 1; ph < NPHASES; ph++)
    if(eq && (size_t)(eq - arg) == strlen(phase_names[ph]) &&
       strncmp(arg, phase_names[ph], (size_t)(eq - arg)) == 0)
      break;
  if(ph == NPHASES)
    usage_error("bad --timeout '%s' (expected boot, reach, recovery or survival=SECONDS)", arg);
  if(parse_long(eq + 1, 1, 86400, &v) < 0)
    usage_error("bad --timeout '%s' (seconds must be 1..86400)", arg);
  opt.timeout[ph] = v;
}

// Fill opt from the command line; returns the index of the first config.
static int
parse_options(int argc, char **argv)
{
  enum { O_FULL = 256, O_SEED, O_REPLAY, O_DRY, O_KERNEL, O_IMAGE, O_FSCK,
         O_SCRIPT, O_TIMEOUT, O_PAPER, O_EXECUTOR, O_PARTITION, O_ACCOUNT, O_TIME,
         O_TASKS, O_SHARDS, O_NOWAIT, O_MERGE, O_SHARDTASK, O_DELIVERY };
  static const struct option longopts[] = {
    { "jobs", required_argument, NULL, 'j' },
    { "db", required_argument, NULL, 'd' },
    { "full-survival", no_argument, NULL, O_FULL },
    { "seed", required_argument, NULL, O_SEED },
    { "replay", required_argument, NULL, O_REPLAY },
    { "dry-run", no_argument, NULL, O_DRY },
    { "kernel", required_argument, NULL, O_KERNEL },
    { "image", required_argument, NULL, O_IMAGE },
    { "fsck", required_argument, NULL, O_FSCK },
    { "gdb-script", required_argument, NULL, O_SCRIPT },
    { "timeout", required_argument, NULL, O_TIMEOUT },
    { "paper", required_argument, NULL, O_PAPER },
    { "executor", required_argument, NULL, O_EXECUTOR },
    { "partition", required_argument, NULL, O_PARTITION },
    { "account", required_argument, NULL, O_ACCOUNT },
    { "time-limit", required_argument, NULL, O_TIME },
    { "tasks", required_argument, NULL, O_TASKS },
    { "shard-dir", required_argument, NULL, O_SHARDS },
    { "no-wait", no_argument, NULL, O_NOWAIT },
    { "merge", required_argument, NULL, O_MERGE },
    { "shard-task", required_argument, NULL, O_SHARDTASK },
    { "delivery", required_argument, NULL, O_DELIVERY },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  long v;
  int c;

  opterr = 0;
  while((c = getopt_long(argc, argv, ":j:d:h", longopts, NULL)) != -1){
    switch(c){
    case 'j':
      if(parse_long(optarg, 1, 256, &opt.jobs) < 0)
        usage_error("bad -j '%s' (expected 1..256 workers)", optarg);
      break;
    case 'd': opt.db = optarg; break;
    case O_FULL: opt.full_survival = 1; break;
    case O_SEED:
      if(parse_long(optarg, 0, 2147483647L, &opt.seed) < 0)
        usage_error("bad --seed '%s' (expected 0..2147483647)", optarg);
      break;
    case O_REPLAY:
      if(parse_long(optarg, 1, 0x7fffffffffffffffL, &v) < 0)
        usage_error("bad --replay '%s' (expected a run number)", optarg);
      opt.replay = v;
      break;
    case O_DRY: opt.dry_run = 1; break;
    case O_KERNEL: opt.paths.kernel = optarg; break;
    case O_IMAGE: opt.paths.fs_image = optarg; break;
    case O_FSCK: opt.paths.fsck = optarg; break;
    case O_SCRIPT: opt.paths.gdb_script = optarg; break;
    case O_TIMEOUT: set_timeout(optarg); break;
    case O_PAPER: opt.paper = optarg; break;
    case O_EXECUTOR:
      if(strcmp(optarg, "local") != 0 && strcmp(optarg, "slurm") != 0)
        usage_error("bad --executor '%s' (expected local or slurm)", optarg);
      opt.slurm = strcmp(optarg, "slurm") == 0;
      break;
    case O_PARTITION: opt.array.partition = optarg; break;
    case O_ACCOUNT: opt.array.account = optarg; break;
    case O_TIME:
      if(!slurm_time_ok(optarg))
        usage_error("bad --time-limit '%s' (expected minutes, h:mm:ss, days-hh:mm, ... "
                    "as sbatch --time takes it)", optarg);
      opt.array.time_limit = optarg;
      break;
    case O_TASKS:
      if(parse_long(optarg, 1, 1000000, &opt.array.tasks) < 0)
        usage_error("bad --tasks '%s' (expected 1..1000000)", optarg);
      break;
    case O_SHARDS: opt.array.shard_dir = optarg; break;
    case O_NOWAIT: opt.array.no_wait = 1; break;
    case O_MERGE:
      opt.merge = xrealloc(opt.merge, (size_t)(opt.nmerge + 1) * sizeof(*opt.merge));
      opt.merge[opt.nmerge++] = optarg;
      break;
    case O_SHARDTASK: opt.shard_task = optarg; break;
    case O_DELIVERY:
      if(strcmp(optarg, "breakpoint") != 0 && strcmp(optarg, "access") != 0)
        usage_error("bad --delivery '%s' (expected breakpoint or access)", optarg);
      opt.delivery = optarg;
      break;
    case 'h': usage(); exit(EXIT_DONE);
    case ':': usage_error("option %s needs an argument", argv[optind - 1]);
    default:
      if(optopt)
        usage_error("unknown option -%c", optopt);
      usage_error("unknown option %s", argv[optind - 1]);
    }
  }
  if(!opt.slurm && (opt.array.partition || opt.array.account || opt.array.time_limit ||
                    opt.array.shard_dir || opt.array.no_wait ||
                    opt.array.tasks != ARRAY_MAX_TASKS))
    usage_error("--partition, --account, --time-limit, --tasks, --shard-dir and "
                "--no-wait are for --executor slurm");
  return optind;
}

// Returns the timeouts as "boot=60 reach=120 ..."; the caller frees it.
static char *
timeouts_text(const long *t)
{
  return xasprintf("boot=%ld reach=%ld recovery=%ld survival=%ld", t[PHASE_BOOT],
                   t[PHASE_REACH], t[PHASE_RECOVERY], t[PHASE_SURVIVAL]);
}

// Print the jobs the configs make, and each scenario's paper results as
// stored (conservative/aggressive, '-' for none); writes nothing.
static void
dry_run(const struct config *cfg)
{
  long total = 0;

  for(int i = 0; i < cfg->n; i++){
    const struct scenario *s = &cfg->sc[i];
    int modes = (s->modes & 1) + ((s->modes >> 1) & 1);
    printf("%s:%d [%s] %s at %s (hit %ld), %d mode%s x %ld = %ld job%s; paper %s/%s\n",
           s->file, s->line, s->name, s->object, s->site, s->hit, modes,
           modes == 1 ? "" : "s", s->repeat, modes * s->repeat,
           modes * s->repeat == 1 ? "" : "s",
           s->paper[0] ? s->paper[0] : "-", s->paper[1] ? s->paper[1] : "-");
    total += modes * s->repeat;
  }
  printf("%d scenario%s, %ld job%s; nothing was run\n", cfg->n, cfg->n == 1 ? "" : "s",
         total, total == 1 ? "" : "s");
}

static volatile sig_atomic_t replay_stop;

// SIGINT/SIGTERM during --replay: abandon the run.
static void
on_replay_stop(int sig)
{
  (void)sig;
  replay_stop = 1;
}

// The SHA-256 of each scenario's config file, in an array the caller
// frees (the strings belong to ids).
static const char **
scenario_shas(const struct config *cfg, const struct campaign_inputs *in,
              const struct campaign_ids *ids)
{
  const char **sha = xcalloc((size_t)cfg->n, sizeof(*sha));

  for(int i = 0; i < cfg->n; i++)
    for(int k = 0; k < in->nconfigs; k++)
      if(strcmp(cfg->sc[i].file, in->configs[k]) == 0)
        sha[i] = ids->config_shas[k];
  return sha;
}

// --merge: merge each shard file into campaign; returns the exit status
// (1 if one was refused or cannot be read).
static int
merge_files(sqlite3 *db, int64_t campaign)
{
  struct counts c;
  int refused = 0;

  for(int i = 0; i < opt.nmerge; i++){
    struct merge_stats ms = {0};
    char why[600];
    if(merge_shard(db, campaign, opt.merge[i], &ms, why, sizeof(why)) < 0){
      warning("shard %s refused: %s; nothing was merged from it", opt.merge[i], why);
      refused++;
      continue;
    }
    printf("%s: merged %d run%s of %d job%s", opt.merge[i], ms.runs, ms.runs == 1 ? "" : "s",
           ms.jobs, ms.jobs == 1 ? "" : "s");
    if(ms.before)
      printf("; %d merged before", ms.before);
    if(ms.skipped)
      printf("; %d left out: their jobs had a result", ms.skipped);
    printf("\n");
  }
  counts_get(db, campaign, &c);
  {
    char line[320];
    progress_format(line, sizeof(line), &c, NO_ETA);
    printf("campaign %lld: %s\n", (long long)campaign, line);
  }
  return refused ? EXIT_RUNTIME : EXIT_DONE;
}

// See usage() and the file header.
int
main(int argc, char **argv)
{
  struct config cfg = {0};
  struct paper paper = {0};
  struct campaign_inputs in = {0};
  struct campaign_ids ids = {0};
  struct runenv env = {0};
  struct counts c;
  struct snapshot snap;
  char *cmdline, *tmo;
  const char **shas;
  int first, problems = 0, is_new, requeued, retried, added;
  long ttl = 300;
  int64_t campaign;
  enum pool_end end;
  enum array_end aend = ARRAY_DONE;
  struct merge_stats merged = {0};
  int in_flight;
  sqlite3 *db;

  setvbuf(stdout, NULL, _IOLBF, 0);    // progress and warnings in order
  first = parse_options(argc, argv);
  for(int ph = 1; ph < NPHASES; ph++)
    if(opt.timeout[ph] == 0)
      opt.timeout[ph] = ph == PHASE_SURVIVAL && opt.full_survival ?
                        FULL_SURVIVAL_TIMEOUT : default_timeout[ph];
  memcpy(env.timeout, opt.timeout, sizeof(env.timeout));
  env.fsck = opt.paths.fsck;
  env.survival = opt.full_survival ? SURVIVAL_FULL : SURVIVAL_QUICK;
  for(int ph = 1; ph < NPHASES; ph++)
    ttl += opt.timeout[ph];

  if(opt.shard_task){
    if(first < argc)
      usage_error("--shard-task takes no config files");
    return shard_task(opt.shard_task);
  }
  if(opt.replay){
    struct sigaction sa = { .sa_handler = on_replay_stop };
    if(first < argc)
      usage_error("--replay takes no config files");
    if(!in_path("qemu-system-riscv64") || !in_path("gdb-multiarch"))
      fatal("qemu-system-riscv64 and gdb-multiarch are needed in PATH");
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    env.stop = &replay_stop;
    db = db_open(opt.db);
    int status = replay(db, opt.replay, &env);
    db_close(db);
    return status;
  }

  if(first >= argc)
    usage_error("no config file given");
  for(int i = first; i < argc; i++)
    problems += config_load(&cfg, argv[i], stderr);
  problems += paper_load(&paper, opt.paper, stderr);
  if(problems){
    fprintf(stderr, "ev6-campaign: %d problem%s in the configuration; nothing was run\n",
            problems, problems == 1 ? "" : "s");
    return EXIT_USAGE;
  }
  paper_apply(&paper, opt.paper, &cfg, stderr);
  if(opt.delivery)
    config_set_delivery(&cfg, opt.delivery, stderr);
  paper_free(&paper);
  // Merging shards (--merge) runs nothing: it needs no tools, kernel or image.
  if(opt.nmerge == 0 && preflight_tools(&opt.paths))
    fatal("cannot run: something above is missing; nothing was run");
  problems = opt.nmerge ? 0 : preflight_scenarios(&opt.paths, &cfg, env.survival);
  if(problems){
    fprintf(stderr, "ev6-campaign: %d problem%s with the scenarios against %s and %s; "
            "nothing was run\n", problems, problems == 1 ? "" : "s", opt.paths.kernel,
            opt.paths.fs_image);
    config_free(&cfg);
    return EXIT_USAGE;
  }
  if(opt.dry_run){
    dry_run(&cfg);
    config_free(&cfg);
    return EXIT_DONE;
  }

  if(opt.slurm && opt.nmerge == 0)
    array_preflight(&opt.array);
  // Runs use private copies: a build in this tree may rewrite the originals
  // while the campaign runs (snapshot.h).
  snapshot_sweep();
  snapshot_take(&snap, opt.paths.kernel, opt.paths.fs_image, opt.paths.gdb_script);
  env.kernel = snap.kernel;
  env.fs_image = snap.fs_image;
  env.gdb_script = snap.gdb_script;

  cmdline = command_line(argc, argv);
  tmo = timeouts_text(opt.timeout);
  in.kernel = opt.paths.kernel;
  in.fs_image = opt.paths.fs_image;
  in.gdb_script = opt.paths.gdb_script;
  in.kernel_copy = snap.kernel;
  in.fs_image_copy = snap.fs_image;
  in.gdb_script_copy = snap.gdb_script;
  in.survival = env.survival;
  in.configs = argv + first;
  in.nconfigs = argc - first;
  in.paper = opt.paper;
  in.paper_sha = paper.sha;
  in.seed = opt.seed;
  in.delivery = opt.delivery;
  in.timeouts = tmo;
  in.command_line = cmdline;
  campaign_fingerprint(&in, &ids);

  db = db_open(opt.db);
  campaign = campaign_open(db, &in, &ids, &is_new);
  db_begin(db);
  shas = scenario_shas(&cfg, &in, &ids);
  added = jobs_expand(db, campaign, &cfg, shas, opt.seed);
  free(shas);
  requeued = jobs_requeue_stale(db, campaign, ttl);
  retried = jobs_retry_harness_errors(db, campaign);
  db_commit(db);
  rundir_sweep(0);
  if(opt.nmerge){
    int status = merge_files(db, campaign);
    db_close(db);
    campaign_free(&ids);
    config_free(&cfg);
    free(cmdline); free(tmo);
    snapshot_remove(&snap);
    return status;
  }
  // Runs of Slurm tasks of this campaign (array.h) count here too.
  merge_recorded(db, campaign, 0, &merged);
  counts_get(db, campaign, &c);
  printf("campaign %lld (%s) in %s: %ld jobs, %ld done, %ld to run",
         (long long)campaign, is_new ? "new" : "resumed", opt.db, c.total, c.done,
         c.total - c.done);
  if(!is_new && added)
    printf("; %d new", added);
  if(requeued)
    printf("; %d stale lease%s returned", requeued, requeued == 1 ? "" : "s");
  if(retried)
    printf("; %d harness-error%s to retry", retried, retried == 1 ? "" : "s");
  if(merged.runs)
    printf("; %d run%s merged from Slurm shards", merged.runs, merged.runs == 1 ? "" : "s");
  printf("\n");
  if(!opt.slurm && (in_flight = (int)db_int_of(db,
      "SELECT count(*) FROM slurm_arrays WHERE campaign = ?1 AND ended IS NULL",
      campaign, 0)) > 0)
    warning("%d Slurm job array%s of this campaign may still be running; a job that "
            "runs both here and there keeps the result recorded first", in_flight,
            in_flight == 1 ? "" : "s");
  fflush(stdout);
  db_close(db);

  if(opt.slurm){
    opt.array.workers = opt.jobs ? (int)opt.jobs : 1;
    aend = array_run(&opt.array, opt.db, campaign, &env, ttl, &in, &ids);
    end = aend == ARRAY_INTERRUPTED ? POOL_INTERRUPTED : POOL_DONE;
  } else {
    if(opt.jobs == 0){
      long n = sysconf(_SC_NPROCESSORS_ONLN);
      opt.jobs = n > 0 ? n : 1;
    }
    end = c.done < c.total ? pool_run(opt.db, campaign, &env, (int)opt.jobs, ttl, NULL, NULL)
                           : POOL_DONE;
  }

  db = db_open(opt.db);
  counts_get(db, campaign, &c);
  db_close(db);
  {
    char line[320];
    progress_format(line, sizeof(line), &c, NO_ETA);
    printf("campaign %lld: %s\n", (long long)campaign, line);
  }
  printf("see: sqlite3 %s 'SELECT * FROM outcomes WHERE campaign = %lld'\n",
         opt.db, (long long)campaign);
  campaign_free(&ids);
  config_free(&cfg);
  free(cmdline); free(tmo);
  snapshot_remove(&snap);
  if(aend == ARRAY_SUBMITTED)
    return EXIT_DONE;
  if(aend == ARRAY_REFUSED){
    warning("a shard was refused (see above); nothing of it was merged");
    return EXIT_RUNTIME;
  }
  if(end == POOL_INTERRUPTED && opt.slurm)
    return EXIT_RUNTIME;
  if(end == POOL_INTERRUPTED){
    warning("interrupted: %ld jobs left; run the same command again to finish",
            c.total - c.done);
    return EXIT_RUNTIME;
  }
  if(c.done < c.total && opt.slurm){
    warning("%ld job%s without a result: run the same command again to submit them",
            c.total - c.done, c.total - c.done == 1 ? "" : "s");
    return EXIT_RUNTIME;
  }
  if(end == POOL_FAILED){
    warning("a worker failed (see above): %ld jobs left", c.total - c.done);
    return EXIT_RUNTIME;
  }
  if(c.done < c.total)
    return EXIT_RUNTIME;
  return c.harness ? EXIT_HARNESS : EXIT_DONE;
}
