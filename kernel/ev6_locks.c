// Ev6 lock surgery: rebuild a spinlock or sleeplock that sits inside a
// damaged object. Its held/free state comes from the ledger (which hart
// holds the spinlock, which process the sleeplock), never from the
// damaged bytes.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
// The hart whose ledger lists lk, or 0.
struct cpu *
ev6_spinlock_holder(struct spinlock *lk)
{
  struct cpu *c;
  int i;

  for(c = cpus; c < &cpus[NCPU]; c++)
    for(i = 0; i < ledger_listed(c); i++)
      if(c->held[i] == lk)
        return c;
  return 0;
}

// How many times p's ledger list `which` lists x.
static int
ledger_entries(struct proc *p, void *x, int which)
{
  int i, n, found = 0;
  void **list;

  switch(which){
  case EV6_LEDGER_SLEEPLOCKS: list = (void**)p->ledger.sleeplocks; n = p->ledger.nsleeplocks; break;
  case EV6_LEDGER_BUFS:       list = (void**)p->ledger.bufs; n = p->ledger.nbufs; break;
  default:                    list = (void**)p->ledger.inodes; n = p->ledger.ninodes; break;
  }
  for(i = 0; i < n; i++)
    if(list[i] == x)
      found++;
  return found;
}

// The process whose ledger lists x in the given list, skipping `after`
// (to find a second holder), or 0.
struct proc *
ev6_ledger_owner(void *x, int which, struct proc *after)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++)
    if(p != after && p->state != UNUSED && ledger_entries(p, x, which))
      return p;
  return 0;
}

// Entries for x in list `which` of every process's ledger.
int
ev6_ledger_count(void *x, int which)
{
  struct proc *p;
  int n = 0;

  for(p = proc; p < &proc[NPROC]; p++)
    if(p->state != UNUSED)
      n += ledger_entries(p, x, which);
  return n;
}

void
ev6_rebuild_spinlock(struct spinlock *lk, char *name)
{
  struct cpu *holder = ev6_spinlock_holder(lk);

  lk->name = name;
  lk->cpu = holder;
  __sync_synchronize();
  lk->locked = holder != 0;
}

// Can hart c not leave the spinlock section it is in before this
// recovery ends? This hart (its interrupted context) and a hart in the
// shepherd (recovering, or queued: its error came inside the section)
// cannot; nor can a hart spinning in acquire() for a lock one of those
// holds, directly or through other spinning holders (a chain of at most
// NCPU harts: a longer one is a cycle among running harts, which does
// not move either, and ends in wait_for's LK_STUCK).
static int
cannot_move(struct cpu *c)
{
  struct spinlock *waits_for;
  int hops;

  for(hops = 0; c != 0 && hops < NCPU; hops++){
    if(c == mycpu() || ev6_hart_recovering(c - cpus))
      return 1;
    waits_for = c->spinning;
    if(waits_for == 0)
      return 0;
    c = ev6_spinlock_holder(waits_for);
  }
  return 0;
}

// What a recovery waiting for a spinlock found (wait_for).
enum { LK_TAKEN, LK_CANNOT_MOVE, LK_UNHELD, LK_STUCK };

// Wait for lk on the recovery path: a holder that can move is waited for
// while this hart tries lk like any acquirer (EV6_SEIZE_SPINS tries
// between looks at the ledger), never taken from: LK_TAKEN once it lets
// go. LK_CANNOT_MOVE: the holder cannot move (cannot_move). LK_UNHELD:
// the lock word has stayed set with no holder listed for EV6_LOCK_WAIT
// since *unheld_since (a hart is in that state only for a few instructions
// between its swap and its ledger entry, or its ledger release and its
// store: this is damage; 1 s, not less, because a loaded host may keep a
// virtual hart off its CPU for tens of ms, and a 10 ms wait once took a
// lock in that window). LK_STUCK: none of these by stop_at.
// The wait for a holder that can move is bounded: a spinlock section runs
// with interrupts off and cannot sleep, so it waits only by spinning for
// another lock (cpu->spinning, which cannot_move follows) or on a device,
// and ends within its own length plus the time the host keeps that
// virtual hart off its CPU.
static int
wait_for(struct spinlock *lk, uint64 *unheld_since, uint64 stop_at)
{
  struct cpu *holder;
  uint64 now;

  for(;;){
    holder = ev6_spinlock_holder(lk);
    if(holder != 0 && cannot_move(holder))
      return LK_CANNOT_MOVE;
    if(holder == 0 && tryacquire(lk, EV6_SEIZE_SPINS))
      return LK_TAKEN;
    now = r_time();
    if(holder != 0 || !lk->locked)
      *unheld_since = now;
    else if(now - *unheld_since > EV6_LOCK_WAIT)
      return LK_UNHELD;
    if(now > stop_at)
      return LK_STUCK;
  }
}

// Rebuild lk for surgery on what it protects, and take it when that is
// safe. Surgery under another hart's running critical section breaks what
// that section is doing (the log restored while a hart in begin_op had
// counted itself in log.outstanding but not yet in its ledger: end_op
// panicked "no operation"), so a lock is never taken from a holder that
// can move: it is waited for (wait_for). A holder that cannot move keeps
// lk, rebuilt from the ledger, and surgery goes on under it, as it must.
// A lock word set with no holder is damage: it is cleared (a hart spinning
// on it has set it to 1 by then, so its value tells nothing) and taken
// like any lock, after a spinning hart if that one gets it first.
// Anything else within EV6_LOCK_STUCK (a lock set again with no holder
// after the clear, a holder the ledger cannot explain) stops the kernel,
// naming the object, instead of hanging or taking lk anyway.
// Returns 1 when lk was taken (release it after the surgery), 0 when a
// holder that cannot move keeps it.
int
ev6_seize_spinlock(struct ev6_error *e, struct spinlock *lk, char *name)
{
  uint64 unheld_since = r_time(), stop_at = unheld_since + EV6_LOCK_STUCK;
  int cleared = 0;

  for(;;){
    switch(wait_for(lk, &unheld_since, stop_at)){
    case LK_TAKEN:
      lk->name = name;
      return 1;
    case LK_CANNOT_MOVE:
      ev6_rebuild_spinlock(lk, name);
      return 0;
    case LK_UNHELD:
      if(!cleared){
        lk->locked = 0;
        cleared = 1;
        unheld_since = r_time();
        break;
      }
      // fall through: set again, and nobody holds it
    default:
      e->reason = "lock-stuck";
      ev6_failstop(e);
    }
  }
}

// Take lk for printing on the recovery path (printf_nowait): once a
// holder that can move lets go; not when the holder cannot move (a hart
// queued behind this recovery, printing when its error came), nor when the
// lock is damaged or stuck (wait_for). Returns whether it was taken.
int
ev6_wait_spinlock(struct spinlock *lk)
{
  uint64 now = r_time();

  return wait_for(lk, &now, now + EV6_LOCK_STUCK) == LK_TAKEN;
}

// Did this hart, interrupted in take(lk) between its swap and its ledger
// entry (ledger_taking), get lk? Yes if lk is set, listed by no hart, and
// names this hart, or no hart (the store of lk->cpu follows the swap);
// a running hart in that same window lists lk within a few instructions,
// so a lock naming no hart is waited on (EV6_LOCK_WAIT) before it is
// taken for this hart's.
int
ev6_took_unlisted(struct spinlock *lk)
{
  uint64 deadline = r_time() + EV6_LOCK_WAIT;

  for(;;){
    if(!lk->locked || ev6_spinlock_holder(lk) != 0)
      return 0;
    if(lk->cpu == mycpu())
      return 1;
    if(lk->cpu != 0)
      return 0;
    if(r_time() > deadline)
      return 1;
  }
}

// holder: the process whose ledger says it holds lk (an inode's lock is
// listed itself, a buffer's by its buffer), or 0.
void
ev6_rebuild_sleeplock(struct sleeplock *lk, char *name, struct proc *holder)
{
  ev6_rebuild_spinlock(&lk->lk, "sleep lock");
  lk->name = name;
  lk->pid = holder ? holder->pid : 0;
  lk->locked = holder != 0;
}
#else
// No ledger and no recovery path: waiting for the holder is all there is.
int
ev6_wait_spinlock(struct spinlock *lk)
{
  acquire(lk);
  return 1;
}
#endif
