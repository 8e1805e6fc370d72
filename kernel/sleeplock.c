// Sleeping locks, for long waits such as disk I/O on a buffer or an inode.
// A process that finds the lock held sleeps on it; the inner spinlock only
// guards the lock's own fields.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
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

// acquiresleep() up to its ledger entry: returns holding lk->lk, with
// the process that now holds lk.
static inline struct proc *
take_sleeplock(struct sleeplock *lk)
{
  struct proc *p;

  acquire(&lk->lk);
  while(lk->locked)
    sleep(lk, &lk->lk);
  lk->locked = 1;
  p = myproc();
  lk->pid = p->pid;
  return p;
}

void
acquiresleep(struct sleeplock *lk)
{
  struct proc *p = take_sleeplock(lk);

  ledger_sleep(p, lk);
  release(&lk->lk);
}

// releasesleep() after its ledger entry, with lk->lk held.
static inline void
give_sleeplock(struct sleeplock *lk)
{
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}

void
releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  ledger_wake(lk);
  give_sleeplock(lk);
}

#if RECOVERY
// A buffer's lock (bio.c). The ledger lists the buffer and not its lock:
// a process's buffer entry says it holds both, so one entry is made and
// dropped, at the moments acquiresleep and releasesleep list the lock.
void
acquiresleep_buf(struct buf *b)
{
  struct proc *p = take_sleeplock(&b->lock);

  ledger_buf_get(p, b);
  release(&b->lock.lk);
}

void
releasesleep_buf(struct buf *b)
{
  acquire(&b->lock.lk);
  ledger_buf_put(b);
  give_sleeplock(&b->lock);
}
#endif

// Is the current process holding lk? Without lk->lk: if it is, nobody
// else changes the fields; if it is not, pid is never its own (a holder
// sets its own pid, a release clears it), whatever a racing acquire or
// release has stored so far. bwrite and brelse ask on every buffer.
int
holdingsleep(struct sleeplock *lk)
{
  return __atomic_load_n(&lk->locked, __ATOMIC_RELAXED) &&
         __atomic_load_n(&lk->pid, __ATOMIC_RELAXED) == myproc()->pid;
}
