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
    for(i = 0; i < c->nheld && i < LEDGER_MAX; i++)
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
  for(i = 0; i < n && i < LEDGER_MAX; i++)
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

// Rebuild lk for surgery on what it protects, and take it when that is
// safe. ev6_rebuild_spinlock writes the lock from the ledger, which races
// with a hart that is running: between its test-and-set and its ledger
// entry (or its ledger entry and letting go) it holds lk without being
// listed, and a rebuild then frees a lock in use (release later panicked
// with the lock's name); and surgery under another hart's critical
// section breaks what that section is doing (the log restored while a
// hart in begin_op had counted itself in log.outstanding but not yet in
// its ledger: end_op panicked "no operation"). So: a holder that cannot
// move (this hart's interrupted context, or a hart waiting in the
// shepherd: its error came inside the section) keeps lk, rebuilt, and
// surgery goes on under it, as it must; a running holder is waited for,
// and then this hart takes lk itself, by test-and-set like anybody. A
// lock word that stays set with no holder is damage: it is cleared after
// the wait (a hart spinning on it has set it to 1 by then, so its value
// tells nothing), and taken like any lock, after a spinning hart if that
// one gets it first.
// Returns 1 when lk was taken (release it after the surgery), 0 when a
// holder that cannot move keeps it. The wait (EV6_LOCK_WAIT, 1 s) is long
// for sections of a few instructions because a loaded host may keep a
// virtual hart off its CPU for tens of ms (a 10 ms wait fail-stopped one
// run in 30 of Table 3's log-begin_op-two); a holder still in its section
// after it cannot move either.
int
ev6_seize_spinlock(struct spinlock *lk, char *name)
{
  uint64 deadline = r_time() + EV6_LOCK_WAIT;
  struct cpu *holder;
  int cleared = 0;

  for(;;){
    holder = ev6_spinlock_holder(lk);
    if(holder == mycpu() || (holder && ev6_hart_recovering(holder - cpus))){
      ev6_rebuild_spinlock(lk, name);
      return 0;
    }
    if(holder == 0 && tryacquire(lk, 1)){
      lk->name = name;
      return 1;
    }
    if(holder == 0 && !cleared && r_time() > deadline){
      lk->locked = 0;          // set, and nobody held it for a second: the damage
      cleared = 1;
      deadline = r_time() + EV6_LOCK_WAIT;
      continue;
    }
    if(r_time() > deadline){
      // Spinlock sections are short: a holder still in one after a second
      // is blocked behind this recovery (spinning for a lock a hart queued
      // in the shepherd holds), as frozen as a holder queued itself.
      ev6_rebuild_spinlock(lk, name);
      return 0;
    }
  }
}

// Did this hart, interrupted in take(lk) between its swap and its ledger
// entry (cpu->taking), get lk? Yes if lk is set, listed by no hart, and
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

void
ev6_rebuild_sleeplock(struct sleeplock *lk, char *name)
{
  struct proc *holder = ev6_ledger_owner(lk, EV6_LEDGER_SLEEPLOCKS, 0);

  ev6_rebuild_spinlock(&lk->lk, "sleep lock");
  lk->name = name;
  lk->pid = holder ? holder->pid : 0;
  lk->locked = holder != 0;
}
#endif
