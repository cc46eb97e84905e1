package org.rumpmount.fs.ffs.makefs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read-ahead of host files: what the writer is handed, in what order, and when a file changed. */
class HostReaderTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "hostreader").toAbsolutePath();
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private SourceTree scan() throws IOException {
        return SourceTree.scan(dir);
    }

    private static SourceTree.Entry entry(SourceTree t, String imagePath) {
        return t.entries.stream().filter(e -> e.imagePath().equals(imagePath)).findFirst().orElseThrow();
    }

    private static byte[] contents(HostReader.Contents c) {
        return Arrays.copyOf(c.bytes(), c.length());
    }

    @Test
    void handsOverEveryFileInTheTreesOrderWithItsBytesAndSkipsOthers() throws Exception {
        Random r = new Random(7);
        byte[][] data = new byte[40][];
        for (int i = 0; i < data.length; i++) {
            data[i] = new byte[i == 0 ? 0 : r.nextInt(70_000)];
            r.nextBytes(data[i]);
            file(String.format("f%02d", i), data[i]);
        }
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Paths.get("f01"));
        SourceTree t = scan();
        try (HostReader reader = new HostReader(t.entries)) {
            for (int i = 0; i < data.length; i++) {
                HostReader.Contents c = reader.next(entry(t, String.format("/f%02d", i)));
                assertArrayEquals(data[i], contents(c), "f" + i);
                reader.done(c);
            }
        }
    }

    @Test
    void aFileLargerThanTheReadAheadLimitIsHandedOverUnreadForTheWriterToStream() throws Exception {
        file("big", new byte[HostReader.WHOLE_LIMIT + 1]);
        file("small", new byte[] {1, 2, 3});
        SourceTree t = scan();
        try (HostReader reader = new HostReader(t.entries)) {
            HostReader.Contents big = reader.next(entry(t, "/big"));
            assertNull(big.bytes());
            reader.done(big);
            assertArrayEquals(new byte[] {1, 2, 3}, contents(reader.next(entry(t, "/small"))));
        }
    }

    @Test
    void aFileThatGrewSinceTheScanIsReadWhole() throws Exception {
        Path f = file("grows", new byte[100]);
        SourceTree t = scan();
        byte[] now = new byte[20_000];
        new Random(3).nextBytes(now);
        Files.write(f, now);
        try (HostReader reader = new HostReader(t.entries)) {
            assertArrayEquals(now, contents(reader.next(entry(t, "/grows"))));
        }
    }

    @Test
    void aFileGoneSinceTheScanFailsTheWriterNamingIt() throws Exception {
        Path f = file("gone", new byte[10]);
        file("kept", new byte[] {9});
        SourceTree t = scan();
        Files.delete(f);
        try (HostReader reader = new HostReader(t.entries)) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> reader.next(entry(t, "/gone")));
            assertEquals(f.toString(), e.getFile());
            assertArrayEquals(new byte[] {9}, contents(reader.next(entry(t, "/kept"))));
        }
    }

    @Test
    void closingBeforeTheEndStopsTheThread() throws Exception {
        for (int i = 0; i < 200; i++) {
            file("f" + i, new byte[60_000]);
        }
        SourceTree t = scan();
        List<SourceTree.Entry> entries = t.entries;
        HostReader reader = new HostReader(entries);
        reader.next(entries.stream().filter(e -> e.kind() == SourceTree.Kind.FILE).findFirst().orElseThrow());
        reader.close();
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("makefs host reader") && th.isAlive()).count());
    }
}
