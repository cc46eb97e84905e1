package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.CylinderGroup;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.DirectoryBlock;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.fs.ffs.SuperblockLocator;
import org.rumpmount.vfs.VfsException;

/**
 * Damages a copy of an image on purpose, at the level of on-disk structures: the tree is read
 * once (path to inode, every directory entry's place), then single fields are rewritten.
 */
final class ImageEditor implements AutoCloseable {
    /** One directory entry: where it lies and what it says. */
    record Entry(String path, long dirIno, long offset, long frag, int inBlock, long ino, int type, Dinode inode) {
    }

    final FileBlockDevice dev;
    final Superblock sb;
    final long sbAt;
    final Disk disk;
    /** Every entry but "." and "..", by path (names decoded as ISO-8859-1, one char per byte). */
    final Map<String, Entry> entries = new LinkedHashMap<>();

    ImageEditor(Path img) throws IOException {
        dev = FileBlockDevice.open(img, false);
        SuperblockLocator.Found f = SuperblockLocator.locate(dev);
        sb = f.sb();
        sbAt = f.offset();
        disk = new Disk(dev, true);
        disk.setSuperblock(sb);
        walk(2, "");
    }

    private void walk(long dirIno, String prefix) throws VfsException {
        Dinode d = disk.readInode(dirIno);
        for (long[] blk : blocks(d)) {
            ByteBuffer b = disk.readFrags(blk[1], (int) blk[2], "directory");
            long limit = Math.min(blk[2], d.size - blk[0] * sb.bsize);
            for (int c = 0; c + DirectoryBlock.DIRBLKSIZ <= limit; c += DirectoryBlock.DIRBLKSIZ) {
                for (DirectoryBlock.Entry e : DirectoryBlock.decode(b, c, sb.oldFormat(), dirIno,
                        blk[0] * sb.bsize + c, sb.inodeCount())) {
                    String name = new String(e.name(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (e.ino() == 0 || name.equals(".") || name.equals("..")) {
                        continue;
                    }
                    int inBlock = (int) (e.offset() - blk[0] * sb.bsize);
                    Dinode child = disk.readInode(e.ino());
                    String path = prefix + "/" + name;
                    entries.put(path, new Entry(path, dirIno, e.offset(), blk[1], inBlock, e.ino(), e.type(), child));
                    if (child.ifmt() == Dinode.IFDIR) {
                        walk(e.ino(), path);
                    }
                }
            }
        }
    }

    /** {lbn, frag, bytes} of each data block of a file, direct blocks only (enough for directories here). */
    List<long[]> blocks(Dinode d) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] != 0 && (long) i * sb.bsize < d.size) {
                out.add(new long[] {i, d.db[i], sb.blksize(d.size, i)});
            }
        }
        return out;
    }

    Entry find(java.util.function.Predicate<Entry> p) {
        return entries.values().stream().filter(p).findFirst().orElseThrow();
    }

    boolean isFile(Entry e) {
        return e.inode().ifmt() == Dinode.IFREG;
    }

    boolean isDir(Entry e) {
        return e.inode().ifmt() == Dinode.IFDIR;
    }

    long countWithIno(long ino) {
        return entries.values().stream().filter(x -> x.ino() == ino).count();
    }

    void setNlink(long ino, int n) throws VfsException {
        Dinode d = disk.readInode(ino);
        d.nlink = n;
        disk.writeInode(ino, d);
    }

    void setDb0(long ino, long frag) throws VfsException {
        Dinode d = disk.readInode(ino);
        d.db[0] = frag;
        disk.writeInode(ino, d);
    }

    /** Rewrites d_ino (and d_type when not negative) of the entry. */
    void repoint(Entry e, long ino, int type) throws VfsException {
        ByteBuffer b = disk.readFrags(e.frag(), sb.bsize > 0 ? blockBytes(e) : 0, "directory");
        b.putInt(e.inBlock(), (int) ino);
        if (type >= 0 && !sb.oldFormat()) {
            b.put(e.inBlock() + 6, (byte) type);
        }
        disk.writeFrags(e.frag(), b.array(), "directory");
    }

    /** Removes the entry as the kernel would: its space joins the record before it. */
    void unlinkEntry(Entry e) throws VfsException {
        ByteBuffer b = disk.readFrags(e.frag(), blockBytes(e), "directory");
        int chunk = e.inBlock() / DirectoryBlock.DIRBLKSIZ * DirectoryBlock.DIRBLKSIZ;
        int pos = chunk;
        int prev = -1;
        while (pos < e.inBlock()) {
            prev = pos;
            pos += b.getShort(pos + 4) & 0xffff;
        }
        int reclen = b.getShort(pos + 4) & 0xffff;
        if (prev < 0) {
            b.putInt(pos, 0);
        } else {
            b.putShort(prev + 4, (short) ((b.getShort(prev + 4) & 0xffff) + reclen));
        }
        disk.writeFrags(e.frag(), b.array(), "directory");
    }

    private int blockBytes(Entry e) throws VfsException {
        Dinode dir = disk.readInode(e.dirIno());
        for (long[] blk : blocks(dir)) {
            if (blk[1] == e.frag()) {
                return (int) blk[2];
            }
        }
        throw new IllegalStateException("no block " + e.frag() + " in directory " + e.dirIno());
    }

    /** The byte offset and length of the directory's first block. */
    long[] firstDirBlock(long dirIno) throws VfsException {
        Dinode d = disk.readInode(dirIno);
        long[] blk = blocks(d).get(0);
        return new long[] {blk[1] * sb.fsize, blk[2]};
    }

    /** Where the ".." entry of a directory lies (its second record), as {byte offset of the d_ino}. */
    long dotdotAt(long dirIno) throws VfsException {
        long[] first = firstDirBlock(dirIno);
        ByteBuffer b = disk.readBytes(first[0], 512, "directory");
        int dotLen = b.getShort(4) & 0xffff;
        return first[0] + dotLen;
    }

    void writeInt(long at, int v) throws VfsException {
        ByteBuffer b = ByteBuffer.allocate(4).order(sb.order).putInt(0, v);
        disk.writeBytes(at, b.array(), "int");
    }

    void zero(long at, int len) throws VfsException {
        disk.writeBytes(at, new byte[len], "zeroes");
    }

    CylinderGroup group(int cg) throws VfsException {
        return CylinderGroup.decode(disk.readFrags(sb.cgtod(cg), sb.cgsize, "cg"));
    }

    /** Flips bit {@code frag - cgbase} of group {@code cg}'s free map. */
    void flipFreeBit(int cg, long frag) throws VfsException {
        CylinderGroup g = group(cg);
        long bit = frag - sb.cgbase(cg);
        long at = sb.cgtod(cg) * sb.fsize + g.freeoff + bit / 8;
        ByteBuffer b = disk.readBytes(at, 1, "free map");
        disk.writeBytes(at, new byte[] {(byte) (b.get(0) ^ (1 << (bit % 8)))}, "free map");
    }

    boolean isFreeInMap(int cg, long frag) throws VfsException {
        CylinderGroup g = group(cg);
        long bit = frag - sb.cgbase(cg);
        long at = sb.cgtod(cg) * sb.fsize + g.freeoff + bit / 8;
        return (disk.readBytes(at, 1, "free map").get(0) & (1 << (bit % 8))) != 0;
    }

    void addToCgFreeFrags(int cg, int delta) throws VfsException {
        ByteBuffer b = disk.readFrags(sb.cgtod(cg), sb.cgsize, "cg");
        CylinderGroup g = CylinderGroup.decode(b);
        g.cs[3] += delta;
        g.encode(b);
        disk.writeFrags(sb.cgtod(cg), b.array(), "cg");
    }

    void addToSuperblockFreeBlocks(int delta) throws VfsException {
        sb.cstotal[1] += delta;
        sb.oldCstotal[1] += delta;
        disk.writeBytes(sbAt, sb.encode(sb.order), "superblock");
    }

    /** Frags of the first group's data area that no file holds, per the map. */
    long firstFreeFrag(int cg) throws VfsException {
        for (long f = sb.cgbase(cg) + sb.dblkno; f < sb.cgbase(cg) + sb.fpg && f < sb.totalFrags(); f++) {
            if (isFreeInMap(cg, f)) {
                return f;
            }
        }
        throw new IllegalStateException("no free fragment in group " + cg);
    }

    static String hex(byte[] b) {
        return Arrays.toString(b);
    }

    @Override
    public void close() throws IOException {
        dev.close();
    }
}
