package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.DriverRegistry;

/** The same commands on an LFS image written by NetBSD's kernel, found by probing (-t auto). */
class LfsImageTest {
    private static final String NAME = "nb-lfs-4k";
    private static Path image;
    private static List<SharedImages.Entry> manifest;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(DriverRegistry.load().get("lfs").isPresent(), "the lfs driver is not on the class path");
        image = SharedImages.image(NAME);
        manifest = SharedImages.manifest(NAME);
    }

    @Test
    void findPrintsEveryPathInTreeOrder() {
        CliRun r = CliRun.run("find", image.toString(), "/");
        assertEquals(0, r.exit(), r.stderr());
        List<byte[]> want = new ArrayList<>();
        for (SharedImages.Entry e : manifest) {
            want.add(e.path());
        }
        want.sort(ImageTest::treeOrder);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] p : want) {
            expected.writeBytes(p);
            expected.write('\n');
        }
        assertArrayEquals(expected.toByteArray(), r.stdout());
    }

    @Test
    void catGivesTheExactContentOfTheLargestFiles() throws Exception {
        List<SharedImages.Entry> files = new ArrayList<>(manifest.stream()
                .filter(e -> "file".equals(e.type()) && e.get("path").chars().allMatch(c -> c < 128)).toList());
        files.sort(Comparator.comparingLong((SharedImages.Entry e) -> Long.parseLong(e.get("size"))).reversed());
        for (SharedImages.Entry e : files.subList(0, 5)) {
            CliRun r = CliRun.run("cat", "-t", "lfs", image.toString(), e.get("path"));
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(e.get("sha256"), ImageTest.sha256(r.stdout()), e.get("path"));
        }
    }

    /** On a copy: the NetBSD image itself stays pristine for the other tests. */
    @Test
    void writesThroughTheCommandsPersistAcrossMounts(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve(NAME + ".img");
        java.nio.file.Files.copy(image, copy);
        CliRun mkdir = CliRun.run("mkdir", copy.toString(), "/new");
        assertEquals(0, mkdir.exit(), mkdir.toString());
        CliRun ls = CliRun.run("ls", "-d", copy.toString(), "/new");
        assertEquals(0, ls.exit(), ls.toString());
        assertEquals("/new\n", ls.out());
    }
}
