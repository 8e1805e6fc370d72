# drvfault.py - one driver-fault run (kind = driver, configs/drivers.ini).
#
#   attach -> identity check -> choose the detector (drv_detector) ->
#   wait for the workload -> break at the driver's serve function (the
#   task has just taken a request: drv_receive stamped it) -> check the
#   task is the driver named and holds a request -> arm the fault in the
#   task (drvtasks[i].fault, or drop_irq for a lost interrupt) -> read it
#   back -> result line -> detach
#
# Why this way (campaign/README.md, "Driver faults"): the kernel's FAULTS
# hooks are the faults themselves (a loop in the serve path, a second
# acquire of the driver's lock, a status-register write, a wild store,
# damaged ring state), placed where each fault belongs in a request; GDB
# decides which and when, in the middle of a request the workload's
# process waits on. The guest never calls drvctl.
#
# The result line says what the kernel must report: "expect": {"task",
# "fault", "why", "reinit"}; classify.c checks the `drv: event=restart`
# line against it.

import time

import gdb

import constants
import kernel
import sites
import target

# A job's detector -> the kernel/drvctl.h mask GDB writes to drv_detector.
DETECTORS = {"kernel": "DRV_DET_KERNEL", "heartbeat": "DRV_DET_HEARTBEAT"}


def _ms(seconds):
    return int(round(seconds * 1000))


def find_task(name):
    """The index of the driver task called name (drvtasks[], ndrvtasks)."""
    n = kernel.read_variable("ndrvtasks")
    for i in range(n):
        t = kernel.value("drvtasks")[i]
        if t["st"]["name"].string() == name:
            if int(t["base"]) == 0:
                raise gdb.GdbError("driver task %s has no device (an idle test driver)" % name)
            return i
    raise gdb.GdbError("no driver task is called %s (%d task%s)"
                       % (name, n, "" if n == 1 else "s"))


def run(r):
    """Carry out r.job (a driver job); returns the result lines."""
    job, f, times = r.job, r.fields, r.times
    t0 = time.monotonic()
    f.update({"driver": job.driver, "fault": job.fault, "detector": job.detector})
    f["kernel"] = target.load_kernel(job.kernel)
    times["attach_ms"] = _ms(target.connect(job.socket))
    f["guest"] = target.check_identity(job.cpus)
    deadline = time.monotonic() + job.timeout
    mask = constants.value(DETECTORS[job.detector])
    with kernel.physical_memory():   # the selected hart may be in user mode
        kernel.set_variable("drv_detector", mask)

    if job.workload:
        t = time.monotonic()
        sites.wait_for_workload(job.workload, deadline, job.ready)
        times["workload_ms"] = _ms(time.monotonic() - t)
        f["workload"] = job.workload
    bp = sites.OneShot("*0x%x" % kernel.function_address(job.site), job.site)
    t = time.monotonic()
    try:
        sites.resume([bp], deadline, "a request served by %s" % job.site)
    finally:
        sites.delete(bp)
    times["site_ms"] = _ms(time.monotonic() - t)
    f["function"] = job.site
    f["hart"] = bp.hit.hart
    f["pc"] = "0x%x" % bp.hit.pc

    i = find_task(job.driver)
    task = "drvtasks[%d]" % i
    inflight = int(gdb.parse_and_eval("(unsigned long)%s.inflight" % task))
    if inflight == 0:
        raise gdb.GdbError("%s stopped in %s with no request in flight" % (task, job.site))
    f.update({"where": task, "task": i, "request": "0x%x" % inflight,
              "resolved": {"ok": True, "holder": task}})

    # A lost interrupt is the task's drop_irq flag, every other fault its
    # fault field, as drvctl arms them (kernel/drvmon.c, arm_fault).
    field = "drop_irq" if job.fault == "lostirq" else "fault"
    want = 1 if field == "drop_irq" else \
        kernel.enumerators("enum drv_fault")["DRV_F_" + job.fault.upper()]
    before = int(gdb.parse_and_eval("%s.%s" % (task, field)))
    gdb.execute("set var %s.%s = %d" % (task, field, want), to_string=True)
    after = int(gdb.parse_and_eval("%s.%s" % (task, field)))
    f.update({"armed": "%s.%s" % (task, field), "before": before, "after": after,
              "landed": after == want and before != want})
    if not f["landed"]:
        raise gdb.GdbError("%s.%s reads %d after writing %d" % (task, field, after, want))
    f.update({"injected": True, "ok": True,
              "expect": {"task": job.driver, "fault": job.fault, "why": job.expect_detect,
                         "reinit": 1 if job.expect_restart == "reinit" else 0}})
    times["total_ms"] = _ms(time.monotonic() - t0)
    r.lines = [f]
    return r.lines
