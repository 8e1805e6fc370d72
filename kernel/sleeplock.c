// Sleeping locks, for long waits such as disk I/O on a buffer or an inode.
// A process that finds the lock held sleeps on it; the inner spinlock only
// guards the lock's own fields.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/defs.h"

void
initsleeplock(struct sleeplock *lk, char *name)
{
  initlock(&lk->lk, "sleep lock");
  lk->name = name;
  lk->locked = 0;
  lk->pid = 0;
}

void
acquiresleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  while(lk->locked)
    sleep(lk, &lk->lk);
  lk->locked = 1;
  lk->pid = myproc()->pid;
  ledger_sleep(lk);
  release(&lk->lk);
}

void
releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  ledger_wake(lk);
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}

// Is the current process holding lk?
int
holdingsleep(struct sleeplock *lk)
{
  int held;

  acquire(&lk->lk);
  held = lk->locked && lk->pid == myproc()->pid;
  release(&lk->lk);
  return held;
}
