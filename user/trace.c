// trace - start or print a TRACE=1 kernel's record of accesses to kernel
// objects (kernel/ev6_trace.c): the golden run of a sweep types
//   trace start; WORKLOAD; trace dump
// and the record covers WORKLOAD from its first exec on, up to where the
// exec of `trace dump` begins. `trace dump`
// then waits for one line of input: the host copies the record out of
// guest memory meanwhile (campaign/sweep/golden.sh).
// Exits 1 on a usage error or on a kernel without tracing.
#include "kernel/types.h"
#include "kernel/ev6_types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  int which = 0;

  if(argc == 2 && strcmp(argv[1], "start") == 0)
    which = 1;
  else if(argc == 2 && strcmp(argv[1], "dump") == 0)
    which = 2;
  if(which == 0){
    fprintf(2, "usage: trace start|dump\n");
    exit(1);
  }
  if(ev6_inject(0, which, 0, EV6_INJECT_TRACE) < 0){
    fprintf(2, "trace: this kernel does not trace (build it with make TRACE=1)\n");
    exit(1);
  }
  if(which == 2){
    char c;
    while(read(0, &c, 1) == 1 && c != '\n')
      ;
  }
  exit(0);
}
