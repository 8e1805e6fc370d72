# objects.py - which bytes of which kernel object a scenario damages.
#
# A scenario names an object type (buf, log, file, inode, pipe, cons,
# devsw, pr, kmem, run, spinlock, sleeplock, proc, cpu, pagetable, text,
# ...) and a target. The target has a base, where the object comes from,
# and a selector, which bytes of it:
#
#   base      fi_trap       the object the site passed to fi_trap(obj) ($a0)
#             argN          argument N of the site function at its entry ($aN)
#             global:EXPR   a kernel expression: global:bcache.buf[3],
#                           global:bcache.head.next (a pointer is followed);
#                           in the process table, a slot by role:
#                           global:proc[name=wc].context,
#                           global:proc[name=sh,sleeping=wait].trapframe
#                           (resolve_roles: the newest live process with
#                           every role, in the table as it is at the site);
#                           in the buffer cache, a slot by the block it
#                           holds: global:bcache.buf[block=33] (pick_block;
#                           no buffer holds it at the site: not reached)
#             user[...]     (site user) a process's user page or page-table
#                           page, at a stop in user mode: userspace.py
#             (none)        "the object the site is about to touch": fi_trap's
#                           object with the counter method; at a function's
#                           entry, an argument pointing to that type (or to
#                           a struct holding one), else the place a scan of
#                           its table starts (SCAN_START), else the global
#                           of that type, else the stopped hart's own (its
#                           struct cpu, its current proc), else element 0
#                           of its table array
#   selector  object        the object from its first byte (the default)
#             field:A.B     a member, by name, from the debug info: of the
#                           site's own object if it has one (spinlock with
#                           field:lock at pipewrite: the pipe's lock), else
#                           of the scenario's object (buf with field:dev)
#             offset:N      byte N of the object
#             L2, L1, L0    (pagetable) the page-table page of that level
#                           the site's walk uses for its va, at the PTE it
#                           is about to read; the root is the site's
#                           pagetable_t argument, else the hart's satp
# The grammar is campaign/target.h's; the orchestrator parses the config's
# target and the job carries it taken apart (job.py turns it into base
# None, "fi_trap", "argN" or "global:EXPR", and selector "object",
# "field:PATH", "offset:N", "L2", "L1" or "L0"), so nothing here parses it.
#
# When the base holds an object of another type than the scenario's (the
# kalloc site passes &kmem, the scenario damages a run), the object is
# looked for inside it: an embedded member of that type, or one a pointer
# member points to (kmem.freelist), from the debug info.
#
# resolve() returns a Target: the object (base, size, type, where it lives)
# and the address and span of the bytes to damage.

import re

import gdb

import constants
import harts
import kernel
import registry
import sites

# Where a function that scans a table starts, for function-entry arming
# when no argument points to the object: the first object it touches.
SCAN_START = {
    "buf": "bcache.head.next",      # bget: most recently used first
    "run": "kmem.freelist",         # kalloc: the page it hands out
}

# Object names that are not a C type.
PAGETABLE = "pagetable"
TEXT = "text"
PAGE = "page"               # a user page (userspace.py)
LEVELS = ("L2", "L1", "L0")
SATP_PPN_BITS = 44          # Sv39 satp: root page number in bits 43..0 (spec)


class Target:
    """The object to damage and where in it."""

    def __init__(self, name, base, size, typ=None, where=None, how=None):
        self.name = name          # scenario object name
        self.base = base          # object start
        self.size = size          # object size in bytes
        self.type = typ           # gdb.Type, or None (page, text)
        self.where = where        # "bcache.buf[3]", "page 0x87f5e000", ...
        self.how = how            # how it was found, for the report
        self.addr = base          # first byte to damage
        self.span = size          # bytes available from addr
        self.field = None         # selected member path, if any
        self.phys = None          # physical address of addr, when it is not addr (kstack)

    @property
    def index(self):
        return kernel.element_index(self.where)


def object_type(name):
    """The C type of scenario object name: struct NAME, else the type of
    the kernel global NAME (the element type for an array). None for
    pagetable, page and text, which are pages and code."""
    if name in (PAGETABLE, TEXT, PAGE):
        return None
    try:
        return kernel.lookup_type("struct " + name)
    except gdb.GdbError:
        pass
    sym = kernel.find_symbol(name)
    if sym is not None and not sym.is_function:
        t = sym.type.strip_typedefs()
        return t.target() if t.code == gdb.TYPE_CODE_ARRAY else sym.type
    raise gdb.GdbError("cannot resolve type of object '%s' (no struct %s, no global %s)"
                       % (name, name, name))


def resolve(name, base, selector, method, site_frame):
    """The Target for scenario object name, the target's base and selector
    (see the header), at a stop of the given arming method ("counter":
    stopped at fi_trap; "function": stopped at the site function's entry).
    site_frame is the site function's frame."""
    if name == PAGETABLE or selector in LEVELS:
        return _pagetable(name, base, selector, method, site_frame)
    if name == TEXT:
        return _select(_text(site_frame), selector)
    wanted = object_type(name)
    if selector.startswith("field:"):
        t = _site_field(name, base, method, site_frame, selector[len("field:"):])
        if t is not None:
            return t
    ptr, how = _base_pointer(name, wanted, base, method, site_frame)
    return _select(_narrow(name, wanted, ptr, how), selector)


def _site_field(name, base, method, frame, path):
    """field:PATH names a member of the site's own object (the pipe that
    pipewrite passes, for a spinlock scenario with field:lock): the Target
    for that member, or None if the site's object has no such member (then
    PATH is a member of the scenario's object instead)."""
    candidates = []
    if base is not None and base.startswith("global:"):
        addr, how, typ = _global_typed(base[len("global:"):])
        candidates.append((addr, how, typ))
    elif base == "fi_trap" or (base is None and method == "counter"):
        if method == "counter":
            p = int(gdb.parse_and_eval("$a0"))
            candidates.append((p, "fi_trap(obj)", _type_of_pointer(p, frame)))
    elif base is not None:                      # argN
        n = int(base[3:])
        args = _arguments(frame)
        if n < len(args) and args[n][1].type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
            v = args[n][1]
            candidates.append((int(v), "%s of %s" % (base, frame.name()), v.type.target()))
    else:                                       # function entry: struct arguments
        for sym, v in _arguments(frame):
            t = v.type.strip_typedefs()
            if t.code == gdb.TYPE_CODE_PTR and int(v) != 0:
                candidates.append((int(v), "argument %s of %s" % (sym.name, frame.name()),
                                   t.target()))
    for addr, how, typ in candidates:
        if typ is None or typ.strip_typedefs().code not in (gdb.TYPE_CODE_STRUCT,
                                                            gdb.TYPE_CODE_UNION):
            continue
        try:
            off, size, ftype = field_offset(typ, path)
        except gdb.GdbError:
            continue
        if addr == 0:
            raise gdb.GdbError("the object holding %s (%s) is NULL" % (path, how))
        where, _ = kernel.object_at(addr, typ)
        t = Target(name, addr + off, size, ftype,
                   "%s.%s" % (where or "0x%x" % addr, path), "%s -> %s" % (how, path))
        t.field = path
        return t
    return None


def _type_of_pointer(p, frame):
    """The type of the object at p: from the kernel's globals, else from an
    argument of the site function that holds p."""
    _, t = kernel.object_at(p)
    if t is not None:
        return t
    for sym, v in _arguments(frame):
        vt = v.type.strip_typedefs()
        try:
            if vt.code == gdb.TYPE_CODE_PTR and int(v) == p:
                return v.type.strip_typedefs().target()
        except gdb.error:
            continue
    return None


def _base_pointer(name, wanted, base, method, frame):
    """(address, how) of the object the base names."""
    if base == "fi_trap" or (base is None and method == "counter"):
        if method != "counter":
            raise gdb.GdbError("target fi_trap needs the counter method (a FAULTS=1 kernel)")
        return int(gdb.parse_and_eval("$a0")), "fi_trap(obj)"
    if base is not None and base.startswith("arg"):
        if method != "function":
            raise gdb.GdbError("target %s: arguments are known at the site function's entry "
                               "only (arm=function)" % base)
        n = int(base[3:])
        args = _arguments(frame)
        if n < len(args):
            sym, v = args[n]
            if v.type.strip_typedefs().code != gdb.TYPE_CODE_PTR:
                raise gdb.GdbError("target %s: argument %s of %s is a %s, not a pointer"
                                   % (base, sym.name, frame.name(), v.type))
        return int(gdb.parse_and_eval("$a%d" % n)), "%s of %s" % (base, frame.name())
    if base is not None and base.startswith("global:"):
        return _global(base[len("global:"):])
    # Function entry: what the site is about to touch.
    for sym, v in _arguments(frame):
        t = v.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_PTR and kernel.same_type(t.target(), wanted):
            return int(v), "argument %s of %s" % (sym.name, frame.name())
    for sym, v in _arguments(frame):
        t = v.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_PTR and int(v) != 0 and \
                t.target().strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
            try:
                found = kernel.find_member(v.dereference(), wanted)
            except gdb.MemoryError:
                found = None
            if found is not None:
                return found[1], "argument %s of %s -> %s" % (sym.name, frame.name(), found[0])
    if name in SCAN_START:
        v = gdb.parse_and_eval(SCAN_START[name])
        return int(v), SCAN_START[name]
    sym = kernel.find_symbol(name)
    if sym is not None and not sym.is_function and kernel.same_type(sym.type, wanted):
        return int(sym.value().address), name
    mine = _this_hart(wanted)
    if mine is not None:
        return mine
    arr = kernel.array_of_type(wanted)
    if arr is not None:
        return arr[2], "%s[0]" % arr[0]
    raise gdb.GdbError("cannot resolve the %s that %s is about to touch; give the target "
                       "as global:EXPR" % (name, frame.name()))


def _this_hart(wanted):
    """The stopped hart's own object of type wanted: its struct cpu, or
    what a pointer member of it points to (its current proc)."""
    if not kernel.has_symbol("cpus"):
        return None
    hart = kernel.current_hart()
    path = "cpus[%d]" % hart
    cpu = kernel.value("cpus")[hart]
    if kernel.same_type(cpu.type, wanted):
        return int(cpu.address), path
    for f in cpu.type.strip_typedefs().fields():
        ft = f.type.strip_typedefs()
        if ft.code == gdb.TYPE_CODE_PTR and kernel.same_type(ft.target(), wanted) \
                and int(cpu[f.name]) != 0:
            return int(cpu[f.name]), "%s.%s" % (path, f.name)
    return None


_ROLE = r"(?:name=[\w.\-]+|sleeping=\w+)"
# A role subscript: a process by its roles, or a buffer by its block.
_ROLES = re.compile(r"\[(?:block=(\d+)|(%s(?:,%s)*))\]" % (_ROLE, _ROLE))
STACK_FRAMES = 32           # a sleeping process's kernel stack, at most


def sleeping_in(p, read=kernel.read_u64):
    """Names of the functions on the kernel stack of process p, asleep (its
    saved context: ra in sched, s0 its frame; each frame keeps the return
    address at s0-8 and the caller's s0 at s0-16). read(va) reads a word
    of the stack (default: through the selected hart's MMU)."""
    page = constants.value("PGSIZE")
    lo = int(p["kstack"])
    ra, fp = int(p["context"]["ra"]), int(p["context"]["s0"])
    names = []
    for _ in range(STACK_FRAMES):
        name, _, _ = kernel.function_at(ra)
        if name is None:
            break
        names.append(name)
        if not lo < fp <= lo + page:
            break
        try:
            ra, fp = read(fp - 8), read(fp - 16)
        except gdb.error:
            break
    return names


def pick(table, roles, what):
    """Slot of the newest (highest pid) live process of table (the process
    table) that has every role (key, value); what names the target, for
    the error."""
    states = kernel.enumerators("enum procstate")
    best, best_pid = None, -1
    for i in range(kernel.array_length(table.type)):
        p = table[i]
        state = int(p["state"])
        if state in (states["UNUSED"], states["ZOMBIE"]):
            continue
        ok = True
        for key, want in roles:
            if key == "name":
                ok = ok and p["name"].string(length=kernel.array_length(p["name"].type)) \
                    .split("\0")[0] == want
            else:
                ok = ok and state == states["SLEEPING"] and want in sleeping_in(p)
        if ok and int(p["pid"]) > best_pid:
            best, best_pid = i, int(p["pid"])
    if best is None:
        raise registry.Mismatch("target %s: no process is %s at the site"
                                % (what, " and ".join("%s=%s" % r for r in roles)))
    return best


def pick_block(table, block, what):
    """Slot of the buffer of table (the buffer cache's array) holding
    block of the root device: the identity bget matches (dev, blockno),
    which at most one buffer has, and which kernel/ev6_trace.c counts a
    block's accesses by. None holding it: not reached (a harness outcome:
    the moment the target names did not come)."""
    dev = constants.value("ROOTDEV")
    for i in range(kernel.array_length(table.type)):
        b = table[i]
        if int(b["dev"]) == dev and int(b["blockno"]) == block:
            return i
    raise sites.NotReached("target %s: no buffer holds block %d at the site" % (what, block))


def held_block(t):
    """The block the buffer Target t lies in holds now (dev the root
    device, as pick_block matches), or None: not a buffer of the cache,
    or one holding no block."""
    if not kernel.has_symbol("bcache"):
        return None
    table = kernel.value("bcache")["buf"]
    first, n = int(table[0].address), kernel.array_length(table.type)
    size = table[0].type.sizeof
    if not first <= t.addr < first + n * size:
        return None
    b = table[(t.addr - first) // size]
    return int(b["blockno"]) if int(b["dev"]) == constants.value("ROOTDEV") else None


def resolve_roles(expr, live=True):
    """expr with each role subscript ([name=wc], [sleeping=wait], ...;
    [block=N]: campaign/target.h) replaced by the slot it picks in the
    guest's table now (pick, pick_block). live=False (preflight, no
    guest): only check that each one subscripts the process table (the
    buffer cache), and put slot 0."""
    out, pos = "", 0
    for m in _ROLES.finditer(expr):
        table_expr = out + expr[pos:m.start()]
        table = _role_table(expr, table_expr, "buf" if m.group(1) else "proc")
        if m.group(1):
            slot = pick_block(table, int(m.group(1)), "global:" + expr) if live else 0
        else:
            roles = [tuple(r.split("=", 1)) for r in m.group(2).split(",")]
            slot = pick(table, roles, "global:" + expr) if live else 0
        out = table_expr + "[%d]" % slot
        pos = m.end()
    return out + expr[pos:]


def _role_table(expr, table_expr, tag):
    """The table table_expr a role subscript of target expr picks from: an
    array of struct tag (proc: the process table; buf: the buffer cache)."""
    try:
        table = gdb.parse_and_eval(table_expr)
    except gdb.error as e:
        raise gdb.GdbError("cannot resolve target global:%s: %s" % (expr, e))
    t = table.type.strip_typedefs()
    if t.code != gdb.TYPE_CODE_ARRAY or \
            not kernel.same_type(t.target(), kernel.lookup_type("struct " + tag)):
        raise registry.Mismatch("target global:%s: %s, and %s is not %s" % (
            expr, "a role picks a process" if tag == "proc" else "a block picks a buffer",
            table_expr, "the process table" if tag == "proc" else "the buffer cache"))
    return table


def aim(name, base, selector, method, frame):
    """What a TRACE=1 kernel counts for site access, before the stop:
    (address, bytes, None), or for a buffer named by its block, whichever
    slot holds it when an access runs, (offset in the buffer, bytes,
    block). The selector is applied to slot 0 for that."""
    m = _ROLES.search(base) if base is not None and base.startswith("global:") else None
    if m is None or not m.group(1):
        t = resolve(name, base, selector, method, frame)
        return t.addr, t.span, None
    if _ROLES.search(base, m.end()):
        raise gdb.GdbError("target %s: site access counts one buffer by its block; this "
                           "target picks more" % base)
    slot0 = base[:m.start()] + "[0]" + base[m.end():]
    t = resolve(name, slot0, selector, method, frame)
    elem = gdb.parse_and_eval(slot0[len("global:"):m.start()] + "[0]")
    off = t.addr - int(elem.address)
    if not 0 <= off < elem.type.sizeof:
        raise gdb.GdbError("target %s: site access counts bytes of the buffer holding the "
                           "block, and these lie outside it" % base)
    return off, t.span, int(m.group(1))


def _global(expr):
    """(address, how) of the object kernel expression expr names."""
    addr, how, _ = _global_typed(expr)
    return addr, how


_SUBSCRIPT = re.compile(r"\[(\d+)\]")


def _check_subscripts(expr):
    """Every [N] of expr inside its array (GDB's C evaluator does not
    check): a target past the end of a table is some other object, and a
    run would damage it in the scenario's name. Raises registry.Mismatch."""
    for m in _SUBSCRIPT.finditer(expr):
        prefix = expr[:m.start()]
        try:
            t = gdb.parse_and_eval(prefix).type.strip_typedefs()
        except gdb.error as e:
            raise gdb.GdbError("cannot resolve target global:%s: %s" % (expr, e))
        if t.code == gdb.TYPE_CODE_ARRAY and int(m.group(1)) >= kernel.array_length(t):
            raise registry.Mismatch("target global:%s: index %s is out of range (%s has %d "
                                    "elements)" % (expr, m.group(1), prefix,
                                                   kernel.array_length(t)))


def _global_typed(expr):
    """(address, how, type) of the object expr names: the lvalue itself, or
    what it points to."""
    expr = resolve_roles(expr)
    _check_subscripts(expr)
    try:
        v = gdb.parse_and_eval(expr)
    except gdb.error as e:
        raise gdb.GdbError("cannot resolve target global:%s: %s" % (expr, e))
    t = v.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        return int(v), expr, t.target()
    if v.address is None:
        raise gdb.GdbError("target global:%s is not an object in memory" % expr)
    return int(v.address), "&" + expr, v.type


def _arguments(frame):
    """(symbol, value) of each argument of the function of frame."""
    try:
        block = frame.block()
    except RuntimeError:
        return []
    while block is not None and block.function is None:
        block = block.superblock
    out = []
    if block is None:
        return out
    for sym in block:
        if sym.is_argument:
            try:
                out.append((sym, sym.value(frame)))
            except (gdb.error, RuntimeError):
                pass
    return out


def _narrow(name, wanted, ptr, how):
    """The Target for the object of type wanted at, or inside, ptr."""
    if ptr == 0:
        raise gdb.GdbError("the %s pointer (%s) is NULL" % (name, how))
    path, actual = kernel.object_at(ptr, wanted)
    if actual is None or kernel.same_type(actual, wanted):
        return Target(name, ptr, wanted.sizeof, wanted, path or "0x%x" % ptr, how)
    # Another object: look inside it.
    holder = gdb.Value(ptr).cast(actual.pointer()).dereference()
    found = kernel.find_member(holder, wanted)
    if found is None:
        raise registry.Mismatch("%s (%s) is a %s holding no %s"
                                % (path, how, kernel.type_name(actual), name))
    member, addr = found
    if addr == 0:
        raise gdb.GdbError("%s.%s is NULL" % (path, member))
    where, _ = kernel.object_at(addr, wanted)
    return Target(name, addr, wanted.sizeof, wanted, where or "%s.%s" % (path, member),
                  "%s -> %s" % (how, member))


def _select(t, selector):
    """Narrow Target t to the bytes selector names."""
    if selector == "object":
        return t
    if selector.startswith("offset:"):
        try:
            off = int(selector[len("offset:"):], 0)
        except ValueError:
            raise gdb.GdbError("bad target %s" % selector)
        if not 0 <= off < t.size:
            raise gdb.GdbError("target %s is outside the %s (%d bytes)" % (selector, t.name, t.size))
        t.addr, t.span = t.base + off, t.size - off
        return t
    if selector.startswith("field:"):
        if t.type is None:
            raise gdb.GdbError("target %s: a %s has no fields" % (selector, t.name))
        off, size, _ = field_offset(t.type, selector[len("field:"):])
        t.addr, t.span, t.field = t.base + off, size, selector[len("field:"):]
        return t
    raise gdb.GdbError("target %s does not apply to a %s" % (selector, t.name))


def field_offset(typ, path):
    """(byte offset, size, type) of member path ("lock.locked", "data[3]")
    in typ."""
    off = 0
    t = typ
    for part in path.split("."):
        index = None
        if part.endswith("]") and "[" in part:
            part, index = part[:part.index("[")], int(part[part.index("[") + 1:-1], 0)
        s = t.strip_typedefs()
        if s.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            raise gdb.GdbError("cannot resolve field %s: %s is not a struct" % (path, s))
        for f in s.fields():
            if f.name == part and f.bitpos is not None:
                off += f.bitpos // 8
                t = f.type
                break
        else:
            raise gdb.GdbError("cannot resolve field %s: %s has no member %s"
                               % (path, kernel.type_name(typ), part))
        if index is not None:
            a = t.strip_typedefs()
            if a.code != gdb.TYPE_CODE_ARRAY or not 0 <= index < kernel.array_length(a):
                raise gdb.GdbError("cannot resolve field %s: bad index" % path)
            off += index * a.target().sizeof
            t = a.target()
    return off, t.sizeof, t


def _text(frame):
    """The code of the site function."""
    name, start, end = kernel.function_at(frame.pc())
    if name is None:
        raise gdb.GdbError("no function at pc 0x%x" % frame.pc())
    return Target(TEXT, start, end - start, None, name, "text of %s" % name)


def _pagetable(name, base, selector, method, frame):
    """The page-table page of level L2/L1/L0 that the site's walk uses."""
    if name != PAGETABLE:
        raise gdb.GdbError("target %s applies to object pagetable, not %s" % (selector, name))
    if selector.startswith("field:"):
        raise gdb.GdbError("target %s: a page table has no fields" % selector)
    level = {"L1": 1, "L0": 0}.get(selector, 2)
    ptype = kernel.lookup_type("pte_t")
    page = constants.value("PGSIZE")
    root, how = None, None
    if base is not None:
        if base.startswith("global:"):
            root, how = _global(base[len("global:"):])
        elif base == "fi_trap" or base.startswith("arg"):
            reg = "$a0" if base == "fi_trap" else "$a%d" % int(base[3:])
            root, how = int(gdb.parse_and_eval(reg)), base
    else:
        for sym, v in _arguments(frame):
            if str(sym.type) == "pagetable_t":
                try:
                    root, how = int(v), "argument %s of %s" % (sym.name, frame.name())
                except gdb.error:
                    if method == "counter":     # the site passed it to fi_trap
                        root, how = int(gdb.parse_and_eval("$a0")), "fi_trap(obj)"
                break
    if root is None:
        # The page table the hart's MMU walks.
        satp = int(gdb.parse_and_eval("$satp")) & constants.MASK64
        root = (satp & ((1 << SATP_PPN_BITS) - 1)) << constants.value("PGSHIFT")
        how = "satp of hart %d" % kernel.current_hart()
        if root == 0:
            raise gdb.GdbError("hart %d has paging off (satp = 0)" % kernel.current_hart())
    va = _va(frame)
    if va is None and level < 2:
        raise gdb.GdbError("target %s needs the va %s walks (no argument va)"
                           % (selector, frame.name()))
    pt = root
    for lvl in (2, 1, 0):
        if lvl == level:
            break
        pte = kernel.read_u64(pt + constants.value("PX", lvl, va) * ptype.sizeof)
        if not pte & constants.value("PTE_V"):
            raise gdb.GdbError("va 0x%x has no level-%d page table (PTE 0x%x invalid)"
                               % (va, lvl - 1, pte))
        pt = constants.value("PTE2PA", pte)
    t = Target(PAGETABLE, pt, page, None, "L%d page 0x%x" % (level, pt),
               "%s, level %d%s" % (how, level, "" if va is None else " for va 0x%x" % va))
    if selector.startswith("offset:"):
        return _select(t, selector)
    if va is not None:
        t.addr = pt + constants.value("PX", level, va) * ptype.sizeof
        t.span = pt + page - t.addr
        t.field = "pte[%d]" % constants.value("PX", level, va)
    return t


def _va(frame):
    """The virtual address argument (va) of the walking function, if any."""
    for sym, v in _arguments(frame):
        if sym.name == "va":
            try:
                return int(v)
            except gdb.error:
                return None
    return None


# --- errors inside the recovery path (Table 3, during_recovery) ---

# Kernel statics that are the object for these names: the registry range
# a lookup reads first (the middle of its binary search), and the word a
# hart queued in the shepherd spins on.
REGISTRY_TABLE, REGISTRY_COUNT = "ranges", "nranges"
SHEPHERD, SHEPHERD_FIELD = "ev6_shepherd", "now_serving"
KSTACK = "kstack"
WORD = 8


def resolve_during(name, thread):
    """The object name as the stopped hart of GDB thread thread touches it
    in the recovery path: text (the code at its pc), kstack (the word at
    its sp, on its kernel stack), registry (the range its lookup reads
    first), shepherd (the ticket queued harts spin on), or an object of
    that type the hart owns (its proc, its cpu) or the kernel's global of
    that type (log, kmem, ...)."""
    thread.switch()
    hart = kernel.hart_of(thread)
    pc = int(gdb.parse_and_eval("$pc")) & constants.MASK64
    if name == TEXT:
        fn, start, end = kernel.function_at(pc)
        if fn is None:
            raise gdb.GdbError("hart %d: no function at pc 0x%x" % (hart, pc))
        t = Target(TEXT, start, end - start, None, fn, "text of %s at hart %d's pc" % (fn, hart))
        t.addr, t.span = pc, end - pc
        return t
    if name == KSTACK:
        page = constants.value("PGSIZE")
        sp = int(gdb.parse_and_eval("$sp")) & constants.MASK64 & ~(WORD - 1)
        base = sp & ~(page - 1)
        t = Target(KSTACK, base, page, None, "stack page 0x%x" % base,
                   "sp of hart %d" % hart)
        t.addr, t.span = sp, base + page - sp
        t.phys = harts.physical(sp)
        t.field = "sp+0"
        return t
    if name == "registry" and kernel.has_symbol(REGISTRY_TABLE):
        table = kernel.value(REGISTRY_TABLE)
        n = kernel.read_variable(REGISTRY_COUNT) if kernel.has_symbol(REGISTRY_COUNT) else 1
        i = max(n - 1, 0) // 2
        elem = table[i]
        return Target(name, int(elem.address), elem.type.sizeof, elem.type,
                      "%s[%d]" % (REGISTRY_TABLE, i),
                      "the range a lookup reads first (%d ranges)" % n)
    if name == "shepherd" and kernel.has_symbol(SHEPHERD):
        v = kernel.value(SHEPHERD)
        off, size, ftype = field_offset(v.type, SHEPHERD_FIELD)
        base = int(v.address)
        t = Target(name, base, v.type.sizeof, v.type, "%s.%s" % (SHEPHERD, SHEPHERD_FIELD),
                   "the ticket queued harts spin on")
        t.addr, t.span, t.field = base + off, size, SHEPHERD_FIELD
        return t
    wanted = object_type(name)
    mine = _this_hart(wanted)
    if mine is not None:
        return _narrow(name, wanted, mine[0], mine[1])
    g = kernel.global_of_type(wanted)
    if g is not None:
        return _narrow(name, wanted, g[1], g[0])
    sym = kernel.find_symbol(name)
    if sym is not None and not sym.is_function:
        return _narrow(name, wanted, int(sym.value().address), name)
    raise gdb.GdbError("cannot resolve the %s hart %d touches in the recovery path" % (name, hart))
