// Physical page allocator: hands out the 4096-byte pages between the end of
// the kernel image and PHYSTOP, for user memory, page-table pages, kernel
// stacks and pipe buffers.
//
// Free pages form a singly linked list threaded through the pages
// themselves (struct run). kmem.nfree counts them, so freepages() can check
// for leaks in O(1). Freed pages are filled with junk so that a dangling
// reference shows up quickly.
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

// Give back the page at pa, which kalloc() returned (or kinit() found).
void
kfree(void *pa)
{
  struct run *r;

  if(((uint64)pa % PGSIZE) != 0 || (char*)pa < end || (uint64)pa >= PHYSTOP)
    panic("kfree: bad address");

  FI_SITE(kfree, &kmem);
  memset(pa, 1, PGSIZE);
  r = (struct run*)pa;
#if RECOVERY
  ev6_page_set(pa, EV6_T_RUN);
#endif

  acquire(&kmem.lock);
  r->next = kmem.freelist;
  kmem.freelist = r;
  kmem.nfree++;
  release(&kmem.lock);
}

// Take one page; returns 0 when memory is exhausted. The caller owns the page.
void *
kalloc(void)
{
  struct run *r;

  FI_SITE(kalloc, &kmem);
  acquire(&kmem.lock);
  r = kmem.freelist;
  if(r){
    kmem.freelist = r->next;
    kmem.nfree--;
  }
  release(&kmem.lock);

  if(r){
    memset((char*)r, 5, PGSIZE);
#if RECOVERY
    ev6_page_set(r, EV6_T_PAGE);
#endif
  }
  return (void*)r;
}

uint64
kfreecount(void)
{
  uint64 n;

  acquire(&kmem.lock);
  n = kmem.nfree;
  release(&kmem.lock);
  return n;
}

#if RECOVERY
uint64
kmem_register(void)
{
  ev6_registry_add(EV6_T_KMEM, &kmem, 1, sizeof(kmem));
  return 0;
}
#endif
