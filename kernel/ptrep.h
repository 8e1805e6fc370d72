// The layout of Ev6's page-table replicas (ev6_ptrep.c has the design),
// here so that mappages (vm.c) can record the common case inline: every
// page fork copies and every page a space grows by. Include after
// param.h, memlayout.h, riscv.h and defs.h; RECOVERY builds only.

#define PTREP_PAGES (PTREP_NCHUNK * PTREP_CHUNK_PAGES)   // user pages covered
#define PTREP_NL0   ((PTREP_PAGES + 511) / 512)          // L0 pages for them
#define PTREP_TOPL2 PX(2, TRAMPOLINE)                    // L2 slot of the top pages
#define PAGENO(pa)  (((uint64)(pa) - KERNBASE) / PGSIZE)
#define PAGEPA(n)   (KERNBASE + (uint64)(n) * PGSIZE)
#define PERM_BITS(perm) (((perm) >> 1) & 0xf)            // R W X U
#define BITS_PERM(bits) ((bits) << 1)
#define NOBITS      0xff                                 // a run of no pages

struct ptchunk {
  // Chunk 0 only: the space's page-table pages and top leaves.
  uint16 l1[2];                     // under L2 slots 0 and PTREP_TOPL2
  uint16 l0[PTREP_NL0];             // under L1 slot i of L2 slot 0
  uint16 topl0;                     // under the top L1's last slot
  uint16 chunk[PTREP_NCHUNK];       // page number of chunk i, 0 = none
  uint16 top[2];                    // TRAPFRAME's and TRAMPOLINE's pages
  uchar topperm[2];
  // Run i: pages from runstart[i] up to the next run have runbits[i].
  uint32 runstart[PTREP_NRUNS];
  uchar runbits[PTREP_NRUNS];       // PERM_BITS, or NOBITS
  uchar nruns;
  uchar lastrun;                    // the run set_perm found last (a hint)
  // Pages [fastlo, fastlo + fastspan) of this chunk lie in one run, of
  // fastbits: mapping one of them with those changes no run. set_perm
  // sets it after every change of the runs (fastspan 0: none).
  uint32 fastlo, fastspan;
  uchar fastbits;
  // Every chunk: its PTREP_CHUNK_PAGES user pages.
  uint16 page[PTREP_CHUNK_PAGES];   // physical page number, 0 = unmapped
};
_Static_assert(sizeof(struct ptchunk) <= PGSIZE, "struct ptchunk must fit a page");

struct ptrep {
  pagetable_t root;                 // 0: slot free
  struct proc *owner;               // whose address space (0 while being made)
  struct ptchunk *c0;
  uint64 top;                       // no user page from here on is mapped
};

// Replicas looked up lately, by their root's page number: every map and
// unmap looks one up, and a scan of the table costs a hundred loads.
#define PTREP_NHINTS 64
extern struct ptrep *volatile ptrep_hints[PTREP_NHINTS];

static inline struct ptrep **
ptrep_hint(pagetable_t root)
{
  return (struct ptrep **)&ptrep_hints[PAGENO(root) % PTREP_NHINTS];
}

// mappages is about to map va to RAM page pa in root's table; 0, or -1 if
// the replica cannot hold it (mappages then does not map it). Inline,
// with no call, what most pages need: a replica found by its hint, a page
// not above top in the first chunk's fast window, with that window's
// permissions (each page fork copies: the child starts with the parent's
// runs, ptrep_copy_perms; each page a space grows by). The rest, the
// kernel's table included (it has no replica), is ptrep_map_slow's.
static inline int
ptrep_map(pagetable_t root, uint64 va, uint64 pa, int perm)
{
  struct ptrep *r = *ptrep_hint(root);
  uint64 vpn = va / PGSIZE;
  struct ptchunk *c0;

  if(r && r->root == root && vpn <= r->top && (c0 = r->c0) != 0 &&
     vpn - c0->fastlo < c0->fastspan && PERM_BITS(perm) == c0->fastbits){
    if(vpn == r->top)
      r->top = vpn + 1;
    c0->page[vpn] = PAGENO(pa);
    return 0;
  }
  return ptrep_map_slow(root, va, pa, perm);
}
