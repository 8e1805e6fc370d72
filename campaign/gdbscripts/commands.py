# commands.py - ev6-* commands for a person debugging with `make qemu-gdb`.
#
#   ev6-objects [TABLE]           the kernel tables, or one table's elements
#   ev6-whatis ADDR               which kernel object holds ADDR
#   ev6-corrupt ADDR LEN [PATTERN [SEED]]   damage guest memory
#   ev6-deliver ADDR [HART]       make a hart take the memory-error trap
#
# Thin wrappers around kernel.py, corrupt.py and deliver.py; the help text
# of each is its docstring (`help ev6-deliver`).

import gdb

import check
import corrupt
import deliver
import kernel
import objects

# Members worth showing in an element listing, when a type has them.
SUMMARY_FIELDS = ("valid", "dev", "blockno", "refcnt", "ref", "type", "inum",
                  "state", "pid", "name", "locked", "nfree")


def _address(arg):
    try:
        v = gdb.parse_and_eval(arg)
    except gdb.error as e:
        raise gdb.GdbError(str(e))
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY and v.address is not None:
        return int(v.address)
    return int(v) & ((1 << 64) - 1)


def _summary(v):
    t = v.type.strip_typedefs()
    if t.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return ""
    names = [f.name for f in t.fields()]
    out = []
    for n in SUMMARY_FIELDS:
        if n in names:
            try:
                fv = v[n]
                ft = fv.type.strip_typedefs()
                if ft.code == gdb.TYPE_CODE_PTR and n == "name":
                    s = fv.string(length=16) if int(fv) else "0"
                    out.append("%s=%s" % (n, s))
                elif ft.code == gdb.TYPE_CODE_ARRAY:
                    out.append("%s=%s" % (n, fv.string(length=16).split("\0")[0]))
                elif ft.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_BOOL,
                                 gdb.TYPE_CODE_CHAR):
                    out.append("%s=%s" % (n, fv))
            except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
                out.append("%s=?" % n)
    return " ".join(out)


class Ev6Objects(gdb.Command):
    """List the kernel tables Ev6 recovers objects from.

Usage: ev6-objects [TABLE]

Without TABLE: each kernel table (bcache, log, ftable, itable, cons,
devsw, pr, kmem, proc, cpus) with its address, size and the object
arrays in it. With TABLE: every element, with its address and a few
members (refcnt, dev, blockno, state, ...). kmem also shows the first
nodes of its free list."""

    def __init__(self):
        super().__init__("ev6-objects", gdb.COMMAND_DATA, gdb.COMPLETE_SYMBOL)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            for tab in kernel.tables():
                arrays = tab.arrays()
                parts = ["%s[%d] x %d B at 0x%x" % (p.split(".")[-1], n, et.sizeof, a)
                         for p, et, n, a in arrays]
                gdb.write("%-7s 0x%x %7d B  %s\n" % (tab.name, tab.address, tab.size,
                                                       ", ".join(parts) or kernel.type_name(tab.type)))
            return
        if argv[0] not in kernel.KERNEL_TABLES:
            raise gdb.GdbError("ev6-objects: unknown table %s (one of %s)"
                               % (argv[0], ", ".join(kernel.KERNEL_TABLES)))
        for path, v in kernel.elements(argv[0]):
            gdb.write("%-18s 0x%x  %s\n" % (path, int(v.address), _summary(v)))
        if argv[0] == "kmem":
            nodes = []
            try:
                for p in kernel.for_each_run(limit=8):
                    nodes.append("0x%x" % int(p))
            except gdb.MemoryError as e:
                nodes.append("(unreadable: %s)" % e)
            gdb.write("freelist: %s%s\n" % (" -> ".join(nodes), " -> ..." if len(nodes) == 8 else ""))


class Ev6Whatis(gdb.Command):
    """Say which kernel object holds an address.

Usage: ev6-whatis ADDR

ADDR is any expression (0x80017808, &bcache.buf[3].dev, $stval). Prints
the chain of globals, elements and members that hold it, from the debug
info, innermost last, with the offset of ADDR in each."""

    def __init__(self):
        super().__init__("ev6-whatis", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: ev6-whatis ADDR")
        addr = _address(arg)
        chain = kernel.describe(addr)
        if not chain:
            gdb.write("0x%x is in no kernel global (a page from kalloc, a stack, ...)\n" % addr)
            return
        for path, t, off in chain:
            gdb.write("%-32s %-24s +%d\n" % (path, kernel.type_name(t), off))


class Ev6Corrupt(gdb.Command):
    """Damage guest memory as an injection run would.

Usage: ev6-corrupt ADDR LENGTH [PATTERN [SEED]]

PATTERN is flip (two bits of the first min(LENGTH, 8) bytes; the
default), zero, ones or random; SEED (default 1) makes flip and random
repeatable. Prints the bytes before and after and whether the damage
reads back."""

    def __init__(self):
        super().__init__("ev6-corrupt", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not 2 <= len(argv) <= 4:
            raise gdb.GdbError("usage: ev6-corrupt ADDR LENGTH [PATTERN [SEED]]")
        addr = _address(argv[0])
        try:
            length = int(argv[1], 0)
            seed = int(argv[3], 0) if len(argv) > 3 else 1
        except ValueError:
            raise gdb.GdbError("ev6-corrupt: LENGTH and SEED are numbers")
        pattern = argv[2] if len(argv) > 2 else "flip"
        c = corrupt.Corruption(pattern, length, 2, seed)
        dmg = corrupt.apply(addr, length, c)
        t = objects.Target("memory", addr, length)
        res = check.verify(dmg, t)
        gdb.write("0x%x: %s -> %s (%s; %s)\n" % (addr, dmg.before.hex(), dmg.after.hex(), c,
                                                 "landed" if res["landed"] else res.get("check")))


class Ev6Deliver(gdb.Command):
    """Deliver an uncorrectable memory error to a hart, by hand.

Usage: ev6-deliver ADDR [HART]

Sets the hart's sepc = pc, scause = 19 (hardware error), stval = ADDR,
updates sstatus (SPP, SPIE, SIE), switches it to supervisor mode and
points pc at stvec, as the hardware would; the kernel takes the trap
when you continue. HART defaults to the selected thread's (thread number
minus one). The guest must be stopped."""

    def __init__(self):
        super().__init__("ev6-deliver", gdb.COMMAND_RUNNING, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not 1 <= len(argv) <= 2:
            raise gdb.GdbError("usage: ev6-deliver ADDR [HART]")
        addr = _address(argv[0])
        if len(argv) == 2:
            thread = kernel.thread_of_hart(int(argv[1], 0))
        else:
            thread = gdb.selected_thread()
            if thread is None:
                raise gdb.GdbError("ev6-deliver: no thread; connect to the guest first")
        d = deliver.deliver(thread, addr)
        gdb.write("hart %d: sepc=0x%x scause=%d stval=0x%x sstatus 0x%x -> 0x%x, pc=stvec=0x%x; "
                  "continue to take the trap\n"
                  % (d["hart"], d["sepc"], d["scause"], d["stval"], d["sstatus_before"],
                     d["sstatus"], d["stvec"]))


def register():
    Ev6Objects()
    Ev6Whatis()
    Ev6Corrupt()
    Ev6Deliver()
