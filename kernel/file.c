// The open-file table: NFILE struct files shared by all processes, and the
// device switch devsw[].
//
// Interface:
//   fileinit()                once at boot
//   filealloc()               a fresh file with ref 1, or 0 if none left
//   filedup(f)                another reference (dup, fork)
//   fileclose(f)              drop a reference; the last one releases the
//                             pipe end or inode
//   fileread/filewrite(f,..)  transfer to or from a user address, at the
//                             file's offset for inodes
//   filestat(f, addr)         copy a struct stat out to a user address
//
// A file is free when its ref is 0. Its other fields are set up by whoever
// allocated it (sys_open, pipealloc) before it is reachable by anyone else,
// and never change afterwards, except off (under the inode's lock).
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/file.h"
#include "kernel/stat.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

struct devsw devsw[NDEV];

struct {
  struct spinlock lock;  // protects ref of every file
  struct file file[NFILE];
} ftable;

void
fileinit(void)
{
  initlock(&ftable.lock, "ftable");
}

struct file*
filealloc(void)
{
  struct file *f;

  acquire(&ftable.lock);
  for(f = ftable.file; f < ftable.file + NFILE; f++){
    if(f->ref == 0){
      f->ref = 1;
      release(&ftable.lock);
      return f;
    }
  }
  release(&ftable.lock);
  return 0;
}

struct file*
filedup(struct file *f)
{
  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("filedup: free file");
  f->ref++;
  release(&ftable.lock);
  return f;
}

void
fileclose(struct file *f)
{
  struct file old;

  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("fileclose: free file");
  if(--f->ref > 0){
    release(&ftable.lock);
    return;
  }
  // Last reference: free the slot now, release what it held after
  // dropping the lock (both may sleep).
  old = *f;
  f->type = FD_NONE;
  f->pipe = 0;
  f->ip = 0;
  release(&ftable.lock);

  if(old.type == FD_PIPE){
    pipeclose(old.pipe, old.writable);
  } else if(old.type == FD_INODE || old.type == FD_DEVICE){
    begin_op();
    iput(old.ip);
    end_op();
  }
}

// Copy f's metadata to the user address addr. 0, or -1 if f is a pipe or
// addr is bad.
int
filestat(struct file *f, uint64 addr)
{
  struct stat st;

  if(f->type != FD_INODE && f->type != FD_DEVICE)
    return -1;
  ilock(f->ip);
  stati(f->ip, &st);
  iunlock(f->ip);
  if(copyout(myproc()->pagetable, addr, (char*)&st, sizeof(st)) < 0)
    return -1;
  return 0;
}

// The device switch entry for major, or 0 if there is no such driver.
static struct devsw*
device(short major)
{
  if(major < 0 || major >= NDEV)
    return 0;
  return &devsw[major];
}

// Read up to n bytes from f into user memory at addr. Returns the count
// read or -1.
int
fileread(struct file *f, uint64 addr, int n)
{
  struct devsw *d;
  int r;

  if(!f->readable)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return piperead(f->pipe, addr, n);
  case FD_DEVICE:
    if((d = device(f->major)) == 0 || d->read == 0)
      return -1;
    return d->read(1, addr, n);
  case FD_INODE:
    ilock(f->ip);
    r = readi(f->ip, 1, addr, f->off, n);
    if(r > 0)
      f->off += r;
    iunlock(f->ip);
    return r;
  default:
    panic("fileread: bad file type");
  }
}

// The most bytes filewrite() puts in one log operation. Of MAXOPBLOCKS,
// reserve the inode block, the indirect block and two bitmap blocks; at
// most half of the rest carries data, a margin for a write that is not
// block aligned and so touches a partial block at each end.
#define MAXWRITE (((MAXOPBLOCKS - 1 - 1 - 2) / 2) * BSIZE)

// Write n bytes from user memory at addr to f. Returns n, or -1 if not
// everything could be written.
int
filewrite(struct file *f, uint64 addr, int n)
{
  struct devsw *d;
  int done, r;

  if(!f->writable)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return pipewrite(f->pipe, addr, n);
  case FD_DEVICE:
    if((d = device(f->major)) == 0 || d->write == 0)
      return -1;
    return d->write(1, addr, n);
  case FD_INODE:
    // One log operation per chunk, so that no single operation can
    // overflow the log.
    for(done = 0; done < n; done += r){
      int chunk = n - done;

      if(chunk > MAXWRITE)
        chunk = MAXWRITE;
      begin_op();
      ilock(f->ip);
      r = writei(f->ip, 1, addr + done, f->off, chunk);
      if(r > 0)
        f->off += r;
      iunlock(f->ip);
      end_op();
      if(r != chunk)
        return -1;
    }
    return n;
  default:
    panic("filewrite: bad file type");
  }
}
