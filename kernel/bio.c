// The block cache: NBUF buffers holding recently used disk blocks.
//
// Interface:
//   binit()          once at boot, before any disk access
//   bread(dev, n)    a locked buffer holding block n of dev, read from the
//                    disk unless already cached
//   bwrite(b)        write a locked buffer's data to its disk block now
//   brelse(b)        unlock the buffer and drop the caller's reference
//   bpin/bunpin(b)   extra reference held by the log, so that a block
//                    written in a transaction stays cached until installed
//                    (at most one: b->pinned says whether it is held)
//
// At most one cached buffer exists per (dev, blockno), and only one
// process at a time may use a buffer's data: the buffer's sleep lock is
// held from bread() to brelse(). Buffers nobody holds (refcnt 0) stay in
// the cache and are recycled least recently released first: the list
// through bcache.head runs from most recently released (head.next) to
// least (head.prev).
//
// Recovery (Ev6, initialize): a damaged buffer's fields are all treated as
// lost. Its list links come back from its neighbours, its sleep lock from
// the ledger, its reference count from the ledgers of the processes that
// hold it. If nobody but the recovering process holds it and the log does
// not hold its block, it becomes an empty, invalid buffer that no lookup
// matches. Data that only the damaged buffer had -- a logged, uncommitted
// block, or a buffer another process is using -- is lost: fail-stop.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

struct bcache bcache;   // buf.h

void
binit(void)
{
  struct buf *b;

  initlock(&bcache.lock, "bcache");
  bcache.head.prev = &bcache.head;
  bcache.head.next = &bcache.head;
  for(b = bcache.buf; b < bcache.buf + NBUF; b++){
    initsleeplock(&b->lock, "buffer");
    b->next = bcache.head.next;
    b->prev = &bcache.head;
    bcache.head.next->prev = b;
    bcache.head.next = b;
  }
}

#if RECOVERY
// While the caller slept for b's lock, did recovery initialise b
// (buf_recover: b names no block now, and the caller's reference was
// dropped with every other but the failing process's)? Then b is let go
// and the caller looks again; before, it went on with a buffer naming
// block 0xffffffff, and bread sent that to the disk (a device error and a
// panic; Table 3's wc rows under access delivery).
static inline int
bget_lost(struct buf *b, uint dev, uint blockno)
{
  if(b->dev == dev && b->blockno == blockno)
    return 0;
  releasesleep_buf(b);
  return 1;
}

// A buffer's lock is taken and let go with its ledger entry: the entry
// for the buffer says the process holds its lock too (sleeplock.c).
#define lock_buf(b)   acquiresleep_buf(b)
#define unlock_buf(b) releasesleep_buf(b)
#else
#define lock_buf(b)   acquiresleep(&(b)->lock)
#define unlock_buf(b) releasesleep(&(b)->lock)
#endif

// The buffer for block blockno of dev, locked, with refcnt counting the
// caller. Its data is valid only if b->valid is set. When every buffer is
// in use, wait for one to be released rather than fail: the holders are
// all in the middle of short operations.
struct buf*
bget(uint dev, uint blockno)
{
  struct buf *b;

  acquire(&bcache.lock);
  for(;;){
#if RECOVERY
  again:
#endif
    for(b = bcache.head.next; b != &bcache.head; b = b->next){
      FI_SITE(bget, b);
      if(b->dev == dev && b->blockno == blockno){
        b->refcnt++;
        release(&bcache.lock);
        lock_buf(b);
#if RECOVERY
        if(bget_lost(b, dev, blockno)){
          acquire(&bcache.lock);
          goto again;
        }
#endif
        return b;
      }
    }
    // Not cached: take the least recently released idle buffer.
    for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
      FI_SITE(bget, b);
      if(b->refcnt == 0){
        b->dev = dev;
        b->blockno = blockno;
        b->valid = 0;
        b->refcnt = 1;
        release(&bcache.lock);
        lock_buf(b);
        return b;
      }
    }
    sleep(&bcache, &bcache.lock);
  }
}

struct buf*
bread(uint dev, uint blockno)
{
  struct buf *b = bget(dev, blockno);

  FI_SITE(bread, b);
  if(!b->valid){
    virtio_disk_rw(b, 0);
    b->valid = 1;
  }
  return b;
}

void
bwrite(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("bwrite: buffer not locked");
  FI_SITE(bwrite, b);
  virtio_disk_rw(b, 1);
}

void
brelse(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("brelse: buffer not locked");
  unlock_buf(b);

  acquire(&bcache.lock);
  b->refcnt--;
  if(b->refcnt == 0){
    // Move to the most recently released end.
    b->next->prev = b->prev;
    b->prev->next = b->next;
    b->next = bcache.head.next;
    b->prev = &bcache.head;
    bcache.head.next->prev = b;
    bcache.head.next = b;
    wakeup(&bcache);
  }
  release(&bcache.lock);
}

// The log's pin is a flag as well as a reference, so that dropping it
// twice drops one reference: a commit that recovery interrupted between a
// block's bunpin and the record of its install (log.installed) installs
// that block again when the unwind finishes it, and unpins it again.
void
bpin(struct buf *b)
{
  acquire(&bcache.lock);
  if(!b->pinned){
    b->pinned = 1;
    b->refcnt++;
  }
  release(&bcache.lock);
}

void
bunpin(struct buf *b)
{
  acquire(&bcache.lock);
  if(b->pinned){
    b->pinned = 0;
    b->refcnt--;
    if(b->refcnt == 0)
      wakeup(&bcache);
  }
  release(&bcache.lock);
}

#if RECOVERY
// Forget the cached contents of block blockno of dev, if cached: the next
// bread() reads the disk. With unpin, also drop the log's reference.
void
binvalidate(uint dev, uint blockno, int unpin)
{
  struct buf *b;

  acquire(&bcache.lock);
  for(b = bcache.buf; b < bcache.buf + NBUF; b++){
    if(b->dev == dev && b->blockno == blockno){
      b->valid = 0;
      if(unpin && b->pinned){
        b->pinned = 0;
        b->refcnt--;
      }
    }
  }
  wakeup(&bcache);
  release(&bcache.lock);
}

// Is block blockno of dev cached in a buffer other than skip? No lock:
// for recovery, which may have interrupted a holder of bcache.lock.
int
bcached_elsewhere(uint dev, uint blockno, struct buf *skip)
{
  struct buf *b;

  for(b = bcache.buf; b < bcache.buf + NBUF; b++)
    if(b != skip && b->dev == dev && b->blockno == blockno)
      return 1;
  return 0;
}

// Register the buffers with the Ev6 registry.
uint64
bcache_register(void)
{
  ev6_registry_add(EV6_T_BUF, bcache.buf, NBUF, sizeof(struct buf));
  ev6_registry_add(EV6_T_BUF, &bcache, 1, sizeof(bcache.lock));
  return 0;
}

// Internal-Surgery for a damaged buffer (see Recovery above).
int
buf_recover(struct ev6_error *e)
{
  struct buf *b, *x;
  struct proc *me = myproc(), *holder;
  int refs = 0, i;

  if(e->obj.index < 0){
    // bcache.lock itself: rebuild it; the list is intact.
    if(ev6_seize_spinlock(e, &bcache.lock, "bcache"))
      release(&bcache.lock);
    ev6_poison_clear(&bcache.lock, sizeof(bcache.lock));
    return 0;
  }
  b = &bcache.buf[e->obj.index];

  for(holder = ev6_ledger_owner(b, EV6_LEDGER_BUFS, 0); holder;
      holder = ev6_ledger_owner(b, EV6_LEDGER_BUFS, holder)){
    if(holder != me){
      e->reason = "buffer-in-use-by-another-process";
      return -1;
    }
    for(i = 0; i < me->ledger.nbufs; i++)
      if(me->ledger.bufs[i] == b)
        refs++;
    break;
  }
  // A logged block always has a cached buffer; one the healthy buffers
  // do not account for was this buffer's, and its new data are gone.
  if(log_lost_block(b) >= 0){
    e->reason = "logged-block-lost";
    return -1;
  }

  b->prev = b->next = 0;
  for(x = bcache.buf; x < bcache.buf + NBUF; x++){
    if(x != b && x->next == b)
      b->prev = x;
    if(x != b && x->prev == b)
      b->next = x;
  }
  if(bcache.head.next == b)
    b->prev = &bcache.head;
  if(bcache.head.prev == b)
    b->next = &bcache.head;
  if(b->prev == 0 || b->next == 0){
    e->reason = "buffer-list-broken";
    return -1;
  }
  b->dev = ~0U;          // matches no device: never found by bget
  b->blockno = ~0U;
  b->valid = 0;
  b->disk = 0;
  b->refcnt = refs;
  b->pinned = 0;         // its block is not logged (log_lost_block)
  ev6_rebuild_sleeplock(&b->lock, "buffer", refs ? me : 0);
  ev6_poison_clear(b, sizeof(*b));
  return 0;
}
#endif
