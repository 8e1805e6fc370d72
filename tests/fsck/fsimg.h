// Helpers for the fsck tests: load a file-system image into memory, read and
// change its superblock, inodes, bitmap and directories field by field, and
// save it again. Everything is little-endian on disk, as in kernel/fs.h.
//
//   struct img *im = img_load("base.img");
//   ino_put16(im, 5, DI_NLINK, 2);          // corrupt one field
//   img_save(im, "case.img");
//
// Include from one source file; every function is static. Errors are fatal
// (err(3)), since a test that cannot build its input has nothing to say.
#include <err.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#define stat xv6_stat
#include "kernel/stat.h"
#undef stat

// Byte offsets of superblock, dinode and dirent fields.
#define SB(field)   offsetof(struct superblock, field)
#define DI_TYPE     offsetof(struct dinode, type)
#define DI_NLINK    offsetof(struct dinode, nlink)
#define DI_SIZE     offsetof(struct dinode, size)
#define DI_ADDR(i)  (offsetof(struct dinode, addrs) + (i) * sizeof(uint))

struct img {
  uchar *p;     // the image bytes
  size_t len;   // their number
};

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

// Read a whole file; the caller frees im->p (img_free).
static struct img *
img_load(const char *path)
{
  struct img *im = calloc(1, sizeof(*im));
  FILE *f = fopen(path, "rb");
  size_t cap = 0, n;

  if(im == NULL || f == NULL)
    err(2, "%s", path);
  do {
    if(im->len == cap && (im->p = realloc(im->p, cap += 1 << 20)) == NULL)
      err(2, "%s", path);
    n = fread(im->p + im->len, 1, cap - im->len, f);
    im->len += n;
  } while(n > 0);
  if(ferror(f))
    err(2, "%s", path);
  fclose(f);
  return im;
}

static void
img_save(const struct img *im, const char *path)
{
  FILE *f = fopen(path, "wb");

  if(f == NULL || fwrite(im->p, 1, im->len, f) != im->len || fclose(f) != 0)
    err(2, "%s", path);
}

static void
img_free(struct img *im)
{
  free(im->p);
  free(im);
}

static uchar *
blk(struct img *im, uint b)
{
  return im->p + (size_t)b * BSIZE;
}

static uint
sb_get(struct img *im, size_t field)
{
  return get32(blk(im, 1) + field);
}

static void
sb_put(struct img *im, size_t field, uint v)
{
  put32(blk(im, 1) + field, v);
}

// The on-disk record of inode inum.
static uchar *
ino(struct img *im, uint inum)
{
  return blk(im, sb_get(im, SB(inodestart)) + inum / IPB) + (inum % IPB) * sizeof(struct dinode);
}

static uint ino_get16(struct img *im, uint inum, size_t f) { return get16(ino(im, inum) + f); }
static uint ino_get32(struct img *im, uint inum, size_t f) { return get32(ino(im, inum) + f); }
static void ino_put16(struct img *im, uint inum, size_t f, uint v) { put16(ino(im, inum) + f, v); }
static void ino_put32(struct img *im, uint inum, size_t f, uint v) { put32(ino(im, inum) + f, v); }

static int
bit_get(struct img *im, uint b)
{
  return blk(im, sb_get(im, SB(bmapstart)) + b / BPB)[(b % BPB) / 8] >> (b % 8) & 1;
}

static void
bit_put(struct img *im, uint b, int on)
{
  uchar *byte = &blk(im, sb_get(im, SB(bmapstart)) + b / BPB)[(b % BPB) / 8];

  if(on)
    *byte |= 1 << (b % 8);
  else
    *byte &= ~(1 << (b % 8));
}

// The block holding file block fbn of inode inum (0 if none).
static uint
fblock(struct img *im, uint inum, uint fbn)
{
  uint ind;

  if(fbn < NDIRECT)
    return ino_get32(im, inum, DI_ADDR(fbn));
  ind = ino_get32(im, inum, DI_ADDR(NDIRECT));
  return ind ? get32(blk(im, ind) + (fbn - NDIRECT) * sizeof(uint)) : 0;
}

// Directory entry k of directory dir.
static uchar *
dent(struct img *im, uint dir, uint k)
{
  uint off = k * sizeof(struct dirent);

  return blk(im, fblock(im, dir, off / BSIZE)) + off % BSIZE;
}

// The entry called name in directory dir, or NULL.
static uchar *
dent_find(struct img *im, uint dir, const char *name)
{
  uint k, n = ino_get32(im, dir, DI_SIZE) / sizeof(struct dirent);
  uchar *de;

  for(k = 0; k < n; k++){
    de = dent(im, dir, k);
    if(get16(de) != 0 && strncmp((char *)de + 2, name, DIRSIZ) == 0)
      return de;
  }
  return NULL;
}

// The inode named name in directory dir, or 0.
static uint
dir_lookup(struct img *im, uint dir, const char *name)
{
  uchar *de = dent_find(im, dir, name);

  return de ? get16(de) : 0;
}

// A free inode (type 0), not yet handed out.
static uint
ino_alloc(struct img *im, short type)
{
  uint inum;

  for(inum = ROOTINO + 1; inum < sb_get(im, SB(ninodes)); inum++){
    if(ino_get16(im, inum, DI_TYPE) == 0){
      memset(ino(im, inum), 0, sizeof(struct dinode));
      ino_put16(im, inum, DI_TYPE, type);
      ino_put16(im, inum, DI_NLINK, 1);
      return inum;
    }
  }
  errx(2, "test image: no free inode");
}

// A zeroed data block, marked in use.
static uint
blk_alloc(struct img *im)
{
  uint b, size = sb_get(im, SB(size));

  for(b = size - sb_get(im, SB(nblocks)); b < size; b++){
    if(!bit_get(im, b)){
      bit_put(im, b, 1);
      memset(blk(im, b), 0, BSIZE);
      return b;
    }
  }
  errx(2, "test image: no free block");
}

// Append the entry name -> inum to directory dir (direct blocks only).
static void
dir_add(struct img *im, uint dir, const char *name, uint inum)
{
  uint size = ino_get32(im, dir, DI_SIZE);
  uchar *de;

  if(size % BSIZE == 0)
    ino_put32(im, dir, DI_ADDR(size / BSIZE), blk_alloc(im));
  ino_put32(im, dir, DI_SIZE, size + sizeof(struct dirent));
  de = dent(im, dir, size / sizeof(struct dirent));
  memset(de, 0, sizeof(struct dirent));
  put16(de, inum);
  memcpy(de + 2, name, strnlen(name, DIRSIZ));
}

// Make directory name in parent the way the kernel does: the new directory
// has nlink 1 and the parent's nlink grows by one for the "..".
static uint
dir_make(struct img *im, uint parent, const char *name)
{
  uint d = ino_alloc(im, T_DIR);

  dir_add(im, d, ".", d);
  dir_add(im, d, "..", parent);
  dir_add(im, parent, name, d);
  ino_put16(im, parent, DI_NLINK, ino_get16(im, parent, DI_NLINK) + 1);
  return d;
}
