// The console: the device behind file descriptors 0, 1 and 2 of the first
// process (major number CONSOLE), a line-edited terminal on the UART.
//
// Interface:
//   consoleinit()   once, on hart 0 at boot: UART set-up, and the console's
//                   read and write functions put into devsw[CONSOLE]
//   consoleread()   via devsw: sleep until a whole line (or ^D) has been
//                   typed, then copy at most one line to the caller
//   consolewrite()  via devsw: copy bytes from the caller and send them to
//                   the UART task, UART_MSG_SIZE per message (uart_write)
//   consoleintr(c)  from the UART task, for every byte typed
//   consoleroom()   from the UART task: may another byte be passed in? If not,
//                   UART receive interrupts stay off until a read makes
//                   room, so input waits in the UART instead of being lost
//   consputc(c)     one byte straight to the UART, for printf and echo
//
// Typed characters are echoed and kept in cons.buf, where the current line
// can be edited: backspace (^H or DEL) erases a character, ^U the whole
// line. A newline (CR is taken as NL), ^D, or a full buffer hands the
// text so far to readers. ^D marks end of file: a read that meets it before
// any other character returns 0. ^P lists the processes (procdump).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"

#define BACKSPACE 0x100           // consputc: erase the last character shown
#define CTRL(x)   ((x) - '@')     // the control key with x, e.g. CTRL('D')

// Typed input. The indices only grow and are taken mod INPUT_BUF_SIZE;
// r <= w <= e <= r + INPUT_BUF_SIZE. Bytes r .. w-1 may be read; bytes
// w .. e-1 are the line still being edited. Readers sleep on &cons.r.
struct {
  struct spinlock lock;   // protects everything below
  char buf[INPUT_BUF_SIZE];
  uint r;   // next byte to read
  uint w;   // end of the input released to readers
  uint e;   // end of the input typed so far
  int rx_off;   // buf is full, so UART receive interrupts are off
} cons;

void
consputc(int c)
{
  if(c == BACKSPACE){
    // Step back, overwrite with a space, step back again.
    uartputc_sync('\b');
    uartputc_sync(' ');
    uartputc_sync('\b');
  } else {
    uartputc_sync(c);
  }
}

// Write n bytes from src (a user address if user_src) to the console.
// Returns the number written, which is short only if src is bad. Each
// message's bytes come out together, in order.
int
consolewrite(int user_src, uint64 src, int n)
{
  char buf[UART_MSG_SIZE];
  int i, k;

  for(i = 0; i < n; i += k){
    k = n - i < UART_MSG_SIZE ? n - i : UART_MSG_SIZE;
    if(either_copyin(buf, user_src, src + i, k) == -1)
      break;
    uart_write(buf, k);
  }
  return i;
}

// Read at most n bytes of typed input into dst (a user address if
// user_dst), stopping after a newline. Returns the number of bytes copied,
// 0 at end of file (^D), or -1 if the process is killed while it waits.
int
consoleread(int user_dst, uint64 dst, int n)
{
  int want = n;
  char c;

  FI_SITE(consoleread, &cons);
  acquire(&cons.lock);
  while(n > 0){
    while(cons.r == cons.w){
      if(killed(myproc())){
        release(&cons.lock);
        return -1;
      }
      sleep_killable(&cons.r, &cons.lock);
    }

    c = cons.buf[cons.r % INPUT_BUF_SIZE];
    cons.r++;
    if(cons.rx_off){
      // There is room now for input held back in the UART.
      cons.rx_off = 0;
      uartrxintr(1);
    }
    if(c == CTRL('D')){
      // End of file. If this read already has bytes, return them and
      // leave the ^D for the next read, which then returns 0.
      if(n < want)
        cons.r--;
      break;
    }
    if(either_copyout(user_dst, dst, &c, 1) == -1)
      break;
    dst++;
    n--;
    if(c == '\n')
      break;
  }
  release(&cons.lock);

  return want - n;
}

int
consoleroom(void)
{
  int room;

  acquire(&cons.lock);
  room = cons.e - cons.r < INPUT_BUF_SIZE;
  if(!room && !cons.rx_off){
    // Deciding and switching off under cons.lock: consoleread() cannot
    // make room and switch back on in between.
    cons.rx_off = 1;
    uartrxintr(0);
  }
  release(&cons.lock);
  return room;
}

void
consoleintr(int c)
{
  FI_SITE(consoleintr, &cons);
  acquire(&cons.lock);

  switch(c){
  case CTRL('P'):
    procdump();
    break;
  case CTRL('U'):
    // w .. e-1 never holds a newline or ^D: either would have moved w.
    while(cons.e != cons.w){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  case CTRL('H'):
  case '\x7f':
    if(cons.e != cons.w){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  default:
    if(c == 0 || cons.e - cons.r == INPUT_BUF_SIZE)
      break;   // NUL, or no room: the byte is dropped
    if(c == '\r')
      c = '\n';
    if(c != CTRL('D'))
      consputc(c);
    cons.buf[cons.e % INPUT_BUF_SIZE] = c;
    cons.e++;
    if(c == '\n' || c == CTRL('D') || cons.e - cons.r == INPUT_BUF_SIZE){
      cons.w = cons.e;
      wakeup(&cons.r);
    }
    break;
  }

  release(&cons.lock);
}

void
consoleinit(void)
{
  initlock(&cons.lock, "cons");   // the UART task's start may call consoleintr()

  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
}

#if RECOVERY
uint64
cons_register(void)
{
  ev6_registry_add(EV6_T_CONS, &cons, 1, sizeof(cons));
  audit_lock_add(&cons.lock);
  return 0;
}

// Internal-Surgery for the console input buffer (initialize): typed input
// not yet read is lost; the lock is seized (ev6_seize_spinlock: taken once
// no running hart holds it, or kept by a holder that cannot move); input
// held back in the UART is let in again.
int
cons_recover(struct ev6_error *e)
{
  int took = ev6_seize_spinlock(e, &cons.lock, "cons");

  memset(cons.buf, 0, sizeof(cons.buf));
  cons.r = cons.w = cons.e = 0;
  cons.rx_off = 0;
  uartrxintr(1);
  if(took)
    release(&cons.lock);
  ev6_defer_wakeup(&cons.r);
  ev6_poison_clear(&cons, sizeof(cons));
  return 0;
}

// Internal-Surgery for the device switch (restore): its only entries are
// the console's, which are constants.
int
devsw_recover(struct ev6_error *e)
{
  memset(devsw, 0, NDEV * sizeof(struct devsw));
  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
  ev6_poison_clear(devsw, NDEV * sizeof(struct devsw));
  return 0;
}

// The same with no consumer: another hart may be reading devsw, so no
// entry is ever zeroed on the way; each pointer goes from its damaged
// value (poisoned: a reader takes the error) straight to the right one.
int
devsw_scrub(struct ev6_error *e)
{
  for(int i = 0; i < NDEV; i++){
    devsw[i].read = i == CONSOLE ? consoleread : 0;
    devsw[i].write = i == CONSOLE ? consolewrite : 0;
  }
  ev6_poison_clear(devsw, NDEV * sizeof(struct devsw));
  return 0;
}
#endif
