// ev6test - drive the kernel to a fault-injection site with an object
// marked bad there, and report how the kernel's recovery ended it.
//
// usage: ev6test mode object site action
//        ev6test mode object index now
//        ev6test mode object index nested
//
// mode is conservative or aggressive; object and site are names from
// kernel/ev6_types.h and kernel/fi.h; action is one of the drivers below,
// the system calls that reach the site. `now` marks element index of the
// object's table bad and touches it at once, inside the system call (for
// objects no site reaches, such as proc); `nested` also marks the printf
// lock bad first, so the recovery's own report meets a second error. The action runs in a child: on the
// site's next hit the kernel marks the object it touches bad (ev6_inject),
// the hit raises the hardware-error exception, and the kernel recovers.
// Prints one line:
//   ev6test object=O site=S mode=M observed=SF|PK|none
// SF: the action's system call returned -1; PK: the child was killed;
// none: the action completed. A fail-stop powers the machine off instead.
// Needs a FAULTS=1 kernel; exits 1 on a usage error or without one.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/ev6_types.h"
#include "kernel/fi.h"
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

static void
arm(void)
{
  if(ev6_inject(object_type, -site, 0, 0) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
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

// Create and write a file: log, buffers, inode, bitmap.
static int
act_write(void)
{
  int fd = open("ev6scratch", O_CREATE | O_RDWR | O_TRUNC), r;

  if(fd < 0)
    return 0;
  memset(buf, 'w', sizeof(buf));
  arm();
  r = write(fd, buf, sizeof(buf));
  close(fd);
  unlink("ev6scratch");
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

// A user fault makes the kernel print a report (usertrap) with printf.
static int
act_kprintf(void)
{
  arm();
  *(volatile int *)0 = 1;
  return 0;
}

// Mark element `site` (an index here) of the object bad and touch it now.
static int
act_now(void)
{
  if(ev6_inject(object_type, site - 1, 0, 1) < 0){
    fprintf(2, "ev6test: ev6_inject failed: is this a FAULTS=1 kernel?\n");
    exit(3);
  }
  return 0;
}

// As act_now, after marking the printf lock bad: the report of the first
// recovery then raises a second error inside the recovery path.
static int
act_nested(void)
{
  ev6_inject(EV6_T_PR, 0, 0, 0);
  return act_now();
}

static struct action {
  char *name;
  int (*run)(void);
} actions[] = {
  { "readbig", act_readbig }, { "write", act_write }, { "open", act_open },
  { "read", act_read }, { "fstat", act_fstat }, { "dup", act_dup },
  { "close", act_close }, { "fork", act_fork }, { "exec", act_exec },
  { "pipewrite", act_pipewrite }, { "piperead", act_piperead },
  { "consread", act_consread }, { "conswrite", act_conswrite },
  { "kprintf", act_kprintf }, { "now", act_now }, { "nested", act_nested },
};

static int
lookup(char **names, int n, char *name)
{
  int i;

  for(i = 0; i < n; i++)
    if(strcmp(names[i], name) == 0)
      return i;
  return -1;
}

static void
usage(void)
{
  fprintf(2, "usage: ev6test conservative|aggressive object site action\n");
  exit(1);
}

int
main(int argc, char **argv)
{
  struct action *a = 0;
  int mode, i, pid, status;
  char *observed;

  if(argc != 5)
    usage();
  if(strcmp(argv[1], "conservative") == 0)
    mode = 0;
  else if(strcmp(argv[1], "aggressive") == 0)
    mode = 1;
  else
    usage();
  object_type = lookup(type_names, NELEM(type_names), argv[2]);
  for(i = 0; i < NELEM(actions); i++)
    if(strcmp(actions[i].name, argv[4]) == 0)
      a = &actions[i];
  if(a && (a->run == act_now || a->run == act_nested))
    site = atoi(argv[3]) + 1;   // an index; +1 passes the check below
  else
    site = lookup(site_names, NELEM(site_names), argv[3]);
  if(object_type <= 0 || site <= 0 || a == 0){
    fprintf(2, "ev6test: unknown object, site or action\n");
    usage();
  }
  if(ev6_mode(mode) < 0){
    fprintf(2, "ev6test: this kernel has no recovery\n");
    exit(1);
  }

  pid = fork();
  if(pid == 0)
    exit(a->run() < 0 ? 2 : 0);
  if(pid < 0 || wait(&status) < 0){
    fprintf(2, "ev6test: fork failed\n");
    exit(1);
  }
  if(status == 3)
    exit(1);
  observed = status == 0 ? "none" : status == 2 ? "SF" : "PK";
  printf("ev6test object=%s site=%s mode=%s observed=%s\n",
         argv[2], argv[3], argv[1], observed);
  exit(0);
}
