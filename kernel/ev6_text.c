// Ev6 surgery for kernel text. Beyond the paper, which fail-stops.
//
// At boot ev6_text_init checksums every page of kernel code and copies it
// to pages of its own (typed `text` in the registry). A damaged page of
// code is restored from its copy once the copy matches the page's boot
// checksum; a damaged page of the copy is restored from the code the same
// way. The interrupted code then simply goes on: the error was taken
// before the damaged instruction (or read) completed, and nothing the
// hart did before depended on the damaged bytes, so executing it again
// from the restored page is exact. No SF or PK is needed.
//
// Code that runs before the restore is complete (the trap entry, the
// recovery path, the locks, string functions and the process table's
// accessors: the files kernel.ld links between ev6_rtext and ev6_rtext_end)
// cannot be restored by itself: an error there fail-stops, named.
// Restoring writes the page through its kernel mapping, made writable for
// the copy only; the harts' instruction caches are then made coherent
// (QEMU notices code it translated being written; real hardware would
// need a remote fence.i on every hart).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
extern char etext[], ev6_rtext[], ev6_rtext_end[];

static uint text_sum[EV6_TEXT_PAGES];   // boot checksum of each page
static char *text_copy[EV6_TEXT_PAGES];  // its copy; 0 on the recovery path
static int ntext;

static int
on_recovery_path(char *page)
{
  return page >= ev6_rtext && page < ev6_rtext_end;
}

static uint
page_checksum(char *page)
{
  uint *w = (uint*)page, h = 2166136261u, i;   // FNV-1a over words

  for(i = 0; i < PGSIZE / sizeof(uint); i++)
    h = (h ^ w[i]) * 16777619u;
  return h;
}

// The kernel page table's leaf entry for va (the kernel maps 4 KB pages).
static pte_t *
kernel_pte(uint64 va)
{
  pagetable_t pt = kernel_pagetable;
  int level;

  for(level = 2; level > 0; level--){
    pte_t *pte = &pt[PX(level, va)];
    if((*pte & PTE_V) == 0)
      return 0;
    pt = (pagetable_t)PTE2PA(*pte);
  }
  return &pt[PX(0, va)];
}

// Checksum and copy the kernel's code. Returns the bytes kept.
uint64
ev6_text_init(void)
{
  int i, ncopies = 0;

  ntext = ((uint64)etext - KERNBASE) / PGSIZE;
  if(ntext > EV6_TEXT_PAGES)
    panic("ev6_text_init: raise EV6_TEXT_PAGES");
  for(i = 0; i < ntext; i++){
    char *page = (char*)KERNBASE + (uint64)i * PGSIZE;
    if(on_recovery_path(page))
      continue;
    ncopies++;
    if((text_copy[i] = kalloc()) == 0)
      panic("ev6_text_init: out of memory");
    memmove(text_copy[i], page, PGSIZE);
    text_sum[i] = page_checksum(page);
    ev6_page_set(text_copy[i], EV6_T_TEXT);
  }
  return sizeof(text_sum) + sizeof(text_copy) + (uint64)ncopies * PGSIZE;
}

// Which page of code, or of its copy, holds pa; *in_copy says which.
static int
text_page(uint64 pa, int *in_copy)
{
  int i;

  *in_copy = 0;
  if(pa >= KERNBASE && pa < (uint64)etext)
    return (pa - KERNBASE) / PGSIZE;
  *in_copy = 1;
  for(i = 0; i < ntext; i++)
    if(text_copy[i] && PGROUNDDOWN(pa) == (uint64)text_copy[i])
      return i;
  return -1;
}

#if FAULTS
// Where the copy of the code at pc is (ev6_inject damages it).
void *
ev6_text_copy(void *pc)
{
  uint64 off = (uint64)pc - KERNBASE;

  return text_copy[off / PGSIZE] + off % PGSIZE;
}
#endif

// Internal-Surgery (restore) for a page of kernel code or of its copy.
int
text_recover(struct ev6_error *e)
{
  int i, in_copy;
  char *code;
  pte_t *pte;

  if((i = text_page(e->obj.addr, &in_copy)) < 0){
    e->reason = "unrecoverable-object";
    return -1;
  }
  code = (char*)KERNBASE + (uint64)i * PGSIZE;
  if(on_recovery_path(code)){
    e->reason = "recovery-path-text";
    return -1;
  }
  if(page_checksum(in_copy ? code : text_copy[i]) != text_sum[i]){
    e->reason = "text-copy-bad";
    return -1;
  }
  if(in_copy){
    memmove(text_copy[i], code, PGSIZE);
    ev6_poison_clear(text_copy[i], PGSIZE);
    return 0;
  }
  if((pte = kernel_pte((uint64)code)) == 0){
    e->reason = "text-not-mapped";
    return -1;
  }
  *pte |= PTE_W;
  sfence_vma();
  memmove(code, text_copy[i], PGSIZE);
  *pte &= ~PTE_W;
  sfence_vma();
  asm volatile(".word 0x0000100f" ::: "memory");   // fence.i (Zifencei)
  ev6_poison_clear(code, PGSIZE);
  return 0;
}
#endif
