#!/usr/bin/env python3
"""One of several processes reading and writing through one mount at the same time.

    churn.py MOUNTPOINT ID SECONDS SLOT

Works until SECONDS have passed, on:
  w<ID>/          its own directory: files written, overwritten, truncated, renamed, removed;
  shared/data     one file all processes write, each in its own SLOT-byte slot (slots are not
                  block-aligned, so neighbours share file system blocks);
  shared/dir/     one directory all processes create and remove their own names in;
  shared/pattern  a file the test wrote before, read at random ranges by everyone.
Everything it wrote is read back and compared with what it expects (a model kept in memory,
checked by SHA-256). A difference prints "MISMATCH ..." and exits 1. At the end it prints one
line per file it leaves behind, "keep PATH SIZE SHA256", then "done ID OPS".
"""
import hashlib
import os
import random
import sys
import time

mp, ident, seconds, slot = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(1000 + ident)
own = os.path.join(mp, "w%d" % ident)
shared_dir = os.path.join(mp, "shared", "dir")
data = os.path.join(mp, "shared", "data")
pattern = os.path.join(mp, "shared", "pattern")
model = {}  # own file name -> bytes
listed = {}  # own name in shared/dir -> bytes
slot_bytes = bytes(slot)
ops = 0


def fail(what):
    print("MISMATCH process %d: %s" % (ident, what), flush=True)
    sys.exit(1)


def pattern_bytes(off, n):
    """The content of shared/pattern at [off, off+n): SHA-256 of each 32-byte chunk's index."""
    out = bytearray()
    first = off // 32
    for c in range(first, (off + n + 31) // 32):
        out += hashlib.sha256(b"%d" % c).digest()
    start = off - first * 32
    return bytes(out[start:start + n])


def sizes():
    # Around the interesting edges: empty, tiny, fragment and block boundaries, several blocks.
    return rnd.choice((0, 1, 511, 2048, 4095, 16384, 16385, 65536 + 7, 131072, 300001, 1 << 20, 3 * 1048576 + 3))


def payload(n):
    return rnd.randbytes(n)


def read_all(path):
    with open(path, "rb") as f:
        return f.read()


def check(path, expected):
    got = read_all(path)
    if got != expected:
        at = next((i for i in range(min(len(got), len(expected))) if got[i] != expected[i]), min(len(got), len(expected)))
        fail("%s: %d bytes read, %d expected, first difference at %d" % (path, len(got), len(expected), at))


def write_fresh():
    name = "f%d" % rnd.randrange(6)
    content = payload(sizes())
    path = os.path.join(own, name)
    with open(path, "wb") as f:
        pos = 0
        while pos < len(content):
            n = rnd.choice((1, 100, 4096, 65536, 1 << 20))
            f.write(content[pos:pos + n])
            pos += n
        if rnd.random() < 0.3:
            f.flush()
            os.fsync(f.fileno())
    model[name] = content
    check(path, content)


def overwrite_part():
    if not model:
        return
    name = rnd.choice(sorted(model))
    old = model[name]
    off = rnd.randrange(len(old) + 70000)
    piece = payload(rnd.choice((1, 3000, 20000, 140000)))
    path = os.path.join(own, name)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, piece, off)
    finally:
        os.close(fd)
    new = bytearray(old)
    if off > len(new):
        new += bytes(off - len(new))
    new[off:off + len(piece)] = piece
    model[name] = bytes(new)
    check(path, model[name])


def truncate():
    if not model:
        return
    name = rnd.choice(sorted(model))
    old = model[name]
    size = rnd.choice((0, len(old) // 2, len(old) + 5000, max(0, len(old) - 1)))
    os.truncate(os.path.join(own, name), size)
    model[name] = old[:size] + bytes(max(0, size - len(old)))
    check(os.path.join(own, name), model[name])


def shorter_rewrite():
    # open(O_TRUNC) and a shorter content: no old tail may survive.
    if not model:
        return
    name = rnd.choice(sorted(model))
    content = payload(rnd.randrange(0, max(1, len(model[name]) // 3 + 1)))
    with open(os.path.join(own, name), "r+b") as f:
        f.truncate(0)
        f.write(content)
    model[name] = content
    check(os.path.join(own, name), content)


def rename_or_remove():
    if not model:
        return
    name = rnd.choice(sorted(model))
    if rnd.random() < 0.5:
        os.unlink(os.path.join(own, name))
        del model[name]
        if os.path.exists(os.path.join(own, name)):
            fail("%s/%s still there after unlink" % (own, name))
    else:
        to = "r%d" % rnd.randrange(4)
        os.rename(os.path.join(own, name), os.path.join(own, to))
        model[to] = model.pop(name)
        check(os.path.join(own, to), model[to])
    names = set(os.listdir(own))
    if names != set(model):
        fail("%s lists %s, expected %s" % (own, sorted(names), sorted(model)))


def write_slot():
    global slot_bytes
    off = rnd.randrange(slot)
    piece = payload(min(slot - off, rnd.choice((1, 4096, 17000, slot))))
    fd = os.open(data, os.O_RDWR)
    try:
        os.pwrite(fd, piece, ident * slot + off)
        b = bytearray(slot_bytes)
        b[off:off + len(piece)] = piece
        slot_bytes = bytes(b)
        got = os.pread(fd, slot, ident * slot)
    finally:
        os.close(fd)
    if got != slot_bytes:
        fail("slot %d of %s differs after a write at %d of %d bytes" % (ident, data, off, len(piece)))


def shared_names():
    if rnd.random() < 0.6 or not listed:
        name = "p%d-%d" % (ident, rnd.randrange(30))
        content = payload(rnd.choice((0, 10, 5000, 40000)))
        with open(os.path.join(shared_dir, name), "wb") as f:
            f.write(content)
        listed[name] = content
    else:
        name = rnd.choice(sorted(listed))
        os.unlink(os.path.join(shared_dir, name))
        del listed[name]
    mine = {n for n in os.listdir(shared_dir) if n.startswith("p%d-" % ident)}
    if mine != set(listed):
        fail("%s lists %s of ours, expected %s" % (shared_dir, sorted(mine), sorted(listed)))
    some = rnd.choice(sorted(listed)) if listed else None
    if some:
        check(os.path.join(shared_dir, some), listed[some])


def read_pattern():
    size = os.stat(pattern).st_size
    off = rnd.randrange(size)
    n = min(size - off, rnd.choice((1, 4096, 100000, 1 << 20)))
    with open(pattern, "rb") as f:
        f.seek(off)
        got = f.read(n)
    if got != pattern_bytes(off, n):
        fail("%s differs in [%d, %d)" % (pattern, off, off + n))


os.mkdir(own)
steps = (write_fresh, write_fresh, overwrite_part, truncate, shorter_rewrite, rename_or_remove,
         write_slot, write_slot, shared_names, shared_names, read_pattern)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    rnd.choice(steps)()
    ops += 1
# One last look at everything, then what the test checks again after the unmount.
for name, content in sorted(model.items()):
    check(os.path.join(own, name), content)
    print("keep w%d/%s %d %s" % (ident, name, len(content), hashlib.sha256(content).hexdigest()))
for name, content in sorted(listed.items()):
    check(os.path.join(shared_dir, name), content)
    print("keep shared/dir/%s %d %s" % (name, len(content), hashlib.sha256(content).hexdigest()))
print("slot %d %s" % (ident, hashlib.sha256(slot_bytes).hexdigest()))
print("done %d %d" % (ident, ops), flush=True)
