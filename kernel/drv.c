// Driver tasks: the message boundary, the in-kernel hang detector, the
// I/O log and the restart path (drv.h says how a request flows).
//
// Each task is a kernel thread (kproc) with its own stack, running
// drv_entry's loop. Clients never touch a driver's state: they queue a
// message and sleep until the reply. The interrupt handler only notifies
// the task (drv_notify) or posts it a message nobody waits for
// (drv_post). Every register access goes through drv_rd32/drv_wr32 (the
// disk) or drv_rd8/drv_wr8 (the UART), which log it, so a validator can
// later tell whether the device was driven legally.
//
// Detection. drv_receive stamps unit_tick, drv_reply clears it: one store
// each (unit_start, the time CSR, is kept beside it for the figures only).
// While the task waits for its device (drv_wait_event) the stamp times the
// device instead, against the longer DRV_DEVICE_TICKS, and is stamped
// again when the device answers: the device's latency is the host's (a
// loaded host delays QEMU's I/O by up to seconds), the driver's own work
// is not. drv_tick (every timer interrupt) and the scheduler, when a task
// gives up its hart, compare the stamp's age with its bound. Ages are in
// ticks, not the time CSR: a tick is a timer interrupt the guest has
// taken, so a host that stalls QEMU's CPU for a while does not age the
// unit by the stall (docs/drivers.md). Hart 0 looks at every task (a task
// blocked for ever is not running anywhere), the other harts at the task
// they were running. No message is sent.
// The heartbeat monitor (drvmon.c) is the baseline.
//
// Restart. drv_fail marks the task (restart = why, rewind = 1) and wakes
// it if it sleeps. A task only ever gives up its hart inside sched(),
// holding nothing but p->lock (sleep() has already let its own lock go),
// so the scheduler may throw its stack away there: drv_rewind points its
// context at drv_entry on an empty stack. drv_entry then runs drv_restart:
// the driver rebuilds its software state and, only if its validator finds
// illegal I/O in the log, resets and re-initialises the device; the
// request that was in flight goes back to the head of the queue.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/drv.h"
#include "kernel/ev6.h"

struct drvtask drvtasks[NDRV];
int ndrvtasks;                 // tasks published to the detectors
static int nslots;             // slots handed out (some may not be started yet)
int drv_detector = DRV_DET_KERNEL;
uint64 drv_checks, drv_check_time;   // the in-kernel detector's cost
extern uint ticks;                   // trap.c

static void drv_entry(void);
static void drv_restart(struct drvtask *t);

// A task slot for a driver; drv_start starts it. Called at boot, and by
// drvctl(DRVCTL_IDLE) under the caller's serialisation (drvmon.c).
struct drvtask *
drv_create(const char *name, const struct drvops *ops, uint64 base)
{
  struct drvtask *t;

  if(nslots == NDRV)
    return 0;
  t = &drvtasks[nslots++];
  initlock(&t->lock, "drvtask");
  safestrcpy(t->st.name, name, sizeof(t->st.name));
  t->ops = ops;
  t->base = base;
  t->ping.op = DRV_PING;
  return t;
}

// Start t's thread and show the task to the detectors.
void
drv_start(struct drvtask *t)
{
  struct proc *p = kproc(t->st.name, drv_entry, t);

  if(p == 0)
    panic("drv_start: no process slot");
  t->proc = p;
  __sync_synchronize();
  if(t - drvtasks + 1 > ndrvtasks)
    ndrvtasks = t - drvtasks + 1;
}

// First code of a task, on an empty stack: at boot, and after every
// rewind. The scheduler switched here holding p->lock, as for forkret.
static void
drv_entry(void)
{
  struct proc *p = myproc();
  struct drvtask *t = p->drv;

  release(&p->lock);
  intr_on();
  if(t->restart)
    drv_restart(t);
  else
    t->ops->init(t);
  for(;;){
    struct drvmsg *m = drv_receive(t);

    if(m->op == DRV_PING)
      drv_reply(t, m);      // the heartbeat's answer: the driver's loop must know pings
    else
      t->ops->serve(t, m);
  }
}

// ----------------------------------------------------------------- messages

// Send m to t and sleep until t has replied to it.
void
drv_call(struct drvtask *t, struct drvmsg *m)
{
  m->done = 0;
  m->resubmitted = 0;
  m->next = 0;
  acquire(&t->lock);
  if(t->tail)
    t->tail->next = m;
  else
    t->head = m;
  t->tail = m;
  wakeup(t);
  while(!m->done)
    sleep(m, &t->lock);
  release(&t->lock);
}

// The task takes its next request: a unit of work starts.
struct drvmsg *
drv_receive(struct drvtask *t)
{
  struct drvmsg *m;

  acquire(&t->lock);
  while(t->head == 0)
    sleep(t, &t->lock);
  m = t->head;
  t->head = m->next;
  if(t->head == 0)
    t->tail = 0;
  m->next = 0;
  m->queued = 0;        // taken: a new post queues it again
  t->inflight = m;
  t->unit_tick = ticks + 1;
  t->unit_start = r_time();
  release(&t->lock);
  return m;
}

// The task answers m: the unit of work ends.
void
drv_reply(struct drvtask *t, struct drvmsg *m)
{
  uint64 now = r_time();
  uint64 age;

  acquire(&t->lock);
  age = now - t->unit_start;
  if(t->restart == 0 && !m->resubmitted){
    if(age > t->st.unit_max)
      t->st.unit_max = age;
    if(ticks + 1 - t->unit_tick > t->st.unit_max_ticks)
      t->st.unit_max_ticks = ticks + 1 - t->unit_tick;
  }
  t->unit_tick = 0;
  t->unit_start = 0;
  t->inflight = 0;
  t->st.units++;
  if(m->op == DRV_PING){
    t->ping_sent = 0;
    t->st.pongs++;
  }
  if(t->st.t_restart1 && t->st.t_back == 0 && m->op != DRV_PING)
    t->st.t_back = now;
  m->done = 1;
  wakeup(m);
  release(&t->lock);
}

// Queue m for t without waiting for the reply (an interrupt handler may
// call it). A message already waiting in the queue is not queued twice;
// one the task has taken is, so news that came while it was being served
// is served again.
void
drv_post(struct drvtask *t, struct drvmsg *m)
{
  acquire(&t->lock);
  if(!m->queued){
    m->queued = 1;
    m->resubmitted = 0;
    m->next = 0;
    if(t->tail)
      t->tail->next = m;
    else
      t->head = m;
    t->tail = m;
    wakeup(t);
  }
  release(&t->lock);
}

// From t's interrupt handler: tell the task its device has news.
void
drv_notify(struct drvtask *t)
{
  acquire(&t->lock);
  if(t->drop_irq){
    t->drop_irq = 0;          // DRV_F_LOSTIRQ: this interrupt never arrives
    t->st.last_fault = DRV_F_LOSTIRQ;
    t->st.t_fault = r_time();
    t->st.k_fault = ticks;
  } else {
    t->events++;
    wakeup(&t->events);
    mycpu()->resched = 1;     // the trap handler yields, so the task runs soon
  }
  release(&t->lock);
}

// The task waits for its device's next interrupt.
void
drv_wait_event(struct drvtask *t)
{
  acquire(&t->lock);
  t->unit_tick = ticks + 1;
  t->dev_wait = 1;
  while(t->events == 0)
    sleep(&t->events, &t->lock);
  t->events--;
  if(t->restart == 0 && ticks + 1 - t->unit_tick > t->st.dev_max_ticks)
    t->st.dev_max_ticks = ticks + 1 - t->unit_tick;
  t->dev_wait = 0;
  t->unit_tick = ticks + 1;
  release(&t->lock);
}

// A driver's own blocking lock, held across its own sleeps.
void
drv_lock(struct drvtask *t, struct drvlock *lk)
{
  acquire(&t->lock);
  while(lk->held)
    sleep(lk, &t->lock);
  lk->held = 1;
  release(&t->lock);
}

void
drv_unlock(struct drvtask *t, struct drvlock *lk)
{
  acquire(&t->lock);
  lk->held = 0;
  wakeup(lk);
  release(&t->lock);
}

// Is fault f armed in t? Then it fires now, once (FAULTS=1 kernels).
int
drv_take_fault(struct drvtask *t, enum drv_fault f)
{
#if FAULTS
  if(t->fault != f)
    return 0;
  t->fault = DRV_F_NONE;
  t->st.last_fault = f;
  t->st.t_fault = r_time();
  t->st.k_fault = ticks;
  return 1;
#else
  return 0;
#endif
}

// -------------------------------------------------------------- the I/O log

static void
drv_log(struct drvtask *t, uint32 off, uint32 val, int write)
{
  uint64 n = __atomic_fetch_add(&t->log_n, 1, __ATOMIC_RELAXED);
  struct drvio *e = &t->log[n % DRV_LOG_SIZE];

  e->off = off;
  e->val = val;
  e->write = write;
}

uint32
drv_rd32(struct drvtask *t, uint32 off)
{
  uint32 v = *(volatile uint32 *)(t->base + off);

  drv_log(t, off, v, 0);
  return v;
}

void
drv_wr32(struct drvtask *t, uint32 off, uint32 val)
{
  drv_log(t, off, val, 1);
  *(volatile uint32 *)(t->base + off) = val;
}

uint8
drv_rd8(struct drvtask *t, uint32 off)
{
  uint8 v = *(volatile uint8 *)(t->base + off);

  drv_log(t, off, v, 0);
  return v;
}

void
drv_wr8(struct drvtask *t, uint32 off, uint8 val)
{
  drv_log(t, off, val, 1);
  *(volatile uint8 *)(t->base + off) = val;
}

// Access number n, if the log still holds it; else 0.
struct drvio *
drv_log_at(struct drvtask *t, uint64 n)
{
  if(n >= t->log_n || t->log_n - n > DRV_LOG_SIZE)
    return 0;
  return &t->log[n % DRV_LOG_SIZE];
}

// ---------------------------------------------------------------- detection

// Wake a failed task that sleeps, so the scheduler can rewind it.
static void
drv_kick(struct drvtask *t)
{
  struct proc *p = t->proc;

  acquire(&p->lock);
  if(p->state == SLEEPING)
    p->state = RUNNABLE;
  release(&p->lock);
}

// Has t's unit of work (or its device) taken more ticks than its bound?
static int
drv_aged(struct drvtask *t)
{
  uint start = t->unit_tick;
  uint bound = t->dev_wait ? DRV_DEVICE_TICKS : DRV_HANG_TICKS;

  return start != 0 && ticks + 1 - start > bound;
}

// Mark t failed; 1 if it was not already. A hang is confirmed under the
// task's lock: a detector that read the stamp before a restart it then
// found finished must not fail the restarted task again.
static int
drv_mark(struct drvtask *t, enum drv_why why)
{
  int first = 0;

  acquire(&t->lock);
  if(t->restart == DRV_W_NONE && (why != DRV_W_HANG || drv_aged(t))){
    t->restart = why;
    t->rewind = 1;
    t->st.last_why = why;
    t->st.t_detect = r_time();
    t->st.k_detect = ticks;
    t->st.last_dev_wait = t->dev_wait;
    if(why == DRV_W_EV6){
      t->st.t_fault = t->st.t_detect;   // the error's trap is its detection
      t->st.k_fault = ticks;
      t->st.last_fault = DRV_F_NONE;
    }
    first = 1;
  }
  release(&t->lock);
  return first;
}

// A detector declares t failed.
void
drv_fail(struct drvtask *t, enum drv_why why)
{
  if(drv_mark(t, why))
    drv_kick(t);
}

// The detectors' check, without the lock (drv_mark confirms a hang).
static int
drv_overdue(struct drvtask *t)
{
  __atomic_fetch_add(&drv_checks, 1, __ATOMIC_RELAXED);
  return t->restart == DRV_W_NONE && drv_aged(t);
}

static void
drv_check(struct drvtask *t)
{
  if(drv_overdue(t))
    drv_fail(t, DRV_W_HANG);
}

// Every timer interrupt, on every hart, interrupts off.
void
drv_tick(void)
{
  uint64 now = r_time();
  struct proc *p = myproc();
  int i, n = ndrvtasks;

  if(cpuid() == 0){
    for(i = 0; i < n; i++){
      struct drvtask *t = &drvtasks[i];
      if(t->rewind)
        drv_kick(t);      // failed while running; it may have gone to sleep since
      else if(drv_detector & DRV_DET_KERNEL)
        drv_check(t);
    }
  } else if(p != 0 && p->drv != 0 && (drv_detector & DRV_DET_KERNEL)){
    drv_check(p->drv);
  }
  __atomic_fetch_add(&drv_check_time, r_time() - now, __ATOMIC_RELAXED);
}

// The scheduler got the hart back from task p (p->lock held, so a
// sleeping task is woken here rather than by drv_kick).
void
drv_switched_out(struct proc *p)
{
  if((drv_detector & DRV_DET_KERNEL) && drv_overdue(p->drv) &&
     drv_mark(p->drv, DRV_W_HANG) && p->state == SLEEPING)
    p->state = RUNNABLE;
}

// ------------------------------------------------------------------ restart

// From the scheduler, p->lock held, p RUNNABLE: if p's task has failed,
// drop its stack and make it start over at drv_entry.
void
drv_rewind(struct proc *p)
{
  struct drvtask *t = p->drv;

  if(!t->rewind)
    return;
  t->rewind = 0;
  memset(&p->context, 0, sizeof(p->context));
  p->context.ra = (uint64)drv_entry;
  p->context.sp = p->kstack + PGSIZE;
  p->chan = 0;
}

// The failed task holds spinlocks (interrupts are off). Those it owns, its
// task lock and its driver's own (drvops.lock), guard state its restart
// rebuilds: let them go, as Ev6 unwinds a system call, by the ledger.
// Another lock guards state of the rest of the kernel that the task may
// have left half-changed: then stop the kernel, naming the lock.
static void
drv_release_spinlocks(struct drvtask *t)
{
#if RECOVERY
  struct cpu *c = mycpu();
  int i;

  if(ledger_nheld(c) != c->noff || c->heldlost > 0)
    panic("drv: a crashed task holds spinlocks the ledger does not list");
  for(i = 0; i < ledger_listed(c); i++){
    if(c->held[i] != &t->lock && c->held[i] != t->ops->lock){
      printf("drv: task=%s crashed holding %s, not its own\n", t->st.name, c->held[i]->name);
      panic("driver task crashed holding a kernel lock");
    }
  }
  printf("drv: event=released task=%s spinlocks=%d\n", t->st.name, ledger_listed(c));
  ev6_release_spinlocks(c);
#else
  panic("driver task crashed holding a spinlock (RECOVERY=0: no ledger)");
#endif
}

// The running task took an exception, found its own state broken, or had
// its state repaired by Ev6 (why says which): give the hart up for good;
// the scheduler rewinds the task. Interrupts may be on or off; spinlocks
// the task holds are released or named (drv_release_spinlocks).
void
drv_crashed(int why)
{
  struct proc *p = myproc();

  if(mycpu()->noff != 0)
    drv_release_spinlocks(p->drv);
  // Marked already and not to be rewound: it failed in its own restart,
  // which the damage would only fail again.
  if(!drv_mark(p->drv, why) && !p->drv->rewind)
    panic("drv: a driver task failed again during its restart");
  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  panic("drv_crashed: a crashed task resumed");
}

// A driver's consistency check failed: its state is corrupt.
void
drv_panic(struct drvtask *t, char *why)
{
  printf("drv: task=%s %s\n", t->st.name, why);
  drv_crashed(DRV_W_CRASH);
}

static const char *drv_why_names[] = {
#define DRV_WHY_NAME(upper, lower) #lower,
  DRV_WHYS(DRV_WHY_NAME)
};
static const char *drv_fault_names[] = {
#define DRV_FAULT_NAME(upper, lower) #lower,
  DRV_FAULTS(DRV_FAULT_NAME)
};

// On the task's fresh stack after a failure.
static void
drv_restart(struct drvtask *t)
{
  struct proc *p = myproc();
  struct drvmsg *m;
  int reinit, resubmitted = 0, why = t->restart;

  t->st.t_restart0 = r_time();
  t->unit_tick = 0;
  t->dev_wait = 0;
  t->unit_start = 0;
  // What the lost stack held: only the driver's own locks (the restart
  // re-initialises them) and nothing in the process's ledger.
  memset(&p->ledger, 0, sizeof(p->ledger));
  reinit = !t->ops->valid(t);
  reinit = t->ops->restart(t, reinit);

  acquire(&t->lock);
  if((m = t->inflight) != 0 && m->queued){
    t->inflight = 0;      // a posted message posted again meanwhile: it waits already
  } else if(m != 0){
    t->inflight = 0;
    m->resubmitted = 1;
    m->next = t->head;
    t->head = m;
    if(t->tail == 0)
      t->tail = m;
    t->st.resubmitted++;
    resubmitted = 1;
  }
  t->events = 0;
  t->st.restarts++;
  t->st.reinits += reinit;
  t->st.last_reinit = reinit;
  t->st.t_back = 0;
  t->st.t_restart1 = r_time();
  t->restart = DRV_W_NONE;
  release(&t->lock);

  printf("drv: event=restart task=%s why=%s bound=%s fault=%s reinit=%d resubmitted=%d "
         "detect_us=%ld restart_us=%ld\n", t->st.name, drv_why_names[why],
         why != DRV_W_HANG ? "none" : t->st.last_dev_wait ? "device" : "own",
         drv_fault_names[t->st.last_fault], reinit, resubmitted,
         t->st.t_fault && t->st.t_detect > t->st.t_fault ?
           (long)(t->st.t_detect - t->st.t_fault) / 10 : -1L,
         (long)(t->st.t_restart1 - t->st.t_restart0) / 10);
}
