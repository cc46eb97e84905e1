package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Hostile images are normal input: seeded random byte changes to the 4k image, aimed mostly at
 * its metadata (superblocks, summaries, inode blocks, IFILE, directories, indirect blocks). A
 * mount and a walk of the whole tree must end in success or a VfsException, never another
 * exception or a hang.
 */
class LfsCorruptionTest {
    private static final int ROUNDS = 40;
    private static final long SEED = 20261125L;

    @Test
    void mutatedImagesFailCleanly() throws Exception {
        byte[] pristine = TestImages.bytes("nb-lfs-4k");
        List<long[]> targets = metadataRanges();
        Random r = new Random(SEED);
        int failedCleanly = 0;
        int survived = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // Change the bytes in place (the device takes its own copy) and put them back after.
            byte[] img = pristine;
            int changes = 1 + r.nextInt(16);
            int[] at = new int[changes];
            byte[] old = new byte[changes];
            StringBuilder what = new StringBuilder();
            for (int c = 0; c < changes; c++) {
                long[] range = targets.get(r.nextInt(targets.size()));
                at[c] = (int) (range[0] + (long) (r.nextDouble() * range[1]));
                old[c] = img[at[c]];
                img[at[c]] = (byte) (r.nextInt(4) == 0 ? 0xff : r.nextInt(256));
                what.append(at[c]).append(' ');
            }
            String label = "round " + round + " (bytes changed at " + what + ")";
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> mountAndWalk(img, label), label);
            for (int c = changes - 1; c >= 0; c--) {
                img[at[c]] = old[c];
            }
            if (ok) {
                survived++;
            } else {
                failedCleanly++;
            }
        }
        System.out.println("corruption: " + ROUNDS + " rounds, " + survived + " walked through, " + failedCleanly + " refused with VfsException");
    }

    @Test
    void truncatedImagesAreRefusedNamingTheSize() throws Exception {
        byte[] pristine = TestImages.bytes("nb-lfs-4k");
        for (int len : new int[] {pristine.length / 2, pristine.length - 512, 8192 + 512}) {
            try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                    MemoryBlockDevice dev = MemoryBlockDevice.of(java.util.Arrays.copyOf(pristine, len), 512, false, true)) {
                VfsException e = org.junit.jupiter.api.Assertions.assertThrows(VfsException.class,
                        () -> kernel.mount("lfs", dev, MountOptions.readOnly()));
                org.junit.jupiter.api.Assertions.assertEquals(org.rumpmount.vfs.Errno.EFTYPE, e.errno());
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("bad size"), e.getMessage());
            }
        }
    }

    /** Byte ranges (start, length) of the image's metadata, found by walking the pristine log. */
    private static List<long[]> metadataRanges() throws IOException {
        List<long[]> out = new ArrayList<>();
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image("nb-lfs-4k"), true)) {
            LfsFileSystem fs = LfsFileSystem.open(dev);
            Superblock sb = fs.sb;
            out.add(new long[] {Superblock.LABELPAD, Superblock.DISK_SIZE});
            out.add(new long[] {sb.byteOffset(sb.sboffs[1]), Superblock.DISK_SIZE});
            for (LogWalker.PartialSegment ps : new LogWalker(fs).walkDirtySegments()) {
                SegmentSummary s = ps.summary();
                out.add(new long[] {sb.byteOffset(ps.address()), sb.sumsize});
                for (long ib : s.inodeBlocks) {
                    out.add(new long[] {sb.byteOffset(ib), sb.ibsize});
                }
                // File blocks: those of the IFILE, the root and the small directories, and every indirect block.
                long off = ps.address() + sb.btofsb(sb.sumsize);
                int nextInode = 0;
                for (SegmentSummary.FileInfo fi : s.files) {
                    while (nextInode < s.inodeBlocks.length && s.inodeBlocks[nextInode] == off) {
                        off += sb.btofsb(sb.ibsize);
                        nextInode++;
                    }
                    long[] lbns = fi.blocks();
                    for (int j = 0; j < lbns.length; j++) {
                        long size = j == lbns.length - 1 ? fi.lastLength() : sb.bsize;
                        if (fi.ino() <= 22 || lbns[j] < 0) {
                            out.add(new long[] {sb.byteOffset(off), size});
                        }
                        off += sb.btofsb(size);
                    }
                }
            }
        }
        return out;
    }

    /** True when the walk got through, false when a VfsException stopped it. */
    private static boolean mountAndWalk(byte[] img, String label) throws Exception {
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = MemoryBlockDevice.of(img, 512, false, true)) {
            Mount mp;
            try {
                mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            } catch (VfsException e) {
                return false;
            }
            PathFacade fs = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            boolean clean = true;
            Set<Long> dirs = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of("/"));
            int visited = 0;
            fs.statvfs();
            while (!todo.isEmpty() && visited < 10_000) {
                String dir = todo.remove(todo.size() - 1);
                List<Dirent> list;
                try {
                    Vattr dva = fs.lstat(dir);
                    if (!dirs.add(dva.fileid)) {
                        continue;
                    }
                    list = fs.readdir(dir);
                } catch (VfsException e) {
                    clean = false;
                    continue;
                }
                for (Dirent d : list) {
                    if (d.name().isDot() || d.name().isDotDot()) {
                        continue;
                    }
                    visited++;
                    String path = (dir.equals("/") ? "" : dir) + "/" + d.name().toString(StandardCharsets.ISO_8859_1);
                    try {
                        Vattr va = fs.lstat(path);
                        if (va.type == VType.VDIR) {
                            todo.add(path);
                        } else if (va.type == VType.VLNK) {
                            fs.readlink(path);
                        } else if (va.type == VType.VREG) {
                            readSome(fs, path, va.size);
                        }
                    } catch (VfsException e) {
                        clean = false;
                    }
                }
            }
            kernel.unmount(mp, true);
            return clean;
        }
    }

    /** Reads the start and the end of a file, in bounded pieces whatever its claimed size. */
    private static void readSome(PathFacade fs, String path, long size) throws IOException {
        try (FileHandle fh = fs.open(path, OpenFlags.O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            for (long off = 0; off < Math.min(size, 256 * 1024); off += b.capacity()) {
                fh.read(off, b.clear());
            }
            if (size > 64 * 1024) {
                fh.read(size - 64 * 1024, b.clear());
            }
        }
    }
}
