// Ev6 page-table replicas: enough to rebuild any page-table page, of a
// user address space or of the kernel, in place.
//
// A page-table page holds two kinds of entry: pointers to the next level's
// page-table pages, and leaves (physical page + permissions). The replica
// keeps both, compactly, in a form whose size depends on how much memory
// is mapped, never on where the pages are (a shuffled free list costs
// nothing extra):
//  - a user address space (one per root, struct ptrep) has replica pages
//    (struct ptchunk), kalloc'ed as the space grows: for each user virtual
//    page, its physical page number (2 bytes), so a full 128 MB process
//    costs 18 pages (72 KB). The first one also lists the space's L1 and
//    L0 page-table pages, its trapframe and trampoline leaves, and the
//    permissions as runs of virtual pages: xv6 sets them per ELF segment,
//    for the stack's guard page and for the heap, so a space has a handful
//    of runs (at most PTREP_NRUNS). Page 0 of RAM (kernel text) is never a
//    user page, so page number 0 means unmapped; entries from the space's
//    top (highest mapped page + 1) on are never read, so a new replica
//    page needs no clearing.
//    A reverse map in the registry's per-page entry (owner, virtual page,
//    permissions for every physical page) would hold the same facts, but
//    costs its size for all of RAM at boot (4 bytes a page: 128 KB), where
//    this costs only what is mapped (a few KB after boot).
//  - the kernel's page table is a fixed plan: the regions kvmmap mapped
//    (devices, RAM, trampoline, each kernel stack) and, per L2 slot it
//    uses, its L1 page and L0 pages.
// mappages, uvmunmap, uvmclear and walk's allocation of a page-table page
// update the replica as they change the table, with no lock: like the
// table itself, an address space is changed only by its process (or by
// fork's parent while the child cannot run). The table of replicas is
// changed under ptrep_lock; recovery reads it without the lock.
//
// Recovery (pagetable_recover) finds where the damaged page sits from the
// replicas alone (never from the damaged bytes) and rewrites all its
// entries. Unwinding a system call then settles its address space
// (ptrep_settle): the interrupted call may have left it half grown or half
// shrunk, or an exec's new (or old) table behind; the replica says exactly
// what is mapped.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#if RECOVERY
#include "kernel/ptrep.h"

static struct spinlock ptrep_lock;
static struct ptrep reps[NPTREP];
struct ptrep *volatile ptrep_hints[PTREP_NHINTS];
static volatile int nchunks;         // replica pages in use

// The kernel's plan.
static struct kregion {
  uint64 va, pa, size;
  int perm;
} kplan[KPLAN_MAX];
static int nkplan;
static struct kslot {
  int l2;                           // L2 index, -1 = unused
  uint16 l1;
  uint16 l0[512];
} kslots[KPT_SLOTS];

extern pagetable_t kernel_pagetable;

void
ptrep_init(void)
{
  int i;

  initlock(&ptrep_lock, "ptrep");
  for(i = 0; i < KPT_SLOTS; i++)
    kslots[i].l2 = -1;
}

// Replica memory: the static tables and the chunks in use.
uint64
ptrep_bytes(void)
{
  return sizeof(reps) + sizeof(ptrep_hints) + sizeof(kplan) + sizeof(kslots) +
         (uint64)nchunks * PGSIZE;
}

static inline struct ptrep *
rep_of(pagetable_t root)
{
  struct ptrep **h = ptrep_hint(root);
  struct ptrep *r = *h;
  int i;

  if(r && r->root == root)
    return r;
  for(i = 0; i < NPTREP; i++)
    if(reps[i].root == root){
      *h = &reps[i];
      return &reps[i];
    }
  return 0;
}

// A replica for the new, empty user table root. 0, or -1 when out of
// slots or memory.
int
ptrep_create(pagetable_t root)
{
  struct ptchunk *c = kalloc_unfilled();
  int i;

  if(c == 0)
    return -1;
  memset(c, 0, __builtin_offsetof(struct ptchunk, page));   // the pages from top on need none
  acquire(&ptrep_lock);
  for(i = 0; i < NPTREP && reps[i].root; i++)
    ;
  if(i < NPTREP){
    reps[i].owner = 0;
    reps[i].c0 = c;
    reps[i].top = 0;
    __sync_synchronize();
    reps[i].root = root;
    __sync_fetch_and_add(&nchunks, 1);
  }
  release(&ptrep_lock);
  if(i == NPTREP){
    kfree_unfilled(c);
    return -1;
  }
  return 0;
}

void
ptrep_own(pagetable_t root, struct proc *p)
{
  struct ptrep *r = rep_of(root);

  if(r)
    r->owner = p;
}

// root's table is being freed: so is its replica.
static void
ptrep_drop(struct ptrep *r)
{
  struct ptchunk *c0 = r->c0;
  int i;

  acquire(&ptrep_lock);
  if(*ptrep_hint(r->root) == r)   // rep_of sets no other hint
    *ptrep_hint(r->root) = 0;
  r->root = 0;
  release(&ptrep_lock);
  for(i = 1; i < PTREP_NCHUNK; i++){
    if(c0->chunk[i]){
      kfree_unfilled((void*)PAGEPA(c0->chunk[i]));
      __sync_fetch_and_sub(&nchunks, 1);
    }
  }
  kfree_unfilled(c0);
  __sync_fetch_and_sub(&nchunks, 1);
}

// The chunk holding user page vpn, allocated if alloc. 0 if none.
static inline struct ptchunk *
chunk_of(struct ptrep *r, uint64 vpn, int alloc)
{
  int i = vpn / PTREP_CHUNK_PAGES;
  struct ptchunk *c;

  if(i == 0)
    return r->c0;
  if(r->c0->chunk[i])
    return (struct ptchunk *)PAGEPA(r->c0->chunk[i]);
  if(!alloc || (c = kalloc_unfilled()) == 0)
    return 0;
  __sync_fetch_and_add(&nchunks, 1);   // its entries from top on are not read
  r->c0->chunk[i] = PAGENO(c);
  return c;
}

// The run holding user page vpn, or -1 (below the first run).
static inline int
run_of(struct ptchunk *c0, uint64 vpn)
{
  int i;

  for(i = c0->nruns - 1; i >= 0; i--)
    if(c0->runstart[i] <= vpn)
      return i;
  return -1;
}

// Does run k hold user page vpn?
static inline int
in_run(struct ptchunk *c0, int k, uint64 vpn)
{
  return k < c0->nruns && c0->runstart[k] <= vpn &&
         (k == c0->nruns - 1 || vpn < c0->runstart[k+1]);
}

// Can run k, which holds user page vpn, give it `bits` with no split?
// Yes if it has them; or, a space growing by a page, if vpn is the first
// page of a run longer than one page (the last run is endless) that
// follows a run of `bits`: that run then takes vpn over.
static inline int
run_gives(struct ptchunk *c0, int k, uint64 vpn, int bits)
{
  if(c0->runbits[k] == bits)
    return 1;
  if(k > 0 && c0->runstart[k] == vpn && c0->runbits[k-1] == bits &&
     (k == c0->nruns - 1 || c0->runstart[k+1] > vpn + 1)){
    c0->runstart[k] = vpn + 1;
    return 1;
  }
  return 0;
}

// The permission bits of user page vpn.
static inline int
perm_of(struct ptchunk *c0, uint64 vpn)
{
  int i = run_of(c0, vpn);

  return i < 0 ? NOBITS : c0->runbits[i];
}

// set_perm's slow path: split the run holding vpn (bits `old`, NOBITS
// below the first run) around it, vpn getting `bits`, then merge runs
// that became equal. 0, or -1 if the runs would not fit (nothing changes
// then).
static int
split_run(struct ptchunk *c0, uint64 vpn, int bits, int old)
{
  uint32 st[PTREP_NRUNS + 2];
  uchar b[PTREP_NRUNS + 2];
  int i, k, n = 0, m = 0;

  for(k = 0; k < c0->nruns && c0->runstart[k] < vpn; k++, n++){
    st[n] = c0->runstart[k];
    b[n] = c0->runbits[k];
  }
  st[n] = vpn;
  b[n++] = bits;
  if(k < c0->nruns && c0->runstart[k] == vpn)
    k++;
  if(k == c0->nruns || c0->runstart[k] != vpn + 1){
    st[n] = vpn + 1;
    b[n++] = old;
  }
  for(; k < c0->nruns; k++, n++){
    st[n] = c0->runstart[k];
    b[n] = c0->runbits[k];
  }
  for(i = 0; i < n; i++){
    if(b[i] == (m ? b[m-1] : NOBITS))
      continue;
    st[m] = st[i];
    b[m++] = b[i];
  }
  if(m > PTREP_NRUNS)
    return -1;
  memmove(c0->runstart, st, m * sizeof(st[0]));
  memmove(c0->runbits, b, m);
  c0->nruns = m;
  return 0;
}

// The fast window (struct ptchunk) for the run holding user page vpn,
// after the runs changed.
static void
set_window(struct ptchunk *c0, uint64 vpn)
{
  int k = run_of(c0, vpn);
  uint64 hi;

  c0->fastspan = 0;
  if(k < 0 || c0->runstart[k] >= PTREP_CHUNK_PAGES)
    return;
  hi = k == c0->nruns - 1 ? PTREP_CHUNK_PAGES : c0->runstart[k+1];
  if(hi > PTREP_CHUNK_PAGES)
    hi = PTREP_CHUNK_PAGES;
  c0->fastlo = c0->runstart[k];
  c0->fastbits = c0->runbits[k];
  c0->fastspan = hi - c0->fastlo;
}

// Give user page vpn the permission bits `bits`. 0, or -1 if the runs
// would not fit (nothing changes then). Pages are mapped in order (exec,
// sbrk, fork), so vpn is most often in the run found last time, and
// then no scan is needed.
static int
set_perm(struct ptchunk *c0, uint64 vpn, int bits)
{
  int k = c0->lastrun, err;

  if(!in_run(c0, k, vpn))
    k = run_of(c0, vpn);
  if(k < 0){
    err = bits == NOBITS ? 0 : split_run(c0, vpn, bits, NOBITS);
  } else {
    c0->lastrun = k;
    err = run_gives(c0, k, vpn, bits) ? 0 : split_run(c0, vpn, bits, c0->runbits[k]);
  }
  if(err == 0)
    set_window(c0, vpn);
  return err;
}

// set_perm for a page at or above top (a space growing, or fork's child
// being filled in order): no page from vpn on is mapped, and the runs say
// nothing about unmapped pages, so vpn's run becomes the last, endless
// one. Were the runs split around vpn instead, every page a space grows
// by would move the run after it, and none would find a window.
static int
set_perm_top(struct ptchunk *c0, uint64 vpn, int bits)
{
  int n = c0->nruns;

  while(n > 0 && c0->runstart[n-1] >= vpn)
    n--;                                  // runs of unmapped pages only
  if(bits != (n > 0 ? c0->runbits[n-1] : NOBITS)){
    if(n == PTREP_NRUNS)
      return -1;
    c0->runstart[n] = vpn;
    c0->runbits[n++] = bits;
  }
  c0->nruns = n;
  c0->lastrun = n > 0 ? n - 1 : 0;
  set_window(c0, vpn);
  return 0;
}

// fork's child gets the parent's permissions (uvmcopy maps its pages with
// the parent's, in order): its runs start as a copy, so that each page
// copied only finds its run instead of growing or splitting one. Runs
// say nothing about pages that are not mapped (their entry is 0, or they
// are at or above top), so the copy is exact however far the copying
// gets. The child's space is still empty.
void
ptrep_copy_perms(pagetable_t from, pagetable_t to)
{
  struct ptrep *f = rep_of(from), *t = rep_of(to);

  if(f == 0 || t == 0 || t->top != 0)
    return;
  memmove(t->c0->runstart, f->c0->runstart, sizeof(f->c0->runstart));
  memmove(t->c0->runbits, f->c0->runbits, sizeof(f->c0->runbits));
  t->c0->nruns = f->c0->nruns;
  t->c0->lastrun = 0;
  t->c0->fastspan = 0;
}

// The leaf the replica holds for va: a PTE, or 0.
static pte_t
user_leaf(struct ptrep *r, uint64 va)
{
  uint64 vpn = va / PGSIZE, k = vpn % PTREP_CHUNK_PAGES;
  struct ptchunk *c;

  if(va == TRAPFRAME || va == TRAMPOLINE){
    int t = va == TRAMPOLINE;
    return r->c0->top[t] ? PA2PTE(PAGEPA(r->c0->top[t])) | BITS_PERM(r->c0->topperm[t]) | PTE_V : 0;
  }
  if(vpn >= r->top || (c = chunk_of(r, vpn, 0)) == 0 || c->page[k] == 0)
    return 0;
  return PA2PTE(PAGEPA(c->page[k])) | BITS_PERM(perm_of(r->c0, vpn)) | PTE_V;
}

// Entries from top on hold whatever the page held (kalloc's junk): clear
// those below vpn, which mapping vpn brings under top. Spaces grow one
// page at a time, so there are rarely any.
static void
clear_from_top(struct ptrep *r, uint64 vpn)
{
  uint64 v;
  struct ptchunk *c;

  for(v = r->top; v < vpn; v++)
    if((c = chunk_of(r, v, 0)) != 0)
      c->page[v % PTREP_CHUNK_PAGES] = 0;
}

// Record that va maps pa with perm (pa 0: va is unmapped). 0, or -1 if
// the replica cannot hold it (a va beyond what it covers, or no memory
// for a chunk): the caller then does not map it.
static int
set_leaf(struct ptrep *r, uint64 va, uint64 pa, int perm)
{
  uint64 vpn = va / PGSIZE, k = vpn % PTREP_CHUNK_PAGES;
  struct ptchunk *c;

  if(va == TRAPFRAME || va == TRAMPOLINE){
    r->c0->top[va == TRAMPOLINE] = pa ? PAGENO(pa) : 0;
    r->c0->topperm[va == TRAMPOLINE] = PERM_BITS(perm);
    return 0;
  }
  if(vpn >= PTREP_PAGES || (c = chunk_of(r, vpn, pa != 0)) == 0)
    return pa ? -1 : 0;
  if(pa && (vpn >= r->top ? set_perm_top(r->c0, vpn, PERM_BITS(perm)) :
                             set_perm(r->c0, vpn, PERM_BITS(perm))) < 0)
    return -1;
  if(vpn >= r->top){
    if(pa == 0)
      return 0;
    if(vpn > r->top)
      clear_from_top(r, vpn);
    r->top = vpn + 1;
  }
  c->page[k] = pa ? PAGENO(pa) : 0;
  return 0;
}

// ptrep_map (ptrep.h) for what its inline path does not take: the
// kernel's table, a replica not found by its hint, a page outside the
// fast window. First, with no call, a page not above top whose chunk is
// there, in the run set_perm found last, which has perm (the pages of a
// later chunk, which the window does not cover, and the first page of a
// run in the first chunk, which then becomes the window); set_leaf does
// the rest, every change of the runs included.
int
ptrep_map_slow(pagetable_t root, uint64 va, uint64 pa, int perm)
{
  uint64 vpn = va / PGSIZE;
  struct ptchunk *c0, *c;
  struct ptrep *r;

  if(root == kernel_pagetable)
    return 0;          // the kernel's plan has it (ptrep_kernel_region)
  if((r = rep_of(root)) == 0)
    return -1;
  c0 = r->c0;
  if(pa && vpn <= r->top && vpn < PTREP_PAGES && (c = chunk_of(r, vpn, 0)) != 0 &&
     in_run(c0, c0->lastrun, vpn) && c0->runbits[c0->lastrun] == PERM_BITS(perm)){
    if(vpn == r->top)
      r->top = vpn + 1;
    c->page[vpn % PTREP_CHUNK_PAGES] = PAGENO(pa);
    if(vpn < PTREP_CHUNK_PAGES)
      set_window(c0, vpn);     // the next pages of this run go inline
    return 0;
  }
  return set_leaf(r, va, pa, perm);
}

// uvmunmap and uvmclear changed va's leaf to pte. An unmapped user
// page, uvmunmap's every page, with no call: what set_leaf does for pa 0.
void
ptrep_update(pagetable_t root, uint64 va, pte_t pte)
{
  struct ptrep *r = rep_of(root);
  uint64 vpn = va / PGSIZE;
  struct ptchunk *c;

  if(r == 0)
    return;
  if((pte & PTE_V) == 0 && vpn < PTREP_PAGES){
    if(vpn < r->top && (c = chunk_of(r, vpn, 0)) != 0)
      c->page[vpn % PTREP_CHUNK_PAGES] = 0;
    return;
  }
  set_leaf(r, va, (pte & PTE_V) ? PTE2PA(pte) : 0, PTE_FLAGS(pte));
}

// uvmdealloc shrank root's space to sz: its replica pages that describe
// only pages from sz on are empty now, and go back.
void
ptrep_shrink(pagetable_t root, uint64 sz)
{
  struct ptrep *r = rep_of(root);
  int i;

  if(r && r->top > PGROUNDUP(sz) / PGSIZE)
    r->top = PGROUNDUP(sz) / PGSIZE;
  for(i = 1; r && i < PTREP_NCHUNK; i++){
    if(r->c0->chunk[i] == 0 || (uint64)i * PTREP_CHUNK_PAGES < PGROUNDUP(sz) / PGSIZE)
      continue;
    kfree_unfilled((void*)PAGEPA(r->c0->chunk[i]));
    r->c0->chunk[i] = 0;
    __sync_fetch_and_sub(&nchunks, 1);
  }
}

// kvmmap mapped a kernel region.
void
ptrep_kernel_region(uint64 va, uint64 pa, uint64 size, int perm)
{
  if(nkplan == KPLAN_MAX)
    panic("ptrep_kernel_region: raise KPLAN_MAX");
  kplan[nkplan++] = (struct kregion){ va, pa, size, perm };
}

static struct kslot *
kslot_of(int l2, int alloc)
{
  int i;

  for(i = 0; i < KPT_SLOTS; i++)
    if(kslots[i].l2 == l2)
      return &kslots[i];
  for(i = 0; alloc && i < KPT_SLOTS; i++)
    if(kslots[i].l2 < 0){
      kslots[i].l2 = l2;
      return &kslots[i];
    }
  return 0;
}

// walk allocated page-table page pt at level (1 or 0) for va in root's
// table. 0, or -1 if the replica cannot record it (the walk then fails).
int
ptrep_table(pagetable_t root, int level, uint64 va, void *pt)
{
  struct ptrep *r;
  struct kslot *s;
  int l2 = PX(2, va), l1 = PX(1, va);

  if(root == kernel_pagetable){
    if((s = kslot_of(l2, 1)) == 0)
      return -1;
    if(level == 1)
      s->l1 = PAGENO(pt);
    else
      s->l0[l1] = PAGENO(pt);
    return 0;
  }
  if((r = rep_of(root)) == 0)
    return -1;
  if(level == 1 && (l2 == 0 || l2 == PTREP_TOPL2))
    r->c0->l1[l2 != 0] = PAGENO(pt);
  else if(level == 0 && l2 == 0 && l1 < PTREP_NL0)
    r->c0->l0[l1] = PAGENO(pt);
  else if(level == 0 && l2 == PTREP_TOPL2 && l1 == 511)
    r->c0->topl0 = PAGENO(pt);
  else
    return -1;
  return 0;
}

// The kernel's leaf for va by its plan, or 0.
static pte_t
kernel_leaf(uint64 va)
{
  int i;

  for(i = 0; i < nkplan; i++){
    struct kregion *k = &kplan[i];
    if(va >= k->va && va < k->va + k->size)
      return PA2PTE(k->pa + (va - k->va)) | k->perm | PTE_V;
  }
  return 0;
}

// The physical address the kernel's plan maps va to, or 0.
uint64
ptrep_kernel_pa(uint64 va)
{
  pte_t pte = kernel_leaf(va);

  return pte ? PTE2PA(pte) + va % PGSIZE : 0;
}

// What entry i of the page-table page at (level, l2, l1) should hold, by
// the replica r (0: the kernel's).
static pte_t
replica_entry(struct ptrep *r, int level, int l2, int l1, int i)
{
  uint16 child = 0;
  struct kslot *s;

  if(level == 0){
    uint64 va = ((uint64)l2 << 30) | ((uint64)l1 << 21) | ((uint64)i << 12);
    return r ? user_leaf(r, va) : kernel_leaf(va);
  }
  if(r == 0){
    if(level == 2)
      child = (s = kslot_of(i, 0)) ? s->l1 : 0;
    else
      child = (s = kslot_of(l2, 0)) ? s->l0[i] : 0;
  } else if(level == 2){
    child = i == 0 ? r->c0->l1[0] : i == PTREP_TOPL2 ? r->c0->l1[1] : 0;
  } else if(l2 == 0){
    child = i < PTREP_NL0 ? r->c0->l0[i] : 0;
  } else if(l2 == PTREP_TOPL2){
    child = i == 511 ? r->c0->topl0 : 0;
  }
  return child ? PA2PTE(PAGEPA(child)) | PTE_V : 0;
}

// Where page-table page pt sits: its replica (0: the kernel's) and its
// level and L2/L1 slots. 0, or -1 if no replica lists it.
static int
locate(void *pt, struct ptrep **rp, int *level, int *l2, int *l1)
{
  uint16 n = PAGENO(pt);
  int i, j;

  *rp = 0;
  *l2 = *l1 = 0;
  if(pt == kernel_pagetable){
    *level = 2;
    return 0;
  }
  for(i = 0; i < KPT_SLOTS; i++){
    if(kslots[i].l2 < 0)
      continue;
    *l2 = kslots[i].l2;
    if(kslots[i].l1 == n){
      *level = 1;
      return 0;
    }
    for(j = 0; j < 512; j++)
      if(kslots[i].l0[j] == n){
        *level = 0;
        *l1 = j;
        return 0;
      }
  }
  for(i = 0; i < NPTREP; i++){
    struct ptrep *r = &reps[i];
    if(r->root == 0)
      continue;
    *rp = r;
    *l2 = 0;
    if(r->root == pt){
      *level = 2;
      return 0;
    }
    for(j = 0; j < 2; j++)
      if(r->c0->l1[j] == n){
        *level = 1;
        *l2 = j ? PTREP_TOPL2 : 0;
        return 0;
      }
    for(j = 0; j < PTREP_NL0; j++)
      if(r->c0->l0[j] == n){
        *level = 0;
        *l1 = j;
        return 0;
      }
    if(r->c0->topl0 == n){
      *level = 0;
      *l2 = PTREP_TOPL2;
      *l1 = 511;
      return 0;
    }
  }
  return -1;
}

// Is pt a page of the kernel's own table? It never changes after boot
// (its plan is kvmmap's), so restored in place it holds what every walk
// of it read before the damage, whoever walks it.
int
ptrep_kernel_table(void *pt)
{
  struct ptrep *r;
  int level, l2, l1;

  return locate(pt, &r, &level, &l2, &l1) == 0 && r == 0;
}

// Restore a damaged page-table page in place from the replicas: every
// entry rewritten, none read. The page keeps its place in its tree, so
// nothing points elsewhere and no hart's TLB holds a translation that
// changed.
int
pagetable_recover(struct ev6_error *e)
{
  pagetable_t pt = (pagetable_t)e->obj.base;
  struct ptrep *r;
  int level, l2, l1, i;

  if(locate(pt, &r, &level, &l2, &l1) < 0){
    e->reason = "pagetable-not-in-replica";
    return -1;
  }
  for(i = 0; i < 512; i++)
    pt[i] = replica_entry(r, level, l2, l1, i);
  sfence_vma();
  ev6_poison_clear(pt, PGSIZE);
  return 0;
}

// Free every user page root's replica lists and clear the entries that
// mapped them, whatever sz says and whatever an interrupted grow, shrink
// or teardown left; uvmfree then frees the tables and the replica
// (ptrep_release). Each leaf leaves the replica only once it is freed, so
// a teardown that an error interrupted can simply run again. The
// trapframe and trampoline pages are not the table's to free.
void
ptrep_free_leaves(pagetable_t root)
{
  struct ptrep *r = rep_of(root);
  uint64 vpn;
  pte_t *pte;
  int t;

  if(r == 0)
    panic("ptrep_free_leaves: no replica");
  for(t = 0; t < 2; t++){
    if(r->c0->top[t] && (pte = walk(root, t ? TRAMPOLINE : TRAPFRAME, 0)) != 0)
      *pte = 0;
    r->c0->top[t] = 0;
  }
  for(vpn = 0; vpn < r->top; vpn++){
    struct ptchunk *c = chunk_of(r, vpn, 0);
    uint16 *entry, *end;
    if(c == 0){
      vpn += PTREP_CHUNK_PAGES - 1 - vpn % PTREP_CHUNK_PAGES;
      continue;
    }
    // This chunk's entries up to top, one by one.
    entry = &c->page[vpn % PTREP_CHUNK_PAGES];
    end = &c->page[PTREP_CHUNK_PAGES];
    for(; entry < end && vpn < r->top; entry++, vpn++){
      if(*entry == 0)
        continue;
      if((pte = walk(root, vpn * PGSIZE, 0)) != 0 && (*pte & PTE_V)){
        kfree((void*)PTE2PA(*pte));
        *pte = 0;
      }
      *entry = 0;
    }
    vpn--;
  }
  r->top = 0;
}

// root's tables are freed: so is its replica.
void
ptrep_release(pagetable_t root)
{
  struct ptrep *r = rep_of(root);

  if(r)
    ptrep_drop(r);
}

// Is r's table one for p's settle to free (ptrep_settle says which)?
// Then its root, and r is p's from now on: no other settle frees it too
// (two unwound calls at once both found an abandoned child's table), and
// if the free is cut short, p's next settle, or after p's reap anyone's,
// finds it again. Else 0. Decided under ptrep_lock, all of it at once:
// a table's owner goes UNUSED only after freeproc's free of the table
// dropped its replica under that lock, so an UNUSED owner seen here with
// the replica still there is one whose table nobody frees. Read without
// the lock, the root could be that of a zombie's table its parent's
// wait() was freeing, the owner's state read after the reap: the table
// was freed twice (panic: ptrep_free_leaves: no replica).
static pagetable_t
settle_claim(struct ptrep *r, struct proc *p)
{
  pagetable_t root = 0;
  struct proc *o;

  acquire(&ptrep_lock);
  o = r->owner;
  if(r->root && o && r->root != o->pagetable &&
     (o == p || o->state == UNUSED || (o->state == ZOMBIE && o->parent == p))){
    r->owner = p;
    root = r->root;
  }
  release(&ptrep_lock);
  return root;
}

// After a system call of p was unwound: free what an exec of p left
// (a table of p's that is not p->pagetable), the table of a child that
// fork_abandon gave back before it was the child's, and what is left of
// the table of a zombie child whose reap by p was cut short (freeproc
// unlinked it first; kmem's PK in one of its kfrees), and make p's space
// exactly [0, sz) again: a grow stopped half way left pages above sz, a
// shrink stopped half way a hole below it.
void
ptrep_settle(struct proc *p)
{
  struct ptrep *r;
  pagetable_t root;
  uint64 vpn, limit;
  int i;

  for(i = 0; i < NPTREP; i++){
    r = &reps[i];
    if(r->root == 0)
      continue;
    FI_SETTLEWINDOW_HOLD(r->owner);
    if((root = settle_claim(r, p)) != 0)
      uvmfree(root, 0);
  }
  if(p->pagetable == 0 || (r = rep_of(p->pagetable)) == 0)
    return;
  limit = PGROUNDUP(p->sz) / PGSIZE;
  if(limit > r->top)
    limit = r->top;
  for(vpn = 0; vpn < limit; vpn++){
    struct ptchunk *c = chunk_of(r, vpn, 0);
    if(c == 0 || c->page[vpn % PTREP_CHUNK_PAGES] == 0)
      limit = vpn;
  }
  for(vpn = limit; vpn < r->top; vpn++){
    struct ptchunk *c = chunk_of(r, vpn, 0);
    if(c && c->page[vpn % PTREP_CHUNK_PAGES])
      uvmunmap(p->pagetable, vpn * PGSIZE, 1, 1);
  }
  if(p->sz > limit * PGSIZE)
    p->sz = limit * PGSIZE;
}
// The self-audit: does page-table page pt hold, entry by entry, what the
// replica says (the accessed and dirty bits aside: the MMU sets them)?
// 1 with the first difference in *m, else 0.
static int
audit_page(void *pt, struct ptrep *r, int level, int l2, int l1, struct ptrep_diff *m)
{
  pte_t *pte = pt;
  int i;

  for(i = 0; i < 512; i++){
    pte_t want = replica_entry(r, level, l2, l1, i);
    if((pte[i] & ~(PTE_A | PTE_D)) != want){
      *m = (struct ptrep_diff){ (uint64)pt, level, i, pte[i], want };
      return 1;
    }
  }
  return 0;
}

static int
audit_child(uint16 n, struct ptrep *r, int level, int l2, int l1, struct ptrep_diff *m)
{
  return n && audit_page((void*)PAGEPA(n), r, level, l2, l1, m);
}

// Table i: 0..NPTREP-1 the user replicas, NPTREP the kernel's. Every
// page-table page the replica lists is compared with it, so a pointer
// the replica does not know shows in its parent. -1: slot i is unused;
// 1: a difference, in *m; 0: the table matches its replica.
int
ptrep_audit(int i, struct ptrep_diff *m)
{
  struct ptrep *r;
  int j, k;

  if(i == NPTREP){
    if(audit_page(kernel_pagetable, 0, 2, 0, 0, m))
      return 1;
    for(k = 0; k < KPT_SLOTS; k++){
      struct kslot *s = &kslots[k];
      if(s->l2 < 0)
        continue;
      if(audit_child(s->l1, 0, 1, s->l2, 0, m))
        return 1;
      for(j = 0; j < 512; j++)
        if(audit_child(s->l0[j], 0, 0, s->l2, j, m))
          return 1;
    }
    return 0;
  }
  r = &reps[i];
  if(r->root == 0)
    return -1;
  if(audit_page(r->root, r, 2, 0, 0, m) || audit_child(r->c0->l1[0], r, 1, 0, 0, m) ||
     audit_child(r->c0->l1[1], r, 1, PTREP_TOPL2, 0, m) ||
     audit_child(r->c0->topl0, r, 0, PTREP_TOPL2, 511, m))
    return 1;
  for(j = 0; j < PTREP_NL0; j++)
    if(audit_child(r->c0->l0[j], r, 0, 0, j, m))
      return 1;
  return 0;
}
#endif
