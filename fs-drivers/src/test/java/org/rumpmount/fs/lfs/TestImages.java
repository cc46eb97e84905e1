package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/** The reference images in the shared folder, decompressed once into target/. */
final class TestImages {
    private TestImages() {
    }

    static Path shared() throws IOException {
        String prop = System.getProperty("rumpmount.shared");
        if (prop != null) {
            return Paths.get(prop);
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(pom)
                    && Files.readString(pom).contains("<artifactId>rumpmount-parent</artifactId>")
                    && !Files.readString(pom).contains("<parent>")) {
                return p.resolve("..").resolve("shared").normalize();
            }
        }
        throw new IOException("cannot find the repository root above " + dir);
    }

    /** A fresh writable copy of image {@code name} under target/, made from a cached decompression. */
    static synchronized Path image(String name) throws IOException {
        Path cache = Paths.get("target", "lfs-images", name + ".img");
        if (!Files.exists(cache)) {
            Files.createDirectories(cache.getParent());
            Path tmp = cache.resolveSibling(name + ".img.tmp");
            try (InputStream in = new XZInputStream(Files.newInputStream(shared().resolve("images").resolve(name + ".img.xz")));
                    OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
        }
        return cache;
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest(String name) throws IOException {
        try (InputStream in = new XZInputStream(Files.newInputStream(shared().resolve("images").resolve(name + ".manifest.json.xz")))) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static String text(String file) throws IOException {
        return Files.readString(shared().resolve("images").resolve(file), StandardCharsets.ISO_8859_1);
    }
}
