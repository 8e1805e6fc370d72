// Processes and harts.

// Registers saved by swtch() for a kernel context switch: the callee-saved
// ones, since swtch is an ordinary function call.
struct context {
  uint64 ra;
  uint64 sp;
  uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// Per-hart state. cpus[i] belongs to hart i and is touched only by it, with
// interrupts off (see mycpu()).
struct cpu {
  struct proc *proc;        // process running on this hart, or 0
  struct context context;   // swtch() here to enter the scheduler
  int noff;                 // depth of push_off() nesting
  int intena;               // were interrupts enabled before push_off()?
  // Ev6 ledger: the spinlocks this hart holds, in acquisition order,
  // held[0] up to heldtop; heldlost more were taken while held[] was full
  // (the list is partial then). The slot at heldtop names the lock take()
  // is trying, if any. ledger.h keeps them.
  struct spinlock **heldtop;   // one past the newest entry
  struct spinlock *heldfloor;  // always 0, just below held[0]
  struct spinlock *held[LEDGER_MAX];
  int heldlost;
  uint64 raised_addr;       // Ev6 test raise: bad address behind an ebreak
  uint64 run_start;         // time CSR when the running process got the hart
  uint64 busy;              // time CSR units processes ran on this hart
  int resched;              // an interrupt woke a driver task: yield to it now
  // Ev6: the spinlock acquire() is spinning for once its first try
  // failed, or 0: a hart spinning for a lock whose holder cannot move
  // (ev6_seize_spinlock) cannot move either.
  struct spinlock *spinning;
  // Ev6: clock interrupts this hart has taken. It takes none inside a
  // spinlock section, nor in take() or release() (interrupts are off), so
  // a hart whose count moved has been outside them since (the audit).
  uint64 clockintrs;
};

extern struct cpu cpus[NCPU];

// Entries of hart c's spinlock list (held[0] up to heldtop), and the
// locks c holds by the ledger's count (those and the lost ones).
#define ledger_listed(c)  ((int)((c)->heldtop - (c)->held))
#define ledger_nheld(c)   (ledger_listed(c) + (c)->heldlost)

// User registers saved by the trampoline on a trap from user space, and the
// kernel values it loads. Lives in its own page, mapped at TRAPFRAME in the
// user page table. The offsets are used by trampoline.S: keep them in sync.
struct trapframe {
  /*   0 */ uint64 kernel_satp;   // kernel page table
  /*   8 */ uint64 kernel_sp;     // top of this process's kernel stack
  /*  16 */ uint64 kernel_trap;   // usertrap()
  /*  24 */ uint64 epc;           // user pc
  /*  32 */ uint64 kernel_hartid; // tp to load in the kernel
  /*  40 */ uint64 ra;
  /*  48 */ uint64 sp;
  /*  56 */ uint64 gp;
  /*  64 */ uint64 tp;
  /*  72 */ uint64 t0;
  /*  80 */ uint64 t1;
  /*  88 */ uint64 t2;
  /*  96 */ uint64 s0;
  /* 104 */ uint64 s1;
  /* 112 */ uint64 a0;
  /* 120 */ uint64 a1;
  /* 128 */ uint64 a2;
  /* 136 */ uint64 a3;
  /* 144 */ uint64 a4;
  /* 152 */ uint64 a5;
  /* 160 */ uint64 a6;
  /* 168 */ uint64 a7;
  /* 176 */ uint64 s2;
  /* 184 */ uint64 s3;
  /* 192 */ uint64 s4;
  /* 200 */ uint64 s5;
  /* 208 */ uint64 s6;
  /* 216 */ uint64 s7;
  /* 224 */ uint64 s8;
  /* 232 */ uint64 s9;
  /* 240 */ uint64 s10;
  /* 248 */ uint64 s11;
  /* 256 */ uint64 t3;
  /* 264 */ uint64 t4;
  /* 272 */ uint64 t5;
  /* 280 */ uint64 t6;
};

// Ev6 ledger: what a process holds inside the kernel during one system
// call, so that recovery can release it exactly (ledger.h). Each list
// keeps at most LEDGER_MAX entries; `lost` counts those that found their
// list full and are still held, and while it is not 0 the lists are not
// exact.
struct ledger {
  struct sleeplock *sleeplocks[LEDGER_MAX]; // held inode sleeplocks
  int nsleeplocks;
  struct buf *bufs[LEDGER_MAX];             // buffers from bread/bget, locked
  int nbufs;
  struct inode *inodes[LEDGER_MAX];         // transient inode references
  int ninodes;
  int lost;                                 // entries of the three not listed
  int in_op;                                // inside begin_op()..end_op()
  int op_writes;                            // log_write()s in this operation
  uint logging;                             // the block log_write() is recording,
                                            //   its write not counted yet (0: none;
                                            //   the boot block is never logged)
  uint newblock;                            // balloc's block, not linked yet (0: none)
  int committing;                           // set log.committing, not yet cleared
  struct proc *child;                       // fork()'s child, while being built
  char **exec_args;                         // sys_exec()'s argument page
  void *page;                               // a page only this call holds (ledger.h)
  struct file *file;                        // filealloc's new file, during its release
  struct pipe *closing;                     // an end fileclose let go of, until
  int closing_writable;                     //   pipeclose has closed it (ledger.h)
};

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct proc {
  struct spinlock lock;

  // p->lock must be held when using these:
  enum procstate state;
  void *chan;               // sleeping on chan, if non-zero
  int killed;               // kill() was called
  int xstate;               // exit status, for the parent's wait()
  int pid;

  // wait_lock must be held when using this:
  struct proc *parent;

  // Private to the process; p->lock need not be held:
  uint64 kstack;               // virtual address of the kernel stack
  uint64 sz;                   // bytes of user memory
  pagetable_t pagetable;       // user page table
  struct trapframe *trapframe; // page for trampoline.S
  struct context context;      // swtch() here to run the process
  struct file *ofile[NOFILE];  // open files
  struct inode *cwd;           // current directory
  char name[16];               // for debugging
  struct ledger ledger;        // Ev6: what this process holds right now
  int kthread;                 // a kernel thread (kproc): no user half
  struct drvtask *drv;         // the driver task this kernel thread runs, or 0
};

extern struct proc proc[NPROC];
