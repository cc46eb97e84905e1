#!/usr/bin/env python3
"""Describes a host tree with names as bytes: one line per entry under DIR, tab-separated:
    path_hex type mode uid gid size mtime inode nlink sha256|- target_hex|-
"""
import hashlib
import os
import stat
import sys

top = os.fsencode(sys.argv[1])
out = sys.stdout.buffer
for dp, dns, fns in os.walk(top):
    for n in sorted(dns + fns):
        p = os.path.join(dp, n)
        st = os.lstat(p)
        m = st.st_mode
        kind = ("dir" if stat.S_ISDIR(m) else "file" if stat.S_ISREG(m) else "symlink" if stat.S_ISLNK(m)
                else "fifo" if stat.S_ISFIFO(m) else "chr" if stat.S_ISCHR(m) else "blk" if stat.S_ISBLK(m)
                else "other")
        sha = target = "-"
        if kind == "file":
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            sha = h.hexdigest()
        if kind == "symlink":
            target = os.readlink(p).hex()
        rel = b"/" + os.path.relpath(p, top)
        fields = [rel.hex(), kind, "%o" % stat.S_IMODE(m), str(st.st_uid), str(st.st_gid), str(st.st_size),
                  str(st.st_mtime_ns // 1000000000), str(st.st_ino), str(st.st_nlink), sha, target]
        out.write(("\t".join(fields) + "\n").encode())
