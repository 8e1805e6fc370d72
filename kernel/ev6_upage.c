// Ev6 surgery for a user page: only its owner is killed, the kernel goes
// on (as Linux's memory-failure handling does for anonymous pages).
// Beyond the paper, which fail-stops.
//
// Every page kalloc hands out is typed `page` until something gives it a
// purpose (ev6_page_set), so a `page` is a user page only if a process maps
// it with PTE_U; the owner is found by searching the page tables of the
// interrupted process first, then of the processes that are not running
// (their page tables cannot change while their lock is held). The page's
// content is lost with its owner: surgery zeroes it, which makes it good
// again, and the owner's exit frees it like any other page.
//
// xv6 has no page cache: every user page, even a program's text, is
// anonymous memory filled by exec, so no page can be re-read from its
// file transparently; that would need exec to remember each page's inode
// and offset.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
static int
maps(struct proc *p, uint64 pa)
{
  uint64 va;

  if(p->pagetable == 0)
    return 0;
  for(va = 0; va < p->sz; va += PGSIZE)
    if(walkaddr(p->pagetable, va, 0) == pa)
      return 1;
  return 0;
}

// The process mapping the user page pa, with its lock held unless it is
// the interrupted one (*locked says which), or 0; *unsure is set if a
// running process, whose page table could not be searched, may own it.
static struct proc *
owner_of(uint64 pa, int *locked, int *unsure)
{
  struct proc *me = myproc(), *p;

  *locked = 0;
  *unsure = 0;
  if(me && maps(me, pa))
    return me;
  for(p = proc; p < &proc[NPROC]; p++){
    if(p == me || p->state == UNUSED)
      continue;
    if(holding(&p->lock) || !tryacquire(&p->lock, EV6_TRYLOCK_SPINS)){
      *unsure = 1;
      continue;
    }
    if(p->state == RUNNING){
      *unsure = 1;
    } else if(p->state != USED && maps(p, pa)){
      *locked = 1;
      return p;
    }
    release(&p->lock);
  }
  return 0;
}

// Internal-Surgery (discard) for a user page: kill its owner.
int
upage_recover(struct ev6_error *e)
{
  uint64 pa = (uint64)e->obj.base;
  struct proc *p;
  int locked, unsure;

  if((p = owner_of(pa, &locked, &unsure)) == 0){
    e->reason = unsure ? "page-owner-running" : "page-not-a-user-page";
    return -1;
  }
  if(p->pid == 1){
    if(locked)
      release(&p->lock);
    e->reason = "init-process";
    return -1;
  }
  memset((void*)pa, 0, PGSIZE);   // the write makes the damaged bytes good
  ev6_poison_clear((void*)pa, PGSIZE);
  p->killed = 1;
  e->killed = p;
  if(locked){
    if(p->state == SLEEPING)
      p->state = RUNNABLE;        // as kill() does: it dies on its way out
    release(&p->lock);
  }
  return 0;
}
#endif
