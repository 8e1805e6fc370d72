# walks.py - delivery = access for a damaged page-table entry: its
# consumer may be a hart's own page-table walk, which no watchpoint sees.
#
# A software walker (walk(), walkaddr(), the audit) reads the entry with a
# load, and the access watchpoint on the damaged bytes stops it as for any
# object. The MMU reads it when a hart's TLB misses, and QEMU's
# watchpoints do not see that read: the guest would run on the damaged
# translation (a root entry of the kernel's table mapping the devices sent
# the UART's accesses elsewhere: a silent guest, or a site never reached).
# So, with the damage written (the evidence's `after`), arm():
#   - clears the entry's valid bit (`after` says so): a walk that reads it
#     raises a page fault for the address it translated;
#   - names the entry to the kernel (fi_walk_pte, FAULTS=1 kernels, kernel/fi.c):
#     the trap path finds the page fault's walk passed through it and
#     raises the hardware error for the entry itself, as the walk's read of
#     a poisoned line would, after stopping at fi_walk(pte, sepc): the
#     consumer's stop, one-shot here (WalkStop), with the faulting pc in a1;
# and the guest runs until the watchpoint or that breakpoint stops it
# (consumers.first). A walk consumer's error is the kernel's own raise, so
# GDB writes no trap (walk_delivery); for a software consumer, GDB first
# marks the error raised (fi_walk_raised), so that a hart whose walk meets
# the entry meanwhile faults again until the recovery has restored it,
# instead of raising a second error. The kernel disarms the entry when the
# recovery restores its page (ev6_poison_clear); an error never consumed
# is put back by the caller (the bytes, valid bit included) and disarm()ed.

import gdb

import constants
import deliver
import kernel
import sites

ARMED = "fi_walk_pte"
RAISED = "fi_walk_raised"
STOP = "fi_walk"
PTE_BYTES = 8


def applies(job):
    return job.object == "pagetable" and job.delivery == "access"


def arm(dmg, fields):
    """Clear the valid bit of the entry holding the damage's first byte and
    name it to the kernel; record both in dmg.after and fields."""
    if not kernel.has_symbol(ARMED):
        raise gdb.GdbError("delivery access of a page-table entry needs a FAULTS=1 kernel "
                           "(%s: the hook that raises the error its walk meets)" % ARMED)
    pte = dmg.addr & ~(PTE_BYTES - 1)
    value = kernel.read_u64(pte)
    cleared = value & ~constants.value("PTE_V") & constants.MASK64
    now = cleared.to_bytes(PTE_BYTES, "little")
    kernel.write_bytes(pte, now)
    if kernel.read_u64(pte) != cleared:
        raise gdb.GdbError("the valid bit of the entry at 0x%x did not clear" % pte)
    kernel.set_variable(RAISED, 0)
    kernel.set_variable(ARMED, pte)
    off = dmg.addr - pte
    n = min(len(dmg.after), PTE_BYTES - off)   # the damage's bytes inside the entry
    dmg.after = now[off:off + n] + dmg.after[n:]
    fields["after"] = dmg.after.hex()
    fields["walk"] = {"entry": "0x%x" % pte, "valid_cleared": True,
                      "was": "0x%x" % value, "now": "0x%x" % cleared}
    return pte


def disarm():
    """No walk raises the error any more (it was never consumed)."""
    if kernel.has_symbol(ARMED):
        kernel.set_variable(ARMED, 0)
        kernel.set_variable(RAISED, 0)


def raised_by_gdb():
    """A software consumer takes the error GDB writes: no walk may raise it too."""
    kernel.set_variable(RAISED, 1)


class WalkStop(sites.OneShot):
    """The kernel's stop at fi_walk(pte, sepc): its trap path is about to
    raise the error of the entry at pte, met by the walk for sepc."""

    def __init__(self):
        super().__init__(STOP, "a walk meeting the damaged entry")

    def stop(self):
        if self.hit is None:
            self.hit = sites.Hit()
            self.pte = int(gdb.parse_and_eval("$a0")) & constants.MASK64
            self.sepc = int(gdb.parse_and_eval("$a1")) & constants.MASK64
        return True


def walk_delivery(thread, pte, sepc):
    """The error a walk consumer's trap path raises itself: what
    deliver.deliver() returns for one GDB writes, for deliver.confirm()
    (the kernel records it in hwerror_seen once it goes on). The hart of
    thread is stopped at fi_walk, in the trap handler of the walk's page
    fault for the instruction at sepc."""
    thread.switch()
    hart = kernel.hart_of(thread)
    spp = constants.value("SSTATUS_SPP")
    from_priv = (deliver.PRIV_SUPERVISOR
                 if int(gdb.parse_and_eval("$sstatus")) & spp else deliver.PRIV_USER)
    return {"hart": hart, "sepc": sepc, "stval": pte,
            "stvec": int(gdb.parse_and_eval("$stvec")) & constants.MASK64,
            "scause": constants.value("SCAUSE_HWERROR"), "from_priv": from_priv,
            "seen_before": deliver.trap_count(hart)}
