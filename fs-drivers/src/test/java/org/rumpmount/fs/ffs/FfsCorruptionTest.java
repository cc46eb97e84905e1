package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * Hostile images: each damaged superblock field is named in the error, and hundreds of seeded
 * random mutations of a small image end every mount and walk in success or a VfsException, never
 * in another exception or a hang.
 */
class FfsCorruptionTest {
    private static final int SB = 8192;
    private static byte[] clean;
    private static Metadata full;

    /** Byte ranges of an image's metadata: superblock, group headers, live inodes, directory blocks. */
    static final class Metadata {
        final byte[] image;
        final List<long[]> superblock = new ArrayList<>();
        final List<long[]> groups = new ArrayList<>();
        final List<long[]> inodes = new ArrayList<>();
        final List<long[]> directories = new ArrayList<>();
        final List<long[]> indirects = new ArrayList<>();

        Metadata(byte[] image) {
            this.image = image;
        }
    }

    @BeforeAll
    static void mapMetadata() throws IOException {
        clean = FfsDriverTest.bytes("ufs2-full");
        full = map(clean);
    }

    static Metadata map(byte[] image) throws IOException {
        Metadata md = new Metadata(image);
        List<long[]> superblock = md.superblock;
        List<long[]> groups = md.groups;
        List<long[]> inodes = md.inodes;
        List<long[]> directories = md.directories;
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", FfsDriverTest.device(image, true), MountOptions.readOnly());
            FfsFileSystem fs = ((FfsVfsOps) mp.vfsOps()).fileSystem();
            Superblock sb = fs.sb;
            superblock.add(new long[] {((FfsVfsOps) mp.vfsOps()).fileSystem().foundAt, sb.sbsize});
            for (int cg = 0; cg < sb.ncg; cg++) {
                groups.add(new long[] {sb.cgtod(cg) * sb.fsize, sb.cgsize});
            }
            TreeWalker w = new TreeWalker(mp, 0, Integer.MAX_VALUE);
            w.walk();
            for (TreeWalker.Node n : w.nodes.values()) {
                long ino = n.va().fileid;
                inodes.add(new long[] {sb.inoToFsba(ino) * sb.fsize + sb.inoToFsbo(ino), sb.dinodeSize()});
                if (n.va().type == VType.VREG) {
                    Inode ip = fs.loadInode(ino);
                    for (long addr : ip.din.ib) {
                        if (addr != 0) {
                            md.indirects.add(new long[] {addr * sb.fsize, sb.bsize});
                        }
                    }
                }
                if (n.va().type == VType.VDIR) {
                    Inode ip = fs.loadInode(ino);
                    BlockMap map = new BlockMap(fs.io, sb, ip);
                    for (long lbn = 0; lbn << sb.bshift < ip.size(); lbn++) {
                        directories.add(new long[] {map.fragAddr(lbn) * sb.fsize, sb.blksize(ip.size(), lbn)});
                    }
                }
            }
        }
        return md;
    }

    private static MemoryBlockDevice withInt(int offset, int value) {
        byte[] img = clean.clone();
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(SB + offset, value);
        return FfsDriverTest.device(img, true);
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource({
        "fs_sbsize, 104, 100",
        "fs_sbsize, 104, 9000",
        "fs_bsize, 48, 3000",
        "fs_bsize, 48, 2048",
        "fs_fsize, 52, 3000",
        "fs_fsize, 52, 1024",
        "fs_frag, 56, 4",
        "fs_bmask, 72, 0",
        "fs_fmask, 76, -1",
        "fs_bshift, 80, 99",
        "fs_fshift, 84, 11",
        "fs_fragshift, 96, 2",
        "fs_fsbtodb, 100, 1",
        "fs_nindir, 116, 2048",
        "fs_inopb, 120, 64",
        "fs_ncg, 44, 0",
        "fs_ncg * fs_fpg, 44, 1000",
        "fs_ipg, 184, 0",
        "fs_ipg, 184, 7",
        "fs_fpg, 188, 9",
        "fs_cssize, 156, 0",
        "fs_cgsize, 160, 99999",
        "fs_minfree, 60, 150",
        "fs_maxsymlinklen, 1320, 500",
        "fs_dblkno, 20, 9",
        "fs_contigsumsize, 1316, 99",
        "unknown ufs flags, 1312, 262144",
    })
    void aDamagedSuperblockFieldIsNamed(String field, int offset, int value) {
        try (Kernel k = FfsGoldenTest.kernel()) {
            VfsException e = assertThrowsVfs(() -> k.mount("ffs", withInt(offset, value), MountOptions.readOnly()));
            assertTrue(e.errno() == Errno.EFTYPE || e.errno() == Errno.EINVAL, e.toString());
            assertTrue(e.getMessage().contains(field), e.getMessage());
            assertTrue(e.getMessage().contains("superblock at byte 8192"), e.getMessage());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTruncatedDeviceIsRefusedAtMount() {
        MemoryBlockDevice half = FfsDriverTest.device(Arrays.copyOf(clean, clean.length / 2), true);
        VfsException e = assertThrowsVfs(() -> FfsGoldenTest.kernel().mount("ffs", half, MountOptions.readOnly()));
        assertTrue(e.getMessage().contains("fs_size") && e.getMessage().contains("device"), e.getMessage());
    }

    @Test
    void aLostMagicMeansNoFileSystem() {
        VfsException e = assertThrowsVfs(() -> FfsGoldenTest.kernel().mount("ffs", withInt(1372, 0),
                MountOptions.readOnly()));
        assertEquals(Errno.EFTYPE, e.errno());
        assertTrue(e.getMessage().contains("no FFS superblock"), e.getMessage());
    }

    @Test
    void aRootThatIsNotADirectoryIsRefused() throws IOException {
        byte[] img = clean.clone();
        long at = full.inodes.get(0)[0];
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putShort((int) at, (short) 0100644);
        VfsException e = assertThrowsVfs(() -> FfsGoldenTest.kernel().mount("ffs", FfsDriverTest.device(img, true),
                MountOptions.readOnly()));
        assertTrue(e.getMessage().contains("root inode 2"), e.getMessage());
    }

    /** Seeded mutations of metadata (and some anywhere): every mount and walk ends cleanly. */
    @ParameterizedTest(name = "{0}: {1} mutated images")
    @CsvSource({"ufs2-full, 300", "ufs1-small, 100"})
    void randomMutationsEndInSuccessOrVfsException(String image, int runs) throws IOException {
        Metadata md = image.equals("ufs2-full") ? full : map(FfsDriverTest.bytes(image));
        List<long[]> superblock = md.superblock;
        List<long[]> groups = md.groups;
        List<long[]> inodes = md.inodes;
        List<long[]> directories = md.directories;
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            for (int seed = 1; seed <= runs; seed++) {
                Random r = new Random(seed);
                byte[] img = md.image.clone();
                StringBuilder what = new StringBuilder();
                int count = 1 + r.nextInt(6);
                for (int i = 0; i < count; i++) {
                    int pick = r.nextInt(100);
                    List<long[]> regions = pick < 15 ? superblock : pick < 25 ? groups : pick < 55 ? inodes
                            : pick < 85 ? directories : pick < 95 ? md.indirects : null;
                    int off;
                    if (regions == null) {
                        off = r.nextInt(img.length);
                    } else {
                        long[] region = regions.get(r.nextInt(regions.size()));
                        off = (int) (region[0] + r.nextInt((int) region[1]));
                    }
                    int kind = r.nextInt(4);
                    img[off] = switch (kind) {
                        case 0 -> (byte) r.nextInt(256);
                        case 1 -> (byte) (img[off] ^ (1 << r.nextInt(8)));
                        case 2 -> (byte) 0xff;
                        default -> 0;
                    };
                    what.append(off).append(' ');
                }
                String outcome;
                try (Kernel k = FfsGoldenTest.kernel()) {
                    Mount mp = k.mount("ffs", FfsDriverTest.device(img, true), MountOptions.readOnly());
                    TreeWalker w = new TreeWalker(mp, 1 << 20, 1000);
                    w.walk();
                    outcome = "walked";
                } catch (VfsException e) {
                    outcome = e.errno().name();
                } catch (Throwable t) {
                    throw new AssertionError("seed " + seed + " (mutated bytes at " + what + "): " + t, t);
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        });
        System.out.println(image + " mutation outcomes: " + outcomes);
        assertEquals(runs, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.containsKey("walked") && outcomes.size() > 1, outcomes.toString());
    }

    interface Call {
        void run() throws IOException;
    }

    static VfsException assertThrowsVfs(Call c) {
        try {
            c.run();
        } catch (VfsException e) {
            return e;
        } catch (IOException e) {
            fail("not a VfsException: " + e);
        }
        throw new AssertionError("no error");
    }
}
