# corrupt.py - damage bytes of guest memory, reproducibly.
#
# A Corruption is a pattern, a size and a seed:
#   flip    flip `bits` distinct bits of one word of `length` bytes (at most
#           8: an ECC word; two flipped bits are the classic SEC-DED
#           uncorrectable error)
#   zero    write `length` zero bytes
#   ones    write `length` 0xff bytes
#   random  write `length` bytes from the seeded generator
# The same seed gives the same bits or bytes whatever the memory held
# before (random.Random(seed), drawn before the old bytes are looked at;
# only if random bytes happen to equal the old ones are more drawn).
#
# apply() reads the old bytes, writes the new ones with
# inferior.write_memory and returns a record with both, which check.py
# verifies by reading the memory back.

import random

import gdb

import kernel

PATTERNS = ("flip", "zero", "ones", "random")
WORD = 8        # bytes in the ECC word a bit flip damages


class Corruption:
    """How to damage memory."""

    def __init__(self, pattern, length=WORD, bits=2, seed=1):
        if pattern not in PATTERNS:
            raise gdb.GdbError("unknown corruption pattern %r (expected %s)"
                               % (pattern, ", ".join(PATTERNS)))
        if pattern == "flip":
            length = min(int(length), WORD)
            if not 1 <= int(bits) <= 8 * length:
                raise gdb.GdbError("flip: %d bits do not fit in %d bytes" % (bits, length))
        if int(length) < 1:
            raise gdb.GdbError("corruption length must be at least 1 byte")
        self.pattern = pattern
        self.length = int(length)
        self.bits = int(bits)
        self.seed = int(seed)

    def __str__(self):
        if self.pattern == "flip":
            return "flip:%d bits in %d bytes, seed %d" % (self.bits, self.length, self.seed)
        return "%s:%d bytes, seed %d" % (self.pattern, self.length, self.seed)

    def new_bytes(self, old):
        """The damaged version of old (len(old) <= self.length)."""
        rng = random.Random(self.seed)
        n = len(old)
        if self.pattern == "zero":
            return bytes(n)
        if self.pattern == "ones":
            return b"\xff" * n
        if self.pattern == "random":
            new = bytes(rng.getrandbits(8) for _ in range(n))
            for _ in range(16):
                if new != old:
                    return new
                new = bytes(rng.getrandbits(8) for _ in range(n))
            return bytes([old[0] ^ 0xff]) + old[1:]
        bits = min(self.bits, 8 * n)
        new = bytearray(old)
        for b in rng.sample(range(8 * n), bits):
            new[b // 8] ^= 1 << (b % 8)
        return bytes(new)


class Damage:
    """What apply() did: address, size, old and new bytes."""

    def __init__(self, addr, before, after, corruption):
        self.addr = addr
        self.before = before
        self.after = after
        self.corruption = corruption

    @property
    def size(self):
        return len(self.after)

    def flipped(self):
        """Bit positions (0 = bit 0 of the first byte) that differ."""
        return [i * 8 + b for i, (x, y) in enumerate(zip(self.before, self.after))
                for b in range(8) if (x ^ y) >> b & 1]


def apply(addr, span, corruption):
    """Damage min(corruption.length, span) bytes at addr. Returns a Damage."""
    n = min(corruption.length, span)
    if n < 1:
        raise gdb.GdbError("nothing to corrupt at 0x%x (0 bytes left in the object)" % addr)
    try:
        before = kernel.read_bytes(addr, n)
        after = corruption.new_bytes(before)
        kernel.write_bytes(addr, after)
    except gdb.MemoryError as e:
        raise gdb.GdbError("cannot corrupt %d bytes at 0x%x: %s" % (n, addr, e))
    return Damage(addr, before, after, corruption)
