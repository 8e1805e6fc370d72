// classify.c - evidence -> outcome (see classify.h and the runs table in
// db/schema.sql, whose comment is the specification these rules follow,
// in the same order).
//
// The evidence chain comes first: for every error GDB says it delivered,
// the target was inside an object of the scenario's type, the bytes
// changed, the hart took the trap with the cause and address written, and
// the kernel's report names that object at that address; and GDB exited
// cleanly. A broken link makes the run harness-error, naming the link: it
// says nothing about the kernel. Only then is the kernel judged, and a
// delivered error that no ev6: line reports is "unreported", never a
// survival. A driver fault (kind = driver) has its own links: GDB found
// the task holding a request and armed the fault; the kernel's first
// `drv: event=restart` line after the workload started names the fault
// (it fired) and the task; then its reason and restart kind must be the
// scenario's (else misdetected), and the survival check must pass
// (restarted). A driver fault no line reports is a hang (the silence
// watchdog) or, if the kernel went on, unreported: never survival.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/classify.h"
#include "campaign/console.h"

const char *const phase_names[NPHASES] = { NULL, "boot", "reach", "recovery", "survival" };

const char *const link_names[NLINKS] = {
  "resolved", "landed", "delivered", "reported", "gdb-exit",
  "audit-workload", "tests", "audit-tests", "poweroff", "fsck",
};
const char *const link_state_names[3] = { "absent", "ok", "broken" };

const char *const outcome_names[] = {
  "SF", "PK", "continued", "FS", "latent-damage", "unreported", "panic", "hang",
  "corrupt-fs", "not-reached", "harness-error", "misdetected", "restarted", "deferred", NULL,
};

#define MAX_REPORTS 16
#define MAX_AUDITS 4

// One ev6: line.
struct report {
  unsigned long long addr;
  int has_addr;
  char object[16];
  long idx;
  int failstop;
  int rank;                   // of its exit: 0 none, 1 SF, 2 PK, 3 FS, -1 unknown
  int deferred;               // event=deferred: left poisoned for a consumer
};

// What the console says, gathered in one pass.
struct seen {
  size_t survival_at;
  size_t workload_at;
  struct drv_line drv;        // the first drv: event=restart line after workload_at
  int ndrv;                   //   and how many came
  int panic;                  // a panic: line
  char panic_line[120];
  struct report rep[MAX_REPORTS];
  int nrep, ev6;              // reports kept; ev6: lines in all
  int failstop;               // an event=failstop line
  int worst;                  // worst exit: -1 none seen, 0 none, 1 SF, 2 PK, 3 FS
  int check;                  // -1, 0, 1: last survival verdict line
  size_t check_at;            //   and where it was
  int tests_failed;           // failed usertest lines of the survival check
  struct { int pass; long violations; size_t at; } audit[MAX_AUDITS];
  int naudit;                 // audit: result lines of the survival check
};

// Order of badness of an exit name: none < SF < PK < FS; -1 if unknown.
// repaired (an error with no consumer, repaired in the background) is no
// process's exit: none.
static int
exit_rank(const char *e)
{
  if(strcmp(e, "none") == 0 || strcmp(e, "repaired") == 0) return 0;
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
  struct audit_line a;
  struct drv_line d;
  int in_survival = s->survival_at != NOPOS && off >= s->survival_at;
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
    r = strcmp(e.event, "failstop") == 0 ? 3 : exit_rank(e.exit);
    if(r == 3)
      s->failstop = 1;
    if(r > s->worst)
      s->worst = r;
    if(s->nrep < MAX_REPORTS){
      struct report *p = &s->rep[s->nrep++];
      char *end;
      p->addr = strtoull(e.address, &end, 16);
      p->has_addr = e.address[0] != '\0' && *end == '\0';
      snprintf(p->object, sizeof(p->object), "%s", e.object);
      p->idx = e.idx;
      p->failstop = r == 3;
      p->rank = r;
      p->deferred = strcmp(e.event, "deferred") == 0;
    }
    break;
  case LINE_DRV:             // event=restart only (event=released comes before it)
    if(s->workload_at == NOPOS || off < s->workload_at || parse_drv(line, &d) != 0 ||
       strcmp(d.event, "restart") != 0)
      break;
    if(s->ndrv++ == 0)
      s->drv = d;
    break;
  case LINE_PASSED:
  case LINE_FAILED:
    if(in_survival){
      s->check = console_kind(line) == LINE_PASSED;
      s->check_at = off;
    }
    break;
  case LINE_USERTEST:
    if(in_survival && parse_usertest(line, &t) == 0 && !t.pass)
      s->tests_failed++;
    break;
  case LINE_AUDIT:
    if(in_survival && parse_audit(line, &a) == 0 && s->naudit < MAX_AUDITS){
      s->audit[s->naudit].pass = a.pass;
      s->audit[s->naudit].violations = a.violations;
      s->audit[s->naudit].at = off;
      s->naudit++;
    }
    break;
  default:
    break;
  }
  return 0;
}

// A report of an error left poisoned for its consumer (event=deferred)
// that no later report of the same address follows: no one read it, so
// it was never repaired. NULL if there is none.
static const struct report *
unconsumed(const struct seen *s)
{
  for(int i = 0; i < s->nrep; i++){
    int later = 0;
    if(!s->rep[i].deferred)
      continue;
    for(int j = i + 1; j < s->nrep; j++)
      if(!s->rep[j].deferred && s->rep[j].has_addr && s->rep[j].addr == s->rep[i].addr)
        later = 1;
    if(!later)
      return &s->rep[i];
  }
  return NULL;
}

#define say(...) snprintf(v->detail, sizeof(v->detail), __VA_ARGS__)

// Append one link row; returns it.
static struct link_row *
add_link(struct verdict *v, int error, enum link link, enum link_state state,
         const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static struct link_row *
add_link(struct verdict *v, int error, enum link link, enum link_state state,
         const char *fmt, ...)
{
  struct link_row *l;
  va_list ap;

  if(v->nlinks == MAX_LINKS)
    return &v->links[MAX_LINKS - 1];
  l = &v->links[v->nlinks++];
  l->error = error;
  l->link = link;
  l->state = state;
  va_start(ap, fmt);
  vsnprintf(l->detail, sizeof(l->detail), fmt, ap);
  va_end(ap);
  return l;
}

// The report of the error delivered at addr, or NULL.
static struct report *
report_of(struct seen *s, unsigned long long addr)
{
  for(int i = 0; i < s->nrep; i++)
    if(s->rep[i].has_addr && s->rep[i].addr == addr)
      return &s->rep[i];
  return NULL;
}

#define NOTE(row) do { l = (row); if(l->state == LINK_BROKEN && first == NULL) first = l; } while(0)

// The links of a driver fault, line d (drvfault.py): as error_links.
static struct link_row *
driver_links(struct verdict *v, struct seen *s, int n, const struct delivered *d, int *silent)
{
  struct link_row *first = NULL, *l;

  if(d->resolved == 1)
    NOTE(add_link(v, n, LINK_RESOLVED, LINK_OK, "%s (%s) held a request", d->where,
                  d->driver));
  else
    NOTE(add_link(v, n, LINK_RESOLVED, LINK_BROKEN,
                  "GDB's line does not show driver task %s holding a request", d->driver));
  if(d->landed == 1)
    NOTE(add_link(v, n, LINK_LANDED, LINK_OK, "fault %s armed", d->fault));
  else
    NOTE(add_link(v, n, LINK_LANDED, LINK_BROKEN, "fault %s did not read back as armed",
                  d->fault));
  *silent = s->ndrv == 0;
  if(s->ndrv == 0){
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_ABSENT,
                  "no drv: event= line: nothing shows the fault fired or was found"));
    NOTE(add_link(v, n, LINK_REPORTED, LINK_ABSENT, "no drv: event= line names task %s",
                  d->driver));
    return first;
  }
  if(strcmp(s->drv.fault, d->fault) == 0)
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_OK, "the kernel's restart names fault=%s",
                  d->fault));
  else
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_BROKEN,
                  "the kernel's first restart names fault=%s, not the %s GDB armed",
                  s->drv.fault, d->fault));
  if(strcmp(s->drv.task, d->driver) == 0)
    NOTE(add_link(v, n, LINK_REPORTED, LINK_OK, "task=%s why=%s reinit=%d detect_us=%ld",
                  s->drv.task, s->drv.why, s->drv.reinit, s->drv.detect_us));
  else
    NOTE(add_link(v, n, LINK_REPORTED, LINK_BROKEN,
                  "the kernel restarted task %s; GDB failed %s", s->drv.task, d->driver));
  return first;
}

// See classify.h: the cases in which error_links() below breaks resolved,
// landed or delivered whatever the console says.
int
gdb_line_broken(const struct delivered *d)
{
  return d->injected == 1 && !d->driver[0] &&
         (d->resolved != 1 || d->landed != 1 || !d->has_stval ||
          (d->trap != 1 && d->guest_stopped != 1));
}

// The links of delivered error number n (1..), line d. Returns the first
// broken one, or NULL. Sets *silent if the kernel reported nothing for it.
static struct link_row *
error_links(struct verdict *v, struct seen *s, int n, const struct delivered *d, int *silent)
{
  struct link_row *first = NULL, *l;
  struct report *rep = d->has_stval ? report_of(s, d->stval) : NULL;

  if(d->driver[0])
    return driver_links(v, s, n, d, silent);
  if(d->resolved == 1)
    NOTE(add_link(v, n, LINK_RESOLVED, LINK_OK, "%s", d->where));
  else
    NOTE(add_link(v, n, LINK_RESOLVED, LINK_BROKEN,
                  "GDB's line does not show that %s lies in an object of the scenario's type",
                  d->where[0] ? d->where : "the target"));
  if(d->landed == 1)
    NOTE(add_link(v, n, LINK_LANDED, LINK_OK, "the bytes changed"));
  else
    NOTE(add_link(v, n, LINK_LANDED, LINK_BROKEN, "the damage did not land%s%s",
                  d->check[0] ? ": " : "", d->check));
  if(!d->has_stval)
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_BROKEN, "GDB's line gives no stval"));
  else if(d->trap == 1 && d->interrupt[0])
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_OK, "the kernel took the error record for "
                  "0x%llx (%s interrupt)", (unsigned long long)d->stval, d->interrupt));
  else if(d->trap == 1)
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_OK,
                  "the hart trapped with cause 19 at 0x%llx", (unsigned long long)d->stval));
  else if(d->guest_stopped == 1 && (rep != NULL || s->panic))
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_OK,
                  "the guest stopped before GDB could look; the kernel's %s shows the trap",
                  rep ? "report" : "panic"));
  else
    NOTE(add_link(v, n, LINK_DELIVERED, LINK_BROKEN, "the trap was not seen: %s",
                  d->trap_why[0] ? d->trap_why : "GDB's line does not confirm it"));

  *silent = 0;
  if(rep == NULL){
    *silent = d->has_stval;
    NOTE(add_link(v, n, LINK_REPORTED, LINK_ABSENT, "no ev6: line names 0x%llx",
                  (unsigned long long)d->stval));
  } else if(!d->has_expect)
    NOTE(add_link(v, n, LINK_REPORTED, LINK_OK,
                  "object=%s index=%ld (the kernel has no registry to check it by)",
                  rep->object, rep->idx));
  else if(strcmp(rep->object, d->expect_object) != 0 ||
          (d->expect_index >= 0 && rep->idx != d->expect_index))
    NOTE(add_link(v, n, LINK_REPORTED, LINK_BROKEN,
                  "the kernel reported object=%s index=%ld at 0x%llx; GDB damaged %s, a %s "
                  "(index %ld)", rep->object, rep->idx, rep->addr,
                  d->where[0] ? d->where : "the target", d->expect_object, d->expect_index));
  else
    NOTE(add_link(v, n, LINK_REPORTED, LINK_OK, "object=%s index=%ld at 0x%llx",
                  rep->object, rep->idx, rep->addr));
#undef NOTE
  return first;
}

// A report for an address GDB never delivered, or NULL.
static struct report *
stray_report(struct seen *s, const struct results *res)
{
  for(int i = 0; i < s->nrep; i++){
    int mine = 0;
    for(int k = 0; k < res->n && !mine; k++)
      mine = res->line[k].injected == 1 && res->line[k].has_stval &&
             s->rep[i].has_addr && s->rep[i].addr == res->line[k].stval;
    if(!mine)
      return &s->rep[i];
  }
  return NULL;
}

// The survival links; returns 1 if all are ok. *latent: only an audit failed.
static int
survival_links(struct verdict *v, const struct evidence *ev, struct seen *s, int *latent)
{
  int audit_ok = 1, rest_ok = 1;
  int a1 = -1, a2 = -1;

  // The first audit before the tests' verdict, the first one after it.
  for(int i = 0; i < s->naudit; i++){
    if(s->check < 0 || s->audit[i].at < s->check_at){
      if(a1 < 0) a1 = i;
      else if(s->check < 0 && a2 < 0) a2 = i;
    } else if(a2 < 0)
      a2 = i;
  }
  if(ev->survival_at == NOPOS){
    for(enum link l = LINK_AUDIT_WORKLOAD; l <= LINK_FSCK; l++)
      add_link(v, 0, l, LINK_ABSENT, "the survival check was never started");
    *latent = 0;
    return 0;
  }
  for(int k = 0; k < 2; k++){
    int i = k == 0 ? a1 : a2;
    enum link l = k == 0 ? LINK_AUDIT_WORKLOAD : LINK_AUDIT_TESTS;
    if(i < 0){
      add_link(v, 0, l, LINK_BROKEN, "the self-audit gave no verdict");
      rest_ok = 0;          // not latent damage: nothing was proven
    } else if(s->audit[i].pass == 1)
      add_link(v, 0, l, LINK_OK, "audit: result=pass");
    else {
      add_link(v, 0, l, LINK_BROKEN, "audit: result=fail (%ld violation%s)",
               s->audit[i].violations, s->audit[i].violations == 1 ? "" : "s");
      audit_ok = 0;
    }
  }
  if(s->check == 1)
    add_link(v, 0, LINK_TESTS, LINK_OK, "ALL TESTS PASSED");
  else {
    rest_ok = 0;
    if(s->check == 0)
      add_link(v, 0, LINK_TESTS, LINK_BROKEN, "%d test%s failed", s->tests_failed,
               s->tests_failed == 1 ? "" : "s");
    else
      add_link(v, 0, LINK_TESTS, LINK_BROKEN, "the tests gave no verdict");
  }
  if(ev->qemu_exited && ev->qemu_status == 0)
    add_link(v, 0, LINK_POWEROFF, LINK_OK, "QEMU exited with status 0");
  else {
    rest_ok = 0;
    add_link(v, 0, LINK_POWEROFF, LINK_BROKEN, "%s", ev->poweroff_failed ?
             "`poweroff' could not run: the shell prompted again" :
             "the guest did not power off by itself");
  }
  if(ev->fsck_status == 0)
    add_link(v, 0, LINK_FSCK, LINK_OK, "clean");
  else {
    rest_ok = 0;
    add_link(v, 0, LINK_FSCK, ev->fsck_status < 0 ? LINK_ABSENT : LINK_BROKEN,
             ev->fsck_status < 0 ? "fsck did not run" : "fsck status %d", ev->fsck_status);
  }
  *latent = rest_ok && !audit_ok;
  return rest_ok && audit_ok;
}

// GDB's failure line, if it stopped at a breakpoint site before it failed.
static const struct delivered *
failed_at_site(const struct results *res)
{
  for(int k = 0; k < res->n; k++)
    if(res->line[k].injected != 1 && res->line[k].error[0] && res->line[k].site_pc[0] &&
       strcmp(res->line[k].delivery, "breakpoint") == 0)
      return &res->line[k];
  return NULL;
}

// GDB's failure line, if it damaged the object at the site for delivery
// on access and then nothing read the damaged bytes (GDB stopped waiting
// when the run ended): the site did come.
static const struct delivered *
never_read(const struct results *res)
{
  for(int k = 0; k < res->n; k++)
    if(res->line[k].injected != 1 && res->line[k].landed == 1 && res->line[k].site_pc[0] &&
       strcmp(res->line[k].delivery, "access") == 0)
      return &res->line[k];
  return NULL;
}

// Fills *v with static strings and its own buffers; nothing to free.
void
classify(const struct evidence *ev, struct verdict *v)
{
  static const char *const exits[] = { "none", "SF", "PK", "FS" };
  static const char noway[] = ", then `poweroff' could not run: the shell prompted "
                              "again and the harness stopped QEMU";
  struct seen s = { .survival_at = ev->survival_at, .workload_at = ev->workload_at,
                    .worst = -1, .check = -1 };
  const struct delivered *drv = NULL;
  struct results res;
  struct link_row *broken = NULL;
  const struct delivered *refused = NULL, *unreached = NULL;
  int panic, injected, silent = 0, latent;
  const struct report *def;

  memset(v, 0, sizeof(*v));
  console_lines(ev->console, 0, ev->console_len, look, &s);
  v->exit = s.worst >= 0 ? exits[s.worst] : NULL;
  v->check = s.check;
  v->hang_phase = phase_names[ev->timed_out];
  panic = s.panic || (ev->qemu_exited && ev->qemu_status == 3);

  if(results_parse(ev->results, &res) < 0){
    v->outcome = "harness-error";
    say("cannot read GDB's result lines (SQLite failed)");
    return;
  }
  injected = ev->injected || res.injected > 0;
  for(int k = 0; k < res.n; k++){
    if(res.line[k].injected != 1 && res.line[k].link[0] && refused == NULL)
      refused = &res.line[k];
    if(res.line[k].reached == 0 && unreached == NULL)
      unreached = &res.line[k];
    if(res.line[k].injected == 1 && res.line[k].driver[0] && drv == NULL)
      drv = &res.line[k];
  }
  v->driver_run = drv != NULL;
  v->has_drv = drv != NULL && s.ndrv > 0;
  if(v->has_drv)
    v->drv = s.drv;

  if(!injected && !ev->qemu_signal && unreached){
    v->outcome = "not-reached";
    say("%s", unreached->error[0] ? unreached->error :
        "GDB could not bring the guest where the job needs it");
    return;
  }
  // GDB refused to deliver because a link broke (the runner then saw GDB
  // end without injecting: a consequence, not the cause).
  if(!injected && refused && !ev->qemu_signal){
    enum link l = strcmp(refused->link, "landed") == 0 ? LINK_LANDED : LINK_RESOLVED;
    add_link(v, res.injected + 1, l, LINK_BROKEN, "%s", refused->error);
    v->outcome = "harness-error";
    say("evidence link %s broken: %s; nothing was delivered", link_names[l], refused->error);
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
  if(!injected){
    const struct delivered *at_site = failed_at_site(&res), *waited = never_read(&res);

    v->outcome = "harness-error";
    if(panic)
      say("the guest panicked before any error was injected: %s",
          s.panic ? s.panic_line : "QEMU exit status 3");
    else if(ev->timed_out == PHASE_BOOT)
      say("the guest did not reach its shell prompt within %ld s", ev->timeout_s);
    else if(ev->qemu_exited)
      say("the guest stopped (QEMU exit status %d) before any error was injected",
          ev->qemu_status);
    else if(ev->timed_out == PHASE_REACH && unreached == NULL && at_site){
      // Once GDB holds the guest at a breakpoint site, all it has left
      // (bring more harts there, bounded by gather_s; damage; deliver)
      // ends well inside the reach timeout: running past it is GDB's
      // failure, not the kernel's (outcome: harness-error, as above).
      say("GDB stopped at the site (pc %s) but had delivered nothing when the reach "
          "timeout (%ld s) came: %.160s", at_site->site_pc, ev->timeout_s, at_site->error);
    } else if(ev->timed_out == PHASE_REACH && waited){
      v->outcome = "not-reached";
      say("the site came (pc %s) and %s was damaged, but nothing read the damaged bytes "
          "within %ld s (delivery access)", waited->site_pc, waited->where, ev->timeout_s);
    } else if(ev->timed_out == PHASE_REACH){
      v->outcome = "not-reached";
      say("the site's hit did not come within %ld s", ev->timeout_s);
    } else if(waited){
      v->outcome = "not-reached";
      say("the site came (pc %s) and %s was damaged, but the workload ended before "
          "anything read the damaged bytes (delivery access)", waited->site_pc, waited->where);
    } else {
      v->outcome = "not-reached";
      say("the workload ended before the site's hit came");
    }
    return;
  }

  // The evidence chain of every delivered error, then of the run.
  for(int k = 0, n = 0; k < res.n; k++){
    int quiet;
    struct link_row *b;
    if(res.line[k].injected != 1)
      continue;
    b = error_links(v, &s, ++n, &res.line[k], &quiet);
    if(b && !broken)
      broken = b;
    silent += quiet;
  }
  if(res.injected == 0){
    broken = add_link(v, 1, LINK_DELIVERED, LINK_BROKEN,
                      "the runner saw an injection but GDB wrote no line saying so");
  }
  {
    struct report *stray = stray_report(&s, &res);
    if(stray && !broken)
      broken = add_link(v, 0, LINK_REPORTED, LINK_BROKEN,
                        "the kernel reported object=%s at 0x%llx, where GDB delivered no error",
                        stray->object, stray->addr);
  }
  {
    struct link_row *g;
    if(ev->gdb_status == 0)
      g = add_link(v, 0, LINK_GDB_EXIT, LINK_OK, "status 0");
    else if(ev->gdb_status < 0)
      g = add_link(v, 0, LINK_GDB_EXIT, LINK_BROKEN, "GDB did not exit by itself; "
                   "the harness killed it");
    else if(ev->gdb_status >= 128)
      g = add_link(v, 0, LINK_GDB_EXIT, LINK_BROKEN, "GDB died of signal %d",
                   ev->gdb_status - 128);
    else
      g = add_link(v, 0, LINK_GDB_EXIT, LINK_BROKEN, "GDB exited with status %d",
                   ev->gdb_status);
    // GDB that could not bring every error where it belongs exits 1 by
    // design; that is not-reached, below.
    if(g->state == LINK_BROKEN && !broken && !(unreached && ev->gdb_status == 1))
      broken = g;
  }

  if(ev->qemu_exited && ev->qemu_status != 0 && ev->qemu_status != 3 &&
     ev->qemu_status != 4){
    v->outcome = "harness-error";
    say("QEMU exited with unexpected status %d", ev->qemu_status);
    return;
  }
  if(broken){
    v->outcome = "harness-error";
    if(broken->error)
      say("evidence link %s of error %d broken: %s", link_names[broken->link], broken->error,
          broken->detail);
    else
      say("evidence link %s broken: %s", link_names[broken->link], broken->detail);
    return;
  }
  if(panic){
    v->outcome = "panic";
    say("%s", s.panic ? s.panic_line : "QEMU exit status 3 (panic) without a panic: line");
    return;
  }
  if(unreached){
    v->outcome = "not-reached";
    say("only %d error%s delivered, then: %s", res.injected, res.injected == 1 ? "" : "s",
        unreached->error[0] ? unreached->error :
        "GDB could not bring the guest where the job needs it");
    return;
  }
  if(ev->timed_out != PHASE_NONE){
    v->outcome = "hang";
    if(ev->silent_s > 0)
      say("the console was silent for %ld s in the %s phase: the guest stopped making "
          "progress", ev->silent_s, phase_names[ev->timed_out]);
    else
      say("no end to the %s phase within %ld s", phase_names[ev->timed_out], ev->timeout_s);
    if(ev->hang){             // its first line; the rest in console_logs stream hang
      size_t n = strlen(v->detail);
      snprintf(v->detail + n, sizeof(v->detail) - n, " [%.*s]",
               (int)strcspn(ev->hang, "\n"), ev->hang);
    }
    return;
  }
  if(ev->fsck_status > 1){
    v->outcome = "harness-error";
    say("fsck could not check the disk (status %d)", ev->fsck_status);
    return;
  }
  if(s.failstop || (ev->qemu_exited && ev->qemu_status == 4)){
    v->outcome = "FS";
    if(!s.failstop)
      say("QEMU exited with status 4 (fail-stop) without an ev6: failstop line");
    else if(!ev->qemu_exited)
      say("fail-stop reported but QEMU did not stop");
    return;
  }
  if(silent && drv){
    v->outcome = "unreported";
    say("driver fault %s was armed in task %s and no drv: event= line reports it; "
        "the kernel went on", drv->fault, drv->driver);
    return;
  }
  if(silent){
    v->outcome = "unreported";
    say("%d delivered error%s (the trap was seen) and no ev6: line reports %s; "
        "the kernel went on", silent, silent == 1 ? "" : "s", silent == 1 ? "it" : "them");
    return;
  }
  if(ev->fsck_status == 1){
    v->outcome = "corrupt-fs";
    say("fsck -r found the disk inconsistent%s", ev->poweroff_failed ?
        " (`poweroff' could not run: the harness stopped QEMU)" : "");
    return;
  }

  if(drv && (strcmp(s.drv.why, drv->expect_why) != 0 || s.drv.reinit != drv->expect_reinit)){
    v->outcome = "misdetected";
    say("fault %s: the kernel restarted task %s with why=%s reinit=%d; the scenario "
        "expects why=%s reinit=%d", drv->fault, s.drv.task, s.drv.why, s.drv.reinit,
        drv->expect_why, drv->expect_reinit);
    return;
  }
  if((def = unconsumed(&s)) != NULL){
    survival_links(v, ev, &s, &latent);
    v->outcome = "deferred";
    say("the kernel left the error at 0x%llx in object=%s index=%ld poisoned for a "
        "consumer (its repair needs one), and none read it", def->addr, def->object,
        def->idx);
    return;
  }
  if(drv)
    v->outcome = "restarted";
  else
    v->outcome = s.worst == 1 ? "SF" : s.worst == 2 ? "PK" : "continued";
  v->survived = survival_links(v, ev, &s, &latent);
  if(v->survived)
    return;
  if(latent){
    v->outcome = "latent-damage";
    say("the tests passed and the disk is clean, but the self-audit found a broken "
        "invariant (%s)", s.naudit && s.audit[0].pass != 1 ? "after the workload" :
        "after the tests");
  } else if(ev->survival_at == NOPOS)
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
  else
    for(int i = 0; i < v->nlinks; i++)
      if(v->links[i].state == LINK_BROKEN){
        say("%s: %s", link_names[v->links[i].link], v->links[i].detail);
        break;
      }
}
