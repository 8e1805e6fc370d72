// memtest - the memory benchmark of `make bench` (the paper's Table 4):
// what recovery keeps in memory after boot, and while all of memory is
// allocated and freed again, first with the kernel's free list in address
// order (contiguous), then with it shuffled.
//
// usage: memtest
//
// For each phase it prints one line, the kernel's memstat() at that point:
//
//   memstat phase=P registry=N replicas=N free_pages=N
//
// registry and replicas are bytes (0 on a RECOVERY=0 kernel), free_pages
// the free physical pages. The phases, in order:
//   boot               first thing, right after the shell started memtest
//   contiguous-before  before allocating; the free list is still as boot
//                      built it, in address order
//   contiguous-alloc   this process has grown with sbrk until it failed
//   contiguous-free    after shrinking back
//   shuffled-before    after NCHILD children took every free page one at
//                      a time in turn and then exited in a scrambled order,
//                      so consecutive free-list pages are far apart
//   shuffled-alloc     grown with sbrk until it failed, as before
//   shuffled-free      after shrinking back
// Then `memtest: done`, exit 0; on an unexpected failure `memtest: why`,
// exit 1.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/memstat.h"
#include "user/user.h"

#define NCHILD 8                  // processes that share the shuffle
#define STEP   (256 * PGSIZE)     // largest single sbrk, 1 MB

static void
die(char *why)
{
  printf("memtest: %s\n", why);
  exit(1);
}

// Print the memstat line of one phase.
static void
report(char *phase)
{
  struct memstat m;

  if(memstat(&m) < 0)
    die("memstat failed");
  printf("memstat phase=%s registry=%lu replicas=%lu free_pages=%lu\n",
         phase, m.registry_bytes, m.replica_bytes, m.free_pages);
}

// Grow this process until sbrk fails, in halving steps down to one page.
// Returns the bytes added.
static long
allocall(void)
{
  long total = 0;
  int step = STEP;

  while(step >= PGSIZE){
    if(sbrk(step) == (char *)-1)
      step /= 2;
    else
      total += step;
  }
  if(total == 0)
    die("sbrk could not allocate a single page");
  return total;
}

// Shrink this process by n bytes.
static void
freeall(long n)
{
  int step;

  while(n > 0){
    step = n > STEP ? STEP : n;
    if(sbrk(-step) == (char *)-1)
      die("sbrk could not shrink the process");
    n -= step;
  }
}

// One child of the shuffle: on 'a' take one more page and answer 'y' or
// 'n' (none left); on anything else, exit and so free its pages.
static void
child(int cmd, int reply)
{
  char c;

  while(read(cmd, &c, 1) == 1 && c == 'a'){
    c = sbrk(PGSIZE) == (char *)-1 ? 'n' : 'y';
    if(write(reply, &c, 1) != 1)
      exit(1);
  }
  exit(0);
}

// Scramble the free list: children take pages in turn until none is
// left, then exit in the order of a fixed permutation.
static void
shuffle(void)
{
  int cmd[NCHILD][2], reply[2], order[NCHILD], i, j, t, full = 0;
  unsigned seed = 12345;
  char c;

  if(pipe(reply) < 0)
    die("pipe failed");
  for(i = 0; i < NCHILD; i++){
    if(pipe(cmd[i]) < 0)
      die("pipe failed");
    t = fork();
    if(t < 0)
      die("fork failed");
    if(t == 0){
      close(reply[0]);
      close(cmd[i][1]);
      child(cmd[i][0], reply[1]);
    }
    close(cmd[i][0]);
  }
  close(reply[1]);

  while(!full){
    for(i = 0; i < NCHILD && !full; i++){
      if(write(cmd[i][1], "a", 1) != 1 || read(reply[0], &c, 1) != 1)
        die("a shuffle child stopped answering");
      full = c == 'n';
    }
  }

  // Fisher-Yates with a small linear congruential generator.
  for(i = 0; i < NCHILD; i++)
    order[i] = i;
  for(i = NCHILD - 1; i > 0; i--){
    seed = seed * 1103515245 + 12345;
    j = (seed >> 16) % (i + 1);
    t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for(i = 0; i < NCHILD; i++){
    if(write(cmd[order[i]][1], "x", 1) != 1)
      die("a shuffle child is gone");
    close(cmd[order[i]][1]);
    if(wait(0) < 0)
      die("wait failed");
  }
  close(reply[0]);
}

int
main(int argc, char *argv[])
{
  long n;

  if(argc != 1){
    fprintf(2, "usage: memtest\n");
    exit(1);
  }
  report("boot");

  report("contiguous-before");
  n = allocall();
  report("contiguous-alloc");
  freeall(n);
  report("contiguous-free");

  shuffle();
  report("shuffled-before");
  n = allocall();
  report("shuffled-alloc");
  freeall(n);
  report("shuffled-free");

  printf("memtest: done\n");
  exit(0);
}
