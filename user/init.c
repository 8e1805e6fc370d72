// init - the first user process: sets up the console and keeps a shell
// running on it.
//
// usage: started by the kernel as /init; takes no arguments.
//
// init opens "console" as fd 0 and duplicates it as fd 1 and 2, creating
// the device node (major 1, minor 0) first if it does not exist yet. It
// then forks and execs sh. While sh runs, init waits; besides the shell it
// also collects orphaned processes that the kernel hands to it, so they do
// not stay zombies. When the shell exits (end of input, for example), init
// starts a new one.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define CONSOLE_MAJOR 1

static char *shargv[] = { "sh", 0 };

// Open the console on fds 0, 1 and 2.
static void
openconsole(void)
{
  if(open("console", O_RDWR) < 0){
    if(mknod("console", CONSOLE_MAJOR, 0) < 0 || open("console", O_RDWR) < 0)
      exit(1);   // no console: nowhere to complain to
  }
  dup(0);
  dup(0);
}

int
main(void)
{
  int pid, r;

  openconsole();
  for(;;){
    printf("init: starting sh\n");
    pid = fork();
    if(pid < 0){
      fprintf(2, "init: fork failed\n");
      exit(1);
    }
    if(pid == 0){
      exec("sh", shargv);
      fprintf(2, "init: cannot exec sh\n");
      exit(1);
    }
    // Reap orphans until the shell itself is the one that exited.
    do {
      r = wait(0);
    } while(r != pid && r >= 0);
    if(r < 0){
      fprintf(2, "init: wait failed\n");
      exit(1);
    }
  }
}
