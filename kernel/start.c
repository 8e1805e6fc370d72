// Machine-mode start-up, run once by every hart: delegate traps and
// interrupts to supervisor mode, let supervisor mode program its own timer
// (Sstc: stimecmp), open physical memory to it, and drop into main() in
// supervisor mode with paging off.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

void main(void);

// Boot stacks, one page per hart; entry.S points sp at the top of ours.
__attribute__ ((aligned (16))) char stack0[4096 * NCPU];

// CSR numbers of registers newer than some assemblers know by name.
#define CSR_MENVCFG  "0x30a"
#define CSR_STIMECMP "0x14d"

void
start(void)
{
  uint64 x;

  // mret goes to supervisor mode at main().
  x = CSR_READ(mstatus);
  x = (x & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S;
  CSR_WRITE(mstatus, x);
  CSR_WRITE(mepc, (uint64)main);
  CSR_WRITE(satp, 0);

  // Every exception and interrupt is handled in supervisor mode.
  CSR_WRITE(medeleg, 0xffff);
  CSR_WRITE(mideleg, 0xffff);
  CSR_SET(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);

  // Supervisor mode may touch all of physical memory.
  CSR_WRITE(pmpaddr0, 0x3fffffffffffffull);
  CSR_WRITE(pmpcfg0, 0xf);

  // Supervisor mode owns the timer (stimecmp) and may read `time` and
  // `instret` (Ev6 measures recovery cost in instructions).
  asm volatile("csrs " CSR_MENVCFG ", %0" : : "r"(MENVCFG_STCE));
  CSR_SET(mcounteren, MCOUNTEREN_TM | MCOUNTEREN_IR);
  asm volatile("csrw " CSR_STIMECMP ", %0" : : "r"(r_time() + TICK_CYCLES));

  // cpuid() reads the hart id from tp.
  w_tp(r_mhartid());

#if TRACE
  // The sanitizer's shadow must read zero before main's first access.
  if(r_mhartid() == 0)
    trace_shadow_clear();
#endif

  asm volatile("mret");
}
