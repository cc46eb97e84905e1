package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put -r of a host tree whose files are hard links of one another keeps them one file in the image. */
class PutHardLinksTest {
    @TempDir
    Path tmp;

    private static CliRun ok(String... args) {
        CliRun r = CliRun.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    /** Inode number and link count of each name in {@code dir}, from ls -li. */
    private static Map<String, long[]> inodes(String img, String dir) {
        Map<String, long[]> out = new HashMap<>();
        for (String line : ok("ls", "-li", img, dir).out().split("\n")) {
            String[] f = line.trim().split(" +");
            if (f.length < 9 || f[0].equals("total")) {
                continue;
            }
            out.put(f[f.length - 1], new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])});
        }
        return out;
    }

    @Test
    void hardLinkedHostFilesStayLinkedInTheImage() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("a"), "shared contents\n");
        Files.createLink(src.resolve("b"), src.resolve("a"));
        Files.createLink(src.resolve("sub/c"), src.resolve("a"));
        Files.writeString(src.resolve("lone"), "alone\n");
        Path img = tmp.resolve("fs.img");
        ok("newfs", "-s", "8m", img.toString());
        String image = img.toString();

        ok("put", "-r", image, src.toString(), "/t");
        Map<String, long[]> top = inodes(image, "/t");
        Map<String, long[]> sub = inodes(image, "/t/sub");
        assertEquals(top.get("a")[0], top.get("b")[0], "a and b are one file");
        assertEquals(top.get("a")[0], sub.get("c")[0], "and so is sub/c");
        assertEquals(3, top.get("a")[1], "with three links");
        assertEquals(1, top.get("lone")[1]);
        assertNotEquals(top.get("a")[0], top.get("lone")[0]);
        assertEquals("shared contents\n", ok("cat", image, "/t/sub/c").out());

        // Putting the tree again over itself keeps the links (and their count) as they were.
        ok("put", "-r", image, src.toString(), "/t2");
        ok("put", "-r", image, src.toString(), "/t2");
        Map<String, long[]> again = inodes(image, "/t2");
        assertEquals(again.get("a")[0], again.get("b")[0]);
        assertEquals(3, again.get("a")[1]);
        CliRun fsck = CliRun.run("fsck", "-f", "-n", image);
        assertEquals(0, fsck.exit(), fsck.toString());
    }
}
