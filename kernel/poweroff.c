// Stopping the machine through QEMU's virt test device ("sifive_test"),
// so that QEMU itself exits and whoever started it sees a status.
//
// Interface: poweroff(status). Status 0 makes QEMU exit 0; any other
// status s makes it exit with s (QEMU keeps the low 16 bits; the shell sees
// the low 8). Used by panic(), by the poweroff system call, and by Ev6
// recovery when it fails stop. The device page is mapped one-to-one in
// the kernel page table by vm.c.
//
// poweroff does not return: if the write somehow has no effect (another
// machine, or the page is not mapped yet), the hart idles with interrupts
// off, so it runs nothing else.
#include "kernel/types.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

void
poweroff(int status)
{
  volatile uint32 *dev = (volatile uint32 *)TESTDEV;

  intr_off();
  uart_drain();
  if(status == 0)
    *dev = TESTDEV_PASS;
  else
    *dev = ((uint32)status << 16) | TESTDEV_FAIL;
  for(;;)
    wfi();
}
