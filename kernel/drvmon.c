// The baseline detector, idle test drivers and the drvctl() system call.
//
// The heartbeat monitor is a kernel thread in the manner of MINIX 3's
// reincarnation server: every period it sends each driver task a ping
// message, and declares dead (drv_fail) a task that has not answered a
// ping within two periods. It costs two messages per task per period and
// needs every driver's loop to answer pings (drv_entry does). It runs only
// while DRV_DET_HEARTBEAT is set; the period is switched at run time.
//
// Idle test drivers have no device: they answer pings and nothing else.
// They let the monitors' cost be measured against the number of tasks.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/drv.h"

static int period_ms = DRV_HB_PERIOD_MS;
static uint64 hb_msgs, hb_time;
static struct spinlock drvctl_lock;   // serialises drvctl's changes
extern uint ticks;
extern struct spinlock tickslock;

// One period's round: ping every task that has answered, fail every task
// whose ping is two periods old. Times are in ticks, as the in-kernel
// detector's (drv.c says why).
static void
heartbeat_round(uint period)
{
  int i, n = ndrvtasks;

  for(i = 0; i < n; i++){
    struct drvtask *t = &drvtasks[i];
    int dead = 0;

    acquire(&t->lock);
    if(t->restart){
      // being restarted: its ping waits in the queue
    } else if(t->ping_sent){
      dead = ticks + 1 - t->ping_sent >= 2 * period;
    } else {
      t->ping_sent = ticks + 1;
      t->ping.done = 0;
      t->ping.next = 0;
      if(t->tail)
        t->tail->next = &t->ping;
      else
        t->head = &t->ping;
      t->tail = &t->ping;
      t->st.pings++;
      hb_msgs += 2;     // the ping and its answer
      wakeup(t);
    }
    release(&t->lock);
    if(dead)
      drv_fail(t, DRV_W_HEARTBEAT);
  }
}

// The period in ticks (at least one).
static uint
period_ticks(void)
{
  uint64 n = (period_ms * 10000UL + TICK_CYCLES - 1) / TICK_CYCLES;

  return n > 0 ? n : 1;
}

static void
heartbeat_main(void)
{
  release(&myproc()->lock);
  intr_on();
  for(;;){
    uint t0, period;
    uint64 start;

    acquire(&tickslock);
    t0 = ticks;
    while(ticks - t0 < (period = period_ticks()))
      sleep(&ticks, &tickslock);
    release(&tickslock);
    if(!(drv_detector & DRV_DET_HEARTBEAT))
      continue;
    start = r_time();
    heartbeat_round(period);
    __atomic_fetch_add(&hb_time, r_time() - start, __ATOMIC_RELAXED);
  }
}

void
drvmon_start(void)
{
  initlock(&drvctl_lock, "drvctl");
  if(kproc("heartbeat", heartbeat_main, 0) == 0)
    panic("drvmon_start");
}

// ---------------------------------------------------------- idle drivers

static void idle_init(struct drvtask *t) { }
static int idle_restart(struct drvtask *t, int reinit) { return 0; }
static int idle_valid(struct drvtask *t) { return 1; }
static void idle_serve(struct drvtask *t, struct drvmsg *m) { drv_reply(t, m); }

static const struct drvops idle_ops = { idle_init, idle_restart, idle_valid, idle_serve, 0 };

static int
start_idle(int n)
{
  int i;

  for(i = 0; i < n; i++){
    char name[16] = "idle";
    struct drvtask *t;

    name[4] = '0' + ndrvtasks / 10;
    name[5] = '0' + ndrvtasks % 10;
    if((t = drv_create(name, &idle_ops, 0)) == 0)
      return -1;
    drv_start(t);
  }
  return 0;
}

// ----------------------------------------------------------- drvctl()

static int
arm_fault(int task, int fault)
{
#if FAULTS
  struct drvtask *t;

  if(task < 0 || task >= ndrvtasks || fault <= DRV_F_NONE || fault >= DRV_NFAULTS)
    return -1;
  t = &drvtasks[task];
  if(t->base == 0)
    return -1;      // an idle driver has no request path to fail in
  acquire(&t->lock);
  if(fault == DRV_F_LOSTIRQ)
    t->drop_irq = 1;
  else
    t->fault = fault;
  release(&t->lock);
  return 0;
#else
  return -1;
#endif
}

static void
clear_figures(void)
{
  int i;

  for(i = 0; i < ndrvtasks; i++){
    struct drvtask *t = &drvtasks[i];
    char name[16];

    acquire(&t->lock);
    safestrcpy(name, t->st.name, sizeof(name));
    memset(&t->st, 0, sizeof(t->st));
    safestrcpy(t->st.name, name, sizeof(t->st.name));
    release(&t->lock);
  }
  drv_checks = drv_check_time = 0;
  hb_msgs = hb_time = 0;
}

// drvctl(cmd, arg, out): see kernel/drvctl.h.
uint64
sys_drvctl(void)
{
  int cmd, arg, old;
  uint64 out;
  struct drvstat st;
  struct drvsys sys;
  long r = 0;

  argint(0, &cmd);
  argint(1, &arg);
  argaddr(2, &out);
  acquire(&drvctl_lock);
  switch(cmd){
  case DRVCTL_DETECTOR:
    if(arg & ~(DRV_DET_KERNEL | DRV_DET_HEARTBEAT)){
      r = -1;
      break;
    }
    old = drv_detector;
    drv_detector = arg;
    r = old;
    break;
  case DRVCTL_PERIOD:
    if(arg <= 0){
      r = -1;
      break;
    }
    r = period_ms;
    period_ms = arg;
    break;
  case DRVCTL_STAT:
    if(arg < 0 || arg >= ndrvtasks){
      r = -1;
      break;
    }
    acquire(&drvtasks[arg].lock);
    st = drvtasks[arg].st;
    st.io = drvtasks[arg].log_n;
    release(&drvtasks[arg].lock);
    release(&drvctl_lock);
    return copyout(myproc()->pagetable, out, (char *)&st, sizeof(st));
  case DRVCTL_SYS:
    memset(&sys, 0, sizeof(sys));
    sys.ntasks = ndrvtasks;
    sys.detector = drv_detector;
    sys.period_ms = period_ms;
    sys.bound = DRV_HANG_TICKS;
    sys.dev_bound = DRV_DEVICE_TICKS;
    sys.checks = drv_checks;
    sys.check_time = drv_check_time;
    sys.hb_msgs = hb_msgs;
    sys.hb_time = hb_time;
    sys.now = r_time();
    release(&drvctl_lock);
    return copyout(myproc()->pagetable, out, (char *)&sys, sizeof(sys));
  case DRVCTL_IDLE:
    r = arg < 0 ? -1 : start_idle(arg);
    break;
  case DRVCTL_FAULT:
    r = arm_fault(arg & 0xff, arg >> 8);
    break;
  case DRVCTL_CLEAR:
    clear_figures();
    break;
  default:
    r = -1;
  }
  release(&drvctl_lock);
  return r;
}
