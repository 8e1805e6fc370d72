# ev6inject.py - GDB loader for the Ev6 fault-injection campaign.
#
# Campaign use (one run; campaign/README.md):
#   EV6_JOB=job.json EV6_RESULT=result.jsonl \
#     gdb-multiarch -q -nx -batch -x campaign/gdbscripts/ev6inject.py [kernel/kernel]
# attaches to the guest named in the job, injects its error(s), appends
# one JSON line per delivered error to $EV6_RESULT, detaches (the guest
# runs on) and exits 0; on any failure it appends the lines of the errors
# already delivered and {"ok": false, "injected": false, "error": ...},
# prints one line "ev6inject: ..." on stderr and exits 1.
#
# Interactive use (no EV6_JOB): `source campaign/gdbscripts/ev6inject.py`
# in a session attached with `make qemu-gdb` adds the ev6-* commands
# (commands.py; `help ev6-deliver`).
#
# Modules, all beside this file:
#   constants  macros from the kernel's headers     kernel   types, tables, harts
#   target     attach, identity check, mode, detach  sites    one-shot breakpoints, watchdog
#   objects    which object and bytes to damage      corrupt  patterns and seeds
#   check      did the damage land                   deliver  emulate the trap
#   job        job file and result line              inject   one run, in order
#   commands   ev6-* user commands                  multi    more than one error (Table 3)
#   drvfault   a driver fault (kind = driver)
#   harts      park a hart; where a hart is
#   forensics  a hung guest's state (EV6_FORENSICS=FILE: written there
#              instead of injecting; campaign/runner.c)

import os
import sys

import gdb

sys.dont_write_bytecode = True
_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

try:
    import commands
    import forensics
    import inject
    import job
    import sites
except Exception as _e:                 # a broken install: say so in one line
    if os.environ.get("EV6_JOB"):
        _why = "cannot load the injector: %s: %s" % (type(_e).__name__, _e)
        if os.environ.get("EV6_RESULT"):
            with open(os.environ["EV6_RESULT"], "a") as _f:
                _f.write('{"ok": false, "injected": false, "error": %s}\n'
                         % __import__("json").dumps(_why))
        sys.stderr.write("ev6inject: %s\n" % _why)
        os._exit(1)
    raise gdb.GdbError("ev6inject: cannot load: %s" % _e)


def _message(e):
    if isinstance(e, KeyboardInterrupt):
        return "interrupted"
    text = " ".join(str(e).split())
    if isinstance(e, (gdb.GdbError, gdb.error, gdb.MemoryError)):
        return text or type(e).__name__
    return "internal error: %s: %s" % (type(e).__name__, text)


def _settings():
    for cmd in ("set pagination off", "set confirm off", "set width 0",
                "set suppress-cli-notifications on", "set print thread-events off",
                "set python print-stack none", "set can-use-hw-watchpoints 1"):
        try:
            gdb.execute(cmd, to_string=True)
        except gdb.error:
            pass


def _quit(code):
    sys.stdout.flush()
    sys.stderr.flush()
    gdb.flush()
    try:
        gdb.execute("quit %d" % code)
    finally:
        os._exit(code)


def _summary(fields):
    return ("ev6inject: injected %s at %s (%s) on hart %d at %s in %s, %s delivery, %s\n"
            % (fields["object"], fields["address"], fields.get("where"), fields["hart"],
               fields["pc"], fields.get("function"), fields["delivery"],
               "landed" if fields.get("landed") else
               "did NOT land: " + str(fields.get("check"))))


def main(job_path, result_path):
    """Run the job in job_path; returns the exit status."""
    result = job.ResultFile(result_path)
    run = None

    def stuck(why):
        # From the watchdog thread: no GDB calls here, and the main thread
        # may be changing run.fields (then report without them).
        try:
            lines = list(run.lines) if run is not None else []
            fields = run.failure_fields() if run is not None else {}
        except RuntimeError:
            lines, fields = [], {}
        fields.update({"ok": False, "injected": False, "error": why})
        result.write(lines + [fields])
        sys.stderr.write("ev6inject: %s\n" % why)
        sys.stderr.flush()

    sites.WATCHDOG.on_stuck = stuck
    try:
        _settings()
        j = job.load(job_path)
        run = inject.Run(j)
        lines = run.run()
        result.write(lines)
        for fields in lines:
            gdb.write(_summary(fields))
        bad = run.cleanup()
        if bad:
            sys.stderr.write("ev6inject: injected, but detaching failed: %s\n" % bad)
            return 1
        return 0
    except BaseException as e:          # report everything, trace nothing
        msg = _message(e)
        bad = run.cleanup() if run is not None else None
        lines = list(run.lines) if run is not None else []
        fields = run.failure_fields() if run is not None else {"ok": False, "injected": False}
        fields.update({"ok": False, "injected": False, "error": msg})
        if isinstance(e, sites.NotReached) or (isinstance(e, sites.GuestGone) and lines):
            fields["reached"] = False
        if isinstance(e, job.LinkBroken):
            fields["link"] = e.link
        try:
            result.write(lines + [fields])
        except OSError as w:
            msg += " (and the result file: %s)" % w.strerror
        for f in lines:
            gdb.write(_summary(f))
        sys.stderr.write("ev6inject: %s%s\n" % (msg, "" if not bad else
                                                 "; detaching failed too: %s" % bad))
        return 1


commands.register()

if os.environ.get("EV6_FORENSICS"):     # a hung guest's state (forensics.py)
    _settings()
    _quit(forensics.main(os.environ.get("EV6_JOB"), os.environ["EV6_FORENSICS"]))
elif os.environ.get("EV6_JOB"):
    _quit(main(os.environ["EV6_JOB"], os.environ.get("EV6_RESULT")))
