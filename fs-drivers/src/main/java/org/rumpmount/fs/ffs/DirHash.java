package org.rumpmount.fs.ffs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.vfs.Name;

/**
 * An in-memory index of one directory, in the spirit of NetBSD's ufs_dirhash: built by one scan
 * on the first lookup of a large directory (or on a later one of a small directory that is
 * looked up in often), then each lookup is a hash probe instead of a scan. Beside the inode of
 * each name it keeps the {@link DirectoryBlock#DIRBLKSIZ}-byte chunk the name's record lies in
 * (records never leave their chunk), and per chunk the largest free space of one record and the
 * free space in all, so that adding and removing a name touch one chunk instead of scanning the
 * directory (ufs_dirhash's dh_blkfree). The write side reports every chunk it changes through
 * {@link #chunkChanged}.
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

    private final Map<Name, Long> inodes = new HashMap<>();
    private final Map<Name, Integer> chunkOf = new HashMap<>();
    private int[] largestFree = new int[16];
    private int[] totalFree = new int[16];
    private int chunks;

    /** The inode number of {@code name}, or -1 when absent. */
    long lookup(Name name) {
        Long ino = inodes.get(name);
        return ino == null ? -1 : ino;
    }

    /** The chunk holding the record of {@code name}, or -1 when absent. */
    int chunk(Name name) {
        Integer c = chunkOf.get(name);
        return c == null ? -1 : c;
    }

    int size() {
        return inodes.size();
    }

    /** Records an entry, keeping the first of duplicate names as a scan would. */
    void put(Name name, long ino, int chunk) {
        if (inodes.putIfAbsent(name, ino) == null) {
            chunkOf.put(name, chunk);
        }
    }

    /** Replaces the inode of {@code name}; its record stays where it is. */
    void replace(Name name, long ino) {
        inodes.put(name, ino);
    }

    void remove(Name name) {
        inodes.remove(name);
        chunkOf.remove(name);
    }

    /** The records of chunk {@code chunk} are now {@code entries}: its free space is counted again. */
    void chunkChanged(int chunk, List<DirectoryBlock.Entry> entries) {
        if (chunk >= largestFree.length) {
            int n = Math.max(chunk + 1, largestFree.length * 2);
            largestFree = Arrays.copyOf(largestFree, n);
            totalFree = Arrays.copyOf(totalFree, n);
        }
        int largest = 0;
        int total = 0;
        for (DirectoryBlock.Entry e : entries) {
            int free = e.reclen() - (e.ino() == 0 ? 0 : DirectoryBlock.dirsiz(e.name().length));
            largest = Math.max(largest, free);
            total += free;
        }
        largestFree[chunk] = largest;
        totalFree[chunk] = total;
        chunks = Math.max(chunks, chunk + 1);
    }

    /** The first chunk with one record of at least {@code need} free bytes, or -1. */
    int firstFit(int need) {
        for (int c = 0; c < chunks; c++) {
            if (largestFree[c] >= need) {
                return c;
            }
        }
        return -1;
    }

    /** The first chunk whose free bytes in all come to {@code need}, or -1. */
    int firstCompactable(int need) {
        for (int c = 0; c < chunks; c++) {
            if (totalFree[c] >= need) {
                return c;
            }
        }
        return -1;
    }

    /** The last chunk holding an entry, or -1 (NetBSD's ufsdirhash_enduseful, in chunks). */
    int lastUsedChunk() {
        for (int c = chunks - 1; c >= 0; c--) {
            if (totalFree[c] < DirectoryBlock.DIRBLKSIZ) {
                return c;
            }
        }
        return -1;
    }

    /** The directory now ends after {@code n} chunks; those past it held no entry. */
    void truncate(int n) {
        for (int c = n; c < chunks; c++) {
            largestFree[c] = 0;
            totalFree[c] = 0;
        }
        chunks = Math.min(chunks, n);
    }

    /** The names indexed, for checks against the directory itself. */
    java.util.Set<Name> names() {
        return java.util.Collections.unmodifiableSet(inodes.keySet());
    }

    /** The largest free space of one record of chunk {@code chunk}. */
    int largestFree(int chunk) {
        return largestFree[chunk];
    }

    /** The free bytes of chunk {@code chunk} in all. */
    int totalFree(int chunk) {
        return totalFree[chunk];
    }

    /** The chunks counted so far. */
    int chunks() {
        return chunks;
    }
}
