// mkfs: build a file-system image in the on-disk format of kernel/fs.h.
//
//   usage: mkfs fs.img [file ...]
//
// The image has FSSIZE blocks of BSIZE bytes, laid out as
//   boot (block 0) | superblock (1) | log (LOGSIZE blocks, header first) |
//   inodes (NINODES/IPB + 1 blocks) | free bitmap (FSSIZE/BPB + 1) | data
// Inode 1 is the root directory, holding "." and ".." (both itself) and one
// entry per file argument, named after the file's base name with a leading
// '_' dropped (user/_cat becomes cat). Files get inodes 2, 3, ... in argument
// order and data blocks in ascending order after the metadata; a file longer
// than NDIRECT blocks continues through the indirect block. The bitmap marks
// every metadata block and every data block in use.
//
// The whole image is built in memory and written only when every file fit,
// so a failed run leaves no half-made image. Every multi-byte field is stored
// little-endian, as the RISC-V kernel reads it, whatever the host's order.
#include <err.h>
#include <fcntl.h>
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

#define NINODES 200     // inodes in the image, inode 0 included (unused)

// The layout, in blocks.
enum {
  NLOG = LOGSIZE,
  NINODEBLOCKS = NINODES / IPB + 1,
  NBITMAP = FSSIZE / BPB + 1,
  LOGSTART = 2,
  INODESTART = LOGSTART + NLOG,
  BMAPSTART = INODESTART + NINODEBLOCKS,
  NMETA = BMAPSTART + NBITMAP,
  NBLOCKS = FSSIZE - NMETA,
};

// The image under construction and the allocation cursors.
static struct {
  uchar blk[FSSIZE][BSIZE];  // every block of the image
  uint nextinum;             // next inode to hand out
  uint nextblock;            // next data block to hand out
  int nfiles;                // files added to the root directory
} fs = { .nextinum = ROOTINO, .nextblock = NMETA };

// Little-endian stores and loads.
static void
put16(uchar *p, uint v)
{
  p[0] = v;
  p[1] = v >> 8;
}

static void
put32(uchar *p, uint v)
{
  p[0] = v;
  p[1] = v >> 8;
  p[2] = v >> 16;
  p[3] = v >> 24;
}

static uint
get32(const uchar *p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (uint)p[3] << 24;
}

// The on-disk record of inode inum, inside the image.
static uchar *
dinode(uint inum)
{
  struct superblock sb = { .inodestart = INODESTART };
  return fs.blk[IBLOCK(inum, sb)] + (inum % IPB) * sizeof(struct dinode);
}

// Field accessors for a dinode record.
#define DI(p, field) ((p) + offsetof(struct dinode, field))
#define ADDR(p, i)   (DI(p, addrs) + (i) * sizeof(uint))

static void
writesb(void)
{
  uchar *p = fs.blk[1];

  put32(p + offsetof(struct superblock, magic), FSMAGIC);
  put32(p + offsetof(struct superblock, size), FSSIZE);
  put32(p + offsetof(struct superblock, nblocks), NBLOCKS);
  put32(p + offsetof(struct superblock, ninodes), NINODES);
  put32(p + offsetof(struct superblock, nlog), NLOG);
  put32(p + offsetof(struct superblock, logstart), LOGSTART);
  put32(p + offsetof(struct superblock, inodestart), INODESTART);
  put32(p + offsetof(struct superblock, bmapstart), BMAPSTART);
}

// Mark block b in use in the free bitmap.
static void
markused(uint b)
{
  fs.blk[BMAPSTART + b / BPB][(b % BPB) / 8] |= 1 << (b % 8);
}

// A fresh, zeroed data block, marked in use.
static uint
balloc(const char *who)
{
  uint b;

  if(fs.nextblock >= FSSIZE)
    errx(1, "%s: image full: all %d data blocks are in use", who, NBLOCKS);
  b = fs.nextblock++;
  markused(b);
  return b;
}

// A fresh inode of the given type with one link.
static uint
ialloc(short type, const char *who)
{
  uint inum;
  uchar *p;

  if(fs.nextinum >= NINODES)
    errx(1, "%s: image full: all %d inodes are in use", who, NINODES - 1);
  inum = fs.nextinum++;
  p = dinode(inum);
  put16(DI(p, type), type);
  put16(DI(p, nlink), 1);
  return inum;
}

// The block holding byte fbn*BSIZE of inode inum, allocated if absent.
static uint
bmap(uint inum, uint fbn, const char *who)
{
  uchar *p = dinode(inum), *ind;
  uint b;

  if(fbn < NDIRECT){
    if(get32(ADDR(p, fbn)) == 0)
      put32(ADDR(p, fbn), balloc(who));
    return get32(ADDR(p, fbn));
  }
  fbn -= NDIRECT;
  if(get32(ADDR(p, NDIRECT)) == 0)
    put32(ADDR(p, NDIRECT), balloc(who));
  ind = fs.blk[get32(ADDR(p, NDIRECT))];
  b = get32(ind + fbn * sizeof(uint));
  if(b == 0){
    b = balloc(who);
    put32(ind + fbn * sizeof(uint), b);
  }
  return b;
}

// Append n bytes to the end of inode inum.
static void
iappend(uint inum, const void *data, size_t n, const char *who)
{
  uchar *p = dinode(inum);
  const uchar *src = data;
  uint off = get32(DI(p, size));
  size_t m;

  if(n > (size_t)MAXFILE * BSIZE - off)
    errx(1, "%s: too big: the largest file is %d bytes", who, (int)(MAXFILE * BSIZE));
  while(n > 0){
    m = BSIZE - off % BSIZE;
    if(m > n)
      m = n;
    memcpy(fs.blk[bmap(inum, off / BSIZE, who)] + off % BSIZE, src, m);
    off += m;
    src += m;
    n -= m;
  }
  put32(DI(p, size), off);
}

// Add the entry name -> inum to the root directory.
static void
rootlink(const char *name, uint inum, const char *who)
{
  uchar de[sizeof(struct dirent)];

  memset(de, 0, sizeof(de));
  put16(de + offsetof(struct dirent, inum), inum);
  memcpy(de + offsetof(struct dirent, name), name, strnlen(name, DIRSIZ));
  iappend(ROOTINO, de, sizeof(de), who);
}

// Does the root directory already hold an entry called name? (Every block
// within the root's size exists, so bmap only looks them up here.)
static int
inroot(const char *name)
{
  uint size = get32(DI(dinode(ROOTINO), size));
  uint off;
  const uchar *de;

  for(off = 0; off < size; off += sizeof(struct dirent)){
    de = fs.blk[bmap(ROOTINO, off / BSIZE, "root")] + off % BSIZE;
    if(strncmp((const char *)de + offsetof(struct dirent, name), name, DIRSIZ) == 0)
      return 1;
  }
  return 0;
}

// The name path gets in the image: its base name without a leading '_'.
static const char *
imagename(const char *path)
{
  const char *name = strrchr(path, '/');

  name = name ? name + 1 : path;
  if(name[0] == '_')
    name++;
  if(name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    errx(1, "%s: cannot make a directory entry from this name", path);
  if(strlen(name) > DIRSIZ)
    errx(1, "%s: name \"%s\" is longer than DIRSIZ (%d)", path, name, DIRSIZ);
  return name;
}

// Copy the host file at path into the root directory.
static void
addfile(const char *path)
{
  static uchar buf[MAXFILE * BSIZE + 1];
  const char *name = imagename(path);
  size_t n;
  FILE *f;
  uint inum;

  if(inroot(name))
    errx(1, "%s: a file named \"%s\" is already in the image", path, name);
  if((f = fopen(path, "rb")) == NULL)
    err(1, "%s", path);
  n = fread(buf, 1, sizeof(buf), f);
  if(ferror(f))
    err(1, "%s", path);
  fclose(f);
  if(n > MAXFILE * BSIZE)
    errx(1, "%s: too big: the largest file is %d bytes", path, (int)(MAXFILE * BSIZE));

  inum = ialloc(T_FILE, path);
  iappend(inum, buf, n, path);
  rootlink(name, inum, path);
  fs.nfiles++;
}

// Write the finished image to path.
static void
writeimage(const char *path)
{
  FILE *f;

  if((f = fopen(path, "wb")) == NULL)
    err(1, "%s", path);
  if(fwrite(fs.blk, BSIZE, FSSIZE, f) != FSSIZE || fflush(f) != 0)
    err(1, "%s", path);
  if(fclose(f) != 0)
    err(1, "%s", path);
}

int
main(int argc, char *argv[])
{
  uint b, root;
  int i;

  if(argc < 2){
    fprintf(stderr, "usage: mkfs fs.img [file ...]\n");
    return 2;
  }

  writesb();
  for(b = 0; b < NMETA; b++)
    markused(b);
  root = ialloc(T_DIR, "root");
  if(root != ROOTINO)
    errx(1, "internal error: root is inode %u, not %d", root, ROOTINO);
  rootlink(".", root, "root");
  rootlink("..", root, "root");

  for(i = 2; i < argc; i++)
    addfile(argv[i]);

  writeimage(argv[1]);
  fprintf(stderr, "mkfs: %s: nmeta %d (boot, super, log %d, inodes %d, bitmap %d), "
          "data %d, total %d; %d files, %u data blocks used\n",
          argv[1], NMETA, NLOG, NINODEBLOCKS, NBITMAP, NBLOCKS, FSSIZE,
          fs.nfiles, fs.nextblock - NMETA);
  return 0;
}
