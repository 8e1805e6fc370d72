// Driver for the 16550A UART at UART0, the serial line QEMU connects to its
// standard input and output.
//
// Interface:
//   uartinit()        once, on hart 0 at boot (from consoleinit): 38.4K
//                     baud, 8N1, FIFOs on, receive and transmit interrupts
//                     on; bytes already received go to consoleintr()
//   uartputc(c)       queue c for output. Sleeps while the queue is full, so
//                     only a process may call it (console writes).
//   uartputc_sync(c)  send c now, spinning until the UART has room. Never
//                     sleeps: for kernel printf and for echoing typed keys.
//   uart_drain()      wait until everything sent has left (for poweroff)
//   uart_hold(spins), uart_unhold()
//                     keep queued output out while kernel printf prints
//   uartintr()        on a UART interrupt: hand received bytes to
//                     consoleintr() while the console has room, then feed
//                     the UART from the queue.
//   uartrxintr(on)    receive interrupts on or off (console.c, under
//                     cons.lock)
//
// Input flow control: when the console's buffer is full, uartintr() leaves
// further bytes in the UART and consoleroom() turns receive interrupts off;
// QEMU then holds the rest of its input. consoleread() turns them back on
// once it has made room. So input typed (or piped) ahead is never dropped.
//
// Queued output is sent by uartstart(), both when a byte is queued and when
// the UART interrupts to say its transmitter is empty.
//
// After a panic (`panicked`, set by panic() in printf.c before it prints)
// only the panicking hart may print: any other that tries spins here
// forever with interrupts off, so the panic message comes out whole and
// nothing follows it.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// UART registers, as byte offsets from UART0.
#define RHR 0                  // receive holding register (read)
#define THR 0                  // transmit holding register (write)
#define DLL 0                  // divisor latch, low byte (while LCR_DLAB)
#define DLM 1                  // divisor latch, high byte (while LCR_DLAB)
#define IER 1                  // interrupt enable
#define IER_RX (1 << 0)        //   a byte was received
#define IER_TX (1 << 1)        //   the transmitter became empty
#define FCR 2                  // FIFO control (write)
#define FCR_ENABLE (1 << 0)
#define FCR_CLEAR (3 << 1)     //   empty both FIFOs
#define ISR 2                  // interrupt status (read)
#define LCR 3                  // line control
#define LCR_8N1 3              //   8 data bits, no parity, 1 stop bit
#define LCR_DLAB (1 << 7)      //   registers 0 and 1 are the divisor latch
#define LSR 5                  // line status
#define LSR_RX_READY (1 << 0)  //   RHR holds a byte
#define LSR_TX_EMPTY (1 << 5)  //   THR (the transmit FIFO) is empty
#define LSR_TX_IDLE  (1 << 6)  //   ... and the last byte has left

static inline uint8
uart_rd(int reg)
{
  return *(volatile uint8 *)(UART0 + reg);
}

static inline void
uart_wr(int reg, uint8 v)
{
  *(volatile uint8 *)(UART0 + reg) = v;
}

extern volatile int panicked;     // printf.c
extern volatile int panic_hart;   // printf.c

// After a panic, stop here unless this is the panicking hart. Interrupts
// must be off, so cpuid() is stable.
static void
uart_stop_if_panicked(void)
{
  if(panicked && panic_hart != cpuid()){
    for(;;)
      ;
  }
}

// The output queue. uart_tx_lock protects uart_tx_buf, uart_tx_r and
// uart_tx_w. The indices only grow: bytes uart_tx_r .. uart_tx_w-1 (taken
// mod UART_TX_SIZE) are queued. Writers waiting for room sleep on
// &uart_tx_r.
struct spinlock uart_tx_lock;
static char uart_tx_buf[UART_TX_SIZE];
static uint64 uart_tx_r;   // next byte to send
static uint64 uart_tx_w;   // next free slot

static void uartstart(void);

void
uartinit(void)
{
  uart_wr(IER, 0);             // no interrupts while configuring
  uart_wr(LCR, LCR_DLAB);
  uart_wr(DLL, 3);             // 115200 / 3 = 38400 baud
  uart_wr(DLM, 0);
  uart_wr(LCR, LCR_8N1);       // also hides the divisor latch again

  // Input that arrived before boot (a test harness pipes in its commands
  // at once) waits in RHR, and turning the FIFOs on would discard it: pass
  // it on now. Each read of RHR lets QEMU deliver the next byte it holds.
  // consoleinit() has readied the console for this.
  while((uart_rd(LSR) & LSR_RX_READY) != 0)
    consoleintr(uart_rd(RHR));

  uart_wr(FCR, FCR_ENABLE | FCR_CLEAR);
  uart_wr(IER, IER_RX | IER_TX);

  initlock(&uart_tx_lock, "uart");
}

void
uartputc(int c)
{
  acquire(&uart_tx_lock);
  uart_stop_if_panicked();
  while(uart_tx_w - uart_tx_r == UART_TX_SIZE){
    // Full: uartstart() wakes us once the UART has taken some bytes.
    sleep(&uart_tx_r, &uart_tx_lock);
  }
  uart_tx_buf[uart_tx_w % UART_TX_SIZE] = c;
  uart_tx_w++;
  uartstart();
  release(&uart_tx_lock);
}

void
uartputc_sync(int c)
{
  push_off();
  uart_stop_if_panicked();
  while((uart_rd(LSR) & LSR_TX_EMPTY) == 0)
    ;
  uart_wr(THR, c);
  pop_off();
}

// Keep queued output (uartstart) out of the UART while a kernel printf's
// bytes go out. Returns whether it took the lock: not when this hart
// already holds it, nor, with spins > 0, when it stays busy that long
// (spins == 0 waits). Interrupts are off.
int
uart_hold(int spins)
{
  if(holding(&uart_tx_lock))
    return 0;
  if(spins > 0)
    return tryacquire(&uart_tx_lock, spins);
  acquire(&uart_tx_lock);
  return 1;
}

// Undo a uart_hold() that returned 1.
void
uart_unhold(void)
{
  release(&uart_tx_lock);
}

// Wait until every byte given to the UART has left it (poweroff: QEMU
// drops what its serial device still holds when the machine stops). The
// wait is bounded, for a UART that never reports idle.
void
uart_drain(void)
{
  int spins;

  for(spins = 0; spins < UART_DRAIN_SPINS && (uart_rd(LSR) & LSR_TX_IDLE) == 0; spins++)
    ;
}

// Move queued bytes to the UART while it has room. One byte per check of
// LSR_TX_EMPTY, so a racing uartputc_sync() on another hart can at worst
// put a second byte into the 16-byte FIFO. When the FIFO drains the UART
// interrupts and uartintr() calls this again. Caller holds uart_tx_lock.
static void
uartstart(void)
{
  uint64 r0 = uart_tx_r;

  while(uart_tx_r != uart_tx_w && (uart_rd(LSR) & LSR_TX_EMPTY) != 0){
    uart_wr(THR, uart_tx_buf[uart_tx_r % UART_TX_SIZE]);
    uart_tx_r++;
  }
  if(uart_tx_r != r0)
    wakeup(&uart_tx_r);
}

void
uartintr(void)
{
  // Reading ISR acknowledges a "transmitter empty" interrupt; otherwise it
  // would stay pending while the queue is empty and interrupt endlessly.
  uart_rd(ISR);

  while((uart_rd(LSR) & LSR_RX_READY) != 0 && consoleroom())
    consoleintr(uart_rd(RHR));

  acquire(&uart_tx_lock);
  uartstart();
  release(&uart_tx_lock);
}

void
uartrxintr(int on)
{
  uart_wr(IER, on ? IER_RX | IER_TX : IER_TX);
}
