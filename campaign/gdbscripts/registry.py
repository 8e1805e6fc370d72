# registry.py - what the kernel's Ev6 registry says holds an address.
#
# The kernel names the object an error hit by looking the address up in
# its registry (kernel/ev6_registry.c): kernel text below etext; the range
# table (ranges[], sorted, nranges in use) between etext and end; one type
# byte per page (ev6_page_type[]) from end to PHYSTOP. lookup() reads the
# same tables from the guest and answers as the kernel would, so a run can
# check, before it damages anything, that its target lies inside an object
# of the scenario's type, and afterwards the orchestrator can check that
# the kernel's report names the very object GDB damaged (the "resolved"
# and "reported" links of campaign/README.md, "Evidence").
#
# Type names are the kernel's own: the enumerators of enum ev6_type
# (EV6_T_BUF -> "buf"), from the debug info. A scenario may also name a
# part of an object (a spinlock, a sleeplock, a saved context); the kernel
# reports the object holding it.

import gdb

import constants
import kernel

RANGES, NRANGES, PAGE_TYPES = "ranges", "nranges", "ev6_page_type"
TYPE_PREFIX = "EV6_T_"
UNKNOWN = "unknown"
# Parts of objects a scenario may aim at (kernel/ev6_types.h, EV6_PARTS):
# their C types, which the resolved target must have.
PARTS = {"spinlock": "struct spinlock", "sleeplock": "struct sleeplock",
         "context": "struct context"}


class Mismatch(gdb.GdbError):
    """The target does not lie inside an object of the scenario's type."""


def available():
    """Does this kernel have a registry (a RECOVERY=1 build)?"""
    return all(kernel.has_symbol(s) for s in (RANGES, NRANGES, PAGE_TYPES))


def _linker_symbol(name):
    """Address of a symbol the linker script defines (etext, end): GDB
    knows it as a minimal symbol, without debug info."""
    try:
        return int(gdb.parse_and_eval("(unsigned long) &%s" % name)) & constants.MASK64
    except gdb.error:
        raise gdb.GdbError("cannot resolve symbol '%s' in the kernel" % name)


def _names():
    return {v: n[len(TYPE_PREFIX):].lower()
            for n, v in kernel.enumerators("enum ev6_type").items()
            if n.startswith(TYPE_PREFIX) and n != "EV6_NTYPES"}


def lookup(addr):
    """(type name, index) of the object holding physical address addr, as
    ev6_registry_lookup() would say; index -1 for a single object or a
    page. ("unknown", -1) when the registry knows no object there."""
    names = _names()
    kernbase = constants.value("KERNBASE")
    etext = _linker_symbol("etext")
    end = _linker_symbol("end")
    if kernbase <= addr < etext:
        return "text", -1
    if etext <= addr < end:
        table = kernel.value(RANGES)
        lo, hi = 0, int(kernel.value(NRANGES)) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            r = table[mid]
            base, size, elem = int(r["base"]), int(r["size"]), int(r["elemsize"])
            if addr < base:
                hi = mid - 1
            elif addr >= base + size:
                lo = mid + 1
            else:
                index = -1 if size == elem else (addr - base) // elem
                return names.get(int(r["type"]), UNKNOWN), index
        return UNKNOWN, -1
    # PHYSTOP from the map's own length: the header defines it per build.
    pages = kernel.value(PAGE_TYPES).type.range()[1] + 1
    if end <= addr < kernbase + pages * constants.value("PGSIZE"):
        page = (addr - kernbase) // constants.value("PGSIZE")
        t = int(kernel.value(PAGE_TYPES)[page])
        return names.get(t, UNKNOWN), -1
    return UNKNOWN, -1


def check(tgt, addr, phys=None):
    """Before damaging the bytes at addr of Target tgt (phys: their
    physical address, if not addr): prove they lie inside an object of the
    scenario's type. Returns the result fields "resolved" and "expect"
    (what the kernel's report must then name); raises Mismatch."""
    name = tgt.name
    where = tgt.where or "0x%x" % addr
    if name in PARTS:
        want = PARTS[name]
        if tgt.type is None or kernel.type_name(tgt.type) != want:
            raise Mismatch("target %s is a %s, not a %s" % (
                where, kernel.type_name(tgt.type) if tgt.type is not None else "region", want))
    if not available():
        return {"resolved": {"ok": True, "holder": where, "by": "debug info only: the kernel "
                             "has no registry"}, "expect": None}
    held_by, index = lookup(phys if phys is not None else addr)
    if held_by == UNKNOWN:
        raise Mismatch("target %s (0x%x) lies in no object the kernel's registry knows"
                       % (where, addr))
    if name not in PARTS and held_by != name:
        raise Mismatch("target %s (0x%x) lies in a %s%s, not in a %s" % (
            where, addr, held_by, "" if index < 0 else " (element %d)" % index, name))
    return {"resolved": {"ok": True, "holder": where, "registry": held_by, "index": index},
            "expect": {"object": held_by, "index": index}}
