package org.rumpmount.fs.ffs.makefs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.FfsChecker;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * A generated host tree copied into an image by our makefs and by Debian's makefs reads back,
 * through our driver, the same as the host: every entry's type, mode, owner, size, times, bytes,
 * link target and link structure.
 */
class MakefsTest {
    private static Path work;
    private static Path src;
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @BeforeAll
    static void generate() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "makefs").toAbsolutePath();
        src = Files.createDirectories(work.resolve("src"));
        Random rnd = new Random(42);
        long[] boundaries = {0, 1, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193,
            12L * 8192 - 1, 12L * 8192, 12L * 8192 + 1, 12L * 4096 + 1, 13L * 8192 + 100};
        Path files = Files.createDirectories(src.resolve("files"));
        for (int i = 0; i < 300; i++) {
            long size = i < boundaries.length ? boundaries[i] : rnd.nextInt(3 * 8192);
            byte[] b = new byte[(int) size];
            rnd.nextBytes(b);
            Path f = files.resolve(String.format("f%03d", i));
            Files.write(f, b);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(i % 3 == 0 ? "rw-------"
                    : i % 3 == 1 ? "rwxr-xr-x" : "r--r--r--"));
        }
        // Beyond the direct blocks of an 8 KiB UFS2 file into the double indirect level, with a hole.
        try (var ch = Files.newByteChannel(src.resolve("big"), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] b = new byte[100_000];
            rnd.nextBytes(b);
            ch.write(java.nio.ByteBuffer.wrap(b));
            ch.position((12L + 1024 + 3) * 8192);
            ch.write(java.nio.ByteBuffer.wrap(b));
        }
        Path deep = src;
        for (int i = 0; i < 20; i++) {
            deep = Files.createDirectories(deep.resolve("d" + i));
        }
        Files.writeString(deep.resolve("bottom"), "deep");
        Path links = Files.createDirectories(src.resolve("links"));
        for (int n : new int[] {1, 59, 60, 61, 119, 120, 121, 300}) {
            Files.createSymbolicLink(links.resolve("s" + n), Paths.get("t".repeat(n)));
        }
        Files.createSymbolicLink(links.resolve("up"), Paths.get("../files/f001"));
        Files.write(links.resolve("hard1"), new byte[] {1, 2, 3});
        Files.createLink(links.resolve("hard2"), links.resolve("hard1"));
        Files.createLink(files.resolve("hard3"), links.resolve("hard1"));
        Path special = Files.createDirectories(src.resolve("special"));
        run("mkfifo", "-m", "0640", special.resolve("fifo").toString());
        if (ROOT) {
            run("mknod", "-m", "0600", special.resolve("null").toString(), "c", "1", "3");
            run("mknod", "-m", "0600", special.resolve("loop").toString(), "b", "7", "200");
        }
        if (ROOT) {
            // Owners beyond the caller's own, on files, a directory and a symlink itself.
            try (Stream<Path> s = Files.list(files)) {
                int i = 0;
                for (Path f : s.sorted().toList()) {
                    Files.setAttribute(f, "unix:uid", 1000 + i % 7, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(f, "unix:gid", 2000 + i % 5, LinkOption.NOFOLLOW_LINKS);
                    i++;
                }
            }
            Files.setAttribute(links.resolve("s60"), "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(deep, "unix:gid", 777, LinkOption.NOFOLLOW_LINKS);
        }
        Path sticky = Files.createDirectories(src.resolve("sticky"));
        run("chmod", "1777", sticky.toString());
        run("chmod", "2750", special.toString());
        // Times with nanoseconds, children before parents so that later creation does not move them.
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        long base = Instant.now().getEpochSecond() - 86_400 * 400L;
        for (int i = 0; i < all.size(); i++) {
            FileTime m = FileTime.from(Instant.ofEpochSecond(base + i * 977L, 123_456_789L + i));
            // atime after mtime and recent: relatime will not move it while the copy reads the file.
            FileTime a = FileTime.from(Instant.now().minusSeconds(3600).plusNanos(i * 1001L));
            Path e = all.get(i);
            if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                Files.getFileAttributeView(e, BasicFileAttributeView.class).setTimes(m, a, null);
            } else {
                // Java opens a file to set its times, which blocks on a FIFO and follows a symlink.
                run("touch", "-h", "-m", "-d", "@" + stamp(m), e.toString());
                run("touch", "-h", "-a", "-d", "@" + stamp(a), e.toString());
            }
        }
    }

    private static String stamp(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() + "." + String.format("%09d", i.getNano());
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(List.of(cmd) + " failed: " + out);
        }
    }

    static Kernel kernel() {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        return new Kernel(Host.system(), registry, new BufferCache(8L << 20));
    }

    @ParameterizedTest(name = "UFS{0} {1}/{2} {3}")
    @CsvSource({"2, 8192, 1024, le", "1, 4096, 512, be", "2, 16384, 2048, be", "1, 8192, 1024, le"})
    void ourImageReadsBackAsTheHostTree(int version, int bsize, int fsize, String endian) throws Exception {
        Path img = work.resolve("ours-" + version + "-" + bsize + endian + ".img");
        AtomicLong seen = new AtomicLong();
        MakefsOptions o = MakefsOptions.builder().version(version).blockSize(bsize, fsize)
                .byteOrder(endian.equals("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .progress((done, total, path) -> {
                    assertTrue(done <= total);
                    seen.set(done);
                }).build();
        // Reading a file may move the host's atime (depending on how the host mounts it): what counts is
        // the atime when makefs looked.
        Map<String, FileTime> atimes = new HashMap<>();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path h : s.toList()) {
                atimes.put(src.relativize(h).toString(), (FileTime) Files.getAttribute(h, "unix:lastAccessTime",
                        LinkOption.NOFOLLOW_LINKS));
            }
        }
        Makefs.build(src, img, o);
        assertTrue(seen.get() > 300, "progress was reported for every entry");
        List<String> problems = FfsChecker.check(Files.readAllBytes(img));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        compare(img, atimes);
    }

    @Test
    void debianMakefsImageReadsBackTheSame() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/sbin/makefs")), "makefs is not installed");
        Path img = work.resolve("debian.img");
        run("makefs", "-t", "ffs", "-o", "version=2,bsize=8192,fsize=1024", img.toString(), src.toString());
        compare(img, null);
    }

    @Test
    void aFixedSizeTooSmallNamesTheSizeNeeded() throws Exception {
        MakefsOptions o = MakefsOptions.builder().sizeBytes(1 << 20).build();
        VfsException e = assertThrows(VfsException.class, () -> Makefs.build(src, work.resolve("small.img"), o));
        assertEquals(Errno.ENOSPC, e.errno());
        long needed = Makefs.computeSize(src, MakefsOptions.builder().build());
        assertTrue(e.getMessage().contains("fixed size of 1048576 bytes") && e.getMessage().contains(
                "it needs " + needed + " bytes"), e.getMessage());
        assertFalse(Files.exists(work.resolve("small.img")), "no image is made");
    }

    @Test
    void anImageThatCannotBeFinishedIsRemoved() throws Exception {
        Path bad = Files.createDirectories(work.resolve("bad"));
        Files.write(bad.resolve("a"), new byte[5000]);
        // Linux takes a target of up to 4095 bytes; FFS stores up to 1023.
        Files.createSymbolicLink(bad.resolve("long"), Paths.get("t".repeat(1100)));
        Path img = work.resolve("bad.img");
        VfsException e = assertThrows(VfsException.class, () -> Makefs.build(bad, img, MakefsOptions.builder().build()));
        assertEquals(Errno.ENAMETOOLONG, e.errno());
        assertTrue(e.getMessage().contains("/long: ") && e.getMessage().contains("1100 bytes"), e.getMessage());
        assertFalse(Files.exists(img), "the unfinished image is removed");
    }

    /**
     * An independent reader: sleuthkit lists every regular file of our image and extracts each
     * with the host's bytes (stock sleuthkit finds a UFS2 superblock at 64 KiB, where our newfs,
     * and so our makefs, puts it).
     */
    @ParameterizedTest(name = "UFS{0} {1}/{2} {3}")
    @CsvSource({"1, 4096, 512, be", "2, 8192, 1024, le"})
    void sleuthkitReadsEveryFileOfOurImage(int version, int bsize, int fsize, String endian) throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/fls")), "sleuthkit is not installed");
        Path img = work.resolve("tsk-" + version + "-" + bsize + endian + ".img");
        Makefs.build(src, img, MakefsOptions.builder().version(version).blockSize(bsize, fsize)
                .byteOrder(endian.equals("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).build());
        Map<String, Long> inodes = new java.util.TreeMap<>();
        for (String line : output("fls", "-r", "-p", "-f", "ufs", img.toString()).split("\n")) {
            // "r/r 5:\tdir/file1"
            int colon = line.indexOf(':');
            int tab = line.indexOf('\t');
            if (line.startsWith("r/r ") && !line.startsWith("r/r *") && colon > 0 && tab > colon) {
                inodes.put(line.substring(tab + 1), Long.parseLong(line.substring(4, colon).trim()));
            }
        }
        List<String> hostFiles;
        try (Stream<Path> s = Files.walk(src)) {
            hostFiles = s.filter(h -> Files.isRegularFile(h, LinkOption.NOFOLLOW_LINKS))
                    .map(h -> src.relativize(h).toString()).sorted().toList();
        }
        assertEquals(hostFiles, List.copyOf(inodes.keySet()), "the regular files sleuthkit lists");
        Path out = work.resolve("icat.out");
        for (String f : hostFiles) {
            Process p = new ProcessBuilder("icat", "-f", "ufs", img.toString(), Long.toString(inodes.get(f)))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(0, p.waitFor(), "icat of " + f);
            assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out), "icat of " + f);
        }
        Files.delete(out);
        Files.delete(img);
    }

    static String output(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(List.of(cmd) + " failed with status " + p.exitValue());
        }
        return out;
    }

    /**
     * Every host entry, looked up in the image read-only, matches. With {@code atimes} (our makefs)
     * access times and nanoseconds are compared too; Debian's makefs keeps whole seconds only.
     */
    private void compare(Path img, Map<String, FileTime> atimes) throws Exception {
        boolean exact = atimes != null;
        Map<String, Long> inodeOfHostInode = new HashMap<>();
        try (FileBlockDevice dev = FileBlockDevice.open(img, true); Kernel k = kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            List<Path> all;
            try (Stream<Path> s = Files.walk(src)) {
                all = s.toList();
            }
            int count = 0;
            for (Path h : all) {
                String rel = src.relativize(h).toString();
                String path = "/" + rel;
                Map<String, Object> a = Files.readAttributes(h, "unix:*", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                if ((mode & 0170000) == 0140000) {
                    continue;
                }
                Vattr v = p.lstat(path);
                String what = img.getFileName() + " " + path;
                assertEquals(mode & 0170000, v.statMode() & 0170000, what + " type");
                if ((mode & 0170000) != 0120000) {
                    assertEquals(mode & 07777, v.mode & 07777, what + " mode");
                }
                assertEquals(((Number) a.get("uid")).longValue(), v.uid, what + " uid");
                assertEquals(((Number) a.get("gid")).longValue(), v.gid, what + " gid");
                FileTime mt = (FileTime) a.get("lastModifiedTime");
                assertEquals(mt.toInstant().getEpochSecond(), v.mtime.sec(), what + " mtime");
                if (exact) {
                    assertEquals(mt.toInstant().getNano(), v.mtime.nsec(), what + " mtime nanoseconds");
                    FileTime at = atimes.get(rel);
                    assertEquals(at.toInstant(), Instant.ofEpochSecond(v.atime.sec(), v.atime.nsec()), what + " atime");
                }
                assertEquals(((Number) a.get("nlink")).longValue(), v.nlink, what + " link count");
                if (v.type != VType.VDIR) {
                    String key = a.get("dev") + ":" + a.get("ino");
                    Long prev = inodeOfHostInode.putIfAbsent(key, v.fileid);
                    if (prev != null) {
                        assertEquals(prev.longValue(), v.fileid, what + " is a hard link of the same inode");
                    }
                }
                switch (v.type) {
                    case VREG -> {
                        assertEquals(Files.size(h), v.size, what + " size");
                        assertArrayEquals(Files.readAllBytes(h), p.readAll(path), what + " bytes");
                    }
                    case VLNK -> assertEquals(Files.readSymbolicLink(h).toString(),
                            new String(p.readlink(path), StandardCharsets.UTF_8), what + " target");
                    case VCHR, VBLK -> assertEquals(((Number) a.get("rdev")).longValue(), v.rdev, what + " rdev");
                    default -> {
                    }
                }
                count++;
            }
            assertTrue(count > 340, "compared " + count + " entries");
            k.unmount(mp, false);
        }
    }
}
