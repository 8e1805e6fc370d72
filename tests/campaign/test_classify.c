// test_classify.c - the classifier on recorded consoles
// (tests/campaign/logs/*.log) with the rest of the evidence as the runner
// would have found it: panic, hang, not reached, fail-stop, SF and PK with
// the survival check passing or failing, several ev6: lines, console
// noise, fsck failures, harness failures, a guest whose poweroff could not
// run (the runner stopped it at once), Table 3 runs whose GDB lines say
// the harts never came together; and every link of the evidence chain
// broken in turn, each of which must make the run harness-error naming
// that link, a delivered error the kernel never reports (unreported), and
// a self-audit that fails after tests that pass (latent-damage); driver
// faults restarted as expected, misdetected, not detected at all.
#include <stdlib.h>
#include <string.h>

#include "campaign/classify.h"
#include "campaign/console.h"
#include "campaign/runner.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

// GDB's line for an error delivered as planned, at ADDR in OBJ (index IDX).
#define GOOD(addr, obj, idx) "{\"ok\": true, \"injected\": true, \"stval\": \"" addr "\"," \
  " \"where\": \"x\", \"resolved\": {\"ok\": true}, \"landed\": true," \
  " \"trap\": {\"confirmed\": true, \"scause\": 19, \"stval\": \"" addr "\"}," \
  " \"expect\": {\"object\": \"" obj "\", \"index\": " #idx "}}\n"
#define GDB_NEVER "{\"job\": 3, \"delivered\": 1, \"of\": 2, \"ok\": false, " \
  "\"injected\": false, \"error\": \"the kernel never reached log_recover after " \
  "the first error (\\\"x\\\")\", \"reached\": false}\n"
#define UNCONSUMED "{\"ok\": false, \"injected\": false, \"delivery\": \"access\", " \
  "\"site_pc\": \"0x8000e734\", \"where\": \"itable.inode[1]\", \"landed\": true, " \
  "\"error\": \"the guest went away while waiting for first access to " \
  "0x80046850..0x80046857: Remote connection closed\"}\n"
#define GDB_APART "{\"ok\": false, \"injected\": false, \"error\": \"no 2 harts at " \
  "begin_op together within 40 s; last: at_once: no other hart reached begin_op\", " \
  "\"reached\": false}\n"
// GDB's line for driver fault FAULT armed in the disk task, expecting
// restart reason WHY and device re-initialisation REINIT (drvfault.py).
#define DRV(fault, why, reinit) "{\"ok\": true, \"injected\": true, \"driver\": \"disk\"," \
  " \"fault\": \"" fault "\", \"where\": \"drvtasks[0]\", \"resolved\": {\"ok\": true}," \
  " \"landed\": true, \"expect\": {\"task\": \"disk\", \"fault\": \"" fault "\"," \
  " \"why\": \"" why "\", \"reinit\": " #reinit "}}\n"
// ... and for a scrub delivery: the kernel took the error record.
#define SCRUBBED(addr, obj, idx) "{\"ok\": true, \"injected\": true, \"stval\": \"" addr "\"," \
  " \"where\": \"x\", \"resolved\": {\"ok\": true}, \"landed\": true," \
  " \"trap\": {\"confirmed\": true, \"interrupt\": \"supervisor-software\", \"record\": 1}," \
  " \"expect\": {\"object\": \"" obj "\", \"index\": " #idx "}}\n"
#define AUTO NULL        // GDB's lines: one GOOD line per ev6: line of the log

struct ccase {
  const char *log;          // tests/campaign/logs/<log>
  int injected;
  int qemu_exited, qemu_status, qemu_signal;
  enum phase timed_out;
  long silent_s;            // judged early by the console's silence
  int fsck_status;
  const char *harness;      // harness_error, or NULL
  const char *gdb;          // GDB's result lines, or AUTO
  int gdb_status;           // GDB's exit status (-1: killed)
  int poweroff_failed;      // the shell prompted again after poweroff
  // expected
  const char *outcome, *exit;
  int survived;
  const char *hang_phase;
  const char *detail;       // a substring of the detail, or NULL for ""
};

// The usual evidence of a run that injected and ran to a clean poweroff;
// a case may override any of it (hence the pragma).
#define RAN .injected = 1, .qemu_exited = 1, .fsck_status = 0
#pragma GCC diagnostic ignored "-Woverride-init"

static const struct ccase cases[] = {
  // the kernel without recovery, as recorded by a real run (no registry:
  // GDB's line has no expect)
  { "panic.log", RAN, .qemu_status = 3, .gdb = "{\"injected\": true, \"stval\": "
    "\"0x800000aa\", \"resolved\": {\"ok\": true}, \"landed\": true, \"trap\": "
    "{\"confirmed\": true}, \"expect\": null}\n",
    .outcome = "panic", .detail = "panic: kerneltrap (hart 0)" },
  // recovered with SF, audits and tests passed, clean poweroff and disk
  { "ev6-sf.log", RAN, .outcome = "SF", .exit = "SF", .survived = 1 },
  // ... but fsck finds the disk inconsistent
  { "ev6-sf.log", RAN, .fsck_status = 1, .outcome = "corrupt-fs", .exit = "SF",
    .detail = "inconsistent" },
  // ... and fsck itself fails
  { "ev6-sf.log", RAN, .fsck_status = 2, .outcome = "harness-error", .exit = "SF",
    .detail = "fsck could not check" },
  // ... but the guest never powered off: hang in the survival phase
  { "ev6-sf.log", RAN, .qemu_exited = 0, .timed_out = PHASE_SURVIVAL, .fsck_status = -1,
    .outcome = "hang", .exit = "SF", .hang_phase = "survival", .detail = "survival phase" },
  // ... or fell silent after it, and the runner judged the hang early
  { "ev6-sf.log", RAN, .qemu_exited = 0, .timed_out = PHASE_SURVIVAL, .silent_s = 30,
    .fsck_status = -1, .outcome = "hang", .exit = "SF", .hang_phase = "survival",
    .detail = "the console was silent for 30 s in the survival phase" },
  // recovered with PK, a usertest failed
  { "ev6-pk-testfail.log", RAN, .outcome = "PK", .exit = "PK", .detail = "1 test failed" },
  // fail-stop: QEMU status 4
  { "ev6-failstop.log", RAN, .qemu_status = 4, .outcome = "FS", .exit = "FS" },
  // fail-stop reported, QEMU never stopped: a hang in recovery
  { "ev6-failstop.log", RAN, .qemu_exited = 0, .timed_out = PHASE_RECOVERY,
    .fsck_status = -1, .outcome = "hang", .exit = "FS", .hang_phase = "recovery",
    .detail = "recovery phase" },
  // exit=none, noise lines, a workload that is itself usertests
  { "ev6-none-noise.log", RAN, .outcome = "continued", .exit = "none", .survived = 1 },
  // delivery scrub: repaired in the background (exit=repaired: no process's exit)
  { "scrub-repaired.log", RAN, .gdb = SCRUBBED("0x8003d868", "devsw", 1),
    .outcome = "continued", .exit = "none", .survived = 1 },
  // ... left poisoned for a consumer that never came: never survival
  { "scrub-deferred.log", RAN, .gdb = SCRUBBED("0x8003d868", "devsw", 1),
    .outcome = "deferred", .detail = "poisoned for a consumer (its repair needs one), and none read it" },
  // ... left poisoned, then consumed by readi and recovered there
  { "scrub-deferred-consumed.log", RAN, .gdb = SCRUBBED("0x8003fa38", "inode", 0),
    .outcome = "SF", .exit = "SF", .survived = 1 },
  // two errors: SF then PK, the worse is reported
  { "ev6-two-events.log", RAN, .outcome = "PK", .exit = "PK", .survived = 1 },
  // injected, then nothing: hang in recovery
  { "hang.log", RAN, .qemu_exited = 0, .timed_out = PHASE_RECOVERY, .fsck_status = -1,
    .gdb = GOOD("0x80012340", "buf", 7),
    .outcome = "hang", .hang_phase = "recovery", .detail = "recovery phase" },
  // the workload ended first
  { "not-reached.log", .fsck_status = -1, .gdb = "", .gdb_status = 1,
    .outcome = "not-reached", .detail = "workload ended" },
  // the site never came within the reach timeout
  { "hang.log", .timed_out = PHASE_REACH, .fsck_status = -1, .gdb = "", .gdb_status = -1,
    .outcome = "not-reached", .hang_phase = "reach", .detail = "did not come" },
  // ... but GDB had stopped at the site and was still gathering harts
  // there, past its own 40-s bound (/tmp/lead-rep30.db run 48): GDB's
  // failure, never not-reached
  { "hang.log", .timed_out = PHASE_REACH, .fsck_status = -1, .gdb_status = 1,
    .gdb = "{\"ok\": false, \"injected\": false, \"delivery\": \"breakpoint\", "
    "\"site_pc\": \"0x80011106\", \"error\": \"the guest went away while waiting for "
    "hit 1 of site begin_op: Remote connection closed\"}\n",
    .outcome = "harness-error", .hang_phase = "reach",
    .detail = "GDB stopped at the site (pc 0x80011106) but had delivered nothing" },
  // ... while with access delivery the bytes may simply never be read
  { "hang.log", .timed_out = PHASE_REACH, .fsck_status = -1, .gdb_status = 1,
    .gdb = "{\"ok\": false, \"injected\": false, \"delivery\": \"access\", "
    "\"site_pc\": \"0x80011106\", \"error\": \"the guest went away while waiting for "
    "the first access: Remote connection closed\"}\n",
    .outcome = "not-reached", .hang_phase = "reach", .detail = "did not come" },
  // ... and when GDB says the damage landed, the detail says the site came
  { "hang.log", .timed_out = PHASE_REACH, .fsck_status = -1, .gdb_status = 1,
    .gdb = UNCONSUMED, .outcome = "not-reached", .hang_phase = "reach",
    .detail = "the site came (pc 0x8000e734) and itable.inode[1] was damaged, but nothing "
              "read the damaged bytes within" },
  // ... also when the workload ended first (T.db inode-exec-device: the
  // console inode's dev, read by no iget before the prompt)
  { "not-reached.log", .fsck_status = -1, .gdb = UNCONSUMED, .gdb_status = 1,
    .outcome = "not-reached", .detail = "but the workload ended before anything read" },
  // the kernel panicked by itself before any injection
  { "panic-at-boot.log", .qemu_exited = 1, .qemu_status = 3, .fsck_status = -1, .gdb = "",
    .outcome = "harness-error", .detail = "before any error was injected" },
  // never reached the prompt
  { "boot-stuck.log", .timed_out = PHASE_BOOT, .fsck_status = -1, .gdb = "",
    .outcome = "harness-error", .hang_phase = "boot", .detail = "shell prompt" },
  // the runner failed
  { "not-reached.log", .fsck_status = -1, .gdb = "", .gdb_status = 1,
    .harness = "GDB ended (exit 1) without injecting: x",
    .outcome = "harness-error", .detail = "GDB ended" },
  // a driver fault (configs/drivers.ini), detected and restarted as the
  // scenario expects, the survival check passing: restarted
  { "drv-loop.log", RAN, .gdb = DRV("loop", "hang", 0), .outcome = "restarted",
    .survived = 1 },
  // ... a crash holding the task's spinlock: its event=released line
  // comes first and is not taken for the restart
  { "drv-lockcrash.log", RAN, .gdb = DRV("lockcrash", "crash", 0), .outcome = "restarted",
    .survived = 1 },
  // ... found by another detector, or restarted another way: misdetected
  { "drv-loop.log", RAN, .gdb = DRV("loop", "heartbeat", 0), .outcome = "misdetected",
    .detail = "expects why=heartbeat" },
  { "drv-loop.log", RAN, .gdb = DRV("loop", "hang", 1), .outcome = "misdetected",
    .detail = "reinit=1" },
  // ... the kernel's restart names another fault than GDB armed: a broken link
  { "drv-loop.log", RAN, .gdb = DRV("deadlock", "hang", 0), .outcome = "harness-error",
    .detail = "evidence link delivered" },
  // ... never detected: the silence watchdog's hang, never survival
  { "hang.log", RAN, .qemu_exited = 0, .timed_out = PHASE_RECOVERY, .silent_s = 30,
    .fsck_status = -1, .gdb = DRV("loop", "hang", 0), .outcome = "hang",
    .hang_phase = "recovery", .detail = "silent for 30 s" },
  // ... or no drv: line while the kernel went on: unreported
  { "hang.log", RAN, .gdb = DRV("lostirq", "hang", 0), .outcome = "unreported",
    .detail = "no drv: event= line" },
  // QEMU crashed
  { "ev6-sf.log", .injected = 1, .qemu_signal = 6, .fsck_status = -1,
    .outcome = "harness-error", .exit = "SF", .detail = "signal 6" },
  // the survival check failed and poweroff could not run; the runner
  // stopped QEMU at once: SF, not survived, not a hang
  { "ev6-sf-nopoweroff.log", .injected = 1, .fsck_status = 0, .poweroff_failed = 1,
    .outcome = "SF", .exit = "SF", .detail = "5 tests failed), then `poweroff' could not run" },
  // ... and the disk it left is inconsistent
  { "ev6-sf-nopoweroff.log", .injected = 1, .fsck_status = 1, .poweroff_failed = 1,
    .outcome = "corrupt-fs", .exit = "SF", .detail = "inconsistent" },
  // every test passed, but poweroff could not run: not survived
  { "ev6-sf-nopoweroff-passed.log", .injected = 1, .fsck_status = 0, .poweroff_failed = 1,
    .outcome = "SF", .exit = "SF", .detail = "check passed, then `poweroff' could not run" },
  // the same console without that evidence (the survival timeout came)
  { "ev6-sf-nopoweroff.log", .injected = 1, .timed_out = PHASE_SURVIVAL, .fsck_status = -1,
    .outcome = "hang", .exit = "SF", .hang_phase = "survival", .detail = "survival phase" },

  // Table 3: GDB could not bring the harts together: nothing injected
  { "not-reached.log", .fsck_status = -1, .gdb = GDB_APART, .gdb_status = 1,
    .harness = "GDB ended (exit 1) without injecting: x",
    .outcome = "not-reached", .detail = "no other hart reached begin_op" },
  // ... but QEMU died of a signal: that is the harness's
  { "not-reached.log", .qemu_signal = 6, .fsck_status = -1, .gdb = GDB_APART,
    .gdb_status = 1, .outcome = "harness-error", .detail = "signal 6" },
  // the first error delivered, the one inside recovery not: not this row
  { "ev6-failstop.log", RAN, .qemu_status = 4,
    .gdb = GOOD("0x80034560", "proc", -1) GDB_NEVER, .gdb_status = 1,
    .outcome = "not-reached", .exit = "FS", .detail = "only 1 error delivered, then: the kernel never" },
  // ... unless the kernel panicked
  { "panic.log", RAN, .qemu_status = 3, .gdb = GOOD("0x800000aa", "text", -1) GDB_NEVER,
    .gdb_status = 1, .outcome = "panic", .detail = "panic: kerneltrap" },

  // Evidence links, each broken in turn: harness-error naming it.
  // resolved: GDB refused before corrupting (an out-of-range target);
  // the runner then saw GDB end without injecting
  { "not-reached.log", .fsck_status = -1, .gdb_status = 1,
    .harness = "GDB ended (exit 1) without injecting: ev6inject: target ...",
    .gdb = "{\"ok\": false, \"injected\": false, \"link\": \"resolved\", \"error\": "
           "\"target &bcache.buf[99999] (0x8123f000) lies in a run, not in a buf\"}\n",
    .outcome = "harness-error", .detail = "evidence link resolved broken: target "
    "&bcache.buf[99999] (0x8123f000) lies in a run, not in a buf; nothing was delivered" },
  // landed: GDB refused, the pattern changed nothing
  { "not-reached.log", .fsck_status = -1, .gdb_status = 1,
    .gdb = "{\"ok\": false, \"injected\": false, \"link\": \"landed\", \"error\": "
           "\"the damage did not land at 0x80012340: the pattern left the bytes as they were\"}\n",
    .outcome = "harness-error", .detail = "evidence link landed broken" },
  // ... and a delivered line that does not show them
  { "ev6-sf.log", RAN, .gdb = "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true,"
    " \"trap\": {\"confirmed\": true}, \"expect\": {\"object\": \"buf\", \"index\": 7}}\n",
    .outcome = "harness-error", .exit = "SF", .detail = "evidence link resolved of error 1" },
  { "ev6-sf.log", RAN, .gdb = "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": false,"
    " \"check\": \"memory reads back 00, not the 01 written\", \"resolved\": {\"ok\": true},"
    " \"trap\": {\"confirmed\": true}, \"expect\": {\"object\": \"buf\", \"index\": 7}}\n",
    .outcome = "harness-error", .exit = "SF",
    .detail = "evidence link landed of error 1 broken: the damage did not land: memory reads back" },
  // delivered: the hart never showed the trap
  { "ev6-sf.log", RAN, .gdb = "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true,"
    " \"resolved\": {\"ok\": true}, \"trap\": {\"confirmed\": false, \"why\": \"hart 0 took no "
    "hardware-error trap within 3.0 s\"}, \"expect\": {\"object\": \"buf\", \"index\": 7}}\n",
    .outcome = "harness-error", .exit = "SF",
    .detail = "evidence link delivered of error 1 broken: the trap was not seen: hart 0 took no" },
  // ... but when the guest stopped before GDB could look, the kernel's
  // report of that address is the witness
  { "ev6-failstop.log", RAN, .qemu_status = 4, .gdb = "{\"injected\": true, \"stval\": "
    "\"0x80034560\", \"landed\": true, \"resolved\": {\"ok\": true}, \"trap\": {\"confirmed\":"
    " false, \"guest_stopped\": true, \"why\": \"gone\"}, \"expect\": {\"object\": \"proc\","
    " \"index\": -1}}\n", .outcome = "FS", .exit = "FS" },
  // ... and without a report it is not
  { "ev6-silent.log", RAN, .gdb = "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\":"
    " true, \"resolved\": {\"ok\": true}, \"trap\": {\"confirmed\": false, \"guest_stopped\":"
    " true}, \"expect\": {\"object\": \"buf\", \"index\": 7}}\n",
    .outcome = "harness-error", .detail = "evidence link delivered of error 1 broken" },
  // reported: the kernel named another object (the scenario's target was
  // a free page, not a buf) ...
  { "ev6-sf.log", RAN, .gdb = GOOD("0x80012340", "run", -1), .outcome = "harness-error",
    .exit = "SF", .detail = "evidence link reported of error 1 broken: the kernel reported "
    "object=buf index=7 at 0x80012340; GDB damaged x, a run (index -1)" },
  // ... or another element of the same table
  { "ev6-sf.log", RAN, .gdb = GOOD("0x80012340", "buf", 8), .outcome = "harness-error",
    .exit = "SF", .detail = "evidence link reported of error 1" },
  // ... or reported an address GDB never delivered
  { "ev6-sf.log", RAN, .gdb = GOOD("0x80012348", "buf", 7), .outcome = "harness-error",
    .exit = "SF", .detail = "at 0x80012340, where GDB delivered no error" },
  // gdb-exit: GDB injected but exited 1 (detaching failed), or was killed
  { "ev6-sf.log", RAN, .gdb_status = 1, .outcome = "harness-error", .exit = "SF",
    .detail = "evidence link gdb-exit broken: GDB exited with status 1" },
  { "ev6-sf.log", RAN, .gdb_status = -1, .outcome = "harness-error", .exit = "SF",
    .detail = "evidence link gdb-exit broken: GDB did not exit by itself" },
  // the runner saw an injection GDB's lines do not show
  { "ev6-sf.log", RAN, .gdb = "", .outcome = "harness-error", .exit = "SF",
    .detail = "GDB wrote no line saying so" },

  // The kernel's side.
  // delivered, the trap seen, and not a word from the kernel: never survival
  { "ev6-silent.log", RAN, .gdb = GOOD("0x80012340", "buf", 7), .outcome = "unreported",
    .detail = "1 delivered error (the trap was seen) and no ev6: line reports it" },
  // two delivered, one reported: still unreported
  { "ev6-sf.log", RAN, .gdb = GOOD("0x80012340", "buf", 7) GOOD("0x80012350", "buf", 7),
    .outcome = "unreported", .exit = "SF", .detail = "1 delivered error" },
  // recovered, the tests passed, but the audit after them failed
  { "ev6-latent.log", RAN, .outcome = "latent-damage", .exit = "SF",
    .detail = "self-audit found a broken invariant (after the tests)" },
  // ... and with a failed test too: SF, not survived, not latent damage
  { "ev6-latent.log", RAN, .qemu_status = 0, .fsck_status = 1, .outcome = "corrupt-fs",
    .exit = "SF", .detail = "inconsistent" },
  // no audit in the image: nothing proves the kernel whole
  { "ev6-noaudit.log", RAN, .outcome = "SF", .exit = "SF",
    .detail = "audit-workload: the self-audit gave no verdict" },
};

// Offset just past the first prompt after boot, and just past the prompt
// of the last survival check, as the runner records them.
static void
offsets(const char *text, size_t *workload_at, size_t *survival_at)
{
  const char *p = strstr(text, "\n$ "), *q, *last = NULL;

  *workload_at = p ? (size_t)(p - text) + 3 : NOPOS;
  for(q = text; (q = strstr(q, "\n$ " SURVIVAL_QUICK "\n")) != NULL; q++)
    last = q;
  // a survival check is the one typed after the workload's prompt
  *survival_at = last && (size_t)(last - text) + 3 > *workload_at ?
                 (size_t)(last - text) + 3 : NOPOS;
}

// console_lines() callback: one GOOD line per ev6: line.
static int
good_line(const char *line, size_t off, void *arg)
{
  struct strbuf *sb = arg;
  struct ev6_line e;

  (void)off;
  if(parse_ev6(line, &e) == 0)
    sb_addf(sb, "{\"injected\": true, \"stval\": \"%s\", \"where\": \"x\", \"resolved\": "
            "{\"ok\": true}, \"landed\": true, \"trap\": {\"confirmed\": true}, "
            "\"expect\": {\"object\": \"%s\", \"index\": %ld}}\n", e.address, e.object, e.idx);
  return 0;
}

// Classify the recorded console of case c (number i) and check the verdict.
static void
one_case(const struct ccase *c, size_t i)
{
  char *path = xasprintf("tests/campaign/logs/%s", c->log);
  size_t len;
  char *text = read_file(path, &len);
  struct evidence ev = {0};
  struct strbuf auto_gdb = {0};
  struct verdict v;

  check(text != NULL, "cannot read %s", path);
  if(text == NULL){
    free(path);
    return;
  }
  ev.console = text;
  ev.console_len = len;
  offsets(text, &ev.workload_at, &ev.survival_at);
  ev.injected = c->injected;
  ev.qemu_exited = c->qemu_exited;
  ev.qemu_status = c->qemu_status;
  ev.qemu_signal = c->qemu_signal;
  ev.timed_out = c->timed_out;
  ev.timeout_s = 30;
  ev.silent_s = c->silent_s;
  ev.fsck_status = c->fsck_status;
  ev.harness_error = c->harness;
  ev.poweroff_failed = c->poweroff_failed;
  ev.gdb_status = c->gdb_status;
  if(c->gdb == AUTO){
    console_lines(text, 0, len, good_line, &auto_gdb);
    ev.results = sb_str(&auto_gdb);
  } else
    ev.results = c->gdb;
  classify(&ev, &v);

  check(v.outcome && c->outcome && strcmp(v.outcome, c->outcome) == 0,
        "%s (case %zu): outcome %s, want %s (%s)", c->log, i, v.outcome, c->outcome, v.detail);
  same_str(v.exit, c->exit, c->log);
  check(v.survived == c->survived, "%s (case %zu): survived %d, want %d", c->log, i,
        v.survived, c->survived);
  same_str(v.hang_phase, c->hang_phase, c->log);
  if(c->detail)
    check(strstr(v.detail, c->detail) != NULL, "%s (case %zu): detail '%s' lacks '%s'",
          c->log, i, v.detail, c->detail);
  else
    check(v.detail[0] == '\0', "%s (case %zu): unexpected detail '%s'", c->log, i,
          v.detail);
  // Every outcome is a class of the schema's, and only SF, PK,
  // continued and restarted may survive.
  {
    int known = 0;
    for(int k = 0; outcome_names[k]; k++)
      known |= strcmp(outcome_names[k], v.outcome) == 0;
    check(known, "%s (case %zu): outcome %s is not in outcome_names", c->log, i, v.outcome);
    check(!v.survived || strcmp(v.outcome, "SF") == 0 || strcmp(v.outcome, "PK") == 0 ||
          strcmp(v.outcome, "continued") == 0 || strcmp(v.outcome, "restarted") == 0,
          "%s (case %zu): %s survived", c->log, i,
          v.outcome);
  }
  sb_free(&auto_gdb);
  free(text);
  free(path);
}

// The links of a verdict, as "link:state" words, for the checks below.
static char *
links_text(const struct verdict *v)
{
  struct strbuf sb = {0};

  for(int i = 0; i < v->nlinks; i++)
    sb_addf(&sb, "%s%d.%s:%s", i ? " " : "", v->links[i].error, link_names[v->links[i].link],
            link_state_names[v->links[i].state]);
  return sb.s ? sb.s : xstrdup("");
}

// gdb_line_broken(): the lines whose broken link no console output can
// mend, and a run the runner ended right after such a line (the guest's
// output stops after the workload's first lines, QEMU killed, GDB killed)
// is the same harness-error, naming the same link, as the run that went on.
static void
test_gdb_line_broken(void)
{
  static const struct { const char *line; int broken; const char *link; } lines[] = {
    { "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true, \"resolved\":"
      " {\"ok\": true}, \"trap\": {\"confirmed\": false, \"why\": \"hart 0 took no "
      "hardware-error trap within 3.0 s\"}}", 1, "delivered" },
    { "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": false, \"resolved\":"
      " {\"ok\": true}, \"trap\": {\"confirmed\": true}}", 1, "landed" },
    { "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true,"
      " \"trap\": {\"confirmed\": true}}", 1, "resolved" },
    // the guest stopped first: the kernel's report may still witness it
    { "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true, \"resolved\":"
      " {\"ok\": true}, \"trap\": {\"confirmed\": false, \"guest_stopped\": true}}", 0, NULL },
    { "{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true, \"resolved\":"
      " {\"ok\": true}, \"trap\": {\"confirmed\": true}}", 0, NULL },
    // nothing delivered (GDB refused, or not reached): classify's own paths
    { "{\"injected\": false, \"error\": \"x\", \"link\": \"landed\"}", 0, NULL },
  };
  size_t len;
  char *full = read_file("tests/campaign/logs/ev6-sf.log", &len);
  const char *cut = strstr(full, "cat: read error");

  for(size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++){
    struct results res;
    char *text = xasprintf("%s\n", lines[i].line);
    check(results_parse(text, &res) == 0 && res.n == 1, "line %zu parses", i);
    check(gdb_line_broken(&res.line[0]) == lines[i].broken, "line %zu: gdb_line_broken %d",
          i, lines[i].broken);
    if(lines[i].broken){
      struct evidence early = { .console = full, .console_len = (size_t)(cut - full),
                                .injected = 1, .gdb_status = -1, .fsck_status = -1,
                                .results = text, .survival_at = NOPOS };
      struct evidence went_on = { .console = full, .console_len = len, .injected = 1,
                                  .qemu_exited = 1, .fsck_status = 0, .results = text };
      struct verdict a, b;
      char *want = xasprintf("evidence link %s of error 1 broken", lines[i].link);
      offsets(full, &early.workload_at, &went_on.survival_at);
      went_on.workload_at = early.workload_at;
      classify(&early, &a);
      classify(&went_on, &b);
      same_str(a.outcome, "harness-error", "ended at once: harness-error");
      same_str(b.outcome, "harness-error", "ran on: harness-error");
      check(strstr(a.detail, want) != NULL && strstr(b.detail, want) != NULL,
            "line %zu: both name the %s link (%s | %s)", i, lines[i].link, a.detail, b.detail);
      free(want);
    }
    free(text);
  }
  free(full);
}

void
test_classify(void)
{
  test_gdb_line_broken();
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    one_case(&cases[i], i);

  // The verdict before the survival check (the workload's own usertests)
  // does not count: without a survival check there is no verdict.
  {
    const char *text = "$ usertests -q pgbug\nALL TESTS PASSED\n$ poweroff\n";
    struct evidence ev = { .console = text, .console_len = strlen(text),
                           .workload_at = 2, .survival_at = NOPOS, .injected = 1,
                           .qemu_exited = 1, .fsck_status = 0,
                           .results = GOOD("0x80012340", "buf", 7) };
    struct verdict v;

    classify(&ev, &v);
    same_str(v.outcome, "unreported", "no report, no survival check");
    check(v.check == -1 && !v.survived, "workload verdict is not the survival verdict");
  }

  // A survived run's chain: every link ok, in order.
  {
    char *path = xasprintf("tests/campaign/logs/ev6-sf.log"), *text, *words;
    size_t len;
    struct evidence ev = { .injected = 1, .qemu_exited = 1, .fsck_status = 0,
                           .results = GOOD("0x80012340", "buf", 7) };
    struct verdict v;

    text = read_file(path, &len);
    ev.console = text;
    ev.console_len = text ? len : 0;
    if(text)
      offsets(text, &ev.workload_at, &ev.survival_at);
    classify(&ev, &v);
    words = links_text(&v);
    same_str(words, "1.resolved:ok 1.landed:ok 1.delivered:ok 1.reported:ok 0.gdb-exit:ok "
             "0.audit-workload:ok 0.audit-tests:ok 0.tests:ok 0.poweroff:ok 0.fsck:ok",
             "the links of a survived run");
    free(words);
    free(text);
    free(path);
  }
}
