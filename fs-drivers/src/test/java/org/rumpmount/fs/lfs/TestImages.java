package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The LFS reference images in the shared folder: located, decompressed and parsed by the one
 * helper every driver's tests share ({@link org.rumpmount.fs.ffs.TestImages}), plus what LFS
 * tests add (private copies, the dumplfs texts).
 */
final class TestImages {
    private TestImages() {
    }

    static Path shared() {
        return org.rumpmount.fs.ffs.TestImages.shared();
    }

    /** The image decompressed once per run into target/. */
    static Path image(String name) throws IOException {
        return org.rumpmount.fs.ffs.TestImages.image(name);
    }

    /** A private copy of image {@code name} that a test may change. */
    static Path copy(String name, Path dir) throws IOException {
        Path p = dir.resolve(name + ".img");
        Files.copy(image(name), p, StandardCopyOption.REPLACE_EXISTING);
        return p;
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(image(name));
    }

    static Map<String, Object> manifest(String name) throws IOException {
        return org.rumpmount.fs.ffs.TestImages.manifest(name);
    }

    static String text(String file) throws IOException {
        return Files.readString(shared().resolve("images").resolve(file), StandardCharsets.ISO_8859_1);
    }
}
