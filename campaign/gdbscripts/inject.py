# inject.py - one fault-injection run, from attach to detach.
#
#   attach -> identity check -> mode -> [wait for the workload] -> arm the
#   site -> continue until its hit (site user: until a hart runs the
#   target's process in user mode, userspace.py) -> disarm, delete the breakpoint ->
#   resolve the object -> prove it is of the scenario's type -> corrupt it
#   -> prove it landed -> deliver the error (at once, at the first
#   access to the damaged bytes, or with no consumer as an error record
#   and an interrupt) -> run the guest until the hart's trap (the record)
#   shows in the kernel's record -> result line -> delete every
#   breakpoint -> detach
#
# A job with more than one error (Table 3) goes on from the site's stop in
# multi.py, with the helpers here (locate, damage).
#
# run() returns the result lines (one per delivered error); any failure
# raises, and the caller (ev6inject.py) reports it with what Run.fields
# and Run.lines gathered so far and calls cleanup(). Times are measured
# with time.monotonic() and reported in ms.

import contextlib
import time

import gdb

import check
import consumers
import corrupt
import deliver
import drvfault
import harts
import kernel
import multi
import objects
import registry
import sites
import target
import userspace
import walks
from job import CACHE_LINE, LinkBroken


def _ms(seconds):
    return int(round(seconds * 1000))


def site_frame(frame, method):
    """The site function's frame: at fi_trap, the first caller outside the
    fi_* helpers (fi_trap <- fi_site_hit <- bget) and, for site access in a
    TRACE=1 kernel, the access hooks (fi_note <- fi_hook <- __asan_load8_noabort)."""
    if method != "counter":
        return frame
    f = frame
    while f is not None and (f.name() or "").startswith(("fi_", "__asan_")):
        f = f.older()
    if f is None:
        raise gdb.GdbError("cannot find the site function above fi_trap")
    return f


def locate(name, target, method, frame, times, user=None):
    """Resolve object name at the stop (frame: the site function's), target
    a (base, selector) pair (job.py), user the (process, va) of a stop in
    user mode (method user; memory by physical address): returns
    (objects.Target, result fields)."""
    t = time.monotonic()
    try:
        if method == sites.USER:
            tgt = userspace.resolve(name, user[0], user[1], target[1])
        else:
            tgt = objects.resolve(name, target[0], target[1], method, frame)
    except registry.Mismatch as e:
        raise LinkBroken("resolved", str(e))
    times["resolve_ms"] = _ms(time.monotonic() - t)
    return tgt, target_fields(tgt)


def target_fields(tgt):
    """Result fields that say which object a Target is."""
    f = {"type": kernel.type_name(tgt.type) if tgt.type is not None else tgt.name,
         "base": "0x%x" % tgt.base, "object_size": tgt.size,
         "where": tgt.where, "index": tgt.index, "found": tgt.how}
    if tgt.field:
        f["field"] = tgt.field
    return f


def damage(tgt, corruption, times):
    """Prove the Target lies in an object of the scenario's type, corrupt
    its bytes and prove they changed: (corrupt.Damage, result fields).
    Raises LinkBroken, with nothing left damaged, if either fails."""
    t = time.monotonic()
    try:
        f = registry.check(tgt, tgt.addr, tgt.phys)
    except registry.Mismatch as e:
        raise LinkBroken("resolved", str(e))
    dmg = corrupt.apply(tgt.addr, tgt.span, corruption)
    f.update({"corrupted": True, "address": "0x%x" % dmg.addr, "size": dmg.size,
              "before": dmg.before.hex(), "after": dmg.after.hex()})
    if tgt.phys is not None:
        f["physical"] = "0x%x" % (tgt.phys + dmg.addr - tgt.addr)
    if corruption.pattern == "flip":
        f["bits"] = dmg.flipped()
    times["corrupt_ms"] = _ms(time.monotonic() - t)
    t = time.monotonic()
    f.update(check.verify(dmg, tgt))
    times["check_ms"] = _ms(time.monotonic() - t)
    if not f["landed"]:
        kernel.write_bytes(dmg.addr, dmg.before)
        raise LinkBroken("landed", "the damage did not land at 0x%x: %s"
                         % (dmg.addr, f.get("check")))
    return dmg, f


class Run:
    """State of one run, for the result lines and for cleaning up."""

    def __init__(self, job):
        self.job = job
        self.armed = False
        self.physical = False     # the damage is at physical addresses (site user)
        self.damage = None        # corrupt.Damage until the error is delivered
        self.walk_armed = False   # the damaged entry is the kernel's to raise (walks.py)
        self.pending = []         # more of them (multi.py)
        self.parked = []          # harts.Parked not put back yet (multi.py)
        self.lines = []           # result lines of the errors delivered
        self.fields = {
            "ok": False, "injected": False, "job": job.id, "object": job.object,
            "site": job.site, "hit": job.hit, "target": job.target_text,
            "delivery": job.delivery, "corruption": str(job.corruption),
        }
        self.times = {}
        self.fields["times"] = self.times

    def run(self):
        """Carry the job out; returns the result lines."""
        if self.job.driver:
            return drvfault.run(self)
        if self.job.multi:
            return multi.run(self)
        t0 = time.monotonic()
        method = self._attach()
        deadline = time.monotonic() + self.job.timeout
        if method == sites.USER:
            hit = self._reach_user(deadline)
        else:
            hit = self._reach(method, deadline)
        t_site = time.monotonic()
        tgt, damage = self._damage(method)
        if self.job.delivery == "scrub":
            d = self._scrub(hit.thread, damage)
            self.times["inject_ms"] = _ms(time.monotonic() - t_site)
            t = time.monotonic()
            deliver.confirm_scrub(self.fields, d)
            self.times["confirm_ms"] = _ms(time.monotonic() - t)
            self.times["total_ms"] = _ms(time.monotonic() - t0)
            self.lines = [self.fields]
            return self.lines
        thread, sepc, waited = self._wait_access(hit, tgt, damage, deadline)
        d = self._deliver(thread, damage, sepc)
        self.times["inject_ms"] = _ms(time.monotonic() - t_site - waited)
        t = time.monotonic()
        deliver.confirm([(self.fields, d)])
        self.times["confirm_ms"] = _ms(time.monotonic() - t)
        self.times["total_ms"] = _ms(time.monotonic() - t0)
        self.lines = [self.fields]
        return self.lines

    def _attach(self):
        """Load, attach, check identity, set the mode, choose the method."""
        job, f = self.job, self.fields
        t = time.monotonic()
        f["kernel"] = target.load_kernel(job.kernel)
        self.times["attach_ms"] = _ms(target.connect(job.socket))
        f["guest"] = target.check_identity(job.cpus)
        f["mode"] = target.set_mode(job.mode)
        f["method"] = method = sites.choose_method(job.site, job.hit, job.arm)
        objects.object_type(job.object)
        self.times["setup_ms"] = _ms(time.monotonic() - t)
        return method

    def _reach(self, method, deadline, hit=None):
        """Run the guest to the site's hit (after the workload starts, if
        the job names one); leave it stopped there, disarmed. With hit,
        to that hit counted from now (the workload is running already)."""
        job = self.job
        if job.workload and hit is None:
            t = time.monotonic()
            sites.wait_for_workload(job.workload, deadline, job.ready)
            self.times["workload_ms"] = _ms(time.monotonic() - t)
            self.fields["workload"] = job.workload
        hit = job.hit if hit is None else hit
        if job.site == sites.ACCESS:
            self._aim_access(method)
        bp = sites.arm(job.site, hit, method)
        self.armed = method == "counter"
        t = time.monotonic()
        try:
            sites.resume([bp], deadline, "hit %d of site %s" % (hit, job.site))
        finally:
            sites.delete(bp)
        self.times["site_ms"] = _ms(time.monotonic() - t)
        sites.disarm()
        self.armed = False
        return bp.hit

    def _reach_user(self, deadline):
        """Site user: once the target's program is exec'd (one of the
        workload's, config.c), stop a hart in user mode running its
        process (userspace.stop)."""
        job = self.job
        t = time.monotonic()
        sites.wait_for_workload(job.user[0], deadline, job.ready)
        self.times["workload_ms"] = _ms(time.monotonic() - t)
        self.fields["workload"] = job.user[0]
        t = time.monotonic()
        hit, found = userspace.stop(job.user[0], deadline)
        self.times["site_ms"] = _ms(time.monotonic() - t)
        self.fields.update(found)
        self.physical = True
        return hit

    def _aim_access(self, method):
        """Site access (TRACE=1 kernels): the kernel counts accesses to the
        word the target names; tell it which (a global: target, resolved
        now as it will be at the stop; a buffer named by its block as that
        block and an offset: the kernel counts the bytes there of whichever
        buffer holds the block as each access runs)."""
        addr, span, block = objects.aim(self.job.object, self.job.target[0],
                                        self.job.target[1], method, gdb.selected_frame())
        if block is not None or kernel.has_symbol("fi_access_by_block"):
            kernel.set_variable("fi_access_by_block", int(block is not None))
        if block is not None:
            kernel.set_variable("fi_access_block", block)
        kernel.set_variable("fi_access_addr", addr)
        kernel.set_variable("fi_access_len", min(corrupt.WORD, span))

    def _damage(self, method):
        """Resolve the object at the stop, corrupt it, check it."""
        job, f = self.job, self.fields
        if method == sites.USER:
            f["function"] = "%s (user)" % job.user[0]
            f["site_pc"] = "0x%x" % (int(gdb.parse_and_eval("$pc")) & kernel.MASK64)
            with kernel.physical_memory():
                return self._damage_at(method, None)
        frame = site_frame(gdb.selected_frame(), method)
        f["function"] = frame.name()
        f["site_pc"] = "0x%x" % frame.pc()
        return self._damage_at(method, frame)

    def _damage_at(self, method, frame):
        job, f = self.job, self.fields
        tgt, found = locate(job.object, job.target, method, frame, self.times, job.user)
        f.update(found)
        if method != sites.USER:
            block = objects.held_block(tgt)
            if block is not None:
                f["block"] = block
        self.damage, done = damage(tgt, job.corruption, self.times)
        f.update(done)
        if walks.applies(job):
            walks.arm(self.damage, f)
            self.walk_armed = True
        return tgt, self.damage

    def _wait_access(self, hit, tgt, damage, deadline):
        """Where to deliver: for a breakpoint delivery, the site's hart
        at the site. For delivery on access, watch the damaged bytes and run
        the guest until something touches them. Returns (thread, faulting pc
        or None for the thread's pc, seconds the guest ran)."""
        if self.job.delivery != "access":
            return hit.thread, None, 0.0
        waddr, wlen = self._watch_range(damage, tgt)
        self.fields["watch"] = {"address": "0x%x" % waddr, "size": wlen}
        t = time.monotonic()
        thread, sepc, how, stopped = consumers.first(
            waddr, wlen, damage, tgt.name == "text", deadline,
            "first access to 0x%x..0x%x" % (waddr, waddr + wlen - 1),
            walked=self.walk_armed)
        waited = time.monotonic() - t
        self.times["access_ms"] = _ms(waited)
        self.fields["reached_by"] = how
        if self.job.site == sites.ACCESS:
            # the moment has passed: the rest of the run calls no hook
            self.fields["shadow_marked"] = sites.shadow_marked(waddr)
        self.fields["function"] = kernel.function_at(sepc)[0]
        self.fields["stopped_pc"] = "0x%x" % stopped
        return thread, sepc, waited

    def _deliver(self, thread, damage, sepc):
        t = time.monotonic()
        if self.fields.get("reached_by") == "walk":
            # the kernel raises it, for the entry it was told of
            d = walks.walk_delivery(thread, damage.addr & ~(walks.PTE_BYTES - 1), sepc)
            self.fields["stack"] = harts.stack_functions(thread, limit=consumers.STACK_DEPTH)
        else:
            if self.walk_armed:
                walks.raised_by_gdb()
            d = deliver.deliver(thread, damage.addr, sepc)
        self.damage = None
        self.walk_armed = False
        self.fields.update({"injected": True, "ok": True, "hart": d["hart"],
                            "thread": thread.num, "pc": "0x%x" % d["sepc"],
                            "stval": "0x%x" % d["stval"], "stvec": "0x%x" % d["stvec"],
                            "from_priv": d["from_priv"]})
        self.times["deliver_ms"] = _ms(time.monotonic() - t)
        return d

    def _scrub(self, thread, damage):
        """Delivery with no consumer: the error record and its interrupt
        (deliver.scrub), on the site's hart."""
        t = time.monotonic()
        d = deliver.scrub(thread, damage.addr, damage.size)
        self.damage = None
        self.fields.update({"injected": True, "ok": True, "hart": d["hart"],
                            "thread": thread.num, "stval": "0x%x" % d["stval"],
                            "record": d["record"], "pc": self.fields.get("site_pc", "?")})
        self.times["deliver_ms"] = _ms(time.monotonic() - t)
        return d

    def _watch_range(self, damage, tgt):
        w = self.job.watch
        if w == "object":
            return tgt.base, tgt.size
        if w == "line":
            lo = damage.addr & ~(CACHE_LINE - 1)
            hi = (damage.addr + damage.size + CACHE_LINE - 1) & ~(CACHE_LINE - 1)
            return lo, hi - lo
        return damage.addr, damage.size

    def failure_fields(self):
        """The start of the line that reports a failure: everything known
        about the error, or, once some errors were delivered (their lines
        say the rest), how many of how many."""
        if not self.lines:
            return dict(self.fields)
        return {"job": self.job.id, "delivered": len(self.lines), "of": self.job.planned()}

    def cleanup(self):
        """After a failure, or at the end: put parked harts back, put back
        bytes damaged but never reported (no error reached the kernel, so
        nothing may stay broken), stop the kernel counting, remove every
        breakpoint, detach. Quiet; returns an error text or None."""
        try:
            if not target.connected():
                return None
            kernel.select_supervisor()
            while self.parked:
                self.parked.pop().unpark()
            with kernel.physical_memory() if self.physical else contextlib.nullcontext():
                for dmg in [self.damage] + self.pending:
                    if dmg is not None:
                        kernel.write_bytes(dmg.addr, dmg.before)
                        self.fields["restored"] = True
            if self.walk_armed:
                walks.disarm()
                self.walk_armed = False
            self.damage = None
            self.pending = []
            if self.armed:
                sites.disarm()
                self.armed = False
            if self.job.delivery == "access":
                for line in target.report_each_hart():
                    gdb.write("ev6inject: a watchpoint hit QEMU had not reported, cleared: %s\n"
                              % line)
            target.disconnect()
        except (gdb.error, gdb.GdbError, gdb.MemoryError, RuntimeError, KeyboardInterrupt) as e:
            return " ".join(str(e).split()) or type(e).__name__
        return None
