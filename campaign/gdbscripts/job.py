# job.py - read the job file, write the result line.
#
# The job is one JSON object (campaign/README.md, "Job file"; written by
# campaign/jobfile.c). Fields used here, with their defaults:
#   socket            gdbstub unix socket (required)
#   ready             a file to create once the guest may exec the workload
#                     (sites.wait_for_workload); the orchestrator types the
#                     workload only then (null: no file)
#   kernel            kernel ELF to load (default: the one GDB was given)
#   cpus              harts the guest must have (optional check)
#   object            object type: buf, log, file, ... (required)
#   site              kernel function, or FI_SITE_ name, or "user" (a hart
#                     running the target's process in user mode,
#                     userspace.py) (required)
#   hit               hit number of the site to inject at (1)
#   target            {"base", "selector", ...} as campaign/target.c writes
#                     it (absent: the site's object, whole); target_text:
#                     the config's spelling, for messages; base "user"
#                     with "name" and "va": Job.user = (name, va)
#   corrupt           "flip" | "zero" | "ones" | "random" with corrupt_n
#                     (bits for flip, else bytes) and seed; or an object
#                     {"pattern", "length", "bits", "offset", "seed"}
#                     (pattern may also be "bitflip"; offset is added to
#                     the target as offset:N would)
#   seed              seed of the corruption (1)
#   delivery          "breakpoint" (at the site) | "access" (at the first
#                     access to the damaged bytes after the site) | "scrub"
#                     (no consumer: an error record and an interrupt, as a
#                     patrol scrubber reports it; deliver.scrub)
#   watch             for access: "bytes" (the damaged ones, default),
#                     "line" (their 64-byte cache line) or "object"
#   mode / ev6_mode   recovery mode, written to ev6_mode if the kernel has it
#   workload_program / workload_name
#                     arm the site only once this program is exec'd (null:
#                     arm at once)
#   arm               "auto" | "counter" | "function" (see sites.py)
#   timeout_s         give up waiting this long after attaching; default
#                     reach_timeout + BOOT_MARGIN_S, else DEFAULT_TIMEOUT_S
# More than one error (Table 3; campaign/gdbscripts/README.md, "More than
# one error"), delivered at their sites (breakpoint) or each at its
# consumer (access; consumers.py):
#   harts_at_once     deliver the site's error on this many harts that are
#                     at the site together (1)
#   second_object, second_site
#                     and a second error, in that object, on another hart
#                     that reaches second_site while the first is pending
#   during_recovery   and an error in this object while the kernel
#                     recovers from the first, on the hart during_hart:
#                     "recoverer" (default; stopped at recovery_site),
#                     "follower" (a hart queued in the shepherd behind the
#                     recoverer) or "other" (a hart reaching during_site
#                     while the recoverer is held at recovery_site)
#   recovery_site     a recovery-path function (DEFAULT_RECOVERY_SITE)
#   gather_s          seconds to wait for each further hart (DEFAULT_GATHER_S)
#
# The result is one JSON line per delivered error appended to $EV6_RESULT
# ({"ok": true, "injected": true, ...}), or after a failure, the lines of
# the errors already delivered and {"ok": false, "injected": false,
# "error": ...}, with "reached": false when the guest never got where the
# job needed it, or "link": NAME when a link of the evidence chain broke
# before delivery (LinkBroken).

import json
import os

import gdb

import sites

from corrupt import Corruption, PATTERNS

DEFAULT_TIMEOUT_S = 60
BOOT_MARGIN_S = 30
CACHE_LINE = 64
# Where the recovering hart is held for during_recovery: the stack walk,
# which every error in kernel mode reaches with the shepherd held.
DEFAULT_RECOVERY_SITE = "ev6_history_walk"
DURING_HARTS = ("recoverer", "follower", "other")
DEFAULT_GATHER_S = 40


class LinkBroken(gdb.GdbError):
    """A link of the run's evidence chain failed before the error reached
    the kernel (the target is not in an object of the scenario's type, the
    damage did not land): nothing is delivered, and the failure line names
    the link ("link": "resolved" or "landed"; campaign/README.md,
    "Evidence")."""

    def __init__(self, link, why):
        super().__init__(why)
        self.link = link


class Job:
    """A validated job."""

    def __init__(self, raw):
        if not isinstance(raw, dict):
            raise gdb.GdbError("job file: expected a JSON object")
        self.raw = raw
        self.id = raw.get("job")
        self.socket = _str(raw, "socket", required=True)
        self.ready = _str(raw, "ready")
        self.kernel = _str(raw, "kernel")
        self.cpus = _int(raw, "cpus", None, 1)
        self.object = _str(raw, "object", required=True)
        self.site = _str(raw, "site", required=True)
        self.hit = _int(raw, "hit", 1, 1)
        self.target_text = _str(raw, "target_text") or "object"
        base, selector = _target(raw)
        self.user = _user(raw) if base == USER else None
        if (self.site == USER) != (self.user is not None):
            raise gdb.GdbError("job: site user goes with a target user[...], and back")
        self.delivery = _str(raw, "delivery") or "breakpoint"
        if self.delivery not in ("breakpoint", "access", "scrub"):
            raise gdb.GdbError("job: delivery must be breakpoint, access or scrub, not %r"
                               % self.delivery)
        self.watch = _str(raw, "watch") or "bytes"
        if self.watch not in ("bytes", "line", "object"):
            raise gdb.GdbError("job: watch must be bytes, line or object, not %r" % self.watch)
        self.arm = _str(raw, "arm") or "auto"
        if self.arm not in ("auto", "counter", "function"):
            raise gdb.GdbError("job: arm must be auto, counter or function, not %r" % self.arm)
        self.mode = raw.get("ev6_mode", raw.get("mode"))
        if self.mode is not None and not isinstance(self.mode, (int, str)):
            raise gdb.GdbError("job: bad mode %r" % (self.mode,))
        self.workload = raw.get("workload_program", raw.get("workload_name"))
        if self.workload is not None and not isinstance(self.workload, str):
            raise gdb.GdbError("job: bad workload program %r" % (self.workload,))
        self.workload = self.workload or None
        self.corruption, offset = _corruption(raw)
        if offset:
            if selector != "object":
                raise gdb.GdbError("job: corrupt.offset goes with a whole-object target, "
                                   "not %s" % selector)
            selector = "offset:%d" % offset
        self.target = (base, selector)
        timeout = raw.get("timeout_s")
        if timeout is None and raw.get("reach_timeout") is not None:
            timeout = _int(raw, "reach_timeout", None, 1) + BOOT_MARGIN_S
        self.timeout = float(timeout if timeout is not None else DEFAULT_TIMEOUT_S)
        if self.timeout <= 0:
            raise gdb.GdbError("job: timeout_s must be positive")
        self._multi(raw)

    def _multi(self, raw):
        """The Table 3 fields: more than one error per run."""
        self.harts_at_once = _int(raw, "harts_at_once", 1, 1)
        if self.cpus is not None and self.harts_at_once > self.cpus:
            raise gdb.GdbError("job: harts_at_once %d exceeds cpus %d"
                               % (self.harts_at_once, self.cpus))
        self.second_object = _str(raw, "second_object")
        self.second_site = _str(raw, "second_site")
        if (self.second_object is None) != (self.second_site is None):
            raise gdb.GdbError("job: second_object and second_site go together")
        self.during = _str(raw, "during_recovery")
        self.during_hart = _str(raw, "during_hart") or "recoverer"
        self.recovery_site = _str(raw, "recovery_site") or DEFAULT_RECOVERY_SITE
        self.during_site = _str(raw, "during_site")
        if self.during_hart not in DURING_HARTS:
            raise gdb.GdbError("job: during_hart must be %s, not %r"
                               % (", ".join(DURING_HARTS), self.during_hart))
        if self.during is None:
            for k in ("during_hart", "recovery_site", "during_site"):
                if raw.get(k):
                    raise gdb.GdbError("job: %s needs during_recovery" % k)
        elif self.during_hart == "other" and self.during_site is None:
            raise gdb.GdbError("job: during_hart other needs during_site")
        elif self.during_hart != "other" and self.during_site is not None:
            raise gdb.GdbError("job: during_site goes with during_hart other")
        elif self.during_hart == "follower" and self.harts_at_once < 2 and \
                self.second_site is None:
            raise gdb.GdbError("job: during_hart follower needs a second error queued "
                               "behind the first (harts_at_once >= 2 or second_site)")
        self.gather_s = float(_int(raw, "gather_s", DEFAULT_GATHER_S, 1))
        self._driver(raw)
        self.multi = self.harts_at_once > 1 or self.second_site is not None or \
            self.during is not None
        if self.multi and self.delivery == "scrub":
            raise gdb.GdbError("job: more than one error needs delivery breakpoint or access")

    def _driver(self, raw):
        # A driver fault (kind = driver; drvfault.py): all five or none.
        keys = ("driver", "fault", "detector", "expect_detect", "expect_restart")
        vals = [_str(raw, k) for k in keys]
        if any(vals) and not all(vals):
            raise gdb.GdbError("job: a driver fault needs %s" % ", ".join(keys))
        self.driver, self.fault, self.detector, self.expect_detect, \
            self.expect_restart = vals
        if self.driver and self.detector not in ("kernel", "heartbeat"):
            raise gdb.GdbError("job: detector must be kernel or heartbeat, not %r"
                               % self.detector)

    def planned(self):
        """How many errors the job delivers."""
        return self.harts_at_once + (self.second_site is not None) + (self.during is not None)


def _str(raw, key, required=False):
    v = raw.get(key)
    if v is None or v == "":
        if required:
            raise gdb.GdbError("job: missing \"%s\"" % key)
        return None
    if not isinstance(v, str):
        raise gdb.GdbError("job: \"%s\" must be a string" % key)
    return v


def _int(raw, key, default, minimum):
    v = raw.get(key, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise gdb.GdbError("job: \"%s\" must be an integer >= %d" % (key, minimum))
    return v


BASES = ("site", "fi_trap", "arg", "global", "user")
USER = sites.USER       # the site and base of a stop in user mode
SELECTORS = ("object", "field", "offset", "level")


def _target(raw):
    """(base, selector) of the job's "target", which the orchestrator wrote
    already taken apart (campaign/target.c): base None, "fi_trap", "argN"
    or "global:EXPR", or "user" (see _user); selector "object",
    "field:PATH", "offset:N" or "LN" (objects.py). Absent: the site's
    object, whole."""
    t = raw.get("target")
    if t is None:
        return None, "object"
    if not isinstance(t, dict) or t.get("base", "site") not in BASES or \
            t.get("selector", "object") not in SELECTORS:
        raise gdb.GdbError("job: \"target\" must be an object with base %s and selector %s "
                           "(campaign/target.h), not %r"
                           % ("/".join(BASES), "/".join(SELECTORS), t))
    kind, sel = t.get("base", "site"), t.get("selector", "object")
    try:
        if kind == "site":
            base = None
        elif kind == "fi_trap":
            base = "fi_trap"
        elif kind == "arg":
            base = "arg%d" % int(t["arg"])
        elif kind == USER:
            base = USER
        else:
            base = "global:" + str(t["expr"])
        if sel == "object":
            selector = "object"
        elif sel == "field":
            selector = "field:" + str(t["field"])
        elif sel == "offset":
            selector = "offset:%d" % int(t["offset"])
        else:
            selector = "L%d" % int(t["level"])
    except (KeyError, ValueError, TypeError):
        raise gdb.GdbError("job: \"target\" %r lacks the value its base or selector needs" % t)
    return base, selector


def _user(raw):
    """(process name, va) of a user[name=X,va=V] target: va "pc", "sp"
    or a number in hex, as campaign/target.c writes it."""
    t = raw["target"]
    name, va = t.get("name"), t.get("va")
    if not isinstance(name, str) or not name or not isinstance(va, str) or \
            not (va in ("pc", "sp") or va.startswith("0x")):
        raise gdb.GdbError("job: target user needs a name and a va (pc, sp or 0x...), not %r"
                           % t)
    return name, va


def _corruption(raw):
    """(Corruption, extra offset) from either form of "corrupt"."""
    c = raw.get("corrupt", "flip")
    seed = raw.get("seed", 1)
    if isinstance(c, dict):
        pattern = c.get("pattern", "flip")
        pattern = "flip" if pattern == "bitflip" else pattern
        seed = c.get("seed", seed)
        length = c.get("length", 8)
        bits = c.get("bits", 2)
        offset = c.get("offset", 0)
    elif isinstance(c, str):
        pattern = "flip" if c == "bitflip" else c
        n = raw.get("corrupt_n")
        length = 8 if pattern == "flip" or n is None else n
        bits = 2 if n is None else n
        offset = 0
    else:
        raise gdb.GdbError("job: bad \"corrupt\" %r" % (c,))
    if pattern not in PATTERNS:
        raise gdb.GdbError("job: corrupt pattern %r (expected %s)" % (pattern, ", ".join(PATTERNS)))
    for name, v in (("seed", seed), ("length", length), ("bits", bits), ("offset", offset)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise gdb.GdbError("job: corrupt %s must be a non-negative integer" % name)
    return Corruption(pattern, length, bits, seed), offset


def load(path):
    try:
        with open(path) as f:
            raw = json.load(f)
    except OSError as e:
        raise gdb.GdbError("cannot read job file %s: %s" % (path, e.strerror))
    except ValueError as e:
        raise gdb.GdbError("job file %s is not JSON: %s" % (path, e))
    return Job(raw)


class ResultFile:
    """Appends the session's JSON lines to a file, all at once and once
    only: one line per delivered error, then the failure, if any."""

    def __init__(self, path):
        self.path = path
        self.written = False

    def write(self, lines):
        """lines: a dict (one line) or a list of dicts."""
        if self.written:
            return
        self.written = True
        if isinstance(lines, dict):
            lines = [lines]
        text = "".join(json.dumps(f, sort_keys=False) + "\n" for f in lines)
        if not self.path:
            gdb.write(text)
            return
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, text.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
