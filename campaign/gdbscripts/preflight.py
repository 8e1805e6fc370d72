# preflight.py - check a campaign's scenarios against the kernel ELF it
# will run, before any guest boots: GDB reads the debug info of the file,
# with no QEMU attached.
#
#   gdb-multiarch -q -nx -batch -ex "python EV6_PREFLIGHT = 'checks.json'" \
#     -x campaign/gdbscripts/preflight.py KERNEL
#
# checks.json is a list of {"id", "what", ...} objects (campaign/preflight.c
# writes it); for each, one line {"id": N, "ok": true} or {"id": N, "ok":
# false, "error": "..."} goes to standard output, then {"done": true}. The
# checks use the very functions a run uses, so a scenario that passes here
# fails at run time only for what needs the running kernel:
#   site      the site can be armed: a FAULTS=1 hit counter (FI_SITE_<site>
#             and the function calls fi_site_hit) or, for hit 1, a function
#             of that name (sites.choose_method)
#   function  a kernel function (recovery_site)
#   object    the object type resolves (struct NAME or a global)
#   target    a global:EXPR base resolves, every [N] inside its array (a
#             role subscript, proc[name=wc], in the process table: which
#             slot it picks is decided at the site), and
#             the object it names is (or holds) one of the scenario's type;
#             a field: selector names a member; a user[...] base: the
#             process table has what the stop reads (userspace.check_kernel)
#   driver    a driver fault (kind = driver; drvfault.py): the kernel has
#             driver tasks, the detector's mask and the fault
#             (enum drv_fault's DRV_F_<FAULT>: a FAULTS=1 kernel's hook)

import json
import os
import sys

sys.dont_write_bytecode = True
_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

import gdb  # noqa: E402

import constants  # noqa: E402
import drvfault  # noqa: E402
import kernel  # noqa: E402
import objects  # noqa: E402
import registry  # noqa: E402
import sites  # noqa: E402
import userspace  # noqa: E402

PARTS = registry.PARTS


def _holds(t, wanted, depth=2):
    """Is type t wanted, or does it hold a member of type wanted (within
    depth levels of structs and arrays)?"""
    t = t.strip_typedefs()
    if kernel.same_type(t, wanted):
        return True
    if depth == 0:
        return False
    if t.code == gdb.TYPE_CODE_ARRAY:
        return _holds(t.target(), wanted, depth)
    if t.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return any(_holds(f.type, wanted, depth - 1) for f in t.fields() if f.type is not None)
    return False


def _target(c):
    """A global:EXPR base: in range and of the scenario's type."""
    t = c["target"]
    name = c["object"]
    wanted = objects.object_type(name)
    if t.get("base") == "user":
        userspace.check_kernel()
        return
    if t.get("base") != "global":
        return
    expr = objects.resolve_roles(t["expr"], live=False)
    objects._check_subscripts(expr)
    try:
        typ = gdb.parse_and_eval(expr).type
    except gdb.error as e:
        raise gdb.GdbError("cannot resolve target global:%s: %s" % (expr, e))
    if typ.strip_typedefs().code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return          # a pointer (followed at run time, checked then) or a scalar
    if t.get("selector") == "field":
        path = t["field"]
        for where in (typ, wanted):
            if where is not None:
                try:
                    objects.field_offset(where, path)
                    return
                except gdb.GdbError:
                    pass
        raise gdb.GdbError("target global:%s has no member %s (nor has a %s)"
                           % (expr, path, name))
    if wanted is not None and name not in PARTS and not _holds(typ, wanted):
        raise gdb.GdbError("target global:%s is a %s, which holds no %s"
                           % (expr, kernel.type_name(typ), name))


def _driver(c):
    """The kernel can take this driver fault under this detector."""
    for name in ("drvtasks", "ndrvtasks", "drv_detector", "fi_workload_start"):
        if not kernel.has_symbol(name):
            raise gdb.GdbError("the kernel has no %s (driver faults need a FAULTS=1 kernel "
                               "with driver tasks)" % name)
    constants.value(drvfault.DETECTORS[c["detector"]])
    if c["fault"] != "lostirq" and \
            "DRV_F_" + c["fault"].upper() not in kernel.enumerators("enum drv_fault"):
        raise gdb.GdbError("the kernel has no driver fault %s (enum drv_fault)" % c["fault"])


def check(c):
    what = c["what"]
    if what == "site":
        sites.choose_method(c["site"], c.get("hit", 1), "auto")
    elif what == "function":
        kernel.function_address(c["site"])
    elif what == "object":
        objects.object_type(c["object"])
    elif what == "target":
        _target(c)
    elif what == "driver":
        _driver(c)
    else:
        raise gdb.GdbError("unknown check %r" % what)


def main(path):
    with open(path) as f:
        checks = json.load(f)
    for c in checks:
        out = {"id": c.get("id")}
        try:
            check(c)
            out["ok"] = True
        except (gdb.GdbError, gdb.error, gdb.MemoryError, RuntimeError, KeyError,
                ValueError) as e:
            out.update({"ok": False, "error": " ".join(str(e).split()) or type(e).__name__})
        sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.write('{"done": true}\n')
    sys.stdout.flush()


try:
    main(EV6_PREFLIGHT)  # noqa: F821 (set by the caller's -ex)
except Exception as e:  # report everything, trace nothing
    sys.stdout.write(json.dumps({"fatal": "%s: %s" % (type(e).__name__, e)}) + "\n")
    sys.stdout.flush()
