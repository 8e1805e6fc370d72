// classify.c - evidence -> outcome (see classify.h and the runs table in
// db/schema.sql, whose comment is the specification these rules follow,
// in the same order).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/classify.h"
#include "campaign/console.h"
#include "campaign/jobfile.h"

const char *const phase_names[NPHASES] = { NULL, "boot", "reach", "recovery", "survival" };

// What the console says, gathered in one pass.
struct seen {
  size_t survival_at;
  int panic;                  // a panic: line
  char panic_line[120];
  int ev6;                    // ev6: lines
  int failstop;               // an event=failstop line
  int worst;                  // worst exit: -1 none seen, 0 none, 1 SF, 2 PK, 3 FS
  int check;                  // -1, 0, 1: last survival verdict line
  int tests_failed;           // failed usertest lines of the survival check
};

// Order of badness of an exit name: none < SF < PK < FS; -1 if unknown.
static int
exit_rank(const char *e)
{
  if(strcmp(e, "none") == 0) return 0;
  if(strcmp(e, "SF") == 0) return 1;
  if(strcmp(e, "PK") == 0) return 2;
  if(strcmp(e, "FS") == 0) return 3;
  return -1;
}

// console_lines() callback: note what one line says in the struct seen.
static int
look(const char *line, size_t off, void *arg)
{
  struct seen *s = arg;
  struct ev6_line e;
  struct usertest_line t;
  int r;

  switch(console_kind(line)){
  case LINE_PANIC:
    if(!s->panic)
      snprintf(s->panic_line, sizeof(s->panic_line), "%s", line);
    s->panic = 1;
    break;
  case LINE_EV6:
    parse_ev6(line, &e);
    s->ev6++;
    if(strcmp(e.event, "failstop") == 0){
      s->failstop = 1;
      r = 3;
    } else
      r = exit_rank(e.exit);
    if(r > s->worst)
      s->worst = r;
    break;
  case LINE_PASSED:
    if(s->survival_at != NOPOS && off >= s->survival_at)
      s->check = 1;
    break;
  case LINE_FAILED:
    if(s->survival_at != NOPOS && off >= s->survival_at)
      s->check = 0;
    break;
  case LINE_USERTEST:
    if(s->survival_at != NOPOS && off >= s->survival_at &&
       parse_usertest(line, &t) == 0 && !t.pass)
      s->tests_failed++;
    break;
  default:
    break;
  }
  return 0;
}

// What GDB's result lines say, for runs with more than one error.
struct said {
  int delivered;              // lines with "injected": true
  int not_reached;            // a line with "reached": false
  char error[200];            //   and its "error"
};

// Read results (GDB's JSON lines, or NULL) into *g.
static void
gdb_said(const char *results, struct said *g)
{
  const char *p, *nl;

  memset(g, 0, sizeof(*g));
  for(p = results; p && *p; p = nl ? nl + 1 : p + strlen(p)){
    nl = strchr(p, '\n');
    char *line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
    if(line == NULL)
      return;
    if(json_is_true(line, "injected"))
      g->delivered++;
    if(json_is_false(line, "reached") && !g->not_reached){
      g->not_reached = 1;
      json_get_string(line, "error", g->error, sizeof(g->error));
    }
    free(line);
  }
}

#define say(...) snprintf(v->detail, sizeof(v->detail), __VA_ARGS__)

// Fills *v with static strings and its own detail buffer; nothing to free.
void
classify(const struct evidence *ev, struct verdict *v)
{
  static const char *const exits[] = { "none", "SF", "PK", "FS" };
  static const char noway[] = ", then `poweroff' could not run: the shell prompted "
                              "again and the harness stopped QEMU";
  struct seen s = { .survival_at = ev->survival_at, .worst = -1, .check = -1 };
  struct said g;
  int panic, failstop;

  memset(v, 0, sizeof(*v));
  console_lines(ev->console, 0, ev->console_len, look, &s);
  v->exit = s.worst >= 0 ? exits[s.worst] : NULL;
  v->check = s.check;
  v->hang_phase = phase_names[ev->timed_out];
  panic = s.panic || (ev->qemu_exited && ev->qemu_status == 3);
  failstop = s.failstop || s.worst == 3 || (ev->qemu_exited && ev->qemu_status == 4);

  gdb_said(ev->results, &g);
  if(!ev->injected && !ev->qemu_signal && g.not_reached){
    v->outcome = "not-reached";
    say("%s", g.error[0] ? g.error : "GDB could not bring the guest where the job needs it");
    return;
  }
  if(ev->harness_error){
    v->outcome = "harness-error";
    say("%s", ev->harness_error);
    return;
  }
  if(ev->qemu_signal){
    v->outcome = "harness-error";
    say("QEMU died of signal %d", ev->qemu_signal);
    return;
  }
  if(!ev->injected){
    v->outcome = "harness-error";
    if(panic)
      say("the guest panicked before any error was injected: %s",
          s.panic ? s.panic_line : "QEMU exit status 3");
    else if(ev->timed_out == PHASE_BOOT)
      say("the guest did not reach its shell prompt within %ld s", ev->timeout_s);
    else if(ev->qemu_exited)
      say("the guest stopped (QEMU exit status %d) before any error was injected",
          ev->qemu_status);
    else if(ev->timed_out == PHASE_REACH){
      v->outcome = "not-reached";
      say("the site's hit did not come within %ld s", ev->timeout_s);
    } else {
      v->outcome = "not-reached";
      say("the workload ended before the site's hit came");
    }
    return;
  }
  if(ev->qemu_exited && ev->qemu_status != 0 && ev->qemu_status != 3 &&
     ev->qemu_status != 4){
    v->outcome = "harness-error";
    say("QEMU exited with unexpected status %d", ev->qemu_status);
    return;
  }
  if(panic){
    v->outcome = "panic";
    say("%s", s.panic ? s.panic_line : "QEMU exit status 3 (panic) without a panic: line");
    return;
  }
  if(g.not_reached){
    v->outcome = "not-reached";
    say("only %d error%s delivered, then: %s", g.delivered, g.delivered == 1 ? "" : "s",
        g.error[0] ? g.error : "GDB could not bring the guest where the job needs it");
    return;
  }
  if(ev->timed_out != PHASE_NONE){
    v->outcome = "hang";
    say("no end to the %s phase within %ld s", phase_names[ev->timed_out], ev->timeout_s);
    return;
  }
  if(ev->fsck_status > 1){
    v->outcome = "harness-error";
    say("fsck could not check the disk (status %d)", ev->fsck_status);
    return;
  }
  if(ev->fsck_status == 1){
    v->outcome = "corrupt-fs";
    say("fsck -r found the disk inconsistent%s", ev->poweroff_failed ?
        " (`poweroff' could not run: the harness stopped QEMU)" : "");
    return;
  }
  if(failstop){
    v->outcome = "FS";
    if(!ev->qemu_exited)
      say("fail-stop reported but QEMU did not stop");
    return;
  }
  v->outcome = s.worst == 1 ? "SF" : s.worst == 2 ? "PK" : "survived";
  v->survived = ev->qemu_exited && ev->qemu_status == 0 && s.check == 1 &&
                ev->fsck_status == 0;
  if(v->survived)
    return;
  if(ev->survival_at == NOPOS)
    say("the survival check was never started");
  else if(s.check == 0)
    say("the survival check failed (%d test%s failed)%s", s.tests_failed,
        s.tests_failed == 1 ? "" : "s", ev->poweroff_failed ? noway : "");
  else if(s.check < 0)
    say("the survival check gave no verdict%s", ev->poweroff_failed ? noway : "");
  else if(ev->poweroff_failed)
    say("the survival check passed%s", noway);
  else if(!ev->qemu_exited)
    say("the guest did not power off");
  else if(ev->fsck_status < 0)
    say("fsck did not run");
}
