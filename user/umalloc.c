// umalloc.c - the user heap: malloc and free.
//
// usage: #include "kernel/types.h"
//        #include "user/user.h"
//
//   void *malloc(uint n);   n bytes, 16-byte aligned, or 0 if out of memory
//   void  free(void *p);    give back a block from malloc; free(0) is a no-op
//
// Memory is handed out in 16-byte units. Every block, free or in use,
// starts with a one-unit header holding its size in units (header
// included). Free blocks are kept on a list sorted by address: malloc takes
// the first one that is big enough (first fit) and, if it is larger than
// needed, cuts the allocation from its end. free puts a block back in
// address order and merges it with a free neighbour on either side, so
// the heap does not splinter. When nothing fits, the heap grows with sbrk
// by at least GROWUNITS units and the new memory goes onto the list.
#include "kernel/types.h"
#include "user/user.h"

struct block {
  struct block *next;   // next free block by address (free blocks only)
  uint64 units;         // block size in units, this header included
};

#define UNIT       sizeof(struct block)
#define GROWUNITS  4096                   // grow the heap by >= 64 KiB
#define MAXBYTES   0x7fff0000UL           // sbrk takes an int

static struct block *freelist;

void
free(void *p)
{
  struct block *b, *before, *after;

  if(p == 0)
    return;
  b = (struct block *)p - 1;
  before = 0;
  for(after = freelist; after != 0 && after < b; after = after->next)
    before = after;

  if(after != 0 && b + b->units == after){
    b->units += after->units;
    b->next = after->next;
  } else {
    b->next = after;
  }

  if(before == 0){
    freelist = b;
  } else if(before + before->units == b){
    before->units += b->units;
    before->next = b->next;
  } else {
    before->next = b;
  }
}

// Add at least units units of fresh memory to the free list. 0 or -1.
static int
grow(uint64 units)
{
  char *brk;
  uint64 pad;
  struct block *b;

  if(units < GROWUNITS)
    units = GROWUNITS;
  // Someone else may have moved the break by an odd amount; start the
  // new block on a unit boundary.
  brk = sbrk(0);
  pad = -(uint64)brk & (UNIT - 1);
  if(units * UNIT + pad > MAXBYTES)
    return -1;
  if(sbrk(units * UNIT + pad) == (char *)-1)
    return -1;
  b = (struct block *)(brk + pad);
  b->units = units;
  free(b + 1);
  return 0;
}

void *
malloc(uint n)
{
  struct block *b, **link;
  uint64 units;

  if((uint64)n > MAXBYTES)
    return 0;
  if(n == 0)
    n = 1;          // still hand out a distinct, usable pointer
  units = ((uint64)n + UNIT - 1) / UNIT + 1;
  for(;;){
    for(link = &freelist; (b = *link) != 0; link = &b->next){
      if(b->units < units)
        continue;
      if(b->units == units){
        *link = b->next;
      } else {
        b->units -= units;
        b += b->units;
        b->units = units;
      }
      return b + 1;
    }
    if(grow(units) < 0)
      return 0;
  }
}
