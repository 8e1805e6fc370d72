// Fault-injection sites for the campaign (FAULTS=1 builds only).
//
// A site is a kernel function that is about to touch an object the campaign
// wants to damage. FI_SITE(name, obj) counts calls while the debugger has
// armed that site; on the hit it asked for, it calls fi_trap(obj), an empty
// function the debugger breaks on. So GDB never counts anything itself
// (a breakpoint hit costs milliseconds and stalls SMP guests when stepped
// over), and the object arrives in a0.
//
// Debugger interface: write fi_site_armed = FI_SITE_x and fi_site_target =
// N, break at fi_trap. fi_site_hits counts hits since arming.

enum fi_site {
  FI_SITE_none,
  FI_SITE_bget,
  FI_SITE_bread,
  FI_SITE_bwrite,
  FI_SITE_log_write,
  FI_SITE_log_write_log,
  FI_SITE_begin_op,
  FI_SITE_end_op,
  FI_SITE_commit,
  FI_SITE_install_trans,
  FI_SITE_write_log,
  FI_SITE_filealloc,
  FI_SITE_fileread,
  FI_SITE_fileread_devsw,
  FI_SITE_filewrite,
  FI_SITE_filewrite_devsw,
  FI_SITE_fileclose,
  FI_SITE_filedup,
  FI_SITE_exec,
  FI_SITE_idup,
  FI_SITE_iget,
  FI_SITE_ilock,
  FI_SITE_readi,
  FI_SITE_writei,
  FI_SITE_piperead,
  FI_SITE_pipewrite,
  FI_SITE_consoleread,
  FI_SITE_consolewrite,
  FI_SITE_consoleintr,
  FI_SITE_printf,
  FI_SITE_kalloc,
  FI_SITE_kfree,
  FI_SITE_walk,
  FI_SITE_walkaddr,
  FI_SITE_alloc_desc,
  FI_NSITES
};

// A site is also an access point for the poison table (ev6_poison.c): a
// poisoned object raises the hardware-error exception here.
#if FAULTS
extern volatile int fi_site_armed;
extern volatile int ev6_npoison;
void fi_site_hit(void *obj);
void ev6_access(void *base, uint64 size);
#define FI_SITE(site, obj) do { \
    if(fi_site_armed == FI_SITE_##site) fi_site_hit(obj); \
    if(ev6_npoison) ev6_access((obj), sizeof(*(obj))); \
  } while(0)
#else
#define FI_SITE(site, obj) do { } while(0)
#endif
