package org.rumpmount.fs.ffs.newfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/** Options out of range are refused naming the option and its range; layouts follow mkfs.c's rules. */
class NewfsOptionsTest {
    @Test
    void rangesAreCheckedWithTheOptionNamed() {
        assertMessage(() -> NewfsOptions.builder().version(3), "-O (UFS version) is 3, expected 1 or 2");
        assertMessage(() -> NewfsOptions.builder().blockSize(2048), "-b (block size) is 2048");
        assertMessage(() -> NewfsOptions.builder().blockSize(131072), "from 4096 to 65536");
        assertMessage(() -> NewfsOptions.builder().blockSize(12288), "a power of two");
        assertMessage(() -> NewfsOptions.builder().fragmentSize(256), "-f (fragment size) is 256");
        assertMessage(() -> NewfsOptions.builder().blockSize(32768).fragmentSize(2048).build(),
                "with -b 32768 it must be at least 4096");
        assertMessage(() -> NewfsOptions.builder().blockSize(4096).fragmentSize(8192).build(),
                "-f (fragment size) 8192 is larger than -b (block size) 4096");
        assertMessage(() -> NewfsOptions.builder().minfree(100), "-m (minfree) is 100");
        assertMessage(() -> NewfsOptions.builder().version(1).volumeLabel("x").build(), "needs UFS2");
        assertMessage(() -> NewfsOptions.builder().volumeLabel("x".repeat(32)), "at most 31 bytes");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    @Test
    void tooSmallASizeNamesTheMinimum() {
        NewfsOptions o = NewfsOptions.builder().version(2).blockSize(32768).fragmentSize(4096).build();
        VfsException e = assertThrows(VfsException.class, () -> Newfs.format(MemoryBlockDevice.create(128 << 10), o));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("-s (size) 131072 bytes is too small") && e.getMessage().contains("at least"),
                e.getMessage());
        VfsException big = assertThrows(VfsException.class,
                () -> Newfs.format(MemoryBlockDevice.create(1 << 20), o.toBuilder().sizeBytes(2 << 20).build()));
        assertTrue(big.getMessage().contains("exceeds the device's 1048576 bytes"), big.getMessage());
    }

    @Test
    void layoutFollowsMkfs() throws Exception {
        NewfsLayout l = Newfs.plan(NewfsOptions.builder().version(2).blockSize(16384).fragmentSize(2048).build(),
                64L << 20);
        // UFS2: superblock at 64 KiB, its group copy in the next block after it.
        assertEquals(65536, l.sblockloc());
        assertEquals(40, l.sblkno());
        assertEquals(48, l.cblkno());
        assertEquals(56, l.iblkno());
        assertEquals(4, l.ncg(), "at least MINCYLGRPS groups");
        assertEquals(8192, l.fpg());
        assertEquals(l.iblkno() + l.ipg() / l.inopb() * l.frag(), l.dblkno());
        assertEquals(4, l.maxcontig(), "MAXPHYS / bsize");
        assertEquals(4, l.contigsumsize());
        assertEquals(4096, l.maxbpg());
        assertEquals(2048, l.sbsize());
        NewfsLayout v1 = Newfs.plan(NewfsOptions.builder().version(1).blockSize(8192).fragmentSize(1024).build(),
                4L << 20);
        assertEquals(8192, v1.sblockloc());
        assertEquals(16, v1.sblkno());
        NewfsLayout big = Newfs.plan(NewfsOptions.builder().version(2).blockSize(65536).fragmentSize(8192).build(),
                64L << 20);
        assertEquals(0, big.contigsumsize(), "one block per transfer: no cluster summary");
    }

    /**
     * Debian's makefs is NetBSD's makefs, whose ffs code sizes cylinder groups differently (from
     * its maxbpcg, in the FreeBSD manner) and puts a UFS2 superblock at 8 KiB; the fields both
     * define the same way agree.
     */
    @Test
    void fieldsDefinedAlikeAgreeWithDebianMakefs() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/usr/sbin/makefs")), "makefs is not installed");
        Path dir = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "makefs-cmp");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        for (int v = 1; v <= 2; v++) {
            for (int[] s : new int[][] {{8192, 1024}, {16384, 2048}, {32768, 4096}}) {
                Path img = dir.resolve("img" + v + s[0]);
                Process p = new ProcessBuilder("makefs", "-t", "ffs", "-B", "le", "-s", "64m", "-o",
                        "version=" + v + ",bsize=" + s[0] + ",fsize=" + s[1], img.toString(), empty.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertEquals(0, p.waitFor());
                byte[] d = Files.readAllBytes(img);
                ByteBuffer sb = ByteBuffer.wrap(d, 8192, 8192).slice().order(ByteOrder.LITTLE_ENDIAN);
                NewfsLayout l = Newfs.plan(NewfsOptions.builder().version(v).blockSize(s[0]).fragmentSize(s[1])
                        .build(), d.length);
                String what = "UFS" + v + " " + s[0] + "/" + s[1] + ": ";
                if (v == 1) {
                    assertEquals(l.sblkno(), sb.getInt(8), what + "fs_sblkno");
                    assertEquals(l.cblkno(), sb.getInt(12), what + "fs_cblkno");
                    assertEquals(l.iblkno(), sb.getInt(16), what + "fs_iblkno");
                }
                assertEquals(l.size(), sb.getLong(1080), what + "fs_size");
                assertEquals(l.maxcontig(), sb.getInt(88), what + "fs_maxcontig");
                assertEquals(l.contigsumsize(), sb.getInt(1316), what + "fs_contigsumsize");
                assertEquals(l.maxbpg(), sb.getInt(92), what + "fs_maxbpg");
                assertEquals(l.sbsize(), sb.getInt(104), what + "fs_sbsize");
                assertEquals(l.inopb(), sb.getInt(120), what + "fs_inopb");
                assertEquals(l.nindir(), sb.getInt(116), what + "fs_nindir");
                assertEquals(l.maxfilesize(), sb.getLong(1328), what + "fs_maxfilesize");
                assertEquals(v == 2 ? 120 : 60, sb.getInt(1320), what + "fs_maxsymlinklen");
                assertEquals(List.of(16384, 64), List.of(sb.getInt(1196), sb.getInt(1200)), what + "avgfilesize/avgfpdir");
            }
        }
    }

    @Test
    void theVolumeLabelIsFsVolname() throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(8 << 20);
        Newfs.format(dev, NewfsOptions.builder().volumeLabel("rumpvol").build());
        byte[] name = java.util.Arrays.copyOfRange(dev.snapshot(), 65536 + 680, 65536 + 680 + 8);
        assertArrayEquals("rumpvol\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), name);
    }

    /** A UFS1 newfs over an old UFS2 file system must not leave the UFS2 superblock to be found first. */
    @Test
    void staleSuperblocksAreWiped() throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(16 << 20);
        NewfsOptions v2 = NewfsOptions.builder().version(2).blockSize(65536).fragmentSize(8192).build();
        Newfs.format(dev, v2);
        // Few inodes, so that 64 KiB falls in the first group's free data area, which newfs does not write.
        Newfs.format(dev, NewfsOptions.builder().version(1).blockSize(4096).fragmentSize(512).bytesPerInode(1 << 20)
                .build());
        byte[] image = dev.snapshot();
        assertEquals(0, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(65536 + 1372),
                "no magic left at 64 KiB");
        List<String> problems = org.rumpmount.fs.ffs.FfsChecker.check(image);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(0x011954, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(8192 + 1372));
    }
}
