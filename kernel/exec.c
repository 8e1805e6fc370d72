// exec(): replace the calling process's user memory with a program loaded
// from an ELF file, and start it with the given arguments.
//
// The new image is built in a fresh page table. Only when everything has
// succeeded does the process switch to it and free the old one, so a
// failing exec returns -1 to an untouched caller.
//
// New user address space, from 0: the loadable segments at their link
// addresses (programs are linked at 0), then an inaccessible guard page,
// then one stack page. The stack starts out holding the argument strings
// and, below them, argv[]: argc pointers and a null one. On entry to the
// program a0 = argc (exec's return value, placed by syscall()), a1 = argv
// and sp = argv, 16-byte aligned.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/fi.h"
#include "kernel/defs.h"
#include "kernel/elf.h"

// Where the user image (with its guard and stack pages) must end.
#define USERLIMIT TRAPFRAME

// Page permissions for a segment with the given ELF flags, besides the
// PTE_R | PTE_U that every user page gets.
static int
flags2perm(uint32 flags)
{
  int perm = 0;

  if(flags & ELF_PROG_FLAG_EXEC)
    perm |= PTE_X;
  if(flags & ELF_PROG_FLAG_WRITE)
    perm |= PTE_W;
  return perm;
}

// Read sz bytes at offset off of ip into user memory at the page-aligned
// address va, already mapped in pagetable. 0 or -1.
static int
loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint off, uint sz)
{
  uint i, n;

  for(i = 0; i < sz; i += PGSIZE){
    uint64 pa = walkaddr(pagetable, va + i, 0);

    if(pa == 0)
      return -1;
    n = sz - i < PGSIZE ? sz - i : PGSIZE;
    if(readi(ip, 0, pa, off + i, n) != n)
      return -1;
  }
  return 0;
}

// Load the ELF file ip (locked) into pagetable, which maps exactly
// [0, *psz). Advances *psz to the end of the loaded image, also on
// failure, so the caller can free what was mapped. Sets *pentry to the
// program's entry point. Returns 0 or -1.
static int
loadelf(pagetable_t pagetable, struct inode *ip, uint64 *psz, uint64 *pentry)
{
  struct elfhdr elf;
  struct proghdr ph;
  uint64 off;
  int i;

  if(readi(ip, 0, (uint64)&elf, 0, sizeof(elf)) != sizeof(elf))
    return -1;
  if(elf.magic != ELF_MAGIC || elf.phentsize != sizeof(ph))
    return -1;
#if RECOVERY
  upage_image_begin(myproc(), ip);
#endif

  for(i = 0, off = elf.phoff; i < elf.phnum; i++, off += sizeof(ph)){
    if(off + sizeof(ph) < off || off + sizeof(ph) > ip->size)
      return -1;
    if(readi(ip, 0, (uint64)&ph, off, sizeof(ph)) != sizeof(ph))
      return -1;
    if(ph.type != ELF_PROG_LOAD)
      continue;
    if(ph.memsz < ph.filesz)
      return -1;
    if(ph.vaddr % PGSIZE != 0)
      return -1;
    if(ph.vaddr + ph.memsz < ph.vaddr || ph.vaddr + ph.memsz > USERLIMIT - 2*PGSIZE)
      return -1;
    if(ph.off + ph.filesz < ph.off || ph.off + ph.filesz > ip->size)
      return -1;
    if(ph.vaddr + ph.memsz > *psz){
      uint64 newsz = uvmalloc(pagetable, *psz, ph.vaddr + ph.memsz, flags2perm(ph.flags));

      if(newsz == 0)
        return -1;
      *psz = newsz;
    }
    if(loadseg(pagetable, ph.vaddr, ip, ph.off, ph.filesz) < 0)
      return -1;
#if RECOVERY
    upage_image_seg(myproc(), ph.vaddr, ph.memsz, ph.off, ph.filesz,
                    (ph.flags & ELF_PROG_FLAG_WRITE) != 0);
#endif
  }
  *pentry = elf.entry;
  return 0;
}

// Copy the argument strings and then argv[] onto the stack page that ends
// at sp (the page is [stackbase, sp)). Returns the final sp, or 0 if the
// arguments do not fit or there are more than MAXARG.
static uint64
pushargs(pagetable_t pagetable, uint64 sp, uint64 stackbase, char **argv, int *pargc)
{
  uint64 ustack[MAXARG + 1];
  int argc;

  for(argc = 0; argv[argc]; argc++){
    uint64 len = strlen(argv[argc]) + 1;

    if(argc >= MAXARG)
      return 0;
    if(sp - stackbase < len)
      return 0;
    sp -= len;
    sp -= sp % 16;   // stays above stackbase, which is page aligned
    if(copyout(pagetable, sp, argv[argc], len) < 0)
      return 0;
    ustack[argc] = sp;
  }
  ustack[argc] = 0;

  if(sp - stackbase < (argc + 1) * sizeof(uint64))
    return 0;
  sp -= (argc + 1) * sizeof(uint64);
  sp -= sp % 16;
  if(copyout(pagetable, sp, (char*)ustack, (argc + 1) * sizeof(uint64)) < 0)
    return 0;
  *pargc = argc;
  return sp;
}

// Returns argc, which becomes the new program's a0, or -1 with the caller
// unchanged.
int
exec(char *path, char **argv)
{
  struct proc *p = myproc();
  struct inode *ip;
  pagetable_t pagetable = 0, oldpagetable;
  uint64 sz = 0, oldsz, newsz, sp, stackbase, entry;
  int argc;
  char *s, *last;

#if TRACE
  ev6_trace_exec_begin();
#endif
  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  FI_SITE(exec, ip);

  if((pagetable = proc_pagetable(p)) == 0)
    goto bad;
  if(loadelf(pagetable, ip, &sz, &entry) < 0)
    goto bad;
  iunlockput(ip);
  end_op();
  ip = 0;

  // The guard page, then the stack page.
  sz = PGROUNDUP(sz);
  if((newsz = uvmalloc(pagetable, sz, sz + 2*PGSIZE, PTE_W)) == 0)
    goto bad;
  sz = newsz;
  uvmclear(pagetable, sz - 2*PGSIZE);
  stackbase = sz - PGSIZE;
  if((sp = pushargs(pagetable, sz, stackbase, argv, &argc)) == 0)
    goto bad;

  for(last = s = path; *s; s++)
    if(*s == '/')
      last = s + 1;
  safestrcpy(p->name, last, sizeof(p->name));

  // Commit to the new image.
  oldpagetable = p->pagetable;
  oldsz = p->sz;
  p->pagetable = pagetable;
  p->sz = sz;
  p->trapframe->epc = entry;
  p->trapframe->sp = sp;
  p->trapframe->a1 = sp;
#if RECOVERY
  upage_image_commit(p);
#endif
#if FAULTS
  // Committed: a debugger stopped here sees the new image's page table
  // and the pc it will enter user mode at.
  fi_exec_hook(p->name);
#endif
  proc_freepagetable(oldpagetable, oldsz);
  return argc;

bad:
  if(pagetable)
    proc_freepagetable(pagetable, sz);
  if(ip){
    iunlockput(ip);
    end_op();
  }
  return -1;
}
