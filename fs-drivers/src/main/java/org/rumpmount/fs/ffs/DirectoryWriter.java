package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VfsException;

/**
 * Changes directory contents (NetBSD's ufs_direnter, ufs_dirremove, ufs_dirrewrite, and the
 * new-directory template of ufs_mkdir). Entries never move while a free slot will do: a new
 * name goes into the slack of an existing record; only when no record has room but one chunk's
 * scattered free space suffices is that chunk compacted; else the directory grows by one
 * {@link DirectoryBlock#DIRBLKSIZ} chunk. A removed entry's space joins the record before it,
 * or, first in its chunk, the entry is marked free (d_ino 0).
 *
 * <p>Every change is written to the device before the call returns, as NetBSD does without soft
 * dependencies or a log (ufs_direnter, ufs_dirremove and ufs_dirrewrite end in a synchronous
 * write; ufs_mkdir writes the new directory's body before its name is entered). The callers'
 * ordering rests on it: an entry is on the disk before a link count that no longer counts it
 * drops or its inode is freed, and a directory's body before any inode points at it.
 */
final class DirectoryWriter {
    private static final int CHUNK = DirectoryBlock.DIRBLKSIZ;

    private final FfsFileSystem fs;
    private final Superblock sb;

    DirectoryWriter(FfsFileSystem fs) {
        this.fs = fs;
        this.sb = fs.sb;
    }

    /** Receives one chunk: where it lives and its records; returns true to stop. */
    @FunctionalInterface
    private interface ChunkVisitor {
        boolean visit(long addr, int offInBlock, List<DirectoryBlock.Entry> entries, long chunkOffset)
                throws VfsException;
    }

    private void chunks(Inode dir, ChunkVisitor v) throws VfsException {
        long size = dir.size();
        BlockMap map = new BlockMap(fs.io, sb, dir);
        for (long blockStart = 0; blockStart < size; blockStart += sb.bsize) {
            long lbn = blockStart >> sb.bshift;
            int blk = sb.blksize(size, lbn);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                throw new VfsException(Errno.EIO, "directory inode " + dir.number + " has a hole at logical block " + lbn);
            }
            ByteBuffer b = fs.io.readFrags(addr, blk, "directory inode " + dir.number + " logical block " + lbn);
            int end = (int) Math.min(blk, size - blockStart);
            for (int off = 0; off + CHUNK <= end; off += CHUNK) {
                List<DirectoryBlock.Entry> es = DirectoryBlock.decode(b, off, false, dir.number, blockStart + off,
                        sb.inodeCount());
                if (v.visit(addr, off, es, blockStart + off)) {
                    return;
                }
            }
        }
    }

    private void writeRecord(long addr, int offInBlock, int at, long ino, int reclen, int type, byte[] name)
            throws VfsException {
        fs.io.modify(addr, offInBlock + CHUNK, true, false, "directory chunk",
                (b, o) -> DirectoryBlock.encode(b, o + offInBlock + at, ino, reclen, type, name, false));
    }

    /**
     * Visits chunk {@code chunk} alone, for the dirhash's fast paths. EIO when the directory does
     * not reach that far or has a hole there.
     */
    private void oneChunk(Inode dir, int chunk, ChunkVisitor v) throws VfsException {
        long chunkOff = (long) chunk * CHUNK;
        long size = dir.size();
        if (chunk < 0 || chunkOff + CHUNK > size) {
            throw new VfsException(Errno.EIO, "directory inode " + dir.number + ": chunk at offset " + chunkOff
                    + " lies past its size " + size);
        }
        long lbn = chunkOff >> sb.bshift;
        long addr = new BlockMap(fs.io, sb, dir).fragAddr(lbn);
        if (addr == 0) {
            throw new VfsException(Errno.EIO, "directory inode " + dir.number + " has a hole at logical block " + lbn);
        }
        int off = (int) (chunkOff - (lbn << sb.bshift));
        int frag = off >> sb.fshift;
        int inFrag = off - (frag << sb.fshift);
        // Copy out just the chunk, naming it only if the read fails.
        byte[] out = new byte[CHUNK];
        fs.io.readInto(addr + frag, inFrag + CHUNK, inFrag, ByteBuffer.wrap(out),
                () -> "directory inode " + dir.number + " chunk at offset " + chunkOff);
        ByteBuffer b = ByteBuffer.wrap(out).order(sb.order);
        v.visit(addr, off, DirectoryBlock.decode(b, 0, false, dir.number, chunkOff, sb.inodeCount()), chunkOff);
    }

    /** Counts the free space of chunk {@code chunk} again after a change. */
    private void recount(Inode dir, DirHash h, int chunk) throws VfsException {
        oneChunk(dir, chunk, (addr, off, es, chunkOff) -> {
            h.chunkChanged(chunk, es);
            return true;
        });
    }

    /**
     * Puts the new record into the first record of the chunk with {@code need} bytes to spare;
     * returns the chunk's records as they are now, or null if none had room.
     */
    private List<DirectoryBlock.Entry> place(long addr, int off, List<DirectoryBlock.Entry> es, long chunkOff, long ino,
            int type, byte[] nb, int need) throws VfsException {
        for (int i = 0; i < es.size(); i++) {
            DirectoryBlock.Entry e = es.get(i);
            int used = e.ino() == 0 ? 0 : DirectoryBlock.dirsiz(e.name().length);
            int free = e.reclen() - used;
            if (free >= need) {
                int at = (int) (e.offset() - chunkOff);
                List<DirectoryBlock.Entry> now = new ArrayList<>(es.size() + 1);
                now.addAll(es.subList(0, i));
                if (e.ino() == 0) {
                    writeRecord(addr, off, at, ino, e.reclen(), type, nb);
                    now.add(new DirectoryBlock.Entry(e.offset(), ino, e.reclen(), type, nb));
                } else {
                    // Both records change in one held buffer, so no reader sees a half-split record.
                    fs.io.modify(addr, off + CHUNK, true, false, "directory chunk", (b, o) -> {
                        DirectoryBlock.encode(b, o + off + at, e.ino(), used, e.type(), e.name(), false);
                        DirectoryBlock.encode(b, o + off + at + used, ino, free, type, nb, false);
                    });
                    now.add(new DirectoryBlock.Entry(e.offset(), e.ino(), used, e.type(), e.name()));
                    now.add(new DirectoryBlock.Entry(e.offset() + used, ino, free, type, nb));
                }
                now.addAll(es.subList(i + 1, es.size()));
                return now;
            }
        }
        return null;
    }

    /**
     * ufs_direnter: adds {@code name} for inode {@code ino}. The caller has checked it is absent.
     * When the name went into free space of an existing chunk and the chunks at the end of the
     * directory hold no entry, the directory is cut back to its last chunk in use, as NetBSD
     * does with the i_endoff its lookup found (so a directory emptied by removals shrinks again
     * on its next insertion).
     */
    void enter(Inode dir, Name name, long ino, int type, Credentials cred) throws VfsException {
        byte[] nb = name.bytes();
        int need = DirectoryBlock.dirsiz(nb.length);
        DirHash h = dir.dirhash();
        if (h != null) {
            // The same choice as the scan below (first chunk with a record that fits, else the first
            // that fits once compacted, else a new chunk), made from the index.
            int chunk = h.firstFit(need);
            boolean grew = false;
            if (chunk >= 0) {
                List<List<DirectoryBlock.Entry>> placed = new ArrayList<>(1);
                oneChunk(dir, chunk, (addr, off, es, chunkOff) -> {
                    List<DirectoryBlock.Entry> now = place(addr, off, es, chunkOff, ino, type, nb, need);
                    if (now != null) {
                        placed.add(now);
                    }
                    return true;
                });
                if (placed.isEmpty()) {
                    throw new VfsException(Errno.EIO, "directory inode " + dir.number + ": chunk " + chunk
                            + " has no record with " + need + " free bytes, though its index says so");
                }
                // The chunk's records are known without reading it again.
                h.chunkChanged(chunk, placed.get(0));
            } else if ((chunk = h.firstCompactable(need)) >= 0) {
                oneChunk(dir, chunk, (addr, off, es, chunkOff) -> {
                    compact(dir, addr, off, ino, type, nb);
                    return true;
                });
                recount(dir, h, chunk);
            } else {
                chunk = (int) (dir.size() / CHUNK);
                grow(dir, ino, type, nb, cred);
                grew = true;
                recount(dir, h, chunk);
            }
            h.put(name, ino, chunk);
            if (!grew) {
                shrinkTo(dir, (long) (h.lastUsedChunk() + 1) * CHUNK, h);
            }
            return;
        }
        boolean[] done = {false};
        long[] compactAt = {-1, -1, -1};
        long[] endUseful = {0};
        chunks(dir, (addr, off, es, chunkOff) -> {
            // Unlike a lookup, the whole directory is read: the end of its last entry bounds the shrink.
            if (!done[0] && place(addr, off, es, chunkOff, ino, type, nb, need) != null) {
                done[0] = true;
                endUseful[0] = chunkOff + CHUNK;
                return false;
            }
            int total = 0;
            for (DirectoryBlock.Entry e : es) {
                total += e.reclen() - (e.ino() == 0 ? 0 : DirectoryBlock.dirsiz(e.name().length));
            }
            if (total < CHUNK) {
                endUseful[0] = chunkOff + CHUNK;
            }
            if (!done[0] && total >= need && compactAt[0] < 0) {
                compactAt[0] = addr;
                compactAt[1] = off;
                compactAt[2] = chunkOff;
            }
            return false;
        });
        if (!done[0] && compactAt[0] >= 0) {
            compact(dir, compactAt[0], (int) compactAt[1], ino, type, nb);
            endUseful[0] = Math.max(endUseful[0], compactAt[2] + CHUNK);
            done[0] = true;
        }
        if (done[0]) {
            shrinkTo(dir, endUseful[0], null);
        } else {
            grow(dir, ino, type, nb, cred);
        }
    }

    /**
     * Cuts the directory back to {@code end} bytes when it is longer: everything past holds no
     * entry. The new entry is on the disk already; the truncation writes the inode before the
     * freed blocks return to the maps.
     */
    private void shrinkTo(Inode dir, long end, DirHash h) throws VfsException {
        if (end <= 0 || end >= dir.size()) {
            return;
        }
        fs.truncator.truncate(dir, end, null);
        if (h != null) {
            h.truncate((int) (end / CHUNK));
        }
    }

    /** Packs the chunk's live records to its start and puts the new one in the space left at its end. */
    private void compact(Inode dir, long addr, int off, long ino, int type, byte[] nb) throws VfsException {
        fs.io.modify(addr, off + CHUNK, true, false, "directory chunk", (b, o) -> {
            List<DirectoryBlock.Entry> es = DirectoryBlock.decode(b, o + off, false, dir.number, 0, sb.inodeCount());
            int at = 0;
            for (DirectoryBlock.Entry e : es) {
                if (e.ino() != 0) {
                    int len = DirectoryBlock.dirsiz(e.name().length);
                    DirectoryBlock.encode(b, o + off + at, e.ino(), len, e.type(), e.name(), false);
                    at += len;
                }
            }
            DirectoryBlock.encode(b, o + off + at, ino, CHUNK - at, type, nb, false);
        });
    }

    private void grow(Inode dir, long ino, int type, byte[] nb, Credentials cred) throws VfsException {
        long off = dir.size();
        long lbn = off >> sb.bshift;
        int inBlock = (int) (off & (sb.bsize - 1));
        int nsize = lbn < Dinode.NDADDR ? (int) sb.fragroundup(inBlock + CHUNK) : sb.bsize;
        long addr = fs.bmap.balloc(fs, dir, lbn, nsize, cred);
        // The new chunk (and any fragments moved with it) is on the disk before the size that covers it.
        writeRecord(addr, inBlock, 0, ino, CHUNK, type, nb);
        dir.din.size = off + CHUNK;
        fs.writeInode(dir, true);
    }

    /** Writes a new directory's first chunk: "." and "..". */
    void initDirectory(Inode dir, long parentIno, Credentials cred) throws VfsException {
        long addr = fs.bmap.balloc(fs, dir, 0, (int) sb.fragroundup(CHUNK), cred);
        int dot = DirectoryBlock.dirsiz(1);
        fs.io.modify(addr, CHUNK, true, false, "directory inode " + dir.number + " first chunk", (b, o) -> {
            DirectoryBlock.encode(b, o, dir.number, dot, DirectoryBlock.DT_DIR, new byte[] {'.'}, false);
            DirectoryBlock.encode(b, o + dot, parentIno, CHUNK - dot, DirectoryBlock.DT_DIR, new byte[] {'.', '.'},
                    false);
        });
        dir.din.size = CHUNK;
    }

    /** ufs_dirremove: removes {@code name}; returns the inode it named. ENOENT when absent. */
    long remove(Inode dir, Name name) throws VfsException {
        long[] found = {-1, -1};
        // The chunk's records after the change, so that the index need not read it again.
        List<List<DirectoryBlock.Entry>> after = new ArrayList<>(1);
        ChunkVisitor v = (addr, off, es, chunkOff) -> {
            for (int i = 0; i < es.size(); i++) {
                DirectoryBlock.Entry e = es.get(i);
                if (e.ino() != 0 && Name.ofTrusted(e.name()).equals(name)) {
                    List<DirectoryBlock.Entry> now = new ArrayList<>(es);
                    if (i == 0) {
                        writeRecord(addr, off, (int) (e.offset() - chunkOff), 0, e.reclen(), e.type(), e.name());
                        now.set(0, new DirectoryBlock.Entry(e.offset(), 0, e.reclen(), e.type(), e.name()));
                    } else {
                        DirectoryBlock.Entry prev = es.get(i - 1);
                        writeRecord(addr, off, (int) (prev.offset() - chunkOff), prev.ino(), prev.reclen() + e.reclen(),
                                prev.type(), prev.name());
                        now.set(i - 1, new DirectoryBlock.Entry(prev.offset(), prev.ino(), prev.reclen() + e.reclen(),
                                prev.type(), prev.name()));
                        now.remove(i);
                    }
                    found[0] = e.ino();
                    found[1] = chunkOff / CHUNK;
                    after.add(now);
                    return true;
                }
            }
            return false;
        };
        DirHash h = dir.dirhash();
        int chunk = h == null ? -1 : h.chunk(name);
        if (chunk >= 0) {
            oneChunk(dir, chunk, v);
        }
        if (found[0] < 0) {
            chunks(dir, v);
        }
        if (found[0] < 0) {
            throw new VfsException(Errno.ENOENT, name + " not found in directory inode " + dir.number);
        }
        if (h != null) {
            h.remove(name);
            h.chunkChanged((int) found[1], after.get(0));
        }
        return found[0];
    }

    /** ufs_dirrewrite: points the existing entry {@code name} at {@code ino}. */
    void rewrite(Inode dir, Name name, long ino, int type) throws VfsException {
        boolean[] found = {false};
        ChunkVisitor v = (addr, off, es, chunkOff) -> {
            for (DirectoryBlock.Entry e : es) {
                if (e.ino() != 0 && Name.ofTrusted(e.name()).equals(name)) {
                    writeRecord(addr, off, (int) (e.offset() - chunkOff), ino, e.reclen(), type, e.name());
                    found[0] = true;
                    return true;
                }
            }
            return false;
        };
        DirHash h = dir.dirhash();
        int chunk = h == null ? -1 : h.chunk(name);
        if (chunk >= 0) {
            oneChunk(dir, chunk, v);
        }
        if (!found[0]) {
            chunks(dir, v);
        }
        if (!found[0]) {
            throw new VfsException(Errno.ENOENT, name + " not found in directory inode " + dir.number);
        }
        if (h != null) {
            h.replace(name, ino);
        }
    }

    /** Whether the directory holds nothing but "." and "..". */
    boolean isEmpty(Inode dir) throws VfsException {
        boolean[] empty = {true};
        fs.dirs.scan(dir, 0, e -> {
            byte[] n = e.name();
            boolean dots = (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
            if (!dots) {
                empty[0] = false;
                return false;
            }
            return true;
        });
        return empty[0];
    }
}
