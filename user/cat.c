// cat - copy files to the standard output.
//
// usage: cat [file ...]
//
// Writes each file in turn to fd 1; with no file arguments, copies fd 0
// instead. Stops with status 1 at the first file that cannot be opened or
// read, or when fd 1 cannot be written.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[512];

// Copy fd to fd 1; name is used in error messages.
static void
copy(int fd, const char *name)
{
  int n;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    if(write(1, buf, n) != n){
      fprintf(2, "cat: write error\n");
      exit(1);
    }
  }
  if(n < 0){
    fprintf(2, "cat: cannot read %s\n", name);
    exit(1);
  }
}

int
main(int argc, char *argv[])
{
  int fd;

  if(argc < 2){
    copy(0, "standard input");
    return 0;
  }
  for(int i = 1; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "cat: cannot open %s\n", argv[i]);
      exit(1);
    }
    copy(fd, argv[i]);
    close(fd);
  }
  return 0;
}
