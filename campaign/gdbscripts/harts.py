# harts.py - hold some harts back while the others run on.
#
# Table 3 needs several harts at a site together, or one hart held inside
# the recovery path while another reaches a site. GDB cannot resume only
# some harts of an all-stop QEMU guest reliably (`set scheduler-locking on`
# trips GDB 13's assertion in skip_inline_frames on the next stop), so a
# hart is *parked* instead: its pc is moved to the kernel's own idle loop
# (the `wfi; j` at the end of _entry, found in the kernel's code, not
# written down here) with sstatus.SIE cleared, so it takes no interrupt,
# holds what it held, and touches nothing; then every hart is resumed. At
# the next stop unpark() puts its pc and sstatus back, and the hart goes
# on exactly where it stood, as if it had been slow. A parked hart that
# waited for an interrupt simply sees it later.
#
# Also here: where a hart is (pc, function, privilege, the functions on
# its kernel stack), and the physical address of a kernel virtual address
# (kernel stacks are mapped high, above guard pages), by the hart's own
# page table.

import re
from contextlib import contextmanager

import gdb

import constants
import kernel

PRIV_SUPERVISOR = 1
# Symbols whose code ends in the idle loop a parked hart runs.
PARK_SYMBOLS = ("_entry",)
PARK_SEARCH = 24            # instructions looked at from each symbol
SATP_PPN_BITS = 44          # Sv39 satp: root page number in bits 43..0 (spec)
LEVELS = 3                  # Sv39

_JUMP = re.compile(r"^(?:c\.)?j\s+(0x[0-9a-f]+)")
_spot = {}


def _reg(name):
    return int(gdb.parse_and_eval("$" + name)) & constants.MASK64


def _set(name, v):
    gdb.execute("set $%s = %d" % (name, v), to_string=True)


def park_spot():
    """Address of a `wfi` whose next instruction jumps back to it: the
    loop a hart that has nothing to do sits in (end of _entry)."""
    if "addr" in _spot:
        return _spot["addr"]
    arch = gdb.selected_inferior().architecture()
    for name in PARK_SYMBOLS:
        try:
            start = int(gdb.parse_and_eval("(unsigned long)&%s" % name))
            insns = arch.disassemble(start, count=PARK_SEARCH)
        except (gdb.error, gdb.MemoryError):
            continue
        for a, b in zip(insns, insns[1:]):
            m = _JUMP.match(b["asm"])
            if a["asm"].split()[0] == "wfi" and m and int(m.group(1), 16) == a["addr"]:
                _spot["addr"] = a["addr"]
                return a["addr"]
    raise gdb.GdbError("cannot park a hart: no `wfi; j` idle loop in %s"
                       % ", ".join(PARK_SYMBOLS))


class Parked:
    """A hart held in the idle loop; unpark() puts it back."""

    def __init__(self, thread):
        self.thread = thread
        self.hart = kernel.hart_of(thread)
        thread.switch()
        self.pc = _reg("pc")
        self.sstatus = _reg("sstatus")
        self.priv = _reg("priv")
        if self.priv != PRIV_SUPERVISOR:
            raise gdb.GdbError("hart %d is not in supervisor mode (priv %d): cannot park it"
                               % (self.hart, self.priv))
        _set("sstatus", self.sstatus & ~constants.value("SSTATUS_SIE") & constants.MASK64)
        _set("pc", park_spot())
        gdb.execute("maint flush register-cache", to_string=True)
        self.active = True

    def unpark(self):
        """Put the hart back where it was parked (guest stopped)."""
        if not self.active:
            return
        self.thread.switch()
        _set("pc", self.pc)
        _set("sstatus", self.sstatus)
        gdb.execute("maint flush register-cache", to_string=True)
        self.active = False
        if _reg("pc") != self.pc:
            raise gdb.GdbError("hart %d: restoring pc 0x%x did not stick" % (self.hart, self.pc))


@contextmanager
def _on(thread):
    """Look at thread, then select again whichever thread was selected (a
    hart in user mode would leave GDB unable to reach kernel memory)."""
    was = gdb.selected_thread()
    thread.switch()
    try:
        yield thread
    finally:
        if was is not None and was.is_valid():
            was.switch()


def where(thread):
    """(pc, function or None, privilege) of a stopped hart. The selected
    thread stays selected."""
    with _on(thread):
        pc = _reg("pc")
        return pc, kernel.function_at(pc)[0], _reg("priv")


def stack_functions(thread, limit=24):
    """Names of the functions on a hart's stack, innermost first (as far
    as GDB can unwind; [] in user mode)."""
    names = []
    with _on(thread):
        try:
            f = gdb.newest_frame()
            while f is not None and len(names) < limit:
                names.append(f.name() or "0x%x" % f.pc())
                f = f.older()
        except gdb.error:
            pass
    return names


def physical(va, root=None):
    """The physical address of kernel virtual address va, by the page
    table at physical address root, or by the selected hart's (satp); va
    itself when paging is off."""
    if root is None:
        satp = _reg("satp")
        root = (satp & ((1 << SATP_PPN_BITS) - 1)) << constants.value("PGSHIFT")
    if root == 0:
        return va
    pt = root
    pte_size = kernel.lookup_type("pte_t").sizeof
    leaf = constants.value("PTE_R") | constants.value("PTE_W") | constants.value("PTE_X")
    for level in range(LEVELS - 1, -1, -1):
        pte = kernel.read_u64(pt + constants.value("PX", level, va) * pte_size)
        if not pte & constants.value("PTE_V"):
            raise gdb.GdbError("va 0x%x is not mapped (level-%d PTE 0x%x invalid)"
                               % (va, level, pte))
        pa = constants.value("PTE2PA", pte)
        if pte & leaf:
            span = 1 << (constants.value("PGSHIFT") + 9 * level)
            return pa + (va & (span - 1))
        pt = pa
    raise gdb.GdbError("va 0x%x: no leaf PTE" % va)


def process(thread):
    """(pid, name) of the process a hart runs (cpus[h].proc), or None."""
    if not kernel.has_symbol("cpus"):
        return None
    try:
        p = kernel.value("cpus")[kernel.hart_of(thread)]["proc"]
        if int(p) == 0:
            return None
        return int(p["pid"]), p["name"].string(length=16).split("\0")[0]
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return None


def lock_wanted(thread):
    """The address of the spinlock a hart spins for, or None. A recovery
    kernel records it in its struct cpu while acquire's wait runs
    (cpus[h].spinning, kernel/spinlock.c), whatever frames the wait has; a
    RECOVERY=0 kernel spins in acquire itself (innermost frame acquire, the
    lock its argument lk)."""
    try:
        lk = int(kernel.value("cpus")[kernel.hart_of(thread)]["spinning"]) & constants.MASK64
    except (gdb.error, gdb.MemoryError):
        return None
    if lk:
        return lk
    with _on(thread):
        try:
            f = gdb.newest_frame()
            if f.name() != "acquire":
                return None
            return int(f.read_var("lk")) & constants.MASK64
        except (gdb.error, ValueError, RuntimeError):
            return None
