// Physical page allocator: hands out the 4096-byte pages between the end of
// the kernel image and PHYSTOP, for user memory, page-table pages, kernel
// stacks and pipe buffers.
//
// Free pages form a singly linked list threaded through the pages
// themselves (struct run). kmem.nfree counts them, so freepages() can check
// for leaks in O(1). Freed pages are filled with junk so that a dangling
// reference shows up quickly, and so are allocated ones; Ev6's replica
// pages, whose bytes only their own code reads, and never before writing
// them, skip both fills (kalloc_unfilled, kfree_unfilled).
//
// Ev6: a page's type in the registry's map changes only under kmem.lock,
// together with the list, so the map always says exactly which pages are
// free (type run): kmem_recover rebuilds the list and the count from it.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/kalloc.h"
#include "kernel/riscv.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

extern char end[];   // first address after the kernel image, see kernel.ld

struct kmem kmem;

void
kinit(void)
{
  char *p;

  initlock(&kmem.lock, "kmem");
  for(p = (char*)PGROUNDUP((uint64)end); p + PGSIZE <= (char*)PHYSTOP; p += PGSIZE)
    kfree(p);
}

// Put the page at pa on the free list; fill, if set, fills it with junk
// first. Inlined into both: each is its own site frame.
static inline __attribute__((always_inline)) void
put_page(void *pa, int fill)
{
  struct run *r;

  if(((uint64)pa % PGSIZE) != 0 || (char*)pa < end || (uint64)pa >= PHYSTOP)
    panic("kfree: bad address");

  FI_SITE(kfree, &kmem);
  if(fill)
    memset(pa, 1, PGSIZE);
  r = (struct run*)pa;

  acquire(&kmem.lock);
  FI_ACCESS(kmem.freelist);   // the node the freed page will link to
#if RECOVERY
  ev6_page_set(pa, EV6_T_RUN);
#endif
  r->next = kmem.freelist;
  kmem.freelist = r;
  kmem.nfree++;
  release(&kmem.lock);
}

// Give back the page at pa, which kalloc() returned (or kinit() found).
void
kfree(void *pa)
{
  put_page(pa, 1);
}

#if RECOVERY
// kfree for a page that kalloc_unfilled returned: it is not filled with
// junk. Only the replica code reads such a page, never a byte it has
// not written since it took the page (kalloc_unfilled), and it drops
// every pointer to the page before freeing it.
void
kfree_unfilled(void *pa)
{
  put_page(pa, 0);
}
#endif

// Take a page off the free list (it holds kfree's junk), or 0 when memory
// is exhausted. Inlined into both allocators: each is its own site frame.
static inline __attribute__((always_inline)) struct run *
take_page(void)
{
  struct run *r;

  FI_SITE(kalloc, &kmem);
  acquire(&kmem.lock);
  r = kmem.freelist;
  if(r){
    FI_ACCESS(r);
    kmem.freelist = r->next;
    kmem.nfree--;
#if RECOVERY
    ev6_page_set(r, EV6_T_PAGE);
#endif
  }
  release(&kmem.lock);
  return r;
}

// Take one page; returns 0 when memory is exhausted. The caller owns the page.
void *
kalloc(void)
{
  struct run *r = take_page();

  if(r)
    memset((char*)r, 5, PGSIZE);
  return (void*)r;
}

#if RECOVERY
// kalloc for a page whose bytes the caller never reads before writing
// them (Ev6's replica pages, one per address space): the page keeps what
// it held on the free list (kfree's junk, or an old replica page's bytes,
// kfree_unfilled) instead of getting kalloc's junk, which saves filling
// it.
void *
kalloc_unfilled(void)
{
  return take_page();
}
#endif

uint64
kfreecount(void)
{
  uint64 n;

  acquire(&kmem.lock);
  n = kmem.nfree;
  release(&kmem.lock);
  return n;
}

uint64
kretiredcount(void)
{
  return kmem.nretired;
}

#if RECOVERY
uint64
kmem_register(void)
{
  ev6_registry_add(EV6_T_KMEM, &kmem, 1, sizeof(kmem));
  return 0;
}

// Wait (briefly: a kalloc or kfree holds it for a few instructions) until
// no other hart holds kmem.lock. The ledger says who holds it; a lock word
// set with no holder listed is a hart between taking it and listing it,
// or damage. Returns 0, or -1 if another hart still holds it: that hart
// may be queued behind this recovery, so waiting longer could deadlock.
static int
kmem_quiet(void)
{
  struct cpu *holder = 0;
  int spins;

  for(spins = 0; spins < KMEM_QUIET_SPINS; spins++){
    holder = ev6_spinlock_holder(&kmem.lock);
    if(holder == mycpu() || (holder == 0 && !kmem.lock.locked))
      return 0;
  }
  return holder && holder != mycpu() ? -1 : 0;
}

// Thread every page of type run onto a new list, in address order as
// kinit left it, and count them. The page the error is in, if it is a
// free page, is retired first: it stays out of circulation.
static void
rebuild_freelist(struct ev6_error *e)
{
  struct run *head = 0;
  uint64 n = 0;
  char *p;

  // (Unless another hart took it off the list meanwhile: it is in use.)
  if(e->obj.type == EV6_T_RUN &&
     ev6_page_type[((uint64)e->obj.base - KERNBASE) / PGSIZE] == EV6_T_RUN){
    ev6_page_set(e->obj.base, EV6_T_RETIRED);
    kmem.nretired++;
  }
  for(p = (char*)PGROUNDUP((uint64)end); p + PGSIZE <= (char*)PHYSTOP; p += PGSIZE){
    if(ev6_page_type[((uint64)p - KERNBASE) / PGSIZE] != EV6_T_RUN)
      continue;
    ((struct run*)p)->next = head;
    head = (struct run*)p;
    n++;
  }
  kmem.freelist = head;
  kmem.nfree = n;
}

// Restore kmem (its lock, list head or count was damaged) or discard a
// damaged free page (its run node): in both cases the free list is
// rebuilt from the page-type map, which names every free page, so no page
// is lost; a damaged run page is retired, and its bad address with it.
int
kmem_recover(struct ev6_error *e)
{
  if(kmem_quiet() < 0){
    e->reason = "kmem-busy";
    return -1;
  }
  ev6_rebuild_spinlock(&kmem.lock, "kmem");
  rebuild_freelist(e);
  if(e->obj.type == EV6_T_RUN)
    ev6_poison_clear(e->obj.base, PGSIZE);   // no one reads the page again
  else
    ev6_poison_clear(&kmem, sizeof(kmem));
  return 0;
}
#endif
