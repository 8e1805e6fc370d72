# consumers.py - more than one error in one run, each raised by its
# consumer (Table 3 with delivery = access).
#
# Breakpoint delivery (multi.py) raises every error at its site, before the
# site reads anything. Here each error is raised by the first access to
# its damaged bytes, as a poisoned line raises it on hardware, so the call
# history the kernel walks is the consumer's own. In this order:
#
#   first      the site's hit (inject.py), its object damaged, an access
#              watchpoint on the damaged bytes (inject.Run._watch_range);
#              the guest runs until a hart touches them. That hart, the
#              consumer, is parked where it stands (harts.py) with its
#              error not raised yet, as if it were slow to take it.
#   at_once    harts_at_once - 1 times: the watchpoint again on the same
#              bytes, and the next hart that touches them is parked too.
#   second     second_object of the site's type: likewise (the next hart to
#              touch the same damaged bytes); another type: a hart that
#              reaches second_site (multi._another, the consumers parked),
#              its object damaged there and watched in turn.
#   deliver    every consumer takes its error at once, sepc = the
#              instruction that touched the bytes (deliver.access_pc); one
#              continue, and the kernel's shepherd serialises them.
#   during     as multi.py (the recoverer stopped at recovery_site), then
#              the object damaged there is watched, and its consumer takes
#              the error (multi._during calls take()).
# Damaged kernel text is also consumed by a fetch, which no watchpoint sees:
# a hart whose pc lies in the damaged bytes is their consumer at once, and
# one-shot breakpoints where a damaged instruction may start catch the next
# (first(), which single-error access delivery uses too, inject.py).
#
# One hit of the site is one attempt: the first error's bytes may wait
# CONSUME_S for their consumer, the others' multi.ATTEMPT_S. An attempt cut
# short (a parked consumer may hold a lock, or be the shell that runs the
# workload) is put back as if nothing had touched the damaged bytes: they
# are restored, and each consumer goes back to its access, which runs again
# on the good bytes (_rewind); the site is tried again multi.RETRY_HITS
# hits later, until gather_s has passed. Then, or when a consumer's access
# cannot run again alike (a load into its own base register: the errors
# consumed are delivered), the run ends with "reached": false naming the
# error never consumed and where the other harts were, which the
# orchestrator classifies not-reached (never survival).

import re
import time

import gdb

import deliver
import harts
import kernel
import multi
import sites
import walks

CONSUME_S = 10.0     # how long an error's damaged bytes may wait for their consumer
STACK_DEPTH = 8      # the consumer's call chain in its line, this many functions


def _ms(seconds):
    return int(round(seconds * 1000))


def run(r):
    """Carry out r.job (more than one error, delivery access); returns the
    result lines of the errors delivered, or raises sites.NotReached (after
    delivering those consumed, if they could not be put back)."""
    job = r.job
    t0 = time.monotonic()
    method = r._attach()
    deadline = time.monotonic() + job.timeout
    end, hit, tries, last = None, None, 0, None
    while True:
        try:
            h = r._reach(method, end or deadline, hit)
        except sites.Timeout as e:
            if last is None:
                raise           # the site's first hit never came
            raise sites.NotReached(_gave_up(job, tries, "%s; then %s" % (last, e)))
        t_site = time.monotonic()
        end = end or min(deadline, t_site + job.gather_s)
        tries += 1
        batch, missing = _attempt(r, h, method, end)
        if missing is None or not _rewind(r, batch):
            break
        last = missing
        if time.monotonic() >= end:
            raise sites.NotReached(_gave_up(job, tries, last))
        hit = multi.RETRY_HITS if method == "counter" else 1
    r.fields["tries"] = tries
    pending = multi._deliver(r, batch)
    r.times["inject_ms"] = _ms(time.monotonic() - t_site)
    if missing is None and job.during is not None:
        try:
            pending = multi._during(r, batch, pending, deadline)
        except sites.NotReached as e:
            missing = e
            multi._drop(r)
    t = time.monotonic()
    deliver.confirm(pending)
    r.times["confirm_ms"] = _ms(time.monotonic() - t)
    r.times["total_ms"] = _ms(time.monotonic() - t0)
    if missing is not None:
        raise missing
    return r.lines


def _gave_up(job, tries, last):
    return ("no %s touching the damaged bytes within %d s (%d hit%s of %s tried, each put "
            "back as if never touched); last: %s"
            % (multi._wanted(job), int(job.gather_s), tries, "" if tries == 1 else "s",
               job.site, last))


def _attempt(r, h, method, end):
    """One hit of the site (h): the first error's consumer, then within
    multi.ATTEMPT_S the others'. Returns (the Errors consumed, their
    consumers parked; the sites.NotReached that cut the attempt short, or
    None)."""
    job = r.job
    first = multi._first(r, h, method)
    multi._damage(r, first, 0)
    batch = []
    try:
        take(r, first, min(end, time.monotonic() + CONSUME_S), 1)
        batch.append(first)
        until = min(end, time.monotonic() + multi.ATTEMPT_S)
        for _ in range(job.harts_at_once - 1):
            batch.append(_again(r, "at_once", job.site, job.object, first, until,
                                len(batch) + 1))
        if job.second_site is not None:
            batch.append(_second(r, batch, first, until))
    except sites.NotReached as e:
        return batch, e
    return batch, None


def _again(r, role, site, obj, first, until, seq):
    """One more consumer of the first error's damaged bytes, before until."""
    e = multi.Error(role, None, dict(multi._common(r), object=obj, site=site, hit=1,
                                     target="object", corruption="shared with error 1",
                                     shared=True, times={}), share=first)
    take(r, e, until, seq)
    return e


def _second(r, batch, first, until):
    """The second_site error, before until: the same damaged bytes when its
    object is the site's type, else an object damaged where a hart reaches
    second_site."""
    job = r.job
    if job.second_object == job.object:
        return _again(r, "second", job.second_site, job.second_object, first, until,
                      len(batch) + 1)
    try:
        e = multi._another(r, "second", job.second_site, job.second_object, None, batch, until)
    except multi.NotTogether as why:
        raise sites.NotReached(str(why))
    multi._damage(r, e, len(batch))
    take(r, e, until, len(batch) + 1)
    return e


def take(r, e, until, seq):
    """Run the guest (parked harts stay parked) until a hart touches the
    bytes of error number seq, e (its own damage, or the error's it
    shares); park that hart, its error not raised yet. Sets e.thread, e.sepc and the
    consumer's fields. Raises sites.NotReached, with e's own damage put
    back, if nothing touches them before until."""
    src = e.share or e
    dmg = src.dmg
    t = time.monotonic()
    waddr, wlen = r._watch_range(dmg, src.tgt)
    try:
        e.thread, e.sepc, how, stopped = first(
            waddr, wlen, dmg, src.tgt.name == "text", until,
            "an access to 0x%x..0x%x" % (waddr, waddr + wlen - 1),
            {p.thread.num for p in r.parked})
    except sites.Timeout:
        _undo(r, e)
        raise sites.NotReached(
            "error %d (%s, %s): nothing touched its damaged bytes 0x%x..0x%x within "
            "%.0f s%s: never consumed; %s"
            % (seq, e.role, e.fields.get("object"), waddr, waddr + wlen - 1, until - t,
               _holding(r), multi._describe({p.thread.num for p in r.parked})))
    if how == "access":
        e.fields["watch"] = {"address": "0x%x" % waddr, "size": wlen}
        e.fields["stopped_pc"] = "0x%x" % stopped
    e.fields["reached_by"] = how
    e.fields.setdefault("site_function", e.fields.get("function"))
    e.fields["function"] = kernel.function_at(e.sepc)[0]
    e.fields["stack"] = harts.stack_functions(e.thread, limit=STACK_DEPTH)
    e.fields.setdefault("times", {})["access_ms"] = _ms(time.monotonic() - t)
    r.parked.append(harts.Parked(e.thread))


def _fetcher(dmg, skip):
    """(thread, pc) of a hart in supervisor mode, not in skip (thread
    numbers), whose pc lies in the damaged bytes: it fetches them next.
    None if there is none."""
    for _, t in kernel.harts():
        if t.num in skip:
            continue
        pc, _, priv = harts.where(t)
        if priv == harts.PRIV_SUPERVISOR and dmg.addr <= pc < dmg.addr + dmg.size:
            return t, pc
    return None


def _fetch_starts(dmg):
    """Where an instruction that holds a damaged byte may start: every
    halfword of the damage (RISC-V instructions are 2 or 4 bytes, 2-byte
    aligned) and the one before it if that one opens a 4-byte instruction
    (its low two bits are 11). A breakpoint where no instruction starts is
    never hit."""
    lo = dmg.addr & ~1
    starts = list(range(lo, dmg.addr + dmg.size, 2))
    with kernel.physical_memory():
        before = kernel.read_bytes(lo - 2, 1)[0]
    if before & 3 == 3:
        starts.insert(0, lo - 2)
    return starts


def first(waddr, wlen, dmg, fetches, until, what, skip=(), walked=False):
    """Run the guest until a hart, not in skip, consumes the damage: a load
    or store in waddr..waddr+wlen-1 (an access watchpoint, seen one
    instruction past it) or, with fetches (kernel text), the fetch of an instruction
    holding a damaged byte (a hart already there, or a one-shot breakpoint
    where such an instruction may start; QEMU's breakpoints are not
    written into memory), or, with walked (a page-table entry walks.arm()
    made invalid), a hart's page-table walk meeting it (the kernel's stop
    at fi_walk). Returns (thread, sepc: the consuming instruction,
    "access", "fetch" or "walk", the pc the guest stopped at). Raises as
    sites.resume does."""
    found = _fetcher(dmg, skip) if fetches else None
    if found is not None:
        return found[0], found[1], "fetch", found[1]
    wp = sites.AccessWatch(waddr, wlen)
    bps = [sites.OneShot("*0x%x" % a, "fetch of 0x%x" % a) for a in _fetch_starts(dmg)] \
        if fetches else []
    if walked:
        bps.append(walks.WalkStop())
    try:
        w = sites.resume([wp] + bps, until, what)
    finally:
        sites.delete(wp, *bps)
    if w is wp:
        return wp.hit.thread, deliver.access_pc(wp.hit.pc), "access", wp.hit.pc
    if isinstance(w, walks.WalkStop):
        return w.hit.thread, w.sepc, "walk", w.hit.pc
    return w.hit.thread, w.hit.pc, "fetch", w.hit.pc


def _holding(r):
    """For the message: the spinlocks the parked consumers hold."""
    held = []
    for p in r.parked:
        locks = multi._locks_held(p.thread)
        if locks:
            held.append("hart %d holds %s" % (p.hart, ", ".join(locks)))
    return " (parked: %s)" % "; ".join(held) if held else ""


def _rewind(r, batch):
    """Undo an attempt as if no consumer had touched the damaged bytes: put
    them back, and send each consumer back to its access, which runs again
    on the good bytes (all other harts were stopped, or watched, since it
    ran). Returns False, undoing nothing, if an access cannot run again
    alike: it wrote a register it also read."""
    sites.kernel_view()
    if not all(_rewindable(e) for e in batch):
        return False
    parked = {p.thread.num: p for p in r.parked}
    for e in batch:
        parked[e.thread.num].pc = e.sepc
    for dmg in [r.damage] + r.pending:
        if dmg is not None:
            kernel.write_bytes(dmg.addr, dmg.before)
    r.damage, r.pending = None, []
    while r.parked:
        r.parked.pop().unpark()
    return True


# Stores write memory only; every other access (a load, an AMO, LR/SC)
# also writes its first operand, a register.
_STORE = re.compile(r"^(c\.)?f?s[bhwd](sp)?$")
_NUMBER = re.compile(r"^-?(0x[0-9a-f]+|[0-9]+)$")


def _rewindable(e):
    """Does e's access run again alike? Yes for a fetch (it has not run), a
    store, and a load, AMO or SC whose destination is not one of its
    sources (`ld a5,0(a5)` is not)."""
    if e.fields.get("reached_by") == "fetch":
        return True
    arch = gdb.selected_inferior().architecture()
    words = arch.disassemble(e.sepc)[0]["asm"].split(None, 1)
    if _STORE.match(words[0]):
        return True
    regs = [w for w in re.split(r"[\s,()]+", words[1] if len(words) > 1 else "")
            if w and not _NUMBER.match(w)]
    return not regs or regs[0] == "zero" or regs[0] not in regs[1:]


def _undo(r, e):
    """Put back the bytes of an error never consumed (nothing read them)."""
    if e.dmg is None:
        return
    kernel.write_bytes(e.dmg.addr, e.dmg.before)
    if r.damage is e.dmg:
        r.damage = None
    r.pending = [p for p in r.pending if p is not e.dmg]
    e.dmg = None
