// Ev6 call history: the functions active on the interrupted kernel stack,
// innermost first, found by walking frame pointers and naming each return
// address with the build-time symbol table (ksyms.h).
//
// Frame layout under -fno-omit-frame-pointer on RISC-V: s0 points just
// above the frame; a function that calls others saves ra at s0-8 and the
// caller's s0 at s0-16; a leaf saves only the caller's s0, at s0-8, and
// keeps the return address in ra. Before the prologue has set s0 (a
// breakpoint at a function's first instruction), ra and s0 still belong to
// the caller.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/ksyms.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

extern char stack0[];   // start.c: boot stacks, one page per hart

// The symbol whose code contains pc, or 0.
const struct ksym *
ksym_lookup(uint64 pc)
{
  int lo = 0, hi = nksyms - 1;

  if(nksyms == 0 || pc < ksyms[0].start)
    return 0;
  while(lo < hi){   // last symbol with start <= pc
    int mid = (lo + hi + 1) / 2;
    if(ksyms[mid].start <= pc)
      lo = mid;
    else
      hi = mid - 1;
  }
  return &ksyms[lo];
}

// The stack that sp is on: a hart's boot stack or a one-page kernel stack.
static void
stack_bounds(uint64 sp, uint64 *lo, uint64 *hi)
{
  uint64 boot = (uint64)stack0;

  if(sp >= boot && sp <= boot + NCPU*PGSIZE){
    *lo = boot + ((sp - boot - 1) / PGSIZE) * PGSIZE;
    *hi = *lo + PGSIZE;
  } else {
    *lo = PGROUNDDOWN(sp - 1);
    *hi = *lo + PGSIZE;
  }
}

// Fill h with the call history of a context interrupted at pc, with
// registers ra, sp and s0 as they were then.
void
ev6_history_walk(struct ev6_history *h, uint64 pc, uint64 ra, uint64 sp, uint64 fp)
{
  uint64 lo, hi;
  const struct ksym *sym;

  h->n = 0;
  stack_bounds(sp, &lo, &hi);
  if((sym = ksym_lookup(pc)) == 0)
    return;
  h->fn[h->n++] = sym;

  if(pc < sym->frame_ready){
    pc = ra;                         // frame not set up yet
  } else if(!sym->saves_ra){
    if(fp < lo + 8 || fp > hi)
      return;
    pc = ra;                         // leaf
    fp = *(uint64*)(fp - 8);
  } else {
    if(fp < lo + 16 || fp > hi)
      return;
    pc = *(uint64*)(fp - 8);
    fp = *(uint64*)(fp - 16);
  }

  while(h->n < EV6_HISTORY_MAX){
    // pc is a return address: the call is just before it.
    if((sym = ksym_lookup(pc - 2)) == 0)
      return;
    h->fn[h->n++] = sym;
    if(fp < lo + 16 || fp > hi || (fp & 7) != 0)
      return;
    pc = *(uint64*)(fp - 8);
    fp = *(uint64*)(fp - 16);
  }
}

// Is a function with this name in the history? Returns its depth (0 =
// innermost) or -1.
int
ev6_history_find(struct ev6_history *h, const char *name)
{
  int i;

  for(i = 0; i < h->n; i++)
    if(strncmp(h->fn[i]->name, name, 64) == 0)
      return i;
  return -1;
}
