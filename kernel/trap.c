// Traps: system calls, exceptions and device interrupts, from user mode
// (uservec in trampoline.S -> usertrap) and from supervisor mode
// (kernelvec.S -> kerneltrap), and the way back to user mode
// (usertrapret -> userret).
//
// The timer is the Sstc stimecmp of each hart; hart 0 advances `ticks`
// every TICK_CYCLES, and every hart yields the running process on its own
// tick.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"
#include "kernel/drvctl.h"

struct spinlock tickslock;
uint ticks;   // 10 ms ticks since boot; tickslock guards it

// The latest hardware-error exception each hart took, written on entry
// before anything else runs. A debugger that delivered an error reads it
// to confirm the hart really trapped with the cause and address it wrote
// (campaign/README.md, "Delivering an error"). Only the hart itself writes
// its slot, with interrupts off; count changes last.
struct hwerror_seen {
  uint64 scause, stval, sepc;
  volatile uint64 count;    // exceptions taken so far
} hwerror_seen[NCPU];

static void
note_hwerror(uint64 scause, uint64 stval, uint64 sepc)
{
  struct hwerror_seen *h = &hwerror_seen[cpuid()];

  h->scause = scause;
  h->stval = stval;
  h->sepc = sepc;
  __sync_synchronize();
  h->count = h->count + 1;
}

extern char trampoline[], uservec[], userret[];   // trampoline.S
void kernelvec(void);                             // kernelvec.S

#define CSR_STIMECMP "0x14d"

// What a trap handler decided about the interrupt it found.
enum irq_kind { IRQ_NONE, IRQ_DEVICE, IRQ_TIMER };

void
trapinit(void)
{
  initlock(&tickslock, "time");
}

// Traps taken in supervisor mode go to kernelvec on this hart.
void
trapinithart(void)
{
  CSR_WRITE(stvec, (uint64)kernelvec);
  // User programs may read `time` (rdtime): usertests times each test in
  // it, which is deterministic under QEMU's -icount (make bench).
  CSR_WRITE(scounteren, SCOUNTEREN_TM);
}

static void
clockintr(void)
{
#if RECOVERY
  mycpu()->clockintrs++;
#endif
  if(cpuid() == 0){
    acquire(&tickslock);
    ticks++;
    wakeup(&ticks);
    release(&tickslock);
  }
  asm volatile("csrw " CSR_STIMECMP ", %0" : : "r"(r_time() + TICK_CYCLES));
  drv_tick();
}

// Handle a device or timer interrupt if scause names one.
static enum irq_kind
devintr(uint64 scause)
{
  if(scause == SCAUSE_SEXT){
    int irq = plic_claim();

    if(irq == UART0_IRQ)
      uartintr();
    else if(irq == VIRTIO0_IRQ)
      virtio_disk_intr();
    else if(irq)
      printf("devintr: unexpected irq %d\n", irq);
    if(irq)
      plic_complete(irq);
    return IRQ_DEVICE;
  }
  if(scause == SCAUSE_STIMER){
    clockintr();
    return IRQ_TIMER;
  }
#if RECOVERY
  if(scause == SCAUSE_SSOFT){
    ev6_scrub_intr();       // the platform's error record (ev6_scrub.c)
    return IRQ_DEVICE;
  }
#endif
  return IRQ_NONE;
}

// Did an interrupt just wake a driver task (drv_notify)? Then the hart
// yields at once rather than at its next tick. Interrupts are off.
static int
resched(void)
{
  struct cpu *c = mycpu();
  int r = c->resched;

  c->resched = 0;
  return r;
}

static void hwerror_user(struct proc *p, uint64 addr);

#if RECOVERY && FAULTS
// A page fault whose walk from root met the damaged page-table entry is
// the hardware error that walk's read of the entry raises (fi.c,
// fi_walk_met): recorded like one. The entry's address, FI_WALK_AGAIN
// (raised already: make the access again), or 0.
static uint64
walk_error(pagetable_t root, uint64 scause, uint64 sepc)
{
  uint64 pte;

  if(scause != SCAUSE_FETCH_PF && scause != SCAUSE_LOAD_PF && scause != SCAUSE_STORE_PF)
    return 0;
  pte = fi_walk_met(root, r_stval(), sepc);
  if(pte != 0 && pte != FI_WALK_AGAIN)
    note_hwerror(SCAUSE_HWERROR, pte, sepc);
  return pte;
}
#endif

// A trap from user mode, entered from uservec on the process's kernel
// stack with the user registers in p->trapframe.
void
usertrap(void)
{
  struct proc *p = myproc();
  uint64 scause = r_scause();
  enum irq_kind irq = IRQ_NONE;
#if RECOVERY && FAULTS
  uint64 raised;
#endif

  if((r_sstatus() & SSTATUS_SPP) != 0){
    // What came (scause 3, a breakpoint, is no trap this kernel makes).
    printf("usertrap: scause 0x%lx sepc 0x%lx stval 0x%lx\n", scause, r_sepc(), r_stval());
    panic("usertrap: not from user mode");
  }

  // Traps taken from now on are kernel traps.
  CSR_WRITE(stvec, (uint64)kernelvec);

  p->trapframe->epc = r_sepc();

  if(scause == SCAUSE_ECALL_U){
    if(killed(p))
      exit(-1);
    p->trapframe->epc += 4;   // return past the ecall
    intr_on();                // sepc, scause, sstatus are saved by now
    syscall();
#if RECOVERY && FAULTS
    // EV6_INJECT_USER: the hart, back in user mode, would walk the table
    // the call damaged and trap here with this cause and address.
    raised = ev6_take_user_raised(p);
    if(raised){
      intr_off();
      note_hwerror(SCAUSE_HWERROR, raised, p->trapframe->epc);
      hwerror_user(p, raised);
    }
#endif
  } else if(scause == SCAUSE_HWERROR){
    note_hwerror(scause, r_stval(), r_sepc());
    hwerror_user(p, r_stval());
#if RECOVERY && FAULTS
  } else if((raised = walk_error(p->pagetable, scause, r_sepc())) != 0){
    if(raised != FI_WALK_AGAIN)
      hwerror_user(p, raised);
#endif
  } else if((irq = devintr(scause)) == IRQ_NONE){
    printf("usertrap(): unexpected scause 0x%lx pid=%d sepc=0x%lx stval=0x%lx\n",
           scause, p->pid, r_sepc(), r_stval());
    setkilled(p);
  }

  if(killed(p))
    exit(-1);
  if(irq == IRQ_TIMER || resched()){
    yield();
    // A kill that came while it waited to run: die now, not after one
    // more time slice of user code.
    if(killed(p))
      exit(-1);
  }

  usertrapret();
}

// An uncorrectable memory error reported while the hart ran user code.
static void
hwerror_user(struct proc *p, uint64 addr)
{
#if RECOVERY
  ev6_user_error(addr);
  // A clean page of its program that surgery zeroed: read it again now,
  // with interrupts on (it may sleep), before the access is made again.
  intr_on();
  if(upage_refill(p) < 0)
    setkilled(p);
#else
  printf("usertrap(): uncorrectable memory error at 0x%lx pid=%d\n", addr, p->pid);
  panic("uncorrectable memory error");
#endif
}

// Return to user mode: point traps at uservec, fill in the kernel values
// uservec will need next time, and jump to userret in the trampoline.
void
usertrapret(void)
{
  struct proc *p = myproc();
  uint64 x, satp;
  void (*to_userret)(uint64);

  // No trap may arrive between switching stvec and reaching user mode.
  intr_off();
  CSR_WRITE(stvec, TRAMPOLINE + (uservec - trampoline));

  p->trapframe->kernel_satp = r_satp();
  p->trapframe->kernel_sp = p->kstack + PGSIZE;
  p->trapframe->kernel_trap = (uint64)usertrap;
  p->trapframe->kernel_hartid = r_tp();

  x = r_sstatus();
  x &= ~SSTATUS_SPP;    // sret goes to user mode
  x |= SSTATUS_SPIE;    // with interrupts enabled
  w_sstatus(x);
  w_sepc(p->trapframe->epc);

  satp = MAKE_SATP(p->pagetable);
  to_userret = (void (*)(uint64))(TRAMPOLINE + (userret - trampoline));
  to_userret(satp);
}

// The registers kernelvec saved, x1..x31 in order.
struct kernel_regs {
  uint64 ra, sp, gp, tp, t0, t1, t2, s0, s1;
  uint64 a0, a1, a2, a3, a4, a5, a6, a7;
  uint64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
  uint64 t3, t4, t5, t6;
};

// A trap from supervisor mode: an interrupt, or a kernel bug.
void
kerneltrap(struct kernel_regs *regs)
{
  uint64 sepc = r_sepc();
  uint64 sstatus = r_sstatus();
  uint64 scause = r_scause();
  enum irq_kind irq;

  if((sstatus & SSTATUS_SPP) == 0)
    panic("kerneltrap: not from supervisor mode");
  if(intr_get())
    panic("kerneltrap: interrupts enabled");
  if(scause == SCAUSE_HWERROR)
    note_hwerror(scause, r_stval(), sepc);

#if RECOVERY
  // ev6_kernel_error returns only when the damage was another process's
  // state, rewritten, kernel text or the kernel's page table, restored:
  // the access is made again (a hardware error, or the page fault of a
  // walk that met a poisoned entry), or the raise is over (ev6_access's
  // ebreak, 2 or 4 bytes long).
  if(scause == SCAUSE_HWERROR){
    ev6_kernel_error(sepc, regs->ra, regs->sp, regs->s0, r_stval());
    w_sepc(sepc);
    w_sstatus(sstatus);
    return;
  }
#if FAULTS
  uint64 pte = walk_error((pagetable_t)SATP2PT(r_satp()), scause, sepc);
  if(pte){
    if(pte != FI_WALK_AGAIN)
      ev6_kernel_error(sepc, regs->ra, regs->sp, regs->s0, pte);
    w_sepc(sepc);
    w_sstatus(sstatus);
    return;
  }
  if(scause == SCAUSE_BREAKPOINT){
    uint64 addr = ev6_take_raised();
    if(addr){
      ev6_kernel_error(sepc, regs->ra, regs->sp, regs->s0, addr);
      w_sepc(sepc + ((*(ushort*)sepc & 3) == 3 ? 4 : 2));
      w_sstatus(sstatus);
      return;
    }
  }
#endif
#endif

  if((irq = devintr(scause)) == IRQ_NONE){
    if(myproc() != 0 && myproc()->drv != 0){
      // A driver task crashed: only it is restarted (drv.c).
      printf("drv: task %s crashed: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
             myproc()->name, scause, sepc, r_stval());
      drv_crashed(DRV_W_CRASH);
    }
    printf("kerneltrap: scause 0x%lx sepc 0x%lx stval 0x%lx ra 0x%lx sp 0x%lx\n",
           scause, sepc, r_stval(), regs->ra, regs->sp);
    panic("kerneltrap");
  }

  if((irq == IRQ_TIMER || resched()) && myproc() != 0)
    yield();

  // yield() may have run other code that trapped and changed these.
  w_sepc(sepc);
  w_sstatus(sstatus);
}
