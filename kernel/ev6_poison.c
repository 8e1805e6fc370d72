// Ev6 poison table: addresses reported bad. An address stays bad (every
// checked access reports it again) until a handler rebuilds the object
// that contains it and clears it.
//
// In FAULTS=1 builds the ev6_inject system call marks an address bad
// without a debugger, and every fault-injection site (FI_SITE in fi.h)
// checks the object it is about to touch: a bad one raises the hardware-
// error exception there, through the normal trap vector, as a hart's read
// would. The raise is an ebreak with the address parked in the hart's
// cpu struct; kerneltrap turns it into exception 19.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#if RECOVERY
volatile int ev6_npoison;            // entries in use; 0 makes checks free
static volatile uint64 poison[NPOISON];  // bad addresses; 0 = free slot

// Mark addr bad. A full table forgets nothing already marked.
void
ev6_poison_add(uint64 addr)
{
  int i;

  for(i = 0; i < NPOISON; i++)
    if(poison[i] == addr)
      return;
  for(i = 0; i < NPOISON; i++){
    if(__sync_bool_compare_and_swap(&poison[i], 0, addr)){
      __sync_fetch_and_add(&ev6_npoison, 1);
      return;
    }
  }
}

// The object [base, base+size) has been rebuilt: its addresses are good.
void
ev6_poison_clear(void *base, uint64 size)
{
  uint64 a = (uint64)base;
  int i;

  for(i = 0; i < NPOISON; i++){
    uint64 x = poison[i];
    if(x && x >= a && x < a + size && __sync_bool_compare_and_swap(&poison[i], x, 0))
      __sync_fetch_and_sub(&ev6_npoison, 1);
  }
#if FAULTS
  fi_walk_repaired(base, size);
#endif
}

// The first bad address in [base, base+size), or 0.
static uint64
first_poisoned(void *base, uint64 size)
{
  uint64 a = (uint64)base;
  int i;

  for(i = 0; i < NPOISON; i++){
    uint64 x = poison[i];
    if(x && x >= a && x < a + size)
      return x;
  }
  return 0;
}

int
ev6_poisoned(void *base, uint64 size)
{
  return first_poisoned(base, size) != 0;
}

#if FAULTS
// An access point is about to read [base, base+size): report a bad
// address in it (fi_raise).
void
ev6_access(void *base, uint64 size)
{
  uint64 addr = first_poisoned(base, size);

  if(addr != 0)
    fi_raise(addr);
}

// The physical page under the kernel stack that sp points into: errors
// name RAM, not the stack's virtual address. From the kernel's page-table
// replica: walking the table would read the table, which may be the
// object being recovered.
void *
ev6_kstack_page(uint64 sp)
{
  return (void*)ptrep_kernel_pa(PGROUNDDOWN(sp));
}

// Take the address an ebreak from ev6_access raised on this hart, if any.
// Interrupts are off (called from kerneltrap).
uint64
ev6_take_raised(void)
{
  uint64 addr = mycpu()->raised_addr;

  mycpu()->raised_addr = 0;
  return addr;
}

// EV6_INJECT_USER: the address the next return of p to user mode meets.
static uint64 user_raised[NPROC];

void
ev6_raise_user(struct proc *p, uint64 addr)
{
  user_raised[p - proc] = addr;
}

// Take it (usertrap, after p's system call).
uint64
ev6_take_user_raised(struct proc *p)
{
  uint64 addr = user_raised[p - proc];

  user_raised[p - proc] = 0;
  return addr;
}
#endif
#endif
