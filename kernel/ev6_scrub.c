// Ev6 background errors: an uncorrectable error reported with no consumer,
// as a patrol scrubber or a DMA engine finds one (Linux's action-optional
// case). No hart read the bad data, so there is no call history to choose
// an exit and no process to fail: the object is repaired in the background
// or, if its repair needs the consumer's context, left poisoned until
// something reads it (docs/scrub.md).
//
// The hardware side, firmware first: the platform writes an error record
// (physical address, size) into this kernel-owned status block, then
// raises the supervisor software interrupt on a hart. Nothing else in the
// kernel uses that interrupt (the timer has its own, SIE_STIE), so taking
// it means "read the status block". The record's sequence number
// (raised) is acknowledged by copying it to taken: the platform (in a
// campaign, GDB: campaign/gdbscripts/deliver.py) reads taken to see that
// its record was consumed. The bad line stays poisoned (in FAULTS=1
// builds, the poison table of ev6_poison.c) until the repair clears it,
// so a hart that reads it first still takes the error as a consumer.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/ev6.h"
#include "kernel/defs.h"

#if RECOVERY
struct ev6_error_status ev6_error_status;

// The supervisor software interrupt: take the pending record, if any.
// Called from devintr with interrupts off; this hart holds no spinlock
// (interrupts are on only when it holds none).
void
ev6_scrub_intr(void)
{
  uint64 seq, addr;

  CSR_CLEAR(sip, SIE_SSIE);
  seq = ev6_error_status.raised;
  if(seq == ev6_error_status.taken)
    return;
  __sync_synchronize();
  addr = ev6_error_status.addr;
  ev6_error_status.taken = seq;
  __sync_synchronize();
  ev6_background_error(addr);
}
#endif
