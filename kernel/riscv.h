// RISC-V control and status registers, paging constants, and tiny inline
// accessors. Everything here is from the RISC-V privileged specification.

// mstatus
#define MSTATUS_MPP_MASK (3L << 11)
#define MSTATUS_MPP_S    (1L << 11)
// sstatus
#define SSTATUS_SPP  (1L << 8)   // previous mode: 1 = supervisor
#define SSTATUS_SPIE (1L << 5)   // previous interrupt enable
#define SSTATUS_SIE  (1L << 1)   // supervisor interrupt enable
#define SSTATUS_SUM  (1L << 18)  // supervisor may touch user pages (unused)
// sie / sip
#define SIE_SEIE (1L << 9)   // external
#define SIE_STIE (1L << 5)   // timer
#define SIE_SSIE (1L << 1)   // software
// menvcfg / mcounteren
#define MENVCFG_STCE (1L << 63)  // Sstc: stimecmp enabled
#define SCOUNTEREN_TM (1 << 1)   // user mode may read `time`
#define MCOUNTEREN_TM (1L << 1)
#define MCOUNTEREN_IR (1L << 2)

// scause values
#define SCAUSE_INTR       (1L << 63)
#define SCAUSE_SEXT       (SCAUSE_INTR | 9)
#define SCAUSE_STIMER     (SCAUSE_INTR | 5)
#define SCAUSE_SSOFT      (SCAUSE_INTR | 1)
#define SCAUSE_BREAKPOINT 3
#define SCAUSE_ECALL_U    8
#define SCAUSE_FETCH_PF   12   // page faults: instruction fetch, load, store
#define SCAUSE_LOAD_PF    13
#define SCAUSE_STORE_PF   15
#define SCAUSE_HWERROR    19   // hardware error: an uncorrectable memory error

// Sv39 paging
#define PGSIZE 4096
#define PGSHIFT 12
#define PGROUNDUP(a)   (((a) + PGSIZE - 1) & ~(uint64)(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(uint64)(PGSIZE - 1))

#define PTE_V (1L << 0)
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)
#define PTE_A (1L << 6) // accessed: the MMU sets it (Sv39)
#define PTE_D (1L << 7) // dirty: the MMU sets it

#define PA2PTE(pa)   ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte)  (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

#define PXMASK 0x1FF
#define PXSHIFT(level) (PGSHIFT + 9 * (level))
#define PX(level, va)  ((((uint64)(va)) >> PXSHIFT(level)) & PXMASK)

#define SATP_SV39 (8L << 60)
#define MAKE_SATP(pt) (SATP_SV39 | (((uint64)(pt)) >> 12))
#define SATP2PT(satp) (((satp) & ((1L << 44) - 1)) << 12)   // the root's address

// One bit less than Sv39 allows, so no address needs sign extension.
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))

#ifndef __ASSEMBLER__

#define CSR_READ(name) \
  ({ uint64 _v; asm volatile("csrr %0, " #name : "=r"(_v)); _v; })
#define CSR_WRITE(name, v) asm volatile("csrw " #name ", %0" : : "r"((uint64)(v)))
#define CSR_SET(name, v)   asm volatile("csrs " #name ", %0" : : "r"((uint64)(v)))
#define CSR_CLEAR(name, v) asm volatile("csrc " #name ", %0" : : "r"((uint64)(v)))

static inline uint64 r_mhartid(void) { return CSR_READ(mhartid); }
static inline uint64 r_sstatus(void) { return CSR_READ(sstatus); }
static inline void   w_sstatus(uint64 x) { CSR_WRITE(sstatus, x); }
static inline uint64 r_sepc(void) { return CSR_READ(sepc); }
static inline void   w_sepc(uint64 x) { CSR_WRITE(sepc, x); }
static inline uint64 r_scause(void) { return CSR_READ(scause); }
static inline uint64 r_stval(void) { return CSR_READ(stval); }
static inline uint64 r_satp(void) { return CSR_READ(satp); }
static inline uint64 r_time(void) { return CSR_READ(time); }

static inline uint64 r_tp(void) { uint64 x; asm volatile("mv %0, tp" : "=r"(x)); return x; }
static inline void   w_tp(uint64 x) { asm volatile("mv tp, %0" : : "r"(x)); }
static inline uint64 r_sp(void) { uint64 x; asm volatile("mv %0, sp" : "=r"(x)); return x; }
static inline uint64 r_fp(void) { uint64 x; asm volatile("mv %0, s0" : "=r"(x)); return x; }
static inline uint64 r_ra(void) { uint64 x; asm volatile("mv %0, ra" : "=r"(x)); return x; }

// hart-local interrupt enable bit (sstatus.SIE)
static inline void intr_on(void)  { CSR_SET(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { CSR_CLEAR(sstatus, SSTATUS_SIE); }
static inline int  intr_get(void) { return (r_sstatus() & SSTATUS_SIE) != 0; }

static inline void sfence_vma(void) { asm volatile("sfence.vma zero, zero"); }
static inline void w_satp(uint64 x) { CSR_WRITE(satp, x); sfence_vma(); }
static inline void wfi(void) { asm volatile("wfi"); }

#endif
