// Host unit test of a hart's spinlock ledger (kernel/ledger.h, ledger.c):
// the stack held[0] up to heldtop, the zero word below it, the slot just
// past the top that names the lock take() is trying, the removal of an
// entry that is not the newest, and the count of entries lost while the
// list was full; and a process's lists (ledger_push, ledger_drop), whose
// lost entries are counted apart too.
//
// kernel/ledger.c is compiled into this program with RECOVERY=1; the
// kernel's tables it refers to are defined here.
#include "tests/unit/testhelp.h"

#define RECOVERY 1
#include "kernel/ledger.c"

struct cpu cpus[NCPU];
struct proc proc[NPROC];

static struct spinlock locks[LEDGER_MAX + 3];
// Stand-ins for buffers: only their addresses matter.
static char bufmem[LEDGER_MAX + 3];
#define BUF(i) ((struct buf*)&bufmem[i])
_Static_assert(LEDGER_MAX == 8, "process_lists spells out a full list of 8");

// take()'s two steps on success (kernel/spinlock.c), for a list not full.
static void
take(struct cpu *c, struct spinlock *lk)
{
  *c->heldtop = lk;
  c->heldtop++;
}

// Does c list exactly want[0..n), with the slot past the top clear?
static int
lists(struct cpu *c, struct spinlock **want, int n)
{
  int i;

  if(ledger_listed(c) != n)
    return 0;
  for(i = 0; i < n; i++)
    if(c->held[i] != want[i])
      return 0;
  return n == LEDGER_MAX || c->held[n] == 0;
}

// A process's buffer list, as the buffer hooks keep it (ledger.h).
static void
buf_get(struct proc *p, int i)
{
  ledger_push((void**)p->ledger.bufs, &p->ledger.nbufs, &p->ledger.lost, BUF(i));
}

static void
buf_put(struct proc *p, int i)
{
  ledger_drop((void**)p->ledger.bufs, &p->ledger.nbufs, &p->ledger.lost, BUF(i));
}

// Does p's buffer list hold exactly want[0..n) (indices into bufs), with
// lost entries not listed?
static int
holds(struct proc *p, int *want, int n, int lost)
{
  int i;

  if(p->ledger.nbufs != n || p->ledger.lost != lost)
    return 0;
  for(i = 0; i < n; i++)
    if(p->ledger.bufs[i] != BUF(want[i]))
      return 0;
  return 1;
}

static void
process_lists(void)
{
  struct proc *p = &proc[3];
  int i;

  buf_get(p, 0);
  buf_get(p, 1);
  buf_get(p, 2);
  buf_put(p, 1);
  test_cond("a process's buffer below the newest comes off, the rest move down",
            holds(p, (int[]){ 0, 2 }, 2, 0));
  buf_put(p, 5);
  test_cond("giving back a buffer never listed changes nothing", holds(p, (int[]){ 0, 2 }, 2, 0));
  buf_put(p, 2);
  buf_put(p, 0);
  test_cond("a process's list empties", holds(p, 0, 0, 0));

  // Overflow: two buffers find the list full. Giving back a listed one
  // must not leave a stale copy of the newest behind, and the list is
  // exact again only when both lost ones are given back.
  for(i = 0; i < LEDGER_MAX + 2; i++)
    buf_get(p, i);
  test_cond("a full process list counts the rest as lost",
            p->ledger.nbufs == LEDGER_MAX && p->ledger.lost == 2);
  buf_put(p, 3);
  test_cond("a listed buffer comes off a list that overflowed",
            holds(p, (int[]){ 0, 1, 2, 4, 5, 6, 7 }, LEDGER_MAX - 1, 2));
  buf_put(p, LEDGER_MAX + 1);
  buf_put(p, LEDGER_MAX);
  test_cond("the lost ones given back, the list is exact with no duplicate",
            holds(p, (int[]){ 0, 1, 2, 4, 5, 6, 7 }, LEDGER_MAX - 1, 0));
  buf_get(p, 3);
  test_cond("the freed slot is used again",
            holds(p, (int[]){ 0, 1, 2, 4, 5, 6, 7, 3 }, LEDGER_MAX, 0));
  test_cond("the other processes' ledgers are untouched",
            proc[2].ledger.nbufs == 0 && proc[4].ledger.lost == 0);
}

int
main(void)
{
  struct cpu *c = &cpus[1];
  struct spinlock *a = &locks[0], *b = &locks[1], *d = &locks[2];
  int i;

  ledger_init();
  test_cond("every hart starts empty", ledger_listed(&cpus[0]) == 0 &&
            ledger_listed(c) == 0 && ledger_nheld(c) == 0);
  test_cond("nothing is being taken", ledger_taking(c) == 0);

  // An empty list: the drop looks at heldfloor, which is never a lock.
  ledger_unlock(c, a);
  test_cond("releasing an unlisted lock on an empty list changes nothing",
            ledger_listed(c) == 0 && c->heldlost == 0 && c->heldfloor == 0);

  take(c, a);
  take(c, b);
  *c->heldtop = d;   // take(d) between its two steps
  test_cond("the slot past the top names the lock being taken", ledger_taking(c) == d);
  *c->heldtop = 0;   // the try failed
  test_cond("a failed try leaves the slot clear", ledger_taking(c) == 0);

  take(c, d);
  ledger_unlock(c, d);
  test_cond("the newest comes off and its slot is cleared",
            lists(c, (struct spinlock *[]){ a, b }, 2));

  take(c, d);
  ledger_unlock(c, b);
  test_cond("the one below the newest comes off (sleep's order)",
            lists(c, (struct spinlock *[]){ a, d }, 2));
  take(c, b);
  ledger_unlock(c, a);
  test_cond("the oldest comes off, the rest move down",
            lists(c, (struct spinlock *[]){ d, b }, 2));
  ledger_unlock(c, b);
  ledger_unlock(c, d);
  test_cond("empty again", lists(c, 0, 0) && c->heldfloor == 0);

  // A full list: take() counts further locks as lost (take_full).
  for(i = 0; i < LEDGER_MAX; i++)
    take(c, &locks[i]);
  test_cond("a full list has no slot for a lock being taken", ledger_taking(c) == 0);
  c->heldlost += 2;
  test_cond("the count includes the lost ones", ledger_nheld(c) == LEDGER_MAX + 2);
  ledger_unlock(c, &locks[LEDGER_MAX + 2]);
  test_cond("releasing a lock the list lost uncounts one",
            ledger_listed(c) == LEDGER_MAX && c->heldlost == 1);
  ledger_unlock(c, &locks[LEDGER_MAX - 1]);
  test_cond("a listed lock still comes off while some are lost",
            ledger_listed(c) == LEDGER_MAX - 1 && c->heldlost == 1 &&
            ledger_taking(c) == 0);
  test_cond("the other harts' lists are untouched", ledger_listed(&cpus[0]) == 0 &&
            ledger_listed(&cpus[2]) == 0);

  process_lists();
  return test_report();
}
