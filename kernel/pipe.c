// Pipes: a PIPESIZE-byte buffer with a read end and a write end, each
// an FD_PIPE struct file.
//
// Interface:
//   pipealloc(&rf, &wf)    a new pipe and its two files; 0 or -1
//   piperead(pi, a, n)     wait for data (or end of file), copy out to
//                          user address a; the count, 0 at EOF, or -1
//   pipewrite(pi, a, n)    copy all n bytes in from user address a,
//                          waiting for room; the count, or -1
//   pipeclose(pi, w)       the last close of one end (from fileclose)
//
// The pipe is freed when both ends are closed. struct pipe is in file.h.
#include "kernel/types.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ledger.h"
#include "kernel/fs.h"
#include "kernel/sleeplock.h"
#include "kernel/file.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

int
pipealloc(struct file **f0, struct file **f1)
{
  struct pipe *pi;

  // The page first, in the ledger until the files hold it: an unwound
  // call then frees the page, and holds no file that it could not close.
  *f0 = *f1 = 0;
  _Static_assert(sizeof(struct pipe) <= PGSIZE, "a pipe must fit in a page");
  if((pi = (struct pipe*)kalloc()) == 0)
    return -1;
  ledger_page(pi);
  if((*f0 = filealloc()) == 0 || (*f1 = filealloc()) == 0){
    ledger_page(0);
    kfree(pi);
    goto fail;
  }
#if RECOVERY
  ev6_page_set(pi, EV6_T_PIPE);
#endif
  initlock(&pi->lock, "pipe");
  pi->nread = 0;
  pi->nwrite = 0;
  pi->readopen = 1;
  pi->writeopen = 1;

  (*f0)->type = FD_PIPE;
  (*f0)->readable = 1;
  (*f0)->writable = 0;
  (*f0)->pipe = pi;
  (*f1)->type = FD_PIPE;
  (*f1)->readable = 0;
  (*f1)->writable = 1;
  (*f1)->pipe = pi;
  file_replicate(*f0);
  file_replicate(*f1);
  ledger_page(0);
  return 0;

fail:
  // The files are still FD_NONE, so closing them releases only the slots.
  if(*f0)
    fileclose(*f0);
  if(*f1)
    fileclose(*f1);
  return -1;
}

void
pipeclose(struct pipe *pi, int writable)
{
  FI_CLOSEWINDOW_HOLD(myproc(), pi, writable);
  acquire(&pi->lock);
  if(writable)
    pi->writeopen = 0;
  else
    pi->readopen = 0;
  ledger_pipe_close(0, 0);   // closed: nothing left for an unwind to finish
  wakeup(writable ? (void*)&pi->nread : (void*)&pi->nwrite);
  if(pi->readopen == 0 && pi->writeopen == 0){
    release(&pi->lock);
    ledger_page(pi);   // no file holds it: an unwound kfree frees it again
    kfree((char*)pi);
    ledger_page(0);
  } else {
    release(&pi->lock);
  }
}

// Returns n, or -1 if the read end is closed, the writer is killed, or
// addr is bad before anything was written (else the count so far).
int
pipewrite(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  int done = 0;

  FI_SITE(pipewrite, pi);
  acquire(&pi->lock);
  while(done < n){
    uint start, room;

    if(!pi->readopen || killed(pr)){
      release(&pi->lock);
      return -1;
    }
    if(pi->nwrite == pi->nread + PIPESIZE){
      wakeup(&pi->nread);
      sleep_killable(&pi->nwrite, &pi->lock);
      continue;
    }
    // Copy the largest piece that is free and contiguous in data[].
    start = pi->nwrite % PIPESIZE;
    room = PIPESIZE - (pi->nwrite - pi->nread);
    if(room > PIPESIZE - start)
      room = PIPESIZE - start;
    if(room > n - done)
      room = n - done;
    if(copyin(pr->pagetable, &pi->data[start], addr + done, room) < 0){
      if(done == 0)
        done = -1;
      break;
    }
    pi->nwrite += room;
    done += room;
  }
  wakeup(&pi->nread);
  release(&pi->lock);
  return done;
}

// Returns the count read (at most n), 0 at end of file, or -1 if the
// reader is killed while waiting or addr is bad.
int
piperead(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  int done = 0;

  FI_SITE(piperead, pi);
  acquire(&pi->lock);
  while(pi->nread == pi->nwrite && pi->writeopen){
    if(killed(pr)){
      release(&pi->lock);
      return -1;
    }
    FI_KILLWINDOW_HOLD(pr);
    sleep_killable(&pi->nread, &pi->lock);
  }
  while(done < n && pi->nread != pi->nwrite){
    uint start = pi->nread % PIPESIZE;
    uint len = pi->nwrite - pi->nread;

    if(len > PIPESIZE - start)
      len = PIPESIZE - start;
    if(len > n - done)
      len = n - done;
    if(copyout(pr->pagetable, addr + done, &pi->data[start], len) < 0){
      if(done == 0)
        done = -1;
      break;
    }
    pi->nread += len;
    done += len;
  }
  wakeup(&pi->nwrite);
  release(&pi->lock);
  return done;
}

#if RECOVERY
// Make pi's readopen and writeopen agree with the open files.
static void
pipe_fix_ends(struct pipe *pi)
{
  int r, w;

  file_pipe_ends(pi, &r, &w);
  pi->readopen = r;
  pi->writeopen = w;
  ev6_defer_wakeup(&pi->nread);
  ev6_defer_wakeup(&pi->nwrite);
}

// Internal-Surgery for a damaged pipe (initialize): the buffered bytes
// are lost (the stream restarts empty), the lock is seized (taken once no
// running hart holds it, or kept by a holder that cannot move:
// ev6_seize_spinlock), and the open ends come from the files that refer
// to the pipe.
int
pipe_recover(struct ev6_error *e)
{
  struct pipe *pi = (struct pipe *)e->obj.base;
  int took = ev6_seize_spinlock(e, &pi->lock, "pipe");

  memset(pi->data, 0, sizeof(pi->data));
  pi->nread = pi->nwrite = 0;
  pipe_fix_ends(pi);
  if(took)
    release(&pi->lock);
  ev6_poison_clear(pi, sizeof(*pi));
  return 0;
}
#endif
