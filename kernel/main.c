// Supervisor-mode entry of every hart. Hart 0 initialises the devices and
// kernel subsystems in dependency order and creates the first process; the
// other harts wait for it, then turn on paging and interrupts for
// themselves. Every hart ends in the scheduler.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

static volatile int boot_done;

void
main(void)
{
  if(cpuid() == 0){
    ledger_init();      // before the first acquire
    consoleinit();
    printfinit();
    printf("\nev6 kernel booting\n");
    kinit();            // physical pages
    kvminit();          // kernel page table
    kvminithart();      // paging on
    procinit();         // process table
    trapinit();
    trapinithart();     // trap vector
    plicinit();         // interrupt controller
    plicinithart();
    binit();            // block cache
    iinit();            // inode table
    fileinit();         // open-file table
    virtio_disk_init(); // disk: queue pages, task slot
    uart_task_init();   // the console's UART: task slot
#if RECOVERY
    ev6_init();         // Ev6 object registry
#endif
    userinit();         // first process
    virtio_disk_start(); // the disk's driver task
    uart_task_start();  // the UART's, which sets the device up
    drvmon_start();     // the heartbeat monitor (off until drvctl turns it on)
    __sync_synchronize();
    boot_done = 1;
  } else {
    while(boot_done == 0)
      ;
    __sync_synchronize();
    kvminithart();
    trapinithart();
    plicinithart();
  }
  scheduler();
}
