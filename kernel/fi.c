// Fault-injection site counters and markers (FAULTS=1 builds only); see
// fi.h for the debugger's side.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/fi.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if FAULTS
volatile int fi_site_armed;     // enum fi_site, written by the debugger
volatile int fi_site_target;    // hit number that calls fi_trap (1 = first)
volatile int fi_site_hits;      // hits since arming
char fi_workload_name[16];      // exec of this program calls fi_workload_start

// Break here: obj is the object the site is about to touch, and the caller
// is the site function.
__attribute__((noinline)) void
fi_trap(void *obj)
{
  asm volatile("" : : "r"(obj) : "memory");
}

// Break here to arm a site when the workload starts.
__attribute__((noinline)) void
fi_workload_start(void)
{
  asm volatile("" : : : "memory");
}

#if RECOVERY
// Report a bad address on this hart now, as the hardware would: for an
// access point's check (ev6_access) and a site's damage (EV6_INJECT_FLIP).
// The raise is an ebreak with the address parked in the hart's cpu struct;
// kerneltrap turns it into exception 19. A fi_ function, so that the
// report names the caller's function (ev6.c skips fi_ frames). Interrupts
// stay off from naming the address on this hart until the ebreak has
// trapped here: a clock interrupt in between could move the process to
// another hart, whose trap would find no raised address (a kerneltrap
// panic, seen once under host load). Not push_off: if recovery unwinds,
// it never comes back to pop.
void
fi_raise(uint64 addr)
{
  int on;

  if(ev6_stopping)
    return;
  on = intr_get();
  intr_off();
  mycpu()->raised_addr = addr;
  asm volatile("ebreak");   // kerneltrap restores sstatus: interrupts still off
  if(on)
    intr_on();
}

// Set by fi_arm_poison: on the target hit, mark byte fi_poison_offset of
// the site's object bad, so the site's own access check reports it; or,
// with fi_poison_flip, damage it (EV6_INJECT_FLIP).
static volatile int fi_poison_armed;
static volatile int fi_poison_offset;
static volatile int fi_poison_flip;

// Arm site for the ev6_inject system call: its next hit poisons the
// object it touches, as a debugger's breakpoint delivery would. Damage
// (flip) waits until no recovery is running: a lock word flipped again
// while its recovery waits on it, or once that recovery has cleared it,
// is set again with no holder, a fail-stop (lock-stuck) that the
// campaign's single error per run never causes.
void
fi_arm_poison(int site, int offset, int flip)
{
  int i;

  for(i = 0; flip && i < NCPU; i++)
    if(ev6_hart_recovering(i))
      return;
  fi_site_armed = 0;
  fi_site_hits = 0;
  fi_site_target = 1;
  fi_poison_offset = offset;
  fi_poison_flip = flip;
  fi_poison_armed = 1;
  __sync_synchronize();
  fi_site_armed = site;
}

void
fi_disarm(void)
{
  fi_site_armed = 0;
  fi_poison_armed = 0;
}
#endif

#if RECOVERY
// Break here: the walk for the instruction at sepc met the damaged entry
// at pte, whose error the trap path raises next (GDB's consumer stop).
__attribute__((noinline)) void
fi_walk(uint64 pte, uint64 sepc)
{
  asm volatile("" : : "r"(pte), "r"(sepc) : "memory");
}

// The MMU's report of a damaged page-table entry. QEMU's watchpoints do
// not see a hart's own page-table walk, so for delivery = access GDB
// clears the damaged entry's valid bit and names it here: the walk that
// reads it then raises a page fault for the address it translated instead
// of the hardware error for the entry (campaign/gdbscripts/walks.py), and
// the trap path raises that error itself, as the walk would have
// (fi_walk_met). Disarmed when the entry's page is restored
// (ev6_poison_clear).
volatile uint64 fi_walk_pte;     // the damaged entry, written by the debugger
volatile int fi_walk_raised;     // its error was raised (by a walk, or GDB)

// Did the walk for va from root meet the damaged entry? Its address, if
// this hart is to raise its error; FI_WALK_AGAIN if it was raised already
// (the access faults again until the recovery has restored the entry); 0
// if not. No entry at or below the damaged one is read: a read is a
// software consumer, GDB's watchpoint on it.
uint64
fi_walk_met(pagetable_t root, uint64 va, uint64 sepc)
{
  uint64 want = fi_walk_pte;
  pagetable_t pt = root;
  int level;

  if(want == 0 || va >= MAXVA)
    return 0;
  for(level = 2; level >= 0; level--){
    pte_t *pte = &pt[PX(level, va)];
    if((uint64)pte == want){
      if(__sync_lock_test_and_set(&fi_walk_raised, 1))
        return FI_WALK_AGAIN;
      fi_walk(want, sepc);
      return want;
    }
    if((*pte & PTE_V) == 0 || (*pte & (PTE_R | PTE_W | PTE_X)) != 0)
      return 0;
    pt = (pagetable_t)PTE2PA(*pte);
  }
  return 0;
}

// [base, base+size) is good again: so is the damaged entry if it is there.
void
fi_walk_repaired(void *base, uint64 size)
{
  if(fi_walk_pte >= (uint64)base && fi_walk_pte < (uint64)base + size){
    fi_walk_pte = 0;
    __sync_synchronize();
    fi_walk_raised = 0;
  }
}
#endif

// Count one hit of the armed site. Several harts may race here; the
// atomic increment makes exactly one of them see the target hit.
void
fi_site_hit(void *obj)
{
  if(__sync_add_and_fetch(&fi_site_hits, 1) != fi_site_target)
    return;
#if RECOVERY
  if(fi_poison_armed){
    fi_poison_armed = 0;
    fi_site_armed = 0;
    if(fi_poison_flip){
      // As the campaign's breakpoint delivery: the bytes are damaged and
      // only this hart takes the error; the others read the damage (a
      // lock word: they spin on it).
      *((volatile char*)obj + fi_poison_offset) ^= 2;
      fi_raise((uint64)obj + fi_poison_offset);
      return;
    }
    ev6_poison_add((uint64)obj + fi_poison_offset);
    return;
  }
#endif
  fi_trap(obj);
}

// Called by exec with the new program's name.
void
fi_exec_hook(char *name)
{
#if TRACE
  ev6_trace_exec();
#endif
  if(fi_workload_name[0] && strncmp(name, fi_workload_name, sizeof(fi_workload_name)) == 0)
    fi_workload_start();
}
#endif
