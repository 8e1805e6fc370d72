// Access tracing (TRACE=1 builds): the golden run of a sweep, and the
// sweep's way to reach a moment in an object's life.
//
// A TRACE=1 kernel is compiled with GCC's -fsanitize=kernel-address,
// inline: before every load and store the compiled code reads the shadow
// byte of the address (memlayout.h) and calls a hook only if it is not
// zero. The shadow is marked for the traced types' tables as the registry
// registers them, so an access to anything else costs a load and a branch.
// (The Makefile leaves this file, the registry, start.c and the code that
// touches devices before paging or outside the shadow uninstrumented.)
// The hooks below do two jobs:
//  - record: between EV6_INJECT_TRACE start (from the next exec on) and
//    the exec of the program that asks for the dump, every access to a
//    registered object of a traced type goes into trace[] as (instret,
//    call site, address, size, read/write, and for a buffer the block it
//    holds: which slot holds a block depends on when disk completions
//    land, so a sweep names a buffer by its block); dump
//    prints them as `ev6: event=trace` console lines (campaign/sweep.c
//    reads them). Consecutive accesses of one call site that continue
//    each other (a byte loop) or repeat (a spin) are one record.
//  - count: with fi_site_armed = FI_SITE_access, the debugger's
//    fi_access_addr/fi_access_len name bytes (with fi_access_by_block,
//    bytes of whichever buffer holds block fi_access_block when the access
//    runs); the kernel counts the records (as recording would merge them)
//    that touch them and, just before the fi_site_target'th runs, calls
//    fi_trap with the object holding them: the sweep damages them there,
//    at the end of the interval that access closes, and a watchpoint
//    delivers the error at the access itself. Then the shadow's marks are cleared: the rest of
//    the run calls no hook.
// Both see only process context (cpus[].proc set) and the traced types.
// A hook that runs while its hart is already inside one (a trap taken in
// the hook's callees) does nothing.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#if TRACE
struct trace_rec {
  uint64 when;        // instret at the access (the first of a merged run)
  uint32 pc;          // call site, from KERNBASE
  uint32 addr;        // first byte, from KERNBASE
  uint16 len;         // bytes
  uint8 type;         // enum ev6_type
  uint8 write;
  uint32 block;       // a buffer's block (buf_block), else NOBLOCK
};

extern volatile int fi_site_target, fi_site_hits;   // fi.c
void fi_trap(void *obj);

static struct trace_rec trace[TRACE_NREC];
static int ntrace;
static int ntrace_at_exec;        // ntrace when the latest exec began
static int trace_lost;            // records that found trace[] full
static volatile int trace_on;
static volatile int trace_armed;  // start at the next exec
static int busy[NCPU];            // hart is inside a hook

volatile uint64 fi_access_addr;   // written by the debugger
volatile uint64 fi_access_len;
// A buffer named by its block (bcache.buf[block=N], campaign/target.h):
// fi_access_addr is then an offset in a struct buf, and the bytes counted
// are the ones at that offset of the buffer holding block fi_access_block
// as each access runs.
volatile int fi_access_by_block;
volatile uint32 fi_access_block;

#define NOBLOCK 0xffffffffU

// The block the buffer at base holds: its blockno, if it caches a block
// of the root device (bget's identity is dev and blockno; the file system
// has that one device, and a buffer never used, or emptied by recovery,
// has another dev); else NOBLOCK. Also NOBLOCK for bcache.lock, which the
// registry lists as a buf too.
static uint32
buf_block(void *base)
{
  struct buf *b = base;

  if(b < bcache.buf || b >= bcache.buf + NBUF || b->dev != ROOTDEV)
    return NOBLOCK;
  return b->blockno;
}

// Types worth recording: the static tables a sweep can name
// (global:EXPR targets). Pages, stacks and code are left out, and so is
// the cpu struct (every push_off touches it).
static int
traced(int type)
{
  switch(type){
  case EV6_T_BUF: case EV6_T_LOG: case EV6_T_FILE: case EV6_T_INODE:
  case EV6_T_CONS: case EV6_T_DEVSW: case EV6_T_PR: case EV6_T_PROC:
  case EV6_T_KMEM: case EV6_T_DISK:
    return 1;
  }
  return 0;
}


// The latest access as a record, kept in trace[] or not: counting must
// see accesses exactly as the golden run recorded them.
static struct trace_rec last;
static int last_counted;          // last already counted for fi_access_addr

// Fold the access into last, or start a new last. Returns 1 if it starts
// a new record.
static int
fold(uint32 a, uint32 p, uint64 size, int write, int type, uint32 block)
{
  if(last.pc == p && last.write == write && last.type == type){
    if(last.addr == a && last.len == size)
      return 0;                                   // the same access again
    if(last.addr + last.len == a && last.len + size < 0x10000){
      last.len += size;                           // the next bytes of a loop
      return 0;
    }
  }
  last.when = CSR_READ(instret);
  last.pc = p;
  last.addr = a;
  last.len = size;
  last.type = type;
  last.write = write;
  last.block = block;
  last_counted = 0;
  return 1;
}

// Does the access touch the counted bytes? With fi_access_by_block only
// an access to the buffer holding the block can.
static int
overlaps(uint64 addr, uint64 size, struct ev6_object *obj, uint32 block)
{
  uint64 a = fi_access_addr;

  if(fi_access_by_block){
    if(obj->type != EV6_T_BUF || block != fi_access_block)
      return 0;
    a += (uint64)obj->base;
  }
  return addr < a + fi_access_len && addr + size > a;
}

// Before the access runs: record it, or count it (once per record, as the
// golden run's record first touches the bytes) and on the target
// fi_site_target call fi_trap with the object holding the bytes.
static void
fi_note(uint64 addr, uint64 size, int write, uint64 pc)
{
  struct ev6_object obj;
  uint32 block;
  int fresh;

  if(addr < KERNBASE || ev6_registry_lookup(addr, &obj) < 0 || !traced(obj.type))
    return;
  block = obj.type == EV6_T_BUF ? buf_block(obj.base) : NOBLOCK;
  fresh = fold(addr - KERNBASE, pc - KERNBASE, size, write, obj.type, block);
  if(trace_on){
    if(fresh && ntrace < TRACE_NREC)
      trace[ntrace++] = last;
    else if(fresh)
      trace_lost++;
    else if(ntrace > 0)
      trace[ntrace-1].len = last.len;
  }
  if(fi_site_armed == FI_SITE_access && !last_counted && overlaps(addr, size, &obj, block)){
    last_counted = 1;
    if(__sync_add_and_fetch(&fi_site_hits, 1) == fi_site_target){
      fi_site_armed = 0;
      if(!fi_access_by_block)
        ev6_registry_lookup(fi_access_addr, &obj);
      fi_trap(obj.base ? obj.base : (void*)fi_access_addr);
      // The moment has passed and nothing records: the rest of this boot
      // needs no hook (the watchpoint that delivers the error is QEMU's),
      // so no access calls one any more, and the survival check runs as
      // fast as on the FAULTS=1 kernel (the hooks' calls were the whole
      // difference: campaign/sweep/README.md).
      if(!trace_on && !trace_armed)
        ev6_registry_unmark();
    }
  }
}

static void
fi_hook(uint64 addr, uint64 size, int write, uint64 pc)
{
  int me;

  if(!trace_on && fi_site_armed != FI_SITE_access)
    return;
  me = r_tp();
  if(me >= NCPU || busy[me])
    return;
  // Only process context: a scheduler round reads every proc's lock, and
  // would fill trace[] while the harts wait for the disk.
  if(cpus[me].proc == 0)
    return;
  busy[me] = 1;
  fi_note(addr, size, write, pc);
  busy[me] = 0;
}

// The entry points GCC calls when an address's shadow byte is marked.
#define HOOKS(n) \
  void __asan_report_load##n##_noabort(uint64 a) { fi_hook(a, n, 0, (uint64)__builtin_return_address(0)); } \
  void __asan_report_store##n##_noabort(uint64 a) { fi_hook(a, n, 1, (uint64)__builtin_return_address(0)); }
HOOKS(1) HOOKS(2) HOOKS(4) HOOKS(8) HOOKS(16)

void __asan_report_load_n_noabort(uint64 a, uint64 n) { fi_hook(a, n, 0, (uint64)__builtin_return_address(0)); }
void __asan_report_store_n_noabort(uint64 a, uint64 n) { fi_hook(a, n, 1, (uint64)__builtin_return_address(0)); }
void __asan_handle_no_return(void) { }

// The shadow. RAM's is the 16 MB above PHYSTOP, mapped one-to-one; the
// kernel stacks' and the disk's and UART's registers' (never traced) are
// zero pages taken from the top 2 MB, which shadow the shadow itself and
// so are never read as shadow.
#define SHADOW_KSTACKS (TRACE_SHADOW_TOP - 32*PGSIZE)
#define SHADOW_DEVICES (TRACE_SHADOW_TOP - PGSIZE)
#define KSTACKS_LO PGROUNDDOWN(SHADOW(KSTACK(NPROC-1)))
#define KSTACKS_HI PGROUNDUP(SHADOW(TRAMPOLINE))
_Static_assert(KSTACKS_HI - KSTACKS_LO <= 31*PGSIZE, "kernel stacks' shadow overlaps the devices'");
_Static_assert(PGROUNDDOWN(SHADOW(UART0)) == PGROUNDDOWN(SHADOW(VIRTIO0)), "devices' shadow is one page");
_Static_assert(SHADOW(KERNBASE) == PHYSTOP && SHADOW(TRACE_SHADOW_TOP) == TRACE_SHADOW_TOP,
               "shadow offset does not fit the reserved RAM");

// start(), on hart 0, before any instrumented code runs.
void
trace_shadow_clear(void)
{
  volatile uint64 *p;

  for(p = (uint64*)PHYSTOP; p < (uint64*)TRACE_SHADOW_TOP; p++)
    *p = 0;
}

// kvmmake: give every address the kernel touches with paging on a shadow.
void
trace_shadow_map(pagetable_t kpgtbl)
{
  kvmmap(kpgtbl, PHYSTOP, PHYSTOP, TRACE_SHADOW_TOP - PHYSTOP, PTE_R | PTE_W);
  kvmmap(kpgtbl, KSTACKS_LO, SHADOW_KSTACKS, KSTACKS_HI - KSTACKS_LO, PTE_R);
  kvmmap(kpgtbl, PGROUNDDOWN(SHADOW(UART0)), SHADOW_DEVICES, PGSIZE, PTE_R);
}

// The registry registered n bytes at base as type (on = 1), or clears
// every mark (on = 0, ev6_registry_unmark).
void
trace_shadow_mark(int type, void *base, uint64 n, int on)
{
  uint64 a;

  if(!traced(type))
    return;
  for(a = (uint64)base & ~7L; a < (uint64)base + n; a += 8)
    *(uchar*)SHADOW(a) = on ? 0xff : 0;
}

// Called by exec: a started trace records from here.
void
ev6_trace_exec(void)
{
  if(trace_armed){
    trace_armed = 0;
    ntrace = 0;
    ntrace_at_exec = 0;
    trace_lost = 0;
    trace_on = 1;
  }
}

// Called as exec begins. The dump cuts the record here: the exec of
// `trace dump` (its program's blocks, read by nothing else) and what it
// does until it asks are not the workload's, and an experiment, which
// runs the survival check instead, never meets those accesses: a class
// they closed would be not-reached by construction.
void
ev6_trace_exec_begin(void)
{
  if(trace_on)
    ntrace_at_exec = ntrace;
}

// ev6_inject(_, which, _, EV6_INJECT_TRACE): which 1 starts recording at
// the next exec, 2 stops and prints where the record is. Returns 0, or -1.
int
ev6_trace_ctl(int which)
{
  if(which == 1){
    trace_on = 0;
    trace_armed = 1;
    return 0;
  }
  if(which == 2){
    trace_on = 0;
    ntrace = ntrace_at_exec;
    printf("ev6: event=trace-ready addr=0x%lx records=%d recsize=%d lost=%d\n",
           (uint64)trace, ntrace, (int)sizeof(struct trace_rec), trace_lost);
    return 0;
  }
  return -1;
}
#endif
