// Ev6 recovery path: shepherd, exit choice, report, and the three exits.
// See ev6.h for the overall flow.
//
// Shepherd: a ticket queue. The first hart in recovers; harts that report
// errors meanwhile take the next tickets and spin, with interrupts off as
// the trap left them, until their turn. At most EV6_QUEUE_MAX may wait; one
// more, or an error reported by a hart that is already queued or recovering
// (an error inside the recovery path), fail-stops. Surgery never blocks on a
// lock, so the recoverer cannot wait for a hart that waits for it; the
// shepherd is left before the exit unwinds, since unwinding takes locks
// that queued harts may hold.
//
// An error that waited in the queue while a recovery ahead of it rebuilt
// the same object finds the object whole: it skips surgery and takes only
// its exit (report strategy=repaired-earlier). A hart's read of bad data
// never completes, so its context holds nothing read from the damage.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/ksyms.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"
#include "kernel/drvctl.h"

#if RECOVERY
volatile int ev6_mode = EV6_CONSERVATIVE;
volatile int ev6_stopping;   // a fail-stop is under way: 1 + the hart making it

static struct {
  volatile uint next_ticket;
  volatile uint now_serving;
  volatile int in_recovery[NCPU];   // hart i is between enter and leave
} ev6_shepherd;

// The objects the latest recoveries rebuilt, with their errors' tickets.
// Only the hart being served touches it.
#define NREPAIRED (EV6_QUEUE_MAX + 1)
static struct repair {
  int type, index;
  void *base;         // pages share index -1
  uint ticket;
  int valid;
} repairs[NREPAIRED];
static int nextrepair;

static void
note_repair(struct ev6_error *e)
{
  struct repair *r = &repairs[nextrepair++ % NREPAIRED];

  r->type = e->obj.type;
  r->index = e->obj.index;
  r->base = e->obj.base;
  r->ticket = e->ticket;
  r->valid = 1;
}

// Was e's object rebuilt by an error served after e arrived, i.e. with a
// ticket in [serving_at_arrival, ticket)? (Unsigned: tickets wrap.)
static int
repaired_since_arrival(struct ev6_error *e)
{
  int i;

  for(i = 0; i < NREPAIRED; i++){
    struct repair *r = &repairs[i];
    if(r->valid && r->type == e->obj.type && r->index == e->obj.index &&
       r->base == e->obj.base &&
       r->ticket - e->serving_at_arrival < e->ticket - e->serving_at_arrival)
      return 1;
  }
  return 0;
}

#if FAULTS
// Set by ev6_inject (EV6_INJECT_OVERLAP): how many more errors the next
// recovery waits for before its surgery, so that they overlap with it.
volatile int ev6_overlap_want;
// A recovery is waiting for them now (ev6_inject EV6_INJECT_WAITING asks).
volatile int ev6_overlap_waiting;

static void
await_overlap(struct ev6_error *e)
{
  int want = __sync_lock_test_and_set(&ev6_overlap_want, 0);
  uint64 deadline = r_time() + EV6_OVERLAP_TICKS * TICK_CYCLES;

  ev6_overlap_waiting = want > 0;
  while(want > 0 && ev6_shepherd.next_ticket - e->ticket - 1 < want &&
        r_time() < deadline)
    ;
  ev6_overlap_waiting = 0;
}

// The recovery path reads these objects too: an error in one of them is
// an error inside the recovery path (the paper's Table 3).
#define RECOVERY_READS(base, size) ev6_access((void*)(base), (size))
#else
#define await_overlap(e)           do { } while(0)
#define RECOVERY_READS(base, size) do { } while(0)
#endif

static const char *exit_names[] = {
  [EV6_EXIT_NONE] "none", [EV6_EXIT_SF] "SF", [EV6_EXIT_PK] "PK", [EV6_EXIT_FS] "FS",
  [EV6_EXIT_REPAIRED] "repaired",
};
static const char *strategy_names[] = {
  [EV6_DISCARD] "discard", [EV6_INITIALIZE] "initialize",
  [EV6_RESTORE] "restore", [EV6_NOTHING] "none",
};
static const char *mode_names[] = {
  [EV6_CONSERVATIVE] "conservative", [EV6_AGGRESSIVE] "aggressive",
};

// Channels to wake once the recovering hart holds no lock any more:
// surgery runs with the interrupted context's locks, and wakeup() takes
// every process's lock.
static void *deferred[NCPU][NDEFER];
static int ndeferred[NCPU];

void
ev6_defer_wakeup(void *chan)
{
  int me = cpuid();

  if(ndeferred[me] < NDEFER)
    deferred[me][ndeferred[me]++] = chan;
}

// The spinlock the interrupted context's take() was trying for
// (ledger_taking when the error came): it may hold it, unlisted.
static struct spinlock *interrupted_taking[NCPU];

// A file whose last reference the interrupted system call held (in
// fileclose): closed once the call is unwound, on the fresh stack, where
// closing may sleep. One per hart: a recovery repairs one object.
static struct file *deferred_close[NCPU];

void
ev6_defer_close(struct file *f)
{
  deferred_close[cpuid()] = f;
}

// Interrupts are off, so this hart's list is stable.
static void
run_deferred_wakeups(void)
{
  int me = cpuid(), i, n = ndeferred[me];
  void *chans[NDEFER];

  for(i = 0; i < n; i++)
    chans[i] = deferred[me][i];
  ndeferred[me] = 0;
  for(i = 0; i < n; i++)
    wakeup(chans[i]);
}

static uint64
r_instret(void)
{
  return CSR_READ(instret);
}

static const char *
mode_name(void)
{
  return ev6_mode == EV6_AGGRESSIVE ? mode_names[EV6_AGGRESSIVE] : mode_names[EV6_CONSERVATIVE];
}

// Functions that deliver an error to the handler: the raise (fi_*,
// ev6_access) and the trap entry.
static int
is_trap_frame(const char *name)
{
  return strncmp(name, "fi_", 3) == 0 || strncmp(name, "ev6_access", 11) == 0 ||
         strncmp(name, "kerneltrap", 11) == 0 || strncmp(name, "kernelvec", 10) == 0;
}

// ... and, for an error outside the recovery path, Ev6's own functions
// around them: they do not belong to the code that touched the object.
static int
is_delivery_frame(const char *name)
{
  return is_trap_frame(name) || strncmp(name, "ev6_", 4) == 0;
}

// The report's site: the innermost function of h that skip does not reject.
static const char *
site_of(struct ev6_history *h, int (*skip)(const char *))
{
  int i;

  for(i = 0; i < h->n; i++)
    if(!skip(h->fn[i]->name))
      return h->fn[i]->name;
  return "?";
}

// Harts printing a recovered report right now. A fail-stop waits for
// them (a moment at most) before it prints, so that no report is cut in
// two by another: each of them sets its flag, then looks at ev6_stopping,
// while the stopping hart sets ev6_stopping, then looks at the flags;
// with the barriers between, one of the two always sees the other.
static volatile int reporting[NCPU];

static void
report(struct ev6_error *e, const char *event, uint64 cost)
{
  const char *name = ev6_type_names[e->obj.type];
  const struct ev6_handler *h = &ev6_handlers[e->obj.type];
  int me = cpuid();

  if(e->exit != EV6_EXIT_FS){
    reporting[me] = 1;
    __sync_synchronize();
    if(ev6_stopping && ev6_stopping != me + 1){
      reporting[me] = 0;
      for(;;)                 // the machine is stopping: its report comes
        ;
    }
    if(strncmp(event, "deferred", 9) == 0)   // no repair, no exit: the reason
      printf_nowait("ev6: event=%s object=%s index=%d addr=%p site=%s reason=%s mode=%s\n",
                    event, name, e->obj.index, (void*)e->obj.addr, e->site, e->reason,
                    mode_name());
    else
      printf_nowait("ev6: event=%s object=%s index=%d addr=%p site=%s strategy=%s exit=%s "
                    "mode=%s cost=%ld\n", event, name, e->obj.index, (void*)e->obj.addr,
                    e->site, e->repaired_earlier ? "repaired-earlier" :
                    e->strategy ? e->strategy : strategy_names[h->strategy],
                    exit_names[e->exit], mode_name(), cost);
    __sync_synchronize();
    reporting[me] = 0;
    return;
  }
  printf_nowait("ev6: event=failstop object=%s index=%d addr=%p site=%s reason=%s mode=%s\n",
                name, e->obj.index, (void*)e->obj.addr, e->site,
                e->reason ? e->reason : "rule", mode_name());
}

// Stop every hart: report and power off. Other harts stop with QEMU.
// From here on, errors (even one the report itself meets) are not
// recovered: the machine is stopping.
void
ev6_failstop(struct ev6_error *e)
{
  int me = cpuid(), i;
  uint64 deadline;

  ev6_stopping = me + 1;
  __sync_synchronize();
  deadline = r_time() + EV6_FAILSTOP_WAIT;
  for(i = 0; i < NCPU; i++)
    while(i != me && reporting[i] && r_time() < deadline)
      ;
  printf_unlocked();
  e->exit = EV6_EXIT_FS;
  report(e, "failstop", 0);
  poweroff(EXIT_FAILSTOP);
}

// Where a kernel-mode error interrupted the hart.
struct trapped {
  uint64 pc, ra, sp, s0;
};

// t is 0 for an error from user mode.
static void
shepherd_enter(struct ev6_error *e, struct trapped *t)
{
  int me = cpuid();
  uint ticket;

  if(ev6_shepherd.in_recovery[me]){
    // Name what the recovery path hit, and the recovery function that
    // touched it; stopping first keeps the lookup's and the walk's own
    // reads from reporting again.
    ev6_stopping = me + 1;
    ev6_registry_lookup(e->obj.addr, &e->obj);
    if(t){
      ev6_history_walk(&e->hist, t->pc, t->ra, t->sp, t->s0);
      e->site = site_of(&e->hist, is_trap_frame);
    }
    e->reason = "error-during-recovery";
    ev6_failstop(e);
  }
  // Waiting for a turn is inside the recovery path too: an error that
  // reached a queued hart would otherwise take a second ticket behind its
  // own, which is never served, and the hart would spin for ever.
  ev6_shepherd.in_recovery[me] = 1;
  e->serving_at_arrival = ev6_shepherd.now_serving;
  ticket = __sync_fetch_and_add(&ev6_shepherd.next_ticket, 1);
  e->ticket = ticket;
  if(ticket - ev6_shepherd.now_serving > EV6_QUEUE_MAX){
    // The report names the object this error hit, like every report.
    ev6_stopping = me + 1;
    ev6_registry_lookup(e->obj.addr, &e->obj);
    e->reason = "shepherd-queue-full";
    ev6_failstop(e);
  }
  while(ev6_shepherd.now_serving != ticket)
    ;
  __sync_synchronize();
  RECOVERY_READS(&ev6_shepherd, sizeof(ev6_shepherd));
}

// Is hart between shepherd_enter and shepherd_leave (recovering, or
// waiting for its turn)?
int
ev6_hart_recovering(int hart)
{
  return ev6_shepherd.in_recovery[hart];
}

static void
shepherd_leave(void)
{
  ev6_shepherd.in_recovery[cpuid()] = 0;
  __sync_synchronize();
  __sync_fetch_and_add(&ev6_shepherd.now_serving, 1);
}

// The exit the object's rule table prescribes for this history and mode.
static enum ev6_exit
choose_exit(const struct ev6_rule *rules, struct ev6_history *h)
{
  int mode = 1 << (ev6_mode == EV6_AGGRESSIVE ? EV6_AGGRESSIVE : EV6_CONSERVATIVE);
  const struct ev6_rule *r;

  for(r = rules; r->fn; r++)
    if((r->modes & mode) && ev6_history_find(h, r->fn) >= 0)
      return r->exit;
  return r->exit;
}

// Can the interrupted context be unwound at all? Returns a reason if not.
static const char *
cannot_unwind(struct ev6_error *e)
{
  struct proc *p = myproc();
  struct cpu *c = mycpu();
  int i;

  if(p == 0)
    return "no-process-context";
  RECOVERY_READS(p, sizeof(*p));
  if(p->kthread)
    return "kernel-thread";   // no system call to fail, no process to kill
  if(ev6_history_find(&e->hist, "devintr") >= 0)
    return "in-interrupt-handler";
  // A process that has not returned to user space yet (the first one,
  // still mounting the root and executing /init) has no system call to fail.
  if(ev6_history_find(&e->hist, "forkret") >= 0)
    return "no-system-call";
  if(c->heldlost > 0 || p->ledger.lost > 0)
    return "ledger-overflow";
  // Between sleep()'s state change and the switch, p->lock is held and
  // p->state is not RUNNING: releasing the lock would let another hart
  // run this process while it is still on this one.
  for(i = 0; i < ledger_listed(c); i++)
    if(c->held[i] == &p->lock && p->state != RUNNING)
      return "inside-scheduler";
  return 0;
}

// Release lk for a context that will never release it itself (no ledger
// entry to drop: the caller has dropped it, or it was never made).
static void
let_go(struct spinlock *lk)
{
  lk->cpu = 0;
  __sync_synchronize();
  __sync_lock_release(&lk->locked);
}

// Let go of every spinlock the ledger says hart c holds, newest first,
// then run the wakeups deferred under them. Interrupts stay off. For a
// context that is never returned to (an unwound call, a crashed driver
// task): the slot of a take() it was in is cleared with the rest (an
// unwound call has let go of that lock first if the take got it:
// ev6_took_unlisted).
void
ev6_release_spinlocks(struct cpu *c)
{
  while(c->heldtop > c->held)
    let_go(*--c->heldtop);
  memset(c->held, 0, sizeof(c->held));
  c->heldlost = 0;          // callers refuse a partial list (ledger-overflow)
  c->spinning = 0;
  c->noff = 0;
  c->intena = 0;
  run_deferred_wakeups();
}

// Leave the interrupted kernel context for good: release everything the
// ledger says it holds, then finish the system call with -1 (SF) or kill
// the process (PK). Runs on a fresh kernel stack; never returns.
static void
unwind_and_exit(enum ev6_exit how)
{
  struct proc *p = myproc();
  struct cpu *c = mycpu();
  struct file *close = deferred_close[cpuid()];

  deferred_close[cpuid()] = 0;
  // Spinlocks first: everything after may sleep. A lock the interrupted
  // take() got but had not listed yet is let go too.
  if(interrupted_taking[cpuid()] && ev6_took_unlisted(interrupted_taking[cpuid()]))
    let_go(interrupted_taking[cpuid()]);
  interrupted_taking[cpuid()] = 0;
  ev6_release_spinlocks(c);
  intr_on();

  ev6_unwind_resources(p);
  if(close)
    fileclose(close);

  if(how == EV6_EXIT_PK){
    setkilled(p);
    exit(-1);
  }
  p->trapframe->a0 = -1;
  usertrapret();
}

// Continue in unwind_and_exit on the empty top of the current process's
// kernel stack: nothing of the interrupted frames is ever returned to.
static void
jump_to_fresh_stack(enum ev6_exit how)
{
  uint64 top = myproc()->kstack + PGSIZE;

  asm volatile("mv sp, %0\n\tmv s0, zero\n\tmv a0, %1\n\tjr %2"
               : : "r"(top), "r"((uint64)how), "r"(unwind_and_exit) : "memory");
  __builtin_unreachable();
}

uint64 ev6_replica_bytes;   // set once by ev6_init; replicas are static
uint64 ev6_text_bytes;      // the kernel code's copy and checksums

// Register every recoverable (and every deliberately unrecoverable) table.
void
ev6_init(void)
{
  ev6_registry_init();
  ev6_registry_add(EV6_T_SHEPHERD, &ev6_shepherd, 1, sizeof(ev6_shepherd));
  ev6_replica_bytes = bcache_register() + log_register() + ftable_register() +
             itable_register() + cons_register() + pr_register() + kmem_register() +
             disk_register() + sb_register();
  ev6_text_bytes = ev6_text_init();
  printf("ev6-init: registry=%ld replicas=%ld mode=%s text-copy=%ld\n",
         ev6_registry_bytes(), ev6_replica_bytes + ptrep_bytes(), mode_name(), ev6_text_bytes);
}

// Rebuild e's object, unless a recovery served while e waited did so.
static void
surgery_once(struct ev6_error *e, const struct ev6_handler *h)
{
  e->repaired_earlier = repaired_since_arrival(e);
  if(e->repaired_earlier)
    return;
  RECOVERY_READS(h->surgery, 4);
  if(h->surgery(e) < 0)
    ev6_failstop(e);
  note_repair(e);
}

// An uncorrectable error at addr, reported while the hart ran kernel code
// at sepc with registers ra, sp, s0 (interrupts off, from kerneltrap).
// Returns only when the damage was another process's state: the
// interrupted code then continues; every other recovery leaves by its exit.
void
ev6_kernel_error(uint64 sepc, uint64 ra, uint64 sp, uint64 s0, uint64 addr)
{
  uint64 start = r_instret();
  struct ev6_error e;
  struct trapped t = { sepc, ra, sp, s0 };
  const struct ev6_handler *h;
  const char *why;
  int resumes;

  // A fail-stop is under way. The hart making it powers the machine off
  // once its report is out: another hart only waits (powering off here
  // cut that report short when two errors came at once); an error the
  // report itself meets stops at once.
  if(ev6_stopping){
    if(ev6_stopping == cpuid() + 1)
      poweroff(EXIT_FAILSTOP);
    for(;;)
      ;
  }
  memset(&e, 0, sizeof(e));
  e.obj.addr = addr;
  e.obj.index = -1;
  e.site = "?";
  // Before any lock of the recovery's own overwrites it.
  interrupted_taking[cpuid()] = ledger_taking(mycpu());
  shepherd_enter(&e, &t);
  RECOVERY_READS(ev6_kernel_error, 4);
  await_overlap(&e);

#if FAULTS
  // The walk reads the interrupted kernel stack.
  RECOVERY_READS(ev6_kstack_page(sp), PGSIZE);
#endif
  ev6_history_walk(&e.hist, sepc, ra, sp, s0);
  e.site = site_of(&e.hist, is_delivery_frame);
  ev6_registry_lookup(addr, &e.obj);
  h = &ev6_handlers[e.obj.type];
  if(h->surgery == 0){
    e.reason = "unrecoverable-object";
    ev6_failstop(&e);
  }

  // A page of the kernel's own page table, restored in place, is what the
  // walk that met the damage (the MMU's, or walk()'s load) reads again: the
  // interrupted code goes on, wherever it was (an interrupt handler, a
  // kernel thread, the scheduler), before anything else uses a mapping the
  // damage may have broken (the report prints through the UART's).
  resumes = h->resumes ||
            (e.obj.type == EV6_T_PAGETABLE && ptrep_kernel_table(e.obj.base));
  if(h->kills_owner || resumes){
    surgery_once(&e, h);
    if(resumes || e.killed != myproc() || e.killed == 0){
      e.exit = e.killed ? EV6_EXIT_PK : EV6_EXIT_NONE;
      report(&e, "recovered", r_instret() - start);
      shepherd_leave();
      run_deferred_wakeups();
      // Its take() goes on by itself, with the ledger slot it wrote,
      // which the recovery's own locks have used since (ledger.h).
      if(interrupted_taking[cpuid()])
        *mycpu()->heldtop = interrupted_taking[cpuid()];
      interrupted_taking[cpuid()] = 0;
      return;             // kerneltrap resumes the interrupted code
    }
  }
  e.exit = choose_exit(h->rules, &e.hist);
  if(e.exit == EV6_EXIT_FS)
    ev6_failstop(&e);
  if(myproc() != 0 && myproc()->drv != 0 && e.obj.type == EV6_T_DISK){
    // The disk task's own state: the surgery marks the task failed, and
    // the task's restart (drv.c) is the exit. Nothing of its stack is kept.
    surgery_once(&e, h);
    report(&e, "recovered", r_instret() - start);
    interrupted_taking[cpuid()] = 0;
    shepherd_leave();
    drv_crashed(DRV_W_EV6);
  }
  if((why = cannot_unwind(&e)) != 0){
    e.reason = why;
    ev6_failstop(&e);
  }
  if((why = ev6_unwind_check(myproc())) != 0){
    e.reason = why;
    ev6_failstop(&e);
  }
  if(!h->kills_owner && !h->resumes)
    surgery_once(&e, h);

  report(&e, "recovered", r_instret() - start);
  shepherd_leave();
  jump_to_fresh_stack(e.exit);
}

// Did a hart read the bad data before the platform's record came, and its
// recovery rebuild the object? In FAULTS=1 builds the poison table stands
// for the hardware's poisoned line, set by the platform with its record,
// and a rebuild clears it. Elsewhere the line is the hardware's own: no.
static int
consumed_first(uint64 addr)
{
#if FAULTS
  return !ev6_poisoned((void*)addr, 1);
#else
  (void)addr;
  return 0;
#endif
}

// An uncorrectable error at addr that no hart consumed: reported by the
// platform (ev6_scrub.c), taken in its interrupt with no spinlock held.
// There is no call history and no process to fail: the object's scrub
// repair runs (report site=scrub exit=repaired) and whatever was running
// goes on; an object whose repair needs the consumer's context is left
// poisoned for it (event=deferred reason=needs-consumer), and its first
// reader takes the error through ev6_kernel_error as usual.
void
ev6_background_error(uint64 addr)
{
  uint64 start = r_instret();
  struct ev6_error e;
  const struct ev6_handler *h;

  if(ev6_stopping)
    return;                 // the machine is stopping anyway
  memset(&e, 0, sizeof(e));
  e.obj.addr = addr;
  e.obj.index = -1;
  e.site = "scrub";
  shepherd_enter(&e, 0);
  ev6_registry_lookup(addr, &e.obj);
  h = &ev6_handlers[e.obj.type];
  if(h->surgery == 0){
    e.reason = "unrecoverable-object";
    ev6_failstop(&e);
  }
  if(consumed_first(addr)){
    e.repaired_earlier = 1;
  } else if(h->scrub == 0){
    ev6_poison_add(addr);   // for its consumer's access points
    e.reason = "needs-consumer";
    report(&e, "deferred", 0);
    shepherd_leave();
    return;
  } else {
    RECOVERY_READS(h->scrub, 4);
    if(h->scrub(&e) < 0)
      ev6_failstop(&e);
    note_repair(&e);
  }
  e.exit = EV6_EXIT_REPAIRED;
  report(&e, "recovered", r_instret() - start);
  shepherd_leave();
  run_deferred_wakeups();
}

// An uncorrectable error at addr, reported while the hart ran user code.
// A kernel object is repaired and the process simply continues; damage in
// the process's own memory kills it (upage_recover).
void
ev6_user_error(uint64 addr)
{
  uint64 start = r_instret();
  struct ev6_error e;
  const struct ev6_handler *h;

  memset(&e, 0, sizeof(e));
  e.obj.addr = addr;
  e.obj.index = -1;
  e.site = "user";
  e.from_user = 1;
  shepherd_enter(&e, 0);

  ev6_registry_lookup(addr, &e.obj);
  h = &ev6_handlers[e.obj.type];
  if(h->surgery == 0){
    e.reason = "unrecoverable-object";
    ev6_failstop(&e);
  }
  surgery_once(&e, h);
  e.exit = e.killed ? EV6_EXIT_PK : EV6_EXIT_NONE;   // usertrap sees it killed
  report(&e, "recovered", r_instret() - start);
  shepherd_leave();
  run_deferred_wakeups();
}
#endif
