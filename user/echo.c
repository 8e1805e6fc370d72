// echo - print the arguments.
//
// usage: echo [arg ...]
//
// Writes the arguments to fd 1, separated by single spaces and followed by
// a newline, in one write so the line stays whole on a shared output.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  uint len = 1;
  char *out, *p;

  for(int i = 1; i < argc; i++)
    len += strlen(argv[i]) + 1;
  if((out = malloc(len)) == 0){
    fprintf(2, "echo: out of memory\n");
    exit(1);
  }
  p = out;
  for(int i = 1; i < argc; i++){
    strcpy(p, argv[i]);
    p += strlen(p);
    if(i + 1 < argc)
      *p++ = ' ';
  }
  *p++ = '\n';
  if(write(1, out, p - out) != p - out){
    fprintf(2, "echo: write error\n");
    exit(1);
  }
  return 0;
}
