package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Mounts each reference image written by NetBSD's own LFS code, walks the whole tree through the
 * kernel's path facade, and compares every entry with the manifest of what NetBSD read back.
 */
class LfsGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-default", "nb-lfs-4k"})
    void everyManifestEntryMatches(String image) throws Exception {
        walkAndCompare(image, 8 << 20);
    }

    /** The same walk through a buffer cache of a few blocks, evicting all the time. */
    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-4k"})
    void everyManifestEntryMatchesThroughATinyCache(String image) throws Exception {
        walkAndCompare(image, 4 * 4096);
    }

    private void walkAndCompare(String image, long cacheBytes) throws Exception {
        Map<String, Object> manifest = TestImages.manifest(image);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) manifest.get("entries");
        Path copy = TestImages.copy(image, tmp);
        byte[] before = java.nio.file.Files.readAllBytes(copy);

        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(cacheBytes));
                FileBlockDevice dev = FileBlockDevice.open(copy, true)) {
            Mount mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);

            Map<String, Vattr> seen = new LinkedHashMap<>();
            walk(fs, "/", seen);

            Map<String, String> groupIno = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            int checked = 0;
            for (Map<String, Object> e : entries) {
                String path = new String(HEX.parseHex((String) e.get("path_hex")), StandardCharsets.ISO_8859_1);
                Vattr va = seen.remove(path);
                if (va == null) {
                    problems.add(e.get("path") + ": missing");
                    continue;
                }
                check(fs, e, path, va, problems);
                Object group = e.get("link_group");
                if (group != null) {
                    String prev = groupIno.putIfAbsent((String) group, Long.toString(va.fileid));
                    if (prev != null && !prev.equals(Long.toString(va.fileid))) {
                        problems.add(e.get("path") + ": hard link group " + group + " spans inodes " + prev + " and " + va.fileid);
                    }
                }
                checked++;
            }
            for (String extra : seen.keySet()) {
                problems.add(extra + ": in the image but not in the manifest");
            }
            assertTrue(problems.isEmpty(), problems.size() + " problems, first: "
                    + problems.subList(0, Math.min(20, problems.size())));
            assertEquals(entries.size(), checked);
            System.out.println(image + ": " + checked + " manifest entries checked (cache of " + cacheBytes + " bytes)");

            StatVfs st = fs.statvfs();
            assertTrue(st.readOnly());
            assertTrue(st.blocks() > 0 && st.blocksFree() <= st.blocks() && st.blocksAvailable() <= st.blocksFree(), st.toString());
            assertTrue(st.files() >= st.filesFree(), st.toString());
            kernel.unmount(mp, false);
        }
        // A read-only mount writes nothing.
        assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(copy)), "the image changed");
    }

    private static void walk(PathFacade fs, String dir, Map<String, Vattr> seen) throws Exception {
        Vattr dva = fs.lstat(dir);
        seen.put(dir, dva);
        List<Dirent> list = fs.readdir(dir);
        boolean dot = false;
        boolean dotdot = false;
        for (Dirent d : list) {
            if (d.name().isDot()) {
                dot = true;
                assertEquals(dva.fileid, d.fileid(), dir + "/.");
                continue;
            }
            if (d.name().isDotDot()) {
                dotdot = true;
                continue;
            }
            String path = (dir.equals("/") ? "" : dir) + "/" + d.name().toString(StandardCharsets.ISO_8859_1);
            Vattr va = fs.lstat(path);
            assertEquals(va.fileid, d.fileid(), path + ": readdir and lstat disagree on the inode");
            if (d.type() != VType.VNON) {
                assertEquals(va.type, d.type(), path + ": readdir type");
            }
            if (va.type == VType.VDIR) {
                walk(fs, path, seen);
            } else {
                seen.put(path, va);
            }
        }
        assertTrue(dot && dotdot, dir + ": . and .. listed");
    }

    private static void check(PathFacade fs, Map<String, Object> e, String path, Vattr va, List<String> problems) throws Exception {
        String p = (String) e.get("path");
        String type = (String) e.get("type");
        VType want = switch (type) {
            case "file" -> VType.VREG;
            case "dir" -> VType.VDIR;
            case "symlink" -> VType.VLNK;
            case "fifo" -> VType.VFIFO;
            case "chr" -> VType.VCHR;
            case "blk" -> VType.VBLK;
            default -> throw new AssertionError("unknown type " + type);
        };
        expect(problems, p, "type", want, va.type);
        expect(problems, p, "mode", Integer.parseInt((String) e.get("mode"), 8), va.mode);
        expect(problems, p, "ifmt_mode", Integer.parseInt((String) e.get("ifmt_mode"), 8), va.statMode());
        expect(problems, p, "uid", e.get("uid"), va.uid);
        expect(problems, p, "gid", e.get("gid"), va.gid);
        expect(problems, p, "nlink", e.get("nlink"), va.nlink);
        if (e.get("size") != null) {
            expect(problems, p, "size", e.get("size"), va.size);
        }
        expect(problems, p, "mtime", e.get("mtime"), va.mtime.sec());
        expect(problems, p, "mtime_nsec", e.get("mtime_nsec"), (long) va.mtime.nsec());
        expect(problems, p, "atime", e.get("atime"), va.atime.sec());
        expect(problems, p, "atime_nsec", e.get("atime_nsec"), (long) va.atime.nsec());
        expect(problems, p, "ino", e.get("ino"), va.fileid);
        expect(problems, p, "blocks", e.get("blocks"), va.bytes / 512);
        // NetBSD's stat(2) hides the generation number (vn_stat sets st_gen to 0), so the
        // manifest's gen is always 0 and says nothing about di_gen; the vattr carries di_gen.
        expect(problems, p, "gen (as stat reports it)", e.get("gen"), 0L);
        expect(problems, p, "flags", e.get("flags"), va.flags);
        switch (want) {
            case VREG -> {
                byte[] data = fs.readAll(path);
                String sha = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
                expect(problems, p, "sha256", e.get("sha256"), sha);
            }
            case VLNK -> expect(problems, p, "target_hex", e.get("target_hex"), HEX.formatHex(fs.readlink(path)));
            case VCHR, VBLK -> {
                expect(problems, p, "rdev_major", e.get("rdev_major"), DeviceNumbers.linuxMajor(va.rdev));
                expect(problems, p, "rdev_minor", e.get("rdev_minor"), DeviceNumbers.linuxMinor(va.rdev));
            }
            default -> {
            }
        }
    }

    private static void expect(List<String> problems, String path, String field, Object want, Object got) {
        if (want instanceof Number n && got instanceof Number g) {
            if (n.longValue() != g.longValue()) {
                problems.add(path + ": " + field + " " + got + ", manifest says " + want);
            }
        } else if (!String.valueOf(want).equals(String.valueOf(got))) {
            problems.add(path + ": " + field + " " + got + ", manifest says " + want);
        }
    }
}
