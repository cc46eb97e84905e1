package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian tools that build test disks (sfdisk from fdisk, sgdisk from gdisk, makefs, disktype),
 * and small byte patches for damaging what they build. A test whose tool is missing is skipped
 * with a message naming the package to install.
 */
public final class DiskTools {
    private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin",
            "/usr/local/bin");

    private DiskTools() {
    }

    /** The tool's path; skips the test when it is not installed. */
    public static String require(String tool, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":" + String.join(":", DIRS)).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        assumeTrue(false, tool + " is not installed; install the Debian package " + debianPackage
                + " (apt-get install -y " + debianPackage + ") to run this test");
        return null;
    }

    /** Runs a command, feeding it {@code input}; its output, or an IOException holding it when it fails. */
    public static String run(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with status " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** A sparse zero-filled image of {@code bytes} bytes. */
    public static Path blank(Path path, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(1), bytes - 1);
        }
        return path;
    }

    /** Writes {@code data} at byte {@code offset} of the file. */
    public static void patch(Path file, long offset, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), offset);
        }
    }

    /** Reads {@code length} bytes at {@code offset} of the file. */
    public static byte[] peek(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, offset);
            return b.array();
        }
    }

    /** Inverts every bit of the byte at {@code offset}. */
    public static void flip(Path file, long offset) throws IOException {
        byte b = peek(file, offset, 1)[0];
        patch(file, offset, new byte[] {(byte) ~b});
    }

    /** Copies a whole file into {@code disk} at byte {@code offset}. */
    public static void copyInto(Path source, Path disk, long offset) throws IOException {
        patch(disk, offset, Files.readAllBytes(source));
    }
}
