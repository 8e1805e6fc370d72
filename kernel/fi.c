// Fault-injection site counters and markers (FAULTS=1 builds only); see
// fi.h for the debugger's side.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fi.h"
#include "kernel/ev6.h"
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

#if RECOVERY
// Set by fi_arm_poison: on the target hit, mark byte fi_poison_offset of
// the site's object bad, so the site's own access check reports it.
static volatile int fi_poison_armed;
static volatile int fi_poison_offset;

// Arm site for the ev6_inject system call: its next hit poisons the
// object it touches, as a debugger's breakpoint delivery would.
void
fi_arm_poison(int site, int offset)
{
  fi_site_armed = 0;
  fi_site_hits = 0;
  fi_site_target = 1;
  fi_poison_offset = offset;
  fi_poison_armed = 1;
  __sync_synchronize();
  fi_site_armed = site;
}
#endif

// Count one hit of the armed site. Several harts may race here; the
// atomic increment makes exactly one of them see the target hit.
void
fi_site_hit(void *obj)
{
  if(__sync_add_and_fetch(&fi_site_hits, 1) != fi_site_target)
    return;
#if RECOVERY
  if(fi_poison_armed){
    fi_poison_armed = 0;
    fi_site_armed = 0;
    ev6_poison_add((uint64)obj + fi_poison_offset);
    return;
  }
#endif
  fi_trap(obj);
}

// Called by exec with the new program's name.
void
fi_exec_hook(char *name)
{
#if TRACE
  ev6_trace_exec();
#endif
  if(fi_workload_name[0] && strncmp(name, fi_workload_name, sizeof(fi_workload_name)) == 0)
    fi_workload_start();
}
#endif
