// Ev6 system calls: the recovery mode, and (FAULTS=1 builds) marking a
// kernel object bad without a debugger, like the paper's corrupted().
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/kalloc.h"
#include "kernel/log.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

// ev6_mode(mode): set the mode (0 conservative, 1 aggressive) and return
// the old one; any other value only asks. -1 without recovery.
uint64
sys_ev6_mode(void)
{
#if RECOVERY
  int mode, old = ev6_mode;

  argint(0, &mode);
  if(mode == EV6_CONSERVATIVE || mode == EV6_AGGRESSIVE)
    ev6_mode = mode;
  return old;
#else
  return -1;
#endif
}

#if RECOVERY && FAULTS
uint64 sys_ev6_inject(void);
void kernelvec(void);                   // kernelvec.S

// The page-table page of level `level` that a walk of root for va reads.
static void *
table_on_way(pagetable_t pt, int level, uint64 va)
{
  int l;

  for(l = 2; l > level; l--){
    pte_t pte = pt[PX(l, va)];
    if((pte & PTE_V) == 0)
      return 0;
    pt = (pagetable_t)PTE2PA(pte);
  }
  return pt;
}

// The object an injection names: element `which` of a registered table,
// or, for per-descriptor objects, what descriptor `which` refers to.
static void *
inject_target(int type, int which)
{
  struct proc *p = myproc(), *q = p;
  struct file *f = 0;

  // For proc, trapframe and kstack, which > 0 names another process by
  // its pid, and proc then means its saved context.
  if(which > 0 && (type == EV6_T_PROC || type == EV6_T_TRAPFRAME || type == EV6_T_KSTACK)){
    for(q = proc; q < &proc[NPROC] && !(q->state != UNUSED && q->pid == which); q++)
      ;
    if(q == &proc[NPROC])
      return 0;
  }

  if(which >= 0 && which < NOFILE)
    f = p->ofile[which];
  switch(type){
  case EV6_T_FILE:
    return f;
  case EV6_T_INODE:
    return f && (f->type == FD_INODE || f->type == FD_DEVICE) ? f->ip : 0;
  case EV6_T_PIPE:
    return f && f->type == FD_PIPE ? f->pipe : 0;
  case EV6_T_PROC:
    return q == p ? (void*)p : (void*)&q->context;
  case EV6_T_TRAPFRAME:
    return q->trapframe;
  case EV6_T_PAGETABLE:
    // 0, 1, 2: the caller's L2, L1, L0 page on the way to va 0; 3, 4, 5:
    // the kernel's on the way to KERNBASE.
    return which >= 0 && which < 6 ?
           table_on_way(which < 3 ? p->pagetable : kernel_pagetable, 2 - which % 3,
                        which < 3 ? 0 : KERNBASE) : 0;
  case EV6_T_RUN:
    return kmem.freelist;     // the page kalloc hands out next
  case EV6_T_KSTACK:
    return q == p ? ev6_kstack_page(r_sp()) : ev6_kstack_page(q->kstack);
  case EV6_T_PAGE:
    // The caller's user page number which.
    return (void*)walkaddr(p->pagetable, (uint64)which * PGSIZE, 0);
  case EV6_T_REGISTRY:
    // 0: the page type map; 1: the range table.
    return which == 1 ? ev6_registry_ranges() : ev6_registry_element(type, 0);
  case EV6_T_TEXT:
    // 0: this system call; 1: the error handler; 2: a surgery function;
    // 3: the trap vector (the recovery path's own text, unread by the
    // handler); 4: the copy of this system call's code.
    return which == 1 ? (void*)ev6_kernel_error :
           which == 2 ? (void*)buf_recover :
           which == 3 ? (void*)kernelvec :
           which == 4 ? ev6_text_copy(sys_ev6_inject) : (void*)sys_ev6_inject;
  default:
    return ev6_registry_element(type, which);
  }
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_HOLD (kernel/ev6_types.h): a running holder of log.lock that
// a log recovery meets at its surgery.
static int
hold_log(void)
{
  uint64 until;
  int waited, repaired;

  acquire(&log.lock);
  waited = ev6_overlap_waiting;
  while(ev6_overlap_waiting)
    ;
  until = r_time() + EV6_LOCK_WAIT * 3 / 2;
  while(r_time() < until && ev6_poisoned(&log, sizeof(log)))
    ;
  repaired = !ev6_poisoned(&log, sizeof(log));
  release(&log.lock);
  // The caller's next log operation (its exit's) must not meet the damage
  // too: return once the waiting surgery has run.
  until = r_time() + EV6_LOCK_STUCK;
  while(r_time() < until && ev6_poisoned(&log, sizeof(log)))
    ;
  return waited ? repaired : 2;
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_COMMIT (kernel/ev6_types.h).
volatile int fi_commit_armed;   // the next commit is to be held
static volatile int commit_held; // a commit waits for a log restore now
static int commit_result;

// A commit in flight while another hart restores the log: commit() once
// the transaction is installed and recorded done (the window in which a
// committer whose disk write is slow, or whose hart the host keeps off its
// CPU, met a log restore).
void
fi_commit_hold(void)
{
  uint64 until = r_time() + EV6_LOCK_STUCK;

  fi_commit_armed = 0;
  ev6_poison_add((uint64)&log);
  commit_held = 1;
  while(r_time() < until && ev6_poisoned(&log, sizeof(log)))
    ;
  commit_held = 0;
  if(ev6_poisoned(&log, sizeof(log))){
    ev6_poison_clear(&log, sizeof(log));
    commit_result = 2;
  } else {
    commit_result = log.lh.n != 0;
  }
}

static int
hold_commit(void)
{
  struct buf *b;

  begin_op();
  b = bread(ROOTDEV, 1);
  log_write(b);
  brelse(b);
  commit_result = -1;
  fi_commit_armed = 1;
  end_op();             // the last operation out commits
  fi_commit_armed = 0;
  return commit_result;
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_RELEASING (kernel/ev6_types.h): this hart inside release()
// of ftable.lock, its ledger entry gone and the word still set, with
// interrupts off, for ms milliseconds from when an audit is running: what
// the audit sees of a hart that a loaded host keeps off its CPU there.
static int
hold_releasing(int ms)
{
  struct spinlock *lk = &ftable.lock;
  uint64 until = r_time() + EV6_LOCK_STUCK;
  int begun, still;

  while(!audit_running() && r_time() < until)
    ;
  if(!audit_running())
    return -1;
  acquire(lk);
  ledger_unlock(lk->cpu, lk);
  lk->cpu = 0;
  begun = audits_begun();
  until = r_time() + (uint64)ms * 10000;
  while(r_time() < until)
    ;
  still = audit_running() && audits_begun() == begun;
  __sync_synchronize();
  __sync_lock_release(&lk->locked);
  pop_off();
  return still;
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_KILLWINDOW (kernel/ev6_types.h). kill() needs only p->lock,
// so the killer runs on another hart while this one spins.
volatile int fi_killwindow_pid;     // whose piperead is to be held
static volatile int killwindow_end; // how the last hold ended

void
fi_killwindow_hold(void)
{
  struct proc *p = myproc();
  uint64 until = r_time() + EV6_LOCK_STUCK;

  fi_killwindow_pid = 0;
  killwindow_end = -2;
  while(!__atomic_load_n(&p->killed, __ATOMIC_RELAXED) && r_time() < until)
    ;
  killwindow_end = __atomic_load_n(&p->killed, __ATOMIC_RELAXED) ? p->pid : -1;
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_CLOSEWINDOW (kernel/ev6_types.h). The other end's flag is
// read from the pipe's page as the hold waits: a page freed meanwhile
// holds junk there, and the hold then runs out of time.
volatile int fi_closewindow_pid;     // whose pipeclose is to be held
static volatile int closewindow_end; // how the last hold ended

void
fi_closewindow_hold(struct pipe *pi, int writable)
{
  volatile int *other = writable ? &pi->readopen : &pi->writeopen;
  uint64 until = r_time() + EV6_LOCK_STUCK;

  fi_closewindow_pid = 0;
  // Marked before it says it holds: a reader let go by -2 once got to
  // the pipe first, slept there undamaged, and the hold timed out.
  ev6_poison_add((uint64)pi);
  __sync_synchronize();
  closewindow_end = -2;
  while(r_time() < until && ev6_poisoned(pi, sizeof(*pi)))
    ;
  until = r_time() + EV6_LOCK_STUCK;
  while(r_time() < until && !ev6_poisoned(pi, sizeof(*pi)) && *other)
    ;
  closewindow_end = ev6_poisoned(pi, sizeof(*pi)) || *other ? -1 : 1;
  ev6_poison_clear(pi, sizeof(*pi));
}

#if RECOVERY && FAULTS
// EV6_INJECT_SETTLEWINDOW (kernel/ev6_types.h). The reap runs on another
// hart, or on this one when the timer takes it from the hold.
volatile int fi_settlewindow_pid;     // whose page table's settle is to be held
static volatile int settlewindow_end; // how the last hold ended

void
fi_settlewindow_hold(struct proc *owner)
{
  uint64 until = r_time() + EV6_LOCK_STUCK;

  fi_settlewindow_pid = 0;
  settlewindow_end = -2;
  while(__atomic_load_n(&owner->state, __ATOMIC_RELAXED) != UNUSED && r_time() < until)
    ;
  settlewindow_end = __atomic_load_n(&owner->state, __ATOMIC_RELAXED) == UNUSED ? 1 : -1;
}
#endif

#if RECOVERY && FAULTS
// EV6_INJECT_OPWINDOW (kernel/ev6_types.h). The other processes run
// meanwhile: on other harts, or on this one when the timer takes it from
// the hold.
// Per place (EV6_OPWINDOW_END_OP, _LOG_WRITE):
volatile int fi_opwindow_pid[EV6_NOPWINDOWS];      // whose operation is to be held
static volatile int opwindow_end[EV6_NOPWINDOWS];  // how the last hold ended
static volatile int opwindow_go[EV6_NOPWINDOWS];   // released (offset 2)

void
fi_opwindow_hold(int where)
{
  uint64 until = r_time() + EV6_LOCK_STUCK;

  fi_opwindow_pid[where] = 0;
  opwindow_end[where] = -2;
  while(!opwindow_go[where] && r_time() < until)
    ;
  opwindow_end[where] = opwindow_go[where] ? 1 : -1;
  opwindow_go[where] = 0;
}
#endif

// A window hold (EV6_INJECT_KILLWINDOW, _CLOSEWINDOW, _SETTLEWINDOW, _OPWINDOW): offset 0
// arms it for the caller, offset 1 asks how the last one ended.
static int
window_hold(int offset, volatile int *pid, volatile int *end)
{
  if(offset > 1)
    return -1;
  if(offset == 1)
    return *end;
  *end = 0;
  *pid = myproc()->pid;
  return 0;
}
#endif

// ev6_inject(object, which, offset, flags): mark byte `offset` of an
// object bad. The next fault-injection site that touches the object raises
// the hardware-error exception, or, with EV6_INJECT_NOW, this system call
// touches it at once. which >= 0 names the object (see inject_target; for
// proc, trapframe and kstack it is the caller's own, or the process whose
// pid which > 0 is); which < 0 arms site
// -which instead: the object that site touches next goes bad. With
// EV6_INJECT_OVERLAP(n) the next recovery waits for n more errors; with
// EV6_INJECT_KERNEL_FAULT the call then traps in the kernel (a panic).
// Returns the address (0 when arming), or -1. EV6_INJECT_WAITING only asks
// whether a recovery waits for overlapping errors now: 1 or 0;
// EV6_INJECT_HOLD holds log.lock meanwhile (hold_log); EV6_INJECT_COMMIT
// holds a commit in flight (hold_commit); EV6_INJECT_RELEASING stops
// this hart inside a release (hold_releasing); EV6_INJECT_KILLWINDOW holds
// a piperead where a kill must not be lost (fi_killwindow_hold);
// EV6_INJECT_CLOSEWINDOW holds a pipeclose while the pipe is repaired
// (fi_closewindow_hold); EV6_INJECT_SETTLEWINDOW holds a settle while a
// zombie is reaped (fi_settlewindow_hold); EV6_INJECT_OPWINDOW holds an
// operation open at its end_op or inside a log_write (fi_opwindow_hold);
// EV6_INJECT_DISARM disarms the
// armed site; EV6_INJECT_FLIP, with a site armed, damages the marked byte
// as well.
uint64
sys_ev6_inject(void)
{
#if RECOVERY && FAULTS
  int type, which, offset, flags;
  char *base;

  argint(0, &type);
  argint(1, &which);
  argint(2, &offset);
  argint(3, &flags);
#if TRACE
  if(flags & EV6_INJECT_TRACE)
    return ev6_trace_ctl(which);
#endif
  if(type <= EV6_T_UNKNOWN || type >= EV6_NTYPES || offset < 0)
    return -1;
  if(flags & EV6_INJECT_WAITING)
    return ev6_overlap_waiting || commit_held;
  if(flags & EV6_INJECT_HOLD)
    return type == EV6_T_LOG ? hold_log() : -1;
  if(flags & EV6_INJECT_COMMIT)
    return type == EV6_T_LOG ? hold_commit() : -1;
  if(flags & EV6_INJECT_RELEASING)
    return type == EV6_T_FILE ? hold_releasing(offset) : -1;
  if(flags & EV6_INJECT_KILLWINDOW)
    return type == EV6_T_PIPE ? window_hold(offset, &fi_killwindow_pid, &killwindow_end) : -1;
  if(flags & EV6_INJECT_CLOSEWINDOW)
    return type == EV6_T_PIPE ? window_hold(offset, &fi_closewindow_pid, &closewindow_end) : -1;
  if(flags & EV6_INJECT_SETTLEWINDOW)
    return type == EV6_T_PAGETABLE ? window_hold(offset, &fi_settlewindow_pid, &settlewindow_end) : -1;
  if(flags & EV6_INJECT_OPWINDOW){
    if(type != EV6_T_LOG || which < 0 || which >= EV6_NOPWINDOWS)
      return -1;
    if(offset == 2){
      opwindow_go[which] = 1;
      return 0;
    }
    opwindow_go[which] = 0;
    return window_hold(offset, &fi_opwindow_pid[which], &opwindow_end[which]);
  }
  if(flags & EV6_INJECT_DISARM){
    fi_disarm();
    return 0;
  }
  if(which < 0){
    if(-which >= FI_NSITES)
      return -1;
    ev6_overlap_want = (flags >> 8) & 0xff;
    fi_arm_poison(-which, offset, (flags & EV6_INJECT_FLIP) != 0);
    return 0;
  }
  if((base = inject_target(type, which)) == 0)
    return -1;
  ev6_overlap_want = (flags >> 8) & 0xff;
  ev6_poison_add((uint64)(base + offset));
  if(flags & EV6_INJECT_NOW)
    ev6_access(base + offset, 1);
  if(flags & EV6_INJECT_USER)
    ev6_raise_user(myproc(), (uint64)(base + offset));
  if(flags & EV6_INJECT_KERNEL_FAULT)
    asm volatile("unimp");
  return (uint64)(base + offset);
#else
  return -1;
#endif
}
