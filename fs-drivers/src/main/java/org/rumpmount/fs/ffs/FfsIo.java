package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.Buf;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * The driver's only path to the device: every read of metadata or data after the superblock
 * goes through the kernel's buffer cache here.
 *
 * <p>The cache does not reconcile buffers that overlap, so this class caches in one shape only:
 * whole file system blocks at block-aligned fragment addresses (the last block of the volume may
 * be short). A request for any fragment run is served from the one or more blocks covering it.
 * One buffer is held at a time and released before the next is taken, so no lock order among
 * buffers arises. Addresses are checked against the file system's size before the cache is
 * asked, because every address comes from a possibly hostile image.
 */
final class FfsIo {
    private final BlockDevice dev;
    private final Superblock sb;
    private final BufferCache cache;
    /**
     * NetBSD's MNT_ASYNC: the writes that order metadata for crash safety are delayed like any
     * other, for a volume whose whole content is thrown away if the writer dies (makefs).
     */
    private volatile boolean async;

    FfsIo(BlockDevice dev, Superblock sb, BufferCache cache) {
        this.dev = dev;
        this.sb = sb;
        this.cache = cache;
    }

    BlockDevice device() {
        return dev;
    }

    void setAsync(boolean async) {
        this.async = async;
    }

    /**
     * Reads {@code size} bytes starting at fragment {@code fragAddr}, in the file system's byte
     * order, into a buffer of the caller's own. {@code what} names the structure for error
     * messages ("inode 7 indirect block").
     */
    ByteBuffer readFrags(long fragAddr, int size, String what) throws VfsException {
        return readFrags(fragAddr, size, () -> what);
    }

    /** {@link #readFrags(long, int, String)}, naming the structure only if the read fails. */
    ByteBuffer readFrags(long fragAddr, int size, Supplier<String> what) throws VfsException {
        byte[] out = new byte[size];
        readInto(fragAddr, size, 0, ByteBuffer.wrap(out), what);
        return ByteBuffer.wrap(out).order(sb.order);
    }

    /**
     * Copies {@code count} block pointers, from slot {@code slot} on, of the indirect block at
     * fragment {@code fragAddr} into {@code out}, straight from the cached block (no copy of the
     * whole block); returns the first. The pointers are not checked: the caller checks each one
     * it uses.
     */
    long readPointers(long fragAddr, int slot, long[] out, int count, Supplier<String> what) throws VfsException {
        int width = sb.ufs2 ? 8 : 4;
        long frags = sb.frag;
        if (fragAddr < 0 || slot < 0 || count < 1 || count > out.length || slot > sb.nindir - count
                || fragAddr > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what.get() + " at fragment " + fragAddr + " (slots "
                    + slot + " to " + (slot + count - 1L) + ") lies outside the file system of " + sb.totalFrags()
                    + " fragments");
        }
        long pos = fragAddr * sb.fsize + (long) slot * width;
        int done = 0;
        while (done < count) {
            long blockFrag = (pos / sb.fsize) & ~((long) sb.frag - 1);
            long blockStart = blockFrag * sb.fsize;
            int blockBytes = (int) Math.min(sb.bsize, (sb.totalFrags() - blockFrag) * sb.fsize);
            int from = (int) (pos - blockStart);
            int n = Math.min(count - done, (blockBytes - from) / width);
            Buf bp = bread(blockStart, blockBytes, fragAddr, what);
            try {
                ByteBuffer b = bp.data().order(sb.order);
                for (int i = 0; i < n; i++) {
                    out[done + i] = width == 8 ? b.getLong(from + i * 8) : b.getInt(from + i * 4);
                }
            } finally {
                bp.brelse();
            }
            done += n;
            pos += (long) n * width;
        }
        return out[0];
    }

    /**
     * Copies bytes {@code [skip, skip + dst.remaining())} of the {@code size}-byte fragment run at
     * {@code fragAddr} straight from the cached blocks into {@code dst}, advancing it. For file
     * data, where an intermediate copy per block and a message built per block (not per error)
     * would cost more than the copy itself. {@code what} is asked only when there is an error.
     */
    void readInto(long fragAddr, int size, int skip, ByteBuffer dst, Supplier<String> what) throws VfsException {
        long frags = (size + sb.fsize - 1L) / sb.fsize;
        int want = dst.remaining();
        if (fragAddr < 0 || size < 0 || skip < 0 || want > size - skip || fragAddr > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what.get() + " at fragment " + fragAddr + " (" + size
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        long pos = fragAddr * sb.fsize + skip;
        long end = pos + want;
        while (pos < end) {
            pos += copyCached(pos, end, dst, fragAddr, what);
        }
    }

    /**
     * Copies the bytes from byte {@code pos} of the device up to {@code end} or the end of the
     * block holding {@code pos}, whichever comes first, from that block's buffer into
     * {@code dst}; returns the count.
     */
    private int copyCached(long pos, long end, ByteBuffer dst, long fragAddr, Supplier<String> what)
            throws VfsException {
        long blockFrag = (pos / sb.fsize) & ~((long) sb.frag - 1);
        long blockStart = blockFrag * sb.fsize;
        int blockBytes = (int) Math.min(sb.bsize, (sb.totalFrags() - blockFrag) * sb.fsize);
        int from = (int) (pos - blockStart);
        int n = (int) Math.min(end - pos, blockBytes - from);
        Buf bp = bread(blockStart, blockBytes, fragAddr, what);
        try {
            dst.put(bp.data().limit(from + n).position(from));
        } finally {
            bp.brelse();
        }
        return n;
    }

    /** The cached block of {@code blockBytes} at byte {@code blockStart}, read for {@code what} at {@code fragAddr}. */
    private Buf bread(long blockStart, int blockBytes, long fragAddr, Supplier<String> what) throws VfsException {
        try {
            return cache.bread(dev, blockStart, blockBytes);
        } catch (VfsException e) {
            throw new VfsException(e.errno(), "reading " + what.get() + " at fragment " + fragAddr + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what.get() + " at fragment " + fragAddr
                    + " (block at byte offset " + blockStart + ") failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code len} bytes starting {@code byteOff} bytes into fragment {@code fragAddr}, file
     * data in blocks that lie one after another on disk, into {@code dst} (NetBSD's cluster
     * read): blocks the cache holds are copied from it, since a delayed write there is newer than
     * the device; the rest come straight from the device, one transfer for each stretch between
     * cached blocks, without passing through (or pushing metadata out of) the cache. File data
     * gets into the cache only through writes smaller than a block, and is written only with the
     * file locked exclusive, so while the caller holds the file locked no other thread can cache
     * the blocks this found uncached.
     */
    void readRun(long fragAddr, int byteOff, int len, ByteBuffer dst, Supplier<String> what) throws VfsException {
        long start = checkRun(fragAddr, byteOff, len, what);
        long pos = start;
        long end = start + len;
        while (pos < end) {
            long cached = cache.firstCached(dev, pos, end);
            long stop = cached < 0 ? end : Math.max(pos, cached);
            if (stop > pos) {
                transfer(false, pos, dst.slice(dst.position(), (int) (stop - pos)), fragAddr, what);
                dst.position(dst.position() + (int) (stop - pos));
                pos = stop;
            }
            if (cached >= 0) {
                pos += copyCached(pos, end, dst, fragAddr, what);
            }
        }
    }

    /**
     * Writes the whole blocks in {@code src} (all its remaining bytes) at block-aligned fragment
     * {@code fragAddr}, blocks that lie one after another on disk (NetBSD's cluster write): a
     * block the cache holds is changed there, so that the cache never keeps bytes older than the
     * device's; the rest go straight to the device, one transfer for each stretch between cached
     * blocks. The caller holds the file locked exclusive (see {@link #readRun}). On an error some
     * of the blocks may have been written.
     */
    void writeRun(long fragAddr, ByteBuffer src, Supplier<String> what) throws VfsException {
        int len = src.remaining();
        if ((fragAddr & (sb.frag - 1)) != 0 || len % sb.bsize != 0) {
            throw new IllegalArgumentException(what.get() + ": " + len + " bytes at fragment " + fragAddr
                    + " are not whole blocks");
        }
        writeAround(fragAddr, src, what);
    }

    /**
     * Writes all of {@code src} at fragment {@code fragAddr}, any number of fragments across any
     * number of blocks: the bytes of blocks the cache holds are changed there (a cached copy may
     * be written back later, and must not carry older bytes over these), the rest go straight to
     * the device, one transfer for each stretch between cached blocks.
     */
    void writeAround(long fragAddr, ByteBuffer src, Supplier<String> what) throws VfsException {
        int len = src.remaining();
        long start = checkRun(fragAddr, 0, len, what);
        long pos = start;
        long end = start + len;
        int base = src.position();
        while (pos < end) {
            long cached = cache.firstCached(dev, pos, end);
            long stop = cached < 0 ? end : Math.max(pos, cached);
            if (stop > pos) {
                transfer(true, pos, src.slice(base + (int) (pos - start), (int) (stop - pos)), fragAddr, what);
                pos = stop;
            }
            if (cached >= 0) {
                long blockStart = pos - pos % sb.bsize;
                int at = base + (int) (pos - start);
                int count = (int) (Math.min(end, blockStart + sb.bsize) - pos);
                // overwrite: a whole block is replaced without reading it first (modify reads a part block).
                modify(pos / sb.fsize, count, false, true, what, (b, o) -> b.put(o, src, at, count));
                pos += count;
            }
        }
        src.position(base + len);
    }

    private long checkRun(long fragAddr, int byteOff, int len, Supplier<String> what) throws VfsException {
        long start = fragAddr * sb.fsize + byteOff;
        long limit = sb.totalFrags() * sb.fsize;
        if (fragAddr < 0 || byteOff < 0 || len < 0 || fragAddr >= sb.totalFrags() || start > limit - len) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what.get() + " at fragment " + fragAddr + " (" + len
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        return start;
    }

    /** One device transfer of all of {@code buf} at byte {@code pos}, past the cache. */
    private void transfer(boolean write, long pos, ByteBuffer buf, long fragAddr, Supplier<String> what)
            throws VfsException {
        String op = write ? "writing " : "reading ";
        try {
            if (write) {
                dev.write(pos, buf);
            } else {
                dev.read(pos, buf);
            }
        } catch (VfsException e) {
            throw new VfsException(e.errno(), op + what.get() + " at fragment " + fragAddr + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + op + what.get() + " at fragment " + fragAddr
                    + " (byte offset " + pos + ", " + buf.remaining() + " bytes) failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code len} bytes starting {@code byteOff} bytes into fragment {@code fragAddr}
     * straight from the device into {@code dst}, past the buffer cache: one transfer for a run of
     * blocks that lie one after another on disk, with no copy through a cached block. Only for a
     * mount that never writes, where the device and the cache cannot disagree; and only for file
     * data, which nothing else reads through the cache, so large reads do not push the metadata
     * out of it.
     */
    void readUncached(long fragAddr, int byteOff, int len, ByteBuffer dst, Supplier<String> what) throws VfsException {
        long start = fragAddr * sb.fsize + byteOff;
        long limit = sb.totalFrags() * sb.fsize;
        if (fragAddr < 0 || byteOff < 0 || len < 0 || fragAddr >= sb.totalFrags() || start > limit - len) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what.get() + " at fragment " + fragAddr + " (" + len
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        ByteBuffer part = dst.slice(dst.position(), len);
        try {
            dev.read(start, part);
        } catch (VfsException e) {
            throw new VfsException(e.errno(), "reading " + what.get() + " at fragment " + fragAddr + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what.get() + " at fragment " + fragAddr
                    + " (byte offset " + start + ", " + len + " bytes) failed: " + e.getMessage(), e);
        }
        dst.position(dst.position() + len);
    }

    /** An edit of bytes inside one cached block, made while the block's buffer is held. */
    @FunctionalInterface
    interface Edit {
        /** Changes {@code block} (in the file system's byte order) from byte {@code off} on. */
        void apply(ByteBuffer block, int off) throws VfsException;
    }

    /**
     * Edits the {@code len} bytes at fragment {@code fragAddr}, which must lie inside one file
     * system block, while holding that block's buffer, so that two edits of one block (two
     * inodes of one inode block) cannot lose each other. With {@code sync} the block is written
     * before returning (bwrite; unless the mount is async), else it is a delayed write. {@code overwrite} says the edit
     * replaces every byte of a whole block, so there is nothing to read first.
     */
    void modify(long fragAddr, int len, boolean sync, boolean overwrite, String what, Edit edit) throws VfsException {
        modify(fragAddr, len, sync, overwrite, () -> what, edit);
    }

    /** As {@link #modify(long, int, boolean, boolean, String, Edit)}, the name asked for only on an error. */
    void modify(long fragAddr, int len, boolean sync, boolean overwrite, Supplier<String> what, Edit edit)
            throws VfsException {
        long frags = (len + sb.fsize - 1L) / sb.fsize;
        if (fragAddr < 0 || len <= 0 || fragAddr > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what.get() + " at fragment " + fragAddr + " (" + len
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        long blockFrag = fragAddr & ~((long) sb.frag - 1);
        long blockStart = blockFrag * sb.fsize;
        int blockBytes = (int) Math.min(sb.bsize, (sb.totalFrags() - blockFrag) * sb.fsize);
        int from = (int) ((fragAddr - blockFrag) * sb.fsize);
        if (from + len > blockBytes) {
            throw new IllegalArgumentException(what.get() + ": " + len + " bytes at fragment " + fragAddr
                    + " cross a block boundary");
        }
        Buf bp;
        try {
            bp = overwrite && from == 0 && len == blockBytes
                    ? cache.getblk(dev, blockStart, blockBytes) : cache.bread(dev, blockStart, blockBytes);
        } catch (VfsException e) {
            throw new VfsException(e.errno(), "reading " + what.get() + " at fragment " + fragAddr + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what.get() + " at fragment " + fragAddr
                    + " (block at byte offset " + blockStart + ") failed: " + e.getMessage(), e);
        }
        boolean released = false;
        try {
            edit.apply(bp.data().order(sb.order), from);
            released = true;
            if (sync && !async) {
                bp.bwrite();
            } else {
                bp.bdwrite();
            }
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": writing " + what.get() + " at fragment " + fragAddr
                    + " (block at byte offset " + blockStart + ") failed: " + e.getMessage(), e);
        } finally {
            if (!released) {
                bp.brelse();
            }
        }
    }

    /** Writes {@code len} bytes of {@code src} from {@code off} at fragment {@code fragAddr}, across blocks. */
    void writeFrags(long fragAddr, byte[] src, int off, int len, boolean sync, String what) throws VfsException {
        long pos = fragAddr * sb.fsize;
        int done = 0;
        while (done < len) {
            long frag = pos / sb.fsize;
            long blockFrag = frag & ~((long) sb.frag - 1);
            long blockEnd = (blockFrag + sb.frag) * sb.fsize;
            int n = (int) Math.min(len - done, blockEnd - pos);
            int inFrag = (int) (pos - frag * sb.fsize);
            int at = done;
            boolean whole = inFrag == 0 && frag == blockFrag && n == sb.bsize;
            modify(frag, inFrag + n, sync, whole, what, (b, o) -> b.put(o + inFrag, src, off + at, n));
            done += n;
            pos += n;
        }
    }

    /** Zeroes {@code len} bytes at byte {@code byteOff} of the fragment run at {@code fragAddr} (one block). */
    void zero(long fragAddr, int byteOff, int len, String what) throws VfsException {
        if (len <= 0) {
            return;
        }
        boolean whole = byteOff == 0 && len == sb.bsize && (fragAddr & (sb.frag - 1)) == 0;
        modify(fragAddr, byteOff + len, false, whole, what, (b, o) -> b.put(o + byteOff, ZEROS, 0, len));
    }

    /** Zeros to copy from: no zeroed range is longer than the largest block (MAXBSIZE). */
    private static final byte[] ZEROS = new byte[SuperblockValidator.MAXBSIZE];

    /**
     * Zeros {@code len} bytes at fragment {@code fragAddr} in a block whose other fragments are
     * all free. A block the cache does not hold is not read: nothing in it is in use, so a
     * buffer of zeros stands for it (and writes zeros over its free fragments).
     */
    void zeroInFreeBlock(long fragAddr, int len, String what) throws VfsException {
        long blockFrag = fragAddr & ~((long) sb.frag - 1);
        long blockStart = blockFrag * sb.fsize;
        int blockBytes = (int) Math.min(sb.bsize, (sb.totalFrags() - blockFrag) * sb.fsize);
        int from = (int) ((fragAddr - blockFrag) * sb.fsize);
        if (fragAddr < 0 || len <= 0 || from + len > blockBytes) {
            throw new IllegalArgumentException(what + ": " + len + " bytes at fragment " + fragAddr
                    + " are not inside one block");
        }
        Buf bp;
        try {
            bp = cache.getblk(dev, blockStart, blockBytes);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at fragment " + fragAddr
                    + " (block at byte offset " + blockStart + "): " + e.getMessage(), e);
        }
        if (bp.isValid()) {
            bp.data().put(from, ZEROS, 0, len);
        }
        bp.bdwrite();
    }

    /**
     * Writes the superblock straight to the device at {@code offset} and flushes it. The
     * superblock area is never cached (reads of it are uncached too), so this cannot alias a
     * buffer.
     */
    void writeSuperblock(long offset, byte[] image) throws VfsException {
        try {
            dev.write(offset, ByteBuffer.wrap(image));
            dev.flush();
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": writing the superblock at byte offset " + offset
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes back every delayed write of this device and flushes it. */
    void syncCache() throws VfsException {
        try {
            cache.sync(dev);
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": writing back buffers failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads raw bytes at a byte offset straight from the device: for the superblock, before the
     * geometry is known and outside any mount. Read-only mounts never write, so these uncached
     * reads cannot disagree with the cache.
     */
    static ByteBuffer readBytes(BlockDevice dev, long offset, int size, String what) throws VfsException {
        if (offset < 0 || size < 0 || offset > dev.size() - size) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at byte offset " + offset + " (" + size
                    + " bytes) lies beyond the end of the device (" + dev.size() + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        try {
            dev.read(offset, b);
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what + " at byte offset " + offset + " ("
                    + size + " bytes) failed: " + e.getMessage(), e);
        }
        b.flip();
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
