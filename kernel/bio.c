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
//
// At most one cached buffer exists per (dev, blockno), and only one
// process at a time may use a buffer's data: the buffer's sleep lock is
// held from bread() to brelse(). Buffers nobody holds (refcnt 0) stay in
// the cache and are recycled least recently released first: the list
// through bcache.head runs from most recently released (head.next) to
// least (head.prev).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/defs.h"

struct {
  // Protects the list, and dev, blockno and refcnt of every buffer.
  // A process that finds every buffer in use sleeps on &bcache.
  struct spinlock lock;
  struct buf buf[NBUF];
  struct buf head;   // list head only; its data is never used
} bcache;

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
    for(b = bcache.head.next; b != &bcache.head; b = b->next){
      if(b->dev == dev && b->blockno == blockno){
        b->refcnt++;
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
      }
    }
    // Not cached: take the least recently released idle buffer.
    for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
      if(b->refcnt == 0){
        b->dev = dev;
        b->blockno = blockno;
        b->valid = 0;
        b->refcnt = 1;
        release(&bcache.lock);
        acquiresleep(&b->lock);
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
  virtio_disk_rw(b, 1);
}

void
brelse(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("brelse: buffer not locked");
  releasesleep(&b->lock);

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

void
bpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt++;
  release(&bcache.lock);
}

void
bunpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt--;
  if(b->refcnt == 0)
    wakeup(&bcache);
  release(&bcache.lock);
}
