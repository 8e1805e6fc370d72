# target.py - attach to the guest and make sure it is the kernel we think.
#
# load_kernel() gives GDB the kernel ELF; connect() attaches to QEMU's
# gdbstub on a unix socket; check_identity() then proves the guest runs
# that very build: the architecture is RV64, and every byte of .text in
# guest memory matches the ELF (GDB's compare-sections; QEMU has no qCRC,
# so GDB reads the section back, ~16 ms for the kernel's 44 KB). An
# orphaned QEMU still holding a reused socket, or a kernel rebuilt under
# the orchestrator, fails here instead of producing a wrong result.
# set_mode() writes the recovery mode into the kernel; disconnect() removes
# every breakpoint and detaches so the guest runs free.

import os
import time

import gdb

import kernel

ARCH = "riscv:rv64"


def load_kernel(path):
    """Load the kernel ELF at path unless GDB already has it."""
    cur = gdb.current_progspace().filename
    if path:
        if not os.path.isfile(path):
            raise gdb.GdbError("kernel %s: no such file" % path)
        if cur is None or os.path.realpath(cur) != os.path.realpath(path):
            gdb.execute("file %s" % path, to_string=True)
    elif cur is None:
        raise gdb.GdbError("no kernel: give its ELF on the command line or as \"kernel\" in the job")
    if gdb.lookup_global_symbol("main") is None:
        raise gdb.GdbError("kernel %s has no debug info (build with -ggdb)"
                           % gdb.current_progspace().filename)
    return gdb.current_progspace().filename


def connect(socket, wait_s=5.0):
    """Attach to the gdbstub on unix socket path socket (it may take QEMU a
    moment to create it). Returns the seconds it took."""
    if not socket or any(c.isspace() for c in socket):
        raise gdb.GdbError("bad gdbstub socket path %r" % (socket,))
    t0 = time.monotonic()
    while not os.path.exists(socket):
        if time.monotonic() - t0 > wait_s:
            raise gdb.GdbError("cannot attach: no gdbstub socket %s" % socket)
        time.sleep(0.02)
    gdb.execute("set architecture %s" % ARCH, to_string=True)
    try:
        gdb.execute("target remote %s" % socket, to_string=True)
    except gdb.error as e:
        raise gdb.GdbError("cannot attach to %s: %s" % (socket, _one_line(e)))
    if not gdb.selected_inferior().threads():
        raise gdb.GdbError("attached to %s but the guest shows no harts" % socket)
    return time.monotonic() - t0


def check_identity(expect_harts=None):
    """Fail unless the guest is an RV64 machine running exactly the loaded
    kernel's .text, with expect_harts harts if given. Returns a summary."""
    arch = gdb.selected_inferior().architecture().name()
    if arch != ARCH:
        raise gdb.GdbError("guest architecture is %s, not %s" % (arch, ARCH))
    for reg in ("$priv", "$sstatus", "$stvec", "$sepc", "$scause", "$stval"):
        try:
            int(gdb.parse_and_eval(reg))
        except gdb.error:
            raise gdb.GdbError("the gdbstub does not show register %s (QEMU too old?)" % reg)
    try:
        # By physical address: the guest boots while GDB starts, so the
        # selected hart may be in user mode, whose page table maps no
        # kernel text (RAM is mapped one-to-one, kernel.physical_memory).
        with kernel.physical_memory():
            out = gdb.execute("compare-sections .text", to_string=True)
    except gdb.error as e:
        raise gdb.GdbError("cannot compare kernel text with the guest: %s" % _one_line(e))
    if "MIS-MATCHED" in out or "matched" not in out:
        raise gdb.GdbError("the guest does not run this kernel (.text differs): %s"
                           % _one_line(out))
    n = len(gdb.selected_inferior().threads())
    if expect_harts and n != int(expect_harts):
        raise gdb.GdbError("the guest has %d harts, the job expects %d" % (n, int(expect_harts)))
    return {"arch": arch, "harts": n, "text": "matched"}


def set_mode(mode):
    """Write the recovery mode ("conservative", "aggressive", or the enum's
    integer) into the kernel's ev6_mode (None: leave it). Returns the mode's
    name, or None if the kernel has no ev6_mode (a build without recovery)."""
    if not kernel.has_symbol("ev6_mode"):
        return None
    with kernel.physical_memory():   # as check_identity: any hart's mode
        return _set_mode(mode)


def _set_mode(mode):
    names = kernel.enumerators("enum ev6_mode")
    if mode is None:
        now = kernel.read_variable("ev6_mode")
        match = [n for n, v in names.items() if v == now]
        return match[0].split("_", 1)[1].lower() if match else str(now)
    if isinstance(mode, int):
        match = [n for n, v in names.items() if v == mode]
    else:
        match = [n for n in names if n.lower().endswith("_" + str(mode).lower())]
    if len(match) != 1:
        raise gdb.GdbError("unknown recovery mode %r (the kernel knows %s)"
                           % (mode, ", ".join(sorted(names))))
    kernel.set_variable("ev6_mode", names[match[0]])
    if kernel.read_variable("ev6_mode") != names[match[0]]:
        raise gdb.GdbError("writing ev6_mode did not stick")
    return match[0].split("_", 1)[1].lower()


def report_each_hart():
    """Make QEMU report a debug stop for every hart, one at a time, so that
    none keeps a watchpoint hit QEMU never reported. QEMU 7.2 reports one
    hart's hit when several meet an access watchpoint at once, and clears
    only the reported hart's; another's stays behind after GDB has gone and
    later stops the guest (QMP status debug) with nobody to continue it, or
    raises a breakpoint exception in it (docs/qemu-gdb.md). Each hart gets
    a breakpoint at its own pc and is resumed alone: it stops before running
    anything (QEMU checks breakpoints before it runs an instruction; an idle
    hart in wfi stops when its next interrupt wakes it). Behind GDB's back,
    by raw packets: GDB would step over a breakpoint at the pc. Returns the
    harts whose stop named a watchpoint hit, as "hart N: REPLY"."""
    stale = []
    was = gdb.selected_thread()
    for t in sorted(gdb.selected_inferior().threads(), key=lambda x: x.num):
        t.switch()
        pc = int(gdb.parse_and_eval("$pc")) & ((1 << 64) - 1)
        pid, tid = t.ptid[0], t.ptid[1]
        gdb.execute("maint packet Z0,%x,2" % pc, to_string=True)
        try:
            got = gdb.execute("maint packet vCont;c:p%x.%x" % (pid, tid), to_string=True)
        finally:
            gdb.execute("maint packet z0,%x,2" % pc, to_string=True)
        if "watch:" in got:
            stale.append("hart %d: %s" % (t.num - 1, got.split("received:")[-1].strip()))
    if was is not None and was.is_valid():
        was.switch()
    gdb.execute("maint flush register-cache", to_string=True)
    return stale


def connected():
    inf = gdb.selected_inferior()
    return inf is not None and inf.pid != 0 and bool(inf.threads())


def disconnect():
    """Remove every breakpoint and detach: the guest runs on by itself."""
    if not connected():
        return
    for bp in list(gdb.breakpoints()) + _internal_breakpoints():
        try:
            bp.delete()
        except RuntimeError:
            pass
    try:
        gdb.execute("detach", to_string=True)
    except gdb.error:
        # QEMU lets the guest run before it answers the detach, so a guest
        # that powers off at once (a fail-stop at the delivered error) can
        # close the connection first. Gone is what a detach is for; QEMU's
        # exit status tells the rest.
        if connected():
            raise


# Internal breakpoints do not appear in gdb.breakpoints(); sites.py
# registers the ones it makes here.
_internal = []


def track(bp):
    _internal.append(bp)
    return bp


def _internal_breakpoints():
    live = [bp for bp in _internal if bp.is_valid()]
    _internal.clear()
    return live


def _one_line(e):
    return " ".join(str(e).split())
