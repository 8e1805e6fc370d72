// Kernel-wide tunables. The values match xv6-riscv so that its user
// programs and disk images work unchanged.
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
#define TICK_CYCLES 100000 // timer interrupt interval: 10 ms at QEMU's 10 MHz
#define AUDIT_NLOCKS  8   // spinlocks in files' private structures the self-audit checks
#define AUDIT_LOCK_SAMPLES 20 // looks at a spinlock before the audit calls it inconsistent
#define AUDIT_LOCK_GAP 100 // time-CSR units between two looks (10 us)
#define AUDIT_REPORT_MAX 64 // violations user/audit prints per audit (it counts all)
