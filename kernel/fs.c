// The file system proper: the superblock, block allocation, inodes, file
// contents, directories and path names. Layered on the log (log.c) and
// the block cache (bio.c); the on-disk format is in fs.h.
//
// Interface:
//   fsinit(dev)            mount: read the superblock, recover the log
//   balloc/bfree           allocate and free data blocks (bitmap)
//   ialloc/iget/idup/iput  allocate inodes, take and drop references
//   ilock/iunlock          lock an inode, loading it from disk on first use
//   iupdate/itrunc         write an inode back; free all its blocks
//   readi/writei/stati     file contents and metadata
//   dirlookup/dirlink      directory entries
//   namei/nameiparent      path names
//
// Inode life cycle. An in-memory inode (itable.inode[]) is in use while
// its ref > 0: iget()/idup() add a reference, iput() drops one. Its disk
// fields are loaded lazily by ilock() and are only used with ip->lock
// held. When the last reference goes and no directory entry refers to the
// inode (nlink == 0), iput() frees the file's blocks and the disk inode.
//
// Every function that may write a block (balloc, bfree, ialloc, iupdate,
// itrunc, writei, dirlink, and iput, which may free) must run inside a
// log operation: begin_op() ... end_op().
//
// Lock order: parent directory before child; an inode's sleep lock before
// buffer locks; itable.lock and bcache.lock innermost.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/file.h"
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#define min(a, b) ((a) < (b) ? (a) : (b))

// The root file system's superblock; constant after fsinit().
struct superblock sb;

static void
readsb(int dev, struct superblock *s)
{
  struct buf *b = bread(dev, 1);

  memmove(s, b->data, sizeof(*s));
  brelse(b);
}

#if RECOVERY
// Per inode number (mod NWGEN), a count of changes to an inode's content
// (writei, itrunc, ialloc): a clean user page loaded from a file may be
// re-read from it while the count is as it was at exec (ev6_upage.c).
// Inodes sharing a count only make a re-read refuse more often.
static uint wgen[NWGEN];

uint
inode_wgen(uint inum)
{
  return wgen[inum % NWGEN];
}
#define wgen_bump(inum) __sync_fetch_and_add(&wgen[(inum) % NWGEN], 1)
#else
#define wgen_bump(inum) do { } while(0)
#endif

#if RECOVERY
// The superblock's replica: block 1 as fsinit read it. The kernel never
// writes block 1, so this is what the disk holds; surgery cannot read the
// disk itself (it must not sleep), so it restores from this copy, after
// checking the copy against the checksum taken with it.
static struct superblock sb_replica;
static uint sb_replica_sum;    // 0 until fsinit has read the superblock

static uint
sb_checksum(struct superblock *s)
{
  uchar *p = (uchar*)s;
  uint h = 2166136261u, i;   // FNV-1a; never 0 for a real superblock

  for(i = 0; i < sizeof(*s); i++)
    h = (h ^ p[i]) * 16777619u;
  return h | 1;
}

static void
sb_keep(void)
{
  sb_replica = sb;
  sb_replica_sum = sb_checksum(&sb_replica);
}

uint64
sb_register(void)
{
  ev6_registry_add(EV6_T_SB, &sb, 1, sizeof(sb));
  return sizeof(sb_replica) + sizeof(sb_replica_sum);
}

// Internal-Surgery for the superblock (restore): copy the verified
// replica back and check it as fsinit does.
int
sb_recover(struct ev6_error *e)
{
  if(sb_replica_sum == 0){
    e->reason = "superblock-not-read-yet";
    return -1;
  }
  if(sb_checksum(&sb_replica) != sb_replica_sum || sb_replica.magic != FSMAGIC ||
     sb_replica.size <= sb_replica.nblocks || sb_replica.ninodes == 0){
    e->reason = "superblock-replica-bad";
    return -1;
  }
  sb = sb_replica;
  ev6_poison_clear(&sb, sizeof(sb));
  return 0;
}
#endif

// Called by the first process, since reading the disk needs to sleep.
void
fsinit(int dev)
{
  readsb(dev, &sb);
  if(sb.magic != FSMAGIC)
    panic("fsinit: not a file system");
#if RECOVERY
  sb_keep();
#endif
  initlog(dev, &sb);
}

// ---------------------------------------------------------------- blocks

static void
bzero(int dev, int bno)
{
  struct buf *b = bread(dev, bno);

  memset(b->data, 0, BSIZE);
  log_write(b);
  brelse(b);
}

// Allocate a zeroed data block. Returns its number, or 0 if the disk is
// full.
uint
balloc(uint dev)
{
  uint base, bit;

  FI_SITE(balloc, &sb);
  for(base = 0; base < sb.size; base += BPB){
    struct buf *b = bread(dev, BBLOCK(base, sb));

    for(bit = 0; bit < BPB && base + bit < sb.size; bit++){
      uchar mask = 1 << (bit % 8);

      if((b->data[bit/8] & mask) == 0){
        b->data[bit/8] |= mask;
        ledger_newblock(base + bit);   // until bmap links it (balloc_undo)
        log_write(b);
        brelse(b);
        bzero(dev, base + bit);
        return base + bit;
      }
    }
    brelse(b);
  }
  printf("balloc: out of blocks\n");
  return 0;
}

// Clear block bno's mark in the bitmap, if it has one; returns whether
// it had.
static int
bunmark(int dev, uint bno)
{
  struct buf *b = bread(dev, BBLOCK(bno, sb));
  uint bit = bno % BPB;
  uchar mask = 1 << (bit % 8);
  int marked = (b->data[bit/8] & mask) != 0;

  if(marked){
    b->data[bit/8] &= ~mask;
    log_write(b);
  }
  brelse(b);
  return marked;
}

void
bfree(int dev, uint bno)
{
  if(!bunmark(dev, bno))
    panic("bfree: block already free");
}

#if RECOVERY
// An unwound call's balloc of bno, never linked into a file
// (ledger.newblock), in a transaction that commits half the call
// (ev6_unwind.c): free it again if its mark is in the transaction, or the
// commit leaks the block. A mark not logged went with its buffer, which
// the unwind dropped. Inside the call's open operation.
void
balloc_undo(int dev, uint bno)
{
  if(bno >= sb.size - sb.nblocks && bno < sb.size && log_holds(BBLOCK(bno, sb)))
    bunmark(dev, bno);
}
#endif

// ---------------------------------------------------------------- inodes

struct itable itable;   // file.h

#if RECOVERY
// Copy of each entry's identity, for Ev6 recovery; itable.lock guards it.
struct inode_identity itable_identity[NINODE];
#endif

void
iinit(void)
{
  int i;

  initlock(&itable.lock, "itable");
  for(i = 0; i < NINODE; i++)
    initsleeplock(&itable.inode[i].lock, "inode");
}

// A reference to the in-memory inode for (dev, inum), neither locked nor
// read from disk. Returns 0 when the table is full.
struct inode*
iget(uint dev, uint inum)
{
  struct inode *ip, *empty = 0;

  acquire(&itable.lock);
  for(ip = itable.inode; ip < itable.inode + NINODE; ip++){
    FI_SITE(iget, ip);
    if(ip->ref > 0 && ip->dev == dev && ip->inum == inum){
      ip->ref++;
      ledger_inode_get(ip);
      release(&itable.lock);
      return ip;
    }
    if(empty == 0 && ip->ref == 0)
      empty = ip;
  }
  if(empty){
    empty->dev = dev;
    empty->inum = inum;
    empty->ref = 1;
    empty->valid = 0;
#if RECOVERY
    itable_identity[empty - itable.inode].dev = dev;
    itable_identity[empty - itable.inode].inum = inum;
#endif
    ledger_inode_get(empty);
  }
  release(&itable.lock);
  return empty;
}

// Allocate a disk inode of the given type. Returns it referenced and
// unlocked, or 0 if there is no free inode (on disk or in the table).
struct inode*
ialloc(uint dev, short type)
{
  uint inum;

  for(inum = 1; inum < sb.ninodes; inum++){
    struct buf *b = bread(dev, IBLOCK(inum, sb));
    struct dinode *dip = (struct dinode*)b->data + inum % IPB;

    if(dip->type == 0){
      // Take the table entry first, so that failing leaves the disk
      // inode free.
      struct inode *ip = iget(dev, inum);

      if(ip){
        wgen_bump(inum);
        memset(dip, 0, sizeof(*dip));
        dip->type = type;
        log_write(b);
      }
      brelse(b);
      return ip;
    }
    brelse(b);
  }
  return 0;
}

// Write the locked inode's fields back to its disk inode.
void
iupdate(struct inode *ip)
{
  struct buf *b = bread(ip->dev, IBLOCK(ip->inum, sb));
  struct dinode *dip = (struct dinode*)b->data + ip->inum % IPB;

  dip->type = ip->type;
  dip->major = ip->major;
  dip->minor = ip->minor;
  dip->nlink = ip->nlink;
  dip->size = ip->size;
  memmove(dip->addrs, ip->addrs, sizeof(ip->addrs));
  log_write(b);
  brelse(b);
}

struct inode*
idup(struct inode *ip)
{
  FI_SITE(idup, ip);
  acquire(&itable.lock);
  ip->ref++;
  ledger_inode_get(ip);
  release(&itable.lock);
  return ip;
}

// Read ip's disk copy into it (ip locked).
static void
iload(struct inode *ip)
{
  struct buf *b = bread(ip->dev, IBLOCK(ip->inum, sb));
  struct dinode *dip = (struct dinode*)b->data + ip->inum % IPB;

  ip->type = dip->type;
  ip->major = dip->major;
  ip->minor = dip->minor;
  ip->nlink = dip->nlink;
  ip->size = dip->size;
  memmove(ip->addrs, dip->addrs, sizeof(ip->addrs));
  brelse(b);
  ip->valid = 1;
}

// Lock ip, reading it from disk if this is the first use.
void
ilock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1)
    panic("ilock: no reference");
  FI_SITE(ilock, ip);
  acquiresleep(&ip->lock);
  if(!ip->valid){
    iload(ip);
    if(ip->type == 0)
      panic("ilock: inode is free");
  }
}

void
iunlock(struct inode *ip)
{
  if(ip == 0 || !holdingsleep(&ip->lock) || ip->ref < 1)
    panic("iunlock");
  releasesleep(&ip->lock);
}

// Drop a reference. The last reference to an inode with no links frees it
// on disk, so every call must be inside a log operation.
void
iput(struct inode *ip)
{
  acquire(&itable.lock);
#if RECOVERY
  // Recovery may have reset the last reference's disk copy (an inode
  // recovery, or an aborted transaction: inode_forget); load it so that
  // an unlinked inode is still freed below. Decided under itable.lock, as
  // the free is: two holders putting at once, each looking before either
  // let go, would both see two references and skip the load, and the last
  // one would then skip the free. A copy that is free on disk (the aborted
  // transaction allocated it) has nothing to free.
  if(ip->ref == 1 && !ip->valid){
    release(&itable.lock);
    acquiresleep(&ip->lock);  // the ledger still lists this reference
    if(!ip->valid)
      iload(ip);
    if(ip->type == 0)
      ip->valid = 0;
    releasesleep(&ip->lock);
    acquire(&itable.lock);
  }
#endif
  // The reference stays in the ledger until ref-- below: an unwind of a
  // call interrupted inside the free puts it again, and that iput finishes
  // the free (dropping it here left ref 1 with no holder, and the inode
  // allocated with nlink 0 on disk: an orphan; `ev6test repeat` beside
  // stress found it).
  if(ip->ref == 1 && ip->valid && ip->nlink == 0){
    // Nobody else holds a reference, so nobody holds the lock either:
    // acquiresleep() cannot block here.
    acquiresleep(&ip->lock);
    release(&itable.lock);

    itrunc(ip);
    ip->type = 0;
    iupdate(ip);
    ip->valid = 0;

    releasesleep(&ip->lock);
    acquire(&itable.lock);
  }
  ledger_inode_put(ip);
  ip->ref--;
  release(&itable.lock);
}

void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// ---------------------------------------------------------- file contents

// The disk block holding block bn of the file, allocated if the file has
// none there yet. Returns 0 if the disk is full or bn is beyond the
// largest file.
uint
bmap(struct inode *ip, uint bn)
{
  uint addr, *entries;
  struct buf *b;

  if(bn < NDIRECT){
    if((addr = ip->addrs[bn]) == 0){
      addr = balloc(ip->dev);
      ip->addrs[bn] = addr;
      ledger_newblock(0);
    }
    return addr;
  }
  bn -= NDIRECT;
  if(bn >= NINDIRECT)
    return 0;

  if((addr = ip->addrs[NDIRECT]) == 0){
    addr = balloc(ip->dev);
    if(addr == 0)
      return 0;
    ip->addrs[NDIRECT] = addr;
    ledger_newblock(0);
  }
  b = bread(ip->dev, addr);
  entries = (uint*)b->data;
  if((addr = entries[bn]) == 0){
    addr = balloc(ip->dev);
    if(addr){
      entries[bn] = addr;
      // Linked once the entry is in the buffer: an unwind in the
      // log_write that leaves it to the commit must not free the block.
      ledger_newblock(0);
      log_write(b);
    }
  }
  brelse(b);
  return addr;
}

// Free all of the locked inode's data blocks and make it empty.
void
itrunc(struct inode *ip)
{
  int i;

  wgen_bump(ip->inum);
  for(i = 0; i < NDIRECT; i++){
    if(ip->addrs[i]){
      bfree(ip->dev, ip->addrs[i]);
      ip->addrs[i] = 0;
    }
  }
  if(ip->addrs[NDIRECT]){
    struct buf *b = bread(ip->dev, ip->addrs[NDIRECT]);
    uint *entries = (uint*)b->data;

    for(i = 0; i < NINDIRECT; i++){
      if(entries[i])
        bfree(ip->dev, entries[i]);
    }
    brelse(b);
    bfree(ip->dev, ip->addrs[NDIRECT]);
    ip->addrs[NDIRECT] = 0;
  }
  ip->size = 0;
  iupdate(ip);
}

// Copy the locked inode's metadata into st.
void
stati(struct inode *ip, struct stat *st)
{
  st->dev = ip->dev;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// Read up to n bytes at offset off of the locked inode into dst, a user
// address if user_dst is set, else a kernel one. Returns the number of
// bytes read (short at end of file), or -1 if dst is bad.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  uint done, m;

  FI_SITE(readi, ip);
  if(off > ip->size || off + n < off)
    return 0;
  if(off + n > ip->size)
    n = ip->size - off;

  for(done = 0; done < n; done += m, off += m, dst += m){
    uint addr = bmap(ip, off / BSIZE);
    struct buf *b;

    if(addr == 0)
      break;
    b = bread(ip->dev, addr);
    m = min(n - done, BSIZE - off % BSIZE);
    if(either_copyout(user_dst, dst, b->data + off % BSIZE, m) == -1){
      brelse(b);
      return -1;
    }
    brelse(b);
  }
  return done;
}

// Write n bytes from src (user address if user_src is set) at offset off
// of the locked inode, growing the file if needed. Returns the number of
// bytes written, short if the disk fills up or src goes bad, or -1 if off
// is beyond the end of the file or the file would be too big.
int
writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  uint done, m;

  FI_SITE(writei, ip);
  if(off > ip->size || off + n < off)
    return -1;
  if(off + n > MAXFILE * BSIZE)
    return -1;

  wgen_bump(ip->inum);
  for(done = 0; done < n; done += m, off += m, src += m){
    uint addr = bmap(ip, off / BSIZE);
    struct buf *b;

    if(addr == 0)
      break;
    b = bread(ip->dev, addr);
    m = min(n - done, BSIZE - off % BSIZE);
    if(either_copyin(b->data + off % BSIZE, user_src, src, m) == -1){
      brelse(b);
      break;
    }
    log_write(b);
    brelse(b);
  }

  if(off > ip->size)
    ip->size = off;
  // Even without growth, bmap() may have added blocks to ip->addrs.
  iupdate(ip);
  return done;
}

// ------------------------------------------------------------ directories

int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}

// The inode named name in the locked directory dp, referenced but not
// locked, or 0 if there is none. Sets *poff to the entry's byte offset.
struct inode*
dirlookup(struct inode *dp, char *name, uint *poff)
{
  uint off;
  struct dirent de;

  if(dp->type != T_DIR)
    panic("dirlookup: not a directory");

  for(off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return 0;
    if(de.inum != 0 && namecmp(name, de.name) == 0){
      if(poff)
        *poff = off;
      return iget(dp->dev, de.inum);
    }
  }
  return 0;
}

// Add the entry (name, inum) to the locked directory dp, reusing a free
// slot if there is one. Returns 0, or -1 if the name is already present
// or the directory cannot grow.
int
dirlink(struct inode *dp, char *name, uint inum)
{
  uint off, slot = dp->size;
  struct dirent de;

  // Compare names directly rather than through dirlookup(), so that the
  // check does not depend on a free entry in the inode table.
  for(off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return -1;
    if(de.inum == 0){
      if(slot == dp->size)
        slot = off;
    } else if(namecmp(name, de.name) == 0){
      return -1;
    }
  }

  memset(&de, 0, sizeof(de));
  strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  if(writei(dp, 0, (uint64)&de, slot, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// -------------------------------------------------------------- path names

// Copy the first element of path into name (DIRSIZ bytes; a longer element
// is cut short) and return the rest of the path with its leading slashes
// removed. Returns 0 if path has no element.
//   skipelem("a/bb/c", name) = "bb/c", name "a"
//   skipelem("///a//bb", name) = "bb", name "a"
//   skipelem("a", name) = "", name "a"
//   skipelem("", name) = skipelem("////", name) = 0
static char*
skipelem(char *path, char *name)
{
  char *start;
  int len;

  while(*path == '/')
    path++;
  if(*path == '\0')
    return 0;
  start = path;
  while(*path != '/' && *path != '\0')
    path++;
  len = path - start;
  if(len >= DIRSIZ){
    memmove(name, start, DIRSIZ);
  } else {
    memmove(name, start, len);
    name[len] = '\0';
  }
  while(*path == '/')
    path++;
  return path;
}

// Walk path from the root or the current directory. With want_parent set,
// stop one element early: return the directory that would hold the last
// element, and copy that element into name (DIRSIZ bytes). The result is
// referenced but not locked; 0 if some step fails. Must run inside a log
// operation, since dropping references may free inodes.
static struct inode*
namex(char *path, int want_parent, char *name)
{
  struct inode *ip, *next;

  if(*path == '/')
    ip = iget(ROOTDEV, ROOTINO);
  else
    ip = idup(myproc()->cwd);
  if(ip == 0)
    return 0;

  while((path = skipelem(path, name)) != 0){
    ilock(ip);
    if(ip->type != T_DIR){
      iunlockput(ip);
      return 0;
    }
    if(want_parent && *path == '\0'){
      iunlock(ip);
      return ip;
    }
    next = dirlookup(ip, name, 0);
    iunlockput(ip);
    if(next == 0)
      return 0;
    ip = next;
  }
  if(want_parent){
    // The path named no element, e.g. "/": there is no parent to return.
    iput(ip);
    return 0;
  }
  return ip;
}

struct inode*
namei(char *path)
{
  char name[DIRSIZ];

  return namex(path, 0, name);
}

struct inode*
nameiparent(char *path, char *name)
{
  return namex(path, 1, name);
}

#if RECOVERY
// Block blockno of dev was thrown away with an aborted transaction
// (log_abort): cached inodes whose disk copies it holds may carry that
// transaction's changes (a link count, a size, block addresses), so the
// next ilock reads them again. No other operation runs meanwhile
// (log_claim_abort), so nobody is changing an inode.
void
inode_forget(uint dev, uint blockno)
{
  struct inode *ip;

  acquire(&itable.lock);
  for(ip = &itable.inode[0]; ip < &itable.inode[NINODE]; ip++)
    if(ip->ref > 0 && ip->dev == dev && IBLOCK(ip->inum, sb) == blockno)
      ip->valid = 0;
  release(&itable.lock);
}

uint64
itable_register(void)
{
  ev6_registry_add(EV6_T_INODE, itable.inode, NINODE, sizeof(struct inode));
  ev6_registry_add(EV6_T_INODE, &itable, 1, sizeof(itable.lock));
  return sizeof(itable_identity);
}

// References to ip that the kernel can account for: open files, current
// directories, and the ledgers of system calls in progress. No lock: for
// recovery and the self-audit.
int
inode_count_refs(struct inode *ip)
{
  struct proc *p;
  int i, refs = file_inode_refs(ip);

  for(p = proc; p < &proc[NPROC]; p++){
    if(p->state == UNUSED)
      continue;
    if(p->cwd == ip)
      refs++;
    for(i = 0; i < p->ledger.ninodes; i++)
      if(p->ledger.inodes[i] == ip)
        refs++;
  }
  return refs;
}

// Internal-Surgery for a damaged in-memory inode (initialize). Identity
// comes back from itable_identity, the reference count from counting the
// references, the lock from the ledger; the disk copy is marked invalid so
// the next ilock() re-reads it from the block cache, where every change
// made under the log already is. An inode another process has locked is
// in use with its old fields: that cannot be repaired under it.
int
inode_recover(struct ev6_error *e)
{
  struct inode *ip;
  struct proc *holder;
  int i = e->obj.index;

  if(i < 0){
    if(ev6_seize_spinlock(e, &itable.lock, "itable"))
      release(&itable.lock);
    ev6_poison_clear(&itable.lock, sizeof(itable.lock));
    return 0;
  }
  ip = &itable.inode[i];
  holder = ev6_ledger_owner(&ip->lock, EV6_LEDGER_SLEEPLOCKS, 0);
  if(holder && holder != myproc()){
    e->reason = "inode-locked-by-another-process";
    return -1;
  }
  ip->dev = itable_identity[i].dev;
  ip->inum = itable_identity[i].inum;
  ip->ref = inode_count_refs(ip);
  ip->valid = 0;
  ip->type = ip->major = ip->minor = ip->nlink = 0;
  ip->size = 0;
  memset(ip->addrs, 0, sizeof(ip->addrs));
  ev6_rebuild_sleeplock(&ip->lock, "inode", holder);
  ev6_poison_clear(ip, sizeof(*ip));
  return 0;
}
#endif

#if RECOVERY
// Read n bytes at off of inode (dev, inum) into kernel memory at dst, if
// its content is still what it was when inode_wgen(inum) returned gen.
// For a clean user page lost to a memory error (ev6_upage.c): process
// context, no locks held. 0, or -1 if the file changed or the read failed.
int
inode_reread(uint dev, uint inum, uint gen, uint64 dst, uint off, uint n)
{
  struct inode *ip;
  int ok;

  if(inode_wgen(inum) != gen)
    return -1;
  begin_op();
  ip = iget(dev, inum);
  // Held now, the inode cannot be freed; unchanged, it was not meanwhile.
  if(ip == 0 || inode_wgen(inum) != gen){
    if(ip)
      iput(ip);
    end_op();
    return -1;
  }
  ilock(ip);
  ok = readi(ip, 0, dst, off, n) == n && inode_wgen(inum) == gen;
  iunlockput(ip);
  end_op();
  return ok ? 0 : -1;
}
#endif
