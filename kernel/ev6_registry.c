// Ev6 object registry: which kernel object holds a physical address.
//
// Two parts, both O(1) in the number of objects:
//  - static tables (bcache.buf[], ftable.file[], itable.inode[], log, cons,
//    devsw, pr, proc[], cpus[], ...) register a range each at boot
//    (ev6_registry_add); a lookup binary-searches the few ranges;
//  - every physical page above the kernel image has one byte in
//    ev6_page_type[], kept current by kalloc/kfree and by the code that gives
//    a page its purpose (ev6_page_set), e.g. a pipe.
// The paper's M-list instead listed every object and was scanned linearly.
// Boot cost: ev6_page_type (32 KB for 128 MB) plus the range table.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
struct range {
  uint64 base;
  uint64 size;        // of the whole table
  uint64 elemsize;    // of one element
  enum ev6_type type;
};

static struct range ranges[NRANGES];   // sorted by base
static int nranges;

// One byte per physical page from KERNBASE.
uchar ev6_page_type[(PHYSTOP - KERNBASE) / PGSIZE];

extern char etext[], end[];

uint64
ev6_registry_bytes(void)
{
  return sizeof(ranges) + sizeof(ev6_page_type);
}

// Register a table of n objects of elemsize bytes at base. Boot only.
void
ev6_registry_add(enum ev6_type type, void *base, int n, uint64 elemsize)
{
  int i;

  if(nranges == NRANGES)
    panic("ev6_registry_add: too many ranges");
  for(i = nranges; i > 0 && ranges[i-1].base > (uint64)base; i--)
    ranges[i] = ranges[i-1];
  ranges[i].base = (uint64)base;
  ranges[i].size = n * elemsize;
  ranges[i].elemsize = elemsize;
  ranges[i].type = type;
  nranges++;
#if TRACE
  trace_shadow_mark(type, base, n * elemsize, 1);
#endif
}

#if TRACE
// Clear the shadow marks of every range: no access calls a hook any more
// (ev6_trace.c, once a sweep experiment's moment has passed).
void
ev6_registry_unmark(void)
{
  for(int i = 0; i < nranges; i++)
    trace_shadow_mark(ranges[i].type, (void*)ranges[i].base, ranges[i].size, 0);
}
#endif

#if FAULTS
// The range table, which every lookup of a static object searches.
void *
ev6_registry_ranges(void)
{
  return ranges;
}
#endif

// Element `which` of the largest table registered for type, or 0.
void *
ev6_registry_element(enum ev6_type type, int which)
{
  struct range *best = 0;
  int i;

  for(i = 0; i < nranges; i++)
    if(ranges[i].type == type && (best == 0 || ranges[i].size > best->size))
      best = &ranges[i];
  if(best == 0 || which < 0 || (uint64)which >= best->size / best->elemsize)
    return 0;
  return (void*)(best->base + which * best->elemsize);
}

// Registry self-description: its own memory is an object, and damage to it
// is not recoverable.
void
ev6_registry_init(void)
{
  ev6_registry_add(EV6_T_REGISTRY, ranges, 1, sizeof(ranges));
  ev6_registry_add(EV6_T_REGISTRY, ev6_page_type, 1, sizeof(ev6_page_type));
  ev6_registry_add(EV6_T_PROC, proc, NPROC, sizeof(struct proc));
  ev6_registry_add(EV6_T_CPU, cpus, NCPU, sizeof(struct cpu));
}

// Fill obj with what holds addr. Returns 0, or -1 (type EV6_T_UNKNOWN).
int
ev6_registry_lookup(uint64 addr, struct ev6_object *obj)
{
  int lo = 0, hi = nranges - 1;

  obj->addr = addr;
  obj->index = -1;
  obj->base = 0;
  obj->type = EV6_T_UNKNOWN;

  if(addr >= KERNBASE && addr < (uint64)etext){
    obj->type = EV6_T_TEXT;
    return 0;
  }
  if(addr >= (uint64)etext && addr < (uint64)end){
#if FAULTS
    ev6_access(ranges, sizeof(ranges));   // the search below reads the table
#endif
    while(lo <= hi){
      int mid = (lo + hi) / 2;
      struct range *r = &ranges[mid];
      if(addr < r->base){
        hi = mid - 1;
      } else if(addr >= r->base + r->size){
        lo = mid + 1;
      } else {
        obj->type = r->type;
        obj->index = r->size == r->elemsize ? -1 : (addr - r->base) / r->elemsize;
        obj->base = (void*)(r->base + (obj->index < 0 ? 0 : obj->index) * r->elemsize);
        return 0;
      }
    }
    return -1;
  }
  if(addr >= (uint64)end && addr < PHYSTOP){
#if FAULTS
    ev6_access(&ev6_page_type[(addr - KERNBASE) / PGSIZE], 1);
#endif
    obj->type = ev6_page_type[(addr - KERNBASE) / PGSIZE];
    obj->base = (void*)PGROUNDDOWN(addr);
    return obj->type == EV6_T_UNKNOWN ? -1 : 0;
  }
  return -1;
}
#endif
