# forensics.py - what a hung guest was doing, for the run's record.
#
# When the orchestrator judges a hang (campaign/runner.c: the silence
# bound, or a phase's timeout) it starts GDB once more on the same
# gdbstub, with EV6_FORENSICS naming the file to write, before it kills
# QEMU. snapshot() then reads, with the guest stopped:
#   every hart   pc, ra, sp, privilege, sstatus.SIE, the function and a
#                short backtrace; its struct cpu: proc, noff, intena,
#                spinning, taking and the ledger's held locks
#   again        the harts once more after the guest ran SAMPLE_S: a hart
#                in the same function both times, with interrupts off, is
#                not moving
#   processes    every used slot of the process table: pid, state, chan
#                (and what it is), killed, name, the functions on a
#                sleeping one's kernel stack, and what its Ev6 ledger
#                says it holds
#   locks        every spinlock (and sleeplock) of the kernel's globals
#                that is set, with its name, the hart its cpu field names
#                and the hart whose ledger lists it, and the locks the
#                harts point at (pipes live in pages, not in a global)
#   Ev6          the shepherd (serving, next ticket, harts in recovery),
#                ev6_stopping, ticks
# The first line is a one-line summary (the run's detail quotes it).
# Layouts all come from the debug info (kernel.py); nothing is written
# down here. Reading never changes the guest; a field this kernel lacks
# (a RECOVERY=0 build has no ledger) is left out.

import re
import time

import gdb

import constants
import kernel
import harts
import objects
import registry
import sites
import target
import job as jobfile

SAMPLE_S = 0.5            # the guest runs this long between the two looks
BACKTRACE = 8             # frames per hart
ELEMENTS = 256            # array elements searched for locks, at most
DEPTH = 4                 # struct nesting searched for locks
# An idle hart: in the scheduler's loop, or in these inline helpers of it
# (it waits in wfi with interrupts off: a pending one still wakes it).
IDLE, IDLE_LEAVES = "scheduler", ("intr_on", "intr_off", "wfi")

_VARIABLE = re.compile(r"^(?:\d+:\s+)?(?:static\s+)?.*?\**\b([A-Za-z_]\w*)(?:\[[^\]]*\])*;$")


def _reg(name):
    return int(gdb.parse_and_eval("$" + name)) & constants.MASK64


def _field(v, name, default=None):
    """v[name], or default if this kernel's struct has no such field."""
    try:
        return v[name]
    except gdb.error:
        return default


def _string(v, length=None):
    try:
        return v.string(length=length).split("\0")[0] if length else v.string()
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return "?"


def where_is(addr, wanted=None):
    """A name for kernel address addr: the global path of the object of
    type wanted that starts there, else of the outermost one (not a whole
    array) that starts there (proc[3], cons.r), else its innermost path
    and offset; else the registry's object; else hex."""
    if addr == 0:
        return "-"
    try:
        chain = kernel.describe(addr)
    except gdb.error:
        chain = None
    if chain:
        starts = [(p, t) for p, t, off in chain if off == 0 and
                  t.strip_typedefs().code != gdb.TYPE_CODE_ARRAY]
        for path, t in starts:
            if wanted is None or kernel.same_type(t, wanted):
                return path
        path, _, off = chain[-1]
        return path if off == 0 else "%s+%d" % (path, off)
    try:
        name, index = registry.lookup(addr) if registry.available() else (registry.UNKNOWN, -1)
    except gdb.error:
        name, index = registry.UNKNOWN, -1
    if name != registry.UNKNOWN:
        return "%s%s@0x%x" % (name, "" if index < 0 else "[%d]" % index, addr)
    return "0x%x" % addr


def lock_name(addr):
    """A spinlock's name field and where it is: "log (log.lock)"."""
    if addr == 0:
        return "-"
    try:
        lk = gdb.Value(addr).cast(kernel.lookup_type("struct spinlock").pointer()).dereference()
        name = _string(lk["name"]) if int(lk["name"]) else "?"
    except (gdb.error, gdb.MemoryError):
        name = "?"
    return "%s (%s)" % (name, where_is(addr, kernel.lookup_type("struct spinlock")))


def _hart_of_cpu(ptr):
    """Hart number of a struct cpu pointer, or None."""
    if int(ptr) == 0 or not kernel.has_symbol("cpus"):
        return None
    cpus = kernel.value("cpus")
    size = cpus.type.target().sizeof
    off = int(ptr) - int(cpus.address)
    return off // size if 0 <= off < size * kernel.array_length(cpus.type) else None


# --- harts ---

def _backtrace(limit=BACKTRACE):
    names = []
    try:
        f = gdb.newest_frame()
        while f is not None and len(names) < limit:
            names.append(f.name() or "0x%x" % f.pc())
            f = f.older()
    except gdb.error:
        pass
    return names


def hart_registers(thread):
    """(hart, pc, function, SIE, stack, line) of one hart, from its
    registers."""
    thread.switch()
    pc, ra, sp = _reg("pc"), _reg("ra"), _reg("sp")
    priv = _reg("priv")
    sie = (_reg("sstatus") & constants.value("SSTATUS_SIE")) != 0
    fn = kernel.function_at(pc)[0] if priv == harts.PRIV_SUPERVISOR else None
    stack = _backtrace() if priv == harts.PRIV_SUPERVISOR else []
    line = ("hart %d: %s pc 0x%x %s ra 0x%x sp 0x%x SIE %d%s"
            % (kernel.hart_of(thread), "S" if priv == harts.PRIV_SUPERVISOR else "U(%d)" % priv,
               pc, fn or "(user)", ra, sp, int(sie),
               "\n  stack: " + " < ".join(stack) if stack else ""))
    return kernel.hart_of(thread), pc, fn, sie, stack, line


def cpu_line(hart):
    """The kernel's struct cpu of hart, as one line."""
    c = kernel.value("cpus")[hart]
    p = c["proc"]
    who = "-" if int(p) == 0 else "pid %d (%s)" % (int(p["pid"]), _string(p["name"], 16))
    parts = ["proc %s" % who, "noff %d" % int(c["noff"]), "intena %d" % int(c["intena"])]
    for f in ("spinning", "taking"):
        v = _field(c, f)
        if v is not None:
            parts.append("%s %s" % (f, lock_name(int(v))))
    held = _field(c, "held")
    if held is not None:
        n = int(c["nheld"])
        shown = [lock_name(int(held[i])) for i in range(min(n, kernel.array_length(held.type)))]
        parts.append("held %d [%s]" % (n, ", ".join(shown)))
    return "  cpu: " + ", ".join(parts)


# --- processes ---

def _ledger(p):
    """What p's Ev6 ledger lists, or "" (none, or no ledger)."""
    led = _field(p, "ledger")
    if led is None:
        return ""
    out = []
    for lst, cnt in (("sleeplocks", "nsleeplocks"), ("bufs", "nbufs"), ("inodes", "ninodes")):
        n = int(led[cnt])
        if n:
            arr = led[lst]
            shown = [where_is(int(arr[i])) for i in range(min(n, kernel.array_length(arr.type)))]
            out.append("%s %d [%s]" % (lst, n, ", ".join(shown)))
    for f in ("in_op", "op_writes", "committing"):
        if int(led[f]):
            out.append("%s %d" % (f, int(led[f])))
    for f in ("child", "exec_args", "page", "file"):
        if int(led[f]):
            out.append("%s 0x%x" % (f, int(led[f])))
    return ", ".join(out)


def _stack_word(va):
    """A word of a kernel stack (mapped high, above guard pages), read by
    physical address through the kernel's own page table."""
    root = int(kernel.value("kernel_pagetable"))
    return kernel.read_u64(harts.physical(va, root))


def process_lines():
    states = {v: n for n, v in kernel.enumerators("enum procstate").items()}
    lines, sleeping = [], 0
    for i, (_, p) in enumerate(kernel.elements("proc")):
        state = states.get(int(p["state"]), str(int(p["state"])))
        if state == "UNUSED":
            continue
        line = "proc[%d] pid %d %s %s" % (i, int(p["pid"]), _string(p["name"], 16), state)
        if int(p["chan"]):
            line += " chan %s" % where_is(int(p["chan"]))
        if int(p["killed"]):
            line += " killed"
        if int(_field(p, "kthread", 0) or 0):
            line += " kthread"
        led = _ledger(p)
        if led:
            line += "\n  ledger: " + led
        if state in ("SLEEPING", "RUNNABLE"):
            sleeping += state == "SLEEPING"
            try:
                stack = objects.sleeping_in(p, _stack_word)
            except gdb.error:
                stack = []
            if stack:
                line += "\n  stack: " + " < ".join(stack[:BACKTRACE])
        lines.append(line)
    return lines, sleeping


# --- locks ---

def _locks_in(v, path, depth, found, lock_t, sleep_t):
    t = v.type.strip_typedefs()
    if kernel.same_type(t, lock_t):
        found.append((path, v))
        return
    if kernel.same_type(t, sleep_t):
        found.append((path, v))
        return
    if depth == 0:
        return
    if t.code == gdb.TYPE_CODE_ARRAY:
        et = t.target().strip_typedefs()
        if et.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            return
        for i in range(min(kernel.array_length(t), ELEMENTS)):
            _locks_in(v[i], "%s[%d]" % (path, i), depth - 1, found, lock_t, sleep_t)
    elif t.code == gdb.TYPE_CODE_STRUCT:
        for f in t.fields():
            if f.name is not None and f.bitpos is not None:
                _locks_in(v[f.name], "%s.%s" % (path, f.name), depth - 1, found, lock_t, sleep_t)


def kernel_globals():
    """Names of the kernel's global and file-static variables."""
    out = gdb.execute("info variables -n", to_string=True)
    names = []
    for line in out.splitlines():
        m = _VARIABLE.match(line.strip())
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


def lock_lines(extra):
    """Lines for every set lock of the kernel's globals, and for the
    locks at the addresses in extra (what harts point at)."""
    lock_t = kernel.lookup_type("struct spinlock")
    sleep_t = kernel.lookup_type("struct sleeplock")
    found = []
    for name in kernel_globals():
        sym = kernel.find_symbol(name)
        if sym is None or sym.is_function or not sym.is_variable:
            continue
        try:
            v = sym.value()
            v.fetch_lazy()
        except (gdb.error, gdb.MemoryError, RuntimeError):
            continue
        _locks_in(v, name, DEPTH, found, lock_t, sleep_t)
    seen = {int(v.address) for _, v in found}
    for addr in extra:
        if addr and addr not in seen:
            seen.add(addr)
            found.append((where_is(addr, lock_t), gdb.Value(addr).cast(lock_t.pointer()).dereference()))
    lines = []
    for path, v in found:
        if not int(v["locked"]):
            continue
        if kernel.same_type(v.type, sleep_t):
            lines.append("sleeplock %s %s: held by pid %d" % (path, _string(v["name"]),
                                                            int(v["pid"])))
            continue
        cpu = _hart_of_cpu(v["cpu"])
        owner = listed_by(int(v.address))
        lines.append("spinlock %s %s: locked %d, cpu %s, ledger %s"
                     % (path, _string(v["name"]) if int(v["name"]) else "?", int(v["locked"]),
                        "-" if cpu is None else "hart %d" % cpu,
                        "hart %d" % owner if owner is not None else "no hart"))
    return lines


def listed_by(addr):
    """The hart whose Ev6 ledger lists spinlock addr, or None."""
    if not kernel.has_symbol("cpus"):
        return None
    for h, c in kernel.for_each_cpu():
        held = _field(c, "held")
        if held is None:
            return None
        for i in range(min(int(c["nheld"]), kernel.array_length(held.type))):
            if int(held[i]) == addr:
                return h
    return None


def pointed_locks():
    """Addresses of the locks the harts spin for, take or list."""
    out = []
    for _, c in kernel.for_each_cpu():
        for f in ("spinning", "taking"):
            v = _field(c, f)
            if v is not None:
                out.append(int(v))
        held = _field(c, "held")
        if held is not None:
            out += [int(held[i]) for i in range(min(int(c["nheld"]),
                                                     kernel.array_length(held.type)))]
    return out


def ev6_line():
    parts = []
    if kernel.has_symbol("ticks"):
        parts.append("ticks %d" % kernel.read_variable("ticks"))
    if kernel.has_symbol("ev6_shepherd"):
        s = kernel.value("ev6_shepherd")
        rec = s["in_recovery"]
        parts.append("shepherd serving %d next %d in_recovery [%s]" % (
            int(s["now_serving"]), int(s["next_ticket"]),
            " ".join(str(int(rec[i])) for i in range(kernel.array_length(rec.type)))))
    if kernel.has_symbol("ev6_stopping"):
        parts.append("ev6_stopping %d" % kernel.read_variable("ev6_stopping"))
    return ", ".join(parts)


# --- the snapshot ---

def _look():
    """[(hart, pc, function, SIE, stack, line)] for every hart."""
    return [hart_registers(t) for _, t in kernel.harts()]


def snapshot():
    """The guest's state as text; its first line is the summary."""
    first = _look()
    cpus = []
    if kernel.has_symbol("cpus"):
        with kernel.physical_memory():
            cpus = [cpu_line(h) for h, _, _, _, _, _ in first]
    body = []
    for k, (_, _, _, _, _, line) in enumerate(first):
        body.append(line)
        if k < len(cpus):
            body.append(cpus[k])
    with kernel.physical_memory():
        procs, sleeping = process_lines() if kernel.has_symbol("proc") else ([], 0)
    with kernel.physical_memory():
        locks = lock_lines(pointed_locks() if kernel.has_symbol("cpus") else [])
        ev6 = ev6_line()
    try:
        sites.resume([], time.monotonic() + SAMPLE_S, "the second look", quiet=True)
        second = _look()
    except gdb.error as e:
        second = []
        body.append("no second look: %s" % " ".join(str(e).split()))
    moved = []
    for k, (h, _, fn, sie, stack, _) in enumerate(first):
        if stack[:1] == [IDLE] or (stack[1:2] == [IDLE] and stack[0] in IDLE_LEAVES):
            moved.append("hart %d idle" % h)
            continue
        # the same function and caller at both looks, interrupts off
        still = k < len(second) and fn is not None and not sie and \
            second[k][4][:2] == stack[:2]
        moved.append("hart %d %s%s" % (h, " < ".join(stack[:2]) or fn or "user",
                                       " (both looks)" if still else ""))
    if second:
        body.append("after %.1f s: %s" % (SAMPLE_S, "; ".join(
            "hart %d pc 0x%x %s" % (h, pc, fn or "(user)") for h, pc, fn, _, _, _ in second)))
    summary = "hang snapshot: %s; %d sleeping; %d locks set" % (
        ", ".join(moved), sleeping, len(locks))
    return "\n".join([summary, ev6] + body + ["processes:"] + procs + ["locks set:"] + locks) + "\n"


def main(job_path, out_path):
    """Attach to the guest of the job in job_path, write the snapshot to
    out_path, detach. Returns the exit status: 0, or 1 with the reason
    written instead."""
    t0 = time.monotonic()
    try:
        job = jobfile.load(job_path)
        target.load_kernel(job.kernel)
        target.connect(job.socket, wait_s=2.0)
        text = snapshot()
        text = text.replace("\n", " (attached in %.1f s)\n" % (time.monotonic() - t0), 1)
        status = 0
    except (gdb.error, gdb.GdbError, gdb.MemoryError, KeyboardInterrupt) as e:
        text = "hang snapshot failed: %s\n" % " ".join(str(e).split())
        status = 1
    with open(out_path, "w") as f:
        f.write(text)
    try:
        target.disconnect()
    except gdb.error:
        pass
    return status
