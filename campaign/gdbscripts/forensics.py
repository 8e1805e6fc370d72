# forensics.py - what a hung guest was doing, for the run's record.
#
# When the orchestrator judges a hang (campaign/runner.c: the silence
# bound, or a phase's timeout) it starts GDB once more on the same
# gdbstub, with EV6_FORENSICS naming the file to write, before it kills
# QEMU. snapshot() then reads, with the guest stopped:
#   every hart   pc, ra, sp, privilege, sstatus.SIE, the function and a
#                short backtrace; its struct cpu: proc, noff, intena,
#                spinning, taking and the ledger's held locks
#   again        the harts twice more, the guest running SAMPLE_S between
#                looks: a hart in the same frames at every look, with
#                interrupts off, is not moving; ticks, whether the clock is
#   processes    every used slot of the process table: pid, state, chan
#                (and what it is), killed, name, the functions on a
#                sleeping one's kernel stack, and what its Ev6 ledger
#                says it holds
#   locks        every spinlock (and sleeplock) of the kernel's globals
#                that is set, with its name, the hart its cpu field names
#                and the hart whose ledger lists it, and the locks the
#                harts point at (pipes live in pages, not in a global)
#   drivers      each driver task's fields and its last register accesses
#                (its I/O log), and the UART driver's state
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

LOOKS = 3                 # looks at the harts, the guest running between them
SAMPLE_S = 0.5            # ... this long
BACKTRACE = 8             # frames per hart shown
UNWIND = 32               # ... followed, to compare looks
# The last trap (a hart at the trampoline has just taken it) and what is
# pending and enabled.
TRAP_CSRS = ("scause", "sepc", "stval", "sip", "sie")
IO_LOG = 24               # a driver task's last register accesses shown
SUMMARY_FRAMES = 4        # ... in the summary line (acquire sits 4 deep: mycpu < take < spin < acquire)
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
    stack = _backtrace(UNWIND) if priv == harts.PRIV_SUPERVISOR else []
    csrs = " ".join("%s 0x%x" % (c, _reg(c)) for c in TRAP_CSRS)
    line = ("hart %d: %s pc 0x%x %s ra 0x%x sp 0x%x SIE %d %s%s"
            % (kernel.hart_of(thread), "S" if priv == harts.PRIV_SUPERVISOR else "U(%d)" % priv,
               pc, fn or "(user)" if pc < constants.value("TRAMPOLINE") else "(trampoline)",
               ra, sp, int(sie), csrs,
               "\n  stack: " + " < ".join(stack[:BACKTRACE]) if stack else ""))
    return kernel.hart_of(thread), pc, fn, sie, stack, line


def cpu_line(hart):
    """The kernel's struct cpu of hart as one line, and the lock it spins
    for ("" if none)."""
    c = kernel.value("cpus")[hart]
    p = c["proc"]
    who = "-" if int(p) == 0 else "pid %d (%s)" % (int(p["pid"]), _string(p["name"], 16))
    parts = ["proc %s" % who, "noff %d" % int(c["noff"]), "intena %d" % int(c["intena"])]
    spin = ""
    v = _field(c, "spinning")
    if v is not None:
        parts.append("spinning %s" % lock_name(int(v)))
        if int(v):
            spin = lock_name(int(v))
    ledger = kernel.hart_ledger(c)
    if ledger is not None:
        listed, lost, taking = ledger
        parts.append("taking %s" % lock_name(taking))
        parts.append("held %d [%s]" % (len(listed) + lost,
                                       ", ".join(lock_name(a) for a in listed)))
    return "  cpu: " + ", ".join(parts), spin


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
    for f in ("lost", "in_op", "op_writes", "logging", "newblock", "committing"):
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
        ledger = kernel.hart_ledger(c)
        if ledger is None:
            return None
        if addr in ledger[0]:
            return h
    return None


def pointed_locks():
    """Addresses of the locks the harts spin for, take or list."""
    out = []
    for _, c in kernel.for_each_cpu():
        v = _field(c, "spinning")
        if v is not None:
            out.append(int(v))
        ledger = kernel.hart_ledger(c)
        if ledger is not None:
            out += ledger[0] + [ledger[2]]
    return out


def scalars(v, skip=()):
    """name=value for each integer or pointer field of struct value v
    (nested structs by their own fields), as the debug info lays it out."""
    out = []
    for f in v.type.strip_typedefs().fields():
        if f.name is None or f.bitpos is None or f.name in skip:
            continue
        ft = f.type.strip_typedefs()
        if ft.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_BOOL):
            out.append("%s=%d" % (f.name, int(v[f.name])))
        elif ft.code == gdb.TYPE_CODE_PTR:
            out.append("%s=0x%x" % (f.name, int(v[f.name])))
        elif ft.code == gdb.TYPE_CODE_STRUCT and not kernel.same_type(
                ft, kernel.lookup_type("struct spinlock")):
            out.append("%s={%s}" % (f.name, " ".join(scalars(v[f.name]))))
    return out


def driver_lines():
    """Each driver task (drvtasks[], its struct's fields) with the last
    IO_LOG register accesses of its I/O log, and the UART driver's own
    state (uart): a console that stops with the guest running is its
    output path stuck."""
    if not kernel.has_symbol("drvtasks"):
        return []
    lines, tasks = [], kernel.value("drvtasks")
    n = kernel.read_variable("ndrvtasks") if kernel.has_symbol("ndrvtasks") else \
        kernel.array_length(tasks.type)
    for i in range(n):
        t = tasks[i]
        lines.append("drvtasks[%d] %s" % (i, " ".join(scalars(t, skip=("log",)))))
        log, size = t["log"], kernel.array_length(t["log"].type)
        total = int(t["log_n"])
        recent = ["%s%d=0x%x" % ("w" if int(log[k % size]["write"]) else "r",
                                 int(log[k % size]["off"]), int(log[k % size]["val"]))
                  for k in range(max(0, total - IO_LOG), total)]
        lines.append("  io (last %d of %d): %s" % (len(recent), total, " ".join(recent)))
    if kernel.has_symbol("uart"):
        lines.append("uart %s" % " ".join(scalars(kernel.value("uart"))))
    return lines


def ev6_line():
    parts = []
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

class Look:
    """Every hart at one moment: registers, stacks, struct cpu, ticks."""

    def __init__(self):
        self.harts = [hart_registers(t) for _, t in kernel.harts()]
        self.cpus, self.spins, self.ticks = [], [], None
        with kernel.physical_memory():
            if kernel.has_symbol("cpus"):
                for h in self.harts:
                    line, spin = cpu_line(h[0])
                    self.cpus.append(line)
                    self.spins.append(spin)
            if kernel.has_symbol("ticks"):
                self.ticks = kernel.read_variable("ticks")

    def lines(self):
        out = []
        for k, h in enumerate(self.harts):
            out.append(h[5])
            if k < len(self.cpus):
                out.append(self.cpus[k])
        return out

    def idle(self, k):
        stack = self.harts[k][4]
        return stack[:1] == [IDLE] or (stack[1:2] == [IDLE] and stack[0] in IDLE_LEAVES)


def _same_place(a, b):
    """Are two backtraces of a hart the same call, give or take its two
    innermost frames (inline helpers: mycpu < take < acquire, then take <
    acquire)? Then b ends with a's outer frames."""
    outer = a[2:]
    return len(outer) > 0 and b[len(b) - len(outer):] == outer


def summary(looks, sleeping, nlocks):
    """The one line: each hart's innermost frames at the first look, the
    lock it spins for, and whether it sat in the same frames with
    interrupts off at every look (it is not moving)."""
    first, parts = looks[0], []
    for k, (h, _, fn, sie, stack, _) in enumerate(first.harts):
        if first.idle(k):
            parts.append("hart %d idle" % h)
            continue
        still = len(looks) > 1 and fn is not None and not sie and \
            all(k < len(lk.harts) and _same_place(stack, lk.harts[k][4]) for lk in looks[1:])
        spin = first.spins[k] if k < len(first.spins) else ""
        parts.append("hart %d %s%s%s" % (h, " < ".join(stack[:SUMMARY_FRAMES]) or fn or "user",
                                         " spinning for " + spin if spin else "",
                                         " (every look)" if still else ""))
    ticks = [lk.ticks for lk in looks if lk.ticks is not None]
    moving = "" if len(ticks) < 2 else "; ticks %s" % ("%d -> %d" % (ticks[0], ticks[-1])
                                                       if ticks[-1] != ticks[0] else
                                                       "%d, not moving" % ticks[0])
    return "hang snapshot: %s; %d sleeping; %d locks set%s" % (
        ", ".join(parts), sleeping, nlocks, moving)


def snapshot():
    """The guest's state as text; its first line is the summary. LOOKS
    looks at the harts, SAMPLE_S apart (the guest runs between them);
    the processes and locks at the last."""
    stopped = gdb.selected_thread()
    looks, body = [Look()], []
    if stopped is not None:
        # QEMU's stop reply names the hart that stopped the guest (a debug
        # event), or the first one when the attach itself paused it.
        body.append("at attach GDB was given hart %d" % kernel.hart_of(stopped))
    stops = []

    def stopped_by(event):
        # A stop GDB did not ask for: a breakpoint or watchpoint QEMU still
        # holds from an earlier session stops the guest (a debug event)
        # with nobody attached to let it go on.
        sig = getattr(event, "stop_signal", None)
        t = gdb.selected_thread()
        stops.append("hart %s %s pc 0x%x" % (kernel.hart_of(t) if t else "?",
                                              sig or type(event).__name__, _reg("pc")))

    gdb.events.stop.connect(stopped_by)
    try:
        for n in range(1, LOOKS):
            try:
                sites.resume([], time.monotonic() + SAMPLE_S, "look %d" % (n + 1), quiet=True)
                looks.append(Look())
            except (gdb.error, gdb.GdbError) as e:
                body.append("no look %d: %s" % (n + 1, " ".join(str(e).split())))
                break
    finally:
        gdb.events.stop.disconnect(stopped_by)
    # the watchdog's own interrupt ends each wait: SIGINT; anything else is news
    other = [x for x in stops if "SIGINT" not in x]
    body.append("stops while the guest ran between looks: %d, not GDB's interrupt: %s"
                % (len(stops), "; ".join(other) if other else "none"))
    for n, lk in enumerate(looks):
        body.append("look %d (%.1f s)%s:" % (n + 1, n * SAMPLE_S,
                                             "" if lk.ticks is None else ", ticks %d" % lk.ticks))
        body += lk.lines()
    with kernel.physical_memory():
        procs, sleeping = process_lines() if kernel.has_symbol("proc") else ([], 0)
        locks = lock_lines(pointed_locks() if kernel.has_symbol("cpus") else [])
        ev6 = ev6_line()
        drivers = driver_lines()
    return "\n".join([summary(looks, sleeping, len(locks)), ev6] + body +
                     ["processes (last look):"] + procs + ["locks set (last look):"] + locks +
                     ["drivers (last look):"] + drivers) + "\n"


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
