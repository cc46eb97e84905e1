package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * What the driver shows of an image: every path (names as ISO-8859-1, one char per byte) with its
 * type, size and content hash or link target, read through a read-only mount and PathFacade.
 */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path img) throws IOException {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        Map<String, String> out = new TreeMap<>();
        try (FileBlockDevice dev = FileBlockDevice.open(img, true);
                Kernel k = new Kernel(Host.system(), registry, new BufferCache(16L << 20))) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade pf = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            walk(pf, "/", out);
            k.unmount(mp, false);
        }
        return out;
    }

    private static void walk(PathFacade pf, String dir, Map<String, String> out) throws IOException {
        for (Dirent d : pf.readdir(dir)) {
            if (d.name().isDot() || d.name().isDotDot()) {
                continue;
            }
            String name = new String(d.name().bytes(), StandardCharsets.ISO_8859_1);
            String path = dir.equals("/") ? "/" + name : dir + "/" + name;
            Vattr va = pf.lstat(path);
            String what = va.type + " " + (va.type == VType.VDIR ? "" : va.size);
            if (va.type == VType.VREG) {
                what += " " + sha256(pf.readAll(path));
            } else if (va.type == VType.VLNK) {
                what += " " + HexFormat.of().formatHex(pf.readlink(path));
            }
            out.put(path, what);
            if (va.type == VType.VDIR) {
                walk(pf, path, out);
            }
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
