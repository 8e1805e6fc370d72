// mkdir - make directories.
//
// usage: mkdir dir ...
//
// Creates each directory in order. Stops with status 1 at the first one
// that cannot be created.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  if(argc < 2){
    fprintf(2, "usage: mkdir dir ...\n");
    exit(1);
  }
  for(int i = 1; i < argc; i++){
    if(mkdir(argv[i]) < 0){
      fprintf(2, "mkdir: cannot create %s\n", argv[i]);
      exit(1);
    }
  }
  return 0;
}
