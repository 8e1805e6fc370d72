// poweroff - stop the machine.
//
// usage: poweroff [status]
//
// Flushes the file system and halts; QEMU exits with the given status
// (default 0). Prints nothing on success, since it does not return.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  if(argc > 2){
    fprintf(2, "usage: poweroff [status]\n");
    exit(1);
  }
  poweroff(argc == 2 ? atoi(argv[1]) : 0);
  fprintf(2, "poweroff: failed\n");
  return 1;
}
