// Ev6 unwinding: give back what the interrupted system call held, as its
// ledger lists it, so the process can leave the kernel (SF) or exit (PK)
// as if the call had failed cleanly. Runs in process context on a fresh
// kernel stack after every spinlock was released (ev6.c).
//
// A commit that recovery interrupted (the ledger says this process set
// log.committing and has not cleared it) is finished (log_finish_commit).
// File-system state is left consistent: buffers the call held but did not
// log are dropped from the cache (their data may be half-modified); an
// open operation that wrote nothing simply ends, and the inodes the call
// held locked are read again on next use (it may have changed one, a
// link count say, without logging it yet: sys_link unwound in its first
// log_write once kept nlink 2 for one entry). An operation wrote when a
// log_write of it finished, or when it was inside one whose block is in
// the transaction already: the caller changes a buffer before logging it,
// and that buffer stays the transaction's. One that wrote blocks is
// rolled back with the whole transaction when it was the transaction's
// only operation (claimed first, log_claim_abort, so no other operation
// joins it), before the call's inodes are put in an operation of their
// own (a put that frees an unlinked inode must not be rolled back too:
// the inode stayed allocated with no links). Otherwise committing half
// of it is the only way out: conservative mode refuses
// (ev6_unwind_check), aggressive mode commits, giving back a block the
// call allocated and had not linked into its file yet (balloc_undo).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/file.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
// Did p's open operation change the transaction (see above)? Reads the
// log without its lock, and the answer holds still: the transaction
// cannot commit while the operation is open, and no one else can log the
// block, whose buffer the call holds locked.
static int
op_wrote(struct ledger *l)
{
  return l->in_op && (l->op_writes > 0 || (l->logging && log_holds_unlocked(l->logging)));
}

// Why p's operation cannot be unwound in this mode, or 0. Called before
// surgery, with the interrupted context's locks still held.
const char *
ev6_unwind_check(struct proc *p)
{
  if(op_wrote(&p->ledger) && !log_sole_operation_unlocked() && ev6_mode == EV6_CONSERVATIVE)
    return "partial-transaction";
  return 0;
}

void
ev6_unwind_resources(struct proc *p)
{
  struct ledger *l = &p->ledger;
  int wrote = op_wrote(l);
  int abort_op = wrote && log_claim_abort();
  // The locked inodes' changes go with the call, unless half of them
  // stays in a transaction that commits (reloading an inode half freed
  // by iput would bring back blocks whose free is logged).
  int forget = l->in_op && (!wrote || abort_op);
  int began = 0;

  l->logging = 0;

  while(l->nbufs > 0){
    struct buf *b = l->bufs[l->nbufs - 1];
    int n = l->nbufs;
    if(abort_op || !log_holds(b->blockno))
      b->valid = 0;          // we hold its lock: nobody else is reading it
    brelse(b);
    if(l->nbufs == n)
      l->nbufs--;
  }
  while(l->nsleeplocks > 0){
    struct sleeplock *lk = l->sleeplocks[l->nsleeplocks - 1];
    int n = l->nsleeplocks;
    if(forget)   // an inode's lock (the audit): we hold it, nobody reads it
      ((struct inode*)((char*)lk - __builtin_offsetof(struct inode, lock)))->valid = 0;
    releasesleep(lk);
    if(l->nsleeplocks == n)
      l->nsleeplocks--;
  }
  // Before any begin_op: it would wait for this very commit.
  if(l->committing)
    log_finish_commit();
  if(abort_op)
    log_abort();             // ends the operation: in_op is 0 now
  // Half the call commits: a block it allocated and never linked must
  // not stay marked in use (a leak; aggressive mode, make campaign-access).
  if(l->newblock && wrote && !abort_op)
    balloc_undo(ROOTDEV, l->newblock);
  l->newblock = 0;
  if(l->ninodes > 0 && !l->in_op){
    begin_op();              // iput may free the inode's blocks
    began = 1;
  }
  while(l->ninodes > 0){
    struct inode *ip = l->inodes[l->ninodes - 1];
    int n = l->ninodes;
    iput(ip);
    if(l->ninodes == n)
      l->ninodes--;
  }
  if(l->in_op || began)
    end_op();
  if(l->closing)
    pipeclose(l->closing, l->closing_writable);   // its file is gone already
  if(l->file){
    struct file *f = l->file;
    l->file = 0;
    fileclose(f);            // still FD_NONE: only the slot is given back
  }
  if(l->exec_args){
    exec_args_free(l->exec_args);
    l->exec_args = 0;
  }
  if(l->child){
    struct proc *np = l->child;
    l->child = 0;
    fork_abandon(np);
  }
  if(l->page){
    kfree(l->page);
    l->page = 0;
  }
  ptrep_settle(p);
}
#endif
