package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** File data through FUSE: truncation, large and concurrent I/O, and errors that must stay local. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DataIT extends OnFreshTmpfs {
    private final List<Path> scratch = new ArrayList<>();

    @AfterEach
    void deleteScratch() throws IOException {
        for (Path p : scratch) {
            Files.deleteIfExists(p);
        }
    }

    private Path hostFile(long bytes, long seed) throws IOException {
        Path p = Files.createTempFile("rumpmount-data-", ".bin");
        scratch.add(p);
        SplittableRandom r = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            for (long done = 0; done < bytes; done += chunk.length) {
                r.nextBytes(chunk);
                ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bytes - done)));
            }
        }
        return p;
    }

    private static String sha256sum(Path dir, String file) {
        return Sh.run(dir, "sha256sum", file).ok().out().split(" ")[0];
    }

    @Test
    void openWithOTruncThenWriteLeavesNoOldTail() throws IOException {
        byte[] big = new byte[10 * 1024];
        java.util.Arrays.fill(big, (byte) 'X');
        Files.write(f.path("t"), big);
        assertEquals(10 * 1024, Files.size(f.path("t")));
        // The host's open(O_WRONLY|O_TRUNC) followed by a 3-byte write.
        Sh.run(f.dir, "sh", "-c", "printf abc > t").ok();
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%s", "t"), "3\n");
        Sh.assertOk(Sh.run(f.dir, "cat", "t"), "abc");
        assertEquals(3, f.facade.stat("/t").size);
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), f.facade.readAll("/t"));
        // The same through java.nio, and after a remount (no page cache to hide behind).
        Files.write(f.path("t"), big);
        Files.write(f.path("t"), "xyz".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
        f.remount();
        assertArrayEquals("xyz".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(f.path("t")));
    }

    @Test
    void sixtyFourMebibytesRoundTripWithSha256() throws IOException {
        Path src = hostFile(64L << 20, 64);
        String want = sha256sum(src.getParent(), src.getFileName().toString());
        Sh.run(f.dir, "dd", "if=" + src, "of=big", "bs=1M", "status=none").ok();
        assertEquals(64L << 20, f.facade.stat("/big").size);
        assertEquals(want, sha256sum(f.dir, "big"));
        // Read back through a fresh mount so that every byte comes from the file system.
        f.remount();
        assertEquals(want, sha256sum(f.dir, "big"));
        assertEquals(want, javaSha256(f.path("big")));
    }

    private static String javaSha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            try (FileChannel ch = FileChannel.open(p)) {
                while (ch.read(buf) > 0) {
                    buf.flip();
                    md.update(buf);
                    buf.clear();
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eightHostProcessesWriteDifferentFilesAtOnce() throws Exception {
        int n = 8;
        List<Path> sources = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path s = hostFile((3L << 20) + i * 4097L, 100 + i);
            sources.add(s);
            sums.add(sha256sum(s.getParent(), s.getFileName().toString()));
        }
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            procs.add(Sh.start(f.dir, "dd", "if=" + sources.get(i), "of=w" + i, "bs=64k", "status=none"));
        }
        for (int i = 0; i < n; i++) {
            Process p = procs.get(i);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "writer " + i + " hung");
            assertEquals(0, p.exitValue(), "writer " + i + ": " + new String(p.getInputStream().readAllBytes()));
        }
        f.remount();
        for (int i = 0; i < n; i++) {
            assertEquals(sums.get(i), sha256sum(f.dir, "w" + i), "file w" + i);
        }
    }

    @Test
    void failedOperationsLeaveTheMountWritable() throws IOException {
        Sh.run(f.dir, "mkdir", "full").ok();
        Sh.run(f.dir, "touch", "full/x").ok();
        Sh.run(f.dir, "rmdir", "full").fails("Directory not empty");
        Sh.run(f.dir, "cat", "absent").fails("No such file or directory");
        Sh.run(f.dir, "mkdir", "full").fails("File exists");
        Sh.run(f.dir, "mv", "full", "full/x/inside").fails("");
        Sh.run(f.dir, "fallocate", "-l", "1M", "full/x").fails("Operation not supported");
        // Still mounted read-write, and writes still work.
        assertTrue(MountInfo.find(f.fuse.mountPoint()).orElseThrow().options().startsWith("rw"));
        Files.writeString(f.path("after"), "still writable");
        Sh.assertOk(Sh.run(f.dir, "cat", "after"), "still writable");
        Sh.run(f.dir, "rm", "-r", "full").ok();
    }

    @Test
    void unsupportedOperationsAnswerCleanly() throws IOException {
        Files.writeString(f.path("f"), "x");
        Files.writeString(f.path("g"), "y");
        String script = String.join("\n",
                "import os,errno,ctypes",
                "def code(fn):",
                "    try:",
                "        fn()",
                "        return 'ok'",
                "    except OSError as e:",
                "        return errno.errorcode[e.errno]",
                "print('setxattr', code(lambda: os.setxattr('f', 'user.k', b'v')))",
                "print('getxattr', code(lambda: os.getxattr('f', 'user.k')))",
                "print('listxattr', code(lambda: os.listxattr('f')))",
                "libc = ctypes.CDLL(None, use_errno=True)",
                "def fallocate():",
                "    fd = os.open('f', os.O_RDWR)",
                "    try:",
                "        if libc.fallocate(fd, 0, ctypes.c_long(0), ctypes.c_long(4096)) != 0:",
                "            e = ctypes.get_errno(); raise OSError(e, os.strerror(e))",
                "    finally: os.close(fd)",
                "print('fallocate', code(fallocate))",
                "def renameat2(to, flags):",
                "    if libc.renameat2(-100, b'f', -100, to, flags) != 0:",
                "        e = ctypes.get_errno(); raise OSError(e, os.strerror(e))",
                "print('noreplace-existing', code(lambda: renameat2(b'g', 1)))",
                "print('noreplace-new', code(lambda: renameat2(b'h', 1)))",
                "print('exchange', code(lambda: renameat2(b'g', 2)))");
        String out = Sh.python(f.dir, script).ok().out();
        // Python names errno 95 ENOTSUP (Linux's EOPNOTSUPP is the same number). rename(2) flags
        // reach no callback: the Linux kernel answers EEXIST for RENAME_NOREPLACE onto an existing
        // name itself, and EINVAL for any other use of flags, because libfuse 2 answers
        // FUSE_RENAME2 with ENOSYS.
        assertEquals(String.join("\n", "setxattr ENOTSUP", "getxattr ENOTSUP", "listxattr ENOTSUP",
                "fallocate ENOTSUP", "noreplace-existing EEXIST", "noreplace-new EINVAL", "exchange EINVAL", ""), out);
        assertTrue(Files.notExists(f.path("h")));
        assertEquals("x", Files.readString(f.path("f")));
        assertEquals("y", Files.readString(f.path("g")));
    }

    @Test
    void requestsAreLarge() throws IOException {
        Path src = hostFile(8L << 20, 8);
        Sh.run(f.dir, "dd", "if=" + src, "of=big", "bs=1M", "status=none").ok();
        assertEquals(FuseOptions.MAX_IO, f.fuse.largestWrite(), "big_writes: writes arrive in 128 KiB requests");
        f.remount();
        Sh.run(f.dir, "dd", "if=big", "of=/dev/null", "bs=1M", "status=none").ok();
        assertTrue(f.fuse.largestRead() >= 64 * 1024, "largest read " + f.fuse.largestRead());
    }
}
