// Mutual-exclusion lock that spins. Held with interrupts off on the holding
// hart (see push_off in spinlock.c).
struct spinlock {
  uint locked;       // 1 while held; changed only with amoswap
  char *name;        // for debugging and for the recovery report
  struct cpu *cpu;   // holding hart, valid while locked
};
