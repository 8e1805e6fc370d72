# fake-inject.py - a stand-in for campaign/gdbscripts/ev6inject.py, used only
# by the orchestrator's end-to-end checks (tests/campaign/e2e.sh).
#
# It speaks the same contract (campaign/README.md, "Job file"): it reads the
# job from $EV6_JOB, attaches to the gdbstub named there, waits until the
# workload program is exec'd (a one-shot breakpoint on the kernel's exec()
# whose path names the workload), then breaks once on the site function and
# delivers an uncorrectable-error trap there, appends one JSON line to
# $EV6_RESULT and detaches. Exit status 0 when it injected.
#
# It needs no fi_* symbols, so it works with any kernel that has the site
# function; it damages no memory, and its line carries none of the evidence
# a verdict needs (resolved, landed, trap, expect): whatever the kernel
# does, the orchestrator must call every run it injected a harness error.
# Test hooks, chosen by the environment variable FAKE_INJECT (inherited
# through the orchestrator): "none" reports an injection without
# delivering any trap (so the guest runs on), "fail" exits 1 at once (the
# harness-error path), "hang" never injects (the not-reached path, through
# the reach timeout), "late" delivers nothing either, detaches, and writes
# its line only LATE_S later, long after the workload's prompt (as the
# real injector does when it holds consumers: campaign/runner.c,
# holds_consumers).
import json
import os
import sys
import time

import gdb

job = json.load(open(os.environ["EV6_JOB"]))
result_path = os.environ["EV6_RESULT"]

hook = os.environ.get("FAKE_INJECT", "")
if hook == "fail":
    print("fake-inject: told to fail", flush=True)
    os._exit(1)

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("file " + job["kernel"])
gdb.execute("target remote " + job["socket"])

# Stop at the exec of the workload program (init and sh are exec'd first).
prog = job["workload_program"]
gdb.execute("break exec if $_streq(path, \"%s\") || $_streq(path, \"/%s\")" % (prog, prog))
open(job["ready"], "w").close()     # the orchestrator may type the workload now
gdb.execute("continue")
gdb.execute("delete")

# Then once at the site.
gdb.execute("break " + job["site"])
gdb.execute("continue")
gdb.execute("delete")

frame = gdb.selected_frame()
pc = int(frame.pc())
function = frame.name()
hart = gdb.selected_thread().num - 1
if hook == "hang":
    gdb.execute("continue")
if hook not in ("none", "late"):
    sstatus = int(gdb.parse_and_eval("$sstatus"))
    priv = int(gdb.parse_and_eval("$priv"))
    sie = (sstatus >> 1) & 1
    sstatus &= ~((1 << 8) | (1 << 5) | (1 << 1))
    sstatus |= ((priv & 1) << 8) | (sie << 5)
    gdb.execute("set $sepc = %d" % pc)
    gdb.execute("set $scause = 19")
    gdb.execute("set $stval = %d" % pc)
    gdb.execute("set $sstatus = %d" % sstatus)
    gdb.execute("set $priv = 1")
    gdb.execute("set $pc = $stvec")
    gdb.execute("maint flush register-cache")

LATE_S = 8
if hook == "late":
    gdb.execute("detach")
    time.sleep(LATE_S)
with open(result_path, "a") as f:
    f.write(json.dumps({"injected": True, "hart": hart, "pc": "0x%x" % pc,
                        "function": function, "object": job["object"],
                        "addr": "0x%x" % pc, "bytes": 0,
                        "before": "", "after": ""}) + "\n")
if hook != "late":
    gdb.execute("detach")
os._exit(0)
