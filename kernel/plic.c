// The platform-level interrupt controller (PLIC) of QEMU virt, which routes
// the UART and virtio-disk interrupt lines to the harts.
//
// Interface:
//   plicinit()         once, on hart 0: give both lines priority 1
//   plicinithart()     on every hart: take both lines in this hart's
//                      supervisor context, at threshold 0 (accept all)
//   plic_claim()       in the trap handler: the line that interrupted this
//                      hart (0 if none, e.g. another hart claimed it first)
//   plic_complete(irq) after handling it: the line may interrupt again
//
// A claimed line stays masked until it is completed, so a device handler
// never runs on two harts at once for the same interrupt.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

// A PLIC register: every one is 32 bits wide.
#define PLIC_REG(addr) (*(volatile uint32 *)(addr))

void
plicinit(void)
{
  // Priority 0 would disable a line; one word per source.
  PLIC_REG(PLIC_PRIORITY + UART0_IRQ * 4) = 1;
  PLIC_REG(PLIC_PRIORITY + VIRTIO0_IRQ * 4) = 1;
}

void
plicinithart(void)
{
  int hart = cpuid();

  PLIC_REG(PLIC_SENABLE(hart)) = (1 << UART0_IRQ) | (1 << VIRTIO0_IRQ);
  PLIC_REG(PLIC_SPRIORITY(hart)) = 0;
}

int
plic_claim(void)
{
  return PLIC_REG(PLIC_SCLAIM(cpuid()));
}

void
plic_complete(int irq)
{
  PLIC_REG(PLIC_SCLAIM(cpuid())) = irq;
}
