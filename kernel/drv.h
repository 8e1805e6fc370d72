// Driver tasks (kernel/drv.c): each driver runs as a kernel thread of its
// own, and the rest of the kernel reaches it only by messages.
//
// A client fills in a struct drvmsg and calls drv_call(), which queues it
// and sleeps until the task has replied. The task's loop takes one request
// at a time (drv_receive: "unit of work starts"), serves it and replies
// (drv_reply: "unit ends"). The two stamps are the in-kernel hang
// detector's whole cost on the message path: unit_start set and cleared.
//
// Everything a request needs to survive a restart of its driver lives in
// the message, not in the driver: the client's memory stays valid while it
// waits, so a restarted task can be handed the same message again.
#include "kernel/virtio.h"
#include "kernel/drvctl.h"

// DRV_OUTPUT and DRV_INPUT are the UART's: output bytes, and "input is
// ready" (posted by the interrupt handler, drv_post; nobody waits for it).
enum drv_op { DRV_READ, DRV_WRITE, DRV_PING, DRV_OUTPUT, DRV_INPUT };

struct drvmsg {
  enum drv_op op;
  struct buf *b;                // DRV_READ, DRV_WRITE: the locked buffer
  struct virtio_blk_req hdr;    // disk: the request header the device reads
  volatile uchar status;        // disk: 0xff until the device writes 0 (done)
  const char *data;             // DRV_OUTPUT: the bytes, in the client's kernel memory
  int len;                      // ... how many
  int sent;                     // ... given to the UART so far: a restart resumes here
  int resubmitted;              // handed to a restarted task again
  int done;                     // the task replied; guarded by the task's lock
  int queued;                   // a posted message waits in the queue
  struct drvmsg *next;          // in the task's queue
};

// One device-register access, as the accessors log it.
struct drvio {
  uint32 off;                   // register offset from the device's base
  uint32 val;                   // value read or written
  uint32 write;                 // 1 = write
};

struct drvtask;

// What a driver provides. init runs on the task's first start; restart
// after a failure, told whether to re-initialise the device too (it may
// decide it must, and returns whether it did); valid
// reads the I/O log (drv_log_at) and says whether every access since the
// device's last initialisation was legal; serve handles one request and
// ends with drv_reply(). lock is the driver's own spinlock, or 0: a task
// that crashes holding it (or its task lock) has it released, since the
// restart rebuilds all the lock guards.
struct drvops {
  void (*init)(struct drvtask *t);
  int (*restart)(struct drvtask *t, int reinit);
  int (*valid)(struct drvtask *t);
  void (*serve)(struct drvtask *t, struct drvmsg *m);
  struct spinlock *lock;
};

// A driver's own lock: a blocking lock under the task's spinlock (the
// injected deadlock sleeps on it for ever; a restart re-initialises it).
struct drvlock {
  int held;
};

struct drvtask {
  struct spinlock lock;         // guards the fields up to `st`
  struct drvmsg *head, *tail;   // requests not yet taken
  struct drvmsg *inflight;      // taken, not yet replied
  int events;                   // interrupts notified, not yet taken
  volatile int restart;         // enum drv_why of a pending restart, or 0
  volatile int rewind;          // the scheduler must drop the task's stack
  int fault;                    // armed enum drv_fault (FAULTS=1)
  int drop_irq;                 // DRV_F_LOSTIRQ: swallow the next interrupt
  struct drvmsg ping;           // the heartbeat's message
  uint ping_sent;               // ticks + 1 when the outstanding ping was sent, 0 = none
  struct drvstat st;

  volatile uint unit_tick;      // the stamp: ticks + 1 when inflight was taken; 0 = idle
  volatile int dev_wait;        // the task waits for its device: the stamp times it
  uint64 unit_start;            // the time CSR then, for the figures
  struct proc *proc;            // the kernel thread
  const struct drvops *ops;
  uint64 base;                  // the device's registers (0: no device)

  // The I/O log: the last DRV_LOG_SIZE register accesses. log_n counts all
  // accesses ever; init_n is log_n when the device was last initialised,
  // so entries from init_n on are the device's current life.
  struct drvio log[DRV_LOG_SIZE];
  uint64 log_n;
  uint64 init_n;
};

extern struct drvtask drvtasks[NDRV];
extern int ndrvtasks;

struct drvtask *drv_create(const char *name, const struct drvops *ops, uint64 base);
void drv_start(struct drvtask *t);
void drv_call(struct drvtask *t, struct drvmsg *m);
struct drvmsg *drv_receive(struct drvtask *t);
void drv_reply(struct drvtask *t, struct drvmsg *m);
void drv_post(struct drvtask *t, struct drvmsg *m);
void drv_notify(struct drvtask *t);
void drv_wait_event(struct drvtask *t);
int drv_take_fault(struct drvtask *t, enum drv_fault f);
void drv_fail(struct drvtask *t, enum drv_why why);
void drv_panic(struct drvtask *t, char *why);
void drv_lock(struct drvtask *t, struct drvlock *lk);
void drv_unlock(struct drvtask *t, struct drvlock *lk);
uint32 drv_rd32(struct drvtask *t, uint32 off);
void drv_wr32(struct drvtask *t, uint32 off, uint32 val);
uint8 drv_rd8(struct drvtask *t, uint32 off);
void drv_wr8(struct drvtask *t, uint32 off, uint8 val);
struct drvio *drv_log_at(struct drvtask *t, uint64 n);

extern int drv_detector;
extern uint64 drv_checks, drv_check_time;
