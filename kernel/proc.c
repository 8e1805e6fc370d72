// Processes: the process table, creation (fork), termination (exit, wait,
// kill), sleeping and waking, and the per-hart scheduler.
//
// Life cycle of a slot in proc[]: UNUSED -> USED (allocproc) -> RUNNABLE ->
// RUNNING <-> SLEEPING/RUNNABLE -> ZOMBIE (exit) -> UNUSED (the parent's
// wait, through freeproc).
//
// Lock order: wait_lock before any p->lock. A process holds its own p->lock
// across swtch() into the scheduler and back (see sched()).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"
#include "kernel/drv.h"

struct cpu cpus[NCPU];
struct proc proc[NPROC];
struct proc *initproc;

static int nextpid = 1;
static struct spinlock pid_lock;

// Guards every p->parent, and orders a parent's wait() against its
// children's exit() so no wakeup is lost.
static struct spinlock wait_lock;

extern char _trampoline[];   // trampoline.S

void forkret(void);
static void freeproc(struct proc *p);

// Map a kernel stack for every process slot, each above a guard page.
void
proc_mapstacks(pagetable_t kpgtbl)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    char *pa = kalloc();
    if(pa == 0)
      panic("proc_mapstacks: out of memory");
    kvmmap(kpgtbl, KSTACK(p - proc), (uint64)pa, PGSIZE, PTE_R | PTE_W);
#if RECOVERY
    ev6_page_set(pa, EV6_T_KSTACK);
#endif
  }
}

void
procinit(void)
{
  struct proc *p;

  initlock(&pid_lock, "nextpid");
  initlock(&wait_lock, "wait_lock");
#if RECOVERY
  audit_lock_add(&pid_lock);
  audit_lock_add(&wait_lock);
#endif
  for(p = proc; p < &proc[NPROC]; p++){
    initlock(&p->lock, "proc");
    p->state = UNUSED;
    p->kstack = KSTACK(p - proc);
  }
}

// The running hart's id. Interrupts must be off, or the process could move
// to another hart right after reading it.
int
cpuid(void)
{
  return r_tp();
}

// This hart's cpu struct. Interrupts must be off.
struct cpu *
mycpu(void)
{
  return &cpus[cpuid()];
}

// The process running on this hart, or 0.
struct proc *
myproc(void)
{
  struct proc *p;

  push_off();
  p = mycpu()->proc;
  pop_off();
  return p;
}

static int
allocpid(void)
{
  int pid;

  acquire(&pid_lock);
  pid = nextpid++;
  release(&pid_lock);
  return pid;
}

// Find an UNUSED slot and prepare it to run in the kernel: a trapframe
// page, an empty user page table, and a context that starts at forkret.
// Returns the slot with p->lock held, or 0 if the table or memory is full.
static struct proc *
allocproc(void)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED)
      goto found;
    release(&p->lock);
  }
  return 0;

found:
  p->pid = allocpid();
  p->state = USED;
  ledger_child(p);   // an unwound call gives the slot back (fork_abandon)

  if((p->trapframe = (struct trapframe *)kalloc()) == 0)
    goto out_free;
#if RECOVERY
  ev6_page_set(p->trapframe, EV6_T_TRAPFRAME);
#endif
  if((p->pagetable = proc_pagetable(p)) == 0)
    goto out_free;

  memset(&p->context, 0, sizeof(p->context));
  p->context.ra = (uint64)forkret;
  p->context.sp = p->kstack + PGSIZE;
  return p;

out_free:
  ledger_child(0);
  freeproc(p);
  release(&p->lock);
  return 0;
}

// Return a slot and everything hanging from it to UNUSED. p->lock held.
static void
freeproc(struct proc *p)
{
  pagetable_t pagetable = p->pagetable;

  if(p->trapframe)
    kfree((void*)p->trapframe);
  p->trapframe = 0;
  // Unlinked first: if an error kills the reaper inside (kmem's PK in a
  // kfree), init's later reap of this zombie does not free it again.
  p->pagetable = 0;
  if(pagetable)
    proc_freepagetable(pagetable, p->sz);
  p->sz = 0;
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  p->kthread = 0;
  p->drv = 0;
  p->state = UNUSED;
}

// A user page table with only the trampoline and p's trapframe mapped
// (neither is accessible to user code). Returns 0 when out of memory.
pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pagetable = uvmcreate();

  if(pagetable == 0)
    return 0;
#if RECOVERY
  ptrep_own(pagetable, p);
#endif
  if(mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)_trampoline, PTE_R | PTE_X) < 0)
    goto out_free;
  if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
    uvmunmap(pagetable, TRAMPOLINE, 1, 0);
    goto out_free;
  }
  return pagetable;

out_free:
  uvmfree(pagetable, 0);
  return 0;
}

// Free a user page table and the sz bytes of user memory it maps; the
// trampoline and trapframe pages are not freed here (with recovery,
// uvmfree leaves them by the replica, which knows whether they are still
// mapped).
void
proc_freepagetable(pagetable_t pagetable, uint64 sz)
{
#if !RECOVERY
  uvmunmap(pagetable, TRAMPOLINE, 1, 0);
  uvmunmap(pagetable, TRAPFRAME, 1, 0);
#endif
  uvmfree(pagetable, sz);
}

// Create the first process. It has no user memory yet: when it first runs,
// forkret() mounts the root file system and execs /init in it.
void
userinit(void)
{
  struct proc *p = allocproc();

  if(p == 0)
    panic("userinit");
  initproc = p;
  safestrcpy(p->name, "init", sizeof(p->name));
  p->state = RUNNABLE;
  release(&p->lock);
}

// Start a kernel thread: a process that never enters user mode and runs
// entry on its own kernel stack (driver tasks, drv.c; the heartbeat
// monitor, drvmon.c). entry is switched to holding p->lock, which it must
// release first, as forkret does. It has no parent and no cwd.
struct proc *
kproc(char *name, void (*entry)(void), struct drvtask *drv)
{
  struct proc *p = allocproc();
  pagetable_t pagetable;

  if(p == 0)
    return 0;
  safestrcpy(p->name, name, sizeof(p->name));
  // It never enters user mode: no user page table (nor, with recovery,
  // its replica page) to keep. Unlinked first, as freeproc does: a caller
  // unwound inside the free (kmem's PK) gives the slot back
  // (fork_abandon), and freeproc must not free the table again.
  pagetable = p->pagetable;
  p->pagetable = 0;
  proc_freepagetable(pagetable, 0);
  p->context.ra = (uint64)entry;
  p->kthread = 1;
  p->drv = drv;
  // Made: a later unwind of the caller's call (drvctl's DRVCTL_IDLE runs
  // in a process) must not give the running thread's slot back, and the
  // caller's slot, once gone, must not name it.
  ledger_child(0);
  p->state = RUNNABLE;
  release(&p->lock);
  return p;
}

// Grow or shrink user memory by n bytes. Returns 0 or -1.
int
growproc(int n)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;

  if(n > 0){
    if(sz + n > TRAPFRAME || sz + n < sz)
      return -1;
    if((sz = uvmalloc(p->pagetable, sz, sz + n, PTE_W)) == 0)
      return -1;
  } else if(n < 0){
    if((uint64)(-(long)n) > sz)
      return -1;
    sz = uvmdealloc(p->pagetable, sz, sz + n);
  }
  p->sz = sz;
  return 0;
}

// Create a child that is a copy of the current process, returning from the
// same system call with 0. Returns the child's pid, or -1.
int
fork(void)
{
  struct proc *p = myproc();
  struct proc *np;
  int i, pid;

  if((np = allocproc()) == 0)
    return -1;

  if(uvmcopy(p->pagetable, np->pagetable, p->sz) < 0){
    ledger_child(0);
    freeproc(np);
    release(&np->lock);
    return -1;
  }
  np->sz = p->sz;
#if RECOVERY
  upage_image_fork(np, p);
#endif
  *(np->trapframe) = *(p->trapframe);
  np->trapframe->a0 = 0;   // the child's fork() returns 0

  for(i = 0; i < NOFILE; i++)
    if(p->ofile[i])
      np->ofile[i] = filedup(p->ofile[i]);
  np->cwd = idup(p->cwd);
  ledger_inode_keep(np->cwd);   // the child's, not this call's
  safestrcpy(np->name, p->name, sizeof(p->name));
  pid = np->pid;
  ledger_child(0);
  release(&np->lock);

  acquire(&wait_lock);
  np->parent = p;
  release(&wait_lock);

  acquire(&np->lock);
  np->state = RUNNABLE;
  release(&np->lock);
  return pid;
}

#if RECOVERY
// Undo a fork() that Ev6 unwound while its child np was being built: np
// never ran; give back the references and memory it got.
void
fork_abandon(struct proc *np)
{
  int fd;

  for(fd = 0; fd < NOFILE; fd++){
    if(np->ofile[fd]){
      struct file *f = np->ofile[fd];
      np->ofile[fd] = 0;
      fileclose(f);
    }
  }
  if(np->cwd){
    begin_op();
    iput(np->cwd);
    end_op();
    np->cwd = 0;
  }
  acquire(&np->lock);
  freeproc(np);
  release(&np->lock);
}
#endif

// Give p's children to init. wait_lock held.
static void
reparent(struct proc *p)
{
  struct proc *pp;

  for(pp = proc; pp < &proc[NPROC]; pp++){
    if(pp->parent == p){
      pp->parent = initproc;
      wakeup(initproc);
    }
  }
}

// Terminate the current process. It stays a ZOMBIE until its parent's
// wait() collects the status.
void
exit(int status)
{
  struct proc *p = myproc();
  struct inode *cwd;
  int fd;

  if(p == initproc)
    panic("init exiting");

  for(fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      struct file *f = p->ofile[fd];
      p->ofile[fd] = 0;
      fileclose(f);
    }
  }

  // The cwd's reference is the ledger's from here to its iput, as a
  // closing file's is: an exit unwound after the iput (an error at its
  // end_op) runs exit again, and with p->cwd still set that put the
  // reference a second time. Run again, exit finds no cwd.
  if((cwd = p->cwd) != 0){
    p->cwd = 0;
    ledger_inode_get(cwd);
    begin_op();
    iput(cwd);
    end_op();
  }

  acquire(&wait_lock);
  reparent(p);
  wakeup(p->parent);   // the parent may be sleeping in wait()

  acquire(&p->lock);
  p->xstate = status;
  p->state = ZOMBIE;
  release(&wait_lock);

  sched();
  panic("zombie exit");
}

// Wait for a child to exit; store its status at user address addr unless
// addr is 0. Returns the child's pid, or -1 if there are no children, the
// caller was killed, or addr is bad.
int
wait(uint64 addr)
{
  struct proc *pp;
  struct proc *p = myproc();
  int havekids, pid;

  acquire(&wait_lock);
  for(;;){
    havekids = 0;
    for(pp = proc; pp < &proc[NPROC]; pp++){
      if(pp->parent != p)
        continue;
      acquire(&pp->lock);   // pp cannot be running exit()'s last steps now
      havekids = 1;
      if(pp->state == ZOMBIE){
        pid = pp->pid;
        if(addr != 0 && copyout(p->pagetable, addr, (char*)&pp->xstate,
                                sizeof(pp->xstate)) < 0){
          release(&pp->lock);
          release(&wait_lock);
          return -1;
        }
        freeproc(pp);
        release(&pp->lock);
        release(&wait_lock);
        return pid;
      }
      release(&pp->lock);
    }

    if(!havekids || killed(p)){
      release(&wait_lock);
      return -1;
    }
    sleep_killable(p, &wait_lock);
  }
}

// Run p until it gives the hart back, if it is RUNNABLE. Returns whether
// it ran.
static int
run_one(struct cpu *c, struct proc *p)
{
  int ran = 0;

  acquire(&p->lock);
  if(p->state == RUNNABLE){
    if(p->drv)
      drv_rewind(p);      // a failed driver task starts over
    p->state = RUNNING;
    c->proc = p;
    c->run_start = r_time();
    swtch(&c->context, &p->context);
    // The process gave the hart back, holding p->lock.
    c->busy += r_time() - c->run_start;
    c->proc = 0;
    if(p->drv)
      drv_switched_out(p);
    ran = 1;
  }
  release(&p->lock);
  return ran;
}

// Runnable driver tasks, before the next process: a reply (and so the
// unit of work the hang detector times) does not wait behind a round of
// user processes. MINIX 3 likewise schedules drivers in higher-priority
// queues.
static void
run_drivers(struct cpu *c)
{
  int i, n = ndrvtasks;

  for(i = 0; i < n; i++){
    struct proc *p = drvtasks[i].proc;
    if(__atomic_load_n(&p->state, __ATOMIC_RELAXED) == RUNNABLE)
      run_one(c, p);
  }
}

// Run one pass over the process table, running each RUNNABLE process until
// it gives the hart back. Returns whether anything ran.
static int
scheduler_pass(struct cpu *c)
{
  struct proc *p;
  int ran = 0;

  for(p = proc; p < &proc[NPROC]; p++){
    if(run_one(c, p)){
      ran = 1;
      if(!p->drv)
        run_drivers(c);
    }
  }
  return ran;
}

// Each hart's scheduler loop; never returns.
//
// Idle harts sleep in wfi instead of spinning. The scan runs with
// interrupts off, so an interrupt that makes a process runnable during the
// scan stays pending, and a pending interrupt ends wfi even with interrupts
// disabled: no wakeup is lost between the scan and the wfi.
void
scheduler(void)
{
  struct cpu *c = mycpu();

  c->proc = 0;
  for(;;){
    intr_on();    // take any interrupt that is pending
    intr_off();
    if(!scheduler_pass(c))
      wfi();
  }
}

// Give the hart to the scheduler. The caller holds exactly p->lock and has
// already changed p->state. intena belongs to this kernel thread, not to
// the hart, so it is saved and restored around the switch.
void
sched(void)
{
  struct proc *p = myproc();
  int intena;

  if(!holding(&p->lock))
    panic("sched: p->lock not held");
  if(mycpu()->noff != 1)
    panic("sched: other locks held");
  if(p->state == RUNNING)
    panic("sched: still running");
  if(intr_get())
    panic("sched: interruptible");

  intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

// Give up the hart for one scheduling round.
void
yield(void)
{
  struct proc *p = myproc();

  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  release(&p->lock);
}

// A new process's first kernel code, entered from the scheduler's swtch()
// with p->lock held. The very first process also mounts the root file
// system (which must sleep, so it cannot happen in main()) and becomes
// /init.
void
forkret(void)
{
  static int first = 1;
  struct proc *p = myproc();

  release(&p->lock);

  if(first){
    char *argv[] = { "/init", 0 };

    first = 0;
    fsinit(ROOTDEV);
    p->cwd = namei("/");
    ledger_inode_keep(p->cwd);
    __sync_synchronize();
    if((p->trapframe->a0 = exec("/init", argv)) == -1)
      panic("forkret: cannot exec /init");
  }
  usertrapret();
}

// Sleep on chan, releasing lk while asleep and holding it again on return.
// Taking p->lock before releasing lk means a wakeup(chan), which needs
// p->lock, cannot slip in between; and chan and state are set before lk
// is released, so a waker that holds lk sees them (wakeup relies on it).
// A killable sleep does not sleep at all once the process is killed.
static void
sleep_on(void *chan, struct spinlock *lk, int killable)
{
  struct proc *p = myproc();

  acquire(&p->lock);
  if(killable && p->killed){
    release(&p->lock);
    return;
  }
  p->chan = chan;
  p->state = SLEEPING;
  release(lk);

  sched();
  p->chan = 0;

  release(&p->lock);
  acquire(lk);
}

void
sleep(void *chan, struct spinlock *lk)
{
  sleep_on(chan, lk, 0);
}

// For a sleeper that gives up when killed: it checks killed() in its loop,
// but kill() wakes only a SLEEPING process, so a kill() landing between
// that check and sleep() would find it RUNNING, wake nobody, and leave it
// asleep with killed set (for ever on a pipe nobody writes; usertests
// killsleep). Checking again under p->lock, which kill() holds to set
// killed, closes the gap; the caller's loop then sees killed and returns.
void
sleep_killable(void *chan, struct spinlock *lk)
{
  sleep_on(chan, lk, 1);
}

// Make every process sleeping on chan runnable. The caller must hold the
// lock it passed to sleep(chan, lk), and no p->lock.
//
// A process not seen sleeping on chan without its p->lock is skipped:
// sleep() set both fields before releasing lk, which we hold, so a sleeper
// on chan cannot be missed. This keeps the common wakeup (every brelse
// and sleeplock release) from taking all NPROC locks.
void
wakeup(void *chan)
{
  struct proc *p;
  struct proc *me = myproc();

  for(p = proc; p < &proc[NPROC]; p++){
    if(p == me || __atomic_load_n(&p->state, __ATOMIC_RELAXED) != SLEEPING ||
       __atomic_load_n(&p->chan, __ATOMIC_RELAXED) != chan)
      continue;
    acquire(&p->lock);
    if(p->state == SLEEPING && p->chan == chan)
      p->state = RUNNABLE;
    release(&p->lock);
  }
}

// Mark the process pid killed. It exits the next time it crosses the user
// boundary (see usertrap()); a sleeping victim is woken so that happens
// soon. Returns 0, or -1 if there is no such process.
int
kill(int pid)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->pid == pid && p->state != UNUSED){
      p->killed = 1;
      if(p->state == SLEEPING)
        p->state = RUNNABLE;
      release(&p->lock);
      return 0;
    }
    release(&p->lock);
  }
  return -1;
}

void
setkilled(struct proc *p)
{
  acquire(&p->lock);
  p->killed = 1;
  release(&p->lock);
}

// Has p been killed? killed is set under p->lock and cleared only when
// the slot is made anew (allocproc), so one load tells what a read under
// the lock would: either may be out of date the moment it returns, which
// is why sleep_killable looks again under the lock. Every trap asks
// twice, so it takes no lock.
int
killed(struct proc *p)
{
  return __atomic_load_n(&p->killed, __ATOMIC_ACQUIRE);
}

// Copy to a user address (user_dst set) or a kernel address. 0 or -1.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char*)dst, src, len);
  return 0;
}

// Copy from a user address (user_src set) or a kernel address. 0 or -1.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char*)src, len);
  return 0;
}

// Print the process table on the console (^P). Takes no locks, so that it
// works on a wedged machine.
void
procdump(void)
{
  static char *states[] = {
    [UNUSED] "unused", [USED] "used", [SLEEPING] "sleep",
    [RUNNABLE] "runble", [RUNNING] "run", [ZOMBIE] "zombie",
  };
  struct proc *p;

  printf("\n");
  for(p = proc; p < &proc[NPROC]; p++){
    if(p->state == UNUSED)
      continue;
    printf("%d %s %s\n", p->pid, states[p->state], p->name);
  }
}
