// The ledger's (ledger.h) out-of-line part: removing an entry that is not
// the newest one, or from an overflowed list.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"

// Every hart's spinlock list starts empty; before the first acquire.
void
ledger_init(void)
{
  struct cpu *c;

  for(c = cpus; c < &cpus[NCPU]; c++)
    c->heldtop = c->held;
}

#if RECOVERY
// Remove lk from hart c's list when it is neither of the two newest
// entries (ledger_unlock does those). A lock the list does not have was
// one of the lost ones. The slot the top leaves is cleared (ledger.h).
void
ledger_unlock_deep(struct cpu *c, struct spinlock *lk)
{
  struct spinlock **e;

  for(e = c->heldtop - 1; e >= c->held; e--){
    if(*e == lk){
      for(; e < c->heldtop - 1; e++)
        e[0] = e[1];
      *--c->heldtop = 0;
      return;
    }
  }
  if(c->heldlost > 0)
    c->heldlost--;
}

// Remove the newest entry equal to x when it is not the newest of the
// list (ledger_drop does that). An entry the list does not have was one
// of the lost ones.
void
ledger_drop_deep(void **list, int *n, int *lost, void *x)
{
  int i, top = *n;

  for(i = top - 1; i >= 0; i--){
    if(list[i] == x){
      for(; i < top - 1; i++)
        list[i] = list[i+1];
      *n = top - 1;
      return;
    }
  }
  if(*lost > 0)
    (*lost)--;
}
#endif
