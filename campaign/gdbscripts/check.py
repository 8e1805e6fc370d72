# check.py - did the fault really land?
#
# After corrupt.apply(), read the damaged bytes back from the guest and
# compare them with what was written and what was there before; then say
# where they are in the kernel's globals (from the debug info) and whether
# the object is still one of its table's elements. A gdb.MemoryError is a
# result ("unreadable"), not a crash. An injection whose bytes did not
# change (zeroing memory that was zero) is reported as not landed, and
# inject.damage() then refuses to deliver the error: the run is a harness
# error naming the link "landed".

import gdb

import kernel


def verify(damage, target):
    """A dict for the result line: landed, bits changed, where."""
    out = {"landed": False}
    try:
        now = kernel.read_bytes(damage.addr, damage.size)
    except gdb.MemoryError as e:
        out["check"] = "unreadable: %s" % e
        return out
    changed = sum(bin(a ^ b).count("1") for a, b in zip(damage.before, now))
    out["changed_bits"] = changed
    if now != damage.after:
        out["check"] = "memory reads back %s, not the %s written" % (now.hex(), damage.after.hex())
    elif changed == 0:
        out["check"] = "the pattern left the bytes as they were"
    else:
        out["landed"] = True
        out["check"] = "ok"
    try:
        chain = kernel.describe(damage.addr)
    except gdb.MemoryError:
        chain = None
    if chain:
        out["location"] = chain[-1][0]
    walk = _walk_list(target)
    if walk is not None:
        out["list"] = walk
    return out


# Nodes a list walk follows at most (the free list has ~30 k pages).
LIST_LIMIT = 256


def _walk_list(target):
    """If the object is linked into a kernel list, walk that list through
    the (now damaged) object: "intact" if the walk came round or ended
    cleanly and met the object, "broken: ..." if it hit unreadable memory
    or never closed, "not found" if it ended without meeting the object.
    None when the object is in no list this knows."""
    if target.type is None or target.type.strip_typedefs().code != gdb.TYPE_CODE_STRUCT:
        return None
    head = _list_head(target)
    if head is None:
        return None
    name, first, stop, limit = head
    seen = False
    p = first
    try:
        for _ in range(limit):
            if p == 0 or p == stop:
                return "intact" if seen else "not found"
            if p == target.base:
                seen = True
                if limit == LIST_LIMIT:
                    return "intact"
            v = gdb.Value(p).cast(target.type.pointer()).dereference()
            p = int(v["next"])
    except gdb.MemoryError as e:
        return "broken: %s after %s" % (e, name)
    return "broken: %s does not close within %d nodes" % (name, limit) if stop else \
        "not found in the first %d nodes of %s" % (limit, name)


def _list_head(target):
    """(name, first node, end marker, nodes to follow) of the list holding
    objects of the target's type: a table's embedded head of that type
    (bcache.head, circular), or a table's pointer to that type
    (kmem.freelist, NULL-terminated, only its first LIST_LIMIT nodes)."""
    fields = [f.name for f in target.type.strip_typedefs().fields()]
    if "next" not in fields:
        return None
    for tab in kernel.tables():
        found = kernel.find_member(tab.value, target.type, depth=1)
        if found is None:
            continue
        member, addr = found
        t = tab.type.strip_typedefs()
        ft = [f for f in t.fields() if f.name == member.split(".")[0]][0].type.strip_typedefs()
        if ft.code == gdb.TYPE_CODE_PTR:
            return "%s.%s" % (tab.name, member), addr, 0, LIST_LIMIT
        arrays = tab.arrays()
        count = sum(a[2] for a in arrays) + 2
        head = gdb.Value(addr).cast(target.type.pointer()).dereference()
        return "%s.%s" % (tab.name, member), int(head["next"]), addr, count
    return None
