package org.rumpmount.fs.tmpfs;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.rumpmount.vfs.Name;

/**
 * The entries of a directory, found by name and listed in order of their sequence numbers.
 *
 * <p>Readdir cookies: 0 is ".", 1 is "..", and an entry's cookie is its sequence number, handed
 * out from a counter that only grows. Listing from a cookie returns the entries whose numbers are
 * at least that cookie, so an entry present throughout a listing is seen exactly once however
 * many others come and go.
 *
 * <p>Guarded by the directory's vnode lock, except {@link #parent}, which changes only under the
 * mount's rename lock and may be read by the rename checks walking up the tree.
 */
final class TmpfsDirectory {
    static final long COOKIE_DOT = 0;
    static final long COOKIE_DOTDOT = 1;
    static final long FIRST_SEQ = 2;

    /** Bytes of directory size per entry: NetBSD's sizeof(struct tmpfs_dirent) on a 64-bit host. */
    static final long DIRENT_SIZE = 40;

    private final Map<Name, TmpfsDirent> byName = new HashMap<>();
    private final TreeMap<Long, TmpfsDirent> bySeq = new TreeMap<>();
    private long nextSeq = FIRST_SEQ;
    private volatile TmpfsNode parent;

    TmpfsDirectory(TmpfsNode parent) {
        this.parent = parent;
    }

    /** The directory ".." names: the root's is itself. */
    TmpfsNode parent() {
        return parent;
    }

    void setParent(TmpfsNode parent) {
        this.parent = parent;
    }

    TmpfsDirent lookup(Name name) {
        return byName.get(name);
    }

    /** Adds an entry at the end of the listing order. The caller has checked the name is free. */
    TmpfsDirent add(Name name, TmpfsNode node) {
        TmpfsDirent de = new TmpfsDirent(name, node, nextSeq++);
        if (byName.putIfAbsent(name, de) != null) {
            throw new IllegalStateException("tmpfs: entry " + name + " added twice");
        }
        bySeq.put(de.seq(), de);
        return de;
    }

    void remove(TmpfsDirent de) {
        byName.remove(de.name(), de);
        bySeq.remove(de.seq(), de);
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    int count() {
        return byName.size();
    }

    /** The directory's size as stat reports it. */
    long size() {
        return byName.size() * DIRENT_SIZE;
    }

    /** Entries whose cookie is at least {@code cookie}, in listing order. */
    Collection<TmpfsDirent> from(long cookie) {
        return bySeq.tailMap(Math.max(cookie, FIRST_SEQ), true).values();
    }
}
