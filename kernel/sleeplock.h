// Long-term lock: a process that waits for it sleeps instead of spinning.
struct sleeplock {
  uint locked;        // 1 while held
  struct spinlock lk; // protects this struct
  char *name;         // for debugging
  int pid;            // holder's pid, valid while locked
};
