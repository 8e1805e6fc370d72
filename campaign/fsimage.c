// fsimage.c - read the root directory of a file-system image (see
// fsimage.h). The layout is the kernel's (kernel/fs.h): block 1 is the
// superblock; inode i is in block IBLOCK(i); a file's blocks are its
// NDIRECT direct addresses, then those of its indirect block.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "kernel/stat.h"
#include "campaign/fsimage.h"
#include "campaign/util.h"

struct image {
  const char *path;
  char *data;
  size_t len;
  struct superblock sb;
};

// Block b of the image, or NULL if it lies outside.
static const char *
block(const struct image *im, uint b)
{
  if((size_t)b * BSIZE + BSIZE > im->len)
    return NULL;
  return im->data + (size_t)b * BSIZE;
}

// Inode inum, or NULL.
static const struct dinode *
inode(const struct image *im, uint inum)
{
  const char *b = inum < im->sb.ninodes ? block(im, IBLOCK(inum, im->sb)) : NULL;

  return b ? (const struct dinode *)b + inum % IPB : NULL;
}

static int
by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Returns the names; see fsimage.h.
char **
fsimage_root_files(const char *path, char *why, size_t n)
{
  struct image im = { .path = path };
  const struct dinode *root;
  const uint *indirect = NULL;
  char **names = NULL;
  size_t count = 0;

  im.data = read_file(path, &im.len);
  if(im.data == NULL){
    snprintf(why, n, "cannot read file-system image %s: %s", path, strerror(errno));
    return NULL;
  }
  if(block(&im, 1) != NULL)
    memcpy(&im.sb, block(&im, 1), sizeof(im.sb));
  if(im.sb.magic != FSMAGIC || (root = inode(&im, ROOTINO)) == NULL || root->type != T_DIR){
    snprintf(why, n, "%s is not a file-system image of this kernel (no superblock or root "
             "directory; rebuild it: make fs.img)", path);
    free(im.data);
    return NULL;
  }
  if(root->addrs[NDIRECT])
    indirect = (const uint *)block(&im, root->addrs[NDIRECT]);
  names = xmalloc(sizeof(*names));
  for(uint off = 0; off < root->size; off += sizeof(struct dirent)){
    uint bn = off / BSIZE, addr = bn < NDIRECT ? root->addrs[bn] :
              indirect && bn - NDIRECT < NINDIRECT ? indirect[bn - NDIRECT] : 0;
    const char *b = addr ? block(&im, addr) : NULL;
    const struct dirent *de;
    const struct dinode *ip;
    if(b == NULL)
      break;
    de = (const struct dirent *)(b + off % BSIZE);
    if(de->inum == 0 || (ip = inode(&im, de->inum)) == NULL || ip->type != T_FILE)
      continue;
    names = xrealloc(names, (count + 2) * sizeof(*names));
    names[count] = xmalloc(DIRSIZ + 1);
    memcpy(names[count], de->name, DIRSIZ);
    names[count][DIRSIZ] = '\0';
    count++;
  }
  names[count] = NULL;
  qsort(names, count, sizeof(*names), by_name);
  free(im.data);
  return names;
}
