package org.rumpmount.fs.ffs;

import java.util.HashMap;
import java.util.Map;
import org.rumpmount.vfs.Name;

/**
 * An in-memory name index of one directory, in the spirit of NetBSD's ufs_dirhash: built by
 * one scan on the first lookup of a large directory (or on a later one of a small directory
 * that is looked up in often), then each lookup is a hash probe instead of a scan.
 * The write side updates it as it enters, removes and rewrites entries.
 */
final class DirHash {
    /** Directories smaller than this are scanned (ufs_dirhashmindirsize). */
    static final long MIN_DIR_SIZE = 2560;
    /**
     * A smaller directory gets an index too once this many lookups have scanned it. NetBSD
     * answers such repeats from its name cache, which this kernel lacks; without either, listing
     * a tree with full paths scans every parent directory once per entry.
     */
    static final int SMALL_DIR_SCANS = 8;

    private final Map<Name, Long> inodes;

    DirHash(Map<Name, Long> inodes) {
        this.inodes = new HashMap<>(inodes);
    }

    /** The inode number of {@code name}, or -1 when absent. */
    long lookup(Name name) {
        Long ino = inodes.get(name);
        return ino == null ? -1 : ino;
    }

    int size() {
        return inodes.size();
    }

    /** Records a new entry, keeping the first of duplicate names as a scan would. */
    void put(Name name, long ino) {
        inodes.putIfAbsent(name, ino);
    }

    /** Replaces the entry of {@code name}. */
    void replace(Name name, long ino) {
        inodes.put(name, ino);
    }

    void remove(Name name) {
        inodes.remove(name);
    }
}
