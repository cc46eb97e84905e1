package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/** The README's embedding example, as written there. */
class EmbeddingTest {
    @Test
    void theReadmeExampleRuns() throws Exception {
        TmpfsPresent.assume();
        List<String> names = new ArrayList<>();
        byte[] back;
        try (Kernel kernel = Kernel.create()) {
            Mount mp = kernel.mount("tmpfs", null, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.mkdir("/a", 0755);
            fs.writeAll("/a/hello", "hi\n".getBytes(StandardCharsets.UTF_8));
            back = fs.readAll("/a/hello");
            for (Dirent d : fs.readdir("/a")) {
                names.add(d.name().toString());
            }
            kernel.unmount(mp, false);
        }
        assertEquals("hi\n", new String(back, StandardCharsets.UTF_8));
        names.sort(null);
        assertEquals(List.of(".", "..", "hello"), names);
    }
}
