# kernel.py - the kernel as the debug info describes it.
#
# Cached lookups of types, symbols and enumerators that fail loudly
# (gdb.GdbError "cannot resolve type ..."), the kernel tables the campaign
# contract names (campaign/README.md), generators that walk them, and the
# reverse question "which kernel object holds this address?". Table sizes,
# field offsets and enum values all come from the debug info; nothing
# about the kernel's layout is written down here.
#
# Harts: QEMU's gdbstub shows one thread per hart, and GDB thread number
# minus one is the hart id.
#
# Caches are dropped when a new kernel file is loaded (new_objfile event).

import re

from contextlib import contextmanager

import gdb

import constants
from constants import MASK64

# Global tables of kernel objects (campaign/README.md, "The kernel's side
# of the contract"), in the order ev6-objects lists them.
KERNEL_TABLES = ("bcache", "log", "ftable", "itable", "cons", "devsw", "pr",
                 "kmem", "proc", "cpus")

# Longest list a walker follows before deciding the list is damaged.
WALK_LIMIT = 1 << 20

_types = {}
_symbols = {}
_enums = {}
_target = {}


def _clear(event=None):
    _types.clear()
    _symbols.clear()
    _enums.clear()
    _target.clear()
    constants.reset()


gdb.events.new_objfile.connect(_clear)


# --- lookups ---

def lookup_type(name):
    """The gdb.Type called name ("struct buf", "enum fi_site", "pagetable_t")."""
    t = _types.get(name)
    if t is None:
        try:
            t = gdb.lookup_type(name)
        except gdb.error:
            raise gdb.GdbError("cannot resolve type '%s'" % name)
        _types[name] = t
    return t


def find_symbol(name):
    """The global or file-static variable or function called name, or None."""
    if name in _symbols:
        return _symbols[name]
    sym = gdb.lookup_global_symbol(name)
    if sym is None:
        sym = gdb.lookup_static_symbol(name)
    _symbols[name] = sym
    return sym


def symbol(name):
    """Like find_symbol, but a missing symbol is an error."""
    sym = find_symbol(name)
    if sym is None:
        raise gdb.GdbError("cannot resolve symbol '%s' in the kernel" % name)
    return sym


def has_symbol(name):
    return find_symbol(name) is not None


def value(name):
    """The gdb.Value of kernel variable name."""
    return symbol(name).value()


def address_of(name):
    """Address of kernel variable or function name."""
    return int(symbol(name).value().address)


def function_address(name):
    """Entry address of kernel function name."""
    sym = symbol(name)
    if not sym.is_function:
        raise gdb.GdbError("cannot resolve function '%s': it is not a function" % name)
    return int(sym.value().address)


def enumerators(enum_name):
    """{enumerator: value} of enum enum_name ("enum fi_site")."""
    e = _enums.get(enum_name)
    if e is None:
        t = lookup_type(enum_name).strip_typedefs()
        if t.code != gdb.TYPE_CODE_ENUM:
            raise gdb.GdbError("cannot resolve type '%s': not an enum" % enum_name)
        e = {f.name: int(f.enumval) for f in t.fields()}
        _enums[enum_name] = e
    return e


def array_length(t):
    """Number of elements of array type t."""
    t = t.strip_typedefs()
    if t.code != gdb.TYPE_CODE_ARRAY:
        raise gdb.GdbError("cannot resolve array bound of '%s'" % t)
    lo, hi = t.range()
    return hi - lo + 1


def same_type(a, b):
    """Do two gdb.Types name the same C type (typedefs and qualifiers aside)?"""
    a = a.strip_typedefs().unqualified()
    b = b.strip_typedefs().unqualified()
    if a.code != b.code or a.sizeof != b.sizeof:
        return False
    if a.tag or b.tag:
        return a.tag == b.tag
    return a == b


def type_name(t):
    """A printable name for t ("struct buf", or the variable's anonymous struct)."""
    s = str(t)
    return s if len(s) < 60 else s[:57] + "..."


# --- memory ---

def inferior():
    inf = gdb.selected_inferior()
    if inf is None or inf.pid == 0 or not inf.threads():
        raise gdb.GdbError("no guest: connect first (target remote SOCKET)")
    return inf


def read_bytes(addr, n):
    return bytes(inferior().read_memory(addr, n))


def write_bytes(addr, data):
    inferior().write_memory(addr, bytes(data))


def read_u64(addr):
    return int.from_bytes(read_bytes(addr, 8), _byteorder())


def _byteorder():
    if "byteorder" not in _target:
        out = gdb.execute("show endian", to_string=True)
        _target["byteorder"] = "little" if "little" in out else "big"
    return _target["byteorder"]


def set_variable(name, v):
    """Write integer v to kernel variable name (its own size and type)."""
    symbol(name)
    gdb.execute("set var %s = %d" % (name, int(v)), to_string=True)


def read_variable(name):
    return int(value(name))


# --- harts ---

def hart_of(thread):
    """Hart id of a GDB thread (thread number minus one)."""
    return thread.num - 1


def harts():
    """(hart, thread) for every hart, in hart order."""
    return sorted(((t.num - 1, t) for t in inferior().threads()), key=lambda x: x[0])


def thread_of_hart(hart):
    for h, t in harts():
        if h == hart:
            return t
    raise gdb.GdbError("no hart %d (the guest has %d)" % (hart, len(harts())))


def current_hart():
    t = gdb.selected_thread()
    if t is None:
        raise gdb.GdbError("no thread selected")
    return hart_of(t)


_physical_depth = [0]


@contextmanager
def physical_memory():
    """Read and write memory by physical address while inside (QEMU's
    PhyMemMode), whatever the selected hart's mode and page table: a hart
    in user mode maps no kernel memory. Kernel globals are at their
    physical addresses (RAM is mapped one-to-one). Nests: the mode ends
    with the outermost."""
    if _physical_depth[0] == 0:
        gdb.execute("maint packet Qqemu.PhyMemMode:1", to_string=True)
    _physical_depth[0] += 1
    try:
        yield
    finally:
        _physical_depth[0] -= 1
        if _physical_depth[0] == 0:
            gdb.execute("maint packet Qqemu.PhyMemMode:0", to_string=True)
            gdb.execute("maint flush dcache", to_string=True)


PRIV_SUPERVISOR = 1


def select_supervisor():
    """Select a hart in supervisor mode if the selected one is not, and
    return it (None if every hart is in user mode). GDB reads memory
    through the selected hart's MMU, and a user page table does not map
    the kernel."""
    t = gdb.selected_thread()
    if t is not None and int(gdb.parse_and_eval("$priv")) == PRIV_SUPERVISOR:
        return t
    for _, h in harts():
        h.switch()
        if int(gdb.parse_and_eval("$priv")) == PRIV_SUPERVISOR:
            return h
    if t is not None:
        t.switch()
    return None


# --- tables ---

class Table:
    """One kernel global from KERNEL_TABLES."""

    def __init__(self, name):
        self.name = name
        self.value = value(name)
        self.type = self.value.type
        self.address = int(self.value.address)
        self.size = self.type.sizeof

    def arrays(self):
        """(path, element type, count, address) of the object arrays in it:
        the variable itself if it is an array, else its array members."""
        t = self.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_ARRAY:
            return [(self.name, t.target(), array_length(t), self.address)]
        found = []
        if t.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            for f in t.fields():
                ft = f.type.strip_typedefs()
                if f.bitpos is None or ft.code != gdb.TYPE_CODE_ARRAY:
                    continue
                et = ft.target().strip_typedefs()
                if et.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                    found.append(("%s.%s" % (self.name, f.name), ft.target(),
                                  array_length(ft), self.address + f.bitpos // 8))
        return found

    def contains(self, addr):
        return self.address <= addr < self.address + self.size


def tables():
    """Every KERNEL_TABLES global this kernel has."""
    for name in KERNEL_TABLES:
        if has_symbol(name):
            yield Table(name)


def elements(table_name):
    """(path, gdb.Value) of every element of the object arrays in a table;
    a table without arrays (log, kmem, ...) yields itself."""
    tab = Table(table_name)
    arrays = tab.arrays()
    if not arrays:
        yield tab.name, tab.value
        return
    for path, _, count, _ in arrays:
        v = gdb.parse_and_eval(path)
        for i in range(count):
            yield "%s[%d]" % (path, i), v[i]


def for_each_buf():
    """Every struct buf in the buffer cache, in array order."""
    for _, b in elements("bcache"):
        yield b


def for_each_proc():
    for _, p in elements("proc"):
        yield p


def for_each_cpu():
    """(hart, struct cpu) for each hart the guest has."""
    cpus = value("cpus")
    for h, _ in harts():
        yield h, cpus[h]


def hart_ledger(c):
    """struct cpu c's Ev6 spinlock ledger: (the locks it lists, oldest
    first: held[0] up to heldtop; how many more it lost while full; the
    lock its take() is trying, from the slot at heldtop, or 0). None for
    a kernel without the ledger (RECOVERY=0 has the fields, empty)."""
    names = [f.name for f in c.type.strip_typedefs().fields()]
    if "heldtop" not in names or "held" not in names:
        return None
    held = c["held"]
    size = array_length(held.type)
    n = (int(c["heldtop"]) - int(held.address)) // held.type.target().sizeof
    n = max(0, min(n, size))
    taking = int(held[n]) if n < size else 0
    return [int(held[i]) for i in range(n)], max(0, int(c["heldlost"])), taking


def for_each_list(head, link="next", limit=WALK_LIMIT):
    """Follow pointer member link from pointer head until NULL (or back to
    where it started), yielding each pointer. Stops at limit nodes."""
    p = head
    start = int(head)
    for _ in range(limit):
        if int(p) == 0:
            return
        yield p
        p = p.dereference()[link]
        if int(p) == start:
            return


def for_each_run(limit=WALK_LIMIT):
    """The free-page list kmem.freelist, each node a struct run *."""
    yield from for_each_list(value("kmem")["freelist"], limit=limit)


# --- which object is at an address ---

def describe(addr):
    """The chain of named places holding addr, outermost first, as
    (path, type, offset of addr in it) tuples: for an address inside the
    fourth buffer's dev field, bcache, bcache.buf, bcache.buf[3],
    bcache.buf[3].dev. None if addr is in no kernel global."""
    for tab in tables():
        if tab.contains(addr):
            return _descend(tab.name, tab.type, addr - tab.address)
    out = gdb.execute("info symbol 0x%x" % addr, to_string=True).strip()
    # "NAME + OFF in section .bss", or "NAME in section .data"
    if out.startswith("No symbol"):
        return None
    name = out.split()[0]
    sym = find_symbol(name)
    if sym is None or sym.is_function:
        return None
    base = int(sym.value().address)
    if not base <= addr < base + sym.type.sizeof:
        return None
    return _descend(name, sym.type, addr - base)


def _descend(path, t, off):
    chain = [(path, t, off)]
    while True:
        s = t.strip_typedefs()
        if s.code == gdb.TYPE_CODE_ARRAY and s.target().sizeof > 0:
            esz = s.target().sizeof
            i = off // esz
            path, t, off = "%s[%d]" % (path, i), s.target(), off - i * esz
        elif s.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            for f in s.fields():
                if f.bitpos is None or f.name is None:
                    continue
                fo = f.bitpos // 8
                if fo <= off < fo + max(f.type.sizeof, 1):
                    path, t, off = "%s.%s" % (path, f.name), f.type, off - fo
                    break
            else:
                return chain
        else:
            return chain
        chain.append((path, t, off))


def object_at(addr, wanted=None):
    """The object starting at addr, from the debug info: (path, type), where
    path names it ("bcache.buf[3]") and type is the type of wanted if an
    object of that type starts there, else the outermost struct that starts
    there. (None, None) if addr is not the start of an object in a global."""
    chain = describe(addr)
    if not chain:
        return None, None
    starts = [(p, t) for p, t, off in chain if off == 0 and
              t.strip_typedefs().code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION)]
    if wanted is not None:
        for p, t in starts:
            if same_type(t, wanted):
                return p, t
    # Prefer a table element (a path ending in an index), else the
    # outermost object (kmem, not its first member kmem.lock).
    for p, t in starts:
        if p.endswith("]"):
            return p, t
    return starts[0] if starts else (None, None)


def element_index(path):
    """The last array index in a path ("bcache.buf[3]" -> 3), or None."""
    if path and path.endswith("]"):
        try:
            return int(path[path.rindex("[") + 1:-1])
        except ValueError:
            return None
    return None


def find_member(v, wanted, depth=2, path=""):
    """Search struct value v for an object of type wanted: an embedded one
    (its address) or one a non-NULL pointer member points to. Returns
    (member path, address) of the first found, breadth first, or None."""
    level = [(path, v)]
    for _ in range(depth):
        nxt = []
        for p, val in level:
            t = val.type.strip_typedefs()
            if t.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                continue
            for f in t.fields():
                if f.bitpos is None or f.name is None:
                    continue
                fv = val[f.name]
                ft = f.type.strip_typedefs()
                fp = "%s.%s" % (p, f.name) if p else f.name
                if same_type(ft, wanted):
                    return fp, int(fv.address)
                if ft.code == gdb.TYPE_CODE_PTR and same_type(ft.target(), wanted):
                    try:
                        if int(fv) != 0:
                            return fp, int(fv)
                    except gdb.MemoryError:
                        pass
                if ft.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                    nxt.append((fp, fv))
        level = nxt
    return None


def global_of_type(wanted):
    """(name, address) of the one KERNEL_TABLES global whose own type is
    wanted (log, kmem, cons, pr), or None."""
    for tab in tables():
        if same_type(tab.type, wanted):
            return tab.name, tab.address
    return None


def array_of_type(wanted):
    """(path, count, address) of the first kernel table array whose
    elements are of type wanted (bcache.buf, ftable.file, proc, ...)."""
    for tab in tables():
        for path, et, count, addr in tab.arrays():
            if same_type(et, wanted):
                return path, count, addr
    return None


_AUIPC = re.compile(r"^auipc\s+(\w+),\s*(0x[0-9a-f]+|\d+)")
_JALR = re.compile(r"^jalr\s+(?:\w+,\s*)?(-?\d+)\((\w+)\)")
_JAL = re.compile(r"^jal\s+(?:\w+,\s*)?(0x[0-9a-f]+)")


def call_targets(function):
    """Addresses kernel function function calls, from its disassembly
    (auipc+jalr pairs, as -mcmodel=medany emits them, and direct jal)."""
    key = ("calls", function)
    if key not in _target:
        _, start, end = function_at(function_address(function))
        arch = gdb.selected_inferior().architecture()
        found, hi = set(), {}
        for insn in arch.disassemble(start, end - 1):
            asm = insn["asm"]
            m = _AUIPC.match(asm)
            if m:
                imm = int(m.group(2), 0) & 0xfffff
                imm = imm - (1 << 20) if imm & (1 << 19) else imm
                hi[m.group(1)] = insn["addr"] + (imm << 12)
                continue
            m = _JALR.match(asm)
            if m and m.group(2) in hi:
                found.add((hi[m.group(2)] + int(m.group(1))) & MASK64)
                continue
            m = _JAL.match(asm)
            if m:
                found.add(int(m.group(1), 16))
        _target[key] = found
    return _target[key]


def calls(function, callee):
    """Does kernel function function call callee?"""
    return function_address(callee) in call_targets(function)


def function_at(pc):
    """(name, start, end) of the function holding pc, or (None, None, None)."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        block = None
    while block is not None and block.function is None:
        block = block.superblock
    if block is None:
        return None, None, None
    return block.function.name, block.start, block.end
