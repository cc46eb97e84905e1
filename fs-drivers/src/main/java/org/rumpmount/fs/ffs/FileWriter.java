package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Writes a file's bytes (NetBSD's ffs_write): block by block, each given storage by
 * {@link BlockMapWriter} first, the last direct block as a fragment run just large enough for
 * the new end of file. Blocks not written stay holes. An error after some bytes were written
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
        int done = 0;
        long pos = offset;
        while (done < len) {
            long lbn = pos >> sb.bshift;
            int inBlock = (int) (pos & (sb.bsize - 1));
            int n = Math.min(len - done, sb.bsize - inBlock);
            long newSize = Math.max(d.size, pos + n);
            int nsize = lbn < Dinode.NDADDR && ((newSize - 1) >> sb.bshift) == lbn
                    ? (int) sb.fragroundup(newSize - (lbn << sb.bshift)) : sb.bsize;
            long addr;
            try {
                addr = fs.bmap.balloc(fs, ip, lbn, nsize, cred);
            } catch (VfsException e) {
                // Promoting a fragment tail may have grown the file before the allocation that
                // failed; a failed write must not change the size beyond what it wrote.
                long want = Math.max(sizeBefore, offset + done);
                if (d.size > want) {
                    try {
                        fs.truncator.truncate(ip, want, null);
                    } catch (VfsException undo) {
                        e.addSuppressed(undo);
                    }
                }
                if (done > 0) {
                    break;
                }
                throw e;
            }
            int from = base + done;
            fs.io.modify(addr, inBlock + n, false, inBlock == 0 && n == sb.bsize, ip + " block " + lbn,
                    (b, o) -> b.put(o + inBlock, src, from, n));
            done += n;
            pos += n;
            if (pos > d.size) {
                d.size = pos;
            }
        }
        src.position(src.position() + done);
        return done;
    }
}
