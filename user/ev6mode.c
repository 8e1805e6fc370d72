// ev6mode - show or set the kernel's memory-error recovery mode.
//
// usage: ev6mode [conservative | aggressive]
//
// Without an argument, prints the current mode. Conservative never lets a
// system call's result disagree with what recovery did (it fail-stops
// instead); aggressive prefers to keep running.
#include "kernel/types.h"
#include "user/user.h"

static char *names[] = { "conservative", "aggressive" };

int
main(int argc, char **argv)
{
  int mode = -1, old;

  if(argc > 2){
    fprintf(2, "usage: ev6mode [conservative | aggressive]\n");
    exit(1);
  }
  if(argc == 2){
    if(strcmp(argv[1], names[0]) == 0)
      mode = 0;
    else if(strcmp(argv[1], names[1]) == 0)
      mode = 1;
    else {
      fprintf(2, "usage: ev6mode [conservative | aggressive]\n");
      exit(1);
    }
  }
  if((old = ev6_mode(mode)) < 0){
    fprintf(2, "ev6mode: this kernel was built without recovery\n");
    exit(1);
  }
  if(mode < 0)
    printf("%s\n", names[old]);
  exit(0);
}
