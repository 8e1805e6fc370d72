// Ev6 self-audit: the audit() system call (kernel/audit.h) checks the
// invariants of every registered kernel object against what holds it, so
// that a run counts as survived only if the kernel itself is whole, not
// just because the user programs that ran noticed nothing.
//
// What is checked, as `object check`, each by one small function below:
//   buf next, prev     a link's target links back; a single wrong pointer
//                      is blamed on the buffer that holds it
//   buf ring           next from the head meets all NBUF buffers once
//   buf identity       no two buffers cache the same block
//   buf refcnt         refcnt = ledger entries of processes holding it
//                      + the log's pin (logged, not yet installed)
//   buf pinned         the pin's flag is set iff the log pins the buffer
//   buf/inode sleeplock  locked iff exactly one process's ledger lists
//                      the lock (an inode's) or the buffer (whose entry
//                      says it holds the buffer's lock too), that process
//                      has not exited, and its pid is the lock's
//   buf disk           the disk owns a buffer only while it is locked
//   kmem freelist, run next  every free-list node is a page of type run
//                      not seen before (bounded: a bitmap of pages)
//   kmem nfree         nfree = pages on the list = run pages in the map
//   run lost           every run page in the map is on the list
//   pagetable replica  every page-table page of each user address space
//                      and of the kernel holds, entry by entry, what its
//                      replica says (ev6_ptrep.c): the leaves, and the
//                      pointers to the next level's pages
//   inode ref          ref = open files + working directories + ledgers
//   inode identity     matches its recovery copy; unique among those in use
//   inode type         a loaded inode is not free on disk
//   file ref           ref = descriptors of all processes pointing at it
//   file type, ip, pipe  in use iff typed; what it points at is in use
//   file replica       matches file_replica (but ref)
//   pipe ends, count   readopen/writeopen as the files say; nread/nwrite
//   log outstanding    = processes whose ledger has an operation open
//   log committing     only with no operation open, and a process that
//                      can finish it; log idle: nothing open, nothing
//                      logged; log header, progress, pinned, geometry,
//                      replica
//   proc state, pid, init, parent, cwd, ofile, gone, ledger, trapframe,
//        kstacks       slots are sane; parents are live; an exited
//                      process holds nothing
//   devsw handlers     only the console's entry, with its functions
//   registry pagemap   every page above the kernel image has a type
//   (any) spinlock     locked iff exactly one hart's ledger lists it and
//                      lk->cpu is that hart; every ledger entry is held
// Page objects (run, pipe) are indexed by page number, (pa-KERNBASE)/PGSIZE.
// Pages taken out of circulation get a type of their own, not run, so
// they count neither as free nor as lost. `checks` counts the invariants
// evaluated, one per object and invariant (a list walk is one).
//
// When it is exact: in a quiet system, where no process but the auditor
// is in the middle of a system call except asleep holding what its ledger
// lists (the survival check: only init, the shell and the auditor). Every
// count above is then exact; a healthy system passes every time.
//
// Lock rules: the audit takes no lock at all and reads everything
// without one. Taking one could hang: a lock marked held with no holder
// is one of the faults it looks for. The reads are safe because
//  - in a quiet system nothing else writes the objects read (other harts
//    run only their scheduler and interrupt handlers, which touch proc
//    locks, ticks, the console and the disk, and their own ledgers);
//  - every pointer read from an object is checked to lie in its table (or
//    to be a page of the right type) before it is followed, and every walk
//    is bounded, so damaged or changing data can give a wrong verdict but
//    never a fault or a hang;
//  - spinlocks do change under the audit (other harts' schedulers and
//    interrupts), for a few instructions between taking a lock and
//    listing it in the hart's ledger, and between unlisting it and
//    clearing its word: a lock is sampled up to AUDIT_LOCK_SAMPLES times,
//    AUDIT_LOCK_GAP apart, and reported only if no sample is consistent,
//    neither then nor after every hart has taken a clock interrupt since
//    (settles: a loaded host may keep a virtual hart off its CPU inside
//    those instructions for far longer than the samples last);
//  - the free list changes under it too, whenever a process is reaped (init
//    reaps an orphan when it gets to it): it is judged from a reading
//    during which its head and count did not change (look_freelist).
// One audit runs at a time (the free-list bitmap is static).
//
// In a RECOVERY=0 kernel there is no ledger and no page-type map, so no
// holder can be checked: audit() returns -1 there.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/file.h"
#include "kernel/log.h"
#include "kernel/kalloc.h"
#include "kernel/ev6.h"
#include "kernel/audit.h"
#include "kernel/defs.h"

uint64 sys_audit(void);

#if RECOVERY
extern char end[];
extern struct proc *initproc;
extern struct superblock sb;
extern struct spinlock uart_tx_lock;

#define NPAGES ((PHYSTOP - KERNBASE) / PGSIZE)

// This audit's report: violations go straight to the caller's array.
static struct {
  uint64 dst;   // user address of struct audit_violation[max]
  int max;
  int found;    // violations, also those beyond max
  int checks;   // invariants evaluated
  int bad_dst;  // a copyout failed
} rep;

static int auditing;            // an audit is running
static int naudits;             // audits begun since boot
static uchar seen[NPAGES / 8];  // pages met on the free list

// Spinlocks inside structures private to their files, added at boot.
static struct spinlock *private_locks[AUDIT_NLOCKS];
static int nprivate;

// Is an audit running, and how many have begun (for a FAULTS=1 test,
// kernel/ev6_sys.c)?
int
audit_running(void)
{
  return __atomic_load_n(&auditing, __ATOMIC_RELAXED);
}

int
audits_begun(void)
{
  return __atomic_load_n(&naudits, __ATOMIC_RELAXED);
}

void
audit_lock_add(struct spinlock *lk)
{
  if(nprivate == AUDIT_NLOCKS)
    panic("audit_lock_add: raise AUDIT_NLOCKS");
  private_locks[nprivate++] = lk;
}

static void
record(struct audit_violation *v)
{
  struct proc *p = myproc();

  if(rep.found < rep.max &&
     copyout(p->pagetable, rep.dst + rep.found * sizeof(*v), (char*)v, sizeof(*v)) < 0)
    rep.bad_dst = 1;
  rep.found++;
}

// Report that invariant `what` of object (type_, index_) is broken; the
// rest is the detail's format and arguments.
#define violation(type_, index_, what, ...) do { \
    struct audit_violation v_ = { (type_), (index_) }; \
    safestrcpy(v_.check, (what), sizeof(v_.check)); \
    snprintf(v_.detail, sizeof(v_.detail), __VA_ARGS__); \
    record(&v_); \
  } while(0)

// Count one invariant; true if it does not hold.
static int
broken(int bad)
{
  rep.checks++;
  return bad;
}

// ------------------------------------------------------------- addresses

// Index of x in the table of n elements of size bytes at base, or -1.
static int
table_index(void *x, void *base, int n, uint64 size)
{
  uint64 off = (uint64)x - (uint64)base;

  if((uint64)x < (uint64)base || off >= n * size || off % size != 0)
    return -1;
  return off / size;
}

static int buf_index(void *b)   { return table_index(b, bcache.buf, NBUF, sizeof(struct buf)); }
static int inode_index(void *x) { return table_index(x, itable.inode, NINODE, sizeof(struct inode)); }
static int file_index(void *f)  { return table_index(f, ftable.file, NFILE, sizeof(struct file)); }
static int proc_index(void *p)  { return table_index(p, proc, NPROC, sizeof(struct proc)); }
static int cpu_index(void *c)   { return table_index(c, cpus, NCPU, sizeof(struct cpu)); }

// The first allocatable page's number: pages below are the kernel image.
static int
first_page(void)
{
  return (PGROUNDUP((uint64)end) - KERNBASE) / PGSIZE;
}

// Page number of pa if it is an allocatable page, else -1.
static int
page_index(void *pa)
{
  uint64 a = (uint64)pa;

  if(a % PGSIZE != 0 || a < PGROUNDUP((uint64)end) || a >= PHYSTOP)
    return -1;
  return (a - KERNBASE) / PGSIZE;
}

static int
page_is(void *pa, enum ev6_type type)
{
  int pg = page_index(pa);

  return pg >= 0 && ev6_page_type[pg] == type;
}

static const char *
type_name(int type)
{
  return type >= 0 && type < EV6_NTYPES ? ev6_type_names[type] : "?";
}

// Is x a word-aligned address of kernel memory, safe to read?
static int
kernel_addr(void *x)
{
  return (uint64)x >= KERNBASE && (uint64)x < PHYSTOP && (uint64)x % 8 == 0;
}

// --------------------------------------------------------------- buffers

// Buffer i, or the list head for i == NBUF: the nodes of the LRU ring.
static struct buf *
node(int i)
{
  return i == NBUF ? &bcache.head : &bcache.buf[i];
}

static int
node_index(struct buf *x)
{
  return x == &bcache.head ? NBUF : buf_index(x);
}

static int
report_index(int i)
{
  return i == NBUF ? -1 : i;
}

// Is node i's next (forward) or prev pointer the one to blame for a
// broken link? It is if it leads outside the ring, or to a node t that
// points back not at i but at a node that agrees with t: t is taken, so
// i's pointer is the stray one. When t's back pointer is the stray one,
// the blame falls on t's side (link_wrong(t, !forward)). With a single
// wrong pointer exactly one side is blamed.
static int
link_wrong(int i, int forward)
{
  struct buf *x = node(i);
  int t = node_index(forward ? x->next : x->prev), q;
  struct buf *back;

  if(t < 0)
    return 1;
  back = forward ? node(t)->prev : node(t)->next;
  if(back == x)
    return 0;
  q = node_index(back);
  return q >= 0 && (forward ? node(q)->next : node(q)->prev) == node(t);
}

// Does node i's link lead to a node that does not link back?
static int
link_unreturned(int i, int forward)
{
  struct buf *x = node(i);
  int t = node_index(forward ? x->next : x->prev);

  return t >= 0 && (forward ? node(t)->prev : node(t)->next) != x;
}

static void
check_buf_links(void)
{
  int i, dir, t;

  for(i = 0; i <= NBUF; i++){
    for(dir = 1; dir >= 0; dir--){
      struct buf *to = dir ? node(i)->next : node(i)->prev;
      char *name = dir ? "next" : "prev";

      t = node_index(to);
      if(broken(link_wrong(i, dir))){
        if(t < 0)
          violation(EV6_T_BUF, report_index(i), name, "%s 0x%lx is not a buffer", name, (uint64)to);
        else
          violation(EV6_T_BUF, report_index(i), name, "%s buf %d links back to another", name,
                    report_index(t));
      } else if(link_unreturned(i, dir) && !link_wrong(t, !dir)){
        // Neither side is clearly the wrong one (several links broken).
        violation(EV6_T_BUF, report_index(i), name, "%s buf %d does not link back", name,
                  report_index(t));
      }
    }
  }
}

// From the head, next must meet every buffer exactly once and return.
static void
check_buf_ring(void)
{
  uint64 met = 0;   // bit i: buffer i met
  struct buf *b;
  int n = 0, i;

  _Static_assert(NBUF <= 64, "the ring walk keeps a 64-bit set");
  for(b = bcache.head.next; n <= NBUF && b != &bcache.head; b = b->next, n++){
    if((i = buf_index(b)) < 0 || (met & (1ULL << i)))
      break;
    met |= 1ULL << i;
  }
  if(broken(b != &bcache.head || n != NBUF))
    violation(EV6_T_BUF, -1, "ring", "next from the head meets %d of %d buffers", n, NBUF);
}

// Log pins of b: one for each logged block not yet installed home.
static int
log_pins(struct buf *b)
{
  int k, pins = 0;

  if(b->dev != log.dev)
    return 0;
  for(k = log.installed < 0 ? 0 : log.installed; k < log.lh.n && k < LOGSIZE; k++)
    if(log.lh.block[k] == b->blockno)
      pins++;
  return pins;
}

// The lock of a buffer or inode: held iff exactly one process that has
// not exited lists it in its ledger, with that process's pid. An inode's
// lock is listed itself (key lk, list EV6_LEDGER_SLEEPLOCKS), a buffer's
// by the buffer (key b, EV6_LEDGER_BUFS: the entry implies the lock).
static void
check_sleeplock(int type, int index, struct sleeplock *lk, void *key, int which)
{
  struct proc *owner = ev6_ledger_owner(key, which, 0);
  struct proc *second = owner ? ev6_ledger_owner(key, which, owner) : 0;

  if(!broken(lk->locked > 1 || second || (owner != 0) != (lk->locked != 0) ||
             (owner && (owner->state == ZOMBIE || owner->pid != lk->pid))))
    return;
  if(lk->locked > 1)
    violation(type, index, "sleeplock", "locked is %d", lk->locked);
  else if(second)
    violation(type, index, "sleeplock", "in the ledgers of pids %d and %d", owner->pid,
              second->pid);
  else if(!owner)
    violation(type, index, "sleeplock", "locked by pid %d, in no ledger", lk->pid);
  else if(!lk->locked)
    violation(type, index, "sleeplock", "free, but pid %d's ledger holds it", owner->pid);
  else if(owner->state == ZOMBIE)
    violation(type, index, "sleeplock", "held by pid %d, which has exited", owner->pid);
  else
    violation(type, index, "sleeplock", "locked as pid %d, held by pid %d", lk->pid, owner->pid);
}

static void
check_buf(int i)
{
  struct buf *b = &bcache.buf[i];
  int holders = ev6_ledger_count(b, EV6_LEDGER_BUFS), pins = log_pins(b), j;

  if(broken(b->refcnt != holders + pins))
    violation(EV6_T_BUF, i, "refcnt", "refcnt %d, holders %d + log pins %d", b->refcnt, holders, pins);
  if(broken(b->pinned != pins))
    violation(EV6_T_BUF, i, "pinned", "pinned %d, log pins %d", b->pinned, pins);
  check_sleeplock(EV6_T_BUF, i, &b->lock, b, EV6_LEDGER_BUFS);
  if(broken(b->disk && !b->lock.locked))
    violation(EV6_T_BUF, i, "disk", "the disk owns it, nobody locked it");
  // dev 0: never used since boot; ~0: reset by recovery.
  for(j = i + 1; j < NBUF; j++){
    struct buf *o = &bcache.buf[j];
    if(broken(b->dev != 0 && b->dev != ~0U && o->dev == b->dev && o->blockno == b->blockno))
      violation(EV6_T_BUF, j, "identity", "block %d also in buf %d", b->blockno, i);
  }
}

static void
check_bcache(void)
{
  int i;

  check_buf_links();
  check_buf_ring();
  for(i = 0; i < NBUF; i++)
    check_buf(i);
}

// ------------------------------------------------------------ free pages

static void
pause(void)
{
  uint64 t0 = r_time();

  while(r_time() - t0 < AUDIT_LOCK_GAP)
    ;
}

// One reading of the free list, its count and the page-type map.
struct freelist_look {
  struct run *head, *prev, *bad;   // bad: the node the walk stopped at
  uint64 nfree, listed, runs, lost;
  int pg, first_lost, complete;
};

// Read the free list; returns whether its head and count were the same
// after the walk and the map's scan as before. kalloc and kfree may run
// on other harts meanwhile even in the survival check: a process's last
// pages are freed by whoever reaps it, and init reaps an orphan of a
// killed process when it gets to it (Table 3's devsw-then-log: the first
// audit saw the 11 pages of such an orphan freed during its walk as "not
// on the free list"; the audit after usertests found them on it).
static int
look_freelist(struct freelist_look *l)
{
  struct run *r, *prev = 0;
  int pg = 0;

  memset(l, 0, sizeof(*l));
  l->first_lost = -1;
  l->complete = 1;
  l->head = __atomic_load_n(&kmem.freelist, __ATOMIC_RELAXED);
  l->nfree = __atomic_load_n(&kmem.nfree, __ATOMIC_RELAXED);
  memset(seen, 0, sizeof(seen));
  // Each step marks a page not marked before: at most NPAGES steps.
  for(r = l->head; r; prev = r, r = r->next){
    pg = page_index(r);
    if(pg < 0 || ev6_page_type[pg] != EV6_T_RUN || (seen[pg/8] & (1 << pg%8))){
      l->complete = 0;
      break;
    }
    seen[pg/8] |= 1 << pg%8;
    l->listed++;
  }
  l->prev = prev;
  l->bad = r;
  l->pg = pg;
  for(pg = first_page(); pg < NPAGES; pg++){
    if(ev6_page_type[pg] != EV6_T_RUN)
      continue;
    l->runs++;
    if(!(seen[pg/8] & (1 << pg%8)) && l->lost++ == 0)
      l->first_lost = pg;
  }
  return __atomic_load_n(&kmem.freelist, __ATOMIC_RELAXED) == l->head &&
         __atomic_load_n(&kmem.nfree, __ATOMIC_RELAXED) == l->nfree;
}

// Judged from a reading during which the list did not change (up to
// AUDIT_LOCK_SAMPLES readings, AUDIT_LOCK_GAP apart; else the last one).
static void
check_freelist(void)
{
  struct freelist_look l;
  int i;

  for(i = 1; !look_freelist(&l) && i < AUDIT_LOCK_SAMPLES; i++)
    pause();
  if(broken(!l.complete)){
    char why[24];

    if(l.pg < 0)
      safestrcpy(why, "is not a page", sizeof(why));
    else if(ev6_page_type[l.pg] != EV6_T_RUN)
      snprintf(why, sizeof(why), "is a %s page", type_name(ev6_page_type[l.pg]));
    else
      safestrcpy(why, "closes a cycle", sizeof(why));
    if(l.prev == 0)
      violation(EV6_T_KMEM, -1, "freelist", "head 0x%lx %s", (uint64)l.bad, why);
    else
      violation(EV6_T_RUN, page_index(l.prev), "next", "next 0x%lx %s", (uint64)l.bad, why);
  }
  if(broken(l.nfree != l.runs || (l.complete && l.nfree != l.listed)))
    violation(EV6_T_KMEM, -1, "nfree", "nfree %ld, on the list %ld, run pages %ld",
              l.nfree, l.listed, l.runs);
  if(l.complete && broken(l.lost > 0))
    violation(EV6_T_RUN, l.first_lost, "lost", "%ld run pages not on the free list", l.lost);
}

// ------------------------------------------------------------ page tables

static void
check_pagetables(void)
{
  struct ptrep_diff d;
  int i, r;

  for(i = 0; i <= NPTREP; i++){
    if((r = ptrep_audit(i, &d)) < 0)
      continue;
    if(broken(r != 0))
      violation(EV6_T_PAGETABLE, page_index((void*)d.page), "replica",
                "%s L%d entry %d is 0x%lx, replica 0x%lx", i == NPTREP ? "kernel" : "user",
                d.level, d.entry, d.found, d.want);
  }
}

// ----------------------------------------------------------------- pipes

static void
check_pipe(int pg)
{
  struct pipe *pi = (struct pipe *)(KERNBASE + (uint64)pg * PGSIZE);
  int r, w;

  file_pipe_ends(pi, &r, &w);
  if(broken(!r && !w))
    violation(EV6_T_PIPE, pg, "ends", "no open file uses it");
  else if(broken(pi->readopen != r || pi->writeopen != w))
    violation(EV6_T_PIPE, pg, "ends", "readopen %d writeopen %d, files: %d %d",
              pi->readopen, pi->writeopen, r, w);
  if(broken(pi->nwrite - pi->nread > PIPESIZE))
    violation(EV6_T_PIPE, pg, "count", "nread %d, nwrite %d", pi->nread, pi->nwrite);
}

// The page-type map: a type for every page, NPROC kernel stacks, one
// trapframe per process; pipes are found here.
static void
check_pages(void)
{
  int pg, kstacks = 0, trapframes = 0, procs = 0, untyped = 0, first = -1;
  struct proc *p;

  for(pg = first_page(); pg < NPAGES; pg++){
    int t = ev6_page_type[pg];

    if(t <= EV6_T_UNKNOWN || t >= EV6_NTYPES){
      if(untyped++ == 0)
        first = pg;
    }
    kstacks += t == EV6_T_KSTACK;
    trapframes += t == EV6_T_TRAPFRAME;
    if(t == EV6_T_PIPE)
      check_pipe(pg);
  }
  for(p = proc; p < &proc[NPROC]; p++)
    procs += p->state != UNUSED;
  if(broken(untyped > 0))
    violation(EV6_T_REGISTRY, -1, "pagemap", "%d pages untyped, first %d", untyped, first);
  if(broken(kstacks != NPROC))
    violation(EV6_T_PROC, -1, "kstacks", "kstack pages %d, slots %d", kstacks, NPROC);
  if(broken(trapframes != procs))
    violation(EV6_T_PROC, -1, "trapframe", "trapframe pages %d, processes %d", trapframes, procs);
}

// ---------------------------------------------------------------- inodes

static void
check_inode(int i)
{
  struct inode *ip = &itable.inode[i];
  int refs = inode_count_refs(ip), j;

  if(broken(ip->ref != refs))
    violation(EV6_T_INODE, i, "ref", "ref %d, holders %d", ip->ref, refs);
  check_sleeplock(EV6_T_INODE, i, &ip->lock, &ip->lock, EV6_LEDGER_SLEEPLOCKS);
  if(broken(ip->valid && ip->type == 0))
    violation(EV6_T_INODE, i, "type", "loaded, but free on disk");
  if(ip->ref <= 0)
    return;
  if(broken(ip->dev != itable_identity[i].dev || ip->inum != itable_identity[i].inum))
    violation(EV6_T_INODE, i, "identity", "dev %d inum %d, copy: %d %d", ip->dev, ip->inum,
              itable_identity[i].dev, itable_identity[i].inum);
  for(j = i + 1; j < NINODE; j++){
    struct inode *o = &itable.inode[j];
    if(broken(o->ref > 0 && o->dev == ip->dev && o->inum == ip->inum))
      violation(EV6_T_INODE, j, "identity", "inum %d also in inode %d", ip->inum, i);
  }
}

// ----------------------------------------------------------------- files

static void
check_file(int i)
{
  struct file *f = &ftable.file[i], *c = &file_replica[i];
  int refs = file_count_refs(f);

  if(broken(f->ref != refs))
    violation(EV6_T_FILE, i, "ref", "ref %d, descriptors %d", f->ref, refs);
  if(broken((f->ref > 0) != (f->type != FD_NONE)))
    violation(EV6_T_FILE, i, "type", "ref %d, type %d", f->ref, f->type);
  if(f->ref <= 0)
    return;
  if(f->type == FD_INODE || f->type == FD_DEVICE){
    int ii = inode_index(f->ip);
    if(broken(ii < 0 || f->ip->ref <= 0))
      violation(EV6_T_FILE, i, "ip", "ip 0x%lx is not an inode in use", (uint64)f->ip);
  }
  if(f->type == FD_PIPE && broken(!page_is(f->pipe, EV6_T_PIPE)))
    violation(EV6_T_FILE, i, "pipe", "pipe 0x%lx is not a pipe page", (uint64)f->pipe);
  if(broken(f->type != c->type || f->readable != c->readable || f->writable != c->writable ||
            f->pipe != c->pipe || f->ip != c->ip || f->off != c->off || f->major != c->major))
    violation(EV6_T_FILE, i, "replica", "differs from its copy (type %d/%d, off %d/%d)",
              f->type, c->type, f->off, c->off);
}

// ------------------------------------------------------------------- log

// Could a process finish a commit: one (not the auditor) that runs, or
// sleeps holding buffers or locks, as a committer waiting for the disk does?
static int
someone_busy(void)
{
  struct proc *p, *me = myproc();

  for(p = proc; p < &proc[NPROC]; p++){
    if(p == me || p->state == UNUSED || p->state == ZOMBIE)
      continue;
    if(p->state == RUNNABLE || p->state == RUNNING || p->ledger.nbufs || p->ledger.nsleeplocks)
      return 1;
  }
  return 0;
}

static int
block_cached(int blockno)
{
  struct buf *b;

  for(b = bcache.buf; b < bcache.buf + NBUF; b++)
    if(b->dev == log.dev && b->blockno == blockno && b->refcnt > 0)
      return 1;
  return 0;
}

static void
check_log_header(void)
{
  int k, j, n = log.lh.n;

  if(broken(n < 0 || n > log_capacity())){
    violation(EV6_T_LOG, -1, "header", "lh.n %d, capacity %d", n, log_capacity());
    return;
  }
  for(k = 0; k < n; k++){
    int blk = log.lh.block[k];
    if(broken(blk < (int)sb.inodestart || blk >= (int)sb.size))
      violation(EV6_T_LOG, -1, "header", "block[%d] = %d is outside the file system", k, blk);
    for(j = k + 1; j < n; j++)
      if(broken(log.lh.block[j] == blk))
        violation(EV6_T_LOG, -1, "header", "block %d logged twice", blk);
  }
  if(broken(log.installed < 0 || log.installed > n || (uint)log.head_written > 1))
    violation(EV6_T_LOG, -1, "progress", "installed %d of %d, head_written %d",
              log.installed, n, log.head_written);
  for(k = log.installed < 0 ? 0 : log.installed; k < n; k++)
    if(broken(!block_cached(log.lh.block[k])))
      violation(EV6_T_LOG, -1, "pinned", "block %d is logged but not cached", log.lh.block[k]);
}

static void
check_log(void)
{
  int ops = log_count_ops();
  struct log_replica *c = &log_replica;

  if(broken(log.dev != ROOTDEV || log.start != sb.logstart || log.size != sb.nlog))
    violation(EV6_T_LOG, -1, "geometry", "dev %d start %d size %d", log.dev, log.start, log.size);
  if(broken(log.outstanding != ops))
    violation(EV6_T_LOG, -1, "outstanding", "outstanding %d, open operations %d",
              log.outstanding, ops);
  if(broken((uint)log.committing > 1 || (log.committing && log.outstanding != 0)))
    violation(EV6_T_LOG, -1, "committing", "committing %d, outstanding %d",
              log.committing, log.outstanding);
  else if(broken(log.committing && !someone_busy()))
    violation(EV6_T_LOG, -1, "committing", "a commit nobody can finish");
  if(broken(log.outstanding == 0 && !log.committing &&
            (log.lh.n || log.ops || log.head_written || log.installed)))
    violation(EV6_T_LOG, -1, "idle", "lh.n %d ops %d head %d installed %d", log.lh.n,
              log.ops, log.head_written, log.installed);
  check_log_header();
  // Outside log.lock the copy equals the log, during a commit too
  // (commit_step in log.c).
  if(broken(c->ops != log.ops || c->lh.n != log.lh.n ||
            c->head_written != log.head_written || c->installed != log.installed))
    violation(EV6_T_LOG, -1, "replica", "ops %d/%d lh.n %d/%d", log.ops, c->ops, log.lh.n, c->lh.n);
  else if(broken(log.lh.n > 0 && log.lh.n <= LOGSIZE &&
                 memcmp(c->lh.block, log.lh.block, log.lh.n * sizeof(int)) != 0))
    violation(EV6_T_LOG, -1, "replica", "logged block numbers differ");
}

// ------------------------------------------------------------- processes

static int
ledger_ok(int n)
{
  return n >= 0 && n <= LEDGER_MAX;
}

// A process's ledger: its lists within bounds and naming real objects;
// empty if the process is gone.
static void
check_ledger(int i, struct proc *p, int gone)
{
  struct ledger *l = &p->ledger;
  int k;

  if(broken(!ledger_ok(l->nbufs) || !ledger_ok(l->ninodes) || !ledger_ok(l->nsleeplocks) ||
            l->lost < 0)){
    violation(EV6_T_PROC, i, "ledger", "counts %d %d %d lost %d, max %d", l->nbufs, l->ninodes,
              l->nsleeplocks, l->lost, LEDGER_MAX);
    return;
  }
  if(broken(gone && (l->nbufs || l->ninodes || l->nsleeplocks || l->lost || l->in_op ||
                     l->logging || l->newblock || l->committing || l->child || l->exec_args || l->page ||
                     l->file || l->closing)))
    violation(EV6_T_PROC, i, "ledger", "gone, holds %d bufs %d inodes %d locks %d lost op %d",
              l->nbufs, l->ninodes, l->nsleeplocks, l->lost, l->in_op);
  for(k = 0; k < l->nbufs; k++)
    if(broken(buf_index(l->bufs[k]) < 0))
      violation(EV6_T_PROC, i, "ledger", "bufs[%d] 0x%lx is not a buffer", k, (uint64)l->bufs[k]);
  for(k = 0; k < l->ninodes; k++)
    if(broken(inode_index(l->inodes[k]) < 0))
      violation(EV6_T_PROC, i, "ledger", "inodes[%d] 0x%lx is not an inode", k,
                (uint64)l->inodes[k]);
  // Only inodes' locks: a buffer's is listed by its buffer.
  for(k = 0; k < l->nsleeplocks; k++){
    struct sleeplock *lk = l->sleeplocks[k];
    if(broken(inode_index((char*)lk - __builtin_offsetof(struct inode, lock)) < 0))
      violation(EV6_T_PROC, i, "ledger", "sleeplocks[%d] 0x%lx is no inode's lock", k,
                (uint64)lk);
  }
}

static void
check_proc(int i)
{
  struct proc *p = &proc[i], *pp = p->parent, *o;
  enum procstate s = p->state;
  int fd, gone = s == UNUSED || s == ZOMBIE;

  if(broken(s < UNUSED || s > ZOMBIE)){
    violation(EV6_T_PROC, i, "state", "state %d", s);
    return;
  }
  check_ledger(i, p, gone);
  if(s == UNUSED){
    for(fd = 0; fd < NOFILE; fd++)
      if(broken(p->ofile[fd] != 0))
        violation(EV6_T_PROC, i, "gone", "unused slot keeps fd %d", fd);
    if(broken(p->cwd != 0))
      violation(EV6_T_PROC, i, "gone", "unused slot keeps a cwd");
    return;
  }
  if(broken(p->pid <= 0))
    violation(EV6_T_PROC, i, "pid", "pid %d", p->pid);
  for(o = p + 1; o < &proc[NPROC]; o++)
    if(broken(o->state != UNUSED && o->pid == p->pid))
      violation(EV6_T_PROC, o - proc, "pid", "pid %d also in slot %d", p->pid, i);
  if(broken(!page_is(p->trapframe, EV6_T_TRAPFRAME)))
    violation(EV6_T_PROC, i, "trapframe", "0x%lx is not a trapframe page", (uint64)p->trapframe);
  if(p->kthread)
    return;   // a kernel thread (kproc): no parent, no cwd, no files
  if(p == initproc){
    if(broken(s == ZOMBIE || p->pid != 1))
      violation(EV6_T_PROC, i, "init", "init has pid %d, state %d", p->pid, s);
  } else if(s != USED || pp != 0){
    // Only fork's child still being built (USED) may lack a parent yet.
    int pi = proc_index(pp);
    if(broken(pi < 0 || pp->state == UNUSED || pp->state == ZOMBIE))
      violation(EV6_T_PROC, i, "parent", "parent 0x%lx is not a live process", (uint64)pp);
  }
  for(fd = 0; fd < NOFILE; fd++){
    struct file *f = p->ofile[fd];
    if(f == 0)
      continue;
    if(broken(gone || file_index(f) < 0 || f->ref <= 0))
      violation(EV6_T_PROC, i, gone ? "gone" : "ofile", "fd %d: 0x%lx is not an open file",
                fd, (uint64)f);
  }
  // A process in exit holds its cwd's reference in its ledger from
  // p->cwd = 0 to the iput (proc.c).
  if(gone){
    if(broken(p->cwd != 0))
      violation(EV6_T_PROC, i, "gone", "exited, keeps a cwd");
  } else if(s != USED && (p->cwd != 0 || p->ledger.ninodes == 0) &&
            broken(inode_index(p->cwd) < 0 || p->cwd->ref <= 0)){
    violation(EV6_T_PROC, i, "cwd", "cwd 0x%lx is not an inode in use", (uint64)p->cwd);
  }
}

static void
check_init(void)
{
  if(broken(proc_index(initproc) < 0))
    violation(EV6_T_PROC, -1, "init", "initproc 0x%lx is not a slot", (uint64)initproc);
}

// ----------------------------------------------------------------- devsw

static void
check_devsw(void)
{
  int i;

  for(i = 0; i < NDEV; i++){
    int want = i == CONSOLE;
    if(broken(devsw[i].read != (want ? consoleread : 0) ||
              devsw[i].write != (want ? consolewrite : 0)))
      violation(EV6_T_DEVSW, i, "handlers", "read 0x%lx write 0x%lx",
                (uint64)devsw[i].read, (uint64)devsw[i].write);
  }
}

// ------------------------------------------------------------------ locks

// Does explained(x) hold in one of AUDIT_LOCK_SAMPLES looks?
static int
samples(int (*explained)(void *), void *x)
{
  int i;

  for(i = 0; i < AUDIT_LOCK_SAMPLES; i++){
    if(explained(x))
      return 1;
    pause();
  }
  return 0;
}

// Has every running hart taken a clock interrupt since its count was
// `before`? A hart that never took one has not started.
static int
harts_moved(uint64 *before)
{
  int i;

  for(i = 0; i < NCPU; i++)
    if(cpus[i].clockintrs != 0 && cpus[i].clockintrs == before[i])
      return 0;
  return 1;
}

// Is a lock's state explained (explained(x)): in one of the samples, or
// in one of those taken after every hart has been outside take() and
// release() since the first samples (harts_moved; waited for while
// looking, at most EV6_LOCK_WAIT, the time the seize allows a hart the
// host keeps off its CPU, ev6_locks.c)? A hart in there when the first
// samples were taken has left by then; a lock leaked or damaged stays
// unexplained, whatever the harts do.
static int
settles(int (*explained)(void *), void *x)
{
  uint64 before[NCPU], deadline;
  int i;

  if(samples(explained, x))
    return 1;
  for(i = 0; i < NCPU; i++)
    before[i] = cpus[i].clockintrs;
  deadline = r_time() + EV6_LOCK_WAIT;
  while(!harts_moved(before) && r_time() < deadline){
    if(explained(x))
      return 1;
    pause();
  }
  return samples(explained, x);
}

// Is lk's state explained by the harts' ledgers at this moment: free and
// listed by none, or held by the hart that lists it?
static int
spinlock_explained(void *x)
{
  struct spinlock *lk = x;
  struct cpu *holder = ev6_spinlock_holder(lk);

  if(!__atomic_load_n(&lk->locked, __ATOMIC_RELAXED))
    return holder == 0;
  return holder != 0 && __atomic_load_n(&lk->cpu, __ATOMIC_RELAXED) == holder;
}

static void
check_spinlock(struct spinlock *lk)
{
  struct ev6_object obj;
  struct cpu *holder;
  char name[12] = "?";

  if(!broken(!settles(spinlock_explained, lk)))
    return;
  if(ev6_registry_lookup((uint64)lk, &obj) < 0)
    obj.index = -1;
  else if(obj.index < 0 && page_index(obj.base) >= 0)
    obj.index = page_index(obj.base);
  if((uint64)lk->name >= KERNBASE && (uint64)lk->name < (uint64)end)
    safestrcpy(name, lk->name, sizeof(name));
  holder = ev6_spinlock_holder(lk);
  violation(obj.type, obj.index, "spinlock", "%s: locked %d, cpu %d, ledger of hart %d", name,
            lk->locked, cpu_index(lk->cpu), holder ? cpu_index(holder) : -1);
}

// Does every entry of hart c's ledger name a lock that c holds?
static int
hart_ledger_explained(void *x)
{
  struct cpu *c = x;
  struct spinlock **top = __atomic_load_n(&c->heldtop, __ATOMIC_RELAXED);
  struct spinlock **e;

  if(top < c->held || top > c->held + LEDGER_MAX || c->heldlost != 0)
    return 0;
  for(e = c->held; e < top; e++){
    struct spinlock *lk = *e;
    if(!kernel_addr(lk) || !lk->locked || lk->cpu != c)
      return 0;
  }
  return 1;
}

static void
check_hart_ledger(int h)
{
  if(broken(!settles(hart_ledger_explained, &cpus[h])))
    violation(EV6_T_CPU, h, "ledger", "lists %d locks it does not all hold", ledger_nheld(&cpus[h]));
}

// Every spinlock the kernel has: the static ones, those in each process,
// buffer, inode and pipe, then every lock the harts' ledgers list.
static void
check_locks(void)
{
  struct spinlock *statics[] = {
    &bcache.lock, &log.lock, &ftable.lock, &itable.lock, &kmem.lock, &tickslock, &uart_tx_lock,
  };
  int i, pg;

  for(i = 0; i < NELEM(statics); i++)
    check_spinlock(statics[i]);
  for(i = 0; i < nprivate; i++)
    check_spinlock(private_locks[i]);
  for(i = 0; i < NPROC; i++)
    check_spinlock(&proc[i].lock);
  for(i = 0; i < NBUF; i++)
    check_spinlock(&bcache.buf[i].lock.lk);
  for(i = 0; i < NINODE; i++)
    check_spinlock(&itable.inode[i].lock.lk);
  for(pg = first_page(); pg < NPAGES; pg++)
    if(ev6_page_type[pg] == EV6_T_PIPE)
      check_spinlock(&((struct pipe *)(KERNBASE + (uint64)pg * PGSIZE))->lock);
  for(i = 0; i < NCPU; i++)
    check_hart_ledger(i);
}

static void
audit_all(void)
{
  int i;

  check_freelist();
  check_pagetables();
  check_pages();
  check_bcache();
  check_log();
  for(i = 0; i < NINODE; i++)
    check_inode(i);
  for(i = 0; i < NFILE; i++)
    check_file(i);
  check_init();
  for(i = 0; i < NPROC; i++)
    check_proc(i);
  check_devsw();
  check_locks();
}

// audit(struct audit_violation *v, int max, int *checks): see audit.h.
uint64
sys_audit(void)
{
  uint64 dst, checks_dst;
  int max, found, bad;

  argaddr(0, &dst);
  argint(1, &max);
  argaddr(2, &checks_dst);
  if(__sync_lock_test_and_set(&auditing, 1))
    return -1;
  naudits++;
  rep.dst = dst;
  rep.max = max;
  rep.found = rep.checks = rep.bad_dst = 0;
  audit_all();
  found = rep.found;
  bad = rep.bad_dst ||
        copyout(myproc()->pagetable, checks_dst, (char*)&rep.checks, sizeof(rep.checks)) < 0;
  __sync_lock_release(&auditing);
  return bad ? -1 : found;
}
#else
uint64
sys_audit(void)
{
  return -1;
}
#endif
