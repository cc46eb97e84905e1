package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VfsException;

/**
 * Walks a directory's records in order, one block at a time, validating each chunk. A
 * directory has no holes in FFS, so a hole is reported as corruption rather than read as
 * zeros (which would also let a corrupt size drive a scan over nothing).
 */
final class DirectoryReader {
    /** Receives the records in use (d_ino != 0); returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(DirectoryBlock.Entry e) throws VfsException;
    }

    private final FfsIo io;
    private final Superblock sb;
    /**
     * Directories of at least this many bytes get a name index on their first lookup; tests set
     * it to 0 to run every directory operation through the index.
     */
    volatile long indexFrom = DirHash.MIN_DIR_SIZE;
    /** A smaller directory gets its index after this many scanning lookups. */
    volatile int indexAfterScans = DirHash.SMALL_DIR_SCANS;
    final DirHashMemory hashMemory;

    DirectoryReader(FfsIo io, Superblock sb, DirHashMemory hashMemory) {
        this.io = io;
        this.sb = sb;
        this.hashMemory = hashMemory;
    }

    /**
     * Visits the records in use from the chunk holding byte {@code from} onwards, skipping records
     * that start before {@code from}.
     */
    void scan(Inode dir, long from, Visitor v) throws VfsException {
        chunks(dir, from & ~(long) (DirectoryBlock.DIRBLKSIZ - 1), (es, chunkOff) -> {
            for (DirectoryBlock.Entry e : es) {
                if (e.ino() != 0 && e.offset() >= from && !v.visit(e)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Receives the decoded records of one chunk (in use or not) and its byte offset; false stops. */
    @FunctionalInterface
    private interface ChunkVisitor {
        boolean visit(List<DirectoryBlock.Entry> es, long chunkOff) throws VfsException;
    }

    /**
     * Decodes the chunks of {@code dir} from byte {@code pos} (chunk-aligned) to its end, one
     * block read at a time, and hands each to {@code v} until it says stop.
     */
    private void chunks(Inode dir, long pos, ChunkVisitor v) throws VfsException {
        long size = dir.size();
        BlockMap map = new BlockMap(io, sb, dir);
        while (pos < size) {
            long lbn = pos >> sb.bshift;
            int blk = sb.blksize(size, lbn);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                throw new VfsException(Errno.EIO, "directory inode " + dir.number + " has a hole at logical block "
                        + lbn + " (offset " + (lbn << sb.bshift) + ")");
            }
            ByteBuffer b = io.readFrags(addr, blk, "directory inode " + dir.number + " logical block " + lbn);
            long blockStart = lbn << sb.bshift;
            int blockEnd = (int) Math.min(blk, size - blockStart);
            for (int off = (int) (pos - blockStart); off + DirectoryBlock.DIRBLKSIZ <= blockEnd;
                    off += DirectoryBlock.DIRBLKSIZ) {
                long chunkOff = blockStart + off;
                if (!v.visit(DirectoryBlock.decode(b, off, sb.oldFormat(), dir.number, chunkOff, sb.inodeCount()),
                        chunkOff)) {
                    return;
                }
            }
            pos = blockStart + blk;
        }
    }

    /** Receives one listed record with the cookie that resumes the listing after it; false stops. */
    @FunctionalInterface
    interface Lister {
        boolean visit(DirectoryBlock.Entry e, long nextCookie) throws VfsException;
    }

    /** Bits of a readdir cookie below its chunk number: the key of the last record listed there. */
    static final int KEY_BITS = 40;
    private static final long KEY_MASK = (1L << KEY_BITS) - 1;
    /** Chunks a cookie can number (directories up to 4 GiB). */
    static final long MAX_CHUNKS = 1L << (63 - KEY_BITS);

    /**
     * A record's place in its chunk's listing order: 2 to 2^40 - 1, from its name alone (so
     * that no cookie but the first is 0, which FUSE reads as the start). A record
     * never leaves its chunk (compaction moves it within, removals and insertions move no other
     * record), so this key stays the same while the record exists, whatever else the chunk goes
     * through.
     */
    static long key(byte[] name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 31;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 29;
        return 2 + Long.remainderUnsigned(h, KEY_MASK - 1);
    }

    /**
     * Lists the records in use from {@code cookie} on (0 is the start): chunk by chunk, and within
     * a chunk in the order of their {@link #key}s. A cookie is the chunk number above
     * {@link #KEY_BITS} bits and, below, the key of the last record listed in that chunk. Byte
     * offsets would not do: an insertion that compacts a chunk moves its records towards the
     * chunk's start, over the offset a paused listing would resume at, which would then skip
     * them. Keys survive that, so a record present throughout a listing is listed exactly once.
     * Should two names of one chunk share a key, the first of them carries the cookie from before
     * both, so a listing stopped between them lists the first again rather than skip the second.
     */
    void list(Inode dir, long cookie, Lister v) throws VfsException {
        long size = dir.size();
        long firstChunk = cookie >>> KEY_BITS;
        long after = cookie & KEY_MASK;
        if (size / DirectoryBlock.DIRBLKSIZ > MAX_CHUNKS) {
            throw new VfsException(Errno.EFBIG, "directory inode " + dir.number + " of " + size
                    + " bytes has more chunks than a readdir cookie can number (" + MAX_CHUNKS + ")");
        }
        chunks(dir, firstChunk * DirectoryBlock.DIRBLKSIZ, (es, chunkOff) -> {
            long chunk = chunkOff / DirectoryBlock.DIRBLKSIZ;
            long floor = chunk == firstChunk ? after : 0;
            int n = 0;
            long[] keys = new long[es.size()];
            DirectoryBlock.Entry[] live = new DirectoryBlock.Entry[es.size()];
            for (DirectoryBlock.Entry e : es) {
                if (e.ino() != 0) {
                    long k = key(e.name());
                    if (k > floor) {
                        keys[n] = k;
                        live[n++] = e;
                    }
                }
            }
            sortByKey(keys, live, n);
            for (int i = 0; i < n; i++) {
                boolean tied = i + 1 < n && keys[i + 1] == keys[i];
                long next = (chunk << KEY_BITS) | (tied ? keys[i] - 1 : keys[i]);
                if (!v.visit(live[i], next)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Insertion sort of at most a chunk's records (42) by key, then name, so ties list alike every time. */
    private static void sortByKey(long[] keys, DirectoryBlock.Entry[] es, int n) {
        for (int i = 1; i < n; i++) {
            long k = keys[i];
            DirectoryBlock.Entry e = es[i];
            int j = i - 1;
            while (j >= 0 && (keys[j] > k || keys[j] == k && java.util.Arrays.compare(es[j].name(), e.name()) > 0)) {
                keys[j + 1] = keys[j];
                es[j + 1] = es[j];
                j--;
            }
            keys[j + 1] = k;
            es[j + 1] = e;
        }
    }

    /** The index of {@code dir}: every name with its chunk, and every chunk's free space. */
    DirHash build(Inode dir) throws VfsException {
        DirHash h = new DirHash();
        chunks(dir, 0, (es, chunkOff) -> {
            int chunk = (int) (chunkOff / DirectoryBlock.DIRBLKSIZ);
            for (DirectoryBlock.Entry e : es) {
                if (e.ino() != 0) {
                    h.put(Name.ofTrusted(e.name()), e.ino(), chunk);
                }
            }
            h.chunkChanged(chunk, es);
            return true;
        });
        return h;
    }

    /** The inode number of {@code name} in {@code dir}, or -1; uses and builds the dirhash. */
    long lookup(Inode dir, Name name) throws VfsException {
        DirHash h = dir.dirhash();
        if (h == null && (dir.size() >= indexFrom || dir.countScan() > indexAfterScans)
                && hashMemory.fits(dir.size())) {
            h = build(dir);
            dir.setDirhash(h);
        }
        if (h != null) {
            hashMemory.used(dir);
            return h.lookup(name);
        }
        long[] found = {-1};
        byte[] want = name.bytes();
        scan(dir, 0, e -> {
            if (java.util.Arrays.equals(e.name(), want)) {
                found[0] = e.ino();
                return false;
            }
            return true;
        });
        return found[0];
    }
}
