// Ev6 object types, once: the kernel, the user test programs and the
// campaign (campaign/vocab.c) take them from here, and the GDB scripts from
// the kernel's debug info (enum ev6_type).

// Object types the registry knows. Those without a handler (ev6_rules.c)
// cannot be recovered and always fail-stop.
// Every object type, once (user programs take the names from here too).
#define EV6_TYPES(X) \
  X(UNKNOWN, unknown) \
  X(BUF, buf) X(LOG, log) X(FILE, file) X(INODE, inode) X(PIPE, pipe) \
  X(CONS, cons) X(DEVSW, devsw) X(PR, pr) \
  X(PROC, proc) X(CPU, cpu) X(TRAPFRAME, trapframe) X(KSTACK, kstack) \
  X(TEXT, text) X(DISK, disk) X(KMEM, kmem) X(RUN, run) \
  X(PAGETABLE, pagetable) X(REGISTRY, registry) X(SHEPHERD, shepherd) \
  X(PAGE, page) X(RETIRED, retired) X(SB, sb)

// Flags of the ev6_inject system call (FAULTS=1 kernels): touch the object
// at once; and make the next recovery wait, before its surgery, until n
// more errors have queued behind it (at most 3 s), so that concurrent
// errors overlap deterministically (the paper's Table 3).
#define EV6_INJECT_NOW         1
#define EV6_INJECT_OVERLAP(n)  ((n) << 8)
// ... or then execute an illegal instruction: kerneltrap's panic path
// reports it with printf (the paper's pr/kerneltrap row).
#define EV6_INJECT_KERNEL_FAULT 2
// Or only ask whether an error is awaited now: a recovery waits for
// overlapping errors, or a held commit (EV6_INJECT_COMMIT) for the error
// that repairs the log (1 or 0; marks nothing): a process times its error
// to meet it.
#define EV6_INJECT_WAITING     4
// TRACE=1 kernels (kernel/ev6_trace.c): `which` 1 starts recording every
// access to a registered object at the next exec, 2 prints the record.
#define EV6_INJECT_TRACE       8
// Or let the hart's own page-table walk meet the damage once it is back in
// user mode: the call returns through a hardware error at the marked
// address, taken in usertrap as the MMU's would be (ev6_user_error).
#define EV6_INJECT_USER        16
// Or (log only) hold log.lock on this hart, as a running hart's long
// critical section, while a recovery of the log waits for overlapping
// errors: until it stops waiting, then 1.5 x EV6_LOCK_WAIT; returns once
// the log is repaired (at most EV6_LOCK_STUCK later). Returns 0 if
// the log was still bad when the lock was let go (its surgery waited for
// this holder), 1 if it was repaired under it, 2 if no recovery was
// waiting when the lock was taken.
#define EV6_INJECT_HOLD        32
// Or (log only) commit a transaction of the caller's own (the superblock,
// logged unchanged), holding the commit in flight once it has installed
// the transaction and recorded it done, before the empty header is
// written: the log is marked bad there, and the commit waits (at most
// EV6_LOCK_STUCK) until another process's error has repaired it, while
// EV6_INJECT_WAITING says 1. Returns 0 if the log still recorded the
// transaction done after its restore, 1 if the restore brought the
// installed transaction back, 2 if no error came to repair the log, -1
// if another operation kept the caller's from committing.
#define EV6_INJECT_COMMIT      64
// Or (file only) once an audit runs (at most EV6_LOCK_STUCK from the
// call), stop this hart inside release() of ftable.lock for `offset` ms,
// interrupts off: its ledger no longer lists the lock, whose word is still
// set (the self-audit must not call that damage). Returns 1 if the audit
// that ran when it stopped was still running when it let go, 0 if that
// audit had ended, -1 if no audit came.
#define EV6_INJECT_RELEASING   128
// Or (pipe only) with offset 0, hold the caller's next piperead that
// must wait between its killed() check and its sleep until the caller is
// killed (at most EV6_LOCK_STUCK), interrupts off, holding the pipe's
// lock; returns 0. With offset 1, ask about that hold: 0 not begun, -2
// holding now, -1 it ran out of time, else the pid killed inside it.
#define EV6_INJECT_KILLWINDOW  (1 << 16)  // above EV6_INJECT_OVERLAP's byte
// Or (pipe only) with offset 0, hold the caller's next pipeclose, its
// end's last file freed, before it takes the pipe's lock: the pipe is
// marked bad there, and the close waits (at most EV6_LOCK_STUCK each)
// until another process's error has repaired the pipe and that process
// has closed the other end; returns 0. With offset 1, ask about that
// hold: 0 not begun, -2 holding now, -1 it ran out of time, 1 it went on.
#define EV6_INJECT_CLOSEWINDOW (1 << 17)
// Or disarm the site armed with which < 0, if no process has reached it
// yet (object damaged meanwhile stays so until its recovery); returns 0.
#define EV6_INJECT_DISARM      (1 << 18)
// Or (pagetable only) with offset 0, hold the next unwound call's settle
// of address spaces (ptrep_settle) when it comes to the caller's page
// table, until the caller's process slot is free (its parent reaped it;
// at most EV6_LOCK_STUCK), interrupts on, no lock held; returns 0. With
// offset 1, ask about that hold: 0 not begun, -2 holding now, -1 it ran
// out of time, 1 it went on.
#define EV6_INJECT_SETTLEWINDOW (1 << 19)
// With which < 0 (arming a site): on the hit, damage the data instead of
// marking it bad, as the campaign's bit flips and breakpoint delivery do:
// bit 1 of the byte is flipped and only the hart at the site takes the
// error. At offset 0 of the log that is its lock word, set with no holder
// (or left to a holder's release): the recovery goes through
// ev6_seize_spinlock's EV6_LOCK_WAIT while other harts spin on it. Not
// armed while a recovery runs (one damage at a time, as in a campaign run).
#define EV6_INJECT_FLIP        (1 << 20)
// Or (log only) with offset 0, hold the caller's operation, still open
// (its blocks in the current transaction, which cannot commit meanwhile),
// interrupts on, until offset 2 releases it (at most EV6_LOCK_STUCK):
// with which EV6_OPWINDOW_END_OP at its next end_op, before log.lock;
// with EV6_OPWINDOW_LOG_WRITE inside its next log_write, the ledger
// already naming the block, before log.lock; returns 0. With offset 1,
// ask about that hold: 0 not begun, -2 holding now, -1 it ran out of
// time, 1 it was released.
#define EV6_INJECT_OPWINDOW    (1 << 21)
#define EV6_OPWINDOW_END_OP    0
#define EV6_OPWINDOW_LOG_WRITE 1
#define EV6_NOPWINDOWS         2

// Parts of objects that a fault-injection scenario may aim at. They are
// not types of their own: the registry reports the object holding them
// (a spinlock inside a pipe is a pipe), and each object's handler rebuilds
// them (ev6_seize_spinlock, ev6_rebuild_sleeplock).
#define EV6_PARTS(X) X(spinlock) X(sleeplock) X(context)

#define EV6_TYPE_ENUM(upper, lower) EV6_T_##upper,
enum ev6_type {
  EV6_TYPES(EV6_TYPE_ENUM)
  EV6_NTYPES
};
