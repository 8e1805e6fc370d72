# deliver.py - make a hart take the hardware-error exception.
#
# What a RISC-V hart does when a load returns uncorrectable data, done by
# hand on the stopped hart (campaign/README.md, "Delivering an error"):
#   sepc    = the pc of the faulting instruction
#   scause  = SCAUSE_HWERROR (19)
#   stval   = the physical address of the bad data (the kernel maps RAM
#             one-to-one, so a kernel address is its physical address)
#   sstatus : SPP = the privilege the hart was in, SPIE = SIE, SIE = 0
#   priv    = supervisor;  pc = stvec's base
# then `maint flush register-cache`, so GDB does not keep stale values,
# and read everything back. The constants come from kernel/riscv.h.
#
# For delivery on access, the watchpoint's stop shows the hart *after* the
# instruction that touched a watched byte (QEMU stops before it, and GDB
# steps that hart over it: docs/qemu-gdb.md); access_pc() finds that
# instruction (the one that ends at pc), which becomes sepc, as for a
# precise hardware exception.
#
# Writing registers proves nothing by itself: confirm() lets the guest run
# and reads the kernel's record of the hardware-error traps each hart took
# (hwerror_seen[], kernel/trap.c, written on trap entry), until every
# delivered error shows there with the cause and address written: the
# "delivered" link of the run's evidence (campaign/README.md, "Evidence").
# It runs the guest in short slices, stopped by the watchdog's interrupt,
# never by a breakpoint, so no hart is ever stepped.

import re
import time

import gdb

import constants
import kernel
import sites

SEEN = "hwerror_seen"
CONFIRM_S = 3.0            # how long the guest may take to enter its trap
CONFIRM_SLICES_S = (0.005, 0.01, 0.02, 0.05)  # it runs this long between looks

PRIV_USER, PRIV_SUPERVISOR = 0, 1      # privilege levels in $priv (spec encoding)
STVEC_MODE_BITS = 3                    # low bits of stvec: the vectoring mode


def _reg(name):
    return int(gdb.parse_and_eval("$" + name)) & constants.MASK64


def _set(name, v):
    gdb.execute("set $%s = %d" % (name, v), to_string=True)


def deliver(thread, stval, sepc=None):
    """Deliver an uncorrectable-memory-error exception for address stval on
    the hart of GDB thread thread, as if the instruction at sepc (default:
    the hart's pc) had faulted. The guest must be stopped. Returns a dict
    of what was written."""
    thread.switch()
    pc = _reg("pc")
    if sepc is None:
        sepc = pc
    priv = _reg("priv")
    if priv not in (PRIV_USER, PRIV_SUPERVISOR):
        raise gdb.GdbError("hart %d is in privilege mode %d (machine mode): the kernel "
                           "cannot take a supervisor exception there" % (kernel.hart_of(thread), priv))
    sstatus = _reg("sstatus")
    stvec = _reg("stvec")
    handler = stvec & ~STVEC_MODE_BITS & constants.MASK64
    if handler == 0:
        raise gdb.GdbError("hart %d has no trap vector yet (stvec = 0): the site ran during "
                           "early boot; arm it later (a workload)" % kernel.hart_of(thread))
    tramp = constants.value("TRAMPOLINE")
    if priv == PRIV_SUPERVISOR and tramp <= handler < tramp + constants.value("PGSIZE"):
        # usertrapret has pointed stvec at uservec and not yet returned: the
        # trap would enter the user-mode vector, which faults on its own
        # first store with the kernel's page table, forever; the kernel
        # never sees the error (campaign/sweep/README.md, Limits)
        raise gdb.GdbError("hart %d in usertrapret's window (stvec = user vector 0x%x, until "
                           "sret): the error would never reach the kernel; not delivered"
                           % (kernel.hart_of(thread), handler))
    seen = trap_count(kernel.hart_of(thread))
    spp = constants.value("SSTATUS_SPP")
    spie = constants.value("SSTATUS_SPIE")
    sie = constants.value("SSTATUS_SIE")
    cause = constants.value("SCAUSE_HWERROR")
    new = sstatus & ~(spp | spie | sie) & constants.MASK64
    if priv == PRIV_SUPERVISOR:
        new |= spp
    if sstatus & sie:
        new |= spie
    _set("sepc", sepc)
    _set("scause", cause)
    _set("stval", stval)
    _set("sstatus", new)
    _set("priv", PRIV_SUPERVISOR)
    _set("pc", handler)
    gdb.execute("maint flush register-cache", to_string=True)
    got = {r: _reg(r) for r in ("pc", "sepc", "scause", "stval", "sstatus", "priv")}
    want = {"pc": handler, "sepc": sepc, "scause": cause, "stval": stval, "sstatus": new,
            "priv": PRIV_SUPERVISOR}
    bad = [r for r in want if got[r] != want[r]]
    if bad:
        raise gdb.GdbError("delivery did not stick on hart %d: %s" % (
            kernel.hart_of(thread),
            ", ".join("%s=0x%x (wanted 0x%x)" % (r, got[r], want[r]) for r in bad)))
    return {"hart": kernel.hart_of(thread), "sepc": sepc, "stval": stval,
            "stvec": handler, "scause": cause, "from_priv": priv,
            "sstatus_before": sstatus, "sstatus": new, "seen_before": seen}


def trap_count(hart):
    """Hardware-error traps hart has taken so far (hwerror_seen), or None
    if the kernel keeps no such record."""
    if not kernel.has_symbol(SEEN):
        return None
    with kernel.physical_memory():
        return int(kernel.value(SEEN)[hart]["count"])


def _look(pending):
    """Check each pending (fields, delivered) pair against hwerror_seen;
    returns those still unconfirmed."""
    left = []
    for fields, d in pending:
        with kernel.physical_memory():
            rec = kernel.value(SEEN)[d["hart"]]
            count = int(rec["count"])
            got = {k: int(rec[k]) & constants.MASK64 for k in ("scause", "stval", "sepc")}
        if count <= d["seen_before"]:
            left.append((fields, d))
            continue
        ok = got["scause"] == d["scause"] and got["stval"] == d["stval"]
        fields["trap"] = {"confirmed": ok, "scause": got["scause"],
                          "stval": "0x%x" % got["stval"], "sepc": "0x%x" % got["sepc"],
                          "traps": count - d["seen_before"]}
        if not ok:
            fields["trap"]["why"] = ("hart %d trapped with scause %d at 0x%x, not the %d at "
                                     "0x%x delivered" % (d["hart"], got["scause"],
                                                         got["stval"], d["scause"], d["stval"]))
    return left


def confirm(pending, seconds=CONFIRM_S, run=True):
    """For each (result fields, deliver() dict) in pending, set
    fields["trap"]: {"confirmed": true, ...} once the hart's trap shows in
    hwerror_seen, or {"confirmed": false, "why": ...}. With run, lets the
    guest run (in slices) until all show, the guest stops by itself (a
    fail-stop powers it off: then the kernel's report is the only witness,
    and "why" says so), or seconds pass; without, only looks now. Returns
    the pairs left unconfirmed (without run, for a later call)."""
    if not kernel.has_symbol(SEEN):
        for fields, _ in pending:
            fields["trap"] = {"confirmed": False,
                              "why": "the kernel keeps no record of hardware-error traps (%s)"
                                     % SEEN}
        return []
    left = _look(pending)
    if not left or not run:
        return left
    unseen = [left]

    def all_seen():
        unseen[0] = _look(unseen[0])
        return not unseen[0]

    how = _run_in_slices(all_seen, seconds, "the hardware-error trap")
    for fields, d in unseen[0]:
        if how == "gone":
            fields["trap"] = {"confirmed": False, "guest_stopped": True,
                              "why": "the guest stopped before GDB could look"}
        else:
            fields["trap"] = {"confirmed": False,
                              "why": "hart %d took no hardware-error trap within %.1f s"
                                     % (d["hart"], seconds)}
    return []


def _run_in_slices(done, seconds, what):
    """Let the guest run in slices (CONFIRM_SLICES_S, growing) until done()
    holds: returns "done", "timeout" once seconds have passed, or "gone"
    if the guest stopped by itself meanwhile."""
    end = time.monotonic() + seconds
    slices = 0
    while not done():
        if time.monotonic() >= end:
            return "timeout"
        try:
            step = CONFIRM_SLICES_S[min(slices, len(CONFIRM_SLICES_S) - 1)]
            slices += 1
            sites.resume([], min(end, time.monotonic() + step), what, quiet=True)
        except sites.GuestGone:
            return "gone"
    return "done"


def access_pc(pc):
    """The instruction that ended at pc: disassemble the function holding
    pc from its start (a linear sweep is exact in compiled code). Falls
    back to the 2- or 4-byte instruction before pc that touches memory."""
    arch = gdb.selected_inferior().architecture()
    name, start, end = kernel.function_at(pc)
    if name is not None and start < pc:
        try:
            for insn in arch.disassemble(start, pc):
                if insn["addr"] + insn["length"] == pc:
                    return insn["addr"]
        except gdb.MemoryError:
            pass
    for back in (2, 4):
        try:
            insn = arch.disassemble(pc - back)[0]
        except gdb.MemoryError:
            continue
        if insn["length"] == back and _touches_memory(insn["asm"]):
            return pc - back
    return pc


# Loads, stores and atomics, compressed or not (lw, c.ldsp, fsd, amoadd.w, lr.d).
_MEMORY_OP = re.compile(r"^(c\.)?(f?l[bhwd]u?(sp)?|f?s[bhwd](sp)?|amo[a-z]+\.[wd]|lr\.[wd]|sc\.[wd])"
                        r"(\.(aq|rl|aqrl))?$")


def _touches_memory(asm):
    words = asm.split()
    return bool(words) and _MEMORY_OP.match(words[0]) is not None


# --- delivery with no consumer (scrub) ---
#
# What a platform does when its patrol scrubber (or a DMA engine) finds an
# uncorrectable error that no hart has read, firmware first: it writes an
# error record (physical address, size, a new sequence number) into the
# kernel's error status block and raises the supervisor software interrupt
# on a hart (kernel/ev6_scrub.c). The line stays poisoned: in a FAULTS=1
# kernel that is its poison table (kernel/ev6_poison.c), so a hart that
# reads the bytes before the interrupt is taken still takes the error as a
# consumer. The "delivered" link is the kernel's acknowledgement: it copies
# the record's sequence number to the block's taken.

STATUS = "ev6_error_status"
POISON, NPOISON = "poison", "ev6_npoison"


def _write_u64(addr, v):
    kernel.write_bytes(addr, (v & constants.MASK64).to_bytes(8, "little"))


def _poison(addr):
    """Mark addr bad in the kernel's poison table, as the hardware keeps
    the line poisoned."""
    table = kernel.value(POISON)
    n = kernel.array_length(table.type)
    slots = [int(table[i]) & constants.MASK64 for i in range(n)]
    if addr in slots:
        return
    if 0 not in slots:
        raise gdb.GdbError("the kernel's poison table is full (%d entries)" % n)
    _write_u64(kernel.address_of(POISON) + 8 * slots.index(0), addr)
    kernel.set_variable(NPOISON, kernel.read_variable(NPOISON) + 1)


def scrub(thread, addr, size):
    """Report an error at [addr, addr+size) with no consumer: poison it,
    write the record and raise the supervisor software interrupt on the
    hart of GDB thread thread. The guest must be stopped. Returns a dict of
    what was written."""
    for name in (STATUS, POISON, NPOISON):
        if not kernel.has_symbol(name):
            raise gdb.GdbError("the kernel has no %s: scrub delivery needs a FAULTS=1 "
                               "kernel with the error status block (kernel/ev6_scrub.c)" % name)
    thread.switch()
    with kernel.physical_memory():
        _poison(addr)
        base = kernel.address_of(STATUS)
        seq = int(kernel.value(STATUS)["raised"]) + 1
        _write_u64(base, addr)
        _write_u64(base + 8, size)
        _write_u64(base + 16, seq)
    ssip = constants.value("SIE_SSIE")
    sip = _reg("sip")
    _set("sip", sip | ssip)
    gdb.execute("maint flush register-cache", to_string=True)
    if not _reg("sip") & ssip:
        raise gdb.GdbError("the software interrupt did not stick on hart %d (sip = 0x%x)"
                           % (kernel.hart_of(thread), _reg("sip")))
    return {"hart": kernel.hart_of(thread), "stval": addr, "size": size, "record": seq}


def _taken():
    with kernel.physical_memory():
        return int(kernel.value(STATUS)["taken"])


def confirm_scrub(fields, d, seconds=CONFIRM_S):
    """Set fields["trap"] once the kernel took the record of d (scrub()),
    letting the guest run in slices as confirm() does."""
    how = _run_in_slices(lambda: _taken() >= d["record"], seconds,
                         "the error record's interrupt")
    if how == "timeout":
        fields["trap"] = {"confirmed": False,
                          "why": "the kernel did not take error record %d within %.1f s "
                                 "(hart %d's software interrupt)" % (d["record"], seconds,
                                                                     d["hart"])}
        return
    if how == "gone":
        fields["trap"] = {"confirmed": False, "guest_stopped": True,
                          "why": "the guest stopped before GDB could look"}
        return
    fields["trap"] = {"confirmed": True, "interrupt": "supervisor-software",
                      "record": d["record"], "stval": "0x%x" % d["stval"]}
