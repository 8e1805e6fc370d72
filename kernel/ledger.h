// The Ev6 ledger: where the kernel records what the running context holds,
// so that recovery can unwind a system call exactly (see ev6_ledger.c).
// In a RECOVERY=0 build every hook compiles to nothing.
//
//   ledger_lock(lk) / ledger_unlock(lk)       spinlocks, per hart
//   ledger_sleep(lk) / ledger_wake(lk)        sleeplocks, per process
//   ledger_buf_get(b) / ledger_buf_put(b)     locked buffers, per process
//   ledger_inode_get(ip) / ledger_inode_put(ip)
//                                             transient inode references
//   ledger_inode_keep(ip)                     the reference now belongs to a
//                                             file, a cwd or a child
//   ledger_op_begin() / ledger_op_end() / ledger_op_write()
//                                             the open log operation
struct spinlock;
struct sleeplock;
struct buf;
struct inode;

#if RECOVERY
void ledger_lock(struct spinlock *lk);
void ledger_unlock(struct spinlock *lk);
void ledger_sleep(struct sleeplock *lk);
void ledger_wake(struct sleeplock *lk);
void ledger_buf_get(struct buf *b);
void ledger_buf_put(struct buf *b);
void ledger_inode_get(struct inode *ip);
void ledger_inode_put(struct inode *ip);
void ledger_inode_keep(struct inode *ip);
void ledger_op_begin(void);
void ledger_op_end(void);
void ledger_op_write(void);
#else
#define ledger_lock(lk)        do { } while(0)
#define ledger_unlock(lk)      do { } while(0)
#define ledger_sleep(lk)       do { } while(0)
#define ledger_wake(lk)        do { } while(0)
#define ledger_buf_get(b)      do { } while(0)
#define ledger_buf_put(b)      do { } while(0)
#define ledger_inode_get(ip)   do { } while(0)
#define ledger_inode_put(ip)   do { } while(0)
#define ledger_inode_keep(ip)  do { } while(0)
#define ledger_op_begin()      do { } while(0)
#define ledger_op_end()        do { } while(0)
#define ledger_op_write()      do { } while(0)
#endif
