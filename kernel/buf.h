// A block buffer: the in-memory copy of one disk block, owned by the block
// cache (bio.c).
//
// Life cycle: bread() finds or recycles a buffer, takes its sleep lock and
// fills data from the disk if needed; the caller reads or changes data,
// calls bwrite() (or log_write()) to send changes down, then brelse().
// A buffer with refcnt 0 stays cached and may be recycled for another
// block at any time.
struct buf {
  int valid;             // data holds the block's contents
  int disk;              // 1 while the disk driver owns the request
  uint dev;              // bcache.lock: identity of the cached block
  uint blockno;          // bcache.lock
  struct sleeplock lock; // held by the one process using data
  uint refcnt;           // bcache.lock: holders plus the log's pin
  int pinned;            // bcache.lock: the log's pin is in refcnt
  struct buf *prev;      // bcache.lock: LRU list, most recent after head
  struct buf *next;      // bcache.lock
  uchar data[BSIZE];     // lock: the block's bytes
};

// The block cache (bio.c; the Ev6 self-audit reads it too).
struct bcache {
  // Protects the list, and dev, blockno and refcnt of every buffer.
  // A process that finds every buffer in use sleeps on &bcache.
  struct spinlock lock;
  struct buf buf[NBUF];
  struct buf head;   // list head only; its data is never used
};

extern struct bcache bcache;
