// Physical and virtual memory layout of the QEMU virt machine and of our
// address spaces.
//
// Physical (qemu -machine virt):
//   0x00100000  test device (power off / reset)
//   0x02000000  CLINT
//   0x0C000000  PLIC
//   0x10000000  UART0 (16550)
//   0x10001000  virtio-mmio disk
//   0x80000000  RAM: kernel text and data, then free pages up to PHYSTOP
//
// The kernel maps all of this one-to-one. Every address space also maps the
// trampoline page at the top of virtual memory, and user space maps its
// trapframe just below it.

#define TESTDEV   0x00100000L
#define TESTDEV_PASS  0x5555   // power off, QEMU exits 0
#define TESTDEV_FAIL  0x3333   // power off, QEMU exits with (value >> 16)

#define CLINT     0x02000000L

#define UART0     0x10000000L
#define UART0_IRQ 10

#define VIRTIO0     0x10001000L
#define VIRTIO0_IRQ 1

#define PLIC             0x0c000000L
#define PLIC_PRIORITY    (PLIC + 0x0)
#define PLIC_PENDING     (PLIC + 0x1000)
#define PLIC_SENABLE(h)  (PLIC + 0x2080 + (h)*0x100)   // S-mode context of hart h
#define PLIC_SPRIORITY(h) (PLIC + 0x201000 + (h)*0x2000)
#define PLIC_SCLAIM(h)   (PLIC + 0x201004 + (h)*0x2000)

#define KERNBASE 0x80000000L
#if TRACE
// A TRACE=1 kernel keeps the top 16 MB of RAM as the sanitizer's shadow
// (kernel/ev6_trace.c): the byte at SHADOW(a) is non-zero iff a lies in a
// traced object, and only then does an access call a hook. The compiler
// adds TRACE_SHADOW_OFFSET (the Makefile reads it from here).
#define PHYSTOP  (KERNBASE + 112*1024*1024)
#define TRACE_SHADOW_OFFSET 0x77000000L
#define SHADOW(a) (((uint64)(a) >> 3) + TRACE_SHADOW_OFFSET)
#define TRACE_SHADOW_TOP (KERNBASE + 128*1024*1024)
#else
#define PHYSTOP  (KERNBASE + 128*1024*1024)
#endif

#define TRAMPOLINE (MAXVA - PGSIZE)
// Kernel stack of process slot p: one page, with an unmapped guard page below.
#define KSTACK(p)  (TRAMPOLINE - ((p)+1) * 2*PGSIZE)
#define TRAPFRAME  (TRAMPOLINE - PGSIZE)

// User address space, from 0:
//   text, data, bss, guard page, stack page, heap (grows with sbrk),
//   ..., TRAPFRAME, TRAMPOLINE.

// QEMU exit statuses chosen by the kernel when it stops the machine.
#define EXIT_PANIC     3   // panic()
#define EXIT_FAILSTOP  4   // Ev6 recovery chose Fail-Stop
