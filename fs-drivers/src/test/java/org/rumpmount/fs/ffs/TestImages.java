package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/** The reference images in the shared folder: located, decompressed into target/ once, manifests parsed. */
public final class TestImages {
    public static final List<String> FFS = List.of("ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2");

    private TestImages() {
    }

    public static Path shared() {
        String prop = System.getProperty("rumpmount.shared");
        if (prop != null) {
            return Paths.get(prop);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                String text = Files.isRegularFile(pom) ? Files.readString(pom) : "";
                // The parent pom names itself rumpmount-parent; module poms name it inside <parent>.
                if (text.contains("<artifactId>rumpmount-parent</artifactId>") && !text.contains("<parent>")) {
                    return dir.resolve("../shared").normalize();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root above " + Paths.get("").toAbsolutePath());
    }

    /** The decompressed image, made once per run into target/ffs-images (atomically, by rename). */
    public static synchronized Path image(String name) throws IOException {
        Path dir = Paths.get("target", "ffs-images");
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".img");
        if (Files.exists(out)) {
            return out;
        }
        Path tmp = Files.createTempFile(dir, name, ".part");
        try (InputStream in = new XZInputStream(Files.newInputStream(shared().resolve("images/" + name + ".img.xz")))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> manifest(String name) throws IOException {
        try (InputStream in = new XZInputStream(Files.newInputStream(
                shared().resolve("images/" + name + ".manifest.json.xz")))) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }
}
