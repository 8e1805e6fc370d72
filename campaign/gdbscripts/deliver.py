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
# For delivery on access, QEMU stops *after* the instruction that touched
# a watched byte; access_pc() finds that instruction (the one that ends at
# pc), which becomes sepc, as for a precise hardware exception.

import re

import gdb

import constants
import kernel

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
            "sstatus_before": sstatus, "sstatus": new}


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
