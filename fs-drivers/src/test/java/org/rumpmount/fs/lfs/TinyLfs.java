package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small LFS image from the on-disk definitions in NetBSD's lfs.h (struct dlfs /
 * dlfs64, lfs32_dinode / lfs64_dinode, ifile32 / ifile64, SEGSUM32 / SEGSUM64 with FINFO and
 * IINFO, lfs_dirheader32 / 64), independently of the driver's decoders, in either width and
 * byte order. Everything lives in one partial segment at the start of segment 0, so the log
 * walker sees it too.
 *
 * <p>The tree: / (2) holding sub/ (3), hello (4: two blocks, a hole, a two-fragment tail),
 * fast (5: symlink kept in the inode), slow (6: symlink kept in a block), dev (7: character
 * device 4095,1048574), ind (8: holes then one block behind the single indirect block).
 */
final class TinyLfs {
    static final int BSIZE = 4096;
    static final int FSIZE = 1024;
    static final int SSIZE = 65536;
    static final int NSEG = 8;
    static final int FSBPSEG = SSIZE / FSIZE;
    static final int SUMSIZE = 512;
    static final int SUMMARY_ADDR = 16;
    static final long SERIAL = 7;
    static final int IDENT = 0x1234abcd;
    static final int NDADDR = 12;
    static final byte[] FAST = "short/target".getBytes();
    static final byte[] SLOW = ("a-target-longer-than-any-inline-symlink-" + "x".repeat(100)).getBytes();
    static final long HELLO_SIZE = 3L * BSIZE + 1500;
    static final long IND_SIZE = 13L * BSIZE;
    static final long DEV_MAJOR = 4095;
    static final long DEV_MINOR = 1048574;
    /** The IFILE's atime of every file: what must be reported, not the dinode's. */
    static final long IFILE_ATIME = 1_700_000_000L;
    static final int IFILE_ATIME_NSEC = 123_456_789;
    static final long DINODE_ATIME = 1_000_000_000L;
    static final long MTIME = -2_000_000_000L;
    static final int MTIME_NSEC = 42;
    /**
     * Every inode's flags: SF_ARCHIVED and UF_NODUMP, a bit in each half of the word, neither of
     * which stops the tests from changing the files.
     */
    static final int FLAGS = 0x00010001;

    final boolean is64;
    final ByteOrder order;
    final ByteBuffer img = ByteBuffer.allocate(NSEG * SSIZE);
    final int dinodeSize;
    final int inopb;
    final int ptr;

    /** One block of the partial segment: owner, logical block, size, contents. */
    private record Blk(long ino, long lbn, int size, byte[] data) {
    }

    private final List<Blk> blocks = new ArrayList<>();
    private final long[] inodeAddr = new long[9];
    private long next = SUMMARY_ADDR + (SUMSIZE + FSIZE - 1) / FSIZE;

    TinyLfs(boolean is64, ByteOrder order) {
        this.is64 = is64;
        this.order = order;
        img.order(order);
        dinodeSize = is64 ? 256 : 128;
        inopb = FSIZE / dinodeSize;
        ptr = is64 ? 8 : 4;
    }

    static byte[] helloBlock(int lbn, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (lbn * 31 + i * 7 + 1);
        }
        return b;
    }

    private long place(long ino, long lbn, byte[] data) {
        long a = next;
        blocks.add(new Blk(ino, lbn, data.length, data));
        img.put((int) (a * FSIZE), data);
        next += (data.length + FSIZE - 1) / FSIZE;
        return a;
    }

    private byte[] dir(long self, long parent, Object... entries) {
        ByteBuffer b = ByteBuffer.allocate(FSIZE).order(order);
        int h = is64 ? 12 : 8;
        List<Object> all = new ArrayList<>(List.of(self, 4, ".", parent, 4, ".."));
        all.addAll(List.of(entries));
        int pos = 0;
        for (int i = 0; i < all.size(); i += 3) {
            long ino = (Long) all.get(i);
            int type = (Integer) all.get(i + 1);
            byte[] name = ((String) all.get(i + 2)).getBytes();
            int need = h + ((name.length + 1 + 3) & ~3);
            int reclen = i + 3 == all.size() ? 512 - pos : need;
            if (is64) {
                b.putLong(pos, ino);
            } else {
                b.putInt(pos, (int) ino);
            }
            b.putShort(pos + h - 4, (short) reclen);
            b.put(pos + h - 2, (byte) type);
            b.put(pos + h - 1, (byte) name.length);
            b.position(pos + h);
            b.put(name);
            pos += reclen;
        }
        // The second DIRBLKSIZ chunk of the fragment is outside the directory's 512 bytes.
        return java.util.Arrays.copyOf(b.array(), 512 + 512);
    }

    /** Builds the image and returns its bytes. */
    byte[] build() {
        int h = 0;
        // ---- data blocks, one file after another, as a FINFO lists them ----
        long rootBlk = place(2, 0, dir(2, 2, 3L, 4, "sub", 4L, 8, "hello", 5L, 10, "fast", 6L, 10, "slow",
                7L, 2, "dev", 8L, 8, "ind"));
        long subBlk = place(3, 0, dir(3, 2));
        long h0 = place(4, 0, helloBlock(0, BSIZE));
        long h1 = place(4, 1, helloBlock(1, BSIZE));
        byte[] tail = new byte[2 * FSIZE];
        System.arraycopy(helloBlock(3, 1500), 0, tail, 0, 1500);
        long h3 = place(4, 3, tail);
        byte[] slow = new byte[FSIZE];
        System.arraycopy(SLOW, 0, slow, 0, SLOW.length);
        long slowBlk = place(6, 0, slow);
        long indData = next + BSIZE / FSIZE;
        ByteBuffer ind = ByteBuffer.allocate(BSIZE).order(order);
        putPtr(ind, 0, indData);
        long indBlk = place(8, -NDADDR, ind.array());
        place(8, 12, helloBlock(12, BSIZE));
        // The IFILE: cleaner info, segment usage table, entries.
        long ifile0 = next;
        long inodeBlocks = ifile0 + 3L * BSIZE / FSIZE;
        for (int i = 1; i <= 8; i++) {
            inodeAddr[i] = inodeBlocks + (i - 1) / inopb;
        }
        place(1, 0, cleanerInfo());
        place(1, 1, segUse());
        place(1, 2, ifileEntries());
        int nInodeBlocks = (8 + inopb - 1) / inopb;
        // ---- inode blocks ----
        ByteBuffer ib = ByteBuffer.allocate(nInodeBlocks * FSIZE).order(order);
        dinode(ib, 1, 0100600, 1, 3L * BSIZE, 12, new long[] {ifile0, ifile0 + 4, ifile0 + 8}, 0, null);
        dinode(ib, 2, 0040755, 3, 512, 1, new long[] {rootBlk}, 0, null);
        dinode(ib, 3, 0040700, 2, 512, 1, new long[] {subBlk}, 0, null);
        dinode(ib, 4, 0104711, 1, HELLO_SIZE, 10, new long[] {h0, h1, 0, h3}, 0, null);
        dinode(ib, 5, 0120777, 1, FAST.length, 0, new long[0], 0, FAST);
        dinode(ib, 6, 0120755, 1, SLOW.length, 1, new long[] {slowBlk}, 0, null);
        long rdev = ((DEV_MAJOR << 8) & 0x000fff00L) | ((DEV_MINOR << 12) & 0xfff00000L) | (DEV_MINOR & 0xff);
        dinode(ib, 7, 0020640, 1, 0, 0, new long[] {rdev}, 0, null);
        dinode(ib, 8, 0100644, 1, IND_SIZE, 8, new long[0], indBlk, null);
        img.put((int) (inodeBlocks * FSIZE), ib.array());
        for (int i = 0; i < nInodeBlocks; i++) {
            byte[] first = new byte[FSIZE];
            System.arraycopy(ib.array(), i * FSIZE, first, 0, FSIZE);
            blocks.add(new Blk(-1, -1, FSIZE, first));
        }
        next = inodeBlocks + nInodeBlocks;
        summary(nInodeBlocks, inodeBlocks);
        superblock(8, SERIAL, 0);
        superblock(FSBPSEG, SERIAL, 0);
        return img.array();
    }

    private void putPtr(ByteBuffer b, int index, long v) {
        if (is64) {
            b.putLong(index * 8, v);
        } else {
            b.putInt(index * 4, (int) v);
        }
    }

    private byte[] cleanerInfo() {
        ByteBuffer b = ByteBuffer.allocate(BSIZE).order(order);
        b.putInt(0, NSEG - 1).putInt(4, 1);
        if (is64) {
            b.putLong(8, 400).putLong(16, 380).putLong(24, 9).putLong(32, 20).putInt(40, 0);
        } else {
            b.putInt(8, 400).putInt(12, 380).putInt(16, 9).putInt(20, 20).putInt(24, 0);
        }
        return b.array();
    }

    private byte[] segUse() {
        ByteBuffer b = ByteBuffer.allocate(BSIZE).order(order);
        // Segment 0 is dirty and holds the superblock; the rest are clean.
        b.putInt(0, 40 * FSIZE).putShort(8, (short) 1).putShort(10, (short) 1)
                .putInt(12, SegUse.DIRTY | SegUse.SUPERBLOCK);
        for (int s = 1; s < NSEG; s++) {
            b.putInt(s * 24 + 12, SegUse.EMPTY | (s == 1 ? SegUse.SUPERBLOCK : 0));
        }
        return b.array();
    }

    private byte[] ifileEntries() {
        ByteBuffer b = ByteBuffer.allocate(BSIZE).order(order);
        int es = is64 ? 32 : 20;
        for (int ino = 0; ino < BSIZE / es; ino++) {
            int o = ino * es;
            long daddr = ino >= 1 && ino <= 8 ? inodeAddr[ino] : 0;
            long nextfree = ino > 8 ? ino + 1 : 0;
            if (is64) {
                b.putInt(o, 1).putInt(o + 4, IFILE_ATIME_NSEC).putLong(o + 8, IFILE_ATIME + ino)
                        .putLong(o + 16, daddr).putLong(o + 24, nextfree);
            } else {
                b.putInt(o, 1).putInt(o + 4, (int) daddr).putInt(o + 8, (int) nextfree)
                        .putInt(o + 12, (int) (IFILE_ATIME + ino)).putInt(o + 16, IFILE_ATIME_NSEC);
            }
        }
        return b.array();
    }

    private void dinode(ByteBuffer ib, long ino, int mode, int nlink, long size, long frags, long[] db, long ib0, byte[] inline) {
        int o = (int) ((inodeAddr[(int) ino] - inodeAddr[1]) * FSIZE + ((ino - 1) % inopb) * dinodeSize);
        ib.putShort(o, (short) mode).putShort(o + 2, (short) nlink);
        if (is64) {
            ib.putInt(o + 4, 1000 + (int) ino).putInt(o + 8, (int) 4294967294L).putInt(o + 12, BSIZE);
            ib.putLong(o + 16, size).putLong(o + 24, frags);
            ib.putLong(o + 32, DINODE_ATIME).putLong(o + 40, MTIME).putLong(o + 48, MTIME + 1).putLong(o + 56, MTIME - 1);
            ib.putInt(o + 64, MTIME_NSEC).putInt(o + 68, 0).putInt(o + 72, 7).putInt(o + 76, 9);
            ib.putInt(o + 80, 100 + (int) ino).putInt(o + 88, FLAGS);
            for (int i = 0; i < db.length; i++) {
                ib.putLong(o + 112 + 8 * i, db[i]);
            }
            ib.putLong(o + 208, ib0);
            ib.putLong(o + 240, ino);
            if (inline != null) {
                ib.position(o + 112);
                ib.put(inline);
            }
        } else {
            ib.putInt(o + 4, (int) ino).putLong(o + 8, size);
            ib.putInt(o + 16, (int) DINODE_ATIME).putInt(o + 20, 0).putInt(o + 24, (int) MTIME).putInt(o + 28, MTIME_NSEC);
            ib.putInt(o + 32, (int) MTIME + 1).putInt(o + 36, 7);
            for (int i = 0; i < db.length; i++) {
                ib.putInt(o + 40 + 4 * i, (int) db[i]);
            }
            ib.putInt(o + 88, (int) ib0);
            ib.putInt(o + 100, FLAGS).putInt(o + 104, (int) frags).putInt(o + 108, 100 + (int) ino);
            ib.putInt(o + 112, 1000 + (int) ino).putInt(o + 116, (int) 4294967294L);
            if (inline != null) {
                ib.position(o + 40);
                ib.put(inline);
            }
        }
    }

    private void summary(int nInodeBlocks, long inodeBlocks) {
        ByteBuffer s = ByteBuffer.allocate(SUMSIZE).order(order);
        List<List<Blk>> files = new ArrayList<>();
        for (Blk b : blocks) {
            if (b.ino() < 0) {
                continue;
            }
            if (files.isEmpty() || files.get(files.size() - 1).get(0).ino() != b.ino()) {
                files.add(new ArrayList<>());
            }
            files.get(files.size() - 1).add(b);
        }
        int pos = is64 ? 56 : 48;
        for (List<Blk> f : files) {
            Blk last = f.get(f.size() - 1);
            s.putInt(pos, f.size()).putInt(pos + 4, 1);
            if (is64) {
                s.putLong(pos + 8, last.ino()).putInt(pos + 16, last.size()).putInt(pos + 20, 0);
                pos += 24;
            } else {
                s.putInt(pos + 8, (int) last.ino()).putInt(pos + 12, last.size());
                pos += 16;
            }
            for (Blk b : f) {
                if (is64) {
                    s.putLong(pos, b.lbn());
                    pos += 8;
                } else {
                    s.putInt(pos, (int) b.lbn());
                    pos += 4;
                }
            }
        }
        for (int i = 0; i < nInodeBlocks; i++) {
            if (is64) {
                s.putLong(SUMSIZE - 8 * (i + 1), inodeBlocks + i);
            } else {
                s.putInt(SUMSIZE - 4 * (i + 1), (int) (inodeBlocks + i));
            }
        }
        ByteBuffer words = ByteBuffer.allocate(4 * blocks.size());
        for (Blk b : blocks) {
            words.put(b.data(), 0, 4);
        }
        s.putInt(4, cksum(words.order(order), 0, words.capacity()));
        s.putInt(8, 0x061561);
        int ninos = 8;
        if (is64) {
            s.putInt(12, IDENT).putLong(16, SUMMARY_ADDR + FSBPSEG).putShort(24, (short) files.size())
                    .putShort(26, (short) ninos).putShort(28, (short) 0).putLong(40, SERIAL).putLong(48, 1_600_000_000L);
        } else {
            s.putInt(12, (int) (SUMMARY_ADDR + FSBPSEG)).putInt(16, IDENT).putShort(20, (short) files.size())
                    .putShort(22, (short) ninos).putShort(24, (short) 0).putLong(32, SERIAL).putLong(40, 1_600_000_000L);
        }
        s.putInt(0, cksum(s, 4, SUMSIZE - 4));
        img.put(SUMMARY_ADDR * FSIZE, s.array());
    }

    /** Writes a superblock copy at fragment {@code at}. */
    void superblock(long at, long serial, long bfreeDelta) {
        ByteBuffer b = ByteBuffer.allocate(512).order(order);
        int nseg = NSEG;
        long size = (long) NSEG * FSBPSEG;
        long idaddr = inodeAddr[1];
        b.putInt(4, 2);
        if (is64) {
            b.putInt(0, LfsLayout.LFS64_MAGIC);
            b.putLong(8, size).putLong(16, size - 40).putInt(24, SSIZE).putInt(28, BSIZE).putInt(32, FSIZE).putInt(36, 4);
            b.putLong(40, 9).putLong(48, 8).putLong(56, 400 + bfreeDelta).putLong(64, 380).putLong(72, idaddr);
            b.putLong(88, 0).putLong(96, FSBPSEG * 2L).putLong(104, 0).putLong(112, next).putLong(120, next);
            b.putInt(128, inopb).putInt(132, 10).putLong(136, 1L << 40);
            b.putInt(144, FSBPSEG).putInt(148, inopb).putInt(152, BSIZE / 32).putInt(156, BSIZE / 24)
                    .putInt(160, BSIZE / 8).putInt(164, nseg).putInt(168, 2).putInt(172, 1).putInt(176, 1)
                    .putInt(180, 12).putInt(184, 10).putInt(188, 2);
            b.putLong(192, BSIZE - 1).putLong(200, FSIZE - 1).putLong(208, 3).putInt(216, 3).putInt(220, 0);
            b.putLong(224, 8).putLong(232, FSBPSEG);
            b.putInt(304, 120).putInt(308, NSEG - 1).putShort(402, (short) 1).putInt(404, 20).putInt(408, 1)
                    .putInt(412, SUMSIZE).putInt(416, FSIZE).putInt(420, 0).putLong(424, serial).putLong(432, 0)
                    .putLong(440, 1_600_000_000L).putInt(448, 0).putInt(452, IDENT).putInt(456, 1).putInt(460, 1);
        } else {
            b.putInt(0, LfsLayout.LFS_MAGIC);
            b.putInt(8, (int) size).putInt(12, SSIZE).putInt(16, (int) size - 40).putInt(20, BSIZE).putInt(24, FSIZE).putInt(28, 4);
            b.putInt(32, 9).putInt(36, (int) (400 + bfreeDelta)).putInt(40, 8).putInt(44, 380).putInt(48, 0)
                    .putInt(52, (int) idaddr).putInt(56, 1).putInt(60, 0).putInt(64, FSBPSEG * 2).putInt(68, 0)
                    .putInt(72, (int) next).putInt(76, (int) next).putInt(80, inopb).putInt(84, 10);
            b.putLong(88, 1L << 40);
            b.putInt(96, FSBPSEG).putInt(100, inopb).putInt(104, BSIZE / 20).putInt(108, BSIZE / 24)
                    .putInt(112, BSIZE / 4).putInt(116, nseg).putInt(120, 2).putInt(124, 1).putInt(128, 1)
                    .putInt(132, 0).putInt(136, 0).putInt(140, 12).putInt(144, 10).putInt(148, 2);
            b.putLong(152, BSIZE - 1).putLong(160, FSIZE - 1).putLong(168, 3).putInt(176, 3).putInt(180, 0);
            b.putInt(184, 60).putInt(188, 8).putInt(192, FSBPSEG);
            b.putInt(228, NSEG - 1).putShort(322, (short) 1).putInt(324, 20).putInt(328, 1).putInt(332, SUMSIZE)
                    .putLong(336, serial).putInt(344, FSIZE).putInt(348, 0).putLong(352, 1_600_000_000L)
                    .putInt(360, 0).putInt(364, 0).putInt(368, IDENT).putInt(372, 1).putInt(376, 1);
        }
        b.putInt(508, cksum(b, 0, 508));
        img.put((int) (at * FSIZE), b.array());
    }

    static int cksum(ByteBuffer b, int off, int len) {
        int sum = 0;
        for (int i = off; i + 1 < off + len; i += 2) {
            sum ^= b.getShort(i) & 0xffff;
        }
        return sum;
    }
}
