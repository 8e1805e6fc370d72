# multi.py - more than one error in one run (the paper's Table 3).
#
# From the first site's stop (inject.py got there; the first hart's object
# is resolved but not damaged yet), in this order:
#
#   harts_at_once N   N-1 more harts at the same site. A hart inside the
#                     site function right now (spinning on a lock the first
#                     one holds, say), or spinning for a lock of the same
#                     kernel table (bcache.lock, from brelse), is taken as
#                     it stands. Otherwise the harts already found are
#                     parked (harts.py), the site is armed again, and the
#                     guest runs until another hart hits it, looking at the
#                     harts again after each slice.
#   second_site       likewise one more hart at second_site, where its own
#                     object (second_object) is resolved.
#                     If no hart comes within ATTEMPT_S (they are idle, or
#                     asleep on a lock the first hart's process holds), the
#                     attempt is dropped: parked harts are put back, damage
#                     is undone, and a later hit of the site is tried,
#                     until gather_s has passed. A hit is dropped at once
#                     when no other process is running or runnable, or (for
#                     second_site) when the first hart holds a spinlock.
#   deliver           the objects are damaged, parked harts are put back,
#                     and every hart found takes its error at once: one
#                     `continue` releases them together, and the kernel's
#                     shepherd must serialise them.
#   during_recovery   then a one-shot breakpoint at recovery_site (a function
#                     of the recovery path) stops the first hart to get
#                     there: the recoverer, holding the shepherd. The error
#                     in the during_recovery object goes to
#                       recoverer  that hart, there;
#                       follower   a hart with an error queued in the
#                                  shepherd behind it (the recoverer is
#                                  parked until the other hart spins in
#                                  shepherd_enter);
#                       other      another hart that reaches during_site
#                                  while the recoverer is parked.
#                     The object is found as objects.resolve_during() says
#                     (the recoverer's kernel stack, the registry range a
#                     lookup reads first, the shepherd's ticket, ...), or at
#                     during_site like any site's.
#
# With delivery = access each error is raised by its consumer instead
# (consumers.py, which uses the helpers here).
#
# Each delivered error becomes one result line (seq, of, role, hart,
# reached_by, ...). When the harts cannot be brought together in time,
# sites.Timeout is raised: the errors already delivered keep their lines
# and the result says "reached": false.

import time

import gdb

import consumers
import corrupt
import deliver
import harts
import inject
import kernel
import objects
import sites

SLICE_S = 1.0          # the guest runs this long between looks at the harts
ATTEMPT_S = 4.0        # how long one hit of the first site waits for company
RETRY_HITS = 5         # then the site is tried again this many hits later
QUEUE_SLICE_S = 0.3    # ... for a hart to queue in the shepherd
QUEUE_FUNCTION = "shepherd_enter"
BUSY_STATES = ("RUNNING", "RUNNABLE")   # enum procstate: a process on, or ready for, a hart
# Fields every line repeats from the run (inject.Run.fields).
COMMON = ("job", "delivery", "kernel", "guest", "mode", "method", "workload")
# The target of a further error: the object the hart touches, whole.
WHOLE = (None, "object")
# Fields a hart sharing the first error's damage reports from it.
SHARED = ("type", "base", "object_size", "where", "index", "found", "field", "address",
          "physical", "size", "before", "after", "bits", "landed", "check", "location",
          "resolved", "expect")
# Functions between a hart's pc and the site function that mean it is
# handling a trap, not running the site's code.
TRAP_PATH = ("kernelvec", "kerneltrap", "devintr", "ev6_kernel_error")


def _ms(seconds):
    return int(round(seconds * 1000))


class NotTogether(Exception):
    """No other hart came to the site during one attempt."""


class Error:
    """One error to deliver: the hart, its result fields, the object
    (Target) and its damage, or the Error whose damage it shares."""

    def __init__(self, role, thread, fields, tgt=None, share=None):
        self.role = role
        self.thread = thread
        self.fields = fields
        self.tgt = tgt
        self.share = share
        self.dmg = None
        self.sepc = None      # the faulting pc, if not the hart's (consumers.py)

    def stval(self):
        e = self.share or self
        return e.tgt.phys if e.tgt.phys is not None else e.dmg.addr


def run(r):
    """Carry out r.job (an inject.Run whose job has more than one error);
    returns the result lines."""
    job = r.job
    if job.delivery == "access":
        return consumers.run(r)
    t0 = time.monotonic()
    method = r._attach()
    deadline = time.monotonic() + job.timeout
    end = None
    hit, tries, why = None, 0, ""
    while True:
        h = r._reach(method, deadline, hit)
        t_site = time.monotonic()
        end = end or min(deadline, t_site + job.gather_s)
        first = _first(r, h, method)
        held = _locks_held(h.thread) if job.second_site is not None else []
        idle = not held and _company(job) and not _others_busy(h.thread)
        try:
            if held:
                raise NotTogether("hart %d holds %s at %s: every other hart would wait "
                                  "for it" % (h.hart, ", ".join(held), job.site))
            if idle:
                raise NotTogether("no other process could run when hart %d reached %s"
                                  % (h.hart, job.site))
            batch = _gather(r, first, end)
            break
        except NotTogether as e:
            tries += 1
            why = str(e)
            _drop(r)
            if time.monotonic() >= end:
                raise sites.Timeout("no %s within %d s (%d hits of %s tried); last: %s"
                                    % (_wanted(job), int(job.gather_s), tries, job.site, why))
            hit = RETRY_HITS if method == "counter" and not (held or idle) else 1
    r.fields["tries"] = tries + 1
    for i, e in enumerate(batch):
        if e.tgt is not None:
            _damage(r, e, i)
    pending = _deliver(r, batch)
    r.times["inject_ms"] = _ms(time.monotonic() - t_site)
    if job.during is not None:
        pending = _during(r, batch, pending, deadline)
    t = time.monotonic()
    deliver.confirm(pending)
    r.times["confirm_ms"] = _ms(time.monotonic() - t)
    r.times["total_ms"] = _ms(time.monotonic() - t0)
    return r.lines


def _company(job):
    """Must other harts come to a site while the first waits at its own?"""
    return job.harts_at_once > 1 or job.second_site is not None


def _wanted(job):
    parts = []
    if job.harts_at_once > 1:
        parts.append("%d harts at %s together" % (job.harts_at_once, job.site))
    if job.second_site is not None:
        parts.append("hart at %s while one is at %s" % (job.second_site, job.site))
    return " and ".join(parts) or "company"


def _first(r, hit, method):
    """The first hart's Error, at its stop: its object resolved."""
    job, f = r.job, r.fields
    frame = inject.site_frame(gdb.selected_frame(), method)
    f["function"] = frame.name()
    f["site_pc"] = "0x%x" % frame.pc()
    f["reached_by"] = "site"
    tgt, found = inject.locate(job.object, job.target, method, frame, r.times)
    f.update(found)
    return Error("first", hit.thread, f, tgt)


def _gather(r, first, end):
    """The Errors of the harts that must be at their sites together with
    the first; raises NotTogether if one does not come in this attempt."""
    job = r.job
    batch = [first]
    attempt_end = min(end, time.monotonic() + ATTEMPT_S)
    for _ in range(job.harts_at_once - 1):
        batch.append(_another(r, "at_once", job.site, job.object, first.fields["function"],
                              batch, attempt_end, share=first))
    if job.second_site is not None:
        batch.append(_another(r, "second", job.second_site, job.second_object, None,
                              batch, attempt_end,
                              same=first if job.second_object == job.object else None))
    return batch


def _drop(r):
    """Give up an attempt: put parked harts back, undo damage."""
    while r.parked:
        r.parked.pop().unpark()
    for dmg in r.pending:
        kernel.write_bytes(dmg.addr, dmg.before)
    r.pending = []


def _common(r):
    return {k: r.fields[k] for k in COMMON if k in r.fields}


def _seeded(corruption, step):
    """The run's corruption with its seed moved on: each error its own bits."""
    if step == 0:
        return corruption
    return corrupt.Corruption(corruption.pattern, corruption.length, corruption.bits,
                              corruption.seed + step)


def _damage(r, e, step):
    """Corrupt e's object (the step-th error's seed); fill its fields."""
    corruption = _seeded(r.job.corruption, step)
    times = e.fields.setdefault("times", {})
    e.dmg, done = inject.damage(e.tgt, corruption, times)
    if e.dmg is not None:
        if step == 0:
            r.damage = e.dmg
        else:
            r.pending.append(e.dmg)
    e.fields["corruption"] = str(corruption)
    e.fields.update(done)


def _park_all(r, errors):
    parked = {p.thread.num for p in r.parked}
    for e in errors:
        if e.thread.num not in parked:
            r.parked.append(harts.Parked(e.thread))


def site_function(site):
    """The kernel function of a site name: itself, or the function of a
    FUNCTION_OBJECT site (filewrite_devsw -> filewrite)."""
    parts = site.split("_")
    while parts:
        sym = kernel.find_symbol("_".join(parts))
        if sym is not None and sym.is_function:
            return "_".join(parts)
        parts.pop()
    return site


def _inside(fn, exclude, table=None):
    """A hart not in exclude (thread numbers), in supervisor mode, with fn
    on its stack and no trap handler above it, or (with table, the name of
    a kernel global) spinning for a lock inside table: (thread, the
    functions from its pc to fn or to the bottom, how), or None."""
    for _, t in kernel.harts():
        if t.num in exclude:
            continue
        if harts.where(t)[2] != harts.PRIV_SUPERVISOR:
            continue
        names = harts.stack_functions(t)
        if fn in names:
            above = names[:names.index(fn) + 1]
            if not any(n in TRAP_PATH for n in above):
                return t, above, "inside %s" % " <- ".join(above)
        lk = harts.lock_wanted(t) if table else None
        if lk is not None and not any(n in TRAP_PATH for n in names):
            chain = kernel.describe(lk)
            if chain and chain[0][0] == table:
                lock = [p for p, typ, off in chain if off == 0 and
                        typ.strip_typedefs().tag == "spinlock"] or [chain[-1][0]]
                return t, names, "spinning for %s in %s" % (lock[-1], " <- ".join(names[:6]))
    return None


def _describe(exclude):
    """Where the harts not in exclude are, for a message."""
    out = []
    for h, t in kernel.harts():
        if t.num in exclude:
            continue
        pc, fn, priv = harts.where(t)
        names = harts.stack_functions(t, limit=6) if priv == harts.PRIV_SUPERVISOR else []
        out.append("hart %d %s" % (h, " <- ".join(names) if names else
                                   "in %s mode at 0x%x" % ("user" if priv == 0 else
                                                           "supervisor", pc)))
    return "the other harts: " + ("; ".join(out) if out else "none")


def _another(r, role, site, obj, fn, taken, end, share=None, same=None):
    """Find a hart, other than those of the errors taken, inside the site
    function fn now, or (with those parked) hitting site before end; its
    Error is for the same damaged bytes as share, or for object obj as the
    hart finds it there. With same (an Error), only a hart that touches
    same's very object will do, and it shares same's damage. Raises
    NotTogether at end."""
    job = r.job
    busy = {e.thread.num for e in taken}
    t0 = time.monotonic()
    skipped = []
    table = _table_of(share) if share is not None else None
    for thread, frame, method, how in _candidates(r, site, fn or site_function(site),
                                                   taken, busy, end, table):
        fields = dict(_common(r), object=obj, site=site, hit=1, target="object",
                      function=how[1], site_function=frame.name(),
                      site_pc="0x%x" % frame.pc(), reached_by=how[0],
                      times={"gather_ms": _ms(time.monotonic() - t0)})
        if share is not None:
            fields.update(corruption="shared with error %d" % 1, shared=True)
            return Error(role, thread, fields, share=share)
        tgt, found = inject.locate(obj, WHOLE, method, frame, fields["times"])
        if same is not None and tgt.base != same.tgt.base:
            skipped.append("hart %d's %s" % (kernel.hart_of(thread), tgt.where))
            continue
        fields.update(found)
        if same is not None:
            fields.update(corruption="shared with error %d" % 1, shared=True)
            return Error(role, thread, fields, share=same)
        return Error(role, thread, fields, tgt)
    raise NotTogether("%s: no other hart reached %s (or was inside %s)%s; %s"
                      % (role, site, fn or site_function(site),
                         "" if not skipped else " on the first error's %s (only %s)"
                         % (obj, ", ".join(skipped[-3:])), _describe(busy)))


def _candidates(r, site, fn, taken, busy, end, table=None):
    """Harts that are, or come, where site is, until end: (thread, frame
    of the site function, arming method, (how, innermost function)). With
    table, a hart spinning for a lock of that kernel global will do too."""
    seen = set()
    method = sites.choose_method(site, 1, r.job.arm)
    while True:
        found = _inside(fn, busy | seen, table)
        if found is not None:
            thread, names, how = found
            seen.add(thread.num)
            thread.switch()
            frame = gdb.newest_frame()
            while frame is not None and frame.name() != fn:
                frame = frame.older()
            if frame is None and table is not None:
                frame = gdb.newest_frame()      # spinning for the table's lock
            if frame is not None:
                yield thread, frame, "function", (how, names[0])
            continue
        if time.monotonic() >= end:
            return
        _park_all(r, taken)
        bp = sites.arm(site, 1, method)
        r.armed = method == "counter"
        try:
            w = sites.resume([bp], min(end, time.monotonic() + SLICE_S),
                             "another hart at %s" % site, quiet=True)
        finally:
            sites.delete(bp)
        if w is None:
            sites.kernel_view()     # the interrupt may have stopped it in user mode
        sites.disarm()
        r.armed = False
        if w is not None:
            frame = inject.site_frame(gdb.selected_frame(), method)
            yield w.hit.thread, frame, method, ("site", frame.name())


def _deliver(r, errors):
    """Put every parked hart back, then give each error's hart its trap;
    one result line per error. The caller continues the guest, and
    confirms the traps with the (fields, delivered) pairs returned."""
    pending = []
    while r.parked:
        r.parked.pop().unpark()
    for e in errors:
        t = time.monotonic()
        if e.share is not None:
            for k in SHARED:
                if k in e.share.fields:
                    e.fields[k] = e.share.fields[k]
        who = harts.process(e.thread)
        if who is not None:
            e.fields["pid"], e.fields["process"] = who
        d = deliver.deliver(e.thread, e.stval(), e.sepc)
        if e.dmg is not None and e.dmg is r.damage:
            r.damage = None
        r.pending = [p for p in r.pending if p is not e.dmg]
        e.fields.update({"ok": True, "injected": True, "seq": len(r.lines) + 1,
                         "of": r.job.planned(), "role": e.role, "hart": d["hart"],
                         "thread": e.thread.num, "pc": "0x%x" % d["sepc"],
                         "stval": "0x%x" % d["stval"], "stvec": "0x%x" % d["stvec"],
                         "from_priv": d["from_priv"]})
        e.fields.setdefault("times", {})["deliver_ms"] = _ms(time.monotonic() - t)
        r.lines.append(e.fields)
        pending.append((e.fields, d))
    return pending


def _during(r, batch, pending, deadline):
    """The error inside the recovery path (see the header). pending: the
    first errors' traps to confirm; those the stop at recovery_site shows
    are confirmed there, and the rest are returned with the new error's."""
    job = r.job
    t0 = time.monotonic()
    bp = sites.OneShot("*0x%x" % kernel.function_address(job.recovery_site), job.recovery_site)
    try:
        w = sites.resume([bp], deadline, "%s after the first error" % job.recovery_site)
    except sites.GuestGone as e:
        raise sites.NotReached("the kernel never reached %s after the first error (%s)"
                               % (job.recovery_site, e))
    finally:
        sites.delete(bp)
    rec = w.hit.thread
    pending = deliver.confirm(pending, run=False)
    rec.switch()
    if rec.num not in {e.thread.num for e in batch}:
        raise gdb.GdbError("hart %d reached %s but was given no error"
                           % (kernel.hart_of(rec), job.recovery_site))
    extra = {"recoverer": kernel.hart_of(rec), "recovery_site": job.recovery_site,
             "during_hart": job.during_hart}
    if job.during_hart == "other":
        r.parked.append(harts.Parked(rec))
        try:
            e = _another(r, "during", job.during_site, job.during, None, batch,
                         min(deadline, time.monotonic() + job.gather_s))
        except NotTogether as why:
            raise sites.Timeout("with hart %d held in %s: %s"
                                % (kernel.hart_of(rec), job.recovery_site, why))
    else:
        thread = rec
        if job.during_hart == "follower":
            thread = _queued(r, rec, batch, deadline)
            extra["queue"] = _queue_state()
        pc, fn, _ = harts.where(thread)
        e = Error("during", thread, dict(_common(r), object=job.during,
                                         site=job.recovery_site, hit=1, target="object",
                                         function=fn, site_pc="0x%x" % pc,
                                         reached_by=job.during_hart, times={}),
                  objects.resolve_during(job.during, thread))
        e.fields.update(inject.target_fields(e.tgt))
    e.fields.update(extra)
    e.fields["times"]["recovery_ms"] = _ms(time.monotonic() - t0)
    _damage(r, e, len(batch))
    if job.delivery == "access":
        consumers.take(r, e, min(deadline, time.monotonic() + consumers.CONSUME_S),
                       len(batch) + 1)
    return pending + _deliver(r, [e])


def _queued(r, rec, batch, deadline):
    """With the recoverer parked, run the guest until another hart with an
    error spins in the shepherd's queue; returns that hart's thread."""
    others = [e.thread for e in batch if e.thread.num != rec.num]
    r.parked.append(harts.Parked(rec))
    end = min(deadline, time.monotonic() + r.job.gather_s)
    while True:
        seen = []
        for t in others:
            pc, fn, _ = harts.where(t)
            if fn is not None and fn.split(".")[0] == QUEUE_FUNCTION:
                return t
            seen.append("hart %d in %s" % (kernel.hart_of(t), fn or "0x%x" % pc))
        if time.monotonic() >= end:
            raise sites.Timeout("no hart queued in %s behind hart %d within %d s (%s)"
                                % (QUEUE_FUNCTION, kernel.hart_of(rec), int(r.job.gather_s),
                                   ", ".join(seen) or "no other hart has an error"))
        sites.resume([], min(end, time.monotonic() + QUEUE_SLICE_S), "the shepherd's queue",
                     quiet=True)
        sites.kernel_view()


def _queue_state():
    """The shepherd's ticket counters, for the result line (if the kernel
    has them under the name objects.py uses)."""
    if not kernel.has_symbol(objects.SHEPHERD):
        return None
    v = kernel.value(objects.SHEPHERD)
    out = {}
    for f in v.type.strip_typedefs().fields():
        if f.type.strip_typedefs().code == gdb.TYPE_CODE_INT:
            out[f.name] = int(v[f.name])
    return out


def _locks_held(thread):
    """Names of the spinlocks a stopped hart holds, from the kernel's
    ledger (kernel.hart_ledger), else "N push_off" from noff; [] if none.
    A hart held at a site with a spinlock stalls every hart that wants it
    (the scheduler takes every process's lock in turn)."""
    if not kernel.has_symbol("cpus"):
        return []
    c = kernel.value("cpus")[kernel.hart_of(thread)]
    ledger = kernel.hart_ledger(c)
    if ledger is not None:
        listed, lost, _ = ledger
        out = []
        for addr in listed:
            try:
                lk = gdb.Value(addr).cast(kernel.lookup_type("struct spinlock").pointer())
                out.append(lk.dereference()["name"].string())
            except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
                out.append("0x%x" % addr)
        return out + ["%d more" % lost] * (lost > 0)
    names = [f.name for f in c.type.strip_typedefs().fields()]
    if "noff" in names and int(c["noff"]) > 0:
        return ["%d push_off" % int(c["noff"])]
    return []


def _others_busy(thread):
    """Is a process other than the one on this hart running or runnable?
    If not, no other hart can come to a site while this one waits."""
    mine = None
    try:
        mine = int(kernel.value("cpus")[kernel.hart_of(thread)]["proc"])
        for p in kernel.for_each_proc():
            if int(p.address) != mine and str(p["state"]) in BUSY_STATES:
                return True
    except (gdb.error, gdb.GdbError):
        return True                 # cannot tell: wait and see
    return False


def _table_of(e):
    """The kernel global (bcache, log, ...) holding error e's object, or None."""
    try:
        chain = kernel.describe(e.tgt.base)
    except (gdb.error, gdb.GdbError):
        return None
    return chain[0][0] if chain else None
