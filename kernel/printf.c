// Kernel printf and panic.
//
// Interface:
//   printfinit()    once, on hart 0 at boot, after consoleinit(). Before it
//                   printf works but does not lock.
//   printf(fmt, ...)  formatted output straight to the UART (uartputc_sync,
//                   via consputc), usable anywhere, even with interrupts
//                   off or spinlocks held. Conversions: %d %u %x with an
//                   optional l or ll (64 bits), %p, %s, %c, %%. Returns 0.
//   printf_nowait(fmt, ...)  the same for Ev6's recovery path: never waits
//                   for a lock (it prints without one that stays busy)
//   snprintf(buf, n, fmt, ...)  the same conversions into buf (at most n
//                   bytes with the NUL, which is always written), for
//                   messages built before they are printed or copied out
//   panic(s)        print "panic: s (hart N)" and power QEMU off with
//                   status EXIT_PANIC, so a test harness sees a distinct
//                   exit status rather than a hang.
//
// pr.lock makes each printf call atomic with respect to the others, so
// lines from different harts do not interleave; holding the UART's queue
// lock too keeps user output (console writes) out of the middle of a
// kernel line, so a harness can parse the Ev6 reports. panic() stops using it
// (pr.locking = 0): the panicking hart may already hold it, or another hart
// may never release it. Before printing, panic() records its hart in
// panic_hart and sets `panicked`; uart.c then stops every other hart that
// tries to print, so the panic message comes out whole and is the last
// thing on the console.
#include <stdarg.h>

#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

// The first hart to call panic(), or -1; set once, by compare-and-swap.
volatile int panic_hart = -1;
// 1 once panic_hart is set. Never cleared.
volatile int panicked = 0;

struct {
  struct spinlock lock;
  int locking;   // take lock in printf? 0 before printfinit() and after a panic
} pr;

static char digits[] = "0123456789abcdef";

// Where formatted output goes: the console (buf == 0), or buf, of which
// at most max - 1 bytes are filled.
struct sink {
  char *buf;
  int n, max;
};

static void
put(struct sink *s, int c)
{
  if(s->buf == 0)
    consputc(c);
  else if(s->n < s->max - 1)
    s->buf[s->n++] = c;
}

// Print x in base 10 or 16, after a '-' if neg.
static void
printnum(struct sink *s, uint64 x, int base, int neg)
{
  char buf[24];   // 2^64 has 20 decimal digits
  int i = 0;

  do {
    buf[i++] = digits[x % base];
    x /= base;
  } while(x != 0);
  if(neg)
    buf[i++] = '-';
  while(--i >= 0)
    put(s, buf[i]);
}

static void
printptr(struct sink *s, uint64 x)
{
  int shift;

  put(s, '0');
  put(s, 'x');
  for(shift = 60; shift >= 0; shift -= 4)
    put(s, digits[(x >> shift) & 0xf]);
}

// Print fmt with its arguments to out; the caller holds whatever locks
// it takes.
static void
vprint(struct sink *out, char *fmt, va_list ap)
{
  int i, longs;
  char *s;

  for(i = 0; fmt[i] != 0; i++){
    if(fmt[i] != '%'){
      put(out, fmt[i]);
      continue;
    }
    i++;
    // "l" and "ll" both mean 64 bits: long and long long are 64 bits here.
    for(longs = 0; fmt[i] == 'l' && longs < 2; longs++)
      i++;
    switch(fmt[i]){
    case 'd':
      if(longs){
        long v = va_arg(ap, long);
        printnum(out, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0);
      } else {
        int v = va_arg(ap, int);
        printnum(out, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0);
      }
      break;
    case 'u':
      printnum(out, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0);
      break;
    case 'x':
      printnum(out, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0);
      break;
    case 'p':
      printptr(out, (uint64)va_arg(ap, void *));
      break;
    case 's':
      s = va_arg(ap, char *);
      if(s == 0)
        s = "(null)";
      for(; *s != 0; s++)
        put(out, *s);
      break;
    case 'c':
      put(out, va_arg(ap, int));
      break;
    case '%':
      put(out, '%');
      break;
    case 0:
      // A lone '%' at the end: print it and stop.
      put(out, '%');
      i--;
      break;
    default:
      // Unknown conversion: print it as written.
      put(out, '%');
      put(out, fmt[i]);
      break;
    }
  }
}

// Lock for one printf: pr.lock, then the UART's queue lock. With nowait,
// only locks ev6_wait_spinlock gets (see printf_nowait). Returns the flags
// print_unlock() needs.
#define HELD_PR   1
#define HELD_UART 2
static int
print_lock(int nowait)
{
  int held = 0;

  // A fail-stop's report (printf_unlocked) goes without pr.lock, which
  // the stopping hart may hold or which may be the damage (so it is not
  // even read), but still keeps the UART task's bursts out of its line
  // while it can: a user's ls output once split "ev6: event=failstop"
  // after its "e", and the campaign found no report (pr-kerneltrap's
  // harness error). A panic prints with no lock at all.
  if(!pr.locking)
    return nowait && uart_hold(1) ? HELD_UART : 0;
  // A hart already inside printf (an Ev6 report from a trap taken there)
  // prints without the lock instead of deadlocking on it.
  if(holding(&pr.lock))
    return 0;
  if(!nowait)
    acquire(&pr.lock);
  else if(!ev6_wait_spinlock(&pr.lock))
    return 0;
  held = HELD_PR;
  if(uart_hold(nowait))
    held |= HELD_UART;
  return held;
}

static void
print_unlock(int held)
{
  if(held & HELD_UART)
    uart_unhold();
  if(held & HELD_PR)
    release(&pr.lock);
}

static void
print(int nowait, char *fmt, va_list ap)
{
  struct sink console = { 0, 0, 0 };
  int held = print_lock(nowait);

  vprint(&console, fmt, ap);
  print_unlock(held);
}

int
printf(char *fmt, ...)
{
  va_list ap;

  FI_SITE(printf, &pr);
  va_start(ap, fmt);
  print(0, fmt, ap);
  va_end(ap);
  return 0;
}

// printf for the Ev6 recovery path, which must never wait for a lock
// whose holder cannot move: a hart queued behind the recovering one may
// hold pr.lock or the UART's (it was printing when its error came). A
// holder that can move is waited for (ev6_wait_spinlock): a report
// printed beside a running printer or UART burst comes out split, and
// the campaign cannot read it (Table 3's devsw-then-log, issue 11: the
// user's "cat: write error" inside the log's report line). Without the
// locks it prints anyway.
int
printf_nowait(char *fmt, ...)
{
  va_list ap;

  FI_SITE(printf, &pr);
  va_start(ap, fmt);
  print(1, fmt, ap);
  va_end(ap);
  return 0;
}

// Format into buf (n bytes, NUL included); returns the length written.
int
snprintf(char *buf, int n, char *fmt, ...)
{
  struct sink out = { buf, 0, n };
  va_list ap;

  if(n <= 0)
    return 0;
  va_start(ap, fmt);
  vprint(&out, fmt, ap);
  va_end(ap);
  buf[out.n] = 0;
  return out.n;
}

void
panic(char *s)
{
  int me;

  intr_off();   // nothing else runs on this hart from here on
  me = cpuid();
  if(!__sync_bool_compare_and_swap(&panic_hart, -1, me)){
    if(panic_hart == me)
      poweroff(EXIT_PANIC);   // printing our own panic message panicked
    for(;;)
      ;                       // another hart is stopping the machine
  }
  panicked = 1;
  pr.locking = 0;
  printf("panic: %s (hart %d)\n", s, me);
  poweroff(EXIT_PANIC);
}

void
printfinit(void)
{
  initlock(&pr.lock, "pr");
  pr.locking = 1;
}

#if RECOVERY
uint64
pr_register(void)
{
  ev6_registry_add(EV6_T_PR, &pr, 1, sizeof(pr));
  audit_lock_add(&pr.lock);
  return 0;
}

// Internal-Surgery for the printf lock (restore): the lock's state comes
// from the ledger, `locking` from whether the kernel has panicked.
int
pr_recover(struct ev6_error *e)
{
  if(ev6_seize_spinlock(e, &pr.lock, "pr"))
    release(&pr.lock);
  pr.locking = !panicked;
  ev6_poison_clear(&pr, sizeof(pr));
  return 0;
}
#endif

// A fail-stop is reporting: print without the lock from now on, as a
// panic does (the stopping hart may hold it, or it may be the damage).
void
printf_unlocked(void)
{
  pr.locking = 0;
}
