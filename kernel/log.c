// The write-ahead log, which makes every file-system operation atomic with
// respect to crashes: after a crash, either all of an operation's block
// writes reach their home locations or none do.
//
// Interface:
//   initlog(dev, sb)  once, when the root file system is mounted: replay
//                     a transaction that committed before a crash
//   begin_op()        start a file-system operation (a system call's
//                     worth of block writes, at most MAXOPBLOCKS blocks)
//   log_write(b)      use instead of bwrite() inside an operation
//   end_op()          finish the operation; the last one out commits
//
// On disk, block log.start holds the header (struct logheader) and the
// next blocks hold copies of the logged blocks, in header order. Group
// commit: operations from several processes share one transaction, which
// is committed only when none of them is still running. commit() copies
// the cached blocks into the log area, writes the header (the commit
// point: from then on recovery installs the blocks), copies the blocks to
// their home locations, and finally writes an empty header.
//
// Until installed, a logged buffer is pinned in the block cache (bpin) so
// its new contents cannot be evicted and then re-read stale from disk.
//
// Recovery (Ev6, restore): start, size and dev come back from the
// superblock; the lock is taken once no running hart holds it, or rebuilt
// from the ledger under a holder that cannot move (ev6_seize_spinlock); lh
// and commit()'s progress from log_replica, a copy kept up to date under
// log.lock (also by commit(), which otherwise runs without it: see
// commit_step); outstanding and committing from the ledgers, so they need
// no copy: outstanding is the number of processes whose ledger says they
// are inside an operation, and committing is set while a process's ledger
// says it runs the commit. That process set committing and is the one to
// finish the commit; its ledger says so from end_op to log_finish_commit,
// so a call unwound anywhere in between (in commit, or in the acquire
// after it) finishes the commit rather than leaving committing set for
// ever. A system call unwound by recovery inside an operation
// either ends it normally (it wrote nothing), or rolls the whole
// uncommitted transaction back when it was the transaction's only
// operation (log_abort), so an operation never half-commits.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/log.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

struct log log;

#if RECOVERY
struct log_replica log_replica;

static void
replicate(void)
{
  log_replica.aborting = log.aborting;
  log_replica.ops = log.ops;
  log_replica.head_written = log.head_written;
  log_replica.installed = log.installed;
  log_replica.lh.n = log.lh.n;
}

// The copy of one field, for the hot paths that change only that one:
// begin_op (ops) and log_write (lh.n). end_op changes outstanding and
// committing, which need no copy (see Recovery above).
#define replicate_one(field) (log_replica.field = log.field)

// One step of commit()'s progress (head_written, installed, lh.n, ops),
// made and copied inside one log.lock section. commit() runs without
// log.lock, and a restore, which holds it, copies log_replica into the
// log: had the step's stores and their copy been apart, a restore in
// between would take the step back, and the committer's next copy would
// make that permanent. It happened (issue 11, Table 3's devsw-then-log,
// aggressive): commit() set lh.n to 0, slept in write_head(), and a log
// restore meanwhile brought the installed transaction's block list back;
// later log_writes of those blocks found their slots and pinned nothing,
// so a buffer was evicted and re-read stale before its commit: a lost
// update, an unreachable directory on disk.
#define commit_step(stores) \
  do { acquire(&log.lock); stores; replicate(); release(&log.lock); } while(0)
#else
#define replicate() do { } while(0)
#define replicate_one(field) do { } while(0)
#define commit_step(stores) do { stores; } while(0)
#endif

// How many blocks one transaction may log: bounded by the header's array
// and by the log area on disk (one block of which is the header).
int
log_capacity(void)
{
  if(log.size - 1 < LOGSIZE)
    return log.size - 1;
  return LOGSIZE;
}

static void
read_head(void)
{
  struct buf *b = bread(log.dev, log.start);
  struct logheader *lh = (struct logheader *) b->data;
  int i;

  log.lh.n = lh->n;
  for(i = 0; i < log.lh.n; i++)
    log.lh.block[i] = lh->block[i];
  brelse(b);
}

// Write the in-memory header to disk. With lh.n > 0 this is the moment
// the current transaction commits.
static void
write_head(void)
{
  struct buf *b = bread(log.dev, log.start);
  struct logheader *lh = (struct logheader *) b->data;
  int i;

  lh->n = log.lh.n;
  for(i = 0; i < log.lh.n; i++)
    lh->block[i] = log.lh.block[i];
  bwrite(b);
  brelse(b);
}

// Copy the logged blocks from the log area to their home locations.
// During normal commit the home buffers are pinned; recovery pins nothing.
static void
install_trans(int recovering)
{
  int i;

  for(i = recovering ? 0 : log.installed; i < log.lh.n; i++){
    struct buf *from = bread(log.dev, log.start + 1 + i);
    struct buf *to = bread(log.dev, log.lh.block[i]);

    FI_SITE(install_trans, &log);
    memmove(to->data, from->data, BSIZE);
    bwrite(to);
    if(!recovering){
      bunpin(to);
      FI_SITE(install_trans_step, &log);
      // The last block's step also ends the transaction in memory (what
      // commit() would do next in a section of its own).
      commit_step(log.installed = i + 1; if(log.installed == log.lh.n) log.lh.n = 0);
    }
    brelse(from);
    brelse(to);
  }
}

// Copy the cached (new) contents of the logged blocks into the log area.
static void
write_log(void)
{
  int i;

  for(i = 0; i < log.lh.n; i++){
    struct buf *to = bread(log.dev, log.start + 1 + i);
    struct buf *from = bread(log.dev, log.lh.block[i]);

    FI_SITE(write_log, &log);
    FI_SITE(write_log_to, to);
    memmove(to->data, from->data, BSIZE);
    bwrite(to);
    brelse(from);
    brelse(to);
  }
}

// Replay a committed transaction, if the header records one. A header
// that cannot have been written by us (a count or a block number out of
// range) is reported and discarded rather than trusted.
static void
recover_from_log(struct superblock *sb)
{
  int i;

  read_head();
  if(log.lh.n < 0 || log.lh.n > log_capacity()){
    printf("log: bad header (n=%d), not replayed\n", log.lh.n);
    log.lh.n = 0;
  }
  for(i = 0; i < log.lh.n; i++){
    if(log.lh.block[i] < 0 || (uint)log.lh.block[i] >= sb->size){
      printf("log: bad block %d in header, not replayed\n", log.lh.block[i]);
      log.lh.n = 0;
    }
  }
  install_trans(1);
  log.lh.n = 0;
  write_head();
}

void
initlog(int dev, struct superblock *sb)
{
  _Static_assert(sizeof(struct logheader) <= BSIZE, "log header exceeds a block");

  initlock(&log.lock, "log");
  log.start = sb->logstart;
  log.size = sb->nlog;
  log.dev = dev;
  if(log_capacity() < MAXOPBLOCKS)
    panic("initlog: log area too small");
  recover_from_log(sb);
}

// Reserve log space for one operation. Waits while a commit or a
// roll-back (log_claim_abort) is running, and while the blocks already
// logged plus a worst case of MAXOPBLOCKS for every running operation
// (this one included) might not fit.
void
begin_op(void)
{
  FI_SITE(begin_op, &log);
  acquire(&log.lock);
  for(;;){
    if(log.committing || log.aborting){
      sleep(&log, &log.lock);
    } else if(log.lh.n + (log.outstanding + 1) * MAXOPBLOCKS > log_capacity()){
      sleep(&log, &log.lock);
    } else {
      log.outstanding++;     // not replicated: recovery recounts it
      log.ops++;
      replicate_one(ops);
      ledger_op_begin();
      release(&log.lock);
      return;
    }
  }
}

// Write the transaction, if any, to the log and then home. Called with no
// operation outstanding and log.committing set, without log.lock: the
// flag alone keeps everybody else out of lh. Its progress is recorded
// step by step under log.lock, for recovery (commit_step).
void
commit(void)
{
  FI_SITE(commit, &log);
  // Only committing keeps operations from beginning during the commit.
  if(!log.committing)
    panic("commit: not committing");
  if(log.lh.n > 0){
    if(!log.head_written){
      write_log();
      write_head();     // commit point
      commit_step(log.head_written = 1);
    }
    install_trans(0);   // its last step sets lh.n to 0
    if(log.lh.n > 0)
      commit_step(log.lh.n = 0);   // resumed with every block installed
    FI_COMMIT_HOLD();
    write_head();       // transaction done: recovery must not replay it
  }
  // The progress is reset in log_finish_commit's section, with committing.
}

// Commit (log.committing is set), then let operations begin again. Also
// used by recovery when it interrupted a commit: commit() resumes from the
// recorded progress, so no completed operation is lost. Sleeps for disk
// I/O, so log.lock cannot be held.
void
log_finish_commit(void)
{
  commit();
  FI_SITE(log_finish_commit, &log);
  acquire(&log.lock);
  log.ops = 0;
  log.head_written = 0;
  log.installed = 0;
  log.committing = 0;
  // Where access delivery meets the log at the copy's first read: a
  // restore under this section takes the reset back. The ledger lets go
  // of the commit only once the copy holds the reset, so the restored log
  // is still this process's commit, and its unwind finishes it again.
  FI_SITE(log_finish_commit_reset, &log);
  replicate();
  ledger_commit(0);
  wakeup(&log);
  release(&log.lock);
}

void
end_op(void)
{
  int do_commit = 0;

  FI_OPWINDOW_HOLD(EV6_OPWINDOW_END_OP, myproc());
  FI_SITE(end_op, &log);
  acquire(&log.lock);
  if(log.outstanding < 1)
    panic("end_op: no operation");
  if(log.committing)
    panic("end_op: committing");
  log.outstanding--;
  ledger_op_end();
  if(log.outstanding == 0){
    do_commit = 1;
    log.committing = 1;
    ledger_commit(1);
  } else {
    // The space reserved for this operation is free again.
    wakeup(&log);
  }
  release(&log.lock);

  if(do_commit)
    log_finish_commit();
}

// For power-off: wait until no operation is running and nothing is being
// committed, so every completed operation is on disk, and keep log.lock
// so that none starts. Never returns the lock: the machine stops next.
void
log_quiesce(void)
{
  acquire(&log.lock);
  while(log.outstanding > 0 || log.committing)
    sleep(&log, &log.lock);
}

// Record that b (held by the caller, inside an operation) has been
// modified. The block joins the current transaction; writing the same
// block again in the transaction uses the same log slot. The ledger
// knows from the first instruction that b has changed: a call unwound
// in here, with b's block already in the transaction, leaves its change
// in a buffer the transaction will commit (ev6_unwind.c).
void
log_write(struct buf *b)
{
  int i;

  ledger_logging(b->blockno);
  FI_OPWINDOW_HOLD(EV6_OPWINDOW_LOG_WRITE, myproc());
  FI_SITE(log_write, b);
  FI_SITE(log_write_log, &log);
  acquire(&log.lock);
  if(log.outstanding < 1)
    panic("log_write: outside an operation");
  for(i = 0; i < log.lh.n; i++){
    if(log.lh.block[i] == b->blockno)
      break;
  }
  if(i == log.lh.n){
    if(log.lh.n >= log_capacity())
      panic("log_write: transaction too big");
    log.lh.block[i] = b->blockno;
    log.lh.n++;
#if RECOVERY
    log_replica.lh.block[i] = b->blockno;
#endif
    replicate_one(lh.n);
    bpin(b);
  }
  ledger_op_write();
  release(&log.lock);
}

#if RECOVERY
// Is block blockno part of the current, uncommitted transaction? The
// unlocked form is for recovery before surgery, when the interrupted
// context may hold log.lock.
int
log_holds_unlocked(uint blockno)
{
  int i;

  for(i = 0; i < log.lh.n && i < LOGSIZE; i++)
    if(log.lh.block[i] == blockno)
      return 1;
  return 0;
}

int
log_holds(uint blockno)
{
  int found;

  acquire(&log.lock);
  found = log_holds_unlocked(blockno);
  release(&log.lock);
  return found;
}

// Is the caller's operation the only one in the current transaction, so
// that rolling the transaction back undoes nobody else's work?
int
log_sole_operation_unlocked(void)
{
  return log.outstanding == 1 && log.ops == 1 && !log.committing;
}

// Claim the roll-back of the caller's operation (log_abort) if it is the
// only one. Until log_abort, begin_op waits: an operation begun in between
// (while the unwind gave back buffers and locks) once joined the
// transaction and lost its earlier writes with it, its later ones
// committing alone. Returns whether it was claimed.
int
log_claim_abort(void)
{
  int sole;

  acquire(&log.lock);
  sole = log_sole_operation_unlocked();
  if(sole){
    log.aborting = 1;
    replicate();
  }
  release(&log.lock);
  return sole;
}

// Recovery of a damaged buffer: which logged block has no healthy cached
// buffer (so it was the damaged one's)? Returns it, or -1. Reads the log
// without its lock: the interrupted context may hold it.
int
log_lost_block(struct buf *damaged)
{
  int i;

  for(i = 0; i < log.lh.n && i < LOGSIZE; i++)
    if(!bcached_elsewhere(log.dev, log.lh.block[i], damaged))
      return log.lh.block[i];
  return -1;
}

// End the caller's operation by throwing its transaction away: every
// logged block, and every cached inode whose disk copy is in one, is read
// again from its home location on next use. Only after log_claim_abort,
// with no buffer held.
void
log_abort(void)
{
  int i, n;
  int blocks[LOGSIZE];

  acquire(&log.lock);
  n = log.lh.n;
  for(i = 0; i < n; i++)
    blocks[i] = log.lh.block[i];
  log.lh.n = 0;
  log.outstanding--;
  log.ops = 0;
  ledger_op_end();
  replicate();
  release(&log.lock);

  for(i = 0; i < n; i++){
    binvalidate(log.dev, blocks[i], 1);
    inode_forget(log.dev, blocks[i]);
  }

  acquire(&log.lock);
  log.aborting = 0;
  replicate();
  wakeup(&log);
  release(&log.lock);
}

// Processes whose ledger says they are inside an operation: what
// log.outstanding should be. No lock: for recovery and the self-audit.
int
log_count_ops(void)
{
  struct proc *p;
  int n = 0;

  for(p = proc; p < &proc[NPROC]; p++)
    if(p->state != UNUSED && p->ledger.in_op)
      n++;
  return n;
}

// Does a process's ledger say it runs the commit? What log.committing
// should be. Not a copy: the ledger's flag and log.committing change in
// one log.lock section, and the copy only at its end, so a restore under
// a holder stopped in between (end_op's commit, log_finish_commit) took
// back the flag the section had just changed: a commit unwound from
// there ran with committing clear while new operations began (their
// writes half in it), or committing stayed set with nobody to clear it.
static int
log_committer(void)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++)
    if(p->state != UNUSED && p->ledger.committing)
      return 1;
  return 0;
}

// Restore a damaged log (see the Recovery paragraph above). The caller
// has already rebuilt log.lock's state from the ledger.
void
log_restore(struct superblock *sb, int dev)
{
  int i;

  log.start = sb->logstart;
  log.size = sb->nlog;
  log.dev = dev;
  log.committing = log_committer();
  log.aborting = log_replica.aborting;
  log.ops = log_replica.ops;
  log.head_written = log_replica.head_written;
  log.installed = log_replica.installed;
  log.lh.n = log_replica.lh.n;
  for(i = 0; i < log.lh.n && i < LOGSIZE; i++)
    log.lh.block[i] = log_replica.lh.block[i];
  log.outstanding = log_count_ops();
}
#endif

#if RECOVERY
uint64
log_register(void)
{
  ev6_registry_add(EV6_T_LOG, &log, 1, sizeof(log));
  return sizeof(log_replica);
}

// Internal-Surgery for the log (restore; see Recovery above).
int
log_recover(struct ev6_error *e)
{
  extern struct superblock sb;
  int took;

  if(log.dev == 0 && log_replica.lh.n == 0 && sb.magic != FSMAGIC){
    e->reason = "log-not-mounted";
    return -1;
  }
  took = ev6_seize_spinlock(e, &log.lock, "log");
  log_restore(&sb, ROOTDEV);
  if(took)
    release(&log.lock);
  ev6_defer_wakeup(&log);
  ev6_poison_clear(&log, sizeof(log));
  return 0;
}
#endif
