package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.TestImages;

/** Working copies of the reference images for fsck tests: each test damages its own copy. */
final class FsckImages {
    private FsckImages() {
    }

    /** A fresh copy of reference image {@code name}, under target/fsck-images. */
    static Path copy(String name, String tag) throws IOException {
        Path src = TestImages.image(name);
        Path dir = Paths.get("target", "fsck-images");
        Files.createDirectories(dir);
        Path out = dir.resolve(name + "-" + tag + ".img");
        Files.copy(src, out, StandardCopyOption.REPLACE_EXISTING);
        // Over a hundred copies of images that are mostly data would keep gigabytes after the run.
        out.toFile().deleteOnExit();
        return out;
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static FsckReport run(Path img, FsckOptions o) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, o.mode() == FsckOptions.Mode.CHECK_ONLY)) {
            return FfsFsck.check(dev, o);
        }
    }
}
