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
#include "kernel/ledger.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

struct devsw devsw[NDEV];

struct ftable ftable;   // file.h

#if RECOVERY
// Copy of every open file but its ref, for Ev6 recovery (restore). Written
// by whoever sets the fields it copies.
struct file file_replica[NFILE];   // file.h

void
file_replicate(struct file *f)
{
  file_replica[f - ftable.file] = *f;
}
#endif

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
    FI_SITE(filealloc, f);
    if(f->ref == 0){
      f->ref = 1;
      // An error in the release (its holding() reads the lock) unwinds
      // the call before the caller has the file: the ledger names it.
      ledger_file(f);
      FI_SITE(filealloc_release, &ftable.lock);
      release(&ftable.lock);
      ledger_file(0);
      return f;
    }
  }
  release(&ftable.lock);
  return 0;
}

struct file*
filedup(struct file *f)
{
  FI_SITE(filedup, f);
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

  FI_SITE(fileclose, f);
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
  if(old.type == FD_PIPE)
    ledger_pipe_close(old.pipe, old.writable);   // before the file goes
  f->type = FD_NONE;
  f->pipe = 0;
  f->ip = 0;
  file_replicate(f);
  if(old.type == FD_INODE || old.type == FD_DEVICE)
    ledger_inode_get(old.ip);   // ours now, until the iput below
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

  FI_SITE(fileread, f);
  if(!f->readable)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return piperead(f->pipe, addr, n);
  case FD_DEVICE:
    if((d = device(f->major)) == 0)
      return -1;
    FI_SITE(fileread_devsw, d);
    if(d->read == 0)
      return -1;
    return d->read(1, addr, n);
  case FD_INODE:
    ilock(f->ip);
    r = readi(f->ip, 1, addr, f->off, n);
    if(r > 0){
      f->off += r;
      file_replicate(f);
    }
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

  FI_SITE(filewrite, f);
  if(!f->writable)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return pipewrite(f->pipe, addr, n);
  case FD_DEVICE:
    if((d = device(f->major)) == 0)
      return -1;
    FI_SITE(filewrite_devsw, d);
    if(d->write == 0)
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
      if(r > 0){
        f->off += r;
        file_replicate(f);
      }
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

#if RECOVERY
uint64
ftable_register(void)
{
  ev6_registry_add(EV6_T_FILE, ftable.file, NFILE, sizeof(struct file));
  ev6_registry_add(EV6_T_FILE, &ftable, 1, sizeof(ftable.lock));
  ev6_registry_add(EV6_T_DEVSW, devsw, NDEV, sizeof(struct devsw));
  return sizeof(file_replica);
}

// Open files that refer to ip (recovery of a damaged inode). No lock:
// recovery may have interrupted a holder of ftable.lock.
int
file_inode_refs(struct inode *ip)
{
  struct file *f;
  int n = 0;

  for(f = ftable.file; f < ftable.file + NFILE; f++)
    if(f->ref > 0 && (f->type == FD_INODE || f->type == FD_DEVICE) && f->ip == ip)
      n++;
  return n;
}

// Which ends of pi are open: held by open files, or closed by no
// pipeclose yet (a process between freeing the end's last file and
// pipeclose; ledger_pipe_close)? For the recovery of a pipe: an end
// counted closed too early lets the other end's close free the pipe
// under that pipeclose (campaign-access run 50: echo's exit spun for ever
// on the lock of the freed page). No lock.
void
file_pipe_ends(struct pipe *pi, int *readable, int *writable)
{
  struct file *f;
  struct proc *p;

  *readable = *writable = 0;
  for(f = ftable.file; f < ftable.file + NFILE; f++){
    if(f->ref > 0 && f->type == FD_PIPE && f->pipe == pi){
      *readable |= f->readable;
      *writable |= f->writable;
    }
  }
  for(p = proc; p < &proc[NPROC]; p++){
    if(p->state != UNUSED && p->ledger.closing == pi){
      *readable |= !p->ledger.closing_writable;
      *writable |= p->ledger.closing_writable;
    }
  }
}

// Descriptors, in every process, that refer to f: what its ref should be.
// No lock: for recovery and the self-audit.
int
file_count_refs(struct file *f)
{
  struct proc *p;
  int fd, refs = 0;

  for(p = proc; p < &proc[NPROC]; p++)
    for(fd = 0; fd < NOFILE; fd++)
      if(p->state != UNUSED && p->ofile[fd] == f)
        refs++;
  return refs;
}

// Internal-Surgery for a damaged open file (restore): every field but the
// reference count comes back from file_replica; ref is the number of
// descriptors, in every process, that refer to the file, plus the one an
// interrupted fileclose() holds (every caller takes the reference out of
// its descriptor table first). That close is then finished when the
// system call is unwound (ev6_defer_close), so the inode or pipe end the
// file held is released; before, a Syscall-Fail in close() leaked it (the
// self-audit found the inode's ref one too high).
int
file_recover(struct ev6_error *e)
{
  struct file *f;
  int refs, closing = ev6_history_find(&e->hist, "fileclose") >= 0;

  if(e->obj.index < 0){
    if(ev6_seize_spinlock(e, &ftable.lock, "ftable"))
      release(&ftable.lock);
    ev6_poison_clear(&ftable.lock, sizeof(ftable.lock));
    return 0;
  }
  f = &ftable.file[e->obj.index];
  refs = file_count_refs(f) + closing;
  *f = file_replica[e->obj.index];
  f->ref = refs;
  if(refs == 0)
    f->type = FD_NONE;
  ev6_poison_clear(f, sizeof(*f));
  if(closing && f->type != FD_NONE)
    ev6_defer_close(f);
  return 0;
}
#endif
