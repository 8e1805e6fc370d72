// The Ev6 ledger: where the kernel records what the running context holds,
// so that recovery can unwind a system call exactly. In a RECOVERY=0 build
// every hook compiles to nothing.
//
//   ledger_lock(c, lk) / ledger_unlock(c, lk) spinlocks, per hart c
//   ledger_sleep(p, lk) / ledger_wake(lk)     sleeplocks, per process (p:
//                                             the caller's myproc())
//   ledger_buf_get(p, b) / ledger_buf_put(b)  locked buffers, per process:
//                                             made and dropped with the
//                                             buffer's lock, which is not
//                                             listed apart (one entry
//                                             instead of two on every
//                                             bread; sleeplock.c)
//   ledger_inode_get(ip) / ledger_inode_put(ip)
//                                             transient inode references
//   ledger_inode_keep(ip)                     the reference now belongs to a
//                                             file, a cwd or a child
//   ledger_op_begin() / ledger_op_end() / ledger_op_write()
//                                             the open log operation
//   ledger_newblock(blockno)                  balloc marked the block in use,
//                                             bmap has not linked it into
//                                             its file yet (0: linked)
//   ledger_logging(blockno)                   log_write has begun on the
//                                             block's buffer, which the
//                                             caller changed already (until
//                                             ledger_op_write)
//   ledger_commit(on)                         this process runs the commit
//                                             (from end_op's log.committing = 1
//                                             to log_finish_commit's = 0)
//   ledger_child(np)                          fork's child being built (0: done)
//   ledger_page(pa)                           a page no one else holds: a user
//                                             page between kalloc and its
//                                             mapping, a pipe's before its
//                                             files or after them (0: done)
//   ledger_exec_args(argv)                    sys_exec's kalloc'ed argument
//                                             table (0: freed)
//   ledger_file(f)                            the file filealloc just took,
//                                             while it lets go of ftable.lock
//                                             (0: returned to its caller)
//   ledger_pipe_close(pi, w)                  the end of pi (w: the write end)
//                                             whose last file fileclose freed,
//                                             until pipeclose has closed it: the
//                                             pipe's end is still open (0: done)
//
// Spinlocks are recorded per hart: a spinlock is held with interrupts off
// and released on the hart that took it (p->lock crosses swtch() but is
// released by the same hart's scheduler). Everything else is recorded per
// process, because a process may sleep and move between harts while it
// holds sleeplocks, buffers and inodes.
//
// Each list is a small stack: taking pushes, giving back removes the
// newest matching entry. An entry that finds its list full is counted as
// lost instead (a hart's heldlost, a process's ledger.lost), and giving
// back an entry the list does not have gives back a lost one; while any
// are lost, recovery knows it cannot unwind exactly. The count of the
// entries listed never exceeds LEDGER_MAX, so removing a listed entry
// from a list that overflowed leaves no stale slot behind.
//
// The hooks run on every lock, buffer and inode operation, so they are
// inline and never mask interrupts (make bench measures what they cost).
// Include after riscv.h, spinlock.h and proc.h.

#if RECOVERY
#include "kernel/memlayout.h"

static inline void
ledger_push(void **list, int *n, int *lost, void *x)
{
  if(__builtin_expect(*n < LEDGER_MAX, 1))
    list[(*n)++] = x;
  else
    (*lost)++;
}

// Remove the newest entry equal to x, almost always the last one (on
// every release: kept to a handful of instructions); ledger_drop_deep
// (ledger.c) handles the rest.
void ledger_drop_deep(void **list, int *n, int *lost, void *x);

static inline void
ledger_drop(void **list, int *n, int *lost, void *x)
{
  int top = *n;

  if(__builtin_expect(top > 0 && list[top-1] == x, 1))
    *n = top - 1;
  else
    ledger_drop_deep(list, n, lost, x);
}

// The process whose kernel stack this is, or 0 on a hart's own stack
// (scheduler, boot). Process p's stack page is at KSTACK(p - proc) and
// moves with it between harts, so unlike myproc() this needs no
// interrupt masking. Every hook calls it, so it is kept short: stacks are
// 2*PGSIZE apart and KSTACK(0) sits at PGSIZE into a 2*PGSIZE block
// (asserted below), so every sp in stack i's page, [KSTACK(i),
// KSTACK(i) + PGSIZE), lies in block KSTACK(0)/(2*PGSIZE) - i (sp is below
// the page's top in any function: each one's prologue allocates a frame).
// Below the lowest stack the difference is NPROC or more, and above
// KSTACK(0)'s block it wraps to more still.
_Static_assert(KSTACK(0) % (2*PGSIZE) == PGSIZE, "ledger_proc: kernel stack layout");

static inline struct proc *
ledger_proc(void)
{
  uint64 block, i;

  asm volatile("srli %0, sp, %1" : "=r"(block) : "i"(PGSHIFT + 1));   // sp / (2*PGSIZE)
  i = KSTACK(0) / (2*PGSIZE) - block;

  return i < NPROC ? &proc[i] : 0;
}

#define LEDGER_PROC_LIST(list, n, op, x) do { \
    struct proc *p_ = ledger_proc(); \
    if(p_) op((void**)p_->ledger.list, &p_->ledger.n, &p_->ledger.lost, (x)); \
  } while(0)

// ledger_proc() for a caller inside a section of spinlock lk: lk->cpu is
// this hart, whose process cannot move while interrupts are off, and the
// hart's proc is the process whose kernel code runs here (0 in the
// scheduler, whose stack is the hart's own): the same answer, in two
// loads instead of the stack arithmetic. Unlike ledger_proc() it reads
// memory, which a delivered error may stop: so it serves only where
// nothing has changed yet in the section, so that stopping there leaves
// the entry and what it records consistent (releasesleep and
// releasesleep_buf, on every buffer: the entry goes, then the lock).
static inline struct proc *
ledger_proc_holding(struct spinlock *lk)
{
  return lk->cpu->proc;
}

#define LEDGER_HOLDER_LIST(lk, list, n, op, x) do { \
    struct proc *p_ = ledger_proc_holding(lk); \
    if(p_) op((void**)p_->ledger.list, &p_->ledger.n, &p_->ledger.lost, (x)); \
  } while(0)

// The same for the current process p, where the caller has it (myproc()).
#define LEDGER_LIST_OF(p, list, n, op, x) \
  op((void**)(p)->ledger.list, &(p)->ledger.n, &(p)->ledger.lost, (x))

// A hart's spinlocks (struct cpu: held[0] up to heldtop, heldlost more)
// change on every acquire and release, so they are kept as a stack
// addressed by its top pointer, with no index to scale, and the drop
// needs no emptiness test: below held[0] lies heldfloor, always 0, which
// is never the lock being released. take() (spinlock.c) makes the entry
// in two steps: the slot just past the top names the lock before the
// swap, and heldtop moves over it after. So that slot is always 0 or the
// lock this hart's take() is trying (ledger_taking). Interrupts are off
// in all of these: c holds or is taking lk.
_Static_assert(__builtin_offsetof(struct cpu, held) ==
               __builtin_offsetof(struct cpu, heldfloor) + sizeof(void*),
               "ledger: heldfloor must lie just below held[0]");

void ledger_unlock_deep(struct cpu *c, struct spinlock *lk);

static inline void
ledger_unlock(struct cpu *c, struct spinlock *lk)
{
  struct spinlock **top = c->heldtop;

  if(__builtin_expect(top[-1] == lk, 1)){
    top[-1] = 0;
    c->heldtop = top - 1;
  } else if(top - c->held >= 2 && top[-2] == lk){
    top[-2] = top[-1];       // sleep() lets its lock go holding p->lock
    top[-1] = 0;
    c->heldtop = top - 1;
  } else {
    ledger_unlock_deep(c, lk);
  }
}

// The lock hart c's take() was trying when c stopped there, or 0.
static inline struct spinlock *
ledger_taking(struct cpu *c)
{
  return c->heldtop < c->held + LEDGER_MAX ? *c->heldtop : 0;
}

#define ledger_sleep(p, lk)    LEDGER_LIST_OF(p, sleeplocks, nsleeplocks, ledger_push, lk)
// ledger_wake and ledger_buf_put run holding the sleeplock's own spinlock.
#define ledger_wake(lk)        LEDGER_HOLDER_LIST(&(lk)->lk, sleeplocks, nsleeplocks, ledger_drop, lk)
#define ledger_buf_get(p, b)   LEDGER_LIST_OF(p, bufs, nbufs, ledger_push, b)
#define ledger_buf_put(b)      LEDGER_HOLDER_LIST(&(b)->lock.lk, bufs, nbufs, ledger_drop, b)
#define ledger_inode_get(ip)   LEDGER_PROC_LIST(inodes, ninodes, ledger_push, ip)
#define ledger_inode_put(ip)   LEDGER_PROC_LIST(inodes, ninodes, ledger_drop, ip)
#define ledger_inode_keep(ip)  LEDGER_PROC_LIST(inodes, ninodes, ledger_drop, ip)

static inline void
ledger_child(struct proc *np)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.child = np;
}

// ledger_page with the process already looked up (lp: ledger_proc(), or
// 0): a loop over pages (uvmalloc, uvmcopy) looks it up once, with
// LEDGER_PROC_ONCE(lp), instead of twice per page.
#define LEDGER_PROC_ONCE(lp) struct proc *lp = ledger_proc()

static inline void
ledger_page_of(struct proc *lp, void *pa)
{
  if(lp)
    lp->ledger.page = pa;
}

static inline void
ledger_page(void *pa)
{
  ledger_page_of(ledger_proc(), pa);
}

static inline void
ledger_exec_args(char **argv)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.exec_args = argv;
}

static inline void
ledger_file(struct file *f)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.file = f;
}

static inline void
ledger_pipe_close(struct pipe *pi, int writable)
{
  struct proc *p = ledger_proc();

  if(p){
    p->ledger.closing_writable = writable;
    p->ledger.closing = pi;
  }
}

static inline void
ledger_op_begin(void)
{
  struct proc *p = ledger_proc();

  if(p){
    p->ledger.in_op = 1;
    p->ledger.op_writes = 0;
    p->ledger.logging = 0;
    p->ledger.newblock = 0;
  }
}

static inline void
ledger_op_end(void)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.in_op = 0;
}

static inline void
ledger_commit(int on)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.committing = on;
}

static inline void
ledger_newblock(uint blockno)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.newblock = blockno;
}

static inline void
ledger_logging(uint blockno)
{
  struct proc *p = ledger_proc();

  if(p)
    p->ledger.logging = blockno;
}

static inline void
ledger_op_write(void)
{
  struct proc *p = ledger_proc();

  if(p){
    p->ledger.op_writes++;
    p->ledger.logging = 0;
  }
}
#else
#define ledger_lock(c, lk)     do { } while(0)
#define ledger_unlock(c, lk)   do { } while(0)
#define ledger_sleep(p, lk)    do { (void)(p); } while(0)
#define ledger_wake(lk)        do { } while(0)
#define ledger_buf_get(p, b)   do { (void)(p); } while(0)
#define ledger_buf_put(b)      do { } while(0)
#define ledger_inode_get(ip)   do { } while(0)
#define ledger_inode_put(ip)   do { } while(0)
#define ledger_inode_keep(ip)  do { } while(0)
#define ledger_child(np)       do { } while(0)
#define ledger_page(pa)        do { } while(0)
#define LEDGER_PROC_ONCE(lp)   do { } while(0)
#define ledger_page_of(lp, pa) do { } while(0)
#define ledger_exec_args(argv) do { } while(0)
#define ledger_op_begin()      do { } while(0)
#define ledger_op_end()        do { } while(0)
#define ledger_op_write()      do { } while(0)
#define ledger_logging(blockno) do { } while(0)
#define ledger_newblock(blockno) do { } while(0)
#define ledger_commit(on)      do { } while(0)
#define ledger_file(f)         do { } while(0)
#define ledger_pipe_close(pi, w) do { } while(0)
#endif
