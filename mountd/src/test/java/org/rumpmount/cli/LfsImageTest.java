package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
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
        assertArrayEquals(SharedImages.findListing(manifest), r.stdout());
    }

    @Test
    void catGivesTheExactContentOfTheLargestFiles() throws Exception {
        for (SharedImages.Entry e : SharedImages.largestFiles(manifest, 5)) {
            CliRun r = CliRun.run("cat", "-t", "lfs", image.toString(), e.get("path"));
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(e.get("sha256"), SharedImages.sha256(r.stdout()), e.get("path"));
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
