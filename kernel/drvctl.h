// Driver tasks as user programs see them: the drvctl() system call's
// commands, the faults a test may arm in a driver task (FAULTS=1 kernels),
// why a task was restarted, and the figures the kernel keeps per task.
// Plain definitions only: user programs include this file (user/drvtest.c).

// Detectors (DRVCTL_DETECTOR's bit mask).
#define DRV_DET_KERNEL    1   // the in-kernel unit-age check (timer, scheduler)
#define DRV_DET_HEARTBEAT 2   // the heartbeat monitor (ping every period)

// drvctl(cmd, arg, out) commands. Each returns -1 for a bad argument.
#define DRVCTL_DETECTOR 1  // arg: detector mask; returns the old mask
#define DRVCTL_PERIOD   2  // arg: heartbeat period in ms (> 0); returns the old
#define DRVCTL_STAT     3  // arg: task index; out: struct drvstat
#define DRVCTL_SYS      4  // out: struct drvsys
#define DRVCTL_IDLE     5  // arg: start this many idle test driver tasks
#define DRVCTL_FAULT    6  // arg: task | fault << 8: arm a fault in task (an index
                           // below, DRV_TASK_*) (FAULTS=1 only)
#define DRVCTL_CLEAR    7  // zero every task's and the monitors' figures

// Task indices of the real drivers, for DRVCTL_FAULT and DRVCTL_STAT (whose
// struct drvstat also names the task); idle test drivers follow them.
#define DRV_TASK_DISK 0   // virtio-blk (kernel/virtio_disk.c)
#define DRV_TASK_UART 1   // the console's 16550 UART (kernel/uart.c)

// Faults a test arms in a task; each fires once, in the next request the
// task takes.
#define DRV_FAULTS(X) \
  X(NONE, none) X(LOOP, loop) X(DEADLOCK, deadlock) X(LOSTIRQ, lostirq) \
  X(BADWRITE, badwrite) X(CORRUPT, corrupt) X(CRASH, crash) \
  X(LOCKCRASH, lockcrash)

// Why a task was restarted.
#define DRV_WHYS(X) \
  X(NONE, none) X(HANG, hang) X(HEARTBEAT, heartbeat) X(CRASH, crash) X(EV6, ev6)

#define DRV_ENUM_FAULT(upper, lower) DRV_F_##upper,
#define DRV_ENUM_WHY(upper, lower) DRV_W_##upper,
enum drv_fault { DRV_FAULTS(DRV_ENUM_FAULT) DRV_NFAULTS };
enum drv_why { DRV_WHYS(DRV_ENUM_WHY) DRV_NWHYS };

// One task's figures. Times are time-CSR values (10 MHz); 0 = not yet.
struct drvstat {
  char name[16];
  unsigned long units;        // requests served (taken to reply)
  unsigned long unit_max;     // longest healthy unit, time units
  unsigned long unit_max_ticks; // ... of the driver's own work, in the detector's ticks
  unsigned long dev_max_ticks;  // longest healthy wait for the device, ticks
  unsigned long restarts;     // restarts so far
  unsigned long reinits;      // ... of which re-initialised the device
  unsigned long resubmitted;  // requests given to the task again after a restart
  unsigned long answered;     // ... of which the device had already done
  int last_why;               // enum drv_why of the latest restart
  int last_fault;             // enum drv_fault that fired last
  int last_reinit;            // the latest restart re-initialised the device
  int last_dev_wait;          // ... was detected while the task waited for its device
  unsigned long t_fault;      // the armed fault fired
  unsigned long t_detect;     // a detector declared the task failed
  unsigned long t_restart0;   // the restart began (the task's fresh stack)
  unsigned long t_restart1;   // it ended: the task takes requests again
  unsigned long t_back;       // the first reply after the restart
  unsigned long k_fault;      // ticks when the fault fired
  unsigned long k_detect;     // ticks when it was detected
  unsigned long pings;        // heartbeat pings sent to the task
  unsigned long pongs;        // ... answered
  unsigned long io;           // device-register accesses logged
};

// The monitors' figures, for all tasks together.
struct drvsys {
  int ntasks;
  int detector;               // DRV_DET_* mask
  int period_ms;              // heartbeat period
  unsigned long bound;        // the in-kernel bound on the driver's own work, ticks
  unsigned long dev_bound;    // ... on a wait for the device, ticks
  unsigned long checks;       // in-kernel checks made (per task looked at)
  unsigned long check_time;   // time units spent in them
  unsigned long hb_msgs;      // heartbeat messages (pings + replies)
  unsigned long hb_time;      // time units the heartbeat monitor ran
  unsigned long now;          // the time CSR when this was read
};
