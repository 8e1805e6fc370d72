// drvtest: driver-task faults, detection and restart, seen from user space
// (tests/drivers.sh, make bench's drivers part; docs/drivers.md).
//
//   drvtest fault KIND DETECTOR [PERIOD_MS]
//       arm fault KIND (loop, deadlock, lostirq, badwrite, corrupt, crash, lockcrash)
//       in the disk task with only DETECTOR on (kernel or heartbeat, at
//       PERIOD_MS, default 100), write and read back a file through the
//       disk, wait for the restart, and print one `drvtest:` line with what
//       the kernel recorded. KIND ev6 instead marks the disk driver's
//       state bad (ev6_inject): Ev6's recovery restarts the task the same
//       way. Needs a FAULTS=1 kernel.
//   drvtest uart KIND DETECTOR [PERIOD_MS]
//       the same in the UART task (not ev6), with console output as the
//       workload: ULINES numbered lines of 16 bytes, 4 per write(), so the
//       fault fires after a whole line (uart.c). Every line must appear
//       once, in order, on the console (tests/drivers.sh checks).
//   drvtest cons WRITES SIZE
//       WRITES console writes of SIZE bytes (lines of dots), the time
//       they took and the harts' busy time meanwhile: the console path's
//       cost per write under -icount (make bench). Needs only write() and
//       busytime(), so the direct-call kernels run it too.
//   drvtest units       every task's healthy unit maximum (the bound's basis)
//   drvtest detector D  only detector D on (none, kernel, heartbeat)
//   drvtest idle N      start N idle test driver tasks
//   drvtest cost SECONDS DETECTOR [PERIOD_MS]
//       only DETECTOR on (none, kernel, heartbeat) for SECONDS: the
//       monitors' messages and time, and the harts' busy time
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/drvctl.h"
#include "kernel/ev6_types.h"
#include "user/user.h"

#define NBLOCKS 24          // blocks the workload writes: more than one log commit
#define BSZ 1024
#define WAIT_TICKS 3000     // most a restart may take to show (30 s)
#define ULINES 32           // lines the UART workload writes
#define ULINE 16            // bytes per line: the UART's FIFO
#define UPERWRITE 4         // lines per write(): bursts after the first

static char *fault_names[] = {
#define FAULT_NAME(upper, lower) #lower,
  DRV_FAULTS(FAULT_NAME)
};
static char *why_names[] = {
#define WHY_NAME(upper, lower) #lower,
  DRV_WHYS(WHY_NAME)
};

static uint64
now(void)
{
  uint64 t;

  asm volatile("rdtime %0" : "=r"(t));
  return t;
}

static void
die(char *what)
{
  printf("drvtest: result=fail %s\n", what);
  exit(1);
}

static int
detector_of(char *s)
{
  if(strcmp(s, "none") == 0)
    return 0;
  if(strcmp(s, "kernel") == 0)
    return DRV_DET_KERNEL;
  if(strcmp(s, "heartbeat") == 0)
    return DRV_DET_HEARTBEAT;
  printf("drvtest: unknown detector %s (none, kernel, heartbeat)\n", s);
  exit(2);
}

static void
stat_of(int task, struct drvstat *st)
{
  if(drvctl(DRVCTL_STAT, task, st) < 0)
    die("drvctl(DRVCTL_STAT) failed");
}

// Write the file through the disk and read it back; the time the slowest
// system call took, in time units.
static uint64
workload(char *path, int seed)
{
  static char buf[BSZ];
  uint64 t, worst = 0;
  int fd, i, j;

  t = now();
  if((fd = open(path, O_CREATE | O_WRONLY | O_TRUNC)) < 0)
    die("cannot create the workload's file");
  worst = now() - t;
  for(i = 0; i < NBLOCKS; i++){
    for(j = 0; j < BSZ; j++)
      buf[j] = seed + i + j;
    t = now();
    if(write(fd, buf, BSZ) != BSZ)
      die("write failed");
    if(now() - t > worst)
      worst = now() - t;
  }
  t = now();
  close(fd);
  if(now() - t > worst)
    worst = now() - t;
  if((fd = open(path, O_RDONLY)) < 0)
    die("cannot open the workload's file");
  for(i = 0; i < NBLOCKS; i++){
    if(read(fd, buf, BSZ) != BSZ)
      die("read failed");
    for(j = 0; j < BSZ; j++)
      if(buf[j] != (char)(seed + i + j))
        die("the file read back differs from what was written");
  }
  close(fd);
  return worst;
}

// Write ULINES numbered lines to the console; the time the slowest
// write took, in time units.
static uint64
uart_workload(void)
{
  char buf[ULINE * UPERWRITE];
  uint64 t, worst = 0;
  int i, j, k;

  for(i = 0; i < ULINES; i += UPERWRITE){
    for(j = 0; j < UPERWRITE; j++){
      char *l = buf + j * ULINE;
      int n = i + j + 1;

      memmove(l, "uart-line #0000\n", ULINE);
      for(k = 14; k >= 11; k--, n /= 10)
        l[k] = '0' + n % 10;
    }
    t = now();
    if(write(1, buf, sizeof(buf)) != sizeof(buf))
      die("console write failed");
    if(now() - t > worst)
      worst = now() - t;
  }
  return worst;
}

static void
fault(int task, int argc, char **argv)
{
  struct drvstat before, st;
  int kind, det, period = argc > 4 ? atoi(argv[4]) : 100, waited;
  uint64 worst;

  for(kind = 1; kind < DRV_NFAULTS; kind++)
    if(strcmp(argv[2], fault_names[kind]) == 0)
      break;
  if(kind == DRV_NFAULTS && (strcmp(argv[2], "ev6") != 0 || task != DRV_TASK_DISK)){
    printf("drvtest: unknown fault %s\n", argv[2]);
    exit(2);
  }
  det = detector_of(argv[3]);
  drvctl(DRVCTL_PERIOD, period, 0);
  drvctl(DRVCTL_DETECTOR, det, 0);
  stat_of(task, &before);
  if(kind == DRV_NFAULTS){
    // The first byte of the driver's state: the descriptor table's address.
    if(ev6_inject(EV6_T_DISK, 0, 0, 0) == -1)
      die("ev6_inject refused: not a FAULTS=1 kernel with recovery?");
  } else if(drvctl(DRVCTL_FAULT, task | kind << 8, 0) < 0)
    die("drvctl(DRVCTL_FAULT) refused: not a FAULTS=1 kernel?");
  if(task == DRV_TASK_UART)
    worst = uart_workload();
  else
    worst = workload("drvtest.tmp", kind);
  for(waited = 0; ; waited++){
    stat_of(task, &st);
    if(st.restarts > before.restarts && st.t_back != 0)
      break;
    if(waited == WAIT_TICKS)
      die("no restart seen");
    sleep(1);
  }
  drvctl(DRVCTL_DETECTOR, DRV_DET_KERNEL, 0);
  if(task == DRV_TASK_DISK)
    unlink("drvtest.tmp");
  printf("drvtest: result=pass fault=%s detector=%s period_ms=%d why=%s reinit=%d "
         "restarts=%ld resubmitted=%ld answered=%ld detect_us=%ld restart_us=%ld "
         "back_us=%ld user_us=%ld detect_ticks=%ld task=%s\n",
         kind == DRV_NFAULTS ? "ev6" : fault_names[st.last_fault], argv[3], period, why_names[st.last_why],
         st.last_reinit, st.restarts - before.restarts, st.resubmitted - before.resubmitted,
         st.answered - before.answered, (st.t_detect - st.t_fault) / 10,
         (st.t_restart1 - st.t_restart0) / 10, (st.t_back - st.t_fault) / 10, worst / 10, st.k_detect - st.k_fault, st.name);
}

static void
cons(int writes, int size)
{
  static char buf[512];
  uint64 t, busy;
  int i;

  if(writes <= 0 || size <= 0 || size > sizeof(buf))
    die("cons: WRITES must be > 0 and SIZE 1-512");
  memset(buf, '.', size - 1);
  buf[size - 1] = '\n';
  busy = busytime();
  t = now();
  for(i = 0; i < writes; i++)
    if(write(1, buf, size) != size)
      die("console write failed");
  t = now() - t;
  busy = busytime() - busy;
  printf("drvtest: cons writes=%d bytes=%d time=%ld busy=%ld\n", writes, size, t, busy);
}

static void
units(void)
{
  struct drvsys sys;
  struct drvstat st;
  int i;

  if(drvctl(DRVCTL_SYS, 0, &sys) < 0)
    die("drvctl(DRVCTL_SYS) failed");
  for(i = 0; i < sys.ntasks; i++){
    stat_of(i, &st);
    printf("drvtest: task=%s units=%ld unit_max_us=%ld unit_max_ticks=%ld dev_max_ticks=%ld "
           "io=%ld restarts=%ld bound_ticks=%ld dev_bound_ticks=%ld\n", st.name, st.units,
           st.unit_max / 10, st.unit_max_ticks, st.dev_max_ticks, st.io, st.restarts,
           sys.bound, sys.dev_bound);
  }
}

static void
cost(int argc, char **argv)
{
  struct drvsys a, b;
  int secs = atoi(argv[2]), det = detector_of(argv[3]);
  int period = argc > 4 ? atoi(argv[4]) : 1000;
  uint64 busy0, busy;

  if(secs <= 0)
    die("cost: SECONDS must be > 0");
  drvctl(DRVCTL_PERIOD, period, 0);
  drvctl(DRVCTL_DETECTOR, det, 0);
  drvctl(DRVCTL_CLEAR, 0, 0);
  drvctl(DRVCTL_SYS, 0, &a);
  busy0 = busytime();
  sleep(secs * 100);
  busy = busytime() - busy0;
  drvctl(DRVCTL_SYS, 0, &b);
  drvctl(DRVCTL_DETECTOR, DRV_DET_KERNEL, 0);
  // Per mille of one hart's time over the interval.
  printf("drvtest: cost tasks=%d detector=%s period_ms=%d seconds=%d msgs_per_s=%ld "
         "hb_time_us=%ld checks=%ld check_time_us=%ld busy_us=%ld interval_us=%ld\n",
         b.ntasks, argv[3], period, secs, (b.hb_msgs - a.hb_msgs) / secs,
         (b.hb_time - a.hb_time) / 10, b.checks - a.checks, (b.check_time - a.check_time) / 10,
         busy / 10, (b.now - a.now) / 10);
}

int
main(int argc, char **argv)
{
  if(argc >= 4 && strcmp(argv[1], "fault") == 0)
    fault(DRV_TASK_DISK, argc, argv);
  else if(argc >= 4 && strcmp(argv[1], "uart") == 0)
    fault(DRV_TASK_UART, argc, argv);
  else if(argc == 4 && strcmp(argv[1], "cons") == 0)
    cons(atoi(argv[2]), atoi(argv[3]));
  else if(argc == 2 && strcmp(argv[1], "units") == 0)
    units();
  else if(argc == 3 && strcmp(argv[1], "detector") == 0)
    drvctl(DRVCTL_DETECTOR, detector_of(argv[2]), 0);
  else if(argc == 3 && strcmp(argv[1], "idle") == 0){
    if(drvctl(DRVCTL_IDLE, atoi(argv[2]), 0) < 0)
      die("drvctl(DRVCTL_IDLE) failed: too many tasks?");
  } else if(argc >= 4 && strcmp(argv[1], "cost") == 0)
    cost(argc, argv);
  else {
    printf("usage: drvtest fault|uart KIND kernel|heartbeat [PERIOD_MS] | units | detector D | idle N |"
           " cost SECONDS none|kernel|heartbeat [PERIOD_MS] | cons WRITES SIZE\n");
    exit(2);
  }
  exit(0);
}
