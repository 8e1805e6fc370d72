// Spinlocks.
//
// acquire() turns interrupts off on this hart before it spins, and they stay
// off until the hart has released every spinlock it holds: an interrupt
// handler that wanted a lock this hart already holds would spin forever.
// push_off()/pop_off() count the nesting and remember whether interrupts
// were on before the outermost push_off().
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/riscv.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/defs.h"

void
initlock(struct spinlock *lk, char *name)
{
  lk->name = name;
  lk->locked = 0;
  lk->cpu = 0;
}

// One attempt to take lk; returns whether it was taken. Interrupts are off.
#if RECOVERY
// The ledger's slot just past its newest entry names lk from before the
// swap until the entry is made (heldtop moves over it) or the try fails
// (the slot is cleared): an error in between finds the lock there
// (ledger_taking), and the hart may hold it unlisted. Only this hart
// reads the slot that way (its own error trap, ev6.c), and it sees this
// hart's stores in program order: no fence. A full list has no slot; the
// try counts as lost instead, so recovery sees a partial list.
static int __attribute__((noinline)) take_full(struct cpu *c, struct spinlock *lk);

// The swap itself: lk is c's if it was free.
static inline int
swap_in(struct cpu *c, struct spinlock *lk)
{
  if(__sync_lock_test_and_set(&lk->locked, 1) != 0)
    return 0;
  // Nothing in the critical section may be moved before this point.
  __sync_synchronize();
  lk->cpu = c;
  return 1;
}

static inline int
take(struct spinlock *lk)
{
  struct cpu *c = mycpu();
  struct spinlock **top = c->heldtop;

  if(__builtin_expect(top >= c->held + LEDGER_MAX, 0))
    return take_full(c, lk);
  *top = lk;
  __asm__ volatile("" ::: "memory");   // the slot is written before the swap
  if(!swap_in(c, lk)){
    *top = 0;
    return 0;
  }
  c->heldtop = top + 1;
  return 1;
}

static int
take_full(struct cpu *c, struct spinlock *lk)
{
  c->heldlost++;
  __asm__ volatile("" ::: "memory");
  if(!swap_in(c, lk)){
    c->heldlost--;
    return 0;
  }
  return 1;
}
#else
static inline int
take(struct spinlock *lk)
{
  if(__sync_lock_test_and_set(&lk->locked, 1) != 0)
    return 0;
  __sync_synchronize();
  lk->cpu = mycpu();
  return 1;
}
#endif

#if RECOVERY
// acquire()'s wait for a lock its first try did not get. Only a wait is
// recorded (cpu->spinning), so the uncontended path is as before; out of
// line, so that acquire() saves no registers for it. The previous value
// comes back: a recovery's acquire may run on a hart whose interrupted
// context was spinning.
static void __attribute__((noinline))
spin(struct spinlock *lk)
{
  struct spinlock *was = mycpu()->spinning;

  mycpu()->spinning = lk;
  while(!take(lk))
    ;
  mycpu()->spinning = was;
}
#endif

void
acquire(struct spinlock *lk)
{
  push_off();
  if(holding(lk))
    panic(lk->name);   // acquiring a lock this hart holds would deadlock
  if(take(lk))
    return;
#if RECOVERY
  spin(lk);
#else
  while(!take(lk))
    ;
#endif
}

// Take lk if it becomes free within `spins` tries; returns whether it was
// taken. For code that must not wait for the holder (Ev6's recovery path:
// the holder may be a hart queued behind it).
int
tryacquire(struct spinlock *lk, int spins)
{
  push_off();
  if(holding(lk))
    panic(lk->name);
  for(; spins > 0; spins--)
    if(take(lk))
      return 1;
  pop_off();
  return 0;
}

void
release(struct spinlock *lk)
{
  if(!holding(lk))
    panic(lk->name);   // releasing a lock this hart does not hold

  ledger_unlock(lk->cpu, lk);
  lk->cpu = 0;
  // Every store of the critical section is visible before the lock is free.
  __sync_synchronize();
  __sync_lock_release(&lk->locked);
  pop_off();
}

// Is this hart holding lk? Interrupts must be off.
int
holding(struct spinlock *lk)
{
  return lk->locked && lk->cpu == mycpu();
}

void
push_off(void)
{
  int old = intr_get();

  intr_off();
  if(mycpu()->noff == 0)
    mycpu()->intena = old;
  mycpu()->noff += 1;
}

void
pop_off(void)
{
  struct cpu *c = mycpu();

  if(intr_get())
    panic("pop_off: interrupts on");
  if(c->noff < 1)
    panic("pop_off: not pushed");
  c->noff -= 1;
  if(c->noff == 0 && c->intena)
    intr_on();
}
