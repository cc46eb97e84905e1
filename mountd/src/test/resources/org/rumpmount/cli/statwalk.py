#!/usr/bin/env python3
"""statwalk.py [--no-read] DIR: every entry under DIR (DIR itself as "/") as the host's lstat(2),
readlink(2) and read(2) see it, names as bytes (--no-read: no file contents, sha256 "-").
One line per entry, tab-separated:
    path_hex type mode uid gid nlink size mtime_ns atime_ns ino blocks rdev_major rdev_minor sha256|- target_hex|-
"""
import hashlib
import os
import stat
import sys

read = sys.argv[1] != "--no-read"
top = os.fsencode(sys.argv[-1])
out = sys.stdout.buffer


def describe(p, rel):
    st = os.lstat(p)
    m = st.st_mode
    kind = ("dir" if stat.S_ISDIR(m) else "file" if stat.S_ISREG(m) else "symlink" if stat.S_ISLNK(m)
            else "fifo" if stat.S_ISFIFO(m) else "chr" if stat.S_ISCHR(m) else "blk" if stat.S_ISBLK(m)
            else "sock" if stat.S_ISSOCK(m) else "other")
    sha = target = "-"
    if kind == "file" and read:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        sha = h.hexdigest()
    if kind == "symlink":
        target = os.readlink(p).hex()
    fields = [rel.hex(), kind, "%o" % stat.S_IMODE(m), str(st.st_uid), str(st.st_gid), str(st.st_nlink),
              str(st.st_size), str(st.st_mtime_ns), str(st.st_atime_ns), str(st.st_ino), str(st.st_blocks),
              str(os.major(st.st_rdev)), str(os.minor(st.st_rdev)), sha, target]
    out.write(("\t".join(fields) + "\n").encode())


describe(top, b"/")
for dp, dns, fns in os.walk(top):
    for n in sorted(dns + fns):
        p = os.path.join(dp, n)
        describe(p, b"/" + os.path.relpath(p, top))
