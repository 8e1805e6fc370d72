// fsck: check a file-system image in the format of kernel/fs.h.
//
//   usage: fsck [-rv] fs.img
//
//   -r  if the log holds a committed transaction, check the image as it will
//       be after the kernel replays the log at boot (the replay is done in
//       memory only; the image file is never written)
//   -v  print a summary of a clean image, and every problem rather than the
//       first MAXSHOWN
//
// Exit status: 0 if the image is consistent, 1 if it is not (one line per
// problem on stderr, naming the inodes and blocks involved), 2 on a usage or
// I/O error.
//
// The whole image is read into memory and checked in passes, one function
// each: superblock, log, inodes (types, sizes, block pointers, blocks claimed
// twice), free bitmap, directory contents, the tree from the root ("." and
// "..", hard links to directories, orphans), and link counts.
//
// Link counts follow the kernel: a new file or directory has nlink 1 for its
// entry in the parent; each subdirectory's ".." adds one to its parent; "."
// never counts. mkfs gives the root nlink 1, and the root's ".." names the
// root itself. So nlink(i) must equal the number of directory entries naming
// inode i that are not called ".".
#include <err.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#define stat xv6_stat   // kernel/stat.h's struct stat is not the host's
#include "kernel/stat.h"
#undef stat

#define MAXSHOWN 100          // problems printed without -v
#define MAXBLOCKS (1u << 24)  // larger images are not believed
#define DIRENTSZ ((uint)sizeof(struct dirent))

// An inode as read from the image, in host byte order.
struct ino {
  short type, major, minor, nlink;
  uint size;
  uint addrs[NDIRECT + 1];
};

// Everything known about the image being checked.
static struct {
  const char *name;      // image path, for messages
  int verbose;           // -v
  int replay;            // -r
  uchar *img;            // the image
  size_t len;            // bytes in the image file
  struct superblock sb;  // in host byte order
  uint datastart;        // first data block: sb.size - sb.nblocks
  struct ino *ino;       // [ninodes]
  uint *owner;           // [size] inode whose file holds the block, or 0
  uint *parent;          // [ninodes] directory whose entry names this dir
  uint *refs;            // [ninodes] entries naming the inode, "." excepted
  uchar *reached;        // [ninodes] found by the walk from the root
  int nproblems;
} fs;

// Little-endian loads.
static uint
get16(const uchar *p)
{
  return p[0] | p[1] << 8;
}

static uint
get32(const uchar *p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (uint)p[3] << 24;
}

static uchar *
block(uint b)
{
  return fs.img + (size_t)b * BSIZE;
}

// Report one inconsistency.
static void
problem(const char *fmt, ...)
{
  va_list ap;

  fs.nproblems++;
  if(fs.nproblems > MAXSHOWN && !fs.verbose)
    return;
  fprintf(stderr, "fsck: %s: ", fs.name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

// Report something worth knowing that is not an inconsistency.
static void
note(const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "fsck: %s: note: ", fs.name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static const char *
typename(int type)
{
  switch(type){
  case 0: return "free";
  case T_DIR: return "directory";
  case T_FILE: return "file";
  case T_DEVICE: return "device";
  }
  return "bad type";
}

// Read the image file into fs.img and fs.len; exit 2 on failure.
static void
readimage(void)
{
  size_t cap = 0, n;
  FILE *f;

  if((f = fopen(fs.name, "rb")) == NULL)
    err(2, "%s", fs.name);
  for(;;){
    if(fs.len == cap){
      cap = cap ? 2 * cap : 4 << 20;
      if((fs.img = realloc(fs.img, cap)) == NULL)
        err(2, "%s", fs.name);
    }
    n = fread(fs.img + fs.len, 1, cap - fs.len, f);
    fs.len += n;
    if(n == 0)
      break;
  }
  if(ferror(f))
    err(2, "%s", fs.name);
  fclose(f);
}

// Check the superblock. Returns 0 if the layout is usable for the other
// checks (every block it names is in the image), -1 if not.
static int
check_superblock(void)
{
  struct superblock *sb = &fs.sb;
  uint ninodeblocks, nbitmap;
  const uchar *p;

  if(fs.len < 2 * BSIZE){
    problem("image is %zu bytes, too small to hold a superblock", fs.len);
    return -1;
  }
  p = block(1);
  sb->magic = get32(p + offsetof(struct superblock, magic));
  sb->size = get32(p + offsetof(struct superblock, size));
  sb->nblocks = get32(p + offsetof(struct superblock, nblocks));
  sb->ninodes = get32(p + offsetof(struct superblock, ninodes));
  sb->nlog = get32(p + offsetof(struct superblock, nlog));
  sb->logstart = get32(p + offsetof(struct superblock, logstart));
  sb->inodestart = get32(p + offsetof(struct superblock, inodestart));
  sb->bmapstart = get32(p + offsetof(struct superblock, bmapstart));

  if(sb->magic != FSMAGIC){
    problem("bad superblock magic 0x%08x (expected 0x%08x)", sb->magic, FSMAGIC);
    return -1;
  }
  if(fs.len % BSIZE != 0)
    problem("image is %zu bytes, not a whole number of %d-byte blocks", fs.len, BSIZE);
  if(sb->size < 2 || sb->size > MAXBLOCKS){
    problem("superblock size %u blocks is implausible", sb->size);
    return -1;
  }
  if((size_t)sb->size * BSIZE != fs.len){
    problem("superblock size %u blocks does not match the image size %zu blocks",
            sb->size, fs.len / BSIZE);
    if((size_t)sb->size * BSIZE > fs.len)
      return -1;   // blocks it names are missing: nothing more can be checked
  }
  if(sb->nlog < 2 || sb->nlog - 1 > (BSIZE - sizeof(int)) / sizeof(int)){
    problem("superblock nlog %u is implausible (a log header holds at most %u blocks)",
            sb->nlog, (uint)((BSIZE - sizeof(int)) / sizeof(int)));
    return -1;
  }
  if(sb->ninodes < ROOTINO + 1 || sb->ninodes > 65536){
    problem("superblock ninodes %u is implausible (inode numbers are 16 bits)", sb->ninodes);
    return -1;
  }
  if(sb->nblocks > sb->size){
    problem("superblock nblocks %u exceeds size %u", sb->nblocks, sb->size);
    return -1;
  }
  if(sb->logstart >= sb->size || sb->inodestart >= sb->size || sb->bmapstart >= sb->size){
    problem("superblock regions start beyond the image: log %u, inodes %u, bitmap %u, size %u",
            sb->logstart, sb->inodestart, sb->bmapstart, sb->size);
    return -1;
  }
  fs.datastart = sb->size - sb->nblocks;
  ninodeblocks = (sb->ninodes + IPB - 1) / IPB;
  nbitmap = (sb->size + BPB - 1) / BPB;
  if(sb->logstart < 2 || sb->inodestart < sb->logstart + sb->nlog ||
     sb->bmapstart < sb->inodestart + ninodeblocks ||
     fs.datastart < sb->bmapstart + nbitmap){
    problem("superblock regions overlap or are out of order: log %u+%u, inodes %u+%u, "
            "bitmap %u+%u, data %u+%u",
            sb->logstart, sb->nlog, sb->inodestart, ninodeblocks,
            sb->bmapstart, nbitmap, fs.datastart, sb->nblocks);
    return -1;
  }
  return 0;
}

// Check the log header. A committed transaction (n > 0) is legal: the
// kernel installs it at boot. With -r, install it here, in memory.
static void
check_log(void)
{
  const uchar *hdr = block(fs.sb.logstart);
  int n = (int)get32(hdr);
  uint i, b;
  int bad = 0;

  if(n == 0)
    return;
  if(n < 0 || (uint)n > fs.sb.nlog - 1){
    problem("log header n = %d is impossible: the log holds at most %u blocks",
            n, fs.sb.nlog - 1);
    return;
  }
  for(i = 0; i < (uint)n; i++){
    b = get32(hdr + sizeof(int) * (i + 1));
    if(b < fs.sb.inodestart || b >= fs.sb.size){
      problem("log entry %u names block %u, outside the inode, bitmap and data area [%u, %u)",
              i, b, fs.sb.inodestart, fs.sb.size);
      bad = 1;
    }
  }
  if(bad)
    return;
  note("log holds a committed, not yet installed transaction of %d blocks%s", n,
       fs.replay ? "; checking the image as replayed"
                 : " (the kernel replays it at boot; -r checks the replayed image)");
  if(!fs.replay)
    return;
  for(i = 0; i < (uint)n; i++)
    memmove(block(get32(hdr + sizeof(int) * (i + 1))), block(fs.sb.logstart + 1 + i), BSIZE);
  memset(block(fs.sb.logstart), 0, sizeof(int));
}

// Decode inode inum from the image into fs.ino[inum].
static void
load_inode(uint inum)
{
  const uchar *p = block(IBLOCK(inum, fs.sb)) + (inum % IPB) * sizeof(struct dinode);
  struct ino *ip = &fs.ino[inum];
  int i;

  ip->type = get16(p + offsetof(struct dinode, type));
  ip->major = get16(p + offsetof(struct dinode, major));
  ip->minor = get16(p + offsetof(struct dinode, minor));
  ip->nlink = get16(p + offsetof(struct dinode, nlink));
  ip->size = get32(p + offsetof(struct dinode, size));
  for(i = 0; i < NDIRECT + 1; i++)
    ip->addrs[i] = get32(p + offsetof(struct dinode, addrs) + i * sizeof(uint));
}

static int
indata(uint b)
{
  return b >= fs.datastart && b < fs.sb.size;
}

// Record that inode inum uses block b.
static void
claim(uint inum, uint b)
{
  if(fs.owner[b] == inum)
    problem("block %u is used twice by inode %u", b, inum);
  else if(fs.owner[b] != 0)
    problem("block %u is used by inode %u and inode %u", b, fs.owner[b], inum);
  else
    fs.owner[b] = inum;
}

// nfblocks when an inode's size is not believed: its pointers are then
// checked for range and sharing only, not against the size.
#define NOSIZE ((uint)-1)

// Check one block pointer of inode inum, for file block fbn (where and idx
// say which pointer it is). The block must be present iff fbn < nfblocks,
// the number of blocks the size needs. Claims the block.
static void
check_pointer(uint inum, uint b, uint fbn, uint nfblocks, const char *where, uint idx)
{
  if(b == 0){
    if(fbn < nfblocks && nfblocks != NOSIZE)
      problem("inode %u (size %u) has no block for file block %u (%s %u is 0)",
              inum, fs.ino[inum].size, fbn, where, idx);
    return;
  }
  if(!indata(b)){
    problem("inode %u %s %u = %u is outside the data area [%u, %u)",
            inum, where, idx, b, fs.datastart, fs.sb.size);
    return;
  }
  if(fbn >= nfblocks && nfblocks != NOSIZE)
    problem("inode %u has a block pointer %s %u = %u past its size %u",
            inum, where, idx, b, fs.ino[inum].size);
  claim(inum, b);
}

// Check every block pointer of an allocated inode.
static void
check_blocks(uint inum)
{
  struct ino *ip = &fs.ino[inum];
  uint nfblocks = (ip->size + BSIZE - 1) / BSIZE;
  uint i, ind;

  if(ip->size > MAXFILE * BSIZE){
    problem("inode %u size %u exceeds the largest file size %u",
            inum, ip->size, (uint)(MAXFILE * BSIZE));
    nfblocks = NOSIZE;
  }

  for(i = 0; i < NDIRECT; i++)
    check_pointer(inum, ip->addrs[i], i, nfblocks, "addrs", i);
  ind = ip->addrs[NDIRECT];
  if(ind == 0){
    if(nfblocks > NDIRECT && nfblocks != NOSIZE)
      problem("inode %u (size %u) has no indirect block", inum, ip->size);
    return;
  }
  if(!indata(ind)){
    problem("inode %u indirect block %u is outside the data area [%u, %u)",
            inum, ind, fs.datastart, fs.sb.size);
    return;
  }
  if(nfblocks <= NDIRECT && nfblocks != NOSIZE)
    problem("inode %u has an indirect block %u past its size %u", inum, ind, ip->size);
  claim(inum, ind);
  for(i = 0; i < NINDIRECT; i++)
    check_pointer(inum, get32(block(ind) + i * sizeof(uint)), NDIRECT + i, nfblocks,
                  "indirect entry", i);
}

// Check every inode: type, size, a free inode's emptiness, block pointers.
static void
check_inodes(void)
{
  struct ino *ip;
  uint inum;
  int i, used;

  for(inum = 0; inum < fs.sb.ninodes; inum++){
    load_inode(inum);
    ip = &fs.ino[inum];
    if(inum == 0){
      if(ip->type != 0)
        problem("inode 0 is reserved but has type %d", ip->type);
      continue;
    }
    if(ip->type == 0){
      used = ip->nlink != 0 || ip->size != 0;
      for(i = 0; i < NDIRECT + 1; i++)
        used |= ip->addrs[i] != 0;
      if(used)
        problem("free inode %u is not empty (nlink %d, size %u, or block pointers set)",
                inum, ip->nlink, ip->size);
      continue;
    }
    if(ip->type != T_DIR && ip->type != T_FILE && ip->type != T_DEVICE)
      problem("inode %u has bad type %d", inum, ip->type);
    check_blocks(inum);
  }
}

static int
bitset(uint b)
{
  return block(fs.sb.bmapstart + b / BPB)[(b % BPB) / 8] >> (b % 8) & 1;
}

// Compare the free bitmap with the metadata area and the blocks in use.
static void
check_bitmap(void)
{
  uint b;

  for(b = 0; b < fs.sb.size; b++){
    if(b < fs.datastart){
      if(!bitset(b))
        problem("metadata block %u is marked free in the bitmap", b);
    } else if(fs.owner[b] != 0 && !bitset(b)){
      problem("block %u is used by inode %u but marked free in the bitmap", b, fs.owner[b]);
    } else if(fs.owner[b] == 0 && bitset(b)){
      problem("block %u is marked in use in the bitmap but no inode uses it (leaked)", b);
    }
  }
}

// The block holding file block fbn of inode inum, or 0 if it has none that
// is usable.
static uint
fileblock(uint inum, uint fbn)
{
  struct ino *ip = &fs.ino[inum];
  uint b;

  if(fbn < NDIRECT)
    b = ip->addrs[fbn];
  else if(fbn < MAXFILE && indata(ip->addrs[NDIRECT]))
    b = get32(block(ip->addrs[NDIRECT]) + (fbn - NDIRECT) * sizeof(uint));
  else
    b = 0;
  return indata(b) ? b : 0;
}

// Directory entry k of directory inum, or NULL if its block is missing.
static const uchar *
direntry(uint inum, uint k)
{
  uint off = k * DIRENTSZ, b = fileblock(inum, off / BSIZE);

  return b ? block(b) + off % BSIZE : NULL;
}

// Entries in directory inum, as many as its size and the largest file allow.
static uint
nentries(uint inum)
{
  uint size = fs.ino[inum].size;

  return (size < MAXFILE * BSIZE ? size : MAXFILE * BSIZE) / DIRENTSZ;
}

#define DEINUM(de) get16((de) + offsetof(struct dirent, inum))
#define DENAME(de) ((const char *)(de) + offsetof(struct dirent, name))

static int
isname(const uchar *de, const char *name)
{
  return strncmp(DENAME(de), name, DIRSIZ) == 0;
}

// Is the name field non-empty, free of '/', and NUL-padded after its end?
static int
goodname(const uchar *de)
{
  const char *name = DENAME(de);
  int i, end = 0;

  for(i = 0; i < DIRSIZ; i++){
    if(name[i] == '\0')
      end = 1;
    else if(end || name[i] == '/')
      return 0;
  }
  return name[0] != '\0';
}

// The inode that the entry called name in directory inum refers to, or 0.
static uint
lookup(uint inum, const char *name)
{
  const uchar *de;
  uint k;

  for(k = 0; k < nentries(inum); k++)
    if((de = direntry(inum, k)) != NULL && DEINUM(de) != 0 && isname(de, name))
      return DEINUM(de);
  return 0;
}

// Are "." and ".." entries 0 and 1 of directory inum, as the kernel assumes
// when it asks whether a directory is empty?
static int
firsttwo(uint inum)
{
  const uchar *dot = direntry(inum, 0), *dotdot = direntry(inum, 1);

  return fs.ino[inum].size >= 2 * DIRENTSZ && dot && dotdot &&
    DEINUM(dot) != 0 && isname(dot, ".") && DEINUM(dotdot) != 0 && isname(dotdot, "..");
}

// Check the entries of one directory and count the references they make.
static void
check_dir(uint inum)
{
  uint size = fs.ino[inum].size, k, t;
  const uchar *de;
  char name[DIRSIZ + 1];

  if(size % DIRENTSZ != 0)
    problem("directory %u size %u is not a multiple of %u", inum, size, DIRENTSZ);
  for(k = 0; k < nentries(inum); k++){
    if((de = direntry(inum, k)) == NULL || (t = DEINUM(de)) == 0)
      continue;
    snprintf(name, sizeof(name), "%.*s", DIRSIZ, DENAME(de));
    if(!goodname(de))
      problem("directory %u entry %u (\"%s\", inode %u) has a bad name", inum, k, name, t);
    if(t >= fs.sb.ninodes){
      problem("directory %u entry \"%s\" refers to inode %u beyond ninodes %u",
              inum, name, t, fs.sb.ninodes);
      continue;
    }
    if(fs.ino[t].type == 0)
      problem("directory %u entry \"%s\" refers to free inode %u", inum, name, t);
    if(!isname(de, "."))
      fs.refs[t]++;
  }
  if((t = lookup(inum, ".")) == 0)
    problem("directory %u has no \".\" entry", inum);
  else if(t != inum)
    problem("directory %u: \".\" refers to inode %u, not to itself", inum, t);
  if(lookup(inum, "..") == 0)
    problem("directory %u has no \"..\" entry", inum);
  else if(t != 0 && !firsttwo(inum))
    problem("directory %u: \".\" and \"..\" are not its first two entries", inum);
}

// Check every allocated directory's entries.
static void
check_dirs(void)
{
  uint inum;

  for(inum = 1; inum < fs.sb.ninodes; inum++)
    if(fs.ino[inum].type == T_DIR)
      check_dir(inum);
}

// Walk the tree from the root: each directory must be named by exactly one
// entry (outside "." and ".."), its ".." must name that entry's directory,
// and every allocated inode must be reached.
static void
check_tree(void)
{
  uint *queue, head = 0, tail = 0, d, k, t, dotdot;
  const uchar *de;
  struct ino *ip;

  if(fs.ino[ROOTINO].type != T_DIR){
    problem("root inode %d is not a directory (type %d); the tree is not checked",
            ROOTINO, fs.ino[ROOTINO].type);
    return;
  }
  if((queue = calloc(fs.sb.ninodes, sizeof(uint))) == NULL)
    err(2, "calloc");
  fs.parent[ROOTINO] = ROOTINO;
  fs.reached[ROOTINO] = 1;
  queue[tail++] = ROOTINO;
  while(head < tail){
    d = queue[head++];
    dotdot = lookup(d, "..");
    if(dotdot != 0 && dotdot != fs.parent[d])
      problem("directory %u: \"..\" refers to inode %u, but its parent is %u",
              d, dotdot, fs.parent[d]);
    for(k = 0; k < nentries(d); k++){
      if((de = direntry(d, k)) == NULL || (t = DEINUM(de)) == 0 || t >= fs.sb.ninodes)
        continue;
      if(isname(de, ".") || isname(de, ".."))
        continue;
      ip = &fs.ino[t];
      if(ip->type == T_DIR){
        if(t == ROOTINO || fs.reached[t]){
          problem("directory %u is linked from directory %u and directory %u",
                  t, t == ROOTINO ? ROOTINO : fs.parent[t], d);
          continue;
        }
        fs.parent[t] = d;
        queue[tail++] = t;
      }
      fs.reached[t] = 1;
    }
  }
  free(queue);

  for(t = 1; t < fs.sb.ninodes; t++)
    if(fs.ino[t].type != 0 && !fs.reached[t])
      problem("inode %u (%s, nlink %d) is not reachable from the root (orphan)",
              t, typename(fs.ino[t].type), fs.ino[t].nlink);
}

// Compare each allocated inode's nlink with the entries naming it.
static void
check_nlinks(void)
{
  uint inum;

  for(inum = 1; inum < fs.sb.ninodes; inum++)
    if(fs.ino[inum].type != 0 && fs.ino[inum].nlink != (int)fs.refs[inum])
      problem("inode %u (%s) has nlink %d but %u directory entr%s refer to it",
              inum, typename(fs.ino[inum].type), fs.ino[inum].nlink, fs.refs[inum],
              fs.refs[inum] == 1 ? "y" : "ies");
}

// With -v: one line describing a clean image.
static void
summary(void)
{
  uint inum, b, ninodes = 0, ndirs = 0, nused = 0;

  for(inum = 1; inum < fs.sb.ninodes; inum++){
    ninodes += fs.ino[inum].type != 0;
    ndirs += fs.ino[inum].type == T_DIR;
  }
  for(b = fs.datastart; b < fs.sb.size; b++)
    nused += fs.owner[b] != 0;
  printf("fsck: %s: clean: %u blocks (%u metadata), %u of %u data blocks and "
         "%u of %u inodes in use, %u directories\n",
         fs.name, fs.sb.size, fs.datastart, nused, fs.sb.nblocks,
         ninodes, fs.sb.ninodes - 1, ndirs);
}

static void
usage(void)
{
  fprintf(stderr, "usage: fsck [-rv] fs.img\n");
  exit(2);
}

int
main(int argc, char *argv[])
{
  int c;

  while((c = getopt(argc, argv, "rv")) != -1){
    switch(c){
    case 'r': fs.replay = 1; break;
    case 'v': fs.verbose = 1; break;
    default: usage();
    }
  }
  if(argc - optind != 1)
    usage();
  fs.name = argv[optind];

  readimage();
  if(check_superblock() == 0){
    fs.ino = calloc(fs.sb.ninodes, sizeof(*fs.ino));
    fs.owner = calloc(fs.sb.size, sizeof(*fs.owner));
    fs.parent = calloc(fs.sb.ninodes, sizeof(*fs.parent));
    fs.refs = calloc(fs.sb.ninodes, sizeof(*fs.refs));
    fs.reached = calloc(fs.sb.ninodes, sizeof(*fs.reached));
    if(!fs.ino || !fs.owner || !fs.parent || !fs.refs || !fs.reached)
      err(2, "calloc");
    check_log();
    check_inodes();
    check_bitmap();
    check_dirs();
    check_tree();
    check_nlinks();
  }

  if(fs.nproblems == 0){
    if(fs.verbose)
      summary();
    return 0;
  }
  if(fs.nproblems > MAXSHOWN && !fs.verbose)
    fprintf(stderr, "fsck: %s: %d more problems not shown (-v shows all)\n",
            fs.name, fs.nproblems - MAXSHOWN);
  fprintf(stderr, "fsck: %s: %d problem%s found\n", fs.name, fs.nproblems,
          fs.nproblems == 1 ? "" : "s");
  return 1;
}
