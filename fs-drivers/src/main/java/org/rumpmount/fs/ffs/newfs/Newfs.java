package org.rumpmount.fs.ffs.newfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * newfs(8) for FFS: writes an empty UFS1 or UFS2 file system on a block device, laid out as
 * NetBSD's sbin/newfs/mkfs.c lays it out. Old superblocks at every place a reader searches are
 * wiped first; then each cylinder group gets its superblock copy, its header and (UFS1) all of
 * its inodes or (UFS2) the first two blocks of them, the rest left for the kernel to initialise
 * on demand (cg_initediblk); then the root directory (inode 2, holding "." and ".." only:
 * newfs makes no lost+found), the summary area and finally the primary superblock, marked clean.
 */
public final class Newfs {
    private static final int DIRBLKSIZ = 512;
    private static final int DT_DIR = 4;
    private static final int IFDIR = 0040000;

    private final BlockDevice dev;
    private final NewfsOptions o;
    private final Host host;
    private NewfsLayout l;

    private Newfs(BlockDevice dev, NewfsOptions o, Host host) {
        this.dev = dev;
        this.o = o;
        this.host = host;
    }

    /** Formats {@code dev} with {@code options}, using the system clock and randomness. */
    public static NewfsLayout format(BlockDevice dev, NewfsOptions options) throws IOException {
        return format(dev, options, Host.system());
    }

    /** Formats {@code dev}; times come from {@code host}'s clock and fs_id and di_gen from its randomness. */
    public static NewfsLayout format(BlockDevice dev, NewfsOptions options, Host host) throws IOException {
        return new Newfs(dev, options, host).run();
    }

    /** The layout {@link #format} would write on a device of {@code deviceBytes}, without writing. */
    public static NewfsLayout plan(NewfsOptions options, long deviceBytes) throws VfsException {
        return NewfsLayout.plan(options, usableBytes(options, deviceBytes));
    }

    private static long usableBytes(NewfsOptions o, long deviceBytes) throws VfsException {
        long bytes = o.sizeBytes() != 0 ? o.sizeBytes() : deviceBytes;
        if (bytes > deviceBytes) {
            throw new VfsException(Errno.EINVAL, "-s (size) " + bytes + " bytes exceeds the device's " + deviceBytes
                    + " bytes");
        }
        return bytes - bytes % 512;
    }

    private NewfsLayout run() throws IOException {
        if (dev.isReadOnly()) {
            throw new VfsException(Errno.EROFS, "newfs: device " + dev.name() + " is read-only");
        }
        long bytes = usableBytes(o, dev.size());
        l = NewfsLayout.plan(o, bytes);
        ByteOrder order = o.byteOrder();
        Timespec now = host.now();
        long time = now.sec();
        int id1 = host.random().nextInt() & Integer.MAX_VALUE;

        // The last sector must be reachable, as mkfs checks before anything else.
        write(bytes - 512, ByteBuffer.allocate(512), "last sector");
        zapOldSuperblocks();

        long[] cstotal = {0, 0, 0, 0};
        CylinderGroupImage[] groups = new CylinderGroupImage[l.ncg()];
        for (int cg = 0; cg < l.ncg(); cg++) {
            groups[cg] = new CylinderGroupImage(l, cg, order, time);
            for (int i = 0; i < 4; i++) {
                cstotal[i] += groups[cg].cs[i];
            }
        }
        // The copies carry the totals before the root directory exists, as mkfs's do.
        int sbArea = Math.max(l.bsize(), NewfsLayout.SBLOCKSIZE);
        ByteBuffer copy = SuperblockImage.encode(l, o, cstotal, time, id1, sbArea);
        for (int cg = 0; cg < l.ncg(); cg++) {
            long base = l.cgbase(cg);
            write((base + l.sblkno()) * l.fsize(), copy.duplicate(), "superblock copy of cylinder group " + cg);
            writeInodes(cg, time);
        }

        // The root directory: one fragment in group 0 and inode 2.
        CylinderGroupImage g0 = groups[0];
        long rootFrag = g0.allocDirectoryFragment();
        g0.markInodeUsed(NewfsLayout.ROOTINO);
        ByteBuffer dir = ByteBuffer.allocate(l.fsize()).order(order);
        dirent(dir, 0, NewfsLayout.ROOTINO, 12, ".");
        dirent(dir, 12, NewfsLayout.ROOTINO, DIRBLKSIZ - 12, "..");
        write(rootFrag * l.fsize(), dir, "root directory block");
        writeRootInode(rootFrag, now);

        cstotal = new long[] {0, 0, 0, 0};
        ByteBuffer summary = ByteBuffer.allocate(l.cssize()).order(order);
        for (int cg = 0; cg < l.ncg(); cg++) {
            write((l.cgbase(cg) + l.cblkno()) * l.fsize(), groups[cg].encode(), "cylinder group " + cg + " header");
            for (int i = 0; i < 4; i++) {
                summary.putInt(cg * NewfsLayout.SIZEOF_CSUM + 4 * i, groups[cg].cs[i]);
                cstotal[i] += groups[cg].cs[i];
            }
        }
        write(l.csaddr() * l.fsize(), summary, "cylinder group summary");

        // The primary superblock last, with zeros up to group 0's copy.
        int primaryArea = (int) (l.sblkno() * (long) l.fsize() - l.sblockloc());
        write(l.sblockloc(), SuperblockImage.encode(l, o, cstotal, time, id1, primaryArea), "primary superblock");
        dev.flush();
        return l;
    }

    /**
     * Clears anything that looks like a superblock where a reader might search (the primary
     * locations and the first alternate of each, for every block size), so that no stale file
     * system is found instead of ours. Our own structures are written afterwards.
     */
    private void zapOldSuperblocks() throws IOException {
        long[] search = {65536, 8192, 0, 262144};
        for (long at : search) {
            zap(at);
            for (long sz = NewfsLayout.SBLOCKSIZE; sz <= 0x10000; sz <<= 1) {
                zap(NewfsLayout.roundup(at + NewfsLayout.SBLOCKSIZE, sz));
            }
        }
    }

    private void zap(long at) throws IOException {
        if (at == l.sblockloc() || at + NewfsLayout.SBLOCKSIZE > l.size() * l.fsize()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(NewfsLayout.SBLOCKSIZE);
        dev.read(at, b);
        b.clear();
        if (SuperblockImage.looksLikeSuperblock(b)) {
            write(at, ByteBuffer.allocate(NewfsLayout.SBLOCKSIZE), "stale superblock");
        }
    }

    /** UFS1 gets every inode block written; UFS2 the first two, the rest initialised lazily. */
    private void writeInodes(int cg, long time) throws IOException {
        int dinode = l.ufs2() ? 256 : 128;
        int inodeBlocks = l.ipg() / l.inopb();
        int count = l.ufs2() ? Math.min(inodeBlocks, 2) : inodeBlocks;
        int chunkBlocks = 16;
        for (int blk = 0; blk < count; blk += chunkBlocks) {
            int n = Math.min(chunkBlocks, count - blk);
            ByteBuffer b = ByteBuffer.allocate(n * l.bsize()).order(o.byteOrder());
            for (int off = 0; off < b.capacity(); off += dinode) {
                b.putInt(off + (l.ufs2() ? 80 : 108), host.random().nextInt() & Integer.MAX_VALUE);
            }
            long frag = l.cgbase(cg) + l.iblkno() + (long) blk * l.frag();
            write(frag * l.fsize(), b, "inode blocks of cylinder group " + cg);
        }
    }

    private void writeRootInode(long rootFrag, Timespec now) throws IOException {
        int ino = NewfsLayout.ROOTINO;
        int dinode = l.ufs2() ? 256 : 128;
        long frag = l.iblkno() + (long) (ino / l.inopb()) * l.frag();
        int off = (ino % l.inopb()) * dinode;
        ByteBuffer blk = ByteBuffer.allocate(l.bsize()).order(o.byteOrder());
        dev.read(frag * l.fsize(), blk);
        blk.clear();
        int mode = IFDIR | 0755;
        long sectors = NewfsLayout.roundup(DIRBLKSIZ, l.fsize()) / 512;
        int nsec = now.nsec();
        blk.putShort(off, (short) mode).putShort(off + 2, (short) 2);
        if (l.ufs2()) {
            blk.putInt(off + 4, (int) o.rootUid()).putInt(off + 8, (int) o.rootGid()).putInt(off + 12, 0);
            blk.putLong(off + 16, DIRBLKSIZ).putLong(off + 24, sectors);
            blk.putLong(off + 32, now.sec()).putLong(off + 40, now.sec()).putLong(off + 48, now.sec());
            blk.putLong(off + 56, now.sec());
            blk.putInt(off + 64, nsec).putInt(off + 68, nsec).putInt(off + 72, nsec).putInt(off + 76, nsec);
            blk.putLong(off + 112, rootFrag);
        } else {
            blk.putLong(off + 8, DIRBLKSIZ);
            blk.putInt(off + 16, (int) now.sec()).putInt(off + 20, nsec);
            blk.putInt(off + 24, (int) now.sec()).putInt(off + 28, nsec);
            blk.putInt(off + 32, (int) now.sec()).putInt(off + 36, nsec);
            blk.putInt(off + 40, (int) rootFrag).putInt(off + 104, (int) sectors);
            blk.putInt(off + 112, (int) o.rootUid()).putInt(off + 116, (int) o.rootGid());
        }
        write(frag * l.fsize(), blk, "root inode");
    }

    private static void dirent(ByteBuffer b, int at, int ino, int reclen, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        b.putInt(at, ino).putShort(at + 4, (short) reclen).put(at + 6, (byte) DT_DIR).put(at + 7, (byte) n.length);
        b.put(at + 8, n);
    }

    private void write(long offset, ByteBuffer src, String what) throws IOException {
        try {
            dev.write(offset, src);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, "newfs: writing the " + what + " at byte " + offset + " ("
                    + src.capacity() + " bytes) of " + dev.name() + " failed: " + e.getMessage());
        }
    }
}
