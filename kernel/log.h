// The write-ahead log's state (log.c), visible to the Ev6 self-audit
// (audit.c), which checks it against the operations the ledgers list.
// Include after spinlock.h and param.h.

// The header block, on disk and in memory. block[i] is the home block
// number of the i-th logged block; n counts them. n > 0 on disk means a
// committed transaction that has not been fully installed.
struct logheader {
  int n;
  int block[LOGSIZE];
};

struct log {
  struct spinlock lock;  // protects outstanding, committing and lh
  int start;             // block number of the header
  int size;              // blocks in the log area, header included
  int outstanding;       // operations between begin_op and end_op
  int committing;        // commit() in progress; begin_op must wait
  int dev;
  struct logheader lh;   // blocks logged by the current transaction
  int ops;               // operations begun since the last commit
  // Progress of the commit in progress, so that recovery can finish it:
  int head_written;      // the commit point has passed
  int installed;         // blocks installed home and unpinned
  int aborting;          // the only operation is being rolled back
                         // (log_claim_abort); begin_op must wait
};

extern struct log log;

#if RECOVERY
// Copy of what recovery cannot recompute; log.lock guards it too.
struct log_replica {
  int aborting;
  int ops;
  int head_written;
  int installed;
  struct logheader lh;
};

extern struct log_replica log_replica;
#endif
