# sites.py - get the guest to stop at the injection site, once.
#
# Breakpoints here are one-shot: internal, silent gdb.Breakpoint
# subclasses whose stop() only records which hart stopped where and
# returns True. The caller deletes them at the stop, before the guest
# runs again, so GDB never steps over a kept breakpoint (on SMP guests
# that stalls QEMU; docs/qemu-gdb.md).
#
# Two ways to reach the N-th hit of a site:
#   counter   the kernel counts (FAULTS=1 builds): write fi_site_armed =
#             FI_SITE_<site>, fi_site_target = N, and break at fi_trap(obj),
#             which the site calls on that hit with the object it is about
#             to touch in a0; the site function is the first caller above
#             the fi_* helpers (fi_trap <- fi_site_hit <- bget). Used when
#             the enum has FI_SITE_<site> and, if <site> is a function, its
#             code really calls fi_site_hit (the enum runs ahead of the code).
#   function  break at the entry of the site function itself; first call
#             only (counting calls with GDB costs milliseconds per hit).
# A site may wait for the workload: the kernel calls fi_workload_start()
# when it execs the program named in fi_workload_name.
#
# Every wait runs under a watchdog thread that interrupts the guest
# (SIGINT to GDB, which sends QEMU a break) when the deadline passes, asks
# again if QEMU does not answer, and as a last resort calls the stuck
# handler the caller installed (which reports and exits).

import os
import signal
import threading
import time
from contextlib import contextmanager

import gdb

import constants
import kernel
import target


class NotReached(gdb.GdbError):
    """The guest never got where the job needs it: a deadline passed, or
    it stopped by itself first. The result line says "reached": false."""


class Timeout(NotReached):
    """A wait for the guest ran past its deadline."""


class GuestGone(gdb.GdbError):
    """The guest stopped by itself (QEMU exited) while GDB waited for it."""


class Hit:
    """Where a one-shot breakpoint or watchpoint stopped the guest."""

    def __init__(self):
        t = gdb.selected_thread()
        self.thread = t
        self.hart = kernel.hart_of(t)
        self.pc = int(gdb.parse_and_eval("$pc")) & kernel.MASK64
        self.time = time.monotonic()


class OneShot(gdb.Breakpoint):
    """An internal, silent breakpoint at spec that records its first hit."""

    def __init__(self, spec, label=None):
        super().__init__(spec, gdb.BP_BREAKPOINT, internal=True)
        self.silent = True
        self.label = label or spec
        self.hit = None
        target.track(self)

    def stop(self):
        if self.hit is None:
            self.hit = Hit()
        return True


class AccessWatch(gdb.Breakpoint):
    """An internal access watchpoint on length bytes at addr that records
    its first hit (seen after the accessing instruction: GDB steps the
    hart over it first; docs/qemu-gdb.md)."""

    def __init__(self, addr, length, label=None):
        spec = "*(unsigned char (*)[%d]) 0x%x" % (length, addr)
        super().__init__(spec, gdb.BP_WATCHPOINT, gdb.WP_ACCESS, internal=True)
        self.silent = True
        self.label = label or "access to 0x%x" % addr
        self.addr = addr
        self.length = length
        self.hit = None
        target.track(self)

    def stop(self):
        if self.hit is None:
            self.hit = Hit()
        return True


def delete(*bps):
    """Delete breakpoints, quietly (the guest may be gone)."""
    for bp in bps:
        try:
            if bp is not None and bp.is_valid():
                bp.delete()
        except (RuntimeError, gdb.error):
            pass


# --- watchdog ---

class Watchdog:
    """One thread per session. waiting(s) arms it around a blocking GDB
    command; past the deadline it interrupts the guest, again after
    REPEAT_S, and after STUCK_S calls on_stuck() (which must not return)."""

    REPEAT_S = 5.0
    STUCK_S = 15.0

    def __init__(self):
        self._cv = threading.Condition()
        self._deadline = None
        self._serial = 0
        self.fired = False
        self.on_stuck = None
        self._thread = None

    def _start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ev6-watchdog", daemon=True)
            self._thread.start()

    @contextmanager
    def waiting(self, seconds):
        self._start()
        with self._cv:
            self._serial += 1
            self._deadline = time.monotonic() + max(seconds, 0.0)
            self.fired = False
            self._cv.notify()
        try:
            yield self
        finally:
            with self._cv:
                self._deadline = None
                self._cv.notify()

    def _run(self):
        with self._cv:
            while True:
                while self._deadline is None:
                    self._cv.wait()
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._cv.wait(left)
                    continue
                serial = self._serial
                self.fired = True
                os.kill(os.getpid(), signal.SIGINT)
                if self._cleared(serial, self.REPEAT_S):
                    continue
                os.kill(os.getpid(), signal.SIGINT)
                if self._cleared(serial, self.STUCK_S - self.REPEAT_S):
                    continue
                if self.on_stuck is not None:
                    self.on_stuck("GDB could not stop the guest after the deadline")
                os._exit(2)

    def _cleared(self, serial, seconds):
        """Wait (lock held) until the armed wait ends or seconds pass."""
        end = time.monotonic() + seconds
        while self._deadline is not None and self._serial == serial:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._cv.wait(left)
        return True


WATCHDOG = Watchdog()

# What the last stop was, for error messages.
_last_stop = {"what": "none"}


def _on_stop(event):
    if isinstance(event, gdb.SignalEvent):
        _last_stop["what"] = "signal %s" % event.stop_signal
    elif isinstance(event, gdb.BreakpointEvent):
        _last_stop["what"] = "breakpoint"
    else:
        _last_stop["what"] = type(event).__name__


def _on_exit(event):
    code = getattr(event, "exit_code", None)
    _last_stop["what"] = "guest exited" + ("" if code is None else " with status %d" % code)


gdb.events.stop.connect(_on_stop)
gdb.events.exited.connect(_on_exit)


def resume(watchers, deadline, what, max_stray=20, quiet=False):
    """Continue the guest until one of watchers has a hit, or deadline
    (time.monotonic()) passes. Stray stops (a signal, a hart reporting a
    breakpoint already deleted) are resumed, up to max_stray. Returns the
    watcher that hit; the guest is stopped and that hart selected. At the
    deadline: raise Timeout, or with quiet, return None (guest stopped)."""
    stray = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            if quiet:
                return None
            raise Timeout("%s: not reached before the deadline" % what)
        _last_stop["what"] = "none"
        try:
            with WATCHDOG.waiting(left):
                gdb.execute("continue", to_string=True)
        except KeyboardInterrupt:
            if not target.connected():
                # the watchdog's interrupt met a guest that had just ended
                raise GuestGone("the guest ended (%s) before %s" % (_last_stop["what"], what))
            if quiet:
                return None
            raise Timeout("%s: not reached before the deadline" % what)
        except gdb.error as e:
            if WATCHDOG.fired and target.connected():
                if quiet:
                    return None
                raise Timeout("%s: not reached before the deadline (%s)"
                              % (what, " ".join(str(e).split())))
            raise GuestGone("the guest went away while waiting for %s: %s"
                            % (what, " ".join(str(e).split())))
        for w in watchers:
            if w.hit is not None:
                w.hit.thread.switch()
                return w
        if not target.connected():
            raise GuestGone("the guest ended (%s) before %s" % (_last_stop["what"], what))
        if WATCHDOG.fired:
            if quiet:
                return None
            raise Timeout("%s: not reached before the deadline" % what)
        stray += 1
        if stray > max_stray:
            raise gdb.GdbError("%d unexpected stops while waiting for %s (last: %s)"
                               % (stray, what, _last_stop["what"]))



KERNEL_VIEW_S = 5.0        # how long kernel_view() lets the guest run at most
KERNEL_VIEW_SLICE_S = 0.02 # ... a slice at a time


def kernel_view(seconds=KERNEL_VIEW_S):
    """Leave a hart in supervisor mode selected, so that kernel memory can
    be read and written (GDB goes through the selected hart's MMU): one
    that is, or one after letting the guest run a few ms at a time (each
    hart enters the kernel on its timer tick). Returns its thread."""
    end = time.monotonic() + seconds
    while True:
        t = kernel.select_supervisor()
        if t is not None:
            return t
        if time.monotonic() >= end:
            raise gdb.GdbError("every hart stays in user mode: GDB cannot reach kernel memory")
        resume([], time.monotonic() + KERNEL_VIEW_SLICE_S, "a hart in the kernel", quiet=True)

# --- arming ---

COUNTER_SYMBOLS = ("fi_site_armed", "fi_site_target", "fi_site_hits", "fi_trap")
# The sites that are no function: a TRACE=1 kernel counts accesses to the
# bytes at fi_access_addr (kernel/ev6_trace.c), set by inject.py; and a
# hart running the target's process in user mode (userspace.py), after
# the exec of its program (fi_workload_start).
ACCESS = "access"
USER = "user"
USER_SYMBOLS = ("fi_workload_name", "fi_workload_start", "proc")


def shadow_marked(addr):
    """Is the TRACE=1 kernel's shadow byte of addr marked (an access to it
    calls a hook)? The kernel clears every mark once the counted access
    has fired (kernel/ev6_trace.c)."""
    with kernel.physical_memory():
        return kernel.read_bytes((addr >> 3) + constants.value("TRACE_SHADOW_OFFSET"), 1) != b"\0"


def has_counter(site):
    """Does the kernel count hits of site? It needs a FAULTS=1 build with
    FI_SITE_<site>, and, when site is a function, that function must call
    fi_site_hit (the enum lists sites not placed in the code yet)."""
    if not all(kernel.has_symbol(s) for s in COUNTER_SYMBOLS + ("fi_site_hit",)):
        return False
    if site == ACCESS:
        return kernel.has_symbol("fi_access_addr")
    try:
        if ("FI_SITE_" + site) not in kernel.enumerators("enum fi_site"):
            return False
    except gdb.GdbError:
        return False
    sym = kernel.find_symbol(site)
    return sym is None or not sym.is_function or kernel.calls(site, "fi_site_hit")


def choose_method(site, hit, prefer="auto"):
    """"counter" or "function" for reaching hit number hit of site, or
    "user" for site user."""
    if site == USER:
        missing = [s for s in USER_SYMBOLS if not kernel.has_symbol(s)]
        if missing:
            raise gdb.GdbError("site user waits for its program's exec: it needs a FAULTS=1 "
                               "kernel (no %s)" % ", ".join(missing))
        if hit != 1:
            raise gdb.GdbError("site user stops once: hit %d is not 1" % hit)
        return USER
    counter = has_counter(site)
    if prefer == "counter" or (prefer == "auto" and counter):
        if not counter:
            raise gdb.GdbError("site %s has no kernel hit counter (needs a FAULTS=1 build "
                               "whose %s calls FI_SITE(%s, ...))" % (site, site, site))
        return "counter"
    sym = kernel.find_symbol(site)
    if sym is None or not sym.is_function:
        raise gdb.GdbError("cannot resolve site %s: no such kernel function%s"
                           % (site, "" if prefer != "auto" else
                              " and no FI_SITE_%s counter" % site))
    if hit != 1:
        raise gdb.GdbError("hit %d of %s needs the kernel's site counters "
                           "(FAULTS=1 build); GDB breaks on the first call only" % (hit, site))
    return "function"


def arm(site, hit, method):
    """Arm the site; returns the one-shot breakpoint to wait for."""
    if method == "counter":
        value = kernel.enumerators("enum fi_site")["FI_SITE_" + site]
        kernel.set_variable("fi_site_armed", 0)
        kernel.set_variable("fi_site_hits", 0)
        kernel.set_variable("fi_site_target", hit)
        kernel.set_variable("fi_site_armed", value)
        return OneShot("*0x%x" % kernel.function_address("fi_trap"), "fi_trap for %s" % site)
    return OneShot("*0x%x" % kernel.function_address(site), site)


def disarm():
    """Stop the kernel counting (if it does); safe to call any time the
    guest is stopped."""
    if kernel.has_symbol("fi_site_armed") and target.connected():
        kernel.set_variable("fi_site_armed", 0)


def wait_for_workload(program, deadline, ready=None):
    """Let the guest run until it execs program (fi_workload_start). Once
    the kernel will stop there, create the file ready (if given): the
    orchestrator types the workload only then (the guest boots while GDB
    starts). Returns the Hit."""
    for s in ("fi_workload_name", "fi_workload_start"):
        if not kernel.has_symbol(s):
            raise gdb.GdbError("waiting for workload %s needs %s (a FAULTS=1 kernel)"
                               % (program, s))
    slot = kernel.value("fi_workload_name")
    room = kernel.array_length(slot.type) - 1
    name = program.encode()
    if not name or len(name) > room:
        raise gdb.GdbError("workload program name %r: 1..%d characters" % (program, room))
    addr = int(slot.address)
    # By physical address, as target.check_identity: GDB attaches to a
    # running guest, whose selected hart may be in user mode or on a user
    # page table (the trampoline), which maps no kernel data.
    with kernel.physical_memory():
        kernel.write_bytes(addr, name + b"\0")
    bp = OneShot("*0x%x" % kernel.function_address("fi_workload_start"), "fi_workload_start")
    if ready:
        open(ready, "w").close()
    try:
        resume([bp], deadline, "start of workload %s" % program)
    finally:
        delete(bp)
    kernel.write_bytes(addr, b"\0")
    return bp.hit
