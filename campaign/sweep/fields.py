# fields.py - the sweep's map from a traced address to a C name, from the
# kernel's debug info (run by GDB on the ELF alone, no guest):
#   gdb-multiarch -q -nx -batch -ex 'file KERNEL' -x campaign/sweep/fields.py > FIELDS
# prints, TAB-separated, one line per registered table the golden run
# records (kernel/ev6_trace.c: traced()):
#   table EXPR ADDR ELEMSIZE COUNT OBJECT
# (EXPR[i] is element i when COUNT > 1; OBJECT is the EV6_TYPES name the
# registry gives it), and one line per leaf member of its element:
#   field EXPR OFFSET SIZE PATH
# Arrays of scalars are one member; arrays of up to 16 structs are
# expanded (lock.name, lh.block, ofile, ...). Unions give their first member.

import gdb

# The tables each subsystem registers (ev6_registry_add) that a sweep can
# name as global:EXPR, with their object type. A table's lock is a
# spinlock scenario, as configs/table2.ini names one (object buf with
# target global:bcache.lock is refused by the preflight: a struct spinlock
# holds no buf), though the registry files it under its table's type.
TABLES = [("bcache.buf", "buf"), ("bcache.lock", "spinlock"), ("log", "log"),
          ("ftable.file", "file"), ("ftable.lock", "spinlock"), ("devsw", "devsw"),
          ("itable.inode", "inode"), ("itable.lock", "spinlock"), ("cons", "cons"),
          ("pr", "pr"), ("proc", "proc"), ("kmem", "kmem"), ("disk", "disk")]


def leaves(t, off, path, out):
    t = t.strip_typedefs()
    if t.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        for f in t.fields():
            if f.bitpos is None or f.artificial:
                continue
            name = f.name or ""
            leaves(f.type, off + f.bitpos // 8, (path + "." + name if path and name else path or name), out)
            if t.code == gdb.TYPE_CODE_UNION:
                break
        return
    if t.code == gdb.TYPE_CODE_ARRAY:
        el = t.target().strip_typedefs()
        lo, hi = t.range()
        if el.code == gdb.TYPE_CODE_STRUCT and hi - lo + 1 <= 16:
            for i in range(lo, hi + 1):
                leaves(el, off + (i - lo) * el.sizeof, "%s[%d]" % (path, i), out)
            return
    out.append((off, t.sizeof, path))


for expr, obj in TABLES:
    v = gdb.parse_and_eval(expr)
    t = v.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_ARRAY:
        n = t.range()[1] - t.range()[0] + 1
        el = t.target()
        addr = int(v[0].address)
    else:
        n, el, addr = 1, t, int(v.address)
    print("table\t%s\t0x%x\t%d\t%d\t%s" % (expr, addr, el.sizeof, n, obj))
    out = []
    leaves(el, 0, "", out)
    for off, size, path in out:
        print("field\t%s\t%d\t%d\t%s" % (expr, off, size, path or "(all)"))
