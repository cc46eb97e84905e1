#!/usr/bin/env python3
"""Describes a host tree with names as bytes: one line for DIR itself (path "/") and one per entry
under it, tab-separated:
    path_hex type mode uid gid size mtime_ns atime_ns inode nlink sha256|- target_hex|- rdev_major rdev_minor
Every entry is lstat'ed before anything reads or lists it, no symbolic link is followed, and
files are opened with O_NOATIME where the host allows it, so the access times described are the
ones found, not ones this script caused.
"""
import hashlib
import os
import stat
import sys

NOATIME = getattr(os, "O_NOATIME", 0)


def line(p, rel, st):
    m = st.st_mode
    kind = ("dir" if stat.S_ISDIR(m) else "file" if stat.S_ISREG(m) else "symlink" if stat.S_ISLNK(m)
            else "fifo" if stat.S_ISFIFO(m) else "chr" if stat.S_ISCHR(m) else "blk" if stat.S_ISBLK(m)
            else "socket" if stat.S_ISSOCK(m) else "other")
    sha = target = "-"
    if kind == "file":
        h = hashlib.sha256()
        try:
            fd = os.open(p, os.O_RDONLY | NOATIME)
        except PermissionError:
            fd = os.open(p, os.O_RDONLY)
        with os.fdopen(fd, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        sha = h.hexdigest()
    if kind == "symlink":
        target = os.readlink(p).hex()
    dev = st.st_rdev if kind in ("chr", "blk") else 0
    fields = [rel.hex(), kind, "%o" % stat.S_IMODE(m), str(st.st_uid), str(st.st_gid), str(st.st_size),
              str(st.st_mtime_ns), str(st.st_atime_ns), str(st.st_ino), str(st.st_nlink), sha, target,
              str(os.major(dev)), str(os.minor(dev))]
    return ("\t".join(fields) + "\n").encode()


def walk(d, rel, found):
    # lstat alone decides what is a directory: following a symbolic link (as os.walk does to
    # sort its entries) would set the link's access time.
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        r = rel + b"/" + n if rel != b"/" else b"/" + n
        st = os.lstat(p)
        found.append((p, r, st))
        if stat.S_ISDIR(st.st_mode):
            walk(p, r, found)


# Every lstat comes before any read: reading a symbolic link sets its access time, and with it
# that of each other name of the same inode.
top = os.fsencode(sys.argv[1])
found = [(top, b"/", os.lstat(top))]
walk(top, b"/", found)
out = sys.stdout.buffer
for p, r, st in found:
    out.write(line(p, r, st))
