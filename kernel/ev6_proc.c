// Ev6 surgery for the kernel state of a process that is not running: its
// trapframe, its saved context (in struct proc) or its kernel stack.
// Beyond the paper, which fail-stops on all three.
//
// Such a process is asleep or waiting for a hart; what it holds is in its
// ledger, and it holds no spinlock (a sleeping or preempted process never
// does). So it can be killed without reading the damaged state: surgery
// rewrites the damaged bytes (they are never read again), points the
// saved context at ev6_reap on the empty top of its kernel stack, and makes
// it runnable with killed set. When a hart next runs it, ev6_reap gives
// back what the ledger lists, as an unwound system call does, and exits.
// The interrupted context, which only met another process's memory,
// continues (ev6.c). The report's exit is PK: the owner's.
//
// It refuses (fail-stop, named) when the owner is running (its state is in
// use on a hart), is being created or is init, is inside disk I/O (the
// driver will still write into its buffer, and commit cannot be left half
// way), is inside exec (the new address space lives only on its stack), or,
// in conservative mode, would leave half of a shared log operation.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
// The process whose kernel state holds e's address, and where that state
// starts and ends; 0 if no process owns it (a field of struct proc other
// than the saved context is not per-process state that can be discarded).
static struct proc *
owner_of(struct ev6_error *e, void **base, uint64 *size)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    switch(e->obj.type){
    case EV6_T_PROC:
      if(e->obj.addr >= (uint64)&p->context &&
         e->obj.addr < (uint64)&p->context + sizeof(p->context)){
        *base = &p->context;
        *size = sizeof(p->context);
        return p;
      }
      break;
    case EV6_T_TRAPFRAME:
      if((void*)p->trapframe == e->obj.base){
        *base = p->trapframe;
        *size = PGSIZE;
        return p;
      }
      break;
    case EV6_T_KSTACK:
      if(PTE2PA(*walk(kernel_pagetable, p->kstack, 0)) == (uint64)e->obj.base){
        *base = e->obj.base;
        *size = PGSIZE;
        return p;
      }
      break;
    default:
      return 0;
    }
  }
  return 0;
}

// Why p's kernel state cannot be discarded and p killed, or 0.
// p->lock is held.
static const char *
cannot_reap(struct proc *p)
{
  void *chan = p->chan;
  struct ev6_object o;

  if(p == myproc() || p->state == RUNNING)
    return "process-running";
  if(p->state == USED)
    return "process-being-created";
  if(p->pid == 1)
    return "init-process";
  if(p->state != SLEEPING && p->state != RUNNABLE)
    return 0;                           // unused or a zombie: nothing runs it
  if(p->ledger.lost > 0)
    return "ledger-overflow";
  if(p->ledger.exec_args)
    return "process-in-exec";
  if(chan && ev6_registry_lookup((uint64)chan, &o) == 0 &&
     (o.type == EV6_T_DISK || (o.type == EV6_T_BUF && ((struct buf*)chan)->disk)))
    return "process-in-disk-io";
  return ev6_unwind_check(p);
}

// A reaped process starts here, on the empty top of its kernel stack, with
// p->lock held by the scheduler that switched to it (as forkret).
static void
ev6_reap(void)
{
  struct proc *p = myproc();

  release(&p->lock);
  ev6_unwind_resources(p);
  exit(-1);
}

// Internal-Surgery (discard) for a not-running process's trapframe, saved
// context or kernel stack.
int
procstate_recover(struct ev6_error *e)
{
  struct proc *p;
  void *base;
  uint64 size;
  const char *why;
  int took;

  if((p = owner_of(e, &base, &size)) == 0){
    e->reason = "unrecoverable-object";
    return -1;
  }
  // The owner's lock: never wait for it (its holder may be queued behind
  // this recovery); the interrupted context may hold it itself.
  took = !holding(&p->lock);
  if(took && !tryacquire(&p->lock, EV6_TRYLOCK_SPINS)){
    e->reason = "process-lock-busy";
    return -1;
  }
  if((why = cannot_reap(p)) != 0){
    if(took)
      release(&p->lock);
    e->reason = why;
    return -1;
  }
  memset(base, 0, size);     // the write makes the damaged bytes good
  ev6_poison_clear(base, size);
  if(p->state == SLEEPING || p->state == RUNNABLE){
    e->killed = p;
    memset(&p->context, 0, sizeof(p->context));
    p->context.ra = (uint64)ev6_reap;
    p->context.sp = p->kstack + PGSIZE;
    p->killed = 1;
    p->chan = 0;
    p->state = RUNNABLE;
  }
  if(took)
    release(&p->lock);
  return 0;
}
#endif
