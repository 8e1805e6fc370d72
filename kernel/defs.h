// Kernel-internal interfaces, one section per source file.
struct buf;
struct drvtask;
struct context;
struct file;
struct inode;
struct pipe;
struct proc;
struct spinlock;
struct sleeplock;
struct stat;
struct superblock;

// audit.c: the Ev6 self-audit (RECOVERY=1 builds)
void            audit_lock_add(struct spinlock *lk);
int             audit_running(void);
int             audits_begun(void);

// bio.c: block cache
void            binit(void);
struct buf*     bread(uint dev, uint blockno);
void            brelse(struct buf *b);
void            bwrite(struct buf *b);
void            bpin(struct buf *b);
void            bunpin(struct buf *b);

// console.c
void            consoleinit(void);
void            consoleintr(int c);
void            consputc(int c);
int             consoleread(int user_dst, uint64 dst, int n);
int             consolewrite(int user_src, uint64 src, int n);
int             consoleroom(void);

// registration of each subsystem's objects with the Ev6 registry; each
// returns the bytes of replicas it keeps for recovery
uint64          log_register(void);
uint64          ftable_register(void);
uint64          itable_register(void);
uint64          cons_register(void);
uint64          pr_register(void);
uint64          kmem_register(void);
uint64          disk_register(void);
uint64          sb_register(void);
int             alloc_desc(void);
int             file_inode_refs(struct inode *ip);
int             file_count_refs(struct file *f);
int             inode_count_refs(struct inode *ip);
int             log_count_ops(void);
void            file_pipe_ends(struct pipe *pi, int *readable, int *writable);
void            log_restore(struct superblock *sb, int dev);

// fi.c (FAULTS=1 builds)
void            fi_exec_hook(char *name);
void            fi_arm_poison(int site, int offset, int flip);
void            fi_disarm(void);
uint64          fi_walk_met(pagetable_t root, uint64 va, uint64 sepc);
void            fi_walk_repaired(void *base, uint64 size);
#define FI_WALK_AGAIN 1   // fi_walk_met: raised already, fault again
#if TRACE
void            ev6_trace_exec(void);
void            ev6_trace_exec_begin(void);
int             ev6_trace_ctl(int which);
void            trace_shadow_clear(void);
void            trace_shadow_map(pagetable_t kpgtbl);
void            trace_shadow_mark(int type, void *base, uint64 n, int on);
void            ev6_registry_unmark(void);
#endif

// exec.c
int             exec(char *path, char **argv);

// file.c: open-file table
struct file*    filealloc(void);
void            fileclose(struct file *f);
struct file*    filedup(struct file *f);
void            fileinit(void);
int             fileread(struct file *f, uint64 addr, int n);
int             filestat(struct file *f, uint64 addr);
int             filewrite(struct file *f, uint64 addr, int n);

// fs.c: inodes, directories, path names
void            fsinit(int dev);
int             dirlink(struct inode *dp, char *name, uint inum);
struct inode*   dirlookup(struct inode *dp, char *name, uint *poff);
struct inode*   ialloc(uint dev, short type);
struct inode*   idup(struct inode *ip);
void            iinit(void);
void            ilock(struct inode *ip);
void            iput(struct inode *ip);
void            iunlock(struct inode *ip);
void            iunlockput(struct inode *ip);
void            iupdate(struct inode *ip);
int             namecmp(const char *s, const char *t);
struct inode*   namei(char *path);
struct inode*   nameiparent(char *path, char *name);
int             readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n);
void            stati(struct inode *ip, struct stat *st);
int             writei(struct inode *ip, int user_src, uint64 src, uint off, uint n);
void            itrunc(struct inode *ip);
// ev6_upage.c: a process's program image, for re-reading its clean pages
void            upage_image_begin(struct proc *p, struct inode *ip);
void            upage_image_seg(struct proc *p, uint64 va, uint64 memsz, uint off, uint filesz, int writable);
void            upage_image_commit(struct proc *p);
void            upage_image_fork(struct proc *np, struct proc *p);
uint            inode_wgen(uint inum);
int             inode_reread(uint dev, uint inum, uint gen, uint64 dst, uint off, uint n);
void            inode_forget(uint dev, uint blockno);
void            balloc_undo(int dev, uint bno);

// kalloc.c: physical page allocator
void*           kalloc(void);
void*           kalloc_unfilled(void);   // RECOVERY=1 builds
void            kfree(void *pa);
void            kfree_unfilled(void *pa);   // RECOVERY=1 builds
void            kinit(void);
uint64          kfreecount(void);
uint64          kretiredcount(void);

// ledger.c
void            ledger_init(void);

// log.c: write-ahead log
void            initlog(int dev, struct superblock *sb);
void            log_write(struct buf *b);
void            begin_op(void);
void            end_op(void);
void            log_quiesce(void);
int             log_capacity(void);
int             log_holds(uint blockno);
int             log_holds_unlocked(uint blockno);
int             log_claim_abort(void);
int             log_sole_operation_unlocked(void);
void            log_abort(void);
void            log_finish_commit(void);
int             log_lost_block(struct buf *damaged);
void            binvalidate(uint dev, uint blockno, int unpin);
int             bcached_elsewhere(uint dev, uint blockno, struct buf *skip);
uint64          bcache_register(void);

// pipe.c
int             pipealloc(struct file **f0, struct file **f1);
void            pipeclose(struct pipe *pi, int writable);
int             piperead(struct pipe *pi, uint64 addr, int n);
int             pipewrite(struct pipe *pi, uint64 addr, int n);

// printf.c
int             printf(char *fmt, ...) __attribute__((format(printf, 1, 2)));
int             printf_nowait(char *fmt, ...) __attribute__((format(printf, 1, 2)));
int             snprintf(char *buf, int n, char *fmt, ...) __attribute__((format(printf, 3, 4)));
void            panic(char *s) __attribute__((noreturn));
void            printfinit(void);
void            printf_unlocked(void);

// proc.c
int             cpuid(void);
void            fork_abandon(struct proc *np);   // RECOVERY=1 builds
void            exit(int status) __attribute__((noreturn));
int             fork(void);
int             growproc(int n);
void            proc_mapstacks(pagetable_t kpgtbl);
pagetable_t     proc_pagetable(struct proc *p);
void            proc_freepagetable(pagetable_t pagetable, uint64 sz);
int             kill(int pid);
int             killed(struct proc *p);
void            setkilled(struct proc *p);
struct cpu*     mycpu(void);
struct proc*    myproc(void);
void            procinit(void);
void            scheduler(void) __attribute__((noreturn));
void            sched(void);
void            sleep(void *chan, struct spinlock *lk);
void            sleep_killable(void *chan, struct spinlock *lk);
void            userinit(void);
struct proc*    kproc(char *name, void (*entry)(void), struct drvtask *drv);
int             wait(uint64 addr);
void            wakeup(void *chan);
void            yield(void);
int             either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int             either_copyin(void *dst, int user_src, uint64 src, uint64 len);
void            procdump(void);

// swtch.S
void            swtch(struct context *old, struct context *new);

// spinlock.c
void            acquire(struct spinlock *lk);
int             holding(struct spinlock *lk);
void            initlock(struct spinlock *lk, char *name);
void            release(struct spinlock *lk);
int             tryacquire(struct spinlock *lk, int spins);
void            push_off(void);
void            pop_off(void);

// sleeplock.c
void            acquiresleep(struct sleeplock *lk);
void            releasesleep(struct sleeplock *lk);
int             holdingsleep(struct sleeplock *lk);
void            initsleeplock(struct sleeplock *lk, char *name);
void            acquiresleep_buf(struct buf *b);
void            releasesleep_buf(struct buf *b);

// string.c
int             memcmp(const void *a, const void *b, uint n);
void*           memcpy(void *dst, const void *src, uint n);
void*           memmove(void *dst, const void *src, uint n);
void*           memset(void *dst, int c, uint n);
char*           safestrcpy(char *dst, const char *src, int n);
int             strlen(const char *s);
int             strncmp(const char *p, const char *q, uint n);
char*           strncpy(char *dst, const char *src, int n);

// sysfile.c
void            exec_args_free(char **argv);

// syscall.c
void            argint(int n, int *ip);
int             argstr(int n, char *buf, int max);
void            argaddr(int n, uint64 *ip);
int             fetchstr(uint64 addr, char *buf, int max);
int             fetchaddr(uint64 addr, uint64 *ip);
void            syscall(void);

// trap.c
extern uint     ticks;
extern struct spinlock tickslock;
void            trapinit(void);
void            trapinithart(void);
void            usertrapret(void);

// uart.c
void            uart_task_init(void);
void            uart_task_start(void);
void            uart_write(const char *buf, int n);
void            uartintr(void);
void            uartputc_sync(int c);
void            uart_drain(void);
int             uart_hold(int nowait);
void            uart_unhold(void);
void            uartrxintr(int on);

// vm.c
extern pagetable_t kernel_pagetable;
void            kvminit(void);
// ev6_ptrep.c
void            ptrep_init(void);
uint64          ptrep_bytes(void);
int             ptrep_create(pagetable_t root);
void            ptrep_own(pagetable_t root, struct proc *p);
int             ptrep_map_slow(pagetable_t root, uint64 va, uint64 pa, int perm);
void            ptrep_update(pagetable_t root, uint64 va, pte_t pte);
void            ptrep_copy_perms(pagetable_t from, pagetable_t to);
void            ptrep_shrink(pagetable_t root, uint64 sz);
void            ptrep_kernel_region(uint64 va, uint64 pa, uint64 size, int perm);
int             ptrep_table(pagetable_t root, int level, uint64 va, void *pt);
void            ptrep_free_leaves(pagetable_t root);
void            ptrep_release(pagetable_t root);
void            ptrep_settle(struct proc *p);
struct ptrep_diff {
  uint64 page;      // the page-table page
  int level, entry;
  uint64 found, want;
};
int             ptrep_audit(int i, struct ptrep_diff *m);
uint64          ptrep_kernel_pa(uint64 va);
int             ptrep_kernel_table(void *pt);

void            kvminithart(void);
void            kvmmap(pagetable_t kpgtbl, uint64 va, uint64 pa, uint64 sz, int perm);
int             mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm);
pagetable_t     uvmcreate(void);
uint64          uvmalloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz, int xperm);
uint64          uvmdealloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz);
int             uvmcopy(pagetable_t old, pagetable_t new, uint64 sz);
void            uvmfree(pagetable_t pagetable, uint64 sz);
void            uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free);
void            uvmclear(pagetable_t pagetable, uint64 va);
pte_t*          walk(pagetable_t pagetable, uint64 va, int alloc);
uint64          walkaddr(pagetable_t pagetable, uint64 va, int need);
int             copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len);
int             copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len);
int             copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max);

// plic.c
void            plicinit(void);
void            plicinithart(void);
int             plic_claim(void);
void            plic_complete(int irq);

// virtio_disk.c: the disk's driver task and its clients' side
void            virtio_disk_init(void);
void            virtio_disk_start(void);
void            virtio_disk_rw(struct buf *b, int write);
void            virtio_disk_intr(void);

// drv.c, drvmon.c: driver tasks, their detectors and restart
void            drv_tick(void);
void            drv_rewind(struct proc *p);
void            drv_switched_out(struct proc *p);
void            drv_crashed(int why);
void            drvmon_start(void);

// poweroff.c
void            poweroff(int status) __attribute__((noreturn));

#define NELEM(x) (sizeof(x)/sizeof((x)[0]))
