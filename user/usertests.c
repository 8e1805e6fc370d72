// usertests - the system-call test suite: each test drives one part of the
// kernel through the user interface and checks what comes back.
//
// usage: usertests [-p phase] [-q | -l | name ...]
//
// With no arguments every test runs. -q runs the quick subset, the
// survival check that the fault-injection campaign repeats after every
// injected fault: at least one test of each subsystem, none of them slow.
// -l lists the tests and their set (quick or slow). Names run just those
// tests, in the order given. -p starts every test `phase' time units
// after a clock tick (0..TICK_CYCLES-1), for the benchmark.
//
// The tests are the functions in the table tests[] at the end. For each
// one the runner forks; the child runs the test and exits 0 if every check
// held. A failing check prints the test's name, the source line and what
// went wrong, and exits 1; a child that is killed or crashes fails too.
// After reaping the child the runner compares the number of free physical
// pages (freepages()) with the number before the test; fewer means memory
// leaked, and the test fails. For every test the runner prints one line
//
//   usertest name=NAME result=pass|fail ticks=N time=T busy=B
//
// where N is the uptime ticks (10 ms) the test took, T the time CSR's
// advance (10 MHz on QEMU virt) and B the part of it processes ran, summed
// over harts (busytime(): without the harts' idle time, it counts
// instructions under -icount, for make bench); preceded by
// `usertest name=NAME leaked=N pages` after a leak. At the end it prints
// `ALL TESTS PASSED` and exits 0, or `SOME TESTS FAILED:` with the names
// of the failed tests and exits 1.
//
// The tests are deterministic and independent. Each one works in the root
// directory under names that begin with its own prefix (for example "fb."
// for filebasic) and removes everything it created, so the file system is
// left as it was found. Tests that provoke a fatal fault, or call exec in a
// way that must fail (a wrong success would replace the test), do so in a
// child of their own. A process has a single stack page, so tests keep
// their locals small and use the static buffers below for bulk data.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/elf.h"
#include "user/user.h"

#define KB 1024
#define MB (1024 * 1024)
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define KILLED       (-1)   // exit status of a process the kernel killed
#define EXEC_FAILED  42     // exit status of a child whose exec returned -1
#define SETTLE_TICKS 10     // how long the runner waits for pages to come back
#define CHUNK        4096   // bytes per read or write in the bulk helpers

static char wbuf[CHUNK];    // data about to be written
static char rbuf[CHUNK];    // data just read
static char path[512];      // long path names
static volatile char sink;  // target of loads made only to fault

// ------------------------------------------------------------ checking

// End the test: say where and why, and exit 1.
static void
fail(char *name, int line, char *what)
{
  printf("%s: line %d: %s\n", name, line, what);
  exit(1);
}

static void
failnum(char *name, int line, char *what, long got, long want)
{
  printf("%s: line %d: %s is %ld, expected %ld\n", name, line, what, got, want);
  exit(1);
}

static void
failpath(char *name, int line, char *what, char *p)
{
  printf("%s: line %d: %s %s\n", name, line, what, p);
  exit(1);
}

// A call given the bad address addr must have returned -1.
static void
checkbad(char *name, int line, char *call, uint64 addr, long got)
{
  if(got != -1){
    printf("%s: line %d: %s with address 0x%lx returned %ld, expected -1\n",
           name, line, call, addr, got);
    exit(1);
  }
}

// The checks below expect the test's name in a variable called name.
#define CHECK(c) do { \
    if(!(c)) \
      fail(name, __LINE__, "check failed: " #c); \
  } while(0)
#define CHECK_EQ(got, want) do { \
    long got_ = (long)(got), want_ = (long)(want); \
    if(got_ != want_) \
      failnum(name, __LINE__, #got, got_, want_); \
  } while(0)
#define CHECK_BAD(call, addr) \
  checkbad(name, __LINE__, #call, (uint64)(addr), (long)(call))

// ------------------------------------------------------------ processes

static int
xfork(char *name, int line)
{
  int pid = fork();

  if(pid < 0)
    fail(name, line, "fork failed");
  return pid;
}

// Wait for a child, which must exist; returns its exit status.
static int
xwait(char *name, int line)
{
  int status;

  if(wait(&status) < 0)
    fail(name, line, "wait found no child");
  return status;
}

// Wait for n children, each of which must exit with status 0.
static void
reap(char *name, int line, int n)
{
  int status;

  while(n-- > 0){
    if((status = xwait(name, line)) != 0)
      failnum(name, line, "a child's exit status", status, 0);
  }
}

#define FORK()  xfork(name, __LINE__)
#define WAIT()  xwait(name, __LINE__)
#define REAP(n) reap(name, __LINE__, (n))

// Index of pid in pids[0..n), or -1.
static int
indexof(int *pids, int n, int pid)
{
  int i;

  for(i = 0; i < n; i++){
    if(pids[i] == pid)
      return i;
  }
  return -1;
}

// In a child, load from addr (store == 0) or store to it; the kernel must
// kill the child for it.
static void
expect_fault(char *name, int line, uint64 addr, int store)
{
  int status;

  if(xfork(name, line) == 0){
    if(store)
      *(volatile char *)addr = 1;
    else
      sink = *(volatile char *)addr;
    exit(0);
  }
  if((status = xwait(name, line)) != KILLED){
    printf("%s: line %d: %s 0x%lx: exit status %d, expected %d (killed)\n",
           name, line, store ? "store to" : "load from", addr, status, KILLED);
    exit(1);
  }
}

#define LOAD_FAULTS(addr)  expect_fault(name, __LINE__, (uint64)(addr), 0)
#define STORE_FAULTS(addr) expect_fault(name, __LINE__, (uint64)(addr), 1)

// In a child, exec must return -1; a wrong success would run the program
// instead, which exits with some other status.
static void
exec_fails(char *name, int line, char *prog, char **argv)
{
  int status;

  if(xfork(name, line) == 0)
    exit(exec(prog, argv) == -1 ? EXEC_FAILED : 0);
  if((status = xwait(name, line)) != EXEC_FAILED)
    failnum(name, line, "exit status of a child whose exec must fail", status,
            EXEC_FAILED);
}

#define EXEC_FAILS(prog, argv) \
  exec_fails(name, __LINE__, (char *)(prog), (char **)(argv))

// In a child with fd 0 from the file in (unless in is 0) and fd 1 going to
// the file out, exec prog; the program must exit 0.
static void
run_redirected(char *name, int line, char *prog, char **argv, char *in, char *out)
{
  int status;

  if(xfork(name, line) == 0){
    if(in){
      close(0);
      if(open(in, O_RDONLY) != 0)
        exit(97);
    }
    close(1);
    if(open(out, O_CREATE | O_WRONLY | O_TRUNC) != 1)
      exit(98);
    exec(prog, argv);
    exit(99);
  }
  if((status = xwait(name, line)) != 0)
    failnum(name, line, "exit status of the exec'd program", status, 0);
}

// ------------------------------------------------------------ memory

// First address of the stack guard page, just below the one stack page.
static uint64
guardpage(void)
{
  char here;   // a local lives in the stack page

  return PGROUNDDOWN((uint64)&here) - PGSIZE;
}

#define NBAD 10

// Fill a[] with NBAD addresses where the process has no memory: kernel
// memory, the trapframe and trampoline, the end of the address space and
// beyond it, the stack guard page, and pages just and far past the heap.
static int
unmapped(uint64 *a)
{
  uint64 top = PGROUNDUP((uint64)sbrk(0));
  int n = 0;

  a[n++] = KERNBASE;
  a[n++] = PHYSTOP - PGSIZE;
  a[n++] = TRAPFRAME;
  a[n++] = TRAMPOLINE;
  a[n++] = MAXVA - 1;
  a[n++] = MAXVA;
  a[n++] = ~0UL - 15;
  a[n++] = guardpage();
  a[n++] = top;
  a[n++] = top + 100 * PGSIZE;
  return n;
}

// ------------------------------------------------------------ data

// Byte i of the test pattern with the given seed. Bytes 256 apart differ,
// so data at a wrong offset shows up.
static char
patbyte(int seed, uint i)
{
  return (char)(seed * 37 + i * 13 + (i >> 8) * 7 + (i >> 16) * 3);
}

// Fill p[0..n) with the pattern bytes off .. off+n-1.
static void
fill(char *p, int n, int seed, uint off)
{
  int i;

  for(i = 0; i < n; i++)
    p[i] = patbyte(seed, off + i);
}

// Index of the first byte of p[0..n) that is not the pattern byte off+i,
// or -1 if all are.
static int
mismatch(char *p, int n, int seed, uint off)
{
  int i;

  for(i = 0; i < n; i++){
    if(p[i] != patbyte(seed, off + i))
      return i;
  }
  return -1;
}

static int
min(int a, int b)
{
  return a < b ? a : b;
}

// Write prefix followed by n in decimal into buf; returns buf.
static char *
mkname(char *buf, char *prefix, int n)
{
  char digits[12];
  int i = 0, len;

  strcpy(buf, prefix);
  len = strlen(buf);
  do {
    digits[i++] = '0' + n % 10;
    n /= 10;
  } while(n > 0);
  while(i > 0)
    buf[len++] = digits[--i];
  buf[len] = 0;
  return buf;
}

// Whether the directory entry name de (DIRSIZ bytes, NUL-terminated only
// when shorter) is s.
static int
samename(char *de, char *s)
{
  int i;

  for(i = 0; i < DIRSIZ; i++){
    if(de[i] != s[i])
      return 0;
    if(s[i] == 0)
      return 1;
  }
  return s[DIRSIZ] == 0;
}

// ------------------------------------------------------------ files

static int
xopen(char *name, int line, char *p, int mode)
{
  int fd = open(p, mode);

  if(fd < 0)
    failpath(name, line, "cannot open", p);
  return fd;
}

static void
xunlink(char *name, int line, char *p)
{
  if(unlink(p) != 0)
    failpath(name, line, "cannot unlink", p);
}

static void
xpipe(char *name, int line, int *fds)
{
  if(pipe(fds) != 0)
    fail(name, line, "pipe failed");
}

#define OPEN(p, mode) xopen(name, __LINE__, (p), (mode))
#define UNLINK(p)     xunlink(name, __LINE__, (p))
#define PIPE(fds)     xpipe(name, __LINE__, (fds))

// Create (or truncate) p and write size bytes of the pattern seed to it.
static void
writepat(char *name, int line, char *p, int seed, int size)
{
  int fd = xopen(name, line, p, O_CREATE | O_WRONLY | O_TRUNC);
  int off, n;

  for(off = 0; off < size; off += n){
    n = min(CHUNK, size - off);
    fill(wbuf, n, seed, off);
    if(write(fd, wbuf, n) != n)
      failpath(name, line, "cannot write", p);
  }
  close(fd);
}

// p must hold exactly size bytes of the pattern seed.
static void
checkpat(char *name, int line, char *p, int seed, int size)
{
  int fd = xopen(name, line, p, O_RDONLY);
  int off, n, i;

  for(off = 0; (n = read(fd, rbuf, CHUNK)) > 0; off += n){
    if(off + n > size)
      failpath(name, line, "too much data in", p);
    if((i = mismatch(rbuf, n, seed, off)) >= 0)
      failnum(name, line, "offset of the first wrong byte", off + i, -1);
  }
  if(n < 0)
    failpath(name, line, "cannot read", p);
  if(off != size)
    failnum(name, line, "file size", off, size);
  close(fd);
}

// Create (or truncate) p holding the string s.
static void
putstr(char *name, int line, char *p, char *s)
{
  int fd = xopen(name, line, p, O_CREATE | O_WRONLY | O_TRUNC);

  if(write(fd, s, strlen(s)) != strlen(s))
    failpath(name, line, "cannot write", p);
  close(fd);
}

// p must hold exactly the string s.
static void
checkstr(char *name, int line, char *p, char *s)
{
  int fd = xopen(name, line, p, O_RDONLY);
  int n = read(fd, rbuf, CHUNK);

  close(fd);
  if(n != strlen(s) || memcmp(rbuf, s, n) != 0){
    printf("%s: line %d: %s holds \"", name, line, p);
    if(n > 0)
      write(1, rbuf, n);
    printf("\", expected \"%s\"\n", s);
    exit(1);
  }
}

#define WRITEPAT(p, seed, size) writepat(name, __LINE__, (p), (seed), (size))
#define CHECKPAT(p, seed, size) checkpat(name, __LINE__, (p), (seed), (size))
#define PUTSTR(p, s)            putstr(name, __LINE__, (p), (s))
#define CHECKSTR(p, s)          checkstr(name, __LINE__, (p), (s))

// The directory p must hold nothing but "." and "..".
static void
checkempty(char *name, int line, char *p)
{
  struct dirent de;
  int fd = xopen(name, line, p, O_RDONLY);

  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum != 0 && !samename(de.name, ".") && !samename(de.name, ".."))
      failpath(name, line, "entry left behind in", p);
  }
  close(fd);
}

// The inode number of p.
static uint
inum(char *name, int line, char *p)
{
  struct stat st;

  if(stat(p, &st) < 0)
    failpath(name, line, "cannot stat", p);
  return st.ino;
}

// The link count of p.
static int
nlink(char *name, int line, char *p)
{
  struct stat st;

  if(stat(p, &st) < 0)
    failpath(name, line, "cannot stat", p);
  return st.nlink;
}

#define INUM(p)  inum(name, __LINE__, (p))
#define NLINK(p) nlink(name, __LINE__, (p))

// ==================================================== processes

// fork returns the child's pid, wait returns it with the exit status, and
// wait without children returns -1.
void
test_forkwait(char *name)
{
  int pid, status;

  CHECK_EQ(wait(0), -1);
  pid = FORK();
  if(pid == 0)
    exit(7);
  CHECK(pid > 0);
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, 7);
  CHECK_EQ(wait(&status), -1);
  pid = FORK();   // wait(0) reaps without storing a status
  if(pid == 0)
    exit(3);
  CHECK_EQ(wait(0), pid);
  CHECK_EQ(wait(0), -1);
}

// Every int passed to exit comes back unchanged from wait.
void
test_exitstatus(char *name)
{
  static int values[] = {
    0, 1, 2, 127, 128, 255, 256, 65536, -1, -2, -255, 0x7fffffff, -0x7fffffff - 1,
  };
  int i, pid, status;

  for(i = 0; i < NELEM(values); i++){
    pid = FORK();
    if(pid == 0)
      exit(values[i]);
    CHECK_EQ(wait(&status), pid);
    CHECK_EQ(status, values[i]);
  }
}

// Fork, exit and wait a hundred times in a row: the paper's worst case
// for its recovery (each process's pages go in and out of its registry).
void
test_exitwait(char *name)
{
  int i, pid, status;

  for(i = 0; i < 100; i++){
    pid = FORK();
    if(pid == 0)
      exit(i);
    CHECK_EQ(wait(&status), pid);
    CHECK_EQ(status, i);
  }
}

#define MANY 30

// Many children at once: each wait returns a different one of them with
// that child's own status.
void
test_manychildren(char *name)
{
  static int pids[MANY], seen[MANY];
  int i, n, pid, status;

  for(i = 0; i < MANY; i++){
    pids[i] = FORK();
    if(pids[i] == 0)
      exit(100 + i);
  }
  for(n = 0; n < MANY; n++){
    pid = wait(&status);
    i = indexof(pids, MANY, pid);
    CHECK(i >= 0);
    CHECK(!seen[i]);
    seen[i] = 1;
    CHECK_EQ(status, 100 + i);
  }
  CHECK_EQ(wait(0), -1);
}

// A process exits leaving one child that exits at once and one that
// outlives it; init must adopt and reap both (their pages come back).
void
test_orphan(char *name)
{
  int fds[2], before, i;
  char c;

  PIPE(fds);
  before = freepages();
  if(FORK() == 0){
    if(FORK() == 0)
      exit(0);
    if(FORK() == 0){
      close(fds[1]);
      read(fds[0], &c, 1);   // end of file once the test closes its end
      exit(0);
    }
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
  CHECK_EQ(wait(0), -1);   // the grandchildren are not ours
  close(fds[1]);
  for(i = 0; freepages() < before; i++){
    if(i >= 300)
      fail(name, __LINE__, "init did not reap the orphans");
    sleep(1);
  }
  close(fds[0]);
}

// Fork until the process table is full, kill half of the children while
// they sleep, let the others finish, reap them all, and fork again.
void
test_forkfull(char *name)
{
  static int pids[NPROC];
  int fds[2], n, i, k, pid, status;
  char c;

  PIPE(fds);
  for(n = 0; n < NPROC; n++){
    if((pid = fork()) < 0)
      break;
    if(pid == 0){
      close(fds[1]);
      read(fds[0], &c, 1);
      exit(0);
    }
    pids[n] = pid;
  }
  CHECK(n < NPROC);
  CHECK(n >= NPROC - 8);   // only init, sh, the runner and a few more
  for(i = 0; i < n; i += 2)
    CHECK_EQ(kill(pids[i]), 0);
  close(fds[1]);
  for(k = 0; k < n; k++){
    pid = wait(&status);
    i = indexof(pids, n, pid);
    CHECK(i >= 0);
    CHECK_EQ(status, i % 2 == 0 ? KILLED : 0);
  }
  CHECK_EQ(wait(0), -1);
  close(fds[0]);
  if(FORK() == 0)
    exit(0);
  CHECK_EQ(WAIT(), 0);
}

// Several processes fork and reap children as fast as they can.
void
test_forkstorm(char *name)
{
  int w, round, k, status;

  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      for(round = 0; round < 10; round++){
        for(k = 0; k < 3; k++){
          if(FORK() == 0)
            exit(round * 3 + k);
        }
        for(k = 0; k < 3; k++){
          status = WAIT();
          CHECK(status >= round * 3 && status < round * 3 + 3);
        }
      }
      exit(0);
    }
  }
  REAP(4);
}

// kill wakes a child sleeping in read on a pipe, and it dies.
void
test_killsleep(char *name)
{
  int ready[2], block[2], pid, status;
  char c;

  PIPE(ready);
  PIPE(block);
  pid = FORK();
  if(pid == 0){
    close(block[1]);
    write(ready[1], "r", 1);
    read(block[0], &c, 1);   // nobody ever writes
    exit(0);
  }
  CHECK_EQ(read(ready[0], &c, 1), 1);
  CHECK_EQ(kill(pid), 0);
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
  close(ready[0]);
  close(ready[1]);
  close(block[0]);
  close(block[1]);
}

// kill ends a sleep(1000) early.
void
test_killtimer(char *name)
{
  int ready[2], pid, status, start;
  char c;

  PIPE(ready);
  pid = FORK();
  if(pid == 0){
    write(ready[1], "r", 1);
    sleep(1000);
    exit(0);
  }
  CHECK_EQ(read(ready[0], &c, 1), 1);
  start = uptime();
  CHECK_EQ(kill(pid), 0);
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
  CHECK(uptime() - start < 500);
  close(ready[0]);
  close(ready[1]);
}

// Children spinning in user mode, never entering the kernel, are still
// preempted and can be killed.
void
test_killloop(char *name)
{
  int ready[2], pids[3], i, pid, status;
  char c;

  PIPE(ready);
  for(i = 0; i < 3; i++){
    pids[i] = FORK();
    if(pids[i] == 0){
      write(ready[1], "r", 1);
      for(;;)
        sink++;
    }
  }
  for(i = 0; i < 3; i++)
    CHECK_EQ(read(ready[0], &c, 1), 1);
  for(i = 0; i < 3; i++)
    CHECK_EQ(kill(pids[i]), 0);
  for(i = 0; i < 3; i++){
    pid = wait(&status);
    CHECK(indexof(pids, 3, pid) >= 0);
    CHECK_EQ(status, KILLED);
  }
  close(ready[0]);
  close(ready[1]);
}

// A process that kills itself dies on its way back to user mode.
void
test_killself(char *name)
{
  int pid, status;

  pid = FORK();
  if(pid == 0){
    kill(getpid());
    exit(0);
  }
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
}

// kill of a pid that does not exist (any more) returns -1.
void
test_killbad(char *name)
{
  int pid;

  CHECK_EQ(kill(-1), -1);
  CHECK_EQ(kill(0), -1);
  CHECK_EQ(kill(1000000), -1);
  pid = FORK();
  if(pid == 0)
    exit(0);
  CHECK_EQ(WAIT(), 0);
  CHECK_EQ(kill(pid), -1);
}

// getpid is stable, the child's pid is what fork returned, pids differ.
void
test_getpid(char *name)
{
  int me, fds[2], pid, pid2, child;

  me = getpid();
  CHECK(me > 0);
  CHECK_EQ(getpid(), me);
  PIPE(fds);
  pid = FORK();
  if(pid == 0){
    child = getpid();
    write(fds[1], &child, sizeof(child));
    exit(0);
  }
  CHECK_EQ(read(fds[0], &child, sizeof(child)), sizeof(child));
  CHECK_EQ(child, pid);
  CHECK(child != me);
  CHECK_EQ(WAIT(), 0);
  pid2 = FORK();
  if(pid2 == 0)
    exit(0);
  CHECK(pid2 != pid && pid2 != me);
  CHECK_EQ(WAIT(), 0);
  CHECK_EQ(getpid(), me);
  close(fds[0]);
  close(fds[1]);
}

// wait with a status pointer it cannot write returns -1 and leaves the
// child to be reaped properly later.
void
test_waitbad(char *name)
{
  uint64 a[NBAD + 1];
  int n, i, pid, status;

  n = unmapped(a);
  a[n++] = (uint64)fail;   // code: readable, not writable
  for(i = 0; i < n; i++){
    pid = FORK();
    if(pid == 0)
      exit(5);
    CHECK_BAD(wait((int *)a[i]), a[i]);
    CHECK_EQ(wait(&status), pid);
    CHECK_EQ(status, 5);
  }
}

// ==================================================== memory

// sbrk returns the old size; new memory is zeroed, also after shrinking
// and growing again; shrinking keeps what is below the new size.
void
test_sbrkbasic(char *name)
{
  char *base;
  int i;

  base = sbrk(0);
  CHECK(sbrk(10) == base);
  CHECK(sbrk(0) == base + 10);
  for(i = 0; i < 10; i++)
    CHECK_EQ(base[i], 0);
  CHECK(sbrk(3 * PGSIZE - 10) == base + 10);
  for(i = 0; i < 3 * PGSIZE; i++)
    CHECK_EQ(base[i], 0);
  fill(base, 3 * PGSIZE, 1, 0);
  CHECK_EQ(mismatch(base, 3 * PGSIZE, 1, 0), -1);
  CHECK(sbrk(-PGSIZE) == base + 3 * PGSIZE);
  CHECK(sbrk(0) == base + 2 * PGSIZE);
  CHECK_EQ(mismatch(base, 2 * PGSIZE, 1, 0), -1);
  CHECK(sbrk(PGSIZE) == base + 2 * PGSIZE);
  for(i = 2 * PGSIZE; i < 3 * PGSIZE; i++)
    CHECK_EQ(base[i], 0);
  CHECK(sbrk(-3 * PGSIZE) == base + 3 * PGSIZE);
  CHECK(sbrk(0) == base);
}

// Memory past the heap, and memory given back with sbrk, cannot be
// touched by the process or passed to the kernel.
void
test_sbrkshrink(char *name)
{
  char *base;
  int fds[2];

  base = sbrk(2 * PGSIZE);
  CHECK(base != (char *)-1);
  base[0] = 1;
  base[2 * PGSIZE - 1] = 1;
  LOAD_FAULTS(base + 2 * PGSIZE);
  CHECK(sbrk(-2 * PGSIZE) == base + 2 * PGSIZE);
  LOAD_FAULTS(base);
  STORE_FAULTS(base);
  STORE_FAULTS(base + 2 * PGSIZE - 1);
  PIPE(fds);
  CHECK_BAD(write(fds[1], base, 10), base);
  CHECK_EQ(write(fds[1], "abc", 3), 3);
  CHECK_BAD(read(fds[0], base, 3), base);
  close(fds[0]);
  close(fds[1]);
}

// Shrinking below zero fails and changes nothing; a child that gives back
// all of its memory, code included, dies without harming the kernel.
void
test_sbrkneg(char *name)
{
  char *top = sbrk(0);
  int pid, status;

  CHECK(sbrk(-(int)(uint64)top - 1) == (char *)-1);
  CHECK(sbrk(-0x7fffffff - 1) == (char *)-1);
  CHECK(sbrk(0) == top);
  pid = FORK();
  if(pid == 0){
    sbrk(-(int)(uint64)top);
    exit(0);   // the code to get here is gone
  }
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
}

// A forked child grows its heap by several megabytes, uses every page and
// exits; the memory comes back (the runner checks).
void
test_sbrkbig(char *name)
{
  char *p;
  int i, n = 8 * MB / PGSIZE;

  if(FORK() == 0){
    p = sbrk(n * PGSIZE);
    CHECK(p != (char *)-1);
    for(i = 0; i < n; i++){
      CHECK_EQ(p[i * PGSIZE], 0);
      p[i * PGSIZE] = i;
      p[i * PGSIZE + PGSIZE - 1] = i + 1;
    }
    for(i = 0; i < n; i++){
      CHECK_EQ(p[i * PGSIZE], (char)i);
      CHECK_EQ(p[i * PGSIZE + PGSIZE - 1], (char)(i + 1));
    }
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
}

// Grow the address space to 100 MB, touching every page, and give it all
// back: the paper's other worst case (every page allocated and freed).
void
test_sbrkmuch(char *name)
{
  char *a, *q;
  uint64 amt;

  if(FORK() == 0){
    a = sbrk(0);
    amt = 100 * MB - (uint64)a;
    CHECK(sbrk(amt) == a);
    for(q = a; q < a + amt; q += PGSIZE)
      *q = 1;
    a[amt - 1] = 99;
    CHECK(sbrk(-amt) == a + amt);
    CHECK(sbrk(0) == a);
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
}

// Asking for 2 GB fails cleanly: the size is as it was, and only the
// page-table pages built on the way (one per 2 MB) stay with the process
// until it exits (the runner checks that they come back then).
void
test_sbrkhuge(char *name)
{
  char *top = sbrk(0);
  int before = freepages();

  CHECK(sbrk(0x7fffffff) == (char *)-1);
  CHECK(sbrk(0) == top);
  CHECK(before - freepages() <= before / 512 + 2);
  CHECK(sbrk(MB) == top);
  top[MB - 1] = 1;
}

// After fork, parent and child write their own copies of data, bss and
// heap without seeing each other's changes.
void
test_forkcopy(char *name)
{
  static char data[2 * PGSIZE];
  int tochild[2], toparent[2];
  char *heap, c;

  heap = sbrk(PGSIZE);
  CHECK(heap != (char *)-1);
  fill(data, sizeof(data), 1, 0);
  fill(heap, PGSIZE, 1, 0);
  PIPE(tochild);
  PIPE(toparent);
  if(FORK() == 0){
    fill(data, sizeof(data), 2, 0);
    fill(heap, PGSIZE, 2, 0);
    write(toparent[1], "c", 1);
    CHECK_EQ(read(tochild[0], &c, 1), 1);   // the parent has written its copy
    CHECK_EQ(mismatch(data, sizeof(data), 2, 0), -1);
    CHECK_EQ(mismatch(heap, PGSIZE, 2, 0), -1);
    exit(0);
  }
  CHECK_EQ(read(toparent[0], &c, 1), 1);   // the child has written its copy
  CHECK_EQ(mismatch(data, sizeof(data), 1, 0), -1);
  CHECK_EQ(mismatch(heap, PGSIZE, 1, 0), -1);
  fill(data, sizeof(data), 3, 0);
  fill(heap, PGSIZE, 3, 0);
  write(tochild[1], "p", 1);
  CHECK_EQ(WAIT(), 0);
  CHECK_EQ(mismatch(data, sizeof(data), 3, 0), -1);
  CHECK_EQ(mismatch(heap, PGSIZE, 3, 0), -1);
  close(tochild[0]);
  close(tochild[1]);
  close(toparent[0]);
  close(toparent[1]);
  sbrk(-PGSIZE);
}

#define FORKBIG (256 * KB)

// Several children of a process with a large heap each get a full,
// correct copy of it.
void
test_forkbig(char *name)
{
  char *p;
  int i;

  p = sbrk(FORKBIG);
  CHECK(p != (char *)-1);
  fill(p, FORKBIG, 3, 0);
  for(i = 0; i < 3; i++){
    if(FORK() == 0){
      CHECK_EQ(mismatch(p, FORKBIG, 3, 0), -1);
      fill(p, FORKBIG, 10 + i, 0);
      exit(0);
    }
  }
  REAP(3);
  CHECK_EQ(mismatch(p, FORKBIG, 3, 0), -1);
  sbrk(-FORKBIG);
}

// A child takes all the memory there is. The kernel then fails fork and
// exec cleanly, the memory it gave is usable, and after the child gives
// some back, pipes and sbrk work again; after it exits all is free.
void
test_oom(char *name)
{
  static char *catargv[] = { "cat", "/oom.no-such-file", 0 };
  char *start, *top, *p;
  int fds[2], pid;

  if(FORK() == 0){
    start = sbrk(0);
    while(sbrk(MB) != (char *)-1)
      ;
    while(sbrk(PGSIZE) != (char *)-1)
      ;
    top = sbrk(0);
    CHECK(top - start > 64 * MB);
    pid = fork();
    if(pid == 0)
      exit(0);
    if(pid > 0){
      wait(0);
      fail(name, __LINE__, "fork succeeded with no free memory");
    }
    // cat would exit 1 on the missing file if this exec worked
    CHECK_EQ(exec("/cat", catargv), -1);
    if(pipe(fds) == 0){   // a page may be left over, or not
      close(fds[0]);
      close(fds[1]);
    }
    for(p = start; p < top; p += PGSIZE)
      *p = 1;
    for(p = start; p < top; p += PGSIZE)
      CHECK_EQ(*p, 1);
    CHECK(sbrk(-4 * MB) == top);
    PIPE(fds);
    close(fds[0]);
    close(fds[1]);
    CHECK(sbrk(PGSIZE) == top - 4 * MB);
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
}

// A child holding all of memory is killed; everything comes back and the
// kernel can run a new process with a large heap.
void
test_oomkill(char *name)
{
  int ready[2], pid, status;
  char c;

  PIPE(ready);
  pid = FORK();
  if(pid == 0){
    while(sbrk(MB) != (char *)-1)
      ;
    while(sbrk(PGSIZE) != (char *)-1)
      ;
    write(ready[1], "r", 1);
    for(;;)
      sink++;
  }
  CHECK_EQ(read(ready[0], &c, 1), 1);
  CHECK_EQ(kill(pid), 0);
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
  if(FORK() == 0){
    CHECK(sbrk(16 * MB) != (char *)-1);
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
  close(ready[0]);
  close(ready[1]);
}

// fork of a process bigger than the free memory fails and frees the
// partial copy; after shrinking, fork works.
void
test_forkoom(char *name)
{
  int pages, before, pid;

  pages = freepages() * 3 / 5;
  CHECK(sbrk(pages * PGSIZE) != (char *)-1);
  before = freepages();
  pid = fork();
  if(pid == 0)
    exit(0);
  if(pid > 0){
    wait(0);
    fail(name, __LINE__, "fork succeeded without memory for the copy");
  }
  CHECK_EQ(freepages(), before);
  sbrk(-pages * PGSIZE);
  if(FORK() == 0)
    exit(0);
  CHECK_EQ(WAIT(), 0);
}

// Recurse n levels with a frame of about 256 bytes each.
static int
recurse(int n)
{
  volatile char frame[256];

  frame[0] = n;
  if(n == 0)
    return frame[0];
  return recurse(n - 1) + frame[0];
}

// The page below the stack is a guard: touching it, or running off the
// stack by deep recursion, kills the process.
void
test_stackguard(char *name)
{
  uint64 guard = guardpage();
  int pid, status;

  LOAD_FAULTS(guard);
  STORE_FAULTS(guard);
  STORE_FAULTS(guard + PGSIZE - 1);
  pid = FORK();
  if(pid == 0)
    exit(recurse(100));
  CHECK_EQ(wait(&status), pid);
  CHECK_EQ(status, KILLED);
}

// User code cannot read or write kernel memory, devices, the trapframe,
// the trampoline, or anything at or beyond MAXVA.
void
test_kernmem(char *name)
{
  static uint64 loads[] = {
    KERNBASE, KERNBASE + 0x12345, PHYSTOP - 1, UART0, VIRTIO0,
    TRAPFRAME, TRAMPOLINE, MAXVA - 1, MAXVA, ~0UL,
  };
  static uint64 stores[] = { KERNBASE, PHYSTOP - 1, TRAPFRAME, TRAMPOLINE };
  int i;

  for(i = 0; i < NELEM(loads); i++)
    LOAD_FAULTS(loads[i]);
  for(i = 0; i < NELEM(stores); i++)
    STORE_FAULTS(stores[i]);
}

// Program text is read-only.
void
test_textwrite(char *name)
{
  STORE_FAULTS(fail);
  STORE_FAULTS(test_textwrite);
  sink = *(volatile char *)test_textwrite;   // reading it is fine
}

// ==================================================== bad pointers

// read into memory the process cannot write returns -1 and consumes
// nothing, from a file or a pipe.
void
test_badread(char *name)
{
  uint64 a[NBAD + 1];
  int n, i, fd, fds[2];

  WRITEPAT("br.f", 1, 2048);
  fd = OPEN("br.f", O_RDONLY);
  PIPE(fds);
  CHECK_EQ(write(fds[1], "hello", 5), 5);
  n = unmapped(a);
  a[n++] = (uint64)fail;
  for(i = 0; i < n; i++){
    CHECK_BAD(read(fd, (void *)a[i], 100), a[i]);
    CHECK_BAD(read(fds[0], (void *)a[i], 5), a[i]);
  }
  CHECK_EQ(read(fd, rbuf, 100), 100);
  CHECK_EQ(mismatch(rbuf, 100, 1, 0), -1);
  CHECK_EQ(read(fds[0], rbuf, 5), 5);
  CHECK(memcmp(rbuf, "hello", 5) == 0);
  close(fd);
  close(fds[0]);
  close(fds[1]);
  UNLINK("br.f");
}

// write from memory the process cannot read returns -1 and writes
// nothing, to a file or a pipe.
void
test_badwrite(char *name)
{
  uint64 a[NBAD];
  int n, i, fd, fds[2];
  struct stat st;

  fd = OPEN("bw.f", O_CREATE | O_RDWR | O_TRUNC);
  PIPE(fds);
  n = unmapped(a);
  for(i = 0; i < n; i++){
    CHECK_BAD(write(fd, (void *)a[i], 100), a[i]);
    CHECK_BAD(write(fds[1], (void *)a[i], 10), a[i]);
  }
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.size, 0);
  close(fds[1]);
  CHECK_EQ(read(fds[0], rbuf, 10), 0);
  close(fds[0]);
  close(fd);
  UNLINK("bw.f");
}

// pipe with a bad fd array returns -1 and leaves no descriptor or pipe
// behind, also when only the second int is bad.
void
test_badpipe(char *name)
{
  uint64 a[NBAD + 1];
  int n, i, fd;
  char *h;

  n = unmapped(a);
  a[n++] = (uint64)fail;
  for(i = 0; i < n; i++)
    CHECK_BAD(pipe((int *)a[i]), a[i]);
  h = sbrk(PGSIZE);
  CHECK_BAD(pipe((int *)(h + PGSIZE - sizeof(int))), h + PGSIZE - sizeof(int));
  fd = dup(0);
  CHECK_EQ(fd, 3);   // no descriptor was left open
  close(fd);
  sbrk(-PGSIZE);
}

// exec with a bad path pointer, a bad argv pointer, or a bad pointer in
// argv returns -1.
void
test_badexec(char *name)
{
  static char *argv[] = { "echo", "badexec", 0 };
  char *badargv[3];
  uint64 a[NBAD];
  int n, i;

  n = unmapped(a);
  for(i = 0; i < n; i++){
    EXEC_FAILS(a[i], argv);
    EXEC_FAILS("/echo", a[i]);
  }
  badargv[0] = "echo";
  badargv[2] = 0;
  badargv[1] = (char *)KERNBASE;
  EXEC_FAILS("/echo", badargv);
  badargv[1] = (char *)guardpage();
  EXEC_FAILS("/echo", badargv);
}

// Every system call that takes a path name must refuse s with -1.
static void
badpath(char *name, int line, char *s)
{
  static char *argv[] = { "echo", "badpath", 0 };

  checkbad(name, line, "open", (uint64)s, open(s, O_RDONLY));
  checkbad(name, line, "open O_CREATE", (uint64)s, open(s, O_CREATE | O_RDWR));
  checkbad(name, line, "mkdir", (uint64)s, mkdir(s));
  checkbad(name, line, "mknod", (uint64)s, mknod(s, 1, 1));
  checkbad(name, line, "chdir", (uint64)s, chdir(s));
  checkbad(name, line, "unlink", (uint64)s, unlink(s));
  checkbad(name, line, "link from", (uint64)s, link(s, "bp.new"));
  checkbad(name, line, "link to", (uint64)s, link("bp.f", s));
  exec_fails(name, line, s, argv);
}

// The path system calls with path pointers into unmapped memory.
void
test_badpaths(char *name)
{
  uint64 a[NBAD];
  int n, i;

  PUTSTR("bp.f", "x");
  n = unmapped(a);
  for(i = 0; i < n; i++)
    badpath(name, __LINE__, (char *)a[i]);
  CHECK_EQ(NLINK("bp.f"), 1);
  CHECK_EQ(open("bp.new", O_RDONLY), -1);
  UNLINK("bp.f");
}

// Strings without a terminating NUL before unmapped memory (the end of the
// heap, the guard page) are refused; a string that ends exactly at the
// last byte of the heap is fine. Likewise an argv array that runs off the
// heap.
void
test_badstrings(char *name)
{
  char *h, *s, *argv[3], **v, save[40];
  int fd;

  PUTSTR("bp.f", "x");
  h = sbrk(PGSIZE);
  memset(h, 'x', PGSIZE);
  badpath(name, __LINE__, h + PGSIZE - 40);
  argv[0] = "echo";
  argv[1] = h + PGSIZE - 40;
  argv[2] = 0;
  EXEC_FAILS("/echo", argv);
  v = (char **)(h + PGSIZE - 2 * sizeof(char *));
  v[0] = "echo";
  v[1] = "x";   // and no null pointer before the end of memory
  EXEC_FAILS("/echo", v);

  s = (char *)guardpage() - sizeof(save);   // the end of the data segment
  memmove(save, s, sizeof(save));
  memset(s, 'y', sizeof(save));
  badpath(name, __LINE__, s);
  memmove(s, save, sizeof(save));

  s = h + PGSIZE - 5;
  strcpy(s, "bs.f");
  fd = open(s, O_CREATE | O_RDWR);
  CHECK(fd >= 0);
  close(fd);
  CHECK_EQ(unlink(s), 0);
  sbrk(-PGSIZE);
  UNLINK("bp.f");
}

// fstat into memory the process cannot write returns -1; so does fstat
// of a pipe.
void
test_badfstat(char *name)
{
  uint64 a[NBAD + 1];
  int n, i, fd, fds[2];
  struct stat st;

  fd = OPEN("/", O_RDONLY);
  n = unmapped(a);
  a[n++] = (uint64)fail;
  for(i = 0; i < n; i++)
    CHECK_BAD(fstat(fd, (struct stat *)a[i]), a[i]);
  PIPE(fds);
  CHECK_EQ(fstat(fds[0], &st), -1);
  close(fds[0]);
  close(fds[1]);
  close(fd);
}

// Buffers that cross a page boundary or end exactly at the end of the
// heap work for every copy in and out of the kernel; one byte further
// does not.
void
test_copyedges(char *name)
{
  char *h, *top;
  int fd, pid, *fds;
  struct stat *st;

  h = sbrk(2 * PGSIZE);
  top = h + 2 * PGSIZE;
  WRITEPAT("ce.f", 2, 300);
  fd = OPEN("ce.f", O_RDONLY);
  CHECK_EQ(read(fd, h + PGSIZE - 150, 300), 300);
  CHECK_EQ(mismatch(h + PGSIZE - 150, 300, 2, 0), -1);
  close(fd);
  fd = OPEN("ce.f", O_RDONLY);
  CHECK_EQ(read(fd, top - 300, 300), 300);
  CHECK_EQ(mismatch(top - 300, 300, 2, 0), -1);
  close(fd);
  fd = OPEN("ce.f", O_RDONLY);
  CHECK_EQ(read(fd, top - 299, 300), -1);   // may have copied some bytes
  close(fd);

  fill(top - 300, 300, 2, 0);
  fd = OPEN("ce.g", O_CREATE | O_WRONLY | O_TRUNC);
  CHECK_EQ(write(fd, h + PGSIZE - 150, 300), 300);
  CHECK_EQ(write(fd, top - 300, 300), 300);
  CHECK_EQ(write(fd, top - 299, 300), -1);
  close(fd);
  fd = OPEN("ce.g", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, CHUNK), 600);
  CHECK_EQ(mismatch(rbuf, 300, 2, 0), -1);
  CHECK_EQ(mismatch(rbuf + 300, 300, 2, 0), -1);
  close(fd);

  fds = (int *)(top - 2 * sizeof(int));
  CHECK_EQ(pipe(fds), 0);
  CHECK(fds[0] >= 3 && fds[1] >= 3 && fds[0] != fds[1]);
  close(fds[0]);
  close(fds[1]);

  fd = OPEN("ce.f", O_RDONLY);
  st = (struct stat *)(top - sizeof(struct stat));
  CHECK_EQ(fstat(fd, st), 0);
  CHECK_EQ(st->size, 300);
  CHECK_BAD(fstat(fd, (struct stat *)(top - sizeof(struct stat) + 1)), top);
  close(fd);

  pid = FORK();
  if(pid == 0)
    exit(9);
  CHECK_EQ(wait((int *)(top - sizeof(int))), pid);
  CHECK_EQ(*(int *)(top - sizeof(int)), 9);

  strcpy(top - 5, "ce.f");
  fd = open(top - 5, O_RDONLY);
  CHECK(fd >= 0);
  close(fd);
  sbrk(-2 * PGSIZE);
  UNLINK("ce.f");
  UNLINK("ce.g");
}

// ==================================================== pipes

// Bytes come out in order, reads may be partial, the ends are one-way.
void
test_pipebasic(char *name)
{
  int fds[2];

  PIPE(fds);
  CHECK(fds[0] >= 3 && fds[1] >= 3 && fds[0] != fds[1]);
  CHECK_EQ(write(fds[1], "hello", 5), 5);
  CHECK_EQ(read(fds[0], rbuf, 100), 5);
  CHECK(memcmp(rbuf, "hello", 5) == 0);
  CHECK_EQ(write(fds[1], "0123456789", 10), 10);
  CHECK_EQ(read(fds[0], rbuf, 4), 4);
  CHECK(memcmp(rbuf, "0123", 4) == 0);
  CHECK_EQ(read(fds[0], rbuf, 100), 6);
  CHECK(memcmp(rbuf, "456789", 6) == 0);
  CHECK_EQ(write(fds[0], "x", 1), -1);
  CHECK_EQ(read(fds[1], rbuf, 1), -1);
  close(fds[0]);
  close(fds[1]);
}

#define PIPEBIG (100 * KB)

// A child writes 100 KB in chunks of odd sizes; the parent reads it in
// other odd sizes and every byte is right.
void
test_pipebig(char *name)
{
  int fds[2], off, n, i, chunk;

  PIPE(fds);
  if(FORK() == 0){
    close(fds[0]);
    for(off = 0, chunk = 1; off < PIPEBIG; off += n){
      n = min(chunk, PIPEBIG - off);
      fill(wbuf, n, 4, off);
      CHECK_EQ(write(fds[1], wbuf, n), n);
      chunk = chunk * 7 % 1531 + 1;
    }
    exit(0);
  }
  close(fds[1]);
  for(off = 0, chunk = 3; (n = read(fds[0], rbuf, chunk)) > 0; off += n){
    if((i = mismatch(rbuf, n, 4, off)) >= 0)
      failnum(name, __LINE__, "offset of the first wrong byte", off + i, -1);
    chunk = chunk * 5 % 2047 + 1;
  }
  CHECK_EQ(n, 0);
  CHECK_EQ(off, PIPEBIG);
  CHECK_EQ(WAIT(), 0);
  close(fds[0]);
}

// The reader sees end of file once every write end is closed: by a
// writer's exit, or by closing the last of several descriptors.
void
test_pipeeof(char *name)
{
  int fds[2], d;

  PIPE(fds);
  if(FORK() == 0){
    close(fds[0]);
    write(fds[1], "abc", 3);
    exit(0);
  }
  close(fds[1]);
  CHECK_EQ(read(fds[0], rbuf, 10), 3);
  CHECK(memcmp(rbuf, "abc", 3) == 0);
  CHECK_EQ(read(fds[0], rbuf, 10), 0);
  CHECK_EQ(read(fds[0], rbuf, 10), 0);
  CHECK_EQ(WAIT(), 0);
  close(fds[0]);

  PIPE(fds);
  d = dup(fds[1]);
  CHECK(d >= 0);
  close(fds[1]);
  CHECK_EQ(write(d, "x", 1), 1);
  CHECK_EQ(read(fds[0], rbuf, 10), 1);
  close(d);
  CHECK_EQ(read(fds[0], rbuf, 10), 0);
  close(fds[0]);
}

// With no reader left, write returns -1: at once, or when the reader goes
// away while the writer waits on a full pipe.
void
test_pipenoreader(char *name)
{
  int fds[2];

  PIPE(fds);
  close(fds[0]);
  CHECK_EQ(write(fds[1], "x", 1), -1);
  close(fds[1]);

  PIPE(fds);
  if(FORK() == 0){
    close(fds[1]);
    read(fds[0], rbuf, 1);
    exit(0);
  }
  close(fds[0]);
  fill(wbuf, CHUNK, 1, 0);
  CHECK_EQ(write(fds[1], wbuf, CHUNK), -1);
  CHECK_EQ(WAIT(), 0);
  close(fds[1]);
}

// Pipes until descriptors run out: pipe then returns -1 and does not keep
// the one free descriptor it could have had.
void
test_pipemany(char *name)
{
  static int p[NOFILE][2];
  int n, i, fd;

  for(n = 0; n < NOFILE; n++){
    if(pipe(p[n]) < 0)
      break;
  }
  CHECK_EQ(n, (NOFILE - 3) / 2);
  fd = open("/", O_RDONLY);
  CHECK_EQ(fd, NOFILE - 1);
  close(fd);
  for(i = 0; i < n; i++){
    CHECK_EQ(write(p[i][1], "z", 1), 1);
    CHECK_EQ(read(p[i][0], rbuf, 1), 1);
    close(p[i][0]);
    close(p[i][1]);
  }
}

// Four pairs of processes stream through four pipes at the same time.
void
test_pipeparallel(char *name)
{
  int w, fds[2], off, n, i;

  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      PIPE(fds);
      if(FORK() == 0){
        close(fds[0]);
        for(off = 0; off < 20 * KB; off += n){
          n = min(700 + w * 100, 20 * KB - off);
          fill(wbuf, n, 20 + w, off);
          CHECK_EQ(write(fds[1], wbuf, n), n);
        }
        exit(0);
      }
      close(fds[1]);
      for(off = 0; (n = read(fds[0], rbuf, 1000)) > 0; off += n){
        if((i = mismatch(rbuf, n, 20 + w, off)) >= 0)
          failnum(name, __LINE__, "offset of the first wrong byte", off + i, -1);
      }
      CHECK_EQ(off, 20 * KB);
      CHECK_EQ(WAIT(), 0);
      exit(0);
    }
  }
  REAP(4);
}

// ==================================================== files

// Create, write, close, reopen, read back, stat, unlink.
void
test_filebasic(char *name)
{
  int fd;
  struct stat st;

  fd = OPEN("fb.f", O_CREATE | O_RDWR);
  CHECK(fd >= 3);
  fill(wbuf, 100, 5, 0);
  CHECK_EQ(write(fd, wbuf, 100), 100);
  close(fd);
  fd = OPEN("fb.f", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, 200), 100);
  CHECK_EQ(mismatch(rbuf, 100, 5, 0), -1);
  CHECK_EQ(read(fd, rbuf, 200), 0);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.type, T_FILE);
  CHECK_EQ(st.size, 100);
  CHECK_EQ(st.nlink, 1);
  close(fd);
  UNLINK("fb.f");
  CHECK_EQ(open("fb.f", O_RDONLY), -1);
  CHECK_EQ(unlink("fb.f"), -1);
}

// Opening without O_TRUNC and writing replaces bytes in place; the size
// stays.
void
test_fileoverwrite(char *name)
{
  int fd;

  WRITEPAT("fo.f", 1, 2000);
  fd = OPEN("fo.f", O_WRONLY);
  fill(wbuf, 200, 1, 0);
  memmove(wbuf, "0123456789", 10);
  CHECK_EQ(write(fd, wbuf, 100), 100);
  CHECK_EQ(write(fd, wbuf + 100, 100), 100);
  close(fd);
  fd = OPEN("fo.f", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, CHUNK), 2000);
  CHECK(memcmp(rbuf, "0123456789", 10) == 0);
  CHECK_EQ(mismatch(rbuf + 10, 1990, 1, 10), -1);
  close(fd);
  UNLINK("fo.f");
}

// O_TRUNC empties a file, and it can be filled again.
void
test_filetrunc(char *name)
{
  int fd;
  struct stat st;

  WRITEPAT("ft.f", 1, 5000);
  fd = OPEN("ft.f", O_WRONLY | O_TRUNC);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.size, 0);
  close(fd);
  CHECKPAT("ft.f", 1, 0);
  WRITEPAT("ft.f", 2, 3000);
  CHECKPAT("ft.f", 2, 3000);
  UNLINK("ft.f");
}

// O_CREATE on an existing file opens it as it is; on a directory it fails;
// mkdir and mknod on an existing name fail.
void
test_fileexisting(char *name)
{
  int fd;

  PUTSTR("fe.f", "hello");
  fd = OPEN("fe.f", O_CREATE | O_RDWR);
  CHECK_EQ(read(fd, rbuf, 100), 5);
  close(fd);
  CHECKSTR("fe.f", "hello");
  CHECK_EQ(mkdir("fe.f"), -1);
  CHECK_EQ(mknod("fe.f", 1, 1), -1);
  CHECK_EQ(open("/", O_CREATE | O_RDWR), -1);
  CHECK_EQ(open(".", O_CREATE | O_RDONLY), -1);
  fd = OPEN("fe.f", O_CREATE | O_RDWR | O_TRUNC);
  close(fd);
  CHECKSTR("fe.f", "");
  UNLINK("fe.f");
}

// Appending by reading to the end first, and overwriting one byte by
// reading up to it: the offset moves with reads and writes alike.
void
test_fileappend(char *name)
{
  int fd;

  PUTSTR("fa.f", "abc");
  fd = OPEN("fa.f", O_RDWR);
  CHECK_EQ(read(fd, rbuf, 100), 3);
  CHECK_EQ(write(fd, "def", 3), 3);
  close(fd);
  CHECKSTR("fa.f", "abcdef");
  fd = OPEN("fa.f", O_RDWR);
  CHECK_EQ(read(fd, rbuf, 1), 1);
  CHECK_EQ(write(fd, "X", 1), 1);
  CHECK_EQ(read(fd, rbuf, 100), 4);
  CHECK(memcmp(rbuf, "cdef", 4) == 0);
  CHECK_EQ(write(fd, "g", 1), 1);
  close(fd);
  CHECKSTR("fa.f", "aXcdefg");
  UNLINK("fa.f");
}

// Single writes of sizes around the block size and the kernel's per-
// transaction limit land intact.
void
test_filesizes(char *name)
{
  static int sizes[] = {
    1, 100, BSIZE - 1, BSIZE, BSIZE + 1, 3 * BSIZE - 1, 3 * BSIZE,
    3 * BSIZE + 1, 6 * BSIZE + 1, CHUNK,
  };
  int i, fd;

  for(i = 0; i < NELEM(sizes); i++){
    fd = OPEN("fz.f", O_CREATE | O_WRONLY | O_TRUNC);
    fill(wbuf, sizes[i], i, 0);
    CHECK_EQ(write(fd, wbuf, sizes[i]), sizes[i]);
    close(fd);
    CHECKPAT("fz.f", i, sizes[i]);
  }
  UNLINK("fz.f");
}

// A file that needs the indirect block; truncated and written again with
// other data.
void
test_fileindirect(char *name)
{
  WRITEPAT("fi.f", 6, (NDIRECT + 18) * BSIZE + 77);
  CHECKPAT("fi.f", 6, (NDIRECT + 18) * BSIZE + 77);
  WRITEPAT("fi.f", 7, (NDIRECT + 3) * BSIZE);
  CHECKPAT("fi.f", 7, (NDIRECT + 3) * BSIZE);
  UNLINK("fi.f");
}

// A file of the largest size, MAXFILE blocks; writing one more byte fails
// and changes nothing.
void
test_filemax(char *name)
{
  int fd;
  struct stat st;

  WRITEPAT("fm.f", 8, MAXFILE * BSIZE);
  fd = OPEN("fm.f", O_RDWR);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.size, MAXFILE * BSIZE);
  while(read(fd, rbuf, CHUNK) > 0)
    ;
  CHECK_EQ(write(fd, "x", 1), -1);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.size, MAXFILE * BSIZE);
  close(fd);
  CHECKPAT("fm.f", 8, MAXFILE * BSIZE);
  UNLINK("fm.f");
}

// read returns what is left before the end, then 0; so does an empty file.
void
test_readeof(char *name)
{
  int fd;

  PUTSTR("re.f", "0123456789");
  fd = OPEN("re.f", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, 4), 4);
  CHECK_EQ(read(fd, rbuf, 100), 6);
  CHECK(memcmp(rbuf, "456789", 6) == 0);
  CHECK_EQ(read(fd, rbuf, 100), 0);
  CHECK_EQ(read(fd, rbuf, 0), 0);
  close(fd);
  PUTSTR("re.f", "");
  fd = OPEN("re.f", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, 100), 0);
  close(fd);
  UNLINK("re.f");
}

#define MANYFILES 10

// Many small files side by side keep their own contents.
void
test_manyfiles(char *name)
{
  char p[16];
  int i;

  for(i = 0; i < MANYFILES; i++)
    WRITEPAT(mkname(p, "mf.", i), i, 50 + i);
  for(i = 0; i < MANYFILES; i++)
    CHECKPAT(mkname(p, "mf.", i), i, 50 + i);
  for(i = 0; i < MANYFILES; i++)
    UNLINK(mkname(p, "mf.", i));
  for(i = 0; i < MANYFILES; i++)
    CHECK_EQ(open(mkname(p, "mf.", i), O_RDONLY), -1);
}

#define BIGDIR 100

// A directory of many entries, more than one block of them, all links to
// one file; they go away, and freed slots are used again.
void
test_bigdir(char *name)
{
  char p[20];
  int i;
  uint ino;

  CHECK_EQ(mkdir("bd.d"), 0);
  PUTSTR("bd.f", "big");
  ino = INUM("bd.f");
  for(i = 0; i < BIGDIR; i++)
    CHECK_EQ(link("bd.f", mkname(p, "bd.d/x", i)), 0);
  CHECK_EQ(NLINK("bd.f"), BIGDIR + 1);
  for(i = 0; i < BIGDIR; i++)
    CHECK_EQ(INUM(mkname(p, "bd.d/x", i)), ino);
  for(i = BIGDIR - 1; i >= 0; i -= 2)
    UNLINK(mkname(p, "bd.d/x", i));
  for(i = BIGDIR - 1; i >= 0; i -= 2)
    CHECK_EQ(link("bd.f", mkname(p, "bd.d/y", i)), 0);
  for(i = 0; i < BIGDIR; i++)
    UNLINK(mkname(p, i % 2 ? "bd.d/y" : "bd.d/x", i));
  CHECK_EQ(NLINK("bd.f"), 1);
  checkempty(name, __LINE__, "bd.d");
  UNLINK("bd.d");
  CHECKSTR("bd.f", "big");
  UNLINK("bd.f");
}

// A process gets NOFILE descriptors, lowest free first; then open, dup
// and pipe fail until one is closed.
void
test_fdexhaust(char *name)
{
  int fd, n, fds[2];

  PUTSTR("fx.f", "x");
  for(n = 0; (fd = open("fx.f", O_RDONLY)) >= 0; n++)
    CHECK_EQ(fd, 3 + n);
  CHECK_EQ(n, NOFILE - 3);
  CHECK_EQ(dup(0), -1);
  CHECK_EQ(pipe(fds), -1);
  CHECK_EQ(close(7), 0);
  CHECK_EQ(open("fx.f", O_RDONLY), 7);
  for(fd = 3; fd < NOFILE; fd++)
    CHECK_EQ(close(fd), 0);
  UNLINK("fx.f");
}

// Descriptors that are out of range or not open are refused by every
// call that takes one.
void
test_badfd(char *name)
{
  static int bad[] = { -1, -2147483647 - 1, 3, NOFILE - 1, NOFILE, NOFILE + 1, 1000 };
  struct stat st;
  int i;

  for(i = 0; i < NELEM(bad); i++){
    CHECK_EQ(read(bad[i], rbuf, 1), -1);
    CHECK_EQ(write(bad[i], "x", 1), -1);
    CHECK_EQ(fstat(bad[i], &st), -1);
    CHECK_EQ(dup(bad[i]), -1);
    CHECK_EQ(close(bad[i]), -1);
  }
  CHECK_EQ(read(0, rbuf, -1), -1);
  CHECK_EQ(write(1, "x", -1), -1);
}

// A dup'ed descriptor, and one inherited through fork, share the offset
// with the original; separate opens do not.
void
test_dupoffset(char *name)
{
  int fd, d, fd2;

  fd = OPEN("do.f", O_CREATE | O_RDWR | O_TRUNC);
  CHECK_EQ(write(fd, "ab", 2), 2);
  d = dup(fd);
  CHECK(d >= 0 && d != fd);
  CHECK_EQ(write(d, "cd", 2), 2);
  close(fd);
  CHECK_EQ(write(d, "ef", 2), 2);
  if(FORK() == 0){
    CHECK_EQ(write(d, "gh", 2), 2);
    exit(0);
  }
  CHECK_EQ(WAIT(), 0);
  CHECK_EQ(write(d, "ij", 2), 2);
  close(d);
  CHECKSTR("do.f", "abcdefghij");
  fd = OPEN("do.f", O_RDONLY);
  fd2 = OPEN("do.f", O_RDONLY);
  CHECK_EQ(read(fd, rbuf, 4), 4);
  CHECK_EQ(read(fd2, rbuf, 2), 2);
  CHECK(memcmp(rbuf, "ab", 2) == 0);
  close(fd);
  close(fd2);
  UNLINK("do.f");
}

// A closed descriptor is dead for every call, and its number is reused.
void
test_closeuse(char *name)
{
  int fd;
  struct stat st;

  PUTSTR("cu.f", "data");
  fd = OPEN("cu.f", O_RDWR);
  CHECK_EQ(close(fd), 0);
  CHECK_EQ(close(fd), -1);
  CHECK_EQ(read(fd, rbuf, 1), -1);
  CHECK_EQ(write(fd, "x", 1), -1);
  CHECK_EQ(fstat(fd, &st), -1);
  CHECK_EQ(dup(fd), -1);
  CHECK_EQ(OPEN("cu.f", O_RDONLY), fd);
  close(fd);
  CHECKSTR("cu.f", "data");
  UNLINK("cu.f");
}

// O_RDONLY cannot write, O_WRONLY cannot read, O_RDWR does both.
void
test_openmodes(char *name)
{
  int fd;

  PUTSTR("om.f", "abc");
  fd = OPEN("om.f", O_RDONLY);
  CHECK_EQ(write(fd, "x", 1), -1);
  CHECK_EQ(read(fd, rbuf, 10), 3);
  close(fd);
  fd = OPEN("om.f", O_WRONLY);
  CHECK_EQ(read(fd, rbuf, 10), -1);
  CHECK_EQ(write(fd, "x", 1), 1);
  close(fd);
  fd = OPEN("om.f", O_RDWR);
  CHECK_EQ(write(fd, "y", 1), 1);
  CHECK_EQ(read(fd, rbuf, 10), 2);
  CHECK(memcmp(rbuf, "bc", 2) == 0);
  close(fd);
  CHECKSTR("om.f", "ybc");
  UNLINK("om.f");
}

// Device files: a major without a driver opens but cannot be read or
// written; a major out of range cannot even be opened.
void
test_mknod(char *name)
{
  int fd;
  struct stat st;

  CHECK_EQ(mknod("mn.dev", NDEV - 1, 3), 0);
  CHECK_EQ(mknod("mn.dev", NDEV - 1, 3), -1);
  fd = OPEN("mn.dev", O_RDWR);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.type, T_DEVICE);
  CHECK_EQ(read(fd, rbuf, 1), -1);
  CHECK_EQ(write(fd, "x", 1), -1);
  close(fd);
  CHECK_EQ(mknod("mn.big", 100, 0), 0);
  CHECK_EQ(open("mn.big", O_RDWR), -1);
  CHECK_EQ(mknod("mn.neg", -1, 0), 0);
  CHECK_EQ(open("mn.neg", O_RDWR), -1);
  UNLINK("mn.dev");
  UNLINK("mn.big");
  UNLINK("mn.neg");
}

// ==================================================== directories

// mkdir, chdir into it, relative and absolute names for the same file.
void
test_mkdirchdir(char *name)
{
  struct stat st;
  int fd;

  CHECK_EQ(mkdir("md.d"), 0);
  CHECK_EQ(mkdir("md.d"), -1);
  fd = OPEN("md.d", O_RDONLY);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.type, T_DIR);
  close(fd);
  CHECK_EQ(chdir("md.d"), 0);
  PUTSTR("f", "in dir");
  CHECKSTR("/md.d/f", "in dir");
  CHECK_EQ(chdir(".."), 0);
  CHECKSTR("md.d/f", "in dir");
  CHECK_EQ(chdir("md.d/f"), -1);
  CHECK_EQ(chdir("md.d/none"), -1);
  UNLINK("md.d/f");
  UNLINK("md.d");
}

// "." and ".." in paths, repeated slashes, and ".." of the root.
void
test_dotdot(char *name)
{
  uint root = INUM("/");

  CHECK_EQ(INUM(".."), root);
  CHECK_EQ(INUM("/.."), root);
  CHECK_EQ(INUM("/../../."), root);
  CHECK_EQ(mkdir("dt.d"), 0);
  CHECK_EQ(mkdir("dt.d/a"), 0);
  PUTSTR("dt.d/a/f", "dots");
  CHECKSTR("dt.d/a/../a/./f", "dots");
  CHECKSTR("dt.d/./a/../../dt.d/a/f", "dots");
  CHECKSTR("//dt.d///a//f", "dots");
  CHECK_EQ(INUM("dt.d/a/.."), INUM("dt.d"));
  CHECK_EQ(chdir("dt.d/a"), 0);
  CHECKSTR("../../dt.d/a/f", "dots");
  CHECK_EQ(INUM("../.."), root);
  CHECK_EQ(chdir("../.."), 0);
  CHECK_EQ(INUM("."), root);
  UNLINK("dt.d/a/f");
  UNLINK("dt.d/a");
  UNLINK("dt.d");
}

// A directory can be removed only when empty; link counts follow the
// subdirectories' "..".
void
test_rmdir(char *name)
{
  int root = NLINK(".");

  CHECK_EQ(mkdir("rd.d"), 0);
  CHECK_EQ(NLINK("."), root + 1);
  CHECK_EQ(NLINK("rd.d"), 1);
  CHECK_EQ(mkdir("rd.d/sub"), 0);
  CHECK_EQ(NLINK("rd.d"), 2);
  CHECK_EQ(unlink("rd.d"), -1);
  UNLINK("rd.d/sub");
  CHECK_EQ(NLINK("rd.d"), 1);
  PUTSTR("rd.d/f", "x");
  CHECK_EQ(unlink("rd.d"), -1);
  UNLINK("rd.d/f");
  UNLINK("rd.d");
  CHECK_EQ(NLINK("."), root);
  CHECK_EQ(open("rd.d", O_RDONLY), -1);
}

// An unlinked file stays readable and writable through open descriptors;
// its name is free at once for a new file.
void
test_unlinkopen(char *name)
{
  int fd, fd2;
  struct stat st;

  PUTSTR("uo.f", "still here");
  fd = OPEN("uo.f", O_RDWR);
  fd2 = OPEN("uo.f", O_RDONLY);
  UNLINK("uo.f");
  CHECK_EQ(open("uo.f", O_RDONLY), -1);
  CHECK_EQ(read(fd, rbuf, 100), 10);
  CHECK(memcmp(rbuf, "still here", 10) == 0);
  CHECK_EQ(write(fd, "!", 1), 1);
  CHECK_EQ(read(fd2, rbuf, 100), 11);
  CHECK(memcmp(rbuf, "still here!", 11) == 0);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.nlink, 0);
  PUTSTR("uo.f", "new");
  close(fd);
  close(fd2);
  CHECKSTR("uo.f", "new");
  UNLINK("uo.f");
}

#define DEPTH 10

// Nested directories, DEPTH deep, reached by chdir and by one long path.
void
test_deepdir(char *name)
{
  int i;

  for(i = 0; i < DEPTH; i++){
    CHECK_EQ(mkdir("dp.d"), 0);
    CHECK_EQ(chdir("dp.d"), 0);
  }
  PUTSTR("leaf", "deep");
  CHECK_EQ(chdir("/"), 0);
  path[0] = 0;
  for(i = 0; i < DEPTH; i++)
    strcpy(path + strlen(path), "dp.d/");
  strcpy(path + strlen(path), "leaf");
  CHECKSTR(path, "deep");
  path[strlen(path) - 5] = 0;
  CHECK_EQ(chdir(path), 0);
  UNLINK("leaf");
  for(i = 0; i < DEPTH; i++){
    CHECK_EQ(chdir(".."), 0);
    UNLINK("dp.d");
  }
  CHECK_EQ(INUM("."), INUM("/"));
}

#define IREF 60

// More nested directories than the kernel has in-memory inodes, with files
// made and removed at each level: no inode reference may leak.
void
test_iref(char *name)
{
  int i, fd;

  for(i = 0; i < IREF; i++){
    CHECK_EQ(mkdir("ir.d"), 0);
    CHECK_EQ(chdir("ir.d"), 0);
    fd = OPEN("f", O_CREATE | O_RDWR);
    close(fd);
    CHECK_EQ(link("f", "g"), 0);
    UNLINK("f");
    fd = OPEN(".", O_RDONLY);
    close(fd);
  }
  for(i = 0; i < IREF; i++){
    UNLINK("g");
    CHECK_EQ(chdir(".."), 0);
    UNLINK("ir.d");
  }
  CHECK_EQ(INUM("."), INUM("/"));
}

// Fill path with a name of exactly len characters for the file "mp.ff" in
// the current directory: "./" repeated (after a "/" when len is even, so
// that it stays the root) and the name.
static char *
longpath(int len)
{
  int i, pre = len - 5;

  for(i = 0; i < pre; i++)
    path[i] = (pre - 1 - i) % 2 ? '.' : '/';
  strcpy(path + pre, "mp.ff");
  return path;
}

// Paths of MAXPATH-1 characters are accepted; longer ones are not.
void
test_maxpath(char *name)
{
  int fd, len;

  fd = OPEN(longpath(MAXPATH - 1), O_CREATE | O_RDWR);
  CHECK_EQ(write(fd, "max", 3), 3);
  close(fd);
  CHECKSTR(longpath(MAXPATH - 2), "max");
  CHECKSTR(longpath(MAXPATH - 1), "max");
  for(len = MAXPATH; len <= MAXPATH + 1; len++){
    CHECK_EQ(open(longpath(len), O_RDONLY), -1);
    CHECK_EQ(unlink(longpath(len)), -1);
    CHECK_EQ(link("mp.ff", longpath(len)), -1);
  }
  CHECK_EQ(open(longpath(300), O_RDONLY), -1);
  CHECK_EQ(unlink(longpath(MAXPATH - 1)), 0);
  CHECK_EQ(open("mp.ff", O_RDONLY), -1);
}

// Names of exactly DIRSIZ characters work for files and directories and
// are stored whole; longer names are cut to DIRSIZ, as in xv6.
void
test_dirsiz(char *name)
{
  static char n14[] = "ds.abcdefghijk";
  struct dirent de;
  int fd, found = 0;

  CHECK_EQ(strlen(n14), DIRSIZ);
  PUTSTR(n14, "fourteen");
  CHECKSTR(n14, "fourteen");
  CHECK_EQ(open("ds.abcdefghij", O_RDONLY), -1);
  CHECK_EQ(INUM("ds.abcdefghijklmn"), INUM(n14));
  fd = OPEN(".", O_RDONLY);
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum != 0 && samename(de.name, n14))
      found++;
  }
  close(fd);
  CHECK_EQ(found, 1);
  CHECK_EQ(mkdir("ds.directory12"), 0);
  PUTSTR("ds.directory12/f", "inside");
  CHECKSTR("ds.directory12/f", "inside");
  UNLINK("ds.directory12/f");
  UNLINK("ds.directory12");
  UNLINK(n14);
}

// "." and ".." can be neither unlinked nor created; neither can "/".
void
test_dotunlink(char *name)
{
  CHECK_EQ(unlink("."), -1);
  CHECK_EQ(unlink(".."), -1);
  CHECK_EQ(unlink("/"), -1);
  CHECK_EQ(mkdir("du.d"), 0);
  CHECK_EQ(unlink("du.d/."), -1);
  CHECK_EQ(unlink("du.d/.."), -1);
  CHECK_EQ(mkdir("du.d/."), -1);
  CHECK_EQ(mkdir("."), -1);
  CHECK_EQ(mkdir(".."), -1);
  CHECK_EQ(mkdir("/"), -1);
  CHECK_EQ(link("du.d/..", "du.d/x"), -1);
  UNLINK("du.d");
}

// Nothing can be created in a directory that has been removed while it is
// the current directory: the entry would be lost with the directory.
void
test_removedcwd(char *name)
{
  int fd, bad = 0;

  CHECK_EQ(mkdir("rc.d"), 0);
  CHECK_EQ(chdir("rc.d"), 0);
  CHECK_EQ(unlink("../rc.d"), 0);
  if((fd = open("f", O_CREATE | O_RDWR)) >= 0){
    close(fd);
    unlink("f");
    bad |= 1;
  }
  if(mkdir("d") == 0){
    unlink("d");
    bad |= 2;
  }
  if(mknod("n", 1, 1) == 0){
    unlink("n");
    bad |= 4;
  }
  if(link("/README.md", "l") == 0){
    unlink("l");
    bad |= 8;
  }
  CHECK_EQ(chdir("/"), 0);
  CHECK_EQ(open("rc.d", O_RDONLY), -1);
  if(bad)
    failnum(name, __LINE__, "calls that created an entry in the removed directory "
            "(1 open, 2 mkdir, 4 mknod, 8 link)", bad, 0);
}

// A file is not a directory: paths through it, chdir to it, and mkdir
// over it fail; a directory cannot be opened for writing.
void
test_dirfile(char *name)
{
  int fd;

  PUTSTR("df.f", "file");
  CHECK_EQ(mkdir("df.f/x"), -1);
  CHECK_EQ(open("df.f/x", O_CREATE | O_RDWR), -1);
  CHECK_EQ(open("df.f/x", O_RDONLY), -1);
  CHECK_EQ(mknod("df.f/x", 1, 1), -1);
  CHECK_EQ(chdir("df.f"), -1);
  CHECK_EQ(unlink("df.f/x"), -1);
  CHECK_EQ(link("df.f", "df.f/x"), -1);
  CHECK_EQ(link("README.md", "df.f/x"), -1);
  CHECK_EQ(mkdir("df.f"), -1);
  CHECK_EQ(open(".", O_RDWR), -1);
  CHECK_EQ(open(".", O_WRONLY), -1);
  fd = OPEN(".", O_RDONLY);
  CHECK_EQ(write(fd, "x", 1), -1);
  close(fd);
  CHECKSTR("df.f", "file");
  UNLINK("df.f");
}

// A directory reads as entries: ".", "..", and its files, with the right
// inode numbers.
void
test_dirread(char *name)
{
  struct dirent de;
  int fd, found = 0;

  CHECK_EQ(mkdir("dr.d"), 0);
  PUTSTR("dr.d/aa", "1");
  PUTSTR("dr.d/bb", "2");
  fd = OPEN("dr.d", O_RDONLY);
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum == 0)
      continue;
    if(samename(de.name, ".") && de.inum == INUM("dr.d"))
      found |= 1;
    else if(samename(de.name, "..") && de.inum == INUM("."))
      found |= 2;
    else if(samename(de.name, "aa") && de.inum == INUM("dr.d/aa"))
      found |= 4;
    else if(samename(de.name, "bb") && de.inum == INUM("dr.d/bb"))
      found |= 8;
    else
      fail(name, __LINE__, "unexpected directory entry");
  }
  CHECK_EQ(found, 15);
  close(fd);
  UNLINK("dr.d/aa");
  UNLINK("dr.d/bb");
  UNLINK("dr.d");
}

// ==================================================== links

// Two names for one inode, also across directories; link counts follow.
void
test_linkbasic(char *name)
{
  int fd;

  PUTSTR("lb.a", "hello");
  CHECK_EQ(link("lb.a", "lb.b"), 0);
  CHECK_EQ(NLINK("lb.a"), 2);
  CHECK_EQ(NLINK("lb.b"), 2);
  CHECK_EQ(INUM("lb.a"), INUM("lb.b"));
  fd = OPEN("lb.b", O_WRONLY);
  CHECK_EQ(write(fd, "J", 1), 1);
  close(fd);
  CHECKSTR("lb.a", "Jello");
  UNLINK("lb.a");
  CHECK_EQ(open("lb.a", O_RDONLY), -1);
  CHECK_EQ(NLINK("lb.b"), 1);
  CHECKSTR("lb.b", "Jello");
  CHECK_EQ(mkdir("lb.d"), 0);
  CHECK_EQ(link("lb.b", "lb.d/c"), 0);
  CHECK_EQ(NLINK("lb.b"), 2);
  CHECKSTR("lb.d/c", "Jello");
  UNLINK("lb.b");
  CHECKSTR("lb.d/c", "Jello");
  UNLINK("lb.d/c");
  UNLINK("lb.d");
}

// link fails onto an existing name, from a missing file, into a missing
// or non-directory parent, and for a directory; a failed link leaves the
// link count alone.
void
test_linkerrors(char *name)
{
  PUTSTR("le.a", "a");
  PUTSTR("le.b", "b");
  CHECK_EQ(link("le.a", "le.b"), -1);
  CHECK_EQ(link("le.a", "le.a"), -1);
  CHECK_EQ(link("le.none", "le.c"), -1);
  CHECK_EQ(link("le.a", "le.none/c"), -1);
  CHECK_EQ(link("le.a", "le.b/c"), -1);
  CHECK_EQ(link("le.a", ""), -1);
  CHECK_EQ(link("le.a", "/"), -1);
  CHECK_EQ(NLINK("le.a"), 1);
  CHECKSTR("le.b", "b");
  CHECK_EQ(mkdir("le.d"), 0);
  CHECK_EQ(link("le.d", "le.e"), -1);
  CHECK_EQ(link(".", "le.e"), -1);
  CHECK_EQ(open("le.c", O_RDONLY), -1);
  CHECK_EQ(open("le.e", O_RDONLY), -1);
  UNLINK("le.d");
  UNLINK("le.a");
  UNLINK("le.b");
}

// ==================================================== concurrency

#define CCNAMES 5

// Four processes create, check and remove files in one directory at the
// same time: names of their own, and names they all fight over.
void
test_concreate(char *name)
{
  char p[16];
  int w, i, fd;

  CHECK_EQ(mkdir("cc.d"), 0);
  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      strcpy(p, "cc.d/xx");
      for(i = 0; i < CCNAMES; i++){
        p[5] = 's';
        p[6] = '0' + i;
        fd = OPEN(p, O_CREATE | O_RDWR);   // whoever comes first creates it
        CHECK_EQ(write(fd, "s", 1), 1);
        close(fd);
        p[5] = 'a' + w;
        WRITEPAT(p, w * CCNAMES + i, 100 + i);
      }
      for(i = 0; i < CCNAMES; i++){
        p[5] = 's';
        p[6] = '0' + i;
        unlink(p);   // fails for all but one
        p[5] = 'a' + w;
        CHECKPAT(p, w * CCNAMES + i, 100 + i);
        UNLINK(p);
      }
      exit(0);
    }
  }
  REAP(4);
  checkempty(name, __LINE__, "cc.d");
  UNLINK("cc.d");
}

// Four processes write files of several blocks at the same time.
void
test_concwrite(char *name)
{
  char p[8];
  int w;

  strcpy(p, "cw.x");
  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      p[3] = '0' + w;
      WRITEPAT(p, 30 + w, 8 * BSIZE + w);
      exit(0);
    }
  }
  REAP(4);
  for(w = 0; w < 4; w++){
    p[3] = '0' + w;
    CHECKPAT(p, 30 + w, 8 * BSIZE + w);
    UNLINK(p);
  }
}

#define RECORDS 40
#define RECSIZE 16

// Four processes write records through one shared descriptor: no record
// is lost, torn or overwritten.
void
test_sharedfd(char *name)
{
  int fd, w, i, j, counts[4];
  struct stat st;

  fd = OPEN("sf.f", O_CREATE | O_RDWR | O_TRUNC);
  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      memset(wbuf, 'a' + w, RECSIZE);
      for(i = 0; i < RECORDS; i++)
        CHECK_EQ(write(fd, wbuf, RECSIZE), RECSIZE);
      exit(0);
    }
  }
  REAP(4);
  close(fd);
  memset(counts, 0, sizeof(counts));
  fd = OPEN("sf.f", O_RDONLY);
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.size, 4 * RECORDS * RECSIZE);
  while(read(fd, rbuf, RECSIZE) == RECSIZE){
    w = rbuf[0] - 'a';
    CHECK(w >= 0 && w < 4);
    for(j = 1; j < RECSIZE; j++)
      CHECK_EQ(rbuf[j], rbuf[0]);
    counts[w]++;
  }
  close(fd);
  for(w = 0; w < 4; w++)
    CHECK_EQ(counts[w], RECORDS);
  UNLINK("sf.f");
}

#define LOGFILES  3
#define LOGBLOCKS 40

// Four processes each write three files of many blocks at once, so that
// the log commits many concurrent operations; all data must be right.
void
test_logstress(char *name)
{
  char p[8];
  int w, f;

  strcpy(p, "lg.xx");
  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      p[3] = '0' + w;
      for(f = 0; f < LOGFILES; f++){
        p[4] = '0' + f;
        WRITEPAT(p, w * LOGFILES + f, LOGBLOCKS * BSIZE + f * 333);
      }
      exit(0);
    }
  }
  REAP(4);
  for(w = 0; w < 4; w++){
    p[3] = '0' + w;
    for(f = 0; f < LOGFILES; f++){
      p[4] = '0' + f;
      CHECKPAT(p, w * LOGFILES + f, LOGBLOCKS * BSIZE + f * 333);
      UNLINK(p);
    }
  }
}

#define FSFILES  4
#define FSROUNDS 40

// One worker of fsstress: a random-looking but fixed mix of operations on
// its own names in the shared directory fs.d, checked against what it
// knows it did.
static void
fsworker(char *name, int w)
{
  static int seed[FSFILES], size[FSFILES];   // seed 0: the file is absent
  char p[16], q[16];
  int r, f, fd;

  strcpy(p, "fs.d/xfx");
  strcpy(q, "fs.d/xlx");
  p[5] = q[5] = 'a' + w;
  for(r = 0; r < FSROUNDS; r++){
    f = (r * 3 + w) % FSFILES;
    p[7] = q[7] = '0' + f;
    switch((r + w) % 6){
    case 0:
    case 1:
      seed[f] = 100 + r;
      size[f] = 100 + (r * 977 + w * 131) % (5 * BSIZE);
      WRITEPAT(p, seed[f], size[f]);
      break;
    case 2:
      if(seed[f])
        CHECKPAT(p, seed[f], size[f]);
      else
        CHECK_EQ(open(p, O_RDONLY), -1);
      break;
    case 3:   // rename through a second name
      if(seed[f]){
        CHECK_EQ(link(p, q), 0);
        UNLINK(p);
        CHECKPAT(q, seed[f], size[f]);
        CHECK_EQ(link(q, p), 0);
        UNLINK(q);
      }
      break;
    case 4:
      if(seed[f]){
        UNLINK(p);
        seed[f] = 0;
      } else {
        CHECK_EQ(unlink(p), -1);
      }
      break;
    case 5:   // a directory with a file in it, made and removed
      q[6] = 'd';
      CHECK_EQ(mkdir(q), 0);
      strcpy(q + 8, "/z");
      fd = OPEN(q, O_CREATE | O_RDWR);
      CHECK_EQ(write(fd, "z", 1), 1);
      close(fd);
      UNLINK(q);
      q[8] = 0;
      UNLINK(q);
      q[6] = 'l';
      break;
    }
  }
  for(f = 0; f < FSFILES; f++){
    p[7] = '0' + f;
    if(seed[f])
      UNLINK(p);
  }
}

// Four workers run fsworker at once in one directory.
void
test_fsstress(char *name)
{
  int w;

  CHECK_EQ(mkdir("fs.d"), 0);
  for(w = 0; w < 4; w++){
    if(FORK() == 0){
      fsworker(name, w);
      exit(0);
    }
  }
  REAP(4);
  checkempty(name, __LINE__, "fs.d");
  UNLINK("fs.d");
}

// ==================================================== exec

// exec of a path that names nothing, or goes through a file, fails.
void
test_execnoent(char *name)
{
  static char *argv[] = { "echo", "execnoent", 0 };

  EXEC_FAILS("/en.no-such-program", argv);
  EXEC_FAILS("", argv);
  EXEC_FAILS("/echo/x", argv);
  EXEC_FAILS("/en.none/echo", argv);
}

// exec of files that are not ELF programs fails: text, empty, too short,
// a directory, a device.
void
test_execnonelf(char *name)
{
  static char *argv[] = { "x", 0 };

  EXEC_FAILS("/README.md", argv);
  PUTSTR("ne.f", "");
  EXEC_FAILS("ne.f", argv);
  PUTSTR("ne.f", "\177EL");
  EXEC_FAILS("ne.f", argv);
  PUTSTR("ne.f", "\177ELF");
  EXEC_FAILS("ne.f", argv);
  EXEC_FAILS("/", argv);
  EXEC_FAILS("/console", argv);
  UNLINK("ne.f");
}

// Write an ELF file to p: a header whose program-header table (phnum
// copies of *ph, each phentsize bytes apart) starts right after it, then
// zeros up to size bytes in all.
static void
writeelf(char *name, int line, char *p, struct proghdr *ph, int phnum,
         int phentsize, int size)
{
  struct elfhdr *eh = (struct elfhdr *)wbuf;
  int i, fd;

  memset(wbuf, 0, CHUNK);
  eh->magic = ELF_MAGIC;
  eh->phoff = sizeof(*eh);
  eh->phentsize = phentsize;
  eh->phnum = phnum;
  for(i = 0; i < phnum; i++)
    memmove(wbuf + sizeof(*eh) + i * sizeof(*ph), ph, sizeof(*ph));
  fd = xopen(name, line, p, O_CREATE | O_WRONLY | O_TRUNC);
  if(write(fd, wbuf, size) != size)
    failpath(name, line, "cannot write", p);
  close(fd);
}

// exec refuses ELF files whose headers are broken or ask for memory the
// process cannot have.
void
test_execbadelf(char *name)
{
  static char *argv[] = { "x", 0 };
  struct proghdr ph;
  int full = sizeof(struct elfhdr) + sizeof(ph) + 64;

  memset(&ph, 0, sizeof(ph));
  ph.type = ELF_PROG_LOAD;
  ph.flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph.memsz = PGSIZE;

  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph) - 8, full);
  EXEC_FAILS("be.f", argv);                    // wrong header size
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), sizeof(struct elfhdr));
  EXEC_FAILS("be.f", argv);                    // table beyond the end
  writeelf(name, __LINE__, "be.f", &ph, 60, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // table runs off the end

  ph.filesz = 2 * PGSIZE;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // memsz < filesz
  ph.filesz = 1000;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // data beyond the end
  ph.off = ~0UL - 10;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // off + filesz wraps
  ph.off = 0;
  ph.filesz = 0;

  ph.vaddr = 0x1001;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // unaligned
  ph.vaddr = ~0UL - PGSIZE + 1;
  ph.memsz = 2 * PGSIZE;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // vaddr + memsz wraps
  ph.vaddr = TRAPFRAME - PGSIZE;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // over the trapframe
  ph.vaddr = 0;
  ph.memsz = MAXVA;
  writeelf(name, __LINE__, "be.f", &ph, 1, sizeof(ph), full);
  EXEC_FAILS("be.f", argv);                    // bigger than the address space
  UNLINK("be.f");
}

// exec of an ELF file asking for more memory than there is fails, and
// gives back what it took (the runner checks).
void
test_execoom(char *name)
{
  static char *argv[] = { "x", 0 };
  struct proghdr ph;

  memset(&ph, 0, sizeof(ph));
  ph.type = ELF_PROG_LOAD;
  ph.flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_WRITE;
  ph.memsz = 200 * MB;
  writeelf(name, __LINE__, "eo.f", &ph, 1, sizeof(ph), sizeof(struct elfhdr) + sizeof(ph));
  EXEC_FAILS("eo.f", argv);
  UNLINK("eo.f");
}

// The arguments arrive intact: empty, with spaces, long.
void
test_execargv(char *name)
{
  char *argv[6];
  int i;

  memset(path, 0, sizeof(path));
  for(i = 0; i < 300; i++)
    path[i] = 'a' + i % 26;
  argv[0] = "echo";
  argv[1] = "hello";
  argv[2] = "";
  argv[3] = "two words";
  argv[4] = path;
  argv[5] = 0;
  run_redirected(name, __LINE__, "/echo", argv, 0, "ea.out");
  strcpy(path + 300, "\n");
  memmove(path + 17, path, 302);
  memmove(path, "hello  two words ", 17);
  CHECKSTR("ea.out", path);
  UNLINK("ea.out");
}

// Exactly MAXARG arguments (argv[0] included) work; one more fails, as do
// arguments too big for the stack page or a single argument over a page.
void
test_execmaxarg(char *name)
{
  static char args[MAXARG + 1][4];
  char *argv[MAXARG + 2], *p, *h;
  int i;

  argv[0] = "echo";
  p = path;
  for(i = 1; i <= MAXARG; i++){
    mkname(args[i], "a", i);
    argv[i] = args[i];
    if(i < MAXARG){
      strcpy(p, args[i]);
      p += strlen(p);
      *p++ = i < MAXARG - 1 ? ' ' : '\n';
    }
  }
  *p = 0;
  argv[MAXARG] = 0;
  run_redirected(name, __LINE__, "/echo", argv, 0, "ma.out");
  CHECKSTR("ma.out", path);
  UNLINK("ma.out");
  argv[MAXARG] = args[MAXARG];
  argv[MAXARG + 1] = 0;
  EXEC_FAILS("/echo", argv);

  h = sbrk(PGSIZE + 8);
  memset(h, 'b', PGSIZE + 8);
  h[PGSIZE + 7] = 0;
  argv[1] = h;           // longer than a page
  argv[2] = 0;
  EXEC_FAILS("/echo", argv);
  h[1000] = 0;          // five copies of 1000 bytes do not fit
  for(i = 1; i <= 5; i++)
    argv[i] = h;
  argv[6] = 0;
  EXEC_FAILS("/echo", argv);
  sbrk(-(PGSIZE + 8));
}

// exec keeps the open descriptors: cat copies fd 0 to fd 1, both files.
void
test_execfds(char *name)
{
  static char *argv[] = { "cat", 0 };

  PUTSTR("ef.in", "through cat\n");
  run_redirected(name, __LINE__, "/cat", argv, "ef.in", "ef.out");
  CHECKSTR("ef.out", "through cat\n");
  UNLINK("ef.in");
  UNLINK("ef.out");
}

// A failed exec leaves the caller's memory alone; a successful one from a
// big process frees the old image (the runner checks).
void
test_execfree(char *name)
{
  static char *argv[] = { "echo", "execfree", 0 };
  char *p;

  if(FORK() == 0){
    p = sbrk(64 * KB);
    fill(p, 64 * KB, 9, 0);
    CHECK_EQ(exec("/xf.no-such-program", argv), -1);
    CHECK_EQ(mismatch(p, 64 * KB, 9, 0), -1);
    CHECK(sbrk(MB) != (char *)-1);
    close(1);
    CHECK_EQ(open("xf.out", O_CREATE | O_WRONLY | O_TRUNC), 1);
    exec("/echo", argv);
    exit(99);
  }
  CHECK_EQ(WAIT(), 0);
  CHECKSTR("xf.out", "execfree\n");
  UNLINK("xf.out");
}

// ==================================================== limits

#define DISKFILES 16   // more than enough files of MAXFILE blocks

// Write files dk.0, dk.1, ... until the disk is full. Returns the number
// of data blocks written.
static int
filldisk(char *name)
{
  char p[16];
  struct stat st;
  int f, fd, blocks = 0;

  fill(wbuf, CHUNK, 11, 0);
  for(f = 0; f < DISKFILES; f++){
    if((fd = open(mkname(p, "dk.", f), O_CREATE | O_WRONLY | O_TRUNC)) < 0)
      return blocks;   // not even room for the directory entry
    while(write(fd, wbuf, CHUNK) == CHUNK)
      ;
    CHECK_EQ(fstat(fd, &st), 0);
    close(fd);
    blocks += st.size / BSIZE;
    if(st.size < MAXFILE * BSIZE)
      return blocks;
  }
  fail(name, __LINE__, "the disk never filled up");
  return 0;
}

static void
cleardisk(char *name)
{
  char p[16];
  int f;

  for(f = 0; f < DISKFILES; f++)
    unlink(mkname(p, "dk.", f));
}

// Fill the disk: writes then fail with -1 (no panic); freeing the files
// gives every block back, so the same amount fits again.
void
test_diskfull(char *name)
{
  int first, second, fd;

  first = filldisk(name);
  CHECK(first > 100);
  CHECK_EQ(mkdir("dk.d"), -1);
  if((fd = open("dk.x", O_CREATE | O_RDWR)) >= 0){
    CHECK_EQ(write(fd, wbuf, BSIZE), -1);
    close(fd);
    UNLINK("dk.x");
  }
  cleardisk(name);
  second = filldisk(name);
  cleardisk(name);
  CHECK_EQ(second, first);
}

// Create empty files in in.d until there are no inodes left. Returns how
// many were made.
static int
fillinodes(void)
{
  char p[16];
  int n, fd;

  for(n = 0; (fd = open(mkname(p, "in.d/", n), O_CREATE | O_RDWR)) >= 0; n++)
    close(fd);
  return n;
}

static void
clearinodes(char *name, int n)
{
  char p[16];

  while(n-- > 0)
    UNLINK(mkname(p, "in.d/", n));
}

// Use up every inode: creating fails cleanly, and after removing the
// files the same number can be made again.
void
test_inodefull(char *name)
{
  int first, second;

  CHECK_EQ(mkdir("in.d"), 0);
  first = fillinodes();
  CHECK(first > 50);
  CHECK_EQ(mkdir("in.d/d"), -1);
  CHECK_EQ(mknod("in.d/n", 1, 1), -1);
  clearinodes(name, first);
  second = fillinodes();
  clearinodes(name, second);
  CHECK_EQ(second, first);
  UNLINK("in.d");
}

// Children open files until the system-wide file table (NFILE) is full;
// then open and pipe fail everywhere until they exit.
void
test_filetable(char *name)
{
  int res[2], go[2], fds[2], kids, n, total = 0, full = 0, fd;
  char c;

  PUTSTR("tb.f", "x");
  PIPE(res);
  PIPE(go);
  for(kids = 0; kids < NFILE / (NOFILE - 5) + 2 && !full; kids++){
    if(FORK() == 0){
      close(res[0]);
      close(go[1]);
      n = 0;
      while(open("tb.f", O_RDONLY) >= 0)
        n++;
      c = n;
      write(res[1], &c, 1);
      read(go[0], &c, 1);   // end of file when the test lets go
      exit(0);
    }
    CHECK_EQ(read(res[0], &c, 1), 1);
    total += c;
    full = c < NOFILE - 5;   // stopped by the table, not by its own limit
  }
  CHECK(full);
  CHECK(total >= NFILE - 10 && total <= NFILE - 5);
  CHECK_EQ(open("tb.f", O_RDONLY), -1);
  CHECK_EQ(pipe(fds), -1);
  close(go[1]);
  REAP(kids);
  fd = OPEN("tb.f", O_RDONLY);
  close(fd);
  close(go[0]);
  close(res[0]);
  close(res[1]);
  UNLINK("tb.f");
}

// ==================================================== time and console

// sleep(n) takes at least n ticks and not much more; sleep(0) and a
// negative sleep return at once. The upper bounds leave room for a host
// too busy to run the guest for a while.
void
test_sleepticks(char *name)
{
  int start, took;

  start = uptime();
  CHECK_EQ(sleep(10), 0);
  took = uptime() - start;
  CHECK(took >= 10);
  CHECK(took < 110);   // slack for a busy host
  start = uptime();
  CHECK_EQ(sleep(0), 0);
  CHECK_EQ(sleep(-5), 0);
  CHECK(uptime() - start < 100);
}

// The tick count advances while a process computes.
void
test_uptime(char *name)
{
  int start, i;

  start = uptime();
  CHECK(start >= 0);
  for(i = 0; uptime() == start; i++){
    if(i >= 100000000)
      fail(name, __LINE__, "uptime does not advance");
  }
  CHECK(uptime() - start < 100);
}

// fd 1 is the console device and takes writes, from us and from echo.
void
test_console(char *name)
{
  static char *argv[] = { "echo", "console:", "echo", "works", 0 };
  static char msg[] = "console: write to fd 1 works\n";
  struct stat st;

  CHECK_EQ(fstat(1, &st), 0);
  CHECK_EQ(st.type, T_DEVICE);
  CHECK_EQ(write(1, msg, strlen(msg)), strlen(msg));
  CHECK_EQ(write(1, msg, 0), 0);
  if(FORK() == 0){
    exec("/echo", argv);
    exit(99);
  }
  CHECK_EQ(WAIT(), 0);
}

// ==================================================== the runner

struct test {
  void (*fn)(char *name);
  char *name;
  int quick;   // in the quick subset (-q)
};

#define QUICK 1
#define SLOW  0

static struct test tests[] = {
  // processes
  { test_forkwait,      "forkwait",      QUICK },
  { test_exitstatus,    "exitstatus",    QUICK },
  { test_exitwait,      "exitwait",      QUICK },
  { test_manychildren,  "manychildren",  QUICK },
  { test_orphan,        "orphan",        QUICK },
  { test_forkfull,      "forkfull",      QUICK },
  { test_forkstorm,     "forkstorm",     QUICK },
  { test_killsleep,     "killsleep",     QUICK },
  { test_killtimer,     "killtimer",     QUICK },
  { test_killloop,      "killloop",      QUICK },
  { test_killself,      "killself",      QUICK },
  { test_killbad,       "killbad",       QUICK },
  { test_getpid,        "getpid",        QUICK },
  { test_waitbad,       "waitbad",       QUICK },
  // memory
  { test_sbrkbasic,     "sbrkbasic",     QUICK },
  { test_sbrkshrink,    "sbrkshrink",    QUICK },
  { test_sbrkneg,       "sbrkneg",       QUICK },
  { test_sbrkbig,       "sbrkbig",       QUICK },
  { test_sbrkhuge,      "sbrkhuge",      SLOW },
  { test_sbrkmuch,      "sbrkmuch",      SLOW },
  { test_forkcopy,      "forkcopy",      QUICK },
  { test_forkbig,       "forkbig",       QUICK },
  { test_oom,           "oom",           SLOW },
  { test_oomkill,       "oomkill",       SLOW },
  { test_forkoom,       "forkoom",       SLOW },
  { test_stackguard,    "stackguard",    QUICK },
  { test_kernmem,       "kernmem",       QUICK },
  { test_textwrite,     "textwrite",     QUICK },
  // bad pointers
  { test_badread,       "badread",       QUICK },
  { test_badwrite,      "badwrite",      QUICK },
  { test_badpipe,       "badpipe",       QUICK },
  { test_badexec,       "badexec",       QUICK },
  { test_badpaths,      "badpaths",      QUICK },
  { test_badstrings,    "badstrings",    QUICK },
  { test_badfstat,      "badfstat",      QUICK },
  { test_copyedges,     "copyedges",     QUICK },
  // pipes
  { test_pipebasic,     "pipebasic",     QUICK },
  { test_pipebig,       "pipebig",       QUICK },
  { test_pipeeof,       "pipeeof",       QUICK },
  { test_pipenoreader,  "pipenoreader",  QUICK },
  { test_pipemany,      "pipemany",      QUICK },
  { test_pipeparallel,  "pipeparallel",  QUICK },
  // files
  { test_filebasic,     "filebasic",     QUICK },
  { test_fileoverwrite, "fileoverwrite", QUICK },
  { test_filetrunc,     "filetrunc",     QUICK },
  { test_fileexisting,  "fileexisting",  QUICK },
  { test_fileappend,    "fileappend",    QUICK },
  { test_filesizes,     "filesizes",     QUICK },
  { test_fileindirect,  "fileindirect",  QUICK },
  { test_filemax,       "filemax",       SLOW },
  { test_readeof,       "readeof",       QUICK },
  { test_manyfiles,     "manyfiles",     QUICK },
  { test_bigdir,        "bigdir",        SLOW },
  { test_fdexhaust,     "fdexhaust",     QUICK },
  { test_badfd,         "badfd",         QUICK },
  { test_dupoffset,     "dupoffset",     QUICK },
  { test_closeuse,      "closeuse",      QUICK },
  { test_openmodes,     "openmodes",     QUICK },
  { test_mknod,         "mknod",         QUICK },
  // directories
  { test_mkdirchdir,    "mkdirchdir",    QUICK },
  { test_dotdot,        "dotdot",        QUICK },
  { test_rmdir,         "rmdir",         QUICK },
  { test_unlinkopen,    "unlinkopen",    QUICK },
  { test_deepdir,       "deepdir",       QUICK },
  { test_iref,          "iref",          SLOW },
  { test_maxpath,       "maxpath",       QUICK },
  { test_dirsiz,        "dirsiz",        QUICK },
  { test_dotunlink,     "dotunlink",     QUICK },
  { test_removedcwd,    "removedcwd",    QUICK },
  { test_dirfile,       "dirfile",       QUICK },
  { test_dirread,       "dirread",       QUICK },
  // links
  { test_linkbasic,     "linkbasic",     QUICK },
  { test_linkerrors,    "linkerrors",    QUICK },
  // concurrency
  { test_concreate,     "concreate",     QUICK },
  { test_concwrite,     "concwrite",     QUICK },
  { test_sharedfd,      "sharedfd",      QUICK },
  { test_logstress,     "logstress",     SLOW },
  { test_fsstress,      "fsstress",      SLOW },
  // exec
  { test_execnoent,     "execnoent",     QUICK },
  { test_execnonelf,    "execnonelf",    QUICK },
  { test_execbadelf,    "execbadelf",    QUICK },
  { test_execoom,       "execoom",       SLOW },
  { test_execargv,      "execargv",      QUICK },
  { test_execmaxarg,    "execmaxarg",    QUICK },
  { test_execfds,       "execfds",       QUICK },
  { test_execfree,      "execfree",      QUICK },
  // limits
  { test_diskfull,      "diskfull",      SLOW },
  { test_inodefull,     "inodefull",     SLOW },
  { test_filetable,     "filetable",     QUICK },
  // time and console
  { test_sleepticks,    "sleepticks",    QUICK },
  { test_uptime,        "uptime",        QUICK },
  { test_console,       "console",       QUICK },
};

static char *failed[NELEM(tests)];
static int nfailed;

// -p phase: every test starts `phase' time units (10 MHz) after a clock
// tick instead of wherever the previous one left the clock. A test whose
// busy time is bound to time slices (killloop's children spin until a
// tick) then measures the same thing on every kernel, and the benchmark
// can average over phases (bench/main.c). -1: no alignment.
static long phase = -1;

// Spin to the next tick, then until `phase' has passed after it. Spin,
// not sleep: an idle hart lets the clock jump under -icount sleep=off,
// as far as the host's disk is late, and a jump of a second makes the
// disk driver's monitor see a hung device.
static void
align_to_phase(void)
{
  uint64 t0;
  int tick;

  if(phase < 0)
    return;
  tick = uptime();
  while(uptime() == tick)
    ;
  t0 = r_time();
  while(r_time() - t0 < phase)
    ;
}

// Run test t in a child, check for leaked pages, and print its result
// line. Failures are recorded in failed[].
static void
runtest(struct test *t)
{
  int before, after, start, took, pid, status, settle, pass = 0;
  uint64 time0, time, busy0, busy;

  before = freepages();
  align_to_phase();
  start = uptime();
  time0 = r_time();
  busy0 = busytime();
  pid = fork();
  if(pid == 0){
    t->fn(t->name);
    exit(0);
  }
  if(pid < 0)
    printf("usertests: cannot fork to run %s\n", t->name);
  else if(wait(&status) == pid)
    pass = status == 0;
  took = uptime() - start;
  time = r_time() - time0;
  busy = busytime() - busy0;
  after = freepages();
  // A process the test orphaned may still be waiting for init to reap it.
  for(settle = 0; after < before && settle < SETTLE_TICKS; settle++){
    sleep(1);
    after = freepages();
  }
  if(after < before){
    printf("usertest name=%s leaked=%d pages\n", t->name, before - after);
    pass = 0;
  }
  printf("usertest name=%s result=%s ticks=%d time=%lu busy=%lu\n", t->name,
         pass ? "pass" : "fail", took, time, busy);
  if(!pass)
    failed[nfailed++] = t->name;
}

static struct test *
findtest(char *name)
{
  int i;

  for(i = 0; i < NELEM(tests); i++){
    if(strcmp(tests[i].name, name) == 0)
      return &tests[i];
  }
  return 0;
}

static void
usage(void)
{
  fprintf(2, "usage: usertests [-p phase] [-q | -l | name ...]\n");
  exit(1);
}

int
main(int argc, char *argv[])
{
  int i, quick = 0, start;

  if(argc >= 3 && strcmp(argv[1], "-p") == 0){
    char *d = argv[2];
    while(*d >= '0' && *d <= '9')
      d++;
    phase = atoi(argv[2]);
    if(d == argv[2] || *d != '\0' || d - argv[2] > 6 || phase >= TICK_CYCLES){
      fprintf(2, "usertests: phase %s is not in 0..%d\n", argv[2], TICK_CYCLES - 1);
      usage();
    }
    argv[2] = argv[0];
    argv += 2;
    argc -= 2;
  }
  if(argc == 2 && strcmp(argv[1], "-l") == 0){
    for(i = 0; i < NELEM(tests); i++)
      printf("%s %s\n", tests[i].name, tests[i].quick ? "quick" : "slow");
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "-q") == 0)
    quick = 1;
  else {
    for(i = 1; i < argc; i++){
      if(findtest(argv[i]) == 0){
        fprintf(2, "usertests: no test named %s\n", argv[i]);
        usage();
      }
    }
  }

  // Tests count descriptors from 3 up: start with only 0, 1 and 2 open.
  for(i = 3; i < NOFILE; i++)
    close(i);

  printf("usertests starting\n");
  start = uptime();
  if(argc > 1 && !quick){
    for(i = 1; i < argc; i++)
      runtest(findtest(argv[i]));
  } else {
    for(i = 0; i < NELEM(tests); i++){
      if(tests[i].quick || !quick)
        runtest(&tests[i]);
    }
  }
  printf("usertests: done in %d ticks\n", uptime() - start);
  if(nfailed == 0){
    printf("ALL TESTS PASSED\n");
    exit(0);
  }
  printf("SOME TESTS FAILED:");
  for(i = 0; i < nfailed; i++)
    printf(" %s", failed[i]);
  printf("\n");
  exit(1);
}
