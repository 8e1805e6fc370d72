// Ev6 system calls: the recovery mode, and (FAULTS=1 builds) marking a
// kernel object bad without a debugger, like the paper's corrupted().
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

// ev6_mode(mode): set the mode (0 conservative, 1 aggressive) and return
// the old one; any other value only asks. -1 without recovery.
uint64
sys_ev6_mode(void)
{
#if RECOVERY
  int mode, old = ev6_mode;

  argint(0, &mode);
  if(mode == EV6_CONSERVATIVE || mode == EV6_AGGRESSIVE)
    ev6_mode = mode;
  return old;
#else
  return -1;
#endif
}

#if RECOVERY && FAULTS
extern pagetable_t kernel_pagetable;
uint64 sys_ev6_inject(void);

// The object an injection names: element `which` of a registered table,
// or, for per-descriptor objects, what descriptor `which` refers to.
static void *
inject_target(int type, int which)
{
  struct proc *p = myproc();
  struct file *f = 0;

  if(which >= 0 && which < NOFILE)
    f = p->ofile[which];
  switch(type){
  case EV6_T_FILE:
    return f;
  case EV6_T_INODE:
    return f && (f->type == FD_INODE || f->type == FD_DEVICE) ? f->ip : 0;
  case EV6_T_PIPE:
    return f && f->type == FD_PIPE ? f->pipe : 0;
  case EV6_T_TRAPFRAME:
    return p->trapframe;
  case EV6_T_KSTACK:
    // The physical page under this kernel stack: errors name RAM.
    return (void*)PTE2PA(*walk(kernel_pagetable, PGROUNDDOWN(r_sp()), 0));
  case EV6_T_TEXT:
    return (void*)sys_ev6_inject;
  default:
    return ev6_registry_element(type, which);
  }
}
#endif

// ev6_inject(object, which, offset, now): mark byte `offset` of an object
// bad. The next fault-injection site that touches the object raises the
// hardware-error exception, or, with now set, this system call touches it
// at once. which >= 0 names the object (see inject_target); which < 0
// arms site -which instead: the object that site touches next goes bad.
// Returns the address (0 when arming), or -1.
uint64
sys_ev6_inject(void)
{
#if RECOVERY && FAULTS
  int type, which, offset, now;
  char *base;

  argint(0, &type);
  argint(1, &which);
  argint(2, &offset);
  argint(3, &now);
  if(type <= EV6_T_UNKNOWN || type >= EV6_NTYPES || offset < 0)
    return -1;
  if(which < 0){
    if(-which >= FI_NSITES)
      return -1;
    fi_arm_poison(-which, offset);
    return 0;
  }
  if((base = inject_target(type, which)) == 0)
    return -1;
  ev6_poison_add((uint64)(base + offset));
  if(now)
    ev6_access(base + offset, 1);
  return (uint64)(base + offset);
#else
  return -1;
#endif
}
