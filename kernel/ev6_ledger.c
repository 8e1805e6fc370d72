// The Ev6 ledger (see ledger.h for the hooks).
//
// Spinlocks are recorded per hart: a spinlock is held with interrupts off
// and released on the hart that took it (p->lock crosses swtch() but is
// released by the same hart's scheduler). Everything else is recorded per
// process, because a process may sleep and move between harts while it
// holds sleeplocks, buffers and inodes.
//
// Each list is a small stack: taking pushes, giving back removes the
// newest matching entry. A count larger than the array means entries were
// lost; recovery then knows it cannot unwind exactly.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/defs.h"

#if RECOVERY
static void
push(void **list, int *n, void *x)
{
  if(*n < LEDGER_MAX)
    list[*n] = x;
  (*n)++;
}

// Remove the newest entry equal to x. An entry missing from a full list
// was one of the lost ones.
static void
drop(void **list, int *n, void *x)
{
  int i, top = *n < LEDGER_MAX ? *n : LEDGER_MAX;

  for(i = top - 1; i >= 0; i--){
    if(list[i] == x){
      for(; i < top - 1; i++)
        list[i] = list[i+1];
      (*n)--;
      return;
    }
  }
  if(*n > LEDGER_MAX)
    (*n)--;
}

// Interrupts are off in both (the caller holds or is taking a spinlock).
void
ledger_lock(struct spinlock *lk)
{
  struct cpu *c = mycpu();
  push((void**)c->held, &c->nheld, lk);
}

void
ledger_unlock(struct spinlock *lk)
{
  struct cpu *c = mycpu();
  drop((void**)c->held, &c->nheld, lk);
}

// The rest run in process context; kernel threads without a process
// (the scheduler, boot) hold none of these across a trap.
#define PROC_LEDGER(list, n, op, x) do { \
    struct proc *p = myproc(); \
    if(p) op((void**)p->ledger.list, &p->ledger.n, (x)); \
  } while(0)

void ledger_sleep(struct sleeplock *lk)    { PROC_LEDGER(sleeplocks, nsleeplocks, push, lk); }
void ledger_wake(struct sleeplock *lk)     { PROC_LEDGER(sleeplocks, nsleeplocks, drop, lk); }
void ledger_buf_get(struct buf *b)         { PROC_LEDGER(bufs, nbufs, push, b); }
void ledger_buf_put(struct buf *b)         { PROC_LEDGER(bufs, nbufs, drop, b); }
void ledger_inode_get(struct inode *ip)    { PROC_LEDGER(inodes, ninodes, push, ip); }
void ledger_inode_put(struct inode *ip)    { PROC_LEDGER(inodes, ninodes, drop, ip); }
void ledger_inode_keep(struct inode *ip)   { PROC_LEDGER(inodes, ninodes, drop, ip); }

void
ledger_op_begin(void)
{
  struct proc *p = myproc();
  if(p){
    p->ledger.in_op = 1;
    p->ledger.op_writes = 0;
  }
}

void
ledger_op_end(void)
{
  struct proc *p = myproc();
  if(p)
    p->ledger.in_op = 0;
}

void
ledger_op_write(void)
{
  struct proc *p = myproc();
  if(p)
    p->ledger.op_writes++;
}
#endif
