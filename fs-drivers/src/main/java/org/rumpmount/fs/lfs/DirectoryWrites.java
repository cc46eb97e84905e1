package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * Changing directories (ulfs_direnter, ulfs_dirremove, ulfs_dirrewrite): entries are added in
 * the first chunk with room (an unused entry, or the slack at the end of a used one, which is
 * split off), or in a new {@link DirectoryBlock#DIRBLKSIZ}-byte chunk at the end; a removed
 * entry's space joins the entry before it in its chunk, or the entry is marked unused when it
 * is the chunk's first. Callers hold the segment lock.
 */
final class DirectoryWrites {
    private final LfsMount m;
    private final LfsFileSystem fs;
    private final FileWrites files;

    DirectoryWrites(LfsMount m, FileWrites files) {
        this.m = m;
        this.fs = m.fs();
        this.files = files;
    }

    /** An entry found: the directory block it lies in, its offset in that block, the previous entry's offset in its chunk (or -1). */
    private record Slot(long lbn, int off, int prev, DirectoryBlock.Entry entry) {
    }

    @FunctionalInterface
    private interface SlotTest {
        boolean test(DirectoryBlock.Entry e, int reclen, int used);
    }

    private Slot find(LfsInode dp, SlotTest t) throws IOException {
        Superblock sb = fs.sb;
        long size = dp.size();
        for (long base = 0; base < size; base += sb.bsize) {
            int len = (int) Math.min(sb.bsize, size - base);
            ByteBuffer blk = ByteBuffer.allocate(len).order(sb.layout.order());
            fs.read(dp, base, blk);
            for (int c = 0; c < len; c += DirectoryBlock.DIRBLKSIZ) {
                ByteBuffer chunk = blk.duplicate().position(c).limit(c + DirectoryBlock.DIRBLKSIZ).slice()
                        .order(sb.layout.order());
                int pos = 0;
                int prev = -1;
                while (pos < DirectoryBlock.DIRBLKSIZ) {
                    DirectoryBlock.Entry e = DirectoryBlock.decode(sb.layout, chunk, pos, base + c, dp.ino);
                    int reclen = (int) (e.nextOffset() - e.offset());
                    int used = e.ino() == 0 ? 0 : DirectoryBlock.entrySize(sb.layout, e.name().length);
                    if (t.test(e, reclen, used)) {
                        return new Slot(base >> sb.bshift, c + pos, prev < 0 ? -1 : c + prev, e);
                    }
                    prev = pos;
                    pos += reclen;
                }
            }
        }
        return null;
    }

    /** Whether {@code dp} has an entry {@code name}. */
    boolean contains(LfsInode dp, Name name) throws IOException {
        byte[] want = name.bytes();
        return find(dp, (e, r, u) -> e.ino() != 0 && Arrays.equals(e.name(), want)) != null;
    }

    /** Whether {@code dp} holds nothing but "." and ".." (ulfs_dirempty). */
    boolean isEmpty(LfsInode dp) throws IOException {
        return find(dp, (e, r, u) -> e.ino() != 0 && !isDotOrDotDot(e.name())) == null;
    }

    private static boolean isDotOrDotDot(byte[] n) {
        return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
    }

    /** Adds entry {@code name} for inode {@code ino} of type {@code type}. */
    void enter(LfsInode dp, Name name, long ino, VType type) throws IOException {
        Superblock sb = fs.sb;
        int need = DirectoryBlock.entrySize(sb.layout, name.length());
        Slot s = find(dp, (e, reclen, used) -> reclen - used >= need);
        byte[] blk;
        int at;
        int reclen;
        if (s == null) {
            // A new chunk at the end, one entry spanning it.
            long off = dp.size();
            blk = files.blockForUpdate(dp, off >> sb.bshift);
            at = (int) (off & (sb.bsize - 1));
            reclen = DirectoryBlock.DIRBLKSIZ;
            ip(dp).setSize(off + DirectoryBlock.DIRBLKSIZ);
            dp.changed();
        } else {
            blk = files.blockForUpdate(dp, s.lbn());
            int total = (int) (s.entry().nextOffset() - s.entry().offset());
            if (s.entry().ino() == 0) {
                at = s.off();
                reclen = total;
            } else {
                int used = DirectoryBlock.entrySize(sb.layout, s.entry().name().length);
                putReclen(blk, s.off(), used);
                at = s.off() + used;
                reclen = total - used;
            }
        }
        writeEntry(blk, at, ino, reclen, dtype(type), name.bytes());
        files.recount(dp);
        touch(dp);
    }

    /** Removes entry {@code name}; returns the inode number it named. ENOENT when absent. */
    long remove(LfsInode dp, Name name) throws IOException {
        byte[] want = name.bytes();
        Slot s = find(dp, (e, r, u) -> e.ino() != 0 && Arrays.equals(e.name(), want));
        if (s == null) {
            throw new VfsException(Errno.ENOENT, "directory inode " + dp.ino + " has no entry " + name);
        }
        byte[] blk = files.blockForUpdate(dp, s.lbn());
        int reclen = (int) (s.entry().nextOffset() - s.entry().offset());
        if (s.prev() >= 0) {
            ByteBuffer b = ByteBuffer.wrap(blk).order(fs.sb.layout.order());
            int h = fs.sb.layout.dirHeaderSize();
            int prevLen = b.getShort(s.prev() + h - 4) & 0xffff;
            putReclen(blk, s.prev(), prevLen + reclen);
        } else {
            putIno(blk, s.off(), 0);
        }
        touch(dp);
        return s.entry().ino();
    }

    /** Points entry {@code name} at inode {@code ino} of type {@code type} (rename over an entry, ".." of a moved directory). */
    void rewrite(LfsInode dp, Name name, long ino, VType type) throws IOException {
        byte[] want = name.bytes();
        Slot s = find(dp, (e, r, u) -> e.ino() != 0 && Arrays.equals(e.name(), want));
        if (s == null) {
            throw new VfsException(Errno.ENOENT, "directory inode " + dp.ino + " has no entry " + name);
        }
        byte[] blk = files.blockForUpdate(dp, s.lbn());
        putIno(blk, s.off(), ino);
        blk[s.off() + fs.sb.layout.dirHeaderSize() - 2] = (byte) dtype(type);
        touch(dp);
    }

    /** The first chunk of a new directory: "." and "..". */
    byte[] firstChunk(long self, long parent) {
        Superblock sb = fs.sb;
        byte[] b = new byte[DirectoryBlock.DIRBLKSIZ];
        int dot = DirectoryBlock.entrySize(sb.layout, 1);
        writeEntry(b, 0, self, dot, dtype(VType.VDIR), new byte[] {'.'});
        writeEntry(b, dot, parent, DirectoryBlock.DIRBLKSIZ - dot, dtype(VType.VDIR), new byte[] {'.', '.'});
        return b;
    }

    private DinodeImage ip(LfsInode dp) {
        return dp.edit(fs.sb.layout);
    }

    private void touch(LfsInode dp) {
        Timespec now = m.mount().host().now();
        DinodeImage d = ip(dp);
        d.setMtime(now.sec(), now.nsec());
        d.setCtime(now.sec(), now.nsec());
        dp.changed();
        m.markDirty(dp);
    }

    private void writeEntry(byte[] blk, int at, long ino, int reclen, int type, byte[] name) {
        LfsLayout l = fs.sb.layout;
        int h = l.dirHeaderSize();
        Arrays.fill(blk, at, at + DirectoryBlock.entrySize(l, name.length), (byte) 0);
        putIno(blk, at, ino);
        putReclen(blk, at, reclen);
        blk[at + h - 2] = (byte) type;
        blk[at + h - 1] = (byte) name.length;
        System.arraycopy(name, 0, blk, at + h, name.length);
    }

    private void putIno(byte[] blk, int at, long ino) {
        ByteBuffer b = ByteBuffer.wrap(blk).order(fs.sb.layout.order());
        if (fs.sb.layout.is64()) {
            b.putLong(at, ino);
        } else {
            b.putInt(at, (int) ino);
        }
    }

    private void putReclen(byte[] blk, int at, int reclen) {
        ByteBuffer.wrap(blk).order(fs.sb.layout.order()).putShort(at + fs.sb.layout.dirHeaderSize() - 4, (short) reclen);
    }

    /** The d_type of a vnode type (IFTODT). */
    static int dtype(VType t) {
        return switch (t) {
            case VFIFO -> 1;
            case VCHR -> 2;
            case VDIR -> 4;
            case VBLK -> 6;
            case VREG -> 8;
            case VLNK -> 10;
            case VSOCK -> 12;
            default -> 0;
        };
    }
}
