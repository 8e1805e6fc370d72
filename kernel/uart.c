// Driver for the 16550A UART at UART0, the serial line QEMU connects to its
// standard input and output. It runs as a driver task (drv.c): a kernel
// thread of its own that the rest of the kernel reaches only by messages.
//
// Interface:
//   uart_task_init()  at boot, after the disk's slot: the task's slot. From
//                     here on every register access is logged in it.
//   uart_task_start() after the first process exists: start the task, which
//                     sets the device up (38.4K baud, 8N1, FIFOs on,
//                     receive and transmit interrupts on) and hands bytes
//                     received before boot to consoleintr()
//   uart_write(buf, n)  send n <= UART_MSG_SIZE bytes of kernel memory:
//                     a DRV_OUTPUT message; sleeps until the task has given
//                     every byte to the UART. Only a process may call it
//                     (console writes).
//   uartintr()        the kernel's half of the interrupt: read ISR (which
//                     acknowledges "transmitter empty"); tell the task its
//                     FIFO has drained (drv_notify), or, for received data,
//                     mask receive interrupts and post the task the
//                     DRV_INPUT message. The task reads RHR and hands the
//                     bytes to consoleintr().
//   uartrxintr(on)    receive interrupts on or off (console.c's flow
//                     control, under cons.lock)
//   uartputc_sync(c)  the kernel's own synchronous path: send c now,
//                     spinning until the UART has room. Never sleeps and
//                     sends no message: for kernel printf (which may run
//                     with interrupts off, spinlocks held, in the UART task
//                     itself, during a panic or an Ev6 report) and for
//                     echoing typed keys. Its accesses are logged too.
//   uart_drain()      wait until everything sent has left (for poweroff)
//   uart_hold(nowait), uart_unhold()
//                     keep the task's output out while kernel printf
//                     prints a line (uart_tx_lock)
//
// Output. The task writes at most UART_FIFO bytes (the transmit FIFO) per
// burst, and only after reading LSR_TX_EMPTY, under uart_tx_lock so that a
// kernel printf's line is never split by a burst; then it waits for the
// "transmitter empty" interrupt. The message records how many bytes have
// been given to the UART (sent), so a restarted task resumes after the
// last byte written: none is lost or sent twice.
//
// Input flow control: when the console's buffer is full, the task leaves
// further bytes in the UART and consoleroom() keeps receive interrupts off;
// QEMU then holds the rest of its input. consoleread() turns them back on
// once it has made room. So input typed (or piped) ahead is never dropped.
//
// Restart (uart_restart): the device is set up again only when uart_valid
// finds an illegal register access in the task's I/O log.
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
#include "kernel/ev6.h"
#include "kernel/defs.h"
#include "kernel/drv.h"

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
#define ISR_NONE 0x01          //   no interrupt pending
#define ISR_ID   0x0f          //   which one is:
#define ISR_TX   0x02          //     the transmitter is empty
#define LCR 3                  // line control
#define LCR_8N1 3              //   8 data bits, no parity, 1 stop bit
#define LCR_DLAB (1 << 7)      //   registers 0 and 1 are the divisor latch
#define LSR 5                  // line status (read only)
#define LSR_RX_READY (1 << 0)  //   RHR holds a byte
#define LSR_TX_EMPTY (1 << 5)  //   THR (the transmit FIFO) is empty
#define LSR_TX_IDLE  (1 << 6)  //   ... and the last byte has left

// An address no page table maps: the injected crash stores to it.
static volatile uint64 wild_addr = 8;

static struct drvtask *ut;      // the UART's task (0 early in boot)
static struct drvmsg inputmsg;  // DRV_INPUT, posted by uartintr

// Only the UART task touches what follows, except tx_wait, which the
// interrupt handler clears when it tells the task its burst has left.
struct {
  struct drvlock lock;          // held while a request is served
  int left;                     // bytes of the request still to send
  volatile int tx_wait;         // a burst is in the FIFO: notify its drain
} uart;

// Taken by every burst and by kernel printf's whole line (uart_hold).
struct spinlock uart_tx_lock;

static void uart_init(struct drvtask *t);
static int uart_restart(struct drvtask *t, int reinit);
static int uart_valid(struct drvtask *t);
static void uart_serve(struct drvtask *t, struct drvmsg *m);

static const struct drvops uart_ops = { uart_init, uart_restart, uart_valid, uart_serve, &uart_tx_lock };

extern volatile int panicked;     // printf.c
extern volatile int panic_hart;   // printf.c

// The synchronous path's accesses: through the task's log once it exists.
static uint8
uart_rd(int reg)
{
  return ut ? drv_rd8(ut, reg) : *(volatile uint8 *)(UART0 + reg);
}

static void
uart_wr(int reg, uint8 v)
{
  if(ut)
    drv_wr8(ut, reg, v);
  else
    *(volatile uint8 *)(UART0 + reg) = v;
}

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

void
uart_task_init(void)
{
  initlock(&uart_tx_lock, "uart");
  inputmsg.op = DRV_INPUT;
  if((ut = drv_create("uart", &uart_ops, UART0)) == 0 || ut != &drvtasks[DRV_TASK_UART])
    panic("uart_task_init: no task slot");
}

void
uart_task_start(void)
{
  drv_start(ut);
}

// Set the device up from scratch; the log's new device life starts here.
// The divisor is written under uart_tx_lock: while LCR_DLAB is set a
// printf's byte would land in the divisor latch.
static void
uart_device_init(struct drvtask *t)
{
  t->init_n = t->log_n;
  acquire(&uart_tx_lock);
  drv_wr8(t, IER, 0);            // no interrupts while configuring
  drv_wr8(t, LCR, LCR_DLAB);
  drv_wr8(t, DLL, 3);            // 115200 / 3 = 38400 baud
  drv_wr8(t, DLM, 0);
  drv_wr8(t, LCR, LCR_8N1);      // also hides the divisor latch again
  release(&uart_tx_lock);

  // Input that arrived before boot (a test harness pipes in its commands
  // at once) waits in RHR, and turning the FIFOs on would discard it: pass
  // it on now. Each read of RHR lets QEMU deliver the next byte it holds.
  while((drv_rd8(t, LSR) & LSR_RX_READY) != 0)
    consoleintr(drv_rd8(t, RHR));

  drv_wr8(t, FCR, FCR_ENABLE | FCR_CLEAR);
  drv_wr8(t, IER, IER_RX | IER_TX);
}

static void
uart_software_init(void)
{
  uart.lock.held = 0;
  uart.left = 0;
  uart.tx_wait = 0;
}

static void
uart_init(struct drvtask *t)
{
  uart_software_init();
  uart_device_init(t);
}

// Nothing of the device's set-up depends on the driver's state: unless the
// log shows it was driven wrongly, it is left as it is. A byte the failed
// task wrote is counted in its message, so the resubmitted request goes on
// after it.
static int
uart_restart(struct drvtask *t, int reinit)
{
  uart_software_init();
  if(reinit)
    uart_device_init(t);
  return reinit;
}

// The validator. Walks the log from the device's last set-up (or from the
// oldest access the log still holds) against the 16550's legal sequence:
// a life starts with IER = 0, the divisor (LCR_DLAB, DLL, DLM), LCR = 8N1
// and FCR, in that order, and that is the only time LCR, the divisor and
// FCR are written; IER afterwards only ever holds IER_TX or IER_RX|IER_TX
// (the handler masks receive interrupts, the task and the console unmask
// them); THR is written at most UART_FIFO times after a read of LSR showed
// the FIFO empty; nothing else is ever written (LSR and MSR are read only,
// MCR and the scratch register unused). While the life's set-up runs,
// kernel printf may still write THR (by the same rule), and an interrupt
// of the previous life may mask receive interrupts.
static int
uart_valid(struct drvtask *t)
{
  static const struct { uint8 reg, val; } setup[] = {
    { IER, 0 }, { LCR, LCR_DLAB }, { DLL, 3 }, { DLM, 0 }, { LCR, LCR_8N1 },
    { FCR, FCR_ENABLE | FCR_CLEAR },
  };
  uint64 n = t->init_n;
  uint step = 0;
  int room = 0;                 // THR writes the last LSR read allows
  struct drvio *e;

  if(drv_log_at(t, n) == 0){
    n = t->log_n > DRV_LOG_SIZE ? t->log_n - DRV_LOG_SIZE : 0;
    step = NELEM(setup);
    room = UART_FIFO;           // the LSR read before the oldest entry is gone
  }
  for(; (e = drv_log_at(t, n)) != 0; n++){
    if(!e->write){
      if(e->off == LSR && (e->val & LSR_TX_EMPTY))
        room = UART_FIFO;
      continue;
    }
    if(step < NELEM(setup) && e->off == setup[step].reg && e->val == setup[step].val){
      step++;
    } else if(e->off == THR && (step < 2 || step >= 5)){
      if(room-- <= 0)           // (while LCR_DLAB, offsets 0 and 1 are the divisor)
        return 0;
    } else if(e->off == IER && (step < 2 || step >= 5)){
      if(e->val != IER_TX && (e->val != (IER_RX | IER_TX) || step < NELEM(setup)))
        return 0;
    } else {
      return 0;
    }
  }
  return 1;
}

// The client's side: send n bytes and wait until all are in the UART.
void
uart_write(const char *buf, int n)
{
  struct drvmsg m;

  memset(&m, 0, sizeof(m));
  m.op = DRV_OUTPUT;
  m.data = buf;
  m.len = n;
  drv_call(ut, &m);
}

// Give up to UART_FIFO bytes of m to the UART if its FIFO is empty;
// whether it was. Either way the caller then waits for the FIFO to drain. Each byte is counted in m as it is written, interrupts
// off, so no failure falls between the two.
static int
uart_burst(struct drvtask *t, struct drvmsg *m)
{
  int n;

  acquire(&uart_tx_lock);
  uart_stop_if_panicked();
  // First: any "transmitter empty" from now on notifies the task, so
  // whichever comes (this burst's, or a busy FIFO's) the wait ends.
  uart.tx_wait = 1;
  if((drv_rd8(t, LSR) & LSR_TX_EMPTY) == 0){
    release(&uart_tx_lock);
    return 0;
  }
  if(m->sent > 0 && drv_take_fault(t, DRV_F_LOCKCRASH))
    *(volatile uint64 *)wild_addr = 0;    // a wild pointer, uart_tx_lock held
  for(n = 0; n < UART_FIFO && uart.left > 0; n++){
    drv_wr8(t, THR, m->data[m->sent]);
    m->sent++;
    uart.left--;
  }
  release(&uart_tx_lock);
  return 1;
}

// One DRV_OUTPUT request. The injected faults fire before the second
// burst, when the first has left: mid-request, with bytes sent and bytes
// still to send (docs/drivers.md).
static void
uart_output(struct drvtask *t, struct drvmsg *m)
{
  drv_lock(t, &uart.lock);
  uart.left = m->len - m->sent;
  if(m->resubmitted && uart.left == 0)
    t->st.answered++;           // every byte had gone out before the restart
  while(uart.left > 0){
    if(m->sent + uart.left != m->len)
      drv_panic(t, "byte count out of step");
    if(m->sent > 0){
      if(drv_take_fault(t, DRV_F_DEADLOCK))
        drv_lock(t, &uart.lock);          // held already: sleeps for ever
      if(drv_take_fault(t, DRV_F_CRASH))
        *(volatile uint64 *)wild_addr = 0;
      if(drv_take_fault(t, DRV_F_BADWRITE))
        drv_wr8(t, IER, 0);               // no more "transmitter empty"
      if(drv_take_fault(t, DRV_F_LOOP))
        for(;;)
          asm volatile("");
      if(drv_take_fault(t, DRV_F_CORRUPT)){
        uart.left += UART_MSG_SIZE;       // the count no longer matches
        continue;
      }
    }
    uart_burst(t, m);
    drv_wait_event(t);          // the FIFO has drained
  }
  drv_unlock(t, &uart.lock);
  drv_reply(t, m);
}

// DRV_INPUT: hand received bytes to the console while it has room. If it
// has none, consoleroom() has left receive interrupts off (consoleread
// turns them on); else they go back on. A byte arriving after the last
// check interrupts again and posts the message again.
static void
uart_input(struct drvtask *t)
{
  while((drv_rd8(t, LSR) & LSR_RX_READY) != 0){
    if(!consoleroom())
      return;
    consoleintr(drv_rd8(t, RHR));
  }
  uartrxintr(1);
}

static void
uart_serve(struct drvtask *t, struct drvmsg *m)
{
  if(m->op == DRV_INPUT)
    uart_input(t);
  else if(m->op == DRV_OUTPUT){
    uart_output(t, m);
    return;
  } else
    drv_panic(t, "unknown request");
  drv_reply(t, m);
}

void
uartintr(void)
{
  uint8 isr = drv_rd8(ut, ISR);

  if(isr & ISR_NONE)
    return;
  if((isr & ISR_ID) == ISR_TX){
    if(uart.tx_wait){
      uart.tx_wait = 0;
      drv_notify(ut);
    }
  } else {
    // Received data (the only other source enabled): the interrupt stays
    // pending until RHR is read, so it is masked until the task has.
    drv_wr8(ut, IER, IER_TX);
    drv_post(ut, &inputmsg);
  }
}

void
uartrxintr(int on)
{
  drv_wr8(ut, IER, on ? IER_RX | IER_TX : IER_TX);
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

// Keep the task's bursts out of the UART while a kernel printf's bytes go
// out. Returns whether it took the lock: not when this hart already holds
// it, nor, with nowait (printf_nowait), when ev6_wait_spinlock does not
// get it. Interrupts are off.
int
uart_hold(int nowait)
{
  if(holding(&uart_tx_lock))
    return 0;
  if(nowait)
    return ev6_wait_spinlock(&uart_tx_lock);
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
