// System-call dispatch: the number is in a7, arguments in a0..a5, the
// result goes back in a0. Helpers fetch arguments and user memory safely.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "kernel/defs.h"

// Fetch the 8-byte word at user address addr into *ip. 0 or -1.
int
fetchaddr(uint64 addr, uint64 *ip)
{
  struct proc *p = myproc();

  if(addr >= p->sz || addr + sizeof(uint64) > p->sz || addr + sizeof(uint64) < addr)
    return -1;
  return copyin(p->pagetable, (char*)ip, addr, sizeof(*ip));
}

// Fetch the NUL-terminated string at user address addr into buf (max bytes
// with the NUL). Returns its length, or -1.
int
fetchstr(uint64 addr, char *buf, int max)
{
  if(copyinstr(myproc()->pagetable, buf, addr, max) < 0)
    return -1;
  return strlen(buf);
}

static uint64
argraw(int n)
{
  struct trapframe *tf = myproc()->trapframe;

  switch(n){
  case 0: return tf->a0;
  case 1: return tf->a1;
  case 2: return tf->a2;
  case 3: return tf->a3;
  case 4: return tf->a4;
  case 5: return tf->a5;
  }
  panic("argraw");
}

// The n-th argument as an int. Any value is acceptable.
void
argint(int n, int *ip)
{
  *ip = argraw(n);
}

// The n-th argument as a user address; copyin/copyout check it later.
void
argaddr(int n, uint64 *ip)
{
  *ip = argraw(n);
}

// The n-th argument as a user string copied into buf. Its length, or -1.
int
argstr(int n, char *buf, int max)
{
  uint64 addr;

  argaddr(n, &addr);
  return fetchstr(addr, buf, max);
}

uint64 sys_fork(void);
uint64 sys_exit(void);
uint64 sys_wait(void);
uint64 sys_pipe(void);
uint64 sys_read(void);
uint64 sys_kill(void);
uint64 sys_exec(void);
uint64 sys_fstat(void);
uint64 sys_chdir(void);
uint64 sys_dup(void);
uint64 sys_getpid(void);
uint64 sys_sbrk(void);
uint64 sys_sleep(void);
uint64 sys_uptime(void);
uint64 sys_open(void);
uint64 sys_write(void);
uint64 sys_mknod(void);
uint64 sys_unlink(void);
uint64 sys_link(void);
uint64 sys_mkdir(void);
uint64 sys_close(void);
uint64 sys_poweroff(void);
uint64 sys_freepages(void);
uint64 sys_ev6_mode(void);
uint64 sys_ev6_inject(void);
uint64 sys_memstat(void);
uint64 sys_busytime(void);
uint64 sys_audit(void);
uint64 sys_drvctl(void);

static uint64 (*syscalls[])(void) = {
  [SYS_fork]      sys_fork,
  [SYS_exit]      sys_exit,
  [SYS_wait]      sys_wait,
  [SYS_pipe]      sys_pipe,
  [SYS_read]      sys_read,
  [SYS_kill]      sys_kill,
  [SYS_exec]      sys_exec,
  [SYS_fstat]     sys_fstat,
  [SYS_chdir]     sys_chdir,
  [SYS_dup]       sys_dup,
  [SYS_getpid]    sys_getpid,
  [SYS_sbrk]      sys_sbrk,
  [SYS_sleep]     sys_sleep,
  [SYS_uptime]    sys_uptime,
  [SYS_open]      sys_open,
  [SYS_write]     sys_write,
  [SYS_mknod]     sys_mknod,
  [SYS_unlink]    sys_unlink,
  [SYS_link]      sys_link,
  [SYS_mkdir]     sys_mkdir,
  [SYS_close]     sys_close,
  [SYS_poweroff]  sys_poweroff,
  [SYS_freepages] sys_freepages,
  [SYS_ev6_mode]  sys_ev6_mode,
  [SYS_ev6_inject] sys_ev6_inject,
  [SYS_memstat]   sys_memstat,
  [SYS_busytime]  sys_busytime,
  [SYS_audit]     sys_audit,
  [SYS_drvctl]    sys_drvctl,
};

void
syscall(void)
{
  struct proc *p = myproc();
  uint64 num = p->trapframe->a7;

  if(num > 0 && num < NELEM(syscalls) && syscalls[num]){
    p->trapframe->a0 = syscalls[num]();
  } else {
    printf("pid %d %s: unknown system call %ld\n", p->pid, p->name, num);
    p->trapframe->a0 = -1;
  }
}
