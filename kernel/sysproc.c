// Process, time and machine system calls.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/memstat.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

uint64
sys_exit(void)
{
  int status;

  argint(0, &status);
  exit(status);
}

uint64
sys_getpid(void)
{
  return myproc()->pid;
}

uint64
sys_fork(void)
{
  return fork();
}

uint64
sys_wait(void)
{
  uint64 addr;

  argaddr(0, &addr);
  return wait(addr);
}

// sbrk(n): grow (or shrink) user memory by n bytes; returns the old size.
uint64
sys_sbrk(void)
{
  uint64 oldsz = myproc()->sz;
  int n;

  argint(0, &n);
  if(growproc(n) < 0)
    return -1;
  return oldsz;
}

// sleep(n): sleep for n ticks. -1 if killed meanwhile.
uint64
sys_sleep(void)
{
  int n;
  uint start;

  argint(0, &n);
  if(n < 0)
    n = 0;
  acquire(&tickslock);
  start = ticks;
  while(ticks - start < (uint)n){
    if(killed(myproc())){
      release(&tickslock);
      return -1;
    }
    sleep_killable(&ticks, &tickslock);
  }
  release(&tickslock);
  return 0;
}

uint64
sys_kill(void)
{
  int pid;

  argint(0, &pid);
  return kill(pid);
}

uint64
sys_uptime(void)
{
  uint t;

  acquire(&tickslock);
  t = ticks;
  release(&tickslock);
  return t;
}

// poweroff(status): let every file-system operation in progress finish
// and commit, then stop the machine; QEMU exits with status.
uint64
sys_poweroff(void)
{
  int status;

  argint(0, &status);
  log_quiesce();
  poweroff(status);
}

uint64
sys_freepages(void)
{
  return kfreecount();
}

// busytime(): the time (time CSR units, 10 MHz) processes have run on
// all harts since boot, including the caller's current slice; time the
// harts sat idle (waiting for the disk, for sleep()) is not in it. Under
// QEMU -icount it counts instructions, so make bench compares kernels by
// it: idle time depends on the host's disk timing.
uint64
sys_busytime(void)
{
  uint64 sum = 0;
  int i;

  push_off();
  for(i = 0; i < NCPU; i++)
    sum += cpus[i].busy;
  sum += r_time() - mycpu()->run_start;
  pop_off();
  return sum;
}

// memstat(struct memstat *m): fill *m; 0, or -1 if m is not writable.
uint64
sys_memstat(void)
{
  struct memstat m = { 0, 0, kfreecount(), kretiredcount() };
  uint64 dst;

  argaddr(0, &dst);
#if RECOVERY
  m.registry_bytes = ev6_registry_bytes();
  m.replica_bytes = ev6_replica_bytes + ptrep_bytes();
#endif
  return copyout(myproc()->pagetable, dst, (char *)&m, sizeof(m));
}
