# leave-breakpoint.py - for tests/campaign/e2e.sh (e2e-leftover.ini): attach
# to the gdbstub $LEAVE_SOCKET of a running campaign guest, arm the exec of
# `audit` (fi_workload_name), put a breakpoint at fi_workload_start into
# QEMU by a raw packet (GDB does not know of it, so no detach removes it),
# let the guest run until it stops there, and end without detaching: QEMU
# then holds the guest stopped on a debug event with no debugger attached.
import os

import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set remotetimeout 120")     # the stop comes with the survival check's audit
gdb.execute("file " + os.environ["LEAVE_KERNEL"])
gdb.execute("target remote " + os.environ["LEAVE_SOCKET"])
gdb.execute("maint packet Qqemu.PhyMemMode:1")
for i, c in enumerate(b"audit\0"):
    gdb.execute("set var fi_workload_name[%d] = %d" % (i, c))
gdb.execute("maint packet Qqemu.PhyMemMode:0")
where = int(gdb.parse_and_eval("(unsigned long)&fi_workload_start"))
gdb.execute("maint packet Z0,%x,2" % where)
print(gdb.execute("maint packet vCont;c", to_string=True).strip().splitlines()[-1])
os._exit(0)
