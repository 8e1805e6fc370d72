// Ev6: recovery from uncorrectable memory errors in kernel objects.
//
// An error arrives as exception 19 (hardware error) with stval = the
// physical address of the bad data (trap.c). For an error taken in kernel
// mode, ev6_kernel_error() (ev6.c) then
//   1. enters the shepherd, which lets one hart recover at a time;
//   2. walks the interrupted stack into a call history;
//   3. asks the registry which object holds the address;
//   4. picks the exit from the object's rule table, the mode and history;
//   5. runs the object's Internal-Surgery (discard, initialize, restore);
//   6. prints one `ev6:` line and leaves by the exit: Syscall-Fail (unwind
//      the system call and return -1), Process-Kill, or Fail-Stop.
// An error taken in user mode goes to ev6_user_error(), which does steps
// 1, 3 and 5 and prints the line; the process then simply continues.
// What the interrupted context holds (spinlocks, sleeplocks, buffers,
// inodes, an open log operation) is known exactly from the ledger that
// acquire/release and friends keep (ledger.h), not guessed.

enum ev6_mode { EV6_CONSERVATIVE, EV6_AGGRESSIVE };
extern volatile int ev6_mode;    // a debugger may write it
extern uint64 ev6_replica_bytes; // replicas kept for restore, set at boot
extern volatile int ev6_stopping;

// EV6_EXIT_REPAIRED: an error with no consumer (ev6_scrub.c), repaired in
// the background; no process took any exit.
enum ev6_exit { EV6_EXIT_NONE, EV6_EXIT_SF, EV6_EXIT_PK, EV6_EXIT_FS, EV6_EXIT_REPAIRED };
enum ev6_strategy { EV6_DISCARD, EV6_INITIALIZE, EV6_RESTORE, EV6_NOTHING };

#include "kernel/ev6_types.h"

// What the registry says about an address.
struct ev6_object {
  enum ev6_type type;
  void *base;         // start of the object
  int index;          // index in its table, or -1
  uint64 addr;        // the reported address
};

// The interrupted kernel call history, innermost function first.
struct ksym;
struct ev6_history {
  int n;
  const struct ksym *fn[EV6_HISTORY_MAX];
};

// After-treatment rule: if fn is in the call history and the mode is in
// modes, leave by exit. A table ends with fn == 0; its exit is the default.
#define EV6_CONS (1 << EV6_CONSERVATIVE)
#define EV6_AGGR (1 << EV6_AGGRESSIVE)
#define EV6_BOTH (EV6_CONS | EV6_AGGR)
struct ev6_rule {
  const char *fn;
  int modes;
  enum ev6_exit exit;
};

// Everything a handler needs to know about one error.
struct ev6_error {
  struct ev6_object obj;
  struct ev6_history hist;
  int from_user;           // the error came while the hart was in user mode
  const char *site;        // innermost function of interest, for the report
  enum ev6_exit exit;
  const char *reason;      // set when surgery refuses: fail-stop
  uint ticket;             // the shepherd's, in arrival order
  uint serving_at_arrival; // the ticket being served when it arrived
  int repaired_earlier;    // a recovery queued ahead of it rebuilt the object
  struct proc *killed;     // the owner of the object, killed by surgery
  const char *strategy;    // surgery's own, if not its handler's (a clean
                           // user page re-read from its file: restore)
};

// One per recoverable object type: the table of them and their rules is in
// ev6_rules.c, each surgery in its object's own file (below).
struct ev6_handler {
  const char *name;
  enum ev6_strategy strategy;
  const struct ev6_rule *rules;
  // Repair the object. Returns 0, or -1 with e->reason set (fail-stop).
  int (*surgery)(struct ev6_error *e);
  // The object belongs to one process, which surgery kills (e->killed).
  // If that is not the interrupted process, the interrupted code, which
  // holds nothing of it, continues; else the rules give its exit.
  int kills_owner;
  // After surgery the interrupted code simply goes on (no exit).
  int resumes;
  // Repair with no consumer (an error a scrubber reported, ev6_scrub.c):
  // needs no call history and no process, takes only what it can without
  // waiting. Returns 0, or -1 with e->reason set (fail-stop). 0: the
  // repair needs a consumer's context; the error waits, poisoned, for one.
  int (*scrub)(struct ev6_error *e);
};

extern const struct ev6_handler ev6_handlers[EV6_NTYPES];
extern const char *ev6_type_names[EV6_NTYPES];

// ev6.c
void            ev6_init(void);
void            ev6_kernel_error(uint64 sepc, uint64 ra, uint64 sp, uint64 s0, uint64 addr);
void            ev6_user_error(uint64 addr);
void            ev6_failstop(struct ev6_error *e) __attribute__((noreturn));
void            ev6_background_error(uint64 addr);

// ev6_scrub.c: the error status block the platform writes (firmware
// first), and the supervisor software interrupt that says it did.
struct ev6_error_status {
  volatile uint64 addr;    // physical address of the bad data
  volatile uint64 size;    // bytes
  volatile uint64 raised;  // sequence number of the latest record
  volatile uint64 taken;   // the latest the kernel took
};
extern struct ev6_error_status ev6_error_status;
void            ev6_scrub_intr(void);

void            ev6_defer_wakeup(void *chan);
struct cpu;
void            ev6_release_spinlocks(struct cpu *c);
struct file;
void            ev6_defer_close(struct file *f);

// ev6_stack.c
const struct ksym *ksym_lookup(uint64 pc);
void            ev6_history_walk(struct ev6_history *h, uint64 pc, uint64 ra, uint64 sp, uint64 fp);
int             ev6_history_find(struct ev6_history *h, const char *name);

// ev6_registry.c
void            ev6_registry_init(void);
void            ev6_registry_add(enum ev6_type type, void *base, int n, uint64 elemsize);
int             ev6_registry_lookup(uint64 addr, struct ev6_object *obj);
uint64          ev6_registry_bytes(void);
void*           ev6_registry_element(enum ev6_type type, int which);
void*           ev6_registry_ranges(void);   // FAULTS=1 builds
extern uchar    ev6_page_type[];

// Give the page at pa a type (kalloc, kfree, and owners such as pipes).
// A macro: kalloc and kfree do it for every page (a call cost more than
// the store), and it needs memlayout.h only where it is used.
#define ev6_page_set(pa, type) \
  (ev6_page_type[((uint64)(pa) - KERNBASE) / PGSIZE] = (type))

// Internal-Surgery, each in its object's own file.
int             buf_recover(struct ev6_error *e);
int             log_recover(struct ev6_error *e);
int             file_recover(struct ev6_error *e);
int             inode_recover(struct ev6_error *e);
int             pipe_recover(struct ev6_error *e);
int             cons_recover(struct ev6_error *e);
int             devsw_recover(struct ev6_error *e);
int             pr_recover(struct ev6_error *e);
int             kmem_recover(struct ev6_error *e);
int             pagetable_recover(struct ev6_error *e);
int             sb_recover(struct ev6_error *e);
int             procstate_recover(struct ev6_error *e);
int             upage_recover(struct ev6_error *e);
int             upage_refill(struct proc *p);
int             text_recover(struct ev6_error *e);
int             devsw_scrub(struct ev6_error *e);
int             disk_recover(struct ev6_error *e);

// ev6_text.c
uint64          ev6_text_init(void);
extern uint64   ev6_text_bytes;
void*           ev6_text_copy(void *pc);   // FAULTS=1 builds

// ev6_locks.c
#define EV6_LEDGER_SLEEPLOCKS 0
#define EV6_LEDGER_BUFS       1
#define EV6_LEDGER_INODES     2
struct cpu;
struct proc;
struct spinlock;
struct sleeplock;
struct cpu*     ev6_spinlock_holder(struct spinlock *lk);
struct proc*    ev6_ledger_owner(void *x, int which, struct proc *after);
int             ev6_ledger_count(void *x, int which);
void            ev6_rebuild_spinlock(struct spinlock *lk, char *name);
void            ev6_rebuild_sleeplock(struct sleeplock *lk, char *name, struct proc *holder);
int             ev6_seize_spinlock(struct ev6_error *e, struct spinlock *lk, char *name);  // 1: taken
int             ev6_wait_spinlock(struct spinlock *lk);  // 1: taken
int             ev6_took_unlisted(struct spinlock *lk);
int             ev6_hart_recovering(int hart);   // ev6.c

// ev6_unwind.c: releasing what the ledger lists
const char*     ev6_unwind_check(struct proc *p);
void            ev6_unwind_resources(struct proc *p);

// ev6_poison.c: addresses reported bad
void            ev6_poison_add(uint64 addr);
void            ev6_poison_clear(void *base, uint64 size);
int             ev6_poisoned(void *base, uint64 size);
extern volatile int ev6_npoison;
uint64          ev6_take_raised(void);
void            ev6_raise_user(struct proc *p, uint64 addr);
uint64          ev6_take_user_raised(struct proc *p);
void            ev6_access(void *base, uint64 size);
void*           ev6_kstack_page(uint64 sp);
extern volatile int ev6_overlap_want;   // ev6.c, FAULTS=1 builds
extern volatile int ev6_overlap_waiting;
