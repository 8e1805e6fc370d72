// Ev6 surgery for a user page: only its owner is killed, the kernel goes
// on (as Linux's memory-failure handling does for anonymous pages).
// Beyond the paper, which fail-stops.
//
// Every page kalloc hands out is typed `page` until something gives it a
// purpose (ev6_page_set), so a `page` is a user page only if a process maps
// it with PTE_U; the owner is found by searching the page tables of the
// interrupted process first, then of the processes that are not running
// (their page tables cannot change while their lock is held). The page's
// content is lost with its owner: surgery zeroes it, which makes it good
// again, and the owner's exit frees it like any other page.
//
// Except a clean page of the program file, replaced transparently: exec
// records, per process, the segments it loaded from its file (and the
// file's content generation, inode_wgen); a page of a segment mapped
// without PTE_W holds exactly the file's bytes (and zeros past them), since
// neither the process nor the kernel (copyout needs PTE_W) can have written
// it since. When the error came from the owner itself in user mode, surgery
// zeroes the page and leaves the process alive; before usertrap returns to
// the faulting instruction, upage_refill re-reads the page from the file,
// provided the file is unchanged since exec, else kills the process. A
// kernel access to such a page still kills the owner: the interrupted
// system call would read the page before any re-read could run.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
#define NSEG 4   // loadable segments of a program an image record keeps

// A process's program image: the file and the segments exec loaded from it.
struct image {
  uint dev, inum, gen;   // the file, and inode_wgen(inum) as exec read it
  int nseg;              // -1: too many segments, no page is clean
  struct {
    uint64 va, end;      // [va, end): the segment's memory
    uint off, filesz;    // its bytes in the file
    int writable;
  } seg[NSEG];
};

static struct image image[NPROC];     // by process slot
static struct image loading[NPROC];   // exec's, until it commits
static uint64 refill[NPROC];          // va + 1 of a page upage_refill re-reads

// exec: start recording the image loaded from ip (locked).
void
upage_image_begin(struct proc *p, struct inode *ip)
{
  struct image *im = &loading[p - proc];

  im->dev = ip->dev;
  im->inum = ip->inum;
  im->gen = inode_wgen(ip->inum);
  im->nseg = 0;
}

// exec loaded a segment: memsz bytes at va, the first filesz of them from
// offset off of the file.
void
upage_image_seg(struct proc *p, uint64 va, uint64 memsz, uint off, uint filesz, int writable)
{
  struct image *im = &loading[p - proc];

  if(im->nseg < 0 || im->nseg == NSEG){
    im->nseg = -1;
    return;
  }
  im->seg[im->nseg].va = va;
  im->seg[im->nseg].end = va + memsz;
  im->seg[im->nseg].off = off;
  im->seg[im->nseg].filesz = filesz;
  im->seg[im->nseg].writable = writable;
  im->nseg++;
}

// exec committed to the new image.
void
upage_image_commit(struct proc *p)
{
  image[p - proc] = loading[p - proc];
  refill[p - proc] = 0;
}

// fork: the child runs the parent's image.
void
upage_image_fork(struct proc *np, struct proc *p)
{
  image[np - proc] = image[p - proc];
  refill[np - proc] = 0;
}

// The segment of p's image that the clean page at va belongs to, or -1: the
// page must lie in one segment mapped without PTE_W and share no page with
// any other segment.
static int
clean_seg(struct proc *p, uint64 va)
{
  struct image *im = &image[p - proc];
  pte_t *pte = walk(p->pagetable, va, 0);
  int i, found = -1;

  if(pte == 0 || (*pte & PTE_W) || im->nseg <= 0)
    return -1;
  for(i = 0; i < im->nseg; i++){
    if(va + PGSIZE <= PGROUNDDOWN(im->seg[i].va) || va >= PGROUNDUP(im->seg[i].end))
      continue;
    if(found >= 0 || im->seg[i].writable)
      return -1;
    found = i;
  }
  return found;
}

// Before p, whose clean page surgery zeroed, returns to user mode: read
// the page from the file again. Process context, no locks held. 0 (also
// when nothing is to be read), or -1 if the page cannot be restored: the
// file changed since exec, or the read failed; p must then die.
int
upage_refill(struct proc *p)
{
  struct image *im = &image[p - proc];
  uint64 va, pa, in;
  uint n;
  int s;

  if(refill[p - proc] == 0)
    return 0;
  va = refill[p - proc] - 1;
  refill[p - proc] = 0;
  // (Segments start on a page: exec checks.)
  if((s = clean_seg(p, va)) < 0 || va < im->seg[s].va ||
     (pa = walkaddr(p->pagetable, va, 0)) == 0)
    return -1;
  // The page's part of the segment's file bytes; the rest stays zero.
  in = va - im->seg[s].va;
  n = in >= im->seg[s].filesz ? 0 :
      im->seg[s].filesz - in < PGSIZE ? im->seg[s].filesz - in : PGSIZE;
  if(n == 0)
    return inode_wgen(im->inum) == im->gen ? 0 : -1;
  return inode_reread(im->dev, im->inum, im->gen, pa, im->seg[s].off + in, n);
}

// Does p map the physical page pa? Its virtual address in *va.
static int
maps(struct proc *p, uint64 pa, uint64 *va)
{
  if(p->pagetable == 0)
    return 0;
  for(*va = 0; *va < p->sz; *va += PGSIZE)
    if(walkaddr(p->pagetable, *va, 0) == pa)
      return 1;
  return 0;
}

// The process mapping the user page pa, with its lock held unless it is
// the interrupted one (*locked says which), or 0; *unsure is set if a
// running process, whose page table could not be searched, may own it.
static struct proc *
owner_of(uint64 pa, int *locked, int *unsure, uint64 *va)
{
  struct proc *me = myproc(), *p;

  *locked = 0;
  *unsure = 0;
  if(me && maps(me, pa, va))
    return me;
  for(p = proc; p < &proc[NPROC]; p++){
    if(p == me || p->state == UNUSED)
      continue;
    if(holding(&p->lock) || !tryacquire(&p->lock, EV6_TRYLOCK_SPINS)){
      *unsure = 1;
      continue;
    }
    if(p->state == RUNNING){
      *unsure = 1;
    } else if(p->state != USED && maps(p, pa, va)){
      *locked = 1;
      return p;
    }
    release(&p->lock);
  }
  return 0;
}

// Internal-Surgery (discard) for a user page: kill its owner, unless it
// is a clean page of the owner's program met by the owner in user mode
// (restore: upage_refill re-reads it).
int
upage_recover(struct ev6_error *e)
{
  uint64 pa = (uint64)e->obj.base, va;
  struct proc *p;
  int locked, unsure;

  if((p = owner_of(pa, &locked, &unsure, &va)) == 0){
    e->reason = unsure ? "page-owner-running" : "page-not-a-user-page";
    return -1;
  }
  if(p->pid == 1){
    if(locked)
      release(&p->lock);
    e->reason = "init-process";
    return -1;
  }
  memset((void*)pa, 0, PGSIZE);   // the write makes the damaged bytes good
  ev6_poison_clear((void*)pa, PGSIZE);
  // (The file is checked here too, so that the report says PK when it
  // changed already; upage_refill checks it again as it reads.)
  if(e->from_user && p == myproc() && clean_seg(p, va) >= 0 &&
     inode_wgen(image[p - proc].inum) == image[p - proc].gen){
    refill[p - proc] = va + 1;
    e->strategy = "restore";
    return 0;
  }
  p->killed = 1;
  e->killed = p;
  if(locked){
    if(p->state == SLEEPING)
      p->state = RUNNABLE;        // as kill() does: it dies on its way out
    release(&p->lock);
  }
  return 0;
}
#endif
