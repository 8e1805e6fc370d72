// ev6test - drive the kernel to a fault-injection site with an object
// marked bad there, and report how the kernel's recovery ended it.
//
// usage: ev6test mode object site action
//        ev6test mode object index now
//        ev6test mode object index nested
//        ev6test mode object 0 other|otherwait
//        ev6test mode together row
//        ev6test mode object site repeat|repeat-flip command [arg ...]
//        ev6test killwindow
//        ev6test closewindow
//        ev6test settlewindow
//        ev6test kprocledger
//
// mode is conservative or aggressive; object and site are names from
// kernel/ev6_types.h and kernel/fi.h; action is one of the drivers below,
// the system calls that reach the site. `now` marks element index of the
// object's table bad and touches it at once, inside the system call (for
// objects no site reaches, such as proc); `other` damages that state of
// another process instead (proc: its saved context; `otherwait`: one asleep
// in wait()); `nested` marks it bad, then
// raises an error elsewhere whose recovery path meets it; `together` runs
// a row of the paper's Table 3 (see rows[] below) and prints
//   ev6test together=ROW mode=M observed=X,Y,...
// with each worker's SF|PK|none|hang, sorted. `repeat` runs command
// and, until it exits, marks the object bad at the site once a tick,
// whichever of its processes reaches the site next: many recoveries per
// boot meet a workload such as `stress` wherever it is (fsck then tells
// whether any left the file system inconsistent). The site is disarmed
// when the command is done; prints
//   ev6test repeat object=O site=S mode=M: done
// `repeat-flip` also flips a bit of the object's first byte at each hit
// (EV6_INJECT_FLIP), as the campaign's damage does: for the log, its lock
// word, which the recovery then waits for (EV6_LOCK_WAIT) and clears.
// and the kernel's ev6: lines tell what came of each arming. The action
// runs in a child: on the site's next hit the kernel marks the object it
// touches bad (ev6_inject),
// the hit raises the hardware-error exception, and the kernel recovers.
// Prints one line:
//   ev6test object=O site=S mode=M observed=SF|PK|none
// SF: the action's system call returned -1; PK: the child was killed;
// none: the action completed. A fail-stop powers the machine off instead.
// Needs a FAULTS=1 kernel; exits 1 on a usage error or without one.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/riscv.h"
#include "kernel/ev6_types.h"
#include "kernel/fi.h"
#include "kernel/memstat.h"
#include "kernel/audit.h"
#include "kernel/drvctl.h"
#include "user/user.h"

#define NAME_OF(upper, lower) #lower,
static char *type_names[] = { EV6_TYPES(NAME_OF) };
#define SITE_NAME(name) #name,
static char *site_names[] = { "none", FI_SITES(SITE_NAME) };

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

static char buf[4096];

// Each action returns -1 if the system call that should meet the bad
// object failed, else 0. `arm` is called right before that system call.
static int object_type, site;

// ev6_inject, or exit with status: a child exits 3, which its parent
// reports as the failure.
static void
mark(int type, int which, int flags, int status)
{
  if(ev6_inject(type, which, 0, flags) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(status);
  }
}

// A free page (run) is not passed to a site: the one marked is the free
// list's head, which kalloc takes and kfree links the freed page to.
static void
arm(void)
{
  if(object_type == EV6_T_RUN)
    mark(EV6_T_RUN, 0, 0, 3);
  else
    mark(object_type, -site, 0, 3);
}

// Read a file larger than the block cache: every block misses.
static int
act_readbig(void)
{
  int fd = open("usertests", O_RDONLY), n, total = 0;

  if(fd < 0)
    return 0;
  arm();
  while((n = read(fd, buf, sizeof(buf))) > 0)
    total += n;
  close(fd);
  return n < 0 ? -1 : 0;
}

// Create and write a file (log, buffers, inode, bitmap); with again,
// write it once more through the same descriptor: when the first write
// fails and its operation is rolled back, the second must not build on
// what the first left in the cached inode (a size, blocks whose
// allocation was thrown away).
static int
write_scratch(int again)
{
  int fd = open("ev6scratch", O_CREATE | O_RDWR | O_TRUNC), r;

  if(fd < 0)
    return 0;
  memset(buf, 'w', sizeof(buf));
  arm();
  r = write(fd, buf, sizeof(buf));
  if(again)
    write(fd, buf, 1000);
  close(fd);
  unlink("ev6scratch");
  return r < 0 ? -1 : 0;
}

static int
act_write(void)
{
  return write_scratch(0);
}

static int
act_writeagain(void)
{
  return write_scratch(1);
}

// A new directory: its inode, its "." and "..", the parent's entry and
// link count, all in one operation.
static int
act_mkdir(void)
{
  int r;

  arm();
  r = mkdir("ev6dir");
  return r < 0 ? -1 : 0;
}

static int
act_open(void)
{
  int fd;

  arm();
  fd = open("README.md", O_RDONLY);
  if(fd >= 0)
    close(fd);
  return fd < 0 ? -1 : 0;
}

static int
act_read(void)
{
  int fd = open("README.md", O_RDONLY), r;

  if(fd < 0)
    return 0;
  arm();
  r = read(fd, buf, 100);
  close(fd);
  return r < 0 ? -1 : 0;
}

static int
act_fstat(void)
{
  struct stat st;
  int fd = open("README.md", O_RDONLY), r;

  if(fd < 0)
    return 0;
  arm();
  r = fstat(fd, &st);
  close(fd);
  return r < 0 ? -1 : 0;
}

static int
act_dup(void)
{
  int fd;

  arm();
  fd = dup(1);
  if(fd >= 0)
    close(fd);
  return fd < 0 ? -1 : 0;
}

// Close the last descriptor of an empty file already unlinked: the
// close's iput frees the file, and the operation's first log write (of
// the inode, in itrunc's iupdate) meets the site.
static int
act_closeunlinked(void)
{
  int fd = open("ev6scratch", O_CREATE | O_RDWR | O_TRUNC);

  if(fd < 0)
    return 0;
  unlink("ev6scratch");
  arm();
  return close(fd) < 0 ? -1 : 0;
}

// Link a file that this process keeps open, so that its inode stays
// cached: the link's first log write, of the raised link count, meets the
// site in a child. An unwind must not leave that count in the cached
// inode: the unlink afterwards then wrote nlink 1 for no entry (fsck: an
// orphan).
static int
act_link(void)
{
  int fd = open("ev6link", O_CREATE | O_RDWR), pid, status = 0;

  if(fd < 0)
    return 0;
  if((pid = fork()) == 0){
    arm();
    exit(link("ev6link", "ev6link2") < 0 ? 2 : 0);
  }
  if(pid > 0)
    wait(&status);
  unlink("ev6link2");
  unlink("ev6link");
  close(fd);
  if(status == -1 || status == 3)
    exit(status);   // killed, or the mark failed: pass it on
  return pid < 0 || status == 2 ? -1 : 0;
}

// Exit: its last log operation puts the cwd's reference.
static int
act_exit(void)
{
  arm();
  exit(0);
}

static int
act_close(void)
{
  int fd = open("README.md", O_RDONLY);

  if(fd < 0)
    return 0;
  arm();
  return close(fd);
}

static int
act_fork(void)
{
  int pid;

  arm();
  pid = fork();
  if(pid == 0)
    exit(0);
  if(pid > 0)
    wait(0);
  return pid < 0 ? -1 : 0;
}

static int
act_exec(void)
{
  char *argv[] = { "echo", "-", 0 };
  int pid = fork(), status = 0;

  if(pid == 0){
    arm();
    exec("echo", argv);
    exit(7);   // exec failed: the system call returned -1
  }
  wait(&status);
  if(status == -1)
    exit(-1);   // killed: pass it on
  return status == 7 ? -1 : 0;
}

static int
act_pipewrite(void)
{
  int p[2], r;

  if(pipe(p) < 0)
    return 0;
  arm();
  r = write(p[1], "ev6", 3);
  close(p[0]);
  close(p[1]);
  return r < 0 ? -1 : 0;
}

static int
act_piperead(void)
{
  int p[2], r;

  if(pipe(p) < 0)
    return 0;
  write(p[1], "ev6", 3);
  arm();
  r = read(p[0], buf, 3);
  close(p[0]);
  close(p[1]);
  return r < 0 ? -1 : 0;
}

static int
act_consread(void)
{
  arm();
  return read(0, buf, 1) < 0 ? -1 : 0;
}

static int
act_conswrite(void)
{
  arm();
  return write(1, "\n", 1) < 0 ? -1 : 0;
}

// Grow by one page: uvmalloc's kalloc (kmem, and the free page it takes).
static int
act_sbrk(void)
{
  arm();
  return sbrk(PGSIZE) == (char*)-1 ? -1 : 0;
}

// Shrink by one page: uvmunmap's kfree.
static int
act_sbrkfree(void)
{
  if(sbrk(PGSIZE) == (char*)-1)
    return 0;
  arm();
  return sbrk(-PGSIZE) == (char*)-1 ? -1 : 0;
}

// Close both ends of a pipe: the last close frees its page (kfree).
static int
act_pipeclose(void)
{
  int p[2];

  if(pipe(p) < 0)
    return 0;
  close(p[0]);
  arm();
  return close(p[1]);
}

// Mark this process's page-table page of one level bad at the entry that
// a copy to buf reads, then read into buf: copyout's walkaddr meets it
// (L2, L1: inside walk; L0: walkaddr reads the leaf itself).
static int
copyout_through(int level)
{
  int fd = open("README.md", O_RDONLY), r;

  if(fd < 0)
    return 0;
  if(ev6_inject(EV6_T_PAGETABLE, 2 - level, PX(level, (uint64)buf) * sizeof(uint64), 0) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  r = read(fd, buf, 100);
  close(fd);
  return r < 0 ? -1 : 0;
}

// The L2 entry for va 0 is also the first word of the root, which
// walkaddr's site checks: reach it by growing instead (uvmalloc's walk).
static int
act_ptL2(void)
{
  if(ev6_inject(EV6_T_PAGETABLE, 0, PX(2, (uint64)sbrk(0)) * sizeof(uint64), 0) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  return sbrk(PGSIZE) == (char*)-1 ? -1 : 0;
}

static int act_ptL1(void) { return copyout_through(1); }
static int act_ptL0(void) { return copyout_through(0); }

// Mark this process's page-table page (index: 0 L2, 1 L1, 2 L0) bad at
// the entry for va 0, the program's text, which the hart's own walk reads
// when the call returns to user mode: the error comes from user mode and
// the process goes on (exit none) once the page is restored. Then run on
// and use the text, data and stack the table maps.
static int
act_ptuser(void)
{
  int i, sum = 0;

  if(ev6_inject(EV6_T_PAGETABLE, site - 1, 0, EV6_INJECT_USER) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  for(i = 0; i < sizeof(buf); i++)
    buf[i] = i;
  for(i = 0; i < sizeof(buf); i++)
    sum += buf[i];
  return sum == 0 ? -1 : 0;
}

// Sum of the bytes of the page holding va.
static uint
page_sum(uint64 va)
{
  uchar *p = (uchar*)(va - va % PGSIZE);
  uint sum = 0;
  int i;

  for(i = 0; i < PGSIZE; i++)
    sum = sum * 31 + p[i];
  return sum;
}

// Write the program file's first byte again, unchanged: the file's
// content generation moves on, as if it had been rewritten since exec.
static void
touch_program(void)
{
  int fd = open("/ev6test", O_RDWR);
  char c;

  if(fd < 0 || read(fd, &c, 1) != 1 || close(fd) < 0 ||
     (fd = open("/ev6test", O_RDWR)) < 0 || write(fd, &c, 1) != 1){
    fprintf(2, "ev6test: cannot rewrite /ev6test\n");
    exit(3);
  }
  close(fd);
}

// Mark one of this process's user pages bad and meet the error in user
// mode (index 0: the page of this function's code, clean, re-read from
// the program file: the process goes on with the page as it was; 1: a
// page of buf, written, so dirty: the process is killed; 2: the code
// page again, but the file was written since exec: killed).
static int
act_pageuser(void)
{
  uint64 va = site - 1 == 1 ? (uint64)buf : (uint64)act_pageuser;
  uint before;

  if(site - 1 == 2)
    touch_program();
  memset(buf, 'd', sizeof(buf));
  before = page_sum(va);
  if(ev6_inject(EV6_T_PAGE, va / PGSIZE, va % PGSIZE, EV6_INJECT_USER) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  if(page_sum(va) != before){
    printf("ev6test: page %d came back changed\n", (int)(va / PGSIZE));
    return -1;
  }
  printf("ev6test: page %d came back as it was\n", (int)(va / PGSIZE));
  return 0;
}

// A kernel fault: kerneltrap's panic path prints with the damaged printf
// lock.
static int
act_kerneltrap(void)
{
  ev6_inject(EV6_T_PR, 0, 0, EV6_INJECT_KERNEL_FAULT);
  return 0;
}

// A system call number no kernel has: syscall() complains with printf and
// fails the call; the process lives on.
#define SYS_UNKNOWN 999

static int
unknown_syscall(void)
{
  register uint64 a7 asm("a7") = SYS_UNKNOWN;
  register uint64 a0 asm("a0");

  asm volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
  return a0;
}

// The kernel's printf meets the damaged pr: only recovery kills the child
// (PK); without it the call would just fail. The parent then makes the
// kernel print once more (the action's print_after): pr.lock must have
// been given back.
static int
act_kprintf(void)
{
  arm();
  unknown_syscall();
  return 0;
}

// Mark element `site` (an index here) of the object bad and touch it now.
// The call fails (SF) if recovery unwinds it.
static int
act_now(void)
{
  return ev6_inject(object_type, site - 1, 0, EV6_INJECT_NOW) < 0 ? -1 : 0;
}

// Damage the kernel state of another process, asleep in a pipe read (its
// trapframe, saved context or kernel stack), and touch it now: the kernel
// kills that process and this one goes on. Returns -1 if the victim was
// killed (the observation is its exit: PK), 0 if it finished its read.
static int
act_other(void)
{
  int p[2], pid, status = 0;

  if(pipe(p) < 0)
    return 0;
  if((pid = fork()) == 0){
    close(p[1]);
    read(p[0], buf, 1);
    exit(0);
  }
  close(p[0]);
  sleep(2);                 // it is asleep in piperead by now
  if(ev6_inject(object_type, pid, 0, EV6_INJECT_NOW) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  close(p[1]);              // a victim still alive reads end-of-file
  wait(&status);
  if(status == -1)
    exit(-1);               // killed: pass it on
  return 0;
}

// The same, with the victim asleep in wait() for a child of its own that
// is asleep in a pipe read (a pipeline's shell): the victim is killed, its
// child goes to init and reads end-of-file when the pipe closes.
static int
act_otherwait(void)
{
  int p[2], pid, status = 0;

  if(pipe(p) < 0)
    return 0;
  if((pid = fork()) == 0){
    if(fork() == 0){
      close(p[1]);
      read(p[0], buf, 1);
      exit(0);
    }
    close(p[0]);
    close(p[1]);
    wait(0);
    exit(0);
  }
  close(p[0]);
  sleep(2);                 // it is asleep in wait() by now
  if(ev6_inject(object_type, pid, 0, EV6_INJECT_NOW) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  close(p[1]);              // the grandchild reads end-of-file
  wait(&status);
  if(status == -1)
    exit(-1);               // killed: pass it on
  return 0;
}

// Mark element `site` (an index) of the object bad without touching it,
// then raise an error in a buffer: the recovery path meets the object (the
// printf lock of its report, the caller's proc or kernel stack, the
// registry, the shepherd, the handlers' text) while recovering.
static int
act_nested(void)
{
  mark(object_type, site - 1, 0, 3);
  ev6_inject(EV6_T_BUF, 0, 0, EV6_INJECT_NOW);
  return 0;
}

// ---- Concurrent errors (the paper's Table 3): `ev6test mode together ROW`.
// Workers start together on a "go" pipe, after the row's objects are
// marked bad with EV6_INJECT_OVERLAP, so the first recovery waits until
// every worker's error has queued behind it. Each worker loops on its
// system call until it fails (SF) or is killed (PK); `none` if it never
// met the error. A worker whose call failed says so on a result pipe
// before it exits: its exit may still meet an object that another queued
// error has not repaired yet, and be killed there.

#define WORKER_ROUNDS 200

static int shared_pipe[2];

// Create, write and remove a file: begin_op, log_write, commit.
static int
work_file(int id)
{
  char name[] = "ev6w0";
  int i, fd;

  name[4] = '0' + id;
  memset(buf, 'w', 512);
  for(i = 0; i < WORKER_ROUNDS; i++){
    if((fd = open(name, O_CREATE | O_RDWR)) < 0)
      return -1;
    if(write(fd, buf, 512) != 512 || close(fd) < 0 || unlink(name) < 0)
      return -1;
  }
  return 0;
}

// Enter a log section (open, which calls begin_op) only once an error is
// awaited: another worker's has reached a recovery that waits for it, or
// another worker's commit is held until an error repairs the log. Had
// this worker entered before, it could be asleep in begin_op waiting for
// that very commit, past the site where the error would meet it.
static int
work_enter_log(int id)
{
  int fd;

  while(ev6_inject(EV6_T_LOG, 0, 0, EV6_INJECT_WAITING) == 0)
    ;
  if((fd = open("README.md", O_RDONLY)) < 0)
    return -1;
  close(fd);
  return 0;
}

// Write nothing to the console: filewrite reaches devsw, prints nothing.
// The kernel holds log.lock on this worker's hart, running, while the
// recovery of the other worker's log error waits for overlaps and for
// 1.5 x EV6_LOCK_WAIT after (EV6_INJECT_HOLD): that surgery must wait
// for this holder, never restore the log under it (-1 if it did).
static int
work_hold_log(int id)
{
  while(ev6_inject(EV6_T_LOG, 0, 0, EV6_INJECT_WAITING) == 0)
    ;
  return ev6_inject(EV6_T_LOG, 0, 0, EV6_INJECT_HOLD) == 0 ? 0 : -1;
}

// Commit a transaction of this worker's own, held in flight once it is
// installed and recorded done, while the other worker's error (its
// work_enter_log meets the log marked bad there) restores the log
// (EV6_INJECT_COMMIT): the restore must leave the commit its progress
// (-1 if it brought the installed transaction back, or never came).
static int
work_commit_held(int id)
{
  return ev6_inject(EV6_T_LOG, 0, 0, EV6_INJECT_COMMIT) == 0 ? 0 : -1;
}

static int
work_conswrite(int id)
{
  int i;

  for(i = 0; i < WORKER_ROUNDS * 10; i++)
    if(write(1, "", 0) < 0)
      return -1;
  return 0;
}

static int
work_consread(int id)
{
  return read(0, buf, 1) < 0 ? -1 : 0;
}

static int
work_piperead(int id)
{
  int i;

  close(shared_pipe[1]);
  for(i = 0; i < WORKER_ROUNDS; i++)
    if(read(shared_pipe[0], buf, 1) < 0)
      return -1;
  return 0;
}

static int
work_pipewrite(int id)
{
  int i;

  close(shared_pipe[0]);
  for(i = 0; i < WORKER_ROUNDS; i++)
    if(write(shared_pipe[1], "p", 1) < 0)
      return -1;
  return 0;
}

#define MAXWORKERS 3
#define MAXMARKS 2

static struct together {
  char *name;
  int (*work[MAXWORKERS])(int id);
  struct { int type, which; } marks[MAXMARKS];   // which < 0: arm site -which
} rows[] = {
  { "log-begin_op-two", { work_file, work_file }, { { EV6_T_LOG, 0 } } },
  { "log-commit-begin_op", { work_file, work_enter_log },
    { { EV6_T_LOG, -FI_SITE_commit } } },
  { "devsw-filewrite-many", { work_conswrite, work_conswrite, work_conswrite },
    { { EV6_T_DEVSW, 1 } } },
  { "pipe-both-ends", { work_piperead, work_pipewrite }, { { EV6_T_PIPE, -1 } } },
  { "cons-log", { work_consread, work_file }, { { EV6_T_CONS, 0 }, { EV6_T_LOG, 0 } } },
  { "devsw-log", { work_conswrite, work_file }, { { EV6_T_DEVSW, 1 }, { EV6_T_LOG, 0 } } },
  { "log-held", { work_file, work_hold_log }, { { EV6_T_LOG, 0 } } },
  { "log-commit-held", { work_commit_held, work_enter_log } },
};

// Workers still running after this many ticks are killed and reported as
// `hang` (the error never came, or a worker blocked).
#define WATCHDOG_TICKS 1000

static void
sort_words(char **w, int n)
{
  int i, j;

  for(i = 0; i < n; i++)
    for(j = i + 1; j < n; j++)
      if(strcmp(w[j], w[i]) < 0){
        char *t = w[i];
        w[i] = w[j];
        w[j] = t;
      }
}

// Wait (at most 5 s) until the window hold `flag' of object type `type'
// (pipe: EV6_INJECT_KILLWINDOW, _CLOSEWINDOW; pagetable:
// _SETTLEWINDOW; log: _OPWINDOW at place which) has begun in another
// process; returns whether it has.
static int
wait_for_hold(int type, int which, int flag)
{
  int i;

  for(i = 0; i < 500 && ev6_inject(type, which, 1, flag) != -2; i++)
    sleep(1);
  return i < 500;
}

// killwindow: a process killed while its piperead stands between the
// killed() check and sleep (held there by EV6_INJECT_KILLWINDOW until the
// kill) must die; a kill() that found it running once woke nobody and it
// slept for ever on a pipe nobody writes (usertests killsleep). Needs
// more than one hart: the held one spins with interrupts off. Prints
//   ev6test killwindow=pass | killwindow=fail (why)
// or never returns.
static void
killwindow(void)
{
  int ready[2], block[2], pid, status;
  long end;
  char c;

  if(pipe(ready) < 0 || pipe(block) < 0 || (pid = fork()) < 0){
    printf("ev6test killwindow=fail (pipe or fork)\n");
    return;
  }
  if(pid == 0){
    close(block[1]);
    if(ev6_inject(EV6_T_PIPE, 0, 0, EV6_INJECT_KILLWINDOW) < 0)
      exit(2);
    write(ready[1], "r", 1);
    read(block[0], &c, 1);    // held, killed, then it must not sleep
    exit(0);
  }
  read(ready[0], &c, 1);
  wait_for_hold(EV6_T_PIPE, 0, EV6_INJECT_KILLWINDOW);
  kill(pid);
  if(wait(&status) != pid || status != -1){
    printf("ev6test killwindow=fail (wait: status %d)\n", status);
    return;
  }
  end = ev6_inject(EV6_T_PIPE, 0, 1, EV6_INJECT_KILLWINDOW);
  if(end != pid)
    printf("ev6test killwindow=fail (the kill came outside the hold: %ld)\n", end);
  else
    printf("ev6test killwindow=pass\n");
}

// closewindow: a writer's close of a pipe held after its file was freed,
// before pipeclose takes the pipe's lock (EV6_INJECT_CLOSEWINDOW), while
// the reader meets the pipe damaged (its read fails, SF) and closes its
// end. The held close must still find the pipe: its recovery once counted
// the write end closed, the reader's close freed the page, and the
// writer's pipeclose spun for ever on the lock of the freed page. Prints
//   ev6test closewindow=pass | closewindow=fail (why)
// or never returns.
static void
closewindow(void)
{
  int p[2], go[2], pid, status, n;
  long end;
  char c;

  if(pipe(p) < 0 || pipe(go) < 0 || (pid = fork()) < 0){
    printf("ev6test closewindow=fail (pipe or fork)\n");
    return;
  }
  if(pid == 0){
    close(p[0]);
    read(go[0], &c, 1);       // the parent's write end is closed
    if(ev6_inject(EV6_T_PIPE, 0, 0, EV6_INJECT_CLOSEWINDOW) < 0)
      exit(2);
    close(p[1]);              // the last file of the write end: held
    exit(0);
  }
  close(p[1]);
  write(go[1], "g", 1);
  wait_for_hold(EV6_T_PIPE, 0, EV6_INJECT_CLOSEWINDOW);
  n = read(p[0], &c, 1);      // meets the damage: fails (SF)
  close(p[0]);
  if(wait(&status) != pid || status != 0){
    printf("ev6test closewindow=fail (wait: status %d)\n", status);
    return;
  }
  end = ev6_inject(EV6_T_PIPE, 0, 1, EV6_INJECT_CLOSEWINDOW);
  if(n != -1)
    printf("ev6test closewindow=fail (the read returned %d, not -1)\n", n);
  else if(end != 1)
    printf("ev6test closewindow=fail (the hold ended %ld)\n", end);
  else
    printf("ev6test closewindow=pass\n");
}

// settlewindow: a process killed asleep (its saved context damaged, as
// the `proc other' row does) settles the address spaces its call may have
// left (ptrep_settle); that settle is held when it comes to the page table
// of a child of this process that armed the hold and exited
// (EV6_INJECT_SETTLEWINDOW), while this process reaps the child. The
// settle must leave the table to the reap: it once read the table's root,
// then found the child's slot free, took the table for one an abandoned
// fork left, and freed it a second time (panic: ptrep_free_leaves: no
// replica). Prints
//   ev6test settlewindow=pass | settlewindow=fail (why)
// or never returns.
static void
settlewindow(void)
{
  int block[2], child, victim, status;
  long end;
  char c;

  if(pipe(block) < 0 || (child = fork()) < 0){
    printf("ev6test settlewindow=fail (pipe or fork)\n");
    return;
  }
  if(child == 0){
    if(ev6_inject(EV6_T_PAGETABLE, 0, 0, EV6_INJECT_SETTLEWINDOW) < 0)
      exit(2);
    exit(0);                  // a zombie until the wait below
  }
  if((victim = fork()) == 0){
    close(block[1]);
    read(block[0], &c, 1);    // killed asleep here
    exit(0);
  }
  if(victim < 0){
    printf("ev6test settlewindow=fail (fork)\n");
    return;
  }
  close(block[0]);
  sleep(2);                   // the victim is asleep in piperead by now
  if(ev6_inject(EV6_T_PROC, victim, 0, EV6_INJECT_NOW) < 0){
    printf("ev6test settlewindow=fail (ev6_inject)\n");
    return;
  }
  wait_for_hold(EV6_T_PAGETABLE, 0, EV6_INJECT_SETTLEWINDOW);
  if(wait(&status) != child || status != 0){
    printf("ev6test settlewindow=fail (the child's wait: status %d)\n", status);
    return;
  }
  if(wait(&status) != victim || status != -1){
    printf("ev6test settlewindow=fail (the victim's wait: status %d)\n", status);
    return;
  }
  end = ev6_inject(EV6_T_PAGETABLE, 0, 1, EV6_INJECT_SETTLEWINDOW);
  if(end != 1)
    printf("ev6test settlewindow=fail (the hold ended %ld)\n", end);
  else
    printf("ev6test settlewindow=pass\n");
}

// A writer of fy held at its end_op, so that its operation stays open in
// the transaction with fy's blocks logged; then a child running act held
// inside its next log_write (EV6_INJECT_OPWINDOW, both), and the child's
// trapframe damaged while it is not running there; both released after.
// At one hart: the held processes spin, preemptible. Returns the child's
// exit status, or -2 after saying (as ev6test name) what did not happen.
static int
killed_in_log_write(char *name, int fy, int (*act)(void))
{
  int writer, child = -1, held = 0, status = -2, w, st;

  if((writer = fork()) == 0){
    if(ev6_inject(EV6_T_LOG, EV6_OPWINDOW_END_OP, 0, EV6_INJECT_OPWINDOW) < 0)
      exit(2);
    exit(write(fy, "y", 1) == 1 ? 0 : 1);
  }
  if(writer > 0 && wait_for_hold(EV6_T_LOG, EV6_OPWINDOW_END_OP, EV6_INJECT_OPWINDOW) &&
     (child = fork()) == 0){
    if(ev6_inject(EV6_T_LOG, EV6_OPWINDOW_LOG_WRITE, 0, EV6_INJECT_OPWINDOW) < 0)
      exit(2);
    exit(act() < 0 ? 3 : 0);
  }
  if(child < 0 || !wait_for_hold(EV6_T_LOG, EV6_OPWINDOW_LOG_WRITE, EV6_INJECT_OPWINDOW))
    printf("ev6test %s=fail (the writer or the child was not held)\n", name);
  else if(ev6_inject(EV6_T_TRAPFRAME, child, 0, EV6_INJECT_NOW) < 0)
    printf("ev6test %s=fail (ev6_inject of the held child's trapframe)\n", name);
  else
    held = 1;
  ev6_inject(EV6_T_LOG, EV6_OPWINDOW_LOG_WRITE, 2, EV6_INJECT_OPWINDOW);
  ev6_inject(EV6_T_LOG, EV6_OPWINDOW_END_OP, 2, EV6_INJECT_OPWINDOW);
  while((w = wait(&st)) > 0)
    if(w == child && held)
      status = st;
  return status;
}

static int shared_fd;   // the held child's file (allocshared)

static int
link_lsx(void)
{
  return link("ev6lsx", "ev6lsx2");
}

static int
write_shared(void)
{
  return write(shared_fd, "z", 1) == 1 ? 0 : -1;
}

// linkshared (conservative): the held child links a file whose inode
// shares its block with the writer's file: the log_write it is held in
// is of the raised link count, in a block the transaction has logged
// already and will commit, so the kernel must not kill it: it stops
// (reason=partial-transaction), the transaction uncommitted. Taken for a
// call that had written nothing, the linker was killed and the writer's
// commit wrote nlink 2 for one entry (fsck, after the unlinks: nlink 1
// and no entry). Prints
//   ev6test linkshared=fail (why)
// only when the kernel goes on.
static void
linkshared(void)
{
  struct stat sx, sy;
  int fx, fy;

  fx = open("ev6lsx", O_CREATE | O_RDWR);
  fy = open("ev6lsy", O_CREATE | O_RDWR);
  if(fx < 0 || fy < 0 || fstat(fx, &sx) < 0 || fstat(fy, &sy) < 0){
    printf("ev6test linkshared=fail (open)\n");
    return;
  }
  if(sx.ino / IPB != sy.ino / IPB){
    printf("ev6test linkshared=fail (inodes %d and %d are in two blocks)\n", sx.ino, sy.ino);
    return;
  }
  if(killed_in_log_write("linkshared", fy, link_lsx) != -2)
    printf("ev6test linkshared=fail (the kernel went on)\n");
  unlink("ev6lsx2");
  unlink("ev6lsx");
  unlink("ev6lsy");
  close(fx);
  close(fy);
}

// allocshared (aggressive): the held child writes a new file's first
// block: it is held in balloc's log write of the bitmap, which the
// writer logged already, so it is killed with its mark of the block in a
// transaction that commits half of it. The block is in no file: the
// unwind must free it again (balloc_undo), or the commit leaks it
// (fsck: marked in use, no inode uses it; campaign-access
// log-begin_op-two). Prints
//   ev6test allocshared=pass | allocshared=fail (why)
static void
allocshared(void)
{
  int fy, status;

  fy = open("ev6asy", O_CREATE | O_RDWR);
  shared_fd = open("ev6asz", O_CREATE | O_RDWR);
  if(fy < 0 || shared_fd < 0){
    printf("ev6test allocshared=fail (open)\n");
    return;
  }
  status = killed_in_log_write("allocshared", fy, write_shared);
  if(status == -1)
    printf("ev6test allocshared=pass\n");
  else if(status != -2)
    printf("ev6test allocshared=fail (the writer of the new block exited %d, not killed)\n",
           status);
  close(fy);
  close(shared_fd);
  unlink("ev6asy");
  unlink("ev6asz");
}

// kprocledger: a child starts a kernel thread (drvctl's DRVCTL_IDLE: an
// idle driver task, made by kproc) and exits; while it is a zombie, the
// audit must find its ledger empty. kproc left the thread in the caller's
// ledger as fork's child being built (the audit: `gone, holds ...'): an
// unwound call of the slot's next process, before its first fork, would
// have given the running thread's slot back (fork_abandon). Prints
//   ev6test kprocledger=pass | kprocledger=fail (why)
static void
kprocledger(void)
{
  struct audit_violation v;
  int pid, status, n, checks;

  if((pid = fork()) < 0){
    printf("ev6test kprocledger=fail (fork)\n");
    return;
  }
  if(pid == 0)
    exit(drvctl(DRVCTL_IDLE, 1, 0) < 0 ? 2 : 0);
  sleep(2);                   // a zombie by now
  n = audit(&v, 1, &checks);
  if(wait(&status) != pid || status != 0)
    printf("ev6test kprocledger=fail (the child's wait: status %d)\n", status);
  else if(n < 0)
    printf("ev6test kprocledger=fail (no audit)\n");
  else if(n > 0)
    printf("ev6test kprocledger=fail (%d violations, the first: index=%d check=%s detail=\"%s\")\n",
           n, v.index, v.check, v.detail);
  else
    printf("ev6test kprocledger=pass\n");
}

#define REPEAT_START 5   // ticks before the first arming

static void
repeat(char *mode, char *object, char *sitename, int flags, char **command)
{
  int work, armer;

  if((work = fork()) == 0){
    exec(command[0], command);
    fprintf(2, "ev6test: exec %s failed\n", command[0]);
    exit(1);
  }
  // The arming loop runs in a child, so that this process can wait for
  // the command; it reaches no site itself. It starts a few ticks late:
  // the command's first site (stress's mkdir, before it forks its
  // workers) ended it at once, killed, in most runs.
  if(work > 0 && (armer = fork()) == 0){
    sleep(REPEAT_START);
    for(;;){
      mark(object_type, -site, flags, 1);
      sleep(1);
    }
  }
  if(work < 0 || armer < 0){
    fprintf(2, "ev6test: fork failed\n");
    exit(1);
  }
  while(wait(0) != work)
    ;
  kill(armer);
  wait(0);
  ev6_inject(object_type, 0, 0, EV6_INJECT_DISARM);
  printf("ev6test repeat object=%s site=%s mode=%s: done\n", object, sitename, mode);
}

static void
together(char *mode, char *rowname)
{
  struct together *t = 0;
  int go[2], res[2], pids[MAXWORKERS], n, i, k, status, pid, start;
  char *seen[MAXWORKERS], c;

  for(i = 0; i < NELEM(rows); i++)
    if(strcmp(rows[i].name, rowname) == 0)
      t = &rows[i];
  if(t == 0){
    fprintf(2, "ev6test: unknown concurrent row %s\n", rowname);
    exit(1);
  }
  if(pipe(go) < 0 || pipe(res) < 0 || pipe(shared_pipe) < 0){
    fprintf(2, "ev6test: pipe failed\n");
    exit(1);
  }
  for(n = 0; n < MAXWORKERS && t->work[n]; n++){
    if((pids[n] = fork()) == 0){
      close(go[1]);
      close(res[0]);
      if(read(go[0], &c, 1) != 1)
        exit(1);
      if(t->work[n](n) < 0){
        c = '0' + n;
        write(res[1], &c, 1);
        exit(2);
      }
      exit(0);
    }
    seen[n] = "none";
  }
  close(go[0]);
  close(res[1]);
  for(i = 0; i < MAXMARKS && t->marks[i].type; i++){
    int last = i + 1 == MAXMARKS || t->marks[i+1].type == 0;
    int which = t->marks[i].type == EV6_T_PIPE ? shared_pipe[0] : t->marks[i].which;
    mark(t->marks[i].type, which, last ? EV6_INJECT_OVERLAP(n - 1) : 0, 1);
  }
  close(shared_pipe[0]);
  close(shared_pipe[1]);
  start = uptime();
  write(go[1], "gggg", n);
  close(go[1]);

  // A watchdog kills workers that outlive WATCHDOG_TICKS.
  if((pid = fork()) == 0){
    sleep(WATCHDOG_TICKS);
    for(i = 0; i < n; i++)
      kill(pids[i]);
    exit(0);
  }
  for(k = 0; k < n; k++){
    int w = wait(&status);
    for(i = 0; i < n; i++)
      if(pids[i] == w)
        seen[i] = uptime() - start >= WATCHDOG_TICKS ? "hang" :
                  status == 0 ? "none" : "PK";
  }
  kill(pid);
  wait(0);
  while(read(res[0], &c, 1) == 1)
    if(c - '0' >= 0 && c - '0' < n)
      seen[c - '0'] = "SF";
  sort_words(seen, n);
  printf("ev6test together=%s mode=%s observed=", rowname, mode);
  for(i = 0; i < n; i++)
    printf("%s%s", i ? "," : "", seen[i]);
  printf("\n");
}

// run is the child's. With print_after the parent, once the child is gone,
// makes the kernel print (a function pointer could not say "none": user
// programs are linked at 0, so a function may sit there).
static struct action {
  char *name;
  int (*run)(void);
  int print_after;
} actions[] = {
  { "readbig", act_readbig }, { "write", act_write },
  { "writeagain", act_writeagain }, { "open", act_open }, { "mkdir", act_mkdir },
  { "read", act_read }, { "fstat", act_fstat }, { "dup", act_dup },
  { "close", act_close }, { "closeunlinked", act_closeunlinked }, { "link", act_link },
  { "exit", act_exit }, { "fork", act_fork }, { "exec", act_exec },
  { "pipewrite", act_pipewrite }, { "piperead", act_piperead },
  { "consread", act_consread }, { "conswrite", act_conswrite },
  { "kprintf", act_kprintf, 1 }, { "kerneltrap", act_kerneltrap },
  { "sbrk", act_sbrk }, { "sbrkfree", act_sbrkfree }, { "pipeclose", act_pipeclose },
  { "ptL2", act_ptL2 }, { "ptL1", act_ptL1 }, { "ptL0", act_ptL0 },
  { "ptuser", act_ptuser }, { "pageuser", act_pageuser },
  { "now", act_now }, { "nested", act_nested }, { "other", act_other },
  { "otherwait", act_otherwait },
};

// Pages recovery took out of circulation.
static int
retired(void)
{
  struct memstat m;

  if(memstat(&m) < 0){
    fprintf(2, "ev6test: memstat failed\n");
    exit(1);
  }
  return m.retired_pages;
}

static int
lookup(char **names, int n, char *name)
{
  int i;

  for(i = 0; i < n; i++)
    if(strcmp(names[i], name) == 0)
      return i;
  return -1;
}

// Set the recovery mode, or exit: a kernel without recovery has none.
static void
need_recovery(int mode)
{
  if(ev6_mode(mode) < 0){
    fprintf(2, "ev6test: this kernel has no recovery\n");
    exit(1);
  }
}

static void
usage(void)
{
  fprintf(2, "usage: ev6test conservative|aggressive object site action\n"
             "       ev6test conservative|aggressive together row\n"
             "       ev6test conservative|aggressive object site repeat|repeat-flip command [arg ...]\n"
             "       ev6test killwindow\n"
             "       ev6test closewindow\n"
             "       ev6test settlewindow\n"
             "       ev6test kprocledger\n"
             "       ev6test linkshared\n"
             "       ev6test allocshared\n");
  exit(1);
}

int
main(int argc, char **argv)
{
  struct action *a = 0;
  int mode, i, pid, status, before, after, settle;
  char *observed;

  if(argc == 2 && strcmp(argv[1], "killwindow") == 0){
    killwindow();
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "closewindow") == 0){
    closewindow();
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "settlewindow") == 0){
    settlewindow();
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "linkshared") == 0){
    need_recovery(0);   // conservative: the case is its refusal
    linkshared();
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "allocshared") == 0){
    need_recovery(1);   // aggressive: the case is its half commit
    allocshared();
    exit(0);
  }
  if(argc == 2 && strcmp(argv[1], "kprocledger") == 0){
    kprocledger();
    exit(0);
  }
  if(argc != 5 && !(argc == 4 && strcmp(argv[2], "together") == 0) &&
     !(argc >= 6 && (strcmp(argv[4], "repeat") == 0 || strcmp(argv[4], "repeat-flip") == 0)))
    usage();
  if(strcmp(argv[1], "conservative") == 0)
    mode = 0;
  else if(strcmp(argv[1], "aggressive") == 0)
    mode = 1;
  else
    usage();
  if(argc == 4){
    need_recovery(mode);
    together(argv[1], argv[3]);
    exit(0);
  }
  object_type = lookup(type_names, NELEM(type_names), argv[2]);
  if(argc >= 6){
    site = lookup(site_names, NELEM(site_names), argv[3]);
    if(object_type <= 0 || site <= 0)
      usage();
    need_recovery(mode);
    repeat(argv[1], argv[2], argv[3],
           strcmp(argv[4], "repeat-flip") == 0 ? EV6_INJECT_FLIP : 0, argv + 5);
    exit(0);
  }
  for(i = 0; i < NELEM(actions); i++)
    if(strcmp(actions[i].name, argv[4]) == 0)
      a = &actions[i];
  if(a && (a->run == act_now || a->run == act_nested || a->run == act_other ||
            a->run == act_ptuser || a->run == act_pageuser || a->run == act_otherwait))
    site = atoi(argv[3]) + 1;   // an index; +1 passes the check below
  else
    site = lookup(site_names, NELEM(site_names), argv[3]);
  if(object_type <= 0 || site <= 0 || a == 0){
    fprintf(2, "ev6test: unknown object, site or action\n");
    usage();
  }
  need_recovery(mode);

  before = freepages() + retired();
  pid = fork();
  if(pid == 0)
    exit(a->run() < 0 ? 2 : 0);
  if(pid < 0 || wait(&status) < 0){
    fprintf(2, "ev6test: fork failed\n");
    exit(1);
  }
  if(status == 3)
    exit(1);
  if(a->print_after)
    unknown_syscall();
  observed = status == 0 ? "none" : status == 2 ? "SF" : "PK";
  // Pages the unwound system call or killed process failed to give back
  // (a grandchild may still be on its way to init: give it a moment). A
  // damaged page that recovery retired is accounted for, not lost.
  for(settle = 0; (after = freepages() + retired()) < before && settle < 20; settle++)
    sleep(1);
  printf("ev6test object=%s site=%s mode=%s observed=%s leaked=%d\n",
         argv[2], argv[3], argv[1], observed, before - after);
  exit(0);
}
