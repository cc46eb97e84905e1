package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VType;

/** Everyday host commands on a mounted tmpfs, checked from the host and from inside the kernel. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostCommandsIT extends OnFreshTmpfs {
    private Path d;

    @BeforeEach
    void mountPoint() {
        d = f.dir;
    }

    @Test
    void cpCatAndLs() throws IOException {
        Path src = Files.createTempFile("rumpmount-src-", ".txt");
        try {
            Files.writeString(src, "hello, kernel\n");
            Sh.run(d, "cp", src.toString(), "copy.txt").ok();
            Sh.assertOk(Sh.run(d, "cat", "copy.txt"), "hello, kernel\n");
            String ls = Sh.run(d, "ls", "-l", "copy.txt").ok().out();
            assertTrue(ls.startsWith("-rw-"), ls);
            assertTrue(ls.contains(" 14 "), ls);
            assertArrayEquals("hello, kernel\n".getBytes(StandardCharsets.UTF_8), f.facade.readAll("/copy.txt"));
        } finally {
            Files.delete(src);
        }
    }

    @Test
    void mkdirParentsMvAndRmRecursive() throws IOException {
        Sh.run(d, "mkdir", "-p", "a/b/c/d").ok();
        Sh.run(d, "touch", "a/b/c/d/leaf").ok();
        assertEquals(VType.VDIR, f.facade.stat("/a/b/c/d").type);
        Sh.run(d, "mv", "a/b", "moved").ok();
        assertTrue(Files.exists(d.resolve("moved/c/d/leaf")));
        assertFalse(Files.exists(d.resolve("a/b")));
        Sh.run(d, "mv", "moved/c/d/leaf", "leaf2").ok();
        assertEquals(VType.VREG, f.facade.stat("/leaf2").type);
        Sh.run(d, "rm", "-r", "moved", "a").ok();
        Sh.assertOk(Sh.run(d, "ls", "-A"), "leaf2\n");
        // Directory link counts follow the subdirectories.
        Sh.run(d, "mkdir", "p", "p/q", "p/r").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%h", "p"), "4\n");
    }

    @Test
    void touchOfASymbolicLinkItselfLeavesItsTargetAlone() throws IOException {
        Sh.run(d, "touch", "-d", "@981173106", "target").ok();
        Sh.run(d, "ln", "-s", "target", "link").ok();
        Sh.run(d, "touch", "-h", "-d", "@1262304000", "link").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%Y", "target"), "981173106\n");
        Sh.assertOk(Sh.run(d, "stat", "-c", "%Y", "link"), "1262304000\n");
    }

    @Test
    void cpArchiveCopiesATreeWithSymbolicLinksAndTheirTimes() throws IOException {
        Path src = Files.createTempDirectory("rumpmount-tree-");
        try {
            Files.writeString(src.resolve("file"), "data");
            Sh.run(src, "ln", "-s", "file", "link").ok();
            Sh.run(src, "touch", "-h", "-d", "@1115269505", "link").ok();
            Sh.run(d, "cp", "-a", src.toString(), "copy").ok();
            Sh.assertOk(Sh.run(d, "readlink", "copy/link"), "file\n");
            Sh.assertOk(Sh.run(d, "stat", "-c", "%Y", "copy/link"), "1115269505\n");
        } finally {
            Sh.run(src.getParent(), "rm", "-rf", src.toString()).ok();
        }
    }

    @Test
    void hardLinksShareTheInode() throws IOException {
        Files.writeString(d.resolve("orig"), "shared");
        Sh.run(d, "ln", "orig", "alias").ok();
        String s = Sh.run(d, "stat", "-c", "%i %h", "orig", "alias").ok().out();
        String[] lines = s.split("\n");
        assertEquals(lines[0], lines[1]);
        assertTrue(lines[0].endsWith(" 2"), s);
        Files.writeString(d.resolve("alias"), "changed");
        assertEquals("changed", Files.readString(d.resolve("orig")));
        Sh.run(d, "rm", "orig").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%h", "alias"), "1\n");
    }

    @Test
    void symbolicLinks() throws IOException {
        Files.writeString(d.resolve("target"), "via link");
        Sh.run(d, "ln", "-s", "target", "link").ok();
        Sh.run(d, "ln", "-s", "/nowhere/at/all", "dangling").ok();
        Sh.assertOk(Sh.run(d, "readlink", "link"), "target\n");
        Sh.assertOk(Sh.run(d, "readlink", "dangling"), "/nowhere/at/all\n");
        Sh.assertOk(Sh.run(d, "cat", "link"), "via link");
        Sh.assertOk(Sh.run(d, "stat", "-c", "%F %s", "link"), "symbolic link 6\n");
        assertEquals(VType.VLNK, f.facade.lstat("/link").type);
        Sh.run(d, "cat", "dangling").fails("No such file or directory");
    }

    @Test
    void chmodAndStat() throws IOException {
        Sh.run(d, "touch", "f").ok();
        Sh.run(d, "chmod", "4751", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%a %A", "f"), "4751 -rwsr-x--x\n");
        assertEquals(04751, f.facade.stat("/f").mode);
        Sh.run(d, "chmod", "u-s,go=", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%a", "f"), "700\n");
    }

    @Test
    void chownToArbitraryIds() throws IOException {
        Sh.run(d, "touch", "f").ok();
        Sh.run(d, "chown", "1234:5678", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%u %g", "f"), "1234 5678\n");
        Sh.run(d, "chown", ":42", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%u %g", "f"), "1234 42\n");
        Vattr va = f.facade.stat("/f");
        assertEquals(1234, va.uid);
        assertEquals(42, va.gid);
    }

    @Test
    void touchWithADate() throws IOException {
        Sh.run(d, "touch", "-d", "2001-02-03 04:05:06.123456789 UTC", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%X %Y", "f"), "981173106 981173106\n");
        Vattr va = f.facade.stat("/f");
        assertEquals(981173106L, va.mtime.sec());
        assertEquals(123456789, va.mtime.nsec());
        assertEquals(123456789, va.atime.nsec());
    }

    @Test
    void truncateGrowsAndShrinks() throws IOException {
        Files.writeString(d.resolve("f"), "0123456789");
        Sh.run(d, "truncate", "-s", "4", "f").ok();
        Sh.assertOk(Sh.run(d, "cat", "f"), "0123");
        Sh.run(d, "truncate", "-s", "1M", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%s", "f"), "1048576\n");
        byte[] all = Files.readAllBytes(d.resolve("f"));
        assertEquals(1 << 20, all.length);
        for (int i = 4; i < all.length; i++) {
            if (all[i] != 0) {
                throw new AssertionError("byte " + i + " after extension is " + all[i]);
            }
        }
    }

    @Test
    void ddWithOffsets() throws IOException {
        Sh.run(d, "dd", "if=/dev/zero", "of=z", "bs=4096", "count=3", "status=none").ok();
        Sh.run(d, "sh", "-c", "printf ABCD | dd of=z bs=1 seek=5000 conv=notrunc status=none").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%s", "z"), "12288\n");
        Sh.assertOk(Sh.run(d, "dd", "if=z", "bs=1", "skip=5000", "count=4", "status=none"), "ABCD");
    }

    @Test
    void fsyncFdatasyncAndDirectoryFsyncSucceed() throws IOException {
        Files.writeString(d.resolve("f"), "durable");
        Sh.assertOk(Sh.python(d, String.join("\n",
                "import os",
                "fd = os.open('f', os.O_RDWR)",
                "os.write(fd, b'D')",
                "os.fsync(fd)",
                "os.fdatasync(fd)",
                "os.close(fd)",
                "dfd = os.open('.', os.O_RDONLY)",
                "os.fsync(dfd)",
                "os.close(dfd)",
                "print(open('f').read())")), "Durable\n");
        Sh.run(d, "sync", "f").ok();
    }

    @Test
    void fifosAndDeviceNodes() throws IOException {
        Sh.run(d, "mkfifo", "-m", "640", "pipe").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%F %a", "pipe"), "fifo 640\n");
        assertEquals(VType.VFIFO, f.facade.lstat("/pipe").type);
        Sh.run(d, "mknod", "chr", "c", "1", "3").ok();
        Sh.run(d, "mknod", "blk", "b", "8", "17").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%F %t:%T", "chr", "blk"),
                "character special file 1:3\nblock special file 8:11\n");
        assertEquals(VType.VCHR, f.facade.lstat("/chr").type);
    }

    @Test
    void largeDirectoryListsEveryEntryExactlyOnce() throws IOException {
        // Several readdir requests are needed, each resuming from the cookie the last one ended at.
        Sh.python(d, "import os\nfor i in range(1500): open('entry-%04d' % i, 'w').close()").ok();
        String[] names = Sh.run(d, "ls", "-f").ok().out().split("\n");
        assertEquals(1502, names.length);
        java.util.Set<String> unique = new java.util.HashSet<>(java.util.Arrays.asList(names));
        assertEquals(1502, unique.size());
        assertTrue(unique.contains("entry-0000") && unique.contains("entry-1499") && unique.contains(".."));
        // Inode numbers in readdir are the file system's (use_ino), and match stat.
        String r = Sh.python(d, "import os\ne=[x for x in os.scandir('.') if x.name=='entry-0042'][0]\n"
                + "print(e.inode() == os.stat('entry-0042').st_ino, e.is_file())").ok().out();
        assertEquals("True True\n", r);
        assertEquals(f.facade.stat("/entry-0042").fileid + "\n", Sh.run(d, "stat", "-c", "%i", "entry-0042").ok().out());
    }

    @Test
    void removingFilesWhileListingKeepsTheRest() throws IOException {
        Sh.python(d, "for i in range(600): open('n%03d' % i, 'w').close()").ok();
        // Delete every other entry between reads of one directory stream.
        String out = Sh.python(d, String.join("\n",
                "import os",
                "seen = []",
                "with os.scandir('.') as it:",
                "    for i, e in enumerate(it):",
                "        seen.append(e.name)",
                "        if i == 10:",
                "            for j in range(0, 600, 2):",
                "                n = 'n%03d' % j",
                "                if n not in seen: os.unlink(n)",
                "odd = [n for n in seen if int(n[1:]) % 2 == 1]",
                "print(len(odd), len(set(seen)) == len(seen))")).ok().out();
        assertEquals("300 True\n", out);
    }
}
