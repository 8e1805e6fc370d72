// Ev6 object types, shared by the kernel and user test programs.

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
  X(PAGE, page)

#define EV6_TYPE_ENUM(upper, lower) EV6_T_##upper,
enum ev6_type {
  EV6_TYPES(EV6_TYPE_ENUM)
  EV6_NTYPES
};
