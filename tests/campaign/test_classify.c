// test_classify.c - the classifier on recorded consoles
// (tests/campaign/logs/*.log) with the rest of the evidence as the runner
// would have found it: panic, hang, not reached, fail-stop, SF and PK with
// the survival check passing or failing, several ev6: lines, console
// noise, fsck failures, harness failures, and a guest whose poweroff
// could not run (the runner stopped it at once); and Table 3 runs, whose
// GDB result lines may say the harts never came together.
#include <stdlib.h>
#include <string.h>

#include "campaign/classify.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

struct ccase {
  const char *log;          // tests/campaign/logs/<log>
  int injected;
  int qemu_exited, qemu_status, qemu_signal;
  enum phase timed_out;
  int fsck_status;
  const char *harness;      // harness_error, or NULL
  // expected
  const char *outcome, *exit;
  int survived;
  const char *hang_phase;
  const char *detail;       // a substring of the detail, or NULL for ""
  int poweroff_failed;      // evidence: the shell prompted again after poweroff
};

// GDB result lines (campaign/README.md, "Job file").
#define GDB_ONE "{\"ok\": true, \"injected\": true, \"seq\": 1, \"of\": 2, " \
  "\"times\": {\"deliver_ms\": 3}, \"note\": \"reached\"}\n"
#define GDB_NEVER "{\"job\": 3, \"delivered\": 1, \"of\": 2, \"ok\": false, " \
  "\"injected\": false, \"error\": \"the kernel never reached log_recover after " \
  "the first error (\\\"x\\\")\", \"reached\": false}\n"
#define GDB_APART "{\"ok\": false, \"injected\": false, \"error\": \"no 2 harts at " \
  "begin_op together within 40 s; last: at_once: no other hart reached begin_op\", " \
  "\"reached\": false}\n"

static const struct ccase cases[] = {
  // the kernel without recovery, as recorded by a real run
  { "panic.log", 1, 1, 3, 0, PHASE_NONE, 0, NULL,
    "panic", NULL, 0, NULL, "panic: kerneltrap (hart 0)", 0 },
  // recovered with SF, usertests passed, clean poweroff and disk
  { "ev6-sf.log", 1, 1, 0, 0, PHASE_NONE, 0, NULL, "SF", "SF", 1, NULL, NULL, 0 },
  // ... but fsck finds the disk inconsistent
  { "ev6-sf.log", 1, 1, 0, 0, PHASE_NONE, 1, NULL,
    "corrupt-fs", "SF", 0, NULL, "inconsistent", 0 },
  // ... and fsck itself fails
  { "ev6-sf.log", 1, 1, 0, 0, PHASE_NONE, 2, NULL,
    "harness-error", "SF", 0, NULL, "fsck could not check", 0 },
  // ... but the guest never powered off: hang in the survival phase
  { "ev6-sf.log", 1, 0, 0, 0, PHASE_SURVIVAL, -1, NULL,
    "hang", "SF", 0, "survival", "survival phase", 0 },
  // recovered with PK, a usertest failed
  { "ev6-pk-testfail.log", 1, 1, 0, 0, PHASE_NONE, 0, NULL,
    "PK", "PK", 0, NULL, "1 test failed", 0 },
  // fail-stop: QEMU status 4
  { "ev6-failstop.log", 1, 1, 4, 0, PHASE_NONE, 0, NULL, "FS", "FS", 0, NULL, NULL, 0 },
  // fail-stop reported, QEMU never stopped: a hang in recovery
  { "ev6-failstop.log", 1, 0, 0, 0, PHASE_RECOVERY, -1, NULL,
    "hang", "FS", 0, "recovery", "recovery phase", 0 },
  // exit=none, noise lines, a workload that is itself usertests
  { "ev6-none-noise.log", 1, 1, 0, 0, PHASE_NONE, 0, NULL,
    "survived", "none", 1, NULL, NULL, 0 },
  // two errors: SF then PK, the worse is reported
  { "ev6-two-events.log", 1, 1, 0, 0, PHASE_NONE, 0, NULL, "PK", "PK", 1, NULL, NULL, 0 },
  // injected, then nothing: hang in recovery
  { "hang.log", 1, 0, 0, 0, PHASE_RECOVERY, -1, NULL,
    "hang", NULL, 0, "recovery", "recovery phase", 0 },
  // the workload ended first
  { "not-reached.log", 0, 0, 0, 0, PHASE_NONE, -1, NULL,
    "not-reached", NULL, 0, NULL, "workload ended", 0 },
  // the site never came within the reach timeout
  { "hang.log", 0, 0, 0, 0, PHASE_REACH, -1, NULL,
    "not-reached", NULL, 0, "reach", "did not come", 0 },
  // the kernel panicked by itself before any injection
  { "panic-at-boot.log", 0, 1, 3, 0, PHASE_NONE, -1, NULL,
    "harness-error", NULL, 0, NULL, "before any error was injected", 0 },
  // never reached the prompt
  { "boot-stuck.log", 0, 0, 0, 0, PHASE_BOOT, -1, NULL,
    "harness-error", NULL, 0, "boot", "shell prompt", 0 },
  // the runner failed
  { "not-reached.log", 0, 0, 0, 0, PHASE_NONE, -1, "GDB ended (exit 1) without injecting: x",
    "harness-error", NULL, 0, NULL, "GDB ended", 0 },
  // QEMU crashed
  { "ev6-sf.log", 1, 0, 0, 6, PHASE_NONE, -1, NULL,
    "harness-error", "SF", 0, NULL, "signal 6", 0 },
  // the survival check failed and poweroff could not run; the runner
  // stopped QEMU at once: SF, not survived, not a hang
  { "ev6-sf-nopoweroff.log", 1, 0, 0, 0, PHASE_NONE, 0, NULL,
    "SF", "SF", 0, NULL, "5 tests failed), then `poweroff' could not run", 1 },
  // ... and the disk it left is inconsistent
  { "ev6-sf-nopoweroff.log", 1, 0, 0, 0, PHASE_NONE, 1, NULL,
    "corrupt-fs", "SF", 0, NULL, "inconsistent", 1 },
  // every test passed, but poweroff could not run: not survived
  { "ev6-sf-nopoweroff-passed.log", 1, 0, 0, 0, PHASE_NONE, 0, NULL,
    "SF", "SF", 0, NULL, "check passed, then `poweroff' could not run", 1 },
  // the same console without that evidence (the survival timeout came)
  { "ev6-sf-nopoweroff.log", 1, 0, 0, 0, PHASE_SURVIVAL, -1, NULL,
    "hang", "SF", 0, "survival", "survival phase", 0 },
};

// Offset just past the first prompt after boot, and just past the prompt
// of the last survival check, as the runner records them.
static void
offsets(const char *text, size_t *workload_at, size_t *survival_at)
{
  const char *p = strstr(text, "\n$ "), *q, *last = NULL;

  *workload_at = p ? (size_t)(p - text) + 3 : NOPOS;
  for(q = text; (q = strstr(q, "\n$ usertests -q\n")) != NULL; q++)
    last = q;
  // a survival check is the one typed after the workload's prompt
  *survival_at = last && (size_t)(last - text) + 3 > *workload_at ?
                 (size_t)(last - text) + 3 : NOPOS;
}

// Table 3 runs: the same evidence plus GDB's result lines.
static const struct gcase {
  struct ccase c;
  const char *results;
} gdb_cases[] = {
  // GDB could not bring the harts together: nothing injected
  { { "not-reached.log", 0, 0, 0, 0, PHASE_NONE, -1, "GDB ended (exit 1) without injecting: x",
      "not-reached", NULL, 0, NULL, "no other hart reached begin_op", 0 }, GDB_APART },
  // ... but QEMU died of a signal: that is the harness's
  { { "not-reached.log", 0, 0, 0, 6, PHASE_NONE, -1, NULL,
      "harness-error", NULL, 0, NULL, "signal 6", 0 }, GDB_APART },
  // the first error delivered, the one inside recovery not: not this row
  { { "ev6-failstop.log", 1, 1, 4, 0, PHASE_NONE, 0, NULL,
      "not-reached", "FS", 0, NULL, "only 1 error delivered, then: the kernel never", 0 },
    GDB_ONE GDB_NEVER },
  // ... unless the kernel panicked
  { { "panic.log", 1, 1, 3, 0, PHASE_NONE, 0, NULL,
      "panic", NULL, 0, NULL, "panic: kerneltrap", 0 }, GDB_ONE GDB_NEVER },
  // two errors, both delivered: judged from the console as ever
  { { "ev6-two-events.log", 1, 1, 0, 0, PHASE_NONE, 0, NULL, "PK", "PK", 1, NULL, NULL, 0 },
    GDB_ONE GDB_ONE },
};

// Classify the recorded console of case c (number i) with GDB's result
// lines results (or NULL), and check the verdict.
static void
one_case(const struct ccase *c, const char *results, size_t i)
{
  char *path = xasprintf("tests/campaign/logs/%s", c->log);
  size_t len;
  char *text = read_file(path, &len);
  struct evidence ev = {0};
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
  ev.fsck_status = c->fsck_status;
  ev.harness_error = c->harness;
  ev.poweroff_failed = c->poweroff_failed;
  ev.results = results;
  classify(&ev, &v);

  same_str(v.outcome, c->outcome, c->log);
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
  free(text);
  free(path);
}

void
test_classify(void)
{
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    one_case(&cases[i], NULL, i);
  for(size_t i = 0; i < sizeof(gdb_cases) / sizeof(gdb_cases[0]); i++)
    one_case(&gdb_cases[i].c, gdb_cases[i].results, 100 + i);

  // The verdict before the survival check (the workload's own usertests)
  // does not count: without a survival check there is no verdict.
  {
    const char *text = "$ usertests -q pgbug\nALL TESTS PASSED\n$ poweroff\n";
    struct evidence ev = { .console = text, .console_len = strlen(text),
                           .workload_at = 2, .survival_at = NOPOS, .injected = 1,
                           .qemu_exited = 1, .fsck_status = 0 };
    struct verdict v;

    classify(&ev, &v);
    check(v.check == -1 && !v.survived, "workload verdict is not the survival verdict");
    check(strstr(v.detail, "never started") != NULL, "detail: %s", v.detail);
  }
}
