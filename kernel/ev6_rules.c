// Ev6 after-treatment rules and handlers, one table per object, in one
// place. A rule reads: if this function is in the interrupted call history
// and the mode matches, leave by this exit. The first matching rule wins;
// the last line of each table is the default.
//
// The starting point is the paper's Table 1. Beyond these tables, ev6.c
// fail-stops whenever the context cannot be unwound exactly (no process,
// inside an interrupt handler, a ledger overflow, inside the scheduler),
// and conservative mode fail-stops an SF/PK that would commit half of a
// file-system operation shared with other processes.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/ev6.h"

#if RECOVERY
static const struct ev6_rule buf_rules[] = {
  { "bfree",     EV6_CONS, EV6_EXIT_FS },
  { "bwrite",    EV6_CONS, EV6_EXIT_FS },
  { "exit",      EV6_BOTH, EV6_EXIT_PK },
  { "iupdate",   EV6_BOTH, EV6_EXIT_PK },
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule log_rules[] = {
  { "log_write", EV6_CONS, EV6_EXIT_FS },
  { "log_write", EV6_AGGR, EV6_EXIT_PK },
  { "fileclose", EV6_CONS, EV6_EXIT_FS },
  { "exit",      EV6_BOTH, EV6_EXIT_PK },
  { "sys_chdir", EV6_BOTH, EV6_EXIT_PK },
  { "begin_op",  EV6_BOTH, EV6_EXIT_PK },
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule file_rules[] = {
  { "sys_write", EV6_CONS, EV6_EXIT_FS },
  { "filewrite", EV6_AGGR, EV6_EXIT_PK },
  { "exit",      EV6_BOTH, EV6_EXIT_PK },
  { "fork",      EV6_BOTH, EV6_EXIT_PK },
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule inode_rules[] = {
  { "itrunc",    EV6_CONS, EV6_EXIT_FS },
  { "iput",      EV6_CONS, EV6_EXIT_FS },
  { "iupdate",   EV6_CONS, EV6_EXIT_FS },
  { "writei",    EV6_CONS, EV6_EXIT_FS },
  { "exit",      EV6_BOTH, EV6_EXIT_PK },
  { "fork",      EV6_BOTH, EV6_EXIT_PK },
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

// Inside exit (its pipeclose) the process goes: a failed exit would
// return to a program whose exit() never returns.
static const struct ev6_rule pipe_rules[] = {
  { "exit",      EV6_BOTH, EV6_EXIT_PK },
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule cons_rules[] = {
  { "consoleintr", EV6_BOTH, EV6_EXIT_FS },
  { 0,             EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule devsw_rules[] = {
  { 0,           EV6_BOTH, EV6_EXIT_SF },
};

static const struct ev6_rule pr_rules[] = {
  { "panic",      EV6_BOTH, EV6_EXIT_FS },
  { "kerneltrap", EV6_BOTH, EV6_EXIT_FS },
  { 0,            EV6_BOTH, EV6_EXIT_PK },
};

// The allocator (kmem) and a free page (run): the paper's PK. The
// interrupted kalloc/kfree never completed, so its caller is left with
// nothing half-done that the process's exit does not free.
static const struct ev6_rule kmem_rules[] = {
  { 0,            EV6_BOTH, EV6_EXIT_PK },
};

// A page-table page is restored exactly from its replica, and the
// unwound call's address space settled (ptrep_settle): the call fails
// (SF), or, inside exit, the process goes (PK); the kernel's own pages
// take no exit (ev6.c). The paper (PTDUP): PK, or FS in conservative mode.
static const struct ev6_rule pagetable_rules[] = {
  { "exit",       EV6_BOTH, EV6_EXIT_PK },
  { 0,            EV6_BOTH, EV6_EXIT_SF },
};

// The superblock is only read: restored, the interrupted call simply fails.
static const struct ev6_rule sb_rules[] = {
  { "exit",       EV6_BOTH, EV6_EXIT_PK },
  { 0,            EV6_BOTH, EV6_EXIT_SF },
};

// The trapframe, saved context or kernel stack of a process that is not
// running: its owner is killed (ev6_proc.c); the interrupted code goes on.
static const struct ev6_rule procstate_rules[] = {
  { 0,            EV6_BOTH, EV6_EXIT_PK },
};

// A user page: its owner is killed (ev6_upage.c), whatever it was doing.
static const struct ev6_rule page_rules[] = {
  { 0,            EV6_BOTH, EV6_EXIT_PK },
};

// Kernel code: restored from its copy, the interrupted code goes on
// (ev6_text.c); the rules are never asked.
static const struct ev6_rule text_rules[] = {
  { 0,            EV6_BOTH, EV6_EXIT_NONE },
};

// The disk driver's state is only ever touched by its task: PK there is
// the task's restart (drv.c), whatever the history.
static const struct ev6_rule disk_rules[] = {
  { 0,           EV6_BOTH, EV6_EXIT_PK },
};

// Objects without a handler (surgery == 0) always fail-stop. With no
// consumer (.scrub, ev6.h) the tables restored from a replica or fixed
// values and read without a lock repair in the background: devsw, sb and
// text. The others decide from the consumer's history or its ledger what
// the repair may discard (a dirty buffer, an open log operation, a
// file's references), so their errors wait, poisoned, for a consumer.
const struct ev6_handler ev6_handlers[EV6_NTYPES] = {
  [EV6_T_BUF]   = { "buf",   EV6_INITIALIZE, buf_rules,   buf_recover },
  [EV6_T_LOG]   = { "log",   EV6_RESTORE,    log_rules,   log_recover },
  [EV6_T_FILE]  = { "file",  EV6_RESTORE,    file_rules,  file_recover },
  [EV6_T_INODE] = { "inode", EV6_INITIALIZE, inode_rules, inode_recover },
  [EV6_T_PIPE]  = { "pipe",  EV6_INITIALIZE, pipe_rules,  pipe_recover },
  [EV6_T_CONS]  = { "cons",  EV6_INITIALIZE, cons_rules,  cons_recover },
  [EV6_T_DEVSW] = { "devsw", EV6_RESTORE,    devsw_rules, devsw_recover, .scrub = devsw_scrub },
  [EV6_T_PR]    = { "pr",    EV6_RESTORE,    pr_rules,    pr_recover },
  [EV6_T_KMEM]  = { "kmem",  EV6_RESTORE,    kmem_rules,  kmem_recover },
  [EV6_T_RUN]   = { "run",   EV6_DISCARD,    kmem_rules,  kmem_recover },
  [EV6_T_PAGETABLE] = { "pagetable", EV6_RESTORE, pagetable_rules, pagetable_recover },
  [EV6_T_SB]    = { "sb",    EV6_RESTORE,    sb_rules,    sb_recover, .scrub = sb_recover },
  [EV6_T_PROC]      = { "proc",      EV6_DISCARD, procstate_rules, procstate_recover, 1 },
  [EV6_T_TRAPFRAME] = { "trapframe", EV6_DISCARD, procstate_rules, procstate_recover, 1 },
  [EV6_T_KSTACK]    = { "kstack",    EV6_DISCARD, procstate_rules, procstate_recover, 1 },
  [EV6_T_PAGE]      = { "page",      EV6_DISCARD, page_rules,      upage_recover,     1 },
  [EV6_T_TEXT]      = { "text",      EV6_RESTORE, text_rules,      text_recover,      0, 1,
                        .scrub = text_recover },
  [EV6_T_DISK]  = { "disk",  EV6_INITIALIZE, disk_rules,  disk_recover },
};

#define EV6_TYPE_NAME(upper, lower) #lower,
const char *ev6_type_names[EV6_NTYPES] = { EV6_TYPES(EV6_TYPE_NAME) };
#endif
