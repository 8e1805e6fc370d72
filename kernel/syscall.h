// System call numbers. 1-21 are the xv6-riscv ABI and must never change;
// our own calls start at 22.
#define SYS_fork    1
#define SYS_exit    2
#define SYS_wait    3
#define SYS_pipe    4
#define SYS_read    5
#define SYS_kill    6
#define SYS_exec    7
#define SYS_fstat   8
#define SYS_chdir   9
#define SYS_dup    10
#define SYS_getpid 11
#define SYS_sbrk   12
#define SYS_sleep  13
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21
#define SYS_poweroff  22  // poweroff(status): sync and stop the machine
#define SYS_freepages 23  // freepages(): number of free physical pages
#define SYS_ev6_mode  24  // ev6_mode(mode): set the recovery mode, return the old
#define SYS_ev6_inject 25 // ev6_inject(object, which, offset): FAULTS=1 builds only
#define SYS_memstat   26  // memstat(struct memstat*): recovery's memory, free pages
#define SYS_busytime  27  // busytime(): time CSR units processes have run, all harts
#define SYS_audit     28  // audit(v, max, &checks): the kernel's self-audit (kernel/audit.h)
#define SYS_drvctl    29  // drvctl(cmd, arg, out): driver tasks (kernel/drvctl.h)
