// Fault-injection site counters and markers (FAULTS=1 builds only); see
// fi.h for the debugger's side.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#if FAULTS
volatile int fi_site_armed;     // enum fi_site, written by the debugger
volatile int fi_site_target;    // hit number that calls fi_trap (1 = first)
volatile int fi_site_hits;      // hits since arming
char fi_workload_name[16];      // exec of this program calls fi_workload_start

// Break here: obj is the object the site is about to touch, and the caller
// is the site function.
__attribute__((noinline)) void
fi_trap(void *obj)
{
  asm volatile("" : : "r"(obj) : "memory");
}

// Break here to arm a site when the workload starts.
__attribute__((noinline)) void
fi_workload_start(void)
{
  asm volatile("" : : : "memory");
}

// Count one hit of the armed site. Several harts may race here; the
// atomic increment makes exactly one of them see the target hit.
void
fi_site_hit(void *obj)
{
  if(__sync_add_and_fetch(&fi_site_hits, 1) == fi_site_target)
    fi_trap(obj);
}

// Called by exec with the new program's name.
void
fi_exec_hook(char *name)
{
  if(fi_workload_name[0] && strncmp(name, fi_workload_name, sizeof(fi_workload_name)) == 0)
    fi_workload_start();
}
#endif
