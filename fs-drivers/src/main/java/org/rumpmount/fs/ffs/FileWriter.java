package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Writes a file's bytes (NetBSD's ffs_write): block by block, each given storage by
 * {@link BlockMapWriter} first, the last direct block as a fragment run just large enough for
 * the new end of file. Blocks not written stay holes. Whole blocks that lie one after another
 * on disk go to the device together, one transfer per run (NetBSD's cluster write), without a
 * copy through the buffer cache; parts of blocks are edited in the cache. An error after some bytes were written
 * ends the write with the count so far, as write(2) reports it; the size covers exactly the
 * bytes written.
 */
final class FileWriter {
    private FileWriter() {
    }

    /** The largest size a file may reach on this file system. */
    static long limit(Superblock sb) {
        long max = sb.addressableBytes();
        return sb.maxfilesize > 0 ? Math.min(max, sb.maxfilesize) : max;
    }

    static int write(FfsFileSystem fs, Inode ip, long offset, ByteBuffer src, Credentials cred) throws VfsException {
        Superblock sb = fs.sb;
        int len = src.remaining();
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, ip + ": write at negative offset " + offset);
        }
        if (len == 0) {
            return 0;
        }
        if (offset + len > limit(sb) || offset + len < 0) {
            throw new VfsException(Errno.EFBIG, ip + ": write of " + len + " bytes at " + offset
                    + " passes the file size limit of " + limit(sb) + " bytes");
        }
        Dinode d = ip.din;
        int base = src.position();
        long sizeBefore = d.size;
        // Bytes written so far, then a pending run of whole blocks that lie one after another on
        // disk (allocated, not yet written): the run's first fragment and length.
        int done = 0;
        long runAddr = 0;
        int runLen = 0;
        boolean[] fresh = null;
        BlockMap map = null;
        VfsException failure = null;
        while (done + runLen < len) {
            long pos = offset + done + runLen;
            long lbn = pos >> sb.bshift;
            int inBlock = (int) (pos & (sb.bsize - 1));
            int n = Math.min(len - done - runLen, sb.bsize - inBlock);
            long newSize = Math.max(d.size, pos + n);
            int nsize = lbn < Dinode.NDADDR && ((newSize - 1) >> sb.bshift) == lbn
                    ? (int) sb.fragroundup(newSize - (lbn << sb.bshift)) : sb.bsize;
            boolean whole = inBlock == 0 && n == sb.bsize && nsize == sb.bsize;
            if (!whole && runLen > 0) {
                failure = flush(fs, ip, src, base + done, runAddr, runLen, fresh);
                if (failure != null) {
                    break;
                }
                done += runLen;
                runLen = 0;
                continue;
            }
            long addr;
            boolean isNew = false;
            try {
                if (whole) {
                    // A whole block is written straight to the device with its neighbours, so a
                    // new one is not zeroed first; the map says whether it is new, for the
                    // clean-up should the write fail.
                    if (map == null) {
                        map = new BlockMap(fs.io, sb, ip);
                        fresh = new boolean[len / sb.bsize + 1];
                    }
                    isNew = map.fragAddr(lbn) == 0;
                }
                addr = fs.bmap.balloc(fs, ip, lbn, nsize, cred, whole);
            } catch (VfsException e) {
                failure = e;
                if (runLen > 0) {
                    VfsException more = flush(fs, ip, src, base + done, runAddr, runLen, fresh);
                    if (more == null) {
                        done += runLen;
                    } else {
                        e.addSuppressed(more);
                    }
                    runLen = 0;
                }
                break;
            }
            if (whole) {
                if (runLen > 0 && addr != runAddr + (long) (runLen >> sb.bshift) * sb.frag) {
                    failure = flush(fs, ip, src, base + done, runAddr, runLen, fresh);
                    if (failure != null) {
                        // The block just allocated was not written either.
                        runAddr = addr;
                        runLen = 0;
                        fresh[0] = isNew;
                        failure = zeroFresh(fs, ip, addr, sb.bsize, fresh, failure);
                        break;
                    }
                    done += runLen;
                    runLen = 0;
                }
                if (runLen == 0) {
                    runAddr = addr;
                }
                fresh[runLen >> sb.bshift] = isNew;
                runLen += n;
                // The size covers the block now, as balloc of the next block expects; should
                // the write fail, it is cut back below.
                if (pos + n > d.size) {
                    d.size = pos + n;
                }
                continue;
            }
            int from = base + done;
            fs.io.modify(addr, inBlock + n, false, false, () -> ip + " block " + lbn,
                    (b, o) -> b.put(o + inBlock, src, from, n));
            done += n;
            if (pos + n > d.size) {
                d.size = pos + n;
            }
        }
        if (failure == null && runLen > 0) {
            failure = flush(fs, ip, src, base + done, runAddr, runLen, fresh);
            if (failure == null) {
                done += runLen;
            }
        }
        if (failure != null) {
            // Nothing past the bytes written may stay: promoting a fragment tail or allocating
            // the blocks of a run that failed may have grown the file.
            long want = Math.max(sizeBefore, offset + done);
            if (d.size > want) {
                try {
                    fs.truncator.truncate(ip, want, null);
                } catch (VfsException undo) {
                    failure.addSuppressed(undo);
                }
            }
            if (done == 0) {
                throw failure;
            }
        }
        src.position(base + done);
        return done;
    }

    /**
     * Writes the run of {@code len} bytes of whole blocks at fragment {@code addr} from
     * {@code src} at {@code from}; on failure zeroes the run's new blocks, which were not zeroed
     * when allocated, and returns the error (else null).
     */
    private static VfsException flush(FfsFileSystem fs, Inode ip, ByteBuffer src, int from, long addr, int len,
            boolean[] fresh) {
        try {
            fs.io.writeRun(addr, src.slice(from, len), () -> ip + " blocks at fragment " + addr);
            return null;
        } catch (VfsException e) {
            return zeroFresh(fs, ip, addr, len, fresh, e);
        }
    }

    /** Zeroes the new blocks among the {@code len} bytes at {@code addr}, so no old data shows. */
    private static VfsException zeroFresh(FfsFileSystem fs, Inode ip, long addr, int len, boolean[] fresh,
            VfsException failure) {
        Superblock sb = fs.sb;
        for (int k = 0; k < len >> sb.bshift; k++) {
            if (fresh[k]) {
                try {
                    fs.io.zero(addr + (long) k * sb.frag, 0, sb.bsize, ip + " new block");
                } catch (VfsException e) {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
