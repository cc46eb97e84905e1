#!/usr/bin/env python3
"""Builds a seeded random tree on the host, or describes one.

  randomtree.py make SEED DIR BSIZE MAXLINK   -- builds DIR (which must not exist)
  randomtree.py describe DIR                  -- one line per entry under DIR, tab-separated:
      path_hex type mode uid gid size mtime inode nlink sha256|- target_hex|-
Names are handled as bytes throughout, so names that are not valid UTF-8 are made and read exactly.
"""
import hashlib
import os
import random
import stat
import sys


def make(seed, top, bsize, maxlink):
    r = random.Random(seed)
    nindir = bsize // 4  # UFS1 pointers; UFS2 halves it, so both sides of either boundary appear
    ndaddr = 12
    boundaries = [ndaddr * bsize, (ndaddr + nindir) * bsize, (ndaddr + bsize // 8) * bsize]
    top = os.fsencode(top)
    os.mkdir(top)
    dirs = [top]
    # Deep directories first, so later entries land at every depth.
    d = top
    for i in range(r.randint(9, 14)):
        d = os.path.join(d, b"deep%d" % i)
        os.mkdir(d)
        dirs.append(d)
    for i in range(r.randint(3, 6)):
        d = os.path.join(r.choice(dirs), b"dir%d" % i)
        os.mkdir(d)
        dirs.append(d)
    files = []

    def name(i):
        kind = r.randint(0, 9)
        if kind == 0:
            return (b"L%d_" % i) + b"n" * (255 - len(b"L%d_" % i))  # the longest name
        if kind == 1:
            return b"bad\xff\xfe%d\x80" % i  # not UTF-8
        if kind == 2:
            return ("ünï%d-日本" % i).encode()
        if kind == 3:
            return b"sp ace\ttab%d" % i
        return b"f%d" % i

    def path(i):
        return os.path.join(r.choice(dirs), name(i))

    for i in range(r.randint(25, 45)):
        p = path(i)
        if os.path.lexists(p):
            continue
        kind = r.randint(0, 5)
        if kind == 0:
            size = 0
        elif kind == 1:
            size = r.choice(boundaries) + r.choice((-1, 0, 1, 513, -bsize + 7))
        elif kind == 2:
            size = r.randint(1, bsize * 3)  # fragment tails
        else:
            size = r.randint(1, 5000)
        size = max(0, min(size, 8 << 20))
        with open(p, "wb") as f:
            f.write(r.randbytes(size))
        files.append(p)
    for i in range(r.randint(4, 10)):
        p = path(1000 + i)
        if os.path.lexists(p):
            continue
        n = r.choice((1, maxlink - 1, maxlink, maxlink + 1, r.randint(1, 1023)))
        os.symlink(bytes(r.choice(b"abcxyz/._-\xc3\xff") for _ in range(n)), p)
    for i in range(r.randint(2, 5)):
        if not files:
            break
        p = path(2000 + i)
        if not os.path.lexists(p):
            os.link(r.choice(files), p)
    for i in range(r.randint(1, 3)):
        p = path(3000 + i)
        if not os.path.lexists(p):
            os.mkfifo(p)
    every = []
    for dp, dns, fns in os.walk(top):
        every += [os.path.join(dp, n) for n in dns + fns]
    for p in every:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            continue
        if stat.S_ISDIR(st.st_mode):
            mode = r.choice((0o755, 0o700, 0o1777, 0o2755, 0o555))
        else:
            mode = r.choice((0o644, 0o600, 0o4755, 0o2711, 0o1644, 0o000, 0o7777, 0o444))
        os.chmod(p, mode)
        os.chown(p, r.choice((0, 1, 1000, 65534, 4242)), r.choice((0, 5, 100, 65534)))
    for p in sorted(every, key=len, reverse=True) + [top]:
        t = r.choice((-86400 * 365 * 30, -1, 0, 1, 1234567890, 2147483647, r.randint(-2**31, 2**31 - 1)))
        os.utime(p, (t, t), follow_symlinks=False)


def describe(top):
    top = os.fsencode(top)
    out = sys.stdout.buffer
    for dp, dns, fns in os.walk(top):
        for n in sorted(dns + fns):
            p = os.path.join(dp, n)
            st = os.lstat(p)
            rel = b"/" + os.path.relpath(p, top)
            m = st.st_mode
            kind = ("dir" if stat.S_ISDIR(m) else "file" if stat.S_ISREG(m) else "symlink" if stat.S_ISLNK(m)
                    else "fifo" if stat.S_ISFIFO(m) else "chr" if stat.S_ISCHR(m) else "blk" if stat.S_ISBLK(m)
                    else "other")
            sha = target = "-"
            if kind == "file":
                with open(p, "rb") as f:
                    sha = hashlib.sha256(f.read()).hexdigest()
            if kind == "symlink":
                target = os.readlink(p).hex()
            fields = [rel.hex(), kind, "%o" % stat.S_IMODE(m), str(st.st_uid), str(st.st_gid),
                      str(st.st_size), str(st.st_mtime_ns // 1000000000), str(st.st_ino), str(st.st_nlink), sha, target]
            out.write(("\t".join(fields) + "\n").encode())


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        describe(sys.argv[2])
