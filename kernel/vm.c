// Sv39 virtual memory: the kernel page table, user page tables, and copying
// between kernel and user address spaces.
//
// The kernel page table maps devices and RAM one-to-one, the trampoline page
// at the top of virtual memory, and each process's kernel stack below it
// with an unmapped guard page beneath each stack.
//
// A user page table maps the user image from 0 up to p->sz, plus the
// trapframe and trampoline pages at the top (neither has PTE_U). Every page
// below p->sz is mapped; pages above it are not.
//
// Ev6: every change to a table is also made to its replica
// (ev6_ptrep.c), from which a damaged page-table page is rebuilt.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"
#if RECOVERY
#include "kernel/ptrep.h"
#endif

pagetable_t kernel_pagetable;

extern char etext[];       // end of kernel text, see kernel.ld
extern char _trampoline[]; // trampoline.S

static pagetable_t
kvmmake(void)
{
  pagetable_t kpgtbl = (pagetable_t)kalloc();

  if(kpgtbl == 0)
    panic("kvmmake: out of memory");
  memset(kpgtbl, 0, PGSIZE);
#if RECOVERY
  ptrep_init();
  ev6_page_set(kpgtbl, EV6_T_PAGETABLE);
#endif
  kernel_pagetable = kpgtbl;   // mappages tells the kernel's table by it

  kvmmap(kpgtbl, TESTDEV, TESTDEV, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, UART0, UART0, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, VIRTIO0, VIRTIO0, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, PLIC, PLIC, 0x4000000, PTE_R | PTE_W);
  kvmmap(kpgtbl, KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_R | PTE_X);
  kvmmap(kpgtbl, (uint64)etext, (uint64)etext, PHYSTOP - (uint64)etext, PTE_R | PTE_W);
  kvmmap(kpgtbl, TRAMPOLINE, (uint64)_trampoline, PGSIZE, PTE_R | PTE_X);
  proc_mapstacks(kpgtbl);
#if TRACE
  trace_shadow_map(kpgtbl);
#endif
  return kpgtbl;
}

void
kvminit(void)
{
  kvmmake();
}

// Turn on paging with the kernel page table on this hart.
void
kvminithart(void)
{
  sfence_vma();   // earlier page-table writes are complete
  w_satp(MAKE_SATP(kernel_pagetable));
}

// walk's allocation of a missing page-table page for va at level (2 or
// 1) of root's table, whose entry is pte. Returns the new page, or 0 when
// memory runs out. Out of line: walk, which runs for every page touched,
// then keeps its few registers for the lookup itself.
static pagetable_t __attribute__((noinline))
walk_grow(pagetable_t root, int level, uint64 va, pte_t *pte)
{
  pagetable_t pt = (pagetable_t)kalloc();

  if(pt == 0)
    return 0;
  memset(pt, 0, PGSIZE);
#if RECOVERY
  if(ptrep_table(root, level - 1, va, pt) < 0){
    kfree(pt);
    return 0;
  }
  ev6_page_set(pt, EV6_T_PAGETABLE);
#endif
  *pte = PA2PTE(pt) | PTE_V;
  return pt;
}

// The PTE for va in pagetable, or 0. With alloc set, missing page-table
// pages are allocated (and 0 is returned only when memory runs out).
pte_t *
walk(pagetable_t pagetable, uint64 va, int alloc)
{
  pagetable_t root = pagetable;
  int level;

  if(va >= MAXVA)
    panic("walk: va out of range");
  FI_SITE(walk, pagetable);

#pragma GCC unroll 2
  for(level = 2; level > 0; level--){
    pte_t *pte = &pagetable[PX(level, va)];
    FI_ACCESS(pte);
    if(*pte & PTE_V)
      pagetable = (pagetable_t)PTE2PA(*pte);
    else if(!alloc || (pagetable = walk_grow(root, level, va, pte)) == 0)
      return 0;
  }
  return &pagetable[PX(0, va)];
}

// Physical address of the user page at va, or 0 if it is not mapped for
// user access with all of the flags in need. Every copy between kernel
// and user memory looks its pages up here.
uint64
walkaddr(pagetable_t pagetable, uint64 va, int need)
{
  pte_t *pte;

  if(va >= MAXVA)
    return 0;
  FI_SITE(walkaddr, pagetable);
  pte = walk(pagetable, va, 0);
  if(pte == 0)
    return 0;
  FI_ACCESS(pte);
  if((*pte & (PTE_V | PTE_U | need)) != (PTE_V | PTE_U | need))
    return 0;
  return PTE2PA(*pte);
}

// Map [va, va+sz) to pa in the kernel page table during boot.
void
kvmmap(pagetable_t kpgtbl, uint64 va, uint64 pa, uint64 sz, int perm)
{
  if(mappages(kpgtbl, va, sz, pa, perm) != 0)
    panic("kvmmap");
#if RECOVERY
  ptrep_kernel_region(va, pa, sz, perm);
#endif
}

// Map the pages covering [va, va+size) to consecutive physical pages from
// pa. va and size must be page aligned. Returns -1 when a page-table page
// cannot be allocated; pages mapped so far stay mapped.
int
mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm)
{
  uint64 a, last;
  pte_t *pte;

  if((va % PGSIZE) != 0 || (size % PGSIZE) != 0 || size == 0)
    panic("mappages: misaligned");

  last = va + size - PGSIZE;
  for(a = va; ; a += PGSIZE, pa += PGSIZE){
    if((pte = walk(pagetable, a, 1)) == 0)
      return -1;
    if(*pte & PTE_V)
      panic("mappages: remap");
#if RECOVERY
    if(ptrep_map(pagetable, a, pa, perm) < 0)
      return -1;
#endif
    *pte = PA2PTE(pa) | perm | PTE_V;
    if(a == last)
      break;
  }
  return 0;
}

// Remove npages of mappings from va, which must be mapped. With do_free,
// the physical pages go back to the allocator.
void
uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free)
{
  uint64 a;
  pte_t *pte;

  if((va % PGSIZE) != 0)
    panic("uvmunmap: misaligned");

  for(a = va; a < va + npages*PGSIZE; a += PGSIZE){
    if((pte = walk(pagetable, a, 0)) == 0 || (*pte & PTE_V) == 0)
      panic("uvmunmap: not mapped");
    if(PTE_FLAGS(*pte) == PTE_V)
      panic("uvmunmap: not a leaf");
    if(do_free)
      kfree((void*)PTE2PA(*pte));
    *pte = 0;
#if RECOVERY
    ptrep_update(pagetable, a, 0);
#endif
  }
}

// An empty user page table, or 0 when out of memory.
pagetable_t
uvmcreate(void)
{
  pagetable_t pagetable = (pagetable_t)kalloc();

  if(pagetable){
    memset(pagetable, 0, PGSIZE);
#if RECOVERY
    ledger_page(pagetable);
    if(ptrep_create(pagetable) < 0){
      ledger_page(0);
      kfree(pagetable);
      return 0;
    }
    ledger_page(0);
    ev6_page_set(pagetable, EV6_T_PAGETABLE);
#endif
  }
  return pagetable;
}

// Grow user memory from oldsz to newsz with zeroed pages mapped
// PTE_R|PTE_U|xperm. Returns the new size, or 0 (with nothing changed)
// when memory runs out.
uint64
uvmalloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz, int xperm)
{
  uint64 a;
  char *mem;
  LEDGER_PROC_ONCE(lp);

  if(newsz < oldsz)
    return oldsz;

  for(a = PGROUNDUP(oldsz); a < newsz; a += PGSIZE){
    mem = kalloc();
    if(mem == 0)
      goto out_dealloc;
    memset(mem, 0, PGSIZE);
    ledger_page_of(lp, mem);
    if(mappages(pagetable, a, PGSIZE, (uint64)mem, PTE_R | PTE_U | xperm) != 0){
      ledger_page_of(lp, 0);
      kfree(mem);
      goto out_dealloc;
    }
    ledger_page_of(lp, 0);
  }
  return newsz;

out_dealloc:
  uvmdealloc(pagetable, a, oldsz);
  return 0;
}

// Shrink user memory from oldsz to newsz, freeing the pages. Returns the
// new size.
uint64
uvmdealloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz)
{
  if(newsz >= oldsz)
    return oldsz;

  if(PGROUNDUP(newsz) < PGROUNDUP(oldsz)){
    uint64 npages = (PGROUNDUP(oldsz) - PGROUNDUP(newsz)) / PGSIZE;
    uvmunmap(pagetable, PGROUNDUP(newsz), npages, 1);
#if RECOVERY
    ptrep_shrink(pagetable, newsz);
#endif
  }
  return newsz;
}

// Free the tables below pagetable, whose leaf mappings are already gone
// (not pagetable itself). Each child is unlinked before it is freed: a
// kfree cut short by an error (its page already filled with junk, the
// caller killed: kmem's PK) leaves no link to that page, so a later walk
// of what is left of the tree never reads it.
static void
freewalk(pagetable_t pagetable)
{
  int i;

  for(i = 0; i < 512; i++){
    pte_t pte = pagetable[i];
    if((pte & PTE_V) && (pte & (PTE_R|PTE_W|PTE_X)) == 0){
      pagetable[i] = 0;
      freewalk((pagetable_t)PTE2PA(pte));
      kfree((void*)PTE2PA(pte));
    } else if(pte & PTE_V){
      panic("freewalk: leaf still mapped");
    }
  }
}

// Free the user pages [0, sz) and then the page table itself. With
// recovery, the replica says which pages are mapped, also after a
// system call that grew or shrank the space was unwound half way; it
// goes before the root's own page, so an error in that last kfree leaves
// no replica naming a junk-filled root (ptrep_settle would walk it).
void
uvmfree(pagetable_t pagetable, uint64 sz)
{
#if RECOVERY
  ptrep_free_leaves(pagetable);
#else
  if(sz > 0)
    uvmunmap(pagetable, 0, PGROUNDUP(sz)/PGSIZE, 1);
#endif
  freewalk(pagetable);
#if RECOVERY
  ptrep_release(pagetable);
#endif
  kfree((void*)pagetable);
}

// Copy the user pages [0, sz) of old into new, data and flags. On failure
// new is left with nothing mapped below sz and -1 is returned.
int
uvmcopy(pagetable_t old, pagetable_t new, uint64 sz)
{
  uint64 va;
  pte_t *pte;
  char *mem;
  LEDGER_PROC_ONCE(lp);

#if RECOVERY
  ptrep_copy_perms(old, new);
#endif
  for(va = 0; va < sz; va += PGSIZE){
    if((pte = walk(old, va, 0)) == 0 || (*pte & PTE_V) == 0)
      panic("uvmcopy: page not present");
    if((mem = kalloc()) == 0)
      goto out_unmap;
    memmove(mem, (char*)PTE2PA(*pte), PGSIZE);
    ledger_page_of(lp, mem);
    if(mappages(new, va, PGSIZE, (uint64)mem, PTE_FLAGS(*pte)) != 0){
      ledger_page_of(lp, 0);
      kfree(mem);
      goto out_unmap;
    }
    ledger_page_of(lp, 0);
  }
  return 0;

out_unmap:
  uvmunmap(new, 0, va / PGSIZE, 1);
  return -1;
}

// Make the page at va inaccessible to user code (the stack guard page).
void
uvmclear(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);

  if(pte == 0)
    panic("uvmclear");
  *pte &= ~PTE_U;
#if RECOVERY
  ptrep_update(pagetable, va, *pte);
#endif
}

// Copy len bytes between the kernel buffer kbuf and user address va:
// to user space if to_user, else from it. Returns 0, or -1 if any user
// byte is not mapped for user access (and writable, when copying to it).
static int
copy_user(pagetable_t pagetable, uint64 va, char *kbuf, uint64 len, int to_user)
{
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(va);
    char *pa0 = (char*)walkaddr(pagetable, va0, to_user ? PTE_W : PTE_R);
    uint64 n;

    if(pa0 == 0)
      return -1;
    n = PGSIZE - (va - va0);
    if(n > len)
      n = len;
    if(to_user)
      memmove(pa0 + (va - va0), kbuf, n);
    else
      memmove(kbuf, pa0 + (va - va0), n);
    len -= n;
    kbuf += n;
    va = va0 + PGSIZE;
  }
  return 0;
}

int
copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len)
{
  return copy_user(pagetable, dstva, src, len, 1);
}

int
copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len)
{
  return copy_user(pagetable, srcva, dst, len, 0);
}

// Copy a NUL-terminated string of at most max bytes (NUL included) from
// user srcva to dst. Returns 0, or -1 if it is unmapped or too long.
int
copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max)
{
  while(max > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    char *pa0 = (char*)walkaddr(pagetable, va0, PTE_R);
    char *p;
    uint64 n;

    if(pa0 == 0)
      return -1;
    n = PGSIZE - (srcva - va0);
    if(n > max)
      n = max;
    for(p = pa0 + (srcva - va0); n > 0; n--, max--, p++, dst++){
      *dst = *p;
      if(*p == '\0')
        return 0;
    }
    srcva = va0 + PGSIZE;
  }
  return -1;
}
