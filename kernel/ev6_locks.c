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
