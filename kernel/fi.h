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

// Every site, once: the enum below and the names user programs use come
// from this list.
#define FI_SITES(X) \
  X(bget) \
  X(bread) \
  X(bwrite) \
  X(log_write) \
  X(log_write_log) \
  X(begin_op) \
  X(end_op) \
  X(commit) \
  X(install_trans) \
  X(install_trans_step) \
  X(write_log) \
  X(write_log_to) \
  X(log_finish_commit) \
  X(log_finish_commit_reset) \
  X(filealloc) \
  X(filealloc_release) \
  X(fileread) \
  X(fileread_devsw) \
  X(filewrite) \
  X(filewrite_devsw) \
  X(fileclose) \
  X(filedup) \
  X(exec) \
  X(idup) \
  X(iget) \
  X(ilock) \
  X(readi) \
  X(writei) \
  X(piperead) \
  X(pipewrite) \
  X(consoleread) \
  X(consolewrite) \
  X(consoleintr) \
  X(printf) \
  X(kalloc) \
  X(kfree) \
  X(walk) \
  X(walkaddr) \
  X(alloc_desc) \
  X(balloc) \
  X(access) \

// `access` is no function: TRACE=1 kernels count accesses to the bytes
// at fi_access_addr, or at that offset of whichever buffer holds block
// fi_access_block (kernel/ev6_trace.c).
#define FI_SITE_ENUM(name) FI_SITE_##name,
enum fi_site {
  FI_SITE_none,
  FI_SITES(FI_SITE_ENUM)
  FI_NSITES
};

// A site is also an access point for the poison table (ev6_poison.c): a
// poisoned object raises the hardware-error exception here.
#if FAULTS && RECOVERY
extern volatile int fi_site_armed;
extern volatile int ev6_npoison;
void fi_site_hit(void *obj);
void ev6_access(void *base, uint64 size);
void fi_raise(uint64 addr);
#define FI_SITE(site, obj) do { \
    if(fi_site_armed == FI_SITE_##site) fi_site_hit(obj); \
    if(ev6_npoison) ev6_access((obj), sizeof(*(obj))); \
  } while(0)
// An access point without a site: a bad object raises here too.
#define FI_ACCESS(obj) do { if(ev6_npoison) ev6_access((obj), sizeof(*(obj))); } while(0)
#elif FAULTS
extern volatile int fi_site_armed;
void fi_site_hit(void *obj);
#define FI_SITE(site, obj) \
  do { if(fi_site_armed == FI_SITE_##site) fi_site_hit(obj); } while(0)
#define FI_ACCESS(obj) do { } while(0)
#else
#define FI_SITE(site, obj) do { } while(0)
#define FI_ACCESS(obj) do { } while(0)
#endif

// A commit held in flight while a log restore runs (the ev6_inject
// system call's EV6_INJECT_COMMIT, kernel/ev6_sys.c): commit() calls the
// hold once its transaction is installed and recorded done.
#if FAULTS && RECOVERY
extern volatile int fi_commit_armed;
void fi_commit_hold(void);
#define FI_COMMIT_HOLD() do { if(fi_commit_armed) fi_commit_hold(); } while(0)
#else
#define FI_COMMIT_HOLD() do { } while(0)
#endif

// A reader held between piperead's killed() check and its sleep until
// another process kills it (the ev6_inject system call's
// EV6_INJECT_KILLWINDOW, kernel/ev6_sys.c): where a kill() once found the
// reader running, woke nobody, and left it asleep for ever.
#if FAULTS && RECOVERY
extern volatile int fi_killwindow_pid;
void fi_killwindow_hold(void);
#define FI_KILLWINDOW_HOLD(p) \
  do { if(fi_killwindow_pid == (p)->pid) fi_killwindow_hold(); } while(0)
#else
#define FI_KILLWINDOW_HOLD(p) do { } while(0)
#endif

// An unwound call's settle of address spaces held when it comes to the
// page table of the process named (the ev6_inject system call's
// EV6_INJECT_SETTLEWINDOW, kernel/ev6_sys.c) until that process's parent
// has reaped it: where a settle once read the table's root, then found
// the owner's slot free, and freed the table a second time.
#if FAULTS && RECOVERY
struct proc;
extern volatile int fi_settlewindow_pid;
void fi_settlewindow_hold(struct proc *owner);
#define FI_SETTLEWINDOW_HOLD(o) \
  do { if(fi_settlewindow_pid && (o) && fi_settlewindow_pid == (o)->pid) \
         fi_settlewindow_hold(o); } while(0)
#else
#define FI_SETTLEWINDOW_HOLD(o) do { } while(0)
#endif

// An operation held open (the ev6_inject system call's
// EV6_INJECT_OPWINDOW, kernel/ev6_sys.c), at its end_op or inside a
// log_write (where: EV6_OPWINDOW_END_OP or _LOG_WRITE, kernel/ev6_types.h):
// one held at end_op keeps its blocks in the transaction while another
// process's operation, held in its log_write of such a block, is killed
// there. An unwind once took that call for one that had written nothing,
// and the transaction committed its change.
#if FAULTS && RECOVERY
extern volatile int fi_opwindow_pid[];
void fi_opwindow_hold(int where);
#define FI_OPWINDOW_HOLD(where, p) \
  do { if(fi_opwindow_pid[where] && (p) && fi_opwindow_pid[where] == (p)->pid) \
         fi_opwindow_hold(where); } while(0)
#else
#define FI_OPWINDOW_HOLD(where, p) do { } while(0)
#endif

// A pipeclose held after its file was freed, before it takes the pipe's
// lock, while another process's error repairs the pipe and that process
// closes the other end (EV6_INJECT_CLOSEWINDOW, kernel/ev6_sys.c): where
// a pipe recovery once counted the closing end closed, and the other
// end's close freed the pipe under the held close.
#if FAULTS && RECOVERY
struct pipe;
extern volatile int fi_closewindow_pid;
void fi_closewindow_hold(struct pipe *pi, int writable);
#define FI_CLOSEWINDOW_HOLD(p, pi, w) \
  do { if(fi_closewindow_pid == (p)->pid) fi_closewindow_hold((pi), (w)); } while(0)
#else
#define FI_CLOSEWINDOW_HOLD(p, pi, w) do { } while(0)
#endif
