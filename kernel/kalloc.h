// The physical page allocator's state (kalloc.c), visible to the Ev6
// self-audit (audit.c), which checks the free list against kmem.nfree and
// the registry's page-type map. Include after spinlock.h.

// A free page: the list runs through the first word of each.
struct run {
  struct run *next;
};

struct kmem {
  struct spinlock lock;
  // kmem.lock must be held when using these:
  struct run *freelist;
  uint64 nfree;          // pages on freelist
  uint64 nretired;       // damaged pages Ev6 took out of circulation
};

extern struct kmem kmem;
