// Kernel-wide tunables, all of them. The file-system and process limits
// match xv6-riscv, so that its user programs and disk images work
// unchanged. Values derived from these stay beside their use (MAXWRITE in
// file.c, NREPAIRED in ev6.c). mkfs, fsck and user programs include this
// file too: plain #defines only.
#define NPROC        64   // maximum number of processes
#define NCPU          8   // maximum number of harts
#define NOFILE       16   // open files per process
#define NFILE       100   // open files in the whole system
#define NINODE       50   // in-memory inodes
#define NDEV         10   // device major numbers
#define ROOTDEV       1   // device number of the root file system
#define MAXARG       32   // exec arguments
#define MAXOPBLOCKS  10   // blocks one file-system operation may write
#define LOGSIZE      (MAXOPBLOCKS*3)  // data blocks in the on-disk log (30)
#define NBUF         (MAXOPBLOCKS*3)  // buffers in the block cache (30)
#define FSSIZE     2000   // file-system size in blocks
#define MAXPATH     128   // longest path name
#define PIPESIZE    512   // bytes a pipe buffers
#define INPUT_BUF_SIZE 128   // bytes of typed console input buffered
#define UART_MSG_SIZE  128   // console output bytes one message to the UART task carries
#define UART_FIFO       16   // the 16550's transmit FIFO: bytes written per THR-empty
#define UART_DRAIN_SPINS 1000000   // poweroff: polls for the UART to empty, then stop anyway
#define TICK_CYCLES 100000 // timer interrupt interval: 10 ms at QEMU's 10 MHz

// Ev6 recovery (kernel/ev6*.c, kernel/ledger.h).
#define LEDGER_MAX        8  // entries in each ledger list (proc.h: a hart's, a process's)
#define EV6_HISTORY_MAX  32  // frames of the interrupted call history that are walked
#define EV6_QUEUE_MAX     4  // errors that may wait in the shepherd's queue; one more fail-stops
#define NDEFER            8  // wakeups a recovering hart may defer until it holds no lock
#define NPOISON          16  // addresses remembered as bad until their object is rebuilt
#define NRANGES          32  // static tables the registry can map
#define EV6_TEXT_PAGES   64  // most pages of kernel code the text copy covers (256 KB)
#define EV6_LOCK_WAIT 10000000  // time-CSR units (1 s) a lock word stays set with no holder before surgery calls it damage
#define EV6_LOCK_STUCK 100000000 // time-CSR units (10 s) surgery waits for a lock before it stops the kernel
#define EV6_SEIZE_SPINS 100     // tries of a free-looking lock by surgery between looks at the ledger
#define EV6_TRYLOCK_SPINS 10000 // tries of a process's lock by its state's surgery: < 1 ms
#define EV6_OVERLAP_TICKS 300 // FAULTS=1: most ticks (3 s) a recovery waits for overlaps
#define NWGEN   64         // inode content generations (fs.c), shared by inum % NWGEN
#define NPTREP  (2*NPROC)  // user page tables with replicas: a process's, and its exec's new one
#define PTREP_CHUNK_PAGES 1900 // user pages one replica page describes (7.4 MB)
#define PTREP_NCHUNK 18    // replica pages per address space: 133 MB of user memory
#define PTREP_NRUNS  16    // runs of equal permissions in one address space
#if TRACE
#define KPLAN_MAX (11 + NPROC) // regions kvmmap maps: devices, RAM, trampoline, kernel stacks, shadow
#define KPT_SLOTS 5        // L2 slots the kernel's table uses: devices, RAM, top, 2 of shadow
#else
#define KPLAN_MAX (8 + NPROC) // regions kvmmap maps: devices, RAM, trampoline, kernel stacks
#define KPT_SLOTS 3        // L2 slots the kernel's table uses: devices, RAM, top
#endif
#define KMEM_QUIET_SPINS 100000 // looks at kmem.lock by kmem recovery before another holder is given up on
#define EV6_FAILSTOP_WAIT 10000000 // time-CSR units (1 s) a fail-stop waits for other harts' reports
                                  // (only while one is printing: a loaded host keeps a virtual hart
                                  // off its CPU for tens of ms, and 10 ms once let a fail-stop's line
                                  // split a recovered report, which the campaign could not read)

// Access tracing (TRACE=1 kernels, kernel/ev6_trace.c).
#define TRACE_NREC  1000000  // accesses one golden run can record (24 bytes each)

// Driver tasks (kernel/drv.c, drvmon.c; docs/drivers.md). Times in
// time-CSR units (10 MHz: 10000 = 1 ms).
#define NDRV           40   // driver tasks: the disk, the UART and up to 38 idle test drivers
#define DRV_LOG_SIZE   64   // register accesses each task's I/O log keeps
// The two bounds come from the healthy maxima under the full usertests with
// the detector off (`drvtest detector none`, usertests, `drvtest units`;
// docs/drivers.md): own work at most 1 tick, device waits at most 12 ticks
// (24 at 3 harts) on a loaded host (load average 12 on 2 cores), times 4.
#define DRV_HANG_TICKS  4   // a driver's own work taking more ticks than this is a hang
#define DRV_DEVICE_TICKS 100 // a device answering in more ticks than this: hung (lost interrupt)
#define DRV_HB_PERIOD_MS 5000 // heartbeat period at boot (MINIX 3's usual setting)
#define DRV_DRAIN_WAIT 10000000 // restart: most a device may take to finish its queue (1 s)

// The self-audit (kernel/audit.c).
#define AUDIT_NLOCKS  8   // spinlocks in files' private structures the self-audit checks
#define AUDIT_LOCK_SAMPLES 20 // looks at a spinlock before the audit calls it inconsistent
#define AUDIT_LOCK_GAP 100 // time-CSR units between two looks (10 us)
#define AUDIT_REPORT_MAX 64 // violations user/audit prints per audit (it counts all)
