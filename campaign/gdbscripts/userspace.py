# userspace.py - a process's user side (site = user, target
# user[name=X,va=V], campaign/target.h): stop a hart while it runs the
# process in user mode, and name the user page at va or the entry of the
# process's page table that the hart's MMU walk for va reads.
#
# The stop. Once program X is exec'd (fi_workload_start with
# fi_workload_name X, not the workload's first program: in `cat README.md
# | wc`, wc may come and go between two looks; exec has committed to the
# new image by then), the newest live process named X is picked. If a hart runs it in user mode now (privilege U, its satp
# the process's page table), that hart is the stop. Else the process is in
# the kernel or waits for a hart, and the next user instruction it runs is
# at its trapframe's epc: a one-shot breakpoint there, which whichever hart
# takes the process back to user mode hits. Every program is linked at 0,
# so another process may run that va first: a hit with another satp is
# deleted, the guest runs a few ms without a breakpoint (the hart moves
# on, and GDB never steps over a breakpoint: docs/qemu-gdb.md), and the
# wait starts again; so does a wait that found nothing in RETRY_S (the
# process re-entered user mode unseen and trapped again at another pc).
#
# At the stop the hart is in user mode, its MMU maps no kernel memory:
# kernel memory is read by physical address (kernel.physical_memory; RAM
# is mapped one-to-one), and the walk reads the process's page table as
# the MMU does, from satp's root down to the level the selector names (L2
# the root ... L0 the last, the leaf's page for the page itself).

import time

import gdb

import constants
import corrupt
import harts
import kernel
import objects
import registry
import sites

PRIV_USER = 0
RETRY_S = 0.25              # a wait for the breakpoint before looking again
MOVE_ON_S = 0.005           # the guest runs this long with no breakpoint after a wrong hit
USER_VAS = ("pc", "sp")     # a va that is a register of the stopped hart


def check_kernel():
    """Preflight: the kernel has what a stop in user mode reads of a
    process (its name, pid, page table and trapframe's epc). Raises."""
    proc = kernel.lookup_type("struct proc")
    for path in ("name", "pid", "pagetable", "trapframe", "state"):
        objects.field_offset(proc, path)
    objects.field_offset(kernel.lookup_type("struct trapframe"), "epc")


def _reg(name):
    return int(gdb.parse_and_eval("$" + name)) & constants.MASK64


def _root(satp):
    return (satp & ((1 << harts.SATP_PPN_BITS) - 1)) << constants.value("PGSHIFT")


def _newest(name):
    """(pid, page-table root, trapframe epc) of the newest live process
    named name, or None if there is none."""
    with kernel.physical_memory():
        table = kernel.value("proc")
        try:
            p = table[objects.pick(table, [("name", name)], "user[name=%s]" % name)]
        except registry.Mismatch:
            return None
        return (int(p["pid"]), int(p["pagetable"]) & constants.MASK64,
                int(p["trapframe"]["epc"]) & constants.MASK64)


def _running(root):
    """The thread of a hart in user mode on page table root, or None."""
    found = None
    was = gdb.selected_thread()
    for _, t in kernel.harts():
        t.switch()
        if _reg("priv") == PRIV_USER and _root(_reg("satp")) == root:
            found = t
            break
    if was is not None:
        was.switch()
    return found


def stop(name, deadline):
    """After the exec of program name: stop a hart in user mode running
    the newest process named name (see the header). Returns (sites.Hit,
    {"pid", "process", "missed"}): the hart is selected, stopped at its
    next user instruction; missed lists the waits that did not stop it (a
    hit with another satp, none in RETRY_S). Raises sites.NotReached at
    deadline."""
    missed = []
    while True:
        found = _newest(name)
        if found is None:
            raise sites.NotReached("no process %s is live after its exec" % name)
        pid, root, epc = found
        t = _running(root)
        if t is not None:
            t.switch()
            return sites.Hit(), {"pid": pid, "process": name, "missed": missed}
        bp = sites.OneShot("*0x%x" % epc, "user pc 0x%x of %s (pid %d)" % (epc, name, pid))
        try:
            w = sites.resume([bp], min(deadline, time.monotonic() + RETRY_S),
                             "%s (pid %d) in user mode" % (name, pid), quiet=True)
        finally:
            sites.delete(bp)
        if w is None:
            missed.append("no hit at 0x%x in %.2f s" % (epc, RETRY_S))
        elif _reg("priv") == PRIV_USER and _root(_reg("satp")) == root:
            return w.hit, {"pid": pid, "process": name, "missed": missed}
        else:
            missed.append("0x%x hit by hart %d with satp 0x%x" % (epc, w.hit.hart, _reg("satp")))
        if time.monotonic() >= deadline:
            raise sites.NotReached("%s (pid %d) never ran in user mode before the deadline "
                                   "(%s)" % (name, pid, "; ".join(missed[-3:])))
        sites.resume([], time.monotonic() + MOVE_ON_S, "a hart moving on", quiet=True)


def resolve(name, process, va, selector):
    """At the stop (the selected hart in user mode): the objects.Target of
    scenario object name (page or pagetable) for the process named process
    and va ("pc", "sp" or "0x..."), selector "object" (the user page at
    va, from va's 8-byte word) or "L2"/"L1"/"L0" (that level's page-table
    page, at the PTE the walk for va reads). Memory by physical address."""
    hart = kernel.current_hart()
    root = _root(_reg("satp"))
    addr = _reg(va) if va in USER_VAS else int(va, 16)
    named = "%s 0x%x" % (va, addr) if va in USER_VAS else "va 0x%x" % addr
    with kernel.physical_memory():
        slot = _slot_of(root, process, hart)
        pid = int(kernel.value("proc")[slot]["pid"])
        how = "page table of %s (pid %d, satp of hart %d), walked for %s" % (
            process, pid, hart, named)
        if name == objects.PAGE and selector == "object":
            level = None
        elif name == objects.PAGETABLE and selector in objects.LEVELS:
            level = 2 - objects.LEVELS.index(selector)
        else:
            raise registry.Mismatch("target user[...];%s names no %s (a user page is "
                                    "object page, selector object; a page-table page "
                                    "object pagetable, selector L2/L1/L0)" % (selector, name))
        return _walk(name, root, addr, level, how)


def _slot_of(root, process, hart):
    """The process-table slot whose page table is root; it must be named
    process. Raises registry.Mismatch."""
    table = kernel.value("proc")
    for i in range(kernel.array_length(table.type)):
        p = table[i]
        if int(p["pagetable"]) & constants.MASK64 == root:
            got = p["name"].string(length=kernel.array_length(p["name"].type)).split("\0")[0]
            if got != process:
                raise registry.Mismatch("hart %d runs %s (pid %d), not %s"
                                        % (hart, got, int(p["pid"]), process))
            return i
    raise registry.Mismatch("hart %d's page table 0x%x is no process's" % (hart, root))


def _walk(name, root, va, level, how):
    """Walk the page table at root for va as the MMU does: the Target of
    the page-table page of level (2..0) at va's PTE, or with level None
    the user page the leaf maps, from va's 8-byte word."""
    page = constants.value("PGSIZE")
    pte_size = kernel.lookup_type("pte_t").sizeof
    leaf = constants.value("PTE_R") | constants.value("PTE_W") | constants.value("PTE_X")
    pt = root
    for lvl in (2, 1, 0):
        at = pt + constants.value("PX", lvl, va) * pte_size
        if lvl == level:
            t = objects.Target(objects.PAGETABLE, pt, page, None, "L%d page 0x%x" % (lvl, pt),
                               "%s, level %d" % (how, lvl))
            t.addr, t.span = at, pte_size
            t.field = "pte[%d]" % constants.value("PX", lvl, va)
            return t
        pte = kernel.read_u64(at)
        if not pte & constants.value("PTE_V"):
            raise registry.Mismatch("va 0x%x is not mapped (level-%d PTE 0x%x invalid)"
                                    % (va, lvl, pte))
        pt = constants.value("PTE2PA", pte)
        if pte & leaf:
            if lvl != 0 or not pte & constants.value("PTE_U"):
                raise registry.Mismatch("va 0x%x maps no user page (level-%d PTE 0x%x)"
                                        % (va, lvl, pte))
            t = objects.Target(name, pt, page, None, "user page 0x%x" % pt,
                               "%s: va 0x%x" % (how, va & ~(page - 1)))
            off = va & (page - 1) & ~(corrupt.WORD - 1)
            t.addr, t.span = pt + off, page - off
            t.field = "va 0x%x" % (va & ~(corrupt.WORD - 1))
            return t
    raise registry.Mismatch("va 0x%x: no leaf PTE" % va)
