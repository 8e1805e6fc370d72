// wc - count lines, words and bytes.
//
// usage: wc [file ...]
//
// For each file prints "lines words bytes name"; with no file arguments,
// counts fd 0 and prints "lines words bytes". A word is a maximal run of
// characters other than space, tab, carriage return, vertical tab and
// newline. Stops with status 1 at a file that cannot be opened or read.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[512];

static int
isspace(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\n';
}

// Count fd to its end and print the totals, followed by name if given.
static void
count(int fd, const char *name)
{
  int n, inword = 0;
  uint lines = 0, words = 0, bytes = 0;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    bytes += n;
    for(int i = 0; i < n; i++){
      if(buf[i] == '\n')
        lines++;
      if(isspace(buf[i])){
        inword = 0;
      } else if(!inword){
        inword = 1;
        words++;
      }
    }
  }
  if(n < 0){
    fprintf(2, "wc: cannot read %s\n", name ? name : "standard input");
    exit(1);
  }
  if(name)
    printf("%u %u %u %s\n", lines, words, bytes, name);
  else
    printf("%u %u %u\n", lines, words, bytes);
}

int
main(int argc, char *argv[])
{
  int fd;

  if(argc < 2){
    count(0, 0);
    return 0;
  }
  for(int i = 1; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "wc: cannot open %s\n", argv[i]);
      exit(1);
    }
    count(fd, argv[i]);
    close(fd);
  }
  return 0;
}
