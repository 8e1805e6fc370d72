# constants.py - integer constants from the kernel's own C headers.
#
# The kernel is built with -ggdb (DWARF level 2), so its #define'd
# constants are not in the debug info. Rather than copy them into Python,
# this module reads the headers the kernel was compiled from: their
# directory comes from the debug info (the source file of main()). Both
# object-like macros (SCAUSE_HWERROR) and small function-like ones
# (PX(level, va), PTE2PA(pte)) are evaluated, with C casts and integer
# suffixes dropped and the arithmetic checked to be plain integer
# arithmetic before Python evaluates it.
#
# A macro defined twice with different bodies (under #if, e.g. PHYSTOP of
# TRACE=1 builds) cannot be read here: value() refuses it.
#
# Interface: value(name, *args) -> int, cached; header_dir() -> str.
# Every failure is a gdb.GdbError("cannot resolve constant ...").
#
# Kernel table sizes (NBUF, NFILE, NPROC, ...) are not read here: they are
# array bounds in the debug info (kernel.py).

import ast
import os
import re

import gdb

# Headers searched, in order, for a macro.
HEADERS = ("riscv.h", "memlayout.h", "param.h", "fs.h", "drvctl.h")

MASK64 = (1 << 64) - 1  # C's uint64 arithmetic, for ~ and big shifts

_defs = None          # name -> (params or None, body), or AMBIGUOUS
AMBIGUOUS = None      # defined twice, differently (per build, under #if)
_values = {}          # (name, args) -> int
_dir = None

_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$")
_CAST = re.compile(r"\(\s*(?:unsigned\s+)?(?:u?int(?:8|16|32|64)?|uint|long|ulong|uchar|"
                   r"unsigned|char|short|pte_t)\s*\)")
_SUFFIX = re.compile(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b")
_IDENT = re.compile(r"[A-Za-z_]\w*")


def header_dir():
    """The directory of the kernel's headers, from the debug info."""
    global _dir
    if _dir is None:
        sym = gdb.lookup_global_symbol("main")
        if sym is None or sym.symtab is None:
            raise gdb.GdbError("cannot resolve constant: no debug info for main()")
        _dir = os.path.dirname(sym.symtab.fullname())
    return _dir


def _load():
    global _defs
    if _defs is not None:
        return _defs
    defs = {}
    for name in HEADERS:
        path = os.path.join(header_dir(), name)
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        text = text.replace("\\\n", " ")
        for line in text.splitlines():
            m = _DEFINE.match(line)
            if not m:
                continue
            body = m.group(4).split("//")[0].split("/*")[0].strip()
            params = None
            if m.group(2) is not None:
                params = [p.strip() for p in m.group(3).split(",") if p.strip()]
            if m.group(1) in defs and defs[m.group(1)] != (params, body):
                defs[m.group(1)] = AMBIGUOUS
            else:
                defs[m.group(1)] = (params, body)
    if not defs:
        raise gdb.GdbError("cannot resolve constant: no kernel headers in %s" % header_dir())
    _defs = defs
    return defs


def _expand(body, depth):
    if depth > 16:
        raise gdb.GdbError("cannot resolve constant: macro nesting too deep in '%s'" % body)
    defs = _load()
    out = []
    pos = 0
    for m in _IDENT.finditer(body):
        if m.start() < pos:
            continue
        name = m.group(0)
        if name not in defs:
            continue
        if defs[name] is AMBIGUOUS:
            raise gdb.GdbError("cannot resolve constant: %s, in '%s', is defined more than "
                               "once, per build" % (name, body))
        out.append(body[pos:m.start()])
        params, mbody = defs[name]
        end = m.end()
        if params is not None:
            args, end = _call_args(body, end, name)
            if len(args) != len(params):
                raise gdb.GdbError("cannot resolve constant %s: wrong argument count" % name)
            for p, a in zip(params, args):
                mbody = re.sub(r"\b%s\b" % re.escape(p), "(%s)" % a, mbody)
        out.append("(%s)" % _expand(mbody, depth + 1))
        pos = end
    out.append(body[pos:])
    return "".join(out)


def _call_args(text, pos, name):
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] != "(":
        raise gdb.GdbError("cannot resolve constant %s: used without arguments" % name)
    depth, start, args = 0, pos + 1, []
    for i in range(pos, len(text)):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return args, i + 1
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
    raise gdb.GdbError("cannot resolve constant %s: unbalanced parentheses" % name)


_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub,
            ast.Mult, ast.FloorDiv, ast.Mod, ast.LShift, ast.RShift, ast.BitAnd,
            ast.BitOr, ast.BitXor, ast.Invert, ast.USub, ast.UAdd)


def _evaluate(expr, name):
    text = _CAST.sub("", expr)
    text = _SUFFIX.sub(r"\1", text)
    text = text.replace("/", "//").replace("~", " ~")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise gdb.GdbError("cannot resolve constant %s: cannot parse '%s'" % (name, expr))
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (isinstance(node, ast.Constant)
                                               and not isinstance(node.value, int)):
            raise gdb.GdbError("cannot resolve constant %s: not integer arithmetic: '%s'"
                               % (name, expr))
    return eval(compile(tree, "<%s>" % name, "eval"), {"__builtins__": {}}, {}) & MASK64


def value(name, *args):
    """The integer value of macro name, applied to args if it takes any."""
    key = (name, args)
    if key in _values:
        return _values[key]
    defs = _load()
    if name not in defs:
        raise gdb.GdbError("cannot resolve constant %s: not defined in %s (%s)"
                           % (name, header_dir(), ", ".join(HEADERS)))
    if defs[name] is AMBIGUOUS:
        raise gdb.GdbError("cannot resolve constant %s: defined more than once in %s, per "
                           "build; read it from the kernel's debug info" % (name, header_dir()))
    if args:
        text = "%s(%s)" % (name, ", ".join(str(int(a)) for a in args))
    else:
        text = name
    result = _evaluate(_expand(text, 0), name)
    if len(_values) < 4096:
        _values[key] = result
    return result


def reset():
    """Forget everything read (a new kernel file was loaded)."""
    global _defs, _dir
    _defs = None
    _dir = None
    _values.clear()
